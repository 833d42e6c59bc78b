//! setuptools' `setup.cfg`: the `[metadata]` and `[options]` keys that name the project and
//! find its package, read as Python's configparser and setuptools read them.
//!
//! configparser's syntax: `[section]` headers, case-sensitive; `key = value` or `key: value`,
//! the key case-insensitive (setuptools also takes `-` for `_`); a value continues on the lines
//! indented deeper than its key, blank lines included; whole-line `#` and `;` comments, skipped
//! even inside a value. There are no inline comments: `packages = find:  # x` is one value, as
//! configparser reads it (setuptools then fails on it). setuptools splits a list on lines when
//! the value has several, else on commas, and each entry of a dict on its first `=`.
//!
//! Only literals count: `version = attr: pkg.__version__` or `file: VERSION` is
//! [`Arg::Opaque`]. The `setup()` arguments come out as [`SetupArgs`], as setup.py's do.

use std::collections::BTreeMap;

use crate::api::package::FindPackages;
use crate::api::setup_py::{Arg, Packages, SetupArgs};

/// One option's value, its continuation lines joined with `\n`, and the line of its key.
struct Value {
    text: String,
    line: u32,
}

/// Reads the `setup()` arguments a setup.cfg gives.
pub(crate) fn read(text: &str) -> SetupArgs {
    let sections = sections(text);
    let get = |section: &str, key: &str| {
        sections
            .get(section)
            .and_then(|s| s.get(key))
            .filter(|v| !v.text.trim().is_empty())
    };
    let name = get("metadata", "name").map_or(Arg::Absent, |v| Arg::Literal(v.text.clone()));
    let version = get("metadata", "version").map_or(Arg::Absent, |v| {
        let text = v.text.trim();
        if text.starts_with("attr:") || text.starts_with("file:") {
            Arg::Opaque
        } else {
            Arg::Literal((text.to_owned(), v.line))
        }
    });
    let packages = get("options", "packages").map_or(Arg::Absent, |v| {
        match v.text.trim() {
            // setuptools reads `[options.packages.find]` for both; `find_namespace:` also
            // takes folders without `__init__.py`.
            spelling @ ("find:" | "find_namespace:") => {
                let find = |key: &str| get("options.packages.find", key).map(|v| list(&v.text));
                Arg::Literal(Packages::Find(FindPackages {
                    // setuptools takes the first entry of `where` only.
                    where_: find("where")
                        .and_then(|w| w.into_iter().next())
                        .into_iter()
                        .collect(),
                    include: find("include").unwrap_or_default(),
                    exclude: find("exclude").unwrap_or_default(),
                    namespaces: spelling == "find_namespace:",
                }))
            }
            _ => Arg::Literal(Packages::Listed(list(&v.text))),
        }
    });
    let package_dir = get("options", "package_dir").map_or(Arg::Absent, |v| {
        Arg::Literal(
            list(&v.text)
                .iter()
                .filter_map(|entry| {
                    let (key, dir) = entry.split_once('=')?;
                    Some((key.trim().to_owned(), dir.trim().to_owned()))
                })
                .collect(),
        )
    });
    let py_modules =
        get("options", "py_modules").map_or(Arg::Absent, |v| Arg::Literal(list(&v.text)));
    let python_requires = get("options", "python_requires").map_or(Arg::Absent, |v| {
        Arg::Literal((v.text.trim().to_owned(), v.line))
    });
    SetupArgs {
        name,
        version,
        packages,
        package_dir,
        py_modules,
        python_requires,
        complete: true,
    }
}

/// setuptools' `_parse_list`: the lines of a multi-line value, else its comma-separated parts,
/// trimmed, empty ones dropped.
fn list(value: &str) -> Vec<String> {
    let parts: Vec<&str> = if value.contains('\n') {
        value.lines().collect()
    } else {
        value.split(',').collect()
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every section's options, as configparser reads them. Keys are lower-cased with `-` turned
/// into `_`; a repeated section or key (an error for configparser) keeps the last value.
fn sections(text: &str) -> BTreeMap<String, BTreeMap<String, Value>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    let mut section: Option<String> = None;
    // The option being read, and the indentation of its key line.
    let mut option: Option<String> = None;
    let mut indent_level = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let current = section
            .as_ref()
            .zip(option.as_ref())
            .and_then(|(s, o)| out.get_mut(s)?.get_mut(o));
        if line.is_empty() {
            // Blank lines belong to the value being read; trailing ones are trimmed below.
            if let Some(value) = current {
                value.text.push('\n');
            }
            continue;
        }
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
        if let Some(value) = current
            && indent > indent_level
        {
            value.text.push('\n');
            value.text.push_str(line);
            continue;
        }
        indent_level = indent;
        option = None;
        if let Some(rest) = line.strip_prefix('[')
            && let Some(end) = rest.rfind(']')
            && end > 0
        {
            let name = rest[..end].to_owned();
            out.entry(name.clone()).or_default();
            section = Some(name);
            continue;
        }
        let Some(name) = &section else {
            continue;
        };
        let Some(at) = line.find(['=', ':']) else {
            continue;
        };
        let key = line[..at].trim().to_lowercase().replace('-', "_");
        let value = Value {
            text: line[at + 1..].trim().to_owned(),
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        if let Some(options) = out.get_mut(name) {
            options.insert(key.clone(), value);
            option = Some(key);
        }
    }
    for options in out.values_mut() {
        for value in options.values_mut() {
            let trimmed = value.text.trim_end().len();
            value.text.truncate(trimmed);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn listed(list: &[&str]) -> Arg<Packages> {
        Arg::Literal(Packages::Listed(strings(list)))
    }

    fn find(where_: &[&str], include: &[&str], exclude: &[&str]) -> Arg<Packages> {
        Arg::Literal(Packages::Find(FindPackages {
            where_: strings(where_),
            include: strings(include),
            exclude: strings(exclude),
            namespaces: false,
        }))
    }

    fn dirs(pairs: &[(&str, &str)]) -> Arg<BTreeMap<String, String>> {
        Arg::Literal(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn metadata_name_and_version() {
        let cfg = read(concat!(
            "[options]\nname = not-this\n\n",
            "[metadata]\n",
            "name = requests\n",
            "version = 2.31.0\n",
        ));
        assert_eq!(cfg.name, Arg::Literal("requests".to_owned()));
        assert_eq!(cfg.version, Arg::Literal(("2.31.0".to_owned(), 6)));
        for dynamic in ["attr: jwt.__version__", "file: VERSION.txt"] {
            let cfg = read(&format!("[metadata]\nversion = {dynamic}\n"));
            assert_eq!(cfg.version, Arg::Opaque, "{dynamic}");
        }
        // `:` is a delimiter too, keys are case-insensitive, and an empty value is absent.
        let cfg = read("[metadata]\nName: PyJWT\nversion =\n");
        assert_eq!(cfg.name, Arg::Literal("PyJWT".to_owned()));
        assert_eq!(cfg.version, Arg::Absent);
        assert_eq!(read("[options]\nname = x\n").name, Arg::Absent);
    }

    #[test]
    fn packages_lists() {
        let cases = [
            ("packages = a, a.b ,c", listed(&["a", "a.b", "c"])),
            ("packages =\n    a\n    a.b\n", listed(&["a", "a.b"])),
            // a comment line inside the value is skipped, a blank line kept then dropped
            (
                "packages =\n    a\n    # old\n  ; older\n\n    b\n",
                listed(&["a", "b"]),
            ),
            // several lines: each line is one entry, commas and all (setuptools' `_parse_list`)
            ("packages =\n    a, b\n    c\n", listed(&["a, b", "c"])),
            ("packages = solo", listed(&["solo"])),
            ("packages =", Arg::Absent),
        ];
        for (options, want) in cases {
            let cfg = read(&format!("[options]\n{options}\nzip_safe = False\n"));
            assert_eq!(cfg.packages, want, "{options}");
        }
    }

    #[test]
    fn find_with_its_section() {
        let cfg = read(concat!(
            "[options]\n",
            "packages = find:\n",
            "package_dir =\n",
            "    =src\n",
            "\n",
            "[options.packages.find]\n",
            "where = src\n",
            "include = realpkg*\n",
            "exclude =\n",
            "    tests\n",
            "    tests.*\n",
        ));
        assert_eq!(
            cfg.packages,
            find(&["src"], &["realpkg*"], &["tests", "tests.*"])
        );
        assert_eq!(cfg.package_dir, dirs(&[("", "src")]));

        let cfg = read("[options]\npackages = find_namespace:\n");
        assert_eq!(
            cfg.packages,
            Arg::Literal(Packages::Find(FindPackages {
                namespaces: true,
                ..FindPackages::default()
            }))
        );
        // `where` takes its first entry only, as setuptools does.
        let cfg =
            read("[options]\npackages=find:\n[options.packages.find]\nwhere =\n  lib\n  other\n");
        assert_eq!(cfg.packages, find(&["lib"], &[], &[]));
    }

    #[test]
    fn package_dir_and_py_modules() {
        let cases = [
            ("package_dir = =src", dirs(&[("", "src")])),
            ("package_dir = = lib", dirs(&[("", "lib")])),
            (
                "package_dir =\n    pkg = lib/pkg\n    = src\n    broken\n",
                dirs(&[("pkg", "lib/pkg"), ("", "src")]),
            ),
            ("package-dir = a=x, b=y", dirs(&[("a", "x"), ("b", "y")])),
        ];
        for (options, want) in cases {
            assert_eq!(
                read(&format!("[options]\n{options}\n")).package_dir,
                want,
                "{options}"
            );
        }
        let cfg = read("[options]\nPY_MODULES =\n    six\n");
        assert_eq!(cfg.py_modules, Arg::Literal(strings(&["six"])));
    }

    #[test]
    fn configparser_syntax() {
        // Section names are case-sensitive: `[Options]` is not `[options]`.
        assert_eq!(read("[Options]\npackages = a\n").packages, Arg::Absent);
        // A key line indented no deeper than the previous key starts a new option.
        let cfg = read("[options]\n  packages = a\n  py_modules = m\n");
        assert_eq!(cfg.packages, listed(&["a"]));
        assert_eq!(cfg.py_modules, Arg::Literal(strings(&["m"])));
        // No inline comments: the text is part of the value.
        let cfg = read("[options]\npackages = a  # the package\n");
        assert_eq!(cfg.packages, listed(&["a  # the package"]));
        // Keys before any section, and lines without a delimiter, are skipped.
        let cfg = read("packages = a\n[options]\nnonsense\npackages = b\n");
        assert_eq!(cfg.packages, listed(&["b"]));
        // A bracketed line inside a value is a continuation, not a section.
        let cfg = read("[options]\npackages =\n    [x]\n[metadata]\nname = n\n");
        assert_eq!(cfg.packages, listed(&["[x]"]));
        assert_eq!(cfg.name, Arg::Literal("n".to_owned()));
        // CRLF line ends and a BOM.
        let cfg =
            read("\u{feff}[metadata]\r\nname = crlf\r\n[options]\r\npackages =\r\n  a\r\n  b\r\n");
        assert_eq!(cfg.name, Arg::Literal("crlf".to_owned()));
        assert_eq!(cfg.packages, listed(&["a", "b"]));
        // A setup.cfg is always read whole.
        let empty = SetupArgs {
            complete: true,
            ..SetupArgs::default()
        };
        assert_eq!(read(""), empty);
    }
}
