//! From what a file says to what the vault accepts: the platform name (valid, unique), the category (from the
//! folder, collection or group), tags, the TOTP seed, and the engine's limits (crates/vault/src/validate.rs,
//! documented in proto/coffre/v1/common.proto), checked here so that the dry run says exactly what the daemon
//! would refuse.

use std::collections::HashMap;

use coffre_crypto::totp::TotpSeed;
use data_encoding::BASE32_NOPAD;
use zeroize::Zeroizing;

use coffre_i18n::t;

use super::{
    item::{Item, SecretText},
    note::{Note, Origin, Totp},
};
use crate::values::{Category, name as value_name};

/// Most characters in a platform name (the engine's MAX_NAME_CHARS).
pub(crate) const MAX_NAME_CHARS: usize = 64;
/// Most characters in a login or URL (MAX_TEXT_CHARS).
pub(crate) const MAX_TEXT_CHARS: usize = 512;
/// Most tags, and characters in one (MAX_LIST_ITEMS, MAX_TAG_CHARS).
pub(crate) const MAX_TAGS: usize = 16;
pub(crate) const MAX_TAG_CHARS: usize = 32;
/// Most bytes in a password (MAX_PASSWORD_BYTES).
pub(crate) const MAX_PASSWORD_BYTES: usize = 1024;
/// Most bytes in notes (MAX_NOTES_BYTES).
pub(crate) const MAX_NOTES_BYTES: usize = 16 * 1024;
/// Most older versions imported from a password history; older ones are left out (and said so).
pub(crate) const MAX_HISTORY: usize = 32;

/// How folders become categories: `--category` for anything not mapped, `--category-map` for the rest.
#[derive(Clone, Debug)]
pub(crate) struct CategoryMap {
    pub(crate) default: Category,
    /// Folder name (lower case) -> category.
    pub(crate) by_folder: HashMap<String, Category>,
}

impl CategoryMap {
    /// Parses `--category-map "Réseaux sociaux=social-network,Banque=financial"`.
    pub(crate) fn parse(default: Category, map: Option<&str>) -> Result<Self, String> {
        let mut by_folder = HashMap::new();
        for pair in map.unwrap_or_default().split(',').filter(|p| !p.trim().is_empty()) {
            let (folder, category) =
                pair.split_once('=').ok_or_else(|| t!("import-category-map-not-a-pair", pair = pair))?;
            let category = category_named(category)
                .ok_or_else(|| t!("import-category-map-not-a-category", category = category.trim()))?;
            by_folder.insert(folder.trim().to_lowercase(), category);
        }
        Ok(CategoryMap { default, by_folder })
    }

    /// The category of an item in `folders` (outermost first): the innermost folder that is mapped, or whose name
    /// is a category's (in English or French), else the default.
    pub(crate) fn category_of(&self, folders: &[String]) -> Category {
        folders
            .iter()
            .rev()
            .find_map(|folder| {
                let key = folder.trim().to_lowercase();
                self.by_folder.get(&key).copied().or_else(|| category_named(&key))
            })
            .unwrap_or(self.default)
    }
}

/// A category by its command-line spelling or a usual English or French name.
pub(crate) fn category_named(text: &str) -> Option<Category> {
    let key = text.trim().to_lowercase();
    let category = match key.as_str() {
        "social-network" | "social network" | "social networks" | "social" | "social media" | "réseau social"
        | "réseaux sociaux" | "réseaux" | "medias sociaux" | "médias sociaux" => Category::SocialNetwork,
        "data-bank" | "data bank" | "database" | "banque de données" | "données" | "data" => Category::DataBank,
        "creation" | "création" | "design" | "graphisme" => Category::Creation,
        "meeting" | "meetings" | "réunion" | "réunions" | "visio" | "visioconférence" => Category::Meeting,
        "software" | "logiciel" | "logiciels" | "hosting" | "hébergement" | "it" | "informatique" => {
            Category::Software
        }
        "financial" | "finance" | "finances" | "bank" | "banque" | "banking" | "trésorerie" => Category::Financial,
        "other" | "autre" | "autres" | "divers" => Category::Other,
        _ => return None,
    };
    Some(category)
}

/// An item as the vault will take it, before its name is made unique.
pub(crate) struct Candidate {
    pub(crate) origin: Origin,
    /// The platform name before de-duplication.
    pub(crate) platform: String,
    pub(crate) category: Category,
    pub(crate) url: String,
    pub(crate) login: String,
    pub(crate) password: SecretText,
    pub(crate) notes: SecretText,
    /// Base32, as the engine takes it; empty when none.
    pub(crate) totp_seed: SecretText,
    pub(crate) tags: Vec<String>,
    /// Older passwords, oldest first, each different from the next.
    pub(crate) history: Vec<SecretText>,
    /// What was changed or left out on the way, said in the plan.
    pub(crate) warnings: Vec<Note>,
}

/// Checks `item` against the engine's rules: a candidate, or why it is skipped. Nothing secret goes in a message.
pub(crate) fn candidate(item: Item, categories: &CategoryMap) -> Result<Candidate, Note> {
    if let Some(why) = item.unsupported {
        return Err(why);
    }
    let mut warnings = Vec::new();
    let platform = platform_name(&item.name, &item.url, &mut warnings)?;
    if item.password.is_empty() {
        return Err(Note::NoPassword);
    }
    if item.password.expose_secret().chars().any(|c| c == '\n' || c == '\r') {
        return Err(Note::PasswordLineBreak);
    }
    if item.password.len() > MAX_PASSWORD_BYTES {
        return Err(Note::PasswordTooLong { bytes: item.password.len(), max: MAX_PASSWORD_BYTES });
    }
    let login = checked_text(&item.login, |chars, max| Note::LoginTooLong { chars, max }, Note::LoginControl)?;
    let url = checked_text(&item.url, |chars, max| Note::UrlTooLong { chars, max }, Note::UrlControl)?;
    if item.notes.len() > MAX_NOTES_BYTES {
        return Err(Note::NotesTooLong { bytes: item.notes.len(), max: MAX_NOTES_BYTES });
    }
    let totp_seed = match totp_base32(item.totp.expose_secret()) {
        Ok(seed) => seed,
        Err(why) => {
            warnings.push(Note::TotpLeftOut { why });
            SecretText::default()
        }
    };
    let category = categories.category_of(&item.folders);
    let tags = tags(&item.folders, &item.tags, &mut warnings);
    let history = history(item.history, &item.password, &mut warnings);
    Ok(Candidate {
        origin: item.origin,
        platform,
        category,
        url,
        login,
        password: item.password,
        notes: item.notes,
        totp_seed,
        tags,
        history,
        warnings,
    })
}

/// The platform name: the item's name with control characters replaced and blanks collapsed, in NFC as the vault
/// stores and counts it (validate.rs), or the URL's host when there is no name, cut to 64 characters (said in
/// `warnings`).
pub(crate) fn platform_name(name: &str, url: &str, warnings: &mut Vec<Note>) -> Result<String, Note> {
    use unicode_normalization::UnicodeNormalization;
    let mut clean: String = name.chars().map(|c| if crate::output::hidden(c) { ' ' } else { c }).collect();
    clean = clean.split_whitespace().collect::<Vec<_>>().join(" ").nfc().collect();
    if clean.is_empty() {
        clean = host_of(url).unwrap_or_default();
        if clean.is_empty() {
            return Err(Note::NoName);
        }
        warnings.push(Note::NamedAfterHost { host: clean.clone() });
    }
    if clean.chars().count() > MAX_NAME_CHARS {
        let cut: String = clean.chars().take(MAX_NAME_CHARS).collect();
        warnings.push(Note::NameCut { max: MAX_NAME_CHARS });
        clean = cut.trim_end().to_owned();
    }
    Ok(clean)
}

/// The host of a URL ("https://www.example.org/login" -> "www.example.org").
fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty() && !host.chars().any(crate::output::hidden)).then(|| host.to_lowercase())
}

/// A login or URL: at most 512 characters, no control characters; refused (not cut) otherwise, since a cut login
/// is a wrong one.
fn checked_text(text: &str, too_long: fn(usize, usize) -> Note, control: Note) -> Result<String, Note> {
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(too_long(chars, MAX_TEXT_CHARS));
    }
    if text.chars().any(crate::output::hidden) {
        return Err(control);
    }
    Ok(text.to_owned())
}

/// The base32 seed of a TOTP value: an `otpauth://totp/` URI's `secret`, or bare base32; empty for none.
pub(crate) fn totp_base32(value: &str) -> Result<SecretText, Totp> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(SecretText::default());
    }
    let base32: Zeroizing<String> = if let Some(rest) = value.strip_prefix("otpauth://") {
        let (kind, rest) = rest.split_once('/').unwrap_or((rest, ""));
        if !kind.eq_ignore_ascii_case("totp") {
            return Err(Totp::NotTimeBased { kind: kind.to_owned() });
        }
        let query = rest.split_once('?').map(|(_, q)| q).unwrap_or_default();
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            if key.eq_ignore_ascii_case("algorithm") && !value.eq_ignore_ascii_case("sha1") {
                return Err(Totp::Algorithm { value: value.to_owned() });
            }
            if key.eq_ignore_ascii_case("digits") && value != "6" {
                return Err(Totp::Digits { value: value.to_owned() });
            }
            if key.eq_ignore_ascii_case("period") && value != "30" {
                return Err(Totp::Period { value: value.to_owned() });
            }
        }
        let secret = query
            .split('&')
            .find_map(|pair| pair.split_once('=').filter(|(k, _)| k.eq_ignore_ascii_case("secret")).map(|(_, v)| v))
            .ok_or(Totp::NoSecret)?;
        Zeroizing::new(secret.replace("%20", "").replace("%3D", "="))
    } else if value.contains("://") {
        return Err(Totp::NotAUri);
    } else {
        Zeroizing::new(value.to_owned())
    };
    let seed = TotpSeed::from_platform_base32(&base32).map_err(|_| Totp::NotASeed)?;
    Ok(SecretText::new(BASE32_NOPAD.encode(seed.expose_secret())))
}

/// Tags: the folders' names, then the item's own tags; each at most 32 characters, at most 16, no repeats.
fn tags(folders: &[String], own: &[String], warnings: &mut Vec<Note>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in folders.iter().chain(own) {
        let tag: String = tag.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_owned();
        if tag.is_empty() || tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            continue;
        }
        if tag.chars().count() > MAX_TAG_CHARS {
            warnings.push(Note::TagLeftOut { tag, max: MAX_TAG_CHARS });
            continue;
        }
        if tags.len() == MAX_TAGS {
            warnings.push(Note::TagsLeftOut { max: MAX_TAGS });
            break;
        }
        tags.push(tag);
    }
    tags
}

/// Older passwords worth keeping as versions: not empty, within the limit, each different from the next one
/// (the current password last), the most recent [`MAX_HISTORY`].
fn history(older: Vec<SecretText>, current: &SecretText, warnings: &mut Vec<Note>) -> Vec<SecretText> {
    let mut kept: Vec<SecretText> = Vec::new();
    let mut too_long = false;
    for password in older {
        if password.is_empty() {
            continue;
        }
        if password.len() > MAX_PASSWORD_BYTES {
            too_long = true;
            continue;
        }
        if kept.last() != Some(&password) {
            kept.push(password);
        }
    }
    if kept.last() == Some(current) {
        kept.pop();
    }
    if too_long {
        warnings.push(Note::OlderPasswordsTooLong { max: MAX_PASSWORD_BYTES });
    }
    if kept.len() > MAX_HISTORY {
        warnings.push(Note::HistoryCut { max: MAX_HISTORY });
        kept.drain(..kept.len() - MAX_HISTORY);
    }
    kept
}

/// The spelling of a category, for the plan.
pub(crate) fn category_label(category: Category) -> String {
    value_name(category)
}

#[cfg(test)]
mod tests {
    use coffre_i18n::Lang;

    use super::*;

    fn login(name: &str, password: &str) -> Item {
        Item {
            origin: Origin::Line(2),
            name: name.into(),
            login: "party@example.org".into(),
            password: SecretText::new(password.into()),
            ..Item::default()
        }
    }

    fn map() -> CategoryMap {
        CategoryMap::parse(Category::Other, Some("Réseaux=social-network")).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn names_are_cleaned_and_cut_to_the_engine_limit() {
        let mut warnings = Vec::new();
        assert_eq!(platform_name("  Caisse\tpop  ", "", &mut warnings).ok().as_deref(), Some("Caisse pop"));
        // A bidirectional override, which the vault refuses as it would show the name reversed, is a space too.
        assert_eq!(platform_name("Face\u{202e}koob", "", &mut warnings).ok().as_deref(), Some("Face koob"));
        let long = "é".repeat(70);
        let cut = platform_name(&long, "", &mut warnings).unwrap_or_default();
        assert_eq!(cut.chars().count(), 64);
        assert!(warnings.contains(&Note::NameCut { max: 64 }));
        assert_eq!(
            platform_name("", "https://user@www.Exemple.ca:443/x", &mut warnings).ok().as_deref(),
            Some("www.exemple.ca")
        );
        assert!(platform_name(" ", "", &mut warnings).is_err());
    }

    #[test]
    fn a_name_in_decomposed_form_is_counted_and_shown_as_the_vault_stores_it() {
        // The vault stores names in NFC and counts their characters there. macOS writes "é" as "e" and a combining
        // accent: 60 characters in NFC, 102 as written, fit the limit and must not be cut (which would drop letters).
        let nfc = format!("Fédération étudiante {}", "é".repeat(39));
        let nfd: String = nfc.replace('é', "e\u{301}");
        assert_eq!((nfc.chars().count(), nfd.chars().count()), (60, 102));
        let mut warnings = Vec::new();
        assert_eq!(platform_name(&nfd, "", &mut warnings).ok(), Some(nfc));
        assert!(warnings.is_empty(), "{:?}", warnings.iter().map(|w| w.text(Lang::En)).collect::<Vec<_>>());
    }

    #[test]
    fn items_the_vault_cannot_keep_are_skipped_with_a_reason_that_holds_no_secret() {
        let english = |result: Result<Candidate, Note>| result.err().map(|n| n.text(Lang::En)).unwrap_or_default();
        let no_password = english(candidate(login("X", ""), &map()));
        assert!(no_password.starts_with("no password"), "{no_password}");
        let long = english(candidate(login("X", &"p".repeat(1025)), &map()));
        assert!(long.contains("1025 bytes") && !long.contains("ppp"), "{long}");
        let mut item = login("X", "secret");
        item.login = "l".repeat(513);
        assert!(english(candidate(item, &map())).contains("513 characters"));
        let mut item = login("X", "secret");
        item.notes = SecretText::new("n".repeat(16 * 1024 + 1));
        assert!(candidate(item, &map()).is_err());
        let card = Item::unsupported(Origin::Item(4), "Visa".into(), Note::Card);
        assert_eq!(candidate(card, &map()).err(), Some(Note::Card));
    }

    #[test]
    fn formula_looking_values_are_kept_as_text() {
        let item = login("=HYPERLINK(\"http://evil\")", "+cmd|' /C calc'!A0");
        let kept = candidate(item, &map()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(kept.platform, "=HYPERLINK(\"http://evil\")");
        assert_eq!(kept.password.expose_secret(), "+cmd|' /C calc'!A0");
    }

    #[test]
    fn folders_map_to_categories_and_become_tags() {
        let map = map();
        assert_eq!(map.category_of(&["Réseaux".into()]), Category::SocialNetwork);
        assert_eq!(map.category_of(&["Work".into(), "Banque".into()]), Category::Financial);
        assert_eq!(map.category_of(&["Travail".into()]), Category::Other);
        let mut item = login("X", "s");
        item.folders = vec!["Réseaux".into(), "x".repeat(40)];
        item.tags = vec!["réseaux".into(), "Élections 2026".into()];
        let kept = candidate(item, &map).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(kept.tags, ["Réseaux", "Élections 2026"]);
        assert!(kept.warnings.iter().any(|w| w.text(Lang::En).contains("left out")));
        assert!(CategoryMap::parse(Category::Other, Some("A=nothing")).is_err());
        assert!(CategoryMap::parse(Category::Other, Some("no equals sign")).is_err());
    }

    #[test]
    fn totp_values_are_otpauth_uris_or_base32() {
        let uri = "otpauth://totp/Site:me?secret=JBSWY3DPEHPK3PXP&issuer=Site&period=30";
        assert_eq!(totp_base32(uri).ok().map(|s| s.expose_secret().to_owned()).as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            totp_base32("jbsw y3dp ehpk 3pxp").ok().map(|s| s.expose_secret().to_owned()).as_deref(),
            Some("JBSWY3DPEHPK3PXP")
        );
        assert!(totp_base32("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP").is_err());
        assert!(totp_base32("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=8").is_err());
        assert!(totp_base32("steam://ABCDEF").is_err());
        assert!(totp_base32("not base32!").is_err());
        assert!(totp_base32("").is_ok_and(|s| s.is_empty()));
        let mut item = login("X", "s");
        item.totp = SecretText::new("not base32!".into());
        let kept = candidate(item, &map()).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(
            kept.totp_seed.is_empty() && kept.warnings.iter().any(|w| w.text(Lang::En).starts_with("TOTP left out"))
        );
    }

    #[test]
    fn password_history_keeps_distinct_older_passwords_oldest_first() {
        let mut item = login("X", "three");
        item.history = ["one", "one", "", "two", "three"].map(|p| SecretText::new(p.into())).into();
        let kept = candidate(item, &map()).unwrap_or_else(|e| panic!("{e:?}"));
        let history: Vec<&str> = kept.history.iter().map(SecretText::expose_secret).collect();
        assert_eq!(history, ["one", "two"]);
    }
}
