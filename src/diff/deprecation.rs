//! The deprecation gate (`require-deprecation`): which removals were not deprecated at the base
//! release. Reads only the base `Surface` and the changes; never touches git or the verdict.
//!
//! A removal is a change that makes an old import, attribute or keyword fail:
//! `module-removed`, `name-removed`, `member-removed`, `enum-member-removed`,
//! `parameter-removed` and `name-moved` (the old path fails; a move into a `__getattr__` shim is
//! reported as a deprecation, not a move). Other major kinds (a signature or kind change) keep
//! the name callable, so there is nothing to deprecate first.

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

/// The removals among `changes` whose object was not deprecated in `base`.
///
/// Deprecated means the item's `deprecated` flag (`@deprecated`, a body that warns with a
/// deprecation category, a `.. deprecated::` docstring, or a warning `__getattr__` shim). A
/// removed parameter counts as deprecated when its function was (the function warns with a
/// deprecation category or is `@deprecated`): the body's warning cannot be tied to one parameter
/// statically, so a function that warns at all is taken to warn about the parameter. A removed
/// module counts as deprecated when all its exports were.
pub fn undeprecated_removals(base: &Surface, changes: &[Change]) -> Vec<Undeprecated> {
    changes
        .iter()
        .filter(|c| is_removal(c.kind))
        .filter(|c| !deprecated_at(base, c))
        .map(|c| Undeprecated {
            path: c.path.clone(),
            message: fix(c),
        })
        .collect()
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

fn deprecated_at(base: &Surface, c: &Change) -> bool {
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
