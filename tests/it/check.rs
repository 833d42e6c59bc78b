//! The CI gate's exit codes: 0 bumped enough, 1 under-bumped or backwards, 2 bad input.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{TestRepo, project};

/// A release `base`, then a commit declaring `declared` with a change of the given weight.
fn repo(base: &str, declared: &str, change: &str) -> TestRepo {
    let repo = TestRepo::new();
    project(&repo, base, "def f(a, b=1):\n    pass\n");
    repo.commit("release");
    repo.tag(&format!("v{base}"));
    let init = match change {
        "major" => "def f(a):\n    pass\n",
        "minor" => "def f(a, b=1, c=2):\n    pass\n",
        "patch" => "def f(a, b=1):\n    return a\n",
        _ => "def f(a, b=1):\n    pass\n",
    };
    project(&repo, declared, init);
    repo.commit("work");
    repo
}

fn code(repo: &TestRepo) -> Option<i32> {
    repo.run(&["check"]).status.code()
}

#[test]
fn exit_code_matrix() {
    let cases = [
        // base, declared, change, exit
        ("1.4.0", "1.5.0", "major", 1),
        ("1.4.0", "2.0.0", "major", 0),
        ("1.4.0", "1.4.1", "minor", 1),
        ("1.4.0", "1.5.0", "minor", 0),
        ("1.4.0", "2.0.0", "minor", 0),
        ("1.4.0", "1.4.0", "patch", 1),
        ("1.4.0", "1.4.1", "patch", 0),
        ("1.4.0", "1.4.0", "none", 0),
        ("1.4.0", "1.3.0", "patch", 1),
        ("1.4.0", "1.3.0", "none", 1),
        // 0.x: a breaking change bumps the minor number.
        ("0.3.0", "0.3.1", "major", 1),
        ("0.3.0", "0.4.0", "major", 0),
        ("0.3.0", "0.3.1", "minor", 0),
        // Pre-releases: 2.0.0rc1 already announces the major.
        ("1.4.0", "2.0.0rc1", "major", 0),
        ("1.4.0", "1.5.0rc1", "major", 1),
        // Two-part versions keep their shape.
        ("21.3", "22.0", "major", 0),
        ("21.3", "21.4", "major", 1),
    ];
    let mut failures = Vec::new();
    for (base, declared, change, want) in cases {
        let repo = repo(base, declared, change);
        let got = code(&repo);
        if got != Some(want) {
            let out = repo.run(&["check"]);
            failures.push(format!(
                "{base} -> {declared} with a {change} change: exit {got:?}, want {want}\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn under_bumped_says_what_to_set() {
    let repo = repo("1.4.0", "1.5.0", "major");
    crate::support::settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().arg("check"));
    });
}

#[test]
fn major_on_zero_goes_to_one() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"mypkg\"\nversion = \"0.3.0\"\n\n[tool.bumpwise]\nmajor-on-zero = true\n",
    );
    repo.write("src/mypkg/__init__.py", "def f(a, b=1):\n    pass\n");
    repo.commit("release");
    repo.tag("v0.3.0");
    repo.write("src/mypkg/__init__.py", "def f(a):\n    pass\n");
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"mypkg\"\nversion = \"0.4.0\"\n\n[tool.bumpwise]\nmajor-on-zero = true\n",
    );
    repo.commit("break");
    assert_eq!(code(&repo), Some(1));
    let out = repo.run(&["check"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("1.0.0"));
}

#[test]
fn tag_and_declared_base_disagree() {
    let repo = TestRepo::new();
    project(&repo, "1.3.0", "def f():\n    pass\n");
    repo.commit("release");
    repo.tag("v1.4.0");
    project(&repo, "1.4.1", "def f():\n    return 1\n");
    repo.commit("fix");
    assert_eq!(code(&repo), Some(1));
}

#[test]
fn github_format_writes_summary_and_outputs() {
    let repo = repo("1.4.0", "1.5.0", "major");
    let summary = repo.path().join("summary.md");
    let output = repo.path().join("output.txt");
    let out = repo
        .bumpwise()
        .args(["check", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("::error"), "{stdout}");
    let summary = std::fs::read_to_string(summary).expect("summary written");
    assert!(summary.contains("major"), "{summary}");
    let output = std::fs::read_to_string(output).expect("output written");
    assert!(output.contains("bump=major"), "{output}");
}

#[test]
fn dynamic_version_is_an_error() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"mypkg\"\ndynamic = [\"version\"]\n",
    );
    repo.write("src/mypkg/__init__.py", "def f():\n    pass\n");
    repo.commit("release");
    repo.tag("v1.0.0");
    repo.write("src/mypkg/__init__.py", "def f():\n    return 1\n");
    repo.commit("fix");
    assert_eq!(code(&repo), Some(2));
}

/// The report's next version is the one `check` accepts: a version raised by hand far enough
/// is the next version, not a lower computed one (issue 8).
#[test]
fn issue_8_next_version_agrees_with_check() {
    let repo = repo("1.4.0", "2.0.0", "minor");
    let out = repo.run(&["check", "--format", "json"]);
    crate::support::assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["current_version"], "1.4.0");
    assert_eq!(json["declared_version"], "2.0.0");
    assert_eq!(json["next_version"], "2.0.0");
    let text = repo.run(&["diff"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.starts_with("mypkg: v1.4.0 -> HEAD (last release 1.4.0, declared 2.0.0)\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("next version 2.0.0\n"), "{stdout}");
    // Under-bumped, the next version is the computed one `check` asks for.
    let under = repo_json(&repo_under());
    assert_eq!(under["next_version"], "1.5.0");
}

fn repo_under() -> TestRepo {
    repo("1.4.0", "1.4.1", "minor")
}

fn repo_json(repo: &TestRepo) -> serde_json::Value {
    serde_json::from_slice(&repo.run(&["diff", "--format", "json"]).stdout).unwrap()
}

/// A tag newer than the version declared at that tag, or now: a warning naming both, on
/// stderr once and in the JSON (issue 8).
#[test]
fn issue_8_a_tag_newer_than_the_declared_history_is_a_warning() {
    let repo = TestRepo::new();
    project(&repo, "1.4.0", "def f(a):\n    pass\n");
    repo.commit("release");
    repo.tag("v1.5.0");
    project(&repo, "1.4.0", "def f(a, b=1):\n    pass\n");
    repo.commit("work");
    let out = repo.run(&["diff", "--format", "json"]);
    crate::support::assert_exit(&out, 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let at_tag = "warning: pyproject.toml:3:1: the tag `v1.5.0` says 1.5.0, but pyproject.toml at `v1.5.0` declares 1.4.0; fix the tag or the version";
    let now = "warning: pyproject.toml:3:1: the tag `v1.5.0` says 1.5.0, but pyproject.toml now declares 1.4.0; fix the tag or the version";
    assert_eq!(stderr.matches(at_tag).count(), 1, "{stderr}");
    assert_eq!(stderr.matches(now).count(), 1, "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["warnings"].as_array().map(Vec::len), Some(2));
    // A history that agrees says nothing.
    let quiet = repo_under().run(&["diff"]);
    assert!(
        quiet.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&quiet.stderr)
    );
}
