//! `bumpwise init`: the `[tool.bumpwise]` table a project starts with, decided from what the
//! repository shows, and its insertion into pyproject.toml.
//!
//! Pure: `commands/init.rs` gathers the evidence (package, tags, changelog, members) and writes
//! the file. The table is appended as text, so every byte of pyproject.toml outside it is kept;
//! toml_edit reads the document and renders the values.

use std::collections::BTreeMap;

use toml_edit::{ImDocument, Value};

use crate::version::pep440::Version;

/// One key of the table: set, or written as a comment showing the default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub key: &'static str,
    /// The value as TOML (`"v{version}"`, `["packages/*"]`).
    pub value: String,
    /// Set (it differs from the default), or a comment.
    pub set: bool,
    /// What the key does: the comment line above it.
    pub doc: &'static str,
    /// What bumpwise saw, for the decision line and the comment; `None` for keys it only
    /// teaches.
    pub evidence: Option<String>,
    /// Nothing was found: the comment is a placeholder for the user to fill in.
    pub fill_in: bool,
}

impl Entry {
    /// A decision made from evidence.
    pub fn decided(
        key: &'static str,
        value: String,
        set: bool,
        doc: &'static str,
        evidence: String,
    ) -> Entry {
        Entry {
            key,
            value,
            set,
            doc,
            evidence: Some(evidence),
            fill_in: false,
        }
    }

    /// A placeholder the user fills in: nothing was found.
    pub fn fill_in(key: &'static str, value: String, doc: &'static str, evidence: String) -> Entry {
        Entry {
            fill_in: true,
            ..Entry::decided(key, value, false, doc, evidence)
        }
    }

    /// A key shown with its default, to teach it.
    pub fn default(key: &'static str, value: &str, doc: &'static str) -> Entry {
        Entry {
            key,
            value: value.to_owned(),
            set: false,
            doc,
            evidence: None,
            fill_in: false,
        }
    }

    /// The decision as printed: `tag-format = "v{version}" (from 2 tags like v1.1.0; the
    /// default, left as a comment)`.
    pub fn decision(&self) -> Option<String> {
        let evidence = self.evidence.as_deref()?;
        let outcome = if self.set {
            ""
        } else if self.fill_in {
            "; left as a comment to fill in"
        } else {
            "; the default, left as a comment"
        };
        Some(format!(
            "{} = {} ({evidence}{outcome})",
            self.key, self.value
        ))
    }
}

/// A TOML string, quoted and escaped.
pub(crate) fn toml_string(s: &str) -> String {
    Value::from(s).to_string()
}

/// A TOML array of strings.
pub(crate) fn toml_strings(items: &[String]) -> String {
    let array: toml_edit::Array = items.iter().map(String::as_str).collect();
    Value::Array(array).to_string()
}

/// The keys `init` teaches with their defaults, after the ones it decided.
pub(crate) fn taught() -> Vec<Entry> {
    vec![
        Entry::default(
            "major-on-zero",
            "false",
            "A breaking change below 1.0.0 goes to 1.0.0 instead of the next minor.",
        ),
        Entry::default(
            "require-deprecation",
            "false",
            "`check` fails when a removed name was not deprecated in the last release.",
        ),
        Entry::default(
            "version-files",
            "[]",
            "More files holding `__version__ = \"...\"`, relative to this file.",
        ),
        Entry::default(
            "exclude",
            "[]",
            "Dotted-module globs that are not API (tests, conftest and __main__ never are).",
        ),
        Entry::default(
            "release-commit-message",
            "\"release: {version}\"",
            "The release commit's message.",
        ),
        Entry::default(
            "api",
            "true",
            "`false` for a service nobody imports: a release is then a patch when files changed.",
        ),
    ]
}

/// The table's text, ending in a newline.
pub(crate) fn render_table(entries: &[Entry]) -> String {
    let mut s = String::from(
        "[tool.bumpwise]\n\
         # Written by `bumpwise init`. A commented key shows its default: uncomment it to change\n\
         # it. The README's Configuration table lists every key.\n",
    );
    for e in entries {
        s.push('\n');
        s.push_str("# ");
        s.push_str(e.doc);
        s.push('\n');
        if let Some(evidence) = &e.evidence {
            s.push_str("# init: ");
            s.push_str(evidence);
            s.push_str(".\n");
        }
        if !e.set {
            s.push_str("# ");
        }
        s.push_str(e.key);
        s.push_str(" = ");
        s.push_str(&e.value);
        s.push('\n');
    }
    s
}

/// `text` with `table` appended after a blank line, in the file's line endings. An empty file
/// becomes the table alone.
pub(crate) fn append_table(text: &str, table: &str) -> String {
    let crlf = text.contains("\r\n");
    let table = if crlf {
        table.replace('\n', "\r\n")
    } else {
        table.to_owned()
    };
    let newline = if crlf { "\r\n" } else { "\n" };
    if text.trim().is_empty() {
        return table;
    }
    let mut out = text.to_owned();
    if !out.ends_with('\n') {
        out.push_str(newline);
    }
    if !out.ends_with(&format!("{newline}{newline}")) {
        out.push_str(newline);
    }
    out.push_str(&table);
    out
}

/// The 1-based line where `[tool.bumpwise]` (or the first of its sub-tables or dotted keys)
/// starts, when the document has one. `None` when the text is not TOML: the caller reports that.
pub(crate) fn existing_table_line(text: &str) -> Option<u32> {
    let doc = ImDocument::parse(text).ok()?;
    let item = doc.get("tool")?.get("bumpwise")?;
    let offset = item
        .as_table()
        .and_then(toml_edit::Table::span)
        .or_else(|| item.span())
        .map(|s| s.start)
        .or_else(|| text.find("tool.bumpwise"))
        .unwrap_or(0);
    Some(super::line_column(text, offset).0)
}

/// The tag format a tag name follows, and its version: the shortest prefix after which the
/// rest is a PEP 440 version starting with a digit (`v1.2.3` -> `v{version}`). A prefix made
/// of one of `names` and a separator becomes `{name}`: `invoice-rules-v1.2.3` ->
/// `{name}-v{version}`.
pub(crate) fn tag_format_of(tag: &str, names: &[&str]) -> Option<(Version, String)> {
    let (i, version) = tag
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .find_map(|(i, _)| tag[i..].parse::<Version>().ok().map(|v| (i, v)))?;
    let prefix = &tag[..i];
    let named = names.iter().find_map(|n| {
        prefix
            .strip_prefix(n)
            .filter(|rest| rest.starts_with(|c: char| !c.is_ascii_alphanumeric()))
            .map(|rest| format!("{{name}}{rest}{{version}}"))
    });
    Some((
        version,
        named.unwrap_or_else(|| format!("{prefix}{{version}}")),
    ))
}

/// The tag format the release tags show: the newest tag's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TagGuess {
    pub format: String,
    /// The evidence: `from 2 tags like v1.1.0`, and the older tags that disagree.
    pub evidence: String,
}

/// Guesses the format from `(tag name, format)` pairs, newest version first; `None` without
/// tags.
pub(crate) fn guess_tag_format(tags: &[(String, String)]) -> Option<TagGuess> {
    let (newest, format) = tags.first()?;
    let mut by_format: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for (name, f) in tags {
        let e = by_format.entry(f.as_str()).or_insert((0, name.as_str()));
        e.0 += 1;
    }
    let count = by_format.get(format.as_str()).map_or(1, |e| e.0);
    let mut evidence = format!("from {} like {newest}", plural(count, "tag"));
    let others: Vec<String> = by_format
        .iter()
        .filter(|(f, _)| **f != format.as_str())
        .map(|(f, (n, example))| {
            format!(
                "{} like {example} use {}",
                plural(*n, "older tag"),
                toml_string(f)
            )
        })
        .collect();
    if !others.is_empty() {
        evidence = format!(
            "{evidence}, the newest; the tags disagree: {}",
            others.join(", ")
        );
    }
    Some(TagGuess {
        format: format.clone(),
        evidence,
    })
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `members` globs that cover `dirs` (repository-relative member folders): `parent/*` for a
/// member in a folder, which is what discovery finds there (every sub-folder holding a
/// pyproject.toml), and the folder itself at the top level.
pub(crate) fn member_globs(dirs: &[String]) -> Vec<String> {
    let mut globs: Vec<String> = dirs
        .iter()
        .filter(|d| !d.is_empty())
        .map(|d| match d.rsplit_once('/') {
            Some((parent, _)) => format!("{parent}/*"),
            None => d.clone(),
        })
        .collect();
    globs.sort();
    globs.dedup();
    globs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format_of(tag: &str) -> Option<String> {
        tag_format_of(tag, &["invoice-rules", "mypkg"]).map(|(_, f)| f)
    }

    #[test]
    fn tag_formats() {
        assert_eq!(format_of("v1.2.3").as_deref(), Some("v{version}"));
        assert_eq!(format_of("1.2.3").as_deref(), Some("{version}"));
        assert_eq!(format_of("2.0.0rc1").as_deref(), Some("{version}"));
        assert_eq!(
            format_of("invoice-rules-v1.2.3").as_deref(),
            Some("{name}-v{version}")
        );
        assert_eq!(format_of("mypkg@1.2").as_deref(), Some("{name}@{version}"));
        assert_eq!(
            format_of("other-v1.2.3").as_deref(),
            Some("other-v{version}")
        );
        assert_eq!(
            format_of("release-2.0").as_deref(),
            Some("release-{version}")
        );
        assert_eq!(format_of("latest"), None);
        assert_eq!(format_of("nightly"), None);
    }

    #[test]
    fn the_newest_tag_decides_and_disagreement_is_said() {
        let tags = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        let g = guess_tag_format(&tags(&[("v1.1.0", "v{version}"), ("v1.0.0", "v{version}")]));
        assert_eq!(
            g,
            Some(TagGuess {
                format: "v{version}".to_owned(),
                evidence: "from 2 tags like v1.1.0".to_owned()
            })
        );
        let g = guess_tag_format(&tags(&[
            ("v2.0.0", "v{version}"),
            ("1.1.0", "{version}"),
            ("1.0.0", "{version}"),
        ]));
        assert_eq!(
            g.map(|g| g.evidence).as_deref(),
            Some(
                "from 1 tag like v2.0.0, the newest; the tags disagree: 2 older tags like 1.1.0 use \"{version}\""
            )
        );
        assert_eq!(guess_tag_format(&[]), None);
    }

    #[test]
    fn globs_cover_the_members() {
        let dirs: Vec<String> = ["apps/report", "packages/a", "packages/b", "tool"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(member_globs(&dirs), ["apps/*", "packages/*", "tool"]);
    }

    #[test]
    fn appending_keeps_every_byte() {
        let text = "[project]\nname = \"x\"  # odd   spacing\n";
        let out = append_table(text, "[tool.bumpwise]\n");
        assert_eq!(out, format!("{text}\n[tool.bumpwise]\n"));
        assert_eq!(append_table("a = 1", "[t]\n"), "a = 1\n\n[t]\n");
        assert_eq!(
            append_table("a = 1\r\n", "[t]\n# x\n"),
            "a = 1\r\n\r\n[t]\r\n# x\r\n"
        );
        assert_eq!(append_table("", "[t]\n"), "[t]\n");
    }

    #[test]
    fn existing_tables_are_found_with_their_line() {
        assert_eq!(
            existing_table_line("[project]\n\n[tool.bumpwise]\n"),
            Some(3)
        );
        assert_eq!(
            existing_table_line("[project]\n[tool.bumpwise.imports]\ncwd-import = \"off\"\n"),
            Some(2)
        );
        assert_eq!(existing_table_line("[tool.ruff]\n"), None);
    }
}
