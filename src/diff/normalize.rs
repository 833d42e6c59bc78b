//! Canonical forms of the source text the surface keeps (annotations, defaults, values, bases), so
//! that reformatting never reads as a change.
//!
//! Formatters (black, ruff format) move whitespace and line breaks, switch quote style, add or drop
//! a magic trailing comma and wrap long values in parentheses; comments can sit inside a wrapped
//! value. None of that changes what Python evaluates, so none of it may become a reported change.
//! The canonical form is only ever compared, never shown.
//!
//! The extractor already writes every kept expression in black's form (`crate::api` renders it
//! from the syntax tree); this is the coarser key on top of that, for text no tree backs (spans
//! tree-sitter could not parse, paths the resolver builds) and for spellings black keeps apart
//! (`R"x"` and `r"x"`, `Optional[X]` and `X | None`). The tree-free pieces both sides need
//! (whitespace runs, dotted names) come from `crate::api::text`; the string-literal rule here is
//! deliberately not [`crate::api::text::normalize_string`] (see that module), and this module
//! never imports `tree_sitter`.

use crate::api::Param;
use crate::api::text::{collapse_whitespace, last_part};

/// The canonical form of a Python expression's source text.
pub(crate) fn expr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // One entry per open bracket: its index in `out` and the number of top-level commas seen.
    let mut brackets: Vec<(char, usize)> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    // Where `out` ends right after a string's value: a literal starting there joins it.
    let mut joinable = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '#' {
            // A comment runs to the end of the line.
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '\\' && chars.get(i + 1) == Some(&'\n') {
            i += 2;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '\'' || c == '"' {
            i = string(&chars, i, i, &mut out, &mut joinable);
            continue;
        }
        if is_string_prefix_start(&chars, i) {
            // `r"..."`, `b'...'`, `f"..."`.
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_alphabetic() {
                j += 1;
            }
            i = string(&chars, i, j, &mut out, &mut joinable);
            continue;
        }
        match c {
            '(' | '[' | '{' => {
                brackets.push((c, 0));
                out.push(c);
            }
            ',' => {
                if let Some(top) = brackets.last_mut() {
                    top.1 += 1;
                }
                out.push(c);
            }
            ')' | ']' | '}' => {
                let commas = brackets.pop().map_or(0, |b| b.1);
                // A trailing comma is decoration, except the one that makes `(x,)` a tuple.
                if out.ends_with(',') && (c != ')' || commas > 1) {
                    out.pop();
                }
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    strip_outer_parens(out)
}

/// Whether `chars[i..]` starts a prefixed string literal (`rb"..."`), and not an identifier.
fn is_string_prefix_start(chars: &[char], i: usize) -> bool {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return false;
    }
    let mut j = i;
    while j < chars.len() && j - i < 3 && "rRbBuUfFtT".contains(chars[j]) {
        j += 1;
    }
    j > i && matches!(chars.get(j), Some('\'') | Some('"'))
}

/// Copies the string literal at `chars[start..]` (its prefix from `start`, its opening quote at
/// `quote_at`) into `out`, and returns the index after it. A `str` literal becomes its value in
/// double quotes with fixed escapes, so that `'a'`, `"a"`, `r'a'`, `'\x61'` and `"""a"""` are
/// one key, and a literal right after another joins it (`"a" "b"` is `"ab"`), as Python joins
/// them: rewrapping a long string is no change (rich 13.7 rewrote every `Box` table that way).
/// Bytes, f- and t-strings and `\N{...}` escapes keep their text, the prefix lower-cased, in
/// double quotes where that needs no escaping.
fn string(
    chars: &[char],
    start: usize,
    quote_at: usize,
    out: &mut String,
    joinable: &mut Option<usize>,
) -> usize {
    let prefix: String = chars[start..quote_at]
        .iter()
        .map(char::to_ascii_lowercase)
        .collect();
    let quote = chars[quote_at];
    let triple = chars.get(quote_at + 1) == Some(&quote) && chars.get(quote_at + 2) == Some(&quote);
    let delim_len = if triple { 3 } else { 1 };
    let mut i = quote_at + delim_len;
    let body_start = i;
    let mut body_end = chars.len();
    let mut end = chars.len();
    while i < chars.len() {
        if chars[i] == '\\' {
            i += 2;
            continue;
        }
        if chars[i] == quote
            && (!triple || (chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote)))
        {
            body_end = i;
            end = i + delim_len;
            break;
        }
        i += 1;
    }
    let body = &chars[body_start..body_end.min(chars.len())];
    let closed = body_end < chars.len();
    let value = match prefix.as_str() {
        "" | "u" if closed => unescape(body),
        "r" if closed => Some(newlines(body)),
        _ => None,
    };
    if let Some(value) = value {
        if *joinable == Some(out.len()) {
            out.pop();
        } else {
            out.push('"');
        }
        for c in value.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c < ' ' || c == '\x7f' => out.push_str(&format!("\\x{:02x}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
        *joinable = Some(out.len());
        return end;
    }
    let body: String = body.iter().collect();
    // black prefers double quotes unless that adds escapes; do the same so `b'a'` equals `b"a"`.
    let canonical = if quote == '\'' && !body.contains('"') && !body.contains('\\') {
        '"'
    } else {
        quote
    };
    out.push_str(&prefix);
    for _ in 0..delim_len {
        out.push(canonical);
    }
    out.push_str(&body);
    for _ in 0..delim_len {
        out.push(canonical);
    }
    end
}

/// A raw literal's value: its text, with line breaks as Python reads them (`\r\n` is `\n`).
fn newlines(body: &[char]) -> String {
    let mut value = String::with_capacity(body.len());
    let mut k = 0;
    while k < body.len() {
        if body[k] == '\r' {
            value.push('\n');
            k += if body.get(k + 1) == Some(&'\n') { 2 } else { 1 };
            continue;
        }
        value.push(body[k]);
        k += 1;
    }
    value
}

/// A `str` literal's value, its escapes read as Python reads them; `None` for `\N{...}` (a
/// name table we do not carry) or a malformed escape.
fn unescape(body: &[char]) -> Option<String> {
    let body: Vec<char> = newlines(body).chars().collect();
    let mut value = String::with_capacity(body.len());
    let mut k = 0;
    while k < body.len() {
        let c = body[k];
        if c != '\\' {
            value.push(c);
            k += 1;
            continue;
        }
        let e = *body.get(k + 1)?;
        k += 2;
        let hex = |k: usize, n: usize| -> Option<char> {
            let digits: String = body.get(k..k + n)?.iter().collect();
            char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
        };
        match e {
            // A backslash at the end of a line continues the literal on the next.
            '\n' => {}
            '\\' | '\'' | '"' => value.push(e),
            'a' => value.push('\x07'),
            'b' => value.push('\x08'),
            'f' => value.push('\x0c'),
            'n' => value.push('\n'),
            'r' => value.push('\r'),
            't' => value.push('\t'),
            'v' => value.push('\x0b'),
            '0'..='7' => {
                let mut n = e.to_digit(8)?;
                let mut taken = 0;
                while taken < 2
                    && let Some(d) = body.get(k).and_then(|d| d.to_digit(8))
                {
                    n = n * 8 + d;
                    k += 1;
                    taken += 1;
                }
                value.push(char::from_u32(n)?);
            }
            'x' => {
                value.push(hex(k, 2)?);
                k += 2;
            }
            'u' => {
                value.push(hex(k, 4)?);
                k += 4;
            }
            'U' => {
                value.push(hex(k, 8)?);
                k += 8;
            }
            'N' => return None,
            // Not an escape: Python keeps the backslash.
            _ => {
                value.push('\\');
                value.push(e);
            }
        }
    }
    Some(value)
}

/// Drops parentheses that wrap the whole expression without making it a tuple: `(30)` is `30`.
fn strip_outer_parens(mut s: String) -> String {
    loop {
        if !(s.starts_with('(') && s.ends_with(')')) {
            return s;
        }
        let inner = &s[1..s.len() - 1];
        if !balanced_without_top_level_comma(inner) {
            return s;
        }
        s = inner.to_owned();
    }
}

/// True when `s` is a balanced expression with no comma outside brackets and strings.
fn balanced_without_top_level_comma(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in s.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            ',' if depth == 0 => return false,
            _ => {}
        }
    }
    depth == 0 && !s.is_empty()
}

/// Whether two optional source texts mean the same after canonicalization.
pub(crate) fn same(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a == b || expr(a) == expr(b),
        _ => false,
    }
}

/// How an optional source text shows in a message: the text in backticks, or `none`.
pub(crate) fn show(text: Option<&str>) -> String {
    match text {
        Some(t) => format!("`{}`", one_line(t)),
        None => "none".to_owned(),
    }
}

/// Two long values that [`show`] cuts to the same text, shown around where they differ: the
/// common start and end give way to `…`, with a little context kept on each side
/// (`…"una settimana,", "weeks"…` against `…"una settimana", "weeks"…`).
pub(crate) fn show_difference(a: &str, b: &str) -> (String, String) {
    const CONTEXT: usize = 16;
    let (a, b): (Vec<char>, Vec<char>) = (
        collapse_whitespace(a).chars().collect(),
        collapse_whitespace(b).chars().collect(),
    );
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let from = prefix.saturating_sub(CONTEXT);
    let excerpt = |s: &[char]| {
        let to = (s.len() - suffix + CONTEXT).min(s.len());
        let middle: String = s[from..to].iter().collect();
        let mut out = String::from("`");
        if from > 0 {
            out.push('…');
        }
        out.push_str(&crate::api::shorten(&middle));
        if to < s.len() && !out.ends_with('…') {
            out.push('…');
        }
        out.push('`');
        out
    };
    (excerpt(&a), excerpt(&b))
}

/// The text on one line, whitespace runs collapsed, for messages.
pub(crate) fn one_line(text: &str) -> String {
    crate::api::shorten(&collapse_whitespace(text))
}

/// Whether two optional annotations mean the same type: spelling aside (`Optional[X]` and
/// `X | None`, `t.List[str]` and `list[str]`, `"Command"` and `Command`, union order), they are
/// the same promise to a type checker, so no change is reported.
pub(crate) fn same_annotation(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a == b || annotation(a) == annotation(b),
        _ => false,
    }
}

/// The canonical form of a type annotation (see [`same_annotation`]). Falls back to [`expr`]
/// when the text is not a plain type expression.
pub(crate) fn annotation(text: &str) -> String {
    let canonical = expr(text);
    let tokens = match tokenize(&canonical) {
        Some(t) => t,
        None => return canonical,
    };
    let mut parser = TypeParser { tokens, pos: 0 };
    match parser.union() {
        Some(t) if parser.pos == parser.tokens.len() => t.render(),
        _ => canonical,
    }
}

/// Names from `typing`, `typing_extensions` and `collections.abc` that mean the same whatever
/// module path they are spelled with, and the builtins PEP 585 made generic.
fn well_known(name: &str) -> Option<&'static str> {
    Some(match name {
        "List" | "list" => "list",
        "Dict" | "dict" => "dict",
        "Set" | "set" => "set",
        "FrozenSet" | "frozenset" => "frozenset",
        "Tuple" | "tuple" => "tuple",
        "Type" | "type" => "type",
        "Optional" => "Optional",
        "Union" => "Union",
        "Any" => "Any",
        "Callable" => "Callable",
        "Sequence" => "Sequence",
        "MutableSequence" => "MutableSequence",
        "Mapping" => "Mapping",
        "MutableMapping" => "MutableMapping",
        "Iterable" => "Iterable",
        "Iterator" => "Iterator",
        "Generator" => "Generator",
        "AsyncIterator" => "AsyncIterator",
        "AsyncIterable" => "AsyncIterable",
        "AsyncGenerator" => "AsyncGenerator",
        "Awaitable" => "Awaitable",
        "Coroutine" => "Coroutine",
        "Collection" => "Collection",
        "Container" => "Container",
        "AbstractSet" => "AbstractSet",
        "MutableSet" => "MutableSet",
        "Literal" => "Literal",
        "ClassVar" => "ClassVar",
        "Final" => "Final",
        "NoReturn" => "NoReturn",
        "Never" => "Never",
        "Self" => "Self",
        "TypeGuard" => "TypeGuard",
        "TypeIs" => "TypeIs",
        "Annotated" => "Annotated",
        "Hashable" => "Hashable",
        "Sized" => "Sized",
        "Reversible" => "Reversible",
        "ContextManager" | "AbstractContextManager" => "AbstractContextManager",
        _ => return None,
    })
}

#[derive(Debug, PartialEq)]
enum Token {
    Name(String),
    Str(String),
    Other(String),
    Open,
    Close,
    Comma,
    Pipe,
}

fn tokenize(s: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '[' => out.push(Token::Open),
            ']' => out.push(Token::Close),
            ',' => out.push(Token::Comma),
            '|' => out.push(Token::Pipe),
            '"' | '\'' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != c {
                    if chars[j] == '\\' {
                        j += 1;
                    }
                    j += 1;
                }
                if j >= chars.len() {
                    return None;
                }
                out.push(Token::Str(chars[i + 1..j].iter().collect()));
                i = j;
            }
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                let mut j = i;
                while j < chars.len()
                    && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '.')
                {
                    j += 1;
                }
                out.push(Token::Name(chars[i..j].iter().collect()));
                i = j - 1;
            }
            // Calls, arithmetic, parentheses: not a plain type expression.
            '(' | ')' | '{' | '}' | '=' | '+' | '*' | '/' | '%' | '<' | '>' | '@' | '~' | '&'
            | ':' => {
                return None;
            }
            _ => out.push(Token::Other(c.to_string())),
        }
        i += 1;
    }
    Some(out)
}

/// A type expression, parsed just enough to canonicalize it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Type {
    Union(Vec<Type>),
    Generic(String, Vec<Type>),
    List(Vec<Type>),
    Atom(String),
}

impl Type {
    fn render(&self) -> String {
        match self {
            Type::Union(members) => members
                .iter()
                .map(Type::render)
                .collect::<Vec<_>>()
                .join("|"),
            Type::Generic(name, args) => format!(
                "{name}[{}]",
                args.iter().map(Type::render).collect::<Vec<_>>().join(",")
            ),
            Type::List(items) => format!(
                "[{}]",
                items.iter().map(Type::render).collect::<Vec<_>>().join(",")
            ),
            Type::Atom(a) => a.clone(),
        }
    }

    fn union(members: Vec<Type>) -> Type {
        let mut flat = Vec::new();
        for m in members {
            match m {
                Type::Union(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        flat.sort();
        flat.dedup();
        if flat.len() == 1 {
            flat.pop().unwrap_or(Type::Atom(String::new()))
        } else {
            Type::Union(flat)
        }
    }
}

struct TypeParser {
    tokens: Vec<Token>,
    pos: usize,
}

impl TypeParser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn union(&mut self) -> Option<Type> {
        let mut members = vec![self.atom()?];
        while self.peek() == Some(&Token::Pipe) {
            self.pos += 1;
            members.push(self.atom()?);
        }
        Some(if members.len() == 1 {
            members.pop()?
        } else {
            Type::union(members)
        })
    }

    fn list(&mut self) -> Option<Vec<Type>> {
        // After `[`: types separated by commas, up to `]`.
        let mut items = Vec::new();
        if self.peek() == Some(&Token::Close) {
            self.pos += 1;
            return Some(items);
        }
        loop {
            items.push(self.union()?);
            match self.peek()? {
                Token::Comma => {
                    self.pos += 1;
                    if self.peek() == Some(&Token::Close) {
                        self.pos += 1;
                        return Some(items);
                    }
                }
                Token::Close => {
                    self.pos += 1;
                    return Some(items);
                }
                _ => return None,
            }
        }
    }

    fn atom(&mut self) -> Option<Type> {
        let token = self.tokens.get(self.pos)?;
        self.pos += 1;
        match token {
            Token::Str(text) => {
                // A forward reference: the quoted text is the type (PEP 484).
                let inner = annotation(text);
                Some(Type::Atom(inner))
            }
            Token::Open => Some(Type::List(self.list()?)),
            Token::Other(o) => Some(Type::Atom(o.clone())),
            Token::Name(name) => {
                let last = last_part(name);
                let canonical = match well_known(last) {
                    Some(w) => w.to_owned(),
                    None => name.clone(),
                };
                if self.peek() != Some(&Token::Open) {
                    return Some(Type::Atom(canonical));
                }
                self.pos += 1;
                let args = self.list()?;
                Some(match canonical.as_str() {
                    "Optional" if args.len() == 1 => {
                        let mut members = args;
                        members.push(Type::Atom("None".to_owned()));
                        Type::union(members)
                    }
                    "Union" => Type::union(args),
                    // `Literal["a", "b"]` keeps its strings as values, not forward references.
                    "Literal" => Type::Generic(canonical, args),
                    _ => Type::Generic(canonical, args),
                })
            }
            _ => None,
        }
    }
}

/// Whether `text` is `...`, which a stub writes for "some value" (`def f(x: int = ...)`,
/// `X: int = ...`), never a value to compare.
pub(crate) fn is_stub_placeholder(text: Option<&str>) -> bool {
    text.is_none_or(|t| t.trim() == "...")
}

/// `stub`'s parameters with each `= ...` default replaced by the default `other` gives the
/// same-named parameter: in a stub `...` says only that the parameter has one.
pub(crate) fn fill_stub_defaults(stub: &[Param], other: &[Param]) -> Vec<Param> {
    stub.iter()
        .map(|p| {
            let theirs = other
                .iter()
                .find(|q| q.name == p.name)
                .and_then(|q| q.default.clone());
            match (&p.default, theirs) {
                (Some(d), Some(theirs)) if d.trim() == "..." => Param {
                    default: Some(theirs),
                    ..p.clone()
                },
                _ => p.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_that_mean_the_same_type() {
        for (a, b) in [
            ("t.Optional[str]", "str | None"),
            ("Optional[Union[int, str]]", "str | int | None"),
            ("t.List[\"Parameter\"]", "list[Parameter]"),
            ("typing.Dict[str, t.Any]", "dict[str, Any]"),
            (
                "t.MutableMapping[str, t.Any]",
                "cabc.MutableMapping[str, t.Any]",
            ),
            ("\"te.Literal[True]\"", "te.Literal[True]"),
            ("t.Type[Context]", "type[Context]"),
            ("t.Callable[[int], str]", "cabc.Callable[[int], str]"),
        ] {
            assert!(
                same_annotation(Some(a), Some(b)),
                "{a} vs {b}: {} / {}",
                annotation(a),
                annotation(b)
            );
        }
        for (a, b) in [
            ("int", "str"),
            ("list[int]", "list[str]"),
            ("Optional[int]", "int"),
            ("Literal['a']", "Literal['b']"),
            ("mypkg.Client", "otherpkg.Client"),
            ("Callable[[int], str]", "Callable[[str], str]"),
        ] {
            assert!(!same_annotation(Some(a), Some(b)), "{a} vs {b}");
        }
    }

    #[test]
    fn reformatting_is_not_a_change() {
        let pairs = [
            ("Optional[ int ]", "Optional[int]"),
            ("'utf-8'", "\"utf-8\""),
            ("[1, 2,]", "[1, 2]"),
            (
                "{\n    'a': 1,  # first\n    'b': 2,\n}",
                "{\"a\": 1, \"b\": 2}",
            ),
            ("(\n    30\n)", "30"),
            ("dict[str,\n     int]", "dict[str, int]"),
            ("R'x'", "r\"x\""),
            ("f(a,\\\n b)", "f(a, b)"),
            ("(1, 2,)", "(1, 2)"),
            // A string is its value, however it is spelled or wrapped.
            ("'''\\\n+-+\n| |\n'''", "('+-+\\n'\n '| |\\n')"),
            ("'a' 'b'", "'ab'"),
            ("'\\x41\\101\\u0041\\U00000041'", "'AAAA'"),
            ("'\\u00e9'", "'é'"),
            ("r'a\\b'", "'a\\\\b'"),
            ("u'x'", "'x'"),
            ("'''a\r\nb'''", "'a\\nb'"),
            ("'\\d'", "r'\\d'"),
            ("\"it's\"", "'it\\'s'"),
        ];
        for (a, b) in pairs {
            assert_eq!(expr(a), expr(b), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn real_changes_stay_changes() {
        let pairs = [
            ("(1,)", "(1)"),
            ("'a b'", "'ab'"),
            ("30", "60"),
            ("int", "int | None"),
            ("\"it's\"", "'it\\'s'x"),
            ("(1, 2)", "[1, 2]"),
            ("r'\\n'", "'\\n'"),
            ("'a' 'b'", "'a', 'b'"),
            ("'a' + 'b'", "'ab'"),
            ("b'a'", "'a'"),
            ("'a\\\\'", "'a'"),
        ];
        for (a, b) in pairs {
            assert_ne!(expr(a), expr(b), "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn strings_are_their_values() {
        assert_eq!(expr("'say \"hi\"'"), "\"say \\\"hi\\\"\"");
        assert_eq!(expr("\"# not a comment\""), "\"# not a comment\"");
        assert_eq!(expr("'''a'''"), "\"a\"");
        assert_eq!(expr("f('a'  # one\n  'b', 'c')"), "f(\"ab\",\"c\")");
        // What is not read as a value keeps its text.
        assert_eq!(expr("b'a'"), "b\"a\"");
        assert_eq!(expr("F'{x}'"), "f\"{x}\"");
        assert_eq!(expr("'\\N{BULLET}'"), "'\\N{BULLET}'");
    }

    /// The comparison key's string rule is not the extractor's (`crate::api::text` says why):
    /// the key is a literal's value, the extractor's text a respelling.
    #[test]
    fn string_rule_differs_from_the_extractors() {
        use crate::api::text::normalize_string;
        assert_eq!(normalize_string("R'x'"), "R\"x\"");
        assert_eq!(expr("R'x'"), "\"x\"");
        assert_eq!(normalize_string("'''doc'''"), "\"\"\"doc\"\"\"");
        assert_eq!(expr("'''doc'''"), "\"doc\"");
        // A plain literal without a backslash reads the same both ways.
        assert_eq!(normalize_string("'a b'"), expr("'a b'"));
        assert_eq!(normalize_string("u'x'"), expr("u'x'"));
    }

    #[test]
    fn long_values_are_shown_where_they_differ() {
        let head = "{\"now\": \"adesso\", \"second\": \"un secondo\", \"seconds\": \"{0} qualche secondo\", ";
        let tail =
            "\"weeks\": \"{0} settimane\", \"month\": \"un mese\", \"months\": \"{0} mesi\"}";
        let a = format!("{head}\"week\": \"una settimana,\", {tail}");
        let b = format!("{head}\"week\": \"una settimana\", {tail}");
        assert_eq!(show(Some(&a)), show(Some(&b)), "cut to the same text");
        assert_eq!(
            show_difference(&a, &b),
            (
                "`…: \"una settimana,\", \"weeks\": \"{0}…`".to_owned(),
                "`…: \"una settimana\", \"weeks\": \"{0}…`".to_owned()
            )
        );
        // A value that only grows at its end.
        let (was, now) = show_difference(&a, &format!("{a} + extra"));
        assert!(
            was.ends_with("mesi\"}`") && now.ends_with("+ extra`"),
            "{was} {now}"
        );
    }

    #[test]
    fn same_handles_absence() {
        assert!(same(None, None));
        assert!(!same(Some("1"), None));
        assert!(same(Some("( 1 )"), Some("1")));
    }
}
