//! Versions and bumps: the required bump of a set of changes, the version a project declares, and
//! the next version (API-RULES.md section 4). Never reads git or Python source.
//!
//! The rules, in one place:
//! - Semver on the release part of a PEP 440 version, with missing parts read as 0 (`21.3` is
//!   `21.3.0`). The next version keeps the project's number of parts where it can (`21.3` major ->
//!   `22.0`, patch -> `21.3.1`). A bump clears every level below it and drops pre, post and dev
//!   parts (uv's rule).
//! - Below 1.0.0 (the cargo convention, the default): a breaking change raises the minor number,
//!   anything else the patch number. With `major-on-zero = true`, 0.x follows plain semver: a
//!   breaking change goes to 1.0.0, an addition raises the minor number.
//! - A pre-release (`2.0.0rc1`, `2.0.0.dev3`) leads up to its final release (`2.0.0`), and the
//!   bump that final represents is measured from the last *final* release before it. That release
//!   is not known here, but it is lower than `2.0.0`, so `2.0.0` is at least a major bump over it;
//!   likewise `2.1.0` is at least a minor one and `2.1.3` at least a patch (see [`implied_bump`]).
//!   The pre-release "covers" a required bump when that implied bump is at least the required one.

pub mod pep440;
pub(crate) mod specifier;
pub mod verdict;

use serde::Serialize;

use pep440::{PreKind, Version};

/// How much a release must raise the version. Ordered: `None < Patch < Minor < Major`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    /// The lower-case name used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// Parses `none`, `patch`, `minor` or `major`.
    pub fn parse(s: &str) -> Option<Bump> {
        match s {
            "none" => Some(Bump::None),
            "patch" => Some(Bump::Patch),
            "minor" => Some(Bump::Minor),
            "major" => Some(Bump::Major),
            _ => None,
        }
    }
}

impl std::fmt::Display for Bump {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How versions below 1.0.0 are bumped (`[tool.bumpwise] major-on-zero`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// A breaking change below 1.0.0 goes to 1.0.0 (and an addition raises the minor number)
    /// instead of raising the minor number.
    pub major_on_zero: bool,
}

impl Policy {
    /// Whether 0.x numbers shift down one level for a project whose major number is `major`.
    fn shifts(self, major: u64) -> bool {
        major == 0 && !self.major_on_zero
    }

    /// The release number (0 major, 1 minor, 2 patch) that `bump` raises, for a project whose
    /// major number is `major`; `None` for [`Bump::None`].
    fn position(self, major: u64, bump: Bump) -> Option<usize> {
        let shift = usize::from(self.shifts(major));
        match bump {
            Bump::None => None,
            Bump::Major => Some(shift),
            Bump::Minor => Some(1 + shift),
            Bump::Patch => Some(2),
        }
    }

    /// The bump that raising release number `position` represents for a project whose major
    /// number is `major`: the inverse of [`Policy::position`]. Positions past the patch number
    /// (`1.2.3.4`) count as the patch number.
    fn level(self, major: u64, position: usize) -> Bump {
        let shift = self.shifts(major);
        match position {
            0 => Bump::Major,
            1 if shift => Bump::Major,
            1 => Bump::Minor,
            _ if shift => Bump::Minor,
            _ => Bump::Patch,
        }
    }
}

/// The least bump that the final release `release` (its pre/post/dev parts ignored) represents
/// over *any* earlier final release: `2.0.0` is major over everything below it, `2.1.0` at least
/// minor (over `2.0.x`), `2.1.3` at least patch; under the 0.x rule `0.3.0` is breaking-level
/// and `0.3.1` addition-level. `0.0.0` has nothing below it and counts as major.
pub fn implied_bump(release: &Version, policy: Policy) -> Bump {
    match release.release.iter().rposition(|&n| n != 0) {
        Some(last) => policy.level(release.part(0), last),
        None => Bump::Major,
    }
}

/// The next version for a release that requires `required`, optionally as a pre-release of kind
/// `pre` (`--pre rc`).
///
/// - [`Bump::None`] returns `current` unchanged.
/// - A final (or post-release) `current` is bumped at the level [`Policy`] gives `required`:
///   `1.4.2` + minor -> `1.5.0`, `0.4.2` + major -> `0.5.0`, `21.3` + patch -> `21.3.1`; with
///   `pre`, the result is its first pre-release (`1.4.0` + major + rc -> `2.0.0rc1`).
/// - A pre-release `current` whose final already covers `required` ([`implied_bump`]) is released
///   as that final (`2.0.0rc2` -> `2.0.0`), or with `pre` as the next pre-release of it
///   (`2.0.0rc1` -> `2.0.0rc2`, `2.0.0b3` + rc -> `2.0.0rc1`, `2.0.0rc1.dev2` + rc -> `2.0.0rc1`).
///   Pre-release kinds never go backwards: asking for alpha at `2.0.0rc1` gives `2.0.0rc2`.
/// - A pre-release whose final does not cover `required` is bumped from its release part, as a
///   final would be (`1.1.0rc1` + major -> `2.0.0`).
pub fn next_version(
    current: &Version,
    required: Bump,
    pre: Option<PreKind>,
    policy: Policy,
) -> Version {
    if required == Bump::None {
        return current.clone();
    }
    if current.is_prerelease() && implied_bump(current, policy) >= required {
        let mut next = current.final_release();
        if let Some(kind) = pre {
            next.pre = Some(match current.pre {
                Some((k, n)) if kind <= k => {
                    // `rc1.dev2` leads up to `rc1` itself; `rc1` (or `rc1.post1`) to `rc2`.
                    let leads_up = current.dev.is_some() && current.post.is_none();
                    (k, if leads_up { n } else { n + 1 })
                }
                _ => (kind, 1),
            });
        }
        return next;
    }
    let Some(position) = policy.position(current.part(0), required) else {
        return current.clone();
    };
    let mut release = current.release.clone();
    if release.len() <= position {
        release.resize(position + 1, 0);
    }
    release[position] += 1;
    for n in &mut release[position + 1..] {
        *n = 0;
    }
    let mut next = Version::new(&release);
    next.pre = pre.map(|kind| (kind, 1));
    next
}

/// The next release's version: the one declared when the team already raised it by hand far
/// enough (above `current`, covering `required`), else [`next_version`]. A pre-release asked for
/// with `pre` is always computed. `release`, `diff` and `check` all say this version.
pub fn next_release(
    current: &Version,
    declared: Option<&Version>,
    required: Bump,
    pre: Option<PreKind>,
    policy: Policy,
) -> Version {
    match declared {
        Some(d) if pre.is_none() && d > current && covers(current, d, required, policy) => {
            d.clone()
        }
        _ => next_version(current, required, pre, policy),
    }
}

/// The bump that going from `from` to `to` represents under `policy` (applied to `from`'s major
/// number): `None` when `to < from` (backwards), [`Bump::None`] when they are equal.
///
/// The level is that of the first release number that differs (`1.4.0` -> `1.5.0` is minor,
/// `0.4.0` -> `0.4.1` is minor under the 0.x rule); a post-release of the same release is patch.
/// A pre-release `to` counts by its release part (`1.4.0` -> `2.0.0rc1` is major). A pre-release
/// `from` is measured from the last final before it, so anything at or above its release counts
/// at least its [`implied_bump`] (`2.0.0rc1` -> `2.0.0rc2` or `2.0.0` is major).
pub fn declared_bump(from: &Version, to: &Version, policy: Policy) -> Option<Bump> {
    if to < from {
        return None;
    }
    if to == from {
        return Some(Bump::None);
    }
    let len = from.release.len().max(to.release.len());
    let bump = match (0..len).find(|&i| from.part(i) != to.part(i)) {
        Some(position) => policy.level(from.part(0), position),
        None => Bump::Patch,
    };
    if from.is_prerelease() {
        Some(bump.max(implied_bump(from, policy)))
    } else {
        Some(bump)
    }
}

/// The CI gate's rule: `declared` is at least the `required` bump over `from` (the last release).
/// Never true when `declared` went backwards; true for an unchanged version only when nothing is
/// required.
pub fn covers(from: &Version, declared: &Version, required: Bump, policy: Policy) -> bool {
    declared_bump(from, declared, policy).is_some_and(|bump| bump >= required)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARGO: Policy = Policy {
        major_on_zero: false,
    };
    const ZERO_MAJOR: Policy = Policy {
        major_on_zero: true,
    };

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    fn pre(s: &str) -> Option<PreKind> {
        match s {
            "" => None,
            _ => Some(PreKind::parse(s).unwrap()),
        }
    }

    fn bump(s: &str) -> Bump {
        Bump::parse(s).unwrap()
    }

    #[test]
    fn next_version_table() {
        // (current, required, pre, major_on_zero, expected)
        let rows = [
            // 1.x and above
            ("1.4.2", "major", "", false, "2.0.0"),
            ("1.4.2", "minor", "", false, "1.5.0"),
            ("1.4.2", "patch", "", false, "1.4.3"),
            ("1.4.2", "none", "", false, "1.4.2"),
            ("1.4.2", "none", "rc", false, "1.4.2"),
            ("9.9.9", "major", "", false, "10.0.0"),
            // fewer parts: missing parts are 0, the count is kept where it can be
            ("21.3", "major", "", false, "22.0"),
            ("21.3", "minor", "", false, "21.4"),
            ("21.3", "patch", "", false, "21.3.1"),
            ("5", "major", "", false, "6"),
            ("5", "minor", "", false, "5.1"),
            ("5", "patch", "", false, "5.0.1"),
            ("2024.10.1.4", "patch", "", false, "2024.10.2.0"),
            ("2024.10.1.4", "minor", "", false, "2024.11.0.0"),
            // 0.x, cargo convention
            ("0.4.2", "major", "", false, "0.5.0"),
            ("0.4.2", "minor", "", false, "0.4.3"),
            ("0.4.2", "patch", "", false, "0.4.3"),
            ("0.0.3", "major", "", false, "0.1.0"),
            ("0.0.3", "minor", "", false, "0.0.4"),
            ("0.9", "major", "", false, "0.10"),
            ("0.9", "minor", "", false, "0.9.1"),
            // 0.x, major-on-zero
            ("0.4.2", "major", "", true, "1.0.0"),
            ("0.4.2", "minor", "", true, "0.5.0"),
            ("0.4.2", "patch", "", true, "0.4.3"),
            ("0.9", "major", "", true, "1.0"),
            ("1.4.2", "minor", "", true, "1.5.0"),
            // post and dev parts are dropped by a bump
            ("1.4.2.post1", "patch", "", false, "1.4.3"),
            ("1.4.2.post1", "minor", "", false, "1.5.0"),
            ("1.4.2.post1.dev0", "patch", "", false, "1.4.3"),
            // pre-releases requested
            ("1.4.0", "major", "rc", false, "2.0.0rc1"),
            ("1.4.0", "minor", "a", false, "1.5.0a1"),
            ("1.4.0", "patch", "b", false, "1.4.1b1"),
            ("0.4.0", "major", "rc", false, "0.5.0rc1"),
            ("2.0.0rc1", "major", "rc", false, "2.0.0rc2"),
            ("2.0.0rc1", "patch", "rc", false, "2.0.0rc2"),
            ("2.0.0rc2", "major", "", false, "2.0.0"),
            ("2.0.0rc2", "patch", "", false, "2.0.0"),
            ("2.0.0b3", "major", "rc", false, "2.0.0rc1"),
            ("2.0.0b3", "major", "b", false, "2.0.0b4"),
            ("2.0.0a1", "minor", "b", false, "2.0.0b1"),
            ("2.0.0rc1", "major", "a", false, "2.0.0rc2"),
            ("2.0.0rc1.dev2", "major", "rc", false, "2.0.0rc1"),
            ("2.0.0rc1.dev2", "major", "", false, "2.0.0"),
            ("2.0.0rc1.post1", "major", "rc", false, "2.0.0rc2"),
            ("2.0.0.dev3", "major", "", false, "2.0.0"),
            ("2.0.0.dev3", "major", "rc", false, "2.0.0rc1"),
            ("2.0rc1", "major", "", false, "2.0"),
            // a pre-release whose final does not cover the required bump
            ("1.1.0rc1", "minor", "", false, "1.1.0"),
            ("1.1.0rc1", "major", "", false, "2.0.0"),
            ("1.1.0rc1", "major", "rc", false, "2.0.0rc1"),
            ("1.1.1rc1", "patch", "", false, "1.1.1"),
            ("1.1.1rc1", "minor", "", false, "1.2.0"),
            ("1.1.1b2", "minor", "b", false, "1.2.0b1"),
            ("1.0.0rc1", "major", "", false, "1.0.0"),
            // 0.x pre-releases
            ("0.5.0rc1", "major", "", false, "0.5.0"),
            ("0.5.0rc1", "major", "", true, "1.0.0"),
            ("0.5.0rc1", "minor", "", true, "0.5.0"),
            ("0.5.1rc1", "minor", "", false, "0.5.1"),
            ("0.5.1rc1", "major", "", false, "0.6.0"),
            ("0.0.0a1", "major", "", false, "0.0.0"),
            ("1.0.0.dev0", "patch", "", false, "1.0.0"),
        ];
        for (current, required, kind, moz, want) in rows {
            let policy = Policy { major_on_zero: moz };
            let got = next_version(&v(current), bump(required), pre(kind), policy);
            assert_eq!(
                got.to_string(),
                want,
                "{current} + {required} (pre {kind:?}, major-on-zero {moz})"
            );
        }
    }

    #[test]
    fn declared_bump_table() {
        // (from, to, major_on_zero, expected: "back" for backwards)
        let rows = [
            ("1.4.0", "1.4.0", false, "none"),
            ("1.4.0", "1.4.0.0", false, "none"),
            ("1.4.0", "2.0.0", false, "major"),
            ("1.4.0", "3.1.4", false, "major"),
            ("1.4.0", "1.5.0", false, "minor"),
            ("1.4.0", "1.4.1", false, "patch"),
            ("1.4.0", "1.4.0.post1", false, "patch"),
            ("1.4.0", "1.3.9", false, "back"),
            ("1.4.0", "1.4.0rc1", false, "back"),
            ("1.4.0", "1.4.0.dev0", false, "back"),
            ("1.4.0", "0.9.0", false, "back"),
            ("21.3", "22.0", false, "major"),
            ("21.3", "21.4", false, "minor"),
            ("21.3", "21.3.1", false, "patch"),
            ("21.3", "21.3.0", false, "none"),
            ("1.2.3.4", "1.2.3.5", false, "patch"),
            // 0.x
            ("0.4.2", "0.5.0", false, "major"),
            ("0.4.2", "0.4.3", false, "minor"),
            ("0.4.2", "1.0.0", false, "major"),
            ("0.4.2", "0.5.0", true, "minor"),
            ("0.4.2", "0.4.3", true, "patch"),
            ("0.4.2", "1.0.0", true, "major"),
            ("0.0.1", "0.0.2", false, "minor"),
            ("0.0.1", "0.1.0", false, "major"),
            // pre-releases declared count by their release part
            ("1.4.0", "2.0.0rc1", false, "major"),
            ("1.4.0", "2.0.0.dev0", false, "major"),
            ("1.4.0", "1.5.0b1", false, "minor"),
            // pre-releases released: measured from the last final before them
            ("2.0.0rc1", "2.0.0rc2", false, "major"),
            ("2.0.0rc1", "2.0.0", false, "major"),
            ("2.0.0rc1", "2.0.1", false, "major"),
            ("2.0.0rc1", "2.0.0b1", false, "back"),
            ("2.0.0rc2", "2.0.0rc1", false, "back"),
            ("1.1.0rc1", "1.1.0", false, "minor"),
            ("1.1.0rc1", "2.0.0", false, "major"),
            ("1.1.1rc1", "1.1.1", false, "patch"),
            ("0.5.0rc1", "0.5.0", false, "major"),
            ("0.5.0rc1", "0.5.0", true, "minor"),
            ("1.0.0.dev1", "1.0.0", false, "major"),
            // post-releases
            ("1.0.0.post1", "1.0.0.post2", false, "patch"),
            ("1.0.0.post1", "1.0.1", false, "patch"),
            ("1.0.0.post1", "1.0.0", false, "back"),
        ];
        for (from, to, moz, want) in rows {
            let policy = Policy { major_on_zero: moz };
            let got = declared_bump(&v(from), &v(to), policy);
            let got = got.map_or("back", Bump::as_str);
            assert_eq!(got, want, "{from} -> {to} (major-on-zero {moz})");
        }
    }

    #[test]
    fn covers_table() {
        // (from, declared, required, major_on_zero, passes)
        let rows = [
            ("1.4.0", "1.5.0", "major", false, false),
            ("1.4.0", "2.0.0", "major", false, true),
            ("1.4.0", "2.0.0rc1", "major", false, true),
            ("1.4.0", "2.0.0", "patch", false, true),
            ("1.4.0", "1.4.1", "minor", false, false),
            ("1.4.0", "1.4.0", "patch", false, false),
            ("1.4.0", "1.4.0", "none", false, true),
            ("1.4.0", "1.3.0", "none", false, false),
            ("1.4.0", "1.4.0rc1", "none", false, false),
            ("0.4.0", "0.5.0", "major", false, true),
            ("0.4.0", "0.4.1", "major", false, false),
            ("0.4.0", "0.4.1", "minor", false, true),
            ("0.4.0", "0.5.0", "major", true, false),
            ("0.4.0", "1.0.0", "major", true, true),
            ("0.4.0", "0.4.1", "minor", true, false),
            ("2.0.0rc1", "2.0.0", "major", false, true),
            ("2.0.0rc1", "2.0.0rc1", "patch", false, false),
            ("1.1.0rc1", "1.1.0", "major", false, false),
            ("21.3", "22.0", "major", false, true),
            ("21.3", "21.3.1", "minor", false, false),
        ];
        for (from, declared, required, moz, want) in rows {
            let policy = Policy { major_on_zero: moz };
            let got = covers(&v(from), &v(declared), bump(required), policy);
            assert_eq!(
                got, want,
                "{from} -> {declared} for {required} (major-on-zero {moz})"
            );
        }
    }

    /// Whatever next_version proposes passes the gate, and a lower bump than required does not.
    #[test]
    fn next_version_always_covers() {
        let versions = [
            "0.0.0",
            "0.0.3",
            "0.4.2",
            "0.9",
            "1",
            "1.0",
            "1.4.2",
            "21.3",
            "1.4.2.post1",
            "2.0.0rc1",
            "2.0.0b3",
            "2.0.0.dev3",
            "1.1.0rc1",
            "1.1.1rc1",
            "0.5.0rc1",
            "0.5.1a1",
            "2.0.0rc1.dev2",
            "1.2.3.4",
        ];
        let kinds = [
            None,
            Some(PreKind::Alpha),
            Some(PreKind::Beta),
            Some(PreKind::Rc),
        ];
        for moz in [false, true] {
            let policy = Policy { major_on_zero: moz };
            for current in versions {
                let current = v(current);
                for required in [Bump::Patch, Bump::Minor, Bump::Major] {
                    for kind in kinds {
                        let next = next_version(&current, required, kind, policy);
                        assert!(
                            next > current,
                            "{current} + {required} ({kind:?}, {moz}) -> {next} is not higher"
                        );
                        assert!(
                            covers(&current, &next, required, policy),
                            "{current} + {required} ({kind:?}, {moz}) -> {next} does not cover"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn implied_bumps() {
        assert_eq!(implied_bump(&v("2.0.0"), CARGO), Bump::Major);
        assert_eq!(implied_bump(&v("2.1.0"), CARGO), Bump::Minor);
        assert_eq!(implied_bump(&v("2.1.3"), CARGO), Bump::Patch);
        assert_eq!(implied_bump(&v("0.3.0"), CARGO), Bump::Major);
        assert_eq!(implied_bump(&v("0.3.0"), ZERO_MAJOR), Bump::Minor);
        assert_eq!(implied_bump(&v("0.3.1"), CARGO), Bump::Minor);
        assert_eq!(implied_bump(&v("0.0.0"), CARGO), Bump::Major);
    }

    /// Found by `fuzz/` (issue 13): `18446744073709551615` parsed, and any bump of it
    /// overflowed (a panic in debug builds, a wrap to `0` in release builds). The parser now
    /// stops one below `u64::MAX`, so the largest number it reads still bumps.
    #[test]
    fn largest_numbers_bump_without_overflow() {
        let max = u64::MAX.to_string();
        assert!(max.parse::<Version>().is_err());
        assert!(format!("1.0rc{max}").parse::<Version>().is_err());
        let below = (u64::MAX - 1).to_string();
        for (current, required, kind) in [
            (below.clone(), Bump::Major, None),
            (format!("1.{below}"), Bump::Minor, None),
            (format!("1.0.{below}"), Bump::Patch, Some(PreKind::Rc)),
            (format!("1.0rc{below}"), Bump::Major, Some(PreKind::Rc)),
        ] {
            let current = v(&current);
            let next = next_version(&current, required, kind, CARGO);
            assert!(next > current, "{current} + {required} -> {next}");
        }
    }
}
