//! What the README's Safety section promises (issue 13): bumpwise never imports or runs the
//! code it reads, never follows links out of the repository (badinput.rs), and never writes
//! outside it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{TestRepo, assert_exit, project};

/// Every file under `dir`, with its bytes (links as their target).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let entry = entry.expect("entry");
            let path = entry.path();
            let key = path.strip_prefix(dir).expect("rel").display().to_string();
            let kind = entry.file_type().expect("type");
            if kind.is_symlink() {
                let target = std::fs::read_link(&path).expect("link");
                out.insert(key, target.display().to_string().into_bytes());
            } else if kind.is_dir() {
                out.insert(key, Vec::new());
                stack.push(path);
            } else {
                out.insert(key, std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

/// A package whose every entry point leaves a mark when Python runs it, and a `PATH` whose
/// `python`, `python3`, `pip`, `uv` and `git` leave a mark when run: no command may leave one,
/// and nothing outside the repository may change (HOME and TMPDIR are watched folders).
#[cfg(unix)]
#[test]
fn never_runs_the_code_and_never_writes_outside() {
    use std::os::unix::fs::PermissionsExt;

    let sandbox = tempfile::tempdir().expect("tmp");
    let marks = sandbox.path().join("marks");
    let bin = sandbox.path().join("bin");
    let home = sandbox.path().join("home");
    let tmp = sandbox.path().join("tmp");
    for d in [&marks, &bin, &home, &tmp] {
        std::fs::create_dir(d).expect("mkdir");
    }
    for tool in ["python", "python3", "pip", "uv", "git", "sh", "bash"] {
        let stub = bin.join(tool);
        std::fs::write(
            &stub,
            format!(
                "#!/bin/sh\necho ran > '{}'\nexit 1\n",
                marks.join(tool).display()
            ),
        )
        .expect("stub");
        std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let mark = |name: &str| {
        format!(
            "open({:?}, 'w').write('imported')\n",
            marks.join(name).display().to_string()
        )
    };

    let repo = TestRepo::new();
    project(
        &repo,
        "1.0.0",
        &format!("{}def f(a):\n    pass\n", mark("init")),
    );
    repo.write("setup.py", mark("setup"));
    repo.write("conftest.py", mark("conftest"));
    repo.write("src/mypkg/__main__.py", mark("main"));
    repo.write("src/mypkg/sitecustomize.py", mark("sitecustomize"));
    repo.write(
        "src/mypkg/lazy.py",
        format!("def __getattr__(name):\n    {}", mark("getattr")),
    );
    repo.commit("release");
    repo.tag("v1.0.0");
    project(
        &repo,
        "1.0.0",
        &format!("{}def f(a):\n    pass\n\ndef g(): ...\n", mark("init")),
    );
    repo.commit("add g");

    let before = tree(sandbox.path());
    let run = |args: &[&str], code: i32| {
        let out = repo
            .bumpwise()
            .args(args)
            .env("PATH", &bin)
            .env("HOME", &home)
            .env("TMPDIR", &tmp)
            .output()
            .expect("run");
        assert_exit(&out, code);
    };
    run(&["api"], 0);
    run(&["api", "WORKTREE", "--format", "json"], 0);
    run(&["diff"], 0);
    run(&["diff", "--format", "markdown"], 0);
    run(&["check"], 1);
    run(&["imports"], 0);
    run(&["init", "--dry-run"], 0);
    run(&["release", "--dry-run"], 0);
    run(&["release", "--yes"], 0);
    assert_eq!(
        std::fs::read_dir(&marks).expect("ls").count(),
        0,
        "something ran: {:?}",
        std::fs::read_dir(&marks)
            .expect("ls")
            .map(|e| e.expect("e").file_name())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        before,
        tree(sandbox.path()),
        "a file outside the repository changed"
    );
    // The one thing the reading commands write is the facts cache, and it is inside the
    // repository (not under HOME or TMPDIR, which the check above watches).
    assert!(repo.repo.path().join("bumpwise/cache").is_dir());
    // The release did happen, inside the repository.
    assert!(repo.read("pyproject.toml").contains("version = \"1.1.0\""));
    assert!(repo.repo.find_reference("refs/tags/v1.1.0").is_ok());
}
