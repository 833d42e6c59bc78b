//! The report: the JSON contract (schema_version 1), built from the diff and the versions, and
//! one renderer per format. Renderers write to `&mut dyn Write` and never decide colour.

pub mod github;
pub mod json;
pub mod markdown;
pub mod surface;
pub mod text;

use serde::Serialize;

use crate::api::Warning;
use crate::diff::Change;
use crate::version::Bump;

/// The result of `diff` or `check`. Field order is the JSON field order; fields are only ever
/// added, compatibly.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    /// The import name of the package.
    pub package: String,
    /// The base revision as the user named it (or the tag found).
    pub from: String,
    /// The compared revision as the user named it (`HEAD`, `WORKTREE`).
    pub to: String,
    /// The version of the base release.
    pub current_version: Option<String>,
    pub required_bump: Bump,
    /// The version the next release should have.
    pub next_version: Option<String>,
    pub changes: Vec<Change>,
    /// The gate's verdict, for `check`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<Verdict>,
    /// Problems that did not stop the diff.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

/// What `check` decided.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub passed: bool,
    /// The version declared at `to`.
    pub declared_version: Option<String>,
    /// The bump from `current_version` to `declared_version`.
    pub declared_bump: Option<Bump>,
    /// One line: what is needed, and what to set.
    pub message: String,
}

/// The output formats of `diff` and `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
    Github,
}
