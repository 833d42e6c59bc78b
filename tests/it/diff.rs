//! `bumpwise diff` and `bumpwise api` on one realistic repository, in every format.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{TestRepo, assert_exit, project};

const BEFORE: &str = r#"from .client import Client, connect
from . import errors

__all__ = ["Client", "connect", "errors", "DEFAULT_TIMEOUT", "legacy"]

DEFAULT_TIMEOUT = 10


def legacy(x):
    return x
"#;

const AFTER: &str = r#"from .client import Client, connect
from . import errors

__all__ = ["Client", "connect", "errors", "DEFAULT_TIMEOUT", "stream"]

DEFAULT_TIMEOUT = 30


def stream(url, *, chunk_size=1024):
    yield b""
"#;

const CLIENT_BEFORE: &str = r#"class Client:
    def __init__(self, base_url: str, timeout: float = 5.0):
        self.base_url = base_url

    def get(self, path: str) -> bytes:
        return b""


def connect(host, port=80, timeout=None):
    return Client(host)
"#;

const CLIENT_AFTER: &str = r#"class Client:
    def __init__(self, base_url: str, timeout: float = 5.0, retries: int = 0):
        self.base_url = base_url

    def get(self, path: str, params: dict | None = None) -> bytes:
        return b""

    def close(self) -> None:
        pass


def connect(host, port=80, *, timeout=None):
    return Client(host)
"#;

pub fn sample_repo() -> TestRepo {
    let repo = TestRepo::new();
    project(&repo, "1.4.0", BEFORE);
    repo.write("src/mypkg/client.py", CLIENT_BEFORE);
    repo.write("src/mypkg/errors.py", "class Error(Exception):\n    pass\n");
    repo.commit("release 1.4.0");
    repo.tag("v1.4.0");
    project(&repo, "1.4.0", AFTER);
    repo.write("src/mypkg/client.py", CLIENT_AFTER);
    repo.commit("rework the client");
    repo
}

#[test]
fn text() {
    let repo = sample_repo();
    crate::support::settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().arg("diff"));
    });
}

#[test]
fn json() {
    let repo = sample_repo();
    crate::support::settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().args(["diff", "--format", "json"]));
    });
}

#[test]
fn markdown() {
    let repo = sample_repo();
    crate::support::settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().args(["diff", "--format", "markdown"]));
    });
}

#[test]
fn github() {
    let repo = sample_repo();
    crate::support::settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().args(["diff", "--format", "github"]));
    });
}

#[test]
fn api_text() {
    let repo = sample_repo();
    crate::support::settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().args(["api", "v1.4.0"]));
    });
}

#[test]
fn output_is_byte_identical_across_runs() {
    let repo = sample_repo();
    for format in ["text", "json", "markdown", "github"] {
        let a = repo.run(&["diff", "--format", format]);
        let b = repo.run(&["diff", "--format", format]);
        assert_eq!(a.stdout, b.stdout, "{format}");
        assert!(!a.stdout.contains(&0x1b), "{format} has escape codes");
    }
}

#[test]
fn color_only_when_asked() {
    let repo = sample_repo();
    let plain = repo.run(&["diff"]);
    assert!(!plain.stdout.contains(&0x1b));
    let forced = repo.run(&["diff", "--color", "always"]);
    assert!(forced.stdout.contains(&0x1b));
}

#[test]
fn worktree_sees_uncommitted_changes() {
    let repo = sample_repo();
    repo.write("src/mypkg/extra.py", "def new_thing():\n    pass\n");
    let out = repo.run(&["diff", "--to", "WORKTREE", "--format", "json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("mypkg.extra"), "{text}");
    let out = repo.run(&["diff", "--format", "json"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("mypkg.extra"));
}

#[test]
fn newest_tag_by_version_not_by_date() {
    let repo = TestRepo::new();
    project(&repo, "1.10.0", "def a():\n    pass\n");
    repo.commit("1.10");
    repo.tag("v1.10.0");
    // An older version tagged later on the same commit must not win.
    repo.tag_lightweight("1.9.0");
    project(
        &repo,
        "1.10.0",
        "def a():\n    pass\n\ndef b():\n    pass\n",
    );
    repo.commit("add b");
    let out = repo.run(&["diff", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["from"], "v1.10.0");
    assert_eq!(json["next_version"], "1.11.0");
}

#[test]
fn no_changes_is_none_and_docs_only_is_patch() {
    let repo = TestRepo::new();
    project(&repo, "1.0.0", "def a():\n    pass\n");
    repo.commit("1.0");
    repo.tag("v1.0.0");
    repo.write("README.md", "docs\n");
    repo.commit("docs outside the package");
    let out = repo.run(&["diff", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["required_bump"], "none");
    // Issue 8: a data file of the package (here `py.typed`, then a template) changes the wheel.
    repo.write("src/mypkg/py.typed", "");
    repo.commit("typed");
    let out = repo.run(&["diff", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["required_bump"], "patch");
    assert_eq!(json["changes"], serde_json::json!([]));
    repo.tag("v1.0.1");
    repo.write("src/mypkg/templates/page.html", "<p>{{ x }}</p>\n");
    repo.commit("template");
    let out = repo.run(&["diff", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["required_bump"], "patch");
    project(
        &repo,
        "1.0.0",
        "def a():\n    \"\"\"Docs.\"\"\"\n    return 1\n",
    );
    repo.commit("body change");
    let out = repo.run(&["diff", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["required_bump"], "patch");
    assert_eq!(json["next_version"], "1.0.2");
}

#[test]
fn a_name_bound_through_global_by_a_function_called_on_import_is_not_removed() {
    // colorama 0.4.5 -> 0.4.6: `initialise.py` moved its module state into a function that the
    // module calls, and every name it binds through `global` was reported removed.
    let repo = TestRepo::new();
    project(
        &repo,
        "1.0.0",
        "orig_stdout = None\n\n\ndef reset_all():\n    pass\n",
    );
    repo.commit("direct binding");
    repo.tag("v1.0.0");
    let wipe = "def _wipe_internal_state_for_tests():\n    global orig_stdout\n    orig_stdout = None\n\n\ndef reset_all():\n    pass\n";
    project(
        &repo,
        "1.0.0",
        format!("{wipe}\n\n_wipe_internal_state_for_tests()\n").as_str(),
    );
    repo.commit("bound by a function called on import");
    let out = repo.run(&["diff", "--format", "json"]);
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["required_bump"], "patch", "{json}");
    assert_eq!(json["changes"], serde_json::json!([]), "{json}");
    // Near-miss: a function nobody calls on import binds nothing, so the name is gone.
    project(&repo, "1.0.0", wipe);
    repo.commit("no longer called");
    let out = repo.run(&["diff", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["required_bump"], "major", "{json}");
    assert_eq!(json["changes"][0]["kind"], "name-removed", "{json}");
    assert_eq!(json["changes"][0]["path"], "mypkg.orig_stdout", "{json}");
}

#[test]
fn a_name_bound_by_unpacking_is_api_and_its_removal_is_major() {
    // python-dateutil binds its weekday constants as `MO, TU, ... = weekdays = tuple(...)`;
    // those names were not seen at all, so dropping one went unreported.
    let repo = TestRepo::new();
    project(
        &repo,
        "1.0.0",
        "MO, TU = weekdays = tuple(range(2))\n(YEARLY,\n MONTHLY) = list(range(2))\n",
    );
    repo.commit("unpacked constants");
    repo.tag("v1.0.0");
    project(
        &repo,
        "1.0.0",
        "MO, = weekdays = tuple(range(1))\n(YEARLY,\n MONTHLY) = list(range(2))\n",
    );
    repo.commit("TU is gone");
    let out = repo.run(&["diff", "--format", "json"]);
    assert_exit(&out, 0);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["required_bump"], "major", "{json}");
    let kinds: Vec<(&str, &str)> = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap_or(""),
                c["path"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("name-removed", "mypkg.TU"),
            ("value-changed", "mypkg.weekdays")
        ],
        "{json}"
    );
}

#[test]
fn monorepo_package_with_prefixed_tags() {
    let repo = TestRepo::new();
    repo.write(
        "packages/alpha/pyproject.toml",
        "[project]\nname = \"alpha\"\nversion = \"0.3.0\"\n\n[tool.bumpwise]\ntag-format = \"alpha-v{version}\"\n",
    );
    repo.write(
        "packages/alpha/src/alpha/__init__.py",
        "def f(x):\n    pass\n",
    );
    repo.write(
        "packages/beta/pyproject.toml",
        "[project]\nname = \"beta\"\nversion = \"2.0.0\"\n",
    );
    repo.write("packages/beta/beta/__init__.py", "def g():\n    pass\n");
    repo.commit("both");
    repo.tag("alpha-v0.3.0");
    // In a repository of several projects, a member's tags are `{name}-v{version}` by default.
    repo.tag("beta-v2.0.0");
    repo.write(
        "packages/alpha/src/alpha/__init__.py",
        "def f():\n    pass\n",
    );
    repo.commit("break alpha");
    let out = repo.run(&["diff", "--package", "packages/alpha", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["from"], "alpha-v0.3.0");
    assert_eq!(json["required_bump"], "major");
    // 0.x: a breaking change bumps the minor number.
    assert_eq!(json["next_version"], "0.4.0");
    let out = repo.run(&["diff", "--package", "packages/beta", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["required_bump"], "none");
}

#[test]
fn rules_raise_a_kind_and_exclude_hides_a_module() {
    let repo = TestRepo::new();
    let pyproject = "[project]\nname = \"mypkg\"\nversion = \"1.0.0\"\n\n[tool.bumpwise]\nrules = { default-changed = \"minor\" }\nexclude = [\"mypkg.internal*\"]\n";
    repo.write("pyproject.toml", pyproject);
    repo.write("src/mypkg/__init__.py", "def f(a, b=1):\n    pass\n");
    repo.write("src/mypkg/internals.py", "def g():\n    pass\n");
    repo.commit("release");
    repo.tag("v1.0.0");
    repo.write("src/mypkg/__init__.py", "def f(a, b=2):\n    pass\n");
    repo.write("src/mypkg/internals.py", "def g(x):\n    pass\n");
    repo.commit("change a default; break an excluded module");
    let out = repo.run(&["diff", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["required_bump"], "minor", "{json}");
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(1), "{json}");
    assert_eq!(json["changes"][0]["kind"], "default-changed");
    assert_eq!(json["changes"][0]["bump"], "minor");
}

#[test]
fn packaging_metadata_changes_and_their_rules() {
    // Issue 8: `requires-python` raised and a dependency moved into an extra, read from the
    // `[project]` table of each revision, with `rules` raising one of them.
    let repo = TestRepo::new();
    let pyproject = |requires: &str, deps: &str| {
        format!(
            "[project]\nname = \"mypkg\"\nversion = \"1.0.0\"\nrequires-python = \"{requires}\"\n{deps}\n[tool.bumpwise]\nrules = {{ requires-python-raised = \"major\" }}\n"
        )
    };
    repo.write(
        "pkg/pyproject.toml",
        pyproject(">=3.8", "dependencies = [\"rich\"]\n"),
    );
    repo.write("pkg/src/mypkg/__init__.py", "def f():\n    pass\n");
    repo.commit("release");
    repo.tag("v1.0.0");
    repo.write(
        "pkg/pyproject.toml",
        pyproject(
            ">=3.9",
            "dependencies = []\n[project.optional-dependencies]\ncli = [\"rich\"]\n",
        ),
    );
    repo.commit("drop 3.8; rich is optional");
    let out = repo
        .bumpwise()
        .args(["diff", "--format", "json", "--package", "pkg"])
        .output()
        .expect("run");
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["required_bump"], "major", "{json}");
    let changes: Vec<(String, String, String, String)> = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_owned();
            (s("kind"), s("bump"), s("path"), s("file"))
        })
        .collect();
    let row = |kind: &str, bump: &str, path: &str| {
        (
            kind.to_owned(),
            bump.to_owned(),
            path.to_owned(),
            "pkg/pyproject.toml".to_owned(),
        )
    };
    assert_eq!(
        changes,
        [
            row("requires-python-raised", "major", "requires-python"),
            row("dependency-removed", "patch", "rich"),
        ],
        "{json}"
    );
}

#[test]
fn runs_from_a_folder_inside_the_project() {
    let repo = sample_repo();
    let out = crate::support::bumpwise_in(&repo.path().join("src/mypkg"))
        .args(["diff", "--format", "json"])
        .output()
        .expect("run");
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["package"], "mypkg");
    assert_eq!(json["required_bump"], "major");
}

/// `{name}` in `tag-format` is the project's normalized name in a repository of one project too
/// (it was filled in only for workspace members, so `release` would have tagged `{name}-v...`).
#[test]
fn name_in_tag_format_of_a_single_project() {
    let repo = TestRepo::new();
    let pyproject = |v: &str| {
        format!(
            "[project]\nname = \"My_Pkg\"\nversion = \"{v}\"\n\n[tool.bumpwise]\ntag-format = \"{{name}}-v{{version}}\"\n"
        )
    };
    repo.write("pyproject.toml", pyproject("1.0.0"));
    repo.write("src/my_pkg/__init__.py", "def f():\n    pass\n");
    repo.commit("release");
    repo.tag("my-pkg-v1.0.0");
    repo.write(
        "src/my_pkg/__init__.py",
        "def f():\n    pass\n\n\ndef g():\n    pass\n",
    );
    repo.commit("add g");
    let out = repo.run(&["diff", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["from"], "my-pkg-v1.0.0", "{json}");
    let out = repo.run(&["release", "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("my-pkg-v1.1.0"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
