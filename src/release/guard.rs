//! What may stop a release between two of its steps: a signal (Ctrl-C, `SIGTERM`), and, for
//! tests only, a fault or a pause injected at a named [`Step`].
//!
//! Signals are caught only by `release` (see [`install`]). While [`super::apply`] runs they
//! set a flag that it checks after each step, then undoes everything; a signal during the
//! undo is recorded and ignored, so the undo runs to its end. Outside `apply` (planning, the
//! prompt) nothing has been written: a signal removes the release lock and kills the process
//! as if it had not been caught.
//!
//! The test hooks are internal, like cargo's `__CARGO_TEST_*` variables, and not part of the
//! CLI contract: `BUMPWISE_TEST_FAULT=<step>` fails the release after that step, and
//! `BUMPWISE_TEST_PAUSE=<step>` prints `bumpwise-test: paused after <step>` to stderr, then
//! waits until standard input is closed, a signal arrives, or a minute passes. Steps are
//! `lock`, `write:N` (the Nth file written), `index` (the index written, no commit yet),
//! `commit` (the branch moved), `tag:N` (the Nth tag made) and, for the pause only,
//! `rollback` (the undo about to start).

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use super::Error;

/// A point between two steps of a release, where it may be stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The release lock was taken; nothing else happened yet.
    Lock,
    /// The Nth file (from 1) was written.
    Write(usize),
    /// The index holds the release's files; no commit yet.
    Index,
    /// The release commit is made and the branch points at it.
    Commit,
    /// The Nth tag (from 1) was created.
    Tag(usize),
    /// A failed release is about to be undone (only a pause applies here).
    Rollback,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Lock => f.write_str("lock"),
            Step::Write(n) => write!(f, "write:{n}"),
            Step::Index => f.write_str("index"),
            Step::Commit => f.write_str("commit"),
            Step::Tag(n) => write!(f, "tag:{n}"),
            Step::Rollback => f.write_str("rollback"),
        }
    }
}

impl Step {
    /// Parses `write:2`, `tag`, `index`...; a missing number is 1.
    fn parse(text: &str) -> Option<Step> {
        let (name, n) = match text.trim().split_once(':') {
            Some((name, n)) => (name, n.parse().ok()?),
            None => (text.trim(), 1),
        };
        Some(match name {
            "lock" => Step::Lock,
            "write" => Step::Write(n),
            "index" => Step::Index,
            "commit" => Step::Commit,
            "tag" => Step::Tag(n),
            "rollback" => Step::Rollback,
            _ => return None,
        })
    }
}

/// The step named by an environment variable, read once per process.
fn step_from_env(var: &'static str, cell: &'static OnceLock<Option<Step>>) -> Option<Step> {
    *cell.get_or_init(|| std::env::var(var).ok().as_deref().and_then(Step::parse))
}

fn fault_step() -> Option<Step> {
    static FAULT: OnceLock<Option<Step>> = OnceLock::new();
    step_from_env("BUMPWISE_TEST_FAULT", &FAULT)
}

fn pause_step() -> Option<Step> {
    static PAUSE: OnceLock<Option<Step>> = OnceLock::new();
    step_from_env("BUMPWISE_TEST_PAUSE", &PAUSE)
}

/// The check [`super::apply`] runs after each step: the test hooks, then a caught signal.
pub fn check(step: Step) -> Result<(), Error> {
    if pause_step() == Some(step) {
        pause(step);
    }
    if step == Step::Rollback {
        return Ok(());
    }
    if fault_step() == Some(step) {
        return Err(Error::Injected { step });
    }
    match CAUGHT.load(Ordering::SeqCst) {
        0 => Ok(()),
        signal => Err(Error::Interrupted { signal }),
    }
}

/// The test pause: says where it is, then waits for standard input to close or a signal.
fn pause(step: Step) {
    let mut stderr = std::io::stderr();
    let _ = writeln!(stderr, "bumpwise-test: paused after {step}");
    let _ = stderr.flush();
    let resumed = std::sync::Arc::new(AtomicBool::new(false));
    let flag = resumed.clone();
    // A blocked read cannot also watch the signal flag, so it gets a thread of its own.
    let _ = std::thread::Builder::new().spawn(move || {
        let _ = std::io::stdin().read(&mut [0u8; 1]);
        flag.store(true, Ordering::SeqCst);
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while !resumed.load(Ordering::SeqCst)
        && CAUGHT.load(Ordering::SeqCst) == 0
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// The first signal caught during [`super::apply`], 0 for none.
static CAUGHT: AtomicI32 = AtomicI32::new(0);

/// Where the process is, for the signal thread to decide what a signal does.
#[derive(Default)]
struct State {
    /// [`super::apply`] is running (or undoing): signals only set [`CAUGHT`].
    applying: bool,
    /// Release locks held by this process, removed before dying of a signal.
    locks: Vec<PathBuf>,
}

fn state() -> MutexGuard<'static, State> {
    static STATE: Mutex<State> = Mutex::new(State {
        applying: false,
        locks: Vec::new(),
    });
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// While alive, signals are deferred to the checks between steps.
pub(super) struct Applying(());

/// Marks the start of [`super::apply`]'s writes; dropping it marks their end. A signal caught
/// meanwhile but after the last check is dropped with it: the release is complete by then.
pub(super) fn applying() -> Applying {
    state().applying = true;
    Applying(())
}

impl Drop for Applying {
    fn drop(&mut self) {
        state().applying = false;
    }
}

/// Records a lock file to remove if a signal kills the process.
pub(super) fn hold_lock(path: &Path) {
    state().locks.push(path.to_path_buf());
}

/// Forgets a lock file, and removes it, under the same mutex as the signal thread.
pub(super) fn release_lock(path: &Path) {
    let mut state = state();
    state.locks.retain(|p| p != path);
    let _ = std::fs::remove_file(path);
}

/// Catches `SIGINT`, `SIGTERM` and `SIGHUP` for the rest of the process, once. Call it
/// before taking the release lock, so that no signal can leave the lock behind.
pub fn install() {
    #[cfg(unix)]
    {
        static INSTALLED: OnceLock<()> = OnceLock::new();
        INSTALLED.get_or_init(|| {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            // Without a handler, signals keep their default: dying, which writes nothing.
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("bumpwise-signals".to_owned())
                .spawn(move || {
                    for signal in signals.forever() {
                        on_signal(signal);
                    }
                });
        });
    }
}

/// What a caught signal does (on the signal thread, so it may take locks and touch files).
#[cfg(unix)]
fn on_signal(signal: i32) {
    let mut state = state();
    if state.applying {
        let _ = CAUGHT.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
        return;
    }
    for lock in state.locks.drain(..) {
        let _ = std::fs::remove_file(lock);
    }
    // Dies holding the mutex, so that `apply` cannot start meanwhile.
    let _ = signal_hook::low_level::emulate_default_handler(signal);
}

/// `SIGINT`, `SIGTERM`... for messages.
pub(super) fn signal_name(signal: i32) -> String {
    #[cfg(unix)]
    if let Some(name) = signal_hook::low_level::signal_name(signal) {
        return name.to_owned();
    }
    format!("signal {signal}")
}

impl crate::Error {
    /// For a release undone because of a signal, called once the error is printed: dies of
    /// that signal, as a shell expects of an interrupted program (a `for` loop or `make`
    /// stops too). Returns the conventional exit code, 128 + the signal's number, where it
    /// cannot die of it; `None` for every other error.
    pub fn die_if_interrupted(&self) -> Option<u8> {
        let crate::Error::Release(Error::Interrupted { signal }) = self else {
            return None;
        };
        #[cfg(unix)]
        {
            let _ = signal_hook::low_level::emulate_default_handler(*signal);
        }
        u8::try_from(128 + signal).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_parse_and_print_the_same() {
        for step in [
            Step::Lock,
            Step::Write(1),
            Step::Write(12),
            Step::Index,
            Step::Commit,
            Step::Tag(2),
            Step::Rollback,
        ] {
            assert_eq!(Step::parse(&step.to_string()), Some(step));
        }
        assert_eq!(Step::parse("write"), Some(Step::Write(1)));
        assert_eq!(Step::parse("tag:x"), None);
        assert_eq!(Step::parse("push"), None);
    }
}
