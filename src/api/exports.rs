//! What each module exports (API-RULES.md sections 1, 2 and 5), across modules.
//!
//! Files become modules (`src/mypkg/sub/mod.py` is `mypkg.sub.mod`; a `.pyi` beside a `.py`
//! wins), are parsed in parallel, and every exported name is then resolved to the object that
//! defines it, through re-exports, aliases and star imports, so that each [`Item`] carries the
//! real kind, signature, location and origin. Private modules are parsed too: public names are
//! often defined there, and public classes inherit from classes there. Resolution is memoized
//! per (module, name) and per class, and guarded against import cycles.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::class::{BaseRef, ClassFacts, Field, Member, Synth};
use super::extract::{self, AllItem, AllOp, AllSpec, Def, ModuleCtx, ModuleFacts};
use super::parse::{self, Place, Problem};
use super::signature::Deprecation;
use super::{
    Class, ClassFlavor, Error, Item, ItemKind, Location, Module, PackageRoot, Param, ParamKind,
    Signature, SourceFile, Surface, Variable, Warning,
};

/// Builds the surface of `package` from its files.
pub fn build(
    package: &PackageRoot,
    files: &[SourceFile],
    exclude: &globset::GlobSet,
) -> Result<(Surface, Vec<Warning>), Error> {
    let mut modules = Modules::discover(package, files, exclude);
    modules.parse(files)?;
    let mut warnings = Vec::new();
    let mut resolver = Resolver::new(&modules);
    let mut surface = Surface {
        package: package.import_name.clone(),
        modules: BTreeMap::new(),
    };
    // Exported classes wait as shared references until resolution is done, so that each is
    // moved into the surface rather than copied (a class can be exported at several paths).
    let mut pending: Vec<(String, String, Arc<ResolvedClass>)> = Vec::new();
    for (i, entry) in modules.entries.iter().enumerate() {
        if !entry.public || entry.facts.is_none() {
            continue;
        }
        let (exports, classes) = resolver.module_exports(i);
        pending.extend(
            classes
                .into_iter()
                .map(|(name, class)| (entry.name.clone(), name, class)),
        );
        surface.modules.insert(
            entry.name.clone(),
            Module {
                name: entry.name.clone(),
                file: entry.file.clone(),
                exports,
            },
        );
    }
    warnings.append(&mut resolver.warnings);
    let touched = std::mem::take(&mut resolver.touched);
    for (i, entry) in modules.entries.iter().enumerate() {
        for problem in &entry.problems {
            if problem.place == Place::GrammarGap {
                continue;
            }
            if problem.is_fatal() && (entry.public || touched.contains(&i)) {
                return Err(Error::Syntax {
                    file: entry.file.clone(),
                    line: problem.line,
                    column: problem.column,
                    text: problem.text.clone(),
                });
            }
            let note = if problem.is_fatal() {
                " (the module is not public API, so it is skipped)"
            } else {
                ""
            };
            warnings.push(Warning {
                file: entry.file.clone(),
                line: problem.line,
                column: problem.column,
                message: format!("{}{note}", problem.describe()),
            });
        }
    }
    warnings.sort();
    warnings.dedup();
    let Resolver {
        names,
        exports,
        classes,
        ..
    } = resolver;
    // Freeing a Django-sized package's facts and caches takes tens of milliseconds that the
    // caller need not wait for; classes the surface takes are only released here.
    let mut unused = Vec::new();
    for class in classes.into_values() {
        if Arc::strong_count(&class) == 1 {
            unused.push(class);
        }
    }
    rayon::spawn(move || drop((modules, names, exports, unused)));
    for (module, name, class) in pending {
        let class = Arc::try_unwrap(class).map_or_else(|shared| shared.class.clone(), |c| c.class);
        if let Some(item) = surface
            .modules
            .get_mut(&module)
            .and_then(|m| m.exports.get_mut(&name))
        {
            item.kind = ItemKind::Class(class);
        }
    }
    Ok((surface, warnings))
}

/// One module of the package.
struct Entry {
    name: String,
    /// The file that defines the module (the `.pyi` when there is one).
    file: String,
    /// Index into the input files.
    source: usize,
    is_package: bool,
    is_stub: bool,
    /// No dotted component starts with `_`, and not excluded.
    public: bool,
    excluded: bool,
    facts: Option<ModuleFacts>,
    problems: Vec<Problem>,
}

/// Every module, by dotted name, in name order.
struct Modules {
    import_name: String,
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
    /// Folders with modules but no `__init__` (PEP 420 namespace portions), and the package
    /// itself when it is one.
    namespaces: HashSet<String>,
}

impl Modules {
    fn discover(
        package: &PackageRoot,
        files: &[SourceFile],
        exclude: &globset::GlobSet,
    ) -> Modules {
        let root = package.path.trim_end_matches('/');
        let mut found: BTreeMap<String, (usize, bool, bool)> = BTreeMap::new();
        for (i, file) in files.iter().enumerate() {
            let Some((name, is_package, is_stub)) = module_name(package, root, &file.path) else {
                continue;
            };
            match found.get(&name) {
                // A stub beside the module defines its surface.
                Some((_, _, true)) if !is_stub => {}
                _ => {
                    found.insert(name, (i, is_package, is_stub));
                }
            }
        }
        let mut namespaces = HashSet::new();
        for name in found.keys() {
            let mut prefix = name.as_str();
            while let Some(dot) = prefix.rfind('.') {
                prefix = &prefix[..dot];
                if !found.contains_key(prefix) {
                    namespaces.insert(prefix.to_owned());
                }
            }
        }
        let entries: Vec<Entry> = found
            .into_iter()
            .map(|(name, (source, is_package, is_stub))| {
                let excluded = is_excluded(&name, exclude);
                let private = name.split('.').any(|part| part.starts_with('_'));
                Entry {
                    file: files[source].path.clone(),
                    public: !private && !excluded,
                    excluded,
                    name,
                    source,
                    is_package,
                    is_stub,
                    facts: None,
                    problems: Vec::new(),
                }
            })
            .collect();
        let index = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.clone(), i))
            .collect();
        Modules {
            import_name: package.import_name.clone(),
            entries,
            index,
            namespaces,
        }
    }

    /// Parses every module that is not excluded, then the excluded ones something imports.
    fn parse(&mut self, files: &[SourceFile]) -> Result<(), Error> {
        let mut wanted: Vec<usize> = (0..self.entries.len())
            .filter(|&i| !self.entries[i].excluded)
            .collect();
        while !wanted.is_empty() {
            let results: Vec<Result<(ModuleFacts, Vec<Problem>), Error>> = wanted
                .par_iter()
                .map(|&i| {
                    let entry = &self.entries[i];
                    let file = &files[entry.source];
                    let parsed = parse::parse(&file.path, &file.bytes)?;
                    let facts = extract::module(
                        &parsed,
                        &ModuleCtx {
                            name: &entry.name,
                            is_package: entry.is_package,
                            is_stub: entry.is_stub,
                        },
                    );
                    Ok((facts, parsed.problems))
                })
                .collect();
            let mut next = Vec::new();
            for (&i, result) in wanted.iter().zip(results) {
                let (facts, problems) = result?;
                for module in referenced(&facts) {
                    for candidate in module {
                        if let Some(&j) = self.index.get(&candidate)
                            && self.entries[j].facts.is_none()
                            && !wanted.contains(&j)
                            && !next.contains(&j)
                        {
                            next.push(j);
                        }
                    }
                }
                self.entries[i].facts = Some(facts);
                self.entries[i].problems = problems;
            }
            wanted = next;
        }
        Ok(())
    }

    fn is_internal(&self, module: &str) -> bool {
        module == self.import_name
            || module
                .strip_prefix(&self.import_name)
                .is_some_and(|rest| rest.starts_with('.'))
    }

    /// Whether `name` is a module or a namespace folder of the package.
    fn exists(&self, name: &str) -> bool {
        self.index.contains_key(name) || self.namespaces.contains(name)
    }
}

/// The modules an import statement of `facts` may need: `from m import n` needs `m` and maybe
/// the submodule `m.n`.
fn referenced(facts: &ModuleFacts) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for bound in facts.bindings.values() {
        for def in std::iter::once(&bound.def).chain(&bound.alternatives) {
            if let Def::Import { module, name, .. } = def {
                let mut v = vec![module.clone()];
                if let Some(n) = name {
                    v.push(format!("{module}.{n}"));
                }
                out.push(v);
            }
        }
    }
    for star in &facts.stars {
        out.push(vec![star.module.clone()]);
    }
    out
}

/// The dotted module name of a file, with whether it is a package `__init__` and a stub.
/// Files outside the package, and files whose name is not a Python identifier (Django's
/// `0001_initial.py` migrations), which no import statement can name, give `None`.
fn module_name(package: &PackageRoot, root: &str, path: &str) -> Option<(String, bool, bool)> {
    let (stem, is_stub) = if let Some(s) = path.strip_suffix(".pyi") {
        (s, true)
    } else {
        (path.strip_suffix(".py")?, false)
    };
    if package.single_module {
        let root_stem = root
            .strip_suffix(".py")
            .or_else(|| root.strip_suffix(".pyi"))
            .unwrap_or(root);
        return (stem == root_stem).then(|| (package.import_name.clone(), false, is_stub));
    }
    let rel = if root.is_empty() {
        stem
    } else {
        stem.strip_prefix(root)?.strip_prefix('/')?
    };
    let mut parts: Vec<&str> = rel.split('/').collect();
    let is_package = parts.last() == Some(&"__init__");
    if is_package {
        parts.pop();
    }
    if !parts.iter().all(|p| is_identifier(p)) {
        return None;
    }
    let mut name = package.import_name.clone();
    for p in parts {
        name.push('.');
        name.push_str(p);
    }
    Some((name, is_package, is_stub))
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// A module is excluded when it, or a package above it, matches a pattern.
fn is_excluded(name: &str, exclude: &globset::GlobSet) -> bool {
    if exclude.is_empty() {
        return false;
    }
    let mut prefix = name;
    loop {
        if exclude.is_match(prefix) {
            return true;
        }
        match prefix.rfind('.') {
            Some(dot) => prefix = &prefix[..dot],
            None => return false,
        }
    }
}

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
struct ResolvedClass {
    class: Class,
    origin: String,
    fields: Vec<Field>,
}

struct Resolver<'a> {
    mods: &'a Modules,
    names: HashMap<(usize, String), Option<Target>>,
    exports: HashMap<usize, Arc<Vec<String>>>,
    exports_busy: HashSet<usize>,
    classes: HashMap<(usize, String), Arc<ResolvedClass>>,
    classes_busy: HashSet<(usize, String)>,
    /// Modules that public exports were resolved through.
    touched: HashSet<usize>,
    warnings: Vec<Warning>,
}

const DEPRECATION_CATEGORIES: &[&str] = &[
    "DeprecationWarning",
    "PendingDeprecationWarning",
    "FutureWarning",
];

impl<'a> Resolver<'a> {
    fn new(mods: &'a Modules) -> Resolver<'a> {
        Resolver {
            mods,
            names: HashMap::new(),
            exports: HashMap::new(),
            exports_busy: HashSet::new(),
            classes: HashMap::new(),
            classes_busy: HashSet::new(),
            touched: HashSet::new(),
            warnings: Vec::new(),
        }
    }

    fn facts(&self, m: usize) -> Option<&'a ModuleFacts> {
        self.mods.entries[m].facts.as_ref()
    }

    fn warn(&mut self, m: usize, line: u32, message: String) {
        self.warnings.push(Warning {
            file: self.mods.entries[m].file.clone(),
            line,
            column: 1,
            message,
        });
    }

    /// The exported items of module `m`.
    /// The exported items of module `m`; an exported class comes as an empty placeholder with
    /// its resolution beside it.
    #[allow(clippy::type_complexity)]
    fn module_exports(
        &mut self,
        m: usize,
    ) -> (BTreeMap<String, Item>, Vec<(String, Arc<ResolvedClass>)>) {
        self.touched.insert(m);
        let mut out = BTreeMap::new();
        let mut classes = Vec::new();
        let Some(facts) = self.facts(m) else {
            return (out, classes);
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
        (out, classes)
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
            if name.starts_with('_') || !bound.runtime {
                continue;
            }
            let exported = match &bound.def {
                Def::Import {
                    module,
                    name: imported,
                    redundant,
                } => {
                    // `import mypkg.sub` binds `mypkg` as a side effect: not a re-export.
                    let plain = imported.is_none() && module == name;
                    *redundant
                        || (!plain
                            && self.mods.is_internal(module)
                            && (is_init || is_private_import(module)))
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
                let names = self.exports_of(s);
                out.extend(names.iter().filter(|n| !n.starts_with('_')).cloned());
            }
        }
        if let Some(shim) = &facts.shim {
            out.extend(shim.names.iter().filter(|n| !n.starts_with('_')).cloned());
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
                && self.exports_of(s).iter().any(|n| n == name)
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
                            ItemKind::Class(Class::default()),
                            self.is_deprecated(m, &c.deprecation),
                        )
                    }
                    Def::Variable(v) => (ItemKind::Variable(v.clone()), false),
                    Def::Alias { text, .. } => (
                        ItemKind::Variable(Variable {
                            annotation: None,
                            value: Some(text.clone()),
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
            || evidence
                .categories
                .iter()
                .any(|c| self.is_deprecation_category(m, c, 0))
    }

    /// `DeprecationWarning` and friends, or a package class deriving from one
    /// (`RemovedInDjango60Warning`).
    fn is_deprecation_category(&mut self, m: usize, text: &str, depth: usize) -> bool {
        let last = text.rsplit('.').next().unwrap_or(text);
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
                class: Class::default(),
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
        let mut members: BTreeMap<String, Item> = BTreeMap::new();
        for base in internal.iter().rev() {
            for (name, item) in &base.class.members {
                members.insert(name.clone(), item.clone());
            }
        }
        let file = self.mods.entries[m].file.clone();
        for (name, member) in &facts.members {
            let member_origin = format!("{origin}.{name}");
            let item = match member {
                Member::Function(f) => Item {
                    name: name.clone(),
                    kind: ItemKind::Function(f.function.clone()),
                    location: Location {
                        file: file.clone(),
                        line: f.line,
                    },
                    origin: member_origin,
                    deprecated: self.is_deprecated(m, &f.deprecation),
                },
                Member::Variable(v, line) => Item {
                    name: name.clone(),
                    kind: ItemKind::Variable(v.clone()),
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
                        kind: ItemKind::Class(nested.class.clone()),
                        location: Location {
                            file: file.clone(),
                            line: c.line,
                        },
                        origin: member_origin,
                        deprecated: self.is_deprecated(m, &c.deprecation),
                    }
                }
            };
            members.insert(name.clone(), item);
        }

        let mut enum_members = Vec::new();
        if flavor == ClassFlavor::Enum {
            for (name, value) in &facts.assigned {
                if members.get(name).is_some_and(|i| {
                    matches!(i.kind, ItemKind::Variable(_)) && i.origin.starts_with(&origin)
                }) {
                    members.remove(name);
                }
                enum_members.push((name.clone(), value.clone()));
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
            class: Class {
                bases,
                flavor,
                members,
                enum_members,
                constructor,
                frozen: facts.frozen,
                slots: facts.slots,
            },
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

/// Whether an import in a non-`__init__` public module re-exports: it does when the name comes
/// from a private module (`from ._impl import Client`).
fn is_private_import(module: &str) -> bool {
    module.split('.').any(|p| p.starts_with('_'))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Binding, Function};

    fn pkg() -> PackageRoot {
        PackageRoot {
            import_name: "mypkg".to_owned(),
            path: "src/mypkg".to_owned(),
            single_module: false,
        }
    }

    fn files(list: &[(&str, &str)]) -> Vec<SourceFile> {
        list.iter()
            .map(|(p, s)| SourceFile {
                path: format!("src/mypkg/{p}"),
                bytes: s.as_bytes().to_vec(),
            })
            .collect()
    }

    fn run(list: &[(&str, &str)]) -> (Surface, Vec<Warning>) {
        build(&pkg(), &files(list), &globset::GlobSet::empty()).unwrap()
    }

    fn surface(list: &[(&str, &str)]) -> Surface {
        run(list).0
    }

    fn names(s: &Surface, module: &str) -> Vec<String> {
        s.modules[module].exports.keys().cloned().collect()
    }

    fn export<'s>(s: &'s Surface, module: &str, name: &str) -> &'s Item {
        &s.modules[module].exports[name]
    }

    fn class<'s>(s: &'s Surface, module: &str, name: &str) -> &'s Class {
        match &export(s, module, name).kind {
            ItemKind::Class(c) => c,
            other => panic!("{other:?}"),
        }
    }

    fn func<'s>(s: &'s Surface, module: &str, name: &str) -> &'s Function {
        match &export(s, module, name).kind {
            ItemKind::Function(f) => f,
            other => panic!("{other:?}"),
        }
    }

    fn glob(patterns: &[&str]) -> globset::GlobSet {
        let mut b = globset::GlobSetBuilder::new();
        for p in patterns {
            b.add(globset::Glob::new(p).unwrap());
        }
        b.build().unwrap()
    }

    #[test]
    fn module_names_and_publicity() {
        let s = surface(&[
            ("__init__.py", ""),
            ("client.py", ""),
            ("sub/__init__.py", ""),
            ("sub/mod.py", ""),
            ("_impl.py", ""),
            ("_private/public.py", ""),
            ("migrations/0001_initial.py", ""),
            ("ns/portion.py", ""),
        ]);
        let modules: Vec<&String> = s.modules.keys().collect();
        assert_eq!(
            modules,
            [
                "mypkg",
                "mypkg.client",
                "mypkg.ns.portion",
                "mypkg.sub",
                "mypkg.sub.mod"
            ]
        );
        assert_eq!(s.package, "mypkg");
        assert_eq!(s.modules["mypkg.sub"].file, "src/mypkg/sub/__init__.py");
    }

    #[test]
    fn stub_beside_module_wins() {
        let s = surface(&[
            ("__init__.py", ""),
            ("fast.py", "def f(a, b): ...\ndef hidden(): ...\n"),
            ("fast.pyi", "def f(a: int, b: int) -> int: ...\nX: int\n"),
        ]);
        assert_eq!(s.modules["mypkg.fast"].file, "src/mypkg/fast.pyi");
        assert_eq!(names(&s, "mypkg.fast"), ["X", "f"]);
        assert_eq!(
            func(&s, "mypkg.fast", "f").signature.render(),
            "(a: int, b: int) -> int"
        );
    }

    #[test]
    fn excluded_modules_are_not_api() {
        let list = files(&[
            ("__init__.py", ""),
            ("tests/__init__.py", ""),
            ("tests/test_x.py", "def test_a(): ...\n"),
            ("conftest.py", ""),
        ]);
        let (s, _) = build(
            &pkg(),
            &list,
            &glob(&["*.tests", "*.tests.*", "*.conftest"]),
        )
        .unwrap();
        assert_eq!(s.modules.keys().collect::<Vec<_>>(), ["mypkg"]);
        // Excluding a package excludes what is under it.
        let (s, _) = build(&pkg(), &list, &glob(&["mypkg.tests"])).unwrap();
        assert_eq!(
            s.modules.keys().collect::<Vec<_>>(),
            ["mypkg", "mypkg.conftest"]
        );
    }

    #[test]
    fn single_module_distribution() {
        let root = PackageRoot {
            import_name: "tool".to_owned(),
            path: "tool.py".to_owned(),
            single_module: true,
        };
        let list = vec![
            SourceFile {
                path: "tool.py".to_owned(),
                bytes: b"def run(): ...\n_x = 1\n".to_vec(),
            },
            SourceFile {
                path: "setup.py".to_owned(),
                bytes: b"setup()\n".to_vec(),
            },
        ];
        let (s, _) = build(&root, &list, &globset::GlobSet::empty()).unwrap();
        assert_eq!(s.modules.keys().collect::<Vec<_>>(), ["tool"]);
        assert_eq!(names(&s, "tool"), ["run"]);
        assert_eq!(export(&s, "tool", "run").origin, "tool.run");
    }

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
                value: Some("30".to_owned())
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
                value: Some("3".to_owned())
            })
        );
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

    #[test]
    fn syntax_error_in_a_public_module_is_an_error() {
        let err = build(
            &pkg(),
            &files(&[
                ("__init__.py", ""),
                ("mod.py", "x = 1\nclass C:\n    def f(self, a b): ...\n"),
            ]),
            &globset::GlobSet::empty(),
        )
        .unwrap_err();
        match err {
            Error::Syntax {
                file,
                line,
                column,
                text,
            } => {
                assert_eq!(file, "src/mypkg/mod.py");
                assert_eq!(line, 3);
                assert_eq!(column, 19);
                assert_eq!(text, "def f(self, a b): ...");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_error_in_a_function_body_is_a_warning() {
        let (s, warnings) = run(&[(
            "__init__.py",
            "def f():\n    print 'old'\n    return 1 + )\ndef g(): ...\n",
        )]);
        assert_eq!(names(&s, "mypkg"), ["f", "g"]);
        assert_eq!(
            warnings,
            [Warning {
                file: "src/mypkg/__init__.py".to_owned(),
                line: 3,
                column: 5,
                message: "syntax error in a function body: return 1 + )".to_owned(),
            }]
        );
    }

    #[test]
    fn syntax_error_in_a_kept_expression_keeps_the_text() {
        let (s, warnings) = run(&[("__init__.py", "LIMITS = [1, 2 3]\n")]);
        assert_eq!(
            export(&s, "mypkg", "LIMITS").kind,
            ItemKind::Variable(Variable {
                annotation: None,
                value: Some("[1, 2 3]".to_owned())
            })
        );
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .message
                .contains("an assigned value (kept as written)")
        );
    }

    #[test]
    fn syntax_error_in_a_private_module_is_a_warning_unless_reexported() {
        let broken = "def f(:\n    pass\n";
        let (s, warnings) = run(&[("__init__.py", ""), ("_old.py", broken)]);
        assert_eq!(names(&s, "mypkg"), Vec::<String>::new());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].file, "src/mypkg/_old.py");
        let err = build(
            &pkg(),
            &files(&[
                ("__init__.py", "from ._old import f\n"),
                ("_old.py", broken),
            ]),
            &globset::GlobSet::empty(),
        )
        .unwrap_err();
        assert!(matches!(err, Error::Syntax { file, .. } if file == "src/mypkg/_old.py"));
    }

    #[test]
    fn pep696_defaults_are_neither_errors_nor_warnings() {
        let (s, warnings) = run(&[(
            "__init__.py",
            "class Box[T = int]:\n    def get(self) -> T: ...\ndef first[T = str](xs: list[T]) -> T: ...\ntype Pair[T = int] = tuple[T, T]\n",
        )]);
        assert_eq!(names(&s, "mypkg"), ["Box", "Pair", "first"]);
        assert!(class(&s, "mypkg", "Box").members.contains_key("get"));
        assert_eq!(warnings, []);
    }

    #[test]
    fn modern_syntax_modules_are_read() {
        let src = "match = 1\ndef handle(cmd, /, *, verbose=False):\n    match cmd:\n        case [x, *_] if (n := x):\n            return f\"{cmd[\"k\"]}\"\n    try:\n        pass\n    except* ValueError:\n        pass\n@buttons[0].clicked.connect\ndef clicked(): ...\ntype Vec[T] = list[T]\nclass Stack[T]:\n    def push[U: int](self, item: T) -> None: ...\n";
        let (s, warnings) = run(&[("__init__.py", src)]);
        assert_eq!(warnings, []);
        assert_eq!(
            names(&s, "mypkg"),
            ["Stack", "Vec", "clicked", "handle", "match"]
        );
        assert_eq!(
            func(&s, "mypkg", "handle").signature.render(),
            "(cmd, /, *, verbose=False)"
        );
        assert_eq!(
            func(&s, "mypkg", "clicked").decorators,
            ["buttons[0].clicked.connect"]
        );
        assert_eq!(func(&s, "mypkg", "handle").binding, Binding::Plain);
    }

    #[test]
    fn non_utf8_files_are_errors() {
        let mut list = files(&[("__init__.py", "")]);
        list.push(SourceFile {
            path: "src/mypkg/_latin.py".to_owned(),
            bytes: b"s = '\xE9'\n".to_vec(),
        });
        let err = build(&pkg(), &list, &globset::GlobSet::empty()).unwrap_err();
        assert!(matches!(err, Error::NotUtf8 { file, offset: 5 } if file == "src/mypkg/_latin.py"));
        list[1].bytes = b"# -*- coding: latin-1 -*-\ns = '\xE9'\n".to_vec();
        assert!(build(&pkg(), &list, &globset::GlobSet::empty()).is_ok());
    }

    /// Extraction speed on a synthetic Django-sized package: run with
    /// `cargo test --release --lib api::exports::tests::bench -- --ignored --nocapture`.
    #[test]
    #[ignore]
    #[allow(clippy::print_stderr)]
    fn bench() {
        let mut list = Vec::new();
        list.push(("__init__.py".to_owned(), "from .m0 import *\n".to_owned()));
        for i in 0..900 {
            let mut src = String::from(
                "import os\nfrom typing import Any, Optional\nfrom ._base import Base\n\n",
            );
            for c in 0..8 {
                src.push_str(&format!(
                    "class C{c}(Base):\n    \"\"\"Doc.\"\"\"\n    limit: int = 10\n\n    def __init__(self, a, b: Optional[int] = None, *args, **kwargs):\n        self.a = a\n        self.b = b\n        super().__init__(*args, **kwargs)\n\n    @property\n    def value(self) -> int:\n        if self.a:\n            return [x for x in range(10) if x % 2][0]\n        return {{'a': 1, 'b': 2}}.get('a', 0)\n\n    def method_{c}(self, x, y=1, *, z=None) -> Any:\n        for i in range(x):\n            try:\n                y += i * 2\n            except ValueError as e:\n                raise RuntimeError(f\"bad {{i}}\") from e\n        return y\n\n"
                ));
            }
            for f in 0..10 {
                src.push_str(&format!(
                    "def helper_{f}(path: str, *, mode: str = 'r', retries: int = 3) -> Optional[str]:\n    with open(path, mode) as fh:\n        data = fh.read()\n    return data if data else None\n\n"
                ));
            }
            list.push((format!("m{i}.py"), src));
        }
        list.push((
            "_base.py".to_owned(),
            "class Base:\n    def __init__(self, *a, **k): ...\n    def shared(self): ...\n"
                .to_owned(),
        ));
        let files: Vec<SourceFile> = list
            .iter()
            .map(|(p, s)| SourceFile {
                path: format!("src/mypkg/{p}"),
                bytes: s.as_bytes().to_vec(),
            })
            .collect();
        let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
        for _ in 0..3 {
            let start = std::time::Instant::now();
            let (s, _) = build(&pkg(), &files, &globset::GlobSet::empty()).unwrap();
            let elapsed = start.elapsed();
            assert_eq!(s.modules.len(), 901);
            eprintln!(
                "{} files, {:.1} MB: {:?}",
                files.len(),
                bytes as f64 / 1e6,
                elapsed
            );
        }
    }
}
