import enum


class Source(enum.Enum):
    ARGS = enum.auto()
    INCOVATION_DIR = enum.auto()
    TESTPATHS = enum.auto()
