from typing import overload


class Doc: ...


@overload
def load(src: str) -> Doc: ...
@overload
def load(src:bytes)->Doc: ...  # near-miss: reformatted variant
@overload
def load(src: dict) -> Doc: ...  # expect: overload-added
def load(src):
    return Doc()
