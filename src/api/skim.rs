//! The skim: a tokenizer that reads just enough of a Python file (brackets, strings,
//! comments, indentation, `def` headers) to find the function bodies the surface does not read
//! and where module-level statements start, and the copy of the source that leaves those
//! bodies out of the parse (`super::parse`).

use tree_sitter::{Point, Range};

/// A copy of the source in which skippable function bodies start with a [`Placeholder`], and
/// the ranges to parse, which leave out the rest of those bodies (or, past [`MAX_RANGES`]
/// bodies, no ranges and the rest of each body blanked). Byte offsets, lines and columns are the
/// original's, so the tree reads on the original text.
pub(super) struct Skimmed {
    pub(super) bytes: Vec<u8>,
    pub(super) ranges: Vec<Range>,
    /// Where each placeholder starts, in order.
    pub(super) placeholders: Vec<Placeholder>,
}

/// A function body the parse leaves out: from its first statement to the end of its last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Excluded {
    pub(super) start: usize,
    pub(super) end: usize,
    /// The function is a generator: its placeholder is `yield`, not `...`, so that the tree
    /// still says so.
    pub(super) generator: bool,
}

/// The statement that stands in for a left-out body: `...`, or `yield` for a generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Placeholder {
    pub(super) at: usize,
    pub(super) generator: bool,
}

impl Placeholder {
    pub(super) fn text(self) -> &'static [u8] {
        if self.generator { b"yield" } else { b"..." }
    }

    pub(super) fn end(self) -> usize {
        self.at + self.text().len()
    }
}

/// Above this many skipped bodies, [`skim`] blanks them rather than leaving them out of the
/// parse's ranges. Measured on Django (up to 236 functions a file): ranges are 25 % cheaper
/// than blanking there, and at 128 or 256 ranges as cheap as unlimited ones.
pub(super) const MAX_RANGES: usize = 256;

/// Finds the function bodies whose content cannot change the surface and plans a parse without
/// them. A body is kept when the surface reads it: `__init__` (its `self.x` attributes), a
/// `__getattr__` (the names it serves), or any body that calls `warn(` among its leading
/// statements (a deprecation warning), holds a `.. deprecated::` docstring, or says `global`
/// (the module names it binds when called). So does a module-level function that returns a
/// function it defines (a factory), and a body that raises at its own level or straight under
/// a top-level `if`, in a `def` taking `*args` or `**kwargs`: what it refuses decides whether
/// a parameter they took over is still accepted (`super::signature`). A generator's body is
/// left out too, with `yield` standing in for it (see [`body_reads`]).
/// `None` (parse everything) when the file has tabs or form feeds in it, or anything the
/// tokenizer below does not expect.
///
/// The one cost: a syntax error inside a skipped body that is not visible to a tokenizer (a
/// bracket or quote out of place is) goes unreported; it cannot change the surface.
pub(super) fn skim(text: &str) -> Option<Skimmed> {
    let outline = outline(text)?;
    if outline.excluded.is_empty() {
        return None;
    }
    // tree-sitter's lexer (0.25 to 0.27) looks up its included range from the first one on
    // every goto (`ts_lexer_goto`), so a parse costs tokens x ranges: past a few hundred
    // bodies, blank them in the copy instead (spaces, newlines kept), which costs their bytes
    // once.
    let blank = outline.excluded.len() > MAX_RANGES;
    Some(skimmed_copy(text, &outline.excluded, blank))
}

/// What [`skim`]'s tokenizer finds in a file: the bodies to leave out, and where module-level
/// statements start.
pub(super) struct Outline {
    /// The bodies the surface does not read, in order.
    pub(super) excluded: Vec<Excluded>,
    /// The start of each module-level statement that can begin a piece of the file
    /// ([`super::parse::parse_pieces`]): not an `else`/`elif`/`except`/`finally` clause and not the
    /// definition under a decorator, which belong to the statement before.
    pub(super) starts: Vec<usize>,
}

impl Outline {
    /// Splits `0..len` into runs of whole statements of at least `piece_bytes` each (the last
    /// may be shorter).
    pub(super) fn pieces(&self, len: usize, piece_bytes: usize) -> Vec<(usize, usize)> {
        let mut pieces = Vec::new();
        let mut from = 0;
        for &start in &self.starts {
            if start - from >= piece_bytes {
                pieces.push((from, start));
                from = start;
            }
        }
        pieces.push((from, len));
        pieces
    }
}

/// Reads `text` with the tokenizer below; `None` when the file has tabs or form feeds in it,
/// or anything the tokenizer does not expect.
pub(super) fn outline(text: &str) -> Option<Outline> {
    let b = text.as_bytes();
    if memchr::memchr2(b'\t', b'\x0c', b).is_some() {
        return None;
    }
    // (start, end, the def is at module level, the def takes `*args`/`**kwargs`).
    let mut excluded: Vec<(usize, usize, bool, bool)> = Vec::new();
    let mut starts = Vec::new();
    let mut after_decorator = false;
    // The body being skipped: (def indent, first statement start, end of last statement,
    // the def takes `*args`/`**kwargs`).
    let mut body: Option<(usize, Option<usize>, usize, bool)> = None;
    let mut i = 0;
    while i < b.len() {
        let line = logical_line(b, i)?;
        i = line.next;
        let Some(first) = line.first else {
            continue;
        };
        if line.indent == 0 {
            let clause = ["else", "elif", "except", "finally"].iter().any(|k| {
                b[first..].starts_with(k.as_bytes())
                    && b.get(first + k.len()).is_none_or(|&c| !is_word(c))
            });
            if !clause && !after_decorator {
                starts.push(first);
            }
            after_decorator = b[first] == b'@';
        }
        if let Some((indent, start, end, var)) = body.as_mut() {
            if line.indent > *indent {
                if start.is_none() {
                    *start = Some(first);
                }
                *end = line.end;
                continue;
            }
            if let Some(start) = *start {
                excluded.push((start, *end, *indent == 0, *var));
            }
            body = None;
        }
        if let Some(def) = line.def
            && !def.inline_body
            && def.name != "__init__"
            && def.name != "__getattr__"
        {
            body = Some((line.indent, None, line.end, def.variadic));
        }
    }
    if let Some((indent, Some(start), end, var)) = body {
        excluded.push((start, end, indent == 0, var));
    }
    // Bodies the surface reads stay: a leading deprecation `warn`, a `global` declaration
    // (`super::extract` binds its names when the module calls the function). So does a body
    // that ends the file without a newline: tree-sitter stretches the placeholder over an
    // empty last range.
    // So does a module-level function that may return a function it defines (a factory), and
    // a body behind `*args`/`**kwargs` that raises where `super::signature` looks (it may
    // refuse what they absorb).
    let mut out = Vec::with_capacity(excluded.len());
    for (start, end, top, variadic) in excluded {
        if !(end >= start + 4 && end < b.len() && text.is_char_boundary(start + 3)) {
            continue;
        }
        let span = &text[start..end];
        let kept = {
            let read = ["global", ".. deprecated::"]
                .iter()
                .any(|w| span.contains(w));
            // A factory returns a lambda or a function it defines on a line of its own; a
            // lambda passed along (`key=lambda x: ...`) or "def" in a docstring is not one.
            let factory = top
                && span.contains("return")
                && (span.contains("return lambda")
                    || span.lines().enumerate().any(|(i, l)| {
                        // The span starts at the first statement; later lines of a nested
                        // def are indented (column 0 is inside a string).
                        let t = l.trim_start();
                        (i == 0 || t.len() < l.len())
                            && (t.starts_with("def ") || t.starts_with("async def "))
                    }));
            read || factory
        };
        if kept {
            continue;
        }
        // The tokenizer again, line by line, for the bodies that may be read (most are not).
        let maybe = ["yield", "warn(", "warn_explicit("]
            .iter()
            .any(|w| span.contains(w))
            || (variadic && span.contains("raise"));
        let generator = if maybe {
            match body_reads(b, start, end, variadic) {
                Some(BodyReads {
                    read: false,
                    generator,
                }) => generator,
                _ => continue,
            }
        } else {
            false
        };
        // `yield` must fit on the first statement's line.
        if generator
            && (end < start + 5
                || !text.is_char_boundary(start + 5)
                || b[start..start + 5].contains(&b'\n'))
        {
            continue;
        }
        out.push(Excluded {
            start,
            end,
            generator,
        });
    }
    Some(Outline {
        excluded: out,
        starts,
    })
}

/// What the surface reads of a body that mentions `yield`, `warn(` or (in a `def` taking
/// `*args`/`**kwargs`) `raise`.
#[derive(Debug, PartialEq, Eq)]
struct BodyReads {
    /// A `warn(` among the leading statements (before the first compound, `return`, `import`
    /// or such statement: `super::signature` reads deprecation categories there), or a `raise`
    /// at the body's own level or straight in the block of a top-level `if`/`elif`/`else`
    /// (where `super::signature` reads what `*args`/`**kwargs` refuse). The text of the line
    /// is searched, strings and comments included: a doubt keeps the body.
    read: bool,
    /// A `yield` in the body's own scope (not in a nested `def` or `class`): a generator.
    generator: bool,
}

/// Reads the body from `start` to `end` (of a `def` whose first statement starts at `start`) a
/// logical line at a time. `None` when unsure: a `yield` on a line with a `lambda`, on a nested
/// `def`/`class` header, or perhaps inside an f-string's replacement field.
fn body_reads(b: &[u8], start: usize, end: usize, variadic: bool) -> Option<BodyReads> {
    // Statements that end the leading run; anything else may be an expression statement.
    const STOPS: [&[u8]; 19] = [
        b"if",
        b"for",
        b"while",
        b"with",
        b"try",
        b"return",
        b"raise",
        b"def",
        b"class",
        b"async",
        b"import",
        b"from",
        b"del",
        b"pass",
        b"assert",
        b"global",
        b"nonlocal",
        b"break",
        b"continue",
    ];
    let contains = |hay: &[u8], needle: &[u8]| memchr::memmem::find(hay, needle).is_some();
    let line_start = b[..start]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1);
    let body_indent = start - line_start;
    let mut reads = BodyReads {
        read: false,
        generator: false,
    };
    let mut leading = true;
    // Under a top-level `if`/`elif`/`else`: the indent of its block, once seen.
    let mut under_if: Option<Option<usize>> = None;
    // The indent of a nested `def`/`class` header whose body the line is in.
    let mut nested: Option<usize> = None;
    let mut i = line_start;
    while i < end {
        let line = logical_line(b, i)?;
        i = line.next;
        let Some(first) = line.first else {
            continue;
        };
        let code = &b[first..line.end.min(end)];
        let head = line.head.unwrap_or(b"");
        if line.indent == body_indent {
            leading &= b[first] != b'@' && !STOPS.contains(&head);
            if variadic {
                reads.read |= contains(code, b"raise");
                under_if = matches!(head, b"if" | b"elif" | b"else").then_some(None);
            }
        } else if line.indent < body_indent {
            return None;
        } else if variadic && let Some(block) = under_if.as_mut() {
            let indent = *block.get_or_insert(line.indent);
            reads.read |= line.indent == indent && contains(code, b"raise");
        }
        reads.read |= leading && (contains(code, b"warn(") || contains(code, b"warn_explicit("));
        if nested.is_some_and(|n| line.indent > n) {
            continue;
        }
        nested = None;
        // `async def`, not `async for` or `async with`.
        let header = line.def.is_some() || head == b"class";
        if line.words & YIELD != 0 {
            if header || line.words & LAMBDA != 0 {
                return None;
            }
            reads.generator = true;
        } else if line.words & FSTRING != 0 && contains(code, b"yield") {
            return None;
        }
        if header {
            nested = Some(line.indent);
        }
    }
    Some(reads)
}

/// A copy of `text` with each excluded body starting with `...`: with `blank`, the rest of
/// each body is blanked (spaces, newlines kept) and there are no ranges; otherwise the ranges
/// leave the rest of each body out of the parse.
pub(super) fn skimmed_copy(text: &str, excluded: &[Excluded], blank: bool) -> Skimmed {
    let b = text.as_bytes();
    let mut bytes = b.to_vec();
    let mut placeholders = Vec::with_capacity(excluded.len());
    let mut ranges = Vec::with_capacity(if blank { 0 } else { excluded.len() + 1 });
    let lines = if blank { None } else { Some(LineIndex::new(b)) };
    let mut from = 0;
    for &Excluded {
        start,
        end,
        generator,
    } in excluded
    {
        let placeholder = Placeholder {
            at: start,
            generator,
        };
        // A placeholder over a newline (a body opening with `(` on a line of its own) would
        // put every later line one row up in a blanked copy; ranges put rows right at each
        // range's start.
        if blank && b[start..placeholder.end()].contains(&b'\n') {
            continue;
        }
        bytes[start..placeholder.end()].copy_from_slice(placeholder.text());
        placeholders.push(placeholder);
        if let Some(lines) = &lines {
            ranges.push(lines.range(from, placeholder.end()));
        } else {
            for c in &mut bytes[placeholder.end()..end] {
                if *c != b'\n' {
                    *c = b' ';
                }
            }
        }
        from = end;
    }
    if let Some(lines) = &lines {
        ranges.push(lines.range(from, b.len()));
    }
    Skimmed {
        bytes,
        ranges,
        placeholders,
    }
}

/// Line starts, to turn byte offsets into tree-sitter points.
pub(super) struct LineIndex(Vec<usize>);

impl LineIndex {
    pub(super) fn new(b: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            b.iter()
                .enumerate()
                .filter(|(_, c)| **c == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex(starts)
    }

    fn point(&self, at: usize) -> Point {
        let row = self.0.partition_point(|&s| s <= at) - 1;
        Point {
            row,
            column: at - self.0[row],
        }
    }

    pub(super) fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start_byte: start,
            end_byte: end,
            start_point: self.point(start),
            end_point: self.point(end),
        }
    }
}

/// One logical line: from its first physical line to the newline that ends it outside
/// brackets and strings.
struct Logical<'a> {
    /// Column of the first token (spaces only: tabs make [`skim`] give up).
    indent: usize,
    /// Offset of the first token; `None` for a blank or comment-only line.
    first: Option<usize>,
    /// Offset of the terminating newline (or the end of the text).
    end: usize,
    /// Where the next line starts.
    next: usize,
    def: Option<DefHeader<'a>>,
    /// The first token, when it is a word (`if`, `def`, a name).
    head: Option<&'a [u8]>,
    /// Which of [`YIELD`], [`LAMBDA`] and [`FSTRING`] the line holds outside strings and
    /// comments.
    words: u8,
}

/// The word `yield`.
const YIELD: u8 = 1;
/// The word `lambda`.
const LAMBDA: u8 = 2;
/// An f-string (or t-string), whose replacement fields the tokenizer does not read for words.
const FSTRING: u8 = 4;

/// A `def` (or `async def`) header.
struct DefHeader<'a> {
    name: &'a str,
    /// Statements follow the header's colon on the same line (`def f(): return 1`).
    inline_body: bool,
    /// The parameters hold a `*name` or `**name` (or a `*` in a default: a false alarm that
    /// only keeps a body).
    variadic: bool,
}

/// Reads one logical line from `start`, tokenizing just enough to know brackets, strings and
/// comments (PEP 701 f-strings included). `None` on anything unexpected: an unterminated
/// string, an unbalanced bracket.
fn logical_line(b: &[u8], start: usize) -> Option<Logical<'_>> {
    let mut i = start;
    while i < b.len() && matches!(b[i], b' ' | b'\r') {
        i += 1;
    }
    let indent = i - start;
    let mut line = Logical {
        indent,
        first: None,
        end: b.len(),
        next: b.len(),
        def: None,
        head: None,
        words: 0,
    };
    let mut depth: usize = 0;
    // The first words of the line, to recognize `def NAME` / `async def NAME`.
    let mut words: [&[u8]; 3] = [b""; 3];
    let mut nwords = 0;
    let mut tokens = 0usize;
    let mut colon_seen = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                if depth == 0 {
                    line.end = i;
                    line.next = i + 1;
                    return Some(line);
                }
                i += 1;
                continue;
            }
            b' ' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = line_end(b, i);
                continue;
            }
            b'\\' => {
                // A line continuation.
                match b.get(i + 1) {
                    Some(b'\n') => i += 2,
                    Some(b'\r') if b.get(i + 2) == Some(&b'\n') => i += 3,
                    _ => return None,
                }
                continue;
            }
            _ => {}
        }
        if line.first.is_none() {
            line.first = Some(i);
        }
        tokens += 1;
        if colon_seen
            && depth == 0
            && let Some(def) = line.def.as_mut()
        {
            def.inline_body = true;
        }
        match c {
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            b'"' | b'\'' => i = string(b, i, b"")?,
            b'*' if depth == 1 && !colon_seen => {
                if let Some(def) = line.def.as_mut() {
                    let next = b[i + 1..].iter().find(|c| !matches!(c, b' ' | b'*'));
                    def.variadic |= next.is_some_and(|&c| is_word(c));
                }
                i += 1;
            }
            b':' if depth == 0 && b.get(i + 1) != Some(&b'=') => {
                if line.def.is_some() && !colon_seen {
                    colon_seen = true;
                    tokens -= 1;
                }
                i += 1;
            }
            _ if is_word(c) => {
                let w = i;
                while i < b.len() && is_word(b[i]) {
                    i += 1;
                }
                let word = &b[w..i];
                if matches!(b.get(i), Some(b'"' | b'\'')) && is_string_prefix(word) {
                    if word
                        .iter()
                        .any(|c| matches!(c.to_ascii_lowercase(), b'f' | b't'))
                    {
                        line.words |= FSTRING;
                    }
                    i = string(b, i, word)?;
                    continue;
                }
                if tokens == 1 {
                    line.head = Some(word);
                }
                match word {
                    b"yield" => line.words |= YIELD,
                    b"lambda" => line.words |= LAMBDA,
                    _ => {}
                }
                if nwords < 3 && tokens == nwords + 1 {
                    words[nwords] = word;
                    nwords += 1;
                    let name = match &words[..nwords] {
                        [b"def", name] | [b"async", b"def", name] => Some(*name),
                        _ => None,
                    };
                    if let Some(name) = name {
                        line.def = Some(DefHeader {
                            name: std::str::from_utf8(name).ok()?,
                            inline_body: false,
                            variadic: false,
                        });
                    }
                }
            }
            _ => i += 1,
        }
    }
    if depth != 0 {
        return None;
    }
    line.end = b.len();
    line.next = b.len();
    Some(line)
}

/// The offset of the newline that ends the line holding `i` (or the end of `b`).
fn line_end(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p)
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn is_string_prefix(word: &[u8]) -> bool {
    word.len() <= 2
        && word
            .iter()
            .all(|c| matches!(c.to_ascii_lowercase(), b'r' | b'u' | b'f' | b'b' | b't'))
}

/// Skips a string literal starting at the quote `b[at]`; returns the offset after it.
fn string(b: &[u8], at: usize, prefix: &[u8]) -> Option<usize> {
    let q = b[at];
    let triple = b.get(at..at + 3) == Some(&[q, q, q][..]);
    let formatted = prefix
        .iter()
        .any(|c| matches!(c.to_ascii_lowercase(), b'f' | b't'));
    let mut i = at + if triple { 3 } else { 1 };
    while i < b.len() {
        if !formatted {
            // Only a quote, a backslash or a newline matters in a plain string.
            i = memchr::memchr3(q, b'\\', b'\n', &b[i..]).map_or(b.len(), |p| i + p);
            if i == b.len() {
                break;
            }
        }
        let c = b[i];
        if c == b'\\' {
            i += 2;
            continue;
        }
        if c == b'\n' && !triple {
            return None;
        }
        if c == q && (!triple || b.get(i..i + 3) == Some(&[q, q, q][..])) {
            return Some(i + if triple { 3 } else { 1 });
        }
        if formatted && c == b'{' {
            if b.get(i + 1) == Some(&b'{') {
                i += 2;
            } else {
                i = replacement_field(b, i + 1)?;
            }
            continue;
        }
        if formatted && c == b'}' {
            if b.get(i + 1) == Some(&b'}') {
                i += 2;
                continue;
            }
            return None;
        }
        i += 1;
    }
    None
}

/// Skips an f-string replacement field from just after its `{`; returns the offset after its
/// `}`. Its expression may hold strings with any quotes, comments and newlines (PEP 701).
fn replacement_field(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < b.len() {
        let c = b[i];
        match c {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' => depth = depth.checked_sub(1)?,
            b'}' if depth == 0 => return Some(i + 1),
            b'}' => depth -= 1,
            b'#' => {
                i = line_end(b, i);
                continue;
            }
            b'"' | b'\'' => {
                i = string(b, i, b"")?;
                continue;
            }
            b':' if depth == 0 => return format_spec(b, i + 1),
            _ if is_word(c) => {
                let w = i;
                while i < b.len() && is_word(b[i]) {
                    i += 1;
                }
                if matches!(b.get(i), Some(b'"' | b'\'')) && is_string_prefix(&b[w..i]) {
                    i = string(b, i, &b[w..i])?;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Skips a format spec (after `:`), which may nest replacement fields, through its `}`.
fn format_spec(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b'{' => i = replacement_field(b, i + 1)?,
            b'}' => return Some(i + 1),
            b'\n' => return None,
            _ => i += 1,
        }
    }
    None
}
