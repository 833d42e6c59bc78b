import warnings
from datetime import timezone

__all__ = ["utc", "now"]


def __getattr__(name):
    if name != "utc":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    warnings.warn("pkg.utc is deprecated", DeprecationWarning, stacklevel=2)
    return timezone.utc


def now():
    pass
