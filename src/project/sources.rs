//! Where a project declares its version, and rewriting it there without touching anything else.
//!
//! A version lives in `[project].version`, `[tool.poetry].version`, or a module-level
//! `__version__ = "..."` assignment in the package (`__init__.py`, `_version.py`, `__about__.py`,
//! the file `[tool.hatch.version] path` names, or `[tool.bumpwise] version-files`). Every source
//! found must agree, and a release rewrites all of them.
//!
//! Rewrites change only the bytes of the version string itself: the TOML value is located by
//! toml_edit's parser (its span in the original text), the `__version__` literal by a line scanner
//! that knows Python's strings, comments and brackets. Neither ever searches for the old version's
//! text, because a dependency pin such as `requests==1.4.0` may hold the same string (the bug other
//! release tools have). This module reads no files: callers pass the texts in.
//!
//! [`VersionFacts`] is what the project model keeps of pyproject.toml's version: read from the
//! project model's one parse, it carries the spans that a rewrite splices.

use std::fmt::Write as _;
use std::ops::Range;

use toml_edit::{ImDocument, Item, Table, Value};

use crate::version::pep440::Version;

/// What pyproject.toml says of the version, read once with the rest of the project.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct VersionFacts {
    /// `[project].version` then `[tool.poetry].version`, those present (dynamic or not).
    pub tables: Vec<TomlVersion>,
    /// `version` is listed in `[project].dynamic`.
    pub dynamic: bool,
    /// The tool that computes the version from git tags, when one is configured.
    pub tag_driven: Option<String>,
    /// `[tool.hatch.version] path`, relative to the project directory, when the version is
    /// read from that file (not when `source = "vcs"`).
    pub hatch_path: Option<String>,
}

/// A `version` key in one of pyproject.toml's tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TomlVersion {
    pub kind: SourceKind,
    /// The string, its literal's span (quotes included) and 1-based line; `None` when the
    /// value is not a string.
    pub literal: Option<(String, Range<usize>, u32)>,
}

impl VersionFacts {
    /// Reads the facts from a parsed document; `text` is the text it was parsed from.
    pub fn read(root: &Table, text: &str) -> VersionFacts {
        let mut tables = Vec::new();
        for (path, kind) in TOML_VERSION_TABLES {
            if let Some(item) = get_path(root, path).and_then(|t| t.get("version")) {
                tables.push(TomlVersion {
                    kind,
                    literal: string_value(item)
                        .map(|(value, span)| (value, span.clone(), line_of(text, span.start))),
                });
            }
        }
        let hatch_path = get_path(root, &["tool", "hatch", "version"])
            .filter(|v| v.get("source").and_then(Item::as_str) != Some("vcs"))
            .and_then(|v| v.get("path"))
            .and_then(Item::as_str)
            .map(str::to_owned);
        VersionFacts {
            tables,
            dynamic: is_dynamic(root),
            tag_driven: tag_driven(root),
            hatch_path,
        }
    }

    /// Parses pyproject.toml for its version facts alone: a rewrite needs the spans of the
    /// very text it rewrites.
    pub fn parse(file: &str, text: &str) -> Result<VersionFacts, Error> {
        let doc = parse(file, text)?;
        Ok(VersionFacts::read(doc.as_table(), text))
    }

    /// The version as declared: `[project].version`, else `[tool.poetry].version`.
    pub fn declared(&self) -> Option<&str> {
        self.tables
            .iter()
            .find_map(|t| t.literal.as_ref().map(|(v, _, _)| v.as_str()))
    }

    /// Sets `[project].version` and/or `[tool.poetry].version` (whichever exist) in `text`
    /// (the text these facts were read from) to `new`. Errors name `file`.
    ///
    /// Only the bytes inside the quotes change: comments, blank lines, spacing, key order, the
    /// quote style and the line endings stay exactly as they were.
    pub fn set_version(&self, file: &str, text: &str, new: &str) -> Result<String, Error> {
        check_new(file, new)?;
        // A static `[project].version` is rewritten even when `dynamic` also (wrongly) lists it.
        let mut spans = Vec::new();
        for t in &self.tables {
            let (_, span, _) = t.literal.as_ref().ok_or_else(|| Error::NotAString {
                file: file.to_owned(),
                key: t.kind.key().to_owned(),
            })?;
            spans.push(span.clone());
        }
        if spans.is_empty() {
            return Err(match &self.tag_driven {
                Some(how) => Error::DynamicVersion {
                    file: file.to_owned(),
                    how: how.clone(),
                },
                None if self.dynamic => Error::DynamicVersion {
                    file: file.to_owned(),
                    how: "`version` is listed in `[project].dynamic`".to_owned(),
                },
                None => Error::NoVersion {
                    file: file.to_owned(),
                    looked: Vec::new(),
                },
            });
        }
        Ok(splice(text, spans, new))
    }
}

/// Which kind of place holds a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceKind {
    /// `[project].version` in pyproject.toml (PEP 621).
    ProjectTable,
    /// `[tool.poetry].version` in pyproject.toml.
    Poetry,
    /// A module-level `__version__ = "..."` in a Python file.
    Dunder,
}

/// One place that declares the project's version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionSource {
    /// Repository-relative path of the file.
    pub file: String,
    pub kind: SourceKind,
    /// The version string as written (unquoted).
    pub value: String,
    /// 1-based line of the value.
    pub line: u32,
}

impl SourceKind {
    /// The TOML key, for messages.
    fn key(self) -> &'static str {
        match self {
            SourceKind::ProjectTable => "project.version",
            SourceKind::Poetry => "tool.poetry.version",
            SourceKind::Dunder => "__version__",
        }
    }
}

impl VersionSource {
    /// Where it is, for messages: `pyproject.toml:3 [project].version = "1.4.0"`.
    pub fn describe(&self) -> String {
        let what = match self.kind {
            SourceKind::ProjectTable => "[project].version",
            SourceKind::Poetry => "[tool.poetry].version",
            SourceKind::Dunder => "__version__",
        };
        format!("{}:{} {} = \"{}\"", self.file, self.line, what, self.value)
    }
}

/// Why the version could not be found or rewritten. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("`{file}` is not valid TOML at {line}:{column}: {message}")]
    Toml {
        file: String,
        line: u32,
        column: u32,
        message: String,
    },
    #[error(
        "no version found: `{file}` has no `[project].version` or `[tool.poetry].version`{}; \
         add `version = \"0.1.0\"` to `[project]`",
        looked_suffix(.looked)
    )]
    NoVersion {
        file: String,
        /// The Python files searched for `__version__`, repository-relative.
        looked: Vec<String>,
    },
    #[error(
        "the version of `{file}` is dynamic ({how}): it comes from the release tag, so only the \
         tag will be created"
    )]
    DynamicVersion {
        file: String,
        /// What makes it dynamic: `setuptools-scm`, `hatch-vcs`, ...
        how: String,
    },
    #[error("`{key}` in `{file}` must be a string, like `{key} = \"1.0.0\"`")]
    NotAString { file: String, key: String },
    #[error("`{file}` has no module-level `__version__ = \"...\"` assignment to rewrite")]
    NoDunder { file: String },
    #[error(
        "the version sources disagree: {}; set them all to the same version before releasing",
        listing(.sources)
    )]
    Disagree { sources: Vec<VersionSource> },
    #[error("`{value}` cannot be written into `{file}` as a version")]
    InvalidNewVersion { file: String, value: String },
}

fn looked_suffix(looked: &[String]) -> String {
    if looked.is_empty() {
        String::new()
    } else {
        format!(
            ", and there is no `__version__ = \"...\"` in {}",
            looked
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn listing(sources: &[VersionSource]) -> String {
    sources
        .iter()
        .map(VersionSource::describe)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Error {
    /// The same error naming `file` instead: the setters, which see only a text, name a generic
    /// file that the caller can replace with the real path.
    pub fn with_file(self, file: &str) -> Error {
        let file = file.to_owned();
        match self {
            Error::Toml {
                line,
                column,
                message,
                ..
            } => Error::Toml {
                file,
                line,
                column,
                message,
            },
            Error::NoVersion { looked, .. } => Error::NoVersion { file, looked },
            Error::DynamicVersion { how, .. } => Error::DynamicVersion { file, how },
            Error::NotAString { key, .. } => Error::NotAString { file, key },
            Error::NoDunder { .. } => Error::NoDunder { file },
            Error::InvalidNewVersion { value, .. } => Error::InvalidNewVersion { file, value },
            e @ Error::Disagree { .. } => e,
        }
    }
}

/// The file names that may hold `__version__` in a package: its `__init__.py`, `_version.py` and
/// `__about__.py`, or the module itself for a single-module distribution. `package_path` is the
/// repository-relative package directory (or `.py` file). Callers read those that exist and pass
/// them to [`find_sources`].
pub fn dunder_candidates(package_path: &str, single_module: bool) -> Vec<String> {
    if single_module {
        return vec![package_path.to_owned()];
    }
    let dir = package_path.trim_end_matches('/');
    ["__init__.py", "_version.py", "__about__.py"]
        .iter()
        .map(|name| {
            if dir.is_empty() {
                (*name).to_owned()
            } else {
                format!("{dir}/{name}")
            }
        })
        .collect()
}

/// Every place that declares the version, checked to agree.
///
/// - `[project].version` unless `version` is in `[project].dynamic`; `[tool.poetry].version`.
/// - Module-level `__version__` string assignments in `package_files` (the candidates of
///   [`dunder_candidates`] and [`VersionFacts::hatch_path`] that exist; files without one are fine)
///   and in `extra_files` (`[tool.bumpwise] version-files`: each must have one).
///
/// Both file lists hold (repository-relative path, text). A version computed from git tags
/// (setuptools-scm, hatch-vcs, pdm's scm source, versioningit, poetry-dynamic-versioning) is
/// [`Error::DynamicVersion`], as is a dynamic `[project].version` with no `__version__` found;
/// a dynamic version read from `__version__` (setuptools `attr`, hatch `path`, flit) is found
/// there. Sources agree when their values are equal PEP 440 versions (`1.0` and `1.0.0` agree),
/// or equal strings when one does not parse.
pub fn find_sources(
    pyproject_path: &str,
    facts: &VersionFacts,
    package_files: &[(String, String)],
    extra_files: &[(String, String)],
) -> Result<Vec<VersionSource>, Error> {
    if let Some(how) = &facts.tag_driven {
        return Err(Error::DynamicVersion {
            file: pyproject_path.to_owned(),
            how: how.clone(),
        });
    }
    let dynamic = facts.dynamic;

    let mut sources = Vec::new();
    for t in &facts.tables {
        if dynamic && t.kind == SourceKind::ProjectTable {
            continue;
        }
        let (value, _, line) = t.literal.clone().ok_or_else(|| Error::NotAString {
            file: pyproject_path.to_owned(),
            key: t.kind.key().to_owned(),
        })?;
        sources.push(VersionSource {
            file: pyproject_path.to_owned(),
            kind: t.kind,
            value,
            line,
        });
    }

    let mut looked = Vec::new();
    for (i, (path, text)) in package_files.iter().chain(extra_files).enumerate() {
        if looked.contains(path) {
            continue;
        }
        looked.push(path.clone());
        let found = dunder_assignments(text);
        let configured = i >= package_files.len() || extra_files.iter().any(|(p, _)| p == path);
        if found.is_empty() && configured {
            return Err(Error::NoDunder { file: path.clone() });
        }
        sources.extend(found.into_iter().map(|a| VersionSource {
            file: path.clone(),
            kind: SourceKind::Dunder,
            value: text[a.literal].to_owned(),
            line: a.line,
        }));
    }

    if sources.is_empty() {
        return Err(if dynamic {
            Error::DynamicVersion {
                file: pyproject_path.to_owned(),
                how: "`version` is listed in `[project].dynamic`".to_owned(),
            }
        } else {
            Error::NoVersion {
                file: pyproject_path.to_owned(),
                looked,
            }
        });
    }
    let same = |a: &str, b: &str| match (a.parse::<Version>(), b.parse::<Version>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    if sources.iter().any(|s| !same(&s.value, &sources[0].value)) {
        return Err(Error::Disagree { sources });
    }
    Ok(sources)
}

/// Sets the string of every module-level `__version__ = "..."` (or `__version__: str = '...'`)
/// assignment to `new`, keeping its quotes and every other byte. Errors name a generic file; use
/// [`Error::with_file`] for the real path.
pub fn set_dunder_version(text: &str, new: &str) -> Result<String, Error> {
    const FILE: &str = "the `__version__` file";
    check_new(FILE, new)?;
    let found = dunder_assignments(text);
    if found.is_empty() {
        return Err(Error::NoDunder {
            file: FILE.to_owned(),
        });
    }
    // The literal range excludes the quotes, so the replacement is the bare version.
    let mut out = text.to_owned();
    for a in found.iter().rev() {
        out.replace_range(a.literal.clone(), new);
    }
    Ok(out)
}

fn parse<'a>(file: &str, text: &'a str) -> Result<ImDocument<&'a str>, Error> {
    ImDocument::parse(text).map_err(|e| {
        let (line, column) = super::line_column(text, e.span().map_or(0, |s| s.start));
        Error::Toml {
            file: file.to_owned(),
            line,
            column,
            message: e.message().trim_end().to_owned(),
        }
    })
}

/// A version string must be safe inside any TOML or Python string literal.
fn check_new(file: &str, new: &str) -> Result<(), Error> {
    let safe = |c: char| c.is_ascii_alphanumeric() || ".-_+!".contains(c);
    if new.is_empty() || !new.chars().all(safe) {
        return Err(Error::InvalidNewVersion {
            file: file.to_owned(),
            value: new.to_owned(),
        });
    }
    Ok(())
}

/// The tables that may hold a static version, in the order sources are reported.
const TOML_VERSION_TABLES: [(&[&str], SourceKind); 2] = [
    (&["project"], SourceKind::ProjectTable),
    (&["tool", "poetry"], SourceKind::Poetry),
];

/// The first `version` key of pyproject.toml that holds something other than a string: its
/// key and its value as written.
pub(crate) fn non_string_version(root: &Table) -> Option<(&'static str, String)> {
    TOML_VERSION_TABLES.iter().find_map(|(path, kind)| {
        let item = get_path(root, path)?.get("version")?;
        string_value(item)
            .is_none()
            .then(|| (kind.key(), item.to_string().trim().to_owned()))
    })
}

fn get_path<'a>(root: &'a Table, path: &[&str]) -> Option<&'a Item> {
    let (first, rest) = path.split_first()?;
    rest.iter()
        .try_fold(root.get(first)?, |item, key| item.get(key))
}

/// The string and the span of its literal (quotes included) in the original text.
fn string_value(item: &Item) -> Option<(String, Range<usize>)> {
    match item.as_value()? {
        Value::String(s) => Some((s.value().clone(), s.span()?)),
        _ => None,
    }
}

fn is_dynamic(root: &Table) -> bool {
    get_path(root, &["project", "dynamic"])
        .and_then(Item::as_array)
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("version")))
}

/// The tool that computes the version from git tags, when one is configured.
fn tag_driven(root: &Table) -> Option<String> {
    let tool = |path: &[&str]| get_path(root, path);
    if tool(&["tool", "setuptools_scm"]).is_some() || tool(&["tool", "setuptools-scm"]).is_some() {
        return Some("setuptools-scm".to_owned());
    }
    if tool(&["tool", "hatch", "version", "source"]).and_then(Item::as_str) == Some("vcs") {
        return Some("hatch-vcs".to_owned());
    }
    if tool(&["tool", "pdm", "version", "source"]).and_then(Item::as_str) == Some("scm") {
        return Some("pdm-backend's `scm` source".to_owned());
    }
    if tool(&["tool", "versioningit"]).is_some() {
        return Some("versioningit".to_owned());
    }
    if tool(&["tool", "poetry-dynamic-versioning", "enable"]).and_then(Item::as_bool) == Some(true)
    {
        return Some("poetry-dynamic-versioning".to_owned());
    }
    if is_dynamic(root) {
        // A plugin listed in the build requirements does the work without a table of its own.
        let requires = tool(&["build-system", "requires"]).and_then(Item::as_array)?;
        for req in requires.iter().filter_map(|v| v.as_str()) {
            let name: String = req
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
                .collect::<String>()
                .to_ascii_lowercase()
                .replace('_', "-");
            if [
                "setuptools-scm",
                "hatch-vcs",
                "versioningit",
                "flit-scm",
                "dunamai",
            ]
            .contains(&name.as_str())
            {
                return Some(name);
            }
        }
    }
    None
}

fn line_of(text: &str, offset: usize) -> u32 {
    let newlines = text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// Replaces each span (a whole string literal) with `new` in the literal's own quote style.
fn splice(text: &str, mut spans: Vec<Range<usize>>, new: &str) -> String {
    spans.sort_by_key(|s| std::cmp::Reverse(s.start));
    let mut out = text.to_owned();
    for span in spans {
        let old = &text[span.clone()];
        let quote = ["\"\"\"", "'''", "\"", "'"]
            .into_iter()
            .find(|q| old.starts_with(q))
            .unwrap_or("\"");
        let mut literal = String::new();
        let _ = write!(literal, "{quote}{new}{quote}");
        out.replace_range(span, &literal);
    }
    out
}

/// A module-level `__version__` string assignment.
#[derive(Debug)]
struct Assignment {
    /// 1-based line.
    line: u32,
    /// Byte range of the string's contents, without the quotes.
    literal: Range<usize>,
}

/// Finds module-level `__version__ = "..."` / `__version__: str = '...'` assignments.
///
/// A line counts only when it starts a statement at column 0: not inside a triple-quoted string
/// (a docstring showing `__version__ = "1.0"`), not inside brackets, not after a backslash
/// continuation. Indented assignments (under `if`/`try`) are not module-level constants and are
/// left alone.
fn dunder_assignments(text: &str) -> Vec<Assignment> {
    let mut found = Vec::new();
    let mut triple: Option<&'static str> = None;
    let mut depth = 0usize;
    let mut continued = false;
    let mut offset = 0usize;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        // A UTF-8 byte order mark is not part of the first statement.
        let skip = if index == 0 && line.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let body = &line[skip..];
        if triple.is_none()
            && depth == 0
            && !continued
            && let Some(range) = match_assignment(body)
        {
            found.push(Assignment {
                line: u32::try_from(index + 1).unwrap_or(u32::MAX),
                literal: start + skip + range.start..start + skip + range.end,
            });
        }
        continued = scan_line(body, &mut triple, &mut depth);
    }
    found
}

/// The byte range of the string contents when `line` is `__version__ [: annotation] = "..."`
/// followed only by whitespace or a comment.
fn match_assignment(line: &str) -> Option<Range<usize>> {
    let rest = line.strip_prefix("__version__")?;
    let mut pos = line.len() - rest.len();
    let skip_ws = |pos: usize| {
        pos + line[pos..]
            .find(|c: char| c != ' ' && c != '\t')
            .unwrap_or(line.len() - pos)
    };
    pos = skip_ws(pos);
    if line[pos..].starts_with(':') {
        // An annotation such as `str` or `Final[str]`: anything up to the `=`.
        let eq = line[pos..].find('=')?;
        pos += eq;
    }
    if !line[pos..].starts_with('=') || line[pos..].starts_with("==") {
        return None;
    }
    pos = skip_ws(pos + 1);
    let quote = line[pos..]
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')?;
    if line[pos..].starts_with(&format!("{quote}{quote}")) {
        return None; // An empty string, or a triple-quoted one: not a version.
    }
    let open = pos + 1;
    let len = line[open..].find([quote, '\\', '\n'])?;
    let close = open + len;
    if !line[close..].starts_with(quote) {
        return None;
    }
    let after = line[close + 1..].trim_start_matches([' ', '\t']);
    let after = after.trim_end_matches(['\r', '\n']);
    if after.is_empty() || after.starts_with('#') {
        Some(open..close)
    } else {
        None
    }
}

/// Advances the string/bracket state over one line; returns whether the line ends with a
/// backslash continuation.
fn scan_line(line: &str, triple: &mut Option<&'static str>, depth: &mut usize) -> bool {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(q) = *triple {
            if line[i..].starts_with(q) {
                *triple = None;
                i += 3;
            } else if bytes[i] == b'\\' {
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        match bytes[i] {
            b'#' => return false,
            b'"' | b'\'' => {
                let q = if bytes[i] == b'"' { "\"\"\"" } else { "'''" };
                if line[i..].starts_with(q) {
                    *triple = Some(q);
                    i += 3;
                    continue;
                }
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'(' | b'[' | b'{' => {
                *depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                *depth = depth.saturating_sub(1);
                i += 1;
            }
            b'\\' => {
                let rest = &line[i + 1..];
                if rest == "\n" || rest == "\r\n" || rest.is_empty() {
                    return true;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/pyproject");

    /// `find_sources` on a pyproject.toml text, read as the project model reads it.
    fn find_sources(
        path: &str,
        text: &str,
        package_files: &[(String, String)],
        extra_files: &[(String, String)],
    ) -> Result<Vec<VersionSource>, Error> {
        super::find_sources(
            path,
            &VersionFacts::parse(path, text)?,
            package_files,
            extra_files,
        )
    }

    /// [`VersionFacts::set_version`] on a text, as the tests' fixtures give it.
    fn set_pyproject_version(text: &str, new: &str) -> Result<String, Error> {
        const FILE: &str = "pyproject.toml";
        check_new(FILE, new)?;
        VersionFacts::parse(FILE, text)?.set_version(FILE, text, new)
    }

    fn hatch_version_path(text: &str) -> Option<String> {
        VersionFacts::parse("pyproject.toml", text).ok()?.hatch_path
    }

    fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect()
    }

    /// Every `NAME.toml` fixture rewritten to 2.0.0 equals `NAME.expected.toml`, and only the
    /// version's bytes changed; a fixture without an expected file must be refused.
    #[test]
    fn pyproject_fixtures() {
        let mut names: Vec<_> = std::fs::read_dir(DIR)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".toml") && !n.ends_with(".expected.toml"))
            .collect();
        names.sort();
        assert!(names.len() >= 9, "{names:?}");
        for name in names {
            let input = std::fs::read_to_string(Path::new(DIR).join(&name)).unwrap();
            let expected_path = Path::new(DIR).join(name.replace(".toml", ".expected.toml"));
            let got = set_pyproject_version(&input, "2.0.0");
            if !expected_path.exists() {
                assert!(
                    matches!(got, Err(Error::DynamicVersion { .. })),
                    "{name}: {got:?}"
                );
                continue;
            }
            let got = got.unwrap_or_else(|e| panic!("{name}: {e}"));
            let expected = std::fs::read_to_string(&expected_path).unwrap();
            assert_eq!(got, expected, "{name}");
            // Putting the old version back gives the input: nothing else moved.
            let old = find_sources("pyproject.toml", &input, &[], &[]).unwrap();
            assert_eq!(
                got.replace("2.0.0", &old[0].value),
                input,
                "{name}: bytes other than the version changed"
            );
            assert_eq!(input.contains('\r'), got.contains('\r'), "{name}");
            // And the result reads back as 2.0.0 everywhere.
            for source in find_sources("pyproject.toml", &got, &[], &[]).unwrap() {
                assert_eq!(source.value, "2.0.0", "{name}");
            }
        }
    }

    #[test]
    fn dependency_pin_is_never_touched() {
        let input = std::fs::read_to_string(Path::new(DIR).join("dependency-pin.toml")).unwrap();
        let got = set_pyproject_version(&input, "2.0.0").unwrap();
        assert!(got.contains("\"requests==1.4.0\""));
        assert!(got.contains("version = \"1.4.0\" # not ours"));
    }

    #[test]
    fn sources_from_both_tables_and_dunders() {
        let pyproject =
            "[project]\nname = \"p\"\nversion = \"1.4.0\"\n\n[tool.poetry]\nversion = '1.4'\n";
        let init = "\"\"\"Docs.\n\n__version__ = \"0.0.1\" inside a docstring\n\"\"\"\n\n__version__: str = '1.4.0'  # kept in sync\n";
        let sources = find_sources(
            "pyproject.toml",
            pyproject,
            &files(&[
                ("src/p/__init__.py", init),
                ("src/p/_version.py", "x = 1\n"),
            ]),
            &[],
        )
        .unwrap();
        let got: Vec<_> = sources.iter().map(VersionSource::describe).collect();
        assert_eq!(
            got,
            [
                "pyproject.toml:3 [project].version = \"1.4.0\"",
                "pyproject.toml:6 [tool.poetry].version = \"1.4\"",
                "src/p/__init__.py:6 __version__ = \"1.4.0\"",
            ]
        );
        assert_eq!(sources[2].kind, SourceKind::Dunder);
    }

    #[test]
    fn disagreeing_sources_are_listed() {
        let err = find_sources(
            "pkg/pyproject.toml",
            "[project]\nversion = \"1.4.0\"\n",
            &files(&[("pkg/src/p/__init__.py", "__version__ = \"1.3.0\"\n")]),
            &[],
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("pkg/pyproject.toml:2 [project].version = \"1.4.0\""),
            "{msg}"
        );
        assert!(
            msg.contains("pkg/src/p/__init__.py:1 __version__ = \"1.3.0\""),
            "{msg}"
        );
        assert!(matches!(err, Error::Disagree { ref sources } if sources.len() == 2));
    }

    #[test]
    fn no_version_names_what_was_searched() {
        let err = find_sources(
            "pyproject.toml",
            "[project]\nname = \"p\"\n",
            &files(&[("p/__init__.py", "")]),
            &[],
        )
        .unwrap_err();
        assert!(matches!(err, Error::NoVersion { .. }));
        let msg = err.to_string();
        assert!(
            msg.contains("`pyproject.toml`") && msg.contains("`p/__init__.py`"),
            "{msg}"
        );
    }

    #[test]
    fn dynamic_versions() {
        let scm = std::fs::read_to_string(Path::new(DIR).join("dynamic.toml")).unwrap();
        let err = find_sources("pyproject.toml", &scm, &[], &[]).unwrap_err();
        assert!(matches!(err, Error::DynamicVersion { ref how, .. } if how == "setuptools-scm"));
        assert!(err.to_string().contains("only the tag will be created"));

        let hatch_vcs =
            "[project]\ndynamic = [\"version\"]\n[tool.hatch.version]\nsource = \"vcs\"\n";
        let err = find_sources("pyproject.toml", hatch_vcs, &[], &[]).unwrap_err();
        assert!(matches!(err, Error::DynamicVersion { ref how, .. } if how == "hatch-vcs"));
        assert_eq!(hatch_version_path(hatch_vcs), None);

        // A dynamic version read from a file is found in that file.
        let hatch_path = "[project]\ndynamic = [\"version\"]\n[tool.hatch.version]\npath = \"src/p/__about__.py\"\n";
        assert_eq!(
            hatch_version_path(hatch_path).as_deref(),
            Some("src/p/__about__.py")
        );
        let sources = find_sources(
            "pyproject.toml",
            hatch_path,
            &files(&[("src/p/__about__.py", "__version__ = \"0.3.0\"\n")]),
            &[],
        )
        .unwrap();
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].value, "0.3.0");

        // Dynamic with nothing found: assume the tag.
        let bare = "[project]\ndynamic = [\"version\"]\n";
        assert!(matches!(
            find_sources("pyproject.toml", bare, &[], &[]),
            Err(Error::DynamicVersion { .. })
        ));
        // A static version that is also listed as dynamic is not a source.
        let both = "[project]\nversion = \"1.0\"\ndynamic = [\"version\"]\n";
        assert!(matches!(
            find_sources("pyproject.toml", both, &[], &[]),
            Err(Error::DynamicVersion { .. })
        ));
        let reqs = "[build-system]\nrequires = [\"setuptools>=64\", \"setuptools_scm[toml]>=8\"]\n[project]\ndynamic = [\"version\"]\n";
        assert!(matches!(
            find_sources("pyproject.toml", reqs, &[], &[]),
            Err(Error::DynamicVersion { ref how, .. }) if how == "setuptools-scm"
        ));
    }

    #[test]
    fn version_files_must_hold_a_version() {
        let err = find_sources(
            "pyproject.toml",
            "[project]\nversion = \"1.0.0\"\n",
            &[],
            &files(&[("docs/conf.py", "release = '1.0.0'\n")]),
        )
        .unwrap_err();
        assert!(matches!(err, Error::NoDunder { ref file } if file == "docs/conf.py"));
        let ok = find_sources(
            "pyproject.toml",
            "[project]\nversion = \"1.0.0\"\n",
            &files(&[("p/__init__.py", "__version__ = '1.0.0'\n")]),
            &files(&[
                ("p/__init__.py", "__version__ = '1.0.0'\n"),
                ("p/meta.py", "__version__ = '1.0'\n"),
            ]),
        )
        .unwrap();
        assert_eq!(ok.len(), 3, "{ok:?}");
        // Listed in version-files, it must hold a version even when it is a package file too.
        let init = files(&[("p/__init__.py", "from ._v import __version__\n")]);
        let err = find_sources(
            "pyproject.toml",
            "[project]\nversion = \"1.0.0\"\n",
            &init,
            &init,
        )
        .unwrap_err();
        assert!(matches!(err, Error::NoDunder { ref file } if file == "p/__init__.py"));
    }

    #[test]
    fn bad_toml_and_non_string_versions() {
        let err = find_sources("a/pyproject.toml", "[project\n", &[], &[]).unwrap_err();
        assert!(matches!(err, Error::Toml { ref file, .. } if file == "a/pyproject.toml"));
        let err = find_sources("pyproject.toml", "[project]\nversion = 1\n", &[], &[]).unwrap_err();
        assert!(matches!(err, Error::NotAString { ref key, .. } if key == "project.version"));
        let err = set_pyproject_version("[project]\nname = 'x'\n", "1.0").unwrap_err();
        let err = err.with_file("sub/pyproject.toml");
        assert!(matches!(err, Error::NoVersion { ref file, .. } if file == "sub/pyproject.toml"));
        let err = set_pyproject_version("[project]\nversion = '1'\n", "1\"0").unwrap_err();
        assert!(matches!(err, Error::InvalidNewVersion { .. }));
    }

    #[test]
    fn dunder_rewrites_only_the_assignment() {
        let input = concat!(
            "\"\"\"mypkg.\n",
            "\n",
            "__version__ = \"1.4.0\"  (a docstring line, not code)\n",
            "\"\"\"\n",
            "REQUIRES = [\n",
            "    \"requests==1.4.0\",\n",
            "]\n",
            "__version__ = '1.4.0'  # the version\n",
            "MIN = \"1.4.0\"\n",
            "if True:\n",
            "    __version__ = \"1.4.0\"\n",
            "x = (\n",
            "__version__ == \"1.4.0\")\n",
        );
        let got = set_dunder_version(input, "2.0.0").unwrap();
        let want = input.replace(
            "__version__ = '1.4.0'  # the version",
            "__version__ = '2.0.0'  # the version",
        );
        assert_eq!(got, want);
    }

    #[test]
    fn dunder_spellings() {
        let cases = [
            ("__version__ = \"1.0\"\n", Some("1.0")),
            ("__version__='1.0'\n", Some("1.0")),
            ("__version__: str = \"1.0\"\r\n", Some("1.0")),
            ("__version__: Final[str] = '1.0' # x\n", Some("1.0")),
            ("\u{feff}__version__ = \"1.0\"", Some("1.0")),
            ("__version__ = version = \"1.0\"\n", None),
            ("__version__ = get_version()\n", None),
            ("__version__ = \"1.0\" + SUFFIX\n", None),
            ("__version__ == \"1.0\"\n", None),
            ("__version_info__ = \"1.0\"\n", None),
            ("  __version__ = \"1.0\"\n", None),
            ("__version__ = \"\"\"1.0\"\"\"\n", None),
            ("x = 1 \\\n__version__ = \"1.0\"\n", None),
            ("s = '''\n__version__ = \"1.0\"\n'''\n", None),
            ("s = 'it''s'  # '''\n__version__ = \"1.0\"\n", Some("1.0")),
        ];
        for (text, want) in cases {
            let got = dunder_assignments(text)
                .first()
                .map(|a| text[a.literal.clone()].to_owned());
            assert_eq!(got.as_deref(), want, "{text:?}");
        }
        let crlf = "# c\r\n__version__ = \"1.0\"\r\nx = 1\r\n";
        assert_eq!(
            set_dunder_version(crlf, "1.1").unwrap(),
            "# c\r\n__version__ = \"1.1\"\r\nx = 1\r\n"
        );
        assert!(matches!(
            set_dunder_version("x = 1\n", "1.1"),
            Err(Error::NoDunder { .. })
        ));
    }

    #[test]
    fn candidates() {
        assert_eq!(
            dunder_candidates("src/p", false),
            [
                "src/p/__init__.py",
                "src/p/_version.py",
                "src/p/__about__.py"
            ]
        );
        assert_eq!(dunder_candidates("p.py", true), ["p.py"]);
    }
}
