//! `diff --all` and `check --all`: one report per member of a repository of several projects,
//! under a summary table. JSON wraps the per-member objects of the one-project contract:
//! `{"schema_version": 1, "members": [...]}`.

use std::io::{self, Write};

use serde::Serialize;

use super::{Format, Report, github, markdown, text};

/// The JSON of `--all`.
#[derive(Serialize)]
struct Members<'a> {
    schema_version: u32,
    members: &'a [Report],
}

/// Renders every member's report in `format`, the summary first (text and Markdown).
pub fn render(
    reports: &[Report],
    format: Format,
    color: bool,
    max_bytes: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &Members {
                    schema_version: 1,
                    members: reports,
                },
            )?;
            writeln!(out)
        }
        Format::Text => {
            summary_text(reports, out)?;
            for r in reports {
                writeln!(out)?;
                text::render(r, out, color)?;
            }
            Ok(())
        }
        Format::Markdown => {
            let mut head = Vec::new();
            summary_markdown(reports, &mut head)?;
            out.write_all(&head)?;
            // Each member gets an equal share of what is left of the limit.
            let share = max_bytes.saturating_sub(head.len()) / reports.len().max(1);
            for r in reports {
                writeln!(out)?;
                markdown::render(r, share.max(markdown::MIN_BYTES), out)?;
            }
            Ok(())
        }
        Format::Github => {
            for r in reports {
                github::render(r, out)?;
            }
            Ok(())
        }
    }
}

/// One row a member: name, last release tag, required bump, declared version, and the next
/// version (`diff`) or the verdict (`check`).
fn rows(reports: &[Report]) -> Vec<[String; 5]> {
    reports
        .iter()
        .map(|r| {
            let imports_failed = r.imports.as_ref().is_some_and(|f| {
                f.iter()
                    .any(|f| f.severity == crate::imports::Severity::Error)
            });
            let outcome = match &r.check {
                Some(v) if v.passed && imports_failed => "FAIL (imports)".to_owned(),
                Some(v) if v.passed => "ok".to_owned(),
                Some(_) if imports_failed => "FAIL (version, imports)".to_owned(),
                Some(_) => "FAIL".to_owned(),
                None => r.next_version.clone().unwrap_or_else(|| "-".to_owned()),
            };
            [
                r.member.clone().unwrap_or_else(|| r.package.clone()),
                r.from.clone(),
                r.required_bump.as_str().to_owned(),
                r.declared_version.clone().unwrap_or_else(|| "-".to_owned()),
                outcome,
            ]
        })
        .collect()
}

fn last_header(reports: &[Report]) -> &'static str {
    if reports.iter().any(|r| r.check.is_some()) {
        "verdict"
    } else {
        "next"
    }
}

fn summary_text(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    let header = [
        "member".to_owned(),
        "last release".to_owned(),
        "bump".to_owned(),
        "declared".to_owned(),
        last_header(reports).to_owned(),
    ];
    let rows = rows(reports);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        writeln!(out, "{}", line.join("  ").trim_end())?;
    }
    Ok(())
}

fn summary_markdown(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## bumpwise: {} members", reports.len())?;
    writeln!(out)?;
    writeln!(
        out,
        "| Member | Last release | Bump | Declared | {} |",
        last_header(reports)
    )?;
    writeln!(out, "| --- | --- | --- | --- | --- |")?;
    for [member, from, bump, declared, outcome] in rows(reports) {
        writeln!(
            out,
            "| `{member}` | `{from}` | {bump} | {declared} | {outcome} |"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{sample, sample_empty};

    fn two() -> Vec<Report> {
        let mut a = sample();
        a.member = Some("invoice-rules".to_owned());
        let mut b = sample_empty(false);
        b.member = Some("billing-worker".to_owned());
        vec![b, a]
    }

    fn render_to_string(format: Format) -> String {
        let mut buf = Vec::new();
        render(&two(), format, false, 65_000, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn text_starts_with_the_summary() {
        let text = render_to_string(Format::Text);
        let head: Vec<&str> = text.lines().take(3).collect();
        insta::assert_snapshot!(head.join("\n"));
    }

    #[test]
    fn markdown_starts_with_the_summary() {
        let text = render_to_string(Format::Markdown);
        let head: Vec<&str> = text.lines().take(6).collect();
        insta::assert_snapshot!(head.join("\n"));
    }

    #[test]
    fn json_wraps_the_one_project_objects() {
        let value: serde_json::Value =
            serde_json::from_str(&render_to_string(Format::Json)).unwrap();
        assert_eq!(value["schema_version"], 1);
        let members = value["members"].as_array().unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[0]["member"], "billing-worker");
        assert_eq!(members[1]["schema_version"], 1);
        assert_eq!(members[1]["required_bump"], "major");
    }
}
