//! One function per subcommand: the only code that wires the modules together.
//!
//! The flow follows the data: git reads each revision's files, the project model reads
//! pyproject.toml, api extracts each surface, diff classifies, version decides, report renders,
//! release plans and writes. Each command only parses its options, calls the stages and picks a
//! renderer.

use std::io::Write;

use crate::options::{ApiOptions, DiffOptions, Options};
use crate::report::{self, Format, Report};
use crate::version::Bump;
use crate::version::pep440::Version;
use crate::version::verdict::{self, Gate};
use crate::{Error, ExitStatus};

mod ci;
mod compare;
mod demo;
mod release;

use compare::{Target, Workspace};

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
        Options::Demo { color } => demo::run(color, out, err),
    }
}

fn diff(o: &DiffOptions, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus, Error> {
    let ws = Workspace::open(&o.project)?;
    let c = compare::compare(&ws, o.from.as_ref(), &Target::read(&ws, &o.to)?, err)?;
    let report = c.report(o.to.name());
    // Two whole surfaces are hundreds of thousands of small allocations, and the process is
    // about to exit: freeing them one by one costs a tenth of a large diff's time.
    std::mem::forget(c);
    render(&report, o, out)?;
    Ok(ExitStatus::Success)
}

fn check(o: &DiffOptions, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus, Error> {
    let ws = Workspace::open(&o.project)?;
    let c = compare::compare(&ws, o.from.as_ref(), &Target::read(&ws, &o.to)?, err)?;
    let mut report = c.report(o.to.name());
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
    let verdict = verdict::verdict(&Gate {
        base_name: &c.base.name,
        base_version: c.base.version.as_ref(),
        at_base: at_base.as_ref(),
        declared: &declared,
        required: c.required,
        breaking: c.changes.iter().filter(|ch| ch.bump == Bump::Major).count(),
        policy: c.policy,
    });
    let passed = verdict.passed;
    report.check = Some(verdict);
    render(&report, o, out)?;
    if o.format == Format::Github {
        ci::write_step_summary(&report)?;
    }
    // In GitHub Actions, later steps read the verdict from the step's outputs, whatever the format.
    ci::write_github_output(&[
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
    ])?;
    Ok(if passed {
        ExitStatus::Success
    } else {
        ExitStatus::UnderBumped
    })
}

fn api(o: &ApiOptions, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus, Error> {
    let ws = Workspace::open(&o.project)?;
    let target = Target::read(&ws, &o.rev)?;
    let exclude = compare::exclude_set(&target.project.config)?;
    let side = compare::read_side(&target.snapshot, target.project, &exclude)?;
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

fn render(report: &Report, o: &DiffOptions, out: &mut dyn Write) -> Result<(), Error> {
    match o.format {
        Format::Text => report::text::render(report, out, o.color),
        Format::Json => report::json::render(report, out),
        Format::Markdown => report::markdown::render(report, o.max_bytes, out),
        Format::Github => report::github::render(report, out),
    }
    .map_err(Error::Output)
}
