//! The engine's error type. `Display` is the message a person may see: it never holds a secret, and says what to
//! do next where it can. The server maps [`ErrorKind`] to a gRPC status code in one place.

use crate::{
    problems::{Field, Problem},
    reasons::Reason,
};

/// The class of an error; decides the gRPC status code.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ErrorKind {
    /// The vault is sealed or not initialised, or the object is in the wrong state (FAILED_PRECONDITION).
    FailedPrecondition,
    /// No session, or an expired, revoked or unknown one; or wrong credentials (UNAUTHENTICATED).
    Unauthenticated,
    /// Authenticated, but not allowed (PERMISSION_DENIED).
    PermissionDenied,
    /// A bad value in the request (INVALID_ARGUMENT).
    InvalidArgument,
    /// Nothing by that name (NOT_FOUND).
    NotFound,
    /// Something by that name exists already (ALREADY_EXISTS).
    AlreadyExists,
    /// Too many attempts; try later (RESOURCE_EXHAUSTED).
    ResourceExhausted,
    /// The audit log could not be made durable: nothing secret was returned (UNAVAILABLE).
    Unavailable,
    /// A fault of the daemon or its storage (INTERNAL).
    Internal,
}

/// An engine error: a kind and a safe message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The vault has not been initialised.
    #[error("vault is not initialised: run `coffre init`")]
    Uninitialised,
    /// The vault is initialised already.
    #[error("vault is already initialised")]
    AlreadyInitialised,
    /// The vault is sealed.
    #[error("vault is sealed: ask the president or the leader to unseal it (an owner runs `coffre unseal`)")]
    Sealed,
    /// No valid session.
    #[error("not logged in, or the session has expired: run `coffre login NAME`")]
    NoSession,
    /// Login with a name, passphrase or second-factor code that does not match (which one is not said).
    #[error("wrong name, passphrase or code")]
    WrongCredentials,
    /// A second-factor code that does not match, or was used already, where the person is known (enrolment,
    /// passphrase change).
    #[error("wrong or already used code: type the code your authenticator app shows now (check its clock)")]
    WrongCode,
    /// An unseal passphrase that opens no key slot.
    #[error("wrong passphrase: it opens no owner's key slot")]
    WrongPassphrase,
    /// The enrolment code is unknown, used or expired.
    #[error("enrolment code is invalid, already used or expired: ask an owner for a new one")]
    BadEnrolmentCode,
    /// Well-formed recovery shares that together do not open the recovery slot.
    #[error(
        "these shares do not open this vault's recovery slot: one of them is forged or corrupted; the shares \
         submitted were discarded, start again with the holders' share files"
    )]
    SharesDoNotOpen,
    /// The one-time code that finishes a recovery is unknown, used or expired.
    #[error("this recovery was already finished, or its 10 minutes have passed: recover again with k shares")]
    BadRecoveryToken,
    /// The caller's role or grants do not allow this.
    #[error("permission denied: {0}")]
    Denied(Reason),
    /// A request field is invalid.
    #[error("invalid {field}: {problem}")]
    Invalid {
        /// Which field.
        field: Field,
        /// What is wrong with it (never its value if secret).
        problem: Problem,
    },
    /// No such object; the message says what is missing and where to look.
    #[error("{0}")]
    NotFound(Reason),
    /// An object of that name exists already.
    #[error("{0} already exists")]
    Exists(Reason),
    /// The object is not in a state that allows this.
    #[error("{0}")]
    WrongState(Reason),
    /// Too many attempts.
    #[error("too many attempts: try again in {retry_after_secs} s")]
    Throttled {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// The audit event could not be made durable.
    #[error("audit log unavailable, nothing was revealed or changed: {0}; free disk space or check the data directory")]
    AuditUnavailable(String),
    /// The store refused a change the audit log already holds, for another reason than being out of reach (that is
    /// [`Error::StoreBehind`]): the vault seals itself, and the next unseal replays the change from the log.
    #[error(
        "the change is in the audit log but the store refused it ({0}); the vault was sealed: check the store (the \
         data directory's disk, or the database: running and writable), then unseal again, which applies the change \
         from the log; do not make the change again"
    )]
    StoreRefused(String),
    /// The vault's database lost transactions it had committed (an asynchronous standby promoted, a backup restored
    /// under a running coffred): its copy of the audit log ends at `copy_ends`, before `took`, the end of a group
    /// commit with a change that it had taken, so records are missing too. Nothing is answered on it: the vault
    /// seals itself, and the next unseal gives the database back every change it lost, from the log.
    #[error(
        "the vault's database lost changes it had taken ({place}): its copy of the audit log ends at event \
         {copy_ends}, before event {took}, which it had taken (was a standby that was behind promoted, or a backup \
         restored, under a running coffred?); nothing was revealed, and the vault was sealed: an owner's unseal gives \
         the database every change it lost, from the audit log, including any change this request made (do not make \
         it again)"
    )]
    StoreRolledBack {
        /// The database: host, database and schema.
        place: String,
        /// The last event in its copy of the log.
        copy_ends: u64,
        /// The last event of the group commit with a change that it had taken.
        took: u64,
    },
    /// The store stayed out of reach (a database down or read-only) after the audit log took the change, for longer
    /// than the writer applies it again: the change is in the log, coffred gives it to the store again by itself,
    /// and until the store has taken it every request answers [`Error::StoreCatchingUp`] (but an owner's seal).
    #[error(
        "the change is in the audit log, but the vault's database did not take it ({0}); coffred gives it to the \
         database again by itself as soon as it answers, and until then answers every request as unavailable (an \
         owner can still seal the vault). Do not make the change again: once the database answers, check it"
    )]
    StoreBehind(String),
    /// The store lacks a change the audit log holds, which coffred is giving it again ([`Error::StoreBehind`]):
    /// nothing was revealed or changed.
    #[error(
        "the vault's database missed a change that the audit log holds, so nothing was revealed or changed: coffred \
         gives it to the database again by itself; try again in a moment. If this lasts, check that the database is \
         running and writable, or restart coffred (it then waits for an owner's unseal, which applies the change)"
    )]
    StoreCatchingUp,
    /// The store's database is out of reach for now (PostgreSQL stopped, unreachable or read-only): nothing was
    /// revealed or changed.
    #[error(
        "the vault's database is unavailable, nothing was revealed or changed ({0}). coffred reconnects by itself: try \
         again in a moment; if this lasts, check that PostgreSQL is running and reachable from coffred"
    )]
    StoreUnavailable(String),
    /// TLS with the store's database failed (a certificate that does not verify against `[storage] ca_file`, or a
    /// server without TLS): nothing was revealed or changed, and nothing was sent to that server.
    #[error(
        "the vault's database did not pass the TLS check, nothing was revealed or changed: {0}. Check that \
         [storage] ca_file is the CA that signed the database server's certificate, that this certificate names the \
         host of [storage] url, and that the server has ssl = on (docs/ha.md)"
    )]
    StoreTls(String),
    /// `coffred migrate` refused to move the store; nothing was changed in the data directory.
    #[error("{0}")]
    MigrateRefused(crate::MigrateRefusal),
    /// The audit log's chain does not hold: an event was changed, removed or added on disk.
    #[error(
        "the audit log is broken at event {seq}: {problem}; nothing from that event on can be trusted, and a vault \
         with a broken log does not unseal. Keep this data directory for investigation and restore the vault from a \
         backup (see docs/recovery.md)"
    )]
    AuditChainBroken {
        /// The first event that cannot be trusted.
        seq: u64,
        /// What is wrong with it.
        problem: Problem,
    },
    /// A file of the audit log is damaged (not merely torn by a crash): nothing was cut, the vault stays sealed.
    #[error(
        "the audit log is damaged: {file} at byte {offset}: {problem}; the last good event is {last_good}. Nothing \
         was cut and the vault stays sealed: keep this data directory as it is and follow docs/recovery.md \
         (restore a backup, or salvage the log into a new directory)"
    )]
    AuditDamaged {
        /// The damaged file.
        file: String,
        /// Where in it the damage starts.
        offset: u64,
        /// The last event before the damage that reads back whole (0: none).
        last_good: u64,
        /// What is wrong.
        problem: Problem,
    },
    /// The store does not match the audit log, which is the durable record of every change: records were lost,
    /// changed or added on disk, or the store is ahead of the log. Nothing was written; the vault stays sealed.
    #[error(
        "the vault's store is damaged: {file}: {problem}. Nothing was changed and the vault stays sealed: keep this \
         data directory as it is, then rebuild the store from the audit log into a new directory (`coffred \
         rebuild-store`) or restore a backup (see docs/recovery.md)"
    )]
    StoreDamaged {
        /// The store's directory (sled) or database and schema (PostgreSQL).
        file: String,
        /// What is wrong (one of the `Store*` problems).
        problem: Problem,
    },
    /// The seal header does not match the MAC the vault's key made: it was edited on disk.
    #[error(
        "the seal header was changed: it does not carry the MAC this vault's key made over it (key slots, Argon2 \
         parameters or the recovery slot were edited on disk); the vault stays sealed: restore the data directory \
         from a backup (see docs/recovery.md)"
    )]
    HeaderChanged,
    /// A stored record failed to open or decode. Names the record, never its content.
    #[error("stored record {0} is corrupt or was tampered with")]
    Corrupt(String),
    /// The storage backend failed.
    #[error("storage failure: {0}")]
    Storage(coffre_store::StoreError),
    /// A cryptographic failure that is not the caller's fault.
    #[error("cryptographic failure: {0}")]
    Crypto(coffre_crypto::CryptoError),
    /// Anything else that is the daemon's fault.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Uninitialised
            | Error::AlreadyInitialised
            | Error::Sealed
            | Error::WrongState(_)
            | Error::AuditChainBroken { .. }
            | Error::AuditDamaged { .. }
            | Error::StoreDamaged { .. }
            | Error::MigrateRefused(_)
            | Error::HeaderChanged => ErrorKind::FailedPrecondition,
            Error::NoSession
            | Error::WrongCredentials
            | Error::WrongCode
            | Error::WrongPassphrase
            | Error::BadEnrolmentCode
            | Error::SharesDoNotOpen
            | Error::BadRecoveryToken => ErrorKind::Unauthenticated,
            Error::Denied(_) => ErrorKind::PermissionDenied,
            Error::Invalid { .. } => ErrorKind::InvalidArgument,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Exists(_) => ErrorKind::AlreadyExists,
            Error::Throttled { .. } => ErrorKind::ResourceExhausted,
            Error::AuditUnavailable(_)
            | Error::StoreRefused(_)
            | Error::StoreRolledBack { .. }
            | Error::StoreBehind(_)
            | Error::StoreCatchingUp
            | Error::StoreUnavailable(_)
            | Error::StoreTls(_) => ErrorKind::Unavailable,
            Error::Corrupt(_) | Error::Storage(_) | Error::Crypto(_) | Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The stable code of this error, for clients that show it in their reader's language (`daemon-<code>` in
    /// coffre-i18n's catalogue), with [`Error::reason`] and [`Error::arguments`]. Internal faults all share
    /// `internal`: their detail stays in the daemon's log.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Uninitialised => "uninitialised",
            Error::AlreadyInitialised => "already-initialised",
            Error::Sealed => "sealed",
            Error::NoSession => "no-session",
            Error::WrongCredentials => "wrong-credentials",
            Error::WrongCode => "wrong-code",
            Error::WrongPassphrase => "wrong-passphrase",
            Error::BadEnrolmentCode => "bad-enrolment-code",
            Error::SharesDoNotOpen => "shares-do-not-open",
            Error::BadRecoveryToken => "bad-recovery-token",
            Error::Denied(_) => "denied",
            Error::Invalid { .. } => "invalid",
            Error::NotFound(_) => "not-found",
            Error::Exists(_) => "exists",
            Error::WrongState(_) => "wrong-state",
            Error::Throttled { .. } => "throttled",
            Error::AuditUnavailable(_) => "audit-unavailable",
            // Not "audit-unavailable": that message tells the reader nothing was changed, and this change is in
            // the log and will be applied at the next unseal.
            Error::StoreRefused(_) => "store-refused",
            Error::StoreRolledBack { .. } => "store-rolled-back",
            Error::StoreBehind(_) => "store-behind",
            Error::StoreCatchingUp => "store-catching-up",
            Error::StoreUnavailable(_) => "store-unavailable",
            Error::StoreTls(_) => "store-tls",
            Error::AuditChainBroken { .. } => "audit-chain-broken",
            Error::AuditDamaged { .. } => "audit-damaged",
            Error::StoreDamaged { .. } => "store-damaged",
            Error::HeaderChanged => "header-changed",
            Error::MigrateRefused(refusal) => refusal.code(),
            Error::Corrupt(_) | Error::Storage(_) | Error::Crypto(_) | Error::Internal(_) => "internal",
        }
    }

    /// The reason of a refusal that names one ([`Reason`]).
    pub fn reason(&self) -> Option<Reason> {
        match self {
            Error::Denied(reason) | Error::NotFound(reason) | Error::Exists(reason) | Error::WrongState(reason) => {
                Some(*reason)
            }
            _ => None,
        }
    }

    /// The values the message of [`Error::code`] is built from, by name (never a secret: the same values the
    /// English `Display` shows). Internal faults have none. An invalid value has its field and problem in English
    /// (`field`, `problem`), then the problem's own arguments.
    pub fn arguments(&self) -> Vec<(&'static str, String)> {
        match self {
            Error::Invalid { field, problem } => {
                let mut arguments = vec![("field", field.text.to_owned()), ("problem", problem.to_string())];
                arguments.extend(problem.arguments());
                arguments
            }
            Error::Throttled { retry_after_secs } => vec![("seconds", retry_after_secs.to_string())],
            Error::AuditUnavailable(detail)
            | Error::StoreRefused(detail)
            | Error::StoreBehind(detail)
            | Error::StoreUnavailable(detail)
            | Error::StoreTls(detail) => {
                vec![("detail", detail.clone())]
            }
            Error::AuditChainBroken { seq, problem } => {
                let mut arguments = vec![("seq", seq.to_string()), ("problem", problem.to_string())];
                arguments.extend(problem.arguments());
                arguments
            }
            Error::AuditDamaged { file, offset, last_good, problem } => {
                let mut arguments = vec![
                    ("file", file.clone()),
                    ("offset", offset.to_string()),
                    ("last_good", last_good.to_string()),
                    ("problem", problem.to_string()),
                ];
                arguments.extend(problem.arguments());
                arguments
            }
            Error::StoreRolledBack { place, copy_ends, took } => {
                vec![("place", place.clone()), ("copy_ends", copy_ends.to_string()), ("took", took.to_string())]
            }
            Error::MigrateRefused(refusal) => refusal.arguments(),
            Error::StoreDamaged { file, problem } => {
                let mut arguments = vec![("file", file.clone()), ("problem", problem.to_string())];
                arguments.extend(problem.arguments());
                arguments
            }
            _ => Vec::new(),
        }
    }

    /// The field and the problem of an invalid value, whose codes a client renders in its reader's language
    /// (`daemon-field-<code>`, `daemon-problem-<code>`) with [`Error::arguments`].
    pub fn invalid_value(&self) -> Option<(Field, &Problem)> {
        match self {
            Error::Invalid { field, problem } => Some((*field, problem)),
            _ => None,
        }
    }

    /// What is wrong with a damaged store or audit log, whose code a client renders in its reader's language
    /// (`daemon-problem-<code>`) with [`Error::arguments`].
    pub fn store_problem(&self) -> Option<&Problem> {
        match self {
            Error::StoreDamaged { problem, .. }
            | Error::AuditDamaged { problem, .. }
            | Error::AuditChainBroken { problem, .. } => Some(problem),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: Field, problem: Problem) -> Self {
        Error::Invalid { field, problem }
    }
}

impl From<coffre_store::StoreError> for Error {
    /// A database out of reach is unavailable (try again later), and one that fails TLS is refused for what it is:
    /// neither is the daemon's fault.
    fn from(e: coffre_store::StoreError) -> Self {
        match e {
            e if e.is_unavailable() => Error::StoreUnavailable(e.what_failed()),
            e @ coffre_store::StoreError::Tls { .. } => Error::StoreTls(e.what_failed()),
            e => Error::Storage(e),
        }
    }
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
