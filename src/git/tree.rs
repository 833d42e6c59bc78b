//! The project's files at one revision, read as blobs, or from the working tree.

/// The files of one revision (a commit, or the working tree).
pub struct Snapshot {}
