//! clap's usage errors (an unknown option, a missing argument, a value that is not one of the choices) in the
//! reader's language, rendered from the catalogue by `coffre_i18n::command_line` (shared with coffred); English
//! readers get clap's own text.

/// The whole message for a usage error in a language, as clap would print it to standard error, or `None` when
/// clap's own English should be printed.
pub use coffre_i18n::command_line::usage_message as message;

#[cfg(test)]
mod tests {
    use coffre_i18n::Lang;

    use super::*;
    use crate::help::command;

    fn french(args: &[&str]) -> (Option<String>, i32) {
        match command(Lang::FrCa).try_get_matches_from(args) {
            Ok(_) => (None, 0),
            Err(err) => (message(&err, Lang::FrCa), err.exit_code()),
        }
    }

    #[test]
    fn usage_errors_read_in_french_with_the_french_usage_line_and_exit_code_2() {
        let (text, code) = french(&["coffre", "entry", "add", "Facebook"]);
        let text = text.unwrap_or_default();
        assert_eq!(code, 2);
        assert!(text.starts_with("erreur\u{a0}: ces arguments obligatoires manquent\u{a0}:\n  --category <CATÉGORIE>\n  --login <IDENTIFIANT>\n"), "{text}");
        assert!(text.contains("\n\nUtilisation\u{a0}: coffre entry add --category <CATÉGORIE>"), "{text}");
        assert!(text.ends_with("Pour en savoir plus, essayez «\u{a0}--help\u{a0}».\n"), "{text}");

        let (text, _) = french(&["coffre", "entry", "add", "X", "--category", "nope", "--login", "l"]);
        let text = text.unwrap_or_default();
        assert!(
            text.contains("valeur «\u{a0}nope\u{a0}» invalide pour «\u{a0}--category <CATÉGORIE>\u{a0}»"),
            "{text}"
        );
        assert!(text.contains("[valeurs possibles\u{a0}: social-network, data-bank,"), "{text}");

        let (text, _) = french(&["coffre", "entry", "lsit"]);
        let text = text.unwrap_or_default();
        assert!(text.contains("sous-commande «\u{a0}lsit\u{a0}» inconnue"), "{text}");
        assert!(text.contains("une sous-commande semblable existe\u{a0}: «\u{a0}list\u{a0}»"), "{text}");

        let (text, _) = french(&["coffre", "reveal", "X", "--reason", "r", "--versoin", "2"]);
        let text = text.unwrap_or_default();
        assert!(text.contains("argument «\u{a0}--versoin\u{a0}» inattendu"), "{text}");
        assert!(text.contains("un argument semblable existe\u{a0}: «\u{a0}--version\u{a0}»"), "{text}");

        let (text, _) = french(&["coffre", "reveal", "X", "--reason", "r", "--version", "0"]);
        assert!(text.unwrap_or_default().contains("valeur «\u{a0}0\u{a0}» invalide pour «\u{a0}--version <N>\u{a0}»"));

        let (text, _) = french(&["coffre", "entry", "add", "X", "--password-file", "f", "--password-stdin"]);
        assert!(text.unwrap_or_default().contains("ne peut pas être utilisé avec"));
    }

    #[test]
    fn english_and_help_are_left_to_clap() {
        let err = command(Lang::En).try_get_matches_from(["coffre", "entry", "lsit"]).err();
        assert!(err.is_some_and(|err| message(&err, Lang::En).is_none()));
        let help = command(Lang::FrCa).try_get_matches_from(["coffre", "--help"]).err();
        assert!(help.is_some_and(|err| message(&err, Lang::FrCa).is_none()));
    }
}
