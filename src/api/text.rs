//! Canonical forms of Python source text that need no syntax tree: string and number literals
//! as black writes them, whitespace runs, dotted names.
//!
//! Plain `&str` functions, shared by the extractor ([`super::expr`], [`super::resolve`]) and the
//! diff (`crate::diff`, which may import `api` but never `tree_sitter`). This module must never
//! import `tree_sitter`, nor anything of `diff`.
//!
//! The diff's comparison key (`crate::diff::normalize`) keeps its own string-literal rule on
//! purpose: it reads a `str` literal's value (escapes, raw and triple-quoted forms, adjacent
//! literals joined), so `'''a'''`, `r'a'` and `'a'` are one key, where [`normalize_string`]
//! only respells a literal as black does, for the text the surface shows. A test in
//! `diff::normalize` pins the difference.

/// The last part of a dotted name (`Enum` of `enum.Enum`), as written.
pub(crate) fn last_part(dotted: &str) -> &str {
    dotted.rsplit('.').next().unwrap_or(dotted)
}

/// [`last_part`] of a source span, without the spaces `a . b` may put around it.
pub(crate) fn last_component(dotted: &str) -> &str {
    last_part(dotted).trim()
}

/// A dotted name has a private part (`mypkg._impl.Base`, `_Base`).
pub(crate) fn is_private_dotted(name: &str) -> bool {
    name.split('.').any(|part| part.starts_with('_'))
}

/// Whitespace runs (line breaks included) collapsed to single spaces, ends trimmed.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Black's string normalization: prefix characters lower-cased (`u` dropped, `R` kept), and
/// single quotes turned double unless that needs more escapes.
pub(crate) fn normalize_string(text: &str) -> String {
    let Some(quote_at) = text.find(['"', '\'']) else {
        return text.to_owned();
    };
    let (prefix, rest) = text.split_at(quote_at);
    let prefix: String = prefix
        .chars()
        .filter(|c| !matches!(c, 'u' | 'U'))
        .map(|c| match c {
            'F' => 'f',
            'B' => 'b',
            c => c,
        })
        .collect();
    let raw = prefix.contains(['r', 'R']);
    let quoted = if let Some(body) = rest.strip_prefix("'''").and_then(|r| r.strip_suffix("'''")) {
        if body.contains('"') {
            rest.to_owned()
        } else {
            format!("\"\"\"{body}\"\"\"")
        }
    } else if let Some(body) = rest.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        if body.contains('"') || (raw && body.contains("\\'")) {
            rest.to_owned()
        } else if raw {
            format!("\"{body}\"")
        } else {
            format!("\"{}\"", body.replace("\\'", "'"))
        }
    } else {
        rest.to_owned()
    };
    format!("{prefix}{quoted}")
}

/// Black's numeric normalization: lower-case prefixes, exponents and `j`; upper-case hex digits.
pub(crate) fn normalize_number(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if let Some(digits) = lower.strip_prefix("0x") {
        return format!("0x{}", digits.to_ascii_uppercase());
    }
    if let Some(n) = lower.strip_suffix('l') {
        return format!("{n}L");
    }
    lower
}
