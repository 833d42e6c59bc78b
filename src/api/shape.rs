//! The shape of a file for the copied-code rule: a hash of its syntax, blind to whitespace and
//! comments, for the whole file and for each top-level `def` and `class`.
//!
//! One pass over the tree the facts walk already parsed; it hashes byte slices of the source and
//! allocates nothing per token, because it runs on every file of a large repository.

use tree_sitter::{Node, TreeCursor};

use super::node::line_of;
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

/// FNV-1a, 64 bits: deterministic, unlike std's `DefaultHasher`, and a few lines.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    const START: Fnv = Fnv(0xcbf2_9ce4_8422_2325);

    fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
}

// Markers use bytes that never occur in UTF-8, so no token text can imitate them.
const TOKEN_END: u8 = 0xff;
const OPEN: u8 = 0xfe;
const CLOSE: u8 = 0xfd;

/// Feeds the file hash and, inside a top-level definition, the definition's hash too.
struct Hashers {
    file: Fnv,
    file_tokens: u32,
    def: Option<(Fnv, u32)>,
    /// Where the last leaf ended: the text from there to the next leaf is whitespace, or
    /// tokens the grammar hides (a format spec's `>10`), which must count too.
    seen: usize,
}

impl Hashers {
    fn byte(&mut self, b: u8) {
        self.file.byte(b);
        if let Some((h, _)) = &mut self.def {
            h.byte(b);
        }
    }

    fn token(&mut self, text: &[u8], counts: bool) {
        // A CRLF inside a triple-quoted string reads as LF in Python; lone CRs are already
        // newlines after decoding.
        for &b in text.iter().filter(|&&b| b != b'\r') {
            self.byte(b);
        }
        self.byte(TOKEN_END);
        if counts {
            self.file_tokens = self.file_tokens.saturating_add(1);
            if let Some((_, n)) = &mut self.def {
                *n = n.saturating_add(1);
            }
        }
    }

    /// The text between the last leaf and `at`, whitespace left out.
    fn gap(&mut self, src: &[u8], at: usize) {
        let Some(text) = src.get(self.seen..at) else {
            return;
        };
        self.seen = self.seen.max(at);
        let mut any = false;
        for &b in text.iter().filter(|b| !b.is_ascii_whitespace()) {
            self.byte(b);
            any = true;
        }
        if any {
            self.byte(TOKEN_END);
        }
    }

    /// A leaf at `range`: the gap before it, then its text.
    fn leaf(&mut self, src: &[u8], range: std::ops::Range<usize>, counts: bool) {
        self.gap(src, range.start);
        self.seen = range.end;
        if let Some(text) = src.get(range)
            && !text.is_empty()
        {
            self.token(text, counts);
        }
    }

    fn open(&mut self, kind: u16) {
        self.byte(OPEN);
        kind.to_le_bytes().into_iter().for_each(|b| self.byte(b));
    }
}

/// The shape of a parsed file.
///
/// Leaves are hashed with their text, and every named inner node with its kind and extent:
/// tokens alone cannot tell `x = 1\n-1` from `x = 1 - 1`, nor a statement inside an `if` block
/// from one after it. A module docstring counts (it is content); quote styles are not unified.
pub(crate) fn shape_of(parsed: &Parsed) -> Shape {
    let src = parsed.text.as_bytes();
    let mut h = Hashers {
        file: Fnv::START,
        file_tokens: 0,
        def: None,
        seen: 0,
    };
    let mut defs = Vec::new();
    let mut pending: Option<DefShape> = None;
    let mut cursor: TreeCursor<'_> = parsed.tree.walk();
    let mut depth = 0usize;
    'walk: loop {
        let node = cursor.node();
        match node.kind() {
            // Extras: a comment or a backslash continuation changes nothing.
            "comment" | "line_continuation" => {
                h.gap(src, node.start_byte());
                h.seen = node.end_byte();
            }
            // Its escape sequences are children, but the text between them is not.
            "string_content" => h.leaf(src, node.byte_range(), true),
            kind if node.child_count() == 0 => {
                h.leaf(
                    src,
                    node.byte_range(),
                    !matches!(kind, "string_start" | "string_end"),
                );
            }
            _ => {
                if depth == 1
                    && let Some(def) = def_shape(node, src)
                {
                    pending = Some(def);
                    h.def = Some((Fnv::START, 0));
                }
                if node.is_named() {
                    h.open(node.kind_id());
                }
                if cursor.goto_first_child() {
                    depth += 1;
                    continue 'walk;
                }
            }
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
            depth -= 1;
            if cursor.node().is_named() {
                h.byte(CLOSE);
            }
            if depth == 1
                && let Some(mut def) = pending.take()
                && let Some((hash, tokens)) = h.def.take()
            {
                def.hash = hash.0;
                def.tokens = tokens;
                defs.push(def);
            }
        }
    }
    h.gap(src, src.len());
    Shape {
        tokens: h.file_tokens,
        hash: h.file.0,
        defs,
    }
}

/// A top-level definition's name and line, without its hash yet.
fn def_shape(node: Node<'_>, src: &[u8]) -> Option<DefShape> {
    let def = match node.kind() {
        "function_definition" | "class_definition" => node,
        "decorated_definition" => node.child_by_field_name("definition")?,
        _ => return None,
    };
    let name = def.child_by_field_name("name")?;
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
