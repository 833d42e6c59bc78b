//! Finding the package of setup.py-era projects (issue 8): no pyproject.toml, or one without
//! `[project]`, with the name and package settings in setup.cfg and setup.py. Each test
//! releases a layout from `testdata/layouts/`, changes the package, and checks which files
//! `bumpwise diff` read.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{TestRepo, assert_exit, settings, testdata};

/// A repository holding layout `name`, tagged `tag`.
fn released(name: &str, tag: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.load_tree(&testdata(&format!("layouts/{name}")));
    repo.commit("release");
    repo.tag(tag);
    repo
}

/// The text report of `bumpwise diff`, which must succeed.
fn diff(repo: &TestRepo) -> String {
    let out = repo.run(&["diff"]);
    assert_exit(&out, 0);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// six ships one module, named in setup.py (issue 8).
#[test]
fn issue_8_setup_py_only_single_module() {
    let repo = released("setup-py-only", "1.16.0");
    repo.write(
        "six.py",
        "\"\"\"Utilities for writing code that runs on Python 2 and 3\"\"\"\n\n\
         __version__ = \"1.17.0\"\n\nPY3 = True\n\n\n\
         def ensure_str(s, encoding=\"utf-8\", errors=\"strict\"):\n    return s\n\n\n\
         def ensure_text(s):\n    return s\n",
    );
    repo.commit("Add ensure_text");
    settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().arg("diff"));
    });
}

/// `packages = find:` under `package_dir = =src`, and the import name (`widgets`) is not the
/// project name (`widget-kit`) (issue 8).
#[test]
fn issue_8_setup_cfg_find_under_src() {
    let repo = released("setup-cfg-find", "v2.0.0");
    repo.write(
        "src/widgets/__init__.py",
        "__version__ = \"2.0.0\"\n\n\ndef make_widget(name, *, size):\n    return name\n",
    );
    // Excluded by `[options.packages.find]`: not the package, so not a change.
    repo.write("src/other_tools/__init__.py", "");
    repo.commit("make_widget needs a size");
    settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().arg("diff"));
    });
}

/// A pyproject.toml with only `[build-system]` and tool settings, the name and `package_dir`
/// in setup.cfg, as SQLAlchemy 2.0 had (issue 8).
#[test]
fn issue_8_pyproject_without_project_table_and_setup_cfg_package_dir() {
    let repo = released("setup-cfg-package-dir", "v3.1.0");
    repo.write(
        "lib/querykit/__init__.py",
        "__version__ = \"3.1.0\"\n\n\ndef select(*columns, distinct=False):\n    return columns\n",
    );
    repo.commit("select(distinct=...)");
    settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().arg("diff"));
    });
}

/// A literal name and version in setup.py, over setup.cfg's, and `find_packages` in setup.py.
#[test]
fn setup_py_arguments_win_over_setup_cfg() {
    let repo = TestRepo::new();
    repo.write(
        "setup.cfg",
        "[metadata]\nname = wrong-name\nversion = 0.0.1\n\n[options]\npackages = wrong\n",
    );
    repo.write(
        "setup.py",
        "from setuptools import setup, find_packages\n\nsetup(\n    name=\"right\",\n    \
         version=\"1.0.0\",\n    package_dir={\"\": \"source\"},\n    \
         packages=find_packages(\"source\", exclude=[\"tests\", \"tests.*\"]),\n)\n",
    );
    repo.write("source/right/__init__.py", "def f():\n    pass\n");
    repo.write("wrong/__init__.py", "def g():\n    pass\n");
    repo.commit("release");
    repo.tag("v1.0.0");
    repo.write(
        "source/right/__init__.py",
        "def f():\n    pass\n\n\ndef h():\n    pass\n",
    );
    repo.write("wrong/__init__.py", "");
    repo.commit("add h");
    let report = diff(&repo);
    assert!(
        report.starts_with("right: v1.0.0 -> HEAD (last release 1.0.0, declared 1.0.0)"),
        "{report}"
    );
    assert!(report.contains("`right.h` was added"), "{report}");
    assert!(!report.contains("wrong"), "{report}");
}

/// The release predates pyproject.toml: its own setup.py finds the package where it was then
/// (`lib/kit`), not where the compared revision keeps it (`src/kit`).
#[test]
fn a_release_before_pyproject_reads_its_own_setup_py() {
    let repo = TestRepo::new();
    repo.write(
        "setup.py",
        "from setuptools import setup\n\nsetup(name='kit', packages=['kit'], package_dir={'kit': 'lib/kit'})\n",
    );
    repo.write(
        "lib/kit/__init__.py",
        "def old():\n    pass\n\n\ndef kept():\n    pass\n",
    );
    repo.commit("release 1.0.0");
    repo.tag("v1.0.0");
    repo.remove("setup.py");
    repo.remove("lib");
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"kit\"\nversion = \"2.0.0\"\nrequires-python = \">=3.8\"\n",
    );
    repo.write("src/kit/__init__.py", "def kept():\n    pass\n");
    repo.commit("Move to pyproject.toml and src/");
    let report = diff(&repo);
    assert!(report.contains("`kit.old` was removed"), "{report}");
    assert!(report.contains("--> lib/kit/__init__.py:1"), "{report}");
    // setup.py's `setup()` is read whole and has no `python_requires`: the release allowed
    // every Python, so pyproject.toml's `>=3.8` is a raise from nothing (PyJWT 2.0).
    assert!(
        report.contains("`requires-python` was raised from nothing to `>=3.8`"),
        "{report}"
    );
    assert!(report.contains("required bump: major"), "{report}");
}

/// A literal version in setup.py is read as the declared version by `check`, and `release`
/// refuses to leave it behind, changing nothing.
#[test]
fn release_refuses_a_version_literal_in_setup_py() {
    let repo = TestRepo::new();
    repo.write(
        "setup.py",
        "from setuptools import setup\n\nsetup(name='solo', version='1.0.0', py_modules=['solo'])\n",
    );
    repo.write("solo.py", "def f():\n    pass\n");
    repo.commit("release");
    repo.tag("v1.0.0");
    repo.write("solo.py", "def f():\n    pass\n\n\ndef g():\n    pass\n");
    repo.commit("add g");

    // 1.0.0 declared, a minor change made: the gate fails.
    assert_exit(&repo.run(&["check"]), 1);

    let before = repo.state();
    let out = repo.run(&["release", "--yes"]);
    assert_exit(&out, 2);
    assert_eq!(before, repo.state(), "the repository changed");
    settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().args(["release", "--yes"]));
    });
}

/// With no pyproject.toml and the version in `__version__` (six), a release rewrites
/// `__version__` and creates no pyproject.toml.
#[test]
fn release_without_pyproject_rewrites_dunder_version() {
    let repo = released("setup-py-only", "1.16.0");
    repo.write(
        "six.py",
        "__version__ = \"1.16.0\"\n\nPY3 = True\n\n\ndef ensure_str(s, encoding=\"utf-8\", errors=\"strict\"):\n    return s\n\n\ndef ensure_text(s):\n    return s\n",
    );
    repo.commit("Add ensure_text");
    let out = repo.run(&["release", "--yes"]);
    assert_exit(&out, 0);
    assert!(
        repo.read("six.py")
            .starts_with("__version__ = \"1.17.0\"\n")
    );
    assert!(!repo.path().join("pyproject.toml").exists());
    assert!(repo.repo.find_reference("refs/tags/v1.17.0").is_ok());
}
