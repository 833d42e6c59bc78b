//! Reading the two revisions of a comparison and classifying what changed between them: the
//! stages `diff`, `check` and `release` share, wired in one place.

use std::io::Write;
use std::path::Path;

use crate::api::{self, SourceFile, Surface};
use crate::diff::{self, Change};
use crate::git::{self, CommitId, Repo, Snapshot};
use crate::options::Rev;
use crate::project::Project;
use crate::report::{PackageRead, Report};
use crate::version::pep440::Version;
use crate::version::{self, Bump, Policy};
use crate::{Error, project};

/// The repository and where the project sits in it.
pub(crate) struct Workspace {
    pub repo: Repo,
    /// Repository-relative directory of pyproject.toml, `""` at the root.
    pub project_dir: String,
}

impl Workspace {
    pub fn open(project: &crate::options::ProjectDir) -> Result<Workspace, Error> {
        let dir = project
            .dir
            .canonicalize()
            .map_err(|_| Error::NoDirectory(project.dir.clone()))?;
        let repo = Repo::discover(project.repo.as_deref().unwrap_or(&dir))?;
        let root = repo
            .root()
            .canonicalize()
            .unwrap_or_else(|_| repo.root().to_path_buf());
        // From a folder inside the project, the nearest pyproject.toml (or setup.cfg or
        // setup.py, for a project without one) up to the repository root is the project's.
        let dir = if project.search_up {
            dir.ancestors()
                .take_while(|d| d.starts_with(&root))
                .find(|d| {
                    ["pyproject.toml", "setup.cfg", "setup.py"]
                        .iter()
                        .any(|f| d.join(f).is_file())
                })
                .map(Path::to_path_buf)
                .unwrap_or(dir)
        } else {
            dir
        };
        let relative = dir.strip_prefix(&root).map_err(|_| Error::OutsideRepo {
            dir: dir.clone(),
            repo: root.clone(),
        })?;
        let project_dir = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        Ok(Workspace { repo, project_dir })
    }

    /// Resolves a revision: a commit, or `None` for the working tree.
    pub fn resolve(&self, rev: &Rev) -> Result<Option<CommitId>, Error> {
        match rev {
            Rev::Worktree => Ok(None),
            Rev::Ref(r) => Ok(Some(self.repo.resolve(r)?)),
        }
    }

    /// Reads the project at a revision.
    pub fn project(&self, snapshot: &Snapshot, rev_name: &str) -> Result<Project, Error> {
        Project::read(snapshot, &self.project_dir, rev_name)
    }
}

/// One side of a comparison.
pub(crate) struct Side {
    pub project: Project,
    /// The packages read, the one holding `__version__` first.
    pub package: api::Found,
    pub files: Vec<SourceFile>,
    /// The package's other files (data, templates, `py.typed`) and their blob ids: they
    /// change the wheel, not the API, so only whether they changed matters.
    pub data: Vec<(String, git::BlobId)>,
    pub surface: Surface,
    pub warnings: Vec<api::Warning>,
}

/// Reads a revision's package and extracts its surface. `exclude` comes from the compared
/// revision's configuration, so both sides of a diff exclude the same modules.
pub(crate) fn read_side(
    snapshot: &Snapshot,
    project: Project,
    exclude: &globset::GlobSet,
) -> Result<Side, Error> {
    let all = snapshot.files_under(&project.dir);
    let package = api::package::locate_all(&project.dir, &project.hints, &all)?;
    let mut files = Vec::new();
    let mut data = Vec::new();
    for path in all.iter() {
        if package.holds(path) {
            if let Some(bytes) = snapshot.read(path)? {
                files.push(SourceFile {
                    path: path.clone(),
                    bytes,
                });
            }
        } else if is_package_data(&package, path)
            && let Some(id) = snapshot.blob_id(path)?
        {
            data.push((path.clone(), id));
        }
    }
    let (surface, warnings) = api::surface(&package, &files, exclude)?;
    Ok(Side {
        project,
        package,
        files,
        data,
        surface,
        warnings,
    })
}

/// A file inside the package directory that is not Python source: it ships in the wheel.
fn is_package_data(found: &api::Found, path: &str) -> bool {
    found.roots().any(|package| {
        !package.single_module
            && path
                .strip_prefix(package.path.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }) && !path.ends_with(".pyc")
        && !path.contains("/__pycache__/")
}

/// Whether two lists of files differ in any path or content.
fn files_differ(old: &[SourceFile], new: &[SourceFile]) -> bool {
    old.len() != new.len()
        || old
            .iter()
            .zip(new)
            .any(|(a, b)| a.path != b.path || a.bytes != b.bytes)
}

/// The exclude globs of a project's configuration.
pub(crate) fn exclude_set(config: &project::Config) -> Result<globset::GlobSet, Error> {
    config
        .exclude_set()
        .map_err(|e| Error::BadExclude(e.to_string()))
}

/// Says which packages were read and why, when that is not the obvious `src/<name>/`.
pub(crate) fn print_note(found: &api::Found, err: &mut dyn Write) {
    if found.worth_a_note() {
        let _ = writeln!(err, "note: {}", found.describe());
    }
}

/// Prints the warnings of a side (syntax errors that cannot change the surface) to stderr.
pub(crate) fn print_warnings<'a>(
    warnings: impl IntoIterator<Item = &'a api::Warning>,
    err: &mut dyn Write,
) {
    for w in warnings {
        let _ = writeln!(
            err,
            "warning: {}:{}:{}: {}",
            w.file, w.line, w.column, w.message
        );
    }
}

/// The base of a comparison: the revision and the version it released.
pub(crate) struct Base {
    pub name: String,
    pub commit: CommitId,
    /// The version of the release tag (or, for an explicit `--from`, the version declared there).
    pub version: Option<Version>,
}

/// Everything `diff`, `check` and `release` learn from comparing two revisions.
pub(crate) struct Comparison {
    pub base: Base,
    pub old: Side,
    pub new: Side,
    pub changes: Vec<Change>,
    pub required: Bump,
    pub policy: Policy,
    /// The version declared at the compared revision, when it is static and valid.
    pub declared: Option<Version>,
    /// Both sides' warnings and the version history's, sorted, each once.
    pub warnings: Vec<api::Warning>,
}

/// The compared revision, read once: `release` reuses it after the comparison.
pub(crate) struct Target {
    /// As the user named it (`HEAD`, `WORKTREE`).
    pub name: String,
    /// `None` for the working tree.
    pub commit: Option<CommitId>,
    pub snapshot: Snapshot,
    pub project: Project,
}

impl Target {
    pub fn read(ws: &Workspace, rev: &Rev) -> Result<Target, Error> {
        let commit = ws.resolve(rev)?;
        let snapshot = ws.repo.snapshot(commit)?;
        let project = ws.project(&snapshot, rev.name())?;
        Ok(Target {
            name: rev.name().to_owned(),
            commit,
            snapshot,
            project,
        })
    }
}

/// Compares `to` with `from`, or with the newest release tag reachable from it.
pub(crate) fn compare(
    ws: &Workspace,
    from: Option<&Rev>,
    to: &Target,
    err: &mut dyn Write,
) -> Result<Comparison, Error> {
    // The compared revision's configuration rules both sides: exclusions and overrides are
    // the project's current intent.
    let to_project = to.project.clone();
    let config = to_project.config.clone();
    let base = match from {
        Some(rev) => {
            let commit = match ws.resolve(rev)? {
                Some(c) => c,
                None => return Err(Error::WorktreeAsBase),
            };
            // `--from v1.2.0` names a release: its tag says the version.
            let version = git::version_part(&config.tag_format, rev.name())
                .into_iter()
                .find_map(|v| v.parse::<Version>().ok());
            Base {
                name: rev.name().to_owned(),
                commit,
                version,
            }
        }
        None => {
            let from = match to.commit {
                Some(c) => c,
                None => ws.repo.head()?,
            };
            let tag = ws
                .repo
                .newest_release_tag(&config.tag_format, from, &to.name, |s| {
                    s.parse::<Version>().ok()
                })?;
            Base {
                commit: ws.repo.resolve(&tag.name)?,
                name: tag.name,
                version: Some(tag.version),
            }
        }
    };
    let old_snapshot = ws.repo.snapshot(Some(base.commit))?;
    // The base's own problems name it: the user looks at the tag, not at HEAD.
    let at_base = |e: Error| match e {
        Error::Api(_) | Error::Config(_) => Error::AtRevision {
            rev: base.name.clone(),
            source: Box::new(e),
        },
        e => e,
    };
    let old_project = match ws.project(&old_snapshot, &base.name) {
        // A release from before the project had a pyproject.toml (setup.py era) is read from
        // its own setup.py and setup.cfg, completed from the compared revision.
        Ok(mut p) => {
            p.hints.configured = config.package.clone();
            p.completed_from(&to_project)
        }
        // Not even a setup.py: find the package as the compared revision does; the version
        // comes from the tag.
        Err(Error::Config(project::Error::Missing { .. })) => to_project.without_version(),
        Err(e) => return Err(at_base(e)),
    };
    let exclude = exclude_set(&config)?;
    // The two revisions are independent: extracting them side by side keeps both cores busy
    // through each side's single-threaded resolution step.
    let (old, new) = rayon::join(
        || read_side(&old_snapshot, old_project, &exclude),
        || read_side(&to.snapshot, to_project, &exclude),
    );
    let (old, new) = (old.map_err(at_base)?, new?);
    let pyproject = new.project.path("pyproject.toml");
    let packaging = diff::Packaging {
        old: &old.project.metadata,
        new: &new.project.metadata,
        file: &pyproject,
    };
    let changes = diff::diff_project(&old.surface, &new.surface, Some(&packaging), &config.rules);
    // A changed data file (templates, `py.typed`) makes a different wheel: patch, not none.
    let files_changed = files_differ(&old.files, &new.files)
        || old.data != new.data
        || old.project.project_table != new.project.project_table;
    let required = diff::required_bump(&changes, files_changed);
    let mut base = base;
    if base.version.is_none() {
        base.version = old.project.version().and_then(|v| v.parse().ok());
    }
    let declared = new.project.version().and_then(|v| v.parse().ok());
    let mut warnings: Vec<api::Warning> = old
        .warnings
        .iter()
        .chain(&new.warnings)
        .cloned()
        .chain(history_warnings(&base, &old.project, &new.project))
        .collect();
    warnings.sort();
    warnings.dedup();
    print_note(&new.package, err);
    print_warnings(&warnings, err);
    Ok(Comparison {
        base,
        old,
        new,
        changes,
        required,
        policy: Policy {
            major_on_zero: config.major_on_zero,
        },
        declared,
        warnings,
    })
}

/// A base tag newer than the version declared at that tag, or than the one declared at the
/// compared revision: the tags and the files tell two histories, and one of them is wrong.
fn history_warnings(base: &Base, old: &Project, new: &Project) -> Vec<api::Warning> {
    let Some(tagged) = &base.version else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    for (project, at) in [
        (old, format!("at `{}`", base.name)),
        (new, "now".to_owned()),
    ] {
        let Some((declared, line)) = project.declared_version() else {
            continue;
        };
        if project.dynamic_version() || &declared >= tagged {
            continue;
        }
        warnings.push(api::Warning {
            file: project.path("pyproject.toml"),
            line,
            column: 1,
            message: format!(
                "the tag `{}` says {tagged}, but pyproject.toml {at} declares {declared}; \
                 fix the tag or the version",
                base.name
            ),
        });
    }
    warnings
}

impl Comparison {
    /// The report of `diff` (and `check`, before its verdict).
    pub fn report(&self, to_name: &str) -> Report {
        let next = self.base.version.as_ref().map(|v| {
            version::next_release(v, self.declared.as_ref(), self.required, None, self.policy)
                .to_string()
        });
        Report {
            schema_version: 1,
            package: self.new.package.primary.import_name.clone(),
            from: self.base.name.clone(),
            to: to_name.to_owned(),
            current_version: self.base.version.as_ref().map(Version::to_string),
            declared_version: self.declared.as_ref().map(Version::to_string),
            required_bump: self.required,
            next_version: next,
            changes: self.changes.clone(),
            check: None,
            warnings: self.warnings.clone(),
            packages: self
                .new
                .package
                .roots()
                .map(|r| PackageRead {
                    name: r.import_name.clone(),
                    path: r.path.clone(),
                })
                .collect(),
        }
    }
}
