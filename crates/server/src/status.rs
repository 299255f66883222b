//! Errors to gRPC statuses, in one place.
//!
//! [`vault_status`] decides the code and the message a client sees for every engine error. The engine's messages
//! are safe to show by design (no secret, no value of a secret field), except that an internal fault may describe
//! the daemon's storage: its detail goes to the log and the client gets a generic message.
//!
//! [`remap_undecodable`] fixes what tonic answers for requests that do not decode: INTERNAL for invalid UTF-8 or
//! malformed protobuf (the request's fault, so INVALID_ARGUMENT), OUT_OF_RANGE for an oversized message
//! (RESOURCE_EXHAUSTED, as gRPC's status-code guide says for a message larger than the server accepts).

use coffre_vault::ErrorKind;

use crate::refusals::Refusal;
use tonic::{
    Code, Status,
    body::Body,
    codegen::http,
    metadata::{Binary, MetadataKey, MetadataValue},
};

/// The message a client gets for an internal fault; the detail is in the daemon's log.
pub(crate) const INTERNAL_MESSAGE: &str = "internal error; see the daemon's log";

/// The status a client gets for an engine error.
///
/// (A `From<coffre_vault::Error> for tonic::Status` is not possible here: both types are foreign to this crate.)
pub(crate) fn vault_status(err: coffre_vault::Error) -> Status {
    let code = match err.kind() {
        ErrorKind::FailedPrecondition => Code::FailedPrecondition,
        ErrorKind::Unauthenticated => Code::Unauthenticated,
        ErrorKind::PermissionDenied => Code::PermissionDenied,
        ErrorKind::InvalidArgument => Code::InvalidArgument,
        ErrorKind::NotFound => Code::NotFound,
        ErrorKind::AlreadyExists => Code::AlreadyExists,
        ErrorKind::ResourceExhausted => Code::ResourceExhausted,
        ErrorKind::Unavailable => Code::Unavailable,
        ErrorKind::Internal => {
            tracing::error!(error = %err, "internal error");
            let mut status = Status::internal(INTERNAL_MESSAGE);
            status.metadata_mut().insert(ERROR_CODE, MetadataValue::from_static("internal"));
            return status;
        }
    };
    let mut status = Status::new(code, err.to_string());
    with_error_code(&mut status, &err);
    status
}

/// Metadata of a refusal: the engine's stable error code (`Error::code`), e.g. `denied`.
pub(crate) const ERROR_CODE: &str = "coffre-error";
/// Metadata of a refusal that names its reason: the reason's stable code (`coffre_vault::reasons`).
pub(crate) const ERROR_REASON: &str = "coffre-reason";
/// Metadata of an invalid value: the field's stable code (`coffre_vault::problems::FIELDS`).
pub(crate) const ERROR_FIELD: &str = "coffre-field";
/// Metadata of an invalid value: the problem's stable code (`coffre_vault::Problem::code`).
pub(crate) const ERROR_PROBLEM: &str = "coffre-problem";
/// Prefix of the metadata that carry the message's arguments, one binary (UTF-8) value each:
/// `coffre-arg-<name>-bin`.
pub(crate) const ERROR_ARGUMENT_PREFIX: &str = "coffre-arg-";

/// The engine's refusal `err` in `lang`, from its code, reason, field, problem and arguments through the catalogue,
/// as a client renders a daemon's refusal (the web client and coffred's own commands). `None` for an internal fault
/// (its detail is for the log) or a code the catalogue does not know.
pub(crate) fn engine_message(lang: coffre_i18n::Lang, err: &coffre_vault::Error) -> Option<String> {
    engine_message_with(lang, err, coffre_i18n::refusal)
}

/// [`engine_message`] for a page of the web client: what to do next is said with its pages, not `coffre` commands.
pub(crate) fn web_engine_message(lang: coffre_i18n::Lang, err: &coffre_vault::Error) -> Option<String> {
    engine_message_with(lang, err, coffre_i18n::web_refusal)
}

type Render = fn(coffre_i18n::Lang, &str, Vec<(&str, String)>, coffre_i18n::RefusalCodes<'_>) -> Option<String>;

fn engine_message_with(lang: coffre_i18n::Lang, err: &coffre_vault::Error, render: Render) -> Option<String> {
    if err.kind() == ErrorKind::Internal {
        return None;
    }
    let (field, problem) = match err.invalid_value() {
        Some((field, problem)) => (Some(field.code), Some(problem)),
        None => (None, err.store_problem()),
    };
    let codes = coffre_i18n::RefusalCodes {
        reason: err.reason().map(|reason| reason.code),
        field,
        problem: problem.map(coffre_vault::Problem::code),
    };
    render(lang, err.code(), err.arguments(), codes)
}

/// Adds the error's code, reason and arguments to the status, so that a client renders the message in its reader's
/// language (the status message stays the English text, for older clients and logs). Nothing here is secret: the
/// arguments are the values the English message shows.
fn with_error_code(status: &mut Status, err: &coffre_vault::Error) {
    with_code(status, err.code(), err.arguments());
    let metadata = status.metadata_mut();
    if let Some(reason) = err.reason() {
        metadata.insert(ERROR_REASON, MetadataValue::from_static(reason.code));
    }
    if let Some((field, problem)) = err.invalid_value() {
        metadata.insert(ERROR_FIELD, MetadataValue::from_static(field.code));
        metadata.insert(ERROR_PROBLEM, MetadataValue::from_static(problem.code()));
    }
    if let Some(problem) = err.store_problem() {
        metadata.insert(ERROR_PROBLEM, MetadataValue::from_static(problem.code()));
    }
}

/// Adds a refusal's stable code and its arguments to the status (the engine's, or coffred's own
/// [`crate::refusals::Refusal`]).
pub(crate) fn with_code(status: &mut Status, code: &'static str, arguments: Vec<(&'static str, String)>) {
    let metadata = status.metadata_mut();
    metadata.insert(ERROR_CODE, MetadataValue::from_static(code));
    for (name, value) in arguments {
        // Argument names are lower-case identifiers of this code base, so the key is always valid.
        if let Ok(key) = MetadataKey::<Binary>::from_bytes(format!("{ERROR_ARGUMENT_PREFIX}{name}-bin").as_bytes()) {
            metadata.insert_bin(key, MetadataValue::from_bytes(value.as_bytes()));
        }
    }
}

/// The header of a trailers-only response that holds its status code (gRPC over HTTP/2).
const GRPC_STATUS: http::HeaderName = http::HeaderName::from_static("grpc-status");

/// prost's `DecodeError` display starts with this (prost 0.14, src/error.rs).
const PROST_DECODE_PREFIX: &str = "failed to decode Protobuf message: ";
/// tonic's decoder reports an over-long message with this (tonic 0.14, src/codec/decode.rs).
const TONIC_TOO_LARGE_PREFIX: &str = "Error, decoded message length too large: ";

/// Rewrites the status of a response to a request that failed to decode. Installed as a tower layer around every
/// service; leaves every other response untouched.
///
/// tonic decodes the request before the service runs and answers a failure with a trailers-only response, whose
/// status sits in the headers; that is the only place this looks.
pub(crate) fn remap_undecodable(response: http::Response<Body>) -> http::Response<Body> {
    let code = response.headers().get(GRPC_STATUS).map(|v| Code::from_bytes(v.as_bytes()));
    if !matches!(code, Some(Code::Internal | Code::OutOfRange)) {
        return response;
    }
    let Some(status) = Status::from_header_map(response.headers()) else {
        return response;
    };
    match remapped(&status) {
        Some(better) => better.into_http(),
        None => response,
    }
}

fn remapped(status: &Status) -> Option<Status> {
    match status.code() {
        Code::Internal => {
            // The rest names the message and field (never a value): "LoginRequest.name: invalid string value:
            // data is not UTF-8 encoded".
            let detail = status.message().strip_prefix(PROST_DECODE_PREFIX)?;
            Some(Refusal::Undecodable { detail: detail.to_owned() }.into())
        }
        Code::OutOfRange => {
            let detail = status.message().strip_prefix(TONIC_TOO_LARGE_PREFIX)?;
            Some(Refusal::TooLarge { detail: detail.to_owned() }.into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use coffre_vault::{Error, Problem, problems, reasons};

    use super::*;

    #[test]
    fn every_error_kind_maps_to_its_status_code() {
        let table: Vec<(Error, Code)> = vec![
            (Error::Uninitialised, Code::FailedPrecondition),
            (Error::AlreadyInitialised, Code::FailedPrecondition),
            (Error::Sealed, Code::FailedPrecondition),
            (Error::AuditChainBroken { seq: 7, problem: Problem::AuditHashMismatch }, Code::FailedPrecondition),
            (Error::WrongState(reasons::ROTATION_STAGED_ALREADY), Code::FailedPrecondition),
            (Error::NoSession, Code::Unauthenticated),
            (Error::WrongCredentials, Code::Unauthenticated),
            (Error::WrongPassphrase, Code::Unauthenticated),
            (Error::BadEnrolmentCode, Code::Unauthenticated),
            (Error::SharesDoNotOpen, Code::Unauthenticated),
            (Error::BadRecoveryToken, Code::Unauthenticated),
            (Error::Denied(reasons::NO_LIVE_GRANT), Code::PermissionDenied),
            (Error::Invalid { field: problems::PLATFORM, problem: Problem::Empty }, Code::InvalidArgument),
            (Error::NotFound(reasons::NO_ENTRY), Code::NotFound),
            (Error::Exists(reasons::ENTRY_EXISTS), Code::AlreadyExists),
            (Error::Throttled { retry_after_secs: 4 }, Code::ResourceExhausted),
            (Error::AuditUnavailable("disk full".into()), Code::Unavailable),
            (Error::StoreTls("invalid peer certificate: UnknownIssuer".into()), Code::Unavailable),
            (Error::StoreBehind("connection refused".into()), Code::Unavailable),
            (Error::StoreCatchingUp, Code::Unavailable),
            (
                Error::MigrateRefused(coffre_vault::MigrateRefusal::SchemaNotEmpty { place: "schema coffre".into() }),
                Code::FailedPrecondition,
            ),
            (Error::Corrupt("entry 0a1b".into()), Code::Internal),
            (Error::Crypto(coffre_crypto::CryptoError::Open), Code::Internal),
            (Error::Internal("lock poisoned".into()), Code::Internal),
        ];
        for (err, code) in table {
            let display = err.to_string();
            let status = vault_status(err);
            assert_eq!(status.code(), code, "{display}");
            if code == Code::Internal {
                assert_eq!(status.message(), INTERNAL_MESSAGE, "{display} must not reach the client");
            } else {
                assert_eq!(status.message(), display);
            }
        }
    }

    /// Every error a client can get carries its code, and every code and reason has its message in the catalogue, in
    /// both languages, using each argument sent: a French client never falls back to English for the engine's refusals.
    #[test]
    fn every_refusal_carries_a_code_the_catalogue_renders() {
        use coffre_i18n::{Lang, message};
        let errors = vec![
            Error::Uninitialised,
            Error::AlreadyInitialised,
            Error::Sealed,
            Error::NoSession,
            Error::WrongCredentials,
            Error::WrongCode,
            Error::WrongPassphrase,
            Error::BadEnrolmentCode,
            Error::SharesDoNotOpen,
            Error::BadRecoveryToken,
            Error::Denied(reasons::NO_LIVE_GRANT),
            Error::Invalid { field: problems::PLATFORM, problem: Problem::Empty },
            Error::NotFound(reasons::NO_ENTRY),
            Error::Exists(reasons::ENTRY_EXISTS),
            Error::WrongState(reasons::ROTATION_STAGED_ALREADY),
            Error::Throttled { retry_after_secs: 4 },
            Error::AuditUnavailable("disk full".into()),
            Error::StoreTls("invalid peer certificate: UnknownIssuer".into()),
            Error::StoreRefused("the database is unavailable (write)".into()),
            Error::StoreBehind("the database is unavailable (write)".into()),
            Error::StoreRolledBack {
                place: "PostgreSQL 127.0.0.1:5432, schema coffre".into(),
                copy_ends: 40,
                took: 52,
            },
            Error::StoreCatchingUp,
            Error::MigrateRefused(coffre_vault::MigrateRefusal::NoSledStore { path: "/srv/coffre/db".into() }),
            Error::MigrateRefused(coffre_vault::MigrateRefusal::SchemaNotEmpty { place: "schema coffre".into() }),
            Error::MigrateRefused(coffre_vault::MigrateRefusal::CopyDiffers {
                place: "schema coffre".into(),
                record: 41,
            }),
            Error::StoreUnavailable("connection refused".into()),
            Error::AuditChainBroken { seq: 7, problem: Problem::AuditHashMismatch },
            Error::AuditDamaged { file: "audit-0".into(), offset: 12, last_good: 3, problem: Problem::AuditBadFrame },
            Error::HeaderChanged,
            Error::Internal("lock poisoned".into()),
        ];
        for err in errors {
            let code = err.code();
            let reason = err.reason();
            let arguments = err.arguments();
            let status = vault_status(err);
            assert_eq!(status.metadata().get(ERROR_CODE).and_then(|v| v.to_str().ok()), Some(code));
            assert_eq!(status.metadata().get(ERROR_REASON).and_then(|v| v.to_str().ok()), reason.map(|r| r.code));
            for (name, value) in &arguments {
                let key = format!("{ERROR_ARGUMENT_PREFIX}{name}-bin");
                let sent = status.metadata().get_bin(key.as_str()).and_then(|v| v.to_bytes().ok());
                assert_eq!(sent.as_deref(), Some(value.as_bytes()), "{code}: {name}");
            }
            let mut args = arguments.clone();
            if reason.is_some() {
                args.push(("reason", "REASON".to_owned()));
            }
            for lang in Lang::ALL {
                let text = message(lang, &format!("daemon-{code}"), &args);
                let text = text.unwrap_or_else(|| panic!("no message daemon-{code}"));
                assert!(!text.contains('{'), "{lang:?} daemon-{code}: an argument is missing: {text}");
                for (name, value) in &args {
                    assert!(text.contains(value.as_str()), "{lang:?} daemon-{code} does not show {name}: {text}");
                }
            }
        }
        for reason in reasons::ALL {
            for lang in Lang::ALL {
                let text = message(lang, &format!("daemon-reason-{}", reason.code), &[]);
                assert!(text.is_some(), "no message daemon-reason-{}", reason.code);
            }
            // The English catalogue says what the engine says.
            assert_eq!(message(Lang::En, &format!("daemon-reason-{}", reason.code), &[]).as_deref(), Some(reason.text));
        }
    }

    /// Every invalid value's field and problem travel as codes, and render in both languages with each argument
    /// shown: the English exactly as the engine says it, the French without falling back to English.
    #[test]
    fn every_invalid_value_carries_codes_the_catalogue_renders() {
        use coffre_i18n::{Lang, message};
        for field in problems::FIELDS {
            for lang in Lang::ALL {
                let text = message(lang, &format!("daemon-field-{}", field.code), &[]);
                assert!(text.is_some(), "no message daemon-field-{}", field.code);
            }
            assert_eq!(message(Lang::En, &format!("daemon-field-{}", field.code), &[]).as_deref(), Some(field.text));
        }
        for problem in Problem::examples() {
            let err = Error::Invalid { field: problems::TOTP_SEED, problem: problem.clone() };
            let english = err.to_string();
            let code = problem.code();
            let status = vault_status(err);
            let metadata = status.metadata();
            assert_eq!(metadata.get(ERROR_FIELD).and_then(|v| v.to_str().ok()), Some("totp-seed"));
            assert_eq!(metadata.get(ERROR_PROBLEM).and_then(|v| v.to_str().ok()), Some(code));
            let arguments = problem.arguments();
            for (name, value) in &arguments {
                let key = format!("{ERROR_ARGUMENT_PREFIX}{name}-bin");
                let sent = metadata.get_bin(key.as_str()).and_then(|v| v.to_bytes().ok());
                assert_eq!(sent.as_deref(), Some(value.as_bytes()), "{code}: {name}");
            }
            for lang in Lang::ALL {
                let id = format!("daemon-problem-{code}");
                let text = message(lang, &id, &arguments).unwrap_or_else(|| panic!("no message {id}"));
                assert!(!text.contains('{'), "{lang:?} {id}: an argument is missing: {text}");
                for (name, value) in &arguments {
                    assert!(text.contains(value.as_str()), "{lang:?} {id} does not show {name}: {text}");
                }
                if lang == Lang::En {
                    assert_eq!(text, problem.to_string(), "the English catalogue says what the engine says");
                    let field = message(lang, "daemon-field-totp-seed", &[]).unwrap_or_default();
                    let whole = message(lang, "daemon-invalid", &[("field", field), ("problem", text)]);
                    assert_eq!(whole.as_deref(), Some(english.as_str()));
                }
            }
        }
    }

    /// A damaged store's problem travels as a code too, so the president reads the whole refusal at unseal in
    /// French, not an English sentence inside a French one.
    #[test]
    fn a_damaged_stores_problem_carries_a_code_the_catalogue_renders() {
        use coffre_i18n::{Lang, message};
        let problem = Problem::StoreReadAhead { through: 12, head: 9 };
        let err = Error::StoreDamaged { file: "/srv/coffre/db".into(), problem: problem.clone() };
        let english = err.to_string();
        let status = vault_status(err);
        let metadata = status.metadata();
        assert_eq!(metadata.get(ERROR_PROBLEM).and_then(|v| v.to_str().ok()), Some("store-read-ahead"));
        let arguments = problem.arguments();
        let render = |lang| {
            let problem = message(lang, "daemon-problem-store-read-ahead", &arguments).expect("the problem");
            message(lang, "daemon-store-damaged", &[("file", "/srv/coffre/db".into()), ("problem", problem)])
                .expect("the message")
        };
        assert_eq!(render(Lang::En), english);
        let french = render(Lang::FrCa);
        assert!(french.contains("en avance sur le journal d’audit") && french.contains("12"), "{french}");
        assert!(!french.contains("ahead of"), "{french}");
    }

    /// So does a damaged audit log's, and a broken chain's: the president reads why the vault stays sealed in French.
    #[test]
    fn a_damaged_audit_logs_problem_carries_a_code_the_catalogue_renders() {
        use coffre_i18n::{Lang, message};
        let witness = "/srv/coffre/audit-head".to_string();
        let problem = Problem::AuditEndsBeforeWitness { last_seq: 40, witnessed: 57, witness };
        let file = "/srv/coffre/audit/00000000000000000001.seg".to_string();
        let err = Error::AuditDamaged { file: file.clone(), offset: 812, last_good: 40, problem: problem.clone() };
        let english = err.to_string();
        let arguments = err.arguments();
        let status = vault_status(err);
        assert_eq!(
            status.metadata().get(ERROR_PROBLEM).and_then(|v| v.to_str().ok()),
            Some("audit-ends-before-witness")
        );
        let render = |lang| {
            let rendered = message(lang, "daemon-problem-audit-ends-before-witness", &arguments).expect("the problem");
            let mut args = arguments.clone();
            args.retain(|(name, _)| *name != "problem");
            args.push(("problem", rendered));
            message(lang, "daemon-audit-damaged", &args).expect("the message")
        };
        assert_eq!(render(Lang::En), english);
        let french = render(Lang::FrCa);
        assert!(french.contains("le journal s’arrête à l’événement 40") && french.contains(&file), "{french}");
        assert!(!french.contains("the log ends"), "{french}");

        let broken = vault_status(Error::AuditChainBroken { seq: 7, problem: Problem::AuditHashMismatch });
        assert_eq!(broken.metadata().get(ERROR_PROBLEM).and_then(|v| v.to_str().ok()), Some("audit-hash-mismatch"));
    }

    #[test]
    fn the_sealed_message_says_what_to_do_for_anyone_who_reads_it() {
        // Members and access managers read it too, and cannot unseal: it names who can.
        let status = vault_status(Error::Sealed);
        assert_eq!(
            status.message(),
            "vault is sealed: ask the president or the leader to unseal it (an owner runs `coffre unseal`)"
        );
        // A broken log is reported at export too, while unsealed: the message must not claim the vault is sealed.
        let broken = vault_status(Error::AuditChainBroken { seq: 7, problem: Problem::AuditHashMismatch });
        assert!(!broken.message().contains("stays sealed"), "{}", broken.message());
    }

    fn response(status: Status) -> http::Response<Body> {
        status.into_http()
    }

    fn status_of(response: &http::Response<Body>) -> Status {
        Status::from_header_map(response.headers()).expect("a trailers-only status")
    }

    #[test]
    fn invalid_utf8_becomes_invalid_argument() {
        let tonic_says = Status::internal(
            "failed to decode Protobuf message: GetEntryRequest.platform: invalid string value: data is not UTF-8 \
             encoded",
        );
        let status = status_of(&remap_undecodable(response(tonic_says)));
        assert_eq!(status.code(), Code::InvalidArgument);
        assert_eq!(
            status.message(),
            "invalid request: GetEntryRequest.platform: invalid string value: data is not UTF-8 encoded"
        );
    }

    #[test]
    fn an_oversized_request_becomes_resource_exhausted() {
        let tonic_says = Status::out_of_range(
            "Error, decoded message length too large: found 70000 bytes, the limit is: 65536 bytes",
        );
        let status = status_of(&remap_undecodable(response(tonic_says)));
        assert_eq!(status.code(), Code::ResourceExhausted);
        assert_eq!(status.message(), "request too large: found 70000 bytes, the limit is: 65536 bytes");
    }

    #[test]
    fn other_statuses_pass_through() {
        for original in [
            Status::internal(INTERNAL_MESSAGE),
            Status::out_of_range("version 9 does not exist"),
            Status::not_found("no entry by that name"),
        ] {
            let status = status_of(&remap_undecodable(response(original.clone())));
            assert_eq!((status.code(), status.message()), (original.code(), original.message()));
        }
        let ok = http::Response::new(Body::empty());
        assert!(remap_undecodable(ok).headers().get(GRPC_STATUS).is_none());
    }
}
