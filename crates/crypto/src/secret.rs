//! Secret newtypes. Each wipes its memory on drop (zeroize), has no `Debug`/`Display`/`Serialize` of its
//! content, and is read only through `expose_secret()`, so that every exposure is greppable.

use std::fmt;

use zeroize::Zeroizing;

/// A passphrase as typed by a person, in Unicode Normalization Form C (NFC, UAX #15): "é" typed as one code point
/// (most keyboards) or as "e" and a combining accent (another OS, another input method) is the same passphrase.
/// Bytes that are not UTF-8 are kept as they are. Length bounds are checked by [`Passphrase::new`] on the bytes as
/// typed, as they always were, so that no passphrase accepted before is refused now.
///
/// Hashes and key slots made before passphrases were normalised hold the bytes as typed then; [`Self::legacy_forms`]
/// gives the other forms such a record may hold, to try after the normalised one and migrate (see `kdf`).
pub struct Passphrase {
    normalised: Zeroizing<Vec<u8>>,
    /// The bytes as typed and the NFD form, where they differ from `normalised` and from each other.
    legacy: Vec<Zeroizing<Vec<u8>>>,
}

impl Passphrase {
    /// Fewest bytes accepted.
    pub const MIN_LEN: usize = 12;
    /// Most bytes accepted.
    pub const MAX_LEN: usize = 1024;

    /// Wraps `bytes`, refusing a length outside [`Self::MIN_LEN`]..=[`Self::MAX_LEN`]. The input is wiped either way.
    pub fn new(bytes: Vec<u8>) -> Result<Self, crate::CryptoError> {
        use unicode_normalization::UnicodeNormalization;
        // Wrap first, so that the refusal path below drops (and so wipes) the bytes like the success path would.
        let bytes = Zeroizing::new(bytes);
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&bytes.len()) {
            return Err(crate::CryptoError::PassphraseLength { min: Self::MIN_LEN, max: Self::MAX_LEN });
        }
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return Ok(Self { normalised: bytes, legacy: Vec::new() });
        };
        let normalised = Zeroizing::new(Zeroizing::new(text.nfc().collect::<String>()).as_bytes().to_vec());
        let decomposed = Zeroizing::new(Zeroizing::new(text.nfd().collect::<String>()).as_bytes().to_vec());
        let mut legacy: Vec<Zeroizing<Vec<u8>>> = Vec::new();
        for form in [bytes, decomposed] {
            if *form != *normalised && !legacy.iter().any(|known| **known == *form) {
                legacy.push(form);
            }
        }
        Ok(Self { normalised, legacy })
    }

    /// The passphrase bytes (NFC when the passphrase is text).
    pub fn expose_secret(&self) -> &[u8] {
        &self.normalised
    }

    /// The forms a record made before normalisation may hold, other than [`Self::expose_secret`]: the bytes as
    /// typed and the NFD form, where they differ. Empty for ASCII, and for any text typed in NFC that has no
    /// decomposition, so that trying them costs nothing in the common case.
    pub fn legacy_forms(&self) -> impl Iterator<Item = Passphrase> + '_ {
        self.legacy.iter().map(|form| Passphrase { normalised: form.clone(), legacy: Vec::new() })
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// Secret bytes of any length: a revealed password, decrypted record plaintext, a TOTP seed.
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    /// Takes ownership of `bytes`; they are wiped on drop.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// The secret bytes.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }

    /// Gives the bytes up; the caller becomes responsible for wiping them.
    pub fn into_exposed(self) -> Zeroizing<Vec<u8>> {
        self.0
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes(<{} bytes redacted>)", self.0.len())
    }
}

/// A secret string handed to a person once: a session token or an enrolment code.
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Takes ownership of `s`; it is wiped on drop.
    pub fn new(s: String) -> Self {
        Self(Zeroizing::new(s))
    }

    /// The string.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CryptoError;

    #[test]
    fn passphrase_length_bounds_are_inclusive() {
        assert!(Passphrase::new(vec![b'a'; Passphrase::MIN_LEN]).is_ok());
        assert!(Passphrase::new(vec![b'a'; Passphrase::MAX_LEN]).is_ok());
        for len in [0, Passphrase::MIN_LEN - 1, Passphrase::MAX_LEN + 1] {
            assert!(
                matches!(
                    Passphrase::new(vec![b'a'; len]),
                    Err(CryptoError::PassphraseLength { min: Passphrase::MIN_LEN, max: Passphrase::MAX_LEN })
                ),
                "length {len} must be refused"
            );
        }
    }

    #[test]
    fn passphrase_keeps_its_bytes() -> Result<(), CryptoError> {
        let passphrase = Passphrase::new(b"correct horse battery".to_vec())?;
        assert_eq!(passphrase.expose_secret(), b"correct horse battery");
        Ok(())
    }

    #[test]
    fn debug_never_shows_the_secret() -> Result<(), CryptoError> {
        let passphrase = Passphrase::new(b"hunter2hunter2".to_vec())?;
        let bytes = SecretBytes::new(b"s3cr3t-p4ssw0rd".to_vec());
        let string = SecretString::new("t0k3n-v4lu3".to_owned());
        let shown = format!("{passphrase:?} {bytes:?} {string:?} {passphrase:#?} {bytes:#?} {string:#?}");
        for secret in ["hunter2", "s3cr3t", "t0k3n", "104, 117"] {
            assert!(!shown.contains(secret), "{shown} shows {secret}");
        }
        assert!(shown.contains("<15 bytes redacted>"));
        Ok(())
    }

    #[test]
    fn a_passphrase_typed_decomposed_is_the_composed_one() -> Result<(), CryptoError> {
        let composed = "\u{c9}lise \u{e0} l'\u{e9}cole 2026";
        let decomposed = "E\u{301}lise a\u{300} l'e\u{301}cole 2026";
        let typed = Passphrase::new(decomposed.as_bytes().to_vec())?;
        assert_eq!(typed.expose_secret(), composed.as_bytes());
        let legacy: Vec<Vec<u8>> = typed.legacy_forms().map(|p| p.expose_secret().to_vec()).collect();
        assert_eq!(legacy, [decomposed.as_bytes().to_vec()], "as typed, which is also the NFD form");
        let nfc = Passphrase::new(composed.as_bytes().to_vec())?;
        assert_eq!(nfc.legacy_forms().count(), 1, "its NFD form, which an older record may hold");
        assert_eq!(Passphrase::new(b"plain ascii passphrase".to_vec())?.legacy_forms().count(), 0);
        let binary = Passphrase::new(vec![0xff; 16])?;
        assert_eq!((binary.expose_secret(), binary.legacy_forms().count()), (&[0xff; 16][..], 0));
        Ok(())
    }

    #[test]
    fn secret_bytes_round_trip() {
        let bytes = SecretBytes::new(vec![1, 2, 3]);
        assert_eq!(bytes.expose_secret(), &[1, 2, 3]);
        assert_eq!(*bytes.into_exposed(), vec![1, 2, 3]);
        assert_eq!(SecretString::new("abc".to_owned()).expose_secret(), "abc");
    }
}
