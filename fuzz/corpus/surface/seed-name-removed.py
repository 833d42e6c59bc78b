# expect: name-removed (`disconnect` is still defined but dropped from __all__)
# expect: name-removed (`LIMIT` is gone)
__all__ = "connect",  # a tuple display without parentheses is static too


def connect(host: str) -> None: ...


def disconnect() -> None: ...


# near-miss: a private function removed (`_reset`)
