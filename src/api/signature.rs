//! What a `def` says: its parameters and return annotation, its decorators (binding, abstract,
//! `@overload`, `@deprecated`), and the few facts read from its body (a `yield`, leading
//! `warnings.warn(...)` calls, the names a module `__getattr__` serves, what a body behind
//! `*args`/`**kwargs` raises on).
//!
//! Bodies are read only for those facts, never walked for bindings: the surface is shallow.

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::expr::expr_text;
use super::node::{
    NodeExt, callee, children, descendants_of_kind, dotted, line_of, named_children,
    string_collection, string_value, strip_parens,
};
use super::text::last_component;
use super::{Binding, Function, Param, ParamKind, Rejects, Signature};

/// A function or method.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct FunctionFacts {
    pub function: Function,
    pub line: u32,
    pub deprecation: Deprecation,
    /// Only `@overload` variants were seen so far (a stub, or the implementation comes later).
    pub overload_only: bool,
}

/// The evidence that calling something warns of its deprecation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Deprecation {
    /// `@deprecated(...)` (PEP 702), or `f = deprecated(...)(f)`.
    pub decorated: bool,
    /// The categories of `warnings.warn` calls among the body's leading statements, as
    /// written; the ones that name (a subclass of) `DeprecationWarning` count.
    pub categories: Vec<String>,
    /// The docstring holds a `.. deprecated::` directive (Sphinx's, as the Python docs use).
    pub docstring: bool,
}

/// Whether the first statement of a `def` or `class` body is a string holding
/// `.. deprecated::` (the Sphinx directive).
pub(crate) fn deprecated_docstring(body: Node, src: &str) -> bool {
    named_children(body)
        .into_iter()
        .find(|n| n.kind_str() != "comment")
        .is_some_and(|stmt| {
            stmt.kind_str() == "expression_statement"
                && stmt
                    .named_child(0)
                    .is_some_and(|e| matches!(e.kind_str(), "string" | "concatenated_string"))
                && src[stmt.byte_range()].contains(".. deprecated::")
        })
}

/// A `__getattr__` before the literals it refers to are known.
pub(crate) struct RawShim {
    pub(crate) names: Vec<String>,
    pub(crate) refs: Vec<String>,
    pub(crate) warns: bool,
    pub(crate) line: u32,
    /// The object whose attributes the function returns for any name
    /// (`return getattr(_impl, name)`), when it forwards to another module.
    pub(crate) forward: Option<RawForward>,
}

/// What a forwarding `__getattr__` passes to `getattr(..., name)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RawForward {
    /// A dotted name (`_impl`, `mypkg.new`), bound in the function or at module level.
    Path(Vec<String>),
    /// `importlib.import_module("mypkg.new")` (or `".new"`, relative to the package).
    ImportModule(String),
}

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
    let is_async = node.child(0).is_some_and(|c| c.kind_str() == "async");
    let mut signature = signature(node.field("parameters"), node.field("return_type"), src);
    let body = node.field("body");
    if let Some(body) = body {
        signature.rejects = rejects(body, &signature.params, src);
    }
    let is_generator = body.is_some_and(|b| contains_yield(b, src));
    if let Some(body) = body {
        deprecation.categories = leading_warnings(body, src);
        deprecation.docstring = deprecated_docstring(body, src);
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
            opaque: false,
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
        match p.kind_str() {
            "identifier" => out.push(param(text(p), plain, None, None)),
            "tuple_pattern" => out.push(param(expr_text(p, src), plain, None, None)),
            "default_parameter" | "typed_default_parameter" => {
                let name = p.field("name").map(text).unwrap_or_default();
                out.push(param(name, plain, p.field("value"), p.field("type")));
            }
            "typed_parameter" => {
                let annotation = p.field("type");
                let Some(inner) = named_children(p).into_iter().next() else {
                    continue;
                };
                match inner.kind_str() {
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
        rejects: Rejects::default(),
    }
}

/// What a body refuses of the calls its `*args`/`**kwargs` accept, from its top-level
/// statements only: an `if` whose block raises (at its own level, not under a further
/// condition) refuses what its condition names. Conditions we cannot read refuse nothing, so
/// an unread body keeps a removed parameter "absorbed" (minor, with a check), as before.
fn rejects(body: Node<'_>, params: &[Param], src: &str) -> Rejects {
    let var = |kind| {
        params
            .iter()
            .find(|p| p.kind == kind)
            .map(|p| p.name.as_str())
    };
    let (args, kwargs) = (var(ParamKind::VarPositional), var(ParamKind::VarKeyword));
    let mut out = Rejects::default();
    if (args.is_none() && kwargs.is_none()) || !src[body.byte_range()].contains("raise") {
        return out;
    }
    let reader = Reader { args, kwargs, src };
    // Locals bound to a key taken out of `**kwargs`: `const = kw.pop("const", None)`.
    let mut locals: Vec<(String, String)> = Vec::new();
    let mut leading = true;
    for stmt in named_children(body) {
        let expr = (stmt.kind_str() == "expression_statement")
            .then(|| named_children(stmt).into_iter().next())
            .flatten();
        // A docstring and `warnings.warn(...)` calls may come before an unconditional raise.
        let preamble = expr.is_some_and(|e| {
            e.kind_str() == "string"
                || (e.kind_str() == "call"
                    && last_component(&src[callee(e).byte_range()]) == "warn")
        });
        if leading && stmt.kind_str() == "raise_statement" {
            out.always = true;
            return out;
        }
        leading &= preamble;
        if let Some(e) = expr.filter(|e| e.kind_str() == "assignment")
            && let (Some(left), Some(right)) = (e.field("left"), e.field("right"))
            && left.kind_str() == "identifier"
        {
            let name = src[left.byte_range()].to_owned();
            locals.retain(|(l, _)| *l != name);
            if let Some(key) = reader.key_taken(right) {
                locals.push((name, key));
            }
            continue;
        }
        if stmt.kind_str() != "if_statement" {
            continue;
        }
        let raises = stmt.field("consequence").is_some_and(|b| {
            named_children(b)
                .iter()
                .any(|s| s.kind_str() == "raise_statement")
        });
        if let Some(cond) = stmt.field("condition")
            && raises
        {
            reader.condition(cond, &locals, &mut out);
        }
    }
    if out.any_keyword {
        out.keywords_read = reader.keys_read(body);
    }
    out
}

/// Reads conditions over a body's `*args` and `**kwargs`.
struct Reader<'s> {
    args: Option<&'s str>,
    kwargs: Option<&'s str>,
    src: &'s str,
}

impl Reader<'_> {
    fn is(&self, node: Node<'_>, name: Option<&str>) -> bool {
        node.kind_str() == "identifier" && Some(&self.src[node.byte_range()]) == name
    }

    /// `kw.pop("x", ...)` or `kw.get("x", ...)`: the key.
    fn key_taken(&self, node: Node<'_>) -> Option<String> {
        let node = strip_parens(node);
        let function = (node.kind_str() == "call")
            .then(|| node.field("function"))
            .flatten()
            .filter(|f| f.kind_str() == "attribute")?;
        let (object, method) = (function.field("object")?, function.field("attribute")?);
        if !self.is(object, self.kwargs) || !matches!(&self.src[method.byte_range()], "pop" | "get")
        {
            return None;
        }
        let first = node
            .field("arguments")
            .and_then(|a| named_children(a).into_iter().next())?;
        string_value(first, self.src)
    }

    /// `len(x)` read as `x`: both are true when `x` holds anything.
    fn sized<'t>(&self, n: Node<'t>) -> Node<'t> {
        let n = strip_parens(n);
        let arg = (n.kind_str() == "call"
            && n.field("function")
                .is_some_and(|f| &self.src[f.byte_range()] == "len"))
        .then(|| {
            n.field("arguments")
                .and_then(|a| named_children(a).into_iter().next())
        })
        .flatten();
        arg.unwrap_or(n)
    }

    /// What a condition whose block raises refuses; `or` refuses what either side does.
    fn condition(&self, node: Node<'_>, locals: &[(String, String)], out: &mut Rejects) {
        let node = strip_parens(node);
        let local = |n: Node<'_>| {
            (n.kind_str() == "identifier")
                .then(|| {
                    locals
                        .iter()
                        .find(|(l, _)| *l == self.src[n.byte_range()])
                        .map(|(_, k)| k.clone())
                })
                .flatten()
        };
        // A value taken out of `**kwargs`, tested for truth or against a sentinel.
        let value_key = |n: Node<'_>| self.key_taken(n).or_else(|| local(strip_parens(n)));
        match node.kind_str() {
            "boolean_operator" => {
                let op = node.field("operator");
                if op.is_some_and(|o| &self.src[o.byte_range()] == "or") {
                    for side in ["left", "right"] {
                        if let Some(s) = node.field(side) {
                            self.condition(s, locals, out);
                        }
                    }
                }
            }
            "comparison_operator" => {
                let operands = named_children(node);
                let mut cursor = node.walk();
                let ops: Vec<&str> = node
                    .children_by_field_name("operators", &mut cursor)
                    .map(|o| &self.src[o.byte_range()])
                    .collect();
                let ([left, right], [op]) = (operands.as_slice(), ops.as_slice()) else {
                    return;
                };
                match *op {
                    "in" if self.is(*right, self.kwargs) => {
                        if let Some(k) = string_value(*left, self.src) {
                            out.keywords.push(k);
                        }
                    }
                    "is not" | "!=" => {
                        if let Some(k) = value_key(*left) {
                            out.keywords.push(k);
                        }
                    }
                    // `len(kwargs) > 0`
                    ">" if self.src[right.byte_range()].trim() == "0" => {
                        self.condition(*left, locals, out)
                    }
                    _ => {}
                }
            }
            _ => {
                let n = self.sized(node);
                if self.is(n, self.kwargs) {
                    out.any_keyword = true;
                } else if self.is(n, self.args) {
                    out.any_positional = true;
                } else if let Some(k) = value_key(node) {
                    out.keywords.push(k);
                }
            }
        }
    }

    /// Every key the body takes out of `**kwargs` or tests for, anywhere in it.
    fn keys_read(&self, body: Node<'_>) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![body];
        while let Some(n) = stack.pop() {
            let key = match n.kind_str() {
                "call" => self.key_taken(n),
                "subscript" => n
                    .field("value")
                    .filter(|v| self.is(*v, self.kwargs))
                    .and_then(|_| n.field("subscript"))
                    .and_then(|k| string_value(k, self.src)),
                "comparison_operator" => match named_children(n).as_slice() {
                    [left, right] if self.is(*right, self.kwargs) => string_value(*left, self.src),
                    _ => None,
                },
                _ => None,
            };
            out.extend(key);
            stack.extend(named_children(n));
        }
        out.sort();
        out.dedup();
        out
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
    // Most bodies have none; a substring test spares the walk. A skimmed generator's body is
    // a `yield` placeholder over the original's first five bytes (`super::skim`).
    if body.byte_range().len() != 5 && !src[body.byte_range()].contains("yield") {
        return false;
    }
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        for child in children(node) {
            match child.kind_str() {
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
        if stmt.kind_str() != "expression_statement" {
            break;
        }
        let Some(expr) = named_children(stmt).into_iter().next() else {
            continue;
        };
        match expr.kind_str() {
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
            .field("arguments")
            .map(named_children)
            .unwrap_or_default();
        let keyword = args.iter().find_map(|a| {
            (a.kind_str() == "keyword_argument"
                && a.field("name")
                    .is_some_and(|n| &src[n.byte_range()] == "category"))
            .then(|| a.field("value"))
            .flatten()
        });
        let positional = args
            .iter()
            .filter(|a| a.kind_str() != "keyword_argument")
            .nth(1)
            .copied();
        if let Some(category) = keyword.or(positional) {
            out.push(expr_text(category, src));
        }
    }
    out
}

/// The names a module `def __getattr__(name)` compares its parameter with.
pub(crate) fn getattr_shim(node: Node<'_>, src: &str) -> Option<RawShim> {
    let params = node.field("parameters")?;
    let first = named_children(params).into_iter().next()?;
    let param = match first.kind_str() {
        "identifier" => &src[first.byte_range()],
        "typed_parameter" => named_children(first)
            .into_iter()
            .next()
            .map(|n| &src[n.byte_range()])?,
        _ => return None,
    };
    let body = node.field("body")?;
    let mut shim = RawShim {
        names: Vec::new(),
        refs: Vec::new(),
        warns: false,
        line: line_of(node),
        forward: None,
    };
    let is_param = |n: Node<'_>| n.kind_str() == "identifier" && &src[n.byte_range()] == param;
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        match n.kind_str() {
            "comparison_operator" => {
                let kids = children(n);
                for w in kids.windows(3) {
                    let (l, op, r) = (w[0], &src[w[1].byte_range()], w[2]);
                    // `!=` and `not in` name the served names too: `if name != "utc":
                    // raise AttributeError(...)` serves `utc` (Django's timezone shim).
                    let op = op.split_whitespace().collect::<Vec<_>>().join(" ");
                    match op.as_str() {
                        "==" | "!=" if is_param(l) => shim.names.extend(string_value(r, src)),
                        "==" | "!=" if is_param(r) => shim.names.extend(string_value(l, src)),
                        "in" | "not in" if is_param(l) => {
                            let r = strip_keys_call(strip_parens(r), src);
                            if let Some(strings) = string_collection(r, src) {
                                shim.names.extend(strings);
                            } else if r.kind_str() == "identifier" {
                                shim.refs.push(src[r.byte_range()].to_owned());
                            }
                        }
                        _ => {}
                    }
                }
            }
            "match_statement" => {
                let subject = n.field("subject");
                if subject.is_some_and(is_param) {
                    for s in descendants_of_kind(n, "case_pattern") {
                        for leaf in descendants_of_kind(s, "string") {
                            shim.names.extend(string_value(leaf, src));
                        }
                    }
                }
            }
            // A lookup in a module-level table keyed by the parameter (`_LAZY.get(name)`,
            // `_LAZY[name]`) serves the table's keys, as `name in _LAZY` does (pydantic 2.0).
            "call" | "subscript" if table_lookup(n, src, is_param).is_some() => {
                if let Some(table) = table_lookup(n, src, is_param) {
                    shim.refs.push(table.to_owned());
                }
            }
            "call" => {
                let head = last_component(&src[callee(n).byte_range()]).to_ascii_lowercase();
                if head.contains("warn") || head.contains("deprecat") {
                    shim.warns = true;
                }
                if shim.forward.is_none()
                    && &src[callee(n).byte_range()] == "getattr"
                    && !guarded(n, body, is_param)
                {
                    shim.forward = forward_of(n, src, is_param);
                }
            }
            _ => {}
        }
        stack.extend(children(n));
    }
    Some(shim)
}

/// `X` of `X.get(param)` or `X[param]`, when `X` is a plain name.
fn table_lookup<'s>(
    node: Node<'_>,
    src: &'s str,
    is_param: impl Fn(Node<'_>) -> bool,
) -> Option<&'s str> {
    let (table, key) = match node.kind_str() {
        "subscript" => (node.field("value")?, node.field("subscript")?),
        _ => {
            let f = node.field("function")?;
            let get = f.kind_str() == "attribute"
                && f.field("attribute")
                    .is_some_and(|a| &src[a.byte_range()] == "get");
            let args = named_children(node.field("arguments")?);
            if !get {
                return None;
            }
            (f.field("object")?, *args.first()?)
        }
    };
    (table.kind_str() == "identifier" && is_param(key)).then(|| &src[table.byte_range()])
}

/// Whether `node` only runs for some names: under an `if`, `elif`, `while`, `case` or
/// conditional expression that tests the parameter (`if name in _MOVED: return getattr(...)`).
/// Such a `getattr` serves the names the test lets through, not every name of its module.
fn guarded(node: Node<'_>, body: Node<'_>, is_param: impl Fn(Node<'_>) -> bool) -> bool {
    let mentions_param = |n: Node<'_>| {
        descendants_of_kind(n, "identifier")
            .into_iter()
            .any(&is_param)
    };
    let mut current = node;
    while let Some(parent) = current.parent() {
        if parent.id() == body.id() {
            break;
        }
        let test = match parent.kind_str() {
            "if_statement" | "elif_clause" | "while_statement" => parent.field("condition"),
            "match_statement" => parent.field("subject"),
            "conditional_expression" | "boolean_operator" => Some(parent),
            _ => None,
        };
        if test.is_some_and(|t| t.id() != current.id() && mentions_param(t)) {
            return true;
        }
        current = parent;
    }
    false
}

/// The object of `getattr(X, name)` (or `getattr(X, name, default)`) when `name` is the
/// parameter: a module the function forwards every attribute to (issue 8).
fn forward_of(
    call: Node<'_>,
    src: &str,
    is_param: impl Fn(Node<'_>) -> bool,
) -> Option<RawForward> {
    let args = named_children(call.field("arguments")?);
    let [object, name, ..] = args.as_slice() else {
        return None;
    };
    if !is_param(*name) {
        return None;
    }
    let object = strip_parens(*object);
    if object.kind_str() == "call"
        && last_component(&src[callee(object).byte_range()]) == "import_module"
    {
        let first = named_children(object.field("arguments")?)
            .into_iter()
            .next()?;
        return string_value(first, src).map(RawForward::ImportModule);
    }
    dotted(object, src).map(RawForward::Path)
}

/// `X.keys()` -> `X`.
fn strip_keys_call<'t>(node: Node<'t>, src: &str) -> Node<'t> {
    if node.kind_str() == "call"
        && let Some(f) = node.field("function")
        && f.kind_str() == "attribute"
        && f.field("attribute")
            .is_some_and(|a| &src[a.byte_range()] == "keys")
        && let Some(object) = f.field("object")
    {
        return object;
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::extract::Shim;
    use crate::api::testutil::{facts, function_of, p};
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
                ..Signature::default()
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
        let doc = "def f():\n    # note\n    \"\"\"Old.\n\n    .. deprecated:: 2.1\n       Use g.\n    \"\"\"\ndef g():\n    x = 1\n    \"\"\".. deprecated:: 2.1\"\"\"\n";
        assert!(function_of(doc, "f").deprecation.docstring);
        assert!(!function_of(doc, "g").deprecation.docstring);
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
                forward: None,
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

    fn rejects_of(src: &str) -> Rejects {
        function_of(src, "f").function.signature.rejects
    }

    /// pydantic 2.0's `Field`: popped keys that raise are refused, popped keys that warn are
    /// not (the skim keeps the body: it says `raise` in a `def` with `**extra`).
    #[test]
    fn rejects_keywords_popped_then_raised_on() {
        let src = "class C:\n    pass\n\ndef f(default=None, **extra):\n    '''Doc.'''\n    const = extra.pop('const', None)\n    if const is not None:\n        raise TypeError('gone')\n    regex = extra.pop('regex', None)\n    if regex is not None:\n        raise TypeError('gone')\n    min_items = extra.pop('min_items', None)\n    if min_items is not None:\n        pass\n    if extra.get('x') or 'y' in extra:\n        raise TypeError('gone')\n    return default\n";
        let r = rejects_of(src);
        assert_eq!(r.keywords, ["const", "regex", "x", "y"]);
        assert!(!r.always && !r.any_keyword && !r.any_positional);
        assert!(r.keyword("const") && !r.keyword("min_items"));
    }

    #[test]
    fn rejects_any_keyword_but_those_read_first() {
        let r = rejects_of(
            "def f(a, *args, **kw):\n    strict = kw.pop('strict', False)\n    if len(kw) > 0:\n        raise TypeError(kw)\n    if args:\n        raise TypeError(args)\n",
        );
        assert!(r.any_keyword && r.any_positional);
        assert_eq!(r.keywords_read, ["strict"]);
        assert!(!r.keyword("strict") && r.keyword("other") && r.positional());
    }

    /// SQLAlchemy 2.0's `Variant.__init__(self, *arg, **kw): raise NotImplementedError(...)`.
    #[test]
    fn rejects_every_call_when_the_body_starts_by_raising() {
        let r = rejects_of(
            "def f(*arg, **kw):\n    '''Gone.'''\n    warnings.warn('x', DeprecationWarning)\n    raise NotImplementedError('gone')\n",
        );
        assert!(r.always && r.keyword("anything") && r.positional());
    }

    /// Near-misses: what the reader cannot tell refuses nothing.
    #[test]
    fn rejects_nothing_it_cannot_read() {
        for src in [
            // No `*args`/`**kwargs`: the body is not read.
            "def f(a, b=None):\n    raise TypeError('gone')\n",
            // Raised under a further condition, or not raised at all.
            "def f(**kw):\n    if 'x' in kw:\n        if strict:\n            raise TypeError\n",
            "def f(**kw):\n    if kw:\n        warnings.warn('x')\n",
            // Negated, conjoined, or the key required rather than refused.
            "def f(**kw):\n    if 'x' not in kw:\n        raise TypeError\n",
            "def f(**kw):\n    if not kw.get('x'):\n        raise TypeError\n",
            "def f(**kw):\n    if 'x' in kw and strict:\n        raise TypeError\n",
            "def f(**kw):\n    if kw.pop('x', None) is None:\n        raise TypeError\n",
            // A raise after other statements does not raise on every call.
            "def f(*a, **kw):\n    x = g(*a, **kw)\n    raise ValueError(x)\n",
            // Another mapping than `**kw`.
            "def f(**kw):\n    if 'x' in other:\n        raise TypeError\n",
        ] {
            assert!(rejects_of(src).is_empty(), "{src}");
        }
    }
}
