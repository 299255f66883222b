//! `coffred rebuild-store`: a new data directory whose store is built from the audit log alone, offline.
//!
//! The log carries every change to the store (`journal.rs`), so a store that is damaged, lost or rolled back can be
//! made again from it. This reads the source data directory and never writes to it: the seal header's copy (the
//! owner's key slot in it opens the log's key), the audit segments and the head witness are copied into the new
//! directory, every change is replayed there into a new store, each checked against the digest the log recorded,
//! and the whole event chain is verified. The result is an ordinary data directory: start coffred on it and unseal.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use coffre_crypto::secret::Passphrase;
use coffre_store::SledStore;

use crate::{
    Error, Result, Vault, VaultConfig,
    audit::{self, AuditKeys},
    clock::Clock,
    header::{MacCheck, SealHeader},
    journal,
    vault::Open,
};

/// What a rebuild made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RebuildReport {
    /// The vault's id.
    pub vault_id: String,
    /// Changes replayed from the log.
    pub changes: u64,
    /// The sequence number of the last one.
    pub last_change: u64,
    /// Records in the new store.
    pub records: u64,
    /// Audit events in the log, every one verified.
    pub audit_events: u64,
}

pub(crate) fn io(what: &str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.display().to_string();
    let what = what.to_string();
    move |e| Error::Internal(format!("cannot {what} {path}: {e}"))
}

/// Rebuilds the vault in `source` into `target` (which must not exist yet), with an owner's `passphrase`.
pub async fn rebuild_store(
    source: &Path,
    target: &Path,
    passphrase: Passphrase,
    clock: Arc<dyn Clock>,
) -> Result<RebuildReport> {
    let open = unlock(source, passphrase).await?;
    make_target(target)?;
    copy_log(source, target)?;
    finish(target, &open, clock).await
}

/// Builds the store of `target` from its log, then proves it is a vault: it opens (the log's end and its witness
/// are checked), and every event verifies.
pub(crate) async fn finish(target: &Path, open: &Open, clock: Arc<dyn Clock>) -> Result<RebuildReport> {
    let vault_id = open.vault_id;
    let keys = open.audit_keys.clone();
    let (db, log) = (target.join("db"), target.join("audit"));
    let rebuilt = tokio::task::spawn_blocking(move || -> Result<_> {
        let store = SledStore::open(&db)?;
        journal::rebuild(&store, &db, &log, keys)
    })
    .await
    .map_err(|e| Error::Internal(format!("the rebuild failed: {e}")))??;
    let vault = Vault::open(VaultConfig::new(target.to_path_buf()), clock)?;
    let status = vault.status();
    drop(vault);
    if status.vault_id.as_deref() != Some(vault_id.to_hex().as_str()) {
        return Err(Error::Internal("the rebuilt vault reads back with another id".into()));
    }
    verify_chain(&target.join("audit"), open.audit_keys.clone(), status.audit_events).await?;
    Ok(RebuildReport {
        vault_id: vault_id.to_hex(),
        changes: rebuilt.changes,
        last_change: rebuilt.applied.seq,
        records: rebuilt.records,
        audit_events: status.audit_events,
    })
}

/// Opens the master key of the vault in `source` with an owner's passphrase, from the seal header's copy (the store
/// may be the damaged part).
pub(crate) async fn unlock(source: &Path, passphrase: Passphrase) -> Result<Open> {
    let copy_path = source.join(journal::HEADER_COPY);
    let bytes = std::fs::read(&copy_path).map_err(|e| {
        Error::Internal(format!(
            "cannot read the seal header's copy {} ({e}): it is written at every unseal by this version of coffred; \
             without it, restore a backup instead",
            copy_path.display()
        ))
    })?;
    let header = SealHeader::decode(&bytes)?;
    let vault_id = header.vault_id;
    let slots = header.slots.clone();
    let master = tokio::task::spawn_blocking(move || {
        slots.iter().find_map(|slot| slot.unwrap(&passphrase, &vault_id).ok()).ok_or(Error::WrongPassphrase)
    })
    .await
    .map_err(|e| Error::Internal(format!("key derivation failed: {e}")))??;
    let open = Open::new(vault_id, master);
    if header.check_mac(&open.header_key)? == MacCheck::Missing {
        tracing::warn!("the seal header's copy has no MAC (written by an older coffre)");
    }
    Ok(open)
}

/// Creates the new data directory and its `db` and `audit` directories, private; refuses one that exists.
pub(crate) fn make_target(target: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new().mode(0o700).create(target).map_err(io("create the new data directory", target))?;
    for dir in [target.join("db"), target.join("audit")] {
        std::fs::DirBuilder::new().mode(0o700).create(&dir).map_err(io("create", &dir))?;
    }
    Ok(())
}

/// Copies the segments, the head witness and the seal header's copy (nothing else: quarantined bytes stay where
/// they are), each made durable.
fn copy_log(source: &Path, target: &Path) -> Result<()> {
    let from = source.join("audit");
    let segments = audit::segment::list_segments(&from).map_err(io("list the audit segments in", &from))?;
    let mut files: Vec<(PathBuf, PathBuf)> =
        segments.into_iter().map(|(first, path)| (path, audit::segment_path(&target.join("audit"), first))).collect();
    for name in [audit::witness::FILE_NAME, journal::HEADER_COPY] {
        if source.join(name).exists() {
            files.push((source.join(name), target.join(name)));
        }
    }
    for (from, to) in files {
        std::fs::copy(&from, &to).map_err(io("copy", &from))?;
        std::fs::File::open(&to).and_then(|f| f.sync_all()).map_err(io("sync", &to))?;
    }
    for dir in [target.join("audit"), target.to_path_buf()] {
        std::fs::File::open(&dir).and_then(|f| f.sync_all()).map_err(io("sync", &dir))?;
    }
    Ok(())
}

pub(crate) async fn verify_chain(dir: &Path, keys: Arc<AuditKeys>, last: u64) -> Result<()> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        for event in audit::read::Events::new(&dir, keys, 1, last)? {
            event?;
        }
        Ok(())
    })
    .await
    .map_err(|e| Error::Internal(format!("the chain check failed: {e}")))?
}
