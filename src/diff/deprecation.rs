//! The deprecation gate (`require-deprecation`, `deprecation-period`): which removals were not
//! deprecated at the base release, or not for long enough, and since which release each was.
//! Reads only surfaces and the changes; never touches git or the verdict: older releases come
//! in through the caller's `read` function.
//!
//! A removal is a change that makes an old import, attribute or keyword fail:
//! `module-removed`, `name-removed`, `member-removed`, `enum-member-removed`,
//! `parameter-removed` and `name-moved` (the old path fails; a move into a `__getattr__` shim is
//! reported as a deprecation, not a move). Other major kinds (a signature or kind change) keep
//! the name callable, so there is nothing to deprecate first.

use std::collections::BTreeMap;

use crate::api::{ItemKind, Module, Surface};

use super::{Change, ChangeKind};

/// One removal that was not deprecated at the base, and what to do instead.
#[derive(Clone, Debug, PartialEq)]
pub struct Undeprecated {
    /// The removed public path (for a move, the old one).
    pub path: String,
    /// The fix, in one or more lines.
    pub message: String,
}

/// Since when a removal that was deprecated at the base had been deprecated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Since {
    /// How many releases in a row, ending with the base, it was deprecated in.
    pub releases: u32,
    /// The oldest of those releases (`1.2.0`).
    pub version: String,
}

/// The removals among `changes` that fail the gate: not deprecated in `base`, or, when
/// `period` is above 1, deprecated in fewer than `period` releases according to `since`
/// (what [`since`] found; a path it lacks counts as deprecated in the base only).
///
/// Deprecated means the item's `deprecated` flag (`@deprecated`, a body that warns with a
/// deprecation category, a `.. deprecated::` docstring, or a warning `__getattr__` shim). A
/// removed parameter counts as deprecated when its function was (the function warns with a
/// deprecation category or is `@deprecated`): the body's warning cannot be tied to one parameter
/// statically, so a function that warns at all is taken to warn about the parameter. A removed
/// module counts as deprecated when all its exports were.
pub fn undeprecated_removals(
    base: &Surface,
    changes: &[Change],
    since: &BTreeMap<String, Since>,
    period: u32,
) -> Vec<Undeprecated> {
    changes
        .iter()
        .filter(|c| is_removal(c.kind))
        .filter_map(|c| {
            if !deprecated_in(base, c) {
                return Some(Undeprecated {
                    path: c.path.clone(),
                    message: fix(c),
                });
            }
            let s = since.get(&c.path)?;
            (s.releases < period).then(|| Undeprecated {
                path: c.path.clone(),
                message: too_soon(&c.path, s, period),
            })
        })
        .collect()
}

/// The removals among `changes` that were deprecated in `base`, each path once: those whose
/// history [`since`] looks up. Empty when nothing was deprecated, so the caller reads no
/// older release.
pub fn deprecated_removals<'a>(base: &Surface, changes: &'a [Change]) -> Vec<&'a Change> {
    let mut out: Vec<&Change> = Vec::new();
    for c in changes {
        if is_removal(c.kind) && !out.iter().any(|o| o.path == c.path) && deprecated_in(base, c) {
            out.push(c);
        }
    }
    out
}

/// Since which release each of `removals` (deprecated in the base, released as `base_release`)
/// was deprecated: walks `older`, the release tags before the base, newest first, and stops
/// for a removal at the first release where it is absent or not deprecated. `read(i)` gives the
/// surface of `older[i]`, or `None` when it cannot be read: the walk ends there. It is called
/// only while some removal is still deprecated, once per release at most.
pub fn since<E>(
    base_release: &str,
    removals: &[&Change],
    older: &[String],
    mut read: impl FnMut(usize) -> Result<Option<Surface>, E>,
) -> Result<BTreeMap<String, Since>, E> {
    let mut found: BTreeMap<String, Since> = removals
        .iter()
        .map(|c| {
            let s = Since {
                releases: 1,
                version: base_release.to_owned(),
            };
            (c.path.clone(), s)
        })
        .collect();
    let mut open: Vec<&Change> = removals.to_vec();
    for (i, release) in older.iter().enumerate() {
        if open.is_empty() {
            break;
        }
        let Some(surface) = read(i)? else {
            break;
        };
        open.retain(|c| {
            let still = deprecated_in(&surface, c);
            if still && let Some(s) = found.get_mut(&c.path) {
                s.releases += 1;
                s.version.clone_from(release);
            }
            still
        });
    }
    Ok(found)
}

/// Records on each removal since when it was deprecated, for the reports and the changelog.
pub fn mark_since(changes: &mut [Change], since: &BTreeMap<String, Since>) {
    for c in changes.iter_mut().filter(|c| is_removal(c.kind)) {
        if let Some(s) = since.get(&c.path) {
            c.deprecated_since = Some(s.version.clone());
        }
    }
}

/// The change kinds that take away something callers could use.
pub fn is_removal(kind: ChangeKind) -> bool {
    matches!(
        kind,
        ChangeKind::ModuleRemoved
            | ChangeKind::NameRemoved
            | ChangeKind::MemberRemoved
            | ChangeKind::EnumMemberRemoved
            | ChangeKind::ParameterRemoved
            | ChangeKind::NameMoved
    )
}

/// Whether the object of removal `c` is deprecated in `base` (`false` when it is absent).
pub fn deprecated_in(base: &Surface, c: &Change) -> bool {
    if c.kind == ChangeKind::ModuleRemoved {
        return base
            .modules
            .get(&c.path)
            .is_some_and(|m| !m.exports.is_empty() && m.exports.values().all(|i| i.deprecated));
    }
    lookup(base, &c.path).unwrap_or(false)
}

/// Whether the item at a dotted path (`mypkg.mod.Class.member`) was deprecated, if found.
fn lookup(base: &Surface, path: &str) -> Option<bool> {
    // The longest module prefix owns the rest of the path.
    let (module, rest) = module_of(base, path)?;
    let mut parts = rest.split('.');
    let mut item = module.exports.get(parts.next()?)?;
    for part in parts {
        if item.deprecated {
            return Some(true);
        }
        match &item.kind {
            ItemKind::Class(class) => match class.members.get(part) {
                Some(member) => item = member,
                // An Enum member is not an item: it is deprecated with its class.
                None => return Some(false),
            },
            _ => return Some(false),
        }
    }
    Some(item.deprecated || matches!(item.kind, ItemKind::Shim { warns: true }))
}

fn module_of<'a>(base: &'a Surface, path: &'a str) -> Option<(&'a Module, &'a str)> {
    let mut end = path.len();
    while let Some(dot) = path[..end].rfind('.') {
        if let Some(m) = base.modules.get(&path[..dot]) {
            return Some((m, &path[dot + 1..]));
        }
        end = dot;
    }
    None
}

fn fix(c: &Change) -> String {
    let path = &c.path;
    match (&c.kind, &c.moved_to) {
        (ChangeKind::NameMoved, Some(new)) => {
            let (old_module, name) = path.rsplit_once('.').unwrap_or(("", path));
            let (new_module, new_name) = new.rsplit_once('.').unwrap_or(("", new));
            let import = if name == new_name {
                format!("from {new_module} import {name}")
            } else {
                format!("from {new_module} import {new_name} as {name}")
            };
            format!(
                "`{path}` moved to `{new}` without a shim at its old path; keep it working with a warning, in `{old_module}`:\n\
                 def __getattr__(name):\n    \
                 if name == \"{name}\":\n        \
                 warnings.warn(\"{path} moved to {new}\", DeprecationWarning, stacklevel=2); {import}; return {name}\n    \
                 raise AttributeError(name)"
            )
        }
        _ => format!(
            "`{path}` was removed without a deprecation: deprecate `{path}` first (warn with DeprecationWarning, or @deprecated) and remove it in a later release"
        ),
    }
}

/// The message of a removal deprecated for fewer releases than `deprecation-period` asks.
fn too_soon(path: &str, s: &Since, period: u32) -> String {
    let releases = if s.releases == 1 {
        "1 release".to_owned()
    } else {
        format!("{} releases", s.releases)
    };
    format!(
        "`{path}` was deprecated in {releases} (since {}); deprecation-period asks for {period}: remove it in a later release",
        s.version
    )
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::api::Location;

    fn removed(kind: ChangeKind, path: &str) -> Change {
        let at = Location {
            file: "src/mypkg/__init__.py".to_owned(),
            line: 1,
        };
        Change::new(kind, path, format!("`{path}` was removed"), &at)
    }

    /// A surface of `mypkg` with functions `old` and `other`, each deprecated or not; `None`
    /// leaves the function out.
    fn release(old: Option<bool>, other: Option<bool>) -> Surface {
        let item = |name: &str, deprecated: Option<bool>| {
            deprecated.map(|d| {
                let f = func(name, "");
                if d { f.deprecated() } else { f }
            })
        };
        let items = [item("old", old), item("other", other)]
            .into_iter()
            .flatten()
            .collect();
        surface(vec![module("mypkg", items)])
    }

    fn versions(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn since_walks_back_to_the_oldest_release_of_each_removal() {
        let changes = [
            removed(ChangeKind::NameRemoved, "mypkg.old"),
            removed(ChangeKind::NameRemoved, "mypkg.other"),
        ];
        let base = release(Some(true), Some(true));
        let removals = deprecated_removals(&base, &changes);
        assert_eq!(removals.len(), 2);
        let older = [
            release(Some(true), Some(true)),
            release(Some(true), Some(false)),
            release(None, None),
            release(Some(true), Some(true)),
        ];
        let mut read = Vec::new();
        let found = since::<()>(
            "1.3.0",
            &removals,
            &versions(&["1.2.0", "1.1.0", "1.0.0", "0.9.0"]),
            |i| {
                read.push(i);
                Ok(Some(older[i].clone()))
            },
        )
        .unwrap();
        let s = |releases, version: &str| Since {
            releases,
            version: version.to_owned(),
        };
        assert_eq!(found["mypkg.old"], s(3, "1.1.0"));
        assert_eq!(found["mypkg.other"], s(2, "1.2.0"));
        // 0.9.0 is never read: both walks stopped at 1.0.0 (an absent name) or before.
        assert_eq!(read, [0, 1, 2]);
    }

    #[test]
    fn since_reads_nothing_without_deprecated_removals_and_stops_at_an_unreadable_release() {
        let changes = [removed(ChangeKind::NameRemoved, "mypkg.old")];
        let not_deprecated = release(Some(false), None);
        assert!(deprecated_removals(&not_deprecated, &changes).is_empty());
        let found = since::<()>("1.0.0", &[], &versions(&["0.9.0"]), |_| {
            panic!("nothing to look up")
        })
        .unwrap();
        assert!(found.is_empty());

        let base = release(Some(true), None);
        let removals = deprecated_removals(&base, &changes);
        let found = since::<()>("1.3.0", &removals, &versions(&["1.2.0", "1.1.0"]), |i| {
            Ok((i == 0).then(|| release(Some(true), None)))
        })
        .unwrap();
        assert_eq!(found["mypkg.old"].releases, 2);
        assert_eq!(found["mypkg.old"].version, "1.2.0");
    }

    #[test]
    fn the_period_counts_releases() {
        let changes = [
            removed(ChangeKind::NameRemoved, "mypkg.old"),
            removed(ChangeKind::NameRemoved, "mypkg.other"),
            removed(ChangeKind::NameAdded, "mypkg.new"),
        ];
        let base = release(Some(true), Some(false));
        let since_one = BTreeMap::from([(
            "mypkg.old".to_owned(),
            Since {
                releases: 1,
                version: "1.2.0".to_owned(),
            },
        )]);
        let messages = |period, since: &BTreeMap<String, Since>| {
            undeprecated_removals(&base, &changes, since, period)
                .into_iter()
                .map(|u| u.message)
                .collect::<Vec<_>>()
        };
        let other = "`mypkg.other` was removed without a deprecation: deprecate `mypkg.other` first (warn with DeprecationWarning, or @deprecated) and remove it in a later release";
        assert_eq!(messages(1, &since_one), [other]);
        assert_eq!(
            messages(2, &since_one),
            [
                "`mypkg.old` was deprecated in 1 release (since 1.2.0); deprecation-period asks for 2: remove it in a later release",
                other
            ]
        );
        let since_two = BTreeMap::from([(
            "mypkg.old".to_owned(),
            Since {
                releases: 2,
                version: "1.1.0".to_owned(),
            },
        )]);
        assert_eq!(messages(2, &since_two), [other]);
        assert_eq!(
            messages(3, &since_two)[0],
            "`mypkg.old` was deprecated in 2 releases (since 1.1.0); deprecation-period asks for 3: remove it in a later release"
        );
    }

    #[test]
    fn mark_since_touches_removals_only() {
        let mut changes = [
            removed(ChangeKind::NameRemoved, "mypkg.old"),
            removed(ChangeKind::DefaultChanged, "mypkg.old"),
        ];
        let since = BTreeMap::from([(
            "mypkg.old".to_owned(),
            Since {
                releases: 2,
                version: "1.1.0".to_owned(),
            },
        )]);
        mark_since(&mut changes, &since);
        assert_eq!(changes[0].deprecated_since.as_deref(), Some("1.1.0"));
        assert_eq!(changes[1].deprecated_since, None);
    }
}
