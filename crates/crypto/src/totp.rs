//! Time-based one-time passwords (RFC 6238) for the second factor of every person's login.
//!
//! Parameters are the ones every authenticator app understands: HMAC-SHA1, 6 digits, a 30-second step, counted
//! from the Unix epoch (RFC 6238 section 4: T0 = 0, X = 30). Seeds are 160 bits from the OS random source, the
//! length RFC 4226 section 4 recommends (R6). The time is always passed in, so this module stays pure and tests
//! (and the daemon's test clock) choose it.
//!
//! [`TotpSeed::verify`] accepts one step of clock skew either way (RFC 6238 section 5.2), refuses any step at or
//! before the last one accepted for that person (so a code is single-use, section 5.2 again), compares in constant
//! time (`subtle`), and says which step matched so that the caller can remember it.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

use crate::{CryptoError, rng, secret::SecretString};

/// Seconds per time step (RFC 6238's X).
pub const STEP_SECONDS: i64 = 30;
/// Digits in a code.
pub const DIGITS: usize = 6;
/// Bytes in a seed made here: 160 bits (RFC 4226 section 4, R6).
pub const SEED_LEN: usize = 20;
/// Fewest bytes accepted for an imported seed (RFC 4226 section 4, R6: at least 128 bits).
const MIN_SEED_LEN: usize = 16;
/// Most bytes accepted for an imported seed: one SHA-1 block, so the key is never hashed first.
const MAX_SEED_LEN: usize = 64;
/// Fewest bytes accepted for the seed of a platform account's own second factor: 80 bits, the 16 base32 characters
/// some platforms still hand out. The platform chose it; coffre only keeps it and computes its codes.
pub const MIN_PLATFORM_SEED_LEN: usize = 10;
/// SHA-1's block size, B in RFC 2104.
const BLOCK_LEN: usize = 64;

/// A TOTP seed: the shared secret between the daemon and a person's authenticator app. Wiped on drop; no `Debug`,
/// `Display` or `Serialize`; read only through [`TotpSeed::expose_secret`].
pub struct TotpSeed(Zeroizing<Vec<u8>>);

impl TotpSeed {
    /// A fresh 160-bit seed from the OS random source.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut bytes = Zeroizing::new(vec![0u8; SEED_LEN]);
        rng::fill(&mut bytes)?;
        Ok(Self(bytes))
    }

    /// A seed from stored bytes (16 to 64 bytes). The input is wiped either way.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, CryptoError> {
        let bytes = Zeroizing::new(bytes);
        if !(MIN_SEED_LEN..=MAX_SEED_LEN).contains(&bytes.len()) {
            return Err(CryptoError::Malformed("a TOTP seed must be 16 to 64 bytes long"));
        }
        Ok(Self(bytes))
    }

    /// A seed from the base32 text of an otpauth URI (RFC 4648 section 6; case, spaces and padding ignored).
    pub fn from_base32(text: &str) -> Result<Self, CryptoError> {
        Self::from_bytes(decode_base32(text, "a TOTP seed must be base32 (A-Z, 2-7)")?)
    }

    /// The seed of a platform account's own second factor, as the platform shows it for authenticator apps: base32
    /// (case, spaces and padding ignored), 10 to 64 bytes once decoded. The message says what is wrong, never the
    /// seed.
    pub fn from_platform_base32(text: &str) -> Result<Self, CryptoError> {
        let bytes = Zeroizing::new(decode_base32(text, "a TOTP seed must be base32 (letters A-Z and digits 2-7)")?);
        if !(MIN_PLATFORM_SEED_LEN..=MAX_SEED_LEN).contains(&bytes.len()) {
            return Err(CryptoError::Malformed("a TOTP seed must be 16 to 103 base32 characters (80 to 512 bits)"));
        }
        Ok(Self(bytes))
    }

    /// The code an authenticator app shows at `unix_seconds`, and how many seconds it stays valid (1 to 30): what
    /// the daemon returns for a platform account's second factor.
    pub fn current_code(&self, unix_seconds: i64) -> (SecretString, u32) {
        let code = self.code_for_step(step_at(unix_seconds));
        let left = STEP_SECONDS - unix_seconds.max(0) % STEP_SECONDS;
        let text = SecretString::new(String::from_utf8_lossy(&*code).into_owned());
        (text, u32::try_from(left).unwrap_or(0))
    }

    /// The seed of an `otpauth://totp/...` URI (its `secret` parameter), as [`TotpSeed::otpauth_uri`] writes it.
    pub fn from_otpauth_uri(uri: &str) -> Result<Self, CryptoError> {
        let query = uri
            .strip_prefix("otpauth://totp/")
            .and_then(|rest| rest.split_once('?'))
            .map(|(_, query)| query)
            .ok_or(CryptoError::Malformed("not an otpauth://totp/ URI"))?;
        let secret = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("secret="))
            .ok_or(CryptoError::Malformed("the otpauth URI has no secret"))?;
        Self::from_base32(secret)
    }

    /// The seed bytes.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }

    /// The `otpauth://totp/...` URI that authenticator apps read (from a QR code or typed): the Key Uri Format of
    /// Google Authenticator, with the parameters spelled out so that no app has to guess them.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> SecretString {
        let secret = Zeroizing::new(BASE32_NOPAD.encode(&self.0));
        let issuer = percent_encode(issuer);
        SecretString::new(format!(
            "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            percent_encode(account),
            secret.as_str()
        ))
    }

    /// The code at `unix_seconds`, as an authenticator app would show it. For tests and tools; the daemon
    /// verifies people's codes and returns platform codes through [`TotpSeed::current_code`].
    pub fn code_at(&self, unix_seconds: i64) -> String {
        let code = self.code_for_step(step_at(unix_seconds));
        String::from_utf8_lossy(&*code).into_owned()
    }

    /// Checks `code` at `unix_seconds`: it must be the code of the current step or of one step either side, and
    /// that step must come after `last_used_step` (0 when none was ever used). Returns the step that matched, to be
    /// stored as the new `last_used_step`; `None` for a wrong, malformed or replayed code.
    ///
    /// All three candidate steps are computed and compared in constant time whatever the input, so the timing does
    /// not tell which step, if any, matched.
    pub fn verify(&self, code: &str, unix_seconds: i64, last_used_step: u64) -> Option<u64> {
        let typed: Zeroizing<Vec<u8>> = Zeroizing::new(code.bytes().filter(|b| *b != b' ').collect());
        let well_formed = typed.len() == DIGITS && typed.iter().all(u8::is_ascii_digit);
        let now = step_at(unix_seconds);
        let mut matched = 0u64;
        let mut found = subtle::Choice::from(0);
        for step in [now.saturating_sub(1), now, now.saturating_add(1)] {
            let expected = self.code_for_step(step);
            let same = if well_formed { expected.as_slice().ct_eq(typed.as_slice()) } else { subtle::Choice::from(0) };
            let usable = same & !subtle::Choice::from(u8::from(step <= last_used_step)) & !found;
            matched = u64::conditional_select(&matched, &step, usable);
            found |= usable;
        }
        bool::from(found).then_some(matched)
    }

    /// HOTP (RFC 4226 section 5.3) of `step`: HMAC-SHA1, dynamic truncation, modulo 10^6, as ASCII digits.
    fn code_for_step(&self, step: u64) -> Zeroizing<[u8; DIGITS]> {
        // RFC 2104 section 2, step (1): a key shorter than B is appended with zeros to a length of B. Seeds are at
        // most B bytes long (checked when made), so the padded block is the same HMAC without a fallible length
        // check.
        let mut block = Zeroizing::new([0u8; BLOCK_LEN]);
        let len = self.0.len().min(BLOCK_LEN);
        block[..len].copy_from_slice(&self.0[..len]);
        let mut mac = <Hmac<Sha1> as KeyInit>::new((&*block).into());
        mac.update(&step.to_be_bytes());
        let digest = Zeroizing::new(<[u8; 20]>::from(mac.finalize().into_bytes()));
        // Dynamic truncation: the low 4 bits of the last byte give the offset of 4 bytes, top bit masked.
        let offset = usize::from(digest[19] & 0x0f);
        let binary =
            u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
        let mut value = binary % 1_000_000;
        let mut out = Zeroizing::new([b'0'; DIGITS]);
        for slot in out.iter_mut().rev() {
            // `value % 10` is below 10, so the cast cannot truncate.
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
        out
    }
}

/// Base32 text as authenticator apps show it (case, spaces and padding ignored), decoded; `invalid` is the error
/// message, which never holds the text.
fn decode_base32(text: &str, invalid: &'static str) -> Result<Vec<u8>, CryptoError> {
    let normalised: Zeroizing<String> =
        Zeroizing::new(text.chars().filter(|c| !c.is_whitespace() && *c != '=').flat_map(char::to_uppercase).collect());
    BASE32_NOPAD.decode(normalised.as_bytes()).map_err(|_| CryptoError::Malformed(invalid))
}

/// The time step of `unix_seconds` (RFC 6238 section 4: floor((T - T0) / X)); 0 before the epoch.
pub fn step_at(unix_seconds: i64) -> u64 {
    u64::try_from(unix_seconds.max(0) / STEP_SECONDS).unwrap_or(0)
}

/// Percent-encodes everything but RFC 3986's unreserved characters, for the label and issuer of a URI.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 seed: the ASCII string "12345678901234567890".
    fn rfc_seed() -> TotpSeed {
        TotpSeed::from_bytes(b"12345678901234567890".to_vec()).expect("20 bytes")
    }

    #[test]
    fn codes_match_rfc_6238_appendix_b() {
        // The RFC lists 8-digit codes; a 6-digit code is the same number modulo 10^6, i.e. its last six digits.
        let seed = rfc_seed();
        for (time, eight_digits) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(seed.code_at(time), eight_digits[2..], "T = {time}");
        }
    }

    #[test]
    fn one_step_of_skew_either_way_and_which_step_matched() {
        let seed = rfc_seed();
        let now = 1_234_567_890;
        let step = step_at(now);
        assert_eq!(seed.verify(&seed.code_at(now), now, 0), Some(step));
        assert_eq!(seed.verify(&seed.code_at(now - 30), now, 0), Some(step - 1));
        assert_eq!(seed.verify(&seed.code_at(now + 30), now, 0), Some(step + 1));
        assert_eq!(seed.verify(&seed.code_at(now - 60), now, 0), None, "two steps late");
        assert_eq!(seed.verify(&seed.code_at(now + 60), now, 0), None, "two steps early");
    }

    #[test]
    fn a_used_step_or_an_earlier_one_is_refused() {
        let seed = rfc_seed();
        let now = 1_234_567_890;
        let step = step_at(now);
        let code = seed.code_at(now);
        assert_eq!(seed.verify(&code, now, step), None, "replay of the same code");
        assert_eq!(seed.verify(&seed.code_at(now - 30), now, step - 1), None, "the step already used");
        assert_eq!(seed.verify(&seed.code_at(now + 30), now, step), Some(step + 1), "a later step still works");
    }

    #[test]
    fn malformed_codes_are_refused_without_panicking() {
        let seed = rfc_seed();
        let now = 1_234_567_890;
        let good = seed.code_at(now);
        for bad in ["", "12345", "1234567", "abcdef", "12345x", "١٢٣٤٥٦", "-12345", "+12345"] {
            assert_eq!(seed.verify(bad, now, 0), None, "{bad:?}");
        }
        let spaced = format!("{} {}", &good[..3], &good[3..]);
        assert_eq!(seed.verify(&spaced, now, 0), Some(step_at(now)), "a space as apps show it is fine");
    }

    #[test]
    fn seeds_are_160_bits_and_round_trip_through_base32() {
        let seed = TotpSeed::generate().expect("random");
        assert_eq!(seed.expose_secret().len(), SEED_LEN);
        assert_ne!(seed.expose_secret(), TotpSeed::generate().expect("random").expose_secret());
        let text = BASE32_NOPAD.encode(seed.expose_secret()).to_lowercase();
        let back = TotpSeed::from_base32(&text).expect("base32");
        assert_eq!(back.expose_secret(), seed.expose_secret());
        assert!(TotpSeed::from_base32("not base32!").is_err());
        assert!(TotpSeed::from_bytes(vec![1; 10]).is_err());
        assert!(TotpSeed::from_bytes(vec![1; 65]).is_err());
    }

    #[test]
    fn the_uri_names_every_parameter_and_encodes_the_label() {
        let seed = rfc_seed();
        let uri = seed.otpauth_uri("coffre", "Élodie B");
        let back = TotpSeed::from_otpauth_uri(uri.expose_secret()).expect("parses");
        assert_eq!(back.expose_secret(), seed.expose_secret());
        assert!(TotpSeed::from_otpauth_uri("https://example.org/?secret=GEZDGNBV").is_err());
        assert!(TotpSeed::from_otpauth_uri("otpauth://totp/x?issuer=y").is_err());
        assert_eq!(
            uri.expose_secret(),
            "otpauth://totp/coffre:%C3%89lodie%20B?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=coffre\
             &algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn platform_seeds_accept_80_bits_and_give_the_current_code_and_its_time_left() {
        // GitHub-style 16-character seed: 80 bits, refused for people's own second factor, fine for a platform's.
        let short = "JBSW Y3DP EHPK 3PXP";
        assert!(TotpSeed::from_base32(short).is_err());
        let seed = TotpSeed::from_platform_base32(short).expect("80 bits");
        assert_eq!(seed.expose_secret(), b"Hello!\xde\xad\xbe\xef");
        let (code, left) = seed.current_code(59);
        assert_eq!((code.expose_secret(), left), (seed.code_at(59).as_str(), 1));
        assert_eq!(seed.current_code(60).1, 30);
        let rfc = TotpSeed::from_platform_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").expect("RFC seed");
        assert_eq!(rfc.current_code(1_111_111_109).0.expose_secret(), "081804");
        for bad in ["", "JBSWY3DP", "not base32!", "18181818181818181818", &"A".repeat(104)] {
            let err = TotpSeed::from_platform_base32(bad).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains("TOTP seed must be"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn steps_start_at_the_epoch() {
        assert_eq!(step_at(0), 0);
        assert_eq!(step_at(29), 0);
        assert_eq!(step_at(30), 1);
        assert_eq!(step_at(-5), 0);
    }
}
