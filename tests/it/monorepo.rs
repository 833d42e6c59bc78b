//! A repository of several projects (issue 9): members, per-member tags, path-scoped changes,
//! `api = false` services, and `diff --all` / `check --all`.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{TestRepo, assert_exit, bumpwise_in, testdata};

/// The monorepo of testdata/workspaces/monorepo, released once: every member tagged.
fn released() -> TestRepo {
    let repo = TestRepo::new();
    repo.load_tree(&testdata("workspaces/monorepo"));
    repo.commit("the monorepo");
    for tag in [
        "invoice-rules-v0.4.0",
        "date-parsing-v1.2.0",
        "billing-worker-v2024.1.0",
        "report-generator-v0.1.0",
    ] {
        repo.tag(tag);
    }
    repo
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Member name -> required bump, from `--all` JSON.
fn bumps(value: &serde_json::Value) -> Vec<(String, String)> {
    value["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (
                m["member"].as_str().unwrap_or_default().to_owned(),
                m["required_bump"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn at_the_root_bumpwise_asks_which_member() {
    let repo = released();
    let out = repo.run(&["diff"]);
    assert_exit(&out, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for listed in [
        "invoice-rules (packages/invoice_rules)",
        "billing-worker (services/billing_worker)",
        "--package NAME",
        "--all",
    ] {
        assert!(stderr.contains(listed), "{stderr}");
    }
}

#[test]
fn a_member_by_name_or_by_folder_with_its_own_tags() {
    let repo = released();
    repo.write(
        "packages/invoice_rules/src/invoice_rules/rules.py",
        "def total(lines):\n    return sum(lines)\n\n\ndef apply_discount(amount, percent):\n    return amount\n",
    );
    repo.commit("drop currency");
    let by_name = repo.run(&["diff", "--package", "invoice-rules", "--format", "json"]);
    assert_exit(&by_name, 0);
    let value = json(&by_name);
    assert_eq!(value["from"], "invoice-rules-v0.4.0");
    assert_eq!(value["member"], "invoice-rules");
    assert_eq!(value["required_bump"], "major");
    assert_eq!(value["next_version"], "0.5.0");
    // From inside the member's folder, as from anywhere in a one-project repository.
    let inside = bumpwise_in(&repo.path().join("packages/invoice_rules/src"))
        .args(["diff", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(json(&inside), value);
    let by_dir = repo.run(&[
        "diff",
        "--package",
        "packages/invoice_rules",
        "--format",
        "json",
    ]);
    assert_eq!(json(&by_dir), value);
}

#[test]
fn only_a_members_own_files_count() {
    let repo = released();
    // A fix inside invoice-rules, a data file of the billing service, and a script that belongs
    // to no member.
    repo.write(
        "packages/invoice_rules/src/invoice_rules/rules.py",
        "def total(lines, currency=\"EUR\"):\n    return sum(lines, 0)\n\n\ndef apply_discount(amount, percent):\n    return amount * (100 - percent) / 100\n",
    );
    repo.write(
        "services/billing_worker/billing_worker/config.yaml",
        "queue: billing\n",
    );
    repo.write("scripts/backfill.py", "print('backfill')\n");
    repo.commit("work");
    let out = repo.run(&["diff", "--all", "--format", "json"]);
    assert_exit(&out, 0);
    let value = json(&out);
    assert_eq!(value["schema_version"], 1);
    assert_eq!(
        bumps(&value),
        [
            ("billing-worker".to_owned(), "patch".to_owned()),
            ("date-parsing".to_owned(), "none".to_owned()),
            ("invoice-rules".to_owned(), "patch".to_owned()),
            ("report-generator".to_owned(), "none".to_owned()),
        ]
    );
    // The service has no API: no changes listed, only that its files changed.
    assert_eq!(value["members"][0]["changes"], serde_json::json!([]));
}

#[test]
fn diff_all_text_starts_with_a_summary() {
    let repo = released();
    repo.write(
        "packages/date_parsing/src/date_parsing/__init__.py",
        "def parse(text, *, dayfirst=False, yearfirst=False):\n    return text\n",
    );
    repo.commit("yearfirst");
    let mut settings = crate::support::settings(&repo);
    settings.set_snapshot_suffix("text");
    settings.bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().args(["diff", "--all", "--color", "never"]));
    });
}

#[test]
fn check_all_fails_when_one_member_is_under_bumped() {
    let repo = released();
    repo.write(
        "packages/date_parsing/src/date_parsing/__init__.py",
        "def parse(text):\n    return text\n",
    );
    repo.commit("break date-parsing without a version bump");
    let out = repo.run(&["check", "--all", "--format", "json"]);
    assert_exit(&out, 1);
    let value = json(&out);
    let verdicts: Vec<(String, bool)> = value["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (
                m["member"].as_str().unwrap_or_default().to_owned(),
                m["check"]["passed"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("billing-worker".to_owned(), true),
            ("date-parsing".to_owned(), false),
            ("invoice-rules".to_owned(), true),
            ("report-generator".to_owned(), true),
        ]
    );
    // GITHUB_OUTPUT carries each member's name.
    let output = repo.path().join("github_output");
    let out = repo
        .bumpwise()
        .args(["check", "--all"])
        .env("GITHUB_OUTPUT", &output)
        .output()
        .expect("run");
    assert_exit(&out, 1);
    let written = std::fs::read_to_string(output).expect("GITHUB_OUTPUT");
    assert!(written.contains("date-parsing-passed=false\n"), "{written}");
    assert!(written.contains("invoice-rules-bump=none\n"), "{written}");
    assert!(written.contains("passed=false\n"), "{written}");
    assert!(written.contains("failed=date-parsing\n"), "{written}");
    // So do the annotations.
    let out = repo.run(&["check", "--all", "--format", "github"]);
    assert_exit(&out, 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("title=bumpwise (date-parsing)%3A check failed::"),
        "{stdout}"
    );
    assert!(
        stdout.contains("title=bumpwise (date-parsing)%3A parameter-removed::"),
        "{stdout}"
    );
}

#[test]
fn members_of_a_uv_workspace() {
    let repo = TestRepo::new();
    repo.load_tree(&testdata("workspaces/uv"));
    repo.commit("workspace");
    repo.tag("app-v1.0.0");
    repo.tag("invoice-rules-v0.4.0");
    repo.write(
        "libs/invoice_rules/invoice_rules/__init__.py",
        "def total(lines):\n    return sum(lines)\n\n\ndef subtotal(lines):\n    return sum(lines)\n",
    );
    repo.commit("subtotal");
    let out = repo.run(&["diff", "--all", "--format", "json"]);
    assert_exit(&out, 0);
    assert_eq!(
        bumps(&json(&out)),
        [
            ("app".to_owned(), "none".to_owned()),
            ("invoice-rules".to_owned(), "minor".to_owned()),
        ]
    );
    // At the root, which is a project and a member, bumpwise works on that project.
    let out = repo.run(&["diff", "--format", "json"]);
    assert_exit(&out, 0);
    assert_eq!(json(&out)["member"], "app");
}

/// The released monorepo with a breaking change in invoice-rules (0.4.0 -> 0.5.0), which
/// billing-worker pins to `>=0.4,<0.5`.
fn broken_invoice_rules() -> TestRepo {
    let repo = released();
    repo.write(
        "packages/invoice_rules/src/invoice_rules/rules.py",
        "def total(lines):\n    return sum(lines)\n\n\ndef apply_discount(amount, percent):\n    return amount * (100 - percent) / 100\n",
    );
    repo.commit("total: drop currency");
    repo
}

#[test]
fn a_breaking_change_is_flagged_in_its_dependents() {
    let repo = broken_invoice_rules();
    let out = repo.run(&["diff", "--package", "invoice-rules", "--format", "json"]);
    assert_exit(&out, 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: services/billing_worker/pyproject.toml:5:1: `billing-worker` requires `invoice-rules>=0.4,<0.5`"),
        "{stderr}"
    );
    assert!(stderr.contains("0.5.0"), "{stderr}");
    // report-generator asks for any version: nothing to say about it.
    assert!(!stderr.contains("report-generator"), "{stderr}");
    let value = json(&out);
    assert_eq!(
        value["warnings"][0]["file"],
        "services/billing_worker/pyproject.toml"
    );
}

#[test]
fn release_all_tags_the_changed_members_and_widens_the_dependent() {
    let repo = broken_invoice_rules();
    let out = repo.run(&["release", "--all", "--update-dependents", "--yes"]);
    assert_exit(&out, 0);
    let tags: Vec<String> = repo
        .repo
        .tag_names(None)
        .expect("tags")
        .iter()
        .flatten()
        .map(str::to_owned)
        .collect();
    for tag in ["invoice-rules-v0.5.0", "billing-worker-v2024.1.1"] {
        assert!(tags.contains(&tag.to_owned()), "{tags:?}");
    }
    assert_eq!(tags.len(), 6, "{tags:?}");
    let worker = repo.read("services/billing_worker/pyproject.toml");
    assert!(
        worker.contains(
            "    \"invoice-rules>=0.4,<0.6\",  # the shared rules, pinned to the 0.4 series\n"
        ),
        "{worker}"
    );
    assert!(worker.contains("version = \"2024.1.1\"\n"), "{worker}");
    assert!(
        repo.read("packages/invoice_rules/pyproject.toml")
            .contains("version = \"0.5.0\"")
    );
    assert!(
        repo.read("packages/invoice_rules/CHANGELOG.md")
            .contains("## [0.5.0]")
    );
    assert!(
        repo.read("services/billing_worker/CHANGELOG.md")
            .contains("## [2024.1.1]")
    );
    // One commit; a clean tree; a re-run has nothing to do.
    let statuses = repo.repo.statuses(None).expect("status");
    assert!(
        statuses.is_empty(),
        "{} files not committed",
        statuses.len()
    );
    let head = repo
        .repo
        .head()
        .expect("head")
        .peel_to_commit()
        .expect("commit");
    assert_eq!(
        head.message().unwrap_or_default().lines().next(),
        Some("release: invoice-rules 0.5.0, billing-worker 2024.1.1")
    );
    let before = repo.state();
    let again = repo.run(&["release", "--all", "--update-dependents", "--yes"]);
    assert_exit(&again, 0);
    assert_eq!(before, repo.state());
}

#[test]
fn release_all_is_all_or_nothing() {
    let repo = broken_invoice_rules();
    // A stale lock makes the second member's tag fail after the commit and the first tag.
    let lock = repo
        .repo
        .path()
        .join("refs/tags/billing-worker-v2024.1.1.lock");
    std::fs::create_dir_all(lock.parent().expect("parent")).expect("mkdir");
    std::fs::write(&lock, "").expect("lock");
    let before = repo.state();
    let out = repo.run(&["release", "--all", "--update-dependents", "--yes"]);
    assert_exit(&out, 2);
    assert_eq!(before, repo.state());
}

#[test]
fn graph_lists_members_and_their_dependencies() {
    let repo = released();
    let mut settings = crate::support::settings(&repo);
    settings.set_snapshot_suffix("text");
    settings.bind(|| assert_cmd_snapshot!(repo.bumpwise().args(["graph"])));
    let mut settings = crate::support::settings(&repo);
    settings.set_snapshot_suffix("dot");
    settings.bind(|| assert_cmd_snapshot!(repo.bumpwise().args(["graph", "--format", "dot"])));
}

#[test]
fn a_dependency_cycle_is_an_error_that_names_it() {
    let repo = released();
    repo.write(
        "packages/date_parsing/pyproject.toml",
        "[project]\nname = \"date-parsing\"\nversion = \"1.2.0\"\ndependencies = [\"billing-worker\"]\n",
    );
    repo.commit("cycle");
    let out = repo.run(&["graph"]);
    assert_exit(&out, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cycle"), "{stderr}");
    assert!(stderr.contains("date-parsing"), "{stderr}");
    assert!(stderr.contains("billing-worker"), "{stderr}");
}
