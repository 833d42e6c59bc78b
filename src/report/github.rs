//! GitHub Actions workflow commands: one annotation per change (`::error` for major,
//! `::warning` for minor, `::notice` for the rest) on the file and line it concerns, then one
//! plain summary line for the log.
//!
//! Values are escaped as the Actions toolkit does (`escapeData` and `escapeProperty` in
//! `@actions/core`): a message may span lines through `%0A`, and a property may not contain a
//! raw `:` or `,`, which would end it early.

use std::io::{self, Write};

use super::Report;
use crate::version::Bump;

/// Writes the workflow commands for `report`.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // In a repository of several projects, every title names the member.
    let tool = match &report.member {
        Some(member) => format!("bumpwise ({member})"),
        None => "bumpwise".to_owned(),
    };
    if let Some(verdict) = &report.check {
        let command = if verdict.passed { "notice" } else { "error" };
        let title = if verdict.passed {
            format!("{tool}: check passed")
        } else {
            format!("{tool}: check failed")
        };
        annotate(out, command, None, None, &title, &verdict.message)?;
    }

    for (bump, changes) in report.by_bump() {
        let command = match bump {
            Bump::Major => "error",
            Bump::Minor => "warning",
            Bump::Patch | Bump::None => "notice",
        };
        for c in changes {
            // The message is the annotation's body; the extras the text report shows beside it
            // go on following lines, which the annotation displays as they are.
            let mut message = c.message_with_since();
            if !c.also_at.is_empty() {
                message.push_str(&format!("\nalso at {}", c.also_at.join(", ")));
            }
            if let Some(to) = &c.moved_to {
                message.push_str(&format!("\nmoved to {to}"));
            }
            if let (Some(before), Some(after)) = (&c.before, &c.after) {
                message.push_str(&format!("\n- {before}\n+ {after}"));
            }
            let title = format!("{tool}: {}", c.kind);
            annotate(out, command, Some(&c.file), Some(c.line), &title, &message)?;
        }
    }

    for w in &report.warnings {
        let title = format!("{tool}: warning");
        write!(out, "::warning ")?;
        write!(
            out,
            "file={},line={},col={},title={}",
            escape_property(&w.file),
            w.line,
            w.column,
            escape_property(&title)
        )?;
        writeln!(out, "::{}", escape_data(&w.message))?;
    }

    if let Some(findings) = &report.imports {
        super::imports::annotate(&tool, findings, out)?;
    }
    writeln!(
        out,
        "{tool}: {} {} -> {}: {}",
        report.package,
        report.from,
        report.to,
        report.summary()
    )
}

/// One `::COMMAND props::message` line. A line of 0 means unknown, so it is left out, as is an
/// empty file.
pub(super) fn annotate(
    out: &mut dyn Write,
    command: &str,
    file: Option<&str>,
    line: Option<u32>,
    title: &str,
    message: &str,
) -> io::Result<()> {
    let mut props = Vec::new();
    if let Some(file) = file.filter(|f| !f.is_empty()) {
        props.push(format!("file={}", escape_property(file)));
        if let Some(line) = line.filter(|&l| l > 0) {
            props.push(format!("line={line}"));
        }
    }
    props.push(format!("title={}", escape_property(title)));
    writeln!(
        out,
        "::{command} {}::{}",
        props.join(","),
        escape_data(message)
    )
}

/// Escapes a command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` are separators.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{sample, sample_empty};

    fn github(report: &Report) -> String {
        let mut buf = Vec::new();
        render(report, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn sample_report() {
        insta::assert_snapshot!(github(&sample()));
    }

    #[test]
    fn nothing_changed() {
        insta::assert_snapshot!(github(&sample_empty(false)));
    }

    #[test]
    fn escapes_as_the_toolkit_does() {
        assert_eq!(escape_data("50%\r\nnext: a, b"), "50%25%0D%0Anext: a, b");
        assert_eq!(
            escape_property("50%\r\nnext: a, b"),
            "50%25%0D%0Anext%3A a%2C b"
        );
    }

    #[test]
    fn one_command_per_line_and_a_summary_last() {
        let out = github(&sample());
        let lines: Vec<&str> = out.lines().collect();
        // check verdict + 6 changes + 1 warning + summary.
        assert_eq!(lines.len(), 9);
        assert!(lines[..8].iter().all(|l| l.starts_with("::")));
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::error ")).count(),
            3
        );
        assert!(lines[8].starts_with("bumpwise: mypkg v1.4.0 -> HEAD: required bump: major"));
    }
}
