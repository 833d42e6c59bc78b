//! Reading and rewriting the version in pyproject.toml and `__version__` assignments.
