from typing import NamedTuple


class NotFound(LookupError):  # expect: base-added (LookupError derives from Exception)
    pass


class Pair(NamedTuple):  # near-miss: `typing.NamedTuple` written as `NamedTuple`
    a: int
    b: int
