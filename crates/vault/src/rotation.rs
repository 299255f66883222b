//! Two-phase rotation, the compromise flag, the rotation-due report, and the TOTP code of a platform account.
//!
//! A password changes on its platform by hand, so a rotation is two-phase (DESIGN.md, "Rotation"): stage (a new
//! password, given or generated here, becomes the pending version), the president changes it on the platform
//! (revealing the pending password, owners only, audited), then confirm (the pending version becomes current, the
//! previous one stays in history) or cancel (the pending version is dropped).
//!
//! The staged rotation lives beside the entry, never in it: its facts in the entry's rotation record (`o/`), its
//! new password in a record of its own (`q/`, bound to the rotation's id). Staging and cancelling therefore never
//! touch the entry or its versions, so a cancel restores exactly what was there, and a reveal of the current
//! version reads nothing more than before. At most one rotation is staged per entry: a second stage is refused
//! (FAILED_PRECONDITION), every change runs under the engine's write lock, so of two concurrent stages exactly one
//! wins. A confirm refuses if the entry's secrets moved since staging (another edit made a version), and may name
//! the rotation it means, so that nobody confirms a password somebody else staged after a cancel.

use std::{collections::HashMap, sync::Arc};

use coffre_crypto::{generator, record::RecordKind, secret::SecretBytes, totp::TotpSeed};
use coffre_store::Batch;

use crate::reasons;
use crate::{
    Error, Result,
    audit::Outcome,
    authz::{self, Action},
    clock::{from_millis, unix_seconds},
    entries::{put_entry, put_version},
    model::*,
    people::hex,
    records::{self, CompromiseFlag, EntryRecord, Id, PendingRotation, RotationRecord, VersionRecord},
    validate::{self, MAX_PASSWORD_BYTES},
    vault::{Inner, Open, Vault},
};

impl Vault {
    /// Stages a rotation of `platform`'s password: the new password (given, or generated here so that it never
    /// travels from a client) becomes the pending version. Owners only. Refused while another rotation is staged.
    pub async fn stage_rotation(
        &self,
        ctx: &RequestContext,
        platform: &str,
        password: NewPassword,
    ) -> Result<StagedRotation> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::StageRotation, platform.trim()).await?;
        let open = &caller.open;
        let (password, entropy_bits) = match password {
            NewPassword::Given(password) => {
                validate::secret(crate::problems::PASSWORD, password.expose_secret(), true, MAX_PASSWORD_BYTES)?;
                (password, None)
            }
            NewPassword::Generate(policy) => {
                let generated = generator::generate(&policy).map_err(|err| match err {
                    coffre_crypto::CryptoError::Policy(problem) => {
                        Error::invalid(crate::problems::GENERATOR_POLICY, crate::Problem::Policy(problem))
                    }
                    other => Error::Crypto(other),
                })?;
                let bytes = SecretBytes::new(generated.password.expose_secret().as_bytes().to_vec());
                (bytes, Some(generated.entropy_bits))
            }
        };
        let _writes = inner.writes.lock().await;
        let entry = inner.entry_by_name(open, platform)?;
        if entry.lifecycle == Lifecycle::Archived {
            return Err(Error::WrongState(reasons::ARCHIVED_NOT_ROTATED));
        }
        let mut rotation = inner.rotation(open, &entry.id)?.unwrap_or_default();
        if rotation.pending.is_some() {
            return Err(Error::WrongState(reasons::ROTATION_STAGED_ALREADY));
        }
        let now = inner.now_ms();
        let pending = PendingRotation {
            id: records::new_id()?,
            base_version: entry.version,
            staged_by: caller.name.clone(),
            staged_ms: now,
            generated: entropy_bits.is_some(),
            entropy_bits,
        };
        let version = VersionRecord {
            version: next_version(&entry)?,
            created_ms: now,
            created_by: caller.name.clone(),
            changed: vec![SecretField::Password],
            password: password.expose_secret().to_vec(),
            totp_seed: Vec::new(),
            notes: Vec::new(),
        };
        let mut batch = Batch::default();
        put_pending(open, &mut batch, &entry.id, &pending.id, &version)?;
        // A password given (not drawn here) is known to whoever typed it in: offboarding flags it as it does a
        // revealed one, staged or confirmed since.
        let marked = if pending.generated {
            None
        } else {
            inner.mark_typed_in(open, &mut batch, &caller.person, &entry.id, version.version)?
        };
        let view = staged_view(&entry, &pending);
        rotation.pending = Some(pending);
        put_rotation(open, &mut batch, &entry.id, &rotation)?;
        let mut event = inner.event(ctx, &caller.name, "rotation.stage", &entry.platform, Outcome::Success);
        event.detail =
            format!("rotation={} pending_version={} generated={}", view.id, view.pending_version, view.generated);
        inner.commit(event, batch).await?;
        Inner::noted_mark(open, &caller.person, &entry.id, marked);
        Ok(view)
    }

    /// Makes the staged password current: a new version (the other secret fields as they are now), the previous
    /// one kept in history; clears the entry's rotation-due and compromise flags raised before the staging. Owners
    /// only.
    pub async fn confirm_rotation(&self, ctx: &RequestContext, which: RotationRef) -> Result<EntryView> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::ConfirmRotation, which.platform.trim()).await?;
        let open = &caller.open;
        let _writes = inner.writes.lock().await;
        let mut entry = inner.entry_by_name(open, &which.platform)?;
        if entry.lifecycle == Lifecycle::Archived {
            return Err(Error::WrongState(reasons::ARCHIVED_CANCEL_ROTATION));
        }
        let mut rotation = inner.rotation(open, &entry.id)?.unwrap_or_default();
        let pending = staged(&rotation, which.id.as_deref())?;
        if entry.version != pending.base_version {
            return Err(Error::WrongState(reasons::ROTATION_BASE_CHANGED));
        }
        let staged_secrets = inner.pending_version(open, &entry.id, &pending)?;
        let current = inner.version(open, &entry.id, entry.version)?;
        let now = inner.now_ms();
        let next = VersionRecord {
            version: next_version(&entry)?,
            created_ms: now,
            created_by: caller.name.clone(),
            changed: vec![SecretField::Password],
            password: staged_secrets.password.clone(),
            totp_seed: current.totp_seed.clone(),
            notes: current.notes.clone(),
        };
        // Only what the new password answers is cleared: a flag raised after the staging (someone offboarded who
        // saw the staged password, a leak of it) stays until the next rotation.
        let mut cleared = Vec::new();
        if entry.rotation_due.as_ref().is_some_and(|due| due.since <= from_millis(pending.staged_ms)) {
            entry.rotation_due = None;
            cleared.push("offboarded");
        }
        if rotation.compromised.as_ref().is_some_and(|flag| flag.since_ms <= pending.staged_ms) {
            rotation.compromised = None;
            cleared.push("compromised");
        }
        entry.version = next.version;
        entry.updated_ms = now;
        rotation.pending = None;
        let mut batch = Batch::default();
        put_version(open, &mut batch, &entry.id, &next)?;
        put_entry(open, &mut batch, &entry)?;
        batch.remove(records::key(records::PENDING_VERSION, &entry.id));
        put_rotation(open, &mut batch, &entry.id, &rotation)?;
        let mut event = inner.event(ctx, &caller.name, "rotation.confirm", &entry.platform, Outcome::Success);
        event.detail = format!(
            "rotation={} version={} staged_by={} cleared={}",
            hex(&pending.id),
            next.version,
            pending.staged_by,
            cleared.join(",")
        );
        inner.commit(event, batch).await?;
        Ok(entry.view())
    }

    /// Drops the staged password; the entry and its versions are exactly as before the stage. Owners only.
    pub async fn cancel_rotation(&self, ctx: &RequestContext, which: RotationRef) -> Result<StagedRotation> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::CancelRotation, which.platform.trim()).await?;
        let open = &caller.open;
        let _writes = inner.writes.lock().await;
        let entry = inner.entry_by_name(open, &which.platform)?;
        let mut rotation = inner.rotation(open, &entry.id)?.unwrap_or_default();
        let pending = staged(&rotation, which.id.as_deref())?;
        let view = staged_view(&entry, &pending);
        rotation.pending = None;
        let mut batch = Batch::default();
        batch.remove(records::key(records::PENDING_VERSION, &entry.id));
        put_rotation(open, &mut batch, &entry.id, &rotation)?;
        let mut event = inner.event(ctx, &caller.name, "rotation.cancel", &entry.platform, Outcome::Success);
        event.detail = format!("rotation={} staged_by={}", view.id, view.staged_by);
        inner.commit(event, batch).await?;
        Ok(view)
    }

    /// Reveals the staged password, so that an owner can set it on the platform. Owners only; audited like any
    /// reveal, with `pending=` in the detail. A staged rotation holds a password only: other fields are NOT_FOUND.
    pub async fn reveal_pending(&self, ctx: &RequestContext, params: RevealParams) -> Result<Revealed> {
        let inner = &self.inner;
        let caller = inner.authenticate(ctx)?;
        let reason = validate::reason(&params.reason)?;
        if let Err(denied) = authz::check(caller.role, Action::RevealPending) {
            let detail = format!("field={} pending refused={denied}", params.field.name());
            return Err(inner.audit_refused_reveal(ctx, &caller, params.platform.trim(), reason, detail, denied).await);
        }
        if params.field != SecretField::Password {
            return Err(Error::NotFound(reasons::STAGED_PASSWORD_ONLY));
        }
        // The rotation record and its staged secret are read together under the write lock, so a cancel or a new
        // stage landing between the two reads is not mistaken for a damaged record.
        let writes = inner.writes.lock().await;
        let entry = inner.entry_ref(&caller.open, &params.platform)?;
        let rotation = inner.rotation(&caller.open, &entry.id)?.unwrap_or_default();
        let pending = staged(&rotation, None)?;
        let record = inner.pending_version(&caller.open, &entry.id, &pending)?;
        drop(writes);
        let secret = SecretBytes::new(record.password.clone());
        let version = record.version;
        drop(record);
        let mut event = inner.event(ctx, &caller.name, "reveal", &entry.platform, Outcome::Success);
        event.reason = reason;
        event.detail = format!("field=password version={version} pending=rotation:{}", hex(&pending.id));
        let audit_seq = inner.audit_reveal(&caller.open, (&caller.person, &entry.id, version), event).await?;
        Ok(Revealed { secret, version, audit_seq, valid_for_secs: None })
    }

    /// Flags an entry compromised (an incident report): it is listed as due for rotation until a rotation is
    /// confirmed. Owners, and anyone a live grant on the entry covers. Flagging a flagged entry keeps the first
    /// flag's time and reason; the new report is audited all the same.
    pub async fn flag_compromised(&self, ctx: &RequestContext, platform: &str, reason: &str) -> Result<Flagged> {
        let inner = &self.inner;
        let caller = inner.authenticate(ctx)?;
        let denied = |denied| inner.audit_denial(ctx, &caller, Action::FlagEntry, platform.trim(), denied);
        if let Err(refused) = authz::check(caller.role, Action::FlagEntry) {
            return Err(denied(refused).await);
        }
        let reason = validate::statement(crate::problems::REASON, reason, crate::Problem::ReportRequired)?;
        let open = &caller.open;
        let now = inner.now_ms();
        let entry = inner.entry_allowed(ctx, &caller, Action::FlagEntry, platform, now).await?;
        let _writes = inner.writes.lock().await;
        let mut rotation = inner.rotation(open, &entry.id)?.unwrap_or_default();
        let already = rotation.compromised.is_some();
        let mut batch = Batch::default();
        if !already {
            rotation.compromised =
                Some(CompromiseFlag { reason: reason.clone(), by: caller.name.clone(), since_ms: now });
            put_rotation(open, &mut batch, &entry.id, &rotation)?;
        }
        let since = rotation.compromised.as_ref().map_or(now, |flag| flag.since_ms);
        let mut event = inner.event(ctx, &caller.name, "entry.flag", &entry.platform, Outcome::Success);
        event.reason = reason;
        event.detail = format!("compromised already={already}");
        inner.commit(event, batch).await?;
        Ok(Flagged { platform: entry.platform.clone(), since: from_millis(since), already })
    }

    /// The entries whose password should change, with every reason and since when: older than their category's
    /// maximum age (since = last password change + that age), revealed by someone since offboarded (since = the
    /// offboarding), flagged compromised (since = the flag). Archived entries are left out. Also the rotations
    /// staged and waiting. Owners only.
    pub fn rotation_due(&self, ctx: &RequestContext) -> Result<RotationReport> {
        let inner = &self.inner;
        let caller = inner.authorize(ctx, Action::RotationDue)?;
        let open = &caller.open;
        let now = inner.now_ms();
        let rotations = inner.all_rotations(open)?;
        let mut due = Vec::new();
        let mut staged = Vec::new();
        // Every entry, from the entry cache (one that does not open is logged there and left out).
        let entries: Vec<Arc<EntryRecord>> = inner.with_entries(open, |cache| cache.after(None).cloned().collect())?;
        for entry in entries {
            if entry.lifecycle == Lifecycle::Archived {
                continue;
            }
            let rotation = rotations.get(&entry.id);
            if let Some(pending) = rotation.and_then(|r| r.pending.as_ref()) {
                staged.push(staged_view(&entry, pending));
            }
            let mut reasons = Vec::new();
            let max_age = inner.config.rotation_max_age.of(entry.category);
            let max_age_ms = i64::try_from(max_age.as_millis()).unwrap_or(i64::MAX);
            // A version that does not open is logged and its entry's age left out; it never hides the others.
            let changed_ms = inner.password_changed_ms(open, &entry).unwrap_or_else(|err| {
                tracing::error!(error = %err, "cannot tell when an entry's password last changed");
                now
            });
            let due_ms = changed_ms.saturating_add(max_age_ms);
            if now >= due_ms {
                reasons.push(DueReason {
                    kind: DueKind::Age,
                    detail: DueDetail::Age {
                        days: now.saturating_sub(changed_ms) / DAY_MS,
                        max_days: max_age_ms / DAY_MS,
                    },
                    since: from_millis(due_ms),
                });
            }
            if let Some(offboarded) = &entry.rotation_due {
                let RotationDue { detail, since } = offboarded.view();
                reasons.push(DueReason { kind: DueKind::Offboarded, detail, since });
            }
            if let Some(flag) = rotation.and_then(|r| r.compromised.as_ref()) {
                reasons.push(DueReason {
                    kind: DueKind::Compromised,
                    detail: DueDetail::Compromised { by: flag.by.clone(), reason: flag.reason.clone() },
                    since: from_millis(flag.since_ms),
                });
            }
            if !reasons.is_empty() {
                reasons.sort_by_key(|r| r.since);
                due.push(DueEntry { platform: entry.platform.clone(), category: entry.category, reasons });
            }
        }
        due.sort_by(|a, b| {
            (a.reasons[0].since, a.platform.to_lowercase()).cmp(&(b.reasons[0].since, b.platform.to_lowercase()))
        });
        staged.sort_by_key(|s| s.staged);
        Ok(RotationReport { due, staged })
    }
}

const DAY_MS: i64 = 24 * 3600 * 1000;

impl Inner {
    /// An entry's rotation record, if it has one.
    pub(crate) fn rotation(&self, open: &Open, entry: &Id) -> Result<Option<RotationRecord>> {
        let Some(sealed) = self.store.get(&records::key(records::ROTATION, entry))? else { return Ok(None) };
        records::open(&open.entries_key, &open.vault_id, RecordKind::Rotation, entry, 0, &sealed).map(Some)
    }

    /// Every rotation record, by entry id. One that does not open is logged and left out.
    fn all_rotations(&self, open: &Open) -> Result<HashMap<Id, RotationRecord>> {
        let mut rotations = HashMap::new();
        for item in self.store.scan_prefix(records::ROTATION) {
            let (key, sealed) = item?;
            let Ok(id) = Id::try_from(&key[records::ROTATION.len()..]) else { continue };
            match records::open(&open.entries_key, &open.vault_id, RecordKind::Rotation, &id, 0, &sealed) {
                Ok(rotation) => {
                    rotations.insert(id, rotation);
                }
                Err(err) => tracing::error!(error = %err, "skipping a rotation record that does not open"),
            }
        }
        Ok(rotations)
    }

    /// The staged rotation's new secrets.
    fn pending_version(&self, open: &Open, entry: &Id, pending: &PendingRotation) -> Result<VersionRecord> {
        let sealed = self
            .store
            .get(&records::key(records::PENDING_VERSION, entry))?
            .ok_or_else(|| Error::Corrupt(format!("the staged version of entry {} is missing", hex(entry))))?;
        records::open(
            &open.entries_key,
            &open.vault_id,
            RecordKind::PendingVersion,
            &pending_aad_id(entry, &pending.id),
            u64::from(pending.base_version) + 1,
            &sealed,
        )
    }

    /// When the entry's password last changed: the newest version that changed it (version 1 always does).
    fn password_changed_ms(&self, open: &Open, entry: &EntryRecord) -> Result<i64> {
        for version in (1..=entry.version).rev() {
            let record = self.version(open, &entry.id, version)?;
            if record.changed.contains(&SecretField::Password) || version == 1 {
                return Ok(record.created_ms);
            }
        }
        Ok(entry.created_ms)
    }
}

/// The current code of a platform account's second factor, from the seed stored in a version (base32 text), at
/// the vault's time; and how many seconds it stays valid. Called by `reveal` for [`SecretField::TotpCode`].
pub(crate) fn totp_code(seed: &[u8], now_ms: i64) -> Result<(SecretBytes, Option<u32>)> {
    let text = std::str::from_utf8(seed).map_err(|_| Error::WrongState(reasons::TOTP_SEED_UNREADABLE))?;
    let seed = TotpSeed::from_platform_base32(text).map_err(|_| Error::WrongState(reasons::TOTP_SEED_UNREADABLE))?;
    let (code, left) = seed.current_code(unix_seconds(from_millis(now_ms)));
    Ok((SecretBytes::new(code.expose_secret().as_bytes().to_vec()), Some(left)))
}

/// The staged rotation, checked against the id the caller named (a prefix of at least 8 hex characters).
fn staged(rotation: &RotationRecord, named: Option<&str>) -> Result<PendingRotation> {
    let pending = rotation.pending.clone().ok_or(Error::WrongState(reasons::NO_ROTATION_STAGED))?;
    if let Some(named) = named {
        let named = validate::id_prefix(crate::problems::ROTATION_ID, named, crate::Problem::NotARotationId)?;
        if !hex(&pending.id).starts_with(&named) {
            return Err(Error::WrongState(reasons::ROTATION_RESTAGED));
        }
    }
    Ok(pending)
}

fn next_version(entry: &EntryRecord) -> Result<u32> {
    entry.version.checked_add(1).ok_or(Error::WrongState(reasons::TOO_MANY_VERSIONS))
}

fn staged_view(entry: &EntryRecord, pending: &PendingRotation) -> StagedRotation {
    StagedRotation {
        platform: entry.platform.clone(),
        id: hex(&pending.id),
        pending_version: pending.base_version.saturating_add(1),
        base_version: pending.base_version,
        staged_by: pending.staged_by.clone(),
        staged: from_millis(pending.staged_ms),
        generated: pending.generated,
        entropy_bits: pending.entropy_bits,
    }
}

/// The associated-data id of a staged version: entry id ‖ rotation id, so that a staged version of an earlier,
/// cancelled rotation copied back onto the key never opens.
fn pending_aad_id(entry: &Id, rotation: &Id) -> [u8; 32] {
    let mut id = [0; 32];
    id[..16].copy_from_slice(entry);
    id[16..].copy_from_slice(rotation);
    id
}

fn put_pending(open: &Open, batch: &mut Batch, entry: &Id, rotation: &Id, version: &VersionRecord) -> Result<()> {
    let sealed = records::seal(
        &open.entries_key,
        &open.vault_id,
        RecordKind::PendingVersion,
        &pending_aad_id(entry, rotation),
        u64::from(version.version),
        version,
    )?;
    batch.insert(records::key(records::PENDING_VERSION, entry), sealed);
    Ok(())
}

/// Stores an entry's rotation record, or removes it when nothing is left in it.
fn put_rotation(open: &Open, batch: &mut Batch, entry: &Id, rotation: &RotationRecord) -> Result<()> {
    let key = records::key(records::ROTATION, entry);
    if rotation.pending.is_none() && rotation.compromised.is_none() {
        batch.remove(key);
    } else {
        batch.insert(key, records::seal(&open.entries_key, &open.vault_id, RecordKind::Rotation, entry, 0, rotation)?);
    }
    Ok(())
}
