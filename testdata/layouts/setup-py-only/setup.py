# A setup.py-only distribution of one module, as six ships.
from __future__ import with_statement

try:
    from setuptools import setup
except ImportError:
    from distutils.core import setup

import six

six_classifiers = [
    "Programming Language :: Python :: 3",
]

with open("README.rst", "r") as fp:
    six_long_description = fp.read()

setup(
    name="six",
    version=six.__version__,  # not a literal: not read
    author="Benjamin Peterson",
    py_modules=["six"],
    description="Python 2 and 3 compatibility utilities",
    long_description=six_long_description,
    classifiers=six_classifiers,
)
