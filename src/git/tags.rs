//! Release tags: which tag names are releases, and the newest one reachable from a revision.

/// A tag that names a release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseTag {
    /// The tag's name (`v1.2.3`).
    pub name: String,
    /// The version part of the name (`1.2.3`).
    pub version: String,
}
