//! Every fixture in testdata/changes/ through the real binary on a real repository: the pair
//! `before/` (tagged v1.0.0) -> `after/` must report exactly the kinds in `expected.txt`, and
//! identity diffs must report nothing.

use crate::support::{TestRepo, testdata};

fn kinds(repo: &TestRepo, args: &[&str]) -> Result<Vec<String>, String> {
    let out = repo
        .bumpwise()
        .args(["diff", "--format", "json"])
        .args(args)
        .output()
        .expect("run");
    if out.status.code() != Some(0) {
        return Err(format!(
            "exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    let mut kinds: Vec<String> = json["changes"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| c["kind"].as_str().unwrap_or("?").to_owned())
                .collect()
        })
        .unwrap_or_default();
    kinds.sort();
    Ok(kinds)
}

#[test]
fn every_fixture_reports_its_kinds_through_git() {
    let root = testdata("changes");
    let mut failures = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("testdata/changes")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for dir in dirs {
        let id = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let expected: Vec<String> = {
            let mut v: Vec<String> = std::fs::read_to_string(dir.join("expected.txt"))
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned)
                .collect();
            v.sort();
            v
        };
        let repo = TestRepo::new();
        repo.load_tree(&dir.join("before"));
        repo.commit("before");
        repo.tag("v1.0.0");
        match kinds(&repo, &["--to", "HEAD"]) {
            Ok(k) if k.is_empty() => {}
            Ok(k) => failures.push(format!("{id}: before/before reported {k:?}")),
            Err(e) => failures.push(format!("{id}: before/before failed: {e}")),
        }
        repo.load_tree(&dir.join("after"));
        repo.commit("after");
        match kinds(&repo, &[]) {
            Ok(k) if k == expected => {}
            Ok(k) => failures.push(format!("{id}: expected {expected:?}, got {k:?}")),
            Err(e) => failures.push(format!("{id}: failed: {e}")),
        }
        repo.tag("v9.0.0");
        match kinds(&repo, &["--from", "v9.0.0"]) {
            Ok(k) if k.is_empty() => {}
            Ok(k) => failures.push(format!("{id}: after/after reported {k:?}")),
            Err(e) => failures.push(format!("{id}: after/after failed: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
