//! The seal header is the one record in clear: whoever can write the data directory could lower its Argon2 cost
//! (every later key slot weaker) or change the recovery threshold. Its MAC, under a key only the master key gives,
//! makes any such change refuse the unseal, naming the header, and nothing else is touched.

use coffre_crypto::kdf::KdfParams;
use coffre_store::Batch;
use coffre_vault::{ErrorKind, InitParams, SealState};

mod support;

use support::*;

/// The header's key in the store (`records::HEADER_KEY`).
const HEADER_KEY: &[u8] = b"h";

/// Changes the stored header of the (closed) vault in `fx` with `change`, and returns the bytes it had.
fn tamper(fx: &Fixture, change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let store = fx.raw_store();
    let original = store.get(HEADER_KEY).expect("read").expect("an initialised vault has a header");
    let mut header: serde_json::Value = serde_json::from_slice(&original).expect("the header is JSON");
    change(&mut header);
    let mut batch = Batch::default();
    batch.insert(HEADER_KEY.to_vec(), serde_json::to_vec(&header).expect("encodes"));
    store.apply(batch).expect("write");
    original
}

fn put_back(fx: &Fixture, original: Vec<u8>) {
    let store = fx.raw_store();
    let mut batch = Batch::default();
    batch.insert(HEADER_KEY.to_vec(), original);
    store.apply(batch).expect("write");
}

async fn unseal_is_refused_as_a_changed_header(fx: &Fixture) {
    let vault = fx.open();
    assert_eq!(vault.status().state, SealState::Sealed);
    let err = vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect_err("a changed header is refused");
    assert_eq!(err.kind(), ErrorKind::FailedPrecondition, "{err}");
    assert!(err.to_string().contains("the seal header was changed"), "{err}");
    assert_eq!(vault.status().state, SealState::Sealed, "the vault stays sealed");
}

#[tokio::test]
async fn a_seal_header_with_a_lowered_argon2_cost_is_refused_at_unseal() {
    let fx = Fixture::new();
    {
        let vault = fx.open();
        let params = InitParams {
            president: "Alice".into(),
            passphrase: passphrase(PRESIDENT_PASS),
            leader: None,
            kdf: Some(KdfParams { memory_kib: 16_384, iterations: 2, parallelism: 1 }),
        };
        vault.init(&anonymous(), params).await.expect("init");
    }
    // The default cost of every key slot made from now on, lowered to the least the bounds allow.
    let original = tamper(&fx, |header| {
        header["kdf"]["memory_kib"] = 8_192.into();
        header["kdf"]["iterations"] = 1.into();
    });
    unseal_is_refused_as_a_changed_header(&fx).await;

    // Put back as it was, the same passphrase opens the vault: the refusal lost nothing.
    put_back(&fx, original);
    let vault = fx.open();
    assert!(!vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("the genuine header unseals"));
}

#[tokio::test]
async fn a_seal_header_with_another_recovery_threshold_is_refused_at_unseal() {
    let fx = Fixture::new();
    let (a, b, c) = (Holder::new("president"), Holder::new("leader"), Holder::new("treasurer"));
    {
        let vault = fx.open();
        fx.init_with_shares(&vault, Some(two_of(&[&a, &b, &c], 2))).await.expect("shares issued");
    }
    let original = tamper(&fx, |header| {
        assert_eq!(header["recovery"]["threshold"], 2, "{header}");
        header["recovery"]["threshold"] = 3.into();
    });
    unseal_is_refused_as_a_changed_header(&fx).await;

    put_back(&fx, original);
    let vault = fx.open();
    assert!(!vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("the genuine header unseals"));
}
