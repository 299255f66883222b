//! Entry points for the fuzz targets in `fuzz/` (cargo-fuzz), one per parser of bytes that come from outside the
//! process: audit segment files, backup containers, the seal header, and sealed records. Not part of the engine's
//! API: compiled only with the `fuzzing` feature (which only `fuzz/` enables) and in this crate's tests, where
//! `tests` below replays the committed corpus (`fuzz/corpus/<target>/`) and every crash found
//! (`fuzz/regressions/<target>/`) through the same functions, so `cargo test` catches a regression without
//! libFuzzer.
//!
//! Each function must return normally for any input: a panic is a bug. Where a decoder guards its input with a
//! checksum or a MAC (a frame's CRC-32, a container's SHA-256, a record's AEAD tag), the function also feeds it a
//! copy with the guard made valid, so the fuzzer reaches the parser behind it.

use coffre_crypto::{
    keys::{MasterKey, Purpose, SubKey, VaultId},
    record::{self, RecordAad, RecordKind},
};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::{audit::segment, backup::container, header::SealHeader, records};

/// A fuzz target: its name and the function it calls with each input.
pub type Target = (&'static str, fn(&[u8]));

/// The fuzz targets of this crate, as named in `fuzz/Cargo.toml` and `fuzz/corpus/`.
pub const TARGETS: [Target; 4] = [
    ("audit_segment", audit_segment),
    ("backup_container", backup_container),
    ("seal_header", seal_header),
    ("sealed_record", sealed_record),
];

/// An audit segment file as read back at start-up and at unseal: frames (`len || crc32 || payload`) up to the
/// first torn or corrupt one, then start-up's judgement of what follows (torn tail or damage), and the last head
/// frame as a finished segment ends with. Decoded once as given and once with every CRC fixed; in both, the frames
/// decoded must re-encode to exactly the bytes they came from (the frame format has one encoding per frame).
pub fn audit_segment(data: &[u8]) {
    check_segment(data);
    check_segment(&with_valid_crcs(data));
}

fn check_segment(data: &[u8]) {
    let (scanned, end) = segment::scan(data);
    if let segment::End::Torn(at) | segment::End::Damaged { at, .. } = end {
        assert!(usize::try_from(at).is_ok_and(|at| at < data.len()), "a bad frame past the end");
    }
    let _ = segment::claimed_seq(data);
    let _ = data.len().checked_sub(segment::HEAD_FRAME_BYTES).map(|at| segment::decode_head(&data[at..]));
    let (frames, tail) = segment::decode_frames(data);
    assert_eq!(frames.len(), scanned.len(), "start-up and the reader disagree on the frames");
    let mut encoded = Vec::with_capacity(data.len());
    for frame in &frames {
        match &frame.body {
            segment::Body::Event(sealed) => segment::encode_event(&mut encoded, frame.seq, &frame.hash, sealed),
            segment::Body::Head(signature) => segment::encode_head(&mut encoded, frame.seq, &frame.hash, signature),
            segment::Body::Change(body) => segment::encode_change(&mut encoded, frame.seq, &frame.hash, body),
        }
    }
    let whole = match tail {
        segment::Tail::Clean => data.len(),
        segment::Tail::Torn(at) => usize::try_from(at).expect("an offset within the input"),
    };
    assert_eq!(encoded, data[..whole], "decoded frames do not re-encode to their bytes");
}

/// `data` with the CRC of each frame it seems to hold replaced by the right one.
fn with_valid_crcs(data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    let mut at = 0usize;
    while let Some(header) = out.get(at..at + 8) {
        let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let Some(payload) = out.get(at + 8..at + 8 + len) else { break };
        let crc = crc32fast::hash(payload);
        out[at + 4..at + 8].copy_from_slice(&crc.to_le_bytes());
        at += 8 + len;
    }
    out
}

/// A backup container, as restore reads it once age has decrypted the file. Decoded as given, and as a body
/// wrapped in a valid magic, format and digest; whatever decodes must survive its round trip.
pub fn backup_container(data: &[u8]) {
    check_container(data);
    let mut wrapped = b"COFFREBK\x00\x01".to_vec();
    wrapped.extend_from_slice(data);
    let digest = Sha256::digest(&wrapped);
    wrapped.extend_from_slice(&digest);
    check_container(&wrapped);
}

/// postcard accepts more than one encoding of an integer (an over-long varint), so a container may differ from
/// its re-encoding byte for byte (the digest covers whichever bytes were written); what must hold is that the
/// re-encoding decodes to the same body.
fn check_container(data: &[u8]) {
    if let Ok(body) = container::decode(data) {
        let encoded = container::encode(&body).expect("a decoded container encodes");
        assert_eq!(container::decode(&encoded).ok(), Some(body), "a container does not survive its round trip");
    }
}

/// The seal header, the one record stored in clear: parsed and bounds-checked as unseal and status do, its MAC
/// checked under a fixed key. One that passes must survive its own round trip, and carry a MAC that verifies.
pub fn seal_header(data: &[u8]) {
    if let Ok(mut header) = SealHeader::decode(data) {
        let key = header_key();
        let _ = header.check_mac(&key);
        let encoded = header.encode(&key).expect("a decoded header encodes");
        let again = SealHeader::decode(&encoded).expect("a re-encoded header decodes");
        assert_eq!(again.check_mac(&key).ok(), Some(crate::header::MacCheck::Authenticated));
    }
}

fn header_key() -> SubKey {
    MasterKey::from_bytes(&mut [7; 32]).subkey(Purpose::Header)
}

/// A sealed record as the engine opens it from the store or from a restored backup, for each record type:
/// the bytes as given (format byte, nonce, ciphertext, tag) under a fixed key, and the bytes as the plaintext of
/// a record sealed under that key, which reaches the record's decoder.
pub fn sealed_record(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let key = MasterKey::from_bytes(&mut [7; 32]).subkey(Purpose::Entries);
    let vault = VaultId([9; 16]);
    let sealed_here = record::seal(&key, &aad(&vault), rest).expect("sealing works");
    for sealed in [rest, &sealed_here[..]] {
        match selector % 13 {
            0 => open::<records::PersonRecord>(&key, &vault, sealed),
            1 => open::<records::EnrolmentRecord>(&key, &vault, sealed),
            2 => open::<records::GrantRecord>(&key, &vault, sealed),
            3 => open::<records::RevealMark>(&key, &vault, sealed),
            4 => {
                // Entries have a decoder of their own (a trailing part after the fields), reached through a record
                // sealed as entries are (version 0).
                let _ = records::open_entry(&key, &vault, b"fuzz", sealed);
                let as_entry =
                    record::seal(&key, &RecordAad { version: 0, ..aad(&vault) }, rest).expect("sealing works");
                let _ = records::open_entry(&key, &vault, b"fuzz", &as_entry);
            }
            5 => open::<records::VersionRecord>(&key, &vault, sealed),
            6 => open::<records::RotationRecord>(&key, &vault, sealed),
            7 => open::<records::PendingRotation>(&key, &vault, sealed),
            8 => open::<records::CompromiseFlag>(&key, &vault, sealed),
            9 => open::<records::ApprovalRecord>(&key, &vault, sealed),
            10 => open::<records::ShareSetRecord>(&key, &vault, sealed),
            11 => open::<records::HolderRecord>(&key, &vault, sealed),
            _ => {
                // An audit event: opened as the audit reader does, then its canonical encoding decoded.
                if let Ok(plain) = record::open(&key, &aad(&vault), sealed)
                    && let Some(event) = coffre_audit::AuditEvent::decode(plain.expose_secret())
                {
                    assert_eq!(coffre_audit::AuditEvent::decode(&event.canonical()), Some(event));
                }
            }
        }
    }
}

/// Valid inputs for each target, made with the real encoders: the seed corpus (`fuzz/corpus/<target>/seed-*`),
/// written by this crate's test when `COFFRE_FUZZ_WRITE_SEEDS=1` is set. Fails only if an encoder does.
pub fn seeds() -> crate::Result<Vec<(&'static str, Vec<u8>)>> {
    use coffre_crypto::{
        kdf::{KdfParams, KeySlot},
        recovery::{RecoverySlot, ShareSetId},
        secret::Passphrase,
        shamir::RecoveryKey,
    };

    let vault = VaultId([9; 16]);
    let master = MasterKey::from_bytes(&mut [7; 32]);
    let key = master.subkey(Purpose::Entries);
    let event = coffre_audit::AuditEvent {
        seq: 1,
        time_ms: 1_800_000_000_000,
        actor: "president".into(),
        action: "reveal".into(),
        target: "Facebook".into(),
        outcome: coffre_audit::Outcome::Success,
        reason: "weekly post".into(),
        detail: "field=password version=2".into(),
        client_addr: "127.0.0.1:50000".into(),
        client_agent: "coffre/0.1.0".into(),
    };
    let sealed_event = record::seal(&key, &aad(&vault), &event.canonical()).map_err(crate::Error::Crypto)?;

    let mut segment = Vec::new();
    segment::encode_event(&mut segment, 1, &[1; 32], &sealed_event);
    segment::encode_event(&mut segment, 2, &[2; 32], &sealed_event);
    segment::encode_head(&mut segment, 2, &[2; 32], &[3; 64]);
    let torn = segment[..segment.len() - 10].to_vec();

    let params = KdfParams { memory_kib: KdfParams::MIN_MEMORY_KIB, iterations: 1, parallelism: 1 };
    let passphrase = Passphrase::new(b"correct horse battery staple".to_vec()).map_err(crate::Error::Crypto)?;
    let header = SealHeader {
        format: crate::header::FORMAT,
        vault_id: vault,
        kdf: params,
        slots: vec![KeySlot::wrap(&master, &passphrase, params, &vault).map_err(crate::Error::Crypto)?],
        recovery: Some(
            RecoveryKey::generate()
                .and_then(|rk| RecoverySlot::wrap(&master, &rk, &vault, ShareSetId([5; 16]), 2, 3))
                .map_err(crate::Error::Crypto)?,
        ),
        audit_public_key: Some(coffre_audit::HeadSigner::from_seed(&[4; 32]).public_key().to_string()),
        mac: None,
    }
    .encode(&header_key())?;

    let body = container::Body {
        vault_id: vault.0,
        created_ms: 1_800_000_000_000,
        audit_events: 2,
        records: vec![(b"e/0123456789abcdef".to_vec(), sealed_event.clone()), (b"h".to_vec(), header.clone())],
        audit_segments: vec![(1, segment.clone())],
    };
    let backup = container::encode(&body)?;
    let body_only = backup[10..backup.len() - 32].to_vec();

    let person = records::PersonRecord::new([1; 16], "Alice Tremblay".into(), crate::Role::Member, "president", 1);
    let person = postcard::to_allocvec(&person).map_err(|e| crate::Error::Internal(format!("encode: {e}")))?;
    let mut person_seed = vec![0];
    person_seed.extend_from_slice(&person);
    let mut event_seed = vec![12];
    event_seed.extend_from_slice(&event.canonical());
    let mut sealed_seed = vec![12];
    sealed_seed.extend_from_slice(&sealed_event);

    Ok(vec![
        ("audit_segment", segment),
        ("audit_segment", torn),
        ("backup_container", backup),
        ("backup_container", body_only),
        ("seal_header", header),
        ("sealed_record", person_seed),
        ("sealed_record", event_seed),
        ("sealed_record", sealed_seed),
    ])
}

fn aad(vault: &VaultId) -> RecordAad<'_> {
    RecordAad { vault, kind: RecordKind::Entry, id: b"fuzz", version: 1 }
}

fn open<T: DeserializeOwned>(key: &SubKey, vault: &VaultId, sealed: &[u8]) {
    let _ = records::open::<T>(key, vault, RecordKind::Entry, b"fuzz", 1, sealed);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seeds are what the real decoders accept, so the fuzzer starts from the paths that matter. With
    /// `COFFRE_FUZZ_WRITE_SEEDS=1`, they are (re)written to `fuzz/corpus/<target>/seed-<n>` (after a format change).
    #[test]
    fn the_seeds_are_accepted_by_the_decoders() {
        let seeds = seeds().expect("seeds");
        let ok = |target: &str, n: usize| seeds.iter().filter(|(t, _)| *t == target).nth(n).expect("a seed").1.clone();
        let (frames, tail) = segment::decode_frames(&ok("audit_segment", 0));
        assert_eq!((frames.len(), tail), (3, segment::Tail::Clean));
        assert!(container::decode(&ok("backup_container", 0)).is_ok());
        SealHeader::decode(&ok("seal_header", 0)).expect("the header seed decodes");
        coffre_fuzz_corpus::write_seeds_when_asked(&seeds);
    }

    #[test]
    fn an_over_long_varint_container_is_valid_and_survives_the_round_trip_check() {
        // Regression of the target itself: it first required a decoded container to re-encode byte for byte, but
        // postcard accepts over-long varints (here audit_events = 0 as 0x80 0x00), so a valid container re-encodes
        // shorter. The check is now that the re-encoding decodes to the same body.
        let path = coffre_fuzz_corpus::fuzz_dir()
            .join("regressions/backup_container/overlong-varint-container-re-encodes-shorter");
        let bytes = std::fs::read(path).expect("the regression input");
        let body = container::decode(&bytes).expect("a valid container");
        assert_ne!(container::encode(&body).expect("encodes"), bytes);
        backup_container(&bytes);
    }

    #[test]
    fn every_committed_fuzz_input_replays_without_panic() {
        coffre_fuzz_corpus::replay(&TARGETS);
    }
}
