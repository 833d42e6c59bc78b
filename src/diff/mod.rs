//! Comparing two surfaces: every change between them, classified by the catalog.
//!
//! Depends only on [`crate::api`] types and [`crate::version::Bump`]. The result is sorted and
//! reports each root cause once, at the highest level: a removed class hides its removed methods,
//! a removed module hides its names, and a change inside an object public at several paths is
//! reported at the first one in `path_order_of` (the shortest) with the others in `also_at`.
//!
//! The detectors live by item family: `names` (modules, exported names, moves, shims, kinds),
//! `functions` (signatures) and `classes` (members, bases, constructors, enums). The dispatch
//! that compares one item with its new self (`compare_items`) lives here, so that `names` and
//! `classes` (which both compare items: exports, and members) depend on this module and not on
//! each other. Source text the surface keeps is compared through `normalize`, so reformatting is
//! never a change.

pub mod catalog;
pub mod change;
mod classes;
pub mod deprecation;
#[cfg(test)]
mod fixtures;
mod functions;
mod metadata;
mod names;
mod normalize;
#[cfg(test)]
mod testutil;

use std::cmp::Reverse;
use std::collections::BTreeMap;

pub use catalog::ChangeKind;
pub use change::Change;

use crate::api::text::last_part;
use crate::api::{Binding, Class, Function, Item, ItemKind, Surface};
use crate::project::metadata::Metadata;
use crate::version::Bump;

/// Bump overrides from `[tool.bumpwise] rules`.
pub type Rules = BTreeMap<ChangeKind, Bump>;

/// The packaging metadata of both revisions, compared beside their surfaces.
pub(crate) struct Packaging<'a> {
    pub old: &'a Metadata,
    pub new: &'a Metadata,
    /// The pyproject.toml's repository-relative path: the `file` of its changes.
    pub file: &'a str,
}

/// Every public API change from `old` to `new`, sorted by bump (worst first), then path, then
/// kind. The same inputs always give the same output. The tests' entry point: a comparison of
/// two revisions goes through [`diff_project`], which adds the `[project]` metadata.
#[cfg(test)]
pub fn diff(old: &Surface, new: &Surface, rules: &Rules) -> Vec<Change> {
    diff_project(old, new, None, rules)
}

/// [`diff`], with the packaging changes of the `[project]` table when `packaging` is given.
pub(crate) fn diff_project(
    old: &Surface,
    new: &Surface,
    packaging: Option<&Packaging<'_>>,
    rules: &Rules,
) -> Vec<Change> {
    let ctx = Ctx::new(old, new);
    let mut changes = Vec::new();
    names::diff_surfaces(&ctx, &mut changes);
    if let Some(p) = packaging {
        changes.extend(metadata::diff(p.old, p.new, p.file));
    }
    for change in &mut changes {
        if let Some(bump) = rules.get(&change.kind) {
            change.bump = *bump;
        }
        change
            .also_at
            .sort_by(|a, b| path_order(a).cmp(&path_order(b)));
        change.also_at.dedup();
    }
    changes.sort_by(|a, b| {
        (Reverse(a.bump), &a.path, a.kind)
            .cmp(&(Reverse(b.bump), &b.path, b.kind))
            .then_with(|| a.cmp(b))
    });
    changes.dedup();
    changes
}

/// The bump a release needs: the highest change's, `patch` when files changed but no public API
/// did, `none` when nothing changed.
pub fn required_bump(changes: &[Change], files_changed: bool) -> Bump {
    let highest = changes.iter().map(|c| c.bump).max().unwrap_or(Bump::None);
    if files_changed {
        highest.max(Bump::Patch)
    } else {
        highest
    }
}

/// Where a compared item sits: it decides how a `def` binds and how messages name things.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Module,
    Class,
}

/// What the detectors need to know about both surfaces beyond the two items they compare.
pub(crate) struct Ctx<'a> {
    pub old: &'a Surface,
    pub new: &'a Surface,
    /// The first public path (`path_order_of`) of every exported class, by origin (either
    /// revision).
    public_classes: BTreeMap<String, String>,
    /// Exported classes by origin, to walk bases: old revision, then new.
    old_classes: BTreeMap<String, &'a Class>,
    new_classes: BTreeMap<String, &'a Class>,
    /// Names that moved: old public path to new public path.
    pub moves: BTreeMap<String, String>,
    /// Objects that moved: old origin to new origin.
    moved_origins: BTreeMap<String, String>,
    /// Every public path of both revisions.
    paths: names::Paths<'a>,
}

impl<'a> Ctx<'a> {
    fn new(old: &'a Surface, new: &'a Surface) -> Ctx<'a> {
        let mut public_classes: BTreeMap<String, String> = BTreeMap::new();
        let mut old_classes = BTreeMap::new();
        let mut new_classes = BTreeMap::new();
        for (surface, classes) in [(old, &mut old_classes), (new, &mut new_classes)] {
            for module in surface.modules.values() {
                for (name, item) in &module.exports {
                    let ItemKind::Class(class) = &item.kind else {
                        continue;
                    };
                    if item.origin.is_empty() {
                        continue;
                    }
                    let path = format!("{}.{name}", module.name);
                    let slot = public_classes.entry(item.origin.clone()).or_default();
                    if slot.is_empty()
                        || path_order_of(&path, &item.origin) < path_order_of(slot, &item.origin)
                    {
                        *slot = path;
                    }
                    classes.insert(item.origin.clone(), &**class);
                }
            }
        }
        let paths = names::Paths::new(old, new);
        let (moves, moved_origins) = names::moves(old, new, &paths);
        Ctx {
            paths,
            old,
            new,
            public_classes,
            old_classes,
            new_classes,
            moves,
            moved_origins,
        }
    }

    /// Where an object of the old revision lives now, by origin: moved objects are the same
    /// objects at their new origin.
    pub(crate) fn same_origin_now<'s>(&'s self, old_origin: &'s str) -> &'s str {
        self.moved_origins
            .get(old_origin)
            .map_or(old_origin, String::as_str)
    }

    /// The public path of a class given by its origin, if it is exported anywhere.
    pub(crate) fn public_class_path(&self, origin: &str) -> Option<&str> {
        self.public_classes.get(origin).map(String::as_str)
    }

    /// The package classes of one revision, by origin.
    pub(crate) fn classes(&self, new_side: bool) -> &BTreeMap<String, &'a Class> {
        if new_side {
            &self.new_classes
        } else {
            &self.old_classes
        }
    }
}

/// Orders public paths: fewer dotted parts first, then shorter, then by text.
pub(crate) fn path_order(path: &str) -> (usize, usize, &str) {
    (path.matches('.').count(), path.len(), path)
}

/// The order in which an object's public paths are named, its first path being the one a
/// change is reported at: fewest components first (a package's re-export before the module
/// below it), then, among paths as deep, the one in the module that defines the object
/// (`origin`: `pkg.validators.Max` rather than `pkg.forms.Max`, which imports it), then the
/// shortest.
pub(crate) fn path_order_of<'p>(path: &'p str, origin: &str) -> (usize, bool, usize, &'p str) {
    fn module(path: &str) -> &str {
        path.rsplit_once('.').map_or("", |(m, _)| m)
    }
    let elsewhere = module(path) != module(origin);
    (path.matches('.').count(), elsewhere, path.len(), path)
}

/// `path` with its leading `from` path replaced by `to`, when `path` is `from` or below it.
pub(crate) fn rebase(path: &str, from: &str, to: &str) -> Option<String> {
    if path == from {
        return Some(to.to_owned());
    }
    path.strip_prefix(from)
        .filter(|rest| rest.starts_with('.'))
        .map(|rest| format!("{to}{rest}"))
}

/// `a` or `an`, for a noun in a message.
pub(crate) fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Names in a message: `` `a`, `b` and `c` ``.
pub(crate) fn list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

pub(crate) use crate::api::text::is_private_dotted;

/// A module-level function replaced by an instance of a package class with a `__call__`
/// (structlog 23.2: `def rich_traceback(sio, exc_info)` became `rich_traceback =
/// RichTracebackFormatter()`), or the reverse: calls go on as before, so the two compare as
/// functions, the instance as its `__call__` without `self` ([`crate::api::Variable::call`]).
/// API-RULES.md makes a function that became a class major (`isinstance` and subclassing see
/// a class); an instance offers neither, only the call. `None` for anything else: a variable
/// that is no such instance stays a kind change.
fn callable_instance(old: &Item, new: &Item, scope: Scope) -> Option<(Function, Function)> {
    if scope != Scope::Module {
        return None;
    }
    match (&old.kind, &new.kind) {
        (ItemKind::Function(f), ItemKind::Variable(v)) if !f.opaque => {
            Some((f.clone(), (**v.call.as_ref()?).clone()))
        }
        (ItemKind::Variable(v), ItemKind::Function(f)) if !f.opaque => {
            Some(((**v.call.as_ref()?).clone(), f.clone()))
        }
        _ => None,
    }
}

/// The word for what an item is, in `scope`: a `def` in a class is a method.
pub(crate) fn noun(kind: &ItemKind, scope: Scope) -> &'static str {
    match (kind, scope) {
        (ItemKind::Function(f), Scope::Class) if f.binding == Binding::Plain => "method",
        (ItemKind::Variable(_), Scope::Class) => "attribute",
        (ItemKind::Shim { .. }, _) => "name served by `__getattr__`",
        (ItemKind::External { .. }, _) => "re-exported external name",
        (kind, _) => kind.noun(),
    }
}

/// Compares one object at `path` with its new self: deprecation, then what it is, then its
/// shape. A kind change ends the comparison: nothing else about the old shape applies.
pub(crate) fn compare_items(
    ctx: &Ctx<'_>,
    path: &str,
    old: &Item,
    new: &Item,
    scope: Scope,
    out: &mut Vec<Change>,
) {
    // Most objects are the same at both revisions (all but one, in a pull request): nothing
    // below can find a change between equal items, and equality costs far less than looking.
    if old == new {
        return;
    }
    let newly_deprecated = match (&old.kind, &new.kind) {
        (ItemKind::Shim { warns: false }, ItemKind::Shim { warns: true }) => true,
        (_, ItemKind::Shim { .. }) | (ItemKind::Shim { .. }, _) => false,
        _ => !old.deprecated && new.deprecated,
    };
    if newly_deprecated {
        out.push(Change::new(
            ChangeKind::NameDeprecated,
            path,
            format!("`{path}` is now deprecated (it warns when used)"),
            &new.location,
        ));
    }
    if let Some((a, b)) = callable_instance(old, new, scope) {
        return functions::compare_functions(path, old, new, &a, &b, scope, out);
    }
    match (&old.kind, &new.kind) {
        (ItemKind::Function(a), ItemKind::Function(b)) => {
            let (a, b) = stub_defaults(old, new, a, b);
            functions::compare_functions(path, old, new, &a, &b, scope, out)
        }
        (ItemKind::Class(a), ItemKind::Class(b)) => {
            classes::compare_classes(ctx, path, old, new, a, b, out)
        }
        (ItemKind::Variable(a), ItemKind::Variable(b)) => {
            if !normalize::same_annotation(a.annotation.as_deref(), b.annotation.as_deref()) {
                out.push(
                    Change::new(
                        ChangeKind::AnnotationChanged,
                        path,
                        format!(
                            "the annotation of `{path}` changed from {} to {}",
                            normalize::show(a.annotation.as_deref()),
                            normalize::show(b.annotation.as_deref())
                        ),
                        &new.location,
                    )
                    .with_shapes(&old.render(), &new.render()),
                );
            }
            // `__version__` is the release's own version, which the report states already:
            // a new value there is the release, not a change to report.
            // A stub's `X: int` or `X: int = ...` gives no value to compare.
            let stub_value = |item: &Item, v: &crate::api::Variable| {
                is_stub(item) && normalize::is_stub_placeholder(v.value.as_deref())
            };
            if !normalize::same(a.value.as_deref(), b.value.as_deref())
                && !stub_value(old, a)
                && !stub_value(new, b)
                && last_part(path) != "__version__"
            {
                let (was, now) = (
                    normalize::show(a.value.as_deref()),
                    normalize::show(b.value.as_deref()),
                );
                // Two long values cut to the same prefix: show where they differ instead.
                let (message, shapes) = if was == now {
                    let (was, now) = normalize::show_difference(
                        a.value.as_deref().unwrap_or_default(),
                        b.value.as_deref().unwrap_or_default(),
                    );
                    (
                        format!("the value of `{path}` changed from {was} to {now}"),
                        None,
                    )
                } else {
                    (
                        format!("the value of `{path}` changed from {was} to {now}"),
                        Some((old.render(), new.render())),
                    )
                };
                let change = Change::new(ChangeKind::ValueChanged, path, message, &new.location);
                out.push(match shapes {
                    Some((before, after)) => change.with_shapes(&before, &after),
                    None => change,
                });
            }
            // Two callable instances: callers call them, so their calls compare as functions
            // (a private class's `__call__` is public through its public instance).
            if let (Some(a), Some(b)) = (&a.call, &b.call) {
                functions::compare_functions(path, old, new, a, b, scope, out);
            }
        }
        (ItemKind::Module { target: a }, ItemKind::Module { target: b }) => {
            if a != b {
                // Another module under the same name: its names are not the old module's.
                out.push(
                    Change::new(
                        ChangeKind::KindChanged,
                        path,
                        format!("`{path}` now refers to module `{b}` instead of `{a}`"),
                        &new.location,
                    )
                    .with_shapes(&old.render(), &new.render()),
                );
            }
        }
        (ItemKind::External { source: a }, ItemKind::External { source: b }) => {
            if !normalize::same(Some(a), Some(b)) {
                out.push(
                    Change::new(
                        ChangeKind::ValueChanged,
                        path,
                        format!("`{path}` now re-exports `{b}` instead of `{a}`"),
                        &new.location,
                    )
                    .with_shapes(&old.render(), &new.render()),
                );
            }
        }
        (ItemKind::Shim { .. }, ItemKind::Shim { .. }) => {}
        (_, ItemKind::Shim { warns }) => {
            let how = if *warns {
                ", with a `DeprecationWarning`"
            } else {
                ""
            };
            out.push(Change::new(
                ChangeKind::NameServedByGetattr,
                path,
                format!(
                    "`{path}` is no longer defined; the module's `__getattr__` still serves it{how}"
                ),
                &new.location,
            ));
        }
        // A name the shim served is now defined for real: imports keep working, and the old
        // shape was unknown, so there is nothing to compare.
        (ItemKind::Shim { .. }, _) => {}
        // The same expression, once resolved outside the package and now inside it
        // (requests 2.32's `target = chardet.__name__`, whose `chardet` moved into `.compat`):
        // the same value. Any other change of an external name stays a kind change: its old
        // shape is unknown, so nothing says callers are safe.
        (ItemKind::External { source }, ItemKind::Variable(v))
        | (ItemKind::Variable(v), ItemKind::External { source })
            if v.value.as_deref().map(normalize::expr) == Some(normalize::expr(source)) => {}
        // In a stub, `from attr import define as define` replaced by a spelled-out
        // `def define` (or the reverse), as attrs 24's `__init__.pyi` did: the stub describes
        // the same runtime object either way, and the old shape was never known.
        (ItemKind::External { source }, _) | (_, ItemKind::External { source })
            if last_part(source) == last_part(path)
                && (old.location.file.ends_with(".pyi") || new.location.file.ends_with(".pyi")) => {
        }
        (a, b) => {
            let (was, now) = (noun(a, scope), noun(b, scope));
            // Why it breaks, where the nouns alone do not say it.
            let why = match (a, b) {
                (ItemKind::Variable(_), ItemKind::Function(f))
                    if scope == Scope::Class && f.binding == Binding::Property =>
                {
                    " without a setter; assigning to it fails"
                }
                _ => "",
            };
            out.push(
                Change::new(
                    ChangeKind::KindChanged,
                    path,
                    format!(
                        "`{path}` changed from {} {was} to {} {now}{why}",
                        article(was),
                        article(now)
                    ),
                    &new.location,
                )
                .with_shapes(&old.render(), &new.render()),
            );
        }
    }
}

/// Defined in a `.pyi` stub.
fn is_stub(item: &Item) -> bool {
    item.location.file.ends_with(".pyi")
}

/// The two functions with a stub side's `= ...` defaults read as the other side's defaults.
fn stub_defaults<'f>(
    old: &Item,
    new: &Item,
    a: &'f crate::api::Function,
    b: &'f crate::api::Function,
) -> (
    std::borrow::Cow<'f, crate::api::Function>,
    std::borrow::Cow<'f, crate::api::Function>,
) {
    use std::borrow::Cow;
    let fill = |stub: &crate::api::Function, other: &crate::api::Function| {
        let mut f = stub.clone();
        f.signature.params =
            normalize::fill_stub_defaults(&stub.signature.params, &other.signature.params);
        f
    };
    match (is_stub(old), is_stub(new)) {
        (true, false) => (Cow::Owned(fill(a, b)), Cow::Borrowed(b)),
        (false, true) => (Cow::Borrowed(a), Cow::Owned(fill(b, a))),
        _ => (Cow::Borrowed(a), Cow::Borrowed(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    #[test]
    fn identity_diff_reports_nothing() {
        let s = sample_surface();
        assert_eq!(diff(&s, &s, &Rules::new()), Vec::new());
    }

    #[test]
    fn rules_override_the_bump_and_sorting_follows_it() {
        let old = surface(vec![module(
            "mypkg",
            vec![func("f", "a"), var("TIMEOUT", None, Some("30"))],
        )]);
        let new = surface(vec![module(
            "mypkg",
            vec![func("f", "a, b=1"), var("TIMEOUT", None, Some("60"))],
        )]);
        let plain = diff(&old, &new, &Rules::new());
        assert_eq!(
            kinds(&plain),
            ["parameter-added-optional", "value-changed"],
            "{plain:#?}"
        );
        let mut rules = Rules::new();
        rules.insert(ChangeKind::ValueChanged, Bump::Major);
        let raised = diff(&old, &new, &rules);
        assert_eq!(
            kinds(&raised),
            ["value-changed", "parameter-added-optional"]
        );
        assert_eq!(raised[0].bump, Bump::Major);
    }

    #[test]
    fn rules_override_packaging_kinds_too() {
        let s = surface(vec![module("mypkg", vec![])]);
        let (old, new) = packaging_example(ChangeKind::RequiresPythonRaised).expect("example");
        let packaging = Packaging {
            old: &old,
            new: &new,
            file: "sub/pyproject.toml",
        };
        let mut rules = Rules::new();
        rules.insert(ChangeKind::RequiresPythonRaised, Bump::Major);
        let changes = diff_project(&s, &s, Some(&packaging), &rules);
        assert_eq!(kinds(&changes), ["requires-python-raised"]);
        assert_eq!(changes[0].bump, Bump::Major);
        assert_eq!(
            (changes[0].path.as_str(), changes[0].file.as_str()),
            ("requires-python", "sub/pyproject.toml")
        );
    }

    #[test]
    fn output_is_deterministic() {
        let old = sample_surface();
        let mut new = sample_surface();
        new.modules.remove("mypkg.extra");
        let a = diff(&old, &new, &Rules::new());
        let b = diff(&old, &new, &Rules::new());
        assert_eq!(a, b);
        assert!(!a.is_empty());
    }

    #[test]
    fn required_bump_is_the_highest() {
        let old = surface(vec![module("mypkg", vec![func("f", "a")])]);
        let new = surface(vec![module("mypkg", vec![func("f", "")])]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(required_bump(&changes, true), Bump::Major);
        assert_eq!(required_bump(&[], true), Bump::Patch);
        assert_eq!(required_bump(&[], false), Bump::None);
    }

    /// A minimal pair of surfaces that must report `kind`. The match is exhaustive: a new
    /// catalog row does not compile without its example here.
    fn example(kind: ChangeKind) -> (Surface, Surface) {
        use crate::api::{Binding, ClassFlavor};
        use ChangeKind::*;
        let one = |old: Vec<crate::api::Item>, new: Vec<crate::api::Item>| {
            (
                surface(vec![module("mypkg", old)]),
                surface(vec![module("mypkg", new)]),
            )
        };
        let f = |old: &str, new: &str| one(vec![func("f", old)], vec![func("f", new)]);
        let c = |old: crate::api::Item, new: crate::api::Item| one(vec![old], vec![new]);
        let dc = |fields: &str| {
            class("P", vec![])
                .flavor(ClassFlavor::Dataclass)
                .ctor(fields)
        };
        let e = |members: &[(&str, &str)]| {
            class("E", vec![])
                .flavor(ClassFlavor::Enum)
                .bases(&["Enum"])
                .enum_members(members)
        };
        match kind {
            ModuleRemoved => (
                surface(vec![module("mypkg", vec![]), module("mypkg.m", vec![])]),
                surface(vec![module("mypkg", vec![])]),
            ),
            ModuleAdded => (
                surface(vec![module("mypkg", vec![])]),
                surface(vec![module("mypkg", vec![]), module("mypkg.m", vec![])]),
            ),
            NameRemoved => one(vec![func("f", "")], vec![]),
            NameAdded => one(vec![], vec![func("f", "")]),
            NameMoved => (
                surface(vec![
                    module("mypkg", vec![]),
                    module("mypkg.a", vec![func("f", "x")]),
                ]),
                surface(vec![
                    module("mypkg", vec![func("f", "x")]),
                    module("mypkg.a", vec![]),
                ]),
            ),
            NameServedByGetattr => one(vec![func("f", "")], vec![shim("f", true)]),
            NameDeprecated => one(vec![func("f", "")], vec![func("f", "").deprecated()]),
            KindChanged => one(vec![func("f", "")], vec![class("f", vec![])]),
            ParameterRemoved => f("a", ""),
            ParameterAbsorbedByVariadic => f("*, a=1, **kw", "**kw"),
            ParameterAddedRequired => f("", "a"),
            ParameterAddedOptional => f("", "a=1"),
            ParameterInserted => f("b=1", "a=1, b=1"),
            ParameterRenamed => f("a", "b"),
            PositionalOnlyRenamed => f("a, /", "b, /"),
            ParametersReordered => f("a, b", "b, a"),
            ParameterBecameKeywordOnly => f("a", "*, a"),
            ParameterBecamePositional => f("*, a=1", "a=1"),
            ParameterBecamePositionalOnly => f("a", "a, /"),
            ParameterNoLongerPositionalOnly => f("a, /", "a"),
            DefaultRemoved => f("a=1", "a"),
            DefaultAdded => f("a", "a=1"),
            DefaultChanged => f("a=1", "a=2"),
            VariadicRemoved => f("*args", ""),
            VariadicAdded => f("", "**kw"),
            AsyncChanged => one(vec![func("f", "")], vec![func("f", "").async_()]),
            GeneratorChanged => one(vec![func("f", "")], vec![func("f", "").generator()]),
            MemberRemoved => c(class("C", vec![method("m", "self")]), class("C", vec![])),
            MemberAdded => c(class("C", vec![]), class("C", vec![method("m", "self")])),
            MethodBecameStatic => c(
                class("C", vec![method("m", "self")]),
                class("C", vec![bound("m", Binding::StaticMethod, "")]),
            ),
            MethodBecameInstance => c(
                class("C", vec![bound("m", Binding::ClassMethod, "cls")]),
                class("C", vec![method("m", "self")]),
            ),
            AbstractMethodAdded => c(
                class("C", vec![]),
                class("C", vec![method("m", "self").abstract_()]),
            ),
            ProtocolMemberAdded => c(
                class("C", vec![]).flavor(ClassFlavor::Protocol),
                class("C", vec![method("m", "self")]).flavor(ClassFlavor::Protocol),
            ),
            ClassFrozen => c(dc(""), dc("").frozen()),
            ClassUnfrozen => c(dc("").frozen(), dc("")),
            SlotsAdded => c(class("C", vec![]), class("C", vec![]).slots()),
            BaseRemoved => c(class("C", vec![]).bases(&["B"]), class("C", vec![])),
            BaseAdded => c(class("C", vec![]), class("C", vec![]).bases(&["B"])),
            PrivateBaseChanged => c(class("C", vec![]).bases(&["_B"]), class("C", vec![])),
            EnumMemberRemoved => c(e(&[("A", "1")]), e(&[])),
            EnumMemberAdded => c(e(&[]), e(&[("A", "1")])),
            ValueChanged => one(
                vec![var("X", None, Some("1"))],
                vec![var("X", None, Some("2"))],
            ),
            AnnotationChanged => f("a: int", "a: str"),
            OverloadRemoved => one(
                vec![func("f", "x").overloads(&["x: int", "x: str"])],
                vec![func("f", "x").overloads(&["x: int"])],
            ),
            OverloadAdded => one(
                vec![func("f", "x").overloads(&["x: int"])],
                vec![func("f", "x").overloads(&["x: int", "x: str"])],
            ),
            // Packaging kinds differ in the `[project]` table only: see `packaging_example`.
            RequiresPythonRaised | DependencyRemoved => one(vec![], vec![]),
        }
    }

    /// The `[project]` metadata pair of a packaging kind.
    fn packaging_example(kind: ChangeKind) -> Option<(Metadata, Metadata)> {
        use crate::project::metadata::Requirement;
        let dep = |name: &str| Requirement::new(name, 1).expect("a requirement");
        match kind {
            ChangeKind::RequiresPythonRaised => Some((
                Metadata {
                    requires_python: Some((">=3.8".to_owned(), 1)),
                    ..Metadata::default()
                },
                Metadata {
                    requires_python: Some((">=3.9".to_owned(), 1)),
                    ..Metadata::default()
                },
            )),
            ChangeKind::DependencyRemoved => Some((
                Metadata {
                    dependencies: vec![dep("rich")],
                    ..Metadata::default()
                },
                Metadata::default(),
            )),
            _ => None,
        }
    }

    #[test]
    fn every_kind_has_a_detector() {
        for kind in ChangeKind::ALL {
            let (old, new) = example(*kind);
            let metadata = packaging_example(*kind);
            let packaging = metadata.as_ref().map(|(a, b)| Packaging {
                old: a,
                new: b,
                file: "pyproject.toml",
            });
            let changes = diff_project(&old, &new, packaging.as_ref(), &Rules::new());
            assert_eq!(
                changes.iter().map(|c| c.kind).collect::<Vec<_>>(),
                [*kind],
                "{changes:#?}"
            );
            assert_eq!(changes[0].bump, kind.bump());
            assert!(!changes[0].message.is_empty());
            assert!(
                diff(&old, &old, &Rules::new()).is_empty(),
                "{kind}: old vs old"
            );
            assert!(
                diff(&new, &new, &Rules::new()).is_empty(),
                "{kind}: new vs new"
            );
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(rebase("a.b.c", "a.b", "x"), Some("x.c".to_owned()));
        assert_eq!(rebase("a.bc", "a.b", "x"), None);
        assert_eq!(
            list(&["a".into(), "b".into(), "c".into()]),
            "`a`, `b` and `c`"
        );
        assert!(is_private_dotted("mypkg._impl.Base"));
        assert!(!is_private_dotted("mypkg.Base"));
        assert!(path_order("mypkg.Client") < path_order("mypkg.core.Client"));
        // Among paths as deep, the defining module's first; within it, aliases by length
        // (attrs: `s = attributes = attrs`).
        let origin = "pkg.validators.Max";
        assert!(
            path_order_of("pkg.validators.Max", origin) < path_order_of("pkg.forms.Max", origin)
        );
        assert!(path_order_of("pkg.Max", origin) < path_order_of("pkg.validators.Max", origin));
        assert!(path_order_of("attr.s", "attr.attrs") < path_order_of("attr.attrs", "attr.attrs"));
    }
}
