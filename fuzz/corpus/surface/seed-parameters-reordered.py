from dataclasses import dataclass


def copy(dst: str, src: str) -> None:  # expect: parameters-reordered
    ...


# near-miss: keyword-only parameters reordered
def open_file(path: str, *, encoding: str = "utf-8", mode: str = "r") -> None: ...


@dataclass
class Span:  # expect: parameters-reordered (fields)
    end: int
    start: int
