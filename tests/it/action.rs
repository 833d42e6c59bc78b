//! The GitHub Action (`action.yml`): its bash scripts (`action/*.sh`) run as the runner would run
//! them, with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_EVENT_PATH in a temp dir, the real
//! bumpwise binary in place of an install, and a stub `gh` on PATH that records its calls and
//! answers comment listings from canned JSON (through `jq`, as gh's `--jq` would). Also: the
//! README's example workflows are the files that actionlint checks, byte for byte.
//!
//! Needs bash and jq (GitHub's runners and this project's machines have both), no network, no
//! GitHub, no Python.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

use crate::support::{TestRepo, assert_exit, bumpwise_in, project};

const BIN: &str = env!("CARGO_BIN_EXE_bumpwise");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A stand-in for gh: each call's arguments go to `call-N.args` (one a line) and the file of a
/// `body=@FILE` field to `call-N.body`; a GET answers with `$GH_STUB_COMMENTS`, through the
/// `--jq` filter when one is given.
const GH_STUB: &str = r#"#!/usr/bin/env bash
set -euo pipefail
dir="$GH_STUB_DIR"
n=$(( $(cat "$dir/count" 2>/dev/null || echo 0) + 1 ))
echo "$n" >"$dir/count"
: >"$dir/call-$n.args"
filter=""
method=GET
prev=""
for a in "$@"; do
  printf '%s\n' "$a" >>"$dir/call-$n.args"
  case "$a" in body=@*) cp "${a#body=@}" "$dir/call-$n.body" ;; esac
  if [[ "$prev" == --jq ]]; then filter="$a"; fi
  if [[ "$prev" == --method ]]; then method="$a"; fi
  prev="$a"
done
if [[ "$method" == GET ]]; then
  if [[ -n "$filter" ]]; then jq -r "$filter" "$GH_STUB_COMMENTS"; else cat "$GH_STUB_COMMENTS"; fi
else
  echo '{"id": 1}'
fi
"#;

/// One recorded gh call.
#[derive(Debug)]
struct Call {
    args: Vec<String>,
    body: Option<String>,
}

/// The runner's side of a step: its files, the stub gh, and the environment.
struct Runner {
    dir: TempDir,
}

impl Runner {
    fn new() -> Runner {
        let have_jq = Command::new("jq").arg("--version").output().is_ok();
        assert!(
            have_jq,
            "the action's tests need jq on PATH (apt-get install jq); GitHub's runners have it"
        );
        let dir = tempfile::Builder::new()
            .prefix("bumpwise-action-")
            .tempdir()
            .expect("temp dir");
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&bin).expect("mkdir");
        std::fs::write(bin.join("gh"), GH_STUB).expect("stub gh");
        make_executable(&bin.join("gh"));
        for f in ["output", "summary"] {
            std::fs::write(dir.path().join(f), "").expect("touch");
        }
        std::fs::write(dir.path().join("comments.json"), "[]").expect("comments");
        let runner = Runner { dir };
        runner.event(r#"{"action": "synchronize", "pull_request": {"number": 7}}"#);
        runner
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn event(&self, json: &str) {
        std::fs::write(self.path("event.json"), json).expect("event");
    }

    fn comments(&self, json: &str) {
        std::fs::write(self.path("comments.json"), json).expect("comments");
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_default()
    }

    /// `bash action/<script>` in `cwd`, with only the environment a runner would give it.
    fn run(&self, script: &str, cwd: &Path, env: &[(&str, &str)]) -> Output {
        let path = format!(
            "{}:{}",
            self.path("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("bash");
        cmd.arg(root().join("action").join(script))
            .current_dir(cwd)
            .env_clear()
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .env("SOURCE_DATE_EPOCH", "1764115200")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_REPOSITORY", "acme/widgets")
            .env("GITHUB_EVENT_NAME", "pull_request")
            .env("GITHUB_EVENT_PATH", self.path("event.json"))
            .env("GITHUB_OUTPUT", self.path("output"))
            .env("GITHUB_STEP_SUMMARY", self.path("summary"))
            .env("RUNNER_TEMP", self.dir.path())
            .env("GH_TOKEN", "test-token")
            .env("GH_STUB_DIR", self.dir.path())
            .env("GH_STUB_COMMENTS", self.path("comments.json"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run bash")
    }

    fn calls(&self) -> Vec<Call> {
        let count: usize = self.read("count").trim().parse().unwrap_or(0);
        (1..=count)
            .map(|n| Call {
                args: self
                    .read(&format!("call-{n}.args"))
                    .lines()
                    .map(str::to_owned)
                    .collect(),
                body: std::fs::read_to_string(self.path(&format!("call-{n}.body"))).ok(),
            })
            .collect()
    }

    /// GITHUB_OUTPUT's `key=value` lines.
    fn outputs(&self) -> Vec<(String, String)> {
        self.read("output")
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[cfg(not(unix))]
fn make_executable(_: &Path) {}

/// A release `v1.0.0`, then a commit that removes `close`: major, and 1.0.0 is still declared.
fn under_bumped() -> TestRepo {
    let repo = TestRepo::new();
    project(
        &repo,
        "1.0.0",
        "def connect(host):\n    pass\n\n\ndef close():\n    pass\n",
    );
    repo.commit("first release");
    repo.tag("v1.0.0");
    project(&repo, "1.0.0", "def connect(host):\n    pass\n");
    repo.commit("drop close");
    repo
}

/// What `bumpwise check --format markdown` prints on `repo`: the comment's text.
fn markdown_report(repo: &TestRepo) -> String {
    let out = bumpwise_in(repo.path())
        .args(["check", "--format", "markdown"])
        .output()
        .expect("bumpwise");
    assert_exit(&out, 1);
    String::from_utf8(out.stdout).expect("utf-8")
}

fn comment(runner: &Runner, repo: &TestRepo, env: &[(&str, &str)]) -> Output {
    let mut all = vec![("BUMPWISE_BIN", BIN)];
    all.extend_from_slice(env);
    runner.run("comment.sh", repo.path(), &all)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn comment_posts_a_new_comment_with_the_marker_and_the_report() {
    let repo = under_bumped();
    let runner = Runner::new();
    runner.comments(r#"[{"id": 11, "user": {"login": "alice"}, "body": "LGTM"}]"#);
    let out = comment(&runner, &repo, &[]);
    assert_exit(&out, 0);

    let calls = runner.calls();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    let list = &calls[0].args;
    assert_eq!(
        list[..3],
        ["api", "--paginate", "repos/acme/widgets/issues/7/comments"]
    );
    assert!(list.contains(&"--jq".to_owned()), "{list:?}");
    assert_eq!(
        calls[1].args,
        [
            "api",
            "--method",
            "POST",
            "repos/acme/widgets/issues/7/comments",
            "-F",
            calls[1].args[5].as_str(),
        ]
    );
    assert!(
        calls[1].args[5].starts_with("body=@"),
        "{:?}",
        calls[1].args
    );
    let body = calls[1].body.as_deref().expect("a body file");
    assert_eq!(
        body,
        format!("<!-- bumpwise-report -->\n{}", markdown_report(&repo))
    );
    // The gate's verdict is in the comment, not only the changes.
    assert!(body.contains("check failed"), "{body}");
    assert!(stdout(&out).contains("posted the report comment on #7"));
    // The comment step leaves the step summary and outputs to the gate step.
    assert_eq!(runner.read("summary"), "");
    assert_eq!(runner.read("output"), "");
}

#[test]
fn comment_updates_the_comment_with_the_marker_and_posts_no_second_one() {
    let repo = under_bumped();
    let runner = Runner::new();
    runner.comments(
        r#"[
        {"id": 11, "user": {"login": "alice"}, "body": "LGTM"},
        {"id": 42, "user": {"login": "github-actions[bot]"}, "body": "<!-- bumpwise-report -->\nold report"},
        {"id": 43, "user": {"login": "github-actions[bot]"}, "body": "<!-- bumpwise-report -->\nan accidental second one"}
    ]"#,
    );
    let out = comment(&runner, &repo, &[]);
    assert_exit(&out, 0);

    let calls = runner.calls();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(
        calls[1].args[..4],
        [
            "api",
            "--method",
            "PATCH",
            "repos/acme/widgets/issues/comments/42"
        ]
    );
    assert!(calls.iter().all(|c| !c.args.contains(&"POST".to_owned())));
    assert_eq!(
        calls[1].body.as_deref(),
        Some(format!("<!-- bumpwise-report -->\n{}", markdown_report(&repo)).as_str())
    );
    assert!(stdout(&out).contains("updated the report comment 42 on #7"));
}

#[test]
fn comment_leaves_other_comments_alone() {
    let repo = under_bumped();
    let runner = Runner::new();
    // Someone else's comment, one quoting the marker mid-text, and a body of null.
    runner.comments(
        r#"[
        {"id": 11, "user": {"login": "alice"}, "body": "what does bumpwise say?"},
        {"id": 12, "user": {"login": "bob"}, "body": "> <!-- bumpwise-report -->\nquoted"},
        {"id": 13, "user": {"login": "carol"}, "body": null}
    ]"#,
    );
    assert_exit(&comment(&runner, &repo, &[]), 0);
    let calls = runner.calls();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[1].args[2], "POST");
    assert!(
        calls
            .iter()
            .all(|c| !c.args.iter().any(|a| a.contains("comments/1")))
    );
}

#[test]
fn comment_per_package_has_its_own_marker() {
    let repo = under_bumped();
    let runner = Runner::new();
    // The comment of the job without `package` is not this job's.
    runner.comments(r#"[{"id": 42, "body": "<!-- bumpwise-report -->\nold report"}]"#);
    assert_exit(&comment(&runner, &repo, &[("INPUT_PACKAGE", ".")]), 0);
    let calls = runner.calls();
    assert_eq!(calls[1].args[2], "POST", "{calls:#?}");
    let body = calls[1].body.as_deref().expect("body");
    assert!(body.starts_with("<!-- bumpwise-report:. -->\n"), "{body}");

    // Its own comment is updated on the next run.
    let runner = Runner::new();
    runner.comments(
        r#"[{"id": 42, "body": "<!-- bumpwise-report -->\nx"},
            {"id": 51, "body": "<!-- bumpwise-report:. -->\nold"}]"#,
    );
    assert_exit(&comment(&runner, &repo, &[("INPUT_PACKAGE", ".")]), 0);
    let calls = runner.calls();
    assert_eq!(
        calls[1].args[2..4],
        ["PATCH", "repos/acme/widgets/issues/comments/51"]
    );
}

#[test]
fn comment_without_a_pull_request_says_so_and_calls_nothing() {
    let repo = under_bumped();
    let runner = Runner::new();
    runner.event(r#"{"ref": "refs/heads/main", "commits": []}"#);
    let out = comment(&runner, &repo, &[("GITHUB_EVENT_NAME", "push")]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("::notice::bumpwise: no pull request in this event (push)"),
        "{}",
        stdout(&out)
    );
    assert!(runner.calls().is_empty());
}

#[test]
fn comment_on_a_bumpwise_error_fails_and_posts_nothing() {
    let repo = TestRepo::new();
    project(&repo, "1.0.0", "def f(:\n");
    repo.commit("broken");
    let runner = Runner::new();
    let out = comment(&runner, &repo, &[]);
    assert_exit(&out, 2);
    assert!(runner.calls().is_empty(), "{:#?}", runner.calls());
}

#[test]
fn gate_writes_outputs_annotations_and_summary_and_fails_when_under_bumped() {
    let repo = under_bumped();
    let runner = Runner::new();
    let out = runner.run("run.sh", repo.path(), &[("BUMPWISE_BIN", BIN)]);
    assert_exit(&out, 1);
    let text = stdout(&out);
    assert!(text.contains("::error"), "{text}");
    assert!(
        text.contains("::error::bumpwise check: the declared version is lower"),
        "{text}"
    );
    assert_eq!(
        runner.outputs(),
        [
            ("bump", "major"),
            ("version", "1.0.0"),
            ("previous_version", "1.0.0"),
            ("next_version", "2.0.0"),
            ("tag", "v1.0.0"),
            ("released", "false"),
            ("passed", "false"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert!(runner.read("summary").contains("check failed"));
}

#[test]
fn gate_passes_the_inputs_as_arguments() {
    let repo = under_bumped();
    let runner = Runner::new();
    // `from` pointing at HEAD: no changes, so the gate passes; `args` adds words.
    let out = runner.run(
        "run.sh",
        repo.path(),
        &[
            ("BUMPWISE_BIN", BIN),
            ("INPUT_FROM", "HEAD"),
            ("INPUT_PACKAGE", "."),
            ("INPUT_ARGS", "  --to   HEAD "),
        ],
    );
    assert_exit(&out, 0);
    assert!(
        runner
            .outputs()
            .contains(&("passed".to_owned(), "true".to_owned()))
    );

    // A word of `args` is never a glob or an expansion.
    let out = runner.run(
        "run.sh",
        repo.path(),
        &[("BUMPWISE_BIN", BIN), ("INPUT_ARGS", "--to $(echo)*")],
    );
    assert_exit(&out, 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("$(echo)*"), "{err}");
}

#[test]
fn gate_rejects_unknown_inputs() {
    let repo = under_bumped();
    let runner = Runner::new();
    let out = runner.run(
        "run.sh",
        repo.path(),
        &[("BUMPWISE_BIN", BIN), ("INPUT_COMMAND", "publish")],
    );
    assert_exit(&out, 2);
    let out = runner.run(
        "run.sh",
        repo.path(),
        &[("BUMPWISE_BIN", BIN), ("INPUT_ALL", "yes")],
    );
    assert_exit(&out, 2);
    assert_eq!(runner.read("output"), "");
}

#[test]
fn release_writes_the_release_outputs() {
    let repo = under_bumped();
    let runner = Runner::new();
    let out = runner.run(
        "run.sh",
        repo.path(),
        &[("BUMPWISE_BIN", BIN), ("INPUT_COMMAND", "release")],
    );
    assert_exit(&out, 0);
    assert_eq!(
        runner.outputs(),
        [
            ("bump", "major"),
            ("version", "2.0.0"),
            ("previous_version", "1.0.0"),
            ("tag", "v2.0.0"),
            ("released", "true"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert!(repo.repo.find_reference("refs/tags/v2.0.0").is_ok());
    assert!(repo.read("pyproject.toml").contains("version = \"2.0.0\""));
}

#[test]
fn install_uses_bumpwise_bin_when_set() {
    let runner = Runner::new();
    let out = runner.run("install.sh", root(), &[("BUMPWISE_BIN", BIN)]);
    assert_exit(&out, 0);
    assert_eq!(runner.outputs(), [("bin".to_owned(), BIN.to_owned())]);

    let out = runner.run(
        "install.sh",
        root(),
        &[("BUMPWISE_BIN", "/nonexistent/bumpwise")],
    );
    assert_exit(&out, 2);
}

#[test]
fn install_uses_bumpwise_on_path_at_the_actions_version() {
    let runner = Runner::new();
    // The action's version is Cargo.toml's, which this binary reports.
    let on_path = runner.path("bin").join("bumpwise");
    std::fs::copy(BIN, &on_path).expect("copy");
    make_executable(&on_path);
    let out = runner.run("install.sh", root(), &[]);
    assert_exit(&out, 0);
    assert_eq!(
        runner.outputs(),
        [("bin".to_owned(), on_path.display().to_string())]
    );
    assert!(stdout(&out).contains(&format!("bumpwise {}", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn install_rejects_a_version_that_is_no_version() {
    let runner = Runner::new();
    let out = runner.run(
        "install.sh",
        root(),
        &[("BUMPWISE_VERSION", "1.0; rm -rf /")],
    );
    assert_exit(&out, 2);
    assert_eq!(runner.read("output"), "");
}

/// The fenced block after each `<!-- example: PATH -->` line of the README.
fn readme_examples() -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let mut found = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some(path) = line
            .strip_prefix("<!-- example: ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(lines.next(), Some("```yaml"), "after the marker of {path}");
        let mut block = String::new();
        for l in lines.by_ref() {
            if l == "```" {
                break;
            }
            block.push_str(l);
            block.push('\n');
        }
        found.push((path.to_owned(), block));
    }
    found
}

#[test]
fn readme_examples_are_the_example_files() {
    let examples = readme_examples();
    let mut files: Vec<String> = std::fs::read_dir(root().join(".github/examples"))
        .expect("ls")
        .map(|e| {
            format!(
                ".github/examples/{}",
                e.expect("entry").file_name().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    let mut shown: Vec<String> = examples.iter().map(|(p, _)| p.clone()).collect();
    shown.sort();
    assert_eq!(shown, files, "every example file once in the README");
    for (path, block) in &examples {
        let file = std::fs::read_to_string(root().join(path)).expect("example");
        assert_eq!(block, &file, "README block of {path} differs from the file");
        assert!(
            file.contains("fetch-depth: 0"),
            "{path} fetches the history"
        );
        assert!(
            file.contains("uses: bumpwise/bumpwise@v"),
            "{path} uses the action"
        );
    }
}

#[test]
fn action_yml_passes_inputs_through_env_and_maps_outputs() {
    let text = std::fs::read_to_string(root().join("action.yml")).expect("action.yml");
    // No expression inside a script's text: inputs reach the scripts only through `env:`.
    for line in text.lines() {
        if let Some(run) = line.trim_start().strip_prefix("run:") {
            assert!(!run.contains("${{"), "expression in a run: line: {line}");
            assert!(run.contains("\"$GITHUB_ACTION_PATH/action/"), "{line}");
        }
    }
    // Each output is the `run` step's key of the same name.
    let outputs = text
        .split("\noutputs:\n")
        .nth(1)
        .and_then(|s| s.split("\nruns:\n").next())
        .expect("outputs section");
    let mut keys = Vec::new();
    let mut key = None;
    for line in outputs.lines() {
        if let Some(k) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':'))
            && !k.starts_with(' ')
        {
            key = Some(k.to_owned());
            keys.push(k.to_owned());
        }
        if let Some(v) = line.trim_start().strip_prefix("value: ") {
            let k = key.as_deref().expect("key");
            assert_eq!(v, format!("${{{{ steps.run.outputs.{k} }}}}"));
        }
    }
    for k in ["bump", "version", "previous_version", "tag", "released"] {
        assert!(keys.iter().any(|x| x == k), "output {k}");
    }
}

/// Writes an executable bash script `name` into the runner's `bin`, ahead of the real one.
fn stub(runner: &Runner, name: &str, script: &str) {
    let path = runner.path("bin").join(name);
    std::fs::write(
        &path,
        format!("#!/usr/bin/env bash\nset -euo pipefail\n{script}"),
    )
    .expect("stub");
    make_executable(&path);
}

#[test]
fn install_uses_uv_and_pypi_when_present() {
    let runner = Runner::new();
    // `uv venv DIR`, then `uv pip install --quiet --python DIR bumpwise==X`, which puts the
    // binary into DIR/bin as the wheel would.
    stub(
        &runner,
        "uv",
        &format!(
            r#"printf '%s\n' "$*" >>"$GH_STUB_DIR/uv.log"
if [[ "$1" == venv ]]; then mkdir -p "$3/bin"; exit 0; fi
cp "{BIN}" "$5/bin/bumpwise"
"#
        ),
    );
    let out = runner.run("install.sh", root(), &[("BUMPWISE_VERSION", "9.9.9")]);
    assert_exit(&out, 0);
    let venv = runner.path("bumpwise-9.9.9");
    assert_eq!(
        runner.read("uv.log"),
        format!(
            "venv --quiet {v}\npip install --quiet --python {v} bumpwise==9.9.9\n",
            v = venv.display()
        )
    );
    assert_eq!(
        runner.outputs(),
        [(
            "bin".to_owned(),
            venv.join("bin/bumpwise").display().to_string()
        )]
    );
}

#[test]
fn install_builds_with_cargo_when_pypi_has_no_such_version() {
    let runner = Runner::new();
    stub(
        &runner,
        "uv",
        "echo 'No solution found: bumpwise==9.9.9' >&2\nexit 1\n",
    );
    // `cargo install --locked --quiet --root ROOT --path ACTION_PATH`
    stub(
        &runner,
        "cargo",
        &format!(
            r#"printf '%s\n' "$*" >>"$GH_STUB_DIR/cargo.log"
mkdir -p "$5/bin"
cp "{BIN}" "$5/bin/bumpwise"
"#
        ),
    );
    let out = runner.run("install.sh", root(), &[("BUMPWISE_VERSION", "9.9.9")]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("::notice::bumpwise 9.9.9 is not on PyPI"),
        "{}",
        stdout(&out)
    );
    let cargo_root = runner.path("bumpwise-cargo-9.9.9");
    assert_eq!(
        runner.read("cargo.log"),
        format!(
            "install --locked --quiet --root {} --path {}\n",
            cargo_root.display(),
            root().display()
        )
    );
    assert_eq!(
        runner.outputs(),
        [(
            "bin".to_owned(),
            cargo_root.join("bin/bumpwise").display().to_string()
        )]
    );
}
