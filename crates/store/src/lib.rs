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
mod postgres_standby;
mod postgres_tls;
mod sled_store;

pub use postgres::{PgOptions, PgStore};
pub use postgres_standby::{Announced, Standby, StandbySeen};
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
    #[error("the database is unavailable ({op}): {detail}")]
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
    /// A group commit of the audit log does not follow the last one in the store's copy of the log: the copy lacks
    /// the group commits in between, which the engine gives it from its own log first.
    #[error(
        "the copy of the audit log in {place} ends at event {last}, and the next group commit starts at event {next}: \
         coffred gives it the group commits in between first"
    )]
    LogGap {
        /// Host, database and schema.
        place: String,
        /// The last event in the copy (0: none).
        last: u64,
        /// The first event of the group commit that was refused.
        next: u64,
    },
    /// The store's copy of the audit log holds other bytes for a group commit than the engine's log: the two have
    /// forked. Nothing was written.
    #[error(
        "the copy of the audit log in {place} holds another group commit from event {seq} than this coffred's log: \
         the two have forked (a data directory or a database from another time or another vault). Nothing was \
         written; stop coffred and find out which one is right (docs/ha.md)"
    )]
    LogDiffers {
        /// Host, database and schema.
        place: String,
        /// The first event of the group commit that differs.
        seq: u64,
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

    /// What failed, for a message that says itself what kind of failure it is and what to do (the engine's
    /// `store-unavailable` and `store-tls`, in the reader's language): "connect: error connecting to server: …" for
    /// a database out of reach or a failed TLS check, the whole text otherwise.
    pub fn what_failed(&self) -> String {
        match self {
            StoreError::Unavailable { op, detail } | StoreError::Tls { op, detail } => format!("{op}: {detail}"),
            other => other.to_string(),
        }
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

/// One group commit of the engine's audit log, as the log writes it: whole frames, events `first_seq..=last_seq`
/// with the changes they carry, ending with the group commit's signed head. Sealed bytes: a store keeps and compares
/// them, and never reads into them.
#[derive(Clone, PartialEq, Eq)]
pub struct LogBatch {
    /// The first event's sequence number.
    pub first_seq: u64,
    /// The last event's sequence number.
    pub last_seq: u64,
    /// The frames.
    pub frames: Vec<u8>,
}

impl std::fmt::Debug for LogBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogBatch")
            .field("first_seq", &self.first_seq)
            .field("last_seq", &self.last_seq)
            .field("frames", &format_args!("{} bytes", self.frames.len()))
            .finish()
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

    /// Whether the store keeps a copy of the engine's audit log beside the records (PostgreSQL does; sled, inside
    /// the data directory the log is in, does not). The engine then hands every group commit to
    /// [`Store::apply_logged`], and answers only once the store has it.
    fn keeps_log(&self) -> bool {
        false
    }

    /// Whether another coffred has taken this store's schema over since it was opened (a write found the schema's
    /// lock or claim held by another one): the store writes nothing more, and the daemon that holds it should stop
    /// serving. Never for sled, which no other process can open.
    fn taken_over(&self) -> bool {
        false
    }

    /// The standby coffreds waiting for this store's schema, as they last said (PostgreSQL; never any for sled,
    /// which no other process can open).
    fn standbys(&self) -> Result<Vec<StandbySeen>> {
        Ok(Vec::new())
    }

    /// Appends `log` (group commits, in order) to the store's copy of the audit log and applies `batch`, all in one
    /// transaction, durable once this returns. A group commit the copy already holds with the same bytes is passed
    /// over (a retry after an answer that was lost); one it holds with other bytes is refused
    /// ([`StoreError::LogDiffers`]), and so is one that does not follow the copy's last ([`StoreError::LogGap`]).
    /// A store that keeps no copy applies `batch` alone.
    fn apply_logged(&self, batch: Option<Batch>, log: &[LogBatch]) -> Result<()> {
        let _ = log;
        batch.map_or(Ok(()), |batch| self.apply(batch))
    }

    /// The last event in the store's copy of the audit log (0: none yet, or no copy).
    fn log_last(&self) -> Result<u64> {
        Ok(0)
    }

    /// The group commits of the store's copy of the audit log that start after event `after`, in order: as many
    /// as fit in about `max_bytes` (at least one, if there is one).
    fn log_after(&self, after: u64, max_bytes: usize) -> Result<Vec<LogBatch>> {
        let _ = (after, max_bytes);
        Ok(Vec::new())
    }

    /// The group commit of the store's copy of the audit log that starts at event `first_seq`, if it holds one.
    fn log_batch(&self, first_seq: u64) -> Result<Option<LogBatch>> {
        let _ = first_seq;
        Ok(None)
    }
}
