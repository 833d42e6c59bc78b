//! The Markdown report, written to be posted as a pull-request comment (GitHub Flavored
//! Markdown): a one-line verdict, a table of the changes worst first, the signature diffs folded
//! in a `<details>`, and the warnings.
//!
//! Messages come with names in backticks, and names, defaults and annotations are the project's
//! own text: they may hold `|`, backticks or `<`. Every piece is escaped for where it lands (a
//! table cell, a code span, a fenced block), so no input can break the table or inject markup.

use std::io::{self, Write};

use super::Report;
use crate::diff::Change;
use crate::version::Bump;

/// GitHub rejects pull-request comments over 65,536 characters; a little room is left for the
/// marker a bot adds.
pub const COMMENT_MAX_BYTES: usize = 65_000;

/// GitHub's step summary holds at most 1 MiB per step.
pub const STEP_SUMMARY_MAX_BYTES: usize = 1_000_000;

/// The least one member's report gets under `--all`: its verdict and counts always fit.
pub const MIN_BYTES: usize = 2_000;

/// Writes the Markdown report of `report` in at most `max_bytes` bytes: whole when it fits,
/// else cut (see [`render_cut`]).
pub fn render(report: &Report, max_bytes: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut full = Vec::new();
    render_full(report, &mut full)?;
    if full.len() <= max_bytes {
        out.write_all(&full)?;
    } else {
        out.write_all(render_cut(report, max_bytes).as_bytes())?;
    }
    // A bounded section: at most a fixed number of findings.
    match &report.imports {
        Some(findings) => super::imports::markdown_section(findings, out),
        None => Ok(()),
    }
}

/// The whole report: the verdict, every change, the signature diffs, the warnings.
fn render_full(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    write!(out, "{}", head(report))?;

    if !report.changes.is_empty() {
        writeln!(out)?;
        writeln!(out, "| Bump | Change | Where |")?;
        writeln!(out, "| --- | --- | --- |")?;
        for (bump, changes) in report.by_bump() {
            for c in changes {
                write!(out, "{}", change_row(bump, c))?;
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

    write!(out, "{}", closing(report))
}

/// A report too long for its place: the verdict and a table of counts by bump and kind always;
/// then the first changes of each bump, then the rest in order, while they fit; then how many
/// were left out and where to see them all. Signature diffs and warnings are left to the full
/// report.
fn render_cut(report: &Report, max_bytes: usize) -> String {
    let mut head = head(report);
    head.push_str("\n| Bump | Kind | Changes |\n| --- | --- | --- |\n");
    for (bump, changes) in report.by_bump() {
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for c in changes {
            match kinds.iter_mut().find(|(k, _)| *k == c.kind.id()) {
                Some((_, n)) => *n += 1,
                None => kinds.push((c.kind.id(), 1)),
            }
        }
        kinds.sort_unstable();
        for (kind, n) in kinds {
            head.push_str(&format!("| {bump} | {} | {n} |\n", code_span(kind, true)));
        }
    }

    let groups = report.by_bump();
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|(bump, changes)| changes.iter().map(|c| change_row(*bump, c)).collect())
        .collect();
    let total: usize = rows.iter().map(Vec::len).sum();
    // The footer's length hardly depends on the count it states; reserve room for the longest.
    let footer = |shown: usize| {
        format!(
            "\n{} of {total} changes are not shown: this report is cut to {max_bytes} bytes. \
             See them all in the job log, or with `bumpwise diff --format json`.\n",
            total - shown
        ) + &closing(report)
    };
    let table_head = "\n| Bump | Change | Where |\n| --- | --- | --- |\n";
    let mut budget = max_bytes.saturating_sub(head.len() + table_head.len() + footer(0).len());
    // First the first change of every bump, then up to three of each, then the rest in order.
    let mut taken: Vec<usize> = vec![0; rows.len()];
    for round in [1, 3, usize::MAX] {
        for (g, group) in rows.iter().enumerate() {
            while taken[g] < group.len().min(round) && group[taken[g]].len() <= budget {
                budget -= group[taken[g]].len();
                taken[g] += 1;
            }
        }
    }
    let shown: usize = taken.iter().sum();
    let mut out = head;
    if shown > 0 {
        out.push_str(table_head);
        for (g, group) in rows.iter().enumerate() {
            for row in &group[..taken[g]] {
                out.push_str(row);
            }
        }
    }
    out.push_str(&footer(shown));
    out
}

/// The verdict and what the release needs.
fn head(report: &Report) -> String {
    let needs = needs(report);
    match &report.check {
        Some(verdict) => {
            let mark = if verdict.passed { "✅" } else { "❌" };
            format!(
                "**bumpwise** {mark} {}\n\n{}\n",
                inline(&verdict.headline(), false),
                capitalize(&needs)
            )
        }
        None => format!("**bumpwise**: {needs}\n"),
    }
}

/// One row of the changes table.
fn change_row(bump: Bump, c: &Change) -> String {
    let mut place = code_span(&format!("{}:{}", c.file, c.line), true);
    if !c.also_at.is_empty() {
        let paths: Vec<String> = c.also_at.iter().map(|a| code_span(a, true)).collect();
        place.push_str(&format!("<br>also at {}", paths.join(", ")));
    }
    if let Some(to) = &c.moved_to {
        place.push_str(&format!("<br>moved to {}", code_span(to, true)));
    }
    format!(
        "| {bump} | {} | {place} |\n",
        inline(&c.message_with_since(), true)
    )
}

/// The closing line: what was compared, and the required bump.
fn closing(report: &Report) -> String {
    format!(
        "\nCompared {} with {} for package {}. {}.\n",
        code_span(&report.from, false),
        code_span(&report.to, false),
        code_span(&report.package, false),
        capitalize(&inline(&report.summary(), false))
    )
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
        render(report, COMMENT_MAX_BYTES, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn sample_report() {
        insta::assert_snapshot!(markdown(&sample()));
    }

    /// A report of `n` copies of the sample's changes.
    fn long(n: usize) -> Report {
        let mut report = sample();
        let changes = report.changes.clone();
        report.changes = (0..n).flat_map(|_| changes.clone()).collect();
        report
    }

    fn cut(report: &Report, max_bytes: usize) -> String {
        let mut buf = Vec::new();
        render(report, max_bytes, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    /// A report over the limit keeps the verdict, the counts and the first changes of each
    /// bump, fits, and says what it left out (issue 8).
    #[test]
    fn issue_8_a_long_report_is_cut_to_fit() {
        let report = long(2000);
        let full = cut(&report, usize::MAX);
        assert!(full.len() > 500_000, "{}", full.len());
        for max in [COMMENT_MAX_BYTES, 4_000] {
            let out = cut(&report, max);
            assert!(out.len() <= max, "{} > {max}", out.len());
            assert!(out.starts_with("**bumpwise** ❌ check failed:"), "{out}");
            assert!(out.contains("| major | `parameter-became-keyword-only` | 2000 |"));
            assert!(out.contains("| patch | `default-changed` | 2000 |"));
            for bump in ["major", "minor", "patch"] {
                assert!(
                    out.contains(&format!("\n| {bump} | parameter"))
                        || out.contains(&format!("\n| {bump} | the "))
                        || out.contains(&format!("\n| {bump} | `")),
                    "no {bump} row in\n{out}"
                );
            }
            assert!(
                out.contains("changes are not shown: this report is cut to"),
                "{out}"
            );
            assert!(out.ends_with("Compared `v1.4.0` with `HEAD` for package `mypkg`. Required bump: major (4000 breaking changes) — next version 2.0.0.\n"), "{out}");
        }
        insta::assert_snapshot!(cut(&long(3), 1_800));
    }

    /// The step summary has room for far more than a comment.
    #[test]
    fn issue_8_limits() {
        let report = long(50);
        assert_eq!(
            cut(&report, COMMENT_MAX_BYTES),
            cut(&report, STEP_SUMMARY_MAX_BYTES)
        );
        let report = long(1500);
        assert!(cut(&report, COMMENT_MAX_BYTES).len() < cut(&report, STEP_SUMMARY_MAX_BYTES).len());
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
