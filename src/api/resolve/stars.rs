//! What `from m import *` binds (API-RULES.md section 2): the module's exports, and without
//! `__all__` the public names it imports from elsewhere in the package. Found once per module,
//! since every name resolved through the import asks.

use std::collections::HashSet;
use std::sync::Arc;

use super::super::exports::Modules;
use super::super::extract::{AllSpec, Def, ModuleFacts};
use super::Resolver;

impl Resolver<'_> {
    /// The names `from m import *` binds. Without `__all__` Python takes every public global,
    /// so a name `m` imports from elsewhere in the package comes along (`from .b import helper`
    /// in `a` makes `from .a import *` bind `helper`); one imported from outside the package
    /// (`import os`) does not, since it is no part of the package's API (API-RULES.md section 2).
    /// A dynamic `__all__` keeps the underscore rule: its names are unknown.
    pub(super) fn star_names(&mut self, m: usize) -> Arc<StarNames> {
        if let Some(names) = self.stars.get(&m) {
            return Arc::clone(names);
        }
        let exports = self.exports_of(m);
        let mut names = StarNames {
            set: exports.iter().cloned().collect(),
            list: exports.to_vec(),
        };
        // Inside an import cycle the exports are not known yet: kept only once they are.
        let known = self.exports.contains_key(&m);
        if let Some(facts) = self.facts(m)
            && matches!(facts.all, AllSpec::Absent)
        {
            names.add_imports(facts, self.mods);
        }
        let names = Arc::new(names);
        if known {
            self.stars.insert(m, Arc::clone(&names));
        }
        names
    }
}

/// The names `from m import *` binds, in order, and as a set to look names up in.
pub(crate) struct StarNames {
    pub(super) list: Vec<String>,
    pub(super) set: HashSet<String>,
}

impl StarNames {
    /// Without `__all__`, the public names the module imports from elsewhere in the package.
    fn add_imports(&mut self, facts: &ModuleFacts, mods: &Modules) {
        for (name, bound) in &facts.bindings {
            let internal_import = match &bound.def {
                Def::Import {
                    module,
                    name: imported,
                    ..
                } => {
                    // `import mypkg.sub` binds `mypkg`, the package itself: not a name of it.
                    !(imported.is_none() && module == name) && mods.is_internal(module)
                }
                _ => false,
            };
            if internal_import
                && bound.runtime
                && !name.starts_with('_')
                && self.set.insert(name.clone())
            {
                self.list.push(name.clone());
            }
        }
    }
}
