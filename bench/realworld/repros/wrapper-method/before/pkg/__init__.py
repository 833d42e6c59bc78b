import functools


def _wrap(func):
    @functools.wraps(func)
    def wrapped(self, *args, **kwargs):
        return self.__class__(func(self, *args, **kwargs))

    return wrapped


class Markup(str):
    upper = _wrap(str.upper)
