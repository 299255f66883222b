//! Every step of a recovery, a rekey, a backup and a restore is in the audit log, in order, and the chain verifies.

use std::{sync::Arc, time::SystemTime};

use coffre_crypto::{
    age_file::{self, AgeIdentity, Unlock},
    kdf::KdfParams,
    secret::Passphrase,
    totp::TotpSeed,
};

use super::{HolderKey, HolderSpec, IssuedShares, ShareSetSpec};
use crate::{
    InitParams, Outcome, RequestContext, SessionToken, Vault, VaultConfig, audit, backup,
    clock::{Clock as _, ManualClock, unix_seconds},
};

const PASS: &[u8] = b"correct horse battery staple";

fn ctx(token: Option<&str>) -> RequestContext {
    RequestContext { token: token.map(|t| SessionToken::new(t.into())), ..RequestContext::default() }
}

fn open(dir: &std::path::Path, clock: Arc<ManualClock>) -> Vault {
    let mut config = VaultConfig::new(dir.to_path_buf());
    config.default_kdf = KdfParams { memory_kib: 8_192, iterations: 1, parallelism: 1 };
    Vault::open(config, clock).expect("open")
}

fn holder() -> (AgeIdentity, String) {
    let (text, recipient) = age_file::generate_identity("test");
    (AgeIdentity::parse(text.expose_secret()).expect("parses"), recipient.to_string())
}

fn spec(recipients: &[&str]) -> ShareSetSpec {
    let holders = recipients
        .iter()
        .enumerate()
        .map(|(i, r)| HolderSpec { label: format!("holder {i}"), key: HolderKey::Age(r.to_string()) })
        .collect();
    ShareSetSpec { threshold: 2, holders }
}

fn share(issued: &IssuedShares, i: usize, identity: &AgeIdentity) -> coffre_crypto::secret::SecretBytes {
    age_file::decrypt(Unlock::Identity(identity), issued.shares[i].file.as_bytes(), 4096).expect("decrypts")
}

fn actions(vault: &Vault) -> Vec<(String, Outcome)> {
    let open = vault.inner.unsealed().expect("unsealed");
    audit::read_all(&vault.inner.audit, &open.audit_keys)
        .expect("the chain verifies")
        .into_iter()
        .map(|e| (e.action, e.outcome))
        .collect()
}

/// A vault in `dir` that Alice initialised (passphrase [`PASS`]) with a share set of two of two holders.
struct Initialised {
    vault: Vault,
    /// Each holder's identity and age recipient.
    holders: [(AgeIdentity, String); 2],
    issued: IssuedShares,
    /// Alice's authenticator.
    seed: TotpSeed,
}

async fn initialised(dir: &std::path::Path, clock: Arc<ManualClock>) -> Initialised {
    let holders = [holder(), holder()];
    let vault = open(dir, clock);
    let params = InitParams {
        president: "Alice".into(),
        passphrase: Passphrase::new(PASS.to_vec()).expect("valid"),
        leader: None,
        kdf: None,
    };
    let recipients = spec(&[&holders[0].1, &holders[1].1]);
    let (outcome, issued) = vault.init_with_recovery(&ctx(None), params, Some(recipients)).await.expect("init");
    let seed = TotpSeed::from_otpauth_uri(outcome.president_totp_uri.expose_secret()).expect("an otpauth URI");
    Initialised { vault, holders, issued: issued.expect("issued"), seed }
}

#[tokio::test]
async fn every_recovery_and_backup_step_is_audited_and_the_chain_continues_after_a_restore() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_900_000_000)));
    let dir = tmp.path().join("data");
    let Initialised { vault, holders: [(a, ra), (b, rb)], issued, seed } = initialised(&dir, clock.clone()).await;
    let code = seed.code_at(unix_seconds(clock.now()));
    let login =
        vault.login(&ctx(None), "Alice", Passphrase::new(PASS.to_vec()).expect("valid"), &code).await.expect("in");
    let alice = ctx(Some(login.token.expose_secret()));
    let rekeyed = vault.rekey(&alice, spec(&[&ra, &rb])).await.expect("rekey");
    let file = vault.create_backup(&alice).await.expect("backup").file;
    drop(vault);

    // The old share set's share is refused, and the refusal audited (held while sealed); two new ones recover.
    let vault = open(&dir, clock.clone());
    assert!(vault.submit_share(&ctx(None), share(&issued, 0, &a)).await.is_err());
    vault.submit_share(&ctx(None), share(&rekeyed, 0, &a)).await.expect("first");
    clock.advance(super::PARTIAL_TTL);
    assert_eq!(vault.recovery_status().submitted, 0, "expired");
    vault.submit_share(&ctx(None), share(&rekeyed, 0, &a)).await.expect("first again");
    let done = vault.submit_share(&ctx(None), share(&rekeyed, 1, &b)).await.expect("second");
    let token = done.completion.expect("complete").token;
    let new = Passphrase::new(b"the new passphrase of Alice".to_vec()).expect("valid");
    vault.finish_recovery(&ctx(None), token.expose_secret(), Some("alice"), new).await.expect("finish");
    let expected = [
        ("init", Outcome::Success),
        ("shares.issue", Outcome::Success),
        ("login", Outcome::Success),
        ("rekey", Outcome::Success),
        ("backup", Outcome::Success),
        ("recovery.share", Outcome::Failure),
        ("recovery.share", Outcome::Success),
        ("recovery.expire", Outcome::Failure),
        ("recovery.share", Outcome::Success),
        ("recovery.share", Outcome::Success),
        ("recovery.complete", Outcome::Success),
        ("recovery.passphrase", Outcome::Success),
    ];
    let expected: Vec<(String, Outcome)> = expected.iter().map(|(a, o)| (a.to_string(), *o)).collect();
    assert_eq!(actions(&vault), expected);

    // Restored elsewhere, the log holds everything up to the backup, then the restore, then what follows.
    let target = tmp.path().join("restored");
    backup::restore(&file, &b, &target, clock.clone()).expect("restore");
    let restored = open(&target, clock);
    restored.unseal(&ctx(None), Passphrase::new(PASS.to_vec()).expect("valid")).await.expect("unseal");
    let got = actions(&restored);
    let tail: Vec<&str> = got.iter().skip(4).map(|(a, _)| a.as_str()).collect();
    assert_eq!(tail, ["backup", "restore", "unseal"]);
}

#[tokio::test]
async fn recovery_refuses_to_open_a_vault_whose_audit_chain_is_broken() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_900_000_000)));
    let dir = tmp.path().join("data");
    let Initialised { vault, holders: [(a, _), (b, _)], issued, .. } = initialised(&dir, clock.clone()).await;
    let last = vault.inner.audit.written();
    drop(vault);
    // Someone with the disk but not the key changes the last event (keeping its frame's CRC right).
    audit::segment::rewrite(&dir.join("audit").join("00000000000000000001.log"), |frame| {
        if let (true, audit::segment::Body::Event(sealed)) = (frame.seq == last, &mut frame.body) {
            sealed[40] ^= 0x55;
        }
        true
    });
    let vault = open(&dir, clock);
    vault.submit_share(&ctx(None), share(&issued, 0, &a)).await.expect("first");
    let err = vault.submit_share(&ctx(None), share(&issued, 1, &b)).await.expect_err("the chain is broken");
    assert!(matches!(err, crate::Error::AuditChainBroken { seq, .. } if seq == last), "{err}");
    assert_eq!(vault.status().state, crate::SealState::Sealed);
}

/// An owner's passphrase reset by recovery ends the sessions opened with the old passphrase, in the store too: a
/// standby armed with the new passphrase that takes the vault over carries none of them back.
#[tokio::test]
async fn a_passphrase_reset_by_recovery_ends_the_old_passphrases_sessions_through_a_take_over_too() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_900_000_000)));
    let dir = tmp.path().join("data");
    let Initialised { vault, holders: [(a, _), (b, _)], issued, seed } = initialised(&dir, clock.clone()).await;
    let old = || Passphrase::new(PASS.to_vec()).expect("valid");
    drop(vault);

    // Recovered by two shares; before the new passphrase is set, someone with the old one logs in.
    let vault = open(&dir, clock.clone());
    vault.submit_share(&ctx(None), share(&issued, 0, &a)).await.expect("first");
    let done = vault.submit_share(&ctx(None), share(&issued, 1, &b)).await.expect("second");
    let token = done.completion.expect("complete").token;
    let code = seed.code_at(unix_seconds(clock.now()));
    let login = vault.login(&ctx(None), "Alice", old(), &code).await.expect("the old passphrase, still");
    let stolen = ctx(Some(login.token.expose_secret()));
    let new = || Passphrase::new(b"the new passphrase of Alice".to_vec()).expect("valid");
    vault.finish_recovery(&ctx(None), token.expose_secret(), Some("alice"), new()).await.expect("finish");
    let ended = vault.whoami(&stolen).expect_err("the old passphrase's session ended");
    assert_eq!(ended.kind(), crate::ErrorKind::Unauthenticated, "{ended}");

    // A standby armed with the new passphrase takes the vault over: the session does not come back.
    drop(vault);
    let vault = open(&dir, clock.clone());
    assert_eq!(vault.unseal_armed(&ctx(None), new()).await.expect("armed"), crate::ArmedUnseal::Unsealed);
    let ended = vault.whoami(&stolen).expect_err("not carried over");
    assert_eq!(ended.kind(), crate::ErrorKind::Unauthenticated, "{ended}");
}

/// A backup whose audit log was cut inside its last event (by hand: decrypted by a holder, cut, encrypted again
/// with a recomputed digest) restored "fine": the first open took the cut for a torn write, moved it aside, and the
/// vault came back with fewer events than the backup says it holds. A restore now refuses a log that does not
/// reach the backup's own event, and changes nothing.
#[tokio::test]
async fn a_restore_refuses_a_backup_whose_audit_log_falls_short_of_its_own_event() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_900_000_000)));
    let Initialised { vault, holders: [(a, ra), _], seed, .. } =
        initialised(&tmp.path().join("data"), clock.clone()).await;
    let code = seed.code_at(unix_seconds(clock.now()));
    let login =
        vault.login(&ctx(None), "Alice", Passphrase::new(PASS.to_vec()).expect("valid"), &code).await.expect("in");
    let file = vault.create_backup(&ctx(Some(login.token.expose_secret()))).await.expect("backup").file;
    drop(vault);

    let plain = age_file::decrypt(Unlock::Identity(&a), &file, 1 << 30).expect("decrypts");
    let mut body = backup::container::decode(plain.expose_secret()).expect("a whole container");
    let last = body.audit_segments.last_mut().expect("a segment");
    // Cut inside the second-last frame (the backup's own event; its signed head is the last): the longest prefix
    // that holds every frame but those two whole.
    let whole = audit::segment::decode_frames(&last.1).0.len();
    let cut = (0..last.1.len())
        .rev()
        .find(|&cut| audit::segment::decode_frames(&last.1[..cut]).0.len() == whole - 2)
        .expect("a cut inside the event");
    last.1.truncate(cut);
    let cut_file = age_file::encrypt_to_keys(
        &[age_file::AgeRecipient::parse(&ra).expect("a recipient")],
        &backup::container::encode(&body).expect("encodes"),
    )
    .expect("encrypts");

    let target = tmp.path().join("restored");
    let err = backup::restore(&cut_file, &a, &target, clock).expect_err("a log cut short is refused");
    assert!(matches!(err, backup::RestoreError::Damaged(backup::Damage::LogShort { .. })), "{err}");
    assert!(!target.exists(), "nothing was written");
}
