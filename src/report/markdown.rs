//! The Markdown report, written to be posted as a pull-request comment (GitHub Flavored
//! Markdown): a one-line verdict, a table of the changes worst first, the signature diffs folded
//! in a `<details>`, and the warnings.
//!
//! Messages come with names in backticks, and names, defaults and annotations are the project's
//! own text: they may hold `|`, backticks or `<`. Every piece is escaped for where it lands (a
//! table cell, a code span, a fenced block), so no input can break the table or inject markup.

use std::io::{self, Write};

use super::Report;
use crate::version::Bump;

/// Writes the Markdown report of `report`.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let needs = needs(report);
    match &report.check {
        Some(verdict) => {
            let mark = if verdict.passed { "✅" } else { "❌" };
            writeln!(
                out,
                "**bumpwise** {mark} {}",
                inline(&verdict.headline(), false)
            )?;
            writeln!(out)?;
            writeln!(out, "{}", capitalize(&needs))?;
        }
        None => writeln!(out, "**bumpwise**: {needs}")?,
    }

    if !report.changes.is_empty() {
        writeln!(out)?;
        writeln!(out, "| Bump | Change | Where |")?;
        writeln!(out, "| --- | --- | --- |")?;
        for (bump, changes) in report.by_bump() {
            for c in changes {
                let mut place = code_span(&format!("{}:{}", c.file, c.line), true);
                if !c.also_at.is_empty() {
                    let paths: Vec<String> = c.also_at.iter().map(|a| code_span(a, true)).collect();
                    place.push_str(&format!("<br>also at {}", paths.join(", ")));
                }
                if let Some(to) = &c.moved_to {
                    place.push_str(&format!("<br>moved to {}", code_span(to, true)));
                }
                writeln!(out, "| {bump} | {} | {place} |", inline(&c.message, true))?;
            }
        }
    }

    let signatures: Vec<_> = report
        .by_bump()
        .into_iter()
        .flat_map(|(_, changes)| changes)
        .filter_map(|c| Some((c, c.before.as_deref()?, c.after.as_deref()?)))
        .collect();
    if !signatures.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "<details><summary>Signature changes ({})</summary>",
            signatures.len()
        )?;
        for (change, before, after) in signatures {
            writeln!(out)?;
            writeln!(
                out,
                "{} ({})",
                code_span(&change.path, false),
                code_span(change.kind.id(), false)
            )?;
            let body = format!("- {}\n+ {}", one_line(before), one_line(after));
            let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
            writeln!(out, "{fence}diff\n{body}\n{fence}")?;
        }
        writeln!(out)?;
        writeln!(out, "</details>")?;
    }

    if !report.warnings.is_empty() {
        writeln!(out)?;
        writeln!(out, "**Warnings**")?;
        writeln!(out)?;
        for w in &report.warnings {
            let at = code_span(&format!("{}:{}:{}", w.file, w.line, w.column), false);
            writeln!(out, "- {at}: {}", inline(&w.message, false))?;
        }
    }

    writeln!(out)?;
    writeln!(
        out,
        "Compared {} with {} for package {}. {}.",
        code_span(&report.from, false),
        code_span(&report.to, false),
        code_span(&report.package, false),
        capitalize(&inline(&report.summary(), false))
    )?;
    Ok(())
}

/// What the release needs, as the verdict says it.
fn needs(report: &Report) -> String {
    let versions = match (&report.current_version, &report.next_version) {
        (Some(from), Some(to)) => format!(" ({} -> {})", escape_text(from), escape_text(to)),
        (None, Some(to)) => format!(" ({})", escape_text(to)),
        _ => String::new(),
    };
    let bump = report.required_bump;
    match (bump, report.changes.is_empty()) {
        (Bump::None, _) => {
            "no public API changes and no package files changed: no release needed".to_owned()
        }
        (_, true) => format!(
            "no public API changes, but package files changed: this needs a **{bump}** \
             release{versions}"
        ),
        (_, false) => format!("this change needs a **{bump}** release{versions}"),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A message with names in backticks, as Markdown: the backticked parts become code spans and
/// the rest is escaped text. When the backticks do not pair up (a default like `'`'`), no part
/// can be trusted to be a name, so the whole message becomes escaped text.
fn inline(message: &str, in_table: bool) -> String {
    let message = one_line(message);
    if !message.matches('`').count().is_multiple_of(2) {
        return escape_text(&message);
    }
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(&escape_text(part));
        } else {
            out.push_str(&code_span(part, in_table));
        }
    }
    out
}

/// Backslash-escapes the ASCII punctuation that could start markup in running text, and `|`,
/// which would end a table cell (CommonMark allows a backslash before any ASCII punctuation, so
/// over-escaping is harmless).
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '#' | '!' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span holding `content` literally: the fence is one backtick longer than the longest
/// run inside, padded with spaces when the content starts or ends with a backtick (CommonMark
/// 6.1). In a table cell `|` must still be escaped, even inside code (GFM 4.10).
fn code_span(content: &str, in_table: bool) -> String {
    let content = one_line(content);
    let fence = "`".repeat(longest_run(&content, '`') + 1);
    let pad = if content.starts_with('`') || content.ends_with('`') {
        " "
    } else {
        ""
    };
    let content = if in_table {
        content.replace('|', "\\|")
    } else {
        content
    };
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// The length of the longest run of `c` in `s`.
fn longest_run(s: &str, c: char) -> usize {
    s.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// Table cells, code spans and diff lines are one line each.
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{sample, sample_empty};

    fn markdown(report: &Report) -> String {
        let mut buf = Vec::new();
        render(report, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn sample_report() {
        insta::assert_snapshot!(markdown(&sample()));
    }

    #[test]
    fn sample_report_without_check() {
        let mut report = sample();
        report.check = None;
        report.warnings.clear();
        let out = markdown(&report);
        assert!(
            out.starts_with(
                "**bumpwise**: this change needs a **major** release (1.4.0 -> 2.0.0)\n"
            )
        );
    }

    #[test]
    fn no_api_changes_but_files_changed() {
        insta::assert_snapshot!(markdown(&sample_empty(true)));
    }

    #[test]
    fn nothing_changed() {
        insta::assert_snapshot!(markdown(&sample_empty(false)));
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        assert_eq!(code_span("a", false), "`a`");
        assert_eq!(code_span("a`b", false), "``a`b``");
        assert_eq!(code_span("'`'", false), "``'`'``");
        assert_eq!(code_span("`x", false), "`` `x ``");
        assert_eq!(code_span("a | b", true), "`a \\| b`");
        assert_eq!(code_span("a | b", false), "`a | b`");
    }

    #[test]
    fn messages_keep_names_as_code_and_escape_the_rest() {
        assert_eq!(
            inline("parameter `x|y` of `f` is *gone*", true),
            "parameter `x\\|y` of `f` is \\*gone\\*"
        );
        // Unpaired backticks: nothing is taken for code.
        assert_eq!(inline("from `'`'`", false), "from \\`'\\`'\\`");
        assert_eq!(inline("a <b> c", false), "a \\<b\\> c");
        assert_eq!(inline("two\nlines", false), "two lines");
    }

    #[test]
    fn every_table_row_has_three_cells() {
        let out = markdown(&sample());
        for row in out.lines().filter(|l| l.starts_with("| ")) {
            // Unescaped pipes only: the cell borders.
            let bytes = row.as_bytes();
            let borders = (0..bytes.len())
                .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
                .count();
            assert_eq!(borders, 4, "{row}");
        }
    }
}
