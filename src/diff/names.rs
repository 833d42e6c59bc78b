//! Modules and the names they export: removals, additions, moves, `__getattr__` shims,
//! deprecations and kind changes. Each name kept is compared with its new self through
//! [`super::compare_items`].
//!
//! Paths are public dotted paths (`mypkg.client.connect`). An object public at several paths is
//! compared once, at the shortest path (among paths as deep, the one in the module defining
//! it); removing any one path is still its own change, because each public path is a promise
//! (API-RULES.md section 2).

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::api::text::last_part;
use crate::api::{Item, ItemKind, Module, Surface};

use super::catalog::ChangeKind;
use super::change::Change;
use super::{
    Ctx, Scope, article, compare_items, functions, normalize, noun, path_order_of, rebase,
};

/// One exported name: its module and item.
struct Export<'a> {
    module: &'a Module,
    item: &'a Item,
}

/// Every public path of both revisions, found once for the pairing of moves and the diff.
pub(crate) struct Paths<'a> {
    old: BTreeMap<String, Export<'a>>,
    new: BTreeMap<String, Export<'a>>,
}

impl<'a> Paths<'a> {
    pub(crate) fn new(old: &'a Surface, new: &'a Surface) -> Paths<'a> {
        let (old, new) = rayon::join(|| exports(old), || exports(new));
        Paths { old, new }
    }
}

/// Every public path of a surface.
fn exports(surface: &Surface) -> BTreeMap<String, Export<'_>> {
    let mut out = BTreeMap::new();
    for module in surface.modules.values() {
        for (name, item) in &module.exports {
            out.insert(format!("{}.{name}", module.name), Export { module, item });
        }
    }
    out
}

/// The module-level diff: modules, then names, then the objects behind names kept.
pub(crate) fn diff_surfaces(ctx: &Ctx<'_>, out: &mut Vec<Change>) {
    let (old, new) = (ctx.old, ctx.new);
    let removed_modules: BTreeSet<&str> = old
        .modules
        .keys()
        .filter(|m| !new.modules.contains_key(*m))
        .map(String::as_str)
        .collect();
    let added_modules: BTreeSet<&str> = new
        .modules
        .keys()
        .filter(|m| !old.modules.contains_key(*m))
        .map(String::as_str)
        .collect();
    for name in &removed_modules {
        let module = &old.modules[*name];
        out.push(Change::new(
            ChangeKind::ModuleRemoved,
            name,
            format!("module `{name}` was removed"),
            &module_location(module),
        ));
    }
    for name in &added_modules {
        let module = &new.modules[*name];
        out.push(Change::new(
            ChangeKind::ModuleAdded,
            name,
            format!("module `{name}` was added"),
            &module_location(module),
        ));
    }

    let (old_paths, new_paths) = (&ctx.paths.old, &ctx.paths.new);

    // Names kept: compare each object once, at its first path (`path_order_of`).
    let mut groups: BTreeMap<(&str, &str, &str), Vec<&str>> = BTreeMap::new();
    for (path, o) in old_paths {
        let Some(n) = new_paths.get(path) else {
            continue;
        };
        let key = if o.item.origin.is_empty() || n.item.origin.is_empty() {
            // Without an origin nothing says two paths are one object.
            ("", "", path.as_str())
        } else {
            (o.item.origin.as_str(), n.item.origin.as_str(), "")
        };
        groups.entry(key).or_default().push(path);
    }
    let mut kept_old_origins: BTreeSet<&str> = BTreeSet::new();
    for (&(origin, _, _), paths) in groups.iter_mut() {
        paths.sort_by(|a, b| path_order_of(a, origin).cmp(&path_order_of(b, origin)));
        kept_old_origins.insert(old_paths[paths[0]].item.origin.as_str());
    }
    // Each object is compared on its own, so the comparisons run in parallel; collecting in
    // group order keeps the output deterministic.
    let groups: Vec<&Vec<&str>> = groups.values().collect();
    let compared: Vec<Vec<Change>> = groups
        .par_iter()
        .map(|paths| {
            let primary = paths[0];
            let (o, n) = (&old_paths[primary], &new_paths[primary]);
            let mut found = Vec::new();
            compare_items(ctx, primary, o.item, n.item, Scope::Module, &mut found);
            for change in &mut found {
                change.also_at = paths[1..]
                    .iter()
                    .filter_map(|other| rebase(&change.path, primary, other))
                    .collect();
            }
            found
        })
        .collect();
    out.extend(compared.into_iter().flatten());

    // Names gone and names new, with the moves `Ctx` paired among them.
    let (removed, fresh) = gone_and_new(old, new, old_paths, new_paths);

    let mut consumed: BTreeSet<&str> = BTreeSet::new();
    let mut compared_moves: BTreeSet<&str> = BTreeSet::new();
    let new_by_origin = if removed.is_empty() {
        HashMap::new()
    } else {
        by_origin(new_paths.iter().map(|(p, e)| (p.as_str(), e)))
    };
    for (path, e) in removed {
        // The module's `__getattr__` forwards to another module that has the name: the old
        // import path still works (issue 8).
        let forwarded = new
            .modules
            .get(&e.module.name)
            .and_then(|m| m.forwards.as_ref())
            .filter(|f| f.names.contains(last_part(path)));
        let forwarding = |f: &crate::api::Forwarding| {
            let how = if f.warns {
                ", with a `DeprecationWarning`"
            } else {
                ""
            };
            format!(
                "the module's `__getattr__` forwards it to `{}`{how}",
                f.module
            )
        };
        match ctx.moves.get(path.as_str()) {
            Some(to) => {
                let to = fresh
                    .get_key_value(to.as_str())
                    .map(|(k, _)| *k)
                    .expect("a move's target is a new path");
                consumed.insert(to);
                let target = fresh[to];
                let mut change = match forwarded {
                    Some(f) => Change::new(
                        ChangeKind::NameServedByGetattr,
                        path,
                        format!(
                            "`{path}` moved to `{to}`; the old import path still works: {}",
                            forwarding(f)
                        ),
                        &e.item.location,
                    ),
                    None => Change::new(
                        ChangeKind::NameMoved,
                        path,
                        format!("`{path}` moved to `{to}`; the old import path fails"),
                        &e.item.location,
                    ),
                };
                change.moved_to = Some(to.to_owned());
                out.push(change);
                // The object changed on the way and is public nowhere else: say how, at its new
                // path (once, however many old paths moved there).
                if !kept_old_origins.contains(e.item.origin.as_str()) && compared_moves.insert(to) {
                    compare_items(ctx, to, e.item, target.item, Scope::Module, out);
                }
            }
            None => {
                // The object may survive at other public paths: say where, since that is the
                // fix for callers of this one.
                let elsewhere: &[&str] = new_by_origin
                    .get(e.item.origin.as_str())
                    .map_or(&[], Vec::as_slice);
                let note = match (
                    &e.item.kind,
                    elsewhere.iter().min_by(|a, b| {
                        path_order_of(a, &e.item.origin).cmp(&path_order_of(b, &e.item.origin))
                    }),
                ) {
                    // `from . import sub` dropped while `sub` stays: `import mypkg.sub` and
                    // `from mypkg import sub` still work, `mypkg.sub` after `import mypkg` fails.
                    (ItemKind::Module { target }, _) if new.modules.contains_key(target) => {
                        format!(
                            " (the module `{target}` still exists, but `{}` no longer imports it)",
                            e.module.name
                        )
                    }
                    (_, Some(p)) => format!(" (still public as `{p}`)"),
                    _ => String::new(),
                };
                out.push(match forwarded {
                    Some(f) => Change::new(
                        ChangeKind::NameServedByGetattr,
                        path,
                        format!(
                            "`{path}` is no longer defined; {}, so the old import path still works",
                            forwarding(f)
                        ),
                        &e.item.location,
                    ),
                    None => Change::new(
                        ChangeKind::NameRemoved,
                        path,
                        format!("`{path}` was removed{note}"),
                        &e.item.location,
                    ),
                })
            }
        }
    }

    // Additions: one per new object, at its first new path.
    let mut added: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (path, e) in &fresh {
        if consumed.contains(path)
            || !old.modules.contains_key(&e.module.name)
            || is_module_binding(e.item, path, &added_modules)
        {
            continue;
        }
        let key = if e.item.origin.is_empty() {
            format!("\0{path}")
        } else {
            e.item.origin.clone()
        };
        added.entry(key).or_default().push(path);
    }
    for (origin, paths) in added.iter_mut() {
        paths.sort_by(|a, b| path_order_of(a, origin).cmp(&path_order_of(b, origin)));
        let primary = paths[0];
        let item = fresh[primary].item;
        let what = match &item.kind {
            ItemKind::Shim { .. } => "served by the module's `__getattr__`".to_owned(),
            kind => {
                let noun = noun(kind, Scope::Module);
                format!("{} {noun}", article(noun))
            }
        };
        let mut change = Change::new(
            ChangeKind::NameAdded,
            primary,
            format!("`{primary}` was added ({what})"),
            &item.location,
        );
        change.also_at = paths[1..].iter().map(|p| (*p).to_owned()).collect();
        out.push(change);
    }
}

/// The public paths gone from `old` and those new in `new`. A removed module hides its names
/// and an added module does not list them; a name bound to a removed or added module is that
/// module's change, so it is in neither list.
fn gone_and_new<'s, 'e>(
    old: &Surface,
    new: &Surface,
    old_paths: &'e BTreeMap<String, Export<'s>>,
    new_paths: &'e BTreeMap<String, Export<'s>>,
) -> (
    Vec<(&'e String, &'e Export<'s>)>,
    BTreeMap<&'e str, &'e Export<'s>>,
) {
    let removed_modules: BTreeSet<&str> = old
        .modules
        .keys()
        .filter(|m| !new.modules.contains_key(*m))
        .map(String::as_str)
        .collect();
    let removed = old_paths
        .iter()
        .filter(|(path, e)| {
            !new_paths.contains_key(*path)
                && new.modules.contains_key(&e.module.name)
                && !is_module_binding(e.item, path, &removed_modules)
        })
        .collect();
    let fresh = new_paths
        .iter()
        .filter(|(path, _)| !old_paths.contains_key(*path))
        .map(|(p, e)| (p.as_str(), e))
        .collect();
    (removed, fresh)
}

/// Every name that moved (its old public path and the new one), and the origin each moved
/// object had and has now. Paired once, before anything is compared, so that a class whose
/// base moved with it sees the same base (issue 8).
pub(crate) fn moves(
    old: &Surface,
    new: &Surface,
    paths: &Paths<'_>,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let (removed, fresh) = gone_and_new(old, new, &paths.old, &paths.new);
    let mut moves = BTreeMap::new();
    let mut origins = BTreeMap::new();
    // A name now served by its module's `__getattr__` (a migration table) is not gone, but the
    // object it named went somewhere too: where, a class based on it needs to know.
    let served: Vec<(&String, &Export<'_>)> = paths
        .old
        .iter()
        .filter(|(path, o)| {
            !matches!(o.item.kind, ItemKind::Shim { .. })
                && paths
                    .new
                    .get(*path)
                    .is_some_and(|n| matches!(n.item.kind, ItemKind::Shim { .. }))
        })
        .collect();
    if removed.is_empty() && served.is_empty() {
        return (moves, origins);
    }
    // New paths by origin and by name, so that pairing costs the paths, not their product.
    let by_origin = by_origin(fresh.iter().map(|(p, e)| (*p, *e)));
    let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for path in fresh.keys() {
        by_name.entry(last_part(path)).or_default().push(path);
    }
    // An object that went from one origin to another: bases naming the old one name the new.
    let mut pair = |item: &Item, to: &str| {
        let (a, b) = (&item.origin, &fresh[to].item.origin);
        if !a.is_empty() && !b.is_empty() && a != b {
            origins.insert(a.clone(), b.clone());
        }
    };
    for (path, e) in removed {
        let Some(to) = find_move(path, e.item, &fresh, &by_origin, &by_name) else {
            continue;
        };
        pair(e.item, to);
        moves.insert(path.clone(), to.to_owned());
    }
    for (path, e) in served {
        if let Some(to) = find_move(path, e.item, &fresh, &by_origin, &by_name) {
            pair(e.item, to);
        }
    }
    (moves, origins)
}

/// The location of a module as a whole: its file, first line.
fn module_location(module: &Module) -> crate::api::Location {
    crate::api::Location {
        file: module.file.clone(),
        line: 1,
    }
}

/// A name that only binds a module changed together with that module (`from . import sub`).
fn is_module_binding(item: &Item, path: &str, modules: &BTreeSet<&str>) -> bool {
    match &item.kind {
        ItemKind::Module { target } => modules.contains(target.as_str()) || modules.contains(path),
        _ => false,
    }
}

/// Where a removed name went: a new path holding the same object (same origin), or the same
/// name with the same kind and shape. The first such path (`path_order_of`) wins.
fn find_move<'p>(
    path: &str,
    item: &Item,
    fresh: &BTreeMap<&'p str, &Export<'_>>,
    by_origin: &HashMap<&str, Vec<&'p str>>,
    by_name: &HashMap<&str, Vec<&'p str>>,
) -> Option<&'p str> {
    let shortest = |paths: &mut dyn Iterator<Item = &'p str>| {
        paths.min_by(|a, b| path_order_of(a, &item.origin).cmp(&path_order_of(b, &item.origin)))
    };
    // An object without an origin is in no list: `by_origin` leaves them out.
    let by_origin = by_origin
        .get(item.origin.as_str())
        .and_then(|paths| shortest(&mut paths.iter().copied()));
    by_origin.or_else(|| {
        let same = by_name.get(last_part(path))?;
        shortest(
            &mut same
                .iter()
                .copied()
                .filter(|p| fresh.get(p).is_some_and(|e| same_shape(item, e.item))),
        )
    })
}

/// Paths by the origin of their object (objects without one left out).
fn by_origin<'p, 'e: 'p>(
    paths: impl Iterator<Item = (&'p str, &'p Export<'e>)>,
) -> HashMap<&'p str, Vec<&'p str>> {
    let mut out: HashMap<&str, Vec<&str>> = HashMap::new();
    for (path, e) in paths {
        if !e.item.origin.is_empty() {
            out.entry(e.item.origin.as_str()).or_default().push(path);
        }
    }
    out
}

/// Same kind and the same signature (functions), constructor (classes) or annotation and value
/// (variables): what makes a name at a new path read as the old one moved.
fn same_shape(a: &Item, b: &Item) -> bool {
    match (&a.kind, &b.kind) {
        (ItemKind::Function(x), ItemKind::Function(y)) => {
            x.binding == y.binding
                && x.is_async == y.is_async
                && functions::same_signature(&x.signature, &y.signature)
        }
        (ItemKind::Class(x), ItemKind::Class(y)) => match (&x.constructor, &y.constructor) {
            (Some(p), Some(q)) => functions::same_signature(p, q),
            (None, None) => true,
            _ => false,
        },
        (ItemKind::Variable(x), ItemKind::Variable(y)) => {
            normalize::same_annotation(x.annotation.as_deref(), y.annotation.as_deref())
                && normalize::same(x.value.as_deref(), y.value.as_deref())
        }
        (ItemKind::External { source: x }, ItemKind::External { source: y }) => {
            normalize::same(Some(x), Some(y))
        }
        (ItemKind::Module { target: x }, ItemKind::Module { target: y }) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::{Rules, diff};
    use crate::api::ClassFlavor;

    #[test]
    fn module_removed_hides_its_names() {
        let old = surface(vec![
            module("mypkg", vec![]),
            module("mypkg.utils", vec![func("helper", "x"), func("other", "")]),
        ]);
        let new = surface(vec![module("mypkg", vec![])]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(kinds(&changes), ["module-removed"]);
        assert_eq!(changes[0].path, "mypkg.utils");
        assert_eq!(changes[0].message, "module `mypkg.utils` was removed");
        assert_eq!(changes[0].file, "src/mypkg/utils.py");
    }

    #[test]
    fn module_added_does_not_list_its_names() {
        let old = surface(vec![module("mypkg", vec![])]);
        let new = surface(vec![
            module("mypkg", vec![submodule("tools", "mypkg.tools")]),
            module("mypkg.tools", vec![func("helper", "x")]),
        ]);
        assert_eq!(kinds(&diff(&old, &new, &Rules::new())), ["module-added"]);
    }

    #[test]
    fn module_binding_removed_with_its_module_is_one_change() {
        let old = surface(vec![
            module("mypkg", vec![submodule("sub", "mypkg.sub")]),
            module("mypkg.sub", vec![]),
        ]);
        let new = surface(vec![module("mypkg", vec![])]);
        assert_eq!(kinds(&diff(&old, &new, &Rules::new())), ["module-removed"]);
    }

    #[test]
    fn submodule_binding_dropped_while_the_module_stays() {
        let old = surface(vec![
            module("mypkg", vec![submodule("sub", "mypkg.sub")]),
            module("mypkg.sub", vec![]),
        ]);
        let new = surface(vec![module("mypkg", vec![]), module("mypkg.sub", vec![])]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(kinds(&changes), ["name-removed"]);
        assert_eq!(
            changes[0].message,
            "`mypkg.sub` was removed (the module `mypkg.sub` still exists, but `mypkg` no longer imports it)"
        );
    }

    #[test]
    fn name_removed_and_added() {
        let changes = diff_items(vec![func("old", "")], vec![func("new", "x")]);
        assert_eq!(kinds(&changes), ["name-removed", "name-added"]);
        assert_eq!(changes[0].message, "`mypkg.old` was removed");
        assert_eq!(changes[1].message, "`mypkg.new` was added (a function)");
    }

    #[test]
    fn name_added_once_at_the_shortest_path() {
        let client = class("Client", vec![]).origin("mypkg._client.Client");
        let old = surface(vec![module("mypkg", vec![]), module("mypkg.api", vec![])]);
        let new = surface(vec![
            module("mypkg", vec![client.clone()]),
            module("mypkg.api", vec![client]),
        ]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(kinds(&changes), ["name-added"]);
        assert_eq!(changes[0].path, "mypkg.Client");
        assert_eq!(changes[0].also_at, ["mypkg.api.Client"]);
    }

    /// Among public paths as deep, a change is reported in the module that defines the object,
    /// not in one that imports it (Django's `postgres.forms` imports the validators of
    /// `postgres.validators`; pyparsing's `core` imports `util.replaced_by_pep8`).
    #[test]
    fn among_paths_as_deep_the_defining_module_names_the_change() {
        let origin = "mypkg.validators.MaxValidator";
        let old_v = class("MaxValidator", vec![method("check", "self, value")]).origin(origin);
        let new_v = class("MaxValidator", vec![method("check", "self")]).origin(origin);
        let old = surface(vec![
            module("mypkg.forms", vec![old_v.clone()]),
            module("mypkg.validators", vec![old_v]),
        ]);
        let new = surface(vec![
            module("mypkg.forms", vec![new_v.clone()]),
            module("mypkg.validators", vec![new_v.clone()]),
        ]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(kinds(&changes), ["parameter-removed"]);
        assert_eq!(changes[0].path, "mypkg.validators.MaxValidator.check");
        assert_eq!(changes[0].also_at, ["mypkg.forms.MaxValidator.check"]);
        // An addition at both paths is named where it is defined too.
        let before = surface(vec![
            module("mypkg.forms", vec![]),
            module("mypkg.validators", vec![]),
        ]);
        let changes = diff(&before, &new, &Rules::new());
        assert_eq!(kinds(&changes), ["name-added"]);
        assert_eq!(changes[0].path, origin);
        assert_eq!(changes[0].also_at, ["mypkg.forms.MaxValidator"]);
        // A shallower path still comes first: the package's re-export is what users import.
        let top = class("MaxValidator", vec![]).origin(origin);
        let after = surface(vec![
            module("mypkg", vec![top.clone()]),
            module("mypkg.validators", vec![top]),
        ]);
        let before = surface(vec![
            module("mypkg", vec![]),
            module("mypkg.validators", vec![]),
        ]);
        let changes = diff(&before, &after, &Rules::new());
        assert_eq!(changes[0].path, "mypkg.MaxValidator");
    }

    #[test]
    fn removing_one_of_two_paths_is_its_own_removal() {
        let client = class("Client", vec![]).origin("mypkg._client.Client");
        let old = surface(vec![
            module("mypkg", vec![client.clone()]),
            module("mypkg.core", vec![client.clone()]),
        ]);
        let new = surface(vec![
            module("mypkg", vec![client]),
            module("mypkg.core", vec![]),
        ]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(kinds(&changes), ["name-removed"]);
        assert_eq!(changes[0].path, "mypkg.core.Client");
        assert_eq!(
            changes[0].message,
            "`mypkg.core.Client` was removed (still public as `mypkg.Client`)"
        );
    }

    #[test]
    fn change_inside_an_object_is_reported_once_with_also_at() {
        let old_c = class("Client", vec![method("get", "self, url")]).origin("mypkg._c.Client");
        let new_c = class("Client", vec![method("get", "self")]).origin("mypkg._c.Client");
        let old = surface(vec![
            module("mypkg", vec![old_c.clone()]),
            module("mypkg.core", vec![old_c]),
        ]);
        let new = surface(vec![
            module("mypkg", vec![new_c.clone()]),
            module("mypkg.core", vec![new_c]),
        ]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(kinds(&changes), ["parameter-removed"]);
        assert_eq!(changes[0].path, "mypkg.Client.get");
        assert_eq!(changes[0].also_at, ["mypkg.core.Client.get"]);
        assert_eq!(
            changes[0].message,
            "parameter `url` of `mypkg.Client.get` was removed"
        );
    }

    #[test]
    fn name_moved_by_shape() {
        let old = surface(vec![
            module("mypkg", vec![]),
            module("mypkg.utils", vec![func("helper", "x, y=1")]),
            module("mypkg.tools", vec![]),
        ]);
        let new = surface(vec![
            module("mypkg", vec![]),
            module("mypkg.utils", vec![]),
            module("mypkg.tools", vec![func("helper", "x, y = 1")]),
        ]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(kinds(&changes), ["name-moved"]);
        assert_eq!(changes[0].path, "mypkg.utils.helper");
        assert_eq!(changes[0].moved_to.as_deref(), Some("mypkg.tools.helper"));
    }

    #[test]
    fn name_moved_by_origin_reports_what_changed_on_the_way() {
        let old = surface(vec![
            module("mypkg", vec![]),
            module(
                "mypkg.utils",
                vec![func("helper", "x").origin("mypkg._h.helper")],
            ),
        ]);
        let new = surface(vec![
            module(
                "mypkg",
                vec![func("helper", "x, y").origin("mypkg._h.helper")],
            ),
            module("mypkg.utils", vec![]),
        ]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(
            kinds(&changes),
            ["parameter-added-required", "name-moved"],
            "{changes:#?}"
        );
        assert_eq!(changes[0].path, "mypkg.helper");
    }

    #[test]
    fn name_moved_into_a_new_module() {
        let old = surface(vec![
            module("mypkg", vec![]),
            module("mypkg.utils", vec![func("helper", "x")]),
        ]);
        let new = surface(vec![
            module("mypkg", vec![]),
            module("mypkg.utils", vec![]),
            module("mypkg.tools", vec![func("helper", "x")]),
        ]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(kinds(&changes), ["name-moved", "module-added"]);
    }

    #[test]
    fn different_shape_is_not_a_move() {
        let old = surface(vec![
            module("mypkg", vec![]),
            module("mypkg.utils", vec![func("helper", "x")]),
        ]);
        let new = surface(vec![
            module("mypkg", vec![func("helper", "x, y")]),
            module("mypkg.utils", vec![]),
        ]);
        let mut k = kinds(&diff(&old, &new, &Rules::new()));
        k.sort_unstable();
        assert_eq!(k, ["name-added", "name-removed"]);
    }

    #[test]
    fn renamed_function_kept_as_alias_is_only_an_addition() {
        // `def open_connection(...)` plus `connect = open_connection`.
        let old = vec![func("connect", "host")];
        let new_fn = func("open_connection", "host");
        let alias = func("open_connection", "host").origin("mypkg.open_connection");
        let o = surface(vec![module("mypkg", old)]);
        let n = surface(vec![module_aliased(
            "mypkg",
            vec![("connect", alias), ("open_connection", new_fn)],
        )]);
        let changes = diff(&o, &n, &Rules::new());
        assert_eq!(kinds(&changes), ["name-added"], "{changes:#?}");
        assert_eq!(changes[0].path, "mypkg.open_connection");
    }

    #[test]
    fn name_served_by_getattr() {
        let changes = diff_items(vec![func("old", "")], vec![shim("old", true)]);
        assert_eq!(kinds(&changes), ["name-served-by-getattr"]);
        assert!(changes[0].message.contains("DeprecationWarning"));
    }

    #[test]
    fn name_forwarded_by_getattr_still_resolves() {
        // Issue 8: a `__getattr__` that returns `getattr(_impl, name)` serves whatever
        // `_impl` binds; a name it does not bind is removed as before.
        let old = surface(vec![module(
            "mypkg",
            vec![func("kept", ""), func("gone", "")],
        )]);
        let mut forwarding = module("mypkg", vec![]);
        forwarding.forwards = Some(crate::api::Forwarding {
            module: "mypkg._impl".to_owned(),
            names: ["kept".to_owned()].into_iter().collect(),
            warns: false,
        });
        let new = surface(vec![forwarding]);
        let changes = diff(&old, &new, &Rules::new());
        let found: Vec<(&str, &str, &str)> = changes
            .iter()
            .map(|c| (c.kind.id(), c.path.as_str(), c.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("name-removed", "mypkg.gone", "`mypkg.gone` was removed"),
                (
                    "name-served-by-getattr",
                    "mypkg.kept",
                    "`mypkg.kept` is no longer defined; the module's `__getattr__` forwards it to `mypkg._impl`, so the old import path still works"
                ),
            ]
        );
    }

    /// A class moved elsewhere while its old path stays served by the module's `__getattr__`
    /// (pydantic 2.0's `pydantic.utils.Representation`, now `pydantic.v1.utils`'s): a class
    /// based on it keeps its base where the base went.
    #[test]
    fn a_base_served_at_its_old_path_is_the_same_base_where_it_went() {
        let base = |origin: &str| class("Base", vec![]).origin(origin);
        let model = |base: &str| {
            class("Model", vec![])
                .bases(&[base])
                .origin("mypkg.models.Model")
        };
        let old = surface(vec![
            module("mypkg.utils", vec![base("mypkg.utils.Base")]),
            module("mypkg.models", vec![model("mypkg.utils.Base")]),
        ]);
        let new = surface(vec![
            module("mypkg.utils", vec![shim("Base", true)]),
            module("mypkg.v1", vec![base("mypkg.v1.Base")]),
            module("mypkg.models", vec![model("mypkg.v1.Base")]),
        ]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(
            kinds(&changes),
            ["name-served-by-getattr", "module-added"],
            "{changes:#?}"
        );
    }

    #[test]
    fn shim_that_disappears_is_removed() {
        assert_eq!(
            diff_kinds(vec![shim("old", true)], vec![]),
            ["name-removed"]
        );
    }

    #[test]
    fn shim_starting_to_warn_is_deprecated_and_shim_to_real_is_nothing() {
        assert_eq!(
            diff_kinds(vec![shim("old", false)], vec![shim("old", true)]),
            ["name-deprecated"]
        );
        assert!(diff_kinds(vec![shim("old", true)], vec![func("old", "")]).is_empty());
    }

    #[test]
    fn name_deprecated() {
        let changes = diff_items(vec![func("f", "")], vec![func("f", "").deprecated()]);
        assert_eq!(kinds(&changes), ["name-deprecated"]);
        assert!(diff_kinds(vec![func("f", "").deprecated()], vec![func("f", "")]).is_empty());
    }

    /// A function that became an instance of a package class with a `__call__` compares with
    /// that call (structlog 23.2's `rich_traceback`), and the reverse; two such instances
    /// compare their calls too. A variable that is no such instance stays a kind change.
    #[test]
    fn a_function_and_a_callable_instance_compare_by_their_calls() {
        let render = || instance("render", "_Renderer()", "text, width=80");
        assert_eq!(
            diff_kinds(vec![func("render", "text, width=80")], vec![render()]),
            Vec::<&str>::new()
        );
        assert_eq!(
            diff_kinds(
                vec![render()],
                vec![func("render", "text, width=80, *, x=1")]
            ),
            ["parameter-added-optional"]
        );
        assert_eq!(
            diff_kinds(
                vec![func("render", "text, width=80, color=None")],
                vec![render()]
            ),
            ["parameter-removed"]
        );
        assert_eq!(
            diff_kinds(
                vec![render()],
                vec![instance("render", "_Renderer()", "text")]
            ),
            ["parameter-removed"]
        );
        assert_eq!(
            diff_kinds(
                vec![func("render", "text")],
                vec![var("render", None, Some("_Renderer()"))]
            ),
            ["kind-changed"]
        );
    }

    #[test]
    fn kind_changed_stops_the_comparison() {
        let changes = diff_items(
            vec![func("Thing", "a")],
            vec![class("Thing", vec![]).ctor("b")],
        );
        assert_eq!(kinds(&changes), ["kind-changed"]);
        assert_eq!(
            changes[0].message,
            "`mypkg.Thing` changed from a function to a class"
        );
        assert_eq!(
            diff_kinds(vec![var("X", None, Some("1"))], vec![func("X", "")]),
            ["kind-changed"]
        );
        assert_eq!(
            diff_kinds(
                vec![func("x", "")],
                vec![var("x", None, Some("partial(f)"))]
            ),
            ["kind-changed"]
        );
        assert_eq!(
            diff_kinds(vec![submodule("m", "mypkg.m")], vec![func("m", "")]),
            ["kind-changed"]
        );
        // requests 2.32: the same expression, its base now resolved inside the package.
        assert!(
            diff_kinds(
                vec![external("target", "chardet.__name__")],
                vec![var("target", None, Some("chardet.__name__"))]
            )
            .is_empty()
        );
        assert_eq!(
            diff_kinds(
                vec![external("serialize", "json.dumps")],
                vec![var("serialize", None, Some("'json'"))]
            ),
            ["kind-changed"]
        );
        assert_eq!(
            diff_kinds(
                vec![external("Any", "typing.Any")],
                vec![class("Any", vec![])]
            ),
            ["kind-changed"]
        );
    }

    #[test]
    fn variable_annotation_and_value() {
        let changes = diff_items(
            vec![var("TIMEOUT", Some("int"), Some("30"))],
            vec![var("TIMEOUT", Some("float"), Some("60"))],
        );
        assert_eq!(kinds(&changes), ["value-changed", "annotation-changed"]);
        assert_eq!(
            changes[0].message,
            "the value of `mypkg.TIMEOUT` changed from `30` to `60`"
        );
        assert!(
            diff_kinds(
                vec![var("NAMES", Some("list[ str ]"), Some("['a',\n 'b',]"))],
                vec![var("NAMES", Some("list[str]"), Some("[\"a\", \"b\"]"))]
            )
            .is_empty(),
            "reformatting is not a change"
        );
        // The release's own version is not a change; removing it still is.
        assert!(
            diff_kinds(
                vec![var("__version__", None, Some("\"1.0.0\""))],
                vec![var("__version__", None, Some("\"1.1.0\""))]
            )
            .is_empty()
        );
        assert_eq!(
            diff_kinds(vec![var("__version__", None, Some("\"1.0.0\""))], vec![]),
            ["name-removed"]
        );
    }

    #[test]
    fn external_source_changed_is_a_value_change() {
        assert_eq!(
            diff_kinds(
                vec![external("loads", "json.loads")],
                vec![external("loads", "orjson.loads")]
            ),
            ["value-changed"]
        );
    }

    #[test]
    fn enum_class_identity() {
        let e = class("Color", vec![])
            .flavor(ClassFlavor::Enum)
            .enum_members(&[("RED", "1")]);
        assert!(diff_kinds(vec![e.clone()], vec![e]).is_empty());
    }
}
