def scale(x: float, /, factor: float = 2.0) -> float:  # expect: parameter-became-positional-only
    return x * factor


class Schema:
    # expect: parameter-became-positional-only (renamed in the same step: one change, not a
    # removal and a new required parameter)
    def loads(self, s: str, /, *, many: bool = False) -> object: ...
