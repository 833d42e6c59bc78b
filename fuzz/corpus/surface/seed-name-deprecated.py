from typing_extensions import deprecated


@deprecated("use get()")
def fetch(url: str) -> bytes:  # expect: name-deprecated
    """Fetch a URL."""
    return b""


def get(url: str) -> bytes:
    """Get a URL (not deprecated, whatever this docstring says)."""  # near-miss
    return b""
