from typing import overload


class Doc: ...


# expect: overload-removed (the bytes variant is gone)
@overload
def load(src: str) -> Doc: ...
@overload
def load(src: dict) -> Doc: ...
def load(src):  # near-miss: the implementation is unchanged
    return Doc()


from typing import Optional


# near-miss: every variant gained an optional keyword (rich 13.9's `Prompt.ask`) and was
# respelled (`Optional[str]` -> `str | None`): no variant is gone
@overload
def ask(prompt: str, *, default: None = None, strict: bool = False) -> str | None: ...
@overload
def ask(prompt: str, *, default: str, strict: bool = False) -> str: ...
def ask(prompt, *, default=None, strict=False):
    return default
