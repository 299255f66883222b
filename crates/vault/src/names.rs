//! Names people type (a person's, a platform's) are found through keyed lookup ids over their normalised form
//! (`coffre_crypto::index::normalise_name`: trimmed, NFKC, lower case). Indexes written before names were
//! normalised hold the older id (trimmed and lower-cased only); lookups fall back to it, and the first unseal moves
//! every such index to the new id, so nobody is locked out of their account and no entry goes missing. The batch
//! that moves them also writes [`NAMES_NORMALISED`], so that later unseals do not read every person and entry again
//! (at 100,000 entries that was most of an unseal); a vault made since has it from its init.

use coffre_crypto::{
    index::{IndexDomain, legacy_lookup_id, lookup_id},
    record::RecordKind,
};
use coffre_store::Batch;

use crate::{
    Result,
    audit::Outcome,
    model::RequestContext,
    records::{self, PersonRecord},
    vault::{Inner, Open},
};

/// Present once every index of the store is known to be over normalised names (written by init, or by the batch
/// that moved the older ones). Covered by the store's digest like every record.
pub(crate) const NAMES_NORMALISED: &[u8] = b"!names-normalised";

impl Inner {
    /// The id stored under the index of `name` in `domain` (`prefix` is the index's key prefix): the normalised
    /// name's, or else the id an index written before normalisation holds for the name exactly as typed.
    pub(crate) fn find_by_name(
        &self,
        open: &Open,
        prefix: &[u8],
        domain: IndexDomain,
        name: &str,
    ) -> Result<Option<Vec<u8>>> {
        let current = lookup_id(&open.index_key, domain, name);
        if let Some(id) = self.store.get(&records::key(prefix, &current))? {
            return Ok(Some(id));
        }
        let legacy = legacy_lookup_id(&open.index_key, domain, name);
        if legacy == current {
            return Ok(None);
        }
        Ok(self.store.get(&records::key(prefix, &legacy))?)
    }

    /// Moves every person and entry index written before names were normalised to the normalised name's id, in
    /// one audited batch. Called once the vault is unsealed; a failure is logged and changes nothing (lookups
    /// still fall back to the older ids). Two old names that normalise to the same one (e.g. "Ｆacebook" and
    /// "Facebook") keep the older id for the second, logged, rather than one hiding the other.
    pub(crate) async fn migrate_name_indexes(&self, ctx: &RequestContext, open: &Open) {
        match self.store.get(NAMES_NORMALISED) {
            Ok(Some(_)) => return,
            Ok(None) => {}
            Err(err) => {
                tracing::error!(error = %err, "name indexes could not be checked; lookups fall back");
                return;
            }
        }
        match self.name_index_moves(open) {
            Ok((mut batch, moved)) => {
                // Once, even when nothing moved: the next unseals skip the scan.
                batch.insert(NAMES_NORMALISED.to_vec(), vec![1]);
                let _writes = self.writes.lock().await;
                let mut event = self.event(ctx, "-", "names.normalise", "", Outcome::Success);
                event.detail = format!("indexes_moved={moved}");
                match self.commit(event, batch).await {
                    Ok(_) => tracing::info!(moved, "name indexes moved to normalised names"),
                    Err(err) => tracing::error!(error = %err, "name indexes could not be moved; lookups fall back"),
                }
            }
            Err(err) => tracing::error!(error = %err, "name indexes could not be checked; lookups fall back"),
        }
    }

    fn name_index_moves(&self, open: &Open) -> Result<(Batch, usize)> {
        let mut batch = Batch::default();
        let mut moved = 0;
        let mut taken = std::collections::HashSet::new();
        let mut names = Vec::new();
        for item in self.store.scan_prefix(records::PERSON) {
            let (key, sealed) = item?;
            let id = &key[records::PERSON.len()..];
            let person: PersonRecord =
                records::open(&open.people_key, &open.vault_id, RecordKind::Person, id, 0, &sealed)?;
            names.push((records::PERSON_INDEX, IndexDomain::Person, person.name.clone(), person.id));
        }
        for item in self.store.scan_prefix(records::ENTRY) {
            let (key, sealed) = item?;
            let id = &key[records::ENTRY.len()..];
            // A record that does not open is reported by the entry cache; it never stops the others' move.
            let Ok(entry) = crate::entries::open_entry(open, id, &sealed) else { continue };
            names.push((records::ENTRY_INDEX, IndexDomain::Platform, entry.platform.clone(), entry.id));
        }
        for (prefix, domain, name, id) in names {
            let current = records::key(prefix, &lookup_id(&open.index_key, domain, &name));
            let legacy = records::key(prefix, &legacy_lookup_id(&open.index_key, domain, &name));
            if current == legacy || self.store.get(&legacy)?.as_deref() != Some(id.as_slice()) {
                continue;
            }
            if self.store.get(&current)?.is_some() || !taken.insert(current.clone()) {
                tracing::warn!("two names are the same once normalised; the second keeps its older index");
                continue;
            }
            batch.remove(legacy);
            batch.insert(current, id.to_vec());
            moved += 1;
        }
        Ok((batch, moved))
    }
}
