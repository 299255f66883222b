//! What the recovery and backup tests share: a vault on a temporary directory with a manual clock, two holders
//! with age keys, and helpers to open their share files as a holder's client would.

#![allow(dead_code, unreachable_pub)]

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, SystemTime},
};

use coffre_crypto::{
    age_file::{self, AgeIdentity, Unlock},
    kdf::KdfParams,
    secret::{Passphrase, SecretBytes},
};
use coffre_vault::{
    Category, InitParams, NewEntry, RequestContext, Secrets, SessionToken, Vault, VaultConfig,
    clock::ManualClock,
    recovery::{HolderKey, HolderSpec, IssuedShares, ShareSetSpec},
};

pub const PRESIDENT_PASS: &[u8] = b"correct horse battery staple";
pub const TEST_KDF: KdfParams = KdfParams { memory_kib: 8_192, iterations: 1, parallelism: 1 };

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
}

impl Fixture {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
            clock: Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000))),
        }
    }

    pub fn clock_now(&self) -> SystemTime {
        coffre_vault::clock::Clock::now(self.clock.as_ref())
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn open(&self) -> Vault {
        self.open_at(&self.data_dir())
    }

    pub fn open_at(&self, dir: &Path) -> Vault {
        let mut config = VaultConfig::new(dir.to_path_buf());
        config.default_kdf = TEST_KDF;
        Vault::open(config, self.clock.clone()).expect("open vault")
    }
}

/// Initialises with president Alice and the given share set; returns the issued shares.
pub async fn init(vault: &Vault, spec: Option<ShareSetSpec>) -> Option<IssuedShares> {
    let params = InitParams {
        president: "Alice".into(),
        passphrase: passphrase(PRESIDENT_PASS),
        leader: Some("Bob".into()),
        kdf: Some(TEST_KDF),
    };
    vault.init_with_recovery(&anonymous(), params, spec).await.expect("init").1
}

pub async fn login(vault: &Vault, name: &str, pass: &[u8]) -> RequestContext {
    let outcome = vault.login(&anonymous(), name, passphrase(pass)).await.expect("login");
    session(outcome.token.expose_secret())
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
