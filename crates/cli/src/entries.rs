//! Entries, one account on one platform each: `coffre entry add | list | show | edit | archive | history`.
//! Nothing here prints a secret; `coffre reveal` does.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use coffre_i18n::t;
use coffre_proto::v1::{
    ArchiveEntryRequest, CreateEntryRequest, Entry, FlagEntryRequest, GetEntryRequest, ListEntriesRequest,
    ListVersionsRequest, SecretFields, UpdateEntryRequest,
};
use serde::Serialize;

use crate::{
    Context,
    exit::{Failure, Kind},
    output::{
        EntryJson, VersionJson, emit, entries_table, entry_text, from_proto, human_time, json_time, printable,
        versions_table,
    },
    secrets_input::{self, SecretBytes, Source, Spec, read_secret},
    values::{Category, Classification, Lifecycle},
};

/// The entry subcommands.
#[derive(Subcommand)]
pub(crate) enum EntryCommand {
    /// Add an entry; the password is read from a file, standard input or the terminal
    Add(AddArgs),
    /// List the entries you may see
    List(ListArgs),
    /// Show an entry's details (never its secrets)
    Show(PlatformArg),
    /// Change an entry; only what you give changes. A new password, TOTP seed or notes makes a new version
    Edit(EditArgs),
    /// Archive an entry that is no longer used; its history is kept
    Archive(PlatformArg),
    /// Show the versions of an entry's secrets: when and by whom (never the secrets)
    History(PlatformArg),
    /// Report an entry's password compromised: it is due for rotation until one is confirmed
    Flag(FlagArgs),
}

/// Options of `coffre entry flag`.
#[derive(Debug, Args)]
pub(crate) struct FlagArgs {
    /// The platform's name, as in `coffre entry list`
    #[arg(value_name = "PLATFORM")]
    platform: String,
    /// The password was exposed (the only flag there is; required, so that nobody flags by accident)
    #[arg(long, required = true)]
    compromised: bool,
    /// What happened: what was exposed, when, how (required; recorded in the audit log)
    #[arg(long, value_name = "TEXT")]
    reason: String,
}

/// Just the platform.
#[derive(Debug, Args)]
pub(crate) struct PlatformArg {
    /// The platform's name, as in `coffre entry list`
    #[arg(value_name = "PLATFORM")]
    platform: String,
}

/// Options of `coffre entry list`.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Include archived entries
    #[arg(long)]
    archived: bool,
}

/// Options of `coffre entry add`.
#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// The platform's name, e.g. Facebook (unique in the vault)
    #[arg(value_name = "PLATFORM")]
    platform: String,
    /// Where the entry belongs
    #[arg(long, value_enum)]
    category: Category,
    /// The login name or e-mail address on the platform
    #[arg(long, value_name = "LOGIN")]
    login: String,
    /// Read the password from FILE (one trailing newline is ignored); without this or --password-stdin, you are
    /// asked for it twice
    #[arg(long, value_name = "FILE", conflicts_with = "password_stdin")]
    password_file: Option<PathBuf>,
    /// Read the password from standard input (one trailing newline is ignored)
    #[arg(long)]
    password_stdin: bool,
    /// The platform's login page
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// How sensitive the entry is [default: restricted]
    #[arg(long, value_enum)]
    classification: Option<Classification>,
    /// Where the entry is in its life [default: active]
    #[arg(long, value_enum)]
    lifecycle: Option<Lifecycle>,
    /// A phone number or e-mail address the platform uses to recover the account (repeat for several)
    #[arg(long = "recovery-contact", value_name = "CONTACT")]
    recovery_contacts: Vec<String>,
    /// A free tag (repeat for several)
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Read the notes (kept secret) from FILE
    #[arg(long, value_name = "FILE")]
    notes_file: Option<PathBuf>,
    /// Read the seed of the account's own two-factor authentication (base32) from FILE
    #[arg(long, value_name = "FILE")]
    totp_seed_file: Option<PathBuf>,
}

/// Options of `coffre entry edit`.
#[derive(Debug, Args)]
pub(crate) struct EditArgs {
    /// The platform's name, as in `coffre entry list`
    #[arg(value_name = "PLATFORM")]
    platform: String,
    /// A new name for the platform
    #[arg(long, value_name = "NEW")]
    rename: Option<String>,
    /// A new category
    #[arg(long, value_enum)]
    category: Option<Category>,
    /// A new login page ("" removes it)
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// A new login name
    #[arg(long, value_name = "LOGIN")]
    login: Option<String>,
    /// A new classification
    #[arg(long, value_enum)]
    classification: Option<Classification>,
    /// A new lifecycle state
    #[arg(long, value_enum)]
    lifecycle: Option<Lifecycle>,
    /// Replace the recovery contacts with these (repeat for several)
    #[arg(long = "recovery-contact", value_name = "CONTACT", conflicts_with = "clear_recovery_contacts")]
    recovery_contacts: Vec<String>,
    /// Remove every recovery contact
    #[arg(long)]
    clear_recovery_contacts: bool,
    /// Replace the tags with these (repeat for several)
    #[arg(long = "tag", value_name = "TAG", conflicts_with = "clear_tags")]
    tags: Vec<String>,
    /// Remove every tag
    #[arg(long)]
    clear_tags: bool,
    /// Read a new password from FILE (one trailing newline is ignored)
    #[arg(long, value_name = "FILE", group = "new_password_source")]
    password_file: Option<PathBuf>,
    /// Read a new password from standard input (one trailing newline is ignored)
    #[arg(long, group = "new_password_source")]
    password_stdin: bool,
    /// Type a new password on the terminal (asked twice)
    #[arg(long, group = "new_password_source")]
    new_password: bool,
    /// Read new notes from FILE (an empty file removes them)
    #[arg(long, value_name = "FILE")]
    notes_file: Option<PathBuf>,
    /// Read a new TOTP seed from FILE (an empty file removes it)
    #[arg(long, value_name = "FILE")]
    totp_seed_file: Option<PathBuf>,
}

pub(crate) async fn run(command: &EntryCommand, ctx: &Context) -> Result<(), Failure> {
    match command {
        EntryCommand::Add(args) => add(args, ctx).await,
        EntryCommand::List(args) => list(args, ctx).await,
        EntryCommand::Show(args) => show(&args.platform, ctx).await,
        EntryCommand::Edit(args) => edit(args, ctx).await,
        EntryCommand::Archive(args) => archive(&args.platform, ctx).await,
        EntryCommand::History(args) => history(&args.platform, ctx).await,
        EntryCommand::Flag(args) => flag(args, ctx).await,
    }
}

/// An optional secret file for a new entry: an empty one is refused (leave the option out instead).
fn optional_secret(path: Option<&Path>, flag: &str) -> Result<Vec<u8>, Failure> {
    let Some(path) = path else { return Ok(Vec::new()) };
    let secret = secrets_input::read_file(path)?;
    if secret.is_empty() {
        return Err(Failure::invalid(t!("file-empty-leave-out", path = path.display().to_string(), flag = flag)));
    }
    Ok(secret.to_request_bytes())
}

async fn add(args: &AddArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let source = Source::from_flags(args.password_file.as_deref(), args.password_stdin);
    let password = read_secret(
        source,
        &Spec::NEW_PASSWORD,
        &t!("entry-password-prompt", login = args.login.as_str(), platform = args.platform.as_str()),
    )?;
    let entry = Entry {
        platform: args.platform.clone(),
        category: args.category.to_proto(),
        url: args.url.clone().unwrap_or_default(),
        login: args.login.clone(),
        recovery_contacts: args.recovery_contacts.clone(),
        classification: args.classification.map_or(0, Classification::to_proto),
        lifecycle: args.lifecycle.map_or(0, Lifecycle::to_proto),
        tags: args.tags.clone(),
        ..Entry::default()
    };
    let secrets = SecretFields {
        password: password.to_request_bytes(),
        totp_seed: optional_secret(args.totp_seed_file.as_deref(), "--totp-seed-file")?,
        notes: optional_secret(args.notes_file.as_deref(), "--notes-file")?,
    };
    let request = CreateEntryRequest { entry: Some(entry), secrets: Some(secrets) };
    let response = daemon.entries().create_entry(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let entry = response.into_inner().entry.unwrap_or_default();
    emit(ctx.json(), &EntryJson::from(&entry), || {
        t!("entry-added", platform = printable(&entry.platform), version = entry.version)
    })
}

/// What `entry list` prints with `--json`.
#[derive(Serialize)]
struct EntryList {
    entries: Vec<EntryJson>,
}

async fn list(args: &ListArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let mut entries = Vec::new();
    let mut page_token = String::new();
    loop {
        let request = ListEntriesRequest { include_archived: args.archived, page_size: 0, page_token };
        let page = daemon.entries().list_entries(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
        let page = page.into_inner();
        entries.extend(page.entries);
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    let report = EntryList { entries: entries.iter().map(EntryJson::from).collect() };
    emit(ctx.json(), &report, || {
        if !entries.is_empty() {
            entries_table(&entries)
        } else if args.archived {
            t!("entry-list-empty")
        } else {
            t!("entry-list-empty-hint")
        }
    })
}

async fn show(platform: &str, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request = GetEntryRequest { platform: platform.to_owned() };
    let response = match daemon.entries().get_entry(daemon.request(request)?).await {
        Ok(response) => response,
        Err(status) => return Err(crate::suggest::entry_not_found(&daemon, daemon.fail(status), platform).await),
    };
    let entry = response.into_inner().entry.unwrap_or_default();
    emit(ctx.json(), &EntryJson::from(&entry), || entry_text(&entry))
}

async fn edit(args: &EditArgs, ctx: &Context) -> Result<(), Failure> {
    let password_source = match (&args.password_file, args.password_stdin, args.new_password) {
        (Some(path), _, _) => Some(Source::File(path)),
        (None, true, _) => Some(Source::Stdin),
        (None, false, true) => Some(Source::Prompt),
        (None, false, false) => None,
    };
    let changes_nothing = args.rename.is_none()
        && args.category.is_none()
        && args.url.is_none()
        && args.login.is_none()
        && args.classification.is_none()
        && args.lifecycle.is_none()
        && args.recovery_contacts.is_empty()
        && !args.clear_recovery_contacts
        && args.tags.is_empty()
        && !args.clear_tags
        && password_source.is_none()
        && args.notes_file.is_none()
        && args.totp_seed_file.is_none();
    if changes_nothing {
        return Err(Failure::new(Kind::Usage, t!("entry-edit-nothing")));
    }
    let daemon = ctx.daemon_with_session().await?;
    let password = password_source
        .map(|source| {
            read_secret(
                source,
                &Spec::NEW_PASSWORD,
                &t!("entry-new-password-prompt", platform = args.platform.as_str()),
            )
        })
        .transpose()?;
    let read = |path: &Option<PathBuf>| -> Result<Option<SecretBytes>, Failure> {
        path.as_deref().map(secrets_input::read_file).transpose()
    };
    let (notes, totp_seed) = (read(&args.notes_file)?, read(&args.totp_seed_file)?);
    let request = UpdateEntryRequest {
        platform: args.platform.clone(),
        new_platform: args.rename.clone(),
        category: args.category.map_or(0, Category::to_proto),
        url: args.url.clone(),
        login: args.login.clone(),
        recovery_contacts: args.recovery_contacts.clone(),
        replace_recovery_contacts: args.clear_recovery_contacts || !args.recovery_contacts.is_empty(),
        classification: args.classification.map_or(0, Classification::to_proto),
        lifecycle: args.lifecycle.map_or(0, Lifecycle::to_proto),
        tags: args.tags.clone(),
        replace_tags: args.clear_tags || !args.tags.is_empty(),
        password: password.as_ref().map(SecretBytes::to_request_bytes),
        totp_seed: totp_seed.as_ref().map(SecretBytes::to_request_bytes),
        notes: notes.as_ref().map(SecretBytes::to_request_bytes),
    };
    let response = daemon.entries().update_entry(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let entry = response.into_inner().entry.unwrap_or_default();
    emit(ctx.json(), &EntryJson::from(&entry), || {
        t!("entry-updated", platform = printable(&entry.platform), version = entry.version)
    })
}

async fn archive(platform: &str, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request = ArchiveEntryRequest { platform: platform.to_owned() };
    let response = daemon.entries().archive_entry(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let entry = response.into_inner().entry.unwrap_or_default();
    emit(ctx.json(), &EntryJson::from(&entry), || t!("entry-archived", platform = printable(&entry.platform)))
}

/// What `entry history` prints with `--json`.
#[derive(Serialize)]
struct History<'a> {
    platform: &'a str,
    versions: Vec<VersionJson>,
}

async fn history(platform: &str, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request = ListVersionsRequest { platform: platform.to_owned() };
    let response = daemon.entries().list_versions(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let versions = response.into_inner().versions;
    let report = History { platform, versions: versions.iter().map(VersionJson::from).collect() };
    emit(ctx.json(), &report, || versions_table(&versions))
}

/// What `entry flag` prints with `--json`.
#[derive(Serialize)]
struct FlagJson {
    platform: String,
    compromised: bool,
    since: Option<String>,
    already: bool,
}

async fn flag(args: &FlagArgs, ctx: &Context) -> Result<(), Failure> {
    if args.reason.trim().is_empty() {
        return Err(Failure::invalid(t!("entry-flag-reason-empty")));
    }
    let daemon = ctx.daemon_with_session().await?;
    let request = FlagEntryRequest { platform: args.platform.clone(), reason: args.reason.clone() };
    let response = daemon.rotation().flag_entry(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let flagged = response.into_inner();
    let report = FlagJson {
        platform: flagged.platform.clone(),
        compromised: true,
        since: json_time(flagged.since.as_ref()),
        already: flagged.already,
    };
    emit(ctx.json(), &report, || {
        let platform = printable(&flagged.platform);
        if flagged.already {
            t!("entry-flagged-already", platform = platform, since = human_time(from_proto(flagged.since.as_ref())))
        } else {
            t!("entry-flagged", platform = platform)
        }
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::Cli;

    #[test]
    fn categories_and_classifications_are_typed_in_kebab_case() {
        let args = [
            "coffre",
            "entry",
            "add",
            "Facebook",
            "--category",
            "social-network",
            "--login",
            "party@example.org",
            "--classification",
            "very-confidential",
            "--tag",
            "a",
            "--tag",
            "b",
            "--password-stdin",
        ];
        assert!(Cli::try_parse_from(args).is_ok());
        let wrong = ["coffre", "entry", "add", "Facebook", "--category", "social_network", "--login", "x"];
        assert!(Cli::try_parse_from(wrong).is_err());
    }

    #[test]
    fn a_flag_says_what_it_is_and_why() {
        assert!(Cli::try_parse_from(["coffre", "entry", "flag", "X", "--reason", "r"]).is_err(), "--compromised");
        assert!(Cli::try_parse_from(["coffre", "entry", "flag", "X", "--compromised"]).is_err(), "--reason");
        assert!(Cli::try_parse_from(["coffre", "entry", "flag", "X", "--compromised", "--reason", "r"]).is_ok());
    }

    #[test]
    fn only_one_source_for_a_new_password() {
        let both = ["coffre", "entry", "edit", "X", "--password-stdin", "--new-password"];
        assert!(Cli::try_parse_from(both).is_err());
        let one = ["coffre", "entry", "edit", "X", "--new-password"];
        assert!(Cli::try_parse_from(one).is_ok());
    }
}
