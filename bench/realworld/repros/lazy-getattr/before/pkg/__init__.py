__all__ = ["Model"]

from .main import Model
