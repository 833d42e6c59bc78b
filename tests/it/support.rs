//! Test repositories built with git2 in temp dirs, and the bumpwise binary run against them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use git2::{IndexAddOption, Oid, Repository, Signature};
use tempfile::TempDir;

/// A real git repository in a temporary directory.
pub struct TestRepo {
    pub dir: TempDir,
    pub repo: Repository,
}

/// Everything a failed command must leave untouched: files, index, refs, HEAD.
#[derive(Debug, PartialEq, Eq)]
pub struct State {
    files: BTreeMap<String, Vec<u8>>,
    index: Vec<u8>,
    refs: BTreeMap<String, String>,
    head: String,
}

impl TestRepo {
    pub fn new() -> TestRepo {
        let dir = tempfile::Builder::new()
            .prefix("bumpwise-test-")
            .tempdir()
            .expect("temp dir");
        let repo = Repository::init(dir.path()).expect("git init");
        {
            let mut config = repo.config().expect("config");
            config.set_str("user.name", "Test User").expect("name");
            config
                .set_str("user.email", "test@example.com")
                .expect("email");
        }
        TestRepo { dir, repo }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &Self {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, contents).expect("write");
        self
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path)).expect("read")
    }

    pub fn remove(&self, path: &str) -> &Self {
        let full = self.path().join(path);
        if full.is_dir() {
            std::fs::remove_dir_all(full).expect("rm -r");
        } else {
            std::fs::remove_file(full).expect("rm");
        }
        self
    }

    /// Replaces the working tree (all but `.git`) with a copy of `src`.
    pub fn load_tree(&self, src: &Path) -> &Self {
        for entry in std::fs::read_dir(self.path()).expect("ls") {
            let entry = entry.expect("entry");
            if entry.file_name() == ".git" {
                continue;
            }
            let p = entry.path();
            if p.is_dir() {
                std::fs::remove_dir_all(p).expect("rm -r");
            } else {
                std::fs::remove_file(p).expect("rm");
            }
        }
        copy_dir(src, self.path());
        self
    }

    /// Stages everything (additions, changes, deletions) and commits.
    pub fn commit(&self, message: &str) -> Oid {
        commit_all(&self.repo, message)
    }

    fn head_commit(&self) -> git2::Object<'_> {
        self.repo
            .head()
            .expect("head")
            .peel(git2::ObjectType::Commit)
            .expect("peel")
    }

    /// An annotated tag on HEAD.
    pub fn tag(&self, name: &str) -> &Self {
        let head = self.head_commit();
        let sig = Signature::now("Test User", "test@example.com").expect("sig");
        self.repo.tag(name, &head, &sig, name, false).expect("tag");
        self
    }

    /// A lightweight tag on HEAD.
    pub fn tag_lightweight(&self, name: &str) -> &Self {
        let head = self.head_commit();
        self.repo.tag_lightweight(name, &head, false).expect("tag");
        self
    }

    /// Marks the repository shallow at `commit`, as `git clone --depth` would.
    pub fn make_shallow(&self, commit: Oid) -> &Self {
        std::fs::write(self.repo.path().join("shallow"), format!("{commit}\n")).expect("shallow");
        self
    }

    /// Files, index, refs and HEAD, for "nothing changed" assertions.
    pub fn state(&self) -> State {
        let mut files = BTreeMap::new();
        collect_files(self.path(), self.path(), &mut files);
        let index = std::fs::read(self.repo.path().join("index")).unwrap_or_default();
        let mut refs = BTreeMap::new();
        for r in self.repo.references().expect("refs") {
            let r = r.expect("ref");
            refs.insert(
                r.name().unwrap_or("?").to_owned(),
                r.target().map(|o| o.to_string()).unwrap_or_default(),
            );
        }
        let head = std::fs::read_to_string(self.repo.path().join("HEAD")).unwrap_or_default();
        State {
            files,
            index,
            refs,
            head,
        }
    }

    /// The bumpwise binary, run in the repository with a fixed environment.
    pub fn bumpwise(&self) -> Command {
        bumpwise_in(self.path())
    }

    /// Runs bumpwise with `args` and returns what it did.
    pub fn run(&self, args: &[&str]) -> Output {
        self.bumpwise().args(args).output().expect("run bumpwise")
    }
}

/// Stages everything in `repo`'s working tree (additions, changes, deletions) and commits.
pub fn commit_all(repo: &Repository, message: &str) -> Oid {
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], IndexAddOption::DEFAULT, None)
        .expect("add");
    index.update_all(["*"], None).expect("update");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let sig = Signature::now("Test User", "test@example.com").expect("sig");
    let parents: Vec<git2::Commit> = match repo.head() {
        Ok(h) => vec![h.peel_to_commit().expect("commit")],
        Err(_) => vec![],
    };
    let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parent_refs)
        .expect("commit")
}

pub fn bumpwise_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bumpwise"));
    cmd.current_dir(dir);
    // The caller's CI must not leak into the tests: GitHub's files, git's overrides, colour,
    // a cache turned off.
    for k in [
        "GITHUB_ACTIONS",
        "GITHUB_OUTPUT",
        "GITHUB_STEP_SUMMARY",
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_CEILING_DIRECTORIES",
        "CLICOLOR_FORCE",
        "BUMPWISE_NO_CACHE",
    ] {
        cmd.env_remove(k);
    }
    cmd.env("NO_COLOR", "1");
    cmd.env("SOURCE_DATE_EPOCH", "1764115200"); // 2025-11-26
    cmd.env("COLUMNS", "100");
    cmd
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for entry in std::fs::read_dir(src).expect("ls") {
        let entry = entry.expect("entry");
        let to = dst.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), to).expect("cp");
        }
    }
}

fn collect_files(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).expect("ls") {
        let entry = entry.expect("entry");
        let p = entry.path();
        if entry.file_name() == ".git" {
            continue;
        }
        if p.is_dir() {
            collect_files(root, &p, files);
        } else {
            let rel = p
                .strip_prefix(root)
                .expect("rel")
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, std::fs::read(&p).expect("read"));
        }
    }
}

/// The repository's `testdata/` directory.
pub fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(path)
}

/// insta settings that hide the temporary directory.
pub fn settings(repo: &TestRepo) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    let path = repo.path().to_string_lossy().into_owned();
    s.add_filter(&regex_escape(&path), "[REPO]");
    if let Ok(canon) = repo.path().canonicalize() {
        s.add_filter(&regex_escape(&canon.to_string_lossy()), "[REPO]");
    }
    s.add_filter(r"bumpwise-demo-[A-Za-z0-9]+", "bumpwise-demo-[TMP]");
    s.add_filter(r"\b[0-9a-f]{7,40}\b", "[SHA]");
    s
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A tiny project: pyproject.toml and `src/<name>/__init__.py`.
pub fn project(repo: &TestRepo, version: &str, init: &str) {
    repo.write(
        "pyproject.toml",
        format!("[project]\nname = \"mypkg\"\nversion = \"{version}\"\n"),
    );
    repo.write("src/mypkg/__init__.py", init);
}

/// Asserts the exit code, showing both streams when it differs.
#[track_caller]
pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
