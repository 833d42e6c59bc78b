//! `require-deprecation`: a removal fails `check` unless it was deprecated at the base release.

use crate::support::{TestRepo, assert_exit};

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
