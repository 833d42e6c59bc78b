# expect: positional-only-renamed (`x` became `value`)
# near-miss: **options renamed to **extra
def scale(value: float, /, factor: float = 2.0, **extra: object) -> float:
    return value * factor


class Context:
    # expect: positional-only-renamed (PEP 484's `__callback` became PEP 570's `callback, /`)
    def invoke(self, callback, /, *args, **kwargs):
        return callback(*args, **kwargs)
