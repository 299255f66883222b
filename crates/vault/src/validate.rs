//! Bounds on every string and secret the engine accepts (documented in proto/coffre/v1/common.proto).

use crate::{
    Error, Result,
    problems::{self, Field, Problem},
};

/// Most characters in a person's or a platform's name.
pub(crate) const MAX_NAME_CHARS: usize = 64;
/// Most characters in a login, URL, or recovery contact.
pub(crate) const MAX_TEXT_CHARS: usize = 512;
/// Most characters in a reveal reason.
pub(crate) const MAX_REASON_CHARS: usize = 512;
/// Most recovery contacts or tags.
pub(crate) const MAX_LIST_ITEMS: usize = 16;
/// Most characters in one tag.
pub(crate) const MAX_TAG_CHARS: usize = 32;
/// Most bytes in a password.
pub(crate) const MAX_PASSWORD_BYTES: usize = 1024;
/// Most bytes in a TOTP seed.
pub(crate) const MAX_TOTP_SEED_BYTES: usize = 256;
/// Most bytes in notes.
pub(crate) const MAX_NOTES_BYTES: usize = 16 * 1024;

/// A name: trimmed, in NFC, 1..=64 characters, no control characters. Returns the trimmed name in NFC, so that a
/// name typed with combining accents is stored and shown like one typed with precomposed letters (lookups compare a
/// further normalised form, see `coffre_crypto::index::normalise_name`).
pub(crate) fn name(field: Field, value: &str) -> Result<String> {
    use unicode_normalization::UnicodeNormalization;
    let value: String = value.trim().nfc().collect();
    let value = value.as_str();
    if value.is_empty() {
        return Err(Error::invalid(field, Problem::Empty));
    }
    let chars = value.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(Error::invalid(field, Problem::TooManyChars { chars: count(chars), max: count(MAX_NAME_CHARS) }));
    }
    no_control(field, value)?;
    Ok(value.to_string())
}

/// Free text of at most `max` characters (may be empty), no control characters.
pub(crate) fn text(field: Field, value: &str, max: usize) -> Result<String> {
    let chars = value.chars().count();
    if chars > max {
        return Err(Error::invalid(field, Problem::TooManyChars { chars: count(chars), max: count(max) }));
    }
    no_control(field, value)?;
    Ok(value.to_string())
}

/// A list of at most 16 items, each checked as text of at most `max_chars` (non-empty).
pub(crate) fn list(field: Field, values: &[String], max_chars: usize) -> Result<Vec<String>> {
    if values.len() > MAX_LIST_ITEMS {
        return Err(Error::invalid(
            field,
            Problem::TooManyItems { items: count(values.len()), max: count(MAX_LIST_ITEMS) },
        ));
    }
    values
        .iter()
        .map(|v| {
            let v = text(field, v.trim(), max_chars)?;
            if v.is_empty() { Err(Error::invalid(field, Problem::EmptyItem)) } else { Ok(v) }
        })
        .collect()
}

/// An id or an unambiguous prefix of one, as people copy it from a listing: 8 to 32 hex characters, any case,
/// returned in lower case. `wrong` says where the id is shown, e.g. [`Problem::NotAnId`] with `coffre grant list`.
pub(crate) fn id_prefix(field: Field, value: &str, wrong: Problem) -> Result<String> {
    let prefix = value.trim().to_lowercase();
    if !(8..=32).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid(field, wrong));
    }
    Ok(prefix)
}

/// A reveal reason: required, 1..=512 characters.
pub(crate) fn reason(value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(problems::REASON, Problem::ReasonRequired));
    }
    text(problems::REASON, value, MAX_REASON_CHARS)
}

/// A grant's task: required, 1..=512 characters.
pub(crate) fn task(value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(problems::TASK, Problem::TaskRequired));
    }
    text(problems::TASK, value, MAX_REASON_CHARS)
}

/// A required statement of 1..=512 characters (a compromise report, a request's reason); `missing` says what to
/// write.
pub(crate) fn statement(field: Field, value: &str, missing: Problem) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, missing));
    }
    text(field, value, MAX_REASON_CHARS)
}

/// Secret bytes: length bounds only (the value is never echoed).
pub(crate) fn secret(field: Field, value: &[u8], required: bool, max: usize) -> Result<()> {
    if required && value.is_empty() {
        return Err(Error::invalid(field, Problem::Empty));
    }
    if value.len() > max {
        return Err(Error::invalid(field, Problem::TooManyBytes { bytes: count(value.len()), max: count(max) }));
    }
    Ok(())
}

/// The seed of a platform account's second factor: empty (none), or base32 text of 80 to 512 bits, as the
/// platform shows it for authenticator apps. Never echoed.
pub(crate) fn totp_seed(value: &[u8]) -> Result<()> {
    secret(problems::TOTP_SEED, value, false, MAX_TOTP_SEED_BYTES)?;
    if value.is_empty() {
        return Ok(());
    }
    let text = std::str::from_utf8(value).map_err(|_| Error::invalid(problems::TOTP_SEED, Problem::TotpSeedNotText))?;
    // The crypto crate's message says which bound failed; the problem's text names both.
    coffre_crypto::totp::TotpSeed::from_platform_base32(text)
        .map(drop)
        .map_err(|_| Error::invalid(problems::TOTP_SEED, Problem::TotpSeedInvalid))
}

/// A count or a size as a problem's argument.
pub(crate) fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Refuses control characters, and the bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066
/// to U+2069): a name with "\u{202E}" shows its letters in reverse, so that what a person reads (in the web client,
/// a list, the audit log) is not what is stored ("Trojan Source"). Right-to-left letters themselves are taken.
fn no_control(field: Field, value: &str) -> Result<()> {
    if value.chars().any(|c| c.is_control() || coffre_crypto::index::reorders_text(c)) {
        return Err(Error::invalid(field, Problem::ControlCharacters));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name(problems::PLATFORM, "  Facebook ").ok().as_deref(), Some("Facebook"));
        assert!(name(problems::PLATFORM, "   ").is_err());
        assert!(name(problems::PLATFORM, &"é".repeat(64)).is_ok());
        assert!(name(problems::PLATFORM, &"é".repeat(65)).is_err());
        assert!(name(problems::PLATFORM, "a\u{0}b").is_err());
        assert!(name(problems::PLATFORM, "a\nb").is_err());
        assert!(name(problems::PLATFORM, "Face\u{202E}koob").is_err(), "an override that shows letters reversed");
        assert!(text(problems::NOTES, "\u{2067}isolate\u{2069}", 100).is_err(), "an isolate");
        assert!(name(problems::PLATFORM, "\u{5e9}\u{5dc}\u{5d5}\u{5dd}").is_ok(), "right-to-left letters are taken");
        assert_eq!(name(problems::NAME, " E\u{301}lise ").ok().as_deref(), Some("\u{c9}lise"), "NFC");
    }

    #[test]
    fn reasons_are_required_and_bounded() {
        assert!(reason("").is_err());
        assert!(reason(" \t").is_err());
        assert!(reason("weekly post").is_ok());
        assert!(reason(&"x".repeat(513)).is_err());
    }

    #[test]
    fn lists_are_bounded_in_length_and_items() {
        assert!(list(problems::TAG, &vec!["a".to_string(); 17], 32).is_err());
        assert!(list(problems::TAG, &["".to_string()], 32).is_err());
        assert!(list(problems::TAG, &["x".repeat(33)], 32).is_err());
        assert_eq!(list(problems::TAG, &[" comms ".to_string()], 32).ok(), Some(vec!["comms".to_string()]));
    }

    #[test]
    fn totp_seeds_must_be_base32_of_80_bits_at_least() {
        assert!(totp_seed(b"").is_ok(), "no seed");
        assert!(totp_seed(b"JBSW Y3DP EHPK 3PXP").is_ok(), "16 characters, spaced as platforms show them");
        assert!(totp_seed(b"gezdgnbvgy3tqojqgezdgnbvgy3tqojq").is_ok(), "lower case");
        let err = totp_seed(b"hunter2-hunter2").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("invalid TOTP seed: ") && !err.contains("hunter2"), "{err}");
        assert!(totp_seed(b"JBSWY3DP").is_err(), "40 bits");
        assert!(totp_seed(&[0xff, 0xfe]).is_err(), "not text");
    }

    #[test]
    fn secrets_are_bounded_without_echoing_them() {
        let err = secret(problems::PASSWORD, &[b'x'; 1025], true, MAX_PASSWORD_BYTES).err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("invalid password: is 1025 bytes long; at most 1024 allowed"));
        assert!(secret(problems::PASSWORD, b"", true, MAX_PASSWORD_BYTES).is_err());
        assert!(secret(problems::NOTES, b"", false, MAX_NOTES_BYTES).is_ok());
    }
}
