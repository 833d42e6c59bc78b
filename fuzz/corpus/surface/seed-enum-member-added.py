from enum import Enum


class Mode(Enum):
    READ = "r"  # near-miss: quote style only
    WRITE = "w"
    APPEND = "a"  # expect: enum-member-added
