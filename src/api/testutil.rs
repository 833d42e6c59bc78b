//! Helpers for the unit tests of `api`: extraction of one module from source text.

use super::class::ClassFacts;
use super::extract::{Def, ModuleCtx, ModuleFacts, module};
use super::parse::{self, Parsed};
use super::signature::FunctionFacts;
use super::{Param, ParamKind, Variable};

pub(crate) fn parsed(src: &str) -> Parsed {
    parse::parse("pkg/mod.py", src.as_bytes()).unwrap()
}

pub(crate) fn facts(src: &str) -> ModuleFacts {
    facts_in("pkg.mod", false, src)
}

pub(crate) fn facts_in(name: &str, is_package: bool, src: &str) -> ModuleFacts {
    let p = parsed(src);
    module(
        &p,
        &ModuleCtx {
            name,
            is_package,
            is_stub: false,
        },
    )
}

pub(crate) fn function_of(src: &str, name: &str) -> FunctionFacts {
    match &facts(src).bindings[name].def {
        Def::Function(f) => (**f).clone(),
        other => panic!("{other:?}"),
    }
}

pub(crate) fn class_of(src: &str, name: &str) -> ClassFacts {
    match &facts(src).bindings[name].def {
        Def::Class(c) => (**c).clone(),
        other => panic!("{other:?}"),
    }
}

pub(crate) fn value_of(src: &str, name: &str) -> Variable {
    match &facts(src).bindings[name].def {
        Def::Variable(v) => v.clone(),
        other => panic!("{other:?}"),
    }
}

pub(crate) fn norm(expr: &str) -> String {
    value_of(&format!("x = {expr}\n"), "x").value.unwrap()
}

pub(crate) fn p(
    name: &str,
    kind: ParamKind,
    default: Option<&str>,
    annotation: Option<&str>,
) -> Param {
    Param {
        name: name.to_owned(),
        kind,
        default: default.map(str::to_owned),
        annotation: annotation.map(str::to_owned),
    }
}

pub(crate) fn ctor(c: &ClassFacts) -> Vec<(String, Option<String>, bool, bool)> {
    c.fields
        .iter()
        .map(|f| (f.arg.clone(), f.default.clone(), f.init, f.kw_only))
        .collect()
}

pub(crate) fn f(
    arg: &str,
    default: Option<&str>,
    init: bool,
    kw: bool,
) -> (String, Option<String>, bool, bool) {
    (arg.to_owned(), default.map(str::to_owned), init, kw)
}
