class _HttpClient:
    def get(self, url: str) -> bytes:
        return b""

    def _send(self) -> None: ...


class Client(_HttpClient):  # expect: private-base-changed (same public members)
    def close(self) -> None: ...
