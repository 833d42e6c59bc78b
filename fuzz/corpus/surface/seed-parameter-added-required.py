from dataclasses import dataclass


def connect(host: str, port: int) -> None:  # expect: parameter-added-required
    ...


def fetch(url: str, _retries: int = 0) -> bytes:  # near-miss: private and optional
    return b""


@dataclass
class Point:
    x: int
    y: int  # expect: parameter-added-required (a field without a default)
