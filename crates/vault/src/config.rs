//! Engine configuration.

use std::{path::PathBuf, time::Duration};

use coffre_crypto::kdf::KdfParams;

/// How the engine is set up. Built by the server from its configuration file, flags and environment.
#[derive(Clone, Debug)]
pub struct VaultConfig {
    /// Where the database (`db/`) and the audit log (`audit/`) live.
    pub data_dir: PathBuf,
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
}

impl VaultConfig {
    /// The defaults for `data_dir`: strong Argon2id, 15-minute idle and 12-hour absolute sessions, 72-hour
    /// enrolment codes, one Argon2 computation per core, grants of at most 90 days.
    pub fn new(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            default_kdf: KdfParams::DEFAULT,
            session_idle: Duration::from_secs(15 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            enrolment_ttl: Duration::from_secs(72 * 3600),
            max_concurrent_kdf: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            max_grant_duration: Duration::from_secs(90 * 24 * 3600),
        }
    }
}
