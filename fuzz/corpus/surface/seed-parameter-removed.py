def connect(host: str) -> None:  # expect: parameter-removed
    ...


def fetch(url: str) -> bytes:  # near-miss: a private optional parameter removed
    return b""


class Client:
    def get(this, url: str) -> bytes:  # expect: parameter-removed (`self` renamed: nothing)
        return b""
