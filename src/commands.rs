//! One function per subcommand: the only code that wires the modules together.
//!
//! The flow follows the data: git reads each revision's files, api extracts each surface, diff
//! classifies, version computes the next version, report renders, release writes.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::api::{self, SourceFile, Surface};
use crate::config::{self, Project};
use crate::diff::{self, Change};
use crate::git::{self, CommitId, Repo, Snapshot};
use crate::options::{ApiOptions, DiffOptions, Options, Rev};
use crate::report::{self, Format, Report, Verdict};
use crate::version::pep440::{PreKind, Version};
use crate::version::{self, Bump, Policy};
use crate::{Error, ExitStatus};

mod demo;
mod release;

/// Runs a validated command.
pub fn run(
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    match options {
        Options::Diff(o) => {
            let report = compare(&o, err)?;
            render(&report, o.format, o.color, out)?;
            Ok(ExitStatus::Success)
        }
        Options::Check(o) => check(&o, out, err),
        Options::Api(o) => api_command(&o, out, err),
        Options::Release(o) => release::run(&o, out, err),
        Options::Demo { color } => demo::run(color, out, err),
    }
}

/// The repository and where the project sits in it.
pub(crate) struct Workspace {
    pub repo: Repo,
    /// Repository-relative directory of pyproject.toml, `""` at the root.
    pub project_dir: String,
}

impl Workspace {
    pub fn open(project: &crate::options::Project) -> Result<Workspace, Error> {
        let dir = project
            .dir
            .canonicalize()
            .map_err(|_| Error::NoDirectory(project.dir.clone()))?;
        let repo = Repo::discover(project.repo.as_deref().unwrap_or(&dir))?;
        let root = repo
            .root()
            .canonicalize()
            .unwrap_or_else(|_| repo.root().to_path_buf());
        // From a folder inside the project, the nearest pyproject.toml up to the repository
        // root is the project's.
        let dir = if project.search_up {
            dir.ancestors()
                .take_while(|d| d.starts_with(&root))
                .find(|d| d.join("pyproject.toml").is_file())
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

    pub fn path(&self, file: &str) -> String {
        if self.project_dir.is_empty() {
            file.to_owned()
        } else {
            format!("{}/{file}", self.project_dir)
        }
    }

    /// Resolves a revision: a commit, or `None` for the working tree.
    pub fn resolve(&self, rev: &Rev) -> Result<Option<CommitId>, Error> {
        match rev {
            Rev::Worktree => Ok(None),
            Rev::Ref(r) => Ok(Some(self.repo.resolve(r)?)),
        }
    }

    /// Reads pyproject.toml at a revision.
    pub fn project(&self, snapshot: &Snapshot, rev_name: &str) -> Result<Project, Error> {
        let path = self.path("pyproject.toml");
        let bytes = snapshot.read(&path)?.ok_or_else(|| Error::NoPyproject {
            path: path.clone(),
            rev: rev_name.to_owned(),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| Error::PyprojectNotUtf8(path.clone()))?;
        let mut project = config::load(&path, &text)?;
        if project.name.is_none()
            && let Some(cfg) = snapshot.read(&self.path("setup.cfg"))?
        {
            project.name = config::setup_cfg_name(&String::from_utf8_lossy(&cfg));
            project.hints.project_name = project.name.clone();
        }
        Ok(project)
    }
}

/// One side of a comparison.
pub(crate) struct Side {
    pub project: Project,
    pub package: api::PackageRoot,
    pub files: Vec<SourceFile>,
    pub surface: Surface,
    pub warnings: Vec<api::Warning>,
}

/// Reads a revision's package and extracts its surface. `exclude` comes from the compared
/// revision's configuration, so both sides of a diff exclude the same modules.
pub(crate) fn read_side(
    project_dir: &str,
    snapshot: &Snapshot,
    project: Project,
    exclude: &globset::GlobSet,
) -> Result<Side, Error> {
    let all = snapshot.files_under(project_dir);
    let package = api::package::locate(project_dir, &project.hints, &all)?;
    let files = read_package_files(snapshot, &package, &all)?;
    let (surface, warnings) = api::surface(&package, &files, exclude)?;
    Ok(Side {
        project,
        package,
        files,
        surface,
        warnings,
    })
}

fn exclude_set(config: &config::Config) -> Result<globset::GlobSet, Error> {
    config
        .exclude_set()
        .map_err(|e| Error::BadExclude(e.to_string()))
}

fn read_package_files(
    snapshot: &Snapshot,
    package: &api::PackageRoot,
    all: &[String],
) -> Result<Vec<SourceFile>, Error> {
    let prefix = format!("{}/", package.path);
    let mut files = Vec::new();
    for path in all {
        let wanted = if package.single_module {
            path == &package.path || path == &format!("{}i", package.path)
        } else {
            path.starts_with(&prefix) && (path.ends_with(".py") || path.ends_with(".pyi"))
        };
        if wanted && let Some(bytes) = snapshot.read(path)? {
            files.push(SourceFile {
                path: path.clone(),
                bytes,
            });
        }
    }
    Ok(files)
}

/// The base of a comparison: the revision and the version it released.
pub(crate) struct Base {
    pub name: String,
    pub commit: CommitId,
    /// The version of the release tag (or, for an explicit `--from`, the version declared there).
    pub version: Option<Version>,
}

/// The newest release tag reachable from `to` (HEAD when `to` is the working tree).
pub(crate) fn find_base(
    ws: &Workspace,
    config: &config::Config,
    to: Option<CommitId>,
    to_name: &str,
) -> Result<Base, Error> {
    let from = match to {
        Some(c) => c,
        None => ws.repo.head()?,
    };
    let tags = ws.repo.release_tags(&config.tag_format, Some(from), |s| {
        s.parse::<Version>().ok()
    })?;
    match tags.into_iter().next() {
        Some(tag) => Ok(Base {
            commit: ws.repo.resolve(&tag.name)?,
            name: tag.name,
            version: Some(tag.version),
        }),
        None => Err(git::Error::NoReleaseTag {
            to: to_name.to_owned(),
            patterns: git::describe_format(&config.tag_format),
            shallow: ws.repo.is_shallow(),
        }
        .into()),
    }
}

/// Everything `diff`, `check` and `release` learn from comparing two revisions.
pub(crate) struct Comparison {
    pub base: Base,
    pub old: Side,
    pub new: Side,
    pub changes: Vec<Change>,
    pub required: Bump,
    pub policy: Policy,
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

pub(crate) fn compare_revs(
    ws: &Workspace,
    from: Option<&Rev>,
    to: &Target,
    err: &mut dyn Write,
) -> Result<Comparison, Error> {
    let (to_commit, to_snapshot) = (to.commit, &to.snapshot);
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
        None => find_base(ws, &config, to_commit, &to.name)?,
    };
    let old_snapshot = ws.repo.snapshot(Some(base.commit))?;
    let old_project = match ws.project(&old_snapshot, &base.name) {
        Ok(mut p) => {
            p.hints.configured = config.package.clone();
            p
        }
        // A release from before the project had a pyproject.toml (setup.py era): find the
        // package as the compared revision does; the version comes from the tag.
        Err(Error::NoPyproject { .. }) => Project {
            version: None,
            dynamic_version: false,
            project_table: String::new(),
            ..to_project.clone()
        },
        Err(e) => return Err(e),
    };
    let exclude = exclude_set(&config)?;
    // The two revisions are independent: extracting them side by side keeps both cores busy
    // through each side's single-threaded resolution step.
    let project_dir = ws.project_dir.as_str();
    let (old, new) = rayon::join(
        || read_side(project_dir, &old_snapshot, old_project, &exclude),
        || read_side(project_dir, to_snapshot, to_project, &exclude),
    );
    let (old, new) = (old?, new?);
    for w in old.warnings.iter().chain(&new.warnings) {
        let _ = writeln!(
            err,
            "warning: {}:{}:{}: {}",
            w.file, w.line, w.column, w.message
        );
    }
    let changes = diff::diff(&old.surface, &new.surface, &config.rules);
    let files_changed = old.files.len() != new.files.len()
        || old
            .files
            .iter()
            .zip(&new.files)
            .any(|(a, b)| a.path != b.path || a.bytes != b.bytes)
        || old.project.project_table != new.project.project_table;
    let required = diff::required_bump(&changes, files_changed);
    let mut base = base;
    if base.version.is_none() {
        base.version = old.project.version.as_deref().and_then(|v| v.parse().ok());
    }
    Ok(Comparison {
        base,
        old,
        new,
        changes,
        required,
        policy: Policy {
            major_on_zero: config.major_on_zero,
        },
    })
}

fn compare(o: &DiffOptions, err: &mut dyn Write) -> Result<Report, Error> {
    let ws = Workspace::open(&o.project)?;
    let c = compare_revs(&ws, o.from.as_ref(), &Target::read(&ws, &o.to)?, err)?;
    let report = build_report(&c, o.to.name());
    // Two whole surfaces are hundreds of thousands of small allocations, and the process is
    // about to exit: freeing them one by one costs a tenth of a large diff's time.
    std::mem::forget(c);
    Ok(report)
}

fn build_report(c: &Comparison, to_name: &str) -> Report {
    let next = c
        .base
        .version
        .as_ref()
        .map(|v| version::next_version(v, c.required, None, c.policy).to_string());
    let mut warnings: Vec<api::Warning> = c
        .old
        .warnings
        .iter()
        .chain(&c.new.warnings)
        .cloned()
        .collect();
    warnings.sort();
    warnings.dedup();
    Report {
        schema_version: 1,
        package: c.new.package.import_name.clone(),
        from: c.base.name.clone(),
        to: to_name.to_owned(),
        current_version: c.base.version.as_ref().map(Version::to_string),
        required_bump: c.required,
        next_version: next,
        changes: c.changes.clone(),
        check: None,
        warnings,
    }
}

fn render(report: &Report, format: Format, color: bool, out: &mut dyn Write) -> Result<(), Error> {
    match format {
        Format::Text => report::text::render(report, out, color),
        Format::Json => report::json::render(report, out),
        Format::Markdown => report::markdown::render(report, out),
        Format::Github => report::github::render(report, out),
    }
    .map_err(Error::Output)
}

fn check(o: &DiffOptions, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus, Error> {
    let ws = Workspace::open(&o.project)?;
    let c = compare_revs(&ws, o.from.as_ref(), &Target::read(&ws, &o.to)?, err)?;
    let mut report = build_report(&c, o.to.name());
    let declared_text = match (&c.new.project.version, c.new.project.dynamic_version) {
        (Some(v), _) => v.clone(),
        (None, true) => {
            return Err(Error::DynamicVersionCheck(ws.path("pyproject.toml")));
        }
        (None, false) => return Err(Error::NoDeclaredVersion(ws.path("pyproject.toml"))),
    };
    let declared: Version = declared_text.parse().map_err(|e| Error::BadVersion {
        file: ws.path("pyproject.toml"),
        source: e,
    })?;
    let verdict = verdict(&c, &declared);
    let passed = verdict.passed;
    report.check = Some(verdict);
    render(&report, o.format, o.color, out)?;
    if o.format == Format::Github {
        write_step_summary(&report)?;
    }
    // In GitHub Actions, later steps read the verdict from the step's outputs, whatever the format.
    let config = &c.new.project.config;
    write_github_output(&[
        ("bump", c.required.as_str().to_owned()),
        ("version", declared.to_string()),
        (
            "previous_version",
            report.current_version.clone().unwrap_or_default(),
        ),
        (
            "next_version",
            report.next_version.clone().unwrap_or_default(),
        ),
        ("tag", config.tag_for(&declared.to_string())),
        ("released", "false".to_owned()),
        ("passed", passed.to_string()),
    ])?;
    Ok(if passed {
        ExitStatus::Success
    } else {
        ExitStatus::UnderBumped
    })
}

/// The gate's decision: API-RULES.md section 4.
fn verdict(c: &Comparison, declared: &Version) -> Verdict {
    let breaking = c.changes.iter().filter(|ch| ch.bump == Bump::Major).count();
    let required_text = match c.required {
        Bump::Major => format!(
            "major ({breaking} breaking change{})",
            if breaking == 1 { "" } else { "s" }
        ),
        other => other.as_str().to_owned(),
    };
    let Some(base) = &c.base.version else {
        return Verdict {
            passed: false,
            declared_version: Some(declared.to_string()),
            declared_bump: None,
            message: format!(
                "`{}` declares no version to compare with; tag the release or pass a release tag to `--from`",
                c.base.name
            ),
        };
    };
    // The tag says which version was released; the file at the tag must agree, or the base is
    // ambiguous.
    if let Some(at_base) = c
        .old
        .project
        .version
        .as_deref()
        .and_then(|v| v.parse::<Version>().ok())
        && &at_base != base
        && !c.old.project.dynamic_version
    {
        return Verdict {
            passed: false,
            declared_version: Some(declared.to_string()),
            declared_bump: None,
            message: format!(
                "the tag `{}` says {base}, but pyproject.toml at that tag declares {at_base}; fix the tag or pass `--from`",
                c.base.name
            ),
        };
    }
    let next = version::next_version(base, c.required, None, c.policy);
    let declared_bump = version::declared_bump(base, declared, c.policy);
    let passed = version::covers(base, declared, c.required, c.policy);
    let message = match declared_bump {
        None => format!(
            "the version went backwards: declared {declared} is lower than the last release {base}; set version to {next}"
        ),
        Some(b) if passed => format!(
            "required: {required_text}; declared {base} -> {declared} is {}; ok",
            b.as_str()
        ),
        Some(b) => format!(
            "required: {required_text}; declared {base} -> {declared} is {}; set version to {next}",
            b.as_str()
        ),
    };
    Verdict {
        passed,
        declared_version: Some(declared.to_string()),
        declared_bump,
        message,
    }
}

/// Appends the Markdown report to `$GITHUB_STEP_SUMMARY` when GitHub Actions sets it.
fn write_step_summary(report: &Report) -> Result<(), Error> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut text = Vec::new();
    report::markdown::render(report, &mut text).map_err(Error::Output)?;
    append(Path::new(&path), &text)
}

/// Writes `key=value` lines to `$GITHUB_OUTPUT` when GitHub Actions sets it.
pub(crate) fn write_github_output(pairs: &[(&str, String)]) -> Result<(), Error> {
    let Some(path) = std::env::var_os("GITHUB_OUTPUT").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut text = String::new();
    for (k, v) in pairs {
        text.push_str(&format!("{k}={v}\n"));
    }
    append(Path::new(&path), text.as_bytes())
}

fn append(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::WriteFile {
            path: PathBuf::from(path),
            source: e,
        })?;
    f.write_all(bytes).map_err(|e| Error::WriteFile {
        path: PathBuf::from(path),
        source: e,
    })
}

fn api_command(
    o: &ApiOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let ws = Workspace::open(&o.project)?;
    let commit = ws.resolve(&o.rev)?;
    let snapshot = ws.repo.snapshot(commit)?;
    let project = ws.project(&snapshot, o.rev.name())?;
    let exclude = exclude_set(&project.config)?;
    let side = read_side(&ws.project_dir, &snapshot, project, &exclude)?;
    for w in &side.warnings {
        let _ = writeln!(
            err,
            "warning: {}:{}:{}: {}",
            w.file, w.line, w.column, w.message
        );
    }
    if o.json {
        report::surface::render_json(&side.surface, out)
    } else {
        report::surface::render_text(&side.surface, out)
    }
    .map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}

/// Parses `--pre`.
pub(crate) fn pre_kind(s: &str) -> Result<PreKind, Error> {
    match s {
        "a" | "alpha" => Ok(PreKind::Alpha),
        "b" | "beta" => Ok(PreKind::Beta),
        "rc" | "c" => Ok(PreKind::Rc),
        _ => Err(Error::BadPre(s.to_owned())),
    }
}
