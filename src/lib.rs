//! bumpwise: which semantic version a Python package's next release needs, and the release.
//!
//! The pipeline follows the data: [`git`] reads the package's files at two revisions, `project`
//! reads each revision's pyproject.toml, [`api`] extracts each public surface, [`diff`] classifies the changes, [`version`] turns them into the
//! next version, [`report`] renders them, and [`release`] writes the version, the changelog, the
//! commit and the tag. [`commands`] is the only code that wires these together.

pub(crate) mod api;
pub(crate) mod changelog;
pub mod cli;
pub(crate) mod commands;
pub(crate) mod diff;
pub mod error;
// The entry points of the fuzz targets in fuzz/ (issue 13); not an API.
#[doc(hidden)]
pub mod fuzz;
pub(crate) mod git;
pub(crate) mod imports;
pub(crate) mod options;
pub(crate) mod project;
pub(crate) mod release;
pub(crate) mod report;
pub(crate) mod version;

pub use api::parse::allocate_with_mimalloc;
pub use error::Error;

/// How a command ended, as the process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: done, or the gate passed.
    Success,
    /// 1: the declared version is lower than the changes require.
    UnderBumped,
    /// 1: the imports gate found violations set to `error`.
    Findings,
    /// 2: an error (printed by `main`).
    Error,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::UnderBumped | ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// Runs one command line. Output goes to `out`, progress and warnings to `err`.
pub fn run(
    cli: cli::Cli,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> Result<ExitStatus, Error> {
    let options = options::Options::from_cli(cli)?;
    commands::run(options, out, err)
}
