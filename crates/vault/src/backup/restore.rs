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
    Damaged(String),
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
        what: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// The restored vault did not open.
    #[error("the restored vault does not open ({0}); nothing was changed")]
    Check(crate::Error),
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
    let body = container::decode(plain.expose_secret()).map_err(|e| RestoreError::Damaged(e.to_string()))?;
    drop(plain);
    let header = body
        .records
        .iter()
        .find(|(k, _)| k == records::HEADER_KEY)
        .ok_or_else(|| RestoreError::Damaged("it holds no seal header".into()))?;
    let header = SealHeader::decode(&header.1).map_err(|e| RestoreError::Damaged(e.to_string()))?;
    if header.vault_id.0 != body.vault_id {
        return Err(RestoreError::Damaged("its seal header belongs to another vault than the backup".into()));
    }
    check_target(data_dir, &header.vault_id.to_hex())?;

    let parent = match data_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |what: &'static str| move |source| RestoreError::Io { dir: data_dir.to_path_buf(), what, source };
    let name = data_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "coffre".into());
    let tmp = parent.join(format!(
        ".{name}.restore-{}",
        data_encoding::HEXLOWER.encode(&crate::records::new_id().map_err(RestoreError::Check)?)
    ));
    let result = build(&tmp, &body, file, clock.as_ref(), &io).and_then(|()| {
        // Proof that it reads back as a vault: header, store and audit log all open.
        let status = Vault::open(VaultConfig::new(tmp.clone()), clock).map_err(RestoreError::Check)?.status();
        if status.vault_id.as_deref() != Some(header.vault_id.to_hex().as_str()) {
            return Err(RestoreError::Damaged("the restored vault reads back with another id".into()));
        }
        if data_dir.exists() {
            std::fs::remove_dir(data_dir).map_err(io("remove the empty target directory"))?;
        }
        std::fs::rename(&tmp, data_dir).map_err(io("move the restored vault into place"))?;
        sync_dir(&parent).map_err(io("sync the parent directory"))
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
    let io = |what: &'static str| move |source| RestoreError::Io { dir: data_dir.to_path_buf(), what, source };
    if !data_dir.exists() {
        return Ok(());
    }
    if !data_dir.is_dir() {
        return Err(RestoreError::NotEmpty(data_dir.to_path_buf()));
    }
    if std::fs::read_dir(data_dir).map_err(io("read the target directory"))?.next().is_none() {
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
    io: &impl Fn(&'static str) -> F,
) -> Result<(), RestoreError>
where
    F: FnOnce(std::io::Error) -> RestoreError,
{
    use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
    for dir in [tmp.to_path_buf(), tmp.join("db"), tmp.join("audit")] {
        std::fs::DirBuilder::new().mode(0o700).create(&dir).map_err(io("create a private directory"))?;
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
            return Err(RestoreError::Damaged("its audit segments are out of order".into()));
        }
        previous = *first;
        let mut segment = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(audit::segment_path(&audit_dir, *first))
            .map_err(io("create an audit segment"))?;
        segment.write_all(bytes).and_then(|()| segment.sync_all()).map_err(io("write an audit segment"))?;
    }
    sync_dir(&audit_dir).map_err(io("sync the audit directory"))?;
    let marker = RestoreMarker {
        backup_created_ms: body.created_ms,
        restored_ms: unix_millis(clock.now()),
        backup_sha256: data_encoding::HEXLOWER.encode(&Sha256::digest(file)),
        audit_events: body.audit_events,
    };
    let marker = serde_json::to_vec(&marker).map_err(|e| RestoreError::Damaged(e.to_string()))?;
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(tmp.join(RESTORE_MARKER))
        .map_err(io("write the restore marker"))?;
    out.write_all(&marker).and_then(|()| out.sync_all()).map_err(io("write the restore marker"))?;
    sync_dir(tmp).map_err(io("sync the restored directory"))
}
