//! `__getattr__` factories: a function of another module that builds a module's `__getattr__`
//! from the module's name (`__getattr__ = getattr_migration(__name__)`, pydantic 2.0).
//!
//! Such a factory `def F(module)` returns a nested `def wrapper(name)` that looks up a key made
//! of both (`f"{module}:{name}"`) in module-level tables. A table whose `if key in TABLE:` block
//! returns serves its keys; one whose block raises (pydantic's `REMOVED_IN_V2`) does not. Only
//! what is read this way counts: a key served by any other means is not guessed.

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::node::{NodeExt, children, descendants_of_kind, named_children, strip_parens};
use super::text::last_component;

/// A module-level function that builds a `__getattr__`: the tables whose keys it serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Factory {
    pub name: String,
    /// Module-level tables (by name) whose keys the built function returns an object for.
    pub tables: Vec<String>,
    /// What joins the module and the attribute in a key (`:` in `pkg.utils:deep_update`).
    pub separator: String,
    /// The serving branches warn.
    pub warns: bool,
}

/// Every factory defined at module level under `root`.
pub(crate) fn factories(root: Node<'_>, src: &str) -> Vec<Factory> {
    named_children(root)
        .into_iter()
        .filter(|n| n.kind_str() == "function_definition")
        .filter_map(|def| factory(def, src))
        .collect()
}

fn first_param<'s>(def: Node<'_>, src: &'s str) -> Option<&'s str> {
    let params = def.field("parameters")?;
    let first = named_children(params).into_iter().next()?;
    let ident = match first.kind_str() {
        "identifier" => first,
        "typed_parameter" => named_children(first).into_iter().next()?,
        _ => return None,
    };
    (ident.kind_str() == "identifier").then(|| &src[ident.byte_range()])
}

fn factory(def: Node<'_>, src: &str) -> Option<Factory> {
    let module = first_param(def, src)?;
    let body = def.field("body")?;
    let inner = named_children(body)
        .into_iter()
        .find(|n| n.kind_str() == "function_definition")?;
    let inner_name = &src[inner.field("name")?.byte_range()];
    // The factory returns the nested function.
    let returns_inner = named_children(body).into_iter().any(|s| {
        s.kind_str() == "return_statement"
            && named_children(s)
                .first()
                .is_some_and(|v| &src[v.byte_range()] == inner_name)
    });
    if !returns_inner {
        return None;
    }
    let name = first_param(inner, src)?;
    let inner_body = inner.field("body")?;
    // The key: `key = f"{module}<sep>{name}"`.
    let (key, separator) = named_children(inner_body).into_iter().find_map(|s| {
        let a = named_children(s).into_iter().next()?;
        if a.kind_str() != "assignment" {
            return None;
        }
        let left = a.field("left")?;
        let right = strip_parens(a.field("right")?);
        let sep = key_separator(right, src, module, name)?;
        (left.kind_str() == "identifier").then(|| (&src[left.byte_range()], sep))
    })?;
    let mut tables = Vec::new();
    let mut warns = false;
    for stmt in named_children(inner_body) {
        if stmt.kind_str() != "if_statement" || stmt.field("alternative").is_some() {
            continue;
        }
        let (Some(cond), Some(block)) = (stmt.field("condition"), stmt.field("consequence")) else {
            continue;
        };
        let Some(table) = membership(strip_parens(cond), src, key) else {
            continue;
        };
        let kinds: Vec<&str> = named_children(block).iter().map(|s| s.kind_str()).collect();
        if kinds.contains(&"return_statement") && !kinds.contains(&"raise_statement") {
            tables.push(table.to_owned());
            warns |= descendants_of_kind(block, "call").into_iter().any(|c| {
                c.field("function").is_some_and(|f| {
                    let head = last_component(&src[f.byte_range()]).to_ascii_lowercase();
                    head.contains("warn")
                })
            });
        }
    }
    let factory_name = def.field("name")?;
    (!tables.is_empty()).then(|| Factory {
        name: src[factory_name.byte_range()].to_owned(),
        tables,
        separator,
        warns,
    })
}

/// The text between `{module}` and `{name}` in an f-string that is exactly those two.
fn key_separator(node: Node<'_>, src: &str, module: &str, name: &str) -> Option<String> {
    if node.kind_str() != "string" {
        return None;
    }
    let text = &src[node.byte_range()];
    let prefix_end = text.find(['"', '\''])?;
    if !text[..prefix_end].to_ascii_lowercase().contains('f') {
        return None;
    }
    let quote = &text[prefix_end..=prefix_end];
    let inner = text[prefix_end..].trim_matches(|c| c == quote.chars().next().unwrap_or('"'));
    let rest = inner.strip_prefix(&format!("{{{module}}}"))?;
    let sep = rest.strip_suffix(&format!("{{{name}}}"))?;
    (!sep.contains(['{', '}'])).then(|| sep.to_owned())
}

/// `T` of `key in T` or `key in T.keys()`.
fn membership<'s>(cond: Node<'_>, src: &'s str, key: &str) -> Option<&'s str> {
    if cond.kind_str() != "comparison_operator" {
        return None;
    }
    let kids = children(cond);
    let [left, op, right] = kids.as_slice() else {
        return None;
    };
    if &src[left.byte_range()] != key || &src[op.byte_range()] != "in" {
        return None;
    }
    let mut table = strip_parens(*right);
    if table.kind_str() == "call"
        && let Some(f) = table.field("function")
        && f.kind_str() == "attribute"
        && f.field("attribute")
            .is_some_and(|a| &src[a.byte_range()] == "keys")
        && let Some(object) = f.field("object")
    {
        table = object;
    }
    (table.kind_str() == "identifier").then(|| &src[table.byte_range()])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> Vec<Factory> {
        let parsed = crate::api::parse::parse("m.py", src.as_bytes()).expect("parses");
        factories(parsed.tree.root_node(), &parsed.text)
    }

    #[test]
    fn pydantic_getattr_migration() {
        let src = "MOVED = {'pkg.utils:a': 'pkg.v1:a'}\nREMOVED = {'pkg.utils:b'}\ndef getattr_migration(module: str):\n    from .errors import E\n    def wrapper(name: str) -> object:\n        import_path = f'{module}:{name}'\n        if import_path in MOVED.keys():\n            warnings.warn('moved')\n            return import_string(MOVED[import_path])\n        if import_path in REMOVED:\n            raise E('removed')\n        raise AttributeError(name)\n    return wrapper\n";
        assert_eq!(
            read(src),
            [Factory {
                name: "getattr_migration".to_owned(),
                tables: vec!["MOVED".to_owned()],
                separator: ":".to_owned(),
                warns: true,
            }]
        );
        // Near-misses: no nested function returned, a key that is not the two parameters.
        assert!(read("def f(module):\n    def g(name):\n        k = f'{module}:{name}'\n        if k in T:\n            return 1\n").is_empty());
        assert!(read("def f(module):\n    def g(name):\n        k = f'{name}'\n        if k in T:\n            return 1\n    return g\n").is_empty());
    }
}
