//! Classes made by a call rather than a `class` statement: the functional forms of `Enum`
//! (`Color = Enum("Color", "RED GREEN")`) and of `namedtuple` / `NamedTuple`
//! (`P = namedtuple("P", "x y")`), read into the same [`ClassFacts`] a `class` statement gives.
//!
//! A call that only looks like one of these (another callee, arguments that are not literals)
//! is left to the caller as a plain value.

use tree_sitter::Node;

use super::ClassFlavor;
use super::Variable;
use super::class::{BaseRef, ClassFacts, Field, Member, Synth};
use super::expr::expr_text;
use super::node::{NodeExt, callee, line_of, named_children, string_value, strip_parens};
use super::text::last_component;

/// `Color = Enum("Color", "RED GREEN")`, with names as a string or a list, or with values as
/// `(name, value)` pairs or a dict (the enum module's functional API): an Enum class whose
/// members are compared like those of a `class Color(Enum)`. Without a value, the functional
/// API numbers members from 1, as `auto()` does.
pub(crate) fn functional_enum(value: Node<'_>, src: &str) -> Option<ClassFacts> {
    if value.kind_str() != "call" {
        return None;
    }
    let head = last_component(&src[callee(value).byte_range()]);
    if !matches!(head, "Enum" | "IntEnum" | "StrEnum" | "Flag" | "IntFlag") {
        return None;
    }
    let args: Vec<Node<'_>> = value
        .field("arguments")
        .map(named_children)
        .unwrap_or_default()
        .into_iter()
        .filter(|a| a.kind_str() != "keyword_argument")
        .collect();
    let spec = args.get(1)?;
    let auto = || "auto()".to_owned();
    let mut members: Vec<(String, String)> = Vec::new();
    if let Some(s) = string_value(*spec, src) {
        members = s
            .replace(',', " ")
            .split_whitespace()
            .map(|m| (m.to_owned(), auto()))
            .collect();
    } else if matches!(spec.kind_str(), "list" | "tuple") {
        for item in named_children(*spec) {
            if let Some(name) = string_value(item, src) {
                members.push((name, auto()));
            } else if item.kind_str() == "tuple"
                && let [n, v] = named_children(item).as_slice()
                && let Some(name) = string_value(*n, src)
            {
                members.push((name, expr_text(*v, src)));
            } else {
                return None;
            }
        }
    } else if spec.kind_str() == "dictionary" {
        for pair in named_children(*spec) {
            let (Some(k), Some(v)) = (pair.field("key"), pair.field("value")) else {
                return None;
            };
            members.push((string_value(k, src)?, expr_text(v, src)));
        }
    } else {
        return None;
    }
    Some(ClassFacts {
        bases: vec![BaseRef {
            text: head.to_owned(),
            path: Some(vec![head.to_owned()]),
            suffix: String::new(),
        }],
        flavor: ClassFlavor::Enum,
        assigned: members,
        ..ClassFacts::default()
    })
}

/// `P = namedtuple("P", "x y")`, `namedtuple("P", ["x", "y"], defaults=(0,))`,
/// `P = NamedTuple("P", [("x", int), ("y", str)])`: a class.
pub(crate) fn functional_namedtuple(value: Node<'_>, src: &str) -> Option<ClassFacts> {
    if value.kind_str() != "call" {
        return None;
    }
    let head = last_component(&src[callee(value).byte_range()]);
    let typed = match head {
        "namedtuple" => false,
        "NamedTuple" => true,
        _ => return None,
    };
    let args = value
        .field("arguments")
        .map(named_children)
        .unwrap_or_default();
    let positional: Vec<Node<'_>> = args
        .iter()
        .copied()
        .filter(|a| a.kind_str() != "keyword_argument")
        .collect();
    let mut fields: Vec<(String, Option<String>)> = Vec::new();
    match positional.get(1) {
        Some(spec) => {
            if let Some(s) = string_value(*spec, src) {
                fields = s
                    .replace(',', " ")
                    .split_whitespace()
                    .map(|f| (f.to_owned(), None))
                    .collect();
            } else if matches!(spec.kind_str(), "list" | "tuple") {
                for item in named_children(*spec) {
                    if let Some(s) = string_value(item, src) {
                        fields.push((s, None));
                    } else if item.kind_str() == "tuple" {
                        let pair = named_children(item);
                        if let [n, t] = pair.as_slice()
                            && let Some(name) = string_value(*n, src)
                        {
                            fields.push((name, Some(expr_text(*t, src))));
                        }
                    } else {
                        return None;
                    }
                }
            } else {
                return None;
            }
        }
        // `NamedTuple("P", x=int, y=str)`
        None if typed => {
            for a in &args {
                if a.kind_str() == "keyword_argument"
                    && let (Some(k), Some(v)) = (a.field("name"), a.field("value"))
                {
                    fields.push((src[k.byte_range()].to_owned(), Some(expr_text(v, src))));
                }
            }
        }
        None => return None,
    }
    // `defaults=` applies to the rightmost fields.
    let defaults: Vec<String> = args
        .iter()
        .find(|a| {
            a.kind_str() == "keyword_argument"
                && a.field("name")
                    .is_some_and(|n| &src[n.byte_range()] == "defaults")
        })
        .and_then(|a| a.field("value"))
        .map(|v| {
            named_children(strip_parens(v))
                .into_iter()
                .map(|d| expr_text(d, src))
                .collect()
        })
        .unwrap_or_default();
    let first_default = fields.len().saturating_sub(defaults.len());
    let mut class = ClassFacts {
        bases: Vec::new(),
        flavor: ClassFlavor::NamedTuple,
        synth: Some(Synth::NamedTuple),
        ..ClassFacts::default()
    };
    for (i, (name, annotation)) in fields.into_iter().enumerate() {
        let default = (i >= first_default)
            .then(|| defaults.get(i - first_default).cloned())
            .flatten();
        class.members.insert(
            name.clone(),
            Member::Variable(
                Variable {
                    annotation: annotation.clone(),
                    value: None,
                    call: None,
                },
                line_of(value),
            ),
        );
        class.fields.push(Field {
            arg: name.clone(),
            name,
            annotation,
            default,
            init: true,
            kw_only: false,
        });
    }
    Some(class)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::extract::Def;
    use crate::api::testutil::{class_of, ctor, f, facts};

    #[test]
    fn functional_enums() {
        for src in [
            "import enum\nColor = enum.Enum('Color', 'RED GREEN')\n",
            "from enum import Enum\nColor = Enum('Color', ['RED', 'GREEN'])\n",
        ] {
            let c = class_of(src, "Color");
            assert_eq!(c.flavor, ClassFlavor::Enum, "{src}");
            assert_eq!(
                c.assigned,
                [
                    ("RED".to_owned(), "auto()".to_owned()),
                    ("GREEN".to_owned(), "auto()".to_owned())
                ],
                "{src}"
            );
        }
        let c = class_of("Color = Enum('Color', {'RED': 1, 'GREEN': 2})\n", "Color");
        assert_eq!(
            c.assigned,
            [
                ("RED".to_owned(), "1".to_owned()),
                ("GREEN".to_owned(), "2".to_owned())
            ]
        );
        let c = class_of("Color = Enum('Color', [('RED', 'r')])\n", "Color");
        assert_eq!(c.assigned, [("RED".to_owned(), "\"r\"".to_owned())]);
        // Near-miss: a call that is not the functional API stays a value.
        assert!(matches!(
            facts("Color = make_enum('Color')\n").bindings["Color"].def,
            Def::Variable(_) | Def::Alias { .. }
        ));
    }

    #[test]
    fn namedtuples() {
        let c = class_of(
            "class P(NamedTuple):\n    x: int\n    y: int = 0\n    def norm(self): ...\n",
            "P",
        );
        assert_eq!(c.flavor, ClassFlavor::NamedTuple);
        assert_eq!(
            ctor(&c),
            vec![f("x", None, true, false), f("y", Some("0"), true, false)]
        );

        let c = class_of(
            "P = collections.namedtuple('P', 'x y', defaults=(1,))\n",
            "P",
        );
        assert_eq!(c.flavor, ClassFlavor::NamedTuple);
        assert_eq!(
            ctor(&c),
            vec![f("x", None, true, false), f("y", Some("1"), true, false)]
        );
        let c = class_of("P = namedtuple('P', ['x', 'y'])\n", "P");
        assert_eq!(
            ctor(&c),
            vec![f("x", None, true, false), f("y", None, true, false)]
        );
        let c = class_of(
            "P = typing.NamedTuple('P', [('x', int), ('y', str)])\n",
            "P",
        );
        assert_eq!(
            c.fields
                .iter()
                .map(|f| f.annotation.clone().unwrap())
                .collect::<Vec<_>>(),
            ["int", "str"]
        );
        assert!(c.members.contains_key("x"));
    }
}
