//! Parsing Python files (decoded by `super::decode`), and sorting their syntax errors (API-RULES.md section 5).
//!
//! The grammar is converted once; each rayon thread keeps its own `Parser`. A parse never fails
//! on bad syntax: tree-sitter marks it with ERROR and MISSING nodes, and [`Parsed::problems`]
//! says where each one sits, so that [`super::exports`] can decide whether it stops the run (a
//! module- or class-level statement of a module the surface needs) or is only a warning (a
//! function body, or an expression whose source text the surface keeps as written).

use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::sync::LazyLock;

use tree_sitter::{Language, Node, Parser, Tree};

use super::Error;
pub(crate) use super::decode::decode;
use super::node::NodeExt;
use super::skim::{LineIndex, Placeholder, Skimmed, outline, skim, skimmed_copy};

/// The Python grammar, converted once for every thread.
pub(crate) static LANGUAGE: LazyLock<Language> =
    LazyLock::new(|| tree_sitter_python::LANGUAGE.into());

thread_local! {
    /// One parser per thread: a `Parser` holds mutable state and must not be shared.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Makes tree-sitter's C code allocate with mimalloc, the program's allocator: a parse is
/// hundreds of thousands of small allocations, which glibc's malloc serves more slowly. Call it
/// once, first thing, before any parser or tree exists (the binary does; tests keep malloc).
pub fn allocate_with_mimalloc() {
    use libmimalloc_sys::{mi_free, mi_malloc, mi_realloc, mi_zalloc};
    use std::ffi::c_void;

    unsafe extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
        match count.checked_mul(size) {
            // SAFETY: mi_zalloc takes any size and returns null when it cannot allocate.
            Some(total) => unsafe { mi_zalloc(total) },
            None => std::ptr::null_mut(),
        }
    }
    // SAFETY: no tree-sitter object exists yet, so nothing the old allocator gave out is freed
    // or grown by the new one; the four functions have the C signatures tree-sitter expects.
    unsafe {
        tree_sitter::set_allocator(Some(tree_sitter::Allocator {
            malloc: mi_malloc,
            calloc,
            realloc: mi_realloc,
            free: mi_free,
        }));
    }
}

/// A decoded and parsed file.
pub(crate) struct Parsed {
    /// The decoded source; the tree's byte offsets point into it.
    pub text: String,
    pub tree: Tree,
    /// Every ERROR and MISSING node, in source order.
    pub problems: Vec<Problem>,
}

/// Where a syntax error sits, which decides whether it can change the surface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Place {
    /// A module- or class-level statement: the surface cannot be read around it.
    Statement,
    /// Inside a function body.
    FunctionBody,
    /// Inside an expression the surface keeps as text.
    Kept(Kept),
    /// A PEP 696 type parameter default (`class Box[T = int]:`), valid Python since 3.13 that
    /// tree-sitter-python 0.25 does not parse: not an error at all.
    GrammarGap,
}

/// An expression whose source text the surface keeps as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Kept {
    TypeParameters,
    Annotation,
    DefaultValue,
    AssignedValue,
    DecoratorArguments,
}

impl Kept {
    /// The noun warnings use.
    fn noun(self) -> &'static str {
        match self {
            Kept::TypeParameters => "a type parameter list",
            Kept::Annotation => "an annotation",
            Kept::DefaultValue => "a default value",
            Kept::AssignedValue => "an assigned value",
            Kept::DecoratorArguments => "a decorator's arguments",
        }
    }
}

/// One ERROR or MISSING node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Problem {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// The offending source line, trimmed.
    pub text: String,
    pub place: Place,
    /// A MISSING node (what tree-sitter expected) rather than an ERROR.
    pub missing: Option<String>,
}

impl Problem {
    /// Whether this problem stops the run when it is in a module the surface needs.
    pub fn is_fatal(&self) -> bool {
        self.place == Place::Statement
    }

    /// A short description for warnings.
    pub fn describe(&self) -> String {
        let what = match &self.missing {
            Some(kind) => format!("missing `{kind}`"),
            None => "syntax error".to_owned(),
        };
        let place = match self.place {
            Place::Statement => "a module- or class-level statement".to_owned(),
            Place::FunctionBody => "a function body".to_owned(),
            Place::Kept(kept) => format!("{} (kept as written)", kept.noun()),
            Place::GrammarGap => "a type parameter list".to_owned(),
        };
        format!("{what} in {place}: {}", self.text)
    }
}

/// Decodes and parses one file on the calling thread's parser.
///
/// Function bodies the surface does not need are left out of the parse (see [`skim`]): they
/// hold most of a package's code, and tree-sitter's time is nearly all of extraction's. A file
/// whose skimmed parse shows any doubt (an error anywhere, a placeholder not read as a function
/// body) is parsed again in full, so errors are always found and placed on the real source.
pub(crate) fn parse(path: &str, bytes: &[u8]) -> Result<Parsed, Error> {
    parse_with(path, bytes, true)
}

/// Decodes and parses one file with every function body: the imports gate reads imports and
/// `sys.path` edits wherever they are, which [`skim`] would leave out.
pub(crate) fn parse_full(path: &str, bytes: &[u8]) -> Result<Parsed, Error> {
    parse_with(path, bytes, false)
}

fn parse_with(path: &str, bytes: &[u8], skimming: bool) -> Result<Parsed, Error> {
    let text = decode(path, bytes)?;
    let tree = with_parser(|parser| {
        if skimming
            && let Some(skimmed) = skim(&text)
            && parser.set_included_ranges(&skimmed.ranges).is_ok()
        {
            let tree = parser.parse(&skimmed.bytes, None);
            if let Some(tree) = tree
                && confirmed(&skimmed, &tree)
            {
                let _ = parser.set_included_ranges(&[]);
                return Ok(tree);
            }
        }
        let _ = parser.set_included_ranges(&[]);
        parser
            .parse(&text, None)
            .ok_or_else(|| Error::Grammar(format!("the parser gave no tree for `{path}`")))
    })?;
    let problems = if tree.root_node().has_error() {
        problems(&tree, &text)
    } else {
        Vec::new()
    };
    Ok(Parsed {
        text,
        tree,
        problems,
    })
}

/// Runs `f` on the calling thread's parser, made on first use.
fn with_parser<T>(f: impl FnOnce(&mut Parser) -> Result<T, Error>) -> Result<T, Error> {
    PARSER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&LANGUAGE)
                .map_err(|e| Error::Grammar(e.to_string()))?;
            *slot = Some(parser);
        }
        let Some(parser) = slot.as_mut() else {
            return Err(Error::Grammar("no parser".to_owned()));
        };
        f(parser)
    })
}

/// A file larger than this is parsed a piece at a time, in pieces of about [`PIECE_BYTES`].
/// Measured on a generated module of 100,000 functions (16 MB): 64 KB pieces took 5 % less
/// time than 256 KB ones and 7 % less than the whole file. Django's largest file is 116 KB,
/// and there pieces (which blank bodies) cost more than the whole file's included ranges.
pub(crate) const PIECES_FROM: usize = 256 * 1024;
pub(crate) const PIECE_BYTES: usize = 64 * 1024;

/// Parses a decoded file (longer than `piece_bytes`) a piece at a time: runs of whole
/// module-level statements of about `piece_bytes` each, with skimmed bodies blanked when
/// `skimming` (see [`skim`]). Each piece's tree goes to `visit`, in source order, and is
/// dropped before the next piece is parsed.
///
/// Why: a tree takes about fourteen times its source in memory, and a walk over a large one
/// misses the CPU's caches at every step. A diff of two generated modules of 100,000
/// functions (16 MB each) peaked at 830 MB whole and 430 MB in pieces, and ran 7 % faster.
///
/// `Ok(false)` when the file is not split (small, or not readable by [`skim`]'s tokenizer) or a
/// piece holds a syntax error: `visit` may have seen some pieces then, and the caller reads the
/// whole file with [`parse`] instead, which places errors as usual. Pieces are an optimization
/// only; they never report an error.
pub(crate) fn parse_pieces(
    text: &str,
    piece_bytes: usize,
    skimming: bool,
    mut visit: impl FnMut(Node<'_>),
) -> Result<bool, Error> {
    if text.len() <= piece_bytes {
        return Ok(false);
    }
    let Some(outline) = outline(text) else {
        return Ok(false);
    };
    let pieces = outline.pieces(text.len(), piece_bytes);
    if pieces.len() < 2 {
        return Ok(false);
    }
    let excluded = if skimming { &outline.excluded[..] } else { &[] };
    let skimmed = skimmed_copy(text, excluded, true);
    let lines = LineIndex::new(text.as_bytes());
    with_parser(|parser| {
        let mut each = || {
            for &(start, end) in &pieces {
                parser
                    .set_included_ranges(&[lines.range(start, end)])
                    .ok()?;
                let from = skimmed.placeholders.partition_point(|p| p.at < start);
                let to = skimmed.placeholders.partition_point(|p| p.at < end);
                let placeholders = &skimmed.placeholders[from..to];
                let tree = match parser.parse(&skimmed.bytes, None) {
                    Some(tree)
                        if !tree.root_node().has_error()
                            && all_placeholder_bodies(tree.root_node(), placeholders) =>
                    {
                        tree
                    }
                    // A doubt: the piece again, with its bodies.
                    _ => parser
                        .parse(text, None)
                        .filter(|tree| !tree.root_node().has_error())?,
                };
                visit(tree.root_node());
            }
            Some(())
        };
        let clean = each().is_some();
        let _ = parser.set_included_ranges(&[]);
        Ok(clean)
    })
}

/// The parse is clean and every placeholder is the whole body of a `def`.
fn confirmed(skimmed: &Skimmed, tree: &Tree) -> bool {
    let root = tree.root_node();
    !root.has_error() && all_placeholder_bodies(root, &skimmed.placeholders)
}

/// Whether every placeholder (sorted) is the whole body of a `def`: one walk down the tree,
/// entering only the nodes that hold the next placeholder, so a module of many functions costs
/// its size, not its size times its depth.
fn all_placeholder_bodies(root: Node<'_>, placeholders: &[Placeholder]) -> bool {
    let mut cursor = root.walk();
    let mut next = placeholders.iter().copied().peekable();
    if !cursor.goto_first_child() {
        return next.peek().is_none();
    }
    while let Some(&placeholder) = next.peek() {
        let at = placeholder.at;
        let node = cursor.node();
        if node.end_byte() <= at {
            // On to the next node after this one, climbing out of finished parents.
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return false;
                }
            }
        } else if node.start_byte() > at {
            // No node holds the placeholder where a body should.
            return false;
        } else if is_placeholder_def(node, placeholder) {
            next.next();
        } else if !cursor.goto_first_child() {
            return false;
        }
    }
    true
}

/// Whether `def` is `function_definition > block > expression_statement > ellipsis` (or
/// `yield`) with the block starting at the placeholder, which is its only statement.
fn is_placeholder_def(def: Node<'_>, placeholder: Placeholder) -> bool {
    let at = placeholder.at;
    if def.kind_str() != "function_definition" {
        return false;
    }
    let Some(block) = def.field("body") else {
        return false;
    };
    if block.kind_str() != "block" || block.start_byte() != at {
        return false;
    }
    let mut c = block.walk();
    let mut statements = block.named_children(&mut c);
    let Some(stmt) = statements.next() else {
        return false;
    };
    // Comments after the last statement of a body belong to its block.
    let only_comments_after = statements.all(|n| n.kind_str() == "comment");
    only_comments_after
        && stmt.kind_str() == "expression_statement"
        && (stmt.start_byte(), stmt.end_byte()) == (at, placeholder.end())
        && stmt.named_child_count() == 1
        && stmt.named_child(0).is_some_and(|expr| {
            expr.kind_str()
                == if placeholder.generator {
                    "yield"
                } else {
                    "ellipsis"
                }
                && expr.named_child_count() == 0
        })
}

/// Every ERROR and MISSING node, with its place. Only subtrees that contain an error are visited.
fn problems(tree: &Tree, text: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    visit(tree.root_node(), Ctx::statement(), text, &mut out);
    out.sort_by_key(|p| (p.line, p.column));
    out
}

/// What the walk knows about the nodes above.
#[derive(Clone, Copy)]
struct Ctx {
    place: Place,
    /// For a confined place: the column of the statement that confines it. An ERROR that
    /// reaches back to this column has swallowed what follows (tree-sitter's recovery), so it is
    /// not confined after all.
    anchor: usize,
    /// Inside the `left` of a `type X[...] = ...` statement.
    alias_left: bool,
    /// Inside a decorator.
    decorator: bool,
}

impl Ctx {
    fn statement() -> Ctx {
        Ctx {
            place: Place::Statement,
            anchor: 0,
            alias_left: false,
            decorator: false,
        }
    }
}

fn visit(node: Node<'_>, ctx: Ctx, text: &str, out: &mut Vec<Problem>) {
    let mut cursor = node.walk();
    if !cursor.goto_first_child() {
        return;
    }
    // An ERROR right after a `def ...:` (before its block) sits in the function body.
    let mut body_started = false;
    loop {
        let child = cursor.node();
        if child.is_error() || child.is_missing() {
            let here = if body_started && ctx.place == Place::Statement {
                Ctx {
                    place: Place::FunctionBody,
                    anchor: node.start_position().column,
                    ..ctx
                }
            } else {
                ctx
            };
            out.push(problem(node, child, here, text));
        } else if child.has_error() {
            let child_ctx = context(node, child, cursor.field_name(), ctx);
            visit(child, child_ctx, text, out);
        }
        if node.kind_str() == "function_definition" && child.kind_str() == ":" {
            body_started = true;
        }
        if !cursor.goto_next_sibling() {
            break;
        }
    }
}

/// The context of `child`, a child of `parent` in field `field`.
fn context(parent: Node<'_>, child: Node<'_>, field: Option<&str>, ctx: Ctx) -> Ctx {
    if ctx.place != Place::Statement {
        return ctx;
    }
    let confined = |place| Ctx {
        place,
        anchor: parent.start_position().column,
        ..ctx
    };
    match (parent.kind_str(), field) {
        ("function_definition", Some("body")) => confined(Place::FunctionBody),
        ("function_definition" | "class_definition", Some("type_parameters")) => {
            confined(Place::Kept(Kept::TypeParameters))
        }
        ("function_definition", Some("return_type")) => confined(Place::Kept(Kept::Annotation)),
        ("typed_parameter" | "typed_default_parameter", Some("type")) => {
            confined(Place::Kept(Kept::Annotation))
        }
        ("default_parameter" | "typed_default_parameter", Some("value")) => {
            confined(Place::Kept(Kept::DefaultValue))
        }
        ("assignment", Some("type")) => confined(Place::Kept(Kept::Annotation)),
        ("assignment" | "augmented_assignment", Some("right")) => {
            confined(Place::Kept(Kept::AssignedValue))
        }
        ("type_alias_statement", Some("right")) => confined(Place::Kept(Kept::AssignedValue)),
        ("type_alias_statement", Some("left")) => Ctx {
            alias_left: true,
            ..ctx
        },
        ("decorator", _) => Ctx {
            decorator: true,
            anchor: parent.start_position().column,
            ..ctx
        },
        _ if ctx.alias_left && child.kind_str() == "type_parameter" => {
            confined(Place::Kept(Kept::TypeParameters))
        }
        _ if ctx.decorator && child.kind_str() == "argument_list" => Ctx {
            place: Place::Kept(Kept::DecoratorArguments),
            ..ctx
        },
        _ => ctx,
    }
}

fn problem(parent: Node<'_>, node: Node<'_>, ctx: Ctx, text: &str) -> Problem {
    let start = node.start_byte();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let column = text[line_start..start].chars().count() + 1;
    let mut place = ctx.place;
    if place != Place::Statement && swallows_dedent(node, ctx.anchor, text) {
        place = Place::Statement;
    }
    if place == Place::Kept(Kept::TypeParameters) && is_pep696_default(parent, node, text) {
        place = Place::GrammarGap;
    }
    Problem {
        line: u32::try_from(node.start_position().row + 1).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        text: text[line_start..line_end].trim().to_owned(),
        place,
        missing: node.is_missing().then(|| node.kind_str().to_owned()),
    }
}

/// Whether an ERROR spans a later line that starts at or left of `anchor`: real Python would
/// have ended the confining statement there, so the error reaches module or class level.
fn swallows_dedent(node: Node<'_>, anchor: usize, text: &str) -> bool {
    let span = &text[node.byte_range()];
    span.split('\n').skip(1).any(|line| {
        let indent = line.len() - line.trim_start_matches([' ', '\t', '\x0c']).len();
        let rest = line[indent..].trim_end();
        !rest.is_empty() && !rest.starts_with('#') && indent <= anchor
    })
}

/// tree-sitter-python 0.25 reads `[T = int]`, `[T: int = bool]`, `[*Ts = *tuple[int]]` and
/// `[**P = [int]]` as an ERROR holding the parameter and its `=` (then the default as a type):
/// PEP 696 syntax, valid since Python 3.13.
fn is_pep696_default(parent: Node<'_>, node: Node<'_>, text: &str) -> bool {
    let in_type_params = parent.kind_str() == "type_parameter"
        || (parent.kind_str() == "constrained_type"
            && parent
                .parent()
                .and_then(|p| p.parent())
                .is_some_and(|p| p.kind_str() == "type_parameter"));
    if !in_type_params || node.is_missing() {
        return false;
    }
    let span = text[node.byte_range()].trim_end();
    let span = span.strip_suffix('*').unwrap_or(span).trim_end();
    span.ends_with('=') && span.matches('=').count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::skim::MAX_RANGES;

    fn problems_of(src: &str) -> Vec<Problem> {
        parse("m.py", src.as_bytes()).unwrap().problems
    }

    #[test]
    fn lone_carriage_returns_become_newlines() {
        assert_eq!(
            decode("a.py", b"x = 1\ry = 2\r\n").unwrap(),
            "x = 1\ny = 2\r\n"
        );
        assert!(problems_of("x = 1\ry = 2\r").is_empty());
    }

    /// Valid modern Python must never be reported as broken (API-RULES.md section 5).
    #[test]
    fn modern_syntax_parses_cleanly() {
        let cases = [
            // match statements, including soft keywords used as names
            "match cmd.split():\n    case [\"go\", d] if d: pass\n    case {\"k\": v, **kw}: pass\n    case Point(x=0) | None: pass\n    case [1, *rest] as whole: pass\n    case _: pass\nmatch = 1\ncase = 2\n",
            // PEP 695 type parameters and `type` aliases; `type` as a name
            "def f[T: int, *Ts, **P](x: T) -> T: ...\nclass C[T](Base): pass\ntype X = list[int]\ntype Y[T] = dict[str, T]\ntype = 5\nclass K:\n    type A = int\n",
            // PEP 701 f-strings with nested same quotes, comments, backslashes
            "x = f\"{d[\"key\"]} and {f\"{f\"{y}\"}\"}\"\ny = f\"{'\\n'.join(a)}\"\nz = f\"{x # c\n}\"\nw = f\"{a!r:>{w}}\" f\"{x=}\"\n",
            // except*
            "try:\n    pass\nexcept* (ValueError, TypeError) as e:\n    pass\n",
            // walrus
            "if (n := len(a)) > 10: pass\ny = [j for i in a if (j := i)]\n",
            // positional-only and keyword-only markers
            "def f(a, b=1, /, c=2, *, d, **kw): pass\nlambda x, /, y=1, *a, k, **kw: 0\n",
            // PEP 614 decorators
            "@buttons[0].clicked.connect\ndef h(): pass\n@(lambda f: f)\ndef k(): pass\n@x if y else z\nclass C: pass\n",
            // parenthesized context managers, PEP 646 unpacking
            "with (open(a) as f, open(b) as g):\n    pass\ndef f(*args: *Ts) -> tuple[*Ts]: ...\n",
        ];
        for src in cases {
            assert_eq!(problems_of(src), Vec::new(), "{src}");
        }
    }

    /// tree-sitter-python 0.25 gives ERROR nodes for PEP 696 defaults: each is a grammar gap.
    #[test]
    fn pep696_defaults_are_grammar_gaps() {
        let src = "class Box[T = int]:\n    x: int\ndef g[T: int = bool, *Ts = *tuple[int], **P = [int]](a: T) -> T: ...\ntype Z[T = int] = list[T]\nclass C:\n    def m[U = str](self) -> U: ...\n";
        let found = problems_of(src);
        assert_eq!(found.len(), 6, "{found:?}");
        assert!(
            found.iter().all(|p| p.place == Place::GrammarGap),
            "{found:?}"
        );
        assert!(found.iter().all(|p| !p.is_fatal()));
        assert_eq!((found[0].line, found[0].column), (1, 11));
    }

    #[test]
    fn module_level_errors_are_fatal() {
        let found = problems_of("x = 1\ndef f(a b):\n    pass\n");
        assert!(found[0].is_fatal(), "{found:?}");
        assert_eq!(found[0].line, 2);
        assert_eq!(found[0].text, "def f(a b):");

        let found = problems_of("def f(:\n    pass\n");
        assert_eq!(found[0].place, Place::Statement);
        assert_eq!(found[0].missing.as_deref(), Some(")"));
    }

    #[test]
    fn class_level_errors_are_fatal() {
        let found = problems_of("class A:\n    x = = 1\n    def f(self): pass\n");
        assert!(found.iter().any(Problem::is_fatal), "{found:?}");
    }

    #[test]
    fn function_body_errors_are_confined() {
        let found = problems_of("def f():\n    x = )\n    return 1\ndef g(): pass\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].place, Place::FunctionBody);
        assert_eq!((found[0].line, found[0].column), (2, 9));
        assert_eq!(found[0].text, "x = )");

        // A body the surface reads (here `__init__`) is always parsed in full.
        let found = problems_of(
            "class A:\n    def __init__(self):\n        return 1 +\n    def g(self): pass\n",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].place, Place::FunctionBody);

        // An unterminated string stops the skim, so the file is parsed in full.
        let found =
            problems_of("class A:\n    def f(self):\n        s = 'oops\n    def g(self): pass\n");
        assert!(!found.is_empty());
        assert!(
            found.iter().all(|p| p.place == Place::FunctionBody),
            "{found:?}"
        );
    }

    /// The cost of skimming: an error a tokenizer cannot see, in a body the surface does not
    /// read, goes unreported (it cannot change the surface).
    #[test]
    fn an_error_hidden_in_a_skipped_body_is_not_reported() {
        assert_eq!(problems_of("def f():\n    return 1 +\ndef g(): pass\n"), []);
    }

    fn skipped(src: &str) -> Vec<&str> {
        let Some(skimmed) = skim(src) else {
            return Vec::new();
        };
        skimmed
            .placeholders
            .iter()
            .zip(&skimmed.ranges[1..])
            .map(|(p, next)| &src[p.at..next.start_byte])
            .collect()
    }

    #[test]
    fn skim_leaves_out_bodies_the_surface_does_not_read() {
        let src = "import os\n\nclass C:\n    x = 1\n    def __init__(self):\n        self.a = 1\n    def m(self, a):\n        '''Doc.'''\n        return a\n\n    async def n(self):\n        await x\n\n    def g(self):\n        yield 1\n    def w(self):\n        warnings.warn('x', DeprecationWarning)\n    def one(self): return 1\n\ndef __getattr__(name):\n    return name\ndef top(\n    a,\n) -> int:  # comment\n    # leading comment\n    b = a\n# column-0 comment inside\n    return b\ndef setup():\n    global state\n    state = 1\nY = 2\n";
        assert_eq!(
            skipped(src),
            [
                "'''Doc.'''\n        return a",
                "await x",
                "yield 1",
                "b = a\n# column-0 comment inside\n    return b"
            ]
        );
        // The skimmed parse has the full one's statements.
        let full = {
            let mut p = Parser::new();
            p.set_language(&LANGUAGE).unwrap();
            p.parse(src, None).unwrap()
        };
        let skimmed = parse("m.py", src.as_bytes()).unwrap().tree;
        let top_level = |t: &Tree| {
            let root = t.root_node();
            let mut c = root.walk();
            root.children(&mut c)
                .map(|n| (n.kind_str().to_owned(), n.start_byte()))
                .collect::<Vec<_>>()
        };
        assert_eq!(top_level(&full), top_level(&skimmed));
        assert!(!skimmed.root_node().has_error());
    }

    /// A piece starts only where a module-level statement does: never at a clause that
    /// continues a compound statement, under a decorator, or inside a string or brackets.
    #[test]
    fn pieces_start_at_whole_statements() {
        let src = "\"\"\"Doc.\n\"\"\"\nif X:\n    def a(): ...\nelif Y:\n    pass\nelse:\n    def b():\n        return 1\ntry:\n    import y\nexcept ImportError:\n    y = None\nfinally:\n    pass\n@decorator\n# comment\n@other(\n1)\ndef f():\n    pass\ns = '''\nx = 1\n'''\nt = [\n1,\n]\nfor i in z:\n    pass\nelse_ = 2\nclass C:\n    pass\n";
        let outline = outline(src).unwrap();
        let firsts: Vec<&str> = outline
            .starts
            .iter()
            .map(|&s| src[s..].lines().next().unwrap())
            .collect();
        assert_eq!(
            firsts,
            [
                "\"\"\"Doc.",
                "if X:",
                "try:",
                "@decorator",
                "s = '''",
                "t = [",
                "for i in z:",
                "else_ = 2",
                "class C:"
            ]
        );
        // Each piece parses cleanly on its own, and together they hold every statement.
        let mut kinds = Vec::new();
        let read = parse_pieces(src, 1, true, |root| {
            assert!(!root.has_error());
            kinds.extend(named_kinds(root));
        })
        .unwrap();
        assert!(read);
        let whole = parse("m.py", src.as_bytes()).unwrap();
        assert_eq!(kinds, named_kinds(whole.tree.root_node()));
        // A file with a syntax error is not read in pieces: the whole-file parse places it.
        let broken = format!("{src}def g(:\n    pass\n");
        assert!(!parse_pieces(&broken, 1, true, |_| {}).unwrap());
        // Nor is a file that fits in one piece.
        assert!(!parse_pieces(src, src.len(), true, |_| {}).unwrap());
    }

    fn named_kinds(root: Node<'_>) -> Vec<(String, usize)> {
        let mut c = root.walk();
        root.named_children(&mut c)
            .map(|n| (n.kind_str().to_owned(), n.start_byte()))
            .collect()
    }

    /// A `raise` is read only in a `def` with `*args`/`**kwargs`, whose removed parameters it
    /// may refuse; `*` alone (the keyword-only marker) makes no such `def`.
    #[test]
    fn skim_keeps_raising_bodies_of_variadic_defs() {
        let src = "def a(x, **kw):\n    raise TypeError\ndef b(\n    *args,\n):\n    if args:\n        raise TypeError\ndef c(x, *, y):\n    raise TypeError\ndef d(*args):\n    return args\nZ = 1\n";
        assert_eq!(skipped(src), ["raise TypeError", "return args"]);
    }

    /// A generator's body is left out with `yield` standing in for it; a `warn(` is read only
    /// among the leading statements, and a `raise` only at the body's level or straight under
    /// a top-level `if` (where `super::signature` reads them). A doubt keeps the body.
    #[test]
    fn skim_leaves_out_generators_and_what_the_surface_does_not_read() {
        let src = "class C:\n    def gen(self):\n        x = 1\n        yield x\n    async def agen(self):\n        async for x in y:\n            yield x\n    def nested(self):\n        def inner():\n            yield 1\n        return inner\n    def said(self):\n        return 'yield'\n    def with_lambda(self):\n        f = lambda: (yield)\n    def in_fstring(self):\n        return f'{x} yield'\n    def short(self):\n        y\n        yield 2\n    def late_warn(self, x):\n        if x:\n            warnings.warn('x', DeprecationWarning)\n        return x\n    def leading_warn(self):\n        '''Doc.'''\n        warnings.warn('x', DeprecationWarning)\n    def deep_raise(self, *args):\n        for a in args:\n            raise TypeError(a)\n    def if_raise(self, **kw):\n        if kw:\n            raise TypeError(kw)\n    def deeper_raise(self, **kw):\n        if kw:\n            for k in kw:\n                raise TypeError(k)\n    def try_raise(self, *a):\n        try:\n            raise X\n        except X:\n            pass\nZ = 1\n";
        let skimmed = skim(src).unwrap();
        let left_out: Vec<(&str, bool)> = skimmed
            .placeholders
            .iter()
            .zip(&skimmed.ranges[1..])
            .map(|(p, next)| (src[p.at..next.start_byte].trim_end(), p.generator))
            .collect();
        assert_eq!(
            left_out,
            [
                ("x = 1\n        yield x", true),
                ("async for x in y:\n            yield x", true),
                (
                    "def inner():\n            yield 1\n        return inner",
                    false
                ),
                ("return 'yield'", false),
                (
                    "if x:\n            warnings.warn('x', DeprecationWarning)\n        return x",
                    false
                ),
                ("for a in args:\n            raise TypeError(a)", false),
                (
                    "if kw:\n            for k in kw:\n                raise TypeError(k)",
                    false
                ),
                (
                    "try:\n            raise X\n        except X:\n            pass",
                    false
                ),
            ]
        );
        // Only the placeholder is parsed, and the tree says `yield`.
        let parsed = parse("m.py", src.as_bytes()).unwrap();
        assert!(!parsed.tree.root_node().has_error());
        let tree = parsed.tree.root_node().to_sexp();
        assert!(
            tree.contains("body: (block (expression_statement (yield))))"),
            "{tree}"
        );
    }

    /// Past MAX_RANGES bodies the skim blanks them instead (a parse over many included ranges
    /// is quadratic in tree-sitter 0.25 to 0.27): the tree must be the full parse's, on the same lines.
    #[test]
    fn many_bodies_are_blanked_with_lines_kept() {
        let mut src = String::from("import os\n");
        for i in 0..MAX_RANGES + 5 {
            src.push_str(&format!(
                "def f{i}(a, b={i}) -> int:\n    '''Doc {i}.'''\n    c = [a,\n         b]  # é\n    return c\n\n"
            ));
            // A body that opens a bracket at once: a placeholder there would cover a newline
            // (and put later lines a row up), so it is parsed.
            src.push_str(&format!("def g{i}():\n    (\n        a,\n    ) = f()\n\n"));
        }
        let skimmed = skim(&src).unwrap();
        assert!(skimmed.ranges.is_empty(), "no included ranges: blanked");
        assert_eq!(skimmed.bytes.len(), src.len());
        assert_eq!(
            skimmed.bytes.iter().filter(|&&c| c == b'\n').count(),
            src.matches('\n').count(),
            "every newline is kept"
        );
        let parsed = parse("m.py", src.as_bytes()).unwrap();
        let full = {
            let mut p = Parser::new();
            p.set_language(&LANGUAGE).unwrap();
            p.parse(&src, None).unwrap()
        };
        let defs = |t: &Tree| {
            let root = t.root_node();
            let mut c = root.walk();
            root.children(&mut c)
                .map(|n| {
                    let params = n.field("parameters").map(|p| p.start_position());
                    (n.kind_str().to_owned(), n.start_position(), params)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(defs(&full), defs(&parsed.tree));
        assert!(!parsed.tree.root_node().has_error());
        let last_body = parsed
            .tree
            .root_node()
            .named_child((MAX_RANGES + 5) as u32)
            .and_then(|d| d.field("body"))
            .map(|b| b.byte_range());
        let last_body = last_body.map(|r| &skimmed.bytes[r]);
        assert_eq!(last_body, Some(&b"..."[..]), "the body was skimmed");
    }

    #[test]
    fn skim_handles_trailing_comments_and_the_end_of_the_file() {
        // Comments after a body's last statement belong to its block.
        let src = "class A:\n    def f(self):\n        x = 1\n        # trailing\n\n    def g(self):\n        return 2";
        let skimmed = skim(src).unwrap();
        assert_eq!(
            skipped(src),
            ["x = 1"],
            "the body at the end of the file stays"
        );
        let mut p = Parser::new();
        p.set_language(&LANGUAGE).unwrap();
        p.set_included_ranges(&skimmed.ranges).unwrap();
        let tree = p.parse(&skimmed.bytes, None).unwrap();
        assert!(confirmed(&skimmed, &tree));
    }

    #[test]
    fn skim_tokenizes_strings_and_brackets() {
        // A `def` at column 0 inside a string or brackets does not end the body.
        let src = "def f():\n    s = \"\"\"\ndef fake():\n\"\"\"\n    t = (1,\n2)\n    u = f\"{d[\"k\"]} {x:{w}} {'}'}\"\n    v = 1 + \\\n2\n    return s\nZ = 1\n";
        assert_eq!(skipped(src).len(), 1);
        assert!(skipped(src)[0].ends_with("return s"));
        // Tabs and anything unexpected: no skim.
        assert!(skim("def f():\n\treturn 1\n").is_none());
        assert!(skim("def f():\n    s = 'open\n    return 1\n").is_none());
        assert!(skim("def f():\n    return (1\n").is_none());
        assert!(skim("def f():\n    return 1)\n").is_none());
        assert!(skim("def f():\n    s = f'{x'\n").is_none());
    }

    #[test]
    fn an_error_that_swallows_the_next_statement_is_fatal() {
        let found = problems_of("def f():\n    x = (1,\ndef g(): pass\nclass C: pass\n");
        assert!(found.iter().any(Problem::is_fatal), "{found:?}");
    }

    #[test]
    fn errors_in_kept_expressions_are_confined() {
        let found = problems_of("X = [1, 2 3]\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].place, Place::Kept(Kept::AssignedValue));

        let found = problems_of("def f(a=g(1 2)): pass\n");
        assert_eq!(found[0].place, Place::Kept(Kept::DefaultValue), "{found:?}");

        let found = problems_of("def f(a: dict[str int]): pass\n");
        assert_eq!(found[0].place, Place::Kept(Kept::Annotation), "{found:?}");

        let found = problems_of("def f() -> dict[str int]: pass\n");
        assert_eq!(found[0].place, Place::Kept(Kept::Annotation), "{found:?}");

        let found = problems_of("@app.route(\"/\" \"x\" 1 2)\ndef f(): pass\n");
        assert_eq!(
            found[0].place,
            Place::Kept(Kept::DecoratorArguments),
            "{found:?}"
        );

        let found = problems_of("class A[T: (int str)]: pass\n");
        assert_eq!(
            found[0].place,
            Place::Kept(Kept::TypeParameters),
            "{found:?}"
        );
    }

    #[test]
    fn columns_count_characters() {
        let found = problems_of("é = ) 1\n");
        assert_eq!(found[0].column, 5, "{found:?}");
    }
}
