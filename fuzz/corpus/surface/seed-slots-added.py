from dataclasses import dataclass


class Point:
    __slots__ = ("x",)  # expect: slots-added

    def __init__(self, x: int) -> None:
        self.x = x


@dataclass(slots=True)
class Pair:  # expect: slots-added
    a: int
    b: int
