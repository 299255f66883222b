//! The storage trait of coffre and its backends: sled 0.34 (embedded, the default) and PostgreSQL.
//!
//! A [`Store`] is an ordered map of byte keys to byte values with atomic batches, which can be scanned whole. It knows nothing of people,
//! entries or cryptography: the engine seals every value before it gets here (only the seal header is stored in
//! clear) and chooses random ids for keys, so nothing here ever sees a name or a secret.
//!
//! ```
//! use coffre_store::{Batch, SledStore, Store};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let store = SledStore::open(dir.path()).unwrap();
//! let mut batch = Batch::default();
//! batch.insert(b"e/1".to_vec(), b"sealed bytes".to_vec());
//! batch.insert(b"e/2".to_vec(), b"more sealed bytes".to_vec());
//! store.apply(batch).unwrap();
//! assert_eq!(store.scan_prefix(b"e/").count(), 2);
//! ```

#![deny(missing_docs)]

mod postgres;
mod postgres_errors;
mod postgres_tls;
mod sled_store;

pub use postgres::{PgOptions, PgStore};
pub use sled_store::SledStore;

/// A storage failure. Messages name the operation and the store's own error; they never contain values.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened.
    #[error(
        "cannot open the database at {path}: {source}. If its files were damaged, keep the data directory as it is \
         and rebuild the store from the audit log into a new directory (`coffred rebuild-store`, see \
         docs/recovery.md)"
    )]
    Open {
        /// Where.
        path: String,
        /// Why.
        source: sled::Error,
    },
    /// Another process holds the database.
    #[error("the database at {path} is in use by another process: is another coffred running on this data directory?")]
    Locked {
        /// Where.
        path: String,
    },
    /// A read or write failed.
    #[error("database {op} failed: {source}")]
    Io {
        /// What was being done.
        op: &'static str,
        /// Why.
        source: sled::Error,
    },
    /// The storage settings cannot be used.
    #[error("the storage settings cannot be used: {problem}")]
    Config {
        /// What is wrong and what to do.
        problem: String,
    },
    /// The database could not be reached, or did not answer in time.
    #[error(
        "the database is unavailable ({op}): {detail}. Check that PostgreSQL is running and reachable from coffred; \
         nothing was changed, and coffred reconnects by itself"
    )]
    Unavailable {
        /// What was being done.
        op: &'static str,
        /// The client's own error.
        detail: String,
    },
    /// TLS with the database failed: the server does not accept TLS, or its certificate does not verify against
    /// `[storage] ca_file` and the address's host name. Nothing was sent to it.
    #[error("TLS with the database failed ({op}): {detail}")]
    Tls {
        /// What was being done.
        op: &'static str,
        /// What failed: rustls' reason, or that the server refused TLS.
        detail: String,
    },
    /// The database refused an operation.
    #[error("database {op} failed: {detail}")]
    Database {
        /// What was being done.
        op: &'static str,
        /// The database's own error.
        detail: String,
    },
    /// Another coffred holds the schema.
    #[error(
        "the store in {place} is in use by another coffred: one coffred at a time writes to a schema. Stop the \
         other one, or give this one a schema of its own (docs/ha.md)"
    )]
    InUse {
        /// Host, database and schema.
        place: String,
    },
    /// Another coffred claimed the schema while this one was using it: this one's writes are refused from now on.
    #[error(
        "another coffred took over the store in {place} while this one was using it; this one writes nothing more. \
         Stop one of them, then restart this coffred and unseal it: the unseal checks the store against the audit \
         log (docs/ha.md)"
    )]
    ChangedElsewhere {
        /// Host, database and schema.
        place: String,
    },
    /// The schema was written by a newer coffred.
    #[error("the store in {place} is at schema version {found}, newer than this coffred's {known}: upgrade coffred")]
    SchemaTooNew {
        /// Host, database and schema.
        place: String,
        /// The version found.
        found: i32,
        /// The newest this code knows.
        known: i32,
    },
}

impl StoreError {
    /// Whether the failure is the database being out of reach for now (worth retrying later), rather than damage
    /// or a mistake.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable { .. })
    }
}

/// Result with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Writes that belong together: applied all at once or not at all.
#[derive(Default, Debug, Clone)]
pub struct Batch {
    ops: Vec<Op>,
}

#[derive(Debug, Clone)]
enum Op {
    Insert(Vec<u8>, Vec<u8>),
    Remove(Vec<u8>),
}

impl Batch {
    /// Sets `key` to `value`.
    pub fn insert(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.ops.push(Op::Insert(key, value));
    }

    /// Removes `key` (nothing happens if it is absent).
    pub fn remove(&mut self, key: Vec<u8>) {
        self.ops.push(Op::Remove(key));
    }

    /// The key of every operation, in order (for those who track what a batch changes).
    pub fn keys(&self) -> impl Iterator<Item = &[u8]> {
        self.ops.iter().map(|op| match op {
            Op::Insert(key, _) | Op::Remove(key) => key.as_slice(),
        })
    }

    /// Every operation, in order: the key, and the value it is set to (`None`: removed). For those who record a
    /// batch elsewhere (the engine writes it to its log before applying it).
    pub fn ops(&self) -> impl Iterator<Item = (&[u8], Option<&[u8]>)> {
        self.ops.iter().map(|op| match op {
            Op::Insert(key, value) => (key.as_slice(), Some(value.as_slice())),
            Op::Remove(key) => (key.as_slice(), None),
        })
    }

    /// Number of operations.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the batch holds no operation.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// A key/value pair from a scan.
pub type Pair = (Vec<u8>, Vec<u8>);

/// The storage interface the engine needs. Implementations must make [`Store::apply`] atomic.
pub trait Store: Send + Sync + 'static {
    /// The value of `key`, if any.
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>>;

    /// Every pair whose key starts with `prefix`, in key order.
    fn scan_prefix<'a>(&'a self, prefix: &[u8]) -> Box<dyn Iterator<Item = Result<Pair>> + 'a>;

    /// Every pair, in key order: what a backup copies.
    fn scan_all<'a>(&'a self) -> Box<dyn Iterator<Item = Result<Pair>> + 'a> {
        self.scan_prefix(&[])
    }

    /// Applies every operation of `batch` atomically: later reads see it. Not necessarily durable, even against
    /// `kill -9`: the engine's audit log is the durable record of every change, and replays into the store what it
    /// lost.
    fn apply(&self, batch: Batch) -> Result<()>;

    /// Makes everything applied so far durable (an fsync), e.g. after replaying changes or before sealing.
    fn flush(&self) -> Result<()>;
}
