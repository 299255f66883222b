//! The vault master key (VMK), the vault id, and per-purpose subkeys derived with HKDF-SHA256 (RFC 5869).

use std::fmt;

use data_encoding::{HEXLOWER, HEXLOWER_PERMISSIVE};
use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox};

use crate::{CryptoError, mac, rng};

/// Length in bytes of every symmetric key here.
pub const KEY_LEN: usize = 32;

/// The random id of a vault: 16 bytes from the OS. Not secret; it is in the seal header.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize, serde::Deserialize)]
pub struct VaultId(pub [u8; 16]);

impl VaultId {
    /// A fresh random id.
    pub fn generate() -> Result<Self, crate::CryptoError> {
        rng::array().map(Self)
    }

    /// Lower-case hex, 32 characters.
    pub fn to_hex(&self) -> String {
        HEXLOWER.encode(&self.0)
    }

    /// Parses the 32 hex characters written by [`Self::to_hex`] (either case). Anything else is `Malformed`.
    pub fn from_hex(hex: &str) -> Result<Self, CryptoError> {
        const MALFORMED: CryptoError = CryptoError::Malformed("vault id must be 32 hex characters");
        if hex.len() != 32 {
            return Err(MALFORMED);
        }
        let mut id = [0u8; 16];
        HEXLOWER_PERMISSIVE.decode_mut(hex.as_bytes(), &mut id).map_err(|_| MALFORMED)?;
        Ok(Self(id))
    }
}

/// The vault master key: 32 random bytes, never on disk in clear, wiped on drop. No `Clone`: one copy in memory.
///
/// The key lives in one heap allocation (`SecretBox`), so moving a `MasterKey` around does not leave stale copies
/// of it on the stack.
pub struct MasterKey(SecretBox<[u8; KEY_LEN]>);

impl MasterKey {
    /// A fresh random master key from the OS.
    pub fn generate() -> Result<Self, crate::CryptoError> {
        let mut key = SecretBox::<[u8; KEY_LEN]>::default();
        rng::fill(key.expose_secret_mut())?;
        Ok(Self(key))
    }

    /// Rebuilds a master key from bytes (used by key-slot unwrapping); the input array is wiped.
    pub fn from_bytes(bytes: &mut [u8; KEY_LEN]) -> Self {
        Self(boxed_from(bytes))
    }

    /// The raw key, for wrapping into a key slot.
    pub fn expose_secret(&self) -> &[u8; KEY_LEN] {
        self.0.expose_secret()
    }

    /// Derives the subkey for `purpose` with HKDF-SHA256, salt none, info = purpose label.
    pub fn subkey(&self, purpose: Purpose) -> SubKey {
        let mut key = SecretBox::<[u8; KEY_LEN]>::default();
        mac::hkdf_sha256(self.0.expose_secret(), purpose.label().as_bytes(), key.expose_secret_mut());
        SubKey(key)
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

/// What a subkey is for. Each has a distinct HKDF info label ("coffre/v1/entries", ...), so a key for one purpose
/// never opens another's records.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Purpose {
    /// Entry metadata and entry versions (secret fields).
    Entries,
    /// People: accounts, passphrase hashes, enrolments.
    People,
    /// Audit events.
    Audit,
    /// Keyed lookup ids (HMAC) for names.
    Index,
    /// Backups.
    Backups,
    /// Sessions and other short-lived state.
    Sessions,
    /// The seed of the Ed25519 key that signs the audit chain's head.
    AuditSigning,
    /// The HMAC key that authenticates the seal header (the one record stored in clear).
    Header,
    /// The HMAC key that authenticates the store's record of how far it has read the audit log.
    StoreMarker,
    /// The HMAC key of the web client's form tokens (CSRF): the same on every coffred that unseals the vault, so
    /// a form shown by one is taken by a standby that took the vault over.
    WebForms,
}

impl Purpose {
    /// Every purpose, in declaration order (e.g. to derive all subkeys at unseal, or to test that labels differ).
    pub const ALL: [Purpose; 10] = [
        Purpose::Entries,
        Purpose::People,
        Purpose::Audit,
        Purpose::Index,
        Purpose::Backups,
        Purpose::Sessions,
        Purpose::AuditSigning,
        Purpose::Header,
        Purpose::StoreMarker,
        Purpose::WebForms,
    ];

    /// The HKDF info label.
    pub fn label(self) -> &'static str {
        // These strings are part of the on-disk format: changing one makes every record of that purpose unreadable.
        match self {
            Purpose::Entries => "coffre/v1/entries",
            Purpose::People => "coffre/v1/people",
            Purpose::Audit => "coffre/v1/audit",
            Purpose::Index => "coffre/v1/index",
            Purpose::Backups => "coffre/v1/backups",
            Purpose::Sessions => "coffre/v1/sessions",
            Purpose::AuditSigning => "coffre/v1/audit-signing",
            Purpose::Header => "coffre/v1/header",
            Purpose::StoreMarker => "coffre/v1/store-marker",
            Purpose::WebForms => "coffre/v1/web-forms",
        }
    }
}

/// A 32-byte key derived from the master key for one purpose. Wiped on drop; no `Debug` of content.
pub struct SubKey(SecretBox<[u8; KEY_LEN]>);

impl SubKey {
    /// The raw key.
    pub fn expose_secret(&self) -> &[u8; KEY_LEN] {
        self.0.expose_secret()
    }

    /// HMAC-SHA256 (RFC 2104) under this key over the concatenation of `parts`. Compare the result with
    /// `subtle`'s constant-time equality.
    pub fn mac(&self, parts: &[&[u8]]) -> [u8; KEY_LEN] {
        let mut out = [0; KEY_LEN];
        mac::hmac_sha256(self.0.expose_secret(), parts, &mut out);
        out
    }

    /// A key that is not derived from a master key: the Argon2id output that wraps a key slot. `fill` writes the
    /// key straight into its final (heap, zeroizing) home, so no other copy of it is left behind.
    pub(crate) fn try_init<E>(fill: impl FnOnce(&mut [u8; KEY_LEN]) -> Result<(), E>) -> Result<Self, E> {
        let mut key = SecretBox::<[u8; KEY_LEN]>::default();
        fill(key.expose_secret_mut())?;
        Ok(Self(key))
    }
}

impl fmt::Debug for SubKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubKey(<redacted>)")
    }
}

/// Moves `bytes` into a fresh zeroizing box and wipes the original.
fn boxed_from(bytes: &mut [u8; KEY_LEN]) -> SecretBox<[u8; KEY_LEN]> {
    use zeroize::Zeroize;
    let mut key = SecretBox::<[u8; KEY_LEN]>::default();
    key.expose_secret_mut().copy_from_slice(bytes);
    bytes.zeroize();
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vault_id_hex_round_trip() -> Result<(), CryptoError> {
        let id = VaultId([0xab; 16]);
        assert_eq!(id.to_hex(), "abababababababababababababababab");
        assert_eq!(VaultId::from_hex(&id.to_hex())?, id);
        assert_eq!(VaultId::from_hex("ABABABABABABABABABABABABABABABAB")?, id);
        let fresh = VaultId::generate()?;
        assert_eq!(VaultId::from_hex(&fresh.to_hex())?, fresh);
        Ok(())
    }

    #[test]
    fn vault_id_from_hex_refuses_bad_input() {
        for bad in ["", "abab", "zzababababababababababababababab", "abababababababababababababababab00", "é"] {
            assert!(matches!(VaultId::from_hex(bad), Err(CryptoError::Malformed(_))), "{bad:?} must be refused");
        }
    }

    #[test]
    fn generated_keys_and_ids_differ() -> Result<(), CryptoError> {
        assert_ne!(VaultId::generate()?, VaultId::generate()?);
        assert_ne!(MasterKey::generate()?.expose_secret(), MasterKey::generate()?.expose_secret());
        Ok(())
    }

    #[test]
    fn from_bytes_wipes_its_input() {
        let mut bytes = [0x42; KEY_LEN];
        let key = MasterKey::from_bytes(&mut bytes);
        assert_eq!(bytes, [0; KEY_LEN]);
        assert_eq!(key.expose_secret(), &[0x42; KEY_LEN]);
    }

    #[test]
    fn subkeys_are_hkdf_of_the_label_and_all_differ() {
        let master = MasterKey::from_bytes(&mut [7; KEY_LEN]);
        let keys: Vec<[u8; KEY_LEN]> = Purpose::ALL.iter().map(|p| *master.subkey(*p).expose_secret()).collect();
        for (i, a) in keys.iter().enumerate() {
            assert_ne!(a, master.expose_secret());
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // Derivation is deterministic: a restarted daemon must find the same keys.
        assert_eq!(master.subkey(Purpose::Audit).expose_secret(), &keys[2]);
        let mut reference = [0u8; KEY_LEN];
        hkdf::Hkdf::<sha2::Sha256>::new(None, &[7; KEY_LEN])
            .expand(b"coffre/v1/entries", &mut reference)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        assert_eq!(keys[0], reference);
    }

    #[test]
    fn labels_are_the_documented_ones() {
        let labels: Vec<&str> = Purpose::ALL.iter().map(|p| p.label()).collect();
        assert_eq!(
            labels,
            [
                "coffre/v1/entries",
                "coffre/v1/people",
                "coffre/v1/audit",
                "coffre/v1/index",
                "coffre/v1/backups",
                "coffre/v1/sessions",
                "coffre/v1/audit-signing",
                "coffre/v1/header",
                "coffre/v1/store-marker",
                "coffre/v1/web-forms"
            ]
        );
    }

    #[test]
    fn debug_never_shows_key_bytes() -> Result<(), CryptoError> {
        let master = MasterKey::from_bytes(&mut [0x61; KEY_LEN]);
        let sub = master.subkey(Purpose::Entries);
        let shown = format!("{master:?} {sub:?} {master:#?} {sub:#?}");
        assert_eq!(shown, "MasterKey(<redacted>) SubKey(<redacted>) MasterKey(<redacted>) SubKey(<redacted>)");
        let fresh = MasterKey::generate()?;
        assert_eq!(format!("{fresh:?}"), "MasterKey(<redacted>)");
        Ok(())
    }
}
