from dataclasses import dataclass


def connect(host: str, port: int = 80, *, retries: int = 3) -> None:  # expect: parameter-added-optional
    ...


def fetch(url: str, timeout: float | None = None) -> bytes:  # expect: parameter-added-optional
    return b""


@dataclass
class Point:
    x: int
    label: str = ""  # expect: parameter-added-optional (a field with a default, at the end)
