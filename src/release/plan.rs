//! [`plan`]: everything a release will do, decided before anything is written.
//!
//! Pure: it reads the working tree only through the `read` function it is handed, and takes
//! the comparison, the options and the project as values, so its table tests need no git.

use crate::api::PackageRoot;
use crate::changelog;
use crate::diff::{Change, ChangeKind};
use crate::project::sources::{self, SourceKind, VersionFacts};
use crate::project::{Changelog, Project};
use crate::version::pep440::{PreKind, Version};
use crate::version::{self, Bump, Policy};

use super::{FileEdit, Plan, Problem};

/// What the user asked of the release.
#[derive(Clone, Debug, Default)]
pub(crate) struct Request {
    /// `--bump`: at least this, never less than required.
    pub bump: Option<Bump>,
    /// `--pre`: a pre-release of this kind.
    pub pre: Option<PreKind>,
    /// Make the release commit (`--no-commit` clears it).
    pub commit: bool,
    /// Create the tag (`--no-tag` clears it).
    pub tag: bool,
    /// At least this bump, whatever the changes require: a dependent whose specifiers
    /// `--update-dependents` widened gets a patch release.
    pub floor: Option<Bump>,
}

/// What the comparison with the last release found.
#[derive(Clone, Debug)]
pub(crate) struct Basis<'a> {
    /// The release tag the changes are measured from.
    pub tag: &'a str,
    /// The version it released, when known.
    pub version: Option<&'a Version>,
    pub required: Bump,
    pub changes: &'a [Change],
    /// The commit subjects since the tag, oldest first, for the changelog.
    pub commits: Vec<String>,
}

/// Everything [`plan`] reads.
pub(crate) struct Input<'a> {
    /// The project at `HEAD`: its settings and the version it declares.
    pub project: &'a Project,
    /// The version declared at `HEAD`, parsed.
    pub declared: Option<&'a Version>,
    /// The package at `HEAD` (its `__version__` files are version sources), or why it could
    /// not be found.
    pub package: Result<&'a PackageRoot, &'a crate::Error>,
    /// The name in the headline and the tag message.
    pub package_name: &'a str,
    /// `None` for `--first`.
    pub basis: Option<Basis<'a>>,
    pub request: &'a Request,
    /// `YYYY-MM-DD`, for the changelog entry.
    pub today: &'a str,
    /// The project's files at `HEAD`, repository-relative: where an existing changelog is
    /// found.
    pub files: &'a [String],
    /// Reads a working-tree file by repository-relative path; `None` when it does not exist.
    pub read: &'a dyn Fn(&str) -> Result<Option<String>, crate::Error>,
}

/// What [`plan`] decided.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// No change since the last release (`tag`, which released `version`) and no
    /// pre-release asked for.
    Nothing {
        tag: String,
        version: Option<String>,
    },
    Release(Planned),
}

/// A release, planned.
#[derive(Debug)]
pub(crate) struct Planned {
    pub plan: Plan,
    pub bump: Bump,
    /// `acme 1.4.0 -> 2.0.0 (major)`, or `acme 0.1.0 (first release)`.
    pub headline: String,
    /// Every reason not to release that planning found; the repository's own state is
    /// checked by [`super::preflight`].
    pub refusals: Vec<Problem>,
}

/// Decides the version, every file edit, the commit message and the tag.
///
/// Errors are the refusals that leave nothing to show: `--bump` below the required bump, no
/// version to release, a version that would go backwards. Problems with the files (version
/// sources that disagree, say) are [`Planned::refusals`], so that a dry run still shows the
/// rest of the plan.
pub(crate) fn plan(input: &Input<'_>) -> Result<Outcome, crate::Error> {
    let project = input.project;
    let config = &project.config;
    let policy = Policy {
        major_on_zero: config.major_on_zero,
    };
    let request = input.request;
    let (previous, bump) = match &input.basis {
        None => (None, Bump::None),
        Some(basis) => {
            let bump = match request.bump {
                Some(asked) if asked < basis.required => {
                    return Err(crate::Error::BumpTooLow {
                        asked,
                        required: basis.required,
                        reason: basis
                            .changes
                            .iter()
                            .find(|ch| ch.bump == basis.required)
                            .map(|ch| ch.message.clone())
                            .unwrap_or_default(),
                    });
                }
                Some(asked) => asked,
                None => basis.required,
            };
            let bump = bump.max(request.floor.unwrap_or(Bump::None));
            if bump == Bump::None && request.pre.is_none() {
                return Ok(Outcome::Nothing {
                    tag: basis.tag.to_owned(),
                    version: basis.version.map(Version::to_string),
                });
            }
            (basis.version, bump)
        }
    };

    let next = match (previous, input.declared) {
        (None, Some(d)) => d.clone(),
        (None, None) => {
            return Err(crate::Error::NoVersionToTag(project.path("pyproject.toml")));
        }
        (Some(prev), declared) => version::next_release(prev, declared, bump, request.pre, policy),
    };
    if let Some(prev) = previous
        && &next <= prev
    {
        return Err(crate::Error::Backwards {
            previous: prev.to_string(),
            next: next.to_string(),
        });
    }
    let next_text = next.to_string();

    let mut refusals = Vec::new();
    let mut edits = Vec::new();
    if !project.dynamic_version() {
        match input
            .package
            .map(|package| version_edits(input, package, &next_text))
        {
            Ok(Ok(mut e)) => edits.append(&mut e),
            // setuptools-scm and friends: the tag is the version.
            Ok(Err(crate::Error::Version(sources::Error::DynamicVersion { .. }))) => {}
            Ok(Err(e)) => refusals.push(Problem::from(&e)),
            Err(e) => refusals.push(Problem::from(e)),
        }
    }
    if let Some(path) = changelog_path(project, input.files) {
        let existing = (input.read)(&path)?;
        let (changes, commits) = match &input.basis {
            Some(b) => (b.changes, b.commits.clone()),
            None => (&[][..], Vec::new()),
        };
        let entry = entry_input(&next_text, input.today, changes, commits);
        let after = match existing.as_deref() {
            Some(text) if changelog::rst::is_rst(&path, Some(text)) => {
                changelog::rst::insert(text, &entry)
            }
            _ => changelog::insert(
                existing.as_deref(),
                &changelog::render_entry(&entry),
                changelog::UnreleasedInto::Sections,
            ),
        };
        edits.push(FileEdit {
            path,
            before: existing,
            after,
        });
    }
    let package_name = input.package_name;
    let headline = match previous {
        Some(p) => format!("{package_name} {p} -> {next_text} ({bump})"),
        None => format!("{package_name} {next_text} (first release)"),
    };
    let plan = Plan {
        previous_version: previous.map(Version::to_string),
        edits,
        commit_message: request.commit.then(|| {
            config
                .release_commit_message
                .replace("{version}", &next_text)
        }),
        tags: request
            .tag
            .then(|| {
                (
                    config.tag_for(&next_text),
                    format!("{package_name} {next_text}"),
                )
            })
            .into_iter()
            .collect(),
        version: next_text,
    };
    Ok(Outcome::Release(Planned {
        plan,
        bump,
        headline,
        refusals,
    }))
}

/// The changelog a release writes: the configured one, else the project's own
/// (`CHANGELOG`, `CHANGES`, `HISTORY` or `NEWS`, with `.md`, `.rst` or no extension, in any
/// case), else a new `CHANGELOG.md`. `files` lists the project's files.
pub(crate) fn changelog_path(project: &Project, files: &[String]) -> Option<String> {
    match &project.config.changelog {
        Changelog::Off => None,
        Changelog::At(path) => Some(project.path(path)),
        Changelog::Find => {
            let dir = project.path("");
            let names: Vec<&str> = files
                .iter()
                .filter_map(|f| f.strip_prefix(dir.as_str()))
                .filter(|name| !name.contains('/'))
                .collect();
            let found = ["changelog", "changes", "history", "news"]
                .iter()
                .flat_map(|stem| {
                    ["md", "rst", ""].map(move |ext| match ext {
                        "" => (*stem).to_owned(),
                        ext => format!("{stem}.{ext}"),
                    })
                })
                .find_map(|want| names.iter().find(|n| n.eq_ignore_ascii_case(&want)));
            Some(project.path(found.copied().unwrap_or("CHANGELOG.md")))
        }
    }
}

/// The edits that set every version source to `next`. Sources that disagree are an error.
/// The files are read from the working tree, which is what gets written.
fn version_edits(
    input: &Input<'_>,
    package: &PackageRoot,
    next: &str,
) -> Result<Vec<FileEdit>, crate::Error> {
    let project = input.project;
    let read = input.read;
    let pyproject_path = project.path("pyproject.toml");
    let pyproject_text = read(&pyproject_path)?.unwrap_or_default();
    // The working tree's pyproject.toml is what gets rewritten, so its own spans are used.
    let facts = VersionFacts::parse(&pyproject_path, &pyproject_text)?;
    let mut candidates = sources::dunder_candidates(&package.path, package.single_module);
    if let Some(p) = &facts.hatch_path {
        candidates.push(project.path(p));
    }
    let mut package_files = Vec::new();
    for path in candidates {
        if let Some(text) = read(&path)? {
            package_files.push((path, text));
        }
    }
    let mut extra_files = Vec::new();
    for f in &project.config.version_files {
        let path = project.path(f);
        match read(&path)? {
            Some(text) => extra_files.push((path, text)),
            None => return Err(crate::Error::MissingVersionFile(path)),
        }
    }
    let found = sources::find_sources(&pyproject_path, &facts, &package_files, &extra_files)?;
    let mut edits: Vec<FileEdit> = Vec::new();
    for source in found {
        if edits.iter().any(|e| e.path == source.file) {
            continue;
        }
        let before = if source.file == pyproject_path {
            pyproject_text.clone()
        } else {
            package_files
                .iter()
                .chain(&extra_files)
                .find(|(p, _)| p == &source.file)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        };
        let after = match source.kind {
            SourceKind::ProjectTable | SourceKind::Poetry => {
                facts.set_version(&source.file, &before, next)?
            }
            SourceKind::Dunder => {
                sources::set_dunder_version(&before, next).map_err(|e| e.with_file(&source.file))?
            }
        };
        edits.push(FileEdit {
            path: source.file.clone(),
            before: Some(before),
            after,
        });
    }
    Ok(edits)
}

/// Plain-words changelog lines from the API changes.
fn entry_input<'a>(
    version: &'a str,
    date: &'a str,
    changes: &[Change],
    commits: Vec<String>,
) -> changelog::EntryInput<'a> {
    let mut input = changelog::EntryInput {
        version,
        date,
        breaking: Vec::new(),
        added: Vec::new(),
        deprecated: Vec::new(),
        changed: Vec::new(),
        commits,
    };
    for ch in changes {
        let line = changelog_line(ch);
        match (ch.kind, ch.bump) {
            (ChangeKind::NameDeprecated | ChangeKind::NameServedByGetattr, _) => {
                input.deprecated.push(line)
            }
            (_, Bump::Major) => input.breaking.push(line),
            (_, Bump::Minor) => input.added.push(line),
            _ => input.changed.push(line),
        }
    }
    input
}

fn changelog_line(ch: &Change) -> String {
    let mut line = upper_first(&ch.message);
    if let Some(to) = &ch.moved_to
        && !line.contains(to.as_str())
    {
        line.push_str(&format!(" (now at `{to}`)"));
    }
    if let Some(since) = &ch.deprecated_since {
        line.push_str(&format!(" (deprecated since {since})"));
    }
    line
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::api::Location;

    const STATIC: &str = "[project]\nname = \"acme\"\nversion = \"1.4.0\"  # kept\n";
    const CHANGELOG: &str = "# Changelog\n\n## [Unreleased]\n\n## [1.4.0] - 2026-01-15\n";

    /// One planning case: the inputs that vary, and what the plan must be.
    struct Case {
        name: &'static str,
        /// pyproject.toml at HEAD (and in the working tree).
        pyproject: &'static str,
        /// Other working-tree files: `src/acme/__init__.py`, CHANGELOG.md.
        files: &'static [(&'static str, &'static str)],
        /// `None` for `--first`; else the last release's version.
        previous: Option<&'static str>,
        required: Bump,
        bump: Option<Bump>,
        pre: Option<PreKind>,
        commit_and_tag: bool,
        /// The plan as `version | edited files | commit | tag | refusals`, or the error.
        expect: &'static str,
    }

    const BASE: Case = Case {
        name: "",
        pyproject: STATIC,
        files: &[("CHANGELOG.md", CHANGELOG)],
        previous: Some("1.4.0"),
        required: Bump::Minor,
        bump: None,
        pre: None,
        commit_and_tag: true,
        expect: "",
    };

    fn run(case: &Case) -> String {
        let project = Project::parse("pyproject.toml", case.pyproject).unwrap();
        let mut files: BTreeMap<String, String> = case
            .files
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect();
        files.insert("pyproject.toml".to_owned(), case.pyproject.to_owned());
        let names: Vec<String> = files.keys().cloned().collect();
        let read = |path: &str| Ok(files.get(path).cloned());
        let package = PackageRoot {
            import_name: "acme".to_owned(),
            path: "src/acme".to_owned(),
            single_module: false,
        };
        let previous = case.previous.map(|v| v.parse::<Version>().unwrap());
        let declared = project.version().map(|v| v.parse::<Version>().unwrap());
        let changes = [Change::new(
            ChangeKind::NameAdded,
            "acme.post",
            "`acme.post` was added".to_owned(),
            &Location {
                file: "src/acme/__init__.py".to_owned(),
                line: 3,
            },
        )];
        let request = Request {
            bump: case.bump,
            pre: case.pre,
            commit: case.commit_and_tag,
            tag: case.commit_and_tag,
            floor: None,
        };
        let outcome = plan(&Input {
            project: &project,
            declared: declared.as_ref(),
            package: Ok(&package),
            package_name: "acme",
            basis: previous.as_ref().map(|v| Basis {
                tag: "v1.4.0",
                version: Some(v),
                required: case.required,
                changes: &changes,
                commits: vec!["Add post".to_owned()],
            }),
            request: &request,
            today: "2026-12-02",
            files: &names,
            read: &read,
        });
        match outcome {
            Err(e) => format!("error: {e}"),
            Ok(Outcome::Nothing { tag, version }) => format!("nothing since {tag} ({version:?})"),
            Ok(Outcome::Release(p)) => format!(
                "{} | {} | {} | {} | {}",
                p.headline,
                p.plan
                    .edits
                    .iter()
                    .map(|e| e.path.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                p.plan.commit_message.as_deref().unwrap_or("no commit"),
                p.plan.tags.first().map_or("no tag", |t| t.0.as_str()),
                p.refusals
                    .iter()
                    .map(|r| r.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        }
    }

    /// (versions, bump, flags) -> plan or refusals, without git.
    #[test]
    fn plans() {
        let cases = [
            Case {
                name: "an addition is a minor release",
                expect: "acme 1.4.0 -> 1.5.0 (minor) | pyproject.toml CHANGELOG.md | release: 1.5.0 | v1.5.0 | ",
                ..BASE
            },
            Case {
                name: "--bump raises the required bump",
                bump: Some(Bump::Major),
                expect: "acme 1.4.0 -> 2.0.0 (major) | pyproject.toml CHANGELOG.md | release: 2.0.0 | v2.0.0 | ",
                ..BASE
            },
            Case {
                name: "--bump never lowers it",
                bump: Some(Bump::Patch),
                expect: "error: `--bump patch` is lower than the minor bump the API changes require (`acme.post` was added)",
                ..BASE
            },
            Case {
                name: "no change, no release",
                required: Bump::None,
                expect: "nothing since v1.4.0 (Some(\"1.4.0\"))",
                ..BASE
            },
            Case {
                name: "a pre-release of nothing would not go up",
                required: Bump::None,
                pre: Some(PreKind::Rc),
                expect: "error: the next version 1.4.0 would not be above the last release 1.4.0",
                ..BASE
            },
            Case {
                name: "a release candidate",
                pre: Some(PreKind::Rc),
                expect: "acme 1.4.0 -> 1.5.0rc1 (minor) | pyproject.toml CHANGELOG.md | release: 1.5.0rc1 | v1.5.0rc1 | ",
                ..BASE
            },
            Case {
                name: "a version raised by hand that covers the bump wins",
                pyproject: "[project]\nname = \"acme\"\nversion = \"2.0.0\"\n",
                expect: "acme 1.4.0 -> 2.0.0 (minor) | pyproject.toml CHANGELOG.md | release: 2.0.0 | v2.0.0 | ",
                ..BASE
            },
            Case {
                name: "a first release takes the declared version",
                previous: None,
                files: &[],
                expect: "acme 1.4.0 (first release) | pyproject.toml CHANGELOG.md | release: 1.4.0 | v1.4.0 | ",
                ..BASE
            },
            Case {
                name: "a first release needs a declared version",
                previous: None,
                pyproject: "[project]\nname = \"acme\"\ndynamic = [\"version\"]\n",
                expect: "error: `pyproject.toml` has no static version and there is no release tag: nothing to release",
                ..BASE
            },
            Case {
                name: "a dynamic version is the tag: only the changelog is written",
                pyproject: "[project]\nname = \"acme\"\ndynamic = [\"version\"]\n[tool.setuptools_scm]\n",
                expect: "acme 1.4.0 -> 1.5.0 (minor) | CHANGELOG.md | release: 1.5.0 | v1.5.0 | ",
                ..BASE
            },
            Case {
                name: "every version source is rewritten",
                files: &[("src/acme/__init__.py", "__version__ = \"1.4.0\"\n")],
                pyproject: "[project]\nname = \"acme\"\nversion = \"1.4.0\"\n[tool.bumpwise]\nchangelog = false\n",
                expect: "acme 1.4.0 -> 1.5.0 (minor) | pyproject.toml src/acme/__init__.py | release: 1.5.0 | v1.5.0 | ",
                ..BASE
            },
            Case {
                name: "sources that disagree are a refusal, and the rest is still planned",
                files: &[("src/acme/_version.py", "__version__ = \"1.3.0\"\n")],
                expect: "acme 1.4.0 -> 1.5.0 (minor) | CHANGELOG.md | release: 1.5.0 | v1.5.0 | the version sources disagree: pyproject.toml:3 [project].version = \"1.4.0\", src/acme/_version.py:1 __version__ = \"1.3.0\"; set them all to the same version before releasing",
                ..BASE
            },
            Case {
                name: "--no-commit: neither commit nor tag",
                commit_and_tag: false,
                expect: "acme 1.4.0 -> 1.5.0 (minor) | pyproject.toml CHANGELOG.md | no commit | no tag | ",
                ..BASE
            },
            Case {
                name: "tag format and commit message come from the configuration",
                pyproject: "[project]\nname = \"acme\"\nversion = \"1.4.0\"\n[tool.bumpwise]\ntag-format = \"acme-v{version}\"\nrelease-commit-message = \"chore: acme {version}\"\nchangelog = \"docs/CHANGES.md\"\n",
                expect: "acme 1.4.0 -> 1.5.0 (minor) | pyproject.toml docs/CHANGES.md | chore: acme 1.5.0 | acme-v1.5.0 | ",
                ..BASE
            },
            Case {
                name: "the project's own changelog is used, whatever its name (issue 8)",
                files: &[(
                    "HISTORY.rst",
                    "History\n=======\n\n1.4.0 (2026-01-15)\n------------------\n\n* First.\n",
                )],
                expect: "acme 1.4.0 -> 1.5.0 (minor) | pyproject.toml HISTORY.rst | release: 1.5.0 | v1.5.0 | ",
                ..BASE
            },
            Case {
                name: "CHANGES without an extension",
                files: &[("Changes", "Version 1.4.0\n-------------\n\n- First.\n")],
                expect: "acme 1.4.0 -> 1.5.0 (minor) | pyproject.toml Changes | release: 1.5.0 | v1.5.0 | ",
                ..BASE
            },
            Case {
                name: "the `changelog` setting still wins",
                files: &[("NEWS.md", "# News\n")],
                pyproject: "[project]\nname = \"acme\"\nversion = \"1.4.0\"\n[tool.bumpwise]\nchangelog = \"CHANGELOG.md\"\n",
                expect: "acme 1.4.0 -> 1.5.0 (minor) | pyproject.toml CHANGELOG.md | release: 1.5.0 | v1.5.0 | ",
                ..BASE
            },
            Case {
                name: "no changelog yet: a new CHANGELOG.md",
                files: &[],
                expect: "acme 1.4.0 -> 1.5.0 (minor) | pyproject.toml CHANGELOG.md | release: 1.5.0 | v1.5.0 | ",
                ..BASE
            },
            Case {
                name: "below 1.0.0 a breaking change raises the minor number",
                pyproject: "[project]\nname = \"acme\"\nversion = \"0.3.2\"\n",
                previous: Some("0.3.2"),
                required: Bump::Major,
                expect: "acme 0.3.2 -> 0.4.0 (major) | pyproject.toml CHANGELOG.md | release: 0.4.0 | v0.4.0 | ",
                ..BASE
            },
        ];
        for case in &cases {
            assert_eq!(run(case), case.expect, "{}", case.name);
        }
    }

    /// An RST changelog gets an entry in its own heading style (issue 8).
    #[test]
    fn issue_8_an_rst_changelog_gets_an_rst_entry() {
        let history = "History\n=======\n\n1.4.0 (2026-01-15)\n------------------\n\n* First.\n";
        let project = Project::parse("pyproject.toml", STATIC).unwrap();
        let files: BTreeMap<&str, &str> =
            [("pyproject.toml", STATIC), ("HISTORY.rst", history)].into();
        let read = |path: &str| Ok(files.get(path).map(|t| (*t).to_owned()));
        let names: Vec<String> = files.keys().map(|k| (*k).to_owned()).collect();
        let previous: Version = "1.4.0".parse().unwrap();
        let package = PackageRoot {
            import_name: "acme".to_owned(),
            path: "src/acme".to_owned(),
            single_module: false,
        };
        let Ok(Outcome::Release(planned)) = plan(&Input {
            project: &project,
            declared: Some(&previous),
            package: Ok(&package),
            package_name: "acme",
            basis: Some(Basis {
                tag: "v1.4.0",
                version: Some(&previous),
                required: Bump::Patch,
                changes: &[],
                commits: vec!["Fix `retry`".to_owned()],
            }),
            request: &Request::default(),
            today: "2026-12-02",
            files: &names,
            read: &read,
        }) else {
            panic!("a patch release was expected");
        };
        assert_eq!(
            planned.plan.edits[1].after,
            "History\n=======\n\n1.4.1 (2026-12-02)\n------------------\n\n**Commits**\n\n* Fix ``retry``\n\n1.4.0 (2026-01-15)\n------------------\n\n* First.\n"
        );
    }

    #[test]
    fn a_removal_line_says_since_when_it_was_deprecated() {
        let at = Location {
            file: "src/acme/__init__.py".to_owned(),
            line: 1,
        };
        let mut moved = Change::new(
            ChangeKind::NameMoved,
            "acme.a.Old",
            "`acme.a.Old` moved; the old import fails".to_owned(),
            &at,
        );
        moved.moved_to = Some("acme.b.Old".to_owned());
        moved.deprecated_since = Some("1.2.0".to_owned());
        assert_eq!(
            changelog_line(&moved),
            "`acme.a.Old` moved; the old import fails (now at `acme.b.Old`) (deprecated since 1.2.0)"
        );
        moved.deprecated_since = None;
        assert_eq!(
            changelog_line(&moved),
            "`acme.a.Old` moved; the old import fails (now at `acme.b.Old`)"
        );
    }

    #[test]
    fn the_plan_keeps_formatting_and_writes_the_changelog_entry() {
        let project = Project::parse("pyproject.toml", STATIC).unwrap();
        let files: BTreeMap<&str, &str> =
            [("pyproject.toml", STATIC), ("CHANGELOG.md", CHANGELOG)].into();
        let read = |path: &str| Ok(files.get(path).map(|t| (*t).to_owned()));
        let names: Vec<String> = files.keys().map(|k| (*k).to_owned()).collect();
        let previous: Version = "1.4.0".parse().unwrap();
        let package = PackageRoot {
            import_name: "acme".to_owned(),
            path: "src/acme".to_owned(),
            single_module: false,
        };
        let Ok(Outcome::Release(planned)) = plan(&Input {
            project: &project,
            declared: Some(&previous),
            package: Ok(&package),
            package_name: "acme",
            basis: Some(Basis {
                tag: "v1.4.0",
                version: Some(&previous),
                required: Bump::Patch,
                changes: &[],
                commits: vec!["Fix the retry loop".to_owned()],
            }),
            request: &Request {
                commit: true,
                tag: true,
                ..Request::default()
            },
            today: "2026-12-02",
            files: &names,
            read: &read,
        }) else {
            panic!("a patch release was expected");
        };
        let edits = &planned.plan.edits;
        assert_eq!(edits[0].before.as_deref(), Some(STATIC));
        assert_eq!(
            edits[0].after,
            "[project]\nname = \"acme\"\nversion = \"1.4.1\"  # kept\n"
        );
        assert!(
            edits[1]
                .after
                .contains("## [1.4.1] - 2026-12-02\n\n### Commits\n\n- Fix the retry loop\n"),
            "{}",
            edits[1].after
        );
        assert_eq!(
            planned.plan.tags,
            [("v1.4.1".to_owned(), "acme 1.4.1".to_owned())]
        );
    }
}
