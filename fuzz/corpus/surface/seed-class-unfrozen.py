from dataclasses import dataclass


@dataclass
class Point:  # expect: class-unfrozen (instances are no longer hashable)
    x: int
    y: int
