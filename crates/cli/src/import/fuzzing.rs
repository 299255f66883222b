//! Entry point for the fuzz target `import` in `fuzz/` (cargo-fuzz): the parsers of `coffre import`, which read a
//! file someone else may have made (an export handed over by a former treasurer, a spreadsheet), then the mapping
//! that makes each record an entry the vault accepts. Not part of the API: compiled only with the `fuzzing` feature
//! (which only `fuzz/` enables) and in this crate's tests, which replay the committed corpus (`fuzz/corpus/import/`)
//! and every crash found (`fuzz/regressions/import/`) through the same function.
//!
//! KeePass databases (KDBX) are left out: the `keepass` crate derives the key (AES-KDF or Argon2, with the cost
//! the file's header asks for) before anything behind the header's MAC is read, so a fuzzer would spend its time
//! in the KDF or time out on a costly header instead of reaching a parser.
//!
//! The function must return normally for any input: a panic is a bug.

use std::path::Path;

use super::{bitwarden_csv, bitwarden_json, csv, input, keepassxc_csv, mapping, onepux};
use crate::values::Category;

/// A fuzz target: its name and the function it calls with each input.
pub type Target = (&'static str, fn(&[u8]));

/// The fuzz targets of this module, as named in `fuzz/Cargo.toml` and `fuzz/corpus/`.
pub const TARGETS: [Target; 1] = [("import", import)];

/// The first byte picks the format (as `--format` does), the rest is the file. Selector 5 is a spreadsheet
/// preceded by the values of `--map` and `--category-map`, one line each. Every item read then goes through the
/// mapping, as `coffre import --dry-run` does.
pub fn import(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let path = Path::new("fuzz");
    let text = || input::utf8(bytes, path).ok();
    let mut category_map = None;
    let items = match selector % 6 {
        0 => text().and_then(|t| csv::parse(t, path, None).ok()).map(|(items, _)| items),
        1 => text().and_then(|t| bitwarden_json::parse(t, path).ok()),
        2 => text().and_then(|t| bitwarden_csv::parse(t, path).ok()),
        3 => text().and_then(|t| keepassxc_csv::parse(t, path).ok()),
        4 => onepux::parse(bytes, path).ok(),
        _ => text().and_then(|t| {
            let mut lines = t.splitn(3, '\n');
            let (map, categories, sheet) = (lines.next()?, lines.next()?, lines.next().unwrap_or_default());
            category_map = mapping::CategoryMap::parse(Category::Other, Some(categories)).ok();
            csv::parse(sheet, path, Some(map)).ok().map(|(items, _)| items)
        }),
    };
    let categories = match category_map {
        Some(map) => map,
        None => mapping::CategoryMap::parse(Category::Other, None).expect("no map parses"),
    };
    for item in items.unwrap_or_default() {
        let _ = mapping::candidate(item, &categories);
    }
}

/// Small valid files of every format the target reads (the seed corpus, `fuzz/corpus/import/seed-*`), written by
/// this module's test when `COFFRE_FUZZ_WRITE_SEEDS=1` is set.
pub fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let with = |selector: u8, file: &[u8]| {
        let mut seed = vec![selector];
        seed.extend_from_slice(file);
        ("import", seed)
    };
    let sheet = "Nom;Identifiant;Mot de passe;Site web;Catégorie;TOTP\n\
                 Caisse Desjardins;trésorière;pâté=1;https://desjardins.com;Banque;JBSWY3DPEHPK3PXP\n\
                 ;parti;x;https://facebook.com/parti;Réseaux sociaux;otpauth://totp/X?secret=JBSWY3DPEHPK3PXP\n";
    let bitwarden_json = r#"{"encrypted": false,
      "folders": [{"id": "f1", "name": "Réseaux sociaux"}],
      "items": [
        {"id": "1", "folderId": "f1", "type": 1, "name": "Facebook", "notes": "page officielle",
         "login": {"uris": [{"match": null, "uri": "https://facebook.com"}], "username": "parti", "password": "trois",
                   "totp": "otpauth://totp/Facebook:parti?secret=JBSWY3DPEHPK3PXP&issuer=Facebook"},
         "passwordHistory": [{"lastUsedDate": "2025-02-01T00:00:00.000Z", "password": "deux"}]},
        {"id": "2", "type": 3, "name": "Visa", "card": {"number": "4111111111111111"}}
      ]}"#;
    let bitwarden_csv = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
                         Réseaux,1,login,Facebook,,,0,https://facebook.com,parti,mot-de-passe-é,JBSWY3DPEHPK3PXP\n\
                         ,,note,Codes,secret note,,0,,,,\n";
    let keepassxc_csv = "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\",\"Icon\",\"Last Modified\",\"Created\"\n\
                         \"Racine/Réseaux sociaux\",\"Instagram\",\"parti\",\"pa,ss\",\"https://instagram.com\",\"\",\"\",\"0\",\"\",\"\"\n";
    let mapped = "platform=Service,login=Qui,password=Secret,tags=Étiquettes\nRéseaux sociaux=social-network,Banque=financial\n\
                  Service,Qui,Secret,Étiquettes\nX,me,\" spaces kept \",a;b\n";
    vec![
        with(0, sheet.as_bytes()),
        with(1, bitwarden_json.as_bytes()),
        with(2, bitwarden_csv.as_bytes()),
        with(3, keepassxc_csv.as_bytes()),
        with(4, &onepux_archive()),
        with(5, mapped.as_bytes()),
    ]
}

/// A 1Password export (.1pux): a zip with `export.data` deflated, holding one login with a password history and
/// a TOTP field, and one credit card.
fn onepux_archive() -> Vec<u8> {
    use std::io::Write as _;

    let data = r#"{"accounts": [{"vaults": [{"attrs": {"name": "Partage"}, "items": [
        {"categoryUuid": "001", "state": "active",
         "overview": {"title": "Facebook", "url": "https://facebook.com", "tags": ["réseaux"]},
         "details": {"loginFields": [{"designation": "username", "value": "parti"},
                                     {"designation": "password", "value": "secret"}],
                     "notesPlain": "page", "sections": [{"fields": [{"value": {"totp": "JBSWY3DPEHPK3PXP"}}]}],
                     "passwordHistory": [{"value": "ancien", "time": 1700000000}]}},
        {"categoryUuid": "002", "overview": {"title": "Visa"}, "details": {}}
    ]}]}]}"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("export.attributes", options).expect("a zip in memory");
    zip.write_all(br#"{"version":3,"description":"1Password Unencrypted Export","createdAt":1700000000}"#)
        .expect("a zip in memory");
    zip.start_file("export.data", options).expect("a zip in memory");
    zip.write_all(data.as_bytes()).expect("a zip in memory");
    zip.finish().expect("a zip in memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every seed is read by its parser into at least one entry the mapping accepts, so the fuzzer starts from
    /// the paths that matter. With `COFFRE_FUZZ_WRITE_SEEDS=1`, they are (re)written to
    /// `fuzz/corpus/import/seed-<n>` (after a format change).
    #[test]
    fn the_seeds_are_read_by_the_parsers() {
        let path = Path::new("seed");
        let categories = mapping::CategoryMap::parse(Category::Other, None).expect("no map parses");
        let seeds = seeds();
        for (_, seed) in &seeds {
            let (selector, bytes) = seed.split_first().expect("a selector");
            let text = || std::str::from_utf8(bytes).expect("UTF-8");
            let items = match selector {
                0 => csv::parse(text(), path, None).map(|(items, _)| items),
                1 => bitwarden_json::parse(text(), path),
                2 => bitwarden_csv::parse(text(), path),
                3 => keepassxc_csv::parse(text(), path),
                4 => onepux::parse(bytes, path),
                _ => {
                    let mut lines = text().splitn(3, '\n');
                    let (map, _, sheet) = (lines.next(), lines.next(), lines.next().unwrap_or_default());
                    csv::parse(sheet, path, map).map(|(items, _)| items)
                }
            };
            let items = items.map_err(|e| e.message().to_owned()).expect("the seed parses");
            let accepted = items.into_iter().filter_map(|item| mapping::candidate(item, &categories).ok()).count();
            assert!(accepted > 0, "seed {selector} gives no entry");
        }
        coffre_fuzz_corpus::write_seeds_when_asked(&seeds);
    }

    #[test]
    fn every_committed_fuzz_input_replays_without_panic() {
        coffre_fuzz_corpus::replay(&TARGETS);
    }
}
