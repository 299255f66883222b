//! A bulk path for `coffre-bench`'s scale phase (feature `bulk`): many entries and audit events at once, through
//! the same checks, record sealing, audit log and store as one-at-a-time calls, but with one store batch and one
//! set of group commits per chunk. The daemon never exposes it.

use coffre_store::Batch;

use crate::{
    Result,
    audit::Outcome,
    authz::Action,
    entries::new_entry,
    model::{NewEntry, RequestContext, Secrets},
    vault::Vault,
};

impl Vault {
    /// Adds `entries`, each with its own `entry.create` event, all durable before they are applied. Owners only.
    /// Returns how many were added.
    pub async fn bulk_create_entries(&self, ctx: &RequestContext, entries: Vec<(NewEntry, Secrets)>) -> Result<usize> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::CreateEntry, "bulk").await?;
        let now = inner.now_ms();
        let _writes = inner.writes.lock().await;
        let mut batch = Batch::default();
        let mut events = Vec::with_capacity(entries.len());
        for (entry, secrets) in entries {
            let (record, version) = new_entry(now, &caller.name, entry, &secrets)?;
            inner.add_entry(&caller.open, &mut batch, &record, &version)?;
            let mut event = inner.event(ctx, &caller.name, "entry.create", &record.platform, Outcome::Success);
            event.detail = "version=1 bulk=1".into();
            events.push(event);
        }
        let added = events.len();
        // The batch goes into the log with the last event, once the events before it are durable.
        let Some(last) = events.pop() else { return Ok(0) };
        inner.audit.append_many(events, now).await?;
        inner.commit(last, batch).await?;
        Ok(added)
    }

    /// Appends `count` filler events (action `bench.fill`, shaped like a reveal's) to the audit log and waits
    /// until they are durable. Owners only.
    pub async fn bulk_fill_audit(&self, ctx: &RequestContext, count: u64) -> Result<()> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::CreateEntry, "bulk").await?;
        let mut events = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
        for n in 0..count {
            let mut event =
                inner.event(ctx, &caller.name, "bench.fill", &format!("platform-{:06}", n % 100_000), Outcome::Success);
            event.reason = "coffre-bench: scale fill".into();
            event.detail = "field=password version=1".into();
            events.push(event);
        }
        inner.audit.append_many(events, inner.now_ms()).await?;
        Ok(())
    }
}
