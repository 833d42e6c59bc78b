from dataclasses import dataclass


def connect(host: str, timeout: float) -> None:  # expect: default-removed
    ...


@dataclass
class Point:
    x: int
    y: int  # expect: default-removed (a field)
