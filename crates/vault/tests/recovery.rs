//! Recovery with shares through the engine's public API: k shares from different holders unseal and let an owner
//! choose a new passphrase; every guard refuses with its own message and uses nothing.

mod support;

use std::time::Duration;

use coffre_crypto::{envelope::ShareEnvelope, secret::SecretBytes, shamir::SecretShare};
use coffre_vault::{
    ErrorKind, SealState,
    recovery::{HolderKey, HolderSpec, ShareSetSpec},
};
use support::*;

const NEW_PASS: &[u8] = b"a brand new passphrase after recovery";

fn message<T: std::fmt::Debug>(result: coffre_vault::Result<T>) -> (ErrorKind, String) {
    let err = result.expect_err("refused");
    (err.kind(), err.to_string())
}

#[tokio::test]
async fn two_shares_unseal_after_a_restart_and_reset_the_presidents_passphrase() {
    let fx = Fixture::new();
    let (president, leader) = (Holder::new("president"), Holder::new("leader"));
    let vault = fx.open();
    let issued = fx.init_with_shares(&vault, Some(two_of(&[&president, &leader], 2))).await.expect("shares issued");
    assert_eq!((issued.threshold, issued.shares.len()), (2, 2));
    assert_eq!(
        issued.shares.iter().map(|s| (s.holder.as_str(), s.x)).collect::<Vec<_>>(),
        [("president", 1), ("leader", 2)]
    );
    assert!(issued.shares.iter().all(|s| s.file.starts_with("-----BEGIN AGE ENCRYPTED FILE-----")));
    drop(vault);

    let vault = fx.open();
    assert_eq!(vault.status().state, SealState::Sealed);
    let status = vault.recovery_status();
    assert_eq!((status.threshold, status.shares, status.submitted), (2, 2, 0));
    assert_eq!(status.share_set_id.as_deref(), Some(issued.share_set_id.as_str()));

    let first = vault.submit_share(&anonymous(), president.open(&issued)).await.expect("first share");
    assert_eq!((first.holder.as_str(), first.x, first.submitted, first.threshold), ("president", 1, 1, 2));
    assert!(first.completion.is_none());
    assert_eq!(vault.status().state, SealState::Sealed, "one share is not enough");
    assert_eq!(vault.recovery_status().submitted, 1);

    let second = vault.submit_share(&anonymous(), leader.open(&issued)).await.expect("second share");
    let completion = second.completion.expect("the threshold is reached");
    assert!(completion.unsealed);
    assert_eq!(vault.status().state, SealState::Unsealed);
    assert_eq!(vault.recovery_status().submitted, 0, "the shares are used once and forgotten");

    let wrong = vault.finish_recovery(&anonymous(), "not-the-code", None, passphrase(NEW_PASS)).await;
    assert_eq!(message(wrong).0, ErrorKind::Unauthenticated);
    let token = completion.token.expose_secret().to_string();
    let owner = vault.finish_recovery(&anonymous(), &token, None, passphrase(NEW_PASS)).await.expect("finish");
    assert_eq!(owner, "Alice");
    let again = vault.finish_recovery(&anonymous(), &token, None, passphrase(NEW_PASS)).await;
    assert_eq!(message(again).0, ErrorKind::Unauthenticated, "the code is spent");

    fx.login(&vault, "Alice", NEW_PASS).await;
    let old = vault.login(&anonymous(), "Alice", passphrase(PRESIDENT_PASS), &fx.code("Alice")).await;
    assert_eq!(message(old).0, ErrorKind::Unauthenticated, "the forgotten passphrase no longer works");
    drop(vault);
    let vault = fx.open();
    let old = vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await;
    assert_eq!(message(old).0, ErrorKind::Unauthenticated, "the old key slot is gone");
    vault.unseal(&anonymous(), passphrase(NEW_PASS)).await.expect("the re-wrapped slot opens");
}

#[tokio::test]
async fn a_partial_recovery_expires_ten_minutes_after_its_first_share() {
    let fx = Fixture::new();
    let holders = [Holder::new("president"), Holder::new("leader"), Holder::new("treasurer")];
    let vault = fx.open();
    let issued =
        fx.init_with_shares(&vault, Some(two_of(&[&holders[0], &holders[1], &holders[2]], 2))).await.expect("issued");
    drop(vault);
    let vault = fx.open();
    let first = vault.submit_share(&anonymous(), holders[0].open(&issued)).await.expect("first");
    assert_eq!(first.expires, fx.clock_now() + Duration::from_secs(600));
    fx.clock.advance(Duration::from_secs(599));
    assert_eq!(vault.recovery_status().submitted, 1);
    fx.clock.advance(Duration::from_secs(1));
    assert_eq!(vault.recovery_status().submitted, 0, "expired");
    let again = vault.submit_share(&anonymous(), holders[1].open(&issued)).await.expect("starts afresh");
    assert_eq!(again.submitted, 1, "the expired share does not count");
    assert_eq!(vault.status().state, SealState::Sealed);
}

#[tokio::test]
async fn the_same_share_twice_is_refused_and_does_not_count() {
    let fx = Fixture::new();
    let (a, b) = (Holder::new("president"), Holder::new("leader"));
    let vault = fx.open();
    let issued = fx.init_with_shares(&vault, Some(two_of(&[&a, &b], 2))).await.expect("issued");
    drop(vault);
    let vault = fx.open();
    vault.submit_share(&anonymous(), a.open(&issued)).await.expect("first");
    let (kind, text) = message(vault.submit_share(&anonymous(), a.open(&issued)).await);
    assert_eq!(kind, ErrorKind::InvalidArgument);
    assert!(text.contains("share number 1 (president) was already submitted"), "{text}");
    assert_eq!(vault.status().state, SealState::Sealed);
    assert_eq!(vault.recovery_status().submitted, 1);
}

#[tokio::test]
async fn shares_of_another_vault_or_damaged_ones_are_refused_before_combining() {
    let fx = Fixture::new();
    let (a, b) = (Holder::new("president"), Holder::new("leader"));
    let vault = fx.open();
    let issued = fx.init_with_shares(&vault, Some(two_of(&[&a, &b], 2))).await.expect("issued");
    let other_fx = Fixture::new();
    let other = other_fx.open();
    let other_issued = other_fx.init_with_shares(&other, Some(two_of(&[&a, &b], 2))).await.expect("issued");
    drop((vault, other));
    let vault = fx.open();

    let (kind, text) = message(vault.submit_share(&anonymous(), a.open(&other_issued)).await);
    assert_eq!(kind, ErrorKind::InvalidArgument);
    assert!(text.contains("belongs to another vault"), "{text}");

    let mut damaged = a.open(&issued).expose_secret().to_vec();
    let at = damaged.len() - 30;
    damaged[at] = if damaged[at] == b'0' { b'1' } else { b'0' };
    let (_, text) = message(vault.submit_share(&anonymous(), SecretBytes::new(damaged)).await);
    assert!(text.contains("damaged"), "{text}");

    let truncated = a.open(&issued).expose_secret()[..60].to_vec();
    let (_, text) = message(vault.submit_share(&anonymous(), SecretBytes::new(truncated)).await);
    assert!(text.contains("not a coffre share"), "{text}");

    let still_encrypted = issued.shares[0].file.as_bytes().to_vec();
    let (_, text) = message(vault.submit_share(&anonymous(), SecretBytes::new(still_encrypted)).await);
    assert!(text.contains("not a coffre share"), "{text}");
    assert_eq!(vault.recovery_status().submitted, 0, "nothing was counted");

    // Every refusal was held while sealed, like a failed unseal, and is in the log after the next unseal.
    vault.submit_share(&anonymous(), a.open(&issued)).await.expect("a genuine share");
    let (_, text) = message(vault.submit_share(&anonymous(), a.open(&issued)).await);
    assert!(text.contains("already submitted"), "{text}");
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal");
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let filter = coffre_vault::AuditFilter { action: Some("recovery.share".into()), ..Default::default() };
    let events = vault.list_audit(&alice, filter).await.expect("audit").events;
    let refused: Vec<&str> =
        events.iter().filter(|e| e.outcome.as_str() == "failure").map(|e| e.reason.as_str()).collect();
    assert_eq!(refused.len(), 5, "{refused:?}");
    assert!(refused[0].contains("another vault") && refused[4].contains("already submitted"), "{refused:?}");
    assert_eq!(events.iter().filter(|e| e.outcome.as_str() == "success").count(), 1, "the genuine share");
}

#[tokio::test]
async fn forged_shares_do_not_open_the_slot_and_are_all_discarded() {
    let fx = Fixture::new();
    let (a, b) = (Holder::new("president"), Holder::new("leader"));
    let vault = fx.open();
    let issued = fx.init_with_shares(&vault, Some(two_of(&[&a, &b], 2))).await.expect("issued");
    drop(vault);
    let vault = fx.open();
    let genuine = ShareEnvelope::decode(a.open(&issued).expose_secret()).expect("decodes");
    // A well-formed share of the right vault and set, with made-up bytes: only the recovery slot can tell.
    let forged = ShareEnvelope {
        vault: genuine.vault,
        share_set: genuine.share_set,
        threshold: 2,
        shares: 2,
        holder: "leader".into(),
        share: SecretShare::new(2, vec![0x42; 32]),
    };
    vault.submit_share(&anonymous(), a.open(&issued)).await.expect("genuine first share");
    let (kind, text) = message(vault.submit_share(&anonymous(), SecretBytes::new(forged.encode().to_vec())).await);
    assert_eq!(kind, ErrorKind::Unauthenticated);
    assert!(text.starts_with("these shares do not open this vault's recovery slot"), "{text}");
    assert_eq!(vault.status().state, SealState::Sealed, "a wrong key is never used");
    assert_eq!(vault.recovery_status().submitted, 0, "every submitted share was discarded");
    let x0 = ShareEnvelope { share: SecretShare::new(0, vec![1; 32]), ..forged };
    let (_, text) = message(vault.submit_share(&anonymous(), SecretBytes::new(x0.encode().to_vec())).await);
    assert!(text.contains("share number is out of range"), "{text}");
}

#[tokio::test]
async fn rekey_makes_the_old_shares_useless_and_the_new_ones_work() {
    let fx = Fixture::new();
    let (a, b, c) = (Holder::new("president"), Holder::new("leader"), Holder::new("secretary"));
    let vault = fx.open();
    let old = fx.init_with_shares(&vault, Some(two_of(&[&a, &b], 2))).await.expect("issued");
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    vault.submit_share(&anonymous(), a.open(&old)).await.expect("a recovery in progress");
    let new = vault.rekey(&alice, two_of(&[&a, &b, &c], 3)).await.expect("rekey");
    assert_ne!(new.share_set_id, old.share_set_id);
    assert_eq!(vault.recovery_status().submitted, 0, "the recovery in progress is discarded");
    drop(vault);

    let vault = fx.open();
    let (kind, text) = message(vault.submit_share(&anonymous(), b.open(&old)).await);
    assert_eq!(kind, ErrorKind::InvalidArgument);
    assert!(text.contains("a rekey replaced"), "{text}");
    for (i, holder) in [&a, &b, &c].into_iter().enumerate() {
        let accepted = vault.submit_share(&anonymous(), holder.open(&new)).await.expect("new share");
        assert_eq!(accepted.completion.is_some(), i == 2);
    }
    assert_eq!(vault.status().state, SealState::Unsealed);
}

#[tokio::test]
async fn rekey_refuses_one_age_key_for_several_holders() {
    let fx = Fixture::new();
    let (a, b) = (Holder::new("president"), Holder::new("leader"));
    let vault = fx.open();
    let old = fx.init_with_shares(&vault, Some(two_of(&[&a, &b], 2))).await.expect("issued");
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let spec = ShareSetSpec {
        threshold: 2,
        holders: vec![a.spec(), HolderSpec { label: "leader".into(), key: HolderKey::Age(a.recipient.clone()) }],
    };
    let (kind, text) = message(vault.rekey(&alice, spec).await);
    assert_eq!(kind, ErrorKind::InvalidArgument);
    assert!(text.contains("leader has the same age key as president"), "{text}");
    assert_eq!(vault.recovery_status().share_set_id, Some(old.share_set_id), "the share set stays");
}

#[tokio::test]
async fn only_owners_rekey() {
    let fx = Fixture::new();
    let (a, b) = (Holder::new("president"), Holder::new("leader"));
    let vault = fx.open();
    fx.init_with_shares(&vault, None).await;
    let (kind, _) = message(vault.rekey(&anonymous(), two_of(&[&a, &b], 2)).await);
    assert_eq!(kind, ErrorKind::Unauthenticated);
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    assert_eq!(vault.recovery_status().share_set_id, None, "init without holders issues no share set");
    vault.rekey(&alice, two_of(&[&a, &b], 2)).await.expect("the first share set, after init");
    assert!(vault.recovery_status().share_set_id.is_some());
}

#[tokio::test]
async fn bad_share_sets_are_refused_at_init_and_nothing_is_created() {
    let fx = Fixture::new();
    let (a, b) = (Holder::new("president"), Holder::new("leader"));
    let vault = fx.open();
    let cases: Vec<(ShareSetSpec, &str)> = vec![
        (two_of(&[&a, &b], 1), "invalid threshold: must be between 2 and the number of holders (2), not 1"),
        (two_of(&[&a, &b], 0), "not 0"),
        (two_of(&[&a, &b], 3), "not 3"),
        (two_of(&[&a], 2), "name between 2 and 16 recovery holders (there are 1)"),
        (
            ShareSetSpec {
                threshold: 2,
                holders: vec![
                    a.spec(),
                    HolderSpec { label: "PRESIDENT".into(), key: HolderKey::Age(b.recipient.clone()) },
                ],
            },
            "PRESIDENT is named twice",
        ),
        (
            ShareSetSpec {
                threshold: 2,
                holders: vec![a.spec(), HolderSpec { label: "leader".into(), key: HolderKey::Age("age1nope".into()) }],
            },
            "is not an age public key",
        ),
        (
            ShareSetSpec {
                threshold: 3,
                holders: vec![
                    a.spec(),
                    HolderSpec { label: "leader".into(), key: HolderKey::Age(a.recipient.clone()) },
                    HolderSpec { label: "treasurer".into(), key: HolderKey::Age(a.recipient.clone()) },
                ],
            },
            "leader has the same age key as president",
        ),
        (
            ShareSetSpec {
                threshold: 2,
                holders: vec![
                    HolderSpec {
                        label: "leader".into(),
                        key: HolderKey::Passphrase(passphrase(b"one phrase for two")),
                    },
                    HolderSpec { label: "clerk".into(), key: HolderKey::Passphrase(passphrase(b"one phrase for two")) },
                ],
            },
            "clerk has the same passphrase as leader",
        ),
    ];
    for (spec, expected) in cases {
        let params = coffre_vault::InitParams {
            president: "Alice".into(),
            passphrase: passphrase(PRESIDENT_PASS),
            leader: None,
            kdf: Some(TEST_KDF),
        };
        let (kind, text) = message(vault.init_with_recovery(&anonymous(), params, Some(spec)).await);
        assert_eq!(kind, ErrorKind::InvalidArgument);
        assert!(text.contains(expected), "{text} should say {expected}");
    }
    assert_eq!(vault.status().state, SealState::Uninitialised);
}

#[tokio::test]
async fn a_passphrase_holder_gets_a_share_but_no_backups() {
    let fx = Fixture::new();
    let president = Holder::new("president");
    let vault = fx.open();
    let treasurer =
        HolderSpec { label: "treasurer".into(), key: HolderKey::Passphrase(passphrase(b"treasurer's own phrase")) };
    let spec = ShareSetSpec { threshold: 2, holders: vec![president.spec(), treasurer] };
    let issued = fx.init_with_shares(&vault, Some(spec)).await.expect("issued");
    let file = &issued.shares.iter().find(|s| s.holder == "treasurer").expect("a share").file;
    let phrase = passphrase(b"treasurer's own phrase");
    let envelope =
        coffre_crypto::age_file::decrypt(coffre_crypto::age_file::Unlock::Passphrase(&phrase), file.as_bytes(), 4096)
            .expect("the treasurer's passphrase opens it");
    drop(vault);
    let vault = fx.open();
    vault.submit_share(&anonymous(), envelope).await.expect("counts");
    let done = vault.submit_share(&anonymous(), president.open(&issued)).await.expect("completes");
    assert!(done.completion.is_some());
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let backup = vault.create_backup(&alice).await.expect("backup");
    assert_eq!(backup.recipients, 1, "only the holder with an age key receives backups");
}

/// A recovery's one-time code sets a new passphrase for an owner still in the vault, never for one offboarded.
/// Before the fix it gave an offboarded leader a key slot again (so the passphrase chosen for them unsealed the
/// vault), undoing what the offboarding had removed. The refusal leaves the code usable for an owner still there.
#[tokio::test]
async fn a_recovery_never_gives_an_offboarded_owner_a_key_slot_again() {
    let fx = Fixture::new();
    let (president, leader) = (Holder::new("president"), Holder::new("leader"));
    let vault = fx.open();
    let issued = fx.init_with_shares(&vault, Some(two_of(&[&president, &leader], 2))).await.expect("shares issued");
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    vault.offboard_person(&alice, "Bob").await.expect("the leader leaves");

    vault.submit_share(&anonymous(), president.open(&issued)).await.expect("first share");
    let second = vault.submit_share(&anonymous(), leader.open(&issued)).await.expect("second share");
    let token = second.completion.expect("the threshold is reached").token.expose_secret().to_string();
    let refused = vault.finish_recovery(&anonymous(), &token, Some("Bob"), passphrase(NEW_PASS)).await;
    assert_eq!(
        message(refused),
        (ErrorKind::FailedPrecondition, "this person is offboarded: an offboarded account is never reopened".into())
    );
    let owner = vault.finish_recovery(&anonymous(), &token, None, passphrase(PRESIDENT_PASS)).await;
    assert_eq!(owner.expect("the code is still good for the president"), "Alice");

    drop(vault);
    let vault = fx.open();
    let bob = vault.unseal(&anonymous(), passphrase(NEW_PASS)).await;
    assert_eq!(message(bob).0, ErrorKind::Unauthenticated, "no key slot opens with the passphrase chosen for Bob");
}

/// Offboarding someone who holds a share of the current set says so: their share still counts towards a recovery
/// and their age key still opens every new backup until an owner issues a new set. A holder is found by its label:
/// the person's name, or the role of an owner as the guides label it (`leader=age1...`).
#[tokio::test]
async fn offboarding_a_share_holder_says_the_share_set_must_be_replaced() {
    let fx = Fixture::new();
    let (president, leader) = (Holder::new("president"), Holder::new("leader"));
    let vault = fx.open();
    fx.init_with_shares(&vault, Some(two_of(&[&president, &leader], 2))).await.expect("shares issued");
    let owner = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    vault.add_person(&owner, "Carol", coffre_vault::Role::Auditor).await.expect("an auditor");
    let done = vault.offboard_person(&owner, "Carol").await.expect("the auditor leaves");
    assert_eq!(done.share_holder, None, "Carol holds no share");
    let done = vault.offboard_person(&owner, "Bob").await.expect("the leader leaves");
    assert_eq!(done.share_holder.as_deref(), Some("leader"), "the leader's share, by the role's label");

    let (treasurer, dave) = (Holder::new("treasurer"), Holder::new("DAVE"));
    vault.rekey(&owner, two_of(&[&president, &treasurer, &dave], 2)).await.expect("a new set");
    fx.person(&vault, &owner, "Dave", coffre_vault::Role::Member, b"Dave's own long passphrase").await;
    let done = vault.offboard_person(&owner, "Dave").await.expect("Dave leaves");
    assert_eq!(done.share_holder.as_deref(), Some("DAVE"), "by the person's name, compared as names are");
}
