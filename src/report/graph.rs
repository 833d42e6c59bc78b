//! The member graph as people and Graphviz read it (`bumpwise graph`), and the message `diff`
//! and `check` give for a dependent whose requirement leaves out a member's next version.
//!
//! Plain text only: no colour, so the same graph prints the same bytes everywhere. Members and
//! edges are sorted by name, never in discovery order.

use std::io::{self, Write};

use crate::project::graph::{Edge, Graph, Outside, Via};

/// Writes the members with their directories, then one line per requirement between them:
/// `billing-worker (services/billing_worker) -> invoice-rules >=0.4,<0.5`.
pub(crate) fn text(graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
    let nodes = graph.nodes();
    let mut members: Vec<usize> = (0..nodes.len()).collect();
    members.sort_by(|&a, &b| (&nodes[a].name, a).cmp(&(&nodes[b].name, b)));
    let width = nodes.iter().map(|n| n.name.len()).max().unwrap_or(0);
    writeln!(out, "members ({}):", nodes.len())?;
    for &i in &members {
        let n = &nodes[i];
        writeln!(out, "  {:width$}  {}", n.name, dir(&n.dir))?;
    }

    writeln!(out)?;
    let edges = sorted(graph);
    if edges.is_empty() {
        writeln!(out, "dependencies: none between members")?;
        return Ok(());
    }
    writeln!(out, "dependencies ({}):", edges.len())?;
    for e in edges {
        let (from, to) = (&nodes[e.dependent], &nodes[e.dependency]);
        let mut line = format!("  {} ({}) -> {}", from.name, dir(&from.dir), to.name);
        match &e.pep508 {
            Ok(pep) if !pep.specifiers.as_str().is_empty() => {
                line.push(' ');
                line.push_str(pep.specifiers.as_str());
            }
            _ => {}
        }
        let mut notes: Vec<String> = Vec::new();
        if let Some(via) = via(e.via) {
            notes.push(via.to_owned());
        }
        if let Some(extra) = &e.extra {
            notes.push(format!("extra {extra}"));
        }
        if e.pep508.is_err() {
            notes.push(format!("not PEP 508: `{}`", e.requirement));
        }
        if !notes.is_empty() {
            line.push_str(&format!(" ({})", notes.join(", ")));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Writes the graph in Graphviz's DOT language: one node per member with its directory as
/// tooltip, one edge per requirement labelled with its specifiers (or how it was found), dashed
/// when it belongs to an extra.
pub(crate) fn dot(graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
    let nodes = graph.nodes();
    let mut members: Vec<usize> = (0..nodes.len()).collect();
    members.sort_by(|&a, &b| (&nodes[a].name, a).cmp(&(&nodes[b].name, b)));
    writeln!(out, "digraph members {{")?;
    writeln!(out, "  node [shape=box];")?;
    for &i in &members {
        let n = &nodes[i];
        writeln!(
            out,
            "  {} [tooltip={}];",
            quote(&n.name),
            quote(dir(&n.dir))
        )?;
    }
    for e in sorted(graph) {
        let spec = e
            .pep508
            .as_ref()
            .map(|p| p.specifiers.as_str())
            .unwrap_or_default();
        let mut label = match (spec, via(e.via)) {
            ("", Some(via)) => via.to_owned(),
            (spec, _) => spec.to_owned(),
        };
        let mut attrs = Vec::new();
        if let Some(extra) = &e.extra {
            label = format!("{label} [{extra}]").trim_start().to_owned();
            attrs.push("style=dashed".to_owned());
        }
        if !label.is_empty() {
            attrs.insert(0, format!("label={}", quote(&label)));
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        writeln!(
            out,
            "  {} -> {}{attrs};",
            quote(&nodes[e.dependent].name),
            quote(&nodes[e.dependency].name)
        )?;
    }
    writeln!(out, "}}")
}

/// The message of the warning on a dependent's requirement that does not admit the next
/// version (the warning itself names the file and line): `` `billing-worker` requires
/// `invoice-rules>=0.4,<0.5`, which does not admit the next version 0.5.0; run ... ``.
pub(crate) fn outside_message(o: &Outside) -> String {
    let extra = match &o.extra {
        Some(extra) => format!(" (extra `{extra}`)"),
        None => String::new(),
    };
    format!(
        "`{}` requires `{}`{extra}, which does not admit the next version {}; {}",
        o.dependent,
        o.requirement,
        o.next,
        outside_hint(1)
    )
}

/// What to do about `count` [`outside_message`]s.
pub(crate) fn outside_hint(count: usize) -> &'static str {
    if count == 1 {
        "run `bumpwise release --update-dependents` to widen it"
    } else {
        "run `bumpwise release --update-dependents` to widen them"
    }
}

/// The edges by dependent name, dependency name, then line.
fn sorted(graph: &Graph) -> Vec<&Edge> {
    let nodes = graph.nodes();
    let mut edges: Vec<&Edge> = graph.edges().iter().collect();
    edges.sort_by(|a, b| {
        let key = |e: &Edge| {
            (
                &nodes[e.dependent].name,
                e.dependent,
                &nodes[e.dependency].name,
                e.dependency,
                e.line,
            )
        };
        key(a).cmp(&key(b))
    });
    edges
}

/// How an edge was found, when it was not by name alone.
fn via(via: Via) -> Option<&'static str> {
    match via {
        Via::Name => None,
        Via::FileUrl => Some("file URL"),
        Via::UvPath => Some("uv path"),
        Via::UvWorkspace => Some("uv workspace"),
    }
}

fn dir(dir: &str) -> &str {
    if dir.is_empty() { "." } else { dir }
}

/// A DOT double-quoted string: `"` and `\` escaped.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::graph::tests::{member, monorepo};

    fn render(f: fn(&Graph, &mut dyn Write) -> io::Result<()>, graph: &Graph) -> String {
        let mut buf = Vec::new();
        f(graph, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn monorepo_text() {
        insta::assert_snapshot!(render(text, &Graph::build(&monorepo())));
    }

    #[test]
    fn monorepo_dot() {
        insta::assert_snapshot!(render(dot, &Graph::build(&monorepo())));
    }

    #[test]
    fn the_same_members_in_any_order_print_the_same() {
        let mut reversed = monorepo();
        reversed.reverse();
        let (a, b) = (Graph::build(&monorepo()), Graph::build(&reversed));
        assert_eq!(render(text, &a), render(text, &b));
        assert_eq!(render(dot, &a), render(dot, &b));
    }

    #[test]
    fn a_root_member_an_unread_requirement_and_no_edges() {
        let members = vec![
            member("", "[project]\nname = \"root\"\n"),
            member(
                "odd",
                "[project]\nname = \"odd\"\ndependencies = [\"root>=1!0.1\"]\n",
            ),
        ];
        insta::assert_snapshot!(render(text, &Graph::build(&members)), @r#"
        members (2):
          odd   odd
          root  .

        dependencies (1):
          odd (odd) -> root (not PEP 508: `root>=1!0.1`)
        "#);
        let alone = Graph::build(&members[..1]);
        insta::assert_snapshot!(render(text, &alone), @r"
        members (1):
          root  .

        dependencies: none between members
        ");
        insta::assert_snapshot!(render(dot, &alone), @r#"
        digraph members {
          node [shape=box];
          "root" [tooltip="."];
        }
        "#);
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
    }

    #[test]
    fn outside_messages() {
        let g = Graph::build(&monorepo());
        let mut list = g.outside(1, &"0.5.0".parse().unwrap());
        let lines: Vec<String> = list.iter().map(outside_message).collect();
        insta::assert_snapshot!(lines.join("\n"));

        list.truncate(1);
        list[0].extra = Some("pdf".to_owned());
        assert_eq!(
            outside_message(&list[0]),
            "`billing-worker` requires `invoice-rules>=0.4,<0.5` (extra `pdf`), which does not \
             admit the next version 0.5.0; run `bumpwise release --update-dependents` to widen it"
        );
        assert_eq!(
            outside_hint(1),
            "run `bumpwise release --update-dependents` to widen it"
        );
    }
}
