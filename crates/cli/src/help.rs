//! `--help` (and the manual page) in the reader's language, where clap allows it.
//!
//! clap's help texts come from the doc comments, in English, at compile time. For another language the command
//! is rebuilt at run time: the language is chosen before parsing (`--lang`, then the environment, as for every
//! other message), and every command's `about` and every option's help that the catalogue has under
//! `help-cmd-<path>` / `help-arg-<path>-<id>` replaces the English one; clap's own words ("Usage", "Commands",
//! "Print help") are replaced through a help template and headings. What the catalogue lacks stays in English.
//! The English catalogue's `help-*` texts must equal the doc comments (a test checks it), so they never drift.

use std::ffi::OsString;

use clap::{Arg, ArgAction, Command, CommandFactory};
use coffre_i18n::{Lang, message, t_in};

use crate::Cli;

/// The language of the help, decided before parsing: `--lang X` or `--lang=X` among the arguments, else the
/// environment (`COFFRE_LANG`, `LC_ALL`, `LC_MESSAGES`, `LANG`).
pub fn lang_before_parsing(args: &[OsString]) -> Lang {
    let mut flag = None;
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = it.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            flag = it.next().map(|v| v.into_owned());
        } else if let Some(value) = arg.strip_prefix("--lang=") {
            flag = Some(value.to_owned());
        }
    }
    Lang::choose(flag.as_deref(), |name| std::env::var(name).ok())
}

/// coffre's command line with its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = Cli::command();
    if lang == Lang::En { cmd } else { localised(cmd, lang, "") }
}

fn localised(mut cmd: Command, lang: Lang, path: &str) -> Command {
    let text = |id: String| message(lang, &id, &[]);
    if path.is_empty() {
        if let Some(about) = text("help-about".to_owned()) {
            cmd = cmd.about(about);
        }
        if let Some(long_about) = text("help-long-about".to_owned()) {
            cmd = cmd.long_about(long_about);
        }
        if let Some(after) = text("help-after-help".to_owned()) {
            cmd = cmd.after_help(after);
        }
        if let Some(after) = text("help-after-long-help".to_owned()) {
            cmd = cmd.after_long_help(after);
        }
    } else if let Some(about) = text(format!("help-cmd-{path}")) {
        // The English long description would follow the French one: the French about stands for both.
        cmd = cmd.about(about).long_about(None::<&str>);
    }
    let headings = (
        t_in!(lang, "help-heading-global"),
        t_in!(lang, "help-heading-options"),
        t_in!(lang, "help-heading-arguments"),
    );
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|arg| (arg.get_id().to_string(), arg.get_help_heading() == Some("Global options")))
        .collect();
    for (id, is_global) in ids {
        let key = if path.is_empty() { format!("help-arg-{id}") } else { format!("help-arg-{path}-{id}") };
        let help = text(key);
        let (global, options, arguments) = headings.clone();
        cmd = cmd.mut_arg(id.as_str(), move |mut arg| {
            if let Some(help) = help {
                arg = arg.help(help).long_help(None::<&str>);
            }
            let heading = if is_global {
                global
            } else if arg.is_positional() {
                arguments
            } else {
                options
            };
            arg.help_heading(heading)
        });
    }
    let names: Vec<String> = cmd.get_subcommands().map(|sub| sub.get_name().to_owned()).collect();
    for name in names {
        let sub_path = if path.is_empty() { name.clone() } else { format!("{path}-{name}") };
        cmd = cmd.mut_subcommand(name.as_str(), |sub| localised(sub, lang, &sub_path));
    }
    let usage = t_in!(lang, "help-heading-usage");
    cmd = cmd
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{usage} {{usage}}\n\n{{all-args}}{{after-help}}"
        ))
        .subcommand_help_heading(t_in!(lang, "help-heading-commands"))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t_in!(lang, "help-flag-help"))
                .help_heading(headings.1.clone()),
        );
    if path.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t_in!(lang, "help-flag-version"))
                .help_heading(headings.1),
        );
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English catalogue's `help-*` entries, as (id, text).
    fn english_help_ids() -> Vec<(String, String)> {
        let source = include_str!("../../i18n/i18n/en/coffre.ftl");
        source
            .lines()
            .filter(|line| line.starts_with("help-cmd-") || line.starts_with("help-arg-"))
            .filter_map(|line| line.split_once(" = ").map(|(id, text)| (id.to_owned(), text.to_owned())))
            .collect()
    }

    /// Finds the command at `path` ("grant-add") by walking subcommand names, for the ids of the catalogue.
    fn find<'a>(cmd: &'a Command, path: &str) -> Option<&'a Command> {
        if path.is_empty() {
            return Some(cmd);
        }
        cmd.get_subcommands().find_map(|sub| {
            let name = sub.get_name();
            match path.strip_prefix(name) {
                Some("") => Some(sub),
                Some(rest) => rest.strip_prefix('-').and_then(|rest| find(sub, rest)),
                None => None,
            }
        })
    }

    #[test]
    fn every_help_text_of_the_catalogue_names_a_real_command_or_option_and_says_what_clap_says_in_english() {
        let cli = Cli::command();
        let ids = english_help_ids();
        assert!(ids.len() > 20, "{ids:?}");
        for (id, english) in ids {
            if let Some(path) = id.strip_prefix("help-cmd-") {
                let cmd = find(&cli, path).unwrap_or_else(|| panic!("{id}: no such command"));
                assert_eq!(cmd.get_about().map(ToString::to_string).as_deref(), Some(english.as_str()), "{id}");
            } else if let Some(rest) = id.strip_prefix("help-arg-") {
                // The option is the longest suffix that names an argument of the command before it.
                let found =
                    (0..=rest.len()).filter(|&i| i == 0 || rest.as_bytes().get(i - 1) == Some(&b'-')).find_map(|i| {
                        let (path, arg) = if i == 0 { ("", rest) } else { (&rest[..i - 1], &rest[i..]) };
                        find(&cli, path)?.get_arguments().find(|a| a.get_id() == arg)
                    });
                let arg = found.unwrap_or_else(|| panic!("{id}: no such option"));
                assert_eq!(arg.get_help().map(ToString::to_string).as_deref(), Some(english.as_str()), "{id}");
            }
        }
    }

    #[test]
    fn help_reads_in_french_where_the_catalogue_has_it() {
        let help = command(Lang::FrCa).render_long_help().to_string();
        assert!(help.starts_with("coffre garde les mots de passe partagés"), "{help}");
        for french in ["Utilisation\u{a0}:", "Commandes\u{a0}:", "Options globales\u{a0}:", "Affiche l’aide"] {
            assert!(help.contains(french), "{french} missing: {help}");
        }
        assert!(!help.contains("Usage:") && !help.contains("Print help"), "{help}");
        let mut french = command(Lang::FrCa);
        let grant_add = french
            .find_subcommand_mut("grant")
            .and_then(|grant| grant.find_subcommand_mut("add"))
            .map(|add| add.render_long_help().to_string())
            .unwrap_or_default();
        assert!(grant_add.contains("À quoi sert l’accès"), "{grant_add}");
        // English is clap's own.
        assert_eq!(command(Lang::En).render_long_help().to_string(), Cli::command().render_long_help().to_string());
    }

    #[test]
    fn the_language_of_the_help_is_chosen_before_parsing() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_before_parsing(&args(&["coffre", "--lang", "fr", "--help"])), Lang::FrCa);
        assert_eq!(lang_before_parsing(&args(&["coffre", "grant", "--lang=fr-CA", "add", "-h"])), Lang::FrCa);
        assert_eq!(lang_before_parsing(&args(&["coffre", "--lang", "en", "--help"])), Lang::En);
    }
}
