//! People: adding them (with a one-time enrolment code), listing them, resetting an enrolment, and offboarding,
//! which ends their sessions and grants, disables the account and flags for rotation every entry they revealed.

use coffre_crypto::{
    index::{IndexDomain, lookup_id},
    record::RecordKind,
    secret::SecretString,
    token::new_enrolment_code,
};
use coffre_store::Batch;

use crate::reasons;
use crate::{
    Error, Result,
    audit::{NewEvent, Outcome},
    authz::{self, Action},
    clock::from_millis,
    entries::put_entry,
    lifecycle::put_person,
    model::*,
    records::{self, DueRecord, EnrolmentRecord, Id, PersonRecord, RevealMark, Revocation, SeenMark},
    validate,
    vault::{Caller, Inner, Open, Vault},
};

/// The issuer named in the second factor's `otpauth://` URI, as authenticator apps show it.
pub(crate) const TOTP_ISSUER: &str = "coffre";

impl Vault {
    /// Adds a person and returns their one-time enrolment code (shown once; only its hash is kept). Owners may add
    /// any role but president (only the president adds a leader); an access manager adds members.
    pub async fn add_person(&self, ctx: &RequestContext, name: &str, role: Role) -> Result<Enrolment> {
        let inner = &self.inner;
        let caller = inner.authenticate(ctx)?;
        if let Err(denied) = authz::check_add_person(caller.role, role) {
            return Err(inner.audit_denial(ctx, &caller, Action::AddPerson, name.trim(), denied).await);
        }
        let name = validate::name(crate::problems::NAME, name)?;
        let open = &caller.open;
        let _writes = inner.writes.lock().await;
        if self.person_by_name(open, &name)?.is_some() {
            return Err(Error::Exists(reasons::PERSON_EXISTS));
        }
        let now = inner.now_ms();
        let person = PersonRecord::new(records::new_id()?, name, role, &caller.name, now);
        let mut batch = Batch::default();
        put_person(open, &mut batch, &person)?;
        let (code, expires_ms) = new_enrolment(inner, open, &mut batch, &person.id, now)?;
        let mut event = inner.event(ctx, &caller.name, "person.add", &person.name, Outcome::Success);
        event.detail = format!("role={:?}", person.role);
        inner.commit(event, batch).await?;
        Ok(Enrolment { name: person.name, role, code, expires: from_millis(expires_ms) })
    }

    /// The people the caller may see, sorted by name: owners everyone, an access manager the members.
    pub fn list_people(&self, ctx: &RequestContext) -> Result<Vec<PersonView>> {
        let caller = self.inner.authorize(ctx, Action::ListPeople)?;
        let mut people = Vec::new();
        for person in self.inner.all_people(&caller.open)? {
            if authz::may_see_person(caller.role, person.role) {
                let state = match (person.disabled, &person.passphrase_hash) {
                    (true, _) => PersonState::Offboarded,
                    (false, None) => PersonState::Pending,
                    (false, Some(_)) => PersonState::Active,
                };
                people.push(PersonView {
                    name: person.name.clone(),
                    role: person.role,
                    state,
                    added_by: person.added_by.clone(),
                    created: from_millis(person.created_ms),
                });
            }
        }
        people.sort_by_cached_key(|p| p.name.to_lowercase());
        Ok(people)
    }

    /// Offboards a person: ends their sessions, revokes their grants, removes their pending enrolment codes and
    /// (for an owner) their key slot, disables the account (its history stays), and flags every entry they ever
    /// revealed as rotation-due. Owners only; only the president offboards the leader; nobody the president.
    pub async fn offboard_person(&self, ctx: &RequestContext, name: &str) -> Result<Offboarded> {
        let inner = &self.inner;
        let caller = inner.authenticate(ctx)?;
        let target = self.manageable(ctx, &caller, name, Action::OffboardPerson).await?;
        let open = &caller.open;
        let _writes = inner.writes.lock().await;
        let mut person = inner.person(open, &target.id)?.ok_or(Error::NotFound(reasons::NO_PERSON))?;
        if person.disabled {
            return Err(Error::WrongState(reasons::OFFBOARDED_ALREADY));
        }
        let now = inner.now_ms();
        person.disabled = true;
        person.disabled_ms = Some(now);
        let mut batch = Batch::default();
        inner.remove_key_slot(&mut batch, person.slot_id.take())?;
        put_person(open, &mut batch, &person)?;

        let mut grants_revoked = 0;
        for mut grant in inner.grants_of(open, &person.id)? {
            if grant.revoked.is_some() {
                continue;
            }
            if now < grant.expires_ms {
                grants_revoked += 1;
            }
            grant.revoked = Some(Revocation { at_ms: now, by: caller.name.clone(), why: "offboarded".into() });
            crate::grants::put_grant(open, &mut batch, &grant)?;
        }
        inner.drop_enrolments(open, &mut batch, &person.id)?;
        let mut revealed = Vec::new();
        for (entry_id, seen) in inner.revealed_by(open, &person.id)? {
            let Some(mut entry) = inner.entry_by_id(open, &entry_id)? else { continue };
            let seen = Seen::of(seen, entry.version);
            // Set, or moved to now when already set: a rotation staged before this offboarding does not answer it.
            entry.rotation_due = Some(DueRecord::offboarded(&person.name, seen, from_millis(now)));
            put_entry(open, &mut batch, &entry)?;
            revealed.push(RevealedEntry { platform: entry.platform, seen });
        }
        revealed.sort_by_cached_key(|r| r.platform.to_lowercase());
        let rotation_due: Vec<String> = revealed.iter().map(|r| r.platform.clone()).collect();

        inner.drop_sessions_of(open, &mut batch, &person.id)?;
        let mut event = inner.event(ctx, &caller.name, "person.offboard", &person.name, Outcome::Success);
        event.detail =
            format!("role={:?} grants_revoked={grants_revoked} rotation_due={}", person.role, rotation_due.join(","));
        inner.commit(event, batch).await?;
        let sessions_ended = inner.end_sessions_of(open, &person.id);
        tracing::info!("a person was offboarded");
        let share_holder = crate::recovery::holder_of(self, open, &person.name, person.role)?;
        Ok(Offboarded { name: person.name, grants_revoked, sessions_ended, rotation_due, revealed, share_holder })
    }

    /// Resets a person's enrolment: their passphrase, second factor and (for an owner) key slot are removed, their
    /// sessions end, and a new one-time code lets them enrol again. Grants stay. Owners only, as offboarding.
    pub async fn reset_enrolment(&self, ctx: &RequestContext, name: &str) -> Result<Enrolment> {
        let inner = &self.inner;
        let caller = inner.authenticate(ctx)?;
        let target = self.manageable(ctx, &caller, name, Action::ResetEnrolment).await?;
        let open = &caller.open;
        let _writes = inner.writes.lock().await;
        let mut person = inner.person(open, &target.id)?.ok_or(Error::NotFound(reasons::NO_PERSON))?;
        if person.disabled {
            return Err(Error::WrongState(reasons::OFFBOARDED_NEVER_REOPENED));
        }
        let now = inner.now_ms();
        person.passphrase_hash = None;
        person.totp_seed = None;
        person.totp_last_step = 0;
        let mut batch = Batch::default();
        inner.remove_key_slot(&mut batch, person.slot_id.take())?;
        put_person(open, &mut batch, &person)?;
        inner.drop_enrolments(open, &mut batch, &person.id)?;
        let (code, expires_ms) = new_enrolment(inner, open, &mut batch, &person.id, now)?;
        inner.drop_sessions_of(open, &mut batch, &person.id)?;
        let mut event = inner.event(ctx, &caller.name, "enrolment.reset", &person.name, Outcome::Success);
        event.detail = format!("role={:?}", person.role);
        inner.commit(event, batch).await?;
        inner.end_sessions_of(open, &person.id);
        Ok(Enrolment { name: person.name, role: person.role, code, expires: from_millis(expires_ms) })
    }

    /// The person `name` if the caller may offboard them or reset their enrolment; a refusal is audited.
    async fn manageable(
        &self,
        ctx: &RequestContext,
        caller: &Caller,
        name: &str,
        action: Action,
    ) -> Result<PersonRecord> {
        let inner = &self.inner;
        if let Err(denied) = authz::check(caller.role, action) {
            return Err(inner.audit_denial(ctx, caller, action, name.trim(), denied).await);
        }
        let name = validate::name(crate::problems::NAME, name)?;
        let person = self.person_by_name(&caller.open, &name)?.ok_or(Error::NotFound(reasons::NO_PERSON))?;
        if let Err(denied) = authz::check_manage_person(caller.role, person.id == caller.person, person.role, action) {
            return Err(inner.audit_denial(ctx, caller, action, &person.name, denied).await);
        }
        Ok(person)
    }
}

impl Inner {
    /// Records a refusal in the audit log (a refusal that cannot be recorded is logged) and returns it.
    pub(crate) async fn audit_denial(
        &self,
        ctx: &RequestContext,
        caller: &Caller,
        action: Action,
        target: &str,
        denied: Error,
    ) -> Error {
        let mut event = self.event(ctx, &caller.name, action.audit_name(), target, Outcome::Denied);
        event.reason = denied.to_string();
        if let Err(err) = self.audit(event).await {
            tracing::error!(error = %err, "a denial could not be audited");
        }
        denied
    }

    /// Records a refused reveal (the reason the caller gave, and `detail`, e.g. "field=password refused=..."), and
    /// returns the refusal. An audit failure here is logged: the caller is refused either way.
    pub(crate) async fn audit_refused_reveal(
        &self,
        ctx: &RequestContext,
        caller: &Caller,
        target: &str,
        reason: String,
        detail: String,
        denied: Error,
    ) -> Error {
        let mut event = self.event(ctx, &caller.name, "reveal", target, Outcome::Denied);
        event.reason = reason;
        event.detail = detail;
        if let Err(err) = self.audit(event).await {
            tracing::error!(error = %err, "a refused reveal could not be audited");
        }
        denied
    }

    /// Every person, in storage order. A record that does not open is logged and left out.
    pub(crate) fn all_people(&self, open: &Open) -> Result<Vec<PersonRecord>> {
        let mut people = Vec::new();
        for item in self.store.scan_prefix(records::PERSON) {
            let (key, sealed) = item?;
            let id = &key[records::PERSON.len()..];
            match records::open(&open.people_key, &open.vault_id, RecordKind::Person, id, 0, &sealed) {
                Ok(person) => people.push(person),
                Err(err) => tracing::error!(error = %err, "skipping a person that does not open"),
            }
        }
        Ok(people)
    }

    /// Removes a key slot, if any, from the seal header (in `batch`; [`Inner::commit`] installs the new header).
    fn remove_key_slot(&self, batch: &mut Batch, slot: Option<[u8; 16]>) -> Result<()> {
        let Some(slot) = slot else { return Ok(()) };
        let open = self.unsealed()?;
        let mut header = self.read_state().header.clone().ok_or(Error::Uninitialised)?;
        header.slots.retain(|s| s.id != slot);
        batch.insert(records::HEADER_KEY.to_vec(), header.encode(&open.header_key)?);
        Ok(())
    }

    /// Removes every pending enrolment code of `person` (in `batch`).
    fn drop_enrolments(&self, open: &Open, batch: &mut Batch, person: &Id) -> Result<()> {
        for item in self.store.scan_prefix(records::ENROLMENT) {
            let (key, sealed) = item?;
            let id = &key[records::ENROLMENT.len()..];
            match records::open::<EnrolmentRecord>(
                &open.people_key,
                &open.vault_id,
                RecordKind::Enrolment,
                id,
                0,
                &sealed,
            ) {
                Ok(enrolment) if enrolment.person == *person => batch.remove(key.to_vec()),
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "skipping an enrolment that does not open"),
            }
        }
        Ok(())
    }

    /// The reveal's audit event, with the reveal mark of `person` and `entry` in the same commit when it tells
    /// something new: the newest version of a secret field they saw (`seen`; 0 for the platform's current 2FA code
    /// only), written once per pair and then once per newer version, so offboarding can flag the entry for
    /// rotation. The mark and the event are durable together: marks neither over- nor under-report. Returns the
    /// event's sequence number.
    pub(crate) async fn audit_reveal(
        &self,
        open: &Open,
        (person, entry, seen): (&Id, &Id, u32),
        event: NewEvent,
    ) -> Result<u64> {
        // The usual reveal finds its mark known and takes no lock at all: the mark is stored, so an offboarding
        // flags the entry whenever it happens, and the event goes in the reveals' group commit.
        if known_mark(open, &(*person, *entry)).is_some_and(|newest| newest >= seen) {
            return self.audit(event).await;
        }
        // A mark to write: under its pair's lock, decided again, so that two reveals of one pair at once (of two
        // versions, say) write one after the other and the later one never puts back an older version.
        let _pair = open.mark_lock(person, entry).lock().await;
        // And under the engine's write lock, for a person still in the vault: offboarding reads the marks and
        // disables the person under that lock, so a reveal under way while its person is offboarded either leaves
        // its mark first (and the offboarding flags the entry) or finds the person offboarded and is refused. Only
        // a reveal that writes a mark waits for the lock; one whose mark is stored already is flagged either way.
        let writes = self.writes.lock().await;
        if self.person(open, person)?.is_none_or(|p| p.disabled) {
            drop(writes);
            let mut refused = event;
            refused.outcome = Outcome::Denied;
            refused.detail = format!("{} refused=offboarded while revealing", refused.detail);
            if let Err(err) = self.audit(refused).await {
                tracing::error!(error = %err, "a refused reveal could not be audited");
            }
            return Err(Error::NoSession);
        }
        let mut batch = Batch::default();
        let Some(recorded) = self.mark_change(open, &mut batch, person, entry, seen)? else {
            drop(writes);
            return self.audit(event).await;
        };
        let seq = self.commit(event, batch).await?;
        drop(writes);
        note_mark(open, (*person, *entry), recorded);
        Ok(seq)
    }

    /// Adds to `batch` the mark of `person` knowing `version` of `entry`'s password because they typed it in (a
    /// new entry, a changed password, a rotation staged with a given password): a password they know as much as
    /// one revealed, which offboarding flags for rotation in the same way. The caller holds the write lock (as
    /// [`Inner::audit_reveal`] does when it writes a mark) and, once `batch` is committed, calls
    /// [`Inner::noted_mark`] with what this returns.
    pub(crate) fn mark_typed_in(
        &self,
        open: &Open,
        batch: &mut Batch,
        person: &Id,
        entry: &Id,
        version: u32,
    ) -> Result<Option<u32>> {
        self.mark_change(open, batch, person, entry, version)
    }

    /// Notes in memory that the mark [`Inner::mark_typed_in`] wrote (`recorded`, if any) is stored.
    pub(crate) fn noted_mark(open: &Open, person: &Id, entry: &Id, recorded: Option<u32>) {
        if let Some(recorded) = recorded {
            note_mark(open, (*person, *entry), recorded);
        }
    }

    /// Adds to `batch` the write a reveal of `entry` by `person` needs for its mark, and returns the version the
    /// mark then records; `None` when the stored mark already says as much (noted in memory, so the next reveal
    /// reads nothing).
    fn mark_change(&self, open: &Open, batch: &mut Batch, person: &Id, entry: &Id, seen: u32) -> Result<Option<u32>> {
        let pair = (*person, *entry);
        if known_mark(open, &pair).is_some_and(|newest| newest >= seen) {
            return Ok(None);
        }
        let key = reveal_mark_key(open, person, entry);
        let stored = match self.store.get(&key)? {
            Some(sealed) => Some(open_mark(open, &key, &sealed)?),
            None => None,
        };
        let (first_ms, newest) = match &stored {
            Some(mark) => (mark.first_ms, mark.newest_version),
            None => (self.now_ms(), None),
        };
        // A mark of the first shape (what was seen unknown) is rewritten only when a secret version is seen, so
        // a later code-only reveal does not claim that only codes were seen.
        let write = match newest {
            Some(newest) => seen > newest,
            None => stored.is_none() || seen > 0,
        };
        if write {
            let mark = SeenMark { person: *person, entry: *entry, first_ms, newest_version: seen };
            let sealed = records::seal(&open.people_key, &open.vault_id, RecordKind::RevealMark, &key[2..], 0, &mark)?;
            batch.insert(key, sealed);
            return Ok(Some(seen));
        }
        let recorded = newest.unwrap_or(seen).max(seen);
        note_mark(open, pair, recorded);
        Ok(None)
    }

    /// The entries `person` ever revealed, each with the newest version of a secret field they saw (0: only the
    /// platform's 2FA codes; `None`: a mark from before what was seen was recorded).
    fn revealed_by(&self, open: &Open, person: &Id) -> Result<Vec<(Id, Option<u32>)>> {
        let prefix =
            records::key(records::REVEAL_MARK, &lookup_id(&open.index_key, IndexDomain::RevealHolder, &hex(person)));
        let mut entries = Vec::new();
        for item in self.store.scan_prefix(&prefix) {
            let (key, sealed) = item?;
            match open_mark(open, &key, &sealed) {
                Ok(mark) if mark.person == *person => entries.push((mark.entry, mark.newest_version)),
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "skipping a reveal mark that does not open"),
            }
        }
        Ok(entries)
    }
}

/// A reveal mark as read back: `newest_version` is `None` for a mark of the first shape.
struct StoredMark {
    person: Id,
    entry: Id,
    first_ms: i64,
    newest_version: Option<u32>,
}

/// Opens a reveal mark of either shape ([`SeenMark`], or the older [`RevealMark`], which is its prefix).
fn open_mark(open: &Open, key: &[u8], sealed: &[u8]) -> Result<StoredMark> {
    let id = &key[2..];
    match records::open::<SeenMark>(&open.people_key, &open.vault_id, RecordKind::RevealMark, id, 0, sealed) {
        Ok(mark) => Ok(StoredMark {
            person: mark.person,
            entry: mark.entry,
            first_ms: mark.first_ms,
            newest_version: Some(mark.newest_version),
        }),
        Err(_) => {
            let mark: RevealMark =
                records::open(&open.people_key, &open.vault_id, RecordKind::RevealMark, id, 0, sealed)?;
            Ok(StoredMark { person: mark.person, entry: mark.entry, first_ms: mark.first_ms, newest_version: None })
        }
    }
}

/// `r/` || MAC(person) || first 16 bytes of MAC(person, entry): a prefix per person, one key per pair, and neither
/// id in clear.
fn reveal_mark_key(open: &Open, person: &Id, entry: &Id) -> Vec<u8> {
    let holder = lookup_id(&open.index_key, IndexDomain::RevealHolder, &hex(person));
    let pair = lookup_id(&open.index_key, IndexDomain::RevealPair, &format!("{}{}", hex(person), hex(entry)));
    let mut key = records::key(records::REVEAL_MARK, &holder);
    key.extend_from_slice(&pair[..16]);
    key
}

pub(crate) fn hex(id: &Id) -> String {
    data_encoding::HEXLOWER.encode(id)
}

/// Makes a one-time enrolment code for `person` (in `batch`); returns the code and its expiry.
pub(crate) fn new_enrolment(
    inner: &Inner,
    open: &Open,
    batch: &mut Batch,
    person: &Id,
    now: i64,
) -> Result<(SecretString, i64)> {
    let (code, code_hash) = new_enrolment_code().map_err(Error::Crypto)?;
    let expires_ms = now.saturating_add(i64::try_from(inner.config.enrolment_ttl.as_millis()).unwrap_or(i64::MAX));
    let enrolment = EnrolmentRecord { person: *person, expires_ms, pending_totp_seed: None };
    batch.insert(
        records::key(records::ENROLMENT, &code_hash.0),
        records::seal(&open.people_key, &open.vault_id, RecordKind::Enrolment, &code_hash.0, 0, &enrolment)?,
    );
    Ok((code, expires_ms))
}

/// The newest version `pair`'s stored mark is known to record.
fn known_mark(open: &Open, pair: &(Id, Id)) -> Option<u32> {
    open.known_marks.lock().unwrap_or_else(|p| p.into_inner()).get(pair).copied()
}

/// Notes that `pair`'s stored mark records at least version `recorded` (never lowering what is known).
fn note_mark(open: &Open, pair: (Id, Id), recorded: u32) {
    let mut known = open.known_marks.lock().unwrap_or_else(|p| p.into_inner());
    let newest = known.entry(pair).or_insert(recorded);
    *newest = (*newest).max(recorded);
}
