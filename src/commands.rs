//! One function per subcommand: the only code that wires the modules together.
//!
//! The flow follows the data: git reads each revision's files, the project model reads
//! pyproject.toml, api extracts each surface, diff classifies, version decides, report renders,
//! release plans and writes. Each command only parses its options, calls the stages and picks a
//! renderer.

use std::io::Write;

use crate::diff::deprecation::undeprecated_removals;
use crate::options::{ApiOptions, DiffOptions, GraphOptions, ImportsOptions, Options};
use crate::project::graph::Graph;
use crate::report::{self, Format, Report};
use crate::version::Bump;
use crate::version::pep440::Version;
use crate::version::verdict::{self, Gate};
use crate::{Error, ExitStatus};

mod ci;
mod compare;
mod demo;
mod imports;
mod init;
mod release;

use compare::{Cache, Target, Workspace};

/// Runs a validated command.
pub fn run(
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    match options {
        Options::Diff(o) => diff(&o, out, err),
        Options::Check(o) => check(&o, out, err),
        Options::Api(o) => api(&o, out, err),
        Options::Release(o) => release::run(&o, out, err),
        Options::Graph(o) => graph(&o, out),
        Options::Imports(o) => imports::run(&o, out),
        Options::Demo { color } => demo::run(color, out, err),
        Options::Init(o) => init::run(&o, out),
        Options::Completions(shell) => {
            crate::cli::generate::completions(shell, out).map_err(Error::Output)?;
            Ok(ExitStatus::Success)
        }
        Options::Man => {
            crate::cli::generate::man(out).map_err(Error::Output)?;
            Ok(ExitStatus::Success)
        }
    }
}

fn diff(o: &DiffOptions, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus, Error> {
    if o.all {
        let mut reports = Vec::new();
        for ws in Workspace::open_all(&o.project)? {
            let report = in_member(&ws, diff_one(&ws, o, false, err))?;
            reports.push(report);
        }
        report::members::render(&reports, o.format, o.color, o.max_bytes, out)
            .map_err(Error::Output)?;
        return Ok(ExitStatus::Success);
    }
    let ws = Workspace::open(&o.project)?;
    let report = diff_one(&ws, o, true, err)?;
    render(&report, o, out)?;
    Ok(ExitStatus::Success)
}

/// The report of one project; `last` when the process exits after it.
fn diff_one(
    ws: &Workspace,
    o: &DiffOptions,
    last: bool,
    err: &mut dyn Write,
) -> Result<Report, Error> {
    let to = Target::read(ws, &o.to)?;
    let c = compare::compare(ws, o.from.as_ref(), &to, Cache::new(o.cache, true), err)?;
    let mut report = c.report(o.to.name());
    report.member = ws.member_name().map(str::to_owned);
    if last {
        // Two whole surfaces are hundreds of thousands of small allocations, and the process
        // is about to exit: freeing them one by one costs a tenth of a large diff's time.
        // Under `--all` they are freed, or memory would grow with every member.
        std::mem::forget(c);
    }
    Ok(report)
}

/// A member's error names the member: under `--all`, which one failed is the first question.
pub(crate) fn in_member<T>(ws: &Workspace, result: Result<T, Error>) -> Result<T, Error> {
    match (ws.member_name(), result) {
        (Some(member), Err(e)) => Err(Error::InMember {
            member: member.to_owned(),
            source: Box::new(e),
        }),
        (_, result) => result,
    }
}

/// The members' dependency graph at `HEAD`, and the order that releases dependencies first; a
/// cycle is an error. `first` is any member: they share the repository and its snapshots.
pub(crate) fn member_graph(
    first: &Workspace,
    members: &[Workspace],
) -> Result<(Graph, Vec<usize>), Error> {
    let snapshot = first.snapshot(Some(first.repo.head()?))?;
    let projects = members
        .iter()
        .map(|ws| in_member(ws, ws.project(&snapshot, "HEAD")))
        .collect::<Result<Vec<_>, _>>()?;
    let graph = Graph::build(&projects);
    let order = graph.order().map_err(|c| Error::Cycle(c.to_string()))?;
    Ok((graph, order))
}

/// What `check` learns of one project.
struct Checked {
    report: Report,
    passed: bool,
    /// The `$GITHUB_OUTPUT` keys and values.
    outputs: Vec<(&'static str, String)>,
}

fn check(o: &DiffOptions, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus, Error> {
    // `--imports`: the imports gate's findings, on the same revision, into the same reports.
    let gate_imports = |checked: &mut [Checked]| -> Result<(), Error> {
        if !o.imports {
            return Ok(());
        }
        let found = imports::reports(&ImportsOptions {
            project: o.project.clone(),
            format: o.format,
            all: o.all,
            rev: o.to.clone(),
        })?;
        for c in checked.iter_mut() {
            let findings = found
                .iter()
                .find(|r| r.member == c.report.member)
                .map(|r| r.findings.clone())
                .unwrap_or_default();
            if findings
                .iter()
                .any(|f| f.severity == crate::imports::Severity::Error)
            {
                c.passed = false;
            }
            c.report.imports = Some(findings);
        }
        Ok(())
    };
    if o.all {
        let mut checked = Vec::new();
        for ws in Workspace::open_all(&o.project)? {
            checked.push(in_member(&ws, check_one(&ws, o, err))?);
        }
        gate_imports(&mut checked)?;
        let passed = checked.iter().all(|c| c.passed);
        let reports: Vec<Report> = checked.iter().map(|c| c.report.clone()).collect();
        report::members::render(&reports, o.format, o.color, o.max_bytes, out)
            .map_err(Error::Output)?;
        if o.format == Format::Github {
            for c in &checked {
                ci::write_step_summary(&c.report)?;
            }
        }
        // Each member's keys carry its name (`invoice-rules-bump`); `passed` is all of them.
        let mut outputs: Vec<(String, String)> = Vec::new();
        for c in &checked {
            let name = c.report.member.as_deref().unwrap_or(&c.report.package);
            for (key, value) in &c.outputs {
                outputs.push((format!("{name}-{key}"), value.clone()));
            }
        }
        outputs.push(("passed".to_owned(), passed.to_string()));
        let failed: Vec<&str> = checked
            .iter()
            .filter(|c| !c.passed)
            .filter_map(|c| c.report.member.as_deref())
            .collect();
        outputs.push(("failed".to_owned(), failed.join(" ")));
        let pairs: Vec<(&str, String)> = outputs
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        ci::write_github_output(&pairs)?;
        return Ok(if passed {
            ExitStatus::Success
        } else {
            ExitStatus::UnderBumped
        });
    }
    let ws = Workspace::open(&o.project)?;
    let mut checked = [check_one(&ws, o, err)?];
    gate_imports(&mut checked)?;
    let [checked] = checked;
    render(&checked.report, o, out)?;
    if o.format == Format::Github {
        ci::write_step_summary(&checked.report)?;
    }
    // In GitHub Actions, later steps read the verdict from the step's outputs, whatever the format.
    ci::write_github_output(&checked.outputs)?;
    Ok(if checked.passed {
        ExitStatus::Success
    } else {
        ExitStatus::UnderBumped
    })
}

/// The gate on one project.
fn check_one(ws: &Workspace, o: &DiffOptions, err: &mut dyn Write) -> Result<Checked, Error> {
    let to = Target::read(ws, &o.to)?;
    let c = compare::compare(ws, o.from.as_ref(), &to, Cache::new(o.cache, true), err)?;
    let mut report = c.report(o.to.name());
    report.member = ws.member_name().map(str::to_owned);
    let project = &c.new.project;
    let pyproject = project.path("pyproject.toml");
    let declared: Version = match (project.version(), project.dynamic_version()) {
        (Some(v), _) => v.parse().map_err(|e| Error::BadVersion {
            file: pyproject.clone(),
            source: e,
        })?,
        (None, true) => return Err(Error::DynamicVersionCheck(pyproject)),
        (None, false) => return Err(Error::NoDeclaredVersion(pyproject)),
    };
    let at_base = c
        .old
        .project
        .version()
        .and_then(|v| v.parse::<Version>().ok())
        .filter(|_| !c.old.project.dynamic_version());
    let undeprecated: Vec<(String, String)> = if project.config.require_deprecation {
        undeprecated_removals(
            &c.old.surface,
            &c.changes,
            &c.since,
            project.config.deprecation_period,
        )
        .into_iter()
        .map(|u| (u.path, u.message))
        .collect()
    } else {
        Vec::new()
    };
    let verdict = verdict::verdict(&Gate {
        base_name: &c.base.name,
        base_version: c.base.version.as_ref(),
        at_base: at_base.as_ref(),
        declared: &declared,
        required: c.required,
        breaking: c.changes.iter().filter(|ch| ch.bump == Bump::Major).count(),
        policy: c.policy,
        undeprecated: &undeprecated,
    });
    let passed = verdict.passed;
    report.check = Some(verdict);
    let outputs = vec![
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
        ("tag", project.config.tag_for(&declared.to_string())),
        ("released", "false".to_owned()),
        ("passed", passed.to_string()),
    ];
    Ok(Checked {
        report,
        passed,
        outputs,
    })
}

fn api(o: &ApiOptions, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus, Error> {
    let ws = Workspace::open(&o.project)?;
    let target = Target::read(&ws, &o.rev)?;
    let exclude = compare::exclude_set(&target.project.config)?;
    let parses = ws.parses(Cache::new(o.cache, true));
    let side = compare::read_side(&target.snapshot, target.project, &exclude, &parses)?;
    compare::print_note(&side.package, err);
    compare::print_warnings(&side.warnings, err);
    if o.json {
        report::surface::render_json(&side.surface, out)
    } else {
        report::surface::render_text(&side.surface, out)
    }
    .map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}

fn graph(o: &GraphOptions, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    let members = Workspace::open_all(&o.project)?;
    let Some(first) = members.first() else {
        return Ok(ExitStatus::Success);
    };
    let (graph, _) = member_graph(first, &members)?;
    if o.dot {
        report::graph::dot(&graph, out)
    } else {
        report::graph::text(&graph, out)
    }
    .map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}

fn render(report: &Report, o: &DiffOptions, out: &mut dyn Write) -> Result<(), Error> {
    match o.format {
        Format::Text => report::text::render(report, out, o.color),
        Format::Json => report::json::render(report, out),
        Format::Markdown => report::markdown::render(report, o.max_bytes, out),
        Format::Github => report::github::render(report, out),
    }
    .map_err(Error::Output)
}
