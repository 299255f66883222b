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
    // symlink_metadata, not exists(): a link at the name (even one that points nowhere) is a name taken too.
    if std::fs::symlink_metadata(&args.out).is_ok() {
        return Err(Failure::invalid(t!("file-exists-already", path = args.out.display().to_string())));
    }
    // Created before the daemon is asked, so that a refusal here takes no backup. Removed whenever this returns
    // early (its drop), and moved into place only once whole.
    let (partial, mut file) = Partial::create(partial_path(&args.out))?;
    let daemon = ctx.daemon_with_session().await?;
    let mut stream = daemon
        .backups()
        .create_backup(daemon.request(CreateBackupRequest {})?)
        .await
        .map_err(|s| daemon.fail(s))?
        .into_inner();
    let partial_name = partial.path.display().to_string();
    let cannot = |err: std::io::Error| {
        Failure::other(t!("file-cannot-write", path = partial_name.as_str(), reason = io_reason(&err)))
    };
    let mut info: Option<BackupInfo> = None;
    let mut size = 0u64;
    loop {
        let chunk = match stream.message().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(status) => return Err(daemon.fail(status)),
        };
        if info.is_none() {
            info = chunk.info;
        }
        file.write_all(&chunk.data).map_err(cannot)?;
        size += chunk.data.len() as u64;
    }
    let Some(info) = info.filter(|i| i.size == size) else {
        return Err(Failure::other(t!("backup-incomplete")));
    };
    file.sync_all().map_err(cannot)?;
    drop(file);
    partial.move_to(&args.out).map_err(|err| match err.kind() {
        std::io::ErrorKind::AlreadyExists => {
            Failure::invalid(t!("file-exists-already", path = args.out.display().to_string()))
        }
        _ => cannot(err),
    })?;
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

/// The file a backup is written to until it is whole: a new private file (0600), removed on drop unless moved into
/// place.
struct Partial {
    path: PathBuf,
    moved: bool,
}

impl Partial {
    /// Creates it, and gives the file to write (never opened again by its name, which something else could take
    /// meanwhile); never opens what is already there (`create_new`, which does not follow a link either), so that
    /// nothing planted at this predictable name is written through, and a leftover is named, not reused.
    fn create(path: PathBuf) -> Result<(Self, std::fs::File), Failure> {
        use std::os::unix::fs::OpenOptionsExt as _;
        match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path) {
            Ok(file) => Ok((Self { path, moved: false }, file)),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(Failure::invalid(t!("backup-partial-exists", path = path.display().to_string())))
            }
            Err(err) => Err(Failure::invalid(t!(
                "file-cannot-create",
                path = path.display().to_string(),
                reason = io_reason(&err)
            ))),
        }
    }

    /// Gives the whole file its name, never replacing a file or link that took that name meanwhile
    /// (`AlreadyExists`), then makes the new name durable.
    fn move_to(mut self, out: &Path) -> std::io::Result<()> {
        match std::fs::hard_link(&self.path, out) {
            Ok(()) => std::fs::remove_file(&self.path)?,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => return Err(err),
            // A filesystem without hard links (a FAT USB stick): the name is checked again, then renamed.
            Err(_) => {
                if std::fs::symlink_metadata(out).is_ok() {
                    return Err(std::io::ErrorKind::AlreadyExists.into());
                }
                std::fs::rename(&self.path, out)?;
            }
        }
        self.moved = true;
        let dir = match out.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)?.sync_all()
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.moved {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
