//! `--format keepass`: a KeePass database (KDBX 3.1 or 4, as KeePass, KeePassXC and Passbolt write them), opened
//! read-only with the `keepass` crate on this computer. Its password comes from a prompt or `--password-file`,
//! its key file from `--key-file`. Groups become folders (the root group's name is dropped), the entry's history
//! becomes older versions, and the `otp` attribute (KeePassXC's otpauth URI) the TOTP seed. Entries in the recycle
//! bin are skipped.

use std::path::Path;

use coffre_i18n::t;

use super::{
    item::{Item, SecretText, clean},
    note::{Note, Origin},
};
use crate::exit::Failure;
use ::keepass::{
    Database, DatabaseKey,
    db::{DatabaseOpenError, Entry, GroupRef},
    error::DatabaseKeyError,
};

/// The largest key file read: 1 MiB (KeePass key files are a few hundred bytes).
pub(crate) const MAX_KEY_FILE_BYTES: u64 = 1024 * 1024;

/// Opens the database in `bytes` with `password` and the key file's contents, and reads every entry.
pub(crate) fn parse(
    bytes: &[u8],
    path: &Path,
    password: Option<&SecretText>,
    key_file: Option<&[u8]>,
) -> Result<Vec<Item>, Failure> {
    let mut key = DatabaseKey::new();
    if let Some(password) = password {
        key = key.with_password(password.expose_secret());
    }
    if let Some(mut contents) = key_file {
        key = key
            .with_keyfile(&mut contents)
            .map_err(|err| Failure::invalid(t!("import-keepass-key-file", reason = err.to_string())))?;
    }
    let database = Database::parse(bytes, key).map_err(|err| open_failure(&err, path))?;
    let mut items = Vec::new();
    let bin = database.recycle_bin().map(|g| g.id());
    walk(database.root(), &mut Vec::new(), bin, true, &mut items);
    Ok(items)
}

fn open_failure(err: &DatabaseOpenError, path: &Path) -> Failure {
    match err {
        DatabaseOpenError::Key(DatabaseKeyError::IncorrectKey) => {
            Failure::new(crate::exit::Kind::Auth, t!("import-keepass-wrong-key", path = path.display().to_string()))
        }
        DatabaseOpenError::Key(DatabaseKeyError::EmptyKey) => Failure::invalid(t!("import-keepass-needs-key")),
        DatabaseOpenError::UnsupportedVersion | DatabaseOpenError::VersionParse(_) => {
            Failure::invalid(t!("import-keepass-version", path = path.display().to_string()))
        }
        // The crate's messages describe the format (a header field, a cipher), never the database's contents.
        other => Failure::invalid(t!(
            "import-keepass-cannot-open",
            path = path.display().to_string(),
            reason = other.to_string()
        )),
    }
}

/// Every entry under `group`, depth first; `folders` is the path of group names from below the root.
fn walk(
    group: GroupRef<'_>,
    folders: &mut Vec<String>,
    bin: Option<::keepass::db::GroupId>,
    root: bool,
    out: &mut Vec<Item>,
) {
    let in_bin = bin.is_some_and(|b| b == group.id());
    if !root {
        folders.push(clean(&group.name));
    }
    for entry in group.entries() {
        let origin = if folders.is_empty() { Origin::RootGroup } else { Origin::Path(folders.join("/")) };
        let name = clean(entry.get_title().unwrap_or_default());
        if in_bin {
            out.push(Item::unsupported(origin, name, Note::RecycleBin));
            continue;
        }
        out.push(item(&entry, origin, folders.clone()));
    }
    for child in group.groups() {
        if bin.is_some_and(|b| b == child.id()) || in_bin {
            walk_bin(child, out);
        } else {
            walk(child, folders, bin, false, out);
        }
    }
    if !root {
        folders.pop();
    }
}

/// Entries of the recycle bin, each skipped with the reason.
fn walk_bin(group: GroupRef<'_>, out: &mut Vec<Item>) {
    for entry in group.entries() {
        out.push(Item::unsupported(
            Origin::Path(clean(&group.name)),
            clean(entry.get_title().unwrap_or_default()),
            Note::RecycleBin,
        ));
    }
    for child in group.groups() {
        walk_bin(child, out);
    }
}

fn item(entry: &Entry, origin: Origin, folders: Vec<String>) -> Item {
    let secret = |value: Option<&str>| SecretText::new(value.unwrap_or_default().to_owned());
    // KeePassXC keeps an otpauth URI in "otp"; KeePass 2's own TOTP plug-in a base32 "TimeOtp-Secret-Base32".
    let totp = entry.get_raw_otp_value().or_else(|| entry.get("TimeOtp-Secret-Base32"));
    let mut history: Vec<(Option<::keepass::db::Times>, SecretText)> = entry
        .history
        .as_ref()
        .map(|h| h.get_entries().iter().map(|old| (Some(old.times.clone()), secret(old.get_password()))).collect())
        .unwrap_or_default();
    // KeePass keeps history oldest first; sorted by last change to be sure.
    history.sort_by_key(|(times, _)| times.as_ref().and_then(|t| t.last_modification));
    Item {
        origin,
        name: clean(entry.get_title().unwrap_or_default()),
        url: clean(entry.get_url().unwrap_or_default()),
        login: clean(entry.get_username().unwrap_or_default()),
        password: secret(entry.get_password()),
        notes: secret(entry.get("Notes")),
        totp: secret(totp),
        folders,
        tags: entry.tags.clone(),
        history: history.into_iter().map(|(_, p)| p).collect(),
        unsupported: None,
    }
}
