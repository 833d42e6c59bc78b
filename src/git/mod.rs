//! Reading and writing the repository. The only importer of `git2`; nothing here ever runs the
//! `git` binary.
//!
//! Revisions are read straight from git objects (no checkout, no temp files): [`tree`] reads a
//! commit's files as blobs, [`tags`] finds release tags. Writing (commit, tag, and restoring a
//! checkpoint after a failed release) lives in [`write`] alone.

pub mod tags;
pub mod tree;
pub mod write;

use std::fmt;
use std::path::{Path, PathBuf};

pub use tags::{DEFAULT_FORMAT as DEFAULT_TAG_FORMAT, ReleaseTag, version_part};
pub use tree::{BlobId, SharedReads, Snapshot};
pub use write::Checkpoint;

/// Why a git operation failed. Each variant names the ref, tag or path involved.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("`{}` is not inside a git repository", .0.display())]
    NotARepo(PathBuf),
    #[error("`{}` is a bare repository; bumpwise needs a working tree", .0.display())]
    Bare(PathBuf),
    #[error("unknown revision `{rev}`{}", shallow_note(*.shallow, " (this is a shallow clone, so it may not have been fetched)"))]
    UnknownRef { rev: String, shallow: bool },
    #[error("no release tag reachable from `{to}` (looked for {patterns}){}", shallow_note(*.shallow, "; this is a shallow clone, so the tag may not have been fetched"))]
    NoReleaseTag {
        to: String,
        patterns: String,
        shallow: bool,
    },
    #[error("`HEAD` has no commits yet")]
    NoCommits,
    #[error("the repository is a shallow clone: its history and tags may be incomplete")]
    Shallow,
    #[error("`HEAD` is detached (not on a branch), so there is no branch to commit the release on")]
    DetachedHead,
    #[error("a {operation} is in progress")]
    InProgress { operation: String },
    #[error("no git identity: {} not set", quoted(.missing).join(" and "))]
    NoIdentity { missing: Vec<String> },
    #[error("the working tree has uncommitted changes: {}", list_paths(.paths))]
    Dirty { paths: Vec<String> },
    #[error("tag `{name}` already exists{}", .target.map(|t| format!(" (on commit {t})")).unwrap_or_default())]
    TagExists {
        name: String,
        target: Option<CommitId>,
    },
    #[error("`{path}` is not a file of the repository's working tree")]
    OutsideWorktree { path: String },
    #[error("could not read `{path}`: {message}")]
    Read { path: String, message: String },
    #[error("could not {action}: `{path}` is locked by another git process")]
    Locked { action: String, path: String },
    #[error("git could not {action}: {message}")]
    Git { action: String, message: String },
}

/// At most this many paths go into a message; the rest are counted.
const LISTED_PATHS: usize = 10;

fn quoted(names: &[String]) -> Vec<String> {
    names.iter().map(|n| format!("`{n}`")).collect()
}

fn shallow_note(shallow: bool, note: &'static str) -> &'static str {
    if shallow { note } else { "" }
}

fn list_paths(paths: &[String]) -> String {
    let shown = &paths[..paths.len().min(LISTED_PATHS)];
    let mut text = quoted(shown).join(", ");
    if paths.len() > LISTED_PATHS {
        text.push_str(&format!(" and {} more", paths.len() - LISTED_PATHS));
    }
    text
}

const UNSHALLOW: &str = "fetch the full history and the tags (`git fetch --unshallow --tags`; in GitHub Actions set `fetch-depth: 0` on actions/checkout)";

impl Error {
    /// What the user can do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            Error::NotARepo(_) => {
                "run bumpwise inside a git repository, or pass `--repo <DIR>`".to_owned()
            }
            Error::Bare(_) => "run bumpwise in a clone with a working tree".to_owned(),
            Error::UnknownRef { shallow: true, .. } => UNSHALLOW.to_owned(),
            Error::UnknownRef { .. } => {
                "check the name (`git tag --list`, `git branch --all`), or fetch it (`git fetch --tags`)"
                    .to_owned()
            }
            Error::NoReleaseTag { shallow: true, .. } => format!(
                "{UNSHALLOW}, tag the last release (`git tag v1.0.0 <commit>`), or pass `--from <ref>`"
            ),
            Error::NoReleaseTag { .. } => "fetch the tags (`git fetch --tags`; in GitHub Actions `fetch-depth: 0`), tag the last release (`git tag v1.0.0 <commit>`), or pass `--from <ref>`".to_owned(),
            Error::NoCommits => "commit the project first".to_owned(),
            Error::Shallow => UNSHALLOW.to_owned(),
            Error::DetachedHead => {
                "check out the branch to release (`git switch main`), or pass `--no-commit`"
                    .to_owned()
            }
            Error::InProgress { operation } => {
                format!("finish or abort the {operation} first (`git status` says how)")
            }
            Error::NoIdentity { .. } => "set it for this repository with `git config user.name \"Your Name\"` and `git config user.email \"you@example.com\"` (add `--global` to set it for every repository)".to_owned(),
            Error::Dirty { .. } => {
                "commit or stash the changes (`git stash --include-untracked`), or pass `--allow-dirty`"
                    .to_owned()
            }
            Error::TagExists { name, .. } => format!(
                "if this version is already released there is nothing to do; otherwise set a higher version, or delete the tag (`git tag -d {name}`)"
            ),
            Error::OutsideWorktree { .. } => {
                "paths must be relative to the repository root and stay inside it".to_owned()
            }
            Error::Locked { path, .. } => format!(
                "another git command may be running; if none is, delete the stale lock file `{path}`"
            ),
            Error::Read { .. } | Error::Git { .. } => return None,
        };
        Some(hint)
    }
}

/// Maps a git2 error to [`Error::Git`] (or [`Error::Locked`]), saying what we were doing.
fn git_error(action: impl Into<String>) -> impl FnOnce(git2::Error) -> Error {
    move |e| {
        let action = action.into();
        if e.code() == git2::ErrorCode::Locked {
            // libgit2 names the lock file in its message: "failed to lock file '<path>' ...".
            let path = e
                .message()
                .split('\'')
                .nth(1)
                .unwrap_or("the .lock file")
                .to_owned();
            Error::Locked { action, path }
        } else {
            Error::Git {
                action,
                message: e.message().to_owned(),
            }
        }
    }
}

/// A commit, by id. Displays as the short (7-digit) hex id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitId(git2::Oid);

impl CommitId {
    /// The full 40-digit hex id.
    pub fn hex(&self) -> String {
        self.0.to_string()
    }
}

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.0.to_string();
        f.write_str(&hex[..7.min(hex.len())])
    }
}

/// An open repository.
pub struct Repo {
    inner: git2::Repository,
    root: PathBuf,
    /// Read the identity from the repository's own config only, ignoring `~/.gitconfig`, so
    /// that unit tests do not depend on the machine they run on.
    local_config_only: bool,
}

impl Repo {
    /// Finds the repository containing `dir`.
    pub fn discover(dir: &Path) -> Result<Repo, Error> {
        // libgit2 re-hashes every object it reads (SHA-1 with collision detection), which
        // doubles the cost of reading a package's blobs; git itself does not, and neither do
        // we. This is a process-wide switch.
        static FAST_READS: std::sync::Once = std::sync::Once::new();
        FAST_READS.call_once(|| git2::opts::strict_hash_verification(false));
        let inner =
            git2::Repository::discover(dir).map_err(|_| Error::NotARepo(dir.to_path_buf()))?;
        let root = inner
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| inner.path().to_path_buf());
        Ok(Repo {
            inner,
            root,
            local_config_only: false,
        })
    }

    /// Opens the repository at `dir` with the machine's global git config ignored.
    #[cfg(test)]
    pub(crate) fn open_isolated(dir: &Path) -> Repo {
        let mut repo = Repo::discover(dir).expect("test repository");
        repo.local_config_only = true;
        repo
    }

    /// The working tree's root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The working tree's root, or [`Error::Bare`].
    fn workdir(&self) -> Result<&Path, Error> {
        self.inner
            .workdir()
            .ok_or_else(|| Error::Bare(self.root.clone()))
    }

    /// Whether the repository is a shallow clone (its history stops at some commits).
    pub fn is_shallow(&self) -> bool {
        self.inner.is_shallow()
    }

    /// Resolves any revspec (branch, tag, sha, `HEAD~2`) to a commit; tags are peeled.
    pub fn resolve(&self, rev: &str) -> Result<CommitId, Error> {
        let unknown = || Error::UnknownRef {
            rev: rev.to_owned(),
            shallow: self.is_shallow(),
        };
        if rev == "HEAD" {
            return self.head();
        }
        let object = self.inner.revparse_single(rev).map_err(|_| unknown())?;
        let commit = object.peel_to_commit().map_err(|_| unknown())?;
        Ok(CommitId(commit.id()))
    }

    /// The commit `HEAD` points at.
    pub fn head(&self) -> Result<CommitId, Error> {
        match self.inner.head() {
            Ok(head) => head
                .peel_to_commit()
                .map(|c| CommitId(c.id()))
                .map_err(git_error("read the commit at `HEAD`")),
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => Err(Error::NoCommits),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Err(Error::NoCommits),
            Err(e) => Err(git_error("read `HEAD`")(e)),
        }
    }

    /// The branch `HEAD` is on (`main`), or `None` when `HEAD` is detached. A branch with no
    /// commits yet counts.
    pub fn head_branch(&self) -> Result<Option<String>, Error> {
        let head = self
            .inner
            .find_reference("HEAD")
            .map_err(git_error("read `HEAD`"))?;
        Ok(head
            .symbolic_target()
            .map(|t| t.strip_prefix("refs/heads/").unwrap_or(t).to_owned()))
    }

    /// The name of an operation left half-done (`merge`, `rebase`, ...), if any: committing in
    /// the middle of one would make a commit the user did not mean.
    pub fn in_progress(&self) -> Option<&'static str> {
        use git2::RepositoryState as S;
        match self.inner.state() {
            S::Clean => None,
            S::Merge => Some("merge"),
            S::Revert | S::RevertSequence => Some("revert"),
            S::CherryPick | S::CherryPickSequence => Some("cherry-pick"),
            S::Bisect => Some("bisect"),
            S::Rebase | S::RebaseInteractive | S::RebaseMerge => Some("rebase"),
            S::ApplyMailbox | S::ApplyMailboxOrRebase => Some("`git am`"),
        }
    }

    /// The layered git config (repository, global, system), as git itself reads it.
    fn config(&self) -> Result<git2::Config, Error> {
        let config = self
            .inner
            .config()
            .map_err(git_error("read the git config"))?;
        if self.local_config_only {
            return config
                .open_level(git2::ConfigLevel::Local)
                .map_err(git_error("read the repository's git config"));
        }
        Ok(config)
    }

    /// `user.name` and `user.email` from the git config, or [`Error::NoIdentity`].
    pub fn identity(&self) -> Result<(String, String), Error> {
        let config = self.config()?;
        let get = |key: &str| config.get_string(key).ok().filter(|v| !v.trim().is_empty());
        match (get("user.name"), get("user.email")) {
            (Some(name), Some(email)) => Ok((name, email)),
            (name, email) => Err(Error::NoIdentity {
                missing: [
                    ("user.name", name.is_none()),
                    ("user.email", email.is_none()),
                ]
                .into_iter()
                .filter(|(_, missing)| *missing)
                .map(|(key, _)| key.to_owned())
                .collect(),
            }),
        }
    }

    /// Paths that differ from `HEAD`: modified, staged, deleted, and untracked files that git
    /// does not ignore. Sorted, repo-relative, with `/`.
    pub fn dirty_paths(&self) -> Result<Vec<String>, Error> {
        self.workdir()?;
        let mut options = git2::StatusOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .exclude_submodules(false);
        let statuses = self
            .inner
            .statuses(Some(&mut options))
            .map_err(git_error("read the working tree's status"))?;
        let mut paths: Vec<String> = statuses
            .iter()
            .filter(|e| {
                let s = e.status();
                s != git2::Status::CURRENT && !s.contains(git2::Status::IGNORED)
            })
            .map(|e| String::from_utf8_lossy(e.path_bytes()).into_owned())
            .collect();
        paths.sort();
        paths.dedup();
        Ok(paths)
    }

    /// Whether a tag of that name exists.
    pub fn tag_exists(&self, name: &str) -> bool {
        self.inner
            .find_reference(&format!("refs/tags/{name}"))
            .is_ok()
    }

    /// The commit a tag points at (annotated tags peeled), or `None` when there is no such tag
    /// or it does not point at a commit.
    pub fn tag_target(&self, name: &str) -> Option<CommitId> {
        self.inner
            .find_reference(&format!("refs/tags/{name}"))
            .ok()?
            .peel_to_commit()
            .ok()
            .map(|c| CommitId(c.id()))
    }

    /// The subject (first line) of every commit reachable from `to` but not from `from`, oldest
    /// first: what went into a release.
    pub fn commit_subjects(&self, from: CommitId, to: CommitId) -> Result<Vec<String>, Error> {
        let action = || format!("list the commits between {from} and {to}");
        let mut walk = self.inner.revwalk().map_err(git_error(action()))?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
            .map_err(git_error(action()))?;
        walk.push(to.0).map_err(git_error(action()))?;
        walk.hide(from.0).map_err(git_error(action()))?;
        let mut subjects = Vec::new();
        for oid in walk {
            let oid = oid.map_err(git_error(action()))?;
            let commit = self.inner.find_commit(oid).map_err(git_error(action()))?;
            // `summary` is git's `%s`: the first paragraph, its lines joined.
            let subject = commit
                .summary_bytes()
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .unwrap_or_default();
            subjects.push(subject);
        }
        Ok(subjects)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Real repositories in temp dirs, built with git2 (never the `git` binary).

    use std::path::Path;

    use tempfile::TempDir;

    use super::{CommitId, Repo};

    /// A repository in a temp dir, with a local identity and one helper per operation.
    pub struct TestRepo {
        pub dir: TempDir,
        pub git: git2::Repository,
    }

    impl TestRepo {
        /// An empty repository on branch `main`, identity `Test <test@example.com>`.
        pub fn new() -> TestRepo {
            let repo = TestRepo::without_identity();
            let mut config = repo
                .git
                .config()
                .unwrap()
                .open_level(git2::ConfigLevel::Local)
                .unwrap();
            config.set_str("user.name", "Test").unwrap();
            config.set_str("user.email", "test@example.com").unwrap();
            repo
        }

        /// An empty repository on branch `main` without any identity in its config.
        pub fn without_identity() -> TestRepo {
            let dir = TempDir::new().unwrap();
            let mut opts = git2::RepositoryInitOptions::new();
            opts.initial_head("main");
            let git = git2::Repository::init_opts(dir.path(), &opts).unwrap();
            TestRepo { dir, git }
        }

        pub fn path(&self) -> &Path {
            self.dir.path()
        }

        /// The bumpwise view of this repository (global git config ignored).
        pub fn repo(&self) -> Repo {
            Repo::open_isolated(self.dir.path())
        }

        /// Writes a file in the working tree, creating directories.
        pub fn write(&self, path: &str, text: &str) {
            let full = self.dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }

        /// Stages everything (including deletions) and commits on HEAD, at `time` seconds.
        pub fn commit_at(&self, message: &str, time: i64) -> git2::Oid {
            let mut index = self.git.index().unwrap();
            index
                .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
                .unwrap();
            index.update_all(["*"], None).unwrap();
            index.write().unwrap();
            let tree = self.git.find_tree(index.write_tree().unwrap()).unwrap();
            let sig = git2::Signature::new("Test", "test@example.com", &git2::Time::new(time, 0))
                .unwrap();
            let parents: Vec<git2::Commit> = match self.git.head() {
                Ok(h) => vec![h.peel_to_commit().unwrap()],
                Err(_) => vec![],
            };
            let parents: Vec<&git2::Commit> = parents.iter().collect();
            self.git
                .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
                .unwrap()
        }

        pub fn commit(&self, message: &str) -> git2::Oid {
            self.commit_at(message, 1_700_000_000)
        }

        /// A lightweight tag on `target`.
        pub fn tag_light(&self, name: &str, target: git2::Oid) {
            let obj = self.git.find_object(target, None).unwrap();
            self.git.tag_lightweight(name, &obj, false).unwrap();
        }

        /// An annotated tag on `target`, tagged at `time` seconds.
        pub fn tag_annotated_at(&self, name: &str, target: git2::Oid, time: i64) {
            let obj = self.git.find_object(target, None).unwrap();
            let sig = git2::Signature::new("Test", "test@example.com", &git2::Time::new(time, 0))
                .unwrap();
            self.git.tag(name, &obj, &sig, name, false).unwrap();
        }

        /// Marks the repository shallow at `commit`, as `git clone --depth` does.
        pub fn make_shallow(&self, commit: git2::Oid) {
            std::fs::write(self.git.path().join("shallow"), format!("{commit}\n")).unwrap();
        }

        pub fn id(oid: git2::Oid) -> CommitId {
            CommitId(oid)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::TestRepo;
    use super::*;

    #[test]
    fn resolve_branch_tag_sha_and_relative() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        t.write("a.txt", "2");
        let c2 = t.commit("two");
        t.write("a.txt", "3");
        let c3 = t.commit("three");
        t.tag_annotated_at("v1.0.0", c1, 1);
        let repo = t.repo();
        assert_eq!(repo.resolve("main").unwrap(), TestRepo::id(c3));
        assert_eq!(repo.resolve("HEAD~1").unwrap(), TestRepo::id(c2));
        assert_eq!(repo.resolve("v1.0.0").unwrap(), TestRepo::id(c1));
        assert_eq!(repo.resolve(&c2.to_string()).unwrap(), TestRepo::id(c2));
        assert_eq!(repo.head().unwrap(), TestRepo::id(c3));
        assert_eq!(TestRepo::id(c3).to_string(), c3.to_string()[..7]);
        assert_eq!(TestRepo::id(c3).hex(), c3.to_string());
    }

    #[test]
    fn unknown_ref_names_it_and_mentions_shallow() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        let err = t.repo().resolve("v9.9.9").unwrap_err();
        assert!(matches!(&err, Error::UnknownRef { rev, shallow: false } if rev == "v9.9.9"));
        assert_eq!(err.to_string(), "unknown revision `v9.9.9`");

        t.make_shallow(c1);
        let repo = t.repo();
        assert!(repo.is_shallow());
        let err = repo.resolve("v9.9.9").unwrap_err();
        assert!(matches!(err, Error::UnknownRef { shallow: true, .. }));
        assert!(err.to_string().contains("shallow clone"));
        assert!(err.hint().unwrap().contains("git fetch --unshallow"));
    }

    #[test]
    fn shallow_detection() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        assert!(!t.repo().is_shallow());
        t.make_shallow(c1);
        assert!(t.repo().is_shallow());
    }

    #[test]
    fn empty_repository_has_no_head_commit_but_a_branch() {
        let t = TestRepo::new();
        let repo = t.repo();
        assert!(matches!(repo.head(), Err(Error::NoCommits)));
        assert!(matches!(repo.resolve("HEAD"), Err(Error::NoCommits)));
        assert_eq!(repo.head_branch().unwrap().as_deref(), Some("main"));
    }

    #[test]
    fn head_branch_none_when_detached() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        assert_eq!(t.repo().head_branch().unwrap().as_deref(), Some("main"));
        t.git.set_head_detached(c1).unwrap();
        assert_eq!(t.repo().head_branch().unwrap(), None);
    }

    #[test]
    fn dirty_paths_lists_modified_staged_untracked_not_ignored() {
        let t = TestRepo::new();
        t.write(".gitignore", "*.log\nbuild/\n");
        t.write("a.txt", "1");
        t.write("b.txt", "1");
        t.write("gone.txt", "1");
        t.commit("one");
        let repo = t.repo();
        assert_eq!(repo.dirty_paths().unwrap(), Vec::<String>::new());

        t.write("a.txt", "modified");
        t.write("b.txt", "staged");
        let mut index = t.git.index().unwrap();
        index.add_path(Path::new("b.txt")).unwrap();
        index.write().unwrap();
        std::fs::remove_file(t.path().join("gone.txt")).unwrap();
        t.write("new/deep/c.txt", "untracked");
        t.write("debug.log", "ignored");
        t.write("build/out.txt", "ignored");
        assert_eq!(
            repo.dirty_paths().unwrap(),
            ["a.txt", "b.txt", "gone.txt", "new/deep/c.txt"]
        );
    }

    #[test]
    fn identity_from_config_or_a_clear_error() {
        let t = TestRepo::new();
        assert_eq!(
            t.repo().identity().unwrap(),
            ("Test".to_owned(), "test@example.com".to_owned())
        );
        let t = TestRepo::without_identity();
        let err = t.repo().identity().unwrap_err();
        assert!(
            matches!(&err, Error::NoIdentity { missing } if missing == &["user.name", "user.email"])
        );
        assert_eq!(
            err.to_string(),
            "no git identity: `user.name` and `user.email` not set"
        );
        let hint = err.hint().unwrap();
        assert!(hint.contains("git config user.name \"Your Name\""));
        assert!(hint.contains("git config user.email \"you@example.com\""));
    }

    #[test]
    fn tag_exists_and_target_peel_annotated_tags() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        t.tag_annotated_at("v1.0.0", c1, 5);
        t.tag_light("light", c1);
        let repo = t.repo();
        assert!(repo.tag_exists("v1.0.0"));
        assert!(repo.tag_exists("light"));
        assert!(!repo.tag_exists("v2.0.0"));
        assert_eq!(repo.tag_target("v1.0.0"), Some(TestRepo::id(c1)));
        assert_eq!(repo.tag_target("light"), Some(TestRepo::id(c1)));
        assert_eq!(repo.tag_target("v2.0.0"), None);
    }

    #[test]
    fn commit_subjects_oldest_first_excluding_from() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        t.write("a.txt", "2");
        t.commit("two\n\nbody text");
        t.write("a.txt", "3");
        let c3 = t.commit("three\ncontinued");
        let subjects = t
            .repo()
            .commit_subjects(TestRepo::id(c1), TestRepo::id(c3))
            .unwrap();
        assert_eq!(subjects, ["two", "three continued"]);
    }

    #[test]
    fn long_path_lists_are_counted() {
        let paths: Vec<String> = (0..12).map(|i| format!("f{i:02}")).collect();
        let err = Error::Dirty { paths };
        assert_eq!(
            err.to_string(),
            "the working tree has uncommitted changes: `f00`, `f01`, `f02`, `f03`, `f04`, `f05`, `f06`, `f07`, `f08`, `f09` and 2 more"
        );
    }

    #[test]
    fn in_progress_merge_is_reported() {
        let t = TestRepo::new();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        assert_eq!(t.repo().in_progress(), None);
        std::fs::write(t.git.path().join("MERGE_HEAD"), format!("{c1}\n")).unwrap();
        assert_eq!(t.repo().in_progress(), Some("merge"));
    }
}
