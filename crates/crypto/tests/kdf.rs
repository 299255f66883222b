//! Key slots and passphrase hashes, at small Argon2id parameters passed through `KdfParams` like any others.

use coffre_crypto::{
    CryptoError,
    kdf::{self, KdfParams, KeySlot},
    keys::{MasterKey, VaultId},
    secret::Passphrase,
};
use proptest::prelude::*;

/// The smallest parameters the bounds accept: the same code path as production, only cheaper.
const SMALL: KdfParams = KdfParams { memory_kib: KdfParams::MIN_MEMORY_KIB, iterations: 1, parallelism: 1 };
const VAULT: VaultId = VaultId([5; 16]);

fn passphrase(s: &str) -> Passphrase {
    Passphrase::new(s.as_bytes().to_vec()).expect("test passphrases are long enough")
}

/// Parameters that must be refused before Argon2 runs. Several would take hours or terabytes if obeyed, so a test
/// that finishes at all shows they were refused up front.
fn out_of_bounds() -> Vec<KdfParams> {
    vec![
        KdfParams { memory_kib: u32::MAX, ..SMALL },
        KdfParams { memory_kib: KdfParams::MAX_MEMORY_KIB + 1, ..SMALL },
        KdfParams { memory_kib: KdfParams::MIN_MEMORY_KIB - 1, ..SMALL },
        KdfParams { iterations: 0, ..SMALL },
        KdfParams { iterations: u32::MAX, ..SMALL },
        KdfParams { parallelism: 0, ..SMALL },
        KdfParams { parallelism: KdfParams::MAX_PARALLELISM + 1, ..SMALL },
    ]
}

#[test]
fn bounds_are_inclusive_and_default_is_valid() -> Result<(), CryptoError> {
    KdfParams::DEFAULT.validate()?;
    SMALL.validate()?;
    KdfParams {
        memory_kib: KdfParams::MAX_MEMORY_KIB,
        iterations: KdfParams::MAX_ITERATIONS,
        parallelism: KdfParams::MAX_PARALLELISM,
    }
    .validate()?;
    for params in out_of_bounds() {
        assert!(matches!(params.validate(), Err(CryptoError::KdfParams(_))), "{params:?}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]

    #[test]
    fn slot_round_trip_and_wrong_passphrase(
        key in any::<[u8; 32]>(), right in "[ -~]{12,40}", wrong in "[ -~]{12,40}",
    ) {
        let master = MasterKey::from_bytes(&mut key.clone());
        let slot = KeySlot::wrap(&master, &passphrase(&right), SMALL, &VAULT)?;
        prop_assert_eq!(slot.params, SMALL);
        let opened = slot.unwrap(&passphrase(&right), &VAULT)?;
        prop_assert_eq!(opened.expose_secret(), &key);
        if wrong != right {
            prop_assert!(matches!(slot.unwrap(&passphrase(&wrong), &VAULT), Err(CryptoError::WrongPassphrase)));
        }
    }

    #[test]
    fn slot_survives_postcard_round_trip(key in any::<[u8; 32]>()) {
        let master = MasterKey::from_bytes(&mut key.clone());
        let slot = KeySlot::wrap(&master, &passphrase("a long enough passphrase"), SMALL, &VAULT)?;
        let bytes = postcard::to_allocvec(&slot).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: KeySlot = postcard::from_bytes(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &slot);
        let opened = back.unwrap(&passphrase("a long enough passphrase"), &VAULT)?;
        prop_assert_eq!(opened.expose_secret(), &key);
    }

    #[test]
    fn verify_never_panics_on_arbitrary_text(text in ".{0,120}", suffix in "[a-zA-Z0-9+/$=,]{0,80}") {
        let pass = passphrase("a long enough passphrase");
        for phc in [text.clone(), format!("$argon2id$v=19${suffix}"), format!("$argon2id$v=19$m=8192,t=1,p=1${suffix}")] {
            prop_assert!(kdf::verify_passphrase(&pass, &phc).is_err());
        }
    }
}

#[test]
fn slots_are_fresh_and_bound_to_their_vault() -> Result<(), CryptoError> {
    let master = MasterKey::generate()?;
    let pass = passphrase("correct horse battery staple");
    let a = KeySlot::wrap(&master, &pass, SMALL, &VAULT)?;
    let b = KeySlot::wrap(&master, &pass, SMALL, &VAULT)?;
    assert_ne!(a.id, b.id);
    assert_ne!(a.salt, b.salt);
    assert_ne!(a.wrapped, b.wrapped);
    assert!(matches!(a.unwrap(&pass, &VaultId([6; 16])), Err(CryptoError::WrongPassphrase)));
    Ok(())
}

#[test]
fn tampered_slots_are_refused() -> Result<(), CryptoError> {
    let master = MasterKey::generate()?;
    let pass = passphrase("correct horse battery staple");
    let slot = KeySlot::wrap(&master, &pass, SMALL, &VAULT)?;

    // Out-of-bounds parameters are refused before Argon2 (u32::MAX KiB would be a 4 TiB allocation).
    for params in out_of_bounds() {
        let tampered = KeySlot { params, ..slot.clone() };
        assert!(matches!(tampered.unwrap(&pass, &VAULT), Err(CryptoError::KdfParams(_))), "{params:?}");
    }
    // In-bounds changes of parameters, salt, id or wrapped bytes give another key or AAD: the slot does not open.
    let mut tampered = vec![
        KeySlot { params: KdfParams { iterations: 2, ..SMALL }, ..slot.clone() },
        KeySlot { salt: [0; 16], ..slot.clone() },
        KeySlot { id: [0; 16], ..slot.clone() },
    ];
    let mut flipped = slot.clone();
    flipped.wrapped[30] ^= 0x80;
    tampered.push(flipped);
    for bad in tampered {
        assert!(matches!(bad.unwrap(&pass, &VAULT), Err(CryptoError::WrongPassphrase)), "{bad:?}");
    }
    // A wrapped key that is not a sealed 32-byte key is malformed, not a wrong passphrase.
    for wrapped in [vec![], slot.wrapped[..40].to_vec(), [slot.wrapped.clone(), vec![0]].concat()] {
        let bad = KeySlot { wrapped, ..slot.clone() };
        assert!(matches!(bad.unwrap(&pass, &VAULT), Err(CryptoError::Credential(_))));
    }
    let mut other_format = slot.clone();
    other_format.wrapped[0] = 2;
    assert!(matches!(other_format.unwrap(&pass, &VAULT), Err(CryptoError::Credential(_))));
    Ok(())
}

#[test]
fn wrap_and_hash_refuse_out_of_bounds_parameters() -> Result<(), CryptoError> {
    let master = MasterKey::generate()?;
    let pass = passphrase("correct horse battery staple");
    for params in out_of_bounds() {
        assert!(matches!(KeySlot::wrap(&master, &pass, params, &VAULT), Err(CryptoError::KdfParams(_))));
        assert!(matches!(kdf::hash_passphrase(&pass, params), Err(CryptoError::KdfParams(_))));
    }
    Ok(())
}

#[test]
fn phc_hash_verifies_and_refuses() -> Result<(), CryptoError> {
    let pass = passphrase("correct horse battery staple");
    let phc = kdf::hash_passphrase(&pass, SMALL)?;
    assert!(phc.starts_with("$argon2id$v=19$m=8192,t=1,p=1$"), "{phc}");
    assert!(!phc.contains("correct horse"));
    assert_ne!(kdf::hash_passphrase(&pass, SMALL)?, phc, "each hash has its own salt");
    kdf::verify_passphrase(&pass, &phc)?;
    let wrong = passphrase("correct horse battery stapler");
    assert!(matches!(kdf::verify_passphrase(&wrong, &phc), Err(CryptoError::WrongPassphrase)));

    // A different tag is a mismatch, not a parse error. The tag's first base64 character carries six whole bits,
    // so swapping it keeps the encoding canonical (its last character would not: it holds two padding bits).
    let mut other_tag = phc.clone();
    let tag_start = phc.rfind('$').map_or(0, |i| i + 1);
    let swapped = if phc[tag_start..].starts_with('A') { "B" } else { "A" };
    other_tag.replace_range(tag_start..=tag_start, swapped);
    assert!(matches!(kdf::verify_passphrase(&pass, &other_tag), Err(CryptoError::WrongPassphrase)));
    // Changing a parameter within bounds changes the computation.
    let slower = phc.replace("t=1", "t=2");
    assert!(matches!(kdf::verify_passphrase(&pass, &slower), Err(CryptoError::WrongPassphrase)));
    Ok(())
}

#[test]
fn phc_hash_with_tampered_parameters_is_refused_before_work() -> Result<(), CryptoError> {
    let pass = passphrase("correct horse battery staple");
    let phc = kdf::hash_passphrase(&pass, SMALL)?;
    for params in ["m=4294967295,t=1,p=1", "m=4194305,t=1,p=1", "m=8191,t=1,p=1", "m=8192,t=0,p=1", "m=8192,t=65,p=1"]
        .into_iter()
        .chain(["m=8192,t=4294967295,p=1", "m=8192,t=1,p=0", "m=8192,t=1,p=17"])
    {
        let tampered = phc.replace("m=8192,t=1,p=1", params);
        assert!(matches!(kdf::verify_passphrase(&pass, &tampered), Err(CryptoError::KdfParams(_))), "{params}");
    }
    Ok(())
}

#[test]
fn phc_hash_of_another_shape_is_a_credential_error() -> Result<(), CryptoError> {
    let pass = passphrase("correct horse battery staple");
    let phc = kdf::hash_passphrase(&pass, SMALL)?;
    let salt = phc.split('$').nth(4).unwrap_or_default();
    let malformed = [
        String::new(),
        "not a hash".to_owned(),
        phc.replace("argon2id", "argon2i"),
        phc.replace("argon2id", "argon2d"),
        phc.replace("v=19", "v=16"),
        phc.replace("$v=19", ""),
        phc.replace("m=8192,t=1,p=1", "m=8192,t=1"),
        phc.replace("m=8192,t=1,p=1", "m=8192,t=1,p=1,keyid=AAAA"),
        phc.replace("m=8192,t=1,p=1", "m=8192,m=8192,t=1,p=1"),
        phc.replace("m=8192,t=1,p=1", "m=x,t=1,p=1"),
        format!("$argon2id$v=19$m=8192,t=1,p=1${salt}"),
        format!("{phc}$extra"),
    ];
    for bad in malformed {
        assert!(matches!(kdf::verify_passphrase(&pass, &bad), Err(CryptoError::Credential(_))), "{bad}");
    }
    Ok(())
}

#[test]
fn dummy_verification_always_fails() {
    let pass = passphrase("correct horse battery staple");
    assert!(matches!(kdf::verify_dummy(&pass, SMALL), CryptoError::WrongPassphrase));
    // Out-of-bounds parameters do no work (u32::MAX KiB would abort the process) and still fail the same way.
    assert!(matches!(
        kdf::verify_dummy(&pass, KdfParams { memory_kib: u32::MAX, ..SMALL }),
        CryptoError::WrongPassphrase
    ));
}
