def Field(default=None, *, const=None, min_items=None, **extra):
    return default
