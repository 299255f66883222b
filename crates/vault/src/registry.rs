//! The register of official accounts (the federal standard's inventory): every entry's platform, category, URL,
//! classification and lifecycle, with the dates of its lifecycle transitions and who made each, and never a
//! secret, a login or a note.
//!
//! Each entry's transitions (planned, active, archived) are kept in their own record beside the entry (`l/` id,
//! [`RecordKind::Lifecycle`]), written in the same batch as the change that makes them, so the entry's record and
//! its format are untouched. Entries made before these records existed have none until their next transition;
//! the register then shows their creation date alone.

use std::time::SystemTime;

use coffre_crypto::record::RecordKind;
use coffre_store::Batch;
use serde::{Deserialize, Serialize};

use crate::{
    Result,
    audit::Outcome,
    authz::Action,
    clock::from_millis,
    model::{Category, Classification, Lifecycle, RequestContext},
    records::{self, Id},
    vault::{Inner, Open, Vault},
};

/// Most transitions kept per entry; the oldest are dropped past it (a register needs the recent life of an
/// account, and a record must stay small).
const MAX_TRANSITIONS: usize = 64;

/// One lifecycle transition as stored.
#[derive(Clone, Serialize, Deserialize)]
struct StoredTransition {
    state: Lifecycle,
    at_ms: i64,
    by: String,
}

/// An entry's lifecycle transitions, oldest first.
#[derive(Clone, Default, Serialize, Deserialize)]
struct LifecycleRecord {
    transitions: Vec<StoredTransition>,
}

/// One lifecycle transition: into `state`, at `at`, by `by`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LifecycleTransition {
    /// The state entered.
    pub state: Lifecycle,
    /// When.
    pub at: SystemTime,
    /// Who made the change.
    pub by: String,
}

/// The register at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Registry {
    /// When it was made (the engine's clock).
    pub generated: SystemTime,
    /// Every entry, archived ones included, sorted by platform.
    pub entries: Vec<RegistryEntry>,
}

/// One line of the register. Holds no secret field, no login and no note.
#[derive(Clone, Debug, PartialEq)]
pub struct RegistryEntry {
    /// Platform name.
    pub platform: String,
    /// Category.
    pub category: Category,
    /// URL of the login page.
    pub url: String,
    /// Classification.
    pub classification: Classification,
    /// Current lifecycle state.
    pub lifecycle: Lifecycle,
    /// When the entry was created.
    pub created: SystemTime,
    /// Its lifecycle transitions, oldest first (empty for an entry made before they were recorded and not changed
    /// since).
    pub transitions: Vec<LifecycleTransition>,
    /// The account's recovery contacts, only when asked for by an owner.
    pub recovery_contacts: Option<Vec<String>>,
}

impl Inner {
    /// Adds "entered `state` at `at_ms` by `by`" to the transitions of entry `id`, in `batch`.
    pub(crate) fn note_transition(
        &self,
        open: &Open,
        batch: &mut Batch,
        id: &Id,
        state: Lifecycle,
        at_ms: i64,
        by: &str,
    ) -> Result<()> {
        let mut record = self.transitions(open, id)?.unwrap_or_default();
        record.transitions.push(StoredTransition { state, at_ms, by: by.to_owned() });
        if record.transitions.len() > MAX_TRANSITIONS {
            let extra = record.transitions.len() - MAX_TRANSITIONS;
            record.transitions.drain(..extra);
        }
        let sealed = records::seal(&open.entries_key, &open.vault_id, RecordKind::Lifecycle, id, 0, &record)?;
        batch.insert(records::key(records::LIFECYCLE, id), sealed);
        Ok(())
    }

    fn transitions_of(&self, open: &Open, id: &Id) -> Result<Vec<LifecycleTransition>> {
        let record = self.transitions(open, id)?.unwrap_or_default();
        Ok(record
            .transitions
            .into_iter()
            .map(|t| LifecycleTransition { state: t.state, at: from_millis(t.at_ms), by: t.by })
            .collect())
    }

    fn transitions(&self, open: &Open, id: &Id) -> Result<Option<LifecycleRecord>> {
        let Some(sealed) = self.store.get(&records::key(records::LIFECYCLE, id))? else { return Ok(None) };
        records::open(&open.entries_key, &open.vault_id, RecordKind::Lifecycle, id, 0, &sealed).map(Some)
    }
}

impl Vault {
    /// The register of official accounts, sorted by platform: owners and auditors (it holds no secret); recovery
    /// contacts (people's phone numbers and addresses) only for owners who ask. Audited as "registry.export".
    pub async fn registry(&self, ctx: &RequestContext, with_recovery_contacts: bool) -> Result<Registry> {
        let inner = &self.inner;
        let action = if with_recovery_contacts { Action::ExportRegistryContacts } else { Action::ExportRegistry };
        let caller = inner.authorize_audited(ctx, action, "").await?;
        let open = &caller.open;
        let entries = inner.with_entries(open, |cache| cache.after(None).cloned().collect::<Vec<_>>())?;
        let mut register = Vec::with_capacity(entries.len());
        for entry in entries {
            let transitions = inner.transitions_of(open, &entry.id)?;
            register.push(RegistryEntry {
                platform: entry.platform.clone(),
                category: entry.category,
                url: entry.url.clone(),
                classification: entry.classification,
                lifecycle: entry.lifecycle,
                created: from_millis(entry.created_ms),
                transitions,
                recovery_contacts: with_recovery_contacts.then(|| entry.recovery_contacts.clone()),
            });
        }
        let mut event = inner.event(ctx, &caller.name, "registry.export", "", Outcome::Success);
        event.detail = format!("entries={} recovery_contacts={with_recovery_contacts}", register.len());
        inner.audit(event).await?;
        Ok(Registry { generated: from_millis(inner.now_ms()), entries: register })
    }

    /// One entry's line of the register: its lifecycle transitions, oldest first, for whoever may read the register
    /// (owners and auditors), as an entry's page shows them. Not audited, as reading an entry's metadata is not;
    /// the register as a whole is.
    pub fn entry_transitions(&self, ctx: &RequestContext, platform: &str) -> Result<Vec<LifecycleTransition>> {
        let inner = &self.inner;
        let caller = inner.authorize(ctx, Action::ExportRegistry)?;
        let entry = inner.entry_for(&caller, platform)?;
        inner.transitions_of(&caller.open, &entry.id)
    }
}
