//! Cutting a release: [`plan`] decides everything a release will do as data, [`preflight`]
//! checks the repository, and [`apply`] writes the files, commits and tags as one transaction.
//!
//! A release holds a lock ([`lock`]) from before planning to the end, and [`guard`] decides
//! what a signal or an injected test fault does between two steps of [`apply`].
//!
//! The plan is pure (table-tested without git); the dry run is a renderer of it in
//! `crate::report`. This module never imports `git2`: every repository operation goes through
//! [`crate::git::Repo`].

use std::path::{Component, Path, PathBuf};

pub mod guard;
pub mod lock;
mod plan;

pub use guard::Step;
pub use lock::ReleaseLock;

use crate::git::{self, CommitId, ReleaseTag, Repo};
use crate::version::pep440::Version;

pub(crate) use plan::{Basis, Input, Outcome, Planned, Request, changelog_path, plan};

/// One file a release writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEdit {
    /// Repo-relative path, with `/`.
    pub path: String,
    /// The file's exact text when the plan was made; `None` for a file the release creates.
    /// [`apply`] refuses to run when the disk no longer matches.
    pub before: Option<String>,
    /// The text to write.
    pub after: String,
}

/// Everything a release will do, computed before anything is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The version being released.
    pub version: String,
    /// The version of the last release, `None` for a first release.
    pub previous_version: Option<String>,
    pub edits: Vec<FileEdit>,
    /// The commit message; `None` leaves the files uncommitted (`--no-commit`).
    pub commit_message: Option<String>,
    /// The annotated tags: name and message; none for `--no-tag`. One release tags one
    /// project; `release --all` tags each member it releases.
    pub tags: Vec<(String, String)>,
}

/// What [`preflight`] must check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preflight {
    /// `--allow-dirty`: uncommitted changes are not a problem.
    pub allow_dirty: bool,
    /// The release makes a commit (so it needs a branch and an identity).
    pub need_commit: bool,
    /// The tags the release would create.
    pub tags: Vec<String>,
    /// The release tag the changes are measured from, when one was found. In a shallow clone
    /// its absence is a problem: the tag may simply not have been fetched.
    pub base_tag: Option<String>,
}

/// One reason not to release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl From<git::Error> for Problem {
    fn from(e: git::Error) -> Problem {
        Problem {
            message: e.to_string(),
            hint: e.hint(),
        }
    }
}

impl From<&crate::Error> for Problem {
    fn from(e: &crate::Error) -> Problem {
        Problem {
            message: e.to_string(),
            hint: e.hint(),
        }
    }
}

/// What [`apply`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The files written, in plan order.
    pub written: Vec<String>,
    /// The release commit, unless `--no-commit` (or nothing to commit).
    pub commit: Option<CommitId>,
    /// The tags created, and the commit they point at.
    pub tags: Vec<(String, CommitId)>,
}

/// Why a release could not be applied. Except for [`Error::RollbackFailed`], the repository
/// and the files are exactly as they were.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Git(#[from] git::Error),
    #[error("`{path}` changed since the release was planned")]
    Changed { path: String },
    #[error(
        "the release plan writes `{path}`, which is (or links to) a place outside the repository"
    )]
    OutsideRepo { path: String },
    #[error("the release plan writes `{path}` twice")]
    DuplicateEdit { path: String },
    #[error("could not write `{path}`: {message}")]
    Write { path: String, message: String },
    #[error("another bumpwise release is running{}", .pid.map(|p| format!(" (pid {p})")).unwrap_or_default())]
    Busy { pid: Option<u32>, path: String },
    #[error("interrupted by {}: the release was undone", guard::signal_name(*.signal))]
    Interrupted { signal: i32 },
    /// `BUMPWISE_TEST_FAULT`, for tests only.
    #[error(
        "injected test fault after step `{step}` (`BUMPWISE_TEST_FAULT`): the release was undone"
    )]
    Injected { step: Step },
    #[error("{cause}; undoing the release failed too: {}", .problems.join("; "))]
    RollbackFailed {
        cause: Box<Error>,
        problems: Vec<String>,
    },
}

impl Error {
    /// What the user can do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Git(e) => e.hint(),
            Error::Changed { .. } => Some("run the release again".to_owned()),
            Error::Busy { path, .. } => Some(format!(
                "wait for it to finish; if none is running, delete `{path}`"
            )),
            Error::RollbackFailed { .. } => Some(
                "check `git status` and `git log`, and restore the files named above by hand"
                    .to_owned(),
            ),
            Error::OutsideRepo { .. } => Some(
                "bumpwise writes only inside the repository, never through a link that leads out \
                 of it: replace the link with the file itself, or point the setting at a file in \
                 the repository"
                    .to_owned(),
            ),
            Error::DuplicateEdit { .. }
            | Error::Write { .. }
            | Error::Interrupted { .. }
            | Error::Injected { .. } => None,
        }
    }
}

/// Runs every check and returns every failure, so the user fixes them all in one go (as
/// cargo-release does). An empty list means the release may go ahead.
pub fn preflight(repo: &Repo, p: &Preflight) -> Vec<Problem> {
    let mut problems = Vec::new();
    if repo.is_shallow() {
        let base_present = p
            .base_tag
            .as_deref()
            .is_some_and(|t| repo.tag_target(t).is_some());
        if !base_present {
            let mut problem = Problem::from(git::Error::Shallow);
            if let Some(tag) = &p.base_tag {
                problem.message = format!(
                    "the repository is a shallow clone and the release tag `{tag}` is not in it"
                );
            }
            problems.push(problem);
        }
    }
    if let Some(operation) = repo.in_progress() {
        problems.push(
            git::Error::InProgress {
                operation: operation.to_owned(),
            }
            .into(),
        );
    }
    if let Err(e) = repo.head() {
        problems.push(e.into());
    }
    if p.need_commit {
        match repo.head_branch() {
            Ok(Some(_)) => {}
            Ok(None) => problems.push(git::Error::DetachedHead.into()),
            Err(e) => problems.push(e.into()),
        }
    }
    if !p.allow_dirty {
        match repo.dirty_paths() {
            Ok(paths) if paths.is_empty() => {}
            Ok(paths) => problems.push(git::Error::Dirty { paths }.into()),
            Err(e) => problems.push(e.into()),
        }
    }
    for tag in p.tags.iter().filter(|t| repo.tag_exists(t)) {
        problems.push(
            git::Error::TagExists {
                name: tag.clone(),
                target: repo.tag_target(tag),
            }
            .into(),
        );
    }
    if (p.need_commit || !p.tags.is_empty())
        && let Err(e) = repo.identity()
    {
        problems.push(e.into());
    }
    problems
}

/// The release tag on `HEAD` itself, if any: the release was already made (a re-run after a
/// half-failed CI job, say), and there is nothing left to do. The newest by version when
/// there are several.
pub fn already_released(
    repo: &Repo,
    tag_format: &str,
) -> Result<Option<ReleaseTag<Version>>, git::Error> {
    let head = repo.head()?;
    Ok(repo
        .release_tags(tag_format, Some(head), |s| s.parse::<Version>().ok())?
        .into_iter()
        .find(|t| t.commit == head))
}

/// A path the plan may read and write: relative, inside the repository, and not through a
/// link that leads out of it.
pub(crate) fn checked_path(root: &Path, path: &str) -> Result<PathBuf, Error> {
    let rel = Path::new(path);
    let inside = !path.is_empty()
        && rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && !rel.starts_with(".git");
    let outside = || Error::OutsideRepo {
        path: path.to_owned(),
    };
    if !inside {
        return Err(outside());
    }
    let full = root.join(rel);
    // A symbolic link on the way (the file, or a folder above it) may lead out of the
    // repository, and a write follows links: resolve what exists and check where it lands.
    let mut existing = full.as_path();
    let mut missing = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name);
                existing = parent;
            }
            _ => return Err(outside()),
        }
    }
    let (Ok(real_root), Ok(mut real)) = (root.canonicalize(), existing.canonicalize()) else {
        // A dangling link, or a folder we may not read: nothing to write through safely.
        return Err(outside());
    };
    real.extend(missing.iter().rev());
    if real.starts_with(&real_root) && !real.starts_with(real_root.join(".git")) {
        Ok(full)
    } else {
        Err(outside())
    }
}

fn read_optional(path: &str, full: &Path) -> Result<Option<Vec<u8>>, Error> {
    match std::fs::read(full) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(git::Error::Read {
            path: path.to_owned(),
            message: e.to_string(),
        }
        .into()),
    }
}

/// What the transaction changed so far, to undo it.
#[derive(Default)]
struct Undo {
    /// Files written, with their bytes before (`None`: the file did not exist).
    files: Vec<(PathBuf, Option<Vec<u8>>)>,
    /// Directories created for new files, outermost first.
    dirs: Vec<PathBuf>,
    /// The tags this release created.
    tags: Vec<String>,
}

/// Writes the files, commits and tags, all or nothing.
///
/// Before writing, it checks that every file still has its planned `before` text and that
/// the tag does not exist, and records the files, the index and `HEAD`'s branch. If any step
/// fails, it restores the files (deleting created ones), the index and the refs byte for
/// byte, deletes the tag if it created it, and returns the error. Objects written meanwhile
/// stay in the object store unreferenced, where `git gc` removes them.
///
/// A commit is made only when the plan has a commit message and edits; the tag goes on the
/// release commit, or on `HEAD` when there is none.
///
/// After each step (each file, the index, the commit, each tag) it runs [`guard::check`]: a
/// caught signal or an injected test fault undoes everything as any failure does.
pub fn apply(repo: &Repo, plan: &Plan) -> Result<Applied, Error> {
    apply_with(repo, plan, &mut guard::check)
}

/// [`apply`], with `after` run after each step: an error from it undoes the release. It also
/// sees [`Step::Rollback`] before the undo, whose result is ignored: nothing stops an undo.
pub(crate) fn apply_with(
    repo: &Repo,
    plan: &Plan,
    after: &mut dyn FnMut(Step) -> Result<(), Error>,
) -> Result<Applied, Error> {
    let root = repo.root().to_path_buf();
    let mut targets = Vec::with_capacity(plan.edits.len());
    for edit in &plan.edits {
        let full = checked_path(&root, &edit.path)?;
        if targets.iter().any(|(_, f, _)| f == &full) {
            return Err(Error::DuplicateEdit {
                path: edit.path.clone(),
            });
        }
        let current = read_optional(&edit.path, &full)?;
        if current.as_deref() != edit.before.as_deref().map(str::as_bytes) {
            return Err(Error::Changed {
                path: edit.path.clone(),
            });
        }
        targets.push((edit, full, current));
    }
    if let Some((name, _)) = plan.tags.iter().find(|(name, _)| repo.tag_exists(name)) {
        return Err(git::Error::TagExists {
            name: name.clone(),
            target: repo.tag_target(name),
        }
        .into());
    }
    let checkpoint = repo.checkpoint()?;
    let mut undo = Undo::default();
    // From here to the end of the undo, a signal only sets the flag `after` reads.
    let _applying = guard::applying();

    let result = (|| -> Result<Applied, Error> {
        for (n, (edit, full, current)) in targets.iter().enumerate() {
            if let Some(parent) = full.parent() {
                create_dirs(parent, &mut undo.dirs).map_err(|e| Error::Write {
                    path: edit.path.clone(),
                    message: e.to_string(),
                })?;
            }
            // Recorded before writing: a write that fails half-way must be undone too.
            undo.files.push((full.clone(), current.clone()));
            std::fs::write(full, &edit.after).map_err(|e| Error::Write {
                path: edit.path.clone(),
                message: e.to_string(),
            })?;
            after(Step::Write(n + 1))?;
        }
        let written: Vec<String> = plan.edits.iter().map(|e| e.path.clone()).collect();
        let commit = match &plan.commit_message {
            Some(message) if !written.is_empty() => {
                let staged = repo.stage_paths(&written)?;
                after(Step::Index)?;
                let commit = repo.commit_staged(&staged, message)?;
                after(Step::Commit)?;
                Some(commit)
            }
            _ => None,
        };
        let mut tags = Vec::new();
        if !plan.tags.is_empty() {
            let target = match commit {
                Some(c) => c,
                None => repo.head()?,
            };
            for (n, (name, message)) in plan.tags.iter().enumerate() {
                repo.create_tag(name, target, message)?;
                undo.tags.push(name.clone());
                tags.push((name.clone(), target));
                after(Step::Tag(n + 1))?;
            }
        }
        Ok(Applied {
            written,
            commit,
            tags,
        })
    })();

    match result {
        Ok(applied) => Ok(applied),
        Err(cause) => {
            let _ = after(Step::Rollback);
            match rollback(repo, &checkpoint, undo) {
                Ok(()) => Err(cause),
                Err(problems) => Err(Error::RollbackFailed {
                    cause: Box::new(cause),
                    problems,
                }),
            }
        }
    }
}

/// Creates `dir` and its missing parents, recording each one created (outermost first).
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut missing = Vec::new();
    let mut current = Some(dir);
    while let Some(d) = current {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        current = d.parent();
    }
    for d in missing.into_iter().rev() {
        std::fs::create_dir(&d)?;
        created.push(d);
    }
    Ok(())
}

/// Undoes a failed [`apply`], newest step first, trying every step even when one fails.
fn rollback(repo: &Repo, checkpoint: &git::Checkpoint, undo: Undo) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    for tag in undo.tags.iter().rev() {
        if let Err(e) = repo.delete_tag(tag) {
            problems.push(e.to_string());
        }
    }
    if let Err(failed) = repo.restore(checkpoint) {
        problems.extend(failed);
    }
    for (path, before) in undo.files.iter().rev() {
        let result = match before {
            Some(bytes) => std::fs::write(path, bytes),
            None => match std::fs::remove_file(path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                other => other,
            },
        };
        if let Err(e) = result {
            problems.push(format!("`{}`: {e}", path.display()));
        }
    }
    for dir in undo.dirs.iter().rev() {
        if let Err(e) = std::fs::remove_dir(dir) {
            problems.push(format!("`{}`: {e}", dir.display()));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::git::testing::TestRepo;

    const PYPROJECT: &str = "[project]\nname = \"pkg\"\n# the version\nversion = \"1.0.0\"\ndependencies = [\"other==1.0.0\"]\n";
    const PYPROJECT_NEXT: &str = "[project]\nname = \"pkg\"\n# the version\nversion = \"1.1.0\"\ndependencies = [\"other==1.0.0\"]\n";
    const CHANGELOG: &str = "# Changelog\n\n## [1.1.0] - 2025-01-01\n\n### Added\n\n- `pkg.new`\n";

    /// A released project: pyproject.toml at 1.0.0, tagged `v1.0.0`.
    fn project() -> TestRepo {
        let t = TestRepo::new();
        t.write("pyproject.toml", PYPROJECT);
        t.write("src/pkg/__init__.py", "");
        let c1 = t.commit("initial");
        t.tag_annotated_at("v1.0.0", c1, 1);
        t.write("src/pkg/__init__.py", "def new(): ...\n");
        t.commit("add new");
        t
    }

    /// A release plan for the renderers' tests.
    pub(crate) fn plan() -> Plan {
        Plan {
            version: "1.1.0".to_owned(),
            previous_version: Some("1.0.0".to_owned()),
            edits: vec![
                FileEdit {
                    path: "pyproject.toml".to_owned(),
                    before: Some(PYPROJECT.to_owned()),
                    after: PYPROJECT_NEXT.to_owned(),
                },
                FileEdit {
                    path: "docs/notes/CHANGELOG.md".to_owned(),
                    before: None,
                    after: CHANGELOG.to_owned(),
                },
            ],
            commit_message: Some("release: 1.1.0".to_owned()),
            tags: vec![("v1.1.0".to_owned(), "Release 1.1.0".to_owned())],
        }
    }

    /// Every file and directory under `dir` with its bytes, objects aside (a failed release
    /// may leave unreferenced objects, which change nothing a user or git sees).
    fn fingerprint(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if rel == ".git/objects" {
                    continue;
                }
                if path.is_dir() {
                    out.insert(format!("{rel}/"), None);
                    walk(root, &path, out);
                } else {
                    out.insert(rel, Some(std::fs::read(&path).unwrap()));
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, dir, &mut out);
        out
    }

    #[test]
    fn apply_writes_commits_and_tags() {
        let t = project();
        let repo = t.repo();
        let parent = repo.head().unwrap();
        let applied = apply(&repo, &plan()).unwrap();

        assert_eq!(
            applied.written,
            ["pyproject.toml", "docs/notes/CHANGELOG.md"]
        );
        let commit = applied.commit.unwrap();
        assert_eq!(applied.tags, [("v1.1.0".to_owned(), commit)]);
        assert_eq!(repo.head().unwrap(), commit);
        assert_eq!(
            std::fs::read_to_string(t.path().join("pyproject.toml")).unwrap(),
            PYPROJECT_NEXT
        );
        let c = t
            .git
            .find_commit(t.git.revparse_single("HEAD").unwrap().id())
            .unwrap();
        assert_eq!(c.message(), Some("release: 1.1.0\n"));
        assert_eq!(c.parent_count(), 1);
        assert_eq!(repo.resolve("HEAD~1").unwrap(), parent);
        let snap = repo.snapshot(Some(commit)).unwrap();
        assert_eq!(
            snap.read("docs/notes/CHANGELOG.md").unwrap().unwrap(),
            CHANGELOG.as_bytes()
        );
        let tag = t
            .git
            .find_reference("refs/tags/v1.1.0")
            .unwrap()
            .peel_to_tag()
            .unwrap();
        assert_eq!(tag.message(), Some("Release 1.1.0\n"));
        assert_eq!(repo.tag_target("v1.1.0"), Some(commit));
        assert!(repo.dirty_paths().unwrap().is_empty());
        assert_eq!(
            already_released(&repo, "v{version}")
                .unwrap()
                .map(|t| t.name),
            Some("v1.1.0".to_owned())
        );
    }

    /// Every step `apply` checks, in order, on a successful run of `plan`.
    fn steps_of(plan: &Plan) -> Vec<Step> {
        let t = project();
        let mut seen = Vec::new();
        apply_with(&t.repo(), plan, &mut |step| {
            seen.push(step);
            Ok(())
        })
        .unwrap();
        seen
    }

    /// Issue 13: a failure after any step leaves the repository exactly as it was, whether
    /// the release commits or not, and with one tag or several.
    #[test]
    fn a_fault_after_any_step_is_undone_exactly() {
        let mut two_tags = plan();
        two_tags
            .tags
            .push(("other-v2.0.0".to_owned(), "Release other 2.0.0".to_owned()));
        let mut no_commit = plan();
        no_commit.commit_message = None;
        for (plan, expected) in [
            (
                plan(),
                vec![
                    Step::Write(1),
                    Step::Write(2),
                    Step::Index,
                    Step::Commit,
                    Step::Tag(1),
                ],
            ),
            (
                two_tags,
                vec![
                    Step::Write(1),
                    Step::Write(2),
                    Step::Index,
                    Step::Commit,
                    Step::Tag(1),
                    Step::Tag(2),
                ],
            ),
            (
                no_commit,
                vec![Step::Write(1), Step::Write(2), Step::Tag(1)],
            ),
        ] {
            assert_eq!(steps_of(&plan), expected);
            for fault in expected {
                let t = project();
                // A staged change of the user's must come back staged.
                t.write("src/pkg/extra.py", "x = 1\n");
                let mut index = t.git.index().unwrap();
                index.add_path(Path::new("src/pkg/extra.py")).unwrap();
                index.write().unwrap();
                let before = fingerprint(t.path());
                let repo = t.repo();
                let mut seen = Vec::new();
                let err = apply_with(&repo, &plan, &mut |step| {
                    seen.push(step);
                    if step == fault {
                        Err(Error::Injected { step })
                    } else {
                        Ok(())
                    }
                })
                .unwrap_err();
                assert!(
                    matches!(err, Error::Injected { step } if step == fault),
                    "{fault}: {err:?}"
                );
                assert_eq!(seen.last(), Some(&Step::Rollback), "{fault}");
                assert_eq!(fingerprint(t.path()), before, "after a fault at {fault}");
                assert_eq!(repo.dirty_paths().unwrap(), ["src/pkg/extra.py"]);
            }
        }
    }

    #[test]
    fn an_interruption_is_undone_and_names_the_signal() {
        let t = project();
        let before = fingerprint(t.path());
        let err = apply_with(&t.repo(), &plan(), &mut |step| match step {
            Step::Commit => Err(Error::Interrupted { signal: 15 }),
            _ => Ok(()),
        })
        .unwrap_err();
        assert_eq!(fingerprint(t.path()), before);
        #[cfg(unix)]
        assert_eq!(
            err.to_string(),
            "interrupted by SIGTERM: the release was undone"
        );
    }

    #[test]
    fn apply_without_commit_tags_head_and_leaves_files_uncommitted() {
        let t = project();
        let repo = t.repo();
        let head = repo.head().unwrap();
        let mut plan = plan();
        plan.commit_message = None;
        let applied = apply(&repo, &plan).unwrap();
        assert_eq!(applied.commit, None);
        assert_eq!(applied.tags, [("v1.1.0".to_owned(), head)]);
        assert_eq!(repo.head().unwrap(), head);
        assert_eq!(
            repo.dirty_paths().unwrap(),
            ["docs/notes/CHANGELOG.md", "pyproject.toml"]
        );
    }

    #[test]
    fn apply_rolls_back_everything_when_the_tag_fails() {
        let t = project();
        // Another git process holds the tag's ref lock: the commit succeeds, the tag fails.
        std::fs::create_dir_all(t.git.path().join("refs/tags")).unwrap();
        std::fs::write(t.git.path().join("refs/tags/v1.1.0.lock"), "").unwrap();
        // A staged change of the user's must survive as it was, staged.
        t.write("src/pkg/extra.py", "x = 1\n");
        let mut index = t.git.index().unwrap();
        index.add_path(Path::new("src/pkg/extra.py")).unwrap();
        index.write().unwrap();

        let before = fingerprint(t.path());
        let repo = t.repo();
        let head = repo.head().unwrap();
        let err = apply(&repo, &plan()).unwrap_err();
        assert!(
            matches!(&err, Error::Git(git::Error::Locked { action, .. }) if action == "create tag `v1.1.0`"),
            "{err:?}"
        );
        assert_eq!(fingerprint(t.path()), before);
        assert_eq!(repo.head().unwrap(), head);
        assert!(!repo.tag_exists("v1.1.0"));
        assert_eq!(repo.dirty_paths().unwrap(), ["src/pkg/extra.py"]);
    }

    #[test]
    fn apply_rolls_back_the_files_when_the_commit_fails() {
        let t = TestRepo::without_identity();
        t.write("pyproject.toml", PYPROJECT);
        t.commit("initial");
        let before = fingerprint(t.path());
        let repo = t.repo();
        let err = apply(&repo, &plan()).unwrap_err();
        assert!(matches!(err, Error::Git(git::Error::NoIdentity { .. })));
        assert_eq!(fingerprint(t.path()), before);
    }

    #[test]
    fn apply_refuses_a_tag_that_appeared_after_preflight() {
        let t = project();
        let repo = t.repo();
        let checks = Preflight {
            need_commit: true,
            tags: vec!["v1.1.0".to_owned()],
            ..Preflight::default()
        };
        assert_eq!(preflight(&repo, &checks), []);
        // Someone else tags meanwhile.
        let head = t.git.head().unwrap().target().unwrap();
        t.tag_light("v1.1.0", head);
        let before = fingerprint(t.path());
        let err = apply(&repo, &plan()).unwrap_err();
        assert!(matches!(
            err,
            Error::Git(git::Error::TagExists { ref name, .. }) if name == "v1.1.0"
        ));
        assert_eq!(fingerprint(t.path()), before);
        // Their tag is untouched.
        assert_eq!(repo.tag_target("v1.1.0"), Some(repo.head().unwrap()));
    }

    #[test]
    fn apply_refuses_files_changed_since_planning_and_paths_outside() {
        let t = project();
        t.write("pyproject.toml", "changed");
        let before = fingerprint(t.path());
        let repo = t.repo();
        let err = apply(&repo, &plan()).unwrap_err();
        assert!(matches!(&err, Error::Changed { path } if path == "pyproject.toml"));
        assert_eq!(fingerprint(t.path()), before);

        let mut outside = plan();
        outside.edits[0].path = "../pyproject.toml".to_owned();
        assert!(matches!(
            apply(&repo, &outside),
            Err(Error::OutsideRepo { .. })
        ));
        let mut git_dir = plan();
        git_dir.edits[0].path = ".git/config".to_owned();
        assert!(matches!(
            apply(&repo, &git_dir),
            Err(Error::OutsideRepo { .. })
        ));
        assert_eq!(fingerprint(t.path()), before);
    }

    #[test]
    fn preflight_reports_every_problem_at_once() {
        let t = TestRepo::without_identity();
        t.write("a.txt", "1");
        let c1 = t.commit("one");
        t.write("a.txt", "2");
        let c2 = t.commit("two");
        t.tag_light("v1.1.0", c1);
        t.git.set_head_detached(c2).unwrap();
        t.write("untracked.txt", "x");
        t.write("a.txt", "edited");
        t.make_shallow(c2);

        let repo = t.repo();
        let problems = preflight(
            &repo,
            &Preflight {
                allow_dirty: false,
                need_commit: true,
                tags: vec!["v1.1.0".to_owned()],
                base_tag: Some("v1.0.0".to_owned()),
            },
        );
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        let c1_short = TestRepo::id(c1).to_string();
        assert_eq!(
            messages,
            [
                "the repository is a shallow clone and the release tag `v1.0.0` is not in it",
                "`HEAD` is detached (not on a branch), so there is no branch to commit the release on",
                "the working tree has uncommitted changes: `a.txt`, `untracked.txt`",
                &format!("tag `v1.1.0` already exists (on commit {c1_short})"),
                "no git identity: `user.name` and `user.email` not set",
            ]
        );
        assert!(problems.iter().all(|p| p.hint.is_some()));
        assert!(
            problems[4]
                .hint
                .as_ref()
                .unwrap()
                .contains("git config user.name")
        );
        assert!(problems[0].hint.as_ref().unwrap().contains("--unshallow"));
    }

    #[test]
    fn preflight_passes_a_clean_repository_and_honours_allow_dirty() {
        let t = project();
        let repo = t.repo();
        let checks = Preflight {
            allow_dirty: false,
            need_commit: true,
            tags: vec!["v1.1.0".to_owned()],
            base_tag: Some("v1.0.0".to_owned()),
        };
        assert_eq!(preflight(&repo, &checks), []);
        t.write("scratch.txt", "x");
        assert_eq!(preflight(&repo, &checks).len(), 1);
        let allowed = Preflight {
            allow_dirty: true,
            ..checks.clone()
        };
        assert_eq!(preflight(&repo, &allowed), []);
        // A shallow clone that has the base tag can release.
        let head = t.git.head().unwrap().target().unwrap();
        t.make_shallow(head);
        assert_eq!(preflight(&repo, &allowed), []);
    }

    #[test]
    fn already_released_only_when_the_tag_is_on_head() {
        let t = project();
        let repo = t.repo();
        // `v1.0.0` exists, but not on `HEAD`.
        assert!(already_released(&repo, "v{version}").unwrap().is_none());
        let head = t.git.head().unwrap().target().unwrap();
        t.tag_light("v1.1.0", head);
        let tag = already_released(&repo, "v{version}").unwrap().unwrap();
        assert_eq!(tag.name, "v1.1.0");
    }
}
