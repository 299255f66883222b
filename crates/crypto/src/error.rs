//! The one error type of this crate. Messages never contain secret material.

/// What went wrong in a cryptographic operation.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The OS random source failed.
    #[error("the operating system's random source failed: {0}")]
    Random(String),
    /// A sealed record did not open: wrong key, wrong vault, wrong kind, id or version, or altered bytes.
    #[error("record does not open: it was altered, belongs elsewhere, or the key is wrong")]
    Open,
    /// Bytes or text without the expected shape: a sealed record shorter than its header or with an unknown format
    /// byte, a record id too long to bind (over 65,535 bytes), a vault id that is not 32 hex characters.
    #[error("record is malformed: {0}")]
    Malformed(&'static str),
    /// The passphrase does not open this key slot or match this hash.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// Argon2 parameters outside the accepted bounds (possibly a tampered header).
    #[error("key-derivation parameters out of bounds: {0}")]
    KdfParams(String),
    /// A passphrase outside the accepted length.
    #[error("passphrase must be between {min} and {max} bytes long")]
    PassphraseLength {
        /// Minimum length in bytes.
        min: usize,
        /// Maximum length in bytes.
        max: usize,
    },
    /// A stored hash or slot could not be parsed.
    #[error("stored credential is malformed: {0}")]
    Credential(String),
    /// Argon2 itself failed (memory allocation, internal error).
    #[error("key derivation failed: {0}")]
    Kdf(String),
    /// Shares that cannot be combined, or a split that cannot be made.
    #[error(transparent)]
    Shamir(#[from] crate::shamir::ShamirError),
    /// A recombined recovery key that does not open the recovery slot.
    #[error("these shares do not open this vault's recovery slot: one of them is forged or corrupted")]
    RecoveryKeyMismatch,
    /// A password-generator policy outside its bounds.
    #[error("password policy: {0}")]
    Policy(crate::generator::PolicyError),
    /// An age file, key or recipient that cannot be used.
    #[error(transparent)]
    Age(#[from] crate::age_file::AgeError),
}
