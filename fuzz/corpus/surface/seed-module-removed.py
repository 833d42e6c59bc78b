"""A package whose `utils` module goes private."""


def main() -> None: ...
