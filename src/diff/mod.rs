//! Comparing two surfaces: every change between them, classified by the catalog.
//!
//! Depends only on [`crate::api`] types and [`crate::version::Bump`]. The result is sorted and
//! reports each root cause once, at the highest level: a removed class hides its removed methods.

pub mod catalog;
pub mod change;

use std::collections::BTreeMap;

pub use catalog::ChangeKind;
pub use change::Change;

use crate::api::Surface;
use crate::version::Bump;

/// Bump overrides from `[tool.bumpwise] rules`.
pub type Rules = BTreeMap<ChangeKind, Bump>;

/// Every public API change from `old` to `new`, sorted by bump (worst first), then path.
pub fn diff(old: &Surface, new: &Surface, rules: &Rules) -> Vec<Change> {
    let _ = (old, new, rules);
    Vec::new()
}

/// The bump a release needs: the highest change's, `patch` when files changed but no public API
/// did, `none` when nothing changed.
pub fn required_bump(changes: &[Change], files_changed: bool) -> Bump {
    let highest = changes.iter().map(|c| c.bump).max().unwrap_or(Bump::None);
    if files_changed {
        highest.max(Bump::Patch)
    } else {
        highest
    }
}
