from typing import TYPE_CHECKING


class _memoized_property:
    def __init__(self, fget):
        self.fget = fget

    def __get__(self, obj, cls):
        if obj is None:
            return self
        obj.__dict__[self.fget.__name__] = result = self.fget(obj)
        return result


if TYPE_CHECKING:
    ro_memoized_property = property
else:
    ro_memoized_property = _memoized_property
