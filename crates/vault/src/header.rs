//! The seal header: the only record stored in clear.
//!
//! It holds what is needed to unseal and nothing about the vault's content: the format version, the vault id, the
//! owners' key slots (salt, Argon2 parameters, wrapped master key), the default Argon2 parameters for new slots,
//! and the public audit key (so that status can show it while sealed; unseal checks it against the key derived
//! from the master key, so a swapped header key is caught).

use coffre_crypto::{
    kdf::{KdfParams, KeySlot},
    keys::VaultId,
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
        Ok(header)
    }
}
