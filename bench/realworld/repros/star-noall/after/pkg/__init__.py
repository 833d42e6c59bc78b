from .a import *

__all__ = ["helper", "other"]
