//! Entries, their versions, and reveal.

use coffre_crypto::{
    index::{IndexDomain, lookup_id},
    record::RecordKind,
    secret::SecretBytes,
};
use std::sync::Arc;

use coffre_store::Batch;

use crate::reasons;
use crate::{
    Error, Result,
    audit::Outcome,
    authz::{self, Action},
    clock::from_millis,
    model::*,
    records::{self, EntryRecord, Id, VersionRecord},
    validate::{self, MAX_NOTES_BYTES, MAX_PASSWORD_BYTES, MAX_TAG_CHARS, MAX_TEXT_CHARS},
    vault::{Inner, Open, Vault},
};

/// Entries in a page of `entry list` when the caller does not say.
pub const DEFAULT_ENTRY_PAGE: usize = 200;
/// Most entries in a page of `entry list`.
pub const MAX_ENTRY_PAGE: usize = 1000;

impl Vault {
    /// Adds an entry with its first version of secret fields.
    pub async fn create_entry(&self, ctx: &RequestContext, entry: NewEntry, secrets: Secrets) -> Result<EntryView> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::CreateEntry, &entry.platform).await?;
        let open = &caller.open;
        let (record, version) = new_entry(inner.now_ms(), &caller.name, entry, &secrets)?;
        let _writes = inner.writes.lock().await;
        let mut batch = Batch::default();
        inner.add_entry(open, &mut batch, &record, &version)?;
        inner.note_transition(open, &mut batch, &record.id, record.lifecycle, record.created_ms, &caller.name)?;
        // The person who typed the password in knows it: offboarding flags it as it does a revealed one.
        let marked = inner.mark_typed_in(open, &mut batch, &caller.person, &record.id, 1)?;
        let mut event = inner.event(ctx, &caller.name, "entry.create", &record.platform, Outcome::Success);
        event.detail = "version=1".into();
        inner.commit(event, batch).await?;
        Inner::noted_mark(open, &caller.person, &record.id, marked);
        Ok(record.view())
    }

    /// Lists every entry the caller may see, sorted by platform name: owners all, others those a live grant of
    /// theirs covers. (The API lists by pages: [`Vault::list_entries_page`].)
    pub fn list_entries(&self, ctx: &RequestContext, include_archived: bool) -> Result<Vec<EntryView>> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = self.list_entries_page(ctx, include_archived, after.as_deref(), MAX_ENTRY_PAGE)?;
            all.extend(page.entries);
            match page.next_after {
                Some(next) => after = Some(next),
                None => return Ok(all),
            }
        }
    }

    /// One page of the entries the caller may see, sorted by platform name (case-insensitive): at most `limit`
    /// (1 to [`MAX_ENTRY_PAGE`]; 0 means [`DEFAULT_ENTRY_PAGE`]) entries after the one named `after`. A record that fails to
    /// open is reported in the daemon's log by its id and left out; it never hides the others.
    pub fn list_entries_page(
        &self,
        ctx: &RequestContext,
        include_archived: bool,
        after: Option<&str>,
        limit: usize,
    ) -> Result<EntryPage> {
        let caller = self.inner.authorize(ctx, Action::ListEntries)?;
        let grants = self.inner.caller_grants(ctx, &caller)?;
        let now = self.inner.now_ms();
        let limit = match limit {
            0 => DEFAULT_ENTRY_PAGE,
            n if n > MAX_ENTRY_PAGE => {
                return Err(Error::invalid(
                    crate::problems::PAGE_SIZE,
                    crate::Problem::TooManyEntries { max: validate::count(MAX_ENTRY_PAGE) },
                ));
            }
            n => n,
        };
        let after = after.map(|name| validate::name(crate::problems::PAGE_TOKEN, name)).transpose()?;
        self.inner.with_entries(&caller.open, |cache| {
            let mut entries = Vec::with_capacity(limit.min(cache.len()));
            let mut last = None;
            let mut more = false;
            for entry in cache.after(after.as_deref()) {
                if !include_archived && entry.lifecycle == Lifecycle::Archived {
                    continue;
                }
                if authz::check_entry(caller.role, Action::ReadEntry, &entry.facts(), &grants, now).is_err() {
                    continue;
                }
                if entries.len() == limit {
                    more = true;
                    break;
                }
                last = Some(entry.platform.clone());
                entries.push(entry.view_for(caller.role));
            }
            EntryPage { entries, next_after: if more { last } else { None } }
        })
    }

    /// One entry's metadata. For a non-owner, an entry no live grant covers and an entry that does not exist are
    /// the same PERMISSION_DENIED.
    pub fn get_entry(&self, ctx: &RequestContext, platform: &str) -> Result<EntryView> {
        let inner = &self.inner;
        let caller = inner.authorize(ctx, Action::ReadEntry)?;
        let entry = inner.entry_for(&caller, platform)?;
        let grants = inner.caller_grants(ctx, &caller)?;
        authz::check_entry(caller.role, Action::ReadEntry, &entry.facts(), &grants, inner.now_ms())?;
        Ok(entry.view_for(caller.role))
    }

    /// Changes an entry; a change of a secret field makes a new version, and the old one stays in history.
    pub async fn update_entry(&self, ctx: &RequestContext, update: EntryUpdate) -> Result<EntryView> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::ChangeEntry, &update.platform).await?;
        let open = &caller.open;
        let _writes = inner.writes.lock().await;
        let mut entry = inner.entry_by_name(open, &update.platform)?;
        let mut batch = Batch::default();
        if let Some(new) = &update.new_platform {
            let new = validate::name(crate::problems::NEW_PLATFORM, new)?;
            let old_index = lookup_id(&open.index_key, IndexDomain::Platform, &entry.platform);
            let new_index = lookup_id(&open.index_key, IndexDomain::Platform, &new);
            if new_index != old_index {
                if inner.store.get(&records::key(records::ENTRY_INDEX, &new_index))?.is_some() {
                    return Err(Error::Exists(reasons::ENTRY_EXISTS));
                }
                batch.remove(records::key(records::ENTRY_INDEX, &old_index));
                batch.insert(records::key(records::ENTRY_INDEX, &new_index), entry.id.to_vec());
            }
            entry.platform = new;
        }
        if let Some(category) = update.category {
            entry.category = category;
        }
        if let Some(url) = &update.url {
            entry.url = validate::text(crate::problems::URL, url.trim(), MAX_TEXT_CHARS)?;
        }
        if let Some(login) = &update.login {
            entry.login = validate::text(crate::problems::LOGIN, login, MAX_TEXT_CHARS)?;
        }
        if let Some(contacts) = &update.recovery_contacts {
            entry.recovery_contacts = validate::list(crate::problems::RECOVERY_CONTACT, contacts, MAX_TEXT_CHARS)?;
        }
        if let Some(classification) = update.classification {
            entry.classification = classification;
        }
        let now = inner.now_ms();
        if let Some(lifecycle) = update.lifecycle.filter(|l| *l != entry.lifecycle) {
            entry.lifecycle = lifecycle;
            inner.note_transition(open, &mut batch, &entry.id, lifecycle, now, &caller.name)?;
        }
        if let Some(tags) = &update.tags {
            entry.tags = validate::list(crate::problems::TAG, tags, MAX_TAG_CHARS)?;
        }
        let mut detail = String::new();
        let mut marked = None;
        if update.password.is_some() || update.totp_seed.is_some() || update.notes.is_some() {
            let current = inner.version(open, &entry.id, entry.version)?;
            let mut next = VersionRecord {
                version: entry.version.checked_add(1).ok_or(Error::WrongState(reasons::TOO_MANY_VERSIONS))?,
                created_ms: now,
                created_by: caller.name.clone(),
                changed: Vec::new(),
                password: current.password.clone(),
                totp_seed: current.totp_seed.clone(),
                notes: current.notes.clone(),
            };
            if let Some(password) = &update.password {
                validate::secret(crate::problems::PASSWORD, password.expose_secret(), true, MAX_PASSWORD_BYTES)?;
                next.password = password.expose_secret().to_vec();
                next.changed.push(SecretField::Password);
            }
            if let Some(totp) = &update.totp_seed {
                validate::totp_seed(totp.expose_secret())?;
                next.totp_seed = totp.expose_secret().to_vec();
                next.changed.push(SecretField::TotpSeed);
            }
            if let Some(notes) = &update.notes {
                validate::secret(crate::problems::NOTES, notes.expose_secret(), false, MAX_NOTES_BYTES)?;
                next.notes = notes.expose_secret().to_vec();
                next.changed.push(SecretField::Notes);
            }
            if update.password.is_some() {
                // The password changed: whatever made a rotation due is dealt with.
                entry.rotation_due = None;
            }
            entry.version = next.version;
            entry.has_totp = !next.totp_seed.is_empty();
            entry.has_notes = !next.notes.is_empty();
            let changed: Vec<&str> = next.changed.iter().map(|f| f.name()).collect();
            detail = format!("version={} changed={}", next.version, changed.join(","));
            put_version(open, &mut batch, &entry.id, &next)?;
            if update.password.is_some() {
                // A password typed in is known to its author: offboarding flags it as it does a revealed one.
                marked = inner.mark_typed_in(open, &mut batch, &caller.person, &entry.id, next.version)?;
            }
        }
        entry.updated_ms = now;
        put_entry(open, &mut batch, &entry)?;
        let mut event = inner.event(ctx, &caller.name, "entry.update", &entry.platform, Outcome::Success);
        event.target = update.platform.trim().to_string();
        event.detail = detail;
        inner.commit(event, batch).await?;
        Inner::noted_mark(open, &caller.person, &entry.id, marked);
        Ok(entry.view())
    }

    /// Archives an entry (its history stays). Archiving an archived entry changes nothing.
    pub async fn archive_entry(&self, ctx: &RequestContext, platform: &str) -> Result<EntryView> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::ChangeEntry, platform).await?;
        let _writes = inner.writes.lock().await;
        let mut entry = inner.entry_by_name(&caller.open, platform)?;
        if entry.lifecycle == Lifecycle::Archived {
            return Ok(entry.view());
        }
        entry.lifecycle = Lifecycle::Archived;
        entry.updated_ms = inner.now_ms();
        let mut batch = Batch::default();
        inner.note_transition(
            &caller.open,
            &mut batch,
            &entry.id,
            Lifecycle::Archived,
            entry.updated_ms,
            &caller.name,
        )?;
        put_entry(&caller.open, &mut batch, &entry)?;
        inner.commit(inner.event(ctx, &caller.name, "entry.archive", &entry.platform, Outcome::Success), batch).await?;
        Ok(entry.view())
    }

    /// The versions of an entry's secret fields, newest first, without the secrets. Owners only.
    pub fn list_versions(&self, ctx: &RequestContext, platform: &str) -> Result<Vec<VersionInfo>> {
        let caller = self.inner.authorize(ctx, Action::ReadHistory)?;
        let entry = self.inner.entry_by_name(&caller.open, platform)?;
        let mut versions = Vec::new();
        for version in (1..=entry.version).rev() {
            let record = self.inner.version(&caller.open, &entry.id, version)?;
            versions.push(VersionInfo {
                version,
                created: from_millis(record.created_ms),
                created_by: record.created_by.clone(),
                changed: record.changed.clone(),
            });
        }
        Ok(versions)
    }

    /// Reveals one secret field: authorise, append the audit event, make it durable, and only then return the
    /// secret. If the event cannot be made durable, nothing is returned (UNAVAILABLE). A refusal is audited too.
    /// Every reveal is also marked against the person, so that offboarding can flag the entry for rotation.
    pub async fn reveal(&self, ctx: &RequestContext, params: RevealParams) -> Result<Revealed> {
        let inner = &self.inner;
        let caller = inner.authenticate(ctx)?;
        let reason = validate::reason(&params.reason)?;
        let field_action = match params.field {
            SecretField::TotpSeed => Action::RevealTotpSeed,
            _ => Action::Reveal,
        };
        let now = inner.now_ms();
        let decision = authz::check(caller.role, field_action).and_then(|()| {
            let entry = inner.entry_for(&caller, &params.platform)?;
            let grants = inner.caller_grants(ctx, &caller)?;
            authz::check_entry(caller.role, field_action, &entry.facts(), &grants, now)?;
            // Only now, for someone the entry is visible to, whether the version named is an older one.
            let action = authz::reveal_action(field_action, params.version, entry.version);
            authz::check(caller.role, action).map(|()| (entry, action))
        });
        let (entry, action) = match decision {
            Ok(entry) => entry,
            Err(err) if err.kind() != crate::ErrorKind::PermissionDenied => return Err(err),
            Err(denied) => {
                let detail = format!("field={} refused={denied}", params.field.name());
                return Err(inner
                    .audit_refused_reveal(ctx, &caller, params.platform.trim(), reason, detail, denied)
                    .await);
            }
        };
        let version = params.version.unwrap_or(entry.version);
        if version == 0 || version > entry.version {
            return Err(Error::NotFound(reasons::NO_VERSION));
        }
        let record = inner.version(&caller.open, &entry.id, version)?;
        let bytes = match params.field {
            SecretField::Password => &record.password,
            SecretField::Notes => &record.notes,
            SecretField::TotpSeed | SecretField::TotpCode => &record.totp_seed,
        };
        if bytes.is_empty() {
            return Err(Error::NotFound(reasons::NO_FIELD_IN_VERSION));
        }
        let (secret, valid_for_secs) = match params.field {
            // The platform account's current second-factor code, computed here from the seed (rotation.rs).
            SecretField::TotpCode => crate::rotation::totp_code(bytes, now)?,
            _ => (SecretBytes::new(bytes.clone()), None),
        };
        drop(record);
        // The two-person rule for very confidential entries (approvals.rs); reads nothing for other reveals.
        let approval = inner.approval_gate(ctx, &caller, &entry, action, &params, &reason).await?;
        // What was seen, for offboarding: a secret field's version, or 0 for the platform's current code only.
        let seen = if params.field == SecretField::TotpCode { 0 } else { version };
        let mut event = inner.event(ctx, &caller.name, "reveal", &entry.platform, Outcome::Success);
        event.reason = reason;
        event.detail = format!("field={} version={version}", params.field.name());
        if let Some(approval) = approval {
            event.detail.push_str(&format!(" approval={approval}"));
        }
        let audit_seq = inner.audit_reveal(&caller.open, (&caller.person, &entry.id, seen), event).await?;
        Ok(Revealed { secret, version, audit_seq, valid_for_secs })
    }
}

impl Inner {
    /// The entry `platform` for `caller`: for a non-owner, one that does not exist is refused as one no grant
    /// covers, so that names cannot be probed.
    pub(crate) fn entry_for(&self, caller: &crate::vault::Caller, platform: &str) -> Result<Arc<EntryRecord>> {
        match self.entry_ref(&caller.open, platform) {
            Err(Error::NotFound(_)) if !caller.role.is_owner() => Err(authz::not_covered()),
            other => other,
        }
    }

    /// The entry `platform`, if `caller` may do `action` on it (for a non-owner, a live grant must cover it); a
    /// refusal is audited as `action` on that name.
    pub(crate) async fn entry_allowed(
        &self,
        ctx: &RequestContext,
        caller: &crate::vault::Caller,
        action: Action,
        platform: &str,
        now: i64,
    ) -> Result<Arc<EntryRecord>> {
        let found = self.entry_for(caller, platform).and_then(|entry| {
            let grants = self.caller_grants(ctx, caller)?;
            authz::check_entry(caller.role, action, &entry.facts(), &grants, now).map(|()| entry)
        });
        match found {
            Err(err) if err.kind() == crate::ErrorKind::PermissionDenied => {
                Err(self.audit_denial(ctx, caller, action, platform.trim(), err).await)
            }
            other => other,
        }
    }

    /// Finds an entry by platform name: in the entry cache, or, when it is not there, through the keyed index (so
    /// a record that does not open is reported as such, naming it, rather than as missing).
    pub(crate) fn entry_ref(&self, open: &Open, platform: &str) -> Result<Arc<EntryRecord>> {
        let platform = validate::name(crate::problems::PLATFORM, platform)?;
        match self.with_entries(open, |cache| cache.get(&platform).cloned())? {
            Some(entry) => Ok(entry),
            None => self.entry_from_index(open, &platform).map(Arc::new),
        }
    }

    /// Loads an entry by id; `None` if there is none.
    pub(crate) fn entry_by_id(&self, open: &Open, id: &Id) -> Result<Option<EntryRecord>> {
        let Some(sealed) = self.store.get(&records::key(records::ENTRY, id))? else { return Ok(None) };
        open_entry(open, id, &sealed).map(Some)
    }

    /// Finds an entry by platform name (a copy, to change).
    pub(crate) fn entry_by_name(&self, open: &Open, platform: &str) -> Result<EntryRecord> {
        self.entry_ref(open, platform).map(Arc::unwrap_or_clone)
    }

    /// Finds an entry by platform name through the keyed index.
    fn entry_from_index(&self, open: &Open, platform: &str) -> Result<EntryRecord> {
        let id = self
            .find_by_name(open, records::ENTRY_INDEX, IndexDomain::Platform, platform)?
            .ok_or(Error::NotFound(reasons::NO_ENTRY))?;
        let sealed = self.store.get(&records::key(records::ENTRY, &id))?.ok_or(Error::NotFound(reasons::NO_ENTRY))?;
        open_entry(open, &id, &sealed)
    }

    /// Loads one version of an entry's secret fields.
    pub(crate) fn version(&self, open: &Open, entry: &Id, version: u32) -> Result<VersionRecord> {
        let key = records::version_key(entry, version);
        let sealed =
            self.sealed_version(open, &key)?.ok_or_else(|| Error::Corrupt(format!("version {version} is missing")))?;
        records::open(
            &open.entries_key,
            &open.vault_id,
            RecordKind::EntryVersion,
            &key[2..],
            u64::from(version),
            &sealed,
        )
    }
}

/// Checks a new entry and makes its record and first version.
pub(crate) fn new_entry(
    now: i64,
    created_by: &str,
    entry: NewEntry,
    secrets: &Secrets,
) -> Result<(EntryRecord, VersionRecord)> {
    let platform = validate::name(crate::problems::PLATFORM, &entry.platform)?;
    validate::secret(crate::problems::PASSWORD, secrets.password.expose_secret(), true, MAX_PASSWORD_BYTES)?;
    let totp = secrets.totp_seed.as_ref().map(|s| s.expose_secret()).unwrap_or_default();
    let notes = secrets.notes.as_ref().map(|s| s.expose_secret()).unwrap_or_default();
    validate::totp_seed(totp)?;
    validate::secret(crate::problems::NOTES, notes, false, MAX_NOTES_BYTES)?;
    let record = EntryRecord {
        id: records::new_id()?,
        platform,
        category: entry.category,
        url: validate::text(crate::problems::URL, entry.url.trim(), MAX_TEXT_CHARS)?,
        login: validate::text(crate::problems::LOGIN, &entry.login, MAX_TEXT_CHARS)?,
        recovery_contacts: validate::list(crate::problems::RECOVERY_CONTACT, &entry.recovery_contacts, MAX_TEXT_CHARS)?,
        classification: entry.classification.unwrap_or(Classification::Restricted),
        lifecycle: entry.lifecycle.unwrap_or(Lifecycle::Active),
        tags: validate::list(crate::problems::TAG, &entry.tags, MAX_TAG_CHARS)?,
        version: 1,
        has_totp: !totp.is_empty(),
        has_notes: !notes.is_empty(),
        created_ms: now,
        updated_ms: now,
        rotation_due: None,
    };
    let mut changed = vec![SecretField::Password];
    changed.extend(record.has_totp.then_some(SecretField::TotpSeed));
    changed.extend(record.has_notes.then_some(SecretField::Notes));
    let version = VersionRecord {
        version: 1,
        created_ms: now,
        created_by: created_by.to_owned(),
        changed,
        password: secrets.password.expose_secret().to_vec(),
        totp_seed: totp.to_vec(),
        notes: notes.to_vec(),
    };
    Ok((record, version))
}

impl Inner {
    /// Adds a new entry's record, first version and name index to `batch`; refuses a platform name already used.
    /// The caller holds the write lock.
    pub(crate) fn add_entry(
        &self,
        open: &Open,
        batch: &mut Batch,
        record: &EntryRecord,
        version: &VersionRecord,
    ) -> Result<()> {
        let index =
            records::key(records::ENTRY_INDEX, &lookup_id(&open.index_key, IndexDomain::Platform, &record.platform));
        if self.store.get(&index)?.is_some() {
            return Err(Error::Exists(reasons::ENTRY_EXISTS));
        }
        put_entry(open, batch, record)?;
        put_version(open, batch, &record.id, version)?;
        batch.insert(index, record.id.to_vec());
        Ok(())
    }
}

/// Opens a sealed entry record (metadata only: the secret fields are in versions).
pub(crate) fn open_entry(open: &Open, id: &[u8], sealed: &[u8]) -> Result<EntryRecord> {
    records::open_entry(&open.entries_key, &open.vault_id, id, sealed)
}

pub(crate) fn put_entry(open: &Open, batch: &mut Batch, entry: &EntryRecord) -> Result<()> {
    batch.insert(
        records::key(records::ENTRY, &entry.id),
        records::seal_entry(&open.entries_key, &open.vault_id, entry)?,
    );
    Ok(())
}

pub(crate) fn put_version(open: &Open, batch: &mut Batch, entry: &Id, version: &VersionRecord) -> Result<()> {
    let key = records::version_key(entry, version.version);
    let sealed = records::seal(
        &open.entries_key,
        &open.vault_id,
        RecordKind::EntryVersion,
        &key[2..],
        u64::from(version.version),
        version,
    )?;
    batch.insert(key, sealed);
    Ok(())
}
