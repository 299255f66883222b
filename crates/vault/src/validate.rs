//! Bounds on every string and secret the engine accepts (documented in proto/coffre/v1/common.proto).

use crate::{Error, Result};

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
pub(crate) fn name(field: &'static str, value: &str) -> Result<String> {
    use unicode_normalization::UnicodeNormalization;
    let value: String = value.trim().nfc().collect();
    let value = value.as_str();
    if value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    let chars = value.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(Error::invalid(field, format!("is {chars} characters long; at most {MAX_NAME_CHARS} allowed")));
    }
    no_control(field, value)?;
    Ok(value.to_string())
}

/// Free text of at most `max` characters (may be empty), no control characters.
pub(crate) fn text(field: &'static str, value: &str, max: usize) -> Result<String> {
    let chars = value.chars().count();
    if chars > max {
        return Err(Error::invalid(field, format!("is {chars} characters long; at most {max} allowed")));
    }
    no_control(field, value)?;
    Ok(value.to_string())
}

/// A list of at most 16 items, each checked as text of at most `max_chars` (non-empty).
pub(crate) fn list(field: &'static str, values: &[String], max_chars: usize) -> Result<Vec<String>> {
    if values.len() > MAX_LIST_ITEMS {
        return Err(Error::invalid(field, format!("has {} items; at most {MAX_LIST_ITEMS} allowed", values.len())));
    }
    values
        .iter()
        .map(|v| {
            let v = text(field, v.trim(), max_chars)?;
            if v.is_empty() { Err(Error::invalid(field, "items must not be empty")) } else { Ok(v) }
        })
        .collect()
}

/// An id or an unambiguous prefix of one, as people copy it from a listing: 8 to 32 hex characters, any case,
/// returned in lower case. `shown` says where the id is shown, e.g. "`coffre grant list` shows".
pub(crate) fn id_prefix(field: &'static str, value: &str, shown: &str) -> Result<String> {
    let prefix = value.trim().to_lowercase();
    if !(8..=32).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid(field, format!("must be 8 to 32 hexadecimal characters, as {shown}")));
    }
    Ok(prefix)
}

/// A reveal reason: required, 1..=512 characters.
pub(crate) fn reason(value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid("reason", "is required: say why you need this secret"));
    }
    text("reason", value, MAX_REASON_CHARS)
}

/// A grant's task: required, 1..=512 characters.
pub(crate) fn task(value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid("task", "is required: say what the access is for"));
    }
    text("task", value, MAX_REASON_CHARS)
}

/// A required statement of 1..=512 characters (a compromise report, a request's reason); `hint` says what to write.
pub(crate) fn statement(field: &'static str, value: &str, hint: &'static str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, format!("is required: {hint}")));
    }
    text(field, value, MAX_REASON_CHARS)
}

/// Secret bytes: length bounds only (the value is never echoed).
pub(crate) fn secret(field: &'static str, value: &[u8], required: bool, max: usize) -> Result<()> {
    if required && value.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if value.len() > max {
        return Err(Error::invalid(field, format!("is {} bytes long; at most {max} allowed", value.len())));
    }
    Ok(())
}

/// The seed of a platform account's second factor: empty (none), or base32 text of 80 to 512 bits, as the
/// platform shows it for authenticator apps. Never echoed.
pub(crate) fn totp_seed(value: &[u8]) -> Result<()> {
    secret("TOTP seed", value, false, MAX_TOTP_SEED_BYTES)?;
    if value.is_empty() {
        return Ok(());
    }
    let text = std::str::from_utf8(value)
        .map_err(|_| Error::invalid("TOTP seed", "must be base32 text, as the platform shows it for an app"))?;
    coffre_crypto::totp::TotpSeed::from_platform_base32(text).map(drop).map_err(|err| {
        Error::invalid("TOTP seed", format!("{err}; copy the key the platform shows under \"enter this key manually\""))
    })
}

fn no_control(field: &'static str, value: &str) -> Result<()> {
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "must not contain control characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("platform", "  Facebook ").ok().as_deref(), Some("Facebook"));
        assert!(name("platform", "   ").is_err());
        assert!(name("platform", &"é".repeat(64)).is_ok());
        assert!(name("platform", &"é".repeat(65)).is_err());
        assert!(name("platform", "a\u{0}b").is_err());
        assert!(name("platform", "a\nb").is_err());
        assert_eq!(name("name", " E\u{301}lise ").ok().as_deref(), Some("\u{c9}lise"), "NFC");
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
        assert!(list("tags", &vec!["a".to_string(); 17], 32).is_err());
        assert!(list("tags", &["".to_string()], 32).is_err());
        assert!(list("tags", &["x".repeat(33)], 32).is_err());
        assert_eq!(list("tags", &[" comms ".to_string()], 32).ok(), Some(vec!["comms".to_string()]));
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
        let err = secret("password", &[b'x'; 1025], true, MAX_PASSWORD_BYTES).err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("invalid password: is 1025 bytes long; at most 1024 allowed"));
        assert!(secret("password", b"", true, MAX_PASSWORD_BYTES).is_err());
        assert!(secret("notes", b"", false, MAX_NOTES_BYTES).is_ok());
    }
}
