//! Odd repositories and odd code (issue 13): each gets a correct answer or a clear error, never
//! a panic (exit 101), a hang, or a changed repository. The errors bumpwise already had are in
//! errors.rs (syntax errors, NUL bytes, non-UTF-8, invalid TOML, shallow clones without the tag).

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;

use crate::support::{TestRepo, assert_exit, bumpwise_in, commit_all, project, settings};

fn released() -> TestRepo {
    let repo = TestRepo::new();
    project(&repo, "1.0.0", "def f(a):\n    pass\n");
    repo.commit("release");
    repo.tag("v1.0.0");
    repo
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `args`, expects `code` and an unchanged repository, and returns the output.
#[track_caller]
fn run_clean(repo: &TestRepo, args: &[&str], code: i32) -> std::process::Output {
    let before = repo.state();
    let out = repo.run(args);
    assert_exit(&out, code);
    assert_eq!(before, repo.state(), "{args:?} changed the repository");
    out
}

/// Python 2 syntax that tree-sitter still reads (`print` and `exec` statements, `0777L`) gives
/// the surface it declares: the names are the same in either language.
#[test]
fn python_2_code_gives_its_surface() {
    let repo = released();
    project(
        &repo,
        "1.0.0",
        "def f(a):\n    print \"hi %s\" % a\n\nclass C:\n    def m(self):\n        exec \"x = 1\"\n\nX = 0777L\n",
    );
    repo.commit("python 2");
    let out = run_clean(&repo, &["diff", "--format", "json"], 0);
    let json = stdout(&out);
    assert!(json.contains("\"required_bump\": \"minor\""), "{json}");
    assert!(
        json.contains("mypkg.C") && json.contains("mypkg.X"),
        "{json}"
    );
}

/// A file stored by Git LFS is read from git as its pointer: named as one, with the fix.
#[test]
fn git_lfs_pointer_is_named() {
    let repo = released();
    repo.write(
        "src/mypkg/generated.py",
        "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n",
    );
    repo.commit("lfs");
    run_clean(&repo, &["diff"], 2);
    settings(&repo).bind(|| assert_cmd_snapshot!(repo.bumpwise().arg("diff")));
}

/// A syntax error at `HEAD` names `HEAD` as well as the file (the tag's case is in errors.rs).
#[test]
fn syntax_error_at_head_names_head() {
    let repo = released();
    project(&repo, "1.0.0", "def f(a:\n    pass\n");
    repo.commit("typo");
    let out = run_clean(&repo, &["diff"], 2);
    assert!(
        stderr(&out).contains("error: at `HEAD`: syntax error in `src/mypkg/__init__.py` at 1:1"),
        "{}",
        stderr(&out)
    );
    // The working tree is what is on disk: no ref to name.
    let out = run_clean(&repo, &["diff", "--to", "WORKTREE"], 2);
    assert!(
        stderr(&out).starts_with("error: syntax error in `src/mypkg/__init__.py`"),
        "{}",
        stderr(&out)
    );
}

/// `version = 1.1` is not a version to PEP 621, pip or any backend; not "no version".
#[test]
fn version_of_the_wrong_type() {
    let repo = released();
    repo.write(
        "pyproject.toml",
        "[project]\nname = \"mypkg\"\nversion = 1.1\n",
    );
    repo.commit("unquoted");
    for args in [&["diff"][..], &["check"], &["release", "--dry-run"]] {
        let out = run_clean(&repo, args, 2);
        assert!(
            stderr(&out).contains("`project.version` in `pyproject.toml` is not a string: 1.1"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    settings(&repo).bind(|| assert_cmd_snapshot!(repo.bumpwise().arg("check")));
}

/// A 20 MB generated module, shaped as protobuf's `_pb2.py` files are (a serialized descriptor
/// and thousands of small classes and functions).
#[test]
fn twenty_megabyte_generated_module() {
    let repo = released();
    let mut text = String::from("DESCRIPTOR = b'");
    text.push_str(&"\\x0a\\x0bmessage".repeat(700_000));
    text.push_str("'\n\n");
    let mut i = 0;
    while text.len() < 20_000_000 {
        // `unpack` opens its body with a bracket on a line of its own, which no `...`
        // placeholder can cover without covering a newline: every line after it must keep
        // its number (the change's line is checked below).
        text.push_str(&format!(
            "class Message{i}:\n    FIELD = {i}\n    def get(self, key: str = 'k{i}') -> int:\n        return self.FIELD\n\n\
             def helper_{i}(a, b={i}):\n    return a\n\n\
             def unpack_{i}(pair):\n    (\n        a,\n        b,\n    ) = pair\n    return a\n\n"
        ));
        i += 1;
    }
    repo.write("src/mypkg/generated_pb2.py", &text);
    repo.commit("generated");
    repo.tag("v1.1.0");
    // The next revision changes one signature near the end of the file.
    let last = i - 1;
    let changed = text.replace(
        &format!("def helper_{last}(a, b={last}):"),
        &format!("def helper_{last}(a):"),
    );
    repo.write("src/mypkg/generated_pb2.py", &changed);
    repo.commit("regenerated");
    let out = run_clean(&repo, &["diff", "--format", "json"], 0);
    let json = stdout(&out);
    assert!(json.contains("\"required_bump\": \"major\""), "{json}");
    assert!(
        json.contains(&format!("mypkg.generated_pb2.helper_{last}")),
        "{json}"
    );
    assert_eq!(json.matches("\"kind\":").count(), 1, "{json}");
    let def = changed
        .find(&format!("def helper_{last}(a):"))
        .expect("the changed def");
    let line = changed[..def].matches('\n').count() + 1;
    assert!(
        json.contains(&format!("\"line\": {line}")),
        "line {line}: {json}"
    );
}

/// Ten thousand modules in a hundred subpackages; one function changes.
#[test]
fn ten_thousand_modules() {
    let repo = TestRepo::new();
    project(&repo, "1.0.0", "");
    for i in 0..10_000 {
        let dir = format!("src/mypkg/p{}", i / 100);
        if i % 100 == 0 {
            repo.write(&format!("{dir}/__init__.py"), "");
        }
        repo.write(
            &format!("{dir}/m{i}.py"),
            format!("def f{i}(a):\n    return a\n"),
        );
    }
    repo.commit("release");
    repo.tag("v1.0.0");
    repo.write(
        "src/mypkg/p99/m9999.py",
        "def f9999(a, b=1):\n    return a\n",
    );
    repo.commit("optional parameter");
    let out = run_clean(&repo, &["diff", "--format", "json"], 0);
    let json = stdout(&out);
    assert!(json.contains("\"required_bump\": \"minor\""), "{json}");
    assert!(json.contains("parameter-added-optional"), "{json}");
    assert_eq!(json.matches("\"kind\":").count(), 1, "{json}");
}

/// A thousand nested classes, brackets and `if` blocks (more than CPython itself accepts).
#[test]
fn a_thousand_levels_of_nesting() {
    let n = 1_000;
    let mut classes = String::new();
    for depth in 0..n {
        classes.push_str(&format!("{}class C{depth}:\n", "    ".repeat(depth)));
    }
    classes.push_str(&format!("{}def m(self): ...\n", "    ".repeat(n)));
    let mut ifs = String::new();
    for depth in 0..n {
        ifs.push_str(&format!("{}if X:\n", "    ".repeat(depth)));
    }
    ifs.push_str(&format!("{}Y = 1\n", "    ".repeat(n)));
    let brackets = format!("Z = {}1{}\n", "[(".repeat(n / 2), ")]".repeat(n / 2));
    let repo = released();
    repo.write("src/mypkg/classes.py", &classes);
    repo.write("src/mypkg/ifs.py", format!("X = True\n{ifs}"));
    repo.write("src/mypkg/brackets.py", &brackets);
    repo.commit("deep");
    repo.tag("v1.1.0");
    repo.write(
        "src/mypkg/classes.py",
        classes.replace("def m(self): ...", "def m(self, a): ..."),
    );
    repo.commit("deeper");
    for args in [&["api"][..], &["imports"]] {
        run_clean(&repo, args, 0);
    }
    let out = run_clean(&repo, &["diff", "--format", "json"], 0);
    let json = stdout(&out);
    assert!(json.contains("\"required_bump\": \"major\""), "{json}");
    assert!(json.contains("C998.C999.m"), "{json}");
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// Links in the package that lead out of the repository, to a file or a folder, absolute or
/// relative, are not followed: at a commit (git stores only the link's target) nor on disk.
#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_are_not_followed() {
    let outside = tempfile::tempdir().expect("tmp");
    std::fs::write(outside.path().join("evil.py"), "def secret(): ...\n").expect("write");
    std::fs::create_dir(outside.path().join("dir")).expect("mkdir");
    std::fs::write(
        outside.path().join("dir/__init__.py"),
        "def secret(): ...\n",
    )
    .expect("write");
    let repo = released();
    let pkg = repo.path().join("src/mypkg");
    symlink(outside.path().join("evil.py"), pkg.join("evil.py"));
    symlink(outside.path().join("dir"), pkg.join("sub"));
    // Enough `..` to climb to `/` from anywhere, then down to the same file.
    let relative = Path::new(&"../".repeat(40))
        .join(outside.path().strip_prefix("/").expect("absolute"))
        .join("evil.py");
    symlink(relative, pkg.join("rel.py"));
    repo.commit("links");
    for args in [
        &["api"][..],
        &["api", "WORKTREE"],
        &["diff"],
        &["diff", "--to", "WORKTREE"],
        &["imports"],
    ] {
        let out = run_clean(&repo, args, 0);
        assert!(
            !stdout(&out).contains("secret"),
            "{args:?}: {}",
            stdout(&out)
        );
    }
}

/// A release never writes, nor reads, through a link that leads out of the repository: the
/// changelog linked to a file elsewhere is refused, and the file elsewhere is untouched.
#[cfg(unix)]
#[test]
fn release_refuses_to_write_through_a_link_out_of_the_repository() {
    let outside = tempfile::tempdir().expect("tmp");
    let target = outside.path().join("CHANGELOG.md");
    std::fs::write(&target, "# Somebody else's file\n\nsecret text\n").expect("write");
    let repo = released();
    project(&repo, "1.0.0", "def f(a):\n    pass\n\ndef g(): ...\n");
    symlink(&target, repo.path().join("CHANGELOG.md"));
    repo.commit("add g");
    for args in [&["release", "--dry-run"][..], &["release", "--yes"]] {
        let out = run_clean(&repo, args, 2);
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(all.contains("`CHANGELOG.md`"), "{args:?}: {all}");
        assert!(all.contains("outside the repository"), "{args:?}: {all}");
        assert!(!all.contains("secret text"), "{args:?}: {all}");
    }
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        "# Somebody else's file\n\nsecret text\n"
    );
    // `init` edits pyproject.toml: not through a link either.
    let elsewhere = outside.path().join("pyproject.toml");
    std::fs::write(
        &elsewhere,
        "[project]\nname = \"mypkg\"\nversion = \"1.0.0\"\n",
    )
    .expect("write");
    let linked = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(linked.path().join("src/mypkg")).expect("mkdir");
    std::fs::write(
        linked.path().join("src/mypkg/__init__.py"),
        "def f(): ...\n",
    )
    .expect("write");
    symlink(&elsewhere, linked.path().join("pyproject.toml"));
    git2::Repository::init(linked.path()).expect("init");
    let out = bumpwise_in(linked.path())
        .arg("init")
        .output()
        .expect("run");
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("outside the repository"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(&elsewhere).expect("read"),
        "[project]\nname = \"mypkg\"\nversion = \"1.0.0\"\n"
    );
    // A link that stays inside the repository is written through, as an editor would.
    std::fs::remove_file(repo.path().join("CHANGELOG.md")).expect("rm");
    repo.write("docs/changes.md", "# Changelog\n");
    symlink("docs/changes.md", repo.path().join("CHANGELOG.md"));
    repo.commit("changelog in docs");
    let out = repo.run(&["release", "--yes"]);
    assert_exit(&out, 0);
    assert!(repo.read("docs/changes.md").contains("## [1.1.0]"));
}

/// Tags that are not versions are passed over; the release tag is found among them.
#[test]
fn tags_that_are_not_versions() {
    let repo = released();
    repo.tag("latest")
        .tag_lightweight("deploy-prod")
        .tag("v1.x")
        .tag("vnext");
    project(&repo, "1.0.0", "def f(a, b):\n    pass\n");
    repo.commit("breaking");
    repo.tag("nightly");
    let out = run_clean(&repo, &["diff", "--format", "json"], 0);
    let json = stdout(&out);
    assert!(json.contains("\"from\": \"v1.0.0\""), "{json}");
    assert!(json.contains("\"required_bump\": \"major\""), "{json}");
}

/// Two version tags on one commit: the higher version is the release, whatever the order in
/// which the tags were made.
#[test]
fn two_version_tags_on_one_commit() {
    for (first, second) in [("v1.0.0", "v1.0.1"), ("v1.0.1", "v1.0.0")] {
        let repo = TestRepo::new();
        project(&repo, "1.0.1", "def f(a):\n    pass\n");
        repo.commit("release");
        repo.tag(first).tag(second);
        project(&repo, "1.0.1", "def f(a, b=1):\n    pass\n");
        repo.commit("optional");
        let out = run_clean(&repo, &["diff", "--format", "json"], 0);
        let json = stdout(&out);
        assert!(
            json.contains("\"from\": \"v1.0.1\""),
            "{first} {second}: {json}"
        );
        assert!(json.contains("\"next_version\": \"1.1.0\""), "{json}");
    }
}

/// A shallow clone that still holds the release tag's commit diffs as a full one does.
#[test]
fn shallow_clone_with_the_tag() {
    let repo = TestRepo::new();
    project(&repo, "1.0.0", "def f(a):\n    pass\n");
    repo.commit("old history");
    project(&repo, "1.0.0", "def f(a):\n    return a\n");
    let tagged = repo.commit("release");
    repo.tag("v1.0.0");
    project(&repo, "1.0.0", "def f(a):\n    return a\n\ndef g(): ...\n");
    repo.commit("add g");
    repo.make_shallow(tagged);
    let out = run_clean(&repo, &["diff", "--format", "json"], 0);
    assert!(stdout(&out).contains("\"required_bump\": \"minor\""));
}

/// A bare clone (a CI mirror) has no working tree: diffs between commits work, and what needs
/// files on disk says so.
#[test]
fn bare_repository() {
    let repo = released();
    project(&repo, "1.0.0", "def f(a):\n    pass\n\ndef g(): ...\n");
    repo.commit("add g");
    let bare = tempfile::tempdir().expect("tmp");
    let url = format!("file://{}", repo.path().display());
    git2::build::RepoBuilder::new()
        .bare(true)
        .clone(&url, bare.path())
        .expect("bare clone");
    let out = bumpwise_in(bare.path())
        .args(["diff", "--to", "HEAD", "--format", "json"])
        .output()
        .expect("run");
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("\"required_bump\": \"minor\""));
    let out = bumpwise_in(bare.path())
        .args(["release", "--yes"])
        .output()
        .expect("run");
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("error:"), "{}", stderr(&out));
    let out = bumpwise_in(bare.path())
        .args(["diff"])
        .output()
        .expect("run");
    assert_ne!(out.status.code(), Some(101), "{}", stderr(&out));
}

/// A linked worktree (`git worktree add`) reads its own checkout and the shared tags.
#[test]
fn linked_worktree() {
    let repo = released();
    let holder = tempfile::tempdir().expect("tmp");
    let path = holder.path().join("feature");
    repo.repo
        .worktree("feature", &path, None)
        .expect("worktree");
    std::fs::write(
        path.join("src/mypkg/__init__.py"),
        "def f(a):\n    pass\n\ndef g(): ...\n",
    )
    .expect("write");
    let out = bumpwise_in(&path)
        .args(["diff", "--to", "WORKTREE", "--format", "json"])
        .output()
        .expect("run");
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("\"required_bump\": \"minor\""));
    let out = bumpwise_in(&path)
        .args(["check", "--to", "WORKTREE"])
        .output()
        .expect("run");
    assert_exit(&out, 1);
}

/// A submodule inside the package is another repository's code: not read, and said so once.
#[test]
fn submodule_inside_the_package() {
    let lib = released();
    let repo = released();
    let url = format!("file://{}", lib.path().display());
    let mut sub = repo
        .repo
        .submodule(&url, Path::new("src/mypkg/vendored"), true)
        .expect("submodule");
    sub.clone(None).expect("clone");
    sub.add_finalize().expect("finalize");
    repo.commit("vendor");
    let out = run_clean(&repo, &["diff"], 0);
    let err = stderr(&out);
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(
        err.contains("src/mypkg/vendored") && err.contains("submodule"),
        "{err}"
    );
    run_clean(&repo, &["diff", "--to", "WORKTREE"], 0);
}

/// A repository and package paths with spaces and non-ASCII letters (valid Python names).
#[test]
fn spaces_and_non_ascii_paths() {
    let holder = tempfile::tempdir().expect("tmp");
    let root = holder.path().join("mes dépôts/projet ü");
    std::fs::create_dir_all(&root).expect("mkdir");
    let git = git2::Repository::init(&root).expect("init");
    let write = |path: &str, text: &str| {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    };
    write(
        "pyproject.toml",
        "[project]\nname = \"mypkg\"\nversion = \"1.0.0\"\n",
    );
    write("src/mypkg/__init__.py", "def f(a): ...\n");
    write("src/mypkg/módulo.py", "def café(a): ...\n");
    write("src/mypkg/not a module/x.py", "def hidden(): ...\n");
    commit_all(&git, "release");
    let head = git.head().expect("head").peel_to_commit().expect("commit");
    git.tag_lightweight("v1.0.0", head.as_object(), false)
        .expect("tag");
    write("src/mypkg/módulo.py", "def café(a, b): ...\n");
    commit_all(&git, "breaking");
    let out = bumpwise_in(&root)
        .args(["diff", "--format", "json"])
        .output()
        .expect("run");
    assert_exit(&out, 0);
    let json = stdout(&out);
    assert!(json.contains("mypkg.módulo.café"), "{json}");
    assert!(json.contains("\"required_bump\": \"major\""), "{json}");
    assert!(!json.contains("hidden"), "{json}");
}
