//! The recovery key and Shamir's secret sharing over GF(256), with the guards `sharks` does not have.
//!
//! A [`RecoveryKey`] (32 random bytes) wraps the master key in the recovery slot ([`crate::recovery`]) and is split
//! into `n` shares of which any `k` give it back. `sharks` 0.5 does the arithmetic; this module refuses what it
//! would silently accept or get wrong:
//!
//! - a threshold below 2 (with `k` = 1, every share *is* the secret; with `k` = 0, `sharks` hands out the secret),
//! - a share whose x is 0 (the point x = 0 is the secret itself),
//! - the same x twice (Lagrange interpolation then divides by zero or interpolates a wrong polynomial),
//! - shares of different lengths, or of a length other than the key's,
//! - fewer shares than the threshold.
//!
//! Even when every guard passes, a share may be forged or corrupted: the combined key is wrong then. That is caught
//! one level up, where the key must open the recovery slot's AEAD before it is used ([`crate::recovery`]).

use rand_chacha::{ChaCha20Rng, rand_core::SeedableRng};
use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox};
use zeroize::Zeroizing;

use crate::{CryptoError, keys::KEY_LEN, rng};

/// Fewest shares a recovery may need: with one, a single holder could recover alone, and every share would be the
/// key itself.
pub const MIN_THRESHOLD: u8 = 2;
/// Most shares in one share set (holders are people; 16 is far beyond any organisation's need).
pub const MAX_SHARES: u8 = 16;

/// What is wrong with a set of shares or a split request. Never holds share bytes.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShamirError {
    /// A threshold below [`MIN_THRESHOLD`].
    #[error("the threshold must be at least {MIN_THRESHOLD} (it is {0}): one share alone must never recover the key")]
    ThresholdTooLow(u8),
    /// More shares than [`MAX_SHARES`], or fewer shares than the threshold when splitting.
    #[error("a share set has between the threshold ({threshold}) and {MAX_SHARES} shares, not {shares}")]
    BadShareCount {
        /// The threshold asked for.
        threshold: u8,
        /// The number of shares asked for.
        shares: usize,
    },
    /// A share whose x coordinate is 0: the point that is the secret itself, never handed out.
    #[error("share number 0 does not exist: the share is forged or corrupted")]
    ZeroX,
    /// Two shares with the same x: the same share given twice.
    #[error("share number {0} was given twice")]
    DuplicateX(u8),
    /// A share whose length is not the key's, or shares of different lengths.
    #[error("share number {x} is {len} bytes long, not {KEY_LEN}: it is truncated or corrupted")]
    BadLength {
        /// The share.
        x: u8,
        /// Its length.
        len: usize,
    },
    /// Fewer shares than the threshold.
    #[error("{given} share(s) given, {threshold} needed")]
    NotEnough {
        /// Shares given.
        given: usize,
        /// Shares needed.
        threshold: u8,
    },
}

/// The recovery key: 32 random bytes, wiped on drop, no `Debug` of content, no `Clone`.
///
/// It is split at most once: [`RecoveryKey::split`] consumes it. That is what makes `sharks`' biased coefficients
/// harmless (see there).
pub struct RecoveryKey(SecretBox<[u8; KEY_LEN]>);

impl RecoveryKey {
    /// A fresh random key from the OS.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut key = SecretBox::<[u8; KEY_LEN]>::default();
        rng::fill(key.expose_secret_mut())?;
        Ok(Self(key))
    }

    /// The raw key, for wrapping and unwrapping the recovery slot.
    pub fn expose_secret(&self) -> &[u8; KEY_LEN] {
        self.0.expose_secret()
    }

    /// Splits the key into `shares` shares, any `threshold` of which recover it. x runs from 1 to `shares`.
    ///
    /// RUSTSEC-2024-0398: `sharks` 0.5 draws polynomial coefficients from 1..=255 instead of 0..=255, so each split
    /// leaks a little about the secret, and many splits of the same secret leak it. Here every recovery key is
    /// fresh random and split exactly once: this method consumes the key, and a new share set always draws a new key
    /// ([`RecoveryKey::generate`]). What one split leaks is bounded: with a coefficient never 0, fewer than
    /// `threshold` shares can at most rule out one of the 256 values of each key byte, about 0.18 bit of the key's
    /// 256. Only repeated splits of one secret add such exclusions up, and that never happens here.
    pub fn split(self, threshold: u8, shares: u8) -> Result<Vec<SecretShare>, CryptoError> {
        check_counts(threshold, usize::from(shares)).map_err(CryptoError::Shamir)?;
        // sharks wants a rand 0.8 generator. A ChaCha20 stream seeded with 32 bytes from the OS is one, and seeding
        // is the only step that can fail, so it fails here with an error rather than inside sharks with a panic.
        let mut seed = Zeroizing::new([0u8; 32]);
        rng::fill(seed.as_mut_slice())?;
        let mut generator = ChaCha20Rng::from_seed(*seed);
        let dealer = sharks::Sharks(threshold).dealer_rng(self.expose_secret(), &mut generator);
        let split: Vec<SecretShare> = dealer
            .take(usize::from(shares))
            .map(|share| {
                let bytes = Zeroizing::new(Vec::from(&share));
                let (x, y) = bytes.split_first().map(|(x, y)| (*x, y.to_vec())).unwrap_or((0, Vec::new()));
                SecretShare { x, y: Zeroizing::new(y) }
            })
            .collect();
        // sharks evaluates at x = 1, 2, ...; checked rather than assumed, since a wrong x would be a lost share.
        if split.len() != usize::from(shares)
            || split.iter().enumerate().any(|(i, s)| usize::from(s.x) != i + 1 || s.y.len() != KEY_LEN)
        {
            return Err(CryptoError::Malformed("the secret-sharing library produced unexpected shares"));
        }
        Ok(split)
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(<redacted>)")
    }
}

/// One share of a recovery key: its x coordinate (1..=255) and its y values (one byte per key byte). Wiped on drop.
pub struct SecretShare {
    /// The x coordinate: the share's number, from 1.
    pub x: u8,
    /// The y values; secret.
    y: Zeroizing<Vec<u8>>,
}

impl SecretShare {
    /// A share from its parts (as decoded from an envelope). Nothing is checked here; [`combine`] checks.
    pub fn new(x: u8, y: Vec<u8>) -> Self {
        Self { x, y: Zeroizing::new(y) }
    }

    /// The y values.
    pub fn expose_secret(&self) -> &[u8] {
        &self.y
    }
}

impl std::fmt::Debug for SecretShare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretShare(x = {}, <{} bytes redacted>)", self.x, self.y.len())
    }
}

fn check_counts(threshold: u8, shares: usize) -> Result<(), ShamirError> {
    if threshold < MIN_THRESHOLD {
        return Err(ShamirError::ThresholdTooLow(threshold));
    }
    if shares < usize::from(threshold) || shares > usize::from(MAX_SHARES) {
        return Err(ShamirError::BadShareCount { threshold, shares });
    }
    Ok(())
}

/// Recombines a recovery key from at least `threshold` shares, after every guard of this module's documentation.
///
/// The result is a key, not a proof: forged or corrupted shares combine into a wrong key without any error here.
/// Use it only through [`crate::recovery::RecoverySlot::unwrap`], which refuses a key that does not open the slot.
pub fn combine(shares: &[SecretShare], threshold: u8) -> Result<RecoveryKey, ShamirError> {
    if threshold < MIN_THRESHOLD {
        return Err(ShamirError::ThresholdTooLow(threshold));
    }
    let mut seen = [false; 256];
    for share in shares {
        if share.x == 0 {
            return Err(ShamirError::ZeroX);
        }
        if std::mem::replace(&mut seen[usize::from(share.x)], true) {
            return Err(ShamirError::DuplicateX(share.x));
        }
        if share.y.len() != KEY_LEN {
            return Err(ShamirError::BadLength { x: share.x, len: share.y.len() });
        }
    }
    if shares.len() < usize::from(threshold) {
        return Err(ShamirError::NotEnough { given: shares.len(), threshold });
    }
    let parsed: Vec<sharks::Share> = shares
        .iter()
        .map(|share| {
            let mut bytes = Zeroizing::new(Vec::with_capacity(1 + KEY_LEN));
            bytes.push(share.x);
            bytes.extend_from_slice(&share.y);
            // Two bytes or more always parse (checked above: 1 + 32 bytes).
            sharks::Share::try_from(bytes.as_slice()).map_err(|_| ShamirError::BadLength { x: share.x, len: 0 })
        })
        .collect::<Result<_, _>>()?;
    let secret = Zeroizing::new(
        sharks::Sharks(threshold)
            .recover(&parsed)
            .map_err(|_| ShamirError::NotEnough { given: shares.len(), threshold })?,
    );
    let mut key = SecretBox::<[u8; KEY_LEN]>::default();
    if secret.len() != KEY_LEN {
        return Err(ShamirError::BadLength { x: 0, len: secret.len() });
    }
    key.expose_secret_mut().copy_from_slice(&secret);
    Ok(RecoveryKey(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed_key(byte: u8) -> RecoveryKey {
        RecoveryKey(SecretBox::new(Box::new([byte; KEY_LEN])))
    }

    fn shares(threshold: u8, n: u8) -> (Vec<SecretShare>, [u8; KEY_LEN]) {
        let key = RecoveryKey::generate().expect("random");
        let expected = *key.expose_secret();
        (key.split(threshold, n).expect("split"), expected)
    }

    #[test]
    fn any_threshold_of_the_shares_recover_the_key() {
        let (all, expected) = shares(3, 5);
        assert_eq!(all.iter().map(|s| s.x).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        for picked in [[0, 1, 2], [0, 2, 4], [4, 3, 1]] {
            let subset: Vec<SecretShare> =
                picked.iter().map(|&i| SecretShare::new(all[i].x, all[i].expose_secret().to_vec())).collect();
            assert_eq!(combine(&subset, 3).expect("combine").expose_secret(), &expected);
        }
    }

    #[test]
    fn a_threshold_below_two_is_refused_when_splitting_and_combining() {
        for threshold in [0, 1] {
            assert!(matches!(
                fixed_key(1).split(threshold, 3),
                Err(CryptoError::Shamir(ShamirError::ThresholdTooLow(t))) if t == threshold
            ));
            let (all, _) = shares(2, 2);
            assert_eq!(combine(&all, threshold).err(), Some(ShamirError::ThresholdTooLow(threshold)));
        }
    }

    #[test]
    fn share_counts_outside_threshold_to_sixteen_are_refused() {
        assert!(matches!(fixed_key(1).split(3, 2), Err(CryptoError::Shamir(ShamirError::BadShareCount { .. }))));
        assert!(matches!(fixed_key(1).split(2, 17), Err(CryptoError::Shamir(ShamirError::BadShareCount { .. }))));
        assert!(fixed_key(1).split(16, 16).is_ok());
    }

    #[test]
    fn x_zero_is_refused() {
        let (mut all, _) = shares(2, 2);
        all[0].x = 0;
        assert_eq!(combine(&all, 2).err(), Some(ShamirError::ZeroX));
    }

    #[test]
    fn the_same_share_twice_is_refused_not_combined() {
        let (all, _) = shares(2, 3);
        let twice = vec![
            SecretShare::new(all[0].x, all[0].expose_secret().to_vec()),
            SecretShare::new(all[0].x, all[0].expose_secret().to_vec()),
        ];
        assert_eq!(combine(&twice, 2).err(), Some(ShamirError::DuplicateX(1)));
    }

    #[test]
    fn shares_of_other_lengths_are_refused() {
        let (all, _) = shares(2, 2);
        let short = vec![
            SecretShare::new(all[0].x, all[0].expose_secret().to_vec()),
            SecretShare::new(all[1].x, all[1].expose_secret()[..31].to_vec()),
        ];
        assert_eq!(combine(&short, 2).err(), Some(ShamirError::BadLength { x: 2, len: 31 }));
        let long = vec![SecretShare::new(1, vec![0; 33]), SecretShare::new(2, vec![0; 33])];
        assert_eq!(combine(&long, 2).err(), Some(ShamirError::BadLength { x: 1, len: 33 }));
    }

    #[test]
    fn too_few_shares_are_refused() {
        let (all, _) = shares(3, 3);
        assert_eq!(combine(&all[..2], 3).err(), Some(ShamirError::NotEnough { given: 2, threshold: 3 }));
        assert_eq!(combine(&[], 2).err(), Some(ShamirError::NotEnough { given: 0, threshold: 2 }));
    }

    #[test]
    fn a_corrupted_share_combines_into_another_key() {
        // The arithmetic cannot tell: this is why the recovery slot's AEAD must accept the key before it is used.
        let (mut all, expected) = shares(2, 2);
        let mut y = all[1].expose_secret().to_vec();
        y[0] ^= 1;
        all[1] = SecretShare::new(2, y);
        assert_ne!(combine(&all, 2).expect("combines").expose_secret(), &expected);
    }

    #[test]
    fn debug_never_shows_key_or_share_bytes() {
        let shown = format!("{:?} {:?}", fixed_key(0x61), SecretShare::new(1, vec![0x61; 32]));
        assert_eq!(shown, "RecoveryKey(<redacted>) SecretShare(x = 1, <32 bytes redacted>)");
    }
}
