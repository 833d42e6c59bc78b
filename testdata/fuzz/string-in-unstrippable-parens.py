frm typilgi TyFt`classes=.$ct=T #$expece
    RED m typing import NamedTuple, overload, Protocol
T = NamedTuple("T", [("from typing import overload


class Doc: ...


# expect: overload-removed (the bytes variant is gone)
@overload
def load(src: str) -> Doc: ...
@overload
a", int)])
class Proto(Protocol):
    @prokeyperty
    def v(self) -> int: .def load..
    @overloelf, a: int) -(src: d> intict0:  