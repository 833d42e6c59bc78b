//! Entry points for the cargo-fuzz targets in `fuzz/` (issue 13). Not an API: hidden from the
//! docs, and free to change with the targets.
//!
//! Each function feeds raw input to one reader the way the CLI does, then checks what the rest
//! of bumpwise relies on; a broken invariant panics, which is what the fuzzer reports. The
//! internals stay `pub(crate)`: this module is the one door the fuzz crate goes through.

use crate::api::{self, PackageRoot, SourceFile};
use crate::diff::{self, Rules};
use crate::project::requirement::{self, Pep508};
use crate::version::pep440::{PreKind, Version};
use crate::version::specifier::{SpecifierError, Specifiers};
use crate::version::{self, Bump, Policy};

/// Splits a surface input into a second module, `pkg/_impl.py`, so that re-exports and
/// inheritance across modules get fuzzed too.
const SECOND_MODULE: &[u8] = b"\n#@@ _impl\n";

/// Reads `bytes` as the package `pkg` (`pkg/__init__.py`, and `pkg/_impl.py` after a
/// [`SECOND_MODULE`] line), renders the surface in both `api` formats and diffs it with itself.
/// Undecodable input must come back as an error, never a panic.
pub fn surface(bytes: &[u8]) {
    let (init, implementation) = match memchr::memmem::find(bytes, SECOND_MODULE) {
        Some(at) => (&bytes[..at], Some(&bytes[at + SECOND_MODULE.len()..])),
        None => (bytes, None),
    };
    let mut files = vec![source("pkg/__init__.py", init)];
    if let Some(rest) = implementation {
        files.push(source("pkg/_impl.py", rest));
    }
    let root = PackageRoot {
        import_name: "pkg".to_owned(),
        path: "pkg".to_owned(),
        single_module: false,
    };
    let built = crate::api::exports::build(
        &[root],
        &files,
        &globset::GlobSet::empty(),
        &api::Parses::default(),
    );
    let (surface, warnings) = match built {
        Ok(built) => built,
        Err(e) => {
            // Errors are shown to users: their text must not panic either.
            let _ = e.to_string();
            return;
        }
    };
    assert!(
        !bytes.contains(&0),
        "a NUL byte must be an error, got a surface"
    );
    for w in &warnings {
        assert!(w.line >= 1, "warning without a line: {w:?}");
    }
    for module in surface.modules.values() {
        for item in module.exports.values() {
            let _ = item.render();
        }
    }
    let mut out = Vec::new();
    crate::report::surface::render_text(&surface, &mut out).expect("writing to a Vec");
    crate::report::surface::render_json(&surface, &mut out).expect("writing to a Vec");
    let changes = diff::diff_project(&surface, &surface, None, &Rules::new());
    assert!(
        changes.is_empty(),
        "a surface diffed with itself reports changes: {changes:?}"
    );
}

fn source(path: &str, bytes: &[u8]) -> SourceFile {
    SourceFile {
        path: path.to_owned(),
        bytes: bytes.into(),
        id: None,
    }
}

const BUMPS: [Bump; 4] = [Bump::None, Bump::Patch, Bump::Minor, Bump::Major];
const PRES: [Option<PreKind>; 4] = [
    None,
    Some(PreKind::Alpha),
    Some(PreKind::Beta),
    Some(PreKind::Rc),
];
const POLICIES: [Policy; 2] = [
    Policy {
        major_on_zero: false,
    },
    Policy {
        major_on_zero: true,
    },
];

/// Parses `text` as a PEP 440 version; a version must print in a form that parses back to
/// itself, and every next version computed from it must be higher and cover its bump.
pub fn version(text: &str) {
    let Ok(v) = text.parse::<Version>() else {
        return;
    };
    let shown = v.to_string();
    let again: Version = shown
        .parse()
        .unwrap_or_else(|e| panic!("`{text}` prints as `{shown}`, which does not parse: {e}"));
    assert_eq!(again, v, "`{text}` -> `{shown}` reads as another version");
    assert_eq!(
        again.to_string(),
        shown,
        "normalizing `{text}` twice differs"
    );
    for policy in POLICIES {
        assert_eq!(version::declared_bump(&v, &v, policy), Some(Bump::None));
        let _ = version::implied_bump(&v, policy);
        for required in BUMPS {
            for pre in PRES {
                let next = version::next_version(&v, required, pre, policy);
                if required == Bump::None {
                    assert_eq!(next, v);
                    continue;
                }
                assert!(
                    next > v,
                    "{required} from `{v}` (pre {pre:?}) gives `{next}`"
                );
                assert!(
                    version::covers(&v, &next, required, policy),
                    "`{v}` -> `{next}` does not cover {required} ({policy:?})"
                );
                let released = version::next_release(&v, Some(&next), required, pre, policy);
                assert!(released > v);
            }
        }
    }
}

/// Versions to widen a specifier set to: a few fixed ones, and the next versions of each
/// version the set names.
fn targets(versions: impl Iterator<Item = Version>) -> Vec<Version> {
    let mut out: Vec<Version> = ["0.5.0", "1.0.0", "2.0.0rc1", "1.0.post1"]
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    for v in versions.take(4) {
        for required in [Bump::Patch, Bump::Minor, Bump::Major] {
            out.push(version::next_version(&v, required, None, Policy::default()));
        }
        out.push(v);
    }
    out
}

/// Parses `text` as a specifier set and as a PEP 508 requirement; whatever parses must widen
/// to admit each target version, or say why not, and never produce a rewrite that excludes it.
pub fn specifier(text: &str) {
    if let Ok(set) = Specifiers::parse(text) {
        assert_eq!(set.to_string(), text);
        for c in set.clauses() {
            let _ = (&text[c.span.clone()], &text[c.version_span.clone()]);
        }
        let versions = set
            .clauses()
            .iter()
            .filter_map(|c| c.cmp.version().cloned());
        for next in targets(versions) {
            let _ = set.contains(&next, false);
            check_widened(text, &next, set.widen(&next));
        }
    }
    let _ = requirement::requirement_name(text);
    let Ok(req) = Pep508::parse(text) else {
        return;
    };
    let _ = &text[req.specifier_span.clone()];
    let versions = req
        .specifiers
        .clauses()
        .iter()
        .filter_map(|c| c.cmp.version().cloned());
    for next in targets(versions) {
        match requirement::widen_requirement(text, &next) {
            Ok(Some(out)) => {
                let again = Pep508::parse(&out).unwrap_or_else(|e| {
                    panic!("`{text}` widened for {next} to `{out}`, which does not parse: {e}")
                });
                assert_eq!(again.name, req.name, "`{text}` -> `{out}` renamed it");
                assert_eq!(
                    again.marker, req.marker,
                    "`{text}` -> `{out}` lost its marker"
                );
                assert!(
                    again.specifiers.contains(&next, true),
                    "`{text}` widened to `{out}` still excludes {next}"
                );
            }
            Ok(None) => assert!(req.specifiers.contains(&next, true)),
            Err(e) => check_error(text, &next, &e.to_string()),
        }
    }
}

fn check_widened(text: &str, next: &Version, widened: Result<Option<String>, SpecifierError>) {
    match widened {
        Ok(Some(out)) => {
            let set = Specifiers::parse(&out)
                .unwrap_or_else(|e| panic!("`{text}` widened to `{out}`, which fails: {e}"));
            assert!(set.contains(next, true));
        }
        Ok(None) => {}
        Err(e) => check_error(text, next, &e.to_string()),
    }
}

/// The widening's own safety net names a bug in the rules: that is a finding, not an answer.
fn check_error(text: &str, next: &Version, message: &str) {
    assert!(
        !message.contains("report this as a bug"),
        "widening `{text}` for {next}: {message}"
    );
}
