//! Backups: a consistent snapshot taken while the daemon serves, restore onto a new data directory, and
//! scheduled backups with retention.
//!
//! A backup is the [`container`] (seal header, every record still sealed under the vault's keys, the audit segment
//! files) encrypted with age to the X25519 recipients of the current share set's holders (by default the president
//! and the leader). It is consistent: it is taken under the engine's write lock, so no change is half in it, and
//! its own "backup" audit event is in it. A holder whose share is encrypted to a passphrase receives no backup (an
//! age passphrase cannot be mixed with keys, and the daemon would have to keep it).
//!
//! Restore happens offline (`coffred restore`); it writes a marker file, and the next unseal, by passphrase or by
//! shares, records the "restore" audit event first and removes the marker.

pub(crate) mod container;
mod restore;
mod schedule;

use std::{path::Path, time::SystemTime};

use coffre_crypto::age_file::{self, AgeRecipient};
use serde::{Deserialize, Serialize};

pub use restore::{Damage, RestoreError, RestoreReport, Step, restore};
pub use schedule::{BackupSchedule, StepOutcome};

use crate::reasons;
use crate::{
    Error, Result,
    audit::{self, Outcome},
    authz::Action,
    clock::from_millis,
    model::RequestContext,
    recovery::current_share_set,
    vault::{Inner, Open, Vault},
};

/// The marker a restore leaves in the data directory until the next unseal records it.
pub(crate) const RESTORE_MARKER: &str = "restored.json";

/// A backup file, ready to be written.
#[derive(Debug)]
pub struct Backup {
    /// The age-encrypted container.
    pub file: Vec<u8>,
    /// Hex id of the vault.
    pub vault_id: String,
    /// When the snapshot was taken.
    pub created: SystemTime,
    /// Records in it.
    pub records: usize,
    /// Audit events in it.
    pub audit_events: u64,
    /// How many recipients can decrypt it.
    pub recipients: usize,
    /// Hex id of the share set whose shares open it (a recovery by shares needs this set: a later rekey issues
    /// another set, which does not open this backup), and when that set was issued.
    pub share_set_id: String,
    /// When the share set was issued.
    pub share_set_issued: SystemTime,
}

/// What the restore marker says (clear, non-secret: times, counts, and the backup file's digest).
#[derive(Serialize, Deserialize)]
pub(crate) struct RestoreMarker {
    pub(crate) backup_created_ms: i64,
    pub(crate) restored_ms: i64,
    pub(crate) backup_sha256: String,
    pub(crate) audit_events: u64,
}

impl Vault {
    /// Takes a backup now. Owners only.
    pub async fn create_backup(&self, ctx: &RequestContext) -> Result<Backup> {
        let caller = self.inner.authorize_audited(ctx, Action::Backup, "").await?;
        self.backup_as(ctx, &caller.name, &caller.open, "requested").await
    }

    /// Takes a backup on the daemon's own behalf (scheduled backups): needs the vault unsealed, no session.
    pub(crate) async fn backup_as(&self, ctx: &RequestContext, actor: &str, open: &Open, why: &str) -> Result<Backup> {
        let inner = &self.inner;
        let set = current_share_set(self, open)?;
        let share_set = set.as_ref().map(|s| (data_encoding::HEXLOWER.encode(&s.id), s.created_ms));
        let recipients: Vec<AgeRecipient> = set
            .map(|set| set.holders.into_iter().filter_map(|h| h.recipient).collect::<Vec<_>>())
            .unwrap_or_default()
            .iter()
            .map(|r| AgeRecipient::parse(r).map_err(|e| Error::Corrupt(format!("ShareSet recipient ({e})"))))
            .collect::<Result<_>>()?;
        let Some((share_set_id, share_set_issued_ms)) = share_set.filter(|_| !recipients.is_empty()) else {
            return Err(Error::WrongState(reasons::NO_AGE_HOLDER));
        };
        let created_ms = inner.now_ms();
        let (body, events) = {
            // Under the write lock, no change is half applied: the store and the log agree, and the backup's own
            // event (durable before the copy) is in it.
            let _writes = inner.writes.lock().await;
            let mut event = inner.event(ctx, actor, "backup", "", Outcome::Success);
            event.detail = format!("{why} recipients={} share_set={share_set_id}", recipients.len());
            let seq = inner.audit(event).await?;
            let records = inner.store.scan_all().collect::<std::result::Result<Vec<_>, _>>()?;
            let audit_segments = audit::copy_segments(&inner.config.data_dir.join("audit"))?;
            let body =
                container::Body { vault_id: open.vault_id.0, created_ms, audit_events: seq, records, audit_segments };
            (body, seq)
        };
        let records = body.records.len();
        let count = recipients.len();
        let file = tokio::task::spawn_blocking(move || -> Result<Vec<u8>> {
            let plain = zeroize::Zeroizing::new(container::encode(&body)?);
            age_file::encrypt_to_keys(&recipients, &plain).map_err(|e| Error::Internal(e.to_string()))
        })
        .await
        .map_err(|e| Error::Internal(format!("backup task failed: {e}")))??;
        tracing::info!(records, audit_events = events, "backup taken");
        Ok(Backup {
            file,
            vault_id: open.vault_id.to_hex(),
            created: from_millis(created_ms),
            records,
            audit_events: events,
            recipients: count,
            share_set_id,
            share_set_issued: from_millis(share_set_issued_ms),
        })
    }
}

impl Inner {
    /// After a restore, the first unseal records the "restore" event (the restore itself ran offline, without any
    /// key) and removes the marker. Call with the audit key set, before the unseal event.
    pub(crate) async fn note_restore(&self, ctx: &RequestContext) -> Result<()> {
        let path = self.config.data_dir.join(RESTORE_MARKER);
        let Ok(text) = std::fs::read(&path) else { return Ok(()) };
        let mut event = self.event(ctx, "coffred", "restore", "", Outcome::Success);
        event.detail = match serde_json::from_slice::<RestoreMarker>(&text) {
            Ok(m) => format!(
                "backup_created_ms={} restored_ms={} backup_sha256={} audit_events_in_backup={}",
                m.backup_created_ms, m.restored_ms, m.backup_sha256, m.audit_events
            ),
            Err(_) => "restore marker unreadable".into(),
        };
        self.audit(event).await?;
        if let Err(err) = std::fs::remove_file(&path).and_then(|()| sync_dir(&self.config.data_dir)) {
            tracing::error!(error = %err, "the restore marker could not be removed; the next unseal records it again");
        }
        Ok(())
    }
}

/// fsync on a directory, so that a rename or removal in it survives a crash.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}
