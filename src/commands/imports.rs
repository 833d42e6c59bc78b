//! `imports`: the import gate on the package code at HEAD. Wiring only: git gives the files,
//! `api` reads their import facts, `imports` applies the rules, `report::imports` renders.

use std::collections::BTreeSet;
use std::io::Write;

use super::compare::{Target, Workspace};
use super::in_member;
use crate::imports::{self, CONTAINER_FOLDERS, Context};
use crate::options::{ImportsOptions, Rev};
use crate::report::imports::{self as render, ImportsReport};
use crate::{Error, ExitStatus, api};

pub(super) fn run(o: &ImportsOptions, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    let members = if o.all {
        Workspace::open_all(&o.project)?
    } else {
        vec![Workspace::open(&o.project)?]
    };
    let mut reports = Vec::new();
    for ws in &members {
        reports.push(in_member(ws, one(ws))?);
    }
    render::render(&reports, o.all, o.format, out).map_err(Error::Output)?;
    Ok(if reports.iter().any(ImportsReport::failed) {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

/// The findings of one project's package code at HEAD.
fn one(ws: &Workspace) -> Result<ImportsReport, Error> {
    let target = Target::read(ws, &Rev::Ref("HEAD".to_owned()))?;
    let project = &target.project;
    let all = target.snapshot.files_under(&project.dir);
    let package = api::package::locate_all(&project.dir, &project.hints, &all)?;
    let mut folders: BTreeSet<String> = CONTAINER_FOLDERS.iter().map(|s| (*s).to_owned()).collect();
    folders.extend(ws.member_folders());
    let cx = Context {
        roots: package.roots().collect(),
        folders,
        levels: &project.config.imports,
    };
    let mut findings = Vec::new();
    for path in &all {
        if !package.holds(path) || !path.ends_with(".py") || is_test(path) {
            continue;
        }
        let Some(bytes) = target.snapshot.read(path)? else {
            continue;
        };
        let facts = api::import_facts(path, &bytes)?;
        findings.extend(imports::check(&cx, path, &facts));
    }
    imports::sort(&mut findings);
    Ok(ImportsReport {
        member: ws.member_name().map(str::to_owned),
        findings,
    })
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
