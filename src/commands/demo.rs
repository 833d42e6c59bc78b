//! `bumpwise demo`: a throwaway repository that shows what bumpwise does in one command.

use std::io::Write;

use crate::git::Repo;
use crate::options::{DiffOptions, ProjectDir, ReleaseOptions, Rev};
use crate::release::Request;
use crate::report::Format;
use crate::{Error, ExitStatus};

const PYPROJECT: &str = r#"[project]
name = "acme"
version = "1.4.0"  # bumpwise rewrites only this string
description = "A tiny client, made up for the bumpwise demo"
dependencies = ["httpx==1.4.0"]  # never touched, though it holds the same version
"#;

const INIT: &str = r#""""acme: a made-up client library."""
from .client import Client, connect

__all__ = ["Client", "connect"]
__version__ = "1.4.0"
"#;

const CLIENT_BEFORE: &str = r#"class Client:
    def __init__(self, host: str, port: int = 80):
        self.host = host
        self.port = port

    def get(self, path: str) -> bytes:
        return b""


def connect(host: str, port: int = 80, timeout: float = 10.0) -> Client:
    return Client(host, port)
"#;

const CLIENT_AFTER: &str = r#"class Client:
    def __init__(self, host: str, port: int = 80):
        self.host = host
        self.port = port

    def get(self, path: str) -> bytes:
        return b""

    def post(self, path: str, body: bytes = b"") -> bytes:
        return b""


def connect(host: str, port: int = 80, *, timeout: float = 30.0) -> Client:
    return Client(host, port)
"#;

pub(super) fn run(
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let dir = tempfile::Builder::new()
        .prefix("bumpwise-demo-")
        .tempdir()
        .map_err(|e| Error::Demo(e.to_string()))?;
    let root = dir.path();
    let write = |path: &str, text: &str| -> Result<(), Error> {
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::Demo(e.to_string()))?;
        }
        std::fs::write(&full, text).map_err(|e| Error::Demo(e.to_string()))
    };
    let repo = Repo::init_scratch(root)?;
    write("pyproject.toml", PYPROJECT)?;
    write("src/acme/__init__.py", INIT)?;
    write("src/acme/client.py", CLIENT_BEFORE)?;
    write(
        "CHANGELOG.md",
        "# Changelog\n\n## [Unreleased]\n\n## [1.4.0] - 2026-01-15\n\n- First public release.\n",
    )?;
    let files: Vec<String> = [
        "pyproject.toml",
        "src/acme/__init__.py",
        "src/acme/client.py",
        "CHANGELOG.md",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let base = repo.commit_paths(&files, "Release 1.4.0")?;
    repo.create_tag("v1.4.0", base, "acme 1.4.0")?;
    write("src/acme/client.py", CLIENT_AFTER)?;
    repo.commit_paths(
        &files,
        "Make connect's timeout keyword-only; add Client.post",
    )?;

    let say = |out: &mut dyn Write, s: &str| writeln!(out, "{s}").map_err(Error::Output);
    say(
        out,
        &format!("A throwaway repository in {}:", root.display()),
    )?;
    say(
        out,
        "  v1.4.0   acme with `connect(host, port=80, timeout=10.0)` and `Client.get`",
    )?;
    say(
        out,
        "  HEAD     `timeout` made keyword-only (default 30.0), `Client.post` added\n",
    )?;
    say(out, "$ bumpwise diff")?;
    let project = ProjectDir {
        dir: root.to_path_buf(),
        search_up: false,
        repo: None,
        select: None,
    };
    super::diff(
        &DiffOptions {
            project: project.clone(),
            from: None,
            to: Rev::Ref("HEAD".to_owned()),
            format: Format::Text,
            color,
            max_bytes: crate::report::markdown::COMMENT_MAX_BYTES,
            all: false,
            imports: false,
            // The repository is thrown away: a cache would only cost writing it.
            cache: false,
        },
        out,
        err,
    )?;
    say(out, "\n$ bumpwise release --dry-run")?;
    super::release::run(
        &ReleaseOptions {
            project,
            dry_run: true,
            request: Request {
                commit: true,
                tag: true,
                ..Request::default()
            },
            first: false,
            yes: true,
            allow_dirty: false,
            color,
            interactive: false,
            all: false,
            cache: false,
            update_dependents: false,
        },
        out,
        err,
    )?;
    say(
        out,
        "\nTry it on your project: `bumpwise diff` in a git repository with a release tag (v1.2.3).",
    )?;
    Ok(ExitStatus::Success)
}
