//! Small helpers over tree-sitter nodes: children without comments, dotted names, line numbers,
//! string literals and literal collections of strings.
//!
//! They read the tree and return owned values or nodes of the caller's tree; no `Node` they give
//! leaves `api/`.

use tree_sitter::Node;

/// Named children, without comments.
pub(crate) fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

pub(crate) fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

pub(crate) fn descendants_of_kind<'t>(node: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == kind {
            out.push(n);
        }
        stack.extend(children(n));
    }
    out
}

pub(crate) fn blocks_of(node: Node<'_>) -> Vec<Node<'_>> {
    named_children(node)
        .into_iter()
        .filter(|c| c.kind() == "block")
        .collect()
}

pub(crate) fn decorators_of(node: Node<'_>) -> Vec<Node<'_>> {
    named_children(node)
        .into_iter()
        .filter(|c| c.kind() == "decorator")
        .filter_map(|d| named_children(d).into_iter().next())
        .collect()
}

pub(crate) fn first_identifier(node: Node<'_>) -> Option<Node<'_>> {
    if node.kind() == "identifier" {
        return Some(node);
    }
    named_children(node).into_iter().find_map(first_identifier)
}

pub(crate) fn line_of(node: Node<'_>) -> u32 {
    u32::try_from(node.start_position().row + 1).unwrap_or(u32::MAX)
}

/// The function part of a call (`a.b` of `a.b(c)`), or the node itself.
pub(crate) fn callee(node: Node<'_>) -> Node<'_> {
    match node.kind() {
        "call" => node.child_by_field_name("function").unwrap_or(node),
        _ => node,
    }
}

pub(crate) fn strip_parens(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == "parenthesized_expression" || node.kind() == "type" {
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
    while node.kind() == "attribute" {
        parts.push(src[node.child_by_field_name("attribute")?.byte_range()].to_owned());
        node = node.child_by_field_name("object")?;
    }
    if node.kind() != "identifier" {
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
        .filter(|c| c.kind() == "identifier")
        .map(|c| &src[c.byte_range()])
        .collect::<Vec<_>>()
        .join(".")
}

/// The value of a plain string literal (no interpolation, not bytes), or of adjacent ones.
pub(crate) fn string_value(node: Node<'_>, src: &str) -> Option<String> {
    match node.kind() {
        "string" => {
            let mut out = String::new();
            for c in children(node) {
                match c.kind() {
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
    match node.kind() {
        "list" | "tuple" | "set" => named_children(node)
            .into_iter()
            .map(|n| string_value(n, src))
            .collect(),
        "dictionary" => named_children(node)
            .into_iter()
            .map(|pair| {
                pair.child_by_field_name("key")
                    .and_then(|k| string_value(k, src))
            })
            .collect(),
        "call"
            if matches!(
                &src[callee(node).byte_range()],
                "frozenset" | "set" | "tuple" | "list"
            ) =>
        {
            let args = node
                .child_by_field_name("arguments")
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

#[cfg(test)]
mod tests {
    use crate::api::testutil::{class, surface};

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
