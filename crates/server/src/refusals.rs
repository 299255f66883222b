//! The refusals coffred makes itself, before the engine sees a request: a field the wire requires, an enum number
//! the API does not define, a request that does not decode, malformed authorization metadata.
//!
//! Each has a stable code, sent like the engine's (`coffre-error`, see [`crate::status`]), so that a client shows
//! it in its reader's language (`daemon-<code>` in coffre-i18n's catalogue); `Display` is the English message the
//! status carries. Codes start with `request-` or `authorization-`, apart from the engine's. Arguments name wire
//! fields (`share_set`, `new_password`) or repeat what the request held (an enum number), never a secret.

use coffre_crypto::CryptoError;
use tonic::{Code, Status};

/// A request coffred refuses on its own.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Refusal {
    /// A field the request must hold is absent, or UNSPECIFIED.
    #[error("{what} is required")]
    Required { what: String },
    /// An enum number the API does not define.
    #[error("unknown {what} {value}")]
    UnknownValue { what: String, value: String },
    /// A time before the Unix epoch, in a filter.
    #[error("{what} must not be before 1970")]
    Before1970 { what: String },
    /// A grant expiry before the Unix epoch.
    #[error("invalid expiry: before 1970")]
    ExpiryBefore1970,
    /// A passphrase outside the accepted length.
    #[error("passphrase must be between {min} and {max} bytes long")]
    PassphraseLength { min: String, max: String },
    /// A new value sent without saying that it replaces the old one.
    #[error("{field} given without replace_{field}")]
    GivenWithoutReplace { field: String },
    /// A reveal of a staged password that names a version as well.
    #[error("a staged password has no older version: give pending or version")]
    NoOlderVersion,
    /// A share-set threshold beyond any number of holders.
    #[error("invalid threshold: {threshold} is far too large")]
    ThresholdTooLarge { threshold: String },
    /// A recovery holder with neither an age key nor a passphrase.
    #[error("invalid holder: {holder} has neither an age key nor a passphrase")]
    HolderWithoutKey { holder: String },
    /// A rotation with neither a password nor a generator policy.
    #[error("new_password is required: a password, or generate")]
    NewPasswordRequired,
    /// A request that does not decode (invalid UTF-8, malformed protobuf); the detail names the message and field.
    #[error("invalid request: {detail}")]
    Undecodable { detail: String },
    /// A request larger than the daemon accepts.
    #[error("request too large: {detail}")]
    TooLarge { detail: String },
    /// Authorization metadata far longer than any session token.
    #[error("authorization metadata too long: it holds a session token of 43 characters, log in again")]
    AuthorizationTooLong,
    /// Authorization metadata that is not `Bearer <token>`.
    #[error("malformed authorization metadata: expected `Bearer <token>`")]
    AuthorizationMalformed,
}

impl Refusal {
    /// The stable code: the client renders `daemon-<code>`.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Refusal::Required { .. } => "request-required",
            Refusal::UnknownValue { .. } => "request-unknown-value",
            Refusal::Before1970 { .. } => "request-before-1970",
            Refusal::ExpiryBefore1970 => "request-expiry-before-1970",
            Refusal::PassphraseLength { .. } => "request-passphrase-length",
            Refusal::GivenWithoutReplace { .. } => "request-given-without-replace",
            Refusal::NoOlderVersion => "request-no-older-version",
            Refusal::ThresholdTooLarge { .. } => "request-threshold-too-large",
            Refusal::HolderWithoutKey { .. } => "request-holder-without-key",
            Refusal::NewPasswordRequired => "request-new-password-required",
            Refusal::Undecodable { .. } => "request-undecodable",
            Refusal::TooLarge { .. } => "request-too-large",
            Refusal::AuthorizationTooLong => "authorization-too-long",
            Refusal::AuthorizationMalformed => "authorization-malformed",
        }
    }

    /// The values the English message shows, by name.
    pub(crate) fn arguments(&self) -> Vec<(&'static str, String)> {
        let one = |name, value: &String| vec![(name, value.clone())];
        match self {
            Refusal::Required { what } | Refusal::Before1970 { what } => one("what", what),
            Refusal::UnknownValue { what, value } => vec![("what", what.clone()), ("value", value.clone())],
            Refusal::PassphraseLength { min, max } => vec![("min", min.clone()), ("max", max.clone())],
            Refusal::GivenWithoutReplace { field } => one("field", field),
            Refusal::ThresholdTooLarge { threshold } => one("threshold", threshold),
            Refusal::HolderWithoutKey { holder } => one("holder", holder),
            Refusal::Undecodable { detail } | Refusal::TooLarge { detail } => one("detail", detail),
            Refusal::ExpiryBefore1970
            | Refusal::NoOlderVersion
            | Refusal::NewPasswordRequired
            | Refusal::AuthorizationTooLong
            | Refusal::AuthorizationMalformed => Vec::new(),
        }
    }

    fn grpc_code(&self) -> Code {
        match self {
            Refusal::TooLarge { .. } => Code::ResourceExhausted,
            Refusal::AuthorizationMalformed => Code::Unauthenticated,
            _ => Code::InvalidArgument,
        }
    }

    /// A passphrase the crypto crate refuses; its only refusal is the length.
    pub(crate) fn passphrase(err: CryptoError) -> Self {
        match err {
            CryptoError::PassphraseLength { min, max } => {
                Refusal::PassphraseLength { min: min.to_string(), max: max.to_string() }
            }
            other => Refusal::Undecodable { detail: other.to_string() },
        }
    }

    /// One of each, for the test that checks every code renders in both languages.
    #[cfg(test)]
    pub(crate) fn examples() -> Vec<Refusal> {
        let text = |s: &str| s.to_owned();
        vec![
            Refusal::Required { what: text("share_set") },
            Refusal::UnknownValue { what: text("category"), value: text("42") },
            Refusal::Before1970 { what: text("since") },
            Refusal::ExpiryBefore1970,
            Refusal::PassphraseLength { min: text("12"), max: text("1024") },
            Refusal::GivenWithoutReplace { field: text("tags") },
            Refusal::NoOlderVersion,
            Refusal::ThresholdTooLarge { threshold: text("300") },
            Refusal::HolderWithoutKey { holder: text("Élise") },
            Refusal::NewPasswordRequired,
            Refusal::Undecodable { detail: text("GetEntryRequest.platform: invalid string value") },
            Refusal::TooLarge { detail: text("found 70000 bytes, the limit is: 65536 bytes") },
            Refusal::AuthorizationTooLong,
            Refusal::AuthorizationMalformed,
        ]
    }
}

impl From<Refusal> for Status {
    fn from(refusal: Refusal) -> Self {
        let mut status = Status::new(refusal.grpc_code(), refusal.to_string());
        crate::status::with_code(&mut status, refusal.code(), refusal.arguments());
        status
    }
}

#[cfg(test)]
mod tests {
    use coffre_i18n::{Lang, message};

    use super::*;
    use crate::status::{ERROR_ARGUMENT_PREFIX, ERROR_CODE};

    /// coffred's own refusals travel with their code and arguments, and render in both languages: the English as
    /// the status says it, the French with every argument and without falling back to English.
    #[test]
    fn every_refusal_of_coffred_carries_a_code_the_catalogue_renders() {
        let mut codes = std::collections::HashSet::new();
        for refusal in Refusal::examples() {
            let (code, arguments, english) = (refusal.code(), refusal.arguments(), refusal.to_string());
            assert!(codes.insert(code), "{code} twice");
            assert!(code.starts_with("request-") || code.starts_with("authorization-"), "{code}");
            let status = Status::from(refusal);
            assert_eq!(status.message(), english);
            assert_eq!(status.metadata().get(ERROR_CODE).and_then(|v| v.to_str().ok()), Some(code));
            for (name, value) in &arguments {
                let key = format!("{ERROR_ARGUMENT_PREFIX}{name}-bin");
                let sent = status.metadata().get_bin(key.as_str()).and_then(|v| v.to_bytes().ok());
                assert_eq!(sent.as_deref(), Some(value.as_bytes()), "{code}: {name}");
            }
            let id = format!("daemon-{code}");
            for lang in Lang::ALL {
                let text = message(lang, &id, &arguments).unwrap_or_else(|| panic!("no message {id}"));
                for (name, value) in &arguments {
                    assert!(text.contains(value.as_str()), "{lang:?} {id} does not show {name}: {text}");
                }
                if lang == Lang::En {
                    assert_eq!(text, english);
                } else {
                    assert_ne!(text, english, "{id} is English in {lang:?}");
                }
            }
        }
    }
}
