//! One function per subcommand: the only code that wires the modules together.

use std::io::Write;

use crate::options::Options;
use crate::{Error, ExitStatus};

/// Runs a validated command.
pub fn run(
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let _ = (options, out, err);
    Ok(ExitStatus::Success)
}
