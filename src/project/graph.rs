//! The dependency graph between the members of a repository: which member requires which, in
//! what order they must be released, and which requirements a member's next version falls
//! outside of.
//!
//! An edge goes from a dependent to a dependency for each requirement string, in
//! `[project].dependencies` or an extra of `[project].optional-dependencies`, that reaches
//! another member: by its distribution name (PEP 503-normalized), by a `file:` URL or a
//! `[tool.uv.sources]` `path` to the member's directory, or by a `{ workspace = true }` source.
//!
//! Pure: built from projects already parsed, it never reads files or git, and it rewrites
//! nothing; `widen` says what to write and where.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use super::Project;
use super::metadata::Requirement;
use super::requirement::{Pep508, RequirementError, normalize, widen_requirement};
use crate::version::pep440::Version;

/// The members and the requirements between them.
#[derive(Clone, Debug)]
pub(crate) struct Graph {
    nodes: Vec<Node>,
    /// Sorted by dependent name, then line in its pyproject.toml.
    edges: Vec<Edge>,
}

/// A member, at the same index as in the slice the graph was built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    /// The normalized `[project].name`, or the last component of the directory (`.` for the
    /// root) when the member has no name.
    pub name: String,
    /// Repository-relative directory of its pyproject.toml, `""` at the root.
    pub dir: String,
}

/// One requirement string of a member that reaches another member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edge {
    /// The member that requires (index into the members).
    pub dependent: usize,
    /// The member required.
    pub dependency: usize,
    /// The requirement string as written (`invoice-rules>=0.4,<0.5`).
    pub requirement: String,
    /// Its 1-based line in `file`.
    pub line: u32,
    /// The dependent's pyproject.toml, repository-relative.
    pub file: String,
    /// The normalized extra when the requirement is optional; `None` in `dependencies`.
    pub extra: Option<String>,
    pub via: Via,
    /// The requirement's PEP 508 reading, or why there is none.
    pub pep508: Result<Pep508, RequirementError>,
}

/// How a requirement was found to reach a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Via {
    /// The requirement names the member's distribution.
    Name,
    /// `name @ file:///${PROJECT_ROOT}/../dir` points at the member's directory.
    FileUrl,
    /// `[tool.uv.sources]` gives a `path` to the member's directory.
    UvPath,
    /// `[tool.uv.sources]` says `{ workspace = true }`.
    UvWorkspace,
}

/// A dependent whose requirement does not admit a member's next version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Outside {
    /// The dependent's name.
    pub dependent: String,
    /// The name of the member being released.
    pub dependency: String,
    /// The dependent's pyproject.toml.
    pub file: String,
    pub line: u32,
    /// The extra the requirement belongs to, if it is optional.
    pub extra: Option<String>,
    /// The requirement string as written.
    pub requirement: String,
    /// Its version specifiers as written (`>=0.4,<0.5`).
    pub specifiers: String,
    /// The version the specifiers do not admit.
    pub next: String,
}

/// A requirement to rewrite so that it admits a member's next version (`release
/// --update-dependents`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    /// The dependent (index into the members), which then needs a release of its own.
    pub dependent: usize,
    /// The dependent's pyproject.toml.
    pub file: String,
    pub line: u32,
    /// `None` for `dependencies`, else the extra of `optional-dependencies`.
    pub extra: Option<String>,
    /// The requirement string as written.
    pub old: String,
    /// The string with only its version specifiers changed, or why they cannot be widened
    /// (`>=0.6` asks for a newer release than the next one): a person must decide.
    pub new: Result<String, RequirementError>,
}

/// Members that depend on each other in a circle, so none can be released first.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) struct Cycle {
    /// The members on the cycle, in order: each requires the next, the last the first.
    pub members: Vec<String>,
    /// For each member in `members`, the requirement that points at the next one.
    pub steps: Vec<Step>,
}

/// One requirement on a [`Cycle`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Step {
    pub requirement: String,
    pub file: String,
    pub line: u32,
}

impl fmt::Display for Cycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<String> = self.members.iter().map(|m| format!("`{m}`")).collect();
        if let Some(first) = names.first().cloned() {
            names.push(first);
        }
        let steps: Vec<String> = self
            .steps
            .iter()
            .map(|s| format!("`{}` ({}:{})", s.requirement, s.file, s.line))
            .collect();
        write!(
            f,
            "the members depend on each other in a cycle, {}, so none of them can be released \
             before the others; remove one of these requirements: {}",
            names.join(" -> "),
            steps.join(", ")
        )
    }
}

impl Graph {
    /// The graph of `members`; node `i` is `members[i]`.
    pub(crate) fn build(members: &[Project]) -> Graph {
        let nodes: Vec<Node> = members
            .iter()
            .map(|p| Node {
                name: node_name(p),
                dir: p.dir.clone(),
            })
            .collect();
        // Names are unique among members (discovery's job); should two share one, the first
        // listed is taken.
        let mut by_name = BTreeMap::new();
        for (i, p) in members.iter().enumerate() {
            if let Some(name) = &p.name {
                by_name.entry(normalize(name)).or_insert(i);
            }
        }
        let mut by_dir = BTreeMap::new();
        for (i, p) in members.iter().enumerate() {
            if let Some(dir) = resolve("", &p.dir) {
                by_dir.entry(dir).or_insert(i);
            }
        }
        let members_by = Lookup { by_name, by_dir };

        let mut edges = Vec::new();
        for (i, p) in members.iter().enumerate() {
            let required = p.metadata.dependencies.iter().map(|r| (None, r));
            let optional = p
                .metadata
                .optional
                .iter()
                .flat_map(|(extra, list)| list.iter().map(move |r| (Some(extra), r)));
            for (extra, r) in required.chain(optional) {
                let Some((dependency, via)) = members_by.target(p, r) else {
                    continue;
                };
                // `mypkg[all]` inside mypkg's own extras is a common idiom, not a cycle.
                if dependency == i {
                    continue;
                }
                edges.push(Edge {
                    dependent: i,
                    dependency,
                    requirement: r.text.clone(),
                    line: r.line,
                    file: p.path("pyproject.toml"),
                    extra: extra.cloned(),
                    via,
                    pep508: r.pep508.clone(),
                });
            }
        }
        edges.sort_by(|a, b| {
            let key = |e: &Edge| (&nodes[e.dependent].name, e.dependent, e.line, e.dependency);
            key(a).cmp(&key(b))
        });
        Graph { nodes, edges }
    }

    /// The members, in the order given to [`Graph::build`].
    pub(crate) fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Every edge, sorted by dependent name, then line.
    pub(crate) fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The members in release order: each after every member it requires, and otherwise by
    /// name, so the same repository always gives the same order.
    pub(crate) fn order(&self) -> Result<Vec<usize>, Cycle> {
        let n = self.nodes.len();
        let mut requires = vec![BTreeSet::new(); n];
        let mut required_by = vec![BTreeSet::new(); n];
        for e in &self.edges {
            requires[e.dependent].insert(e.dependency);
            required_by[e.dependency].insert(e.dependent);
        }
        // Kahn's algorithm, taking the smallest name among the members that are ready.
        let mut waiting: Vec<usize> = requires.iter().map(BTreeSet::len).collect();
        let mut ready: BTreeSet<(&str, usize)> = (0..n)
            .filter(|&i| waiting[i] == 0)
            .map(|i| (self.nodes[i].name.as_str(), i))
            .collect();
        let mut order = Vec::with_capacity(n);
        while let Some((_, i)) = ready.pop_first() {
            order.push(i);
            for &d in &required_by[i] {
                waiting[d] -= 1;
                if waiting[d] == 0 {
                    ready.insert((self.nodes[d].name.as_str(), d));
                }
            }
        }
        if order.len() == n {
            Ok(order)
        } else {
            Err(self.cycle(&requires, &waiting))
        }
    }

    /// A cycle among the members left `waiting` by [`Graph::order`]: each of them still
    /// requires one of the others, so walking from one always closes a circle.
    fn cycle(&self, requires: &[BTreeSet<usize>], waiting: &[usize]) -> Cycle {
        let name = |i: usize| self.nodes[i].name.as_str();
        let left = |i: &usize| waiting[*i] > 0;
        let mut path: Vec<usize> = Vec::new();
        let mut at = (0..self.nodes.len())
            .filter(left)
            .min_by_key(|&i| (name(i), i));
        while let Some(i) = at {
            if let Some(pos) = path.iter().position(|&p| p == i) {
                path.drain(..pos);
                break;
            }
            path.push(i);
            at = requires[i]
                .iter()
                .copied()
                .filter(left)
                .min_by_key(|&d| (name(d), d));
        }
        // Start at the smallest name, so the message does not depend on where the walk began.
        if let Some(start) = (0..path.len()).min_by_key(|&k| (name(path[k]), path[k])) {
            path.rotate_left(start);
        }
        let steps = path
            .iter()
            .enumerate()
            .filter_map(|(k, &from)| {
                let to = path[(k + 1) % path.len()];
                let e = self
                    .edges
                    .iter()
                    .find(|e| e.dependent == from && e.dependency == to)?;
                Some(Step {
                    requirement: e.requirement.clone(),
                    file: e.file.clone(),
                    line: e.line,
                })
            })
            .collect();
        Cycle {
            members: path.iter().map(|&i| name(i).to_owned()).collect(),
            steps,
        }
    }

    /// The requirements that reach member `i`, by dependent name, then line.
    pub(crate) fn dependents(&self, i: usize) -> impl Iterator<Item = &Edge> {
        self.edges.iter().filter(move |e| e.dependency == i)
    }

    /// The dependents of member `i` whose version specifiers do not admit `next`. A path,
    /// workspace or URL requirement without specifiers admits every version; one that is not
    /// PEP 508 is skipped, since what it admits is unknown (the build backend rejects it).
    pub(crate) fn outside(&self, i: usize, next: &Version) -> Vec<Outside> {
        self.outside_edges(i, next)
            .map(|(e, pep)| Outside {
                dependent: self.nodes[e.dependent].name.clone(),
                dependency: self.nodes[i].name.clone(),
                file: e.file.clone(),
                line: e.line,
                extra: e.extra.clone(),
                requirement: e.requirement.clone(),
                specifiers: pep.specifiers.as_str().to_owned(),
                next: next.to_string(),
            })
            .collect()
    }

    /// The rewrites that make every [`Graph::outside`] requirement of member `i` admit `next`.
    pub(crate) fn widen(&self, i: usize, next: &Version) -> Vec<Edit> {
        self.outside_edges(i, next)
            .filter_map(|(e, _)| {
                let new = match widen_requirement(&e.requirement, next) {
                    Ok(Some(new)) => Ok(new),
                    Ok(None) => return None,
                    Err(err) => Err(err),
                };
                Some(Edit {
                    dependent: e.dependent,
                    file: e.file.clone(),
                    line: e.line,
                    extra: e.extra.clone(),
                    old: e.requirement.clone(),
                    new,
                })
            })
            .collect()
    }

    fn outside_edges(&self, i: usize, next: &Version) -> impl Iterator<Item = (&Edge, &Pep508)> {
        self.dependents(i).filter_map(move |e| {
            let pep = e.pep508.as_ref().ok()?;
            // Pre-releases allowed: the flag only matters when `next` is one, and then the
            // dependent is asked to take it (PEP 440 lets a specifier admit a pre-release
            // that is explicitly requested).
            (!pep.specifiers.contains(next, true)).then_some((e, pep))
        })
    }
}

/// The members by normalized name and by directory.
struct Lookup {
    by_name: BTreeMap<String, usize>,
    by_dir: BTreeMap<String, usize>,
}

/// Where a local path points, seen from the members.
enum Place {
    Member(usize),
    /// Inside the repository but not a member's directory, or outside the repository.
    Elsewhere,
    /// An absolute path: where the repository sits on disk is unknown here.
    Unknown,
}

impl Lookup {
    /// The member `r` (a requirement of `p`) reaches, and how. A `[tool.uv.sources]` entry
    /// decides first, as it does for uv; then a `file:` URL; then the name. A path that
    /// points elsewhere means the member is not what gets installed: no edge.
    fn target(&self, p: &Project, r: &Requirement) -> Option<(usize, Via)> {
        if let Some(source) = p.uv_sources.get(&r.name) {
            if let Some(path) = &source.path {
                match self.place(&p.dir, path) {
                    Place::Member(j) => return Some((j, Via::UvPath)),
                    Place::Elsewhere => return None,
                    Place::Unknown => {}
                }
            }
            if source.workspace {
                return self.by_name.get(&r.name).map(|&j| (j, Via::UvWorkspace));
            }
        }
        if let Ok(pep) = &r.pep508
            && let Some(path) = pep.url.as_deref().and_then(local_path)
        {
            match self.place(&p.dir, &path) {
                Place::Member(j) => return Some((j, Via::FileUrl)),
                Place::Elsewhere => return None,
                Place::Unknown => {}
            }
        }
        self.by_name.get(&r.name).map(|&j| (j, Via::Name))
    }

    fn place(&self, dir: &str, path: &str) -> Place {
        let path = path.replace('\\', "/");
        let drive = path.as_bytes().get(1) == Some(&b':');
        if path.starts_with('/') || drive {
            return Place::Unknown;
        }
        match resolve(dir, &path).and_then(|d| self.by_dir.get(&d)) {
            Some(&j) => Place::Member(j),
            None => Place::Elsewhere,
        }
    }
}

/// `path` (relative, `/`-separated) seen from repository-relative `dir`, with `.` and `..`
/// resolved and no trailing `/`; `None` when it climbs out of the repository.
fn resolve(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in dir.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The local path a direct-reference URL points at, relative to the requiring project's
/// directory when written that way: `file:///${PROJECT_ROOT}/..` (uv, PDM), hatch's
/// `{root:uri}/..`, or a relative `file:` path. An absolute `file:` URL gives its absolute
/// path; any other URL gives `None`.
fn local_path(url: &str) -> Option<String> {
    let url = url.split(['#', '?']).next().unwrap_or(url);
    if let Some(rest) = url.strip_prefix("{root:uri}") {
        return Some(percent_decode(rest.trim_start_matches('/')));
    }
    if let Some(rest) = url.strip_prefix("{root:parent:uri}") {
        return Some(format!(
            "../{}",
            percent_decode(rest.trim_start_matches('/'))
        ));
    }
    let rest = url.get(..5).filter(|s| s.eq_ignore_ascii_case("file:"))?;
    let rest = &url[rest.len()..];
    let rest = match rest.strip_prefix("//") {
        Some(r) => r.strip_prefix("localhost").unwrap_or(r),
        None => rest,
    };
    if let Some(r) = rest.trim_start_matches('/').strip_prefix("${PROJECT_ROOT}") {
        return Some(percent_decode(r.trim_start_matches('/')));
    }
    Some(percent_decode(rest))
}

/// `%20` and the like, decoded (RFC 3986); anything that does not decode to UTF-8 is kept.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// The node name: the normalized distribution name, else the directory's last component.
fn node_name(p: &Project) -> String {
    match &p.name {
        Some(name) => normalize(name),
        None => match p.dir.trim_end_matches('/').rsplit('/').next() {
            Some(last) if !last.is_empty() => last.to_owned(),
            _ => ".".to_owned(),
        },
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A member in `dir` with pyproject.toml `text`.
    pub(crate) fn member(dir: &str, text: &str) -> Project {
        let file = format!("{dir}/pyproject.toml");
        let mut p = Project::parse(&file, text).unwrap_or_else(|e| panic!("{file}: {e}"));
        p.dir = dir.to_owned();
        p
    }

    /// The monorepo of issue 9: two shared packages, a service, an application and a scripts
    /// folder, tied together in every way the graph knows.
    pub(crate) fn monorepo() -> Vec<Project> {
        vec![
            member(
                "services/billing_worker",
                concat!(
                    "[project]\n",
                    "name = \"billing-worker\"\n",
                    "version = \"2.3.0\"\n",
                    "requires-python = \">=3.10\"\n",
                    "dependencies = [\n",
                    "    \"date-parsing\",\n",
                    "    \"invoice-rules>=0.4,<0.5\",  # the 0.4 API\n",
                    "    \"requests>=2.31\",\n",
                    "]\n",
                    "\n",
                    "[tool.uv.sources]\n",
                    "date-parsing = { workspace = true }\n",
                ),
            ),
            member(
                "packages/invoice_rules",
                "[project]\nname = \"invoice-rules\"\nversion = \"0.4.2\"\n",
            ),
            member(
                "apps/report_generator",
                concat!(
                    "[project]\n",
                    "name = \"report-generator\"\n",
                    "version = \"0.9.0\"\n",
                    "dependencies = [\n",
                    "    \"Invoice_Rules[pdf] ~= 0.4.2; python_version >= '3.9'\",\n",
                    "]\n",
                    "\n",
                    "[project.optional-dependencies]\n",
                    "dates = [\"date-parsing @ file:///${PROJECT_ROOT}/../../packages/date_parsing\"]\n",
                ),
            ),
            member(
                "packages/date_parsing",
                concat!(
                    "[project]\n",
                    "name = \"Date_Parsing\"\n",
                    "version = \"1.2.0\"\n",
                    "dependencies = [\"python-dateutil>=2.8\"]\n",
                    "\n",
                    "[project.optional-dependencies]\n",
                    "all = [\"date-parsing[tz]\"]\n",
                    "tz = [\"tzdata\"]\n",
                ),
            ),
            member(
                "scripts",
                concat!(
                    "[project]\n",
                    "dependencies = [\"invoice-rules\"]\n",
                    "\n",
                    "[tool.uv.sources]\n",
                    "invoice-rules = { path = \"../packages/invoice_rules\", editable = true }\n",
                ),
            ),
        ]
    }

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    fn names(g: &Graph, order: &[usize]) -> Vec<String> {
        order.iter().map(|&i| g.nodes[i].name.clone()).collect()
    }

    /// Each edge as `dependent -> dependency line extra via`.
    fn edges(g: &Graph) -> Vec<String> {
        g.edges
            .iter()
            .map(|e| {
                format!(
                    "{} -> {} :{} {} {:?}",
                    g.nodes[e.dependent].name,
                    g.nodes[e.dependency].name,
                    e.line,
                    e.extra.as_deref().unwrap_or("-"),
                    e.via
                )
            })
            .collect()
    }

    #[test]
    fn finds_every_kind_of_edge_and_nothing_else() {
        let g = Graph::build(&monorepo());
        let nodes: Vec<(&str, &str)> = g
            .nodes()
            .iter()
            .map(|n| (n.name.as_str(), n.dir.as_str()))
            .collect();
        assert_eq!(
            nodes,
            [
                ("billing-worker", "services/billing_worker"),
                ("invoice-rules", "packages/invoice_rules"),
                ("report-generator", "apps/report_generator"),
                // `Date_Parsing` is normalized.
                ("date-parsing", "packages/date_parsing"),
                // No `[project].name`: the directory names it.
                ("scripts", "scripts"),
            ]
        );
        // `requests` and `python-dateutil` are not members; `date-parsing[tz]` in its own
        // extras is a self-edge.
        assert_eq!(
            edges(&g),
            [
                "billing-worker -> date-parsing :6 - UvWorkspace",
                "billing-worker -> invoice-rules :7 - Name",
                // `Invoice_Rules` matches `invoice-rules`.
                "report-generator -> invoice-rules :5 - Name",
                "report-generator -> date-parsing :9 dates FileUrl",
                "scripts -> invoice-rules :2 - UvPath",
            ]
        );
        let e = &g.edges()[1];
        assert_eq!(e.file, "services/billing_worker/pyproject.toml");
        assert_eq!(e.requirement, "invoice-rules>=0.4,<0.5");
        let dependents: Vec<&str> = g
            .dependents(1)
            .map(|e| g.nodes()[e.dependent].name.as_str())
            .collect();
        assert_eq!(
            dependents,
            ["billing-worker", "report-generator", "scripts"]
        );
        assert_eq!(g.dependents(0).count(), 0);
    }

    #[test]
    fn a_path_elsewhere_is_not_the_member() {
        let members = vec![
            member("libs/core", "[project]\nname = \"core\"\n"),
            member(
                "apps/a",
                concat!(
                    "[project]\nname = \"a\"\ndependencies = [\n",
                    // A vendored copy: the member is not what gets installed.
                    "  \"core @ file:///${PROJECT_ROOT}/../../vendor/core\",\n",
                    "]\n",
                ),
            ),
            member(
                "apps/b",
                concat!(
                    "[project]\nname = \"b\"\ndependencies = [\"core\", \"other\"]\n",
                    "[tool.uv.sources]\n",
                    "core = { path = \"../../../outside/core\" }\n",
                    "other = { path = \"../../libs/core/\" }\n",
                ),
            ),
            member(
                "apps/c",
                concat!(
                    "[project]\nname = \"c\"\ndependencies = [\n",
                    // Absolute: where the repository is on disk is unknown, the name decides.
                    "  \"core @ file:///home/me/repo/libs/core\",\n",
                    // A relative file URL, and hatch's spelling.
                    "  \"renamed @ file:../../libs/./core\",\n",
                    "  \"hatched @ {root:uri}/../../libs/core\",\n",
                    // Not a local path: the name decides.
                    "  \"core @ https://example.test/core-1.0-py3-none-any.whl\",\n",
                    "]\n",
                ),
            ),
        ];
        let g = Graph::build(&members);
        assert_eq!(
            edges(&g),
            [
                // A `path` source decides by the path, whatever the name.
                "b -> core :3 - UvPath",
                "c -> core :4 - Name",
                "c -> core :5 - FileUrl",
                "c -> core :6 - FileUrl",
                "c -> core :7 - Name",
            ]
        );
    }

    #[test]
    fn paths_and_urls_resolve_against_the_dependent() {
        assert_eq!(
            resolve("services/billing_worker", "../../packages/x/"),
            Some("packages/x".to_owned())
        );
        assert_eq!(resolve("", "./a/../b"), Some("b".to_owned()));
        assert_eq!(resolve("a", "../.."), None);
        for (url, want) in [
            ("file:///${PROJECT_ROOT}/../x", Some("../x")),
            ("file://${PROJECT_ROOT}/../x", Some("../x")),
            ("FILE:${PROJECT_ROOT}/../my%20lib#egg=x", Some("../my lib")),
            ("file://localhost/abs/x", Some("/abs/x")),
            ("file:///abs/x", Some("/abs/x")),
            ("file:../x", Some("../x")),
            ("{root:uri}/../x", Some("../x")),
            ("{root:parent:uri}/x", Some("../x")),
            ("https://x.test/x.whl", None),
            ("git+https://x.test/x.git", None),
        ] {
            assert_eq!(local_path(url).as_deref(), want, "{url}");
        }
        assert_eq!(percent_decode("%e2%9c%93%zz%"), "\u{2713}%zz%");
    }

    #[test]
    fn orders_dependencies_first_then_by_name() {
        let g = Graph::build(&monorepo());
        let order = g.order().unwrap();
        assert_eq!(
            names(&g, &order),
            [
                "date-parsing",
                "invoice-rules",
                "billing-worker",
                "report-generator",
                "scripts"
            ]
        );
        // The input order does not matter.
        let mut reversed = monorepo();
        reversed.reverse();
        let g = Graph::build(&reversed);
        assert_eq!(
            names(&g, &g.order().unwrap()),
            [
                "date-parsing",
                "invoice-rules",
                "billing-worker",
                "report-generator",
                "scripts"
            ]
        );
        assert_eq!(Graph::build(&[]).order().unwrap(), Vec::<usize>::new());
    }

    #[test]
    fn a_cycle_is_an_error_naming_it() {
        let dep = |name: &str, deps: &str| {
            member(
                name,
                &format!("[project]\nname = \"{name}\"\ndependencies = [{deps}]\n"),
            )
        };
        // d depends on the cycle and e is independent: neither is on it.
        let members = vec![
            dep("d", "\"b\""),
            dep("c", "\"a>=1\""),
            dep("b", "\"c\""),
            dep("e", ""),
            dep("a", "\"b\", \"e\""),
        ];
        let err = Graph::build(&members).order().unwrap_err();
        assert_eq!(err.members, ["a", "b", "c"]);
        assert_eq!(
            err.to_string(),
            "the members depend on each other in a cycle, `a` -> `b` -> `c` -> `a`, so none of \
             them can be released before the others; remove one of these requirements: `b` \
             (a/pyproject.toml:3), `c` (b/pyproject.toml:3), `a>=1` (c/pyproject.toml:3)"
        );
        // Two members requiring each other.
        let err = Graph::build(&[dep("y", "\"x\""), dep("x", "\"y\"")])
            .order()
            .unwrap_err();
        assert_eq!(err.members, ["x", "y"]);
    }

    #[test]
    fn outside_names_the_dependents_that_do_not_admit_the_next_version() {
        let g = Graph::build(&monorepo());
        let outside = g.outside(1, &v("0.5.0"));
        assert_eq!(
            outside,
            [
                Outside {
                    dependent: "billing-worker".to_owned(),
                    dependency: "invoice-rules".to_owned(),
                    file: "services/billing_worker/pyproject.toml".to_owned(),
                    line: 7,
                    extra: None,
                    requirement: "invoice-rules>=0.4,<0.5".to_owned(),
                    specifiers: ">=0.4,<0.5".to_owned(),
                    next: "0.5.0".to_owned(),
                },
                Outside {
                    dependent: "report-generator".to_owned(),
                    dependency: "invoice-rules".to_owned(),
                    file: "apps/report_generator/pyproject.toml".to_owned(),
                    line: 5,
                    extra: None,
                    requirement: "Invoice_Rules[pdf] ~= 0.4.2; python_version >= '3.9'".to_owned(),
                    specifiers: "~= 0.4.2".to_owned(),
                    next: "0.5.0".to_owned(),
                },
            ]
        );
        // A patch stays inside both; the path dependency (scripts) admits everything.
        assert!(g.outside(1, &v("0.4.3")).is_empty());
        // Workspace and file URL edges without specifiers admit everything.
        assert!(g.outside(3, &v("9.0.0")).is_empty());
    }

    #[test]
    fn widen_rewrites_only_the_specifiers() {
        let g = Graph::build(&monorepo());
        let edits: Vec<(usize, String, u32, String)> = g
            .widen(1, &v("0.5.0"))
            .into_iter()
            .map(|e| (e.dependent, e.file, e.line, e.new.unwrap()))
            .collect();
        assert_eq!(
            edits,
            [
                (
                    0,
                    "services/billing_worker/pyproject.toml".to_owned(),
                    7,
                    "invoice-rules>=0.4,<0.6".to_owned()
                ),
                (
                    2,
                    "apps/report_generator/pyproject.toml".to_owned(),
                    5,
                    // Extras and the trailing marker are kept.
                    "Invoice_Rules[pdf] >= 0.4.2, < 0.6; python_version >= '3.9'".to_owned()
                ),
            ]
        );
        assert!(g.widen(1, &v("0.4.3")).is_empty());
    }

    #[test]
    fn a_prerelease_next_version() {
        let members = vec![
            member("lib", "[project]\nname = \"lib\"\n"),
            member(
                "low",
                "[project]\nname = \"low\"\ndependencies = [\"lib>=0.4\"]\n",
            ),
            member(
                "capped",
                concat!(
                    "[project]\nname = \"capped\"\n",
                    "[project.optional-dependencies]\nx = [\"lib>=0.4,<0.5 ; extra == 'x'\"]\n",
                ),
            ),
        ];
        let g = Graph::build(&members);
        // `>=0.4` admits a release candidate of 1.0 once it is the next version.
        let outside = g.outside(0, &v("1.0.0rc1"));
        let who: Vec<(&str, Option<&str>)> = outside
            .iter()
            .map(|o| (o.dependent.as_str(), o.extra.as_deref()))
            .collect();
        assert_eq!(who, [("capped", Some("x"))]);
        // `<0.5` does not admit 0.5.0rc1 (a pre-release of 0.5).
        let edits = g.widen(0, &v("0.5.0rc1"));
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].extra.as_deref(), Some("x"));
        assert_eq!(edits[0].new.as_deref(), Ok("lib>=0.4,<0.6 ; extra == 'x'"));
    }

    #[test]
    fn an_edit_that_cannot_be_made_keeps_its_reason() {
        let members = vec![
            member("lib", "[project]\nname = \"lib\"\n"),
            member(
                "ahead",
                "[project]\nname = \"ahead\"\ndependencies = [\"lib>=0.6\", \"lib<0.5\"]\n",
            ),
            // Not read as PEP 508 (epochs are rejected): what it admits is unknown.
            member(
                "odd",
                "[project]\nname = \"odd\"\ndependencies = [\"lib>=1!0.1\"]\n",
            ),
        ];
        let g = Graph::build(&members);
        assert_eq!(g.dependents(0).count(), 3);
        let edits = g.widen(0, &v("0.5.0"));
        assert_eq!(edits.len(), 2);
        let err = edits[0].new.as_ref().unwrap_err();
        assert!(
            err.to_string()
                .starts_with("in the requirement `lib>=0.6`, cannot widen `>=0.6` to admit 0.5.0"),
            "{err}"
        );
        assert_eq!(edits[1].new.as_deref(), Ok("lib<0.6"));
        assert_eq!(g.outside(0, &v("0.5.0")).len(), 2);
    }
}
