//! PEP 440 project versions: the release, pre-release, post-release and dev-release parts.
//!
//! Written by hand because the `semver` crate rejects `1.0`, `2.0rc1` and `1.0.post1`, and the
//! part of PEP 440 a release tool needs is small. Epochs (`1!2.0`) and local versions (`1.0+abc`)
//! are parsed only to be rejected with a clear reason: bumpwise does not release those.
//! Parsing normalizes as PEP 440's "Normalization" section says, so `V1.0-RC.1` reads as `1.0rc1`.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A PEP 440 version without epoch or local part.
///
/// Equality and ordering follow PEP 440, not the fields: `1.0 == 1.0.0`, and
/// `1.0.dev0 < 1.0a1 < 1.0 < 1.0.post1`.
#[derive(Clone, Debug)]
pub struct Version {
    /// The release numbers (`[1, 2, 3]` for `1.2.3`); never empty.
    pub release: Vec<u64>,
    pub pre: Option<(PreKind, u64)>,
    pub post: Option<u64>,
    pub dev: Option<u64>,
}

/// The kind of a pre-release, in PEP 440 order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PreKind {
    Alpha,
    Beta,
    Rc,
}

/// Why a string is not a version bumpwise can release.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a version bumpwise can release: {reason}")]
pub struct ParseError {
    pub input: String,
    pub reason: String,
}

impl PreKind {
    /// The normalized spelling: `a`, `b` or `rc`.
    pub fn as_str(self) -> &'static str {
        match self {
            PreKind::Alpha => "a",
            PreKind::Beta => "b",
            PreKind::Rc => "rc",
        }
    }

    /// Reads every spelling PEP 440 allows: `a`/`alpha`, `b`/`beta`, `rc`/`c`/`pre`/`preview`.
    pub fn parse(s: &str) -> Option<PreKind> {
        match s.to_ascii_lowercase().as_str() {
            "a" | "alpha" => Some(PreKind::Alpha),
            "b" | "beta" => Some(PreKind::Beta),
            "rc" | "c" | "pre" | "preview" => Some(PreKind::Rc),
            _ => None,
        }
    }
}

impl fmt::Display for PreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Version {
    /// A final release from its numbers (`Version::new(&[1, 2, 0])` is `1.2.0`).
    pub fn new(release: &[u64]) -> Version {
        Version {
            release: if release.is_empty() {
                vec![0]
            } else {
                release.to_vec()
            },
            pre: None,
            post: None,
            dev: None,
        }
    }

    /// A pre-release or dev-release of its release part (`2.0.0rc1`, `2.0.0.dev3`): the version
    /// it leads up to is [`Version::release`] as a final. A dev-release of a post-release
    /// (`1.0.post1.dev0`) leads up to that post-release and is not counted here.
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || (self.dev.is_some() && self.post.is_none())
    }

    /// The release part alone, as a final version (`2.0.0rc1` -> `2.0.0`).
    pub fn final_release(&self) -> Version {
        Version::new(&self.release)
    }

    /// Release number `i`, reading missing parts as 0 (`21.3` has patch 0).
    pub fn part(&self, i: usize) -> u64 {
        self.release.get(i).copied().unwrap_or(0)
    }

    /// The key PEP 440 sorts by after the release: (pre, post, dev), with the "missing" values
    /// placed as the specification says (a bare `.devN` sorts before any pre-release; no pre
    /// sorts after every pre; no post before any post; no dev after every dev).
    fn suffix_key(&self) -> (u8, u64, Option<u64>, (bool, u64)) {
        let (pre_rank, pre_n) = match (self.pre, self.post, self.dev) {
            (Some((kind, n)), _, _) => (1 + kind as u8, n),
            (None, None, Some(_)) => (0, 0),
            (None, _, _) => (4, 0),
        };
        let dev = (self.dev.is_none(), self.dev.unwrap_or(0));
        (pre_rank, pre_n, self.post, dev)
    }

    fn cmp_release(&self, other: &Version) -> Ordering {
        let len = self.release.len().max(other.release.len());
        (0..len)
            .map(|i| self.part(i).cmp(&other.part(i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        self.cmp_release(other)
            .then_with(|| self.suffix_key().cmp(&other.suffix_key()))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl fmt::Display for Version {
    /// The normalized form: `1.0rc1.post2.dev3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, n) in self.release.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        if let Some((kind, n)) = self.pre {
            write!(f, "{kind}{n}")?;
        }
        if let Some(n) = self.post {
            write!(f, ".post{n}")?;
        }
        if let Some(n) = self.dev {
            write!(f, ".dev{n}")?;
        }
        Ok(())
    }
}

impl serde::Serialize for Version {
    /// As its normalized string, the form reports and JSON show.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FromStr for Version {
    type Err = ParseError;

    fn from_str(input: &str) -> Result<Version, ParseError> {
        let fail = |reason: &str| ParseError {
            input: input.to_owned(),
            reason: reason.to_owned(),
        };
        let text = input.trim().to_ascii_lowercase();
        if text.is_empty() {
            return Err(fail("it is empty"));
        }
        if text.contains('!') {
            return Err(fail(
                "it has an epoch (`N!`), and bumpwise does not release epoch versions",
            ));
        }
        if text.contains('+') {
            return Err(fail(
                "it has a local version label (`+...`), which is not for published releases",
            ));
        }
        let mut s = Scanner {
            rest: text.strip_prefix('v').unwrap_or(&text),
        };

        if !s.rest.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(fail("it does not start with a number"));
        }
        let mut release = vec![
            s.number()
                .ok_or_else(|| fail("a release number is too large"))?,
        ];
        while s.rest.starts_with('.') && s.rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
            s.rest = &s.rest[1..];
            release.push(
                s.number()
                    .ok_or_else(|| fail("a release number is too large"))?,
            );
        }

        let pre = s
            .labelled(&["alpha", "beta", "preview", "pre", "rc", "a", "b", "c"])
            .map(|(label, n)| {
                let kind = PreKind::parse(label).ok_or_else(|| fail("unknown pre-release"))?;
                Ok::<_, ParseError>((kind, n.ok_or_else(|| fail("a number is too large"))?))
            })
            .transpose()?;

        let post = match s.labelled(&["post", "rev", "r"]) {
            Some((_, n)) => Some(n.ok_or_else(|| fail("a number is too large"))?),
            // `1.0-1` is the implicit post-release spelling of `1.0.post1`.
            None if s.rest.starts_with('-')
                && s.rest[1..].starts_with(|c: char| c.is_ascii_digit()) =>
            {
                s.rest = &s.rest[1..];
                Some(s.number().ok_or_else(|| fail("a number is too large"))?)
            }
            None => None,
        };

        let dev = s
            .labelled(&["dev"])
            .map(|(_, n)| n.ok_or_else(|| fail("a number is too large")))
            .transpose()?;

        if !s.rest.is_empty() {
            return Err(fail(&format!(
                "`{}` is not part of a PEP 440 version (expected `N.N.N` with optional \
                 `aN`/`bN`/`rcN`, `.postN`, `.devN`)",
                s.rest
            )));
        }
        Ok(Version {
            release,
            pre,
            post,
            dev,
        })
    }
}

/// A cursor over the lower-cased input.
struct Scanner<'a> {
    rest: &'a str,
}

impl<'a> Scanner<'a> {
    /// Reads digits; `None` when there are none or they overflow. `u64::MAX` counts as an
    /// overflow, so that every number read can be raised by one (`next_version`).
    fn number(&mut self) -> Option<u64> {
        let end = self
            .rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.rest.len());
        let n = self.rest[..end].parse().ok().filter(|&n| n < u64::MAX)?;
        self.rest = &self.rest[end..];
        Some(n)
    }

    /// Reads `[-_.]? LABEL [-_.]? N?` for the first label that matches (longest spellings are
    /// listed first). The number is implicitly 0 when absent (PEP 440: `1.0a` is `1.0a0`);
    /// the inner `None` means it overflowed.
    fn labelled(&mut self, labels: &[&'a str]) -> Option<(&'a str, Option<u64>)> {
        let after_sep = self.rest.strip_prefix(['-', '_', '.']).unwrap_or(self.rest);
        let label = labels.iter().find(|l| after_sep.starts_with(**l))?;
        let mut rest = &after_sep[label.len()..];
        let with_sep = rest.strip_prefix(['-', '_', '.']).unwrap_or(rest);
        if with_sep.starts_with(|c: char| c.is_ascii_digit()) {
            rest = with_sep;
        }
        self.rest = rest;
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            Some((label, self.number()))
        } else {
            Some((label, Some(0)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_normalizes() {
        let cases = [
            ("1.0", "1.0"),
            ("v1.0", "1.0"),
            ("V2.1.3", "2.1.3"),
            ("  1.2.3\n", "1.2.3"),
            ("1.0RC1", "1.0rc1"),
            ("1.0-rc.1", "1.0rc1"),
            ("1.0.rc1", "1.0rc1"),
            ("1.0c1", "1.0rc1"),
            ("1.0pre2", "1.0rc2"),
            ("1.0preview2", "1.0rc2"),
            ("1.0-preview_2", "1.0rc2"),
            ("1.0alpha", "1.0a0"),
            ("1.0a", "1.0a0"),
            ("1.0.beta.3", "1.0b3"),
            ("1.0.post1", "1.0.post1"),
            ("1.0post", "1.0.post0"),
            ("1.0-r4", "1.0.post4"),
            ("1.0.rev4", "1.0.post4"),
            ("1.0-1", "1.0.post1"),
            ("1.0.dev0", "1.0.dev0"),
            ("1.0dev", "1.0.dev0"),
            ("1.0-dev-2", "1.0.dev2"),
            ("1.0rc1.post1", "1.0rc1.post1"),
            ("1.0a2.post3.dev4", "1.0a2.post3.dev4"),
            ("2024.10.1", "2024.10.1"),
            ("1.02.003", "1.2.3"),
            ("7", "7"),
        ];
        for (input, want) in cases {
            assert_eq!(v(input).to_string(), want, "{input}");
        }
    }

    #[test]
    fn rejects_what_bumpwise_does_not_release() {
        for (input, needle) in [
            ("1!2.0", "epoch"),
            ("1.0+abc", "local version"),
            ("1.0+ubuntu.1", "local version"),
            ("", "empty"),
            ("abc", "does not start with a number"),
            ("1.0.x", "`.x`"),
            ("1.0rc1rc2", "`c2`"),
            ("1.0-foo", "`-foo`"),
            ("1..0", "`..0`"),
            ("99999999999999999999999", "too large"),
            // Found by the `version` fuzz target's seeds: bumping it overflowed.
            ("18446744073709551615", "too large"),
            ("1.0rc18446744073709551615", "too large"),
        ] {
            let err = input.parse::<Version>().unwrap_err();
            assert_eq!(err.input, input);
            let msg = err.to_string();
            assert!(msg.contains(needle), "{input}: {msg}");
            assert!(msg.contains("not a version bumpwise can release"), "{msg}");
        }
    }

    #[test]
    fn orders_as_pep_440_says() {
        // Each entry is strictly greater than the one before (PEP 440's summary of ordering).
        let ordered = [
            "1.0.dev456",
            "1.0a1.dev1",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.1",
            "1.1.dev1",
            "1.1",
            "2.0rc1",
            "10.0",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
            assert!(v(pair[1]) > v(pair[0]));
        }
    }

    #[test]
    fn trailing_zeros_are_equal() {
        assert_eq!(v("1.0"), v("1.0.0"));
        assert_eq!(v("1"), v("1.0.0.0"));
        assert_eq!(v("1.0rc1"), v("1.0.0rc1"));
        assert_ne!(v("1.0"), v("1.0.1"));
        assert_ne!(v("1.0"), v("1.0.post0"));
        // Display keeps the parts as written.
        assert_eq!(v("1.0").to_string(), "1.0");
    }

    #[test]
    fn prerelease_and_final() {
        assert!(v("2.0.0rc1").is_prerelease());
        assert!(v("2.0.0.dev3").is_prerelease());
        assert!(!v("2.0.0").is_prerelease());
        assert!(!v("2.0.0.post1").is_prerelease());
        assert!(!v("2.0.0.post1.dev0").is_prerelease());
        assert_eq!(v("2.0.0rc1.dev2").final_release().to_string(), "2.0.0");
        assert_eq!(v("21.3").part(2), 0);
        assert_eq!(serde_json::to_string(&v("1.0RC1")).unwrap(), "\"1.0rc1\"");
    }

    #[test]
    fn pre_kind_spellings() {
        assert_eq!(PreKind::parse("preview"), Some(PreKind::Rc));
        assert_eq!(PreKind::parse("C"), Some(PreKind::Rc));
        assert_eq!(PreKind::parse("alpha"), Some(PreKind::Alpha));
        assert_eq!(PreKind::parse("beta"), Some(PreKind::Beta));
        assert_eq!(PreKind::parse("gamma"), None);
        assert!(PreKind::Alpha < PreKind::Beta && PreKind::Beta < PreKind::Rc);
        assert_eq!(PreKind::Rc.to_string(), "rc");
    }
}
