//! `coffre completions SHELL` and `coffre man`: shell completions and the manual page, generated from the same
//! clap definitions as `--help`, for packagers and for people who install coffre by hand. The manual page is in the
//! reader's language (`coffre man --lang fr`, see help.rs): the about lines, options and the headings coffre gives
//! (OPTIONS GLOBALES, COMMANDES). clap_mangen writes its own section names (NAME, SYNOPSIS, DESCRIPTION, EXTRA,
//! VERSION, AUTHORS) as literals with no way to name them otherwise: the rendered page's `.SH` lines of those that
//! differ in the reader's language (NAME, EXTRA, AUTHORS) are renamed from the catalogue.

use clap::{Args, CommandFactory};
use coffre_i18n::{t, t_in};

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
    Ok(section_names(&out, coffre_i18n::current()))
}

/// The page with clap_mangen's own section names in the reader's language: each `.SH NAME` line (the literal
/// alone on its line, as clap_mangen writes it) becomes `.SH` and the catalogue's name.
fn section_names(page: &[u8], lang: coffre_i18n::Lang) -> Vec<u8> {
    let names = [
        ("NAME", t_in!(lang, "manual-section-name")),
        ("EXTRA", t_in!(lang, "manual-section-extra")),
        ("AUTHORS", t_in!(lang, "manual-section-authors")),
    ];
    let mut out = Vec::with_capacity(page.len());
    for line in page.split_inclusive(|&b| b == b'\n') {
        let renamed = names.iter().find(|(literal, _)| {
            line.strip_prefix(b".SH ").and_then(|rest| rest.strip_suffix(b"\n")) == Some(literal.as_bytes())
        });
        match renamed {
            Some((_, name)) => out.extend_from_slice(format!(".SH {name}\n").as_bytes()),
            None => out.extend_from_slice(line),
        }
    }
    out
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
    fn clap_mangen_s_own_section_names_are_in_the_readers_language() -> Result<(), String> {
        let page =
            b".TH coffre 1\n.SH NAME\ncoffre\n.SH \"NAME OF\"\n.SH EXTRA\nEnvironment\n.SH AUTHORS\n.SH VERSION\n";
        let english = section_names(page, coffre_i18n::Lang::En);
        assert_eq!(english, page.to_vec(), "the English page is clap_mangen's");
        let french = section_names(page, coffre_i18n::Lang::FrCa);
        let french = String::from_utf8(french).map_err(|e| e.to_string())?;
        assert_eq!(
            french,
            ".TH coffre 1\n.SH NOM\ncoffre\n.SH \"NAME OF\"\n.SH COMPLÉMENTS\nEnvironment\n.SH AUTEURS\n.SH VERSION\n"
        );
        Ok(())
    }

    #[test]
    fn the_french_manual_page_names_coffre_s_own_sections_in_french() -> Result<(), String> {
        let mut out = Vec::new();
        clap_mangen::Man::new(manual_headings(crate::help::command(coffre_i18n::Lang::FrCa)))
            .render(&mut out)
            .map_err(|e| e.to_string())?;
        let page = String::from_utf8(section_names(&out, coffre_i18n::Lang::FrCa)).map_err(|e| e.to_string())?;
        for heading in
            [".SH NOM\n", ".SH \"OPTIONS GLOBALES\"\n", ".SH OPTIONS\n", ".SH COMMANDES\n", ".SH COMPLÉMENTS\n"]
        {
            assert!(page.contains(heading), "{heading} missing: {page}");
        }
        assert!(page.contains("Épingle le certificat du démon"), "{page}");
        assert!(page.lines().filter(|line| line.starts_with(".SH")).all(|line| !line.contains('\u{a0}')), "{page}");
        Ok(())
    }
}
