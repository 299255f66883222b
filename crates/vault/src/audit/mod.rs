//! The audit log: append-only segment files with fdatasync, one writer thread, group commit.
//!
//! Callers send events to the writer and await a receipt. The writer takes every event waiting at that moment,
//! assigns sequence numbers, chains and seals them, writes them with one `write` and one `fdatasync`, and only then
//! answers each caller. So concurrent reveals share one flush, and a caller learns that its event is durable before
//! it hands out a secret. If the write or the flush fails, every caller in that batch gets an error, the file is cut
//! back to its last durable length, and the next batch tries again: the log recovers by itself when the disk does.
//!
//! Events are sealed under the audit subkey, which exists only while the vault is unsealed. Events that happen
//! while sealed (failed unseals) wait in memory and are written first thing at the next unseal.

mod event;
mod segment;

use std::{
    io,
    path::{Path, PathBuf},
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
        mpsc,
    },
    thread,
};

use coffre_crypto::{
    keys::{SubKey, VaultId},
    record::{self, RecordAad, RecordKind},
};
pub(crate) use event::NewEvent;
pub use event::{AuditEvent, Outcome};
use segment::{ActiveSegment, Tail};
use tokio::sync::oneshot;

use crate::{Error, Result};

/// Most events written in one batch (one flush).
const MAX_BATCH: usize = 4096;
/// Most events kept in memory while sealed; older ones beyond this are counted as dropped and reported.
const MAX_SEALED_BACKLOG: usize = 10_000;

/// A handle on the audit log. Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct AuditLog {
    tx: mpsc::Sender<Msg>,
    written: Arc<AtomicU64>,
    /// Number of coming batch writes to fail as if the disk refused them (tests of the durability guarantee).
    #[cfg_attr(not(test), allow(dead_code))]
    injected_faults: Arc<AtomicU64>,
}

type Reply = oneshot::Sender<Result<u64, String>>;

enum Msg {
    Append { event: NewEvent, time_ms: i64, reply: Option<Reply> },
    SetKey(Option<(VaultId, SubKey)>),
}

impl AuditLog {
    /// Opens the log in `dir` (created if missing), cuts off a torn final frame, and starts the writer thread.
    pub(crate) fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| io_error("create the audit directory", e))?;
        let tail = recover_tail(dir)?;
        let written = Arc::new(AtomicU64::new(tail.next_seq - 1));
        let active = ActiveSegment::open(dir, tail.segment_first_seq, tail.segment_len)
            .map_err(|e| io_error("open the audit segment", e))?;
        let (tx, rx) = mpsc::channel();
        let injected_faults = Arc::new(AtomicU64::new(0));
        let writer = Writer {
            injected_faults: injected_faults.clone(),
            dir: dir.to_path_buf(),
            active,
            next_seq: tail.next_seq,
            last_hash: tail.last_hash,
            key: None,
            backlog: Vec::new(),
            dropped_while_sealed: 0,
            written: written.clone(),
        };
        thread::Builder::new()
            .name("coffre-audit".into())
            .spawn(move || writer.run(rx))
            .map_err(|e| io_error("start the audit writer", e))?;
        Ok(Self { tx, written, injected_faults })
    }

    /// Makes the next `n` batch writes fail as a full disk would (after the write is attempted, before anything is
    /// acknowledged). For tests of "no secret without a durable event".
    #[cfg(test)]
    pub(crate) fn inject_write_faults(&self, n: u64) {
        self.injected_faults.store(n, Ordering::Release);
    }

    /// Number of events durably written.
    pub(crate) fn written(&self) -> u64 {
        self.written.load(Ordering::Acquire)
    }

    /// Gives the writer the key to seal events with (at unseal), or takes it away (at seal).
    pub(crate) fn set_key(&self, key: Option<(VaultId, SubKey)>) {
        let _ = self.tx.send(Msg::SetKey(key));
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

    /// Appends an event without waiting (used while sealed, when no key exists to seal it yet).
    pub(crate) fn append_detached(&self, event: NewEvent, time_ms: i64) {
        let _ = self.tx.send(Msg::Append { event, time_ms, reply: None });
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
        return Ok(TailState { segment_first_seq: 1, segment_len: 0, next_seq: 1, last_hash: event::GENESIS });
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
    check_sequence(&last_path, last_first, &frames)?;
    if let Some(last) = frames.last() {
        return Ok(TailState {
            segment_first_seq: last_first,
            segment_len: len,
            next_seq: last.seq + 1,
            last_hash: last.hash,
        });
    }
    // The last segment is empty: the chain continues from the end of the one before it.
    let (last_hash, next_seq) = match segments.iter().rev().nth(1) {
        Some((first, path)) => {
            let bytes = segment::read_segment(path).map_err(|e| io_error("read the audit segment", e))?;
            let (frames, tail) = segment::decode_frames(&bytes);
            if tail != Tail::Clean {
                return Err(Error::Corrupt(format!("audit segment {}", path.display())));
            }
            check_sequence(path, *first, &frames)?;
            frames.last().map(|f| (f.hash, f.seq + 1)).unwrap_or((event::GENESIS, *first))
        }
        None => (event::GENESIS, last_first),
    };
    if next_seq != last_first {
        return Err(Error::Corrupt(format!("audit segment {} (sequence gap)", last_path.display())));
    }
    Ok(TailState { segment_first_seq: last_first, segment_len: len, next_seq, last_hash })
}

fn check_sequence(path: &Path, first: u64, frames: &[segment::Frame]) -> Result<()> {
    for (i, frame) in frames.iter().enumerate() {
        if frame.seq != first + i as u64 {
            return Err(Error::Corrupt(format!("audit segment {} (sequence gap at {})", path.display(), frame.seq)));
        }
    }
    Ok(())
}

struct Writer {
    dir: PathBuf,
    active: ActiveSegment,
    next_seq: u64,
    last_hash: [u8; 32],
    key: Option<(VaultId, SubKey)>,
    backlog: Vec<(NewEvent, i64, Option<Reply>)>,
    dropped_while_sealed: u64,
    written: Arc<AtomicU64>,
    injected_faults: Arc<AtomicU64>,
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
    /// batch, or the backlog while there is no key.
    fn take(&mut self, msg: Msg, batch: &mut Vec<(NewEvent, i64, Option<Reply>)>) {
        match msg {
            Msg::SetKey(key) => {
                // Events already batched were sent under the previous key state; write them before it changes.
                if !batch.is_empty() {
                    self.write_batch(std::mem::take(batch));
                }
                self.key = key;
                if self.key.is_some() && !self.backlog.is_empty() {
                    let backlog = std::mem::take(&mut self.backlog);
                    self.write_batch(backlog);
                }
                if self.key.is_some() && self.dropped_while_sealed > 0 {
                    tracing::warn!(dropped = self.dropped_while_sealed, "audit events dropped while sealed");
                    self.dropped_while_sealed = 0;
                }
            }
            Msg::Append { event, time_ms, reply } => {
                if self.key.is_some() {
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

    fn write_batch(&mut self, batch: Vec<(NewEvent, i64, Option<Reply>)>) {
        let Some((vault, key)) = &self.key else {
            self.backlog.extend(batch);
            return;
        };
        let mut bytes = Vec::with_capacity(batch.len() * 512);
        let mut seq = self.next_seq;
        let mut hash = self.last_hash;
        let mut replies = Vec::with_capacity(batch.len());
        let mut failure = None;
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
            let next_hash = event.chain_hash(&hash);
            let id = seq.to_be_bytes();
            let aad = RecordAad { vault, kind: RecordKind::AuditEvent, id: &id, version: 0 };
            match record::seal(key, &aad, &event.canonical()) {
                Ok(sealed) => {
                    segment::encode_frame(&mut bytes, seq, &next_hash, &sealed);
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
        let result = match failure {
            Some(why) => Err(why),
            None => self.rotate_if_needed().and_then(|()| self.write_durably(&bytes)).map_err(|e| {
                tracing::error!(error = %e, "audit log write failed; nothing was acknowledged");
                format!("the audit log could not be written ({e})")
            }),
        };
        match result {
            Ok(()) => {
                self.next_seq = seq;
                self.last_hash = hash;
                self.written.store(seq - 1, Ordering::Release);
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

    fn write_durably(&mut self, bytes: &[u8]) -> io::Result<()> {
        let inject =
            self.injected_faults.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1)).is_ok();
        if inject {
            // Behave as a failed fdatasync does: the bytes were handed to the file, then cut back.
            self.active.append_durably(bytes)?;
            self.active.len -= bytes.len() as u64;
            self.active.file.set_len(self.active.len)?;
            return Err(io::Error::new(io::ErrorKind::StorageFull, "injected fault: no space left on device"));
        }
        self.active.append_durably(bytes)
    }

    /// Starts a new segment when the current one is past its target size.
    fn rotate_if_needed(&mut self) -> io::Result<()> {
        if self.active.len >= segment::SEGMENT_TARGET_BYTES {
            self.active = ActiveSegment::open(&self.dir, self.next_seq, 0)?;
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

/// Reads and opens every event of the log in `dir` with the audit key, checking the chain. Used by tests for now;
/// export, verification on unseal and `coffre audit` build on it with the audit issue.
#[cfg(test)]
pub(crate) fn read_all(dir: &Path, vault: &VaultId, key: &SubKey) -> Result<Vec<AuditEvent>> {
    let mut events = Vec::new();
    let mut prev = event::GENESIS;
    for (_, path) in segment::list_segments(dir).map_err(|e| io_error("list the audit segments", e))? {
        let bytes = segment::read_segment(&path).map_err(|e| io_error("read the audit segment", e))?;
        for frame in segment::decode_frames(&bytes).0 {
            let id = frame.seq.to_be_bytes();
            let aad = RecordAad { vault, kind: RecordKind::AuditEvent, id: &id, version: 0 };
            let plain = record::open(key, &aad, &frame.sealed)
                .map_err(|_| Error::Corrupt(format!("audit event {}", frame.seq)))?;
            let event: AuditEvent = postcard::from_bytes(plain.expose_secret())
                .map_err(|_| Error::Corrupt(format!("audit event {}", frame.seq)))?;
            if event.seq != frame.seq || event.chain_hash(&prev) != frame.hash {
                return Err(Error::Corrupt(format!("audit event {} (chain broken)", frame.seq)));
            }
            prev = frame.hash;
            events.push(event);
        }
    }
    Ok(events)
}

#[cfg(test)]
mod tests;
