from ._collections import HeaderDict

__all__ = ["HeaderDict"]
