//! The public API surface of a Python package, read statically with tree-sitter.
//!
//! This module owns everything Python: finding the package in a project ([`package`]), parsing
//! files ([`parse`]), reading module-level statements ([`extract`]), with what a `def` says
//! (`signature`), what a class says (`class`) and the classes a call makes (`synth`),
//! rendering kept expressions in a canonical form (`expr`, over the tree-free `text`),
//! collecting files into modules ([`exports`], which keeps what it extracts on disk between
//! runs through `cache`) and resolving what each module exports (`resolve`), and the literal
//! arguments of a setup.py's `setup()` call ([`setup_py`]). It is the only importer of
//! `tree_sitter`, it never runs Python, and no tree-sitter `Node` leaves it: callers get the
//! owned values below.

mod cache;
mod class;
mod decode;
pub mod exports;
mod expr;
pub mod extract;
mod facts;
mod fnv;
mod node;
pub mod package;
pub mod parse;
mod resolve;
pub mod setup_py;
mod shape;
mod shim_factory;
mod signature;
mod skim;
mod synth;
#[cfg(test)]
mod testutil;
pub(crate) mod text;
mod usage;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use cache::FactsCache;
pub use exports::Parses;
pub use facts::{FileFacts, ImportFact, import_facts};
pub use package::{Found, PackageHints, PackageRoot};
pub use shape::Shape;

/// One file of the project at some revision: its path relative to the repository root, with `/`
/// separators, and its raw bytes (decoded by [`parse`]).
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: String,
    /// Shared: the two revisions of a diff hold one copy of a file they share.
    pub bytes: std::sync::Arc<[u8]>,
    /// Git's blob id of the content, when known: files with the same id and module are parsed
    /// once across the revisions that share one [`Parses`].
    pub id: Option<[u8; 20]>,
}

/// The public surface of one package at one revision.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Surface {
    /// The import name (`mypkg`).
    pub package: String,
    /// Public modules by dotted name (`mypkg`, `mypkg.client`).
    pub modules: BTreeMap<String, Module>,
}

/// A public module and the names it exports.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Module {
    /// Dotted name (`mypkg.client`).
    pub name: String,
    /// The file that defines the module's surface (the `.pyi` stub when there is one).
    pub file: String,
    /// Exported names, after `__all__`, the underscore rule and re-exports.
    pub exports: BTreeMap<String, Item>,
    /// The module's `__getattr__` forwards to another module of the package
    /// (`return getattr(_impl, name)`): the names it serves that way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forwards: Option<Forwarding>,
}

/// The names a module serves through a `__getattr__` that forwards to another module: not
/// promised (they are not exports), but an old import of one of them still works.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Forwarding {
    /// The module it forwards to (`mypkg._impl`).
    pub module: String,
    /// The names that module binds.
    pub names: std::collections::BTreeSet<String>,
    /// The `__getattr__` warns (a deprecation shim).
    pub warns: bool,
}

/// Where something is defined: a repository-relative file and a 1-based line.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
}

/// A named object: an export of a module, or a member of a class.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Item {
    pub name: String,
    pub kind: ItemKind,
    /// Where the object is defined (for a re-export, in the module that defines it).
    pub location: Location,
    /// The dotted path where the object is defined (`mypkg._client.Client`); the same for every
    /// public path of one object, so the diff can report it once.
    pub origin: String,
    /// Emits a `DeprecationWarning` or carries `@deprecated` (PEP 702).
    pub deprecated: bool,
}

/// What kind of object a name is bound to.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ItemKind {
    Function(Function),
    /// Shared: a class exported at several paths, or nested in several classes, is one value.
    Class(std::sync::Arc<Class>),
    Variable(Variable),
    /// A submodule bound as a name (`from . import sub`): the dotted module name.
    Module {
        target: String,
    },
    /// A name the module's `def __getattr__(name)` serves; `warns` when that function warns.
    Shim {
        warns: bool,
    },
    /// A name imported from outside the package and exported on purpose (`import x as x`,
    /// or listed in `__all__`): its source text (`typing.Any`). Nothing is known of its shape.
    External {
        source: String,
    },
}

impl ItemKind {
    /// A word for messages: `function`, `class`, `variable`, `module`, `name`.
    pub fn noun(&self) -> &'static str {
        match self {
            ItemKind::Function(f) => match f.binding {
                Binding::Property => "property",
                Binding::Plain => "function",
                _ => "method",
            },
            ItemKind::Class(_) => "class",
            ItemKind::Variable(_) => "variable",
            ItemKind::Module { .. } => "module",
            ItemKind::Shim { .. } | ItemKind::External { .. } => "name",
        }
    }
}

/// A `def` (or `async def`), at module level or in a class.
// Serialize is written by hand (below): the report leaves out flags that are off.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Function {
    pub signature: Signature,
    pub is_async: bool,
    /// The body contains `yield` (outside nested functions and classes).
    pub is_generator: bool,
    pub binding: Binding,
    /// Carries `@abstractmethod` (or `@abc.abstractmethod`).
    pub is_abstract: bool,
    /// Decorators as source text without `@`, in source order.
    pub decorators: Vec<String>,
    /// The `@typing.overload` variants, in source order (empty when there are none).
    pub overloads: Vec<Signature>,
    /// A property with a `@x.setter`: callers may assign to it, as to a plain attribute.
    pub settable: bool,
    /// Made by a call (`upper = _wrap(str.upper)`, a factory that returns a function it
    /// defines): a function, but its parameters are not known, so they are not compared.
    pub opaque: bool,
}

/// How a function is bound when reached through a class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// A module-level function, or an instance method.
    #[default]
    Plain,
    StaticMethod,
    ClassMethod,
    /// `@property` and `@functools.cached_property` (and `x.setter` folded into it).
    Property,
}

/// Parameters and return annotation of a callable. For methods, the implicit first parameter
/// (`self`/`cls`) is kept: the diff compares bound signatures itself.
// Serialize is written by hand (below): the report leaves out empty rejects.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Signature {
    pub params: Vec<Param>,
    pub returns: Option<String>,
    /// What the body refuses of the calls `*args`/`**kwargs` accept (read only for such
    /// callables).
    pub rejects: Rejects,
}

/// The calls a callable's `*args`/`**kwargs` accept but its body raises on, read from its
/// top-level statements: `if kw.pop("x", None) is not None: raise ...`, `if kw: raise ...`,
/// or a body that starts by raising. What the body does past that is not guessed.
// Serialize is written by hand (below): the report leaves out what is empty.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Rejects {
    /// The body raises first thing (after a docstring and `warnings.warn` calls): every call
    /// fails.
    pub always: bool,
    /// Keywords `**kwargs` may hold that the body raises on.
    pub keywords: Vec<String>,
    /// The body raises when `**kwargs` holds anything but [`Rejects::keywords_read`]
    /// (`if kwargs: raise TypeError(...)`).
    pub any_keyword: bool,
    /// Keys the body reads out of `**kwargs` (`kw.pop("x")`, `kw["x"]`, `"x" in kw`) when
    /// `any_keyword` is set: those are taken before the check.
    pub keywords_read: Vec<String>,
    /// The body raises when `*args` holds anything (`if args: raise TypeError(...)`).
    pub any_positional: bool,
}

impl Rejects {
    /// Nothing is refused.
    pub fn is_empty(&self) -> bool {
        *self == Rejects::default()
    }

    /// Whether a call passing `name=` to `**kwargs` raises.
    pub fn keyword(&self, name: &str) -> bool {
        self.always
            || self.keywords.iter().any(|k| k == name)
            || (self.any_keyword && !self.keywords_read.iter().any(|k| k == name))
    }

    /// Whether a call passing extra positional arguments to `*args` raises.
    pub fn positional(&self) -> bool {
        self.always || self.any_positional
    }
}

/// One parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub kind: ParamKind,
    /// The default value as source text.
    pub default: Option<String>,
    /// The annotation as source text.
    pub annotation: Option<String>,
}

/// Python's five parameter kinds (`inspect.Parameter.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    PositionalOnly,
    PositionalOrKeyword,
    VarPositional,
    KeywordOnly,
    VarKeyword,
}

/// A class with its public members.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Class {
    /// Bases as written, with package-internal bases resolved to their dotted origin
    /// (`mypkg._base.Base`); `object` is dropped.
    pub bases: Vec<String>,
    pub flavor: ClassFlavor,
    /// Public members, inherited ones from package-internal bases included (a member defined in
    /// the class wins). Methods and properties are `Function`s, attributes `Variable`s, nested
    /// classes `Class`es.
    pub members: BTreeMap<String, std::sync::Arc<Item>>,
    /// Enum members in source order: name and value source text.
    pub enum_members: Vec<(String, String)>,
    /// The call signature of the class: `__init__` without `self`, or the synthesized one of a
    /// dataclass, attrs class or NamedTuple (fields in order). `None` when neither exists here
    /// (inherited from outside the package).
    pub constructor: Option<Signature>,
    /// `@dataclass(frozen=True)` or `@attrs.frozen`/`@attr.s(frozen=True)`.
    pub frozen: bool,
    /// The class body assigns `__slots__` (or `@dataclass(slots=True)`).
    pub slots: bool,
}

/// What family a class belongs to, from its bases and decorators.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassFlavor {
    #[default]
    Plain,
    Enum,
    Protocol,
    TypedDict,
    NamedTuple,
    Dataclass,
    Attrs,
    /// Derives from `abc.ABC` or uses `metaclass=ABCMeta`.
    Abc,
}

/// A module-level or class-level binding that is not a function or class.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Variable {
    pub annotation: Option<String>,
    /// The assigned value as source text (`None` for a bare annotation).
    pub value: Option<String>,
    /// What calling it does, when the value is an instance of a package class whose `__call__`
    /// is a plain method (`rich_traceback = RichTracebackFormatter()`): that method without
    /// `self`. The resolver sets it, for module-level variables.
    pub call: Option<Box<Function>>,
}

impl Serialize for Variable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let binary = !s.is_human_readable();
        let mut st = s.serialize_struct("Variable", 3)?;
        st.serialize_field("annotation", &self.annotation)?;
        st.serialize_field("value", &self.value)?;
        field(&mut st, "call", &self.call, self.call.is_some(), binary)?;
        st.end()
    }
}

/// A problem that does not stop the diff (a syntax error confined to a function body, say).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Warning {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Why a surface could not be read. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("syntax error in `{file}` at {line}:{column}: {text}")]
    Syntax {
        file: String,
        line: u32,
        column: u32,
        /// The offending source line, trimmed.
        text: String,
    },
    #[error("`{file}` is not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 { file: String, offset: usize },
    #[error("`{file}` contains a NUL byte at line {line}, which Python refuses in source code")]
    NulByte { file: String, line: usize },
    #[error("`{file}` is a Git LFS pointer, not Python source")]
    LfsPointer { file: String },
    #[error("`{file}` declares the encoding `{encoding}`, which is not known")]
    UnknownEncoding { file: String, encoding: String },
    #[error("`{file}` could not be decoded as `{encoding}`")]
    BadEncoding { file: String, encoding: String },
    #[error("no Python package found{}", for_project(.project))]
    PackageNotFound {
        project: String,
        /// Every place looked at, repository-relative.
        looked: Vec<String>,
    },
    #[error("pyproject.toml names the package `{package}`, but there is no `{looked}`")]
    ConfiguredPackageMissing { package: String, looked: String },
    #[error("tree-sitter could not load the Python grammar: {0}")]
    Grammar(String),
}

fn for_project(project: &str) -> String {
    if project.is_empty() {
        ": pyproject.toml has no `[project].name` (nor setup.cfg a `[metadata] name`) to name it"
            .to_owned()
    } else {
        format!(" for project `{project}`")
    }
}

/// Frees `value` on a thread of its own: a Django-sized package's facts take tens of
/// milliseconds to free, which the caller need not wait for. Not on rayon's pool, whose two
/// workers the diff's parallel comparison would then queue behind.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    // When no thread can be made, the failed spawn frees `value` before returning.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// Reads the public surface of the packages `found` from `files` (every `.py` and `.pyi` file
/// under their roots; others are ignored). `exclude` holds dotted-module glob patterns that are not API.
/// Syntax errors that cannot change the surface come back as warnings. Files already in
/// `parses` (same id, same module) are not parsed again.
pub fn surface(
    found: &Found,
    files: &[SourceFile],
    exclude: &globset::GlobSet,
    parses: &Parses,
) -> Result<(Surface, Vec<Warning>), Error> {
    let roots: Vec<PackageRoot> = found.roots().cloned().collect();
    exports::build(&roots, files, exclude, parses)
}

/// [`surface`] of two revisions at once (a diff's base and compared revision): the files of
/// both are parsed in one parallel pass, those they share once, then both resolve side by side.
pub fn surfaces(
    old: (&Found, &[SourceFile]),
    new: (&Found, &[SourceFile]),
    exclude: &globset::GlobSet,
    parses: &Parses,
) -> (exports::Built, exports::Built) {
    let old_roots: Vec<PackageRoot> = old.0.roots().cloned().collect();
    let new_roots: Vec<PackageRoot> = new.0.roots().cloned().collect();
    exports::build_two((&old_roots, old.1), (&new_roots, new.1), exclude, parses)
}

impl Signature {
    /// The parameter list and return annotation as Python writes them: `(a, /, b=1, *, c, **kw) -> int`.
    pub fn render(&self) -> String {
        let mut out = String::from("(");
        let mut parts: Vec<String> = Vec::new();
        let mut saw_keyword_marker = false;
        for (i, p) in self.params.iter().enumerate() {
            if p.kind == ParamKind::KeywordOnly && !saw_keyword_marker {
                parts.push("*".to_owned());
                saw_keyword_marker = true;
            }
            if p.kind == ParamKind::VarPositional {
                saw_keyword_marker = true;
            }
            let mut s = match p.kind {
                ParamKind::VarPositional => format!("*{}", p.name),
                ParamKind::VarKeyword => format!("**{}", p.name),
                _ => p.name.clone(),
            };
            if let Some(a) = &p.annotation {
                s.push_str(": ");
                s.push_str(a);
            }
            if let Some(d) = &p.default {
                s.push_str(if p.annotation.is_some() { " = " } else { "=" });
                s.push_str(d);
            }
            parts.push(s);
            let next_is_positional_only = self
                .params
                .get(i + 1)
                .is_some_and(|n| n.kind == ParamKind::PositionalOnly);
            if p.kind == ParamKind::PositionalOnly && !next_is_positional_only {
                parts.push("/".to_owned());
            }
        }
        out.push_str(&parts.join(", "));
        out.push(')');
        if let Some(r) = &self.returns {
            out.push_str(" -> ");
            out.push_str(r);
        }
        out
    }
}

impl Item {
    /// One line of Python that shows the item's shape: `def connect(host, port=80) -> Conn`,
    /// `class Client(Base)`, `TIMEOUT: int = 30`.
    pub fn render(&self) -> String {
        match &self.kind {
            ItemKind::Function(f) => {
                let prefix = match f.binding {
                    Binding::Property => "@property ",
                    Binding::StaticMethod => "@staticmethod ",
                    Binding::ClassMethod => "@classmethod ",
                    Binding::Plain => "",
                };
                let asyncness = if f.is_async { "async " } else { "" };
                let signature = if f.opaque {
                    "(...)".to_owned()
                } else {
                    f.signature.render()
                };
                format!("{prefix}{asyncness}def {}{signature}", self.name)
            }
            ItemKind::Class(c) => {
                if c.bases.is_empty() {
                    format!("class {}", self.name)
                } else {
                    format!("class {}({})", self.name, c.bases.join(", "))
                }
            }
            ItemKind::Variable(v) => {
                let mut s = self.name.clone();
                if let Some(a) = &v.annotation {
                    s.push_str(": ");
                    s.push_str(a);
                }
                if let Some(val) = &v.value {
                    s.push_str(" = ");
                    s.push_str(&shorten(val));
                }
                s
            }
            ItemKind::Module { target } => format!("import {target} as {}", self.name),
            ItemKind::Shim { .. } => format!("{}  # served by __getattr__", self.name),
            ItemKind::External { source } => format!("{} = {source}", self.name),
        }
    }
}

// The report leaves out flags that are off and lists that are empty; the facts cache's binary
// format (`exports::cache`) has no field names, so there every field is written, in order, as
// the derived `Deserialize` reads them back. `is_human_readable` tells the two apart.

/// Writes field `key` when `keep`, or always in a binary format.
fn field<S: serde::ser::SerializeStruct, T: Serialize>(
    st: &mut S,
    key: &'static str,
    value: &T,
    keep: bool,
    binary: bool,
) -> Result<(), S::Error> {
    if keep || binary {
        st.serialize_field(key, value)
    } else {
        st.skip_field(key)
    }
}

impl Serialize for Function {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let binary = !s.is_human_readable();
        let mut st = s.serialize_struct("Function", 9)?;
        st.serialize_field("signature", &self.signature)?;
        st.serialize_field("is_async", &self.is_async)?;
        st.serialize_field("is_generator", &self.is_generator)?;
        st.serialize_field("binding", &self.binding)?;
        st.serialize_field("is_abstract", &self.is_abstract)?;
        st.serialize_field("decorators", &self.decorators)?;
        st.serialize_field("overloads", &self.overloads)?;
        field(&mut st, "settable", &self.settable, self.settable, binary)?;
        field(&mut st, "opaque", &self.opaque, self.opaque, binary)?;
        st.end()
    }
}

impl Serialize for Signature {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let binary = !s.is_human_readable();
        let mut st = s.serialize_struct("Signature", 3)?;
        st.serialize_field("params", &self.params)?;
        st.serialize_field("returns", &self.returns)?;
        let rejects = &self.rejects;
        field(&mut st, "rejects", rejects, !rejects.is_empty(), binary)?;
        st.end()
    }
}

impl Serialize for Rejects {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let binary = !s.is_human_readable();
        let mut st = s.serialize_struct("Rejects", 5)?;
        field(&mut st, "always", &self.always, self.always, binary)?;
        let keywords = &self.keywords;
        field(&mut st, "keywords", keywords, !keywords.is_empty(), binary)?;
        field(
            &mut st,
            "any_keyword",
            &self.any_keyword,
            self.any_keyword,
            binary,
        )?;
        let read = &self.keywords_read;
        field(&mut st, "keywords_read", read, !read.is_empty(), binary)?;
        let positional = self.any_positional;
        field(&mut st, "any_positional", &positional, positional, binary)?;
        st.end()
    }
}

/// Values longer than this are cut in messages and listings: a 10 kB dict literal is not
/// something a reader can compare by eye, and the diff compares the full text anyway.
const SHOWN_VALUE_CHARS: usize = 80;

/// `text` cut to [`SHOWN_VALUE_CHARS`] characters, with `…` where it was cut.
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(SHOWN_VALUE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}
