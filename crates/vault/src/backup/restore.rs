//! Restore a backup onto a new data directory, offline (`coffred restore`).
//!
//! Nothing is written unless everything checks: the file decrypts with the identity, the container is whole, its
//! seal header is this container's vault's, and the target directory is missing or empty. The vault is built in a
//! private temporary directory beside the target, opened once to prove it reads back (header, audit log), and only
//! then renamed into place. On any refusal or failure, the temporary directory is removed and the target is as it
//! was.

use std::{
    io::Write as _,
    path::{Path, PathBuf},
    sync::Arc,
    time::SystemTime,
};

use coffre_crypto::age_file::{self, AgeError, AgeIdentity, Unlock};
use coffre_store::{Batch, SledStore, Store};
use sha2::{Digest, Sha256};

use super::{RESTORE_MARKER, RestoreMarker, container, sync_dir};
use crate::{
    Vault, VaultConfig, audit,
    clock::{Clock, from_millis, unix_millis},
    header::SealHeader,
    records,
};

/// The largest decrypted backup accepted (the whole container is held in memory).
const MAX_BACKUP_BYTES: usize = 8 << 30;
/// Records written per store batch while restoring.
const RECORDS_PER_BATCH: usize = 10_000;

/// Why a restore was refused or failed. In every case the target directory is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    /// The backup file does not decrypt with the identity.
    #[error("cannot decrypt the backup: {0}; nothing was changed")]
    Decrypt(AgeError),
    /// The decrypted content is not a whole coffre backup.
    #[error("the backup is damaged: {0}; nothing was changed")]
    Damaged(Damage),
    /// The target directory holds another vault.
    #[error(
        "{dir} holds vault {existing}, and this backup is of vault {backup}: restore into a new, empty directory; \
         nothing was changed"
    )]
    OtherVault {
        /// The target.
        dir: PathBuf,
        /// The vault in it.
        existing: String,
        /// The backup's vault.
        backup: String,
    },
    /// The target directory is not empty.
    #[error("{0} is not empty: restore into a new, empty directory (nothing was changed)")]
    NotEmpty(PathBuf),
    /// Reading or writing files failed.
    #[error("cannot restore into {dir}: {what}: {source}; nothing was changed")]
    Io {
        /// The target.
        dir: PathBuf,
        /// What was being done.
        what: Step,
        /// Why.
        source: std::io::Error,
    },
    /// The restored vault did not open.
    #[error("the restored vault does not open ({0}); nothing was changed")]
    Check(crate::Error),
}

/// What is wrong with a backup's content. Each has a stable code (`restore-damage-<code>` in coffre-i18n's
/// catalogue) and never quotes the content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Damage {
    /// Not a coffre backup.
    #[error("it is not a coffre backup (wrong magic bytes)")]
    NotABackup,
    /// A container format this coffred does not know.
    #[error("it has format {0}, which this coffred does not know: restore it with the coffred that made it, or newer")]
    UnknownFormat(u16),
    /// Cut short or altered.
    #[error("it is truncated or altered (its digest does not match)")]
    Digest,
    /// Its content does not decode.
    #[error("its content is malformed")]
    Malformed,
    /// It holds no seal header.
    #[error("it holds no seal header")]
    NoHeader,
    /// Its seal header does not read.
    #[error("its seal header is malformed")]
    BadHeader,
    /// Its seal header is of another vault than the backup says.
    #[error("its seal header belongs to another vault than the backup")]
    HeaderOfOtherVault,
    /// Its audit segments are not in order.
    #[error("its audit segments are out of order")]
    SegmentsOutOfOrder,
    /// Restored, it reads back with another vault id.
    #[error("the restored vault reads back with another id")]
    ReadsBackOtherVault,
    /// Its audit log ends before the backup's own event (cut by hand: the first open would take the cut for a torn
    /// write and move it aside).
    #[error("its audit log ends at event {events}, before event {expected}, the backup's own: it was cut")]
    LogShort {
        /// Events the restored log holds.
        events: u64,
        /// Events the backup says it holds.
        expected: u64,
    },
}

impl Damage {
    /// The stable code of the damage.
    pub fn code(&self) -> &'static str {
        match self {
            Damage::NotABackup => "not-a-backup",
            Damage::UnknownFormat(_) => "unknown-format",
            Damage::Digest => "digest",
            Damage::Malformed => "malformed",
            Damage::NoHeader => "no-header",
            Damage::BadHeader => "bad-header",
            Damage::HeaderOfOtherVault => "header-of-other-vault",
            Damage::SegmentsOutOfOrder => "segments-out-of-order",
            Damage::ReadsBackOtherVault => "reads-back-other-vault",
            Damage::LogShort { .. } => "log-short",
        }
    }

    /// The values its message shows, by name.
    pub fn arguments(&self) -> Vec<(&'static str, String)> {
        match self {
            Damage::UnknownFormat(format) => vec![("format", format.to_string())],
            Damage::LogShort { events, expected } => {
                vec![("events", events.to_string()), ("expected", expected.to_string())]
            }
            _ => Vec::new(),
        }
    }
}

/// What a restore was doing when a file could not be read or written. Each has a stable code
/// (`restore-step-<code>` in coffre-i18n's catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Reading the target directory.
    ReadTarget,
    /// Removing the empty target directory before the restored one takes its name.
    RemoveEmptyTarget,
    /// Renaming the restored vault into place.
    MoveIntoPlace,
    /// Syncing a directory.
    SyncDirectory,
    /// Creating a private directory.
    CreateDirectory,
    /// Creating an audit segment.
    CreateSegment,
    /// Writing an audit segment.
    WriteSegment,
    /// Writing the restore marker.
    WriteMarker,
}

impl Step {
    /// The stable code of the step.
    pub fn code(&self) -> &'static str {
        match self {
            Step::ReadTarget => "read-target",
            Step::RemoveEmptyTarget => "remove-empty-target",
            Step::MoveIntoPlace => "move-into-place",
            Step::SyncDirectory => "sync-directory",
            Step::CreateDirectory => "create-directory",
            Step::CreateSegment => "create-segment",
            Step::WriteSegment => "write-segment",
            Step::WriteMarker => "write-marker",
        }
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Step::ReadTarget => "read the target directory",
            Step::RemoveEmptyTarget => "remove the empty target directory",
            Step::MoveIntoPlace => "move the restored vault into place",
            Step::SyncDirectory => "sync a directory",
            Step::CreateDirectory => "create a private directory",
            Step::CreateSegment => "create an audit segment",
            Step::WriteSegment => "write an audit segment",
            Step::WriteMarker => "write the restore marker",
        })
    }
}

/// What a restore did.
#[derive(Debug)]
pub struct RestoreReport {
    /// Hex id of the restored vault.
    pub vault_id: String,
    /// When the backup was taken.
    pub backup_created: SystemTime,
    /// Records restored.
    pub records: usize,
    /// Audit events restored.
    pub audit_events: u64,
    /// Hex id of the share set that opens the restored vault (the one current when the backup was taken), if
    /// it had one: shares of a set issued by a later rekey do not open it.
    pub share_set_id: Option<String>,
}

/// Restores the backup `file` (as written by a backup) into `data_dir`, which must be missing or empty.
pub fn restore(
    file: &[u8],
    identity: &AgeIdentity,
    data_dir: &Path,
    clock: Arc<dyn Clock>,
) -> Result<RestoreReport, RestoreError> {
    let plain = age_file::decrypt(Unlock::Identity(identity), file, MAX_BACKUP_BYTES).map_err(RestoreError::Decrypt)?;
    let body = container::decode(plain.expose_secret()).map_err(RestoreError::Damaged)?;
    drop(plain);
    let header =
        body.records.iter().find(|(k, _)| k == records::HEADER_KEY).ok_or(RestoreError::Damaged(Damage::NoHeader))?;
    let header = SealHeader::decode(&header.1).map_err(|e| {
        tracing::error!(error = %e, "the backup's seal header does not read");
        RestoreError::Damaged(Damage::BadHeader)
    })?;
    if header.vault_id.0 != body.vault_id {
        return Err(RestoreError::Damaged(Damage::HeaderOfOtherVault));
    }
    check_target(data_dir, &header.vault_id.to_hex())?;

    let parent = match data_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |what: Step| move |source| RestoreError::Io { dir: data_dir.to_path_buf(), what, source };
    let name = data_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "coffre".into());
    let tmp = parent.join(format!(
        ".{name}.restore-{}",
        data_encoding::HEXLOWER.encode(&crate::records::new_id().map_err(RestoreError::Check)?)
    ));
    let result = build(&tmp, &body, file, clock.as_ref(), &io).and_then(|()| {
        // Proof that it reads back as a vault: header, store and audit log all open.
        let status = Vault::open(VaultConfig::new(tmp.clone()), clock).map_err(RestoreError::Check)?.status();
        if status.vault_id.as_deref() != Some(header.vault_id.to_hex().as_str()) {
            return Err(RestoreError::Damaged(Damage::ReadsBackOtherVault));
        }
        // The log must reach the backup's own event, durable before the copy was taken: a log that ends before it
        // was cut, and must not pass for a torn write.
        if status.audit_events < body.audit_events {
            return Err(RestoreError::Damaged(Damage::LogShort {
                events: status.audit_events,
                expected: body.audit_events,
            }));
        }
        if data_dir.exists() {
            std::fs::remove_dir(data_dir).map_err(io(Step::RemoveEmptyTarget))?;
        }
        std::fs::rename(&tmp, data_dir).map_err(io(Step::MoveIntoPlace))?;
        sync_dir(&parent).map_err(io(Step::SyncDirectory))
    });
    if let Err(err) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(err);
    }
    tracing::info!(vault = %header.vault_id.to_hex(), "backup restored");
    Ok(RestoreReport {
        vault_id: header.vault_id.to_hex(),
        backup_created: from_millis(body.created_ms),
        records: body.records.len(),
        audit_events: body.audit_events,
        share_set_id: header.recovery.as_ref().map(|r| r.share_set.to_hex()),
    })
}

/// Refuses a target that exists and is not empty, naming the vault in it when there is one.
fn check_target(data_dir: &Path, backup_vault: &str) -> Result<(), RestoreError> {
    let io = |what: Step| move |source| RestoreError::Io { dir: data_dir.to_path_buf(), what, source };
    if !data_dir.exists() {
        return Ok(());
    }
    if !data_dir.is_dir() {
        return Err(RestoreError::NotEmpty(data_dir.to_path_buf()));
    }
    if std::fs::read_dir(data_dir).map_err(io(Step::ReadTarget))?.next().is_none() {
        return Ok(());
    }
    if let Some(existing) = existing_vault(data_dir)
        && existing != backup_vault
    {
        return Err(RestoreError::OtherVault {
            dir: data_dir.to_path_buf(),
            existing,
            backup: backup_vault.to_owned(),
        });
    }
    Err(RestoreError::NotEmpty(data_dir.to_path_buf()))
}

/// The id of the vault in `data_dir`, read from a copy of its database (opening sled may write, and this must
/// not), if it has one that opens.
fn existing_vault(data_dir: &Path) -> Option<String> {
    // The seal header's copy is written as soon as a vault is created; its store may not be written out yet.
    if let Some(header) =
        std::fs::read(data_dir.join(crate::journal::HEADER_COPY)).ok().and_then(|bytes| SealHeader::decode(&bytes).ok())
    {
        return Some(header.vault_id.to_hex());
    }
    let db = data_dir.join("db");
    if !db.is_dir() {
        return None;
    }
    let copy = tempfile::tempdir().ok()?;
    copy_dir(&db, copy.path()).ok()?;
    let store = SledStore::open(copy.path()).ok()?;
    let header = SealHeader::decode(&store.get(records::HEADER_KEY).ok()??).ok()?;
    Some(header.vault_id.to_hex())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for item in std::fs::read_dir(from)? {
        let item = item?;
        let target = to.join(item.file_name());
        if item.file_type()?.is_dir() {
            copy_dir(&item.path(), &target)?;
        } else {
            std::fs::copy(item.path(), target)?;
        }
    }
    Ok(())
}

/// Writes the store, the audit segments and the restore marker into `tmp` (created private, 0700).
fn build<F>(
    tmp: &Path,
    body: &container::Body,
    file: &[u8],
    clock: &dyn Clock,
    io: &impl Fn(Step) -> F,
) -> Result<(), RestoreError>
where
    F: FnOnce(std::io::Error) -> RestoreError,
{
    use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
    for dir in [tmp.to_path_buf(), tmp.join("db"), tmp.join("audit")] {
        std::fs::DirBuilder::new().mode(0o700).create(&dir).map_err(io(Step::CreateDirectory))?;
    }
    {
        let store = SledStore::open(&tmp.join("db")).map_err(|e| RestoreError::Check(e.into()))?;
        for chunk in body.records.chunks(RECORDS_PER_BATCH) {
            let mut batch = Batch::default();
            for (key, value) in chunk {
                batch.insert(key.clone(), value.clone());
            }
            store.apply(batch).map_err(|e| RestoreError::Check(e.into()))?;
        }
        store.flush().map_err(|e| RestoreError::Check(e.into()))?;
    }
    let audit_dir = tmp.join("audit");
    let mut previous = 0;
    for (first, bytes) in &body.audit_segments {
        if *first <= previous {
            return Err(RestoreError::Damaged(Damage::SegmentsOutOfOrder));
        }
        previous = *first;
        let mut segment = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(audit::segment_path(&audit_dir, *first))
            .map_err(io(Step::CreateSegment))?;
        segment.write_all(bytes).and_then(|()| segment.sync_all()).map_err(io(Step::WriteSegment))?;
    }
    sync_dir(&audit_dir).map_err(io(Step::SyncDirectory))?;
    let marker = RestoreMarker {
        backup_created_ms: body.created_ms,
        restored_ms: unix_millis(clock.now()),
        backup_sha256: data_encoding::HEXLOWER.encode(&Sha256::digest(file)),
        audit_events: body.audit_events,
    };
    let marker = serde_json::to_vec(&marker).map_err(|e| RestoreError::Check(crate::Error::Internal(e.to_string())))?;
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(tmp.join(RESTORE_MARKER))
        .map_err(io(Step::WriteMarker))?;
    out.write_all(&marker).and_then(|()| out.sync_all()).map_err(io(Step::WriteMarker))?;
    sync_dir(tmp).map_err(io(Step::SyncDirectory))
}
