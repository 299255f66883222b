//! Sealing stored records with XChaCha20-Poly1305.
//!
//! Format of a sealed record: `FORMAT (1 byte = 1) || nonce (24 random bytes) || ciphertext || tag (16 bytes)`.
//! Associated data, canonical and length-prefixed: `"coffre/record/v1" || vault id (16) || kind (1) ||
//! id length (u16 BE) || id || version (u64 BE)`. Any change of vault, kind, id or version makes `open` fail.
//!
//! XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) is chosen for its 192-bit nonce: nonces can be drawn at random for
//! every seal, with no counter to keep across restarts, backups and restores, and a collision stays negligible far
//! beyond the number of records a vault will ever write (unlike the 96-bit nonce of RFC 8439's construction).

use chacha20poly1305::{AeadInOut, KeyInit, Tag, XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, Zeroizing};

use crate::{
    CryptoError,
    keys::{SubKey, VaultId},
    rng,
    secret::SecretBytes,
};

/// The kinds of stored record. The byte values are part of the on-disk format: never reuse or renumber one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum RecordKind {
    /// Entry metadata (platform, login, url, ...).
    Entry = 1,
    /// One version of an entry's secret fields.
    EntryVersion = 2,
    /// A person's account.
    Person = 3,
    /// A pending enrolment (one-time code).
    Enrolment = 4,
    /// An audit event.
    AuditEvent = 5,
    /// A key slot's wrapped master key.
    KeySlot = 6,
    /// A grant: a person's access to one entry or one category, for a task, until an expiry.
    Grant = 7,
    /// A mark that a person revealed an entry (so that offboarding can flag it for rotation).
    RevealMark = 8,
    /// An entry's rotation state: the staged rotation's facts and the compromise flag.
    Rotation = 9,
    /// The new secret fields of a staged rotation, until it is confirmed or cancelled.
    PendingVersion = 10,
    /// A request for an owner's approval to reveal a very confidential entry, and its decision.
    Approval = 11,
    /// An entry's lifecycle transitions (planned, active, archived: when and by whom), for the register.
    Lifecycle = 12,
    /// A change to the store, carried by the audit log beside the event that made it (one chunk of it).
    AuditChange = 13,
    /// A session, as the store keeps it for a standby that takes the vault over (its token's hash, never the token).
    Session = 14,
    /// The recovery slot's wrapped master key (20 and up are recovery's and backups').
    RecoverySlot = 20,
    /// The record of a share set: its holders and their age recipients.
    ShareSet = 21,
}

/// The associated data of one record.
#[derive(Clone, Copy, Debug)]
pub struct RecordAad<'a> {
    /// The vault the record belongs to.
    pub vault: &'a VaultId,
    /// What the record is.
    pub kind: RecordKind,
    /// Its id (the storage key's id part).
    pub id: &'a [u8],
    /// Its version (revision counter, or version number of an entry version).
    pub version: u64,
}

/// Bytes added by sealing: format byte, nonce and tag.
pub const OVERHEAD: usize = 1 + 24 + 16;

/// The format byte of version 1. A new format gets a new byte; `open` refuses bytes it does not know.
const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// Format byte and nonce: what precedes the ciphertext.
const HEADER_LEN: usize = 1 + NONCE_LEN;
/// Domain separation for the associated data, so it can never collide with any other MAC input of coffre's.
const AAD_DOMAIN: &[u8] = b"coffre/record/v1";

/// Encrypts `plaintext` under `key` with a fresh random nonce, binding `aad`.
///
/// Fails with `Malformed` when `aad.id` is longer than 65,535 bytes (its length is bound as a u16) and with `Random`
/// when the OS random source fails.
pub fn seal(key: &SubKey, aad: &RecordAad<'_>, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let aad = encode_aad(aad)?;
    let nonce: [u8; NONCE_LEN] = rng::array()?;
    let cipher = XChaCha20Poly1305::new(key.expose_secret().into());

    // The plaintext is copied once, into the output buffer, and encrypted there in place. The buffer is allocated at
    // its final size so that no reallocation leaves a plaintext copy behind in freed memory.
    let mut out = Vec::with_capacity(OVERHEAD + plaintext.len());
    out.push(FORMAT_V1);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plaintext);
    match cipher.encrypt_inout_detached(&XNonce::from(nonce), &aad, (&mut out[HEADER_LEN..]).into()) {
        Ok(tag) => {
            out.extend_from_slice(&tag);
            Ok(out)
        }
        Err(_) => {
            // Only a plaintext beyond the cipher's limit (about 256 GiB) gets here; wipe what it left.
            out.zeroize();
            Err(CryptoError::Malformed("plaintext too long to seal"))
        }
    }
}

/// Decrypts a record sealed by [`seal`] with the same key and associated data.
///
/// `Malformed` when `sealed` is shorter than [`OVERHEAD`] or its format byte is unknown; `Open` when the tag does not
/// verify (wrong key, vault, kind, id or version, or altered bytes). Never panics, whatever the input.
pub fn open(key: &SubKey, aad: &RecordAad<'_>, sealed: &[u8]) -> Result<SecretBytes, CryptoError> {
    let (nonce, ciphertext, tag) = split(sealed)?;
    let aad = encode_aad(aad)?;
    let cipher = XChaCha20Poly1305::new(key.expose_secret().into());

    // Decrypt in a zeroizing buffer: if the tag does not verify, whatever was written there is wiped on return.
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    cipher.decrypt_inout_detached(nonce, &aad, buffer.as_mut_slice().into(), tag).map_err(|_| CryptoError::Open)?;
    Ok(SecretBytes::new(std::mem::take(&mut *buffer)))
}

/// Checks the shape of a sealed record (length, format byte) without any key, so a caller can refuse garbage before
/// expensive work (key slots check this before running Argon2).
pub(crate) fn check_shape(sealed: &[u8]) -> Result<(), CryptoError> {
    split(sealed).map(|_| ())
}

/// Splits a sealed record into nonce, ciphertext and tag.
fn split(sealed: &[u8]) -> Result<(&XNonce, &[u8], &Tag), CryptoError> {
    if sealed.len() < OVERHEAD {
        return Err(CryptoError::Malformed("sealed record shorter than its header and tag"));
    }
    let (header, rest) = sealed.split_at(HEADER_LEN);
    let (ciphertext, tag) = rest.split_at(rest.len() - TAG_LEN);
    let (format, nonce) = header.split_at(1);
    if format != [FORMAT_V1] {
        return Err(CryptoError::Malformed("unknown record format byte"));
    }
    // The lengths were fixed above, so these conversions cannot fail; they are mapped rather than unwrapped anyway.
    let nonce = <&XNonce>::try_from(nonce).map_err(|_| CryptoError::Malformed("bad nonce length"))?;
    let tag = <&Tag>::try_from(tag).map_err(|_| CryptoError::Malformed("bad tag length"))?;
    Ok((nonce, ciphertext, tag))
}

/// The canonical associated data. Every field has a fixed length or a length prefix, so two different
/// `RecordAad`s never encode to the same bytes.
fn encode_aad(aad: &RecordAad<'_>) -> Result<Vec<u8>, CryptoError> {
    let id_len =
        u16::try_from(aad.id.len()).map_err(|_| CryptoError::Malformed("record id longer than 65535 bytes"))?;
    let mut out = Vec::with_capacity(AAD_DOMAIN.len() + 16 + 1 + 2 + aad.id.len() + 8);
    out.extend_from_slice(AAD_DOMAIN);
    out.extend_from_slice(&aad.vault.0);
    out.push(aad.kind as u8);
    out.extend_from_slice(&id_len.to_be_bytes());
    out.extend_from_slice(aad.id);
    out.extend_from_slice(&aad.version.to_be_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{MasterKey, Purpose};

    const VAULT: VaultId = VaultId([9; 16]);

    fn key() -> SubKey {
        MasterKey::from_bytes(&mut [3; 32]).subkey(Purpose::Entries)
    }

    fn aad(id: &[u8]) -> RecordAad<'_> {
        RecordAad { vault: &VAULT, kind: RecordKind::Entry, id, version: 7 }
    }

    #[test]
    fn round_trip_and_layout() -> Result<(), CryptoError> {
        let sealed = seal(&key(), &aad(b"id"), b"hello")?;
        assert_eq!(sealed.len(), OVERHEAD + 5);
        assert_eq!(sealed[0], FORMAT_V1);
        assert_eq!(open(&key(), &aad(b"id"), &sealed)?.expose_secret(), b"hello");
        let empty = seal(&key(), &aad(b""), b"")?;
        assert_eq!(empty.len(), OVERHEAD);
        assert!(open(&key(), &aad(b""), &empty)?.expose_secret().is_empty());
        Ok(())
    }

    #[test]
    fn every_seal_uses_a_fresh_nonce() -> Result<(), CryptoError> {
        let a = seal(&key(), &aad(b"id"), b"same")?;
        let b = seal(&key(), &aad(b"id"), b"same")?;
        assert_ne!(a[1..HEADER_LEN], b[1..HEADER_LEN]);
        assert_ne!(a, b);
        Ok(())
    }

    #[test]
    fn aad_encoding_is_the_documented_one() -> Result<(), CryptoError> {
        let encoded = encode_aad(&RecordAad { vault: &VAULT, kind: RecordKind::KeySlot, id: b"ab", version: 258 })?;
        let mut expected = b"coffre/record/v1".to_vec();
        expected.extend_from_slice(&[9; 16]);
        expected.extend_from_slice(&[6, 0, 2, b'a', b'b', 0, 0, 0, 0, 0, 0, 1, 2]);
        assert_eq!(encoded, expected);
        Ok(())
    }

    #[test]
    fn short_or_unknown_format_is_malformed() -> Result<(), CryptoError> {
        for len in 0..OVERHEAD {
            assert!(matches!(open(&key(), &aad(b"id"), &vec![1; len]), Err(CryptoError::Malformed(_))));
        }
        let mut sealed = seal(&key(), &aad(b"id"), b"x")?;
        sealed[0] = 2;
        assert!(matches!(open(&key(), &aad(b"id"), &sealed), Err(CryptoError::Malformed(_))));
        Ok(())
    }

    #[test]
    fn tampering_is_an_open_error() -> Result<(), CryptoError> {
        let mut sealed = seal(&key(), &aad(b"id"), b"x")?;
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert!(matches!(open(&key(), &aad(b"id"), &sealed), Err(CryptoError::Open)));
        Ok(())
    }

    #[test]
    fn id_longer_than_u16_is_refused_not_a_panic() -> Result<(), CryptoError> {
        let long = vec![0u8; usize::from(u16::MAX) + 1];
        assert!(matches!(seal(&key(), &aad(&long), b"x"), Err(CryptoError::Malformed(_))));
        let sealed = seal(&key(), &aad(b"id"), b"x")?;
        assert!(matches!(open(&key(), &aad(&long), &sealed), Err(CryptoError::Malformed(_))));
        let longest = vec![0u8; usize::from(u16::MAX)];
        let sealed = seal(&key(), &aad(&longest), b"x")?;
        assert_eq!(open(&key(), &aad(&longest), &sealed)?.expose_secret(), b"x");
        Ok(())
    }
}
