//! The crate's error: every module's error, plus a hint that says what to do.

use std::path::PathBuf;

use crate::project::{self, sources};
use crate::version::{Bump, pep440};
use crate::{api, git, release};

/// Anything that stops a command. Every error exits 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Api(#[from] api::Error),
    #[error(transparent)]
    Config(#[from] project::Error),
    #[error(transparent)]
    Git(#[from] git::Error),
    #[error(transparent)]
    Version(#[from] sources::Error),
    #[error(transparent)]
    Release(#[from] release::Error),
    #[error("`{}` does not exist or is not a directory", .0.display())]
    NoDirectory(PathBuf),
    #[error("`{}` is outside the repository at `{}`", dir.display(), repo.display())]
    OutsideRepo { dir: PathBuf, repo: PathBuf },
    #[error("`{0}` is not valid UTF-8")]
    FileNotUtf8(String),
    /// A problem in the files of a revision other than the compared one (the release tag).
    #[error("at `{rev}`: {source}")]
    AtRevision { rev: String, source: Box<Error> },
    /// A problem in the files of the compared revision, when it is a commit (`HEAD`, a ref).
    #[error("at `{rev}`: {source}")]
    AtTarget { rev: String, source: Box<Error> },
    #[error("`exclude` in `[tool.bumpwise]` has a bad glob: {0}")]
    BadExclude(String),
    /// Members that depend on each other in a circle (the message names it and what to do).
    #[error("{0}")]
    Cycle(String),
    #[error("{0}")]
    Widen(String),
    /// A problem in one member of a repository of several projects.
    #[error("in `{member}`: {source}")]
    InMember { member: String, source: Box<Error> },
    #[error("`members` in the root pyproject.toml has a bad glob: {0}")]
    BadMembers(String),
    #[error("`[tool.bumpwise.imports]` in the root pyproject.toml has a bad glob in {0}")]
    BadImportsSetting(String),
    #[error("the root pyproject.toml names members, but no folder matches them")]
    NoMembers,
    #[error("this repository holds several projects (from {found_by}); which one?\n{listing}")]
    ChooseMember {
        found_by: &'static str,
        listing: String,
    },
    #[error("`--from WORKTREE` cannot be a base: the base must be a commit")]
    WorktreeAsBase,
    #[error(
        "the version in `{0}` is dynamic (set by the build backend from tags), so there is no declared version to check"
    )]
    DynamicVersionCheck(String),
    #[error("`{0}` declares no version (`[project].version`)")]
    NoDeclaredVersion(String),
    #[error("the version in `{file}` is not one bumpwise can release: {source}")]
    BadVersion {
        file: String,
        source: pep440::ParseError,
    },
    #[error("`--pre {0}` is not a pre-release kind")]
    BadPre(String),
    #[error(
        "`--bump {asked}` is lower than the {required} bump the API changes require ({reason})"
    )]
    BumpTooLow {
        asked: Bump,
        required: Bump,
        reason: String,
    },
    #[error("the next version {next} would not be above the last release {previous}")]
    Backwards { previous: String, next: String },
    #[error("no release tag to compare with, so bumpwise cannot tell what changed")]
    NoTagForRelease,
    #[error("`{0}` has no static version and there is no release tag: nothing to release")]
    NoVersionToTag(String),
    #[error("`version-files` names `{0}`, which does not exist")]
    MissingVersionFile(String),
    #[error("cannot release:\n{}", list_problems(.0))]
    Refused(Vec<release::Problem>),
    #[error("could not read `{}`: {source}", path.display())]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not write `{}`: {source}", path.display())]
    WriteFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the demo could not set up its repository: {0}")]
    Demo(String),
    #[error(
        "`{file}` already has a `[tool.bumpwise]` table (line {line}); `init` never overwrites it"
    )]
    InitTableExists { file: String, line: u32 },
    #[error(
        "`{0}` does not exist; `init` writes `[tool.bumpwise]` into a project's pyproject.toml"
    )]
    InitNoPyproject(String),
    #[error("could not write the output: {0}")]
    Output(std::io::Error),
}

fn list_problems(problems: &[release::Problem]) -> String {
    let mut s = String::new();
    for p in problems {
        s.push_str("  - ");
        s.push_str(&p.message);
        if let Some(h) = &p.hint {
            s.push_str("\n    hint: ");
            s.push_str(h);
        }
        s.push('\n');
    }
    s.push_str("nothing was changed");
    s
}

impl Error {
    /// What the user can do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        let s = |t: &str| Some(t.to_owned());
        match self {
            Error::Api(e) => api_hint(e),
            Error::Git(e) => e.hint(),
            Error::Release(e) => e.hint(),
            Error::Config(project::Error::UnknownKey { .. }) => Some(format!(
                "the keys are {}",
                project::known_keys()
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Error::Config(project::Error::Missing { .. }) => s(
                "run bumpwise in the project's directory (the one holding pyproject.toml, setup.cfg or setup.py), or pass `--package <DIR>`",
            ),
            Error::Config(project::Error::SetupVersion { .. }) => s(
                "move it to `[project].version` in pyproject.toml, or to the package's `__version__` (read by `version = attr: mypkg.__version__` in setup.cfg)",
            ),
            Error::Config(project::Error::NotUtf8(_)) => None,
            Error::Config(project::Error::VersionNotString { value, .. }) => Some(format!(
                "quote it: `version = \"{}\"`; PEP 621 makes the version a string, and pip and \
                 the build backends refuse anything else",
                value.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '.')
            )),
            Error::Config(project::Error::Toml { file, line, .. })
            | Error::Version(sources::Error::Toml { file, line, .. }) => Some(format!(
                "fix the TOML syntax of `{file}` at line {line}: pip, the build backend and \
                 bumpwise all read the whole file"
            )),
            Error::AtRevision { source, .. }
                if matches!(**source, Error::Api(api::Error::Syntax { .. })) =>
            {
                s(
                    "a release cannot be edited after the fact: with `diff` and `check`, pass `--from <ref>` to compare with a revision that parses",
                )
            }
            Error::AtRevision { source, .. } | Error::AtTarget { source, .. } => source.hint(),
            Error::InMember { source, .. } => source.hint(),
            Error::Config(_) => {
                s("see the README's Configuration table for every key of `[tool.bumpwise]`")
            }
            Error::NoDirectory(_) => {
                s("pass the directory that holds pyproject.toml to `--package`")
            }
            Error::ChooseMember { .. } => s(
                "pass `--package NAME` for one of them or `--all` for every one, or run bumpwise \
                 inside a member's folder",
            ),
            Error::OutsideRepo { .. } => {
                s("pass `--repo` the repository that contains the project")
            }
            Error::DynamicVersionCheck(_) => {
                s("`bumpwise diff` shows the required bump; `bumpwise release` creates the tag")
            }
            Error::NoDeclaredVersion(_) => s("set `version = \"1.2.3\"` in `[project]`"),
            Error::BadVersion { .. } => s("use a PEP 440 version such as `1.2.3` or `2.0.0rc1`"),
            Error::BadPre(_) => s("use `--pre a`, `--pre b` or `--pre rc`"),
            Error::BumpTooLow { required, .. } => Some(format!(
                "drop `--bump`, or pass `--bump {required}`; a release must never hide a breaking change"
            )),
            Error::NoTagForRelease => s(
                "pass `--first` to tag the declared version as the first release, or fetch the tags (`git fetch --tags`)",
            ),
            Error::NoVersionToTag(_) => s("tag the first release by hand: `git tag v0.1.0`"),
            Error::MissingVersionFile(_) => {
                s("fix `version-files` in `[tool.bumpwise]` of pyproject.toml")
            }
            Error::WorktreeAsBase => s("pass a tag or commit to `--from`"),
            Error::InitTableExists { file, line } => Some(format!(
                "see it with `sed -n '{line},$p' {file}`; to start over, delete the table and run \
                 `bumpwise init --dry-run`"
            )),
            Error::InitNoPyproject(_) => s(
                "create it with a `[project]` table (`name` and `version`, PEP 621), then run \
                 `bumpwise init` again",
            ),
            _ => None,
        }
    }
}

fn api_hint(e: &api::Error) -> Option<String> {
    match e {
        api::Error::Syntax { .. } => Some(
            "fix the syntax error; bumpwise never guesses an API from code that does not parse"
                .to_owned(),
        ),
        api::Error::NotUtf8 { .. } => Some(
            "save the file as UTF-8, or declare its encoding on line 1 or 2 (`# -*- coding: latin-1 -*-`)"
                .to_owned(),
        ),
        api::Error::NulByte { .. } => Some(
            "remove the NUL byte (a binary file saved as `.py`?); write `\\0` inside a string"
                .to_owned(),
        ),
        api::Error::LfsPointer { .. } => Some(
            "bumpwise reads files as git stores them, where an LFS-tracked file is only its \
             pointer: keep Python source out of Git LFS (`git lfs untrack '*.py'`, then \
             `git add --renormalize .`)"
                .to_owned(),
        ),
        api::Error::PackageNotFound { looked, .. } if looked.is_empty() => Some(
            "set `[tool.bumpwise] package = \"src/mypkg\"` (the package's directory) in pyproject.toml"
                .to_owned(),
        ),
        api::Error::PackageNotFound { looked, .. } => Some(format!(
            "looked in {}; set `[tool.bumpwise] package = \"src/mypkg\"` in pyproject.toml",
            looked
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        api::Error::ConfiguredPackageMissing { .. } => {
            Some("fix `package` in `[tool.bumpwise]` of pyproject.toml".to_owned())
        }
        _ => None,
    }
}
