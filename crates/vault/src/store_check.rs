//! The store's full read for the unseal's check, done ahead while the vault waits sealed.
//!
//! Every unseal checks the whole store against the log (`journal.rs`): it reads every record and sums their hashes.
//! At 100,000 entries that is some 300,000 records and most of an unseal's time, yet none of it needs a key: the
//! digest is over sealed bytes. So the read starts as soon as the vault is opened sealed (and again once it is
//! sealed after use), in a thread of its own, while the daemon serves and an owner types a passphrase; the unseal
//! then only compares. An unseal that comes before the read is done waits for it, so it is never slower than
//! reading then.
//!
//! The read is used only if it saw the store as the unseal would: [`StoreChanges`] counts every batch applied to
//! the engine's store before and after it is written (odd while one is under way), and a read is kept only if the
//! count was even when it began and is unchanged when it is used. Anything else (a write in between, a read that
//! failed, say while the database was out of reach) reads the store again at the unseal, as before.

use std::{
    path::PathBuf,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    thread::JoinHandle,
};

use coffre_store::Store;

use crate::{
    Result,
    entry_cache::StoreChanges,
    journal::{self, Scanned},
};

/// A read of the store under way or done, and the store's write count when it began.
struct Ahead {
    writes: u64,
    stop: Arc<AtomicBool>,
    read: Read,
}

enum Read {
    Running(JoinHandle<Result<Scanned>>),
    #[cfg(test)]
    Done(Option<Result<Scanned>>),
}

impl Read {
    /// The read's result once it ends; `None` if its thread panicked.
    fn finish(self) -> Option<Result<Scanned>> {
        match self {
            Self::Running(thread) => thread.join().ok(),
            #[cfg(test)]
            Self::Done(result) => result,
        }
    }
}

/// The engine's read of the store ahead of the next unseal: at most one at a time.
#[derive(Default)]
pub(crate) struct StoreCheckAhead {
    ahead: Mutex<Option<Ahead>>,
    /// How many unseals used a read done ahead.
    used: AtomicU64,
}

impl StoreCheckAhead {
    /// Starts reading `store` for the next unseal (a read already under way is stopped first). When no thread can
    /// be started, the unseal reads the store itself.
    pub(crate) fn start(&self, store: Arc<dyn Store>, file: PathBuf, changes: &StoreChanges) {
        self.stop();
        let writes = changes.writes();
        if writes % 2 == 1 {
            return;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("coffre-store-check".into())
            .spawn(move || journal::scan(&*store, &file, &|| stopped.load(Ordering::Relaxed)));
        match thread {
            Ok(thread) => *self.lock() = Some(Ahead { writes, stop, read: Read::Running(thread) }),
            Err(e) => tracing::warn!(error = %e, "cannot read the store ahead of the unseal; the unseal will"),
        }
    }

    /// The read started ahead, once it is done, if it read the store as it is now; `None` otherwise (the caller
    /// reads the store itself).
    pub(crate) fn take(&self, changes: &StoreChanges) -> Option<Scanned> {
        let ahead = self.lock().take()?;
        if changes.writes() != ahead.writes {
            ahead.stop.store(true, Ordering::Relaxed);
        }
        let scanned = ahead.read.finish()?;
        match scanned {
            Ok(scanned) if changes.writes() == ahead.writes => {
                self.used.fetch_add(1, Ordering::Relaxed);
                Some(scanned)
            }
            Ok(_) => None,
            Err(e) => {
                tracing::info!(error = %e, "the store's read ahead of the unseal did not finish; reading it again");
                None
            }
        }
    }

    /// Stops a read under way and waits for its thread, which holds the store open.
    pub(crate) fn stop(&self) {
        if let Some(ahead) = self.lock().take() {
            ahead.stop.store(true, Ordering::Relaxed);
            let _ = ahead.read.finish();
        }
    }

    /// How many unseals used a read done ahead (the log line of each unseal says whether it did).
    #[cfg(test)]
    pub(crate) fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    /// Waits until the read under way, if any, is done (tests: so that what they do next comes after it).
    #[cfg(test)]
    pub(crate) fn wait(&self) {
        let mut ahead = self.lock();
        if let Some(ahead) = ahead.as_mut() {
            let read = std::mem::replace(&mut ahead.read, Read::Done(None));
            ahead.read = Read::Done(read.finish());
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Ahead>> {
        self.ahead.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for StoreCheckAhead {
    /// A vault closed while its store is being read lets go of the store before it is gone: a store reopened at
    /// once (a restart, a test) finds it free.
    fn drop(&mut self) {
        self.stop();
    }
}
