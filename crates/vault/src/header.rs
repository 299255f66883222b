//! The seal header: the only record stored in clear.
//!
//! It holds what is needed to unseal and nothing about the vault's content: the format version, the vault id, the
//! owners' key slots (salt, Argon2 parameters, wrapped master key), the default Argon2 parameters for new slots,
//! the recovery slot (share-set id, k, n, the master key wrapped under the recovery key; no holder's name), and the
//! public audit key (so that status can show it while sealed; unseal checks it against the key derived from the
//! master key, so a swapped header key is caught).
//!
//! Since it is in clear, it carries a MAC: HMAC-SHA256 under a key derived from the master key (HKDF label
//! `coffre/v1/header`) over the header's JSON encoding without the MAC. Every unseal and every recovery checks it
//! before the vault opens, so a lowered Argon2 cost, a changed recovery threshold or a swapped slot is refused as
//! "the seal header was changed". A header written before the MAC existed gets one at its first unseal.

use coffre_crypto::{
    kdf::{KdfParams, KeySlot},
    keys::{SubKey, VaultId},
    recovery::RecoverySlot,
    shamir::{MAX_SHARES, MIN_THRESHOLD},
};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The on-disk format this engine writes and reads.
pub(crate) const FORMAT: u32 = 1;

/// Most key slots a header may hold (owners and, later, the recovery slot).
const MAX_SLOTS: usize = 16;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SealHeader {
    pub(crate) format: u32,
    pub(crate) vault_id: VaultId,
    pub(crate) kdf: KdfParams,
    pub(crate) slots: Vec<KeySlot>,
    /// The current share set's recovery slot; absent in headers written before recovery existed, and in vaults
    /// created without holders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) recovery: Option<RecoverySlot>,
    /// The vault's public audit key, `ed25519:` and hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) audit_public_key: Option<String>,
    /// HMAC-SHA256 of the header without this field (see the module's documentation); absent in headers written
    /// before it existed, until their first unseal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) mac: Option<[u8; 32]>,
}

/// Domain separation for the header's MAC.
const MAC_CONTEXT: &[u8] = b"coffre seal header v1\0";

/// What [`SealHeader::check_mac`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum MacCheck {
    /// The MAC is there and right.
    Authenticated,
    /// There is no MAC yet (a header from before it existed): it must be added now.
    Missing,
}

impl SealHeader {
    /// Sets the header's MAC under `key` (the master key's `Header` subkey) and encodes it.
    pub(crate) fn encode(&mut self, key: &SubKey) -> Result<Vec<u8>> {
        self.mac = Some(self.compute_mac(key)?);
        serde_json::to_vec(self).map_err(|e| Error::Internal(format!("encode the seal header: {e}")))
    }

    fn compute_mac(&self, key: &SubKey) -> Result<[u8; 32]> {
        let unauthenticated = SealHeader { mac: None, ..self.clone() };
        let bytes = serde_json::to_vec(&unauthenticated)
            .map_err(|e| Error::Internal(format!("encode the seal header: {e}")))?;
        Ok(key.mac(&[MAC_CONTEXT, bytes.as_slice()]))
    }

    /// Checks the header's MAC under `key`: right, missing (an older header), or [`Error::HeaderChanged`].
    pub(crate) fn check_mac(&self, key: &SubKey) -> Result<MacCheck> {
        use subtle::ConstantTimeEq as _;
        let Some(stored) = &self.mac else { return Ok(MacCheck::Missing) };
        if bool::from(self.compute_mac(key)?.ct_eq(stored)) {
            Ok(MacCheck::Authenticated)
        } else {
            Err(Error::HeaderChanged)
        }
    }

    /// Parses and bounds-checks a stored header: an unknown format, too many slots or out-of-bounds Argon2
    /// parameters (a tampered header asking for 64 GiB) are refused before any work is done.
    pub(crate) fn decode(bytes: &[u8]) -> Result<Self> {
        let header: SealHeader =
            serde_json::from_slice(bytes).map_err(|e| Error::Corrupt(format!("seal header ({e})")))?;
        if header.format != FORMAT {
            return Err(Error::Corrupt(format!("seal header (unknown format {})", header.format)));
        }
        if header.slots.len() > MAX_SLOTS {
            return Err(Error::Corrupt("seal header (too many key slots)".into()));
        }
        if let Some(key) = &header.audit_public_key {
            coffre_audit::AuditPublicKey::parse(key).map_err(|e| Error::Corrupt(format!("seal header ({e})")))?;
        }
        header.kdf.validate().map_err(|e| Error::Corrupt(format!("seal header ({e})")))?;
        for slot in &header.slots {
            slot.params.validate().map_err(|e| Error::Corrupt(format!("seal header ({e})")))?;
        }
        if let Some(recovery) = &header.recovery {
            let (k, n) = (recovery.threshold, recovery.shares);
            if k < MIN_THRESHOLD || k > n || n > MAX_SHARES {
                return Err(Error::Corrupt(format!("seal header (recovery threshold {k} of {n})")));
            }
            recovery.check_shape().map_err(|e| Error::Corrupt(format!("seal header ({e})")))?;
        }
        Ok(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header as the walking skeleton wrote it, before the recovery slot existed.
    const OLD: &str = r#"{"format":1,"vault_id":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16],
        "kdf":{"memory_kib":8192,"iterations":1,"parallelism":1},"slots":[]}"#;

    fn key(seed: u8) -> SubKey {
        coffre_crypto::keys::MasterKey::from_bytes(&mut [seed; 32]).subkey(coffre_crypto::keys::Purpose::Header)
    }

    #[test]
    fn a_header_without_a_recovery_slot_still_decodes_and_encodes_the_same() {
        let mut header = SealHeader::decode(OLD.as_bytes()).expect("old header");
        assert!(header.recovery.is_none());
        let encoded = String::from_utf8(header.encode(&key(1)).expect("encodes")).expect("UTF-8");
        assert!(!encoded.contains("recovery"), "{encoded}");
    }

    #[test]
    fn an_old_header_has_no_mac_and_an_encoded_one_is_authenticated() {
        let mut header = SealHeader::decode(OLD.as_bytes()).expect("old header");
        assert_eq!(header.check_mac(&key(1)).expect("check"), MacCheck::Missing);
        let stored = SealHeader::decode(&header.encode(&key(1)).expect("encodes")).expect("decodes");
        assert_eq!(stored.check_mac(&key(1)).expect("check"), MacCheck::Authenticated);
        assert!(matches!(stored.check_mac(&key(2)), Err(Error::HeaderChanged)), "another vault's key");
    }

    #[test]
    fn a_lowered_argon2_cost_or_a_changed_field_is_caught_by_the_mac() {
        let stored = SealHeader::decode(OLD.as_bytes()).expect("old header").encode(&key(1)).expect("encodes");
        let text = String::from_utf8(stored).expect("UTF-8");
        assert!(text.contains("\"iterations\":1"), "{text}");
        let weaker = text.replace("\"memory_kib\":8192", "\"memory_kib\":8193");
        let header = SealHeader::decode(weaker.as_bytes()).expect("still within bounds");
        assert!(matches!(header.check_mac(&key(1)), Err(Error::HeaderChanged)));
        assert!(Error::HeaderChanged.to_string().contains("the seal header was changed"));
    }

    #[test]
    fn a_tampered_recovery_threshold_is_refused() {
        let tampered = OLD.replace(
            "\"slots\":[]",
            "\"slots\":[],\"recovery\":{\"share_set\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],\"threshold\":1,\
             \"shares\":2,\"wrapped\":[]}",
        );
        let err = SealHeader::decode(tampered.as_bytes()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("recovery threshold 1 of 2"), "{err}");
    }
}
