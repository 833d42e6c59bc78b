//! `bumpwise release`: dry runs, full releases, refusals, rollback and re-runs.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{TestRepo, assert_exit, settings, testdata};

const PYPROJECT: &str = r#"# The project file of a made-up package.
[project]
name = "mypkg"
version = '1.0.0'   # keep this comment
dependencies = [
    "other==1.0.0",  # a pin that holds the same version: never touched
]

[tool.bumpwise]
changelog = "CHANGELOG.md"
"#;

/// v1.0.0, then a commit that adds a function (minor).
fn minor_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("pyproject.toml", PYPROJECT);
    repo.write(
        "src/mypkg/__init__.py",
        "\"\"\"mypkg.\"\"\"\n__version__ = \"1.0.0\"\n\n\ndef f(a):\n    pass\n",
    );
    repo.write(
        "CHANGELOG.md",
        "# Changelog\n\n## [Unreleased]\n\n- Hand-written note.\n\n## [1.0.0] - 2025-01-01\n\n- First.\n",
    );
    repo.commit("release 1.0.0");
    repo.tag("v1.0.0");
    repo.write(
        "src/mypkg/__init__.py",
        "\"\"\"mypkg.\"\"\"\n__version__ = \"1.0.0\"\n\n\ndef f(a):\n    pass\n\n\ndef g(b=1):\n    pass\n",
    );
    repo.commit("Add g");
    repo
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(testdata(&format!("release/{name}"))).expect("expected file")
}

#[test]
fn dry_run_changes_nothing() {
    let repo = minor_repo();
    let before = repo.state();
    settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().args(["release", "--dry-run"]));
    });
    assert_eq!(before, repo.state());
}

#[test]
fn full_release_writes_commits_and_tags() {
    let repo = minor_repo();
    let out = repo.run(&["release", "--yes"]);
    assert_exit(&out, 0);
    assert_eq!(
        repo.read("pyproject.toml"),
        expected("pyproject.expected.toml")
    );
    assert_eq!(
        repo.read("src/mypkg/__init__.py"),
        expected("__init__.expected.py")
    );
    assert_eq!(repo.read("CHANGELOG.md"), expected("CHANGELOG.expected.md"));
    let head = repo
        .repo
        .head()
        .expect("head")
        .peel_to_commit()
        .expect("commit");
    assert_eq!(head.summary(), Some("release: 1.1.0"));
    let tag = repo
        .repo
        .find_reference("refs/tags/v1.1.0")
        .expect("tag")
        .peel_to_tag()
        .expect("annotated");
    assert_eq!(tag.target_id(), head.id());
    assert!(
        repo.repo.statuses(None).expect("status").is_empty(),
        "tree left dirty"
    );
    // Re-running is safe: HEAD already carries the tag.
    let again = repo.run(&["release", "--yes"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stdout).contains("already released"));
}

#[test]
fn no_commit_writes_files_only() {
    let repo = minor_repo();
    let head = repo.repo.head().expect("head").target();
    let out = repo.run(&["release", "--yes", "--no-commit"]);
    assert_exit(&out, 0);
    assert_eq!(repo.repo.head().expect("head").target(), head);
    assert!(repo.read("pyproject.toml").contains("'1.1.0'"));
    assert!(repo.repo.find_reference("refs/tags/v1.1.0").is_err());
}

#[test]
fn no_tag_commits_only() {
    let repo = minor_repo();
    let out = repo.run(&["release", "--yes", "--no-tag"]);
    assert_exit(&out, 0);
    assert!(repo.repo.find_reference("refs/tags/v1.1.0").is_err());
    let head = repo
        .repo
        .head()
        .expect("head")
        .peel_to_commit()
        .expect("commit");
    assert_eq!(head.summary(), Some("release: 1.1.0"));
}

#[test]
fn refusals_are_reported_together_and_change_nothing() {
    let repo = minor_repo();
    // A tag in the way (on a commit off the branch, as a stray tag pushed from elsewhere
    // would be) and a dirty tree at once.
    let head = repo.repo.head().expect("head").peel_to_commit().expect("c");
    let sig = git2::Signature::now("Test User", "test@example.com").expect("sig");
    let tree = head.tree().expect("tree");
    let stray = repo
        .repo
        .commit(None, &sig, &sig, "stray", &tree, &[])
        .expect("stray commit");
    let stray = repo.repo.find_object(stray, None).expect("object");
    repo.repo
        .tag_lightweight("v1.1.0", &stray, false)
        .expect("tag");
    repo.write("scratch.txt", "uncommitted\n");
    let before = repo.state();
    let out = repo.run(&["release", "--yes"]);
    assert_exit(&out, 2);
    assert_eq!(before, repo.state());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("scratch.txt"), "{stderr}");
    assert!(stderr.contains("v1.1.0"), "{stderr}");
}

#[test]
fn bump_cannot_be_lowered() {
    let repo = minor_repo();
    let before = repo.state();
    let out = repo.run(&["release", "--yes", "--bump", "patch"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(before, repo.state());
    let raised = repo.run(&["release", "--dry-run", "--bump", "major"]);
    assert!(String::from_utf8_lossy(&raised.stdout).contains("2.0.0"));
}

#[test]
fn versions_that_disagree_are_refused() {
    let repo = minor_repo();
    repo.write(
        "src/mypkg/__init__.py",
        "__version__ = \"0.9.0\"\n\n\ndef f(a):\n    pass\n\n\ndef g(b=1):\n    pass\n",
    );
    repo.commit("stale __version__");
    let before = repo.state();
    let out = repo.run(&["release", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("0.9.0") && stderr.contains("1.0.0"),
        "{stderr}"
    );
    assert_eq!(before, repo.state());
}

#[test]
fn failed_tag_rolls_everything_back() {
    let repo = minor_repo();
    // A stale lock makes creating the tag fail after the commit was made.
    let lock = repo.repo.path().join("refs/tags/v1.1.0.lock");
    std::fs::create_dir_all(lock.parent().expect("parent")).expect("mkdir");
    std::fs::write(&lock, "").expect("lock");
    let before = repo.state();
    let out = repo.run(&["release", "--yes"]);
    assert_exit(&out, 2);
    assert_eq!(before, repo.state());
}

#[test]
fn nothing_to_release() {
    let repo = TestRepo::new();
    repo.write("pyproject.toml", PYPROJECT);
    repo.write("src/mypkg/__init__.py", "def f(a):\n    pass\n");
    repo.commit("release");
    repo.tag("v1.0.0");
    repo.write("README.md", "more docs\n");
    repo.commit("docs");
    let before = repo.state();
    let out = repo.run(&["release", "--yes"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to release"));
    assert_eq!(before, repo.state());
}

#[test]
fn first_release_tags_the_declared_version() {
    let repo = TestRepo::new();
    repo.write("pyproject.toml", PYPROJECT);
    repo.write("src/mypkg/__init__.py", "def f(a):\n    pass\n");
    repo.commit("initial");
    let out = repo.run(&["release", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--first"));
    let out = repo.run(&["release", "--yes", "--first"]);
    assert_exit(&out, 0);
    assert!(repo.repo.find_reference("refs/tags/v1.0.0").is_ok());
}

#[test]
fn pre_releases_count_up_then_finalize() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"mypkg\"\nversion = \"1.4.0\"\n",
    );
    repo.write("src/mypkg/__init__.py", "def f(a, b):\n    pass\n");
    repo.commit("release");
    repo.tag("v1.4.0");
    repo.write("src/mypkg/__init__.py", "def f(a):\n    pass\n");
    repo.commit("break");
    let run = |args: &[&str]| {
        let out = repo.bumpwise().args(args).output().expect("run");
        assert_exit(&out, 0);
    };
    run(&["release", "--yes", "--pre", "rc"]);
    assert!(repo.repo.find_reference("refs/tags/v2.0.0rc1").is_ok());
    repo.write("src/mypkg/__init__.py", "def f(a):\n    return a\n");
    repo.commit("fix");
    run(&["release", "--yes", "--pre", "rc"]);
    assert!(repo.repo.find_reference("refs/tags/v2.0.0rc2").is_ok());
    repo.write("src/mypkg/__init__.py", "def f(a):\n    return a * 1\n");
    repo.commit("fix again");
    run(&["release", "--yes"]);
    assert!(repo.repo.find_reference("refs/tags/v2.0.0").is_ok());
}

#[test]
fn dynamic_version_gets_only_the_tag() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"mypkg\"\ndynamic = [\"version\"]\n\n[tool.bumpwise]\nchangelog = false\n",
    );
    repo.write("src/mypkg/__init__.py", "def f(a):\n    pass\n");
    repo.commit("release");
    repo.tag("v1.0.0");
    repo.write(
        "src/mypkg/__init__.py",
        "def f(a):\n    pass\n\ndef g():\n    pass\n",
    );
    let head = repo.commit("add g");
    let out = repo.run(&["release", "--yes"]);
    assert_exit(&out, 0);
    let tag = repo
        .repo
        .find_reference("refs/tags/v1.1.0")
        .expect("tag")
        .peel_to_commit()
        .expect("commit");
    assert_eq!(tag.id(), head);
    assert_eq!(repo.read("pyproject.toml").matches("version").count(), 1);
}

#[test]
fn github_outputs_say_what_was_released() {
    let repo = minor_repo();
    let output = tempfile::NamedTempFile::new().expect("tmp");
    let out = repo
        .bumpwise()
        .args(["release", "--yes"])
        .env("GITHUB_OUTPUT", output.path())
        .output()
        .expect("run");
    assert_exit(&out, 0);
    let text = std::fs::read_to_string(output.path()).expect("outputs");
    assert_eq!(
        text,
        "bump=minor\nversion=1.1.0\nprevious_version=1.0.0\ntag=v1.1.0\nreleased=true\n"
    );
}

#[test]
fn a_syntax_error_is_reported_with_the_other_problems() {
    let repo = minor_repo();
    repo.write("src/mypkg/__init__.py", "def f(a:\n");
    repo.commit("broken");
    repo.write("scratch.txt", "uncommitted\n");
    let before = repo.state();
    let out = repo.run(&["release", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("syntax error"), "{stderr}");
    assert!(stderr.contains("scratch.txt"), "{stderr}");
    assert_eq!(before, repo.state());
}
