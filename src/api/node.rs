//! Small helpers over tree-sitter nodes: children without comments, dotted names, line numbers,
//! string literals and literal collections of strings.
//!
//! They read the tree and return owned values or nodes of the caller's tree; no `Node` they give
//! leaves `api/`.

use std::sync::LazyLock;

use tree_sitter::Node;

use super::parse::LANGUAGE;

/// `kind()` and `child_by_field_name()` from tables made once. tree-sitter's own measure the
/// kind's C string and check its UTF-8 on every call, and look a field's name up among all of
/// them with `strncmp`: 4 % of a cold Django diff together, called from hundreds of places.
/// (`clippy.toml` disallows the originals.)
pub(crate) trait NodeExt<'t> {
    /// The node's kind, as `Node::kind` gives it.
    fn kind_str(&self) -> &'t str;
    /// The child in the named field, as `Node::child_by_field_name` gives it.
    fn field(&self, name: &str) -> Option<Node<'t>>;
}

/// Every kind's name, by kind id.
static KINDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let language: &'static tree_sitter::Language = &LANGUAGE;
    (0..language.node_kind_count())
        .map(|id| {
            u16::try_from(id)
                .ok()
                .and_then(|id| language.node_kind_for_id(id))
                .unwrap_or("")
        })
        .collect()
});

/// Every field's name and id, sorted by name.
static FIELDS: LazyLock<Vec<(&'static str, u16)>> = LazyLock::new(|| {
    let language: &'static tree_sitter::Language = &LANGUAGE;
    let mut fields: Vec<(&'static str, u16)> = (1..=language.field_count())
        .filter_map(|id| {
            let id = u16::try_from(id).ok()?;
            Some((language.field_name_for_id(id)?, id))
        })
        .collect();
    fields.sort_unstable();
    fields
});

#[allow(clippy::disallowed_methods)]
impl<'t> NodeExt<'t> for Node<'t> {
    fn kind_str(&self) -> &'t str {
        match KINDS.get(usize::from(self.kind_id())) {
            Some(kind) if !kind.is_empty() => kind,
            // ERROR nodes' ids are past the table.
            _ => self.kind(),
        }
    }

    fn field(&self, name: &str) -> Option<Node<'t>> {
        match FIELDS.binary_search_by(|(field, _)| (*field).cmp(name)) {
            Ok(i) => self.child_by_field_id(FIELDS[i].1),
            Err(_) => self.child_by_field_name(name),
        }
    }
}

/// Named children, without comments.
pub(crate) fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind_str() != "comment")
        .collect()
}

pub(crate) fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .filter(|c| c.kind_str() != "comment")
        .collect()
}

pub(crate) fn descendants_of_kind<'t>(node: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind_str() == kind {
            out.push(n);
        }
        stack.extend(children(n));
    }
    out
}

pub(crate) fn blocks_of(node: Node<'_>) -> Vec<Node<'_>> {
    named_children(node)
        .into_iter()
        .filter(|c| c.kind_str() == "block")
        .collect()
}

pub(crate) fn decorators_of(node: Node<'_>) -> Vec<Node<'_>> {
    named_children(node)
        .into_iter()
        .filter(|c| c.kind_str() == "decorator")
        .filter_map(|d| named_children(d).into_iter().next())
        .collect()
}

pub(crate) fn first_identifier(node: Node<'_>) -> Option<Node<'_>> {
    if node.kind_str() == "identifier" {
        return Some(node);
    }
    named_children(node).into_iter().find_map(first_identifier)
}

pub(crate) fn line_of(node: Node<'_>) -> u32 {
    u32::try_from(node.start_position().row + 1).unwrap_or(u32::MAX)
}

/// The function part of a call (`a.b` of `a.b(c)`), or the node itself.
pub(crate) fn callee(node: Node<'_>) -> Node<'_> {
    match node.kind_str() {
        "call" => node.field("function").unwrap_or(node),
        _ => node,
    }
}

pub(crate) fn strip_parens(mut node: Node<'_>) -> Node<'_> {
    while node.kind_str() == "parenthesized_expression" || node.kind_str() == "type" {
        match named_children(node).as_slice() {
            [inner] => node = *inner,
            _ => break,
        }
    }
    node
}

/// `a.b.c` as its parts, when `node` is a name or an attribute chain of names.
pub(crate) fn dotted(node: Node<'_>, src: &str) -> Option<Vec<String>> {
    // A loop down the `object` chain, not recursion: generated code writes chains thousands of
    // attributes long.
    let mut parts = Vec::new();
    let mut node = node;
    while node.kind_str() == "attribute" {
        parts.push(src[node.field("attribute")?.byte_range()].to_owned());
        node = node.field("object")?;
    }
    if node.kind_str() != "identifier" {
        return None;
    }
    parts.push(src[node.byte_range()].to_owned());
    parts.reverse();
    Some(parts)
}

/// A `dotted_name` without spaces or comments (`a . b` is legal Python).
pub(crate) fn dotted_text(node: Node<'_>, src: &str) -> String {
    named_children(node)
        .iter()
        .filter(|c| c.kind_str() == "identifier")
        .map(|c| &src[c.byte_range()])
        .collect::<Vec<_>>()
        .join(".")
}

/// The value of a plain string literal (no interpolation, not bytes), or of adjacent ones.
pub(crate) fn string_value(node: Node<'_>, src: &str) -> Option<String> {
    match node.kind_str() {
        "string" => {
            let mut out = String::new();
            for c in children(node) {
                match c.kind_str() {
                    "string_start" => {
                        let prefix = src[c.byte_range()].to_ascii_lowercase();
                        if prefix.contains('f') || prefix.contains('b') || prefix.contains('t') {
                            return None;
                        }
                    }
                    "string_content" => out.push_str(&src[c.byte_range()]),
                    "string_end" => {}
                    _ => return None,
                }
            }
            Some(out)
        }
        "concatenated_string" => named_children(node)
            .into_iter()
            .map(|s| string_value(s, src))
            .collect(),
        "parenthesized_expression" => {
            // Parentheses around more than one node (an ERROR beside the string) strip to
            // themselves: recursing on them never ended (found by fuzz/, issue 13).
            let inner = strip_parens(node);
            if inner == node {
                None
            } else {
                string_value(inner, src)
            }
        }
        _ => None,
    }
}

/// The strings of a literal list, tuple, set or dict (its keys), or of `frozenset({...})`.
pub(crate) fn string_collection(node: Node<'_>, src: &str) -> Option<Vec<String>> {
    let node = strip_parens(node);
    match node.kind_str() {
        "list" | "tuple" | "set" => named_children(node)
            .into_iter()
            .map(|n| string_value(n, src))
            .collect(),
        "dictionary" => {
            let mut keys = Vec::new();
            for entry in named_children(node) {
                match entry.kind_str() {
                    "pair" => keys.push(string_value(entry.field("key")?, src)?),
                    // `**{...}`: a literal dict's keys, or a comprehension's over literal strings.
                    "dictionary_splat" => {
                        let inner = strip_parens(*named_children(entry).first()?);
                        keys.extend(match inner.kind_str() {
                            "dictionary_comprehension" => comprehension_keys(inner, src)?,
                            _ => string_collection(inner, src)?,
                        });
                    }
                    _ => return None,
                }
            }
            Some(keys)
        }
        "call"
            if matches!(
                &src[callee(node).byte_range()],
                "frozenset" | "set" | "tuple" | "list"
            ) =>
        {
            let args = node
                .field("arguments")
                .map(named_children)
                .unwrap_or_default();
            match args.as_slice() {
                [one] => string_collection(*one, src),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The keys of `{f"prefix{x}suffix": ... for x in ("a", "b")}`: one `for` over a literal
/// collection of strings, no `if`, a key that is a string whose only interpolations are the loop
/// variable, plainly (pydantic 2.0's table of moved names builds part of itself so).
fn comprehension_keys(node: Node<'_>, src: &str) -> Option<Vec<String>> {
    let key = node.field("body")?.field("key")?;
    let [clause] = named_children(node)[1..] else {
        return None;
    };
    if clause.kind_str() != "for_in_clause" {
        return None;
    }
    let var = clause.field("left")?;
    if var.kind_str() != "identifier" {
        return None;
    }
    let var = &src[var.byte_range()];
    let values = string_collection(clause.field("right")?, src)?;
    // The key as literal pieces, `None` where the loop variable goes.
    let mut pieces: Vec<Option<&str>> = Vec::new();
    if key.kind_str() != "string" {
        return None;
    }
    for c in children(key) {
        match c.kind_str() {
            "string_start" => {
                let prefix = src[c.byte_range()].to_ascii_lowercase();
                if prefix.contains('b') || prefix.contains('t') {
                    return None;
                }
            }
            "string_content" => pieces.push(Some(&src[c.byte_range()])),
            "interpolation" => {
                let [expr] = named_children(c)[..] else {
                    return None;
                };
                if expr.kind_str() != "identifier" || &src[expr.byte_range()] != var {
                    return None;
                }
                pieces.push(None);
            }
            "string_end" => {}
            _ => return None,
        }
    }
    Some(
        values
            .iter()
            .map(|v| pieces.iter().map(|p| p.unwrap_or(v)).collect())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use crate::api::testutil::{class, surface};

    /// A table's keys, spread from a literal dict or a comprehension over literal strings
    /// (pydantic 2.0's `DEPRECATED_MOVED_IN_V2`); anything else is not a literal table.
    #[test]
    fn dict_keys_through_splats_and_comprehensions() {
        let keys = |value: &str| {
            let src = format!("T = {value}\n");
            crate::api::testutil::facts(&src).literals.get("T").cloned()
        };
        assert_eq!(
            keys("{'x:a': 1, **{f'p.u:{o}': f'q:{o}' for o in ('deep', 'Getter')}, **{'c': 2}}"),
            Some(vec![
                "x:a".to_owned(),
                "p.u:deep".to_owned(),
                "p.u:Getter".to_owned(),
                "c".to_owned()
            ])
        );
        for not_literal in [
            "{**{f'{o}': 1 for o in names}}",
            "{**{f'{o}': 1 for o in ('a',) if o}}",
            "{**{f'{o!r}': 1 for o in ('a',)}}",
            "{**{f'{p}': 1 for o in ('a',)}}",
            "{**{o.upper(): 1 for o in ('a',)}}",
            "{**other}",
        ] {
            assert_eq!(keys(not_literal), None, "{not_literal}");
        }
    }

    /// A base written as an attribute chain 50,000 long (generated code does such things) is
    /// read without a stack frame per attribute.
    #[test]
    fn long_attribute_chains_do_not_overflow_the_stack() {
        let chain = format!("x{}", ".a".repeat(50_000));
        let src = format!("import x\n\nclass C({chain}):\n    pass\n");
        let s = surface(&[("__init__.py", &src)]);
        assert_eq!(class(&s, "mypkg", "C").bases, [chain]);
    }

    /// Found by the `surface` fuzz target (issue 13): a string in parentheses that also hold
    /// an ERROR sent `string_value` into endless recursion, a stack overflow.
    #[test]
    fn string_in_parentheses_with_an_error_does_not_recurse_forever() {
        crate::fuzz::surface(include_bytes!(
            "../../testdata/fuzz/string-in-unstrippable-parens.py"
        ));
    }
}
