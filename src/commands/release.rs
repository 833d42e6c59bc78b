//! `bumpwise release`: compare with the last release, plan, check, show, then apply.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;

use super::ci::write_github_output;
use super::compare::{self, Cache, Target, Workspace};
use super::{in_member, member_graph};
use crate::api::package;
use crate::options::ReleaseOptions;
use crate::project::{self, Changelog};
use crate::release::{self, Basis, FileEdit, Input, Outcome, Plan, Planned, Preflight, Request};
use crate::report::release::{render_applied, render_dry_run};
use crate::version::Bump;
use crate::version::pep440::Version;
use crate::{Error, ExitStatus, changelog};

pub(super) fn run(
    o: &ReleaseOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    if o.all || o.update_dependents {
        return run_members(o, out, err);
    }
    let ws = Workspace::open(&o.project)?;
    let _lock = lock(&ws, o)?;
    let read = |path: &str| read_worktree(&ws, path);
    match prepare(&ws, o, &o.request, &read, err)? {
        Prepared::AlreadyReleased(tag) => {
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
            Ok(ExitStatus::Success)
        }
        Prepared::Nothing { tag, version, name } => {
            writeln!(
                out,
                "nothing to release: no changes in `{name}` since `{tag}`"
            )
            .map_err(Error::Output)?;
            write_github_output(&[
                ("bump", Bump::None.as_str().to_owned()),
                ("version", version.clone().unwrap_or_default()),
                ("previous_version", version.unwrap_or_default()),
                ("tag", tag),
                ("released", "false".to_owned()),
            ])?;
            Ok(ExitStatus::Success)
        }
        Prepared::Release { planned, base_tag } => {
            let mut problems = planned.refusals.clone();
            problems.extend(preflight(&ws, o, &planned, base_tag));
            finish(o, &ws, &planned, problems, out, err)
        }
    }
}

/// Takes the release lock for the whole run, from before planning (two runs would plan the
/// same release) to the end; a dry run writes nothing and takes none. Signals are caught
/// first, so that none can leave the lock behind.
fn lock(ws: &Workspace, o: &ReleaseOptions) -> Result<Option<release::ReleaseLock>, Error> {
    if o.dry_run {
        return Ok(None);
    }
    release::guard::install();
    let lock = release::ReleaseLock::acquire(&ws.repo)?;
    release::guard::check(release::Step::Lock)?;
    Ok(Some(lock))
}

/// What planning one project's release found.
enum Prepared {
    /// `HEAD` already carries the release tag: a re-run after a half-failed job.
    AlreadyReleased(crate::git::ReleaseTag<Version>),
    /// No change in `name` since `tag`.
    Nothing {
        tag: String,
        version: Option<String>,
        name: String,
    },
    /// A release, with the tag its changes are measured from.
    Release {
        planned: Planned,
        base_tag: Option<String>,
    },
}

/// The repository's own checks: a clean tree, no existing tag, an identity, a full history.
fn preflight(
    ws: &Workspace,
    o: &ReleaseOptions,
    planned: &Planned,
    base_tag: Option<String>,
) -> Vec<release::Problem> {
    release::preflight(
        &ws.repo,
        &Preflight {
            allow_dirty: o.allow_dirty,
            need_commit: o.request.commit,
            tags: planned.plan.tags.iter().map(|t| t.0.clone()).collect(),
            base_tag,
        },
    )
}

/// Compares the project with its last release and plans its release; `read` reads the
/// working tree (through the edits already planned for other members, under `--all`).
fn prepare(
    ws: &Workspace,
    o: &ReleaseOptions,
    request: &Request,
    read: &dyn Fn(&str) -> Result<Option<String>, Error>,
    err: &mut dyn Write,
) -> Result<Prepared, Error> {
    let head = ws.repo.head()?;
    // HEAD is read once: for its version and settings, the comparison, and the version files.
    let snapshot = ws.snapshot(Some(head))?;
    let target = Target {
        name: "HEAD".to_owned(),
        commit: Some(head),
        project: ws.project(&snapshot, "HEAD")?,
        snapshot,
    };
    let project = &target.project;

    // A retry after a half-failed CI job must not fail on "tag exists".
    if let Some(tag) = release::already_released(&ws.repo, &project.config.tag_format)? {
        return Ok(Prepared::AlreadyReleased(tag));
    }

    // A version literal in setup.py or setup.cfg would be left behind.
    project.check_releasable()?;
    // The declared version as the working tree has it: what the release rewrites.
    let declared = match project.version() {
        Some(v) => Some(v.parse::<Version>().map_err(|e| Error::BadVersion {
            file: project.path("pyproject.toml"),
            source: e,
        })?),
        None => None,
    };

    let comparison = if o.first {
        None
    } else {
        // A failed release leaves the repository as it was: the cache is read, never written.
        match compare::compare(ws, None, &target, Cache::new(o.cache, false), err) {
            Err(Error::Git(crate::git::Error::NoReleaseTag { .. })) => {
                return Err(Error::NoTagForRelease);
            }
            // A package that does not parse cannot be released, but the other checks still
            // run, so that every problem is reported at once.
            Err(e @ (Error::Api(_) | Error::AtRevision { .. } | Error::AtTarget { .. })) => {
                let mut problems = vec![release::Problem::from(&e)];
                problems.extend(release::preflight(
                    &ws.repo,
                    &Preflight {
                        allow_dirty: o.allow_dirty,
                        need_commit: o.request.commit,
                        tags: Vec::new(),
                        base_tag: None,
                    },
                ));
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
    let today = changelog::today();
    let outcome = release::plan(&Input {
        project,
        declared: declared.as_ref(),
        package,
        package_name: &package_name,
        basis,
        request,
        today: &today,
        files: &files,
        read,
    })?;
    Ok(match outcome {
        Outcome::Release(planned) => Prepared::Release {
            planned,
            base_tag: comparison.as_ref().map(|c| c.base.name.clone()),
        },
        Outcome::Nothing { tag, version } => Prepared::Nothing {
            tag,
            version,
            name: package_name,
        },
    })
}

/// `release --all` and `release --update-dependents`: the members that need a release, in
/// dependency order, released together: one commit, one tag and one changelog entry each.
/// All or nothing, as for one project.
fn run_members(
    o: &ReleaseOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let members = Workspace::open_all(&o.project)?;
    let _lock = match members.first() {
        Some(first) => lock(first, o)?,
        None => None,
    };
    // Without `--all`, the chosen member, and then the dependents its release changes.
    let chosen = if o.all {
        None
    } else {
        Some(Workspace::open(&o.project)?.project_dir)
    };
    let Some(first) = members.first() else {
        return Ok(ExitStatus::Success);
    };
    let (graph, order) = member_graph(first, &members)?;

    // The files as the releases planned so far leave them: a dependent's pyproject.toml is
    // planned on top of its widened specifiers.
    let pending: RefCell<BTreeMap<String, String>> = RefCell::new(BTreeMap::new());
    let read = |path: &str| match pending.borrow().get(path) {
        Some(text) => Ok(Some(text.clone())),
        None => read_worktree(first, path),
    };
    let mut edits: Vec<FileEdit> = Vec::new();
    let record = |edit: FileEdit, edits: &mut Vec<FileEdit>| {
        pending
            .borrow_mut()
            .insert(edit.path.clone(), edit.after.clone());
        match edits.iter_mut().find(|e| e.path == edit.path) {
            // The file as it is on disk stays the `before` of the merged edit.
            Some(merged) => merged.after = edit.after,
            None => edits.push(edit),
        }
    };
    let mut released: Vec<(usize, Planned)> = Vec::new();
    let mut next: BTreeMap<usize, Version> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
    let mut base_tag = None;
    for i in order {
        let ws = &members[i];
        let name = ws.member_name().unwrap_or_default().to_owned();
        let mut request = o.request.clone();
        let mut widened = false;
        if o.update_dependents {
            for (dependency, version) in &next {
                for edit in graph.widen(*dependency, version) {
                    if edit.dependent != i {
                        continue;
                    }
                    let new = edit.new.map_err(|e| Error::InMember {
                        member: name.clone(),
                        source: Box::new(Error::Widen(e.to_string())),
                    })?;
                    let before = read(&edit.file)?.unwrap_or_default();
                    let after = replace_on_line(&before, edit.line, &edit.old, &new)
                        .or_else(|| {
                            project::rewrite_requirement(&before, edit.extra.as_deref(), &edit.old, &new)
                        })
                        .ok_or_else(|| Error::InMember {
                            member: name.clone(),
                            source: Box::new(Error::Widen(format!(
                                "`{}` no longer holds `{}` where it was read; run the release again",
                                edit.file, edit.old
                            ))),
                        })?;
                    record(
                        FileEdit {
                            path: edit.file.clone(),
                            before: read_worktree(first, &edit.file)?,
                            after,
                        },
                        &mut edits,
                    );
                    widened = true;
                }
            }
            if widened {
                request.floor = Some(Bump::Patch);
            }
        }
        let wanted = o.all || chosen.as_deref() == Some(ws.project_dir.as_str()) || widened;
        if !wanted {
            continue;
        }
        match in_member(ws, prepare(ws, o, &request, &read, err))? {
            Prepared::AlreadyReleased(tag) => {
                skipped.push(format!("{name}: `HEAD` is already tagged `{}`", tag.name));
            }
            Prepared::Nothing { tag, .. } => {
                skipped.push(format!("{name}: no changes since `{tag}`"));
            }
            Prepared::Release {
                planned,
                base_tag: base,
            } => {
                base_tag = base_tag.or(base);
                problems.extend(planned.refusals.iter().map(|p| release::Problem {
                    message: format!("{name}: {}", p.message),
                    hint: p.hint.clone(),
                }));
                for edit in &planned.plan.edits {
                    record(edit.clone(), &mut edits);
                }
                if let Ok(v) = planned.plan.version.parse::<Version>() {
                    next.insert(i, v);
                }
                released.push((i, planned));
            }
        }
    }
    for line in &skipped {
        writeln!(out, "nothing to release for {line}").map_err(Error::Output)?;
    }
    if released.is_empty() {
        write_github_output(&[("released", "false".to_owned())])?;
        return Ok(ExitStatus::Success);
    }
    let names: Vec<String> = released
        .iter()
        .map(|(i, p)| {
            format!(
                "{} {}",
                members[*i].member_name().unwrap_or_default(),
                p.plan.version
            )
        })
        .collect();
    let planned = Planned {
        plan: Plan {
            version: names.join(", "),
            previous_version: Some(
                released
                    .iter()
                    .map(|(i, p)| {
                        let name = members[*i].member_name().unwrap_or_default();
                        match &p.plan.previous_version {
                            Some(v) => format!("{name} {v}"),
                            None => format!("{name} (first release)"),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            edits,
            commit_message: o
                .request
                .commit
                .then(|| format!("release: {}", names.join(", "))),
            tags: released
                .iter()
                .flat_map(|(_, p)| p.plan.tags.clone())
                .collect(),
        },
        bump: released
            .iter()
            .map(|(_, p)| p.bump)
            .max()
            .unwrap_or(Bump::None),
        headline: released
            .iter()
            .map(|(_, p)| p.headline.clone())
            .collect::<Vec<_>>()
            .join("; "),
        refusals: Vec::new(),
    };
    problems.extend(preflight(first, o, &planned, base_tag));
    finish(o, first, &planned, problems, out, err)
}

/// `text` with `old` replaced by `new` on 1-based line `line` only, quotes and all kept as
/// written; `None` when it is not there as written (a string with escapes, say).
fn replace_on_line(text: &str, line: u32, old: &str, new: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + new.len());
    let mut done = false;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if !done && n + 1 == line as usize && l.contains(old) {
            out.push_str(&l.replacen(old, new, 1));
            done = true;
        } else {
            out.push_str(l);
        }
    }
    done.then_some(out)
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
        // The plan must be on screen before the question.
        out.flush().map_err(Error::Output)?;
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
            plan.tags
                .iter()
                .map(|t| t.0.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        ("released", "true".to_owned()),
    ])?;
    Ok(ExitStatus::Success)
}

fn read_worktree(ws: &Workspace, path: &str) -> Result<Option<String>, Error> {
    // Not through a link out of the repository: a dry run would print what it points at.
    let full = release::checked_path(ws.repo.root(), path)?;
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
