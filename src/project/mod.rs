//! The project model: one project's pyproject.toml, and the `setup.cfg` and `setup.py` beside
//! it, parsed once per revision into a typed [`Project`].
//!
//! A [`Project`] holds the name, the declared version and where it is declared, whether it is
//! dynamic, the build backends' hints for finding the package, and the validated
//! `[tool.bumpwise]` configuration. `diff`, `check`, `release` and `api` consume it; nothing
//! else parses pyproject.toml. A repository of several projects is a list of them, each
//! knowing its own directory.
//!
//! A setup.py-era project (six, pytz) has no pyproject.toml, or one without `[project]`
//! (dateutil 2.9, SQLAlchemy 2.0): its name, package settings and literal version come from
//! setup.cfg and setup.py. pyproject.toml wins over both, key by key; between the two,
//! setup.py's literal `setup()` arguments win over setup.cfg, as in setuptools.

mod config;
pub(crate) mod graph;
pub(crate) mod init;
pub(crate) mod metadata;
pub(crate) mod requirement;
mod setup_cfg;
pub(crate) mod sources;
pub(crate) mod workspace;

use std::collections::BTreeMap;

use toml_edit::{DocumentMut, ImDocument, Item, Table, TableLike};

pub(crate) use config::{Changelog, Config, known_keys};
pub(crate) use sources::VersionFacts;

use crate::api::PackageHints;
use crate::api::package::{FindPackages, PoetryPackage, SetuptoolsFile};
use crate::api::setup_py::{self, Arg, Packages, SetupArgs};
use crate::git::Snapshot;
use crate::version::pep440::Version;

/// What bumpwise knows of one project at one revision.
#[derive(Clone, Debug, Default)]
pub(crate) struct Project {
    /// Repository-relative directory of pyproject.toml (or setup.cfg, setup.py), `""` at the
    /// root.
    pub dir: String,
    /// `[project].name`, or `[tool.poetry].name`, or setup.py's or setup.cfg's literal name.
    pub name: Option<String>,
    /// Where pyproject.toml declares the version, and whether a tool computes it.
    pub versions: VersionFacts,
    pub hints: PackageHints,
    pub config: Config,
    /// The `[project]` table as text, to tell whether it changed between revisions.
    pub project_table: String,
    /// `requires-python` and the dependencies, to compare between revisions.
    pub metadata: metadata::Metadata,
    /// Whether the project has a pyproject.toml, rather than only setup.cfg or setup.py.
    pub has_pyproject: bool,
    /// A literal version in setup.py or setup.cfg, when pyproject.toml declares none: read for
    /// `diff` and `check`, never rewritten.
    pub setup_version: Option<SetupVersion>,
    /// `[tool.uv.sources]`, by normalized distribution name: where uv installs a dependency
    /// from instead of an index.
    pub uv_sources: BTreeMap<String, UvSource>,
}

/// One `[tool.uv.sources]` entry, reduced to what ties members together.
///
/// An entry that is a list of sources, one per marker, counts as a workspace source when any
/// of them is, and takes the first `path`. Other kinds (`git`, `url`, `index`) leave both unset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UvSource {
    /// `{ workspace = true }`: the workspace member of that name.
    pub workspace: bool,
    /// `{ path = "../invoice_rules" }`, as written (relative to the project's directory).
    pub path: Option<String>,
    /// The 1-based line of the entry's key.
    pub line: u32,
}

/// A version written as a literal in setup.py's `setup(version=...)` or setup.cfg's
/// `[metadata] version`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SetupVersion {
    /// Repository-relative path of the file.
    pub file: String,
    pub value: String,
    /// 1-based line.
    pub line: u32,
}

/// Why pyproject.toml could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no `{path}` at `{rev}`, nor a `setup.cfg` or `setup.py` beside it")]
    Missing { path: String, rev: String },
    #[error(
        "cannot release: the version `{version}` is a literal in `{file}` (line {line}), which \
         bumpwise does not rewrite"
    )]
    SetupVersion {
        file: String,
        line: u32,
        version: String,
    },
    #[error("`{0}` is not valid UTF-8")]
    NotUtf8(String),
    #[error("`{file}` is not valid TOML at {line}:{column}: {message}")]
    Toml {
        file: String,
        line: u32,
        column: u32,
        message: String,
    },
    #[error("unknown key `{key}` in `[tool.bumpwise]` of `{file}`")]
    UnknownKey { file: String, key: String },
    #[error("`{key}` in `[tool.bumpwise]` of `{file}` must be {expected}")]
    WrongType {
        file: String,
        key: String,
        expected: &'static str,
    },
    #[error(
        "`[tool.bumpwise.imports]` in `{file}` names `{rule}`, which is neither a rule ({}) nor a setting (scripts, services, module-names, allow-modules)",
        crate::imports::Rule::ALL.iter().map(|r| r.id()).collect::<Vec<_>>().join(", ")
    )]
    UnknownImportRule { file: String, rule: String },
    #[error("`imports.{rule}` in `{file}` is `{value}`; use `error`, `warn` or `off`")]
    BadImportLevel {
        file: String,
        rule: String,
        value: String,
    },
    #[error("`rules` in `{file}` names `{kind}`, which is not a change kind")]
    UnknownRule { file: String, kind: String },
    #[error("`rules.{kind}` in `{file}` is `{value}`; use `major`, `minor`, `patch` or `none`")]
    BadRuleBump {
        file: String,
        kind: String,
        value: String,
    },
    #[error("`tag-format` in `{file}` is `{value}`, which lacks `{{version}}`")]
    TagFormat { file: String, value: String },
    #[error("`{key}` in `{file}` is not a string: {value}")]
    VersionNotString {
        file: String,
        key: &'static str,
        value: String,
    },
}

impl Project {
    /// Reads the project whose pyproject.toml (or setup.cfg, or setup.py) sits in `dir`
    /// (repository-relative) at a revision; `rev` names the revision in messages. What
    /// pyproject.toml leaves out (no `[project]` table, no setuptools package settings, no
    /// pyproject.toml at all), setup.py's and setup.cfg's literal `setup()` arguments fill in.
    pub fn read(snapshot: &Snapshot, dir: &str, rev: &str) -> Result<Project, crate::Error> {
        let path = join(dir, "pyproject.toml");
        let setup = Setup::read(snapshot, dir)?;
        let (mut project, setuptools) = match snapshot.read(&path)? {
            Some(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| Error::NotUtf8(path.clone()))?;
                Project::parse_document(&path, &text)?
            }
            None if setup.is_some() => (Project::default(), true),
            None => {
                return Err(Error::Missing {
                    path,
                    rev: rev.to_owned(),
                }
                .into());
            }
        };
        project.dir = dir.to_owned();
        if let Some(setup) = setup {
            project.fill_from_setup(setup, setuptools);
        }
        // `{name}` in `tag-format` is the project's name, in a repository of one project too
        // (a workspace member gets its member name again from `Members::apply`).
        if let Some(name) = &project.name {
            project.config.tag_format = project
                .config
                .tag_format
                .replace("{name}", &requirement::normalize(name));
        }
        Ok(project)
    }

    /// Parses one pyproject.toml; `file` is its display path for messages. The project's
    /// directory is left empty: [`Project::read`] sets it. The workspace reads the root's
    /// settings with it; a project is read with [`Project::read`].
    pub fn parse(file: &str, text: &str) -> Result<Project, Error> {
        Project::parse_document(file, text).map(|(project, _)| project)
    }

    /// `parse`, and whether the build backend is setuptools (named, or none named:
    /// pip then uses setuptools), which is when setup.cfg and setup.py say where the package is.
    fn parse_document(file: &str, text: &str) -> Result<(Project, bool), Error> {
        // One parse: the spans of the version strings come from the immutable document, the
        // rest from the same document made mutable (which is what `str::parse` does).
        let im = ImDocument::parse(text).map_err(|e| {
            let (line, column) = line_column(text, e.span().map_or(0, |s| s.start));
            Error::Toml {
                file: file.to_owned(),
                line,
                column,
                message: e.message().trim_end().to_owned(),
            }
        })?;
        let versions = VersionFacts::read(im.as_table(), text);
        // PEP 621 makes the version a string; pip and every backend refuse `version = 1.1`,
        // so reading on as "no version" would hide the real mistake.
        if let Some((key, value)) = sources::non_string_version(im.as_table()) {
            return Err(Error::VersionNotString {
                file: file.to_owned(),
                key,
                value,
            });
        }
        let metadata = metadata::Metadata::read(im.as_table(), text);
        let uv_sources = uv_sources(im.as_table(), text);
        let doc = im.into_mut();
        let project = doc.get("project");
        let poetry = doc.get("tool").and_then(|t| t.get("poetry"));
        let str_at = |item: Option<&Item>, key: &str| {
            item.and_then(|t| t.get(key))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let name = str_at(project, "name").or_else(|| str_at(poetry, "name"));
        let config = match doc.get("tool").and_then(|t| t.get("bumpwise")) {
            Some(item) => config::parse_config(file, item)?,
            None => Config::default(),
        };
        let mut hints = package_hints(&doc);
        hints.configured = config.package.clone();
        let setuptools = doc
            .get("build-system")
            .and_then(|b| b.get("build-backend"))
            .and_then(Item::as_str)
            .is_none_or(|backend| backend.starts_with("setuptools"));
        let project = Project {
            dir: String::new(),
            name,
            versions,
            hints,
            config,
            project_table: project.map(|p| p.to_string()).unwrap_or_default(),
            metadata,
            has_pyproject: true,
            setup_version: None,
            uv_sources,
        };
        Ok((project, setuptools))
    }

    /// Fills in what pyproject.toml (if any) left out from setup.py and setup.cfg: the name,
    /// the setuptools package settings key by key when the backend is setuptools, and a
    /// literal version when pyproject.toml has no version key at all.
    fn fill_from_setup(&mut self, setup: Setup, setuptools: bool) {
        let Setup {
            args,
            version_file,
            packages_file,
            python_requires_file,
            no_python_requires,
        } = setup;
        // setuptools takes `python_requires` from setup.py or setup.cfg only when pyproject.toml
        // has no `[project]` table (PEP 621 metadata there is authoritative). A known absence
        // is kept too (the file is set, the value is not), so that adding one is a raise.
        if self.project_table.is_empty() {
            if let Some(requires) = args.python_requires.clone().literal() {
                self.metadata.requires_python = Some(requires);
                self.metadata.requires_python_file = Some(join(&self.dir, python_requires_file));
            } else if no_python_requires {
                self.metadata.requires_python_file = Some(join(&self.dir, python_requires_file));
            }
        }
        if self.name.is_none() {
            self.name = args.name.literal();
            self.hints.project_name = self.name.clone();
        }
        if setuptools {
            let hints = &mut self.hints;
            let before = (
                hints.setuptools_packages.len(),
                hints.setuptools_find.is_some(),
                hints.setuptools_py_modules.len(),
                hints.setuptools_package_dir.len(),
            );
            let mut found_here = false;
            if hints.setuptools_packages.is_empty() && hints.setuptools_find.is_none() {
                match args.packages.literal() {
                    Some(Packages::Listed(names)) => hints.setuptools_packages = names,
                    Some(Packages::Find(find)) => {
                        hints.setuptools_find = Some(find);
                        found_here = true;
                    }
                    None => {}
                }
            }
            if hints.setuptools_package_dir.is_empty()
                && let Some(dirs) = args.package_dir.literal()
            {
                hints.setuptools_package_dir = dirs;
            }
            if hints.setuptools_py_modules.is_empty()
                && let Some(modules) = args.py_modules.literal()
            {
                hints.setuptools_py_modules = modules;
            }
            // `find_packages()` with no `where` beside `package_dir = {"": "src"}` searches the
            // project root, where setuptools finds nothing (`src/` has no `__init__.py`) and a
            // namespace search would take `src` itself for the package: the author means `src`.
            if found_here
                && let Some(find) = &mut hints.setuptools_find
                && find.where_.is_empty()
                && let Some(root) = hints.setuptools_package_dir.get("")
            {
                find.where_ = vec![root.clone()];
            }
            let after = (
                hints.setuptools_packages.len(),
                hints.setuptools_find.is_some(),
                hints.setuptools_py_modules.len(),
                hints.setuptools_package_dir.len(),
            );
            if before == (0, false, 0, 0) && after != before {
                hints.setuptools_file = packages_file;
            }
        }
        // A version that does not parse is left out: messages about the declared version name
        // pyproject.toml, and setuptools would normalize or reject it anyway.
        if self.versions.tables.is_empty() && !self.versions.dynamic {
            self.setup_version = args
                .version
                .literal()
                .filter(|(value, _)| value.parse::<Version>().is_ok())
                .map(|(value, line)| SetupVersion {
                    file: join(&self.dir, version_file),
                    value,
                    line,
                });
        }
    }

    /// `[project].version`, or `[tool.poetry].version`, as written; else the literal version
    /// of setup.py or setup.cfg.
    pub fn version(&self) -> Option<&str> {
        self.versions
            .declared()
            .or_else(|| self.setup_version.as_ref().map(|v| v.value.as_str()))
    }

    /// Refuses a release when the version is a literal in setup.py or setup.cfg: bumpwise
    /// rewrites pyproject.toml and `__version__` only, and a release that left that literal
    /// behind would ship the old version.
    pub fn check_releasable(&self) -> Result<(), Error> {
        match &self.setup_version {
            Some(v) => Err(Error::SetupVersion {
                file: v.file.clone(),
                line: v.line,
                version: v.value.clone(),
            }),
            None => Ok(()),
        }
    }

    /// The declared version, parsed, and its line in pyproject.toml.
    pub fn declared_version(&self) -> Option<(Version, u32)> {
        let (value, _, line) = self
            .versions
            .tables
            .iter()
            .find_map(|t| t.literal.as_ref())?;
        Some((value.parse().ok()?, *line))
    }

    /// `version` is listed in `[project].dynamic` (setuptools-scm, hatch-vcs, ...).
    pub fn dynamic_version(&self) -> bool {
        self.versions.dynamic
    }

    /// A project file's repository-relative path.
    pub fn path(&self, file: &str) -> String {
        join(&self.dir, file)
    }

    /// The same project with no version declared: a release from before the project had a
    /// pyproject.toml (setup.py era) is read with the compared revision's settings.
    pub fn without_version(&self) -> Project {
        Project {
            versions: VersionFacts::default(),
            project_table: String::new(),
            setup_version: None,
            ..self.clone()
        }
    }

    /// The project of an older release, completed from the compared revision's (`newer`).
    /// Without a `[project]` table its packaging metadata is unknown (bumpwise reads setup.py's
    /// and setup.cfg's literal `python_requires`, but not `install_requires`), so what it cannot
    /// read is taken as unchanged rather than invented; and a release with no pyproject.toml whose setup.py and setup.cfg name
    /// neither the project nor its package is found with `newer`'s name and settings.
    pub fn completed_from(mut self, newer: &Project) -> Project {
        if self.project_table.is_empty() {
            let file = self.metadata.requires_python_file.take();
            let requires = self.metadata.requires_python.take();
            self.metadata = newer.metadata.clone();
            if file.is_some() {
                self.metadata.requires_python = requires;
                self.metadata.requires_python_file = file;
            }
        }
        let h = &self.hints;
        let unnamed = self.name.is_none()
            && h.setuptools_packages.is_empty()
            && h.setuptools_find.is_none()
            && h.setuptools_py_modules.is_empty()
            && h.setuptools_package_dir.is_empty();
        if !self.has_pyproject && unnamed {
            self.name = newer.name.clone();
            self.hints = newer.hints.clone();
        }
        self
    }
}

/// What setup.py and setup.cfg say, merged.
struct Setup {
    args: SetupArgs,
    /// The file the version argument comes from.
    version_file: &'static str,
    /// The file the package arguments come from, for the note that names the setting.
    packages_file: SetuptoolsFile,
    /// The file `python_requires` comes from.
    python_requires_file: &'static str,
    /// Neither file gives `python_requires`, and both were read whole: there is none.
    no_python_requires: bool,
}

impl Setup {
    /// Reads setup.py and setup.cfg in `dir`; `None` when neither exists. setup.py's arguments
    /// win over setup.cfg's, key by key, as in setuptools (its setup.cfg reader skips an option
    /// the `setup()` call already set); a setup.py argument that is not a literal hides
    /// setup.cfg's, since setuptools uses it.
    fn read(snapshot: &Snapshot, dir: &str) -> Result<Option<Setup>, crate::Error> {
        let py_path = join(dir, "setup.py");
        let py = snapshot
            .read(&py_path)?
            .map(|bytes| setup_py::read(&py_path, &bytes));
        let cfg = snapshot
            .read(&join(dir, "setup.cfg"))?
            .map(|bytes| setup_cfg::read(&String::from_utf8_lossy(&bytes)));
        if py.is_none() && cfg.is_none() {
            return Ok(None);
        }
        let py_complete = py.as_ref().is_none_or(|py| py.complete);
        let cfg_exists = cfg.is_some();
        let (py, cfg) = (py.unwrap_or_default(), cfg.unwrap_or_default());
        let no_python_requires = py_complete
            && matches!(py.python_requires, Arg::Absent)
            && matches!(cfg.python_requires, Arg::Absent);
        let version_file = match py.version {
            Arg::Absent => "setup.cfg",
            _ => "setup.py",
        };
        let python_requires_file = match (&py.python_requires, cfg_exists) {
            (Arg::Absent, true) => "setup.cfg",
            _ => "setup.py",
        };
        let from_py = !matches!(py.packages, Arg::Absent)
            || !matches!(py.py_modules, Arg::Absent)
            || !matches!(py.package_dir, Arg::Absent);
        let packages_file = if from_py {
            SetuptoolsFile::SetupPy
        } else {
            SetuptoolsFile::SetupCfg
        };
        Ok(Some(Setup {
            args: SetupArgs {
                name: py.name.or(cfg.name),
                version: py.version.or(cfg.version),
                packages: py.packages.or(cfg.packages),
                package_dir: py.package_dir.or(cfg.package_dir),
                py_modules: py.py_modules.or(cfg.py_modules),
                python_requires: py.python_requires.or(cfg.python_requires),
                complete: py_complete,
            },
            version_file,
            packages_file,
            python_requires_file,
            no_python_requires,
        }))
    }
}

/// Reads `[tool.uv.sources]` from a parsed pyproject.toml; `text` is what it was parsed from.
/// Entries of the wrong shape are skipped: uv itself reports them.
fn uv_sources(root: &Table, text: &str) -> BTreeMap<String, UvSource> {
    let Some(sources) = root
        .get("tool")
        .and_then(|t| t.get("uv"))
        .and_then(|u| u.get("sources"))
        .and_then(Item::as_table_like)
    else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (name, item) in sources.iter() {
        // One source, or a list of sources with markers (uv's "multiple sources").
        let entries: Vec<&dyn TableLike> = match item.as_array() {
            Some(array) => array
                .iter()
                .filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
                .collect(),
            None => item.as_table_like().into_iter().collect(),
        };
        if entries.is_empty() {
            continue;
        }
        let workspace = entries.iter().any(|t| {
            t.get("workspace")
                .and_then(Item::as_bool)
                .unwrap_or_default()
        });
        let path = entries
            .iter()
            .find_map(|t| t.get("path").and_then(Item::as_str).map(str::to_owned));
        let offset = sources
            .key(name)
            .and_then(|k| k.span())
            .or_else(|| item.span())
            .map_or(0, |s| s.start);
        out.insert(
            requirement::normalize(name),
            UvSource {
                workspace,
                path,
                line: line_column(text, offset).0,
            },
        );
    }
    out
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    (n(line), n(column))
}

fn join(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_owned()
    } else {
        format!("{dir}/{file}")
    }
}

/// Reads the build backends' package settings from a parsed pyproject.toml. Settings of the
/// wrong type are ignored here: the build backend itself reports them.
pub(crate) fn package_hints(doc: &DocumentMut) -> PackageHints {
    let root = doc.as_item();
    let at = |path: &[&str]| path.iter().try_fold(root, |item, key| item.get(key));
    let text = |path: &[&str]| at(path).and_then(Item::as_str).map(str::to_owned);

    let setuptools_packages_item = at(&["tool", "setuptools", "packages"]);
    let setuptools_find = setuptools_packages_item
        .and_then(|p| p.get("find"))
        .map(|find| FindPackages {
            where_: strings(find.get("where")),
            include: strings(find.get("include")),
            exclude: strings(find.get("exclude")),
            // setuptools' default in pyproject.toml.
            namespaces: find
                .get("namespaces")
                .and_then(Item::as_bool)
                .unwrap_or(true),
        });
    let setuptools_package_dir = at(&["tool", "setuptools", "package-dir"])
        .and_then(Item::as_table_like)
        .map(|t| {
            t.iter()
                .filter_map(|(k, v)| Some((k.to_owned(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    let poetry_packages = at(&["tool", "poetry", "packages"])
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| {
                    let t = v.as_inline_table()?;
                    Some(PoetryPackage {
                        include: t.get("include")?.as_str()?.to_owned(),
                        from: t.get("from").and_then(|f| f.as_str()).map(str::to_owned),
                    })
                })
                .collect()
        })
        .unwrap_or_default();

    PackageHints {
        project_name: text(&["project", "name"]).or_else(|| text(&["tool", "poetry", "name"])),
        configured: None,
        setuptools_packages: strings(setuptools_packages_item),
        setuptools_package_dir,
        setuptools_find,
        setuptools_py_modules: strings(at(&["tool", "setuptools", "py-modules"])),
        setuptools_file: SetuptoolsFile::Pyproject,
        hatch_packages: strings(at(&[
            "tool", "hatch", "build", "targets", "wheel", "packages",
        ])),
        hatch_sources: hatch_sources(at(&[
            "tool", "hatch", "build", "targets", "wheel", "sources",
        ])),
        poetry_packages,
        flit_module: text(&["tool", "flit", "module", "name"]),
        pdm_package_dir: text(&["tool", "pdm", "build", "package-dir"]),
        pdm_includes: strings(at(&["tool", "pdm", "build", "includes"])),
        maturin_python_source: text(&["tool", "maturin", "python-source"]),
        maturin_module_name: text(&["tool", "maturin", "module-name"]),
    }
}

/// hatch's `sources`: a list of prefixes to strip, or a table of prefix rewrites.
fn hatch_sources(item: Option<&Item>) -> std::collections::BTreeMap<String, String> {
    match item {
        Some(item) if item.is_table_like() => item
            .as_table_like()
            .into_iter()
            .flat_map(|t| t.iter())
            .filter_map(|(k, v)| Some((k.to_owned(), v.as_str()?.to_owned())))
            .collect(),
        item => strings(item)
            .into_iter()
            .map(|s| (s, String::new()))
            .collect(),
    }
}

/// pyproject.toml's `text` with the requirement string `old` of `[project].dependencies` (or of
/// the optional dependencies `extra`) replaced by `new`, the comments and layout around it
/// kept; `None` when it is not there.
pub(crate) fn rewrite_requirement(
    text: &str,
    extra: Option<&str>,
    old: &str,
    new: &str,
) -> Option<String> {
    let mut doc: DocumentMut = text.parse().ok()?;
    let project = doc.get_mut("project")?;
    let array = match extra {
        None => project.get_mut("dependencies")?,
        Some(extra) => project
            .get_mut("optional-dependencies")?
            .as_table_like_mut()?
            .iter_mut()
            .find(|(k, _)| requirement::normalize(k) == requirement::normalize(extra))
            .map(|(_, v)| v)?,
    }
    .as_array_mut()?;
    let item = array
        .iter_mut()
        .find(|v| v.as_str().is_some_and(|s| s.trim() == old.trim()))?;
    let decor = item.decor().clone();
    // The string keeps its quotes: a literal `'...'` stays one when it can.
    let literal = item
        .as_str()
        .and_then(|_| item.to_string().trim_start().chars().next())
        == Some('\'');
    let repr = if literal && !new.contains('\'') {
        format!("'{new}'")
    } else {
        format!("\"{}\"", new.replace('\\', "\\\\").replace('"', "\\\""))
    };
    *item = repr.parse().ok()?;
    *item.decor_mut() = decor;
    Some(doc.to_string())
}

/// The strings of a TOML array; anything else, and non-string items, are left out.
pub(super) fn strings(item: Option<&Item>) -> Vec<String> {
    item.and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::testing::TestRepo;

    fn hints(toml: &str) -> PackageHints {
        package_hints(&toml.parse().unwrap())
    }

    /// Reads the project in `dir` of a working tree holding `files`.
    fn read_files(files: &[(&str, &str)], dir: &str) -> Result<Project, crate::Error> {
        let t = TestRepo::new();
        for (path, text) in files {
            t.write(path, text);
        }
        let snapshot = t.repo().snapshot(None).unwrap();
        Project::read(&snapshot, dir, "HEAD")
    }

    fn read(files: &[(&str, &str)]) -> Project {
        read_files(files, "").unwrap()
    }

    fn find(where_: &[&str], exclude: &[&str]) -> Option<FindPackages> {
        Some(FindPackages {
            where_: where_.iter().map(|s| (*s).to_owned()).collect(),
            include: Vec::new(),
            exclude: exclude.iter().map(|s| (*s).to_owned()).collect(),
            namespaces: false,
        })
    }

    #[test]
    fn a_requirement_is_rewritten_in_place() {
        // A marker with escaped quotes is not on its line as the decoded value is: toml_edit
        // finds it, and the comment and the layout stay.
        let text = concat!(
            "[project]\n",
            "name = \"w\"\n",
            "dependencies = [\n",
            "    \"invoice-rules>=0.4,<0.5; python_version >= \\\"3.9\\\"\",  # pinned\n",
            "]\n",
            "[project.optional-dependencies]\n",
            "PDF = ['invoice-rules[pdf]<0.5']\n",
        );
        let old = "invoice-rules>=0.4,<0.5; python_version >= \"3.9\"";
        let new = "invoice-rules>=0.4,<0.6; python_version >= \"3.9\"";
        let out = rewrite_requirement(text, None, old, new).unwrap();
        assert!(
            out.contains(
                "    \"invoice-rules>=0.4,<0.6; python_version >= \\\"3.9\\\"\",  # pinned\n"
            ),
            "{out}"
        );
        let out = rewrite_requirement(
            text,
            Some("pdf"),
            "invoice-rules[pdf]<0.5",
            "invoice-rules[pdf]<0.6",
        )
        .unwrap();
        assert!(out.contains("PDF = ['invoice-rules[pdf]<0.6']\n"), "{out}");
        assert_eq!(rewrite_requirement(text, None, "absent", "x"), None);
    }

    #[test]
    fn setup_py_alone_is_a_project() {
        let p = read(&[(
            "setup.py",
            "from setuptools import setup\nsetup(name='six', version='1.16.0', py_modules=['six'])\n",
        )]);
        assert!(!p.has_pyproject);
        assert_eq!(p.name.as_deref(), Some("six"));
        assert_eq!(p.hints.project_name.as_deref(), Some("six"));
        assert_eq!(p.hints.setuptools_py_modules, ["six"]);
        assert_eq!(p.version(), Some("1.16.0"));
        assert_eq!(p.declared_version(), None, "not a pyproject.toml line");
        assert_eq!(p.config, Config::default());
        assert!(matches!(
            p.check_releasable(),
            Err(Error::SetupVersion { ref file, line: 2, .. }) if file == "setup.py"
        ));
        assert!(p.without_version().version().is_none());
    }

    #[test]
    fn setup_cfg_alone_is_a_project() {
        let cfg = "[metadata]\nname = widget-kit\nversion = attr: widgets.__version__\n\n[options]\npackage_dir =\n    =src\npackages = find:\n[options.packages.find]\nexclude = tests*\n";
        let p = read_files(&[("sub/setup.cfg", cfg)], "sub").unwrap();
        assert_eq!(p.dir, "sub");
        assert_eq!(p.name.as_deref(), Some("widget-kit"));
        // `find:` without `where` searches the `package_dir` root.
        assert_eq!(p.hints.setuptools_find, find(&["src"], &["tests*"]));
        assert_eq!(
            p.hints.setuptools_package_dir.get("").map(String::as_str),
            Some("src")
        );
        assert_eq!(p.version(), None);
        assert!(p.check_releasable().is_ok());
    }

    #[test]
    fn none_of_the_three_is_missing() {
        let err = read_files(&[("other/setup.py", "")], "proj").unwrap_err();
        assert!(
            matches!(err, crate::Error::Config(Error::Missing { ref path, .. }) if path == "proj/pyproject.toml"),
            "{err:?}"
        );
        assert!(err.hint().unwrap().contains("setup.cfg or setup.py"));
    }

    #[test]
    fn pyproject_without_project_takes_setup_cfg_then_setup_py() {
        // dateutil / SQLAlchemy: the name and package_dir in setup.cfg.
        let p = read(&[
            (
                "pyproject.toml",
                "[build-system]\nrequires = [\"setuptools\"]\n",
            ),
            (
                "setup.cfg",
                "[metadata]\nname = SQLAlchemy\n[options]\npackage_dir =\n    =lib\n",
            ),
        ]);
        assert!(p.has_pyproject);
        assert_eq!(p.name.as_deref(), Some("SQLAlchemy"));
        assert_eq!(
            p.hints.setuptools_package_dir.get("").map(String::as_str),
            Some("lib")
        );
        // attrs 21.3: the name only in setup.py, through a module-level constant.
        let p = read(&[
            ("pyproject.toml", "[tool.black]\nline-length = 79\n"),
            (
                "setup.py",
                "NAME = 'attrs'\nif __name__ == '__main__':\n    setup(name=NAME, packages=find_packages(where='src'), package_dir={'': 'src'})\n",
            ),
        ]);
        assert_eq!(p.name.as_deref(), Some("attrs"));
        assert_eq!(p.hints.setuptools_find, find(&["src"], &[]));
    }

    #[test]
    fn pyproject_settings_win_key_by_key() {
        let cfg = "[metadata]\nname = cfg-name\nversion = 9.9.9\n[options]\npackages = cfgpkg\npackage_dir = =lib\npy_modules = m\n";
        let p = read(&[
            (
                "pyproject.toml",
                "[project]\nname = \"real\"\nversion = \"1.0.0\"\n[tool.setuptools]\npackages = [\"real\"]\n",
            ),
            ("setup.cfg", cfg),
        ]);
        assert_eq!(p.name.as_deref(), Some("real"));
        assert_eq!(p.hints.setuptools_packages, ["real"]);
        assert_eq!(p.hints.setuptools_find, None);
        // Keys pyproject.toml does not set still come from setup.cfg.
        assert_eq!(
            p.hints.setuptools_package_dir.get("").map(String::as_str),
            Some("lib")
        );
        assert_eq!(p.hints.setuptools_py_modules, ["m"]);
        assert_eq!(p.version(), Some("1.0.0"));
        assert_eq!(p.setup_version, None);

        // Another build backend: setup.cfg's package settings are stale, the name still helps.
        let p = read(&[
            (
                "pyproject.toml",
                "[build-system]\nbuild-backend = \"hatchling.build\"\n",
            ),
            ("setup.cfg", cfg),
        ]);
        assert_eq!(p.name.as_deref(), Some("cfg-name"));
        assert!(p.hints.setuptools_packages.is_empty());
        assert!(p.hints.setuptools_package_dir.is_empty());
        // A dynamic version is not replaced by setup.cfg's.
        let p = read(&[
            (
                "pyproject.toml",
                "[project]\nname = \"d\"\ndynamic = [\"version\"]\n",
            ),
            ("setup.cfg", cfg),
        ]);
        assert_eq!(p.version(), None);
    }

    #[test]
    fn setup_py_literals_win_over_setup_cfg() {
        let cfg = "[metadata]\nname = cfg-name\nversion = 2.0.0\n[options]\npackages = find:\npy_modules = cfgmod\n";
        let p = read(&[
            ("setup.cfg", cfg),
            (
                "setup.py",
                "setup(name='py-name', packages=['pypkg'], py_modules=compute())\n",
            ),
        ]);
        assert_eq!(p.name.as_deref(), Some("py-name"));
        assert_eq!(p.hints.setuptools_packages, ["pypkg"]);
        assert_eq!(p.hints.setuptools_find, None);
        // setuptools takes setup.py's `py_modules`, which bumpwise cannot read: not setup.cfg's.
        assert!(p.hints.setuptools_py_modules.is_empty());
        // setup.py gives no version: setup.cfg's literal is the version.
        assert_eq!(
            p.setup_version,
            Some(SetupVersion {
                file: "setup.cfg".to_owned(),
                value: "2.0.0".to_owned(),
                line: 3,
            })
        );
        // A version that is not PEP 440 is not a declared version.
        let p = read(&[("setup.cfg", "[metadata]\nversion = one point oh\n")]);
        assert_eq!(p.version(), None);
    }

    #[test]
    fn an_old_setup_py_project_is_completed_from_the_newer_one() {
        let newer = read(&[(
            "pyproject.toml",
            "[project]\nname = \"kit\"\nrequires-python = \">=3.8\"\n[tool.setuptools]\npackages = [\"kit\"]\n",
        )]);
        // Named by its own setup.py: its own settings stay, the dependencies are the newer
        // one's; its setup() is read whole and gives no `python_requires`, so it has none.
        let old = read(&[(
            "setup.py",
            "setup(name='kit', packages=['kit', 'kit.sub'])\n",
        )]);
        let done = old.completed_from(&newer);
        assert_eq!(done.hints.setuptools_packages, ["kit", "kit.sub"]);
        assert_eq!(done.metadata.dependencies, newer.metadata.dependencies);
        assert_eq!(done.metadata.requires_python, None);
        // A setup.py that says nothing readable: the newer project finds the package.
        let old = read(&[("setup.py", "setup(**options)\n")]);
        let done = old.completed_from(&newer);
        assert_eq!(done.name.as_deref(), Some("kit"));
        assert_eq!(done.hints, newer.hints);
    }

    #[test]
    fn setup_python_requires_is_the_requires_python_without_a_project_table() {
        // Issue 13 (h11, toolz, requests, Django): setup.py's `python_requires` raised from
        // 3.7 to 3.8 was never compared.
        let py = read(&[(
            "setup.py",
            "setup(name='kit', packages=['kit'],\n      python_requires='>=3.8')\n",
        )]);
        assert_eq!(py.metadata.requires_python, Some((">=3.8".to_owned(), 2)));
        assert_eq!(
            py.metadata.requires_python_file.as_deref(),
            Some("setup.py")
        );
        let cfg = read(&[(
            "setup.cfg",
            "[metadata]\nname = kit\n[options]\npython_requires = >=3.7\n",
        )]);
        assert_eq!(cfg.metadata.requires_python, Some((">=3.7".to_owned(), 4)));
        assert_eq!(
            cfg.metadata.requires_python_file.as_deref(),
            Some("setup.cfg")
        );
        // An old release keeps its own, and takes the dependencies it cannot read from the newer.
        let done = cfg.clone().completed_from(&py);
        assert_eq!(done.metadata.requires_python, Some((">=3.7".to_owned(), 4)));
        // Near-misses: a `[project]` table is authoritative even without `requires-python`,
        // and a computed value says nothing.
        let both = read(&[
            ("pyproject.toml", "[project]\nname = \"kit\"\n"),
            ("setup.py", "setup(python_requires='>=3.8')\n"),
        ]);
        assert_eq!(both.metadata.requires_python, None);
        let opaque = read(&[("setup.py", "setup(name='kit', python_requires=PY)\n")]);
        assert_eq!(opaque.metadata.requires_python, None);
        // An old release that says nothing readable is the newer one's: unchanged, not invented.
        let done = opaque.completed_from(&py);
        assert_eq!(done.metadata, py.metadata);
        let splat = read(&[("setup.py", "setup(name='kit', **extra)\n")]);
        assert_eq!(splat.completed_from(&py).metadata, py.metadata);
        // One whose setup() is read whole and has none has none (PyJWT 1.7.1, termcolor 1.1.0):
        // adding one is a raise from nothing.
        let none = read(&[("setup.py", "setup(name='kit', packages=['kit'])\n")]);
        let done = none.completed_from(&py);
        assert_eq!(done.metadata.requires_python, None);
        assert_eq!(
            done.metadata.requires_python_file.as_deref(),
            Some("setup.py")
        );
    }

    #[test]
    fn uv_sources_by_normalized_name_with_their_lines() {
        let text = concat!(
            "[project]\nname = \"billing-worker\"\n",
            "[tool.uv.sources]\n",
            "Invoice_Rules = { workspace = true }\n",
            "date-parsing = { path = \"../../packages/date_parsing\", editable = true }\n",
            "requests = { git = \"https://github.com/psf/requests\" }\n",
            "torch = [\n",
            "  { index = \"cpu\", marker = \"sys_platform != 'linux'\" },\n",
            "  { path = \"wheels/torch.whl\", marker = \"sys_platform == 'linux'\" },\n",
            "]\n",
            "broken = \"not a table\"\n",
            "[tool.uv.sources.report-tools]\n",
            "workspace = true\n",
        );
        let p = Project::parse("pyproject.toml", text).unwrap();
        let got: Vec<(&str, bool, Option<&str>, u32)> = p
            .uv_sources
            .iter()
            .map(|(name, s)| (name.as_str(), s.workspace, s.path.as_deref(), s.line))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "date-parsing",
                    false,
                    Some("../../packages/date_parsing"),
                    5
                ),
                ("invoice-rules", true, None, 4),
                ("report-tools", true, None, 12),
                ("requests", false, None, 6),
                ("torch", false, Some("wheels/torch.whl"), 7),
            ]
        );
        let none = Project::parse("pyproject.toml", "[project]\nname = \"x\"\n").unwrap();
        assert!(none.uv_sources.is_empty());
    }

    #[test]
    fn hints_from_document() {
        let h = hints(concat!(
            "[project]\nname = \"n\"\n",
            "[tool.setuptools]\npackages = [\"a\", \"a.b\"]\npackage-dir = {\"\" = \"src\"}\npy-modules = [\"m\"]\n",
            "[tool.hatch.build.targets.wheel]\npackages = [\"src/a\"]\n",
            "[tool.poetry]\npackages = [{ include = \"a\", from = \"src\" }]\n",
            "[tool.flit.module]\nname = \"a\"\n",
            "[tool.pdm.build]\npackage-dir = \"src\"\nincludes = [\"src/a\"]\n",
        ));
        assert_eq!(h.project_name.as_deref(), Some("n"));
        assert_eq!(h.setuptools_packages, ["a", "a.b"]);
        assert_eq!(
            h.setuptools_package_dir.get("").map(String::as_str),
            Some("src")
        );
        assert_eq!(h.setuptools_py_modules, ["m"]);
        assert_eq!(h.hatch_packages, ["src/a"]);
        assert_eq!(
            h.poetry_packages,
            [PoetryPackage {
                include: "a".to_owned(),
                from: Some("src".to_owned())
            }]
        );
        assert_eq!(h.flit_module.as_deref(), Some("a"));
        assert_eq!(h.pdm_package_dir.as_deref(), Some("src"));
        assert_eq!(h.pdm_includes, ["src/a"]);
        assert_eq!(h.configured, None);
        assert_eq!(
            hints("[project]\nname = \"My-Pkg.Ext\"\n")
                .import_name()
                .as_deref(),
            Some("my_pkg_ext")
        );
    }
}
