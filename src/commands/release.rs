//! `bumpwise release`: decide the version, plan every edit, check everything, then apply.

use std::io::Write;

use super::{Target, Workspace, compare_revs, pre_kind, write_github_output};
use crate::diff::{Change, ChangeKind};
use crate::options::ReleaseOptions;
use crate::release::{self, FileEdit, Plan, Preflight};
use crate::version::pep440::Version;
use crate::version::pyproject::{self, SourceKind};
use crate::version::{self, Bump, Policy};
use crate::{Error, ExitStatus, changelog};

pub(super) fn run(
    o: &ReleaseOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let ws = Workspace::open(&o.project)?;
    let head = ws.repo.head()?;
    // HEAD is read once: for its version and settings, the comparison, and the version files.
    let snapshot = ws.repo.snapshot(Some(head))?;
    let target = Target {
        name: "HEAD".to_owned(),
        commit: Some(head),
        project: ws.project(&snapshot, "HEAD")?,
        snapshot,
    };
    let (head_snapshot, project) = (&target.snapshot, &target.project);
    let config = project.config.clone();
    let policy = Policy {
        major_on_zero: config.major_on_zero,
    };
    let pre = o.pre.as_deref().map(pre_kind).transpose()?;

    // A retry after a half-failed CI job must not fail on "tag exists".
    if let Some(tag) = ws
        .repo
        .release_tags(&config.tag_format, Some(head), |s| {
            s.parse::<Version>().ok()
        })?
        .into_iter()
        .find(|t| ws.repo.tag_target(&t.name) == Some(head))
    {
        writeln!(
            out,
            "already released: `HEAD` is tagged `{}`; nothing to do",
            tag.name
        )
        .map_err(Error::Output)?;
        write_github_output(&[
            ("bump", Bump::None.as_str().to_owned()),
            ("version", tag.version.to_string()),
            ("tag", tag.name.clone()),
            ("released", "false".to_owned()),
        ])?;
        return Ok(ExitStatus::Success);
    }

    let declared = match &project.version {
        Some(v) => Some(v.parse::<Version>().map_err(|e| Error::BadVersion {
            file: ws.path("pyproject.toml"),
            source: e,
        })?),
        None => None,
    };

    // What the release is: (previous version, bump, changes, base commit).
    let (previous, bump, changes, base_commit, base_name, package_name) = if o.first {
        (
            None,
            Bump::None,
            Vec::new(),
            None,
            None,
            project.name.clone().unwrap_or_default(),
        )
    } else {
        let c = match compare_revs(&ws, None, &target, err) {
            Err(Error::Git(crate::git::Error::NoReleaseTag { .. })) => {
                return Err(Error::NoTagForRelease);
            }
            // A package that does not parse cannot be released, but the other checks still
            // run, so that every problem is reported at once.
            Err(e @ Error::Api(_)) => {
                let mut problems = vec![release::Problem {
                    message: e.to_string(),
                    hint: e.hint(),
                }];
                problems.extend(release::preflight(
                    &ws.repo,
                    &Preflight {
                        allow_dirty: o.allow_dirty,
                        need_commit: o.commit,
                        ..Preflight::default()
                    },
                ));
                return Err(Error::Refused(problems));
            }
            other => other?,
        };
        let required = c.required;
        let bump = match o.bump {
            Some(asked) if asked < required => {
                return Err(Error::BumpTooLow {
                    asked,
                    required,
                    reason: c
                        .changes
                        .iter()
                        .find(|ch| ch.bump == required)
                        .map(|ch| ch.message.clone())
                        .unwrap_or_default(),
                });
            }
            Some(asked) => asked,
            None => required,
        };
        if bump == Bump::None && pre.is_none() {
            writeln!(
                out,
                "nothing to release: no changes in `{}` since `{}`",
                c.new.package.import_name, c.base.name
            )
            .map_err(Error::Output)?;
            let previous = c.base.version.as_ref().map(Version::to_string);
            write_github_output(&[
                ("bump", Bump::None.as_str().to_owned()),
                ("version", previous.clone().unwrap_or_default()),
                ("previous_version", previous.unwrap_or_default()),
                ("tag", c.base.name.clone()),
                ("released", "false".to_owned()),
            ])?;
            return Ok(ExitStatus::Success);
        }
        (
            c.base.version.clone(),
            bump,
            c.changes,
            Some(c.base.commit),
            Some(c.base.name.clone()),
            c.new.package.import_name.clone(),
        )
    };

    let next = match (&previous, &declared) {
        (None, Some(d)) => d.clone(),
        (None, None) => return Err(Error::NoVersionToTag(ws.path("pyproject.toml"))),
        (Some(prev), declared) => {
            let computed = version::next_version(prev, bump, pre, policy);
            // A version the team already raised by hand wins when it covers the bump.
            match declared {
                Some(d) if pre.is_none() && d > prev && version::covers(prev, d, bump, policy) => {
                    d.clone()
                }
                _ => computed,
            }
        }
    };
    if let Some(prev) = &previous
        && &next <= prev
    {
        return Err(Error::Backwards {
            previous: prev.to_string(),
            next: next.to_string(),
        });
    }
    let next_text = next.to_string();
    let tag = config.tag_for(&next_text);

    // Plan every edit before touching anything.
    let mut problems: Vec<release::Problem> = Vec::new();
    let mut edits: Vec<FileEdit> = Vec::new();
    if !project.dynamic_version {
        match version_edits(&ws, head_snapshot, project, &next_text) {
            Ok(mut e) => edits.append(&mut e),
            // setuptools-scm and friends: the tag is the version.
            Err(Error::Version(pyproject::Error::DynamicVersion { .. })) => {}
            Err(e) => problems.push(release::Problem {
                message: e.to_string(),
                hint: e.hint(),
            }),
        }
    }
    if let Some(path) = &config.changelog {
        let path = ws.path(path);
        let existing = read_worktree(&ws, &path)?;
        let subjects = match base_commit {
            Some(b) => ws.repo.commit_subjects(b, head)?,
            None => Vec::new(),
        };
        let today = changelog::today();
        let input = entry_input(&next_text, &today, &changes, subjects);
        let entry = changelog::render_entry(&input);
        let after = changelog::insert(
            existing.as_deref(),
            &entry,
            changelog::UnreleasedInto::Sections,
        );
        edits.push(FileEdit {
            path,
            before: existing,
            after,
        });
    }
    let commit_message = o.commit.then(|| {
        config
            .release_commit_message
            .replace("{version}", &next_text)
    });
    let plan = Plan {
        version: next_text.clone(),
        previous_version: previous.as_ref().map(Version::to_string),
        edits,
        commit_message,
        tag: o
            .tag
            .then(|| (tag.clone(), format!("{package_name} {next_text}"))),
    };
    problems.extend(release::preflight(
        &ws.repo,
        &Preflight {
            allow_dirty: o.allow_dirty,
            need_commit: o.commit,
            tag: plan.tag.as_ref().map(|t| t.0.clone()),
            base_tag: base_name.clone(),
        },
    ));

    let headline = match &plan.previous_version {
        Some(p) => format!("{package_name} {p} -> {next_text} ({bump})"),
        None => format!("{package_name} {next_text} (first release)"),
    };
    if o.dry_run {
        writeln!(out, "Would release {headline}\n").map_err(Error::Output)?;
        release::render_dry_run(&plan, out, o.color).map_err(Error::Output)?;
        if !problems.is_empty() {
            return Err(Error::Refused(problems));
        }
        writeln!(out, "\nDry run: nothing was changed.").map_err(Error::Output)?;
        return Ok(ExitStatus::Success);
    }
    if !problems.is_empty() {
        return Err(Error::Refused(problems));
    }
    if o.interactive && !o.yes {
        writeln!(out, "Releasing {headline}\n").map_err(Error::Output)?;
        release::render_dry_run(&plan, out, o.color).map_err(Error::Output)?;
        write!(err, "\nRelease {next_text}? [y/N] ").map_err(Error::Output)?;
        let answer = console::Term::stderr().read_line().unwrap_or_default();
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            writeln!(out, "Aborted: nothing was changed.").map_err(Error::Output)?;
            return Ok(ExitStatus::Success);
        }
    }
    release::apply(&ws.repo, &plan)?;
    let branch = ws.repo.head_branch()?.unwrap_or_else(|| "HEAD".to_owned());
    match (&plan.commit_message, &plan.tag) {
        (Some(_), Some((t, _))) => {
            writeln!(out, "Released {headline}: committed and tagged `{t}`.")
                .map_err(Error::Output)?;
            writeln!(out, "Push it with: git push origin {branch} {t}").map_err(Error::Output)?;
        }
        (Some(m), None) => {
            writeln!(out, "Committed `{m}` (no tag).").map_err(Error::Output)?;
        }
        _ => {
            writeln!(
                out,
                "Wrote the release files for {next_text}; nothing was committed."
            )
            .map_err(Error::Output)?;
        }
    }
    write_github_output(&[
        ("bump", bump.as_str().to_owned()),
        ("version", next_text.clone()),
        (
            "previous_version",
            plan.previous_version.clone().unwrap_or_default(),
        ),
        (
            "tag",
            plan.tag.as_ref().map(|t| t.0.clone()).unwrap_or_default(),
        ),
        ("released", "true".to_owned()),
    ])?;
    Ok(ExitStatus::Success)
}

fn read_worktree(ws: &Workspace, path: &str) -> Result<Option<String>, Error> {
    let full = ws.repo.root().join(path);
    match std::fs::read(&full) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| Error::FileNotUtf8(path.to_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::ReadFile {
            path: full,
            source: e,
        }),
    }
}

/// The edits that set every version source to `next`. Sources that disagree are an error.
/// The package is located at `HEAD` (already read, and what the release commits); the files
/// are read from the working tree, which is what gets written.
fn version_edits(
    ws: &Workspace,
    head: &crate::git::Snapshot,
    project: &crate::config::Project,
    next: &str,
) -> Result<Vec<FileEdit>, Error> {
    let pyproject_path = ws.path("pyproject.toml");
    let pyproject_text = read_worktree(ws, &pyproject_path)?.unwrap_or_default();
    let all = head.files_under(&ws.project_dir);
    let package = crate::api::package::locate(&ws.project_dir, &project.hints, &all)?;
    let mut candidates = pyproject::dunder_candidates(&package.path, package.single_module);
    if let Some(p) = pyproject::hatch_version_path(&pyproject_text) {
        candidates.push(ws.path(&p));
    }
    let mut package_files = Vec::new();
    for path in candidates {
        if let Some(text) = read_worktree(ws, &path)? {
            package_files.push((path, text));
        }
    }
    let mut extra_files = Vec::new();
    for f in &project.config.version_files {
        let path = ws.path(f);
        match read_worktree(ws, &path)? {
            Some(text) => extra_files.push((path, text)),
            None => return Err(Error::MissingVersionFile(path)),
        }
    }
    let sources = pyproject::find_sources(
        &pyproject_path,
        &pyproject_text,
        &package_files,
        &extra_files,
    )?;
    let mut edits: Vec<FileEdit> = Vec::new();
    for source in sources {
        if edits.iter().any(|e| e.path == source.file) {
            continue;
        }
        let before = if source.file == pyproject_path {
            pyproject_text.clone()
        } else {
            package_files
                .iter()
                .chain(&extra_files)
                .find(|(p, _)| p == &source.file)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        };
        let after = match source.kind {
            SourceKind::ProjectTable | SourceKind::Poetry => {
                pyproject::set_pyproject_version(&before, next)
                    .map_err(|e| e.with_file(&source.file))?
            }
            SourceKind::Dunder => pyproject::set_dunder_version(&before, next)
                .map_err(|e| e.with_file(&source.file))?,
        };
        edits.push(FileEdit {
            path: source.file.clone(),
            before: Some(before),
            after,
        });
    }
    Ok(edits)
}

/// Plain-words changelog lines from the API changes.
fn entry_input<'a>(
    version: &'a str,
    date: &'a str,
    changes: &[Change],
    commits: Vec<String>,
) -> changelog::EntryInput<'a> {
    let mut input = changelog::EntryInput {
        version,
        date,
        breaking: Vec::new(),
        added: Vec::new(),
        deprecated: Vec::new(),
        changed: Vec::new(),
        commits,
    };
    for ch in changes {
        let line = changelog_line(ch);
        match (ch.kind, ch.bump) {
            (ChangeKind::NameDeprecated | ChangeKind::NameServedByGetattr, _) => {
                input.deprecated.push(line)
            }
            (_, Bump::Major) => input.breaking.push(line),
            (_, Bump::Minor) => input.added.push(line),
            _ => input.changed.push(line),
        }
    }
    input
}

fn changelog_line(ch: &Change) -> String {
    let mut line = upper_first(&ch.message);
    if let Some(to) = &ch.moved_to
        && !line.contains(to.as_str())
    {
        line.push_str(&format!(" (now at `{to}`)"));
    }
    line
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
