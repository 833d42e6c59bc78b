import warnings


def new_name() -> int:
    return 1


# expect: name-served-by-getattr (`old_name` keeps working, with a warning)
def __getattr__(name: str) -> object:
    if name == "old_name":
        warnings.warn("use new_name", DeprecationWarning, stacklevel=2)
        return new_name
    # expect: name-served-by-getattr (a dunder such as `__version__` is a name like the others)
    if name == "__version__":
        warnings.warn("use importlib.metadata.version()", DeprecationWarning, stacklevel=2)
        return "1.0.0"
    raise AttributeError(name)
