//! What the engine's integration tests share: a vault on a real sled and audit log in a temporary directory (or,
//! with `COFFRE_TEST_BACKEND=postgres` and `COFFRE_TEST_POSTGRES` set to a server's address, its records in a real
//! PostgreSQL schema of its own), a
//! manual clock, and people who log in with passphrase and second factor; for recovery and backups, holders with
//! age keys and helpers to open their share files as a holder's client would. Argon2 cost is lowered through
//! configuration only.

#![allow(dead_code, unreachable_pub)]

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

use coffre_crypto::{
    age_file::{self, AgeIdentity, Unlock},
    kdf::KdfParams,
    secret::{Passphrase, SecretBytes},
    totp::TotpSeed,
};
use coffre_store::{Batch, PgStore, SledStore, Store};
use coffre_vault::{
    Category, InitParams, NewEntry, PgOptions, RequestContext, Role, Secrets, SessionToken, StoreBackend, Vault,
    VaultConfig,
    clock::{Clock, ManualClock, unix_seconds},
    recovery::{HolderKey, HolderSpec, IssuedShares, ShareSetSpec},
};

pub const PRESIDENT_PASS: &[u8] = b"correct horse battery staple";
pub const LEADER_PASS: &[u8] = b"leader's own long passphrase";
pub const TEST_KDF: KdfParams = KdfParams { memory_kib: 8_192, iterations: 1, parallelism: 1 };

/// A store as it was at some point ([`Fixture::keep_store`]).
pub enum StoreCopy {
    /// sled's files.
    Files(tempfile::TempDir),
    /// Every record.
    Records(Vec<(Vec<u8>, Vec<u8>)>),
}

/// Copies the directory tree `from` into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for item in std::fs::read_dir(from).expect("read dir") {
        let item = item.expect("entry");
        let target = to.join(item.file_name());
        if item.file_type().expect("type").is_dir() {
            copy_dir(&item.path(), &target);
        } else {
            std::fs::copy(item.path(), target).expect("copy");
        }
    }
}

/// The PostgreSQL server the vaults of this run keep their records in, if any: with `COFFRE_TEST_BACKEND=postgres`,
/// the server at `COFFRE_TEST_POSTGRES`.
fn postgres_url() -> Option<String> {
    if std::env::var("COFFRE_TEST_BACKEND").ok()? != "postgres" {
        return None;
    }
    let url = std::env::var("COFFRE_TEST_POSTGRES").ok().filter(|url| !url.is_empty());
    assert!(
        url.is_some(),
        "COFFRE_TEST_BACKEND=postgres needs COFFRE_TEST_POSTGRES (start a cluster with .ci/postgres)"
    );
    url
}

pub fn passphrase(bytes: &[u8]) -> Passphrase {
    Passphrase::new(bytes.to_vec()).expect("valid passphrase")
}

pub fn anonymous() -> RequestContext {
    RequestContext { token: None, client_addr: "127.0.0.1:4000".into(), client_agent: "engine-test".into() }
}

pub fn session(token: &str) -> RequestContext {
    RequestContext { token: Some(SessionToken::new(token.to_string())), ..anonymous() }
}

/// A holder with an age key pair.
pub struct Holder {
    pub label: &'static str,
    pub identity: AgeIdentity,
    pub recipient: String,
}

impl Holder {
    pub fn new(label: &'static str) -> Self {
        let (text, recipient) = age_file::generate_identity("test");
        Holder {
            label,
            identity: AgeIdentity::parse(text.expose_secret()).expect("parses"),
            recipient: recipient.to_string(),
        }
    }

    pub fn spec(&self) -> HolderSpec {
        HolderSpec { label: self.label.into(), key: HolderKey::Age(self.recipient.clone()) }
    }

    /// The holder's envelope, decrypted from the issued file as the client does.
    pub fn open(&self, issued: &IssuedShares) -> SecretBytes {
        let file = issued.shares.iter().find(|s| s.holder == self.label).expect("a share for this holder");
        age_file::decrypt(Unlock::Identity(&self.identity), file.file.as_bytes(), 4096).expect("decrypts")
    }
}

pub fn two_of(holders: &[&Holder], threshold: u8) -> ShareSetSpec {
    ShareSetSpec { threshold, holders: holders.iter().map(|h| h.spec()).collect() }
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    /// Each enrolled person's second-factor seed, by name, as their authenticator app would hold it.
    seeds: Mutex<HashMap<String, Vec<u8>>>,
    /// With PostgreSQL: what makes this fixture's schemas its own.
    id: u64,
}

impl Fixture {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
            clock: Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000))),
            seeds: Mutex::new(HashMap::new()),
            id: {
                use std::hash::{BuildHasher, Hasher};
                let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
                hasher.write_u128(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
                hasher.finish()
            },
        }
    }

    /// Whether the vaults of this run keep their records in PostgreSQL (`COFFRE_TEST_BACKEND=postgres`).
    pub fn on_postgres() -> bool {
        postgres_url().is_some()
    }

    /// Where a vault in `dir` keeps its records: sled in `dir/db`, or with `COFFRE_TEST_BACKEND=postgres` a schema of the
    /// fixture's own for its data directory. Other directories (what a restore, a rebuild or a salvage writes, all
    /// offline and onto sled) stay on sled.
    pub fn store_for(&self, dir: &Path) -> StoreBackend {
        match postgres_url() {
            Some(url) if dir == self.data_dir() => {
                StoreBackend::Postgres(PgOptions::new(url, format!("t_{:016x}", self.id)))
            }
            _ => StoreBackend::Sled,
        }
    }

    /// The store of the fixture's (closed) vault, opened directly, as someone with access to its files or its
    /// database would.
    pub fn raw_store(&self) -> Box<dyn Store> {
        match self.store_for(&self.data_dir()) {
            StoreBackend::Sled => Box::new(SledStore::open(&self.data_dir().join("db")).expect("the store opens")),
            StoreBackend::Postgres(options) => {
                // The vault just closed may not have let go of the schema yet: the server notices a moment later.
                for _ in 0..500 {
                    match PgStore::open(&options) {
                        Ok(store) => return Box::new(store),
                        Err(coffre_store::StoreError::InUse { .. }) => std::thread::sleep(Duration::from_millis(10)),
                        Err(e) => panic!("the store opens: {e}"),
                    }
                }
                panic!("the vault's schema stays in use")
            }
        }
    }

    /// How the store is named in messages: its directory with sled, its schema with PostgreSQL.
    pub fn store_name(&self) -> String {
        match self.store_for(&self.data_dir()) {
            StoreBackend::Postgres(options) => format!("schema {}", options.schema),
            _ => self.data_dir().join("db").display().to_string(),
        }
    }

    /// A copy of the (closed) vault's store as it is now, to put back later with [`Fixture::put_store_back`]:
    /// with sled its files, with PostgreSQL its records.
    pub fn keep_store(&self) -> StoreCopy {
        if Self::on_postgres() {
            StoreCopy::Records(self.raw_store().scan_all().map(|pair| pair.expect("read")).collect())
        } else {
            let copy = tempfile::tempdir().expect("tempdir");
            copy_dir(&self.data_dir().join("db"), copy.path());
            StoreCopy::Files(copy)
        }
    }

    /// Puts the (closed) vault's store back to `copy`, as a disk that lied about its writes, or someone with
    /// access to the files or the database, would.
    pub fn put_store_back(&self, copy: &StoreCopy) {
        match copy {
            StoreCopy::Files(dir) => {
                let db = self.data_dir().join("db");
                std::fs::remove_dir_all(&db).expect("remove");
                copy_dir(dir.path(), &db);
            }
            StoreCopy::Records(pairs) => {
                let store = self.raw_store();
                let mut batch = Batch::default();
                for pair in store.scan_all() {
                    batch.remove(pair.expect("read").0);
                }
                for (key, value) in pairs {
                    batch.insert(key.clone(), value.clone());
                }
                store.apply(batch).expect("put back");
            }
        }
    }

    /// The vault's data directory, inside the temporary one (so that restores can target its siblings).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Opens the vault on the fixture's data directory (the store waits for the lock of a vault just dropped).
    pub fn open(&self) -> Vault {
        self.open_at(&self.data_dir())
    }

    /// Opens a vault on another directory (a restore's target), with the same clock.
    pub fn open_at(&self, dir: &Path) -> Vault {
        self.open_configured(dir, |_| {})
    }

    /// Opens the vault on `dir` with its configuration changed by `change` (test cost for Argon2 always).
    pub fn open_configured(&self, dir: &Path, change: impl FnOnce(&mut VaultConfig)) -> Vault {
        let mut config = VaultConfig::new(dir.to_path_buf());
        config.default_kdf = TEST_KDF;
        config.store = self.store_for(dir);
        change(&mut config);
        Vault::open(config, self.clock.clone()).expect("open vault")
    }

    pub fn clock_now(&self) -> SystemTime {
        self.clock.now()
    }

    pub fn remember(&self, name: &str, otpauth_uri: &str) {
        let seed = TotpSeed::from_otpauth_uri(otpauth_uri).expect("an otpauth URI");
        self.seeds.lock().expect("seeds").insert(name.to_lowercase(), seed.expose_secret().to_vec());
    }

    /// The code `name`'s app shows, one step (30 s) after the last one asked for: codes are single-use.
    pub fn code(&self, name: &str) -> String {
        self.clock.advance(Duration::from_secs(30));
        self.code_now(name)
    }

    /// The code `name`'s app shows now, without moving the clock.
    pub fn code_now(&self, name: &str) -> String {
        let seeds = self.seeds.lock().expect("seeds");
        let seed = seeds.get(&name.to_lowercase()).unwrap_or_else(|| panic!("no second factor for {name}"));
        let seed = TotpSeed::from_bytes(seed.clone()).expect("seed");
        seed.code_at(unix_seconds(self.clock.now()))
    }

    /// Initialises the vault with president Alice (and a leader if named); returns the leader's code.
    pub async fn init(&self, vault: &Vault, leader: Option<&str>) -> Option<String> {
        let outcome = vault
            .init(
                &anonymous(),
                InitParams {
                    president: "Alice".into(),
                    passphrase: passphrase(PRESIDENT_PASS),
                    leader: leader.map(str::to_string),
                    kdf: Some(TEST_KDF),
                },
            )
            .await
            .expect("init");
        self.remember("Alice", outcome.president_totp_uri.expose_secret());
        outcome.leader_enrolment.map(|(code, _)| code.expose_secret().to_string())
    }

    /// Initialises with president Alice, leader Bob (not enrolled) and the given share set; returns the issued
    /// shares.
    pub async fn init_with_shares(&self, vault: &Vault, spec: Option<ShareSetSpec>) -> Option<IssuedShares> {
        let params = InitParams {
            president: "Alice".into(),
            passphrase: passphrase(PRESIDENT_PASS),
            leader: Some("Bob".into()),
            kdf: Some(TEST_KDF),
        };
        let (outcome, issued) = vault.init_with_recovery(&anonymous(), params, spec).await.expect("init");
        self.remember("Alice", outcome.president_totp_uri.expose_secret());
        issued
    }

    pub async fn login(&self, vault: &Vault, name: &str, pass: &[u8]) -> RequestContext {
        let code = self.code(name);
        let outcome = vault.login(&anonymous(), name, passphrase(pass), &code).await.expect("login");
        session(outcome.token.expose_secret())
    }

    /// Redeems an enrolment code: starts it, reads the second factor as an app would, confirms with its first code.
    pub async fn enroll(&self, vault: &Vault, code: &str, pass: &[u8]) -> (String, Role) {
        let start = vault.start_enrollment(&anonymous(), code).await.expect("start enrolment");
        self.remember(&start.name, start.totp_uri.expose_secret());
        let totp = self.code(&start.name);
        vault.enroll(&anonymous(), code, passphrase(pass), &totp).await.expect("enroll")
    }

    /// Adds a person through `by`, enrols them with `pass`, and logs them in.
    pub async fn person(
        &self,
        vault: &Vault,
        by: &RequestContext,
        name: &str,
        role: Role,
        pass: &[u8],
    ) -> RequestContext {
        let enrolment = vault.add_person(by, name, role).await.expect("add person");
        self.enroll(vault, enrolment.code.expose_secret(), pass).await;
        self.login(vault, name, pass).await
    }
}

pub fn entry(platform: &str) -> NewEntry {
    NewEntry {
        platform: platform.into(),
        category: Category::SocialNetwork,
        url: String::new(),
        login: "comms@party.example".into(),
        recovery_contacts: vec![],
        classification: None,
        lifecycle: None,
        tags: vec![],
    }
}

pub fn secrets(password: &[u8]) -> Secrets {
    Secrets { password: SecretBytes::new(password.to_vec()), totp_seed: None, notes: None }
}
