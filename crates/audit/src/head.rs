//! Signed heads: the vault's Ed25519 audit key vouches for "the chain of vault V ends at event n with hash h".
//!
//! The signed message is `"coffre/audit/head/v1" || vault id (16 bytes) || seq (u64 big-endian) || hash (32)`
//! (Ed25519, RFC 8032; verified with `verify_strict`, which refuses small-order keys and malleable signatures).
//! The daemon derives the signing key from the vault master key, so only an unsealed vault can sign; anyone with
//! the public key can check a head offline.

use std::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use zeroize::Zeroizing;

use crate::Error;

const HEAD_LABEL: &[u8] = b"coffre/audit/head/v1";
/// The prefix of a public key in text form.
const KEY_PREFIX: &str = "ed25519:";

/// Where a vault's chain ends.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Head {
    /// The vault the chain belongs to.
    pub vault_id: [u8; 16],
    /// The last event's sequence number.
    pub seq: u64,
    /// The last event's hash.
    pub hash: [u8; 32],
}

impl Head {
    fn message(&self) -> [u8; 20 + 16 + 8 + 32] {
        let mut m = [0; 76];
        m[..20].copy_from_slice(HEAD_LABEL);
        m[20..36].copy_from_slice(&self.vault_id);
        m[36..44].copy_from_slice(&self.seq.to_be_bytes());
        m[44..].copy_from_slice(&self.hash);
        m
    }
}

/// A head with the audit key's signature.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SignedHead {
    /// What is vouched for.
    pub head: Head,
    /// Ed25519 signature over the head's message.
    pub signature: [u8; 64],
}

/// The vault's audit signing key. Wiped on drop; no `Debug` of content.
pub struct HeadSigner(SigningKey);

impl HeadSigner {
    /// The signing key whose secret scalar is derived from `seed` (32 bytes from the vault master key's HKDF).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let seed = Zeroizing::new(*seed);
        Self(SigningKey::from_bytes(&seed))
    }

    /// The public half, for the seal header, `status` and auditors.
    pub fn public_key(&self) -> AuditPublicKey {
        AuditPublicKey(self.0.verifying_key())
    }

    /// Signs `head`.
    pub fn sign(&self, head: Head) -> SignedHead {
        SignedHead { head, signature: self.0.sign(&head.message()).to_bytes() }
    }
}

impl fmt::Debug for HeadSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("HeadSigner").field(&self.public_key()).finish()
    }
}

/// The vault's public audit key. Its text form is `ed25519:` and 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AuditPublicKey(VerifyingKey);

impl AuditPublicKey {
    /// The 32 key bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// A key from its 32 bytes; refuses bytes that are not a point of the curve.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, Error> {
        VerifyingKey::from_bytes(bytes).map(Self).map_err(|_| Error::BadKey("not an Ed25519 public key"))
    }

    /// Parses the text form (the `ed25519:` prefix may be left out).
    pub fn parse(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        let hex = text.strip_prefix(KEY_PREFIX).unwrap_or(text);
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(hex.as_bytes())
            .map_err(|_| Error::BadKey("expected ed25519: followed by 64 hex digits"))?;
        let bytes: [u8; 32] =
            bytes.try_into().map_err(|_| Error::BadKey("expected ed25519: followed by 64 hex digits"))?;
        Self::from_bytes(&bytes)
    }

    /// Checks `signed`'s signature.
    pub fn verify(&self, signed: &SignedHead) -> Result<(), Error> {
        self.0
            .verify_strict(&signed.head.message(), &Signature::from_bytes(&signed.signature))
            .map_err(|_| Error::BadSignature)
    }
}

impl fmt::Display for AuditPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{KEY_PREFIX}{}", data_encoding::HEXLOWER.encode(&self.to_bytes()))
    }
}

impl fmt::Debug for AuditPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditPublicKey({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> Head {
        Head { vault_id: [7; 16], seq: 42, hash: [9; 32] }
    }

    #[test]
    fn a_signed_head_verifies_and_any_change_is_refused() {
        let signer = HeadSigner::from_seed(&[1; 32]);
        let key = signer.public_key();
        let signed = signer.sign(head());
        assert_eq!(key.verify(&signed), Ok(()));
        for change in [
            |s: &mut SignedHead| s.head.seq += 1,
            |s: &mut SignedHead| s.head.hash[0] ^= 1,
            |s: &mut SignedHead| s.head.vault_id[15] ^= 1,
            |s: &mut SignedHead| s.signature[3] ^= 1,
        ] {
            let mut bad = signed;
            change(&mut bad);
            assert_eq!(key.verify(&bad), Err(Error::BadSignature));
        }
        let other = HeadSigner::from_seed(&[2; 32]).public_key();
        assert_eq!(other.verify(&signed), Err(Error::BadSignature));
    }

    #[test]
    fn the_public_key_text_form_round_trips() {
        let key = HeadSigner::from_seed(&[5; 32]).public_key();
        let text = key.to_string();
        assert!(text.starts_with("ed25519:") && text.len() == 8 + 64, "{text}");
        assert_eq!(AuditPublicKey::parse(&text), Ok(key));
        assert_eq!(AuditPublicKey::parse(&text[8..].to_uppercase()), Ok(key));
        assert!(AuditPublicKey::parse("ed25519:abcd").is_err());
        assert!(AuditPublicKey::parse(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn debug_shows_only_the_public_key() {
        let signer = HeadSigner::from_seed(&[1; 32]);
        let shown = format!("{signer:?}");
        assert!(shown.starts_with("HeadSigner(AuditPublicKey(ed25519:"), "{shown}");
    }
}
