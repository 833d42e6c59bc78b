//! The Keep a Changelog entry for a release.
