//! PEP 440 project versions.
