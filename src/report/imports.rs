//! The imports gate's output: one [`ImportsReport`] per project, rendered as text, JSON
//! (`{"schema_version": 1, "findings": [...]}`, or `"members"` under `--all`) or GitHub
//! annotations. No colour: every line is already `file:line: rule-id: message`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Format, github};
use crate::imports::{Finding, Severity};

/// The findings of one project.
#[derive(Clone, Debug, Serialize)]
pub struct ImportsReport {
    /// The member's name, in a repository of several projects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Sorted by file, line and rule.
    pub findings: Vec<Finding>,
}

impl ImportsReport {
    /// Whether a finding fails the gate.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

#[derive(Serialize)]
struct One<'a> {
    schema_version: u32,
    #[serde(flatten)]
    report: &'a ImportsReport,
}

#[derive(Serialize)]
struct All<'a> {
    schema_version: u32,
    members: &'a [ImportsReport],
}

/// Renders one project's report (`all` false) or every member's.
pub fn render(
    reports: &[ImportsReport],
    all: bool,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => {
            match (all, reports) {
                (false, [report]) => serde_json::to_writer_pretty(
                    &mut *out,
                    &One {
                        schema_version: 1,
                        report,
                    },
                )?,
                _ => serde_json::to_writer_pretty(
                    &mut *out,
                    &All {
                        schema_version: 1,
                        members: reports,
                    },
                )?,
            }
            writeln!(out)
        }
        Format::Github => {
            for r in reports {
                annotate(&tool_name(r.member.as_deref()), &r.findings, out)?;
            }
            summary(reports.iter().flat_map(|r| &r.findings), out)
        }
        Format::Text | Format::Markdown => {
            for r in reports {
                lines(&r.findings, out)?;
            }
            summary(reports.iter().flat_map(|r| &r.findings), out)
        }
    }
}

/// `bumpwise`, or `bumpwise (member)` in a repository of several projects.
fn tool_name(member: Option<&str>) -> String {
    match member {
        Some(m) => format!("bumpwise ({m})"),
        None => "bumpwise".to_owned(),
    }
}

/// One GitHub annotation per finding.
pub fn annotate(tool: &str, findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    for f in findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let title = format!("{tool}: {}", f.rule.id());
        let message = format!("{}\nfix: {}", f.message, f.fix);
        github::annotate(out, command, Some(&f.file), Some(f.line), &title, &message)?;
    }
    Ok(())
}

/// `file:line: rule-id: message`, then the fix, for each finding.
fn lines(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    for f in findings {
        let tag = match f.severity {
            Severity::Error => "",
            Severity::Warning => " (warning)",
        };
        writeln!(
            out,
            "{}:{}: {}{tag}: {}",
            f.file,
            f.line,
            f.rule.id(),
            f.message
        )?;
        writeln!(out, "  fix: {}", f.fix)?;
    }
    Ok(())
}

/// The section `check --imports` adds to a text report.
pub fn text_section(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    lines(findings, out)?;
    summary(findings.iter(), out)
}

/// At most this many findings in a Markdown comment; the rest are counted.
const MARKDOWN_FINDINGS: usize = 50;

/// The section `check --imports` adds to a Markdown report.
pub fn markdown_section(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "### Imports")?;
    writeln!(out)?;
    if findings.is_empty() {
        return writeln!(out, "No import problems found.");
    }
    for f in findings.iter().take(MARKDOWN_FINDINGS) {
        let tag = match f.severity {
            Severity::Error => "",
            Severity::Warning => " (warning)",
        };
        writeln!(
            out,
            "- `{}:{}` **{}**{tag}: {} Fix: {}",
            f.file,
            f.line,
            f.rule.id(),
            f.message,
            f.fix
        )?;
    }
    if findings.len() > MARKDOWN_FINDINGS {
        writeln!(
            out,
            "- ... and {} more (run `bumpwise imports`)",
            findings.len() - MARKDOWN_FINDINGS
        )?;
    }
    Ok(())
}

/// `2 errors, 1 warning` or `no import problems found`.
fn summary<'a>(findings: impl Iterator<Item = &'a Finding>, out: &mut dyn Write) -> io::Result<()> {
    let (mut errors, mut warnings) = (0, 0);
    for f in findings {
        match f.severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
        }
    }
    if errors + warnings == 0 {
        return writeln!(out, "imports: no problems found");
    }
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    writeln!(
        out,
        "imports: {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imports::Rule;

    fn sample() -> Vec<ImportsReport> {
        vec![ImportsReport {
            member: None,
            findings: vec![
                Finding {
                    rule: Rule::SysPathEdit,
                    severity: Severity::Error,
                    file: "src/mypkg/a.py".to_owned(),
                    line: 3,
                    message: "`sys.path.insert` changes where Python finds modules".to_owned(),
                    fix: Rule::SysPathEdit.fix().to_owned(),
                },
                Finding {
                    rule: Rule::CwdImport,
                    severity: Severity::Warning,
                    file: "src/mypkg/b,c.py".to_owned(),
                    line: 1,
                    message: "`src.mypkg` imports through the folder `src/`".to_owned(),
                    fix: "import `mypkg` instead".to_owned(),
                },
            ],
        }]
    }

    fn rendered(format: Format) -> String {
        let mut buf = Vec::new();
        render(&sample(), false, format, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn text() {
        insta::assert_snapshot!(rendered(Format::Text));
    }

    #[test]
    fn json() {
        insta::assert_snapshot!(rendered(Format::Json));
    }

    #[test]
    fn github() {
        insta::assert_snapshot!(rendered(Format::Github));
    }
}
