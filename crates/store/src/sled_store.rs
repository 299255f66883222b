//! The sled 0.34 backend: one tree, so that a [`Batch`] is one atomic `apply_batch`.

use std::{
    fs::File,
    path::{Path, PathBuf},
    sync::atomic::{AtomicU64, Ordering},
};

use crate::{Batch, Op, Pair, Result, Store, StoreError};

/// A [`Store`] in a sled database.
pub struct SledStore {
    tree: sled::Tree,
    db: sled::Db,
    /// sled's data file (`PATH/db`), synced by every flush (see [`SledStore::make_durable`]).
    data_file: File,
    /// Where sled writes values too large for its log (`PATH/blobs`), as files of their own.
    blobs: PathBuf,
    /// Flushes made durable so far.
    syncs: AtomicU64,
}

impl std::fmt::Debug for SledStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SledStore").finish_non_exhaustive()
    }
}

impl SledStore {
    /// Opens or creates the database in directory `path`.
    ///
    /// sled 0.34 releases its file lock from background threads a moment after the last handle is dropped, so a
    /// store closed and reopened in the same process (a vault reopened by tests, a daemon restarted in-process) may
    /// find it still held: a lock refusal is retried for up to two seconds before it is reported.
    pub fn open(path: &Path) -> Result<Self> {
        let config = config(path);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        let db = loop {
            match config.open() {
                Ok(db) => break db,
                // sled 0.34 reports a held lock as an `Other` I/O error with this message (config.rs).
                Err(sled::Error::Io(e)) if e.to_string().starts_with("could not acquire lock") => {
                    if std::time::Instant::now() >= deadline {
                        return Err(StoreError::Locked { path: path.display().to_string() });
                    }
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(source) => return Err(StoreError::Open { path: path.display().to_string(), source }),
            }
        };
        let tree = db.open_tree("records").map_err(|source| StoreError::Io { op: "open tree", source })?;
        // sled 0.34 keeps everything in one file, `db` (config.rs, `db_path`), and large values in `blobs/`.
        let data_path = path.join("db");
        let data_file = File::open(&data_path)
            .map_err(|e| StoreError::Open { path: data_path.display().to_string(), source: e.into() })?;
        Ok(Self { tree, db, data_file, blobs: path.join("blobs"), syncs: AtomicU64::new(0) })
    }

    /// How many flushes were made durable since the store was opened.
    pub fn syncs(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }

    /// Makes what sled wrote durable against a power cut, not only against the process being killed ([`Store::flush`]).
    ///
    /// sled's own flush ends in `sync_file_range`: the data reaches the disk's queue, but neither the disk's write
    /// cache nor the file's new size is made durable. sled's background flusher used to `fsync` every 500 ms; it is
    /// off (see `config`). `fdatasync` of the data file, and of the values sled writes as blob files (pages over
    /// 128 KiB, which a vault's records do not reach) with their directory, when there are any.
    fn make_durable(&self) -> Result<()> {
        let io = |op: &'static str| move |e: std::io::Error| StoreError::Io { op, source: e.into() };
        self.data_file.sync_data().map_err(io("sync"))?;
        match std::fs::read_dir(&self.blobs) {
            Ok(entries) => {
                let mut any = false;
                for entry in entries {
                    File::open(entry.map_err(io("sync blobs"))?.path())
                        .and_then(|f| f.sync_data())
                        .map_err(io("sync blobs"))?;
                    any = true;
                }
                if any {
                    File::open(&self.blobs).and_then(|d| d.sync_all()).map_err(io("sync blobs"))?;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io("sync blobs")(e)),
        }
        self.syncs.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// sled's configuration for a vault's database in `path`.
fn config(path: &Path) -> sled::Config {
    sled::Config::new()
        .path(path)
        // Cache: the working set of a vault is small; 64 MiB keeps the idle daemon within its memory goal.
        .cache_capacity(64 * 1024 * 1024)
        // No background flusher thread. By default sled wakes every 500 ms to write out its buffers, fsync them
        // and compact segments; the engine's audit log makes each change durable (and replays it into a store that
        // lost it), and `flush` writes and syncs when asked: the thread had nothing left to do but keep an idle
        // daemon waking the disk. What it also did,
        // segment compaction, only reclaims space: a vault's database is small and rewritten rarely.
        .flush_every_ms(None)
}

impl Store for SledStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.tree.get(key).map(|v| v.map(|v| v.to_vec())).map_err(|source| StoreError::Io { op: "read", source })
    }

    fn scan_prefix<'a>(&'a self, prefix: &[u8]) -> Box<dyn Iterator<Item = Result<Pair>> + 'a> {
        Box::new(self.tree.scan_prefix(prefix).map(|item| {
            item.map(|(k, v)| (k.to_vec(), v.to_vec())).map_err(|source| StoreError::Io { op: "scan", source })
        }))
    }

    fn apply(&self, batch: Batch) -> Result<()> {
        let mut sled_batch = sled::Batch::default();
        for op in batch.ops {
            match op {
                Op::Insert(k, v) => sled_batch.insert(k, v),
                Op::Remove(k) => sled_batch.remove(k),
            }
        }
        // Neither flushed nor synced here: the engine's audit log carries every change durably before it is applied,
        // and replays into the store what a `kill -9` (sled's own buffers) or a power cut took from it
        // (coffre-vault's `journal.rs`). So a change costs the log's one group-committed flush, and the writer
        // thread that applies changes never waits on the disk twice. `flush` makes the store durable when asked.
        self.tree.apply_batch(sled_batch).map_err(|source| StoreError::Io { op: "write", source })
    }

    fn flush(&self) -> Result<()> {
        self.db.flush().map_err(|source| StoreError::Io { op: "flush", source })?;
        self.make_durable()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn an_idle_store_has_no_background_flusher() {
        // Regression: sled's default (a flush every 500 ms from a background thread) woke the disk of an idle
        // daemon twice a second. Durability comes from `apply`'s own flush instead.
        assert_eq!(config(Path::new("unused")).flush_every_ms, None);
    }

    #[test]
    fn apply_leaves_the_process_and_flush_makes_it_durable() -> Result<()> {
        // With sled's background flusher off, its own flush (`sync_file_range`) is not a disk flush: `flush` must
        // fsync the data file and any blob file. `apply` does not: the engine's audit log is the durable record.
        let dir = tempfile::tempdir().map_err(|e| StoreError::Io { op: "tempdir", source: e.into() })?;
        let store = SledStore::open(dir.path())?;
        for i in 0..3u8 {
            let mut batch = Batch::default();
            batch.insert(vec![b'k', i], vec![i; 16]);
            store.apply(batch)?;
        }
        assert_eq!(store.syncs(), 0, "a change costs the log's flush, not a second one");
        store.flush()?;
        assert_eq!(store.syncs(), 1);
        // A value too large for sled's log goes to a blob file, synced the same way.
        let mut batch = Batch::default();
        batch.insert(b"large".to_vec(), vec![7u8; 300 * 1024]);
        store.apply(batch)?;
        store.flush()?;
        assert_eq!(store.syncs(), 2);
        assert_eq!(store.get(b"large")?.map(|v| v.len()), Some(300 * 1024));
        Ok(())
    }

    #[test]
    fn batch_is_applied_whole_and_survives_reopen() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| StoreError::Io { op: "tempdir", source: e.into() })?;
        {
            let store = SledStore::open(dir.path())?;
            let mut batch = Batch::default();
            batch.insert(b"a/1".to_vec(), b"one".to_vec());
            batch.insert(b"a/2".to_vec(), b"two".to_vec());
            batch.insert(b"b/1".to_vec(), b"other".to_vec());
            store.apply(batch)?;
            let mut batch = Batch::default();
            batch.remove(b"a/1".to_vec());
            store.apply(batch)?;
            store.flush()?;
        }
        let store = SledStore::open(dir.path())?;
        assert_eq!(store.get(b"a/1")?, None);
        assert_eq!(store.get(b"a/2")?, Some(b"two".to_vec()));
        let keys: Vec<_> = store.scan_prefix(b"a/").map(|r| r.map(|(k, _)| k)).collect::<Result<_>>()?;
        assert_eq!(keys, vec![b"a/2".to_vec()]);
        Ok(())
    }

    #[test]
    fn a_database_held_open_is_refused_as_locked_after_waiting() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| StoreError::Io { op: "tempdir", source: e.into() })?;
        let held = SledStore::open(dir.path())?;
        let second = SledStore::open(dir.path());
        assert!(matches!(second, Err(StoreError::Locked { .. })), "{second:?}");
        drop(held);
        // Once the holder is gone (sled lets go from its background threads), the same directory opens.
        SledStore::open(dir.path()).map(drop)
    }

    #[test]
    fn scan_all_returns_every_pair_in_key_order() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| StoreError::Io { op: "tempdir", source: e.into() })?;
        let store = SledStore::open(dir.path())?;
        let mut batch = Batch::default();
        for key in [&b"v/2"[..], b"h", b"a/1", b"v/1"] {
            batch.insert(key.to_vec(), key.to_vec());
        }
        store.apply(batch)?;
        let pairs: Vec<Pair> = store.scan_all().collect::<Result<_>>()?;
        let keys: Vec<&[u8]> = pairs.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(keys, [&b"a/1"[..], b"h", b"v/1", b"v/2"]);
        assert!(pairs.iter().all(|(k, v)| k == v));
        Ok(())
    }

    proptest! {
        #[test]
        fn scan_prefix_returns_exactly_the_matching_keys_in_order(
            keys in proptest::collection::btree_set(proptest::collection::vec(0u8..4, 0..4), 0..20),
            prefix in proptest::collection::vec(0u8..4, 0..2),
        ) {
            let dir = tempfile::tempdir().expect("temporary directory");
            let store = SledStore::open(dir.path()).expect("open");
            let mut batch = Batch::default();
            for k in &keys {
                batch.insert(k.clone(), k.clone());
            }
            store.apply(batch).expect("apply");
            let got: Vec<Vec<u8>> = store.scan_prefix(&prefix).map(|r| r.expect("scan").0).collect();
            let want: Vec<Vec<u8>> = keys.iter().filter(|k| k.starts_with(&prefix)).cloned().collect();
            prop_assert_eq!(got, want);
        }
    }
}
