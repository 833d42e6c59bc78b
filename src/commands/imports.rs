//! `imports`: the import gate on the package code at HEAD. Wiring only: git gives the files,
//! `api` reads their import facts, `imports` applies the rules, `report::imports` renders.

use std::collections::BTreeSet;
use std::io::Write;

use super::compare::{Target, Workspace};
use super::in_member;
use crate::api::FileFacts;
use crate::git::Snapshot;
use crate::imports::{self, CONTAINER_FOLDERS, Context, Layout, Provided, Unit, copies};
use crate::options::{ImportsOptions, Rev};
use crate::project::Project;
use crate::report::imports::{self as render, ImportsReport};
use crate::{Error, ExitStatus, api};
use rayon::prelude::*;

pub(super) fn run(o: &ImportsOptions, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    let reports = reports(o)?;
    render::render(&reports, o.all, o.format, out).map_err(Error::Output)?;
    Ok(if reports.iter().any(ImportsReport::failed) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// One project of the repository, read at HEAD.
struct Read {
    target: Target,
    unit: Unit,
    levels: imports::Levels,
    files: Vec<String>,
}

/// The findings of the chosen projects (`--all`: every member), in member order.
pub(super) fn reports(o: &ImportsOptions) -> Result<Vec<ImportsReport>, Error> {
    // Rules 1–3 look at every member even when one is checked: open them all.
    let chosen_dir = if o.all {
        None
    } else {
        Some(Workspace::open(&o.project)?.project_dir)
    };
    let members = Workspace::open_all(&o.project)?;
    let first = members.first().ok_or(Error::NoMembers)?;
    let head = &o.rev;
    let snapshot = first.snapshot(first.resolve(head)?)?;
    let mut read = Vec::new();
    for ws in &members {
        let chosen = chosen_dir.as_ref().is_none_or(|d| *d == ws.project_dir);
        match in_member(ws, read_one(ws, head)) {
            Ok(r) => read.push((chosen, ws, Some(r))),
            // Another member that cannot be read is no context, and its own run says why.
            Err(e) if chosen => return Err(e),
            Err(_) => read.push((chosen, ws, None)),
        }
    }
    let units: Vec<Unit> = read
        .iter()
        .filter_map(|(_, _, r)| r.as_ref().map(|r| r.unit.clone()))
        .collect();
    let settings =
        first.imports_settings(&first.project(&snapshot, head.name()).unwrap_or_default());
    let mut folders: BTreeSet<String> = CONTAINER_FOLDERS.iter().map(|s| (*s).to_owned()).collect();
    folders.extend(first.member_folders());
    let exists = |p: &str| snapshot.has_path(p);
    let layout = Layout {
        units: &units,
        folders,
        scripts: settings.script_folders(),
        exists: &exists,
    };
    // Copies are between members: every member's files are hashed when one is checked.
    let with_shape = units.len() > 1
        && read.iter().any(|(chosen, _, r)| {
            *chosen
                && r.as_ref().is_some_and(|r| {
                    r.levels.get(&imports::Rule::CopiedCode) != Some(&imports::Level::Off)
                })
        });
    let mut facts: Vec<Vec<(String, FileFacts)>> = Vec::new();
    for (chosen, ws, r) in &read {
        facts.push(match r {
            Some(r) if *chosen || with_shape => {
                in_member(ws, facts_of(&r.target.snapshot, &r.files, with_shape))?
            }
            _ => Vec::new(),
        });
    }
    let copies = if with_shape {
        find_copies(&read, &facts)
    } else {
        Vec::new()
    };
    let mut reports = Vec::new();
    for ((chosen, ws, r), facts) in read.iter().zip(&facts) {
        let (true, Some(r)) = (chosen, r) else {
            continue;
        };
        let this = units
            .iter()
            .find(|u| u.dir == r.unit.dir)
            .unwrap_or(&r.unit);
        let cx = Context {
            layout: &layout,
            this,
            levels: &r.levels,
        };
        let mut findings = Vec::new();
        for (path, file_facts) in facts {
            findings.extend(imports::check(&cx, path, file_facts));
        }
        for copy in copies
            .iter()
            .filter(|c| r.files.binary_search(&c.file).is_ok())
        {
            let allows = facts
                .iter()
                .find(|(p, _)| *p == copy.file)
                .map(|(_, f)| f.allows.as_slice())
                .unwrap_or_default();
            findings.extend(imports::copy_finding(&r.levels, allows, copy));
        }
        imports::sort(&mut findings);
        reports.push(ImportsReport {
            member: ws.member_name().map(str::to_owned),
            findings,
        });
    }
    Ok(reports)
}

/// The copies between members' files.
fn find_copies(
    read: &[(bool, &Workspace, Option<Read>)],
    facts: &[Vec<(String, FileFacts)>],
) -> Vec<copies::Copied> {
    let deps: Vec<Vec<&str>> = read
        .iter()
        .map(|(_, _, r)| {
            r.as_ref()
                .and_then(|r| r.unit.declared.as_ref())
                .map(|d| d.iter().map(String::as_str).collect())
                .unwrap_or_default()
        })
        .collect();
    let mut candidates = Vec::new();
    for (((_, ws, r), facts), deps) in read.iter().zip(facts).zip(&deps) {
        let Some(r) = r else { continue };
        let kind = if r.unit.service {
            copies::MemberKind::Service
        } else {
            copies::MemberKind::Package
        };
        let member = ws.member_name().unwrap_or_default();
        for (path, f) in facts {
            candidates.push(copies::Candidate {
                member,
                kind,
                file: path,
                shape: &f.shape,
                depends_on: deps,
            });
        }
    }
    copies::find(&candidates)
}

/// The import facts of `files`, parsed in parallel, in `files`' order. The first error, in
/// that order, wins, so the message is the same on every run.
fn facts_of(
    snapshot: &Snapshot,
    files: &[String],
    with_shape: bool,
) -> Result<Vec<(String, FileFacts)>, Error> {
    files
        .par_iter()
        .filter_map(|path| match snapshot.read(path) {
            Ok(Some(bytes)) => Some(
                api::import_facts(path, &bytes, with_shape)
                    .map(|facts| (path.clone(), facts))
                    .map_err(Error::from),
            ),
            Ok(None) => None,
            Err(e) => Some(Err(e.into())),
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// Reads one project at HEAD: its package, what it declares, and its package code files.
fn read_one(ws: &Workspace, head: &Rev) -> Result<Read, Error> {
    let target = Target::read(ws, head)?;
    let project = &target.project;
    let all = target.snapshot.files_under(&project.dir);
    let nested = ws.nested();
    let package = api::package::locate_all(&project.dir, &project.hints, &all)?;
    let settings = ws.imports_settings(project);
    let files = all
        .iter()
        .filter(|p| package.holds(p) && p.ends_with(".py") && !is_test(p))
        .filter(|p| {
            !nested.iter().any(|n| {
                p.strip_prefix(n.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            })
        })
        .cloned()
        .collect();
    let unit = unit(ws, project, package.roots().cloned().collect(), &settings)?;
    Ok(Read {
        levels: settings.levels.clone(),
        target,
        unit,
        files,
    })
}

fn unit(
    ws: &Workspace,
    project: &Project,
    roots: Vec<api::PackageRoot>,
    settings: &imports::Settings,
) -> Result<Unit, Error> {
    let meta = &project.metadata;
    // Only a `[project]` table with static dependencies says what the project depends on.
    let declared =
        (project.has_pyproject && !project.project_table.is_empty() && !meta.dynamic_dependencies)
            .then(|| {
                meta.dependencies
                    .iter()
                    .chain(meta.optional.values().flatten())
                    .map(|r| r.name.clone())
                    .collect::<BTreeSet<String>>()
            });
    let services = globs(&settings.service_globs())?;
    Ok(Unit {
        name: ws.member_name().map(str::to_owned),
        dir: project.dir.clone(),
        service: !project.config.api
            || (ws.member_name().is_some() && services.is_match(&project.dir)),
        roots,
        provided: Provided::new(
            declared.iter().flatten().map(String::as_str),
            &settings.module_names,
        )
        .with_modules(&settings.allow_modules),
        declared,
        python: imports::supported_pythons(meta.requires_python.as_ref().map(|(t, _)| t.as_str())),
    })
}

fn globs(patterns: &[String]) -> Result<globset::GlobSet, Error> {
    let mut builder = globset::GlobSetBuilder::new();
    for p in patterns {
        let glob = globset::GlobBuilder::new(p.trim_start_matches("./").trim_end_matches('/'))
            .literal_separator(true)
            .build()
            .map_err(|e| Error::BadImportsSetting(format!("`services`: {e}")))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| Error::BadImportsSetting(format!("`services`: {e}")))
}

/// Test code inside a package (`mypkg/tests/`, `test_x.py`, `conftest.py`) is not package code:
/// test runners set up their own paths.
fn is_test(path: &str) -> bool {
    let mut parts = path.split('/');
    let file = parts.next_back().unwrap_or_default();
    parts.any(|p| p == "tests" || p == "test")
        || file.starts_with("test_")
        || file.ends_with("_test.py")
        || file == "conftest.py"
}
