from typing import Protocol


class Reader(Protocol):
    def read(self) -> bytes: ...

    def close(self) -> None: ...  # expect: protocol-member-added
