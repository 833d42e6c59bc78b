//! PEP 508 requirement strings (`invoice-rules[pdf] ~= 0.4.2; python_version >= '3.9'`): the
//! name, the extras, the version specifiers and where they sit in the string, the URL of a
//! direct reference (`name @ file:///...`), and the marker.
//!
//! Read by hand, like `version::specifier`, because this much is all bumpwise needs. Markers are
//! kept as text and never evaluated, and URLs are not checked: a rewrite changes the version
//! specifiers and leaves every other byte of the string as written.

use std::ops::Range;

use crate::version::pep440::Version;
use crate::version::specifier::{SpecifierError, Specifiers};

/// A requirement string, read as PEP 508 says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pep508 {
    /// The distribution name, normalized as PEP 503 says.
    pub name: String,
    /// The extras (`[pdf, cli]`), normalized, in written order.
    pub extras: Vec<String>,
    /// The version specifiers; empty for a bare name and for a URL.
    pub specifiers: Specifiers,
    /// Where the specifiers are in the string, parentheses excluded. With none, the empty
    /// range after the name and extras.
    pub specifier_span: Range<usize>,
    /// The URL after `@`, as written.
    pub url: Option<String>,
    /// The environment marker after `;`, as written and trimmed.
    pub marker: Option<String>,
}

/// Why a requirement string could not be read or rewritten.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum RequirementError {
    #[error("`{requirement}` is not a PEP 508 requirement: {reason}")]
    Syntax { requirement: String, reason: String },
    #[error("in the requirement `{requirement}`, {source}")]
    Specifier {
        requirement: String,
        source: SpecifierError,
    },
}

impl Pep508 {
    /// Reads one requirement string. Spans are byte offsets into `text` as given.
    pub(crate) fn parse(text: &str) -> Result<Pep508, RequirementError> {
        let fail = |reason: &str| RequirementError::Syntax {
            requirement: text.to_owned(),
            reason: reason.to_owned(),
        };
        let mut at = skip_space(text, 0);
        let name_end = text[at..]
            .find(|c: char| !is_name_char(c))
            .map_or(text.len(), |n| at + n);
        let name = &text[at..name_end];
        if name.is_empty() {
            return Err(fail("it does not start with a project name"));
        }
        if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
            || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
        {
            return Err(fail(&format!(
                "the name `{name}` must start and end with a letter or digit"
            )));
        }
        at = skip_space(text, name_end);

        let mut extras = Vec::new();
        if text[at..].starts_with('[') {
            let Some(close) = text[at..].find(']') else {
                return Err(fail("`[` opens extras that no `]` closes"));
            };
            let list = text[at + 1..at + close].trim();
            for extra in list.split(',').map(str::trim).filter(|_| !list.is_empty()) {
                if extra.is_empty() || !extra.chars().all(is_name_char) {
                    return Err(fail(&format!(
                        "`[{list}]` is not a list of extra names; write them as `[pdf, cli]`"
                    )));
                }
                extras.push(normalize(extra));
            }
            at += close + 1;
        }
        let after_name = at;
        at = skip_space(text, at);

        if let Some(rest) = text[at..].strip_prefix('@') {
            // `name @ url ; marker`: the URL runs to whitespace, since `;` may be part of it.
            let url_start = skip_space(text, text.len() - rest.len());
            let url_end = text[url_start..]
                .find(char::is_whitespace)
                .map_or(text.len(), |n| url_start + n);
            if url_start == url_end {
                return Err(fail("`@` needs a URL after it"));
            }
            let marker = marker(text, skip_space(text, url_end)).map_err(|r| fail(&r))?;
            return Ok(Pep508 {
                name: normalize(name),
                extras,
                specifiers: Specifiers::default(),
                specifier_span: after_name..after_name,
                url: Some(text[url_start..url_end].to_owned()),
                marker,
            });
        }

        let (specifier_span, after) = if text[at..].starts_with('(') {
            let Some(close) = text[at..].find(')') else {
                return Err(fail("`(` opens version specifiers that no `)` closes"));
            };
            (at + 1..at + close, skip_space(text, at + close + 1))
        } else {
            let end = text[at..].find(';').map_or(text.len(), |n| at + n);
            let trimmed = at + text[at..end].trim_end().len();
            let span = if trimmed == at {
                after_name..after_name
            } else {
                at..trimmed
            };
            (span, end)
        };
        let spec_text = &text[specifier_span.clone()];
        if let Some(hash) = spec_text.find('#') {
            return Err(fail(&format!(
                "`{}` is a comment, and a requirement string cannot hold one; move it after \
                 the string in pyproject.toml",
                spec_text[hash..].trim_end()
            )));
        }
        let specifiers = Specifiers::parse(spec_text).map_err(|e| specifier_error(text, e))?;
        let marker = marker(text, after).map_err(|r| fail(&r))?;
        Ok(Pep508 {
            name: normalize(name),
            extras,
            specifiers,
            specifier_span,
            url: None,
            marker,
        })
    }

    /// Whether the requirement is a direct reference to a local path (`name @ file:///...`),
    /// which no version specifier constrains.
    #[cfg(test)]
    pub(crate) fn is_file_url(&self) -> bool {
        self.url
            .as_deref()
            .and_then(|u| u.get(..5))
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("file:"))
    }
}

/// Whether requirement `text` admits `next`, pre-releases allowed: `Ok(None)` when it does (a
/// URL admits every version), else the string with only its version specifiers rewritten by
/// [`crate::version::specifier::widen`]; extras, marker and spacing stay as written. When the
/// rewrite drops the last clause, the parentheses and the space before it go too.
pub(crate) fn widen_requirement(
    text: &str,
    next: &Version,
) -> Result<Option<String>, RequirementError> {
    let req = Pep508::parse(text)?;
    let Some(new) = req
        .specifiers
        .widen(next)
        .map_err(|e| specifier_error(text, e))?
    else {
        return Ok(None);
    };
    let (mut start, mut end) = (req.specifier_span.start, req.specifier_span.end);
    if new.is_empty() {
        let before = text[..start].trim_end();
        if before.ends_with('(') && text[end..].starts_with(')') {
            start = before.len() - 1;
            end += 1;
        }
        start = text[..start].trim_end().len();
    }
    Ok(Some(format!("{}{new}{}", &text[..start], &text[end..])))
}

/// The marker after `;` at `at`, if any; an error when something else is there.
fn marker(text: &str, at: usize) -> Result<Option<String>, String> {
    let rest = &text[at..];
    if rest.trim().is_empty() {
        return Ok(None);
    }
    let Some(marker) = rest.strip_prefix(';') else {
        return Err(format!(
            "`{}` follows the requirement; only `; marker` may (with a space before `;` \
             after a URL)",
            rest.trim_end()
        ));
    };
    let marker = marker.trim();
    if marker.is_empty() {
        return Err("`;` needs a marker after it, such as `python_version >= \"3.9\"`".to_owned());
    }
    Ok(Some(marker.to_owned()))
}

fn specifier_error(requirement: &str, source: SpecifierError) -> RequirementError {
    RequirementError::Specifier {
        requirement: requirement.to_owned(),
        source,
    }
}

fn skip_space(text: &str, at: usize) -> usize {
    text.len() - text[at..].trim_start().len()
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// The normalized name at the start of a PEP 508 requirement (`Foo.Bar[extra]>=1` is
/// `foo-bar`), or `None` when it does not start with one. Lenient on purpose: a string whose
/// rest [`Pep508::parse`] rejects still names its dependency.
pub(crate) fn requirement_name(requirement: &str) -> Option<String> {
    let s = requirement.trim_start();
    let end = s.find(|c: char| !is_name_char(c)).unwrap_or(s.len());
    let name = s[..end].trim_end_matches(['.', '_', '-']);
    (!name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphanumeric()))
        .then(|| normalize(name))
}

/// PEP 503 normalization: lower case, every run of `-`, `_` and `.` turned into one `-`.
pub(crate) fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
            continue;
        }
        if separator && !out.is_empty() {
            out.push('-');
        }
        separator = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a widening table says when the requirement already admits the version.
    const ADMITS: &str = "(admits it)";

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn reads_the_parts() {
        // (requirement, name, extras, specifiers as written, url, marker)
        type Row = (
            &'static str,
            &'static str,
            &'static [&'static str],
            &'static str,
            Option<&'static str>,
            Option<&'static str>,
        );
        let rows: [Row; 10] = [
            (
                "invoice-rules>=0.4,<0.5",
                "invoice-rules",
                &[],
                ">=0.4,<0.5",
                None,
                None,
            ),
            (
                "Invoice_Rules[PDF] ~= 0.4.2; python_version >= '3.9'",
                "invoice-rules",
                &["pdf"],
                "~= 0.4.2",
                None,
                Some("python_version >= '3.9'"),
            ),
            (
                "invoice-rules [pdf, cli]",
                "invoice-rules",
                &["pdf", "cli"],
                "",
                None,
                None,
            ),
            ("invoice-rules[]", "invoice-rules", &[], "", None, None),
            (
                "invoice-rules (>=0.4, <0.5)",
                "invoice-rules",
                &[],
                ">=0.4, <0.5",
                None,
                None,
            ),
            ("  x.y  ", "x-y", &[], "", None, None),
            (
                "x ;python_version<'3'",
                "x",
                &[],
                "",
                None,
                Some("python_version<'3'"),
            ),
            (
                "invoice-rules @ file:///${PROJECT_ROOT}/../invoice_rules",
                "invoice-rules",
                &[],
                "",
                Some("file:///${PROJECT_ROOT}/../invoice_rules"),
                None,
            ),
            (
                "pip[socks]@https://x.test/pip.whl ; sys_platform == 'linux'",
                "pip",
                &["socks"],
                "",
                Some("https://x.test/pip.whl"),
                Some("sys_platform == 'linux'"),
            ),
            (
                "a==1.0rc1 ;extra=='x'",
                "a",
                &[],
                "==1.0rc1",
                None,
                Some("extra=='x'"),
            ),
        ];
        for (text, name, extras, spec, url, marker) in rows {
            let r = Pep508::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(r.name, name, "{text}");
            assert_eq!(r.extras, extras, "{text}");
            assert_eq!(&text[r.specifier_span.clone()], spec, "{text}");
            assert_eq!(r.specifiers.as_str(), spec, "{text}");
            assert_eq!(r.url.as_deref(), url, "{text}");
            assert_eq!(r.marker.as_deref(), marker, "{text}");
        }
        let path = Pep508::parse("a @ FILE:///w/a").expect("parses");
        assert!(path.is_file_url());
        assert!(
            !Pep508::parse("a @ https://x.test/a.whl")
                .expect("parses")
                .is_file_url()
        );
        assert!(!Pep508::parse("a>=1").expect("parses").is_file_url());
    }

    #[test]
    fn errors_say_why() {
        for (text, needle) in [
            ("", "does not start with a project name"),
            (">=1.0", "does not start with a project name"),
            ("-a>=1", "must start and end with a letter or digit"),
            ("a->=1", "must start and end with a letter or digit"),
            ("a[pdf", "no `]` closes"),
            ("a[pdf,]", "`[pdf,]` is not a list of extra names"),
            ("a[p f]", "`[p f]` is not a list of extra names"),
            ("a (>=1", "no `)` closes"),
            ("a (>=1) x", "`x` follows the requirement"),
            ("a @ ", "`@` needs a URL"),
            ("a @ https://x.test/a.whl; x", "`x` follows the requirement"),
            ("a>=1;", "`;` needs a marker"),
            (
                "invoice-rules>=0.4,<0.5  # pinned for the 0.4 API",
                "`# pinned for the 0.4 API` is a comment",
            ),
        ] {
            let err = Pep508::parse(text).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(needle), "{text}: {msg}");
            assert!(matches!(err, RequirementError::Syntax { .. }), "{text}");
        }
        let err = Pep508::parse("a 1.0").unwrap_err();
        assert_eq!(
            err.to_string(),
            "in the requirement `a 1.0`, `1.0` is not a PEP 440 version specifier: it does \
             not start with an operator; write `==1.0` or `>=1.0`, not `1.0`"
        );
    }

    #[test]
    fn widens_only_the_specifiers() {
        // (requirement, next version, rewritten)
        let rows = [
            (
                "invoice-rules>=0.4,<0.5",
                "0.5.0",
                "invoice-rules>=0.4,<0.6",
            ),
            (
                "invoice-rules[pdf] ~= 0.4.2; python_version >= '3.9'",
                "0.5.0",
                "invoice-rules[pdf] >= 0.4.2, < 0.6; python_version >= '3.9'",
            ),
            (
                "invoice-rules[pdf]~=0.4.2 ; python_version >= '3.9'",
                "0.5.0rc1",
                "invoice-rules[pdf]>=0.4.2,<0.6 ; python_version >= '3.9'",
            ),
            (
                "invoice-rules (>= 0.4, < 0.5)",
                "0.5.0",
                "invoice-rules (>= 0.4, < 0.6)",
            ),
            ("invoice-rules==0.4.2", "0.5.0", "invoice-rules==0.5.0"),
            ("invoice-rules !=0.5.0", "0.5.0", "invoice-rules"),
            ("invoice-rules (!=0.5.0)", "0.5.0", "invoice-rules"),
            (
                "invoice-rules!=0.5.0; extra == 'x'",
                "0.5.0",
                "invoice-rules; extra == 'x'",
            ),
            ("invoice-rules>=0.4", "0.5.0", ADMITS),
            ("invoice-rules", "0.5.0", ADMITS),
            (
                "invoice-rules @ file:///${PROJECT_ROOT}/../invoice_rules",
                "0.5.0",
                ADMITS,
            ),
        ];
        for (text, next, want) in rows {
            let got = widen_requirement(text, &v(next)).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(got.as_deref().unwrap_or(ADMITS), want, "{text} for {next}");
        }
        let err = widen_requirement("invoice-rules>=0.6", &v("0.5.0")).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "in the requirement `invoice-rules>=0.6`, cannot widen `>=0.6` to admit 0.5.0: \
                 `>=0.6` asks for a newer release"
            ),
            "{err}"
        );
    }

    #[test]
    fn requirement_names_are_normalized() {
        assert_eq!(
            requirement_name("requests>=2.31").as_deref(),
            Some("requests")
        );
        assert_eq!(
            requirement_name("Foo_Bar.baz [socks] ; python_version < '3.8'").as_deref(),
            Some("foo-bar-baz")
        );
        assert_eq!(
            requirement_name("typing-extensions").as_deref(),
            Some("typing-extensions")
        );
        assert_eq!(requirement_name("  ; x"), None);
        assert_eq!(normalize("My__Extra"), "my-extra");
    }
}
