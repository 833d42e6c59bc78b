from enum import Enum


class Color(Enum):
    RED = 1
    # expect: enum-member-removed (`GREEN`)
    BLUE = 3


# expect: enum-member-removed (`TRIANGLE` of a functional-API Enum, which once read as a
# value change: a patch where callers' `Shape.TRIANGLE` fails)
Shape = Enum("Shape", "CIRCLE SQUARE")
