//! `--format keepass`: a KeePass database (KDBX 3.1 or 4, as KeePass, KeePassXC and Passbolt write them), opened
//! read-only with the `keepass` crate on this computer. Its password comes from a prompt or `--password-file`,
//! its key file from `--key-file`. Groups become folders (the root group's name is dropped), the entry's history
//! becomes older versions, and the `otp` attribute (KeePassXC's otpauth URI) the TOTP seed. Entries in the recycle
//! bin are skipped.

use std::{collections::HashMap, path::Path};

use coffre_i18n::t;

use super::{
    item::{Item, SecretText, clean},
    note::{Note, Origin},
};
use crate::exit::Failure;
use data_encoding::HEXUPPER;
use zeroize::Zeroizing;

use ::keepass::{
    Database, DatabaseKey,
    db::{DatabaseOpenError, Entry, EntryRef, GroupRef},
    error::DatabaseKeyError,
};

/// The largest key file read: 1 MiB (KeePass key files are a few hundred bytes).
pub(crate) const MAX_KEY_FILE_BYTES: u64 = 1024 * 1024;

/// The most memory a database's Argon2 may ask for: 2 GiB. KeePassXC's default is 64 MiB and KeePass's 1 MiB; the
/// `keepass` crate (through rust-argon2) allocates whatever the header says before it knows whether the password is
/// right, so a hostile file could otherwise exhaust this computer's memory.
const MAX_ARGON2_MEMORY_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// The most Argon2 work, memory times iterations: 64 GiB, about a minute of one core. A database tuned to take a
/// second or a few to open (KeePassXC's benchmark) needs a few GiB.
const MAX_ARGON2_WORK_BYTES: u64 = 64 * 1024 * 1024 * 1024;
/// The most Argon2 lanes: rust-argon2 starts a thread per lane for every slice of every pass.
const MAX_ARGON2_THREADS: u64 = 256;
/// The most AES-KDF rounds: about a minute; the rounds are a `u64` in a KDBX header, enough to never finish.
const MAX_AES_ROUNDS: u64 = 2_000_000_000;

/// A key derivation the database asks for and coffre refuses to run.
#[derive(Debug, PartialEq, Eq)]
enum Excess {
    Memory { mib: u64 },
    Rounds { rounds: u64, max: u64 },
    Threads { threads: u64 },
}

/// What the header of the database in `bytes` asks of the key derivation beyond the bounds above, read before the
/// `keepass` crate runs it (it obeys any header). `None` when within them, and when the header cannot be read: the
/// crate then says what is wrong with it.
fn kdf_excess(bytes: &[u8]) -> Option<Excess> {
    let u16_at = |at: usize| bytes.get(at..at + 2).and_then(|b| b.try_into().ok()).map(u16::from_le_bytes);
    let u32_at = |at: usize| bytes.get(at..at + 4).and_then(|b| b.try_into().ok()).map(u32::from_le_bytes);
    let rounds = |rounds: u64| (rounds > MAX_AES_ROUNDS).then_some(Excess::Rounds { rounds, max: MAX_AES_ROUNDS });
    match (u32_at(4)?, u16_at(10)?) {
        // KeePass 1 (KDB): a fixed header with the rounds at offset 120.
        (0xB54B_FB65, _) => rounds(u64::from(u32_at(120)?)),
        // KDBX 3: fields of (id: u8, length: u16); 6 is TransformRounds.
        (0xB54B_FB67, 3) => {
            header_field(bytes, 2, 6).and_then(|v| v.try_into().ok()).map(u64::from_le_bytes).and_then(rounds)
        }
        // KDBX 4: fields of (id: u8, length: u32); 11 is the KDF's parameters, a variant dictionary.
        (0xB54B_FB67, 4) => {
            let parameters = variant_dictionary(header_field(bytes, 4, 11)?)?;
            let number = |key: &str| {
                parameters.iter().find(|(k, _)| *k == key.as_bytes()).and_then(|(_, v)| match v.len() {
                    4 => (*v).try_into().ok().map(u32::from_le_bytes).map(u64::from),
                    8 => (*v).try_into().ok().map(u64::from_le_bytes),
                    _ => None,
                })
            };
            if let Some(too_many) = number("R").and_then(rounds) {
                return Some(too_many);
            }
            let memory = number("M").unwrap_or(0);
            if memory > MAX_ARGON2_MEMORY_BYTES {
                return Some(Excess::Memory { mib: memory / (1024 * 1024) });
            }
            let threads = number("P").unwrap_or(0);
            if threads > MAX_ARGON2_THREADS {
                return Some(Excess::Threads { threads });
            }
            let iterations = number("I").unwrap_or(0);
            let max = MAX_ARGON2_WORK_BYTES / memory.max(1024 * 1024);
            (iterations > max).then_some(Excess::Rounds { rounds: iterations, max })
        }
        _ => None,
    }
}

/// The value of the outer header's field `id` in a KDBX file whose field lengths take `width` bytes.
fn header_field(bytes: &[u8], width: usize, id: u8) -> Option<&[u8]> {
    let mut at = 12;
    loop {
        let kind = *bytes.get(at)?;
        let length = bytes.get(at + 1..at + 1 + width)?.iter().rev().fold(0usize, |n, b| (n << 8) | usize::from(*b));
        let value = bytes.get(at + 1 + width..(at + 1 + width).checked_add(length)?)?;
        match kind {
            0 => return None,
            _ if kind == id => return Some(value),
            _ => at += 1 + width + length,
        }
    }
}

/// The (key, value) pairs of a KDBX 4 variant dictionary: a version, then (type: u8, key length: u32, key, value
/// length: u32, value) until a type of 0.
fn variant_dictionary(bytes: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    let length_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
            .and_then(|n| usize::try_from(n).ok())
    };
    let (mut pairs, mut at) = (Vec::new(), 2);
    while *bytes.get(at)? != 0 {
        let key_length = length_at(at + 1)?;
        let key = bytes.get(at + 5..(at + 5).checked_add(key_length)?)?;
        let value_at = at + 5 + key_length;
        let value_length = length_at(value_at)?;
        let value = bytes.get(value_at + 4..(value_at + 4).checked_add(value_length)?)?;
        pairs.push((key, value));
        at = value_at + 4 + value_length;
    }
    Some(pairs)
}

/// Opens the database in `bytes` with `password` and the key file's contents, and reads every entry.
pub(crate) fn parse(
    bytes: &[u8],
    path: &Path,
    password: Option<&SecretText>,
    key_file: Option<&[u8]>,
) -> Result<Vec<Item>, Failure> {
    if let Some(excess) = kdf_excess(bytes) {
        let path = path.display().to_string();
        let message = match excess {
            Excess::Memory { mib } => t!(
                "import-keepass-kdf-memory",
                path = path,
                mib = mib.to_string(),
                max = (MAX_ARGON2_MEMORY_BYTES / (1024 * 1024)).to_string()
            ),
            Excess::Rounds { rounds, max } => {
                t!("import-keepass-kdf-rounds", path = path, rounds = rounds.to_string(), max = max.to_string())
            }
            Excess::Threads { threads } => t!(
                "import-keepass-kdf-threads",
                path = path,
                threads = threads.to_string(),
                max = MAX_ARGON2_THREADS.to_string()
            ),
        };
        return Err(Failure::new(crate::exit::Kind::Exhausted, message));
    }
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
    Ok(items_of(&database))
}

/// Every entry of `database`, depth first, with their field references followed.
fn items_of(database: &Database) -> Vec<Item> {
    let mut items = Vec::new();
    let bin = database.recycle_bin().map(|g| g.id());
    let by_uuid: References<'_> =
        database.iter_all_entries().map(|entry| (HEXUPPER.encode(entry.id().uuid().as_bytes()), entry)).collect();
    walk(database.root(), &mut Vec::new(), bin, true, &by_uuid, &mut items);
    items
}

/// The database's entries by UUID in upper-case hex, as field references name them.
type References<'a> = HashMap<String, EntryRef<'a>>;

/// How many references deep a value is followed (KeePass's own limit is about as deep).
const MAX_REFERENCE_DEPTH: usize = 10;

/// `value` with a KeePass field reference followed: "{REF:P@I:46C9B1FFBD4ABC4BBB260C6190BAD20C}" is the
/// password of the entry of that UUID, as KeePass and KeePassXC write an entry cloned "with references" (U is the
/// user name, A the URL, T the title, N the notes). `None` for a reference coffre cannot follow (by another field
/// than the UUID, to an entry not in the file, inside other text, or in a loop): importing it as it is would store
/// the text "{REF:...}" as the password.
fn follow(value: &str, by_uuid: &References<'_>) -> Option<Zeroizing<String>> {
    let mut value = Zeroizing::new(value.to_owned());
    for _ in 0..MAX_REFERENCE_DEPTH {
        // Looked for without an upper-case copy: the value is a password.
        if !value.as_bytes().windows(5).any(|w| w.eq_ignore_ascii_case(b"{REF:")) {
            return Some(value);
        }
        let reference = value.get(..5).filter(|p| p.eq_ignore_ascii_case("{REF:")).and_then(|_| value.get(5..))?;
        let (wanted, target) = reference.strip_suffix('}')?.split_once('@')?;
        let uuid = target.get(..2).filter(|p| p.eq_ignore_ascii_case("I:")).and_then(|_| target.get(2..))?;
        let entry = by_uuid.get(&uuid.to_ascii_uppercase())?;
        let field = match wanted.to_ascii_uppercase().as_str() {
            "T" => entry.get_title(),
            "U" => entry.get_username(),
            "P" => entry.get_password(),
            "A" => entry.get_url(),
            "N" => entry.get("Notes"),
            _ => None,
        };
        value = Zeroizing::new(field.unwrap_or_default().to_owned());
    }
    None
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
    by_uuid: &References<'_>,
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
        out.push(item(&entry, origin, folders.clone(), by_uuid));
    }
    for child in group.groups() {
        if bin.is_some_and(|b| b == child.id()) || in_bin {
            walk_bin(child, out);
        } else {
            walk(child, folders, bin, false, by_uuid, out);
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

fn item(entry: &Entry, origin: Origin, folders: Vec<String>, by_uuid: &References<'_>) -> Item {
    let name = clean(entry.get_title().unwrap_or_default());
    let followed = |value: Option<&str>| follow(value.unwrap_or_default(), by_uuid);
    let (Some(password), Some(login), Some(url)) =
        (followed(entry.get_password()), followed(entry.get_username()), followed(entry.get_url()))
    else {
        return Item::unsupported(origin, name, Note::KeepassReference);
    };
    let older: Option<Vec<(Option<::keepass::db::Times>, Zeroizing<String>)>> = entry
        .history
        .as_ref()
        .map(|h| {
            h.get_entries().iter().map(|old| Some((Some(old.times.clone()), followed(old.get_password())?))).collect()
        })
        .unwrap_or(Some(Vec::new()));
    let Some(older) = older else {
        return Item::unsupported(origin, name, Note::KeepassReference);
    };
    let secret = |value: Option<&str>| SecretText::new(value.unwrap_or_default().to_owned());
    // KeePassXC keeps an otpauth URI in "otp"; KeePass 2's own TOTP plug-in a base32 "TimeOtp-Secret-Base32".
    let totp = entry.get_raw_otp_value().or_else(|| entry.get("TimeOtp-Secret-Base32"));
    let mut history: Vec<(Option<::keepass::db::Times>, SecretText)> =
        older.into_iter().map(|(times, password)| (times, secret(Some(password.as_str())))).collect();
    // KeePass keeps history oldest first; sorted by last change to be sure.
    history.sort_by_key(|(times, _)| times.as_ref().and_then(|t| t.last_modification));
    Item {
        origin,
        name,
        url: clean(&url),
        login: clean(&login),
        password: secret(Some(password.as_str())),
        notes: secret(entry.get("Notes")),
        totp: secret(totp),
        folders,
        tags: entry.tags.clone(),
        history: history.into_iter().map(|(_, p)| p).collect(),
        unsupported: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The end-to-end tests' KeePass 2 database: KDBX 3.1, AES-KDF of 6,000 rounds, password "demopass".
    const KDBX31: &[u8] = include_bytes!("../../../../tests/fixtures/kdbx31-demopass.kdbx");

    fn refusal(bytes: &[u8]) -> (u8, String) {
        let password = SecretText::new("demopass".into());
        match parse(bytes, Path::new("parti.kdbx"), Some(&password), None) {
            Ok(items) => (0, format!("{} items", items.len())),
            Err(failure) => (failure.exit_code(), failure.message().to_owned()),
        }
    }

    /// A KDBX 4 outer header whose KDF parameters are `parameters` (key, type, value), then the end field.
    fn kdbx4(parameters: &[(&str, u8, &[u8])]) -> Vec<u8> {
        let mut dictionary = vec![0, 1];
        for (key, kind, value) in parameters {
            dictionary.push(*kind);
            dictionary.extend(u32::try_from(key.len()).unwrap_or(0).to_le_bytes());
            dictionary.extend(key.as_bytes());
            dictionary.extend(u32::try_from(value.len()).unwrap_or(0).to_le_bytes());
            dictionary.extend(*value);
        }
        dictionary.push(0);
        let mut file = vec![0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 1, 0, 4, 0];
        file.push(11);
        file.extend(u32::try_from(dictionary.len()).unwrap_or(0).to_le_bytes());
        file.extend(dictionary);
        file.extend([0, 4, 0, 0, 0, b'\r', b'\n', b'\r', b'\n']);
        file
    }

    #[test]
    fn field_references_are_followed_and_one_that_cannot_be_is_skipped() {
        // KeePassXC's "Clone entry with references" writes {REF:U@I:UUID} and {REF:P@I:UUID}: the clone's password
        // is the other entry's, not that text.
        let mut database = Database::new();
        let mut root = database.root_mut();
        let mut bank = root.add_entry();
        bank.set_unprotected("Title", "Banque");
        bank.set_unprotected("UserName", "trésorière");
        bank.set_protected("Password", "pâté-secret");
        let uuid = HEXUPPER.encode(bank.as_ref().id().uuid().as_bytes());
        let mut clone = root.add_entry();
        clone.set_unprotected("Title", "Banque (caisse)");
        clone.set_unprotected("UserName", format!("{{REF:U@I:{uuid}}}"));
        clone.set_protected("Password", format!("{{ref:p@i:{}}}", uuid.to_lowercase()));
        let mut lost = root.add_entry();
        lost.set_unprotected("Title", "Perdue");
        lost.set_protected("Password", "{REF:P@I:00000000000000000000000000000000}");
        let mut inside = root.add_entry();
        inside.set_unprotected("Title", "Dedans");
        inside.set_protected("Password", format!("x{{REF:P@I:{uuid}}}"));
        let items = items_of(&database);
        let clone = items.iter().find(|i| i.name == "Banque (caisse)");
        assert_eq!(clone.map(|i| (i.login.as_str(), i.password.expose_secret())), Some(("trésorière", "pâté-secret")));
        for name in ["Perdue", "Dedans"] {
            let item = items.iter().find(|i| i.name == name);
            assert_eq!(item.and_then(|i| i.unsupported.clone()), Some(Note::KeepassReference), "{name}");
        }
    }

    #[test]
    fn a_database_asking_for_endless_aes_rounds_is_refused_before_they_run() {
        // The fixture's TransformRounds field (id 6, 8 bytes) is 6,000; a hostile file says u64::MAX, which the
        // keepass crate would run (ages) before telling whether the password is right.
        let at = KDBX31.windows(3).position(|w| w == [6, 8, 0]).map_or(0, |at| at + 3);
        assert_eq!(KDBX31.get(at..at + 8), Some(6000u64.to_le_bytes().as_slice()));
        assert_eq!(kdf_excess(KDBX31), None);
        assert_eq!(refusal(KDBX31).0, 0, "the database itself opens");
        let mut hostile = KDBX31.to_vec();
        hostile.splice(at..at + 8, u64::MAX.to_le_bytes());
        let (code, message) = refusal(&hostile);
        assert_eq!(code, 10, "{message}");
        assert!(
            message.contains("parti.kdbx asks for 18446744073709551615 rounds")
                && message.contains("more than the 2000000000")
                && message.contains("nothing was imported"),
            "{message}"
        );
    }

    #[test]
    fn a_database_asking_for_gigabytes_or_a_thread_per_lane_is_refused() {
        let argon2 = |memory: u64, iterations: u64, threads: u32| {
            kdbx4(&[
                (
                    "$UUID",
                    0x42,
                    &[0x9e, 0x29, 0x8b, 0x19, 0x56, 0xdb, 0x47, 0x73, 0xb2, 0x3d, 0xfc, 0x3e, 0xc6, 0xf0, 0xa1, 0xe6],
                ),
                ("S", 0x42, &[7; 32]),
                ("P", 0x04, &threads.to_le_bytes()),
                ("M", 0x05, &memory.to_le_bytes()),
                ("I", 0x05, &iterations.to_le_bytes()),
                ("V", 0x04, &0x13u32.to_le_bytes()),
            ])
        };
        let mib = 1024 * 1024;
        // KeePassXC's default, and a database tuned to take seconds to open, are read.
        assert_eq!(kdf_excess(&argon2(64 * mib, 10, 2)), None);
        assert_eq!(kdf_excess(&argon2(1024 * mib, 60, 8)), None);
        assert_eq!(kdf_excess(&argon2(64 * 1024 * mib, 2, 1)), Some(Excess::Memory { mib: 64 * 1024 }));
        assert_eq!(kdf_excess(&argon2(64 * mib, 10, 100_000)), Some(Excess::Threads { threads: 100_000 }));
        assert_eq!(
            kdf_excess(&argon2(64 * mib, 4_000_000_000, 1)),
            Some(Excess::Rounds { rounds: 4_000_000_000, max: 1024 })
        );
        let (code, message) = refusal(&argon2(64 * 1024 * mib, 2, 1));
        assert_eq!(code, 10, "{message}");
        assert!(message.contains("asks for 65536 MiB of memory") && message.contains("the 2048 MiB"), "{message}");
        let aes = kdbx4(&[("R", 0x05, &u64::MAX.to_le_bytes())]);
        assert!(matches!(kdf_excess(&aes), Some(Excess::Rounds { .. })));
        // A header cut short or of another kind is left to the keepass crate to refuse.
        assert_eq!(kdf_excess(&argon2(64 * 1024 * mib, 2, 1)[..30]), None);
        assert_eq!(kdf_excess(b"name,password\n"), None);
    }
}
