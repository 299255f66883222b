//! The audit log: `coffre audit list | export | verify`. `verify` works offline, with no daemon and no session.

use std::{
    fs::{self, File, OpenOptions},
    io::{BufReader, Write},
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
};

use clap::{Args, Subcommand};
use coffre_audit::{AuditPublicKey, export::format_time, verify};
use coffre_i18n::t;
use coffre_proto::v1::{AuditOutcome, ExportAuditLogRequest, GetStatusRequest, ListAuditEventsRequest, Timestamp};
use serde::Serialize;

use crate::{
    Context,
    exit::{Failure, Kind, io_reason},
    output::{emit, human_time, note, parse_rfc3339, printable, table},
};

/// The audit subcommands.
#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// List events, oldest first, a page at a time (owners and auditors)
    List(ListArgs),
    /// Write the whole log to a file that anyone can verify offline (owners and auditors; recorded as an event)
    Export(ExportArgs),
    /// Check an exported log with the vault's public audit key; needs no daemon
    Verify(VerifyArgs),
}

/// Options of `coffre audit list`.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Only events by this person
    #[arg(long, value_name = "NAME")]
    actor: Option<String>,
    /// Only this action, e.g. reveal, login, or a family such as entry (entry.create, entry.update...)
    #[arg(long, value_name = "ACTION")]
    action: Option<String>,
    /// Only events on this target, e.g. a platform
    #[arg(long, value_name = "TARGET")]
    target: Option<String>,
    /// Only events from this time on: 2026-11-24 (00:00 UTC) or 2026-11-24T09:30:00Z
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Only events before this time; a date alone includes that whole day
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// Only events after this sequence number (what the previous page said to use)
    #[arg(long, value_name = "SEQ", default_value_t = 0)]
    after: u64,
    /// Events per page, at most 500
    #[arg(long, value_name = "N", default_value_t = 100)]
    limit: u32,
}

/// Options of `coffre audit export`.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The file to write (JSON Lines; created readable by you only)
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Replace FILE if it exists
    #[arg(long)]
    force: bool,
}

/// Options of `coffre audit verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The file `coffre audit export` wrote
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The vault's public audit key, as `coffre status` shows it (ed25519:...). Get it by a channel you trust
    #[arg(long, value_name = "PUBLIC_KEY")]
    key: String,
}

pub(crate) async fn run(command: &AuditCommand, ctx: &Context) -> Result<(), Failure> {
    match command {
        AuditCommand::List(args) => list(args, ctx).await,
        AuditCommand::Export(args) => export(args, ctx).await,
        AuditCommand::Verify(args) => verify_file(args, ctx),
    }
}

/// One event as `audit list --json` prints it.
#[derive(Debug, Serialize)]
struct EventJson {
    seq: u64,
    time: String,
    actor: String,
    action: String,
    target: String,
    outcome: &'static str,
    reason: String,
    detail: String,
    client_addr: String,
    client_agent: String,
}

#[derive(Debug, Serialize)]
struct PageJson {
    events: Vec<EventJson>,
    next_after: Option<u64>,
}

fn outcome_name(value: i32) -> &'static str {
    match AuditOutcome::try_from(value) {
        Ok(AuditOutcome::Success) => "success",
        Ok(AuditOutcome::Denied) => "denied",
        Ok(AuditOutcome::Failure) => "failure",
        _ => "unknown",
    }
}

/// A time given on the command line: an RFC 3339 time, or a date in the local time zone (its start, or with
/// `end_of_day` the next day's start, so that `--until 2026-11-24` includes the 24th).
fn parse_time(flag: &str, text: &str, end_of_day: bool) -> Result<Timestamp, Failure> {
    let at = if let Some(t) = parse_rfc3339(text) {
        Some(t.unix_timestamp())
    } else if end_of_day {
        coffre_i18n::end_of_local_day(text).map(|last_second| last_second.saturating_add(1))
    } else {
        coffre_i18n::start_of_local_day(text)
    };
    let at = at.ok_or_else(|| Failure::invalid(t!("audit-not-a-date", flag = flag, text = format!("{text:?}"))))?;
    Ok(Timestamp { unix_seconds: at })
}

async fn list(args: &ListArgs, ctx: &Context) -> Result<(), Failure> {
    let since = args.since.as_deref().map(|t| parse_time("--since", t, false)).transpose()?;
    let until = args.until.as_deref().map(|t| parse_time("--until", t, true)).transpose()?;
    let daemon = ctx.daemon_with_session().await?;
    let request = ListAuditEventsRequest {
        actor: args.actor.clone().unwrap_or_default(),
        action: args.action.clone().unwrap_or_default(),
        target: args.target.clone().unwrap_or_default(),
        since,
        until,
        after_seq: args.after,
        limit: args.limit,
    };
    let page =
        daemon.audit().list_audit_events(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
    let events: Vec<EventJson> = page
        .events
        .into_iter()
        .map(|e| EventJson {
            seq: e.seq,
            time: format_time(e.time_ms).unwrap_or_else(|_| e.time_ms.to_string()),
            actor: e.actor,
            action: e.action,
            target: e.target,
            outcome: outcome_name(e.outcome),
            reason: e.reason,
            detail: e.detail,
            client_addr: e.client_addr,
            client_agent: e.client_agent,
        })
        .collect();
    let next_after = (page.next_after_seq != 0).then_some(page.next_after_seq);
    if let (Some(next), false) = (next_after, ctx.json()) {
        note(&t!("audit-more-events", next = next));
    }
    let report = PageJson { events, next_after };
    emit(ctx.json(), &report, || {
        if report.events.is_empty() {
            return t!("audit-none");
        }
        let rows: Vec<Vec<String>> = report
            .events
            .iter()
            .map(|e| {
                vec![
                    e.seq.to_string(),
                    // JSON keeps RFC 3339 UTC; people read their local time with its offset.
                    human_time(parse_rfc3339(&e.time)),
                    printable(&e.actor),
                    t!("audit-action", key = e.action.replace('.', "-"), action = printable(&e.action)),
                    printable(&e.target),
                    t!("audit-outcome", outcome = e.outcome),
                    printable(&e.reason),
                ]
            })
            .collect();
        table(&["seq", "time", "actor", "action", "target", "outcome", "reason"], &rows)
    })
}

#[derive(Debug, Serialize)]
struct ExportJson {
    file: String,
    events: u64,
    public_key: String,
}

/// The export is written to a private temporary file beside FILE, checked, then renamed into place.
async fn export(args: &ExportArgs, ctx: &Context) -> Result<(), Failure> {
    if args.out.exists() && !args.force {
        return Err(Failure::invalid(t!("file-exists-force", path = args.out.display().to_string())));
    }
    let daemon = ctx.daemon_with_session().await?;
    let status =
        daemon.system().get_status(tonic::Request::new(GetStatusRequest {})).await.map_err(|s| daemon.fail(s))?;
    let key = AuditPublicKey::parse(&status.into_inner().audit_public_key)
        .map_err(|_| Failure::other(t!("audit-no-public-key")))?;
    let partial = partial_path(&args.out);
    let mut file = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&partial).map_err(|e| {
        Failure::other(t!("file-cannot-create", path = partial.display().to_string(), reason = io_reason(&e)))
    })?;
    let written = async {
        let mut stream = daemon
            .audit()
            .export_audit_log(daemon.request(ExportAuditLogRequest {})?)
            .await
            .map_err(|s| daemon.fail(s))?
            .into_inner();
        while let Some(chunk) = stream.message().await.map_err(|s| daemon.fail(s))? {
            file.write_all(&chunk.data).map_err(|e| {
                Failure::other(t!("file-cannot-write", path = partial.display().to_string(), reason = io_reason(&e)))
            })?;
        }
        file.sync_all().map_err(|e| {
            Failure::other(t!("file-cannot-write", path = partial.display().to_string(), reason = io_reason(&e)))
        })?;
        // The client checks what it received before calling it an export.
        let summary = verify_path(&partial, &key)?;
        fs::rename(&partial, &args.out).map_err(|e| {
            Failure::other(t!("audit-cannot-move", path = args.out.display().to_string(), reason = io_reason(&e)))
        })?;
        Ok::<_, Failure>(summary)
    }
    .await;
    let summary = match written {
        Ok(summary) => summary,
        Err(err) => {
            let _ = fs::remove_file(&partial);
            return Err(err);
        }
    };
    let report =
        ExportJson { file: args.out.display().to_string(), events: summary.events, public_key: key.to_string() };
    emit(ctx.json(), &report, || {
        t!("audit-exported", events = report.events, file = report.file.as_str(), key = report.public_key.as_str())
    })
}

fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".partial");
    out.with_file_name(name)
}

fn verify_path(path: &Path, key: &AuditPublicKey) -> Result<verify::Summary, Failure> {
    let file = File::open(path).map_err(|e| {
        Failure::invalid(t!("file-cannot-read", path = path.display().to_string(), reason = io_reason(&e)))
    })?;
    verify::verify(BufReader::with_capacity(1 << 20, file), key).map_err(|err| {
        let path = path.display().to_string();
        let message = match err.first_bad_seq() {
            Some(seq) => t!("audit-does-not-verify-at", path = path, seq = seq, reason = err.to_string()),
            None => t!("audit-does-not-verify", path = path, reason = err.to_string()),
        };
        Failure::new(Kind::Tampered, message)
    })
}

#[derive(Debug, Serialize)]
struct VerifyJson {
    valid: bool,
    vault_id: String,
    events: u64,
    first_time: Option<String>,
    last_time: Option<String>,
    head_seq: u64,
    head_hash: String,
    exported_at: Option<String>,
}

fn verify_file(args: &VerifyArgs, ctx: &Context) -> Result<(), Failure> {
    let key = AuditPublicKey::parse(&args.key)
        .map_err(|e| Failure::invalid(t!("audit-key-invalid", reason = e.to_string())))?;
    let summary = verify_path(&args.file, &key)?;
    let time = |ms: Option<i64>| ms.and_then(|ms| format_time(ms).ok());
    let report = VerifyJson {
        valid: true,
        vault_id: data_encoding::HEXLOWER.encode(&summary.vault_id),
        events: summary.events,
        first_time: time(summary.first_time_ms),
        last_time: time(summary.last_time_ms),
        head_seq: summary.head.head.seq,
        head_hash: data_encoding::HEXLOWER.encode(&summary.head.head.hash),
        exported_at: time(Some(summary.exported_at_ms)),
    };
    emit(ctx.json(), &report, || {
        let shown =
            |time: &Option<String>| time.as_deref().map_or_else(|| "-".to_owned(), |t| human_time(parse_rfc3339(t)));
        t!(
            "audit-valid",
            events = report.events,
            vault = report.vault_id.as_str(),
            first = shown(&report.first_time),
            last = shown(&report.last_time),
            key = key.to_string(),
            seq = report.head_seq,
            hash = report.head_hash.as_str()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_on_the_command_line() -> Result<(), Failure> {
        assert_eq!(parse_time("--since", "1970-01-02", false)?.unix_seconds, 86_400);
        assert_eq!(parse_time("--until", "1970-01-02", true)?.unix_seconds, 2 * 86_400);
        assert_eq!(parse_time("--since", "1970-01-01T00:01:00Z", false)?.unix_seconds, 60);
        let err = parse_time("--since", "yesterday", false).err().map(|e| e.exit_code());
        assert_eq!(err, Some(8));
        Ok(())
    }

    #[test]
    fn the_partial_file_sits_beside_the_export() {
        assert_eq!(partial_path(Path::new("/tmp/log.jsonl")), Path::new("/tmp/log.jsonl.partial"));
    }
}
