//! Recovery with shares: the holders submit their shares one at a time (from different clients, while sealed or
//! not); at k shares the vault unseals, and the client that gave the last share sets a new passphrase for an owner.
//!
//! Partial submissions live in memory only, by share number, and expire 10 minutes after the first share (on the
//! engine's clock). A share is refused before anything is combined when it belongs to another vault or to a
//! replaced share set, repeats a share number, or does not match the set's k and n; the envelope's own checks
//! refuse x = 0, a truncated or mistyped share. At k shares the recombined key must open the recovery slot's AEAD:
//! if it does not, every submitted share is discarded and nothing is used.

mod issue;

use std::{sync::Arc, time::Duration};

use coffre_crypto::{
    envelope::ShareEnvelope,
    kdf::{KeySlot, hash_passphrase},
    recovery::ShareSetId,
    secret::{Passphrase, SecretBytes, SecretString},
    shamir::{self, SecretShare},
    token::{TokenHash, hash_session_token, new_session_token},
};
use coffre_store::Batch;
pub(crate) use issue::{check as check_spec, current_share_set, holder_of, issue as issue_share_set, put_share_set};
use subtle::ConstantTimeEq as _;

use crate::reasons;
use crate::{
    Error, Problem, Result,
    audit::{AuditKeys, Outcome},
    authz::Action,
    clock::from_millis,
    lifecycle::put_person,
    model::{RequestContext, Role},
    problems::SHARE,
    vault::{Inner, Open, Vault},
};

/// A partial recovery expires this long after its first share.
pub const PARTIAL_TTL: Duration = Duration::from_secs(10 * 60);
/// The code that lets the last holder's client set a new passphrase is valid this long.
pub const COMPLETION_TTL: Duration = Duration::from_secs(10 * 60);

/// One holder of a new share set, and how their share is to be encrypted.
#[derive(Debug)]
pub struct HolderSpec {
    /// The holder's label: a person's name or role ("president", "Bob"). Kept only inside the encrypted share and
    /// an encrypted record.
    pub label: String,
    /// Who the share file is encrypted to.
    pub key: HolderKey,
}

/// What a holder's share file is encrypted to.
#[derive(Debug)]
pub enum HolderKey {
    /// An age X25519 public key, `age1...`.
    Age(String),
    /// A passphrase (age's scrypt), for a holder without a key. Such a holder cannot receive backups.
    Passphrase(Passphrase),
}

/// A share set to issue: its holders (2..=16) and how many of them are needed (2..=holders).
#[derive(Debug)]
pub struct ShareSetSpec {
    /// Shares needed to recover.
    pub threshold: u8,
    /// The holders, in share-number order.
    pub holders: Vec<HolderSpec>,
}

/// A newly issued share set.
#[derive(Debug)]
pub struct IssuedShares {
    /// Hex id of the share set.
    pub share_set_id: String,
    /// Shares needed.
    pub threshold: u8,
    /// One file per holder.
    pub shares: Vec<IssuedShare>,
}

/// One holder's share file: the envelope encrypted with age to the holder, ASCII-armored.
#[derive(Debug)]
pub struct IssuedShare {
    /// The holder's label.
    pub holder: String,
    /// The share's number.
    pub x: u8,
    /// The armored age file.
    pub file: String,
}

/// Where recovery stands. Needs no session; answers while sealed.
#[derive(Clone, Debug, PartialEq)]
pub struct RecoveryStatus {
    /// The current share set's hex id; `None` when the vault has no share set.
    pub share_set_id: Option<String>,
    /// Shares needed.
    pub threshold: u8,
    /// Shares issued.
    pub shares: u8,
    /// Shares submitted so far in the recovery in progress.
    pub submitted: u8,
    /// When the recovery in progress expires, if one is.
    pub expires: Option<std::time::SystemTime>,
}

/// The current share set as owners see it: no share and no key, only who holds one and since when.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareSetView {
    /// Its hex id (backups name the set that opens them).
    pub id: String,
    /// Shares needed to recover.
    pub threshold: u8,
    /// The holders' labels, in share-number order, and whether each share is encrypted to an age key (else to a
    /// passphrase; such a holder receives no backup).
    pub holders: Vec<(String, bool)>,
    /// When the set was issued.
    pub issued: std::time::SystemTime,
}

/// What submitting a share did.
#[derive(Debug)]
pub struct ShareAccepted {
    /// The share's holder, as written in it.
    pub holder: String,
    /// The share's number.
    pub x: u8,
    /// Shares submitted so far (this one included).
    pub submitted: u8,
    /// Shares needed.
    pub threshold: u8,
    /// When the recovery in progress expires unless completed.
    pub expires: std::time::SystemTime,
    /// Present when this share completed the recovery: the vault is unsealed.
    pub completion: Option<RecoveryCompletion>,
}

/// A completed recovery: a one-time code to set a new owner passphrase with [`Vault::finish_recovery`].
#[derive(Debug)]
pub struct RecoveryCompletion {
    /// The one-time code (secret; only its hash is kept).
    pub token: SecretString,
    /// When it expires.
    pub expires: std::time::SystemTime,
    /// Whether the vault was sealed before (and so was unsealed by the shares).
    pub unsealed: bool,
}

/// The recovery in progress and the completion code, in memory only.
#[derive(Default)]
pub(crate) struct RecoveryState {
    partial: Option<Partial>,
    completion: Option<(TokenHash, i64)>,
}

struct Partial {
    share_set: ShareSetId,
    expires_ms: i64,
    shares: Vec<SecretShare>,
}

impl Inner {
    pub(crate) fn recovery_state(&self) -> std::sync::MutexGuard<'_, RecoveryState> {
        self.recovery.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Drops an expired partial recovery, with its audit event (written now if unsealed, at the next unseal if not).
    fn expire_partial(&self, state: &mut RecoveryState, now_ms: i64) {
        if state.partial.as_ref().is_some_and(|p| now_ms >= p.expires_ms) {
            let submitted = state.partial.take().map(|p| p.shares.len()).unwrap_or(0);
            let mut event = self.event(&RequestContext::default(), "coffred", "recovery.expire", "", Outcome::Failure);
            event.reason = "10 minutes passed before enough shares were submitted".into();
            event.detail = format!("submitted={submitted}");
            self.audit.append_detached(event, now_ms);
        }
    }

    /// Appends a recovery event: durably when unsealed; while sealed it waits for the key (there is none yet).
    async fn recovery_event(&self, event: crate::audit::NewEvent) -> Result<()> {
        if self.read_state().open.is_some() {
            self.audit(event).await.map(|_| ())
        } else {
            self.audit.append_detached(event, self.now_ms());
            Ok(())
        }
    }
}

impl Inner {
    /// When the backup this vault was restored from was taken (UTC, RFC 3339), while the restore is not yet
    /// recorded by an unseal (its marker is in the data directory).
    fn restored_from(&self) -> Option<String> {
        let text = std::fs::read(self.config.data_dir.join(crate::backup::RESTORE_MARKER)).ok()?;
        let marker: crate::backup::RestoreMarker = serde_json::from_slice(&text).ok()?;
        let created = time::OffsetDateTime::from(from_millis(marker.backup_created_ms));
        created.format(&time::format_description::well_known::Rfc3339).ok()
    }

    /// Records a refused share (held while sealed, like a failed unseal, and written at the next unseal) and
    /// returns the refusal: probing the recovery with foreign, replaced, repeated or damaged shares leaves a trace.
    /// `holder` is the label written in the share, when it could be read.
    async fn refused_share(&self, ctx: &RequestContext, holder: &str, refusal: Error) -> Error {
        let mut event = self.event(ctx, "-", "recovery.share", holder, Outcome::Failure);
        event.reason = refusal.to_string();
        if let Err(err) = self.recovery_event(event).await {
            tracing::error!(error = %err, "a refused share could not be audited");
        }
        refusal
    }
}

fn ttl_ms(ttl: Duration) -> i64 {
    i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX)
}

impl Vault {
    /// The current share set and the recovery in progress. Needs no session; answers while sealed.
    pub fn recovery_status(&self) -> RecoveryStatus {
        let inner = &self.inner;
        let slot = inner.read_state().header.as_ref().and_then(|h| h.recovery.clone());
        let mut state = inner.recovery_state();
        inner.expire_partial(&mut state, inner.now_ms());
        let partial = state.partial.as_ref().filter(|p| slot.as_ref().is_some_and(|s| s.share_set == p.share_set));
        RecoveryStatus {
            share_set_id: slot.as_ref().map(|s| s.share_set.to_hex()),
            threshold: slot.as_ref().map_or(0, |s| s.threshold),
            shares: slot.as_ref().map_or(0, |s| s.shares),
            submitted: partial.map_or(0, |p| u8::try_from(p.shares.len()).unwrap_or(u8::MAX)),
            expires: partial.map(|p| from_millis(p.expires_ms)),
        }
    }

    /// The current share set: its threshold, its holders' labels and when it was issued (no share, no key); `None`
    /// when the vault has none. Owners only.
    pub fn share_set(&self, ctx: &RequestContext) -> Result<Option<ShareSetView>> {
        let caller = self.inner.authorize(ctx, Action::ReadRecovery)?;
        Ok(current_share_set(self, &caller.open)?.map(|set| ShareSetView {
            id: data_encoding::HEXLOWER.encode(&set.id),
            threshold: set.threshold,
            holders: set.holders.into_iter().map(|h| (h.label, h.recipient.is_some())).collect(),
            issued: from_millis(set.created_ms),
        }))
    }

    /// Submits one share (the decrypted envelope). Needs no session: the share is the credential. At the
    /// threshold, the vault unseals and the answer carries a one-time completion code.
    pub async fn submit_share(&self, ctx: &RequestContext, envelope: SecretBytes) -> Result<ShareAccepted> {
        let inner = &self.inner;
        let header = inner.read_state().header.clone().ok_or(Error::Uninitialised)?;
        let slot = header.recovery.clone().ok_or(Error::WrongState(reasons::NO_SHARE_SET))?;
        let envelope = match ShareEnvelope::decode(envelope.expose_secret()) {
            Ok(envelope) => envelope,
            Err(e) => {
                let unreadable = Error::invalid(SHARE, Problem::ShareUnreadable { detail: e.to_string() });
                return Err(inner.refused_share(ctx, "", unreadable).await);
            }
        };
        let refusal = if envelope.vault != header.vault_id {
            Some(Problem::ShareOtherVault { share_vault: envelope.vault.to_hex(), vault: header.vault_id.to_hex() })
        } else if envelope.share_set != slot.share_set {
            let share_set = slot.share_set.to_hex();
            Some(match inner.restored_from() {
                // A vault restored from a backup opens with the share set of the backup's time, not a later one.
                Some(backup_created) => {
                    Problem::ShareBeforeRekey { backup_created: backup_created.to_string(), share_set }
                }
                None => Problem::ShareReplaced { share_set },
            })
        } else if (envelope.threshold, envelope.shares) != (slot.threshold, slot.shares) {
            // The share's numbers are checked when the shares are combined; the header's are protected by its MAC,
            // which only the master key can check: so neither side is blamed here.
            Some(Problem::ShareNumbers {
                share_threshold: envelope.threshold.into(),
                share_count: envelope.shares.into(),
                threshold: slot.threshold.into(),
                count: slot.shares.into(),
            })
        } else {
            None
        };
        let refusal = refusal.map(|problem| Error::invalid(SHARE, problem));
        if let Some(refusal) = refusal {
            return Err(inner.refused_share(ctx, &envelope.holder, refusal).await);
        }
        let (holder, x) = (envelope.holder, envelope.share.x);
        let now = inner.now_ms();
        let counted = {
            let mut state = inner.recovery_state();
            inner.expire_partial(&mut state, now);
            if state.partial.as_ref().is_some_and(|p| p.share_set != slot.share_set) {
                state.partial = None;
            }
            let partial = state.partial.get_or_insert_with(|| Partial {
                share_set: slot.share_set,
                expires_ms: now.saturating_add(ttl_ms(PARTIAL_TTL)),
                shares: Vec::new(),
            });
            if partial.shares.iter().any(|s| s.x == x) {
                Err(Error::invalid(
                    SHARE,
                    Problem::ShareSubmittedAlready {
                        number: x.into(),
                        holder: holder.clone(),
                        submitted: crate::validate::count(partial.shares.len()),
                        threshold: slot.threshold.into(),
                    },
                ))
            } else {
                partial.shares.push(envelope.share);
                let submitted = u8::try_from(partial.shares.len()).unwrap_or(u8::MAX);
                let expires_ms = partial.expires_ms;
                let complete = (submitted >= slot.threshold).then(|| state.partial.take()).flatten();
                Ok((submitted, expires_ms, complete))
            }
        };
        let (submitted, expires_ms, complete) = match counted {
            Ok(counted) => counted,
            Err(refusal) => return Err(inner.refused_share(ctx, &holder, refusal).await),
        };
        let mut event = inner.event(ctx, "-", "recovery.share", &holder, Outcome::Success);
        event.detail =
            format!("x={x} submitted={submitted} of {} share_set={}", slot.threshold, slot.share_set.to_hex());
        let Some(partial) = complete else {
            inner.recovery_event(event).await?;
            return Ok(ShareAccepted {
                holder,
                x,
                submitted,
                threshold: slot.threshold,
                expires: from_millis(expires_ms),
                completion: None,
            });
        };
        // At the threshold. The event of this last share goes first (detached: it joins any sealed-time backlog,
        // which is written, in order, as soon as the key is set below).
        inner.audit.append_detached(event, now);
        let master = shamir::combine(&partial.shares, slot.threshold)
            .map_err(|e| Error::invalid(SHARE, Problem::SharesDoNotCombine { detail: e.to_string() }))
            .and_then(|key| {
                slot.unwrap(&key, &header.vault_id).map_err(|e| match e {
                    coffre_crypto::CryptoError::RecoveryKeyMismatch => Error::SharesDoNotOpen,
                    other => Error::Crypto(other),
                })
            });
        let master = match master {
            Ok(master) => master,
            Err(err) => {
                let mut event = inner.event(ctx, "-", "recovery.complete", "", Outcome::Failure);
                event.reason = "the shares do not open the recovery slot; they were discarded".into();
                inner.recovery_event(event).await?;
                return Err(err);
            }
        };
        let was_sealed = inner.read_state().open.is_none();
        if was_sealed {
            let open = Open::new(header.vault_id, master);
            // As at a passphrase unseal: a broken audit chain keeps the vault sealed.
            let header_update = self.check_audit_chain(&header, &open).await?;
            inner.audit.set_key(Some(AuditKeys::derive(header.vault_id, &open.master)));
            let mut event = inner.event(ctx, "-", "recovery.complete", "", Outcome::Success);
            event.detail = format!("unsealed share_set={}", slot.share_set.to_hex());
            if let Err(err) = inner.finish_unseal(ctx, &open, header_update, event, false).await {
                inner.audit.set_key(None);
                return Err(err);
            }
            // In its own block: the guard must not live across the await below.
            {
                let mut state = inner.write_state();
                if state.open.is_none() {
                    state.open = Some(Arc::new(open));
                }
            }
            tracing::info!("vault unsealed by recovery shares");
            if let Ok(open) = inner.unsealed() {
                inner.migrate_name_indexes(ctx, &open).await;
            }
        } else {
            let open = inner.unsealed()?;
            if !bool::from(open.master.expose_secret().ct_eq(master.expose_secret())) {
                return Err(Error::Internal("the recovery slot holds another master key than the one in use".into()));
            }
            let mut event = inner.event(ctx, "-", "recovery.complete", "", Outcome::Success);
            event.detail = format!("already unsealed share_set={}", slot.share_set.to_hex());
            inner.audit(event).await?;
        }
        let (token, hash) = new_session_token().map_err(Error::Crypto)?;
        let expires_ms = inner.now_ms().saturating_add(ttl_ms(COMPLETION_TTL));
        inner.recovery_state().completion = Some((hash, expires_ms));
        Ok(ShareAccepted {
            holder,
            x,
            submitted,
            threshold: slot.threshold,
            expires: from_millis(expires_ms),
            completion: Some(RecoveryCompletion { token, expires: from_millis(expires_ms), unsealed: was_sealed }),
        })
    }

    /// Sets a new passphrase for an owner still in the vault (the president when `owner` is `None`; never one
    /// offboarded) with the one-time code of a completed recovery: re-wraps that owner's key slot and replaces
    /// their login hash, and ends their sessions. Returns the owner's name.
    pub async fn finish_recovery(
        &self,
        ctx: &RequestContext,
        token: &str,
        owner: Option<&str>,
        passphrase: Passphrase,
    ) -> Result<String> {
        let inner = &self.inner;
        let open = inner.unsealed()?;
        let presented = hash_session_token(token);
        let valid = |state: &RecoveryState| {
            state.completion.as_ref().is_some_and(|(hash, expires)| inner.now_ms() < *expires && *hash == presented)
        };
        if !valid(&inner.recovery_state()) {
            return Err(Error::BadRecoveryToken);
        }
        let mut person = match owner {
            Some(name) => {
                let name = crate::validate::name(crate::problems::OWNER, name)?;
                self.person_by_name(&open, &name)?.ok_or(Error::NotFound(reasons::NO_PERSON_IN_VAULT))?
            }
            None => self.president(&open)?,
        };
        if !person.role.is_owner() {
            return Err(Error::invalid(crate::problems::OWNER, Problem::NotAnOwner { name: person.name }));
        }
        if person.disabled {
            // Offboarding removed their key slot and ended their account: a recovery does not give it back.
            return Err(Error::WrongState(reasons::OFFBOARDED_NEVER_REOPENED));
        }
        let kdf = inner.read_state().header.as_ref().map(|h| h.kdf).ok_or(Error::Uninitialised)?;
        let keys = open.clone();
        let (slot, hash) = inner
            .kdf(move || -> Result<_> {
                let slot = KeySlot::wrap(&keys.master, &passphrase, kdf, &keys.vault_id).map_err(Error::Crypto)?;
                Ok((slot, hash_passphrase(&passphrase, kdf).map_err(Error::Crypto)?))
            })
            .await??;

        let _writes = inner.writes.lock().await;
        {
            // Spent only now, so a failure above leaves the code usable; checked again, as another call may have
            // spent it while Argon2 ran.
            let mut state = inner.recovery_state();
            if !valid(&state) {
                return Err(Error::BadRecoveryToken);
            }
            state.completion = None;
        }
        let mut header = inner.read_state().header.clone().ok_or(Error::Uninitialised)?;
        header.slots.retain(|s| Some(s.id) != person.slot_id);
        person.slot_id = Some(slot.id);
        person.passphrase_hash = Some(hash);
        header.slots.push(slot);
        let mut batch = Batch::default();
        batch.insert(crate::records::HEADER_KEY.to_vec(), header.encode(&open.header_key)?);
        put_person(&open, &mut batch, &person)?;
        // Whoever held the old passphrase loses the sessions it opened, in the store too (no take-over carries them).
        inner.drop_sessions_of(&open, &mut batch, &person.id)?;
        let mut event = inner.event(ctx, "-", "recovery.passphrase", &person.name, Outcome::Success);
        event.detail = format!("role={:?} key slot re-wrapped", person.role);
        inner.commit(event, batch).await?;
        inner.end_sessions_of(&open, &person.id);
        tracing::info!("an owner's passphrase was reset by recovery");
        Ok(person.name)
    }

    /// The president's record.
    fn president(&self, open: &Open) -> Result<crate::records::PersonRecord> {
        for item in self.inner.store.scan_prefix(crate::records::PERSON) {
            let (key, sealed) = item?;
            let id = &key[crate::records::PERSON.len()..];
            let person: crate::records::PersonRecord = crate::records::open(
                &open.people_key,
                &open.vault_id,
                coffre_crypto::record::RecordKind::Person,
                id,
                0,
                &sealed,
            )?;
            if person.role == Role::President && !person.disabled {
                return Ok(person);
            }
        }
        Err(Error::NotFound(reasons::NO_PRESIDENT))
    }
}

#[cfg(test)]
mod tests;
