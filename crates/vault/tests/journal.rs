//! The audit log is the durable record of every change, and the store a copy of it checked at every unseal: a store
//! that lost its last writes (a power cut on a disk that lied about its flushes) gets them back from the log; a
//! store damaged, rolled back record by record, or ahead of its log is refused, naming it; and a store can be
//! rebuilt from the log alone into a new directory, without touching the original.

use std::{path::Path, time::Duration};

use coffre_store::{Batch, SledStore, Store};
use coffre_vault::{
    AuditFilter, EntryUpdate, ErrorKind, GrantUntil, NewGrant, PersonState, RevealParams, Role, Scope, SealState,
    SecretField, Vault, clock::Clock,
};

mod support;

use support::*;

const DAVE_PASS: &[u8] = b"dave's own long passphrase";

/// Puts `dir` back to the copy `earlier` made of it.
fn put_back(dir: &Path, earlier: &Path) {
    std::fs::remove_dir_all(dir).expect("remove");
    copy_dir(earlier, dir);
}

fn reveal(platform: &str) -> RevealParams {
    RevealParams { platform: platform.into(), field: SecretField::Password, reason: "a post".into(), version: None }
}

async fn unsealed(fx: &Fixture) -> Vault {
    let vault = fx.open();
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal");
    vault
}

/// A vault with one entry; returns nothing (the vault is closed on return).
async fn first_day(fx: &Fixture) {
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    vault.create_entry(&alice, entry("Facebook"), secrets(b"facebook-1")).await.expect("create");
}

/// Every kind of change after the first day: an entry, a new version, a person, a grant, a reveal (its mark) and
/// an offboarding, each acknowledged.
async fn second_day(fx: &Fixture) {
    let vault = unsealed(fx).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    vault.create_entry(&alice, entry("Instagram"), secrets(b"instagram-1")).await.expect("create");
    let update = EntryUpdate {
        platform: "Facebook".into(),
        password: Some(coffre_crypto::secret::SecretBytes::new(b"facebook-2".to_vec())),
        ..EntryUpdate::default()
    };
    vault.update_entry(&alice, update).await.expect("new version");
    let dave = fx.person(&vault, &alice, "Dave", Role::Member, DAVE_PASS).await;
    let grant = NewGrant {
        person: "Dave".into(),
        scope: Scope::Entry("Facebook".into()),
        until: GrantUntil::For(Duration::from_secs(86_400)),
        task: "the campaign's posts".into(),
    };
    vault.add_grant(&alice, grant).await.expect("grant");
    vault.reveal(&dave, reveal("Facebook")).await.expect("Dave reveals");
    let offboarded = vault.offboard_person(&alice, "Dave").await.expect("offboard");
    assert_eq!(offboarded.rotation_due, vec!["Facebook".to_string()]);
}

/// Everything [`second_day`] acknowledged is there.
async fn second_day_is_whole(fx: &Fixture, vault: &Vault) {
    let alice = fx.login(vault, "Alice", PRESIDENT_PASS).await;
    let facebook = vault.reveal(&alice, reveal("Facebook")).await.expect("reveal");
    assert_eq!(facebook.secret.expose_secret(), b"facebook-2", "the new version is there");
    assert_eq!(facebook.version, 2);
    let names: Vec<String> = vault.list_entries(&alice, false).expect("list").into_iter().map(|e| e.platform).collect();
    assert_eq!(names, vec!["Facebook".to_string(), "Instagram".to_string()]);
    let dave = vault.list_people(&alice).expect("people").into_iter().find(|p| p.name == "Dave").expect("Dave");
    assert_eq!(dave.state, PersonState::Offboarded, "the offboarding is there");
    let code = fx.code("Dave");
    let login = vault.login(&anonymous(), "Dave", passphrase(DAVE_PASS), &code).await;
    assert!(login.is_err(), "an offboarded member cannot log in again");
    let report = vault.rotation_due(&alice).expect("rotation due");
    assert!(format!("{report:?}").contains("Facebook"), "Facebook is still due for rotation: {report:?}");
}

#[tokio::test]
async fn a_store_that_lost_its_last_writes_gets_them_back_from_the_log_at_unseal() {
    let fx = Fixture::new();
    first_day(&fx).await;
    let earlier = fx.keep_store();
    second_day(&fx).await;
    // What a disk that acknowledged writes it never made leaves: the store as it was, the log (fdatasynced) whole.
    fx.put_store_back(&earlier);
    let vault = unsealed(&fx).await;
    second_day_is_whole(&fx, &vault).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let filter = AuditFilter { action: Some("unseal".into()), ..AuditFilter::default() };
    let unseals = vault.list_audit(&alice, filter).await.expect("audit").events;
    let last = unseals.last().expect("an unseal event");
    assert!(last.detail.starts_with("store_replayed="), "the unseal says what was replayed: {}", last.detail);
    drop(vault);
    // And the next unseal finds nothing to replay.
    let vault = unsealed(&fx).await;
    second_day_is_whole(&fx, &vault).await;
}

/// The store's record of how far it has read the log (`!read-to`), as stored.
fn read_to(fx: &Fixture) -> Vec<u8> {
    let store = fx.raw_store();
    store.get(b"!read-to").expect("read").expect("a checkpoint records how far the store has read the log")
}

fn set_read_to(fx: &Fixture, bytes: Vec<u8>) {
    let store = fx.raw_store();
    let mut batch = Batch::default();
    batch.insert(b"!read-to".to_vec(), bytes);
    store.apply(batch).expect("write");
}

/// The store put back to its copy from after the first day, once the second day is done; returns the record of
/// how far the store had read the log at the end of the second day.
async fn store_put_back_after_the_second_day(fx: &Fixture) -> Vec<u8> {
    first_day(fx).await;
    let earlier = fx.keep_store();
    second_day(fx).await;
    let later = read_to(fx);
    fx.put_store_back(&earlier);
    later
}

#[tokio::test]
async fn a_store_put_back_to_an_earlier_copy_cannot_claim_to_have_read_the_log_further_than_it_did() {
    let fx = Fixture::new();
    let later = store_put_back_after_the_second_day(&fx).await;
    // The earlier store, its record saying it has read the log up to the end of the second day: were it believed,
    // the unseal would replay nothing and the second day would be silently gone.
    let mut forged = read_to(&fx);
    forged[1..9].copy_from_slice(&later[1..9]);
    set_read_to(&fx, forged);
    refused_as_a_damaged_store(&fx, "how far it has read the audit log").await;
}

#[tokio::test]
async fn a_store_put_back_to_an_earlier_copy_with_a_later_record_of_its_reading_gets_every_change_back() {
    let fx = Fixture::new();
    let later = store_put_back_after_the_second_day(&fx).await;
    // Authentic, but written with another marker than the one the store holds: it says nothing of this store, and
    // the log is read from the marker on.
    set_read_to(&fx, later);
    let vault = unsealed(&fx).await;
    second_day_is_whole(&fx, &vault).await;
}

async fn refused_as_a_damaged_store(fx: &Fixture, says: &str) {
    let vault = fx.open();
    let err = vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect_err("a damaged store is refused");
    assert_eq!(err.kind(), ErrorKind::FailedPrecondition, "{err}");
    assert_eq!(err.code(), "store-damaged", "{err}");
    let text = err.to_string();
    assert!(text.contains(&fx.store_name()), "names the store: {text}");
    assert!(text.contains(says), "says {says:?}: {text}");
    assert!(text.contains("rebuild-store"), "says what to do: {text}");
    assert_eq!(vault.status().state, SealState::Sealed, "the vault stays sealed");
}

#[tokio::test]
async fn a_record_removed_from_the_store_behind_the_engine_is_refused_at_unseal() {
    let fx = Fixture::new();
    first_day(&fx).await;
    second_day(&fx).await;
    {
        let store = fx.raw_store();
        let grant = store.scan_prefix(b"g/").next().expect("a grant").expect("read").0;
        let mut batch = Batch::default();
        batch.remove(grant);
        store.apply(batch).expect("remove");
    }
    refused_as_a_damaged_store(&fx, "do not match").await;
}

#[tokio::test]
async fn a_record_put_back_to_an_older_value_is_refused_at_unseal() {
    let fx = Fixture::new();
    first_day(&fx).await;
    let (key, older) = fx.raw_store().scan_prefix(b"e/").next().expect("an entry").expect("read");
    second_day(&fx).await;
    {
        // Facebook's record as it was before its second version: sealed by the vault, so it opens, but old.
        let store = fx.raw_store();
        let mut batch = Batch::default();
        batch.insert(key, older);
        store.apply(batch).expect("roll back");
    }
    refused_as_a_damaged_store(&fx, "do not match").await;
}

#[tokio::test]
async fn a_store_ahead_of_its_log_is_refused_at_unseal() {
    let fx = Fixture::new();
    first_day(&fx).await;
    let data = fx.data_dir();
    let earlier_log = fx.dir.path().join("audit-earlier");
    copy_dir(&data.join("audit"), &earlier_log);
    let earlier_witness = std::fs::read(data.join("audit-head")).expect("the head witness");
    second_day(&fx).await;
    // The log and its witness as they were, consistent with each other; the store has changes they lack.
    put_back(&data.join("audit"), &earlier_log);
    std::fs::write(data.join("audit-head"), earlier_witness).expect("witness");
    if Fixture::on_postgres() {
        // The database holds a copy of every group commit: the log gets its end back from it, and the store is
        // no longer ahead of it (a store ahead of both is the case below).
        let vault = unsealed(&fx).await;
        second_day_is_whole(&fx, &vault).await;
        return;
    }
    refused_as_a_damaged_store(&fx, "ahead of the audit log").await;
}

/// A vault after [`first_day`] and [`second_day`], on PostgreSQL: the copy of the log is PostgreSQL's. Without
/// `COFFRE_TEST_BACKEND=postgres` the test says so and passes (CI runs this file on PostgreSQL too).
async fn two_days_on_postgres() -> Option<Fixture> {
    if !Fixture::on_postgres() {
        eprintln!("the copy of the log is PostgreSQL's (COFFRE_TEST_BACKEND=postgres): skipped");
        return None;
    }
    let fx = Fixture::new();
    first_day(&fx).await;
    second_day(&fx).await;
    Some(fx)
}

/// The log's segments in `dir`, one after the other.
fn segments(dir: &Path) -> Vec<u8> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("the audit directory")
        .map(|item| item.expect("an item").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "log"))
        .collect();
    names.sort();
    names.iter().flat_map(|path| std::fs::read(path).expect("a segment")).collect()
}

/// The export of the whole log verifies with the vault's public key, and holds `at_least` events.
async fn whole_log_verifies(vault: &Vault, alice: &coffre_vault::RequestContext, at_least: u64) {
    let export = vault.export_audit(alice).await.expect("export");
    let text: String = export.lines().expect("lines").collect::<Result<_, _>>().expect("every line");
    let key = coffre_audit::AuditPublicKey::parse(&vault.status().audit_public_key.expect("key")).expect("key");
    let summary = coffre_audit::verify::verify(text.as_bytes(), &key).expect("the export verifies");
    assert!(summary.events >= at_least, "{} events, at least {at_least}", summary.events);
}

#[tokio::test]
async fn a_lost_data_directory_gets_its_log_back_from_the_databases_copy_and_nothing_acknowledged_is_missing() {
    let Some(fx) = two_days_on_postgres().await else { return };
    let data = fx.data_dir();
    let before = segments(&data.join("audit"));
    let events = {
        let vault = fx.open();
        vault.status().audit_events
    };
    // The machine's disk is lost: a new, empty data directory (no log, no witness, no copy of the seal header).
    // The records and the copy of the log are in the database.
    std::fs::remove_dir_all(&data).expect("remove the data directory");
    let vault = fx.open();
    assert_eq!(vault.status().audit_events, events, "every event is back, counted sealed");
    assert!(segments(&data.join("audit")) == before, "the log is written back byte for byte");
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal");
    second_day_is_whole(&fx, &vault).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    whole_log_verifies(&vault, &alice, events).await;
}

#[tokio::test]
async fn a_log_that_forked_from_the_databases_copy_is_refused_at_start_and_neither_is_touched() {
    let Some(fx) = two_days_on_postgres().await else { return };
    // Another vault's log put in this one's data directory (a restore into the wrong place, a copy from another
    // machine): both start at event 1, and their group commits differ.
    let other = Fixture::new();
    first_day(&other).await;
    let data = fx.data_dir();
    put_back(&data.join("audit"), &other.data_dir().join("audit"));
    std::fs::copy(other.data_dir().join("audit-head"), data.join("audit-head")).expect("witness");
    let planted = segments(&data.join("audit"));
    let copy = {
        let store = fx.raw_store();
        (store.log_last().expect("the copy's end"), store.log_after(0, usize::MAX).expect("the copy"))
    };
    let mut config = coffre_vault::VaultConfig::new(data.clone());
    config.store = fx.store_for(&data);
    let err = Vault::open(config, std::sync::Arc::new(coffre_vault::clock::SystemClock)).expect_err("refused");
    let text = err.to_string();
    assert!(text.contains("forked"), "says the two have forked: {text}");
    assert!(text.contains(&fx.store_name()), "names the database's schema: {text}");
    assert!(segments(&data.join("audit")) == planted, "the log is untouched");
    let store = fx.raw_store();
    assert_eq!(store.log_last().expect("the copy's end"), copy.0, "the copy is untouched");
    assert!(store.log_after(0, usize::MAX).expect("the copy") == copy.1, "the copy is untouched");
}

#[tokio::test]
async fn a_store_from_another_vault_is_refused_at_unseal() {
    let fx = Fixture::new();
    first_day(&fx).await;
    let other = Fixture::new();
    first_day(&other).await;
    fx.put_store_back(&other.keep_store());
    // Its seal header is the other vault's: Alice's passphrase opens it, the log does not describe it.
    let vault = fx.open();
    let err = vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::FailedPrecondition, "{err}");
    assert_eq!(vault.status().state, SealState::Sealed);
}

#[tokio::test]
async fn the_store_rebuilt_from_the_log_alone_opens_whole_and_the_original_is_untouched() {
    let fx = Fixture::new();
    first_day(&fx).await;
    second_day(&fx).await;
    let data = fx.data_dir();
    let before = snapshot(&data);
    let target = fx.dir.path().join("rebuilt");
    let report = coffre_vault::rebuild_store(&data, &target, passphrase(PRESIDENT_PASS), fx.clock.clone())
        .await
        .expect("rebuild");
    assert_eq!(snapshot(&data), before, "the original data directory is not touched");
    assert!(report.changes >= 8, "{report:?}");
    let original = fx.raw_store();
    let rebuilt = Box::new(SledStore::open(&target.join("db")).expect("open"));
    // Every record, but the one a checkpoint writes about how far the store has read the log (a rebuilt store has
    // not been checkpointed by a running vault yet).
    let all = |s: &dyn Store| {
        s.scan_all().map(|p| p.expect("read")).filter(|(key, _)| key.as_slice() != b"!read-to").collect::<Vec<_>>()
    };
    assert_eq!(all(&*rebuilt), all(&*original), "the rebuilt store holds exactly the original's records");
    assert_eq!(report.records + 1, all(&*original).len() as u64, "every record but the applied marker");
    drop((original, rebuilt));
    let vault = fx.open_at(&target);
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("the rebuilt vault unseals");
    second_day_is_whole(&fx, &vault).await;
    drop(vault);

    let again = coffre_vault::rebuild_store(&data, &target, passphrase(PRESIDENT_PASS), fx.clock.clone()).await;
    assert!(again.is_err(), "never into a directory that exists");
    let wrong =
        coffre_vault::rebuild_store(&data, &fx.dir.path().join("r2"), passphrase(b"not the passphrase at all"), {
            let clock: std::sync::Arc<dyn Clock> = fx.clock.clone();
            clock
        })
        .await
        .expect_err("a wrong passphrase opens nothing");
    assert_eq!(wrong.kind(), ErrorKind::Unauthenticated, "{wrong}");
    assert!(!fx.dir.path().join("r2").exists(), "nothing is created for a wrong passphrase");
}

/// Every file of a directory tree with its bytes.
fn snapshot(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for item in std::fs::read_dir(&d).expect("read dir") {
            let path = item.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn a_damaged_log_is_salvaged_into_a_new_directory_up_to_its_last_good_event() {
    let fx = Fixture::new();
    first_day(&fx).await;
    let data = fx.data_dir();
    let segment = data.join("audit").join("00000000000000000001.log");
    let good_len = std::fs::metadata(&segment).expect("segment").len() as usize;
    second_day(&fx).await;
    // One flipped byte in the first frame written after the first day, with acknowledged frames after it.
    let mut bytes = std::fs::read(&segment).expect("read");
    bytes[good_len + 20] ^= 0x40;
    std::fs::write(&segment, &bytes).expect("write");
    let mut config = coffre_vault::VaultConfig::new(data.clone());
    config.store = fx.store_for(&data);
    let err = coffre_vault::Vault::open(config, fx.clock.clone()).expect_err("a damaged log does not open");
    assert!(err.to_string().contains("audit log is damaged"), "{err}");
    let before = snapshot(&data);

    let target = fx.dir.path().join("salvaged");
    let report =
        coffre_vault::salvage(&data, &target, passphrase(PRESIDENT_PASS), fx.clock.clone()).await.expect("salvage");
    assert_eq!(snapshot(&data), before, "the original data directory is not touched");
    assert!(report.last_good_event >= 3, "{report:?}");
    let kept_aside = std::fs::read(target.join("audit").join("00000000000000000001.log.salvaged-rest")).expect("rest");
    assert_eq!(kept_aside.len() as u64, report.bytes_kept_aside);
    assert_eq!(kept_aside, bytes[bytes.len() - kept_aside.len()..], "everything from the damage on, byte for byte");
    // The salvaged vault opens with the first day whole, and goes on.
    let vault = fx.open_at(&target);
    assert_eq!(vault.status().audit_events, report.last_good_event, "the log ends at its last good event");
    vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("the salvaged vault unseals");
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    let facebook = vault.reveal(&alice, reveal("Facebook")).await.expect("reveal");
    assert_eq!(facebook.secret.expose_secret(), b"facebook-1", "as it was before the damage");
    vault.create_entry(&alice, entry("Mailgun"), secrets(b"mailgun-1")).await.expect("and it goes on");
}
