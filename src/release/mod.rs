//! Cutting a release: plan() computes every edit, apply() writes, commits, tags, rolls back.
