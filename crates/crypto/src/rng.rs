//! The one source of randomness: the operating system's, through `getrandom`.

use crate::CryptoError;

/// Fills `buf` from the OS random source. A failure is reported, never papered over with weaker randomness.
pub(crate) fn fill(buf: &mut [u8]) -> Result<(), CryptoError> {
    getrandom::fill(buf).map_err(|e| CryptoError::Random(e.to_string()))
}

/// A fresh array of random bytes, for values that are not secret (ids, salts, nonces).
pub(crate) fn array<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}
