//! The head witness: the latest signed head of the log (seq, hash, signature), kept in a small file outside the
//! log's directory (`audit-head`, beside `db/` and `audit/`), so that a log cut short at a frame boundary, which
//! reads back cleanly, is still caught at start: fewer events than the witness names is damage, never a new
//! beginning.
//!
//! The file has two fixed slots of [`SLOT`] bytes, written in turn in place, each with its own CRC, so a write torn
//! by a power cut spoils at most one slot and the other still holds the head before. The writer thread writes the
//! slot after each durable batch (one `pwrite`, which a `kill -9` cannot undo); a second thread makes it durable
//! with `fdatasync`, coalescing writes, so the reveal path waits for no extra flush. After a power cut the witness
//! may therefore lag the log by the batches of the last flush or so; it is never ahead of it, since it is written
//! only after the log's own flush.

use crate::problems::Problem;
use std::{
    fs::{File, OpenOptions},
    io,
    os::unix::fs::{FileExt, OpenOptionsExt},
    path::{Path, PathBuf},
    sync::{Arc, Condvar, Mutex},
    thread,
};

/// The witness file's name in the data directory.
pub(crate) const FILE_NAME: &str = "audit-head";
/// Bytes per slot.
const SLOT: usize = 128;
const MAGIC: &[u8; 8] = b"coffreWH";
/// magic (8) || seq (u64 BE) || hash (32) || signature (64), then a CRC-32 over those.
const BODY: usize = 8 + 8 + 32 + 64;

/// A head as the witness holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Witnessed {
    pub(crate) seq: u64,
    pub(crate) hash: [u8; 32],
    pub(crate) signature: [u8; 64],
}

impl Witnessed {
    fn encode(&self) -> [u8; SLOT] {
        let mut slot = [0; SLOT];
        slot[..8].copy_from_slice(MAGIC);
        slot[8..16].copy_from_slice(&self.seq.to_be_bytes());
        slot[16..48].copy_from_slice(&self.hash);
        slot[48..BODY].copy_from_slice(&self.signature);
        let crc = crc32fast::hash(&slot[..BODY]);
        slot[BODY..BODY + 4].copy_from_slice(&crc.to_le_bytes());
        slot
    }

    fn decode(slot: &[u8]) -> Option<Self> {
        let body = slot.get(..BODY)?;
        let crc = slot.get(BODY..BODY + 4)?;
        if body[..8] != *MAGIC || crc32fast::hash(body).to_le_bytes() != *crc {
            return None;
        }
        Some(Self {
            seq: u64::from_be_bytes(body[8..16].try_into().ok()?),
            hash: body[16..48].try_into().ok()?,
            signature: body[48..BODY].try_into().ok()?,
        })
    }
}

/// Reads the witness: `Ok(None)` if there is none yet (a vault from before witnesses, or one never written to),
/// the newest whole slot otherwise; `Err` with what is wrong if the file exists and no slot reads back.
pub(crate) fn read(path: &Path) -> io::Result<Result<Option<Witnessed>, Problem>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Ok(None)),
        Err(e) => return Err(e),
    };
    if bytes.is_empty() {
        return Ok(Ok(None));
    }
    if bytes.len() > 2 * SLOT {
        return Ok(Err(Problem::AuditWitnessTooLong { length: bytes.len() as u64, max: 2 * SLOT as u64 }));
    }
    let newest = bytes.chunks(SLOT).filter_map(Witnessed::decode).max_by_key(|w| w.seq);
    Ok(newest.map(Some).ok_or(Problem::AuditWitnessUnreadable))
}

/// Where the writer keeps the witness up to date.
pub(crate) struct WitnessFile {
    file: File,
    /// The slot the next write goes to (never the one holding the newest head).
    next_slot: u64,
    syncer: Arc<Syncer>,
}

/// Asks the flushing thread to fdatasync the file once more; requests made while it flushes are merged.
#[derive(Default)]
struct Syncer {
    /// (a flush is wanted, the file is closed: flush what is wanted and stop).
    state: Mutex<(bool, bool)>,
    wake: Condvar,
}

impl Syncer {
    fn set(&self, dirty: bool, closed: bool) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.0 |= dirty;
        state.1 |= closed;
        self.wake.notify_one();
    }
}

impl WitnessFile {
    /// Opens (creating, private to the daemon, and making its name durable) the witness at `path`, and starts the
    /// thread that flushes it.
    pub(crate) fn open(path: &Path, newest_in_slot: Option<u64>) -> io::Result<Self> {
        let created = !path.exists();
        let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).mode(0o600).open(path)?;
        if created && let Some(dir) = path.parent() {
            File::open(dir)?.sync_all()?;
        }
        let syncer = Arc::new(Syncer::default());
        let flushing = file.try_clone()?;
        let waiting = syncer.clone();
        let name = PathBuf::from(path);
        thread::Builder::new().name("coffre-witness".into()).spawn(move || {
            loop {
                let mut state = waiting.state.lock().unwrap_or_else(|p| p.into_inner());
                while !state.0 && !state.1 {
                    state = waiting.wake.wait(state).unwrap_or_else(|p| p.into_inner());
                }
                let (dirty, closed) = *state;
                state.0 = false;
                drop(state);
                if !dirty && closed {
                    return;
                }
                if let Err(e) = flushing.sync_data() {
                    tracing::error!(file = %name.display(), error = %e, "cannot flush the audit head witness");
                }
            }
        })?;
        Ok(Self { file, next_slot: newest_in_slot.map_or(0, |s| 1 - s.min(1)), syncer })
    }

    /// Writes `head` to the slot not holding the newest head, and asks for a flush (not waited for).
    pub(crate) fn record(&mut self, head: &Witnessed) -> io::Result<()> {
        self.file.write_all_at(&head.encode(), self.next_slot * SLOT as u64)?;
        self.next_slot = 1 - self.next_slot;
        self.syncer.set(true, false);
        Ok(())
    }

    /// Writes `head` and waits for it to be durable (at unseal and seal, so that a clean stop leaves it current).
    pub(crate) fn record_durably(&mut self, head: &Witnessed) -> io::Result<()> {
        self.file.write_all_at(&head.encode(), self.next_slot * SLOT as u64)?;
        self.next_slot = 1 - self.next_slot;
        self.file.sync_data()
    }
}

impl Drop for WitnessFile {
    fn drop(&mut self) {
        self.syncer.set(false, true);
    }
}

/// Which slot of the file at `path` holds its newest head (0 or 1), if any.
pub(crate) fn newest_slot(path: &Path) -> Option<u64> {
    let bytes = std::fs::read(path).ok()?;
    let slots: Vec<Option<Witnessed>> = bytes.chunks(SLOT).take(2).map(Witnessed::decode).collect();
    let seq = |i: usize| slots.get(i).copied().flatten().map(|w| w.seq);
    match (seq(0), seq(1)) {
        (Some(a), Some(b)) => Some(u64::from(b > a)),
        (Some(_), None) => Some(0),
        (None, Some(_)) => Some(1),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(seq: u64) -> Witnessed {
        Witnessed { seq, hash: [seq as u8; 32], signature: [7; 64] }
    }

    #[test]
    fn the_newest_whole_slot_wins_and_a_torn_slot_leaves_the_one_before() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE_NAME);
        assert_eq!(read(&path).expect("read"), Ok(None));
        let mut file = WitnessFile::open(&path, None).expect("open");
        file.record(&head(3)).expect("write");
        file.record_durably(&head(5)).expect("write");
        file.record(&head(8)).expect("write");
        assert_eq!(read(&path).expect("read"), Ok(Some(head(8))));
        assert_eq!(newest_slot(&path), Some(0));
        // A torn write of the slot holding 8 leaves 5.
        let mut bytes = std::fs::read(&path).expect("read");
        bytes[20] ^= 1;
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(read(&path).expect("read"), Ok(Some(head(5))));
        bytes[SLOT + 20] ^= 1;
        std::fs::write(&path, &bytes).expect("write");
        assert!(read(&path).expect("read").is_err());
    }
}
