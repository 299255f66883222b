//! `coffre completions SHELL` and `coffre man`: shell completions and the manual page, generated from the same
//! clap definitions as `--help`, for packagers and for people who install coffre by hand. The manual page is in the
//! reader's language (`coffre man --lang fr`, see help.rs): the about lines, options and the headings coffre gives
//! (OPTIONS GLOBALES, COMMANDES). clap_mangen writes its own section names (NAME, SYNOPSIS, DESCRIPTION, EXTRA,
//! VERSION) as literals with no way to name them otherwise, so those stay in English.

use clap::{Args, CommandFactory};
use coffre_i18n::t;

use crate::{Cli, exit::Failure, output::write_stdout};

/// Options of `coffre completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell
    #[arg(value_enum, value_name = "SHELL")]
    shell: clap_complete::Shell,
}

/// The completion script of `shell`.
fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "coffre", &mut out);
    out
}

/// The manual page (roff), for `man 1 coffre`.
fn manual_page() -> Result<Vec<u8>, Failure> {
    let mut out = Vec::new();
    clap_mangen::Man::new(manual_headings(crate::help::command(coffre_i18n::current())))
        .render(&mut out)
        .map_err(|e| Failure::other(t!("manual-cannot-write", reason = e.to_string())))?;
    Ok(out)
}

/// The help's headings as a manual page writes them: upper case, without the no-break space French typography puts
/// before the colon clap adds in `--help` (clap_mangen adds none).
fn manual_headings(mut cmd: clap::Command) -> clap::Command {
    let heading = |text: &str| text.trim_end_matches('\u{a0}').to_uppercase();
    if let Some(commands) = cmd.get_subcommand_help_heading().map(heading) {
        cmd = cmd.subcommand_help_heading(commands);
    }
    let ids: Vec<(String, String)> = cmd
        .get_arguments()
        .filter_map(|arg| arg.get_help_heading().map(|h| (arg.get_id().to_string(), heading(h))))
        .collect();
    for (id, heading) in ids {
        cmd = cmd.mut_arg(id, |arg| arg.help_heading(heading));
    }
    cmd
}

pub(crate) fn completions(args: &CompletionsArgs) -> Result<(), Failure> {
    write_stdout(&completion_script(args.shell))
}

pub(crate) fn man() -> Result<(), Failure> {
    write_stdout(&manual_page()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_know_the_commands_and_the_manual_page_is_roff() -> Result<(), String> {
        for shell in [clap_complete::Shell::Bash, clap_complete::Shell::Zsh, clap_complete::Shell::Fish] {
            let script = String::from_utf8(completion_script(shell)).map_err(|e| e.to_string())?;
            assert!(script.contains("reveal") && script.contains("rotate"), "{shell}: {script}");
        }
        let page = String::from_utf8(manual_page().map_err(|f| f.message().to_owned())?).map_err(|e| e.to_string())?;
        assert!(page.starts_with(".ie") || page.contains(".TH coffre"), "{page}");
        assert!(page.contains("reveal"));
        Ok(())
    }

    #[test]
    fn the_french_manual_page_names_coffre_s_own_sections_in_french() -> Result<(), String> {
        let mut out = Vec::new();
        clap_mangen::Man::new(manual_headings(crate::help::command(coffre_i18n::Lang::FrCa)))
            .render(&mut out)
            .map_err(|e| e.to_string())?;
        let page = String::from_utf8(out).map_err(|e| e.to_string())?;
        for heading in [".SH \"OPTIONS GLOBALES\"\n", ".SH OPTIONS\n", ".SH COMMANDES\n"] {
            assert!(page.contains(heading), "{heading} missing: {page}");
        }
        assert!(page.contains("Épingle le certificat du démon"), "{page}");
        assert!(page.lines().filter(|line| line.starts_with(".SH")).all(|line| !line.contains('\u{a0}')), "{page}");
        Ok(())
    }
}
