def f(a, b=1):
    return a
X: int = 3
