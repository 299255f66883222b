//! The two-person rule for very confidential entries (DESIGN.md, "Authorisation"): a person who is not an owner
//! asks for an owner's approval, with a reason; an owner (never the requester) approves or denies it; an approved
//! request allows exactly one reveal of that entry by that person within the approval window (15 minutes by
//! default), on the vault's clock. A request nobody decides expires too (24 hours by default).
//!
//! The reveal uses the approval up under the engine's write lock, after an "approval.use" event is durable, so
//! that of two concurrent reveals exactly one gets through. The approval is spent even if the reveal then fails
//! (audit log unavailable): failing closed costs a new request, never a second reveal. Reveals of entries that are
//! not very confidential, and reveals by owners, read nothing here ([`crate::authz::needs_approval`]).

use coffre_crypto::{
    index::{IndexDomain, lookup_id},
    record::RecordKind,
};
use coffre_store::Batch;

use crate::reasons;
use crate::{
    Error, Result,
    audit::Outcome,
    authz::{self, Action},
    clock::from_millis,
    model::*,
    people::hex,
    records::{self, ApprovalRecord, EntryRecord, Id, StoredApproval},
    validate,
    vault::{Caller, Inner, Open, Vault},
};

impl Vault {
    /// Asks for an owner's approval to reveal the very confidential entry `platform` once. The caller needs a live
    /// grant on it; owners need no approval; a request that is pending or approved and unused already is enough.
    pub async fn request_approval(&self, ctx: &RequestContext, platform: &str, reason: &str) -> Result<ApprovalView> {
        let inner = &self.inner;
        let caller = inner.authenticate(ctx)?;
        let denied = |refused| inner.audit_denial(ctx, &caller, Action::RequestApproval, platform.trim(), refused);
        if let Err(refused) = authz::check(caller.role, Action::RequestApproval) {
            return Err(denied(refused).await);
        }
        let reason = validate::statement(crate::problems::REASON, reason, crate::Problem::RequestReasonRequired)?;
        let open = &caller.open;
        let now = inner.now_ms();
        let entry = inner.entry_allowed(ctx, &caller, Action::RequestApproval, platform, now).await?;
        if caller.role.is_owner() {
            return Err(Error::WrongState(reasons::APPROVAL_NOT_NEEDED_FOR_OWNERS));
        }
        if entry.classification != Classification::VeryConfidential {
            return Err(Error::WrongState(reasons::APPROVAL_NOT_NEEDED));
        }
        let _writes = inner.writes.lock().await;
        let open_request = inner.approvals_of(open, &caller.person)?.into_iter().any(|a| {
            a.entry == entry.id && matches!(a.state_at(now), ApprovalState::Pending | ApprovalState::Approved)
        });
        if open_request {
            return Err(Error::Exists(reasons::APPROVAL_ALREADY_ASKED));
        }
        let ttl_ms = i64::try_from(inner.config.approval_request_ttl.as_millis()).unwrap_or(i64::MAX);
        let record = ApprovalRecord {
            id: records::new_id()?,
            person: caller.person,
            person_name: caller.name.clone(),
            entry: entry.id,
            reason,
            created_ms: now,
            state: StoredApproval::Pending,
            decided_by: None,
            decided_ms: None,
            decision_reason: String::new(),
            expires_ms: now.saturating_add(ttl_ms),
            used_ms: None,
        };
        let mut batch = Batch::default();
        put_approval(open, &mut batch, &record)?;
        let mut event = inner.event(ctx, &caller.name, "approval.request", &entry.platform, Outcome::Success);
        event.reason = record.reason.clone();
        event.detail = format!("approval={}", hex(&record.id));
        inner.commit(event, batch).await?;
        Ok(view(&record, &entry.platform, now))
    }

    /// Requests for approval, oldest first: owners see the pending ones (all of them with `include_decided`);
    /// others see their own, whatever their state.
    pub fn list_approvals(&self, ctx: &RequestContext, include_decided: bool) -> Result<Vec<ApprovalView>> {
        let inner = &self.inner;
        let caller = inner.authorize(ctx, Action::ListApprovals)?;
        let open = &caller.open;
        let now = inner.now_ms();
        let mut approvals: Vec<ApprovalRecord> = if caller.role.is_owner() {
            inner.all_approvals(open)?
        } else {
            inner.approvals_of(open, &caller.person)?
        };
        approvals.retain(|a| {
            authz::may_see_approval(caller.role, &caller.person, a)
                && (include_decided || !caller.role.is_owner() || a.state_at(now) == ApprovalState::Pending)
        });
        approvals.sort_by_key(|a| (a.created_ms, a.id));
        approvals.iter().map(|a| Ok(view(a, &inner.platform_of(open, &a.entry)?, now))).collect()
    }

    /// Approves (`approve`) or denies a pending request, by id or an unambiguous prefix of at least 8 hex
    /// characters. Owners only, never their own request. An approval allows one reveal within the window.
    pub async fn decide_approval(
        &self,
        ctx: &RequestContext,
        id: &str,
        approve: bool,
        reason: &str,
    ) -> Result<ApprovalView> {
        let inner = &self.inner;
        let caller = inner.authenticate(ctx)?;
        let prefix = id.trim().to_lowercase();
        if let Err(denied) = authz::check(caller.role, Action::DecideApproval) {
            return Err(inner.audit_denial(ctx, &caller, Action::DecideApproval, &prefix, denied).await);
        }
        let prefix = validate::id_prefix(
            crate::problems::REQUEST_ID,
            &prefix,
            crate::Problem::NotAnId { command: "coffre approval list".into() },
        )?;
        let reason = validate::text(crate::problems::REASON, reason.trim(), validate::MAX_REASON_CHARS)?;
        let open = &caller.open;
        let _writes = inner.writes.lock().await;
        let mut found: Vec<ApprovalRecord> = inner.open_by_id_prefix(
            records::APPROVAL,
            &prefix,
            &open.people_key,
            &open.vault_id,
            RecordKind::Approval,
        )?;
        let mut approval = match (found.pop(), found.is_empty()) {
            (None, _) => return Err(Error::NotFound(reasons::NO_REQUEST)),
            (Some(approval), true) => approval,
            (Some(_), false) => {
                return Err(Error::invalid(crate::problems::REQUEST_ID, crate::Problem::AmbiguousRequestId));
            }
        };
        let platform = inner.platform_of(open, &approval.entry)?;
        if let Err(denied) = authz::check_decide(caller.role, &caller.person, &approval) {
            return Err(inner.audit_denial(ctx, &caller, Action::DecideApproval, &platform, denied).await);
        }
        let now = inner.now_ms();
        match approval.state_at(now) {
            ApprovalState::Pending => {}
            ApprovalState::Expired => {
                return Err(Error::WrongState(reasons::APPROVAL_EXPIRED));
            }
            _ => return Err(Error::WrongState(reasons::APPROVAL_DECIDED_ALREADY)),
        }
        let window_ms = i64::try_from(inner.config.approval_window.as_millis()).unwrap_or(i64::MAX);
        approval.state = if approve { StoredApproval::Approved } else { StoredApproval::Denied };
        approval.decided_by = Some(caller.name.clone());
        approval.decided_ms = Some(now);
        approval.decision_reason = reason;
        if approve {
            approval.expires_ms = now.saturating_add(window_ms);
        }
        let mut batch = Batch::default();
        put_approval(open, &mut batch, &approval)?;
        let action = if approve { "approval.approve" } else { "approval.deny" };
        // The entry is the target, as for the request and the reveal it allows, so that filtering the log by
        // entry shows the whole story; the requester is in the detail.
        let mut event = inner.event(ctx, &caller.name, action, &platform, Outcome::Success);
        event.reason = approval.decision_reason.clone();
        event.detail = format!(
            "approval={} requester={} expires_ms={}",
            hex(&approval.id),
            approval.person_name,
            approval.expires_ms
        );
        inner.commit(event, batch).await?;
        Ok(view(&approval, &platform, now))
    }
}

impl Inner {
    /// The two-person rule at reveal time. For a reveal that needs no approval, returns `None` without reading
    /// anything. Otherwise uses up the caller's usable approval for `entry` (its "approval.use" event durable
    /// first) and returns its id; or records the refused reveal and returns the refusal.
    pub(crate) async fn approval_gate(
        &self,
        ctx: &RequestContext,
        caller: &Caller,
        entry: &EntryRecord,
        action: Action,
        params: &RevealParams,
        reason: &str,
    ) -> Result<Option<String>> {
        if !authz::needs_approval(caller.role, action, &entry.facts()) {
            return Ok(None);
        }
        let open = &caller.open;
        let _writes = self.writes.lock().await;
        let now = self.now_ms();
        let approvals = self.approvals_of(open, &caller.person)?;
        let mut approval = match authz::usable_approval(&approvals, &caller.person, &entry.id, now) {
            Ok(approval) => approval.clone(),
            Err(denied) => {
                let detail = format!("field={} refused={denied}", params.field.name());
                return Err(self
                    .audit_refused_reveal(ctx, caller, &entry.platform, reason.to_owned(), detail, denied)
                    .await);
            }
        };
        approval.state = StoredApproval::Used;
        approval.used_ms = Some(now);
        let id = hex(&approval.id);
        let mut batch = Batch::default();
        put_approval(open, &mut batch, &approval)?;
        let mut event = self.event(ctx, &caller.name, "approval.use", &entry.platform, Outcome::Success);
        event.reason = reason.to_string();
        event.detail = format!("approval={id} approved_by={}", approval.decided_by.as_deref().unwrap_or("-"));
        self.commit(event, batch).await?;
        Ok(Some(id))
    }

    /// Every request made by `person`, through the keyed index. One that does not open is logged and left out
    /// (so it allows nothing: deny by default).
    fn approvals_of(&self, open: &Open, person: &Id) -> Result<Vec<ApprovalRecord>> {
        let prefix = requester_prefix(open, person);
        let mut approvals = Vec::new();
        for item in self.store.scan_prefix(&prefix) {
            let (key, _) = item?;
            let Some(id) = key.get(prefix.len()..) else { continue };
            let Some(sealed) = self.store.get(&records::key(records::APPROVAL, id))? else { continue };
            match records::open::<ApprovalRecord>(
                &open.people_key,
                &open.vault_id,
                RecordKind::Approval,
                id,
                0,
                &sealed,
            ) {
                Ok(approval) if approval.person == *person => approvals.push(approval),
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "skipping a request for approval that does not open"),
            }
        }
        Ok(approvals)
    }

    fn all_approvals(&self, open: &Open) -> Result<Vec<ApprovalRecord>> {
        let mut approvals = Vec::new();
        for item in self.store.scan_prefix(records::APPROVAL) {
            let (key, sealed) = item?;
            let id = &key[records::APPROVAL.len()..];
            match records::open(&open.people_key, &open.vault_id, RecordKind::Approval, id, 0, &sealed) {
                Ok(approval) => approvals.push(approval),
                Err(err) => tracing::error!(error = %err, "skipping a request for approval that does not open"),
            }
        }
        Ok(approvals)
    }

    /// The current name of an entry, for listings.
    fn platform_of(&self, open: &Open, entry: &Id) -> Result<String> {
        let name = self.with_entries(open, |cache| cache.by_id(entry).map(|e| e.platform.clone()))?;
        Ok(name.unwrap_or_else(|| "(removed entry)".to_owned()))
    }
}

fn view(approval: &ApprovalRecord, platform: &str, now_ms: i64) -> ApprovalView {
    ApprovalView {
        id: hex(&approval.id),
        requester: approval.person_name.clone(),
        platform: platform.to_owned(),
        reason: approval.reason.clone(),
        created: from_millis(approval.created_ms),
        state: approval.state_at(now_ms),
        decided_by: approval.decided_by.clone(),
        decided: approval.decided_ms.map(from_millis),
        decision_reason: approval.decision_reason.clone(),
        expires: from_millis(approval.expires_ms),
    }
}

/// Stores a request and its requester index.
fn put_approval(open: &Open, batch: &mut Batch, approval: &ApprovalRecord) -> Result<()> {
    batch.insert(
        records::key(records::APPROVAL, &approval.id),
        records::seal(&open.people_key, &open.vault_id, RecordKind::Approval, &approval.id, 0, approval)?,
    );
    let mut index = requester_prefix(open, &approval.person);
    index.extend_from_slice(&approval.id);
    batch.insert(index, Vec::new());
    Ok(())
}

/// `i/a/` || MAC(person id): the prefix of a person's request index.
fn requester_prefix(open: &Open, person: &Id) -> Vec<u8> {
    records::key(records::APPROVAL_INDEX, &lookup_id(&open.index_key, IndexDomain::ApprovalHolder, &hex(person)))
}
