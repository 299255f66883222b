//! The daemon's configuration: a TOML file, environment variables and flags, merged with the precedence
//! flags > environment > file > defaults. Unknown keys in the file are an error that names the key, so a typo
//! never silently falls back to a default.
//!
//! The engine's defaults (Argon2id cost, session lifetimes, enrolment codes, KDF concurrency) come from
//! [`coffre_vault::VaultConfig::new`], so they are written down in one place only.

use std::{
    net::{Ipv4Addr, SocketAddr},
    path::{Path, PathBuf},
    time::Duration,
};

use coffre_crypto::kdf::KdfParams;
use coffre_vault::{Category, MaxAges, PgOptions, StoreBackend, VaultConfig, backup::BackupSchedule};
use serde::{Deserialize, Serialize};

use crate::cli::{Cli, Flags};

/// Default listen address: loopback only. Expose the daemon deliberately, with `listen = "0.0.0.0:7443"`.
pub const DEFAULT_LISTEN: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::LOCALHOST), 7443);

/// Default number of seconds a secret revealed in the web client stays on its page before it is removed.
pub const DEFAULT_REVEAL_VISIBLE_SECONDS: u32 = 30;
/// The range `[web] reveal_visible_seconds` must be in: long enough to copy a password, short enough that a screen
/// left alone does not keep it.
pub const REVEAL_VISIBLE_SECONDS: std::ops::RangeInclusive<u32> = 1..=600;
/// `[storage] retry_seconds`, the default: how long a change the audit log holds is given again, at once, to a
/// database out of reach before its author is answered (the engine's `VaultConfig::store_retry_for`).
pub const DEFAULT_STORE_RETRY_SECONDS: u64 = coffre_vault::DEFAULT_STORE_RETRY_FOR.as_secs();
/// `[storage] retry_seconds`, the values taken: with one attempt's own limit (10 s) it stays under the server's
/// 30 s request limit, so the author gets an answer, not a timeout.
pub const STORE_RETRY_SECONDS: std::ops::RangeInclusive<u64> = 0..=15;

/// Default most simultaneous client connections.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// Default most simultaneous connections from one client address (an IPv6 /64): well below
/// [`DEFAULT_MAX_CONNECTIONS`], so that one address cannot keep everyone else out.
pub const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS: usize = 64;

/// Default time a client has to finish its TLS handshake.
pub const DEFAULT_TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Default time a new connection has to make its first request (TLS handshake and HTTP/2 preface included).
pub const DEFAULT_FIRST_REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Default time a connection may stay without a request in progress.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Default time between scheduled backups, when `[backup] dir` is set.
pub const DEFAULT_BACKUP_INTERVAL: Duration = Duration::from_secs(24 * 3600);

/// Default number of scheduled backups kept.
pub const DEFAULT_BACKUP_KEEP: usize = 7;

/// The effective configuration of the daemon.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Data directory: the vault (`db/`, `audit/`) and the TLS files (`tls/`).
    pub data_dir: PathBuf,
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Where the TLS certificate comes from.
    pub tls: TlsSettings,
    /// A session ends after this long without a call.
    pub session_idle: Duration,
    /// A session ends this long after login, whatever happens.
    pub session_absolute: Duration,
    /// An enrolment code is valid this long.
    pub enrolment_ttl: Duration,
    /// Argon2id cost for new key slots and passphrase hashes when a request names none.
    pub default_kdf: KdfParams,
    /// At most this many Argon2 computations at once.
    pub max_concurrent_kdf: usize,
    /// Client connections: how many, from where, for how long.
    pub connections: Connections,
    /// Scheduled backups (`[backup]`), when a directory is configured.
    pub backup: Option<BackupSchedule>,
    /// The longest a grant may last.
    pub max_grant_duration: Duration,
    /// How long a password may stay unchanged, per category, before `coffre rotation due` lists it.
    pub rotation_max_age: MaxAges,
    /// How long an approved request allows its one reveal of a very confidential entry.
    pub approval_window: Duration,
    /// How long a request for approval waits for an owner's decision.
    pub approval_request_ttl: Duration,
    /// The organisation's name (`[organisation] name`), shown on the register of official accounts.
    pub organisation: Option<String>,
    /// The web client's settings (`[web]`).
    pub web: WebSettings,
    /// Where the records are kept (`[storage]`, `--storage-url`).
    pub storage: StorageSettings,
    /// Relaying between the coffreds of one PostgreSQL schema (`[relay]`), when configured.
    pub relay: Option<RelaySettings>,
    /// A file the daemon reads its time from, for end-to-end tests (`COFFRE_TEST_CLOCK_FILE`; honoured only in
    /// debug builds, see [`crate::test_clock`]). Never read from the configuration file.
    pub test_clock_file: Option<PathBuf>,
}

/// The default PostgreSQL schema of the vault's tables.
pub const DEFAULT_SCHEMA: &str = "coffre";

/// Where the records are kept (`[storage]`). The audit log is always in the data directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum StorageSettings {
    /// sled, in `DATA_DIR/db` (the default).
    #[default]
    Sled,
    /// A PostgreSQL schema.
    Postgres {
        /// `postgresql://USER@HOST:PORT/DB`, without a password.
        url: String,
        /// The schema of the vault's tables.
        schema: String,
        /// A file whose first line is the role's password; else `PGPASSWORD`, else none.
        password_file: Option<PathBuf>,
        /// The PEM file of the CA that signed the database server's certificate: TLS, verified, when set.
        ca_file: Option<PathBuf>,
        /// How many seconds a change the audit log holds is given again, at once, to a database out of reach before
        /// its author is answered; the writer then goes on giving it every second (within [`STORE_RETRY_SECONDS`]).
        retry_seconds: u64,
        /// A standby coffred: while another coffred holds the schema (or the database is out of reach), it waits
        /// instead of exiting, without serving (with `[relay]`, it relays clients to the serving coffred), and takes
        /// the schema over once it is free (docs/ha.md).
        standby: bool,
    },
}

/// Relaying between the coffreds of one PostgreSQL schema (`[relay]`, docs/ha.md, "Relaying standbys"): a standby
/// listens on `listen` like any coffred and passes each client's connection, bytes as they are (TLS from the client
/// to the serving coffred, end to end), to the serving coffred's relay port, behind a PROXY protocol (version 2)
/// header that names the client; so a load balancer, or a person, may use any of them. The serving coffred takes
/// relayed connections on `relay.listen`, only from the addresses in `relay.from`, and counts each as the client's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelaySettings {
    /// Where this coffred, while it serves, takes its standbys' relayed connections.
    pub listen: SocketAddr,
    /// How the standbys reach `listen` (`host:port`), written in the database for them.
    pub advertise: String,
    /// The only addresses a relayed connection is taken from: the standbys'.
    pub from: Vec<std::net::IpAddr>,
}

/// The longest `[relay] advertise` taken (a host name of 253 bytes, a colon and a port).
pub const RELAY_ADVERTISE_MAX: usize = 260;

/// The web client's settings (`[web]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebSettings {
    /// How many seconds a revealed secret stays on its page before the page's script removes it (a second-factor
    /// code: no longer than it stays valid). Within [`REVEAL_VISIBLE_SECONDS`].
    pub reveal_visible_seconds: u32,
}

impl Default for WebSettings {
    fn default() -> Self {
        Self { reveal_visible_seconds: DEFAULT_REVEAL_VISIBLE_SECONDS }
    }
}

/// How many client connections, from where, for how long (`max_connections` and `[connections]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connections {
    /// At most this many at once; further clients wait to be accepted.
    pub max: usize,
    /// At most this many at once from one address (an IPv6 /64); one more from it is closed at once.
    pub max_per_address: usize,
    /// A client that has not finished its TLS handshake by then is dropped.
    pub tls_handshake_timeout: Duration,
    /// A connection that has made no request this long after being accepted is closed.
    pub first_request_timeout: Duration,
    /// A connection without a request in progress this long is closed (HTTP/2 pings do not count).
    pub idle_timeout: Duration,
}

impl Default for Connections {
    fn default() -> Self {
        Self {
            max: DEFAULT_MAX_CONNECTIONS,
            max_per_address: DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            tls_handshake_timeout: DEFAULT_TLS_HANDSHAKE_TIMEOUT,
            first_request_timeout: DEFAULT_FIRST_REQUEST_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
        }
    }
}

/// TLS settings: a certificate given by the administrator, or the daemon's own CA.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlsSettings {
    /// A certificate chain and key to use instead of the daemon's own CA.
    pub files: Option<TlsFiles>,
    /// Extra names (DNS names or IP addresses) for the generated server certificate, besides localhost,
    /// 127.0.0.1 and ::1. Used only when the certificate is generated, on first start.
    pub hostnames: Vec<String>,
}

/// A certificate chain and its private key, both PEM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    /// Certificate chain, server certificate first.
    pub cert: PathBuf,
    /// Private key.
    pub key: PathBuf,
}

/// A configuration that cannot be used. Each says what is wrong and what to write instead, in the catalogue's
/// words ([`ConfigError::localised`]); `Display` is the English text, for logs and tests.
#[derive(Debug)]
pub enum ConfigError {
    /// The configuration file (or the database's password file) could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The configuration file is not valid TOML, has an unknown key, or a value of the wrong type.
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message, which names the key and the line (in English: the parser's own words).
        message: String,
    },
    /// Only one of the TLS certificate and key is set.
    TlsHalf {
        /// The one that is set.
        given: &'static str,
        /// The one that is missing.
        missing: &'static str,
    },
    /// A setting that must be positive is zero.
    Zero(&'static str),
    /// A `[backup]` setting without the directory it is about.
    BackupWithoutDir(&'static str),
    /// A setting outside the range it must be in.
    OutOfRange {
        /// The setting, as written in the file.
        key: &'static str,
        /// Its value.
        value: u64,
        /// The smallest value taken.
        min: u64,
        /// The largest value taken.
        max: u64,
    },
    /// PostgreSQL's `[storage]` settings on sled.
    PostgresSettingsOnSled,
    /// A standby on sled.
    StandbyOnSled,
    /// A database address with `backend = "sled"`.
    AddressOnSled,
    /// PostgreSQL without an address.
    PostgresWithoutAddress,
    /// The database's address, schema or CA file is refused (the store's words).
    Database(String),
    /// The database's password file is empty.
    EmptyPasswordFile(PathBuf),
    /// `[relay] advertise` or `from` without `listen`.
    RelayWithoutListen,
    /// `[relay]` on sled.
    RelayOnSled,
    /// `[relay]` without `from`.
    RelayFromNobody,
    /// `[relay] listen` on port 0.
    RelayWithoutPort(SocketAddr),
    /// `[relay] listen` is the clients' address.
    RelayOnClientsAddress(SocketAddr),
    /// `[relay] listen` on every address, without `advertise`.
    RelayEverywhere(SocketAddr),
    /// `[relay] advertise` is not HOST:PORT.
    RelayAdvertise(String),
}

impl ConfigError {
    /// The message in `lang`.
    pub fn localised(&self, lang: coffre_i18n::Lang) -> String {
        use coffre_i18n::t_in;
        let shown = |path: &Path| path.display().to_string();
        match self {
            Self::Read { path, source } => t_in!(lang, "config-read", path = shown(path), why = source.to_string()),
            Self::Parse { path, message } => {
                t_in!(lang, "config-parse", path = shown(path), message = message.as_str())
            }
            Self::TlsHalf { missing: "the key", .. } => t_in!(lang, "config-tls-certificate-without-key"),
            Self::TlsHalf { .. } => t_in!(lang, "config-tls-key-without-certificate"),
            Self::Zero(key) => t_in!(lang, "config-zero", key = key.to_string()),
            Self::BackupWithoutDir(key) => t_in!(lang, "config-backup-without-dir", key = key.to_string()),
            Self::OutOfRange { key, value, min, max } => t_in!(
                lang,
                "config-out-of-range",
                key = key.to_string(),
                value = value.to_string(),
                min = min.to_string(),
                max = max.to_string()
            ),
            Self::PostgresSettingsOnSled => t_in!(lang, "config-postgres-settings-on-sled"),
            Self::StandbyOnSled => t_in!(lang, "config-standby-on-sled"),
            Self::AddressOnSled => t_in!(lang, "config-address-on-sled"),
            Self::PostgresWithoutAddress => t_in!(lang, "config-postgres-without-address"),
            Self::Database(detail) => t_in!(lang, "config-database", detail = detail.as_str()),
            Self::EmptyPasswordFile(path) => t_in!(lang, "config-empty-password-file", path = shown(path)),
            Self::RelayWithoutListen => t_in!(lang, "config-relay-without-listen"),
            Self::RelayOnSled => t_in!(lang, "config-relay-on-sled"),
            Self::RelayFromNobody => t_in!(lang, "config-relay-from-nobody"),
            Self::RelayWithoutPort(listen) => t_in!(lang, "config-relay-without-port", listen = listen.to_string()),
            Self::RelayOnClientsAddress(listen) => {
                t_in!(lang, "config-relay-on-clients-address", listen = listen.to_string())
            }
            Self::RelayEverywhere(listen) => {
                t_in!(lang, "config-relay-everywhere", listen = listen.to_string(), port = listen.port().to_string())
            }
            Self::RelayAdvertise(advertise) => {
                t_in!(lang, "config-relay-advertise", advertise = format!("{advertise:?}"))
            }
        }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.localised(coffre_i18n::Lang::En))
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl ServerConfig {
    /// The defaults, with `data_dir`.
    pub fn new(data_dir: PathBuf) -> Self {
        let engine = VaultConfig::new(data_dir);
        Self {
            listen: DEFAULT_LISTEN,
            tls: TlsSettings::default(),
            session_idle: engine.session_idle,
            session_absolute: engine.session_absolute,
            enrolment_ttl: engine.enrolment_ttl,
            default_kdf: engine.default_kdf,
            max_concurrent_kdf: engine.max_concurrent_kdf,
            connections: Connections::default(),
            backup: None,
            max_grant_duration: engine.max_grant_duration,
            rotation_max_age: engine.rotation_max_age,
            approval_window: engine.approval_window,
            approval_request_ttl: engine.approval_request_ttl,
            organisation: None,
            web: WebSettings::default(),
            storage: StorageSettings::Sled,
            relay: None,
            test_clock_file: None,
            data_dir: engine.data_dir,
        }
    }

    /// Reads the file named by `--config` (if any) and merges it with the flags and environment in `cli`.
    pub fn load(cli: &Cli) -> Result<Self, ConfigError> {
        let file = match &cli.config {
            Some(path) => FileConfig::read(path)?,
            None => FileConfig::default(),
        };
        let mut config = Self::resolve(&cli.flags, file)?;
        config.test_clock_file =
            std::env::var_os(crate::test_clock::TEST_CLOCK_VAR).filter(|v| !v.is_empty()).map(PathBuf::from);
        Ok(config)
    }

    /// Merges flags (which clap has already merged with the environment) over the file over the defaults.
    fn resolve(flags: &Flags, file: FileConfig) -> Result<Self, ConfigError> {
        let data_dir = flags.data_dir.clone().or(file.data_dir).unwrap_or_else(default_data_dir);
        let mut config = Self::new(data_dir);
        if let Some(listen) = flags.listen.or(file.listen) {
            config.listen = listen;
        }
        let cert = flags.tls_cert.clone().or(file.tls.cert);
        let key = flags.tls_key.clone().or(file.tls.key);
        config.tls.files = match (cert, key) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            (None, None) => None,
            (Some(_), None) => return Err(ConfigError::TlsHalf { given: "the certificate", missing: "the key" }),
            (None, Some(_)) => return Err(ConfigError::TlsHalf { given: "the key", missing: "the certificate" }),
        };
        config.tls.hostnames = file.tls.hostnames.unwrap_or_default();
        set(&mut config.session_idle, file.sessions.idle.map(|d| d.0));
        set(&mut config.session_absolute, file.sessions.absolute.map(|d| d.0));
        set(&mut config.enrolment_ttl, file.enrolment_code_ttl.map(|d| d.0));
        set(&mut config.default_kdf.memory_kib, file.kdf.memory_kib);
        set(&mut config.default_kdf.iterations, file.kdf.iterations);
        set(&mut config.default_kdf.parallelism, file.kdf.parallelism);
        set(&mut config.max_concurrent_kdf, file.kdf.max_concurrent);
        set(&mut config.connections.max, file.max_connections);
        set(&mut config.connections.max_per_address, file.connections.per_address);
        set(&mut config.connections.tls_handshake_timeout, file.connections.tls_handshake_timeout.map(|d| d.0));
        set(&mut config.connections.first_request_timeout, file.connections.first_request_timeout.map(|d| d.0));
        set(&mut config.connections.idle_timeout, file.connections.idle_timeout.map(|d| d.0));
        config.backup = match file.backup.dir {
            Some(dir) => Some(BackupSchedule {
                dir,
                interval: file.backup.interval.map_or(DEFAULT_BACKUP_INTERVAL, |d| d.0),
                keep: file.backup.keep.unwrap_or(DEFAULT_BACKUP_KEEP),
            }),
            None if file.backup.interval.is_some() => return Err(ConfigError::BackupWithoutDir("interval")),
            None if file.backup.keep.is_some() => return Err(ConfigError::BackupWithoutDir("keep")),
            None => None,
        };
        set(&mut config.max_grant_duration, file.max_grant_duration.map(|d| d.0));
        set(&mut config.rotation_max_age.default, file.rotation.max_age.map(|d| d.0.0));
        config.rotation_max_age.by_category.extend(file.rotation.max_age_by_category.ages());
        set(&mut config.approval_window, file.approvals.window.map(|d| d.0));
        set(&mut config.approval_request_ttl, file.approvals.request_ttl.map(|d| d.0));
        config.organisation = file.organisation.name.map(|name| name.trim().to_owned()).filter(|n| !n.is_empty());
        if let Some(seconds) = file.web.reveal_visible_seconds {
            if !REVEAL_VISIBLE_SECONDS.contains(&seconds) {
                return Err(ConfigError::OutOfRange {
                    key: "web.reveal_visible_seconds",
                    value: seconds.into(),
                    min: (*REVEAL_VISIBLE_SECONDS.start()).into(),
                    max: (*REVEAL_VISIBLE_SECONDS.end()).into(),
                });
            }
            config.web.reveal_visible_seconds = seconds;
        }
        let mut storage_file = file.storage;
        storage_file.schema = flags.storage_schema.clone().or(storage_file.schema);
        storage_file.ca_file = flags.storage_ca_file.clone().or(storage_file.ca_file);
        if flags.standby {
            storage_file.standby = Some(true);
        }
        config.storage = storage(flags.storage_url.clone(), storage_file)?;
        config.relay = relay(file.relay, &config)?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let positive = [
            ("max_connections", self.connections.max == 0),
            ("connections.per_address", self.connections.max_per_address == 0),
            ("connections.tls_handshake_timeout", self.connections.tls_handshake_timeout.is_zero()),
            ("connections.first_request_timeout", self.connections.first_request_timeout.is_zero()),
            ("connections.idle_timeout", self.connections.idle_timeout.is_zero()),
            ("kdf.max_concurrent", self.max_concurrent_kdf == 0),
            ("sessions.idle", self.session_idle.is_zero()),
            ("sessions.absolute", self.session_absolute.is_zero()),
            ("enrolment_code_ttl", self.enrolment_ttl.is_zero()),
            ("backup.interval", self.backup.as_ref().is_some_and(|b| b.interval.is_zero())),
            ("backup.keep", self.backup.as_ref().is_some_and(|b| b.keep == 0)),
            ("max_grant_duration", self.max_grant_duration.is_zero()),
            ("rotation.max_age", self.rotation_max_age.default.is_zero()),
            ("rotation.max_age_by_category", self.rotation_max_age.by_category.iter().any(|(_, age)| age.is_zero())),
            ("approvals.window", self.approval_window.is_zero()),
            ("approvals.request_ttl", self.approval_request_ttl.is_zero()),
        ];
        match positive.iter().find(|(_, zero)| *zero) {
            Some((key, _)) => Err(ConfigError::Zero(key)),
            None => Ok(()),
        }
    }

    /// Whether this coffred stands by for a PostgreSQL schema another coffred holds (`[storage] standby`).
    pub fn standby(&self) -> bool {
        matches!(self.storage, StorageSettings::Postgres { standby: true, .. })
    }

    /// The engine's part of the configuration. Reads the database's password (from `[storage] password_file` or
    /// `PGPASSWORD`) when the records are in PostgreSQL.
    pub fn vault_config(&self) -> Result<VaultConfig, ConfigError> {
        let store = match &self.storage {
            StorageSettings::Sled => StoreBackend::Sled,
            StorageSettings::Postgres { url, schema, password_file, ca_file, .. } => {
                let mut options = PgOptions::new(url.clone(), schema.clone());
                options.ca_file = ca_file.clone();
                options.relay = self.relay.as_ref().map(|relay| relay.advertise.clone());
                options.password = match password_file {
                    Some(path) => Some(read_password(path)?),
                    None => std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()),
                };
                StoreBackend::Postgres(options)
            }
        };
        let store_retry_for = match &self.storage {
            StorageSettings::Sled => coffre_vault::DEFAULT_STORE_RETRY_FOR,
            StorageSettings::Postgres { retry_seconds, .. } => std::time::Duration::from_secs(*retry_seconds),
        };
        Ok(VaultConfig {
            data_dir: self.data_dir.clone(),
            store,
            default_kdf: self.default_kdf,
            session_idle: self.session_idle,
            session_absolute: self.session_absolute,
            enrolment_ttl: self.enrolment_ttl,
            max_concurrent_kdf: self.max_concurrent_kdf,
            max_grant_duration: self.max_grant_duration,
            rotation_max_age: self.rotation_max_age.clone(),
            approval_window: self.approval_window,
            approval_request_ttl: self.approval_request_ttl,
            store_retry_for,
        })
    }

    /// The configuration as a TOML file that would produce it (for `coffred show-config`). Fails only for a path
    /// that is not valid UTF-8, which TOML cannot hold.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        let file = FileConfig {
            data_dir: Some(self.data_dir.clone()),
            listen: Some(self.listen),
            max_connections: Some(self.connections.max),
            enrolment_code_ttl: Some(HumanDuration(self.enrolment_ttl)),
            max_grant_duration: Some(HumanDuration(self.max_grant_duration)),
            connections: FileConnections {
                per_address: Some(self.connections.max_per_address),
                tls_handshake_timeout: Some(HumanDuration(self.connections.tls_handshake_timeout)),
                first_request_timeout: Some(HumanDuration(self.connections.first_request_timeout)),
                idle_timeout: Some(HumanDuration(self.connections.idle_timeout)),
            },
            tls: FileTls {
                cert: self.tls.files.as_ref().map(|f| f.cert.clone()),
                key: self.tls.files.as_ref().map(|f| f.key.clone()),
                hostnames: Some(self.tls.hostnames.clone()),
            },
            sessions: FileSessions {
                idle: Some(HumanDuration(self.session_idle)),
                absolute: Some(HumanDuration(self.session_absolute)),
            },
            kdf: FileKdf {
                memory_kib: Some(self.default_kdf.memory_kib),
                iterations: Some(self.default_kdf.iterations),
                parallelism: Some(self.default_kdf.parallelism),
                max_concurrent: Some(self.max_concurrent_kdf),
            },
            backup: FileBackup {
                dir: self.backup.as_ref().map(|b| b.dir.clone()),
                interval: self.backup.as_ref().map(|b| HumanDuration(b.interval)),
                keep: self.backup.as_ref().map(|b| b.keep),
            },
            rotation: FileRotation {
                max_age: Some(AgeDuration(HumanDuration(self.rotation_max_age.default))),
                max_age_by_category: FileCategoryAges::from_ages(&self.rotation_max_age.by_category),
            },
            approvals: FileApprovals {
                window: Some(HumanDuration(self.approval_window)),
                request_ttl: Some(HumanDuration(self.approval_request_ttl)),
            },
            organisation: FileOrganisation { name: self.organisation.clone() },
            web: FileWeb { reveal_visible_seconds: Some(self.web.reveal_visible_seconds) },
            storage: match &self.storage {
                StorageSettings::Sled => FileStorage { backend: Some(Backend::Sled), ..FileStorage::default() },
                StorageSettings::Postgres { url, schema, password_file, ca_file, retry_seconds, standby } => {
                    FileStorage {
                        backend: Some(Backend::Postgres),
                        url: Some(url.clone()),
                        schema: Some(schema.clone()),
                        password_file: password_file.clone(),
                        ca_file: ca_file.clone(),
                        retry_seconds: Some(*retry_seconds),
                        standby: Some(*standby),
                    }
                }
            },
            relay: match &self.relay {
                None => FileRelay::default(),
                Some(relay) => FileRelay {
                    listen: Some(relay.listen),
                    advertise: Some(relay.advertise.clone()),
                    from: Some(relay.from.clone()),
                },
            },
        };
        toml::to_string(&file)
    }
}

/// `[storage]` and `--storage-url` together: a URL alone means PostgreSQL; PostgreSQL needs a URL; sled takes none.
fn storage(flag_url: Option<String>, file: FileStorage) -> Result<StorageSettings, ConfigError> {
    let url = flag_url.or(file.url);
    let backend = file.backend.unwrap_or(if url.is_some() { Backend::Postgres } else { Backend::Sled });
    match (backend, url) {
        (Backend::Sled, None) => {
            if file.schema.is_some()
                || file.password_file.is_some()
                || file.ca_file.is_some()
                || file.retry_seconds.is_some()
            {
                return Err(ConfigError::PostgresSettingsOnSled);
            }
            if file.standby == Some(true) {
                return Err(ConfigError::StandbyOnSled);
            }
            Ok(StorageSettings::Sled)
        }
        (Backend::Sled, Some(_)) => Err(ConfigError::AddressOnSled),
        (Backend::Postgres, None) => Err(ConfigError::PostgresWithoutAddress),
        (Backend::Postgres, Some(url)) => {
            let schema = file.schema.unwrap_or_else(|| DEFAULT_SCHEMA.to_string());
            // The address, the schema and the CA file are checked here, before anything starts (the same checks as
            // at connect).
            let mut options = PgOptions::new(url.clone(), schema.clone());
            options.ca_file = file.ca_file.clone();
            options.check().map_err(|e| ConfigError::Database(e.to_string()))?;
            let retry_seconds = file.retry_seconds.unwrap_or(DEFAULT_STORE_RETRY_SECONDS);
            if !STORE_RETRY_SECONDS.contains(&retry_seconds) {
                return Err(ConfigError::OutOfRange {
                    key: "storage.retry_seconds",
                    value: retry_seconds,
                    min: *STORE_RETRY_SECONDS.start(),
                    max: *STORE_RETRY_SECONDS.end(),
                });
            }
            Ok(StorageSettings::Postgres {
                url,
                schema,
                password_file: file.password_file,
                ca_file: file.ca_file,
                retry_seconds,
                standby: file.standby.unwrap_or(false),
            })
        }
    }
}

/// `[relay]`, checked against the rest: only for PostgreSQL, from named addresses only, on a port of its own, with
/// an address the standbys can reach.
fn relay(file: FileRelay, config: &ServerConfig) -> Result<Option<RelaySettings>, ConfigError> {
    let FileRelay { listen, advertise, from } = file;
    let Some(listen) = listen else {
        if advertise.is_some() || from.is_some() {
            return Err(ConfigError::RelayWithoutListen);
        }
        return Ok(None);
    };
    if matches!(config.storage, StorageSettings::Sled) {
        return Err(ConfigError::RelayOnSled);
    }
    let from = from.unwrap_or_default();
    if from.is_empty() {
        return Err(ConfigError::RelayFromNobody);
    }
    if listen.port() == 0 {
        return Err(ConfigError::RelayWithoutPort(listen));
    }
    if listen == config.listen {
        return Err(ConfigError::RelayOnClientsAddress(listen));
    }
    let advertise = match advertise {
        Some(advertise) => advertise.trim().to_owned(),
        None if listen.ip().is_unspecified() => {
            return Err(ConfigError::RelayEverywhere(listen));
        }
        None => listen.to_string(),
    };
    let port = advertise.rsplit_once(':').and_then(|(host, port)| (!host.is_empty()).then_some(port));
    if advertise.len() > RELAY_ADVERTISE_MAX
        || advertise.chars().any(|c| c.is_whitespace() || c.is_control())
        || !port.is_some_and(|port| port.parse::<u16>().is_ok_and(|port| port > 0))
    {
        return Err(ConfigError::RelayAdvertise(advertise));
    }
    Ok(Some(RelaySettings { listen, advertise, from }))
}

/// The first line of `path`, the database password.
fn read_password(path: &Path) -> Result<String, ConfigError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
    let line = text.lines().next().unwrap_or_default().to_string();
    if line.is_empty() {
        return Err(ConfigError::EmptyPasswordFile(path.to_path_buf()));
    }
    Ok(line)
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *slot = value;
    }
}

/// The embedded default data directory: the XDG data directory for "coffre" (e.g. ~/.local/share/coffre), or
/// ./coffre-data when there is no home directory.
pub fn default_data_dir() -> PathBuf {
    match directories::ProjectDirs::from("", "", "coffre") {
        Some(dirs) => dirs.data_dir().to_path_buf(),
        None => std::path::absolute("coffre-data").unwrap_or_else(|_| PathBuf::from("coffre-data")),
    }
}

/// The configuration file as written. Every key is optional; `None` means "not set here".
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    listen: Option<SocketAddr>,
    max_connections: Option<usize>,
    enrolment_code_ttl: Option<HumanDuration>,
    max_grant_duration: Option<HumanDuration>,
    #[serde(default)]
    connections: FileConnections,
    #[serde(default)]
    tls: FileTls,
    #[serde(default)]
    sessions: FileSessions,
    #[serde(default)]
    kdf: FileKdf,
    #[serde(default)]
    backup: FileBackup,
    #[serde(default)]
    rotation: FileRotation,
    #[serde(default)]
    approvals: FileApprovals,
    #[serde(default)]
    organisation: FileOrganisation,
    #[serde(default)]
    web: FileWeb,
    #[serde(default)]
    storage: FileStorage,
    #[serde(default)]
    relay: FileRelay,
}

/// `[relay]`: relaying between the coffreds of one schema.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileRelay {
    listen: Option<SocketAddr>,
    advertise: Option<String>,
    from: Option<Vec<std::net::IpAddr>>,
}

/// `[storage]`: where the records are kept.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileStorage {
    backend: Option<Backend>,
    url: Option<String>,
    schema: Option<String>,
    password_file: Option<PathBuf>,
    ca_file: Option<PathBuf>,
    retry_seconds: Option<u64>,
    standby: Option<bool>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
enum Backend {
    Sled,
    Postgres,
}

/// `[web]`: the web client's settings.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileWeb {
    reveal_visible_seconds: Option<u32>,
}

/// `[organisation]`: the organisation's name, for the register of official accounts.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileOrganisation {
    name: Option<String>,
}

/// `[rotation]`: `max_age` for every category, and `[rotation.max_age_by_category]` with a key per category, spelled
/// as on the command line (`financial = "90days"`).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileRotation {
    max_age: Option<AgeDuration>,
    #[serde(default)]
    max_age_by_category: FileCategoryAges,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileCategoryAges {
    social_network: Option<AgeDuration>,
    data_bank: Option<AgeDuration>,
    creation: Option<AgeDuration>,
    meeting: Option<AgeDuration>,
    software: Option<AgeDuration>,
    financial: Option<AgeDuration>,
    other: Option<AgeDuration>,
}

impl FileCategoryAges {
    fn slots(&mut self) -> [(Category, &mut Option<AgeDuration>); 7] {
        [
            (Category::SocialNetwork, &mut self.social_network),
            (Category::DataBank, &mut self.data_bank),
            (Category::Creation, &mut self.creation),
            (Category::Meeting, &mut self.meeting),
            (Category::Software, &mut self.software),
            (Category::Financial, &mut self.financial),
            (Category::Other, &mut self.other),
        ]
    }

    /// The ages given, by category.
    fn ages(mut self) -> Vec<(Category, Duration)> {
        self.slots().into_iter().filter_map(|(category, age)| age.map(|age| (category, age.0.0))).collect()
    }

    /// The file form of per-category ages (the last one given for a category wins, as in [`MaxAges::of`]).
    fn from_ages(ages: &[(Category, Duration)]) -> Self {
        let mut file = Self::default();
        for (category, age) in ages {
            for (slot_category, slot) in file.slots() {
                if slot_category == *category {
                    *slot = Some(AgeDuration(HumanDuration(*age)));
                }
            }
        }
        file
    }
}

/// `[connections]`: the limits per client address and the timeouts (the overall limit is `max_connections`).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileConnections {
    per_address: Option<usize>,
    tls_handshake_timeout: Option<HumanDuration>,
    first_request_timeout: Option<HumanDuration>,
    idle_timeout: Option<HumanDuration>,
}

/// `[approvals]`: how long an approval may be used, and how long a request waits for a decision.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileApprovals {
    window: Option<HumanDuration>,
    request_ttl: Option<HumanDuration>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileTls {
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    hostnames: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileSessions {
    idle: Option<HumanDuration>,
    absolute: Option<HumanDuration>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileKdf {
    memory_kib: Option<u32>,
    iterations: Option<u32>,
    parallelism: Option<u32>,
    max_concurrent: Option<usize>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileBackup {
    dir: Option<PathBuf>,
    interval: Option<HumanDuration>,
    keep: Option<usize>,
}

impl FileConfig {
    fn read(path: &Path) -> Result<Self, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        Self::parse(&text, path)
    }

    fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        toml::from_str(text)
            .map_err(|err| ConfigError::Parse { path: path.to_path_buf(), message: err.to_string().trim().to_owned() })
    }
}

/// A duration written the human way in the file: "15m", "12h", "72h".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct HumanDuration(Duration);

impl<'de> Deserialize<'de> for HumanDuration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        humantime::parse_duration(&text).map(HumanDuration).map_err(|err| {
            serde::de::Error::custom(format!("invalid duration {text:?} ({err}); write it like \"15m\" or \"12h\""))
        })
    }
}

/// Written in whole days when it is some ("90days" rather than humantime's "2months 29days 2h 52m 48s", which
/// counts a month as 30.44 days), otherwise the way humantime writes it ("15m", "12h").
impl Serialize for HumanDuration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let seconds = self.0.as_secs();
        if seconds >= 86_400 && seconds.is_multiple_of(86_400) && self.0.subsec_nanos() == 0 {
            let days = seconds / 86_400;
            serializer.serialize_str(&if days == 1 { "1day".to_owned() } else { format!("{days}days") })
        } else {
            serializer.serialize_str(&humantime::format_duration(self.0).to_string())
        }
    }
}

/// A password's maximum age: a duration like the others (whole days are written as days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
struct AgeDuration(HumanDuration);

#[cfg(test)]
mod tests;
