//! Backups through the engine's public API: a snapshot restores onto a new directory with every entry, version
//! and person; every refusal leaves the target as it was; the schedule writes and prunes without sleeping.

mod support;

use std::{path::Path, time::Duration};

use coffre_crypto::age_file::AgeIdentity;
use coffre_vault::{
    EntryUpdate, ErrorKind, RevealParams, SealState, SecretField,
    backup::{BackupSchedule, RestoreError, StepOutcome, restore},
};
use support::*;

/// A vault with two holders, an entry with two versions, and the leader enrolled; returns the backup file.
async fn populated(fx: &Fixture, holders: &[&Holder]) -> Vec<u8> {
    let vault = fx.open();
    fx.init_with_shares(&vault, Some(two_of(holders, 2))).await.expect("issued");
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    vault.create_entry(&alice, entry("Facebook"), secrets(b"first password")).await.expect("create");
    let update = EntryUpdate {
        platform: "Facebook".into(),
        password: Some(coffre_crypto::secret::SecretBytes::new(b"second password".to_vec())),
        ..EntryUpdate::default()
    };
    vault.update_entry(&alice, update).await.expect("a second version");
    vault.create_backup(&alice).await.expect("backup").file
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(items) => items.map(|i| i.expect("entry").file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => vec!["<missing>".into()],
    };
    names.sort();
    names
}

#[tokio::test]
async fn a_backup_restores_onto_a_new_directory_with_everything_in_it() {
    let fx = Fixture::new();
    let (president, leader) = (Holder::new("president"), Holder::new("leader"));
    let file = populated(&fx, &[&president, &leader]).await;
    std::fs::remove_dir_all(fx.data_dir()).expect("the data directory is lost");

    let target = fx.dir.path().join("restored");
    let report = restore(&file, &leader.identity, &target, fx.clock.clone()).expect("restores with either identity");
    assert!(report.records > 0 && report.audit_events >= 5, "{report:?}");
    assert!(target.join("restored.json").exists(), "the restore waits to be recorded at the next unseal");

    let vault = fx.open_at(&target);
    assert_eq!(vault.status().state, SealState::Sealed);
    assert_eq!(vault.status().vault_id.as_deref(), Some(report.vault_id.as_str()));
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseals");
    assert!(!target.join("restored.json").exists(), "recorded, then removed");
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let versions = vault.list_versions(&alice, "Facebook").expect("history");
    assert_eq!(versions.len(), 2);
    for (version, expected) in [(1, &b"first password"[..]), (2, b"second password")] {
        let params = RevealParams {
            platform: "Facebook".into(),
            field: SecretField::Password,
            reason: "check the restore".into(),
            version: Some(version),
        };
        assert_eq!(vault.reveal(&alice, params).await.expect("reveal").secret.expose_secret(), expected);
    }
    assert!(vault.status().audit_events > report.audit_events, "the chain continues after the restore");
}

#[tokio::test]
async fn refused_restores_leave_the_target_as_it_was() {
    let fx = Fixture::new();
    let (president, leader) = (Holder::new("president"), Holder::new("leader"));
    let file = populated(&fx, &[&president, &leader]).await;
    let stranger = Holder::new("stranger");

    let other_fx = Fixture::new();
    let other = other_fx.open();
    other_fx.init_with_shares(&other, None).await;
    drop(other);
    let other_dir = other_fx.data_dir();
    let non_empty = fx.dir.path().join("non-empty");
    std::fs::create_dir(&non_empty).expect("dir");
    std::fs::write(non_empty.join("notes.txt"), b"keep me").expect("file");
    let fresh = fx.dir.path().join("fresh");

    let mut truncated = file.clone();
    truncated.truncate(file.len() - 100);
    let mut corrupted = file.clone();
    let middle = corrupted.len() / 2;
    corrupted[middle] ^= 0x20;

    let cases: Vec<(&[u8], &AgeIdentity, &Path, &str)> = vec![
        (&file, &president.identity, &other_dir, "holds vault"),
        (&file, &president.identity, &non_empty, "is not empty"),
        (&truncated, &president.identity, &fresh, "damaged or truncated"),
        (&corrupted, &president.identity, &fresh, "damaged or truncated"),
        (&file[..20], &president.identity, &fresh, "not an age-encrypted file"),
        (&file, &stranger.identity, &fresh, "not encrypted to the given identity"),
    ];
    for (bytes, identity, target, expected) in cases {
        let before = listing(target);
        let parent_before = listing(fx.dir.path());
        let err = restore(bytes, identity, target, fx.clock.clone()).expect_err("refused");
        let text = err.to_string();
        assert!(text.contains(expected) && text.contains("nothing was changed"), "{text}");
        assert_eq!(listing(target), before, "{expected}: the target is untouched");
        assert_eq!(listing(fx.dir.path()), parent_before, "{expected}: no temporary directory is left");
    }
    assert!(matches!(
        restore(&file, &president.identity, &other_dir, fx.clock.clone()),
        Err(RestoreError::OtherVault { .. })
    ));
    // The vault that was there still opens.
    assert_eq!(other_fx.open().status().state, SealState::Sealed);
}

#[tokio::test]
async fn a_backup_needs_an_owner_and_a_holder_with_a_key() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init_with_shares(&vault, None).await;
    let (kind, _) = vault
        .create_backup(&anonymous())
        .await
        .map(|_| ())
        .map_err(|e| (e.kind(), e.to_string()))
        .expect_err("no session");
    assert_eq!(kind, ErrorKind::Unauthenticated);
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let err = vault.create_backup(&alice).await.expect_err("no recipient");
    assert_eq!(err.kind(), ErrorKind::FailedPrecondition);
    assert!(err.to_string().contains("no recovery holder has an age key"), "{err}");
}

#[tokio::test]
async fn the_schedule_writes_when_due_and_keeps_the_newest() {
    let fx = Fixture::new();
    let (president, leader) = (Holder::new("president"), Holder::new("leader"));
    populated(&fx, &[&president, &leader]).await;
    let dir = fx.dir.path().join("backups");
    let schedule = BackupSchedule { dir: dir.clone(), interval: Duration::from_secs(3600), keep: 2 };

    let vault = fx.open();
    assert_eq!(schedule.step(&vault).await.expect("step"), StepOutcome::Sealed);
    assert!(!dir.exists() || listing(&dir).is_empty());
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal");

    let mut written = Vec::new();
    for _ in 0..3 {
        match schedule.step(&vault).await.expect("step") {
            StepOutcome::Written { path, pruned } => written.push((path, pruned)),
            other => panic!("expected a backup, got {other:?}"),
        }
        assert_eq!(schedule.step(&vault).await.expect("step"), StepOutcome::NotDue);
        fx.clock.advance(Duration::from_secs(1800));
        assert_eq!(schedule.step(&vault).await.expect("step"), StepOutcome::NotDue);
        fx.clock.advance(Duration::from_secs(1800));
    }
    assert!(written[0].1.is_empty() && written[1].1.is_empty());
    assert_eq!(written[2].1, vec![written[0].0.clone()], "the oldest goes once three are there");
    let names = listing(&dir);
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with("coffre-") && names[0].ends_with("Z.age"), "{names:?}");
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(&written[2].0).expect("file").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    // A scheduled backup is a real backup.
    let file = std::fs::read(&written[2].0).expect("read");
    let target = fx.dir.path().join("from-schedule");
    restore(&file, &president.identity, &target, fx.clock.clone()).expect("restores");
}

#[tokio::test]
async fn a_backup_taken_before_a_rekey_names_its_share_set_and_says_so_to_a_newer_share() {
    let fx = Fixture::new();
    let (president, leader) = (Holder::new("president"), Holder::new("leader"));
    let vault = fx.open();
    let old = fx.init_with_shares(&vault, Some(two_of(&[&president, &leader], 2))).await.expect("issued");
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let backup = vault.create_backup(&alice).await.expect("backup");
    assert_eq!(backup.share_set_id, old.share_set_id, "the backup names the set that opens it");
    let new = vault.rekey(&alice, two_of(&[&president, &leader], 2)).await.expect("rekey");
    drop(vault);

    let target = fx.dir.path().join("restored");
    let report = restore(&backup.file, &president.identity, &target, fx.clock.clone()).expect("restores");
    assert_eq!(report.share_set_id.as_deref(), Some(old.share_set_id.as_str()));
    let restored = fx.open_at(&target);
    let err = restored.submit_share(&anonymous(), president.open(&new)).await.expect_err("a share of the rekey");
    let text = err.to_string();
    assert!(text.contains("predates the rekey") && text.contains(&old.share_set_id), "{text}");
    restored.submit_share(&anonymous(), president.open(&old)).await.expect("a share of the backup's day");
    let done = restored.submit_share(&anonymous(), leader.open(&old)).await.expect("the second one");
    assert!(done.completion.is_some(), "the old set opens the backup");
}

/// A backup whose name is dated ahead of the clock (written while the machine's clock was years ahead, then put
/// right) counted as the newest: every step said "not due" until that date came, so the schedule stopped writing
/// backups, silently, for years. Such a file is now left alone (never pruned, never counted), and the schedule
/// goes on.
#[tokio::test]
async fn a_backup_dated_ahead_of_the_clock_does_not_stop_the_schedule() {
    let fx = Fixture::new();
    let (president, leader) = (Holder::new("president"), Holder::new("leader"));
    populated(&fx, &[&president, &leader]).await;
    let dir = fx.dir.path().join("backups");
    let schedule = BackupSchedule { dir: dir.clone(), interval: Duration::from_secs(3600), keep: 1 };
    let vault = fx.open();
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal");
    let first = match schedule.step(&vault).await.expect("step") {
        StepOutcome::Written { path, .. } => path,
        other => panic!("expected a backup, got {other:?}"),
    };
    let vault_id = vault.status().vault_id.expect("an id");
    let ahead = dir.join(format!("coffre-{vault_id}-20990101T000000Z.age"));
    std::fs::copy(&first, &ahead).expect("a backup written under a clock years ahead");

    fx.clock.advance(Duration::from_secs(3600));
    match schedule.step(&vault).await.expect("step") {
        StepOutcome::Written { path, pruned } => {
            assert_eq!(pruned, vec![first.clone()], "only the older backup of the right time goes");
            assert!(path.exists(), "the new backup stays");
        }
        other => panic!("the schedule stopped: {other:?}"),
    }
    assert!(ahead.exists(), "the file dated ahead is left as it is");
    assert_eq!(listing(&dir).len(), 2, "{:?}", listing(&dir));
}

/// The scheduled backup's temporary file (`.NAME.tmp`, a predictable name in the backup directory, which may be a
/// shared one that existed before) was opened with create + truncate: a link planted at that name had its target
/// overwritten with the backup. It is now only ever created new; what stands there is refused, not written through.
#[tokio::test]
async fn a_scheduled_backup_never_writes_through_a_link_planted_at_its_temporary_name() {
    use coffre_vault::clock::Clock as _;
    let fx = Fixture::new();
    let (president, leader) = (Holder::new("president"), Holder::new("leader"));
    populated(&fx, &[&president, &leader]).await;
    let dir = fx.dir.path().join("backups");
    std::fs::create_dir(&dir).expect("a backup directory that exists already");
    let schedule = BackupSchedule { dir: dir.clone(), interval: Duration::from_secs(3600), keep: 2 };
    let vault = fx.open();
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal");
    let stamp = time::OffsetDateTime::from(fx.clock.now())
        .format(time::macros::format_description!("[year][month][day]T[hour][minute][second]Z"))
        .expect("a stamp");
    let vault_id = vault.status().vault_id.expect("an id");
    let precious = fx.dir.path().join("precious.txt");
    std::fs::write(&precious, b"someone's notes\n").expect("write");
    std::os::unix::fs::symlink(&precious, dir.join(format!(".coffre-{vault_id}-{stamp}.age.tmp"))).expect("link");

    let step = schedule.step(&vault).await;
    assert!(std::fs::read(&precious).expect("read") == b"someone's notes\n", "the link's target was overwritten");
    let err = step.expect_err("refused");
    assert!(err.to_string().contains("cannot write the backup") && err.to_string().contains(".age.tmp"), "{err}");
    assert!(!dir.join(format!("coffre-{vault_id}-{stamp}.age")).exists(), "no backup through the link");
}
