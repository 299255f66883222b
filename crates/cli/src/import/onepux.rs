//! `--format 1pux`: 1Password's export (a zip holding `export.data`, JSON). Logins and passwords are imported,
//! with their vault as folder, tags, TOTP field and password history; other categories (cards, identities,
//! notes, documents...) and archived items are skipped with the reason.
//!
//! The archive is hostile input: at most [`MAX_ZIP_ENTRIES`] entries, the entries' declared sizes at most
//! [`MAX_TOTAL_BYTES`] together, and `export.data` read through a limit of [`MAX_EXPORT_BYTES`] whatever size it
//! declares, so that a zip bomb costs at most that much memory. Attachments (`files/`) are never read.

use std::io::{Cursor, Read};

use serde::Deserialize;
use zeroize::Zeroizing;

use coffre_i18n::t;

use super::{
    input::utf8,
    item::{Item, SecretText, clean},
    note::{Note, Origin},
};
use crate::exit::{Failure, Kind};

/// Most entries in the archive (an export with ten thousand attachments would still pass).
pub(crate) const MAX_ZIP_ENTRIES: usize = 10_000;
/// Most bytes `export.data` may hold uncompressed.
pub(crate) const MAX_EXPORT_BYTES: u64 = 64 * 1024 * 1024;
/// Most bytes all entries may declare together, uncompressed.
pub(crate) const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    accounts: Vec<Account>,
}

#[derive(Deserialize)]
struct Account {
    #[serde(default)]
    vaults: Vec<Vault>,
}

#[derive(Deserialize)]
struct Vault {
    #[serde(default)]
    attrs: VaultAttrs,
    #[serde(default)]
    items: Vec<OpItem>,
}

#[derive(Deserialize, Default)]
struct VaultAttrs {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpItem {
    #[serde(default)]
    category_uuid: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    details: Details,
    #[serde(default)]
    overview: Overview,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Details {
    #[serde(default)]
    login_fields: Vec<LoginField>,
    #[serde(default)]
    notes_plain: Option<String>,
    #[serde(default)]
    sections: Vec<Section>,
    #[serde(default)]
    password_history: Vec<OldPassword>,
    #[serde(default)]
    password: Option<String>,
}

#[derive(Deserialize)]
struct LoginField {
    #[serde(default)]
    value: String,
    #[serde(default)]
    designation: String,
}

#[derive(Deserialize)]
struct Section {
    #[serde(default)]
    fields: Vec<SectionField>,
}

#[derive(Deserialize)]
struct SectionField {
    #[serde(default)]
    value: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct OldPassword {
    #[serde(default)]
    value: String,
    #[serde(default)]
    time: i64,
}

#[derive(Deserialize, Default)]
struct Overview {
    #[serde(default)]
    title: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    tags: Vec<String>,
}

/// Reads `export.data` out of the archive in `bytes`, within the limits.
fn export_data(bytes: &[u8], path: &std::path::Path) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let not_1pux =
        |why: String| Failure::invalid(t!("import-not-1pux", path = path.display().to_string(), reason = why));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|err| not_1pux(t!("import-1pux-not-zip", reason = err.to_string())))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(Failure::new(
            Kind::Exhausted,
            t!(
                "import-1pux-too-many-files",
                path = path.display().to_string(),
                files = archive.len(),
                max = MAX_ZIP_ENTRIES
            ),
        ));
    }
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let size = archive.by_index_data(i).map(|entry| entry.size()).unwrap_or(0);
        declared = declared.saturating_add(size);
    }
    let bomb = || {
        Failure::new(
            Kind::Exhausted,
            t!(
                "import-1pux-too-large",
                path = path.display().to_string(),
                mib = (MAX_EXPORT_BYTES / (1024 * 1024)).to_string()
            ),
        )
    };
    if declared > MAX_TOTAL_BYTES {
        return Err(bomb());
    }
    let entry = archive.by_name("export.data").map_err(|_| not_1pux(t!("import-1pux-no-export-data")))?;
    if entry.size() > MAX_EXPORT_BYTES {
        return Err(bomb());
    }
    let mut data = Zeroizing::new(Vec::new());
    // The declared size may lie: the limit is enforced on what is actually unpacked.
    entry
        .take(MAX_EXPORT_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|err| not_1pux(t!("import-1pux-cannot-unpack", reason = err.to_string())))?;
    if data.len() as u64 > MAX_EXPORT_BYTES {
        return Err(bomb());
    }
    Ok(data)
}

pub(crate) fn parse(bytes: &[u8], path: &std::path::Path) -> Result<Vec<Item>, Failure> {
    let data = export_data(bytes, path)?;
    let text = utf8(&data, path)?;
    let export: Export = serde_json::from_str(text).map_err(|err| {
        Failure::invalid(t!(
            "import-1pux-bad-data",
            path = path.display().to_string(),
            line = err.line(),
            column = err.column()
        ))
    })?;
    let mut items = Vec::new();
    let mut n = 0;
    for vault in export.accounts.into_iter().flat_map(|a| a.vaults) {
        let folder = clean(&vault.attrs.name);
        for op in vault.items {
            n += 1;
            let origin = Origin::Item(n);
            let name = clean(&op.overview.title);
            let why = match op.category_uuid.as_str() {
                "001" | "005" => None,
                "002" => Some(Note::Card),
                "003" => Some(Note::SecureNoteItem),
                "004" => Some(Note::Identity),
                "006" => Some(Note::Document),
                _ => Some(Note::UnknownCategory),
            };
            if let Some(why) = why {
                items.push(Item::unsupported(origin, name, why));
                continue;
            }
            if op.state == "archived" {
                items.push(Item::unsupported(origin, name, Note::Archived));
                continue;
            }
            items.push(item(op, origin, name, &folder));
        }
    }
    Ok(items)
}

fn item(op: OpItem, origin: Origin, name: String, folder: &str) -> Item {
    let mut details = op.details;
    let field = |fields: &mut Vec<LoginField>, designation: &str| {
        fields
            .iter_mut()
            .find(|f| f.designation == designation)
            .map(|f| std::mem::take(&mut f.value))
            .unwrap_or_default()
    };
    let login = field(&mut details.login_fields, "username");
    let mut password = field(&mut details.login_fields, "password");
    if password.is_empty() {
        password = details.password.take().unwrap_or_default();
    }
    let totp = details
        .sections
        .iter_mut()
        .flat_map(|s| s.fields.iter_mut())
        .find_map(|f| match f.value.get_mut("totp") {
            Some(serde_json::Value::String(totp)) if !totp.is_empty() => Some(std::mem::take(totp)),
            _ => None,
        })
        .unwrap_or_default();
    details.password_history.sort_by_key(|old| old.time);
    Item {
        origin,
        name,
        url: clean(&op.overview.url),
        login: clean(&login),
        password: SecretText::new(password),
        notes: SecretText::new(details.notes_plain.take().unwrap_or_default()),
        totp: SecretText::new(totp),
        folders: if folder.is_empty() { Vec::new() } else { vec![folder.to_owned()] },
        tags: op.overview.tags,
        history: details.password_history.into_iter().map(|old| SecretText::new(old.value)).collect(),
        unsupported: None,
    }
}
