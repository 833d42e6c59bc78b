//! What each module exports (API-RULES.md sections 1, 2 and 5), across modules.
//!
//! Files become modules (`src/mypkg/sub/mod.py` is `mypkg.sub.mod`; a `.pyi` beside a `.py`
//! wins) and are parsed in parallel, together with the modules their imports reach; [`build`]
//! then has `super::resolve` follow every exported name to the object that defines it, and
//! turns syntax problems into errors or warnings. Private modules are parsed too: public names
//! are often defined there, and public classes inherit from classes there. Nothing here reads a
//! tree: statements are [`super::extract`]'s job.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cache::FactsCache;

use super::extract::{self, Def, ModuleCtx, ModuleFacts, Shim};
use super::parse::{self, Place, Problem};
use super::resolve::{ModuleExports, ResolvedClass, Resolver};
use super::shim_factory;
use super::text::is_private_dotted;
use super::usage;
use super::{Error, ItemKind, Module, PackageRoot, SourceFile, Surface, Warning};

/// Builds the surface of the packages `roots` of one distribution from their files. The first
/// root names the surface; a name that one root re-exports from another (a public `mypkg`
/// over a private `_mypkg`) resolves to its definition, as within one package.
/// Files with the same content id and module reuse the facts that `parses` holds.
pub fn build(
    roots: &[PackageRoot],
    files: &[SourceFile],
    exclude: &globset::GlobSet,
    parses: &Parses,
) -> Result<(Surface, Vec<Warning>), Error> {
    let modules = Modules::discover(roots, files, exclude);
    finish(modules, roots, files, parses)
}

/// The surface and warnings of one revision's build.
pub type Built = Result<(Surface, Vec<Warning>), Error>;

/// Builds two revisions' surfaces together, as [`build`] builds one: every file of either is
/// parsed in one parallel pass (a file the two share, once), then the two resolve side by side,
/// each resolution being one thread's work.
pub fn build_two(
    old: (&[PackageRoot], &[SourceFile]),
    new: (&[PackageRoot], &[SourceFile]),
    exclude: &globset::GlobSet,
    parses: &Parses,
) -> (Built, Built) {
    let old_modules = Modules::discover(old.0, old.1, exclude);
    let new_modules = Modules::discover(new.0, new.1, exclude);
    prefetch(&[(&old_modules, old.1), (&new_modules, new.1)], parses);
    rayon::join(
        || finish(old_modules, old.0, old.1, parses),
        || finish(new_modules, new.0, new.1, parses),
    )
}

/// Parses every module that is not excluded, of every side, into `parses`, each distinct file
/// once. Errors are left for [`Modules::parse`] to find again and report in order.
fn prefetch(sides: &[(&Modules, &[SourceFile])], parses: &Parses) {
    let mut seen = HashSet::new();
    let mut work = Vec::new();
    for (modules, files) in sides {
        for entry in modules.entries.iter().filter(|e| !e.excluded) {
            let file = &files[entry.source];
            if let Some(key) = entry.key(file)
                && seen.insert(key.clone())
            {
                work.push((key, entry, file));
            }
        }
    }
    // Largest first and one file a task, so that no large file is left to parse alone at the
    // end while the other cores wait (Django: about 5 % of a cold diff).
    work.sort_by_key(|(_, _, file)| std::cmp::Reverse(file.bytes.len()));
    work.into_par_iter()
        .with_max_len(1)
        .for_each(|(key, entry, file)| {
            let _ = parses.get_or_extract(Some(key), || extract_file(entry, file));
        });
}

/// Parses one module's file and reads its statements; a large file a piece at a time.
fn extract_file(entry: &Entry, file: &SourceFile) -> Result<Extracted, Error> {
    let pieces = (file.bytes.len() > parse::PIECES_FROM).then_some(parse::PIECE_BYTES);
    extract_file_with(entry, file, pieces)
}

/// [`extract_file`], reading the file in pieces of about `pieces` bytes when it can
/// (`parse::parse_pieces`): the same facts, with one small tree in memory at a time.
fn extract_file_with(
    entry: &Entry,
    file: &SourceFile,
    pieces: Option<usize>,
) -> Result<Extracted, Error> {
    let ctx = ModuleCtx {
        name: &entry.name,
        is_package: entry.is_package,
        is_stub: entry.is_stub,
    };
    // Only a public module other than an `__init__` re-exports by the facade rule.
    let reexports = entry.public && !entry.is_package;
    if let Some(piece_bytes) = pieces {
        let text = parse::decode(&file.path, &file.bytes)?;
        let mut reader = extract::ModuleReader::new(&text, &ctx);
        let mut skip = Vec::new();
        let mut factories = Vec::new();
        let read = parse::parse_pieces(&text, piece_bytes, true, |root| {
            reader.read(root);
            if reexports {
                usage::skipped_ranges(root, &mut skip);
            }
            factories.extend(shim_factory::factories(root, &text));
        })?;
        if read {
            let facts = reader.finish();
            let used_imports = if reexports {
                usage::mentioned_names(&text, &skip, &private_imports(&facts))
            } else {
                HashSet::new()
            };
            return Ok(Extracted {
                facts,
                problems: Vec::new(),
                used_imports,
                factories,
            });
        }
    }
    let parsed = parse::parse(&file.path, &file.bytes)?;
    let facts = extract::module(&parsed, &ctx);
    let used_imports = if reexports {
        usage::used_names(
            parsed.tree.root_node(),
            &parsed.text,
            &private_imports(&facts),
        )
    } else {
        HashSet::new()
    };
    let factories = shim_factory::factories(parsed.tree.root_node(), &parsed.text);
    Ok(Extracted {
        facts,
        problems: parsed.problems,
        used_imports,
        factories,
    })
}

/// The names a module imports from a private module.
fn private_imports(facts: &ModuleFacts) -> HashSet<&str> {
    facts
        .bindings
        .iter()
        .filter(|(_, b)| matches!(&b.def, Def::Import { module, .. } if is_private_dotted(module)))
        .map(|(name, _)| name.as_str())
        .collect()
}

/// Gives a module whose `__getattr__` is built by a factory of the package
/// (`__getattr__ = getattr_migration(__name__)`, pydantic 2.0) the shim that factory builds for
/// it: the keys of the factory's serving tables that name this module (see `super::shim_factory`).
fn factory_shims(modules: &mut Modules) {
    let mut built = Vec::new();
    for (i, entry) in modules.entries.iter().enumerate() {
        let Some(facts) = entry.facts() else {
            continue;
        };
        let Some(bound) = facts.bindings.get("__getattr__") else {
            continue;
        };
        let Def::Variable(variable) = &bound.def else {
            continue;
        };
        let Some(callee) = variable
            .value
            .as_deref()
            .and_then(|v| v.trim().strip_suffix("(__name__)"))
        else {
            continue;
        };
        let (home, function) = match facts.bindings.get(callee).map(|b| &b.def) {
            Some(Def::Import {
                module,
                name: Some(name),
                ..
            }) => (module.as_str(), name.as_str()),
            _ => (entry.name.as_str(), callee),
        };
        let Some(home) = modules.index.get(home).map(|&h| &modules.entries[h]) else {
            continue;
        };
        let (Some(extracted), Some(home_facts)) = (&home.extracted, home.facts()) else {
            continue;
        };
        let Some(factory) = extracted.factories.iter().find(|f| f.name == function) else {
            continue;
        };
        let prefix = format!("{}{}", entry.name, factory.separator);
        let mut names: Vec<String> = factory
            .tables
            .iter()
            .filter_map(|t| home_facts.literals.get(t))
            .flatten()
            .filter_map(|key| key.strip_prefix(prefix.as_str()))
            .filter(|name| is_identifier(name))
            .map(str::to_owned)
            .collect();
        names.sort();
        names.dedup();
        if !names.is_empty() {
            let shim = Shim {
                names,
                warns: factory.warns,
                line: bound.line,
                forward: None,
            };
            built.push((i, shim));
        }
    }
    for (i, shim) in built {
        if let Some(extracted) = &mut modules.entries[i].extracted {
            Arc::make_mut(extracted).facts.shim = Some(shim);
        }
    }
}

/// Parses what is left to parse of `modules`, resolves every export and sorts the problems.
fn finish(
    mut modules: Modules,
    roots: &[PackageRoot],
    files: &[SourceFile],
    parses: &Parses,
) -> Built {
    modules.parse(files, parses)?;
    factory_shims(&mut modules);
    let mut warnings = Vec::new();
    let mut resolver = Resolver::new(&modules);
    let mut surface = Surface {
        package: roots
            .first()
            .map(|r| r.import_name.clone())
            .unwrap_or_default(),
        modules: BTreeMap::new(),
    };
    // Exported classes wait as shared references until resolution is done, so that each is
    // moved into the surface rather than copied (a class can be exported at several paths).
    let mut pending: Vec<(String, String, Arc<ResolvedClass>)> = Vec::new();
    for (i, entry) in modules.entries.iter().enumerate() {
        if !entry.public || entry.extracted.is_none() {
            continue;
        }
        let ModuleExports {
            items: exports,
            classes,
        } = resolver.module_exports(i);
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
                forwards: resolver.forwarding(i),
            },
        );
    }
    warnings.append(&mut resolver.warnings);
    drop_redundant_facades(&mut surface, &resolver.facades);
    let touched = std::mem::take(&mut resolver.touched);
    for (i, entry) in modules.entries.iter().enumerate() {
        let problems = entry.extracted.as_ref().map_or(&[][..], |e| &e.problems);
        for problem in problems {
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
    // Classes the surface takes are only released here.
    let caches = resolver.into_caches();
    super::drop_later((modules, caches));
    for (module, name, class) in pending {
        if let Some(item) = surface
            .modules
            .get_mut(&module)
            .and_then(|m| m.exports.get_mut(&name))
        {
            item.kind = ItemKind::Class(Arc::clone(&class.class));
        }
    }
    Ok((surface, warnings))
}

/// Drops a facade's re-export (`from ._collections import HeaderDict` in the public
/// `mypkg/pool.py`, which uses it) when the object is also public at a path that is no facade
/// (`mypkg.HeaderDict`): API-RULES.md section 2 re-exports it because the facade is the only
/// public way to reach it, and here it is not; the module imports it for its own use (urllib3
/// 2.0.7 `connectionpool.HTTPHeaderDict`).
fn drop_redundant_facades(surface: &mut Surface, facades: &HashSet<(String, String)>) {
    if facades.is_empty() {
        return;
    }
    let is_facade =
        |module: &str, name: &str| facades.contains(&(module.to_owned(), name.to_owned()));
    let elsewhere: HashSet<String> = surface
        .modules
        .values()
        .flat_map(|m| {
            m.exports
                .values()
                .filter(|i| !is_facade(&m.name, &i.name))
                .map(|i| i.origin.clone())
        })
        .collect();
    for module in surface.modules.values_mut() {
        let name = module.name.clone();
        module
            .exports
            .retain(|item, i| !(is_facade(&name, item) && elsewhere.contains(&i.origin)));
    }
}

/// One module of the package.
pub(crate) struct Entry {
    pub(crate) name: String,
    /// The file that defines the module (the `.pyi` when there is one).
    pub(crate) file: String,
    /// Index into the input files.
    source: usize,
    pub(crate) is_package: bool,
    is_stub: bool,
    /// No dotted component starts with `_`, and not excluded.
    pub(crate) public: bool,
    excluded: bool,
    extracted: Option<Arc<Extracted>>,
}

impl Entry {
    /// What the module's statements say, once it is parsed.
    pub(crate) fn facts(&self) -> Option<&ModuleFacts> {
        self.extracted.as_ref().map(|e| &e.facts)
    }

    /// Whether the module uses `name`, which it imports from a private module, in its own
    /// code (see `super::usage`).
    pub(crate) fn uses_import(&self, name: &str) -> bool {
        self.extracted
            .as_ref()
            .is_some_and(|e| e.used_imports.contains(name))
    }

    /// The key of this module's parse in [`Parses`], when its file's content id is known.
    fn key(&self, file: &SourceFile) -> Option<ParseKey> {
        file.id.map(|blob| ParseKey {
            blob,
            module: self.name.clone(),
            is_package: self.is_package,
            is_stub: self.is_stub,
            public: self.public,
        })
    }
}

/// One module's facts and syntax problems: all that is kept of its parse.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct Extracted {
    facts: ModuleFacts,
    problems: Vec<Problem>,
    /// Names the module imports from a private module and also uses in its own code.
    used_imports: HashSet<String>,
    /// Functions that build a module's `__getattr__`.
    factories: Vec<shim_factory::Factory>,
}

/// Modules already parsed, by content id and module: the two sides of a diff (and the older
/// releases a deprecation period reads) share most of their files, and each is parsed once.
/// With a [`FactsCache`], what earlier runs parsed is read back too.
#[derive(Default)]
pub struct Parses {
    memory: Mutex<HashMap<ParseKey, Arc<Extracted>>>,
    disk: Option<Arc<FactsCache>>,
}

/// What a file's facts depend on, nothing else: its content, the module it is (its name,
/// whether it is a package `__init__` or a stub), and whether that module is public, which
/// decides whether its imports are read as re-exports (`extract_file`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct ParseKey {
    /// The git blob id of the file's content.
    pub(crate) blob: [u8; 20],
    pub(crate) module: String,
    pub(crate) is_package: bool,
    pub(crate) is_stub: bool,
    pub(crate) public: bool,
}

impl Parses {
    /// Parses that also read `cache` and, when it is writable, keep what they parse for
    /// [`Parses::save`] to write there.
    pub fn with_cache(cache: Option<Arc<FactsCache>>) -> Parses {
        Parses {
            memory: Mutex::default(),
            disk: cache,
        }
    }

    /// Writes what was parsed since the last save to the cache, if there is one.
    pub fn save(&self) {
        if let Some(disk) = &self.disk {
            disk.save();
        }
    }

    /// The facts of `key`: from memory, else from the disk cache, else from `extract`, then
    /// kept in both. A file without a content id is extracted and kept nowhere.
    fn get_or_extract(
        &self,
        key: Option<ParseKey>,
        extract: impl FnOnce() -> Result<Extracted, Error>,
    ) -> Result<Arc<Extracted>, Error> {
        let Some(key) = key else {
            return extract().map(Arc::new);
        };
        if let Some(done) = self.get(&key) {
            return Ok(done);
        }
        let extracted = match self.disk.as_ref().and_then(|d| d.load(&key)) {
            Some(loaded) => Arc::new(loaded),
            None => {
                // A file that cannot be decoded (not UTF-8, an LFS pointer) is an error here,
                // and errors are not cached: every run reports them.
                let extracted = extract()?;
                if let Some(disk) = &self.disk {
                    disk.store(&key, &extracted);
                }
                Arc::new(extracted)
            }
        };
        self.insert(key, Arc::clone(&extracted));
        Ok(extracted)
    }

    fn get(&self, key: &ParseKey) -> Option<Arc<Extracted>> {
        // A poisoned lock only means another thread panicked while inserting: the map is sound.
        let map = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).cloned()
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.memory.lock().map_or(0, |m| m.len())
    }

    fn insert(&self, key: ParseKey, value: Arc<Extracted>) {
        let mut map = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(key, value);
    }
}

/// Every module, by dotted name, in name order.
pub(crate) struct Modules {
    /// The import names of the distribution's top-level packages.
    import_names: Vec<String>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) index: HashMap<String, usize>,
    /// Folders with modules but no `__init__` (PEP 420 namespace portions), and the package
    /// itself when it is one.
    namespaces: HashSet<String>,
}

impl Modules {
    fn discover(
        roots: &[PackageRoot],
        files: &[SourceFile],
        exclude: &globset::GlobSet,
    ) -> Modules {
        let mut found: BTreeMap<String, (usize, bool, bool)> = BTreeMap::new();
        for (i, file) in files.iter().enumerate() {
            // The first root that holds the file names it.
            let Some((name, is_package, is_stub)) = roots.iter().find_map(|package| {
                module_name(package, package.path.trim_end_matches('/'), &file.path)
            }) else {
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
                let private = is_private_dotted(&name);
                Entry {
                    file: files[source].path.clone(),
                    public: !private && !excluded,
                    excluded,
                    name,
                    source,
                    is_package,
                    is_stub,
                    extracted: None,
                }
            })
            .collect();
        let index = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.name.clone(), i))
            .collect();
        Modules {
            import_names: roots.iter().map(|r| r.import_name.clone()).collect(),
            entries,
            index,
            namespaces,
        }
    }

    /// Parses every module that is not excluded, then the excluded ones something imports.
    fn parse(&mut self, files: &[SourceFile], parses: &Parses) -> Result<(), Error> {
        let mut wanted: Vec<usize> = (0..self.entries.len())
            .filter(|&i| !self.entries[i].excluded)
            .collect();
        // What was ever wanted, so that a module is queued once (a search of `wanted` per
        // import made this quadratic in the number of modules).
        let mut queued = vec![false; self.entries.len()];
        for &i in &wanted {
            queued[i] = true;
        }
        while !wanted.is_empty() {
            let results: Vec<Result<Arc<Extracted>, Error>> = wanted
                .par_iter()
                .map(|&i| {
                    let entry = &self.entries[i];
                    let file = &files[entry.source];
                    parses.get_or_extract(entry.key(file), || extract_file(entry, file))
                })
                .collect();
            let mut next = Vec::new();
            for (&i, result) in wanted.iter().zip(results) {
                let extracted = result?;
                for module in referenced(&extracted.facts) {
                    for candidate in module {
                        if let Some(&j) = self.index.get(&candidate)
                            && self.entries[j].extracted.is_none()
                            && !queued[j]
                        {
                            queued[j] = true;
                            next.push(j);
                        }
                    }
                }
                self.entries[i].extracted = Some(extracted);
            }
            wanted = next;
        }
        Ok(())
    }

    /// Whether `module` belongs to one of the distribution's packages.
    pub(crate) fn is_internal(&self, module: &str) -> bool {
        self.import_names.iter().any(|top| {
            module == top
                || module
                    .strip_prefix(top.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// Whether `name` is a module or a namespace folder of the package.
    pub(crate) fn exists(&self, name: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::testutil::{class, export, files, func, glob, names, pkg, run, surface};
    use crate::api::{Binding, Variable};

    /// A build that shares nothing, as most tests want.
    fn build(
        roots: &[PackageRoot],
        files: &[SourceFile],
        exclude: &globset::GlobSet,
    ) -> Result<(Surface, Vec<Warning>), Error> {
        super::build(roots, files, exclude, &Parses::default())
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
            &[pkg()],
            &list,
            &glob(&["*.tests", "*.tests.*", "*.conftest"]),
        )
        .unwrap();
        assert_eq!(s.modules.keys().collect::<Vec<_>>(), ["mypkg"]);
        // Excluding a package excludes what is under it.
        let (s, _) = build(&[pkg()], &list, &glob(&["mypkg.tests"])).unwrap();
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
                bytes: b"def run(): ...\n_x = 1\n".to_vec().into(),
                id: None,
            },
            SourceFile {
                path: "setup.py".to_owned(),
                bytes: b"setup()\n".to_vec().into(),
                id: None,
            },
        ];
        let (s, _) = build(
            std::slice::from_ref(&root),
            &list,
            &globset::GlobSet::empty(),
        )
        .unwrap();
        assert_eq!(s.modules.keys().collect::<Vec<_>>(), ["tool"]);
        assert_eq!(names(&s, "tool"), ["run"]);
        assert_eq!(export(&s, "tool", "run").origin, "tool.run");
    }

    #[test]
    fn syntax_error_in_a_public_module_is_an_error() {
        let err = build(
            &[pkg()],
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
                value: Some("[1, 2 3]".to_owned()),
                call: None,
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
            &[pkg()],
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

    /// Files with content ids, as a diff reads them: the id stands for the content.
    fn with_ids(list: &[(&str, &str)]) -> Vec<SourceFile> {
        use std::hash::{Hash, Hasher};
        let mut out = files(list);
        for f in &mut out {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            f.bytes.hash(&mut h);
            let mut id = [0; 20];
            id[..8].copy_from_slice(&h.finish().to_le_bytes());
            f.id = Some(id);
        }
        out
    }

    #[test]
    fn two_revisions_share_parses_by_content_and_module() {
        let old = with_ids(&[
            ("__init__.py", "from .a import f\nfrom .b import c\n"),
            ("a.py", "def f(x): ...\n"),
            ("b/__init__.py", "from . import c\n"),
            ("b/c.py", "def g(): ...\n"),
        ]);
        // `d/__init__.py` has `b/__init__.py`'s content, but is another module: its relative
        // import means `mypkg.d.c`, so it must not reuse `b`'s facts.
        let new = with_ids(&[
            ("__init__.py", "from .a import f\nfrom .b import c\n"),
            ("a.py", "def f(x, y): ...\n"),
            ("b/__init__.py", "from . import c\n"),
            ("b/c.py", "def g(): ...\n"),
            ("d/__init__.py", "from . import c\n"),
            ("d/c.py", "def h(): ...\n"),
        ]);
        let empty = globset::GlobSet::empty();
        let parses = Parses::default();
        let (o, n) = build_two((&[pkg()], &old), (&[pkg()], &new), &empty, &parses);
        let (o, n) = (o.unwrap().0, n.unwrap().0);
        assert_eq!(o, build(&[pkg()], &old, &empty).unwrap().0);
        assert_eq!(n, build(&[pkg()], &new, &empty).unwrap().0);
        assert_eq!(names(&n, "mypkg.d"), ["c"]);
        assert!(matches!(
            &export(&n, "mypkg.d", "c").kind,
            ItemKind::Module { target } if target == "mypkg.d.c"
        ));
        // Four modules at the base, and three new parses: `a.py`'s new content, `d` and `d.c`.
        assert_eq!(parses.len(), 7);
    }

    /// A package that uses most of what a module's facts can hold: `__all__` operations, a
    /// star import, a dataclass with a nested class, a settable property, an opaque function
    /// from a factory, `**kwargs` that the body rejects, an enum, a `__getattr__` shim, a stub
    /// and a syntax error in a function body (a warning).
    const RICH: &[(&str, &str)] = &[
        (
            "__init__.py",
            "from ._impl import *\nfrom .models import Model, Color, helper\n__all__ = [\"Model\", \"Color\", \"helper\", \"make\"]\n__all__ += [\"VALUE\"]\nVALUE: int = 3\n\ndef make(*args, **kwargs):\n    if kwargs.pop(\"bad\", None) is not None:\n        raise TypeError(\"bad\")\n    if kwargs:\n        raise TypeError(\"unexpected\")\n    return 1\n\ndef broken():\n    print 'old'\n    return 1 + )\n",
        ),
        (
            "models.py",
            "import dataclasses\nimport enum\n\n@dataclasses.dataclass(frozen=True)\nclass Model:\n    name: str\n    size: int = 0\n\n    class Inner:\n        def go(self, x, /, y=2, *, z): ...\n\n    @property\n    def area(self):\n        return 1\n\n    @area.setter\n    def area(self, v): ...\n\nclass Color(enum.Enum):\n    RED = 1\n    BLUE = 2\n\ndef _wrap(f):\n    def inner(*a, **k):\n        return f(*a, **k)\n    return inner\n\nhelper = _wrap(len)\n",
        ),
        (
            "_impl.py",
            "_MOVED = {\"old_name\": 1}\n\ndef __getattr__(name):\n    if name in _MOVED:\n        import warnings\n        warnings.warn(\"moved\", DeprecationWarning)\n        return 1\n    raise AttributeError(name)\n",
        ),
        ("fast.py", "def f(a, b): ...\n"),
        ("fast.pyi", "def f(a: int, b: int) -> int: ...\nX: int\n"),
    ];

    /// Parses with the facts cache under `root`, as a run opens it.
    fn cached(root: &std::path::Path) -> Parses {
        Parses::with_cache(FactsCache::open(root, true).map(Arc::new))
    }

    /// The pack files under a cache root.
    fn packs(root: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for dir in std::fs::read_dir(root).unwrap().flatten() {
            for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
                out.push(file.path());
            }
        }
        out.sort();
        out
    }

    /// How many modules' facts the cache under `root` holds.
    fn cached_entries(
        root: &std::path::Path,
        list: &[SourceFile],
        exclude: &globset::GlobSet,
    ) -> usize {
        let modules = Modules::discover(&[pkg()], list, exclude);
        let cache = FactsCache::open(root, false).unwrap();
        modules
            .entries
            .iter()
            .filter_map(|e| e.key(&list[e.source]))
            .filter(|k| cache.load(k).is_some())
            .count()
    }

    #[test]
    fn disk_cache_gives_back_the_same_surface_and_warnings() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("cache");
        let empty = globset::GlobSet::empty();
        let list = with_ids(RICH);
        let fresh = build(&[pkg()], &list, &empty).unwrap();
        assert_eq!(fresh.1.len(), 1, "{:?}", fresh.1);
        let first = cached(&root);
        assert_eq!(
            super::build(&[pkg()], &list, &empty, &first).unwrap(),
            fresh
        );
        first.save();
        // One entry a module: `fast.py` is no module beside its stub.
        assert_eq!(cached_entries(&root, &list, &empty), RICH.len() - 1);
        assert_eq!(packs(&root).len(), 1);
        // The same ids with other bytes: what comes back is what the cache holds.
        let mut blanked = list.clone();
        for f in &mut blanked {
            f.bytes = b"def other(): ...\n".as_slice().into();
        }
        let second = cached(&root);
        assert_eq!(
            super::build(&[pkg()], &blanked, &empty, &second).unwrap(),
            fresh
        );
        // Nothing was parsed, so nothing is written.
        second.save();
        assert_eq!(packs(&root).len(), 1);
        // Without the cache those bytes are read.
        let other = build(&[pkg()], &blanked, &empty).unwrap();
        assert_ne!(other, fresh);
    }

    #[test]
    fn damaged_entries_are_parsed_again_and_written_anew() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("cache");
        let empty = globset::GlobSet::empty();
        let list = with_ids(RICH);
        let parses = cached(&root);
        let fresh = super::build(&[pkg()], &list, &empty, &parses).unwrap();
        parses.save();
        let modules = RICH.len() - 1;
        let damages: [fn(&mut Vec<u8>); 3] = [
            |b| b.truncate(b.len() / 2),
            |b| {
                b.iter_mut()
                    .for_each(|x| *x = x.wrapping_mul(31).wrapping_add(7))
            },
            // One flipped byte in the last entry's facts: only its checksum sees it.
            |b| *b.last_mut().unwrap() ^= 1,
        ];
        for damage in damages {
            for path in packs(&root) {
                let mut bytes = std::fs::read(&path).unwrap();
                damage(&mut bytes);
                std::fs::write(&path, bytes).unwrap();
            }
            assert!(cached_entries(&root, &list, &empty) < modules);
            let before = packs(&root).len();
            let parses = cached(&root);
            assert_eq!(
                super::build(&[pkg()], &list, &empty, &parses).unwrap(),
                fresh
            );
            parses.save();
            assert_eq!(packs(&root).len(), before + 1);
            assert_eq!(cached_entries(&root, &list, &empty), modules);
        }
    }

    #[test]
    fn files_that_do_not_decode_are_not_cached() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("cache");
        let mut list = with_ids(&[("__init__.py", "from ._latin import s\n")]);
        list.push(SourceFile {
            path: "src/mypkg/_latin.py".to_owned(),
            bytes: b"s = '\xE9'\n".to_vec().into(),
            id: Some([9; 20]),
        });
        let empty = globset::GlobSet::empty();
        for _ in 0..2 {
            let parses = cached(&root);
            let err = super::build(&[pkg()], &list, &empty, &parses);
            assert!(matches!(err, Err(Error::NotUtf8 { .. })));
            parses.save();
        }
        assert_eq!(cached_entries(&root, &list, &empty), 1);
    }

    #[test]
    fn public_is_part_of_the_key() {
        // `mypkg.facade` re-exports what it imports from a private module and uses, but only
        // while it is public (`extract_file` reads its uses then): excluded, it is another key.
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("cache");
        let list = with_ids(&[
            ("__init__.py", "from .facade import Thing\n"),
            ("_impl.py", "class Thing: ...\n"),
            (
                "facade.py",
                "from ._impl import Thing\n\ndef use():\n    return Thing()\n",
            ),
        ]);
        let empty = globset::GlobSet::empty();
        let excluded = glob(&["mypkg.facade"]);
        for exclude in [&empty, &excluded, &empty] {
            let parses = cached(&root);
            assert_eq!(
                super::build(&[pkg()], &list, exclude, &parses).unwrap(),
                build(&[pkg()], &list, exclude).unwrap()
            );
            parses.save();
        }
        // Three modules, and the facade twice: public, then excluded.
        assert_eq!(cached_entries(&root, &list, &empty), 3);
        assert_eq!(cached_entries(&root, &list, &excluded), 3);
        assert_eq!(packs(&root).len(), 2);
    }

    #[test]
    fn non_utf8_files_are_errors() {
        let mut list = files(&[("__init__.py", "")]);
        list.push(SourceFile {
            path: "src/mypkg/_latin.py".to_owned(),
            bytes: b"s = '\xE9'\n".to_vec().into(),
            id: None,
        });
        let err = build(&[pkg()], &list, &globset::GlobSet::empty()).unwrap_err();
        assert!(matches!(err, Error::NotUtf8 { file, offset: 5 } if file == "src/mypkg/_latin.py"));
        list[1].bytes = b"# -*- coding: latin-1 -*-\ns = '\xE9'\n".as_slice().into();
        assert!(build(&[pkg()], &list, &globset::GlobSet::empty()).is_ok());
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
                bytes: s.as_bytes().to_vec().into(),
                id: None,
            })
            .collect();
        let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
        for _ in 0..3 {
            let start = std::time::Instant::now();
            let (s, _) = build(&[pkg()], &files, &globset::GlobSet::empty()).unwrap();
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

    /// Every Python file under testdata/ gives the same facts skimmed (`parse::parse`, which
    /// leaves out the function bodies the surface does not read) as parsed whole
    /// (`parse::parse_full`): the skim's tokenizer decides which bodies those are, and a body
    /// it leaves out wrongly is a wrong surface. Set `BUMPWISE_TEST_PYTHON_DIR` to add every
    /// `.py` file under that folder (a Django checkout, an unpacked sdist) to the check.
    #[test]
    fn skimmed_files_give_the_full_parses_facts() {
        let mut paths = crate::api::testutil::testdata_python_files();
        if let Some(dir) = std::env::var_os("BUMPWISE_TEST_PYTHON_DIR") {
            paths.extend(crate::api::testutil::python_files_under(
                std::path::Path::new(&dir),
            ));
        }
        let mut differ = Vec::new();
        for path in &paths {
            let bytes = std::fs::read(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy();
            let ctx = ModuleCtx {
                name: "mypkg.m",
                is_package: name.starts_with("__init__."),
                is_stub: name.ends_with(".pyi"),
            };
            let file = path.display().to_string();
            let (Ok(skimmed), Ok(full)) = (
                parse::parse(&file, &bytes),
                parse::parse_full(&file, &bytes),
            ) else {
                continue;
            };
            // A syntax error inside a left-out body is not seen skimmed: that is the point.
            if !full.problems.is_empty() {
                continue;
            }
            let facts = |parsed: &parse::Parsed| {
                let f = extract::module(parsed, &ctx);
                let literals: BTreeMap<_, _> = f.literals.iter().collect();
                let calls: BTreeMap<_, _> = f.calls.iter().collect();
                let factories: std::collections::BTreeSet<_> = f.factories.iter().collect();
                let built = shim_factory::factories(parsed.tree.root_node(), &parsed.text);
                format!(
                    "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{literals:#?}\n{factories:#?}\n{calls:#?}\n{built:#?}",
                    f.bindings, f.all, f.stars, f.shim
                )
            };
            if facts(&skimmed) != facts(&full) {
                differ.push(file);
            }
        }
        assert!(differ.is_empty(), "skimmed facts differ: {differ:#?}");
        assert!(paths.len() > 150);
    }

    /// Every Python file under testdata/ (fixtures, fuzz seeds, layouts), read a statement a
    /// piece (`parse::parse_pieces` with one-byte pieces: every boundary it would ever cut at),
    /// gives the facts the whole-file parse gives.
    #[test]
    fn files_read_in_pieces_give_the_whole_files_facts() {
        // HashMap and HashSet fields in a fixed order.
        fn canonical(e: &Extracted) -> String {
            let f = &e.facts;
            let literals: BTreeMap<_, _> = f.literals.iter().collect();
            let calls: BTreeMap<_, _> = f.calls.iter().collect();
            let factories: std::collections::BTreeSet<_> = f.factories.iter().collect();
            let used: std::collections::BTreeSet<_> = e.used_imports.iter().collect();
            format!(
                "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{literals:#?}\n{factories:#?}\n{calls:#?}\n{:#?}\n{used:#?}\n{:#?}",
                f.bindings, f.all, f.stars, f.shim, e.problems, e.factories
            )
        }
        let paths = crate::api::testutil::testdata_python_files();
        let mut in_pieces = 0;
        for path in &paths {
            let bytes = std::fs::read(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy();
            let entry = Entry {
                name: "mypkg.m".to_owned(),
                file: path.display().to_string(),
                source: 0,
                is_package: name.starts_with("__init__."),
                is_stub: name.ends_with(".pyi"),
                public: true,
                excluded: false,
                extracted: None,
            };
            let file = SourceFile {
                path: path.display().to_string(),
                bytes: bytes.into(),
                id: None,
            };
            let whole = extract_file_with(&entry, &file, None);
            let pieces = extract_file_with(&entry, &file, Some(1));
            match (whole, pieces) {
                (Ok(whole), Ok(pieces)) => {
                    assert_eq!(canonical(&whole), canonical(&pieces), "{}", path.display())
                }
                (Err(_), Err(_)) => {}
                (whole, pieces) => panic!(
                    "{}: {:?} whole, {:?} in pieces",
                    path.display(),
                    whole.err(),
                    pieces.err()
                ),
            }
            if let Ok(text) = std::str::from_utf8(&file.bytes) {
                let mut n = 0;
                if parse::parse_pieces(text, 1, true, |_| n += 1).unwrap() && n > 1 {
                    in_pieces += 1;
                }
            }
        }
        // The others are one statement long, or hold a syntax error.
        assert!(
            paths.len() > 150 && in_pieces * 10 > paths.len() * 6,
            "{in_pieces} of {} files read in pieces",
            paths.len()
        );
    }
}
