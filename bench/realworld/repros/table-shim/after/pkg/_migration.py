import importlib
import warnings

MOVED = {"pkg.utils:deep_update": "pkg.v1.utils:deep_update"}


def getattr_migration(module):
    def wrapper(name):
        key = f"{module}:{name}"
        if key in MOVED:
            warnings.warn(f"`{key}` has moved to `{MOVED[key]}`", DeprecationWarning)
            mod, _, attr = MOVED[key].partition(":")
            return getattr(importlib.import_module(mod), attr)
        raise AttributeError(name)

    return wrapper
