from typing import Dict, Final, Optional, TypedDict

VERSION: Final = "1"  # expect: annotation-changed


def parse(text: str | bytes) -> dict[str, object]:  # expect: annotation-changed
    return {}


def load(path: Optional[str]) -> Dict[str, int]:  # near-miss: reformatted annotations
    return {}


class Movie(TypedDict):
    title: str
    year: int  # expect: annotation-changed (a TypedDict key)
