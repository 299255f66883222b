//! Reading the log back: events opened with the audit key, each checked against the event before it, and the
//! check at unseal from the last signed head.

use std::{
    collections::VecDeque,
    path::{Path, PathBuf},
    sync::Arc,
};

use coffre_audit::{AuditEvent, GENESIS, Head, SignedHead};
use coffre_crypto::record::{self, RecordAad, RecordKind};

use super::{
    keys::AuditKeys,
    segment::{self, Body, Frame, Tail},
};
use crate::{Error, Result, problems::Problem};

/// An event read back with its links.
#[derive(Debug)]
pub(crate) struct Chained {
    pub(crate) event: AuditEvent,
    pub(crate) prev_hash: [u8; 32],
    pub(crate) hash: [u8; 32],
}

fn broken(seq: u64, problem: Problem) -> Error {
    Error::AuditChainBroken { seq, problem }
}

fn io(what: &str, path: &Path, err: std::io::Error) -> Error {
    Error::AuditUnavailable(format!("cannot {what} {}: {err}", path.display()))
}

/// Events `from..=to`, in order, each opened and checked: its frame's sequence number follows the previous one,
/// it opens under the audit key, it decodes, and it hashes to its frame's hash when chained after the event before
/// it (the GENESIS hash for event 1).
pub(crate) struct Events {
    keys: Arc<AuditKeys>,
    segments: VecDeque<PathBuf>,
    frames: std::vec::IntoIter<Frame>,
    /// Hash of the event before `next`, once known.
    prev: Option<[u8; 32]>,
    next: u64,
    to: u64,
    failed: bool,
}

impl Events {
    pub(crate) fn new(dir: &Path, keys: Arc<AuditKeys>, from: u64, to: u64) -> Result<Self> {
        let from = from.max(1);
        let all = segment::list_segments(dir).map_err(|e| io("list the audit segments in", dir, e))?;
        // Start in the segment that holds the event before `from`, so its hash is at hand.
        let want = from.saturating_sub(1).max(1);
        let start = all.iter().rposition(|(first, _)| *first <= want).unwrap_or(0);
        Ok(Self {
            keys,
            segments: all.into_iter().skip(start).map(|(_, p)| p).collect(),
            frames: Vec::new().into_iter(),
            prev: (from == 1).then_some(GENESIS),
            next: from,
            to,
            failed: false,
        })
    }

    fn next_frame(&mut self) -> Result<Option<Frame>> {
        loop {
            if let Some(frame) = self.frames.next() {
                return Ok(Some(frame));
            }
            let Some(path) = self.segments.pop_front() else { return Ok(None) };
            let bytes = segment::read_segment(&path).map_err(|e| io("read the audit segment", &path, e))?;
            let (frames, tail) = segment::decode_frames(&bytes);
            // A torn tail is only acceptable at the very end (the writer may be mid-write); events beyond the
            // durable count are never asked for.
            if tail != Tail::Clean && !self.segments.is_empty() {
                let after = frames.iter().rev().find(|f| matches!(f.body, Body::Event(_))).map_or(0, |f| f.seq);
                let segment = path.display().to_string();
                return Err(broken(after + 1, Problem::AuditSegmentDamagedAfter { segment, after }));
            }
            self.frames = frames.into_iter();
        }
    }

    fn step(&mut self) -> Result<Option<Chained>> {
        while self.next <= self.to {
            let Some(frame) = self.next_frame()? else {
                return Err(broken(self.next, Problem::AuditLogEndsBeforeEvent));
            };
            let Body::Event(sealed) = &frame.body else { continue };
            if frame.seq < self.next {
                if frame.seq + 1 == self.next {
                    self.prev = Some(frame.hash);
                }
                continue;
            }
            if frame.seq > self.next {
                return Err(broken(self.next, Problem::AuditEventMissing { next: frame.seq }));
            }
            let prev = self.prev.ok_or_else(|| broken(self.next, Problem::AuditPreviousMissing))?;
            let event = open_event(&self.keys, &frame, sealed)?;
            if event.chain_hash(&prev) != frame.hash {
                return Err(broken(frame.seq, Problem::AuditHashMismatch));
            }
            self.prev = Some(frame.hash);
            self.next += 1;
            return Ok(Some(Chained { event, prev_hash: prev, hash: frame.hash }));
        }
        Ok(None)
    }
}

impl Iterator for Events {
    type Item = Result<Chained>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let item = self.step().transpose();
        if matches!(item, Some(Err(_))) {
            self.failed = true;
        }
        item
    }
}

/// Opens one sealed event and checks it is the event its frame says.
pub(crate) fn open_event(keys: &AuditKeys, frame: &Frame, sealed: &[u8]) -> Result<AuditEvent> {
    let id = frame.seq.to_be_bytes();
    let aad = RecordAad { vault: &keys.vault, kind: RecordKind::AuditEvent, id: &id, version: 0 };
    let plain = record::open(&keys.seal, &aad, sealed).map_err(|_| broken(frame.seq, Problem::AuditEventForeign))?;
    let event =
        AuditEvent::decode(plain.expose_secret()).ok_or_else(|| broken(frame.seq, Problem::AuditEventMalformed))?;
    if event.seq != frame.seq {
        return Err(broken(frame.seq, Problem::AuditEventOtherSeq));
    }
    Ok(event)
}

/// The last signed head found on disk.
struct LastHead {
    signed: SignedHead,
    /// The hash of the event the head names, as found on disk (`None` if that event is not just before it).
    event_hash: Option<[u8; 32]>,
    /// Where the batch the head closes starts: just after the head before it, or at the start of its segment.
    batch_start: u64,
}

fn last_head(dir: &Path) -> Result<Option<LastHead>> {
    let segments = segment::list_segments(dir).map_err(|e| io("list the audit segments in", dir, e))?;
    for (first, path) in segments.iter().rev() {
        let bytes = segment::read_segment(path).map_err(|e| io("read the audit segment", path, e))?;
        let (frames, _) = segment::decode_frames(&bytes);
        let mut heads = frames.iter().enumerate().filter(|(_, f)| matches!(f.body, Body::Head(_))).rev();
        let Some((at, head)) = heads.next() else { continue };
        let Body::Head(signature) = head.body else { continue };
        let batch_start = heads.next().map_or(*first, |(_, before)| before.seq + 1);
        let event_hash = frames[..at]
            .iter()
            .rev()
            .find(|f| matches!(f.body, Body::Event(_)))
            .and_then(|event| (event.seq == head.seq).then_some(event.hash));
        let signed = SignedHead { head: Head { vault_id: [0; 16], seq: head.seq, hash: head.hash }, signature };
        return Ok(Some(LastHead { signed, event_hash, batch_start }));
    }
    Ok(None)
}

/// At unseal: the last signed head verifies under the vault's audit key and names the event before it, and every
/// event of the batch it closes and after it (at most what a crash interrupted) opens and follows the chain. With
/// no head yet, the whole log is checked. Returns the head that was checked.
pub(crate) fn check_from_last_head(dir: &Path, keys: Arc<AuditKeys>, last_seq: u64) -> Result<Option<SignedHead>> {
    let Some(LastHead { mut signed, event_hash, batch_start }) = last_head(dir)? else {
        for item in Events::new(dir, keys, 1, last_seq)? {
            item?;
        }
        return Ok(None);
    };
    signed.head.vault_id = keys.vault.0;
    if keys.public_key().verify(&signed).is_err() {
        return Err(broken(signed.head.seq, Problem::AuditHeadInvalid));
    }
    if event_hash != Some(signed.head.hash) {
        return Err(broken(signed.head.seq, Problem::AuditHeadMismatch));
    }
    if signed.head.seq > last_seq {
        return Err(broken(last_seq + 1, Problem::AuditEndsBeforeHead));
    }
    for item in Events::new(dir, keys, batch_start, last_seq)? {
        item?;
    }
    Ok(Some(signed))
}
