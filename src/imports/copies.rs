//! The copied-code rule: a module of one member that is a copy of a module of another member,
//! whole (the same syntax once whitespace and comments are gone) or near (most of its top-level
//! functions and classes identical).
//!
//! Pure logic over the [`Shape`]s the `api` stage hashed: it never reads files. Files are grouped
//! by hash, so the cost follows the number of files and of duplicated definitions, not the
//! number of pairs.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::api::Shape;

/// A file under fewer tokens is never an exact copy. `from .x import y` is 4 tokens, and a
/// re-exporting `__init__.py` or a `__main__.py` calling `main()` stays under 30: such
/// boilerplate is written alike on purpose. 40 tokens is a few real statements.
pub const MIN_FILE_TOKENS: u32 = 40;

/// A top-level definition under this many tokens does not count for near copies:
/// `def main(): app = create_app(); app.run()` (15 tokens) or `class Error(Exception): pass`
/// is written alike independently, while a 20-token body is a choice someone made.
pub const MIN_DEF_TOKENS: u32 = 20;

/// A near copy shares at least this many non-trivial definitions...
pub const MIN_SHARED_DEFS: usize = 2;

/// ...and at least this fraction (numerator, denominator) of the smaller file's non-trivial
/// definitions: two thirds, so 2 of 3 and 3 of 4 count, but not 2 of 4.
pub const SHARED_FRACTION: (usize, usize) = (2, 3);

/// What a member ships as, which decides which side of a copy is the original.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MemberKind {
    /// A library others may depend on: it holds the original over a service.
    Package,
    /// A deployable that nothing depends on.
    Service,
}

/// One file of a member, as the rule sees it.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    /// The member's project name (`invoice-rules`).
    pub member: &'a str,
    pub kind: MemberKind,
    /// Repository-relative path.
    pub file: &'a str,
    pub shape: &'a Shape,
    /// The project names of the members this member declares as dependencies.
    pub depends_on: &'a [&'a str],
}

/// A file that copies a file of another member.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Copied {
    /// The copy.
    pub file: String,
    /// Line 1 for an exact copy; for a near copy, the first shared definition's line.
    pub line: u32,
    pub member: String,
    /// The file it copies, and that file's member (the one to depend on instead).
    pub original_file: String,
    pub original_member: String,
    /// Only most top-level definitions are identical, not the whole file.
    pub near: bool,
    /// For a near copy: the non-trivial definitions shared, and the copy's count of them
    /// (both 0 for an exact copy).
    pub shared_defs: usize,
    pub total_defs: usize,
}

/// Every copy among `files`, each reported once on the copy, sorted by file and line.
///
/// Only files of different members are compared. Exact copies win over near ones, and a file
/// is reported at most once.
pub fn find(files: &[Candidate<'_>]) -> Vec<Copied> {
    let mut out: BTreeMap<usize, Copied> = BTreeMap::new();
    exact(files, &mut out);
    near(files, &mut out);
    let mut out: Vec<Copied> = out.into_values().collect();
    out.sort();
    out
}

fn exact(files: &[Candidate<'_>], out: &mut BTreeMap<usize, Copied>) {
    let mut groups: HashMap<(u64, u32), Vec<usize>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        if f.shape.tokens >= MIN_FILE_TOKENS {
            groups
                .entry((f.shape.hash, f.shape.tokens))
                .or_default()
                .push(i);
        }
    }
    for group in groups.values().filter(|g| g.len() > 1) {
        let mut group = group.clone();
        group.sort_by(|&a, &b| by_place(&files[a], &files[b]));
        // `original_first` need not be transitive (dependencies can form a cycle), so the
        // original is the winner of one pass in a fixed order.
        let mut original = group[0];
        for &i in &group[1..] {
            if original_first(&files[i], &files[original]) == Ordering::Less {
                original = i;
            }
        }
        let o = &files[original];
        for &i in &group {
            if !same_member(&files[i], o) {
                out.insert(i, copied(&files[i], 1, o, false, 0, 0));
            }
        }
    }
}

fn near(files: &[Candidate<'_>], out: &mut BTreeMap<usize, Copied>) {
    // Each file's distinct non-trivial definitions, and which files hold each one.
    let keys: Vec<BTreeSet<(u64, u32)>> = files
        .iter()
        .map(|f| {
            f.shape
                .defs
                .iter()
                .filter(|d| d.tokens >= MIN_DEF_TOKENS)
                .map(|d| (d.hash, d.tokens))
                .collect()
        })
        .collect();
    let mut holders: HashMap<(u64, u32), Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if k.len() >= MIN_SHARED_DEFS {
            for &key in k {
                holders.entry(key).or_default().push(i);
            }
        }
    }
    for (i, f) in files.iter().enumerate() {
        if out.contains_key(&i) || keys[i].len() < MIN_SHARED_DEFS {
            continue;
        }
        let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
        for key in &keys[i] {
            for &j in holders.get(key).map_or(&[][..], Vec::as_slice) {
                *shared.entry(j).or_default() += 1;
            }
        }
        let best = shared
            .into_iter()
            .filter(|&(j, n)| {
                let g = &files[j];
                let smaller = keys[i].len().min(keys[j].len());
                !same_member(f, g)
                    && (g.shape.hash, g.shape.tokens) != (f.shape.hash, f.shape.tokens)
                    && n >= MIN_SHARED_DEFS
                    && n * SHARED_FRACTION.1 >= smaller * SHARED_FRACTION.0
                    && original_first(g, f) == Ordering::Less
            })
            // Most shared first, then a package's file, then by path.
            .min_by(|&(a, na), &(b, nb)| {
                nb.cmp(&na)
                    .then(files[a].kind.cmp(&files[b].kind))
                    .then(by_place(&files[a], &files[b]))
            });
        if let Some((j, n)) = best {
            let line = f
                .shape
                .defs
                .iter()
                .filter(|d| keys[j].contains(&(d.hash, d.tokens)))
                .map(|d| d.line)
                .min()
                .unwrap_or(1);
            out.insert(i, copied(f, line, &files[j], true, n, keys[i].len()));
        }
    }
}

fn copied(
    copy: &Candidate<'_>,
    line: u32,
    original: &Candidate<'_>,
    near: bool,
    shared_defs: usize,
    total_defs: usize,
) -> Copied {
    Copied {
        file: copy.file.to_owned(),
        line,
        member: copy.member.to_owned(),
        original_file: original.file.to_owned(),
        original_member: original.member.to_owned(),
        near,
        shared_defs,
        total_defs,
    }
}

/// `Less` when `a` holds the original of a copy between `a` and `b`: a package over a service;
/// between the same kinds, the member the other depends on; else the path that sorts first.
fn original_first(a: &Candidate<'_>, b: &Candidate<'_>) -> Ordering {
    if a.kind != b.kind {
        return a.kind.cmp(&b.kind);
    }
    match (depends(a, b), depends(b, a)) {
        (false, true) => Ordering::Less,
        (true, false) => Ordering::Greater,
        _ => by_place(a, b),
    }
}

fn by_place(a: &Candidate<'_>, b: &Candidate<'_>) -> Ordering {
    a.file.cmp(b.file).then(a.member.cmp(b.member))
}

fn depends(a: &Candidate<'_>, on: &Candidate<'_>) -> bool {
    let target = normalized(on.member);
    a.depends_on.iter().any(|d| normalized(d) == target)
}

fn same_member(a: &Candidate<'_>, b: &Candidate<'_>) -> bool {
    normalized(a.member) == normalized(b.member)
}

/// A project name as PEP 503 compares it: `Invoice_Rules` is `invoice-rules`.
fn normalized(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(src: &str) -> Shape {
        crate::api::import_facts("m.py", src.as_bytes(), true)
            .unwrap()
            .shape
    }

    /// (member, kind, file, source, dependencies)
    type Row<'a> = (&'a str, MemberKind, &'a str, &'a str, &'a [&'a str]);

    fn run(rows: &[Row<'_>]) -> Vec<Copied> {
        let shapes: Vec<Shape> = rows.iter().map(|r| shape(r.3)).collect();
        let files: Vec<Candidate<'_>> = rows
            .iter()
            .zip(&shapes)
            .map(|(&(member, kind, file, _, depends_on), shape)| Candidate {
                member,
                kind,
                file,
                shape,
                depends_on,
            })
            .collect();
        find(&files)
    }

    /// (copy, line, original, near)
    fn brief(found: &[Copied]) -> Vec<(&str, u32, &str, bool)> {
        found
            .iter()
            .map(|c| (c.file.as_str(), c.line, c.original_file.as_str(), c.near))
            .collect()
    }

    use MemberKind::{Package, Service};

    const RULES: &str = "\
\"\"\"Invoice rules.\"\"\"
from decimal import Decimal


def total(lines):
    return sum((l.price * l.quantity for l in lines), Decimal(0))


def tax(lines, rate):
    return (total(lines) * rate).quantize(Decimal('0.01'))
";

    const RULES_REFORMATTED: &str = "\
# Copied from the invoice service, do not edit.
\"\"\"Invoice rules.\"\"\"
from decimal import Decimal
def total( lines ):
    # the sum
    return sum(( l.price*l.quantity for l in lines ), Decimal(0))
def tax(lines, rate):
    return (total(lines) * rate).quantize(
        Decimal('0.01')
    )
";

    const A: &str = "packages/invoice_rules/src/invoice_rules/rules.py";
    const B: &str = "services/billing/src/billing/rules.py";

    #[test]
    fn exact_copy_with_other_comments_and_whitespace() {
        let found = run(&[
            ("billing", Service, B, RULES_REFORMATTED, &[]),
            ("invoice-rules", Package, A, RULES, &[]),
        ]);
        assert_eq!(brief(&found), [(B, 1, A, false)]);
        assert_eq!(found[0].member, "billing");
        assert_eq!(found[0].original_member, "invoice-rules");
    }

    #[test]
    fn a_renamed_variable_is_not_an_exact_copy() {
        let renamed = RULES.replace("for l in lines", "for x in lines");
        let renamed = renamed.replace("l.price * l.quantity", "x.price * x.quantity");
        let found = run(&[
            ("billing", Service, B, &renamed, &[]),
            ("invoice-rules", Package, A, RULES, &[]),
        ]);
        // `total` changed, so only `tax` is shared: 1 of 2 is no near copy either.
        assert_eq!(brief(&found), []);
    }

    const FOUR: &str = "\
def total(lines):
    return sum((l.price * l.quantity for l in lines), Decimal(0))


def tax(lines, rate):
    return (total(lines) * rate).quantize(Decimal('0.01'))


class Invoice:
    def __init__(self, lines):
        self.lines = list(lines)
        self.paid = False


def discount(lines, pct):
    return total(lines) * (Decimal(100) - pct) / Decimal(100)
";

    #[test]
    fn near_copy_with_three_of_four_defs() {
        let changed = FOUR.replace("self.lines = list(lines)", "self.lines = tuple(lines)");
        let copy = format!("import logging\nLOG = logging.getLogger(__name__)\n{changed}");
        let found = run(&[
            ("billing", Service, B, &copy, &[]),
            ("invoice-rules", Package, A, FOUR, &[]),
        ]);
        assert_eq!(brief(&found), [(B, 3, A, true)]);
        assert_eq!((found[0].shared_defs, found[0].total_defs), (3, 4));
        let tokens: Vec<u32> = shape(FOUR).defs.iter().map(|d| d.tokens).collect();
        assert!(tokens.iter().all(|&n| n >= MIN_DEF_TOKENS), "{tokens:?}");
    }

    #[test]
    fn two_of_four_is_not_a_near_copy() {
        let changed = FOUR
            .replace("self.lines = list(lines)", "self.lines = tuple(lines)")
            .replace("Decimal(100) - pct", "Decimal(100) - pct - 1");
        let found = run(&[
            ("billing", Service, B, &changed, &[]),
            ("invoice-rules", Package, A, FOUR, &[]),
        ]);
        assert_eq!(brief(&found), []);
    }

    #[test]
    fn a_service_file_that_carries_a_small_package_module() {
        // The package's module is all in the service's larger file: the pair is a near copy
        // (3 of the smaller file's 3), reported on the service.
        let small = "def a(x):\n    return [i * 2 for i in x if i is not None and i > 0]\n\ndef b(x):\n    return {k: v for k, v in x.items() if v is not None and k}\n\ndef c(x):\n    return sorted(set(x), key=lambda i: (i is None, str(i)))[::-1]\n";
        let big = format!(
            "{small}\ndef d(y):\n    return y.strip().lower().replace('-', '_').split('.')[0]\n\ndef e(y):\n    return [p for p in y.split('/') if p and p != '.' and p != '..']\n"
        );
        let found = run(&[
            ("utils", Package, A, small, &[]),
            ("billing", Service, B, &big, &[]),
        ]);
        assert_eq!(brief(&found), [(B, 1, A, true)]);
        assert_eq!((found[0].shared_defs, found[0].total_defs), (3, 5));
    }

    #[test]
    fn trivial_files_and_defs_never_match() {
        let init = "from .rules import total, tax\n\n__all__ = [\"total\", \"tax\"]\n";
        let trivial = "def f():\n    pass\n\ndef g(x):\n    return x\n\nclass E(Exception):\n    pass\n\ndef main():\n    app = create_app()\n    app.run()\n";
        let found = run(&[
            ("a", Package, "a/__init__.py", init, &[]),
            ("b", Package, "b/__init__.py", init, &[]),
            ("a", Package, "a/empty.py", "", &[]),
            ("b", Package, "b/empty.py", "", &[]),
            ("a", Package, "a/t.py", &format!("X = 1\n{trivial}"), &[]),
            ("b", Package, "b/t.py", &format!("Y = 2\n{trivial}"), &[]),
        ]);
        assert_eq!(brief(&found), []);
        assert!(shape(init).tokens < MIN_FILE_TOKENS);
    }

    #[test]
    fn files_of_one_member_never_match() {
        let found = run(&[
            ("invoice-rules", Package, A, RULES, &[]),
            (
                "invoice_rules",
                Package,
                "packages/invoice_rules/old.py",
                RULES,
                &[],
            ),
            (
                "invoice-rules",
                Package,
                "packages/invoice_rules/x.py",
                FOUR,
                &[],
            ),
            (
                "Invoice.Rules",
                Package,
                "packages/invoice_rules/y.py",
                FOUR,
                &[],
            ),
        ]);
        assert_eq!(brief(&found), []);
    }

    #[test]
    fn a_package_holds_the_original_over_a_service() {
        // The service's path sorts first, and it does not matter.
        let found = run(&[
            ("api", Service, "a/rules.py", RULES, &[]),
            ("rules", Package, "z/rules.py", RULES, &[]),
        ]);
        assert_eq!(brief(&found), [("a/rules.py", 1, "z/rules.py", false)]);
    }

    #[test]
    fn a_dependency_holds_the_original_then_the_first_path() {
        let found = run(&[
            ("app", Package, "a/rules.py", RULES, &["Core_Lib"]),
            ("core-lib", Package, "z/rules.py", RULES, &[]),
        ]);
        assert_eq!(brief(&found), [("a/rules.py", 1, "z/rules.py", false)]);

        let found = run(&[
            ("one", Service, "b/rules.py", RULES, &[]),
            ("two", Service, "a/rules.py", RULES, &[]),
        ]);
        assert_eq!(brief(&found), [("b/rules.py", 1, "a/rules.py", false)]);

        // Near copies follow the same rules.
        let changed = FOUR.replace("self.lines = list(lines)", "self.lines = tuple(lines)");
        let found = run(&[
            ("app", Package, "a/x.py", &changed, &["core-lib"]),
            ("core-lib", Package, "z/x.py", FOUR, &[]),
        ]);
        assert_eq!(brief(&found), [("a/x.py", 1, "z/x.py", true)]);
    }

    #[test]
    fn three_members_with_one_file_report_two_copies_of_one_original() {
        let found = run(&[
            ("c", Service, "c/rules.py", RULES, &[]),
            ("b", Service, "b/rules.py", RULES_REFORMATTED, &[]),
            ("a", Package, "a/rules.py", RULES, &[]),
            ("a", Package, "a/again.py", RULES, &[]),
        ]);
        assert_eq!(
            brief(&found),
            [
                ("b/rules.py", 1, "a/again.py", false),
                ("c/rules.py", 1, "a/again.py", false),
            ]
        );
    }

    #[test]
    fn the_same_input_in_any_order_gives_the_same_output() {
        let changed = FOUR.replace("self.lines = list(lines)", "self.lines = tuple(lines)");
        let rows: Vec<Row<'_>> = vec![
            ("billing", Service, B, RULES_REFORMATTED, &[]),
            ("invoice-rules", Package, A, RULES, &[]),
            ("shop", Service, "services/shop/x.py", &changed, &[]),
            ("pricing", Package, "packages/pricing/x.py", FOUR, &[]),
            ("orders", Service, "services/orders/x.py", FOUR, &[]),
            ("cycle-a", Package, "p/a.py", RULES, &["cycle-b"]),
            ("cycle-b", Package, "p/b.py", RULES, &["cycle-a"]),
        ];
        let first = run(&rows);
        // Three copies of `p/a.py` and two of `packages/pricing/x.py`, which is itself a near
        // copy of `p/a.py`: it holds both of its definitions.
        assert_eq!(first.len(), 6, "{first:#?}");
        assert!(
            first
                .iter()
                .any(|c| c.file == "packages/pricing/x.py" && c.near)
        );
        let mut reversed = rows.clone();
        reversed.reverse();
        assert_eq!(run(&reversed), first);
        let mut rotated = rows;
        rotated.rotate_left(3);
        assert_eq!(run(&rotated), first);
    }
}
