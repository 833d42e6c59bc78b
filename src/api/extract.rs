//! Module-level statements: what one file binds, before names are resolved across modules
//! (`super::resolve` does that).
//!
//! The walk is shallow on purpose: it visits module-level and class-level statements (through
//! `if`, `try` and `with` blocks) and reads function bodies only for the narrow facts the surface
//! needs (a `yield`, leading `warnings.warn(..., DeprecationWarning)` calls, the `self.x`
//! assignments of `__init__`, the names a module `__getattr__` serves, the names a function
//! called on import binds through `global`). This file owns that walk (`walk_block`, shared
//! with class bodies through `Binder`) and what a module binds, with its import statements in
//! `imports` and its `global` bindings in `globals`; what a `def` says is in
//! `super::signature`, what a class says in `super::class`, and expressions are rendered by
//! `super::expr::expr_text` in a normalized form, so that reformatting with black or ruff
//! never reads as a change. Nothing here looks at another module.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

use tree_sitter::Node;

use super::Variable;
use super::class::{ClassFacts, class};
use super::expr::expr_text;
use super::node::{
    NodeExt, blocks_of, callee, decorators_of, descendants_of_kind, dotted, dotted_text,
    first_identifier, line_of, named_children, string_collection, string_value, strip_parens,
};
use super::parse::Parsed;
use super::signature::{FunctionFacts, RawForward, RawShim, function, getattr_shim};
use super::synth::{functional_enum, functional_namedtuple};
use super::text::last_component;

mod globals;
mod imports;

/// What one module binds at module level.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
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
    /// Module-level functions that return a function they define (`def wrap(f): def inner(...):
    /// ...; return inner`): what a call of one makes is a function.
    pub factories: HashSet<String>,
    /// Module-level names bound to a call (`vary_on_cookie = vary_on_headers("Cookie")`): the
    /// callee's dotted name, for the resolver to tell a factory's function from a value.
    pub calls: HashMap<String, Vec<String>>,
}

/// A module-level name and what it is bound to.
#[derive(Clone, Debug, Serialize, Deserialize)]
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
#[derive(Clone, Debug, Serialize, Deserialize)]
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

/// `__all__` as written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) enum AllSpec {
    #[default]
    Absent,
    /// Operations in source order: each `Set` starts over.
    Static(Vec<AllOp>),
    /// Assigned something that is not a static list; the line says where.
    Dynamic(u32),
}

/// One operation on `__all__`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum AllOp {
    Set(Vec<AllItem>),
    Add(Vec<AllItem>),
    Remove(String),
}

/// An entry of `__all__`: a literal name, another module's `__all__` (by dotted path), or a
/// name bound to either (`from .models import __all__ as models_all`, `_base = ["a"]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum AllItem {
    Name(String),
    AllOf(Vec<String>),
    Var(String),
}

/// `from module import *`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Star {
    pub module: String,
    pub runtime: bool,
}

/// The names a module `__getattr__` serves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Shim {
    pub names: Vec<String>,
    pub warns: bool,
    pub line: u32,
    /// The module the function forwards every other name to, if it does.
    pub forward: Option<Forward>,
}

/// Where a forwarding `__getattr__` looks names up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum Forward {
    /// A dotted name bound at module level (`_impl` after `from . import _impl`).
    Path(Vec<String>),
    /// An absolute module name (`mypkg.new`), from an import in the function itself or
    /// `importlib.import_module`.
    Module(String),
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
    let mut reader = ModuleReader::new(&parsed.text, ctx);
    reader.read(parsed.tree.root_node());
    reader.finish()
}

/// Reads a module's statements from one tree, or from the trees of its pieces in source order
/// (`super::parse::parse_pieces`): what a statement binds depends only on the statements
/// before it, never on the tree around it.
pub(crate) struct ModuleReader<'a>(Walker<'a>);

impl<'a> ModuleReader<'a> {
    pub(crate) fn new(src: &'a str, ctx: &'a ModuleCtx<'a>) -> ModuleReader<'a> {
        ModuleReader(Walker {
            src,
            ctx,
            facts: ModuleFacts::default(),
            shim: None,
            global_writes: HashMap::new(),
        })
    }

    /// Reads the statements of a tree (or piece) whose offsets point into `src`.
    pub(crate) fn read(&mut self, root: Node<'_>) {
        walk_block(&mut self.0, root, Mode::NORMAL);
    }

    pub(crate) fn finish(self) -> ModuleFacts {
        self.0.finish()
    }
}

/// How a block's bindings count.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mode {
    /// False under `if TYPE_CHECKING:`.
    pub(crate) runtime: bool,
    /// In a second branch (`except`, `elif`, `else`): names bound already keep their shape.
    pub(crate) alternative: bool,
}

impl Mode {
    pub(crate) const NORMAL: Mode = Mode {
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

/// What a block's statements bind. The module walker and the class-body walker read the same
/// control flow through [`walk_block`] (decorators, `type` aliases, `if`/`elif`/`else` with
/// `TYPE_CHECKING`, `try`/`except`, `with`) and differ only in what a statement binds.
pub(crate) trait Binder {
    fn source(&self) -> &str;
    fn function(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode);
    fn class(&mut self, node: Node<'_>, decorators: &[Node<'_>], mode: Mode);
    fn type_alias(&mut self, name: String, alias: Variable, line: u32, mode: Mode);
    /// Any other statement: assignments, imports, `del`.
    fn other(&mut self, node: Node<'_>, mode: Mode);
}

pub(crate) fn walk_block<B: Binder>(b: &mut B, node: Node<'_>, mode: Mode) {
    for stmt in named_children(node) {
        walk_statement(b, stmt, mode);
    }
}

fn walk_statement<B: Binder>(b: &mut B, node: Node<'_>, mode: Mode) {
    match node.kind_str() {
        "function_definition" => b.function(node, &[], mode),
        "class_definition" => b.class(node, &[], mode),
        "decorated_definition" => {
            let decorators = decorators_of(node);
            if let Some(def) = node.field("definition") {
                match def.kind_str() {
                    "function_definition" => b.function(def, &decorators, mode),
                    "class_definition" => b.class(def, &decorators, mode),
                    _ => {}
                }
            }
        }
        "type_alias_statement" => {
            if let (Some(left), Some(right)) = (node.field("left"), node.field("right"))
                && let Some(name) = first_identifier(left)
            {
                let alias = Variable {
                    annotation: Some("TypeAlias".to_owned()),
                    value: Some(expr_text(right, b.source())),
                    call: None,
                };
                let name = b.source()[name.byte_range()].to_owned();
                b.type_alias(name, alias, line_of(node), mode);
            }
        }
        "if_statement" => {
            let condition = node.field("condition");
            // `if __name__ == "__main__":` never runs on import: nothing bound there is
            // exported or rebinds an exported name (API-RULES section 2). Its `elif`/`else`
            // branches are what runs on import.
            if condition.is_some_and(|c| is_main_check(c, b.source())) {
                for alt in node.children_by_field_name("alternative", &mut node.walk()) {
                    for block in blocks_of(alt) {
                        walk_block(b, block, mode);
                    }
                }
                return;
            }
            let checking = condition.and_then(|c| type_checking(c, b.source()));
            if let Some(body) = node.field("consequence") {
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
                match child.kind_str() {
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
            if let Some(body) = node.field("body") {
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

struct Walker<'a> {
    src: &'a str,
    ctx: &'a ModuleCtx<'a>,
    facts: ModuleFacts,
    /// A module `__getattr__`, with the module it forwards to.
    shim: Option<(RawShim, Option<Forward>)>,
    /// For each module-level function, the names it binds through `global`.
    global_writes: HashMap<String, Vec<GlobalWrite>>,
}

/// A module-level name that a function binds through a `global` declaration.
#[derive(Clone, Debug)]
struct GlobalWrite {
    name: String,
    def: Def,
    line: u32,
}

impl<'a> Walker<'a> {
    fn finish(mut self) -> ModuleFacts {
        if let Some((raw, forward)) = self.shim.take() {
            let mut names = raw.names;
            for r in &raw.refs {
                if let Some(values) = self.facts.literals.get(r) {
                    names.extend(values.iter().cloned());
                }
            }
            names.sort();
            names.dedup();
            if !names.is_empty() || forward.is_some() {
                self.facts.shim = Some(Shim {
                    names,
                    warns: raw.warns,
                    line: raw.line,
                    forward,
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
        match node.kind_str() {
            "expression_statement" => {
                if let Some(expr) = named_children(node).into_iter().next() {
                    match expr.kind_str() {
                        "assignment" => self.assignment(expr, mode),
                        // `__all__` follows the first branch, as names do, and what runs.
                        "augmented_assignment" if all_counts(mode) => {
                            self.augmented_assignment(expr)
                        }
                        "call" => {
                            if all_counts(mode) {
                                self.all_call(expr);
                            }
                            self.call(expr, mode);
                        }
                        _ => {}
                    }
                }
            }
            "import_statement" => self.import(node, mode),
            "import_from_statement" => self.import_from(node, mode),
            "delete_statement" if !mode.alternative => {
                for target in named_children(node) {
                    let targets = if target.kind_str() == "expression_list" {
                        named_children(target)
                    } else {
                        vec![target]
                    };
                    for t in targets {
                        if t.kind_str() == "identifier" {
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
        let Some(name) = node.field("name").map(|n| self.text(n)) else {
            return;
        };
        if name == "__getattr__" && !mode.alternative && self.shim.is_none() {
            self.shim = getattr_shim(node, self.src).map(|raw| {
                let forward = raw.forward.clone().map(|f| self.forward_target(node, f));
                (raw, forward)
            });
        }
        // As for the name itself, a second branch's `def` does not replace the first one's.
        if !mode.alternative || !self.global_writes.contains_key(name) {
            let writes = self.global_writes_of(node);
            self.global_writes.insert(name.to_owned(), writes);
        }
        if !mode.alternative {
            if returns_own_function(node, self.src) {
                self.facts.factories.insert(name.to_owned());
            } else {
                self.facts.factories.remove(name);
            }
            self.facts.calls.remove(name);
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
        let Some(name) = node.field("name").map(|n| self.text(n)) else {
            return;
        };
        let facts = class(node, decorators, self.src, &self.facts.bindings);
        let line = facts.line;
        self.bind(name, Def::Class(Box::new(facts)), line, mode);
    }

    fn assignment(&mut self, node: Node<'_>, mode: Mode) {
        // `a = b = value`: every target gets the value.
        let mut targets = Vec::new();
        let mut annotation = node.field("type");
        let mut current = node;
        let value = loop {
            if let Some(left) = current.field("left") {
                targets.push(left);
            }
            if annotation.is_none() {
                annotation = current.field("type");
            }
            match current.field("right") {
                Some(right) if right.kind_str() == "assignment" => current = right,
                other => break other,
            }
        };
        let line = line_of(node);
        for target in targets {
            match target.kind_str() {
                "identifier" => {
                    let name = self.text(target);
                    self.assign_name(name, annotation, value, line, mode);
                }
                "pattern_list" | "tuple_pattern" | "list_pattern" => {
                    let names = named_children(target);
                    let values = value
                        .filter(|v| matches!(v.kind_str(), "expression_list" | "tuple" | "list"))
                        .map(named_children)
                        .filter(|vs| vs.len() == names.len());
                    for (i, t) in names.iter().enumerate() {
                        match values.as_ref().map(|vs| vs[i]) {
                            Some(v) if t.kind_str() == "identifier" => {
                                let name = self.text(*t);
                                self.assign_name(name, None, Some(v), line, mode);
                            }
                            _ => self.bind_unpacked(*t, line, mode),
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The names of an unpacking target whose values are not written out one by one
    /// (`MO, TU = weekdays = tuple(...)`, `(A, B) = range(2)`, `a, *rest = f()`): each is a
    /// variable of unknown value, bound all the same.
    fn bind_unpacked(&mut self, target: Node<'_>, line: u32, mode: Mode) {
        match target.kind_str() {
            "identifier" => {
                let name = self.text(target);
                if name != "__all__" {
                    self.bind(name, Def::Variable(Variable::default()), line, mode);
                }
            }
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "list_splat_pattern"
            | "parenthesized_expression" => {
                for child in named_children(target) {
                    self.bind_unpacked(child, line, mode);
                }
            }
            _ => {}
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
                    call: None,
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
        let def = self.value_def(annotation, value, line);
        if !mode.alternative && mode.runtime {
            self.facts.factories.remove(name);
            let call = strip_parens(value);
            match (&def, call.kind_str()) {
                (Def::Variable(_), "call") => match dotted(callee(call), self.src) {
                    Some(path) => self.facts.calls.insert(name.to_owned(), path),
                    None => self.facts.calls.remove(name),
                },
                _ => self.facts.calls.remove(name),
            };
        }
        self.bind(name, def, line, mode);
    }

    /// What `name = value` binds: a functional `NamedTuple`/`Enum` class, an alias of another
    /// object, or a variable holding the value.
    fn value_def(&self, annotation: Option<Node<'_>>, value: Node<'_>, line: u32) -> Def {
        if let Some(class) =
            functional_namedtuple(value, self.src).or_else(|| functional_enum(value, self.src))
        {
            return Def::Class(Box::new(ClassFacts { line, ..class }));
        }
        let annotation_text = annotation.map(|a| expr_text(a, self.src));
        let is_alias_annotation = annotation_text
            .as_deref()
            .is_none_or(|a| last_component(a) == "TypeAlias");
        let value = super::class::uncast(value, self.src);
        if is_alias_annotation && let Some(path) = dotted(value, self.src) {
            return Def::Alias {
                path,
                text: expr_text(value, self.src),
            };
        }
        Def::Variable(Variable {
            annotation: annotation_text,
            value: Some(expr_text(value, self.src)),
            call: None,
        })
    }

    /// `Some(deprecated?)` when `value` re-wraps the function or class already bound to
    /// `name` (`f = deprecated("use g")(f)`, `f = functools.lru_cache(f)`).
    fn rewrap(&self, name: &str, value: Node<'_>) -> Option<bool> {
        let bound = self.facts.bindings.get(name)?;
        if !matches!(bound.def, Def::Function(_) | Def::Class(_)) || value.kind_str() != "call" {
            return None;
        }
        let args = value.field("arguments")?;
        let passes_itself = named_children(args)
            .iter()
            .any(|a| a.kind_str() == "identifier" && self.text(*a) == name);
        if !passes_itself {
            return None;
        }
        let callee_text = self.text(callee(value));
        Some(callee_text.contains("deprecated"))
    }

    fn augmented_assignment(&mut self, node: Node<'_>) {
        let target = node.field("left").map(|l| self.text(l));
        let op = node.field("operator").map(|o| self.text(o));
        if target == Some("__all__") {
            let items = match op {
                Some("+=") => node.field("right").and_then(|r| all_items(r, self.src)),
                _ => None,
            };
            self.all_op(items.map(AllOp::Add), line_of(node));
        }
    }

    /// `__all__.extend([...])`, `__all__.append("x")`, `__all__.remove("x")`.
    fn all_call(&mut self, call: Node<'_>) {
        let Some(function) = call.field("function") else {
            return;
        };
        if function.kind_str() != "attribute" {
            return;
        }
        let object = function.field("object").map(|o| self.text(o));
        if object != Some("__all__") {
            return;
        }
        let method = function.field("attribute").map(|a| self.text(a));
        let args = call
            .field("arguments")
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
}

/// Whether `__all__` operations in a block count: not in a second branch, nor under
/// `if TYPE_CHECKING:`.
fn all_counts(mode: Mode) -> bool {
    mode.runtime && !mode.alternative
}

/// Whether a `def` returns a function it defines itself (`return inner`, `return
/// cast(F, inner)`, `return functools.wraps(f)(inner)`) or a lambda: a factory of functions,
/// as decorators and wrappers are. Nested classes are not looked into.
fn returns_own_function(node: Node<'_>, src: &str) -> bool {
    let Some(body) = node.field("body") else {
        return false;
    };
    let own = |n: Node<'_>| {
        let mut up = n.parent();
        while let Some(p) = up {
            if p.id() == node.id() {
                return true;
            }
            if matches!(
                p.kind_str(),
                "function_definition" | "class_definition" | "lambda"
            ) {
                return false;
            }
            up = p.parent();
        }
        false
    };
    let inner: HashSet<&str> = descendants_of_kind(body, "function_definition")
        .into_iter()
        .filter(|f| own(*f))
        .filter_map(|f| f.field("name"))
        .map(|n| &src[n.byte_range()])
        .collect();
    descendants_of_kind(body, "return_statement")
        .into_iter()
        .filter(|r| own(*r))
        .filter_map(|r| r.named_child(0))
        .any(|v| {
            let mut v = super::class::uncast(v, src);
            // `wraps(f)(inner)`: the argument of the outer call.
            if v.kind_str() == "call"
                && callee(v).kind_str() == "call"
                && let Some(args) = v.field("arguments")
                && let [arg] = named_children(args).as_slice()
            {
                v = *arg;
            }
            v.kind_str() == "lambda"
                || (v.kind_str() == "identifier" && inner.contains(&src[v.byte_range()]))
        })
}

/// `__name__ == "__main__"`, either way round: the script block of a module.
fn is_main_check(condition: Node<'_>, src: &str) -> bool {
    let condition = strip_parens(condition);
    if condition.kind_str() != "comparison_operator" {
        return false;
    }
    let operands = named_children(condition);
    let ops: Vec<&str> = {
        let mut cursor = condition.walk();
        condition
            .children_by_field_name("operators", &mut cursor)
            .map(|o| &src[o.byte_range()])
            .collect()
    };
    let [a, b] = operands.as_slice() else {
        return false;
    };
    let is_name = |n: Node<'_>| n.kind_str() == "identifier" && &src[n.byte_range()] == "__name__";
    let is_main = |n: Node<'_>| string_value(n, src).as_deref() == Some("__main__");
    ops == ["=="] && ((is_name(*a) && is_main(*b)) || (is_main(*a) && is_name(*b)))
}

/// `Some(true)` for `TYPE_CHECKING` / `typing.TYPE_CHECKING`, `Some(false)` for its negation.
fn type_checking(condition: Node<'_>, src: &str) -> Option<bool> {
    let condition = strip_parens(condition);
    match condition.kind_str() {
        "identifier" | "attribute" => {
            (last_component(&src[condition.byte_range()]) == "TYPE_CHECKING").then_some(true)
        }
        "not_operator" => condition
            .field("argument")
            .and_then(|a| type_checking(a, src))
            .map(|b| !b),
        _ => None,
    }
}

/// The entries of a static `__all__` value, or `None` when it is not static.
fn all_items(node: Node<'_>, src: &str) -> Option<Vec<AllItem>> {
    let node = strip_parens(node);
    match node.kind_str() {
        // `__all__ = "a", "b"` is a tuple without its parentheses.
        "list" | "tuple" | "set" | "expression_list" => {
            let mut out = Vec::new();
            for item in named_children(node) {
                if item.kind_str() == "list_splat" {
                    let inner = named_children(item).into_iter().next()?;
                    out.extend(all_items(inner, src)?);
                } else {
                    out.push(AllItem::Name(string_value(item, src)?));
                }
            }
            Some(out)
        }
        "binary_operator" => {
            let op = node.field("operator").map(|o| &src[o.byte_range()]);
            if op != Some("+") {
                return None;
            }
            let mut left = all_items(node.field("left")?, src)?;
            left.extend(all_items(node.field("right")?, src)?);
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
                .field("arguments")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Signature;
    use crate::api::testutil::{facts, facts_in, function_of, parsed};

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
    fn factories_return_a_function_they_define() {
        let src = "def wrap(f):\n    @functools.wraps(f)\n    def inner(*a):\n        return f(*a)\n    return inner\ndef synonym(name, fn):\n    if name:\n        def _inner(self):\n            return fn(self)\n    else:\n        def _inner():\n            return fn()\n    return cast(C, _inner)\ndef lam():\n    return lambda x: x\ndef value():\n    def helper():\n        return 1\n    return helper()\ndef nested():\n    def outer():\n        def inner(): ...\n        return inner\n    return 1\nmade = wrap(print)\nplain = value()\n";
        let m = facts_in("pkg.mod", false, src);
        let mut factories: Vec<&String> = m.factories.iter().collect();
        factories.sort();
        assert_eq!(factories, ["lam", "synonym", "wrap"]);
        assert_eq!(m.calls["made"], ["wrap"]);
        assert_eq!(m.calls["plain"], ["value"]);
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
        // Issue 8: a tuple display without parentheses is as static as the others.
        let m = facts("__all__ = 'a', \"b\"\n__all__ += 'c',\n");
        assert_eq!(
            m.all,
            AllSpec::Static(vec![
                AllOp::Set(vec![AllItem::Name("a".into()), AllItem::Name("b".into())]),
                AllOp::Add(vec![AllItem::Name("c".into())]),
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
    fn unpacking_binds_every_name() {
        // python-dateutil: `MO, TU, ... = weekdays = tuple(...)` and `(YEARLY, ...) =
        // list(range(7))` bound nothing, so every name looked undefined (and a removal of one
        // could never be seen).
        let m = facts(concat!(
            "MO, TU = weekdays = tuple(weekday(x) for x in range(2))\n",
            "(YEARLY,\n MONTHLY) = list(range(2))\n",
            "[a, (b, c)], *rest = f()\n",
            "one, two = 1, 2\n",
        ));
        for name in [
            "MO", "TU", "weekdays", "YEARLY", "MONTHLY", "a", "b", "c", "rest",
        ] {
            assert!(
                matches!(
                    &m.bindings.get(name).map(|b| &b.def),
                    Some(Def::Variable(_))
                ),
                "{name}"
            );
        }
        match &m.bindings["two"].def {
            Def::Variable(v) => assert_eq!(v.value.as_deref(), Some("2")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn main_blocks_bind_nothing() {
        // Issue 8: an import under `if __name__ == "__main__":` shadowed the module's class.
        let m = facts(
            "class Client: ...\nif __name__ == '__main__':\n    from pkg.other import Client\n    def cli(): ...\n    __all__ = ['cli']\n    import sys\nelse:\n    imported = True\nif \"__main__\" == __name__:\n    script = 1\n",
        );
        assert!(matches!(m.bindings["Client"].def, Def::Class(_)));
        assert!(!m.bindings.contains_key("cli"));
        assert!(!m.bindings.contains_key("sys"));
        assert!(!m.bindings.contains_key("script"));
        assert!(m.bindings["imported"].runtime);
        assert_eq!(m.all, AllSpec::Absent);
        // Any other comparison of `__name__` is code that runs.
        let m = facts("if __name__ != '__main__':\n    x = 1\nif __name__ == 'pkg':\n    y = 1\n");
        assert!(m.bindings.contains_key("x") && m.bindings.contains_key("y"));
    }

    #[test]
    fn globals_of_a_function_called_on_import_are_bound() {
        // colorama 0.4.6 `initialise.py`: module state bound in a function the module calls.
        let m = facts(
            "def reset_all(): ...\ndef _wipe():\n    global orig_stdout, orig_stderr\n    orig_stdout = None\n    orig_stderr = None\n    global handler, a, b\n    handler = reset_all\n    a = b = 0\n    local = 1\n_wipe()\n",
        );
        let direct = facts("orig_stdout = None\n");
        match (
            &m.bindings["orig_stdout"].def,
            &direct.bindings["orig_stdout"].def,
        ) {
            (Def::Variable(v), Def::Variable(d)) => assert_eq!(v, d),
            other => panic!("{other:?}"),
        }
        assert_eq!(m.bindings["orig_stdout"].line, 4, "the assignment's line");
        assert!(m.bindings["orig_stderr"].runtime);
        assert!(
            matches!(&m.bindings["handler"].def, Def::Alias { path, .. } if path == &["reset_all"])
        );
        assert!(matches!(m.bindings["a"].def, Def::Variable(_)));
        assert!(matches!(m.bindings["b"].def, Def::Variable(_)));
        assert!(!m.bindings.contains_key("local"));
        // Called in a block that runs on import, or under the type checker only.
        let m = facts(
            "def f():\n    global x\n    x = 1\ntry:\n    f()\nexcept Exception:\n    pass\n",
        );
        assert!(m.bindings["x"].runtime);
        let m = facts("def f():\n    global x\n    x = 1\nif TYPE_CHECKING:\n    f()\n");
        assert!(!m.bindings["x"].runtime);
    }

    #[test]
    fn globals_of_a_function_not_called_on_import_bind_nothing() {
        // Until a caller runs it, `from mod import state` fails.
        let m = facts(
            "def configure():\n    global state, _private\n    state = 1\n    _private = 2\n",
        );
        assert!(!m.bindings.contains_key("state"));
        assert!(!m.bindings.contains_key("_private"));
        let m = facts(
            "def setup():\n    global x\n    x = 1\nif __name__ == '__main__':\n    setup()\nobj.setup()\nsetup\n",
        );
        assert!(!m.bindings.contains_key("x"));
        // Nested functions and classes have scopes of their own.
        let m = facts(
            "def f():\n    global x, y, z\n    def g():\n        y = 1\n    class C:\n        z = 2\n    x = 1\nf()\n",
        );
        assert!(m.bindings.contains_key("x"));
        assert!(!m.bindings.contains_key("y") && !m.bindings.contains_key("z"));
    }

    #[test]
    fn globals_of_a_called_function_rebind_in_order() {
        let value = |m: &ModuleFacts, name: &str| match &m.bindings[name].def {
            Def::Variable(v) => v.value.clone(),
            other => panic!("{other:?}"),
        };
        let setup = "def setup(flag):\n    global x, y, z\n    x = None\n    if flag:\n        x = 1\n    y = 'a'\n    y = 'a'\n    z = flag\n";
        let m = facts(&format!("{setup}setup(True)\n"));
        assert_eq!(value(&m, "x"), None, "different values: unknown");
        assert_eq!(value(&m, "y").as_deref(), Some("\"a\""));
        assert_eq!(
            value(&m, "z").as_deref(),
            Some("flag"),
            "a parameter is no alias"
        );
        // The call binds where it runs, as an assignment there would.
        let m = facts(&format!("y = 'b'\n{setup}setup(True)\n"));
        assert_eq!(value(&m, "y").as_deref(), Some("\"a\""));
        let m = facts(&format!("{setup}setup(True)\ny = 'b'\n"));
        assert_eq!(value(&m, "y").as_deref(), Some("\"b\""));
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
}
