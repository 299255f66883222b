//! `coffre backup create --out FILE`: a backup now, streamed from the daemon into a new private file.

use std::{
    io::Write as _,
    path::{Path, PathBuf},
};

use clap::{Args, Subcommand};
use coffre_i18n::t;
use coffre_proto::v1::{BackupInfo, CreateBackupRequest};
use serde::Serialize;

use crate::{
    Context,
    exit::{Failure, io_reason},
    output::{emit, from_proto, human_time, json_time, printable},
};

/// The backup subcommands.
#[derive(Subcommand)]
pub(crate) enum BackupCommand {
    /// Take a backup now: a consistent snapshot, encrypted to the recovery holders' age keys (owners)
    Create(CreateArgs),
}

/// Options of `coffre backup create`.
#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// The file to write (must not exist yet; mode 0600)
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// What `backup create` prints with `--json`.
#[derive(Serialize)]
struct Created {
    file: String,
    vault_id: String,
    created: Option<String>,
    records: u64,
    audit_events: u64,
    recipients: u32,
    size: u64,
    share_set_id: String,
    share_set_issued: Option<String>,
}

pub(crate) async fn run(command: &BackupCommand, ctx: &Context) -> Result<(), Failure> {
    match command {
        BackupCommand::Create(args) => create(args, ctx).await,
    }
}

async fn create(args: &CreateArgs, ctx: &Context) -> Result<(), Failure> {
    if args.out.exists() {
        return Err(Failure::invalid(t!("file-exists-already", path = args.out.display().to_string())));
    }
    let daemon = ctx.daemon_with_session().await?;
    let mut stream = daemon
        .backups()
        .create_backup(daemon.request(CreateBackupRequest {})?)
        .await
        .map_err(|s| daemon.fail(s))?
        .into_inner();
    let partial = partial_path(&args.out);
    let mut file = create_private(&partial)?;
    let cannot = |err: std::io::Error| {
        let _ = std::fs::remove_file(&partial);
        Failure::other(t!("file-cannot-write", path = partial.display().to_string(), reason = io_reason(&err)))
    };
    let mut info: Option<BackupInfo> = None;
    let mut size = 0u64;
    loop {
        let chunk = match stream.message().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(status) => {
                let _ = std::fs::remove_file(&partial);
                return Err(daemon.fail(status));
            }
        };
        if info.is_none() {
            info = chunk.info;
        }
        file.write_all(&chunk.data).map_err(cannot)?;
        size += chunk.data.len() as u64;
    }
    let Some(info) = info.filter(|i| i.size == size) else {
        let _ = std::fs::remove_file(&partial);
        return Err(Failure::other(t!("backup-incomplete")));
    };
    file.sync_all().map_err(cannot)?;
    drop(file);
    std::fs::rename(&partial, &args.out).map_err(cannot)?;
    let report = Created {
        file: args.out.display().to_string(),
        vault_id: info.vault_id.clone(),
        created: json_time(info.created.as_ref()),
        records: info.records,
        audit_events: info.audit_events,
        recipients: info.recipients,
        size,
        share_set_id: info.share_set_id.clone(),
        share_set_issued: json_time(info.share_set_issued.as_ref()),
    };
    emit(ctx.json(), &report, || {
        t!(
            "backup-written",
            vault = printable(&report.vault_id),
            file = report.file.as_str(),
            size = report.size,
            time = human_time(from_proto(info.created.as_ref())),
            records = report.records,
            events = report.audit_events,
            recipients = report.recipients,
            set = printable(&report.share_set_id),
            issued = human_time(from_proto(info.share_set_issued.as_ref()))
        )
    })
}

fn partial_path(out: &Path) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "backup".into());
    out.with_file_name(format!(".{name}.partial"))
}

fn create_private(path: &Path) -> Result<std::fs::File, Failure> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path).map_err(|err| {
        Failure::invalid(t!("file-cannot-create", path = path.display().to_string(), reason = io_reason(&err)))
    })
}
