//! Entry points for the fuzz targets in `fuzz/` (cargo-fuzz) that parse a recovery holder's input: a share file
//! (age, armored or binary, as `coffre recovery` and `coffred restore` read files) and the share envelope inside,
//! with the shares then combined as recovery does. Not part of the API: compiled only with the `fuzzing` feature
//! (which only `fuzz/` enables) and in this crate's tests, which replay the committed corpus
//! (`fuzz/corpus/<target>/`) and every crash found (`fuzz/regressions/<target>/`) through the same functions.
//!
//! Each function must return normally for any input: a panic is a bug.

use crate::{
    age_file::{self, AgeIdentity, ShareRecipient, Unlock},
    envelope::{MAX_ENVELOPE_BYTES, ShareEnvelope},
    keys::VaultId,
    recovery::ShareSetId,
    shamir::{self, SecretShare},
};

/// A fuzz target: its name and the function it calls with each input.
pub type Target = (&'static str, fn(&[u8]));

/// The fuzz targets of this crate, as named in `fuzz/Cargo.toml` and `fuzz/corpus/`.
pub const TARGETS: [Target; 2] = [("share_envelope", share_envelope), ("share_file", share_file)];

/// A fixed X25519 identity (32 bytes of 0x42), so that the fuzzer can reach the payload of files made for it.
const IDENTITY: &str = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";

fn identity() -> AgeIdentity {
    AgeIdentity::parse(IDENTITY).expect("the fixed identity parses")
}

/// Up to four share envelopes, one per line: each decoded and checked, and those that decode combined as
/// recovery combines the shares submitted to it. A decoded envelope must survive its own round trip.
pub fn share_envelope(data: &[u8]) {
    let mut shares = Vec::new();
    let mut threshold = 0;
    for line in data.split(|&b| b == b'\n').take(4) {
        let Ok(envelope) = ShareEnvelope::decode(line) else { continue };
        let encoded = envelope.encode();
        let again = ShareEnvelope::decode(&encoded).expect("a re-encoded envelope decodes");
        assert_eq!(*again.encode(), *encoded, "an envelope does not survive its round trip");
        threshold = envelope.threshold;
        shares.push(SecretShare::new(envelope.share.x, envelope.share.expose_secret().to_vec()));
    }
    let _ = shamir::combine(&shares, threshold);
}

/// A share file: age-decrypted with a fixed identity (the header, its stanzas and MAC, the payload stream, with
/// or without ASCII armor), then its envelope decoded.
pub fn share_file(data: &[u8]) {
    if let Ok(plain) = age_file::decrypt(Unlock::Identity(&identity()), data, MAX_ENVELOPE_BYTES) {
        share_envelope(plain.expose_secret());
    }
    let _ = age_file::is_passphrase_file(data);
}

/// Valid inputs for each target, made with the real encoders: the seed corpus (`fuzz/corpus/<target>/seed-*`),
/// written by this crate's test when `COFFRE_FUZZ_WRITE_SEEDS=1` is set. Panics if age encryption fails.
pub fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let envelope = |x: u8, holder: &str| ShareEnvelope {
        vault: VaultId([0xab; 16]),
        share_set: ShareSetId([0xcd; 16]),
        threshold: 2,
        shares: 3,
        holder: holder.into(),
        share: SecretShare::new(x, vec![x.wrapping_mul(0x11); 32]),
    };
    let one = envelope(1, "president").encode().to_vec();
    let mut two = one.clone();
    two.push(b'\n');
    two.extend_from_slice(&envelope(2, "leader").encode());
    let recipient = identity().recipients().into_iter().next().expect("one recipient");
    let armored = age_file::encrypt_share(&ShareRecipient::Key(recipient.clone()), &one).expect("age encrypts");
    let binary = age_file::encrypt_to_keys(&[recipient], &one).expect("age encrypts");
    vec![("share_envelope", one), ("share_envelope", two), ("share_file", armored.into_bytes()), ("share_file", binary)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seeds are what the real decoders accept. With `COFFRE_FUZZ_WRITE_SEEDS=1`, they are (re)written to
    /// `fuzz/corpus/<target>/seed-<n>` (after a format change).
    #[test]
    fn the_seeds_are_accepted_by_the_decoders() {
        let seeds = seeds();
        for (target, bytes) in &seeds {
            let plain = match *target {
                "share_file" => age_file::decrypt(Unlock::Identity(&identity()), bytes, MAX_ENVELOPE_BYTES)
                    .expect("the seed decrypts")
                    .expose_secret()
                    .to_vec(),
                _ => bytes.clone(),
            };
            for line in plain.split(|&b| b == b'\n') {
                ShareEnvelope::decode(line).expect("the seed's envelope decodes");
            }
        }
        coffre_fuzz_corpus::write_seeds_when_asked(&seeds);
    }

    #[test]
    fn every_committed_fuzz_input_replays_without_panic() {
        coffre_fuzz_corpus::replay(&TARGETS);
    }
}
