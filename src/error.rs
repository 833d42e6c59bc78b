//! The crate's error: every module's error, plus a hint that says what to do.

use crate::{api, config, git};

/// Anything that stops a command. Every error exits 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Api(#[from] api::Error),
    #[error(transparent)]
    Config(#[from] config::Error),
    #[error(transparent)]
    Git(#[from] git::Error),
    #[error("no `pyproject.toml` in `{0}`")]
    NoPyproject(String),
    #[error("could not write the output: {0}")]
    Output(std::io::Error),
}

impl Error {
    /// What the user can do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NoPyproject(_) => Some(
                "run bumpwise in the directory holding pyproject.toml, or pass `--package <DIR>`"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}
