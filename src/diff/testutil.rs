//! Builders for surfaces in unit tests: detectors are tested on surfaces written in Rust, so they
//! never depend on the extractor.
//!
//! Signatures are written as Python parameter lists: `sig("a, b=1, /, c: int = 2, *args, d, **kw
//! -> int")`. The module builder fills each item's `origin` with its own path unless one was set.

use std::collections::BTreeMap;

use crate::api::{
    Binding, Class, ClassFlavor, Function, Item, ItemKind, Location, Module, Param, ParamKind,
    Signature, Surface, Variable,
};

use super::{Change, Rules, diff};

/// A signature from a Python parameter list, with an optional `-> returns`.
pub fn sig(text: &str) -> Signature {
    let (params_text, returns) = match split_top(text, "->") {
        Some((p, r)) => (p, Some(r.trim().to_owned())),
        None => (text, None),
    };
    let mut params = Vec::new();
    let parts = split_commas(params_text);
    let has_slash = parts.iter().any(|p| p.trim() == "/");
    let mut kind = if has_slash {
        ParamKind::PositionalOnly
    } else {
        ParamKind::PositionalOrKeyword
    };
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if part == "/" {
            kind = ParamKind::PositionalOrKeyword;
            continue;
        }
        if part == "*" {
            kind = ParamKind::KeywordOnly;
            continue;
        }
        let (this_kind, rest) = if let Some(r) = part.strip_prefix("**") {
            (ParamKind::VarKeyword, r)
        } else if let Some(r) = part.strip_prefix('*') {
            kind = ParamKind::KeywordOnly;
            (ParamKind::VarPositional, r)
        } else {
            (kind, part)
        };
        let (head, default) = match split_top(rest, "=") {
            Some((h, d)) => (h, Some(d.trim().to_owned())),
            None => (rest, None),
        };
        let (name, annotation) = match head.split_once(':') {
            Some((n, a)) => (n.trim(), Some(a.trim().to_owned())),
            None => (head.trim(), None),
        };
        params.push(Param {
            name: name.to_owned(),
            kind: this_kind,
            default,
            annotation,
        });
    }
    Signature {
        params,
        returns,
        ..Signature::default()
    }
}

/// Splits at the first `sep` outside brackets.
fn split_top<'t>(text: &'t str, sep: &str) -> Option<(&'t str, &'t str)> {
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ if depth == 0 && text[i..].starts_with(sep) => {
                return Some((&text[..i], &text[i + sep.len()..]));
            }
            _ => {}
        }
    }
    None
}

fn split_commas(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

fn item(name: &str, kind: ItemKind) -> Item {
    Item {
        name: name.to_owned(),
        kind,
        location: Location {
            file: "src/mypkg/__init__.py".to_owned(),
            line: 1,
        },
        origin: String::new(),
        deprecated: false,
    }
}

/// A module-level function (or instance method, inside a class).
pub fn func(name: &str, params: &str) -> Item {
    item(
        name,
        ItemKind::Function(Function {
            signature: sig(params),
            ..Function::default()
        }),
    )
}

/// An instance method; `params` includes `self`.
pub fn method(name: &str, params: &str) -> Item {
    func(name, params)
}

/// A method with the given binding; `params` includes `cls` for a classmethod.
pub fn bound(name: &str, binding: Binding, params: &str) -> Item {
    let mut i = func(name, params);
    if let ItemKind::Function(f) = &mut i.kind {
        f.binding = binding;
    }
    i
}

/// A property returning `returns`.
pub fn prop(name: &str, returns: Option<&str>) -> Item {
    let mut i = func(name, "self");
    if let ItemKind::Function(f) = &mut i.kind {
        f.binding = Binding::Property;
        f.signature.returns = returns.map(str::to_owned);
    }
    i
}

/// A variable with an optional annotation and value.
pub fn var(name: &str, annotation: Option<&str>, value: Option<&str>) -> Item {
    item(
        name,
        ItemKind::Variable(Variable {
            annotation: annotation.map(str::to_owned),
            value: value.map(str::to_owned),
            call: None,
        }),
    )
}

/// A variable holding an instance of a package class whose `__call__` takes `params` (without
/// `self`).
pub fn instance(name: &str, value: &str, params: &str) -> Item {
    let mut i = var(name, None, Some(value));
    if let ItemKind::Variable(v) = &mut i.kind {
        v.call = Some(Box::new(Function {
            signature: sig(params),
            ..Function::default()
        }));
    }
    i
}

/// A class with members; change its shape with [`ItemExt`].
pub fn class(name: &str, members: Vec<Item>) -> Item {
    item(
        name,
        ItemKind::Class(std::sync::Arc::new(Class {
            members: members
                .into_iter()
                .map(|m| (m.name.clone(), std::sync::Arc::new(m)))
                .collect(),
            ..Class::default()
        })),
    )
}

/// A name served by the module's `__getattr__`.
pub fn shim(name: &str, warns: bool) -> Item {
    item(name, ItemKind::Shim { warns })
}

/// A submodule bound as a name.
pub fn submodule(name: &str, target: &str) -> Item {
    item(
        name,
        ItemKind::Module {
            target: target.to_owned(),
        },
    )
}

/// A name re-exported from outside the package.
pub fn external(name: &str, source: &str) -> Item {
    item(
        name,
        ItemKind::External {
            source: source.to_owned(),
        },
    )
}

/// Chained tweaks of test items.
pub trait ItemExt: Sized {
    fn with(self, edit: impl FnOnce(&mut Item)) -> Self;

    fn origin(self, origin: &str) -> Self {
        self.with(|i| i.origin = origin.to_owned())
    }
    fn deprecated(self) -> Self {
        self.with(|i| i.deprecated = true)
    }
    fn function(self, edit: impl FnOnce(&mut Function)) -> Self {
        self.with(|i| {
            if let ItemKind::Function(f) = &mut i.kind {
                edit(f)
            }
        })
    }
    fn class_edit(self, edit: impl FnOnce(&mut Class)) -> Self {
        self.with(|i| {
            if let ItemKind::Class(c) = &mut i.kind {
                edit(std::sync::Arc::make_mut(c))
            }
        })
    }
    fn async_(self) -> Self {
        self.function(|f| f.is_async = true)
    }
    fn generator(self) -> Self {
        self.function(|f| f.is_generator = true)
    }
    fn abstract_(self) -> Self {
        self.function(|f| f.is_abstract = true)
    }
    fn overloads(self, sigs: &[&str]) -> Self {
        self.function(|f| f.overloads = sigs.iter().map(|s| sig(s)).collect())
    }
    fn flavor(self, flavor: ClassFlavor) -> Self {
        self.class_edit(|c| c.flavor = flavor)
    }
    fn bases(self, bases: &[&str]) -> Self {
        self.class_edit(|c| c.bases = bases.iter().map(|b| (*b).to_owned()).collect())
    }
    fn ctor(self, params: &str) -> Self {
        self.class_edit(|c| c.constructor = Some(sig(params)))
    }
    fn enum_members(self, members: &[(&str, &str)]) -> Self {
        self.class_edit(|c| {
            c.enum_members = members
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect()
        })
    }
    fn frozen(self) -> Self {
        self.class_edit(|c| c.frozen = true)
    }
    fn slots(self) -> Self {
        self.class_edit(|c| c.slots = true)
    }
}

impl ItemExt for Item {
    fn with(mut self, edit: impl FnOnce(&mut Item)) -> Self {
        edit(&mut self);
        self
    }
}

/// A module exporting `items` under their names; items without an origin get their path.
pub fn module(name: &str, items: Vec<Item>) -> Module {
    let file = format!("src/{}.py", name.replace('.', "/"));
    let exports: BTreeMap<String, Item> = items
        .into_iter()
        .map(|mut i| {
            if i.origin.is_empty() {
                i.origin = format!("{name}.{}", i.name);
            }
            if i.location.file == "src/mypkg/__init__.py" {
                i.location.file = file.clone();
            }
            (i.name.clone(), i)
        })
        .collect();
    Module {
        name: name.to_owned(),
        file,
        exports,
        forwards: None,
    }
}

/// A module whose exports use other names than the items' own (aliases): `(export, item)`.
pub fn module_aliased(name: &str, items: Vec<(&str, Item)>) -> Module {
    let mut m = module(name, Vec::new());
    for (export, mut i) in items {
        if i.origin.is_empty() {
            i.origin = format!("{name}.{}", i.name);
        }
        m.exports.insert(export.to_owned(), i);
    }
    m
}

/// A surface of package `mypkg` from modules.
pub fn surface(modules: Vec<Module>) -> Surface {
    Surface {
        package: "mypkg".to_owned(),
        modules: modules.into_iter().map(|m| (m.name.clone(), m)).collect(),
    }
}

/// The kind ids of changes, in order.
pub fn kinds(changes: &[Change]) -> Vec<&'static str> {
    changes.iter().map(|c| c.kind.id()).collect()
}

/// Diffs one module `mypkg` holding `old` against one holding `new`.
pub fn diff_items(old: Vec<Item>, new: Vec<Item>) -> Vec<Change> {
    let o = surface(vec![module("mypkg", old)]);
    let n = surface(vec![module("mypkg", new)]);
    diff(&o, &n, &Rules::new())
}

/// The kind ids from diffing two one-module surfaces.
pub fn diff_kinds(old: Vec<Item>, new: Vec<Item>) -> Vec<&'static str> {
    kinds(&diff_items(old, new))
}

/// The kind ids from diffing a function `f` with signature `old` against `new`.
pub fn sig_kinds(old: &str, new: &str) -> Vec<&'static str> {
    let mut k = diff_kinds(vec![func("f", old)], vec![func("f", new)]);
    k.sort_unstable();
    k
}

/// A surface with a bit of everything, for identity and determinism tests.
pub fn sample_surface() -> Surface {
    surface(vec![
        module(
            "mypkg",
            vec![
                func(
                    "connect",
                    "host: str, port: int = 80, *, timeout: float = 5.0 -> Conn",
                ),
                class(
                    "Client",
                    vec![
                        method("get", "self, url, **kw"),
                        prop("closed", Some("bool")),
                        var("retries", Some("int"), Some("3")),
                    ],
                )
                .ctor("base_url: str = ''"),
                class("Color", vec![])
                    .flavor(ClassFlavor::Enum)
                    .bases(&["enum.Enum"])
                    .enum_members(&[("RED", "1"), ("GREEN", "auto()")]),
                var("TIMEOUT", Some("int"), Some("30")),
                shim("old_name", true),
                submodule("extra", "mypkg.extra"),
            ],
        ),
        module("mypkg.extra", vec![func("helper", "x, /, y")]),
    ])
}

#[test]
fn sig_parses_every_kind() {
    let s = sig("a, b=1, /, c: int = 2, *args, d, e: str = 'x', **kw -> int");
    let got: Vec<(&str, ParamKind, Option<&str>, Option<&str>)> = s
        .params
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.kind,
                p.default.as_deref(),
                p.annotation.as_deref(),
            )
        })
        .collect();
    use ParamKind::*;
    assert_eq!(
        got,
        [
            ("a", PositionalOnly, None, None),
            ("b", PositionalOnly, Some("1"), None),
            ("c", PositionalOrKeyword, Some("2"), Some("int")),
            ("args", VarPositional, None, None),
            ("d", KeywordOnly, None, None),
            ("e", KeywordOnly, Some("'x'"), Some("str")),
            ("kw", VarKeyword, None, None),
        ]
    );
    assert_eq!(s.returns.as_deref(), Some("int"));
    assert_eq!(sig("").params, Vec::new());
}
