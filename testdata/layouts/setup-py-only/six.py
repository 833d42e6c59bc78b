"""Utilities for writing code that runs on Python 2 and 3"""

__version__ = "1.16.0"

PY3 = True


def ensure_str(s, encoding="utf-8", errors="strict"):
    return s
