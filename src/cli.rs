//! The command line, as clap sees it. Nothing here does work: [`crate::options`] turns these
//! structs into validated options first.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub(crate) mod generate;

/// Tells which semantic version a Python package's next release needs, then cuts it.
///
/// bumpwise reads the package's public API at the last release tag and at HEAD straight from git
/// (it never imports or runs your code), classifies every change as major, minor or patch, and
/// computes the next version. Use it to cut a release locally, as a CI gate that fails when a pull
/// request under-bumps the version, or as a dry-run report for the pull request.
#[derive(Debug, Parser)]
#[command(
    name = "bumpwise",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(after_long_help = "\
Examples:
  bumpwise demo                      See what bumpwise does on a throwaway repository
  bumpwise diff                      What changed since the last release tag, and the next version
  bumpwise check --format github     The CI gate: exit 1 when the declared version is too low
  bumpwise release --dry-run         Show the release it would cut, change nothing
  bumpwise init                      Write a commented [tool.bumpwise] table into pyproject.toml

Setup (not part of the release workflow):
  bumpwise completions bash          Print the shell completion script (bash, zsh, fish,
                                     powershell, elvish); the README says where to put it
  bumpwise man > bumpwise.1          Print the man page (roff)

Exit codes: 0 success, 1 the version is under-bumped (check), 2 error.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to use colour: auto (on a terminal), always, never
    // An explicit place (last): by default a global option's place in a subcommand's help
    // depends on how many subcommands there are, and moves whenever one is added.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, display_order = 900)]
    pub color: ColorChoice,

    /// Neither read nor write the cache of parsed files
    ///
    /// bumpwise keeps what it reads from each Python file in the repository's
    /// `.git/bumpwise/cache`, by file content, so that another run on the same files does not
    /// parse them again (`release` only reads it). It is safe to delete at any time.
    #[arg(
        long,
        global = true,
        env = "BUMPWISE_NO_CACHE",
        value_parser = clap::builder::FalseyValueParser::new(),
        display_order = 901
    )]
    pub no_cache: bool,
}

/// When to colour text output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the API changes since the last release and the version they require
    ///
    /// Reads the package at `--from` (default: the newest release tag reachable from `--to`) and
    /// at `--to` (default: HEAD) from git objects, and classifies every change of the public API.
    /// Always exits 0 when it could compare; see `check` for the gate.
    #[command(after_long_help = "\
Examples:
  bumpwise diff                          Last release tag -> HEAD, as text
  bumpwise diff --to WORKTREE            Include uncommitted work
  bumpwise diff --from v1.2.0 --format json > api-changes.json")]
    Diff(DiffArgs),

    /// Fail when the declared version is lower than the API changes require (CI gate)
    ///
    /// Compares the version declared at `--to` with the last release's version and with the bump
    /// the API changes require. Exits 0 when the version covers it, 1 when it is under-bumped or
    /// went backwards, 2 on errors.
    #[command(after_long_help = "\
Examples:
  bumpwise check                         Gate the current branch locally
  bumpwise check --format github         In GitHub Actions: annotations + step summary
  bumpwise check --format markdown > comment.md
  bumpwise check --all --imports         Both gates on every member")]
    Check(CheckArgs),

    /// Print the public API surface of the package, one object a line
    ///
    /// The output is sorted and stable: commit it and review its diff like any other file.
    #[command(after_long_help = "\
Examples:
  bumpwise api                           The surface at HEAD
  bumpwise api v1.2.0 > api.txt          The surface of a release
  bumpwise api WORKTREE --format json")]
    Api(ApiArgs),

    /// Bump the version, write the changelog, commit and tag
    ///
    /// Computes the next version from the API changes since the last release tag, rewrites every
    /// version source (pyproject.toml, `__version__`), adds a CHANGELOG.md entry, commits and
    /// creates an annotated tag. It never pushes. Every check runs before anything is written; if
    /// a step fails, the repository is left exactly as it was.
    #[command(after_long_help = "\
Examples:
  bumpwise release --dry-run             Show the version, the file diffs and the changelog entry
  bumpwise release --yes                 Release without asking
  bumpwise release --pre rc              Cut a release candidate (2.0.0rc1)
  bumpwise release --all --update-dependents
                                         Release every member that changed, widening the
                                         specifiers of the members that depend on them")]
    Release(ReleaseArgs),

    /// Show the members of a repository of several projects and how they depend on each other
    ///
    /// Reads every member's pyproject.toml at HEAD: `[project].dependencies` and optional
    /// dependencies that name another member, `file:` path dependencies and
    /// `[tool.uv.sources]` workspace entries.
    #[command(after_long_help = "\
Examples:
  bumpwise graph                         Members, then each one's dependencies
  bumpwise graph --format dot | dot -Tsvg > members.svg")]
    Graph(GraphArgs),

    /// Fail when code crosses the repository's import boundaries
    ///
    /// Reads every import of the package's code at HEAD (function bodies too, never running it)
    /// and reports each rule violation on its file and line, with the fix: a member importing
    /// another it does not declare, a service importing another service, imports from
    /// `scripts/`, a package importing a service, `sys.path` edits, imports that work only from
    /// one working directory, modules no dependency provides, and modules copied from another
    /// member. Rules are set to `error`, `warn` or `off` in `[tool.bumpwise.imports]`; a line is
    /// allowed with `# bumpwise: allow <rule-id>`. Exits 0 when nothing at `error` was found, 1
    /// when something was, 2 on errors.
    #[command(after_long_help = "\
Examples:
  bumpwise imports                         Gate the current project
  bumpwise imports --all --format github   Every member, as GitHub annotations
  bumpwise imports --format json > imports.json
  bumpwise imports --to WORKTREE           Uncommitted files too (pre-commit)")]
    Imports(ImportsArgs),

    /// Run bumpwise on a throwaway example repository
    ///
    /// Builds a small package in a temporary directory, tags a release, commits a breaking change
    /// and an addition, then runs `diff` and `release --dry-run` on it.
    Demo,

    /// Write a commented `[tool.bumpwise]` table into pyproject.toml
    ///
    /// Looks at the repository and writes what it finds: the package and the setting that names
    /// it, the tag format of the existing release tags (the newest one's, when they disagree),
    /// the changelog, and at the root of a repository of several projects the `members` globs.
    /// Keys that differ from the defaults are set; the other useful keys are written as comments
    /// that show the default. Prints one line per decision with its evidence. Everything else in
    /// pyproject.toml is kept byte for byte; an existing `[tool.bumpwise]` table is never
    /// overwritten (exit 2).
    #[command(after_long_help = "\
Examples:
  bumpwise init --dry-run                Show the decisions and the diff, write nothing
  bumpwise init                          Write the table into ./pyproject.toml
  bumpwise init --package invoice-rules  One member of a repository of several projects")]
    Init(InitArgs),

    /// Print a shell completion script (setup, see the README)
    ///
    /// Generated from the same definitions as `--help`, so completions never drift from the
    /// commands. Write it where your shell looks for completions.
    #[command(after_long_help = "\
Examples:
  bumpwise completions bash > ~/.local/share/bash-completion/completions/bumpwise
  bumpwise completions zsh > ~/.zfunc/_bumpwise
  bumpwise completions fish > ~/.config/fish/completions/bumpwise.fish")]
    Completions(CompletionsArgs),

    /// Print the man page, in roff (setup, see the README)
    ///
    /// Generated from the same definitions as `--help`.
    #[command(after_long_help = "\
Examples:
  bumpwise man > ~/.local/share/man/man1/bumpwise.1
  bumpwise man | man -l -")]
    Man,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Print the decisions and the diff of pyproject.toml, write nothing
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: ShellArg,
}

/// Shells `completions` writes a script for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// Where the project is.
#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// The project: a member's name, or the directory holding its pyproject.toml [default: the
    /// member or project holding the current directory]
    #[arg(long, value_name = "NAME|DIR")]
    pub package: Option<PathBuf>,

    /// The git repository [default: the one containing --package]
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Base revision [default: the newest release tag reachable from --to]
    #[arg(long, value_name = "REF")]
    pub from: Option<String>,

    /// Revision to compare; `WORKTREE` reads uncommitted files [default: HEAD]
    #[arg(long, value_name = "REF")]
    pub to: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,

    /// Cut the Markdown report to at most N bytes
    ///
    /// GitHub rejects pull-request comments over 65,536 characters. A report that does not fit
    /// keeps the verdict, a table of counts by bump and kind, and the first changes of each
    /// bump, and says how many changes it left out.
    #[arg(long, value_name = "N", default_value_t = crate::report::markdown::COMMENT_MAX_BYTES)]
    pub max_bytes: usize,

    /// Every member of a repository of several projects, with a summary table first
    #[arg(long, conflicts_with = "package")]
    pub all: bool,

    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub diff: DiffArgs,

    /// Run the imports gate too (see `bumpwise imports`), on the same revision: one report,
    /// exit 1 when either gate fails
    #[arg(long)]
    pub imports: bool,
}

#[derive(Debug, Args)]
pub struct ApiArgs {
    /// Revision to read; `WORKTREE` reads uncommitted files
    #[arg(value_name = "REF", default_value = "HEAD")]
    pub rev: String,

    /// Output format
    #[arg(long, value_enum, default_value_t = ApiFormatArg::Text)]
    pub format: ApiFormatArg,

    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// Show what would be written, change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Raise the bump above what the API changes require (never lower)
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub bump: Option<BumpArg>,

    /// Make the next version a pre-release (`rc`, `a`, `b`): 2.0.0rc1, then 2.0.0rc2
    #[arg(long, value_name = "KIND")]
    pub pre: Option<String>,

    /// Tag the declared version as the first release (no release tag exists yet)
    #[arg(long)]
    pub first: bool,

    /// Do not ask for confirmation on a terminal
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Release even with uncommitted changes in the working tree
    #[arg(long)]
    pub allow_dirty: bool,

    /// Write the files but do not commit (nor tag)
    #[arg(long)]
    pub no_commit: bool,

    /// Commit but do not tag
    #[arg(long)]
    pub no_tag: bool,

    /// Release every member of the repository that needs it, in dependency order: one commit,
    /// one tag per member
    #[arg(long, conflicts_with_all = ["package", "bump", "first"])]
    pub all: bool,

    /// Widen the dependents' version specifiers that exclude the new version, and release the
    /// dependents whose pyproject.toml changed (at least a patch)
    #[arg(long)]
    pub update_dependents: bool,

    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Args)]
pub struct ImportsArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ImportsFormatArg::Text)]
    pub format: ImportsFormatArg,

    /// Revision to read; `WORKTREE` reads uncommitted files (a pre-commit hook) [default: HEAD]
    #[arg(long, value_name = "REF")]
    pub to: Option<String>,

    /// Every member of a repository of several projects
    #[arg(long, conflicts_with = "package")]
    pub all: bool,

    #[command(flatten)]
    pub project: ProjectArgs,
}

/// `imports` output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportsFormatArg {
    /// One line a finding, with its fix, then a summary
    Text,
    /// The findings as JSON (schema_version 1)
    Json,
    /// GitHub Actions annotations
    Github,
}

/// Report formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Human-readable, grouped by bump
    Text,
    /// The stable JSON contract (schema_version 1)
    Json,
    /// A pull-request comment
    Markdown,
    /// GitHub Actions annotations
    Github,
}

/// `graph` output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormatArg {
    /// Members, then each one's dependencies with their specifiers
    Text,
    /// Graphviz DOT
    Dot,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = GraphFormatArg::Text)]
    pub format: GraphFormatArg,

    /// The git repository [default: the one containing the current directory]
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,
}

/// `api` output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ApiFormatArg {
    /// One object a line, sorted
    Text,
    /// The surface as JSON
    Json,
}

/// Bump levels a user may ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BumpArg {
    Major,
    Minor,
    Patch,
}
