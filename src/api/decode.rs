//! Decoding a Python file's bytes as CPython does (PEP 263 coding lines, a UTF-8 BOM, lone `\r`
//! line ends), and refusing what CPython refuses (NUL bytes) or what is not source at all (a Git
//! LFS pointer), naming the file.

use std::borrow::Cow;

use super::Error;

/// Decodes `bytes` as Python does: UTF-8 (a BOM is dropped), or the encoding a PEP 263 coding
/// line names in line 1 or 2. Lone `\r` line ends (classic Mac) become `\n`, which keeps every
/// byte offset and which tree-sitter-python does not read as a line end.
pub(crate) fn decode(path: &str, bytes: &[u8]) -> Result<String, Error> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    // CPython: "source code cannot contain null bytes". tree-sitter would read on, and the
    // error would show the line with the NUL printed as nothing.
    if let Some(at) = memchr::memchr(0, bytes) {
        return Err(Error::NulByte {
            file: path.to_owned(),
            line: 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count(),
        });
    }
    // Read from git objects, a file tracked by Git LFS is its pointer: a syntax error at
    // "version https://..." would not tell the user why.
    if bytes.starts_with(b"version https://git-lfs.github.com/spec/") {
        return Err(Error::LfsPointer {
            file: path.to_owned(),
        });
    }
    let (body, bom) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, BOM.len()),
        None => (bytes, 0),
    };
    let text: Cow<'_, str> = match coding_line(body) {
        None => Cow::Borrowed(strict_utf8(path, body, bom)?),
        Some(label) => decode_labelled(path, body, bom, &label)?,
    };
    Ok(normalize_line_ends(text))
}

fn strict_utf8<'a>(path: &str, bytes: &'a [u8], bom: usize) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
        file: path.to_owned(),
        offset: bom + e.valid_up_to(),
    })
}

fn decode_labelled<'a>(
    path: &str,
    body: &'a [u8],
    bom: usize,
    label: &str,
) -> Result<Cow<'a, str>, Error> {
    let bad = || Error::BadEncoding {
        file: path.to_owned(),
        encoding: label.to_owned(),
    };
    // Python's own normalisation (Parser/tokenizer.c, get_normal_name): the first 12 characters,
    // lower-cased, `_` read as `-`.
    let normal: String = label
        .chars()
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase()
        .replace('_', "-");
    let is = |name: &str| normal == name || normal.starts_with(&format!("{name}-"));
    if is("utf-8") || normal == "utf8" || normal == "u8" {
        return strict_utf8(path, body, bom).map(Cow::Borrowed);
    }
    // A BOM says UTF-8; Python refuses any other coding line next to it.
    if bom > 0 {
        return Err(bad());
    }
    if [
        "latin-1",
        "iso-8859-1",
        "iso-latin-1",
        "latin1",
        "l1",
        "iso8859-1",
    ]
    .iter()
    .any(|name| is(name))
    {
        // ISO-8859-1 maps each byte to the code point of the same value; encoding_rs reads the
        // label as windows-1252, which differs in 0x80..0x9F.
        return Ok(Cow::Owned(body.iter().map(|&b| char::from(b)).collect()));
    }
    if normal == "ascii" || normal == "us-ascii" {
        return match body.iter().position(|b| !b.is_ascii()) {
            Some(_) => Err(bad()),
            None => strict_utf8(path, body, bom).map(Cow::Borrowed),
        };
    }
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes())
        .or_else(|| encoding_rs::Encoding::for_label(normal.as_bytes()))
        .ok_or_else(|| Error::UnknownEncoding {
            file: path.to_owned(),
            encoding: label.to_owned(),
        })?;
    encoding
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or_else(bad)
}

/// The encoding a PEP 263 coding line names: `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` on line
/// 1, or on line 2 when line 1 is blank or a comment (as `tokenize.detect_encoding` reads it).
fn coding_line(bytes: &[u8]) -> Option<String> {
    let mut lines = bytes.split(|&b| b == b'\n');
    let first = lines.next()?;
    if let Some(label) = coding_in(first) {
        return Some(label);
    }
    let blank_or_comment = first
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\x0c'))
        .is_none_or(|&b| b == b'#' || b == b'\r');
    if blank_or_comment {
        return lines.next().and_then(coding_in);
    }
    None
}

fn coding_in(line: &[u8]) -> Option<String> {
    let start = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\x0c'))?;
    if line[start] != b'#' {
        return None;
    }
    let comment = &line[start..];
    let mut from = 0;
    while let Some(at) = find(&comment[from..], b"coding") {
        let after = from + at + b"coding".len();
        if matches!(comment.get(after), Some(b':' | b'=')) {
            let rest = &comment[after + 1..];
            let rest = &rest[rest
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t'))
                .unwrap_or(rest.len())..];
            let len = rest
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
                .unwrap_or(rest.len());
            if len > 0 {
                return Some(String::from_utf8_lossy(&rest[..len]).into_owned());
            }
        }
        from = after;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn normalize_line_ends(text: Cow<'_, str>) -> String {
    if !text.contains('\r') {
        return text.into_owned();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            out.push_str(&text[last..i]);
            out.push('\n');
            last = i + 1;
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("a.py", b"x = 1\n").unwrap(), "x = 1\n");
        assert_eq!(decode("a.py", b"\xEF\xBB\xBFx = 1\n").unwrap(), "x = 1\n");
        assert_eq!(decode("a.py", "s = 'é'\n".as_bytes()).unwrap(), "s = 'é'\n");
    }

    #[test]
    fn a_nul_byte_is_an_error_naming_its_line() {
        match decode("pkg/a.py", b"x = 1\ns = 'a\0b'\n") {
            Err(Error::NulByte { file, line }) => {
                assert_eq!((file.as_str(), line), ("pkg/a.py", 2))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_git_lfs_pointer_is_named_as_one() {
        let pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146\nsize 12\n";
        assert!(matches!(
            decode("pkg/gen.py", pointer),
            Err(Error::LfsPointer { file }) if file == "pkg/gen.py"
        ));
    }

    #[test]
    fn invalid_utf8_without_coding_line_names_the_offset() {
        match decode("pkg/a.py", b"x = 1\ns = '\xE9'\n") {
            Err(Error::NotUtf8 { file, offset }) => {
                assert_eq!(file, "pkg/a.py");
                assert_eq!(offset, 11);
            }
            other => panic!("{other:?}"),
        }
        // The offset counts the BOM.
        match decode("a.py", b"\xEF\xBB\xBF\xFF") {
            Err(Error::NotUtf8 { offset, .. }) => assert_eq!(offset, 3),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn coding_line_latin1_on_line_one_or_two() {
        let src = b"# -*- coding: latin-1 -*-\ns = '\xE9'\n";
        assert_eq!(
            decode("a.py", src).unwrap(),
            "# -*- coding: latin-1 -*-\ns = 'é'\n"
        );
        let src = b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\ns = '\xA4'\n";
        assert!(decode("a.py", src).unwrap().ends_with("s = '€'\n"));
        // Bytes 0x80..0x9F are C1 controls in Latin-1, not windows-1252 punctuation.
        let src = b"# coding=latin_1\ns = '\x80'\n";
        assert_eq!(
            decode("a.py", src).unwrap(),
            "# coding=latin_1\ns = '\u{80}'\n"
        );
    }

    #[test]
    fn coding_line_on_line_two_needs_a_comment_or_blank_line_one() {
        let src = b"x = 1\n# coding: latin-1\ns = '\xE9'\n";
        assert!(matches!(
            decode("a.py", src),
            Err(Error::NotUtf8 { offset: 29, .. })
        ));
        let src = b"\n# coding: cp1252\ns = '\x80'\n";
        assert_eq!(
            decode("a.py", src).unwrap(),
            "\n# coding: cp1252\ns = '€'\n"
        );
    }

    #[test]
    fn coding_line_utf8_is_strict() {
        assert_eq!(
            decode("a.py", b"# coding: utf-8\nx = 1\n").unwrap(),
            "# coding: utf-8\nx = 1\n"
        );
        assert!(matches!(
            decode("a.py", b"# coding: utf8\nx = '\xE9'\n"),
            Err(Error::NotUtf8 { .. })
        ));
    }

    #[test]
    fn unknown_and_bad_encodings() {
        match decode("a.py", b"# coding: klingon\nx = 1\n") {
            Err(Error::UnknownEncoding { file, encoding }) => {
                assert_eq!((file.as_str(), encoding.as_str()), ("a.py", "klingon"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decode("a.py", b"# coding: ascii\nx = '\xE9'\n"),
            Err(Error::BadEncoding { .. })
        ));
        assert!(matches!(
            decode("a.py", b"\xEF\xBB\xBF# coding: latin-1\nx = 1\n"),
            Err(Error::BadEncoding { .. })
        ));
        assert!(matches!(
            decode("a.py", b"# coding: shift_jis\nx = '\x82'\n"),
            Err(Error::BadEncoding { .. })
        ));
    }
}
