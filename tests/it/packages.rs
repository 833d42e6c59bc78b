//! Distributions with several top-level packages (issue 8): a public package over a private
//! sibling, and a legacy alias package beside the real one.

use crate::support::{TestRepo, assert_exit};

/// `bumpwise diff --format json`, parsed, with stderr.
fn diff_json(repo: &TestRepo) -> (serde_json::Value, String) {
    let out = repo.run(&["diff", "--format", "json"]);
    assert_exit(&out, 0);
    let json = serde_json::from_slice(&out.stdout).expect("json");
    (json, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn kinds(json: &serde_json::Value) -> Vec<(String, String)> {
    json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap_or_default().to_owned(),
                c["path"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn what_a_public_package_re_exports_from_a_private_sibling_is_compared_in_full() {
    // The pytest layout: `pytest/__init__.py` re-exports everything from `_pytest/`.
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"pytest\"\nversion = \"1.0.0\"\n",
    )
    .write(
        "src/pytest/__init__.py",
        "from _pytest.main import Session, main\n\n__all__ = [\"Session\", \"main\"]\n",
    )
    .write(
        "src/_pytest/main.py",
        "class Session:\n    def __init__(self, config): ...\n\n\ndef main(args=None, plugins=None): ...\n",
    )
    .write("src/_pytest/__init__.py", "");
    repo.commit("1.0.0");
    repo.tag("v1.0.0");
    repo.write(
        "src/_pytest/main.py",
        "class Session:\n    def __init__(self, config, *, quiet=False): ...\n\n\ndef main(args=None): ...\n",
    );
    repo.commit("drop plugins");

    let (json, stderr) = diff_json(&repo);
    assert_eq!(json["required_bump"], "major", "{json:#}");
    let kinds = kinds(&json);
    assert!(
        kinds.contains(&("parameter-removed".to_owned(), "pytest.main".to_owned())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(
            "parameter-added-optional".to_owned(),
            "pytest.Session".to_owned()
        )),
        "{kinds:?}"
    );
    assert_eq!(json["package"], "pytest");
    assert_eq!(
        json["packages"],
        serde_json::json!([
            {"name": "pytest", "path": "src/pytest"},
            {"name": "_pytest", "path": "src/_pytest"},
        ])
    );
    assert_eq!(
        stderr
            .matches("note: reading `pytest` (src/pytest/) and `_pytest` (src/_pytest/)")
            .count(),
        1,
        "{stderr}"
    );
    // The private package is not public API itself.
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn a_legacy_alias_package_is_read_beside_the_real_one() {
    // attrs 21.3 ships `attrs/` beside the old `attr/`; a name dropped from either is major.
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        concat!(
            "[project]\nname = \"attrs\"\nversion = \"21.3.0\"\n",
            "[tool.setuptools]\npackages = [\"attr\", \"attrs\"]\npackage-dir = {\"\" = \"src\"}\n",
        ),
    )
    .write(
        "src/attr/__init__.py",
        "from ._make import define, s\n\n__all__ = [\"define\", \"s\"]\n",
    )
    .write(
        "src/attr/_make.py",
        "def define(cls=None): ...\n\n\ndef s(cls=None): ...\n",
    )
    .write(
        "src/attrs/__init__.py",
        "from attr import define, s as s\n\n__all__ = [\"define\", \"s\"]\n",
    );
    repo.commit("21.3.0");
    repo.tag("v21.3.0");
    repo.write(
        "src/attrs/__init__.py",
        "from attr import define\n\n__all__ = [\"define\"]\n",
    );
    repo.commit("attrs.s is gone");

    let (json, stderr) = diff_json(&repo);
    assert_eq!(json["required_bump"], "major", "{json:#}");
    assert_eq!(
        kinds(&json),
        [("name-removed".to_owned(), "attrs.s".to_owned())]
    );
    assert_eq!(json["package"], "attrs");
    assert!(
        stderr.contains(
            "note: reading `attrs` (src/attrs/) and `attr` (src/attr/), from \
             `[tool.setuptools] packages` in pyproject.toml"
        ),
        "{stderr}"
    );
}
