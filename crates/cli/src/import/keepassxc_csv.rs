//! `--format keepassxc-csv`: KeePassXC's CSV export
//! (`"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"`; older versions
//! lack TOTP and Icon). The group is a path ("Root/Social"); its first element, the database's root, is dropped.
//! Entries in the recycle bin are skipped. KeePassXC's CSV has no password history: import the .kdbx for it.

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
    if let Some(missing) = ["Group", "Title", "Password"].iter().find(|name| at(name).is_none()) {
        return Err(Failure::invalid(t!(
            "import-not-keepassxc-csv",
            path = path.display().to_string(),
            column = missing.to_string()
        )));
    }
    let mut columns = Columns::default();
    for (field, name) in [
        (Field::Platform, "Title"),
        (Field::Login, "Username"),
        (Field::Password, "Password"),
        (Field::Url, "URL"),
        (Field::Notes, "Notes"),
        (Field::Totp, "TOTP"),
    ] {
        if let Some(i) = at(name) {
            columns.found.push((field, i));
        }
    }
    let group = at("Group");
    let unsupported = Box::new(move |record: &::csv::StringRecord| {
        let group = group.and_then(|i| record.get(i)).unwrap_or_default();
        let in_bin = group.split('/').any(|g| matches!(g.trim(), "Recycle Bin" | "Corbeille"));
        in_bin.then_some(Note::RecycleBin)
    });
    // The group path, without the root group's name.
    let folders = |cell: &str| table::split(cell, Some('/')).into_iter().skip(1).collect();
    if let Some(i) = group {
        columns.found.push((Field::Folder, i));
    }
    table::items(reader, &Layout { columns, unsupported, folders }, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_become_folders_without_the_root() -> Result<(), String> {
        let text = "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\",\"Icon\",\"Last Modified\",\"Created\"\n\
                    \"Racine/Réseaux sociaux\",\"Instagram\",\"parti\",\"pa,ss\",\"https://instagram.com\",\"\",\"\",\"0\",\"\",\"\"\n\
                    \"Racine/Corbeille\",\"Vieux\",\"x\",\"y\",\"\",\"\",\"\",\"0\",\"\",\"\"\n";
        let items = parse(text, Path::new("kp.csv")).map_err(|e| e.message().to_owned())?;
        assert_eq!(items[0].folders, ["Réseaux sociaux"]);
        assert_eq!(items[0].password.expose_secret(), "pa,ss");
        assert_eq!(items[1].unsupported, Some(Note::RecycleBin));
        Ok(())
    }
}
