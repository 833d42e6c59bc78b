import warnings


def Field(default=None, **extra):
    if extra.pop("const", None) is not None:
        raise TypeError("`const` is removed, use `Literal` instead")
    if extra.pop("min_items", None) is not None:
        warnings.warn("`min_items` is deprecated, use `min_length`", DeprecationWarning)
    return default
