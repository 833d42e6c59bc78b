//! PEP 440 version specifier sets (`>=0.4, <0.5`, `~=0.4.2`, `==0.4.*`): parsing, membership,
//! and widening a set so that it admits a new release.
//!
//! Written by hand over [`Version`], as pep440.rs is (pep440_rs would bring about ten crates for
//! this much). The rules are PEP 440's "Version specifiers", read as pypa/packaging 24.2 reads
//! them where the text leaves room: which clauses let pre-releases in, and what "a pre-release
//! of V" is for `<V`. Epochs and local versions are rejected with a reason, as [`Version`]
//! rejects them.
//! Each clause keeps its byte range in the text it was parsed from, so a rewrite touches the
//! clauses it must and leaves the writer's spacing and the other clauses as written.
//!
//! Never reads files: callers hand it the text.

use std::fmt;
use std::ops::Range;

use super::pep440::Version;

/// A set of comma-separated clauses; a version must satisfy all of them. The empty set
/// admits every version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Specifiers {
    /// The text parsed, as written.
    text: String,
    clauses: Vec<Clause>,
}

/// One clause (`>= 0.4`) and where it sits in the text of its set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Clause {
    pub cmp: Comparison,
    /// The clause from its operator to the end of its version.
    pub span: Range<usize>,
    /// The version as written (`0.4`, `v0.4.*`).
    pub version_span: Range<usize>,
}

/// An operator with what it compares against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Comparison {
    /// `~=V`: `>=V` and the same release numbers but the last (`~=0.4.2` is `>=0.4.2, ==0.4.*`).
    Compatible(Version),
    /// `==V`, release numbers zero-padded (`==1.0` matches `1.0.0`).
    Equal(Version),
    /// `==1.2.*`: the release starts with these numbers.
    EqualPrefix(Vec<u64>),
    NotEqual(Version),
    NotEqualPrefix(Vec<u64>),
    /// `<V`, which excludes the pre-releases of V unless V is one.
    Less(Version),
    LessEqual(Version),
    /// `>V`, which excludes the post-releases of V unless V is one.
    Greater(Version),
    GreaterEqual(Version),
    /// `===text`: the version's normalized text equals this one (case-insensitive).
    Arbitrary(String),
}

/// Why a specifier set could not be read or widened.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SpecifierError {
    #[error("`{clause}` is not a PEP 440 version specifier: {reason}")]
    Syntax { clause: String, reason: String },
    #[error("cannot widen `{specifiers}` to admit {version}: `{clause}` {reason}")]
    Widen {
        specifiers: String,
        clause: String,
        version: String,
        reason: String,
    },
}

impl Comparison {
    /// The operator as PEP 440 spells it.
    pub(crate) fn operator(&self) -> &'static str {
        match self {
            Comparison::Compatible(_) => "~=",
            Comparison::Equal(_) | Comparison::EqualPrefix(_) => "==",
            Comparison::NotEqual(_) | Comparison::NotEqualPrefix(_) => "!=",
            Comparison::Less(_) => "<",
            Comparison::LessEqual(_) => "<=",
            Comparison::Greater(_) => ">",
            Comparison::GreaterEqual(_) => ">=",
            Comparison::Arbitrary(_) => "===",
        }
    }

    /// The version compared against; `None` for a `.*` prefix and for `===`.
    pub(crate) fn version(&self) -> Option<&Version> {
        match self {
            Comparison::Compatible(v)
            | Comparison::Equal(v)
            | Comparison::NotEqual(v)
            | Comparison::Less(v)
            | Comparison::LessEqual(v)
            | Comparison::Greater(v)
            | Comparison::GreaterEqual(v) => Some(v),
            Comparison::EqualPrefix(_)
            | Comparison::NotEqualPrefix(_)
            | Comparison::Arbitrary(_) => None,
        }
    }
}

impl Clause {
    /// Whether `v` satisfies this clause alone, pre-releases allowed.
    pub(crate) fn contains(&self, v: &Version) -> bool {
        match &self.cmp {
            Comparison::Compatible(s) => {
                v >= s && has_prefix(v, &s.release[..s.release.len().saturating_sub(1)])
            }
            Comparison::Equal(s) => v == s,
            Comparison::EqualPrefix(p) => has_prefix(v, p),
            Comparison::NotEqual(s) => v != s,
            Comparison::NotEqualPrefix(p) => !has_prefix(v, p),
            // `<2.0` must not admit `2.0rc1`, though it sorts lower (PEP 440, "Exclusive
            // ordered comparison"); packaging compares the release parts for "of V".
            Comparison::Less(s) => v < s && !(is_pre(v) && !is_pre(s) && same_release(v, s)),
            Comparison::LessEqual(s) => v <= s,
            // Likewise `>1.7` must not admit `1.7.post1`.
            Comparison::Greater(s) => {
                v > s && !(v.post.is_some() && s.post.is_none() && same_release(v, s))
            }
            Comparison::GreaterEqual(s) => v >= s,
            Comparison::Arbitrary(text) => v.to_string().eq_ignore_ascii_case(text),
        }
    }

    /// Whether this clause names a pre-release, which lets its set admit pre-releases
    /// (packaging's rule: every operator but `!=`).
    fn names_prerelease(&self) -> bool {
        match &self.cmp {
            Comparison::NotEqual(_) | Comparison::NotEqualPrefix(_) => false,
            Comparison::Arbitrary(text) => text.parse::<Version>().is_ok_and(|v| is_pre(&v)),
            cmp => cmp.version().is_some_and(is_pre),
        }
    }
}

impl Specifiers {
    /// Parses a set such as `>=0.4, <0.5`. Empty clauses (`>=1,`) are skipped, as packaging
    /// does; the empty text is the empty set.
    pub(crate) fn parse(text: &str) -> Result<Specifiers, SpecifierError> {
        let mut clauses = Vec::new();
        let mut start = 0;
        for piece in text.split(',') {
            let end = start + piece.len();
            let lead = piece.len() - piece.trim_start().len();
            let trimmed = piece.trim();
            if !trimmed.is_empty() {
                let span = start + lead..start + lead + trimmed.len();
                clauses.push(parse_clause(trimmed, span)?);
            }
            start = end + 1;
        }
        Ok(Specifiers {
            text: text.to_owned(),
            clauses,
        })
    }

    /// The clauses, in written order.
    pub(crate) fn clauses(&self) -> &[Clause] {
        &self.clauses
    }

    /// The set as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `v` satisfies every clause. A pre-release (or dev release) is admitted only
    /// when `prereleases` is true or a clause names one (`>=1.0rc1`), as PEP 440 has
    /// installers do by default.
    pub(crate) fn contains(&self, v: &Version, prereleases: bool) -> bool {
        if is_pre(v) && !prereleases && !self.clauses.iter().any(Clause::names_prerelease) {
            return false;
        }
        self.clauses.iter().all(|c| c.contains(v))
    }

    /// The set rewritten to admit `next` (pre-releases allowed), or `None` when it already
    /// does. See [`widen`] for the rules.
    pub(crate) fn widen(&self, next: &Version) -> Result<Option<String>, SpecifierError> {
        if self.contains(next, true) {
            return Ok(None);
        }
        // One bump past the largest number the parser reads (`u64::MAX`) cannot be written
        // into a set that must parse back (found by fuzz/, issue 13).
        if next.to_string().parse::<Version>().is_err() {
            return Err(self.cannot_widen(
                &self.text,
                next,
                "has a release number above the largest bumpwise reads; edit it by hand",
            ));
        }
        let separator = self.separator();
        let mut pieces = Vec::with_capacity(self.clauses.len());
        for clause in &self.clauses {
            pieces.push(if clause.contains(next) {
                Some(self.text[clause.span.clone()].to_owned())
            } else {
                self.rewrite(clause, next, separator)?
            });
        }
        let (Some(first), Some(last)) = (self.clauses.first(), self.clauses.last()) else {
            return Ok(None);
        };
        let mut out = self.text[..first.span.start].to_owned();
        let mut wrote = false;
        for (i, piece) in pieces.iter().enumerate() {
            let Some(piece) = piece else { continue };
            if wrote && i > 0 {
                out.push_str(&self.text[self.clauses[i - 1].span.end..self.clauses[i].span.start]);
            }
            out.push_str(piece);
            wrote = true;
        }
        if !wrote {
            return Ok(Some(String::new()));
        }
        out.push_str(&self.text[last.span.end..]);
        // The rules above always admit `next`; this check keeps a wrong rewrite from ever
        // reaching a user's file.
        match Specifiers::parse(&out) {
            Ok(set) if set.contains(next, true) => Ok(Some(out)),
            _ => Err(self.cannot_widen(
                &self.text,
                next,
                &format!(
                    "would become `{out}`, which still excludes it; edit it by hand (and report \
                     this as a bug)"
                ),
            )),
        }
    }

    /// The rewrite of one clause that excludes `next`; `None` drops it.
    fn rewrite(
        &self,
        clause: &Clause,
        next: &Version,
        separator: &str,
    ) -> Result<Option<String>, SpecifierError> {
        let written = &self.text[clause.span.clone()];
        // The operator and the writer's spacing after it: `>= `.
        let head = &self.text[clause.span.start..clause.version_span.start];
        let gap = &head[clause.cmp.operator().len()..];
        let too_large = || {
            self.cannot_widen(
                written,
                next,
                "would need a bound above the largest release number bumpwise reads; edit it \
                 by hand",
            )
        };
        let new = match &clause.cmp {
            Comparison::NotEqual(_) | Comparison::NotEqualPrefix(_) => return Ok(None),
            Comparison::Equal(v) | Comparison::LessEqual(v) => {
                format!("{head}{}", with_length(next, v.release.len()))
            }
            Comparison::EqualPrefix(p) => {
                let prefix: Vec<u64> = (0..p.len()).map(|i| next.part(i)).collect();
                format!("{head}{}.*", dotted(&prefix))
            }
            Comparison::Less(v) => {
                let upper = upper_bound(&v.release, next).ok_or_else(too_large)?;
                format!("{head}{}", dotted(&upper))
            }
            Comparison::Compatible(v) if next >= v => {
                // `~=0.4.2` is `>=0.4.2, <0.5`: keep the lower bound, so what was installed
                // stays valid, and raise the cap as `<` is raised.
                let mut cap = v.release[..v.release.len().saturating_sub(1)].to_vec();
                if let Some(n) = cap.last_mut() {
                    *n = n.saturating_add(1);
                }
                let lower = &self.text[clause.version_span.clone()];
                let upper = dotted(&upper_bound(&cap, next).ok_or_else(too_large)?);
                format!(">={gap}{lower}{separator}<{gap}{upper}")
            }
            Comparison::Compatible(_) | Comparison::Greater(_) | Comparison::GreaterEqual(_) => {
                return Err(self.cannot_widen(
                    written,
                    next,
                    "asks for a newer release than that; check the next version, or lower the \
                     bound by hand if the dependent works with it",
                ));
            }
            Comparison::Arbitrary(_) => {
                return Err(self.cannot_widen(
                    written,
                    next,
                    "compares exact text; write the new version in by hand",
                ));
            }
        };
        Ok(Some(new))
    }

    fn cannot_widen(&self, clause: &str, next: &Version, reason: &str) -> SpecifierError {
        SpecifierError::Widen {
            specifiers: self.text.clone(),
            clause: clause.to_owned(),
            version: next.to_string(),
            reason: reason.to_owned(),
        }
    }

    /// What goes between two clauses: the writer's own, else `, ` when they space after
    /// operators (`>= 0.4`) and `,` when they do not.
    fn separator(&self) -> &str {
        if let [a, b, ..] = self.clauses.as_slice() {
            return &self.text[a.span.end..b.span.start];
        }
        let spaced = self
            .clauses
            .iter()
            .any(|c| c.span.start + c.cmp.operator().len() < c.version_span.start);
        if spaced { ", " } else { "," }
    }
}

impl fmt::Display for Specifiers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The specifier set `text` rewritten so it admits `next` (pre-releases allowed), or `None`
/// when it already does. Only the clauses that exclude `next` change, each keeping its
/// spacing; the rest of the text stays as written.
///
/// - Upper bounds are raised, keeping their granularity. A bound with one non-zero number caps
///   a series (`<2`, `<2.0`, `<0.5`: the next breaking release, 0.x minors being breaking) and
///   becomes the cap of `next`'s series: `<0.5` -> `<0.6` for 0.5.0, `<2.0` -> `<3.0` for
///   2.0.0, `<0.5` -> `<2.0` for 1.0.0. Any other bound keeps the level of its last non-zero
///   number: `<1.5` -> `<1.6` for 1.5.0.
/// - `<=V` becomes `<=next` and `==V` becomes `==next` (a pin moves), written with V's number
///   of release parts where only zeros differ; `==0.4.*` becomes `==0.5.*`.
/// - `~=V` becomes `>=V` plus the raised cap: `~=0.4.2` -> `>=0.4.2,<0.6` for 0.5.0. The lower
///   bound stays, so every install that was valid stays valid.
/// - `!=` clauses that exclude `next` are dropped.
/// - A lower bound above `next` (`>=0.6` for 0.5.0) and `===` are errors: there the dependent
///   asked for something else, and a person should decide.
#[cfg(test)]
pub(crate) fn widen(text: &str, next: &Version) -> Result<Option<String>, SpecifierError> {
    Specifiers::parse(text)?.widen(next)
}

const OPERATORS: [&str; 8] = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

/// Parses one trimmed, non-empty clause found at `span` of its set.
fn parse_clause(clause: &str, span: Range<usize>) -> Result<Clause, SpecifierError> {
    let fail = |reason: &str| SpecifierError::Syntax {
        clause: clause.to_owned(),
        reason: reason.to_owned(),
    };
    let Some(op) = OPERATORS.into_iter().find(|op| clause.starts_with(op)) else {
        return Err(fail(
            "it does not start with an operator; write `==1.0` or `>=1.0`, not `1.0`",
        ));
    };
    let version = clause[op.len()..].trim_start();
    let version_span = span.end - version.len()..span.end;
    if version.is_empty() {
        return Err(fail(&format!("`{op}` needs a version after it")));
    }
    if op == "===" {
        if version.contains(char::is_whitespace) {
            return Err(fail("the text after `===` cannot hold spaces"));
        }
        return Ok(Clause {
            cmp: Comparison::Arbitrary(version.to_owned()),
            span,
            version_span,
        });
    }
    if let Some(prefix) = version.strip_suffix(".*") {
        let v = parse_version(prefix).map_err(|reason| fail(&reason))?;
        if v.pre.is_some() || v.post.is_some() || v.dev.is_some() {
            return Err(fail(
                "`.*` follows release numbers only; write `==1.2.*`, not `==1.2rc1.*`",
            ));
        }
        let cmp = match op {
            "==" => Comparison::EqualPrefix(v.release),
            "!=" => Comparison::NotEqualPrefix(v.release),
            _ => {
                return Err(fail(&format!(
                    "`.*` only follows `==` or `!=`; write `{op}{prefix}`"
                )));
            }
        };
        return Ok(Clause {
            cmp,
            span,
            version_span,
        });
    }
    let v = parse_version(version).map_err(|reason| fail(&reason))?;
    let cmp = match op {
        "~=" if v.release.len() < 2 => {
            return Err(fail(
                "`~=` needs at least two release numbers; write `~=1.0`, not `~=1`",
            ));
        }
        "~=" => Comparison::Compatible(v),
        "==" => Comparison::Equal(v),
        "!=" => Comparison::NotEqual(v),
        "<=" => Comparison::LessEqual(v),
        ">=" => Comparison::GreaterEqual(v),
        "<" => Comparison::Less(v),
        _ => Comparison::Greater(v),
    };
    Ok(Clause {
        cmp,
        span,
        version_span,
    })
}

/// A clause's version, or the reason it is not one bumpwise reads.
fn parse_version(text: &str) -> Result<Version, String> {
    if text.contains('!') {
        return Err(format!(
            "`{text}` has an epoch (`N!`), which bumpwise does not read; compare without it"
        ));
    }
    if text.contains('+') {
        return Err(format!(
            "`{text}` has a local version label (`+...`), which published requirements do \
             not use; remove it"
        ));
    }
    text.parse::<Version>().map_err(|e| e.reason)
}

/// A pre-release or dev release, as packaging counts them (`1.0.post1.dev0` too).
fn is_pre(v: &Version) -> bool {
    v.pre.is_some() || v.dev.is_some()
}

fn same_release(a: &Version, b: &Version) -> bool {
    a.final_release() == b.final_release()
}

/// Whether `v`'s release, zero-padded, starts with `prefix` (`1.0` starts with `1.0.0`).
fn has_prefix(v: &Version, prefix: &[u64]) -> bool {
    prefix.iter().enumerate().all(|(i, &n)| v.part(i) == n)
}

/// The exclusive upper bound that replaces `<bound` to admit `next` (rules at [`widen`]);
/// `None` when it would need a number too large to read back (`u64::MAX`).
fn upper_bound(bound: &[u64], next: &Version) -> Option<Vec<u64>> {
    let first = bound.iter().position(|&n| n != 0);
    let last = bound.iter().rposition(|&n| n != 0);
    let level = match (first, last) {
        (Some(f), Some(l)) if f < l => l,
        // The series `next` is in: its first non-zero number, 0.x minors being breaking.
        _ => next.release.iter().position(|&n| n != 0).unwrap_or(0),
    };
    let mut out: Vec<u64> = (0..=level).map(|i| next.part(i)).collect();
    out[level] = out[level].checked_add(1).filter(|&n| n < u64::MAX)?;
    if out.len() < bound.len() {
        out.resize(bound.len(), 0);
    }
    Some(out)
}

/// `next` with `len` release numbers where only zeros differ (`0.5.0` as `0.5` for `==0.4`).
fn with_length(next: &Version, len: usize) -> Version {
    let mut v = next.clone();
    let keep = v
        .release
        .iter()
        .rposition(|&n| n != 0)
        .map_or(1, |i| i + 1)
        .max(len);
    v.release.resize(keep, 0);
    v
}

fn dotted(release: &[u64]) -> String {
    let parts: Vec<String> = release.iter().map(u64::to_string).collect();
    parts.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    /// What a widening table says when the set already admits the version.
    const ADMITS: &str = "(admits it)";

    fn set(s: &str) -> Specifiers {
        Specifiers::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn contains_follows_pep_440() {
        // (specifiers, version, pre-releases asked for, admitted)
        let rows = [
            // inclusive and exclusive bounds, zero-padded
            (">=3.8", "3.8.0", false, true),
            (">=3.8", "3.7.20", false, false),
            (">=3.8, <4", "3.20", false, true),
            (">3.8", "3.8", false, false),
            (">3.8", "3.8.1", false, true),
            ("<3.9", "3.9.0", false, false),
            ("<=3.9", "3.9.0", false, true),
            ("<=3.9", "3.9.0.post1", false, false),
            // `<V` excludes V's pre-releases unless V is one; lower ones stay admitted
            ("<2.0", "2.0rc1", true, false),
            ("<2.0", "2.0.0.dev1", true, false),
            ("<2.0", "2.0b1", true, false),
            ("<2.0", "1.9rc1", true, true),
            ("<2.0rc2", "2.0rc1", false, true),
            ("<2.0rc1", "2.0rc1", false, false),
            // `>V` excludes V's post-releases unless V is one
            (">1.7", "1.7.post1", false, false),
            (">1.7", "1.7.0.post1", false, false),
            (">1.7.post1", "1.7.post2", false, true),
            (">1.7", "1.7.1", false, true),
            // equality, zero-padded, and prefix matching
            ("==1.0", "1.0.0", false, true),
            ("==1.0.0", "1", false, true),
            ("==1.0", "1.0.post1", false, false),
            ("==1.1.*", "1.1.5", false, true),
            ("==1.1.*", "1.1", false, true),
            ("==1.1.*", "1.1.post1", false, true),
            ("==1.1.*", "1.1a1", true, true),
            ("==1.1.*", "1.10", false, false),
            ("==1.0.0.*", "1", false, true),
            ("!=3.9.0", "3.9", false, false),
            ("!=3.9.*", "3.9.4", false, false),
            ("!=3.9.*", "3.10", false, true),
            (">=2.7, !=3.0.*, !=3.1.*", "3.1.4", false, false),
            (">=2.7, !=3.0.*, !=3.1.*", "3.2.0", false, true),
            // compatible release
            ("~=3.8", "3.12", false, true),
            ("~=3.8", "4.0", false, false),
            ("~=3.8.1", "3.8.5", false, true),
            ("~=3.8.1", "3.9.0", false, false),
            ("~=3.8.1", "3.8.0", false, false),
            ("~=2.2.post3", "2.9", false, true),
            ("~=2.2.post3", "2.2", false, false),
            ("~=1.0rc1", "1.0rc2", false, true),
            // arbitrary equality compares normalized text
            ("===1.0", "1.0", false, true),
            ("===1.0", "1.0.0", false, false),
            ("===1.0RC1", "1.0rc1", false, true),
            // pre-releases: only when asked for or when a clause (but `!=`) names one
            (">=1.0", "2.0rc1", false, false),
            (">=1.0", "2.0rc1", true, true),
            (">=1.0", "2.0.dev1", false, false),
            (">=1.0", "1.0.post1.dev0", false, false),
            (">=1.0rc1", "1.5b1", false, true),
            (">=0.9, <2.0rc1", "1.5b1", false, true),
            (">=0.9, !=1.5b1", "1.5b2", false, false),
            ("==1.*", "1.5b1", false, false),
            ("", "1.5b1", false, false),
            ("", "1.5b1", true, true),
            ("", "0", false, true),
            // spacing, a `v`, empty clauses
            (" >= 3.10 ", "3.10.0", false, true),
            (">=v1.0", "1.0", false, true),
            (">=1.0,,<2,", "1.5", false, true),
        ];
        for (spec, version, pre, want) in rows {
            assert_eq!(
                set(spec).contains(&v(version), pre),
                want,
                "{spec} contains {version} (pre-releases {pre})"
            );
        }
    }

    #[test]
    fn parse_errors_say_why() {
        for (input, needle) in [
            ("3.8", "does not start with an operator"),
            (">=", "`>=` needs a version"),
            (">=3.*", "`.*` only follows `==` or `!=`; write `>=3`"),
            ("==1.0rc1.*", "`.*` follows release numbers only"),
            ("~=3", "at least two release numbers"),
            (">=1!2.0", "epoch"),
            (">=3.8+local", "local version"),
            (">=3.8, <4.x", "`.x` is not part of a PEP 440 version"),
            ("=== 1.0 2", "cannot hold spaces"),
            ("=>1.0", "does not start with an operator"),
            (">==1.0", "does not start with a number"),
        ] {
            let err = Specifiers::parse(input).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(needle), "{input}: {msg}");
            assert!(msg.contains("is not a PEP 440 version specifier"), "{msg}");
        }
        let SpecifierError::Syntax { clause, .. } = Specifiers::parse(">=1, <4.x").unwrap_err()
        else {
            panic!("a syntax error");
        };
        assert_eq!(clause, "<4.x");
    }

    #[test]
    fn clauses_keep_their_place() {
        let text = " >= 0.4 ,<0.5, ==v1.*";
        let s = set(text);
        let spans: Vec<(&str, &str, &str)> = s
            .clauses()
            .iter()
            .map(|c| {
                (
                    c.cmp.operator(),
                    &text[c.span.clone()],
                    &text[c.version_span.clone()],
                )
            })
            .collect();
        assert_eq!(
            spans,
            [
                (">=", ">= 0.4", "0.4"),
                ("<", "<0.5", "0.5"),
                ("==", "==v1.*", "v1.*")
            ]
        );
        assert_eq!((s.as_str(), s.to_string().as_str()), (text, text));
        assert_eq!(s.clauses()[2].cmp, Comparison::EqualPrefix(vec![1]));
        assert_eq!(s.clauses()[0].cmp.version(), Some(&v("0.4")));
    }

    #[test]
    fn widen_table() {
        // (specifiers, next version, rewritten)
        let rows = [
            // upper bounds keep their granularity
            (">=0.4,<0.5", "0.5.0", ">=0.4,<0.6"),
            ("<0.5", "0.5.0", "<0.6"),
            ("<0.5", "0.7.2", "<0.8"),
            ("<0.5", "1.0.0", "<2.0"),
            ("<2", "2.0.0", "<3"),
            ("<2.0", "2.0.0", "<3.0"),
            ("<2.0.0", "2.1.0", "<3.0.0"),
            ("<1.5", "1.5.0", "<1.6"),
            ("<1.5", "2.0.0", "<2.1"),
            ("<0.0.3", "0.0.3", "<0.0.4"),
            ("<=0.4.9", "0.5.0", "<=0.5.0"),
            ("<=0.4", "0.5.0", "<=0.5"),
            // the writer's spacing and other clauses stay
            (">= 0.4, < 0.5", "0.5.0", ">= 0.4, < 0.6"),
            (" >=0.4 ,  <0.5 ", "0.5.0", " >=0.4 ,  <0.6 "),
            (">=0.4,<0.5,!=0.4.3", "0.5.0", ">=0.4,<0.6,!=0.4.3"),
            // pins move
            ("==0.4.2", "0.5.0", "==0.5.0"),
            ("==0.4", "0.5.0", "==0.5"),
            ("== 0.4.2", "0.5.0rc1", "== 0.5.0rc1"),
            ("==0.4.*", "0.5.0", "==0.5.*"),
            ("==0.4.*", "1.0.0", "==1.0.*"),
            ("==1.*", "2.0.0", "==2.*"),
            // compatible releases keep their lower bound, two and three parts
            ("~=0.4.2", "0.5.0", ">=0.4.2,<0.6"),
            ("~= 0.4.2", "0.5.0", ">= 0.4.2, < 0.6"),
            ("~=1.4.2", "1.5.0", ">=1.4.2,<1.6"),
            ("~=1.4", "2.0.0", ">=1.4,<3"),
            ("~=0.4", "1.0.0", ">=0.4,<2"),
            ("~=0.4.2, !=0.4.5", "0.5.0", ">=0.4.2, <0.6, !=0.4.5"),
            // exclusions of exactly the new version go
            ("!=0.5.0", "0.5.0", ""),
            (">=0.4, !=0.5.0", "0.5.0", ">=0.4"),
            ("!=0.5.0, >=0.4", "0.5.0", ">=0.4"),
            (">=0.4,!=0.5.*,<1", "0.5.1", ">=0.4,<1"),
            // pre-release next versions
            ("<0.5", "0.5.0rc1", "<0.6"),
            (">=0.4,<0.5", "0.5.0b2", ">=0.4,<0.6"),
            ("<=0.4.9", "0.5.0rc1", "<=0.5.0rc1"),
            ("~=0.4.2", "0.5.0rc1", ">=0.4.2,<0.6"),
            ("<2.0rc1", "2.0.0rc1", "<3.0"),
            // already admitted: nothing to do
            (">=0.4", "0.5.0", ADMITS),
            ("<0.6", "0.5.0rc1", ADMITS),
            ("!=0.5.0", "0.5.0rc1", ADMITS),
            ("", "0.5.0", ADMITS),
        ];
        // Versions to check that bounds only widen: whatever was admitted still is.
        let grid: Vec<Version> = [
            "0.3.9", "0.4", "0.4.1", "0.4.2", "0.4.9", "0.5", "0.9", "1.0", "1.4.2", "1.5.3",
            "1.9", "2.0", "2.5", "3.0",
        ]
        .into_iter()
        .map(v)
        .collect();
        for (spec, next, want) in rows {
            let next = v(next);
            let got = widen(spec, &next).unwrap_or_else(|e| panic!("{spec}: {e}"));
            assert_eq!(got.as_deref().unwrap_or(ADMITS), want, "{spec} for {next}");
            let Some(got) = got else { continue };
            let (old, new) = (set(spec), set(&got));
            assert!(new.contains(&next, true), "{got} admits {next}");
            // A pin moves instead: `==0.4.2` no longer admits 0.4.2.
            if old.clauses().iter().any(|c| c.cmp.operator() == "==") {
                continue;
            }
            for g in &grid {
                let kept = new.contains(g, true) || !old.contains(g, true);
                assert!(kept, "{spec} -> {got} no longer admits {g}");
            }
        }
    }

    #[test]
    fn widen_refuses_what_a_person_should_decide() {
        for (spec, next, needle) in [
            (">=0.6", "0.5.0", "asks for a newer release"),
            (">0.5.0", "0.5.0.post1", "asks for a newer release"),
            ("~=0.6.1", "0.5.0", "asks for a newer release"),
            ("===0.4.2", "0.5.0", "`===0.4.2` compares exact text"),
            (
                ">=0.4, >=0.6",
                "0.5.0",
                "`>=0.4, >=0.6` to admit 0.5.0: `>=0.6` asks",
            ),
        ] {
            let err = widen(spec, &v(next)).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(needle), "{spec}: {msg}");
            assert!(msg.contains(&format!("to admit {next}")), "{msg}");
        }
        assert!(matches!(
            widen("0.4", &v("0.5")),
            Err(SpecifierError::Syntax { .. })
        ));
    }

    /// Found by the `specifier` fuzz target (issue 13): `>18446744073709551615` parsed, and
    /// the next version above its bound overflowed. Such a number is now too large to read.
    #[test]
    fn a_bound_at_u64_max_is_too_large() {
        let err = Specifiers::parse(">18446744073709551615").unwrap_err();
        assert!(err.to_string().contains("too large"), "{err}");
        crate::fuzz::specifier(">18446744073709551615");
    }

    /// Found by the `specifier` fuzz target (issue 13): raising `<0.5` for a next version whose
    /// major number is `u64::MAX - 1` wrote a bound the parser refuses, and the safety net
    /// blamed a bug in the rules. Now the clause says it cannot be raised that far.
    #[test]
    fn a_bound_too_large_to_read_back_is_refused() {
        let next: Version = "18446744073709551614.50.6".parse().unwrap();
        let err = widen(">=0.4,<0.5", &next).unwrap_err().to_string();
        assert!(err.contains("above the largest release number"), "{err}");
        let err = widen("~=0.4.2", &next).unwrap_err().to_string();
        assert!(err.contains("above the largest release number"), "{err}");
        crate::fuzz::specifier(
            ">=0.4,<0000000000000000000000000000000000018446744073709551614.50.5,<0.5,!=0.2",
        );
    }

    /// Found by the `specifier` fuzz target: a next version of `u64::MAX` (one bump past the
    /// largest number read) went into the rewrite, which then did not parse back.
    #[test]
    fn a_next_version_too_large_to_read_back_is_refused() {
        let next = Version::new(&[u64::MAX, 0, 0]);
        let err = widen(">=1.0,<1.5", &next).unwrap_err().to_string();
        assert!(err.contains("above the largest bumpwise reads"), "{err}");
        crate::fuzz::specifier(">=00000018446744073709551614.50.7,<1.5,!=0.2");
    }
}
