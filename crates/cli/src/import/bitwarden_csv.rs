//! `--format bitwarden-csv`: Bitwarden's (and Vaultwarden's) CSV export, personal
//! (`folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp`) or of an
//! organisation (`collections,type,name,...`). Logins are imported; secure notes are skipped with the reason (the
//! CSV export has no cards or identities). Password history is not in Bitwarden's CSV: use the JSON export for it.

use std::path::Path;

use coffre_i18n::t;

use super::{
    csv::{self as table, Columns, Field, Layout},
    item::Item,
    note::Note,
};
use crate::exit::Failure;

pub(crate) fn parse(text: &str, path: &Path) -> Result<Vec<Item>, Failure> {
    let mut reader = table::reader(text);
    let headers = table::headers(&mut reader, path)?;
    let at = |name: &str| headers.iter().position(|h| h.trim() == name);
    let required = ["type", "name", "login_password"];
    if let Some(missing) = required.iter().find(|name| at(name).is_none()) {
        return Err(Failure::invalid(t!(
            "import-not-bitwarden-csv",
            path = path.display().to_string(),
            column = missing.to_string()
        )));
    }
    let mut columns = Columns::default();
    for (field, name) in [
        (Field::Platform, "name"),
        (Field::Login, "login_username"),
        (Field::Password, "login_password"),
        (Field::Url, "login_uri"),
        (Field::Notes, "notes"),
        (Field::Totp, "login_totp"),
    ] {
        if let Some(i) = at(name) {
            columns.found.push((field, i));
        }
    }
    // A personal export has one folder; an organisation's, a comma-separated list of collections.
    let collections = |cell: &str| table::split(cell, Some(','));
    let (folder, folders): (_, fn(&str) -> Vec<String>) = match (at("folder"), at("collections")) {
        (Some(i), _) => (Some(i), table::one_folder),
        (None, Some(i)) => (Some(i), collections),
        (None, None) => (None, table::one_folder),
    };
    if let Some(i) = folder {
        columns.found.push((Field::Folder, i));
    }
    let kind = at("type");
    let unsupported = Box::new(move |record: &::csv::StringRecord| {
        let kind = kind.and_then(|i| record.get(i)).unwrap_or_default().trim().to_lowercase();
        match kind.as_str() {
            "login" => None,
            "note" => Some(Note::SecureNoteItem),
            other => Some(Note::OtherType { kind: other.to_owned() }),
        }
    });
    table::items(reader, &Layout { columns, unsupported, folders }, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_read_and_notes_skipped() -> Result<(), String> {
        let text = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
                    Réseaux,1,login,Facebook,,,0,https://facebook.com,parti,mot-de-passe-é,JBSWY3DPEHPK3PXP\n\
                    ,,note,Codes,secret note,,0,,,,\n";
        let items = parse(text, Path::new("bw.csv")).map_err(|e| e.message().to_owned())?;
        assert_eq!(items.len(), 2);
        let first = &items[0];
        assert_eq!(
            (first.name.as_str(), first.login.as_str(), first.password.expose_secret()),
            ("Facebook", "parti", "mot-de-passe-é")
        );
        assert_eq!(first.folders, ["Réseaux"]);
        assert_eq!(items[1].unsupported, Some(Note::SecureNoteItem));
        let org = "collections,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
                   \"Com,Finances\",login,Banque,,,0,,trésorerie,x,\n";
        let items = parse(org, Path::new("bw.csv")).map_err(|e| e.message().to_owned())?;
        assert_eq!(items[0].folders, ["Com", "Finances"]);
        assert!(parse("name,password\nx,y\n", Path::new("s.csv")).is_err());
        Ok(())
    }
}
