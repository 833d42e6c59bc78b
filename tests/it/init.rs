//! `bumpwise init`: the decisions, the table it writes, and what it never touches.

use insta_cmd::assert_cmd_snapshot;

use crate::support::{TestRepo, assert_exit, settings, testdata};

/// A pyproject.toml with a comment and odd formatting that must survive byte for byte.
const PYPROJECT: &str = "# Build settings: keep this comment.\n[project]\nname   =  \"mypkg\"   # the name\nversion = \"1.1.0\"\ndependencies = [ \"attrs >=22\",\n   \"click\" ]\n\n[tool.ruff]\nline-length=100\n";

/// A src-layout project with a changelog, committed.
fn src_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("pyproject.toml", PYPROJECT)
        .write("src/mypkg/__init__.py", "def greet(name): ...\n")
        .write("CHANGES.md", "# Changes\n");
    repo.commit("first");
    repo
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn src_layout_with_v_tags_and_a_changelog() {
    let repo = src_project();
    repo.tag("v1.0.0");
    repo.write(
        "src/mypkg/__init__.py",
        "def greet(name, loud=False): ...\n",
    );
    repo.commit("loud");
    repo.tag("v1.1.0");
    settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().arg("init"));
        insta::assert_snapshot!("src_layout_pyproject", repo.read("pyproject.toml"));
    });
    let after = repo.read("pyproject.toml");
    assert!(after.starts_with(PYPROJECT), "{after}");
    // bumpwise reads what it wrote.
    assert_exit(&repo.run(&["diff", "--to", "WORKTREE"]), 0);
}

#[test]
fn name_v_tags_set_the_format() {
    let repo = src_project();
    repo.tag("mypkg-v1.0.0");
    repo.tag("mypkg-v1.1.0");
    let out = repo.run(&["init"]);
    assert_exit(&out, 0);
    insta::assert_snapshot!(stdout(&out), @r#"
    package = "src/mypkg" (found `mypkg` (src/mypkg/), after the project name; the default, left as a comment)
    tag-format = "{name}-v{version}" (from 2 tags like mypkg-v1.1.0)
    changelog = "CHANGES.md" (CHANGES.md is the project's changelog; the default, left as a comment)
    wrote `[tool.bumpwise]` in `pyproject.toml` (line 11)
    "#);
    assert!(
        repo.read("pyproject.toml")
            .contains("\ntag-format = \"{name}-v{version}\"\n")
    );
    // The written format finds the tags.
    assert_exit(&repo.run(&["diff", "--to", "WORKTREE"]), 0);
}

#[test]
fn bare_version_tags_set_the_format_and_disagreement_is_said() {
    let repo = src_project();
    repo.tag("1.0.0");
    repo.tag("v1.1.0");
    let out = repo.run(&["init", "--dry-run"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains(
            "tag-format = \"v{version}\" (from 1 tag like v1.1.0, the newest; the tags disagree: 1 older tag like 1.0.0 use \"{version}\"; the default, left as a comment)"
        ),
        "{text}"
    );
}

#[test]
fn no_tags_keeps_the_default_and_says_so() {
    let repo = src_project();
    let out = repo.run(&["init"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains(
            "tag-format = \"v{version}\" (no release tags yet; the default, left as a comment)"
        ),
        "{text}"
    );
    assert!(
        repo.read("pyproject.toml")
            .contains("\n# tag-format = \"v{version}\"\n")
    );
}

#[test]
fn a_flat_layout_found_by_a_setting() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"acme-tools\"\nversion = \"0.1.0\"\n\n[tool.setuptools]\npackages = [\"acme\"]\n",
    )
    .write("acme/__init__.py", "def run(): ...\n");
    repo.commit("first");
    let out = repo.run(&["init"]);
    assert_exit(&out, 0);
    insta::assert_snapshot!(stdout(&out), @r#"
    package = "acme" (found `acme` (acme/), from `[tool.setuptools] packages` in pyproject.toml; the default, left as a comment)
    tag-format = "v{version}" (no release tags yet; the default, left as a comment)
    changelog = "CHANGELOG.md" (no changelog yet: the first release creates it; the default, left as a comment)
    wrote `[tool.bumpwise]` in `pyproject.toml` (line 8)
    "#);
}

#[test]
fn dry_run_writes_nothing_and_prints_the_diff() {
    let repo = src_project();
    repo.tag("v1.0.0");
    let before = repo.state();
    let out = repo.run(&["init", "--dry-run"]);
    assert_exit(&out, 0);
    assert_eq!(repo.state(), before);
    let text = stdout(&out);
    assert!(
        text.contains("--- a/pyproject.toml\n+++ b/pyproject.toml\n@@ "),
        "{text}"
    );
    assert!(text.contains("\n+[tool.bumpwise]\n"), "{text}");
    assert!(text.contains("\n+# major-on-zero = false\n"), "{text}");
}

#[test]
fn an_existing_table_is_refused() {
    let repo = src_project();
    repo.write(
        "pyproject.toml",
        format!("{PYPROJECT}\n[tool.bumpwise]\nchangelog = false\n"),
    );
    let before = repo.state();
    settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().arg("init"));
    });
    assert_eq!(repo.state(), before);
    // A sub-table alone is a table too.
    repo.write(
        "pyproject.toml",
        format!("{PYPROJECT}\n[tool.bumpwise.imports]\ncwd-import = \"off\"\n"),
    );
    let before = repo.state();
    let out = repo.run(&["init", "--dry-run"]);
    assert_exit(&out, 2);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("(line 11)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(repo.state(), before);
}

#[test]
fn a_monorepo_root_gets_members() {
    let repo = TestRepo::new();
    repo.load_tree(&testdata("workspaces/monorepo"));
    // The fixture names its members; without the setting, init has to find them. Its only
    // key was `members`, so the table goes with it.
    let root = repo.read("pyproject.toml").replace(
        "[tool.bumpwise]\nmembers = [\"packages/*\", \"services/*\", \"apps/*\"]\n\n",
        "",
    );
    assert!(!root.contains("bumpwise"), "{root}");
    repo.write("pyproject.toml", &root);
    repo.commit("monorepo");
    repo.tag("invoice-rules-v0.4.0");
    settings(&repo).bind(|| {
        assert_cmd_snapshot!(repo.bumpwise().arg("init"));
        insta::assert_snapshot!("monorepo_root_pyproject", repo.read("pyproject.toml"));
    });
    assert!(repo.read("pyproject.toml").starts_with(&root));
    // The members it wrote are the members bumpwise reads.
    let out = repo.run(&["graph"]);
    assert_exit(&out, 0);
}

#[test]
fn a_member_is_chosen_with_package() {
    let repo = TestRepo::new();
    repo.load_tree(&testdata("workspaces/monorepo"));
    repo.commit("monorepo");
    repo.tag("invoice-rules-v0.4.0");
    repo.tag("date-parsing-v1.2.0");
    let root_before = repo.read("pyproject.toml");
    let out = repo.run(&["init", "--package", "invoice-rules"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("tag-format = \"{name}-v{version}\" (from 1 tag like invoice-rules-v0.4.0; the default, left as a comment)"),
        "{text}"
    );
    assert!(
        text.contains("`packages/invoice_rules/pyproject.toml`"),
        "{text}"
    );
    assert_eq!(repo.read("pyproject.toml"), root_before);
}

#[test]
fn a_monorepo_root_without_pyproject_gets_one() {
    let repo = TestRepo::new();
    repo.load_tree(&testdata("workspaces/monorepo"));
    repo.remove("pyproject.toml");
    repo.commit("monorepo");
    let before = repo.state();
    let out = repo.run(&["init", "--dry-run"]);
    assert_exit(&out, 0);
    assert_eq!(repo.state(), before);
    let text = stdout(&out);
    assert!(
        text.contains("--- /dev/null\n+++ b/pyproject.toml\n"),
        "{text}"
    );
    let out = repo.run(&["init"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.ends_with("created the file with `[tool.bumpwise]` in `pyproject.toml` (line 1)\n"),
        "{text}"
    );
    let written = repo.read("pyproject.toml");
    assert!(written.starts_with("[tool.bumpwise]\n"), "{written}");
    assert!(
        written.contains("\nmembers = [\"apps/*\", \"packages/*\", \"services/*\"]\n"),
        "{written}"
    );
}

#[test]
fn a_package_nothing_names_is_set_and_a_missing_one_is_left_to_fill_in() {
    let repo = TestRepo::new();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"acme-tools\"\nversion = \"0.1.0\"\n",
    )
    .write("acmelib/__init__.py", "def run(): ...\n");
    repo.commit("first");
    let out = repo.run(&["init", "--dry-run"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "package = \"acmelib\" (found `acmelib` (acmelib/), the only top-level package: nothing names it, so it is set)\n"
        ),
        "{text}"
    );
    assert!(text.contains("\n+package = \"acmelib\"\n"), "{text}");

    repo.remove("acmelib");
    let out = repo.run(&["init", "--dry-run"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "package = \"src/mypkg\" (no Python package found for project `acme-tools`; set it to the package's directory; left as a comment to fill in)\n"
        ),
        "{text}"
    );
    assert!(text.contains("\n+# package = \"src/mypkg\"\n"), "{text}");
}
