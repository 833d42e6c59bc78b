//! Packaging metadata: `requires-python` raised, and required dependencies removed or moved
//! into an extra, between the `[project]` tables of two revisions (API-RULES section 3).
//!
//! These changes have no Python path: a change's path is `requires-python` or the
//! dependency's normalized name, and its file is the pyproject.toml (or the setup.py or
//! setup.cfg whose `python_requires` a project without `[project]` declares). Reading the table is the
//! project model's job (`crate::project::metadata`); this module only compares.

use std::collections::BTreeSet;

use super::catalog::ChangeKind;
use super::change::Change;
use super::list;
use crate::api::Location;
use crate::project::metadata::Metadata;
use crate::version::pep440::Version;
use crate::version::specifier::{Comparison, Specifiers};

/// The interpreters `requires-python` is checked against: every 2.x and 3.0 to 3.20, each at
/// patch levels 0 to 20. Pre-releases are not needed: no installer picks one by default.
fn interpreters() -> impl Iterator<Item = [u64; 3]> {
    let minors = (0..=7).map(|m| (2, m)).chain((0..=20).map(|m| (3, m)));
    minors.flat_map(|(major, minor)| (0..=20).map(move |patch| [major, minor, patch]))
}

/// Every packaging change from `old` to `new`; `file` is the pyproject.toml's
/// repository-relative path.
pub(crate) fn diff(old: &Metadata, new: &Metadata, file: &str) -> Vec<Change> {
    let mut out = Vec::new();
    requires_python(old, new, file, &mut out);
    dependencies(old, new, file, &mut out);
    out
}

fn requires_python(old: &Metadata, new: &Metadata, file: &str, out: &mut Vec<Change>) {
    let Some((new_text, line)) = &new.requires_python else {
        return;
    };
    let old_text = old.requires_python.as_ref().map(|(t, _)| t.as_str());
    // A specifier either side that does not parse, or that is not about final releases, is
    // not compared: it could only guess.
    let (Ok(was), Ok(now)) = (
        Specifiers::parse(old_text.unwrap_or("")),
        Specifiers::parse(new_text),
    ) else {
        return;
    };
    if !final_only(&was) || !final_only(&now) {
        return;
    }
    let dropped: Vec<[u64; 3]> = interpreters()
        .filter(|v| allows(&was, v) && !allows(&now, v))
        .collect();
    if dropped.is_empty() {
        return;
    }
    // setup.py's and setup.cfg's `python_requires` is the same metadata (`Requires-Python`).
    let (file, key) = match &new.requires_python_file {
        Some(setup) => (setup.as_str(), "python_requires"),
        None => (file, "requires-python"),
    };
    let location = Location {
        file: file.to_owned(),
        line: *line,
    };
    let from = match old_text {
        Some(t) => format!("from `{t}` "),
        None => "from nothing ".to_owned(),
    };
    let message = format!(
        "`{key}` was raised {from}to `{new_text}`: Python {} can no longer install this release",
        describe(&dropped, &was)
    );
    let shape = |t: Option<&str>| match t {
        Some(t) => format!("{key} = \"{t}\""),
        None => format!("{key} unset"),
    };
    out.push(
        Change::new(
            ChangeKind::RequiresPythonRaised,
            "requires-python",
            message,
            &location,
        )
        .with_shapes(&shape(old_text), &shape(Some(new_text))),
    );
}

/// Whether every clause names a final release: the interpreters checked are final releases,
/// and `===` compares text, which an interpreter's version never is here.
fn final_only(set: &Specifiers) -> bool {
    set.clauses().iter().all(|c| match &c.cmp {
        Comparison::Arbitrary(_) => false,
        cmp => cmp
            .version()
            .is_none_or(|v| v.pre.is_none() && v.post.is_none() && v.dev.is_none()),
    })
}

fn allows(set: &Specifiers, interpreter: &[u64]) -> bool {
    set.contains(&Version::new(interpreter), false)
}

/// The dropped versions, by minor series: `3.8` when the series is gone as a whole (every
/// version of it the old specifier allowed), else its first and last dropped versions.
fn describe(dropped: &[[u64; 3]], was: &Specifiers) -> String {
    let series: BTreeSet<(u64, u64)> = dropped.iter().map(|v| (v[0], v[1])).collect();
    let parts: Vec<String> = series
        .into_iter()
        .map(|(major, minor)| {
            let gone: Vec<&[u64; 3]> = dropped
                .iter()
                .filter(|v| v[0] == major && v[1] == minor)
                .collect();
            let allowed = (0..=20u64)
                .filter(|p| allows(was, &[major, minor, *p]))
                .count();
            match (gone.first(), gone.last()) {
                _ if gone.len() == allowed => format!("{major}.{minor}"),
                (Some(a), Some(b)) if a == b => format!("{major}.{minor}.{}", a[2]),
                (Some(a), Some(b)) => {
                    format!("{major}.{minor}.{} to {major}.{minor}.{}", a[2], b[2])
                }
                _ => String::new(),
            }
        })
        .collect();
    list(&parts).replace('`', "")
}

fn dependencies(old: &Metadata, new: &Metadata, file: &str, out: &mut Vec<Change>) {
    let kept: BTreeSet<&str> = new.dependencies.iter().map(|r| r.name.as_str()).collect();
    let mut seen = BTreeSet::new();
    for req in &old.dependencies {
        if kept.contains(req.name.as_str()) || !seen.insert(req.name.as_str()) {
            continue;
        }
        let name = &req.name;
        let extras: Vec<(&String, u32)> = new
            .optional
            .iter()
            .filter_map(|(extra, reqs)| {
                let r = reqs.iter().find(|r| r.name == *name)?;
                Some((extra, r.line))
            })
            .collect();
        let (message, line) = match extras.first() {
            Some((_, line)) => {
                let names: Vec<String> = extras.iter().map(|(e, _)| (*e).clone()).collect();
                let (noun, install) = if names.len() == 1 {
                    ("extra", format!("`[{}]`", names[0]))
                } else {
                    ("extras", "one of them".to_owned())
                };
                (
                    format!(
                        "required dependency `{name}` moved into the {noun} {}: installs without {install} no longer get it",
                        list(&names)
                    ),
                    *line,
                )
            }
            None => (
                format!(
                    "required dependency `{name}` was removed (it was `{}`)",
                    req.text
                ),
                req.line,
            ),
        };
        let location = Location {
            file: file.to_owned(),
            line,
        };
        out.push(Change::new(
            ChangeKind::DependencyRemoved,
            name,
            message,
            &location,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::metadata::Requirement;

    fn meta(requires: Option<&str>, deps: &[&str], extras: &[(&str, &[&str])]) -> Metadata {
        let req = |text: &&str| Requirement::new(text, 1).expect("name");
        Metadata {
            requires_python: requires.map(|r| (r.to_owned(), 1)),
            requires_python_file: None,
            dependencies: deps.iter().map(req).collect(),
            optional: extras
                .iter()
                .map(|(e, reqs)| ((*e).to_owned(), reqs.iter().map(req).collect()))
                .collect(),
            dynamic_dependencies: false,
        }
    }

    fn messages(old: &Metadata, new: &Metadata) -> Vec<String> {
        diff(old, new, "pyproject.toml")
            .into_iter()
            .map(|c| format!("{} {}: {}", c.kind, c.path, c.message))
            .collect()
    }

    #[test]
    fn requires_python_raised_names_what_was_dropped() {
        let py = |r: Option<&str>| meta(r, &[], &[]);
        assert_eq!(
            messages(&py(Some(">=3.8")), &py(Some(">=3.10"))),
            [
                "requires-python-raised requires-python: `requires-python` was raised from `>=3.8` to `>=3.10`: Python 3.8 and 3.9 can no longer install this release"
            ]
        );
        assert_eq!(
            messages(&py(None), &py(Some(">=3.7"))),
            [
                "requires-python-raised requires-python: `requires-python` was raised from nothing to `>=3.7`: Python 2.0, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 3.0, 3.1, 3.2, 3.3, 3.4, 3.5 and 3.6 can no longer install this release"
            ]
        );
        assert_eq!(
            messages(&py(Some(">=3.8")), &py(Some(">=3.8.2"))),
            [
                "requires-python-raised requires-python: `requires-python` was raised from `>=3.8` to `>=3.8.2`: Python 3.8.0 to 3.8.1 can no longer install this release"
            ]
        );
        // Near-misses: lowered, respelled, an upper bound on versions that do not exist, a
        // specifier this reader does not understand, and no value at all.
        for (old, new) in [
            (Some(">=3.9"), Some(">=3.8")),
            (Some(">=3.8"), Some(">= 3.8.0, <4")),
            (Some(">=3.8"), Some("~=3.8")),
            (Some(">=3.8"), Some("===3.9")),
            (Some(">=3.8"), None),
            (None, None),
        ] {
            assert_eq!(
                messages(&py(old), &py(new)),
                Vec::<String>::new(),
                "{old:?} -> {new:?}"
            );
        }
    }

    #[test]
    fn setup_py_python_requires_is_compared_and_named() {
        // Issue 13: setup.py's `python_requires` is the same `Requires-Python` metadata.
        let setup = |r: &str| Metadata {
            requires_python_file: Some("setup.py".to_owned()),
            ..meta(Some(r), &[], &[])
        };
        let changes = diff(&setup(">=3.7"), &setup(">=3.8"), "pyproject.toml");
        let got: Vec<String> = changes
            .iter()
            .map(|c| format!("{} {}:{} {}", c.kind, c.file, c.line, c.message))
            .collect();
        assert_eq!(
            got,
            [
                "requires-python-raised setup.py:1 `python_requires` was raised from `>=3.7` to `>=3.8`: Python 3.7 can no longer install this release"
            ]
        );
        assert!(diff(&setup(">=3.8"), &setup(">=3.8"), "pyproject.toml").is_empty());
    }

    #[test]
    fn requires_python_naming_pre_or_post_releases_is_not_compared() {
        // The interpreters checked are final releases, and `===` compares text: such sets are
        // left alone, as they were before the specifier reader handled them.
        let py = |r: &str| meta(Some(r), &[], &[]);
        for new in [">=3.13.0rc1", ">=3.8.post1", "===3.9", ">=3.9, <4.x"] {
            assert_eq!(
                messages(&py(">=3.8"), &py(new)),
                Vec::<String>::new(),
                "{new}"
            );
        }
    }

    #[test]
    fn dependencies_removed_or_moved_into_an_extra() {
        let old = meta(None, &["Rich>=13", "click", "attrs"], &[]);
        let new = meta(
            None,
            &["click"],
            &[("cli", &["rich"]), ("all", &["rich", "x"])],
        );
        assert_eq!(
            messages(&old, &new),
            [
                "dependency-removed rich: required dependency `rich` moved into the extras `all` and `cli`: installs without one of them no longer get it",
                "dependency-removed attrs: required dependency `attrs` was removed (it was `attrs`)",
            ]
        );
        // Respelled or re-pinned is the same dependency; an extra's own changes are not
        // required dependencies.
        let respelled = meta(None, &["rich<14", "Click", "ATTRS"], &[]);
        assert!(messages(&old, &respelled).is_empty());
        assert!(messages(&new, &meta(None, &["click"], &[])).is_empty());
    }
}
