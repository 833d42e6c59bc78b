//! A repository of several projects (members), each with its own pyproject.toml, version and
//! tags: which folders are members, and what each member inherits from the root.
//!
//! Members come from the root pyproject.toml: `[tool.bumpwise] members` (folder globs, with
//! `members-exclude`), else `[tool.uv.workspace] members` / `exclude`, else every
//! pyproject.toml below a root that is not a project itself. A repository whose root is a
//! project and names no members is one project, exactly as before.

use std::path::Path;

use toml_edit::DocumentMut;

use super::{Project, requirement, strings};

/// Folders never searched for members: environments, build output, dependencies.
const SKIPPED: &[&str] = &[
    "node_modules",
    "build",
    "dist",
    "venv",
    "site-packages",
    "__pycache__",
    "target",
];

/// Deeper than this, a pyproject.toml is a test fixture, not a member.
const MAX_DEPTH: usize = 6;

/// The members of a repository of several projects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Members {
    /// In name order.
    pub list: Vec<Member>,
    /// Where the list came from, for messages.
    pub source: &'static str,
    /// The root's `tag-format`, the default of every member that sets none.
    pub tag_format: Option<String>,
    /// The root's `[tool.bumpwise.imports]`: the layout settings, and the levels every
    /// member starts from.
    pub imports: crate::imports::Settings,
}

/// One member: a folder with a pyproject.toml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Member {
    /// `[project].name`, normalized (`invoice-rules`), else the folder's name.
    pub name: String,
    /// Repository-relative folder, `""` for the root.
    pub dir: String,
}

impl Members {
    /// The member `name` (normalized as PEP 503 says) or at folder `dir`.
    pub fn find(&self, name_or_dir: &str) -> Option<&Member> {
        let name = requirement::normalize(name_or_dir);
        let dir = name_or_dir.trim_start_matches("./").trim_end_matches('/');
        self.list
            .iter()
            .find(|m| m.name == name)
            .or_else(|| self.list.iter().find(|m| m.dir == dir))
    }

    /// The member whose folder holds `rel` (repository-relative), the deepest one.
    pub fn containing(&self, rel: &str) -> Option<&Member> {
        self.list
            .iter()
            .filter(|m| {
                m.dir.is_empty()
                    || rel == m.dir
                    || rel
                        .strip_prefix(m.dir.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
            .max_by_key(|m| m.dir.len())
    }

    /// The other members' folders inside `member`'s: their files are theirs, not its.
    pub fn nested_in(&self, member: &Member) -> Vec<String> {
        self.list
            .iter()
            .filter(|m| {
                m.dir != member.dir
                    && (member.dir.is_empty()
                        || m.dir
                            .strip_prefix(member.dir.as_str())
                            .is_some_and(|r| r.starts_with('/')))
            })
            .map(|m| m.dir.clone())
            .collect()
    }

    /// `` `invoice-rules` (packages/invoice_rules), ... `` for messages.
    pub fn listing(&self) -> String {
        self.list
            .iter()
            .map(|m| format!("  {} ({})", m.name, display_dir(&m.dir)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Gives a member's project what it inherits: the tag format of a repository of several
    /// projects (`{name}-v{version}` unless the member or the root sets one), with `{name}`
    /// filled in.
    pub fn apply(&self, member: &Member, project: &mut Project) {
        if !project.config.tag_format_set {
            project.config.tag_format = self
                .tag_format
                .clone()
                .unwrap_or_else(|| "{name}-v{version}".to_owned());
        }
        project.config.tag_format = project.config.tag_format.replace("{name}", &member.name);
    }
}

fn display_dir(dir: &str) -> &str {
    if dir.is_empty() { "." } else { dir }
}

/// Finds the members of the repository whose working tree is at `root`. `None` when the
/// repository is one project (the root's, or the one the user points at), which then works
/// exactly as it always has.
pub(crate) fn discover(root: &Path) -> Result<Option<Members>, crate::Error> {
    let path = root.join("pyproject.toml");
    let root_project = match std::fs::read(&path) {
        Ok(bytes) => {
            // A root pyproject.toml that cannot be read names no members; reading the project
            // reports what is wrong with it.
            let Some(text) = String::from_utf8(bytes).ok() else {
                return Ok(None);
            };
            let (Ok(project), Ok(doc)) = (
                Project::parse("pyproject.toml", &text),
                text.parse::<DocumentMut>(),
            ) else {
                return Ok(None);
            };
            Some((project, doc))
        }
        Err(_) => None,
    };
    let is_project = |p: &Project| p.name.is_some();
    let root_is_project = root_project.as_ref().is_some_and(|(p, _)| is_project(p))
        || root.join("setup.py").is_file()
        || root.join("setup.cfg").is_file();

    let uv = root_project.as_ref().and_then(|(_, doc)| {
        let ws = doc.get("tool")?.get("uv")?.get("workspace")?;
        Some((strings(ws.get("members")), strings(ws.get("exclude"))))
    });
    let (globs, exclude, source) = match (&root_project, uv) {
        (Some((p, _)), _) if p.config.members.is_some() => (
            p.config.members.clone().unwrap_or_default(),
            p.config.members_exclude.clone(),
            "`[tool.bumpwise] members` in pyproject.toml",
        ),
        (_, Some((members, exclude))) => (
            members,
            exclude,
            "`[tool.uv.workspace] members` in pyproject.toml",
        ),
        _ if root_is_project => return Ok(None),
        _ => (
            vec!["**".to_owned()],
            Vec::new(),
            "the pyproject.toml files found",
        ),
    };
    let include = globset(&globs)?;
    let exclude = globset(&exclude)?;
    let mut dirs = Vec::new();
    walk(root, "", 0, &mut dirs);
    let mut list: Vec<Member> = dirs
        .into_iter()
        .filter(|d| include.is_match(d) && !exclude.is_match(d))
        .map(|dir| Member {
            name: member_name(root, &dir),
            dir,
        })
        .collect();
    // A root that is a project is a member too (as in a uv workspace).
    if root_is_project {
        list.push(Member {
            name: member_name(root, ""),
            dir: String::new(),
        });
    }
    list.sort_by(|a, b| a.name.cmp(&b.name).then(a.dir.cmp(&b.dir)));
    if list.len() < 2 && source == "the pyproject.toml files found" {
        return Ok(None);
    }
    let imports = root_project
        .as_ref()
        .map(|(p, _)| p.config.imports.clone())
        .unwrap_or_default();
    Ok(Some(Members {
        list,
        source,
        tag_format: root_project
            .filter(|(p, _)| p.config.tag_format_set)
            .map(|(p, _)| p.config.tag_format),
        imports,
    }))
}

/// Every folder below `dir` (not `dir` itself) that holds a pyproject.toml, repository-relative.
fn walk(root: &Path, rel: &str, depth: usize, out: &mut Vec<String>) {
    if depth >= MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    let mut subdirs: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.') && !SKIPPED.contains(&name.as_str()))
        .collect();
    subdirs.sort();
    for name in subdirs {
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        // A virtual environment is not a member, whatever it is called.
        if root.join(&child).join("pyvenv.cfg").is_file() {
            continue;
        }
        if root.join(&child).join("pyproject.toml").is_file() {
            out.push(child.clone());
        }
        walk(root, &child, depth + 1, out);
    }
}

/// A member's name: its `[project].name`, normalized, else its folder's name.
fn member_name(root: &Path, dir: &str) -> String {
    let name = std::fs::read_to_string(root.join(dir).join("pyproject.toml"))
        .ok()
        .and_then(|text| {
            let doc: DocumentMut = text.parse().ok()?;
            let name: String = doc.get("project")?.get("name")?.as_str()?.to_owned();
            Some(name)
        });
    match name {
        Some(n) => requirement::normalize(&n),
        None => {
            let last = dir.rsplit('/').next().unwrap_or(dir);
            if last.is_empty() {
                root.file_name()
                    .map(|n| requirement::normalize(&n.to_string_lossy()))
                    .unwrap_or_else(|| "root".to_owned())
            } else {
                requirement::normalize(last)
            }
        }
    }
}

fn globset(patterns: &[String]) -> Result<globset::GlobSet, crate::Error> {
    let mut builder = globset::GlobSetBuilder::new();
    for p in patterns {
        let glob = globset::GlobBuilder::new(p.trim_start_matches("./").trim_end_matches('/'))
            .literal_separator(true)
            .build()
            .map_err(|e| crate::Error::BadMembers(e.to_string()))?;
        builder.add(glob);
    }
    builder
        .build()
        .map_err(|e| crate::Error::BadMembers(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn names(m: &Members) -> Vec<(&str, &str)> {
        m.list
            .iter()
            .map(|m| (m.name.as_str(), m.dir.as_str()))
            .collect()
    }

    const LIB: &str = "[project]\nname = \"Invoice_Rules\"\nversion = \"0.4.0\"\n";

    #[test]
    fn members_from_the_setting() {
        let t = tree(&[
            (
                "pyproject.toml",
                "[tool.bumpwise]\nmembers = [\"packages/*\", \"services/*\"]\nmembers-exclude = [\"services/old\"]\ntag-format = \"{name}@{version}\"\n",
            ),
            ("packages/invoice_rules/pyproject.toml", LIB),
            (
                "packages/date_parsing/pyproject.toml",
                "[project]\nname = \"date-parsing\"\n",
            ),
            (
                "services/billing_worker/pyproject.toml",
                "[project]\nname = \"billing-worker\"\n",
            ),
            ("services/old/pyproject.toml", "[project]\nname = \"old\"\n"),
            (
                "services/billing_worker/tests/fixture/pyproject.toml",
                "[project]\nname = \"fixture\"\n",
            ),
            ("scripts/backfill.py", ""),
        ]);
        let m = discover(t.path()).unwrap().unwrap();
        assert_eq!(
            names(&m),
            [
                ("billing-worker", "services/billing_worker"),
                ("date-parsing", "packages/date_parsing"),
                ("invoice-rules", "packages/invoice_rules"),
            ]
        );
        assert_eq!(m.tag_format.as_deref(), Some("{name}@{version}"));
        assert_eq!(
            m.find("Invoice.Rules").map(|m| m.dir.as_str()),
            Some("packages/invoice_rules")
        );
        assert_eq!(
            m.find("./services/billing_worker/")
                .map(|m| m.name.as_str()),
            Some("billing-worker")
        );
        assert_eq!(
            m.containing("packages/invoice_rules/src/x.py")
                .map(|m| m.name.as_str()),
            Some("invoice-rules")
        );
        assert!(m.containing("scripts").is_none());
    }

    #[test]
    fn members_from_a_uv_workspace_include_a_root_project() {
        let t = tree(&[
            (
                "pyproject.toml",
                "[project]\nname = \"app\"\n[tool.uv.workspace]\nmembers = [\"libs/*\"]\nexclude = [\"libs/skip\"]\n",
            ),
            ("libs/invoice_rules/pyproject.toml", LIB),
            ("libs/skip/pyproject.toml", "[project]\nname = \"skip\"\n"),
        ]);
        let m = discover(t.path()).unwrap().unwrap();
        assert_eq!(
            names(&m),
            [("app", ""), ("invoice-rules", "libs/invoice_rules")]
        );
        let app = m.find("app").unwrap().clone();
        assert_eq!(m.nested_in(&app), ["libs/invoice_rules"]);
        assert_eq!(
            m.containing("libs/invoice_rules/x")
                .map(|m| m.name.as_str()),
            Some("invoice-rules")
        );
        assert_eq!(
            m.containing("src/app/x.py").map(|m| m.name.as_str()),
            Some("app")
        );
    }

    #[test]
    fn found_when_the_root_is_no_project() {
        let t = tree(&[
            ("pyproject.toml", "[tool.ruff]\nline-length = 100\n"),
            ("a/pyproject.toml", "[project]\nname = \"a\"\n"),
            ("b/pyproject.toml", "[project]\nname = \"b\"\n"),
            (".venv/lib/pyproject.toml", ""),
            ("node_modules/x/pyproject.toml", ""),
            ("env/pyvenv.cfg", ""),
            ("env/pyproject.toml", ""),
        ]);
        let m = discover(t.path()).unwrap().unwrap();
        assert_eq!(names(&m), [("a", "a"), ("b", "b")]);
    }

    #[test]
    fn one_project_is_no_workspace() {
        // A root project with test fixtures below it is one project, as it always was.
        let t = tree(&[
            ("pyproject.toml", LIB),
            (
                "tests/data/pyproject.toml",
                "[project]\nname = \"fixture\"\n",
            ),
        ]);
        assert_eq!(discover(t.path()).unwrap(), None);
        // So is a lone project in a folder.
        let t = tree(&[("pkg/pyproject.toml", LIB)]);
        assert_eq!(discover(t.path()).unwrap(), None);
        // And a setup.py project at the root.
        let t = tree(&[("setup.py", ""), ("docs/pyproject.toml", "")]);
        assert_eq!(discover(t.path()).unwrap(), None);
    }

    #[test]
    fn the_tag_format_of_a_member() {
        let members = Members {
            list: vec![],
            source: "",
            tag_format: None,
            imports: Default::default(),
        };
        let member = Member {
            name: "invoice-rules".to_owned(),
            dir: "packages/invoice_rules".to_owned(),
        };
        let mut p = Project::parse("pyproject.toml", LIB).unwrap();
        members.apply(&member, &mut p);
        assert_eq!(p.config.tag_for("0.5.0"), "invoice-rules-v0.5.0");
        let mut p = Project::parse(
            "pyproject.toml",
            "[project]\nname = \"x\"\n[tool.bumpwise]\ntag-format = \"{name}/{version}\"\n",
        )
        .unwrap();
        members.apply(&member, &mut p);
        assert_eq!(p.config.tag_for("1.0"), "invoice-rules/1.0");
    }
}
