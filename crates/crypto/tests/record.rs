//! Property tests of sealed records: round trip, and every way a record can be altered or moved refuses to open.

use coffre_crypto::{
    CryptoError,
    keys::{KEY_LEN, MasterKey, Purpose, SubKey, VaultId},
    record::{self, OVERHEAD, RecordAad, RecordKind},
};
use proptest::prelude::*;

const KINDS: [RecordKind; 8] = [
    RecordKind::Entry,
    RecordKind::EntryVersion,
    RecordKind::Person,
    RecordKind::Enrolment,
    RecordKind::AuditEvent,
    RecordKind::KeySlot,
    RecordKind::RecoverySlot,
    RecordKind::ShareSet,
];

/// An owned form of `RecordAad`, so that proptest can generate and shrink it.
#[derive(Clone, Debug, PartialEq)]
struct Aad {
    vault: VaultId,
    kind: RecordKind,
    id: Vec<u8>,
    version: u64,
}

impl Aad {
    fn borrow(&self) -> RecordAad<'_> {
        RecordAad { vault: &self.vault, kind: self.kind, id: &self.id, version: self.version }
    }
}

fn aad() -> impl Strategy<Value = Aad> {
    (any::<[u8; 16]>(), prop::sample::select(KINDS.to_vec()), prop::collection::vec(any::<u8>(), 0..48), any::<u64>())
        .prop_map(|(vault, kind, id, version)| Aad { vault: VaultId(vault), kind, id, version })
}

fn plaintext() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..1024)
}

fn subkey(seed: [u8; KEY_LEN], purpose: Purpose) -> SubKey {
    let mut bytes = seed;
    MasterKey::from_bytes(&mut bytes).subkey(purpose)
}

proptest! {
    #[test]
    fn seal_then_open_round_trips(seed in any::<[u8; 32]>(), aad in aad(), plaintext in plaintext()) {
        let key = subkey(seed, Purpose::Entries);
        let sealed = record::seal(&key, &aad.borrow(), &plaintext)?;
        prop_assert_eq!(sealed.len(), plaintext.len() + OVERHEAD);
        let opened = record::open(&key, &aad.borrow(), &sealed)?;
        prop_assert_eq!(opened.expose_secret(), &plaintext[..]);
    }

    #[test]
    fn a_flipped_bit_anywhere_never_opens(
        seed in any::<[u8; 32]>(), aad in aad(), plaintext in plaintext(), position in any::<prop::sample::Index>(),
    ) {
        let key = subkey(seed, Purpose::Entries);
        let mut sealed = record::seal(&key, &aad.borrow(), &plaintext)?;
        let bit = position.index(sealed.len() * 8);
        sealed[bit / 8] ^= 1 << (bit % 8);
        let result = record::open(&key, &aad.borrow(), &sealed);
        if bit < 8 {
            prop_assert!(matches!(result, Err(CryptoError::Malformed(_))), "format byte changed: {:?}", result);
        } else {
            prop_assert!(matches!(result, Err(CryptoError::Open)), "bit {} flipped: {:?}", bit, result);
        }
    }

    #[test]
    fn other_associated_data_never_opens(
        seed in any::<[u8; 32]>(), aad in aad(), other in aad(), plaintext in plaintext(), field in 0..4usize,
    ) {
        // Change exactly one field (vault, kind, id or version), or all of them at once with `other`.
        let mut moved = aad.clone();
        match field {
            0 => moved.vault = other.vault,
            1 => moved.kind = other.kind,
            2 => moved.id = other.id.clone(),
            _ => moved.version = other.version,
        }
        let key = subkey(seed, Purpose::Entries);
        let sealed = record::seal(&key, &aad.borrow(), &plaintext)?;
        for wrong in [&moved, &other] {
            if *wrong != aad {
                let result = record::open(&key, &wrong.borrow(), &sealed);
                prop_assert!(matches!(result, Err(CryptoError::Open)), "{:?} opened as {:?}", aad, wrong);
            }
        }
    }

    #[test]
    fn another_master_key_or_purpose_never_opens(
        seed in any::<[u8; 32]>(), other_seed in any::<[u8; 32]>(), aad in aad(), plaintext in plaintext(),
    ) {
        let sealed = record::seal(&subkey(seed, Purpose::Entries), &aad.borrow(), &plaintext)?;
        if other_seed != seed {
            let result = record::open(&subkey(other_seed, Purpose::Entries), &aad.borrow(), &sealed);
            prop_assert!(matches!(result, Err(CryptoError::Open)));
        }
        for purpose in Purpose::ALL.into_iter().filter(|p| *p != Purpose::Entries) {
            let result = record::open(&subkey(seed, purpose), &aad.borrow(), &sealed);
            prop_assert!(matches!(result, Err(CryptoError::Open)), "opened under {:?}", purpose);
        }
    }

    #[test]
    fn truncated_input_is_refused_without_panic(
        seed in any::<[u8; 32]>(), aad in aad(), plaintext in plaintext(), cut in any::<prop::sample::Index>(),
    ) {
        let key = subkey(seed, Purpose::Entries);
        let sealed = record::seal(&key, &aad.borrow(), &plaintext)?;
        let len = cut.index(sealed.len());
        let result = record::open(&key, &aad.borrow(), &sealed[..len]);
        if len < OVERHEAD {
            prop_assert!(matches!(result, Err(CryptoError::Malformed(_))));
        } else {
            prop_assert!(matches!(result, Err(CryptoError::Open)));
        }
    }

    #[test]
    fn arbitrary_bytes_never_open_and_never_panic(
        seed in any::<[u8; 32]>(), aad in aad(), bytes in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let result = record::open(&subkey(seed, Purpose::Audit), &aad.borrow(), &bytes);
        prop_assert!(matches!(result, Err(CryptoError::Malformed(_) | CryptoError::Open)));
    }
}
