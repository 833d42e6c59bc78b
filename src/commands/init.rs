//! `init`: writes a commented `[tool.bumpwise]` table into pyproject.toml. Wiring only: the
//! workspace finds the project, `api::package` its package, `git` its tags, `release` its
//! changelog, `project::init` decides and renders the table, `report::release` the diff.

use std::io::Write;
use std::path::Path;

use super::compare::{self, Target, Workspace};
use crate::options::{InitOptions, Rev};
use crate::project::init::{self, Entry};
use crate::project::workspace::{self, Members};
use crate::project::{Changelog, Project};
use crate::{Error, ExitStatus, api};

/// Where the table goes, and what it says.
struct Plan {
    /// Repository-relative path of pyproject.toml.
    file: String,
    /// The file as it is; `None` when it does not exist (a workspace root without one).
    before: Option<String>,
    entries: Vec<Entry>,
}

pub(super) fn run(o: &InitOptions, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    let (_, root, start) = compare::open_repo(&o.project)?;
    let plan = match Workspace::open(&o.project) {
        Ok(ws) => project_plan(&ws, &root)?,
        // At the root of a repository of several projects that is no project itself: the
        // root's pyproject.toml gets `members`.
        Err(Error::ChooseMember { .. }) if start == root => match workspace::discover(&root)? {
            Some(members) => root_plan(&ws_root(&o.project)?, &root, &members)?,
            None => return Err(Error::NoMembers),
        },
        Err(e) => return Err(e),
    };
    let table = init::render_table(&plan.entries);
    let before = plan.before.as_deref().unwrap_or("");
    let after = init::append_table(before, &table);
    // The result must be a configuration bumpwise reads: a `tool` written as an inline table,
    // say, would make the appended table invalid TOML.
    Project::parse(&plan.file, &after)?;
    // The table is the end of the file: its first line follows every line before it.
    let line = after.matches('\n').count() - table.matches('\n').count() + 1;
    for e in &plan.entries {
        if let Some(d) = e.decision() {
            writeln!(out, "{d}").map_err(Error::Output)?;
        }
    }
    if o.dry_run {
        writeln!(
            out,
            "dry run: nothing written; `{}` would change so:\n",
            plan.file
        )
        .map_err(Error::Output)?;
        crate::report::release::render_file_diff(
            &plan.file,
            plan.before.as_deref(),
            &after,
            out,
            o.color,
        )
        .map_err(Error::Output)?;
        return Ok(ExitStatus::Success);
    }
    let path = crate::release::checked_path(&root, &plan.file)?;
    std::fs::write(&path, &after).map_err(|source| Error::WriteFile {
        path: path.clone(),
        source,
    })?;
    let what = if plan.before.is_some() {
        "wrote"
    } else {
        "created the file with"
    };
    writeln!(
        out,
        "{what} `[tool.bumpwise]` in `{}` (line {line})",
        plan.file
    )
    .map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}

/// The workspace at the repository root, for its repository.
fn ws_root(project: &crate::options::ProjectDir) -> Result<Workspace, Error> {
    let all = Workspace::open_all(project)?;
    all.into_iter().next().ok_or(Error::NoMembers)
}

/// pyproject.toml's text, `None` when it does not exist. An existing `[tool.bumpwise]` table
/// is an error: `init` never overwrites one.
fn read_pyproject(root: &Path, file: &str) -> Result<Option<String>, Error> {
    // Not through a link out of the repository: the dry run would print what it points at.
    let path = crate::release::checked_path(root, file)?;
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| Error::FileNotUtf8(file.to_owned()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::ReadFile { path, source }),
    };
    if let Some(line) = init::existing_table_line(&text) {
        return Err(Error::InitTableExists {
            file: file.to_owned(),
            line,
        });
    }
    Ok(Some(text))
}

/// The table of one project (or member).
fn project_plan(ws: &Workspace, root: &Path) -> Result<Plan, Error> {
    let file = join(&ws.project_dir, "pyproject.toml");
    let Some(before) = read_pyproject(root, &file)? else {
        return Err(Error::InitNoPyproject(file));
    };
    let target = Target::read(ws, &Rev::Worktree)?;
    let project = &target.project;
    let files = target.snapshot.files_under(&project.dir);
    let relative = |path: &str| -> String {
        path.strip_prefix(&join(&project.dir, ""))
            .filter(|_| !project.dir.is_empty())
            .unwrap_or(path)
            .to_owned()
    };
    let mut entries = Vec::new();

    let package_doc = "The package whose public API is compared, relative to this file.";
    entries.push(
        match api::package::locate_all(&project.dir, &project.hints, &files) {
            Ok(found) => {
                // Only a package nothing names needs the setting: the rest is found every run.
                let set = found.source == api::package::Source::Tree && found.others.is_empty();
                let evidence = if set {
                    let p = &found.primary;
                    let slash = if p.single_module { "" } else { "/" };
                    format!(
                        "found `{}` ({}{slash}), the only top-level package: nothing names it, \
                         so it is set",
                        p.import_name, p.path
                    )
                } else {
                    let described = found.describe();
                    format!(
                        "found {}",
                        described.strip_prefix("reading ").unwrap_or(&described)
                    )
                };
                Entry::decided(
                    "package",
                    init::toml_string(&relative(&found.primary.path)),
                    set,
                    package_doc,
                    evidence,
                )
            }
            Err(e) => Entry::fill_in(
                "package",
                init::toml_string("src/mypkg"),
                package_doc,
                format!("{e}; set it to the package's directory"),
            ),
        },
    );

    // A member's default comes from the root (or `{name}-v{version}`); `{name}` is the
    // member's name, or the project's normalized name.
    let members = workspace::discover(root)?;
    let member = ws.member_name();
    let default_format = match (&members, member) {
        (Some(m), Some(_)) => m
            .tag_format
            .clone()
            .unwrap_or_else(|| "{name}-v{version}".to_owned()),
        _ => crate::git::DEFAULT_TAG_FORMAT.to_owned(),
    };
    let project_name = project
        .name
        .as_deref()
        .map(crate::project::requirement::normalize);
    let names: Vec<&str> = member.or(project_name.as_deref()).into_iter().collect();
    entries.push(tag_entry(ws, &names, &default_format, member.is_some())?);

    let mut defaulted = project.clone();
    defaulted.config.changelog = Changelog::Find;
    if let Some(path) = crate::release::changelog_path(&defaulted, &files) {
        let found = files.contains(&path);
        entries.push(Entry::decided(
            "changelog",
            init::toml_string(&relative(&path)),
            false,
            "Where `bumpwise release` writes its entry; `false` for none.",
            if found {
                format!("{} is the project's changelog", relative(&path))
            } else {
                "no changelog yet: the first release creates it".to_owned()
            },
        ));
    }
    entries.extend(init::taught());
    Ok(Plan {
        file,
        before: Some(before),
        entries,
    })
}

/// The table of a repository root that holds members and is no project: `members`, and the
/// members' tag format.
fn root_plan(ws: &Workspace, root: &Path, members: &Members) -> Result<Plan, Error> {
    let file = "pyproject.toml".to_owned();
    let before = read_pyproject(root, &file)?;
    let dirs: Vec<String> = members.list.iter().map(|m| m.dir.clone()).collect();
    let names: Vec<&str> = members.list.iter().map(|m| m.name.as_str()).collect();
    let globs = init::member_globs(&dirs);
    let found_by_files = members.source == "the pyproject.toml files found";
    let mut entries = vec![Entry::decided(
        "members",
        init::toml_strings(&globs),
        found_by_files,
        "The folders of the members (globs), each with its own pyproject.toml.",
        format!(
            "covers the {} members (from {}): {}",
            dirs.len(),
            members.source,
            names.join(", ")
        ),
    )];
    entries.push(tag_entry(ws, &names, "{name}-v{version}", true)?);
    entries.push(Entry::default(
        "members-exclude",
        "[]",
        "Folders `members` matches that are not members.",
    ));
    Ok(Plan {
        file,
        before,
        entries,
    })
}

/// `tag-format` from the release tags. With `named`, only tags named after one of `names`
/// count: the others are other members'.
fn tag_entry(ws: &Workspace, names: &[&str], default: &str, named: bool) -> Result<Entry, Error> {
    // The whole name is the "version" under the format `{version}`: `tag_format_of` parses
    // it, and the repository sorts the tags newest version first.
    let tags = ws
        .repo
        .release_tags("{version}", None, |tag| init::tag_format_of(tag, names))?;
    let tags: Vec<(String, String)> = tags
        .into_iter()
        .map(|t| (t.name, t.version.1))
        .filter(|(_, format)| !named || format.contains("{name}"))
        .collect();
    // Only members fill in `{name}`: a project of its own takes the format literally.
    let doc = if named {
        "The release tag; `{version}` is the version, `{name}` the member's name."
    } else {
        "The release tag; `{version}` is the version."
    };
    Ok(match init::guess_tag_format(&tags) {
        Some(guess) => {
            // `{name}` is filled in per member, so compare what the tags would be.
            let fill = |f: &str| {
                names
                    .first()
                    .map_or(f.to_owned(), |n| f.replace("{name}", n))
            };
            let set = fill(&guess.format) != fill(default);
            Entry::decided(
                "tag-format",
                init::toml_string(&guess.format),
                set,
                doc,
                guess.evidence,
            )
        }
        None => Entry::decided(
            "tag-format",
            init::toml_string(default),
            false,
            doc,
            "no release tags yet".to_owned(),
        ),
    })
}

fn join(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_owned()
    } else {
        format!("{dir}/{file}")
    }
}
