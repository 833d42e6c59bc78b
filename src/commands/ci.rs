//! GitHub Actions' files: the step summary and the step outputs, written when the runner
//! names them in the environment.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::report::{self, Report};

/// Appends the Markdown report to `$GITHUB_STEP_SUMMARY` when GitHub Actions sets it.
pub(crate) fn write_step_summary(report: &Report) -> Result<(), Error> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut text = Vec::new();
    report::markdown::render(report, report::markdown::STEP_SUMMARY_MAX_BYTES, &mut text)
        .map_err(Error::Output)?;
    append(Path::new(&path), &text)
}

/// Writes `key=value` lines to `$GITHUB_OUTPUT` when GitHub Actions sets it.
pub(crate) fn write_github_output(pairs: &[(&str, String)]) -> Result<(), Error> {
    let Some(path) = std::env::var_os("GITHUB_OUTPUT").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut text = String::new();
    for (k, v) in pairs {
        text.push_str(&format!("{k}={v}\n"));
    }
    append(Path::new(&path), text.as_bytes())
}

fn append(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::WriteFile {
            path: PathBuf::from(path),
            source: e,
        })?;
    f.write_all(bytes).map_err(|e| Error::WriteFile {
        path: PathBuf::from(path),
        source: e,
    })
}
