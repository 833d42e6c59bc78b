from . import _util


class Table:
    @_util.ro_memoized_property
    def c(self):
        return []
