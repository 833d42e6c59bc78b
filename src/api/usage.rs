//! Which of the names a module imports it also uses in its own code (API-RULES.md section 2).
//!
//! A public module that imports a name from a private module re-exports it because that module
//! is the only public way to reach it. A name it also uses (`return HeaderDict(headers)`) may be
//! imported for its own use instead, which matters when the object is public elsewhere too; an
//! import nothing uses is a re-export, as linters read it (pyflakes' F401).
//!
//! `used_names` returns a set of owned names and no `Node`.

use std::collections::HashSet;

use tree_sitter::Node;

use super::node::NodeExt;

/// The names of `candidates` that `src` mentions as a word outside import statements, comments
/// and strings. The parse leaves out function bodies the surface does not read (see
/// `super::parse`), so the text is searched, with the tree only marking what to skip; a name in
/// a skipped body's docstring counts as used, which at worst keeps a re-export out.
pub(crate) fn used_names(root: Node<'_>, src: &str, candidates: &HashSet<&str>) -> HashSet<String> {
    if candidates.is_empty() {
        return HashSet::new();
    }
    let mut skip = Vec::new();
    skipped_ranges(root, &mut skip);
    mentioned_names(src, &skip, candidates)
}

/// Appends to `skip` the ranges of `root`'s import statements, comments and strings, in source
/// order. A file read in pieces appends each piece's in turn.
pub(crate) fn skipped_ranges(root: Node<'_>, skip: &mut Vec<(usize, usize)>) {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        let skipped = matches!(
            node.kind_str(),
            "import_statement"
                | "import_from_statement"
                | "future_import_statement"
                | "comment"
                | "string"
        );
        if skipped {
            skip.push((node.start_byte(), node.end_byte()));
        }
        if !skipped && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The names of `candidates` that `src` mentions as a word outside the `skip` ranges (from
/// [`skipped_ranges`]).
pub(crate) fn mentioned_names(
    src: &str,
    skip: &[(usize, usize)],
    candidates: &HashSet<&str>,
) -> HashSet<String> {
    candidates
        .iter()
        .filter(|name| mentioned(src, name, skip))
        .map(|name| (*name).to_owned())
        .collect()
}

/// Whether `name` occurs in `src` as a whole word, not as an attribute (`x.name`), outside
/// the `skip` ranges (sorted, disjoint).
fn mentioned(src: &str, name: &str, skip: &[(usize, usize)]) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let b = src.as_bytes();
    src.match_indices(name).any(|(at, _)| {
        let end = at + name.len();
        let before_ok = at == 0 || !(word(b[at - 1]) || b[at - 1] == b'.');
        let after_ok = end == b.len() || !word(b[end]);
        // The ranges come from a walk in source order and never nest: the last one starting
        // at or before `at` is the only one that can hold it.
        let i = skip.partition_point(|&(s, _)| s <= at);
        let skipped = i > 0 && at < skip[i - 1].1;
        before_ok && after_ok && !skipped
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_used_outside_imports() {
        let src = "\"\"\"Docs name Facade.\"\"\"\nfrom ._c import HeaderDict, Facade, Base, os\n# HeaderDict\nclass P(Base):\n    pass\ndef f(h):\n    x = h.Facade\n    return HeaderDict(h)\ndef g(h):\n    return h + 1\n";
        let parsed = crate::api::parse::parse("m.py", src.as_bytes()).expect("parses");
        let candidates: HashSet<&str> = ["HeaderDict", "Facade", "Base", "os"].into();
        let mut got: Vec<String> = used_names(parsed.tree.root_node(), &parsed.text, &candidates)
            .into_iter()
            .collect();
        got.sort();
        assert_eq!(got, ["Base", "HeaderDict"]);
    }
}
