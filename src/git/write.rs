//! Commits and tags: the only code that writes to the repository.
