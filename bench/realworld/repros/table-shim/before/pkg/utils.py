def deep_update(a, b):
    return {**a, **b}
