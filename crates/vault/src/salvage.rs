//! `coffred salvage`: when the audit log itself is damaged, a new data directory with everything before the damage,
//! offline, never writing to the original.
//!
//! The log is read from its first frame: every event must open under the audit key and follow the one before it,
//! and every change beside an event must be whole and open too. The new directory's log holds every frame up to the
//! last event that passes (with the change it carries), closed by a fresh signed head; everything from the damage
//! on is copied beside it, byte for byte, in `audit/*.salvaged-rest` files (kept, never interpreted). Its store is
//! then rebuilt from that log (`rebuild.rs`). What happened after the damage is not in the new vault: the result
//! says up to which event it goes.

use std::{path::Path, sync::Arc};

use coffre_audit::GENESIS;
use coffre_crypto::{
    record::{self, RecordAad, RecordKind},
    secret::Passphrase,
};

use crate::{
    Error, Result,
    audit::{
        self, AuditKeys, change_chunk_id,
        segment::{self, Body, Frame},
    },
    clock::Clock,
    journal,
    rebuild::{self, io},
};

/// What a salvage kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalvageReport {
    /// The vault's id.
    pub vault_id: String,
    /// The last event kept: everything up to it is in the new directory.
    pub last_good_event: u64,
    /// Bytes from the damage on, kept aside in `audit/*.salvaged-rest` files.
    pub bytes_kept_aside: u64,
    /// Changes replayed into the new store.
    pub changes: u64,
    /// Records in the new store.
    pub records: u64,
}

/// Salvages the vault in `source` into `target` (which must not exist yet), with an owner's `passphrase`.
pub async fn salvage(
    source: &Path,
    target: &Path,
    passphrase: Passphrase,
    clock: Arc<dyn Clock>,
) -> Result<SalvageReport> {
    let open = rebuild::unlock(source, passphrase).await?;
    rebuild::make_target(target)?;
    let keys = open.audit_keys.clone();
    let (from, to) = (source.join("audit"), target.join("audit"));
    let (last_good, aside) = tokio::task::spawn_blocking(move || copy_good_prefix(&from, &to, &keys))
        .await
        .map_err(|e| Error::Internal(format!("the salvage failed: {e}")))??;
    let header = source.join(journal::HEADER_COPY);
    std::fs::copy(&header, target.join(journal::HEADER_COPY)).map_err(io("copy", &header))?;
    let report = rebuild::finish(target, &open, clock).await?;
    Ok(SalvageReport {
        vault_id: report.vault_id,
        last_good_event: last_good,
        bytes_kept_aside: aside,
        changes: report.changes,
        records: report.records,
    })
}

/// Size of a frame as encoded (see `segment.rs`).
fn frame_len(frame: &Frame) -> usize {
    8 + 1
        + 8
        + 32
        + match &frame.body {
            Body::Event(sealed) => sealed.len(),
            Body::Head(signature) => signature.len(),
            Body::Change(body) => body.len(),
        }
}

/// The event being read: its seq and hash, and what of its change is still expected (next chunk index, count).
type Unit = (u64, [u8; 32], Option<(u32, u32)>);

/// Where the good part of the log ends, as it is read.
struct Reader<'k> {
    keys: &'k AuditKeys,
    next_seq: u64,
    prev_hash: [u8; 32],
    /// The event being read and what of its change is still expected (next chunk index, count).
    unit: Option<Unit>,
    /// The last event whose unit (the event and its whole change) is whole, and its hash.
    last_good: (u64, [u8; 32]),
    /// `last_good` before the unit being read.
    before_unit: (u64, [u8; 32]),
}

impl Reader<'_> {
    /// Checks one frame; `Ok(true)` when everything read so far, this frame included, is whole (a cut may be made
    /// right after it).
    fn frame(&mut self, frame: &Frame) -> std::result::Result<bool, ()> {
        match &frame.body {
            Body::Event(sealed) => {
                if self.incomplete() || frame.seq != self.next_seq {
                    return Err(());
                }
                let event = audit::read::open_event(self.keys, frame, sealed).map_err(|_| ())?;
                if event.chain_hash(&self.prev_hash) != frame.hash {
                    return Err(());
                }
                self.prev_hash = frame.hash;
                self.next_seq += 1;
                self.unit = Some((frame.seq, frame.hash, None));
                // Whole unless a change follows it.
                self.before_unit = self.last_good;
                self.last_good = (frame.seq, frame.hash);
                Ok(true)
            }
            Body::Change(body) => {
                let result = self.change(frame, body);
                if result.is_err() {
                    // A damaged change spoils its event too: neither is kept.
                    self.last_good = self.before_unit;
                    if let Some((seq, hash, _)) = self.unit {
                        self.unit = Some((seq, hash, Some((u32::MAX, 0))));
                    }
                }
                result
            }
            Body::Head(_) => Ok(!self.incomplete()),
        }
    }

    fn change(&mut self, frame: &Frame, body: &[u8]) -> std::result::Result<bool, ()> {
        let Some((seq, hash, expected)) = self.unit else { return Err(()) };
        let (Some(index), Some(count)) = (body.get(..4), body.get(4..8)) else { return Err(()) };
        let index = u32::from_be_bytes(index.try_into().map_err(|_| ())?);
        let count = u32::from_be_bytes(count.try_into().map_err(|_| ())?);
        let in_order = match expected {
            None => index == 0 && count > 0,
            Some((next, total)) => next == index && total == count,
        };
        if frame.seq != seq || !in_order {
            return Err(());
        }
        let id = change_chunk_id(seq, index, count);
        let aad = RecordAad { vault: &self.keys.vault, kind: RecordKind::AuditChange, id: &id, version: 0 };
        record::open(&self.keys.seal, &aad, &body[8..]).map_err(|_| ())?;
        let done = index + 1 == count;
        self.unit = Some((seq, hash, (!done).then_some((index + 1, count))));
        // The event counts as good only with its whole change.
        self.last_good = if done { (seq, hash) } else { self.before_unit };
        Ok(done)
    }

    fn incomplete(&self) -> bool {
        matches!(self.unit, Some((_, _, Some(_))))
    }
}

/// Copies every frame up to the last whole event into `to` (same segment names), closes the log with a signed head,
/// and copies the rest of each segment aside. Returns the last good event and the bytes kept aside.
fn copy_good_prefix(from: &Path, to: &Path, keys: &AuditKeys) -> Result<(u64, u64)> {
    let segments = segment::list_segments(from).map_err(io("list the audit segments in", from))?;
    let mut reader = Reader {
        keys,
        next_seq: 1,
        prev_hash: GENESIS,
        unit: None,
        last_good: (0, GENESIS),
        before_unit: (0, GENESIS),
    };
    let mut damaged = false;
    let mut aside = 0u64;
    for (first, path) in segments {
        let bytes = segment::read_segment(&path).map_err(io("read the audit segment", &path))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut cut = 0usize;
        if !damaged {
            let (frames, _) = segment::decode_frames(&bytes);
            let mut at = 0usize;
            let mut unit_start = 0usize;
            for frame in &frames {
                match reader.frame(frame) {
                    Ok(whole) => {
                        if matches!(frame.body, Body::Event(_)) {
                            unit_start = at;
                        }
                        if whole {
                            cut = at + frame_len(frame);
                        }
                    }
                    Err(()) => break,
                }
                at += frame_len(frame);
            }
            if reader.incomplete() {
                // The last event's change is not whole: neither is kept (`last_good` is already the one before).
                cut = unit_start;
            }
            damaged = cut < bytes.len();
        }
        if cut > 0 {
            let mut kept = bytes[..cut].to_vec();
            if damaged {
                let (seq, hash) = reader.last_good;
                let signed = keys.sign(seq, hash);
                segment::encode_head(&mut kept, seq, &hash, &signed.signature);
            }
            let out = audit::segment_path(to, first);
            write_private(&out, &kept)?;
        }
        if cut < bytes.len() {
            let rest = to.join(format!("{name}.salvaged-rest"));
            write_private(&rest, &bytes[cut..])?;
            aside += (bytes.len() - cut) as u64;
        }
    }
    for dir in [to, to.parent().unwrap_or(to)] {
        std::fs::File::open(dir).and_then(|f| f.sync_all()).map_err(io("sync", dir))?;
    }
    Ok((reader.last_good.0, aside))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(io("create", path))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(io("write", path))
}
