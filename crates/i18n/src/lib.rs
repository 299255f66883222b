//! coffre's message catalogue: every sentence a person reads, in fr-CA and English, from one Fluent catalogue
//! (`i18n/en/coffre.ftl`, `i18n/fr-CA/coffre.ftl`) shared by the client and the daemon.
//!
//! Binaries choose the language once at start ([`Lang::choose`], then [`set_current`]) and write messages with
//! [`t!`], whose message ids and argument names are checked against the English catalogue at compile time
//! (`i18n-embed-fl`; each calling crate has an `i18n.toml` that points at this crate's catalogue). A test checks
//! that the French catalogue has the same ids and arguments. Times for people are shown in the local time zone
//! ([`local_time`]); dates people type mean the end of that day in local time ([`end_of_local_day`]).
//!
//! # Example
//!
//! ```
//! use coffre_i18n::{Lang, t};
//!
//! let lang = Lang::choose(None, |name| (name == "LANG").then(|| "fr_CA.UTF-8".to_owned()));
//! assert_eq!(lang, Lang::FrCa);
//! coffre_i18n::set_current(lang);
//! assert!(coffre_i18n::is_yes("oui"));
//! assert_eq!(t!("answer-yes"), "oui");
//! ```

#![deny(missing_docs)]

#[cfg(feature = "clap")]
pub mod command_line;
mod time;

use std::sync::{LazyLock, OnceLock};

use i18n_embed::{LanguageLoader, fluent::FluentLanguageLoader, unic_langid::LanguageIdentifier};
use rust_embed::RustEmbed;

pub use crate::time::{Zone, end_of_local_day, local_time, start_of_local_day, time_in_words};
#[doc(hidden)]
pub use i18n_embed_fl;

/// The catalogue's files, embedded in the binary (in debug builds too, so an installed binary never looks for them
/// on disk).
#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Catalogue;

/// The Fluent domain: the catalogue's file name, `coffre.ftl`.
const DOMAIN: &str = "coffre";

/// A language coffre speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English, the fallback.
    En,
    /// Canadian French, for every French locale (fr_CA, fr_FR, fr...).
    FrCa,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::FrCa];

    /// The language a locale or language tag names: `fr_CA.UTF-8`, `fr-FR`, `fr` and any other French one are
    /// fr-CA; anything else that is not empty is English. `None` for an empty value (look further).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let language = language_of(tag);
        if language.is_empty() {
            return None;
        }
        Some(if language.eq_ignore_ascii_case("fr") { Lang::FrCa } else { Lang::En })
    }

    /// The language to speak: `flag` (`--lang`), then `COFFRE_LANG`, then the locale's language as GNU gettext
    /// finds it, else English.
    ///
    /// The locale is the first set of `LC_ALL`, `LC_MESSAGES`, `LANG` (as POSIX orders them). Unless it is the C
    /// locale (unset, `C`, `C.UTF-8`, `POSIX`), `LANGUAGE`, a list in order of preference (`fr_CA:fr:en`, which
    /// desktops set when the display language differs from the locale's), comes before it: its first French or
    /// English entry decides, and entries in other languages are passed over as gettext passes over languages it
    /// has no translation for. `var` reads the environment.
    pub fn choose(flag: Option<&str>, var: impl Fn(&str) -> Option<String>) -> Lang {
        let set = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|name| set(name));
        let c_locale = locale.as_deref().is_none_or(|locale| matches!(language_of(locale), "C" | "POSIX"));
        let preferred = || {
            let list = set("LANGUAGE").filter(|_| !c_locale)?;
            // Only the languages coffre speaks: `from_tag` would take any other for English.
            list.split(':')
                .map(language_of)
                .filter(|language| language.eq_ignore_ascii_case("fr") || language.eq_ignore_ascii_case("en"))
                .find_map(Lang::from_tag)
        };
        flag.and_then(Lang::from_tag)
            .or_else(|| set("COFFRE_LANG").as_deref().and_then(Lang::from_tag))
            .or_else(preferred)
            .or_else(|| locale.as_deref().and_then(Lang::from_tag))
            .unwrap_or(Lang::En)
    }

    /// The BCP 47 tag: `en` or `fr-CA`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::FrCa => "fr-CA",
        }
    }

    /// The tag as a language identifier (both tags are valid BCP 47; a test checks they parse).
    fn identifier(self) -> LanguageIdentifier {
        self.tag().parse().unwrap_or_default()
    }
}

/// The language part of a locale or language tag: `fr` of `fr_CA.UTF-8`, `C` of `C.UTF-8`; empty for an empty one.
fn language_of(tag: &str) -> &str {
    tag.trim().split(['_', '-', '.', '@']).next().unwrap_or_default()
}

/// One loader per language, English as the fallback of French, bidi isolation marks off: the output goes to
/// terminals and plain text, where the invisible marks would end up in copied commands.
fn make_loader(lang: Lang) -> FluentLanguageLoader {
    let loader = FluentLanguageLoader::new(DOMAIN, Lang::En.identifier());
    let mut wanted = vec![lang.identifier()];
    if lang != Lang::En {
        wanted.push(Lang::En.identifier());
    }
    // The catalogue is embedded and checked by this crate's tests, so loading cannot fail in a built binary;
    // if it ever did, every message would show its id, which is still readable.
    let _ = loader.load_languages(&Catalogue, &wanted);
    loader.set_use_isolating(false);
    loader
}

static ENGLISH: LazyLock<FluentLanguageLoader> = LazyLock::new(|| make_loader(Lang::En));
static FRENCH: LazyLock<FluentLanguageLoader> = LazyLock::new(|| make_loader(Lang::FrCa));
static CURRENT: OnceLock<Lang> = OnceLock::new();

/// The catalogue in `lang`.
pub fn loader(lang: Lang) -> &'static FluentLanguageLoader {
    match lang {
        Lang::En => &ENGLISH,
        Lang::FrCa => &FRENCH,
    }
}

/// Sets the language of this process, once, at start (later calls are ignored).
pub fn set_current(lang: Lang) {
    let _ = CURRENT.set(lang);
}

/// The language of this process: the one [`set_current`] chose, else English.
pub fn current() -> Lang {
    CURRENT.get().copied().unwrap_or(Lang::En)
}

/// The catalogue in the language of this process, for [`t!`].
pub fn current_loader() -> &'static FluentLanguageLoader {
    loader(current())
}

/// A message whose id is known only at run time (the code of a daemon's refusal), with its arguments by name; `None`
/// when the catalogue has no such message, so that the caller falls back to the text it has (a newer daemon may
/// send a code this client does not know). Prefer [`t!`], checked at compile time, whenever the id is known.
pub fn message(lang: Lang, id: &str, args: &[(&str, String)]) -> Option<String> {
    let loader = loader(lang);
    if !loader.has(id) {
        return None;
    }
    let args: std::collections::HashMap<&str, String> = args.iter().map(|(k, v)| (*k, v.clone())).collect();
    Some(loader.get_args(id, args))
}

/// A message whose one argument `name` is a count, so that its variants agree with it (`[one]`: "1 share is in" in
/// English, "0 part" and "1 part" in French, by each language's plural rule). [`message`] passes its arguments as
/// text, which Fluent never reads as a count. `None` when the catalogue has no such message.
pub fn counted(lang: Lang, id: &str, name: &str, count: u64) -> Option<String> {
    let loader = loader(lang);
    if !loader.has(id) {
        return None;
    }
    Some(loader.get_args(id, std::collections::HashMap::from([(name, count)])))
}

/// `value` with one decimal, as people of `lang` write it: "2.5" in English, "2,5" in French. Fluent formats
/// numbers without the language's decimal sign, so messages take such numbers as text from here.
pub fn tenths(lang: Lang, value: f64) -> String {
    let text = format!("{value:.1}");
    match lang {
        Lang::En => text,
        Lang::FrCa => text.replace('.', ","),
    }
}

/// What a daemon's refusal names besides its code and arguments, as codes: its reason, and an invalid value's field
/// or a damaged store's or log's problem.
#[derive(Clone, Copy, Debug, Default)]
pub struct RefusalCodes<'a> {
    /// `daemon-reason-<code>`, shown as the argument `reason`.
    pub reason: Option<&'a str>,
    /// `daemon-field-<code>`, shown as `field` in place of its English name.
    pub field: Option<&'a str>,
    /// `daemon-problem-<code>`, rendered with the refusal's arguments and shown as `problem` in place of its English
    /// text.
    pub problem: Option<&'a str>,
}

/// A daemon's refusal in `lang`: `daemon-<code>` with `args` (by name), once the codes it names are rendered and put
/// in place of their English text. One rule for every renderer (the CLI from a status's metadata, coffred's web
/// client and own commands from the engine's error). `None` when the catalogue lacks any of these messages, so that
/// the caller shows the English text it has.
pub fn refusal(lang: Lang, code: &str, args: Vec<(&str, String)>, codes: RefusalCodes<'_>) -> Option<String> {
    refusal_as(lang, code, args, codes, |id| id)
}

/// [`refusal`] for a reader in coffred's web client: where the catalogue has a `web-daemon-…` message beside a
/// `daemon-…` one (the code's own, or its reason's), it is taken instead, because the `daemon-…` one tells what to do
/// with a `coffre` command, and the browser does it on one of its pages.
pub fn web_refusal(lang: Lang, code: &str, args: Vec<(&str, String)>, codes: RefusalCodes<'_>) -> Option<String> {
    refusal_as(lang, code, args, codes, |id| {
        let web = format!("web-{id}");
        if loader(lang).has(&web) { web } else { id }
    })
}

fn refusal_as(
    lang: Lang,
    code: &str,
    mut args: Vec<(&str, String)>,
    codes: RefusalCodes<'_>,
    id: impl Fn(String) -> String,
) -> Option<String> {
    if let Some(reason) = codes.reason {
        args.push(("reason", message(lang, &id(format!("daemon-reason-{reason}")), &[])?));
    }
    if let Some(field) = codes.field {
        let field = message(lang, &format!("daemon-field-{field}"), &[])?;
        args.retain(|(name, _)| *name != "field");
        args.push(("field", field));
    }
    if let Some(problem) = codes.problem {
        let problem = message(lang, &format!("daemon-problem-{problem}"), &args)?;
        args.retain(|(name, _)| *name != "problem");
        args.push(("problem", problem));
    }
    message(lang, &id(format!("daemon-{code}")), &args)
}

/// `seconds` for people, in either language: "45 s", "12 min", "3 h" (rounded down).
pub fn elapsed(seconds: u64) -> String {
    match seconds {
        0..120 => format!("{seconds} s"),
        120..7200 => format!("{} min", seconds / 60),
        _ => format!("{} h", seconds / 3600),
    }
}

/// Whether a standby coffred relays its clients, as `status-standby-value` selects it (`relays`): `yes` or `no`.
pub fn standby_relays(relays: bool) -> &'static str {
    if relays { "yes" } else { "no" }
}

/// The state of a standby coffred as `status-standby-value` selects it: `lost` when it has fallen silent (whatever
/// it said before), else `armed` or `waiting`. One place for the client's status and the web page.
pub fn standby_state(armed: bool, silent: bool) -> &'static str {
    match (armed, silent) {
        (_, true) => "lost",
        (true, false) => "armed",
        (false, false) => "waiting",
    }
}

/// Whether `answer` (typed at a prompt) is "yes" in either language: yes, y, oui, o (any case).
pub fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_lowercase().as_str(), "yes" | "y" | "oui" | "o")
}

/// A message of the catalogue in the language of this process: `t!("message-id")` or
/// `t!("message-id", name = value, ...)`. Ids and argument names are checked at compile time.
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n_embed_fl::fl!($crate::current_loader(), $id)
    };
    ($id:literal, $($args:tt)*) => {
        $crate::i18n_embed_fl::fl!($crate::current_loader(), $id, $($args)*)
    };
}

/// A message of the catalogue in `lang` (for a daemon answering people in their own language).
#[macro_export]
macro_rules! t_in {
    ($lang:expr, $id:literal) => {
        $crate::i18n_embed_fl::fl!($crate::loader($lang), $id)
    };
    ($lang:expr, $id:literal, $($args:tt)*) => {
        $crate::i18n_embed_fl::fl!($crate::loader($lang), $id, $($args)*)
    };
}

#[cfg(test)]
mod tests;
