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
