//! Shell completions and the man page, generated from the clap definitions in [`super`], so
//! that `--help`, completions and the man page cannot drift apart. The only code besides
//! `cli.rs` that sees clap's types.

use std::io::Write;

use clap::CommandFactory;

use crate::options::Shell;

/// Writes the completion script for `shell`.
pub(crate) fn completions(shell: Shell, out: &mut dyn Write) -> std::io::Result<()> {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut command = super::Cli::command();
    let name = command.get_name().to_owned();
    // clap_complete panics when its writer fails: write to memory, then to `out`, so a closed
    // pipe is an error like any other output's.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    out.write_all(&script)
}

/// Writes the man page (roff): the top-level help, with a SUBCOMMANDS section naming each
/// subcommand.
pub(crate) fn man(out: &mut dyn Write) -> std::io::Result<()> {
    clap_mangen::Man::new(super::Cli::command()).render(out)
}
