//! Finding the package in a project: API-RULES.md section 1.
//!
//! Picks the package root among the project's files, from the [`PackageHints`] that
//! `crate::project` reads out of pyproject.toml: `[tool.bumpwise] package`, else what the build backend
//! says, else the conventional `src/<import_name>/`, `<import_name>/` and single-module layouts.
//! Works on file paths only: never reads file contents.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Error;

/// What pyproject.toml says about where the package lives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageHints {
    /// `[project].name` (or `[tool.poetry].name`).
    pub project_name: Option<String>,
    /// `[tool.bumpwise] package`: a path relative to the project directory.
    pub configured: Option<String>,
    /// setuptools `[tool.setuptools] packages = [...]`: dotted package names.
    pub setuptools_packages: Vec<String>,
    /// setuptools `package-dir`: dotted package name (`""` for the root) to directory.
    pub setuptools_package_dir: BTreeMap<String, String>,
    /// setuptools `[tool.setuptools.packages.find]` (or `packages = {find = {...}}`).
    pub setuptools_find: Option<FindPackages>,
    /// setuptools `py-modules`: single-module distributions.
    pub setuptools_py_modules: Vec<String>,
    /// Which file the setuptools settings above come from.
    pub setuptools_file: SetuptoolsFile,
    /// hatch `[tool.hatch.build.targets.wheel] packages`: directory paths (`src/mypkg`).
    pub hatch_packages: Vec<String>,
    /// hatch `[tool.hatch.build.targets.wheel] sources`: a path prefix and what it becomes in
    /// the wheel (`""` for a list entry, which strips the prefix).
    pub hatch_sources: BTreeMap<String, String>,
    /// poetry `[tool.poetry] packages = [{ include, from }]`.
    pub poetry_packages: Vec<PoetryPackage>,
    /// flit `[tool.flit.module] name` (may be dotted for a namespace package).
    pub flit_module: Option<String>,
    /// pdm-backend `[tool.pdm.build] package-dir` (`src`).
    pub pdm_package_dir: Option<String>,
    /// pdm-backend `[tool.pdm.build] includes`: paths of packages or modules.
    pub pdm_includes: Vec<String>,
    /// maturin `[tool.maturin] python-source`: the directory holding the Python package.
    pub maturin_python_source: Option<String>,
    /// maturin `[tool.maturin] module-name` (`mypkg._core`): its first part is the package.
    pub maturin_module_name: Option<String>,
}

/// The file a setuptools setting was read from: pyproject.toml wins over setup.cfg, which wins
/// over setup.py.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SetuptoolsFile {
    #[default]
    Pyproject,
    SetupCfg,
    SetupPy,
}

/// The setuptools settings that name packages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Setuptools {
    Packages,
    Find,
    PyModules,
    PackageDir,
}

impl SetuptoolsFile {
    /// How the setting is spelled in this file, for the note.
    fn setting(self, key: Setuptools) -> String {
        let (pyproject, cfg, py) = match key {
            Setuptools::Packages => (
                "[tool.setuptools] packages",
                "[options] packages",
                "packages=",
            ),
            Setuptools::Find => (
                "[tool.setuptools.packages.find]",
                "[options] packages = find:",
                "packages=find_packages()",
            ),
            Setuptools::PyModules => (
                "[tool.setuptools] py-modules",
                "[options] py_modules",
                "py_modules=",
            ),
            Setuptools::PackageDir => (
                "[tool.setuptools] package-dir",
                "[options] package_dir",
                "package_dir=",
            ),
        };
        match self {
            SetuptoolsFile::Pyproject => format!("`{pyproject}` in pyproject.toml"),
            SetuptoolsFile::SetupCfg => format!("`{cfg}` in setup.cfg"),
            SetuptoolsFile::SetupPy => format!("`{py}` in setup.py"),
        }
    }
}

/// setuptools' package discovery settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindPackages {
    /// `where`: directories to search (`["."]` when absent).
    pub where_: Vec<String>,
    /// `include`: dotted-name patterns (`mypkg*`); empty means all.
    pub include: Vec<String>,
    /// `exclude`: dotted-name patterns.
    pub exclude: Vec<String>,
    /// `find_namespace:` (and pyproject.toml's default): a folder without `__init__.py` is a
    /// package too. Plain `find_packages()` skips it (dateutil's `ci_tools/` is not shipped).
    pub namespaces: bool,
}

/// One `[tool.poetry] packages` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PoetryPackage {
    /// `include`: a package directory or module file name.
    pub include: String,
    /// `from`: the directory it sits in.
    pub from: Option<String>,
}

/// The package that bumpwise reads.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PackageRoot {
    /// The import name (`mypkg`; dotted for a namespace package named so: `acme.widgets`).
    pub import_name: String,
    /// Repository-relative path of the package directory (`src/mypkg`) or, for a single-module
    /// distribution, of the file (`mypkg.py`).
    pub path: String,
    pub single_module: bool,
}

impl PackageRoot {
    /// Whether `path` (repository-relative) is one of the package's source files: a `.py` or
    /// `.pyi` file under its directory, or the module and its stub for a single module.
    pub fn holds(&self, path: &str) -> bool {
        if self.single_module {
            path == self.path || path.strip_suffix('i') == Some(self.path.as_str())
        } else {
            path.strip_prefix(self.path.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
                && (path.ends_with(".py") || path.ends_with(".pyi"))
        }
    }
}

/// The packages bumpwise reads for one project, and the setting that named them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The package named after the project, or else the first one listed: it holds
    /// `__version__` and names the report.
    pub primary: PackageRoot,
    /// The distribution's other top-level packages and modules (a legacy alias, a private
    /// `_mypkg` the public one re-exports from), read with it.
    pub others: Vec<PackageRoot>,
    pub source: Source,
}

/// How the packages were found, for the `note:` that says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `[tool.bumpwise] package`.
    Configured,
    /// A build backend's setting, as `` `[tool.setuptools] packages` in pyproject.toml ``.
    Setting(String),
    /// `src/<name>/`, `<name>/` or `<name>.py` after the project name.
    Convention,
    /// Nothing names the package: the tree's top-level packages.
    Tree,
}

impl Found {
    /// Every package read, the primary first.
    pub fn roots(&self) -> impl Iterator<Item = &PackageRoot> {
        std::iter::once(&self.primary).chain(&self.others)
    }

    /// Whether `path` is a source file of one of the packages.
    pub fn holds(&self, path: &str) -> bool {
        self.roots().any(|r| r.holds(path))
    }

    /// Whether discovery took a turn the user may not expect: then bumpwise says what it read.
    pub fn worth_a_note(&self) -> bool {
        !(self.source == Source::Convention && self.others.is_empty())
    }

    /// `` `pytest`, `_pytest` and `py` (from `[tool.setuptools] packages` in pyproject.toml) ``
    pub fn describe(&self) -> String {
        let names: Vec<String> = self
            .roots()
            .map(|r| format!("`{}` ({})", r.import_name, display_path(r)))
            .collect();
        let list = match names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        let how = match &self.source {
            Source::Configured => "as `[tool.bumpwise] package` says".to_owned(),
            Source::Setting(s) => format!("from {s}"),
            Source::Convention => "after the project name".to_owned(),
            Source::Tree => "the top-level packages of the tree: nothing names the package; \
                 set `[tool.bumpwise] package` to choose"
                .to_owned(),
        };
        format!("reading {list}, {how}")
    }
}

fn display_path(root: &PackageRoot) -> String {
    if root.single_module {
        root.path.clone()
    } else {
        format!("{}/", root.path)
    }
}

impl PackageHints {
    /// `[project].name` as Python imports it: lower-cased, `-` and `.` turned into `_`.
    pub fn import_name(&self) -> Option<String> {
        self.project_name.as_deref().map(import_name_of)
    }
}

fn import_name_of(project_name: &str) -> String {
    project_name.to_lowercase().replace(['-', '.'], "_")
}

/// Finds the packages of the project whose pyproject.toml sits in `project_dir`
/// (repository-relative, `""` at the root). `files` lists every repository-relative file path
/// under it.
///
/// Looks, in order: `[tool.bumpwise] package`; the build backend's settings (setuptools in
/// pyproject.toml, setup.cfg or setup.py, hatch, poetry, flit, pdm, maturin), every package
/// they list being read; `src/<import_name>/`; `<import_name>/`; `src/<import_name>.py`;
/// `<import_name>.py`; for a dotted project name (`acme.widgets`) the namespace path
/// `src/acme/widgets/` or `acme/widgets/`; and last the tree's own top-level packages. A
/// directory is a package when it holds a `.py` or `.pyi` file, with or without `__init__.py`
/// (PEP 420). A package found by its name brings its private top-level siblings (`_mypkg/`
/// beside `mypkg/`): what it re-exports from them is its API.
pub fn locate_all(
    project_dir: &str,
    hints: &PackageHints,
    files: &[String],
) -> Result<Found, Error> {
    let tree = Tree::new(project_dir, files);
    if let Some(configured) = &hints.configured {
        let root =
            tree.resolve(configured, None)
                .ok_or_else(|| Error::ConfiguredPackageMissing {
                    package: configured.clone(),
                    looked: tree.join(configured),
                })?;
        return Ok(Found {
            primary: root,
            others: Vec::new(),
            source: Source::Configured,
        });
    }

    let import_name = hints.import_name();
    let mut looked = Vec::new();
    let mut found: Vec<PackageRoot> = Vec::new();
    let mut settings: Vec<String> = Vec::new();
    for candidate in backend_candidates(hints, &tree) {
        match tree.resolve(&candidate.path, candidate.import_name.as_deref()) {
            Some(root) => {
                if !found.iter().any(|f| f.import_name == root.import_name) {
                    found.push(root);
                }
                if !settings.contains(&candidate.setting) {
                    settings.push(candidate.setting);
                }
            }
            None => looked.push(tree.display(&candidate.path)),
        }
    }
    if !found.is_empty() {
        let preferred = found
            .iter()
            .position(|r| Some(&r.import_name) == import_name.as_ref())
            .unwrap_or(0);
        let primary = found.remove(preferred);
        return Ok(Found {
            primary,
            others: found,
            source: Source::Setting(settings.join(" and ")),
        });
    }

    if let Some(name) = &import_name {
        let mut conventional = vec![
            (format!("src/{name}"), name.clone()),
            (name.clone(), name.clone()),
            (format!("src/{name}.py"), name.clone()),
            (format!("{name}.py"), name.clone()),
        ];
        if let Some(project) = hints.project_name.as_deref().filter(|p| p.contains('.')) {
            // A namespace distribution such as `acme.widgets` ships `acme/widgets/`.
            let dotted = project.to_lowercase().replace('-', "_");
            let path = dotted.replace('.', "/");
            conventional.push((format!("src/{path}"), dotted.clone()));
            conventional.push((path, dotted));
        }
        for (path, name) in conventional {
            match tree.resolve(&path, Some(&name)) {
                Some(root) => return Ok(tree.with_private_siblings(root, Source::Convention)),
                None => looked.push(tree.display(&path)),
            }
        }
    }
    // Nothing names the package (or the name leads nowhere): the tree's own top-level packages,
    // the one named like the project (`ipython` ships `IPython/`) if there is one, else all.
    let mut top = tree.top_level();
    if let Some(i) = import_name.as_ref().and_then(|name| {
        top.iter()
            .position(|r| r.import_name.eq_ignore_ascii_case(name))
    }) {
        let root = top.swap_remove(i);
        return Ok(tree.with_private_siblings(root, Source::Tree));
    }
    if !top.is_empty() {
        let primary = top.remove(0);
        return Ok(Found {
            primary,
            others: top,
            source: Source::Tree,
        });
    }
    Err(Error::PackageNotFound {
        // Empty when nothing names the project: the message then says so.
        project: hints.project_name.clone().unwrap_or_default(),
        looked,
    })
}

/// The package bumpwise reads first: where `__version__` lives. See [`locate_all`].
pub fn locate(
    project_dir: &str,
    hints: &PackageHints,
    files: &[String],
) -> Result<PackageRoot, Error> {
    locate_all(project_dir, hints, files).map(|f| f.primary)
}

/// A place a backend setting points at, relative to the project directory.
struct Candidate {
    path: String,
    /// The import name when the setting gives it (a dotted setuptools or flit name).
    import_name: Option<String>,
    /// The setting, for the note: `` `[tool.hatch.build.targets.wheel] packages` ``.
    setting: String,
}

/// Every package the build backends' settings name, in a fixed order.
fn backend_candidates(hints: &PackageHints, tree: &Tree) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut push = |path: String, import_name: Option<String>, setting: String| {
        out.push(Candidate {
            path,
            import_name: import_name.map(|n| stub_target(&n).to_owned()),
            setting,
        });
    };
    let dir_of = |dotted: &str| setuptools_dir(&hints.setuptools_package_dir, dotted);
    let setuptools = |key: Setuptools| hints.setuptools_file.setting(key);

    // setuptools: only top-level entries of `packages` (`a` of `a`, `a.b`). A name written as
    // a path (`bs4/builder`, which setuptools happens to accept) is the dotted name.
    let dotted: Vec<String> = hints
        .setuptools_packages
        .iter()
        .map(|n| n.trim_matches('/').replace('/', "."))
        .collect();
    let listed: BTreeSet<&str> = dotted.iter().map(String::as_str).collect();
    for name in &dotted {
        let has_parent = name
            .rmatch_indices('.')
            .any(|(i, _)| listed.contains(&name[..i]));
        if !has_parent {
            push(
                dir_of(name),
                Some(name.clone()),
                setuptools(Setuptools::Packages),
            );
        }
    }
    if let Some(find) = &hints.setuptools_find {
        for (path, name) in tree.find_packages(find) {
            push(path, Some(name), setuptools(Setuptools::Find));
        }
    }
    for module in &hints.setuptools_py_modules {
        push(
            format!("{}.py", dir_of(module)),
            Some(module.clone()),
            setuptools(Setuptools::PyModules),
        );
    }
    if !hints.setuptools_package_dir.is_empty()
        && hints.setuptools_packages.is_empty()
        && hints.setuptools_find.is_none()
    {
        // `package-dir = {"" = "src"}` alone: setuptools' automatic discovery under it.
        if let (Some(root), Some(name)) =
            (hints.setuptools_package_dir.get(""), hints.import_name())
        {
            push(
                join_rel(root, &name),
                Some(name),
                setuptools(Setuptools::PackageDir),
            );
        }
    }

    let hatch = "`[tool.hatch.build.targets.wheel]";
    for p in &hints.hatch_packages {
        // `sources = ["src"]` strips that prefix from the paths in the wheel; the import name
        // is the last component either way.
        push(
            p.clone(),
            None,
            format!("{hatch} packages` in pyproject.toml"),
        );
    }
    if hints.hatch_packages.is_empty() {
        // `sources` alone: hatch's own discovery (`<import_name>/`) under each source root, or
        // a `{ "lib" = "mypkg" }` mapping that names the package.
        for (from, to) in &hints.hatch_sources {
            let name = match to.as_str() {
                "" => hints.import_name(),
                to => Some(to.split('/').next().unwrap_or(to).to_owned()),
            };
            if let Some(name) = name {
                let path = if to.is_empty() {
                    join_rel(from, &name)
                } else {
                    from.clone()
                };
                push(
                    path,
                    Some(name),
                    format!("{hatch} sources` in pyproject.toml"),
                );
            }
        }
    }

    for p in &hints.poetry_packages {
        push(
            join_rel(p.from.as_deref().unwrap_or(""), &p.include),
            None,
            "`[tool.poetry] packages` in pyproject.toml".to_owned(),
        );
    }

    if let Some(module) = &hints.flit_module {
        let path = module.replace('.', "/");
        for candidate in [format!("src/{path}"), path.clone()] {
            for suffix in ["", ".py"] {
                push(
                    format!("{candidate}{suffix}"),
                    Some(module.clone()),
                    "`[tool.flit.module] name` in pyproject.toml".to_owned(),
                );
            }
        }
    }

    for p in &hints.pdm_includes {
        push(
            p.clone(),
            None,
            "`[tool.pdm.build] includes` in pyproject.toml".to_owned(),
        );
    }
    if let (Some(dir), Some(name)) = (&hints.pdm_package_dir, hints.import_name()) {
        push(
            join_rel(dir, &name),
            Some(name),
            "`[tool.pdm.build] package-dir` in pyproject.toml".to_owned(),
        );
    }

    if let Some(source) = &hints.maturin_python_source {
        let name = hints
            .maturin_module_name
            .as_deref()
            .and_then(|m| m.split('.').next())
            .map(str::to_owned)
            .or_else(|| hints.import_name());
        if let Some(name) = name {
            push(
                join_rel(source, &name),
                Some(name),
                "`[tool.maturin] python-source` in pyproject.toml".to_owned(),
            );
        }
    }
    out
}

/// Where setuptools puts dotted package `name`, given `package-dir`: the longest mapped prefix
/// wins, with `""` mapping the root.
fn setuptools_dir(package_dir: &BTreeMap<String, String>, name: &str) -> String {
    let parts: Vec<&str> = name.split('.').collect();
    for cut in (1..=parts.len()).rev() {
        let prefix = parts[..cut].join(".");
        if let Some(dir) = package_dir.get(&prefix) {
            return join_rel(dir, &parts[cut..].join("/"));
        }
    }
    join_rel(
        package_dir.get("").map_or("", String::as_str),
        &parts.join("/"),
    )
}

fn join_rel(dir: &str, rest: &str) -> String {
    match (normalize(dir).as_str(), normalize(rest).as_str()) {
        ("", r) => r.to_owned(),
        (d, "") => d.to_owned(),
        (d, r) => format!("{d}/{r}"),
    }
}

/// `./src//pkg/` -> `src/pkg`; `..` pops a component.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// `*` and `?` glob matching, as setuptools' `include`/`exclude` patterns use (fnmatch).
fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

/// Directories setuptools' discovery would find but that are never the project's API.
const NOT_PACKAGES: &[&str] = &[
    "tests",
    "test",
    "docs",
    "doc",
    "examples",
    "example",
    "scripts",
    "tools",
    "benchmarks",
    "bench",
    "build",
    "dist",
    "venv",
    "env",
    "site-packages",
    "node_modules",
];

/// Top-level modules that are scripts of the project, not its API.
const SCRIPTS: &[&str] = &[
    "setup",
    "conftest",
    "noxfile",
    "fabfile",
    "tasks",
    "manage",
    "runtests",
    "bootstrap",
];

/// A name Python can import: `0001_initial` and `my-pkg` cannot be.
/// PEP 561: a stub-only package `<name>-stubs` describes the module `<name>`, which is what
/// users import (types-requests ships `requests-stubs/`); any other name is itself.
fn stub_target(name: &str) -> &str {
    name.strip_suffix("-stubs")
        .filter(|n| n.split('.').all(is_identifier))
        .unwrap_or(name)
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// The project's files, with paths relative to the project directory.
struct Tree<'a> {
    project_dir: String,
    files: BTreeSet<&'a str>,
}

impl<'a> Tree<'a> {
    fn new(project_dir: &str, files: &'a [String]) -> Tree<'a> {
        let project_dir = normalize(project_dir);
        let prefix = if project_dir.is_empty() {
            String::new()
        } else {
            format!("{project_dir}/")
        };
        Tree {
            files: files
                .iter()
                .filter_map(|f| f.strip_prefix(prefix.as_str()))
                .collect(),
            project_dir,
        }
    }

    /// The repository-relative path of `rel`.
    fn join(&self, rel: &str) -> String {
        join_rel(&self.project_dir, rel)
    }

    /// The repository-relative path for "looked at" lists: directories end with `/`.
    fn display(&self, rel: &str) -> String {
        let path = self.join(rel);
        if path.ends_with(".py") {
            path
        } else {
            format!("{path}/")
        }
    }

    /// The importable top-level packages and modules of the tree, public ones first: regular
    /// packages (`X/__init__.py`) and modules under `src/` if it has any, else at the project
    /// root, where modules count only when there is no package (`setup.py` and friends are
    /// scripts). Tests, docs, examples, build output, hidden folders and virtual environments
    /// are not candidates.
    fn top_level(&self) -> Vec<PackageRoot> {
        for prefix in ["src/", ""] {
            let mut packages = BTreeSet::new();
            let mut modules = BTreeSet::new();
            for file in &self.files {
                let Some(rest) = file.strip_prefix(prefix) else {
                    continue;
                };
                match rest.split_once('/') {
                    Some((dir, "__init__.py" | "__init__.pyi"))
                        if self.candidate_dir(prefix, dir) =>
                    {
                        packages.insert(dir);
                    }
                    None => {
                        if let Some(stem) = rest.strip_suffix(".py")
                            && is_identifier(stem)
                            && !SCRIPTS.contains(&stem)
                        {
                            modules.insert(stem);
                        }
                    }
                    _ => {}
                }
            }
            if prefix.is_empty() && !packages.is_empty() {
                modules.clear();
            }
            let mut roots: Vec<PackageRoot> = packages
                .into_iter()
                .map(|dir| PackageRoot {
                    import_name: dir.to_owned(),
                    path: self.join(&format!("{prefix}{dir}")),
                    single_module: false,
                })
                .chain(modules.into_iter().map(|stem| PackageRoot {
                    import_name: stem.to_owned(),
                    path: self.join(&format!("{prefix}{stem}.py")),
                    single_module: true,
                }))
                .collect();
            if !roots.is_empty() {
                roots.sort_by_key(|r| r.import_name.starts_with('_'));
                return roots;
            }
        }
        Vec::new()
    }

    /// Whether top-level directory `dir` (under `prefix`) may be a package of the project.
    fn candidate_dir(&self, prefix: &str, dir: &str) -> bool {
        is_identifier(dir)
            && !NOT_PACKAGES.contains(&dir)
            && !self
                .files
                .contains(format!("{prefix}{dir}/pyvenv.cfg").as_str())
    }

    /// `root` with the private regular packages beside it (`_pytest/` beside `pytest/`): the
    /// public package's re-exports from them are the distribution's API.
    fn with_private_siblings(&self, root: PackageRoot, source: Source) -> Found {
        let parent = root
            .path
            .rsplit_once('/')
            .map_or(String::new(), |(p, _)| format!("{p}/"));
        let project = if self.project_dir.is_empty() {
            String::new()
        } else {
            format!("{}/", self.project_dir)
        };
        let prefix = parent.strip_prefix(project.as_str()).unwrap_or(&parent);
        let others = self
            .files
            .iter()
            .filter_map(|f| {
                let dir = f
                    .strip_prefix(prefix)?
                    .strip_suffix("/__init__.py")
                    .or_else(|| f.strip_prefix(prefix)?.strip_suffix("/__init__.pyi"))?;
                (dir.starts_with('_')
                    && !dir.starts_with("__")
                    && !dir.contains('/')
                    && is_identifier(dir)
                    && dir != root.import_name)
                    .then(|| PackageRoot {
                        import_name: dir.to_owned(),
                        path: format!("{parent}{dir}"),
                        single_module: false,
                    })
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        Found {
            primary: root,
            others,
            source,
        }
    }

    fn is_python(file: &str) -> bool {
        file.ends_with(".py") || file.ends_with(".pyi")
    }

    fn is_package_dir(&self, rel: &str) -> bool {
        let prefix = format!("{rel}/");
        self.files
            .range(prefix.as_str()..)
            .take_while(|f| f.starts_with(&prefix))
            .any(|f| Tree::is_python(f))
    }

    /// The package at `rel` (a directory or a `.py` file), when it exists.
    fn resolve(&self, rel: &str, import_name: Option<&str>) -> Option<PackageRoot> {
        let rel = normalize(rel);
        let last = rel.rsplit('/').next().unwrap_or(&rel);
        if let Some(stem) = last.strip_suffix(".py") {
            return self.files.contains(rel.as_str()).then(|| PackageRoot {
                import_name: import_name.unwrap_or(stem).to_owned(),
                path: self.join(&rel),
                single_module: true,
            });
        }
        let last = stub_target(last);
        (!rel.is_empty() && self.is_package_dir(&rel)).then(|| PackageRoot {
            import_name: import_name.unwrap_or(last).to_owned(),
            path: self.join(&rel),
            single_module: false,
        })
    }

    /// setuptools `packages.find`: the top-level directories under each `where` that hold Python
    /// files, filtered by `include`/`exclude`, as (project-relative path, import name).
    fn find_packages(&self, find: &FindPackages) -> Vec<(String, String)> {
        let wheres = if find.where_.is_empty() {
            vec![String::new()]
        } else {
            find.where_.iter().map(|w| normalize(w)).collect()
        };
        let mut out = Vec::new();
        for base in wheres {
            let prefix = if base.is_empty() {
                String::new()
            } else {
                format!("{base}/")
            };
            let mut names = BTreeSet::new();
            for file in &self.files {
                let Some(rest) = file.strip_prefix(prefix.as_str()) else {
                    continue;
                };
                if let Some((dir, inside)) = rest.split_once('/')
                    && Tree::is_python(rest)
                    && (find.namespaces || matches!(inside, "__init__.py" | "__init__.pyi"))
                {
                    names.insert(dir.to_owned());
                }
            }
            for name in names {
                let included =
                    find.include.is_empty() || find.include.iter().any(|p| glob_match(p, &name));
                let excluded = find.exclude.iter().any(|p| glob_match(p, &name))
                    || NOT_PACKAGES.contains(&name.as_str())
                    || name.starts_with('.')
                    || name.contains('-');
                if included && !excluded {
                    out.push((join_rel(&base, &name), name));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const LAYOUTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/layouts");

    /// Every file of a layout tree, relative to it, sorted.
    fn layout_files(name: &str) -> Vec<String> {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, base, out);
                } else {
                    let rel = path.strip_prefix(base).unwrap();
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let base = Path::new(LAYOUTS).join(name);
        let mut out = Vec::new();
        walk(&base, &base, &mut out);
        out.sort();
        out
    }

    /// Locates the package of the project at `project_dir` inside layout `name`, reading its
    /// pyproject.toml the way the program does.
    fn locate_in(name: &str, project_dir: &str) -> Result<PackageRoot, Error> {
        let files = layout_files(name);
        let pyproject = join_rel(project_dir, "pyproject.toml");
        let text = std::fs::read_to_string(Path::new(LAYOUTS).join(name).join(&pyproject)).unwrap();
        let project = crate::project::Project::parse(&pyproject, &text).unwrap();
        locate(project_dir, &project.hints, &files)
    }

    fn root(import_name: &str, path: &str, single_module: bool) -> PackageRoot {
        PackageRoot {
            import_name: import_name.to_owned(),
            path: path.to_owned(),
            single_module,
        }
    }

    fn names(found: &Found) -> Vec<&str> {
        found.roots().map(|r| r.import_name.as_str()).collect()
    }

    #[test]
    fn an_unnamed_project_reads_the_tree() {
        let found = locate_all(
            "",
            &PackageHints::default(),
            &files(&[
                "pyproject.toml",
                "src/requests/__init__.py",
                "tests/__init__.py",
            ]),
        )
        .unwrap();
        assert_eq!(found.primary, root("requests", "src/requests", false));
        assert_eq!(found.source, Source::Tree);
        // Several top-level packages, none named after the project: every one is read, public
        // ones first; scripts, tests, hidden folders and virtual environments are not packages.
        let tree = files(&[
            "_impl/__init__.py",
            "b/__init__.py",
            "a/__init__.py",
            "setup.py",
            "tools/__init__.py",
            ".hidden/__init__.py",
            "venv/pyvenv.cfg",
            "venv/__init__.py",
            "lib-2/__init__.py",
        ]);
        let found = locate_all("", &hints("[project]\nname = \"other\"\n"), &tree).unwrap();
        assert_eq!(names(&found), ["a", "b", "_impl"]);
        assert!(found.worth_a_note());
        // With no package, the top-level modules are the API; scripts are not.
        let found = locate_all(
            "",
            &PackageHints::default(),
            &files(&["setup.py", "conftest.py", "six.py", "test_six.py"]),
        )
        .unwrap();
        assert_eq!(names(&found), ["six", "test_six"]);
    }

    #[test]
    fn a_private_sibling_is_read_with_its_public_package() {
        let tree = files(&[
            "src/pytest/__init__.py",
            "src/_pytest/__init__.py",
            "src/_pytest/main.py",
            "src/__pycache__/x.py",
            "_build/__init__.py",
        ]);
        let found = locate_all("", &hints("[project]\nname = \"pytest\"\n"), &tree).unwrap();
        assert_eq!(names(&found), ["pytest", "_pytest"]);
        assert_eq!(found.others[0].path, "src/_pytest");
        assert_eq!(
            found.describe(),
            "reading `pytest` (src/pytest/) and `_pytest` (src/_pytest/), after the project name"
        );
        // Alone, the conventional layout needs no note.
        let found = locate_all(
            "",
            &hints("[project]\nname = \"pytest\"\n"),
            &files(&["src/pytest/__init__.py"]),
        )
        .unwrap();
        assert!(!found.worth_a_note());
        // In a monorepo the siblings are looked for beside the package, inside the project.
        let found = locate_all(
            "pkgs/a",
            &hints("[project]\nname = \"a\"\n"),
            &files(&[
                "pkgs/a/a/__init__.py",
                "pkgs/a/_a/__init__.py",
                "pkgs/_b/__init__.py",
            ]),
        )
        .unwrap();
        assert_eq!(names(&found), ["a", "_a"]);
        assert_eq!(found.others[0].path, "pkgs/a/_a");
    }

    #[test]
    fn every_listed_package_is_read() {
        let found = locate_all(
            "",
            &hints(concat!(
                "[project]\nname = \"pytest\"\n",
                "[tool.setuptools]\npackages = [\"_pytest\", \"_pytest.config\", \"pytest\"]\n",
                "py-modules = [\"py\"]\n",
            )),
            &files(&[
                "src/_pytest/__init__.py",
                "src/pytest/__init__.py",
                "src/py.py",
            ]),
        );
        // Without `package-dir` setuptools looks at the root and finds nothing there: the
        // conventional `src/pytest/` is read, with its private sibling but not `py.py`.
        assert_eq!(names(&found.unwrap()), ["pytest", "_pytest"]);
        let found = locate_all(
            "",
            &hints(concat!(
                "[project]\nname = \"pytest\"\n",
                "[tool.setuptools]\npackages = [\"_pytest\", \"_pytest.config\", \"pytest\"]\n",
                "py-modules = [\"py\"]\npackage-dir = {\"\" = \"src\"}\n",
            )),
            &files(&[
                "src/_pytest/__init__.py",
                "src/pytest/__init__.py",
                "src/py.py",
            ]),
        )
        .unwrap();
        assert_eq!(names(&found), ["pytest", "_pytest", "py"]);
        assert_eq!(
            found.describe(),
            "reading `pytest` (src/pytest/), `_pytest` (src/_pytest/) and `py` (src/py.py), from \
             `[tool.setuptools] packages` in pyproject.toml and `[tool.setuptools] py-modules` in \
             pyproject.toml"
        );
    }

    #[test]
    fn setuptools_corners_seen_on_real_packages() {
        // beautifulsoup4 4.12 lists `packages=['bs4', 'bs4/builder', 'bs4/tests']`: paths that
        // setuptools accepts as the dotted names, so one package, not three.
        let mut h = hints("[project]\nname = \"beautifulsoup4\"\n");
        h.setuptools_packages = vec!["bs4".into(), "bs4/builder".into(), "bs4/tests".into()];
        let found = locate_all(
            "",
            &h,
            &files(&[
                "bs4/__init__.py",
                "bs4/builder/__init__.py",
                "bs4/tests/__init__.py",
            ]),
        )
        .unwrap();
        assert_eq!(names(&found), ["bs4"]);
        // python-dateutil 2.8.2: `packages = find:` skips `ci_tools/`, which has no
        // `__init__.py`; `find_namespace:` (and pyproject.toml's default) takes it.
        let tree = files(&[
            "dateutil/__init__.py",
            "dateutil/tz/__init__.py",
            "ci_tools/make_zonefile_metadata.py",
        ]);
        let mut h = hints("[project]\nname = \"python-dateutil\"\n");
        h.setuptools_find = Some(FindPackages::default());
        assert_eq!(names(&locate_all("", &h, &tree).unwrap()), ["dateutil"]);
        h.setuptools_find = Some(FindPackages {
            namespaces: true,
            ..FindPackages::default()
        });
        assert_eq!(
            names(&locate_all("", &h, &tree).unwrap()),
            ["ci_tools", "dateutil"]
        );
    }

    #[test]
    fn hatch_sources() {
        let found = locate_all(
            "",
            &hints(
                "[project]\nname = \"my-app\"\n[tool.hatch.build.targets.wheel]\nsources = [\"lib\"]\n",
            ),
            &files(&["lib/my_app/__init__.py"]),
        )
        .unwrap();
        assert_eq!(found.primary, root("my_app", "lib/my_app", false));
        let found = locate_all(
            "",
            &hints(
                "[project]\nname = \"x\"\n[tool.hatch.build.targets.wheel.sources]\n\"code\" = \"renamed\"\n",
            ),
            &files(&["code/__init__.py", "code/core.py"]),
        )
        .unwrap();
        assert_eq!(found.primary, root("renamed", "code", false));
    }

    #[test]
    fn import_name_differs_in_case_from_the_project_name() {
        let files = vec![
            "pyproject.toml".to_owned(),
            "IPython/__init__.py".to_owned(),
        ];
        let hints = PackageHints {
            project_name: Some("ipython".to_owned()),
            ..PackageHints::default()
        };
        assert_eq!(
            locate("", &hints, &files).unwrap(),
            root("IPython", "IPython", false)
        );
    }

    #[test]
    fn layouts() {
        let cases = [
            ("src", "", root("my_pkg", "src/my_pkg", false)),
            ("flat", "", root("flatpkg", "flatpkg", false)),
            (
                "single-module",
                "",
                root("single_mod", "single_mod.py", true),
            ),
            ("namespace", "", root("nspkg", "src/nspkg", false)),
            ("setuptools", "", root("realname", "lib/realname", false)),
            ("hatch", "", root("hatched", "code/hatched", false)),
            ("poetry", "", root("poems", "lib/poems", false)),
            (
                "monorepo",
                "packages/alpha",
                root("alpha", "packages/alpha/src/alpha", false),
            ),
            (
                "monorepo",
                "packages/beta",
                root("beta_impl", "packages/beta/beta_impl", false),
            ),
        ];
        for (layout, dir, want) in cases {
            let got = locate_in(layout, dir).unwrap_or_else(|e| panic!("{layout}/{dir}: {e}"));
            assert_eq!(got, want, "{layout}/{dir}");
        }
    }

    #[test]
    fn not_found_lists_every_place_looked() {
        let err = locate_in("monorepo", "packages/gamma").unwrap_err();
        match err {
            Error::PackageNotFound { project, looked } => {
                assert_eq!(project, "gamma-lib");
                assert_eq!(
                    looked,
                    [
                        "packages/gamma/lib/gamma/",
                        "packages/gamma/src/gamma_lib/",
                        "packages/gamma/gamma_lib/",
                        "packages/gamma/src/gamma_lib.py",
                        "packages/gamma/gamma_lib.py",
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    fn hints(toml: &str) -> PackageHints {
        crate::project::package_hints(&toml.parse().unwrap())
    }

    fn files(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn configured_package() {
        let mut h = hints("[project]\nname = \"x\"\n");
        h.configured = Some("./lib/thing/".to_owned());
        let got = locate("proj", &h, &files(&["proj/lib/thing/a.py"])).unwrap();
        assert_eq!(got, root("thing", "proj/lib/thing", false));

        h.configured = Some("tool.py".to_owned());
        let got = locate("", &h, &files(&["tool.py", "x/__init__.py"])).unwrap();
        assert_eq!(got, root("tool", "tool.py", true));

        h.configured = Some("missing".to_owned());
        let err = locate("proj", &h, &files(&["proj/x/__init__.py"])).unwrap_err();
        assert!(
            matches!(err, Error::ConfiguredPackageMissing { ref package, ref looked }
                if package == "missing" && looked == "proj/missing"),
            "{err:?}"
        );
    }

    #[test]
    fn backend_settings() {
        let cases: &[(&str, &[&str], PackageRoot)] = &[
            // setuptools find with where, and its include filter
            (
                "[project]\nname = \"dist\"\n[tool.setuptools.packages.find]\nwhere = [\"src\"]\ninclude = [\"real*\"]\n",
                &[
                    "src/other/__init__.py",
                    "src/realpkg/__init__.py",
                    "tests/t.py",
                ],
                root("realpkg", "src/realpkg", false),
            ),
            // the inline `packages = {find = ...}` spelling, skipping tests
            (
                "[project]\nname = \"dist\"\n[tool.setuptools]\npackages = {find = {where = [\"python\"]}}\n",
                &["python/tests/test_a.py", "python/engine/core.py"],
                root("engine", "python/engine", false),
            ),
            // package-dir alone: discovery under it
            (
                "[project]\nname = \"Web.Kit\"\n[tool.setuptools]\npackage-dir = {\"\" = \"source\"}\n",
                &["source/web_kit/__init__.py"],
                root("web_kit", "source/web_kit", false),
            ),
            // a per-package package-dir mapping
            (
                "[project]\nname = \"d\"\n[tool.setuptools]\npackages = [\"foo\", \"foo.bar\"]\npackage-dir = {\"foo\" = \"lib/foo_src\"}\n",
                &["lib/foo_src/__init__.py", "lib/foo_src/bar/__init__.py"],
                root("foo", "lib/foo_src", false),
            ),
            // several listed: the one named like the project comes first
            (
                "[project]\nname = \"second\"\n[tool.setuptools]\npackages = [\"first\", \"second\"]\n",
                &["first/__init__.py", "second/__init__.py"],
                root("second", "second", false),
            ),
            (
                "[project]\nname = \"mod-dist\"\n[tool.setuptools]\npy-modules = [\"mymod\"]\n",
                &["mymod.py", "setup.py"],
                root("mymod", "mymod.py", true),
            ),
            (
                "[project]\nname = \"x\"\n[tool.poetry]\npackages = [{ include = \"tool.py\" }]\n",
                &["tool.py"],
                root("tool", "tool.py", true),
            ),
            (
                "[project]\nname = \"flit-dist\"\n[tool.flit.module]\nname = \"acme.flitted\"\n",
                &["src/acme/flitted/__init__.py"],
                root("acme.flitted", "src/acme/flitted", false),
            ),
            (
                "[project]\nname = \"p\"\n[tool.flit.module]\nname = \"single\"\n",
                &["single.py"],
                root("single", "single.py", true),
            ),
            (
                "[project]\nname = \"pdm-dist\"\n[tool.pdm.build]\nincludes = [\"src/pdmpkg\"]\n",
                &["src/pdmpkg/__init__.py"],
                root("pdmpkg", "src/pdmpkg", false),
            ),
            (
                "[project]\nname = \"pdm-dist\"\n[tool.pdm.build]\npackage-dir = \"lib\"\n",
                &["lib/pdm_dist/__init__.py"],
                root("pdm_dist", "lib/pdm_dist", false),
            ),
            (
                "[project]\nname = \"fast-thing\"\n[tool.maturin]\npython-source = \"python\"\nmodule-name = \"fastthing._core\"\n",
                &["python/fastthing/__init__.py", "src/lib.rs"],
                root("fastthing", "python/fastthing", false),
            ),
            // a backend setting pointing nowhere falls through to the conventions
            (
                "[project]\nname = \"conv\"\n[tool.hatch.build.targets.wheel]\npackages = [\"gone\"]\n",
                &["src/conv/__init__.py"],
                root("conv", "src/conv", false),
            ),
            // a dotted project name shipped as a namespace path
            (
                "[project]\nname = \"acme.widgets\"\n",
                &["src/acme/widgets/core.py"],
                root("acme.widgets", "src/acme/widgets", false),
            ),
            // stub-only packages count
            (
                "[project]\nname = \"stubby\"\n",
                &["stubby/__init__.pyi"],
                root("stubby", "stubby", false),
            ),
            // src/ wins over a flat directory of the same name
            (
                "[tool.poetry]\nname = \"Both\"\n",
                &["both/__init__.py", "src/both/__init__.py"],
                root("both", "src/both", false),
            ),
        ];
        for (toml, list, want) in cases {
            let got =
                locate("", &hints(toml), &files(list)).unwrap_or_else(|e| panic!("{toml}: {e}"));
            assert_eq!(&got, want, "{toml}");
        }
    }

    #[test]
    fn a_stub_only_package_is_the_module_it_describes() {
        // PEP 561 (types-requests): `requests-stubs/` is imported as `requests`.
        let mut h = hints("[project]\nname = \"types-requests\"\n");
        h.setuptools_packages = vec!["requests-stubs".into()];
        let tree = files(&["requests-stubs/__init__.pyi", "requests-stubs/api.pyi"]);
        let found = locate_all("", &h, &tree).unwrap();
        assert_eq!(names(&found), ["requests"]);
        assert_eq!(found.primary.path, "requests-stubs");
        // Near-miss: a `-stubs` suffix on something that is no identifier stays as it is.
        h.setuptools_packages = vec!["2x-stubs".into()];
        let found = locate_all("", &h, &files(&["2x-stubs/__init__.pyi"])).unwrap();
        assert_eq!(names(&found), ["2x-stubs"]);
    }

    #[test]
    fn directories_without_python_are_not_packages() {
        let h = hints("[project]\nname = \"data\"\n");
        let err = locate("", &h, &files(&["data/readme.txt", "src/data/x.json"])).unwrap_err();
        assert!(matches!(err, Error::PackageNotFound { .. }));
        let err = locate("", &hints("[project]\n"), &files(&["README.md"])).unwrap_err();
        assert!(matches!(err, Error::PackageNotFound { ref project, .. } if project.is_empty()));
        assert!(err.to_string().contains("no `[project].name`"));
    }

    #[test]
    fn helpers() {
        assert_eq!(normalize("./src//pkg/"), "src/pkg");
        assert_eq!(normalize("a/../b"), "b");
        assert!(glob_match("mypkg*", "mypkg_extra"));
        assert!(!glob_match("mypkg", "mypkg_extra"));
        assert!(glob_match("t?sts", "tests"));
        let dirs: BTreeMap<String, String> = [("".to_owned(), "src".to_owned())].into();
        assert_eq!(setuptools_dir(&dirs, "a.b"), "src/a/b");
    }
}
