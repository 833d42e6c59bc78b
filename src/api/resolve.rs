//! Resolution: every exported name followed to the object that defines it, through re-exports,
//! aliases and star imports, so that each [`Item`] carries the real kind, signature, location
//! and origin; and every class with its bases resolved, its inherited members and constructor.
//!
//! It works on the [`ModuleFacts`] that [`super::exports`] collected and never reads source text
//! or trees again. Resolution is memoized per (module, name) and per class, and guarded against
//! import cycles.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

mod refs;
mod stars;

use stars::StarNames;

use super::class::{BaseRef, ClassFacts, Field, Member, Synth};
use super::exports::Modules;
use super::extract::{AllItem, AllOp, AllSpec, Def, Forward, ModuleFacts};
use super::signature::Deprecation;
use super::text::{is_private_dotted, last_part};
use super::{
    Class, ClassFlavor, Forwarding, Item, ItemKind, Location, Param, ParamKind, Signature,
    Variable, Warning,
};

/// What a name resolves to.
#[derive(Clone, Debug, PartialEq)]
enum Target {
    /// A `def`, `class` or variable bound in a module; `alt` picks an alternative branch.
    Def {
        module: usize,
        name: String,
        alt: Option<usize>,
    },
    Module(String),
    External(String),
    Shim {
        module: usize,
        warns: bool,
    },
}

/// A class with its bases resolved, plus what subclasses inherit beyond the public `Class`.
#[derive(Clone, Debug)]
pub(crate) struct ResolvedClass {
    pub(crate) class: Arc<Class>,
    origin: String,
    fields: Vec<Field>,
}

/// What one module exports: its items, and the resolution of each exported class (whose item
/// is an empty placeholder until the caller fills it).
pub(crate) struct ModuleExports {
    pub items: BTreeMap<String, Item>,
    pub classes: Vec<(String, Arc<ResolvedClass>)>,
}

pub(crate) struct Resolver<'a> {
    mods: &'a Modules,
    names: HashMap<(usize, String), Option<Target>>,
    exports: HashMap<usize, Arc<Vec<String>>>,
    exports_busy: HashSet<usize>,
    /// What `from m import *` binds, by module, once its exports are known.
    stars: HashMap<usize, Arc<StarNames>>,
    classes: HashMap<(usize, String), Arc<ResolvedClass>>,
    classes_busy: HashSet<(usize, String)>,
    /// Modules that public exports were resolved through.
    pub(crate) touched: HashSet<usize>,
    pub(crate) warnings: Vec<Warning>,
    /// Names a public module other than an `__init__` exports only because it imports them
    /// from a private module (a facade), and also uses itself: by module name. `exports::build` drops those whose
    /// object is public at another path, where the facade is not the only public way to it.
    pub(crate) facades: HashSet<(String, String)>,
}

/// What a finished resolver cached, held only to be freed (on another thread: a Django-sized
/// package's caches take tens of milliseconds to free).
pub(crate) struct Caches {
    _names: HashMap<(usize, String), Option<Target>>,
    _exports: HashMap<usize, Arc<Vec<String>>>,
    _stars: HashMap<usize, Arc<StarNames>>,
    /// The resolved classes no exported item shares.
    _classes: Vec<Arc<ResolvedClass>>,
}

const DEPRECATION_CATEGORIES: &[&str] = &[
    "DeprecationWarning",
    "PendingDeprecationWarning",
    "FutureWarning",
];

impl<'a> Resolver<'a> {
    pub(crate) fn new(mods: &'a Modules) -> Resolver<'a> {
        Resolver {
            mods,
            names: HashMap::new(),
            exports: HashMap::new(),
            exports_busy: HashSet::new(),
            stars: HashMap::new(),
            classes: HashMap::new(),
            classes_busy: HashSet::new(),
            touched: HashSet::new(),
            warnings: Vec::new(),
            facades: HashSet::new(),
        }
    }

    /// The caches, to be freed by the caller. A resolved class an exported item still shares
    /// is released here, so that the item's reference becomes the only one and the class moves
    /// into the surface instead of being copied.
    pub(crate) fn into_caches(self) -> Caches {
        let mut unused = Vec::new();
        for class in self.classes.into_values() {
            if Arc::strong_count(&class) == 1 {
                unused.push(class);
            }
        }
        Caches {
            _names: self.names,
            _exports: self.exports,
            _stars: self.stars,
            _classes: unused,
        }
    }

    fn facts(&self, m: usize) -> Option<&'a ModuleFacts> {
        self.mods.entries[m].facts()
    }

    fn warn(&mut self, m: usize, line: u32, message: String) {
        self.warnings.push(Warning {
            file: self.mods.entries[m].file.clone(),
            line,
            column: 1,
            message,
        });
    }

    /// The exported items of module `m`; an exported class comes as an empty placeholder with
    /// its resolution beside it.
    pub(crate) fn module_exports(&mut self, m: usize) -> ModuleExports {
        self.touched.insert(m);
        let mut out = BTreeMap::new();
        let mut classes = Vec::new();
        let Some(facts) = self.facts(m) else {
            return ModuleExports {
                items: out,
                classes,
            };
        };
        let names = self.exports_of(m);
        for name in names.iter() {
            if out.contains_key(name) {
                continue;
            }
            let bound = facts.bindings.get(name);
            let shim = facts.shim.as_ref().filter(|s| s.names.contains(name));
            let runtime = bound.is_some_and(|b| b.runtime);
            let target = match (bound, shim) {
                (Some(_), _) if runtime => self.resolve_name(m, name),
                // A lazy `__getattr__` serving a name imported under TYPE_CHECKING: the import
                // says what the name is.
                (Some(_), Some(s)) if !s.warns => self.resolve_name(m, name),
                (_, Some(s)) => Some(Target::Shim {
                    module: m,
                    warns: s.warns,
                }),
                // Bound only under `if TYPE_CHECKING:`: not there at runtime.
                (Some(_), None) => continue,
                (None, None) => self.resolve_name(m, name),
            };
            let Some(target) = target else {
                self.warn(
                    m,
                    1,
                    format!("`__all__` lists `{name}`, which the module does not define"),
                );
                continue;
            };
            let fallback = Location {
                file: self.mods.entries[m].file.clone(),
                line: bound.map_or(1, |b| b.line),
            };
            let (item, class) = self.item(name, target, fallback);
            if let Some(class) = class {
                classes.push((name.clone(), class));
            }
            out.insert(name.clone(), item);
        }
        ModuleExports {
            items: out,
            classes,
        }
    }

    /// What module `m`'s forwarding `__getattr__` serves: every name its target module binds
    /// or exports, when the target is a module of the package (issue 8).
    pub(crate) fn forwarding(&mut self, m: usize) -> Option<Forwarding> {
        let shim = self.facts(m)?.shim.as_ref()?;
        let module = match shim.forward.as_ref()? {
            Forward::Module(name) => name.clone(),
            Forward::Path(path) => match self.resolve_path(m, path)? {
                Target::Module(name) => name,
                _ => return None,
            },
        };
        let t = *self.mods.index.get(&module)?;
        if t == m {
            return None;
        }
        let mut names: BTreeSet<String> = self.exports_of(t).iter().cloned().collect();
        if let Some(facts) = self.facts(t) {
            names.extend(
                facts
                    .bindings
                    .iter()
                    .filter(|(_, b)| b.runtime)
                    .map(|(n, _)| n.clone()),
            );
            if let Some(s) = &facts.shim {
                names.extend(s.names.iter().cloned());
            }
        }
        Some(Forwarding {
            module,
            names,
            warns: shim.warns,
        })
    }

    /// The names `from m import *` would bind: `__all__`, or the underscore rule with the
    /// re-export rules of API-RULES.md section 2.
    fn exports_of(&mut self, m: usize) -> Arc<Vec<String>> {
        if let Some(names) = self.exports.get(&m) {
            return names.clone();
        }
        if !self.exports_busy.insert(m) {
            return Arc::new(Vec::new());
        }
        self.touched.insert(m);
        let names = match self.facts(m) {
            None => Vec::new(),
            Some(facts) => match &facts.all {
                AllSpec::Static(ops) => self.fold_all(m, ops),
                AllSpec::Dynamic(line) => {
                    let line = *line;
                    if self.mods.entries[m].public {
                        self.warn(
                            m,
                            line,
                            "`__all__` is not a static list of strings; the module's exports \
                             follow the underscore rule instead"
                                .to_owned(),
                        );
                    }
                    self.underscore_exports(m, facts)
                }
                AllSpec::Absent => self.underscore_exports(m, facts),
            },
        };
        let names = Arc::new(names);
        self.exports_busy.remove(&m);
        self.exports.insert(m, names.clone());
        names
    }

    fn fold_all(&mut self, m: usize, ops: &[AllOp]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for op in ops {
            match op {
                AllOp::Set(items) => out = self.all_items(m, items, &out),
                AllOp::Add(items) => {
                    let items = self.all_items(m, items, &out);
                    out.extend(items);
                }
                AllOp::Remove(name) => {
                    if let Some(at) = out.iter().position(|n| n == name) {
                        out.remove(at);
                    }
                }
            }
        }
        let mut seen = HashSet::new();
        out.retain(|n| seen.insert(n.clone()));
        out
    }

    /// The names of `items`; `current` is `__all__` so far (for `__all__ = __all__ + [...]`).
    fn all_items(&mut self, m: usize, items: &[AllItem], current: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for item in items {
            match item {
                AllItem::Name(n) => out.push(n.clone()),
                AllItem::Var(var) if var == "__all__" => out.extend(current.iter().cloned()),
                AllItem::Var(var) => {
                    let facts = self.facts(m);
                    if let Some(values) = facts.and_then(|f| f.literals.get(var)) {
                        out.extend(values.iter().cloned());
                        continue;
                    }
                    let source =
                        facts
                            .and_then(|f| f.bindings.get(var))
                            .and_then(|b| match &b.def {
                                Def::Import {
                                    module,
                                    name: Some(n),
                                    ..
                                } if n == "__all__" => self.mods.index.get(module).copied(),
                                _ => None,
                            });
                    match source {
                        Some(other) => out.extend(self.exports_of(other).iter().cloned()),
                        None => self.warn(
                            m,
                            1,
                            format!("`__all__` uses `{var}`, which is not a list of names the package defines; its names are left out"),
                        ),
                    }
                }
                AllItem::AllOf(path) => match self.resolve_path(m, path) {
                    Some(Target::Module(module)) if self.mods.index.contains_key(&module) => {
                        let other = self.mods.index[&module];
                        out.extend(self.exports_of(other).iter().cloned());
                    }
                    _ => {
                        let text = format!("{}.__all__", path.join("."));
                        self.warn(
                            m,
                            1,
                            format!("`__all__` uses `{text}`, which is not a module of the package; its names are left out"),
                        );
                    }
                },
            }
        }
        out
    }

    fn underscore_exports(&mut self, m: usize, facts: &'a ModuleFacts) -> Vec<String> {
        let is_init = self.mods.entries[m].is_package;
        let mut out: Vec<String> = Vec::new();
        for (name, bound) in &facts.bindings {
            if !public_by_underscore_rule(name) || !bound.runtime {
                continue;
            }
            let exported = match &bound.def {
                Def::Import {
                    module,
                    name: imported,
                    redundant,
                } => {
                    // `import mypkg.sub` binds `mypkg` as a side effect: not a re-export. In a
                    // public module other than an `__init__`, an import re-exports when the
                    // name comes from a private module (`from ._impl import Client`).
                    let plain = imported.is_none() && module == name;
                    let from_package = !plain && self.mods.is_internal(module);
                    if !*redundant
                        && !is_init
                        && from_package
                        && is_private_dotted(module)
                        && self.mods.entries[m].uses_import(name)
                    {
                        let module = self.mods.entries[m].name.clone();
                        self.facades.insert((module, name.clone()));
                    }
                    *redundant || (from_package && (is_init || is_private_dotted(module)))
                }
                _ => true,
            };
            if exported {
                out.push(name.clone());
            }
        }
        for star in &facts.stars {
            if !star.runtime || !self.mods.is_internal(&star.module) {
                continue;
            }
            if let Some(&s) = self.mods.index.get(&star.module) {
                let names = self.star_names(s);
                out.extend(names.list.iter().filter(|n| !n.starts_with('_')).cloned());
            }
        }
        if let Some(shim) = &facts.shim {
            out.extend(
                shim.names
                    .iter()
                    .filter(|n| public_by_underscore_rule(n))
                    .cloned(),
            );
        }
        let mut seen = HashSet::new();
        out.retain(|n| seen.insert(n.clone()));
        out
    }

    /// What `name` is in module `m`: its binding, else a star import that provides it, else
    /// the module's `__getattr__`, else a submodule.
    fn resolve_name(&mut self, m: usize, name: &str) -> Option<Target> {
        let key = (m, name.to_owned());
        if let Some(t) = self.names.get(&key) {
            return t.clone();
        }
        // A cycle (`from .a import x` in b, `from .b import x` in a) resolves to nothing.
        self.names.insert(key.clone(), None);
        self.touched.insert(m);
        let target = self.resolve_name_uncached(m, name);
        self.names.insert(key, target.clone());
        target
    }

    fn resolve_name_uncached(&mut self, m: usize, name: &str) -> Option<Target> {
        let facts = self.facts(m)?;
        if let Some(bound) = facts.bindings.get(name) {
            let defs = std::iter::once((None, &bound.def)).chain(
                bound
                    .alternatives
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (Some(i), d)),
            );
            let mut fallback = None;
            for (alt, def) in defs {
                match self.resolve_def(m, name, def, alt) {
                    Ok(t) => return Some(t),
                    Err(f) => {
                        if fallback.is_none() {
                            fallback = f;
                        }
                    }
                }
            }
            if fallback.is_some() {
                return fallback;
            }
        }
        for star in facts.stars.iter().rev() {
            if let Some(&s) = self.mods.index.get(&star.module)
                && self.star_names(s).set.contains(name)
                && let Some(t) = self.resolve_name(s, name)
            {
                return Some(t);
            }
        }
        if let Some(shim) = facts
            .shim
            .as_ref()
            .filter(|s| s.names.iter().any(|n| n == name))
        {
            return Some(Target::Shim {
                module: m,
                warns: shim.warns,
            });
        }
        self.submodule(&self.mods.entries[m].name, name)
    }

    fn submodule(&self, module: &str, name: &str) -> Option<Target> {
        let full = format!("{module}.{name}");
        self.mods.exists(&full).then_some(Target::Module(full))
    }

    /// `Ok` when `def` resolves; `Err(fallback)` when it does not (a compiled module, say), with
    /// what to use if no other branch resolves either.
    fn resolve_def(
        &mut self,
        m: usize,
        name: &str,
        def: &Def,
        alt: Option<usize>,
    ) -> Result<Target, Option<Target>> {
        let here = Target::Def {
            module: m,
            name: name.to_owned(),
            alt,
        };
        match def {
            Def::Function(_) | Def::Class(_) | Def::Variable(_) => Ok(here),
            Def::Alias { path, .. } => match self.resolve_path(m, path) {
                Some(t) => Ok(t),
                // An alias of something unknown is a variable holding it.
                None => Ok(here),
            },
            Def::Import {
                module,
                name: imported,
                ..
            } => {
                let source = match imported {
                    Some(n) => format!("{module}.{n}"),
                    None => module.clone(),
                };
                if !self.mods.is_internal(module) {
                    return Ok(Target::External(source));
                }
                let resolved = match imported {
                    None => self
                        .mods
                        .exists(module)
                        .then(|| Target::Module(module.clone())),
                    Some(n) => match self.mods.index.get(module) {
                        Some(&t) => self
                            .resolve_name(t, n)
                            .or_else(|| self.submodule(module, n)),
                        None => self.submodule(module, n),
                    },
                };
                resolved.ok_or(Some(Target::External(source)))
            }
        }
    }

    /// `a.b.c` from module `m`: the head by name, then attributes of modules.
    fn resolve_path(&mut self, m: usize, path: &[String]) -> Option<Target> {
        let (head, rest) = path.split_first()?;
        let mut target = self.resolve_name(m, head)?;
        for part in rest {
            target = match target {
                Target::Module(module) => match self.mods.index.get(&module) {
                    Some(&t) => self.resolve_name(t, part)?,
                    None => self.submodule(&module, part)?,
                },
                Target::External(source) => Target::External(format!("{source}.{part}")),
                _ => return None,
            };
        }
        Some(target)
    }

    fn def_of(&self, m: usize, name: &str, alt: Option<usize>) -> Option<(&'a Def, u32)> {
        let bound = self.facts(m)?.bindings.get(name)?;
        let def = match alt {
            None => &bound.def,
            Some(i) => bound.alternatives.get(i)?,
        };
        Some((def, bound.line))
    }

    /// The item for an exported name (a class's kind is left empty and its resolution given).
    fn item(
        &mut self,
        name: &str,
        target: Target,
        fallback: Location,
    ) -> (Item, Option<Arc<ResolvedClass>>) {
        let mut class = None;
        let item = self.item_kind(name, target, fallback, &mut class);
        (item, class)
    }

    fn item_kind(
        &mut self,
        name: &str,
        target: Target,
        fallback: Location,
        class: &mut Option<Arc<ResolvedClass>>,
    ) -> Item {
        let module_name = |r: &Self, m: usize| r.mods.entries[m].name.clone();
        let file = |r: &Self, m: usize| r.mods.entries[m].file.clone();
        match target {
            Target::Def {
                module: m,
                name: defined,
                alt,
            } => {
                let origin = format!("{}.{defined}", module_name(self, m));
                let Some((def, line)) = self.def_of(m, &defined, alt) else {
                    return external(name, &origin, fallback);
                };
                let mut location = Location {
                    file: file(self, m),
                    line,
                };
                let (kind, deprecated) = match def {
                    Def::Function(f) => {
                        location.line = f.line;
                        (
                            ItemKind::Function(f.function.clone()),
                            self.is_deprecated(m, &f.deprecation),
                        )
                    }
                    Def::Class(c) => {
                        location.line = c.line;
                        *class = Some(self.class(m, &defined, c));
                        (
                            ItemKind::Class(Arc::default()),
                            self.is_deprecated(m, &c.deprecation),
                        )
                    }
                    Def::Variable(v) => (self.variable_kind(m, &defined, v), false),
                    Def::Alias { text, .. } => (
                        ItemKind::Variable(Variable {
                            annotation: None,
                            value: Some(text.clone()),
                            call: None,
                        }),
                        false,
                    ),
                    Def::Import { .. } => return external(name, &origin, fallback),
                };
                Item {
                    name: name.to_owned(),
                    kind,
                    location,
                    origin,
                    deprecated,
                }
            }
            Target::Module(target) => {
                let location = match self.mods.index.get(&target) {
                    Some(&t) => Location {
                        file: file(self, t),
                        line: 1,
                    },
                    None => fallback,
                };
                Item {
                    name: name.to_owned(),
                    kind: ItemKind::Module {
                        target: target.clone(),
                    },
                    location,
                    origin: target,
                    deprecated: false,
                }
            }
            Target::External(source) => external(name, &source, fallback),
            Target::Shim { module: m, warns } => {
                let line = self
                    .facts(m)
                    .and_then(|f| f.shim.as_ref())
                    .map_or(1, |s| s.line);
                Item {
                    name: name.to_owned(),
                    kind: ItemKind::Shim { warns },
                    location: Location {
                        file: file(self, m),
                        line,
                    },
                    origin: format!("{}.{name}", module_name(self, m)),
                    deprecated: warns,
                }
            }
        }
    }

    fn is_deprecated(&mut self, m: usize, evidence: &Deprecation) -> bool {
        evidence.decorated
            || evidence.docstring
            || evidence
                .categories
                .iter()
                .any(|c| self.is_deprecation_category(m, c, 0))
    }

    /// `DeprecationWarning` and friends, or a package class deriving from one
    /// (`RemovedInDjango60Warning`).
    fn is_deprecation_category(&mut self, m: usize, text: &str, depth: usize) -> bool {
        let last = last_part(text);
        if DEPRECATION_CATEGORIES.contains(&last) {
            return true;
        }
        if depth > 8 {
            return false;
        }
        let path: Vec<String> = text.split('.').map(str::to_owned).collect();
        let Some(Target::Def { module, name, alt }) = self.resolve_path(m, &path) else {
            return false;
        };
        let Some((Def::Class(c), _)) = self.def_of(module, &name, alt) else {
            return false;
        };
        c.bases
            .iter()
            .any(|b| self.is_deprecation_category(module, &b.text, depth + 1))
    }

    /// Resolves a class: bases, flavor, inherited members, constructor.
    fn class(&mut self, m: usize, qualname: &str, facts: &'a ClassFacts) -> Arc<ResolvedClass> {
        let key = (m, qualname.to_owned());
        if let Some(c) = self.classes.get(&key) {
            return c.clone();
        }
        let origin = format!("{}.{qualname}", self.mods.entries[m].name);
        if !self.classes_busy.insert(key.clone()) {
            // A class that inherits from itself (through aliases): read it without its bases.
            return Arc::new(ResolvedClass {
                class: Arc::default(),
                origin,
                fields: Vec::new(),
            });
        }
        let resolved = Arc::new(self.resolve_class(m, qualname, facts, origin));
        self.classes_busy.remove(&key);
        self.classes.insert(key, resolved.clone());
        resolved
    }

    fn resolve_class(
        &mut self,
        m: usize,
        qualname: &str,
        facts: &'a ClassFacts,
        origin: String,
    ) -> ResolvedClass {
        let mut bases = Vec::new();
        // Each base in order, with its resolution when it is a class of the package.
        let mut resolved_bases: Vec<Option<Arc<ResolvedClass>>> = Vec::new();
        for base in &facts.bases {
            let target = base.path.as_ref().and_then(|p| self.resolve_path(m, p));
            let class = match target {
                Some(Target::Def { module, name, alt }) => match self.def_of(module, &name, alt) {
                    Some((Def::Class(c), _)) => Some(self.class(module, &name, c)),
                    _ => None,
                },
                _ => None,
            };
            match &class {
                Some(c) => bases.push(format!("{}{}", c.origin, base.suffix)),
                None => bases.push(base.text.clone()),
            }
            resolved_bases.push(class);
        }
        let internal: Vec<&Arc<ResolvedClass>> = resolved_bases.iter().flatten().collect();

        let mut flavor = facts.flavor;
        if flavor == ClassFlavor::Plain {
            flavor = internal
                .iter()
                .map(|b| b.class.flavor)
                .find(|f| {
                    matches!(
                        f,
                        ClassFlavor::Enum
                            | ClassFlavor::TypedDict
                            | ClassFlavor::NamedTuple
                            | ClassFlavor::Abc
                    )
                })
                .unwrap_or(ClassFlavor::Plain);
        }

        // Inherited members, bases left to right (the leftmost wins), then the class's own.
        // An inherited member is the base's own value, shared: in Django four members in five
        // are inherited, and copying them was most of a surface's memory.
        let mut members: BTreeMap<String, Arc<Item>> = BTreeMap::new();
        for base in internal.iter().rev() {
            for (name, item) in &base.class.members {
                members.insert(name.clone(), Arc::clone(item));
            }
        }
        let file = self.mods.entries[m].file.clone();
        for (name, member) in &facts.members {
            let member_origin = format!("{origin}.{name}");
            let item = match member {
                Member::Function(f) => Item {
                    name: name.clone(),
                    kind: ItemKind::Function(self.member_function(&f.function)),
                    location: Location {
                        file: file.clone(),
                        line: f.line,
                    },
                    origin: member_origin,
                    deprecated: self.is_deprecated(m, &f.deprecation),
                },
                Member::Variable(v, line) => Item {
                    name: name.clone(),
                    kind: match facts.refs.get(name) {
                        Some(r) => self.member_ref(m, r),
                        None => None,
                    }
                    .unwrap_or_else(|| ItemKind::Variable(v.clone())),
                    location: Location {
                        file: file.clone(),
                        line: *line,
                    },
                    origin: member_origin,
                    deprecated: false,
                },
                Member::Class(c) => {
                    let nested = self.class(m, &format!("{qualname}.{name}"), c);
                    Item {
                        name: name.clone(),
                        kind: ItemKind::Class(Arc::clone(&nested.class)),
                        location: Location {
                            file: file.clone(),
                            line: c.line,
                        },
                        origin: member_origin,
                        deprecated: self.is_deprecated(m, &c.deprecation),
                    }
                }
            };
            members.insert(name.clone(), Arc::new(item));
        }

        let mut enum_members: Vec<(String, String)> = Vec::new();
        if flavor == ClassFlavor::Enum {
            for (name, value) in &facts.assigned {
                if members.get(name).is_some_and(|i| {
                    matches!(i.kind, ItemKind::Variable(_)) && i.origin.starts_with(&origin)
                }) {
                    members.remove(name);
                }
                // CPython refuses a second assignment to a member ("Attempted to reuse key"),
                // so a name is one member: the diff pairs members by name (found by fuzz/).
                if enum_members.iter().all(|(seen, _)| seen != name) {
                    enum_members.push((name.clone(), value.clone()));
                }
            }
        }

        // Fields: the bases' first (in reverse order, as dataclasses walk the MRO), then the
        // class's own, each overriding a same-named one in place.
        let mut fields: Vec<Field> = Vec::new();
        for base in internal.iter().rev() {
            for f in &base.fields {
                upsert(&mut fields, f.clone());
            }
        }
        if facts.synth.is_some() {
            for f in &facts.fields {
                upsert(&mut fields, f.clone());
            }
        }

        let constructor = if matches!(flavor, ClassFlavor::Enum | ClassFlavor::TypedDict) {
            None
        } else if let Some(init) = &facts.init {
            Some(init.clone())
        } else {
            match facts.synth {
                Some(
                    Synth::Dataclass { init: true }
                    | Synth::Attrs { init: true }
                    | Synth::NamedTuple,
                ) => Some(fields_signature(&fields)),
                _ => inherited_constructor(&facts.bases, &resolved_bases),
            }
        };

        ResolvedClass {
            class: Arc::new(Class {
                bases,
                flavor,
                members,
                enum_members,
                constructor,
                frozen: facts.frozen,
                slots: facts.slots,
            }),
            origin,
            fields,
        }
    }
}

fn external(name: &str, source: &str, location: Location) -> Item {
    Item {
        name: name.to_owned(),
        kind: ItemKind::External {
            source: source.to_owned(),
        },
        location,
        origin: source.to_owned(),
        deprecated: false,
    }
}

fn upsert(fields: &mut Vec<Field>, field: Field) {
    match fields.iter_mut().find(|f| f.name == field.name) {
        Some(existing) => *existing = field,
        None => fields.push(field),
    }
}

/// The `__init__` a dataclass, attrs class or NamedTuple synthesizes: positional fields in
/// order, then keyword-only ones.
fn fields_signature(fields: &[Field]) -> Signature {
    let param = |f: &Field, kind| Param {
        name: f.arg.clone(),
        kind,
        default: f.default.clone(),
        annotation: f.annotation.clone(),
    };
    let mut params: Vec<Param> = fields
        .iter()
        .filter(|f| f.init && !f.kw_only)
        .map(|f| param(f, ParamKind::PositionalOrKeyword))
        .collect();
    params.extend(
        fields
            .iter()
            .filter(|f| f.init && f.kw_only)
            .map(|f| param(f, ParamKind::KeywordOnly)),
    );
    Signature {
        params,
        returns: None,
        ..Signature::default()
    }
}

/// The constructor a class without its own inherits: the first base (left to right) that has
/// one, looking past bases that define no `__init__` (`Generic[T]`, `ABC`, `Protocol`) but
/// stopping at any other class from outside the package, whose `__init__` is unknown.
fn inherited_constructor(
    bases: &[BaseRef],
    resolved: &[Option<Arc<ResolvedClass>>],
) -> Option<Signature> {
    for (base, class) in bases.iter().zip(resolved) {
        match class {
            Some(c) => {
                if let Some(ctor) = &c.class.constructor {
                    return Some(ctor.clone());
                }
            }
            None => {
                let head = base
                    .path
                    .as_ref()
                    .and_then(|p| p.last())
                    .map(String::as_str)
                    .unwrap_or_default();
                if !matches!(head, "Generic" | "Protocol" | "ABC" | "object") {
                    return None;
                }
            }
        }
    }
    None
}

/// Module attributes that Python itself sets or reads (PEP 562's `__getattr__` and
/// `__dir__`, the import system's `__path__`, `__spec__`, ...): never API of their own.
const MODULE_MACHINERY: &[&str] = &[
    "__all__",
    "__annotations__",
    "__builtins__",
    "__cached__",
    "__class__",
    "__dict__",
    "__dir__",
    "__doc__",
    "__file__",
    "__getattr__",
    "__loader__",
    "__name__",
    "__package__",
    "__path__",
    "__spec__",
];

/// Whether a module-level name is exported when the module has no static `__all__`: no
/// leading underscore, or a dunder that is not import machinery (`__version__`, `__author__`
/// follow the rules of any other name: API-RULES section 2). `from m import *` still skips
/// dunders; that is Python's rule for star imports, not this one.
fn public_by_underscore_rule(name: &str) -> bool {
    let dunder = name.len() > 4 && name.starts_with("__") && name.ends_with("__");
    !name.starts_with('_') || (dunder && !MODULE_MACHINERY.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testutil::{class, export, func, names, run, surface};

    #[test]
    fn underscore_rule_and_external_imports() {
        let s = surface(&[
            ("__init__.py", ""),
            (
                "mod.py",
                "import os\nimport json as json\nfrom typing import Any\nfrom typing import List as List\nTIMEOUT = 30\n_private = 1\ndef connect(host, port=80): ...\nclass Conn: ...\n",
            ),
        ]);
        assert_eq!(
            names(&s, "mypkg.mod"),
            ["Conn", "List", "TIMEOUT", "connect", "json"]
        );
        assert_eq!(
            export(&s, "mypkg.mod", "List").kind,
            ItemKind::External {
                source: "typing.List".to_owned()
            }
        );
        assert_eq!(
            export(&s, "mypkg.mod", "json").kind,
            ItemKind::External {
                source: "json".to_owned()
            }
        );
        let t = export(&s, "mypkg.mod", "TIMEOUT");
        assert_eq!(
            t.kind,
            ItemKind::Variable(Variable {
                annotation: None,
                value: Some("30".to_owned()),
                call: None,
            })
        );
        assert_eq!(
            t.location,
            Location {
                file: "src/mypkg/mod.py".to_owned(),
                line: 5
            }
        );
        assert_eq!(t.origin, "mypkg.mod.TIMEOUT");
    }

    #[test]
    fn reexports_in_init_and_facades() {
        let s = surface(&[
            (
                "__init__.py",
                "from ._client import Client\nfrom mypkg.utils import helper\nfrom . import sub\nfrom .sub import deep as renamed\nimport os\nimport mypkg.utils\nimport mypkg.sub.deep as deep_alias\n",
            ),
            (
                "_client.py",
                "from .utils import helper\nclass Client:\n    def get(self, url): ...\n",
            ),
            ("utils.py", "def helper(x): ...\n"),
            ("sub/__init__.py", ""),
            ("sub/deep.py", "def f(): ...\n"),
            (
                "api.py",
                "from ._client import Client\nfrom .utils import helper\n",
            ),
        ]);
        assert_eq!(
            names(&s, "mypkg"),
            ["Client", "deep_alias", "helper", "renamed", "sub"]
        );
        let client = export(&s, "mypkg", "Client");
        assert_eq!(client.origin, "mypkg._client.Client");
        assert_eq!(
            client.location,
            Location {
                file: "src/mypkg/_client.py".to_owned(),
                line: 2
            }
        );
        assert!(class(&s, "mypkg", "Client").members.contains_key("get"));
        assert_eq!(export(&s, "mypkg", "helper").origin, "mypkg.utils.helper");
        assert_eq!(
            export(&s, "mypkg", "sub").kind,
            ItemKind::Module {
                target: "mypkg.sub".to_owned()
            }
        );
        assert_eq!(
            export(&s, "mypkg", "renamed").kind,
            ItemKind::Module {
                target: "mypkg.sub.deep".to_owned()
            }
        );
        // A facade re-exports from a private module, not from a public one.
        assert_eq!(names(&s, "mypkg.api"), ["Client"]);
        assert_eq!(
            export(&s, "mypkg.api", "Client").origin,
            "mypkg._client.Client"
        );
        assert!(names(&s, "mypkg.utils") == ["helper"]);
    }

    #[test]
    fn dunder_all_is_exact_and_follows_other_modules() {
        let s = surface(&[
            (
                "__init__.py",
                "from .a import *\nfrom .b import *\nfrom .c import __all__ as c_all\nfrom .c import fc\nfrom typing import Any\n_base = ['extra']\n__all__ = a.__all__ + _base\n__all__ += b.__all__\n__all__ = __all__ + c_all\n__all__.append('Any')\n__all__.remove('dropped')\nextra = 1\nhidden = 2\n",
            ),
            (
                "a.py",
                "__all__ = ['fa', 'dropped']\ndef fa(): ...\ndef dropped(): ...\ndef not_listed(): ...\n",
            ),
            ("b.py", "def fb(): ...\ndef _fb(): ...\n"),
            ("c.py", "__all__ = ('fc',)\ndef fc(): ...\n"),
        ]);
        assert_eq!(names(&s, "mypkg"), ["Any", "extra", "fa", "fb", "fc"]);
        assert_eq!(export(&s, "mypkg", "fa").origin, "mypkg.a.fa");
        assert_eq!(
            export(&s, "mypkg", "Any").kind,
            ItemKind::External {
                source: "typing.Any".to_owned()
            }
        );
        assert_eq!(names(&s, "mypkg.a"), ["dropped", "fa"]);
    }

    #[test]
    fn star_imports_reexport_what_the_module_exports() {
        let s = surface(&[
            ("__init__.py", "from ._core import *\n"),
            (
                "_core.py",
                "__all__ = ['run']\ndef run(): ...\ndef other(): ...\n",
            ),
        ]);
        assert_eq!(names(&s, "mypkg"), ["run"]);
        assert_eq!(export(&s, "mypkg", "run").origin, "mypkg._core.run");
    }

    #[test]
    fn undefined_all_entries_and_dynamic_all_warn() {
        let (s, warnings) = run(&[
            ("__init__.py", "__all__ = ['ghost', 'real']\nreal = 1\n"),
            ("dyn.py", "__all__ = [n for n in dir() if n]\nx = 1\n"),
        ]);
        assert_eq!(names(&s, "mypkg"), ["real"]);
        assert_eq!(names(&s, "mypkg.dyn"), ["x"]);
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`__all__` lists `ghost`, which the module does not define",
                "`__all__` is not a static list of strings; the module's exports follow the underscore rule instead",
            ]
        );
    }

    #[test]
    fn aliases_take_the_target_shape_and_origin() {
        let s = surface(&[
            (
                "__init__.py",
                "from ._impl import new_name\nold_name = new_name\nAlias = Thing = _Base\nclass _Base:\n    def m(self): ...\nPath = os.path\nimport os\nCONST = 3\nOTHER = CONST\n",
            ),
            ("_impl.py", "def new_name(a, b=1): ...\n"),
        ]);
        let old = export(&s, "mypkg", "old_name");
        assert_eq!(old.origin, "mypkg._impl.new_name");
        assert_eq!(func(&s, "mypkg", "old_name").signature.render(), "(a, b=1)");
        assert_eq!(export(&s, "mypkg", "Alias").origin, "mypkg._Base");
        assert!(class(&s, "mypkg", "Thing").members.contains_key("m"));
        assert_eq!(
            export(&s, "mypkg", "Path").kind,
            ItemKind::External {
                source: "os.path".to_owned()
            }
        );
        assert_eq!(
            export(&s, "mypkg", "OTHER").kind,
            ItemKind::Variable(Variable {
                annotation: None,
                value: Some("3".to_owned()),
                call: None,
            })
        );
    }

    #[test]
    fn forwarding_getattr_serves_the_target_modules_names() {
        // Issue 8: any body that returns `getattr(<module>, name)` serves that module's names.
        let forwards = |init: &str| {
            let s = surface(&[
                ("__init__.py", init),
                ("_impl.py", "def moved(): ...\n_hidden = 1\n"),
                ("new.py", "def other(): ...\n"),
            ]);
            s.modules["mypkg"].forwards.as_ref().map(|f| {
                (
                    f.module.clone(),
                    f.names.iter().cloned().collect::<Vec<_>>(),
                    f.warns,
                )
            })
        };
        let implied = Some((
            "mypkg._impl".to_owned(),
            vec!["_hidden".to_owned(), "moved".to_owned()],
            false,
        ));
        assert_eq!(
            forwards(
                "from . import _impl\ndef __getattr__(name):\n    return getattr(_impl, name)\n"
            ),
            implied
        );
        assert_eq!(
            forwards(
                "def __getattr__(name):\n    from . import _impl as impl\n    return getattr(impl, name)\n"
            ),
            implied
        );
        assert_eq!(
            forwards(
                "import importlib\ndef __getattr__(name):\n    warnings.warn('moved', DeprecationWarning)\n    return getattr(importlib.import_module('.new', __name__), name)\n"
            ),
            Some(("mypkg.new".to_owned(), vec!["other".to_owned()], true))
        );
        // A test of some names first does not stop the forwarding of all others.
        assert_eq!(
            forwards(
                "from . import _impl\ndef __getattr__(name):\n    if name == 'old':\n        return 1\n    return getattr(_impl, name)\n"
            ),
            implied
        );
        // Near-misses: a `getattr` only for the names a test lets through, a lookup in the
        // module itself, an attribute of something else, no `__getattr__`.
        assert_eq!(
            forwards(
                "from . import _impl\n_MOVED = ['a']\ndef __getattr__(name):\n    if name in _MOVED:\n        return getattr(_impl, name)\n    raise AttributeError(name)\n"
            ),
            None
        );
        assert_eq!(
            forwards(
                "from . import _impl\ndef __getattr__(name):\n    return getattr(_impl, name) if name.isupper() else None\n"
            ),
            None
        );
        assert_eq!(
            forwards("def __getattr__(name):\n    return globals()[name]\n"),
            None
        );
        assert_eq!(
            forwards("import os\ndef __getattr__(name):\n    return getattr(os, name)\n"),
            None
        );
        assert_eq!(forwards("x = 1\n"), None);
    }

    #[test]
    fn dunder_names_follow_the_underscore_rule() {
        // Issue 8: `__version__` and `__author__` are names like any other; import machinery
        // (`__getattr__`, `__doc__`) and single-underscore names are not.
        let s = surface(&[
            (
                "__init__.py",
                "__version__ = '1.0'\n__author__ = 'me'\n__doc__ = 'x'\n_private = 1\n__mangled = 2\ndef __getattr__(name):\n    if name == '__title__':\n        warnings.warn('gone', DeprecationWarning)\n        return 'x'\n    raise AttributeError(name)\n",
            ),
            ("star.py", "from . import *\n"),
        ]);
        assert_eq!(
            names(&s, "mypkg"),
            ["__author__", "__title__", "__version__"]
        );
        assert_eq!(
            export(&s, "mypkg", "__title__").kind,
            ItemKind::Shim { warns: true }
        );
        // `from . import *` skips dunders, as Python does.
        assert!(names(&s, "mypkg.star").is_empty());
    }

    #[test]
    fn type_checking_names_are_not_exported() {
        let s = surface(&[
            (
                "__init__.py",
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ._types import Hint\n    def typed_only(): ...\nelse:\n    def runtime(): ...\n",
            ),
            ("_types.py", "Hint = int\n"),
        ]);
        assert_eq!(names(&s, "mypkg"), ["runtime"]);
    }

    #[test]
    fn try_except_and_version_branches_take_the_first_shape() {
        let s = surface(&[
            (
                "__init__.py",
                "try:\n    from ._speedups import fast\nexcept ImportError:\n    from ._pure import fast\ntry:\n    from ._native import compiled\nexcept ImportError:\n    def compiled(x, y=2): ...\nif sys.version_info >= (3, 11):\n    def f(a): ...\nelse:\n    def f(a, b): ...\n    def only_old(): ...\n",
            ),
            ("_speedups.py", "def fast(a): ...\n"),
            ("_pure.py", "def fast(a, b): ...\n"),
        ]);
        assert_eq!(names(&s, "mypkg"), ["compiled", "f", "fast", "only_old"]);
        assert_eq!(func(&s, "mypkg", "fast").signature.render(), "(a)");
        assert_eq!(export(&s, "mypkg", "fast").origin, "mypkg._speedups.fast");
        // `_native` is not in the files (compiled): the fallback branch gives the shape.
        assert_eq!(func(&s, "mypkg", "compiled").signature.render(), "(x, y=2)");
        assert_eq!(func(&s, "mypkg", "f").signature.render(), "(a)");
    }

    #[test]
    fn getattr_shims_serve_names() {
        let s = surface(&[(
            "__init__.py",
            "def new(): ...\n_MOVED = ('old', 'older')\ndef __getattr__(name):\n    if name in _MOVED:\n        warnings.warn(f'{name} moved', DeprecationWarning)\n        return new\n    if name == 'new':\n        return new\n    raise AttributeError(name)\n",
        )]);
        assert_eq!(names(&s, "mypkg"), ["new", "old", "older"]);
        let old = export(&s, "mypkg", "old");
        assert_eq!(old.kind, ItemKind::Shim { warns: true });
        assert!(old.deprecated);
        assert_eq!(old.location.line, 3);
        assert!(matches!(
            export(&s, "mypkg", "new").kind,
            ItemKind::Function(_)
        ));
    }

    #[test]
    fn lazy_getattr_with_type_checking_imports_keeps_the_real_shape() {
        let s = surface(&[
            (
                "__init__.py",
                "from typing import TYPE_CHECKING\n__all__ = ['Client']\nif TYPE_CHECKING:\n    from ._client import Client\n_LAZY = {'Client': '._client'}\ndef __getattr__(name):\n    if name in _LAZY:\n        return importlib.import_module(_LAZY[name], __name__)\n",
            ),
            ("_client.py", "class Client:\n    def get(self): ...\n"),
        ]);
        assert_eq!(export(&s, "mypkg", "Client").origin, "mypkg._client.Client");
        assert!(class(&s, "mypkg", "Client").members.contains_key("get"));
    }

    #[test]
    fn deprecation_through_package_warning_classes() {
        let s = surface(&[
            (
                "__init__.py",
                "from .utils.deprecation import RemovedInNextWarning\nimport warnings\ndef old():\n    warnings.warn('x', RemovedInNextWarning, stacklevel=2)\ndef fine():\n    warnings.warn('x', UserWarning)\nclass Legacy:\n    def __init__(self):\n        warnings.warn('x', DeprecationWarning)\n",
            ),
            ("utils/__init__.py", ""),
            (
                "utils/deprecation.py",
                "class RemovedInNextWarning(PendingDeprecationWarning): ...\n",
            ),
        ]);
        assert!(export(&s, "mypkg", "old").deprecated);
        assert!(!export(&s, "mypkg", "fine").deprecated);
        assert!(export(&s, "mypkg", "Legacy").deprecated);
    }

    #[test]
    fn deprecated_classes_and_methods() {
        let s = surface(&[(
            "__init__.py",
            "from typing_extensions import deprecated\n@deprecated('use New')\nclass Old:\n    pass\nclass New:\n    @deprecated('use run')\n    def start(self): ...\n    def stop(self):\n        warnings.warn('stop', FutureWarning)\n    def run(self): ...\n",
        )]);
        assert!(export(&s, "mypkg", "Old").deprecated);
        assert!(!export(&s, "mypkg", "New").deprecated);
        let new = class(&s, "mypkg", "New");
        assert!(new.members["start"].deprecated);
        assert!(new.members["stop"].deprecated);
        assert!(!new.members["run"].deprecated);
        assert_eq!(new.members["run"].origin, "mypkg.New.run");
    }

    #[test]
    fn inherited_members_from_private_and_namespace_bases() {
        let s = surface(&[
            ("__init__.py", "from .app import App\n"),
            (
                "sansio/app.py",
                "class App:\n    debug: bool = False\n    def route(self, rule): ...\n    def run(self): ...\n",
            ),
            (
                "app.py",
                "from .sansio.app import App as SansioApp\nfrom ._mixin import _Mixin\nclass App(SansioApp, _Mixin, object):\n    def run(self, host=None): ...\n",
            ),
            (
                "_mixin.py",
                "class _Mixin:\n    def route(self, other): ...\n    def extra(self): ...\n",
            ),
        ]);
        let app = class(&s, "mypkg", "App");
        assert_eq!(app.bases, ["mypkg.sansio.app.App", "mypkg._mixin._Mixin"]);
        assert_eq!(
            app.members.keys().collect::<Vec<_>>(),
            ["debug", "extra", "route", "run"]
        );
        let get = |n: &str| app.members[n].clone();
        assert_eq!(
            get("route").origin,
            "mypkg.sansio.app.App.route",
            "left base wins"
        );
        assert_eq!(get("run").origin, "mypkg.app.App.run", "own wins");
        match &get("run").kind {
            ItemKind::Function(f) => assert_eq!(f.signature.render(), "(self, host=None)"),
            other => panic!("{other:?}"),
        }
        assert_eq!(get("extra").location.file, "src/mypkg/_mixin.py");
    }

    #[test]
    fn constructors_inherited_and_synthesized() {
        let s = surface(&[(
            "__init__.py",
            "from dataclasses import dataclass, field\nclass Base:\n    def __init__(self, a, *, b=1): ...\nclass Child(Base):\n    pass\nclass Ext(Exception, Base):\n    pass\n@dataclass\nclass P:\n    x: int\n    y: int = 0\n@dataclass\nclass Q(P):\n    z: list = field(default_factory=list)\n    x: int = 5\nclass R(Q):\n    pass\nclass G(Generic[T], Base):\n    pass\n",
        )]);
        let ctor = |n: &str| {
            class(&s, "mypkg", n)
                .constructor
                .as_ref()
                .map(Signature::render)
        };
        assert_eq!(ctor("Base").as_deref(), Some("(a, *, b=1)"));
        assert_eq!(ctor("Child").as_deref(), Some("(a, *, b=1)"));
        assert_eq!(ctor("Ext"), None, "Exception.__init__ comes first");
        assert_eq!(ctor("P").as_deref(), Some("(x: int, y: int = 0)"));
        assert_eq!(
            ctor("Q").as_deref(),
            Some("(x: int = 5, y: int = 0, z: list = list())")
        );
        assert_eq!(
            ctor("R").as_deref(),
            Some("(x: int = 5, y: int = 0, z: list = list())")
        );
        assert_eq!(ctor("G").as_deref(), Some("(a, *, b=1)"));
        let p = class(&s, "mypkg", "P");
        assert_eq!(p.flavor, ClassFlavor::Dataclass);
        assert_eq!(p.members.keys().collect::<Vec<_>>(), ["x", "y"]);
    }

    #[test]
    fn namedtuple_and_attrs_constructors() {
        let s = surface(&[(
            "__init__.py",
            "import attr\nfrom collections import namedtuple\nPoint = namedtuple('Point', 'x y')\n@attr.s(auto_attribs=True, kw_only=True)\nclass A:\n    _secret: int\n    name: str = 'n'\n",
        )]);
        let point = class(&s, "mypkg", "Point");
        assert_eq!(point.flavor, ClassFlavor::NamedTuple);
        assert_eq!(point.constructor.as_ref().unwrap().render(), "(x, y)");
        assert_eq!(point.members.keys().collect::<Vec<_>>(), ["x", "y"]);
        let a = class(&s, "mypkg", "A");
        assert_eq!(a.flavor, ClassFlavor::Attrs);
        assert_eq!(
            a.constructor.as_ref().unwrap().render(),
            "(*, secret: int, name: str = \"n\")"
        );
    }

    #[test]
    fn enums_and_package_enum_subclasses() {
        let s = surface(&[
            (
                "__init__.py",
                "from enum import Enum\nfrom ._base import Choices\nclass Color(Enum):\n    RED = 1\n    GREEN = 2\n    def label(self): ...\nclass Size(Choices):\n    S = 's'\n    L = 'l'\n",
            ),
            (
                "_base.py",
                "import enum\nclass Choices(str, enum.Enum):\n    def describe(self): ...\n",
            ),
        ]);
        let color = class(&s, "mypkg", "Color");
        assert_eq!(color.flavor, ClassFlavor::Enum);
        assert_eq!(
            color.enum_members,
            [
                ("RED".to_owned(), "1".to_owned()),
                ("GREEN".to_owned(), "2".to_owned())
            ]
        );
        assert_eq!(color.members.keys().collect::<Vec<_>>(), ["label"]);
        assert_eq!(color.constructor, None);
        let size = class(&s, "mypkg", "Size");
        assert_eq!(size.flavor, ClassFlavor::Enum);
        assert_eq!(size.bases, ["mypkg._base.Choices"]);
        assert_eq!(size.enum_members.len(), 2);
        assert_eq!(size.members.keys().collect::<Vec<_>>(), ["describe"]);
    }

    /// Found by the `surface` fuzz target (issue 13): an enum that assigned a member twice
    /// listed it twice, and the surface diffed with itself reported its value as changed.
    #[test]
    fn enum_member_assigned_twice_is_one_member() {
        let src = "from enum import Enum\nclass Color(Enum):\n    RED = 0\n    RED = 1\n";
        let s = surface(&[("__init__.py", src)]);
        let color = class(&s, "mypkg", "Color");
        assert_eq!(color.enum_members, [("RED".to_owned(), "0".to_owned())]);
        // The minimized fuzz input, as found.
        crate::fuzz::surface(b"class l(Enum):\n RED =0\n  RED= 1");
    }

    #[test]
    fn import_cycles_terminate() {
        let s = surface(&[
            ("__init__.py", "from .a import x\nfrom .a import *\n"),
            ("a.py", "from .b import x\nfrom .b import *\n"),
            ("b.py", "from .a import x\nfrom .a import *\n"),
        ]);
        assert_eq!(names(&s, "mypkg"), ["x"]);
        assert!(matches!(
            export(&s, "mypkg", "x").kind,
            ItemKind::External { .. }
        ));
    }

    #[test]
    fn class_cycles_terminate() {
        let s = surface(&[("__init__.py", "class A(B): ...\nclass B(A): ...\n")]);
        assert_eq!(names(&s, "mypkg"), ["A", "B"]);
    }
}
