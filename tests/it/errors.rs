//! Bad input: a clear error (exit 2) that names the file or ref and the fix, and nothing changed.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{TestRepo, assert_exit, bumpwise_in, project, settings};

fn released() -> TestRepo {
    let repo = TestRepo::new();
    project(&repo, "1.0.0", "def f(a):\n    pass\n");
    repo.commit("release");
    repo.tag("v1.0.0");
    repo
}

/// Runs `args`, asserts exit 2 and an unchanged repository, and snapshots the transcript.
macro_rules! error_case {
    ($repo:expr, $args:expr) => {{
        let repo = &$repo;
        let before = repo.state();
        let out = repo.bumpwise().args($args).output().expect("run");
        assert_exit(&out, 2);
        assert!(String::from_utf8_lossy(&out.stderr).contains("error:"));
        assert_eq!(before, repo.state(), "the repository changed");
        settings(repo).bind(|| {
            assert_cmd_snapshot!(repo.bumpwise().args($args));
        });
    }};
}

#[test]
fn not_a_git_repo() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("pyproject.toml"), "[project]\nname='x'\n").expect("write");
    let out = bumpwise_in(dir.path()).arg("diff").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not inside a git repository"), "{stderr}");
}

#[test]
fn no_pyproject() {
    let repo = released();
    repo.remove("pyproject.toml");
    repo.commit("drop pyproject");
    error_case!(repo, ["diff"]);
}

#[test]
fn package_not_found() {
    let repo = released();
    repo.remove("src");
    repo.write("lib/other.py", "x = 1\n");
    repo.commit("move");
    error_case!(repo, ["diff"]);
}

#[test]
fn unknown_ref() {
    let repo = released();
    error_case!(repo, ["diff", "--from", "v0.0.0-nope"]);
}

#[test]
fn no_release_tag() {
    let repo = TestRepo::new();
    project(&repo, "1.0.0", "def f():\n    pass\n");
    repo.commit("first");
    repo.tag("not-a-release");
    error_case!(repo, ["diff"]);
}

#[test]
fn shallow_clone_without_the_tag() {
    let repo = TestRepo::new();
    project(&repo, "1.0.0", "def f():\n    pass\n");
    repo.commit("first");
    project(&repo, "1.0.0", "def f(x):\n    pass\n");
    let head = repo.commit("second");
    repo.make_shallow(head);
    let before = repo.state();
    let out = repo.run(&["diff"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("shallow"), "{stderr}");
    assert_eq!(before, repo.state());
}

#[test]
fn syntax_error_at_module_level() {
    let repo = released();
    project(
        &repo,
        "1.0.0",
        "def f(a):\n    pass\n\nclass Broken(\n    x = 1\n",
    );
    repo.commit("broken");
    error_case!(repo, ["diff"]);
}

/// Python refuses source with a NUL byte; so does bumpwise, naming the file and line.
#[test]
fn nul_byte_in_a_module() {
    let repo = released();
    project(&repo, "1.0.0", "def f(a):\n    pass\n\nX = 'a\0b'\n");
    repo.commit("nul");
    error_case!(repo, ["diff"]);
}

/// A body the surface reads (`__init__`, for its attributes) is parsed in full, so an error there
/// is found; it cannot change the surface, so it is a warning and the diff goes on. (Bodies the
/// surface does not read are skimmed for speed; see the README.)
#[test]
fn syntax_error_in_a_function_body_is_a_warning() {
    let repo = released();
    project(
        &repo,
        "1.0.0",
        "def f(a):\n    pass\n\nclass C:\n    def __init__(self, a):\n        self.a = a +* 2\n",
    );
    repo.commit("broken body");
    let out = repo.run(&["diff", "--format", "json"]);
    assert_exit(&out, 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning:") && stderr.contains("__init__.py:6"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("mypkg.C"));
}

/// The same warning at both revisions goes to stderr once, and the text report on stdout does
/// not repeat it (issue 8).
#[test]
fn issue_8_warnings_go_to_stderr_once() {
    let broken = "class C:\n    def __init__(self, a):\n        self.a = a +* 2\n";
    let repo = TestRepo::new();
    project(&repo, "1.0.0", broken);
    repo.commit("release");
    repo.tag("v1.0.0");
    project(&repo, "1.0.0", &format!("{broken}\ndef g():\n    pass\n"));
    repo.commit("add g");
    let out = repo.run(&["diff"]);
    assert_exit(&out, 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("warning"), "{stdout}");
    assert!(stdout.contains("`mypkg.g` was added"), "{stdout}");
}

#[test]
fn not_utf8() {
    let repo = released();
    repo.write(
        "src/mypkg/__init__.py",
        b"def f(a):\n    return '\xff\xfe'\n".as_slice(),
    );
    repo.commit("latin-1 bytes");
    error_case!(repo, ["diff"]);
}

#[test]
fn coding_line_is_honoured() {
    let repo = released();
    repo.write(
        "src/mypkg/__init__.py",
        b"# -*- coding: latin-1 -*-\ndef f(a, b='\xe9'):\n    pass\n".as_slice(),
    );
    repo.commit("latin-1 with a coding line");
    let out = repo.run(&["diff", "--format", "json"]);
    assert_exit(&out, 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("parameter-added-optional"));
}

#[test]
fn bad_config_key() {
    let repo = released();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"mypkg\"\nversion = \"1.0.0\"\n\n[tool.bumpwise]\ntag-fromat = \"v{version}\"\n",
    );
    repo.commit("typo");
    error_case!(repo, ["diff"]);
}

/// Invalid TOML names the file, the line and the column, and the hint speaks of the file
/// (issue 8).
#[test]
fn issue_8_invalid_pyproject_names_line_and_column() {
    let repo = released();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"mypkg\"\nversion = \"1.0.1\ndependencies = []\n",
    );
    repo.commit("broken toml");
    error_case!(repo, ["diff"]);
}

/// A syntax error at the release tag names the tag as well as the file (issue 8).
#[test]
fn issue_8_syntax_error_at_the_tag_names_the_tag() {
    let repo = TestRepo::new();
    project(&repo, "1.0.0", "def f(a:\n    pass\n");
    repo.commit("release with a typo");
    repo.tag("v1.0.0");
    project(&repo, "1.0.0", "def f(a):\n    pass\n");
    repo.commit("fix");
    error_case!(repo, ["diff"]);
    error_case!(repo, ["release", "--dry-run"]);
}

/// Code nested thousands deep, as generators write it (Python itself refuses most of it, but a
/// gate must answer, not abort): every walk over the tree runs on a stack sized for it.
#[test]
fn deeply_nested_code_is_read_not_a_crash() {
    let repo = TestRepo::new();
    let n = 20_000;
    project(&repo, "1.0.0", "def f(a):\n    pass\n");
    repo.write(
        "src/mypkg/deep.py",
        format!(
            "__all__ = {all}\nN = {not_}x\nL = {lam}1\nT = {tern}c\nS = x{sub}\nF = x{call}\nA = x{attr}\n",
            all = vec!["['A']"; n].join(" + "),
            not_ = "not ".repeat(n),
            lam = "lambda: ".repeat(n),
            tern = "a if b else ".repeat(n),
            sub = "[0]".repeat(n),
            call = "()".repeat(n),
            attr = ".a".repeat(n),
        ),
    );
    repo.commit("release");
    repo.tag("v1.0.0");
    repo.write("src/mypkg/more.py", "def g(): ...\n");
    for args in [&["diff"][..], &["api"], &["imports"]] {
        let out = repo.run(args);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {:?}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
