//! One detected change.

use serde::Serialize;

use super::catalog::ChangeKind;
use crate::api::Location;
use crate::version::Bump;

/// A change in the public API, reported once at its shortest public path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The bump this change demands (the catalog's, or the `rules` override).
    pub bump: Bump,
    /// Dotted public path of the changed object (`mypkg.client.connect`); for a move, the old one.
    pub path: String,
    /// One line a user understands, with names in backticks.
    pub message: String,
    /// The new file for additions and changes, the old file for removals.
    pub file: String,
    pub line: u32,
    /// Other public paths of the same object.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<String>,
    /// For a move, the new path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
    /// The old signature as one line of Python, where a signature changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The new signature as one line of Python, where a signature changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// For a removal that was deprecated: the oldest release it was deprecated in, without a
    /// break since (`1.2.0`). Known only when `require-deprecation` is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated_since: Option<String>,
}

impl Change {
    /// A change of `kind` at `path`, located at `location`, with the catalog's bump.
    pub fn new(kind: ChangeKind, path: &str, message: String, location: &Location) -> Change {
        Change {
            kind,
            bump: kind.bump(),
            path: path.to_owned(),
            message,
            file: location.file.clone(),
            line: location.line,
            also_at: Vec::new(),
            moved_to: None,
            before: None,
            after: None,
            deprecated_since: None,
        }
    }

    /// The message with, for a removal that was deprecated, since when: "`mypkg.old` was
    /// removed (deprecated since 1.2.0)". What every report and the changelog show.
    pub fn message_with_since(&self) -> String {
        match &self.deprecated_since {
            Some(v) => format!("{} (deprecated since {v})", self.message),
            None => self.message.clone(),
        }
    }

    /// The same change with the old and new shapes as one line of Python each.
    pub fn with_shapes(mut self, before: &str, after: &str) -> Change {
        self.before = Some(before.to_owned());
        self.after = Some(after.to_owned());
        self
    }
}
