"""A package whose `utils` module goes private."""


def main() -> None: ...

#@@ _impl
# near-miss: a private module changed (and its helper's signature with it)


def helper(x: int = 0) -> int:
    return x
