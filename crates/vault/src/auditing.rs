//! Reading the audit log: a filtered, paged listing, and the export that an auditor verifies offline.
//! Owners and auditors only; members see nothing of the log.

use std::{path::PathBuf, sync::Arc};

use coffre_audit::{SignedHead, export};

use crate::{
    Error, Result,
    audit::{AuditEvent, AuditKeys, Outcome, read::Events},
    authz::Action,
    clock::unix_millis,
    model::{AuditFilter, AuditPage, RequestContext},
    vault::Vault,
};

/// Most events one page may hold.
pub const MAX_PAGE: u32 = 500;
/// Events per page when the caller does not say.
pub const DEFAULT_PAGE: u32 = 100;

impl Vault {
    /// Events after `filter.after_seq` that match every given filter, oldest first, at most `filter.limit`.
    /// `next_after_seq` is set when more may follow.
    pub async fn list_audit(&self, ctx: &RequestContext, filter: AuditFilter) -> Result<AuditPage> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::ReadAudit, "").await?;
        let limit = match filter.limit {
            0 => DEFAULT_PAGE,
            n if n > MAX_PAGE => {
                return Err(Error::invalid(
                    crate::problems::LIMIT,
                    crate::Problem::TooManyEvents { max: MAX_PAGE.into() },
                ));
            }
            n => n,
        } as usize;
        let dir = inner.audit.dir().to_path_buf();
        // Everything recorded before this listing is in it, including the events written without waiting (a refused
        // read, a wrong enrolment code): an auditor who looks right after an incident sees it.
        let written = inner.audit.written_through().await?;
        let keys = caller.open.audit_keys.clone();
        tokio::task::spawn_blocking(move || scan(&dir, keys, written, &filter, limit))
            .await
            .map_err(|e| Error::Internal(format!("audit listing failed: {e}")))?
    }

    /// Records the export as an event, signs the head that covers it, and hands back the export's lines to be
    /// streamed: the export line, every event from 1 to the head, and the head.
    pub async fn export_audit(&self, ctx: &RequestContext) -> Result<AuditExport> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::ExportAudit, "").await?;
        let seq = inner.audit(inner.event(ctx, &caller.name, "audit.export", "", Outcome::Success)).await?;
        let head = inner.audit.sign_head().await?;
        if head.head.seq < seq {
            return Err(Error::Internal("the signed head does not cover the export event".into()));
        }
        Ok(AuditExport {
            dir: inner.audit.dir().to_path_buf(),
            keys: caller.open.audit_keys.clone(),
            head,
            exported_at_ms: inner.now_ms(),
        })
    }
}

fn scan(
    dir: &std::path::Path,
    keys: Arc<AuditKeys>,
    written: u64,
    filter: &AuditFilter,
    limit: usize,
) -> Result<AuditPage> {
    let since = filter.since.map(unix_millis);
    let until = filter.until.map(unix_millis);
    let mut events = Vec::new();
    for item in Events::new(dir, keys, filter.after_seq.saturating_add(1), written)? {
        let event = item?.event;
        if matches(&event, filter, since, until) {
            if events.len() == limit {
                let next_after_seq = events.last().map(|e: &AuditEvent| e.seq);
                return Ok(AuditPage { events, next_after_seq });
            }
            events.push(event);
        }
    }
    Ok(AuditPage { events, next_after_seq: None })
}

fn matches(event: &AuditEvent, filter: &AuditFilter, since: Option<i64>, until: Option<i64>) -> bool {
    let same = |wanted: &Option<String>, value: &str| wanted.as_ref().is_none_or(|w| w.eq_ignore_ascii_case(value));
    // "entry" selects entry.create, entry.update and entry.archive.
    let action = filter.action.as_ref().is_none_or(|a| {
        event.action == *a || (event.action.starts_with(a.as_str()) && event.action[a.len()..].starts_with('.'))
    });
    same(&filter.actor, &event.actor)
        && action
        && same(&filter.target, &event.target)
        && since.is_none_or(|s| event.time_ms >= s)
        && until.is_none_or(|u| event.time_ms < u)
}

/// An export ready to be written out, line by line. Holds the audit keys until dropped.
pub struct AuditExport {
    dir: PathBuf,
    keys: Arc<AuditKeys>,
    head: SignedHead,
    exported_at_ms: i64,
}

impl std::fmt::Debug for AuditExport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditExport").field("events", &self.head.head.seq).finish_non_exhaustive()
    }
}

impl AuditExport {
    /// Number of events in the export.
    pub fn events(&self) -> u64 {
        self.head.head.seq
    }

    /// The export's lines (see `coffre_audit::export` for the schema), each ending in a newline. Reads the log
    /// from disk as it goes; a broken chain ends the export with an error naming the event.
    pub fn lines(self) -> Result<impl Iterator<Item = Result<String>>> {
        let first = export::render_export_line(&self.keys.vault.0, &self.keys.public_key(), self.exported_at_ms)
            .map_err(|e| Error::Internal(e.to_string()))?;
        let head = export::render_head_line(&self.head);
        let events = Events::new(&self.dir, self.keys, 1, self.head.head.seq)?.map(|item| {
            let chained = item?;
            export::render_event_line(&chained.event, &chained.prev_hash, &chained.hash)
                .map_err(|e| Error::Internal(format!("audit event {}: {e}", chained.event.seq)))
        });
        Ok(std::iter::once(Ok(first)).chain(events).chain(std::iter::once(Ok(head))))
    }
}
