//! `bumpwise imports` (issue 10): each rule's failing and passing fixture on a real repository,
//! allow comments, `[tool.bumpwise.imports]` levels, the formats and the exit codes.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{TestRepo, assert_exit, testdata};

/// A one-package repository whose `src/mypkg/core.py` is `core` and whose pyproject.toml ends
/// with `config`, committed.
fn repo(core: &str, config: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        format!("[project]\nname = \"mypkg\"\nversion = \"1.0.0\"\n{config}"),
    );
    repo.write("src/mypkg/__init__.py", "from .core import f\n");
    repo.write("src/mypkg/core.py", core);
    repo.commit("work");
    repo
}

const SYS_PATH: &str = "\
import os
import sys

HERE = os.path.dirname(__file__)


def f():
    sys.path.insert(0, HERE)
    return HERE
";

const CWD: &str = "\
from src.mypkg.util import helper
from ... import outside


def f():
    import packages.invoice_rules
    return helper
";

#[test]
fn sys_path_edit_fails_with_file_line_and_fix() {
    let repo = repo(SYS_PATH, "");
    let out = repo.run(&["imports"]);
    assert_exit(&out, 1);
    let settings = crate::support::settings(&repo);
    settings.bind(|| assert_cmd_snapshot!(repo.bumpwise().args(["imports"])));
}

#[test]
fn cwd_import_fails_with_file_line_and_fix() {
    let repo = repo(CWD, "");
    let settings = crate::support::settings(&repo);
    settings.bind(|| assert_cmd_snapshot!(repo.bumpwise().args(["imports"])));
}

#[test]
fn clean_package_passes_with_near_misses() {
    // Reading sys.path, a relative import inside the package, an absolute import of the
    // package itself and a module whose name only starts like `src`: nothing to report.
    let core = "\
import sys

from mypkg import core
from . import util
import srcery


def f():
    return list(sys.path)
";
    let repo = repo(core, "");
    // Test code may set up its own paths.
    repo.write(
        "src/mypkg/tests/test_core.py",
        "import sys\nsys.path.insert(0, '.')\n",
    );
    repo.commit("tests");
    let out = repo.run(&["imports"]);
    assert_exit(&out, 0);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "imports: no problems found\n"
    );
}

#[test]
fn allow_comment_silences_its_line_only() {
    let core = "import sys\nsys.path.append('a')  # bumpwise: allow sys-path-edit\nsys.path.append('b')  # bumpwise: allow cwd-import\n";
    let repo = repo(core, "");
    let out = repo.run(&["imports", "--format", "json"]);
    assert_exit(&out, 1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines: Vec<u64> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![3]);
}

#[test]
fn config_warn_reports_and_exits_0_off_reports_nothing() {
    let repo = repo(
        SYS_PATH,
        "[tool.bumpwise.imports]\nsys-path-edit = \"warn\"\n",
    );
    let out = repo.run(&["imports"]);
    assert_exit(&out, 0);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("src/mypkg/core.py:8: sys-path-edit (warning):"),
        "{text}"
    );

    let repo = self::repo(
        SYS_PATH,
        "[tool.bumpwise.imports]\nsys-path-edit = \"off\"\n",
    );
    let out = repo.run(&["imports"]);
    assert_exit(&out, 0);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "imports: no problems found\n"
    );
}

#[test]
fn unknown_rule_or_level_in_config_exits_2_naming_the_key() {
    let repo = repo(SYS_PATH, "[tool.bumpwise.imports]\nsys-path = \"off\"\n");
    let before = repo.state();
    let out = repo.run(&["imports"]);
    assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`sys-path`"), "{err}");
    assert_eq!(repo.state(), before);

    let repo = self::repo(SYS_PATH, "[tool.bumpwise.imports]\ncwd-import = \"loud\"\n");
    let out = repo.run(&["imports"]);
    assert_exit(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("`imports.cwd-import`"));
}

#[test]
fn syntax_error_in_a_function_body_exits_2() {
    let repo = repo("x = 1\ndef f():\n    y = )\n", "");
    let out = repo.run(&["imports"]);
    assert_exit(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("src/mypkg/core.py"));
}

#[test]
fn json_and_github_formats() {
    let repo = repo(SYS_PATH, "");
    let settings = crate::support::settings(&repo);
    settings.bind(|| {
        assert_cmd_snapshot!(
            "json",
            repo.bumpwise().args(["imports", "--format", "json"])
        );
        assert_cmd_snapshot!(
            "github",
            repo.bumpwise().args(["imports", "--format", "github"])
        );
    });
}

#[test]
fn all_members_of_a_monorepo() {
    let repo = TestRepo::new();
    repo.load_tree(&testdata("workspaces/monorepo"));
    repo.commit("the monorepo");
    let out = repo.run(&["imports", "--all", "--format", "json"]);
    assert_exit(&out, 0);
    repo.write(
        "packages/date_parsing/src/date_parsing/extra.py",
        "from packages.invoice_rules.src.invoice_rules import rules\n",
    );
    repo.commit("a cwd import");
    let out = repo.run(&["imports", "--all", "--format", "json"]);
    assert_exit(&out, 1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String, String)> = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| {
            let member = m["member"].as_str().unwrap().to_owned();
            m["findings"].as_array().unwrap().iter().map(move |f| {
                (
                    member.clone(),
                    f["rule"].as_str().unwrap().to_owned(),
                    format!("{}:{}", f["file"].as_str().unwrap(), f["line"]),
                )
            })
        })
        .collect();
    assert_eq!(
        found,
        vec![(
            "date-parsing".to_owned(),
            "cwd-import".to_owned(),
            "packages/date_parsing/src/date_parsing/extra.py:1".to_owned()
        )]
    );
}
