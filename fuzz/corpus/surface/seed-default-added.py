def connect(host: str, port: int = 80) -> None:  # expect: default-added
    ...


def fetch(url: str, headers: dict = {"accept": "*/*"}) -> bytes:  # near-miss: quotes only
    return b""
