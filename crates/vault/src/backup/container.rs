//! The backup container: what is inside the age encryption of a backup file.
//!
//! ```text
//! container = magic "COFFREBK" (8) || format (u16 BE) = 1 || body || SHA-256(magic || format || body) (32)
//! body      = postcard(Body): vault id (16), created (i64 ms), audit events (u64),
//!             records: [(key, value)] in key order, every record of the store as stored (the seal header in clear,
//!             everything else still sealed under the vault's keys),
//!             audit segments: [(first sequence number, bytes)], copied byte for byte
//! ```
//!
//! The age layer already authenticates the file; the digest makes a container that was decrypted by hand and then
//! cut short or altered refuse to restore as well. Decoding never trusts a length: postcard reads every length
//! against the bytes actually there.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Damage;

/// The first bytes of every container.
const MAGIC: &[u8; 8] = b"COFFREBK";
/// The container format this engine writes and reads.
const FORMAT: u16 = 1;
const DIGEST_LEN: usize = 32;

/// What a container holds.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Body {
    pub(crate) vault_id: [u8; 16],
    pub(crate) created_ms: i64,
    pub(crate) audit_events: u64,
    pub(crate) records: Vec<(Vec<u8>, Vec<u8>)>,
    pub(crate) audit_segments: Vec<(u64, Vec<u8>)>,
}

pub(crate) fn encode(body: &Body) -> Result<Vec<u8>, crate::Error> {
    let encoded = postcard::to_allocvec(body).map_err(|e| crate::Error::Internal(format!("encode a backup: {e}")))?;
    let mut out = Vec::with_capacity(MAGIC.len() + 2 + encoded.len() + DIGEST_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_be_bytes());
    out.extend_from_slice(&encoded);
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    Ok(out)
}

/// Why it cannot be read is a restore's [`Damage`], which never quotes the content.
pub(crate) fn decode(bytes: &[u8]) -> Result<Body, Damage> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(Damage::NotABackup);
    }
    let Some(format) = bytes.get(MAGIC.len()..MAGIC.len() + 2) else { return Err(Damage::Digest) };
    let format = u16::from_be_bytes([format[0], format[1]]);
    if format != FORMAT {
        return Err(Damage::UnknownFormat(format));
    }
    if bytes.len() < MAGIC.len() + 2 + DIGEST_LEN {
        return Err(Damage::Digest);
    }
    let (content, digest) = bytes.split_at(bytes.len() - DIGEST_LEN);
    if Sha256::digest(content).as_slice() != digest {
        return Err(Damage::Digest);
    }
    let (body, rest) = postcard::take_from_bytes::<Body>(&content[MAGIC.len() + 2..]).map_err(|_| Damage::Malformed)?;
    if !rest.is_empty() {
        return Err(Damage::Malformed);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn body() -> Body {
        Body {
            vault_id: [7; 16],
            created_ms: 1_800_000_000_000,
            audit_events: 3,
            records: vec![(b"e/1".to_vec(), vec![1, 2, 3]), (b"h".to_vec(), b"{}".to_vec())],
            audit_segments: vec![(1, vec![9; 100])],
        }
    }

    #[test]
    fn the_layout_is_the_documented_one() {
        let bytes = encode(&body()).expect("encodes");
        assert_eq!(&bytes[..10], b"COFFREBK\x00\x01");
        let digest = Sha256::digest(&bytes[..bytes.len() - 32]);
        assert_eq!(&bytes[bytes.len() - 32..], digest.as_slice());
        assert_eq!(decode(&bytes).expect("decodes"), body());
    }

    #[test]
    fn other_files_and_formats_are_refused_by_name() {
        assert_eq!(decode(b"PK\x03\x04 a zip file"), Err(Damage::NotABackup));
        let mut bytes = encode(&body()).expect("encodes");
        bytes[9] = 2;
        assert_eq!(decode(&bytes), Err(Damage::UnknownFormat(2)));
    }

    proptest! {
        #[test]
        fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode(&bytes);
            let mut prefixed = b"COFFREBK\x00\x01".to_vec();
            prefixed.extend_from_slice(&bytes);
            let _ = decode(&prefixed);
        }

        #[test]
        fn a_cut_or_a_flipped_bit_is_refused(cut in any::<prop::sample::Index>(), bit in any::<prop::sample::Index>()) {
            let bytes = encode(&body()).expect("encodes");
            let cut = cut.index(bytes.len());
            prop_assert!(decode(&bytes[..cut]).is_err());
            let mut flipped = bytes.clone();
            let bit = bit.index(bytes.len() * 8);
            flipped[bit / 8] ^= 1 << (bit % 8);
            prop_assert!(decode(&flipped).is_err());
        }

        #[test]
        fn a_valid_digest_over_garbage_is_malformed_not_a_panic(garbage in prop::collection::vec(any::<u8>(), 0..256)) {
            let mut bytes = b"COFFREBK\x00\x01".to_vec();
            bytes.extend_from_slice(&garbage);
            let digest = Sha256::digest(&bytes);
            bytes.extend_from_slice(&digest);
            let _ = decode(&bytes);
        }
    }
}
