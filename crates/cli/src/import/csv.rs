//! `--format csv`: a spreadsheet saved as CSV, its columns named by `--map` or guessed from the header row (in
//! English or French). Also the reader that the Bitwarden and KeePassXC CSV formats use with their own columns.
//!
//! Quoting follows RFC 4180 (the `csv` crate); a record with more or fewer cells than the header is refused with
//! its line, since it is usually an opening quote that never closes. Cells are text and stay text: a cell that
//! starts with `=`, `+`, `-` or `@` is a value like any other, never a formula.

/// Says why a row is of a kind that is not imported (a card, an identity...), or `None` for a row to import.
pub(crate) type UnsupportedRow = dyn Fn(&csv::StringRecord) -> Option<Note>;

use std::path::Path;

use coffre_i18n::{Lang, t, t_in};

use super::{
    item::{Item, SecretText, clean},
    note::{Note, Origin},
};
use crate::exit::Failure;

/// What a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Platform,
    Login,
    Password,
    Url,
    Notes,
    Totp,
    Folder,
    Tags,
}

impl Field {
    const ALL: [Field; 8] = [
        Field::Platform,
        Field::Login,
        Field::Password,
        Field::Url,
        Field::Notes,
        Field::Totp,
        Field::Folder,
        Field::Tags,
    ];

    fn key(self) -> &'static str {
        match self {
            Field::Platform => "platform",
            Field::Login => "login",
            Field::Password => "password",
            Field::Url => "url",
            Field::Notes => "notes",
            Field::Totp => "totp",
            Field::Folder => "category",
            Field::Tags => "tags",
        }
    }

    fn from_key(key: &str) -> Option<Field> {
        let key = key.trim().to_lowercase();
        Field::ALL.into_iter().find(|f| f.key() == key).or(match key.as_str() {
            "name" => Some(Field::Platform),
            "folder" | "group" => Some(Field::Folder),
            _ => None,
        })
    }

    /// Header names guessed for this field, in lower case, English then French.
    fn guesses(self) -> &'static [&'static str] {
        match self {
            Field::Platform => &[
                "platform",
                "name",
                "title",
                "site",
                "service",
                "account",
                "plateforme",
                "nom",
                "titre",
                "compte",
                "nom du compte",
                "nom du site",
            ],
            Field::Login => &[
                "login",
                "username",
                "user",
                "user name",
                "email",
                "e-mail",
                "login_username",
                "identifiant",
                "utilisateur",
                "nom d'utilisateur",
                "nom d’utilisateur",
                "courriel",
                "adresse courriel",
            ],
            Field::Password => &["password", "pass", "login_password", "mot de passe", "mdp", "mot_de_passe"],
            Field::Url => &["url", "uri", "website", "web site", "login_uri", "link", "site web", "adresse", "lien"],
            Field::Notes => {
                &["notes", "note", "comments", "comment", "extra", "commentaires", "commentaire", "remarques"]
            }
            Field::Totp => &["totp", "otp", "2fa", "login_totp", "otpauth", "double authentification"],
            Field::Folder => &["category", "folder", "group", "catégorie", "categorie", "dossier", "groupe"],
            Field::Tags => &["tags", "labels", "étiquettes", "etiquettes", "mots-clés"],
        }
    }
}

/// Which column holds which field.
#[derive(Clone, Debug, Default)]
pub(crate) struct Columns {
    pub(crate) found: Vec<(Field, usize)>,
}

impl Columns {
    fn get(&self, field: Field) -> Option<usize> {
        self.found.iter().find(|(f, _)| *f == field).map(|(_, i)| *i)
    }

    /// `Columns: platform <- "Site", login <- "User", …` for the preview, in `lang`. The fields are named by their
    /// `--map` keys, which are what a reader types to correct a wrong guess.
    fn describe(&self, headers: &[String], lang: Lang) -> String {
        let columns: Vec<String> = self
            .found
            .iter()
            .map(|(field, i)| {
                let header = headers.get(*i).map_or("?", String::as_str);
                t_in!(lang, "import-column", field = field.key(), header = header)
            })
            .collect();
        t_in!(lang, "import-columns", columns = columns.join(", "))
    }
}

/// Parses `--map platform=Site,login=User,password=Mot de passe,...`.
pub(crate) fn parse_map(map: &str) -> Result<Vec<(Field, String)>, Failure> {
    let mut pairs = Vec::new();
    for pair in map.split(',').filter(|p| !p.trim().is_empty()) {
        let (field, column) =
            pair.split_once('=').ok_or_else(|| Failure::invalid(t!("import-map-not-a-pair", pair = pair)))?;
        let field = Field::from_key(field)
            .ok_or_else(|| Failure::invalid(t!("import-map-not-a-field", field = field.trim())))?;
        pairs.push((field, column.trim().to_owned()));
    }
    Ok(pairs)
}

/// The columns: those `map` names (which must exist), then guesses from the header for the others.
pub(crate) fn columns(headers: &[String], map: &[(Field, String)], path: &Path) -> Result<Columns, Failure> {
    let lower: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut columns = Columns::default();
    for (field, name) in map {
        let at = lower.iter().position(|h| *h == name.to_lowercase()).ok_or_else(|| {
            Failure::invalid(t!(
                "import-map-no-column",
                path = path.display().to_string(),
                column = name.as_str(),
                columns = headers.join(", ")
            ))
        })?;
        columns.found.push((*field, at));
    }
    for field in Field::ALL {
        if columns.get(field).is_some() {
            continue;
        }
        let used: Vec<usize> = columns.found.iter().map(|(_, i)| *i).collect();
        let guess = field
            .guesses()
            .iter()
            .find_map(|g| lower.iter().position(|h| h.as_str() == *g).filter(|i| !used.contains(i)));
        if let Some(at) = guess {
            columns.found.push((field, at));
        }
    }
    for needed in [Field::Platform, Field::Password] {
        if columns.get(needed).is_none() {
            return Err(Failure::invalid(t!(
                "import-column-unknown",
                path = path.display().to_string(),
                field = needed.key(),
                columns = headers.join(", ")
            )));
        }
    }
    Ok(columns)
}

/// How a format's CSV is laid out beyond its columns.
pub(crate) struct Layout {
    pub(crate) columns: Columns,
    /// Gives, from a record, why it is not imported (a secure note, a card...).
    pub(crate) unsupported: Box<UnsupportedRow>,
    /// How the folder cell becomes folders (outermost first): one folder, a group path, a list of collections.
    pub(crate) folders: fn(&str) -> Vec<String>,
}

impl Layout {
    pub(crate) fn plain(columns: Columns) -> Self {
        Layout { columns, unsupported: Box::new(|_| None), folders: one_folder }
    }
}

/// A folder cell that names one folder.
pub(crate) fn one_folder(cell: &str) -> Vec<String> {
    split(cell, None)
}

/// The non-empty, trimmed parts of `text` split by `by` (the whole of it when `by` is `None`).
pub(crate) fn split(text: &str, by: Option<char>) -> Vec<String> {
    let parts: Vec<&str> = match by {
        Some(by) => text.split(by).collect(),
        None => vec![text],
    };
    parts.into_iter().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// A CSV reader over `text`, with `;` as the separator when the header row has `;` and no `,` (as spreadsheets in
/// French locales write it).
pub(crate) fn reader(text: &str) -> csv::Reader<&[u8]> {
    let header = text.lines().next().unwrap_or_default();
    let delimiter = if header.contains(';') && !header.contains(',') { b';' } else { b',' };
    csv::ReaderBuilder::new().delimiter(delimiter).flexible(false).from_reader(text.as_bytes())
}

/// The header row.
pub(crate) fn headers(reader: &mut csv::Reader<&[u8]>, path: &Path) -> Result<Vec<String>, Failure> {
    let headers = reader.headers().map_err(|err| malformed(path, &err))?;
    if headers.is_empty() || headers.iter().all(|h| h.trim().is_empty()) {
        return Err(Failure::invalid(t!("import-no-header", path = path.display().to_string())));
    }
    Ok(headers.iter().map(str::to_owned).collect())
}

/// Reads every record of `reader` into items, as `layout` says.
pub(crate) fn items(mut reader: csv::Reader<&[u8]>, layout: &Layout, path: &Path) -> Result<Vec<Item>, Failure> {
    let mut items = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => return Err(malformed(path, &err)),
        }
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        super::input::within_items(items.len() + 1, path)?;
        let line = record.position().map_or(0, csv::Position::line);
        let cell = |field: Field| layout.columns.get(field).and_then(|i| record.get(i)).unwrap_or_default();
        let origin = Origin::Line(line);
        let name = clean(cell(Field::Platform));
        if let Some(why) = (layout.unsupported)(&record) {
            items.push(Item::unsupported(origin, name, why));
            continue;
        }
        let folders = (layout.folders)(cell(Field::Folder));
        items.push(Item {
            origin,
            name,
            url: clean(cell(Field::Url)),
            login: clean(cell(Field::Login)),
            // Passwords are kept exactly as they are: spaces may be part of them.
            password: SecretText::new(cell(Field::Password).to_owned()),
            notes: SecretText::new(cell(Field::Notes).to_owned()),
            totp: SecretText::new(cell(Field::Totp).to_owned()),
            folders,
            tags: split(cell(Field::Tags), Some(',')),
            history: Vec::new(),
            unsupported: None,
        });
    }
    // The record buffer held passwords; it is not a zeroizing type, so it is emptied before it is dropped.
    record.clear();
    Ok(items)
}

/// A CSV error as a sentence that names the line and never a cell's content.
fn malformed(path: &Path, err: &csv::Error) -> Failure {
    let line = err.position().map_or(0, csv::Position::line);
    let path = path.display().to_string();
    match err.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            Failure::invalid(t!("import-csv-unequal", path = path, line = line, cells = len, header = expected_len))
        }
        _ => Failure::invalid(t!("import-csv-unreadable", path = path, line = line)),
    }
}

/// The spreadsheet format: columns from `--map` and the header.
pub(crate) fn parse(text: &str, path: &Path, map: Option<&str>) -> Result<(Vec<Item>, String), Failure> {
    let map = parse_map(map.unwrap_or_default())?;
    let mut reader = reader(text);
    let headers = headers(&mut reader, path)?;
    let columns = columns(&headers, &map, path)?;
    let preview = columns.describe(&headers, coffre_i18n::current());
    let items = items(reader, &Layout::plain(columns), path)?;
    Ok((items, preview))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str, map: Option<&str>) -> Result<(Vec<Item>, String), String> {
        parse(text, Path::new("f.csv"), map).map_err(|e| e.message().to_owned())
    }

    #[test]
    fn french_headers_are_guessed() -> Result<(), String> {
        let text = "Nom;Identifiant;Mot de passe;Site web;Catégorie\nCaisse Desjardins;trésorière;pâté=1;https://desjardins.com;Banque\n";
        let (items, preview) = parsed(text, None)?;
        assert_eq!(
            preview,
            "Columns: platform <- \"Nom\", login <- \"Identifiant\", password <- \"Mot de passe\", url <- \"Site web\", category <- \"Catégorie\""
        );
        let item = items.first().ok_or("no item")?;
        assert_eq!(
            (item.name.as_str(), item.login.as_str(), item.password.expose_secret()),
            ("Caisse Desjardins", "trésorière", "pâté=1")
        );
        assert_eq!(item.folders, ["Banque"]);
        let path = Path::new("f.csv");
        let headers = headers(&mut reader(text), path).map_err(|e| e.message().to_owned())?;
        let found = columns(&headers, &[], path).map_err(|e| e.message().to_owned())?;
        assert_eq!(
            found.describe(&headers, Lang::FrCa),
            "Colonnes\u{a0}: platform <- «\u{a0}Nom\u{a0}», login <- «\u{a0}Identifiant\u{a0}», password <- «\u{a0}Mot de passe\u{a0}», url <- «\u{a0}Site web\u{a0}», category <- «\u{a0}Catégorie\u{a0}»"
        );
        Ok(())
    }

    #[test]
    fn a_map_names_the_columns_and_must_name_real_ones() -> Result<(), String> {
        let text = "Service,Qui,Secret\nX,me,\" spaces kept \"\n";
        let (items, _) = parsed(text, Some("platform=Service,login=Qui,password=Secret"))?;
        assert_eq!(items.first().map(|i| i.password.expose_secret()), Some(" spaces kept "));
        let err = parsed(text, Some("password=Nope")).err().unwrap_or_default();
        assert!(err.contains("no column \"Nope\"") && err.contains("Service, Qui, Secret"), "{err}");
        let err = parsed("A,B\n1,2\n", None).err().unwrap_or_default();
        assert!(err.contains("--map"), "{err}");
        assert!(parsed(text, Some("colour=Service")).is_err());
        Ok(())
    }

    #[test]
    fn malformed_quoting_is_refused_with_its_line_and_without_content() {
        // A quote that never closes swallows the rest of the file into one cell: the reader accepts it, and the
        // mapping then skips the item because its password holds a line break (mapping.rs), never quoting it.
        let text = "name,password\nA,\"open-secret\nB,x\n";
        let (items, _) = parsed(text, None).unwrap_or_default();
        assert_eq!(items.len(), 1);
        assert!(items.iter().all(|i| i.password.expose_secret().contains('\n')));
        let err = parsed("name,password\nA,b,c\n", None).err().unwrap_or_default();
        assert!(err.contains("has 3 cells where the header has 2"), "{err}");
    }

    #[test]
    fn a_file_of_more_rows_than_one_import_takes_is_refused_while_it_is_read() {
        // Six million short rows fit in the 64 MiB cap and took 2.3 GB of memory as items, before any plan.
        let mut text = String::from("name,password\n");
        for n in 0..=super::super::input::MAX_ITEMS {
            text.push_str(&format!("{n},p\n"));
        }
        let err = parsed(&text, None).err().unwrap_or_default();
        assert!(err.contains("more than 100000 entries") && err.contains("several files"), "{err}");
        text.truncate(text.trim_end().rfind('\n').unwrap_or(0) + 1);
        assert_eq!(parsed(&text, None).map(|(items, _)| items.len()), Ok(super::super::input::MAX_ITEMS));
    }

    #[test]
    fn formula_cells_stay_text_and_blank_lines_are_ignored() -> Result<(), String> {
        let text = "name,password,notes\n=1+1,+SUM(A1),@cmd\n\n-2,=x,\n";
        let (items, _) = parsed(text, None)?;
        let got: Vec<(&str, &str, &str)> =
            items.iter().map(|i| (i.name.as_str(), i.password.expose_secret(), i.notes.expose_secret())).collect();
        assert_eq!(got, [("=1+1", "+SUM(A1)", "@cmd"), ("-2", "=x", "")]);
        Ok(())
    }
}
