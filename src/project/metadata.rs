//! Packaging metadata of the `[project]` table (PEP 621): `requires-python`, `dependencies` and
//! `optional-dependencies`, read from the project model's one parse of pyproject.toml.
//!
//! Only what the comparison needs is read: `requires-python` as text (`crate::version::specifier`
//! reads it), and each requirement's normalized name (PEP 508, PEP 503).

use std::collections::BTreeMap;
use std::ops::Range;

use toml_edit::{Item, Table, Value};

/// What `[project]` says about the interpreters and packages a release needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Metadata {
    /// `requires-python`, as written, with its 1-based line.
    pub requires_python: Option<(String, u32)>,
    /// `dependencies`: what every install gets.
    pub dependencies: Vec<Requirement>,
    /// `optional-dependencies`, by normalized extra name.
    pub optional: BTreeMap<String, Vec<Requirement>>,
}

/// One PEP 508 requirement string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Requirement {
    /// The distribution name, normalized as PEP 503 says (`Foo_Bar` is `foo-bar`).
    pub name: String,
    /// The whole string as written (`requests>=2.31; python_version >= "3.8"`).
    pub text: String,
    /// Its 1-based line in pyproject.toml.
    pub line: u32,
}

impl Metadata {
    /// Reads the metadata from a parsed pyproject.toml; `text` is what it was parsed from.
    /// Values of the wrong type are ignored here: the build backend reports them.
    pub(crate) fn read(root: &Table, text: &str) -> Metadata {
        let Some(project) = root.get("project") else {
            return Metadata::default();
        };
        let requires_python = project
            .get("requires-python")
            .and_then(Item::as_value)
            .and_then(|v| match v {
                Value::String(s) => Some((s.value().clone(), line(text, s.span()))),
                _ => None,
            });
        let dependencies = project
            .get("dependencies")
            .map(|item| requirements(item, text))
            .unwrap_or_default();
        let optional = project
            .get("optional-dependencies")
            .and_then(Item::as_table_like)
            .map(|t| {
                t.iter()
                    .map(|(extra, item)| (normalize(extra), requirements(item, text)))
                    .collect()
            })
            .unwrap_or_default();
        Metadata {
            requires_python,
            dependencies,
            optional,
        }
    }
}

fn requirements(item: &Item, text: &str) -> Vec<Requirement> {
    let Some(array) = item.as_array() else {
        return Vec::new();
    };
    array
        .iter()
        .filter_map(|v| {
            let Value::String(s) = v else {
                return None;
            };
            let value = s.value();
            Some(Requirement {
                name: requirement_name(value)?,
                text: value.trim().to_owned(),
                line: line(text, s.span()),
            })
        })
        .collect()
}

fn line(text: &str, span: Option<Range<usize>>) -> u32 {
    let offset = span.map_or(0, |s| s.start).min(text.len());
    let newlines = text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// The normalized name at the start of a PEP 508 requirement (`Foo.Bar[extra]>=1` is
/// `foo-bar`), or `None` when it does not start with one.
pub(crate) fn requirement_name(requirement: &str) -> Option<String> {
    let s = requirement.trim_start();
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(s.len());
    let name = s[..end].trim_end_matches(['.', '_', '-']);
    (!name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphanumeric()))
        .then(|| normalize(name))
}

/// PEP 503 normalization: lower case, every run of `-`, `_` and `.` turned into one `-`.
pub(crate) fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
            continue;
        }
        if separator && !out.is_empty() {
            out.push('-');
        }
        separator = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_names_are_normalized() {
        assert_eq!(
            requirement_name("requests>=2.31").as_deref(),
            Some("requests")
        );
        assert_eq!(
            requirement_name("Foo_Bar.baz [socks] ; python_version < '3.8'").as_deref(),
            Some("foo-bar-baz")
        );
        assert_eq!(
            requirement_name("typing-extensions").as_deref(),
            Some("typing-extensions")
        );
        assert_eq!(requirement_name("  ; x"), None);
        assert_eq!(normalize("My__Extra"), "my-extra");
    }

    #[test]
    fn reads_the_project_table() {
        let text = "[project]\nname = \"x\"\nrequires-python = \">=3.9\"\ndependencies = [\n  \"Requests>=2\",\n  \"click\",\n]\n[project.optional-dependencies]\nCLI = [\"rich\"]\n";
        let doc = toml_edit::ImDocument::parse(text).expect("toml");
        let m = Metadata::read(doc.as_table(), text);
        assert_eq!(m.requires_python, Some((">=3.9".to_owned(), 3)));
        let names: Vec<(&str, u32)> = m
            .dependencies
            .iter()
            .map(|r| (r.name.as_str(), r.line))
            .collect();
        assert_eq!(names, [("requests", 5), ("click", 6)]);
        assert_eq!(m.optional["cli"][0].name, "rich");
        assert_eq!(m.optional["cli"][0].line, 9);
        let none = toml_edit::ImDocument::parse("[tool.x]\n").expect("toml");
        assert_eq!(Metadata::read(none.as_table(), ""), Metadata::default());
    }
}
