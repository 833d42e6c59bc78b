//! The floor for benchmarks (bench/imports.sh): read every `.py` blob of a revision out of git
//! and parse it in full with tree-sitter, on every core, doing nothing else. A bumpwise command
//! that reads the same files cannot be faster than this.
//!
//! Usage: `cargo run --release --example parse_floor -- REPO [REV] [PREFIX]`

use std::cell::RefCell;

use rayon::prelude::*;

#[allow(clippy::print_stdout)] // a benchmark tool: its one line of output is the point
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let repo_path = args
        .next()
        .ok_or("usage: parse_floor REPO [REV] [PREFIX]")?;
    let rev = args.next().unwrap_or_else(|| "HEAD".to_owned());
    let prefix = args.next().unwrap_or_default();
    let repo = git2::Repository::open(&repo_path)?;
    let tree = repo.revparse_single(&rev)?.peel_to_tree()?;
    let mut blobs = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        let path = format!("{dir}{}", entry.name().unwrap_or_default());
        if path.ends_with(".py") && path.starts_with(&prefix) {
            blobs.push(entry.id());
        }
        git2::TreeWalkResult::Ok
    })?;
    thread_local! {
        static REPO: RefCell<Option<git2::Repository>> = const { RefCell::new(None) };
        static PARSER: RefCell<Option<tree_sitter::Parser>> = const { RefCell::new(None) };
    }
    let (bytes, nodes) = blobs
        .par_iter()
        .map(|id| {
            let text = REPO.with(|r| {
                let mut r = r.borrow_mut();
                let repo = r.get_or_insert_with(|| {
                    git2::Repository::open(&repo_path).expect("the repository opened above")
                });
                repo.find_blob(*id)
                    .map(|b| b.content().to_vec())
                    .unwrap_or_default()
            });
            let count = PARSER.with(|p| {
                let mut p = p.borrow_mut();
                let parser = p.get_or_insert_with(|| {
                    let mut parser = tree_sitter::Parser::new();
                    parser
                        .set_language(&tree_sitter_python::LANGUAGE.into())
                        .expect("the grammar loads");
                    parser
                });
                parser
                    .parse(&text, None)
                    .map(|t| t.root_node().descendant_count())
                    .unwrap_or(0)
            });
            (text.len(), count)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{} files, {bytes} bytes, {nodes} nodes", blobs.len());
    Ok(())
}
