//! The `bumpwise` binary: parse, run, map to an exit code, print an error once.
#![allow(clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

// A surface is hundreds of thousands of small strings and maps; mimalloc makes allocating and
// freeing them markedly cheaper than the system allocator, as uv and ruff found.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Stack for the command's thread and every worker. Reading Python walks syntax trees as deep as
/// the code nests, and generated code nests expressions thousands deep (a long `a + b + ...`).
/// Only the pages a walk touches are committed, as rustc does for the same reason.
const STACK: usize = 256 << 20;

fn main() -> ExitCode {
    bumpwise::allocate_with_mimalloc();
    no_huge_pages();
    // The workers are built before any command runs; an error here (a second global pool) only
    // leaves rayon's default.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK)
        .build_global();
    let thread = std::thread::Builder::new()
        .name("bumpwise".to_owned())
        .stack_size(STACK)
        .spawn(command);
    match thread.map(|t| t.join()) {
        Ok(Ok(code)) => code,
        // A panic already printed its message; 101 is Rust's exit code for it.
        Ok(Err(_)) => ExitCode::from(101),
        // The system refused a thread: the command runs on this one.
        Err(_) => command(),
    }
}

/// Turns transparent huge pages off for this process. mimalloc asks for them on its arena,
/// and the kernel then zeroes (and may first compact) 2 MB at a page's first touch: that took
/// from 5 % to a third of a diff's time, varying from run to run, and saved nothing measurable.
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes one integer and changes no memory of ours; a kernel
    // without it returns an error, which leaves things as they were.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}

fn command() -> ExitCode {
    let cli = bumpwise::cli::Cli::parse();
    // Reports run to millions of lines (`api --json` on Django): into a pipe or a file, stdout's
    // own line buffering would make a write call of each. A terminal keeps it, as ripgrep does,
    // so that output shows as it comes beside stderr's.
    let capacity = if std::io::stdout().is_terminal() {
        0
    } else {
        1 << 16
    };
    let mut out = std::io::BufWriter::with_capacity(capacity, std::io::stdout().lock());
    let mut err = std::io::stderr();
    let result = bumpwise::run(cli, &mut out, &mut err).and_then(|status| {
        out.flush()
            .map(|()| status)
            .map_err(bumpwise::Error::Output)
    });
    match result {
        Ok(status) => ExitCode::from(status.code()),
        Err(bumpwise::Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = out.flush();
            let style = console::Style::new().for_stderr();
            eprintln!("{} {e}", style.clone().red().bold().apply_to("error:"));
            if let Some(hint) = e.hint() {
                eprintln!("  {} {hint}", style.cyan().bold().apply_to("hint:"));
            }
            // An interrupted release was undone: now die of the signal, as the shell expects.
            if let Some(code) = e.die_if_interrupted() {
                return ExitCode::from(code);
            }
            ExitCode::from(bumpwise::ExitStatus::Error.code())
        }
    }
}
