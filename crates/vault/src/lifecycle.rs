//! Init, unseal and seal.

use std::sync::Arc;

use coffre_crypto::{
    index::{IndexDomain, lookup_id},
    kdf::{KeySlot, hash_passphrase},
    keys::{MasterKey, VaultId},
    record::RecordKind,
    secret::Passphrase,
    totp::TotpSeed,
};
use coffre_store::Batch;

use crate::reasons;
use crate::standby::SEALED_BY_OWNER;
use crate::{
    Error, Result,
    audit::{self, AuditKeys, Outcome},
    authz::Action,
    header::{FORMAT, MacCheck, SealHeader},
    journal,
    model::*,
    people::{TOTP_ISSUER, new_enrolment},
    records::{self, PersonRecord},
    recovery::{self, IssuedShares, ShareSetSpec},
    throttle::Target,
    validate,
    vault::{Open, Vault},
};
use zeroize::Zeroizing;

impl Vault {
    /// Creates the vault, the president's account and key slot, and optionally the leader's enrolment.
    /// Leaves the vault unsealed. Issues no recovery shares: see [`Vault::init_with_recovery`].
    pub async fn init(&self, ctx: &RequestContext, params: InitParams) -> Result<InitOutcome> {
        self.init_with_recovery(ctx, params, None).await.map(|(outcome, _)| outcome)
    }

    /// As [`Vault::init`], and when `recovery` names holders, issues the first share set too (its files are in the
    /// second value).
    pub async fn init_with_recovery(
        &self,
        ctx: &RequestContext,
        params: InitParams,
        recovery: Option<ShareSetSpec>,
    ) -> Result<(InitOutcome, Option<IssuedShares>)> {
        let inner = &self.inner;
        let _writes = inner.writes.lock().await;
        if inner.read_state().header.is_some() {
            return Err(Error::AlreadyInitialised);
        }
        if inner.audit.written() > 0 {
            // A log without a vault is another vault's history (or a failed init): never mix two chains.
            return Err(Error::WrongState(reasons::LOG_WITHOUT_VAULT));
        }
        let president = validate::name(crate::problems::PRESIDENT, &params.president)?;
        let leader = params.leader.as_deref().map(|l| validate::name(crate::problems::LEADER, l)).transpose()?;
        if leader.as_deref().is_some_and(|l| l.to_lowercase() == president.to_lowercase()) {
            return Err(Error::invalid(crate::problems::LEADER, crate::Problem::LeaderIsPresident));
        }
        let kdf = params.kdf.unwrap_or(inner.config.default_kdf);
        kdf.validate().map_err(|e| {
            Error::invalid(crate::problems::KDF, crate::Problem::KdfOutOfBounds { detail: e.to_string() })
        })?;
        let recovery = recovery.map(recovery::check_spec).transpose()?;

        if inner.store.scan_all().next().is_some() {
            // Records without a seal header: a damaged store, or what is left of another vault. Never mixed in.
            let file = inner.store_place.display().to_string();
            let problem = crate::Problem::StoreRecordsWithoutHeader;
            return Err(Error::StoreDamaged { file, problem });
        }
        let vault_id = VaultId::generate().map_err(Error::Crypto)?;
        let master = MasterKey::generate().map_err(Error::Crypto)?;
        let passphrase = params.passphrase;
        let now = inner.now_ms();
        let (slot, hash, master, recovery) = inner
            .kdf(move || -> Result<_> {
                let slot = KeySlot::wrap(&master, &passphrase, kdf, &vault_id).map_err(Error::Crypto)?;
                let hash = hash_passphrase(&passphrase, kdf).map_err(Error::Crypto)?;
                let recovery = match recovery {
                    Some(spec) => Some((recovery::issue_share_set(&master, vault_id, &spec, now)?, spec.labels())),
                    None => None,
                };
                Ok((slot, hash, master, recovery))
            })
            .await??;
        let open = Open::new(vault_id, master);

        let mut batch = Batch::default();
        let president_id = records::new_id()?;
        // The president's second factor is made here; its URI is shown once, in init's answer.
        let totp = TotpSeed::generate().map_err(Error::Crypto)?;
        let president_totp_uri = totp.otpauth_uri(TOTP_ISSUER, &president);
        let mut president_record = PersonRecord::new(president_id, president.clone(), Role::President, "-", now);
        president_record.passphrase_hash = Some(hash);
        president_record.slot_id = Some(slot.id);
        president_record.totp_seed = Some(Zeroizing::new(totp.expose_secret().to_vec()));
        put_person(&open, &mut batch, &president_record)?;
        let mut leader_enrolment = None;
        if let Some(leader) = &leader {
            let leader_record = PersonRecord::new(records::new_id()?, leader.clone(), Role::Leader, &president, now);
            put_person(&open, &mut batch, &leader_record)?;
            let (code, expires_ms) = new_enrolment(inner, &open, &mut batch, &leader_record.id, now)?;
            leader_enrolment = Some((code, crate::clock::from_millis(expires_ms)));
        }
        let (recovery_slot, issued, shares_event) = match recovery {
            Some(((slot, record, issued), labels)) => {
                recovery::put_share_set(&open, &mut batch, &record)?;
                let mut event = inner.event(ctx, &president, "shares.issue", "", Outcome::Success);
                event.detail = format!(
                    "share_set={} k={} n={} holders={labels}",
                    issued.share_set_id,
                    issued.threshold,
                    issued.shares.len()
                );
                (Some(slot), Some(issued), Some(event))
            }
            None => (None, None, None),
        };
        let mut header = SealHeader {
            format: FORMAT,
            vault_id,
            kdf,
            slots: vec![slot],
            recovery: recovery_slot,
            audit_public_key: Some(open.audit_keys.public_key().to_string()),
            mac: None,
        };
        batch.insert(records::HEADER_KEY.to_vec(), header.encode(&open.header_key)?);
        // Every index of a new vault is over normalised names: its unseals need not look for older ones.
        batch.insert(crate::names::NAMES_NORMALISED.to_vec(), vec![1]);

        inner.audit.set_key(Some(AuditKeys::derive(vault_id, &open.master)));
        // The store was found empty above: its record starts here.
        inner.audit.set_applied(journal::Applied::default());
        let mut event = inner.event(ctx, &president, "init", "", Outcome::Success);
        event.detail = format!("vault={} leader={}", vault_id.to_hex(), leader.as_deref().unwrap_or("-"));
        // The whole vault as first written is the log's first change: the store can be rebuilt from the log alone.
        if let Err(err) = inner.commit(event, batch).await {
            inner.audit.set_key(None);
            return Err(err);
        }
        if let Some(event) = shares_event
            && let Err(err) = inner.audit(event).await
        {
            inner.audit.set_key(None);
            return Err(err);
        }
        let mut state = inner.write_state();
        state.header = Some(header);
        state.open = Some(Arc::new(open));
        drop(state);
        tracing::info!(vault = %vault_id.to_hex(), "vault initialised");
        Ok((InitOutcome { vault_id: vault_id.to_hex(), president_totp_uri, leader_enrolment }, issued))
    }

    /// Opens an owner's key slot. Returns `true` when the vault was already unsealed, without looking at the
    /// passphrase: an unsealed vault is no oracle for guessing one (the state itself is public, in `status`).
    /// Guesses back off per client address and for the slots together, like logins (see `throttle.rs`), before
    /// any Argon2 work.
    pub async fn unseal(&self, ctx: &RequestContext, passphrase: Passphrase) -> Result<bool> {
        let end = self.unseal_unless(ctx, passphrase, false).await?;
        Ok(end == UnsealEnd::AlreadyUnsealed)
    }

    /// [`Vault::unseal`], which, when `armed` (a standby's passphrase given at its start, not an owner at hand),
    /// leaves the vault sealed if an owner sealed it on purpose: a mark looked for once the store has everything
    /// the log holds, since the log may hold the seal that the store missed.
    pub(crate) async fn unseal_unless(
        &self,
        ctx: &RequestContext,
        passphrase: Passphrase,
        armed: bool,
    ) -> Result<UnsealEnd> {
        let inner = &self.inner;
        let (header, already) = {
            let state = inner.read_state();
            (state.header.clone().ok_or(Error::Uninitialised)?, state.open.is_some())
        };
        if already {
            // Not audited: nothing was checked or changed, like a status call.
            return Ok(UnsealEnd::AlreadyUnsealed);
        }
        let attempt = inner.begin_attempt(ctx, Target::Unseal, "unseal", "-")?;
        let started = std::time::Instant::now();
        let vault_id = header.vault_id;
        let passphrase = Arc::new(passphrase);
        // Every slot is tried at once (bounded by the KDF limiter): a wrong passphrase costs one Argon2 round per
        // owner either way, and the right one does not wait for the others.
        let mut attempts = tokio::task::JoinSet::new();
        for slot in header.slots.clone() {
            let inner = self.inner.clone();
            let passphrase = passphrase.clone();
            attempts.spawn(async move {
                inner.kdf(move || slot.unwrap(&passphrase, &vault_id).map(|master| (slot.id, master))).await
            });
        }
        let mut opened = None;
        while let Some(attempt) = attempts.join_next().await {
            if let Ok(Ok(Ok(found))) = attempt {
                opened = Some(found);
                break;
            }
        }
        attempts.abort_all();
        let Some((slot_id, master)) = opened else {
            let event = inner.event(ctx, "-", "unseal", "", Outcome::Failure);
            inner.audit.append_detached(event, inner.now_ms());
            return Err(Error::WrongPassphrase);
        };
        let open = Open::new(vault_id, master);
        let opened_ms = started.elapsed().as_millis() as u64;
        let header_update = self.check_audit_chain(&header, &open).await?;
        let chain_checked_ms = started.elapsed().as_millis() as u64;
        let actor = owner_of_slot(self, &open, &slot_id)?;
        inner.audit.set_key(Some(AuditKeys::derive(vault_id, &open.master)));
        let event = inner.event(ctx, &actor, "unseal", "", Outcome::Success);
        match inner.finish_unseal(ctx, &open, header_update, event, armed).await {
            Ok(UnsealEnd::Unsealed | UnsealEnd::AlreadyUnsealed) => {}
            Ok(UnsealEnd::SealedByOwner) => {
                inner.audit.set_key(None);
                inner.attempt_succeeded(attempt);
                inner.audit.checkpoint().await;
                inner.read_store_ahead();
                tracing::info!("an owner sealed the vault on purpose: it stays sealed");
                return Ok(UnsealEnd::SealedByOwner);
            }
            Err(err) => {
                inner.audit.set_key(None);
                return Err(err);
            }
        }
        // In its own block: the guard must not live across the await below.
        let already = {
            let mut state = inner.write_state();
            let already = state.open.is_some();
            if !already {
                state.open = Some(Arc::new(open));
            }
            already
        };
        inner.attempt_succeeded(attempt);
        // A restart or a take-over starts with no back-off in memory: the log's last hour of logins restores it.
        if let Ok(open) = inner.unsealed() {
            inner.restore_back_off(open.audit_keys.clone()).await;
        }
        // Where an unseal's time goes: the key slot (Argon2), the audit chain's check, then the store's.
        tracing::info!(
            key_slot_ms = opened_ms,
            chain_checked_ms,
            ms = started.elapsed().as_millis() as u64,
            "vault unsealed"
        );
        if let Ok(open) = inner.unsealed() {
            inner.migrate_name_indexes(ctx, &open).await;
        }
        Ok(if already { UnsealEnd::AlreadyUnsealed } else { UnsealEnd::Unsealed })
    }

    /// Before opening the vault: the seal header's MAC holds under the master key (a header from before the MAC
    /// gets one), the header's public audit key is the one the master key derives (and is written there if an
    /// older header lacks it), and the log's chain holds from its last signed head and reaches its head witness.
    /// Anything wrong keeps the vault sealed and says what. Returns the header brought up to date, when an older
    /// one needs it: [`Inner::finish_unseal`] writes it.
    pub(crate) async fn check_audit_chain(&self, header: &SealHeader, open: &Open) -> Result<Option<SealHeader>> {
        let inner = &self.inner;
        let mac = header.check_mac(&open.header_key);
        if let Err(err) = &mac {
            tracing::error!(error = %err, "the seal header was changed; the vault stays sealed");
        }
        let mac = mac?;
        let derived = open.audit_keys.public_key().to_string();
        let key_missing = match &header.audit_public_key {
            Some(stored) if *stored == derived => false,
            Some(_) => {
                return Err(Error::Corrupt("seal header (its audit public key is not this vault's)".into()));
            }
            None => true,
        };
        let dir = inner.audit.dir().to_path_buf();
        let written = inner.audit.written();
        let keys = open.audit_keys.clone();
        let checked = tokio::task::spawn_blocking(move || audit::read::check_from_last_head(&dir, keys, written))
            .await
            .map_err(|e| Error::Internal(format!("audit check failed: {e}")))?;
        let checked = checked.and_then(|_| inner.audit.check_witness(&open.audit_keys));
        if let Err(err) = &checked {
            tracing::error!(error = %err, "the audit chain is broken; the vault stays sealed");
        }
        checked?;
        // Only once everything holds is an older header brought up to date.
        if key_missing || mac == MacCheck::Missing {
            let mut updated = header.clone();
            updated.audit_public_key = Some(derived);
            if mac == MacCheck::Missing {
                tracing::warn!(
                    "the seal header had no MAC (written by an older coffre): it is authenticated from now on; a \
                     header that loses its MAC later would be re-authenticated like this, so this line should appear \
                     once per vault"
                );
            }
            return Ok(Some(updated));
        }
        Ok(None)
    }

    /// Wipes every key and ends every session. Owners only. Sealing always succeeds: if its audit event cannot be
    /// made durable, the vault is sealed anyway (and the failure logged), since sealing is the safe direction.
    pub async fn seal(&self, ctx: &RequestContext) -> Result<()> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::Seal, "").await?;
        // Marked with its event, so that a standby armed with a passphrase leaves the vault sealed if it takes it
        // over (standby.rs); the next unseal removes the mark.
        let mut batch = Batch::default();
        batch.insert(SEALED_BY_OWNER.to_vec(), vec![1]);
        let event = inner.event(ctx, &caller.name, "seal", "", Outcome::Success);
        let sealed = {
            let _writes = inner.writes.lock().await;
            // Every session ends, in the store too (sessions.rs). A store that cannot be read for them still gets the
            // seal's event and mark through the log: no take-over carries sessions over a vault an owner sealed, and
            // any other unseal removes them.
            if let Err(err) = inner.drop_all_sessions(&mut batch) {
                tracing::warn!(error = %err, "cannot list the sessions the store keeps; the next unseal removes them");
            }
            // Taken even while the store lacks an earlier change: the seal's mark then reaches it after that one.
            inner.commit_seal(event, batch).await
        };
        if let Err(err) = sealed {
            tracing::error!(
                error = %err,
                "the seal event could not be made durable everywhere; sealing anyway (if the audit log holds it, the \
                 store is given the seal's mark once it answers; until then a standby coffred armed with an owner's \
                 passphrase would not know this seal was meant, and would unseal the vault if it took it over)"
            );
        }
        drop(caller);
        inner.write_state().open = None;
        inner.audit.set_key(None);
        // Once the writer has written out what the vault applied, the store stays as it is until the next unseal.
        inner.audit.checkpoint().await;
        inner.read_store_ahead();
        tracing::info!("vault sealed");
        Ok(())
    }
}

/// Stores a person and its name index.
pub(crate) fn put_person(open: &Open, batch: &mut Batch, person: &PersonRecord) -> Result<()> {
    batch.insert(
        records::key(records::PERSON, &person.id),
        records::seal(&open.people_key, &open.vault_id, RecordKind::Person, &person.id, 0, person)?,
    );
    let index = lookup_id(&open.index_key, IndexDomain::Person, &person.name);
    batch.insert(records::key(records::PERSON_INDEX, &index), person.id.to_vec());
    Ok(())
}

/// The name of the owner whose key slot is `slot_id`.
fn owner_of_slot(vault: &Vault, open: &Open, slot_id: &[u8; 16]) -> Result<String> {
    // People are few; a scan that opens each is cheap and keeps slot ids out of clear storage.
    for item in vault.inner.store.scan_prefix(records::PERSON) {
        let (key, sealed) = item?;
        let id = &key[records::PERSON.len()..];
        let person: PersonRecord = records::open(&open.people_key, &open.vault_id, RecordKind::Person, id, 0, &sealed)?;
        if person.slot_id.as_ref() == Some(slot_id) {
            return Ok(person.name);
        }
    }
    Ok("-".into())
}

/// How [`Vault::unseal_unless`] (and [`Inner::finish_unseal`], which never says `AlreadyUnsealed`) ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnsealEnd {
    Unsealed,
    /// It was unsealed before: nothing was checked.
    AlreadyUnsealed,
    /// An armed unseal found that an owner had sealed the vault on purpose: it stays sealed.
    SealedByOwner,
}

impl crate::vault::Inner {
    /// The end of an unseal (by passphrase or by recovery shares), with the audit key set and before the vault
    /// opens: records a restore if one happened, checks the store against the log and replays what it is missing
    /// (see `journal.rs`), then writes the unseal's `event`, with the header brought up to date if
    /// [`Vault::check_audit_chain`] asked for it. A store that does not match the log keeps the vault sealed. When
    /// `armed`, a store that holds an owner's seal mark once replayed keeps it sealed too, the refusal audited in the
    /// event's name.
    pub(crate) async fn finish_unseal(
        &self,
        ctx: &RequestContext,
        open: &Open,
        mut header_update: Option<SealHeader>,
        mut event: audit::NewEvent,
        armed: bool,
    ) -> Result<UnsealEnd> {
        // The writer has taken the key, and with it set aside any change it was still giving the store while
        // sealed: the store is not written while it is checked below.
        self.audit.written_through().await?;
        self.note_restore(ctx).await?;
        let _writes = self.writes.lock().await;
        let inner = self.me.upgrade().ok_or_else(|| Error::Internal("the engine is shutting down".into()))?;
        let keys = open.audit_keys.clone();
        let checking = std::time::Instant::now();
        let reconciled = tokio::task::spawn_blocking(move || {
            let scanned = inner.store_check.take(&inner.store_changes);
            let ahead = scanned.is_some();
            let reconciled = journal::reconcile(
                &*inner.store,
                &inner.store_place,
                scanned,
                inner.audit.dir(),
                keys,
                inner.audit.written(),
            );
            (reconciled, ahead)
        })
        .await
        .map_err(|e| Error::Internal(format!("the store check failed: {e}")))?;
        let (reconciled, read_ahead) = reconciled;
        let reconciled = match reconciled {
            Ok(reconciled) => reconciled,
            Err(err) => {
                tracing::error!(error = %err, "the store does not match the audit log; the vault stays sealed");
                return Err(err);
            }
        };
        match reconciled {
            journal::Reconciled::Agree { applied, replayed, records, read_from } => {
                self.audit.set_applied(applied);
                tracing::info!(
                    records,
                    last_change = applied.seq,
                    log_read_from = read_from,
                    read_ahead,
                    ms = checking.elapsed().as_millis() as u64,
                    "the store matches the audit log"
                );
                if replayed > 0 {
                    tracing::warn!(
                        replayed,
                        up_to_event = applied.seq,
                        "the store was behind the audit log (its last writes were lost, e.g. by a power cut); the \
                         missing changes were replayed from the log"
                    );
                    event.detail = format!("store_replayed={replayed} records={records}");
                }
            }
            journal::Reconciled::Baseline { digest, records } => {
                let change = journal::baseline(&*self.store, digest)?;
                let mut baseline = self.event(ctx, "coffred", "store.baseline", "", Outcome::Success);
                baseline.detail = format!("records={records}");
                let pending = journal::Pending::Baseline { encoded: change, digest };
                self.audit.append_change(baseline, pending, self.now_ms()).await?;
                tracing::info!(records, "the store's contents were written to the audit log once, as its baseline");
            }
        }
        if let Some(header) = self.store.get(records::HEADER_KEY)?
            && let Err(err) = journal::write_header_copy(&self.config.data_dir, &header)
        {
            tracing::error!(error = %err, "cannot write the seal header's copy (needed by coffred rebuild-store)");
        }
        if armed && self.store.get(SEALED_BY_OWNER)?.is_some() {
            event.outcome = Outcome::Denied;
            event.reason =
                "an owner sealed the vault on purpose; a standby's armed passphrase does not undo that".into();
            self.audit(event).await?;
            return Ok(UnsealEnd::SealedByOwner);
        }
        let mut batch = Batch::default();
        if let Some(updated) = &mut header_update {
            batch.insert(records::HEADER_KEY.to_vec(), updated.encode(&open.header_key)?);
        }
        // A standby's take-over carries the sessions over; any other unseal starts with nobody logged in.
        let carried = if armed {
            let carried = self.carried_sessions(open, &mut batch, self.now_ms())?;
            if !event.detail.is_empty() {
                event.detail.push(' ');
            }
            event.detail.push_str(&format!("sessions_carried={}", carried.len()));
            carried
        } else {
            self.drop_all_sessions(&mut batch)?;
            Vec::new()
        };
        if self.store.get(SEALED_BY_OWNER)?.is_some() {
            batch.remove(SEALED_BY_OWNER.to_vec());
        }
        if batch.is_empty() {
            self.audit(event).await?;
        } else {
            self.commit(event, batch).await?;
        }
        open.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).extend(carried);
        Ok(UnsealEnd::Unsealed)
    }
}
