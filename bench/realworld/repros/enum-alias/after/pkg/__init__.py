import enum


class Source(enum.Enum):
    ARGS = enum.auto()
    INVOCATION_DIR = enum.auto()
    INCOVATION_DIR = INVOCATION_DIR  # backwards compatibility alias
    TESTPATHS = enum.auto()
