"""Nightly jobs: a module of the service that happens to be called scripts."""
from . import scripts
from .scripts import go


def nightly():
    return scripts, go
