//! The report: the JSON contract (schema_version 1), built from the diff and the versions, and
//! one renderer per format. Renderers write to `&mut dyn Write` and never decide colour.

pub mod github;
pub mod graph;
pub mod imports;
pub mod json;
pub mod markdown;
pub mod members;
pub mod release;
pub mod surface;
pub mod text;

use serde::Serialize;

use crate::api::Warning;
use crate::diff::Change;
use crate::version::Bump;
pub use crate::version::verdict::Verdict;

/// The result of `diff` or `check`. Field order is the JSON field order; fields are only ever
/// added, compatibly.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    /// The import name of the package.
    pub package: String,
    /// The base revision as the user named it (or the tag found).
    pub from: String,
    /// The compared revision as the user named it (`HEAD`, `WORKTREE`).
    pub to: String,
    /// The version of the base release.
    pub current_version: Option<String>,
    /// The version declared at `to` (pyproject.toml or `__version__`), when it is static.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_version: Option<String>,
    pub required_bump: Bump,
    /// The version the next release should have.
    pub next_version: Option<String>,
    pub changes: Vec<Change>,
    /// The gate's verdict, for `check`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<Verdict>,
    /// Problems that did not stop the diff.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// The packages read, the one that names the report first (added after schema 1's first
    /// fields, so it comes last).
    pub packages: Vec<PackageRead>,
    /// The member's name in a repository of several projects (`--all`, or a member chosen by
    /// `--package` or the current folder).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// `check --imports`: the imports gate's findings on the same project.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imports: Option<Vec<crate::imports::Finding>>,
}

/// A top-level package or module of the distribution that was read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PackageRead {
    /// The import name (`mypkg`, `_mypkg`, `mymodule`).
    pub name: String,
    /// Repository-relative path of its directory or file.
    pub path: String,
}

/// The output formats of `diff` and `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
    Github,
}

impl Report {
    /// The changes grouped by bump, worst first; within a group, in report order. Groups with no
    /// change are left out.
    pub fn by_bump(&self) -> Vec<(Bump, Vec<&Change>)> {
        [Bump::Major, Bump::Minor, Bump::Patch, Bump::None]
            .into_iter()
            .filter_map(|bump| {
                let group: Vec<&Change> = self.changes.iter().filter(|c| c.bump == bump).collect();
                (!group.is_empty()).then_some((bump, group))
            })
            .collect()
    }

    /// The closing line of every format: `required bump: major (2 breaking changes) — next
    /// version 2.0.0`. With no API change it says whether package files changed, since that is
    /// what separates `patch` from `none` (API-RULES.md section 3).
    pub fn summary(&self) -> String {
        let bump = self.required_bump;
        let reason = if self.changes.is_empty() {
            match bump {
                Bump::None => "no public API changes, and no package files changed".to_owned(),
                _ => "no public API changes, but package files changed".to_owned(),
            }
        } else {
            let n = self.changes.iter().filter(|c| c.bump == bump).count();
            let noun = match bump {
                Bump::Major => "breaking change",
                Bump::Minor => "backward-compatible change",
                Bump::Patch => "patch-level change",
                Bump::None => "change that needs no release",
            };
            plural(n, noun)
        };
        let next = match (&self.next_version, bump) {
            (_, Bump::None) => " — no release needed".to_owned(),
            (Some(v), _) => format!(" — next version {v}"),
            (None, _) => String::new(),
        };
        format!("required bump: {bump} ({reason}){next}")
    }
}

impl Verdict {
    /// `check passed: ...` or `check failed: ...`.
    pub fn headline(&self) -> String {
        let word = if self.passed { "passed" } else { "failed" };
        format!("check {word}: {}", self.message)
    }
}

/// `1 breaking change`, `2 breaking changes`.
pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The shared sample every renderer is snapshotted on: several bumps, a signature change, a
/// move, a second public path, a warning and a failed check, with `|`, backticks, `%`, `:` and
/// `,` in the texts so that every escaping rule is exercised.
#[cfg(test)]
pub(crate) fn sample() -> Report {
    use crate::diff::ChangeKind;

    let change = |kind: ChangeKind, path: &str, message: &str, file: &str, line: u32| Change {
        kind,
        bump: kind.bump(),
        path: path.to_owned(),
        message: message.to_owned(),
        file: file.to_owned(),
        line,
        also_at: Vec::new(),
        moved_to: None,
        before: None,
        after: None,
        deprecated_since: None,
    };
    let changes = vec![
        Change {
            also_at: vec!["mypkg.connect".to_owned()],
            before: Some("def connect(host, port=80) -> Conn".to_owned()),
            after: Some("def connect(host, *, port=80) -> Conn".to_owned()),
            ..change(
                ChangeKind::ParameterBecameKeywordOnly,
                "mypkg.client.connect",
                "parameter `port` of `mypkg.client.connect` can no longer be passed by position",
                "src/mypkg/client.py",
                12,
            )
        },
        Change {
            moved_to: Some("mypkg.retry.retry".to_owned()),
            deprecated_since: Some("1.2.0".to_owned()),
            ..change(
                ChangeKind::NameMoved,
                "mypkg.utils.retry",
                "`mypkg.utils.retry` moved to `mypkg.retry.retry`; the old import fails",
                "src/mypkg/retry.py",
                8,
            )
        },
        Change {
            before: Some("def send(self, data: bytes | str) -> int".to_owned()),
            after: Some(
                "def send(self, data: bytes | str, timeout: float | None = None) -> int".to_owned(),
            ),
            ..change(
                ChangeKind::ParameterAddedOptional,
                "mypkg.Client.send",
                "new optional parameter `timeout` of `mypkg.Client.send`",
                "src/mypkg/_client.py",
                41,
            )
        },
        change(
            ChangeKind::MemberAdded,
            "mypkg.Client.close",
            "new method `mypkg.Client.close`",
            "src/mypkg/_client.py",
            57,
        ),
        change(
            ChangeKind::ValueChanged,
            "mypkg.config.FORMAT",
            "value of `mypkg.config.FORMAT` changed from `'%s: %s'` to `'%s | %s, %s'`",
            "src/mypkg/config.py",
            3,
        ),
        Change {
            before: Some("def quote(text, mark='\"')".to_owned()),
            after: Some("def quote(text, mark='`')".to_owned()),
            ..change(
                ChangeKind::DefaultChanged,
                "mypkg.text.quote",
                "default of `mark` in `mypkg.text.quote` changed from `'\"'` to `'`'`",
                "src/mypkg/text.py",
                20,
            )
        },
    ];
    Report {
        schema_version: 1,
        package: "mypkg".to_owned(),
        from: "v1.4.0".to_owned(),
        to: "HEAD".to_owned(),
        current_version: Some("1.4.0".to_owned()),
        declared_version: Some("1.5.0".to_owned()),
        required_bump: Bump::Major,
        next_version: Some("2.0.0".to_owned()),
        changes,
        check: Some(Verdict {
            passed: false,
            declared_version: Some("1.5.0".to_owned()),
            declared_bump: Some(Bump::Minor),
            message: "the changes need 2.0.0 (major), but pyproject.toml declares 1.5.0 (minor)"
                .to_owned(),
            undeprecated_removals: Vec::new(),
        }),
        warnings: vec![Warning {
            file: "src/mypkg/_compat.py".to_owned(),
            line: 7,
            column: 5,
            message: "syntax error inside a function body, so the surface is not affected"
                .to_owned(),
        }],
        packages: vec![PackageRead {
            name: "mypkg".to_owned(),
            path: "src/mypkg".to_owned(),
        }],
        member: None,
        imports: None,
    }
}

/// A report with no API change: `patch` when `files_changed`, else `none`.
#[cfg(test)]
pub(crate) fn sample_empty(files_changed: bool) -> Report {
    Report {
        required_bump: if files_changed {
            Bump::Patch
        } else {
            Bump::None
        },
        next_version: files_changed.then(|| "1.4.1".to_owned()),
        declared_version: Some("1.4.0".to_owned()),
        changes: Vec::new(),
        check: None,
        warnings: Vec::new(),
        ..sample()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders `report` in every format (text both with and without colour).
    fn render_all(report: &Report) -> Vec<(&'static str, Vec<u8>)> {
        let mut outputs = Vec::new();
        let mut buf = Vec::new();
        text::render(report, &mut buf, false).unwrap();
        outputs.push(("text", std::mem::take(&mut buf)));
        text::render(report, &mut buf, true).unwrap();
        outputs.push(("text+color", std::mem::take(&mut buf)));
        json::render(report, &mut buf).unwrap();
        outputs.push(("json", std::mem::take(&mut buf)));
        markdown::render(report, markdown::COMMENT_MAX_BYTES, &mut buf).unwrap();
        outputs.push(("markdown", std::mem::take(&mut buf)));
        github::render(report, &mut buf).unwrap();
        outputs.push(("github", std::mem::take(&mut buf)));
        outputs
    }

    #[test]
    fn rendering_twice_gives_identical_bytes() {
        for report in [sample(), sample_empty(true), sample_empty(false)] {
            assert_eq!(render_all(&report), render_all(&report));
        }
    }

    #[test]
    fn only_coloured_text_has_escape_codes() {
        for report in [sample(), sample_empty(true)] {
            for (format, bytes) in render_all(&report) {
                let has_escape = bytes.contains(&0x1b);
                assert_eq!(has_escape, format == "text+color", "{format}");
            }
        }
    }

    #[test]
    fn by_bump_is_worst_first_and_keeps_report_order() {
        let report = sample();
        let groups: Vec<(Bump, Vec<&str>)> = report
            .by_bump()
            .into_iter()
            .map(|(b, cs)| (b, cs.iter().map(|c| c.path.as_str()).collect()))
            .collect();
        assert_eq!(
            groups,
            vec![
                (
                    Bump::Major,
                    vec!["mypkg.client.connect", "mypkg.utils.retry"]
                ),
                (Bump::Minor, vec!["mypkg.Client.send", "mypkg.Client.close"]),
                (Bump::Patch, vec!["mypkg.config.FORMAT", "mypkg.text.quote"]),
            ]
        );
    }

    #[test]
    fn summary_names_bump_reason_and_next_version() {
        assert_eq!(
            sample().summary(),
            "required bump: major (2 breaking changes) — next version 2.0.0"
        );
        assert_eq!(
            sample_empty(true).summary(),
            "required bump: patch (no public API changes, but package files changed) — next version 1.4.1"
        );
        assert_eq!(
            sample_empty(false).summary(),
            "required bump: none (no public API changes, and no package files changed) — no release needed"
        );
        let mut one_minor = sample();
        one_minor.changes.retain(|c| c.bump == Bump::Minor);
        one_minor.changes.truncate(1);
        one_minor.required_bump = Bump::Minor;
        one_minor.next_version = Some("1.5.0".to_owned());
        assert_eq!(
            one_minor.summary(),
            "required bump: minor (1 backward-compatible change) — next version 1.5.0"
        );
    }
}
