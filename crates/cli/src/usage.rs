//! clap's usage errors (an unknown option, a missing argument, a value that is not one of the choices) in the
//! reader's language.
//!
//! clap writes them in English only. For another language, the error's kind and context (the option, the value,
//! the possible values, clap's suggestion, the usage line) are rendered from the catalogue (`usage-*`). An error
//! whose context is not fully understood here is left to clap, in English, rather than half translated. English
//! readers always get clap's own text.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use coffre_i18n::{Lang, t_in};

/// The whole message for `err` in `lang`, as clap would print it to standard error, or `None` when clap's own
/// English should be printed (English chosen, help or version asked for, or a context this module does not know).
pub fn message(err: &clap::Error, lang: Lang) -> Option<String> {
    if lang == Lang::En || !err.use_stderr() {
        return None;
    }
    // clap's free-form tips ("to pass '-x' as a value, use '-- -x'") are English sentences, and a context added by
    // a newer clap is unknown here: such errors are left to clap.
    let known = [
        ContextKind::InvalidSubcommand,
        ContextKind::InvalidArg,
        ContextKind::PriorArg,
        ContextKind::ValidSubcommand,
        ContextKind::ValidValue,
        ContextKind::InvalidValue,
        ContextKind::ActualNumValues,
        ContextKind::ExpectedNumValues,
        ContextKind::MinValues,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
        ContextKind::TrailingArg,
        ContextKind::Usage,
    ];
    let understood = |kind, value: &ContextValue| {
        known.contains(&kind) || matches!(value, ContextValue::StyledStrs(tips) if tips.is_empty())
    };
    if err.context().any(|(kind, value)| !understood(kind, value)) {
        return None;
    }
    let mut text = t_in!(lang, "error-line", message = first_line(err, lang)?);
    let mut suggested = false;
    for (kind, what) in [
        (ContextKind::SuggestedSubcommand, "subcommand"),
        (ContextKind::SuggestedArg, "argument"),
        (ContextKind::SuggestedValue, "value"),
    ] {
        if let Some(value) = err.get(kind) {
            let suggestions = strings(value)?;
            text.push_str(if suggested { "\n" } else { "\n\n" });
            suggested = true;
            let tip = t_in!(
                lang,
                "usage-did-you-mean",
                what = what,
                count = suggestions.len(),
                suggestions = quoted(lang, &suggestions)
            );
            text.push_str(&format!("  {tip}"));
        }
    }
    if let Some(ContextValue::StyledStr(usage)) = err.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let line = usage.strip_prefix("Usage:").unwrap_or(&usage).trim_start();
        text.push_str(&format!("\n\n{} {line}", t_in!(lang, "help-heading-usage")));
    }
    text.push_str("\n\n");
    text.push_str(&t_in!(lang, "usage-more-information", help = "--help"));
    text.push('\n');
    Some(text)
}

/// The first line (and the lists that follow it), without the "error:" prefix.
fn first_line(err: &clap::Error, lang: Lang) -> Option<String> {
    let arg = || string(err.get(ContextKind::InvalidArg)?);
    let value = || string(err.get(ContextKind::InvalidValue)?);
    let number = |kind| match err.get(kind)? {
        ContextValue::Number(n) => Some(*n),
        _ => None,
    };
    let line = match err.kind() {
        ErrorKind::ArgumentConflict => {
            let arg = arg()?;
            match err.get(ContextKind::PriorArg) {
                Some(ContextValue::String(prior)) if *prior == arg => {
                    t_in!(lang, "usage-argument-repeated", arg = arg)
                }
                Some(ContextValue::String(prior)) => {
                    t_in!(lang, "usage-argument-conflict", arg = arg, other = prior.as_str())
                }
                Some(ContextValue::Strings(prior)) => {
                    let mut line = t_in!(lang, "usage-argument-conflicts", arg = arg);
                    for other in prior {
                        line.push_str(&format!("\n  {other}"));
                    }
                    line
                }
                _ => t_in!(lang, "usage-argument-conflict-others", arg = arg),
            }
        }
        ErrorKind::NoEquals => t_in!(lang, "usage-no-equals", arg = arg()?),
        ErrorKind::InvalidValue => {
            let (arg, value) = (arg()?, value()?);
            let mut line = if value.is_empty() {
                t_in!(lang, "usage-value-missing", arg = arg)
            } else {
                t_in!(lang, "usage-value-invalid", arg = arg, value = value)
            };
            if let Some(values) = err.get(ContextKind::ValidValue).and_then(strings).filter(|v| !v.is_empty()) {
                line.push_str("\n  ");
                line.push_str(&t_in!(lang, "help-possible-values-short", values = values.join(", ")));
            }
            line
        }
        ErrorKind::InvalidSubcommand => {
            t_in!(lang, "usage-unknown-subcommand", command = string(err.get(ContextKind::InvalidSubcommand)?)?)
        }
        ErrorKind::MissingRequiredArgument => {
            let mut line = t_in!(lang, "usage-missing-arguments");
            for missing in strings(err.get(ContextKind::InvalidArg)?)? {
                line.push_str(&format!("\n  {missing}"));
            }
            line
        }
        ErrorKind::MissingSubcommand => {
            let command = string(err.get(ContextKind::InvalidSubcommand)?)?;
            let mut line = t_in!(lang, "usage-missing-subcommand", command = command);
            if let Some(values) = err.get(ContextKind::ValidSubcommand).and_then(strings).filter(|v| !v.is_empty()) {
                line.push_str("\n  ");
                line.push_str(&t_in!(lang, "usage-subcommands", values = values.join(", ")));
            }
            line
        }
        ErrorKind::TooManyValues => t_in!(lang, "usage-too-many-values", arg = arg()?, value = value()?),
        ErrorKind::TooFewValues => t_in!(
            lang,
            "usage-too-few-values",
            arg = arg()?,
            min = number(ContextKind::MinValues)?,
            actual = number(ContextKind::ActualNumValues)?
        ),
        ErrorKind::WrongNumberOfValues => t_in!(
            lang,
            "usage-wrong-number-of-values",
            arg = arg()?,
            expected = number(ContextKind::ExpectedNumValues)?,
            actual = number(ContextKind::ActualNumValues)?
        ),
        ErrorKind::ValueValidation => {
            // The value parser's own reason (e.g. a number out of range) is a lower layer's text: it is shown as
            // clap gives it, inside the translated sentence.
            let reason = std::error::Error::source(err).map(ToString::to_string).unwrap_or_default();
            t_in!(lang, "usage-value-rejected", arg = arg()?, value = value()?, reason = reason)
        }
        ErrorKind::UnknownArgument => t_in!(lang, "usage-unknown-argument", arg = arg()?),
        ErrorKind::InvalidUtf8 => t_in!(lang, "usage-invalid-utf8"),
        _ => return None,
    };
    Some(line)
}

fn string(value: &ContextValue) -> Option<String> {
    match value {
        ContextValue::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn strings(value: &ContextValue) -> Option<Vec<String>> {
    match value {
        ContextValue::String(s) => Some(vec![s.clone()]),
        ContextValue::Strings(list) => Some(list.clone()),
        _ => None,
    }
}

/// Names as the catalogue quotes them: « a », « b ».
fn quoted(lang: Lang, names: &[String]) -> String {
    names.iter().map(|name| t_in!(lang, "usage-quoted", name = name.as_str())).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
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
