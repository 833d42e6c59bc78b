//! Names a module binds through `global` in a function it calls on import (colorama's
//! `initialise.py` binds its state this way).

use tree_sitter::Node;

use super::*;

impl<'a> Walker<'a> {
    /// A call statement at module level (`_init()`) runs that module function on import, so the
    /// names it declares `global` and assigns are module attributes from here on, exactly as
    /// if assigned here (colorama 0.4.6 binds `orig_stdout` this way, where 0.4.5 assigned it
    /// directly). A function that is only defined binds nothing: until someone calls it,
    /// `from mod import name` fails, so moving a name into such a function is a removal.
    pub(super) fn call(&mut self, call: Node<'_>, mode: Mode) {
        let function = callee(call);
        if function.kind_str() != "identifier" {
            return;
        }
        let name = self.text(function);
        if !matches!(
            self.facts.bindings.get(name),
            Some(Bound {
                def: Def::Function(_),
                ..
            })
        ) {
            return;
        }
        for write in self.global_writes.get(name).cloned().unwrap_or_default() {
            self.bind(&write.name, write.def, write.line, mode);
        }
    }

    /// The names the function `node` declares `global` and assigns in its own scope, each
    /// with what a direct module-level assignment of the same value would bind (so that
    /// `x = None` and `global x; x = None` in a called function compare as the same
    /// variable). A name assigned different values gets a variable of unknown value: which
    /// one a call leaves depends on the path it takes.
    pub(super) fn global_writes_of(&self, node: Node<'_>) -> Vec<GlobalWrite> {
        let Some(body) = node.field("body") else {
            return Vec::new();
        };
        // Most functions declare nothing `global`: skip the walk.
        if !self.text(body).contains("global") {
            return Vec::new();
        }
        let mut declared = HashSet::new();
        let mut assignments = Vec::new();
        let mut stack = vec![body];
        while let Some(n) = stack.pop() {
            match n.kind_str() {
                // Nested functions, classes and lambdas have scopes of their own.
                "function_definition" | "class_definition" | "lambda" => continue,
                "global_statement" => declared.extend(
                    named_children(n)
                        .into_iter()
                        .filter(|c| c.kind_str() == "identifier")
                        .map(|c| self.text(c)),
                ),
                "assignment" => assignments.push(n),
                _ => {}
            }
            stack.extend(named_children(n));
        }
        if declared.is_empty() {
            return Vec::new();
        }
        assignments.sort_by_key(|n| n.start_byte());
        // Parameters and other assigned names are the function's locals: `x = helper` with a
        // local `helper` holds that value, it is no alias of a module-level `helper`.
        let mut locals: HashSet<&str> = node
            .field("parameters")
            .map(named_children)
            .unwrap_or_default()
            .into_iter()
            .filter_map(first_identifier)
            .map(|n| self.text(n))
            .collect();
        /// A declared name's first assignment, and whether every later one assigns the same.
        struct Written<'s, 't> {
            name: &'s str,
            value: Option<Node<'t>>,
            line: u32,
            same: bool,
        }
        let text = |v: Option<Node<'_>>| v.map(|v| expr_text(v, self.src));
        let mut written: Vec<Written<'_, '_>> = Vec::new();
        for assignment in assignments {
            let Some(target) = assignment.field("left") else {
                continue;
            };
            // `a = b = value`: the inner assignment is visited too, and gives `b` its value.
            let mut value = assignment.field("right");
            while let Some(v) = value.filter(|v| v.kind_str() == "assignment") {
                value = v.field("right");
            }
            let pairs = match target.kind_str() {
                "identifier" => vec![(target, value)],
                "pattern_list" | "tuple_pattern" | "list_pattern" => {
                    let names = named_children(target);
                    let items = value
                        .filter(|v| matches!(v.kind_str(), "expression_list" | "tuple" | "list"))
                        .map(named_children)
                        .filter(|vs| vs.len() == names.len());
                    names
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (*t, items.as_ref().map(|vs| vs[i])))
                        .collect()
                }
                _ => Vec::new(),
            };
            for (target, value) in pairs {
                if target.kind_str() != "identifier" {
                    continue;
                }
                let name = self.text(target);
                // `__all__` is read from module-level statements only.
                if !declared.contains(name) || name == "__all__" {
                    locals.insert(name);
                    continue;
                }
                match written.iter_mut().find(|w| w.name == name) {
                    Some(w) => w.same = w.same && text(w.value) == text(value),
                    None => written.push(Written {
                        name,
                        value,
                        line: line_of(assignment),
                        same: true,
                    }),
                }
            }
        }
        written
            .into_iter()
            .map(|w| {
                let def = match w.value {
                    Some(value) if w.same => match self.value_def(None, value, w.line) {
                        Def::Alias { path, text } if locals.contains(path[0].as_str()) => {
                            Def::Variable(Variable {
                                annotation: None,
                                value: Some(text),
                                call: None,
                            })
                        }
                        def => def,
                    },
                    _ => Def::Variable(Variable {
                        annotation: None,
                        value: None,
                        call: None,
                    }),
                };
                GlobalWrite {
                    name: w.name.to_owned(),
                    def,
                    line: w.line,
                }
            })
            .collect()
    }
}
