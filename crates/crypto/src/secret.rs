//! Secret newtypes. Each wipes its memory on drop (zeroize), has no `Debug`/`Display`/`Serialize` of its
//! content, and is read only through `expose_secret()`, so that every exposure is greppable.

use std::fmt;

use zeroize::Zeroizing;

/// A passphrase as typed by a person. Length bounds are checked by [`Passphrase::new`].
pub struct Passphrase(Zeroizing<Vec<u8>>);

impl Passphrase {
    /// Fewest bytes accepted.
    pub const MIN_LEN: usize = 12;
    /// Most bytes accepted.
    pub const MAX_LEN: usize = 1024;

    /// Wraps `bytes`, refusing a length outside [`Self::MIN_LEN`]..=[`Self::MAX_LEN`]. The input is wiped either way.
    pub fn new(bytes: Vec<u8>) -> Result<Self, crate::CryptoError> {
        // Wrap first, so that the refusal path below drops (and so wipes) the bytes like the success path would.
        let bytes = Zeroizing::new(bytes);
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&bytes.len()) {
            return Err(crate::CryptoError::PassphraseLength { min: Self::MIN_LEN, max: Self::MAX_LEN });
        }
        Ok(Self(bytes))
    }

    /// The passphrase bytes.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
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
    fn secret_bytes_round_trip() {
        let bytes = SecretBytes::new(vec![1, 2, 3]);
        assert_eq!(bytes.expose_secret(), &[1, 2, 3]);
        assert_eq!(*bytes.into_exposed(), vec![1, 2, 3]);
        assert_eq!(SecretString::new("abc".to_owned()).expose_secret(), "abc");
    }
}
