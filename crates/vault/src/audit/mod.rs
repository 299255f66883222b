//! The audit log: append-only segment files with fdatasync, one writer thread, group commit.
//!
//! Callers send events to the writer and await a receipt. The writer takes every event waiting at that moment,
//! assigns sequence numbers, chains and seals them, writes them with one `write` and one `fdatasync`, and only then
//! answers each caller. So concurrent reveals share one flush, and a caller learns that its event is durable before
//! it hands out a secret. If the write or the flush fails, every caller in that batch gets an error, the file is cut
//! back to its last durable length, and the next batch tries again: the log recovers by itself when the disk does.
//!
//! Each batch ends with a head frame: the vault's Ed25519 audit key signs (vault id, last seq, last hash), so the
//! signature costs one per flush, not one per event. At unseal, [`read::check_from_last_head`] checks the last
//! signed head and every event after it before the vault opens.
//!
//! Events are sealed under the audit subkey, which exists only while the vault is unsealed. Events that happen
//! while sealed (failed unseals) wait in memory and are written first thing at the next unseal.

mod event;
mod keys;
pub(crate) mod read;
pub(crate) mod segment;
pub(crate) mod witness;

use std::{
    io,
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
        mpsc,
    },
    thread,
};

pub use coffre_audit::{AuditEvent, Outcome};
use coffre_audit::{GENESIS, SignedHead};
use coffre_crypto::record::{self, RecordAad, RecordKind};
pub(crate) use event::NewEvent;
pub(crate) use keys::AuditKeys;
use segment::{ActiveSegment, Body, End, Tail};
pub(crate) use segment::{Disk, Storage};
use tokio::sync::oneshot;
use witness::{WitnessFile, Witnessed};

use crate::{
    Error, Result,
    journal::{self, Applied, Change, Overlay},
    problems::Problem,
};
use coffre_store::{Batch, LogBatch, Store, StoreError};

/// Most events written in one batch (one flush).
const MAX_BATCH: usize = 4096;
/// How long the writer waits, once quiet, before writing the store's applied changes out and syncing them.
const CHECKPOINT_AFTER: std::time::Duration = std::time::Duration::from_secs(1);
/// Most events kept in memory while sealed; older ones beyond this are counted as dropped and reported.
const MAX_SEALED_BACKLOG: usize = 10_000;
/// The pause between two attempts to apply a change to a store out of reach (see [`apply_until_reached`]).
const STORE_RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(100);
/// How often a store that missed a change the log holds is given it again, once the change's author was answered
/// (see [`Writer::catch_up`]).
const CATCH_UP_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// A handle on the audit log. Cheap to clone.
#[derive(Clone)]
pub(crate) struct AuditLog {
    tx: mpsc::Sender<Msg>,
    /// The writer thread, joined when the last handle is dropped (it checkpoints the store on its way out).
    writer: Arc<Mutex<Option<thread::JoinHandle<()>>>>,
    shared: Arc<Shared>,
    dir: PathBuf,
    witness_path: PathBuf,
    /// The head witness as found at open (its signature is checked at unseal, when the key is known).
    witnessed: Option<Witnessed>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog").field("dir", &self.dir).field("written", &self.written()).finish()
    }
}

/// What the writer publishes after each durable batch.
struct Shared {
    written: AtomicU64,
    last_hash: Mutex<[u8; 32]>,
    /// Whether the store lacks a change the log holds, which the writer gives it again until it takes it.
    store_behind: AtomicBool,
    /// Why the store can no longer take that change: it lost committed transactions meanwhile (a database that came
    /// back rolled back). Only an unseal's check gives it back what it lost.
    store_rolled_back: Mutex<Option<Failed>>,
}

type Reply = oneshot::Sender<Result<u64, Failed>>;

/// Why an append failed: the log could not take it (nothing was written), the store refused the change the log
/// holds, or the store stayed out of reach and the writer gives it the change again until it takes it.
#[derive(Clone)]
enum Failed {
    Log(String),
    Store(String),
    StoreBehind(String),
    CatchingUp,
    /// The log holds the events, but the store's copy of it (PostgreSQL) did not take them: their answers are
    /// refused, so that nothing leaves whose event only this machine holds.
    CopyBehind(String),
    /// The store's copy of the log (PostgreSQL) ends before a group commit with a change that the store had taken:
    /// the database lost committed transactions (an asynchronous standby promoted, a backup restored under a
    /// running coffred), and its records with them. Nothing is answered on such a store; the vault seals itself,
    /// and the next unseal gives it back every change it lost, from the log.
    RolledBack {
        place: String,
        copy_ends: u64,
        took: u64,
    },
}

impl From<String> for Failed {
    fn from(why: String) -> Self {
        Failed::Log(why)
    }
}

impl From<&str> for Failed {
    fn from(why: &str) -> Self {
        Failed::Log(why.to_string())
    }
}

impl Failed {
    fn into_error(self) -> Error {
        match self {
            Failed::Log(why) => Error::AuditUnavailable(why),
            Failed::Store(why) => Error::StoreRefused(why),
            Failed::StoreBehind(why) => Error::StoreBehind(why),
            Failed::CatchingUp => Error::StoreCatchingUp,
            Failed::CopyBehind(why) => Error::StoreUnavailable(why),
            Failed::RolledBack { place, copy_ends, took } => Error::StoreRolledBack { place, copy_ends, took },
        }
    }
}

/// An event waiting to be written, with the change to the store it carries, if any (see `journal.rs`).
struct Pending {
    event: NewEvent,
    time_ms: i64,
    change: Option<journal::Pending>,
    reply: Option<Reply>,
}

enum Msg {
    Append(Box<Pending>),
    SetKey(Option<Box<AuditKeys>>),
    SignHead(oneshot::Sender<Option<SignedHead>>),
    /// The store the writer applies changes to (once, at open), and how long a change is applied again to it while
    /// it is out of reach.
    SetStore(Arc<dyn Store>, std::time::Duration),
    /// The store's last change and digest, once it is checked against the log (at unseal).
    SetApplied(Applied),
    /// Write the store out and sync it now, then answer (at shutdown).
    Checkpoint(oneshot::Sender<()>),
    /// Answer with the number of events durably written once every event sent before is written (or failed).
    WrittenThrough(oneshot::Sender<u64>),
}

impl AuditLog {
    /// Opens the log in `dir` (created if missing) on the real disk, its head witness beside `dir`.
    #[cfg(test)]
    pub(crate) fn open(dir: &Path) -> Result<Self> {
        Self::open_with(dir, &dir.with_file_name(witness::FILE_NAME), Arc::new(Disk), None)
    }

    /// Opens the log in `dir` writing through `storage`: checks how the log ends, refusing damage and moving a
    /// torn final write aside (see [`recover_tail`]), and starts the writer thread.
    /// The head witness at `witness_path` (see [`witness`]) is checked against the log before anything is cut.
    ///
    /// With a store that keeps a copy of the log (`copy`, PostgreSQL), the two are brought level first (see
    /// [`reconcile_copy`]), and the witness is checked against the log as it is then.
    pub(crate) fn open_with(
        dir: &Path,
        witness_path: &Path,
        storage: Arc<dyn Storage>,
        copy: Option<&dyn Store>,
    ) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| io_error("create the audit directory", e))?;
        let witnessed = witness::read(witness_path)
            .map_err(|e| io_error("read the audit head witness", e))?
            .map_err(|problem| damaged(witness_path, 0, 0, problem))?;
        let tail = match copy.filter(|store| store.keeps_log()) {
            Some(store) => {
                reconcile_copy(store, dir, &*storage, recover_tail(dir, witness_path, None)?)?;
                recover_tail(dir, witness_path, witnessed)?
            }
            None => recover_tail(dir, witness_path, witnessed)?,
        };
        let witness = match WitnessFile::open(witness_path, witness::newest_slot(witness_path)) {
            Ok(file) => Some(file),
            Err(e) => {
                tracing::error!(file = %witness_path.display(), error = %e, "cannot write the audit head witness");
                None
            }
        };
        let shared = Arc::new(Shared {
            written: AtomicU64::new(tail.next_seq - 1),
            last_hash: Mutex::new(tail.last_hash),
            store_behind: AtomicBool::new(false),
            store_rolled_back: Mutex::new(None),
        });
        let active = ActiveSegment::open(&*storage, dir, tail.segment_first_seq, tail.segment_len)
            .map_err(|e| io_error("open the audit segment", e))?;
        let (tx, rx) = mpsc::channel();
        let writer = Writer {
            storage,
            dir: dir.to_path_buf(),
            active,
            next_seq: tail.next_seq,
            last_hash: tail.last_hash,
            keys: None,
            backlog: Vec::new(),
            dropped_while_sealed: 0,
            shared: shared.clone(),
            witness,
            store: None,
            store_retry_for: std::time::Duration::ZERO,
            applied: None,
            behind: None,
            parked: None,
            store_took: 0,
            store_dirty: false,
            read_to_behind: false,
            last_checkpoint: std::time::Instant::now(),
        };
        let writer = thread::Builder::new()
            .name("coffre-audit".into())
            .spawn(move || writer.run(rx))
            .map_err(|e| io_error("start the audit writer", e))?;
        Ok(Self {
            tx,
            writer: Arc::new(Mutex::new(Some(writer))),
            shared,
            dir: dir.to_path_buf(),
            witness_path: witness_path.to_path_buf(),
            witnessed,
        })
    }

    /// At unseal: the head witness found at open is signed by this vault's audit key (a forged or foreign witness
    /// is damage too: it cannot be trusted to say where the log ends).
    pub(crate) fn check_witness(&self, keys: &AuditKeys) -> Result<()> {
        let Some(w) = self.witnessed else { return Ok(()) };
        let signed = SignedHead {
            head: coffre_audit::Head { vault_id: keys.vault.0, seq: w.seq, hash: w.hash },
            signature: w.signature,
        };
        keys.public_key()
            .verify(&signed)
            .map_err(|_| damaged(&self.witness_path, 0, w.seq, Problem::AuditWitnessForeign))
    }

    /// The log's directory.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Number of events durably written.
    pub(crate) fn written(&self) -> u64 {
        self.shared.written.load(Ordering::Acquire)
    }

    /// Whether the store lacks a change the log holds (it was out of reach longer than the writer's retry): the
    /// writer gives it the change again every second, and until it has taken it nothing may be read from the store
    /// as if it were current.
    pub(crate) fn store_behind(&self) -> bool {
        self.shared.store_behind.load(Ordering::Acquire)
    }

    /// While the store is behind: the error that says it lost committed transactions meanwhile, found by the writer
    /// as it gave it the missing change again (`store-rolled-back`). The vault must seal: only an unseal's check
    /// gives the store what it lost.
    pub(crate) fn store_rolled_back(&self) -> Option<Error> {
        self.shared.store_rolled_back.lock().unwrap_or_else(|p| p.into_inner()).clone().map(Failed::into_error)
    }

    /// Sequence number and hash of the last durable event (0 and GENESIS for an empty log).
    pub(crate) fn head(&self) -> (u64, [u8; 32]) {
        let hash = self.shared.last_hash.lock().unwrap_or_else(|p| p.into_inner());
        (self.written(), *hash)
    }

    /// Gives the writer the keys to seal and sign with (at unseal), or takes them away (at seal).
    pub(crate) fn set_key(&self, keys: Option<AuditKeys>) {
        let _ = self.tx.send(Msg::SetKey(keys.map(Box::new)));
    }

    /// Appends an event and waits until it is durable. Returns its sequence number.
    pub(crate) async fn append(&self, event: NewEvent, time_ms: i64) -> Result<u64> {
        self.append_with(event, None, time_ms).await
    }

    /// Appends an event with the change to the store it makes (sealed here, beside the event, in the same write and
    /// flush), waits until both are durable and the change is applied to the store. Returns the event's sequence
    /// number.
    pub(crate) async fn append_change(&self, event: NewEvent, change: journal::Pending, time_ms: i64) -> Result<u64> {
        self.append_with(event, Some(change), time_ms).await
    }

    async fn append_with(&self, event: NewEvent, change: Option<journal::Pending>, time_ms: i64) -> Result<u64> {
        let (reply, receipt) = oneshot::channel();
        self.tx
            .send(Msg::Append(Box::new(Pending { event, time_ms, change, reply: Some(reply) })))
            .map_err(|_| Error::AuditUnavailable("the audit writer has stopped".into()))?;
        match receipt.await {
            Ok(Ok(seq)) => Ok(seq),
            Ok(Err(failed)) => Err(failed.into_error()),
            Err(_) => Err(Error::AuditUnavailable("the audit writer has stopped".into())),
        }
    }

    /// Writes the store's applied changes out and syncs them, once every event sent before is written.
    pub(crate) async fn checkpoint(&self) {
        let (reply, done) = oneshot::channel();
        if self.tx.send(Msg::Checkpoint(reply)).is_ok() {
            let _ = done.await;
        }
    }

    /// Gives the writer the store it applies changes to, and how long it applies a change again to it while it is
    /// out of reach.
    pub(crate) fn attach_store(&self, store: Arc<dyn Store>, retry_for: std::time::Duration) {
        let _ = self.tx.send(Msg::SetStore(store, retry_for));
    }

    /// Tells the writer the store's last change and digest, once checked against the log: changes are accepted
    /// from then on, until the vault is sealed.
    pub(crate) fn set_applied(&self, applied: Applied) {
        let _ = self.tx.send(Msg::SetApplied(applied));
    }

    /// Appends events in order and waits until all are durable (they share the writer's batches). Returns the
    /// last sequence number. For bulk loads.
    #[cfg(feature = "bulk")]
    pub(crate) async fn append_many(&self, events: Vec<NewEvent>, time_ms: i64) -> Result<u64> {
        let stopped = || Error::AuditUnavailable("the audit writer has stopped".into());
        let mut receipts = Vec::with_capacity(events.len());
        for event in events {
            let (reply, receipt) = oneshot::channel();
            self.tx
                .send(Msg::Append(Box::new(Pending { event, time_ms, change: None, reply: Some(reply) })))
                .map_err(|_| stopped())?;
            receipts.push(receipt);
        }
        let mut last = 0;
        for receipt in receipts {
            last = receipt.await.map_err(|_| stopped())?.map_err(Failed::into_error)?;
        }
        Ok(last)
    }

    /// The number of events durably written once every event sent before this call has been written (or has failed):
    /// for a reader of the log who must see what was recorded before it asked, including events appended without
    /// waiting ([`AuditLog::append_detached`]).
    pub(crate) async fn written_through(&self) -> Result<u64> {
        let (reply, receipt) = oneshot::channel();
        let stopped = || Error::AuditUnavailable("the audit writer has stopped".into());
        self.tx.send(Msg::WrittenThrough(reply)).map_err(|_| stopped())?;
        receipt.await.map_err(|_| stopped())
    }

    /// Appends an event without waiting (used while sealed, when no key exists to seal it yet).
    pub(crate) fn append_detached(&self, event: NewEvent, time_ms: i64) {
        let _ = self.tx.send(Msg::Append(Box::new(Pending { event, time_ms, change: None, reply: None })));
    }

    /// A fresh signature over the head as it is once every event sent before this call is durable (for exports).
    pub(crate) async fn sign_head(&self) -> Result<SignedHead> {
        let (reply, receipt) = oneshot::channel();
        let stopped = || Error::AuditUnavailable("the audit writer has stopped".into());
        self.tx.send(Msg::SignHead(reply)).map_err(|_| stopped())?;
        receipt.await.map_err(|_| stopped())?.ok_or(Error::Sealed)
    }
}

impl Drop for AuditLog {
    /// The last handle closes the writer's channel and waits for it to finish what it was sent and write the store
    /// out: once a vault is dropped, its files are no longer being written.
    fn drop(&mut self) {
        if Arc::strong_count(&self.writer) != 1 {
            return;
        }
        let (closed, _) = mpsc::channel();
        drop(std::mem::replace(&mut self.tx, closed));
        let handle = self.writer.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(handle) = handle
            && handle.thread().id() != thread::current().id()
        {
            let _ = handle.join();
        }
    }
}

fn io_error(what: &str, err: io::Error) -> Error {
    Error::AuditUnavailable(format!("cannot {what}: {err}"))
}

/// Where the log ends, found on open.
struct TailState {
    segment_first_seq: u64,
    segment_len: u64,
    next_seq: u64,
    last_hash: [u8; 32],
}

/// At open, with a store that keeps a copy of the log: brings the two level.
///
/// - A copy behind the log (a vault moved onto PostgreSQL, or a group commit the database missed) is given what it
///   lacks from the log's segments; if the database does not take it now, the next group commit gives it again.
/// - A log behind its copy (a data directory lost and started afresh, or copied from an older time) is given the
///   group commits it lacks from the copy, each checked to be whole frames numbered in order and ending with its
///   signed head ([`Problem::AuditCopyMalformed`] otherwise; the unseal then checks the last signed head and the
///   events after it, with the audit key).
/// - Either way, where the two overlap their last common group commit must be the same bytes: two that forked are
///   refused ([`StoreError::LogDiffers`]), never stitched together.
fn reconcile_copy(store: &dyn Store, dir: &Path, storage: &dyn Storage, tail: TailState) -> Result<()> {
    let local = tail.next_seq - 1;
    let copied = store.log_last()?;
    if copied < local {
        return match copy_log(store, dir, copied, u64::MAX) {
            Err(e @ StoreError::LogDiffers { .. }) => Err(e.into()),
            Err(e) => {
                tracing::warn!(error = %e, "the database's copy of the audit log is behind; it is given the rest later");
                Ok(())
            }
            Ok(()) => Ok(()),
        };
    }
    if local > 0 {
        // Where the log ends, the copy must hold the same group commit (checked at every start, by reading: a
        // read-only database does not stop a start); only when they differ is it given to the store, which refuses
        // it naming the fork and the database.
        let commit = last_group_commit(dir)?;
        if commit.last_seq != local {
            return Err(damaged(dir, 0, local, Problem::AuditCopyMalformed { seq: commit.first_seq }));
        }
        if store.log_batch(commit.first_seq)?.as_ref() != Some(&commit) {
            let seq = commit.first_seq;
            store.apply_logged(None, &[commit])?;
            return Err(damaged(dir, 0, local, Problem::AuditCopyMalformed { seq }));
        }
    }
    if copied == local {
        return Ok(());
    }
    let mut file_first = tail.segment_first_seq;
    let mut len = tail.segment_len;
    let mut file = storage.open_append(&segment::segment_path(dir, file_first)).map_err(|e| io_error("open", e))?;
    let mut next = local + 1;
    loop {
        let commits = store.log_after(next - 1, COPY_CHUNK)?;
        if commits.is_empty() {
            break;
        }
        for commit in commits {
            if !whole_group_commit(&commit, next) {
                return Err(damaged(dir, 0, next - 1, Problem::AuditCopyMalformed { seq: commit.first_seq }));
            }
            if len >= segment::SEGMENT_TARGET_BYTES {
                file.sync_data().map_err(|e| io_error("write the audit segment", e))?;
                file_first = commit.first_seq;
                len = 0;
                file = storage
                    .open_append(&segment::segment_path(dir, file_first))
                    .map_err(|e| io_error("create an audit segment", e))?;
            }
            file.write_all(&commit.frames).map_err(|e| io_error("write the audit segment", e))?;
            len += commit.frames.len() as u64;
            next = commit.last_seq + 1;
        }
        file.sync_data().map_err(|e| io_error("write the audit segment", e))?;
    }
    storage.sync_dir(dir).map_err(|e| io_error("sync the audit directory", e))?;
    tracing::warn!(
        from = local + 1,
        to = next - 1,
        "the audit log in the data directory lacked events that its copy in the database holds (a data directory \
         lost, or copied from an older time); they were written back from the copy"
    );
    Ok(())
}

/// Whether `commit` (from a store's copy of the log) is one group commit that follows event `next - 1`: whole
/// frames, its events numbered from `next` without a gap, ending with a head frame for its last event.
fn whole_group_commit(commit: &LogBatch, next: u64) -> bool {
    let (frames, end) = segment::scan(&commit.frames);
    let events: Vec<u64> = frames.iter().filter(|f| matches!(f.body, Body::Event(_))).map(|f| f.seq).collect();
    let numbered = events.iter().zip(next..).all(|(seq, expected)| *seq == expected);
    let heads = frames.iter().filter(|f| matches!(f.body, Body::Head(_))).count();
    end == End::Clean
        && commit.first_seq == next
        && numbered
        && events.last() == Some(&commit.last_seq)
        && heads == 1
        && frames.last().is_some_and(|f| matches!(f.body, Body::Head(_)) && f.seq == commit.last_seq)
}

/// The last group commit of the log's segments.
fn last_group_commit(dir: &Path) -> Result<LogBatch> {
    let segments = segment::list_segments(dir).map_err(|e| io_error("list the audit segments", e))?;
    for (_, path) in segments.iter().rev() {
        let bytes = segment::read_segment(path).map_err(|e| io_error("read the audit segment", e))?;
        if let Some(commit) = segment::group_commits(&bytes).pop() {
            let frames = bytes.get(commit.bytes).unwrap_or_default().to_vec();
            return Ok(LogBatch { first_seq: commit.first, last_seq: commit.last, frames });
        }
    }
    Err(damaged(dir, 0, 0, Problem::AuditFirstSegmentMissing { first: 0 }))
}

/// Finds the end of the log and judges it before anything is cut: the segments follow one another without a gap
/// and each finished one ends with a whole head frame, the last segment's events run without gaps, and its end is
/// either clean or torn by a crash ([`segment::End`]). Anything else is damage, refused with the file, the offset
/// and the last good event. Only once everything holds is a torn end moved to a quarantine file beside the segment.
fn recover_tail(dir: &Path, witness_path: &Path, witnessed: Option<Witnessed>) -> Result<TailState> {
    let segments = segment::list_segments(dir).map_err(|e| io_error("list the audit segments", e))?;
    let Some((last_first, last_path)) = segments.last().cloned() else {
        return Ok(TailState { segment_first_seq: 1, segment_len: 0, next_seq: 1, last_hash: GENESIS });
    };
    let before = check_earlier_segments(dir, &segments)?;
    let bytes = segment::read_segment(&last_path).map_err(|e| io_error("read the audit segment", e))?;
    let (frames, end) = segment::scan(&bytes);
    let last_event = check_sequence(&last_path, last_first, &frames)?;
    let (last_seq, last_hash) = match last_event {
        Some(found) => found,
        // The last segment holds no event: the chain continues from the end of the one before it.
        None => before.unwrap_or((0, GENESIS)),
    };
    let end_offset = match end {
        End::Torn(at) | End::Damaged { at, .. } => at,
        End::Clean => bytes.len() as u64,
    };
    if let Some(w) = witnessed {
        // The witness is written only after the log's own flush, so the log must reach it, with the same event.
        let found = frames.iter().rev().find(|f| f.seq == w.seq && matches!(f.body, Body::Event(_))).map(|f| f.hash);
        let found = found.or(before.filter(|(seq, _)| *seq == w.seq).map(|(_, hash)| hash));
        if w.seq > last_seq {
            let witness = witness_path.display().to_string();
            let problem = Problem::AuditEndsBeforeWitness { last_seq, witnessed: w.seq, witness };
            return Err(damaged(&last_path, end_offset, last_seq, problem));
        }
        if found.is_some_and(|hash| hash != w.hash) {
            let witness = witness_path.display().to_string();
            let problem = Problem::AuditWitnessOtherEvent { witnessed: w.seq, witness };
            return Err(damaged(&last_path, 0, w.seq.saturating_sub(1), problem));
        }
    }
    let len = match end {
        End::Clean => bytes.len() as u64,
        End::Damaged { at, problem } => return Err(damaged(&last_path, at, last_seq, problem)),
        End::Torn(at) => {
            quarantine_torn_end(&last_path, &bytes, at, last_seq)?;
            at
        }
    };
    Ok(TailState { segment_first_seq: last_first, segment_len: len, next_seq: last_seq + 1, last_hash })
}

fn damaged(path: &Path, offset: u64, last_good: u64, problem: Problem) -> Error {
    Error::AuditDamaged { file: path.display().to_string(), offset, last_good, problem }
}

/// Checks what can be checked of the finished segments without reading them whole (start-up reads only the last
/// one): the first starts at event 1, each ends with a whole head frame, and the next starts just after it.
/// Returns the last head of the segment before the last one. Damage inside a finished segment is found when it is
/// read (export, verification, backup).
fn check_earlier_segments(dir: &Path, segments: &[(u64, PathBuf)]) -> Result<Option<(u64, [u8; 32])>> {
    if let Some((first, _)) = segments.first()
        && *first != 1
    {
        let missing = segment::segment_path(dir, 1);
        return Err(damaged(&missing, 0, 0, Problem::AuditFirstSegmentMissing { first: *first }));
    }
    let mut before = None;
    for pair in segments.windows(2) {
        let [(first, path), (next_first, _)] = pair else { continue };
        let (offset, head) = segment::read_final_head(path).map_err(|e| io_error("read the audit segment", e))?;
        let Some(head) = head else {
            return Err(damaged(path, offset, first.saturating_sub(1), Problem::AuditSegmentWithoutHead));
        };
        if head.seq + 1 != *next_first {
            let problem = Problem::AuditSegmentsGap { last: head.seq, next: *next_first };
            return Err(damaged(path, offset, head.seq.min(next_first.saturating_sub(1)), problem));
        }
        before = Some((head.seq, head.hash));
    }
    Ok(before)
}

/// Moves the torn end of a segment (from `at`) to a new file beside it, made durable, and only then cuts the
/// segment: the bytes are kept for whoever wants to look at them, and the log continues after its last whole frame.
fn quarantine_torn_end(path: &Path, bytes: &[u8], at: u64, last_good: u64) -> Result<()> {
    let cut = bytes.get(usize::try_from(at).unwrap_or(usize::MAX)..).unwrap_or_default();
    let aside = segment::write_quarantine(path, at, cut).map_err(|e| io_error("keep the torn audit write aside", e))?;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| io_error("open the audit segment for repair", e))?;
    file.set_len(at).and_then(|()| file.sync_all()).map_err(|e| io_error("cut the torn audit write", e))?;
    tracing::error!(
        segment = %path.display(),
        offset = at,
        bytes = cut.len(),
        last_good_event = last_good,
        torn_frame_claims_event = ?segment::claimed_seq(cut),
        quarantine = %aside.display(),
        "a torn final audit write (a crash during a write; nothing in it was acknowledged) was moved aside; the log \
         continues after event {last_good}"
    );
    Ok(())
}

/// Checks that the event frames of a segment starting at `first` are numbered without gaps; returns the last.
fn check_sequence(path: &Path, first: u64, frames: &[segment::Frame]) -> Result<Option<(u64, [u8; 32])>> {
    let mut last = None;
    for (expected, frame) in (first..).zip(frames.iter().filter(|f| matches!(f.body, Body::Event(_)))) {
        if frame.seq != expected {
            return Err(Error::AuditChainBroken {
                seq: expected,
                problem: Problem::AuditEventMissingFrom { segment: path.display().to_string(), next: frame.seq },
            });
        }
        last = Some((frame.seq, frame.hash));
    }
    Ok(last)
}

struct Writer {
    storage: Arc<dyn Storage>,
    dir: PathBuf,
    active: ActiveSegment,
    next_seq: u64,
    last_hash: [u8; 32],
    keys: Option<Box<AuditKeys>>,
    backlog: Vec<Pending>,
    dropped_while_sealed: u64,
    shared: Arc<Shared>,
    witness: Option<WitnessFile>,
    /// The store changes are applied to, and its last change and digest once checked (`None` while sealed or not
    /// yet checked: changes are refused).
    store: Option<Arc<dyn Store>>,
    applied: Option<Applied>,
    /// The change the log holds and the store missed, while the writer gives it again (see [`Writer::catch_up`]),
    /// unsealed or sealed: an owner's seal whose mark the database missed reaches it once it answers.
    behind: Option<Behind>,
    /// `behind`, set aside while an unseal checks the store against the log (nothing is given to the store under
    /// that check): dropped once the check agrees (it replayed the change), given back if the unseal fails.
    parked: Option<Behind>,
    /// The last event of the last group commit with a change that the store's copy of the log took from this
    /// writer (0: none since the last unseal's check): a copy that later ends before it was rolled back.
    store_took: u64,
    /// How long a change is applied again to a store out of reach before the writer gives up.
    store_retry_for: std::time::Duration,
    /// Whether changes were applied to the store since it was last written out and synced ([`Writer::checkpoint`]).
    store_dirty: bool,
    /// Whether events were written since the store last recorded how far it has read the log (`journal::ReadTo`).
    read_to_behind: bool,
    last_checkpoint: std::time::Instant,
}

/// A change the log holds that the store did not take because it stayed out of reach (a database down or read-only
/// for longer than the writer's retry): its batch, with the applied marker it sets, and the store's last answer.
/// An owner's seal made meanwhile joins it ([`journal::Pending::Seal`]): its operations go after the missed ones in
/// `batch`, with the applied marker it sets, and its group commit after theirs in `log`, so that the store takes both
/// in one transaction, in the log's order.
struct Behind {
    batch: Batch,
    /// The group commits that carry it, for a store that keeps a copy of the log.
    log: Vec<LogBatch>,
    applied: Applied,
    last_attempt: std::time::Instant,
    last_error: String,
}

impl Writer {
    fn run(mut self, rx: mpsc::Receiver<Msg>) {
        loop {
            // While the store lacks a change, wake up to give it again; while it has changes not yet on disk, wake
            // up to checkpoint it once things are quiet; an idle daemon with nothing to write sleeps.
            let wake = if self.behind.is_some() {
                Some(CATCH_UP_EVERY)
            } else if self.store_dirty || self.read_to_behind {
                Some(CHECKPOINT_AFTER)
            } else {
                None
            };
            let first = if let Some(wake) = wake {
                match rx.recv_timeout(wake) {
                    Ok(msg) => msg,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        self.catch_up(true);
                        self.checkpoint();
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match rx.recv() {
                    Ok(msg) => msg,
                    Err(_) => break,
                }
            };
            let mut batch = Vec::new();
            self.take(first, &mut batch);
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(msg) => self.take(msg, &mut batch),
                    Err(_) => break,
                }
            }
            if !batch.is_empty() {
                self.write_batch(batch);
            }
            if (self.store_dirty || self.read_to_behind) && self.last_checkpoint.elapsed() >= CHECKPOINT_AFTER * 10 {
                // Under a steady load that never goes quiet.
                self.checkpoint();
            }
        }
        self.checkpoint();
    }

    /// Writes the store's buffers out and syncs them (changes are applied to the store without either: the log is
    /// the durable record). Keeps what an unseal after a crash has to replay short.
    ///
    /// With the store checked and every change applied, it also records how far it has read the log, so that the
    /// next unseal reads only the events after it for changes to replay, however many events without a change
    /// there are.
    fn checkpoint(&mut self) {
        if !self.store_dirty && !self.read_to_behind {
            return;
        }
        if let (Some(store), Some(applied), Some(keys)) = (&self.store, self.applied, &self.keys)
            && self.read_to_behind
        {
            let read_to = journal::ReadTo { through: self.next_seq - 1, applied };
            let mut batch = Batch::default();
            batch.insert(journal::READ_TO_KEY.to_vec(), read_to.encode(keys));
            match store.apply(batch) {
                Ok(()) => self.store_dirty = true,
                Err(e) => tracing::error!(error = %e, "cannot record in the store how far it has read the audit log"),
            }
        }
        self.read_to_behind = false;
        if self.store_dirty
            && let Some(store) = &self.store
            && let Err(e) = store.flush()
        {
            tracing::error!(error = %e, "cannot write the store out (the audit log still holds every change)");
        }
        self.store_dirty = false;
        self.last_checkpoint = std::time::Instant::now();
    }

    /// Sorts one message: a key change applies at once (flushing the sealed-time backlog first), an event joins the
    /// batch, or the backlog while there is no key; a head is signed once the events before it are written.
    fn take(&mut self, msg: Msg, batch: &mut Vec<Pending>) {
        match msg {
            Msg::SetKey(keys) => {
                // Events already batched were sent under the previous key state; write them before it changes.
                if !batch.is_empty() {
                    self.write_batch(std::mem::take(batch));
                }
                if keys.is_none() {
                    // Sealing: leave the witness current and durable while the key to sign it is still here.
                    self.witness_now();
                }
                // Sealing or unsealing: what was applied is written out (with how far the store has read the log,
                // while the key to authenticate that is still here), and no change is accepted until the store is
                // checked again.
                self.checkpoint();
                self.applied = None;
                if keys.is_some() {
                    // Unsealing: a change the store missed is replayed from the log by the unseal's check, like any
                    // other, and the store is left alone while it reads it.
                    self.parked = self.behind.take();
                    self.shared.store_behind.store(false, Ordering::Release);
                    *self.shared.store_rolled_back.lock().unwrap_or_else(|p| p.into_inner()) = None;
                } else if self.behind.is_none() {
                    // Sealing, or an unseal that failed: a change still missing is given again while sealed, so that
                    // a seal's mark reaches the database whenever it answers again (standby.rs).
                    self.behind = self.parked.take();
                    self.shared.store_behind.store(self.behind.is_some(), Ordering::Release);
                }
                self.keys = keys;
                if self.keys.is_some() && !self.backlog.is_empty() {
                    let backlog = std::mem::take(&mut self.backlog);
                    self.write_batch(backlog);
                }
                if self.keys.is_some() {
                    // Unsealing: a vault from before witnesses (or after a restore) gets one now.
                    self.witness_now();
                }
                if self.keys.is_some() && self.dropped_while_sealed > 0 {
                    tracing::warn!(dropped = self.dropped_while_sealed, "audit events dropped while sealed");
                    self.dropped_while_sealed = 0;
                }
            }
            Msg::SetStore(store, retry_for) => {
                self.store = Some(store);
                self.store_retry_for = retry_for;
            }
            Msg::Checkpoint(reply) => {
                if !batch.is_empty() {
                    self.write_batch(std::mem::take(batch));
                }
                self.catch_up(true);
                self.checkpoint();
                let _ = reply.send(());
            }
            Msg::SetApplied(applied) => {
                if !batch.is_empty() {
                    self.write_batch(std::mem::take(batch));
                }
                self.applied = Some(applied);
                // The unseal's check agreed with the log: it replayed whatever the store had missed, and the copy of
                // the log gets what it lacks with the next group commit.
                self.parked = None;
                self.store_took = self.copy_holds(applied.seq);
            }
            Msg::WrittenThrough(reply) => {
                if !batch.is_empty() {
                    self.write_batch(std::mem::take(batch));
                }
                let _ = reply.send(self.shared.written.load(Ordering::Acquire));
            }
            Msg::SignHead(reply) => {
                if !batch.is_empty() {
                    self.write_batch(std::mem::take(batch));
                }
                let signed = self.keys.as_ref().map(|keys| keys.sign(self.next_seq - 1, self.last_hash));
                let _ = reply.send(signed);
            }
            Msg::Append(pending) => {
                let pending = *pending;
                if self.keys.is_some() {
                    batch.push(pending);
                } else if pending.change.is_some() {
                    // A change waits for nothing: the vault was sealed under it, so it is refused, not kept for the
                    // next unseal (which checks the store against the log before anything else is written).
                    if let Some(reply) = pending.reply {
                        let _ = reply.send(Err("the vault was sealed before the change was written".into()));
                    }
                } else if self.backlog.len() < MAX_SEALED_BACKLOG {
                    self.backlog.push(pending);
                } else {
                    self.dropped_while_sealed += 1;
                    if let Some(reply) = pending.reply {
                        let _ = reply.send(Err("the vault is sealed and the audit backlog is full".into()));
                    }
                }
            }
        }
    }

    /// Numbers, chains and seals the batch, adds one signed head, and writes it all with one write and one
    /// fdatasync; only then are the callers answered.
    fn write_batch(&mut self, batch: Vec<Pending>) {
        if self.keys.is_none() {
            self.backlog.extend(batch);
            return;
        }
        // A change the store missed goes first, if it answers again: this batch's changes build on it.
        self.catch_up(false);
        let Some(keys) = &self.keys else { return };
        // While the store still lacks it, only a seal goes in, on top of it: numbered after it, digested on the
        // store as the missed change leaves it, and given to the store with it.
        let catching_up = self.behind.is_some();
        let mut bytes = Vec::with_capacity(batch.len() * 512 + 128);
        let mut seq = self.next_seq;
        let mut hash = self.last_hash;
        let mut replies = Vec::with_capacity(batch.len());
        let mut failure = None;
        let mut plain = Vec::with_capacity(256);
        // The changes of this group: numbered and digested in order on top of what earlier ones write, applied to
        // the store together once the log is durable.
        let mut applied = self.applied;
        let mut overlay = Overlay::new();
        if let Some(behind) = &self.behind
            && batch.iter().any(|pending| matches!(pending.change, Some(journal::Pending::Seal(_))))
        {
            applied = Some(behind.applied);
            for (key, value) in behind.batch.ops() {
                overlay.insert(key.to_vec(), value.map(<[u8]>::to_vec));
            }
        }
        let mut store_batch: Option<Batch> = None;
        for Pending { event: new, time_ms, change, reply } in batch {
            let change = match change {
                None => None,
                Some(change) => {
                    let prepared = prepare_change(
                        self.store.as_deref(),
                        &mut overlay,
                        &mut applied,
                        &mut store_batch,
                        seq,
                        change,
                        catching_up,
                    );
                    match prepared {
                        Ok(encoded) => Some(encoded),
                        Err(why) => {
                            // Refused before anything is written: the event is not written either. While the store
                            // lacks a change, that is why (a request that got past the engine's check just before).
                            let failed = if self.behind.is_some() { Failed::CatchingUp } else { Failed::Log(why) };
                            if let Some(reply) = reply {
                                let _ = reply.send(Err(failed));
                            }
                            continue;
                        }
                    }
                }
            };
            let changed = change.is_some();
            let event = AuditEvent {
                seq,
                time_ms,
                actor: new.actor,
                action: new.action.to_string(),
                target: new.target,
                outcome: new.outcome,
                reason: new.reason,
                detail: new.detail,
                client_addr: new.client_addr,
                client_agent: new.client_agent,
            };
            plain.clear();
            plain.extend_from_slice(&event.canonical());
            let next_hash = coffre_audit::chain_hash(&hash, &plain);
            let id = seq.to_be_bytes();
            let aad = RecordAad { vault: &keys.vault, kind: RecordKind::AuditEvent, id: &id, version: 0 };
            let sealed = record::seal(&keys.seal, &aad, &plain).and_then(|sealed| {
                segment::encode_event(&mut bytes, seq, &next_hash, &sealed);
                match &change {
                    Some(change) => encode_change_chunks(&mut bytes, keys, seq, &next_hash, change),
                    None => Ok(()),
                }
            });
            match sealed {
                Ok(()) => {
                    hash = next_hash;
                    replies.push((seq, changed, reply));
                    seq += 1;
                }
                Err(err) => {
                    failure = Some(format!("cannot seal the audit event or its change: {err}"));
                    replies.push((0, changed, reply));
                }
            }
        }
        if replies.is_empty() {
            return;
        }
        zeroize::Zeroize::zeroize(&mut plain);
        let mut signature = [0; 64];
        let first = self.next_seq;
        let result = match failure {
            Some(why) => Err(why),
            None => {
                let signed = keys.sign(seq - 1, hash);
                signature = signed.signature;
                segment::encode_head(&mut bytes, seq - 1, &hash, &signed.signature);
                self.rotate_if_needed().and_then(|()| self.active.append_durably(&bytes)).map_err(|e| {
                    tracing::error!(error = %e, "audit log write failed; nothing was acknowledged");
                    format!("the audit log could not be written ({e})")
                })
            }
        };
        match result {
            Ok(()) => {
                self.next_seq = seq;
                self.last_hash = hash;
                // After the log's flush, never before: the witness may lag the log, never lead it.
                if let Some(witness) = &mut self.witness
                    && let Err(e) = witness.record(&Witnessed { seq: seq - 1, hash, signature })
                {
                    tracing::error!(error = %e, "cannot write the audit head witness");
                }
                *self.shared.last_hash.lock().unwrap_or_else(|p| p.into_inner()) = hash;
                self.shared.written.store(seq - 1, Ordering::Release);
                self.read_to_behind = self.applied.is_some();
                // The log holds the changes now: the store follows, and they are answered once it has. A store
                // that keeps a copy of the log takes the group commit in the same transaction, and then every
                // answer waits for it.
                self.applied = applied;
                if applied.is_some() && !catching_up {
                    // A baseline (an unseal's first change, with no check to agree): nothing set aside remains.
                    self.parked = None;
                }
                let log = self.store.as_ref().filter(|store| store.keeps_log()).map(|_| LogBatch {
                    first_seq: first,
                    last_seq: seq - 1,
                    frames: bytes,
                });
                let copied = log.is_some();
                let stored = match (store_batch, applied, &self.store) {
                    (Some(batch), Some(applied), Some(_)) if let Some(behind) = &mut self.behind => {
                        // A seal, while the store lacks a change: it joins it, and reaches the store with it.
                        for (key, value) in batch.ops() {
                            match value {
                                Some(value) => behind.batch.insert(key.to_vec(), value.to_vec()),
                                None => behind.batch.remove(key.to_vec()),
                            }
                        }
                        behind.batch.insert(journal::APPLIED_KEY.to_vec(), applied.encode());
                        behind.applied = applied;
                        behind.log.extend(log);
                        tracing::warn!(
                            "the store still lacks a change the audit log holds; this one is given to it after that \
                             one, once it answers"
                        );
                        Err(Failed::StoreBehind(behind.last_error.clone()))
                    }
                    (Some(mut batch), Some(applied), Some(store)) => {
                        batch.insert(journal::APPLIED_KEY.to_vec(), applied.encode());
                        self.store_dirty = true;
                        let took = self.store_took;
                        match deliver(&**store, &self.dir, Some(&batch), log.as_slice(), self.store_retry_for, took) {
                            Ok(()) => {
                                if copied {
                                    self.store_took = seq - 1;
                                }
                                Ok(())
                            }
                            Err(e) if let Some(rolled) = rolled_back(&e, took) => Err(rolled),
                            Err(e) if e.is_unavailable() => {
                                tracing::error!(
                                    error = %e,
                                    "the store stayed out of reach after the audit log took a change; giving it the \
                                     change again every second, and answering unavailable until it takes it"
                                );
                                let why = e.to_string();
                                let (last_attempt, last_error) = (std::time::Instant::now(), why.clone());
                                let log = log.into_iter().collect();
                                self.behind = Some(Behind { batch, log, applied, last_attempt, last_error });
                                self.shared.store_behind.store(true, Ordering::Release);
                                Err(Failed::StoreBehind(why))
                            }
                            Err(e) => Err(Failed::Store(e.to_string())),
                        }
                    }
                    (None, _, Some(store)) if log.is_some() => {
                        let took = self.store_took;
                        deliver(&**store, &self.dir, None, log.as_slice(), self.store_retry_for, took).map_err(|e| {
                            if let Some(rolled) = rolled_back(&e, took) {
                                return rolled;
                            }
                            tracing::error!(
                                error = %e,
                                "the database did not take the audit log's group commit; its answers are refused, \
                                 and it is given again with the next one"
                            );
                            Failed::CopyBehind(e.to_string())
                        })
                    }
                    _ => Ok(()),
                };
                if let Err(rolled @ Failed::RolledBack { .. }) = &stored {
                    tracing::error!(
                        error = %rolled.clone().into_error(),
                        "the store lost changes it had taken; nothing is answered on it, and the vault seals itself"
                    );
                }
                if stored.as_ref().is_err_and(|failed| !matches!(failed, Failed::CopyBehind(_))) {
                    // The store is behind the log: no more changes until it has caught up (or an unseal checks and
                    // replays it).
                    self.applied = None;
                }
                for (seq, changed, reply) in replies {
                    let answer = match &stored {
                        Err(failed) if changed || matches!(failed, Failed::RolledBack { .. }) => Err(failed.clone()),
                        // The event is not in the store's copy of the log: nothing may leave on it.
                        Err(Failed::StoreBehind(why) | Failed::Store(why) | Failed::CopyBehind(why)) if copied => {
                            Err(Failed::CopyBehind(why.clone()))
                        }
                        _ => Ok(seq),
                    };
                    if let Some(reply) = reply {
                        let _ = reply.send(answer);
                    }
                }
            }
            Err(why) => {
                for (_, _, reply) in replies {
                    if let Some(reply) = reply {
                        let _ = reply.send(Err(Failed::Log(why.clone())));
                    }
                }
            }
        }
    }

    /// `seq` (the store's last change, as an unseal's check found it) when the store's copy of the log holds its
    /// group commit, so that a copy that loses it from now on is found ([`rolled_back`]); else 0 (no copy, a copy
    /// refilled only with the next group commit, or a database that did not answer).
    fn copy_holds(&self, seq: u64) -> u64 {
        match &self.store {
            Some(store) if store.keeps_log() => match store.log_last() {
                Ok(end) if end >= seq => seq,
                _ => 0,
            },
            _ => 0,
        }
    }

    /// Gives the store the change it missed again (at most every [`CATCH_UP_EVERY`] unless `now`): once it takes
    /// it, changes are accepted again and the vault serves as before, with no owner needed. Any answer but success
    /// leaves it behind (a store that refuses for good is checked at the next unseal, after a restart).
    fn catch_up(&mut self, now: bool) {
        let (Some(behind), Some(store)) = (&mut self.behind, &self.store) else { return };
        if !now && behind.last_attempt.elapsed() < CATCH_UP_EVERY {
            return;
        }
        behind.last_attempt = std::time::Instant::now();
        let took = self.store_took;
        match deliver(&**store, &self.dir, Some(&behind.batch), &behind.log, std::time::Duration::ZERO, took) {
            Ok(()) => {
                if let Some(log) = behind.log.last() {
                    self.store_took = log.last_seq;
                }
                if self.keys.is_some() {
                    tracing::info!("the store took the change it had missed; the vault serves again");
                    self.applied = Some(behind.applied);
                } else {
                    // Sealed: no change is accepted until an unseal has checked the store.
                    tracing::info!("the store took the change it had missed; the vault stays sealed");
                }
                self.behind = None;
                self.store_dirty = true;
                self.shared.store_behind.store(false, Ordering::Release);
                *self.shared.store_rolled_back.lock().unwrap_or_else(|p| p.into_inner()) = None;
            }
            Err(e) => {
                let rolled = rolled_back(&e, took);
                if rolled.is_some() {
                    // Until an unseal: a database that answers or not afterwards still lost them.
                    *self.shared.store_rolled_back.lock().unwrap_or_else(|p| p.into_inner()) = rolled.clone();
                }
                let rolled = rolled.map(Failed::into_error);
                let why = rolled.as_ref().map_or_else(|| e.to_string(), ToString::to_string);
                if why != behind.last_error {
                    if let Some(rolled) = rolled {
                        tracing::error!(
                            error = %rolled,
                            "the store lost changes it had taken while it was missing one; the vault seals itself at \
                             the next request, and its owner's unseal gives the store every change it lost, from the log"
                        );
                    } else if e.is_unavailable() {
                        tracing::warn!(error = %e, "the store does not take the change it missed yet; trying again");
                    } else {
                        tracing::error!(
                            error = %e,
                            "the store refuses the change it missed; trying again, but if this lasts restart coffred \
                             (it then waits for an owner's unseal, which checks the store and replays the change)"
                        );
                    }
                    behind.last_error = why;
                }
            }
        }
    }

    /// Signs the current head and writes it to the witness durably (nothing to do before the first event).
    fn witness_now(&mut self) {
        let (Some(keys), Some(witness)) = (&self.keys, &mut self.witness) else { return };
        if self.next_seq <= 1 {
            return;
        }
        let signed = keys.sign(self.next_seq - 1, self.last_hash);
        let head = Witnessed { seq: signed.head.seq, hash: signed.head.hash, signature: signed.signature };
        if let Err(e) = witness.record_durably(&head) {
            tracing::error!(error = %e, "cannot write the audit head witness");
        }
    }

    /// Starts a new segment when the current one is past its target size.
    fn rotate_if_needed(&mut self) -> io::Result<()> {
        if self.active.len >= segment::SEGMENT_TARGET_BYTES {
            self.active = ActiveSegment::open(&*self.storage, &self.dir, self.next_seq, 0)?;
        }
        Ok(())
    }
}

/// Gives the store a batch the log already holds (if any) with its group commit (for a store that keeps a copy of
/// the log), through [`apply_until_reached`]. A copy that lacks earlier group commits (the database was out of
/// reach for one of them, or this log was never copied) is given them from the log's own segments first.
fn deliver(
    store: &dyn Store,
    dir: &Path,
    batch: Option<&Batch>,
    log: &[LogBatch],
    retry_for: std::time::Duration,
    took: u64,
) -> coffre_store::Result<()> {
    apply_until_reached(retry_for, || match store.apply_logged(batch.cloned(), log) {
        // A copy that lost a group commit whose change the store took lost that change's records too: the log's
        // group commits given back would not bring them back (see [`rolled_back`]).
        Err(gap @ StoreError::LogGap { .. }) if rolled_back(&gap, took).is_some() => Err(gap),
        Err(StoreError::LogGap { last, next, .. }) => {
            copy_log(store, dir, last, next)?;
            store.apply_logged(batch.cloned(), log)
        }
        done => done,
    })
}

/// Whether `e`, a store's answer to a group commit, says that its copy of the log ends before `took`, the last
/// event of a group commit with a change that the store took: it was rolled back, records and all.
fn rolled_back(e: &StoreError, took: u64) -> Option<Failed> {
    match e {
        StoreError::LogGap { place, last, .. } if *last < took => {
            Some(Failed::RolledBack { place: place.clone(), copy_ends: *last, took })
        }
        _ => None,
    }
}

/// Most bytes of group commits given to a store's copy of the log in one transaction while it catches up.
const COPY_CHUNK: usize = 4 << 20;

/// Gives the store's copy of the log (which ends at event `after`) every group commit of the log's segments after
/// it and before event `before`, a few MiB per transaction. The copy's last group commit is given too, and the
/// store refuses it unless it is the log's own ([`StoreError::LogDiffers`]): two logs that forked are never
/// stitched together.
pub(crate) fn copy_log(store: &dyn Store, dir: &Path, after: u64, before: u64) -> coffre_store::Result<()> {
    let unreadable = |e: io::Error| StoreError::Database {
        op: "copy the audit log",
        detail: format!("cannot read the audit log in {}: {e}", dir.display()),
    };
    let segments = segment::list_segments(dir).map_err(unreadable)?;
    // The segment that holds event `after` (or the first), and every one after it.
    let from = segments.iter().rposition(|(first, _)| *first <= after.max(1)).unwrap_or(0);
    let mut chunk: Vec<LogBatch> = Vec::new();
    let mut chunk_bytes = 0;
    for (_, path) in segments.get(from..).unwrap_or_default() {
        let bytes = segment::read_segment(path).map_err(unreadable)?;
        for commit in segment::group_commits(&bytes) {
            // The group commit that ends the copy is given again too: the store checks that it holds the same
            // bytes (or refuses: the two have forked).
            if commit.last < after || commit.first >= before {
                continue;
            }
            let frames = bytes.get(commit.bytes.clone()).unwrap_or_default().to_vec();
            chunk_bytes += frames.len();
            chunk.push(LogBatch { first_seq: commit.first, last_seq: commit.last, frames });
            if chunk_bytes >= COPY_CHUNK {
                store.apply_logged(None, &std::mem::take(&mut chunk))?;
                chunk_bytes = 0;
            }
        }
    }
    if !chunk.is_empty() {
        store.apply_logged(None, &chunk)?;
    }
    Ok(())
}

/// Runs `apply` (a batch the log already holds) until the store takes it. A store out of reach (a database that
/// went away between the change's reads and its write: failing over, restarting) gets the same batch again, for at
/// most `retry_for`: a batch sets each key to a value and the applied marker to this change, and a group commit the
/// store's copy of the log already holds is passed over, so applying it twice, or once more after a commit whose
/// answer was lost, leaves the store the same. Any other refusal is returned at once.
fn apply_until_reached(
    retry_for: std::time::Duration,
    mut apply: impl FnMut() -> coffre_store::Result<()>,
) -> coffre_store::Result<()> {
    let first = match apply() {
        Err(e) if e.is_unavailable() => e,
        done => return done,
    };
    tracing::warn!(
        error = %first,
        "the store is out of reach after the audit log took a change; applying it again until it answers"
    );
    let giving_up = std::time::Instant::now() + retry_for;
    let mut attempts = 1u32;
    let mut last = first;
    while std::time::Instant::now() < giving_up {
        std::thread::sleep(STORE_RETRY_PAUSE);
        attempts += 1;
        match apply() {
            Ok(()) => {
                tracing::info!(attempts, "the change was applied once the store answered again");
                return Ok(());
            }
            Err(e) if e.is_unavailable() => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Numbers one change of a group commit as event `seq`'s, on top of the store with `overlay` (what the group's
/// earlier changes write): returns it encoded, and adds its writes to `store_batch`. Refused while the store is not
/// checked (sealed, or not yet reconciled at unseal), but for a baseline, which starts the record; and while the
/// store lacks an earlier change (`catching_up`), but for a seal.
fn prepare_change(
    store: Option<&dyn Store>,
    overlay: &mut Overlay,
    applied: &mut Option<Applied>,
    store_batch: &mut Option<Batch>,
    seq: u64,
    change: journal::Pending,
    catching_up: bool,
) -> std::result::Result<Vec<u8>, String> {
    let store = store.ok_or("the audit log has no store to apply changes to")?;
    match change {
        journal::Pending::Batch(_) if catching_up => Err("the store lacks an earlier change".into()),
        journal::Pending::Batch(batch) | journal::Pending::Seal(batch) => {
            let before = applied.ok_or("the vault is sealed, or its store is not checked yet: unseal it")?;
            let (digest, written) =
                journal::digest_after(store, overlay, before.digest, batch.ops()).map_err(|e| e.to_string())?;
            overlay.extend(written);
            let ops: Vec<(&[u8], Option<&[u8]>)> = batch.ops().collect();
            let encoded = Change::encode(before.seq, &digest, &ops);
            drop(ops);
            let merged = store_batch.get_or_insert_with(Batch::default);
            for (key, value) in batch.ops() {
                match value {
                    Some(value) => merged.insert(key.to_vec(), value.to_vec()),
                    None => merged.remove(key.to_vec()),
                }
            }
            *applied = Some(Applied { seq, digest });
            Ok(encoded)
        }
        journal::Pending::Baseline { encoded, digest } => {
            if applied.is_some() {
                return Err("a baseline only starts the log's record of a store".into());
            }
            store_batch.get_or_insert_with(Batch::default);
            *applied = Some(Applied { seq, digest });
            Ok(encoded)
        }
    }
}

/// Most bytes of a change sealed in one frame; a larger change is cut into several chunk frames.
const CHANGE_CHUNK: usize = 512 * 1024;

/// Seals `change` in chunks, each bound to the event's seq, its index and their count, and encodes their frames.
fn encode_change_chunks(
    out: &mut Vec<u8>,
    keys: &AuditKeys,
    seq: u64,
    hash: &[u8; 32],
    change: &[u8],
) -> std::result::Result<(), coffre_crypto::CryptoError> {
    let chunks: Vec<&[u8]> = if change.is_empty() { vec![change] } else { change.chunks(CHANGE_CHUNK).collect() };
    let count = u32::try_from(chunks.len()).map_err(|_| coffre_crypto::CryptoError::Malformed("change too large"))?;
    for (index, chunk) in (0u32..).zip(chunks) {
        let id = change_chunk_id(seq, index, count);
        let aad = RecordAad { vault: &keys.vault, kind: RecordKind::AuditChange, id: &id, version: 0 };
        let sealed = record::seal(&keys.seal, &aad, chunk)?;
        let mut body = Vec::with_capacity(8 + sealed.len());
        body.extend_from_slice(&index.to_be_bytes());
        body.extend_from_slice(&count.to_be_bytes());
        body.extend_from_slice(&sealed);
        segment::encode_change(out, seq, hash, &body);
    }
    Ok(())
}

/// The id a change chunk is sealed under: the event's seq, the chunk's index and the number of chunks.
pub(crate) fn change_chunk_id(seq: u64, index: u32, count: u32) -> [u8; 16] {
    let mut id = [0; 16];
    id[..8].copy_from_slice(&seq.to_be_bytes());
    id[8..12].copy_from_slice(&index.to_be_bytes());
    id[12..].copy_from_slice(&count.to_be_bytes());
    id
}

/// The segment files of the log in `dir` as they are now, for a backup: (first sequence number, bytes), in order.
/// The last one is cut after its last whole frame, since a batch may be being appended while it is read.
pub(crate) fn copy_segments(dir: &Path) -> Result<Vec<(u64, Vec<u8>)>> {
    let segments = segment::list_segments(dir).map_err(|e| io_error("list the audit segments", e))?;
    let last = segments.len().saturating_sub(1);
    let mut copies = Vec::with_capacity(segments.len());
    for (i, (first, path)) in segments.into_iter().enumerate() {
        let mut bytes = segment::read_segment(&path).map_err(|e| io_error("read the audit segment", e))?;
        if i == last
            && let (_, Tail::Torn(at)) = segment::decode_frames(&bytes)
        {
            bytes.truncate(usize::try_from(at).unwrap_or(bytes.len()));
        }
        copies.push((first, bytes));
    }
    Ok(copies)
}

/// Where a restore writes the segment whose first event is `first_seq` (the name the log itself gives it).
pub(crate) fn segment_path(dir: &Path, first_seq: u64) -> PathBuf {
    segment::segment_path(dir, first_seq)
}

/// Reads and checks every durable event of the log (tests).
#[cfg(test)]
pub(crate) fn read_all(log: &AuditLog, keys: &Arc<AuditKeys>) -> Result<Vec<AuditEvent>> {
    read::Events::new(log.dir(), keys.clone(), 1, log.written())?.map(|c| c.map(|c| c.event)).collect()
}

#[cfg(test)]
pub(crate) mod faulty;
#[cfg(test)]
mod tests;
