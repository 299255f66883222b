//! The seal header: the only record stored in clear.
//!
//! It holds what is needed to unseal and nothing about the vault's content: the format version, the vault id, the
//! owners' key slots (salt, Argon2 parameters, wrapped master key), the default Argon2 parameters for new slots,
//! the recovery slot (share-set id, k, n, the master key wrapped under the recovery key; no holder's name), and the
//! public audit key (so that status can show it while sealed; unseal checks it against the key derived from the
//! master key, so a swapped header key is caught).

use coffre_crypto::{
    kdf::{KdfParams, KeySlot},
    keys::VaultId,
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
}

impl SealHeader {
    pub(crate) fn encode(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(|e| Error::Internal(format!("encode the seal header: {e}")))
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

    #[test]
    fn a_header_without_a_recovery_slot_still_decodes_and_encodes_the_same() {
        let header = SealHeader::decode(OLD.as_bytes()).expect("old header");
        assert!(header.recovery.is_none());
        let encoded = String::from_utf8(header.encode().expect("encodes")).expect("UTF-8");
        assert!(!encoded.contains("recovery"), "{encoded}");
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
