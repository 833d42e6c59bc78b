from dataclasses import dataclass


@dataclass(frozen=True)
class Point:  # expect: class-frozen
    x: int
    y: int
