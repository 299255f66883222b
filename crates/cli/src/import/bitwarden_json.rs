//! `--format bitwarden-json`: Bitwarden's (and Vaultwarden's) unencrypted JSON export, personal (with `folders`)
//! or of an organisation (with `collections`). Logins are imported with their URL, TOTP and password history
//! (older versions, oldest first); cards, identities, secure notes and SSH keys are skipped with the reason. An
//! encrypted export is refused: export again choosing "JSON" rather than "JSON (Encrypted)".

use std::{collections::HashMap, path::Path};

use serde::Deserialize;

use coffre_i18n::t;

use super::{
    item::{Item, SecretText, clean},
    note::{Note, Origin},
};
use crate::exit::Failure;

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    encrypted: bool,
    #[serde(default)]
    folders: Vec<Named>,
    #[serde(default)]
    collections: Vec<Named>,
    #[serde(default)]
    items: Vec<BwItem>,
}

#[derive(Deserialize)]
struct Named {
    id: String,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BwItem {
    #[serde(rename = "type")]
    kind: u8,
    #[serde(default)]
    name: String,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    folder_id: Option<String>,
    #[serde(default)]
    collection_ids: Option<Vec<String>>,
    #[serde(default)]
    login: Option<Login>,
    #[serde(default)]
    password_history: Option<Vec<OldPassword>>,
}

#[derive(Deserialize)]
struct Login {
    #[serde(default)]
    uris: Option<Vec<Uri>>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    totp: Option<String>,
}

#[derive(Deserialize)]
struct Uri {
    #[serde(default)]
    uri: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OldPassword {
    #[serde(default)]
    last_used_date: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

pub(crate) fn parse(text: &str, path: &Path) -> Result<Vec<Item>, Failure> {
    let export: Export = serde_json::from_str(text).map_err(|err| {
        // serde_json's message names a line and column, and for a wrong type a short quote of the JSON token's kind,
        // never a string's content.
        Failure::invalid(t!(
            "import-not-bitwarden-json",
            path = path.display().to_string(),
            line = err.line(),
            column = err.column()
        ))
    })?;
    if export.encrypted {
        return Err(Failure::invalid(t!("import-bitwarden-encrypted", path = path.display().to_string())));
    }
    let folders: HashMap<String, String> = export.folders.into_iter().map(|f| (f.id, f.name)).collect();
    let collections: HashMap<String, String> = export.collections.into_iter().map(|c| (c.id, c.name)).collect();
    let mut items = Vec::with_capacity(export.items.len());
    for (n, bw) in export.items.into_iter().enumerate() {
        let origin = Origin::Item(n + 1);
        let name = clean(&bw.name);
        let why = match bw.kind {
            1 => None,
            2 => Some(Note::SecureNoteItem),
            3 => Some(Note::Card),
            4 => Some(Note::Identity),
            5 => Some(Note::SshKey),
            _ => Some(Note::UnknownKind),
        };
        if let Some(why) = why {
            items.push(Item::unsupported(origin, name, why));
            continue;
        }
        let mut item_folders: Vec<String> = Vec::new();
        if let Some(folder) = bw.folder_id.as_ref().and_then(|id| folders.get(id)) {
            // Bitwarden writes nested folders as "Parent/Child".
            item_folders.extend(folder.split('/').map(str::trim).filter(|f| !f.is_empty()).map(str::to_owned));
        }
        for id in bw.collection_ids.unwrap_or_default() {
            if let Some(collection) = collections.get(&id) {
                item_folders.extend(collection.split('/').map(str::trim).filter(|f| !f.is_empty()).map(str::to_owned));
            }
        }
        let login = bw.login.unwrap_or(Login { uris: None, username: None, password: None, totp: None });
        let url = login.uris.unwrap_or_default().into_iter().find_map(|u| u.uri.filter(|u| !u.trim().is_empty()));
        let mut history = bw.password_history.unwrap_or_default();
        // Bitwarden lists the most recent first; the dates are ISO 8601, so they sort as text.
        history.sort_by(|a, b| a.last_used_date.cmp(&b.last_used_date));
        items.push(Item {
            origin,
            name,
            url: clean(&url.unwrap_or_default()),
            login: clean(&login.username.unwrap_or_default()),
            password: SecretText::new(login.password.unwrap_or_default()),
            notes: SecretText::new(bw.notes.unwrap_or_default()),
            totp: SecretText::new(login.totp.unwrap_or_default()),
            folders: item_folders,
            tags: Vec::new(),
            history: history.into_iter().filter_map(|h| h.password).map(SecretText::new).collect(),
            unsupported: None,
        });
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = r#"{
      "encrypted": false,
      "collections": [{"id": "c1", "organizationId": "o", "name": "Réseaux sociaux", "externalId": null}],
      "items": [
        {"id": "1", "organizationId": "o", "collectionIds": ["c1"], "type": 1, "name": "Facebook", "notes": "page officielle",
         "login": {"uris": [{"match": null, "uri": "https://facebook.com"}], "username": "parti", "password": "trois",
                   "totp": "otpauth://totp/Facebook:parti?secret=JBSWY3DPEHPK3PXP&issuer=Facebook"},
         "passwordHistory": [{"lastUsedDate": "2025-02-01T00:00:00.000Z", "password": "deux"},
                             {"lastUsedDate": "2024-01-01T00:00:00.000Z", "password": "un"}]},
        {"id": "2", "type": 3, "name": "Visa", "card": {"number": "4111111111111111"}},
        {"id": "3", "type": 4, "name": "Présidente", "identity": {}},
        {"id": "4", "type": 2, "name": "Note", "notes": "x", "secureNote": {"type": 0}}
      ]
    }"#;

    #[test]
    fn an_organisation_export_gives_logins_with_history_and_skips_the_rest() -> Result<(), String> {
        let items = parse(ORG, Path::new("bw.json")).map_err(|e| e.message().to_owned())?;
        assert_eq!(items.len(), 4);
        let fb = &items[0];
        assert_eq!(
            (fb.name.as_str(), fb.url.as_str(), fb.login.as_str()),
            ("Facebook", "https://facebook.com", "parti")
        );
        assert_eq!(fb.folders, ["Réseaux sociaux"]);
        let history: Vec<&str> = fb.history.iter().map(SecretText::expose_secret).collect();
        assert_eq!(history, ["un", "deux"]);
        assert!(fb.totp.expose_secret().starts_with("otpauth://"));
        assert_eq!(items[1].unsupported, Some(Note::Card));
        assert_eq!(items[2].unsupported, Some(Note::Identity));
        assert_eq!(items[3].unsupported, Some(Note::SecureNoteItem));
        Ok(())
    }

    #[test]
    fn encrypted_and_broken_exports_are_refused() {
        let err =
            parse(r#"{"encrypted": true, "items": []}"#, Path::new("e.json")).err().map(|e| e.message().to_owned());
        assert!(err.unwrap_or_default().contains("encrypted Bitwarden export"));
        let err = parse(r#"{"items": [{"type": 1, "name": "secret-name""#, Path::new("b.json"))
            .err()
            .map(|e| e.message().to_owned());
        let err = err.unwrap_or_default();
        assert!(err.contains("not a Bitwarden JSON export") && !err.contains("secret-name"), "{err}");
    }
}
