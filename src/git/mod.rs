//! Reading and writing the repository. The only importer of `git2`.
//!
//! Reads revisions straight from git objects (no checkout, no temp files). Writing (commit and
//! tag) lives in [`write`] alone.

pub mod tags;
pub mod tree;
pub mod write;

use std::path::{Path, PathBuf};

pub use tags::ReleaseTag;
pub use tree::Snapshot;

/// Why a git operation failed. Each variant names the ref, tag or path involved.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("`{}` is not inside a git repository", .0.display())]
    NotARepo(PathBuf),
    #[error("unknown revision `{0}`")]
    UnknownRef(String),
    #[error("no release tag reachable from `{to}` (looked for {patterns})")]
    NoReleaseTag {
        to: String,
        patterns: String,
        shallow: bool,
    },
    #[error("git could not {action}: {message}")]
    Git { action: String, message: String },
}

/// An open repository.
pub struct Repo {
    #[allow(dead_code)]
    inner: git2::Repository,
    root: PathBuf,
}

impl Repo {
    /// Finds the repository containing `dir`.
    pub fn discover(dir: &Path) -> Result<Repo, Error> {
        let inner =
            git2::Repository::discover(dir).map_err(|_| Error::NotARepo(dir.to_path_buf()))?;
        let root = inner
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| inner.path().to_path_buf());
        Ok(Repo { inner, root })
    }

    /// The working tree's root.
    pub fn root(&self) -> &Path {
        &self.root
    }
}
