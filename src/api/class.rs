//! What a `class` statement says: bases, metaclass and decorators (the flavor: enum, dataclass,
//! attrs, NamedTuple, TypedDict, Protocol, ABC), its public members, the `self.x` attributes of
//! `__init__`, and the fields a dataclass, attrs class or NamedTuple builds its constructor from.
//!
//! The class body is read with the module walker's control flow ([`super::extract::walk_block`]);
//! bases stay unresolved here, since that needs the other modules ([`super::resolve`]).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

use tree_sitter::Node;

use super::expr::expr_text;
use super::extract::{Binder, Bound, Def, Mode, walk_block};
use super::node::{NodeExt, callee, dotted, line_of, named_children, strip_parens};
use super::signature::{Deprecation, FunctionFacts, deprecated_docstring, function};
use super::synth::functional_namedtuple;
use super::text::last_component;
use super::{Binding, ClassFlavor, Function, Param, ParamKind, Signature, Variable};

/// A class as written in one module, before its bases are resolved.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct ClassFacts {
    pub line: u32,
    pub bases: Vec<BaseRef>,
    /// What this class's own bases, metaclass and decorators say.
    pub flavor: ClassFlavor,
    /// Public members (methods, properties, attributes, nested classes), the class's own.
    pub members: BTreeMap<String, Member>,
    /// Public class-level assignments with a value, in order: the members if this is an Enum.
    pub assigned: Vec<(String, String)>,
    /// `__init__` (or else `__new__`) without its first parameter.
    pub init: Option<Signature>,
    /// The fields a dataclass, attrs class or NamedTuple synthesizes its constructor from.
    pub fields: Vec<Field>,
    pub synth: Option<Synth>,
    pub frozen: bool,
    pub slots: bool,
    pub deprecation: Deprecation,
    /// Public class attributes bound to another object or to a call (`upper = _wrap(str.upper)`,
    /// `__repr_name__ = _repr.Representation.__repr_name__`): resolved across modules later,
    /// where a function there makes the attribute a method.
    pub refs: BTreeMap<String, MemberRef>,
}

/// What a class attribute's value names, for the resolver to look up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum MemberRef {
    /// `name = other` or `name = mod.Class.method` (`typing.cast(T, x)` read as `x`).
    Path(Vec<String>),
    /// `name = factory(...)`: the callee's dotted name.
    Call(Vec<String>),
}

/// A base class expression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct BaseRef {
    /// Normalized source text.
    pub text: String,
    /// The dotted name, when the base is one (`mod.Base`, or `Base` of `Base[T]`).
    pub path: Option<Vec<String>>,
    /// What follows the dotted name (`[T]`).
    pub suffix: String,
}

/// A class member.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) enum Member {
    Function(FunctionFacts),
    Variable(Variable, u32),
    Class(Box<ClassFacts>),
}

/// A field of a dataclass, attrs class or NamedTuple.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Field {
    /// The attribute name (what a subclass overrides).
    pub name: String,
    /// The `__init__` parameter name (attrs strips leading underscores, or takes `alias=`).
    pub arg: String,
    pub annotation: Option<String>,
    pub default: Option<String>,
    /// Part of `__init__` (`field(init=False)` is not).
    pub init: bool,
    pub kw_only: bool,
}

/// Which machinery synthesizes the constructor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Synth {
    /// `@dataclass`; `init` is false for `@dataclass(init=False)`.
    Dataclass {
        init: bool,
    },
    Attrs {
        init: bool,
    },
    NamedTuple,
}

/// What a class decorator says.
#[derive(Default)]
struct DecoratorFacts {
    synth: Option<Synth>,
    flavor: Option<ClassFlavor>,
    frozen: bool,
    slots: bool,
    kw_only: bool,
    /// attrs: annotated attributes are fields (`@define` guesses; `@attr.s` needs
    /// `auto_attribs=True`).
    auto_attribs: Option<bool>,
}

fn class_decorators(
    decorators: &[Node<'_>],
    src: &str,
    scope: &BTreeMap<String, Bound>,
) -> DecoratorFacts {
    let mut out = DecoratorFacts::default();
    for d in decorators {
        let head_node = callee(*d);
        let Some(path) = dotted(head_node, src) else {
            continue;
        };
        let last = path.last().map(String::as_str).unwrap_or_default();
        let origin = origin_module(&path, scope);
        let from_attrs = matches!(origin.as_deref(), Some("attr" | "attrs"));
        let kwargs = keyword_args(*d, src);
        let flag = |key: &str| kwargs.get(key).map(|v| v == "True");
        if from_attrs
            && matches!(
                last,
                "s" | "attrs" | "define" | "frozen" | "mutable" | "dataclass"
            )
        {
            let modern = matches!(last, "define" | "frozen" | "mutable");
            out.synth = Some(Synth::Attrs {
                init: flag("init") != Some(false),
            });
            out.flavor = Some(ClassFlavor::Attrs);
            out.frozen = last == "frozen" || flag("frozen") == Some(true);
            // `@define` and friends default to slots=True; `@attr.s` to False.
            out.slots = flag("slots").unwrap_or(modern);
            out.kw_only = flag("kw_only") == Some(true);
            out.auto_attribs = match flag("auto_attribs") {
                Some(b) => Some(b),
                None if modern || last == "dataclass" => None,
                None => Some(false),
            };
            if last == "dataclass" {
                out.auto_attribs = Some(true);
            }
        } else if last == "dataclass" {
            out.synth = Some(Synth::Dataclass {
                init: flag("init") != Some(false),
            });
            out.flavor = Some(ClassFlavor::Dataclass);
            out.frozen = flag("frozen") == Some(true);
            out.slots = flag("slots") == Some(true);
            out.kw_only = flag("kw_only") == Some(true);
        }
    }
    out
}

/// The metaclass and bases of a `with_metaclass(Meta, Base, ...)` base.
fn with_metaclass<'t>(arg: Node<'t>, src: &str) -> Option<(Node<'t>, Vec<Node<'t>>)> {
    if arg.kind_str() != "call"
        || last_component(&src[callee(arg).byte_range()]) != "with_metaclass"
    {
        return None;
    }
    let args = named_children(arg.field("arguments")?);
    if args.iter().any(|a| {
        matches!(
            a.kind_str(),
            "keyword_argument" | "list_splat" | "dictionary_splat"
        )
    }) {
        return None;
    }
    let (meta, bases) = args.split_first()?;
    Some((*meta, bases.to_vec()))
}

/// `x` of `cast(T, x)` or `typing.cast(T, x)`, which returns `x` itself; else `value`.
pub(crate) fn uncast<'t>(value: Node<'t>, src: &str) -> Node<'t> {
    let value = strip_parens(value);
    if value.kind_str() == "call"
        && matches!(
            &src[callee(value).byte_range()],
            "cast" | "typing.cast" | "t.cast"
        )
        && let Some(args) = value.field("arguments")
        && let [_, x] = named_children(args).as_slice()
        && x.kind_str() != "keyword_argument"
    {
        return *x;
    }
    value
}

/// The module a dotted name's head was imported from, or the head itself when it is not bound
/// (`attr.s` with `import attr` -> `attr`; `define` with `from attrs import define` -> `attrs`).
fn origin_module(path: &[String], scope: &BTreeMap<String, Bound>) -> Option<String> {
    let head = path.first()?;
    match scope.get(head).map(|b| &b.def) {
        Some(Def::Import {
            module, name: None, ..
        }) => Some(module.clone()),
        Some(Def::Import {
            module,
            name: Some(_),
            ..
        }) if path.len() == 1 => Some(module.clone()),
        Some(Def::Import {
            module,
            name: Some(n),
            ..
        }) => Some(format!("{module}.{n}")),
        Some(_) => None,
        None if path.len() > 1 => Some(head.clone()),
        None => None,
    }
}

/// The keyword arguments of a call, as normalized text.
fn keyword_args(node: Node<'_>, src: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if node.kind_str() != "call" {
        return out;
    }
    for a in node
        .field("arguments")
        .map(named_children)
        .unwrap_or_default()
    {
        if a.kind_str() == "keyword_argument"
            && let (Some(k), Some(v)) = (a.field("name"), a.field("value"))
        {
            out.insert(src[k.byte_range()].to_owned(), expr_text(v, src));
        }
    }
    out
}

const ENUM_BASES: &[&str] = &["Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum"];

/// Reads a `class` with its decorators. `scope` holds the module's bindings so far, to tell
/// where a decorator was imported from.
pub(crate) fn class(
    node: Node<'_>,
    decorators: &[Node<'_>],
    src: &str,
    scope: &BTreeMap<String, Bound>,
) -> ClassFacts {
    let mut facts = ClassFacts {
        line: line_of(node),
        ..ClassFacts::default()
    };
    let mut metaclass = None;
    let mut args = Vec::new();
    for arg in node
        .field("superclasses")
        .map(named_children)
        .unwrap_or_default()
    {
        // six's and future's `with_metaclass(Meta, *bases)` makes a temporary class whose
        // subclass gets `bases` and `metaclass=Meta`: read it as that.
        match with_metaclass(arg, src) {
            Some((meta, bases)) => {
                metaclass = Some(expr_text(meta, src));
                args.extend(bases);
            }
            None => args.push(arg),
        }
    }
    // `class P(namedtuple("P", "x y"))`: the functional form's fields, read as `NamedTuple`'s.
    let mut functional = None;
    for arg in args {
        if functional.is_none()
            && let Some(tuple) = functional_namedtuple(arg, src)
        {
            functional = Some(tuple);
            facts.bases.push(BaseRef {
                path: Some(vec!["NamedTuple".to_owned()]),
                text: "NamedTuple".to_owned(),
                suffix: String::new(),
            });
            continue;
        }
        match arg.kind_str() {
            "keyword_argument" => {
                let key = arg.field("name").map(|k| &src[k.byte_range()]);
                if key == Some("metaclass") {
                    metaclass = arg.field("value").map(|v| expr_text(v, src));
                }
            }
            "list_splat" | "dictionary_splat" => {}
            _ => {
                let text = expr_text(arg, src);
                if text == "object" || text == "builtins.object" {
                    continue;
                }
                let (head, suffix) = match arg.kind_str() {
                    "subscript" => (
                        arg.field("value").unwrap_or(arg),
                        text.find('[')
                            .map(|i| text[i..].to_owned())
                            .unwrap_or_default(),
                    ),
                    _ => (arg, String::new()),
                };
                facts.bases.push(BaseRef {
                    path: dotted(head, src),
                    text,
                    suffix,
                });
            }
        }
    }
    let deco = class_decorators(decorators, src, scope);
    let base_names: Vec<&str> = facts
        .bases
        .iter()
        .map(|b| match &b.path {
            Some(p) => p.last().map(String::as_str).unwrap_or_default(),
            None => "",
        })
        .collect();
    let meta = metaclass.as_deref().map(last_component);
    facts.flavor = if base_names.iter().any(|b| ENUM_BASES.contains(b))
        || matches!(meta, Some("EnumMeta" | "EnumType"))
    {
        ClassFlavor::Enum
    } else if base_names.contains(&"TypedDict") {
        ClassFlavor::TypedDict
    } else if base_names.contains(&"NamedTuple") {
        ClassFlavor::NamedTuple
    } else if base_names.contains(&"Protocol") {
        ClassFlavor::Protocol
    } else if let Some(flavor) = deco.flavor {
        flavor
    } else if base_names.contains(&"ABC") || meta == Some("ABCMeta") {
        ClassFlavor::Abc
    } else {
        ClassFlavor::Plain
    };
    if facts.flavor == ClassFlavor::NamedTuple {
        facts.synth = Some(Synth::NamedTuple);
    } else if matches!(facts.flavor, ClassFlavor::Dataclass | ClassFlavor::Attrs) {
        facts.synth = deco.synth;
    }
    facts.frozen = deco.frozen;
    facts.slots = deco.slots;
    for d in decorators {
        if last_component(&src[callee(*d).byte_range()]) == "deprecated" {
            facts.deprecation.decorated = true;
        }
    }
    let mut body = ClassBody {
        src,
        facts,
        scope,
        raw_fields: Vec::new(),
        kw_only: deco.kw_only,
        new: None,
        defs: HashMap::new(),
    };
    if let Some(block) = node.field("body") {
        body.facts.deprecation.docstring = deprecated_docstring(block, src);
        walk_block(&mut body, block, Mode::NORMAL);
    }
    let mut facts = body.finish(deco.auto_attribs);
    // The subclass of a functional named tuple (Markdown 3.5's `EmStrongItem`) has its fields:
    // members, unless the body defines them, and the constructor. Its own annotations are
    // class attributes, not fields.
    if let Some(tuple) = functional {
        for (name, member) in tuple.members {
            facts.members.entry(name).or_insert(member);
        }
        facts.fields = tuple.fields;
    }
    facts
}

/// A class-level annotated or assigned name, before the decorator decides which are fields.
struct RawField {
    name: String,
    annotation: Option<String>,
    /// The value, unless it is a field specifier.
    default: Option<String>,
    /// `field(...)` / `attr.ib(...)` / `attrs.field(...)`: its keyword arguments.
    spec: Option<HashMap<String, String>>,
    kw_only: bool,
    classvar: bool,
}

struct ClassBody<'a, 's> {
    src: &'a str,
    facts: ClassFacts,
    scope: &'s BTreeMap<String, Bound>,
    raw_fields: Vec<RawField>,
    /// dataclass: fields are keyword-only (`kw_only=True`, or after `_: KW_ONLY`).
    kw_only: bool,
    new: Option<Signature>,
    /// Every method defined so far, private ones too, for `name = _method` aliases.
    defs: HashMap<String, FunctionFacts>,
}

impl ClassBody<'_, '_> {
    /// Assignments at class level.
    fn simple(&mut self, node: Node<'_>, mode: Mode) {
        if node.kind_str() == "expression_statement"
            && let Some(expr) = named_children(node).into_iter().next()
            && expr.kind_str() == "assignment"
        {
            self.assignment(expr, mode);
        }
    }

    fn add(&mut self, name: String, member: Member, mode: Mode) {
        if mode.alternative && self.facts.members.contains_key(&name) {
            return;
        }
        self.facts.members.insert(name, member);
    }

    fn method(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode) {
        let Some(name) = node
            .field("name")
            .map(|n| self.src[n.byte_range()].to_owned())
        else {
            return;
        };
        let mut facts = function(node, decorators, self.src);
        // `@x.setter` / `@x.deleter` belong to the property `x`.
        let accessor = decorators.iter().any(|d| {
            let t = &self.src[d.byte_range()];
            t == format!("{name}.setter")
                || t == format!("{name}.deleter")
                || t == format!("{name}.getter")
        });
        if accessor {
            let setter = decorators
                .iter()
                .any(|d| self.src[d.byte_range()] == format!("{name}.setter"));
            if setter && let Some(Member::Function(f)) = self.facts.members.get_mut(&name) {
                f.function.settable = true;
            }
            return;
        }
        if name == "__init__" || name == "__new__" {
            let mut sig = facts.function.signature.clone();
            if !sig.params.is_empty() {
                sig.params.remove(0);
            }
            if facts.overload_only {
                // Variants of `__init__`: the implementation (or the first, in a stub) decides.
                if name == "__init__" && self.facts.init.is_none() {
                    self.facts.init = Some(sig);
                }
                return;
            }
            if name == "__init__" {
                self.facts.init = Some(sig);
                if let Some(body) = node.field("body") {
                    let self_name = facts
                        .function
                        .signature
                        .params
                        .first()
                        .map(|p| p.name.clone())
                        .unwrap_or_else(|| "self".to_owned());
                    self.instance_attributes(body, &self_name);
                }
                if !facts.deprecation.categories.is_empty() {
                    self.facts
                        .deprecation
                        .categories
                        .append(&mut facts.deprecation.categories);
                }
            } else {
                self.new = Some(sig);
            }
            return;
        }
        if !mode.alternative || !self.defs.contains_key(&name) {
            self.defs.insert(name.clone(), facts.clone());
        }
        if !is_public_member(&name) {
            return;
        }
        self.facts.refs.remove(&name);
        if let Some(Member::Function(existing)) = self.facts.members.get_mut(&name)
            && existing.overload_only
            && !mode.alternative
        {
            if facts.overload_only {
                existing
                    .function
                    .overloads
                    .push(facts.function.signature.clone());
                return;
            }
            facts.function.overloads = std::mem::take(&mut existing.function.overloads);
        }
        self.add(name, Member::Function(facts), mode);
    }

    fn nested(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode) {
        let Some(name) = node
            .field("name")
            .map(|n| self.src[n.byte_range()].to_owned())
        else {
            return;
        };
        if !is_public_member(&name) {
            return;
        }
        let nested = class(node, decorators, self.src, self.scope);
        self.add(name, Member::Class(Box::new(nested)), mode);
    }

    fn assignment(&mut self, node: Node<'_>, mode: Mode) {
        let Some(left) = node.field("left") else {
            return;
        };
        if left.kind_str() != "identifier" {
            return;
        }
        let name = self.src[left.byte_range()].to_owned();
        let annotation = node.field("type");
        let mut value = node.field("right");
        while let Some(v) = value.filter(|v| v.kind_str() == "assignment") {
            value = v.field("right");
        }
        let line = line_of(node);
        if name == "__slots__" {
            self.facts.slots = true;
            return;
        }
        let annotation_text = annotation.map(|a| expr_text(a, self.src));
        let classvar = annotation_text
            .as_deref()
            .is_some_and(|a| wraps(a, "ClassVar"));
        let initvar = annotation_text
            .as_deref()
            .is_some_and(|a| wraps(a, "InitVar"));
        if annotation_text
            .as_deref()
            .is_some_and(|a| last_component(a) == "KW_ONLY")
        {
            self.kw_only = true;
            return;
        }
        // Fields: every annotated name, or any `attr.ib()` / `field()`; finish() picks.
        let spec = value.filter(|v| self.is_field_specifier(*v));
        if (annotation.is_some() || spec.is_some()) && !mode.alternative {
            let spec_args = spec.map(|s| keyword_args(s, self.src));
            let kw_only = match spec_args.as_ref().and_then(|a| a.get("kw_only")) {
                Some(v) => v == "True",
                None => self.kw_only,
            };
            self.raw_fields.push(RawField {
                name: name.clone(),
                annotation: annotation_text.clone(),
                default: match spec {
                    Some(_) => None,
                    None => value.map(|v| expr_text(v, self.src)),
                },
                spec: spec_args,
                kw_only,
                classvar,
            });
        }
        if initvar {
            return;
        }
        let value_text = value.map(|v| expr_text(v, self.src));
        if !mode.alternative {
            self.facts.refs.remove(&name);
        }
        let target = value.map(|v| uncast(v, self.src));
        // `name = other_method` inside the class, private ones too: the alias has the
        // method's shape.
        if annotation.is_none()
            && let Some(v) = target
            && v.kind_str() == "identifier"
        {
            let other = &self.src[v.byte_range()];
            let f = match self.facts.members.get(other) {
                Some(Member::Function(f)) => Some(f),
                _ => self.defs.get(other),
            };
            if let Some(f) = f {
                let member = Member::Function(FunctionFacts { line, ..f.clone() });
                if is_public_member(&name) {
                    self.add(name, member, mode);
                }
                return;
            }
        }
        // Another object or a call, which only the other modules can tell (an enum's values
        // are members whatever they are).
        if annotation.is_none()
            && !mode.alternative
            && self.facts.flavor != ClassFlavor::Enum
            && is_public_member(&name)
            && let Some(v) = target
        {
            let r = match v.kind_str() {
                "identifier" | "attribute" => dotted(v, self.src).map(MemberRef::Path),
                "call" => dotted(callee(v), self.src).map(MemberRef::Call),
                _ => None,
            };
            if let Some(r) = r {
                self.facts.refs.insert(name.clone(), r);
            }
        }
        if let Some(v) = value
            && v.kind_str() == "call"
            && last_component(&self.src[callee(v).byte_range()]) == "property"
        {
            let member = Member::Function(FunctionFacts {
                function: Function {
                    signature: Signature {
                        params: vec![Param {
                            name: "self".to_owned(),
                            kind: ParamKind::PositionalOrKeyword,
                            default: None,
                            annotation: None,
                        }],
                        returns: None,
                        ..Signature::default()
                    },
                    binding: Binding::Property,
                    ..Function::default()
                },
                line,
                ..FunctionFacts::default()
            });
            if is_public_member(&name) {
                self.add(name, member, mode);
            }
            return;
        }
        let is_sunder = name.starts_with('_');
        if let Some(v) = &value_text
            && !is_sunder
            && !mode.alternative
            && !value.is_some_and(|v| {
                v.kind_str() == "call"
                    && last_component(&self.src[callee(v).byte_range()]) == "nonmember"
            })
        {
            self.facts.assigned.push((name.clone(), v.clone()));
        }
        // TypedDict keys are data, so `_id` is as public as `id`.
        if is_public_member(&name) || self.facts.flavor == ClassFlavor::TypedDict {
            let var = Variable {
                annotation: annotation_text,
                value: value_text,
                call: None,
            };
            self.add(name, Member::Variable(var, line), mode);
        }
    }

    fn is_field_specifier(&self, value: Node<'_>) -> bool {
        if value.kind_str() != "call" {
            return false;
        }
        let head = &self.src[callee(value).byte_range()];
        matches!(
            head,
            "field"
                | "dataclasses.field"
                | "attr.ib"
                | "attr.attrib"
                | "attrs.field"
                | "attr.field"
                | "ib"
                | "attrib"
        )
    }

    /// `self.x = ...` and `self.x: T = ...` in `__init__`, through `if`, `with`, `try` and
    /// `for` blocks but not nested functions.
    fn instance_attributes(&mut self, body: Node<'_>, self_name: &str) {
        let mut stack = vec![body];
        let mut found: Vec<(String, Option<String>, u32)> = Vec::new();
        while let Some(block) = stack.pop() {
            for stmt in named_children(block) {
                match stmt.kind_str() {
                    "expression_statement" => {
                        let Some(expr) = named_children(stmt).into_iter().next() else {
                            continue;
                        };
                        if expr.kind_str() != "assignment" {
                            continue;
                        }
                        let annotation = expr.field("type").map(|a| expr_text(a, self.src));
                        let mut targets = Vec::new();
                        let mut cur = expr;
                        loop {
                            if let Some(l) = cur.field("left") {
                                targets.push(l);
                            }
                            match cur.field("right") {
                                Some(r) if r.kind_str() == "assignment" => cur = r,
                                _ => break,
                            }
                        }
                        for t in targets {
                            let parts = if t.kind_str() == "pattern_list"
                                || t.kind_str() == "tuple_pattern"
                            {
                                named_children(t)
                            } else {
                                vec![t]
                            };
                            for p in parts {
                                if p.kind_str() == "attribute"
                                    && p.field("object")
                                        .is_some_and(|o| &self.src[o.byte_range()] == self_name)
                                    && let Some(attr) = p.field("attribute")
                                {
                                    found.push((
                                        self.src[attr.byte_range()].to_owned(),
                                        annotation.clone(),
                                        line_of(stmt),
                                    ));
                                }
                            }
                        }
                    }
                    "if_statement"
                    | "with_statement"
                    | "try_statement"
                    | "for_statement"
                    | "while_statement"
                    | "elif_clause"
                    | "else_clause"
                    | "except_clause"
                    | "except_group_clause"
                    | "finally_clause"
                    | "block" => {
                        stack.push(stmt);
                    }
                    _ => {}
                }
            }
        }
        found.sort_by_key(|f| f.2);
        for (name, annotation, line) in found {
            if !is_public_member(&name) {
                continue;
            }
            match self.facts.members.get_mut(&name) {
                // An attribute declared in the class body (`x: int`) keeps that declaration.
                Some(_) => {}
                None => {
                    let var = Variable {
                        annotation,
                        value: None,
                        call: None,
                    };
                    self.facts.members.insert(name, Member::Variable(var, line));
                }
            }
        }
    }

    fn finish(mut self, auto_attribs: Option<bool>) -> ClassFacts {
        if self.facts.init.is_none() {
            self.facts.init = self.new.take();
        }
        let is_attrs = matches!(self.facts.synth, Some(Synth::Attrs { .. }));
        let auto = match auto_attribs {
            Some(b) => b,
            // `@define` guesses: annotated attributes are fields unless an unannotated
            // `attr.ib()` / `field()` says otherwise.
            None => !self
                .raw_fields
                .iter()
                .any(|f| f.annotation.is_none() && f.spec.is_some()),
        };
        let synth = self.facts.synth;
        let mut fields = Vec::new();
        for raw in self.raw_fields {
            if raw.classvar {
                continue;
            }
            let counts = match synth {
                Some(Synth::Dataclass { .. } | Synth::NamedTuple) => raw.annotation.is_some(),
                Some(Synth::Attrs { .. }) => {
                    raw.spec.is_some() || (auto && raw.annotation.is_some())
                }
                None => false,
            };
            if !counts {
                continue;
            }
            let spec = raw.spec.unwrap_or_default();
            let default = if let Some(d) = spec.get("default") {
                Some(factory_call(d).unwrap_or_else(|| d.clone()))
            } else if let Some(f) = spec.get("default_factory").or_else(|| spec.get("factory")) {
                Some(format!("{}()", wrap_callable(f)))
            } else {
                raw.default.map(|d| factory_call(&d).unwrap_or(d))
            };
            let init = spec.get("init").is_none_or(|v| v != "False");
            let arg = match spec.get("alias") {
                Some(alias) if is_attrs => unquote(alias),
                _ if is_attrs => raw.name.trim_start_matches('_').to_owned(),
                _ => raw.name.clone(),
            };
            fields.push(Field {
                name: raw.name,
                arg,
                annotation: raw.annotation,
                default,
                init,
                kw_only: raw.kw_only && synth != Some(Synth::NamedTuple),
            });
        }
        self.facts.fields = fields;
        self.facts
    }
}

/// A class body's `if TYPE_CHECKING:` members do not exist at runtime: they are skipped.
impl Binder for ClassBody<'_, '_> {
    fn source(&self) -> &str {
        self.src
    }
    fn function(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode) {
        if mode.runtime {
            self.method(node, decorators, mode);
        }
    }
    fn class(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode) {
        if mode.runtime {
            self.nested(node, decorators, mode);
        }
    }
    fn type_alias(&mut self, name: String, alias: Variable, line: u32, mode: Mode) {
        if mode.runtime {
            self.add(name, Member::Variable(alias, line), mode);
        }
    }
    fn other(&mut self, node: Node<'_>, mode: Mode) {
        if mode.runtime {
            self.simple(node, mode);
        }
    }
}

/// `attr.Factory(list)` / `Factory(list)` as a default -> `list()`.
fn factory_call(text: &str) -> Option<String> {
    let inner = text
        .strip_prefix("attr.Factory(")
        .or_else(|| text.strip_prefix("attrs.Factory("))
        .or_else(|| text.strip_prefix("Factory("))?
        .strip_suffix(')')?;
    Some(format!("{}()", wrap_callable(inner)))
}

/// Parenthesizes a callable that is not a plain name before `()` is appended.
fn wrap_callable(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        text.to_owned()
    } else {
        format!("({text})")
    }
}

fn unquote(text: &str) -> String {
    text.trim_matches(|c| c == '"' || c == '\'').to_owned()
}

/// `ClassVar`, `ClassVar[int]`, `typing.ClassVar[int]`.
fn wraps(annotation: &str, name: &str) -> bool {
    let head = annotation.split('[').next().unwrap_or(annotation);
    last_component(head) == name
}

/// Public members: no leading underscore, plus dunder methods, which are protocols callers use
/// (`__enter__`, `__iter__`, `__call__`), except the hooks that are not called by name.
pub(crate) fn is_public_member(name: &str) -> bool {
    if !name.starts_with('_') {
        return true;
    }
    let dunder = name.len() > 4 && name.starts_with("__") && name.ends_with("__");
    dunder
        && !matches!(
            name,
            "__init__"
                | "__new__"
                | "__post_init__"
                | "__init_subclass__"
                | "__class_getitem__"
                | "__repr__"
                | "__str__"
                | "__del__"
                | "__slots__"
                | "__module__"
                | "__doc__"
                | "__annotations__"
                | "__match_args__"
                | "__dataclass_fields__"
                | "__attrs_attrs__"
                | "__hash__"
                | "__weakref__"
                | "__dict__"
                | "__all__"
                | "__version__"
                | "__getstate__"
                | "__setstate__"
                | "__reduce__"
                | "__reduce_ex__"
                | "__copy__"
                | "__deepcopy__"
                | "__sizeof__"
                | "__format__"
                | "__set_name__"
                | "__get_validators__"
                | "__get_pydantic_core_schema__"
                | "__get_pydantic_json_schema__"
                | "__rich_repr__"
                | "__abstractmethods__"
                | "__orig_bases__"
                | "__parameters__"
                | "__qualname__"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testutil::{class_of, ctor, f, function_of};

    #[test]
    fn with_metaclass_reads_as_its_bases_and_metaclass() {
        let c = class_of(
            "class F(six.with_metaclass(Registry, Base, object)):\n    pass\n",
            "F",
        );
        let bases: Vec<&str> = c.bases.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(bases, ["Base"]);
    }

    /// A subclass of `namedtuple(...)` is a NamedTuple class with the call's fields, as
    /// `class P(NamedTuple)` with the same fields is; its own annotations are no fields.
    #[test]
    fn a_functional_named_tuple_base_gives_its_fields() {
        let functional = class_of(
            "class P(namedtuple('P', ['x', 'y'], defaults=[0])):\n    __slots__ = ()\n    z: int = 1\n    def norm(self): ...\n",
            "P",
        );
        let spelled = class_of(
            "class P(NamedTuple):\n    x: int\n    y: int = 0\n    def norm(self): ...\n",
            "P",
        );
        assert_eq!(functional.flavor, ClassFlavor::NamedTuple);
        let bases: Vec<&str> = functional.bases.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(bases, ["NamedTuple"]);
        let fields = |c: &ClassFacts| {
            c.fields
                .iter()
                .map(|f| (f.name.clone(), f.default.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(fields(&functional), fields(&spelled));
        let members: Vec<&String> = functional.members.keys().collect();
        assert_eq!(members, ["norm", "x", "y", "z"]);
    }

    #[test]
    fn attributes_naming_other_objects_are_kept_for_the_resolver() {
        let src = "class C:\n    def _get(self, i): ...\n    __getitem__ = _get\n    name = _repr.Base.name\n    up = wrap(str.upper)\n    op = cast(T, _op)\n    n = 1\n";
        let c = class_of(src, "C");
        assert!(matches!(c.members["__getitem__"], Member::Function(_)));
        let refs: Vec<(&str, &MemberRef)> = c.refs.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let path = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            refs,
            [
                ("name", &MemberRef::Path(path(&["_repr", "Base", "name"]))),
                ("op", &MemberRef::Path(path(&["_op"]))),
                ("up", &MemberRef::Call(path(&["wrap"]))),
            ]
        );
    }

    #[test]
    fn methods_bindings_properties_and_abstract() {
        let src = "class C:\n    def m(self, x): ...\n    @staticmethod\n    def s(x): ...\n    @classmethod\n    def c(cls, x): ...\n    @property\n    def p(self) -> int: ...\n    @p.setter\n    def p(self, v): ...\n    @p.deleter\n    def p(self): ...\n    @functools.cached_property\n    def cp(self): ...\n    @abc.abstractmethod\n    def a(self): ...\n    def _private(self): ...\n    def __iter__(self): ...\n    def __repr__(self): ...\n";
        let c = class_of(src, "C");
        let names: Vec<&String> = c.members.keys().collect();
        assert_eq!(names, ["__iter__", "a", "c", "cp", "m", "p", "s"]);
        let get = |n: &str| match &c.members[n] {
            Member::Function(f) => f.function.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(get("m").binding, Binding::Plain);
        assert_eq!(get("m").signature.render(), "(self, x)");
        assert_eq!(get("s").binding, Binding::StaticMethod);
        assert_eq!(get("c").binding, Binding::ClassMethod);
        assert_eq!(get("p").binding, Binding::Property);
        assert_eq!(
            get("p").signature.returns.as_deref(),
            Some("int"),
            "the getter stays"
        );
        assert_eq!(get("cp").binding, Binding::Property);
        assert!(get("a").is_abstract);
    }

    #[test]
    fn class_bases_keywords_and_flavors() {
        let c = class_of(
            "class A(Base, mod.Mixin[T], object, metaclass=ABCMeta): pass\n",
            "A",
        );
        assert_eq!(c.flavor, ClassFlavor::Abc);
        let texts: Vec<&str> = c.bases.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Base", "mod.Mixin[T]"]);
        assert_eq!(
            c.bases[1].path,
            Some(vec!["mod".to_owned(), "Mixin".to_owned()])
        );
        assert_eq!(c.bases[1].suffix, "[T]");
        let flavor = |src: &str| class_of(src, "A").flavor;
        assert_eq!(flavor("class A(enum.IntEnum): pass\n"), ClassFlavor::Enum);
        assert_eq!(flavor("class A(StrEnum): pass\n"), ClassFlavor::Enum);
        assert_eq!(flavor("class A(Flag): pass\n"), ClassFlavor::Enum);
        assert_eq!(
            flavor("class A(Protocol[T]): pass\n"),
            ClassFlavor::Protocol
        );
        assert_eq!(
            flavor("class A(TypedDict, total=False): pass\n"),
            ClassFlavor::TypedDict
        );
        assert_eq!(
            flavor("class A(NamedTuple): pass\n"),
            ClassFlavor::NamedTuple
        );
        assert_eq!(flavor("class A(abc.ABC): pass\n"), ClassFlavor::Abc);
        assert_eq!(
            flavor("@dataclass\nclass A: pass\n"),
            ClassFlavor::Dataclass
        );
        assert_eq!(
            flavor("import attr\n@attr.s\nclass A: pass\n"),
            ClassFlavor::Attrs
        );
        assert_eq!(
            flavor("from attrs import define\n@define\nclass A: pass\n"),
            ClassFlavor::Attrs
        );
        assert_eq!(
            flavor("@define\nclass A: pass\n"),
            ClassFlavor::Plain,
            "not attrs' define"
        );
        assert_eq!(flavor("class A(Base): pass\n"), ClassFlavor::Plain);
    }

    #[test]
    fn class_members_attributes_and_constructor() {
        let src = "class C:\n    \"\"\"Doc.\"\"\"\n    limit: int = 10\n    name = 'c'\n    _hidden = 1\n    __slots__ = ('a',)\n    def __init__(self, a, b: int = 2, *, c=None):\n        self.a = a\n        self.b: int = b\n        if c:\n            self.c = c\n        with x:\n            self.d = 1\n        try:\n            self.e = 2\n        except E:\n            pass\n        self._p = 3\n        def helper():\n            self.inner = 1\n    class Inner:\n        pass\n    alias = __init__\n    run = start = None\n";
        let c = class_of(src, "C");
        let names: Vec<&String> = c.members.keys().collect();
        assert_eq!(
            names,
            [
                "Inner", "a", "alias", "b", "c", "d", "e", "limit", "name", "run"
            ]
        );
        assert_eq!(
            c.init.as_ref().unwrap().render(),
            "(a, b: int = 2, *, c=None)"
        );
        assert!(c.slots);
        match &c.members["b"] {
            Member::Variable(v, _) => assert_eq!(v.annotation.as_deref(), Some("int")),
            other => panic!("{other:?}"),
        }
        match &c.members["limit"] {
            Member::Variable(v, line) => {
                assert_eq!(
                    v,
                    &Variable {
                        annotation: Some("int".into()),
                        value: Some("10".into()),
                        call: None,
                    }
                );
                assert_eq!(*line, 3);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(c.members["Inner"], Member::Class(_)));
    }

    #[test]
    fn dataclass_fields() {
        let src = "from dataclasses import dataclass, field, KW_ONLY\nfrom typing import ClassVar\n@dataclass(frozen=True, slots=True)\nclass D:\n    x: int\n    y: list = field(default_factory=list)\n    z: int = field(default=3, init=False)\n    k: ClassVar[int] = 0\n    w: str = 'w'\n    _: KW_ONLY\n    q: int = 1\n    r: int = field(default=2, kw_only=False)\n    def total(self): ...\n";
        let c = class_of(src, "D");
        assert_eq!(c.flavor, ClassFlavor::Dataclass);
        assert!(c.frozen && c.slots);
        assert_eq!(c.synth, Some(Synth::Dataclass { init: true }));
        assert_eq!(
            ctor(&c),
            vec![
                f("x", None, true, false),
                f("y", Some("list()"), true, false),
                f("z", Some("3"), false, false),
                f("w", Some("\"w\""), true, false),
                f("q", Some("1"), true, true),
                f("r", Some("2"), true, false),
            ]
        );
        let kw = class_of(
            "@dataclasses.dataclass(kw_only=True)\nclass K:\n    a: int\n",
            "K",
        );
        assert_eq!(ctor(&kw), vec![f("a", None, true, true)]);
        let no_init = class_of("@dataclass(init=False)\nclass K:\n    a: int\n", "K");
        assert_eq!(no_init.synth, Some(Synth::Dataclass { init: false }));
    }

    #[test]
    fn attrs_fields() {
        let src = "import attr\n@attr.s(frozen=True)\nclass A:\n    _x = attr.ib()\n    y = attr.ib(default=attr.Factory(list))\n    z: int = 3\n    w = attr.ib(factory=dict, kw_only=True)\n    v = attr.ib(default=1, alias='vee')\n";
        let c = class_of(src, "A");
        assert_eq!(c.flavor, ClassFlavor::Attrs);
        assert!(c.frozen && !c.slots);
        assert_eq!(
            ctor(&c),
            vec![
                f("x", None, true, false),
                f("y", Some("list()"), true, false),
                f("w", Some("dict()"), true, true),
                f("vee", Some("1"), true, false),
            ]
        );
        let src = "from attrs import define, field, frozen\n@define\nclass B:\n    a: int\n    _b: str = 'x'\n    c: list = field(factory=list)\n@frozen\nclass F:\n    a: int\n";
        let b = class_of(src, "B");
        assert!(b.slots);
        assert_eq!(
            ctor(&b),
            vec![
                f("a", None, true, false),
                f("b", Some("\"x\""), true, false),
                f("c", Some("list()"), true, false),
            ]
        );
        assert!(class_of(src, "F").frozen);
        // An unannotated field() makes `@define` read only the field() attributes.
        let src = "import attrs\n@attrs.define\nclass G:\n    a: int = 1\n    b = attrs.field()\n";
        assert_eq!(ctor(&class_of(src, "G")), vec![f("b", None, true, false)]);
    }

    #[test]
    fn enum_candidates() {
        let c = class_of(
            "class Color(Enum):\n    RED = 1\n    GREEN = 'g'\n    _ignore_ = ['x']\n    BLUE = auto()\n    x: int\n    def describe(self): ...\n",
            "Color",
        );
        assert_eq!(c.flavor, ClassFlavor::Enum);
        assert_eq!(
            c.assigned,
            vec![
                ("RED".to_owned(), "1".to_owned()),
                ("GREEN".to_owned(), "\"g\"".to_owned()),
                ("BLUE".to_owned(), "auto()".to_owned()),
            ]
        );
    }

    #[test]
    fn typed_dict_keys_keep_underscores() {
        let c = class_of(
            "class TD(TypedDict):\n    _id: str\n    name: NotRequired[str]\n",
            "TD",
        );
        assert_eq!(c.members.keys().collect::<Vec<_>>(), ["_id", "name"]);
    }

    #[test]
    fn pep696_class_is_still_read() {
        let c = class_of(
            "class Box[T = int]:\n    item: T\n    def get(self) -> T: ...\n",
            "Box",
        );
        assert_eq!(c.members.keys().collect::<Vec<_>>(), ["get", "item"]);
        let f = function_of("def first[T = str](xs: list[T]) -> T: ...\n", "first");
        assert_eq!(f.function.signature.render(), "(xs: list[T]) -> T");
    }
}
