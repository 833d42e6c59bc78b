from enum import Enum

DEFAULT_TIMEOUT = 30  # expect: value-changed
NAMES = ["a", "b"]  # near-miss: reformatted only


class Color(Enum):
    RED = "red"  # expect: value-changed (an enum member)
