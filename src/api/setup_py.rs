//! The arguments of a `setup.py`'s `setup(...)` call that say where the package is (and
//! `python_requires`, compared like pyproject.toml's `requires-python`), read statically with tree-sitter (API-RULES.md section 1). The file is never run.
//!
//! Only literals are read: strings, lists and tuples of strings, a dict of strings for
//! `package_dir`, and `find_packages(...)` / `find_namespace_packages(...)` with literal
//! arguments. A name bound once at module level to such a literal (`NAME = "attrs"`, then
//! `setup(name=NAME)`) is followed one step. Anything else is [`Arg::Opaque`]: setuptools gets a
//! value that bumpwise cannot know. The call is looked for in module-level statements and the
//! `if`, `try` and `with` blocks around them, never inside a function: `def main(): setup(...)`
//! is not read. `setup(**kwargs)` is not followed.
//!
//! [`SetupArgs`] is also what `crate::project` reads out of setup.cfg, the declarative form of
//! the same arguments.

use std::collections::BTreeMap;

use tree_sitter::Node;

use super::node::{NodeExt, callee, dotted, line_of, named_children, string_value, strip_parens};
use super::package::FindPackages;
use super::parse;

/// The arguments of setuptools' `setup()` that name and find the package, from setup.py or
/// setup.cfg.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetupArgs {
    /// `name`: the distribution name.
    pub name: Arg<String>,
    /// `version`, with the 1-based line of its literal.
    pub version: Arg<(String, u32)>,
    /// `packages`: a list of dotted names, or the `find_packages` settings.
    pub packages: Arg<Packages>,
    /// `package_dir`: dotted package name (`""` for the root) to directory.
    pub package_dir: Arg<BTreeMap<String, String>>,
    /// `py_modules`: single-module distributions.
    pub py_modules: Arg<Vec<String>>,
    /// `python_requires`, with the 1-based line of its literal: setup.py's `requires-python`.
    pub python_requires: Arg<(String, u32)>,
    /// Every argument was read: the call was found and passes no `*args` or `**kwargs`, so an
    /// absent argument is really absent.
    pub complete: bool,
}

/// One argument: absent, given as something bumpwise cannot read, or a literal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Arg<T> {
    #[default]
    Absent,
    /// Given, but not as a literal (a call, a computed value): setuptools uses it, so nothing
    /// else may stand in for it.
    Opaque,
    Literal(T),
}

impl<T> Arg<T> {
    /// This argument, or `fallback` when this one is absent. setuptools gives setup.py's
    /// keyword arguments precedence over setup.cfg (its `ConfigHandler` skips an option the
    /// `setup()` call already set), so `py.or(cfg)` is setuptools' own order.
    pub fn or(self, fallback: Arg<T>) -> Arg<T> {
        match self {
            Arg::Absent => fallback,
            given => given,
        }
    }

    /// A literal when `value` was read, else opaque.
    fn read_as(value: Option<T>) -> Arg<T> {
        value.map_or(Arg::Opaque, Arg::Literal)
    }

    /// The literal value, if any.
    pub fn literal(self) -> Option<T> {
        match self {
            Arg::Literal(v) => Some(v),
            _ => None,
        }
    }
}

/// What `packages` is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Packages {
    /// `packages=["a", "a.b"]`: dotted package names.
    Listed(Vec<String>),
    /// `packages=find_packages(...)`, or setup.cfg's `find:` / `find_namespace:`.
    Find(FindPackages),
}

/// Reads the `setup(...)` call of a setup.py; `path` names the file for decoding. A file that
/// cannot be decoded, or has no call bumpwise recognises, gives [`SetupArgs::default`]: setup.py
/// only helps to find the package, and what it cannot say the conventions still can.
pub fn read(path: &str, bytes: &[u8]) -> SetupArgs {
    let Ok(parsed) = parse::parse(path, bytes) else {
        return SetupArgs::default();
    };
    let src = parsed.text.as_str();
    let root = parsed.tree.root_node();
    let Some(call) = setup_call(root, src) else {
        return SetupArgs::default();
    };
    let Some(arguments) = call.field("arguments") else {
        return SetupArgs::default();
    };
    // A syntax error among the arguments leaves no telling which value belongs to which key
    // (setuptools would not run either): the file says nothing.
    if arguments.has_error() {
        return SetupArgs::default();
    }
    let literals = module_literals(root, src);
    let mut args = SetupArgs {
        complete: true,
        ..SetupArgs::default()
    };
    for arg in named_children(arguments) {
        if matches!(arg.kind_str(), "dictionary_splat" | "list_splat") {
            args.complete = false;
        }
        if arg.kind_str() != "keyword_argument" {
            continue;
        }
        let (Some(key), Some(value)) = (arg.field("name"), arg.field("value")) else {
            continue;
        };
        let value = resolve(value, src, &literals);
        match &src[key.byte_range()] {
            "name" => args.name = Arg::read_as(string_value(value, src)),
            "version" => {
                args.version = Arg::read_as(string_value(value, src).map(|v| (v, line_of(value))));
            }
            "packages" => args.packages = Arg::read_as(packages(value, src, &literals)),
            "package_dir" => args.package_dir = Arg::read_as(string_dict(value, src)),
            "py_modules" => args.py_modules = Arg::read_as(string_list(value, src)),
            "python_requires" => {
                args.python_requires =
                    Arg::read_as(string_value(value, src).map(|v| (v, line_of(value))));
            }
            _ => {}
        }
    }
    args
}

/// The first `setup(...)`, `setuptools.setup(...)` or `distutils.core.setup(...)` call that is
/// a statement (or the value of an assignment) at module level or in a block of an `if`,
/// `try` or `with` there (`if __name__ == "__main__":`).
fn setup_call<'t>(node: Node<'t>, src: &str) -> Option<Node<'t>> {
    for child in named_children(node) {
        let found = match child.kind_str() {
            "expression_statement" => named_children(child).into_iter().find_map(|e| {
                let e = match e.kind_str() {
                    "assignment" => e.field("right")?,
                    _ => e,
                };
                is_setup_call(e, src).then_some(e)
            }),
            "if_statement" | "elif_clause" | "else_clause" | "try_statement" | "except_clause"
            | "finally_clause" | "with_statement" | "block" => setup_call(child, src),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn is_setup_call(node: Node<'_>, src: &str) -> bool {
    if node.kind_str() != "call" {
        return false;
    }
    let name = dotted(callee(node), src).unwrap_or_default();
    matches!(
        name.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["setup"] | ["setuptools", "setup"] | ["distutils", "core", "setup"]
    )
}

/// Names bound exactly once by a plain module-level assignment (`NAME = "attrs"`), to their
/// value. A name bound twice is left out: which value reaches `setup()` depends on the order.
fn module_literals<'t>(root: Node<'t>, src: &str) -> BTreeMap<String, Option<Node<'t>>> {
    let mut out: BTreeMap<String, Option<Node<'t>>> = BTreeMap::new();
    for statement in named_children(root) {
        if statement.kind_str() != "expression_statement" {
            continue;
        }
        for e in named_children(statement) {
            if e.kind_str() != "assignment" {
                continue;
            }
            let (Some(left), Some(right)) = (e.field("left"), e.field("right")) else {
                continue;
            };
            if left.kind_str() == "identifier" {
                out.entry(src[left.byte_range()].to_owned())
                    .and_modify(|v| *v = None)
                    .or_insert(Some(right));
            }
        }
    }
    out
}

/// `value`, or what the module-level name it is bound to (one step).
fn resolve<'t>(
    value: Node<'t>,
    src: &str,
    literals: &BTreeMap<String, Option<Node<'t>>>,
) -> Node<'t> {
    let value = strip_parens(value);
    if value.kind_str() == "identifier"
        && let Some(Some(bound)) = literals.get(&src[value.byte_range()])
    {
        return strip_parens(*bound);
    }
    value
}

/// A list or tuple of string literals.
fn string_list(node: Node<'_>, src: &str) -> Option<Vec<String>> {
    let node = strip_parens(node);
    match node.kind_str() {
        "list" | "tuple" => named_children(node)
            .into_iter()
            .map(|n| string_value(n, src))
            .collect(),
        _ => None,
    }
}

/// A dict literal of strings to strings.
fn string_dict(node: Node<'_>, src: &str) -> Option<BTreeMap<String, String>> {
    let node = strip_parens(node);
    if node.kind_str() != "dictionary" {
        return None;
    }
    named_children(node)
        .into_iter()
        .map(|pair| {
            if pair.kind_str() != "pair" {
                return None;
            }
            let key = string_value(pair.field("key")?, src)?;
            let value = string_value(pair.field("value")?, src)?;
            Some((key, value))
        })
        .collect()
}

/// `packages=[...]`, or `find_packages(where, exclude, include)` and
/// `find_namespace_packages(...)` with literal arguments, positional or by keyword.
fn packages<'t>(
    node: Node<'t>,
    src: &str,
    literals: &BTreeMap<String, Option<Node<'t>>>,
) -> Option<Packages> {
    if let Some(list) = string_list(node, src) {
        return Some(Packages::Listed(list));
    }
    if node.kind_str() != "call" {
        return None;
    }
    let name = dotted(callee(node), src)?;
    let function = match name
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [f] | ["setuptools", f] => (*f).to_owned(),
        _ => return None,
    };
    if function != "find_packages" && function != "find_namespace_packages" {
        return None;
    }
    let mut find = FindPackages {
        namespaces: function == "find_namespace_packages",
        ..FindPackages::default()
    };
    let args = node
        .field("arguments")
        .map(named_children)
        .unwrap_or_default();
    // setuptools' signature: find_packages(where=".", exclude=(), include=("*",)).
    const POSITIONS: [&str; 3] = ["where", "exclude", "include"];
    for (i, arg) in args.into_iter().enumerate() {
        let (key, value) = match arg.kind_str() {
            "keyword_argument" => (
                src[arg.field("name")?.byte_range()].to_owned(),
                arg.field("value")?,
            ),
            "list_splat" | "dictionary_splat" => return None,
            _ => ((*POSITIONS.get(i)?).to_owned(), arg),
        };
        let value = resolve(value, src, literals);
        match key.as_str() {
            "where" => find.where_ = vec![string_value(value, src)?],
            "exclude" => find.exclude = string_list(value, src)?,
            "include" => find.include = string_list(value, src)?,
            _ => return None,
        }
    }
    Some(Packages::Find(find))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(src: &str) -> SetupArgs {
        read("setup.py", src.as_bytes())
    }

    fn lit<T>(v: T) -> Arg<T> {
        Arg::Literal(v)
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn find(where_: &[&str], include: &[&str], exclude: &[&str]) -> Arg<Packages> {
        lit(Packages::Find(FindPackages {
            where_: strings(where_),
            include: strings(include),
            exclude: strings(exclude),
            namespaces: false,
        }))
    }

    #[test]
    fn literal_keyword_arguments() {
        let a = args(concat!(
            "from setuptools import setup\n",
            "\n",
            "setup(\n",
            "    name=\"six\",\n",
            "    version='1.16.0',\n",
            "    py_modules=[\"six\"],\n",
            "    package_dir={'': 'src'},\n",
            "    packages=('a', 'a.b'),\n",
            "    zip_safe=False,\n",
            ")\n",
        ));
        assert_eq!(a.name, lit("six".to_owned()));
        assert_eq!(a.version, lit(("1.16.0".to_owned(), 5)));
        assert_eq!(a.py_modules, lit(strings(&["six"])));
        assert_eq!(
            a.package_dir,
            lit([(String::new(), "src".to_owned())].into())
        );
        assert_eq!(a.packages, lit(Packages::Listed(strings(&["a", "a.b"]))));
    }

    #[test]
    fn find_packages_spellings() {
        let cases = [
            ("find_packages()", find(&[], &[], &[])),
            ("find_packages(\"src\")", find(&["src"], &[], &[])),
            (
                "setuptools.find_packages(where='lib')",
                find(&["lib"], &[], &[]),
            ),
            (
                "find_packages(exclude=[\"tests\", \"tests.*\"])",
                find(&[], &[], &["tests", "tests.*"]),
            ),
            (
                "find_namespace_packages(where=\"src\", include=[\"acme.*\"])",
                namespace(find(&["src"], &["acme.*"], &[])),
            ),
            (
                "find_packages('.', ('docs',), ['pkg*'])",
                find(&["."], &["pkg*"], &["docs"]),
            ),
        ];
        for (call, want) in cases {
            let a = args(&format!(
                "from setuptools import setup, find_packages\nsetup(packages={call})\n"
            ));
            assert_eq!(a.packages, want, "{call}");
        }
    }

    fn namespace(find: Arg<Packages>) -> Arg<Packages> {
        match find {
            Arg::Literal(Packages::Find(f)) => lit(Packages::Find(FindPackages {
                namespaces: true,
                ..f
            })),
            other => other,
        }
    }

    #[test]
    fn non_literal_arguments_are_opaque() {
        let a = args(concat!(
            "import os, pytz\n",
            "from setuptools import setup, find_packages\n",
            "setup(\n",
            "    name=get_name(),\n",
            "    version=pytz.VERSION,\n",
            "    packages=find_packages(exclude=EXCLUDED) + ['extra'],\n",
            "    package_dir={'': os.environ['SRC']},\n",
            "    py_modules=[m for m in MODULES],\n",
            ")\n",
        ));
        assert_eq!(a.name, Arg::Opaque);
        assert_eq!(a.version, Arg::Opaque);
        assert_eq!(a.packages, Arg::Opaque);
        assert_eq!(a.package_dir, Arg::Opaque);
        assert_eq!(a.py_modules, Arg::Opaque);
        // find_packages with an argument that is not literal
        let a = args("setup(packages=find_packages(exclude=EXCLUDED))\n");
        assert_eq!(a.packages, Arg::Opaque);
        // an f-string is not a literal name
        let a = args("setup(name=f\"{x}-lib\")\n");
        assert_eq!(a.name, Arg::Opaque);
    }

    #[test]
    fn module_level_names_bound_once_are_followed() {
        // attrs 21.3
        let a = args(concat!(
            "NAME = \"attrs\"\n",
            "PACKAGES = find_packages(where=\"src\")\n",
            "VERSION = '1.0'\n",
            "VERSION = '2.0'\n",
            "if __name__ == \"__main__\":\n",
            "    setup(name=NAME, packages=PACKAGES, package_dir={\"\": \"src\"}, version=VERSION)\n",
        ));
        assert_eq!(a.name, lit("attrs".to_owned()));
        assert_eq!(a.packages, find(&["src"], &[], &[]));
        assert_eq!(a.version, Arg::Opaque);
    }

    #[test]
    fn where_the_call_is_looked_for() {
        let found = [
            "import setuptools\nsetuptools.setup(name='a')\n",
            "from distutils import core\nimport distutils.core\ndistutils.core.setup(name='a')\n",
            "try:\n    from setuptools import setup\nexcept ImportError:\n    from distutils.core import setup\nif True:\n    pass\nelse:\n    dist = setup(name='a')\n",
            "with open('README') as f:\n    setup(name='a')\n",
        ];
        for src in found {
            assert_eq!(args(src).name, lit("a".to_owned()), "{src}");
        }
        let not_found = [
            "def main():\n    setup(name='a')\n\nmain()\n",
            "other.setup(name='a')\n",
            "setup(**{'name': 'a'})\n",
            "",
        ];
        for src in not_found {
            assert_eq!(args(src), SetupArgs::default(), "{src}");
        }
        let latin1 = b"# -*- coding: latin-1 -*-\nsetup(name='a', description='caf\xe9')\n";
        assert_eq!(read("setup.py", latin1).name, lit("a".to_owned()));
        // Bytes that are not text give nothing rather than an error.
        assert_eq!(
            read("setup.py", b"setup(name='\xff\xfe')\n"),
            SetupArgs::default()
        );
    }

    #[test]
    fn a_syntax_error_in_the_call_says_nothing() {
        let a = args("setup(name='ok', packages=['a' 'b',, ], py_modules=['m'])\n");
        assert_eq!(a, SetupArgs::default());
        // An error elsewhere in the file does not hide the call.
        let a = args("setup(name='ok')\n\ndef broken(:\n    pass\n");
        assert_eq!(a.name, lit("ok".to_owned()));
    }

    #[test]
    fn precedence_of_or() {
        assert_eq!(lit(1).or(lit(2)), lit(1));
        assert_eq!(Arg::Opaque.or(lit(2)), Arg::Opaque);
        assert_eq!(Arg::Absent.or(lit(2)), lit(2));
        assert_eq!(lit(1).literal(), Some(1));
        assert_eq!(Arg::<i32>::Opaque.literal(), None);
    }
}
