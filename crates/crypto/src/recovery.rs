//! The recovery slot: the master key wrapped under the recovery key, and the id of a share set.
//!
//! The slot is a [`crate::record`] of kind [`RecordKind::RecoverySlot`] sealed under the recovery key itself (no
//! KDF: the key is 32 random bytes). Its associated data binds the vault id and, as the record id, the share-set
//! id, the threshold and the number of shares (`set id (16) || k (1) || n (1)`), version 1. So a recovery key of
//! another vault or of a replaced share set never opens it, and neither does a header whose k or n was altered.

use zeroize::Zeroizing;

use crate::{
    CryptoError,
    keys::{KEY_LEN, MasterKey, SubKey, VaultId},
    record::{self, RecordAad, RecordKind},
    rng,
    shamir::RecoveryKey,
};

/// The random id of a share set: 16 bytes from the OS. Not secret; it is in the seal header and in every share.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize, serde::Deserialize)]
pub struct ShareSetId(pub [u8; 16]);

impl ShareSetId {
    /// A fresh random id.
    pub fn generate() -> Result<Self, CryptoError> {
        rng::array().map(Self)
    }

    /// Lower-case hex, 32 characters.
    pub fn to_hex(&self) -> String {
        data_encoding::HEXLOWER.encode(&self.0)
    }
}

/// The recovery slot, stored in the seal header: which share set it belongs to, its threshold and size, and the
/// wrapped master key. Holds nothing secret in clear.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct RecoverySlot {
    /// The share set whose recovery key opens this slot.
    pub share_set: ShareSetId,
    /// Shares needed (k).
    pub threshold: u8,
    /// Shares issued (n).
    pub shares: u8,
    /// The sealed master key (format of [`crate::record`]).
    pub wrapped: Vec<u8>,
}

/// The version bound into the slot's associated data. A rekey makes a new slot (new share-set id) instead.
const SLOT_VERSION: u64 = 1;

impl RecoverySlot {
    /// Wraps `master` under `key` for the share set `share_set` of `threshold` out of `shares`.
    pub fn wrap(
        master: &MasterKey,
        key: &RecoveryKey,
        vault: &VaultId,
        share_set: ShareSetId,
        threshold: u8,
        shares: u8,
    ) -> Result<Self, CryptoError> {
        let id = aad_id(&share_set, threshold, shares);
        let wrapped = record::seal(&wrapping_key(key), &aad(vault, &id), master.expose_secret())?;
        Ok(Self { share_set, threshold, shares, wrapped })
    }

    /// Opens the slot with a recombined recovery key. `RecoveryKeyMismatch` when the key does not open it: shares
    /// forged, corrupted, of another share set or of another vault. A key that fails here must never be used.
    pub fn unwrap(&self, key: &RecoveryKey, vault: &VaultId) -> Result<MasterKey, CryptoError> {
        self.check_shape()?;
        let id = aad_id(&self.share_set, self.threshold, self.shares);
        let opened = record::open(&wrapping_key(key), &aad(vault, &id), &self.wrapped).map_err(|e| match e {
            CryptoError::Open => CryptoError::RecoveryKeyMismatch,
            other => other,
        })?;
        if opened.expose_secret().len() != KEY_LEN {
            return Err(CryptoError::Credential("recovery slot holds a key of the wrong length".into()));
        }
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        bytes.copy_from_slice(opened.expose_secret());
        Ok(MasterKey::from_bytes(&mut bytes))
    }

    /// Checks what can be checked without the key: the wrapped key's length and format.
    pub fn check_shape(&self) -> Result<(), CryptoError> {
        if self.wrapped.len() != record::OVERHEAD + KEY_LEN {
            return Err(CryptoError::Credential("recovery slot's wrapped key has the wrong length".into()));
        }
        record::check_shape(&self.wrapped)
            .map_err(|_| CryptoError::Credential("recovery slot's wrapped key is malformed".into()))
    }
}

fn aad_id(share_set: &ShareSetId, threshold: u8, shares: u8) -> [u8; 18] {
    let mut id = [0u8; 18];
    id[..16].copy_from_slice(&share_set.0);
    id[16] = threshold;
    id[17] = shares;
    id
}

fn aad<'a>(vault: &'a VaultId, id: &'a [u8; 18]) -> RecordAad<'a> {
    RecordAad { vault, kind: RecordKind::RecoverySlot, id, version: SLOT_VERSION }
}

/// The recovery key, used as it is (it is uniformly random) as the slot's XChaCha20-Poly1305 key.
fn wrapping_key(key: &RecoveryKey) -> SubKey {
    SubKey::try_init(|out| {
        out.copy_from_slice(key.expose_secret());
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shamir::{SecretShare, combine};

    const VAULT: VaultId = VaultId([5; 16]);

    fn setup() -> (MasterKey, RecoverySlot, Vec<SecretShare>) {
        let master = MasterKey::generate().expect("random");
        let key = RecoveryKey::generate().expect("random");
        let set = ShareSetId::generate().expect("random");
        let slot = RecoverySlot::wrap(&master, &key, &VAULT, set, 2, 3).expect("wrap");
        (master, slot, key.split(2, 3).expect("split"))
    }

    #[test]
    fn two_of_three_shares_open_the_slot() {
        let (master, slot, shares) = setup();
        let key = combine(&shares[1..], 2).expect("combine");
        assert_eq!(slot.unwrap(&key, &VAULT).expect("opens").expose_secret(), master.expose_secret());
    }

    #[test]
    fn a_wrong_key_another_vault_or_altered_counts_do_not_open_it() {
        let (_, slot, shares) = setup();
        let key = combine(&shares, 2).expect("combine");
        let wrong = RecoveryKey::generate().expect("random");
        assert!(matches!(slot.unwrap(&wrong, &VAULT), Err(CryptoError::RecoveryKeyMismatch)));
        assert!(matches!(slot.unwrap(&key, &VaultId([6; 16])), Err(CryptoError::RecoveryKeyMismatch)));
        for altered in [
            RecoverySlot { threshold: 3, ..slot.clone() },
            RecoverySlot { shares: 2, ..slot.clone() },
            RecoverySlot { share_set: ShareSetId([0; 16]), ..slot.clone() },
        ] {
            assert!(matches!(altered.unwrap(&key, &VAULT), Err(CryptoError::RecoveryKeyMismatch)));
        }
    }

    #[test]
    fn a_malformed_slot_is_refused_before_any_work() {
        let (_, slot, shares) = setup();
        let key = combine(&shares, 2).expect("combine");
        let short = RecoverySlot { wrapped: slot.wrapped[..10].to_vec(), ..slot };
        assert!(matches!(short.unwrap(&key, &VAULT), Err(CryptoError::Credential(_))));
    }
}
