//! `[tool.bumpwise]`: the validated configuration, with defaults filled in.
//!
//! Unknown keys and wrong types are errors that name the key: a typo must never silently fall
//! back to a default.

use std::collections::BTreeMap;

use toml_edit::{Item, Value};

use super::Error;
use crate::diff::{ChangeKind, Rules};
use crate::version::Bump;

/// Modules that are not API unless the project says otherwise (API-RULES.md section 1).
pub const DEFAULT_EXCLUDE: &[&str] = &[
    "*.tests",
    "*.tests.*",
    "*.test",
    "*.test.*",
    "*.conftest",
    "*.__main__",
];

/// The `changelog` setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Changelog {
    /// Unset: the project's existing changelog (`CHANGELOG`, `CHANGES`, `HISTORY` or `NEWS`,
    /// with `.md`, `.rst` or no extension), else a new `CHANGELOG.md`.
    Find,
    /// A path relative to the project.
    At(String),
    /// `changelog = false`.
    Off,
}

/// `[tool.bumpwise]`, with defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `package`: path of the package (directory or `.py` file), relative to the project.
    pub package: Option<String>,
    /// `tag-format`: the release tag, with `{version}` standing for the version and `{name}`
    /// for the project name.
    pub tag_format: String,
    /// `tag-format` was set here, not defaulted: a workspace's default does not replace it.
    pub tag_format_set: bool,
    /// `changelog`: where the release writes its entry.
    pub changelog: Changelog,
    /// `major-on-zero`: a breaking change below 1.0.0 goes to 1.0.0 instead of the next minor.
    pub major_on_zero: bool,
    /// `require-deprecation`: `check` fails when a removed name, member or parameter was not
    /// deprecated at the base release. Setting `deprecation-period` alone turns it on; an explicit
    /// `require-deprecation = false` keeps it off whatever the period.
    pub require_deprecation: bool,
    /// `deprecation-period`: under `require-deprecation`, how many releases (the base and the
    /// release tags before it) a removal must have been deprecated in. Default 1: at the base.
    pub deprecation_period: u32,
    /// `version-files`: more files holding `__version__ = "..."`, relative to the project.
    pub version_files: Vec<String>,
    /// `exclude`: dotted-module globs that are not API, added to [`DEFAULT_EXCLUDE`].
    pub exclude: Vec<String>,
    /// `release-commit-message`: with `{version}` standing for the new version.
    pub release_commit_message: String,
    /// `rules`: bump overrides by change kind id.
    pub rules: Rules,
    /// `api`: the project is a library whose API is a promise. `false` for a service or an
    /// application nobody imports: its release is patch when its files changed.
    pub api: bool,
    /// `members`: in the repository's root pyproject.toml, the globs of the member folders.
    pub members: Option<Vec<String>>,
    /// `members-exclude`: globs of folders that `members` matches but are not members.
    pub members_exclude: Vec<String>,
    /// `[tool.bumpwise.imports]`: the imports gate's rule levels and layout settings.
    pub imports: crate::imports::Settings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            package: None,
            tag_format: "v{version}".to_owned(),
            tag_format_set: false,
            changelog: Changelog::Find,
            major_on_zero: false,
            require_deprecation: false,
            deprecation_period: 1,
            version_files: Vec::new(),
            exclude: Vec::new(),
            release_commit_message: "release: {version}".to_owned(),
            rules: BTreeMap::new(),
            api: true,
            members: None,
            members_exclude: Vec::new(),
            imports: crate::imports::Settings::default(),
        }
    }
}

const KEYS: &[&str] = &[
    "package",
    "tag-format",
    "changelog",
    "major-on-zero",
    "require-deprecation",
    "deprecation-period",
    "version-files",
    "exclude",
    "release-commit-message",
    "rules",
    "api",
    "members",
    "members-exclude",
    "imports",
];

/// Reads `[tool.bumpwise.imports]`: `rule-id = "error" | "warn" | "off"`, and the settings
/// `scripts`, `services` (folder globs), `module-names` (distribution to modules) and
/// `allow-modules`.
fn imports_settings(file: &str, value: &Item) -> Result<crate::imports::Settings, Error> {
    use crate::imports::{Level, Rule, Settings};
    let wrong = |key: &str, expected: &'static str| Error::WrongType {
        file: file.to_owned(),
        key: format!("imports.{key}"),
        expected,
    };
    let table = value.as_table_like().ok_or_else(|| Error::WrongType {
        file: file.to_owned(),
        key: "imports".to_owned(),
        expected: "a table of `rule-id = \"error\" | \"warn\" | \"off\"`",
    })?;
    let mut settings = Settings::default();
    for (key, item) in table.iter() {
        match key {
            "scripts" => {
                settings.scripts =
                    Some(strings(item).ok_or_else(|| wrong(key, "a list of folders"))?)
            }
            "services" => {
                settings.services =
                    Some(strings(item).ok_or_else(|| wrong(key, "a list of folder globs"))?)
            }
            "allow-modules" => {
                settings.allow_modules =
                    strings(item).ok_or_else(|| wrong(key, "a list of module names"))?
            }
            "module-names" => {
                let names = item
                    .as_table_like()
                    .ok_or_else(|| wrong(key, "a table of `distribution = [\"module\", ...]`"))?;
                for (dist, modules) in names.iter() {
                    let modules = string(modules)
                        .map(|m| vec![m])
                        .or_else(|| strings(modules))
                        .ok_or_else(|| {
                            wrong(&format!("{key}.{dist}"), "a module name or a list of them")
                        })?;
                    settings
                        .module_names
                        .insert(super::requirement::normalize(dist), modules);
                }
            }
            id => {
                let rule = Rule::from_id(id).ok_or_else(|| Error::UnknownImportRule {
                    file: file.to_owned(),
                    rule: id.to_owned(),
                })?;
                let text = string(item).unwrap_or_else(|| item.to_string().trim().to_owned());
                let level = Level::parse(&text).ok_or_else(|| Error::BadImportLevel {
                    file: file.to_owned(),
                    rule: id.to_owned(),
                    value: text.clone(),
                })?;
                settings.levels.insert(rule, level);
            }
        }
    }
    Ok(settings)
}

/// Reads `[tool.bumpwise]`; `file` names pyproject.toml in messages.
pub(super) fn parse_config(file: &str, item: &Item) -> Result<Config, Error> {
    let wrong = |key: &str, expected: &'static str| Error::WrongType {
        file: file.to_owned(),
        key: key.to_owned(),
        expected,
    };
    let table = item
        .as_table_like()
        .ok_or_else(|| wrong("tool.bumpwise", "a table"))?;
    let mut config = Config::default();
    // `require-deprecation` as written, and whether `deprecation-period` was: the period alone
    // asks for the gate, since a period nobody enforces would be a setting silently ignored.
    let mut require_deprecation = None;
    let mut period_set = false;
    for (key, value) in table.iter() {
        match key {
            "package" => {
                config.package = Some(string(value).ok_or_else(|| wrong(key, "a string"))?)
            }
            "tag-format" => {
                let v = string(value).ok_or_else(|| wrong(key, "a string"))?;
                if !v.contains("{version}") {
                    return Err(Error::TagFormat {
                        file: file.to_owned(),
                        value: v,
                    });
                }
                config.tag_format = v;
                config.tag_format_set = true;
            }
            "changelog" => {
                config.changelog = match value.as_value() {
                    Some(Value::String(s)) => Changelog::At(s.value().clone()),
                    Some(Value::Boolean(b)) if !*b.value() => Changelog::Off,
                    _ => return Err(wrong(key, "a path or `false`")),
                }
            }
            "major-on-zero" => {
                config.major_on_zero = value
                    .as_bool()
                    .ok_or_else(|| wrong(key, "`true` or `false`"))?
            }
            "require-deprecation" => {
                require_deprecation = Some(
                    value
                        .as_bool()
                        .ok_or_else(|| wrong(key, "`true` or `false`"))?,
                )
            }
            "deprecation-period" => {
                config.deprecation_period = value
                    .as_integer()
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| wrong(key, "a positive integer (a number of releases)"))?;
                period_set = true;
            }
            "version-files" => {
                config.version_files =
                    strings(value).ok_or_else(|| wrong(key, "a list of strings"))?
            }
            "exclude" => {
                config.exclude = strings(value).ok_or_else(|| wrong(key, "a list of strings"))?
            }
            "release-commit-message" => {
                config.release_commit_message =
                    string(value).ok_or_else(|| wrong(key, "a string"))?
            }
            "api" => {
                config.api = value
                    .as_bool()
                    .ok_or_else(|| wrong(key, "`true` or `false`"))?
            }
            "members" => {
                config.members =
                    Some(strings(value).ok_or_else(|| wrong(key, "a list of folder globs"))?)
            }
            "members-exclude" => {
                config.members_exclude =
                    strings(value).ok_or_else(|| wrong(key, "a list of folder globs"))?
            }
            "imports" => config.imports = imports_settings(file, value)?,
            "rules" => {
                let rules = value
                    .as_table_like()
                    .ok_or_else(|| wrong(key, "a table of `kind = \"bump\"`"))?;
                for (kind, bump) in rules.iter() {
                    let k = ChangeKind::from_id(kind).ok_or_else(|| Error::UnknownRule {
                        file: file.to_owned(),
                        kind: kind.to_owned(),
                    })?;
                    let text = string(bump).unwrap_or_else(|| bump.to_string().trim().to_owned());
                    let b = Bump::parse(&text).ok_or_else(|| Error::BadRuleBump {
                        file: file.to_owned(),
                        kind: kind.to_owned(),
                        value: text.clone(),
                    })?;
                    config.rules.insert(k, b);
                }
            }
            _ => {
                return Err(Error::UnknownKey {
                    file: file.to_owned(),
                    key: key.to_owned(),
                });
            }
        }
    }
    config.require_deprecation = require_deprecation.unwrap_or(period_set);
    Ok(config)
}

fn string(item: &Item) -> Option<String> {
    item.as_str().map(str::to_owned)
}

fn strings(item: &Item) -> Option<Vec<String>> {
    item.as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

impl Config {
    /// The tag name for `version`. `{name}` was replaced when the project was read.
    pub fn tag_for(&self, version: &str) -> String {
        self.tag_format.replace("{version}", version)
    }

    /// The exclude globs (defaults plus `exclude`), compiled.
    pub fn exclude_set(&self) -> Result<globset::GlobSet, globset::Error> {
        let mut builder = globset::GlobSetBuilder::new();
        for pattern in DEFAULT_EXCLUDE
            .iter()
            .copied()
            .chain(self.exclude.iter().map(String::as_str))
        {
            builder.add(globset::Glob::new(pattern)?);
        }
        builder.build()
    }
}

/// The list of keys `[tool.bumpwise]` accepts, for the README and error hints.
pub fn known_keys() -> &'static [&'static str] {
    KEYS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_wrong_types_name_the_key() {
        let err = |toml: &str| {
            super::super::Project::parse("pyproject.toml", toml)
                .err()
                .map(|e| e.to_string())
        };
        assert_eq!(
            err("[tool.bumpwise]\ntag-fromat = \"v{version}\"\n").as_deref(),
            Some("unknown key `tag-fromat` in `[tool.bumpwise]` of `pyproject.toml`")
        );
        assert_eq!(
            err("[tool.bumpwise]\nmajor-on-zero = \"yes\"\n").as_deref(),
            Some(
                "`major-on-zero` in `[tool.bumpwise]` of `pyproject.toml` must be `true` or `false`"
            )
        );
        assert!(err("[tool.bumpwise]\nrules = { nope = \"minor\" }\n").is_some());
        assert!(err("[tool.bumpwise]\nrules = { default-changed = \"huge\" }\n").is_some());
        assert!(err("[tool.bumpwise]\ntag-format = \"release\"\n").is_some());
        assert_eq!(
            err("[tool.bumpwise.imports]\nsys-path = \"off\"\n").as_deref(),
            Some(
                "`[tool.bumpwise.imports]` in `pyproject.toml` names `sys-path`, which is neither a rule (undeclared-member, service-imports-service, script-import, package-imports-service, sys-path-edit, cwd-import, unknown-import, copied-code) nor a setting (scripts, services, module-names, allow-modules)"
            )
        );
        assert_eq!(
            err("[tool.bumpwise.imports]\nscripts = \"tools\"\n").as_deref(),
            Some(
                "`imports.scripts` in `[tool.bumpwise]` of `pyproject.toml` must be a list of folders"
            )
        );
        assert!(err("[tool.bumpwise.imports]\nmodule-names = { x = 1 }\n").is_some());
        assert_eq!(
            err("[tool.bumpwise.imports]\ncwd-import = \"warning\"\n").as_deref(),
            Some(
                "`imports.cwd-import` in `pyproject.toml` is `warning`; use `error`, `warn` or `off`"
            )
        );
        let ok = super::super::Project::parse(
            "pyproject.toml",
            "[project]\nname = \"x\"\nversion = \"1.0\"\n[tool.bumpwise]\nchangelog = false\nrules = { default-changed = \"minor\" }\n",
        )
        .unwrap();
        assert_eq!(ok.config.changelog, Changelog::Off);
        assert!(!ok.config.require_deprecation);
        assert_eq!(ok.config.deprecation_period, 1);
        assert_eq!(
            ok.config.rules.get(&ChangeKind::DefaultChanged),
            Some(&Bump::Minor)
        );
    }

    #[test]
    fn deprecation_period_is_a_positive_integer() {
        let err = |value: &str| {
            super::super::Project::parse(
                "pyproject.toml",
                &format!("[tool.bumpwise]\ndeprecation-period = {value}\n"),
            )
            .err()
            .map(|e| e.to_string())
        };
        let expected = "`deprecation-period` in `[tool.bumpwise]` of `pyproject.toml` must be a positive integer (a number of releases)";
        for bad in ["0", "-1", "1.5", "\"2\"", "true", "4294967296"] {
            assert_eq!(err(bad).as_deref(), Some(expected), "{bad}");
        }
        assert_eq!(err("3"), None);
    }

    #[test]
    fn deprecation_period_alone_turns_the_gate_on() {
        let config = |body: &str| {
            super::super::Project::parse("pyproject.toml", &format!("[tool.bumpwise]\n{body}"))
                .unwrap()
                .config
        };
        let c = config("deprecation-period = 2\n");
        assert!(c.require_deprecation);
        assert_eq!(c.deprecation_period, 2);
        // Whatever the order of the keys, an explicit `false` wins.
        for body in [
            "deprecation-period = 2\nrequire-deprecation = false\n",
            "require-deprecation = false\ndeprecation-period = 2\n",
        ] {
            let c = config(body);
            assert!(!c.require_deprecation, "{body}");
            assert_eq!(c.deprecation_period, 2);
        }
        let c = config("require-deprecation = true\n");
        assert!(c.require_deprecation);
        assert_eq!(c.deprecation_period, 1);
    }
}
