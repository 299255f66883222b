//! Rotation, the rotation-due report, platform TOTP codes and the two-person rule, through the engine's public API
//! on a real sled database and audit log, with a manual clock.

mod support;

use std::time::Duration;

use coffre_crypto::{
    generator::{Classes, Policy},
    secret::SecretBytes,
    totp::TotpSeed,
};
use coffre_vault::{
    ApprovalState, AuditFilter, Category, Classification, DueDetail, DueKind, EntryUpdate, ErrorKind, GrantUntil,
    NewEntry, NewGrant, NewPassword, RequestContext, RevealParams, Role, RotationRef, Scope, SecretField, Secrets,
    Vault,
    clock::{Clock, unix_seconds},
};
use support::*;

/// The RFC 6238 appendix B seed ("12345678901234567890"), as a platform would show it.
const RFC_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const DAY: Duration = Duration::from_secs(24 * 3600);

fn entry(platform: &str, category: Category, classification: Classification) -> NewEntry {
    NewEntry { category, classification: Some(classification), ..support::entry(platform) }
}

fn secrets_with_seed(password: &[u8]) -> Secrets {
    Secrets {
        password: SecretBytes::new(password.to_vec()),
        totp_seed: Some(SecretBytes::new(RFC_SEED.as_bytes().to_vec())),
        notes: Some(SecretBytes::new(b"backup codes 1 2 3".to_vec())),
    }
}

fn reveal(platform: &str, field: SecretField) -> RevealParams {
    RevealParams { platform: platform.into(), field, reason: "rotation".into(), version: None }
}

fn given(password: &[u8]) -> NewPassword {
    NewPassword::Given(SecretBytes::new(password.to_vec()))
}

fn which(platform: &str) -> RotationRef {
    RotationRef { platform: platform.into(), id: None }
}

async fn password(vault: &Vault, ctx: &RequestContext, platform: &str) -> Vec<u8> {
    vault.reveal(ctx, reveal(platform, SecretField::Password)).await.expect("reveal").secret.expose_secret().to_vec()
}

/// A vault with Alice (president) logged in, Bob the leader enrolled and logged in, and Facebook (with a TOTP seed
/// and notes).
async fn world(fx: &Fixture) -> (Vault, RequestContext, RequestContext) {
    let vault = fx.open_configured(&fx.data_dir(), |config| config.approval_window = Duration::from_secs(15 * 60));
    let code = fx.init(&vault, Some("Bob")).await.expect("leader code");
    fx.enroll(&vault, &code, LEADER_PASS).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let bob = fx.login(&vault, "Bob", LEADER_PASS).await;
    let facebook = entry("Facebook", Category::SocialNetwork, Classification::Restricted);
    vault.create_entry(&alice, facebook, secrets_with_seed(b"old-password")).await.expect("create");
    (vault, alice, bob)
}

#[tokio::test]
async fn cancel_restores_the_previous_state_exactly_and_confirm_keeps_the_old_version_in_history() {
    let fx = Fixture::new();
    let (vault, alice, bob) = world(&fx).await;
    let before = (vault.get_entry(&alice, "Facebook").expect("entry"), vault.list_versions(&alice, "Facebook"));

    fx.clock.advance(Duration::from_secs(60));
    let staged = vault.stage_rotation(&alice, "Facebook", given(b"new-password")).await.expect("stage");
    assert_eq!((staged.base_version, staged.pending_version, staged.staged_by.as_str()), (1, 2, "Alice"));
    // While staged, the entry and its current password are untouched; the pending one is revealed on request.
    assert_eq!(vault.get_entry(&alice, "Facebook").expect("entry"), before.0);
    assert_eq!(password(&vault, &alice, "Facebook").await, b"old-password");
    let pending = vault.reveal_pending(&bob, reveal("Facebook", SecretField::Password)).await.expect("pending");
    assert_eq!((pending.secret.expose_secret(), pending.version), (&b"new-password"[..], 2));
    let notes = vault.reveal_pending(&bob, reveal("Facebook", SecretField::Notes)).await.expect_err("password only");
    assert_eq!(notes.kind(), ErrorKind::NotFound);

    fx.clock.advance(Duration::from_secs(60));
    let cancelled = vault.cancel_rotation(&bob, which("facebook")).await.expect("cancel");
    assert_eq!(cancelled.id, staged.id);
    let after = (vault.get_entry(&alice, "Facebook").expect("entry"), vault.list_versions(&alice, "Facebook"));
    assert_eq!(after.0, before.0, "version, has_totp, updated, flags: all as before");
    assert_eq!(after.1.as_ref().ok(), before.1.as_ref().ok(), "history as before");
    assert_eq!(password(&vault, &alice, "Facebook").await, b"old-password");
    let gone = vault.reveal_pending(&alice, reveal("Facebook", SecretField::Password)).await.expect_err("dropped");
    assert_eq!(gone.kind(), ErrorKind::FailedPrecondition);

    let staged = vault.stage_rotation(&bob, "Facebook", given(b"newer-password")).await.expect("stage again");
    fx.clock.advance(Duration::from_secs(60));
    let confirmed_at = fx.clock.now();
    let view = vault
        .confirm_rotation(&alice, RotationRef { platform: "Facebook".into(), id: Some(staged.id[..8].to_owned()) })
        .await
        .expect("confirm");
    assert_eq!(view.version, 2);
    assert_eq!(password(&vault, &alice, "Facebook").await, b"newer-password");
    let notes = vault.reveal(&alice, reveal("Facebook", SecretField::Notes)).await.expect("notes carried over");
    assert_eq!(notes.secret.expose_secret(), b"backup codes 1 2 3");
    let old = RevealParams { version: Some(1), ..reveal("Facebook", SecretField::Password) };
    assert_eq!(vault.reveal(&alice, old).await.expect("v1").secret.expose_secret(), b"old-password");
    let history = vault.list_versions(&alice, "Facebook").expect("history");
    assert_eq!(history.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!((history[0].created_by.as_str(), history[0].created), ("Alice", confirmed_at));
    assert_eq!(history[0].changed, [SecretField::Password]);

    let actions: Vec<String> = vault
        .list_audit(&alice, AuditFilter { action: Some("rotation".into()), ..Default::default() })
        .await
        .expect("audit")
        .events
        .iter()
        .map(|e| format!("{} {}", e.actor, e.action))
        .collect();
    assert_eq!(
        actions,
        ["Alice rotation.stage", "Bob rotation.cancel", "Bob rotation.stage", "Alice rotation.confirm"]
    );
}

#[tokio::test]
async fn a_second_stage_is_refused_and_confirm_checks_the_rotation_and_the_entry() {
    let fx = Fixture::new();
    let (vault, alice, bob) = world(&fx).await;
    let first = vault.stage_rotation(&alice, "Facebook", given(b"first")).await.expect("stage");
    let second = vault.stage_rotation(&bob, "Facebook", given(b"second")).await.expect_err("already staged");
    assert_eq!(second.kind(), ErrorKind::FailedPrecondition);
    assert_eq!(
        second.to_string(),
        "a rotation is already staged for this entry: confirm or cancel it first",
        "the second stage is refused, not merged"
    );
    let pending = vault.reveal_pending(&alice, reveal("Facebook", SecretField::Password)).await.expect("pending");
    assert_eq!(pending.secret.expose_secret(), b"first", "never a silent overwrite");

    // Cancelled and staged again by someone else: a confirm naming the first one is refused.
    vault.cancel_rotation(&bob, which("Facebook")).await.expect("cancel");
    vault.stage_rotation(&bob, "Facebook", given(b"bobs")).await.expect("stage");
    let named = RotationRef { platform: "Facebook".into(), id: Some(first.id.clone()) };
    assert_eq!(vault.confirm_rotation(&alice, named).await.expect_err("other").kind(), ErrorKind::FailedPrecondition);
    // The entry's secrets moved since the stage: the confirm is refused and nothing changes.
    let edit = EntryUpdate {
        platform: "Facebook".into(),
        notes: Some(SecretBytes::new(b"edited".to_vec())),
        ..Default::default()
    };
    vault.update_entry(&alice, edit).await.expect("edit");
    let moved = vault.confirm_rotation(&alice, which("Facebook")).await.expect_err("moved");
    assert_eq!(moved.kind(), ErrorKind::FailedPrecondition);
    assert_eq!(vault.get_entry(&alice, "Facebook").expect("entry").version, 2);
    assert_eq!(password(&vault, &alice, "Facebook").await, b"old-password");
    assert_eq!(vault.cancel_rotation(&alice, which("Nowhere")).await.expect_err("none").kind(), ErrorKind::NotFound);
    let nothing = vault
        .cancel_rotation(&alice, which("Facebook"))
        .await
        .and(vault.cancel_rotation(&alice, which("Facebook")).await);
    assert_eq!(nothing.expect_err("nothing staged").kind(), ErrorKind::FailedPrecondition);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_concurrent_stages_exactly_one_wins() {
    let fx = Fixture::new();
    let (vault, alice, bob) = world(&fx).await;
    for round in 0..5 {
        let (a, b) = tokio::join!(
            vault.stage_rotation(&alice, "Facebook", given(b"alice's")),
            vault.stage_rotation(&bob, "Facebook", given(b"bob's")),
        );
        let won: Vec<&str> = [("alice", &a), ("bob", &b)].iter().filter(|(_, r)| r.is_ok()).map(|(n, _)| *n).collect();
        assert_eq!(won.len(), 1, "round {round}: {won:?}");
        let lost = if a.is_ok() { b } else { a };
        assert_eq!(lost.expect_err("the loser").kind(), ErrorKind::FailedPrecondition);
        let pending = vault.reveal_pending(&alice, reveal("Facebook", SecretField::Password)).await.expect("pending");
        let want: &[u8] = if won == ["alice"] { b"alice's" } else { b"bob's" };
        assert_eq!(pending.secret.expose_secret(), want, "the winner's password is the staged one");
        vault.cancel_rotation(&alice, which("Facebook")).await.expect("cancel");
    }
}

#[tokio::test]
async fn a_generated_password_follows_the_policy_and_is_never_in_the_audit_log() {
    let fx = Fixture::new();
    let (vault, alice, _) = world(&fx).await;
    let policy = Policy::Characters { length: 40, classes: Classes { symbols: false, ..Classes::ALL } };
    let staged = vault.stage_rotation(&alice, "Facebook", NewPassword::Generate(policy)).await.expect("stage");
    assert!(staged.generated && staged.entropy_bits.is_some_and(|bits| bits > 230.0), "{staged:?}");
    let pending = vault.reveal_pending(&alice, reveal("Facebook", SecretField::Password)).await.expect("pending");
    let text = String::from_utf8(pending.secret.expose_secret().to_vec()).expect("text");
    assert_eq!(text.len(), 40);
    assert!(text.chars().all(|c| c.is_ascii_alphanumeric()), "no symbols");
    let events = vault.list_audit(&alice, AuditFilter::default()).await.expect("audit").events;
    assert!(events.iter().all(|e| !e.detail.contains(&text) && !e.reason.contains(&text)));
    let short = Policy::Words { count: 3, separator: "-".into() };
    vault.cancel_rotation(&alice, which("Facebook")).await.expect("cancel");
    let refused = vault.stage_rotation(&alice, "Facebook", NewPassword::Generate(short)).await.expect_err("3 words");
    assert_eq!(refused.kind(), ErrorKind::InvalidArgument);
}

#[tokio::test]
async fn the_totp_code_is_computed_from_the_seed_at_the_vaults_time_and_the_seed_is_the_owners() {
    let fx = Fixture::new();
    let (vault, alice, _) = world(&fx).await;
    let code = vault.reveal(&alice, reveal("Facebook", SecretField::TotpCode)).await.expect("code");
    let now = unix_seconds(fx.clock.now());
    let expected = TotpSeed::from_platform_base32(RFC_SEED).expect("seed").code_at(now);
    assert_eq!(code.secret.expose_secret(), expected.as_bytes());
    assert_eq!(code.valid_for_secs, Some(u32::try_from(30 - now % 30).expect("small")));
    let events = vault.list_audit(&alice, AuditFilter { action: Some("reveal".into()), ..Default::default() }).await;
    let last = events.expect("audit").events.pop().expect("the reveal");
    assert!(last.detail.starts_with("field=totp version=1"), "{}", last.detail);

    // A member with a grant gets the code, never the seed.
    let dave = fx.person(&vault, &alice, "Dave", Role::Member, b"the member's passphrase").await;
    let grant = NewGrant {
        person: "Dave".into(),
        scope: Scope::Entry("Facebook".into()),
        until: GrantUntil::For(DAY),
        task: "weekly video".into(),
    };
    vault.add_grant(&alice, grant).await.expect("grant");
    assert!(vault.reveal(&dave, reveal("Facebook", SecretField::TotpCode)).await.is_ok());
    let seed = vault.reveal(&dave, reveal("Facebook", SecretField::TotpSeed)).await.expect_err("owners only");
    assert_eq!(seed.kind(), ErrorKind::PermissionDenied);
    assert_eq!(
        vault.reveal(&alice, reveal("Facebook", SecretField::TotpSeed)).await.expect("owner").secret.expose_secret(),
        RFC_SEED.as_bytes()
    );

    // A seed that is not base32 is refused when stored, with a message that does not echo it.
    let bad = Secrets { totp_seed: Some(SecretBytes::new(b"my-secret-seed".to_vec())), ..secrets_with_seed(b"p") };
    let err = vault.create_entry(&alice, support::entry("X"), bad).await.expect_err("not base32");
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(!err.to_string().contains("my-secret-seed"), "{err}");
    let no_seed = support::secrets(b"p");
    vault.create_entry(&alice, support::entry("Y"), no_seed).await.expect("no seed");
    let missing = vault.reveal(&alice, reveal("Y", SecretField::TotpCode)).await.expect_err("no seed");
    assert_eq!(missing.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn rotation_due_lists_age_offboarding_and_compromise_with_since_and_a_confirm_clears_them() {
    let fx = Fixture::new();
    let (vault, alice, _) = world(&fx).await;
    let bank = entry("Bank", Category::Financial, Classification::Confidential);
    vault.create_entry(&alice, bank, support::secrets(b"bank-password")).await.expect("bank");
    assert!(vault.rotation_due(&alice).expect("report").due.is_empty(), "nothing due on day one");

    // A member reveals Facebook, flags it compromised, then is offboarded.
    let dave = fx.person(&vault, &alice, "Dave", Role::Member, b"the member's passphrase").await;
    let grant = NewGrant {
        person: "Dave".into(),
        scope: Scope::Entry("Facebook".into()),
        until: GrantUntil::For(DAY),
        task: "weekly video".into(),
    };
    vault.add_grant(&alice, grant).await.expect("grant");
    vault.reveal(&dave, reveal("Facebook", SecretField::Password)).await.expect("reveal");
    let flagged_at = fx.clock.now();
    let flag = vault.flag_compromised(&dave, "Facebook", "typed it on a shared computer").await.expect("flag");
    assert!(!flag.already);
    let bank_flag = vault.flag_compromised(&dave, "Bank", "no grant").await.expect_err("not covered");
    assert_eq!(bank_flag.kind(), ErrorKind::PermissionDenied);
    fx.clock.advance(DAY);
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let offboarded_at = fx.clock.now();
    vault.offboard_person(&alice, "Dave").await.expect("offboard");
    // 91 days later the bank's password (financial: 90 days) is too old as well.
    fx.clock.advance(90 * DAY);
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let report = vault.rotation_due(&alice).expect("report");
    let summary: Vec<(String, Vec<DueKind>)> =
        report.due.iter().map(|d| (d.platform.clone(), d.reasons.iter().map(|r| r.kind).collect())).collect();
    assert_eq!(
        summary,
        [
            ("Facebook".to_owned(), vec![DueKind::Compromised, DueKind::Offboarded]),
            ("Bank".to_owned(), vec![DueKind::Age]),
        ]
    );
    assert_eq!(report.due[0].reasons[0].since, flagged_at);
    assert!(report.due[0].reasons[0].detail.to_string().contains("typed it on a shared computer"));
    assert!(
        matches!(&report.due[0].reasons[0].detail, DueDetail::Compromised { reason, .. } if reason.contains("shared computer"))
    );
    assert_eq!(report.due[0].reasons[1].since, offboarded_at);
    assert_eq!(report.due[0].reasons[1].detail.code(), "offboarded-current");
    assert!(matches!(&report.due[0].reasons[1].detail, DueDetail::Offboarded { person, .. } if person == "Dave"));
    assert!(report.due[1].reasons[0].detail.to_string().contains("at most 90 days"));
    assert!(matches!(report.due[1].reasons[0].detail, DueDetail::Age { max_days: 90, .. }));

    // A cancel keeps the flags; a confirm clears them and resets the age.
    vault.stage_rotation(&alice, "Facebook", given(b"fresh")).await.expect("stage");
    assert_eq!(vault.rotation_due(&alice).expect("report").staged.len(), 1);
    vault.cancel_rotation(&alice, which("Facebook")).await.expect("cancel");
    assert_eq!(vault.rotation_due(&alice).expect("report").due.len(), 2);
    vault.stage_rotation(&alice, "Facebook", given(b"fresh")).await.expect("stage");
    vault.stage_rotation(&alice, "Bank", NewPassword::Generate(Policy::default())).await.expect("stage");
    vault.confirm_rotation(&alice, which("Facebook")).await.expect("confirm");
    vault.confirm_rotation(&alice, which("Bank")).await.expect("confirm");
    let report = vault.rotation_due(&alice).expect("report");
    assert!(report.due.is_empty() && report.staged.is_empty(), "{report:?}");
    assert_eq!(vault.get_entry(&alice, "Facebook").expect("entry").rotation_due, None);
    let member = fx.person(&vault, &alice, "Erin", Role::Member, b"another member's phrase").await;
    assert_eq!(vault.rotation_due(&member).expect_err("owners").kind(), ErrorKind::PermissionDenied);
}

/// A vault with a very confidential entry "Bank" that the member Dave holds a live grant on (from the president).
async fn very_confidential(fx: &Fixture) -> (Vault, RequestContext, RequestContext, RequestContext) {
    let (vault, alice, bob) = world(fx).await;
    let bank = entry("Bank", Category::Financial, Classification::VeryConfidential);
    vault.create_entry(&alice, bank, support::secrets(b"bank-password")).await.expect("bank");
    let dave = fx.person(&vault, &alice, "Dave", Role::Member, b"the member's passphrase").await;
    let grant = NewGrant {
        person: "Dave".into(),
        scope: Scope::Entry("Bank".into()),
        until: GrantUntil::For(30 * DAY),
        task: "pay the hall".into(),
    };
    vault.add_grant(&alice, grant).await.expect("grant");
    (vault, alice, bob, dave)
}

#[tokio::test]
async fn a_very_confidential_reveal_needs_an_approval_that_is_single_use_expires_and_can_be_denied() {
    let fx = Fixture::new();
    let (vault, alice, bob, dave) = very_confidential(&fx).await;
    let refused = |r: coffre_vault::Result<coffre_vault::Revealed>| r.expect_err("refused").kind();
    assert_eq!(refused(vault.reveal(&dave, reveal("Bank", SecretField::Password)).await), ErrorKind::PermissionDenied);

    let asked = vault.request_approval(&dave, "Bank", "pay the hall rental").await.expect("request");
    assert_eq!(asked.state, ApprovalState::Pending);
    let again = vault.request_approval(&dave, "Bank", "again").await.expect_err("one open request");
    assert_eq!(again.kind(), ErrorKind::AlreadyExists);
    assert_eq!(refused(vault.reveal(&dave, reveal("Bank", SecretField::Password)).await), ErrorKind::PermissionDenied);
    assert_eq!(vault.list_approvals(&bob, false).expect("owners see it").len(), 1);
    assert_eq!(vault.list_approvals(&dave, false).expect("own").len(), 1);
    let self_approval = vault.decide_approval(&dave, &asked.id, true, "").await.expect_err("a member");
    assert_eq!(self_approval.kind(), ErrorKind::PermissionDenied);
    let own = vault.request_approval(&alice, "Bank", "owner").await.expect_err("owners need none");
    assert_eq!(own.kind(), ErrorKind::FailedPrecondition);

    // Approved: one reveal, then used.
    let approved = vault.decide_approval(&bob, &asked.id[..8], true, "ok for the hall").await.expect("approve");
    assert_eq!((approved.state, approved.decided_by.as_deref()), (ApprovalState::Approved, Some("Bob")));
    let secret = vault.reveal(&dave, reveal("Bank", SecretField::Password)).await.expect("the one reveal");
    assert_eq!(secret.secret.expose_secret(), b"bank-password");
    assert_eq!(refused(vault.reveal(&dave, reveal("Bank", SecretField::Password)).await), ErrorKind::PermissionDenied);
    let states: Vec<ApprovalState> = vault.list_approvals(&dave, false).expect("own").iter().map(|a| a.state).collect();
    assert_eq!(states, [ApprovalState::Used]);
    let twice = vault.decide_approval(&alice, &asked.id, true, "").await.expect_err("decided already");
    assert_eq!(twice.kind(), ErrorKind::FailedPrecondition);

    // Denied: nothing.
    fx.clock.advance(Duration::from_secs(1));
    let denied = vault.request_approval(&dave, "Bank", "again").await.expect("request");
    vault.decide_approval(&alice, &denied.id, false, "not today").await.expect("deny");
    assert_eq!(refused(vault.reveal(&dave, reveal("Bank", SecretField::Password)).await), ErrorKind::PermissionDenied);

    // Approved but not used within 15 minutes: expired.
    fx.clock.advance(Duration::from_secs(1));
    let late = vault.request_approval(&dave, "Bank", "later").await.expect("request");
    vault.decide_approval(&alice, &late.id, true, "").await.expect("approve");
    fx.clock.advance(Duration::from_secs(16 * 60));
    let dave = fx.login(&vault, "Dave", b"the member's passphrase").await;
    assert_eq!(refused(vault.reveal(&dave, reveal("Bank", SecretField::Password)).await), ErrorKind::PermissionDenied);
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let all = vault.list_approvals(&alice, true).expect("all");
    let states: Vec<ApprovalState> = all.iter().map(|a| a.state).collect();
    assert_eq!(states, [ApprovalState::Used, ApprovalState::Denied, ApprovalState::Expired]);
    assert!(vault.list_approvals(&alice, false).expect("pending").is_empty());

    // Every step is in the audit log, and the reveal names the approval it used.
    let events = vault.list_audit(&alice, AuditFilter::default()).await.expect("audit").events;
    let steps: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e.action.starts_with("approval.") || (e.action == "reveal" && e.target == "Bank"))
        .map(|e| (e.action.as_str(), e.outcome.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("reveal", "denied"),
            ("approval.request", "success"),
            ("reveal", "denied"),
            ("approval.decide", "denied"),
            ("approval.approve", "success"),
            ("approval.use", "success"),
            ("reveal", "success"),
            ("reveal", "denied"),
            ("approval.request", "success"),
            ("approval.deny", "success"),
            ("reveal", "denied"),
            ("approval.request", "success"),
            ("approval.approve", "success"),
            ("reveal", "denied"),
        ]
    );
    // Decisions name the entry as their target, like the request and the reveal. (A refused attempt to decide by
    // someone who may not names the id typed: the request may not exist.)
    let decisions = events.iter().filter(|e| ["approval.approve", "approval.deny"].contains(&e.action.as_str()));
    assert!(decisions.clone().all(|e| e.target == "Bank"), "{:?}", decisions.map(|e| &e.target).collect::<Vec<_>>());
    let used = events.iter().find(|e| e.action == "reveal" && e.outcome.as_str() == "success" && e.target == "Bank");
    assert!(used.is_some_and(|e| e.detail.contains(&format!("approval={}", asked.id))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_concurrent_reveals_share_one_approval_and_exactly_one_gets_the_secret() {
    let fx = Fixture::new();
    let (vault, _alice, bob, dave) = very_confidential(&fx).await;
    for round in 0..3 {
        let asked = vault.request_approval(&dave, "Bank", "pay the hall").await.expect("request");
        vault.decide_approval(&bob, &asked.id, true, "").await.expect("approve");
        let (a, b) = tokio::join!(
            vault.reveal(&dave, reveal("Bank", SecretField::Password)),
            vault.reveal(&dave, reveal("Bank", SecretField::Password)),
        );
        assert_eq!(usize::from(a.is_ok()) + usize::from(b.is_ok()), 1, "round {round}");
        let lost = if a.is_ok() { b } else { a };
        assert_eq!(lost.expect_err("the loser").kind(), ErrorKind::PermissionDenied);
    }
}

#[tokio::test]
async fn a_confirm_keeps_the_flags_raised_after_its_staging() {
    let fx = Fixture::new();
    let (vault, alice, _) = world(&fx).await;
    let dave = fx.person(&vault, &alice, "Dave", Role::Member, b"the member's passphrase").await;
    let grant = NewGrant {
        person: "Dave".into(),
        scope: Scope::Entry("Facebook".into()),
        until: GrantUntil::For(DAY),
        task: "weekly video".into(),
    };
    vault.add_grant(&alice, grant).await.expect("grant");
    vault.reveal(&dave, reveal("Facebook", SecretField::Password)).await.expect("reveal");
    vault.stage_rotation(&alice, "Facebook", given(b"fresh")).await.expect("stage");

    // After the staging, the member reports a leak and is then offboarded: the staged password answers neither.
    fx.clock.advance(Duration::from_secs(60));
    vault.flag_compromised(&dave, "Facebook", "the new one was on a sticky note").await.expect("flag");
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    vault.offboard_person(&alice, "Dave").await.expect("offboard");
    vault.confirm_rotation(&alice, which("Facebook")).await.expect("confirm");
    let report = vault.rotation_due(&alice).expect("report");
    let kinds: Vec<DueKind> = report.due.iter().flat_map(|d| d.reasons.iter().map(|r| r.kind)).collect();
    assert_eq!(kinds, [DueKind::Compromised, DueKind::Offboarded], "{report:?}");
}
