//! The release lock: one `release` at a time in a repository.
//!
//! `bumpwise-release.lock` in the common git directory (so linked worktrees share it), made
//! with `create_new` and holding the pid. Dropping the [`ReleaseLock`] removes it, which
//! covers success, errors, refusals and panics; a signal removes it through
//! [`super::guard`]. Only a `SIGKILL` or a crash can leave it behind, and the error then
//! says which file to delete.

use std::io::Write;
use std::path::PathBuf;

use super::{Error, guard};
use crate::git::Repo;

/// The lock file's name in the common git directory.
pub const LOCK_FILE: &str = "bumpwise-release.lock";

/// A held release lock; dropping it removes the file.
#[derive(Debug)]
pub struct ReleaseLock {
    path: PathBuf,
}

impl ReleaseLock {
    /// Takes the lock, or says who holds it.
    pub fn acquire(repo: &Repo) -> Result<ReleaseLock, Error> {
        let path = repo.common_dir().join(LOCK_FILE);
        let shown = path.display().to_string();
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                // Registered first: from here on a signal removes it.
                guard::hold_lock(&path);
                let lock = ReleaseLock { path };
                writeln!(file, "{}", std::process::id()).map_err(|e| Error::Write {
                    path: shown,
                    message: e.to_string(),
                })?;
                Ok(lock)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Busy {
                // Empty or unreadable while its owner is still writing it: no pid to show.
                pid: std::fs::read_to_string(&path)
                    .ok()
                    .and_then(|s| s.trim().parse().ok()),
                path: shown,
            }),
            Err(e) => Err(Error::Write {
                path: shown,
                message: e.to_string(),
            }),
        }
    }

    /// The lock file.
    #[cfg(test)]
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

impl Drop for ReleaseLock {
    fn drop(&mut self) {
        guard::release_lock(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::TestRepo;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let t = TestRepo::new();
        t.write("a.txt", "a");
        t.commit("one");
        let repo = t.repo();
        let lock = ReleaseLock::acquire(&repo).unwrap();
        let path = lock.path().to_path_buf();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{}\n", std::process::id())
        );
        let err = ReleaseLock::acquire(&repo).unwrap_err();
        let Error::Busy { pid, path: named } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(*pid, Some(std::process::id()));
        assert_eq!(named, &path.display().to_string());
        assert!(err.to_string().contains(&std::process::id().to_string()));
        assert!(err.hint().unwrap().contains(LOCK_FILE));
        drop(lock);
        assert!(!path.exists());
        drop(ReleaseLock::acquire(&repo).unwrap());
        assert!(!path.exists());
    }

    #[test]
    fn linked_worktrees_share_the_lock() {
        let t = TestRepo::new();
        t.write("a.txt", "a");
        t.commit("one");
        let outside = tempfile::TempDir::new().unwrap();
        let linked = outside.path().join("linked");
        t.git.worktree("linked", &linked, None).unwrap();
        let lock = ReleaseLock::acquire(&t.repo()).unwrap();
        let err = ReleaseLock::acquire(&Repo::discover(&linked).unwrap()).unwrap_err();
        assert!(matches!(err, Error::Busy { .. }), "{err:?}");
        drop(lock);
    }
}
