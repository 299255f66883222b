//! The log carries every change: the store is a copy of what the audit log says, checked at every unseal.
//!
//! Each change to the store goes into the audit log beside the event that makes it, in the same group commit (one
//! write, one fdatasync): the batch's operations, already sealed record bytes, in a change frame sealed under the
//! audit key (`audit/segment.rs`, kind 3). Only then is the batch applied to the store, together with the store's
//! **applied marker** (`!applied`): the sequence number of the last change it holds and the **digest** of its
//! contents after it.
//!
//! The digest is a multiset hash: the sum, modulo 2^256, of SHA-256 over each (key, value) pair but the marker. A
//! change updates it from the pairs it replaces, so a write costs a few reads, not a scan; the change frame carries
//! the digest after it and the sequence number of the change before it, so the changes in the log form a chain of
//! their own. (The frame is sealed, so nobody without the audit key sees or forges a digest.)
//!
//! At unseal ([`reconcile`]), before anything else is written:
//! - the store's contents must hash to the digest of its marker (else it is **damaged**: a record lost, changed,
//!   or added behind the engine's back);
//! - the log must hold the change the marker names, with that digest (else the store is **ahead of the log** or is
//!   not the store the log describes);
//! - every change the log holds after it is **replayed** into the store, each checked to follow the one before it
//!   and to arrive at its own digest: what a power cut lost from the store comes back from the log.
//!
//! Reading the log from the marker on would read every event after the last change (at 10,000,000 reveals since,
//! the whole log). So the writer also records, at each checkpoint, **how far the store has read the log**
//! (`!read-to`): every change up to event `through` is applied, and the last one is the marker's. That record is
//! authenticated (HMAC under a key of its own, derived from the master key): a store put back to an earlier copy
//! cannot claim to have read further than it did and so skip the changes it lacks. When it agrees with the marker,
//! [`reconcile`] checks the marker's change and then reads only the events after `through`; a record that does not
//! agree (the store kept a later batch than its last checkpoint) is passed over and the log read from the marker.
//!
//! A store from before this format has no marker: its contents are written into the log once, whole, as a
//! baseline change (with the unseal's event), and checked from then on. [`rebuild`] builds a new store from the log
//! alone (`coffred rebuild-store`).

use std::path::Path;

use coffre_crypto::record::{self, RecordAad, RecordKind};
use coffre_store::{Batch, Store};
use sha2::{Digest as _, Sha256};

use crate::{
    Error, Problem, Result,
    audit::{
        AuditKeys, change_chunk_id,
        segment::{self, Body},
    },
};

/// The store's applied marker: never part of the digest.
pub(crate) const APPLIED_KEY: &[u8] = b"!applied";
/// The encoding version of a change and of the marker.
const VERSION: u8 = 1;
const OP_PUT: u8 = 1;
const OP_REMOVE: u8 = 2;
/// Where the data directory keeps a copy of the seal header, outside the store: the one thing a rebuild needs
/// besides the log (the owner's key slot in it opens the log's key).
pub(crate) const HEADER_COPY: &str = "seal-header";

/// The store's record of how far it has read the log: never part of the digest.
pub(crate) const READ_TO_KEY: &[u8] = b"!read-to";

/// Whether `key` is one of the store's own records about the log, which no change writes and no digest covers.
fn is_marker(key: &[u8]) -> bool {
    key == APPLIED_KEY || key == READ_TO_KEY
}

/// The multiset hash of a store's contents: a 256-bit number, little-endian.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Digest(pub(crate) [u8; 32]);

fn leaf(key: &[u8], value: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"coffre/store-leaf/v1");
    h.update((key.len() as u64).to_be_bytes());
    h.update(key);
    h.update(value);
    h.finalize().into()
}

fn limbs(bytes: &[u8; 32]) -> [u64; 4] {
    let mut out = [0; 4];
    for (limb, chunk) in out.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut b = [0; 8];
        b.copy_from_slice(chunk);
        *limb = u64::from_le_bytes(b);
    }
    out
}

fn bytes(limbs: [u64; 4]) -> [u8; 32] {
    let mut out = [0; 32];
    for (chunk, limb) in out.chunks_exact_mut(8).zip(limbs) {
        chunk.copy_from_slice(&limb.to_le_bytes());
    }
    out
}

impl Digest {
    /// Adds the pair `(key, value)`.
    pub(crate) fn add(&mut self, key: &[u8], value: &[u8]) {
        let (a, b) = (limbs(&self.0), limbs(&leaf(key, value)));
        let mut out = [0; 4];
        let mut carry = false;
        for i in 0..4 {
            let (s, c1) = a[i].overflowing_add(b[i]);
            let (s, c2) = s.overflowing_add(u64::from(carry));
            out[i] = s;
            carry = c1 || c2;
        }
        self.0 = bytes(out);
    }

    /// Takes the pair `(key, value)` away.
    pub(crate) fn remove(&mut self, key: &[u8], value: &[u8]) {
        let (a, b) = (limbs(&self.0), limbs(&leaf(key, value)));
        let mut out = [0; 4];
        let mut borrow = false;
        for i in 0..4 {
            let (s, b1) = a[i].overflowing_sub(b[i]);
            let (s, b2) = s.overflowing_sub(u64::from(borrow));
            out[i] = s;
            borrow = b1 || b2;
        }
        self.0 = bytes(out);
    }

    fn hex(&self) -> String {
        data_encoding::HEXLOWER.encode(&self.0[..8])
    }
}

/// What the store says it holds: the last change applied, and the digest of its contents after it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Applied {
    pub(crate) seq: u64,
    pub(crate) digest: Digest,
}

impl Applied {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(41);
        out.push(VERSION);
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.digest.0);
        out
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        let (&version, rest) = bytes.split_first()?;
        if version != VERSION || rest.len() != 40 {
            return None;
        }
        let seq = u64::from_be_bytes(rest[..8].try_into().ok()?);
        Some(Self { seq, digest: Digest(rest[8..].try_into().ok()?) })
    }
}

/// How far the store has read the log, as written at a checkpoint: every change up to event `through` is applied,
/// and `applied` is the store's marker then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ReadTo {
    pub(crate) through: u64,
    pub(crate) applied: Applied,
}

impl ReadTo {
    const LEN: usize = 1 + 8 + 8 + 32 + 32;

    fn tag(&self, keys: &AuditKeys) -> [u8; 32] {
        keys.marker.mac(&[
            b"coffre/store-read-to/v1",
            &keys.vault.0,
            &self.through.to_be_bytes(),
            &self.applied.seq.to_be_bytes(),
            &self.applied.digest.0,
        ])
    }

    pub(crate) fn encode(&self, keys: &AuditKeys) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::LEN);
        out.push(VERSION);
        out.extend_from_slice(&self.through.to_be_bytes());
        out.extend_from_slice(&self.applied.seq.to_be_bytes());
        out.extend_from_slice(&self.applied.digest.0);
        out.extend_from_slice(&self.tag(keys));
        out
    }

    /// Decodes and authenticates the record; `None` if it is malformed or its tag is not this vault's for these
    /// values (never panics).
    fn decode(bytes: &[u8], keys: &AuditKeys) -> Option<Self> {
        if bytes.len() != Self::LEN || bytes.first() != Some(&VERSION) {
            return None;
        }
        let u64_at = |at: usize| bytes.get(at..at + 8).and_then(|b| b.try_into().ok()).map(u64::from_be_bytes);
        let through = u64_at(1)?;
        let seq = u64_at(9)?;
        let digest = Digest(bytes.get(17..49)?.try_into().ok()?);
        let read = Self { through, applied: Applied { seq, digest } };
        let tag: [u8; 32] = bytes.get(49..)?.try_into().ok()?;
        bool::from(subtle::ConstantTimeEq::ct_eq(&tag[..], &read.tag(keys)[..])).then_some(read)
    }
}

/// A change as the log carries it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Change {
    /// The change before it (0: none; this one starts the store).
    pub(crate) prev: u64,
    /// The store's digest once it is applied.
    pub(crate) digest: Digest,
    /// The operations: key, and value (`None`: removed).
    pub(crate) ops: Vec<(Vec<u8>, Option<Vec<u8>>)>,
}

impl Change {
    pub(crate) fn encode(prev: u64, digest: &Digest, ops: &[(&[u8], Option<&[u8]>)]) -> Vec<u8> {
        let size: usize = ops.iter().map(|(k, v)| 9 + k.len() + v.map_or(0, <[u8]>::len)).sum();
        let mut out = Vec::with_capacity(45 + size);
        out.push(VERSION);
        out.extend_from_slice(&prev.to_be_bytes());
        out.extend_from_slice(&digest.0);
        out.extend_from_slice(&(ops.len() as u32).to_be_bytes());
        for (key, value) in ops {
            out.push(if value.is_some() { OP_PUT } else { OP_REMOVE });
            out.extend_from_slice(&(key.len() as u32).to_be_bytes());
            out.extend_from_slice(key);
            if let Some(value) = value {
                out.extend_from_slice(&(value.len() as u32).to_be_bytes());
                out.extend_from_slice(value);
            }
        }
        out
    }

    /// Decodes a change; `None` for anything malformed (never panics).
    pub(crate) fn decode(bytes: &[u8]) -> Option<Self> {
        let mut r = Reader(bytes);
        if r.take(1)? != [VERSION] {
            return None;
        }
        let prev = u64::from_be_bytes(r.take(8)?.try_into().ok()?);
        let digest = Digest(r.take(32)?.try_into().ok()?);
        let count = r.u32()?;
        // Each operation takes at least 5 bytes: a count beyond that is malformed, not an allocation.
        if count as usize > r.0.len() / 5 {
            return None;
        }
        let mut ops = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let op = r.take(1)?[0];
            let key_len = r.u32()? as usize;
            let key = r.take(key_len)?.to_vec();
            let value = match op {
                OP_PUT => {
                    let len = r.u32()? as usize;
                    Some(r.take(len)?.to_vec())
                }
                OP_REMOVE => None,
                _ => return None,
            };
            if is_marker(&key) {
                return None;
            }
            ops.push((key, value));
        }
        r.0.is_empty().then_some(Self { prev, digest, ops })
    }

    /// The operations as a store batch, with the marker that says this change is applied.
    pub(crate) fn batch(&self, seq: u64) -> Batch {
        let mut batch = Batch::default();
        for (key, value) in &self.ops {
            match value {
                Some(value) => batch.insert(key.clone(), value.clone()),
                None => batch.remove(key.clone()),
            }
        }
        batch.insert(APPLIED_KEY.to_vec(), Applied { seq, digest: self.digest }.encode());
        batch
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }
}

/// A change on its way to the audit writer (`audit/mod.rs`), which numbers it, writes it beside its event and
/// applies it to the store in the log's order.
pub(crate) enum Pending {
    /// A batch: the writer computes the digest it leaves the store at.
    Batch(Batch),
    /// An owner's seal (its mark, and the removal of the stored sessions): a batch that reads nothing a change
    /// before it writes, so it is taken even while the store lacks such a change, and given to the store after it
    /// (`audit/mod.rs`, `Behind`). Every other change waits until the store has caught up.
    Seal(Batch),
    /// A store's whole contents, already encoded with their digest (see [`baseline`]): starts the log's record of a
    /// store from before the log carried changes.
    Baseline { encoded: Vec<u8>, digest: Digest },
}

/// Values written by changes numbered but not yet applied to the store (the writer's group commit): what the store
/// will hold once they are.
pub(crate) type Overlay = std::collections::HashMap<Vec<u8>, Option<Vec<u8>>>;

/// The digest the operations `ops` (key, value or `None` for a removal) leave the store at, from the store as it is
/// with `overlay` on top (`before` is its digest): each key's old value is taken away and its new one added, in
/// order. Returns it with the writes of `ops` alone, for the caller to lay over `overlay` once it keeps them.
pub(crate) fn digest_after<'a>(
    store: &dyn Store,
    overlay: &Overlay,
    before: Digest,
    ops: impl IntoIterator<Item = (&'a [u8], Option<&'a [u8]>)>,
) -> Result<(Digest, Overlay)> {
    let mut digest = before;
    let mut written = Overlay::new();
    for (key, value) in ops {
        if key == APPLIED_KEY {
            return Err(Error::Internal("a change may not write the store's applied marker".into()));
        }
        let old = match written.get(key).or_else(|| overlay.get(key)) {
            Some(old) => old.clone(),
            None => store.get(key)?,
        };
        if let Some(old) = &old {
            digest.remove(key, old);
        }
        if let Some(value) = value {
            digest.add(key, value);
        }
        written.insert(key.to_vec(), value.map(<[u8]>::to_vec));
    }
    Ok((digest, written))
}

/// What a full read of the store found.
pub(crate) struct Scanned {
    /// The digest of everything but the markers.
    pub(crate) digest: Digest,
    pub(crate) marker: Option<Applied>,
    /// The record of how far the store has read the log, as stored (authenticated by whoever has the keys).
    read_to: Option<Vec<u8>>,
    pub(crate) records: u64,
}

/// Pairs handed from the thread that reads the store to the one that hashes them, at a time.
const SCAN_CHUNK: usize = 512;

/// Reads the whole store: the digest of everything in it but the markers, and the markers. Reading the store and
/// hashing its records take about as long as each other, so one thread reads while another hashes (at 100,000
/// entries, some 300,000 records, this is most of an unseal, so it is done ahead: `store_check.rs`). Ends early,
/// with an error, once `stopped` says so.
pub(crate) fn scan(store: &dyn Store, file: &Path, stopped: &dyn Fn() -> bool) -> Result<Scanned> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(Vec<u8>, Vec<u8>)>>(8);
    std::thread::scope(|scope| {
        let hasher = std::thread::Builder::new()
            .name("coffre-store-digest".into())
            .spawn_scoped(scope, move || {
                let mut digest = Digest::default();
                let mut records = 0u64;
                for chunk in rx {
                    for (key, value) in &chunk {
                        digest.add(key, value);
                    }
                    records += chunk.len() as u64;
                }
                (digest, records)
            })
            .map_err(|e| Error::Internal(format!("cannot start the store's digest: {e}")))?;
        let mut marker = None;
        let mut read_to = None;
        let mut chunk = Vec::with_capacity(SCAN_CHUNK);
        for item in store.scan_all() {
            if stopped() {
                return Err(Error::Internal("the store's read was stopped before its end".into()));
            }
            let (key, value) = item?;
            if key == APPLIED_KEY {
                let decoded = Applied::decode(&value).ok_or_else(|| store_damaged(file, Problem::StoreMarkerMalformed));
                marker = Some(decoded?);
            } else if key == READ_TO_KEY {
                read_to = Some(value);
            } else {
                chunk.push((key, value));
                if chunk.len() == SCAN_CHUNK
                    && tx.send(std::mem::replace(&mut chunk, Vec::with_capacity(SCAN_CHUNK))).is_err()
                {
                    break;
                }
            }
        }
        if !chunk.is_empty() {
            let _ = tx.send(chunk);
        }
        drop(tx);
        let (digest, records) =
            hasher.join().map_err(|_| Error::Internal("the store's digest stopped before its end".into()))?;
        Ok(Scanned { digest, marker, read_to, records })
    })
}

fn store_damaged(file: &Path, problem: Problem) -> Error {
    Error::StoreDamaged { file: file.display().to_string(), problem }
}

/// The store's contents as one change starting the log's record of it (for a store from before the log carried
/// changes).
pub(crate) fn baseline(store: &dyn Store, digest: Digest) -> Result<Vec<u8>> {
    let mut pairs = Vec::new();
    for item in store.scan_all() {
        let (key, value) = item?;
        if !is_marker(&key) {
            pairs.push((key, value));
        }
    }
    let ops: Vec<(&[u8], Option<&[u8]>)> = pairs.iter().map(|(k, v)| (k.as_slice(), Some(v.as_slice()))).collect();
    Ok(Change::encode(0, &digest, &ops))
}

/// The changes the log holds, in order, from the one with sequence number `from` on: each chunk opened under the
/// audit key and bound to its event, its index and their count.
pub(crate) struct Changes {
    keys: std::sync::Arc<AuditKeys>,
    segments: std::collections::VecDeque<std::path::PathBuf>,
    frames: std::vec::IntoIter<segment::Frame>,
    from: u64,
}

impl Changes {
    pub(crate) fn new(dir: &Path, keys: std::sync::Arc<AuditKeys>, from: u64) -> Result<Self> {
        let all = segment::list_segments(dir).map_err(|e| io("list the audit segments in", dir, e))?;
        let start = all.iter().rposition(|(first, _)| *first <= from.max(1)).unwrap_or(0);
        Ok(Self {
            keys,
            segments: all.into_iter().skip(start).map(|(_, p)| p).collect(),
            frames: Vec::new().into_iter(),
            from,
        })
    }

    fn next_frame(&mut self) -> Result<Option<segment::Frame>> {
        loop {
            if let Some(frame) = self.frames.next() {
                return Ok(Some(frame));
            }
            let Some(path) = self.segments.pop_front() else { return Ok(None) };
            let bytes = segment::read_segment(&path).map_err(|e| io("read the audit segment", &path, e))?;
            self.frames = segment::decode_frames(&bytes).0.into_iter();
        }
    }

    /// The next whole change: (its event's sequence number, the change).
    pub(crate) fn next_change(&mut self) -> Result<Option<(u64, Change)>> {
        let mut plain = Vec::new();
        let mut expect: Option<(u64, u32, u32)> = None;
        while let Some(frame) = self.next_frame()? {
            let Body::Change(body) = &frame.body else { continue };
            if frame.seq < self.from {
                continue;
            }
            let broken = |problem: Problem| Error::AuditChainBroken { seq: frame.seq, problem };
            let (Some(index), Some(count)) = (body.get(..4), body.get(4..8)) else {
                return Err(broken(Problem::AuditChangeTooShort));
            };
            let index = u32::from_be_bytes(index.try_into().unwrap_or_default());
            let count = u32::from_be_bytes(count.try_into().unwrap_or_default());
            match expect {
                None if index == 0 && count > 0 => {}
                Some((seq, next, total)) if seq == frame.seq && next == index && total == count => {}
                _ => return Err(broken(Problem::AuditChangeChunkMissing)),
            }
            let id = change_chunk_id(frame.seq, index, count);
            let aad = RecordAad { vault: &self.keys.vault, kind: RecordKind::AuditChange, id: &id, version: 0 };
            let opened =
                record::open(&self.keys.seal, &aad, &body[8..]).map_err(|_| broken(Problem::AuditChangeForeign))?;
            plain.extend_from_slice(opened.expose_secret());
            if index + 1 == count {
                let change = Change::decode(&plain).ok_or_else(|| broken(Problem::AuditChangeMalformed))?;
                return Ok(Some((frame.seq, change)));
            }
            expect = Some((frame.seq, index + 1, count));
        }
        match expect {
            Some((seq, _, _)) => Err(Error::AuditChainBroken { seq, problem: Problem::AuditEndsInChange }),
            None => Ok(None),
        }
    }
}

fn io(what: &str, path: &Path, err: std::io::Error) -> Error {
    Error::AuditUnavailable(format!("cannot {what} {}: {err}", path.display()))
}

/// What [`reconcile`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Reconciled {
    /// The store and the log agree (after `replayed` changes were carried over from the log). The log was read for
    /// changes from event `read_from` on.
    Agree { applied: Applied, replayed: u64, records: u64, read_from: u64 },
    /// The store has no marker and the log no change: a vault from before the log carried changes. Its contents
    /// (this digest) go into the log as a baseline.
    Baseline { digest: Digest, records: u64 },
}

/// At unseal, before anything is written: checks the store against the log (whose last event is `head`) and
/// replays what it is missing. See the module's documentation. `scanned` is the store's full read when it was
/// done ahead, and read here otherwise.
pub(crate) fn reconcile(
    store: &dyn Store,
    file: &Path,
    scanned: Option<Scanned>,
    log_dir: &Path,
    keys: std::sync::Arc<AuditKeys>,
    head: u64,
) -> Result<Reconciled> {
    let scanned = match scanned {
        Some(scanned) => scanned,
        None => scan(store, file, &|| false)?,
    };
    let Scanned { digest, marker, read_to, records } = scanned;
    let damaged = |problem: Problem| store_damaged(file, problem);
    let Some(marker) = marker else {
        let mut changes = Changes::new(log_dir, keys, 1)?;
        return match changes.next_change()? {
            None => Ok(Reconciled::Baseline { digest, records }),
            Some((seq, _)) => Err(damaged(Problem::StoreNoRecordOfChanges { seq })),
        };
    };
    if digest != marker.digest {
        return Err(damaged(Problem::StoreRecordsDoNotMatch {
            seq: marker.seq,
            found: digest.hex(),
            expected: marker.digest.hex(),
        }));
    }
    let read_to = match read_to {
        None => None,
        Some(bytes) => Some(ReadTo::decode(&bytes, &keys).ok_or_else(|| damaged(Problem::StoreReadToMalformed))?),
    };
    // Only a record written with the marker the store holds says that no change lies between the two.
    let through = match read_to {
        Some(read) if read.applied == marker => {
            if read.through > head {
                return Err(damaged(Problem::StoreReadAhead { through: read.through, head }));
            }
            read.through
        }
        _ => marker.seq,
    };
    let mut changes = Changes::new(log_dir, keys.clone(), marker.seq)?;
    let mut applied = marker;
    let mut replayed = 0;
    match changes.next_change()? {
        Some((seq, change)) if seq == marker.seq => {
            if change.digest != marker.digest {
                return Err(damaged(Problem::StoreNotDescribed { seq }));
            }
        }
        found => {
            // The marker names a change the log does not hold.
            let next = found.map_or("—".to_string(), |(seq, _)| seq.to_string());
            return Err(damaged(Problem::StoreAheadOfLog { seq: marker.seq, next }));
        }
    }
    let read_from = through + 1;
    if through > marker.seq {
        changes = Changes::new(log_dir, keys, read_from)?;
    }
    while let Some((seq, change)) = changes.next_change()? {
        replay_one(store, file, &mut applied, seq, &change)?;
        replayed += 1;
    }
    if replayed > 0 {
        store.flush()?;
    }
    Ok(Reconciled::Agree { applied, replayed, records, read_from })
}

/// Applies one change from the log after `applied`, checking that it follows it and arrives at its digest.
fn replay_one(store: &dyn Store, file: &Path, applied: &mut Applied, seq: u64, change: &Change) -> Result<()> {
    if change.prev != applied.seq {
        return Err(Error::AuditChainBroken {
            seq,
            problem: Problem::AuditChangeOutOfOrder { follows: change.prev, last: applied.seq },
        });
    }
    let ops = change.ops.iter().map(|(key, value)| (key.as_slice(), value.as_deref()));
    let (digest, _) = digest_after(store, &Overlay::new(), applied.digest, ops)?;
    if digest != change.digest {
        return Err(store_damaged(file, Problem::StoreReplayMismatch { seq }));
    }
    store.apply(change.batch(seq))?;
    *applied = Applied { seq, digest };
    Ok(())
}

/// What [`rebuild`] did.
#[derive(Debug)]
pub(crate) struct Rebuilt {
    pub(crate) changes: u64,
    pub(crate) applied: Applied,
    pub(crate) records: u64,
}

/// Builds `store` (new and empty) from the log alone: every change from the first, in order, each following the
/// one before it and arriving at its digest; then a full scan must give the last digest.
pub(crate) fn rebuild(
    store: &dyn Store,
    file: &Path,
    log_dir: &Path,
    keys: std::sync::Arc<AuditKeys>,
) -> Result<Rebuilt> {
    if store.scan_all().next().is_some() {
        return Err(Error::Internal("a store is rebuilt into an empty directory only".into()));
    }
    let mut changes = Changes::new(log_dir, keys, 1)?;
    let mut applied = Applied::default();
    let mut count = 0;
    while let Some((seq, change)) = changes.next_change()? {
        replay_one(store, file, &mut applied, seq, &change)?;
        count += 1;
    }
    store.flush()?;
    let scanned = scan(store, file, &|| false)?;
    if count > 0 && (scanned.digest != applied.digest || scanned.marker != Some(applied)) {
        return Err(Error::Internal("the rebuilt store does not read back as written".into()));
    }
    Ok(Rebuilt { changes: count, applied, records: scanned.records })
}

/// Writes the seal header's copy beside the store, durably (a new file renamed over the old one).
pub(crate) fn write_header_copy(data_dir: &Path, header: &[u8]) -> std::io::Result<()> {
    if std::fs::read(data_dir.join(HEADER_COPY)).is_ok_and(|old| old == header) {
        return Ok(());
    }
    write_durably(data_dir, HEADER_COPY, header)
}

/// Writes `bytes` as the file `name` of the directory `dir`, whole or not at all, and durably: a new file (mode
/// 0600) written and synced beside it, renamed over it, and the directory synced. For the small files coffred keeps
/// in its data directory beside the log and the store.
pub fn write_durably(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let tmp = dir.join(format!("{name}.new"));
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, dir.join(name))?;
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_the_same_whatever_the_order_and_undoes_itself() {
        let mut a = Digest::default();
        a.add(b"k1", b"v1");
        a.add(b"k2", b"v2");
        let mut b = Digest::default();
        b.add(b"k2", b"v2");
        b.add(b"k1", b"v1");
        assert_eq!(a, b);
        b.remove(b"k2", b"v2");
        b.remove(b"k1", b"v1");
        assert_eq!(b, Digest::default());
        let mut c = Digest::default();
        c.add(b"k1", b"v2");
        c.add(b"k2", b"v1");
        assert_ne!(a, c, "a value moved to another key is another store");
    }

    #[test]
    fn a_change_reads_back_and_malformed_ones_are_refused() {
        let digest = Digest([7; 32]);
        let encoded = Change::encode(41, &digest, &[(b"e/1", Some(b"sealed")), (b"i/e/x", None)]);
        let change = Change::decode(&encoded).expect("decodes");
        assert_eq!(change.prev, 41);
        assert_eq!(change.digest, digest);
        assert_eq!(change.ops, vec![(b"e/1".to_vec(), Some(b"sealed".to_vec())), (b"i/e/x".to_vec(), None)]);
        for cut in 0..encoded.len() {
            assert_eq!(Change::decode(&encoded[..cut]), None, "cut at {cut}");
        }
        let mut longer = encoded.clone();
        longer.push(0);
        assert_eq!(Change::decode(&longer), None);
        let marker = Change::encode(0, &digest, &[(APPLIED_KEY, Some(b"x"))]);
        assert_eq!(Change::decode(&marker), None, "a change never writes the marker");
        let mut huge = Change::encode(0, &digest, &[]);
        huge[41..45].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(Change::decode(&huge), None);
    }

    #[test]
    fn the_digest_after_a_batch_is_the_digest_of_the_store_after_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = coffre_store::SledStore::open(dir.path()).expect("open");
        let mut first = Batch::default();
        first.insert(b"a".to_vec(), b"1".to_vec());
        first.insert(b"b".to_vec(), b"2".to_vec());
        let (d1, _) = digest_after(&store, &Overlay::new(), Digest::default(), first.ops()).expect("digest");
        store.apply(first).expect("apply");
        assert_eq!(scan(&store, dir.path(), &|| false).expect("scan").digest, d1);
        let mut second = Batch::default();
        second.insert(b"a".to_vec(), b"3".to_vec());
        second.remove(b"b".to_vec());
        second.insert(b"b".to_vec(), b"4".to_vec());
        second.remove(b"b".to_vec());
        second.remove(b"missing".to_vec());
        let (d2, _) = digest_after(&store, &Overlay::new(), d1, second.ops()).expect("digest");
        store.apply(second).expect("apply");
        assert_eq!(scan(&store, dir.path(), &|| false).expect("scan").digest, d2);
    }
}
