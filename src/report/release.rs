//! The release plan as people read it: the dry run (and the preview before a confirmation).
//! Colour only when asked; this and `text.rs` are the only users of console styles.

use std::io::Write;

use crate::release::{Plan, Planned};

/// `text` in `style` when `color`, else as is.
fn paint(color: bool, style: console::Style, text: &str) -> String {
    if color {
        style.force_styling(true).apply_to(text).to_string()
    } else {
        text.to_owned()
    }
}

/// Shows everything a release would do: the version, a unified diff of each file (3 lines of
/// context), the commit message and the tag. Colour only when `color`.
pub(crate) fn render_dry_run(plan: &Plan, out: &mut dyn Write, color: bool) -> std::io::Result<()> {
    use console::Style;
    let paint = |style: Style, text: &str| paint(color, style, text);
    let bold = || Style::new().bold();

    let version = match &plan.previous_version {
        Some(previous) => format!("{previous} -> {}", plan.version),
        None => format!("{} (first release)", plan.version),
    };
    writeln!(out, "{} {version}", paint(bold(), "version"))?;

    for edit in &plan.edits {
        if edit.before.as_deref() == Some(edit.after.as_str()) {
            continue;
        }
        writeln!(out)?;
        render_file_diff(&edit.path, edit.before.as_deref(), &edit.after, out, color)?;
    }

    writeln!(out)?;
    match &plan.commit_message {
        Some(message) => write_labelled(out, &paint(bold(), "commit"), message)?,
        None => writeln!(
            out,
            "{} none: the files are left uncommitted",
            paint(bold(), "commit")
        )?,
    }
    if plan.tags.is_empty() {
        writeln!(out, "{} none", paint(bold(), "tag   "))?;
    }
    for (name, message) in &plan.tags {
        writeln!(out, "{} {name} (annotated)", paint(bold(), "tag   "))?;
        write_labelled(out, "      ", message)?;
    }
    Ok(())
}

/// A unified diff of one file (3 lines of context), `--- a/path` (`/dev/null` for a new
/// file) and `+++ b/path` first. Colour only when `color`. `init --dry-run` shows its edit so.
pub(crate) fn render_file_diff(
    path: &str,
    before: Option<&str>,
    after: &str,
    out: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    use console::Style;
    let paint = |style: Style, text: &str| paint(color, style, text);
    let bold = || Style::new().bold();
    let old_name = match before {
        Some(_) => format!("a/{path}"),
        None => "/dev/null".to_owned(),
    };
    writeln!(out, "{}", paint(bold(), &format!("--- {old_name}")))?;
    writeln!(out, "{}", paint(bold(), &format!("+++ b/{path}")))?;
    let diff = similar::TextDiff::from_lines(before.unwrap_or(""), after);
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        writeln!(
            out,
            "{}",
            paint(Style::new().cyan(), &hunk.header().to_string())
        )?;
        for change in hunk.iter_changes() {
            let (sign, style) = match change.tag() {
                similar::ChangeTag::Delete => ("-", Style::new().red()),
                similar::ChangeTag::Insert => ("+", Style::new().green()),
                similar::ChangeTag::Equal => (" ", Style::new()),
            };
            let line = change.value().strip_suffix('\n').unwrap_or(change.value());
            writeln!(out, "{}", paint(style, &format!("{sign}{line}")))?;
            if change.missing_newline() {
                writeln!(out, "\\ No newline at end of file")?;
            }
        }
    }
    Ok(())
}

/// Writes `text` after `label`, its later lines indented under the first.
fn write_labelled(out: &mut dyn Write, label: &str, text: &str) -> std::io::Result<()> {
    for (i, line) in text.trim_end().lines().enumerate() {
        let lead = if i == 0 { label } else { "      " };
        if line.is_empty() {
            writeln!(out)?;
        } else {
            writeln!(out, "{lead} {line}")?;
        }
    }
    Ok(())
}

/// What a release did, and how to push it.
pub(crate) fn render_applied(
    planned: &Planned,
    branch: &str,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let plan = &planned.plan;
    let tags: Vec<&str> = plan.tags.iter().map(|(t, _)| t.as_str()).collect();
    match (&plan.commit_message, tags.as_slice()) {
        (Some(_), [t]) => {
            writeln!(
                out,
                "Released {}: committed and tagged `{t}`.",
                planned.headline
            )?;
            writeln!(out, "Push it with: git push origin {branch} {t}")
        }
        (Some(_), [_, ..]) => {
            writeln!(
                out,
                "Released {}: committed and tagged {}.",
                planned.headline,
                tags.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )?;
            writeln!(
                out,
                "Push it with: git push origin {branch} {}",
                tags.join(" ")
            )
        }
        (Some(m), []) => writeln!(out, "Committed `{m}` (no tag)."),
        _ => writeln!(
            out,
            "Wrote the release files for {}; nothing was committed.",
            plan.version
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::FileEdit;
    use crate::release::tests::plan;

    fn render(plan: &Plan, color: bool) -> String {
        let mut out = Vec::new();
        render_dry_run(plan, &mut out, color).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn dry_run_shows_diffs_commit_and_tag() {
        insta::assert_snapshot!(render(&plan(), false));
    }

    #[test]
    fn dry_run_of_a_first_release_without_commit_or_tag() {
        let plan = Plan {
            version: "0.1.0".to_owned(),
            previous_version: None,
            edits: vec![FileEdit {
                path: "src/pkg/_version.py".to_owned(),
                before: Some("__version__ = \"0.0.0\"".to_owned()),
                after: "__version__ = \"0.1.0\"".to_owned(),
            }],
            commit_message: None,
            tags: Vec::new(),
        };
        insta::assert_snapshot!(render(&plan, false));
    }

    #[test]
    fn dry_run_colours_only_when_asked() {
        assert!(!render(&plan(), false).contains('\u{1b}'));
        let coloured = render(&plan(), true);
        assert!(coloured.contains("\u{1b}[31m-version = \"1.0.0\"\u{1b}[0m"));
        assert!(coloured.contains("\u{1b}[32m+version = \"1.1.0\"\u{1b}[0m"));
    }
}
