//! HMAC-SHA256 (RFC 2104, the `hmac` crate) with a 32-byte key, and single-block HKDF-SHA256 (RFC 5869, the `hkdf`
//! crate), as infallible functions for the fixed lengths used here.
//!
//! A key of at most one block is zero-padded to the SHA-256 block size (64 bytes) exactly as RFC 2104 section 2
//! prescribes, so passing the padded block to `KeyInit::new` is the same HMAC without a fallible length check. The
//! tests check both against RFC 4231 / RFC 5869 vectors.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

/// SHA-256's output length, HashLen in RFC 5869.
pub(crate) const HASH_LEN: usize = 32;

/// SHA-256's block size, B in RFC 2104.
const BLOCK_LEN: usize = 64;

/// Writes HMAC-SHA256(`key`, concatenation of `parts`) into `out`.
pub(crate) fn hmac_sha256(key: &[u8; HASH_LEN], parts: &[&[u8]], out: &mut [u8; HASH_LEN]) {
    // RFC 2104 section 2, step (1): a key shorter than B is appended with zeros to a length of B.
    let mut block = Zeroizing::new([0u8; BLOCK_LEN]);
    block[..HASH_LEN].copy_from_slice(key);
    let mut mac = <Hmac<Sha256> as KeyInit>::new((&*block).into());
    for part in parts {
        mac.update(part);
    }
    // The `zeroize` feature makes both the MAC state and the `CtOutput` wipe themselves when dropped.
    out.copy_from_slice(mac.finalize().as_bytes());
}

/// HKDF-SHA256 (RFC 5869) with no salt, for exactly one block of output key material (L = HashLen = 32).
pub(crate) fn hkdf_sha256(ikm: &[u8], info: &[u8], okm: &mut [u8; HASH_LEN]) {
    // HKDF-Expand refuses only more than 255 * HashLen bytes of output (RFC 5869 section 2.3); 32 bytes is always
    // accepted, so this cannot fail whatever the input.
    hkdf::Hkdf::<Sha256>::new(None, ikm).expand(info, okm).expect("32 bytes is a valid HKDF-SHA256 output length");
}

#[cfg(test)]
mod tests {
    use super::*;
    use data_encoding::HEXLOWER;

    fn hex(s: &str) -> Vec<u8> {
        HEXLOWER.decode(s.as_bytes()).expect("test vectors are valid hex")
    }

    #[test]
    fn hmac_matches_rfc_4231_test_case_1_shape() {
        // RFC 4231 test case 1 uses a 20-byte key; zero-padding it to 32 bytes is the same HMAC (RFC 2104 section 2),
        // which is exactly the property this module relies on.
        let mut key = [0u8; HASH_LEN];
        key[..20].copy_from_slice(&[0x0b; 20]);
        let mut out = [0u8; HASH_LEN];
        hmac_sha256(&key, &[b"Hi ", b"There"], &mut out);
        assert_eq!(out.to_vec(), hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
    }

    #[test]
    fn hmac_matches_the_hmac_crate_for_32_byte_keys() {
        let key = [0x5a; HASH_LEN];
        let mut ours = [0u8; HASH_LEN];
        hmac_sha256(&key, &[b"coffre", b"/index"], &mut ours);
        let mut theirs = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).expect("HMAC takes any key length");
        theirs.update(b"coffre/index");
        assert_eq!(ours.as_slice(), theirs.finalize().as_bytes().as_slice());
    }

    #[test]
    fn hkdf_matches_rfc_5869_test_case_3() {
        // Test case 3: IKM = 22 bytes of 0x0b, no salt, empty info, L = 42; the first 32 bytes of OKM are T(1).
        let mut okm = [0u8; HASH_LEN];
        hkdf_sha256(&[0x0b; 22], b"", &mut okm);
        assert_eq!(okm.to_vec(), hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"));
    }
}
