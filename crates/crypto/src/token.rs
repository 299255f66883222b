//! Session tokens and one-time enrolment codes. Both are random; the daemon keeps only their SHA-256 hashes.
//!
//! A token carries 256 bits, so a plain (unsalted, fast) hash is enough: nothing can be guessed, and a stolen hash
//! table gives no token back. An enrolment code carries 100 bits and lives for minutes; the same reasoning holds.

use std::hash::{Hash, Hasher};

use data_encoding::{BASE32_NOPAD, BASE64URL_NOPAD};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::{CryptoError, rng, secret::SecretString};

/// SHA-256 of a token or code: what is stored and looked up. Compared in constant time.
///
/// `==` is [`TokenHash::ct_eq`]; `Hash` hashes the same bytes, so the two agree as `HashMap` needs.
#[derive(Clone, Copy, Eq, Debug)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    /// Constant-time equality (`subtle`), so that comparing a presented token's hash with a stored one does not
    /// reveal through timing how many leading bytes matched.
    pub fn ct_eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl PartialEq for TokenHash {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other)
    }
}

impl Hash for TokenHash {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

/// Random bytes in a session token: 256 bits.
const TOKEN_BYTES: usize = 32;
/// Characters in an enrolment code, without separators: 20 base32 characters carry 100 bits.
const CODE_CHARS: usize = 20;
/// Characters per group of an enrolment code.
const CODE_GROUP: usize = 4;

/// A new session token: 256 random bits, base64url without padding (43 characters), and its hash.
pub fn new_session_token() -> Result<(SecretString, TokenHash), CryptoError> {
    let mut bytes = Zeroizing::new([0u8; TOKEN_BYTES]);
    rng::fill(bytes.as_mut_slice())?;
    // RFC 4648 section 5 (URL- and filename-safe alphabet), unpadded: the token travels in gRPC metadata and
    // command lines, where '+', '/' and '=' would need escaping.
    let token = SecretString::new(BASE64URL_NOPAD.encode(bytes.as_slice()));
    let hash = hash_session_token(token.expose_secret());
    Ok((token, hash))
}

/// A new enrolment code: 100 random bits as 20 base32 characters in groups of four joined by '-'
/// (e.g. `K7QF-3MZP-...`), easy to read aloud and type, and its hash.
pub fn new_enrolment_code() -> Result<(SecretString, TokenHash), CryptoError> {
    // 13 random bytes encode to 21 base32 characters (RFC 4648 section 6); the first 20 carry 100 uniformly
    // random bits, and the rest is dropped. Base32's alphabet (A-Z, 2-7) has no 0/O or 1/I/L confusion.
    let mut bytes = Zeroizing::new([0u8; 13]);
    rng::fill(bytes.as_mut_slice())?;
    let encoded = Zeroizing::new(BASE32_NOPAD.encode(bytes.as_slice()));
    let chars = encoded.as_bytes().get(..CODE_CHARS).ok_or(CryptoError::Malformed("enrolment code too short"))?;

    let mut code = String::with_capacity(CODE_CHARS + CODE_CHARS / CODE_GROUP - 1);
    for (i, group) in chars.chunks(CODE_GROUP).enumerate() {
        if i > 0 {
            code.push('-');
        }
        // Base32 output is ASCII, so each byte is one character.
        code.extend(group.iter().map(|&b| char::from(b)));
    }
    let code = SecretString::new(code);
    let hash = hash_enrolment_code(code.expose_secret());
    Ok((code, hash))
}

/// Hashes a session token as presented by a client.
pub fn hash_session_token(token: &str) -> TokenHash {
    TokenHash(Sha256::digest(token.as_bytes()).into())
}

/// Hashes an enrolment code as typed: case-insensitive, '-' and spaces ignored.
///
/// The code is normalised to upper case with '-' and all white space removed, then hashed with SHA-256, exactly as
/// [`new_enrolment_code`] hashes the code it hands out.
pub fn hash_enrolment_code(code: &str) -> TokenHash {
    // The normalised code is streamed into the hash one character at a time, so no copy of it is left in memory.
    let mut hasher = Sha256::new();
    let mut utf8 = Zeroizing::new([0u8; 4]);
    for c in code.chars().filter(|c| *c != '-' && !c.is_whitespace()).flat_map(char::to_uppercase) {
        hasher.update(c.encode_utf8(utf8.as_mut_slice()).as_bytes());
    }
    TokenHash(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_token_format_and_hash() -> Result<(), CryptoError> {
        let (token, hash) = new_session_token()?;
        let text = token.expose_secret();
        assert_eq!(text.len(), 43);
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{text}");
        assert_eq!(BASE64URL_NOPAD.decode(text.as_bytes()).map(|v| v.len()), Ok(32));
        assert_eq!(hash, hash_session_token(text));
        assert_eq!(hash.0.as_slice(), Sha256::digest(text.as_bytes()).as_slice());
        assert_ne!(new_session_token()?.1, hash);
        Ok(())
    }

    #[test]
    fn session_token_hash_is_exact() {
        // A session token is not normalised: any change is another token.
        assert_ne!(hash_session_token("abc"), hash_session_token("ABC"));
        assert_ne!(hash_session_token("abc"), hash_session_token(" abc"));
    }

    #[test]
    fn enrolment_code_format() -> Result<(), CryptoError> {
        let (code, hash) = new_enrolment_code()?;
        let text = code.expose_secret();
        assert_eq!(text.len(), 24);
        let groups: Vec<&str> = text.split('-').collect();
        assert_eq!(groups.len(), 5);
        for group in groups {
            assert_eq!(group.len(), 4);
            assert!(group.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)), "{text}");
        }
        assert_eq!(hash, hash_enrolment_code(text));
        Ok(())
    }

    #[test]
    fn enrolment_code_hash_normalises_typing() {
        let canonical = hash_enrolment_code("K7QF-3MZP-ABCD-EFGH-2345");
        for typed in [
            "k7qf-3mzp-abcd-efgh-2345",
            "K7QF3MZPABCDEFGH2345",
            " k7qf 3mzp\tabcd-efgh 2345\n",
            "K7QF--3MZP ABCDEFGH2345",
        ] {
            assert_eq!(hash_enrolment_code(typed), canonical, "{typed:?}");
        }
        assert_eq!(canonical.0.as_slice(), Sha256::digest(b"K7QF3MZPABCDEFGH2345").as_slice());
        assert_ne!(hash_enrolment_code("K7QF-3MZP-ABCD-EFGH-2346"), canonical);
    }

    #[test]
    fn token_hash_equality_and_hash_agree() {
        use std::collections::HashSet;
        let a = TokenHash([1; 32]);
        let mut b = TokenHash([1; 32]);
        assert!(a.ct_eq(&b) && a == b);
        b.0[31] = 2;
        assert!(!a.ct_eq(&b) && a != b);
        let set: HashSet<TokenHash> = [a, b, TokenHash([1; 32])].into_iter().collect();
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn debug_of_secret_strings_hides_tokens() -> Result<(), CryptoError> {
        let (token, _) = new_session_token()?;
        let (code, _) = new_enrolment_code()?;
        let shown = format!("{token:?} {code:?}");
        assert!(!shown.contains(token.expose_secret()) && !shown.contains(code.expose_secret()));
        Ok(())
    }
}
