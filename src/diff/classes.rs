//! Classes: members, bases, the constructor, enum members, frozen dataclasses and `__slots__`.
//!
//! A class is compared member by member (methods as functions, attributes as variables, nested
//! classes recursively), and its constructor as a function signature. What one root cause would
//! report twice is reported once: a dataclass field is a constructor parameter and an attribute,
//! and the constructor speaks for it; an enum member is not also a class attribute; a removed
//! class hides its members because nothing here runs for it.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::api::text::last_part;
use crate::api::{Class, ClassFlavor, Item, ItemKind, Signature};

use super::catalog::ChangeKind;
use super::change::Change;
use super::functions::{self, Named, Shapes, Subject};
use super::{Ctx, Scope, compare_items, is_private_dotted, normalize};

/// Compares a class with its new self.
pub(crate) fn compare_classes(
    ctx: &Ctx<'_>,
    path: &str,
    old_item: &Item,
    new_item: &Item,
    old: &Class,
    new: &Class,
    out: &mut Vec<Change>,
) {
    let loc = &new_item.location;
    if !old.frozen && new.frozen {
        out.push(Change::new(
            ChangeKind::ClassFrozen,
            path,
            format!("instances of `{path}` are now frozen: assigning to their attributes fails"),
            loc,
        ));
    }
    if old.frozen
        && !new.frozen
        && matches!(new.flavor, ClassFlavor::Dataclass | ClassFlavor::Attrs)
    {
        out.push(Change::new(
            ChangeKind::ClassUnfrozen,
            path,
            format!(
                "instances of `{path}` are no longer frozen: with `eq` and without `unsafe_hash` they are no longer hashable"
            ),
            loc,
        ));
    }
    if !old.slots && new.slots {
        out.push(Change::new(
            ChangeKind::SlotsAdded,
            path,
            format!("`{path}` now defines `__slots__`: instances no longer take new attributes"),
            loc,
        ));
    }
    compare_bases(ctx, path, old_item, new_item, old, new, out);
    let fields = compare_constructor(path, old_item, new_item, old, new, out);
    let enum_names = compare_enum_members(path, old_item, new_item, old, new, out);
    compare_members(ctx, path, old, new, &fields, &enum_names, out);
}

/// Dataclasses, attrs classes and NamedTuples: the constructor is made of the fields.
fn is_field_based(flavor: ClassFlavor) -> bool {
    matches!(
        flavor,
        ClassFlavor::Dataclass | ClassFlavor::Attrs | ClassFlavor::NamedTuple
    )
}

/// Names the constructor comparison already spoke for: dataclass-like fields on each side.
#[derive(Default)]
struct Fields {
    old: BTreeSet<String>,
    new: BTreeSet<String>,
}

/// The call signature to compare, if it is known: a class without a constructor of its own and
/// without bases (or only `ABC`) takes `object`'s, which accepts no arguments; with other bases
/// from outside the package it is unknown.
fn constructor(class: &Class) -> Option<Cow<'_, Signature>> {
    match &class.constructor {
        Some(s) => Some(Cow::Borrowed(s)),
        None if class
            .bases
            .iter()
            .all(|b| is_typing_marker(b) || last_part(&base_id(b)) == "ABC") =>
        {
            Some(Cow::Owned(Signature::default()))
        }
        None => None,
    }
}

fn compare_constructor(
    path: &str,
    old_item: &Item,
    new_item: &Item,
    old: &Class,
    new: &Class,
    out: &mut Vec<Change>,
) -> Fields {
    // TypedDict calls build plain dicts from any keys, Protocols cannot be instantiated, and an
    // Enum is called with a member's value: none has a constructor callers rely on.
    let no_constructor = |c: &Class| {
        matches!(
            c.flavor,
            ClassFlavor::TypedDict | ClassFlavor::Protocol | ClassFlavor::Enum
        )
    };
    if no_constructor(old) || no_constructor(new) {
        return Fields::default();
    }
    let (Some(o), Some(n)) = (constructor(old), constructor(new)) else {
        return Fields::default();
    };
    let field_based = is_field_based(new.flavor);
    let name = &new_item.name;
    let subject = Subject {
        path,
        display: Named {
            prefix: if field_based {
                ""
            } else {
                "the constructor of "
            },
            path,
        },
        noun: if field_based { "field" } else { "parameter" },
        location: &new_item.location,
        shapes: Shapes::Constructor((&old_item.name, &o), (name, &n)),
        rendered: std::cell::OnceCell::new(),
        rejects: (&o.rejects, &n.rejects),
    };
    // In a stub, `= ...` says only that a parameter has a default.
    let stub = |item: &Item| item.location.file.ends_with(".pyi");
    let (o_params, n_params) = match (stub(old_item), stub(new_item)) {
        (true, false) => (
            normalize::fill_stub_defaults(&o.params, &n.params),
            n.params.clone(),
        ),
        (false, true) => (
            o.params.clone(),
            normalize::fill_stub_defaults(&n.params, &o.params),
        ),
        _ => (o.params.clone(), n.params.clone()),
    };
    functions::compare_signatures(&subject, &o_params, &n_params, (None, None), out);
    let names = |c: &Class, s: &Signature| -> BTreeSet<String> {
        if is_field_based(c.flavor) {
            s.params.iter().map(|p| p.name.clone()).collect()
        } else {
            BTreeSet::new()
        }
    };
    Fields {
        old: names(old, &o),
        new: names(new, &n),
    }
}

/// What an `auto()` produces, so a member inserted before others reads as the value change it
/// is (`Enum` counts up from the last integer, `Flag` doubles, `StrEnum` uses the lower-cased
/// name).
fn effective_values(class: &Class) -> Vec<Option<String>> {
    if class.enum_members.is_empty() {
        return Vec::new();
    }
    let last = |b: &String| {
        let id = base_id(b);
        last_part(&id).to_owned()
    };
    let is_str = class.bases.iter().any(|b| last(b) == "StrEnum");
    let is_flag = class
        .bases
        .iter()
        .any(|b| matches!(last(b).as_str(), "Flag" | "IntFlag"));
    let mut previous: Option<i128> = Some(0);
    let mut out = Vec::new();
    for (name, value) in &class.enum_members {
        let canonical = normalize::expr(value);
        if matches!(canonical.as_str(), "auto()" | "enum.auto()") {
            if is_str {
                out.push(Some(format!("\"{}\"", name.to_lowercase())));
                continue;
            }
            let next = previous.and_then(|p| {
                if !is_flag {
                    p.checked_add(1)
                } else if p <= 0 {
                    Some(1)
                } else {
                    1i128
                        .checked_shl(128 - p.leading_zeros())
                        .filter(|v| *v > 0)
                }
            });
            previous = next;
            out.push(next.map(|v| v.to_string()));
        } else if class.enum_members[..out.len()]
            .iter()
            .any(|(earlier, _)| *earlier == canonical)
        {
            // An alias of an earlier member (`OLD = NEW`) takes no value: the next `auto()`
            // counts on from the member before it.
            out.push(Some(canonical));
        } else {
            previous = canonical.replace('_', "").parse::<i128>().ok();
            out.push(Some(canonical));
        }
    }
    out
}

fn compare_enum_members(
    path: &str,
    old_item: &Item,
    new_item: &Item,
    old: &Class,
    new: &Class,
    out: &mut Vec<Change>,
) -> BTreeSet<String> {
    let names: BTreeSet<String> = old
        .enum_members
        .iter()
        .chain(&new.enum_members)
        .map(|(n, _)| n.clone())
        .collect();
    let old_values = effective_values(old);
    let new_values = effective_values(new);
    let new_index: BTreeMap<&str, usize> = new
        .enum_members
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.as_str(), i))
        .collect();
    let old_index: BTreeMap<&str, usize> = old
        .enum_members
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.as_str(), i))
        .collect();
    for (i, (name, value)) in old.enum_members.iter().enumerate() {
        let member = format!("{path}.{name}");
        let Some(&j) = new_index.get(name.as_str()) else {
            out.push(Change::new(
                ChangeKind::EnumMemberRemoved,
                &member,
                format!("member `{name}` of enum `{path}` was removed"),
                &old_item.location,
            ));
            continue;
        };
        let new_value = &new.enum_members[j].1;
        let before = old_values[i]
            .clone()
            .unwrap_or_else(|| normalize::expr(value));
        let after = new_values[j]
            .clone()
            .unwrap_or_else(|| normalize::expr(new_value));
        if before != after {
            let how = if normalize::expr(value) == normalize::expr(new_value) {
                format!(
                    "changed from `{before}` to `{after}` (through `{}`)",
                    normalize::one_line(value)
                )
            } else {
                format!(
                    "changed from `{}` to `{}`",
                    normalize::one_line(value),
                    normalize::one_line(new_value)
                )
            };
            out.push(Change::new(
                ChangeKind::ValueChanged,
                &member,
                format!("the value of enum member `{member}` {how}"),
                &new_item.location,
            ));
        }
    }
    for (name, _) in &new.enum_members {
        if !old_index.contains_key(name.as_str()) {
            out.push(Change::new(
                ChangeKind::EnumMemberAdded,
                &format!("{path}.{name}"),
                format!("enum `{path}` has a new member `{name}`"),
                &new_item.location,
            ));
        }
    }
    names
}

fn compare_members(
    ctx: &Ctx<'_>,
    path: &str,
    old: &Class,
    new: &Class,
    fields: &Fields,
    enum_names: &BTreeSet<String>,
    out: &mut Vec<Change>,
) {
    let typed_dict = |c: &Class| c.flavor == ClassFlavor::TypedDict;
    for (name, o) in &old.members {
        if enum_names.contains(name) {
            continue;
        }
        let member = format!("{path}.{name}");
        match new.members.get(name) {
            None => {
                if fields.old.contains(name) && !fields.new.contains(name) {
                    continue;
                }
                if typed_dict(old) && typed_dict(new) {
                    out.push(Change::new(
                        ChangeKind::AnnotationChanged,
                        &member,
                        format!("TypedDict `{path}` lost the key `{name}`"),
                        &o.location,
                    ));
                } else {
                    out.push(Change::new(
                        ChangeKind::MemberRemoved,
                        &member,
                        format!("`{member}` was removed"),
                        &o.location,
                    ));
                }
            }
            Some(n) => {
                if fields.old.contains(name)
                    && fields.new.contains(name)
                    && matches!(
                        (&o.kind, &n.kind),
                        (ItemKind::Variable(_), ItemKind::Variable(_))
                    )
                {
                    // The constructor compared the field's default and annotation.
                    continue;
                }
                if typed_dict(old) && typed_dict(new) {
                    if let (ItemKind::Variable(a), ItemKind::Variable(b)) = (&o.kind, &n.kind)
                        && !normalize::same_annotation(
                            a.annotation.as_deref(),
                            b.annotation.as_deref(),
                        )
                    {
                        out.push(
                            Change::new(
                                ChangeKind::AnnotationChanged,
                                &member,
                                format!(
                                    "the type of key `{name}` of TypedDict `{path}` changed from {} to {}",
                                    normalize::show(a.annotation.as_deref()),
                                    normalize::show(b.annotation.as_deref())
                                ),
                                &n.location,
                            )
                            .with_shapes(&o.render(), &n.render()),
                        );
                    }
                    continue;
                }
                if let (ItemKind::Function(a), ItemKind::Function(b)) = (&o.kind, &n.kind)
                    && !a.is_abstract
                    && b.is_abstract
                {
                    out.push(Change::new(
                        ChangeKind::AbstractMethodAdded,
                        &member,
                        format!("`{member}` is now abstract: subclasses must implement it"),
                        &n.location,
                    ));
                }
                compare_members_of_kind(ctx, &member, o, n, out);
            }
        }
    }
    for (name, n) in &new.members {
        if enum_names.contains(name) || old.members.contains_key(name) {
            continue;
        }
        if fields.new.contains(name) && !fields.old.contains(name) {
            continue;
        }
        let member = format!("{path}.{name}");
        let (kind, message) = if typed_dict(old) && typed_dict(new) {
            (
                ChangeKind::AnnotationChanged,
                format!("TypedDict `{path}` has a new key `{name}`"),
            )
        } else if new.flavor == ClassFlavor::Protocol {
            (
                ChangeKind::ProtocolMemberAdded,
                format!(
                    "Protocol `{path}` has a new member `{name}`: existing implementations no longer conform"
                ),
            )
        } else if matches!(&n.kind, ItemKind::Function(f) if f.is_abstract) {
            (
                ChangeKind::AbstractMethodAdded,
                format!("`{member}` is a new abstract method: subclasses must implement it"),
            )
        } else {
            (ChangeKind::MemberAdded, format!("`{member}` was added"))
        };
        out.push(Change::new(kind, &member, message, &n.location));
    }
}

/// A member kept: the shared comparison, in class scope.
fn compare_members_of_kind(
    ctx: &Ctx<'_>,
    member: &str,
    old: &Item,
    new: &Item,
    out: &mut Vec<Change>,
) {
    // A read-only property that became a plain attribute still reads the same; the attribute
    // only adds assignment. The reverse can take assignment away (no setter): a kind change.
    if let (ItemKind::Function(f), ItemKind::Variable(v)) = (&old.kind, &new.kind)
        && f.binding == crate::api::Binding::Property
    {
        if !normalize::same_annotation(f.signature.returns.as_deref(), v.annotation.as_deref()) {
            out.push(
                Change::new(
                    ChangeKind::AnnotationChanged,
                    member,
                    format!(
                        "property `{member}` became an attribute, and its type changed from {} to {}",
                        normalize::show(f.signature.returns.as_deref()),
                        normalize::show(v.annotation.as_deref())
                    ),
                    &new.location,
                )
                .with_shapes(&old.render(), &new.render()),
            );
        }
        return;
    }
    // An attribute that became a property with a setter (Django 5.0's `Field.choices`) still
    // reads and assigns the same: only its type can have changed.
    if let (ItemKind::Variable(v), ItemKind::Function(f)) = (&old.kind, &new.kind)
        && f.binding == crate::api::Binding::Property
        && f.settable
    {
        // An unannotated attribute gaining a return annotation only says more.
        if v.annotation.is_some()
            && !normalize::same_annotation(v.annotation.as_deref(), f.signature.returns.as_deref())
        {
            out.push(
                Change::new(
                    ChangeKind::AnnotationChanged,
                    member,
                    format!(
                        "attribute `{member}` became a property, and its type changed from {} to {}",
                        normalize::show(v.annotation.as_deref()),
                        normalize::show(f.signature.returns.as_deref())
                    ),
                    &new.location,
                )
                .with_shapes(&old.render(), &new.render()),
            );
        }
        return;
    }
    compare_items(ctx, member, old, new, Scope::Class, out);
}

/// A base without its type arguments, canonical: `Mapping[str, int]` is `Mapping`.
fn base_id(base: &str) -> String {
    let canonical = normalize::expr(base);
    match canonical.find('[') {
        Some(i) => canonical[..i].to_owned(),
        None => canonical,
    }
}

/// Bases that say how the class is typed, not what it is at runtime.
fn is_typing_marker(base: &str) -> bool {
    let id = base_id(base);
    matches!(last_part(&id), "Generic" | "object")
}

/// Modules whose names are the same object however they are imported.
const TYPING_FAMILY: &[&str] = &[
    "typing",
    "typing_extensions",
    "t",
    "abc",
    "enum",
    "collections.abc",
    "builtins",
];

/// Whether two base ids name the same class written differently (`NamedTuple` and
/// `typing.NamedTuple`).
fn same_base(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if last_part(a) != last_part(b) {
        return false;
    }
    let prefix = |s: &str| s.rsplit_once('.').map(|(p, _)| p.to_owned());
    match (prefix(a), prefix(b)) {
        (None, _) | (_, None) => true,
        (Some(x), Some(y)) => {
            TYPING_FAMILY.contains(&x.as_str()) && TYPING_FAMILY.contains(&y.as_str())
        }
    }
}

/// Well-known standard library subclass relations: (class, its base).
const STDLIB_BASES: &[(&str, &str)] = &[
    ("Exception", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("SystemExit", "BaseException"),
    ("GeneratorExit", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("AssertionError", "Exception"),
    ("AttributeError", "Exception"),
    ("BufferError", "Exception"),
    ("EOFError", "Exception"),
    ("ImportError", "Exception"),
    ("LookupError", "Exception"),
    ("MemoryError", "Exception"),
    ("NameError", "Exception"),
    ("OSError", "Exception"),
    ("ReferenceError", "Exception"),
    ("RuntimeError", "Exception"),
    ("StopIteration", "Exception"),
    ("SyntaxError", "Exception"),
    ("SystemError", "Exception"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("Warning", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("FloatingPointError", "ArithmeticError"),
    ("ModuleNotFoundError", "ImportError"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("UnboundLocalError", "NameError"),
    ("ConnectionError", "OSError"),
    ("FileExistsError", "OSError"),
    ("FileNotFoundError", "OSError"),
    ("IsADirectoryError", "OSError"),
    ("NotADirectoryError", "OSError"),
    ("PermissionError", "OSError"),
    ("TimeoutError", "OSError"),
    ("BlockingIOError", "OSError"),
    ("ChildProcessError", "OSError"),
    ("InterruptedError", "OSError"),
    ("ProcessLookupError", "OSError"),
    ("BrokenPipeError", "ConnectionError"),
    ("ConnectionAbortedError", "ConnectionError"),
    ("ConnectionRefusedError", "ConnectionError"),
    ("ConnectionResetError", "ConnectionError"),
    ("NotImplementedError", "RuntimeError"),
    ("RecursionError", "RuntimeError"),
    ("UnicodeError", "ValueError"),
    ("UnicodeDecodeError", "UnicodeError"),
    ("UnicodeEncodeError", "UnicodeError"),
    ("UserWarning", "Warning"),
    ("DeprecationWarning", "Warning"),
    ("PendingDeprecationWarning", "Warning"),
    ("RuntimeWarning", "Warning"),
    ("FutureWarning", "Warning"),
    ("SyntaxWarning", "Warning"),
    ("ImportWarning", "Warning"),
    ("UnicodeWarning", "Warning"),
    ("BytesWarning", "Warning"),
    ("ResourceWarning", "Warning"),
    ("IntEnum", "Enum"),
    ("IntEnum", "int"),
    ("StrEnum", "Enum"),
    ("StrEnum", "str"),
    ("Flag", "Enum"),
    ("IntFlag", "Flag"),
    ("IntFlag", "int"),
    ("OrderedDict", "dict"),
    ("defaultdict", "dict"),
    ("Counter", "dict"),
    ("bool", "int"),
];

/// Every class `base` derives from, as base ids (package classes by origin, standard library
/// classes by name), read from the package's classes and [`STDLIB_BASES`].
fn ancestors(ctx: &Ctx<'_>, base: &str, new_side: bool) -> BTreeSet<String> {
    let classes = ctx.classes(new_side);
    let mut seen = BTreeSet::new();
    let mut todo = vec![base_id(base)];
    while let Some(id) = todo.pop() {
        if let Some(class) = classes.get(&id) {
            for b in &class.bases {
                let bid = base_id(b);
                if seen.insert(bid.clone()) {
                    todo.push(bid);
                }
            }
        } else {
            for (child, parent) in STDLIB_BASES {
                if *child == last_part(&id) && seen.insert((*parent).to_owned()) {
                    todo.push((*parent).to_owned());
                }
            }
        }
    }
    seen
}

/// A base is private when a part of its dotted name starts with `_` and the package does not
/// export it under a public path (a re-exported `mypkg._errors.Error` is public).
fn is_private_base(ctx: &Ctx<'_>, base: &str) -> bool {
    let id = base_id(base);
    is_private_dotted(&id) && ctx.public_class_path(&id).is_none()
}

/// How a base shows in messages: its public path when the package exports it.
fn show_base(ctx: &Ctx<'_>, base: &str) -> String {
    ctx.public_class_path(&base_id(base))
        .map(str::to_owned)
        .unwrap_or_else(|| normalize::one_line(base))
}

fn compare_bases(
    ctx: &Ctx<'_>,
    path: &str,
    old_item: &Item,
    new_item: &Item,
    old: &Class,
    new: &Class,
    out: &mut Vec<Change>,
) {
    let loc = &new_item.location;
    let shapes = |c: Change| c.with_shapes(&old_item.render(), &new_item.render());
    // `Generic[T]` only declares type parameters (PEP 695 `class C[T]` declares them without
    // it): a change there is a typing change.
    let generic = |c: &Class| -> Vec<String> {
        c.bases
            .iter()
            .filter(|b| last_part(&base_id(b)) == "Generic")
            .map(|b| normalize::expr(b))
            .collect()
    };
    if old.bases != new.bases && generic(old) != generic(new) {
        out.push(shapes(Change::new(
            ChangeKind::AnnotationChanged,
            path,
            format!("the type parameters of `{path}` changed"),
            loc,
        )));
    }
    let real = |c: &Class| -> Vec<String> {
        c.bases
            .iter()
            .filter(|b| !is_typing_marker(b))
            .cloned()
            .collect()
    };
    // A base that moved (with this class or without it) is the same base at its new path:
    // compare old bases at their new origins (issue 8).
    let mut removed: Vec<String> = real(old);
    let mut added: Vec<String> = Vec::new();
    let type_args = |b: &str| -> String {
        let b = normalize::expr(b);
        b.find('[').map(|i| b[i..].to_owned()).unwrap_or_default()
    };
    for b in real(new) {
        let id = base_id(&b);
        if let Some(pos) = removed
            .iter()
            .position(|a| same_base(ctx.same_origin_now(&base_id(a)), &id))
        {
            let a = removed.remove(pos);
            let moved = ctx.same_origin_now(&base_id(&a)) != base_id(&a);
            let changed = if moved {
                type_args(&a) != type_args(&b)
            } else {
                normalize::expr(&a) != normalize::expr(&b) && (a.contains('[') || b.contains('['))
            };
            if changed {
                out.push(shapes(Change::new(
                    ChangeKind::AnnotationChanged,
                    path,
                    format!(
                        "base `{}` of `{path}` is now `{}`",
                        normalize::one_line(&a),
                        normalize::one_line(&b)
                    ),
                    loc,
                )));
            }
        } else {
            added.push(b);
        }
    }
    // A removed base that a new base derives from is still a base: `isinstance` holds.
    let mut covering: BTreeMap<usize, String> = BTreeMap::new();
    removed.retain(|r| {
        let rid = base_id(r);
        let rid = ctx.same_origin_now(&rid);
        let found = added.iter().position(|a| {
            let anc = ancestors(ctx, a, true);
            anc.contains(rid) || anc.contains(last_part(rid))
        });
        match found {
            Some(i) => {
                covering.insert(i, show_base(ctx, r));
                false
            }
            None => true,
        }
    });
    let mut swapped: BTreeSet<usize> = BTreeSet::new();
    for r in &removed {
        if is_private_base(ctx, r) {
            let replacement = added
                .iter()
                .enumerate()
                .find(|(i, a)| is_private_base(ctx, a) && !swapped.contains(i));
            let how = match replacement {
                Some((i, a)) => {
                    swapped.insert(i);
                    format!("was replaced by `{}`", normalize::one_line(a))
                }
                None => "was removed".to_owned(),
            };
            out.push(shapes(Change::new(
                ChangeKind::PrivateBaseChanged,
                path,
                format!(
                    "private base `{}` of `{path}` {how}; the public members it gave are compared on their own",
                    normalize::one_line(r)
                ),
                loc,
            )));
        } else {
            let replacement = added.iter().enumerate().find(|(i, a)| {
                !is_private_base(ctx, a) && !swapped.contains(i) && !covering.contains_key(i)
            });
            let how = match replacement {
                Some((i, a)) => {
                    swapped.insert(i);
                    format!("; it now derives from `{}`", show_base(ctx, a))
                }
                None => String::new(),
            };
            out.push(shapes(Change::new(
                ChangeKind::BaseRemoved,
                path,
                format!(
                    "`{path}` no longer derives from `{}`{how}",
                    show_base(ctx, r)
                ),
                loc,
            )));
        }
    }
    for (i, a) in added.iter().enumerate() {
        if swapped.contains(&i) || (is_private_base(ctx, a) && !covering.contains_key(&i)) {
            continue;
        }
        let note = covering
            .get(&i)
            .map(|r| format!(", which derives from `{r}`"))
            .unwrap_or_default();
        out.push(shapes(Change::new(
            ChangeKind::BaseAdded,
            path,
            format!("`{path}` now derives from `{}`{note}", show_base(ctx, a)),
            loc,
        )));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::{Rules, diff};
    use crate::api::{Binding, ClassFlavor, Item};

    fn ck(old: Item, new: Item) -> Vec<&'static str> {
        let mut k = diff_kinds(vec![old], vec![new]);
        k.sort_unstable();
        k
    }

    #[test]
    fn removed_class_hides_its_members() {
        let c = class("C", vec![method("m", "self"), var("x", None, Some("1"))]);
        assert_eq!(diff_kinds(vec![c], vec![]), ["name-removed"]);
    }

    #[test]
    fn member_removed_and_added() {
        let changes = diff_items(
            vec![class("Client", vec![method("close", "self")])],
            vec![class("Client", vec![method("open", "self")])],
        );
        assert_eq!(kinds(&changes), ["member-removed", "member-added"]);
        assert_eq!(changes[0].message, "`mypkg.Client.close` was removed");
        assert_eq!(changes[1].path, "mypkg.Client.open");
    }

    #[test]
    fn attributes_compare_as_variables() {
        assert_eq!(
            ck(
                class("C", vec![var("x", Some("int"), Some("1"))]),
                class("C", vec![var("x", Some("str"), Some("'a'"))])
            ),
            ["annotation-changed", "value-changed"]
        );
    }

    #[test]
    fn nested_classes_compare_recursively() {
        let changes = diff_items(
            vec![class(
                "C",
                vec![class("Inner", vec![method("m", "self, a")])],
            )],
            vec![class("C", vec![class("Inner", vec![method("m", "self")])])],
        );
        assert_eq!(kinds(&changes), ["parameter-removed"]);
        assert_eq!(changes[0].path, "mypkg.C.Inner.m");
    }

    #[test]
    fn constructor_is_a_signature() {
        let changes = diff_items(
            vec![class("Point", vec![]).ctor("x, y")],
            vec![class("Point", vec![]).ctor("x, y, z")],
        );
        assert_eq!(kinds(&changes), ["parameter-added-required"]);
        assert_eq!(
            changes[0].message,
            "the constructor of `mypkg.Point` has a new required parameter `z`"
        );
        assert_eq!(changes[0].before.as_deref(), Some("Point(x, y)"));
        assert_eq!(changes[0].after.as_deref(), Some("Point(x, y, z)"));
        // No `__init__` and no bases: `Point()`.
        assert_eq!(
            ck(class("Point", vec![]), class("Point", vec![]).ctor("x")),
            ["parameter-added-required"]
        );
        // Inherited from outside the package: unknown, not compared.
        assert!(
            ck(
                class("E", vec![]).bases(&["Exception"]).ctor("msg"),
                class("E", vec![]).bases(&["Exception"])
            )
            .is_empty()
        );
    }

    #[test]
    fn dataclass_fields_are_reported_once_as_fields() {
        let old = class("Point", vec![var("x", Some("int"), None)])
            .flavor(ClassFlavor::Dataclass)
            .ctor("x: int");
        let new = class(
            "Point",
            vec![var("x", Some("int"), None), var("y", Some("int"), None)],
        )
        .flavor(ClassFlavor::Dataclass)
        .ctor("x: int, y: int");
        let changes = diff_items(vec![old.clone()], vec![new]);
        assert_eq!(kinds(&changes), ["parameter-added-required"]);
        assert_eq!(
            changes[0].message,
            "`mypkg.Point` has a new required field `y`"
        );
        let with_default = class(
            "Point",
            vec![
                var("x", Some("int"), None),
                var("y", Some("int"), Some("0")),
            ],
        )
        .flavor(ClassFlavor::Dataclass)
        .ctor("x: int, y: int = 0");
        assert_eq!(
            ck(old.clone(), with_default.clone()),
            ["parameter-added-optional"]
        );
        let changed_default = with_default.clone().class_edit(|c| {
            c.constructor = Some(sig("x: int, y: int = 1"));
            c.members
                .insert("y".into(), var("y", Some("int"), Some("1")).into());
        });
        assert_eq!(ck(with_default, changed_default), ["default-changed"]);
        let reordered = class(
            "Point",
            vec![var("x", Some("int"), None), var("y", Some("int"), None)],
        )
        .flavor(ClassFlavor::Dataclass)
        .ctor("y: int, x: int");
        let ordered = reordered.clone().ctor("x: int, y: int");
        assert_eq!(ck(ordered, reordered), ["parameters-reordered"]);
        assert_eq!(
            ck(
                old,
                class("Point", vec![])
                    .flavor(ClassFlavor::Dataclass)
                    .ctor("")
            ),
            ["parameter-removed"]
        );
    }

    #[test]
    fn frozen_and_slots() {
        let dc = class("P", vec![]).flavor(ClassFlavor::Dataclass).ctor("");
        assert_eq!(ck(dc.clone(), dc.clone().frozen()), ["class-frozen"]);
        assert_eq!(ck(dc.clone().frozen(), dc.clone()), ["class-unfrozen"]);
        assert_eq!(ck(dc.clone(), dc.clone().slots()), ["slots-added"]);
        assert!(ck(dc.clone().slots(), dc).is_empty());
    }

    #[test]
    fn enum_members() {
        let e = |members: &[(&str, &str)]| {
            class("Color", vec![])
                .flavor(ClassFlavor::Enum)
                .bases(&["enum.Enum"])
                .enum_members(members)
        };
        assert_eq!(
            ck(e(&[("RED", "1"), ("GREEN", "2")]), e(&[("RED", "1")])),
            ["enum-member-removed"]
        );
        assert_eq!(
            ck(e(&[("RED", "1")]), e(&[("RED", "1"), ("GREEN", "2")])),
            ["enum-member-added"]
        );
        let changes = diff_items(vec![e(&[("RED", "1")])], vec![e(&[("RED", "'red'")])]);
        assert_eq!(kinds(&changes), ["value-changed"]);
        assert_eq!(changes[0].path, "mypkg.Color.RED");
        // Inserting before `auto()` members moves their values.
        let changes = diff_items(
            vec![e(&[("RED", "auto()"), ("BLUE", "auto()")])],
            vec![e(&[
                ("RED", "auto()"),
                ("GREEN", "auto()"),
                ("BLUE", "auto()"),
            ])],
        );
        assert_eq!(kinds(&changes), ["enum-member-added", "value-changed"]);
        assert!(
            changes[1].message.contains("from `2` to `3`"),
            "{}",
            changes[1].message
        );
        // Appending does not.
        assert_eq!(
            ck(
                e(&[("RED", "auto()")]),
                e(&[("RED", "auto()"), ("BLUE", "auto()")])
            ),
            ["enum-member-added"]
        );
        // Enum members listed as attributes too are reported once.
        let with_attr = e(&[("RED", "1")]).class_edit(|c| {
            c.members
                .insert("RED".into(), var("RED", None, Some("1")).into());
        });
        assert_eq!(ck(with_attr, e(&[])), ["enum-member-removed"]);
    }

    #[test]
    fn flag_auto_doubles_and_huge_values_do_not_overflow() {
        let e = |members: &[(&str, &str)]| {
            class("F", vec![])
                .flavor(ClassFlavor::Enum)
                .bases(&["enum.Flag"])
                .enum_members(members)
        };
        let changes = diff_items(
            vec![e(&[("A", "auto()"), ("C", "auto()")])],
            vec![e(&[("A", "auto()"), ("B", "auto()"), ("C", "auto()")])],
        );
        assert!(
            changes[1].message.contains("from `2` to `4`"),
            "{changes:#?}"
        );
        let max = i128::MAX.to_string();
        assert_eq!(
            ck(
                e(&[("A", &max), ("B", "auto()")]),
                e(&[("A", &max), ("B", "auto()")])
            ),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn str_enum_auto_uses_the_name() {
        let e = |members: &[(&str, &str)]| {
            class("Mode", vec![])
                .flavor(ClassFlavor::Enum)
                .bases(&["StrEnum"])
                .enum_members(members)
        };
        assert_eq!(
            ck(
                e(&[("A", "auto()"), ("B", "auto()")]),
                e(&[("Z", "auto()"), ("A", "auto()"), ("B", "auto()")])
            ),
            ["enum-member-added"]
        );
    }

    #[test]
    fn abstract_method_added() {
        let base = |members| {
            class("Base", members)
                .flavor(ClassFlavor::Abc)
                .bases(&["abc.ABC"])
        };
        assert_eq!(
            ck(base(vec![]), base(vec![method("run", "self").abstract_()])),
            ["abstract-method-added"]
        );
        assert_eq!(
            ck(
                base(vec![method("run", "self")]),
                base(vec![method("run", "self").abstract_()])
            ),
            ["abstract-method-added"]
        );
        assert!(
            ck(
                base(vec![method("run", "self").abstract_()]),
                base(vec![method("run", "self")])
            )
            .is_empty()
        );
    }

    #[test]
    fn protocol_member_added() {
        let p = |members| {
            class("P", members)
                .flavor(ClassFlavor::Protocol)
                .bases(&["Protocol"])
        };
        assert_eq!(
            ck(p(vec![]), p(vec![method("close", "self")])),
            ["protocol-member-added"]
        );
    }

    #[test]
    fn typed_dict_keys_are_annotations() {
        let td = |members| {
            class("Movie", members)
                .flavor(ClassFlavor::TypedDict)
                .bases(&["TypedDict"])
                .ctor("*, name: str")
        };
        assert_eq!(
            ck(
                td(vec![var("name", Some("str"), None)]),
                td(vec![
                    var("name", Some("str"), None),
                    var("year", Some("int"), None)
                ])
            ),
            ["annotation-changed"]
        );
        assert_eq!(
            ck(td(vec![var("name", Some("str"), None)]), td(vec![])),
            ["annotation-changed"]
        );
        assert_eq!(
            ck(
                td(vec![var("name", Some("str"), None)]),
                td(vec![var("name", Some("bytes"), None)])
            ),
            ["annotation-changed"]
        );
    }

    #[test]
    fn bases() {
        let c = |bases: &[&str]| class("C", vec![]).bases(bases);
        assert_eq!(ck(c(&["Base"]), c(&[])), ["base-removed"]);
        let changes = diff_items(vec![c(&["Base"])], vec![c(&["Other"])]);
        assert_eq!(kinds(&changes), ["base-removed"]);
        assert_eq!(
            changes[0].message,
            "`mypkg.C` no longer derives from `Base`; it now derives from `Other`"
        );
        assert_eq!(ck(c(&[]), c(&["Mixin"])), ["base-added"]);
        assert!(ck(c(&["object"]), c(&[])).is_empty());
        assert!(ck(c(&["typing.NamedTuple"]), c(&["NamedTuple"])).is_empty());
        assert_eq!(ck(c(&["a.Base"]), c(&["b.Base"])), ["base-removed"]);
        assert_eq!(
            ck(c(&["list[int]"]), c(&["list[str]"])),
            ["annotation-changed"]
        );
        assert_eq!(ck(c(&["Generic[T]"]), c(&[])), ["annotation-changed"]);
    }

    #[test]
    fn a_base_swapped_for_its_subclass_is_an_addition() {
        let c = |bases: &[&str]| class("E", vec![]).bases(bases).ctor("msg");
        let changes = diff_items(vec![c(&["Exception"])], vec![c(&["ValueError"])]);
        assert_eq!(kinds(&changes), ["base-added"]);
        assert_eq!(
            changes[0].message,
            "`mypkg.E` now derives from `ValueError`, which derives from `Exception`"
        );
        assert_eq!(ck(c(&["enum.Enum"]), c(&["enum.IntEnum"])), ["base-added"]);
        assert_eq!(ck(c(&["ValueError"]), c(&["Exception"])), ["base-removed"]);
    }

    #[test]
    fn package_bases_are_walked() {
        let base = class("Base", vec![]).origin("mypkg._base.Base");
        let mid = class("Mid", vec![]).bases(&["mypkg._base.Base"]);
        let old = surface(vec![module(
            "mypkg",
            vec![
                base.clone(),
                mid.clone(),
                class("C", vec![]).bases(&["mypkg._base.Base"]),
            ],
        )]);
        let new = surface(vec![module(
            "mypkg",
            vec![base, mid, class("C", vec![]).bases(&["mypkg.Mid"])],
        )]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(kinds(&changes), ["base-added"], "{changes:#?}");
        assert!(
            changes[0]
                .message
                .contains("which derives from `mypkg.Base`")
        );
    }

    #[test]
    fn private_base_changed() {
        let c = |bases: &[&str]| class("C", vec![method("m", "self")]).bases(bases);
        let changes = diff_items(
            vec![c(&["mypkg._impl._Base"])],
            vec![c(&["mypkg._impl._Other"])],
        );
        assert_eq!(kinds(&changes), ["private-base-changed"]);
        assert!(
            changes[0]
                .message
                .contains("was replaced by `mypkg._impl._Other`")
        );
        assert_eq!(ck(c(&["_Base"]), c(&[])), ["private-base-changed"]);
        // Members that went with the base are reported themselves.
        assert_eq!(
            ck(c(&["_Base"]), class("C", vec![]).bases(&[])),
            ["member-removed", "private-base-changed"]
        );
        // A private module's class that the package exports is a public base.
        let err = class("Error", vec![]).origin("mypkg._errors.Error");
        let old = surface(vec![module(
            "mypkg",
            vec![
                err.clone(),
                class("Sub", vec![]).bases(&["mypkg._errors.Error"]),
            ],
        )]);
        let new = surface(vec![module("mypkg", vec![err, class("Sub", vec![])])]);
        let changes = diff(&old, &new, &Rules::new());
        assert_eq!(kinds(&changes), ["base-removed"]);
        assert_eq!(
            changes[0].message,
            "`mypkg.Sub` no longer derives from `mypkg.Error`"
        );
    }

    #[test]
    fn property_and_attribute() {
        assert!(
            ck(
                class("C", vec![prop("x", Some("int"))]),
                class("C", vec![var("x", Some("int"), None)])
            )
            .is_empty()
        );
        assert_eq!(
            ck(
                class("C", vec![var("x", Some("int"), None)]),
                class("C", vec![prop("x", Some("int"))])
            ),
            ["kind-changed"]
        );
        assert_eq!(
            ck(
                class("C", vec![method("x", "self")]),
                class("C", vec![var("x", None, Some("None"))])
            ),
            ["kind-changed"]
        );
    }

    #[test]
    fn member_deprecated() {
        assert_eq!(
            ck(
                class("C", vec![method("m", "self")]),
                class("C", vec![method("m", "self").deprecated()])
            ),
            ["name-deprecated"]
        );
    }

    #[test]
    fn classmethod_member_in_protocol_and_binding_words() {
        assert_eq!(
            ck(
                class("C", vec![bound("make", Binding::ClassMethod, "cls")]),
                class("C", vec![])
            ),
            ["member-removed"]
        );
    }
}
