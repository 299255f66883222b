//! The error every command returns, and the exit code each kind of error gives (see EXIT_CODES.md).
//!
//! A [`Failure`] carries the one sentence a person reads: what went wrong and, when the client knows better than
//! the daemon, what to do next. The daemon's own messages are safe to show and already say what to do next, so a
//! gRPC status keeps its message and only its code is translated here.

use std::{error::Error, fmt};

use tonic::Code;

/// What kind of failure this is; decides the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Anything else (exit code 1).
    Other,
    /// The command line does not make sense (exit code 2, as clap's own usage errors).
    Usage,
    /// The vault is sealed, uninitialised or in the wrong state: FAILED_PRECONDITION (3).
    State,
    /// Not logged in, session expired or wrong credentials: UNAUTHENTICATED (4).
    Auth,
    /// PERMISSION_DENIED (5).
    Permission,
    /// NOT_FOUND (6).
    NotFound,
    /// ALREADY_EXISTS (7).
    AlreadyExists,
    /// INVALID_ARGUMENT, or a value refused before anything was sent (8).
    Invalid,
    /// The daemon cannot be reached, TLS failed, or its audit log is not durable: UNAVAILABLE (9).
    Unavailable,
    /// Too many attempts or too large: RESOURCE_EXHAUSTED (10).
    Exhausted,
    /// The daemon failed internally: INTERNAL (11).
    Internal,
    /// An audit export does not verify: it was changed, cut, or is not of this vault (12).
    Tampered,
}

impl Kind {
    /// The process exit code for this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Other => 1,
            Kind::Usage => 2,
            Kind::State => 3,
            Kind::Auth => 4,
            Kind::Permission => 5,
            Kind::NotFound => 6,
            Kind::AlreadyExists => 7,
            Kind::Invalid => 8,
            Kind::Unavailable => 9,
            Kind::Exhausted => 10,
            Kind::Internal => 11,
            Kind::Tampered => 12,
        }
    }

    /// The kind of a gRPC status code the daemon answered with.
    pub fn from_grpc(code: Code) -> Kind {
        match code {
            Code::FailedPrecondition => Kind::State,
            Code::Unauthenticated => Kind::Auth,
            Code::PermissionDenied => Kind::Permission,
            Code::NotFound => Kind::NotFound,
            Code::AlreadyExists => Kind::AlreadyExists,
            Code::InvalidArgument | Code::OutOfRange => Kind::Invalid,
            Code::Unavailable | Code::DeadlineExceeded => Kind::Unavailable,
            Code::ResourceExhausted => Kind::Exhausted,
            Code::Internal | Code::DataLoss => Kind::Internal,
            Code::Ok | Code::Cancelled | Code::Unknown | Code::Aborted | Code::Unimplemented => Kind::Other,
        }
    }
}

/// Why a command failed: one sentence for the person, a kind for the exit code, and optionally the low-level
/// cause (a transport error, never a secret).
pub struct Failure {
    kind: Kind,
    message: String,
    cause: Option<Cause>,
}

impl Failure {
    /// A failure of `kind` with the sentence `message`.
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Failure { kind, message: message.into(), cause: None }
    }

    /// Attaches the low-level cause, shown once on a second line.
    pub(crate) fn with_cause(mut self, cause: impl Into<String>) -> Self {
        let cause = cause.into();
        if !cause.is_empty() {
            self.cause = Some(Cause(cause));
        }
        self
    }

    /// Adds a suggestion after the sentence, in parentheses ("… (did you mean "Facebook"?)").
    pub(crate) fn with_suggestion(mut self, suggestion: &str) -> Self {
        self.message = format!("{} ({suggestion})", self.message);
        self
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Failure::new(Kind::Invalid, message)
    }

    pub(crate) fn other(message: impl Into<String>) -> Self {
        Failure::new(Kind::Other, message)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }

    /// The sentence shown after `error: `.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Failure").field("kind", &self.kind).field("message", &self.message).finish()
    }
}

impl Error for Failure {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.cause.as_ref().map(|cause| cause as &(dyn Error + 'static))
    }
}

/// The low-level cause of a failure, already reduced to text.
#[derive(Debug)]
struct Cause(String);

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for Cause {}

/// An I/O error in words for people: "no such file", "permission denied", else the system's own text.
pub(crate) fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => coffre_i18n::t!("io-not-found"),
        std::io::ErrorKind::PermissionDenied => coffre_i18n::t!("io-permission-denied"),
        std::io::ErrorKind::IsADirectory => coffre_i18n::t!("io-is-a-directory"),
        _ => err.to_string(),
    }
}

/// Text of an error and its sources, each once, joined by ": ". Layers that repeat their source's text (tonic's
/// `ConnectError` does) or say nothing ("transport error") are skipped. `io::Error` hides its inner error from
/// `source()`, so it is looked into with `get_ref()`.
pub(crate) fn chain_text(err: &(dyn Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if text != "transport error" && parts.last() != Some(&text) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

/// The first error of type `T` in `err`'s chain, looking inside `io::Error`s too.
pub(crate) fn find_in_chain<'a, T: Error + 'static>(err: &'a (dyn Error + 'static)) -> Option<&'a T> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        if let Some(inner) = e.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            let inner: &(dyn Error + 'static) = inner;
            if let Some(found) = find_in_chain::<T>(inner) {
                return Some(found);
            }
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented table (EXIT_CODES.md); a change here is a change of the interface.
    #[test]
    fn grpc_codes_map_to_the_documented_exit_codes() {
        let table = [
            (Code::FailedPrecondition, 3),
            (Code::Unauthenticated, 4),
            (Code::PermissionDenied, 5),
            (Code::NotFound, 6),
            (Code::AlreadyExists, 7),
            (Code::InvalidArgument, 8),
            (Code::Unavailable, 9),
            (Code::ResourceExhausted, 10),
            (Code::Internal, 11),
            (Code::Unknown, 1),
            (Code::Unimplemented, 1),
        ];
        for (code, exit) in table {
            assert_eq!(Kind::from_grpc(code).exit_code(), exit, "{code:?}");
        }
    }

    #[test]
    fn every_kind_has_a_distinct_exit_code() {
        let kinds = [
            Kind::Other,
            Kind::Usage,
            Kind::State,
            Kind::Auth,
            Kind::Permission,
            Kind::NotFound,
            Kind::AlreadyExists,
            Kind::Invalid,
            Kind::Unavailable,
            Kind::Exhausted,
            Kind::Internal,
            Kind::Tampered,
        ];
        let codes: Vec<u8> = kinds.iter().map(|k| k.exit_code()).collect();
        assert_eq!(codes, (1..=12).collect::<Vec<u8>>());
    }

    #[test]
    fn chain_text_skips_repeats_and_finds_errors_inside_io_errors() {
        let inner = std::io::Error::new(std::io::ErrorKind::InvalidData, Failure::other("bad certificate"));
        let outer = Failure::other("handshake failed").with_cause(chain_text(&inner));
        assert_eq!(chain_text(&outer), "handshake failed: bad certificate");
        let found = find_in_chain::<Failure>(&inner).map(Failure::message);
        assert_eq!(found, Some("bad certificate"));
    }
}
