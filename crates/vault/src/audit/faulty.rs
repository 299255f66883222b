//! A disk that fails on demand, for tests of the durability guarantee (a full disk, a failed fsync, a store that
//! refuses a write).

use std::{
    io,
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
};

use coffre_store::{Batch, LogBatch, Pair, Store};

use super::segment::{Disk, SegmentFile, Storage};

/// The disk, failing on demand: while `full` is set every write stores half its bytes and then fails as a full
/// disk does; `fsync_failures` makes that many coming fdatasyncs fail with EIO; `store_refusals` makes that many
/// coming store batches fail without being applied; `store_read_failures` makes that many coming reads of one
/// record fail as a database out of reach does, and `store_scan_failures` that many coming scans;
/// `store_unreachable_writes` makes that many coming store batches
/// fail, unapplied, as a database out of reach does; while `stalled` (see [`Faults::stall`]) every write waits, as on
/// a disk that does not answer.
#[derive(Default)]
pub(crate) struct Faults {
    pub(crate) full: AtomicBool,
    stalled: std::sync::Mutex<bool>,
    unstalled: std::sync::Condvar,
    pub(crate) fsync_failures: AtomicU64,
    pub(crate) store_refusals: AtomicU64,
    pub(crate) store_read_failures: AtomicU64,
    pub(crate) store_scan_failures: AtomicU64,
    pub(crate) store_unreachable_writes: AtomicU64,
}

impl Faults {
    /// Makes every coming write wait (`true`) until called with `false`.
    pub(crate) fn stall(&self, stalled: bool) {
        *self.stalled.lock().unwrap_or_else(|p| p.into_inner()) = stalled;
        self.unstalled.notify_all();
    }

    fn wait_while_stalled(&self) {
        let stalled = self.stalled.lock().unwrap_or_else(|p| p.into_inner());
        drop(self.unstalled.wait_while(stalled, |stalled| *stalled).unwrap_or_else(|p| p.into_inner()));
    }
}

fn take_one(counter: &AtomicU64) -> bool {
    counter.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1)).is_ok()
}

/// What a database out of reach answers.
fn unreachable(op: &'static str) -> coffre_store::StoreError {
    coffre_store::StoreError::Unavailable { op, detail: "connection refused (injected)".into() }
}

/// The store, refusing batches on demand.
struct FaultyStore {
    store: Box<dyn Store>,
    faults: Arc<Faults>,
}

impl Store for FaultyStore {
    fn get(&self, key: &[u8]) -> coffre_store::Result<Option<Vec<u8>>> {
        if take_one(&self.faults.store_read_failures) {
            return Err(unreachable("read"));
        }
        self.store.get(key)
    }

    fn scan_prefix<'a>(&'a self, prefix: &[u8]) -> Box<dyn Iterator<Item = coffre_store::Result<Pair>> + 'a> {
        if take_one(&self.faults.store_scan_failures) {
            return Box::new(std::iter::once(Err(unreachable("scan"))));
        }
        self.store.scan_prefix(prefix)
    }

    fn apply(&self, batch: Batch) -> coffre_store::Result<()> {
        self.apply_logged(Some(batch), &[])
    }

    fn apply_logged(&self, batch: Option<Batch>, log: &[LogBatch]) -> coffre_store::Result<()> {
        if take_one(&self.faults.store_unreachable_writes) {
            return Err(unreachable("write"));
        }
        if take_one(&self.faults.store_refusals) {
            return Err(coffre_store::StoreError::Io {
                op: "apply_batch",
                source: sled::Error::Io(io::Error::other("Input/output error (injected)")),
            });
        }
        self.store.apply_logged(batch, log)
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

pub(crate) struct Faulty(pub(crate) Arc<Faults>);

struct FaultyFile {
    file: Box<dyn SegmentFile>,
    faults: Arc<Faults>,
}

impl Storage for Faulty {
    fn open_append(&self, path: &Path) -> io::Result<Box<dyn SegmentFile>> {
        Ok(Box::new(FaultyFile { file: Disk.open_append(path)?, faults: self.0.clone() }))
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        Disk.sync_dir(dir)
    }

    fn wrap_store(&self, store: Box<dyn Store>) -> Box<dyn Store> {
        Box::new(FaultyStore { store, faults: self.0.clone() })
    }
}

impl SegmentFile for FaultyFile {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.faults.wait_while_stalled();
        if self.faults.full.load(Ordering::Acquire) {
            self.file.write_all(&bytes[..bytes.len() / 2])?;
            return Err(io::Error::new(io::ErrorKind::StorageFull, "No space left on device (injected)"));
        }
        self.file.write_all(bytes)
    }

    fn sync_data(&mut self) -> io::Result<()> {
        if take_one(&self.faults.fsync_failures) {
            return Err(io::Error::other("Input/output error (injected)"));
        }
        self.file.sync_data()
    }

    fn truncate_and_sync(&mut self, len: u64) -> io::Result<()> {
        self.file.truncate_and_sync(len)
    }
}
