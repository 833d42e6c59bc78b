import enum
from dataclasses import dataclass, field
@dataclass(frozen=True, slots=True)
class P:
    x: int
    y: int = 0
    z: list = field(default_factory=list)
class Color(enum.Enum):
    RED = 1
    GREEN = "g"
E = enum.Enum("E", "A B")
from typing import NamedTuple, overload, Protocol
T = NamedTuple("T", [("a", int)])
class Proto(Protocol):
    @property
    def v(self) -> int: ...
    @overload
    def m(self, a: int) -> int: ...
    @overload
    def m(self, a: str) -> str: ...
