//! Engine configuration.

use std::{path::PathBuf, time::Duration};

use coffre_crypto::kdf::KdfParams;

use crate::model::Category;

const DAY: Duration = Duration::from_secs(24 * 3600);
/// How long a change the audit log holds is applied again, by default, to a store out of reach before its author
/// is answered ([`VaultConfig::store_retry_for`]).
pub const DEFAULT_STORE_RETRY_FOR: Duration = Duration::from_secs(15);

/// How long a password may stay unchanged before `rotation due` lists it: a default, and per category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaxAges {
    /// For every category not named in `by_category`.
    pub default: Duration,
    /// Per category; the last one given for a category wins.
    pub by_category: Vec<(Category, Duration)>,
}

impl MaxAges {
    /// The maximum age of a password of `category`.
    pub fn of(&self, category: Category) -> Duration {
        self.by_category.iter().rev().find(|(c, _)| *c == category).map_or(self.default, |(_, age)| *age)
    }
}

impl Default for MaxAges {
    /// A year, and 90 days for financial accounts (bank portals, payments).
    fn default() -> Self {
        Self { default: 365 * DAY, by_category: vec![(Category::Financial, 90 * DAY)] }
    }
}

/// Where the engine keeps its records (the audit log is always in the data directory).
#[derive(Clone, Debug, Default)]
pub enum StoreBackend {
    /// sled, embedded, in `DATA_DIR/db`.
    #[default]
    Sled,
    /// A schema of a PostgreSQL database, written by this coffred alone.
    Postgres(coffre_store::PgOptions),
}

/// How the engine is set up. Built by the server from its configuration file, flags and environment.
#[derive(Clone, Debug)]
pub struct VaultConfig {
    /// Where the database (`db/`, with sled) and the audit log (`audit/`) live.
    pub data_dir: PathBuf,
    /// Where the records are kept: sled in the data directory (the default), or PostgreSQL.
    pub store: StoreBackend,
    /// Argon2id parameters for new key slots and passphrase hashes when a request does not name any.
    pub default_kdf: KdfParams,
    /// A session ends after this long without a call.
    pub session_idle: Duration,
    /// A session ends this long after login, whatever happens.
    pub session_absolute: Duration,
    /// An enrolment code is valid this long.
    pub enrolment_ttl: Duration,
    /// At most this many Argon2 computations at once (memory bound under a login flood).
    pub max_concurrent_kdf: usize,
    /// The longest a grant may last.
    pub max_grant_duration: Duration,
    /// How long a password may stay unchanged, per category, before `rotation_due` lists it.
    pub rotation_max_age: MaxAges,
    /// How long an approved request allows its one reveal of a very confidential entry.
    pub approval_window: Duration,
    /// How long a request for approval waits for an owner's decision.
    pub approval_request_ttl: Duration,
    /// How long a change the audit log holds is applied again, at once, to a store out of reach (a database failing
    /// over) before its author is answered; the audit writer then goes on giving it to the store every second until
    /// it takes it. With one attempt's own limit (10 s with PostgreSQL) it must stay under the server's request
    /// limit (30 s), so the person gets an answer, not a timeout.
    pub store_retry_for: Duration,
}

impl VaultConfig {
    /// The defaults for `data_dir`: strong Argon2id, 15-minute idle and 12-hour absolute sessions, 72-hour
    /// enrolment codes, one Argon2 computation per core, grants of at most 90 days, passwords changed at least
    /// yearly (financial accounts every 90 days), approvals used within 15 minutes and decided within 24 hours, a
    /// change applied again to a store out of reach for 15 seconds.
    pub fn new(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            store: StoreBackend::Sled,
            default_kdf: KdfParams::DEFAULT,
            session_idle: Duration::from_secs(15 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            enrolment_ttl: Duration::from_secs(72 * 3600),
            max_concurrent_kdf: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            max_grant_duration: Duration::from_secs(90 * 24 * 3600),
            rotation_max_age: MaxAges::default(),
            approval_window: Duration::from_secs(15 * 60),
            approval_request_ttl: DAY,
            store_retry_for: DEFAULT_STORE_RETRY_FOR,
        }
    }
}
