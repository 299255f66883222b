//! Append-only segment files of the audit log.
//!
//! A segment is named after the sequence number of its first event (`00000000000000000001.log`) and holds frames:
//!
//! ```text
//! frame   = len (u32 LE) || crc32 (u32 LE, over payload) || payload
//! payload = seq (u64 BE) || hash (32) || sealed event (XChaCha20-Poly1305, AAD binds vault id, kind, seq)
//! ```
//!
//! Only the final frame of the final segment may be torn (a crash during a write): it is detected by length or CRC
//! and cut off on open. Anything wrong earlier is corruption and is reported, never repaired silently.

use std::{
    fs::{self, File, OpenOptions},
    io::{self, Read, Write},
    path::{Path, PathBuf},
};

/// Largest payload accepted when reading a frame back; a larger length is a torn or corrupt frame.
pub(crate) const MAX_PAYLOAD: u32 = 1 << 20;
/// Bytes before the payload.
const FRAME_HEADER: usize = 8;
/// A new segment is started when the current one grows past this.
pub(crate) const SEGMENT_TARGET_BYTES: u64 = 64 << 20;

/// A decoded frame.
#[derive(Debug)]
pub(crate) struct Frame {
    pub(crate) seq: u64,
    pub(crate) hash: [u8; 32],
    /// Read back by `read_all` (tests) and, with the audit issue, by export and verification.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) sealed: Vec<u8>,
}

/// Encodes one frame onto `out`.
pub(crate) fn encode_frame(out: &mut Vec<u8>, seq: u64, hash: &[u8; 32], sealed: &[u8]) {
    let payload_len = 8 + 32 + sealed.len();
    let start = out.len();
    out.extend_from_slice(&(payload_len as u32).to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(hash);
    out.extend_from_slice(sealed);
    let crc = crc32fast::hash(&out[start + FRAME_HEADER..]);
    out[start + 4..start + 8].copy_from_slice(&crc.to_le_bytes());
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
        let Some(header) = bytes.get(at..at + FRAME_HEADER) else { return (frames, Tail::Torn(at as u64)) };
        let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
        let crc = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        if !(40..=MAX_PAYLOAD).contains(&len) {
            return (frames, Tail::Torn(at as u64));
        }
        let body_start = at + FRAME_HEADER;
        let Some(payload) = bytes.get(body_start..body_start + len as usize) else {
            return (frames, Tail::Torn(at as u64));
        };
        if crc32fast::hash(payload) != crc {
            return (frames, Tail::Torn(at as u64));
        }
        let mut seq = [0; 8];
        seq.copy_from_slice(&payload[..8]);
        let mut hash = [0; 32];
        hash.copy_from_slice(&payload[8..40]);
        frames.push(Frame { seq: u64::from_be_bytes(seq), hash, sealed: payload[40..].to_vec() });
        at = body_start + len as usize;
    }
    (frames, Tail::Clean)
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
    let mut bytes = Vec::new();
    File::open(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The segment being appended to.
#[derive(Debug)]
pub(crate) struct ActiveSegment {
    pub(crate) file: File,
    /// Length of the durable, whole-frame prefix.
    pub(crate) len: u64,
}

impl ActiveSegment {
    /// Opens (creating if need be, then syncing the directory so the new name is durable) a segment for append.
    pub(crate) fn open(dir: &Path, first_seq: u64, len: u64) -> io::Result<Self> {
        let path = segment_path(dir, first_seq);
        let created = !path.exists();
        let file = OpenOptions::new().create(true).append(true).open(&path)?;
        if created {
            file.sync_all()?;
            sync_dir(dir)?;
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
                // so the batch is treated as not written at all: cut back and sync the cut.
                let _ = self.file.set_len(self.len).and_then(|()| self.file.sync_all());
                Err(err)
            }
        }
    }
}

/// fsync on a directory, so that a file created in it survives a crash.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
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
                encode_frame(&mut bytes, i as u64 + 1, &[i as u8; 32], r);
            }
            let (frames, tail) = decode_frames(&bytes);
            prop_assert_eq!(tail, Tail::Clean);
            prop_assert_eq!(frames.len(), records.len());
            for (f, r) in frames.iter().zip(&records) {
                prop_assert_eq!(&f.sealed, r);
            }
            let cut = cut.index(bytes.len());
            let (frames, tail) = decode_frames(&bytes[..cut]);
            prop_assert!(frames.len() < records.len());
            if cut > 0 {
                prop_assert!(matches!(tail, Tail::Torn(_)) || frames.iter().map(|f| f.sealed.len() + 48).sum::<usize>() == cut);
            }
        }

        #[test]
        fn a_flipped_bit_is_never_read_as_a_whole_frame(
            record in proptest::collection::vec(any::<u8>(), 1..64),
            bit in any::<prop::sample::Index>(),
        ) {
            let mut bytes = Vec::new();
            encode_frame(&mut bytes, 7, &[3; 32], &record);
            let bit = bit.index(bytes.len() * 8);
            bytes[bit / 8] ^= 1 << (bit % 8);
            let (frames, tail) = decode_frames(&bytes);
            prop_assert!(frames.is_empty());
            prop_assert!(matches!(tail, Tail::Torn(0)));
        }
    }
}
