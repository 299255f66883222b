//! Login, logout, enrolment and sessions.

use coffre_crypto::{
    index::{IndexDomain, lookup_id},
    kdf::{KeySlot, hash_passphrase, verify_dummy, verify_passphrase},
    record::RecordKind,
    secret::Passphrase,
    token::{hash_enrolment_code, hash_session_token, new_session_token},
};
use coffre_store::Batch;

use crate::{
    Error, Result,
    audit::Outcome,
    authz::Action,
    clock::from_millis,
    lifecycle::put_person,
    model::*,
    records::{self, EnrolmentRecord, Id, PersonRecord},
    validate,
    vault::{Session, Vault},
};

impl Vault {
    /// Passphrase login; returns a session token. An unknown name, a disabled account and a person not yet
    /// enrolled cost the same Argon2 work as a wrong passphrase and get the same answer, so neither the answer nor
    /// its timing tells whether an account exists.
    pub async fn login(&self, ctx: &RequestContext, name: &str, passphrase: Passphrase) -> Result<LoginOutcome> {
        let inner = &self.inner;
        let open = inner.unsealed()?;
        let name = validate::name("name", name)?;
        let kdf = inner.read_state().header.as_ref().map(|h| h.kdf).ok_or(Error::Uninitialised)?;
        let person = self.person_by_name(&open, &name)?;
        let usable = person.as_ref().filter(|p| !p.disabled).and_then(|p| p.passphrase_hash.clone());
        let verified = inner
            .kdf(move || match usable {
                Some(hash) => verify_passphrase(&passphrase, &hash),
                None => Err(verify_dummy(&passphrase, kdf)),
            })
            .await?;
        let person = match (verified, person) {
            (Ok(()), Some(person)) => person,
            _ => {
                let event = inner.event(ctx, &name, "login", &name, Outcome::Failure);
                if let Err(err) = inner.audit(event).await {
                    tracing::error!(error = %err, "a failed login could not be audited");
                }
                return Err(Error::WrongCredentials);
            }
        };
        let (token, hash) = new_session_token().map_err(Error::Crypto)?;
        let now = inner.now_ms();
        let expires_ms =
            now.saturating_add(i64::try_from(inner.config.session_absolute.as_millis()).unwrap_or(i64::MAX));
        let mut event = inner.event(ctx, &person.name, "login", &person.name, Outcome::Success);
        event.detail = format!("role={:?}", person.role);
        inner.audit(event).await?;
        let session = Session { name: person.name, role: person.role, last_used_ms: now, expires_ms };
        open.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(hash, session);
        Ok(LoginOutcome { token, expires: from_millis(expires_ms), role: person.role })
    }

    /// Ends the caller's session.
    pub async fn logout(&self, ctx: &RequestContext) -> Result<()> {
        let inner = &self.inner;
        let caller = inner.authenticate(ctx)?;
        if let Some(token) = &ctx.token {
            let hash = hash_session_token(token.0.expose_secret());
            caller.open.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&hash);
        }
        inner.audit(inner.event(ctx, &caller.name, "logout", &caller.name, Outcome::Success)).await?;
        Ok(())
    }

    /// Redeems a one-time enrolment code: sets the person's passphrase and, for an owner, adds a key slot wrapping
    /// the master key under it. Nobody else ever knows that passphrase. Returns the person's name and role.
    pub async fn enroll(&self, ctx: &RequestContext, code: &str, passphrase: Passphrase) -> Result<(String, Role)> {
        let inner = &self.inner;
        let open = inner.unsealed()?;
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
        let Some(mut person) = inner.person(&open, &enrolment.person)? else { return Err(refuse("person gone")) };
        if person.passphrase_hash.is_some() || person.disabled {
            return Err(refuse("already enrolled or disabled"));
        }
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
        let mut batch = Batch::default();
        let mut header = inner.read_state().header.clone().ok_or(Error::Uninitialised)?;
        if let Some(slot) = slot {
            person.slot_id = Some(slot.id);
            header.slots.push(slot);
            batch.insert(records::HEADER_KEY.to_vec(), header.encode()?);
        }
        put_person(&open, &mut batch, &person)?;
        batch.remove(code_key);
        let mut event = inner.event(ctx, &person.name, "enroll", &person.name, Outcome::Success);
        event.detail = format!("role={:?}", person.role);
        inner.audit(event).await?;
        inner.store.apply(batch)?;
        inner.store.flush()?;
        inner.write_state().header = Some(header);
        Ok((person.name, person.role))
    }

    /// Who the session belongs to; the cheapest authenticated call.
    pub fn whoami(&self, ctx: &RequestContext) -> Result<WhoAmI> {
        let caller = self.inner.authorize(ctx, Action::WhoAmI)?;
        Ok(WhoAmI { name: caller.name, role: caller.role, session_expires: from_millis(caller.expires_ms) })
    }

    /// Looks a person up by name through the keyed index.
    pub(crate) fn person_by_name(&self, open: &crate::vault::Open, name: &str) -> Result<Option<PersonRecord>> {
        let index = lookup_id(&open.index_key, IndexDomain::Person, name);
        let Some(id) = self.inner.store.get(&records::key(records::PERSON_INDEX, &index))? else { return Ok(None) };
        let id: Id = id.try_into().map_err(|_| Error::Corrupt("person index".into()))?;
        self.inner.person(open, &id)
    }
}
