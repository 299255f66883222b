//! The engine through its public API, on a real sled database and audit log in a temporary directory, with a
//! manual clock. Argon2 cost is lowered through configuration only.

use std::{
    path::Path,
    sync::Arc,
    time::{Duration, SystemTime},
};

use coffre_crypto::{
    kdf::KdfParams,
    secret::{Passphrase, SecretBytes},
};
use coffre_vault::{
    Category, Classification, EntryUpdate, ErrorKind, InitParams, Lifecycle, NewEntry, RequestContext, RevealParams,
    Role, SealState, SecretField, Secrets, SessionToken, Vault, VaultConfig, clock::ManualClock,
};

const PRESIDENT_PASS: &[u8] = b"correct horse battery staple";
const LEADER_PASS: &[u8] = b"leader's own long passphrase";
const TEST_KDF: KdfParams = KdfParams { memory_kib: 8_192, iterations: 1, parallelism: 1 };

fn passphrase(bytes: &[u8]) -> Passphrase {
    Passphrase::new(bytes.to_vec()).expect("valid passphrase")
}

struct Fixture {
    dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
}

impl Fixture {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
            clock: Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000))),
        }
    }

    fn open(&self) -> Vault {
        let mut config = VaultConfig::new(self.dir.path().to_path_buf());
        config.default_kdf = TEST_KDF;
        Vault::open(config, self.clock.clone()).expect("open vault")
    }
}

fn anonymous() -> RequestContext {
    RequestContext { token: None, client_addr: "127.0.0.1:4000".into(), client_agent: "engine-test".into() }
}

fn session(token: &str) -> RequestContext {
    RequestContext { token: Some(SessionToken::new(token.to_string())), ..anonymous() }
}

async fn init(vault: &Vault, leader: Option<&str>) -> Option<String> {
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
    outcome.leader_enrolment.map(|(code, _)| code.expose_secret().to_string())
}

async fn login(vault: &Vault, name: &str, pass: &[u8]) -> RequestContext {
    let outcome = vault.login(&anonymous(), name, passphrase(pass)).await.expect("login");
    session(outcome.token.expose_secret())
}

fn facebook() -> (NewEntry, Secrets) {
    (
        NewEntry {
            platform: "Facebook".into(),
            category: Category::SocialNetwork,
            url: "https://facebook.com".into(),
            login: "party-official".into(),
            recovery_contacts: vec!["+1 555 0100".into()],
            classification: Some(Classification::Confidential),
            lifecycle: None,
            tags: vec!["comms".into()],
        },
        Secrets {
            password: SecretBytes::new(b"fb-password-1".to_vec()),
            totp_seed: None,
            notes: Some(SecretBytes::new(b"recovery codes: 1234".to_vec())),
        },
    )
}

/// An unsealed vault with the president logged in and the Facebook entry added.
async fn with_facebook(fx: &Fixture) -> (Vault, RequestContext) {
    let vault = fx.open();
    init(&vault, None).await;
    let alice = login(&vault, "Alice", PRESIDENT_PASS).await;
    let (entry, secrets) = facebook();
    vault.create_entry(&alice, entry, secrets).await.expect("create");
    (vault, alice)
}

fn reveal(platform: &str, field: SecretField, version: Option<u32>) -> RevealParams {
    RevealParams { platform: platform.into(), field, reason: "post the weekly video".into(), version }
}

#[tokio::test]
async fn init_add_reveal_then_restart_comes_up_sealed_and_unseals() {
    let fx = Fixture::new();
    {
        let vault = fx.open();
        assert_eq!(vault.status().state, SealState::Uninitialised);
        init(&vault, None).await;
        assert_eq!(vault.status().state, SealState::Unsealed);
        let alice = login(&vault, "alice", PRESIDENT_PASS).await;
        let (entry, secrets) = facebook();
        let view = vault.create_entry(&alice, entry, secrets).await.expect("create");
        assert_eq!(view.version, 1);
        assert!(view.has_notes && !view.has_totp);
        let revealed = vault.reveal(&alice, reveal("facebook", SecretField::Password, None)).await.expect("reveal");
        assert_eq!(revealed.secret.expose_secret(), b"fb-password-1");
        assert!(revealed.audit_seq > 0);
    }
    let vault = fx.open();
    assert_eq!(vault.status().state, SealState::Sealed);
    let err = vault.login(&anonymous(), "Alice", passphrase(PRESIDENT_PASS)).await.expect_err("sealed");
    assert_eq!(err.kind(), ErrorKind::FailedPrecondition);
    let err = vault.unseal(&anonymous(), passphrase(b"not the passphrase at all")).await.expect_err("wrong");
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    assert_eq!(vault.status().state, SealState::Sealed);
    assert!(!vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal"));
    let alice = login(&vault, "Alice", PRESIDENT_PASS).await;
    let notes = vault.reveal(&alice, reveal("Facebook", SecretField::Notes, None)).await.expect("reveal notes");
    assert_eq!(notes.secret.expose_secret(), b"recovery codes: 1234");
    assert!(vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("already unsealed"));
}

#[tokio::test]
async fn seal_wipes_sessions() {
    let fx = Fixture::new();
    let vault = fx.open();
    init(&vault, None).await;
    let alice = login(&vault, "Alice", PRESIDENT_PASS).await;
    vault.seal(&alice).await.expect("seal");
    assert_eq!(vault.status().state, SealState::Sealed);
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal");
    let err = vault.whoami(&alice).expect_err("old session is gone");
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
}

#[tokio::test]
async fn the_leader_enrols_with_a_one_time_code_and_can_unseal() {
    let fx = Fixture::new();
    let vault = fx.open();
    let code = init(&vault, Some("Bob")).await.expect("leader code");
    // Before enrolment the leader cannot log in, and the answer is the one for a wrong passphrase.
    let err = vault.login(&anonymous(), "Bob", passphrase(LEADER_PASS)).await.expect_err("not enrolled");
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    let (name, role) = vault.enroll(&anonymous(), &code.to_lowercase(), passphrase(LEADER_PASS)).await.expect("enroll");
    assert_eq!((name.as_str(), role), ("Bob", Role::Leader));
    let err = vault.enroll(&anonymous(), &code, passphrase(LEADER_PASS)).await.expect_err("code is single-use");
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    let bob = login(&vault, "Bob", LEADER_PASS).await;
    assert_eq!(vault.whoami(&bob).expect("whoami").role, Role::Leader);
    drop(vault);
    let vault = fx.open();
    vault.unseal(&anonymous(), passphrase(LEADER_PASS)).await.expect("the leader's passphrase opens its own slot");
}

#[tokio::test]
async fn an_enrolment_code_expires() {
    let fx = Fixture::new();
    let vault = fx.open();
    let code = init(&vault, Some("Bob")).await.expect("leader code");
    fx.clock.advance(Duration::from_secs(72 * 3600));
    let err = vault.enroll(&anonymous(), &code, passphrase(LEADER_PASS)).await.expect_err("expired");
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
}

#[tokio::test]
async fn sessions_expire_when_idle_and_at_their_absolute_limit() {
    let fx = Fixture::new();
    let vault = fx.open();
    init(&vault, None).await;
    let alice = login(&vault, "Alice", PRESIDENT_PASS).await;
    fx.clock.advance(Duration::from_secs(14 * 60));
    vault.whoami(&alice).expect("still fresh");
    fx.clock.advance(Duration::from_secs(15 * 60));
    assert_eq!(vault.whoami(&alice).expect_err("idle").kind(), ErrorKind::Unauthenticated);

    let alice = login(&vault, "Alice", PRESIDENT_PASS).await;
    // 51 steps of 14 minutes is 11 h 54 min: within the 12-hour limit; one more step is past it.
    for _ in 0..51 {
        fx.clock.advance(Duration::from_secs(14 * 60));
        vault.whoami(&alice).expect("kept alive");
    }
    fx.clock.advance(Duration::from_secs(14 * 60));
    assert_eq!(vault.whoami(&alice).expect_err("absolute limit").kind(), ErrorKind::Unauthenticated);
}

#[tokio::test]
async fn wrong_name_and_wrong_passphrase_get_the_same_answer() {
    let fx = Fixture::new();
    let vault = fx.open();
    init(&vault, None).await;
    let unknown = vault.login(&anonymous(), "Mallory", passphrase(PRESIDENT_PASS)).await.expect_err("unknown");
    let wrong = vault.login(&anonymous(), "Alice", passphrase(b"a wrong passphrase!")).await.expect_err("wrong");
    assert_eq!(unknown.kind(), wrong.kind());
    assert_eq!(unknown.to_string(), wrong.to_string());
}

#[tokio::test]
async fn every_secret_change_makes_a_version_and_old_versions_stay_readable() {
    let fx = Fixture::new();
    let (vault, alice) = with_facebook(&fx).await;
    let metadata_only =
        EntryUpdate { platform: "Facebook".into(), url: Some("https://fb.com".into()), ..Default::default() };
    assert_eq!(vault.update_entry(&alice, metadata_only).await.expect("update").version, 1);
    let new_password = EntryUpdate {
        platform: "facebook".into(),
        password: Some(SecretBytes::new(b"fb-password-2".to_vec())),
        ..Default::default()
    };
    let view = vault.update_entry(&alice, new_password).await.expect("rotate");
    assert_eq!((view.version, view.url.as_str()), (2, "https://fb.com"));
    let now = vault.reveal(&alice, reveal("Facebook", SecretField::Password, None)).await.expect("current");
    assert_eq!((now.secret.expose_secret(), now.version), (&b"fb-password-2"[..], 2));
    let old = vault.reveal(&alice, reveal("Facebook", SecretField::Password, Some(1))).await.expect("old");
    assert_eq!(old.secret.expose_secret(), b"fb-password-1");
    let notes = vault.reveal(&alice, reveal("Facebook", SecretField::Notes, None)).await.expect("notes carried");
    assert_eq!(notes.secret.expose_secret(), b"recovery codes: 1234");
    let history = vault.list_versions(&alice, "Facebook").expect("history");
    assert_eq!(history.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(history[0].changed, [SecretField::Password]);
    assert_eq!(history[0].created_by, "Alice");
    let err = vault.reveal(&alice, reveal("Facebook", SecretField::Password, Some(3))).await.expect_err("no v3");
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn archive_hides_from_the_default_list_and_keeps_history() {
    let fx = Fixture::new();
    let (vault, alice) = with_facebook(&fx).await;
    assert_eq!(vault.archive_entry(&alice, "Facebook").await.expect("archive").lifecycle, Lifecycle::Archived);
    assert!(vault.list_entries(&alice, false).expect("list").is_empty());
    assert_eq!(vault.list_entries(&alice, true).expect("list").len(), 1);
    assert_eq!(vault.list_versions(&alice, "Facebook").expect("history").len(), 1);
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let fx = Fixture::new();
    let (vault, alice) = with_facebook(&fx).await;

    let (entry, secrets) = facebook();
    let dup = NewEntry { platform: " FACEBOOK ".into(), ..entry };
    assert_eq!(vault.create_entry(&alice, dup, secrets).await.expect_err("dup").kind(), ErrorKind::AlreadyExists);
    for platform in ["", &"x".repeat(65), "bad\u{7}name"] {
        let (entry, secrets) = facebook();
        let bad = NewEntry { platform: platform.to_string(), ..entry };
        assert_eq!(vault.create_entry(&alice, bad, secrets).await.expect_err("bad").kind(), ErrorKind::InvalidArgument);
    }
    let (entry, _) = facebook();
    let empty = Secrets { password: SecretBytes::new(Vec::new()), totp_seed: None, notes: None };
    let renamed = NewEntry { platform: "Instagram".into(), ..entry };
    assert_eq!(vault.create_entry(&alice, renamed, empty).await.expect_err("empty").kind(), ErrorKind::InvalidArgument);

    let no_reason = RevealParams { reason: "  ".into(), ..reveal("Facebook", SecretField::Password, None) };
    assert_eq!(vault.reveal(&alice, no_reason).await.expect_err("reason").kind(), ErrorKind::InvalidArgument);
    let unknown = reveal("Myspace", SecretField::Password, None);
    assert_eq!(vault.reveal(&alice, unknown).await.expect_err("unknown").kind(), ErrorKind::NotFound);
    let totp = reveal("Facebook", SecretField::TotpSeed, None);
    assert_eq!(vault.reveal(&alice, totp).await.expect_err("no seed").kind(), ErrorKind::NotFound);
    let no_session = vault.reveal(&anonymous(), reveal("Facebook", SecretField::Password, None)).await;
    assert_eq!(no_session.expect_err("no session").kind(), ErrorKind::Unauthenticated);
    let forged = vault.reveal(&session("forged-token"), reveal("Facebook", SecretField::Password, None)).await;
    assert_eq!(forged.expect_err("forged").kind(), ErrorKind::Unauthenticated);

    assert_eq!(vault.list_entries(&alice, true).expect("list").len(), 1);
    let ok = vault.reveal(&alice, reveal("Facebook", SecretField::Password, None)).await.expect("still there");
    assert_eq!(ok.secret.expose_secret(), b"fb-password-1");
}

#[tokio::test]
async fn a_second_init_is_refused() {
    let fx = Fixture::new();
    let vault = fx.open();
    init(&vault, None).await;
    let again = vault
        .init(
            &anonymous(),
            InitParams { president: "Eve".into(), passphrase: passphrase(PRESIDENT_PASS), leader: None, kdf: None },
        )
        .await;
    assert_eq!(again.expect_err("second init").kind(), ErrorKind::FailedPrecondition);
}

#[tokio::test]
async fn nothing_readable_is_left_on_disk() {
    let fx = Fixture::new();
    {
        let vault = fx.open();
        init(&vault, None).await;
        let alice = login(&vault, "Alice", PRESIDENT_PASS).await;
        let (entry, secrets) = facebook();
        vault.create_entry(&alice, entry, secrets).await.expect("create");
        vault.reveal(&alice, reveal("Facebook", SecretField::Password, None)).await.expect("reveal");
    }
    let needles: [&[u8]; 7] = [
        b"Facebook",
        b"facebook",
        b"party-official",
        b"fb-password-1",
        b"recovery codes",
        b"Alice",
        b"post the weekly video",
    ];
    scan(fx.dir.path(), &needles);
    for dir in ["", "db", "audit"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(fx.dir.path().join(dir)).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{dir:?} must be private to the daemon's user");
    }
}

fn scan(dir: &Path, needles: &[&[u8]]) {
    for item in std::fs::read_dir(dir).expect("read dir") {
        let path = item.expect("dir entry").path();
        if path.is_dir() {
            scan(&path, needles);
            continue;
        }
        let bytes = std::fs::read(&path).expect("read file");
        for needle in needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == *needle),
                "{} contains {:?} in clear",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
}
