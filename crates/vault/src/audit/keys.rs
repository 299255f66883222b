//! The audit log's keys, derived from the vault master key: one seals events at rest, one signs the chain head, one
//! authenticates the store's record of how far it has read the log (`journal::ReadTo`).

use coffre_audit::{AuditPublicKey, Head, HeadSigner, SignedHead};
use coffre_crypto::keys::{MasterKey, Purpose, SubKey, VaultId};

/// The keys of one vault's audit log. Exists only while unsealed.
pub(crate) struct AuditKeys {
    pub(crate) vault: VaultId,
    pub(crate) seal: SubKey,
    pub(crate) marker: SubKey,
    signer: HeadSigner,
}

impl std::fmt::Debug for AuditKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditKeys").field("vault", &self.vault).field("public", &self.public_key()).finish()
    }
}

impl AuditKeys {
    pub(crate) fn derive(vault: VaultId, master: &MasterKey) -> Self {
        let seed = master.subkey(Purpose::AuditSigning);
        Self {
            vault,
            seal: master.subkey(Purpose::Audit),
            marker: master.subkey(Purpose::StoreMarker),
            signer: HeadSigner::from_seed(seed.expose_secret()),
        }
    }

    pub(crate) fn public_key(&self) -> AuditPublicKey {
        self.signer.public_key()
    }

    pub(crate) fn sign(&self, seq: u64, hash: [u8; 32]) -> SignedHead {
        self.signer.sign(Head { vault_id: self.vault.0, seq, hash })
    }
}
