//! Module- and class-level statements: what one file binds, before names are resolved across
//! modules ([`super::exports`] does that).
//!
//! The walk is shallow on purpose: it visits module-level and class-level statements (through
//! `if`, `try` and `with` blocks) and reads function bodies only for the narrow facts the surface
//! needs (a `yield`, leading `warnings.warn(..., DeprecationWarning)` calls, the `self.x`
//! assignments of `__init__`, the names a module `__getattr__` serves). Expressions the surface
//! keeps (defaults, annotations, values, decorators, bases) are rendered by [`expr_text`] in a
//! normalized form, so that reformatting with black or ruff never reads as a change.

use std::collections::{BTreeMap, HashMap};

use tree_sitter::Node;

use super::parse::Parsed;
use super::{Binding, ClassFlavor, Function, Param, ParamKind, Signature, Variable};

/// What one module binds at module level.
#[derive(Clone, Debug, Default)]
pub(crate) struct ModuleFacts {
    pub bindings: BTreeMap<String, Bound>,
    /// `__all__`, as a sequence of operations to fold.
    pub all: AllSpec,
    /// `from x import *`, in source order.
    pub stars: Vec<Star>,
    /// A module-level `def __getattr__(name)` that names the attributes it serves.
    pub shim: Option<Shim>,
    /// Module-level names bound to a literal collection of strings (a dict's keys), for
    /// `name in _MOVED` in a `__getattr__` and `__all__ = _base_all + [...]`.
    pub literals: HashMap<String, Vec<String>>,
}

/// A module-level name and what it is bound to.
#[derive(Clone, Debug)]
pub(crate) struct Bound {
    pub def: Def,
    /// 1-based line of the binding statement.
    pub line: u32,
    /// False when the name is bound only under `if TYPE_CHECKING:`.
    pub runtime: bool,
    /// Shapes from other branches (`except ImportError:`, `else:`), tried when the first one
    /// cannot be resolved (a compiled module that is not in the files, say).
    pub alternatives: Vec<Def>,
}

/// The right-hand side of a binding.
#[derive(Clone, Debug)]
pub(crate) enum Def {
    Function(Box<FunctionFacts>),
    Class(Box<ClassFacts>),
    Variable(Variable),
    /// `X = Y` or `X = mod.Y`: another object, resolved later.
    Alias {
        path: Vec<String>,
        text: String,
    },
    /// `import module` (`name` is `None`) or `from module import name`. `module` is absolute
    /// (relative imports are resolved); `redundant` marks `import x as x` / `from y import x as x`.
    Import {
        module: String,
        name: Option<String>,
        redundant: bool,
    },
}

/// A function or method.
#[derive(Clone, Debug, Default)]
pub(crate) struct FunctionFacts {
    pub function: Function,
    pub line: u32,
    pub deprecation: Deprecation,
    /// Only `@overload` variants were seen so far (a stub, or the implementation comes later).
    pub overload_only: bool,
}

/// The evidence that calling something warns of its deprecation.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Deprecation {
    /// `@deprecated(...)` (PEP 702), or `f = deprecated(...)(f)`.
    pub decorated: bool,
    /// The categories of `warnings.warn` calls among the body's leading statements, as
    /// written; the ones that name (a subclass of) `DeprecationWarning` count.
    pub categories: Vec<String>,
}

/// A class as written in one module, before its bases are resolved.
#[derive(Clone, Debug, Default)]
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
}

/// A base class expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BaseRef {
    /// Normalized source text.
    pub text: String,
    /// The dotted name, when the base is one (`mod.Base`, or `Base` of `Base[T]`).
    pub path: Option<Vec<String>>,
    /// What follows the dotted name (`[T]`).
    pub suffix: String,
}

/// A class member.
#[derive(Clone, Debug)]
pub(crate) enum Member {
    Function(FunctionFacts),
    Variable(Variable, u32),
    Class(Box<ClassFacts>),
}

/// A field of a dataclass, attrs class or NamedTuple.
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// `__all__` as written.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum AllSpec {
    #[default]
    Absent,
    /// Operations in source order: each `Set` starts over.
    Static(Vec<AllOp>),
    /// Assigned something that is not a static list; the line says where.
    Dynamic(u32),
}

/// One operation on `__all__`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum AllOp {
    Set(Vec<AllItem>),
    Add(Vec<AllItem>),
    Remove(String),
}

/// An entry of `__all__`: a literal name, another module's `__all__` (by dotted path), or a
/// name bound to either (`from .models import __all__ as models_all`, `_base = ["a"]`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum AllItem {
    Name(String),
    AllOf(Vec<String>),
    Var(String),
}

/// `from module import *`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Star {
    pub module: String,
    pub runtime: bool,
}

/// The names a module `__getattr__` serves.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Shim {
    pub names: Vec<String>,
    pub warns: bool,
    pub line: u32,
}

/// The module a file defines.
pub(crate) struct ModuleCtx<'a> {
    /// Dotted name (`mypkg.sub`).
    pub name: &'a str,
    /// The file is a package's `__init__`.
    pub is_package: bool,
    /// A `.pyi` stub: bare annotations declare names.
    pub is_stub: bool,
}

/// Reads the module-level statements of a parsed file.
pub(crate) fn module(parsed: &Parsed, ctx: &ModuleCtx<'_>) -> ModuleFacts {
    let mut walker = Walker {
        src: &parsed.text,
        ctx,
        facts: ModuleFacts::default(),
        shim: None,
    };
    walk_block(&mut walker, parsed.tree.root_node(), Mode::NORMAL);
    walker.finish()
}

/// How a block's bindings count.
#[derive(Clone, Copy, Debug)]
struct Mode {
    /// False under `if TYPE_CHECKING:`.
    runtime: bool,
    /// In a second branch (`except`, `elif`, `else`): names bound already keep their shape.
    alternative: bool,
}

impl Mode {
    const NORMAL: Mode = Mode {
        runtime: true,
        alternative: false,
    };
    fn alternative(self) -> Mode {
        Mode {
            alternative: true,
            ..self
        }
    }
    fn type_checking(self) -> Mode {
        Mode {
            runtime: false,
            ..self
        }
    }
}

/// A `__getattr__` before the literals it refers to are known.
struct RawShim {
    names: Vec<String>,
    refs: Vec<String>,
    warns: bool,
    line: u32,
}

/// What a block's statements bind. The module walker and the class-body walker read the same
/// control flow through [`walk_block`] (decorators, `type` aliases, `if`/`elif`/`else` with
/// `TYPE_CHECKING`, `try`/`except`, `with`) and differ only in what a statement binds.
trait Binder {
    fn source(&self) -> &str;
    fn function(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode);
    fn class(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode);
    fn type_alias(&mut self, name: String, alias: Variable, line: u32, mode: Mode);
    /// Any other statement: assignments, imports, `del`.
    fn other(&mut self, node: Node<'_>, mode: Mode);
}

fn walk_block<B: Binder>(b: &mut B, node: Node<'_>, mode: Mode) {
    for stmt in named_children(node) {
        walk_statement(b, stmt, mode);
    }
}

fn walk_statement<B: Binder>(b: &mut B, node: Node<'_>, mode: Mode) {
    match node.kind() {
        "function_definition" => b.function(node, &[], mode),
        "class_definition" => b.class(node, &[], mode),
        "decorated_definition" => {
            let decorators = decorators_of(node);
            if let Some(def) = node.child_by_field_name("definition") {
                match def.kind() {
                    "function_definition" => b.function(def, &decorators, mode),
                    "class_definition" => b.class(def, &decorators, mode),
                    _ => {}
                }
            }
        }
        "type_alias_statement" => {
            if let (Some(left), Some(right)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) && let Some(name) = first_identifier(left)
            {
                let alias = Variable {
                    annotation: Some("TypeAlias".to_owned()),
                    value: Some(expr_text(right, b.source())),
                };
                let name = b.source()[name.byte_range()].to_owned();
                b.type_alias(name, alias, line_of(node), mode);
            }
        }
        "if_statement" => {
            let checking = node
                .child_by_field_name("condition")
                .and_then(|c| type_checking(c, b.source()));
            if let Some(body) = node.child_by_field_name("consequence") {
                let body_mode = match checking {
                    Some(true) => mode.type_checking(),
                    _ => mode,
                };
                walk_block(b, body, body_mode);
            }
            for alt in node.children_by_field_name("alternative", &mut node.walk()) {
                // `if TYPE_CHECKING: ... else: ...`: the else branch is what runs.
                let alt_mode = match checking {
                    Some(true) => mode,
                    Some(false) => mode.type_checking(),
                    None => mode.alternative(),
                };
                for block in blocks_of(alt) {
                    walk_block(b, block, alt_mode);
                }
            }
        }
        "try_statement" => {
            for child in named_children(node) {
                match child.kind() {
                    "block" => walk_block(b, child, mode),
                    "else_clause" | "finally_clause" => {
                        for block in blocks_of(child) {
                            walk_block(b, block, mode);
                        }
                    }
                    "except_clause" | "except_group_clause" => {
                        for block in blocks_of(child) {
                            walk_block(b, block, mode.alternative());
                        }
                    }
                    _ => {}
                }
            }
        }
        "with_statement" => {
            if let Some(body) = node.child_by_field_name("body") {
                walk_block(b, body, mode);
            }
        }
        _ => b.other(node, mode),
    }
}

impl Binder for Walker<'_> {
    fn source(&self) -> &str {
        self.src
    }
    fn function(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode) {
        self.function_statement(node, decorators, mode);
    }
    fn class(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode) {
        self.class_statement(node, decorators, mode);
    }
    fn type_alias(&mut self, name: String, alias: Variable, line: u32, mode: Mode) {
        self.bind(&name, Def::Variable(alias), line, mode);
    }
    fn other(&mut self, node: Node<'_>, mode: Mode) {
        self.simple(node, mode);
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

struct Walker<'a> {
    src: &'a str,
    ctx: &'a ModuleCtx<'a>,
    facts: ModuleFacts,
    shim: Option<RawShim>,
}

impl<'a> Walker<'a> {
    fn finish(mut self) -> ModuleFacts {
        if let Some(raw) = self.shim.take() {
            let mut names = raw.names;
            for r in &raw.refs {
                if let Some(values) = self.facts.literals.get(r) {
                    names.extend(values.iter().cloned());
                }
            }
            names.sort();
            names.dedup();
            if !names.is_empty() {
                self.facts.shim = Some(Shim {
                    names,
                    warns: raw.warns,
                    line: raw.line,
                });
            }
        }
        self.facts
    }

    fn text(&self, node: Node<'_>) -> &'a str {
        &self.src[node.byte_range()]
    }

    /// Assignments, imports and `del` at module level.
    fn simple(&mut self, node: Node<'_>, mode: Mode) {
        match node.kind() {
            "expression_statement" => {
                if let Some(expr) = named_children(node).into_iter().next() {
                    match expr.kind() {
                        "assignment" => self.assignment(expr, mode),
                        // `__all__` follows the first branch, as names do, and what runs.
                        "augmented_assignment" if all_counts(mode) => {
                            self.augmented_assignment(expr)
                        }
                        "call" if all_counts(mode) => self.all_call(expr),
                        _ => {}
                    }
                }
            }
            "import_statement" => self.import(node, mode),
            "import_from_statement" => self.import_from(node, mode),
            "delete_statement" if !mode.alternative => {
                for target in named_children(node) {
                    let targets = if target.kind() == "expression_list" {
                        named_children(target)
                    } else {
                        vec![target]
                    };
                    for t in targets {
                        if t.kind() == "identifier" {
                            self.facts.bindings.remove(self.text(t));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn bind(&mut self, name: &str, def: Def, line: u32, mode: Mode) {
        match self.facts.bindings.get_mut(name) {
            Some(existing) => {
                if mode.alternative {
                    if !existing.runtime && mode.runtime {
                        existing.runtime = true;
                    }
                    existing.alternatives.push(def);
                    return;
                }
                // A `TYPE_CHECKING` binding never hides the one that runs.
                if existing.runtime && !mode.runtime {
                    return;
                }
                *existing = Bound {
                    def,
                    line,
                    runtime: mode.runtime,
                    alternatives: Vec::new(),
                };
            }
            None => {
                self.facts.bindings.insert(
                    name.to_owned(),
                    Bound {
                        def,
                        line,
                        runtime: mode.runtime,
                        alternatives: Vec::new(),
                    },
                );
            }
        }
    }

    fn function_statement(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode) {
        let Some(name) = node.child_by_field_name("name").map(|n| self.text(n)) else {
            return;
        };
        if name == "__getattr__" && !mode.alternative && self.shim.is_none() {
            self.shim = getattr_shim(node, self.src);
        }
        let mut facts = function(node, decorators, self.src);
        if !mode.alternative
            && let Some(Bound {
                def: Def::Function(existing),
                ..
            }) = self.facts.bindings.get_mut(name)
            && existing.overload_only
        {
            if facts.overload_only {
                existing
                    .function
                    .overloads
                    .push(facts.function.signature.clone());
                return;
            }
            // The implementation after its `@overload` variants takes them.
            facts.function.overloads = std::mem::take(&mut existing.function.overloads);
        }
        let line = facts.line;
        self.bind(name, Def::Function(Box::new(facts)), line, mode);
    }

    fn class_statement(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode) {
        let Some(name) = node.child_by_field_name("name").map(|n| self.text(n)) else {
            return;
        };
        let facts = class(node, decorators, self.src, &self.facts.bindings);
        let line = facts.line;
        self.bind(name, Def::Class(Box::new(facts)), line, mode);
    }

    fn assignment(&mut self, node: Node<'_>, mode: Mode) {
        // `a = b = value`: every target gets the value.
        let mut targets = Vec::new();
        let mut annotation = node.child_by_field_name("type");
        let mut current = node;
        let value = loop {
            if let Some(left) = current.child_by_field_name("left") {
                targets.push(left);
            }
            if annotation.is_none() {
                annotation = current.child_by_field_name("type");
            }
            match current.child_by_field_name("right") {
                Some(right) if right.kind() == "assignment" => current = right,
                other => break other,
            }
        };
        let line = line_of(node);
        for target in targets {
            match target.kind() {
                "identifier" => {
                    let name = self.text(target);
                    self.assign_name(name, annotation, value, line, mode);
                }
                "pattern_list" | "tuple_pattern" | "list_pattern" => {
                    let names = named_children(target);
                    let values = value
                        .filter(|v| matches!(v.kind(), "expression_list" | "tuple" | "list"))
                        .map(named_children)
                        .filter(|vs| vs.len() == names.len());
                    for (i, t) in names.iter().enumerate() {
                        if t.kind() == "identifier" {
                            let v = values.as_ref().map(|vs| vs[i]);
                            let name = self.text(*t);
                            self.assign_name(name, None, v, line, mode);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn assign_name(
        &mut self,
        name: &str,
        annotation: Option<Node<'_>>,
        value: Option<Node<'_>>,
        line: u32,
        mode: Mode,
    ) {
        if name == "__all__" {
            if !all_counts(mode) {
                return;
            }
            let op = value.and_then(|v| all_items(v, self.src)).map(AllOp::Set);
            self.all_op(op, line);
            return;
        }
        let Some(value) = value else {
            // A bare annotation binds nothing at runtime; a stub declares the name with it.
            if self.ctx.is_stub {
                let var = Variable {
                    annotation: annotation.map(|a| expr_text(a, self.src)),
                    value: None,
                };
                self.bind(name, Def::Variable(var), line, mode);
            }
            return;
        };
        if let Some(strings) = string_collection(value, self.src) {
            self.facts.literals.insert(name.to_owned(), strings);
        }
        // `f = deprecated("...")(f)` or `f = wrap(f)`: the object is still the function.
        if let Some(deprecates) = self.rewrap(name, value) {
            if deprecates
                && let Some(Bound {
                    def: Def::Function(f),
                    ..
                }) = self.facts.bindings.get_mut(name)
            {
                f.deprecation.decorated = true;
            }
            return;
        }
        if let Some(class) =
            functional_namedtuple(value, self.src).or_else(|| functional_enum(value, self.src))
        {
            self.bind(
                name,
                Def::Class(Box::new(ClassFacts { line, ..class })),
                line,
                mode,
            );
            return;
        }
        let annotation_text = annotation.map(|a| expr_text(a, self.src));
        let is_alias_annotation = annotation_text
            .as_deref()
            .is_none_or(|a| last_component(a) == "TypeAlias");
        let value = strip_parens(value);
        if is_alias_annotation && let Some(path) = dotted(value, self.src) {
            let def = Def::Alias {
                path,
                text: expr_text(value, self.src),
            };
            self.bind(name, def, line, mode);
            return;
        }
        let var = Variable {
            annotation: annotation_text,
            value: Some(expr_text(value, self.src)),
        };
        self.bind(name, Def::Variable(var), line, mode);
    }

    /// `Some(deprecated?)` when `value` re-wraps the function or class already bound to
    /// `name` (`f = deprecated("use g")(f)`, `f = functools.lru_cache(f)`).
    fn rewrap(&self, name: &str, value: Node<'_>) -> Option<bool> {
        let bound = self.facts.bindings.get(name)?;
        if !matches!(bound.def, Def::Function(_) | Def::Class(_)) || value.kind() != "call" {
            return None;
        }
        let args = value.child_by_field_name("arguments")?;
        let passes_itself = named_children(args)
            .iter()
            .any(|a| a.kind() == "identifier" && self.text(*a) == name);
        if !passes_itself {
            return None;
        }
        let callee_text = self.text(callee(value));
        Some(callee_text.contains("deprecated"))
    }

    fn augmented_assignment(&mut self, node: Node<'_>) {
        let target = node.child_by_field_name("left").map(|l| self.text(l));
        let op = node.child_by_field_name("operator").map(|o| self.text(o));
        if target == Some("__all__") {
            let items = match op {
                Some("+=") => node
                    .child_by_field_name("right")
                    .and_then(|r| all_items(r, self.src)),
                _ => None,
            };
            self.all_op(items.map(AllOp::Add), line_of(node));
        }
    }

    /// `__all__.extend([...])`, `__all__.append("x")`, `__all__.remove("x")`.
    fn all_call(&mut self, call: Node<'_>) {
        let Some(function) = call.child_by_field_name("function") else {
            return;
        };
        if function.kind() != "attribute" {
            return;
        }
        let object = function.child_by_field_name("object").map(|o| self.text(o));
        if object != Some("__all__") {
            return;
        }
        let method = function
            .child_by_field_name("attribute")
            .map(|a| self.text(a));
        let args = call
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        let op = match (method, args.as_slice()) {
            (Some("extend"), [arg]) => all_items(*arg, self.src).map(AllOp::Add),
            (Some("append"), [arg]) => {
                string_value(*arg, self.src).map(|s| AllOp::Add(vec![AllItem::Name(s)]))
            }
            (Some("remove"), [arg]) => string_value(*arg, self.src).map(AllOp::Remove),
            _ => None,
        };
        self.all_op(op, line_of(call));
    }

    fn all_op(&mut self, op: Option<AllOp>, line: u32) {
        match (op, &mut self.facts.all) {
            (None, _) => self.facts.all = AllSpec::Dynamic(line),
            (Some(_), AllSpec::Dynamic(_)) => {}
            // A later `__all__ = ...` starts over when folded (it may read `__all__` itself).
            (Some(op), AllSpec::Static(ops)) => ops.push(op),
            // `__all__ += [...]` before any `__all__ = ...` fails at runtime; read it as a set.
            (Some(op), all @ AllSpec::Absent) => *all = AllSpec::Static(vec![op]),
        }
    }

    fn import(&mut self, node: Node<'_>, mode: Mode) {
        let line = line_of(node);
        for name in node.children_by_field_name("name", &mut node.walk()) {
            match name.kind() {
                "dotted_name" => {
                    // `import a.b.c` binds `a`.
                    let full = self.text(name);
                    let head = full.split('.').next().unwrap_or(full).trim();
                    let def = Def::Import {
                        module: head.to_owned(),
                        name: None,
                        redundant: false,
                    };
                    self.bind(head, def, line, mode);
                }
                "aliased_import" => {
                    let module = name
                        .child_by_field_name("name")
                        .map(|n| dotted_text(n, self.src))
                        .unwrap_or_default();
                    if let Some(alias) = name.child_by_field_name("alias").map(|a| self.text(a)) {
                        let def = Def::Import {
                            redundant: alias == module,
                            module,
                            name: None,
                        };
                        self.bind(alias, def, line, mode);
                    }
                }
                _ => {}
            }
        }
    }

    fn import_from(&mut self, node: Node<'_>, mode: Mode) {
        let Some(source) = node.child_by_field_name("module_name") else {
            return;
        };
        let module = match source.kind() {
            "relative_import" => self.relative(source),
            _ => dotted_text(source, self.src),
        };
        let line = line_of(node);
        if named_children(node)
            .iter()
            .any(|c| c.kind() == "wildcard_import")
        {
            if !mode.alternative || mode.runtime {
                self.facts.stars.push(Star {
                    module: module.clone(),
                    runtime: mode.runtime,
                });
            }
            return;
        }
        for name in node.children_by_field_name("name", &mut node.walk()) {
            let (imported, alias) = match name.kind() {
                "dotted_name" => (dotted_text(name, self.src), None),
                "aliased_import" => (
                    name.child_by_field_name("name")
                        .map(|n| dotted_text(n, self.src))
                        .unwrap_or_default(),
                    name.child_by_field_name("alias")
                        .map(|a| self.text(a).to_owned()),
                ),
                _ => continue,
            };
            let bound = alias.clone().unwrap_or_else(|| imported.clone());
            let def = Def::Import {
                module: module.clone(),
                redundant: alias.as_deref() == Some(imported.as_str()),
                name: Some(imported),
            };
            self.bind(&bound, def, line, mode);
        }
    }

    /// The absolute module a relative import names; `..` past the top keeps its dots (and so
    /// never matches a module of the package).
    fn relative(&self, node: Node<'_>) -> String {
        let mut dots = 0;
        let mut rest = String::new();
        for child in named_children(node) {
            match child.kind() {
                "import_prefix" => dots = self.text(child).trim().len(),
                "dotted_name" => rest = dotted_text(child, self.src),
                _ => {}
            }
        }
        let mut parts: Vec<&str> = self.ctx.name.split('.').collect();
        if !self.ctx.is_package {
            parts.pop();
        }
        for _ in 1..dots {
            if parts.pop().is_none() {
                break;
            }
        }
        if parts.is_empty() {
            return format!("{}{rest}", ".".repeat(dots));
        }
        let mut base = parts.join(".");
        if !rest.is_empty() {
            base.push('.');
            base.push_str(&rest);
        }
        base
    }
}

/// Whether `__all__` operations in a block count: not in a second branch, nor under
/// `if TYPE_CHECKING:`.
fn all_counts(mode: Mode) -> bool {
    mode.runtime && !mode.alternative
}

/// `Some(true)` for `TYPE_CHECKING` / `typing.TYPE_CHECKING`, `Some(false)` for its negation.
fn type_checking(condition: Node<'_>, src: &str) -> Option<bool> {
    let condition = strip_parens(condition);
    match condition.kind() {
        "identifier" | "attribute" => {
            (last_component(&src[condition.byte_range()]) == "TYPE_CHECKING").then_some(true)
        }
        "not_operator" => condition
            .child_by_field_name("argument")
            .and_then(|a| type_checking(a, src))
            .map(|b| !b),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Functions

/// Reads a `def` with its decorators.
pub(crate) fn function(node: Node<'_>, decorators: &[Node<'_>], src: &str) -> FunctionFacts {
    let decorator_texts: Vec<String> = decorators.iter().map(|d| expr_text(*d, src)).collect();
    let mut binding = Binding::Plain;
    let mut settable = false;
    let mut is_abstract = false;
    let mut overload = false;
    let mut deprecation = Deprecation::default();
    for d in decorators {
        let head = &src[callee(*d).byte_range()];
        match last_component(head) {
            "staticmethod" => binding = Binding::StaticMethod,
            "classmethod" => binding = Binding::ClassMethod,
            "property" => binding = Binding::Property,
            // A non-data descriptor: assigning on an instance just stores the value.
            "cached_property" => {
                binding = Binding::Property;
                settable = true;
            }
            "abstractmethod" => is_abstract = true,
            "abstractproperty" => {
                binding = Binding::Property;
                is_abstract = true;
            }
            "abstractclassmethod" => {
                binding = Binding::ClassMethod;
                is_abstract = true;
            }
            "abstractstaticmethod" => {
                binding = Binding::StaticMethod;
                is_abstract = true;
            }
            "overload" => overload = true,
            "deprecated" => deprecation.decorated = true,
            _ => {}
        }
    }
    let is_async = node.child(0).is_some_and(|c| c.kind() == "async");
    let signature = signature(
        node.child_by_field_name("parameters"),
        node.child_by_field_name("return_type"),
        src,
    );
    let body = node.child_by_field_name("body");
    let is_generator = body.is_some_and(|b| contains_yield(b, src));
    if let Some(body) = body {
        deprecation.categories = leading_warnings(body, src);
    }
    FunctionFacts {
        function: Function {
            overloads: if overload {
                vec![signature.clone()]
            } else {
                Vec::new()
            },
            signature,
            is_async,
            is_generator,
            binding,
            is_abstract,
            decorators: decorator_texts,
            settable,
        },
        line: line_of(node),
        deprecation,
        overload_only: overload,
    }
}

/// The parameters and return annotation of a `def` (or a lambda's parameters).
pub(crate) fn signature(
    params: Option<Node<'_>>,
    returns: Option<Node<'_>>,
    src: &str,
) -> Signature {
    let mut out: Vec<Param> = Vec::new();
    let mut keyword_only = false;
    let text = |n: Node<'_>| src[n.byte_range()].to_owned();
    for p in params.map(named_children).unwrap_or_default() {
        let plain = if keyword_only {
            ParamKind::KeywordOnly
        } else {
            ParamKind::PositionalOrKeyword
        };
        let param =
            |name: String, kind, default: Option<Node<'_>>, annotation: Option<Node<'_>>| Param {
                name,
                kind,
                default: default.map(|d| expr_text(d, src)),
                annotation: annotation.map(|a| expr_text(a, src)),
            };
        match p.kind() {
            "identifier" => out.push(param(text(p), plain, None, None)),
            "tuple_pattern" => out.push(param(expr_text(p, src), plain, None, None)),
            "default_parameter" | "typed_default_parameter" => {
                let name = p.child_by_field_name("name").map(text).unwrap_or_default();
                out.push(param(
                    name,
                    plain,
                    p.child_by_field_name("value"),
                    p.child_by_field_name("type"),
                ));
            }
            "typed_parameter" => {
                let annotation = p.child_by_field_name("type");
                let Some(inner) = named_children(p).into_iter().next() else {
                    continue;
                };
                match inner.kind() {
                    "list_splat_pattern" => {
                        keyword_only = true;
                        out.push(param(
                            splat_name(inner, src),
                            ParamKind::VarPositional,
                            None,
                            annotation,
                        ));
                    }
                    "dictionary_splat_pattern" => out.push(param(
                        splat_name(inner, src),
                        ParamKind::VarKeyword,
                        None,
                        annotation,
                    )),
                    _ => out.push(param(text(inner), plain, None, annotation)),
                }
            }
            "list_splat_pattern" => {
                keyword_only = true;
                out.push(param(
                    splat_name(p, src),
                    ParamKind::VarPositional,
                    None,
                    None,
                ));
            }
            "dictionary_splat_pattern" => {
                out.push(param(splat_name(p, src), ParamKind::VarKeyword, None, None))
            }
            "keyword_separator" => keyword_only = true,
            "positional_separator" => {
                for earlier in &mut out {
                    earlier.kind = ParamKind::PositionalOnly;
                }
            }
            _ => {}
        }
    }
    mark_legacy_positional_only(&mut out);
    Signature {
        params: out,
        returns: returns.map(|r| expr_text(r, src)),
    }
}

/// Before PEP 570's `/`, leading parameters named `__x` (not `__x__`) were the way to say
/// positional-only (PEP 484; click 8.1's `Context.invoke(__self, __callback, ...)`): inside a
/// class Python even mangles such names, so no caller can pass them by keyword. A leading
/// `self` or `cls` may stand before them.
fn mark_legacy_positional_only(params: &mut [Param]) {
    let dunder = |p: &Param| {
        p.kind == ParamKind::PositionalOrKeyword
            && p.name.starts_with("__")
            && !p.name.ends_with("__")
    };
    if params.iter().any(|p| p.kind == ParamKind::PositionalOnly) {
        return;
    }
    let start = match params.first() {
        Some(p) if dunder(p) => 0,
        Some(p) if matches!(p.name.as_str(), "self" | "cls") => 1,
        _ => return,
    };
    let count = params[start..].iter().take_while(|p| dunder(p)).count();
    if count == 0 {
        return;
    }
    for p in &mut params[..start + count] {
        p.kind = ParamKind::PositionalOnly;
    }
}

fn splat_name(node: Node<'_>, src: &str) -> String {
    named_children(node)
        .into_iter()
        .next()
        .map(|n| src[n.byte_range()].to_owned())
        .unwrap_or_default()
}

/// A `yield` in the body, outside nested functions, classes and lambdas.
fn contains_yield(body: Node<'_>, src: &str) -> bool {
    // Most bodies have none; a substring test spares the walk.
    if !src[body.byte_range()].contains("yield") {
        return false;
    }
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        for child in children(node) {
            match child.kind() {
                "yield" => return true,
                "function_definition" | "class_definition" | "lambda" | "decorated_definition" => {}
                _ => stack.push(child),
            }
        }
    }
    false
}

/// The categories of `warnings.warn(...)` calls among a body's leading statements (before the
/// first statement that is neither a docstring, an assignment, nor such a call).
fn leading_warnings(body: Node<'_>, src: &str) -> Vec<String> {
    let mut out = Vec::new();
    for stmt in named_children(body) {
        if stmt.kind() != "expression_statement" {
            break;
        }
        let Some(expr) = named_children(stmt).into_iter().next() else {
            continue;
        };
        match expr.kind() {
            "string" | "assignment" => continue,
            "call" => {}
            _ => break,
        }
        let head = &src[callee(expr).byte_range()];
        if !matches!(
            head,
            "warnings.warn" | "warn" | "_warnings.warn" | "warnings.warn_explicit"
        ) {
            continue;
        }
        let args = expr
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        let keyword = args.iter().find_map(|a| {
            (a.kind() == "keyword_argument"
                && a.child_by_field_name("name")
                    .is_some_and(|n| &src[n.byte_range()] == "category"))
            .then(|| a.child_by_field_name("value"))
            .flatten()
        });
        let positional = args
            .iter()
            .filter(|a| a.kind() != "keyword_argument")
            .nth(1)
            .copied();
        if let Some(category) = keyword.or(positional) {
            out.push(expr_text(category, src));
        }
    }
    out
}

/// The names a module `def __getattr__(name)` compares its parameter with.
fn getattr_shim(node: Node<'_>, src: &str) -> Option<RawShim> {
    let params = node.child_by_field_name("parameters")?;
    let first = named_children(params).into_iter().next()?;
    let param = match first.kind() {
        "identifier" => &src[first.byte_range()],
        "typed_parameter" => named_children(first)
            .into_iter()
            .next()
            .map(|n| &src[n.byte_range()])?,
        _ => return None,
    };
    let body = node.child_by_field_name("body")?;
    let mut shim = RawShim {
        names: Vec::new(),
        refs: Vec::new(),
        warns: false,
        line: line_of(node),
    };
    let is_param = |n: Node<'_>| n.kind() == "identifier" && &src[n.byte_range()] == param;
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "comparison_operator" => {
                let kids = children(n);
                for w in kids.windows(3) {
                    let (l, op, r) = (w[0], &src[w[1].byte_range()], w[2]);
                    match op {
                        "==" if is_param(l) => shim.names.extend(string_value(r, src)),
                        "==" if is_param(r) => shim.names.extend(string_value(l, src)),
                        "in" if is_param(l) => {
                            let r = strip_keys_call(strip_parens(r), src);
                            if let Some(strings) = string_collection(r, src) {
                                shim.names.extend(strings);
                            } else if r.kind() == "identifier" {
                                shim.refs.push(src[r.byte_range()].to_owned());
                            }
                        }
                        _ => {}
                    }
                }
            }
            "match_statement" => {
                let subject = n.child_by_field_name("subject");
                if subject.is_some_and(is_param) {
                    for s in descendants_of_kind(n, "case_pattern") {
                        for leaf in descendants_of_kind(s, "string") {
                            shim.names.extend(string_value(leaf, src));
                        }
                    }
                }
            }
            "call" => {
                let head = last_component(&src[callee(n).byte_range()]).to_ascii_lowercase();
                if head.contains("warn") || head.contains("deprecat") {
                    shim.warns = true;
                }
            }
            _ => {}
        }
        stack.extend(children(n));
    }
    Some(shim)
}

/// `X.keys()` -> `X`.
fn strip_keys_call<'t>(node: Node<'t>, src: &str) -> Node<'t> {
    if node.kind() == "call"
        && let Some(f) = node.child_by_field_name("function")
        && f.kind() == "attribute"
        && f.child_by_field_name("attribute")
            .is_some_and(|a| &src[a.byte_range()] == "keys")
        && let Some(object) = f.child_by_field_name("object")
    {
        return object;
    }
    node
}

// ---------------------------------------------------------------------------------------------
// Classes

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
    if node.kind() != "call" {
        return out;
    }
    for a in node
        .child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default()
    {
        if a.kind() == "keyword_argument"
            && let (Some(k), Some(v)) = (
                a.child_by_field_name("name"),
                a.child_by_field_name("value"),
            )
        {
            out.insert(src[k.byte_range()].to_owned(), expr_text(v, src));
        }
    }
    out
}

const ENUM_BASES: &[&str] = &["Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "ReprEnum"];

/// Reads a `class` with its decorators. `scope` holds the module's bindings so far, to tell
/// where a decorator was imported from.
fn class(
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
    for arg in node
        .child_by_field_name("superclasses")
        .map(named_children)
        .unwrap_or_default()
    {
        match arg.kind() {
            "keyword_argument" => {
                let key = arg
                    .child_by_field_name("name")
                    .map(|k| &src[k.byte_range()]);
                if key == Some("metaclass") {
                    metaclass = arg.child_by_field_name("value").map(|v| expr_text(v, src));
                }
            }
            "list_splat" | "dictionary_splat" => {}
            _ => {
                let text = expr_text(arg, src);
                if text == "object" || text == "builtins.object" {
                    continue;
                }
                let (head, suffix) = match arg.kind() {
                    "subscript" => (
                        arg.child_by_field_name("value").unwrap_or(arg),
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
    };
    if let Some(block) = node.child_by_field_name("body") {
        walk_block(&mut body, block, Mode::NORMAL);
    }
    body.finish(deco.auto_attribs)
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
}

impl ClassBody<'_, '_> {
    /// Assignments at class level.
    fn simple(&mut self, node: Node<'_>, mode: Mode) {
        if node.kind() == "expression_statement"
            && let Some(expr) = named_children(node).into_iter().next()
            && expr.kind() == "assignment"
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
            .child_by_field_name("name")
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
                if let Some(body) = node.child_by_field_name("body") {
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
        if !is_public_member(&name) {
            return;
        }
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
            .child_by_field_name("name")
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
        let Some(left) = node.child_by_field_name("left") else {
            return;
        };
        if left.kind() != "identifier" {
            return;
        }
        let name = self.src[left.byte_range()].to_owned();
        let annotation = node.child_by_field_name("type");
        let mut value = node.child_by_field_name("right");
        while let Some(v) = value.filter(|v| v.kind() == "assignment") {
            value = v.child_by_field_name("right");
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
        // `name = other_method` inside the class: the alias has the method's shape.
        if annotation.is_none()
            && let Some(v) = value
            && v.kind() == "identifier"
            && let Some(Member::Function(f)) = self.facts.members.get(&self.src[v.byte_range()])
        {
            let member = Member::Function(FunctionFacts { line, ..f.clone() });
            if is_public_member(&name) {
                self.add(name, member, mode);
            }
            return;
        }
        if let Some(v) = value
            && v.kind() == "call"
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
                v.kind() == "call"
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
            };
            self.add(name, Member::Variable(var, line), mode);
        }
    }

    fn is_field_specifier(&self, value: Node<'_>) -> bool {
        if value.kind() != "call" {
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
                match stmt.kind() {
                    "expression_statement" => {
                        let Some(expr) = named_children(stmt).into_iter().next() else {
                            continue;
                        };
                        if expr.kind() != "assignment" {
                            continue;
                        }
                        let annotation = expr
                            .child_by_field_name("type")
                            .map(|a| expr_text(a, self.src));
                        let mut targets = Vec::new();
                        let mut cur = expr;
                        loop {
                            if let Some(l) = cur.child_by_field_name("left") {
                                targets.push(l);
                            }
                            match cur.child_by_field_name("right") {
                                Some(r) if r.kind() == "assignment" => cur = r,
                                _ => break,
                            }
                        }
                        for t in targets {
                            let parts = if t.kind() == "pattern_list" || t.kind() == "tuple_pattern"
                            {
                                named_children(t)
                            } else {
                                vec![t]
                            };
                            for p in parts {
                                if p.kind() == "attribute"
                                    && p.child_by_field_name("object")
                                        .is_some_and(|o| &self.src[o.byte_range()] == self_name)
                                    && let Some(attr) = p.child_by_field_name("attribute")
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

/// `Color = Enum("Color", "RED GREEN")`, with names as a string or a list, or with values as
/// `(name, value)` pairs or a dict (the enum module's functional API): an Enum class whose
/// members are compared like those of a `class Color(Enum)`. Without a value, the functional
/// API numbers members from 1, as `auto()` does.
fn functional_enum(value: Node<'_>, src: &str) -> Option<ClassFacts> {
    if value.kind() != "call" {
        return None;
    }
    let head = last_component(&src[callee(value).byte_range()]);
    if !matches!(head, "Enum" | "IntEnum" | "StrEnum" | "Flag" | "IntFlag") {
        return None;
    }
    let args: Vec<Node<'_>> = value
        .child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default()
        .into_iter()
        .filter(|a| a.kind() != "keyword_argument")
        .collect();
    let spec = args.get(1)?;
    let auto = || "auto()".to_owned();
    let mut members: Vec<(String, String)> = Vec::new();
    if let Some(s) = string_value(*spec, src) {
        members = s
            .replace(',', " ")
            .split_whitespace()
            .map(|m| (m.to_owned(), auto()))
            .collect();
    } else if matches!(spec.kind(), "list" | "tuple") {
        for item in named_children(*spec) {
            if let Some(name) = string_value(item, src) {
                members.push((name, auto()));
            } else if item.kind() == "tuple"
                && let [n, v] = named_children(item).as_slice()
                && let Some(name) = string_value(*n, src)
            {
                members.push((name, expr_text(*v, src)));
            } else {
                return None;
            }
        }
    } else if spec.kind() == "dictionary" {
        for pair in named_children(*spec) {
            let (Some(k), Some(v)) = (
                pair.child_by_field_name("key"),
                pair.child_by_field_name("value"),
            ) else {
                return None;
            };
            members.push((string_value(k, src)?, expr_text(v, src)));
        }
    } else {
        return None;
    }
    Some(ClassFacts {
        bases: vec![BaseRef {
            text: head.to_owned(),
            path: Some(vec![head.to_owned()]),
            suffix: String::new(),
        }],
        flavor: ClassFlavor::Enum,
        assigned: members,
        ..ClassFacts::default()
    })
}

/// `P = namedtuple("P", "x y")`, `namedtuple("P", ["x", "y"], defaults=(0,))`,
/// `P = NamedTuple("P", [("x", int), ("y", str)])`: a class.
fn functional_namedtuple(value: Node<'_>, src: &str) -> Option<ClassFacts> {
    if value.kind() != "call" {
        return None;
    }
    let head = last_component(&src[callee(value).byte_range()]);
    let typed = match head {
        "namedtuple" => false,
        "NamedTuple" => true,
        _ => return None,
    };
    let args = value
        .child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default();
    let positional: Vec<Node<'_>> = args
        .iter()
        .copied()
        .filter(|a| a.kind() != "keyword_argument")
        .collect();
    let mut fields: Vec<(String, Option<String>)> = Vec::new();
    match positional.get(1) {
        Some(spec) => {
            if let Some(s) = string_value(*spec, src) {
                fields = s
                    .replace(',', " ")
                    .split_whitespace()
                    .map(|f| (f.to_owned(), None))
                    .collect();
            } else if matches!(spec.kind(), "list" | "tuple") {
                for item in named_children(*spec) {
                    if let Some(s) = string_value(item, src) {
                        fields.push((s, None));
                    } else if item.kind() == "tuple" {
                        let pair = named_children(item);
                        if let [n, t] = pair.as_slice()
                            && let Some(name) = string_value(*n, src)
                        {
                            fields.push((name, Some(expr_text(*t, src))));
                        }
                    } else {
                        return None;
                    }
                }
            } else {
                return None;
            }
        }
        // `NamedTuple("P", x=int, y=str)`
        None if typed => {
            for a in &args {
                if a.kind() == "keyword_argument"
                    && let (Some(k), Some(v)) = (
                        a.child_by_field_name("name"),
                        a.child_by_field_name("value"),
                    )
                {
                    fields.push((src[k.byte_range()].to_owned(), Some(expr_text(v, src))));
                }
            }
        }
        None => return None,
    }
    // `defaults=` applies to the rightmost fields.
    let defaults: Vec<String> = args
        .iter()
        .find(|a| {
            a.kind() == "keyword_argument"
                && a.child_by_field_name("name")
                    .is_some_and(|n| &src[n.byte_range()] == "defaults")
        })
        .and_then(|a| a.child_by_field_name("value"))
        .map(|v| {
            named_children(strip_parens(v))
                .into_iter()
                .map(|d| expr_text(d, src))
                .collect()
        })
        .unwrap_or_default();
    let first_default = fields.len().saturating_sub(defaults.len());
    let mut class = ClassFacts {
        bases: Vec::new(),
        flavor: ClassFlavor::NamedTuple,
        synth: Some(Synth::NamedTuple),
        ..ClassFacts::default()
    };
    for (i, (name, annotation)) in fields.into_iter().enumerate() {
        let default = (i >= first_default)
            .then(|| defaults.get(i - first_default).cloned())
            .flatten();
        class.members.insert(
            name.clone(),
            Member::Variable(
                Variable {
                    annotation: annotation.clone(),
                    value: None,
                },
                line_of(value),
            ),
        );
        class.fields.push(Field {
            arg: name.clone(),
            name,
            annotation,
            default,
            init: true,
            kw_only: false,
        });
    }
    Some(class)
}

// ---------------------------------------------------------------------------------------------
// Small tree helpers

/// Named children, without comments.
pub(crate) fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

fn descendants_of_kind<'t>(node: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == kind {
            out.push(n);
        }
        stack.extend(children(n));
    }
    out
}

fn blocks_of(node: Node<'_>) -> Vec<Node<'_>> {
    named_children(node)
        .into_iter()
        .filter(|c| c.kind() == "block")
        .collect()
}

fn decorators_of(node: Node<'_>) -> Vec<Node<'_>> {
    named_children(node)
        .into_iter()
        .filter(|c| c.kind() == "decorator")
        .filter_map(|d| named_children(d).into_iter().next())
        .collect()
}

fn first_identifier(node: Node<'_>) -> Option<Node<'_>> {
    if node.kind() == "identifier" {
        return Some(node);
    }
    named_children(node).into_iter().find_map(first_identifier)
}

pub(crate) fn line_of(node: Node<'_>) -> u32 {
    u32::try_from(node.start_position().row + 1).unwrap_or(u32::MAX)
}

/// The function part of a call (`a.b` of `a.b(c)`), or the node itself.
fn callee(node: Node<'_>) -> Node<'_> {
    match node.kind() {
        "call" => node.child_by_field_name("function").unwrap_or(node),
        _ => node,
    }
}

fn last_component(dotted: &str) -> &str {
    dotted.rsplit('.').next().unwrap_or(dotted).trim()
}

fn strip_parens(mut node: Node<'_>) -> Node<'_> {
    while node.kind() == "parenthesized_expression" || node.kind() == "type" {
        match named_children(node).as_slice() {
            [inner] => node = *inner,
            _ => break,
        }
    }
    node
}

/// `a.b.c` as its parts, when `node` is a name or an attribute chain of names.
pub(crate) fn dotted(node: Node<'_>, src: &str) -> Option<Vec<String>> {
    match node.kind() {
        "identifier" => Some(vec![src[node.byte_range()].to_owned()]),
        "attribute" => {
            let mut head = dotted(node.child_by_field_name("object")?, src)?;
            head.push(src[node.child_by_field_name("attribute")?.byte_range()].to_owned());
            Some(head)
        }
        _ => None,
    }
}

/// A `dotted_name` without spaces or comments (`a . b` is legal Python).
fn dotted_text(node: Node<'_>, src: &str) -> String {
    named_children(node)
        .iter()
        .filter(|c| c.kind() == "identifier")
        .map(|c| &src[c.byte_range()])
        .collect::<Vec<_>>()
        .join(".")
}

/// The value of a plain string literal (no interpolation, not bytes), or of adjacent ones.
pub(crate) fn string_value(node: Node<'_>, src: &str) -> Option<String> {
    match node.kind() {
        "string" => {
            let mut out = String::new();
            for c in children(node) {
                match c.kind() {
                    "string_start" => {
                        let prefix = src[c.byte_range()].to_ascii_lowercase();
                        if prefix.contains('f') || prefix.contains('b') || prefix.contains('t') {
                            return None;
                        }
                    }
                    "string_content" => out.push_str(&src[c.byte_range()]),
                    "string_end" => {}
                    _ => return None,
                }
            }
            Some(out)
        }
        "concatenated_string" => named_children(node)
            .into_iter()
            .map(|s| string_value(s, src))
            .collect(),
        "parenthesized_expression" => string_value(strip_parens(node), src),
        _ => None,
    }
}

/// The strings of a literal list, tuple, set or dict (its keys), or of `frozenset({...})`.
fn string_collection(node: Node<'_>, src: &str) -> Option<Vec<String>> {
    let node = strip_parens(node);
    match node.kind() {
        "list" | "tuple" | "set" => named_children(node)
            .into_iter()
            .map(|n| string_value(n, src))
            .collect(),
        "dictionary" => named_children(node)
            .into_iter()
            .map(|pair| {
                pair.child_by_field_name("key")
                    .and_then(|k| string_value(k, src))
            })
            .collect(),
        "call"
            if matches!(
                &src[callee(node).byte_range()],
                "frozenset" | "set" | "tuple" | "list"
            ) =>
        {
            let args = node
                .child_by_field_name("arguments")
                .map(named_children)
                .unwrap_or_default();
            match args.as_slice() {
                [one] => string_collection(*one, src),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The entries of a static `__all__` value, or `None` when it is not static.
fn all_items(node: Node<'_>, src: &str) -> Option<Vec<AllItem>> {
    let node = strip_parens(node);
    match node.kind() {
        "list" | "tuple" | "set" => {
            let mut out = Vec::new();
            for item in named_children(node) {
                if item.kind() == "list_splat" {
                    let inner = named_children(item).into_iter().next()?;
                    out.extend(all_items(inner, src)?);
                } else {
                    out.push(AllItem::Name(string_value(item, src)?));
                }
            }
            Some(out)
        }
        "binary_operator" => {
            let op = node
                .child_by_field_name("operator")
                .map(|o| &src[o.byte_range()]);
            if op != Some("+") {
                return None;
            }
            let mut left = all_items(node.child_by_field_name("left")?, src)?;
            left.extend(all_items(node.child_by_field_name("right")?, src)?);
            Some(left)
        }
        "attribute" => {
            let path = dotted(node, src)?;
            let (last, head) = path.split_last()?;
            (last == "__all__" && !head.is_empty()).then(|| vec![AllItem::AllOf(head.to_vec())])
        }
        "identifier" => Some(vec![AllItem::Var(src[node.byte_range()].to_owned())]),
        "call" if matches!(&src[callee(node).byte_range()], "list" | "tuple") => {
            let args = node
                .child_by_field_name("arguments")
                .map(named_children)
                .unwrap_or_default();
            match args.as_slice() {
                [one] => all_items(*one, src),
                _ => None,
            }
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Normalized expression text

/// The source text of an expression in a canonical form: comments, line breaks and redundant
/// outer parentheses dropped, trailing commas removed, spacing and string quotes as black
/// writes them. Two spellings that black or ruff format alike give the same text.
pub(crate) fn expr_text(node: Node<'_>, src: &str) -> String {
    let node = strip_parens(node);
    // A span tree-sitter could not parse is kept as written (API-RULES.md section 5), only
    // with its whitespace collapsed.
    if node.has_error() {
        return src[node.byte_range()]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    let mut out = String::new();
    render(node, src, &mut out);
    out
}

fn render(node: Node<'_>, src: &str, out: &mut String) {
    let text = &src[node.byte_range()];
    match node.kind() {
        "comment" | "line_continuation" => {}
        "string" => out.push_str(&normalize_string(text)),
        "integer" | "float" => out.push_str(&normalize_number(text)),
        "type" => {
            for c in named_children(node) {
                render(c, src, out);
            }
        }
        "tuple" | "tuple_pattern" => sequence(node, src, "(", ")", true, out),
        "list" | "list_pattern" => sequence(node, src, "[", "]", false, out),
        "set" | "dictionary" => sequence(node, src, "{", "}", false, out),
        "argument_list" => sequence(node, src, "(", ")", false, out),
        "type_parameter" => sequence(node, src, "[", "]", false, out),
        "expression_list" | "pattern_list" => sequence(node, src, "", "", true, out),
        "subscript" => {
            if let Some(v) = node.child_by_field_name("value") {
                render(v, src, out);
            }
            out.push('[');
            let mut cursor = node.walk();
            for (i, s) in node
                .children_by_field_name("subscript", &mut cursor)
                .enumerate()
            {
                if i > 0 {
                    out.push_str(", ");
                }
                render(s, src, out);
            }
            out.push(']');
        }
        "generic_type" => {
            for c in named_children(node) {
                render(c, src, out);
            }
        }
        "call" => {
            if let Some(f) = node.child_by_field_name("function") {
                render(f, src, out);
            }
            if let Some(a) = node.child_by_field_name("arguments") {
                render(a, src, out);
            }
        }
        "keyword_argument" | "default_parameter" => {
            if let Some(n) = node.child_by_field_name("name") {
                render(n, src, out);
            }
            out.push('=');
            if let Some(v) = node.child_by_field_name("value") {
                render(v, src, out);
            }
        }
        "list_splat" | "list_splat_pattern" | "dictionary_splat" | "dictionary_splat_pattern" => {
            out.push_str(if node.kind().starts_with("dictionary") {
                "**"
            } else {
                "*"
            });
            for c in named_children(node) {
                render(c, src, out);
            }
        }
        "unary_operator" => {
            if let Some(op) = node.child_by_field_name("operator") {
                out.push_str(&src[op.byte_range()]);
            }
            if let Some(a) = node.child_by_field_name("argument") {
                render(a, src, out);
            }
        }
        "binary_operator" => {
            let (Some(l), Some(op), Some(r)) = (
                node.child_by_field_name("left"),
                node.child_by_field_name("operator"),
                node.child_by_field_name("right"),
            ) else {
                return generic(node, src, out);
            };
            let op = &src[op.byte_range()];
            render(l, src, out);
            // black hugs `**` between simple operands (`x**2`, but `x ** f(y)`).
            if op == "**" && simple_operand(l) && simple_operand(r) {
                out.push_str("**");
            } else {
                out.push(' ');
                out.push_str(op);
                out.push(' ');
            }
            render(r, src, out);
        }
        "slice" => {
            for c in children(node) {
                render(c, src, out);
            }
        }
        _ if node.child_count() == 0 => out.push_str(text.trim()),
        _ => generic(node, src, out),
    }
}

/// A bracketed sequence with its items comma-separated and no trailing comma (kept for a
/// one-element tuple, where it matters).
fn sequence(node: Node<'_>, src: &str, open: &str, close: &str, tuple: bool, out: &mut String) {
    let items = named_children(node);
    out.push_str(open);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        render(*item, src, out);
    }
    if tuple && items.len() == 1 {
        out.push(',');
    }
    out.push_str(close);
}

/// Children joined by single spaces, except around brackets, dots, commas and colons.
fn generic(node: Node<'_>, src: &str, out: &mut String) {
    let mut first = true;
    for c in children(node) {
        let mut piece = String::new();
        render(c, src, &mut piece);
        if piece.is_empty() {
            continue;
        }
        let glue_before = piece.starts_with([')', ']', '}', ',', '.', ':']) && piece != ":=";
        let glue_after = out.ends_with(['(', '[', '{', '.']);
        if !first && !glue_before && !glue_after {
            out.push(' ');
        }
        out.push_str(&piece);
        first = false;
    }
}

fn simple_operand(node: Node<'_>) -> bool {
    match node.kind() {
        "identifier" | "integer" | "float" | "true" | "false" | "none" => true,
        "attribute" => node
            .child_by_field_name("object")
            .is_some_and(simple_operand),
        "unary_operator" => node
            .child_by_field_name("argument")
            .is_some_and(simple_operand),
        _ => false,
    }
}

/// Black's string normalization: prefix characters lower-cased (`u` dropped, `R` kept), and
/// single quotes turned double unless that needs more escapes.
fn normalize_string(text: &str) -> String {
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
fn normalize_number(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if let Some(digits) = lower.strip_prefix("0x") {
        return format!("0x{}", digits.to_ascii_uppercase());
    }
    if let Some(n) = lower.strip_suffix('l') {
        return format!("{n}L");
    }
    lower
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::parse;

    fn parsed(src: &str) -> Parsed {
        parse::parse("pkg/mod.py", src.as_bytes()).unwrap()
    }

    fn facts(src: &str) -> ModuleFacts {
        facts_in("pkg.mod", false, src)
    }

    fn facts_in(name: &str, is_package: bool, src: &str) -> ModuleFacts {
        let p = parsed(src);
        module(
            &p,
            &ModuleCtx {
                name,
                is_package,
                is_stub: false,
            },
        )
    }

    fn function_of(src: &str, name: &str) -> FunctionFacts {
        match &facts(src).bindings[name].def {
            Def::Function(f) => (**f).clone(),
            other => panic!("{other:?}"),
        }
    }

    fn class_of(src: &str, name: &str) -> ClassFacts {
        match &facts(src).bindings[name].def {
            Def::Class(c) => (**c).clone(),
            other => panic!("{other:?}"),
        }
    }

    fn value_of(src: &str, name: &str) -> Variable {
        match &facts(src).bindings[name].def {
            Def::Variable(v) => v.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn norm(expr: &str) -> String {
        value_of(&format!("x = {expr}\n"), "x").value.unwrap()
    }

    fn p(name: &str, kind: ParamKind, default: Option<&str>, annotation: Option<&str>) -> Param {
        Param {
            name: name.to_owned(),
            kind,
            default: default.map(str::to_owned),
            annotation: annotation.map(str::to_owned),
        }
    }

    use ParamKind::*;

    #[test]
    fn all_five_parameter_kinds() {
        let f = function_of(
            "def f(a, b: int, /, c=1, d: str = 'x', *args: int, e, f: int = 2, **kw: Any) -> None: ...\n",
            "f",
        );
        assert_eq!(
            f.function.signature,
            Signature {
                params: vec![
                    p("a", PositionalOnly, None, None),
                    p("b", PositionalOnly, None, Some("int")),
                    p("c", PositionalOrKeyword, Some("1"), None),
                    p("d", PositionalOrKeyword, Some("\"x\""), Some("str")),
                    p("args", VarPositional, None, Some("int")),
                    p("e", KeywordOnly, None, None),
                    p("f", KeywordOnly, Some("2"), Some("int")),
                    p("kw", VarKeyword, None, Some("Any")),
                ],
                returns: Some("None".to_owned()),
            }
        );
        let g = function_of("def g(a, *, b, **kw): pass\n", "g");
        assert_eq!(
            g.function.signature.params,
            vec![
                p("a", PositionalOrKeyword, None, None),
                p("b", KeywordOnly, None, None),
                p("kw", VarKeyword, None, None),
            ]
        );
        assert_eq!(
            g.function.signature.render(),
            "(a, *, b, **kw)",
            "render() round-trips"
        );
    }

    #[test]
    fn reformatting_does_not_change_the_text() {
        let before = "def connect(host: Optional[Dict[str,int]]={'a':1,'b':[1,2,],}, *, retries = (3), timeout: float=DEFAULT.x) -> Tuple[int,str]: ...\n";
        let after = "def connect(\n    host: Optional[\n        Dict[str, int]\n    ] = {\"a\": 1, \"b\": [1, 2]},  # comment\n    *,\n    retries=3,\n    timeout: float = DEFAULT.x,\n) -> (\n    Tuple[int, str]\n):\n    ...\n";
        let a = function_of(before, "connect").function.signature;
        let b = function_of(after, "connect").function.signature;
        assert_eq!(a, b);
        assert_eq!(
            a.render(),
            "(host: Optional[Dict[str, int]] = {\"a\": 1, \"b\": [1, 2]}, *, retries=3, timeout: float = DEFAULT.x) -> Tuple[int, str]"
        );
    }

    #[test]
    fn normalized_expressions() {
        assert_eq!(norm("( 1 ,)"), "(1,)");
        assert_eq!(norm("(1, 2,)"), "(1, 2)");
        assert_eq!(norm("f(a , b = 2 ,)"), "f(a, b=2)");
        assert_eq!(norm("x**2 + y ** f(z)"), "x**2 + y ** f(z)");
        assert_eq!(norm("- 1"), "-1");
        assert_eq!(norm("not  a and b"), "not a and b");
        assert_eq!(norm("a if b else c"), "a if b else c");
        assert_eq!(norm("lambda x,y : x"), "lambda x, y: x");
        assert_eq!(norm("lambda: 0"), "lambda: 0");
        assert_eq!(
            norm("[i for i in  range(3) if i]"),
            "[i for i in range(3) if i]"
        );
        assert_eq!(norm("a[1:2, ::3]"), "a[1:2, ::3]");
        assert_eq!(norm("{**a, 'b': 1}"), "{**a, \"b\": 1}");
        assert_eq!(norm("0XFF + 1E5 + 10J"), "0xFF + 1e5 + 10j");
        assert_eq!(
            norm("u'x' + B'y' + F'{z}' + R'w'"),
            "\"x\" + b\"y\" + f\"{z}\" + R\"w\""
        );
        assert_eq!(norm("'it\\'s'"), "\"it's\"");
        assert_eq!(norm("'say \"hi\"'"), "'say \"hi\"'");
        assert_eq!(norm("'''doc'''"), "\"\"\"doc\"\"\"");
        assert_eq!(norm("'a' 'b'"), "\"a\" \"b\"");
        assert_eq!(norm("(\n  a +\n  b\n)"), "a + b");
        assert_eq!(norm("a . b ( )"), "a.b()");
        assert_eq!(norm("x if (y := 1) else z"), "x if (y := 1) else z");
        assert_eq!(norm("f\"{x!r:>{w}}\""), "f\"{x!r:>{w}}\"");
        assert_eq!(norm("*a,"), "*a,");
    }

    #[test]
    fn async_generator_and_decorators() {
        let src = "@app.route('/x', methods = ['GET'])\n@functools.wraps(g)\nasync def f():\n    def inner():\n        yield 1\n    return 2\ndef g():\n    x = lambda: (yield)\n    if x:\n        yield from y\n";
        let f = function_of(src, "f");
        assert!(f.function.is_async);
        assert!(!f.function.is_generator, "the yield is in a nested def");
        assert_eq!(
            f.function.decorators,
            vec!["app.route(\"/x\", methods=[\"GET\"])", "functools.wraps(g)"]
        );
        assert!(function_of(src, "g").function.is_generator);
    }

    #[test]
    fn deprecation_evidence() {
        let src = "from typing_extensions import deprecated\n@deprecated('use g')\ndef a(): pass\ndef b():\n    \"\"\"Doc.\"\"\"\n    warnings.warn('old', DeprecationWarning, stacklevel=2)\n    return 1\ndef c():\n    warnings.warn('old', category=FutureWarning)\ndef d():\n    if x:\n        warnings.warn('x', DeprecationWarning)\ndef e():\n    warnings.warn('just a warning')\n";
        assert!(function_of(src, "a").deprecation.decorated);
        assert_eq!(
            function_of(src, "b").deprecation.categories,
            vec!["DeprecationWarning"]
        );
        assert_eq!(
            function_of(src, "c").deprecation.categories,
            vec!["FutureWarning"]
        );
        assert_eq!(function_of(src, "d").deprecation, Deprecation::default());
        assert_eq!(function_of(src, "e").deprecation, Deprecation::default());
    }

    #[test]
    fn overloads_are_collected() {
        let src = "from typing import overload\n@overload\ndef f(x: int) -> int: ...\n@typing.overload\ndef f(x: str) -> str: ...\ndef f(x): return x\n";
        let f = function_of(src, "f");
        assert!(!f.overload_only);
        assert_eq!(f.function.signature.render(), "(x)");
        let variants: Vec<String> = f.function.overloads.iter().map(Signature::render).collect();
        assert_eq!(variants, vec!["(x: int) -> int", "(x: str) -> str"]);

        // A stub without an implementation: the first variant is the signature.
        let stub = "@overload\ndef f(x: int) -> int: ...\n@overload\ndef f(x: str) -> str: ...\n";
        let f = function_of(stub, "f");
        assert!(f.overload_only);
        assert_eq!(f.function.signature.render(), "(x: int) -> int");
        assert_eq!(f.function.overloads.len(), 2);
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
                        value: Some("10".into())
                    }
                );
                assert_eq!(*line, 3);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(c.members["Inner"], Member::Class(_)));
    }

    fn ctor(c: &ClassFacts) -> Vec<(String, Option<String>, bool, bool)> {
        c.fields
            .iter()
            .map(|f| (f.arg.clone(), f.default.clone(), f.init, f.kw_only))
            .collect()
    }

    fn f(
        arg: &str,
        default: Option<&str>,
        init: bool,
        kw: bool,
    ) -> (String, Option<String>, bool, bool) {
        (arg.to_owned(), default.map(str::to_owned), init, kw)
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
    fn functional_enums() {
        for src in [
            "import enum\nColor = enum.Enum('Color', 'RED GREEN')\n",
            "from enum import Enum\nColor = Enum('Color', ['RED', 'GREEN'])\n",
        ] {
            let c = class_of(src, "Color");
            assert_eq!(c.flavor, ClassFlavor::Enum, "{src}");
            assert_eq!(
                c.assigned,
                [
                    ("RED".to_owned(), "auto()".to_owned()),
                    ("GREEN".to_owned(), "auto()".to_owned())
                ],
                "{src}"
            );
        }
        let c = class_of("Color = Enum('Color', {'RED': 1, 'GREEN': 2})\n", "Color");
        assert_eq!(
            c.assigned,
            [
                ("RED".to_owned(), "1".to_owned()),
                ("GREEN".to_owned(), "2".to_owned())
            ]
        );
        let c = class_of("Color = Enum('Color', [('RED', 'r')])\n", "Color");
        assert_eq!(c.assigned, [("RED".to_owned(), "\"r\"".to_owned())]);
        // Near-miss: a call that is not the functional API stays a value.
        assert!(matches!(
            facts("Color = make_enum('Color')\n").bindings["Color"].def,
            Def::Variable(_) | Def::Alias { .. }
        ));
    }

    #[test]
    fn namedtuples() {
        let c = class_of(
            "class P(NamedTuple):\n    x: int\n    y: int = 0\n    def norm(self): ...\n",
            "P",
        );
        assert_eq!(c.flavor, ClassFlavor::NamedTuple);
        assert_eq!(
            ctor(&c),
            vec![f("x", None, true, false), f("y", Some("0"), true, false)]
        );

        let c = class_of(
            "P = collections.namedtuple('P', 'x y', defaults=(1,))\n",
            "P",
        );
        assert_eq!(c.flavor, ClassFlavor::NamedTuple);
        assert_eq!(
            ctor(&c),
            vec![f("x", None, true, false), f("y", Some("1"), true, false)]
        );
        let c = class_of("P = namedtuple('P', ['x', 'y'])\n", "P");
        assert_eq!(
            ctor(&c),
            vec![f("x", None, true, false), f("y", None, true, false)]
        );
        let c = class_of(
            "P = typing.NamedTuple('P', [('x', int), ('y', str)])\n",
            "P",
        );
        assert_eq!(
            c.fields
                .iter()
                .map(|f| f.annotation.clone().unwrap())
                .collect::<Vec<_>>(),
            ["int", "str"]
        );
        assert!(c.members.contains_key("x"));
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
    fn module_bindings_and_aliases() {
        let src = "import os\nimport a.b.c\nimport numpy as np\nimport x as x\nfrom typing import Any, List as L\nfrom .core import Client\nfrom ..up import thing\nfrom . import sub\nVERSION: str = '1.0'\nold = new_name\nPath = os.path\nX: TypeAlias = int\nx1, y1 = 1, 2\ntype Vec = list[float]\n";
        let m = facts_in("pkg.mod", false, src);
        let import = |n: &str| match &m.bindings[n].def {
            Def::Import {
                module,
                name,
                redundant,
            } => (module.clone(), name.clone(), *redundant),
            other => panic!("{other:?}"),
        };
        assert_eq!(import("os"), ("os".into(), None, false));
        assert_eq!(import("a"), ("a".into(), None, false));
        assert_eq!(import("np"), ("numpy".into(), None, false));
        assert_eq!(import("x"), ("x".into(), None, true));
        assert_eq!(import("L"), ("typing".into(), Some("List".into()), false));
        assert_eq!(
            import("Client"),
            ("pkg.core".into(), Some("Client".into()), false)
        );
        assert_eq!(
            import("thing"),
            ("..up".into(), Some("thing".into()), false),
            "above the top"
        );
        assert_eq!(import("sub"), ("pkg".into(), Some("sub".into()), false));
        let alias = |n: &str| match &m.bindings[n].def {
            Def::Alias { path, .. } => path.join("."),
            other => panic!("{other:?}"),
        };
        assert_eq!(alias("old"), "new_name");
        assert_eq!(alias("Path"), "os.path");
        assert_eq!(alias("X"), "int");
        match &m.bindings["VERSION"].def {
            Def::Variable(v) => assert_eq!(v.value.as_deref(), Some("\"1.0\"")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(m.bindings["x1"].def, Def::Variable(_)));
        match &m.bindings["Vec"].def {
            Def::Variable(v) => assert_eq!(v.value.as_deref(), Some("list[float]")),
            other => panic!("{other:?}"),
        }
        // In a package `__init__`, `.` is the package itself.
        let init = facts_in("pkg.sub", true, "from .core import C\nfrom .. import top\n");
        assert!(
            matches!(&init.bindings["C"].def, Def::Import { module, .. } if module == "pkg.sub.core")
        );
        assert!(matches!(&init.bindings["top"].def, Def::Import { module, .. } if module == "pkg"));
    }

    #[test]
    fn dunder_all_forms() {
        let m = facts(
            "__all__ = ['a', 'b']\n__all__ += ['c']\n__all__.extend(('d',))\n__all__.append('e')\n__all__.remove('a')\n__all__ += sub.__all__\n",
        );
        assert_eq!(
            m.all,
            AllSpec::Static(vec![
                AllOp::Set(vec![AllItem::Name("a".into()), AllItem::Name("b".into())]),
                AllOp::Add(vec![AllItem::Name("c".into())]),
                AllOp::Add(vec![AllItem::Name("d".into())]),
                AllOp::Add(vec![AllItem::Name("e".into())]),
                AllOp::Remove("a".into()),
                AllOp::Add(vec![AllItem::AllOf(vec!["sub".into()])]),
            ])
        );
        let m = facts("__all__ = core.__all__ + ['x']\n");
        assert_eq!(
            m.all,
            AllSpec::Static(vec![AllOp::Set(vec![
                AllItem::AllOf(vec!["core".into()]),
                AllItem::Name("x".into())
            ])])
        );
        assert_eq!(
            facts("__all__ = [n for n in dir()]\n").all,
            AllSpec::Dynamic(1)
        );
        assert_eq!(facts("x = 1\n").all, AllSpec::Absent);
        // The first branch's `__all__`, and never the type checker's.
        let m = facts(
            "if sys.version_info >= (3, 9):\n    __all__ = ['new']\nelse:\n    __all__ = ['old']\nif TYPE_CHECKING:\n    __all__ += ['typed']\ntry:\n    __all__.append('fast')\nexcept ImportError:\n    __all__.append('slow')\n",
        );
        assert_eq!(
            m.all,
            AllSpec::Static(vec![
                AllOp::Set(vec![AllItem::Name("new".into())]),
                AllOp::Add(vec![AllItem::Name("fast".into())]),
            ])
        );
    }

    #[test]
    fn type_checking_try_and_version_branches() {
        let src = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import OnlyTyping\n    from .a import Both\nelse:\n    Both = None\ntry:\n    from ._speedups import fast\nexcept ImportError:\n    def fast(x, y): ...\n    def fallback_only(): ...\nif sys.version_info >= (3, 11):\n    def f(a): ...\nelse:\n    def f(a, b): ...\n";
        let m = facts(src);
        assert!(!m.bindings["OnlyTyping"].runtime);
        assert!(m.bindings["Both"].runtime);
        assert!(matches!(m.bindings["Both"].def, Def::Variable(_)));
        assert!(
            matches!(&m.bindings["fast"].def, Def::Import { module, .. } if module == "pkg._speedups")
        );
        assert_eq!(m.bindings["fast"].alternatives.len(), 1);
        assert!(m.bindings.contains_key("fallback_only"));
        match &m.bindings["f"].def {
            Def::Function(f) => assert_eq!(f.function.signature.render(), "(a)"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn getattr_shims() {
        let src = "_MOVED = {'old_a': 'a', 'old_b': 'b'}\ndef __getattr__(name):\n    if name == 'x':\n        warnings.warn('x moved', DeprecationWarning)\n        return y\n    if name in ('p', 'q'):\n        return 1\n    if name in _MOVED:\n        return 2\n    raise AttributeError(name)\n";
        let m = facts(src);
        assert_eq!(
            m.shim,
            Some(Shim {
                names: vec![
                    "old_a".into(),
                    "old_b".into(),
                    "p".into(),
                    "q".into(),
                    "x".into()
                ],
                warns: true,
                line: 2,
            })
        );
        let m = facts(
            "def __getattr__(attr: str):\n    match attr:\n        case 'a' | 'b':\n            return 1\n    raise AttributeError\n",
        );
        assert_eq!(
            m.shim.as_ref().map(|s| (s.names.clone(), s.warns)),
            Some((vec!["a".into(), "b".into()], false))
        );
        assert_eq!(
            facts("def __getattr__(name):\n    return globals()[name]\n").shim,
            None
        );
    }

    #[test]
    fn rewrapped_functions_and_del() {
        let m = facts(
            "def f(): ...\nf = deprecated('use g')(f)\ndef g(): ...\ng = cache(g)\n_tmp = 1\ndel _tmp\n",
        );
        match &m.bindings["f"].def {
            Def::Function(f) => assert!(f.deprecation.decorated),
            other => panic!("{other:?}"),
        }
        assert!(matches!(m.bindings["g"].def, Def::Function(_)));
        assert!(!m.bindings.contains_key("_tmp"));
    }

    #[test]
    fn bare_annotations_bind_only_in_stubs() {
        assert!(!facts("x: int\n").bindings.contains_key("x"));
        let p = parsed("x: int\n");
        let stub = module(
            &p,
            &ModuleCtx {
                name: "pkg.mod",
                is_package: false,
                is_stub: true,
            },
        );
        assert!(stub.bindings.contains_key("x"));
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

    #[test]
    fn legacy_dunder_parameters_are_positional_only() {
        let kinds = |src: &str, name: &str| -> Vec<ParamKind> {
            function_of(src, name)
                .function
                .signature
                .params
                .iter()
                .map(|p| p.kind)
                .collect()
        };
        assert_eq!(
            kinds("def f(__self, __cb, *args, **kw): ...\n", "f"),
            [PositionalOnly, PositionalOnly, VarPositional, VarKeyword]
        );
        assert_eq!(
            kinds("def f(self, __x, y): ...\n", "f"),
            [PositionalOnly, PositionalOnly, PositionalOrKeyword]
        );
        // Near-misses: a plain parameter first, a dunder name, an explicit `/`.
        assert_eq!(
            kinds("def f(a, __b): ...\n", "f"),
            [PositionalOrKeyword, PositionalOrKeyword]
        );
        assert_eq!(kinds("def f(__x__): ...\n", "f"), [PositionalOrKeyword]);
        assert_eq!(
            kinds("def f(__a, /, __b): ...\n", "f"),
            [PositionalOnly, PositionalOrKeyword]
        );
    }
}
