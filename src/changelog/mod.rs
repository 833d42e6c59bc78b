//! The Keep a Changelog entry for a release (<https://keepachangelog.com/en/1.1.0/>).
//!
//! [`render_entry`] writes `## [1.5.0] - 2026-11-26` and its sections from lines the caller has
//! already put in plain words; [`insert`] places it in CHANGELOG.md: below the header and any
//! `## [Unreleased]` section (whose notes it absorbs), above the last release, leaving every other
//! line, the line endings and the link reference definitions at the bottom as they were.
//! Pure text in, text out: never touches the file system or git.

pub(crate) mod rst;

use std::time::{SystemTime, UNIX_EPOCH};

/// The lines of one release's entry, each already in plain words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryInput<'a> {
    /// The new version (`1.5.0`).
    pub version: &'a str,
    /// The release date, `YYYY-MM-DD` (see [`today`]).
    pub date: &'a str,
    pub breaking: Vec<String>,
    pub added: Vec<String>,
    pub deprecated: Vec<String>,
    pub changed: Vec<String>,
    /// Commit subjects since the last release.
    pub commits: Vec<String>,
}

/// What happens to the notes written under `## [Unreleased]` when a release absorbs them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnreleasedInto {
    /// Each `### Section` of the notes joins the entry's section of the same name (the
    /// hand-written lines first); sections the entry lacks are added before `### Commits`, and
    /// text above the first section goes at the top of the entry.
    #[default]
    Sections,
    /// The notes go at the top of the entry exactly as written, above the generated sections.
    Top,
}

/// The section headings, in the order they appear.
const SECTIONS: [&str; 5] = [
    "Breaking changes",
    "Added",
    "Deprecated",
    "Changed",
    "Commits",
];

/// The header of a new CHANGELOG.md, as Keep a Changelog 1.1.0 writes it.
pub const HEADER: &str = "# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).
";

/// Renders `## [1.5.0] - 2026-11-26` and its non-empty sections as `- ` bullets, LF-terminated.
pub fn render_entry(input: &EntryInput) -> String {
    let mut out = format!("## [{}] - {}\n", input.version, input.date);
    let lists = [
        &input.breaking,
        &input.added,
        &input.deprecated,
        &input.changed,
        &input.commits,
    ];
    for (title, lines) in SECTIONS.iter().zip(lists) {
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {title}\n\n"));
        for line in lines {
            out.push_str(&bullet(line));
        }
    }
    out
}

/// One bullet; a multi-line text keeps its lines indented under the bullet.
fn bullet(text: &str) -> String {
    let mut lines = text.trim().lines();
    let mut out = format!("- {}\n", lines.next().unwrap_or(""));
    for line in lines {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("  {}\n", line.trim_end()));
        }
    }
    out
}

/// Inserts a rendered `entry` into the changelog text `existing` (`None` when there is no file).
///
/// - No file (or an empty one): the standard [`HEADER`], an empty `## [Unreleased]`, the entry.
/// - An `## [Unreleased]` section: the entry goes right below its heading, which stays (empty),
///   and its notes move into the entry as `unreleased_into` says.
/// - Otherwise the entry goes above the first release heading, or, in a header-only file, after
///   the header and before any link reference definitions at the bottom.
///
/// Lines outside the insertion keep their bytes; a CRLF file stays CRLF.
pub fn insert(existing: Option<&str>, entry: &str, unreleased_into: UnreleasedInto) -> String {
    let existing = existing.unwrap_or("");
    let eol = if existing.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let entry_lines: Vec<&str> = entry.lines().collect();
    if existing.trim().is_empty() {
        let mut out: Vec<String> = HEADER.lines().map(str::to_owned).collect();
        out.extend(["".to_owned(), "## [Unreleased]".to_owned(), "".to_owned()]);
        out.extend(entry_lines.iter().map(|l| (*l).to_owned()));
        return join(&out, eol);
    }

    // Lines without their terminators; rejoined with the file's own ending.
    let lines: Vec<&str> = existing
        .split_inclusive('\n')
        .map(|l| l.trim_end_matches('\n').trim_end_matches('\r'))
        .collect();
    let headings = level2_headings(&lines);
    let links_start = trailing_links_start(&lines);
    let unreleased = headings.iter().copied().find(|&i| is_unreleased(lines[i]));

    let mut out: Vec<String> = Vec::new();
    let owned = |range: &[&str]| range.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>();
    match unreleased {
        Some(u) => {
            let next = headings
                .iter()
                .copied()
                .find(|&i| i > u)
                .unwrap_or(lines.len());
            let end = next.min(links_start.max(u + 1));
            let notes = &lines[u + 1..end];
            out.extend(owned(&lines[..=u]));
            out.push(String::new());
            out.extend(absorb(&entry_lines, notes, unreleased_into));
            push_rest(&mut out, &lines[end..]);
        }
        None => {
            let at = headings
                .iter()
                .copied()
                .find(|&i| is_release(lines[i]))
                .unwrap_or(links_start);
            let mut head = owned(&lines[..at]);
            while head.last().is_some_and(|l| l.trim().is_empty()) {
                head.pop();
            }
            out.extend(head);
            if !out.is_empty() {
                out.push(String::new());
            }
            out.extend(entry_lines.iter().map(|l| (*l).to_owned()));
            push_rest(&mut out, &lines[at..]);
        }
    }
    join(&out, eol)
}

/// Appends the rest of the file after the entry, separated by exactly one blank line.
fn push_rest(out: &mut Vec<String>, rest: &[&str]) {
    let rest: Vec<&str> = rest
        .iter()
        .copied()
        .skip_while(|l| l.trim().is_empty())
        .collect();
    if !rest.is_empty() {
        out.push(String::new());
        out.extend(rest.iter().map(|l| (*l).to_owned()));
    }
}

fn join(lines: &[String], eol: &str) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(line);
        out.push_str(eol);
    }
    out
}

/// Indexes of `## ` headings outside fenced code blocks.
fn level2_headings(lines: &[&str]) -> Vec<usize> {
    let mut fenced = false;
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            fenced = !fenced;
        } else if !fenced && line.starts_with("## ") {
            out.push(i);
        }
    }
    out
}

fn is_unreleased(heading: &str) -> bool {
    let title = heading.trim_start_matches('#').trim();
    let title = title.trim_start_matches('[');
    title.to_ascii_lowercase().starts_with("unreleased")
}

/// A release heading: `## [1.4.0] - ...`, `## 1.4.0`, `## v1.4.0`.
fn is_release(heading: &str) -> bool {
    let title = heading.trim_start_matches('#').trim_start();
    let title = title.strip_prefix('[').unwrap_or(title);
    let title = title.strip_prefix(['v', 'V']).unwrap_or(title);
    title.starts_with(|c: char| c.is_ascii_digit())
}

/// A Markdown link reference definition: `[1.4.0]: https://...`.
fn is_link_definition(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with('[')
        && line
            .find("]:")
            .is_some_and(|i| i > 1 && !line[1..i].contains(']'))
}

/// Where the block of link definitions at the bottom starts (`lines.len()` when there is none).
fn trailing_links_start(lines: &[&str]) -> usize {
    let mut start = lines.len();
    for (i, line) in lines.iter().enumerate().rev() {
        if is_link_definition(line) {
            start = i;
        } else if !line.trim().is_empty() {
            break;
        }
    }
    start
}

/// The entry with the Unreleased `notes` folded in.
fn absorb(entry: &[&str], notes: &[&str], how: UnreleasedInto) -> Vec<String> {
    let trimmed = trim_blank(notes);
    if trimmed.is_empty() {
        return entry.iter().map(|l| (*l).to_owned()).collect();
    }
    let (heading, body) = match entry.split_first() {
        Some((h, b)) => (*h, b),
        None => ("", &[][..]),
    };
    let mut out = vec![heading.to_owned(), String::new()];
    if how == UnreleasedInto::Top {
        out.extend(trimmed.iter().map(|l| (*l).to_owned()));
        let body = trim_blank(body);
        if !body.is_empty() {
            out.push(String::new());
            out.extend(body.iter().map(|l| (*l).to_owned()));
        }
        return out;
    }

    let (note_intro, note_sections) = split_sections(trimmed);
    let (_, mut sections) = split_sections(body);
    for (title, lines) in note_sections {
        match sections.iter_mut().find(|(t, _)| same_section(t, &title)) {
            Some((_, existing)) => {
                let mut merged = lines;
                merged.extend(std::mem::take(existing));
                *existing = merged;
            }
            None => {
                let at = sections
                    .iter()
                    .position(|(t, _)| t.eq_ignore_ascii_case("Commits"))
                    .unwrap_or(sections.len());
                sections.insert(at, (title, lines));
            }
        }
    }
    if !note_intro.is_empty() {
        out.extend(note_intro);
        out.push(String::new());
    }
    for (title, lines) in sections {
        out.push(format!("### {title}"));
        out.push(String::new());
        out.extend(lines);
        out.push(String::new());
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out
}

/// A `### Title` section of an entry: its title and its lines.
type Section = (String, Vec<String>);

/// Splits lines into the text before the first `### ` heading and the sections, each with blank
/// lines trimmed at both ends.
fn split_sections(lines: &[&str]) -> (Vec<String>, Vec<Section>) {
    let mut intro: Vec<&str> = Vec::new();
    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
    for line in lines {
        if let Some(title) = line.strip_prefix("### ") {
            sections.push((title.trim().to_owned(), Vec::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push(line);
        } else {
            intro.push(line);
        }
    }
    let own = |ls: &[&str]| trim_blank(ls).iter().map(|l| (*l).to_owned()).collect();
    (
        own(&intro),
        sections.into_iter().map(|(t, b)| (t, own(&b))).collect(),
    )
}

/// Whether two section titles mean the same (`Breaking Changes` and `BREAKING CHANGES`, or
/// `Breaking` alone).
fn same_section(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim().to_ascii_lowercase();
        if s == "breaking" {
            "breaking changes".to_owned()
        } else {
            s
        }
    };
    norm(a) == norm(b)
}

fn trim_blank<'a, 'b>(lines: &'a [&'b str]) -> &'a [&'b str] {
    let start = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(start, |i| i + 1);
    &lines[start..end]
}

/// Today's date in UTC as `YYYY-MM-DD`, or the date of `SOURCE_DATE_EPOCH` when that is set to
/// a number of seconds (reproducible builds: <https://reproducible-builds.org/specs/source-date-epoch/>).
pub fn today() -> String {
    today_from(
        std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        SystemTime::now(),
    )
}

fn today_from(source_date_epoch: Option<&str>, now: SystemTime) -> String {
    let seconds = source_date_epoch
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| match now.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        });
    date_of_unix(seconds)
}

/// The UTC date of a Unix timestamp, as `YYYY-MM-DD`.
pub fn date_of_unix(seconds: i64) -> String {
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to a proleptic Gregorian date.
/// <https://howardhinnant.github.io/date_algorithms.html#civil_from_days>
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let y = yoe + era * 400 + i64::from(m <= 2);
    // Both are in range by construction.
    (y, m as u32, d as u32)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/changelog");

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    fn sample_entry() -> String {
        render_entry(&EntryInput {
            version: "1.5.0",
            date: "2026-11-26",
            breaking: lines(&["`mypkg.connect`: parameter `retries` was removed."]),
            added: lines(&[
                "`mypkg.Client.close`: new method.",
                "`mypkg.stream`: new function.",
            ]),
            deprecated: vec![],
            changed: lines(&["`mypkg.connect`: the default of `timeout` changed from 10 to 30."]),
            commits: lines(&["Drop retries (#41)", "Add Client.close"]),
        })
    }

    #[test]
    fn renders_only_non_empty_sections() {
        let expected = "## [1.5.0] - 2026-11-26

### Breaking changes

- `mypkg.connect`: parameter `retries` was removed.

### Added

- `mypkg.Client.close`: new method.
- `mypkg.stream`: new function.

### Changed

- `mypkg.connect`: the default of `timeout` changed from 10 to 30.

### Commits

- Drop retries (#41)
- Add Client.close
";
        assert_eq!(sample_entry(), expected);
        let bare = render_entry(&EntryInput {
            version: "0.1.1",
            date: "2026-01-02",
            ..EntryInput::default()
        });
        assert_eq!(bare, "## [0.1.1] - 2026-01-02\n");
        let multi = render_entry(&EntryInput {
            version: "1",
            date: "d",
            deprecated: lines(&["first line\nsecond line"]),
            ..EntryInput::default()
        });
        assert!(multi.ends_with("- first line\n  second line\n"), "{multi}");
    }

    /// `testdata/changelog/NAME.md` with the sample entry inserted equals `NAME.expected.md`;
    /// `none` stands for a missing file.
    #[test]
    fn changelog_fixtures() {
        let entry = sample_entry();
        for name in [
            "none",
            "header-only",
            "unreleased",
            "releases",
            "crlf",
            "links-only",
        ] {
            let input = Path::new(DIR).join(format!("{name}.md"));
            let existing = std::fs::read_to_string(&input).ok();
            assert_eq!(existing.is_none(), name == "none", "{name}");
            let got = insert(existing.as_deref(), &entry, UnreleasedInto::Sections);
            let expected_path = Path::new(DIR).join(format!("{name}.expected.md"));
            if std::env::var_os("BUMPWISE_BLESS").is_some() {
                std::fs::write(&expected_path, &got).unwrap();
            }
            let expected = std::fs::read_to_string(&expected_path).unwrap();
            assert_eq!(got, expected, "{name}");
            if let Some(existing) = &existing {
                // Every line of the old file is still there, in order and byte for byte (the
                // Unreleased notes move into the entry, which keeps their order).
                let crlf = existing.contains("\r\n");
                assert_eq!(crlf, got.contains("\r\n"), "{name}");
                if crlf {
                    assert_eq!(got.matches('\n').count(), got.matches("\r\n").count());
                }
                let mut kept = got.lines().filter(|l| !l.trim().is_empty());
                for line in existing.lines().filter(|l| !l.trim().is_empty()) {
                    assert!(kept.any(|k| k == line), "{name}: lost or moved {line:?}");
                }
            }
        }
    }

    #[test]
    fn unreleased_notes_on_top() {
        let existing = "# Changelog\n\n## [Unreleased]\n\nA hand-written note.\n\n### Fixed\n\n- A fix.\n\n## [1.4.0] - 2026-01-01\n\n- Old.\n";
        let got = insert(
            Some(existing),
            "## [1.5.0] - 2026-11-26\n\n### Added\n\n- New.\n",
            UnreleasedInto::Top,
        );
        assert_eq!(
            got,
            "# Changelog\n\n## [Unreleased]\n\n## [1.5.0] - 2026-11-26\n\nA hand-written note.\n\n### Fixed\n\n- A fix.\n\n### Added\n\n- New.\n\n## [1.4.0] - 2026-01-01\n\n- Old.\n"
        );
    }

    #[test]
    fn headings_in_code_blocks_are_not_releases() {
        let existing =
            "# Changelog\n\n```\n## [9.9.9] - not a heading\n```\n\n## [1.0.0] - 2026-01-01\n";
        let got = insert(
            Some(existing),
            "## [1.1.0] - 2026-02-02\n",
            UnreleasedInto::Sections,
        );
        assert_eq!(
            got,
            "# Changelog\n\n```\n## [9.9.9] - not a heading\n```\n\n## [1.1.0] - 2026-02-02\n\n## [1.0.0] - 2026-01-01\n"
        );
    }

    #[test]
    fn empty_unreleased_and_unbracketed_heading() {
        let existing = "# Changelog\n\n## Unreleased\n\n## 1.0.0\n- x\n";
        let got = insert(Some(existing), "## [1.1.0] - d\n", UnreleasedInto::Sections);
        assert_eq!(
            got,
            "# Changelog\n\n## Unreleased\n\n## [1.1.0] - d\n\n## 1.0.0\n- x\n"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(date_of_unix(0), "1970-01-01");
        assert_eq!(date_of_unix(86_399), "1970-01-01");
        assert_eq!(date_of_unix(86_400), "1970-01-02");
        assert_eq!(date_of_unix(951_782_400), "2000-02-29");
        assert_eq!(date_of_unix(1_709_164_800), "2024-02-29");
        assert_eq!(date_of_unix(1_798_675_200), "2026-12-31");
        assert_eq!(date_of_unix(1_798_761_599), "2026-12-31");
        assert_eq!(date_of_unix(-1), "1969-12-31");
        assert_eq!(date_of_unix(253_402_300_799), "9999-12-31");
        let now = UNIX_EPOCH + std::time::Duration::from_secs(1_798_675_200);
        assert_eq!(today_from(Some("0"), now), "1970-01-01");
        assert_eq!(today_from(Some(" 951782400 "), now), "2000-02-29");
        assert_eq!(today_from(Some("not a number"), now), "2026-12-31");
        assert_eq!(today_from(None, now), "2026-12-31");
        assert_eq!(today().len(), 10);
    }
}
