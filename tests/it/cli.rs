//! `--help` of each subcommand, and usage errors.

use insta_cmd::assert_cmd_snapshot;

use crate::support::bumpwise_in;

fn cmd(args: &[&str]) -> std::process::Command {
    let mut c = bumpwise_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    c.args(args);
    c
}

#[test]
fn help_top() {
    assert_cmd_snapshot!(cmd(&["--help"]));
}

#[test]
fn help_diff() {
    assert_cmd_snapshot!(cmd(&["diff", "--help"]));
}

#[test]
fn help_check() {
    assert_cmd_snapshot!(cmd(&["check", "--help"]));
}

#[test]
fn help_api() {
    assert_cmd_snapshot!(cmd(&["api", "--help"]));
}

#[test]
fn help_imports() {
    assert_cmd_snapshot!(cmd(&["imports", "--help"]));
}

#[test]
fn imports_rejects_markdown() {
    let out = cmd(&["imports", "--format", "markdown"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_release() {
    assert_cmd_snapshot!(cmd(&["release", "--help"]));
}

#[test]
fn usage_error_exits_2() {
    let out = cmd(&["diff", "--format", "yaml"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = cmd(&["frobnicate"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn demo_runs() {
    let out = cmd(&["demo"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("major"), "{stdout}");
    assert!(stdout.contains("2.0.0"), "{stdout}");
    assert!(stdout.contains("Dry run: nothing was changed."), "{stdout}");
}

/// `bumpwise api | head` must end quietly with 0 when the reader goes away.
#[test]
fn a_closed_pipe_exits_0() {
    use std::io::Read;
    use std::process::Stdio;

    let repo = crate::support::TestRepo::new();
    // Far more output than a pipe buffers, so the writer meets the closed pipe.
    let source: String = (0..6000)
        .map(|i| format!("def function_number_{i}(argument_one, argument_two=None):\n    pass\n"))
        .collect();
    crate::support::project(&repo, "1.0.0", &source);
    repo.commit("many functions");
    let mut child = repo
        .bumpwise()
        .arg("api")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 64];
    let mut stdout = child.stdout.take().expect("stdout");
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn help_init() {
    assert_cmd_snapshot!(cmd(&["init", "--help"]));
}

#[test]
fn help_completions() {
    assert_cmd_snapshot!(cmd(&["completions", "--help"]));
}

/// Every subcommand, from the clap definitions: a new one is covered without editing this.
fn subcommands() -> Vec<String> {
    use clap::CommandFactory;
    let names: Vec<String> = bumpwise::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .filter(|n| n != "help")
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    names
}

/// Whether `text` holds `word` as a whole word (not inside `diffs` or `manual`).
fn has_word(text: &str, word: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word)
        .any(|(i, _)| !text[..i].ends_with(part) && !text[i + word.len()..].starts_with(part))
}

#[test]
fn completions_cover_every_subcommand_in_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = cmd(&["completions", shell]).output().expect("run");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).expect("utf-8");
        assert!(has_word(&script, "bumpwise"), "{shell}");
        for name in subcommands() {
            assert!(
                has_word(&script, &name),
                "{shell} completions lack `{name}`"
            );
        }
    }
    let out = cmd(&["completions", "tcsh"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_man_page_names_every_subcommand() {
    let out = cmd(&["man"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).expect("utf-8");
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
    assert!(page.contains(".TH bumpwise 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for name in subcommands() {
        assert!(has_word(&page, &name), "the man page lacks `{name}`");
    }
}
