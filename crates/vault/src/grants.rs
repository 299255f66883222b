//! Grants: a person's access to one entry or one category, for a stated task, until an expiry (required, at most
//! the configured maximum). Whether a grant covers an entry is decided by `authz::covers` at every call, against
//! the clock, so an expired grant stops working the moment it expires; its expiry is recorded in the audit log the
//! first time it is seen expired.

use std::sync::Arc;

use coffre_crypto::{
    index::{IndexDomain, lookup_id},
    record::RecordKind,
};
use coffre_store::Batch;

use crate::reasons;
use crate::{
    Error, Result,
    audit::{NewEvent, Outcome},
    authz::{self, Action, GrantTarget},
    clock::{from_millis, unix_millis},
    model::*,
    people::hex,
    records::{self, GrantRecord, Id, Revocation, StoredScope},
    validate,
    vault::{Caller, Inner, Open, Vault},
};

impl Vault {
    /// Grants `grant.person` access to one entry or one category until `grant.until`, for `grant.task`.
    pub async fn add_grant(&self, ctx: &RequestContext, grant: NewGrant) -> Result<GrantView> {
        let inner = &self.inner;
        let caller = inner.authenticate(ctx)?;
        if let Err(denied) = authz::check(caller.role, Action::AddGrant) {
            return Err(inner.audit_denial(ctx, &caller, Action::AddGrant, grant.person.trim(), denied).await);
        }
        let open = &caller.open;
        let task = validate::task(&grant.task)?;
        let name = validate::name(crate::problems::PERSON, &grant.person)?;
        let person = self.person_by_name(open, &name)?.ok_or(Error::NotFound(reasons::NO_PERSON))?;
        let (scope, target) = match &grant.scope {
            Scope::Entry(platform) => match inner.entry_by_name(open, platform) {
                Ok(entry) => (Some(StoredScope::Entry(entry.id)), GrantTarget::Entry(entry.classification)),
                Err(Error::NotFound(_)) => (None, GrantTarget::MissingEntry),
                Err(err) => return Err(err),
            },
            Scope::Category(category) => (Some(StoredScope::Category(*category)), GrantTarget::Category),
        };
        let ceiling = match authz::check_grant(caller.role, person.role, target) {
            Ok(ceiling) => ceiling,
            Err(Error::Denied(denied)) => {
                return Err(inner
                    .audit_denial(ctx, &caller, Action::AddGrant, &person.name, Error::Denied(denied))
                    .await);
            }
            Err(err) => return Err(err),
        };
        // Only once the policy allows a grant to this person: an access manager, who sees members only, learns
        // nothing of whether an owner, an auditor or another access manager was offboarded.
        if person.disabled {
            return Err(Error::WrongState(reasons::OFFBOARDED_NO_GRANT));
        }
        let scope = scope.ok_or_else(|| Error::Internal("a grant's missing entry passed the policy".into()))?;
        let now = inner.now_ms();
        let expires_ms = match grant.until {
            GrantUntil::At(at) => unix_millis(at),
            GrantUntil::For(duration) => now.saturating_add(i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)),
        };
        let max_ms = i64::try_from(inner.config.max_grant_duration.as_millis()).unwrap_or(i64::MAX);
        if expires_ms <= now {
            return Err(Error::invalid(crate::problems::EXPIRY, crate::Problem::ExpiryPast));
        }
        if expires_ms - now > max_ms {
            // A refusal of the policy's limit, audited like the other refusals of a grant.
            let days = u64::try_from(max_ms / (24 * 3600 * 1000)).unwrap_or(0);
            let too_long = Error::invalid(crate::problems::EXPIRY, crate::Problem::ExpiryTooFar { days });
            return Err(inner.audit_denial(ctx, &caller, Action::AddGrant, &person.name, too_long).await);
        }
        let record = GrantRecord {
            id: records::new_id()?,
            person: person.id,
            person_name: person.name.clone(),
            scope,
            ceiling,
            task,
            created_ms: now,
            expires_ms,
            granted_by: caller.name.clone(),
            granted_by_id: caller.person,
            revoked: None,
            expiry_audited: false,
        };
        let view = inner.grant_view(open, &record, now)?;
        let _writes = inner.writes.lock().await;
        let mut batch = Batch::default();
        put_grant(open, &mut batch, &record)?;
        let mut event = inner.event(ctx, &caller.name, "grant.add", &person.name, Outcome::Success);
        event.reason = record.task.clone();
        event.detail = format!("grant={} {} expires_ms={expires_ms}", hex(&record.id), scope_detail(&view.scope));
        inner.commit(event, batch).await?;
        Ok(view)
    }

    /// The grants the caller may see, oldest first: owners all, others those they hold or made.
    pub fn list_grants(&self, ctx: &RequestContext) -> Result<Vec<GrantView>> {
        let inner = &self.inner;
        let caller = inner.authorize(ctx, Action::ListGrants)?;
        let now = inner.now_ms();
        let mut grants: Vec<GrantRecord> = inner
            .all_grants(&caller.open)?
            .into_iter()
            .filter(|g| authz::may_see_grant(caller.role, &caller.person, g))
            .collect();
        inner.note_expiries(ctx, &caller.open, &grants, now);
        grants.sort_by_key(|g| (g.created_ms, g.id));
        grants.iter().map(|g| inner.grant_view(&caller.open, g, now)).collect()
    }

    /// Revokes a grant at once, by id or an unambiguous prefix of at least 8 hex characters. Owners revoke any
    /// grant, an access manager those it made.
    pub async fn revoke_grant(&self, ctx: &RequestContext, id: &str) -> Result<GrantView> {
        let inner = &self.inner;
        let caller = inner.authenticate(ctx)?;
        let prefix = id.trim().to_lowercase();
        if let Err(denied) = authz::check(caller.role, Action::RevokeGrant) {
            return Err(inner.audit_denial(ctx, &caller, Action::RevokeGrant, &prefix, denied).await);
        }
        let prefix = validate::id_prefix(
            crate::problems::GRANT_ID,
            &prefix,
            crate::Problem::NotAnId { command: "coffre grant list".into() },
        )?;
        let open = &caller.open;
        let _writes = inner.writes.lock().await;
        let mut found: Vec<GrantRecord> = inner
            .open_by_id_prefix(records::GRANT, &prefix, &open.people_key, &open.vault_id, RecordKind::Grant)?
            .into_iter()
            .filter(|g| authz::may_see_grant(caller.role, &caller.person, g))
            .collect();
        let mut grant = match (found.pop(), found.is_empty()) {
            (None, _) => return Err(Error::NotFound(reasons::NO_GRANT)),
            (Some(grant), true) => grant,
            (Some(_), false) => {
                return Err(Error::invalid(crate::problems::GRANT_ID, crate::Problem::AmbiguousGrantId));
            }
        };
        if let Err(denied) = authz::check_revoke(caller.role, &caller.person, &grant) {
            return Err(inner.audit_denial(ctx, &caller, Action::RevokeGrant, &grant.person_name, denied).await);
        }
        if grant.revoked.is_some() {
            return Err(Error::WrongState(reasons::GRANT_REVOKED_ALREADY));
        }
        let now = inner.now_ms();
        grant.revoked = Some(Revocation { at_ms: now, by: caller.name.clone(), why: "revoked".into() });
        let mut batch = Batch::default();
        put_grant(open, &mut batch, &grant)?;
        let mut event = inner.event(ctx, &caller.name, "grant.revoke", &grant.person_name, Outcome::Success);
        event.reason = grant.task.clone();
        event.detail = format!("grant={}", hex(&grant.id));
        inner.commit(event, batch).await?;
        inner.grant_view(open, &grant, now)
    }
}

impl Inner {
    /// The grants held by the caller (live or not), for `authz::check_entry`. Expiries seen here for the first
    /// time are recorded in the audit log.
    pub(crate) fn caller_grants(&self, ctx: &RequestContext, caller: &Caller) -> Result<Arc<Vec<GrantRecord>>> {
        if caller.role.is_owner() {
            return Ok(Arc::default());
        }
        let open = &caller.open;
        let grants = self.cached_grants(open, &caller.person, || self.grants_of(open, &caller.person))?;
        self.note_expiries(ctx, &caller.open, &grants, self.now_ms());
        Ok(grants)
    }

    /// Every grant held by `person`, through the keyed index. A grant that does not open is logged and left out
    /// (so it covers nothing: deny by default).
    pub(crate) fn grants_of(&self, open: &Open, person: &Id) -> Result<Vec<GrantRecord>> {
        let prefix = holder_prefix(open, person);
        let mut grants = Vec::new();
        for item in self.store.scan_prefix(&prefix) {
            let (key, _) = item?;
            let Some(id) = key.get(prefix.len()..) else { continue };
            match self.grant(open, id) {
                Ok(Some(grant)) if grant.person == *person => grants.push(grant),
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "skipping a grant that does not open"),
            }
        }
        Ok(grants)
    }

    fn grant(&self, open: &Open, id: &[u8]) -> Result<Option<GrantRecord>> {
        let Some(sealed) = self.store.get(&records::key(records::GRANT, id))? else { return Ok(None) };
        records::open(&open.people_key, &open.vault_id, RecordKind::Grant, id, 0, &sealed).map(Some)
    }

    fn all_grants(&self, open: &Open) -> Result<Vec<GrantRecord>> {
        let mut grants = Vec::new();
        for item in self.store.scan_prefix(records::GRANT) {
            let (key, sealed) = item?;
            let id = &key[records::GRANT.len()..];
            match records::open(&open.people_key, &open.vault_id, RecordKind::Grant, id, 0, &sealed) {
                Ok(grant) => grants.push(grant),
                Err(err) => tracing::error!(error = %err, "skipping a grant that does not open"),
            }
        }
        Ok(grants)
    }

    /// Records "grant.expire" for each grant seen expired for the first time, in the background: the caller never
    /// waits for it. Each expiry is a change (the grant's `expiry_audited` flag) made with its event under the write
    /// lock; a grant another call recorded meanwhile is skipped.
    fn note_expiries(&self, ctx: &RequestContext, open: &Arc<Open>, grants: &[GrantRecord], now: i64) {
        let expired = |g: &GrantRecord| g.revoked.is_none() && !g.expiry_audited && now >= g.expires_ms;
        let due: Vec<(Id, NewEvent)> = grants
            .iter()
            .filter(|g| expired(g))
            .map(|g| {
                let mut event = self.event(ctx, "-", "grant.expire", &g.person_name, Outcome::Success);
                event.reason = g.task.clone();
                event.detail = format!("grant={}", hex(&g.id));
                (g.id, event)
            })
            .collect();
        if due.is_empty() {
            return;
        }
        let (Some(inner), Ok(runtime)) = (self.me.upgrade(), tokio::runtime::Handle::try_current()) else { return };
        let open = open.clone();
        runtime.spawn(async move {
            let _writes = inner.writes.lock().await;
            for (id, event) in due {
                // Read again under the lock: another call may have recorded it meanwhile.
                let Ok(Some(mut fresh)) = inner.grant(&open, &id) else { continue };
                if fresh.expiry_audited {
                    continue;
                }
                fresh.expiry_audited = true;
                let mut batch = Batch::default();
                if put_grant(&open, &mut batch, &fresh).is_err() {
                    continue;
                }
                if let Err(err) = inner.commit(event, batch).await {
                    tracing::error!(error = %err, "cannot record a grant's expiry");
                    return;
                }
            }
        });
    }

    fn grant_view(&self, open: &Open, grant: &GrantRecord, now: i64) -> Result<GrantView> {
        let scope = match grant.scope {
            StoredScope::Entry(id) => Scope::Entry(match self.entry_by_id(open, &id)? {
                Some(entry) => entry.platform,
                None => "(removed entry)".into(),
            }),
            StoredScope::Category(category) => Scope::Category(category),
        };
        let state = match (&grant.revoked, now >= grant.expires_ms) {
            (Some(_), _) => GrantState::Revoked,
            (None, true) => GrantState::Expired,
            (None, false) => GrantState::Live,
        };
        Ok(GrantView {
            id: hex(&grant.id),
            person: grant.person_name.clone(),
            scope,
            task: grant.task.clone(),
            granted_by: grant.granted_by.clone(),
            created: from_millis(grant.created_ms),
            expires: from_millis(grant.expires_ms),
            state,
        })
    }
}

/// Stores a grant and its holder index.
pub(crate) fn put_grant(open: &Open, batch: &mut Batch, grant: &GrantRecord) -> Result<()> {
    batch.insert(
        records::key(records::GRANT, &grant.id),
        records::seal(&open.people_key, &open.vault_id, RecordKind::Grant, &grant.id, 0, grant)?,
    );
    let mut index = holder_prefix(open, &grant.person);
    index.extend_from_slice(&grant.id);
    batch.insert(index, Vec::new());
    Ok(())
}

/// `i/g/` || MAC(person id): the prefix of a person's grant index.
fn holder_prefix(open: &Open, person: &Id) -> Vec<u8> {
    records::key(records::GRANT_INDEX, &lookup_id(&open.index_key, IndexDomain::GrantHolder, &hex(person)))
}

fn scope_detail(scope: &Scope) -> String {
    match scope {
        Scope::Entry(platform) => format!("entry={platform}"),
        Scope::Category(category) => format!("category={category:?}"),
    }
}
