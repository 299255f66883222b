//! The engine and its store: the store's read done ahead of an unseal (`store_check.rs`) is used when the store is
//! as it was read, read again when anything was written since, and never the reason a damaged store opens; a store
//! out of reach for a moment (a database failing over) hides nothing afterwards.

use coffre_crypto::secret::Passphrase;
use coffre_store::Batch;

use crate::{
    Error,
    tests::{Setup, add_entry, ctx, pass, reveal},
};

#[tokio::test]
async fn an_unseal_uses_the_store_read_done_while_sealed_at_open_and_after_a_seal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::new(dir.path()).await;
    let vault = &setup.vault;
    vault.seal(&setup.alice).await.expect("seal");
    vault.inner.store_check.wait();
    vault.unseal(&ctx(None), pass()).await.expect("unseal");
    assert_eq!(vault.inner.store_check.used(), 1, "the unseal after a seal used the read done meanwhile");
    let alice = setup.login_again().await;
    vault.reveal(&alice, reveal()).await.expect("the vault serves after it");

    let config = vault.inner.config.clone();
    drop(setup);
    let clock = std::sync::Arc::new(crate::clock::ManualClock::new(std::time::SystemTime::now()));
    let vault = crate::Vault::open(config, clock).expect("open again");
    vault.inner.store_check.wait();
    vault.unseal(&ctx(None), pass()).await.expect("unseal");
    assert_eq!(vault.inner.store_check.used(), 1, "the unseal after a start used the read done meanwhile");
}

#[tokio::test]
async fn a_store_written_after_its_read_ahead_is_read_again_and_its_damage_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::new(dir.path()).await;
    let vault = &setup.vault;
    vault.seal(&setup.alice).await.expect("seal");
    // The read of the store as it was is done; then a record appears behind the engine's back.
    vault.inner.store_check.wait();
    let mut batch = Batch::default();
    batch.insert(b"e/not-written-by-the-engine".to_vec(), b"forged".to_vec());
    vault.inner.store.apply(batch).expect("write");

    let refused = vault.unseal(&ctx(None), pass()).await.expect_err("a store that changed is read again");
    assert!(matches!(refused, Error::StoreDamaged { .. }), "{refused:?}");
    assert_eq!(vault.inner.store_check.used(), 0, "the read done before the write was not used");
}

#[tokio::test]
async fn an_entry_whose_refresh_failed_while_the_store_was_out_of_reach_is_listed_once_it_is_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::new(dir.path()).await;
    let (vault, alice) = (&setup.vault, &setup.alice);
    let names = |vault: &crate::Vault| -> Result<Vec<String>, Error> {
        let page = vault.list_entries_page(alice, false, None, 0)?;
        Ok(page.entries.into_iter().map(|e| e.platform).collect())
    };
    assert_eq!(names(vault).expect("list"), ["Mailgun"]);
    add_entry(vault, alice, "GoDaddy", b"gd-secret").await;
    // The new entry is read into the cache at the next call, and the store does not answer it.
    setup.faults.store_read_failures.store(1, std::sync::atomic::Ordering::Release);
    let refused = names(vault).expect_err("the store is out of reach");
    assert!(matches!(refused, Error::StoreUnavailable(_)), "{refused:?}");
    assert_eq!(names(vault).expect("list"), ["GoDaddy", "Mailgun"], "the entry is there once the store is back");
}

#[tokio::test]
async fn a_change_whose_store_write_finds_the_database_gone_for_a_moment_is_applied_once_it_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::new(dir.path()).await;
    let (vault, alice) = (&setup.vault, &setup.alice);
    // The log takes the change; the store is out of reach for the next three writes (a database failing over).
    setup.faults.store_unreachable_writes.store(3, std::sync::atomic::Ordering::Release);
    add_entry(vault, alice, "Nextcloud", b"nc-secret").await;
    assert_eq!(setup.faults.store_unreachable_writes.load(std::sync::atomic::Ordering::Acquire), 0);
    assert_eq!(vault.status().state, crate::SealState::Unsealed, "no owner is needed: the store caught up");
    let page = vault.list_entries_page(alice, false, None, 0).expect("list");
    let names: Vec<String> = page.entries.into_iter().map(|e| e.platform).collect();
    assert_eq!(names, ["Mailgun", "Nextcloud"]);
    let revealed = vault.reveal(alice, crate::RevealParams { platform: "Nextcloud".into(), ..reveal() }).await;
    assert_eq!(revealed.expect("reveal").secret.expose_secret(), b"nc-secret");
}

#[tokio::test]
async fn a_change_whose_store_stays_out_of_reach_longer_than_the_retry_is_given_again_until_taken_with_no_owner() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::with_store_retry(dir.path(), std::time::Duration::ZERO).await;
    let (vault, alice) = (&setup.vault, &setup.alice);
    let unreachable = &setup.faults.store_unreachable_writes;
    // The database is down for the change's write, and stays down.
    unreachable.store(u64::MAX, std::sync::atomic::Ordering::Release);
    let (entry, secrets) = crate::tests::software_entry("Nextcloud", b"nc-secret");
    let behind = vault.create_entry(alice, entry, secrets).await.expect_err("the store stayed away");
    assert_eq!(behind.code(), "store-behind", "{behind}");
    assert!(behind.to_string().contains("Do not make the change again"), "{behind}");
    assert_eq!(vault.status().state, crate::SealState::Unsealed, "no owner is needed for a database that comes back");
    assert!(vault.status().store_catching_up, "the status says why nothing is served");

    // Until the store has the change, nothing is read from it as if it were current: no reveal, no login.
    let refused = vault.reveal(alice, reveal()).await.expect_err("the store is behind its log");
    assert_eq!(refused.code(), "store-catching-up", "{refused}");
    let code = "000000";
    let login = vault.login(&ctx(None), "Alice", pass(), code).await.expect_err("the store is behind its log");
    assert_eq!(login.code(), "store-catching-up", "{login}");
    // A change that got past that check just before the store fell behind is refused by the writer, unwritten.
    let mut batch = Batch::default();
    batch.insert(b"e/raced-past-the-check".to_vec(), b"sealed bytes".to_vec());
    let event = vault.inner.event(&ctx(None), "Alice", "entry.create", "Raced", crate::Outcome::Success);
    let raced = vault.inner.commit(event, batch).await.expect_err("the store is behind its log");
    assert_eq!(raced.code(), "store-catching-up", "{raced}");
    // The writer's next attempt (forced here rather than waited for) still finds the database down.
    vault.inner.audit.checkpoint().await;
    let refused = vault.list_entries_page(alice, false, None, 0).expect_err("still behind");
    assert_eq!(refused.code(), "store-catching-up", "{refused}");
    // The database answers again; the writer's next attempt (its own, each second, or this one) gives it the change.
    unreachable.store(0, std::sync::atomic::Ordering::Release);
    vault.inner.audit.checkpoint().await;

    // The database took it: the vault serves, with the change, and no owner unsealed it. The sessions the change
    // did not end go on (an offboarding's are ended at once: see below).
    assert!(!vault.status().store_catching_up);
    let page = vault.list_entries_page(alice, false, None, 0).expect("list");
    let names: Vec<String> = page.entries.into_iter().map(|e| e.platform).collect();
    assert_eq!(names, ["Mailgun", "Nextcloud"]);
    let nextcloud = crate::RevealParams { platform: "Nextcloud".into(), ..reveal() };
    assert_eq!(vault.reveal(alice, nextcloud).await.expect("reveal").secret.expose_secret(), b"nc-secret");
    add_entry(vault, alice, "GoDaddy", b"gd-secret").await;

    // And the store is the log's, as the next unseal checks.
    vault.seal(alice).await.expect("seal");
    vault.unseal(&ctx(None), pass()).await.expect("the store matches its log");
}

#[tokio::test]
async fn a_store_behind_its_log_when_the_vault_is_sealed_gets_the_change_from_the_unseal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::with_store_retry(dir.path(), std::time::Duration::ZERO).await;
    let (vault, alice) = (&setup.vault, &setup.alice);
    setup.faults.store_unreachable_writes.store(u64::MAX, std::sync::atomic::Ordering::Release);
    let (entry, secrets) = crate::tests::software_entry("Nextcloud", b"nc-secret");
    let behind = vault.create_entry(alice, entry, secrets).await.expect_err("the store stayed away");
    assert_eq!(behind.code(), "store-behind", "{behind}");
    // Restarted while the database was down: the daemon opens sealed, and the unseal replays the change.
    let config = vault.inner.config.clone();
    drop(setup);
    let clock = std::sync::Arc::new(crate::clock::ManualClock::new(std::time::SystemTime::now()));
    let vault = crate::Vault::open(config, clock).expect("open again");
    vault.unseal(&ctx(None), pass()).await.expect("the unseal replays the change");
    assert!(!vault.inner.audit.store_behind());
}

/// An attacker's view of a database that goes away during an offboarding: the change is in the log but not in the
/// store, whose records still say the member may log in and reveal. Neither the member's session nor a new login
/// may use them, while the store catches up or after.
#[tokio::test]
async fn an_offboarding_the_database_missed_is_never_bypassed_while_it_catches_up_or_after() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::with_store_retry(dir.path(), std::time::Duration::ZERO).await;
    let (vault, alice) = (&setup.vault, &setup.alice);
    let dave_pass = || Passphrase::new(b"dave's own passphrase".to_vec()).expect("passphrase");
    let seed = setup.enrolled("Dave", crate::Role::Member, dave_pass()).await;
    let grant = crate::NewGrant {
        person: "Dave".into(),
        scope: crate::Scope::Entry("Mailgun".into()),
        until: crate::GrantUntil::For(std::time::Duration::from_secs(3600)),
        task: "newsletter".into(),
    };
    vault.add_grant(alice, grant).await.expect("grant");
    let code = crate::tests::next_code(&setup.clock, &seed);
    let login = vault.login(&ctx(None), "Dave", dave_pass(), &code).await.expect("login");
    let dave = ctx(Some(login.token.expose_secret()));
    vault.reveal(&dave, reveal()).await.expect("granted");

    setup.faults.store_unreachable_writes.store(u64::MAX, std::sync::atomic::Ordering::Release);
    let behind = vault.offboard_person(alice, "Dave").await.expect_err("the store stayed away");
    assert_eq!(behind.code(), "store-behind", "{behind}");
    let refused = vault.reveal(&dave, reveal()).await.expect_err("the store lacks the offboarding");
    assert_eq!(refused.code(), "store-catching-up", "{refused}");
    // His session ended with the offboarding the log holds, even for what still answers meanwhile.
    let ended = vault.whoami(&dave).expect_err("his session ended at once");
    assert!(matches!(ended, Error::NoSession), "{ended:?}");
    let ended = vault.seal(&dave).await.expect_err("his session ended at once");
    assert!(matches!(ended, Error::NoSession), "{ended:?}");
    assert_eq!(vault.whoami(alice).expect("the owner's session goes on").name, "Alice");
    let code = crate::tests::next_code(&setup.clock, &seed);
    let login = vault.login(&ctx(None), "Dave", dave_pass(), &code).await.expect_err("the store lacks it");
    assert_eq!(login.code(), "store-catching-up", "{login}");

    setup.faults.store_unreachable_writes.store(0, std::sync::atomic::Ordering::Release);
    vault.inner.audit.checkpoint().await;
    assert!(!vault.status().store_catching_up);
    let ended = vault.reveal(&dave, reveal()).await.expect_err("his session ended");
    assert!(matches!(ended, Error::NoSession), "{ended:?}");
    let code = crate::tests::next_code(&setup.clock, &seed);
    let login = vault.login(&ctx(None), "Dave", dave_pass(), &code).await.expect_err("he was offboarded");
    assert_eq!(login.kind(), crate::ErrorKind::Unauthenticated, "{login}");
    let alice = setup.login_again().await;
    let page = vault.list_people(&alice).expect("people");
    let dave = page.iter().find(|p| p.name == "Dave").expect("Dave is still listed");
    assert_eq!(dave.state, crate::PersonState::Offboarded, "the store took the offboarding: {dave:?}");
}

/// A [`Setup`] whose store is PostgreSQL, for the tests of the log's copy: with `COFFRE_TEST_BACKEND=postgres`, a
/// schema of its own on the server at `COFFRE_TEST_POSTGRES`, and a change not applied again to a store out of reach
/// (`retry_for` zero) unless `retry` says otherwise. Without one the test says so and passes (CI runs these on
/// PostgreSQL).
pub(crate) async fn on_postgres(dir: &std::path::Path, test: &str, retry: bool) -> Option<Setup> {
    if std::env::var("COFFRE_TEST_BACKEND").ok().as_deref() != Some("postgres") {
        eprintln!("{test}: needs COFFRE_TEST_BACKEND=postgres (the store's copy of the log is PostgreSQL's): skipped");
        return None;
    }
    let url = std::env::var("COFFRE_TEST_POSTGRES").expect("COFFRE_TEST_BACKEND=postgres needs COFFRE_TEST_POSTGRES");
    let id = crate::records::new_id().expect("an id");
    let schema = format!("u_{}", &crate::people::hex(&id)[..16]);
    let setup = Setup::configured(dir, |config| {
        config.store = crate::StoreBackend::Postgres(crate::PgOptions::new(url, schema));
        if !retry {
            config.store_retry_for = std::time::Duration::ZERO;
        }
    });
    Some(setup.await)
}

/// The log's segments in the data directory, one after the other.
fn local_log(vault: &crate::Vault) -> Vec<u8> {
    let dir = vault.inner.audit.dir();
    let segments = crate::audit::segment::list_segments(dir).expect("list");
    segments.iter().flat_map(|(_, path)| std::fs::read(path).expect("read")).collect()
}

/// The store's copy of the log, its group commits one after the other.
fn copied_log(vault: &crate::Vault) -> Vec<u8> {
    let copy = vault.inner.store.log_after(0, usize::MAX).expect("read the copy");
    for pair in copy.windows(2) {
        assert_eq!(pair[0].last_seq + 1, pair[1].first_seq, "the copy has no gap");
    }
    copy.into_iter().flat_map(|batch| batch.frames).collect()
}

fn assert_copy_is_the_log(vault: &crate::Vault) {
    assert_eq!(vault.inner.store.log_last().expect("the copy's end"), vault.inner.audit.written());
    assert!(copied_log(vault) == local_log(vault), "the copy holds the log's own bytes");
}

#[tokio::test]
async fn every_group_commit_is_in_the_databases_copy_of_the_log_once_answered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let test = "every_group_commit_is_in_the_databases_copy_of_the_log_once_answered";
    let Some(setup) = on_postgres(dir.path(), test, true).await else { return };
    let (vault, alice) = (&setup.vault, &setup.alice);
    assert!(vault.inner.store.keeps_log());
    vault.reveal(alice, reveal()).await.expect("reveal");
    add_entry(vault, alice, "GoDaddy", b"gd-secret").await;
    assert_copy_is_the_log(vault);
}

#[tokio::test]
async fn a_reveal_whose_event_the_database_did_not_take_is_refused_and_the_next_one_copies_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let test = "a_reveal_whose_event_the_database_did_not_take_is_refused_and_the_next_one_copies_both";
    let Some(setup) = on_postgres(dir.path(), test, false).await else { return };
    let (vault, alice) = (&setup.vault, &setup.alice);
    // The first reveal of an entry also writes its reveal mark (a change); the next ones are an event alone.
    vault.reveal(alice, reveal()).await.expect("reveal");
    // The reveal's event reaches the data directory's log, and the database does not take its copy: the secret
    // does not leave, since losing this machine would lose the only record of it.
    setup.faults.store_unreachable_writes.store(1, std::sync::atomic::Ordering::Release);
    let refused = vault.reveal(alice, reveal()).await.expect_err("the copy was not taken");
    assert_eq!(refused.code(), "store-unavailable", "{refused}");
    assert!(refused.to_string().contains("nothing was revealed"), "{refused}");
    assert!(vault.inner.store.log_last().expect("the copy's end") < vault.inner.audit.written());
    // Nothing else is held up: the records are the log's, and the next group commit brings the copy level first.
    assert!(!vault.status().store_catching_up);
    let revealed = vault.reveal(alice, reveal()).await.expect("the database answers again");
    assert_eq!(revealed.secret.expose_secret(), b"mg-secret");
    assert_copy_is_the_log(vault);
}

#[tokio::test]
async fn a_change_the_database_missed_is_copied_with_its_group_commit_once_it_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let test = "a_change_the_database_missed_is_copied_with_its_group_commit_once_it_answers";
    let Some(setup) = on_postgres(dir.path(), test, false).await else { return };
    let (vault, alice) = (&setup.vault, &setup.alice);
    let unreachable = &setup.faults.store_unreachable_writes;
    unreachable.store(u64::MAX, std::sync::atomic::Ordering::Release);
    let (entry, secrets) = crate::tests::software_entry("Nextcloud", b"nc-secret");
    let behind = vault.create_entry(alice, entry, secrets).await.expect_err("the store stayed away");
    assert_eq!(behind.code(), "store-behind", "{behind}");
    unreachable.store(0, std::sync::atomic::Ordering::Release);
    vault.inner.audit.checkpoint().await;
    assert!(!vault.status().store_catching_up);
    assert_copy_is_the_log(vault);
    let alice = setup.login_again().await;
    add_entry(vault, &alice, "GoDaddy", b"gd-secret").await;
    assert_copy_is_the_log(vault);
}

/// What the database holds now, kept aside for [`ROLL_BACK`] (statements for [`behind_the_engines_back`]).
const SNAPSHOT: &str = "DROP TABLE IF EXISTS {schema}.old_records, {schema}.old_log; \
                        CREATE TABLE {schema}.old_records AS TABLE {schema}.records; \
                        CREATE TABLE {schema}.old_log AS TABLE {schema}.audit_log;";

/// The database back to its [`SNAPSHOT`], records and copy of the log together, in one transaction: what a database
/// that lost the transactions committed since looks like.
const ROLL_BACK: &str = "BEGIN; \
                         DELETE FROM {schema}.records; INSERT INTO {schema}.records SELECT * FROM {schema}.old_records; \
                         DELETE FROM {schema}.audit_log; INSERT INTO {schema}.audit_log SELECT * FROM {schema}.old_log; \
                         COMMIT;";

/// Runs `statements` on the test's PostgreSQL server, behind the engine's back, with `{schema}` naming the vault's.
async fn behind_the_engines_back(vault: &crate::Vault, statements: &str) {
    let crate::StoreBackend::Postgres(options) = &vault.inner.config.store else { panic!("a vault on PostgreSQL") };
    let url = std::env::var("COFFRE_TEST_POSTGRES").expect("COFFRE_TEST_POSTGRES");
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connect");
    let connection = tokio::spawn(connection);
    let statements = statements.replace("{schema}", &format!("\"{}\"", options.schema));
    client.batch_execute(&statements).await.expect("statements");
    drop(client);
    let _ = connection.await;
}

/// A database that loses transactions it had committed (a standby that was behind, promoted; a backup restored
/// under a running coffred) loses records with its copy of the log. The next group commit finds that copy ending
/// before a change the database had taken: whether it is a reveal or a change, nothing is answered on that store,
/// and the vault seals itself; the owner's unseal gives the database back what it lost, from the log, and nothing
/// acknowledged is missing, the refused change included.
#[tokio::test]
async fn a_database_rolled_back_under_a_running_vault_is_refused_and_the_unseal_gives_back_what_it_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let test = "a_database_rolled_back_under_a_running_vault_is_refused_and_the_unseal_gives_back_what_it_lost";
    let Some(setup) = on_postgres(dir.path(), test, false).await else { return };
    let (vault, alice) = (&setup.vault, &setup.alice);
    vault.reveal(alice, reveal()).await.expect("reveal");
    let (snapshot, roll_back) = (SNAPSHOT, ROLL_BACK);
    let names = |vault: &crate::Vault, alice: &crate::RequestContext| {
        let page = vault.list_entries_page(alice, false, None, 0).expect("list");
        page.entries.into_iter().map(|e| e.platform).collect::<Vec<_>>()
    };

    // A change acknowledged, then lost by the database; the next group commit is a reveal.
    behind_the_engines_back(vault, snapshot).await;
    add_entry(vault, alice, "GoDaddy", b"gd-secret").await;
    behind_the_engines_back(vault, roll_back).await;
    let refused = vault.reveal(alice, reveal()).await.expect_err("the database lost a change it had taken");
    assert_eq!(refused.code(), "store-rolled-back", "{refused}");
    assert!(refused.to_string().contains("nothing was revealed"), "{refused}");
    assert_eq!(vault.status().state, crate::SealState::Sealed, "the vault sealed itself");
    vault.unseal(&ctx(None), pass()).await.expect("the unseal gives the database what it lost");
    let alice = setup.login_again().await;
    assert_eq!(names(vault, &alice), ["GoDaddy", "Mailgun"]);
    let godaddy = crate::RevealParams { platform: "GoDaddy".into(), ..reveal() };
    assert_eq!(vault.reveal(&alice, godaddy).await.expect("reveal").secret.expose_secret(), b"gd-secret");
    assert_copy_is_the_log(vault);

    // Again, and the next group commit is a change: refused the same way, and in the log, so the unseal applies it.
    behind_the_engines_back(vault, snapshot).await;
    add_entry(vault, &alice, "Nextcloud", b"nc-secret").await;
    behind_the_engines_back(vault, roll_back).await;
    let (entry, secrets) = crate::tests::software_entry("YouTube", b"yt-secret");
    let refused = vault.create_entry(&alice, entry, secrets).await.expect_err("the database lost a change");
    assert_eq!(refused.code(), "store-rolled-back", "{refused}");
    assert!(refused.to_string().contains("do not make it again"), "{refused}");
    assert_eq!(vault.status().state, crate::SealState::Sealed);
    vault.unseal(&ctx(None), pass()).await.expect("the unseal gives the database what it lost");
    let alice = setup.login_again().await;
    assert_eq!(names(vault, &alice), ["GoDaddy", "Mailgun", "Nextcloud", "YouTube"]);
    assert_copy_is_the_log(vault);

    // Lost after a restart and its unseal, before any change of this coffred's: the unseal's check knew what the
    // database held, and so does the writer from then on.
    behind_the_engines_back(vault, snapshot).await;
    add_entry(vault, &alice, "X", b"x-secret").await;
    let setup = setup.restarted().await;
    let vault = &setup.vault;
    behind_the_engines_back(vault, roll_back).await;
    // A login writes the person's record: the first change after the unseal.
    let refused = setup.try_login_again().await.expect_err("the database lost a change it had taken");
    assert_eq!(refused.code(), "store-rolled-back", "{refused}");
    vault.unseal(&ctx(None), pass()).await.expect("the unseal gives the database what it lost");
    let alice = setup.login_again().await;
    assert_eq!(names(vault, &alice), ["GoDaddy", "Mailgun", "Nextcloud", "X", "YouTube"]);
    assert_copy_is_the_log(vault);
}

/// A database that stays away past the retry while a change is missing, and comes back rolled back (the primary
/// lost, a standby that was behind promoted): the writer, giving it the missing change again, finds that it lost
/// changes it had taken. The next request seals the vault (`store-rolled-back`) instead of waiting for a change the
/// database can never take; the owner's unseal gives it everything it lacks, the missing change included.
#[tokio::test]
async fn a_database_that_comes_back_rolled_back_while_a_change_is_missing_seals_the_vault_at_the_next_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let test = "a_database_that_comes_back_rolled_back_while_a_change_is_missing_seals_the_vault_at_the_next_request";
    let Some(setup) = on_postgres(dir.path(), test, false).await else { return };
    let (vault, alice) = (&setup.vault, &setup.alice);
    behind_the_engines_back(vault, SNAPSHOT).await;
    add_entry(vault, alice, "GoDaddy", b"gd-secret").await;
    let unreachable = &setup.faults.store_unreachable_writes;
    unreachable.store(u64::MAX, std::sync::atomic::Ordering::Release);
    let (entry, secrets) = crate::tests::software_entry("Nextcloud", b"nc-secret");
    let behind = vault.create_entry(alice, entry, secrets).await.expect_err("the database stayed away");
    assert_eq!(behind.code(), "store-behind", "{behind}");
    behind_the_engines_back(vault, ROLL_BACK).await;
    unreachable.store(0, std::sync::atomic::Ordering::Release);
    // The writer's next attempt (forced here rather than waited for) finds what the database lost.
    vault.inner.audit.checkpoint().await;
    let refused = vault.list_entries_page(alice, false, None, 0).expect_err("nothing is served");
    assert_eq!(refused.code(), "store-rolled-back", "{refused}");
    assert_eq!(vault.status().state, crate::SealState::Sealed, "the vault sealed itself");

    vault.unseal(&ctx(None), pass()).await.expect("the unseal gives the database what it lost");
    assert!(!vault.status().store_catching_up);
    let alice = setup.login_again().await;
    let page = vault.list_entries_page(&alice, false, None, 0).expect("list");
    let names: Vec<String> = page.entries.into_iter().map(|e| e.platform).collect();
    assert_eq!(names, ["GoDaddy", "Mailgun", "Nextcloud"]);
    add_entry(vault, &alice, "YouTube", b"yt-secret").await;
    assert_copy_is_the_log(vault);
}

/// An attacker's view of a database that goes away while an owner is offboarded and while another changes her
/// passphrase: the key slots those changes remove are in the log, not in the store. Once the store has caught up
/// and the vault is sealed, neither the offboarded owner's passphrase nor the old one opens it again: the seal
/// header in memory is the log's, not the one from before the changes.
#[tokio::test]
async fn key_slots_removed_while_the_database_was_away_never_unseal_the_vault_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let setup = Setup::with_store_retry(dir.path(), std::time::Duration::ZERO).await;
    let (vault, alice) = (&setup.vault, &setup.alice);
    let bob_pass = || Passphrase::new(b"bob's own passphrase".to_vec()).expect("passphrase");
    setup.enrolled("Bob", crate::Role::Leader, bob_pass()).await;

    let unreachable = &setup.faults.store_unreachable_writes;
    unreachable.store(u64::MAX, std::sync::atomic::Ordering::Release);
    let behind = vault.offboard_person(alice, "Bob").await.expect_err("the store stayed away");
    assert_eq!(behind.code(), "store-behind", "{behind}");
    unreachable.store(0, std::sync::atomic::Ordering::Release);
    vault.inner.audit.checkpoint().await;
    assert!(!vault.status().store_catching_up);

    let new_pass = || Passphrase::new(b"alice's next passphrase".to_vec()).expect("passphrase");
    unreachable.store(u64::MAX, std::sync::atomic::Ordering::Release);
    let behind = vault.change_passphrase(alice, pass(), new_pass()).await.expect_err("the store stayed away");
    assert_eq!(behind.code(), "store-behind", "{behind}");
    unreachable.store(0, std::sync::atomic::Ordering::Release);
    vault.inner.audit.checkpoint().await;
    assert!(!vault.status().store_catching_up);

    vault.seal(alice).await.expect("seal");
    let refused = vault.unseal(&ctx(None), bob_pass()).await.expect_err("Bob was offboarded");
    assert!(matches!(refused, Error::WrongPassphrase), "{refused:?}");
    let refused = vault.unseal(&ctx(None), pass()).await.expect_err("Alice's passphrase changed");
    assert!(matches!(refused, Error::WrongPassphrase), "{refused:?}");
    vault.unseal(&ctx(None), new_pass()).await.expect("Alice's new passphrase");
}
