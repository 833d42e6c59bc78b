from . import _repr


class Model:
    __repr_name__ = _repr.Representation.__repr_name__
