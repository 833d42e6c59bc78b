//! The imports gate: rules about how package code imports, checked on facts the `api` stage
//! read (it never parses Python itself, nor imports tree-sitter or git2).
//!
//! Each rule is a row of [`Rule`]: a stable kebab-case id, a summary and the fix. The user sets
//! each one to `error`, `warn` or `off` in `[tool.bumpwise.imports]`, and a line opts out with
//! `# bumpwise: allow <rule-id>`.

pub mod copies;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::api::{FileFacts, ImportFact, PackageRoot};

/// One rule of the imports gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Package code edits `sys.path` or `PYTHONPATH` (`sys.path.insert`, `site.addsitedir`,
    /// `os.environ["PYTHONPATH"] = ...`), so its imports work only where that code ran first.
    SysPathEdit,
    /// An import that works only from the repository root or a particular working directory:
    /// `from src.mypkg import x`, `import packages.invoice_rules`, or a relative import that
    /// climbs above the top-level package.
    CwdImport,
}

impl Rule {
    /// Every rule, in catalog order.
    pub const ALL: &'static [Rule] = &[Rule::SysPathEdit, Rule::CwdImport];

    /// The stable id used in config, allow comments and reports.
    pub fn id(self) -> &'static str {
        match self {
            Rule::SysPathEdit => "sys-path-edit",
            Rule::CwdImport => "cwd-import",
        }
    }

    /// The rule named `id`.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// One line: how to fix a finding.
    pub fn fix(self) -> &'static str {
        match self {
            Rule::SysPathEdit => {
                "remove the edit; install the package (`pip install -e .`, `uv sync`) and declare what it imports as dependencies"
            }
            Rule::CwdImport => {
                "import the package by its own name (`from mypkg import x`), or with a relative import inside the package"
            }
        }
    }
}

/// What a rule's findings do to the exit code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Reported, and the gate fails (the default).
    #[default]
    Error,
    /// Reported, and the gate still passes.
    Warn,
    /// Not checked.
    Off,
}

impl Level {
    /// `error`, `warn` or `off`.
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "error" => Some(Level::Error),
            "warn" => Some(Level::Warn),
            "off" => Some(Level::Off),
            _ => None,
        }
    }
}

/// `[tool.bumpwise.imports]`: levels by rule; a rule not named is `error`.
pub type Levels = BTreeMap<Rule, Level>;

/// One violation, on one line. Field order is the JSON's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// Repository-relative path.
    pub file: String,
    pub line: u32,
    pub message: String,
    pub fix: String,
}

/// How a finding is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Folders that hold projects in repositories of several, never import roots themselves.
pub const CONTAINER_FOLDERS: &[&str] = &["src", "packages", "services", "apps", "libs"];

/// What the rules need to know about the project.
pub struct Context<'a> {
    /// The package roots the files belong to.
    pub roots: Vec<&'a PackageRoot>,
    /// First components that name a repository folder, not an installed package: the
    /// [`CONTAINER_FOLDERS`] and the top-level folders that hold members.
    pub folders: BTreeSet<String>,
    pub levels: &'a Levels,
}

/// Sorts findings by file, line and rule, so output is the same on every run.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| (&a.file, a.line, a.rule).cmp(&(&b.file, b.line, b.rule)));
}

/// Checks one file's facts. `file` is repository-relative.
pub fn check(cx: &Context<'_>, file: &str, facts: &FileFacts) -> Vec<Finding> {
    let mut out = Vec::new();
    let level = |rule: Rule| cx.levels.get(&rule).copied().unwrap_or_default();
    let mut push = |rule: Rule, line: u32, message: String, fix: String| {
        let severity = match level(rule) {
            Level::Off => return,
            Level::Warn => Severity::Warning,
            Level::Error => Severity::Error,
        };
        let allowed = facts
            .allows
            .iter()
            .any(|(l, ids)| *l == line && ids.iter().any(|id| id == rule.id()));
        if !allowed {
            out.push(Finding {
                file: file.to_owned(),
                line,
                rule,
                severity,
                message,
                fix,
            });
        }
    };
    let package = package_of(&cx.roots, file);
    let own_names: BTreeSet<&str> = cx
        .roots
        .iter()
        .filter_map(|r| r.import_name.split('.').next())
        .collect();
    for fact in &facts.facts {
        match fact {
            ImportFact::PathEdit { what, line } => push(
                Rule::SysPathEdit,
                *line,
                format!("`{what}` changes where Python finds modules"),
                Rule::SysPathEdit.fix().to_owned(),
            ),
            ImportFact::Import {
                module,
                level: 0,
                line,
                ..
            } => {
                let first = module.split('.').next().unwrap_or_default();
                if cx.folders.contains(first) && !own_names.contains(first) {
                    let fix = match suggestion(module, &cx.roots) {
                        Some(name) => format!("import `{name}` instead"),
                        None => Rule::CwdImport.fix().to_owned(),
                    };
                    push(
                        Rule::CwdImport,
                        *line,
                        format!(
                            "`{module}` imports through the folder `{first}/`, which works only from the repository root"
                        ),
                        fix,
                    );
                }
            }
            ImportFact::Import {
                module,
                level,
                line,
                ..
            } => {
                if let Some(package) = &package
                    && *level > package.len()
                {
                    let written = format!("{}{module}", ".".repeat(*level));
                    push(
                        Rule::CwdImport,
                        *line,
                        format!(
                            "`from {written} import` climbs above the top-level package `{}`",
                            package.first().map(String::as_str).unwrap_or(file)
                        ),
                        Rule::CwdImport.fix().to_owned(),
                    );
                }
            }
        }
    }
    out
}

/// The dotted package that holds `file` (`mypkg.sub` for `src/mypkg/sub/a.py`); empty for a
/// single-module root, `None` when no root holds it.
fn package_of(roots: &[&PackageRoot], file: &str) -> Option<Vec<String>> {
    let root = roots.iter().find(|r| r.holds(file))?;
    if root.single_module {
        return Some(Vec::new());
    }
    let mut parts: Vec<String> = root.import_name.split('.').map(str::to_owned).collect();
    let rest = file
        .strip_prefix(root.path.as_str())?
        .trim_start_matches('/');
    let mut dirs: Vec<&str> = rest.split('/').collect();
    dirs.pop();
    parts.extend(dirs.into_iter().map(str::to_owned));
    Some(parts)
}

/// `mypkg.core` for `src.mypkg.core`: the module from the first component that names one of
/// the project's packages, else from what follows the last `src` folder
/// (`packages.invoice_rules.src.invoice_rules.rules` gives `invoice_rules.rules`).
fn suggestion(module: &str, roots: &[&PackageRoot]) -> Option<String> {
    let parts: Vec<&str> = module.split('.').collect();
    let own = parts.iter().skip(1).position(|p| {
        roots
            .iter()
            .any(|r| r.import_name.split('.').next() == Some(*p))
    });
    let at = match own {
        Some(i) => i + 1,
        None => parts.iter().rposition(|p| *p == "src")? + 1,
    };
    (at > 0 && at < parts.len()).then(|| parts[at..].join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(name: &str, path: &str) -> PackageRoot {
        PackageRoot {
            import_name: name.to_owned(),
            path: path.to_owned(),
            single_module: false,
        }
    }

    fn run(file: &str, src: &str, levels: &Levels) -> Vec<(u32, &'static str, String)> {
        let r = root("mypkg", "src/mypkg");
        let cx = Context {
            roots: vec![&r],
            folders: CONTAINER_FOLDERS.iter().map(|s| (*s).to_owned()).collect(),
            levels,
        };
        let facts = crate::api::import_facts(file, src.as_bytes()).unwrap();
        check(&cx, file, &facts)
            .into_iter()
            .map(|f| (f.line, f.rule.id(), f.fix))
            .collect()
    }

    #[test]
    fn catalog_ids_round_trip_and_the_readme_documents_each_rule() {
        let readme = include_str!("../../README.md");
        for r in Rule::ALL {
            assert_eq!(Rule::from_id(r.id()), Some(*r));
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", r.id())))
                .unwrap_or_else(|| panic!("README has no row for `{}`", r.id()));
            assert!(
                row.contains(r.fix()),
                "README row of `{}` lacks its fix",
                r.id()
            );
        }
    }

    #[test]
    fn cwd_imports_and_their_near_misses() {
        let src = "\
from src.mypkg.core import x
import packages.invoice_rules
from mypkg import y
from . import z
from .. import w
from ... import v
import srcery
from packages.invoice_rules.src.invoice_rules.rules import r
";
        let found = run("src/mypkg/sub/a.py", src, &Levels::new());
        assert_eq!(
            found,
            vec![
                (1, "cwd-import", "import `mypkg.core` instead".to_owned()),
                (2, "cwd-import", Rule::CwdImport.fix().to_owned()),
                (6, "cwd-import", Rule::CwdImport.fix().to_owned()),
                (
                    8,
                    "cwd-import",
                    "import `invoice_rules.rules` instead".to_owned()
                ),
            ]
        );
        // In the top-level package, `..` already climbs above it.
        let found = run(
            "src/mypkg/a.py",
            "from .. import w\nfrom . import z\n",
            &Levels::new(),
        );
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn levels_and_allow_comments() {
        let src = "import sys\nsys.path.append('x')\nsys.path.append('y')  # bumpwise: allow sys-path-edit\n";
        assert_eq!(run("src/mypkg/a.py", src, &Levels::new()).len(), 1);
        let off = Levels::from([(Rule::SysPathEdit, Level::Off)]);
        assert!(run("src/mypkg/a.py", src, &off).is_empty());
    }
}
