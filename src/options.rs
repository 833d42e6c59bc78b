//! Turns the parsed command line into validated options. The rest of the crate never sees clap.

use std::path::PathBuf;

use crate::cli::{self, Cli};
use crate::release::Request;
use crate::report::Format;
use crate::version::Bump;
use crate::version::pep440::PreKind;

/// Where the project is.
#[derive(Clone, Debug)]
pub struct ProjectDir {
    /// The directory holding pyproject.toml.
    pub dir: PathBuf,
    /// No `--package` was given: look for pyproject.toml from `dir` upwards, as cargo and uv
    /// do, so that bumpwise works from any folder of the project.
    pub search_up: bool,
    /// The repository, when given explicitly.
    pub repo: Option<PathBuf>,
    /// `--package` as written: a member's name, or a directory.
    pub select: Option<String>,
}

/// A revision to read: a git ref, or the working tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rev {
    Ref(String),
    Worktree,
}

impl Rev {
    fn parse(s: &str) -> Rev {
        if s == "WORKTREE" {
            Rev::Worktree
        } else {
            Rev::Ref(s.to_owned())
        }
    }

    /// The name as the user wrote it.
    pub fn name(&self) -> &str {
        match self {
            Rev::Ref(r) => r,
            Rev::Worktree => "WORKTREE",
        }
    }
}

/// One validated command.
#[derive(Clone, Debug)]
pub enum Options {
    Diff(DiffOptions),
    Check(DiffOptions),
    Api(ApiOptions),
    Release(ReleaseOptions),
    Graph(GraphOptions),
    Imports(ImportsOptions),
    Demo { color: bool },
    Init(InitOptions),
    Completions(Shell),
    Man,
}

/// `init`: write a `[tool.bumpwise]` table.
#[derive(Clone, Debug)]
pub struct InitOptions {
    pub project: ProjectDir,
    /// Print the decisions and the diff, write nothing.
    pub dry_run: bool,
    pub color: bool,
}

/// A shell `completions` writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// `imports`: the import gate.
#[derive(Clone, Debug)]
pub struct ImportsOptions {
    pub project: ProjectDir,
    /// Text, JSON or GitHub (never Markdown).
    pub format: Format,
    /// `--all`: every member of the repository.
    pub all: bool,
    /// The revision read: `HEAD`, or the `--to` of `check --imports`.
    pub rev: Rev,
}

#[derive(Clone, Debug)]
pub struct GraphOptions {
    pub project: ProjectDir,
    pub dot: bool,
}

#[derive(Clone, Debug)]
pub struct DiffOptions {
    pub project: ProjectDir,
    pub from: Option<Rev>,
    pub to: Rev,
    pub format: Format,
    pub color: bool,
    /// `--max-bytes`: the Markdown report is cut to fit.
    pub max_bytes: usize,
    /// `--all`: every member of the repository.
    pub all: bool,
    /// `check --imports`: the imports gate too.
    pub imports: bool,
    /// Read and write the facts cache (no `--no-cache`).
    pub cache: bool,
}

#[derive(Clone, Debug)]
pub struct ApiOptions {
    pub project: ProjectDir,
    pub rev: Rev,
    pub json: bool,
    /// Read and write the facts cache (no `--no-cache`).
    pub cache: bool,
}

#[derive(Clone, Debug)]
pub struct ReleaseOptions {
    pub project: ProjectDir,
    pub dry_run: bool,
    /// `--bump`, `--pre`, `--no-commit` and `--no-tag`.
    pub request: Request,
    pub first: bool,
    pub yes: bool,
    pub allow_dirty: bool,
    pub color: bool,
    /// stdin and stdout are terminals, so a confirmation can be asked.
    pub interactive: bool,
    /// `--all`: every member that needs a release.
    pub all: bool,
    /// `--update-dependents`.
    pub update_dependents: bool,
    /// Read the facts cache (no `--no-cache`); a release never writes it.
    pub cache: bool,
}

impl Options {
    /// Validates the command line.
    pub fn from_cli(cli: Cli) -> Result<Options, crate::Error> {
        let color = match cli.color {
            cli::ColorChoice::Always => true,
            cli::ColorChoice::Never => false,
            cli::ColorChoice::Auto => console::colors_enabled(),
        };
        let cache = !cli.no_cache;
        Ok(match cli.command {
            cli::Command::Diff(a) => Options::Diff(diff_options(a, color, cache)),
            cli::Command::Check(a) => Options::Check(DiffOptions {
                imports: a.imports,
                ..diff_options(a.diff, color, cache)
            }),
            cli::Command::Api(a) => Options::Api(ApiOptions {
                project: project(a.project),
                rev: Rev::parse(&a.rev),
                json: a.format == cli::ApiFormatArg::Json,
                cache,
            }),
            cli::Command::Release(a) => Options::Release(ReleaseOptions {
                project: project(a.project),
                dry_run: a.dry_run,
                request: Request {
                    bump: a.bump.map(|b| match b {
                        cli::BumpArg::Major => Bump::Major,
                        cli::BumpArg::Minor => Bump::Minor,
                        cli::BumpArg::Patch => Bump::Patch,
                    }),
                    pre: a.pre.as_deref().map(pre_kind).transpose()?,
                    commit: !a.no_commit,
                    tag: !a.no_commit && !a.no_tag,
                    floor: None,
                },
                first: a.first,
                yes: a.yes,
                allow_dirty: a.allow_dirty,
                color,
                interactive: console::user_attended() && console::Term::stdout().is_term(),
                all: a.all,
                update_dependents: a.update_dependents,
                cache,
            }),
            cli::Command::Graph(a) => Options::Graph(GraphOptions {
                project: ProjectDir {
                    dir: PathBuf::from("."),
                    search_up: true,
                    repo: a.repo,
                    select: None,
                },
                dot: a.format == cli::GraphFormatArg::Dot,
            }),
            cli::Command::Imports(a) => Options::Imports(ImportsOptions {
                project: project(a.project),
                format: match a.format {
                    cli::ImportsFormatArg::Text => Format::Text,
                    cli::ImportsFormatArg::Json => Format::Json,
                    cli::ImportsFormatArg::Github => Format::Github,
                },
                all: a.all,
                rev: a
                    .to
                    .as_deref()
                    .map(Rev::parse)
                    .unwrap_or(Rev::Ref("HEAD".to_owned())),
            }),
            cli::Command::Demo => Options::Demo { color },
            cli::Command::Init(a) => Options::Init(InitOptions {
                project: project(a.project),
                dry_run: a.dry_run,
                color,
            }),
            cli::Command::Completions(a) => Options::Completions(match a.shell {
                cli::ShellArg::Bash => Shell::Bash,
                cli::ShellArg::Zsh => Shell::Zsh,
                cli::ShellArg::Fish => Shell::Fish,
                cli::ShellArg::Powershell => Shell::Powershell,
                cli::ShellArg::Elvish => Shell::Elvish,
            }),
            cli::Command::Man => Options::Man,
        })
    }
}

fn project(a: cli::ProjectArgs) -> ProjectDir {
    ProjectDir {
        search_up: a.package.is_none(),
        select: a.package.as_ref().map(|p| p.to_string_lossy().into_owned()),
        dir: a.package.unwrap_or_else(|| PathBuf::from(".")),
        repo: a.repo,
    }
}

fn diff_options(a: cli::DiffArgs, color: bool, cache: bool) -> DiffOptions {
    DiffOptions {
        project: project(a.project),
        from: a.from.as_deref().map(Rev::parse),
        to: a
            .to
            .as_deref()
            .map(Rev::parse)
            .unwrap_or(Rev::Ref("HEAD".to_owned())),
        format: match a.format {
            cli::FormatArg::Text => Format::Text,
            cli::FormatArg::Json => Format::Json,
            cli::FormatArg::Markdown => Format::Markdown,
            cli::FormatArg::Github => Format::Github,
        },
        color,
        max_bytes: a.max_bytes,
        all: a.all,
        imports: false,
        cache,
    }
}

/// Parses `--pre`.
fn pre_kind(s: &str) -> Result<PreKind, crate::Error> {
    match s {
        "a" | "alpha" => Ok(PreKind::Alpha),
        "b" | "beta" => Ok(PreKind::Beta),
        "rc" | "c" => Ok(PreKind::Rc),
        _ => Err(crate::Error::BadPre(s.to_owned())),
    }
}
