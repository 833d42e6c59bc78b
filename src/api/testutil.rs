//! Helpers for the unit tests of `api`: extraction of one module from source text, and whole
//! surfaces built from a few files of a package `mypkg`.

use super::class::ClassFacts;
use super::exports::build;
use super::extract::{Def, ModuleCtx, ModuleFacts, module};
use super::parse::{self, Parsed};
use super::signature::FunctionFacts;
use super::{
    Class, Function, Item, ItemKind, PackageRoot, Param, ParamKind, SourceFile, Surface, Variable,
    Warning,
};

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

pub(crate) fn pkg() -> PackageRoot {
    PackageRoot {
        import_name: "mypkg".to_owned(),
        path: "src/mypkg".to_owned(),
        single_module: false,
    }
}

pub(crate) fn files(list: &[(&str, &str)]) -> Vec<SourceFile> {
    list.iter()
        .map(|(p, s)| SourceFile {
            path: format!("src/mypkg/{p}"),
            bytes: s.as_bytes().to_vec().into(),
            id: None,
        })
        .collect()
}

pub(crate) fn run(list: &[(&str, &str)]) -> (Surface, Vec<Warning>) {
    build(
        &[pkg()],
        &files(list),
        &globset::GlobSet::empty(),
        &super::Parses::default(),
    )
    .unwrap()
}

pub(crate) fn surface(list: &[(&str, &str)]) -> Surface {
    run(list).0
}

pub(crate) fn names(s: &Surface, module: &str) -> Vec<String> {
    s.modules[module].exports.keys().cloned().collect()
}

pub(crate) fn export<'s>(s: &'s Surface, module: &str, name: &str) -> &'s Item {
    &s.modules[module].exports[name]
}

pub(crate) fn class<'s>(s: &'s Surface, module: &str, name: &str) -> &'s Class {
    match &export(s, module, name).kind {
        ItemKind::Class(c) => c,
        other => panic!("{other:?}"),
    }
}

pub(crate) fn func<'s>(s: &'s Surface, module: &str, name: &str) -> &'s Function {
    match &export(s, module, name).kind {
        ItemKind::Function(f) => f,
        other => panic!("{other:?}"),
    }
}

pub(crate) fn glob(patterns: &[&str]) -> globset::GlobSet {
    let mut b = globset::GlobSetBuilder::new();
    for p in patterns {
        b.add(globset::Glob::new(p).unwrap());
    }
    b.build().unwrap()
}

/// Every `.py` and `.pyi` file under testdata/ (fixtures, fuzz seeds, layouts, workspaces),
/// sorted.
pub(crate) fn testdata_python_files() -> Vec<std::path::PathBuf> {
    python_files_under(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"))
}

/// Every `.py` and `.pyi` file under `dir`, sorted.
pub(crate) fn python_files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "py" || e == "pyi") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}
