class Client:
    timeout: float = 5.0

    def get(self, url: str) -> bytes:
        return b""

    # expect: member-removed (`close`)
    # near-miss: private `_reset` removed
