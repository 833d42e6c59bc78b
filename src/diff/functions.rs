//! Functions, methods and constructors: how their call signatures changed.
//!
//! Signatures are compared as callers see them: the bound signature, without the `self`/`cls`
//! an instance method or classmethod receives implicitly. Parameters are matched by name (the
//! way keyword calls reach them), then leftover ones by position and kind (a rename), and each
//! matched pair is compared for kind, default and annotation. Positional calls are checked as
//! a sequence: a parameter removed, inserted or moved shifts every later positional argument.
//!
//! Two conventions decide what is not reported. A parameter whose name starts with `_` and
//! that has a default is private by convention (API-RULES.md: "private (`_name`) anything"):
//! callers never pass it, so removing, renaming or retyping it, or changing its default, is
//! nothing; making it required, or inserting it before a public positional parameter, still is.
//! And a parameter removed while `*args`/`**kwargs` still take every call that passed it is
//! reported as `parameter-absorbed-by-variadic`, not as a removal, unless the new body is seen
//! raising on such calls ([`Rejects`]: pydantic 2.0's `Field(const=...)`).
//!
//! A keyword-only parameter is known by its name only: a new one in the place of an old one is
//! a rename only when default and annotation agree (`*, verify: bool = True` ->
//! `*, check: bool = True`); otherwise one went and another came (Django 5.0's
//! `ExclusionConstraint(opclasses=())` -> `violation_error_code=None`).

use crate::api::text::last_component;
use crate::api::{Binding, Function, Item, Location, Param, ParamKind, Rejects, Signature};
use crate::version::Bump;

use super::catalog::ChangeKind;
use super::change::Change;
use super::normalize;
use super::{Scope, list};

/// What a signature belongs to, for messages and locations.
pub(crate) struct Subject<'a> {
    /// Where changes are reported.
    pub path: &'a str,
    /// How messages name the callable: `` `mypkg.f` `` or ``the constructor of `mypkg.P` ``.
    pub display: Named<'a>,
    /// `parameter`, or `field` for dataclass-like constructors.
    pub noun: &'static str,
    pub location: &'a Location,
    /// The callable's old and new shape, rendered as one line of Python each for the first
    /// change: most comparisons find none.
    pub shapes: Shapes<'a>,
    pub rendered: std::cell::OnceCell<(String, String)>,
    /// What the old and the new body refuse of the calls their `*args`/`**kwargs` accept.
    pub rejects: (&'a Rejects, &'a Rejects),
}

/// A callable as messages name it: `prefix` then the path in backquotes. Written only into the
/// message of a change, which most comparisons do not find.
pub(crate) struct Named<'a> {
    pub prefix: &'static str,
    pub path: &'a str,
}

impl std::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}`{}`", self.prefix, self.path)
    }
}

/// What [`Subject`] renders its before and after from.
pub(crate) enum Shapes<'a> {
    /// A function or method: its items.
    Items(&'a Item, &'a Item),
    /// A class's constructor: the class's name with each signature.
    Constructor((&'a str, &'a Signature), (&'a str, &'a Signature)),
}

impl Subject<'_> {
    fn change(&self, kind: ChangeKind, message: String) -> Change {
        let (before, after) = self.rendered.get_or_init(|| match &self.shapes {
            Shapes::Items(old, new) => (old.render(), new.render()),
            Shapes::Constructor((old_name, old), (new_name, new)) => (
                format!("{old_name}{}", old.render()),
                format!("{new_name}{}", new.render()),
            ),
        });
        Change::new(kind, self.path, message, self.location).with_shapes(before, after)
    }

    /// The new body raises on `name=` passed to `**kwargs`, where the old one took calls.
    fn refuses_keyword(&self, name: &str) -> bool {
        !self.rejects.0.always && self.rejects.1.keyword(name)
    }

    /// The new body raises on arguments passed to `*args`, where the old one took calls.
    fn refuses_positional(&self) -> bool {
        !self.rejects.0.always && self.rejects.1.positional()
    }
}

/// Decorated with `contextlib.contextmanager` or `asynccontextmanager`.
fn is_context_manager(f: &Function) -> bool {
    f.decorators.iter().any(|d| {
        let callee = d.split('(').next().unwrap_or(d);
        matches!(
            last_component(callee),
            "contextmanager" | "asynccontextmanager"
        )
    })
}

/// Whether calling it returns an awaitable: an `async def`, unless `@asynccontextmanager`
/// makes it return an async context manager.
fn awaitable(f: &Function) -> bool {
    f.is_async
        && !f.decorators.iter().any(|d| {
            let callee = d.split('(').next().unwrap_or(d);
            last_component(callee) == "asynccontextmanager"
        })
}

/// Whether two signatures are the same after canonicalizing their source text.
pub(crate) fn same_signature(a: &Signature, b: &Signature) -> bool {
    a.params.len() == b.params.len()
        && a.params.iter().zip(&b.params).all(|(p, q)| {
            p.name == q.name
                && p.kind == q.kind
                && normalize::same(p.default.as_deref(), q.default.as_deref())
                && normalize::same_annotation(p.annotation.as_deref(), q.annotation.as_deref())
        })
        && normalize::same_annotation(a.returns.as_deref(), b.returns.as_deref())
}

/// The parameters a caller passes: without the implicit first one of an instance method or
/// classmethod. A method whose first parameter is `*args` receives `self` in it: nothing to drop.
pub(crate) fn bound_params(params: &[Param], binding: Binding, scope: Scope) -> &[Param] {
    let drops_first = scope == Scope::Class
        && matches!(
            binding,
            Binding::Plain | Binding::ClassMethod | Binding::Property
        );
    match params.first() {
        Some(p)
            if drops_first
                && matches!(
                    p.kind,
                    ParamKind::PositionalOnly | ParamKind::PositionalOrKeyword
                ) =>
        {
            &params[1..]
        }
        _ => params,
    }
}

/// Compares a function or method with its new self.
pub(crate) fn compare_functions(
    path: &str,
    old_item: &Item,
    new_item: &Item,
    old: &Function,
    new: &Function,
    scope: Scope,
    out: &mut Vec<Change>,
) {
    let subject = Subject {
        path,
        display: Named { prefix: "", path },
        noun: "parameter",
        location: &new_item.location,
        shapes: Shapes::Items(old_item, new_item),
        rendered: std::cell::OnceCell::new(),
        rejects: (&old.signature.rejects, &new.signature.rejects),
    };
    if scope == Scope::Class {
        use Binding::*;
        match (old.binding, new.binding) {
            (Property, Property) => {
                if old.settable && !new.settable {
                    out.push(subject.change(
                        ChangeKind::KindChanged,
                        format!("property `{path}` lost its setter; assigning to it fails"),
                    ));
                }
                if !normalize::same_annotation(
                    old.signature.returns.as_deref(),
                    new.signature.returns.as_deref(),
                ) {
                    out.push(subject.change(
                        ChangeKind::AnnotationChanged,
                        format!(
                            "the type of property `{path}` changed from {} to {}",
                            normalize::show(old.signature.returns.as_deref()),
                            normalize::show(new.signature.returns.as_deref())
                        ),
                    ));
                }
                return;
            }
            (Property, _) | (_, Property) => {
                let (was, now) = if old.binding == Property {
                    ("a property", "a method")
                } else {
                    ("a method", "a property")
                };
                out.push(subject.change(
                    ChangeKind::KindChanged,
                    format!("`{path}` changed from {was} to {now}; the call form differs"),
                ));
                return;
            }
            // A factory's function: how it binds is not known (pyparsing's synonyms of
            // staticmethods, called through the class as before).
            _ if old.opaque || new.opaque => {}
            (Plain, StaticMethod | ClassMethod) => out.push(subject.change(
                ChangeKind::MethodBecameStatic,
                format!(
                    "`{path}` is now a {}; calls through instances still work",
                    binding_word(new.binding)
                ),
            )),
            (StaticMethod | ClassMethod, Plain) => out.push(subject.change(
                ChangeKind::MethodBecameInstance,
                format!(
                    "`{path}` is now an instance method (was a {}); calls through the class fail",
                    binding_word(old.binding)
                ),
            )),
            _ => {}
        }
    }
    // A function a factory made: its parameters, asyncness and result are unknown.
    if old.opaque || new.opaque {
        return;
    }
    if awaitable(old) != awaitable(new) {
        let now = if awaitable(new) {
            "is now `async`: callers must `await` it"
        } else {
            "is no longer `async`: awaiting its result fails"
        };
        out.push(subject.change(ChangeKind::AsyncChanged, format!("`{path}` {now}")));
    } else if is_context_manager(old) && is_context_manager(new) && old.is_async != new.is_async {
        let now = if new.is_async {
            "is now an async context manager: callers must use `async with`"
        } else {
            "is no longer an async context manager: `async with` fails"
        };
        out.push(subject.change(ChangeKind::AsyncChanged, format!("`{path}` {now}")));
    }
    // `@contextmanager` turns a generator function into one that returns a context manager:
    // what a call returns, and so how callers use it, is what counts.
    if is_context_manager(old) != is_context_manager(new) {
        // A plain function may have returned a context manager already (SQLAlchemy 2.0's
        // `AsyncEngine.begin`), or may still: only a generator's change of use is known.
        let plain = if is_context_manager(new) { old } else { new };
        if plain.is_generator {
            let now = if is_context_manager(new) {
                "is now a context manager: callers must use it in a `with` block"
            } else {
                "is no longer a context manager: `with` blocks around it fail"
            };
            out.push(subject.change(ChangeKind::GeneratorChanged, format!("`{path}` {now}")));
        }
    } else if old.is_generator != new.is_generator {
        let now = if new.is_generator {
            "is now a generator: it returns an iterator instead of running"
        } else {
            "is no longer a generator"
        };
        out.push(subject.change(ChangeKind::GeneratorChanged, format!("`{path}` {now}")));
    }
    let old_params = bound_params(&old.signature.params, old.binding, scope);
    let new_params = bound_params(&new.signature.params, new.binding, scope);
    compare_signatures(
        &subject,
        old_params,
        new_params,
        (
            old.signature.returns.as_deref(),
            new.signature.returns.as_deref(),
        ),
        out,
    );
    compare_overloads(&subject, old, new, scope, out);
}

fn binding_word(b: Binding) -> &'static str {
    match b {
        Binding::StaticMethod => "staticmethod",
        Binding::ClassMethod => "classmethod",
        Binding::Property => "property",
        Binding::Plain => "instance method",
    }
}

/// `@overload` variants, compared as sets of canonical bound signatures (annotations compared
/// as types, so `Optional[X]` and `X | None` are one variant). When as many variants remain on
/// each side, one whose parameters kept their names, kinds and defaults but whose annotations
/// changed is paired with its old self (an annotation change), not reported as one variant
/// removed and another added.
fn compare_overloads(
    subject: &Subject<'_>,
    old: &Function,
    new: &Function,
    scope: Scope,
    out: &mut Vec<Change>,
) {
    struct Variant {
        key: String,
        shape: String,
        shown: String,
        params: Vec<Param>,
        returns: Option<String>,
    }
    let variants = |f: &Function| -> Vec<Variant> {
        f.overloads
            .iter()
            .map(|s| {
                let params = bound_params(&s.params, f.binding, scope);
                let shape: Vec<String> = params
                    .iter()
                    .map(|p| format!("{:?}:{}:{}", p.kind, p.name, p.default.is_some()))
                    .collect();
                let typed: Vec<String> = params
                    .iter()
                    .map(|p| {
                        format!(
                            "{:?}:{}={}:{}",
                            p.kind,
                            p.name,
                            p.default
                                .as_deref()
                                .map(normalize::expr)
                                .unwrap_or_default(),
                            p.annotation
                                .as_deref()
                                .map(normalize::annotation)
                                .unwrap_or_default()
                        )
                    })
                    .collect();
                let returns = s
                    .returns
                    .as_deref()
                    .map(normalize::annotation)
                    .unwrap_or_default();
                let shown = Signature {
                    params: params.to_vec(),
                    returns: s.returns.clone(),
                    ..Signature::default()
                }
                .render();
                Variant {
                    key: format!("({})->{returns}", typed.join(",")),
                    shape: shape.join(","),
                    shown,
                    params: params.to_vec(),
                    returns: s.returns.clone(),
                }
            })
            .collect()
    };
    let (old_set, new_set) = (variants(old), variants(new));
    let path = subject.path;
    if new_set.is_empty() && !old_set.is_empty() {
        // Overloads only exist for type checkers, and an implementation must accept every
        // variant: calls that type-checked against a variant still type-check against it. What
        // is lost is the precise return type per variant: an annotation change.
        out.push(subject.change(
            ChangeKind::AnnotationChanged,
            format!(
                "the `@overload` variants of `{path}` were removed; calls now check against its implementation signature"
            ),
        ));
        return;
    }
    // Exact matches first, then variants of the same shape in source order.
    let mut old_left: Vec<&Variant> = old_set
        .iter()
        .filter(|o| !new_set.iter().any(|n| n.key == o.key))
        .collect();
    let mut new_left: Vec<&Variant> = new_set
        .iter()
        .filter(|n| !old_set.iter().any(|o| o.key == n.key))
        .collect();
    // Only when as many variants remain on each side: a variant edited in place is an
    // annotation change, while fewer variants means one is really gone.
    let mut respelled = false;
    let paired = old_left.len() == new_left.len();
    old_left.retain(
        |o| match new_left.iter().position(|n| paired && n.shape == o.shape) {
            Some(i) => {
                new_left.remove(i);
                respelled = true;
                false
            }
            None => true,
        },
    );
    // A variant that evolved compatibly (rich 13.9 added an optional `case_sensitive` to every
    // `Prompt.ask` variant): every call it accepted is still accepted, so nothing is gone. The
    // implementation's own comparison reports the new parameter.
    old_left.retain(|o| {
        let compatible = new_left.iter().position(|n| {
            let mut found = Vec::new();
            compare_signatures(
                subject,
                &o.params,
                &n.params,
                (o.returns.as_deref(), n.returns.as_deref()),
                &mut found,
            );
            found.iter().all(|c| c.kind.bump() < Bump::Major)
        });
        match compatible {
            Some(i) => {
                new_left.remove(i);
                false
            }
            None => true,
        }
    });
    if respelled {
        out.push(subject.change(
            ChangeKind::AnnotationChanged,
            format!("annotations of the `@overload` variants of `{path}` changed"),
        ));
    }
    for o in old_left {
        out.push(subject.change(
            ChangeKind::OverloadRemoved,
            format!(
                "the `@overload` variant `{}` of `{path}` was removed",
                o.shown
            ),
        ));
    }
    for n in new_left {
        out.push(subject.change(
            ChangeKind::OverloadAdded,
            format!("`{path}` has a new `@overload` variant `{}`", n.shown),
        ));
    }
}

/// A parameter list split the way Python binds arguments.
struct Shape<'a> {
    /// Positional-only and positional-or-keyword parameters, in order.
    positional: Vec<&'a Param>,
    var_positional: Option<&'a Param>,
    keyword_only: Vec<&'a Param>,
    var_keyword: Option<&'a Param>,
}

impl<'a> Shape<'a> {
    fn of(params: &'a [Param]) -> Shape<'a> {
        let mut s = Shape {
            positional: Vec::new(),
            var_positional: None,
            keyword_only: Vec::new(),
            var_keyword: None,
        };
        for p in params {
            match p.kind {
                ParamKind::PositionalOnly | ParamKind::PositionalOrKeyword => s.positional.push(p),
                ParamKind::VarPositional => s.var_positional = Some(p),
                ParamKind::KeywordOnly => s.keyword_only.push(p),
                ParamKind::VarKeyword => s.var_keyword = Some(p),
            }
        }
        s
    }

    /// The named parameters: positional ones first (index = position), then keyword-only.
    fn named(&self) -> Vec<&'a Param> {
        self.positional
            .iter()
            .chain(&self.keyword_only)
            .copied()
            .collect()
    }
}

/// Private by convention and never required: callers do not pass it.
fn is_private_optional(p: &Param) -> bool {
    p.name.starts_with('_') && p.default.is_some()
}

/// Compares two bound parameter lists and return annotations.
pub(crate) fn compare_signatures(
    subject: &Subject<'_>,
    old_params: &[Param],
    new_params: &[Param],
    returns: (Option<&str>, Option<&str>),
    out: &mut Vec<Change>,
) {
    use ParamKind::*;
    let o = Shape::of(old_params);
    let n = Shape::of(new_params);
    let old_named = o.named();
    let new_named = n.named();
    let mut old_to_new: Vec<Option<usize>> = vec![None; old_named.len()];
    let mut new_to_old: Vec<Option<usize>> = vec![None; new_named.len()];

    // 1. By name: how keyword calls reach a parameter, and how authors keep identity.
    for (i, p) in old_named.iter().enumerate() {
        if let Some(j) = new_named
            .iter()
            .enumerate()
            .position(|(j, q)| q.name == p.name && new_to_old[j].is_none())
        {
            old_to_new[i] = Some(j);
            new_to_old[j] = Some(i);
        }
    }
    // 2. Leftovers in the same positional slot with the same kind: a rename. Privacy must agree,
    //    or a public parameter taking a private one's slot would hide an addition; a
    //    positional-only name is never seen by callers (PEP 484's `__x` becoming `x, /`).
    //    A parameter renamed as it became positional-only (or stopped being so) keeps its slot
    //    too: positional calls reach it as before, so it is one change, not a removal and an
    //    addition (issue 8: marshmallow's `loads(self, data, *, many)` -> `(self, s, /, *, many)`).
    for i in 0..o.positional.len().min(n.positional.len()) {
        let (p, q) = (o.positional[i], n.positional[i]);
        if old_to_new[i].is_none()
            && new_to_old[i].is_none()
            && ((p.kind == q.kind && p.name.starts_with('_') == q.name.starts_with('_'))
                || p.kind == PositionalOnly
                || q.kind == PositionalOnly)
        {
            old_to_new[i] = Some(i);
            new_to_old[i] = Some(i);
        }
    }
    // 3. Keyword-only leftovers, when as many went as came: renames, in order.
    let old_kw_left: Vec<usize> = (o.positional.len()..old_named.len())
        .filter(|i| old_to_new[*i].is_none())
        .collect();
    let new_kw_left: Vec<usize> = (n.positional.len()..new_named.len())
        .filter(|j| new_to_old[*j].is_none())
        .collect();
    //    A keyword-only parameter has no slot to keep: only the same default and annotation
    //    say that the new one is the old one renamed.
    if !old_kw_left.is_empty() && old_kw_left.len() == new_kw_left.len() {
        for (i, j) in old_kw_left.into_iter().zip(new_kw_left) {
            let (p, q) = (old_named[i], new_named[j]);
            if p.name.starts_with('_') == q.name.starts_with('_')
                && p.default.is_some() == q.default.is_some()
                && normalize::same(p.default.as_deref(), q.default.as_deref())
                && normalize::same_annotation(p.annotation.as_deref(), q.annotation.as_deref())
            {
                old_to_new[i] = Some(j);
                new_to_old[j] = Some(i);
            }
        }
    }

    // Old positional parameters still positional: their new slots, in old order.
    let survivors: Vec<(usize, usize)> = (0..o.positional.len())
        .filter_map(|i| {
            old_to_new[i]
                .filter(|j| *j < n.positional.len())
                .map(|j| (i, j))
        })
        .collect();
    // A new positional slot at `j` takes arguments that used to go elsewhere when an old
    // positional parameter now sits after it, or when `*args` used to take them.
    // A private optional parameter after it is no one's positional argument (rich 13.9's
    // dataclass field `highlight` inserted before `_index: int = 0`).
    let shifts_calls = |j: usize| {
        survivors
            .iter()
            .any(|(_, k)| *k > j && !is_private_optional(n.positional[*k]))
            || (o.var_positional.is_some() && n.var_positional.is_some())
    };
    let what = &subject.display;
    let noun = subject.noun;
    let mut annotations: Vec<String> = Vec::new();

    for (i, p) in old_named.iter().enumerate() {
        let Some(j) = old_to_new[i] else {
            removed(subject, p, i, &o, &n, out);
            continue;
        };
        let q = new_named[j];
        let private = is_private_optional(p);
        let name = &p.name;
        match (p.kind, q.kind) {
            (a, b) if a == b && p.name != q.name && !private => {
                let (kind, how) = if a == PositionalOnly {
                    (ChangeKind::PositionalOnlyRenamed, "positional-only ")
                } else {
                    (ChangeKind::ParameterRenamed, "")
                };
                out.push(subject.change(
                    kind,
                    format!(
                        "{how}{noun} `{name}` of {what} was renamed to `{}`",
                        q.name
                    ),
                ));
            }
            // A new `*args` where it stood still takes it by position (Django 5.0's
            // `BaseConstraint(*args, name=None, ...)`, which maps `args` back with a warning).
            (PositionalOrKeyword | PositionalOnly, KeywordOnly)
                if o.var_positional.is_none()
                    && n.var_positional.is_some()
                    && n.positional.len() <= i
                    && !subject.refuses_positional() =>
            {
                let args = n.var_positional.map_or("args", |v| v.name.as_str());
                out.push(subject.change(
                    ChangeKind::ParameterAbsorbedByVariadic,
                    format!(
                        "{noun} `{name}` of {what} is now keyword-only; positional calls still bind to `*{args}`, check that they are still honoured"
                    ),
                ))
            }
            (PositionalOrKeyword | PositionalOnly, KeywordOnly) => out.push(subject.change(
                ChangeKind::ParameterBecameKeywordOnly,
                format!("{noun} `{name}` of {what} is now keyword-only"),
            )),
            (KeywordOnly, PositionalOrKeyword) => {
                if shifts_calls(j) {
                    out.push(subject.change(
                        ChangeKind::ParameterInserted,
                        format!(
                            "keyword-only {noun} `{name}` of {what} became positional {}, shifting positional arguments",
                            insertion_place(j, &survivors, &o)
                        ),
                    ));
                } else if !private {
                    out.push(subject.change(
                        ChangeKind::ParameterBecamePositional,
                        format!("{noun} `{name}` of {what} can now also be passed by position"),
                    ));
                }
            }
            (PositionalOrKeyword | KeywordOnly, PositionalOnly) if p.name == q.name => {
                out.push(subject.change(
                    ChangeKind::ParameterBecamePositionalOnly,
                    format!(
                        "{noun} `{name}` of {what} is now positional-only: it can no longer be passed by keyword"
                    ),
                ))
            }
            (PositionalOrKeyword | KeywordOnly, PositionalOnly) => out.push(subject.change(
                ChangeKind::ParameterBecamePositionalOnly,
                format!(
                    "{noun} `{name}` of {what} is now positional-only (renamed `{}`): calls passing `{name}=` by keyword fail; positional calls still work",
                    q.name
                ),
            )),
            (PositionalOnly, PositionalOrKeyword) if !private && p.name == q.name => {
                out.push(subject.change(
                    ChangeKind::ParameterNoLongerPositionalOnly,
                    format!("{noun} `{name}` of {what} can now also be passed by keyword"),
                ))
            }
            (PositionalOnly, PositionalOrKeyword) if !private => out.push(subject.change(
                ChangeKind::ParameterNoLongerPositionalOnly,
                format!(
                    "positional-only {noun} `{name}` of {what} can now also be passed by keyword, as `{}`",
                    q.name
                ),
            )),
            _ => {}
        }
        match (&p.default, &q.default) {
            (Some(_), None) => out.push(subject.change(
                ChangeKind::DefaultRemoved,
                format!("{noun} `{}` of {what} is now required", q.name),
            )),
            (None, Some(d)) => out.push(subject.change(
                ChangeKind::DefaultAdded,
                format!(
                    "{noun} `{}` of {what} is now optional (default `{}`)",
                    q.name,
                    normalize::one_line(d)
                ),
            )),
            (Some(a), Some(b)) if !private && !normalize::same(Some(a), Some(b)) => {
                out.push(subject.change(
                    ChangeKind::DefaultChanged,
                    format!(
                        "the default of {noun} `{}` of {what} changed from `{}` to `{}`",
                        q.name,
                        normalize::one_line(a),
                        normalize::one_line(b)
                    ),
                ))
            }
            _ => {}
        }
        if !private && !normalize::same_annotation(p.annotation.as_deref(), q.annotation.as_deref())
        {
            annotations.push(q.name.clone());
        }
    }

    for (j, q) in new_named.iter().enumerate() {
        if new_to_old[j].is_some() {
            continue;
        }
        let name = &q.name;
        if q.default.is_none() {
            out.push(subject.change(
                ChangeKind::ParameterAddedRequired,
                format!("{what} has a new required {noun} `{name}`"),
            ));
        } else if j < n.positional.len() && shifts_calls(j) {
            out.push(subject.change(
                ChangeKind::ParameterInserted,
                format!(
                    "{what} has a new {noun} `{name}` {}, shifting positional arguments",
                    insertion_place(j, &survivors, &o)
                ),
            ));
        } else if !q.name.starts_with('_') {
            let how = if j < n.positional.len() {
                "optional"
            } else {
                "optional keyword-only"
            };
            out.push(subject.change(
                ChangeKind::ParameterAddedOptional,
                format!("{what} has a new {how} {noun} `{name}`"),
            ));
        }
    }

    // Positional order among the parameters that stayed positional.
    let mut new_order: Vec<(usize, usize)> = survivors.clone();
    new_order.sort_by_key(|(_, j)| *j);
    if survivors
        .iter()
        .zip(&new_order)
        .any(|((a, _), (b, _))| a != b)
    {
        let names = |v: &[(usize, usize)], from_new: bool| -> String {
            v.iter()
                .map(|(i, j)| {
                    if from_new {
                        n.positional[*j].name.clone()
                    } else {
                        o.positional[*i].name.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(subject.change(
            ChangeKind::ParametersReordered,
            format!(
                "positional {noun}s of {what} changed order: ({}) -> ({})",
                names(&survivors, false),
                names(&new_order, true)
            ),
        ));
    }

    for (star, old_v, new_v) in [
        ("*", o.var_positional, n.var_positional),
        ("**", o.var_keyword, n.var_keyword),
    ] {
        match (old_v, new_v) {
            (Some(v), None) => out.push(subject.change(
                ChangeKind::VariadicRemoved,
                format!("{what} no longer accepts `{star}{}`", v.name),
            )),
            (None, Some(v)) => out.push(subject.change(
                ChangeKind::VariadicAdded,
                format!("{what} now accepts `{star}{}`", v.name),
            )),
            (Some(a), Some(b)) => {
                if !normalize::same_annotation(a.annotation.as_deref(), b.annotation.as_deref()) {
                    annotations.push(format!("{star}{}", b.name));
                }
            }
            (None, None) => {}
        }
    }
    if !normalize::same_annotation(returns.0, returns.1) {
        annotations.push("return".to_owned());
    }
    if !annotations.is_empty() {
        out.push(subject.change(
            ChangeKind::AnnotationChanged,
            format!("annotations of {what} changed: {}", list(&annotations)),
        ));
    }
}

/// Where a new positional slot sits, for messages: before the first old parameter after it, or
/// before `*args`.
fn insertion_place(j: usize, survivors: &[(usize, usize)], o: &Shape<'_>) -> String {
    survivors
        .iter()
        .filter(|(_, k)| *k > j)
        .min_by_key(|(_, k)| *k)
        .map(|(i, _)| format!("before `{}`", o.positional[*i].name))
        .unwrap_or_else(|| match o.var_positional {
            Some(v) => format!("where `*{}` took extra arguments", v.name),
            None => "before an existing one".to_owned(),
        })
}

/// A named parameter with no counterpart in the new signature.
fn removed(
    subject: &Subject<'_>,
    p: &Param,
    i: usize,
    o: &Shape<'_>,
    n: &Shape<'_>,
    out: &mut Vec<Change>,
) {
    if is_private_optional(p) {
        return;
    }
    let (name, noun, what) = (&p.name, subject.noun, &subject.display);
    let keyword_capable = p.kind != ParamKind::PositionalOnly;
    let positional = i < o.positional.len();
    // Would every call that passed it still bind? By keyword only if `**kwargs` takes it; by
    // position only if `*args` takes whatever now arrives in its slot and nothing positional
    // sits there.
    let by_keyword_bound = !keyword_capable || n.var_keyword.is_some();
    let by_position_bound = !positional || (n.var_positional.is_some() && n.positional.len() <= i);
    // ...and would the body take them, as far as we can see?
    let by_keyword_ok = by_keyword_bound && !(keyword_capable && subject.refuses_keyword(name));
    let by_position_ok = by_position_bound && !(positional && subject.refuses_positional());
    let star = |v: Option<&Param>, stars: &str| {
        v.map(|v| format!("`{stars}{}`", v.name))
            .unwrap_or_default()
    };
    let (args, kwargs) = (star(n.var_positional, "*"), star(n.var_keyword, "**"));
    if by_keyword_ok && by_position_ok {
        let into = match (positional, keyword_capable) {
            (true, true) => format!("{args} and {kwargs}"),
            (true, false) => args,
            _ => kwargs,
        };
        out.push(subject.change(
            ChangeKind::ParameterAbsorbedByVariadic,
            format!(
                "{noun} `{name}` of {what} was removed; calls that pass it still bind to {into}, check that it is still honoured"
            ),
        ));
        return;
    }
    let note = if keyword_capable && by_keyword_ok {
        format!("; keyword calls still bind to {kwargs}, positional ones fail")
    } else if by_keyword_bound && by_position_bound {
        let into = [args, kwargs]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" and ");
        if subject.rejects.1.always {
            format!("; calls that pass it reach {into}, but the body always raises")
        } else {
            format!("; calls that pass it reach {into}, where the body raises on it")
        }
    } else {
        String::new()
    };
    out.push(subject.change(
        ChangeKind::ParameterRemoved,
        format!("{noun} `{name}` of {what} was removed{note}"),
    ));
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::api::{Binding, Item, ItemKind, Rejects};

    #[test]
    fn identical_and_reformatted_signatures_report_nothing() {
        assert!(
            sig_kinds(
                "a, b: int = 1, *args, c, **kw -> int",
                "a, b: int = 1, *args, c, **kw -> int"
            )
            .is_empty()
        );
        assert!(
            sig_kinds(
                "a: Optional[ int ] = None, b: dict = {'x': 1,}",
                "a: Optional[int] = None, b: dict = {\"x\": 1}"
            )
            .is_empty()
        );
    }

    #[test]
    fn parameter_removed() {
        assert_eq!(sig_kinds("a, b", "a"), ["parameter-removed"]);
        assert_eq!(sig_kinds("a, *, timeout=5", "a"), ["parameter-removed"]);
        assert_eq!(sig_kinds("a, b, /", "a, /"), ["parameter-removed"]);
        let changes = diff_items(vec![func("f", "a, b")], vec![func("f", "a")]);
        assert_eq!(changes[0].message, "parameter `b` of `mypkg.f` was removed");
        assert_eq!(changes[0].before.as_deref(), Some("def f(a, b)"));
        assert_eq!(changes[0].after.as_deref(), Some("def f(a)"));
    }

    #[test]
    fn parameter_removed_while_kwargs_added_still_breaks_positional_calls() {
        assert_eq!(
            sig_kinds("a, timeout=5", "a, **kwargs"),
            ["parameter-removed", "variadic-added"]
        );
        let changes = diff_items(vec![func("f", "a, timeout=5")], vec![func("f", "a, **kw")]);
        assert!(changes[0].message.contains("positional ones fail"));
    }

    #[test]
    fn parameter_absorbed_by_variadic() {
        assert_eq!(
            sig_kinds("a, *, timeout=5", "a, **kwargs"),
            ["parameter-absorbed-by-variadic", "variadic-added"]
        );
        assert_eq!(
            sig_kinds("a, *, timeout=5, **kw", "a, **kw"),
            ["parameter-absorbed-by-variadic"]
        );
        assert_eq!(
            sig_kinds("a, b=1", "a, *args, **kwargs"),
            [
                "parameter-absorbed-by-variadic",
                "variadic-added",
                "variadic-added"
            ]
        );
        // `*args` takes `b`'s slot only if nothing positional sits there now.
        assert_eq!(
            sig_kinds("a, b, c", "a, c, *args, **kwargs"),
            ["parameter-removed", "variadic-added", "variadic-added"]
        );
    }

    #[test]
    fn private_optional_parameters_are_not_api() {
        assert!(sig_kinds("a, _cache=None", "a").is_empty());
        assert!(sig_kinds("a, *, _depth=0", "a, *, _level=0").is_empty());
        assert!(sig_kinds("a, _x=1", "a, _x=2").is_empty());
        assert!(sig_kinds("a", "a, _internal=None").is_empty());
        assert_eq!(sig_kinds("a, _x=1", "a, _x"), ["default-removed"]);
        assert_eq!(sig_kinds("a", "a, _x"), ["parameter-added-required"]);
        assert_eq!(sig_kinds("a", "_x=None, a"), ["parameter-inserted"]);
    }

    #[test]
    fn parameter_added_required() {
        assert_eq!(sig_kinds("a", "a, b"), ["parameter-added-required"]);
        assert_eq!(sig_kinds("a", "a, *, key"), ["parameter-added-required"]);
        assert_eq!(
            sig_kinds("a, **kw", "a, *, key, **kw"),
            ["parameter-added-required"]
        );
        let changes = diff_items(vec![func("f", "a")], vec![func("f", "a, b")]);
        assert_eq!(
            changes[0].message,
            "`mypkg.f` has a new required parameter `b`"
        );
    }

    #[test]
    fn parameter_added_optional() {
        assert_eq!(sig_kinds("a", "a, b=1"), ["parameter-added-optional"]);
        assert_eq!(
            sig_kinds("a, *, c=1", "a, b=1, *, c=1"),
            ["parameter-added-optional"]
        );
        assert_eq!(
            sig_kinds("a, b=1", "a, b=1, *, c=2"),
            ["parameter-added-optional"]
        );
        assert_eq!(sig_kinds("a, /", "a, b=2, /"), ["parameter-added-optional"]);
    }

    #[test]
    fn parameter_inserted() {
        assert_eq!(sig_kinds("a, c=1", "a, b=2, c=1"), ["parameter-inserted"]);
        let changes = diff_items(vec![func("f", "a, c=1")], vec![func("f", "a, b=2, c=1")]);
        assert_eq!(
            changes[0].message,
            "`mypkg.f` has a new parameter `b` before `c`, shifting positional arguments"
        );
        // `*args` used to take the extra positional arguments that `b` now takes.
        assert_eq!(
            sig_kinds("a, *args", "a, b=None, *args"),
            ["parameter-inserted"]
        );
    }

    #[test]
    fn parameter_renamed() {
        assert_eq!(
            sig_kinds("a, timeout", "a, timeout_s"),
            ["parameter-renamed"]
        );
        assert_eq!(sig_kinds("*, key", "*, name"), ["parameter-renamed"]);
        assert_eq!(
            sig_kinds("a, b=1", "a, c=2"),
            ["default-changed", "parameter-renamed"]
        );
        let changes = diff_items(vec![func("f", "a, t")], vec![func("f", "a, timeout")]);
        assert_eq!(
            changes[0].message,
            "parameter `t` of `mypkg.f` was renamed to `timeout`"
        );
    }

    /// Django 5.0's `ExclusionConstraint(*, name, opclasses=(), ...)` ->
    /// `(*, name, violation_error_code=None, ...)`: a keyword-only parameter is known by its name,
    /// so another default (or annotation) in its place is one removed and one added.
    #[test]
    fn keyword_only_in_another_place_is_a_rename_only_with_the_same_default() {
        assert_eq!(
            sig_kinds(
                "*, name, opclasses=(), msg=None",
                "*, name, code=None, msg=None"
            ),
            ["parameter-added-optional", "parameter-removed"]
        );
        assert_eq!(
            sig_kinds("*, a: int = 1", "*, b: str = 1"),
            ["parameter-added-optional", "parameter-removed"]
        );
        assert_eq!(
            sig_kinds(
                "*, min_items: Optional[int] = None",
                "*, min_length: int | None = None"
            ),
            ["parameter-renamed"]
        );
    }

    /// Django 5.0's `BaseConstraint(name, msg=None)` -> `(*args, name=None, msg=None)`.
    #[test]
    fn positional_parameters_behind_a_new_star_args_are_absorbed() {
        assert_eq!(
            sig_kinds("name, msg=None", "*args, name=None, msg=None"),
            [
                "default-added",
                "parameter-absorbed-by-variadic",
                "parameter-absorbed-by-variadic",
                "variadic-added"
            ]
        );
        // Only those whose slot `*args` now takes; an old `*args` took other arguments there.
        assert_eq!(
            sig_kinds("a, b", "a, *args, b"),
            ["parameter-absorbed-by-variadic", "variadic-added"]
        );
        assert_eq!(
            sig_kinds("a, b, *rest", "a, *rest, b"),
            ["parameter-became-keyword-only"]
        );
        assert_eq!(
            sig_kinds("a, b", "*, a, b"),
            [
                "parameter-became-keyword-only",
                "parameter-became-keyword-only"
            ]
        );
    }

    fn with_rejects(params: &str, rejects: Rejects) -> Item {
        let mut item = func("f", params);
        if let ItemKind::Function(f) = &mut item.kind {
            f.signature.rejects = rejects;
        }
        item
    }

    /// pydantic 2.0's `Field(const=)`, `BaseModel.json(skip_defaults=)`, SQLAlchemy 2.0's
    /// `Variant`: a parameter `**kwargs` takes over is removed when the body raises on it.
    #[test]
    fn parameter_absorbed_but_refused_is_removed() {
        let kinds = |old: &str, new: &str, rejects: Rejects| {
            let mut k = diff_kinds(vec![func("f", old)], vec![with_rejects(new, rejects)]);
            k.sort_unstable();
            k
        };
        let keywords = |k: &[&str]| Rejects {
            keywords: k.iter().map(|s| s.to_string()).collect(),
            ..Rejects::default()
        };
        assert_eq!(
            kinds(
                "a, *, const=None, min_items=None, **kw",
                "a, **kw",
                keywords(&["const"])
            ),
            ["parameter-absorbed-by-variadic", "parameter-removed"]
        );
        let any = Rejects {
            any_keyword: true,
            keywords_read: vec!["strict".to_owned()],
            ..Rejects::default()
        };
        assert_eq!(
            kinds("*, strict=False, skip=None, **kw", "**kw", any),
            ["parameter-absorbed-by-variadic", "parameter-removed"]
        );
        let always = Rejects {
            always: true,
            ..Rejects::default()
        };
        assert_eq!(
            kinds("base, mapping", "*arg, **kw", always.clone()),
            [
                "parameter-removed",
                "parameter-removed",
                "variadic-added",
                "variadic-added"
            ]
        );
        // A body that always raised before loses nothing more.
        let old = with_rejects("*arg, x=None, **kw", always.clone());
        let new = with_rejects("*arg, **kw", always);
        assert_eq!(
            diff_kinds(vec![old], vec![new]),
            ["parameter-absorbed-by-variadic"]
        );
        // `if args: raise`: positional calls fail, so moving behind `*args` is keyword-only.
        let positional = Rejects {
            any_positional: true,
            ..Rejects::default()
        };
        assert_eq!(
            kinds("name", "*args, name", positional),
            ["parameter-became-keyword-only", "variadic-added"]
        );
        let changes = diff_items(
            vec![func("f", "*, const=None, **kw")],
            vec![with_rejects("**kw", keywords(&["const"]))],
        );
        assert_eq!(
            changes[0].message,
            "parameter `const` of `mypkg.f` was removed; calls that pass it reach `**kw`, where the body raises on it"
        );
    }

    #[test]
    fn positional_only_renamed() {
        assert_eq!(sig_kinds("x, /", "value, /"), ["positional-only-renamed"]);
    }

    #[test]
    fn parameters_reordered() {
        assert_eq!(sig_kinds("a, b", "b, a"), ["parameters-reordered"]);
        assert_eq!(sig_kinds("a, b, /", "b, a, /"), ["parameters-reordered"]);
        let changes = diff_items(vec![func("f", "a, b, c")], vec![func("f", "a, c, b")]);
        assert_eq!(
            changes[0].message,
            "positional parameters of `mypkg.f` changed order: (a, b, c) -> (a, c, b)"
        );
        // Keyword-only order is not visible to callers.
        assert!(sig_kinds("*, a, b", "*, b, a").is_empty());
        // A removal shifts later parameters without reordering them.
        assert_eq!(sig_kinds("a, b, c", "a, c"), ["parameter-removed"]);
    }

    #[test]
    fn parameter_became_keyword_only() {
        assert_eq!(
            sig_kinds("a, b=1", "a, *, b=1"),
            ["parameter-became-keyword-only"]
        );
        assert_eq!(
            sig_kinds("a, b, /", "a, /, *, b"),
            ["parameter-became-keyword-only"]
        );
    }

    #[test]
    fn parameter_became_positional() {
        assert_eq!(
            sig_kinds("a, *, b=1", "a, b=1"),
            ["parameter-became-positional"]
        );
        // Anywhere but the end it takes a slot other arguments used.
        assert_eq!(
            sig_kinds("a, c=2, *, b=1", "a, b=1, c=2"),
            ["parameter-inserted"]
        );
        assert_eq!(
            sig_kinds("a, *args, b=1", "a, b=1, *args"),
            ["parameter-inserted"]
        );
    }

    #[test]
    fn parameter_became_positional_only() {
        assert_eq!(
            sig_kinds("a, b", "a, b, /"),
            [
                "parameter-became-positional-only",
                "parameter-became-positional-only"
            ]
        );
        assert_eq!(
            sig_kinds("a, /, *, b", "a, b, /"),
            ["parameter-became-positional-only"]
        );
    }

    #[test]
    fn parameter_no_longer_positional_only() {
        assert_eq!(
            sig_kinds("a, /, b", "a, b"),
            ["parameter-no-longer-positional-only"]
        );
    }

    #[test]
    fn defaults() {
        assert_eq!(sig_kinds("a, t=5", "a, t"), ["default-removed"]);
        let changes = diff_items(vec![func("connect", "t=5")], vec![func("connect", "t")]);
        assert_eq!(
            changes[0].message,
            "parameter `t` of `mypkg.connect` is now required"
        );
        assert_eq!(sig_kinds("a, t", "a, t=5"), ["default-added"]);
        assert_eq!(sig_kinds("a, t=5", "a, t=6"), ["default-changed"]);
        assert!(sig_kinds("a, t='x'", "a, t=\"x\"").is_empty());
    }

    #[test]
    fn variadics() {
        assert_eq!(sig_kinds("a, *args", "a"), ["variadic-removed"]);
        assert_eq!(sig_kinds("a, **kw", "a"), ["variadic-removed"]);
        assert_eq!(sig_kinds("a", "a, *args"), ["variadic-added"]);
        assert_eq!(sig_kinds("a, *, b", "a, *args, b"), ["variadic-added"]);
        assert!(sig_kinds("*args, **kwargs", "*values, **options").is_empty());
    }

    #[test]
    fn async_and_generator() {
        assert_eq!(
            diff_kinds(vec![func("f", "")], vec![func("f", "").async_()]),
            ["async-changed"]
        );
        assert_eq!(
            diff_kinds(vec![func("f", "").async_()], vec![func("f", "")]),
            ["async-changed"]
        );
        assert_eq!(
            diff_kinds(vec![func("f", "").generator()], vec![func("f", "")]),
            ["generator-changed"]
        );
    }

    #[test]
    fn annotations_are_one_change_per_function() {
        let changes = diff_items(
            vec![func("f", "a: int, *args: int -> int")],
            vec![func("f", "a: str, *args: str -> str")],
        );
        assert_eq!(kinds(&changes), ["annotation-changed"]);
        assert_eq!(
            changes[0].message,
            "annotations of `mypkg.f` changed: `a`, `*args` and `return`"
        );
    }

    #[test]
    fn overloads() {
        let old = func("f", "x").overloads(&["x: int -> int", "x: str -> str"]);
        let fewer = func("f", "x").overloads(&["x: int -> int"]);
        let more =
            func("f", "x").overloads(&["x: int -> int", "x: str -> str", "x: bytes -> bytes"]);
        assert_eq!(
            diff_kinds(vec![old.clone()], vec![fewer]),
            ["overload-removed"]
        );
        assert_eq!(
            diff_kinds(vec![old.clone()], vec![more]),
            ["overload-added"]
        );
        let reformatted = func("f", "x").overloads(&["x:int->int", "x :  str -> str"]);
        assert!(diff_kinds(vec![old.clone()], vec![reformatted]).is_empty());
        assert_eq!(
            diff_kinds(vec![old], vec![func("f", "x")]),
            ["annotation-changed"],
            "dropping every overload leaves the implementation, which accepts them all"
        );
    }

    fn in_class(old: Vec<crate::api::Item>, new: Vec<crate::api::Item>) -> Vec<&'static str> {
        let mut k = diff_kinds(vec![class("C", old)], vec![class("C", new)]);
        k.sort_unstable();
        k
    }

    #[test]
    fn methods_compare_bound_signatures() {
        assert!(in_class(vec![method("m", "self, x")], vec![method("m", "this, x")]).is_empty());
        assert_eq!(
            in_class(vec![method("m", "self, x")], vec![method("m", "self")]),
            ["parameter-removed"]
        );
    }

    #[test]
    fn method_became_static() {
        assert_eq!(
            in_class(
                vec![method("m", "self, x")],
                vec![bound("m", Binding::StaticMethod, "x")]
            ),
            ["method-became-static"]
        );
        assert_eq!(
            in_class(
                vec![method("m", "self, x")],
                vec![bound("m", Binding::ClassMethod, "cls, x")]
            ),
            ["method-became-static"]
        );
        let changes = diff_items(
            vec![class("C", vec![method("m", "self, x")])],
            vec![class("C", vec![bound("m", Binding::ClassMethod, "cls, x")])],
        );
        assert_eq!(
            changes[0].message,
            "`mypkg.C.m` is now a classmethod; calls through instances still work"
        );
        assert_eq!(
            in_class(
                vec![method("m", "self, x")],
                vec![bound("m", Binding::StaticMethod, "x, y")]
            ),
            ["method-became-static", "parameter-added-required"]
        );
    }

    #[test]
    fn method_became_instance() {
        assert_eq!(
            in_class(
                vec![bound("m", Binding::StaticMethod, "x")],
                vec![method("m", "self, x")]
            ),
            ["method-became-instance"]
        );
        assert!(
            in_class(
                vec![bound("m", Binding::StaticMethod, "x")],
                vec![bound("m", Binding::ClassMethod, "cls, x")]
            )
            .is_empty()
        );
    }

    #[test]
    fn method_and_property_are_different_kinds() {
        assert_eq!(
            in_class(vec![method("m", "self")], vec![prop("m", None)]),
            ["kind-changed"]
        );
        assert_eq!(
            in_class(vec![prop("m", Some("int"))], vec![prop("m", Some("str"))]),
            ["annotation-changed"]
        );
    }
}
