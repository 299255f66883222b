//! `coffre registry export --format csv|json|html`: the register of official accounts (the federal standard's
//! inventory), made to be published: platform, category, URL, classification, lifecycle with the date of each
//! transition and who made it, and the organisation's name from the daemon's configuration. Never a secret, a
//! login or a note; recovery contacts only with `--with-recovery-contacts` (owners).
//!
//! CSV cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) are written with a leading `'`, as OWASP's "CSV injection" advice says, so that a platform named
//! `=HYPERLINK(...)` stays text when the register is opened in LibreOffice or Excel.

use std::{fs, io::Write, path::PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use coffre_i18n::{Lang, t};
use coffre_proto::v1::{ExportRegistryRequest, LifecycleTransition, RegistryEntry, Timestamp};
use serde::Serialize;

use crate::{
    Context,
    exit::{Failure, io_reason},
    output::{emit, from_proto, human_time, json_time, note, write_stdout},
    values::{Lifecycle, category_name, classification_name, lifecycle_name},
};

/// The registry subcommands.
#[derive(Subcommand)]
pub(crate) enum RegistryCommand {
    /// Write the register of official accounts (no secret, login or note): owners and auditors
    Export(ExportArgs),
}

/// The register's file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum RegistryFormat {
    /// For a spreadsheet; cells that look like formulas are escaped
    Csv,
    /// Every transition of every entry, for scripts
    Json,
    /// A page to print or publish
    Html,
}

/// Options of `coffre registry export`.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The file format
    #[arg(long, value_enum)]
    format: RegistryFormat,
    /// Write to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Add each account's recovery contacts (people's phone numbers and addresses: owners only)
    #[arg(long)]
    with_recovery_contacts: bool,
}

pub(crate) async fn run(command: &RegistryCommand, ctx: &Context) -> Result<(), Failure> {
    match command {
        RegistryCommand::Export(args) => export(args, ctx).await,
    }
}

/// The register as received.
struct Register {
    organisation: String,
    generated: Option<Timestamp>,
    entries: Vec<RegistryEntry>,
}

async fn fetch(ctx: &Context, with_recovery_contacts: bool) -> Result<Register, Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request = ExportRegistryRequest { with_recovery_contacts };
    let mut stream =
        daemon.registry().export_registry(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
    let mut register = Register { organisation: String::new(), generated: None, entries: Vec::new() };
    while let Some(page) = stream.message().await.map_err(|s| daemon.fail(s))? {
        if register.generated.is_none() {
            register.organisation = page.organisation;
            register.generated = page.generated;
        }
        register.entries.extend(page.entries);
    }
    Ok(register)
}

/// What `registry export --out FILE --json` prints.
#[derive(Serialize)]
struct Written {
    file: String,
    format: String,
    entries: usize,
}

async fn export(args: &ExportArgs, ctx: &Context) -> Result<(), Failure> {
    let register = fetch(ctx, args.with_recovery_contacts).await?;
    let document = match args.format {
        RegistryFormat::Csv => csv(&register, args.with_recovery_contacts)?,
        RegistryFormat::Json => json(&register, args.with_recovery_contacts)?,
        RegistryFormat::Html => html(&register, args.with_recovery_contacts, ctx.lang()),
    };
    let Some(out) = &args.out else { return write_stdout(document.as_bytes()) };
    let cannot = |err: std::io::Error| {
        Failure::other(t!("file-cannot-write", path = out.display().to_string(), reason = io_reason(&err)))
    };
    let mut file = fs::File::create(out).map_err(cannot)?;
    file.write_all(document.as_bytes()).and_then(|()| file.sync_all()).map_err(cannot)?;
    let written = Written {
        file: out.display().to_string(),
        format: crate::values::name(args.format),
        entries: register.entries.len(),
    };
    emit(ctx.json(), &written, || {
        t!("registry-written", entries = register.entries.len(), file = out.display().to_string())
    })?;
    if args.with_recovery_contacts && !ctx.json() {
        note(&t!("registry-holds-contacts"));
    }
    Ok(())
}

/// The latest transition into `state`: when and by whom.
fn last_into(entry: &RegistryEntry, state: Lifecycle) -> Option<&LifecycleTransition> {
    entry.transitions.iter().rev().find(|t| t.state == state.to_proto())
}

/// A CSV cell, made inert for spreadsheets: a leading `'` before `=`, `+`, `-`, `@`, tab or carriage return.
pub(crate) fn inert(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

const STATES: [Lifecycle; 3] = [Lifecycle::Planned, Lifecycle::Active, Lifecycle::Archived];

fn csv(register: &Register, contacts: bool) -> Result<String, Failure> {
    let mut header = vec![
        "organisation",
        "platform",
        "category",
        "url",
        "classification",
        "lifecycle",
        "created",
        "planned_at",
        "planned_by",
        "active_at",
        "active_by",
        "archived_at",
        "archived_by",
    ];
    if contacts {
        header.push("recovery_contacts");
    }
    let mut writer = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let fail = |err: ::csv::Error| Failure::other(t!("csv-cannot-write", reason = err.to_string()));
    writer.write_record(&header).map_err(fail)?;
    for entry in &register.entries {
        let mut row = vec![
            register.organisation.clone(),
            entry.platform.clone(),
            category_name(entry.category),
            entry.url.clone(),
            classification_name(entry.classification),
            lifecycle_name(entry.lifecycle),
            json_time(entry.created.as_ref()).unwrap_or_default(),
        ];
        for state in STATES {
            let last = last_into(entry, state);
            row.push(last.and_then(|t| json_time(t.at.as_ref())).unwrap_or_default());
            row.push(last.map(|t| t.by.clone()).unwrap_or_default());
        }
        if contacts {
            row.push(entry.recovery_contacts.join("; "));
        }
        writer.write_record(row.iter().map(|cell| inert(cell))).map_err(fail)?;
    }
    let bytes = writer.into_inner().map_err(|err| Failure::other(t!("csv-cannot-write", reason = err.to_string())))?;
    String::from_utf8(bytes).map_err(|_| Failure::other(t!("csv-not-utf8")))
}

#[derive(Serialize)]
struct RegisterJson<'a> {
    organisation: &'a str,
    generated: Option<String>,
    entries: Vec<EntryJson<'a>>,
}

#[derive(Serialize)]
struct EntryJson<'a> {
    platform: &'a str,
    category: String,
    url: &'a str,
    classification: String,
    lifecycle: String,
    created: Option<String>,
    transitions: Vec<TransitionJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recovery_contacts: Option<&'a [String]>,
}

#[derive(Serialize)]
struct TransitionJson<'a> {
    state: String,
    at: Option<String>,
    by: &'a str,
}

fn json(register: &Register, contacts: bool) -> Result<String, Failure> {
    let document = RegisterJson {
        organisation: &register.organisation,
        generated: json_time(register.generated.as_ref()),
        entries: register
            .entries
            .iter()
            .map(|e| EntryJson {
                platform: &e.platform,
                category: category_name(e.category),
                url: &e.url,
                classification: classification_name(e.classification),
                lifecycle: lifecycle_name(e.lifecycle),
                created: json_time(e.created.as_ref()),
                transitions: e
                    .transitions
                    .iter()
                    .map(|t| TransitionJson { state: lifecycle_name(t.state), at: json_time(t.at.as_ref()), by: &t.by })
                    .collect(),
                recovery_contacts: contacts.then_some(e.recovery_contacts.as_slice()),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document)
        .map_err(|err| Failure::other(format!("cannot encode the register as JSON: {err}")))?;
    text.push('\n');
    Ok(text)
}

/// Text for HTML: `&`, `<`, `>`, `"` and `'` escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The register as a page for people, in `lang`: labels from the catalogue (the web client's register page says
/// the same), times in the reader's local time, every value escaped.
fn html(register: &Register, contacts: bool, lang: Lang) -> String {
    let m = |id: &str, arguments: &[(&str, String)]| coffre_i18n::message(lang, id, arguments).unwrap_or_default();
    let organisation =
        if register.organisation.is_empty() { m("web-registry-unnamed", &[]) } else { register.organisation.clone() };
    let time = |at: Option<&Timestamp>| human_time(from_proto(at));
    let title = m("web-registry-title", &[]);
    let intro = [
        m("web-registry-of", &[("organisation", organisation.clone())]),
        m("web-registry-count", &[("count", register.entries.len().to_string())]),
        m("web-registry-generated", &[("time", time(register.generated.as_ref()))]),
    ]
    .join(" ");
    let state = |name: &str| m("web-lifecycle", &[("state", name.to_owned())]);
    let mut headers = vec![
        m("web-registry-platform", &[]),
        m("web-category-label", &[]),
        m("web-registry-url", &[]),
        m("web-classification-label", &[]),
        m("web-lifecycle-label", &[]),
        m("web-registry-created", &[]),
    ];
    headers.extend(STATES.map(|s| state(&lifecycle_name(s.to_proto()))));
    if contacts {
        headers.push(m("web-registry-contacts", &[]));
    }
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"{tag}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title} — {org}</title>\n\
         <style>body{{font-family:sans-serif}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;\
         padding:0.2em 0.5em;text-align:left;vertical-align:top}}</style>\n</head>\n<body>\n<h1>{title}</h1>\n\
         <p>{intro}</p>\n<p>{no_secret}</p>\n<table>\n<thead><tr>",
        tag = lang.tag(),
        title = escape(&title),
        org = escape(&organisation),
        intro = escape(&intro),
        no_secret = escape(&m("web-registry-no-secret", &[])),
    );
    for header in headers {
        page.push_str(&format!("<th>{}</th>", escape(&header)));
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for entry in &register.entries {
        let mut cells = vec![
            entry.platform.clone(),
            m("web-category", &[("category", category_name(entry.category))]),
            entry.url.clone(),
            m("web-classification", &[("classification", classification_name(entry.classification))]),
            state(&lifecycle_name(entry.lifecycle)),
            time(entry.created.as_ref()),
        ];
        for state in STATES {
            cells.push(last_into(entry, state).map_or_else(String::new, |t| {
                m("web-registry-transition", &[("time", time(t.at.as_ref())), ("by", t.by.clone())])
            }));
        }
        if contacts {
            cells.push(entry.recovery_contacts.join(", "));
        }
        page.push_str("<tr>");
        for cell in cells {
            page.push_str("<td>");
            page.push_str(&escape(&cell));
            page.push_str("</td>");
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register() -> Register {
        let transition = |state: Lifecycle, at: i64, by: &str| LifecycleTransition {
            state: state.to_proto(),
            at: Some(Timestamp { unix_seconds: at }),
            by: by.into(),
        };
        Register {
            organisation: "Parti québécois de l'Île".into(),
            generated: Some(Timestamp { unix_seconds: 0 }),
            entries: vec![RegistryEntry {
                platform: "=HYPERLINK(\"http://x\",\"<b>\")".into(),
                category: crate::values::Category::SocialNetwork.to_proto(),
                url: "@evil".into(),
                classification: crate::values::Classification::Public.to_proto(),
                lifecycle: Lifecycle::Archived.to_proto(),
                created: Some(Timestamp { unix_seconds: 60 }),
                transitions: vec![
                    transition(Lifecycle::Planned, 60, "Alice"),
                    transition(Lifecycle::Active, 120, "Bob"),
                    transition(Lifecycle::Archived, 180, "-Alice"),
                ],
                recovery_contacts: vec!["+1 555 0100".into()],
            }],
        }
    }

    #[test]
    fn formula_cells_are_made_inert() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(inert(cell), format!("'{cell}"));
        }
        assert_eq!(inert("Facebook"), "Facebook");
        assert_eq!(inert(""), "");
    }

    #[test]
    fn the_csv_has_every_transition_and_no_live_formula() -> Result<(), String> {
        let text = csv(&register(), true).map_err(|e| e.message().to_owned())?;
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let row = reader.records().next().ok_or("no row")?.map_err(|e| e.to_string())?;
        let cells: Vec<&str> = row.iter().collect();
        assert_eq!(cells[1], "'=HYPERLINK(\"http://x\",\"<b>\")");
        assert_eq!(cells[3], "'@evil");
        assert_eq!(
            &cells[5..],
            [
                "archived",
                "1970-01-01T00:01:00Z",
                "1970-01-01T00:01:00Z",
                "Alice",
                "1970-01-01T00:02:00Z",
                "Bob",
                "1970-01-01T00:03:00Z",
                "'-Alice",
                "'+1 555 0100"
            ]
        );
        assert!(row.iter().all(|cell| !matches!(cell.chars().next(), Some('=' | '+' | '-' | '@'))));
        Ok(())
    }

    #[test]
    fn html_escapes_everything_and_contacts_come_only_when_asked() {
        let page = html(&register(), false, Lang::En);
        assert!(page.contains("&lt;b&gt;") && !page.contains("<b>"));
        assert!(page.contains("Parti québécois de l&#39;Île"));
        assert!(!page.contains("555 0100"));
        assert!(html(&register(), true, Lang::En).contains("+1 555 0100"));
        let json = json(&register(), false).unwrap_or_default();
        assert!(!json.contains("recovery_contacts") && json.contains("\"by\": \"Bob\""));
    }

    #[test]
    fn the_html_register_reads_in_the_readers_language() {
        let english = html(&register(), true, Lang::En);
        assert!(english.contains("<html lang=\"en\">") && english.contains("<h1>Register of official accounts</h1>"));
        assert!(english.contains("<td>Social networks</td>") && english.contains("<th>Recovery contacts</th>"));
        assert!(english.contains(", by Bob</td>"), "{english}");
        let french = html(&register(), true, Lang::FrCa);
        assert!(french.contains("<html lang=\"fr-CA\">"), "{french}");
        assert!(french.contains("<h1>Registre des comptes officiels</h1>"), "{french}");
        assert!(french.contains("<p>Parti québécois de l&#39;Île. Comptes\u{a0}: 1."), "{french}");
        assert!(french.contains("<td>Réseaux sociaux</td>") && french.contains("<td>public</td>"), "{french}");
        assert!(french.contains(", par Bob</td>") && french.contains("<th>Contacts de récupération</th>"), "{french}");
        for english_only in ["Register", "Accounts", " by ", "Platform"] {
            assert!(!french.contains(english_only), "{english_only} in: {french}");
        }
    }
}
