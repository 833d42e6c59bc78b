//! The fixture harness behind the catalog's generated tests: each `testdata/changes/<id>/` pair
//! goes through extraction and every detector, the `[project]` metadata comparison included,
//! straight from the files (the git path is covered by the integration tests).
//!
//! Each pair must report exactly the kinds in its `expected.txt`, both sides must diff to nothing
//! against themselves, and everything reported is snapshotted in `expected.snap` so that a
//! detector misfiring on another kind's fixture shows up in review.

use std::path::{Path, PathBuf};

use super::{Change, ChangeKind, Packaging, Rules, diff_project};
use crate::api::{self, SourceFile, Surface};
use crate::project::metadata::Metadata;

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/changes")
}

fn files_under(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Extracts the surface of a fixture side (a directory holding pyproject.toml), with the
/// `[project]` metadata that packaging kinds compare.
pub(crate) fn surface_of(side: &Path) -> (Surface, Metadata) {
    let text = std::fs::read_to_string(side.join("pyproject.toml")).expect("pyproject.toml");
    let project = crate::project::Project::parse("pyproject.toml", &text).expect("valid pyproject");
    let mut all = Vec::new();
    files_under(side, side, &mut all);
    let package = api::package::locate_all("", &project.hints, &all).expect("package");
    let files: Vec<SourceFile> = all
        .iter()
        .filter(|p| package.holds(p))
        .map(|p| SourceFile {
            path: p.clone(),
            bytes: std::fs::read(side.join(p)).expect("read").into(),
            id: None,
        })
        .collect();
    let exclude = project.config.exclude_set().expect("exclude globs");
    let (surface, _warnings) =
        api::surface(&package, &files, &exclude, &api::Parses::default()).expect("surface");
    (surface, project.metadata)
}

fn line(c: &Change) -> String {
    format!(
        "{}  {}  {}:{}  {}",
        c.kind.id(),
        c.path,
        c.file,
        c.line,
        c.message
    )
}

/// Runs the fixture of `kind` and checks everything the module docs promise.
pub(crate) fn check(kind: ChangeKind) {
    let dir = fixtures_root().join(kind.id());
    let (before, old_metadata) = surface_of(&dir.join("before"));
    let (after, new_metadata) = surface_of(&dir.join("after"));
    let rules = Rules::new();
    let run = |old: (&Surface, &Metadata), new: (&Surface, &Metadata)| {
        let packaging = Packaging {
            old: old.1,
            new: new.1,
            file: "pyproject.toml",
        };
        diff_project(old.0, new.0, Some(&packaging), &rules)
    };
    let before = (&before, &old_metadata);
    let after = (&after, &new_metadata);
    assert_eq!(
        run(before, before),
        Vec::new(),
        "before/before must be empty"
    );
    assert_eq!(run(after, after), Vec::new(), "after/after must be empty");
    let changes = run(before, after);
    let mut got: Vec<&str> = changes.iter().map(|c| c.kind.id()).collect();
    got.sort_unstable();
    let expected_text = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    let mut expected: Vec<&str> = expected_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    expected.sort_unstable();
    let report: String = changes.iter().map(|c| line(c) + "\n").collect();
    assert!(
        got.contains(&kind.id()),
        "{} does not report itself:\n{report}",
        kind.id()
    );
    assert_eq!(got, expected, "kinds reported by {}:\n{report}", kind.id());
    insta::with_settings!({
        snapshot_path => dir.clone(),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("expected", report);
    });
}
