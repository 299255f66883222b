//! Append-only segment files of the audit log.
//!
//! A segment is named after the sequence number of its first event (`00000000000000000001.log`) and holds frames:
//!
//! ```text
//! frame   = len (u32 LE) || crc32 (u32 LE, over payload) || payload
//! payload = kind (u8) || seq (u64 BE) || hash (32) || body
//! kind 1, an event: body = the sealed event (XChaCha20-Poly1305; the AAD binds vault id, record kind and seq)
//! kind 2, a head:   body = the Ed25519 signature (64 bytes) over (vault id, seq, hash) of the event before it
//! kind 3, a change: body = chunk index (u32 BE) || chunk count (u32 BE) || the sealed chunk of the change to the
//!                   store made with the event before it (same seq and hash; see `journal.rs`)
//! ```
//!
//! Each group commit writes its events and one head frame with a single write and a single fdatasync, and is
//! acknowledged only once both are durable. So only the end of the final segment may be torn (a crash during a
//! write): bytes after the last whole frame with no whole head frame after them ([`scan`]). They are moved to a
//! quarantine file beside the segment, never deleted. Anything else wrong is damage and is reported, never repaired.
//!
//! File operations go through [`Storage`], so tests can make the disk fail on demand.

use crate::problems::Problem;
use std::{
    fs::{self, File, OpenOptions},
    io::{self, Write},
    path::{Path, PathBuf},
};

/// Largest payload accepted when reading a frame back; a larger length is a torn or corrupt frame.
pub(crate) const MAX_PAYLOAD: u32 = 1 << 20;
/// Bytes before the payload.
const FRAME_HEADER: usize = 8;
/// Bytes of a payload before its body.
const PAYLOAD_HEADER: usize = 1 + 8 + 32;
/// A new segment is started when the current one grows past this. The daemon reads the last segment whole at start
/// (to find a torn tail), so this bounds both its start-up time and the memory that takes (about 60,000 events).
pub(crate) const SEGMENT_TARGET_BYTES: u64 = 16 << 20;

const KIND_EVENT: u8 = 1;
const KIND_HEAD: u8 = 2;
const KIND_CHANGE: u8 = 3;

/// What a frame holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Body {
    /// A sealed event.
    Event(Vec<u8>),
    /// The signature of the head at this frame's seq and hash.
    Head([u8; 64]),
    /// A chunk of the change to the store made with the event of this seq (index, count, sealed chunk).
    Change(Vec<u8>),
}

/// A decoded frame.
#[derive(Debug)]
pub(crate) struct Frame {
    pub(crate) seq: u64,
    pub(crate) hash: [u8; 32],
    pub(crate) body: Body,
}

fn encode(out: &mut Vec<u8>, kind: u8, seq: u64, hash: &[u8; 32], body: &[u8]) {
    let payload_len = PAYLOAD_HEADER + body.len();
    let start = out.len();
    out.extend_from_slice(&(payload_len as u32).to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.push(kind);
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(hash);
    out.extend_from_slice(body);
    let crc = crc32fast::hash(&out[start + FRAME_HEADER..]);
    out[start + 4..start + 8].copy_from_slice(&crc.to_le_bytes());
}

/// Encodes an event frame onto `out`.
pub(crate) fn encode_event(out: &mut Vec<u8>, seq: u64, hash: &[u8; 32], sealed: &[u8]) {
    encode(out, KIND_EVENT, seq, hash, sealed);
}

/// Encodes a change chunk frame onto `out` (`body` = index, count and the sealed chunk).
pub(crate) fn encode_change(out: &mut Vec<u8>, seq: u64, hash: &[u8; 32], body: &[u8]) {
    encode(out, KIND_CHANGE, seq, hash, body);
}

/// Encodes a head frame onto `out`.
pub(crate) fn encode_head(out: &mut Vec<u8>, seq: u64, hash: &[u8; 32], signature: &[u8; 64]) {
    encode(out, KIND_HEAD, seq, hash, signature);
}

/// Where decoding a segment's bytes stopped.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Tail {
    /// Every byte was a whole frame.
    Clean,
    /// A torn or corrupt frame starts at this offset.
    Torn(u64),
}

/// Decodes every whole frame in `bytes`; stops at the first torn or corrupt one.
pub(crate) fn decode_frames(bytes: &[u8]) -> (Vec<Frame>, Tail) {
    let mut frames = Vec::new();
    let mut at = 0usize;
    while at < bytes.len() {
        match decode_one(&bytes[at..]) {
            Some((frame, used)) => {
                frames.push(frame);
                at += used;
            }
            None => return (frames, Tail::Torn(at as u64)),
        }
    }
    (frames, Tail::Clean)
}

/// One group commit as the writer wrote it: its events' first and last sequence numbers, and where its frames lie
/// in a segment's bytes, up to and including its head frame.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct GroupCommit {
    pub(crate) first: u64,
    pub(crate) last: u64,
    pub(crate) bytes: std::ops::Range<usize>,
}

/// The group commits in a segment's bytes, in order: each run of frames that ends with a head frame and holds an
/// event. Stops at the first torn or corrupt frame; frames after the last head frame are left out (a batch is
/// whole only with its head).
pub(crate) fn group_commits(bytes: &[u8]) -> Vec<GroupCommit> {
    let mut commits = Vec::new();
    let (mut at, mut start, mut first) = (0, 0, None);
    while let Some((frame, used)) = bytes.get(at..).and_then(decode_one) {
        at += used;
        match frame.body {
            Body::Event(_) => {
                first.get_or_insert(frame.seq);
            }
            Body::Head(_) => {
                if let Some(first) = first.take() {
                    commits.push(GroupCommit { first, last: frame.seq, bytes: start..at });
                }
                start = at;
            }
            Body::Change(_) => {}
        }
    }
    commits
}

/// How a segment ends, as judged at start-up before anything is cut.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum End {
    /// Every byte is a whole frame.
    Clean,
    /// What a crash in the middle of a write leaves, from this offset to the end of the file: an incomplete final
    /// frame, a frame that fails its checksum, or zeros, and no whole head frame anywhere after it. Since a batch
    /// is acknowledged only once its events and its closing head frame are all durable, nothing from here on was
    /// acknowledged, and these bytes may be moved aside.
    Torn(u64),
    /// A frame at this offset fails its checks and something acknowledged lies after it (a whole head frame), or
    /// its length is impossible: damage, never cut.
    Damaged {
        /// Where the first bad frame starts.
        at: u64,
        /// What is wrong there.
        problem: Problem,
    },
}

/// Decodes every whole frame of a segment and judges what follows the last one: see [`End`].
pub(crate) fn scan(bytes: &[u8]) -> (Vec<Frame>, End) {
    let (frames, tail) = decode_frames(bytes);
    let Tail::Torn(at) = tail else { return (frames, End::Clean) };
    let rest = bytes.get(usize::try_from(at).unwrap_or(usize::MAX)..).unwrap_or_default();
    if rest.iter().all(|b| *b == 0) {
        return (frames, End::Torn(at));
    }
    if let Some(header) = rest.get(..FRAME_HEADER) {
        let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
        if !(PAYLOAD_HEADER as u32..=MAX_PAYLOAD).contains(&len) {
            return (frames, End::Damaged { at, problem: Problem::AuditImpossibleLength });
        }
    }
    // A whole head frame after the bad one means an acknowledged batch ends there. Only head frames are looked
    // for: events with no head after them were never acknowledged (their batch's write did not complete).
    if (1..rest.len()).any(|offset| is_head_frame(&rest[offset..])) {
        return (frames, End::Damaged { at, problem: Problem::AuditBadFrame });
    }
    (frames, End::Torn(at))
}

/// Whether a whole, checksummed head frame starts at the start of `bytes` (cheap to reject: the length and kind
/// of a head frame are fixed).
fn is_head_frame(bytes: &[u8]) -> bool {
    const HEAD_PAYLOAD: usize = PAYLOAD_HEADER + 64;
    let Some(frame) = bytes.get(..FRAME_HEADER + HEAD_PAYLOAD) else { return false };
    if frame[..4] != (HEAD_PAYLOAD as u32).to_le_bytes() || frame[FRAME_HEADER] != KIND_HEAD {
        return false;
    }
    crc32fast::hash(&frame[FRAME_HEADER..]).to_le_bytes() == frame[4..8]
}

/// The sequence number the frame at the start of `bytes` claims, if its header is there (unverified: for logs).
pub(crate) fn claimed_seq(bytes: &[u8]) -> Option<u64> {
    let seq = bytes.get(FRAME_HEADER + 1..FRAME_HEADER + 9)?;
    seq.try_into().ok().map(u64::from_be_bytes)
}

/// The length of a whole head frame at the end of a segment (what every finished segment ends with).
pub(crate) const HEAD_FRAME_BYTES: usize = FRAME_HEADER + PAYLOAD_HEADER + 64;

/// Decodes a whole head frame, if `bytes` is exactly one.
pub(crate) fn decode_head(bytes: &[u8]) -> Option<Frame> {
    if !is_head_frame(bytes) || bytes.len() != HEAD_FRAME_BYTES {
        return None;
    }
    decode_one(bytes).map(|(frame, _)| frame)
}

/// Decodes the frame at the start of `bytes` and says how many bytes it took; `None` if it is torn or corrupt.
fn decode_one(bytes: &[u8]) -> Option<(Frame, usize)> {
    let header = bytes.get(..FRAME_HEADER)?;
    let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
    let crc = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
    if !(PAYLOAD_HEADER as u32..=MAX_PAYLOAD).contains(&len) {
        return None;
    }
    let payload = bytes.get(FRAME_HEADER..FRAME_HEADER + len as usize)?;
    if crc32fast::hash(payload) != crc {
        return None;
    }
    let mut seq = [0; 8];
    seq.copy_from_slice(&payload[1..9]);
    let mut hash = [0; 32];
    hash.copy_from_slice(&payload[9..41]);
    let body = &payload[PAYLOAD_HEADER..];
    let body = match payload[0] {
        KIND_EVENT => Body::Event(body.to_vec()),
        KIND_HEAD => Body::Head(body.try_into().ok()?),
        KIND_CHANGE => Body::Change(body.to_vec()),
        _ => return None,
    };
    Some((Frame { seq: u64::from_be_bytes(seq), hash, body }, FRAME_HEADER + len as usize))
}

/// The segment files of a log directory, sorted by first sequence number.
pub(crate) fn list_segments(dir: &Path) -> io::Result<Vec<(u64, PathBuf)>> {
    let mut segments = Vec::new();
    for item in fs::read_dir(dir)? {
        let path = item?.path();
        let first = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".log"))
            .and_then(|n| n.parse::<u64>().ok());
        if let Some(first) = first {
            segments.push((first, path));
        }
    }
    segments.sort();
    Ok(segments)
}

/// The path of the segment whose first event is `first_seq`.
pub(crate) fn segment_path(dir: &Path, first_seq: u64) -> PathBuf {
    dir.join(format!("{first_seq:020}.log"))
}

/// Reads a whole segment.
pub(crate) fn read_segment(path: &Path) -> io::Result<Vec<u8>> {
    // One allocation of the file's size, not a chain of doublings that the allocator may keep after it is freed.
    std::fs::read(path)
}

/// Reads the last [`HEAD_FRAME_BYTES`] of a finished segment: where they start, and the head frame they are if
/// they are one.
pub(crate) fn read_final_head(path: &Path) -> io::Result<(u64, Option<Frame>)> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    let Some(offset) = len.checked_sub(HEAD_FRAME_BYTES as u64) else { return Ok((0, None)) };
    file.seek(SeekFrom::Start(offset))?;
    let mut bytes = [0; HEAD_FRAME_BYTES];
    file.read_exact(&mut bytes)?;
    Ok((offset, decode_head(&bytes)))
}

/// Writes the torn end of `segment` (which started at `offset`) to a new file beside it, private to the daemon,
/// and makes the file and its name durable. Returns its path.
pub(crate) fn write_quarantine(segment: &Path, offset: u64, bytes: &[u8]) -> io::Result<PathBuf> {
    use std::os::unix::fs::OpenOptionsExt;
    let name = segment.file_name().and_then(|n| n.to_str()).unwrap_or("segment");
    for n in 0..1000 {
        let path = segment.with_file_name(format!("{name}.torn-at-{offset}.{n}"));
        let mut file = match OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        Write::write_all(&mut file, bytes)?;
        file.sync_all()?;
        if let Some(dir) = segment.parent() {
            File::open(dir)?.sync_all()?;
        }
        return Ok(path);
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "too many quarantine files beside the segment"))
}

/// The file operations the writer needs. The daemon uses [`Disk`]; tests wrap it to fail on demand.
pub(crate) trait Storage: Send + Sync {
    /// Opens `path` for appending, creating it if missing.
    fn open_append(&self, path: &Path) -> io::Result<Box<dyn SegmentFile>>;
    /// fsync on a directory, so that a file created in it survives a crash.
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;
    /// The store as the engine is to use it: the real one, or (in tests) one that fails on demand.
    fn wrap_store(&self, store: Box<dyn coffre_store::Store>) -> Box<dyn coffre_store::Store> {
        store
    }
}

/// An open segment file.
pub(crate) trait SegmentFile: Send {
    /// `write_all`.
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// `fdatasync`.
    fn sync_data(&mut self) -> io::Result<()>;
    /// `ftruncate` then `fsync`.
    fn truncate_and_sync(&mut self, len: u64) -> io::Result<()>;
}

/// The real disk.
#[derive(Debug, Default)]
pub(crate) struct Disk;

impl Storage for Disk {
    fn open_append(&self, path: &Path) -> io::Result<Box<dyn SegmentFile>> {
        use std::os::unix::fs::OpenOptionsExt;
        // Private to the daemon's user whatever the umask (coffred also sets one of 077 at start).
        Ok(Box::new(OpenOptions::new().create(true).append(true).mode(0o600).open(path)?))
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        File::open(dir)?.sync_all()
    }
}

impl SegmentFile for File {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        Write::write_all(self, bytes)
    }

    fn sync_data(&mut self) -> io::Result<()> {
        File::sync_data(self)
    }

    fn truncate_and_sync(&mut self, len: u64) -> io::Result<()> {
        self.set_len(len)?;
        self.sync_all()
    }
}

/// The segment being appended to.
pub(crate) struct ActiveSegment {
    file: Box<dyn SegmentFile>,
    /// Length of the durable, whole-frame prefix.
    pub(crate) len: u64,
}

impl ActiveSegment {
    /// Opens (creating if need be, then syncing the directory so the new name is durable) a segment for append.
    pub(crate) fn open(storage: &dyn Storage, dir: &Path, first_seq: u64, len: u64) -> io::Result<Self> {
        let path = segment_path(dir, first_seq);
        let created = !path.exists();
        let mut file = storage.open_append(&path)?;
        if created {
            file.sync_data()?;
            storage.sync_dir(dir)?;
        }
        Ok(Self { file, len })
    }

    /// Appends `bytes` and makes them durable with fdatasync. On any failure the file is cut back to its last
    /// durable length, so a failed batch leaves no partial frame behind.
    pub(crate) fn append_durably(&mut self, bytes: &[u8]) -> io::Result<()> {
        let result = self.file.write_all(bytes).and_then(|()| self.file.sync_data());
        match result {
            Ok(()) => {
                self.len += bytes.len() as u64;
                Ok(())
            }
            Err(err) => {
                // After a failed fsync the page cache cannot be trusted (Linux may have dropped the dirty pages),
                // so the batch is treated as not written at all: cut back and sync the cut. If even that fails,
                // the next open finds a torn or unacknowledged tail and deals with it.
                if let Err(cut) = self.file.truncate_and_sync(self.len) {
                    tracing::error!(error = %cut, "cannot cut a failed audit write back");
                }
                Err(err)
            }
        }
    }
}

/// Rewrites a segment frame by frame, as someone with write access to the disk but not the key could: `edit`
/// may change a frame, and drops it by returning `false`. CRCs are recomputed, so only the chain and the AEAD can
/// tell. For tests of tamper detection.
#[cfg(test)]
pub(crate) fn rewrite(path: &Path, mut edit: impl FnMut(&mut Frame) -> bool) {
    let bytes = std::fs::read(path).expect("read the segment");
    let mut out = Vec::new();
    for mut frame in decode_frames(&bytes).0 {
        if !edit(&mut frame) {
            continue;
        }
        match &frame.body {
            Body::Event(sealed) => encode_event(&mut out, frame.seq, &frame.hash, sealed),
            Body::Head(sig) => encode_head(&mut out, frame.seq, &frame.hash, sig),
            Body::Change(body) => encode_change(&mut out, frame.seq, &frame.hash, body),
        }
    }
    std::fs::write(path, out).expect("write the segment");
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn frames_round_trip_and_any_cut_is_detected_as_torn(
            records in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 1..6),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut bytes = Vec::new();
            for (i, r) in records.iter().enumerate() {
                encode_event(&mut bytes, i as u64 + 1, &[i as u8; 32], r);
            }
            encode_head(&mut bytes, records.len() as u64, &[1; 32], &[2; 64]);
            let (frames, tail) = decode_frames(&bytes);
            prop_assert_eq!(tail, Tail::Clean);
            prop_assert_eq!(frames.len(), records.len() + 1);
            for (f, r) in frames.iter().zip(&records) {
                prop_assert_eq!(&f.body, &Body::Event(r.clone()));
            }
            prop_assert_eq!(&frames[records.len()].body, &Body::Head([2; 64]));
            let cut = cut.index(bytes.len());
            let (frames, tail) = decode_frames(&bytes[..cut]);
            prop_assert!(frames.len() <= records.len());
            let whole: usize = frames.iter().map(|f| match &f.body {
                Body::Event(s) => s.len() + 49,
                Body::Head(_) => 113,
                Body::Change(b) => b.len() + 49,
            }).sum();
            if whole != cut {
                prop_assert_eq!(tail, Tail::Torn(whole as u64));
            }
        }

        #[test]
        fn a_flipped_bit_is_never_read_as_a_whole_frame(
            record in proptest::collection::vec(any::<u8>(), 1..64),
            bit in any::<prop::sample::Index>(),
        ) {
            let mut bytes = Vec::new();
            encode_event(&mut bytes, 7, &[3; 32], &record);
            let bit = bit.index(bytes.len() * 8);
            bytes[bit / 8] ^= 1 << (bit % 8);
            let (frames, tail) = decode_frames(&bytes);
            prop_assert!(frames.is_empty());
            prop_assert!(matches!(tail, Tail::Torn(0)));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = decode_frames(&bytes);
        }
    }
}
