//! The single integration test binary: real git repositories, the real binary.

mod support;

mod action;
mod badinput;
mod cache;
mod changes;
mod check;
mod cli;
mod deprecation;
mod diff;
mod discovery;
mod errors;
mod imports;
mod init;
mod monorepo;
mod packages;
mod release;
// Signals and the pause hook are Unix only.
#[cfg(unix)]
mod release_faults;
mod safety;
