//! Packaging metadata of the `[project]` table (PEP 621): `requires-python`, `dependencies` and
//! `optional-dependencies`, read from the project model's one parse of pyproject.toml.
//!
//! Only what the comparison needs is read: the `requires-python` specifier set (PEP 440), and
//! each requirement's normalized name (PEP 508, PEP 503). The specifiers are read by hand for
//! final releases only, which is all an interpreter version is; anything this reader does not
//! understand is kept as text and never compared, so it can hide a change but never invent one.

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

/// A PEP 440 version specifier set (`>=3.8, !=3.9.0, <4`), for final releases only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Specifiers(Vec<Clause>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Clause {
    op: Op,
    release: Vec<u64>,
    /// `==3.8.*` or `!=3.8.*`.
    wildcard: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Equal,
    NotEqual,
    LessEqual,
    GreaterEqual,
    Less,
    Greater,
    Compatible,
}

impl Specifiers {
    /// Parses a specifier set, or `None` when a clause is not one this reader understands
    /// (`===`, pre-, post- or dev-release versions, local versions).
    pub(crate) fn parse(text: &str) -> Option<Specifiers> {
        let mut clauses = Vec::new();
        for clause in text.split(',') {
            let clause = clause.trim();
            if clause.is_empty() {
                continue;
            }
            let (op, rest) = [
                ("~=", Op::Compatible),
                ("==", Op::Equal),
                ("!=", Op::NotEqual),
                ("<=", Op::LessEqual),
                (">=", Op::GreaterEqual),
                ("<", Op::Less),
                (">", Op::Greater),
            ]
            .into_iter()
            .find_map(|(prefix, op)| Some((op, clause.strip_prefix(prefix)?)))?;
            if rest.starts_with('=') {
                return None; // `===`: arbitrary equality
            }
            let rest = rest.trim();
            let rest = rest.strip_prefix(['v', 'V']).unwrap_or(rest);
            let (rest, wildcard) = match rest.strip_suffix(".*") {
                Some(r) if matches!(op, Op::Equal | Op::NotEqual) => (r, true),
                Some(_) => return None,
                None => (rest, false),
            };
            let release = rest
                .split('.')
                .map(|p| {
                    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    p.parse::<u64>().ok()
                })
                .collect::<Option<Vec<u64>>>()?;
            if op == Op::Compatible && release.len() < 2 {
                return None;
            }
            clauses.push(Clause {
                op,
                release,
                wildcard,
            });
        }
        Some(Specifiers(clauses))
    }

    /// Whether the final release `version` (`[3, 8, 0]`) satisfies every clause.
    pub(crate) fn allows(&self, version: &[u64]) -> bool {
        self.0.iter().all(|c| c.allows(version))
    }
}

impl Clause {
    fn allows(&self, v: &[u64]) -> bool {
        use std::cmp::Ordering::*;
        let order = compare(v, &self.release);
        let prefix =
            |v: &[u64], p: &[u64]| (0..p.len()).all(|i| v.get(i).copied().unwrap_or(0) == p[i]);
        match self.op {
            Op::Equal if self.wildcard => prefix(v, &self.release),
            Op::NotEqual if self.wildcard => !prefix(v, &self.release),
            Op::Equal => order == Equal,
            Op::NotEqual => order != Equal,
            Op::LessEqual => order != Greater,
            Op::GreaterEqual => order != Less,
            Op::Less => order == Less,
            Op::Greater => order == Greater,
            // `~=3.8.1` is `>=3.8.1, ==3.8.*` (PEP 440 "Compatible release").
            Op::Compatible => order != Less && prefix(v, &self.release[..self.release.len() - 1]),
        }
    }
}

/// Compares two release segments, the shorter padded with zeros (`3.8` is `3.8.0`).
fn compare(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    let n = a.len().max(b.len());
    (0..n)
        .map(|i| {
            (
                a.get(i).copied().unwrap_or(0),
                b.get(i).copied().unwrap_or(0),
            )
        })
        .map(|(x, y)| x.cmp(&y))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(spec: &str, v: &[u64]) -> bool {
        Specifiers::parse(spec)
            .unwrap_or_else(|| panic!("{spec}"))
            .allows(v)
    }

    #[test]
    fn specifiers_on_final_releases() {
        assert!(allows(">=3.8", &[3, 8, 0]));
        assert!(!allows(">=3.8", &[3, 7, 20]));
        assert!(allows(">=3.8, <4", &[3, 20, 0]));
        assert!(!allows(">3.8", &[3, 8]));
        assert!(allows(">3.8", &[3, 8, 1]));
        assert!(!allows("<3.9", &[3, 9, 0]));
        assert!(allows("<=3.9", &[3, 9, 0]));
        assert!(!allows("!=3.9.0", &[3, 9]));
        assert!(allows("==3.*", &[3, 1, 2]));
        assert!(!allows("==3.*", &[2, 7, 18]));
        assert!(!allows(">=2.7, !=3.0.*, !=3.1.*", &[3, 1, 4]));
        assert!(allows(">=2.7, !=3.0.*, !=3.1.*", &[3, 2, 0]));
        assert!(allows("~=3.8", &[3, 12, 0]));
        assert!(!allows("~=3.8", &[4, 0, 0]));
        assert!(allows("~=3.8.1", &[3, 8, 5]));
        assert!(!allows("~=3.8.1", &[3, 9, 0]));
        assert!(!allows("~=3.8.1", &[3, 8, 0]));
        assert!(allows("", &[2, 0, 0]));
        assert!(allows(" >= 3.10 ", &[3, 10, 0]));
        for unknown in ["===3.8", ">=3.8rc1", ">=3.*", "~=3", "3.8", ">=3.8+local"] {
            assert_eq!(Specifiers::parse(unknown), None, "{unknown}");
        }
    }

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
