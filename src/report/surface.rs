//! The public surface as `bumpwise api` prints it: one object a line with its signature, sorted,
//! so that a team can commit the file and review API changes in ordinary diffs (as with
//! cargo-public-api).
//!
//! An object is listed at every public path it has: each path is a promise (API-RULES.md
//! section 2), so a re-export shows up as its own lines. Locations are left out on purpose: they
//! move with every edit and would drown the changes that matter.

use std::io::{self, Write};

use rayon::prelude::*;

use crate::api::{Class, Item, ItemKind, Location, Signature, Surface};

/// Writes the surface as sorted text, one object a line.
pub fn render_text(surface: &Surface, out: &mut dyn Write) -> io::Result<()> {
    // Modules are listed, and the lines sorted, on every core: Django's surface is a million
    // lines.
    let mut lines: Vec<Line> = surface
        .modules
        .par_iter()
        .flat_map_iter(|(name, module)| {
            let mut lines = vec![Line::new(name, 0, format!("module {name}"))];
            for (export, item) in &module.exports {
                collect(&format!("{name}.{export}"), item, &mut lines);
            }
            lines
        })
        .collect();
    // Sorting by path components keeps a class's members right under it, and a module's
    // contents right under its `module` line.
    lines.par_sort();
    lines.dedup();
    for line in lines {
        writeln!(out, "{}", line.text)?;
    }
    Ok(())
}

/// Writes the surface as pretty JSON (the [`Surface`] struct) with a trailing newline: the bytes
/// `serde_json::to_writer_pretty` writes, with the modules serialized on every core (Django's
/// surface is 95 MB of JSON).
pub fn render_json(surface: &Surface, out: &mut dyn Write) -> io::Result<()> {
    if surface.modules.is_empty() {
        serde_json::to_writer_pretty(&mut *out, surface)?;
        return writeln!(out);
    }
    let modules: Vec<io::Result<Vec<u8>>> = surface
        .modules
        .par_iter()
        .map(|(name, module)| {
            let body = serde_json::to_vec_pretty(module)?;
            // Each module sits two levels deep: four more spaces on every line after its first
            // (a newline inside a JSON string is written `\n`, so every raw one is layout).
            let mut entry = serde_json::to_vec(name)?;
            entry.extend_from_slice(b": ");
            entry.reserve(body.len() + body.len() / 8);
            for (i, line) in body.split(|&b| b == b'\n').enumerate() {
                if i > 0 {
                    entry.extend_from_slice(b"\n    ");
                }
                entry.extend_from_slice(line);
            }
            Ok(entry)
        })
        .collect();
    writeln!(out, "{{")?;
    write!(out, "  \"package\": ")?;
    serde_json::to_writer(&mut *out, &surface.package)?;
    writeln!(out, ",")?;
    writeln!(out, "  \"modules\": {{")?;
    let last = modules.len() - 1;
    for (i, entry) in modules.into_iter().enumerate() {
        out.write_all(b"    ")?;
        out.write_all(&entry?)?;
        writeln!(out, "{}", if i == last { "" } else { "," })?;
    }
    writeln!(out, "  }}")?;
    writeln!(out, "}}")
}

/// One output line, ordered by the path's components, then by rank (the object's own line, its
/// constructor, then its overloads or enum members in source order), then by text.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Line {
    path: Vec<String>,
    rank: usize,
    text: String,
}

impl Line {
    fn new(path: &str, rank: usize, text: String) -> Line {
        Line {
            path: path.split('.').map(str::to_owned).collect(),
            rank,
            text,
        }
    }
}

const CONSTRUCTOR: usize = 1;
/// Overloads and enum members, which keep their source order.
const ORDERED: usize = 2;

/// The lines of `item` reached at `path`, and of its members.
fn collect(path: &str, item: &Item, lines: &mut Vec<Line>) {
    let mut flags: Vec<&str> = Vec::new();
    if item.deprecated {
        flags.push("deprecated");
    }
    match &item.kind {
        ItemKind::Module { target } if target == path => {
            // `from . import sub` in `mypkg`: the module's own `module mypkg.sub` line says it.
            lines.push(Line::new(path, 0, format!("module {path}")));
            return;
        }
        ItemKind::Function(f) => {
            if f.is_abstract {
                flags.push("abstract");
            }
            if f.is_generator {
                flags.push("generator");
            }
            for (i, overload) in f.overloads.iter().enumerate() {
                let text = format!("@overload {}", shallow(item, path, Some(overload)));
                lines.push(Line::new(path, ORDERED + i, text));
            }
        }
        ItemKind::Class(c) => {
            class_flags(c, &mut flags);
            if let Some(ctor) = &c.constructor {
                // How the class is called: `__init__` without `self`, and without its `-> None`.
                let call = Signature {
                    params: ctor.params.clone(),
                    returns: None,
                    ..Signature::default()
                };
                lines.push(Line::new(
                    path,
                    CONSTRUCTOR,
                    format!("{path}{}", call.render()),
                ));
            }
            // Enum members stay in source order, right under the class: iteration order
            // (`list(Color)`) and auto values follow it.
            for (i, (name, value)) in c.enum_members.iter().enumerate() {
                let text = format!("{path}.{name} = {value}");
                lines.push(Line::new(path, ORDERED + i, text));
            }
            for (name, member) in &c.members {
                if !c.enum_members.iter().any(|(n, _)| n == name) {
                    collect(&format!("{path}.{name}"), member, lines);
                }
            }
        }
        ItemKind::Shim { warns: true } if !item.deprecated => flags.push("deprecated"),
        _ => {}
    }
    let text = with_flags(shallow(item, path, None), &flags);
    lines.push(Line::new(path, 0, text));
}

/// `Item::render` of `item` named by its full `path`, built without cloning a class's members.
/// `signature` replaces a function's own (for an overload).
fn shallow(item: &Item, path: &str, signature: Option<&Signature>) -> String {
    let kind = match &item.kind {
        ItemKind::Class(c) => ItemKind::Class(std::sync::Arc::new(Class {
            bases: c.bases.clone(),
            ..Class::default()
        })),
        ItemKind::Function(f) => {
            let mut f = f.clone();
            if let Some(signature) = signature {
                f.signature = signature.clone();
            }
            ItemKind::Function(f)
        }
        other => other.clone(),
    };
    Item {
        name: path.to_owned(),
        kind,
        location: Location::default(),
        origin: String::new(),
        deprecated: item.deprecated,
    }
    .render()
}

/// What the class line cannot show through its bases: its family, frozen, `__slots__`.
fn class_flags(c: &Class, flags: &mut Vec<&str>) {
    use crate::api::ClassFlavor::*;
    let flavor = match c.flavor {
        Plain => None,
        Enum => Some("enum"),
        Protocol => Some("protocol"),
        TypedDict => Some("typeddict"),
        NamedTuple => Some("namedtuple"),
        Dataclass => Some("dataclass"),
        Attrs => Some("attrs"),
        Abc => Some("abc"),
    };
    flags.extend(flavor);
    if c.frozen {
        flags.push("frozen");
    }
    if c.slots {
        flags.push("slots");
    }
}

/// Appends flags as a trailing comment, joining an existing one (`# served by __getattr__`).
fn with_flags(line: String, flags: &[&str]) -> String {
    if flags.is_empty() {
        line
    } else if line.contains("  # ") {
        format!("{line}, {}", flags.join(", "))
    } else {
        format!("{line}  # {}", flags.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::api::{Binding, ClassFlavor, Function, Module, Param, ParamKind, Variable};

    fn param(name: &str, kind: ParamKind, default: Option<&str>) -> Param {
        Param {
            name: name.to_owned(),
            kind,
            default: default.map(str::to_owned),
            annotation: None,
        }
    }

    fn item(name: &str, kind: ItemKind) -> Item {
        Item {
            name: name.to_owned(),
            kind,
            location: Location {
                file: "src/mypkg/x.py".to_owned(),
                line: 1,
            },
            origin: format!("mypkg.x.{name}"),
            deprecated: false,
        }
    }

    fn function(params: Vec<Param>, returns: Option<&str>) -> Function {
        Function {
            signature: Signature {
                params,
                returns: returns.map(str::to_owned),
                ..Signature::default()
            },
            ..Function::default()
        }
    }

    fn method(name: &str, binding: Binding, extra: Vec<Param>, returns: Option<&str>) -> Item {
        let mut params = match binding {
            Binding::StaticMethod => Vec::new(),
            Binding::ClassMethod => vec![param("cls", ParamKind::PositionalOrKeyword, None)],
            _ => vec![param("self", ParamKind::PositionalOrKeyword, None)],
        };
        params.extend(extra);
        item(
            name,
            ItemKind::Function(Function {
                binding,
                ..function(params, returns)
            }),
        )
    }

    /// A surface with one of everything: re-exports, a module bound as a name, a class with
    /// every kind of member, an enum, a frozen dataclass, overloads, a shim, an external.
    fn sample_surface() -> Surface {
        use ParamKind::*;

        let connect = item(
            "connect",
            ItemKind::Function(function(
                vec![
                    param("host", PositionalOrKeyword, None),
                    param("port", KeywordOnly, Some("80")),
                ],
                Some("Conn"),
            )),
        );
        let mut client_members = BTreeMap::new();
        for m in [
            method("close", Binding::Plain, vec![], None),
            method("closed", Binding::Property, vec![], Some("bool")),
            method(
                "from_url",
                Binding::ClassMethod,
                vec![param("url", PositionalOrKeyword, None)],
                Some("Client"),
            ),
            method("version", Binding::StaticMethod, vec![], Some("str")),
            item(
                "timeout",
                ItemKind::Variable(Variable {
                    annotation: Some("float".to_owned()),
                    value: None,
                    call: None,
                }),
            ),
            item(
                "Error",
                ItemKind::Class(std::sync::Arc::new(Class {
                    bases: vec!["Exception".to_owned()],
                    ..Class::default()
                })),
            ),
        ] {
            client_members.insert(m.name.clone(), std::sync::Arc::new(m));
        }
        let mut send = method(
            "stream",
            Binding::Plain,
            vec![param("data", PositionalOrKeyword, None)],
            None,
        );
        if let ItemKind::Function(f) = &mut send.kind {
            f.is_async = true;
            f.is_generator = true;
            f.is_abstract = true;
        }
        client_members.insert(send.name.clone(), std::sync::Arc::new(send));
        let client = item(
            "Client",
            ItemKind::Class(std::sync::Arc::new(Class {
                bases: vec!["mypkg._base.Base".to_owned()],
                members: client_members,
                constructor: Some(Signature {
                    params: vec![
                        param("host", PositionalOrKeyword, None),
                        param("kwargs", VarKeyword, None),
                    ],
                    returns: Some("None".to_owned()),
                    ..Signature::default()
                }),
                ..Class::default()
            })),
        );
        let color = item(
            "Color",
            ItemKind::Class(std::sync::Arc::new(Class {
                bases: vec!["enum.Enum".to_owned()],
                flavor: ClassFlavor::Enum,
                enum_members: vec![
                    ("RED".to_owned(), "1".to_owned()),
                    ("GREEN".to_owned(), "2".to_owned()),
                ],
                members: BTreeMap::from([(
                    "RED".to_owned(),
                    std::sync::Arc::new(item("RED", ItemKind::Variable(Variable::default()))),
                )]),
                ..Class::default()
            })),
        );
        let point = item(
            "Point",
            ItemKind::Class(std::sync::Arc::new(Class {
                flavor: ClassFlavor::Dataclass,
                frozen: true,
                slots: true,
                constructor: Some(Signature {
                    params: vec![
                        param("x", PositionalOrKeyword, None),
                        param("y", PositionalOrKeyword, Some("0")),
                    ],
                    returns: None,
                    ..Signature::default()
                }),
                ..Class::default()
            })),
        );
        let mut parse = item(
            "parse",
            ItemKind::Function(function(
                vec![param("value", PositionalOnly, None)],
                Some("int | str"),
            )),
        );
        if let ItemKind::Function(f) = &mut parse.kind {
            f.overloads = vec![
                Signature {
                    params: vec![param("value", PositionalOnly, None)],
                    returns: Some("int".to_owned()),
                    ..Signature::default()
                },
                Signature {
                    params: vec![param("value", PositionalOnly, None)],
                    returns: Some("str".to_owned()),
                    ..Signature::default()
                },
            ];
        }
        let old = Item {
            deprecated: true,
            ..item("old_connect", ItemKind::Shim { warns: true })
        };
        let any = item(
            "Any",
            ItemKind::External {
                source: "typing.Any".to_owned(),
            },
        );
        let timeout = item(
            "TIMEOUT",
            ItemKind::Variable(Variable {
                annotation: Some("int".to_owned()),
                value: Some("30".to_owned()),
                call: None,
            }),
        );
        let sub = item(
            "client",
            ItemKind::Module {
                target: "mypkg.client".to_owned(),
            },
        );
        let alias = item(
            "impl",
            ItemKind::Module {
                target: "mypkg._impl".to_owned(),
            },
        );

        let module = |name: &str, items: Vec<Item>| Module {
            name: name.to_owned(),
            file: format!("src/{}.py", name.replace('.', "/")),
            exports: items.into_iter().map(|i| (i.name.clone(), i)).collect(),
            forwards: None,
        };
        let modules = [
            module(
                "mypkg",
                vec![
                    client.clone(),
                    connect.clone(),
                    sub,
                    alias,
                    any,
                    timeout,
                    old,
                ],
            ),
            module("mypkg.client", vec![client, connect, parse]),
            module("mypkg.types", vec![color, point]),
        ];
        Surface {
            package: "mypkg".to_owned(),
            modules: modules.into_iter().map(|m| (m.name.clone(), m)).collect(),
        }
    }

    fn text(surface: &Surface) -> String {
        let mut buf = Vec::new();
        render_text(surface, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn sample_surface_text() {
        insta::assert_snapshot!(text(&sample_surface()));
    }

    /// The parallel writer writes what serde_json writes for the whole surface.
    #[test]
    fn json_is_serde_json_pretty() {
        for surface in [sample_surface(), Surface::default()] {
            let mut buf = Vec::new();
            render_json(&surface, &mut buf).unwrap();
            let expected = serde_json::to_string_pretty(&surface).unwrap() + "\n";
            assert_eq!(String::from_utf8(buf).unwrap(), expected);
        }
    }

    #[test]
    fn sample_surface_json() {
        let mut buf = Vec::new();
        render_json(&sample_surface(), &mut buf).unwrap();
        let json = String::from_utf8(buf).unwrap();
        assert!(json.ends_with("}\n"));
        insta::assert_snapshot!(json);
    }

    #[test]
    fn reexports_are_listed_at_every_path() {
        let out = text(&sample_surface());
        assert!(out.contains("\nclass mypkg.Client(mypkg._base.Base)\n"));
        assert!(out.contains("\nclass mypkg.client.Client(mypkg._base.Base)\n"));
        assert!(out.contains("\ndef mypkg.client.Client.close(self)\n"));
        assert!(out.contains("\ndef mypkg.Client.close(self)\n"));
    }

    #[test]
    fn output_is_sorted_and_deterministic() {
        let surface = sample_surface();
        let out = text(&surface);
        assert_eq!(out, text(&surface));
        // `module mypkg.client` once, though `mypkg` also binds it as a name.
        assert_eq!(out.matches("module mypkg.client\n").count(), 1);
        assert!(out.starts_with("module mypkg\n"));
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn empty_surface_prints_nothing() {
        assert_eq!(text(&Surface::default()), "");
    }
}
