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
    // package itself and a declared dependency whose name only starts like `src`: nothing to
    // report.
    let core = "\
import sys

from mypkg import core
from . import util
import srcery


def f():
    return list(sys.path)
";
    let repo = repo(core, "dependencies = [\"srcery\"]\n");
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

/// The monorepo of `testdata/workspaces/monorepo`, with `overlay` (a folder of files) on top.
fn monorepo(overlay: Option<&str>) -> TestRepo {
    let repo = TestRepo::new();
    repo.load_tree(&testdata("workspaces/monorepo"));
    if let Some(dir) = overlay {
        overlay_tree(&repo, &testdata(dir), "");
    }
    repo.commit("layout");
    repo
}

fn overlay_tree(repo: &TestRepo, dir: &std::path::Path, rel: &str) {
    for entry in std::fs::read_dir(dir).expect("ls") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if entry.path().is_dir() {
            overlay_tree(repo, &entry.path(), &path);
        } else {
            repo.write(&path, std::fs::read(entry.path()).expect("read"));
        }
    }
}

/// `rule file:line` for every finding of `imports --all`, sorted.
fn findings(repo: &TestRepo) -> (i32, Vec<String>) {
    let out = repo.run(&["imports", "--all", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut found: Vec<String> = v["members"]
        .as_array()
        .expect("members")
        .iter()
        .flat_map(|m| m["findings"].as_array().expect("findings").clone())
        .map(|f| {
            format!(
                "{} {}:{}",
                f["rule"].as_str().unwrap_or_default(),
                f["file"].as_str().unwrap_or_default(),
                f["line"]
            )
        })
        .collect();
    found.sort();
    (out.status.code().unwrap_or(-1), found)
}

#[test]
fn the_monorepo_with_a_clean_layout_passes() {
    let repo = monorepo(None);
    let (code, found) = findings(&repo);
    assert_eq!((code, found), (0, vec![]));
}

/// Every rule has `testdata/imports/<rule>/`: `fail/` (files laid over the monorepo) gives
/// exactly the findings of `expected.txt`, and `pass/`, its near-misses, gives none.
#[test]
fn every_rule_fails_its_fixture_and_passes_its_near_misses() {
    let ids = [
        "undeclared-member",
        "service-imports-service",
        "script-import",
        "package-imports-service",
        "sys-path-edit",
        "cwd-import",
        "unknown-import",
        "copied-code",
    ];
    let on_disk: Vec<String> = std::fs::read_dir(testdata("imports"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let mut sorted_disk = on_disk.clone();
    sorted_disk.sort();
    let mut sorted_ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    sorted_ids.sort();
    assert_eq!(sorted_disk, sorted_ids, "one fixture folder per rule");
    let mut failures = Vec::new();
    for id in ids {
        let expected: Vec<String> =
            std::fs::read_to_string(testdata(&format!("imports/{id}/expected.txt")))
                .expect("expected.txt")
                .lines()
                .map(str::to_owned)
                .collect();
        let got = findings(&monorepo(Some(&format!("imports/{id}/fail"))));
        if got != (1, expected.clone()) {
            failures.push(format!(
                "{id}/fail: expected exit 1 and {expected:#?}, got {got:#?}"
            ));
        }
        let got = findings(&monorepo(Some(&format!("imports/{id}/pass"))));
        if got != (0, vec![]) {
            failures.push(format!("{id}/pass: expected nothing, got {got:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `check --all --imports`: both gates in one run and one document; either one fails it.
#[test]
fn check_all_imports_runs_both_gates_in_one_report() {
    let repo = monorepo(None);
    for tag in [
        "invoice-rules-v0.4.0",
        "date-parsing-v1.2.0",
        "billing-worker-v2024.1.0",
        "report-generator-v0.1.0",
    ] {
        repo.tag(tag);
    }
    // Clean: both gates pass, and every member's report carries an empty `imports`.
    let out = repo.run(&["check", "--all", "--imports", "--format", "json"]);
    assert_exit(&out, 0);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    for m in v["members"].as_array().expect("members") {
        assert_eq!(m["imports"], serde_json::json!([]), "{m}");
    }

    // A service imports another service: the version gate passes (the service's patch is
    // declared), the imports gate fails.
    repo.write(
        "apps/report_generator/report_generator/billing.py",
        "from billing_worker import run\n",
    );
    let pyproject = repo.read("apps/report_generator/pyproject.toml");
    repo.write(
        "apps/report_generator/pyproject.toml",
        pyproject.replace("0.1.0", "0.1.1"),
    );
    repo.commit("cross import");
    let out = repo.run(&["check", "--all", "--imports", "--format", "json"]);
    assert_exit(&out, 1);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let app = v["members"]
        .as_array()
        .expect("members")
        .iter()
        .find(|m| m["member"] == "report-generator")
        .expect("report-generator");
    assert_eq!(app["imports"][0]["rule"], "service-imports-service");
    assert_eq!(app["imports"][0]["line"], 1);

    let out = repo.run(&["check", "--all", "--imports"]);
    assert_exit(&out, 1);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "apps/report_generator/report_generator/billing.py:1: service-imports-service:"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "report-generator  report-generator-v0.1.0   patch  0.1.1     FAIL (imports)"
        ),
        "{text}"
    );
    // Without `--imports`, the version gate alone passes.
    assert_exit(&repo.run(&["check", "--all"]), 0);
    // The imports gate reads `--to`: uncommitted work counts with `--to WORKTREE`.
    repo.write(
        "apps/report_generator/report_generator/billing.py",
        "from invoice_rules import total\n",
    );
    let out = repo.run(&[
        "check",
        "--package",
        "report-generator",
        "--imports",
        "--to",
        "WORKTREE",
        "--format",
        "markdown",
    ]);
    assert_exit(&out, 0);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("### Imports\n\nNo import problems found."),
        "{md}"
    );
}

/// `imports --to WORKTREE` (a pre-commit hook) reads uncommitted files; `HEAD` does not.
#[test]
fn imports_reads_the_working_tree_with_to_worktree() {
    let repo = repo("def f():\n    return 1\n", "");
    repo.write("src/mypkg/boot.py", "import sys\nsys.path.append('x')\n");
    assert_exit(&repo.run(&["imports"]), 0);
    let out = repo.run(&["imports", "--to", "WORKTREE"]);
    assert_exit(&out, 1);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("src/mypkg/boot.py:2: sys-path-edit"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
