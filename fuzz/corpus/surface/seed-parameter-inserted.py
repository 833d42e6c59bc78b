def connect(host: str, scheme: str = "http", port: int = 80) -> None:  # expect: parameter-inserted
    ...


# expect: parameter-inserted (`level` takes what *args used to collect)
def log(msg: str, level: int = 0, *args: object) -> None: ...


from dataclasses import dataclass


@dataclass
class Column:
    header: str = ""
    # near-miss: a new field before a private one shifts no public positional argument
    # (rich 13.9's `Column.highlight`); it is an optional addition
    highlight: bool = False
    _index: int = 0
