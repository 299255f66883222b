//! The share envelope: one share with what it belongs to, as the holder keeps it (inside an age file).
//!
//! Format `coffre-share/1`: one JSON object on one line, UTF-8, at most [`MAX_ENVELOPE_BYTES`] bytes, with exactly
//! these members in this order (unknown members are refused):
//!
//! ```text
//! {"format":"coffre-share/1","vault":"<32 hex>","share_set":"<32 hex>","x":1,"k":2,"n":2,
//!  "holder":"president","share":"<64 hex>","check":"<16 hex>"}
//! ```
//!
//! - `vault`, `share_set`: the ids of the vault and of the share set (lower-case hex);
//! - `x`: the share's number, 1..=n; `k`: shares needed, 2..=n; `n`: shares issued, at most 16;
//! - `holder`: the holder's label (a person's name or role), 1..=64 characters, no control characters;
//! - `share`: the share's 32 y bytes (secret);
//! - `check`: the first 8 bytes of SHA-256 over `"coffre/share/v1"`, vault id, share-set id, x, k, n, the label's
//!   length (two bytes, big-endian) and bytes, and the share bytes. It catches a share mistyped from paper or
//!   corrupted; it is not a MAC (anyone can recompute it), so a forged share is still caught only by the recovery
//!   slot's AEAD.
//!
//! JSON, not a binary layout, so that a holder who decrypts the file with the reference `age` tool reads what it
//! is. Errors never quote the input: a serde message could echo a share.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{
    keys::{KEY_LEN, VaultId},
    recovery::ShareSetId,
    shamir::{MAX_SHARES, MIN_THRESHOLD, SecretShare},
};

/// The format name written in every envelope.
pub const FORMAT: &str = "coffre-share/1";
/// The largest envelope accepted.
pub const MAX_ENVELOPE_BYTES: usize = 1024;
/// Most characters in a holder's label.
pub const MAX_LABEL_CHARS: usize = 64;

/// What is wrong with an envelope. The messages say what to do; they never quote the input.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// More than [`MAX_ENVELOPE_BYTES`].
    #[error("the share is larger than {MAX_ENVELOPE_BYTES} bytes: it is not a coffre share")]
    TooLarge,
    /// Not JSON of the expected shape (maybe still age-encrypted, or another file).
    #[error("this is not a coffre share (line {line}, column {column}): give the share file as it was issued")]
    NotAnEnvelope {
        /// Where parsing stopped.
        line: usize,
        /// Where parsing stopped.
        column: usize,
    },
    /// A format this version does not know.
    #[error("this share has an unknown format; a newer coffre may read it")]
    UnknownFormat,
    /// A member with a bad value.
    #[error("this share is damaged: {0}")]
    Field(&'static str),
    /// The check digits do not match: the share was mistyped or corrupted.
    #[error("this share is damaged: its check value does not match (mistyped or corrupted)")]
    Checksum,
}

/// A decoded envelope.
#[derive(Debug)]
pub struct ShareEnvelope {
    /// The vault the share belongs to.
    pub vault: VaultId,
    /// The share set it belongs to.
    pub share_set: ShareSetId,
    /// Shares needed.
    pub threshold: u8,
    /// Shares issued.
    pub shares: u8,
    /// The holder's label.
    pub holder: String,
    /// The share (its x is the envelope's x).
    pub share: SecretShare,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    format: String,
    vault: String,
    share_set: String,
    x: u8,
    k: u8,
    n: u8,
    holder: String,
    share: String,
    check: String,
}

impl ShareEnvelope {
    /// Encodes the envelope as one line of JSON, in a buffer wiped on drop.
    pub fn encode(&self) -> Zeroizing<Vec<u8>> {
        let wire = Zeroizing::new(data_encoding::HEXLOWER.encode(self.share.expose_secret()));
        let value = Wire {
            format: FORMAT.to_owned(),
            vault: self.vault.to_hex(),
            share_set: self.share_set.to_hex(),
            x: self.share.x,
            k: self.threshold,
            n: self.shares,
            holder: self.holder.clone(),
            share: wire.to_string(),
            check: data_encoding::HEXLOWER.encode(&self.check()),
        };
        // Plain strings and integers always serialise.
        let encoded = Zeroizing::new(serde_json::to_vec(&value).unwrap_or_default());
        let Wire { share, .. } = value;
        drop(Zeroizing::new(share));
        encoded
    }

    /// Decodes and checks an envelope: size, shape, format, every member's range, and the check value.
    pub fn decode(bytes: &[u8]) -> Result<Self, EnvelopeError> {
        if bytes.len() > MAX_ENVELOPE_BYTES {
            return Err(EnvelopeError::TooLarge);
        }
        let text = bytes.trim_ascii();
        let wire: Wire = serde_json::from_slice(text)
            .map_err(|e| EnvelopeError::NotAnEnvelope { line: e.line(), column: e.column() })?;
        let Wire { format, vault, share_set, x, k, n, holder, share, check } = wire;
        let share = Zeroizing::new(share);
        if format != FORMAT {
            return Err(EnvelopeError::UnknownFormat);
        }
        let vault = VaultId(hex_array(&vault).ok_or(EnvelopeError::Field("the vault id is not 32 hex digits"))?);
        let share_set =
            ShareSetId(hex_array(&share_set).ok_or(EnvelopeError::Field("the share-set id is not 32 hex digits"))?);
        if !(MIN_THRESHOLD..=MAX_SHARES).contains(&n) {
            return Err(EnvelopeError::Field("the number of shares is out of range"));
        }
        if k < MIN_THRESHOLD || k > n {
            return Err(EnvelopeError::Field("the threshold is out of range"));
        }
        if x == 0 || x > n {
            return Err(EnvelopeError::Field("the share number is out of range"));
        }
        let label_chars = holder.chars().count();
        if label_chars == 0
            || label_chars > MAX_LABEL_CHARS
            || holder.chars().any(char::is_control)
            || holder.trim() != holder
        {
            return Err(EnvelopeError::Field("the holder's label is empty, too long or has control characters"));
        }
        let y: Zeroizing<[u8; KEY_LEN]> = Zeroizing::new(
            hex_array(&share).ok_or(EnvelopeError::Field("the share is not 64 hex digits (truncated?)"))?,
        );
        let check: [u8; 8] = hex_array(&check).ok_or(EnvelopeError::Field("the check value is not 16 hex digits"))?;
        let envelope =
            Self { vault, share_set, threshold: k, shares: n, holder, share: SecretShare::new(x, y.to_vec()) };
        if !bool::from(subtle::ConstantTimeEq::ct_eq(&envelope.check()[..], &check[..])) {
            return Err(EnvelopeError::Checksum);
        }
        Ok(envelope)
    }

    fn check(&self) -> [u8; 8] {
        let mut h = Sha256::new();
        h.update(b"coffre/share/v1");
        h.update(self.vault.0);
        h.update(self.share_set.0);
        h.update([self.share.x, self.threshold, self.shares]);
        // At most 64 characters of at most 4 bytes: the length always fits two bytes.
        h.update(u16::try_from(self.holder.len()).unwrap_or(u16::MAX).to_be_bytes());
        h.update(self.holder.as_bytes());
        h.update(self.share.expose_secret());
        let digest = h.finalize();
        let mut out = [0u8; 8];
        out.copy_from_slice(&digest[..8]);
        out
    }
}

/// Lower- or upper-case hex of exactly `N` bytes.
fn hex_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    data_encoding::HEXLOWER_PERMISSIVE.decode_mut(text.as_bytes(), &mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> ShareEnvelope {
        ShareEnvelope {
            vault: VaultId([0xab; 16]),
            share_set: ShareSetId([0xcd; 16]),
            threshold: 2,
            shares: 3,
            holder: "president".into(),
            share: SecretShare::new(2, vec![0x11; KEY_LEN]),
        }
    }

    #[test]
    fn the_layout_is_the_documented_one() {
        let encoded = sample().encode();
        let text = std::str::from_utf8(&encoded).expect("UTF-8");
        assert!(text.starts_with(
            "{\"format\":\"coffre-share/1\",\"vault\":\"abababababababababababababababab\",\"share_set\":\
             \"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd\",\"x\":2,\"k\":2,\"n\":3,\"holder\":\"president\",\"share\":\"1111"
        ));
        assert!(!text.contains('\n'));
    }

    #[test]
    fn round_trip_with_surrounding_white_space() {
        let mut encoded = b"\n  ".to_vec();
        encoded.extend_from_slice(&sample().encode());
        encoded.extend_from_slice(b"\r\n");
        let decoded = ShareEnvelope::decode(&encoded).expect("decodes");
        assert_eq!((decoded.vault, decoded.share_set), (VaultId([0xab; 16]), ShareSetId([0xcd; 16])));
        assert_eq!((decoded.threshold, decoded.shares, decoded.share.x), (2, 3, 2));
        assert_eq!(decoded.holder, "president");
        assert_eq!(decoded.share.expose_secret(), &[0x11; KEY_LEN]);
    }

    fn altered(edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
        let mut value: serde_json::Value = serde_json::from_slice(&sample().encode()).expect("JSON");
        edit(&mut value);
        serde_json::to_vec(&value).expect("JSON")
    }

    #[test]
    fn each_member_out_of_range_gets_its_own_message() {
        let cases: Vec<(Vec<u8>, EnvelopeError)> = vec![
            (altered(|v| v["format"] = "coffre-share/2".into()), EnvelopeError::UnknownFormat),
            (altered(|v| v["x"] = 0.into()), EnvelopeError::Field("the share number is out of range")),
            (altered(|v| v["x"] = 4.into()), EnvelopeError::Field("the share number is out of range")),
            (altered(|v| v["k"] = 1.into()), EnvelopeError::Field("the threshold is out of range")),
            (altered(|v| v["k"] = 4.into()), EnvelopeError::Field("the threshold is out of range")),
            (altered(|v| v["n"] = 17.into()), EnvelopeError::Field("the number of shares is out of range")),
            (altered(|v| v["vault"] = "abab".into()), EnvelopeError::Field("the vault id is not 32 hex digits")),
            (
                altered(|v| v["holder"] = "".into()),
                EnvelopeError::Field("the holder's label is empty, too long or has control characters"),
            ),
            (
                altered(|v| v["share"] = "11".repeat(31).into()),
                EnvelopeError::Field("the share is not 64 hex digits (truncated?)"),
            ),
            (altered(|v| v["share"] = "12".repeat(32).into()), EnvelopeError::Checksum),
            (altered(|v| v["holder"] = "leader".into()), EnvelopeError::Checksum),
        ];
        for (bytes, expected) in cases {
            assert_eq!(ShareEnvelope::decode(&bytes).err(), Some(expected));
        }
    }

    #[test]
    fn unknown_members_and_other_files_are_not_envelopes() {
        let extra = altered(|v| v["extra"] = 1.into());
        assert!(matches!(ShareEnvelope::decode(&extra), Err(EnvelopeError::NotAnEnvelope { .. })));
        let age = b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCg==\n";
        assert!(matches!(ShareEnvelope::decode(age), Err(EnvelopeError::NotAnEnvelope { .. })));
        assert_eq!(ShareEnvelope::decode(&[b' '; MAX_ENVELOPE_BYTES + 1]).err(), Some(EnvelopeError::TooLarge));
    }

    #[test]
    fn errors_never_quote_the_share() {
        let wrong_type = altered(|v| v["x"] = "1111111111111111111111111111111111111111".into());
        let err = ShareEnvelope::decode(&wrong_type).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("this is not a coffre share"), "{err}");
        assert!(!err.contains("1111"), "{err}");
    }
}
