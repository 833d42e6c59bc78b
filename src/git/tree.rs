//! The project's files at one revision: a commit's tree read as blobs (no checkout), or the
//! working tree as it is on disk.
//!
//! A [`Snapshot`] lists its files once, up front, and reads each lazily. It is `Send + Sync`,
//! so callers may read from several threads; blob reads take turns on one repository handle,
//! which is cheap next to parsing. Symbolic links are left out on both sides: a commit stores
//! only a link's target path, so reading one would compare a path with a file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{CommitId, Error, Repo, git_error};

/// Git's file modes for a regular and an executable file (a tree also holds links, submodules
/// and subtrees, which are not files to read).
const FILE_MODES: [i32; 2] = [0o100644, 0o100755];

/// Git's mode for a submodule: a commit of another repository.
const GITLINK_MODE: i32 = 0o160000;

/// The id git gives a file's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlobId(git2::Oid);

impl BlobId {
    /// The id's 20 bytes: a key for what was computed from the content.
    pub fn bytes(&self) -> [u8; 20] {
        let mut out = [0; 20];
        let raw = self.0.as_bytes();
        let n = raw.len().min(20);
        out[..n].copy_from_slice(&raw[..n]);
        out
    }
}

/// Blobs one snapshot read, for another to share instead of reading them again: the two
/// revisions of a diff share most files (all but one, in a pull request), and then hold one
/// copy of each.
#[derive(Default)]
pub struct SharedReads(Mutex<HashMap<git2::Oid, Arc<[u8]>>>);

impl SharedReads {
    fn get(&self, oid: git2::Oid) -> Option<Arc<[u8]>> {
        // A poisoned lock only means another reader panicked; the map is still sound.
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&oid).cloned()
    }

    fn insert(&self, oid: git2::Oid, bytes: &Arc<[u8]>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(oid).or_insert_with(|| Arc::clone(bytes));
    }
}

/// A file's bytes, shared between the snapshots that hold it, and its blob id.
pub type SharedBlob = (Arc<[u8]>, BlobId);

/// The files of one revision (a commit, or the working tree).
pub struct Snapshot {
    /// Every file, repo-relative with `/`, sorted.
    files: BTreeMap<String, Entry>,
    /// Submodules (gitlinks), repo-relative: their files are in another repository.
    submodules: Vec<String>,
    source: Source,
}

enum Entry {
    Blob(git2::Oid),
    OnDisk,
}

enum Source {
    /// A second handle on the repository, so a snapshot borrows nothing and can be shared
    /// across threads (a `git2::Repository` is `Send` but not `Sync`).
    Commit(Mutex<git2::Repository>),
    Worktree(PathBuf),
}

impl Repo {
    /// The files at `rev` (`Some`: the commit's tree, read as blobs) or in the working tree
    /// (`None`: the files on disk, skipping what git ignores and `.git`).
    pub fn snapshot(&self, rev: Option<CommitId>) -> Result<Snapshot, Error> {
        match rev {
            Some(commit) => self.commit_snapshot(commit),
            None => self.worktree_snapshot(),
        }
    }

    fn commit_snapshot(&self, commit: CommitId) -> Result<Snapshot, Error> {
        let action = || format!("read the files of commit {commit}");
        let tree = self
            .inner
            .find_commit(commit.0)
            .and_then(|c| c.tree())
            .map_err(git_error(action()))?;
        let mut files = BTreeMap::new();
        let mut submodules = Vec::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            let mode = entry.filemode();
            if FILE_MODES.contains(&mode) {
                let name = String::from_utf8_lossy(entry.name_bytes());
                files.insert(format!("{dir}{name}"), Entry::Blob(entry.id()));
            } else if mode == GITLINK_MODE {
                let name = String::from_utf8_lossy(entry.name_bytes());
                submodules.push(format!("{dir}{name}"));
            }
            git2::TreeWalkResult::Ok
        })
        .map_err(git_error(action()))?;
        let handle = git2::Repository::open(self.inner.path()).map_err(git_error(action()))?;
        Ok(Snapshot {
            files,
            submodules,
            source: Source::Commit(Mutex::new(handle)),
        })
    }

    /// Tracked files still on disk plus untracked files git does not ignore: what `git add -A`
    /// would take. Tracked files stay even when an ignore rule matches them, as in git.
    fn worktree_snapshot(&self) -> Result<Snapshot, Error> {
        let root = self.workdir()?.to_path_buf();
        let action = "read the working tree";
        let index = self.inner.index().map_err(git_error(action))?;
        let submodules = index
            .iter()
            .filter(|e| e.mode as i32 == GITLINK_MODE)
            .map(|e| String::from_utf8_lossy(&e.path).into_owned())
            .collect();
        let mut candidates: Vec<String> = index
            .iter()
            .filter(|e| FILE_MODES.contains(&(e.mode as i32)))
            .map(|e| String::from_utf8_lossy(&e.path).into_owned())
            .collect();
        let mut options = git2::StatusOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .exclude_submodules(true);
        let statuses = self
            .inner
            .statuses(Some(&mut options))
            .map_err(git_error(action))?;
        candidates.extend(
            statuses
                .iter()
                .filter(|e| e.status().contains(git2::Status::WT_NEW))
                .map(|e| String::from_utf8_lossy(e.path_bytes()).into_owned()),
        );
        let files = candidates
            .into_iter()
            // Deleted files, links, and nested repositories (listed as `dir/`) are not files
            // to read.
            .filter(|p| {
                std::fs::symlink_metadata(root.join(p)).is_ok_and(|m| m.file_type().is_file())
            })
            .map(|p| (p, Entry::OnDisk))
            .collect();
        Ok(Snapshot {
            files,
            submodules,
            source: Source::Worktree(root),
        })
    }
}

impl Snapshot {
    /// The files under `dir` (repo-relative, `/`-separated, sorted); `""` is every file. A
    /// `dir` naming a file gives that file.
    pub fn files_under(&self, dir: &str) -> Vec<String> {
        let dir = dir.trim_end_matches('/');
        if dir.is_empty() || dir == "." {
            return self.files.keys().cloned().collect();
        }
        let prefix = format!("{dir}/");
        let mut found: Vec<String> = self
            .files
            .range(prefix.clone()..)
            .take_while(|(path, _)| path.starts_with(&prefix))
            .map(|(path, _)| path.clone())
            .collect();
        if self.files.contains_key(dir) {
            found.insert(0, dir.to_owned());
        }
        found
    }

    /// The submodules at or below `dir` (repo-relative, `/`-separated).
    pub fn submodules_under(&self, dir: &str) -> Vec<&str> {
        let dir = dir.trim_end_matches('/');
        self.submodules
            .iter()
            .filter(|s| {
                dir.is_empty()
                    || s.as_str() == dir
                    || s.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
            })
            .map(String::as_str)
            .collect()
    }

    /// Whether the snapshot has a file at `path`, or files below it (a folder).
    pub fn has_path(&self, path: &str) -> bool {
        if self.files.contains_key(path) {
            return true;
        }
        let prefix = format!("{path}/");
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(p, _)| p.starts_with(&prefix))
    }

    /// The git blob id of the file at `path`: free for a commit, computed from the content for
    /// the working tree. Two files with the same id have the same bytes, so comparing ids
    /// tells whether data files changed without reading them out of git.
    pub fn blob_id(&self, path: &str) -> Result<Option<BlobId>, Error> {
        match self.files.get(path) {
            None => Ok(None),
            Some(Entry::Blob(oid)) => Ok(Some(BlobId(*oid))),
            Some(Entry::OnDisk) => match self.read(path)? {
                Some(bytes) => git2::Oid::hash_object(git2::ObjectType::Blob, &bytes)
                    .map(|oid| Some(BlobId(oid)))
                    .map_err(git_error(format!("hash `{path}`"))),
                None => Ok(None),
            },
        }
    }

    /// The bytes of the file at `path` and their blob id (see [`Snapshot::blob_id`]), read once.
    pub fn read_with_id(&self, path: &str) -> Result<Option<(Vec<u8>, BlobId)>, Error> {
        let Some(bytes) = self.read(path)? else {
            return Ok(None);
        };
        let id = match self.files.get(path) {
            Some(Entry::Blob(oid)) => BlobId(*oid),
            _ => git2::Oid::hash_object(git2::ObjectType::Blob, &bytes)
                .map(BlobId)
                .map_err(git_error(format!("hash `{path}`")))?,
        };
        Ok(Some((bytes, id)))
    }

    /// [`Snapshot::read_with_id`], taking a committed blob from `shared` when another snapshot
    /// read it, and leaving what it reads there.
    pub fn read_shared(
        &self,
        path: &str,
        shared: &SharedReads,
    ) -> Result<Option<SharedBlob>, Error> {
        let (Some(Entry::Blob(oid)), Source::Commit(_)) = (self.files.get(path), &self.source)
        else {
            return Ok(self.read_with_id(path)?.map(|(b, id)| (b.into(), id)));
        };
        if let Some(bytes) = shared.get(*oid) {
            return Ok(Some((bytes, BlobId(*oid))));
        }
        let Some((bytes, id)) = self.read_with_id(path)? else {
            return Ok(None);
        };
        let bytes: Arc<[u8]> = bytes.into();
        shared.insert(*oid, &bytes);
        Ok(Some((bytes, id)))
    }

    /// The bytes of the file at `path` (repo-relative, `/`), or `None` when this snapshot has no
    /// such file (ignored files count as absent in a working-tree snapshot).
    pub fn read(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        let Some(entry) = self.files.get(path) else {
            return Ok(None);
        };
        match (entry, &self.source) {
            (Entry::Blob(oid), Source::Commit(repo)) => {
                // A poisoned lock only means another reader panicked; the handle is still fine.
                let repo = repo.lock().unwrap_or_else(|e| e.into_inner());
                let blob = repo
                    .find_blob(*oid)
                    .map_err(git_error(format!("read `{path}`")))?;
                Ok(Some(blob.content().to_vec()))
            }
            (_, Source::Worktree(root)) => match std::fs::read(root.join(Path::new(path))) {
                Ok(bytes) => Ok(Some(bytes)),
                // Deleted since the snapshot was taken: absent, as for a path never there.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(Error::Read {
                    path: path.to_owned(),
                    message: e.to_string(),
                }),
            },
            (Entry::OnDisk, Source::Commit(_)) => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::TestRepo;
    use super::*;

    fn text(snapshot: &Snapshot, path: &str) -> Option<String> {
        snapshot
            .read(path)
            .unwrap()
            .map(|b| String::from_utf8(b).unwrap())
    }

    /// Two commits share a blob: the second snapshot copies it from the first one's reads. A
    /// working tree's file is read from disk, whatever is shared.
    #[test]
    fn shared_reads_give_what_a_read_gives() {
        let t = TestRepo::new();
        t.write("a.py", "same");
        t.write("b.py", "one");
        let c1 = t.commit("one");
        t.write("b.py", "two");
        let c2 = t.commit("two");
        t.write("a.py", "edited on disk");
        let repo = t.repo();
        let (s1, s2) = (
            repo.snapshot(Some(TestRepo::id(c1))).unwrap(),
            repo.snapshot(Some(TestRepo::id(c2))).unwrap(),
        );
        let disk = repo.snapshot(None).unwrap();
        let shared = SharedReads::default();
        for snap in [&s1, &s2, &disk] {
            for path in ["a.py", "b.py", "missing.py"] {
                assert_eq!(
                    snap.read_shared(path, &shared).unwrap(),
                    snap.read_with_id(path)
                        .unwrap()
                        .map(|(b, id)| (b.into(), id)),
                    "{path}"
                );
            }
        }
        // Only committed blobs are kept: `same`, `one` and `two`, each once, shared.
        assert_eq!(shared.0.lock().unwrap().len(), 3);
        let (a1, a2) = (
            s1.read_shared("a.py", &shared).unwrap().unwrap().0,
            s2.read_shared("a.py", &shared).unwrap().unwrap().0,
        );
        assert!(Arc::ptr_eq(&a1, &a2));
    }

    #[test]
    fn commit_snapshot_reads_blobs_not_the_disk() {
        let t = TestRepo::new();
        t.write("pyproject.toml", "[project]\n");
        t.write("src/pkg/__init__.py", "v1");
        t.write("src/pkg/sub/mod.py", "x = 1");
        t.write("src/pkgextra/other.py", "");
        let c1 = t.commit("one");
        // The working tree moves on; the snapshot of c1 must not see it.
        t.write("src/pkg/__init__.py", "v2");
        t.write("src/pkg/new.py", "");
        std::fs::remove_file(t.path().join("src/pkg/sub/mod.py")).unwrap();

        let snap = t.repo().snapshot(Some(TestRepo::id(c1))).unwrap();
        assert_eq!(
            snap.files_under(""),
            [
                "pyproject.toml",
                "src/pkg/__init__.py",
                "src/pkg/sub/mod.py",
                "src/pkgextra/other.py"
            ]
        );
        assert_eq!(
            snap.files_under("src/pkg"),
            ["src/pkg/__init__.py", "src/pkg/sub/mod.py"]
        );
        assert_eq!(snap.files_under("src/pkg/"), snap.files_under("src/pkg"));
        assert_eq!(snap.files_under("pyproject.toml"), ["pyproject.toml"]);
        assert_eq!(snap.files_under("nowhere"), Vec::<String>::new());
        assert_eq!(text(&snap, "src/pkg/__init__.py").as_deref(), Some("v1"));
        assert_eq!(text(&snap, "src/pkg/sub/mod.py").as_deref(), Some("x = 1"));
        assert_eq!(text(&snap, "src/pkg/new.py"), None);
    }

    #[test]
    fn worktree_snapshot_skips_ignored_and_deleted_files() {
        let t = TestRepo::new();
        t.write(".gitignore", "*.pyc\n__pycache__/\n/build/\n");
        t.write("src/pkg/__init__.py", "committed");
        t.write("src/pkg/gone.py", "");
        t.commit("one");
        t.write("src/pkg/__init__.py", "edited");
        t.write("src/pkg/new.py", "untracked");
        t.write("src/pkg/mod.pyc", "ignored");
        t.write("src/pkg/__pycache__/mod.cpython-312.pyc", "ignored");
        t.write("build/lib/pkg/__init__.py", "ignored");
        std::fs::remove_file(t.path().join("src/pkg/gone.py")).unwrap();

        let snap = t.repo().snapshot(None).unwrap();
        assert_eq!(
            snap.files_under(""),
            [".gitignore", "src/pkg/__init__.py", "src/pkg/new.py"]
        );
        assert_eq!(
            text(&snap, "src/pkg/__init__.py").as_deref(),
            Some("edited")
        );
        assert_eq!(text(&snap, "src/pkg/new.py").as_deref(), Some("untracked"));
        assert_eq!(text(&snap, "src/pkg/mod.pyc"), None);
        assert_eq!(text(&snap, "src/pkg/gone.py"), None);
        assert!(!snap.files_under("").iter().any(|p| p.starts_with(".git/")));
    }

    #[test]
    fn worktree_snapshot_of_a_repository_without_commits() {
        let t = TestRepo::new();
        t.write("pkg/__init__.py", "");
        let snap = t.repo().snapshot(None).unwrap();
        assert_eq!(snap.files_under("pkg"), ["pkg/__init__.py"]);
    }

    #[test]
    fn snapshot_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Snapshot>();
    }

    /// Builds a 3000-file commit and reads every blob; run with `--ignored` to time it.
    #[test]
    #[ignore = "timing check, run by hand"]
    fn reads_3000_blobs_quickly() {
        let t = TestRepo::new();
        for i in 0..3000 {
            t.write(
                &format!("src/pkg/m{}/mod{i}.py", i % 60),
                &format!("def f{i}(a, b=1):\n    return a + b\n").repeat(40),
            );
        }
        let c = t.commit("many");
        let repo = t.repo();
        let start = std::time::Instant::now();
        let snap = repo.snapshot(Some(TestRepo::id(c))).unwrap();
        let files = snap.files_under("src/pkg");
        let mut bytes = 0;
        for f in &files {
            bytes += snap.read(f).unwrap().unwrap().len();
        }
        let elapsed = start.elapsed();
        assert_eq!(files.len(), 3000);
        assert!(bytes > 0);
        assert!(elapsed.as_millis() < 100, "took {elapsed:?}");
    }
}
