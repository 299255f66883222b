//! `--help` (and the manual page) in the reader's language, where clap allows it: coffre's command line rebuilt
//! with its texts from the catalogue's `help-*` ids (`coffre_i18n::command_line`, shared with coffred). A test
//! walks the whole command tree and fails if anything has no French text. The English catalogue's `help-*` texts
//! must equal the doc comments (a test checks it), so they never drift.

use clap::{Command, CommandFactory};
use coffre_i18n::Lang;
pub use coffre_i18n::command_line::lang_before_parsing;

use crate::Cli;

/// coffre's command line with its help in `lang`.
pub fn command(lang: Lang) -> Command {
    coffre_i18n::command_line::localised_command(Cli::command(), lang, "help")
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use coffre_i18n::command_line::{help_items, untranslated};

    use super::*;

    /// The English catalogue's `help-*` entries, as (id, text).
    fn english_help_ids() -> Vec<(String, String)> {
        let source = include_str!("../../i18n/i18n/en/coffre.ftl");
        source
            .lines()
            .filter(|line| {
                ["help-cmd-", "help-arg-", "help-after-", "help-possible-"]
                    .iter()
                    .any(|prefix| line.starts_with(prefix))
            })
            .filter(|line| !line.starts_with("help-possible-value"))
            .filter(|line| !line.starts_with("help-after-help") && !line.starts_with("help-after-long-help"))
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
        let walked = help_items(&cli, "help");
        let ids = english_help_ids();
        assert!(ids.len() > 20, "{ids:?}");
        for (id, english) in ids {
            if let Some(path) = id.strip_prefix("help-cmd-") {
                let cmd = find(&cli, path).unwrap_or_else(|| panic!("{id}: no such command"));
                assert_eq!(cmd.get_about().map(ToString::to_string).as_deref(), Some(english.as_str()), "{id}");
            } else if let Some(path) = id.strip_prefix("help-after-") {
                let cmd = find(&cli, path).unwrap_or_else(|| panic!("{id}: no such command"));
                assert_eq!(cmd.get_after_help().map(ToString::to_string).as_deref(), Some(english.as_str()), "{id}");
            } else if let Some(rest) = id.strip_prefix("help-arg-") {
                // The option is the longest suffix that names an argument of the command before it.
                let found =
                    (0..=rest.len()).filter(|&i| i == 0 || rest.as_bytes().get(i - 1) == Some(&b'-')).find_map(|i| {
                        let (path, arg) = if i == 0 { ("", rest) } else { (&rest[..i - 1], &rest[i..]) };
                        find(&cli, path)?.get_arguments().find(|a| a.get_id() == arg)
                    });
                let arg = found.unwrap_or_else(|| panic!("{id}: no such option"));
                assert_eq!(arg.get_help().map(ToString::to_string).as_deref(), Some(english.as_str()), "{id}");
            } else if id.starts_with("help-possible-") {
                let item = walked.iter().find(|(walked_id, _)| *walked_id == id);
                let (_, value) = item.unwrap_or_else(|| panic!("{id}: no such possible value"));
                assert_eq!(value.help().as_deref(), Some(english.as_str()), "{id}");
            }
        }
    }

    /// Placeholders that read the same in French.
    const SAME_IN_FRENCH: [&str; 12] =
        ["ACTION", "CLASSIFICATION", "CODE", "CONTACT", "DATE", "FORMAT", "HEX", "ID", "K", "N", "SHELL", "URL"];

    #[test]
    fn every_command_and_option_has_its_help_in_french_when_french_is_chosen() {
        let mut english = Cli::command();
        english.build();
        assert!(help_items(&english, "help").len() > 100);
        let missing = untranslated(&english, &command(Lang::FrCa), "help", &SAME_IN_FRENCH);
        assert!(missing.is_empty(), "no French help for:\n{}", missing.join("\n"));
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
        // clap's own `help` subcommand too, at the top and in a command group.
        let entry =
            french.find_subcommand_mut("entry").map(|entry| entry.render_help().to_string()).unwrap_or_default();
        for help in [&help, &entry] {
            assert!(help.contains("Affiche ce message ou l’aide"), "{help}");
            assert!(!help.contains("Print this message"), "{help}");
        }
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
