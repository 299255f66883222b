//! Caches of decrypted records kept in memory while unsealed, for the hot paths (reveal, list):
//! - entry metadata, sorted by platform name, so that a page of `entry list` and finding an entry by name cost
//!   the same at 100,000 entries as at 1,000 (without it, every list decrypted and sorted every entry);
//! - each person's grants, checked at every call of a member;
//! - the reveal marks known to be stored already, so a repeated reveal does not look for its mark again;
//! - versions as the store holds them, sealed: a reveal opens its version at every call, but does not read it from
//!   the store again (on PostgreSQL, a round trip to the database per reveal). Only the sealed bytes are kept,
//!   the same bytes sled's own page cache holds, never an opened version; at most [`VERSION_CACHE_BYTES`].
//!
//! Invalidation cannot be forgotten: the engine's store is a [`TrackedStore`], which notes, after each batch is
//! applied, the id of every entry record it wrote or removed, and whether it touched any grant. The caches re-read
//! what changed before they answer. They live in [`Open`], so sealing drops them with the keys; they hold metadata
//! and sealed bytes only (a version's secret fields are never kept opened).

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    ops::Bound,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use coffre_store::{Batch, LogBatch, Pair, Store};

use crate::{
    Result,
    entries::open_entry,
    records::{self, EntryRecord, GrantRecord, Id},
    vault::{Inner, Open},
};

/// What changed in the store since the caches last looked: the ids of entry records, and a count of batches that
/// touched grants.
#[derive(Default)]
pub(crate) struct StoreChanges {
    entries: Mutex<HashSet<Id>>,
    grants_generation: AtomicU64,
    /// Counted up after each batch that wrote or removed a version.
    versions_generation: AtomicU64,
    /// Counted up before and after each batch is written (odd while one is under way), for the store's read ahead
    /// of an unseal (`store_check.rs`).
    writes: AtomicU64,
}

impl StoreChanges {
    fn note(&self, ids: impl IntoIterator<Item = Id>) {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).extend(ids);
    }

    fn take(&self) -> HashSet<Id> {
        std::mem::take(&mut *self.entries.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn is_empty(&self) -> bool {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).is_empty()
    }

    fn grants_generation(&self) -> u64 {
        self.grants_generation.load(Ordering::Acquire)
    }

    fn versions_generation(&self) -> u64 {
        self.versions_generation.load(Ordering::Acquire)
    }

    /// How many times a batch began or ended being written: odd while one is under way.
    pub(crate) fn writes(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }
}

/// Each person's grants, valid for one grants generation.
#[derive(Default)]
pub(crate) struct GrantCache {
    generation: u64,
    by_person: HashMap<Id, Arc<Vec<GrantRecord>>>,
}

/// The most bytes of sealed versions the version cache keeps (keys and values): about 100,000 versions of an
/// ordinary size. Past it the cache is emptied and fills again from the store.
pub(crate) const VERSION_CACHE_BYTES: usize = 32 << 20;

/// Sealed versions by store key, valid for one versions generation.
#[derive(Default)]
pub(crate) struct VersionCache {
    generation: u64,
    bytes: usize,
    by_key: HashMap<Vec<u8>, Arc<[u8]>>,
}

impl VersionCache {
    fn get(&self, generation: u64, key: &[u8]) -> Option<Arc<[u8]>> {
        self.by_key.get(key).filter(|_| self.generation == generation).cloned()
    }

    /// Keeps `sealed`, read from the store when the versions generation was `generation`: a cache of another
    /// generation, or one that would hold more than `limit` bytes, is emptied first.
    fn put(&mut self, generation: u64, key: &[u8], sealed: Arc<[u8]>, limit: usize) {
        if generation < self.generation {
            return; // read before a change the cache has seen already
        }
        let size = key.len() + sealed.len();
        if self.generation != generation || self.bytes + size > limit {
            self.by_key.clear();
            self.bytes = 0;
            self.generation = generation;
        }
        if size <= limit && self.by_key.insert(key.to_vec(), sealed).is_none() {
            self.bytes += size;
        }
    }
}

/// The engine's store: the backend, noting which entry records each applied batch touched.
pub(crate) struct TrackedStore {
    store: Box<dyn Store>,
    changes: Arc<StoreChanges>,
}

impl TrackedStore {
    pub(crate) fn new(store: Box<dyn Store>, changes: Arc<StoreChanges>) -> Self {
        Self { store, changes }
    }
}

fn entry_id(key: &[u8]) -> Option<Id> {
    key.strip_prefix(records::ENTRY).and_then(|id| Id::try_from(id).ok())
}

impl Store for TrackedStore {
    fn get(&self, key: &[u8]) -> coffre_store::Result<Option<Vec<u8>>> {
        self.store.get(key)
    }

    fn scan_prefix<'a>(&'a self, prefix: &[u8]) -> Box<dyn Iterator<Item = coffre_store::Result<Pair>> + 'a> {
        self.store.scan_prefix(prefix)
    }

    fn apply(&self, batch: Batch) -> coffre_store::Result<()> {
        self.apply_logged(Some(batch), &[])
    }

    fn apply_logged(&self, batch: Option<Batch>, log: &[LogBatch]) -> coffre_store::Result<()> {
        let keys = || batch.iter().flat_map(Batch::keys);
        let touched: Vec<Id> = keys().filter_map(entry_id).collect();
        let grants = keys().any(|key| key.starts_with(records::GRANT) || key.starts_with(records::GRANT_INDEX));
        let versions = keys().any(|key| key.starts_with(records::VERSION));
        self.changes.writes.fetch_add(1, Ordering::AcqRel);
        let applied = self.store.apply_logged(batch, log);
        self.changes.writes.fetch_add(1, Ordering::AcqRel);
        // Noted after the write (a reader that looked before it saw the old record, as it should), and also when
        // the write failed (it may have been partly carried out by the backend: re-reading costs little).
        self.changes.note(touched);
        if grants {
            self.changes.grants_generation.fetch_add(1, Ordering::AcqRel);
        }
        if versions {
            self.changes.versions_generation.fetch_add(1, Ordering::AcqRel);
        }
        applied
    }

    fn keeps_log(&self) -> bool {
        self.store.keeps_log()
    }

    fn taken_over(&self) -> bool {
        self.store.taken_over()
    }

    fn standbys(&self) -> coffre_store::Result<Vec<coffre_store::StandbySeen>> {
        self.store.standbys()
    }

    fn log_last(&self) -> coffre_store::Result<u64> {
        self.store.log_last()
    }

    fn log_after(&self, after: u64, max_bytes: usize) -> coffre_store::Result<Vec<LogBatch>> {
        self.store.log_after(after, max_bytes)
    }

    fn log_batch(&self, first_seq: u64) -> coffre_store::Result<Option<LogBatch>> {
        self.store.log_batch(first_seq)
    }

    fn flush(&self) -> coffre_store::Result<()> {
        self.store.flush()
    }
}

/// The sort key of an entry: its name as the keyed index normalises it (trimmed, lower case), so it is unique.
type SortKey = String;

fn sort_key(platform: &str) -> SortKey {
    // The form lookups compare (NFKC, lower case), so that the cache and the keyed index agree on which names
    // are the same.
    coffre_crypto::index::normalise_name(platform).to_string()
}

/// Every entry's metadata, by name and by id.
#[derive(Default)]
pub(crate) struct EntryCache {
    sorted: BTreeMap<SortKey, Arc<EntryRecord>>,
    by_id: HashMap<Id, SortKey>,
}

impl EntryCache {
    fn put(&mut self, entry: EntryRecord) {
        self.remove(&entry.id);
        let key = sort_key(&entry.platform);
        self.by_id.insert(entry.id, key.clone());
        self.sorted.insert(key, Arc::new(entry));
    }

    fn remove(&mut self, id: &Id) {
        if let Some(key) = self.by_id.remove(id) {
            self.sorted.remove(&key);
        }
    }

    /// Entries after the one named `after` (from the first when `None`), in name order.
    pub(crate) fn after<'a>(&'a self, after: Option<&str>) -> impl Iterator<Item = &'a Arc<EntryRecord>> + 'a {
        let start = match after {
            Some(name) => Bound::Excluded(sort_key(name)),
            None => Bound::Unbounded,
        };
        self.sorted.range((start, Bound::Unbounded)).map(|(_, entry)| entry)
    }

    pub(crate) fn len(&self) -> usize {
        self.sorted.len()
    }

    /// The entry with id `id`.
    pub(crate) fn by_id(&self, id: &Id) -> Option<&Arc<EntryRecord>> {
        self.by_id.get(id).and_then(|key| self.sorted.get(key))
    }

    /// The entry named `platform` (case and surrounding space do not matter, as in the keyed index).
    pub(crate) fn get(&self, platform: &str) -> Option<&Arc<EntryRecord>> {
        self.sorted.get(&sort_key(platform))
    }
}

impl Inner {
    /// Runs `f` on the entry cache, loading it on first use after an unseal and re-reading the entries changed
    /// since the last call.
    pub(crate) fn with_entries<R>(&self, open: &Open, f: impl FnOnce(&EntryCache) -> R) -> Result<R> {
        {
            let cache = open.entry_cache.read().unwrap_or_else(|p| p.into_inner());
            if let Some(cache) = cache.as_ref().filter(|_| self.store_changes.is_empty()) {
                return Ok(f(cache));
            }
        }
        let mut guard = open.entry_cache.write().unwrap_or_else(|p| p.into_inner());
        let cache = match guard.as_mut() {
            Some(cache) => cache,
            None => {
                // Changes noted from here on are re-read at the next call, so none is missed during the scan.
                self.store_changes.take();
                guard.insert(self.load_entries(open)?)
            }
        };
        let changed: Vec<Id> = self.store_changes.take().into_iter().collect();
        for (done, id) in changed.iter().enumerate() {
            match self.entry_by_id(open, id) {
                Ok(Some(entry)) => cache.put(entry),
                Ok(None) => cache.remove(id),
                Err(err @ (crate::Error::StoreUnavailable(_) | crate::Error::Storage(_))) => {
                    // The store could not be read (a database out of reach): these entries are re-read at the next
                    // call, not dropped from the cache, which would hide them until the next unseal.
                    self.store_changes.note(changed[done..].iter().copied());
                    return Err(err);
                }
                Err(err) => {
                    tracing::error!(error = %err, "an entry that changed does not open; it is left out of lists");
                    cache.remove(id);
                }
            }
        }
        Ok(f(cache))
    }

    /// The grants held by `person`, from the cache or, after any grant changed, from the store.
    pub(crate) fn cached_grants(
        &self,
        open: &Open,
        person: &Id,
        load: impl FnOnce() -> Result<Vec<GrantRecord>>,
    ) -> Result<Arc<Vec<GrantRecord>>> {
        // Read before loading: a change that lands during the load bumps it, and the next call loads again.
        let generation = self.store_changes.grants_generation();
        {
            let cache = open.grant_cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(grants) = cache.by_person.get(person).filter(|_| cache.generation == generation) {
                return Ok(grants.clone());
            }
        }
        let grants = Arc::new(load()?);
        let mut cache = open.grant_cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.generation != generation {
            cache.by_person.clear();
            cache.generation = generation;
        }
        cache.by_person.insert(*person, grants.clone());
        Ok(grants)
    }

    /// The sealed version stored under `key`, from the cache or, after any version changed, from the store;
    /// `None` if the store has none (not remembered).
    pub(crate) fn sealed_version(&self, open: &Open, key: &[u8]) -> Result<Option<Arc<[u8]>>> {
        // Read before the store: a change that lands during the read bumps it, and the next call reads again.
        let generation = self.store_changes.versions_generation();
        let cached = open.version_cache.lock().unwrap_or_else(|p| p.into_inner()).get(generation, key);
        if let Some(sealed) = cached {
            return Ok(Some(sealed));
        }
        let Some(sealed) = self.store.get(key)? else { return Ok(None) };
        let sealed: Arc<[u8]> = sealed.into();
        let mut cache = open.version_cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.put(generation, key, sealed.clone(), VERSION_CACHE_BYTES);
        Ok(Some(sealed))
    }

    /// Decrypts every entry record. A record that fails to open is reported by the daemon's log and left out; it
    /// never hides the others.
    fn load_entries(&self, open: &Open) -> Result<EntryCache> {
        let mut cache = EntryCache::default();
        for item in self.store.scan_prefix(records::ENTRY) {
            let (key, sealed) = item?;
            let Some(id) = entry_id(&key) else { continue };
            match open_entry(open, &id, &sealed) {
                Ok(entry) => cache.put(entry),
                Err(err) => tracing::error!(error = %err, "skipping an entry that does not open"),
            }
        }
        Ok(cache)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(len: usize) -> Arc<[u8]> {
        vec![7; len].into()
    }

    #[test]
    fn a_version_read_in_an_older_generation_is_not_given_and_is_dropped_at_the_next_put() {
        let mut cache = VersionCache::default();
        cache.put(0, b"v/a", sealed(10), 1000);
        assert_eq!(cache.get(0, b"v/a").as_deref(), Some(&[7; 10][..]));
        assert!(cache.get(1, b"v/a").is_none(), "a version changed since: read it again");
        // A read that began before a change and ends after it is kept under the older generation only.
        cache.put(0, b"v/b", sealed(5), 1000);
        assert!(cache.get(1, b"v/b").is_none());
        cache.put(1, b"v/c", sealed(5), 1000);
        assert!(cache.get(1, b"v/a").is_none() && cache.get(0, b"v/a").is_none());
        assert_eq!(cache.by_key.len(), 1);
        assert_eq!(cache.bytes, 8);
        // A read slower still, begun before that change, is not kept and does not empty the cache.
        cache.put(0, b"v/d", sealed(5), 1000);
        assert!(cache.get(0, b"v/d").is_none() && cache.get(1, b"v/d").is_none());
        assert!(cache.get(1, b"v/c").is_some());
    }

    #[test]
    fn the_version_cache_never_holds_more_than_its_bound() {
        let mut cache = VersionCache::default();
        for i in 0..100u32 {
            cache.put(0, &i.to_be_bytes(), sealed(60), 200);
            assert!(cache.bytes <= 200, "{} bytes after {i}", cache.bytes);
            assert_eq!(cache.bytes, cache.by_key.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>());
            assert!(cache.get(0, &i.to_be_bytes()).is_some(), "the version just read is kept");
        }
        // One bigger than the bound is given but not kept; the same key twice is counted once.
        cache.put(0, b"big", sealed(300), 200);
        assert!(cache.get(0, b"big").is_none());
        cache.put(0, b"k", sealed(10), 200);
        cache.put(0, b"k", sealed(10), 200);
        assert_eq!(cache.bytes, 11);
    }
}
