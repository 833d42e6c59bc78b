//! The shape of a file for the copied-code rule: a hash of its syntax, blind to whitespace and
//! comments, for the whole file and for each top-level `def` and `class`.
//!
//! A scan of the source's bytes, plus the tree's top level for the definitions; it allocates
//! nothing per token, because it runs on every file of a large repository.

use tree_sitter::Node;

use super::fnv::Fnv;
use super::node::{NodeExt, line_of};
use super::parse::Parsed;

/// A file's syntax, hashed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// Source tokens, comments left out (a string literal counts as its content).
    pub tokens: u32,
    /// A hash of the token texts and the tree's structure; equal for files that differ only in
    /// whitespace and comments. Stable across runs and machines.
    pub hash: u64,
    /// Top-level functions and classes, in source order.
    pub defs: Vec<DefShape>,
}

/// A top-level `def`, `async def` or `class` (its decorators included).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefShape {
    pub name: String,
    /// The line of the `def` or `class` keyword (after any decorators).
    pub line: u32,
    pub tokens: u32,
    pub hash: u64,
}

// Markers use bytes that never occur in UTF-8, so no token text can imitate them.
const TOKEN_END: u8 = 0xff;
const NEWLINE: u8 = 0xfe;
const INDENT: u8 = 0xfd;
const DEDENT: u8 = 0xfc;
const SPACE: u8 = 0xfb;

/// Hashes Python source as tokens: comments, blank lines, continuation lines and the width of
/// whitespace and indentation left out; logical line ends and indentation levels kept, because
/// tokens alone cannot tell `x = 1\n-1` from `x = 1 - 1`, nor a statement inside an `if` block
/// from one after it. A string literal is one token, its text kept as written (a CRLF in a
/// triple-quoted string reads as LF in Python).
///
/// A byte scan, not a tree walk: the tree is already parsed, but visiting every node of it
/// costs about half a parse again, and this runs on every file of a repository.
fn lex(src: &[u8]) -> (u64, u32) {
    let mut h = Fnv::START;
    let mut tokens = 0u32;
    let mut indents: Vec<usize> = vec![0];
    let mut depth = 0usize;
    let mut line_start = true;
    let mut space = false;
    let mut prev_word = false;
    let n = src.len();
    let mut i = 0;
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    while i < n {
        if line_start && depth == 0 {
            let mut col = 0;
            let mut j = i;
            while j < n && matches!(src[j], b' ' | b'\t' | b'\x0c') {
                col = if src[j] == b'\t' {
                    (col / 8 + 1) * 8
                } else {
                    col + 1
                };
                j += 1;
            }
            if j >= n {
                break;
            }
            if matches!(src[j], b'\n' | b'\r' | b'#') {
                // A blank or comment-only line: no tokens, no indentation.
                i = memchr_newline(src, j);
                i += usize::from(i < n);
                continue;
            }
            let top = indents.last().copied().unwrap_or(0);
            if col > top {
                indents.push(col);
                h.byte(INDENT);
            } else {
                while col < indents.last().copied().unwrap_or(0) {
                    indents.pop();
                    h.byte(DEDENT);
                }
            }
            i = j;
            line_start = false;
            prev_word = false;
            space = false;
        }
        let b = src[i];
        match b {
            b'#' => i = memchr_newline(src, i),
            b'\\' if matches!(src.get(i + 1), Some(b'\n' | b'\r')) => {
                i += 2;
                if src.get(i - 1) == Some(&b'\r') && src.get(i) == Some(&b'\n') {
                    i += 1;
                }
                space = true;
            }
            b'\n' | b'\r' => {
                i += 1;
                if b == b'\r' && src.get(i) == Some(&b'\n') {
                    i += 1;
                }
                if depth == 0 {
                    h.byte(NEWLINE);
                    line_start = true;
                } else {
                    space = true;
                }
            }
            b' ' | b'\t' | b'\x0c' => {
                space = true;
                i += 1;
            }
            b'"' | b'\'' => {
                let end = string_end(src, i);
                for &c in src[i..end].iter().filter(|&&c| c != b'\r') {
                    h.byte(c);
                }
                h.byte(TOKEN_END);
                tokens = tokens.saturating_add(1);
                prev_word = false;
                space = false;
                i = end;
            }
            _ if is_word(b) => {
                if space && prev_word {
                    h.byte(SPACE);
                }
                let start = i;
                while i < n && is_word(src[i]) {
                    i += 1;
                }
                // A string prefix (`r`, `b`, `f`, `rb`) belongs to the string that follows.
                if !matches!(src.get(i), Some(b'"' | b'\'')) {
                    tokens = tokens.saturating_add(1);
                }
                for &c in &src[start..i] {
                    h.byte(c);
                }
                h.byte(TOKEN_END);
                prev_word = true;
                space = false;
            }
            _ => {
                match b {
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                h.byte(b);
                h.byte(TOKEN_END);
                tokens = tokens.saturating_add(1);
                prev_word = false;
                space = false;
                i += 1;
            }
        }
    }
    (h.0, tokens)
}

/// Where the line holding `from` ends: the index of its newline byte, or the end.
fn memchr_newline(src: &[u8], from: usize) -> usize {
    src[from..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(src.len(), |p| from + p)
}

/// The end of the string literal whose opening quote is at `start`: past its closing quote,
/// or the end of the line (single-quoted) or source (triple-quoted) when it has none.
fn string_end(src: &[u8], start: usize) -> usize {
    let q = src[start];
    let triple = src.get(start..start + 3) == Some(&[q, q, q][..]);
    let mut i = start + if triple { 3 } else { 1 };
    while i < src.len() {
        match src[i] {
            b'\\' => i += 2,
            c if c == q => {
                if !triple {
                    return i + 1;
                }
                if src.get(i..i + 3) == Some(&[q, q, q][..]) {
                    return i + 3;
                }
                i += 1;
            }
            b'\n' | b'\r' if !triple => return i,
            _ => i += 1,
        }
    }
    src.len()
}

/// The shape of a parsed file: the whole text, then each top-level definition's text, hashed
/// by [`lex`]. Only the tree's top level is visited. A module docstring counts (it is
/// content); quote styles are not unified.
pub(crate) fn shape_of(parsed: &Parsed) -> Shape {
    let mut defs = Vec::new();
    def_shapes(parsed.tree.root_node(), &parsed.text, &mut defs);
    shape_with(&parsed.text, defs)
}

/// The shape of `src`, whose top-level definitions' shapes are `defs` (from [`def_shapes`]).
pub(crate) fn shape_with(src: &str, defs: Vec<DefShape>) -> Shape {
    let (hash, tokens) = lex(src.as_bytes());
    Shape { tokens, hash, defs }
}

/// Appends the shapes of the definitions at `root`'s top level (a file's, or a piece's).
pub(crate) fn def_shapes(root: Node<'_>, src: &str, defs: &mut Vec<DefShape>) {
    let src = src.as_bytes();
    for node in root.named_children(&mut root.walk()) {
        if let Some(mut def) = def_shape(node, src)
            && let Some(text) = src.get(node.byte_range())
        {
            (def.hash, def.tokens) = lex(text);
            defs.push(def);
        }
    }
}

/// A top-level definition's name and line, without its hash yet.
fn def_shape(node: Node<'_>, src: &[u8]) -> Option<DefShape> {
    let def = match node.kind_str() {
        "function_definition" | "class_definition" => node,
        "decorated_definition" => node.field("definition")?,
        _ => return None,
    };
    let name = def.field("name")?;
    Some(DefShape {
        name: String::from_utf8_lossy(&src[name.byte_range()]).into_owned(),
        line: line_of(def),
        tokens: 0,
        hash: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(src: &str) -> Shape {
        shape_of(&super::super::parse::parse_full("m.py", src.as_bytes()).unwrap())
    }

    #[test]
    fn whitespace_and_comments_do_not_count() {
        let a = shape(
            "\"\"\"Doc.\"\"\"\nimport os\n\n\ndef f(a, b):\n    return a + b  # add\n\nX = [1,\n     2]\n",
        );
        let b = shape(
            "# header\n\"\"\"Doc.\"\"\"\r\nimport os\r\ndef f( a,b ):\r\n    # body\r\n    return a+b\r\nX = [1, \\\n 2]\r\n",
        );
        assert_eq!((a.tokens, a.hash), (b.tokens, b.hash));
        assert_eq!(
            (a.defs[0].tokens, a.defs[0].hash),
            (b.defs[0].tokens, b.defs[0].hash)
        );
        assert_eq!(a.defs.len(), 1);
        assert_eq!(a.defs[0].name, "f");
        assert_eq!(b.defs[0].line, 4);
    }

    #[test]
    fn the_scan_reads_strings_tabs_and_continuations() {
        // Indentation width, tabs and continuation lines are whitespace.
        assert_eq!(
            shape("if a:\n    b = 1\n").hash,
            shape("if a:\n\tb = 1\n").hash
        );
        assert_eq!(shape("x = a + \\\n    b\n").hash, shape("x = a + b\n").hash);
        // A `#` inside a string is text, a quote after a backslash does not end it.
        assert_ne!(shape("s = '# a'\n").hash, shape("s = '# b'\n").hash);
        assert_ne!(
            shape("s = 'it\\'s # a'\n").hash,
            shape("s = 'it\\'s # b'\n").hash
        );
        // Whitespace inside a triple-quoted string is text; between words it separates them.
        assert_ne!(
            shape("s = '''a  b'''\n").hash,
            shape("s = '''a b'''\n").hash
        );
        assert_ne!(shape("return x\n").hash, shape("returnx\n").hash);
        // A string prefix is part of its string's token.
        assert_eq!(shape("s = rb'x'\n").tokens, 3);
    }

    #[test]
    fn tokens_count_a_string_once() {
        // import os ; X = "abc"  -> 2 + 3 tokens
        assert_eq!(shape("import os\nX = \"abc\"\n").tokens, 5);
        assert_eq!(shape("").tokens, 0);
    }

    #[test]
    fn content_counts() {
        let base = shape("def f(a):\n    return a\n");
        for other in [
            "def f(b):\n    return b\n",
            "def f(a):\n    return 'a'\n",
            "async def f(a):\n    return a\n",
            "\"\"\"Doc.\"\"\"\ndef f(a):\n    return a\n",
        ] {
            assert_ne!(base.hash, shape(other).hash, "{other}");
        }
        assert_ne!(shape("s = 'a\\nb'\n").hash, shape("s = 'a\\tb'\n").hash);
        assert_ne!(shape("s = 'ab\\n'\n").hash, shape("s = 'cd\\n'\n").hash);
        // The grammar hides a format spec's text; it counts all the same.
        assert_ne!(
            shape("s = f'{x:>10}'\n").hash,
            shape("s = f'{x:<10}'\n").hash
        );
    }

    #[test]
    fn structure_counts_where_tokens_agree() {
        assert_ne!(shape("x = 1\n-1\n").hash, shape("x = 1 - 1\n").hash);
        assert_ne!(
            shape("if a:\n    b()\n    c()\n").hash,
            shape("if a:\n    b()\nc()\n").hash
        );
    }

    #[test]
    fn top_level_defs_with_their_own_hash() {
        let s = shape(
            "import os\n\n@dec(1)\ndef f():\n    def inner(): pass\n    return 1\n\nclass C(B):\n    def m(self): pass\n\nasync def g(): pass\nif x:\n    def h(): pass\n",
        );
        let names: Vec<(&str, u32)> = s.defs.iter().map(|d| (d.name.as_str(), d.line)).collect();
        assert_eq!(names, [("f", 4), ("C", 8), ("g", 11)]);
        // `async def g ( ) : pass`
        assert_eq!(s.defs[2].tokens, 7);
        // The same def elsewhere has the same hash; the decorator is part of it.
        let t = shape("X = 1\n@dec(1)\ndef f():\n    def inner(): pass\n    return 1\n");
        assert_eq!(t.defs[0].hash, s.defs[0].hash);
        let u = shape("@dec(2)\ndef f():\n    def inner(): pass\n    return 1\n");
        assert_ne!(u.defs[0].hash, s.defs[0].hash);
    }
}
