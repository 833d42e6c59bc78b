from . import _repr


class Model(_repr.Representation):
    pass
