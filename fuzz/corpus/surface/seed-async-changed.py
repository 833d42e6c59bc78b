async def fetch(url: str) -> bytes:  # expect: async-changed
    return b""


async def download(url: str) -> bytes:  # near-miss: only the body changed
    data = b""
    return data
