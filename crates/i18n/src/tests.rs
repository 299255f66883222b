use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::{ast, parser};
use jiff::tz::TimeZone;

use super::*;
use crate::time::{end_of_day_in, local_time_in, start_of_day_in};

/// Every message id of a catalogue file with the names of the variables it uses (its own, and those of the messages
/// it references, as `fl!` counts them), and its text with variables, placeables and white space removed (to compare
/// languages).
fn catalogue(lang: Lang) -> BTreeMap<String, (BTreeSet<String>, String)> {
    let path = format!("{}/i18n/{}/coffre.ftl", env!("CARGO_MANIFEST_DIR"), lang.tag());
    let source = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    let resource = parser::parse(source.as_str()).unwrap_or_else(|(_, errors)| panic!("{path}: {errors:?}"));
    let mut messages = BTreeMap::new();
    let mut references: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in resource.body {
        if let ast::Entry::Message(message) = entry {
            let mut found = Found::default();
            if let Some(pattern) = &message.value {
                walk_pattern(pattern, &mut found);
            }
            references.insert(message.id.name.to_owned(), found.references);
            messages.insert(message.id.name.to_owned(), (found.variables, found.text));
        }
    }
    // The variables of referenced messages, until nothing changes (references do not loop in a valid catalogue).
    loop {
        let mut changed = false;
        for (id, referenced) in &references {
            let inherited: BTreeSet<String> =
                referenced.iter().filter_map(|r| messages.get(r)).flat_map(|(v, _)| v.iter().cloned()).collect();
            if let Some((variables, _)) = messages.get_mut(id) {
                for variable in inherited {
                    changed |= variables.insert(variable);
                }
            }
        }
        if !changed {
            break;
        }
    }
    messages
}

/// What a message's pattern holds.
#[derive(Default)]
struct Found {
    variables: BTreeSet<String>,
    references: BTreeSet<String>,
    text: String,
}

fn walk_pattern(pattern: &ast::Pattern<&str>, found: &mut Found) {
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => found.text.push_str(value),
            ast::PatternElement::Placeable { expression } => walk_expression(expression, found),
        }
    }
}

fn walk_expression(expression: &ast::Expression<&str>, found: &mut Found) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            walk_inline(selector, found);
            for variant in variants {
                walk_pattern(&variant.value, found);
            }
        }
        ast::Expression::Inline(inline) => walk_inline(inline, found),
    }
}

fn walk_inline(inline: &ast::InlineExpression<&str>, found: &mut Found) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            found.variables.insert(id.name.to_owned());
        }
        ast::InlineExpression::MessageReference { id, .. } => {
            found.references.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => walk_expression(expression, found),
        _ => {}
    }
}

#[test]
fn french_has_every_english_message_with_the_same_arguments() {
    let english = catalogue(Lang::En);
    let french = catalogue(Lang::FrCa);
    assert!(english.len() > 40, "the catalogue was read: {} messages", english.len());
    let missing: Vec<&String> = english.keys().filter(|id| !french.contains_key(*id)).collect();
    assert!(missing.is_empty(), "missing in fr-CA: {missing:?}");
    let extra: Vec<&String> = french.keys().filter(|id| !english.contains_key(*id)).collect();
    assert!(extra.is_empty(), "in fr-CA but not in en: {extra:?}");
    for (id, (variables, _)) in &english {
        let french_variables = french.get(id).map(|(v, _)| v);
        assert_eq!(Some(variables), french_variables, "arguments of {id}");
    }
}

#[test]
fn no_french_message_is_left_in_english() {
    // Words that are the same in both languages on their own, and problems that only pass on another message
    // (`policy-*`) or a lower layer's detail, whose translation is the message they pass on.
    let same_in_both = [
        "status-session",
        "import-versions",
        "help-heading-options",
        "help-heading-arguments",
        // Only punctuation: a possible value's name, a colon (after a no-break space in French), its text.
        "help-possible-value",
        // Only punctuation too: a failure's context, a colon, its cause (coffred's failure line).
        "coffred-failed-because",
        // The text an older coffred wrote in the entry at an offboarding, in English (DueDetail::OffboardedAsWritten).
        "rotation-detail-offboarded",
        // The organisation's own name, and a word both languages spell alike.
        "web-registry-of",
        "web-registry-url",
        // A time and its offset from UTC, which both languages write alike.
        "time-in-words-offset",
        "daemon-problem-kdf-out-of-bounds",
        "daemon-problem-holder-key",
        "daemon-problem-share-unreadable",
        "daemon-problem-shares-do-not-combine",
    ];
    let passes_on = |id: &str| id.starts_with("daemon-problem-policy-");
    let english = catalogue(Lang::En);
    let french = catalogue(Lang::FrCa);
    let normalise = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ").replace('\u{a0}', " ");
    for (id, (_, text)) in &english {
        if same_in_both.contains(&id.as_str()) || passes_on(id) || text.trim().is_empty() {
            continue;
        }
        let french_text = french.get(id).map(|(_, t)| normalise(t)).unwrap_or_default();
        assert_ne!(normalise(text), french_text, "{id} is still in English in fr-CA");
    }
}

#[test]
fn french_typography_puts_a_non_breaking_space_before_colons() {
    let source =
        std::fs::read_to_string(format!("{}/i18n/fr-CA/coffre.ftl", env!("CARGO_MANIFEST_DIR"))).unwrap_or_default();
    for line in source.lines().filter(|l| !l.starts_with('#')) {
        // Outside code spans and URIs, " :" with an ordinary space is a typo in French.
        assert!(!line.contains(" :"), "ordinary space before a colon: {line}");
        assert!(!line.contains(" ?") && !line.contains(" !") && !line.contains(" ;"), "ordinary space: {line}");
    }
}

/// The catalogue writes "unique ?" with a narrow no-break space almost everywhere; a question mark, exclamation mark
/// or semicolon stuck to its word ("unique?", "annulé;") is the same typo the other way, and reads as a mix of
/// styles. Likewise « guillemets » with ordinary spaces, which a line can break from their text.
#[test]
fn french_typography_puts_a_non_breaking_space_before_question_marks_and_semicolons() {
    let source =
        std::fs::read_to_string(format!("{}/i18n/fr-CA/coffre.ftl", env!("CARGO_MANIFEST_DIR"))).unwrap_or_default();
    for line in source.lines().filter(|l| !l.trim_start().starts_with('#')) {
        // Code spans (`coffre login ?`) and URIs keep their own characters.
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let prose: String = prose.split_whitespace().filter(|word| !word.contains("://")).collect::<Vec<_>>().join(" ");
        let mut previous = ' ';
        for c in prose.chars() {
            if matches!(c, '?' | '!' | ';') {
                assert!(matches!(previous, ' ' | '\u{a0}' | '\u{202f}'), "no space before {c:?}: {line}");
            }
            previous = c;
        }
        // Guillemets hold their text between no-break spaces, so that « and » never end or start a line alone.
        for (at, _) in line.match_indices('«') {
            let next = line[at + '«'.len_utf8()..].chars().next();
            assert!(matches!(next, Some('\u{a0}' | '\u{202f}')), "no no-break space after «: {line}");
        }
        for (at, _) in line.match_indices('»') {
            let before = line[..at].chars().next_back();
            assert!(matches!(before, Some('\u{a0}' | '\u{202f}')), "no no-break space before »: {line}");
        }
    }
}

#[test]
fn the_loaders_speak_their_language_without_isolation_marks() {
    let en = loader(Lang::En).get("answer-yes");
    let fr = loader(Lang::FrCa).get("answer-yes");
    assert_eq!((en.as_str(), fr.as_str()), ("yes", "oui"));
    let with_argument = t_in!(Lang::FrCa, "logout-not-logged-in-to", server = "https://h:1");
    assert_eq!(with_argument, "Vous n’étiez pas connecté à https://h:1.");
    assert!(!with_argument.contains('\u{2068}') && !with_argument.contains('\u{2069}'));
    let role = t_in!(Lang::FrCa, "role-name", role = "access-manager");
    assert_eq!(role, "responsable des accès");
}

/// An environment of `pairs`, for [`Lang::choose`].
fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
}

#[test]
fn the_language_follows_flag_then_coffre_lang_then_the_locale() {
    assert_eq!(Lang::choose(None, env(&[])), Lang::En);
    assert_eq!(Lang::choose(None, env(&[("LANG", "fr_CA.UTF-8")])), Lang::FrCa);
    assert_eq!(Lang::choose(None, env(&[("LANG", "fr_FR.UTF-8")])), Lang::FrCa);
    assert_eq!(Lang::choose(None, env(&[("LANG", "fr")])), Lang::FrCa);
    assert_eq!(Lang::choose(None, env(&[("LANG", "C.UTF-8")])), Lang::En);
    assert_eq!(Lang::choose(None, env(&[("LANG", "fr_CA.UTF-8"), ("LC_MESSAGES", "en_US.UTF-8")])), Lang::En);
    assert_eq!(Lang::choose(None, env(&[("LC_MESSAGES", "en_US"), ("LC_ALL", "fr_CA")])), Lang::FrCa);
    assert_eq!(Lang::choose(None, env(&[("LC_ALL", ""), ("LANG", "fr_CA")])), Lang::FrCa, "empty means unset");
    assert_eq!(Lang::choose(None, env(&[("COFFRE_LANG", "en"), ("LC_ALL", "fr_CA")])), Lang::En);
    assert_eq!(Lang::choose(Some("fr"), env(&[("COFFRE_LANG", "en")])), Lang::FrCa);
    assert_eq!(Lang::choose(Some("de"), env(&[("COFFRE_LANG", "fr")])), Lang::En, "unknown → English");
}

/// A desktop whose display language is French and whose formats are English sets `LANGUAGE=fr_CA:fr` beside
/// `LANG=en_CA.UTF-8`: gettext's programs speak French there, and so does coffre.
#[test]
fn the_language_list_of_gnu_gettext_comes_before_the_locale_unless_the_locale_is_c() {
    assert_eq!(Lang::choose(None, env(&[("LANGUAGE", "fr_CA:fr"), ("LANG", "en_CA.UTF-8")])), Lang::FrCa);
    assert_eq!(Lang::choose(None, env(&[("LANGUAGE", "en_CA:en"), ("LC_ALL", "fr_CA.UTF-8")])), Lang::En);
    assert_eq!(
        Lang::choose(None, env(&[("LANGUAGE", "de_DE:fr:en"), ("LANG", "en_US.UTF-8")])),
        Lang::FrCa,
        "a language coffre does not speak is passed over"
    );
    assert_eq!(
        Lang::choose(None, env(&[("LANGUAGE", "de:es"), ("LANG", "fr_CA.UTF-8")])),
        Lang::FrCa,
        "none of the list spoken: the locale decides"
    );
    assert_eq!(Lang::choose(None, env(&[("LANGUAGE", ":"), ("LANG", "fr_CA.UTF-8")])), Lang::FrCa);
    for c in ["C", "C.UTF-8", "POSIX"] {
        let pairs = [("LANGUAGE", "fr_CA:fr"), ("LANG", c)];
        assert_eq!(Lang::choose(None, env(&pairs)), Lang::En, "the C locale ({c}) ignores LANGUAGE, as gettext does");
    }
    assert_eq!(Lang::choose(None, env(&[("LANGUAGE", "fr")])), Lang::En, "no locale is the C locale");
    assert_eq!(Lang::choose(None, env(&[("COFFRE_LANG", "en"), ("LANGUAGE", "fr"), ("LANG", "fr_CA")])), Lang::En);
    assert_eq!(Lang::choose(Some("en"), env(&[("LANGUAGE", "fr"), ("LANG", "fr_CA")])), Lang::En);
}

#[test]
fn both_tags_are_valid_language_identifiers() {
    for lang in Lang::ALL {
        assert_eq!(lang.identifier().to_string(), lang.tag());
    }
}

#[test]
fn yes_is_yes_in_both_languages() {
    for yes in ["yes", "Y", "oui", "OUI", " o\n"] {
        assert!(is_yes(yes), "{yes:?}");
    }
    for no in ["", "non", "n", "no", "ouais?", "yes please"] {
        assert!(!is_yes(no), "{no:?}");
    }
}

#[test]
fn times_are_local_with_their_offset() {
    // A POSIX TZ rule needs no time zone database, so this holds on any machine.
    let montreal = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").expect("a valid rule");
    // 2027-01-01T00:00:00Z is 19:00 the day before in Montréal (winter, UTC-5).
    assert_eq!(local_time_in(&montreal, 1_798_761_600).as_deref(), Some("2026-12-31 19:00 -05:00"));
    assert_eq!(local_time_in(&TimeZone::UTC, 1_798_761_600).as_deref(), Some("2027-01-01 00:00 +00:00"));
    assert_eq!(local_time_in(&montreal, i64::MAX), None);
}

#[test]
fn elapsed_times_are_said_in_the_unit_people_read() {
    assert_eq!(
        [0, 119, 120, 7199, 7200, u64::MAX].map(crate::elapsed),
        ["0 s", "119 s", "2 min", "119 min", "2 h", format!("{} h", u64::MAX / 3600).as_str()]
    );
}

#[test]
fn a_typed_date_means_the_end_of_that_local_day() {
    let montreal = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").expect("a valid rule");
    // 2026-12-31 23:59:59 in Montréal is 2027-01-01 04:59:59 UTC.
    assert_eq!(end_of_day_in(&montreal, "2026-12-31"), Some(1_798_761_600 + 5 * 3600 - 1));
    assert_eq!(end_of_day_in(&TimeZone::UTC, "2026-12-31"), Some(1_798_761_600 - 1));
    // Summer time: UTC-4.
    assert_eq!(
        end_of_day_in(&montreal, "2026-07-01"),
        end_of_day_in(&TimeZone::UTC, "2026-07-01").map(|t| t + 4 * 3600)
    );
    assert_eq!(end_of_day_in(&montreal, "2026-02-30"), None);
    assert_eq!(start_of_day_in(&montreal, "2027-01-01"), end_of_day_in(&montreal, "2026-12-31").map(|t| t + 1));
    assert_eq!(start_of_day_in(&TimeZone::UTC, "2027-01-01"), Some(1_798_761_600));
    assert_eq!(end_of_day_in(&montreal, "tomorrow"), None);
}

#[test]
fn messages_chosen_at_run_time_render_their_arguments_or_say_they_are_unknown() {
    let args = [("seconds", "4".to_owned())];
    assert_eq!(
        message(Lang::FrCa, "daemon-throttled", &args).as_deref(),
        Some("trop de tentatives\u{a0}: réessayez dans 4 s")
    );
    assert_eq!(message(Lang::En, "daemon-throttled", &args).as_deref(), Some("too many attempts: try again in 4 s"));
    assert_eq!(message(Lang::FrCa, "daemon-no-such-code", &args), None, "a code from a newer daemon");
}

#[test]
fn counts_agree_with_their_nouns_in_each_languages_plural_rule() {
    let said = |lang, n| counted(lang, "web-recovery-in-progress", "count", n).expect("in the catalogue");
    assert_eq!(said(Lang::En, 1), "A recovery is in progress: 1 share submitted,");
    assert_eq!(said(Lang::En, 0), "A recovery is in progress: 0 shares submitted,");
    assert_eq!(said(Lang::En, 2), "A recovery is in progress: 2 shares submitted,");
    // French counts 0 and 1 as one ("0 part soumise"), unlike English.
    assert_eq!(said(Lang::FrCa, 0), "Une récupération est en cours\u{a0}: 0 part soumise,");
    assert_eq!(said(Lang::FrCa, 1), "Une récupération est en cours\u{a0}: 1 part soumise,");
    assert_eq!(said(Lang::FrCa, 3), "Une récupération est en cours\u{a0}: 3 parts soumises,");
    // Through the compile-time checked macro, with a number as the argument.
    let offboarded = |lang| t_in!(lang, "person-offboarded", name = "Dave", sessions = 1u32, grants = 0u32);
    assert_eq!(
        offboarded(Lang::En),
        "Offboarded Dave: account disabled (its history is kept), 1 session ended, 0 live grants revoked."
    );
    assert!(
        offboarded(Lang::FrCa).contains("1 session terminée, 0 accès actif révoqué."),
        "{}",
        offboarded(Lang::FrCa)
    );
}

#[test]
fn decimals_use_the_readers_decimal_sign() {
    assert_eq!(tenths(Lang::En, 2.54), "2.5");
    assert_eq!(tenths(Lang::FrCa, 2.54), "2,5");
    assert_eq!(tenths(Lang::FrCa, 12.0), "12,0");
}
