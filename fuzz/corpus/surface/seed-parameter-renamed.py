def connect(host: str, timeout_s: float = 5.0) -> None:  # expect: parameter-renamed
    ...


def fetch(url: str, *, check: bool = True) -> bytes:  # expect: parameter-renamed
    return b""


def log(msg: str, *values: object) -> None:  # near-miss: *args renamed
    ...
