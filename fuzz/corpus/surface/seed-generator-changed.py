def rows(path):  # expect: generator-changed
    yield from open(path)


def lines(path):  # near-miss: the `yield` is in a nested function
    def gen():
        yield 2

    return list(gen())


import contextlib


# expect: generator-changed (`for s in session()` becomes `with session() as s`)
@contextlib.contextmanager
def session():
    yield "session"


# near-miss: still a context manager, only its body changed
@contextlib.contextmanager
def transaction():
    yield "transaction"
