class Client:
    _cache: dict = {}  # near-miss: a private attribute

    def get(self, url: str) -> bytes:
        return b""

    def ping(self) -> bool:  # expect: member-added
        return True
