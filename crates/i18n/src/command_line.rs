//! A command line's `--help` and usage errors in the reader's language, where clap allows it (feature `clap`):
//! coffre's and coffred's, each with its own catalogue ids.
//!
//! clap's help texts come from the doc comments, in English, at compile time. For another language the command
//! is rebuilt at run time ([`localised_command`]): the language is chosen before parsing, and every command's
//! `about` (`<prefix>-cmd-<path>`), after-help text (`<prefix>-after-<path>`), every option's help
//! (`<prefix>-arg-<path>-<id>`), placeholder (`help-value-name`) and possible value
//! (`<prefix>-possible-<path>-<id>-<value>`) replaces the English one; clap's own words ("Usage", "Commands",
//! "Print help", "Possible values", "[default: …]", "[env: …]") are replaced through a help template, headings and
//! texts written again. `<prefix>` is `help` for coffre and `coffred-help` for coffred; each binary has a test that
//! walks its whole command tree ([`help_items`]) and fails if anything has no French text.
//!
//! clap's usage errors (an unknown option, a missing argument, a value that is not one of the choices) are
//! rendered from the catalogue (`usage-*`) by [`usage_message`]. An error whose context is not fully understood
//! here is left to clap, in English, rather than half translated. English readers always get clap's own text.

use std::ffi::OsString;

use clap::{
    Arg, ArgAction, Command,
    error::{ContextKind, ContextValue, ErrorKind},
};

use crate::{Lang, message, t_in};

/// The language of the help, decided before parsing: `--lang X` or `--lang=X` among the arguments, else the
/// environment ([`Lang::choose`]: `COFFRE_LANG`, `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`).
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

/// `cmd` with its help in `lang`, its texts from the catalogue ids that start with `prefix` (see the module's
/// documentation); English is clap's own, from the doc comments.
pub fn localised_command(cmd: Command, lang: Lang, prefix: &str) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    let mut cmd = localised(cmd, lang, prefix, "");
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

fn localised(mut cmd: Command, lang: Lang, prefix: &str, path: &str) -> Command {
    let text = |id: String| message(lang, &id, &[]);
    if path.is_empty() {
        if let Some(about) = text(format!("{prefix}-about")) {
            cmd = cmd.about(about);
        }
        if let Some(long_about) = text(format!("{prefix}-long-about")) {
            cmd = cmd.long_about(long_about);
        }
        if let Some(after) = text(format!("{prefix}-after-help")) {
            cmd = cmd.after_help(after);
        }
        if let Some(after) = text(format!("{prefix}-after-long-help")) {
            cmd = cmd.after_long_help(after);
        }
    } else {
        if let Some(about) = text(format!("{prefix}-cmd-{path}")) {
            // The English long description would follow the French one: the French about stands for both.
            cmd = cmd.about(about).long_about(None::<&str>);
        }
        if cmd.get_after_help().is_some()
            && let Some(after) = text(format!("{prefix}-after-{path}"))
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
        let key = if path.is_empty() { format!("{prefix}-arg-{id}") } else { format!("{prefix}-arg-{path}-{id}") };
        let help = text(key);
        let (global, options, arguments) = headings.clone();
        let possible_path =
            if path.is_empty() { format!("{prefix}-possible-{id}") } else { format!("{prefix}-possible-{path}-{id}") };
        cmd = cmd.mut_arg(id.as_str(), move |mut arg| {
            if let Some(help) = help {
                arg = arg.help(help).long_help(None::<&str>);
            }
            arg = with_values_and_defaults(arg, lang, &possible_path);
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
        cmd = cmd.mut_subcommand(name.as_str(), |sub| localised(sub, lang, prefix, &sub_path));
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

/// clap writes an option's possible values ("Possible values: - csv: …"), its default ("[default: …]") and its
/// environment variable ("[env: NAME=]") in English, with the values' English descriptions: for another language
/// they are hidden and written again from the catalogue, after the option's help. A value's description is
/// `<prefix>-possible-<path>-<id>-<value>` (`path` here). The values themselves are what people type, so they stay
/// as they are.
fn with_values_and_defaults(mut arg: Arg, lang: Lang, path: &str) -> Arg {
    let Some(help) = arg.get_help().map(ToString::to_string) else {
        return arg;
    };
    let env = arg.get_env().filter(|_| !arg.is_hide_env_set()).map(|name| name.to_string_lossy().into_owned());
    if !arg.get_action().takes_values() {
        return match env {
            Some(name) => arg.help(format!("{help} {}", t_in!(lang, "help-env", name = name))).hide_env(true),
            None => arg,
        };
    }
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
                let id = format!("{path}-{name}");
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
    if let Some(name) = env {
        let env = t_in!(lang, "help-env", name = name);
        short.push(' ');
        short.push_str(&env);
        long.push_str(if long.contains('\n') { "\n\n" } else { " " });
        long.push_str(&env);
        arg = arg.hide_env(true);
    }
    if short == long { arg.help(short) } else { arg.help(short).long_help(long) }
}

/// A placeholder of the usage line (`FILE`, `PLATFORM`) in `lang`: `help-value-name`, chosen by the name's key
/// (lower case, dashes for anything else than letters and digits: `LABEL=age1...` is `label-age1`).
fn value_name(lang: Lang, name: &str) -> String {
    let key = value_key(name);
    message(lang, "help-value-name", &[("key", key), ("name", name.to_owned())]).unwrap_or_else(|| name.to_owned())
}

/// The key of a placeholder in `help-value-name`: lower case, dashes for anything else than letters and digits.
pub fn value_key(name: &str) -> String {
    let lower: String = name.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    lower.split('-').filter(|piece| !piece.is_empty()).collect::<Vec<_>>().join("-")
}

/// The whole message for `err` in `lang`, as clap would print it to standard error, or `None` when clap's own
/// English should be printed (English chosen, help or version asked for, or a context this module does not know).
pub fn usage_message(err: &clap::Error, lang: Lang) -> Option<String> {
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

/// Every command below the root and every argument of `cmd`, as the catalogue id of its help text (ids starting
/// with `prefix`) and the command or argument itself, walking the whole tree: for the tests that check a command
/// line has its help in every language. clap's own `--help`/`--version` flags (which [`localised_command`] declares
/// again, in the reader's language) are left out.
pub fn help_items<'a>(cmd: &'a Command, prefix: &str) -> Vec<(String, HelpItem<'a>)> {
    let mut out = Vec::new();
    walk(cmd, prefix, "", &mut out);
    out
}

fn walk<'a>(cmd: &'a Command, prefix: &str, path: &str, out: &mut Vec<(String, HelpItem<'a>)>) {
    if !path.is_empty() {
        out.push((format!("{prefix}-cmd-{path}"), HelpItem::Command(cmd)));
        if cmd.get_after_help().is_some() {
            out.push((format!("{prefix}-after-{path}"), HelpItem::After(cmd)));
        }
    }
    // clap's own flags, and (in a built command) the global options it copied into every subcommand.
    let clap_own = |arg: &&Arg| {
        matches!(arg.get_action(), ArgAction::Help | ArgAction::Version) || (!path.is_empty() && arg.is_global_set())
    };
    for arg in cmd.get_arguments().filter(|arg| !clap_own(arg)) {
        let id = arg.get_id();
        let key = if path.is_empty() { format!("{prefix}-arg-{id}") } else { format!("{prefix}-arg-{path}-{id}") };
        for value in arg.get_possible_values().iter().filter(|value| value.get_help().is_some()) {
            let name = value.get_name();
            let owner = if path.is_empty() { id.to_string() } else { format!("{path}-{id}") };
            out.push((format!("{prefix}-possible-{owner}-{name}"), HelpItem::Possible(arg, name.to_owned())));
        }
        out.push((key, HelpItem::Arg(arg)));
    }
    // clap's own `help` subcommand (in a built command) has one text, `help-subcommand-help`.
    for sub in cmd.get_subcommands().filter(|sub| sub.get_name() != "help") {
        let name = sub.get_name();
        walk(sub, prefix, &if path.is_empty() { name.to_owned() } else { format!("{path}-{name}") }, out);
    }
}

/// What of a command line is not in French, one line each, for the test of each binary: `english` is the command
/// as clap builds it, `french` the same rebuilt by [`localised_command`] for [`Lang::FrCa`], their texts under
/// `prefix`. A command, option or possible value with no French text (or shown in English), and a placeholder that
/// reads the same in both languages unless it is one of `same_in_french` (`URL`), are listed; so is a French
/// command line whose commands and options are not the English one's.
pub fn untranslated(english: &Command, french: &Command, prefix: &str, same_in_french: &[&str]) -> Vec<String> {
    let (english_items, french_items) = (help_items(english, prefix), help_items(french, prefix));
    let mut missing = Vec::new();
    if english_items.len() != french_items.len() {
        missing.push(format!("{} help texts in English, {} in French", english_items.len(), french_items.len()));
    }
    for ((id, item), (french_id, french_item)) in english_items.iter().zip(&french_items) {
        if id != french_id {
            missing.push(format!("{id}: the French command line has {french_id} there"));
            continue;
        }
        let Some(english) = item.help() else {
            missing.push(format!("{id}: no English help (a doc comment) either"));
            continue;
        };
        match message(Lang::FrCa, id, &[]) {
            None => missing.push(format!("{id} = {english}")),
            Some(text) if matches!(item, HelpItem::Possible(..)) => {
                let shown = french_item.long_help().unwrap_or_default();
                if !shown.contains(&text) || shown.contains("Possible values") {
                    missing.push(format!("{id} is not shown in French, or clap's English list is shown too: {shown}"));
                }
            }
            Some(text) => {
                // An option's possible values and default follow its help.
                let shown = french_item.help().unwrap_or_default();
                if !shown.starts_with(&text) {
                    missing.push(format!("{id} is not shown in French: {shown}"));
                }
                if text == english {
                    missing.push(format!("{id} is the English text"));
                }
            }
        }
        for (name, french_name) in item.value_names().iter().zip(french_item.value_names()) {
            if !same_in_french.contains(&name.as_str()) && *name == french_name {
                missing.push(format!("{id}: the placeholder {name} (help-value-name, [{}])", value_key(name)));
            }
        }
    }
    missing
}

/// A command, its after-help text, an argument or one of an argument's possible values (by name), as
/// [`help_items`] finds them.
pub enum HelpItem<'a> {
    /// A command's `about`.
    Command(&'a Command),
    /// A command's after-help text.
    After(&'a Command),
    /// An argument's help.
    Arg(&'a Arg),
    /// A possible value of an option, by name.
    Possible(&'a Arg, String),
}

impl HelpItem<'_> {
    /// The help text clap shows for it (short).
    pub fn help(&self) -> Option<String> {
        match self {
            HelpItem::Command(cmd) => cmd.get_about().map(ToString::to_string),
            HelpItem::After(cmd) => cmd.get_after_help().map(ToString::to_string),
            HelpItem::Arg(arg) => arg.get_help().map(ToString::to_string),
            HelpItem::Possible(arg, name) => arg
                .get_possible_values()
                .iter()
                .find(|value| value.get_name() == name)
                .and_then(|value| value.get_help().map(ToString::to_string)),
        }
    }

    /// What `--help` shows for it.
    pub fn long_help(&self) -> Option<String> {
        match self {
            HelpItem::Possible(arg, _) => arg.get_long_help().or(arg.get_help()).map(ToString::to_string),
            _ => self.help(),
        }
    }

    /// Its placeholders (`FILE`), for an argument that takes values.
    pub fn value_names(&self) -> Vec<String> {
        match self {
            HelpItem::Arg(arg) if arg.get_action().takes_values() => {
                arg.get_value_names().unwrap_or_default().iter().map(ToString::to_string).collect()
            }
            HelpItem::Arg(_) => Vec::new(),
            HelpItem::Command(_) | HelpItem::After(_) | HelpItem::Possible(..) => Vec::new(),
        }
    }
}
