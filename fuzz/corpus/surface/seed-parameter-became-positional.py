def connect(host: str, timeout: float = 5.0) -> None:  # expect: parameter-became-positional
    ...


# near-miss: not parameter-became-positional, as `verify` now sits before `retries`
# expect: parameter-inserted
def fetch(url: str, verify: bool = True, retries: int = 3) -> bytes:
    return b""
