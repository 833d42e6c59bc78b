//! Commits and tags: the only code that writes to the repository.
//!
//! Besides the commit and the tag, this holds the [`Checkpoint`] a release takes before it
//! writes anything, so a failed release can put the index and the branch back byte for byte.

use std::path::{Component, Path, PathBuf};

use super::{CommitId, Error, Repo, git_error};

/// The repository files a commit rewrites (the index, `HEAD`, the branch ref, `packed-refs`
/// and their reflogs), saved as bytes (or as absent) so they can be put back exactly.
#[derive(Debug)]
pub struct Checkpoint {
    files: Vec<(PathBuf, Option<Vec<u8>>)>,
}

/// What [`Repo::stage_paths`] prepared for [`Repo::commit_staged`].
pub struct Staged {
    tree: git2::Oid,
    parent: Option<CommitId>,
    branch: String,
    signature: git2::Signature<'static>,
}

/// Rejects absolute paths and `..`: every path we stage must stay inside the working tree.
fn relative_path(path: &str) -> Result<&Path, Error> {
    let p = Path::new(path);
    let inside = !path.is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if inside {
        Ok(p)
    } else {
        Err(Error::OutsideWorktree {
            path: path.to_owned(),
        })
    }
}

/// Git's whitespace cleanup (trailing spaces, runs of blank lines, a final newline), as
/// `git commit -m` does; `#` lines are kept, since nobody edits this message.
fn clean_message(message: &str) -> String {
    git2::message_prettify(message, None).unwrap_or_else(|_| format!("{}\n", message.trim_end()))
}

impl Repo {
    /// Creates a new repository at `dir` with its own identity (`bumpwise demo`), so that it
    /// works on a machine with no git identity configured.
    pub fn init_scratch(dir: &std::path::Path) -> Result<Repo, Error> {
        let repo = git2::Repository::init(dir).map_err(git_error("create a repository"))?;
        let mut config = repo
            .config()
            .map_err(git_error("open the repository config"))?;
        config
            .set_str("user.name", "bumpwise demo")
            .and_then(|()| config.set_str("user.email", "demo@bumpwise.invalid"))
            .map_err(git_error("set the demo identity"))?;
        Repo::discover(dir)
    }

    fn signature(&self) -> Result<git2::Signature<'static>, Error> {
        let (name, email) = self.identity()?;
        git2::Signature::now(&name, &email).map_err(git_error("use the configured identity"))
    }

    /// Commits exactly `paths` (repo-relative; a missing file is committed as deleted) on top
    /// of `HEAD`'s branch with the configured identity, and stages them in the index. Other
    /// staged changes stay staged and out of the commit. [`Repo::stage_paths`] then
    /// [`Repo::commit_staged`]; if the commit fails, the index already holds the paths.
    pub fn commit_paths(&self, paths: &[String], message: &str) -> Result<CommitId, Error> {
        let staged = self.stage_paths(paths)?;
        self.commit_staged(&staged, message)
    }

    /// Stages exactly `paths` in the index (written to disk) and writes the tree of the
    /// commit to make: `HEAD`'s tree plus those same entries, so other staged changes stay
    /// out of it. Checks the branch and the identity first. Nothing moves `HEAD` yet.
    pub fn stage_paths(&self, paths: &[String]) -> Result<Staged, Error> {
        let root = self.workdir()?.to_path_buf();
        let branch = self.head_branch()?.ok_or(Error::DetachedHead)?;
        let signature = self.signature()?;
        let action = || format!("commit on branch `{branch}`");
        let parent = match self.head() {
            Ok(id) => Some(id),
            Err(Error::NoCommits) => None,
            Err(e) => return Err(e),
        };

        // The real index takes each path first, so libgit2 applies git's filters (autocrlf,
        // attributes) once; the commit's tree is HEAD's tree plus those same entries.
        let mut index = self.inner.index().map_err(git_error(action()))?;
        index.read(true).map_err(git_error("read the index"))?;
        let mut tree_index = git2::Index::new().map_err(git_error(action()))?;
        if let Some(parent) = parent {
            let tree = self
                .inner
                .find_commit(parent.0)
                .and_then(|c| c.tree())
                .map_err(git_error(action()))?;
            tree_index.read_tree(&tree).map_err(git_error(action()))?;
        }
        let staged = (|| {
            for path in paths {
                let rel = relative_path(path)?;
                let stage = || git_error(format!("stage `{path}`"));
                match std::fs::symlink_metadata(root.join(rel)) {
                    Ok(_) => {
                        index.add_path(rel).map_err(stage())?;
                        let entry = index.get_path(rel, 0).ok_or_else(|| Error::Git {
                            action: format!("stage `{path}`"),
                            message: "the index has no entry for it".to_owned(),
                        })?;
                        tree_index.add(&entry).map_err(stage())?;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        // Absent from either index is fine: there is nothing to delete.
                        let _ = index.remove_path(rel);
                        let _ = tree_index.remove_path(rel);
                    }
                    Err(e) => {
                        return Err(Error::Read {
                            path: path.clone(),
                            message: e.to_string(),
                        });
                    }
                }
            }
            let tree = tree_index
                .write_tree_to(&self.inner)
                .map_err(git_error(action()))?;
            index.write().map_err(git_error("write the index"))?;
            Ok(tree)
        })();
        match staged {
            Ok(tree) => Ok(Staged {
                tree,
                parent,
                branch,
                signature,
            }),
            Err(e) => {
                // Forget the staging done in memory; the index file was never written.
                let _ = index.read(true);
                Err(e)
            }
        }
    }

    /// Makes the commit [`Repo::stage_paths`] prepared and moves `HEAD`'s branch to it.
    pub fn commit_staged(&self, staged: &Staged, message: &str) -> Result<CommitId, Error> {
        let action = || format!("commit on branch `{}`", staged.branch);
        let tree = self
            .inner
            .find_tree(staged.tree)
            .map_err(git_error(action()))?;
        let parent = match staged.parent {
            Some(id) => Some(self.inner.find_commit(id.0).map_err(git_error(action()))?),
            None => None,
        };
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        // Updating `HEAD` checks that the branch still points at `parent`, so a commit made
        // by someone else meanwhile is never lost.
        self.inner
            .commit(
                Some("HEAD"),
                &staged.signature,
                &staged.signature,
                &clean_message(message),
                &tree,
                &parents,
            )
            .map(CommitId)
            .map_err(git_error(action()))
    }

    /// The directory shared by every worktree of the repository (`.git` of the main one),
    /// where repository-wide lock files and the facts cache go.
    pub fn common_dir(&self) -> &Path {
        self.inner.commondir()
    }

    /// Creates the annotated tag `name` on `target` with the configured identity. An existing
    /// tag is never overwritten: that is [`Error::TagExists`].
    pub fn create_tag(&self, name: &str, target: CommitId, message: &str) -> Result<(), Error> {
        let exists = || Error::TagExists {
            name: name.to_owned(),
            target: self.tag_target(name),
        };
        if self.tag_exists(name) {
            return Err(exists());
        }
        let tagger = self.signature()?;
        let action = || format!("create tag `{name}`");
        let object = self
            .inner
            .find_object(target.0, Some(git2::ObjectType::Commit))
            .map_err(git_error(action()))?;
        match self
            .inner
            .tag(name, &object, &tagger, &clean_message(message), false)
        {
            Ok(_) => Ok(()),
            Err(e) if e.code() == git2::ErrorCode::Exists => Err(exists()),
            Err(e) => Err(git_error(action())(e)),
        }
    }

    /// Deletes the tag `name`; a release uses it only on a tag it created itself.
    pub fn delete_tag(&self, name: &str) -> Result<(), Error> {
        self.inner
            .tag_delete(name)
            .map_err(git_error(format!("delete tag `{name}`")))
    }

    /// Saves what a commit on `HEAD` can change, for [`Repo::restore`].
    pub fn checkpoint(&self) -> Result<Checkpoint, Error> {
        // The index, HEAD and HEAD's reflog belong to this worktree; branch refs, their
        // reflogs and packed-refs are shared by all worktrees of the repository.
        let gitdir = self.inner.path();
        let common = self.inner.commondir();
        let mut paths = vec![
            gitdir.join("index"),
            gitdir.join("HEAD"),
            gitdir.join("logs").join("HEAD"),
            common.join("packed-refs"),
        ];
        if let Ok(head) = self.inner.find_reference("HEAD")
            && let Some(branch) = head.symbolic_target()
        {
            paths.push(common.join(branch));
            paths.push(common.join("logs").join(branch));
        }
        let files = paths
            .into_iter()
            .map(|path| match std::fs::read(&path) {
                Ok(bytes) => Ok((path, Some(bytes))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((path, None)),
                Err(e) => Err(Error::Read {
                    path: path.display().to_string(),
                    message: e.to_string(),
                }),
            })
            .collect::<Result<_, _>>()?;
        Ok(Checkpoint { files })
    }

    /// Puts back every file of `checkpoint` exactly (deleting those that did not exist).
    /// Tries them all and reports what could not be restored.
    pub fn restore(&self, checkpoint: &Checkpoint) -> Result<(), Vec<String>> {
        let mut failed = Vec::new();
        for (path, bytes) in &checkpoint.files {
            let result = match bytes {
                Some(bytes) => std::fs::write(path, bytes),
                None => match std::fs::remove_file(path) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                    other => other,
                },
            };
            if let Err(e) = result {
                failed.push(format!("`{}`: {e}", path.display()));
            }
        }
        // The in-memory index must not outlive the file it came from.
        if let Ok(mut index) = self.inner.index()
            && let Err(e) = index.read(true)
        {
            failed.push(format!("re-reading the index: {}", e.message()));
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(failed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::TestRepo;
    use super::*;

    #[test]
    fn commit_paths_commits_exactly_those_paths() {
        let t = TestRepo::new();
        t.write("pyproject.toml", "version = \"1.0.0\"\n");
        t.write("other.txt", "one\n");
        t.write("old.txt", "old\n");
        let c1 = t.commit("initial");
        t.write("pyproject.toml", "version = \"1.1.0\"\n");
        t.write("CHANGELOG.md", "# Changelog\n");
        std::fs::remove_file(t.path().join("old.txt")).unwrap();
        // Staged but not ours to commit.
        t.write("other.txt", "two\n");
        let mut index = t.git.index().unwrap();
        index.add_path(Path::new("other.txt")).unwrap();
        index.write().unwrap();

        let repo = t.repo();
        let paths = ["pyproject.toml", "CHANGELOG.md", "old.txt"].map(String::from);
        let id = repo.commit_paths(&paths, "release: 1.1.0").unwrap();
        assert_eq!(repo.head().unwrap(), id);

        let commit = t
            .git
            .find_commit(t.git.head().unwrap().target().unwrap())
            .unwrap();
        assert_eq!(commit.message(), Some("release: 1.1.0\n"));
        assert_eq!(commit.author().name(), Some("Test"));
        assert_eq!(commit.parent_id(0).unwrap(), c1);
        let snap = repo.snapshot(Some(id)).unwrap();
        assert_eq!(
            snap.files_under(""),
            ["CHANGELOG.md", "other.txt", "pyproject.toml"]
        );
        assert_eq!(snap.read("other.txt").unwrap().unwrap(), b"one\n");
        assert_eq!(
            snap.read("pyproject.toml").unwrap().unwrap(),
            b"version = \"1.1.0\"\n"
        );
        // Only the staged change we did not commit is left over.
        assert_eq!(repo.dirty_paths().unwrap(), ["other.txt"]);
    }

    #[test]
    fn commit_paths_on_a_branch_without_commits() {
        let t = TestRepo::new();
        t.write("a.txt", "a");
        let repo = t.repo();
        let id = repo.commit_paths(&["a.txt".to_owned()], "first").unwrap();
        assert_eq!(repo.head().unwrap(), id);
        assert_eq!(repo.head_branch().unwrap().as_deref(), Some("main"));
    }

    #[test]
    fn commit_paths_refuses_detached_head_paths_outside_and_missing_identity() {
        let t = TestRepo::new();
        t.write("a.txt", "a");
        let c1 = t.commit("one");
        let repo = t.repo();
        assert!(matches!(
            repo.commit_paths(&["../x".to_owned()], "m"),
            Err(Error::OutsideWorktree { path }) if path == "../x"
        ));
        t.git.set_head_detached(c1).unwrap();
        assert!(matches!(
            repo.commit_paths(&["a.txt".to_owned()], "m"),
            Err(Error::DetachedHead)
        ));
        let t = TestRepo::without_identity();
        t.write("a.txt", "a");
        t.commit("one");
        assert!(matches!(
            t.repo().commit_paths(&["a.txt".to_owned()], "m"),
            Err(Error::NoIdentity { .. })
        ));
    }

    #[test]
    fn create_tag_is_annotated_and_never_overwrites() {
        let t = TestRepo::new();
        t.write("a.txt", "a");
        let c1 = t.commit("one");
        let repo = t.repo();
        let id = TestRepo::id(c1);
        repo.create_tag("v1.0.0", id, "Release 1.0.0").unwrap();
        let reference = t.git.find_reference("refs/tags/v1.0.0").unwrap();
        let tag = reference.peel_to_tag().unwrap();
        assert_eq!(tag.message(), Some("Release 1.0.0\n"));
        assert_eq!(tag.tagger().unwrap().email(), Some("test@example.com"));
        assert_eq!(tag.target_id(), c1);
        assert_eq!(repo.tag_target("v1.0.0"), Some(id));

        let err = repo.create_tag("v1.0.0", id, "again").unwrap_err();
        assert!(
            matches!(&err, Error::TagExists { name, target: Some(t) } if name == "v1.0.0" && *t == id)
        );
        assert!(err.hint().unwrap().contains("git tag -d v1.0.0"));
    }

    #[test]
    fn a_lock_file_is_named_in_the_error() {
        let t = TestRepo::new();
        t.write("a.txt", "a");
        let c1 = t.commit("one");
        std::fs::create_dir_all(t.git.path().join("refs/tags")).unwrap();
        std::fs::write(t.git.path().join("refs/tags/v1.1.0.lock"), "").unwrap();
        let err = t
            .repo()
            .create_tag("v1.1.0", TestRepo::id(c1), "m")
            .unwrap_err();
        let Error::Locked { action, path } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(action, "create tag `v1.1.0`");
        assert!(path.ends_with("refs/tags/v1.1.0.lock"), "{path}");
        assert!(err.hint().unwrap().contains("v1.1.0.lock"));
    }

    #[test]
    fn checkpoint_restores_index_and_refs_exactly() {
        let t = TestRepo::new();
        t.write("a.txt", "a");
        t.commit("one");
        let repo = t.repo();
        let checkpoint = repo.checkpoint().unwrap();
        let before = checkpoint.files.clone();
        t.write("a.txt", "b");
        repo.commit_paths(&["a.txt".to_owned()], "two").unwrap();
        repo.restore(&checkpoint).unwrap();
        let after = repo.checkpoint().unwrap().files;
        assert_eq!(before, after);
        assert_eq!(repo.dirty_paths().unwrap(), ["a.txt"]);
    }
}
