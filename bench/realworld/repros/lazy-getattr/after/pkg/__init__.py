import typing

__all__ = ["Model", "RootModel"]

from .main import Model

_dynamic_imports = {"RootModel": ".root_model"}
if typing.TYPE_CHECKING:
    from .root_model import RootModel


def __getattr__(attr_name):
    dynamic_attr = _dynamic_imports.get(attr_name)
    if dynamic_attr is None:
        raise AttributeError(attr_name)
    from importlib import import_module

    module = import_module(dynamic_attr, package=__package__)
    return getattr(module, attr_name)
