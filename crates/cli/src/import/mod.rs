//! `coffre import --format F FILE`: brings the accounts of another password manager, or of a spreadsheet, into
//! the vault, on this computer (the file never leaves it; only the entries travel, through the normal create
//! calls, each audited as created by the person importing).
//!
//! One module per format reads the file into [`item::Item`]s; [`mapping`] makes each a valid entry or says why it
//! cannot be one; [`plan`] decides, against what the vault holds, what to create, what is already there and what
//! to skip; [`apply`] carries the plan out. `--dry-run` prints the plan and creates nothing.

mod apply;
mod bitwarden_csv;
mod bitwarden_json;
mod csv;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
mod input;
mod item;
mod keepass;
mod keepassxc_csv;
mod mapping;
mod note;
mod onepux;
mod pass;
mod plan;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    time::Instant,
};

use clap::{Args, ValueEnum};
use coffre_i18n::t;
use coffre_proto::v1::{ListEntriesRequest, RevealRequest};
use serde::Serialize;
use zeroize::Zeroizing;

use self::{
    item::{Item, SecretText},
    mapping::CategoryMap,
    plan::{Compare, Counts, Existing, StepJson},
};
use crate::{
    Context,
    client::Daemon,
    exit::{Failure, Kind},
    output::{emit, note},
    secrets_input::{self, Source, Spec},
    values::{Category, Classification, SecretField},
};

/// The formats `coffre import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A spreadsheet saved as CSV; columns by --map or guessed from the header (English or French)
    Csv,
    /// Bitwarden or Vaultwarden JSON export (unencrypted), personal or of an organisation
    BitwardenJson,
    /// Bitwarden or Vaultwarden CSV export
    BitwardenCsv,
    /// A KeePass database (KDBX 3.1 or 4), read-only; also what Passbolt exports
    Keepass,
    /// KeePassXC's CSV export
    KeepassxcCsv,
    /// 1Password's export (.1pux)
    #[value(name = "1pux")]
    OnePux,
    /// A pass store: FILE is its directory; each entry is read with `pass show`
    Pass,
}

impl Format {
    /// Whether the file holds passwords in clear (and so should be deleted once imported).
    fn in_clear(self) -> bool {
        !matches!(self, Format::Keepass | Format::Pass)
    }
}

/// Options of `coffre import`.
#[derive(Debug, Args)]
#[command(after_help = "\
Every entry is created through the daemon as if typed with `coffre entry add`, and audited as created by you. \
Running the same import again creates nothing twice: an entry already in the vault with the same login, URL and \
password is skipped (comparing passwords is a reveal, recorded in the audit log with the reason \"coffre import\"). \
Files over 64 MiB are refused.")]
pub(crate) struct ImportArgs {
    /// What FILE is
    #[arg(long, value_enum)]
    format: Format,
    /// The export to read (for --format pass, the store's directory)
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Print what would be created, renamed or skipped and why; create nothing
    #[arg(long)]
    dry_run: bool,
    /// csv: which column holds what, e.g. "platform=Site,login=Utilisateur,password=Mot de passe"
    /// (fields: platform, login, password, url, notes, totp, category, tags)
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    map: Option<String>,
    /// The category of entries whose folder, collection or group maps to none [default: other]
    #[arg(long, value_enum)]
    category: Option<Category>,
    /// Folders, collections or groups to categories, e.g. "Réseaux sociaux=social-network,Banque=financial"
    #[arg(long, value_name = "FOLDER=CATEGORY,...")]
    category_map: Option<String>,
    /// The classification of every imported entry [default: restricted]
    #[arg(long, value_enum)]
    classification: Option<Classification>,
    /// keepass: read the database's password from FILE instead of asking for it
    #[arg(long, value_name = "FILE")]
    password_file: Option<PathBuf>,
    /// keepass: the database's key file
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
}

/// What `coffre import` prints with `--json`. Never a secret, a login or a note.
#[derive(Serialize)]
struct Report {
    format: String,
    file: String,
    dry_run: bool,
    planned: Counts,
    done: Option<apply::Done>,
    seconds: f64,
    steps: Vec<StepJson>,
    /// Set when the file held passwords in clear.
    delete_the_file: bool,
}

pub(crate) async fn run(args: &ImportArgs, ctx: &Context) -> Result<(), Failure> {
    if args.format != Format::Csv && args.map.is_some() {
        return Err(Failure::new(Kind::Usage, t!("import-map-csv-only")));
    }
    if args.format != Format::Keepass && (args.password_file.is_some() || args.key_file.is_some()) {
        return Err(Failure::new(Kind::Usage, t!("import-keepass-only")));
    }
    let categories = CategoryMap::parse(args.category.unwrap_or(Category::Other), args.category_map.as_deref())
        .map_err(Failure::invalid)?;
    // The file is read before anything is sent, so that a file refused costs no connection and no audit event.
    let items = read_items(args, ctx)?;
    let started = Instant::now();
    let daemon = ctx.daemon_with_session().await?;
    let existing = existing_entries(&daemon).await?;
    let candidates = items
        .into_iter()
        .map(|item| {
            let (origin, name) = (item.origin.clone(), item.name.clone());
            mapping::candidate(item, &categories).map_err(|why| (origin, name, why))
        })
        .collect();
    let mut compare = Revealer { daemon: &daemon, dry_run: args.dry_run };
    let mut steps = plan::build(candidates, &existing, &mut compare).await?;
    let planned = plan::counts(&steps);
    let done = if args.dry_run {
        None
    } else {
        Some(apply::apply(&daemon, &mut steps, args.classification, !ctx.json()).await)
    };
    let seconds = started.elapsed().as_secs_f64();
    let report = Report {
        format: crate::values::name(args.format),
        file: args.file.display().to_string(),
        dry_run: args.dry_run,
        planned,
        done,
        seconds,
        steps: steps.iter().map(StepJson::from).collect(),
        delete_the_file: args.format.in_clear() && !args.dry_run,
    };
    emit(ctx.json(), &report, || summary(args, &steps, &report))?;
    if let Some(failure) = report.done.as_ref().and_then(|done| done.stopped.clone()) {
        return Err(Failure::new(failure.0, failure.1));
    }
    if report.done.as_ref().is_some_and(|done| done.failed > 0) {
        return Err(Failure::new(Kind::Other, t!("import-some-failed")));
    }
    Ok(())
}

/// Reads and parses the file.
fn read_items(args: &ImportArgs, ctx: &Context) -> Result<Vec<Item>, Failure> {
    let path = args.file.as_path();
    let text_file = |path: &Path| input::read_capped(path, input::MAX_FILE_BYTES);
    let items = match args.format {
        Format::Csv => {
            let bytes = text_file(path)?;
            let (items, preview) = csv::parse(input::utf8(&bytes, path)?, path, args.map.as_deref())?;
            if !ctx.json() {
                note(&preview);
                note(&preview_rows(&items));
            }
            items
        }
        Format::BitwardenJson => bitwarden_json::parse(input::utf8(&text_file(path)?, path)?, path)?,
        Format::BitwardenCsv => bitwarden_csv::parse(input::utf8(&text_file(path)?, path)?, path)?,
        Format::KeepassxcCsv => keepassxc_csv::parse(input::utf8(&text_file(path)?, path)?, path)?,
        Format::OnePux => onepux::parse(&text_file(path)?, path)?,
        Format::Keepass => {
            let bytes = text_file(path)?;
            let key_file =
                args.key_file.as_deref().map(|k| input::read_capped(k, keepass::MAX_KEY_FILE_BYTES)).transpose()?;
            let password = keepass_password(args, key_file.is_some())?;
            keepass::parse(&bytes, path, password.as_ref(), key_file.as_deref().map(|k| k.as_slice()))?
        }
        Format::Pass => pass::parse(path, ctx.env().var("COFFRE_PASS"))?,
    };
    if items.is_empty() {
        return Err(Failure::invalid(t!("import-empty", path = path.display().to_string())));
    }
    // The text formats stop while reading; the others are parsed whole first (within the file's size cap).
    input::within_items(items.len(), path)?;
    Ok(items)
}

/// The KeePass database's password: from --password-file, else asked for (an empty answer means none, for a
/// database opened by its key file alone).
fn keepass_password(args: &ImportArgs, has_key_file: bool) -> Result<Option<SecretText>, Failure> {
    let spec = Spec {
        noun: "keepass-password",
        flags: ("--password-file FILE", "none"),
        confirm: false,
        min_len: usize::from(!has_key_file),
        max_len: 64 * 1024,
    };
    let source = Source::from_flags(args.password_file.as_deref(), false);
    let secret = secrets_input::read_secret(
        source,
        &spec,
        &t!("keepass-password-prompt", file = args.file.display().to_string()),
    )?;
    if secret.is_empty() {
        return Ok(None);
    }
    let text = std::str::from_utf8(secret.expose_secret())
        .map_err(|_| Failure::invalid(t!("import-keepass-password-not-text")))?;
    Ok(Some(SecretText::new(text.to_owned())))
}

/// The first rows of a spreadsheet as read, for the preview: never a password (only whether there is one).
fn preview_rows(items: &[Item]) -> String {
    let rows: Vec<String> = items
        .iter()
        .take(3)
        .map(|i| {
            let line = t!(
                "import-preview-row",
                origin = i.origin.text(coffre_i18n::current()),
                platform = crate::output::printable(&i.name),
                login = crate::output::printable(&i.login),
                password = if i.password.is_empty() { "empty" } else { "set" }
            );
            format!("  {line}")
        })
        .collect();
    format!("{}\n{}", t!("import-preview-heading"), rows.join("\n"))
}

/// Every entry the caller may see, archived ones included, by name as the vault compares names.
async fn existing_entries(daemon: &Daemon) -> Result<HashMap<String, Existing>, Failure> {
    let mut existing = HashMap::new();
    let mut page_token = String::new();
    loop {
        let request = ListEntriesRequest { include_archived: true, page_size: 1000, page_token };
        let page = daemon.entries().list_entries(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
        let page = page.into_inner();
        for entry in page.entries {
            let known = Existing { platform: entry.platform.clone(), login: entry.login, url: entry.url };
            existing.insert(plan::name_key(&entry.platform), known);
        }
        if page.next_page_token.is_empty() {
            return Ok(existing);
        }
        page_token = page.next_page_token;
    }
}

/// Compares through a reveal of the current password, recorded in the audit log with why.
struct Revealer<'a> {
    daemon: &'a Daemon,
    dry_run: bool,
}

impl Compare for Revealer<'_> {
    async fn current_password(&mut self, platform: &str) -> Result<Option<plan::Current>, Failure> {
        let reason = if self.dry_run {
            "coffre import --dry-run: compare with the file's entry of the same name, login and URL"
        } else {
            "coffre import: compare with the file's entry of the same name, login and URL, to create no duplicate"
        };
        let request = RevealRequest {
            platform: platform.to_owned(),
            field: SecretField::Password.to_proto(),
            reason: reason.to_owned(),
            version: 0,
            pending: false,
        };
        let daemon = self.daemon;
        match daemon.entries().reveal(daemon.request(request)?).await {
            Ok(response) => {
                let response = response.into_inner();
                let version = response.version;
                let secret = Zeroizing::new(response.secret);
                let text = String::from_utf8_lossy(&secret).into_owned();
                Ok(Some(plan::Current { password: SecretText::new(text), version }))
            }
            Err(status) if status.code() == tonic::Code::PermissionDenied => Ok(None),
            Err(status) => Err(daemon.fail(status)),
        }
    }
}

/// The plan, then the counts, then the reminder to delete the file.
fn summary(args: &ImportArgs, steps: &[plan::Step], report: &Report) -> String {
    let mut text = plan::text(steps, coffre_i18n::current());
    let p = &report.planned;
    match &report.done {
        None => {
            let line = t!(
                "import-dry-run",
                create = p.create,
                renamed = p.renamed,
                resume = p.resume,
                identical = p.identical,
                skipped = p.skipped
            );
            text.push_str(&format!("\n{line}\n"));
        }
        Some(done) => {
            let line = t!(
                "import-done",
                created = done.created,
                versions = done.versions,
                seconds = coffre_i18n::tenths(coffre_i18n::current(), report.seconds),
                resumed = done.resumed,
                identical = p.identical,
                skipped = p.skipped,
                failed = done.failed
            );
            text.push_str(&format!("\n{line}\n"));
            if args.format.in_clear() {
                let line = t!("import-delete-the-file", file = args.file.display().to_string());
                text.push_str(&format!("\n{line}\n"));
            }
        }
    }
    text
}
