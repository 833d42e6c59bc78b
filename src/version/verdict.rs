//! The gate's decision (API-RULES.md section 4): does the version declared at `--to` cover the
//! bump the API changes require? One line says what is needed and what to set.

use serde::Serialize;

use super::pep440::Version;
use super::{Bump, Policy, covers, declared_bump, next_version};

/// What `check` decided.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub passed: bool,
    /// The version declared at `to`.
    pub declared_version: Option<String>,
    /// The bump from `current_version` to `declared_version`.
    pub declared_bump: Option<Bump>,
    /// One line: what is needed, and what to set; under `require-deprecation`, one more line
    /// per removal that was not deprecated at the base.
    pub message: String,
    /// Under `require-deprecation`: the removed public paths that were not deprecated at the base.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undeprecated_removals: Vec<String>,
}

/// What the gate weighs.
#[derive(Clone, Debug)]
pub struct Gate<'a> {
    /// The base revision as named (`v1.4.0`).
    pub base_name: &'a str,
    /// The version the base released, when known.
    pub base_version: Option<&'a Version>,
    /// The static version pyproject.toml declares at the base, when it declares one.
    pub at_base: Option<&'a Version>,
    /// The version declared at the compared revision.
    pub declared: &'a Version,
    pub required: Bump,
    /// How many changes are breaking, for the message.
    pub breaking: usize,
    pub policy: Policy,
    /// Under `require-deprecation`: each removal not deprecated at the base, as (path, fix).
    pub undeprecated: &'a [(String, String)],
}

/// Decides the gate.
pub fn verdict(g: &Gate<'_>) -> Verdict {
    let mut v = version_verdict(g);
    if !g.undeprecated.is_empty() {
        v.passed = false;
        // The first line is the headline: say first why the gate failed.
        v.message = format!(
            "{} without the deprecation `require-deprecation` asks for (version: {})",
            crate::report::plural(g.undeprecated.len(), "removal"),
            v.message
        );
        for (path, fix) in g.undeprecated {
            v.message.push('\n');
            v.message.push_str(fix);
            v.undeprecated_removals.push(path.clone());
        }
    }
    v
}

/// The version half of the gate.
fn version_verdict(g: &Gate<'_>) -> Verdict {
    let declared = g.declared;
    let refuse = |message: String| Verdict {
        passed: false,
        declared_version: Some(declared.to_string()),
        declared_bump: None,
        message,
        undeprecated_removals: Vec::new(),
    };
    let required_text = match g.required {
        Bump::Major => format!(
            "major ({} breaking change{})",
            g.breaking,
            if g.breaking == 1 { "" } else { "s" }
        ),
        other => other.as_str().to_owned(),
    };
    let Some(base) = g.base_version else {
        return refuse(format!(
            "`{}` declares no version to compare with; tag the release or pass a release tag to `--from`",
            g.base_name
        ));
    };
    // The tag says which version was released; the file at the tag must agree, or the base is
    // ambiguous.
    if let Some(at_base) = g.at_base
        && at_base != base
    {
        return refuse(format!(
            "the tag `{}` says {base}, but pyproject.toml at that tag declares {at_base}; fix the tag or pass `--from`",
            g.base_name
        ));
    }
    let next = next_version(base, g.required, None, g.policy);
    let declared_bump = declared_bump(base, declared, g.policy);
    let passed = covers(base, declared, g.required, g.policy);
    let message = match declared_bump {
        None => format!(
            "the version went backwards: declared {declared} is lower than the last release {base}; set version to {next}"
        ),
        Some(b) if passed => format!(
            "required: {required_text}; declared {base} -> {declared} is {}; ok",
            b.as_str()
        ),
        Some(b) => format!(
            "required: {required_text}; declared {base} -> {declared} is {}; set version to {next}",
            b.as_str()
        ),
    };
    Verdict {
        passed,
        declared_version: Some(declared.to_string()),
        declared_bump,
        message,
        undeprecated_removals: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    /// One gate and what it decides.
    struct Row {
        base: Option<&'static str>,
        at_base: Option<&'static str>,
        declared: &'static str,
        required: Bump,
        breaking: usize,
        major_on_zero: bool,
        passed: bool,
        bump: Option<Bump>,
        message: &'static str,
    }

    #[test]
    fn messages() {
        let rows = [
            Row {
                base: Some("1.4.0"),
                at_base: None,
                declared: "2.0.0",
                required: Bump::Major,
                breaking: 1,
                major_on_zero: false,
                passed: true,
                bump: Some(Bump::Major),
                message: "required: major (1 breaking change); declared 1.4.0 -> 2.0.0 is major; ok",
            },
            Row {
                base: Some("1.4.0"),
                at_base: Some("1.4.0"),
                declared: "1.5.0",
                required: Bump::Major,
                breaking: 2,
                major_on_zero: false,
                passed: false,
                bump: Some(Bump::Minor),
                message: "required: major (2 breaking changes); declared 1.4.0 -> 1.5.0 is minor; set version to 2.0.0",
            },
            Row {
                base: Some("1.4.0"),
                at_base: None,
                declared: "1.4.0",
                required: Bump::Patch,
                breaking: 0,
                major_on_zero: false,
                passed: false,
                bump: Some(Bump::None),
                message: "required: patch; declared 1.4.0 -> 1.4.0 is none; set version to 1.4.1",
            },
            Row {
                base: Some("1.4.0"),
                at_base: None,
                declared: "1.4.0",
                required: Bump::None,
                breaking: 0,
                major_on_zero: false,
                passed: true,
                bump: Some(Bump::None),
                message: "required: none; declared 1.4.0 -> 1.4.0 is none; ok",
            },
            Row {
                base: Some("0.3.0"),
                at_base: None,
                declared: "0.4.0",
                required: Bump::Major,
                breaking: 1,
                major_on_zero: false,
                passed: true,
                bump: Some(Bump::Major),
                message: "required: major (1 breaking change); declared 0.3.0 -> 0.4.0 is major; ok",
            },
            Row {
                base: Some("0.3.0"),
                at_base: None,
                declared: "0.4.0",
                required: Bump::Major,
                breaking: 1,
                major_on_zero: true,
                passed: false,
                bump: Some(Bump::Minor),
                message: "required: major (1 breaking change); declared 0.3.0 -> 0.4.0 is minor; set version to 1.0.0",
            },
            Row {
                base: Some("1.4.0"),
                at_base: None,
                declared: "1.3.0",
                required: Bump::Minor,
                breaking: 0,
                major_on_zero: false,
                passed: false,
                bump: None,
                message: "the version went backwards: declared 1.3.0 is lower than the last release 1.4.0; set version to 1.5.0",
            },
            Row {
                base: Some("1.4.0"),
                at_base: Some("1.3.9"),
                declared: "1.5.0",
                required: Bump::Minor,
                breaking: 0,
                major_on_zero: false,
                passed: false,
                bump: None,
                message: "the tag `v1.4.0` says 1.4.0, but pyproject.toml at that tag declares 1.3.9; fix the tag or pass `--from`",
            },
            Row {
                base: None,
                at_base: None,
                declared: "1.5.0",
                required: Bump::Minor,
                breaking: 0,
                major_on_zero: false,
                passed: false,
                bump: None,
                message: "`v1.4.0` declares no version to compare with; tag the release or pass a release tag to `--from`",
            },
        ];
        for row in rows {
            let (base, at_base, declared) = (row.base.map(v), row.at_base.map(v), v(row.declared));
            let got = verdict(&Gate {
                base_name: "v1.4.0",
                base_version: base.as_ref(),
                at_base: at_base.as_ref(),
                declared: &declared,
                required: row.required,
                breaking: row.breaking,
                undeprecated: &[],
                policy: Policy {
                    major_on_zero: row.major_on_zero,
                },
            });
            assert_eq!(
                (got.passed, got.declared_bump, got.message.as_str()),
                (row.passed, row.bump, row.message),
                "{base:?} -> {declared}"
            );
            assert_eq!(got.declared_version, Some(declared.to_string()));
        }
    }
}
