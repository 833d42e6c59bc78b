def scale(x: float, factor: float = 2.0) -> float:  # expect: parameter-no-longer-positional-only
    return x * factor


# expect: parameter-no-longer-positional-only (renamed in the same step: positional calls
# work as before, so it is no removal)
def unscale(value: float) -> float:
    return value
