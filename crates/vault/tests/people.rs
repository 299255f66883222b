//! People, grants, offboarding, passphrase changes and login back-off, through the engine's public API.

mod support;

use std::time::Duration;

use coffre_crypto::secret::SecretBytes;
use coffre_vault::{
    AuditFilter, Category, Classification, DueDetail, ErrorKind, GrantState, GrantUntil, NewEntry, NewGrant,
    PersonState, RevealParams, Role, Scope, SecretField, Secrets, Seen,
};
use support::*;

const MEMBER_PASS: &[u8] = b"the member's own passphrase";

fn entry(platform: &str) -> (NewEntry, Secrets) {
    (
        NewEntry {
            platform: platform.into(),
            category: Category::SocialNetwork,
            url: String::new(),
            login: "party".into(),
            recovery_contacts: vec![],
            classification: Some(Classification::Restricted),
            lifecycle: None,
            tags: vec![],
        },
        Secrets { password: SecretBytes::new(format!("{platform}-pw").into_bytes()), totp_seed: None, notes: None },
    )
}

fn reveal(platform: &str) -> RevealParams {
    RevealParams { platform: platform.into(), field: SecretField::Password, reason: "task".into(), version: None }
}

fn grant(person: &str, platform: &str, days: u64) -> NewGrant {
    NewGrant {
        person: person.into(),
        scope: Scope::Entry(platform.into()),
        until: GrantUntil::For(Duration::from_secs(days * 24 * 3600)),
        task: "post the weekly video".into(),
    }
}

#[tokio::test]
async fn a_grant_works_until_the_moment_it_expires_and_offboarding_flags_what_was_revealed() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    for platform in ["Facebook", "Instagram"] {
        let (e, s) = entry(platform);
        vault.create_entry(&alice, e, s).await.expect("entry");
    }
    let dave = fx.person(&vault, &alice, "Dave", Role::Member, MEMBER_PASS).await;
    assert!(vault.list_entries(&dave, false).expect("list").is_empty(), "no grant, nothing to see");

    let view = vault.add_grant(&alice, grant("Dave", "Facebook", 1)).await.expect("grant");
    assert_eq!(view.state, GrantState::Live);
    let listed: Vec<String> = vault.list_entries(&dave, false).expect("list").into_iter().map(|e| e.platform).collect();
    assert_eq!(listed, ["Facebook"]);
    assert_eq!(vault.reveal(&dave, reveal("Facebook")).await.expect("reveal").secret.expose_secret(), b"Facebook-pw");

    // One millisecond before the expiry the grant works; at the expiry it does not. (A day is longer than a
    // session, so Dave logs in again shortly before.)
    let now = || coffre_vault::clock::Clock::now(&*fx.clock);
    let expiry = view.expires;
    fx.clock.advance(expiry.duration_since(now()).expect("in the future") - Duration::from_secs(120));
    let dave = fx.login(&vault, "Dave", MEMBER_PASS).await;
    fx.clock.advance(expiry.duration_since(now()).expect("in the future") - Duration::from_millis(1));
    vault.get_entry(&dave, "Facebook").expect("still live");
    fx.clock.advance(Duration::from_millis(1));
    assert_eq!(vault.get_entry(&dave, "Facebook").expect_err("expired").kind(), ErrorKind::PermissionDenied);
    let grants = vault.list_grants(&dave).expect("own grants");
    assert_eq!(grants.iter().map(|g| g.state).collect::<Vec<_>>(), [GrantState::Expired]);

    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let offboarded = vault.offboard_person(&alice, "Dave").await.expect("offboard");
    assert_eq!(offboarded.rotation_due, ["Facebook"], "only what Dave revealed");
    assert_eq!(offboarded.grants_revoked, 0, "the grant had expired already");
    let facebook = vault.get_entry(&alice, "Facebook").expect("entry");
    let due = facebook.rotation_due.expect("due");
    assert_eq!(due.detail, DueDetail::Offboarded { person: "Dave".into(), seen: Seen::Current { version: 1 } });
    assert_eq!(due.detail.to_string(), "revealed by Dave, who was offboarded; saw the current version (1)");
    assert!(vault.get_entry(&alice, "Instagram").expect("entry").rotation_due.is_none());
    let people = vault.list_people(&alice).expect("people");
    assert!(people.iter().any(|p| p.name == "Dave" && p.state == PersonState::Offboarded), "history stays");
    let code = fx.code("Dave");
    let login = vault.login(&anonymous(), "Dave", passphrase(MEMBER_PASS), &code).await.expect_err("disabled");
    assert_eq!(login.to_string(), "wrong name, passphrase or code");
}

#[tokio::test]
async fn offboarding_ends_sessions_and_grants_and_the_leaders_slot() {
    let fx = Fixture::new();
    let vault = fx.open();
    let code = fx.init(&vault, Some("Bob")).await.expect("leader code");
    fx.enroll(&vault, &code, LEADER_PASS).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let bob = fx.login(&vault, "Bob", LEADER_PASS).await;
    let (e, s) = entry("Facebook");
    vault.create_entry(&alice, e, s).await.expect("entry");
    let carol = fx.person(&vault, &alice, "Carol", Role::AccessManager, b"carol's passphrase!").await;
    let dave = fx.person(&vault, &carol, "Dave", Role::Member, MEMBER_PASS).await;
    vault.add_grant(&carol, grant("Dave", "Facebook", 14)).await.expect("grant");
    vault.reveal(&dave, reveal("Facebook")).await.expect("reveal");

    // The leader may offboard a member, not the president; only the president offboards the leader.
    let err = vault.offboard_person(&bob, "Alice").await.expect_err("nobody offboards the president");
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    let err = vault.offboard_person(&carol, "Dave").await.expect_err("an access manager does not offboard");
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    let done = vault.offboard_person(&bob, "Dave").await.expect("offboard");
    assert_eq!((done.grants_revoked, done.sessions_ended, done.rotation_due.len()), (1, 1, 1));
    assert_eq!(vault.whoami(&dave).expect_err("session ended").kind(), ErrorKind::Unauthenticated);
    let again = vault.offboard_person(&bob, "Dave").await.expect_err("once");
    assert_eq!(again.kind(), ErrorKind::FailedPrecondition);
    assert!(vault.list_grants(&alice).expect("grants").iter().all(|g| g.state == GrantState::Revoked));

    vault.offboard_person(&alice, "Bob").await.expect("the president offboards the leader");
    assert_eq!(vault.whoami(&bob).expect_err("ended").kind(), ErrorKind::Unauthenticated);
    vault.seal(&alice).await.expect("seal");
    let err = vault.unseal(&anonymous(), passphrase(LEADER_PASS)).await.expect_err("the leader's slot is gone");
    assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("the president's slot stays");
}

#[tokio::test]
async fn an_access_manager_grants_members_only_up_to_restricted_and_sees_its_own_grants() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let (mut e, s) = entry("Bank");
    e.classification = Some(Classification::Confidential);
    e.category = Category::Financial;
    vault.create_entry(&alice, e, s).await.expect("entry");
    let (e, s) = entry("Facebook");
    vault.create_entry(&alice, e, s).await.expect("entry");
    let carol = fx.person(&vault, &alice, "Carol", Role::AccessManager, b"carol's passphrase!").await;
    let dave = fx.person(&vault, &carol, "Dave", Role::Member, MEMBER_PASS).await;
    let err = vault.add_person(&carol, "Mallory", Role::AccessManager).await.expect_err("members only");
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);

    let err = vault.add_grant(&carol, grant("Dave", "Bank", 7)).await.expect_err("above restricted");
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    // A category grant by an access manager never reaches above restricted either.
    let financial = NewGrant { scope: Scope::Category(Category::Financial), ..grant("Dave", "-", 7) };
    vault.add_grant(&carol, financial).await.expect("a category grant");
    assert!(vault.list_entries(&dave, false).expect("list").is_empty(), "the confidential bank stays hidden");

    let err = vault.add_grant(&carol, grant("Dave", "Facebook", 91)).await.expect_err("over 90 days");
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let no_task = NewGrant { task: " ".into(), ..grant("Dave", "Facebook", 7) };
    assert_eq!(vault.add_grant(&carol, no_task).await.expect_err("task").kind(), ErrorKind::InvalidArgument);
    let made = vault.add_grant(&carol, grant("Dave", "Facebook", 7)).await.expect("grant");
    let owner_grant = vault.add_grant(&alice, grant("Carol", "Bank", 7)).await.expect("owner grants the manager");
    assert_eq!(vault.list_grants(&alice).expect("all").len(), 3);
    assert_eq!(vault.list_grants(&dave).expect("held").len(), 2);
    let carols: Vec<String> = vault.list_grants(&carol).expect("made and held").into_iter().map(|g| g.id).collect();
    assert!(carols.contains(&made.id) && carols.contains(&owner_grant.id));
    let err = vault.revoke_grant(&carol, &owner_grant.id).await.expect_err("not its own");
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
    let revoked = vault.revoke_grant(&carol, &made.id[..10]).await.expect("revoke by prefix");
    assert_eq!(revoked.state, GrantState::Revoked);
    assert_eq!(vault.reveal(&dave, reveal("Facebook")).await.expect_err("revoked").kind(), ErrorKind::PermissionDenied);
}

#[tokio::test]
async fn failed_logins_back_off_without_argon2_and_a_success_resets_the_account() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let wrong = || passphrase(b"a wrong passphrase!");
    for _ in 0..4 {
        let err = vault.login(&anonymous(), "Alice", wrong(), "000000").await.expect_err("wrong");
        assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    }
    let err = vault.login(&anonymous(), "alice", passphrase(PRESIDENT_PASS), "000000").await.expect_err("backing off");
    assert_eq!(err.kind(), ErrorKind::ResourceExhausted);
    assert_eq!(err.to_string(), "too many attempts: try again in 1 s");
    // An unknown name backs off exactly like a known one.
    for _ in 0..4 {
        vault.login(&anonymous(), "Nobody", wrong(), "000000").await.expect_err("wrong");
    }
    let unknown = vault.login(&anonymous(), "Nobody", wrong(), "000000").await.expect_err("backing off");
    assert_eq!(unknown.kind(), ErrorKind::ResourceExhausted);
    fx.clock.advance(Duration::from_secs(60));
    fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let err = vault.login(&anonymous(), "Alice", wrong(), "000000").await.expect_err("wrong again");
    assert_eq!(err.kind(), ErrorKind::Unauthenticated, "the success reset the account's counter");
}

#[tokio::test]
async fn a_replayed_code_is_refused_and_passwd_rewraps_the_owners_slot() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let code = fx.code("Alice");
    let alice = vault.login(&anonymous(), "Alice", passphrase(PRESIDENT_PASS), &code).await.expect("login");
    let alice = session(alice.token.expose_secret());
    let replay = vault.login(&anonymous(), "Alice", passphrase(PRESIDENT_PASS), &code).await.expect_err("replay");
    assert_eq!(replay.kind(), ErrorKind::Unauthenticated);

    let new_pass = b"a brand new passphrase for alice";
    let err = vault.change_passphrase(&alice, passphrase(b"not the current one"), passphrase(new_pass)).await;
    assert_eq!(err.expect_err("wrong current").kind(), ErrorKind::PermissionDenied);
    vault.change_passphrase(&alice, passphrase(PRESIDENT_PASS), passphrase(new_pass)).await.expect("passwd");
    fx.login(&vault, "Alice", new_pass).await;
    vault.seal(&alice).await.expect("seal");
    assert!(vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.is_err(), "the old slot is gone");
    vault.unseal(&anonymous(), passphrase(new_pass)).await.expect("the rewrapped slot opens");
}

#[tokio::test]
async fn a_reset_enrolment_needs_a_new_passphrase_and_second_factor() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let dave = fx.person(&vault, &alice, "Dave", Role::Member, MEMBER_PASS).await;
    let reset = vault.reset_enrolment(&alice, "Dave").await.expect("reset");
    assert_eq!(vault.whoami(&dave).expect_err("sessions end").kind(), ErrorKind::Unauthenticated);
    let code = fx.code("Dave");
    let old = vault.login(&anonymous(), "Dave", passphrase(MEMBER_PASS), &code).await.expect_err("old credentials");
    assert_eq!(old.kind(), ErrorKind::Unauthenticated);
    fx.enroll(&vault, reset.code.expose_secret(), b"dave's second passphrase").await;
    fx.login(&vault, "Dave", b"dave's second passphrase").await;
    let err = vault.reset_enrolment(&alice, "Alice").await.expect_err("not oneself");
    assert_eq!(err.kind(), ErrorKind::PermissionDenied);
}

#[tokio::test]
async fn a_member_learns_that_a_person_who_had_access_left_not_who() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let (e, s) = entry("Facebook");
    vault.create_entry(&alice, e, s).await.expect("entry");
    let dave = fx.person(&vault, &alice, "Dave", Role::Member, MEMBER_PASS).await;
    let erin = fx.person(&vault, &alice, "Erin", Role::Member, b"erin's own passphrase").await;
    for person in ["Dave", "Erin"] {
        vault.add_grant(&alice, grant(person, "Facebook", 7)).await.expect("grant");
    }
    vault.reveal(&dave, reveal("Facebook")).await.expect("reveal");
    vault.offboard_person(&alice, "Dave").await.expect("offboard");

    let seen = vault.get_entry(&erin, "Facebook").expect("entry").rotation_due.expect("due");
    assert_eq!(seen.detail, DueDetail::Left);
    assert_eq!(seen.detail.to_string(), "a person who had access left");
    assert!(seen.detail.arguments().is_empty(), "no name among the arguments either");
    let listed = vault.list_entries(&erin, false).expect("list");
    let due = listed.iter().find_map(|e| e.rotation_due.clone()).expect("due in the listing");
    assert_eq!(due.detail, DueDetail::Left);
    let owners = vault.get_entry(&alice, "Facebook").expect("entry").rotation_due.expect("due");
    assert!(matches!(&owners.detail, DueDetail::Offboarded { person, .. } if person == "Dave"), "owners see who");
}

#[tokio::test]
async fn an_access_manager_cannot_tell_a_missing_entry_from_a_confidential_one_when_granting() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let (mut e, s) = entry("Bank");
    e.classification = Some(Classification::Confidential);
    vault.create_entry(&alice, e, s).await.expect("entry");
    let (e, s) = entry("Facebook");
    vault.create_entry(&alice, e, s).await.expect("entry");
    let carol = fx.person(&vault, &alice, "Carol", Role::AccessManager, b"carol's passphrase!").await;
    fx.person(&vault, &carol, "Dave", Role::Member, MEMBER_PASS).await;

    let confidential = vault.add_grant(&carol, grant("Dave", "Bank", 7)).await.expect_err("above restricted");
    let missing = vault.add_grant(&carol, grant("Dave", "No Such Bank", 7)).await.expect_err("no such entry");
    assert_eq!((confidential.kind(), missing.kind()), (ErrorKind::PermissionDenied, ErrorKind::PermissionDenied));
    assert_eq!(confidential.to_string(), missing.to_string());
    // Owners are told plainly that the name does not exist.
    let owner = vault.add_grant(&alice, grant("Dave", "No Such Bank", 7)).await.expect_err("no such entry");
    assert_eq!(owner.kind(), ErrorKind::NotFound);

    // A grant longer than the limit is refused and audited like the other refusals.
    let too_long = vault.add_grant(&carol, grant("Dave", "Facebook", 91)).await.expect_err("over 90 days");
    assert_eq!(too_long.kind(), ErrorKind::InvalidArgument);
    let filter = AuditFilter { action: Some("grant.add".into()), ..Default::default() };
    let events = vault.list_audit(&alice, filter).await.expect("audit").events;
    let denied: Vec<&str> =
        events.iter().filter(|e| e.outcome.as_str() == "denied").map(|e| e.reason.as_str()).collect();
    assert_eq!(denied.len(), 3, "{denied:?}");
    assert!(denied[2].contains("too far away"), "{denied:?}");
}

#[tokio::test]
async fn a_member_may_name_the_current_version_but_not_an_older_one() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let (e, s) = entry("Facebook");
    vault.create_entry(&alice, e, s).await.expect("entry");
    let update = coffre_vault::EntryUpdate {
        platform: "Facebook".into(),
        password: Some(SecretBytes::new(b"Facebook-pw-2".to_vec())),
        ..Default::default()
    };
    vault.update_entry(&alice, update).await.expect("version 2");
    let dave = fx.person(&vault, &alice, "Dave", Role::Member, MEMBER_PASS).await;
    vault.add_grant(&alice, grant("Dave", "Facebook", 7)).await.expect("grant");

    let current = RevealParams { version: Some(2), ..reveal("Facebook") };
    let revealed = vault.reveal(&dave, current).await.expect("the version Dave sees, named");
    assert_eq!(revealed.secret.expose_secret(), b"Facebook-pw-2");
    let older = vault.reveal(&dave, RevealParams { version: Some(1), ..reveal("Facebook") }).await;
    assert_eq!(older.expect_err("an older version").kind(), ErrorKind::PermissionDenied);
    // Without a grant, naming a version tells nothing more than naming none.
    let hidden = vault.reveal(&dave, RevealParams { version: Some(1), ..reveal("Nowhere") }).await;
    assert_eq!(
        hidden.expect_err("missing").to_string(),
        vault.reveal(&dave, reveal("Nowhere")).await.expect_err("m").to_string()
    );
}

#[tokio::test]
async fn offboarding_says_what_the_person_saw_of_each_entry() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    for platform in ["Facebook", "Instagram", "Mailgun"] {
        let (e, mut s) = entry(platform);
        s.totp_seed = Some(SecretBytes::new(b"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_vec()));
        vault.create_entry(&alice, e, s).await.expect("entry");
    }
    let dave = fx.person(&vault, &alice, "Dave", Role::Member, MEMBER_PASS).await;
    for platform in ["Facebook", "Instagram", "Mailgun"] {
        vault.add_grant(&alice, grant("Dave", platform, 7)).await.expect("grant");
    }
    vault.reveal(&dave, reveal("Facebook")).await.expect("version 1");
    let code = RevealParams { field: SecretField::TotpCode, ..reveal("Instagram") };
    vault.reveal(&dave, code).await.expect("only a code");
    vault.reveal(&dave, reveal("Mailgun")).await.expect("version 1");
    let rotated = coffre_vault::EntryUpdate {
        platform: "Facebook".into(),
        password: Some(SecretBytes::new(b"Facebook-pw-2".to_vec())),
        ..Default::default()
    };
    vault.update_entry(&alice, rotated).await.expect("rotated since");

    let done = vault.offboard_person(&alice, "Dave").await.expect("offboard");
    let seen: Vec<(&str, Seen, String)> =
        done.revealed.iter().map(|r| (r.platform.as_str(), r.seen, r.seen.to_string())).collect();
    assert_eq!(
        seen,
        [
            (
                "Facebook",
                Seen::Replaced { version: 1, current: 2 },
                "version 1, since replaced (the current version is 2)".into()
            ),
            ("Instagram", Seen::CodesOnly, "only the platform's 2FA codes, not the password".into()),
            ("Mailgun", Seen::Current { version: 1 }, "the current version (1)".into()),
        ]
    );
}

/// Two reveals of one entry by one person at the same moment, of two versions: the mark must end up recording the
/// newer one whichever commits last, or the offboarding would say "version 1, since replaced" of a password the
/// person saw as it is now.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reveals_of_two_versions_leave_the_mark_on_the_newer_one() {
    let fx = Fixture::new();
    let vault = std::sync::Arc::new(fx.open());
    let code = fx.init(&vault, Some("Bob")).await.expect("leader code");
    fx.enroll(&vault, &code, LEADER_PASS).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let bob = fx.login(&vault, "Bob", LEADER_PASS).await;
    const ENTRIES: usize = 64;
    let platforms: Vec<String> = (0..ENTRIES).map(|n| format!("Platform {n:02}")).collect();
    for platform in &platforms {
        let (e, s) = entry(platform);
        vault.create_entry(&alice, e, s).await.expect("entry");
        let update = coffre_vault::EntryUpdate {
            platform: platform.clone(),
            password: Some(SecretBytes::new(b"the second password".to_vec())),
            ..coffre_vault::EntryUpdate::default()
        };
        vault.update_entry(&alice, update).await.expect("version 2");
    }
    // For each entry, the leader reveals version 1 and version 2 at once.
    let mut tasks = Vec::new();
    for platform in &platforms {
        for version in [1, 2] {
            let (vault, bob) = (vault.clone(), bob.clone());
            let params = RevealParams { version: Some(version), ..reveal(platform) };
            tasks.push(tokio::spawn(async move { vault.reveal(&bob, params).await.map(|r| r.version) }));
        }
    }
    for task in tasks {
        task.await.expect("task").expect("reveal");
    }
    let done = vault.offboard_person(&alice, "Bob").await.expect("offboard");
    assert_eq!(done.revealed.len(), ENTRIES);
    let older: Vec<&coffre_vault::RevealedEntry> =
        done.revealed.iter().filter(|r| !matches!(r.seen, Seen::Current { .. })).collect();
    assert!(older.is_empty(), "every mark records the newer version: {older:?}");
}

/// An entry's recovery contacts are people's own phone numbers and addresses: the owners' (the register gives them
/// to owners who ask, never to an auditor, and a member may not export it at all). A member whose grant covers the
/// entry sees the rest of its metadata, not them. Before the fix, `entry show` and `entry list` gave them to anyone
/// a live grant covered.
#[tokio::test]
async fn a_member_does_not_see_the_recovery_contacts_of_an_entry_it_is_granted() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let (mut e, s) = entry("Facebook");
    e.recovery_contacts = vec!["+1 514 555 0100 (Alice, mobile)".into()];
    vault.create_entry(&alice, e, s).await.expect("entry");
    let dave = fx.person(&vault, &alice, "Dave", Role::Member, MEMBER_PASS).await;
    vault.add_grant(&alice, grant("Dave", "Facebook", 7)).await.expect("grant");

    let shown = vault.get_entry(&dave, "Facebook").expect("covered");
    assert_eq!((shown.platform.as_str(), shown.login.as_str()), ("Facebook", "party"), "the rest is shown");
    assert!(shown.recovery_contacts.is_empty(), "{:?}", shown.recovery_contacts);
    let listed = vault.list_entries(&dave, false).expect("list");
    assert!(listed.iter().all(|e| e.recovery_contacts.is_empty()), "{listed:?}");
    let owners = vault.get_entry(&alice, "Facebook").expect("entry");
    assert_eq!(owners.recovery_contacts, ["+1 514 555 0100 (Alice, mobile)"], "owners see them");
}

/// An access manager sees members only: granting to an owner, an auditor or another access manager gets the same
/// refusal whether that person is still in the vault or offboarded. Before the fix the offboarded one got "this
/// person is offboarded", so an access manager could learn that the leader (or an auditor) had left.
#[tokio::test]
async fn an_access_manager_cannot_tell_who_among_non_members_was_offboarded() {
    let fx = Fixture::new();
    let vault = fx.open();
    let leader_code = fx.init(&vault, Some("Bob")).await.expect("the leader's code");
    fx.enroll(&vault, &leader_code, b"bob's own passphrase").await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let (e, s) = entry("Facebook");
    vault.create_entry(&alice, e, s).await.expect("entry");
    let carol = fx.person(&vault, &alice, "Carol", Role::AccessManager, b"carol's passphrase!").await;
    fx.person(&vault, &alice, "Gilles", Role::Auditor, b"gilles's passphrase").await;
    vault.offboard_person(&alice, "Bob").await.expect("the leader leaves");

    let still_there = vault.add_grant(&carol, grant("Gilles", "Facebook", 7)).await.expect_err("not a member");
    let offboarded = vault.add_grant(&carol, grant("Bob", "Facebook", 7)).await.expect_err("not a member");
    assert_eq!(
        (offboarded.kind(), offboarded.to_string()),
        (still_there.kind(), still_there.to_string()),
        "the same refusal for a non-member in the vault and one offboarded"
    );
    assert_eq!(still_there.kind(), ErrorKind::PermissionDenied);
}

/// A password an owner typed in (a new entry, a changed password, a rotation staged with a given password) is a
/// password that owner knows, as much as one revealed: when the owner leaves, those entries are flagged for
/// rotation too (the union directive). Before the fix only reveals were marked, so a leader who had set the
/// passwords of new accounts left with all of them and nothing was flagged.
#[tokio::test]
async fn offboarding_flags_the_passwords_the_person_typed_in() {
    let fx = Fixture::new();
    let vault = fx.open();
    let leader_code = fx.init(&vault, Some("Bob")).await.expect("the leader's code");
    fx.enroll(&vault, &leader_code, b"bob's own passphrase").await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let bob = fx.login(&vault, "Bob", b"bob's own passphrase").await;
    for (by, platform) in [(&bob, "Instagram"), (&alice, "Facebook"), (&alice, "YouTube"), (&alice, "Untouched")] {
        let (e, s) = entry(platform);
        vault.create_entry(by, e, s).await.expect("entry");
    }
    let update = coffre_vault::EntryUpdate {
        platform: "Facebook".into(),
        password: Some(SecretBytes::new(b"bob's new password".to_vec())),
        ..coffre_vault::EntryUpdate::default()
    };
    vault.update_entry(&bob, update).await.expect("Bob changes Facebook's password");
    let given = coffre_vault::NewPassword::Given(SecretBytes::new(b"bob's staged password".to_vec()));
    vault.stage_rotation(&bob, "YouTube", given).await.expect("Bob stages YouTube's");
    // Notes alone are not the password: Bob changing Untouched's notes does not make him know its password.
    let notes = coffre_vault::EntryUpdate {
        platform: "Untouched".into(),
        notes: Some(SecretBytes::new(b"call the bank first".to_vec())),
        ..coffre_vault::EntryUpdate::default()
    };
    vault.update_entry(&bob, notes).await.expect("notes");

    let done = vault.offboard_person(&alice, "Bob").await.expect("offboard");
    assert_eq!(done.rotation_due, ["Facebook", "Instagram", "YouTube"]);
    let seen: Vec<(&str, Seen)> = done.revealed.iter().map(|r| (r.platform.as_str(), r.seen)).collect();
    assert_eq!(
        seen,
        [
            ("Facebook", Seen::Current { version: 2 }),
            ("Instagram", Seen::Current { version: 1 }),
            ("YouTube", Seen::Staged { version: 2 })
        ]
    );
}
