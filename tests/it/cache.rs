//! The facts cache (issue 12): `.git/bumpwise/cache` makes a second run skip parsing, and never
//! changes an answer. `--no-cache` and `BUMPWISE_NO_CACHE=1` turn it off, a release reads it
//! but never writes it, and a cache that cannot be written or holds garbage is no error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::{TestRepo, assert_exit, bumpwise_in, project};

/// v1.0.0, then a breaking change and an addition over a few modules, one with a syntax error
/// in a function body (a warning) and one private.
fn changed() -> TestRepo {
    let repo = TestRepo::new();
    project(
        &repo,
        "1.0.0",
        "from .client import Client\nfrom ._impl import helper\n\ndef f(a, b=1):\n    pass\n",
    );
    repo.write(
        "src/mypkg/client.py",
        "class Client:\n    def get(self, url, *, timeout=10): ...\n\n    @property\n    def host(self): ...\n",
    );
    repo.write("src/mypkg/_impl.py", "def helper(x): ...\n");
    repo.commit("release");
    repo.tag("v1.0.0");
    project(
        &repo,
        "1.0.0",
        "from .client import Client\nfrom ._impl import helper\n\ndef f(a):\n    pass\n\ndef g():\n    print 'old'\n    return 1 + )\n",
    );
    repo.write(
        "src/mypkg/client.py",
        "class Client:\n    def get(self, url, timeout=10): ...\n\n    def post(self, url): ...\n",
    );
    repo.commit("change");
    repo
}

/// `.git/bumpwise/cache`.
fn cache_root(git_dir: &Path) -> PathBuf {
    git_dir.join("bumpwise").join("cache")
}

/// Every file under `dir`, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

/// The packs under a cache root, with when each was written: a run that parsed something
/// writes a new one.
fn packs(root: &Path) -> BTreeMap<PathBuf, std::time::SystemTime> {
    files(root)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|x| x == "pack"))
        .map(|p| {
            let time = std::fs::metadata(&p).and_then(|m| m.modified());
            (p, time.expect("mtime"))
        })
        .collect()
}

/// Stdout and stderr of a successful run.
#[track_caller]
fn output(out: Output) -> (Vec<u8>, Vec<u8>) {
    assert_exit(&out, 0);
    (out.stdout, out.stderr)
}

const JSON: &[&str] = &["diff", "--format", "json"];
const TEXT: &[&str] = &["diff"];

#[test]
fn a_second_diff_reads_the_cache_and_prints_the_same() {
    let repo = changed();
    let root = cache_root(repo.repo.path());
    let uncached = output(repo.run(&["diff", "--format", "json", "--no-cache"]));
    assert!(!root.exists());
    let json = output(repo.run(JSON));
    assert_eq!(json, uncached);
    // The run wrote what it parsed as one pack.
    let written = packs(&root);
    assert_eq!(written.len(), 1, "{written:?}");
    let text = output(repo.run(TEXT));
    assert_eq!(output(repo.run(JSON)), json);
    assert_eq!(output(repo.run(TEXT)), text);
    // Runs that found every entry wrote nothing: a miss would have parsed the file and
    // written a pack.
    assert_eq!(packs(&root), written);

    // Garbage in the pack, then a pack cut short: the same answers, and what was lost is
    // parsed and written again, after which a run finds everything.
    let damages: [fn(&mut Vec<u8>); 2] = [
        |b| {
            b.iter_mut()
                .for_each(|x| *x = x.wrapping_mul(31).wrapping_add(7))
        },
        |b| b.truncate(b.len() / 3),
    ];
    for damage in damages {
        for path in packs(&root).keys() {
            let mut bytes = std::fs::read(path).expect("read");
            damage(&mut bytes);
            std::fs::write(path, bytes).expect("damage");
        }
        let before = packs(&root);
        assert_eq!(output(repo.run(JSON)), json);
        let after = packs(&root);
        assert_eq!(after.len(), before.len() + 1, "{after:?}");
        assert_eq!(output(repo.run(TEXT)), text);
        assert_eq!(packs(&root), after);
    }
}

#[test]
fn check_and_api_use_the_cache_too() {
    let repo = changed();
    let root = cache_root(repo.repo.path());
    let out = repo.run(&["check"]);
    assert_exit(&out, 1);
    let written = packs(&root);
    assert_eq!(written.len(), 1);
    let api = output(repo.run(&["api", "--no-cache"]));
    assert_eq!(output(repo.run(&["api"])), api);
    // `api WORKTREE` hashes the files on disk: the same blobs as HEAD, all found.
    assert_eq!(output(repo.run(&["api", "WORKTREE"])), api);
    assert_eq!(packs(&root), written);
}

#[test]
fn no_cache_flag_and_env_write_nothing() {
    let repo = changed();
    let bumpwise = repo.repo.path().join("bumpwise");
    let reference = output(repo.run(&["diff", "--no-cache"]));
    assert!(!bumpwise.exists());
    for value in ["1", "true", "yes"] {
        let out = repo
            .bumpwise()
            .args(TEXT)
            .env("BUMPWISE_NO_CACHE", value)
            .output()
            .expect("run");
        assert_eq!(output(out), reference);
        assert!(!bumpwise.exists(), "BUMPWISE_NO_CACHE={value}");
    }
    for args in [&["check", "--no-cache"][..], &["api", "--no-cache"]] {
        repo.run(args);
        assert!(!bumpwise.exists(), "{args:?}");
    }
    // A falsy value leaves the cache on.
    let out = repo
        .bumpwise()
        .args(TEXT)
        .env("BUMPWISE_NO_CACHE", "0")
        .output()
        .expect("run");
    assert_eq!(output(out), reference);
    assert!(cache_root(repo.repo.path()).is_dir());
}

#[test]
fn a_release_reads_the_cache_but_never_writes_it() {
    // No cache yet: a release creates none, dry run or not.
    let repo = changed();
    assert_exit(&repo.run(&["release", "--dry-run"]), 0);
    assert_exit(&repo.run(&["release", "--yes"]), 0);
    assert!(repo.repo.find_reference("refs/tags/v2.0.0").is_ok());
    assert!(!repo.repo.path().join("bumpwise").exists());

    // A cache from a diff, then a commit with new blobs: the release parses them and stores
    // nothing.
    let repo = changed();
    output(repo.run(TEXT));
    repo.write("src/mypkg/_impl.py", "def helper(x, y=2): ...\n");
    repo.commit("helper: y");
    let root = cache_root(repo.repo.path());
    let before = files(&root);
    assert_exit(&repo.run(&["release", "--dry-run"]), 0);
    assert_exit(&repo.run(&["release", "--yes"]), 0);
    assert!(repo.repo.find_reference("refs/tags/v2.0.0").is_ok());
    assert_eq!(files(&root), before);
}

#[test]
fn other_fingerprints_are_deleted_unread() {
    let repo = changed();
    let root = cache_root(repo.repo.path());
    let reference = output(repo.run(&["diff", "--no-cache"]));
    let old = root.join("facts-0123456789abcdef");
    std::fs::create_dir_all(old.join("ab")).expect("mkdir");
    std::fs::write(old.join("ab/cdef0123456789"), b"an older build's entry").expect("write");
    assert_eq!(output(repo.run(TEXT)), reference);
    assert!(!old.exists());
    let folders: Vec<String> = std::fs::read_dir(&root)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    assert!(folders[0].starts_with("facts-") && folders[0] != "facts-0123456789abcdef");
    assert_eq!(packs(&root).len(), 1);
}

#[test]
fn a_cache_that_cannot_be_written_is_no_error() {
    let repo = changed();
    let reference = output(repo.run(&["diff", "--no-cache"]));
    // `.git/bumpwise` is a file: no folder can be made under it, whoever runs the test.
    let bumpwise = repo.repo.path().join("bumpwise");
    std::fs::write(&bumpwise, b"in the way").expect("write");
    assert_eq!(output(repo.run(TEXT)), reference);
    assert_eq!(std::fs::read(&bumpwise).expect("read"), b"in the way");
}

#[cfg(unix)]
#[test]
fn a_read_only_cache_folder_is_no_error() {
    use std::os::unix::fs::PermissionsExt;

    let repo = changed();
    let root = cache_root(repo.repo.path());
    output(repo.run(TEXT));
    // New blobs to store, under folders that refuse them (root ignores the mode bits, and the
    // run then writes: either way it succeeds and answers the same).
    repo.write("src/mypkg/_impl.py", "def helper(x, y=2): ...\n");
    repo.commit("helper: y");
    let reference = output(repo.run(&["diff", "--no-cache"]));
    let set_mode = |mode: u32| {
        let mut dirs = vec![root.clone()];
        dirs.extend(
            files(&root)
                .keys()
                .filter_map(|p| p.parent().map(Path::to_path_buf)),
        );
        for dir in dirs.iter().rev() {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
    };
    set_mode(0o555);
    let result = repo.run(TEXT);
    set_mode(0o755);
    assert_eq!(output(result), reference);
}

#[test]
fn runs_at_once_share_the_cache() {
    let repo = changed();
    let reference = output(repo.run(&["diff", "--format", "json", "--no-cache"]));
    let children: Vec<_> = (0..4)
        .map(|_| {
            repo.bumpwise()
                .args(JSON)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        assert_eq!(output(child.wait_with_output().expect("wait")), reference);
    }
    // Each run that parsed wrote its pack whole, and no temporary file is left.
    let root = cache_root(repo.repo.path());
    let written = packs(&root);
    assert!((1..=4).contains(&written.len()), "{written:?}");
    assert_eq!(files(&root).len(), written.len());
    assert_eq!(output(repo.run(JSON)), reference);
    assert_eq!(packs(&root), written);
}

/// A linked worktree's cache is the main repository's: `.git`, not `.git/worktrees/<name>`.
#[test]
fn linked_worktrees_share_the_common_cache() {
    let repo = changed();
    let holder = tempfile::tempdir().expect("tmp");
    let path = holder.path().join("feature");
    repo.repo
        .worktree("feature", &path, None)
        .expect("worktree");
    let out = output(bumpwise_in(&path).args(JSON).output().expect("run"));
    assert_eq!(out, output(repo.run(JSON)));
    assert_eq!(packs(&cache_root(repo.repo.path())).len(), 1);
    assert!(!repo.repo.path().join("worktrees/feature/bumpwise").exists());
}

/// A bare clone (a CI mirror) keeps its cache in itself.
#[test]
fn a_bare_repository_keeps_its_cache() {
    let repo = changed();
    let bare = tempfile::tempdir().expect("tmp");
    let url = format!("file://{}", repo.path().display());
    git2::build::RepoBuilder::new()
        .bare(true)
        .clone(&url, bare.path())
        .expect("bare clone");
    let args = ["diff", "--to", "HEAD", "--format", "json"];
    let first = output(bumpwise_in(bare.path()).args(args).output().expect("run"));
    assert_eq!(packs(&cache_root(bare.path())).len(), 1);
    let second = output(bumpwise_in(bare.path()).args(args).output().expect("run"));
    assert_eq!(first, second);
}
