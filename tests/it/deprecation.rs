//! `require-deprecation`: a removal fails `check` unless it was deprecated at the base release;
//! `deprecation-period`: in that many releases; and since which release it was, in the reports
//! and the changelog.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{TestRepo, assert_exit, settings};

/// A release 1.0.0 with `before` as `mypkg/__init__.py` (plus `extra` files), then 2.0.0 with
/// `after`, so the version half of the gate always passes.
fn repo(gate: bool, before: &[(&str, &str)], after: &[(&str, &str)]) -> TestRepo {
    let repo = TestRepo::new();
    let pyproject = |v: &str| {
        let tool = if gate {
            "\n[tool.bumpwise]\nrequire-deprecation = true\n"
        } else {
            ""
        };
        format!("[project]\nname = \"mypkg\"\nversion = \"{v}\"\n{tool}")
    };
    repo.write("pyproject.toml", pyproject("1.0.0"));
    for (path, text) in before {
        repo.write(&format!("src/mypkg/{path}"), text);
    }
    repo.commit("release");
    repo.tag("v1.0.0");
    repo.write("pyproject.toml", pyproject("2.0.0"));
    for (path, _) in before {
        repo.remove(&format!("src/mypkg/{path}"));
    }
    for (path, text) in after {
        repo.write(&format!("src/mypkg/{path}"), text);
    }
    repo.commit("remove");
    repo
}

fn check(repo: &TestRepo) -> (std::process::Output, String) {
    let out = repo.run(&["check"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out, text)
}

const KEEP: &str = "def keep():\n    pass\n";

#[test]
fn removal_without_deprecation_fails_with_the_setting() {
    let before = format!("{KEEP}def old():\n    pass\n");
    let (out, text) = check(&repo(
        true,
        &[("__init__.py", &before)],
        &[("__init__.py", KEEP)],
    ));
    assert_exit(&out, 1);
    assert!(
        text.contains("deprecate `mypkg.old` first (warn with DeprecationWarning, or @deprecated)"),
        "{text}"
    );
}

#[test]
fn removal_without_deprecation_passes_without_the_setting() {
    let before = format!("{KEEP}def old():\n    pass\n");
    let (out, _) = check(&repo(
        false,
        &[("__init__.py", &before)],
        &[("__init__.py", KEEP)],
    ));
    assert_exit(&out, 0);
}

#[test]
fn removal_after_deprecation_passes() {
    let cases = [
        "from typing_extensions import deprecated\n@deprecated('use keep')\ndef old():\n    pass\n",
        "import warnings\ndef old():\n    warnings.warn('use keep', DeprecationWarning, stacklevel=2)\n",
        "import warnings\ndef old():\n    warnings.warn('use keep', FutureWarning)\n",
        "import warnings\ndef old():\n    warnings.warn('use keep', PendingDeprecationWarning)\n",
        "def old():\n    \"\"\"Old.\n\n    .. deprecated:: 1.0\n       Use keep.\n    \"\"\"\n",
        "class Old:\n    \"\"\".. deprecated:: 1.0\"\"\"\n",
        "import warnings\ndef __getattr__(name):\n    if name == 'old':\n        warnings.warn('use keep', DeprecationWarning)\n        return keep\n    raise AttributeError(name)\n",
    ];
    for case in cases {
        let before = format!("{KEEP}{case}");
        let (out, text) = check(&repo(
            true,
            &[("__init__.py", &before)],
            &[("__init__.py", KEEP)],
        ));
        assert_eq!(out.status.code(), Some(0), "{case}\n{text}");
    }
}

#[test]
fn move_without_shim_fails_and_shows_the_shim() {
    let (out, text) = check(&repo(
        true,
        &[("__init__.py", ""), ("a.py", "class Old:\n    pass\n")],
        &[
            ("__init__.py", ""),
            ("a.py", ""),
            ("b.py", "class Old:\n    pass\n"),
        ],
    ));
    assert_exit(&out, 1);
    assert!(
        text.contains(
            "def __getattr__(name):\n    if name == \"Old\":\n        warnings.warn(\"mypkg.a.Old moved to mypkg.b.Old\", DeprecationWarning, stacklevel=2); from mypkg.b import Old; return Old\n    raise AttributeError(name)"
        ),
        "{text}"
    );
}

#[test]
fn parameter_removal() {
    let plain = "def f(a, b=1):\n    pass\n";
    let warns = "import warnings\ndef f(a, b=None):\n    if b is not None:\n        warnings.warn('b is deprecated', DeprecationWarning)\n";
    let warns_first =
        "import warnings\ndef f(a, b=None):\n    warnings.warn('b is going', DeprecationWarning)\n";
    let after = "def f(a):\n    pass\n";
    let (out, text) = check(&repo(
        true,
        &[("__init__.py", plain)],
        &[("__init__.py", after)],
    ));
    assert_exit(&out, 1);
    assert!(text.contains("deprecate `mypkg.f` first"), "{text}");
    let (out, _) = check(&repo(
        true,
        &[("__init__.py", warns_first)],
        &[("__init__.py", after)],
    ));
    assert_exit(&out, 0);
    // A warning under an `if` is not read (the surface never walks bodies): still a failure.
    let (out, _) = check(&repo(
        true,
        &[("__init__.py", warns)],
        &[("__init__.py", after)],
    ));
    assert_exit(&out, 1);
}

#[test]
fn member_removal_needs_a_deprecated_member() {
    let before = "import warnings\nclass C:\n    def old(self):\n        warnings.warn('x', DeprecationWarning)\n    def other(self):\n        pass\n";
    let after = "class C:\n    pass\n";
    let (out, text) = check(&repo(
        true,
        &[("__init__.py", before)],
        &[("__init__.py", after)],
    ));
    assert_exit(&out, 1);
    assert!(text.contains("deprecate `mypkg.C.other` first"), "{text}");
    assert!(!text.contains("deprecate `mypkg.C.old` first"), "{text}");
}

const OLD: &str = "def old():\n    pass\n";
const OLD_DEPRECATED: &str = "import warnings\ndef old():\n    warnings.warn('use keep', DeprecationWarning, stacklevel=2)\n";

/// A release per `(version, old)` (tagged `v{version}`, with `KEEP` and `old` in
/// `mypkg/__init__.py`), then a commit declaring `head` that removes `old`. `tool` is the body
/// of `[tool.bumpwise]`.
fn history(tool: &str, releases: &[(&str, &str)], head: &str) -> TestRepo {
    let repo = TestRepo::new();
    let pyproject = |v: &str| {
        format!("[project]\nname = \"mypkg\"\nversion = \"{v}\"\n\n[tool.bumpwise]\n{tool}")
    };
    for (version, old) in releases {
        repo.write("pyproject.toml", pyproject(version));
        repo.write("src/mypkg/__init__.py", format!("{KEEP}{old}"));
        repo.commit(&format!("release {version}"));
        repo.tag(&format!("v{version}"));
    }
    repo.write("pyproject.toml", pyproject(head));
    repo.write("src/mypkg/__init__.py", KEEP);
    repo.commit("Remove old");
    repo
}

const PERIOD_2: &str = "require-deprecation = true\ndeprecation-period = 2\n";

#[test]
fn period_two_passes_when_deprecated_in_two_releases() {
    let repo = history(
        PERIOD_2,
        &[
            ("1.0.0", OLD),
            ("1.1.0", OLD_DEPRECATED),
            ("1.2.0", OLD_DEPRECATED),
        ],
        "2.0.0",
    );
    let (out, text) = check(&repo);
    assert_exit(&out, 0);
    assert!(text.contains("(deprecated since 1.1.0)"), "{text}");
}

#[test]
fn period_two_fails_when_deprecated_only_in_the_last_release() {
    let repo = history(
        PERIOD_2,
        &[("1.0.0", OLD), ("1.1.0", OLD_DEPRECATED)],
        "2.0.0",
    );
    let before = repo.state();
    settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().arg("check"));
    });
    assert_eq!(before, repo.state());
}

#[test]
fn period_longer_than_the_history_fails() {
    let repo = history(PERIOD_2, &[("1.0.0", OLD_DEPRECATED)], "2.0.0");
    let (out, text) = check(&repo);
    assert_exit(&out, 1);
    assert!(
        text.contains(
            "`mypkg.old` was deprecated in 1 release (since 1.0.0); deprecation-period asks for 2: remove it in a later release"
        ),
        "{text}"
    );
}

#[test]
fn the_period_counts_back_to_the_last_break_in_deprecation() {
    // Deprecated in 1.0.0, not in 1.1.0, again in 1.2.0 and 1.3.0: two releases, since 1.2.0.
    let releases = [
        ("1.0.0", OLD_DEPRECATED),
        ("1.1.0", OLD),
        ("1.2.0", OLD_DEPRECATED),
        ("1.3.0", OLD_DEPRECATED),
    ];
    let (out, text) = check(&history(
        "require-deprecation = true\ndeprecation-period = 3\n",
        &releases,
        "2.0.0",
    ));
    assert_exit(&out, 1);
    assert!(
        text.contains(
            "`mypkg.old` was deprecated in 2 releases (since 1.2.0); deprecation-period asks for 3"
        ),
        "{text}"
    );
    let (out, _) = check(&history(PERIOD_2, &releases, "2.0.0"));
    assert_exit(&out, 0);
}

#[test]
fn deprecation_period_alone_turns_the_gate_on() {
    let repo = history("deprecation-period = 1\n", &[("1.0.0", OLD)], "2.0.0");
    let (out, text) = check(&repo);
    assert_exit(&out, 1);
    assert!(text.contains("deprecate `mypkg.old` first"), "{text}");
    // An explicit `false` keeps the gate off.
    let repo = history(
        "require-deprecation = false\ndeprecation-period = 2\n",
        &[("1.0.0", OLD)],
        "2.0.0",
    );
    let (out, _) = check(&repo);
    assert_exit(&out, 0);
}

#[test]
fn deprecation_period_zero_is_a_config_error() {
    let repo = history(
        "require-deprecation = true\ndeprecation-period = 0\n",
        &[("1.0.0", OLD_DEPRECATED)],
        "2.0.0",
    );
    let before = repo.state();
    settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().arg("check"));
    });
    assert_eq!(before, repo.state());
}

#[test]
fn since_shows_in_check_text_and_json_and_in_diff() {
    let repo = history(
        "require-deprecation = true\n",
        &[("1.0.0", OLD_DEPRECATED), ("1.1.0", OLD_DEPRECATED)],
        "2.0.0",
    );
    settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().arg("check"));
    });
    let out = repo.run(&["check", "--format", "json"]);
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let change = &json["changes"][0];
    assert_eq!(change["path"], "mypkg.old");
    assert_eq!(change["deprecated_since"], "1.0.0");
    let out = repo.run(&["diff"]);
    assert_exit(&out, 0);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(deprecated since 1.0.0)"), "{text}");
}

#[test]
fn since_is_left_out_without_the_gate() {
    let repo = history("", &[("1.0.0", OLD_DEPRECATED)], "2.0.0");
    let out = repo.run(&["check", "--format", "json"]);
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["changes"][0]["path"], "mypkg.old");
    assert!(
        json["changes"][0].get("deprecated_since").is_none(),
        "{json}"
    );
}

#[test]
fn since_shows_in_the_release_changelog() {
    let repo = history(
        "require-deprecation = true\nchangelog = \"CHANGELOG.md\"\n",
        &[("1.0.0", OLD_DEPRECATED), ("1.1.0", OLD_DEPRECATED)],
        "1.1.0",
    );
    let out = repo.run(&["release", "--yes"]);
    assert_exit(&out, 0);
    let changelog = repo.read("CHANGELOG.md");
    assert!(
        changelog.contains("(deprecated since 1.0.0)"),
        "{changelog}"
    );
    settings(&repo).bind(|| {
        insta::assert_snapshot!(changelog);
    });
}

#[test]
fn an_unreadable_older_release_ends_the_count_with_a_warning() {
    let repo = history(
        PERIOD_2,
        &[
            ("1.0.0", "def old(:\n"),
            ("1.1.0", OLD_DEPRECATED),
            ("1.2.0", OLD_DEPRECATED),
        ],
        "2.0.0",
    );
    let (out, text) = check(&repo);
    assert_exit(&out, 0);
    assert!(text.contains("(deprecated since 1.1.0)"), "{text}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("warning: cannot read `v1.0.0` to tell since when removals were deprecated"),
        "{stderr}"
    );
}
