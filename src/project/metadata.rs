//! Packaging metadata of the `[project]` table (PEP 621): `requires-python`, `dependencies` and
//! `optional-dependencies`, read from the project model's one parse of pyproject.toml.
//!
//! `requires-python` is kept as text; `crate::version::specifier` reads it. Each requirement
//! has its normalized name (PEP 503), read leniently, and its full PEP 508 reading (see
//! `super::requirement`) or the reason there is none: a string that reader rejects still names
//! its dependency, so it can hide a change but never invent one.

use std::collections::BTreeMap;
use std::ops::Range;

use toml_edit::{Item, Table, Value};

use super::requirement::{Pep508, RequirementError, normalize, requirement_name};

/// What `[project]` says about the interpreters and packages a release needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Metadata {
    /// `requires-python`, as written, with its 1-based line.
    pub requires_python: Option<(String, u32)>,
    /// The repository-relative file `requires_python` comes from when it is not
    /// pyproject.toml: setup.py's or setup.cfg's `python_requires`, in a project without a
    /// `[project]` table.
    pub requires_python_file: Option<String>,
    /// `dependencies`: what every install gets.
    pub dependencies: Vec<Requirement>,
    /// `optional-dependencies`, by normalized extra name.
    pub optional: BTreeMap<String, Vec<Requirement>>,
    /// `dynamic` names `dependencies` or `optional-dependencies`: a tool fills them in at
    /// build time, so the table does not say what the project depends on.
    pub dynamic_dependencies: bool,
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
    /// Its extras, specifiers, URL and marker, or why `text` is not PEP 508.
    pub pep508: Result<Pep508, RequirementError>,
}

impl Requirement {
    /// Reads a requirement string found at `line`; `None` when it does not start with a name.
    pub(crate) fn new(text: &str, line: u32) -> Option<Requirement> {
        let text = text.trim();
        Some(Requirement {
            name: requirement_name(text)?,
            text: text.to_owned(),
            line,
            pep508: Pep508::parse(text),
        })
    }
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
        let dynamic_dependencies =
            project
                .get("dynamic")
                .and_then(Item::as_array)
                .is_some_and(|a| {
                    a.iter().any(|v| {
                        matches!(v.as_str(), Some("dependencies" | "optional-dependencies"))
                    })
                });
        Metadata {
            requires_python,
            requires_python_file: None,
            dependencies,
            optional,
            dynamic_dependencies,
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
            Requirement::new(s.value(), line(text, s.span()))
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let requests = m.dependencies[0].pep508.as_ref().expect("PEP 508");
        assert_eq!(requests.specifiers.as_str(), ">=2");
        let none = toml_edit::ImDocument::parse("[tool.x]\n").expect("toml");
        assert_eq!(Metadata::read(none.as_table(), ""), Metadata::default());
    }

    #[test]
    fn a_requirement_pep_508_rejects_still_names_its_dependency() {
        let r = Requirement::new(" odd>=1!2.0 ", 4).expect("a name");
        assert_eq!(
            (r.name.as_str(), r.text.as_str(), r.line),
            ("odd", "odd>=1!2.0", 4)
        );
        let err = r.pep508.expect_err("an epoch is not read");
        assert!(err.to_string().contains("epoch"), "{err}");
        assert!(Requirement::new("[x]", 1).is_none());
    }
}
