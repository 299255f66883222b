//! `--help` (and the manual page) in the reader's language, where clap allows it.
//!
//! clap's help texts come from the doc comments, in English, at compile time. For another language the command
//! is rebuilt at run time: the language is chosen before parsing (`--lang`, then the environment, as for every
//! other message), and every command's `about` (`help-cmd-<path>`), after-help text (`help-after-<path>`), every
//! option's help (`help-arg-<path>-<id>`), placeholder (`help-value-name`) and possible value
//! (`help-possible-<path>-<id>-<value>`) replaces the English one; clap's own words ("Usage", "Commands",
//! "Print help", "Possible values", "[default: …]") are replaced through a help template, headings and texts
//! written again. A test walks the whole command tree and fails if anything has no French text.
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
    if lang == Lang::En {
        return cmd;
    }
    let mut cmd = localised(cmd, lang, "");
    // clap adds its `help` subcommand, described in English, only when the command is built: build it, then
    // describe it in the reader's language wherever it was added.
    cmd.build();
    help_subcommands(cmd, &t_in!(lang, "help-subcommand-help"))
}

/// `cmd` with the `help` subcommand clap added to it and to each of its subcommands described as `about`.
fn help_subcommands(mut cmd: Command, about: &str) -> Command {
    let names: Vec<String> = cmd.get_subcommands().map(|sub| sub.get_name().to_owned()).collect();
    for name in names {
        cmd = if name == "help" {
            cmd.mut_subcommand("help", |help| help.about(about.to_owned()))
        } else {
            cmd.mut_subcommand(name.as_str(), |sub| help_subcommands(sub, about))
        };
    }
    cmd
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
    } else {
        if let Some(about) = text(format!("help-cmd-{path}")) {
            // The English long description would follow the French one: the French about stands for both.
            cmd = cmd.about(about).long_about(None::<&str>);
        }
        if cmd.get_after_help().is_some()
            && let Some(after) = text(format!("help-after-{path}"))
        {
            cmd = cmd.after_help(after);
        }
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
        let possible_path = if path.is_empty() { id.clone() } else { format!("{path}-{id}") };
        cmd = cmd.mut_arg(id.as_str(), move |mut arg| {
            if let Some(help) = help {
                arg = arg.help(help).long_help(None::<&str>);
            }
            arg = with_possible_values(arg, lang, &possible_path);
            if let Some(names) =
                arg.get_value_names().filter(|names| !names.is_empty() && arg.get_action().takes_values())
            {
                let names: Vec<String> = names.iter().map(|name| value_name(lang, name.as_str())).collect();
                arg = arg.value_names(names);
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
        .subcommand_value_name(value_name(lang, "COMMAND"))
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

/// clap writes an option's possible values ("Possible values: - csv: …") and its default ("[default: …]") in
/// English, with the values' English descriptions: for another language they are hidden and written again from the
/// catalogue, after the option's help. A value's description is `help-possible-<path>-<id>-<value>`. The values
/// themselves are what people type, so they stay as they are.
fn with_possible_values(mut arg: Arg, lang: Lang, path: &str) -> Arg {
    let Some(help) = arg.get_help().map(ToString::to_string).filter(|_| arg.get_action().takes_values()) else {
        return arg;
    };
    let values: Vec<_> = arg.get_possible_values().into_iter().filter(|value| !value.is_hide_set()).collect();
    let mut short = help.clone();
    let mut long = help;
    if !values.is_empty() && !arg.is_hide_possible_values_set() {
        let names: Vec<&str> = values.iter().map(|value| value.get_name()).collect();
        short.push(' ');
        short.push_str(&t_in!(lang, "help-possible-values-short", values = names.join(", ")));
        let described: Vec<(&str, String)> = values
            .iter()
            .filter(|value| value.get_help().is_some())
            .map(|value| {
                let name = value.get_name();
                let id = format!("help-possible-{path}-{name}");
                let text =
                    message(lang, &id, &[]).or_else(|| value.get_help().map(ToString::to_string)).unwrap_or_default();
                (name, text)
            })
            .collect();
        if described.is_empty() {
            long = short.clone();
        } else {
            let width = described.iter().map(|(name, _)| name.chars().count()).max().unwrap_or(0);
            long.push_str("\n\n");
            long.push_str(&t_in!(lang, "help-possible-values-long"));
            for (name, text) in described {
                let padding = " ".repeat(width - name.chars().count());
                long.push_str(&format!("\n- {name}{padding}{}", t_in!(lang, "help-possible-value", text = text)));
            }
        }
        arg = arg.hide_possible_values(true);
    }
    let defaults: Vec<String> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() {
        let default = t_in!(lang, "help-default", value = defaults.join(", "));
        short.push(' ');
        short.push_str(&default);
        long.push_str(if long.contains('\n') { "\n\n" } else { " " });
        long.push_str(&default);
        arg = arg.hide_default_value(true);
    }
    if short == long { arg.help(short) } else { arg.help(short).long_help(long) }
}

/// A placeholder of the usage line (`FILE`, `PLATFORM`) in `lang`: `help-value-name`, chosen by the name's key
/// (lower case, dashes for anything else than letters and digits: `LABEL=age1...` is `label-age1`).
fn value_name(lang: Lang, name: &str) -> String {
    let key = value_key(name);
    message(lang, "help-value-name", &[("key", key), ("name", name.to_owned())]).unwrap_or_else(|| name.to_owned())
}

fn value_key(name: &str) -> String {
    let lower: String = name.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    lower.split('-').filter(|piece| !piece.is_empty()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
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
        let mut walked = Vec::new();
        every_help_id(&cli, "", &mut walked);
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

    /// Every command below the root and every argument of coffre's command line, as the catalogue id of its help
    /// text and the command or argument itself, walking the whole tree. clap's own `--help`/`--version` flags (which
    /// `localised` declares again, in French) are left out.
    fn every_help_id<'a>(cmd: &'a Command, path: &str, out: &mut Vec<(String, Item<'a>)>) {
        if !path.is_empty() {
            out.push((format!("help-cmd-{path}"), Item::Command(cmd)));
            if cmd.get_after_help().is_some() {
                out.push((format!("help-after-{path}"), Item::After(cmd)));
            }
        }
        // clap's own flags, and (in a built command) the global options it copied into every subcommand.
        let clap_own = |arg: &&Arg| {
            matches!(arg.get_action(), ArgAction::Help | ArgAction::Version)
                || (!path.is_empty() && arg.is_global_set())
        };
        for arg in cmd.get_arguments().filter(|arg| !clap_own(arg)) {
            let id = arg.get_id();
            let key = if path.is_empty() { format!("help-arg-{id}") } else { format!("help-arg-{path}-{id}") };
            for value in arg.get_possible_values().iter().filter(|value| value.get_help().is_some()) {
                let name = value.get_name();
                let owner = if path.is_empty() { id.to_string() } else { format!("{path}-{id}") };
                out.push((format!("help-possible-{owner}-{name}"), Item::Possible(arg, name.to_owned())));
            }
            out.push((key, Item::Arg(arg)));
        }
        // clap's own `help` subcommand (in a built command) has one text, `help-subcommand-help`.
        for sub in cmd.get_subcommands().filter(|sub| sub.get_name() != "help") {
            let name = sub.get_name();
            every_help_id(sub, &if path.is_empty() { name.to_owned() } else { format!("{path}-{name}") }, out);
        }
    }

    enum Item<'a> {
        Command(&'a Command),
        After(&'a Command),
        Arg(&'a Arg),
        /// A possible value of an option, by name.
        Possible(&'a Arg, String),
    }

    impl Item<'_> {
        fn help(&self) -> Option<String> {
            match self {
                Item::Command(cmd) => cmd.get_about().map(ToString::to_string),
                Item::After(cmd) => cmd.get_after_help().map(ToString::to_string),
                Item::Arg(arg) => arg.get_help().map(ToString::to_string),
                Item::Possible(arg, name) => arg
                    .get_possible_values()
                    .iter()
                    .find(|value| value.get_name() == name)
                    .and_then(|value| value.get_help().map(ToString::to_string)),
            }
        }

        /// What `--help` shows for it.
        fn long_help(&self) -> Option<String> {
            match self {
                Item::Possible(arg, _) => arg.get_long_help().or(arg.get_help()).map(ToString::to_string),
                _ => self.help(),
            }
        }

        fn value_names(&self) -> Vec<String> {
            match self {
                Item::Arg(arg) if arg.get_action().takes_values() => {
                    arg.get_value_names().unwrap_or_default().iter().map(ToString::to_string).collect()
                }
                Item::Arg(_) => Vec::new(),
                Item::Command(_) | Item::After(_) | Item::Possible(..) => Vec::new(),
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
        let mut english_ids = Vec::new();
        every_help_id(&english, "", &mut english_ids);
        assert!(english_ids.len() > 100, "{}", english_ids.len());
        let french = command(Lang::FrCa);
        let mut french_ids = Vec::new();
        every_help_id(&french, "", &mut french_ids);
        let mut missing = Vec::new();
        for ((id, item), (french_id, french_item)) in english_ids.iter().zip(&french_ids) {
            assert_eq!(id, french_id, "the French command line has the same commands and options");
            let Some(english) = item.help() else {
                missing.push(format!("{id}: no English help (a doc comment) either"));
                continue;
            };
            match message(Lang::FrCa, id, &[]) {
                None => missing.push(format!("{id} = {english}")),
                Some(text) if matches!(item, Item::Possible(..)) => {
                    let shown = french_item.long_help().unwrap_or_default();
                    assert!(shown.contains(&text), "{id} is not shown in French: {shown}");
                    assert!(!shown.contains("Possible values"), "{id}: clap's English list is shown too: {shown}");
                }
                Some(text) => {
                    // An option's possible values and default follow its help.
                    let shown = french_item.help().unwrap_or_default();
                    assert!(shown.starts_with(&text), "{id} is not shown in French: {shown}");
                    assert_ne!(text, english, "{id} is the English text");
                }
            }
            for (name, french_name) in item.value_names().iter().zip(french_item.value_names()) {
                if !SAME_IN_FRENCH.contains(&name.as_str()) && *name == french_name {
                    missing.push(format!("{id}: the placeholder {name} (help-value-name, [{}])", value_key(name)));
                }
            }
        }
        assert_eq!(english_ids.len(), french_ids.len());
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
