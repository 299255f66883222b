//! The engine through its public API, on a real sled database and audit log in a temporary directory, with a
//! manual clock. Argon2 cost is lowered through configuration only.

use std::{path::Path, time::Duration};

use coffre_crypto::secret::SecretBytes;
use coffre_vault::{
    Category, Classification, EntryUpdate, ErrorKind, InitParams, Lifecycle, NewEntry, RequestContext, RevealParams,
    Role, SealState, SecretField, Secrets, Vault,
};

mod support;

use support::*;

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
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
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
        fx.init(&vault, None).await;
        assert_eq!(vault.status().state, SealState::Unsealed);
        let alice = fx.login(&vault, "alice", PRESIDENT_PASS).await;
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
    let err = vault.login(&anonymous(), "Alice", passphrase(PRESIDENT_PASS), "000000").await.expect_err("sealed");
    assert_eq!(err.kind(), ErrorKind::FailedPrecondition);
    let err = vault.unseal(&anonymous(), passphrase(b"not the passphrase at all")).await.expect_err("wrong");
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    assert_eq!(vault.status().state, SealState::Sealed);
    assert!(!vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal"));
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let notes = vault.reveal(&alice, reveal("Facebook", SecretField::Notes, None)).await.expect("reveal notes");
    assert_eq!(notes.secret.expose_secret(), b"recovery codes: 1234");
    assert!(vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("already unsealed"));
}

#[tokio::test]
async fn seal_wipes_sessions() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
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
    let code = fx.init(&vault, Some("Bob")).await.expect("leader code");
    // Before enrolment the leader cannot log in, and the answer is the one for a wrong passphrase.
    let err = vault.login(&anonymous(), "Bob", passphrase(LEADER_PASS), "000000").await.expect_err("not enrolled");
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    // The enrolment completes only with a first code of the offered second factor.
    let start = vault.start_enrollment(&anonymous(), &code).await.expect("start");
    assert_eq!((start.name.as_str(), start.role), ("Bob", Role::Leader));
    fx.remember("Bob", start.totp_uri.expose_secret());
    let again = vault.start_enrollment(&anonymous(), &code).await.expect("start again");
    assert_eq!(again.totp_uri.expose_secret(), start.totp_uri.expose_secret(), "the same factor until confirmed");
    let wrong = vault.enroll(&anonymous(), &code, passphrase(LEADER_PASS), "000000").await.expect_err("wrong code");
    assert_eq!(wrong.kind(), ErrorKind::Unauthenticated);
    let totp = fx.code("Bob");
    let (name, role) =
        vault.enroll(&anonymous(), &code.to_lowercase(), passphrase(LEADER_PASS), &totp).await.expect("enroll");
    assert_eq!((name.as_str(), role), ("Bob", Role::Leader));
    let err = vault.enroll(&anonymous(), &code, passphrase(LEADER_PASS), &totp).await.expect_err("single-use");
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    // The confirming code was spent by the enrolment: it does not open a session too.
    let replay = vault.login(&anonymous(), "Bob", passphrase(LEADER_PASS), &totp).await.expect_err("replayed");
    assert_eq!(replay.kind(), ErrorKind::Unauthenticated);
    let bob = fx.login(&vault, "Bob", LEADER_PASS).await;
    assert_eq!(vault.whoami(&bob).expect("whoami").role, Role::Leader);
    drop(vault);
    let vault = fx.open();
    vault.unseal(&anonymous(), passphrase(LEADER_PASS)).await.expect("the leader's passphrase opens its own slot");
}

#[tokio::test]
async fn an_enrolment_code_expires() {
    let fx = Fixture::new();
    let vault = fx.open();
    let code = fx.init(&vault, Some("Bob")).await.expect("leader code");
    fx.clock.advance(Duration::from_secs(72 * 3600));
    let err = vault.start_enrollment(&anonymous(), &code).await.expect_err("expired");
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
}

#[tokio::test]
async fn sessions_expire_when_idle_and_at_their_absolute_limit() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    fx.clock.advance(Duration::from_secs(14 * 60));
    vault.whoami(&alice).expect("still fresh");
    fx.clock.advance(Duration::from_secs(15 * 60));
    assert_eq!(vault.whoami(&alice).expect_err("idle").kind(), ErrorKind::Unauthenticated);

    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
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
    fx.init(&vault, None).await;
    let code = fx.code("Alice");
    let unknown = vault.login(&anonymous(), "Mallory", passphrase(PRESIDENT_PASS), &code).await.expect_err("unknown");
    let wrong = vault.login(&anonymous(), "Alice", passphrase(b"a wrong passphrase!"), &code).await.expect_err("wrong");
    let bad_code = vault.login(&anonymous(), "Alice", passphrase(PRESIDENT_PASS), "123456").await.expect_err("code");
    for err in [&unknown, &wrong, &bad_code] {
        assert_eq!(err.kind(), ErrorKind::Unauthenticated);
        assert_eq!(err.to_string(), "wrong name, passphrase or code");
    }
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
    fx.init(&vault, None).await;
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
        fx.init(&vault, None).await;
        let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
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
    // With PostgreSQL, the records in the database too (keys and values as stored).
    if Fixture::on_postgres() {
        for pair in fx.raw_store().scan_all() {
            let (key, value) = pair.expect("read");
            for needle in needles {
                for bytes in [&key, &value] {
                    assert!(
                        !bytes.windows(needle.len()).any(|w| w == needle),
                        "the database holds {:?} in clear",
                        String::from_utf8_lossy(needle)
                    );
                }
            }
        }
    }
    let dirs: &[&str] = if Fixture::on_postgres() { &["", "audit"] } else { &["", "db", "audit"] };
    for dir in dirs {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(fx.data_dir().join(dir)).expect("exists").permissions().mode() & 0o777;
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

fn entry_named(platform: &str) -> (NewEntry, Secrets) {
    let (mut entry, secrets) = facebook();
    entry.platform = platform.into();
    (entry, secrets)
}

fn names(page: &coffre_vault::EntryPage) -> Vec<&str> {
    page.entries.iter().map(|e| e.platform.as_str()).collect()
}

#[tokio::test]
async fn entries_list_by_pages_in_name_order_and_every_change_shows_at_once() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    for name in ["delta", "Alpha", "charlie", "bravo", "echo"] {
        let (entry, secrets) = entry_named(name);
        vault.create_entry(&alice, entry, secrets).await.expect("create");
    }
    let first = vault.list_entries_page(&alice, false, None, 2).expect("page 1");
    assert_eq!(names(&first), ["Alpha", "bravo"]);
    assert_eq!(first.next_after.as_deref(), Some("bravo"));
    let second = vault.list_entries_page(&alice, false, first.next_after.as_deref(), 2).expect("page 2");
    assert_eq!(names(&second), ["charlie", "delta"]);
    let last = vault.list_entries_page(&alice, false, second.next_after.as_deref(), 2).expect("page 3");
    assert_eq!(names(&last), ["echo"]);
    assert_eq!(last.next_after, None, "the last page says so");
    let exact = vault.list_entries_page(&alice, false, None, 5).expect("exactly one page");
    assert_eq!(exact.next_after, None, "a full last page has no next page");

    // The list was loaded above; each kind of change must show in the next list, with nothing stale.
    let (entry, secrets) = entry_named("Aardvark");
    vault.create_entry(&alice, entry, secrets).await.expect("create after the first list");
    let update = EntryUpdate { platform: "delta".into(), new_platform: Some("zulu".into()), ..Default::default() };
    vault.update_entry(&alice, update).await.expect("rename");
    vault.archive_entry(&alice, "bravo").await.expect("archive");
    let update = EntryUpdate { platform: "echo".into(), login: Some("new-login".into()), ..Default::default() };
    vault.update_entry(&alice, update).await.expect("change the login");
    let all = vault.list_entries_page(&alice, false, None, 0).expect("list");
    assert_eq!(names(&all), ["Aardvark", "Alpha", "charlie", "echo", "zulu"]);
    assert_eq!(all.entries[3].login, "new-login");
    let with_archived = vault.list_entries_page(&alice, true, None, 0).expect("list with archived");
    assert_eq!(names(&with_archived), ["Aardvark", "Alpha", "bravo", "charlie", "echo", "zulu"]);
    assert_eq!(vault.list_entries(&alice, false).expect("whole list").len(), 5);

    // A seal drops the cache with the keys; after unseal it is rebuilt from the store.
    vault.seal(&alice).await.expect("seal");
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal");
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let again = vault.list_entries_page(&alice, false, None, 0).expect("list after unseal");
    assert_eq!(names(&again), ["Aardvark", "Alpha", "charlie", "echo", "zulu"]);

    let err = vault.list_entries_page(&alice, false, None, coffre_vault::MAX_ENTRY_PAGE + 1).expect_err("too big");
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

#[tokio::test]
async fn status_counts_the_audit_events_while_sealed_too() {
    let fx = Fixture::new();
    let (vault, alice) = with_facebook(&fx).await;
    vault.seal(&alice).await.expect("seal");
    let sealed = vault.status();
    assert_eq!(sealed.state, SealState::Sealed);
    assert!(sealed.audit_events >= 4, "init, login, entry, seal at least: {}", sealed.audit_events);
    assert_eq!(sealed.audit_head_hash, None, "the head's hash only while unsealed");
    drop(vault);
    let vault = fx.open();
    assert_eq!(vault.status().audit_events, sealed.audit_events, "after a restart, still sealed");
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal");
    assert_eq!(vault.status().audit_events, sealed.audit_events + 1, "the unseal event");
}
