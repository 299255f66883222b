//! Entry point for the fuzz target in `fuzz/` (cargo-fuzz) that decodes the requests `coffred` receives, as tonic
//! does before any handler runs: the secret-bearing ones (passphrases, TOTP codes, secret fields, recovery
//! shares) and a few others. Not part of the API: compiled only with the `fuzzing` feature (which only `fuzz/`
//! enables) and in this crate's tests, which replay the committed corpus (`fuzz/corpus/<target>/`) and every
//! crash found (`fuzz/regressions/<target>/`) through the same function.
//!
//! The function must return normally for any input: a panic is a bug.

use prost::Message;

use crate::v1;

/// A fuzz target: its name and the function it calls with each input.
pub type Target = (&'static str, fn(&[u8]));

/// The fuzz targets of this crate, as named in `fuzz/Cargo.toml` and `fuzz/corpus/`.
pub const TARGETS: [Target; 1] = [("requests", requests)];

/// The first byte picks the request type, the rest is its encoding. A message that decodes must encode and decode
/// back to itself, and print its (redacted, for secret-bearing messages) `Debug`.
pub fn requests(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else { return };
    match selector % 14 {
        0 => check::<v1::InitRequest>(bytes),
        1 => check::<v1::UnsealRequest>(bytes),
        2 => check::<v1::LoginRequest>(bytes),
        3 => check::<v1::EnrollRequest>(bytes),
        4 => check::<v1::StartEnrollmentRequest>(bytes),
        5 => check::<v1::ChangePassphraseRequest>(bytes),
        6 => check::<v1::CreateEntryRequest>(bytes),
        7 => check::<v1::UpdateEntryRequest>(bytes),
        8 => check::<v1::RevealRequest>(bytes),
        9 => check::<v1::SubmitShareRequest>(bytes),
        10 => check::<v1::FinishRecoveryRequest>(bytes),
        11 => check::<v1::StageRotationRequest>(bytes),
        12 => check::<v1::AddGrantRequest>(bytes),
        _ => check::<v1::ExportAuditLogRequest>(bytes),
    }
}

fn check<M: Message + Default + PartialEq + std::fmt::Debug>(bytes: &[u8]) {
    if let Ok(message) = M::decode(bytes) {
        let again = M::decode(message.encode_to_vec().as_slice()).expect("a re-encoded message decodes");
        assert_eq!(again, message, "a message does not survive its round trip");
        let _ = format!("{message:?}");
    }
}

/// Valid requests (the seed corpus, `fuzz/corpus/requests/seed-*`), written by this crate's test when
/// `COFFRE_FUZZ_WRITE_SEEDS=1` is set.
pub fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let with = |selector: u8, message: &dyn Fn() -> Vec<u8>| {
        let mut seed = vec![selector];
        seed.extend_from_slice(&message());
        ("requests", seed)
    };
    vec![
        with(0, &|| {
            v1::InitRequest {
                president: "Alice".into(),
                passphrase: b"correct horse battery staple".to_vec(),
                leader: "Bob".into(),
                kdf: Some(v1::KdfParams { memory_kib: 65536, iterations: 3, parallelism: 1 }),
                recovery: None,
            }
            .encode_to_vec()
        }),
        with(1, &|| v1::UnsealRequest { passphrase: b"correct horse battery staple".to_vec() }.encode_to_vec()),
        with(2, &|| {
            v1::LoginRequest { name: "Alice".into(), passphrase: b"hunter2".to_vec(), totp_code: "123456".into() }
                .encode_to_vec()
        }),
        with(6, &|| {
            v1::CreateEntryRequest {
                entry: Some(v1::Entry {
                    platform: "Facebook".into(),
                    url: "https://facebook.com".into(),
                    login: "party@example.org".into(),
                    recovery_contacts: vec!["+1 514 555 0100".into()],
                    tags: vec!["social".into()],
                    ..Default::default()
                }),
                secrets: Some(v1::SecretFields {
                    password: b"s3cret".to_vec(),
                    totp_seed: b"JBSWY3DPEHPK3PXP".to_vec(),
                    notes: b"two-factor on the president's phone".to_vec(),
                }),
            }
            .encode_to_vec()
        }),
        with(8, &|| {
            v1::RevealRequest {
                platform: "Facebook".into(),
                field: 1,
                reason: "weekly post".into(),
                version: 2,
                pending: false,
            }
            .encode_to_vec()
        }),
        with(9, &|| v1::SubmitShareRequest { share: b"{\"format\":\"coffre-share/1\"}".to_vec() }.encode_to_vec()),
        with(11, &|| {
            v1::StageRotationRequest {
                platform: "Facebook".into(),
                new_password: Some(v1::stage_rotation_request::NewPassword::Password(b"n3w".to_vec())),
            }
            .encode_to_vec()
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seeds decode. With `COFFRE_FUZZ_WRITE_SEEDS=1`, they are (re)written to `fuzz/corpus/requests/seed-<n>`.
    #[test]
    fn the_seeds_decode() {
        let seeds = seeds();
        assert!(v1::InitRequest::decode(&seeds[0].1[1..]).is_ok_and(|r| r.president == "Alice"));
        assert!(v1::CreateEntryRequest::decode(&seeds[3].1[1..]).is_ok_and(|r| r.secrets.is_some()));
        coffre_fuzz_corpus::write_seeds_when_asked(&seeds);
    }

    #[test]
    fn every_committed_fuzz_input_replays_without_panic() {
        coffre_fuzz_corpus::replay(&TARGETS);
    }
}
