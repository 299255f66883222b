//! What commands print: human text for people, one JSON object with `--json` for scripts (stable snake_case
//! keys, enum values spelled as on the command line, times in RFC 3339 UTC), tables, and times.

use std::io::{self, Write};

use coffre_proto::v1::{Entry, Timestamp, Version};
use serde::Serialize;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use crate::{
    exit::Failure,
    values::{category_name, classification_name, lifecycle_name},
};

/// Prints `value` as one JSON object when `json`, else the human text `human` builds.
pub(crate) fn emit<T: Serialize>(json: bool, value: &T, human: impl FnOnce() -> String) -> Result<(), Failure> {
    if json {
        let mut text = serde_json::to_string(value)
            .map_err(|err| Failure::other(coffre_i18n::t!("json-cannot-encode", reason = err.to_string())))?;
        text.push('\n');
        write_stdout(text.as_bytes())
    } else {
        let mut text = human();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        write_stdout(text.as_bytes())
    }
}

/// Writes to standard output. A closed pipe (`coffre entry list | head`) is not an error worth a message.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(err) => Err(Failure::other(coffre_i18n::t!("stdout-cannot-write", reason = err.to_string()))),
    }
}

/// A line of information for people on standard error, where it does not mix with data on standard output.
pub(crate) fn note(text: &str) {
    note_to(&mut io::stderr().lock(), text);
}

/// Writes `text` and its newline in one write (standard error is unbuffered: `writeln!` would make two, and the
/// notes of commands run in parallel would interleave between a line and its newline).
fn note_to(out: &mut impl Write, text: &str) {
    let line = format!("{text}\n");
    let _ = out.write_all(line.as_bytes());
}

/// RFC 3339 in UTC, e.g. "2025-11-24T17:32:05Z".
pub(crate) fn rfc3339(time: OffsetDateTime) -> String {
    time.format(&Rfc3339).unwrap_or_else(|_| time.unix_timestamp().to_string())
}

/// Parses an RFC 3339 time.
pub(crate) fn parse_rfc3339(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// A timestamp from the daemon, as a time.
pub(crate) fn from_proto(timestamp: Option<&Timestamp>) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(timestamp?.unix_seconds).ok()
}

/// A timestamp from the daemon for JSON: RFC 3339 UTC, or null.
pub(crate) fn json_time(timestamp: Option<&Timestamp>) -> Option<String> {
    from_proto(timestamp).map(rfc3339)
}

/// A time for people, in their local time zone (`TZ`, else the system's) with its offset:
/// "2025-11-24 12:32 -05:00". JSON output stays in UTC ([`rfc3339`]).
pub(crate) fn human_time(time: Option<OffsetDateTime>) -> String {
    time.and_then(|t| coffre_i18n::local_time(t.unix_timestamp())).unwrap_or_else(|| coffre_i18n::t!("time-unknown"))
}

/// Text received from the daemon, made safe to print on a terminal: control characters (which could move the
/// cursor or rewrite what the reader sees) and bidirectional embeddings, overrides and isolates (which reorder
/// what follows them on the line: "Trojan Source", CVE-2021-42574) are replaced.
pub(crate) fn printable(text: &str) -> String {
    text.chars().map(|c| if hidden(c) { '\u{fffd}' } else { c }).collect()
}

/// A control character, or a bidirectional embedding, override or isolate: what the vault refuses in names and
/// text (coffre-vault's `validate.rs`), and what is never printed as it is.
pub(crate) fn hidden(c: char) -> bool {
    c.is_control() || coffre_crypto::index::reorders_text(c)
}

/// A table with a header row; columns separated by two spaces, the last one not padded.
/// The column keys (`platform`, `granted-by`...) are shown in the reader's language (`column` in the catalogue);
/// a key the catalogue does not know is shown as it is.
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let headers: Vec<String> = headers.iter().map(|key| coffre_i18n::t!("column", name = (*key))).collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in std::iter::once(&headers).chain(rows) {
        let last = row.len().saturating_sub(1);
        for (i, cell) in row.iter().enumerate() {
            text.push_str(cell);
            if i < last {
                let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(cell.chars().count()) + 2;
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        text.push('\n');
    }
    text
}

/// An entry's metadata in JSON.
#[derive(Debug, PartialEq, Serialize)]
pub(crate) struct EntryJson {
    pub(crate) platform: String,
    pub(crate) category: String,
    pub(crate) url: String,
    pub(crate) login: String,
    pub(crate) recovery_contacts: Vec<String>,
    pub(crate) classification: String,
    pub(crate) lifecycle: String,
    pub(crate) tags: Vec<String>,
    pub(crate) version: u32,
    pub(crate) has_totp: bool,
    pub(crate) has_notes: bool,
    pub(crate) created: Option<String>,
    pub(crate) updated: Option<String>,
    /// Why the password must change, when it must.
    pub(crate) rotation_due: Option<String>,
}

impl From<&Entry> for EntryJson {
    fn from(entry: &Entry) -> Self {
        EntryJson {
            platform: entry.platform.clone(),
            category: category_name(entry.category),
            url: entry.url.clone(),
            login: entry.login.clone(),
            recovery_contacts: entry.recovery_contacts.clone(),
            classification: classification_name(entry.classification),
            lifecycle: lifecycle_name(entry.lifecycle),
            tags: entry.tags.clone(),
            version: entry.version,
            has_totp: entry.has_totp,
            has_notes: entry.has_notes,
            created: json_time(entry.created.as_ref()),
            updated: json_time(entry.updated.as_ref()),
            rotation_due: entry.rotation_due.as_ref().map(|due| due.reason.clone()),
        }
    }
}

/// One version of an entry's secret fields in JSON.
#[derive(Debug, PartialEq, Serialize)]
pub(crate) struct VersionJson {
    pub(crate) version: u32,
    pub(crate) created: Option<String>,
    pub(crate) created_by: String,
    pub(crate) changed: Vec<String>,
}

impl From<&Version> for VersionJson {
    fn from(version: &Version) -> Self {
        VersionJson {
            version: version.version,
            created: json_time(version.created.as_ref()),
            created_by: version.created_by.clone(),
            changed: version.changed.clone(),
        }
    }
}

/// Messages the daemon sends as a code and its arguments: the catalogue's ids are `prefix` and the code, and each
/// code needs the arguments named (the engine's `code()` and `arguments()`).
pub(crate) struct Coded {
    pub(crate) prefix: &'static str,
    pub(crate) codes: &'static [(&'static str, &'static [&'static str])],
}

/// Why an entry's password must change (the engine's `DueDetail`).
pub(crate) const ROTATION_DETAILS: Coded = Coded {
    prefix: "rotation-detail-",
    codes: &[
        ("age", &["days", "max_days"]),
        ("offboarded", &["text"]),
        ("offboarded-unknown", &["person"]),
        ("offboarded-codes", &["person"]),
        ("offboarded-staged", &["person", "version"]),
        ("offboarded-current", &["person", "version"]),
        ("offboarded-replaced", &["person", "version", "current"]),
        ("left", &[]),
        ("compromised", &["by", "reason"]),
    ],
};

/// What an offboarded person saw of an entry (the engine's `Seen`), with the entry's `platform`.
pub(crate) const SEEN: Coded = Coded {
    prefix: "person-offboarded-saw-",
    codes: &[
        ("unknown", &[]),
        ("codes", &[]),
        ("staged", &["version"]),
        ("current", &["version"]),
        ("replaced", &["version", "current"]),
    ],
};

/// A coded message in `lang`, with `also` (values of the client's own, such as a platform); `None` when the code
/// is unknown here or an argument is missing (a daemon older or newer than this client), for the caller to show
/// the daemon's English text rather than half a translation. Values are made printable.
pub(crate) fn coded_text(
    lang: coffre_i18n::Lang,
    coded: &Coded,
    code: &str,
    arguments: &std::collections::HashMap<String, String>,
    also: &[(&'static str, String)],
) -> Option<String> {
    let (_, needed) = coded.codes.iter().find(|(known, _)| *known == code)?;
    let mut values: Vec<(&str, String)> = also.iter().map(|(name, value)| (*name, printable(value))).collect();
    for name in *needed {
        values.push((name, printable(arguments.get(*name)?)));
    }
    coffre_i18n::message(lang, &format!("{}{code}", coded.prefix), &values)
}

/// Why an entry's password must change, in `lang` (the daemon's English text from a daemon that sends no code).
pub(crate) fn rotation_due_text(due: &coffre_proto::v1::RotationDue, lang: coffre_i18n::Lang) -> String {
    coded_text(lang, &ROTATION_DETAILS, &due.detail_code, &due.detail_arguments, &[])
        .unwrap_or_else(|| printable(&due.reason))
}

/// An entry's metadata for people, one field a line.
pub(crate) fn entry_text(entry: &Entry) -> String {
    let yes_no = |b: bool| if b { coffre_i18n::t!("answer-yes") } else { coffre_i18n::t!("answer-no") };
    let list = |items: &[String]| if items.is_empty() { "-".to_owned() } else { printable(&items.join(", ")) };
    let or_dash = |text: &str| if text.is_empty() { "-".to_owned() } else { printable(text) };
    let fields = [
        ("platform", printable(&entry.platform)),
        ("category", category_name(entry.category)),
        ("url", or_dash(&entry.url)),
        ("login", or_dash(&entry.login)),
        ("recovery-contacts", list(&entry.recovery_contacts)),
        ("classification", classification_name(entry.classification)),
        ("lifecycle", lifecycle_name(entry.lifecycle)),
        ("tags", list(&entry.tags)),
        ("version", entry.version.to_string()),
        ("totp-stored", yes_no(entry.has_totp)),
        ("notes-stored", yes_no(entry.has_notes)),
        ("created", human_time(from_proto(entry.created.as_ref()))),
        ("updated", human_time(from_proto(entry.updated.as_ref()))),
        (
            "rotation-due",
            entry
                .rotation_due
                .as_ref()
                .map_or_else(|| coffre_i18n::t!("answer-no"), |due| rotation_due_text(due, coffre_i18n::current())),
        ),
    ];
    let lines: Vec<(String, String)> =
        fields.into_iter().map(|(key, value)| (coffre_i18n::t!("field-label", name = key), value)).collect();
    aligned(&lines)
}

/// Labelled lines, the values aligned one column after the longest label.
pub(crate) fn aligned(lines: &[(String, String)]) -> String {
    let width = lines.iter().map(|(label, _)| label.chars().count()).max().unwrap_or(0) + 1;
    let mut text = String::new();
    for (label, value) in lines {
        let pad = width.saturating_sub(label.chars().count());
        text.push_str(label);
        text.extend(std::iter::repeat_n(' ', pad));
        text.push_str(value);
        text.push('\n');
    }
    text
}

/// Entries for people: a table.
pub(crate) fn entries_table(entries: &[Entry]) -> String {
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                printable(&e.platform),
                category_name(e.category),
                printable(&e.login),
                classification_name(e.classification),
                lifecycle_name(e.lifecycle),
                e.version.to_string(),
                human_time(from_proto(e.updated.as_ref())),
            ]
        })
        .collect();
    table(&["platform", "category", "login", "classification", "lifecycle", "version", "updated"], &rows)
}

/// Versions for people: a table.
pub(crate) fn versions_table(versions: &[Version]) -> String {
    let rows: Vec<Vec<String>> = versions
        .iter()
        .map(|v| {
            vec![
                v.version.to_string(),
                human_time(from_proto(v.created.as_ref())),
                printable(&v.created_by),
                printable(&v.changed.join(", ")),
            ]
        })
        .collect();
    table(&["version", "created", "by", "changed"], &rows)
}

#[cfg(test)]
mod tests {
    use coffre_proto::v1;

    use super::*;

    #[test]
    fn bidirectional_overrides_are_not_printed() {
        // "Trojan Source" (CVE-2021-42574): a name from an imported file or the daemon holding U+202E shows its
        // text reversed, so a plan or a listing would read otherwise than what it holds.
        let name = "Banque \u{202e}lanoitaN\u{202c} \u{2066}x\u{2069}";
        assert_eq!(printable(name), "Banque \u{fffd}lanoitaN\u{fffd} \u{fffd}x\u{fffd}");
        assert_eq!(printable("Caisse\u{7}\u{1b}[2J"), "Caisse\u{fffd}\u{fffd}[2J");
        assert_eq!(printable("مرحبا Québec"), "مرحبا Québec", "right-to-left text itself is kept");
    }

    /// Counts the writes it is given.
    #[derive(Default)]
    struct Writes(Vec<Vec<u8>>);

    impl Write for Writes {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.push(buf.to_vec());
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_note_and_its_newline_are_one_write() {
        let mut out = Writes::default();
        note_to(&mut out, "revealed Facebook password (version 2); audit event 41");
        assert_eq!(out.0, [b"revealed Facebook password (version 2); audit event 41\n".to_vec()]);
    }

    fn sample() -> Entry {
        Entry {
            platform: "Facebook".into(),
            category: v1::Category::SocialNetwork as i32,
            url: "https://facebook.com".into(),
            login: "party@example.org".into(),
            recovery_contacts: vec!["+33 6 00 00 00 00".into()],
            classification: v1::Classification::VeryConfidential as i32,
            lifecycle: v1::Lifecycle::Active as i32,
            tags: vec!["comms".into()],
            version: 3,
            has_totp: true,
            has_notes: false,
            created: Some(Timestamp { unix_seconds: 1_700_000_000 }),
            updated: None,
            rotation_due: None,
        }
    }

    #[test]
    fn entry_json_has_stable_keys_and_kebab_values() -> Result<(), serde_json::Error> {
        let value = serde_json::to_value(EntryJson::from(&sample()))?;
        let expected = serde_json::json!({
            "platform": "Facebook",
            "category": "social-network",
            "url": "https://facebook.com",
            "login": "party@example.org",
            "recovery_contacts": ["+33 6 00 00 00 00"],
            "classification": "very-confidential",
            "lifecycle": "active",
            "tags": ["comms"],
            "version": 3,
            "has_totp": true,
            "has_notes": false,
            "created": "2023-11-14T22:13:20Z",
            "updated": null,
            "rotation_due": null,
        });
        assert_eq!(value, expected);
        Ok(())
    }

    #[test]
    fn version_json_shape() -> Result<(), serde_json::Error> {
        let version = Version {
            version: 2,
            created: Some(Timestamp { unix_seconds: 0 }),
            created_by: "alice".into(),
            changed: vec!["password".into()],
        };
        let value = serde_json::to_value(VersionJson::from(&version))?;
        let expected = serde_json::json!({
            "version": 2, "created": "1970-01-01T00:00:00Z", "created_by": "alice", "changed": ["password"],
        });
        assert_eq!(value, expected);
        Ok(())
    }

    #[test]
    fn tables_align_columns() {
        let rows = vec![vec!["Facebook".into(), "1".into()], vec!["X".into(), "12".into()]];
        assert_eq!(table(&["PLATFORM", "V"], &rows), "PLATFORM  V\nFacebook  1\nX         12\n");
    }

    #[test]
    fn times_read_well() {
        // In the local zone, with its offset (the zone's own tests are in coffre-i18n): never a bare "UTC".
        let shown = human_time(from_proto(Some(&Timestamp { unix_seconds: 1_700_000_000 })));
        assert_eq!(Some(shown.clone()), coffre_i18n::local_time(1_700_000_000));
        assert!(shown.starts_with("2023-11-1") && !shown.contains("UTC"), "{shown}");
        assert_eq!(human_time(None), "unknown");
        let parsed = parse_rfc3339("2023-11-14T22:13:20Z").map(|t| t.unix_timestamp());
        assert_eq!(parsed, Some(1_700_000_000));
    }

    #[test]
    fn control_characters_from_the_daemon_are_not_printed() {
        assert_eq!(printable("evil\u{1b}[2Jname"), "evil\u{fffd}[2Jname");
        assert!(entry_text(&sample()).contains("Classification:    very-confidential\n"));
    }
}
