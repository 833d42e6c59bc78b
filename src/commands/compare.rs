//! Reading the two revisions of a comparison and classifying what changed between them: the
//! stages `diff`, `check` and `release` share, wired in one place.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use crate::api::{self, SourceFile, Surface};
use crate::diff::deprecation::{self, Since};
use crate::diff::{self, Change};
use crate::git::{self, CommitId, Repo, Snapshot};
use crate::options::Rev;
use crate::project::Project;
use crate::project::graph::Graph;
use crate::project::workspace::{self, Member, Members};
use crate::report::{PackageRead, Report};
use crate::version::pep440::Version;
use crate::version::{self, Bump, Policy};
use crate::{Error, project};

/// The repository and where the project sits in it.
pub(crate) struct Workspace {
    pub repo: Rc<Repo>,
    /// Repository-relative directory of pyproject.toml, `""` at the root.
    pub project_dir: String,
    /// The project is a member of a repository of several: what it inherits, and the other
    /// members' folders inside its own.
    member: Option<(Member, Rc<Members>)>,
    /// Revisions already read, shared by the members of one run: under `--all` every member
    /// reads the same `HEAD` and, mostly, the same tagged commit, and listing a large tree
    /// once per member would make the run quadratic.
    snapshots: Rc<RefCell<HashMap<Option<CommitId>, Rc<Snapshot>>>>,
    /// The facts cache, opened once a run and shared by the members, as the snapshots are:
    /// opening it reads every pack.
    facts: Rc<RefCell<Option<OpenedCache>>>,
}

/// The facts cache as a run opened it (`None`: off, or no folder to read).
type OpenedCache = (Cache, Option<Arc<api::FactsCache>>);

impl Workspace {
    /// A repository that is one project, at `project_dir`.
    fn one(repo: Repo, project_dir: String) -> Workspace {
        Workspace {
            repo: Rc::new(repo),
            project_dir,
            member: None,
            snapshots: Rc::default(),
            facts: Rc::default(),
        }
    }

    /// The one project a command works on: `--package NAME|DIR`, else the member whose folder
    /// holds the current directory, else the nearest pyproject.toml upwards.
    pub fn open(project: &crate::options::ProjectDir) -> Result<Workspace, Error> {
        let (repo, root, start) = open_repo(project)?;
        let members = workspace::discover(&root)?;
        let Some(members) = members else {
            let project_dir = nearest_project(project, &root, &start)?;
            return Ok(Workspace::one(repo, project_dir));
        };
        let named = project.select.as_deref().and_then(|s| members.find(s));
        let member = match named {
            Some(m) => Some(m.clone()),
            None if project.select.is_some() => {
                // A folder that is no member: read as a project of its own, as always.
                let project_dir = nearest_project(project, &root, &start)?;
                members.list.iter().find(|m| m.dir == project_dir).cloned()
            }
            None => members.containing(&relative(&root, &start)?).cloned(),
        };
        let Some(member) = member else {
            if project.select.is_some() {
                let project_dir = nearest_project(project, &root, &start)?;
                return Ok(Workspace::one(repo, project_dir));
            }
            return Err(Error::ChooseMember {
                found_by: members.source,
                listing: members.listing(),
            });
        };
        Ok(Workspace {
            repo: Rc::new(repo),
            project_dir: member.dir.clone(),
            member: Some((member, Rc::new(members))),
            snapshots: Rc::default(),
            facts: Rc::default(),
        })
    }

    /// Every member of the repository (`--all`), in name order; the one project when the
    /// repository has no members.
    pub fn open_all(project: &crate::options::ProjectDir) -> Result<Vec<Workspace>, Error> {
        let (repo, root, start) = open_repo(project)?;
        let Some(members) = workspace::discover(&root)? else {
            let project_dir = nearest_project(project, &root, &start)?;
            return Ok(vec![Workspace::one(repo, project_dir)]);
        };
        let repo = Rc::new(repo);
        let members = Rc::new(members);
        let snapshots = Rc::default();
        let facts = Rc::default();
        Ok(members
            .list
            .iter()
            .map(|m| Workspace {
                repo: Rc::clone(&repo),
                project_dir: m.dir.clone(),
                member: Some((m.clone(), Rc::clone(&members))),
                snapshots: Rc::clone(&snapshots),
                facts: Rc::clone(&facts),
            })
            .collect())
    }

    /// The files of a commit (`None`: the working tree), read once per run.
    pub fn snapshot(&self, commit: Option<CommitId>) -> Result<Rc<Snapshot>, Error> {
        if let Some(s) = self.snapshots.borrow().get(&commit) {
            return Ok(Rc::clone(s));
        }
        let snapshot = Rc::new(self.repo.snapshot(commit)?);
        self.snapshots
            .borrow_mut()
            .insert(commit, Rc::clone(&snapshot));
        Ok(snapshot)
    }

    /// The top-level folders of the repository that hold members (`packages` for
    /// `packages/invoice_rules`): never import roots. Empty for a repository of one project.
    pub fn member_folders(&self) -> Vec<String> {
        let Some((_, members)) = &self.member else {
            return Vec::new();
        };
        let mut out: Vec<String> = members
            .list
            .iter()
            .filter_map(|m| m.dir.split_once('/').map(|(top, _)| top.to_owned()))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The project's `[tool.bumpwise.imports]` over the repository root's, and the root's
    /// layout settings (`scripts`, `services`).
    pub fn imports_settings(&self, project: &Project) -> crate::imports::Settings {
        match &self.member {
            Some((_, members)) => {
                let mut s = project.config.imports.over(&members.imports);
                s.scripts = members.imports.scripts.clone();
                s.services = members.imports.services.clone();
                s
            }
            None => project.config.imports.clone(),
        }
    }

    /// The member's name, in a repository of several projects.
    pub fn member_name(&self) -> Option<&str> {
        self.member.as_ref().map(|(m, _)| m.name.as_str())
    }

    /// The members whose dependency on this one excludes its `next` version, as warnings on
    /// their pyproject.toml lines. Members that cannot be read say nothing here: their own
    /// diff reports why.
    pub fn dependents_outside(
        &self,
        snapshot: &Snapshot,
        rev_name: &str,
        next: &Version,
    ) -> Vec<api::Warning> {
        let Some((member, members)) = &self.member else {
            return Vec::new();
        };
        let mut projects = Vec::new();
        let mut this = None;
        for m in &members.list {
            let Ok(mut project) = Project::read(snapshot, &m.dir, rev_name) else {
                continue;
            };
            members.apply(m, &mut project);
            if m.dir == member.dir {
                this = Some(projects.len());
            }
            projects.push(project);
        }
        let Some(i) = this else {
            return Vec::new();
        };
        let graph = Graph::build(&projects);
        graph
            .outside(i, next)
            .into_iter()
            .map(|o| api::Warning {
                file: o.file.clone(),
                line: o.line,
                column: 1,
                message: crate::report::graph::outside_message(&o),
            })
            .collect()
    }

    /// Other members' folders inside this project's: their files are not this project's.
    pub fn nested(&self) -> Vec<String> {
        self.member
            .as_ref()
            .map(|(m, all)| all.nested_in(m))
            .unwrap_or_default()
    }

    /// Resolves a revision: a commit, or `None` for the working tree.
    pub fn resolve(&self, rev: &Rev) -> Result<Option<CommitId>, Error> {
        match rev {
            Rev::Worktree => Ok(None),
            Rev::Ref(r) => Ok(Some(self.repo.resolve(r)?)),
        }
    }

    /// What a command parses, with the repository's facts cache as `cache` says; call
    /// [`api::Parses::save`] when done. The cache lives in the common `.git`
    /// (`.git/bumpwise/cache`), so linked worktrees share it.
    pub fn parses(&self, cache: Cache) -> api::Parses {
        let mut slot = self.facts.borrow_mut();
        let opened = match &*slot {
            Some((mode, opened)) if *mode == cache => opened.clone(),
            _ => {
                let dir = self.repo.common_dir().join("bumpwise").join("cache");
                let opened = match cache {
                    Cache::Off => None,
                    Cache::Read => api::FactsCache::open(&dir, false).map(Arc::new),
                    Cache::ReadWrite => api::FactsCache::open(&dir, true).map(Arc::new),
                };
                *slot = Some((cache, opened.clone()));
                opened
            }
        };
        api::Parses::with_cache(opened)
    }

    /// Reads the project at a revision, with what a member inherits.
    pub fn project(&self, snapshot: &Snapshot, rev_name: &str) -> Result<Project, Error> {
        let mut project = Project::read(snapshot, &self.project_dir, rev_name)?;
        if let Some((member, members)) = &self.member {
            members.apply(member, &mut project);
        }
        Ok(project)
    }
}

/// How a command uses the facts cache (`api::Parses::with_cache`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cache {
    /// `--no-cache`.
    Off,
    /// `release`: it must leave the repository as it found it when it fails, so it writes
    /// nothing it does not undo.
    Read,
    ReadWrite,
}

impl Cache {
    /// `enabled` unless `--no-cache`; `writes` unless the command is a release.
    pub fn new(enabled: bool, writes: bool) -> Cache {
        match (enabled, writes) {
            (false, _) => Cache::Off,
            (true, false) => Cache::Read,
            (true, true) => Cache::ReadWrite,
        }
    }
}

/// The repository, its root, and the folder the command starts from (`--package DIR` or the
/// current directory), all canonical.
pub(crate) fn open_repo(
    project: &crate::options::ProjectDir,
) -> Result<(Repo, PathBuf, PathBuf), Error> {
    // `--package NAME` is a member's name, not a folder: start from the current directory.
    let dir = if project.dir.exists() {
        project.dir.clone()
    } else if project.select.is_some() {
        PathBuf::from(".")
    } else {
        project.dir.clone()
    };
    let dir = dir
        .canonicalize()
        .map_err(|_| Error::NoDirectory(project.dir.clone()))?;
    let repo = Repo::discover(project.repo.as_deref().unwrap_or(&dir))?;
    let root = repo
        .root()
        .canonicalize()
        .unwrap_or_else(|_| repo.root().to_path_buf());
    Ok((repo, root, dir))
}

/// `dir` relative to the repository root, with `/`.
fn relative(root: &Path, dir: &Path) -> Result<String, Error> {
    let relative = dir.strip_prefix(root).map_err(|_| Error::OutsideRepo {
        dir: dir.to_path_buf(),
        repo: root.to_path_buf(),
    })?;
    Ok(relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}

/// The project folder of a repository that is one project: `--package DIR`, or from a folder
/// inside the project the nearest pyproject.toml (or setup.cfg or setup.py, for a project
/// without one) up to the repository root.
fn nearest_project(
    project: &crate::options::ProjectDir,
    root: &Path,
    start: &Path,
) -> Result<String, Error> {
    if !project.dir.exists() {
        return Err(Error::NoDirectory(project.dir.clone()));
    }
    let dir = if project.search_up {
        start
            .ancestors()
            .take_while(|d| d.starts_with(root))
            .find(|d| {
                ["pyproject.toml", "setup.cfg", "setup.py"]
                    .iter()
                    .any(|f| d.join(f).is_file())
            })
            .unwrap_or(start)
    } else {
        start
    };
    relative(root, dir)
}

/// One side of a comparison.
pub(crate) struct Side {
    pub project: Project,
    /// The packages read, the one holding `__version__` first.
    pub package: api::Found,
    /// The package's Python files and their blob ids: their content is not kept past
    /// extraction (a Django-sized package's is 11 MB a side).
    pub files: Vec<(String, git::BlobId)>,
    /// The package's other files (data, templates, `py.typed`) and their blob ids: they
    /// change the wheel, not the API, so only whether they changed matters.
    pub data: Vec<(String, git::BlobId)>,
    pub surface: Surface,
    pub warnings: Vec<api::Warning>,
}

/// Reads a revision's package and extracts its surface. `exclude` comes from the compared
/// revision's configuration, so both sides of a diff exclude the same modules; `parses` holds
/// what an earlier revision already parsed.
pub(crate) fn read_side(
    snapshot: &Snapshot,
    project: Project,
    exclude: &globset::GlobSet,
    parses: &api::Parses,
) -> Result<Side, Error> {
    let read = read_package(snapshot, project, &git::SharedReads::default(), false)?;
    let built = api::surface(&read.package, &read.files, exclude, parses);
    // What parsed is kept even when the surface fails (a syntax error elsewhere).
    parses.save();
    read.into_side(built)
}

/// The two sides of a diff: read side by side (each snapshot has its own repository handle),
/// then extracted together, so that the files they share are parsed once. A file the two
/// share is read and held once too: the sides read in opposite orders and take what the
/// other read.
/// The base's errors go through `at_base`.
fn read_sides(
    old: (&Snapshot, Project),
    new: (&Snapshot, Project),
    exclude: &globset::GlobSet,
    parses: &api::Parses,
    at_base: impl Fn(Error) -> Error,
    at_target: impl Fn(Error) -> Error,
) -> Result<(Side, Side), Error> {
    let shared = git::SharedReads::default();
    let (old, new) = rayon::join(
        || read_package(old.0, old.1, &shared, false),
        || read_package(new.0, new.1, &shared, true),
    );
    drop(shared);
    let (old, new) = (old.map_err(&at_base)?, new.map_err(&at_target)?);
    let (old_built, new_built) = api::surfaces(
        (&old.package, &old.files),
        (&new.package, &new.files),
        exclude,
        parses,
    );
    // What parsed is kept even when a side fails (a syntax error in one file).
    parses.save();
    Ok((
        old.into_side(old_built).map_err(&at_base)?,
        new.into_side(new_built).map_err(&at_target)?,
    ))
}

/// A revision's package and its files, not yet extracted.
struct ReadPackage {
    project: Project,
    package: api::Found,
    files: Vec<SourceFile>,
    ids: Vec<(String, git::BlobId)>,
    data: Vec<(String, git::BlobId)>,
    /// Submodules inside the package: their code is not in this repository's objects.
    submodules: Vec<api::Warning>,
}

impl ReadPackage {
    fn into_side(self, built: api::exports::Built) -> Result<Side, Error> {
        let (surface, mut warnings) = built?;
        warnings.extend(self.submodules);
        Ok(Side {
            project: self.project,
            package: self.package,
            files: self.ids,
            data: self.data,
            surface,
            warnings,
        })
    }
}

/// A revision's package and its files, read (last first when `backwards`) through `shared`,
/// which another side may read beside it.
fn read_package(
    snapshot: &Snapshot,
    project: Project,
    shared: &git::SharedReads,
    backwards: bool,
) -> Result<ReadPackage, Error> {
    let all = snapshot.files_under(&project.dir);
    let package = api::package::locate_all(&project.dir, &project.hints, &all)?;
    let mut files = Vec::new();
    let mut ids = Vec::new();
    let mut data = Vec::new();
    let order: Box<dyn Iterator<Item = &String>> = if backwards {
        Box::new(all.iter().rev())
    } else {
        Box::new(all.iter())
    };
    for path in order {
        if package.holds(path) {
            if let Some((bytes, id)) = snapshot.read_shared(path, shared)? {
                files.push(SourceFile {
                    path: path.clone(),
                    bytes,
                    id: Some(id.bytes()),
                });
                ids.push((path.clone(), id));
            }
        } else if is_package_data(&package, path)
            && let Some(id) = snapshot.blob_id(path)?
        {
            data.push((path.clone(), id));
        }
    }
    if backwards {
        files.reverse();
        ids.reverse();
        data.reverse();
    }
    let submodules = package
        .roots()
        .filter(|root| !root.single_module)
        .flat_map(|root| snapshot.submodules_under(&root.path))
        .map(|path| api::Warning {
            file: path.to_owned(),
            line: 1,
            column: 1,
            message: "a git submodule inside the package: its code lives in another repository \
                      and is not read, so its API is not compared"
                .to_owned(),
        })
        .collect();
    Ok(ReadPackage {
        project,
        package,
        files,
        ids,
        data,
        submodules,
    })
}

/// A project with no API to diff (`api = false`: a service, an application): every file of its
/// folder, other members' folders aside, by blob id. A release is patch when one changed.
fn read_files_side(
    snapshot: &Snapshot,
    project: Project,
    nested: &[String],
) -> Result<Side, Error> {
    let mut data = Vec::new();
    for path in snapshot.files_under(&project.dir) {
        let theirs = nested.iter().any(|n| {
            path.strip_prefix(n.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        });
        if !theirs && let Some(id) = snapshot.blob_id(&path)? {
            data.push((path, id));
        }
    }
    let name = project.name.clone().unwrap_or_else(|| {
        project
            .dir
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned()
    });
    Ok(Side {
        package: api::Found {
            primary: api::PackageRoot {
                import_name: name,
                path: project.dir.clone(),
                single_module: false,
            },
            others: Vec::new(),
            source: api::package::Source::Configured,
        },
        project,
        files: Vec::new(),
        data,
        surface: Surface::default(),
        warnings: Vec::new(),
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
    /// Under `require-deprecation`: since when each removal deprecated at the base was
    /// deprecated, by path. Empty otherwise.
    pub since: BTreeMap<String, Since>,
}

/// The compared revision, read once: `release` reuses it after the comparison.
pub(crate) struct Target {
    /// As the user named it (`HEAD`, `WORKTREE`).
    pub name: String,
    /// `None` for the working tree.
    pub commit: Option<CommitId>,
    pub snapshot: Rc<Snapshot>,
    pub project: Project,
}

impl Target {
    pub fn read(ws: &Workspace, rev: &Rev) -> Result<Target, Error> {
        let commit = ws.resolve(rev)?;
        let snapshot = ws.snapshot(commit)?;
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
    cache: Cache,
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
    let old_snapshot = ws.snapshot(Some(base.commit))?;
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
    let (old_files, new_files): (&Snapshot, &Snapshot) = (&old_snapshot, &to.snapshot);
    // Most files are the same at both revisions (and at the older releases a deprecation
    // period reads): each is parsed once.
    let mut parses = ws.parses(cache);
    let (old, new) = if config.api {
        read_sides(
            (old_files, old_project),
            (new_files, to_project),
            &exclude,
            &parses,
            at_base,
            // A source error names the commit it is in; the working tree is what is on disk.
            |e: Error| match (e, to.commit) {
                (e @ Error::Api(_), Some(_)) => Error::AtTarget {
                    rev: to.name.clone(),
                    source: Box::new(e),
                },
                (e, _) => e,
            },
        )?
    } else {
        let nested = ws.nested();
        (
            read_files_side(&old_snapshot, old_project, &nested).map_err(at_base)?,
            read_files_side(&to.snapshot, to_project, &nested)?,
        )
    };
    if !config.require_deprecation {
        // Only the walk through older releases reads the parses again; the diff needs room.
        api::drop_later(std::mem::take(&mut parses));
    }
    let pyproject = new.project.path("pyproject.toml");
    let packaging = diff::Packaging {
        old: &old.project.metadata,
        new: &new.project.metadata,
        file: &pyproject,
    };
    let mut changes =
        diff::diff_project(&old.surface, &new.surface, Some(&packaging), &config.rules);
    let since = if config.require_deprecation && config.api {
        deprecation_history(
            ws,
            &base,
            &old.surface,
            &changes,
            &new.project,
            (&exclude, &parses),
            err,
        )?
    } else {
        BTreeMap::new()
    };
    deprecation::mark_since(&mut changes, &since);
    // A changed data file (templates, `py.typed`) makes a different wheel: patch, not none.
    let files_changed = old.files != new.files
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
    if let Some(previous) = &base.version {
        let next = version::next_release(
            previous,
            declared.as_ref(),
            required,
            None,
            Policy {
                major_on_zero: config.major_on_zero,
            },
        );
        if next != *previous {
            warnings.extend(ws.dependents_outside(&to.snapshot, &to.name, &next));
        }
    }
    warnings.sort();
    warnings.dedup();
    if config.api {
        print_note(&new.package, err);
    }
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
        since,
    })
}

/// Since when each removal deprecated at the base had been deprecated: the release tags before
/// the base, newest first, are read one by one (their surface extracted as the base's is) only
/// while some removal is still deprecated, and not at all when none was at the base. A release
/// that cannot be read ends the walk with a warning: the removal then counts fewer releases.
fn deprecation_history(
    ws: &Workspace,
    base: &Base,
    base_surface: &Surface,
    changes: &[Change],
    to_project: &Project,
    // The base's exclusions, and its parses: an older release shares most of its files.
    (exclude, parses): (&globset::GlobSet, &api::Parses),
    err: &mut dyn Write,
) -> Result<BTreeMap<String, Since>, Error> {
    let removals = deprecation::deprecated_removals(base_surface, changes);
    if removals.is_empty() {
        return Ok(BTreeMap::new());
    }
    let config = &to_project.config;
    let mut older = ws
        .repo
        .release_tags(&config.tag_format, Some(base.commit), |s| {
            s.parse::<Version>().ok()
        })?;
    // The base itself, and a second name for a release already counted (`v1.2.0`, `1.2.0`).
    let mut seen = vec![base.commit];
    older.retain(|t| {
        let fresh =
            !seen.contains(&t.commit) && base.version.as_ref().is_none_or(|v| t.version < *v);
        seen.push(t.commit);
        fresh
    });
    let labels: Vec<String> = older.iter().map(|t| t.version.to_string()).collect();
    let base_label = base
        .version
        .as_ref()
        .map_or_else(|| base.name.clone(), Version::to_string);
    let read = |i: usize| -> Result<Option<Surface>, Error> {
        let tag = &older[i];
        let surface = ws.snapshot(Some(tag.commit)).and_then(|snapshot| {
            let project = match ws.project(&snapshot, &tag.name) {
                Ok(mut p) => {
                    p.hints.configured = config.package.clone();
                    p.completed_from(to_project)
                }
                Err(Error::Config(project::Error::Missing { .. })) => to_project.without_version(),
                Err(e) => return Err(e),
            };
            read_side(&snapshot, project, exclude, parses).map(|side| side.surface)
        });
        match surface {
            Ok(surface) => Ok(Some(surface)),
            Err(e) => {
                let _ = writeln!(
                    err,
                    "warning: cannot read `{}` to tell since when removals were deprecated ({e}); \
                     counting the releases after it only",
                    tag.name
                );
                Ok(None)
            }
        }
    };
    deprecation::since(&base_label, &removals, &labels, read)
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
            member: None,
            imports: None,
        }
    }
}
