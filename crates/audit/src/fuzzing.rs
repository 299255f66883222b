//! Entry points for the fuzz targets in `fuzz/` (cargo-fuzz) that parse an audit export (JSON Lines, as
//! `coffre audit verify` reads a file someone hands an auditor) and an event's canonical encoding. Not part of the
//! API: compiled only with the `fuzzing` feature (which only `fuzz/` enables) and in this crate's tests, which
//! replay the committed corpus (`fuzz/corpus/<target>/`) and every crash found (`fuzz/regressions/<target>/`)
//! through the same functions.
//!
//! Each function must return normally for any input: a panic is a bug.

use crate::{AuditEvent, GENESIS, Head, HeadSigner, Outcome, export, verify::verify};

/// A fuzz target: its name and the function it calls with each input.
pub type Target = (&'static str, fn(&[u8]));

/// The fuzz targets of this crate, as named in `fuzz/Cargo.toml` and `fuzz/corpus/`.
pub const TARGETS: [Target; 1] = [("audit_export", audit_export)];

const VAULT: [u8; 16] = [4; 16];

fn signer() -> HeadSigner {
    HeadSigner::from_seed(&[9; 32])
}

/// An export verified against a fixed audit key, as `coffre audit verify` does; and every line of it read as an
/// event's canonical encoding, which must survive its own round trip.
pub fn audit_export(data: &[u8]) {
    let _ = verify(data, &signer().public_key());
    for line in data.split(|&b| b == b'\n') {
        if let Some(event) = AuditEvent::decode(line) {
            assert_eq!(AuditEvent::decode(&event.canonical()), Some(event), "an event does not survive its round trip");
        }
    }
}

/// A valid export of three events (the seed corpus, `fuzz/corpus/audit_export/seed-*`), written by this crate's
/// test when `COFFRE_FUZZ_WRITE_SEEDS=1` is set.
pub fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let signer = signer();
    let mut text = export::render_export_line(&VAULT, &signer.public_key(), 1_795_000_000_000).expect("a valid time");
    let mut prev = GENESIS;
    for seq in 1..=3u64 {
        let event = AuditEvent {
            seq,
            time_ms: 1_795_000_000_000 + 1000 * i64::try_from(seq).expect("small"),
            actor: "president".into(),
            action: "reveal".into(),
            target: "Facebook \"main\" page".into(),
            outcome: Outcome::Success,
            reason: format!("post number {seq}"),
            detail: "field=password version=1".into(),
            client_addr: "127.0.0.1:5000".into(),
            client_agent: "coffre/0.1.0".into(),
        };
        let hash = event.chain_hash(&prev);
        text.push_str(&export::render_event_line(&event, &prev, &hash).expect("a valid time"));
        prev = hash;
    }
    text.push_str(&export::render_head_line(&signer.sign(Head { vault_id: VAULT, seq: 3, hash: prev })));
    vec![("audit_export", text.into_bytes())]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed verifies. With `COFFRE_FUZZ_WRITE_SEEDS=1`, it is (re)written to `fuzz/corpus/audit_export/seed-1`.
    #[test]
    fn the_seeds_are_accepted_by_the_verifier() {
        let seeds = seeds();
        for (_, bytes) in &seeds {
            let summary = verify(&bytes[..], &signer().public_key()).expect("the seed verifies");
            assert_eq!(summary.events, 3);
        }
        coffre_fuzz_corpus::write_seeds_when_asked(&seeds);
    }

    #[test]
    fn every_committed_fuzz_input_replays_without_panic() {
        coffre_fuzz_corpus::replay(&TARGETS);
    }
}
