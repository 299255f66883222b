//! Engine tests that need its internals: the audit log behind the public API.

use std::{
    sync::{Arc, atomic::Ordering},
    time::{Duration, SystemTime},
};

use coffre_crypto::{
    kdf::KdfParams,
    secret::{Passphrase, SecretBytes},
    totp::TotpSeed,
};

use crate::{
    Category, ErrorKind, InitParams, NewEntry, Outcome, RequestContext, RevealParams, SecretField, Secrets,
    SessionToken, Vault, VaultConfig,
    audit::{
        self,
        faulty::{Faults, Faulty},
    },
    clock::ManualClock,
};

pub(crate) const PASS: &[u8] = b"correct horse battery staple";

/// The owner's passphrase ([`PASS`]), as the engine takes it.
pub(crate) fn pass() -> Passphrase {
    Passphrase::new(PASS.to_vec()).expect("passphrase")
}
/// When the tests' clocks start (the TOTP codes need a time in this century).
fn start() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

pub(crate) fn ctx(token: Option<&str>) -> RequestContext {
    RequestContext {
        token: token.map(|t| SessionToken::new(t.to_string())),
        client_addr: "127.0.0.1:9".into(),
        client_agent: "unit".into(),
    }
}

/// A vault whose audit log writes through a disk that fails on demand, with one entry, and the president's session.
async fn vault_with_entry(dir: &std::path::Path) -> (Vault, RequestContext, Arc<Faults>) {
    let setup = Setup::new(dir).await;
    (setup.vault, setup.alice, setup.faults)
}

/// A vault on a disk that fails on demand, with the president logged in and one entry (Mailgun).
pub(crate) struct Setup {
    pub(crate) vault: Vault,
    pub(crate) alice: RequestContext,
    pub(crate) faults: Arc<Faults>,
    pub(crate) clock: Arc<ManualClock>,
    seed: TotpSeed,
}

impl Setup {
    pub(crate) async fn new(dir: &std::path::Path) -> Self {
        Self::with_store_retry(dir, VaultConfig::new(dir.to_path_buf()).store_retry_for).await
    }

    /// Like [`Setup::new`], with a change applied again to a store out of reach for `retry_for`.
    pub(crate) async fn with_store_retry(dir: &std::path::Path, retry_for: Duration) -> Self {
        Self::configured(dir, |config| config.store_retry_for = retry_for).await
    }

    /// Like [`Setup::new`], with the configuration changed by `change`.
    pub(crate) async fn configured(dir: &std::path::Path, change: impl FnOnce(&mut VaultConfig)) -> Self {
        let mut config = VaultConfig::new(dir.to_path_buf());
        change(&mut config);
        config.default_kdf = KdfParams { memory_kib: 8_192, iterations: 1, parallelism: 1 };
        let faults = Arc::new(Faults::default());
        let clock = Arc::new(ManualClock::new(start()));
        let vault = Vault::open_with(config, clock.clone(), Arc::new(Faulty(faults.clone()))).expect("open");
        let init = vault
            .init(&ctx(None), InitParams { president: "Alice".into(), passphrase: pass(), leader: None, kdf: None })
            .await
            .expect("init");
        let seed = TotpSeed::from_otpauth_uri(init.president_totp_uri.expose_secret()).expect("the president's factor");
        let code = seed.code_at(crate::clock::unix_seconds(start()));
        let login = vault.login(&ctx(None), "Alice", pass(), &code).await.expect("login");
        let alice = ctx(Some(login.token.expose_secret()));
        add_entry(&vault, &alice, "Mailgun", b"mg-secret").await;
        Self { vault, alice, faults, clock, seed }
    }

    /// The same vault after a restart (its handle dropped and the data directory and store opened again), unsealed
    /// by the president's passphrase; nobody is logged in (`alice` holds no session).
    pub(crate) async fn restarted(self) -> Self {
        let Setup { vault, faults, clock, seed, .. } = self;
        let config = vault.inner.config.clone();
        drop(vault);
        let vault = Vault::open_with(config, clock.clone(), Arc::new(Faulty(faults.clone()))).expect("open again");
        vault.unseal(&ctx(None), pass()).await.expect("unseal");
        Self { vault, alice: ctx(None), faults, clock, seed }
    }

    /// The same vault taken over by a standby armed with the president's passphrase (its handle dropped, the data
    /// directory and store opened again, `unseal_armed`): `alice` is the session she had, carried over or not.
    pub(crate) async fn taken_over(self) -> Self {
        let Setup { vault, alice, faults, clock, seed } = self;
        let config = vault.inner.config.clone();
        drop(vault);
        let vault = Vault::open_with(config, clock.clone(), Arc::new(Faulty(faults.clone()))).expect("open again");
        let armed = vault.unseal_armed(&ctx(None), pass()).await.expect("an armed unseal");
        assert_eq!(armed, crate::ArmedUnseal::Unsealed);
        Self { vault, alice, faults, clock, seed }
    }

    /// `name`, added by the president with `role` and enrolled with `passphrase`; their authenticator's seed.
    pub(crate) async fn enrolled(&self, name: &str, role: crate::Role, passphrase: Passphrase) -> TotpSeed {
        let added = self.vault.add_person(&self.alice, name, role).await.expect("add");
        let code = added.code.expose_secret();
        let start = self.vault.start_enrollment(&ctx(None), code).await.expect("start");
        let seed = TotpSeed::from_otpauth_uri(start.totp_uri.expose_secret()).expect("factor");
        self.vault.enroll(&ctx(None), code, passphrase, &next_code(&self.clock, &seed)).await.expect("enroll");
        seed
    }

    /// The database goes away under the president's new entry "Nextcloud" and stays away (for a vault whose
    /// writer does not retry, [`Setup::with_store_retry`]): the log holds the change, the store does not.
    pub(crate) async fn a_change_the_store_misses(&self) {
        self.faults.store_unreachable_writes.store(u64::MAX, std::sync::atomic::Ordering::Release);
        let (entry, secrets) = software_entry("Nextcloud", b"nc-secret");
        let behind = self.vault.create_entry(&self.alice, entry, secrets).await.expect_err("the store stayed away");
        assert_eq!(behind.code(), "store-behind", "{behind}");
    }

    /// Logs the president in again, with the next authenticator code.
    pub(crate) async fn login_again(&self) -> RequestContext {
        self.try_login_again().await.expect("login")
    }

    /// Logs the president in again, with the next authenticator code, or says why not.
    pub(crate) async fn try_login_again(&self) -> crate::Result<RequestContext> {
        let code = next_code(&self.clock, &self.seed);
        let pass = Passphrase::new(PASS.to_vec()).expect("passphrase");
        let login = self.vault.login(&ctx(None), "Alice", pass, &code).await?;
        Ok(ctx(Some(login.token.expose_secret())))
    }
}

/// A software entry on `platform`, and its secrets with `password`.
pub(crate) fn software_entry(platform: &str, password: &[u8]) -> (NewEntry, Secrets) {
    let entry = NewEntry {
        platform: platform.into(),
        category: Category::Software,
        url: String::new(),
        login: "ops".into(),
        recovery_contacts: vec![],
        classification: None,
        lifecycle: None,
        tags: vec![],
    };
    (entry, Secrets { password: SecretBytes::new(password.to_vec()), totp_seed: None, notes: None })
}

/// Adds a software entry with `password`.
pub(crate) async fn add_entry(vault: &Vault, ctx: &RequestContext, platform: &str, password: &[u8]) {
    let (entry, secrets) = software_entry(platform, password);
    vault.create_entry(ctx, entry, secrets).await.expect("create");
}

pub(crate) fn reveal() -> RevealParams {
    RevealParams {
        platform: "Mailgun".into(),
        field: SecretField::Password,
        reason: "send the newsletter".into(),
        version: None,
    }
}

fn events(vault: &Vault) -> Vec<audit::AuditEvent> {
    let open = vault.inner.unsealed().expect("unsealed");
    audit::read_all(&vault.inner.audit, &open.audit_keys).expect("log verifies")
}

#[tokio::test]
async fn no_secret_leaves_when_its_audit_event_cannot_be_made_durable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vault, alice, faults) = vault_with_entry(dir.path()).await;
    let before = events(&vault).len();

    faults.full.store(true, Ordering::Release);
    let err = vault.reveal(&alice, reveal()).await.expect_err("the flush failed");
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    faults.full.store(false, Ordering::Release);
    assert_eq!(events(&vault).len(), before, "a failed batch leaves nothing behind");

    // The daemon keeps serving, and recovers by itself once writes succeed again.
    assert_eq!(vault.list_entries(&alice, false).expect("list still works").len(), 1);
    let revealed = vault.reveal(&alice, reveal()).await.expect("reveal after recovery");
    assert_eq!(revealed.secret.expose_secret(), b"mg-secret");

    let log = events(&vault);
    let last = log.last().expect("an event");
    assert_eq!(last.seq, revealed.audit_seq);
    assert_eq!((last.action.as_str(), last.target.as_str(), last.actor.as_str()), ("reveal", "Mailgun", "Alice"));
    assert_eq!((last.outcome, last.reason.as_str()), (Outcome::Success, "send the newsletter"));
    assert_eq!(last.detail, "field=password version=1");
}

#[tokio::test]
async fn a_change_the_store_refuses_after_the_log_took_it_seals_the_vault_and_comes_back_at_unseal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::new(dir.path()).await;
    let (vault, alice) = (&setup.vault, &setup.alice);

    // The log takes the change (durable), then the store refuses its batch.
    setup.faults.store_refusals.store(1, Ordering::Release);
    let nextcloud = || software_entry("Nextcloud", b"nc-secret");
    let (entry, secrets) = nextcloud();
    let err = vault.create_entry(alice, entry, secrets).await.expect_err("the store refused it");
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
    assert_eq!(vault.status().state, crate::SealState::Sealed, "the vault seals itself: its store is behind its log");
    assert!(vault.list_entries(alice, false).is_err(), "nothing is served from a store behind its log");

    // The next unseal replays the change from the log: the entry is there, once.
    vault.unseal(&ctx(None), pass()).await.expect("unseal");
    let alice = setup.login_again().await;
    let names: Vec<String> = vault.list_entries(&alice, false).expect("list").into_iter().map(|e| e.platform).collect();
    assert_eq!(names, vec!["Mailgun".to_string(), "Nextcloud".to_string()]);
    let params = RevealParams { platform: "Nextcloud".into(), ..reveal() };
    let revealed = vault.reveal(&alice, params).await.expect("the replayed entry opens");
    assert_eq!(revealed.secret.expose_secret(), b"nc-secret");
    let (entry, secrets) = nextcloud();
    let again = vault.create_entry(&alice, entry, secrets).await.expect_err("it exists: the change was kept");
    assert_eq!(again.kind(), ErrorKind::AlreadyExists, "{again}");
    let unseals: Vec<String> = events(vault).into_iter().filter(|e| e.action == "unseal").map(|e| e.detail).collect();
    assert!(
        unseals.last().is_some_and(|detail| detail.starts_with("store_replayed=1")),
        "the unseal says it replayed the change: {unseals:?}"
    );
}

#[tokio::test]
async fn every_operation_leaves_an_event_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vault, alice, _) = vault_with_entry(dir.path()).await;
    vault.reveal(&alice, reveal()).await.expect("reveal");
    let wrong = Passphrase::new(b"not the right one".to_vec()).expect("passphrase");
    vault.login(&ctx(None), "Alice", wrong, "123456").await.expect_err("wrong passphrase");
    let actions: Vec<(String, Outcome)> = events(&vault).into_iter().map(|e| (e.action, e.outcome)).collect();
    let expected = [
        ("init", Outcome::Success),
        ("login", Outcome::Success),
        ("entry.create", Outcome::Success),
        ("reveal", Outcome::Success),
        ("login", Outcome::Failure),
    ];
    let expected: Vec<(String, Outcome)> = expected.iter().map(|(a, o)| (a.to_string(), *o)).collect();
    assert_eq!(actions, expected);
}

#[tokio::test]
async fn an_export_verifies_offline_with_the_public_key_from_status() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vault, alice, _) = vault_with_entry(dir.path()).await;
    vault.reveal(&alice, reveal()).await.expect("reveal");
    let export = vault.export_audit(&alice).await.expect("export");
    assert_eq!(export.events(), 5, "init, login, entry.create, reveal, audit.export");
    let text: String = export.lines().expect("lines").collect::<crate::Result<_>>().expect("every line");
    let key = coffre_audit::AuditPublicKey::parse(&vault.status().audit_public_key.expect("key")).expect("key");
    let summary = coffre_audit::verify::verify(text.as_bytes(), &key).expect("the export verifies");
    assert_eq!(summary.events, 5);
    assert!(text.lines().nth(5).is_some_and(|l| l.contains("\"action\":\"audit.export\"")));
}

#[tokio::test]
async fn the_log_lists_by_actor_action_target_and_time_in_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vault, alice, _) = vault_with_entry(dir.path()).await;
    for _ in 0..3 {
        vault.reveal(&alice, reveal()).await.expect("reveal");
    }
    let filter = |action: &str, limit| crate::AuditFilter { action: Some(action.into()), limit, ..Default::default() };
    let page = vault.list_audit(&alice, filter("reveal", 2)).await.expect("list");
    assert_eq!(page.events.len(), 2);
    let next = page.next_after_seq.expect("more");
    let page2 =
        vault.list_audit(&alice, crate::AuditFilter { after_seq: next, ..filter("reveal", 2) }).await.expect("list");
    assert_eq!(page2.events.len(), 1);
    assert_eq!(page2.next_after_seq, None);
    let entry_events = vault.list_audit(&alice, filter("entry", 0)).await.expect("list");
    assert_eq!(entry_events.events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["entry.create"]);
    let by_target = crate::AuditFilter { target: Some("mailgun".into()), ..Default::default() };
    assert_eq!(vault.list_audit(&alice, by_target).await.expect("list").events.len(), 4);
    let later = crate::AuditFilter { since: Some(start() + Duration::from_secs(1)), ..Default::default() };
    assert!(vault.list_audit(&alice, later).await.expect("list").events.is_empty());
    let too_many = crate::AuditFilter { limit: crate::MAX_PAGE + 1, ..Default::default() };
    assert_eq!(vault.list_audit(&alice, too_many).await.expect_err("limit").kind(), ErrorKind::InvalidArgument);
}

#[tokio::test]
async fn unseal_refuses_a_broken_chain_and_names_the_event() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vault, alice, _) = vault_with_entry(dir.path()).await;
    vault.seal(&alice).await.expect("seal");
    let last = vault.inner.audit.written();
    drop(vault);
    // Someone with the disk but not the key changes the last event's ciphertext (keeping the frame's CRC right).
    audit::segment::rewrite(&dir.path().join("audit").join("00000000000000000001.log"), |frame| {
        if let (true, audit::segment::Body::Event(sealed)) = (frame.seq == last, &mut frame.body) {
            sealed[40] ^= 0x55;
        }
        true
    });

    let mut config = VaultConfig::new(dir.path().to_path_buf());
    config.default_kdf = KdfParams { memory_kib: 8_192, iterations: 1, parallelism: 1 };
    let vault = Vault::open(config, Arc::new(ManualClock::new(start()))).expect("open");
    let pass = Passphrase::new(PASS.to_vec()).expect("passphrase");
    let err = vault.unseal(&ctx(None), pass).await.expect_err("broken chain");
    assert!(matches!(err, crate::Error::AuditChainBroken { seq, .. } if seq == last), "{err}");
    assert!(err.to_string().contains(&format!("broken at event {last}")), "{err}");
    assert_eq!(err.kind(), ErrorKind::FailedPrecondition);
    assert_eq!(vault.status().state, crate::SealState::Sealed);
}

/// The code `seed` shows one step after the clock's now, moving the clock there (codes are single-use).
pub(crate) fn next_code(clock: &ManualClock, seed: &TotpSeed) -> String {
    clock.advance(Duration::from_secs(30));
    seed.code_at(crate::clock::unix_seconds(crate::clock::Clock::now(clock)))
}

#[tokio::test]
async fn people_grants_and_offboarding_are_audited_step_by_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = VaultConfig::new(dir.path().to_path_buf());
    config.default_kdf = KdfParams { memory_kib: 8_192, iterations: 1, parallelism: 1 };
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)));
    let vault = Vault::open(config, clock.clone()).expect("open");
    let pass = |p: &[u8]| Passphrase::new(p.to_vec()).expect("passphrase");
    let init = vault
        .init(&ctx(None), InitParams { president: "Alice".into(), passphrase: pass(PASS), leader: None, kdf: None })
        .await
        .expect("init");
    let alice_seed = TotpSeed::from_otpauth_uri(init.president_totp_uri.expose_secret()).expect("factor");
    let login = |name: &'static str, p: &'static [u8], seed: &TotpSeed| {
        let code = next_code(&clock, seed);
        let vault = vault.clone();
        async move {
            let outcome = vault.login(&ctx(None), name, Passphrase::new(p.to_vec()).expect("p"), &code).await;
            ctx(Some(outcome.expect("login").token.expose_secret()))
        }
    };
    let alice = login("Alice", PASS, &alice_seed).await;
    for platform in ["Mailgun", "Nextcloud"] {
        add_entry(&vault, &alice, platform, b"pw").await;
    }
    let added = vault.add_person(&alice, "Dave", crate::Role::Member).await.expect("add");
    let start = vault.start_enrollment(&ctx(None), added.code.expose_secret()).await.expect("start");
    let dave_seed = TotpSeed::from_otpauth_uri(start.totp_uri.expose_secret()).expect("factor");
    let code = next_code(&clock, &dave_seed);
    let dave_pass: &'static [u8] = b"dave's own passphrase";
    vault.enroll(&ctx(None), added.code.expose_secret(), pass(dave_pass), &code).await.expect("enroll");
    let dave = login("Dave", dave_pass, &dave_seed).await;
    let grant = crate::NewGrant {
        person: "Dave".into(),
        scope: crate::Scope::Entry("Mailgun".into()),
        until: crate::GrantUntil::For(Duration::from_secs(3600)),
        task: "send the newsletter".into(),
    };
    vault.add_grant(&alice, grant).await.expect("grant");
    vault.reveal(&dave, reveal()).await.expect("reveal");
    let other = RevealParams { platform: "Nextcloud".into(), ..reveal() };
    assert_eq!(vault.reveal(&dave, other).await.expect_err("no grant").kind(), ErrorKind::PermissionDenied);
    clock.advance(Duration::from_secs(3600));
    let dave = login("Dave", dave_pass, &dave_seed).await;
    assert!(vault.list_entries(&dave, false).expect("list").is_empty(), "expired");
    let alice2 = login("Alice", PASS, &alice_seed).await;
    vault.offboard_person(&alice2, "Dave").await.expect("offboard");
    drop(alice);

    // grant.expire is written in the background (it is noted on a read path), so which of it and the next change
    // takes the write lock first is the scheduler's choice: wait for it, then check each order that is promised.
    let mut log = events(&vault);
    for _ in 0..3_000 {
        if log.iter().any(|e| e.action == "grant.expire") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        log = events(&vault);
    }
    let seen: Vec<(String, Outcome, String)> =
        log.iter().map(|e| (e.action.clone(), e.outcome, e.target.clone())).collect();
    let steps = [
        ("person.add", Outcome::Success, "Dave"),
        ("enroll", Outcome::Success, "Dave"),
        ("enroll", Outcome::Success, "Dave"),
        ("login", Outcome::Success, "Dave"),
        ("grant.add", Outcome::Success, "Dave"),
        ("reveal", Outcome::Success, "Mailgun"),
        ("reveal", Outcome::Denied, "Nextcloud"),
        ("login", Outcome::Success, "Dave"),
    ];
    let in_order = |expected: &[(&str, Outcome, &str)]| {
        let mut rest = seen.iter();
        for (action, outcome, target) in expected {
            assert!(
                rest.any(|(a, o, t)| a == action && o == outcome && t == target),
                "{action} {outcome:?} {target} missing or out of order in {seen:?}"
            );
        }
    };
    let then = |last: (&'static str, Outcome, &'static str)| [steps.as_slice(), &[last]].concat();
    // The expiry follows the list that saw it; Alice's login and the offboarding follow in the caller's order.
    in_order(&then(("grant.expire", Outcome::Success, "Dave")));
    in_order(
        &[then(("login", Outcome::Success, "Alice")), vec![("person.offboard", Outcome::Success, "Dave")]].concat(),
    );
    assert_eq!(seen.iter().filter(|(a, _, _)| a == "grant.expire").count(), 1, "one expiry event: {seen:?}");
    let offboard = log.iter().find(|e| e.action == "person.offboard").expect("offboard event");
    assert!(offboard.detail.contains("rotation_due=Mailgun"), "{}", offboard.detail);
    let grant_event = log.iter().find(|e| e.action == "grant.add").expect("grant event");
    assert_eq!(grant_event.reason, "send the newsletter");
}

#[tokio::test]
async fn a_vault_from_before_the_log_carried_changes_gets_a_baseline_and_can_then_be_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vault, alice, _) = vault_with_entry(dir.path()).await;
    vault.seal(&alice).await.expect("seal");
    drop(vault);
    // What an older coffred left: no change frames in the log, no applied marker in the store, no header copy.
    audit::segment::rewrite(&dir.path().join("audit").join("00000000000000000001.log"), |frame| {
        !matches!(frame.body, audit::segment::Body::Change(_))
    });
    {
        let store = coffre_store::SledStore::open(&dir.path().join("db")).expect("store");
        let mut batch = coffre_store::Batch::default();
        batch.remove(crate::journal::APPLIED_KEY.to_vec());
        batch.remove(crate::journal::READ_TO_KEY.to_vec());
        // Nor the mark of an owner's seal (standby.rs), which this test's seal wrote.
        batch.remove(crate::standby::SEALED_BY_OWNER.to_vec());
        coffre_store::Store::apply(&store, batch).expect("remove the marker");
    }
    std::fs::remove_file(dir.path().join(crate::journal::HEADER_COPY)).expect("no copy");

    let config = || {
        let mut config = VaultConfig::new(dir.path().to_path_buf());
        config.default_kdf = KdfParams { memory_kib: 8_192, iterations: 1, parallelism: 1 };
        config
    };
    let clock = Arc::new(ManualClock::new(start() + Duration::from_secs(3600)));
    let vault = Vault::open(config(), clock.clone()).expect("open");
    vault.unseal(&ctx(None), pass()).await.expect("an older vault unseals");
    let keys = vault.inner.unsealed().expect("unsealed").audit_keys.clone();
    let events = audit::read_all(&vault.inner.audit, &keys).expect("events");
    let baseline = events.iter().find(|e| e.action == "store.baseline").expect("a baseline event");
    assert!(baseline.detail.starts_with("records="), "{}", baseline.detail);
    assert!(dir.path().join(crate::journal::HEADER_COPY).exists(), "the header's copy is written at unseal");
    let store = || coffre_store::SledStore::open(&dir.path().join("db")).expect("store");
    drop(vault);

    // From now on it is checked like any other, and the log alone rebuilds it.
    let target = dir.path().join("rebuilt");
    let report = crate::rebuild_store(dir.path(), &target, pass(), clock.clone()).await.expect("rebuild");
    assert_eq!(report.changes, 1, "the baseline holds the store's contents whole: {report:?}");
    let rebuilt = coffre_store::SledStore::open(&target.join("db")).expect("rebuilt");
    // Every record but the checkpoint's record of how far the store has read the log (not written by a rebuild).
    let all = |s: &coffre_store::SledStore| {
        coffre_store::Store::scan_all(s)
            .map(|p| p.expect("read"))
            .filter(|(key, _)| key.as_slice() != crate::journal::READ_TO_KEY)
            .collect::<Vec<_>>()
    };
    assert_eq!(all(&rebuilt), all(&store()));
    drop(rebuilt);
    let vault = Vault::open(config(), clock).expect("open again");
    vault.unseal(&ctx(None), pass()).await.expect("unseals against its baseline");
}

#[tokio::test]
async fn a_salvage_drops_an_event_whose_change_is_damaged_and_keeps_everything_before() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("data dir");
    let (vault, alice, _) = vault_with_entry(&data).await;
    let created = vault.inner.audit.written();
    vault.seal(&alice).await.expect("seal");
    drop(vault);
    // The entry's change is changed on disk by someone without the key (its frame's CRC made right again).
    let segment = data.join("audit").join("00000000000000000001.log");
    audit::segment::rewrite(&segment, |frame| {
        if let (true, audit::segment::Body::Change(body)) = (frame.seq == created, &mut frame.body) {
            body[20] ^= 0x01;
        }
        true
    });
    let target = dir.path().join("salvaged");
    let pass = Passphrase::new(PASS.to_vec()).expect("passphrase");
    let clock = Arc::new(ManualClock::new(start() + Duration::from_secs(3600)));
    let report = crate::salvage(&data, &target, pass, clock).await.expect("salvage");
    assert_eq!(report.last_good_event, created - 1, "the event goes with its damaged change: {report:?}");
    assert!(report.bytes_kept_aside > 0);
}

#[tokio::test]
async fn an_unseal_reads_the_log_for_changes_only_after_where_the_store_has_read_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vault, alice, _) = vault_with_entry(dir.path()).await;
    let last_change = vault.inner.audit.written();
    // Many events, all but the first changing nothing in the store (the first reveal's mark is a change).
    for _ in 0..50 {
        let params = RevealParams {
            platform: "Mailgun".into(),
            field: SecretField::Password,
            reason: "a check".into(),
            version: None,
        };
        vault.reveal(&alice, params).await.expect("reveal");
    }
    assert_eq!(vault.inner.audit.written(), last_change + 50, "the reveals were logged");
    // The logout removes the session the store kept (sessions.rs): so the unseal below has none to remove.
    vault.logout(&alice).await.expect("logout");
    let head = vault.inner.audit.written();
    // Closing checkpoints the store, with how far it has read the log.
    drop(vault);

    let mut config = VaultConfig::new(dir.path().to_path_buf());
    config.default_kdf = KdfParams { memory_kib: 8_192, iterations: 1, parallelism: 1 };
    let clock = Arc::new(ManualClock::new(start() + Duration::from_secs(60)));
    let vault = Vault::open(config, clock).expect("open");
    let written = vault.inner.audit.written();
    assert_eq!(written, head);
    let inner = vault.inner.clone();
    let keys = {
        vault.unseal(&ctx(None), pass()).await.expect("unseal");
        vault.inner.unsealed().expect("unsealed").audit_keys.clone()
    };
    // The same check as the unseal's, run again on the store as the unseal left it.
    let file = dir.path().join("db");
    let reconciled =
        crate::journal::reconcile(&*inner.store, &file, None, inner.audit.dir(), keys, inner.audit.written())
            .expect("the store agrees with the log");
    let crate::journal::Reconciled::Agree { applied, replayed, read_from, .. } = reconciled else {
        panic!("not a baseline: {reconciled:?}")
    };
    assert_eq!(replayed, 0);
    assert_eq!(applied.seq, head, "the logout was the store's last change, and the unseal made none: {applied:?}");
    assert!(read_from > head, "the log is read from after the store's record ({read_from}), not from {}", applied.seq);
}

/// An entry `platform` (with a full-width letter, so NFKC changes it) indexed as before normalisation, written
/// through the log as an older coffred did; with `unmark`, the store's mark that its indexes were moved is taken
/// away too (a vault from before the mark). Returns the older index's key.
async fn an_older_index(vault: &Vault, alice: &RequestContext, platform: &str, unmark: bool) -> Vec<u8> {
    use coffre_crypto::index::{IndexDomain, legacy_lookup_id, lookup_id};
    add_entry(vault, alice, platform, b"old-secret").await;
    let inner = &vault.inner;
    let open = inner.unsealed().expect("unsealed");
    let current =
        crate::records::key(crate::records::ENTRY_INDEX, &lookup_id(&open.index_key, IndexDomain::Platform, platform));
    let legacy = crate::records::key(
        crate::records::ENTRY_INDEX,
        &legacy_lookup_id(&open.index_key, IndexDomain::Platform, platform),
    );
    assert_ne!(current, legacy, "NFKC changes this name");
    let id = inner.store.get(&current).expect("read").expect("the index");
    // Through the log, as the older coffred wrote it: the store must stay what the log describes.
    let mut batch = coffre_store::Batch::default();
    batch.remove(current);
    batch.insert(legacy.clone(), id);
    if unmark {
        batch.remove(crate::names::NAMES_NORMALISED.to_vec());
    }
    inner.commit(inner.event(&ctx(None), "-", "older.names", "", Outcome::Success), batch).await.expect("commit");
    legacy
}

#[tokio::test]
async fn older_name_indexes_are_moved_at_one_unseal_and_later_unseals_do_not_look_for_them_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::new(dir.path()).await;
    let platform = "ｍailgun-old";
    an_older_index(&setup.vault, &setup.alice, platform, true).await;
    let normalise_events = |vault: &Vault| {
        events(vault).into_iter().filter(|e| e.action == "names.normalise").map(|e| e.detail).collect::<Vec<_>>()
    };
    assert!(
        normalise_events(&setup.vault).is_empty(),
        "a new vault has nothing to move: {:?}",
        normalise_events(&setup.vault)
    );
    let path = dir.path().to_path_buf();
    let clock = setup.clock.clone();
    let unseal_again = |vault: Vault| {
        let (path, clock) = (path.clone(), clock.clone());
        async move {
            drop(vault);
            let mut config = VaultConfig::new(path);
            config.default_kdf = KdfParams { memory_kib: 8_192, iterations: 1, parallelism: 1 };
            let vault = Vault::open(config, clock).expect("open");
            vault.unseal(&ctx(None), pass()).await.expect("unseal");
            vault
        }
    };
    let vault = unseal_again(setup.vault).await;
    assert_eq!(normalise_events(&vault), vec!["indexes_moved=1".to_string()], "moved at the first unseal");
    let alice = {
        let code = next_code(&setup.clock, &setup.seed);
        let login = vault.login(&ctx(None), "Alice", Passphrase::new(PASS.to_vec()).expect("pass"), &code).await;
        ctx(Some(login.expect("login").token.expose_secret()))
    };
    let params = RevealParams { platform: platform.into(), ..reveal() };
    assert_eq!(vault.reveal(&alice, params).await.expect("found by its name").secret.expose_secret(), b"old-secret");
    // With the mark there, an unseal does not read every name again: an older index it would have moved stays
    // (and is still found through the fallback).
    let left = an_older_index(&vault, &alice, "ｎextcloud-old", false).await;
    let vault = unseal_again(vault).await;
    assert_eq!(normalise_events(&vault).len(), 1, "the next unseal does not look for older indexes again");
    assert!(vault.inner.store.get(&left).expect("read").is_some(), "not looked for");
}

/// The version cache (entry_cache.rs) gives what the store holds: a version written again under the same key,
/// through the engine's store, is read again at the next reveal. (Versions are written once today; the cache must
/// not rely on it.)
#[tokio::test]
async fn a_version_written_again_is_revealed_as_stored_not_as_cached() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Setup { vault, alice, .. } = Setup::new(dir.path()).await;
    let first = vault.reveal(&alice, reveal()).await.expect("reveal");
    assert_eq!(first.secret.expose_secret(), b"mg-secret");
    let open = vault.inner.unsealed().expect("unsealed");
    let entry = vault.inner.entry_by_name(&open, "Mailgun").expect("entry");
    let mut record = vault.inner.version(&open, &entry.id, 1).expect("version 1");
    record.password = b"written-again".to_vec();
    let mut batch = coffre_store::Batch::default();
    crate::entries::put_version(&open, &mut batch, &entry.id, &record).expect("seal");
    vault.inner.store.apply(batch).expect("apply");
    let again = vault.reveal(&alice, reveal()).await.expect("reveal");
    assert_eq!(again.secret.expose_secret(), b"written-again");
}

/// An audit listing holds every event recorded before it was asked for, even one written without waiting (a wrong
/// enrolment code, a refused read): an auditor who looks right after an incident sees it. The disk stalls while
/// the refused enrolment's event waits to be written and the listing starts; the listing still has it.
#[tokio::test]
async fn an_audit_listing_holds_the_events_recorded_without_waiting_before_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::new(dir.path()).await;
    setup.faults.stall(true);
    let refused = setup.vault.start_enrollment(&ctx(None), "not-a-code").await;
    assert!(refused.is_err(), "a code nobody was given");
    let filter = crate::AuditFilter { action: Some("enroll".into()), ..Default::default() };
    let listing = setup.vault.list_audit(&setup.alice, filter);
    tokio::pin!(listing);
    // The listing starts (and, before the fix, chose the events it would read) while the disk stalls.
    std::future::poll_fn(|cx| {
        let _ = listing.as_mut().poll(cx);
        std::task::Poll::Ready(())
    })
    .await;
    setup.faults.stall(false);
    let page = listing.await.expect("list");
    let refusals = page.events.iter().filter(|e| e.outcome == Outcome::Failure).count();
    assert_eq!(refusals, 1, "the refused enrolment is listed: {:?}", page.events);
}

/// Polls `future` once: it runs until it first waits (here, on the stalled disk or on the engine's write lock).
async fn poll_once<F: std::future::Future>(future: std::pin::Pin<&mut F>) {
    let mut future = future;
    std::future::poll_fn(|cx| {
        let _ = future.as_mut().poll(cx);
        std::task::Poll::Ready(())
    })
    .await;
}

/// A member's first reveal of an entry that is under way while an owner offboards that member: the reveal that
/// began first leaves its mark and the offboarding flags the entry; the offboarding that began first makes the
/// reveal refused (and audited). Before the fix, the offboarding read
/// the member's reveal marks while the reveal's own mark waited on the disk, so the password left after the
/// offboarding and its entry was never flagged (the union directive broken), whichever of the two began first.
#[tokio::test]
async fn a_reveal_under_way_while_its_person_is_offboarded_is_refused_or_flagged() {
    for reveal_first in [true, false] {
        let dir = tempfile::tempdir().expect("tempdir");
        let setup = Setup::new(dir.path()).await;
        let dave_pass = || Passphrase::new(b"dave's own passphrase".to_vec()).expect("passphrase");
        let seed = setup.enrolled("Dave", crate::Role::Member, dave_pass()).await;
        let grant = crate::NewGrant {
            person: "Dave".into(),
            scope: crate::Scope::Entry("Mailgun".into()),
            until: crate::GrantUntil::For(Duration::from_secs(3600)),
            task: "newsletter".into(),
        };
        setup.vault.add_grant(&setup.alice, grant).await.expect("grant");
        let code = next_code(&setup.clock, &seed);
        let login = setup.vault.login(&ctx(None), "Dave", dave_pass(), &code).await.expect("login");
        let dave = ctx(Some(login.token.expose_secret()));

        setup.faults.stall(true);
        let reveal = setup.vault.reveal(&dave, reveal());
        let offboard = setup.vault.offboard_person(&setup.alice, "Dave");
        tokio::pin!(reveal, offboard);
        if reveal_first {
            poll_once(reveal.as_mut()).await;
            poll_once(offboard.as_mut()).await;
        } else {
            poll_once(offboard.as_mut()).await;
            poll_once(reveal.as_mut()).await;
        }
        setup.faults.stall(false);
        let (revealed, offboarded) = tokio::join!(reveal, offboard);
        let offboarded = offboarded.expect("offboard");
        if reveal_first {
            let revealed = revealed.expect("the reveal began first");
            assert_eq!(revealed.secret.expose_secret(), b"mg-secret");
            assert_eq!(offboarded.rotation_due, vec!["Mailgun".to_string()], "the password Dave saw must change");
        } else {
            let refused = revealed.err().map(|err| err.kind());
            assert_eq!(refused, Some(ErrorKind::Unauthenticated), "nothing leaves after the offboarding");
            assert!(offboarded.rotation_due.is_empty(), "{:?}", offboarded.rotation_due);
            let last = events(&setup.vault).pop().expect("an event");
            assert_eq!((last.action.as_str(), last.outcome), ("reveal", Outcome::Denied), "the refusal is audited");
        }
    }
}

/// A person's second factor (its seed) leaves the daemon at every start of their enrolment, the same seed until the
/// enrolment completes: every time is audited, durable before the seed leaves, with the client it went to. Before
/// the fix only the first was, so whoever used a photographed handout's code after its person had started left no
/// trace, and kept a copy of the person's second factor.
#[tokio::test]
async fn every_offer_of_a_second_factor_is_audited_with_the_client_it_went_to() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::new(dir.path()).await;
    let added = setup.vault.add_person(&setup.alice, "Dave", crate::Role::Member).await.expect("add");
    let code = added.code.expose_secret();
    let first = setup.vault.start_enrollment(&ctx(None), code).await.expect("start");
    let elsewhere = RequestContext { client_addr: "203.0.113.7:4242".into(), ..ctx(None) };
    let again = setup.vault.start_enrollment(&elsewhere, code).await.expect("start again");
    assert_eq!(first.totp_uri.expose_secret(), again.totp_uri.expose_secret(), "the same seed until enrolled");
    let offers: Vec<String> = events(&setup.vault)
        .into_iter()
        .filter(|e| e.action == "enroll" && e.detail.starts_with("stage=second-factor-offered"))
        .map(|e| e.client_addr)
        .collect();
    assert_eq!(offers, vec!["127.0.0.1:9".to_string(), "203.0.113.7:4242".to_string()]);
}
