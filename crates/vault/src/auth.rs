//! Login (passphrase and second factor), logout, enrolment, passphrase changes and sessions.

use coffre_crypto::{
    index::IndexDomain,
    kdf::{KeySlot, Verified, hash_passphrase, verify_dummy, verify_passphrase_migrating},
    record::RecordKind,
    secret::Passphrase,
    token::{hash_enrolment_code, hash_session_token, new_session_token},
    totp::TotpSeed,
};
use coffre_store::Batch;
use zeroize::Zeroizing;

use crate::reasons;
use crate::{
    Error, Result,
    audit::Outcome,
    authz::Action,
    clock::from_millis,
    lifecycle::put_person,
    model::*,
    people::TOTP_ISSUER,
    records::{self, EnrolmentRecord, Id, PersonRecord},
    throttle::Target,
    validate,
    vault::{Open, Session, Vault},
};

impl Vault {
    /// Login with passphrase and second factor (RFC 6238 code); returns a session token.
    ///
    /// An unknown name, a disabled account, a person not yet enrolled, a wrong passphrase and a wrong or replayed
    /// code all get the same answer after the same Argon2 work, so neither the answer nor its timing tells whether
    /// an account exists. Failures back off per name and client address, per address and per name (see
    /// `throttle.rs`); an attempt made while backing off is refused before any Argon2 work (RESOURCE_EXHAUSTED,
    /// saying when to retry).
    pub async fn login(
        &self,
        ctx: &RequestContext,
        name: &str,
        passphrase: Passphrase,
        totp_code: &str,
    ) -> Result<LoginOutcome> {
        let inner = &self.inner;
        let open = inner.serving()?;
        let name = validate::name(crate::problems::NAME, name)?;
        let now = inner.now_ms();
        // Counted as a failure from here on, before any Argon2 work: simultaneous guesses cannot all pass the
        // check, and a login its client abandons counts like an answered one.
        let attempt = inner.begin_attempt(ctx, Target::Login(&name), "login", &name)?;
        let kdf = inner.read_state().header.as_ref().map(|h| h.kdf).ok_or(Error::Uninitialised)?;
        let person = self.person_by_name(&open, &name)?;
        let usable = person.as_ref().filter(|p| !p.disabled).and_then(|p| p.passphrase_hash.clone());
        let owner_slot = person.as_ref().is_some_and(|p| p.slot_id.is_some());
        let keys = open.clone();
        let verified = inner
            .kdf(move || -> std::result::Result<Option<(String, Option<KeySlot>)>, coffre_crypto::CryptoError> {
                match usable {
                    // A hash made before passphrases were normalised matches a legacy form: hash the normalised one
                    // (and wrap an owner's slot under it) now, within the same permit, so that the next login and
                    // unseal match at once on any keyboard.
                    Some(hash) => match verify_passphrase_migrating(&passphrase, &hash)? {
                        Verified::Current => Ok(None),
                        Verified::Legacy => {
                            let hash = hash_passphrase(&passphrase, kdf)?;
                            let slot = if owner_slot {
                                Some(KeySlot::wrap(&keys.master, &passphrase, kdf, &keys.vault_id)?)
                            } else {
                                None
                            };
                            Ok(Some((hash, slot)))
                        }
                    },
                    None => Err(verify_dummy(&passphrase, kdf)),
                }
            })
            .await?;
        let writes = inner.writes.lock().await;
        let mut rehashed = None;
        let accepted = match (verified, person) {
            // Read again under the lock, so that two logins with the same code cannot both pass.
            (Ok(migration), Some(person)) => match inner.person(&open, &person.id)? {
                Some(fresh) if !fresh.disabled => {
                    rehashed = migration;
                    second_factor(fresh, totp_code, inner.now_ms())
                }
                _ => None,
            },
            _ => None,
        };
        let Some(person) = accepted else {
            drop(writes);
            let event = inner.event(ctx, &name, "login", &name, Outcome::Failure);
            if let Err(err) = inner.audit(event).await {
                tracing::error!(error = %err, "a failed login could not be audited");
            }
            return Err(Error::WrongCredentials);
        };
        let mut person = person;
        let mut batch = Batch::default();
        let migrated = rehashed.is_some();
        if let Some((hash, slot)) = rehashed {
            self.migrate_passphrase(&open, &mut batch, &mut person, hash, slot)?;
        }
        put_person(&open, &mut batch, &person)?;
        let (token, hash) = new_session_token().map_err(Error::Crypto)?;
        let expires_ms =
            now.saturating_add(i64::try_from(inner.config.session_absolute.as_millis()).unwrap_or(i64::MAX));
        // Kept in the store too, for a standby that takes the vault over (sessions.rs); the person's expired ones go.
        inner.prune_sessions_of(&open, &mut batch, &person.id, now)?;
        crate::sessions::put_session(&open, &mut batch, &person.id, &hash, person.role, now, expires_ms)?;
        let mut event = inner.event(ctx, &person.name, "login", &person.name, Outcome::Success);
        event.detail = format!("role={:?}", person.role);
        if migrated {
            event.detail.push_str(" passphrase=normalised");
        }
        inner.commit(event, batch).await?;
        drop(writes);
        inner.attempt_succeeded(attempt);
        let session =
            Session { person: person.id, name: person.name.clone(), role: person.role, last_used_ms: now, expires_ms };
        open.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(hash, session);
        Ok(LoginOutcome { token, expires: from_millis(expires_ms), role: person.role })
    }

    /// Ends the caller's session.
    pub async fn logout(&self, ctx: &RequestContext) -> Result<()> {
        let inner = &self.inner;
        let caller = inner.authorize(ctx, Action::Logout)?;
        let mut batch = Batch::default();
        if let Some(token) = &ctx.token {
            let hash = hash_session_token(token.0.expose_secret());
            caller.open.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&hash);
            // Its stored copy goes with the event, so that no take-over brings it back.
            crate::sessions::drop_session(&caller.open, &mut batch, &caller.person, &hash);
        }
        inner.commit(inner.event(ctx, &caller.name, "logout", &caller.name, Outcome::Success), batch).await?;
        Ok(())
    }

    /// The first half of enrolment: checks a one-time enrolment code and returns the second factor to put in an
    /// authenticator app (the same one each time until the enrolment completes; each time audited). The code stays
    /// valid.
    pub async fn start_enrollment(&self, ctx: &RequestContext, code: &str) -> Result<EnrolmentStart> {
        let inner = &self.inner;
        let open = inner.serving()?;
        let (code_key, _, person) = self.pending_enrolment(ctx, &open, code)?;
        let _writes = inner.writes.lock().await;
        // Read again under the lock: a concurrent start must not offer another seed.
        let (_, mut enrolment, _) = self.pending_enrolment(ctx, &open, code)?;
        let seed = match &enrolment.pending_totp_seed {
            Some(bytes) => {
                let seed = TotpSeed::from_bytes(bytes.to_vec()).map_err(Error::Crypto)?;
                // The seed leaves again: audited like the first time, durable before it leaves, so that a code
                // used from a second place (a photographed handout) shows in the log.
                let mut event = inner.event(ctx, &person.name, "enroll", &person.name, Outcome::Success);
                event.detail = "stage=second-factor-offered-again".into();
                inner.audit(event).await?;
                seed
            }
            None => {
                let seed = TotpSeed::generate().map_err(Error::Crypto)?;
                enrolment.pending_totp_seed = Some(Zeroizing::new(seed.expose_secret().to_vec()));
                let mut batch = Batch::default();
                batch.insert(
                    code_key.clone(),
                    records::seal(
                        &open.people_key,
                        &open.vault_id,
                        RecordKind::Enrolment,
                        &code_key[2..],
                        0,
                        &enrolment,
                    )?,
                );
                let mut event = inner.event(ctx, &person.name, "enroll", &person.name, Outcome::Success);
                event.detail = "stage=second-factor-offered".into();
                inner.commit(event, batch).await?;
                seed
            }
        };
        Ok(EnrolmentStart {
            totp_uri: seed.otpauth_uri(TOTP_ISSUER, &person.name),
            name: person.name,
            role: person.role,
        })
    }

    /// Completes enrolment: the first code of the second factor offered by [`Vault::start_enrollment`] must verify;
    /// then the person's passphrase is set and, for an owner, a key slot wraps the master key under it. Nobody
    /// else ever knows that passphrase. The one-time code is spent. Returns the person's name and role.
    pub async fn enroll(
        &self,
        ctx: &RequestContext,
        code: &str,
        passphrase: Passphrase,
        totp_code: &str,
    ) -> Result<(String, Role)> {
        let inner = &self.inner;
        let open = inner.serving()?;
        let (code_key, enrolment, mut person) = self.pending_enrolment(ctx, &open, code)?;
        let Some(seed) = enrolment.pending_totp_seed.as_ref() else {
            return Err(Error::WrongState(reasons::ENROLMENT_NOT_STARTED));
        };
        let seed = TotpSeed::from_bytes(seed.to_vec()).map_err(Error::Crypto)?;
        let Some(step) = seed.verify(totp_code, inner.now_ms() / 1000, 0) else {
            let mut event = inner.event(ctx, &person.name, "enroll", &person.name, Outcome::Failure);
            event.reason = "wrong second-factor code".into();
            inner.audit.append_detached(event, inner.now_ms());
            return Err(Error::WrongCode);
        };
        let kdf = inner.read_state().header.as_ref().map(|h| h.kdf).ok_or(Error::Uninitialised)?;
        let owner = person.role.is_owner();
        let keys = open.clone();
        let (hash, slot) = inner
            .kdf(move || -> Result<_> {
                let hash = hash_passphrase(&passphrase, kdf).map_err(Error::Crypto)?;
                let slot = if owner {
                    Some(KeySlot::wrap(&keys.master, &passphrase, kdf, &keys.vault_id).map_err(Error::Crypto)?)
                } else {
                    None
                };
                Ok((hash, slot))
            })
            .await??;

        let _writes = inner.writes.lock().await;
        // The code may have been redeemed by a concurrent call while Argon2 ran.
        if inner.store.get(&code_key)?.is_none() {
            return Err(Error::BadEnrolmentCode);
        }
        person.passphrase_hash = Some(hash);
        person.totp_seed = Some(Zeroizing::new(seed.expose_secret().to_vec()));
        // The confirming code is spent too: it cannot also open a session.
        person.totp_last_step = step;
        let mut batch = Batch::default();
        let mut header = inner.read_state().header.clone().ok_or(Error::Uninitialised)?;
        if let Some(slot) = slot {
            person.slot_id = Some(slot.id);
            header.slots.push(slot);
            batch.insert(records::HEADER_KEY.to_vec(), header.encode(&open.header_key)?);
        }
        put_person(&open, &mut batch, &person)?;
        batch.remove(code_key);
        let mut event = inner.event(ctx, &person.name, "enroll", &person.name, Outcome::Success);
        event.detail = format!("role={:?}", person.role);
        inner.commit(event, batch).await?;
        Ok((person.name, person.role))
    }

    /// Changes the caller's own passphrase, after checking the current one; for an owner the key slot is wrapped
    /// again under the new passphrase (a new slot replaces the old one; nothing else is re-encrypted).
    pub async fn change_passphrase(&self, ctx: &RequestContext, current: Passphrase, new: Passphrase) -> Result<()> {
        let inner = &self.inner;
        let caller = inner.authorize(ctx, Action::ChangeOwnPassphrase)?;
        let open = caller.open.clone();
        let attempt = inner.begin_attempt(ctx, Target::Login(&caller.name), "passwd", &caller.name)?;
        let person = inner.person(&open, &caller.person)?.ok_or(Error::NoSession)?;
        let stored = person.passphrase_hash.clone().ok_or(Error::NoSession)?;
        let kdf = inner.read_state().header.as_ref().map(|h| h.kdf).ok_or(Error::Uninitialised)?;
        let owner = person.role.is_owner();
        let keys = open.clone();
        let changed = inner
            .kdf(move || -> Result<Option<(String, Option<KeySlot>)>> {
                if verify_passphrase_migrating(&current, &stored).is_err() {
                    return Ok(None);
                }
                let hash = hash_passphrase(&new, kdf).map_err(Error::Crypto)?;
                let slot = if owner {
                    Some(KeySlot::wrap(&keys.master, &new, kdf, &keys.vault_id).map_err(Error::Crypto)?)
                } else {
                    None
                };
                Ok(Some((hash, slot)))
            })
            .await??;
        let Some((hash, slot)) = changed else {
            let mut event = inner.event(ctx, &caller.name, "passwd", &caller.name, Outcome::Failure);
            event.reason = "wrong current passphrase".into();
            if let Err(err) = inner.audit(event).await {
                tracing::error!(error = %err, "a failed passphrase change could not be audited");
            }
            return Err(Error::Denied(reasons::CURRENT_PASSPHRASE_WRONG));
        };
        inner.attempt_succeeded(attempt);
        let _writes = inner.writes.lock().await;
        let mut person = inner.person(&open, &caller.person)?.ok_or(Error::NoSession)?;
        person.passphrase_hash = Some(hash);
        let mut batch = Batch::default();
        let mut header = inner.read_state().header.clone().ok_or(Error::Uninitialised)?;
        if let Some(slot) = slot {
            if let Some(old) = person.slot_id {
                header.slots.retain(|s| s.id != old);
            }
            person.slot_id = Some(slot.id);
            header.slots.push(slot);
            batch.insert(records::HEADER_KEY.to_vec(), header.encode(&open.header_key)?);
        }
        put_person(&open, &mut batch, &person)?;
        // Whoever else holds a session of this person (a passphrase that leaked, a forgotten browser) is out with
        // the old passphrase: only the session that made the change goes on, in memory and in the store.
        let kept = ctx.token.as_ref().map(|token| hash_session_token(token.0.expose_secret()));
        inner.drop_other_sessions_of(&open, &mut batch, &caller.person, kept.as_ref())?;
        let ended = inner.end_other_sessions_of(&open, &caller.person, kept.as_ref());
        let mut event = inner.event(ctx, &caller.name, "passwd", &caller.name, Outcome::Success);
        event.detail = if owner { "key slot rewrapped".into() } else { String::new() };
        if ended > 0 {
            event.detail = format!("{} other_sessions_ended={ended}", event.detail).trim_start().to_owned();
        }
        inner.commit(event, batch).await?;
        Ok(())
    }

    /// The pending enrolment of `code` and its person, or the refusal (audited) when the code is unknown, expired
    /// or spent, or its person is enrolled already or offboarded.
    fn pending_enrolment(
        &self,
        ctx: &RequestContext,
        open: &Open,
        code: &str,
    ) -> Result<(Vec<u8>, EnrolmentRecord, PersonRecord)> {
        let inner = &self.inner;
        let code_hash = hash_enrolment_code(code);
        let code_key = records::key(records::ENROLMENT, &code_hash.0);
        let refuse = |why: &str| {
            let mut event = inner.event(ctx, "-", "enroll", "", Outcome::Failure);
            event.reason = why.to_string();
            inner.audit.append_detached(event, inner.now_ms());
            Error::BadEnrolmentCode
        };
        let Some(sealed) = inner.store.get(&code_key)? else { return Err(refuse("unknown code")) };
        let enrolment: EnrolmentRecord =
            records::open(&open.people_key, &open.vault_id, RecordKind::Enrolment, &code_hash.0, 0, &sealed)?;
        if inner.now_ms() >= enrolment.expires_ms {
            return Err(refuse("expired code"));
        }
        let Some(person) = inner.person(open, &enrolment.person)? else { return Err(refuse("person gone")) };
        if person.passphrase_hash.is_some() || person.disabled {
            return Err(refuse("already enrolled or disabled"));
        }
        Ok((code_key, enrolment, person))
    }

    /// Who the session belongs to; the cheapest authenticated call.
    pub fn whoami(&self, ctx: &RequestContext) -> Result<WhoAmI> {
        let caller = self.inner.authorize(ctx, Action::WhoAmI)?;
        Ok(WhoAmI { name: caller.name, role: caller.role, session_expires: from_millis(caller.expires_ms) })
    }

    /// Replaces a person's passphrase hash made before passphrases were normalised with `hash` (of the normalised
    /// form), and an owner's key slot with `slot` (wrapped under the normalised form;
    /// [`crate::vault::Inner::commit`] installs the new header).
    fn migrate_passphrase(
        &self,
        open: &Open,
        batch: &mut Batch,
        person: &mut PersonRecord,
        hash: String,
        slot: Option<KeySlot>,
    ) -> Result<()> {
        person.passphrase_hash = Some(hash);
        let (Some(old), Some(slot)) = (person.slot_id, slot) else { return Ok(()) };
        let mut header = self.inner.read_state().header.clone().ok_or(Error::Uninitialised)?;
        header.slots.retain(|s| s.id != old);
        person.slot_id = Some(slot.id);
        header.slots.push(slot);
        batch.insert(records::HEADER_KEY.to_vec(), header.encode(&open.header_key)?);
        Ok(())
    }

    /// Looks a person up by name through the keyed index.
    pub(crate) fn person_by_name(&self, open: &crate::vault::Open, name: &str) -> Result<Option<PersonRecord>> {
        let found = self.inner.find_by_name(open, records::PERSON_INDEX, IndexDomain::Person, name)?;
        let Some(id) = found else { return Ok(None) };
        let id: Id = id.try_into().map_err(|_| Error::Corrupt("person index".into()))?;
        self.inner.person(open, &id)
    }
}

/// Checks the second factor of a person whose passphrase verified; returns the person with the accepted step
/// recorded, or `None` for a wrong or replayed code (or a person without a second factor).
fn second_factor(mut person: PersonRecord, code: &str, now_ms: i64) -> Option<PersonRecord> {
    let seed = TotpSeed::from_bytes(person.totp_seed.as_ref()?.to_vec()).ok()?;
    person.totp_last_step = seed.verify(code, now_ms / 1000, person.totp_last_step)?;
    Some(person)
}
