//! The import facts of one file, for the imports gate: every `import` and `from ... import`
//! statement and every edit of `sys.path` or `PYTHONPATH`, wherever they sit (function bodies
//! included). Owned values only; no tree-sitter type leaves this file.

use tree_sitter::Node;

use super::Error;
use super::node::{NodeExt, dotted, dotted_text, line_of, named_children, string_value};
use super::parse::{self, Parsed, Place};

/// One fact the imports gate reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportFact {
    /// `import a.b` (one fact per name) or `from ..a import b, c`.
    Import {
        /// The dotted module, without the leading dots (`""` for `from . import x`).
        module: String,
        /// The names a `from` import lists (`*` for a star); empty for `import a.b`.
        names: Vec<String>,
        /// How many leading dots: 0 for an absolute import.
        level: usize,
        line: u32,
        /// Inside `try:` with an `except ImportError` (or broader), or under
        /// `if TYPE_CHECKING:`: the code runs without the module. Also under
        /// `if __name__ == "__main__":`, which runs only as a script.
        guarded: bool,
        /// Inside a function: it runs when the function is called, not on import.
        lazy: bool,
    },
    /// A statement that changes where Python looks for modules: `sys.path.insert(...)`,
    /// `site.addsitedir(...)`, `os.environ["PYTHONPATH"] = ...`.
    PathEdit {
        /// The edited target as written (`sys.path.insert`, `os.environ["PYTHONPATH"]`).
        what: String,
        line: u32,
    },
}

/// What the imports gate reads of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileFacts {
    pub facts: Vec<ImportFact>,
    /// `# bumpwise: allow <rule-id> [<rule-id>...]` comments: line and rule ids.
    pub allows: Vec<(u32, Vec<String>)>,
    /// The file's syntax hashed, for the copied-code rule (empty unless asked for).
    pub shape: super::Shape,
}

/// Parses `file` in full (function bodies too) and reads its imports, module-path edits and
/// allow comments, and with `with_shape` its [`super::Shape`]. A syntax error anywhere is an
/// error: the gate never guesses.
pub fn import_facts(file: &str, bytes: &[u8], with_shape: bool) -> Result<FileFacts, Error> {
    let pieces = (bytes.len() > parse::PIECES_FROM).then_some(parse::PIECE_BYTES);
    import_facts_with(file, bytes, with_shape, pieces)
}

/// [`import_facts`], reading the file in pieces of about `pieces` bytes when it can
/// (`parse::parse_pieces`): the same facts, with one small tree in memory at a time.
fn import_facts_with(
    file: &str,
    bytes: &[u8],
    with_shape: bool,
    pieces: Option<usize>,
) -> Result<FileFacts, Error> {
    if let Some(piece_bytes) = pieces {
        let text = parse::decode(file, bytes)?;
        let mut out = FileFacts::default();
        let mut defs = Vec::new();
        let mut walker = Walker {
            src: &text,
            functions: 0,
            deep: is_deep(&text),
            out: &mut out,
        };
        let read = parse::parse_pieces(&text, piece_bytes, false, |root| {
            walker.walk(root, false);
            if with_shape {
                super::shape::def_shapes(root, &text, &mut defs);
            }
        })?;
        if read {
            if with_shape {
                out.shape = super::shape::shape_with(&text, defs);
            }
            return Ok(out);
        }
    }
    let parsed = parse::parse_full(file, bytes)?;
    if let Some(p) = parsed
        .problems
        .iter()
        .find(|p| p.place != Place::GrammarGap)
    {
        return Err(Error::Syntax {
            file: file.to_owned(),
            line: p.line,
            column: p.column,
            text: p.text.clone(),
        });
    }
    Ok(facts_of(&parsed, with_shape))
}

fn facts_of(parsed: &Parsed, with_shape: bool) -> FileFacts {
    let mut out = FileFacts::default();
    let mut walker = Walker {
        src: &parsed.text,
        functions: 0,
        deep: is_deep(&parsed.text),
        out: &mut out,
    };
    walker.walk(parsed.tree.root_node(), false);
    if with_shape {
        out.shape = super::shape::shape_of(parsed);
    }
    out
}

/// Imports are statements, never inside an expression: unless the text could hold a path edit
/// or an allow comment, only statements need a visit, which skips most of the tree.
fn is_deep(text: &str) -> bool {
    ["sys.path", "addsitedir", "PYTHONPATH", "bumpwise:"]
        .iter()
        .any(|marker| text.contains(marker))
}

/// The rule ids of a `# bumpwise: allow a, b` comment.
fn allowed(comment: &str) -> Option<Vec<String>> {
    let rest = comment.trim_start_matches('#').trim_start();
    let rest = rest.strip_prefix("bumpwise:")?.trim_start();
    let ids = rest.strip_prefix("allow")?;
    Some(
        ids.split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

/// Nodes whose children may be statements.
fn holds_statements(kind: &str) -> bool {
    matches!(
        kind,
        "module"
            | "block"
            | "if_statement"
            | "elif_clause"
            | "else_clause"
            | "try_statement"
            | "except_clause"
            | "except_group_clause"
            | "finally_clause"
            | "with_statement"
            | "for_statement"
            | "while_statement"
            | "function_definition"
            | "class_definition"
            | "decorated_definition"
            | "match_statement"
            | "case_clause"
    )
}

struct Walker<'a> {
    src: &'a str,
    /// How many functions hold the node being visited.
    functions: usize,
    /// Visit every node (path edits and allow comments can be anywhere), not only statements.
    deep: bool,
    out: &'a mut FileFacts,
}

impl Walker<'_> {
    fn walk(&mut self, node: Node<'_>, guarded: bool) {
        if !self.deep
            && !holds_statements(node.kind_str())
            && !node.kind_str().starts_with("import")
        {
            return;
        }
        walk(node, self.src, guarded, self);
    }

    /// Walks `node`'s children, the one in `field` (a `try` body, an `if TYPE_CHECKING:`
    /// block) as guarded.
    fn walk_guarding(&mut self, node: Node<'_>, field: &str, guarded: bool) {
        let body = node.field(field).map(|b| b.id());
        for child in node.named_children(&mut node.walk()) {
            self.walk(child, guarded || body == Some(child.id()));
        }
    }
}

fn walk(node: Node<'_>, src: &str, guarded: bool, w: &mut Walker<'_>) {
    let out = &mut *w.out;
    match node.kind_str() {
        "try_statement" if catches_import_error(node, src) => {
            return w.walk_guarding(node, "body", guarded);
        }
        "if_statement" if is_type_checking(node, src) => {
            return w.walk_guarding(node, "consequence", guarded);
        }
        "comment" => {
            if let Some(ids) = allowed(&src[node.byte_range()]) {
                out.allows.push((line_of(node), ids));
            }
        }
        "import_statement" => {
            for name in node.children_by_field_name("name", &mut node.walk()) {
                let module = match name.kind_str() {
                    "aliased_import" => name
                        .field("name")
                        .map(|n| dotted_text(n, src))
                        .unwrap_or_default(),
                    _ => dotted_text(name, src),
                };
                out.facts.push(ImportFact::Import {
                    module,
                    names: Vec::new(),
                    level: 0,
                    line: line_of(node),
                    guarded,
                    lazy: w.functions > 0,
                });
            }
            return;
        }
        "import_from_statement" => {
            if let Some(source) = node.field("module_name") {
                let (module, level) = match source.kind_str() {
                    "relative_import" => {
                        let mut level = 0;
                        let mut module = String::new();
                        for c in named_children(source) {
                            match c.kind_str() {
                                "import_prefix" => level = src[c.byte_range()].trim().len(),
                                "dotted_name" => module = dotted_text(c, src),
                                _ => {}
                            }
                        }
                        (module, level)
                    }
                    _ => (dotted_text(source, src), 0),
                };
                let mut names = Vec::new();
                for c in named_children(node) {
                    if c.kind_str() == "wildcard_import" {
                        names.push("*".to_owned());
                    }
                }
                for name in node.children_by_field_name("name", &mut node.walk()) {
                    let n = match name.kind_str() {
                        "aliased_import" => name.field("name").unwrap_or(name),
                        _ => name,
                    };
                    names.push(dotted_text(n, src));
                }
                out.facts.push(ImportFact::Import {
                    module,
                    names,
                    level,
                    line: line_of(node),
                    guarded,
                    lazy: w.functions > 0,
                });
            }
            return;
        }
        "call" => {
            if let Some(what) = path_call(node, src) {
                out.facts.push(ImportFact::PathEdit {
                    what,
                    line: line_of(node),
                });
            }
        }
        "assignment" | "augmented_assignment" => {
            if let Some(left) = node.field("left")
                && let Some(what) = path_target(left, src)
            {
                out.facts.push(ImportFact::PathEdit {
                    what,
                    line: line_of(node),
                });
            }
        }
        _ => {}
    }
    // Comments too: allow comments are what this walk collects besides facts.
    let function = node.kind_str() == "function_definition";
    w.functions += usize::from(function);
    for child in node.named_children(&mut node.walk()) {
        w.walk(child, guarded);
    }
    w.functions -= usize::from(function);
}

/// A `try` whose handlers catch a failed import: `except ImportError`,
/// `ModuleNotFoundError`, `Exception`, `BaseException`, or a bare `except:`.
fn catches_import_error(node: Node<'_>, src: &str) -> bool {
    named_children(node)
        .into_iter()
        .filter(|c| c.kind_str() == "except_clause")
        .any(|clause| {
            let Some(value) = named_children(clause)
                .into_iter()
                .find(|c| c.kind_str() != "block" && c.kind_str() != "comment")
            else {
                return true;
            };
            let text = &src[value.byte_range()];
            [
                "ImportError",
                "ModuleNotFoundError",
                "Exception",
                "BaseException",
            ]
            .iter()
            .any(|name| {
                text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .any(|word| word == *name)
            })
        })
}

/// `if TYPE_CHECKING:`, `if typing.TYPE_CHECKING:`, or `if __name__ == "__main__":` (run as a
/// script, with its own folder on `sys.path`).
fn is_type_checking(node: Node<'_>, src: &str) -> bool {
    node.field("condition").is_some_and(|c| {
        let text = src[c.byte_range()].trim();
        text.ends_with("TYPE_CHECKING")
            || (text.starts_with("__name__") && text.contains("__main__"))
    })
}

/// `sys.path.insert(...)`, `site.addsitedir(...)`, `os.putenv("PYTHONPATH", ...)`,
/// `os.environ.setdefault("PYTHONPATH", ...)`: the callee as written.
fn path_call(call: Node<'_>, src: &str) -> Option<String> {
    let parts = dotted(call.field("function")?, src)?;
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    let first_arg_is_pythonpath = || {
        call.field("arguments")
            .and_then(|a| named_children(a).into_iter().next())
            .and_then(|a| string_value(a, src))
            .is_some_and(|s| s == "PYTHONPATH")
    };
    let hit = match parts.as_slice() {
        [.., "sys", "path", "insert" | "append" | "extend"] => true,
        [.., "addsitedir"] => true,
        [.., "environ", "setdefault" | "update" | "__setitem__"] | [.., "putenv"] => {
            first_arg_is_pythonpath()
        }
        _ => false,
    };
    hit.then(|| parts.join("."))
}

/// `sys.path = ...`, `sys.path[0:0] = ...`, `os.environ["PYTHONPATH"] = ...`.
fn path_target(left: Node<'_>, src: &str) -> Option<String> {
    match left.kind_str() {
        "attribute" => {
            let parts = dotted(left, src)?;
            parts
                .ends_with(&["sys".to_owned(), "path".to_owned()])
                .then(|| parts.join("."))
        }
        "subscript" => {
            let value = left.field("value")?;
            let parts = dotted(value, src)?;
            let joined = parts.join(".");
            if parts.ends_with(&["sys".to_owned(), "path".to_owned()]) {
                return Some(format!("{joined}[...]"));
            }
            let key = left.field("subscript").and_then(|k| string_value(k, src))?;
            (parts.last().is_some_and(|p| p == "environ") && key == "PYTHONPATH")
                .then(|| format!("{joined}[\"PYTHONPATH\"]"))
        }
        "pattern_list" | "tuple_pattern" => named_children(left)
            .into_iter()
            .find_map(|c| path_target(c, src)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Python file under testdata/, read a statement a piece, gives the import facts
    /// and the shape that the whole file gives (`parse::parse_pieces` without skimming).
    #[test]
    fn files_read_in_pieces_give_the_whole_files_import_facts() {
        let paths = crate::api::testutil::testdata_python_files();
        assert!(paths.len() > 150);
        for path in &paths {
            let bytes = std::fs::read(path).unwrap();
            let file = path.display().to_string();
            let whole = import_facts_with(&file, &bytes, true, None);
            let pieces = import_facts_with(&file, &bytes, true, Some(1));
            match (whole, pieces) {
                (Ok(whole), Ok(pieces)) => assert_eq!(whole, pieces, "{file}"),
                (Err(_), Err(_)) => {}
                (whole, pieces) => panic!("{file}: {whole:?} whole, {pieces:?} in pieces"),
            }
        }
    }

    fn facts(src: &str) -> Vec<ImportFact> {
        import_facts("m.py", src.as_bytes(), false).unwrap().facts
    }

    fn edits(src: &str) -> Vec<(String, u32)> {
        facts(src)
            .into_iter()
            .filter_map(|f| match f {
                ImportFact::PathEdit { what, line } => Some((what, line)),
                ImportFact::Import { .. } => None,
            })
            .collect()
    }

    #[test]
    fn imports_anywhere_with_their_level_and_names() {
        let src = "import os, src.pkg as p\nfrom ..a.b import c, d as e\nfrom . import *\ndef f():\n    x = 1\n    from packages.rules import r\n";
        assert_eq!(
            facts(src),
            vec![
                ImportFact::Import {
                    module: "os".into(),
                    names: vec![],
                    level: 0,
                    line: 1,
                    guarded: false,
                    lazy: false
                },
                ImportFact::Import {
                    module: "src.pkg".into(),
                    names: vec![],
                    level: 0,
                    line: 1,
                    guarded: false,
                    lazy: false
                },
                ImportFact::Import {
                    module: "a.b".into(),
                    names: vec!["c".into(), "d".into()],
                    level: 2,
                    line: 2,
                    guarded: false,
                    lazy: false
                },
                ImportFact::Import {
                    module: "".into(),
                    names: vec!["*".into()],
                    level: 1,
                    line: 3,
                    guarded: false,
                    lazy: false
                },
                ImportFact::Import {
                    module: "packages.rules".into(),
                    names: vec!["r".into()],
                    level: 0,
                    line: 6,
                    guarded: false,
                    lazy: true
                },
            ]
        );
    }

    #[test]
    fn path_edits_in_every_spelling_including_function_bodies() {
        let src = "\
import sys, os, site
sys.path.insert(0, 'x')
def setup():
    x = 1
    sys.path.append('y')
    sys.path[0:0] = ['z']
    sys.path = ['w']
    site.addsitedir('v')
    os.environ['PYTHONPATH'] = 'u'
    os.environ.setdefault('PYTHONPATH', 't')
    os.putenv('PYTHONPATH', 's')
";
        let lines: Vec<u32> = edits(src).into_iter().map(|(_, l)| l).collect();
        assert_eq!(lines, vec![2, 5, 6, 7, 8, 9, 10, 11]);
    }

    #[test]
    fn imports_in_every_statement_block_without_a_full_walk() {
        // No path-edit or allow marker in the text: only statements are visited.
        let src = "\
class C:
    import a
    def m(self):
        with open('x') as f:
            import b
        for x in y:
            import c
        else:
            import d
        while True:
            import e
async def g():
    async with x:
        import f
match v:
    case 1:
        import g
@dec
def h():
    import h
";
        let modules: Vec<String> = facts(src)
            .into_iter()
            .filter_map(|f| match f {
                ImportFact::Import { module, .. } => Some(module),
                ImportFact::PathEdit { .. } => None,
            })
            .collect();
        assert_eq!(modules, ["a", "b", "c", "d", "e", "f", "g", "h"]);
    }

    #[test]
    fn guarded_imports_are_marked() {
        let src = "\
try:
    import ujson as json
except ImportError:
    import json
try:
    import a
finally:
    pass
try:
    import b
except (OSError, ModuleNotFoundError):
    pass
try:
    import c
except ValueError:
    pass
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from _typeshed import StrPath
else:
    import d
if __name__ == '__main__':
    import _manylinux
";
        let guarded: Vec<(String, bool)> = facts(src)
            .into_iter()
            .filter_map(|f| match f {
                ImportFact::Import {
                    module, guarded, ..
                } => Some((module, guarded)),
                ImportFact::PathEdit { .. } => None,
            })
            .collect();
        let want = [
            ("ujson", true),
            ("json", false),
            ("a", false),
            ("b", true),
            ("c", false),
            ("typing", false),
            ("_typeshed", true),
            ("d", false),
            ("_manylinux", true),
        ];
        assert_eq!(
            guarded,
            want.iter()
                .map(|(m, g)| ((*m).to_owned(), *g))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn allow_comments_name_their_rules() {
        let src = "import sys\nsys.path.append('x')  # bumpwise: allow sys-path-edit\n# bumpwise: allow a, b\n# allow c\n";
        let facts = import_facts("m.py", src.as_bytes(), false).unwrap();
        assert_eq!(
            facts.allows,
            vec![
                (2, vec!["sys-path-edit".to_owned()]),
                (3, vec!["a".to_owned(), "b".to_owned()])
            ]
        );
    }

    #[test]
    fn a_syntax_error_in_a_body_is_an_error() {
        let err = import_facts("m.py", b"x = 1\ndef f():\n    y = )\n", false).unwrap_err();
        assert!(matches!(err, Error::Syntax { line: 3, .. }), "{err}");
    }

    #[test]
    fn near_misses_are_not_path_edits() {
        let src = "\
import sys, os
print(sys.path)
p = sys.path[0]
os.environ['HOME'] = 'x'
os.environ.setdefault('PATH', 'y')
path.insert(0, 'z')
def f():
    return list(sys.path)
";
        assert_eq!(edits(src), vec![]);
    }
}
