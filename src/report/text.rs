//! The human report: a header, the changes grouped by bump (worst first) with signature diffs,
//! and one closing line with the required bump and the next version. Warnings are not repeated
//! here: they went to stderr once, as the comparison found them.
//!
//! This is the only module that uses `console` styles. Whether to colour is decided once, by the
//! caller; with `color` false not a single escape code is written, whatever the terminal.

use std::io::{self, Write};

use console::Style;
use similar::{Algorithm, DiffTag};

use super::Report;
use crate::diff::Change;
use crate::version::Bump;

/// Writes the text report of `report`, coloured when `color` is true.
pub fn render(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let p = Painter { color };

    if let Some(verdict) = &report.check {
        let style = if verdict.passed { GOOD } else { BAD };
        writeln!(out, "{}", p.paint(&verdict.headline(), style.bold()))?;
        writeln!(out)?;
    }

    let mut header = format!("{}: {} -> {}", report.package, report.from, report.to);
    let versions: Vec<String> = [
        report
            .current_version
            .as_ref()
            .map(|v| format!("last release {v}")),
        report
            .declared_version
            .as_ref()
            .map(|v| format!("declared {v}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !versions.is_empty() {
        header.push_str(&format!(" ({})", versions.join(", ")));
    }
    writeln!(out, "{}", p.paint(&header, Style::new().bold()))?;

    if report.changes.is_empty() {
        writeln!(out)?;
        writeln!(out, "no public API changes")?;
    }
    for (bump, changes) in report.by_bump() {
        writeln!(out)?;
        let heading = format!("{} ({})", heading(bump), changes.len());
        writeln!(out, "{}", p.paint(&heading, bump_style(bump).bold()))?;
        for change in changes {
            render_change(&p, change, out)?;
        }
    }

    writeln!(out)?;
    writeln!(out, "{}", p.paint(&report.summary(), Style::new().bold()))?;
    if let Some(findings) = &report.imports {
        super::imports::text_section(findings, out)?;
    }
    Ok(())
}

/// One change: its message, where it is, and the signature diff when there is one.
fn render_change(p: &Painter, change: &Change, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "  {}", change.message_with_since())?;
    let kind = p.paint(&format!("[{}]", change.kind), DIM);
    writeln!(out, "    --> {}:{}  {kind}", change.file, change.line)?;
    if !change.also_at.is_empty() {
        let paths: Vec<String> = change.also_at.iter().map(|a| format!("`{a}`")).collect();
        writeln!(out, "    also at {}", paths.join(", "))?;
    }
    if let Some(to) = &change.moved_to {
        writeln!(out, "    moved to `{to}`")?;
    }
    if let (Some(before), Some(after)) = (&change.before, &change.after) {
        let (old, new) = p.inline_diff(before, after);
        writeln!(out, "    {}{old}", p.paint("- ", DEL))?;
        writeln!(out, "    {}{new}", p.paint("+ ", INS))?;
    }
    Ok(())
}

/// The group heading of a bump level.
fn heading(bump: Bump) -> &'static str {
    match bump {
        Bump::Major => "Major",
        Bump::Minor => "Minor",
        Bump::Patch => "Patch",
        // Only a `[tool.bumpwise] rules` override can lower a kind to `none`.
        Bump::None => "No release needed",
    }
}

const BAD: Style = Style::new().red();
const GOOD: Style = Style::new().green();
const WARN: Style = Style::new().yellow();
const DIM: Style = Style::new().dim();
const DEL: Style = Style::new().red();
const INS: Style = Style::new().green();

fn bump_style(bump: Bump) -> Style {
    match bump {
        Bump::Major => BAD,
        Bump::Minor => WARN,
        Bump::Patch => Style::new().cyan(),
        Bump::None => DIM,
    }
}

/// Applies styles only when colour is on; `force_styling` because the caller has already decided
/// (console would otherwise ask the terminal again, and tests have none).
struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, text: &str, style: Style) -> String {
        if self.color {
            style.force_styling(true).apply_to(text).to_string()
        } else {
            text.to_owned()
        }
    }

    /// The old and new line of a signature, with the tokens that differ emphasized. Without
    /// colour the lines are returned as they are: the `-`/`+` pair already says what changed.
    fn inline_diff(&self, before: &str, after: &str) -> (String, String) {
        if !self.color {
            return (before.to_owned(), after.to_owned());
        }
        let old = tokens(before);
        let new = tokens(after);
        let mut old_line = String::new();
        let mut new_line = String::new();
        for op in similar::capture_diff_slices(Algorithm::Myers, &old, &new) {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            let (del, ins) = if tag == DiffTag::Equal {
                (DEL, INS)
            } else {
                (DEL.bold().underlined(), INS.bold().underlined())
            };
            let old_text = old[old_range].concat();
            let new_text = new[new_range].concat();
            if !old_text.is_empty() {
                old_line.push_str(&self.paint(&old_text, del));
            }
            if !new_text.is_empty() {
                new_line.push_str(&self.paint(&new_text, ins));
            }
        }
        (old_line, new_line)
    }
}

/// Splits a line of Python into words (identifier characters), runs of spaces, and single
/// punctuation characters: a diff of these tokens marks `*, ` or `timeout` rather than whole
/// space-separated chunks like `connect(host,`.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            0
        } else if c == ' ' {
            1
        } else {
            2
        }
    };
    let mut prev: Option<u8> = None;
    for (i, c) in line.char_indices() {
        let k = class(c);
        // Punctuation never joins its neighbour, so `)` and `:` stay separate tokens.
        if prev.is_some_and(|p| p != k || k == 2) {
            out.push(&line[start..i]);
            start = i;
        }
        prev = Some(k);
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{sample, sample_empty};

    fn text(report: &Report, color: bool) -> String {
        let mut buf = Vec::new();
        render(report, &mut buf, color).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn sample_report() {
        insta::assert_snapshot!(text(&sample(), false));
    }

    #[test]
    fn sample_report_coloured() {
        // Escape codes made visible, to review what gets emphasized.
        insta::assert_snapshot!(text(&sample(), true).replace('\x1b', "\\e"));
    }

    #[test]
    fn no_api_changes_but_files_changed() {
        insta::assert_snapshot!(text(&sample_empty(true), false));
    }

    #[test]
    fn nothing_changed() {
        insta::assert_snapshot!(text(&sample_empty(false), false));
    }

    #[test]
    fn passed_check_goes_on_top() {
        let mut report = sample_empty(true);
        report.check = Some(crate::report::Verdict {
            passed: true,
            declared_version: Some("1.4.1".to_owned()),
            declared_bump: Some(Bump::Patch),
            message: "pyproject.toml declares 1.4.1, and the changes need a patch release"
                .to_owned(),
            undeprecated_removals: Vec::new(),
        });
        let out = text(&report, false);
        assert!(out.starts_with("check passed: pyproject.toml declares 1.4.1"));
    }

    #[test]
    fn no_escape_codes_without_colour() {
        // Even when console believes the terminal supports colour.
        console::set_colors_enabled(true);
        assert!(!text(&sample(), false).contains('\x1b'));
        assert!(text(&sample(), true).contains('\x1b'));
    }

    #[test]
    fn tokens_split_words_spaces_and_punctuation() {
        assert_eq!(
            tokens("def f(a, *, b=80) -> X"),
            vec![
                "def", " ", "f", "(", "a", ",", " ", "*", ",", " ", "b", "=", "80", ")", " ", "-",
                ">", " ", "X"
            ]
        );
        assert_eq!(tokens(""), Vec::<&str>::new());
        assert_eq!(tokens("héllo wörld"), vec!["héllo", " ", "wörld"]);
    }

    #[test]
    fn inline_diff_emphasizes_only_the_changed_tokens() {
        let p = Painter { color: true };
        let (old, new) = p.inline_diff("def f(a, b=1)", "def f(a, *, b=1)");
        let emphasized = |line: &str| -> Vec<String> {
            // Each styled span is `ESC[..m` codes, the text, then the reset `ESC[0m`; bold is 1.
            line.split("\x1b[0m")
                .filter(|span| span.contains("\x1b[1m"))
                .map(console::strip_ansi_codes)
                .map(|s| s.into_owned())
                .collect()
        };
        assert_eq!(emphasized(&old), Vec::<String>::new());
        assert_eq!(emphasized(&new), vec!["*, ".to_owned()]);
        assert_eq!(console::strip_ansi_codes(&new), "def f(a, *, b=1)");
        assert_eq!(console::strip_ansi_codes(&old), "def f(a, b=1)");
    }
}
