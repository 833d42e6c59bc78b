//! The project model: one project's pyproject.toml (and the `setup.cfg` that discovery falls
//! back on), parsed once per revision into a typed [`Project`].
//!
//! A [`Project`] holds the name, the declared version and where it is declared, whether it is
//! dynamic, the build backends' hints for finding the package, and the validated
//! `[tool.bumpwise]` configuration. `diff`, `check`, `release` and `api` consume it; nothing
//! else parses pyproject.toml. A repository of several projects is a list of them, each
//! knowing its own directory.

mod config;
pub(crate) mod metadata;
pub(crate) mod requirement;
pub(crate) mod sources;

use toml_edit::{DocumentMut, ImDocument, Item};

pub(crate) use config::{Changelog, Config, known_keys};
pub(crate) use sources::VersionFacts;

use crate::api::PackageHints;
use crate::api::package::{FindPackages, PoetryPackage, SetuptoolsFile};
use crate::git::Snapshot;
use crate::version::pep440::Version;

/// What bumpwise knows of one project at one revision.
#[derive(Clone, Debug)]
pub(crate) struct Project {
    /// Repository-relative directory of pyproject.toml, `""` at the root.
    pub dir: String,
    /// `[project].name`, or `[tool.poetry].name`, or `setup.cfg`'s `[metadata] name`.
    pub name: Option<String>,
    /// Where pyproject.toml declares the version, and whether a tool computes it.
    pub versions: VersionFacts,
    pub hints: PackageHints,
    pub config: Config,
    /// The `[project]` table as text, to tell whether it changed between revisions.
    pub project_table: String,
    /// `requires-python` and the dependencies, to compare between revisions.
    pub metadata: metadata::Metadata,
}

/// Why pyproject.toml could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no `{path}` at `{rev}`")]
    Missing { path: String, rev: String },
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
}

impl Project {
    /// Reads the project whose pyproject.toml sits in `dir` (repository-relative) at a
    /// revision; `rev` names the revision in messages. When pyproject.toml names no project,
    /// `setup.cfg`'s `[metadata] name` does (requests, Django).
    pub fn read(snapshot: &Snapshot, dir: &str, rev: &str) -> Result<Project, crate::Error> {
        let path = join(dir, "pyproject.toml");
        let bytes = snapshot.read(&path)?.ok_or_else(|| Error::Missing {
            path: path.clone(),
            rev: rev.to_owned(),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| Error::NotUtf8(path.clone()))?;
        let mut project = Project::parse(&path, &text)?;
        project.dir = dir.to_owned();
        if project.name.is_none()
            && let Some(cfg) = snapshot.read(&join(dir, "setup.cfg"))?
        {
            project.name = setup_cfg_name(&String::from_utf8_lossy(&cfg));
            project.hints.project_name = project.name.clone();
        }
        Ok(project)
    }

    /// Parses one pyproject.toml; `file` is its display path for messages. The project's
    /// directory is left empty: [`Project::read`] sets it.
    pub fn parse(file: &str, text: &str) -> Result<Project, Error> {
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
        let metadata = metadata::Metadata::read(im.as_table(), text);
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
        Ok(Project {
            dir: String::new(),
            name,
            versions,
            hints,
            config,
            project_table: project.map(|p| p.to_string()).unwrap_or_default(),
            metadata,
        })
    }

    /// `[project].version`, or `[tool.poetry].version`, as written.
    pub fn version(&self) -> Option<&str> {
        self.versions.declared()
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
            ..self.clone()
        }
    }
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

fn strings(item: Option<&Item>) -> Vec<String> {
    item.and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `name` in the `[metadata]` section of a setuptools `setup.cfg`, for projects whose
/// pyproject.toml has no `[project]` table yet (requests, Django).
pub(crate) fn setup_cfg_name(text: &str) -> Option<String> {
    let mut in_metadata = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_metadata = line == "[metadata]";
            continue;
        }
        if !in_metadata {
            continue;
        }
        if let Some((key, value)) = line.split_once('=')
            && key.trim() == "name"
        {
            let value = value.trim();
            return (!value.is_empty()).then(|| value.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints(toml: &str) -> PackageHints {
        package_hints(&toml.parse().unwrap())
    }

    #[test]
    fn setup_cfg_metadata_name() {
        let cfg =
            "[options]\nname = not-this\n\n[metadata]\nversion = attr: x.v\nname = requests\n";
        assert_eq!(setup_cfg_name(cfg).as_deref(), Some("requests"));
        assert_eq!(setup_cfg_name("[options]\nname = x\n"), None);
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
