//! An entry in a reStructuredText changelog (`CHANGES.rst`, `HISTORY.rst`), written in the
//! file's own style: the heading of its newest release is the model for the new one (its
//! underline character, an overline if it has one, the words around the version and the date,
//! a `Released 2023-08-17` line under it) and so is the bullet of its first list item.
//! Pure text in, text out.

use super::{EntryInput, SECTIONS};

/// Characters RST accepts for section adornments (the usual ones).
const ADORNMENTS: &str = "=-~^\"'`#*+:._";

/// Whether the changelog at `path` is reStructuredText: a `.rst` file, or a file without an
/// extension whose headings are underlined and none is a Markdown `#` heading.
pub fn is_rst(path: &str, text: Option<&str>) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if name.ends_with(".rst") {
        return true;
    }
    if name.contains('.') {
        return false;
    }
    text.is_some_and(|t| {
        let lines: Vec<&str> = t.lines().collect();
        !headings(&lines).is_empty() && !lines.iter().any(|l| l.starts_with('#'))
    })
}

/// One section title: its line, the adornment, and whether it has an overline too.
struct Heading {
    line: usize,
    adornment: char,
    overline: bool,
}

/// An adornment line: one punctuation character repeated, at least three times.
fn adornment(line: &str) -> Option<char> {
    let line = line.trim_end();
    let first = line.chars().next()?;
    (ADORNMENTS.contains(first) && line.len() >= 3 && line.chars().all(|c| c == first))
        .then_some(first)
}

fn headings(lines: &[&str]) -> Vec<Heading> {
    let mut out = Vec::new();
    for i in 0..lines.len().saturating_sub(1) {
        let title = lines[i].trim();
        if title.is_empty() || adornment(lines[i]).is_some() || lines[i].starts_with(' ') {
            continue;
        }
        let Some(c) = adornment(lines[i + 1]) else {
            continue;
        };
        let overline = i > 0 && adornment(lines[i - 1]) == Some(c);
        out.push(Heading {
            line: i,
            adornment: c,
            overline,
        });
    }
    out
}

/// The byte range of the first version in `title` (`8.1.7` in `Version 8.1.7`, `1.2.0` in
/// `v1.2.0 (2023-01-01)`).
fn version_span(title: &str) -> Option<std::ops::Range<usize>> {
    let bytes = title.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit()
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'v')
        {
            let end = i + title[i..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .unwrap_or(title.len() - i);
            let token = title[i..end].trim_end_matches('.');
            if token.contains('.')
                && token
                    .split('.')
                    .next()
                    .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
            {
                return Some(i..i + token.len());
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// The byte range of the first `YYYY-MM-DD` date in `text`.
fn date_span(text: &str) -> Option<std::ops::Range<usize>> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let shape = b[i..i + 10].iter().enumerate().all(|(k, c)| match k {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        let bounded = i + 10 == b.len() || !b[i + 10].is_ascii_digit();
        (shape && bounded).then_some(i..i + 10)
    })
}

fn is_unreleased(title: &str) -> bool {
    let t = title.to_ascii_lowercase();
    t.contains("unreleased") || t.contains("in development") || t.contains("unpublished")
}

/// `text` with its `` `name` `` spans turned into RST inline literals (``` ``name`` ```): in RST a
/// single backtick is interpreted text, not code.
fn literals(text: &str) -> String {
    if !text.matches('`').count().is_multiple_of(2) {
        return text.to_owned();
    }
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 && !part.is_empty() {
            out.push_str(&format!("``{part}``"));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Inserts the entry for `input` into the RST changelog `existing`, above its newest release.
pub fn insert(existing: &str, input: &EntryInput) -> String {
    let eol = if existing.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let lines: Vec<&str> = existing
        .split_inclusive('\n')
        .map(|l| l.trim_end_matches('\n').trim_end_matches('\r'))
        .collect();
    let all = headings(&lines);
    let releases: Vec<&Heading> = all
        .iter()
        .filter(|h| {
            let title = lines[h.line].trim();
            version_span(title).is_some() && !is_unreleased(title)
        })
        .collect();
    // A section's body, and its first non-blank line.
    let body = |h: &Heading| {
        let end = all
            .iter()
            .find(|o| o.line > h.line)
            .map_or(lines.len(), |o| o.line - usize::from(o.overline));
        &lines[(h.line + 2).min(end)..end]
    };
    let first_line = |h: &Heading| body(h).iter().find(|l| !l.trim().is_empty()).copied();
    // Pallets-style: the newest section is the next release, written ahead and marked
    // `Unreleased` on its first line. It becomes this release; its notes stay.
    let pending = releases
        .first()
        .copied()
        .filter(|h| first_line(h).is_some_and(is_unreleased));
    let model = match pending {
        Some(_) => releases.get(1).copied().or(pending),
        None => releases.first().copied(),
    };

    // The new heading, modelled on the newest release's.
    let (title, adornment, overline) = match model {
        Some(h) => {
            let old = lines[h.line].trim();
            let mut title = old.to_owned();
            if let Some(d) = date_span(&title) {
                title.replace_range(d, input.date);
            }
            if let Some(v) = version_span(&title) {
                title.replace_range(v, input.version);
            }
            (title, h.adornment, h.overline)
        }
        None => {
            // Below the document title, in the style of the next level down.
            let level = all
                .iter()
                .map(|h| h.adornment)
                .find(|c| Some(*c) != all.first().map(|h| h.adornment))
                .unwrap_or('-');
            (format!("{} ({})", input.version, input.date), level, false)
        }
    };
    let rule: String = std::iter::repeat_n(adornment, title.chars().count()).collect();

    // A `Released 2023-08-17` line under the model heading gets today's date.
    let released = model.and_then(|h| {
        let first = first_line(h)?;
        let d = date_span(first)?;
        (first.len() < 60 && !first.trim_start().starts_with(['-', '*', '+'])).then(|| {
            let mut line = first.to_owned();
            line.replace_range(d, input.date);
            line
        })
    });
    let bullet = model
        .and_then(|h| {
            body(h).iter().find_map(|l| {
                let marker = l.chars().next().filter(|c| "-*+".contains(*c))?;
                let spaces = l[1..].len() - l[1..].trim_start_matches(' ').len();
                (spaces > 0).then(|| format!("{marker}{}", " ".repeat(spaces)))
            })
        })
        .unwrap_or_else(|| "- ".to_owned());
    // The pending section's notes, without its `Unreleased` line.
    let notes: Vec<String> = match pending {
        Some(h) => {
            let lines = body(h);
            let skip = lines
                .iter()
                .position(|l| is_unreleased(l))
                .map_or(0, |i| i + 1);
            let mut notes: Vec<String> = lines[skip..].iter().map(|l| (*l).to_owned()).collect();
            while notes.first().is_some_and(|l| l.trim().is_empty()) {
                notes.remove(0);
            }
            while notes.last().is_some_and(|l| l.trim().is_empty()) {
                notes.pop();
            }
            notes
        }
        None => Vec::new(),
    };

    let mut entry: Vec<String> = Vec::new();
    if overline {
        entry.push(rule.clone());
    }
    entry.push(title);
    entry.push(rule);
    entry.push(String::new());
    if let Some(line) = released {
        entry.push(line);
        entry.push(String::new());
    }
    if !notes.is_empty() {
        entry.extend(notes);
        entry.push(String::new());
    }
    let lists = [
        &input.breaking,
        &input.added,
        &input.deprecated,
        &input.changed,
        &input.commits,
    ];
    for (name, items) in SECTIONS.iter().zip(lists) {
        if items.is_empty() {
            continue;
        }
        entry.push(format!("**{name}**"));
        entry.push(String::new());
        let indent = " ".repeat(bullet.len());
        for item in items {
            let text = literals(item.trim());
            for (k, line) in text.lines().enumerate() {
                entry.push(if k == 0 {
                    format!("{bullet}{line}")
                } else {
                    format!("{indent}{}", line.trim_end())
                });
            }
        }
        entry.push(String::new());
    }

    // In place of a pending section; else above the newest release; without one, below the
    // document title (or at the top).
    let (at, resume) = match (pending, releases.first()) {
        (Some(h), _) => {
            let start = h.line - usize::from(h.overline);
            let end = all
                .iter()
                .find(|o| o.line > h.line)
                .map_or(lines.len(), |o| o.line - usize::from(o.overline));
            (start, end)
        }
        (None, Some(h)) => (
            h.line - usize::from(h.overline),
            h.line - usize::from(h.overline),
        ),
        (None, None) => {
            let at = match all.first() {
                Some(h) => {
                    let mut at = h.line + 2;
                    while at < lines.len() && lines[at].trim().is_empty() {
                        at += 1;
                    }
                    at
                }
                None => 0,
            };
            (at, at)
        }
    };
    // As many blank lines between releases as the file keeps.
    let gap = releases
        .get(1)
        .map_or(1, |second| {
            let top = second.line - usize::from(second.overline);
            lines[..top]
                .iter()
                .rev()
                .take_while(|l| l.trim().is_empty())
                .count()
        })
        .max(1);
    while entry.last().is_some_and(|l| l.trim().is_empty()) {
        entry.pop();
    }
    entry.extend(std::iter::repeat_n(String::new(), gap));
    let mut out: Vec<String> = lines[..at].iter().map(|l| (*l).to_owned()).collect();
    if out.last().is_some_and(|l| !l.trim().is_empty()) {
        out.push(String::new());
    }
    out.extend(entry);
    out.extend(lines[resume..].iter().map(|l| (*l).to_owned()));
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let mut text = out.join(eol);
    text.push_str(eol);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EntryInput<'static> {
        EntryInput {
            version: "3.1.0",
            date: "2026-12-02",
            breaking: vec!["Parameter `b` of `pkg.f` was removed".to_owned()],
            added: vec!["`pkg.g` was added".to_owned()],
            commits: vec!["Add g".to_owned()],
            ..EntryInput::default()
        }
    }

    #[test]
    fn detects_rst() {
        assert!(is_rst("CHANGES.rst", None));
        assert!(!is_rst("CHANGELOG.md", Some("Version 1.0\n-----------\n")));
        assert!(is_rst("NEWS", Some("Version 1.0\n-----------\n\n- x\n")));
        assert!(!is_rst("NEWS", Some("# News\n\n## 1.0\n")));
        assert!(!is_rst("NEWS", None));
    }

    /// Flask's and click's style: `Version X` underlined with `-`, a `Released` line, `-   `.
    #[test]
    fn follows_the_pallets_style() {
        let existing = "Version 3.0.1\n-------------\n\nUnreleased\n\n-   Pending fix.\n\n\nVersion 3.0.0\n-------------\n\nReleased 2023-09-30\n\n-   Remove previously deprecated code. :pr:`5223`\n";
        insta::assert_snapshot!(insert(existing, &input()));
    }

    /// A title with an overline, versions with dates in the heading, `*` bullets, CRLF.
    #[test]
    fn follows_overlines_dates_and_crlf() {
        let existing = "=======\nHistory\n=======\n\n2.1.0 (2024-05-01)\n------------------\n\n* Fixed things.\n";
        let got = insert(existing, &input());
        assert!(
            got.starts_with("=======\nHistory\n=======\n\n3.1.0 (2026-12-02)\n------------------\n\n**Breaking changes**\n\n* Parameter ``b`` of ``pkg.f`` was removed\n"),
            "{got}"
        );
        assert!(got.ends_with("2.1.0 (2024-05-01)\n------------------\n\n* Fixed things.\n"));
        let crlf = insert(&existing.replace('\n', "\r\n"), &input());
        assert_eq!(crlf, got.replace('\n', "\r\n"));
    }

    #[test]
    fn a_file_with_only_a_title() {
        let got = insert("Changelog\n=========\n", &input());
        assert!(
            got.starts_with("Changelog\n=========\n\n3.1.0 (2026-12-02)\n------------------\n\n"),
            "{got}"
        );
    }
}
