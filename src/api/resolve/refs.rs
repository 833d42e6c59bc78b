//! What a name bound to another object or to a call turns out to be, once the other modules
//! are known: a class attribute bound to a function is a method (`__repr_name__ =
//! _repr.Representation.__repr_name__`), a call of a package function that returns a function it
//! defines makes a function (`upper = _wrap(str.upper)`, `vary_on_cookie =
//! vary_on_headers("Cookie")`), and a method decorated with a `...property` descriptor is read as
//! an attribute, as a property is.

use super::super::class::MemberRef;
use super::super::extract::Def;
use super::super::text::last_component;
use super::super::{Binding, Function, ItemKind, Variable};
use super::{Resolver, Target};

impl Resolver<'_> {
    /// The kind of a module-level variable: a function when its value is a call of a factory;
    /// a variable that calls as a function when it is an instance of a package class with a
    /// `__call__` (see [`Variable::call`]).
    pub(super) fn variable_kind(&mut self, m: usize, name: &str, v: &Variable) -> ItemKind {
        let callee = self.facts(m).and_then(|f| f.calls.get(name)).cloned();
        match callee {
            Some(path) if self.is_factory(m, &path) => ItemKind::Function(made_function()),
            Some(path) => ItemKind::Variable(Variable {
                call: self.instance_call(m, &path).map(Box::new),
                ..v.clone()
            }),
            None => ItemKind::Variable(v.clone()),
        }
    }

    /// What calling an instance of the class `path` names does: its `__call__` (its own or
    /// inherited from the package) without `self`, when that is a plain method.
    fn instance_call(&mut self, m: usize, path: &[String]) -> Option<Function> {
        let Some(Target::Def { module, name, alt }) = self.resolve_path(m, path) else {
            return None;
        };
        let Def::Class(c) = self.def_of(module, &name, alt)?.0 else {
            return None;
        };
        let class = self.class(module, &name, c);
        let ItemKind::Function(call) = &class.class.members.get("__call__")?.kind else {
            return None;
        };
        if call.binding != Binding::Plain || call.opaque || call.signature.params.is_empty() {
            return None;
        }
        let mut bound = call.clone();
        bound.signature.params.remove(0);
        Some(bound)
    }

    /// The kind of a class attribute bound to another object or a call, when the other
    /// modules say it is a function (`None`: a variable, as written).
    pub(super) fn member_ref(&mut self, m: usize, r: &MemberRef) -> Option<ItemKind> {
        match r {
            MemberRef::Call(path) => self
                .is_factory(m, path)
                .then(|| ItemKind::Function(made_function())),
            MemberRef::Path(path) => self.function_at(m, path).map(ItemKind::Function),
        }
    }

    /// A method as its decorators make it: one decorated with a `...property` the surface does
    /// not know (SQLAlchemy's `ro_memoized_property`, bound to `property` for type checkers and
    /// to a descriptor class at runtime; `hybrid_property`; `enum.property` and
    /// `types.DynamicClassAttribute`, between which Django's `Choices.label` moved) is read as
    /// an attribute, as a property is, and as read-only as type checkers see it.
    pub(super) fn member_function(&mut self, f: &Function) -> Function {
        let property_like = |d: &String| {
            let last = last_component(d);
            !d.contains('(')
                && (last.to_lowercase().ends_with("property") || last == "DynamicClassAttribute")
        };
        if f.binding == Binding::Plain && f.decorators.iter().any(property_like) {
            return Function {
                binding: Binding::Property,
                ..f.clone()
            };
        }
        f.clone()
    }

    /// The function `path` names: a package function, or a method of a package class
    /// (`mod.Class.method`).
    fn function_at(&mut self, m: usize, path: &[String]) -> Option<Function> {
        if let Some(Target::Def { module, name, alt }) = self.resolve_path(m, path) {
            return match self.def_of(module, &name, alt)?.0 {
                Def::Function(f) => Some(f.function.clone()),
                _ => None,
            };
        }
        let (member, owner) = path.split_last()?;
        let Some(Target::Def { module, name, alt }) = self.resolve_path(m, owner) else {
            return None;
        };
        let Def::Class(c) = self.def_of(module, &name, alt)?.0 else {
            return None;
        };
        let class = self.class(module, &name, c);
        match &class.class.members.get(member)?.kind {
            ItemKind::Function(f) => Some(f.clone()),
            _ => None,
        }
    }

    /// Whether `path` names a package function that returns a function it defines.
    fn is_factory(&mut self, m: usize, path: &[String]) -> bool {
        let Some(Target::Def { module, name, alt }) = self.resolve_path(m, path) else {
            return false;
        };
        matches!(self.def_of(module, &name, alt), Some((Def::Function(_), _)))
            && self
                .facts(module)
                .is_some_and(|f| f.factories.contains(&name))
    }
}

/// A function a factory made: its parameters are unknown.
fn made_function() -> Function {
    Function {
        opaque: true,
        ..Function::default()
    }
}
