//! Issue 13: a release that cannot half-happen. A fault injected after each step, and
//! `SIGINT`/`SIGTERM` sent at each step, leave the repository exactly as it was; two runs at
//! once are refused by a lock that every exit removes.
//!
//! Faults and pauses come from the internal `BUMPWISE_TEST_FAULT` and `BUMPWISE_TEST_PAUSE`
//! hooks (`src/release/guard.rs`).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::support::{State, TestRepo, assert_exit, testdata};

const LOCK: &str = "bumpwise-release.lock";

/// v1.0.0, then a function added: a minor release writes pyproject.toml, `__version__` and
/// CHANGELOG.md, commits and tags `v1.1.0`.
fn minor_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"mypkg\"\nversion = \"1.0.0\"\n\n[tool.bumpwise]\nchangelog = \"CHANGELOG.md\"\n",
    );
    repo.write(
        "src/mypkg/__init__.py",
        "__version__ = \"1.0.0\"\n\n\ndef f(a):\n    pass\n",
    );
    repo.write("CHANGELOG.md", "# Changelog\n\n## [1.0.0] - 2025-01-01\n");
    repo.commit("release 1.0.0");
    repo.tag("v1.0.0");
    repo.write(
        "src/mypkg/__init__.py",
        "__version__ = \"1.0.0\"\n\n\ndef f(a):\n    pass\n\n\ndef g():\n    pass\n",
    );
    repo.commit("Add g");
    repo
}

const ONE: &[&str] = &["release", "--yes"];
const ONE_STEPS: &[&str] = &["write:1", "write:2", "write:3", "index", "commit", "tag:1"];

/// The monorepo released once, then a breaking change in invoice-rules that its dependent
/// billing-worker pins out: `--all --update-dependents` writes two pyproject.toml files and
/// creates two CHANGELOG.md files, commits once and makes two tags.
fn monorepo() -> TestRepo {
    let repo = TestRepo::new();
    repo.load_tree(&testdata("workspaces/monorepo"));
    repo.commit("the monorepo");
    for tag in [
        "invoice-rules-v0.4.0",
        "date-parsing-v1.2.0",
        "billing-worker-v2024.1.0",
        "report-generator-v0.1.0",
    ] {
        repo.tag(tag);
    }
    repo.write(
        "packages/invoice_rules/src/invoice_rules/rules.py",
        "def total(lines):\n    return sum(lines)\n",
    );
    repo.commit("total: drop currency");
    repo
}

const ALL: &[&str] = &["release", "--all", "--update-dependents", "--yes"];
const ALL_STEPS: &[&str] = &[
    "write:1", "write:2", "write:3", "write:4", "index", "commit", "tag:1", "tag:2",
];

/// Everything a release may touch: the working tree and every file of `.git` but its objects
/// (index, `HEAD`, refs, packed-refs, reflogs, and any lock left behind), as bytes, plus
/// HEAD, the refs and the index as git reads them. Directories count, so an emptied new
/// folder left behind shows.
#[derive(Debug, PartialEq, Eq)]
struct Fingerprint {
    files: BTreeMap<String, Option<Vec<u8>>>,
    state: State,
    head: (Option<String>, Option<String>),
    index: Vec<(String, u32, String)>,
}

fn fingerprint(repo: &TestRepo) -> Fingerprint {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
        for entry in std::fs::read_dir(dir).expect("ls") {
            let path = entry.expect("entry").path();
            let rel = path
                .strip_prefix(root)
                .expect("rel")
                .to_string_lossy()
                .into_owned();
            if rel == ".git/objects" {
                continue;
            }
            if path.is_dir() {
                out.insert(format!("{rel}/"), None);
                walk(root, &path, out);
            } else {
                out.insert(rel, Some(std::fs::read(&path).expect("read")));
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(repo.path(), repo.path(), &mut files);
    // A fresh handle: nothing cached from before the run.
    let git = git2::Repository::open(repo.path()).expect("open");
    let head = git.find_reference("HEAD").expect("HEAD");
    let head = (
        head.symbolic_target().map(str::to_owned),
        git.head()
            .ok()
            .and_then(|h| h.target())
            .map(|o| o.to_string()),
    );
    let index = git
        .index()
        .expect("index")
        .iter()
        .map(|e| {
            (
                String::from_utf8_lossy(&e.path).into_owned(),
                e.mode,
                e.id.to_string(),
            )
        })
        .collect();
    Fingerprint {
        files,
        state: repo.state(),
        head,
        index,
    }
}

fn tags(repo: &TestRepo) -> usize {
    repo.repo.tag_names(None).expect("tags").len()
}

/// Runs bumpwise with `args` and a fault injected after `step`.
fn run_with_fault(repo: &TestRepo, args: &[&str], step: &str) -> std::process::Output {
    repo.bumpwise()
        .args(args)
        .env("BUMPWISE_TEST_FAULT", step)
        .output()
        .expect("run bumpwise")
}

/// For each step: fail after it, then check that nothing changed and that no lock is left.
/// The same repository serves every step, so each run also starts from the last one's undo.
/// A fault past the last step never fires, which shows `steps` is the whole list.
fn every_step_is_undone(repo: &TestRepo, args: &[&str], steps: &[&str], past_last: &str) {
    let before = fingerprint(repo);
    let tags_before = tags(repo);
    for step in steps {
        let out = run_with_fault(repo, args, step);
        assert_exit(&out, 2);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "error: injected test fault after step `{step}` (`BUMPWISE_TEST_FAULT`): the release was undone"
            )),
            "{stderr}"
        );
        assert_eq!(fingerprint(repo), before, "after a fault at {step}");
    }
    let out = run_with_fault(repo, args, past_last);
    assert_exit(&out, 0);
    assert!(tags(repo) > tags_before);
    assert!(!repo.repo.path().join(LOCK).exists());
}

#[test]
fn a_fault_after_each_step_is_undone_exactly() {
    every_step_is_undone(&minor_repo(), ONE, ONE_STEPS, "write:4");
}

#[test]
fn a_fault_after_each_step_of_release_all_is_undone_across_members() {
    every_step_is_undone(&monorepo(), ALL, ALL_STEPS, "tag:3");
}

/// Starts bumpwise paused after `step`, and returns once it says so, with its stderr so far.
fn spawn_paused(repo: &TestRepo, args: &[&str], step: &str, fault: Option<&str>) -> Paused {
    let mut cmd: Command = repo.bumpwise();
    cmd.args(args)
        .env("BUMPWISE_TEST_PAUSE", step)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(fault) = fault {
        cmd.env("BUMPWISE_TEST_FAULT", fault);
    }
    let mut child = cmd.spawn().expect("spawn bumpwise");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let marker = format!("bumpwise-test: paused after {step}");
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        let n = stderr.read_line(&mut line).expect("read stderr");
        seen.push_str(&line);
        if n == 0 {
            let _ = child.kill();
            panic!("bumpwise ended before pausing at {step}:\n{seen}");
        }
        if line.trim_end() == marker {
            break;
        }
    }
    Paused {
        child,
        stderr,
        seen,
    }
}

struct Paused {
    child: Child,
    stderr: BufReader<std::process::ChildStderr>,
    seen: String,
}

impl Paused {
    fn signal(&self, signal: i32) {
        let pid = i32::try_from(self.child.id()).expect("pid");
        // SAFETY: kill(2) with a pid we spawned and still own (not yet waited for).
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "kill");
    }

    /// Lets it go on: closing its standard input ends the pause.
    fn resume(&mut self) {
        drop(self.child.stdin.take());
    }

    /// Waits for the end; returns the exit status and all of stderr. Standard input stays
    /// open until then, so that only a signal (or [`Paused::resume`]) ends the pause.
    fn finish(mut self) -> (std::process::ExitStatus, String) {
        let mut rest = String::new();
        self.stderr.read_to_string(&mut rest).expect("stderr");
        let status = self.child.wait().expect("wait");
        (status, self.seen + &rest)
    }
}

/// For each step: pause after it, send `signal`, and check that bumpwise undid everything,
/// said so, removed its lock and died of that signal.
fn every_step_survives(repo: &TestRepo, args: &[&str], steps: &[&str], signal: i32, name: &str) {
    let before = fingerprint(repo);
    for step in steps {
        let paused = spawn_paused(repo, args, step, None);
        assert!(repo.repo.path().join(LOCK).exists());
        paused.signal(signal);
        let (status, stderr) = paused.finish();
        assert_eq!(
            status.signal(),
            Some(signal),
            "{step}: {status:?}\n{stderr}"
        );
        assert!(
            stderr.contains(&format!(
                "error: interrupted by {name}: the release was undone"
            )),
            "{step}: {stderr}"
        );
        assert_eq!(fingerprint(repo), before, "after {name} at {step}");
    }
}

#[test]
fn sigint_at_each_step_is_undone_exactly() {
    every_step_survives(&minor_repo(), ONE, ONE_STEPS, libc::SIGINT, "SIGINT");
}

#[test]
fn sigterm_at_each_step_is_undone_exactly() {
    every_step_survives(&minor_repo(), ONE, ONE_STEPS, libc::SIGTERM, "SIGTERM");
}

#[test]
fn sigterm_at_each_step_of_release_all_is_undone_across_members() {
    every_step_survives(&monorepo(), ALL, ALL_STEPS, libc::SIGTERM, "SIGTERM");
}

#[test]
fn a_signal_before_any_write_kills_and_removes_the_lock() {
    let repo = minor_repo();
    let before = fingerprint(&repo);
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let paused = spawn_paused(&repo, ONE, "lock", None);
        assert!(repo.repo.path().join(LOCK).exists());
        paused.signal(signal);
        let (status, stderr) = paused.finish();
        assert_eq!(status.signal(), Some(signal), "{stderr}");
        assert_eq!(fingerprint(&repo), before);
    }
}

#[test]
fn a_signal_during_the_undo_does_not_stop_it() {
    let repo = minor_repo();
    let before = fingerprint(&repo);
    // The tag fails; the undo pauses before starting, takes two signals, then runs to its end.
    let paused = spawn_paused(&repo, ONE, "rollback", Some("tag:1"));
    paused.signal(libc::SIGINT);
    paused.signal(libc::SIGTERM);
    let (status, stderr) = paused.finish();
    assert_eq!(status.code(), Some(2), "{status:?}\n{stderr}");
    assert!(
        stderr.contains("injected test fault after step `tag:1`"),
        "{stderr}"
    );
    assert_eq!(fingerprint(&repo), before);
}

#[test]
fn a_second_release_at_once_is_refused_and_changes_nothing() {
    let repo = minor_repo();
    // The first run has written pyproject.toml and holds the lock.
    let mut first = spawn_paused(&repo, ONE, "write:1", None);
    let lock = repo.repo.path().join(LOCK);
    assert_eq!(
        std::fs::read_to_string(&lock).expect("lock"),
        format!("{}\n", first.child.id())
    );
    let during = fingerprint(&repo);
    let second = repo.run(ONE);
    assert_exit(&second, 2);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains(&format!(
            "error: another bumpwise release is running (pid {})",
            first.child.id()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("if none is running, delete `{}`", lock.display())),
        "{stderr}"
    );
    assert_eq!(fingerprint(&repo), during);

    // The first goes on to the end.
    first.resume();
    let (status, stderr) = first.finish();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(repo.repo.find_reference("refs/tags/v1.1.0").is_ok());
    assert!(!lock.exists());
}

#[test]
fn the_lock_is_removed_after_a_refusal_and_a_stale_one_is_named() {
    let repo = minor_repo();
    let lock = repo.repo.path().join(LOCK);
    repo.write("scratch.txt", "uncommitted\n");
    let before = fingerprint(&repo);
    assert_exit(&repo.run(ONE), 2);
    assert_eq!(fingerprint(&repo), before);
    // A lock left by a process that died (SIGKILL) is never taken over, only named.
    std::fs::write(&lock, "4194999\n").expect("stale lock");
    let before = fingerprint(&repo);
    let out = repo.run(&["release", "--yes", "--allow-dirty"]);
    assert_exit(&out, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("(pid 4194999)"), "{stderr}");
    // A dry run writes nothing, so it needs no lock.
    assert_exit(&repo.run(&["release", "--dry-run", "--allow-dirty"]), 0);
    assert_eq!(fingerprint(&repo), before);
}
