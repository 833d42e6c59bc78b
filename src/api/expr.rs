//! The expression canonicaliser: the normalized source text of every expression the surface
//! keeps (defaults, annotations, values, decorators, bases).
//!
//! It walks the expression's nodes and writes them back as black would (spacing, no comments or
//! line breaks, no magic trailing comma, no redundant outer parentheses), with literals
//! normalized by the tree-free [`super::text`] functions.

use tree_sitter::Node;

use super::node::{NodeExt, children, named_children, strip_parens};
use super::text::{collapse_whitespace, normalize_number, normalize_string};

/// The source text of an expression in a canonical form: comments, line breaks and redundant
/// outer parentheses dropped, trailing commas removed, spacing and string quotes as black
/// writes them. Two spellings that black or ruff format alike give the same text.
pub(crate) fn expr_text(node: Node<'_>, src: &str) -> String {
    let node = strip_parens(node);
    // A span tree-sitter could not parse is kept as written (API-RULES.md section 5), only
    // with its whitespace collapsed.
    if node.has_error() {
        return collapse_whitespace(&src[node.byte_range()]);
    }
    let mut out = String::new();
    render(node, src, &mut out);
    out
}

/// How deep [`render`] goes before it keeps the rest of an expression as written: generated code
/// holds sums of thousands of terms, a tree as deep as it is long, and one stack frame a level
/// would overflow a thread's stack. CPython itself refuses parentheses nested 200 deep.
const MAX_DEPTH: usize = 400;

thread_local! {
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn render(node: Node<'_>, src: &str, out: &mut String) {
    let depth = DEPTH.get();
    if depth >= MAX_DEPTH {
        out.push_str(&collapse_whitespace(&src[node.byte_range()]));
        return;
    }
    DEPTH.set(depth + 1);
    render_node(node, src, out);
    DEPTH.set(depth);
}

fn render_node(node: Node<'_>, src: &str, out: &mut String) {
    let text = &src[node.byte_range()];
    match node.kind_str() {
        "comment" | "line_continuation" => {}
        "string" => out.push_str(&normalize_string(text)),
        "integer" | "float" => out.push_str(&normalize_number(text)),
        "type" => {
            for c in named_children(node) {
                render(c, src, out);
            }
        }
        "tuple" | "tuple_pattern" => sequence(node, src, "(", ")", true, out),
        "list" | "list_pattern" => sequence(node, src, "[", "]", false, out),
        "set" | "dictionary" => sequence(node, src, "{", "}", false, out),
        "argument_list" => sequence(node, src, "(", ")", false, out),
        "type_parameter" => sequence(node, src, "[", "]", false, out),
        "expression_list" | "pattern_list" => sequence(node, src, "", "", true, out),
        "subscript" => {
            if let Some(v) = node.field("value") {
                render(v, src, out);
            }
            out.push('[');
            let mut cursor = node.walk();
            for (i, s) in node
                .children_by_field_name("subscript", &mut cursor)
                .enumerate()
            {
                if i > 0 {
                    out.push_str(", ");
                }
                render(s, src, out);
            }
            out.push(']');
        }
        "generic_type" => {
            for c in named_children(node) {
                render(c, src, out);
            }
        }
        "call" => {
            if let Some(f) = node.field("function") {
                render(f, src, out);
            }
            if let Some(a) = node.field("arguments") {
                render(a, src, out);
            }
        }
        "keyword_argument" | "default_parameter" => {
            if let Some(n) = node.field("name") {
                render(n, src, out);
            }
            out.push('=');
            if let Some(v) = node.field("value") {
                render(v, src, out);
            }
        }
        "list_splat" | "list_splat_pattern" | "dictionary_splat" | "dictionary_splat_pattern" => {
            out.push_str(if node.kind_str().starts_with("dictionary") {
                "**"
            } else {
                "*"
            });
            for c in named_children(node) {
                render(c, src, out);
            }
        }
        "unary_operator" => {
            if let Some(op) = node.field("operator") {
                out.push_str(&src[op.byte_range()]);
            }
            if let Some(a) = node.field("argument") {
                render(a, src, out);
            }
        }
        "binary_operator" => {
            let (Some(l), Some(op), Some(r)) = (
                node.field("left"),
                node.field("operator"),
                node.field("right"),
            ) else {
                return generic(node, src, out);
            };
            let op = &src[op.byte_range()];
            render(l, src, out);
            // black hugs `**` between simple operands (`x**2`, but `x ** f(y)`).
            if op == "**" && simple_operand(l) && simple_operand(r) {
                out.push_str("**");
            } else {
                out.push(' ');
                out.push_str(op);
                out.push(' ');
            }
            render(r, src, out);
        }
        "slice" => {
            for c in children(node) {
                render(c, src, out);
            }
        }
        _ if node.child_count() == 0 => out.push_str(text.trim()),
        _ => generic(node, src, out),
    }
}

/// A bracketed sequence with its items comma-separated and no trailing comma (kept for a
/// one-element tuple, where it matters).
fn sequence(node: Node<'_>, src: &str, open: &str, close: &str, tuple: bool, out: &mut String) {
    let items = named_children(node);
    out.push_str(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        render(*item, src, out);
    }
    if tuple && items.len() == 1 {
        out.push(',');
    }
    out.push_str(close);
}

/// Children joined by single spaces, except around brackets, dots, commas and colons.
fn generic(node: Node<'_>, src: &str, out: &mut String) {
    let mut first = true;
    for c in children(node) {
        let mut piece = String::new();
        render(c, src, &mut piece);
        if piece.is_empty() {
            continue;
        }
        let glue_before = piece.starts_with([')', ']', '}', ',', '.', ':']) && piece != ":=";
        let glue_after = out.ends_with(['(', '[', '{', '.']);
        if !first && !glue_before && !glue_after {
            out.push(' ');
        }
        out.push_str(&piece);
        first = false;
    }
}

fn simple_operand(node: Node<'_>) -> bool {
    match node.kind_str() {
        "identifier" | "integer" | "float" | "true" | "false" | "none" => true,
        "attribute" => node.field("object").is_some_and(simple_operand),
        "unary_operator" => node.field("argument").is_some_and(simple_operand),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::api::testutil::{function_of, norm};

    #[test]
    fn reformatting_does_not_change_the_text() {
        let before = "def connect(host: Optional[Dict[str,int]]={'a':1,'b':[1,2,],}, *, retries = (3), timeout: float=DEFAULT.x) -> Tuple[int,str]: ...\n";
        let after = "def connect(\n    host: Optional[\n        Dict[str, int]\n    ] = {\"a\": 1, \"b\": [1, 2]},  # comment\n    *,\n    retries=3,\n    timeout: float = DEFAULT.x,\n) -> (\n    Tuple[int, str]\n):\n    ...\n";
        let a = function_of(before, "connect").function.signature;
        let b = function_of(after, "connect").function.signature;
        assert_eq!(a, b);
        assert_eq!(
            a.render(),
            "(host: Optional[Dict[str, int]] = {\"a\": 1, \"b\": [1, 2]}, *, retries=3, timeout: float = DEFAULT.x) -> Tuple[int, str]"
        );
    }

    /// Generated code nests expressions deeper than a thread's stack has frames (a sum of
    /// 20,000 terms is a tree 20,000 deep): past MAX_DEPTH the rest is kept as written.
    #[test]
    fn deep_expressions_do_not_overflow_the_stack() {
        let sum = vec!["1"; 20_000].join(" + ");
        assert_eq!(norm(&sum), sum);
        let nested = format!("{}1{}", "[".repeat(2_000), "]".repeat(2_000));
        assert_eq!(norm(&nested), nested);
        // Below the limit nothing changes: the canonical form.
        assert_eq!(norm("[[ 1 ,2 ],]"), "[[1, 2]]");
    }

    #[test]
    fn normalized_expressions() {
        assert_eq!(norm("( 1 ,)"), "(1,)");
        assert_eq!(norm("(1, 2,)"), "(1, 2)");
        assert_eq!(norm("f(a , b = 2 ,)"), "f(a, b=2)");
        assert_eq!(norm("x**2 + y ** f(z)"), "x**2 + y ** f(z)");
        assert_eq!(norm("- 1"), "-1");
        assert_eq!(norm("not  a and b"), "not a and b");
        assert_eq!(norm("a if b else c"), "a if b else c");
        assert_eq!(norm("lambda x,y : x"), "lambda x, y: x");
        assert_eq!(norm("lambda: 0"), "lambda: 0");
        assert_eq!(
            norm("[i for i in  range(3) if i]"),
            "[i for i in range(3) if i]"
        );
        assert_eq!(norm("a[1:2, ::3]"), "a[1:2, ::3]");
        assert_eq!(norm("{**a, 'b': 1}"), "{**a, \"b\": 1}");
        assert_eq!(norm("0XFF + 1E5 + 10J"), "0xFF + 1e5 + 10j");
        assert_eq!(
            norm("u'x' + B'y' + F'{z}' + R'w'"),
            "\"x\" + b\"y\" + f\"{z}\" + R\"w\""
        );
        assert_eq!(norm("'it\\'s'"), "\"it's\"");
        assert_eq!(norm("'say \"hi\"'"), "'say \"hi\"'");
        assert_eq!(norm("'''doc'''"), "\"\"\"doc\"\"\"");
        assert_eq!(norm("'a' 'b'"), "\"a\" \"b\"");
        assert_eq!(norm("(\n  a +\n  b\n)"), "a + b");
        assert_eq!(norm("a . b ( )"), "a.b()");
        assert_eq!(norm("x if (y := 1) else z"), "x if (y := 1) else z");
        assert_eq!(norm("f\"{x!r:>{w}}\""), "f\"{x!r:>{w}}\"");
        assert_eq!(norm("*a,"), "*a,");
    }
}
