//! `bumpwise release`: compare with the last release, plan, check, show, then apply.

use std::io::Write;

use super::ci::write_github_output;
use super::compare::{self, Target, Workspace};
use crate::api::package;
use crate::options::ReleaseOptions;
use crate::project::Changelog;
use crate::release::{self, Basis, Input, Outcome, Planned, Preflight};
use crate::report::release::{render_applied, render_dry_run};
use crate::version::Bump;
use crate::version::pep440::Version;
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
    let project = &target.project;

    // A retry after a half-failed CI job must not fail on "tag exists".
    if let Some(tag) = release::already_released(&ws.repo, &project.config.tag_format)? {
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

    // A version literal in setup.py or setup.cfg would be left behind.
    project.check_releasable()?;
    let declared = match project.version() {
        Some(v) => Some(v.parse::<Version>().map_err(|e| Error::BadVersion {
            file: project.path("pyproject.toml"),
            source: e,
        })?),
        None => None,
    };
    let preflight = |tag: Option<String>, base_tag: Option<String>| {
        release::preflight(
            &ws.repo,
            &Preflight {
                allow_dirty: o.allow_dirty,
                need_commit: o.request.commit,
                tag,
                base_tag,
            },
        )
    };

    let comparison = if o.first {
        None
    } else {
        match compare::compare(&ws, None, &target, err) {
            Err(Error::Git(crate::git::Error::NoReleaseTag { .. })) => {
                return Err(Error::NoTagForRelease);
            }
            // A package that does not parse cannot be released, but the other checks still
            // run, so that every problem is reported at once.
            Err(e @ (Error::Api(_) | Error::AtRevision { .. })) => {
                let mut problems = vec![release::Problem::from(&e)];
                problems.extend(preflight(None, None));
                return Err(Error::Refused(problems));
            }
            other => Some(other?),
        }
    };
    let files = target.snapshot.files_under(&project.dir);
    // The package at HEAD holds `__version__`: the comparison found it already.
    let located;
    let package = match &comparison {
        Some(c) => Ok(&c.new.package.primary),
        None => {
            located = package::locate(&project.dir, &project.hints, &files).map_err(Error::from);
            located.as_ref()
        }
    };
    let basis = match &comparison {
        Some(c) => Some(Basis {
            tag: &c.base.name,
            version: c.base.version.as_ref(),
            required: c.required,
            changes: &c.changes,
            commits: if project.config.changelog != Changelog::Off {
                ws.repo.commit_subjects(c.base.commit, head)?
            } else {
                Vec::new()
            },
        }),
        None => None,
    };
    let package_name = match &comparison {
        Some(c) => c.new.package.primary.import_name.clone(),
        None => project.name.clone().unwrap_or_default(),
    };
    let read = |path: &str| read_worktree(&ws, path);
    let today = changelog::today();
    let outcome = release::plan(&Input {
        project,
        declared: declared.as_ref(),
        package,
        package_name: &package_name,
        basis,
        request: &o.request,
        today: &today,
        files: &files,
        read: &read,
    })?;
    let planned = match outcome {
        Outcome::Release(planned) => planned,
        Outcome::Nothing { tag, version } => {
            writeln!(
                out,
                "nothing to release: no changes in `{package_name}` since `{tag}`"
            )
            .map_err(Error::Output)?;
            write_github_output(&[
                ("bump", Bump::None.as_str().to_owned()),
                ("version", version.clone().unwrap_or_default()),
                ("previous_version", version.unwrap_or_default()),
                ("tag", tag),
                ("released", "false".to_owned()),
            ])?;
            return Ok(ExitStatus::Success);
        }
    };
    let mut problems = planned.refusals.clone();
    problems.extend(preflight(
        planned.plan.tag.as_ref().map(|t| t.0.clone()),
        comparison.as_ref().map(|c| c.base.name.clone()),
    ));
    finish(o, &ws, &planned, problems, out, err)
}

/// Shows the plan, refuses with every problem, asks, applies.
fn finish(
    o: &ReleaseOptions,
    ws: &Workspace,
    planned: &Planned,
    problems: Vec<release::Problem>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let plan = &planned.plan;
    if o.dry_run {
        writeln!(out, "Would release {}\n", planned.headline).map_err(Error::Output)?;
        render_dry_run(plan, out, o.color).map_err(Error::Output)?;
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
        writeln!(out, "Releasing {}\n", planned.headline).map_err(Error::Output)?;
        render_dry_run(plan, out, o.color).map_err(Error::Output)?;
        write!(err, "\nRelease {}? [y/N] ", plan.version).map_err(Error::Output)?;
        let answer = console::Term::stderr().read_line().unwrap_or_default();
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            writeln!(out, "Aborted: nothing was changed.").map_err(Error::Output)?;
            return Ok(ExitStatus::Success);
        }
    }
    release::apply(&ws.repo, plan)?;
    let branch = ws.repo.head_branch()?.unwrap_or_else(|| "HEAD".to_owned());
    render_applied(planned, &branch, out).map_err(Error::Output)?;
    write_github_output(&[
        ("bump", planned.bump.as_str().to_owned()),
        ("version", plan.version.clone()),
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
