//! Property tests of recovery: Shamir round trips and guards, the share envelope's decoder on any input, and age
//! files cut short or altered.

use coffre_crypto::{
    age_file::{self, AgeIdentity, AgeRecipient, ShareRecipient, Unlock},
    envelope::{EnvelopeError, ShareEnvelope},
    keys::{MasterKey, VaultId},
    recovery::{RecoverySlot, ShareSetId},
    shamir::{RecoveryKey, SecretShare, ShamirError, combine},
};
use proptest::prelude::*;

fn copy(share: &SecretShare) -> SecretShare {
    SecretShare::new(share.x, share.expose_secret().to_vec())
}

/// A threshold k, a share count n (2 <= k <= n <= 16) and a subset of k distinct share indexes.
fn plan() -> impl Strategy<Value = (u8, u8, Vec<usize>)> {
    (2u8..=16)
        .prop_flat_map(|n| (2u8..=n, Just(n)))
        .prop_flat_map(|(k, n)| (Just(k), Just(n), Just((0..usize::from(n)).collect::<Vec<_>>()).prop_shuffle()))
        .prop_map(|(k, n, order)| (k, n, order.into_iter().take(usize::from(k)).collect()))
}

fn envelope(x: u8, holder: &str) -> ShareEnvelope {
    ShareEnvelope {
        vault: VaultId([1; 16]),
        share_set: ShareSetId([2; 16]),
        threshold: 2,
        shares: 3,
        holder: holder.to_owned(),
        share: SecretShare::new(x, vec![9; 32]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_k_distinct_shares_open_the_slot_and_fewer_never_combine((k, n, picked) in plan()) {
        let master = MasterKey::generate()?;
        let key = RecoveryKey::generate()?;
        let vault = VaultId([3; 16]);
        let set = ShareSetId::generate()?;
        let slot = RecoverySlot::wrap(&master, &key, &vault, set, k, n)?;
        let shares = key.split(k, n)?;
        let subset: Vec<SecretShare> = picked.iter().map(|&i| copy(&shares[i])).collect();
        let combined = combine(&subset, k)?;
        let opened = slot.unwrap(&combined, &vault)?;
        prop_assert_eq!(opened.expose_secret(), master.expose_secret());
        let fewer = &subset[..usize::from(k) - 1];
        prop_assert_eq!(combine(fewer, k).err(), Some(ShamirError::NotEnough { given: fewer.len(), threshold: k }));
    }

    #[test]
    fn a_corrupted_share_never_opens_the_slot((k, n, picked) in plan(), which in any::<prop::sample::Index>(), byte in 0usize..32, bit in 0u8..8) {
        let master = MasterKey::generate()?;
        let key = RecoveryKey::generate()?;
        let vault = VaultId([4; 16]);
        let slot = RecoverySlot::wrap(&master, &key, &vault, ShareSetId([5; 16]), k, n)?;
        let shares = key.split(k, n)?;
        let mut subset: Vec<SecretShare> = picked.iter().map(|&i| copy(&shares[i])).collect();
        let victim = which.index(subset.len());
        let mut y = subset[victim].expose_secret().to_vec();
        y[byte] ^= 1 << bit;
        subset[victim] = SecretShare::new(subset[victim].x, y);
        let combined = combine(&subset, k)?;
        prop_assert!(matches!(slot.unwrap(&combined, &vault), Err(coffre_crypto::CryptoError::RecoveryKeyMismatch)));
    }

    #[test]
    fn the_envelope_decoder_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1200)) {
        let _ = ShareEnvelope::decode(&bytes);
    }

    #[test]
    fn envelopes_round_trip(x in 1u8..=3, holder in "[a-zA-Z][a-zA-Z éà'-]{0,40}[a-z]") {
        let encoded = envelope(x, &holder).encode();
        let decoded = ShareEnvelope::decode(&encoded)?;
        prop_assert_eq!((decoded.share.x, decoded.holder.as_str()), (x, holder.as_str()));
        prop_assert_eq!(decoded.share.expose_secret(), &[9u8; 32]);
    }

    #[test]
    fn a_truncated_envelope_is_refused(cut in any::<prop::sample::Index>()) {
        let encoded = envelope(2, "leader").encode();
        let cut = cut.index(encoded.len());
        prop_assert!(ShareEnvelope::decode(&encoded[..cut]).is_err());
    }

    #[test]
    fn a_changed_byte_is_refused_or_means_the_same(position in any::<prop::sample::Index>(), value in any::<u8>()) {
        let encoded = envelope(2, "leader").encode();
        let mut changed = encoded.to_vec();
        let at = position.index(changed.len());
        prop_assume!(changed[at] != value);
        changed[at] = value;
        // Hex is read in either case and white space around members is JSON's own: such a change keeps the meaning.
        // Any other change is refused; none yields a different share.
        if let Ok(decoded) = ShareEnvelope::decode(&changed) {
            prop_assert_eq!(decoded.share.expose_secret(), &[9u8; 32]);
            prop_assert_eq!((decoded.share.x, decoded.holder.as_str()), (2, "leader"));
        }
    }

    #[test]
    fn age_decryption_never_panics_and_refuses_cut_files(cut in any::<prop::sample::Index>(), noise in prop::collection::vec(any::<u8>(), 0..300)) {
        let (text, recipient) = age_file::generate_identity("test");
        let identity = AgeIdentity::parse(text.expose_secret())?;
        let _ = age_file::decrypt(Unlock::Identity(&identity), &noise, 1 << 16);
        let file = age_file::encrypt_share(&ShareRecipient::Key(recipient), &envelope(1, "president").encode())?;
        let cut = cut.index(file.len());
        let short = file.as_bytes()[..cut].to_vec();
        // Cutting only trailing white space of the armor keeps the file whole.
        if file[..cut].trim_end() != file.trim_end() {
            prop_assert!(age_file::decrypt(Unlock::Identity(&identity), &short, 1 << 16).is_err());
        }
    }
}

#[test]
fn a_share_of_another_vault_decodes_but_its_ids_tell() {
    // The envelope carries the ids, so the engine refuses a foreign share before combining anything.
    let mut other = envelope(1, "president");
    other.vault = VaultId([7; 16]);
    let decoded = ShareEnvelope::decode(&other.encode()).expect("a valid envelope");
    assert_eq!(decoded.vault, VaultId([7; 16]));
    assert_eq!(decoded.share_set, ShareSetId([2; 16]));
}

#[test]
fn a_recipient_is_parsed_once_and_printed_the_same() {
    let (_, recipient) = age_file::generate_identity("test");
    let text = recipient.to_string();
    assert!(text.starts_with("age1") && text.len() == 62, "{text}");
    assert_eq!(AgeRecipient::parse(&text).expect("parses").to_string(), text);
    assert_eq!(
        ShareEnvelope::decode(b"{}").err(),
        Some(EnvelopeError::NotAnEnvelope { line: 1, column: 2 }),
        "an empty object lacks every member"
    );
}
