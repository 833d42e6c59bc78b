//! `import` and `from ... import` statements: what they bind, and where a module `__getattr__`
//! forwards to.

use tree_sitter::Node;

use super::*;

impl<'a> Walker<'a> {
    pub(super) fn import(&mut self, node: Node<'_>, mode: Mode) {
        let line = line_of(node);
        for name in node.children_by_field_name("name", &mut node.walk()) {
            match name.kind_str() {
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
                        .field("name")
                        .map(|n| dotted_text(n, self.src))
                        .unwrap_or_default();
                    if let Some(alias) = name.field("alias").map(|a| self.text(a)) {
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

    pub(super) fn import_from(&mut self, node: Node<'_>, mode: Mode) {
        let Some(source) = node.field("module_name") else {
            return;
        };
        let module = match source.kind_str() {
            "relative_import" => self.relative(source),
            _ => dotted_text(source, self.src),
        };
        let line = line_of(node);
        if named_children(node)
            .iter()
            .any(|c| c.kind_str() == "wildcard_import")
        {
            if !mode.alternative || mode.runtime {
                self.facts.stars.push(Star {
                    module: module.clone(),
                    runtime: mode.runtime,
                });
            }
            return;
        }
        for (imported, alias) in self.imported_names(node) {
            let bound = alias.unwrap_or(&imported).to_owned();
            let def = Def::Import {
                module: module.clone(),
                redundant: alias == Some(imported.as_str()),
                name: Some(imported),
            };
            self.bind(&bound, def, line, mode);
        }
    }

    /// The names an import statement lists, each with its `as` alias: `from m import a, b as c`
    /// gives `(a, None)` and `(b, Some(c))`.
    fn imported_names(&self, import: Node<'_>) -> Vec<(String, Option<&'a str>)> {
        let mut out = Vec::new();
        for name in import.children_by_field_name("name", &mut import.walk()) {
            match name.kind_str() {
                "dotted_name" => out.push((dotted_text(name, self.src), None)),
                "aliased_import" => out.push((
                    name.field("name")
                        .map(|n| dotted_text(n, self.src))
                        .unwrap_or_default(),
                    name.field("alias").map(|a| self.text(a)),
                )),
                _ => {}
            }
        }
        out
    }

    /// Where a forwarding `__getattr__` (`node`) looks names up: a module imported in the
    /// function itself (`from . import new`, `import mypkg.new as new`), a module named to
    /// `importlib.import_module`, else a name bound at module level.
    pub(super) fn forward_target(&self, node: Node<'_>, forward: RawForward) -> Forward {
        let path = match forward {
            RawForward::ImportModule(name) => {
                let dots = name.len() - name.trim_start_matches('.').len();
                if dots == 0 {
                    return Forward::Module(name);
                }
                let mut parts: Vec<&str> = self.ctx.name.split('.').collect();
                if !self.ctx.is_package {
                    parts.pop();
                }
                for _ in 1..dots {
                    parts.pop();
                }
                let rest = &name[dots..];
                let mut module = parts.join(".");
                if !rest.is_empty() {
                    module = format!("{module}.{rest}");
                }
                return Forward::Module(module);
            }
            RawForward::Path(path) => path,
        };
        let head = path[0].as_str();
        let body = node.field("body");
        let imports = body
            .into_iter()
            .flat_map(|b| {
                descendants_of_kind(b, "import_from_statement")
                    .into_iter()
                    .chain(descendants_of_kind(b, "import_statement"))
            })
            .collect::<Vec<_>>();
        for import in imports {
            let from = import.field("module_name").map(|m| match m.kind_str() {
                "relative_import" => self.relative(m),
                _ => dotted_text(m, self.src),
            });
            for (imported, alias) in self.imported_names(import) {
                if alias.unwrap_or(imported.as_str()) != head {
                    continue;
                }
                let module = match &from {
                    Some(from) => format!("{from}.{imported}"),
                    None => imported.clone(),
                };
                let rest = path[1..].join(".");
                return Forward::Module(if rest.is_empty() {
                    module
                } else {
                    format!("{module}.{rest}")
                });
            }
        }
        Forward::Path(path)
    }

    /// The absolute module a relative import names; `..` past the top keeps its dots (and so
    /// never matches a module of the package).
    pub(super) fn relative(&self, node: Node<'_>) -> String {
        let mut dots = 0;
        let mut rest = String::new();
        for child in named_children(node) {
            match child.kind_str() {
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
