from .b import helper


def other():
    pass
