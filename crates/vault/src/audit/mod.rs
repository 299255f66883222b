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

use std::{
    io,
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
        mpsc,
    },
    thread,
};

pub use coffre_audit::{AuditEvent, Outcome};
use coffre_audit::{GENESIS, SignedHead};
use coffre_crypto::record::{self, RecordAad, RecordKind};
pub(crate) use event::NewEvent;
pub(crate) use keys::AuditKeys;
use segment::{ActiveSegment, Body, Tail};
pub(crate) use segment::{Disk, Storage};
use tokio::sync::oneshot;

use crate::{Error, Result};

/// Most events written in one batch (one flush).
const MAX_BATCH: usize = 4096;
/// Most events kept in memory while sealed; older ones beyond this are counted as dropped and reported.
const MAX_SEALED_BACKLOG: usize = 10_000;

/// A handle on the audit log. Cheap to clone.
#[derive(Clone)]
pub(crate) struct AuditLog {
    tx: mpsc::Sender<Msg>,
    shared: Arc<Shared>,
    dir: PathBuf,
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
}

type Reply = oneshot::Sender<Result<u64, String>>;

enum Msg {
    Append { event: NewEvent, time_ms: i64, reply: Option<Reply> },
    SetKey(Option<Box<AuditKeys>>),
    SignHead(oneshot::Sender<Option<SignedHead>>),
}

impl AuditLog {
    /// Opens the log in `dir` (created if missing) on the real disk.
    #[cfg(test)]
    pub(crate) fn open(dir: &Path) -> Result<Self> {
        Self::open_with(dir, Arc::new(Disk))
    }

    /// Opens the log in `dir` writing through `storage`: cuts off a torn final frame, checks that sequence numbers
    /// run without gaps in the last segment, and starts the writer thread.
    pub(crate) fn open_with(dir: &Path, storage: Arc<dyn Storage>) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| io_error("create the audit directory", e))?;
        let tail = recover_tail(dir)?;
        let shared =
            Arc::new(Shared { written: AtomicU64::new(tail.next_seq - 1), last_hash: Mutex::new(tail.last_hash) });
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
        };
        thread::Builder::new()
            .name("coffre-audit".into())
            .spawn(move || writer.run(rx))
            .map_err(|e| io_error("start the audit writer", e))?;
        Ok(Self { tx, shared, dir: dir.to_path_buf() })
    }

    /// The log's directory.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// Number of events durably written.
    pub(crate) fn written(&self) -> u64 {
        self.shared.written.load(Ordering::Acquire)
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
        let (reply, receipt) = oneshot::channel();
        self.tx
            .send(Msg::Append { event, time_ms, reply: Some(reply) })
            .map_err(|_| Error::AuditUnavailable("the audit writer has stopped".into()))?;
        match receipt.await {
            Ok(Ok(seq)) => Ok(seq),
            Ok(Err(why)) => Err(Error::AuditUnavailable(why)),
            Err(_) => Err(Error::AuditUnavailable("the audit writer has stopped".into())),
        }
    }

    /// Appends events in order and waits until all are durable (they share the writer's batches). Returns the
    /// last sequence number. For bulk loads.
    #[cfg(feature = "bulk")]
    pub(crate) async fn append_many(&self, events: Vec<NewEvent>, time_ms: i64) -> Result<u64> {
        let stopped = || Error::AuditUnavailable("the audit writer has stopped".into());
        let mut receipts = Vec::with_capacity(events.len());
        for event in events {
            let (reply, receipt) = oneshot::channel();
            self.tx.send(Msg::Append { event, time_ms, reply: Some(reply) }).map_err(|_| stopped())?;
            receipts.push(receipt);
        }
        let mut last = 0;
        for receipt in receipts {
            last = receipt.await.map_err(|_| stopped())?.map_err(Error::AuditUnavailable)?;
        }
        Ok(last)
    }

    /// Appends an event without waiting (used while sealed, when no key exists to seal it yet).
    pub(crate) fn append_detached(&self, event: NewEvent, time_ms: i64) {
        let _ = self.tx.send(Msg::Append { event, time_ms, reply: None });
    }

    /// A fresh signature over the head as it is once every event sent before this call is durable (for exports).
    pub(crate) async fn sign_head(&self) -> Result<SignedHead> {
        let (reply, receipt) = oneshot::channel();
        let stopped = || Error::AuditUnavailable("the audit writer has stopped".into());
        self.tx.send(Msg::SignHead(reply)).map_err(|_| stopped())?;
        receipt.await.map_err(|_| stopped())?.ok_or(Error::Sealed)
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

/// Finds the end of the log: cuts a torn final frame off the last segment, and checks that sequence numbers run
/// without gaps in the segments it reads.
fn recover_tail(dir: &Path) -> Result<TailState> {
    let segments = segment::list_segments(dir).map_err(|e| io_error("list the audit segments", e))?;
    let Some((last_first, last_path)) = segments.last().cloned() else {
        return Ok(TailState { segment_first_seq: 1, segment_len: 0, next_seq: 1, last_hash: GENESIS });
    };
    let bytes = segment::read_segment(&last_path).map_err(|e| io_error("read the audit segment", e))?;
    let (frames, tail) = segment::decode_frames(&bytes);
    let mut len = bytes.len() as u64;
    if let Tail::Torn(at) = tail {
        tracing::warn!(segment = %last_path.display(), offset = at, "cutting off a torn final audit record");
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&last_path)
            .map_err(|e| io_error("open the audit segment for repair", e))?;
        file.set_len(at).and_then(|()| file.sync_all()).map_err(|e| io_error("cut the torn audit record", e))?;
        len = at;
    }
    let last_event = check_sequence(last_first, &frames)?;
    if let Some((seq, hash)) = last_event {
        return Ok(TailState { segment_first_seq: last_first, segment_len: len, next_seq: seq + 1, last_hash: hash });
    }
    // The last segment holds no event: the chain continues from the end of the one before it.
    let (last_hash, next_seq) = match segments.iter().rev().nth(1) {
        Some((first, path)) => {
            let bytes = segment::read_segment(path).map_err(|e| io_error("read the audit segment", e))?;
            let (frames, tail) = segment::decode_frames(&bytes);
            if tail != Tail::Clean {
                return Err(Error::AuditChainBroken {
                    seq: *first,
                    problem: format!("segment {} is damaged", path.display()),
                });
            }
            check_sequence(*first, &frames)?.map(|(seq, hash)| (hash, seq + 1)).unwrap_or((GENESIS, *first))
        }
        None => (GENESIS, last_first),
    };
    if next_seq != last_first {
        return Err(Error::AuditChainBroken {
            seq: next_seq,
            problem: format!("the event is missing: segment {} starts at {last_first}", last_path.display()),
        });
    }
    Ok(TailState { segment_first_seq: last_first, segment_len: len, next_seq, last_hash })
}

/// Checks that the event frames of a segment starting at `first` are numbered without gaps; returns the last.
fn check_sequence(first: u64, frames: &[segment::Frame]) -> Result<Option<(u64, [u8; 32])>> {
    let mut last = None;
    for (expected, frame) in (first..).zip(frames.iter().filter(|f| matches!(f.body, Body::Event(_)))) {
        if frame.seq != expected {
            return Err(Error::AuditChainBroken {
                seq: expected,
                problem: format!("the event is missing (the next one on disk is {})", frame.seq),
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
    backlog: Vec<(NewEvent, i64, Option<Reply>)>,
    dropped_while_sealed: u64,
    shared: Arc<Shared>,
}

impl Writer {
    fn run(mut self, rx: mpsc::Receiver<Msg>) {
        while let Ok(first) = rx.recv() {
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
        }
    }

    /// Sorts one message: a key change applies at once (flushing the sealed-time backlog first), an event joins the
    /// batch, or the backlog while there is no key; a head is signed once the events before it are written.
    fn take(&mut self, msg: Msg, batch: &mut Vec<(NewEvent, i64, Option<Reply>)>) {
        match msg {
            Msg::SetKey(keys) => {
                // Events already batched were sent under the previous key state; write them before it changes.
                if !batch.is_empty() {
                    self.write_batch(std::mem::take(batch));
                }
                self.keys = keys;
                if self.keys.is_some() && !self.backlog.is_empty() {
                    let backlog = std::mem::take(&mut self.backlog);
                    self.write_batch(backlog);
                }
                if self.keys.is_some() && self.dropped_while_sealed > 0 {
                    tracing::warn!(dropped = self.dropped_while_sealed, "audit events dropped while sealed");
                    self.dropped_while_sealed = 0;
                }
            }
            Msg::SignHead(reply) => {
                if !batch.is_empty() {
                    self.write_batch(std::mem::take(batch));
                }
                let signed = self.keys.as_ref().map(|keys| keys.sign(self.next_seq - 1, self.last_hash));
                let _ = reply.send(signed);
            }
            Msg::Append { event, time_ms, reply } => {
                if self.keys.is_some() {
                    batch.push((event, time_ms, reply));
                } else if self.backlog.len() < MAX_SEALED_BACKLOG {
                    self.backlog.push((event, time_ms, reply));
                } else {
                    self.dropped_while_sealed += 1;
                    if let Some(reply) = reply {
                        let _ = reply.send(Err("the vault is sealed and the audit backlog is full".into()));
                    }
                }
            }
        }
    }

    /// Numbers, chains and seals the batch, adds one signed head, and writes it all with one write and one
    /// fdatasync; only then are the callers answered.
    fn write_batch(&mut self, batch: Vec<(NewEvent, i64, Option<Reply>)>) {
        let Some(keys) = &self.keys else {
            self.backlog.extend(batch);
            return;
        };
        let mut bytes = Vec::with_capacity(batch.len() * 512 + 128);
        let mut seq = self.next_seq;
        let mut hash = self.last_hash;
        let mut replies = Vec::with_capacity(batch.len());
        let mut failure = None;
        let mut plain = Vec::with_capacity(256);
        for (new, time_ms, reply) in batch {
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
            match record::seal(&keys.seal, &aad, &plain) {
                Ok(sealed) => {
                    segment::encode_event(&mut bytes, seq, &next_hash, &sealed);
                    hash = next_hash;
                    replies.push((seq, reply));
                    seq += 1;
                }
                Err(err) => {
                    failure = Some(format!("cannot seal the audit event: {err}"));
                    replies.push((0, reply));
                }
            }
        }
        zeroize::Zeroize::zeroize(&mut plain);
        let result = match failure {
            Some(why) => Err(why),
            None => {
                let signed = keys.sign(seq - 1, hash);
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
                *self.shared.last_hash.lock().unwrap_or_else(|p| p.into_inner()) = hash;
                self.shared.written.store(seq - 1, Ordering::Release);
                for (seq, reply) in replies {
                    if let Some(reply) = reply {
                        let _ = reply.send(Ok(seq));
                    }
                }
            }
            Err(why) => {
                for (_, reply) in replies {
                    if let Some(reply) = reply {
                        let _ = reply.send(Err(why.clone()));
                    }
                }
            }
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
