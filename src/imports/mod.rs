//! The imports gate: rules about how package code imports, checked on facts the `api` stage
//! read (it never parses Python itself, nor imports tree-sitter or git2).
//!
//! Each rule is a row of [`Rule`]: a stable kebab-case id, a summary and the fix. The user sets
//! each one to `error`, `warn` or `off` in `[tool.bumpwise.imports]`, and a line opts out with
//! `# bumpwise: allow <rule-id>`.
//!
//! An absolute import is read once, in this order, and the first reading decides: another
//! member's package (rules 1–3), a script folder, a repository folder, the project's own
//! package, the standard library, a declared dependency, a module found in the repository
//! (the working-directory imports of rule 5), else an unknown module.

pub mod dists;
pub mod stdlib;

pub mod copies;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::api::{FileFacts, ImportFact, PackageRoot};

pub use dists::Provided;

/// One rule of the imports gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A member imports another member's package without declaring it as a dependency: it
    /// works in the repository, where both are installed, and fails where only this one is.
    UndeclaredMember,
    /// A service or application imports another one's modules: the two must then be deployed
    /// together, and a change inside one breaks the other.
    ServiceImportsService,
    /// Package or service code imports from a scripts folder, which is never installed.
    ScriptImport,
    /// Package code imports a service or application, which nobody installs as a dependency.
    PackageImportsService,
    /// Package code edits `sys.path` or `PYTHONPATH` (`sys.path.insert`, `site.addsitedir`,
    /// `os.environ["PYTHONPATH"] = ...`), so its imports work only where that code ran first.
    SysPathEdit,
    /// An import that works only from the repository root or a particular working directory:
    /// `from src.mypkg import x`, `import packages.invoice_rules`, a bare import of a module
    /// next to the file, or a relative import that climbs above the top-level package.
    CwdImport,
    /// An import that runs on import of the module (not inside a function) of a module that is
    /// not the standard library's (for the Python versions the project supports), not a
    /// member's package and not provided by a declared dependency.
    UnknownImport,
    /// A module that is a copy, or a near-copy, of another member's module.
    CopiedCode,
}

impl Rule {
    /// Every rule, in catalog order.
    pub const ALL: &'static [Rule] = &[
        Rule::UndeclaredMember,
        Rule::ServiceImportsService,
        Rule::ScriptImport,
        Rule::PackageImportsService,
        Rule::SysPathEdit,
        Rule::CwdImport,
        Rule::UnknownImport,
        Rule::CopiedCode,
    ];

    /// The stable id used in config, allow comments and reports.
    pub fn id(self) -> &'static str {
        match self {
            Rule::UndeclaredMember => "undeclared-member",
            Rule::ServiceImportsService => "service-imports-service",
            Rule::ScriptImport => "script-import",
            Rule::PackageImportsService => "package-imports-service",
            Rule::SysPathEdit => "sys-path-edit",
            Rule::CwdImport => "cwd-import",
            Rule::UnknownImport => "unknown-import",
            Rule::CopiedCode => "copied-code",
        }
    }

    /// The rule named `id`.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// One line: how to fix a finding.
    pub fn fix(self) -> &'static str {
        match self {
            Rule::UndeclaredMember => {
                "declare the member in the importing member's `[project] dependencies`"
            }
            Rule::ServiceImportsService => {
                "move the shared code into a package both depend on, or call the other service through its API"
            }
            Rule::ScriptImport => {
                "move the shared code into a package and import it from there: scripts import packages, never the reverse"
            }
            Rule::PackageImportsService => {
                "move what the package needs out of the service into a package; services depend on packages, never the reverse"
            }
            Rule::SysPathEdit => {
                "remove the edit; install the package (`pip install -e .`, `uv sync`) and declare what it imports as dependencies"
            }
            Rule::CwdImport => {
                "import the package by its own name (`from mypkg import x`), or with a relative import inside the package"
            }
            Rule::UnknownImport => {
                "declare the distribution that provides it in `[project] dependencies`, name its modules with `module-names` in `[tool.bumpwise.imports]`, or list it in `allow-modules` there"
            }
            Rule::CopiedCode => {
                "delete the copy; depend on the member that holds the original and import it from there"
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

/// Levels by rule; a rule not named is `error`.
pub type Levels = BTreeMap<Rule, Level>;

/// `[tool.bumpwise.imports]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub levels: Levels,
    /// `scripts`: repository folders of scripts, never installed (default `scripts`). Read
    /// from the repository's root pyproject.toml.
    pub scripts: Option<Vec<String>>,
    /// `services`: globs of member folders that hold services or applications (default
    /// `services/*` and `apps/*`), besides members with `api = false`. Read from the root.
    pub services: Option<Vec<String>>,
    /// `module-names`: the top-level modules of a distribution whose name does not say them,
    /// by normalized distribution name.
    pub module_names: BTreeMap<String, Vec<String>>,
    /// `allow-modules`: top-level modules the code may import without declaring them, such as
    /// the tool a plugin module plugs into (`mypy`, `hypothesis`).
    pub allow_modules: Vec<String>,
}

impl Settings {
    /// A member's settings over the root's: the member's levels and names win.
    pub fn over(&self, root: &Settings) -> Settings {
        let mut out = root.clone();
        out.levels.extend(self.levels.iter().map(|(r, l)| (*r, *l)));
        out.module_names.extend(
            self.module_names
                .iter()
                .map(|(d, m)| (d.clone(), m.clone())),
        );
        out.allow_modules.extend(self.allow_modules.iter().cloned());
        out
    }

    /// The scripts folders, repository-relative.
    pub fn script_folders(&self) -> Vec<String> {
        self.scripts
            .clone()
            .unwrap_or_else(|| vec!["scripts".to_owned()])
            .into_iter()
            .map(|s| s.trim_start_matches("./").trim_end_matches('/').to_owned())
            .collect()
    }

    /// The globs of service folders.
    pub fn service_globs(&self) -> Vec<String> {
        self.services
            .clone()
            .unwrap_or_else(|| vec!["services/*".to_owned(), "apps/*".to_owned()])
    }
}

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

/// One project of the repository, as the rules see it.
#[derive(Clone, Debug)]
pub struct Unit {
    /// The member's name; `None` for the one project of a repository.
    pub name: Option<String>,
    /// Repository-relative folder of its pyproject.toml, `""` at the root.
    pub dir: String,
    /// A service or application (`api = false`, or under a services folder), not a package.
    pub service: bool,
    pub roots: Vec<PackageRoot>,
    /// The normalized names of its declared dependencies (`dependencies` and every extra);
    /// `None` when they are dynamic or not in pyproject.toml, so not known.
    pub declared: Option<BTreeSet<String>>,
    /// The modules those dependencies provide.
    pub provided: Provided,
    /// The Python 3 minor versions `requires-python` admits.
    pub python: Vec<u8>,
}

impl Unit {
    /// The root whose import name is `module` or a package holding it.
    fn root_of(&self, module: &str) -> Option<&PackageRoot> {
        self.roots
            .iter()
            .filter(|r| {
                module == r.import_name
                    || module
                        .strip_prefix(r.import_name.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            })
            .max_by_key(|r| r.import_name.len())
    }

    /// `invoice-rules` (packages/invoice_rules), for messages.
    fn describe(&self) -> String {
        let name = self.name.as_deref().unwrap_or("the project");
        if self.dir.is_empty() {
            format!("`{name}`")
        } else {
            format!("`{name}` ({})", self.dir)
        }
    }

    fn pyproject(&self) -> String {
        if self.dir.is_empty() {
            "pyproject.toml".to_owned()
        } else {
            format!("{}/pyproject.toml", self.dir)
        }
    }
}

/// The repository, as the rules see it.
pub struct Layout<'a> {
    /// Every project: under `--all` or not, rules 1–3 need the others.
    pub units: &'a [Unit],
    /// First components that name a repository folder, not an installed package: the
    /// [`CONTAINER_FOLDERS`] and the top-level folders that hold members.
    pub folders: BTreeSet<String>,
    /// Scripts folders, repository-relative.
    pub scripts: Vec<String>,
    /// Whether the repository has a file, or a folder, at a repository-relative path.
    pub exists: &'a dyn Fn(&str) -> bool,
}

/// What the rules need to check one project's files.
pub struct Context<'a> {
    pub layout: &'a Layout<'a>,
    /// The project whose files are checked; one of `layout.units`.
    pub this: &'a Unit,
    pub levels: &'a Levels,
}

/// Sorts findings by file, line and rule, so output is the same on every run.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| (&a.file, a.line, a.rule).cmp(&(&b.file, b.line, b.rule)));
}

/// The finding of `rule` on `line`, at the rule's level; `None` when the rule is off or an
/// allow comment on the line names it.
fn finding_at(
    levels: &Levels,
    allows: &[(u32, Vec<String>)],
    rule: Rule,
    file: &str,
    line: u32,
    message: String,
    fix: String,
) -> Option<Finding> {
    let severity = match levels.get(&rule).copied().unwrap_or_default() {
        Level::Off => return None,
        Level::Warn => Severity::Warning,
        Level::Error => Severity::Error,
    };
    let allowed = allows
        .iter()
        .any(|(l, ids)| *l == line && ids.iter().any(|id| id == rule.id()));
    (!allowed).then(|| Finding {
        rule,
        severity,
        file: file.to_owned(),
        line,
        message,
        fix,
    })
}

/// The copied-code finding of one copy, at the copy's member's `levels`; `allows` are the
/// copy's allow comments.
pub fn copy_finding(
    levels: &Levels,
    allows: &[(u32, Vec<String>)],
    copy: &copies::Copied,
) -> Option<Finding> {
    let message = if copy.near {
        format!(
            "{} of its {} top-level definitions are copies of those in `{}` (member `{}`)",
            copy.shared_defs, copy.total_defs, copy.original_file, copy.original_member
        )
    } else {
        format!(
            "this module is a copy of `{}` (member `{}`)",
            copy.original_file, copy.original_member
        )
    };
    finding_at(
        levels,
        allows,
        Rule::CopiedCode,
        &copy.file,
        copy.line,
        message,
        format!(
            "delete the copy; depend on `{}` and import it from there",
            copy.original_member
        ),
    )
}

/// What an absolute import turned out to be.
enum Reading {
    Fine,
    Finding(Rule, String, String),
}

/// Checks one file's facts. `file` is repository-relative.
pub fn check(cx: &Context<'_>, file: &str, facts: &FileFacts) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |rule: Rule, line: u32, message: String, fix: String| {
        out.extend(finding_at(
            cx.levels,
            &facts.allows,
            rule,
            file,
            line,
            message,
            fix,
        ));
    };
    let roots: Vec<&PackageRoot> = cx.this.roots.iter().collect();
    let package = package_of(&roots, file);
    // One unknown module is one finding per file, on its first import: the fix is the same.
    let mut unknown_seen: BTreeSet<String> = BTreeSet::new();
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
                guarded,
                lazy,
                ..
            } => {
                if let Reading::Finding(rule, message, fix) =
                    read(cx, file, module, *guarded, *lazy)
                {
                    let first = module.split('.').next().unwrap_or_default();
                    if rule == Rule::UnknownImport && !unknown_seen.insert(first.to_owned()) {
                        continue;
                    }
                    push(rule, *line, message, fix);
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

/// Reads one absolute import of `file`; the first reading that applies decides.
fn read(cx: &Context<'_>, file: &str, module: &str, guarded: bool, lazy: bool) -> Reading {
    let layout = cx.layout;
    let this = cx.this;
    let first = module.split('.').next().unwrap_or_default();
    let finding =
        |rule: Rule, message: String| Reading::Finding(rule, message, rule.fix().to_owned());

    // Another member's package, unless this project's own root holds the module more
    // specifically (namespace packages share their first component).
    let own = this.root_of(module);
    let other = layout
        .units
        .iter()
        .filter(|u| u.dir != this.dir)
        .filter_map(|u| u.root_of(module).map(|r| (u, r)))
        .max_by_key(|(_, r)| r.import_name.len())
        .filter(|(_, r)| own.is_none_or(|o| r.import_name.len() > o.import_name.len()));
    if let Some((unit, root)) = other {
        let what = format!("`{module}`");
        return match (this.service, unit.service) {
            (_, false) => match &this.declared {
                Some(declared) if unit.name.as_ref().is_some_and(|n| !declared.contains(n)) => {
                    let name = unit.name.as_deref().unwrap_or_default();
                    Reading::Finding(
                        Rule::UndeclaredMember,
                        format!(
                            "{what} is `{}` of the member {}, which `{}` does not declare as a dependency",
                            root.import_name,
                            unit.describe(),
                            this.pyproject()
                        ),
                        format!(
                            "add `{name}` to `[project] dependencies` in `{}`",
                            this.pyproject()
                        ),
                    )
                }
                _ => Reading::Fine,
            },
            (true, true) => finding(
                Rule::ServiceImportsService,
                format!(
                    "{what} belongs to the service {}: one service must not import another",
                    unit.describe()
                ),
            ),
            (false, true) => finding(
                Rule::PackageImportsService,
                format!(
                    "{what} belongs to the service {}: package code must not import a service",
                    unit.describe()
                ),
            ),
        };
    }
    if let Some(folder) = layout.scripts.iter().find(|s| {
        module == s.replace('/', ".") || module.starts_with(&format!("{}.", s.replace('/', ".")))
    }) {
        return finding(
            Rule::ScriptImport,
            format!("`{module}` imports from `{folder}/`, which is never installed"),
        );
    }
    if own.is_none() && layout.folders.contains(first) {
        let roots: Vec<&PackageRoot> = layout.units.iter().flat_map(|u| &u.roots).collect();
        let fix = match suggestion(module, &roots) {
            Some(name) => format!("import `{name}` instead"),
            None => Rule::CwdImport.fix().to_owned(),
        };
        return Reading::Finding(
            Rule::CwdImport,
            format!(
                "`{module}` imports through the folder `{first}/`, which works only from the repository root"
            ),
            fix,
        );
    }
    if own.is_some()
        || this
            .roots
            .iter()
            .any(|r| r.import_name.split('.').next() == Some(first))
    {
        return Reading::Fine;
    }
    if stdlib::has(first, |v| this.python.contains(&v)) || this.provided.provides(module) {
        return Reading::Fine;
    }
    // A top-level module beside the package in its own source folder (`src/blib2to3` beside
    // `src/black`) ships with it as backends that take the whole folder do. Not so in a flat
    // layout, where that folder is the project's, holding tests and scripts.
    let beside = this.roots.iter().any(|r| {
        let parent = r.path.rsplit_once('/').map_or("", |(p, _)| p);
        parent != this.dir
            && [format!("{parent}/{first}.py"), format!("{parent}/{first}")]
                .iter()
                .any(|p| (layout.exists)(p))
    });
    if beside {
        return Reading::Fine;
    }
    // Optional imports, and those of a `__main__` block (run as a script, with its folder on
    // `sys.path`), may rely on where Python was started.
    if guarded {
        return Reading::Fine;
    }
    // Found in the repository: it imports only because of where Python was started. Never the
    // file itself: `dialects/psycopg2.py` importing `psycopg2` means the distribution.
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    let module_at = |dir: &str| -> Option<String> {
        let base = if dir.is_empty() {
            first.to_owned()
        } else {
            format!("{dir}/{first}")
        };
        [format!("{base}.py"), base]
            .into_iter()
            .find(|p| p != file && (layout.exists)(p))
    };
    // A sibling named like a distribution is that distribution when the dependencies are not
    // known: only a declared list tells the two apart.
    if this.declared.is_some()
        && let Some(found) = module_at(dir)
    {
        return Reading::Finding(
            Rule::CwdImport,
            format!(
                "`{module}` is `{found}`, next to this file: a bare import of it works only when `{}/` is the working directory or on `sys.path`",
                if dir.is_empty() { "." } else { dir }
            ),
            format!("import it relatively (`from . import {first}`)"),
        );
    }
    if let Some(found) = layout.scripts.iter().find_map(|s| module_at(s)) {
        return finding(
            Rule::ScriptImport,
            format!("`{module}` is `{found}`, a script: scripts are never installed"),
        );
    }
    for place in [this.dir.as_str(), ""] {
        if let Some(found) = module_at(place) {
            return finding(
                Rule::CwdImport,
                format!(
                    "`{module}` is `{found}`, which is not part of the package: the import works only when `{}/` is the working directory",
                    if place.is_empty() { "." } else { place }
                ),
            );
        }
    }
    // Only an import that runs on import of the module fails there; one inside a function runs
    // when it is called, typically for an optional feature whose caller has the module.
    if this.declared.is_none() || lazy {
        return Reading::Fine;
    }
    finding(
        Rule::UnknownImport,
        format!(
            "`{module}` is neither in the standard library ({}) nor a member's package, and no dependency declared in `{}` is named for it (coming in through another dependency is no promise)",
            python_range(&this.python),
            this.pyproject()
        ),
    )
}

/// `Python 3.9–3.14`.
fn python_range(minors: &[u8]) -> String {
    match (minors.first(), minors.last()) {
        (Some(a), Some(b)) if a == b => format!("Python 3.{a}"),
        (Some(a), Some(b)) => format!("Python 3.{a}–3.{b}"),
        _ => "any Python".to_owned(),
    }
}

/// The Python 3 minor versions a `requires-python` specifier admits (every known one when it
/// is absent or unreadable: the gate must not guess narrower).
pub fn supported_pythons(requires_python: Option<&str>) -> Vec<u8> {
    use crate::version::pep440::Version;
    let all = (0..=stdlib::LATEST).collect();
    let Some(spec) = requires_python else {
        return all;
    };
    let Ok(spec) = crate::version::specifier::Specifiers::parse(spec) else {
        return all;
    };
    let admitted: Vec<u8> = (0..=stdlib::LATEST)
        .filter(|m| {
            [0, 99]
                .iter()
                .any(|patch| spec.contains(&Version::new(&[3, u64::from(*m), *patch]), false))
        })
        .collect();
    if admitted.is_empty() { all } else { admitted }
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
/// the repository's packages, else from what follows the last `src` folder
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

    fn unit(
        name: Option<&str>,
        dir: &str,
        service: bool,
        roots: &[(&str, &str)],
        deps: Option<&[&str]>,
    ) -> Unit {
        let declared: Option<BTreeSet<String>> =
            deps.map(|d| d.iter().map(|s| (*s).to_owned()).collect());
        Unit {
            name: name.map(str::to_owned),
            dir: dir.to_owned(),
            service,
            roots: roots.iter().map(|(n, p)| root(n, p)).collect(),
            provided: Provided::new(
                declared.iter().flatten().map(String::as_str),
                &BTreeMap::new(),
            ),
            declared,
            python: supported_pythons(Some(">=3.9")),
        }
    }

    /// Runs the rules on `src` as `file` of `units[this]`, in a repository holding `files`.
    fn run_in(
        units: &[Unit],
        this: usize,
        files: &[&str],
        file: &str,
        src: &str,
        levels: &Levels,
    ) -> Vec<(u32, &'static str, String)> {
        let exists = |p: &str| {
            files
                .iter()
                .any(|f| *f == p || f.strip_prefix(p).is_some_and(|r| r.starts_with('/')))
        };
        let layout = Layout {
            units,
            folders: CONTAINER_FOLDERS.iter().map(|s| (*s).to_owned()).collect(),
            scripts: vec!["scripts".to_owned()],
            exists: &exists,
        };
        let cx = Context {
            layout: &layout,
            this: &units[this],
            levels,
        };
        let facts = crate::api::import_facts(file, src.as_bytes(), false).unwrap();
        check(&cx, file, &facts)
            .into_iter()
            .map(|f| (f.line, f.rule.id(), f.fix))
            .collect()
    }

    fn run(file: &str, src: &str, levels: &Levels) -> Vec<(u32, &'static str, String)> {
        let units = [unit(None, "", false, &[("mypkg", "src/mypkg")], None)];
        run_in(&units, 0, &[], file, src, levels)
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

    fn monorepo() -> Vec<Unit> {
        vec![
            unit(
                Some("invoice-rules"),
                "packages/invoice_rules",
                false,
                &[("invoice_rules", "packages/invoice_rules/src/invoice_rules")],
                Some(&["date-parsing", "requests"]),
            ),
            unit(
                Some("date-parsing"),
                "packages/date_parsing",
                false,
                &[("date_parsing", "packages/date_parsing/src/date_parsing")],
                Some(&[]),
            ),
            unit(
                Some("billing-worker"),
                "services/billing_worker",
                true,
                &[("billing_worker", "services/billing_worker/billing_worker")],
                Some(&["invoice-rules"]),
            ),
            unit(
                Some("report-generator"),
                "apps/report_generator",
                true,
                &[("report_generator", "apps/report_generator/report_generator")],
                None,
            ),
        ]
    }

    const FILES: &[&str] = &[
        "packages/invoice_rules/src/invoice_rules/__init__.py",
        "packages/invoice_rules/src/invoice_rules/rules.py",
        "packages/invoice_rules/src/invoice_rules/helpers.py",
        "scripts/backfill.py",
        "settings.py",
    ];

    fn ids(found: &[(u32, &'static str, String)]) -> Vec<(u32, &'static str)> {
        found.iter().map(|(l, id, _)| (*l, *id)).collect()
    }

    #[test]
    fn member_rules_and_their_near_misses() {
        let units = monorepo();
        let rules = "packages/invoice_rules/src/invoice_rules/rules.py";
        // A package: declared member fine, undeclared member, a service, a script.
        let src = "\
import date_parsing.core
import billing_worker
from scripts.backfill import run
import invoice_rules.helpers
import report_generator
";
        let found = run_in(&units, 0, FILES, rules, src, &Levels::new());
        assert_eq!(
            ids(&found),
            vec![
                (2, "package-imports-service"),
                (3, "script-import"),
                (5, "package-imports-service")
            ]
        );
        // The same import from a member that does not declare it.
        let found = run_in(
            &units,
            1,
            FILES,
            "packages/date_parsing/src/date_parsing/core.py",
            "import invoice_rules\n",
            &Levels::new(),
        );
        assert_eq!(ids(&found), vec![(1, "undeclared-member")]);
        assert_eq!(
            found[0].2,
            "add `invoice-rules` to `[project] dependencies` in `packages/date_parsing/pyproject.toml`"
        );
        // A service: another service fails, a declared package passes; dependencies unknown
        // (dynamic) say nothing about packages.
        let src = "import report_generator.views\nimport invoice_rules\nimport date_parsing\n";
        let found = run_in(
            &units,
            2,
            FILES,
            "services/billing_worker/billing_worker/jobs.py",
            src,
            &Levels::new(),
        );
        assert_eq!(
            ids(&found),
            vec![(1, "service-imports-service"), (3, "undeclared-member")]
        );
        let found = run_in(
            &units,
            3,
            FILES,
            "apps/report_generator/report_generator/main.py",
            "import date_parsing\nimport billing_worker\n",
            &Levels::new(),
        );
        assert_eq!(ids(&found), vec![(2, "service-imports-service")]);
    }

    #[test]
    fn unknown_and_working_directory_imports() {
        let units = monorepo();
        let rules = "packages/invoice_rules/src/invoice_rules/rules.py";
        let src = "\
import os, tomllib, __future__
import requests.adapters
import helpers
import backfill
import settings
import numpy
try:
    import ujson
except ImportError:
    ujson = None
import asyncore
";
        let found = run_in(&units, 0, FILES, rules, src, &Levels::new());
        assert_eq!(
            ids(&found),
            vec![
                (3, "cwd-import"),
                (4, "script-import"),
                (5, "cwd-import"),
                (6, "unknown-import"),
            ]
        );
        assert_eq!(found[0].2, "import it relatively (`from . import helpers`)");
        // A module named after the distribution it wraps imports the distribution, not itself;
        // with dependencies not known, a sibling may be a distribution too.
        let helpers = "packages/invoice_rules/src/invoice_rules/helpers.py";
        let found = run_in(
            &units,
            0,
            FILES,
            helpers,
            "import helpers\n",
            &Levels::new(),
        );
        assert_eq!(ids(&found), vec![(1, "unknown-import")]);
        let mut unknown = monorepo();
        unknown[0].declared = None;
        let found = run_in(
            &unknown,
            0,
            FILES,
            rules,
            "import helpers\nimport numpy\n",
            &Levels::new(),
        );
        assert_eq!(ids(&found), vec![]);
        // `asyncore` left the standard library in 3.12: unknown for a project on 3.12+.
        let mut units = monorepo();
        units[0].python = supported_pythons(Some(">=3.12"));
        let found = run_in(
            &units,
            0,
            FILES,
            rules,
            "import asyncore\nimport tomllib\n",
            &Levels::new(),
        );
        assert_eq!(ids(&found), vec![(1, "unknown-import")]);
    }

    #[test]
    fn namespace_packages_sharing_a_first_component_are_told_apart() {
        let units = vec![
            unit(
                Some("acme-a"),
                "a",
                false,
                &[("acme.a", "a/src/acme/a")],
                Some(&[]),
            ),
            unit(
                Some("acme-b"),
                "b",
                false,
                &[("acme.b", "b/src/acme/b")],
                Some(&[]),
            ),
        ];
        let found = run_in(
            &units,
            0,
            &[],
            "a/src/acme/a/x.py",
            "import acme.a.y\nimport acme.b\n",
            &Levels::new(),
        );
        assert_eq!(ids(&found), vec![(2, "undeclared-member")]);
    }

    #[test]
    fn supported_pythons_follow_requires_python() {
        assert_eq!(supported_pythons(Some(">=3.12")), vec![12, 13, 14]);
        assert_eq!(supported_pythons(Some(">=3.8,<3.10")), vec![8, 9]);
        assert_eq!(supported_pythons(Some(">=3.8.1")).first(), Some(&8));
        assert_eq!(
            supported_pythons(None).len(),
            usize::from(stdlib::LATEST) + 1
        );
        assert_eq!(
            supported_pythons(Some("garbage")).len(),
            usize::from(stdlib::LATEST) + 1
        );
    }

    #[test]
    fn levels_and_allow_comments() {
        let src = "import sys\nsys.path.append('x')\nsys.path.append('y')  # bumpwise: allow sys-path-edit\n";
        assert_eq!(run("src/mypkg/a.py", src, &Levels::new()).len(), 1);
        let off = Levels::from([(Rule::SysPathEdit, Level::Off)]);
        assert!(run("src/mypkg/a.py", src, &off).is_empty());
    }
}
