"""mypkg."""
__version__ = "1.1.0"


def f(a):
    pass


def g(b=1):
    pass
