//! The PostgreSQL backend against a real server: the cluster `.ci/postgres` starts (its address in
//! `COFFRE_TEST_POSTGRES`). Without one these tests say so and pass, unless `COFFRE_REQUIRE_POSTGRES=1` (CI).
//!
//! Each test works in a schema of its own, so they run in parallel on one database.

use std::hash::{BuildHasher, Hasher};

/// TLS to the database (`postgres/tls.rs`): one test binary with these, to keep CI's links few.
#[path = "postgres/tls.rs"]
mod tls;

/// A cluster of a test's own (`postgres/cluster.rs`, shared with the end-to-end tests).
#[path = "postgres/cluster.rs"]
mod cluster;

use coffre_store::{Announced, Batch, LogBatch, PgOptions, PgStore, SledStore, Standby, Store, StoreError};
use proptest::prelude::*;

/// The server's address, or `None` (and the reason printed) when there is none and none is required.
fn server() -> Option<String> {
    match std::env::var("COFFRE_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("COFFRE_REQUIRE_POSTGRES").is_none(),
                "COFFRE_REQUIRE_POSTGRES is set but COFFRE_TEST_POSTGRES is not: start a cluster with .ci/postgres"
            );
            eprintln!("no PostgreSQL to test against (COFFRE_TEST_POSTGRES is not set): skipped");
            None
        }
    }
}

fn fresh_schema() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher
        .write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_nanos());
    format!("t_{:016x}", hasher.finish())
}

/// Options for a fresh schema, the client marked with `name` so a test can find its connections.
fn options(url: &str, schema: &str, name: &str) -> PgOptions {
    let separator = if url.contains('?') { '&' } else { '?' };
    let mut options = PgOptions::new(format!("{url}{separator}application_name={schema}_{name}"), schema);
    options.timeout = std::time::Duration::from_secs(20);
    options
}

/// Runs `work` on a connection of the server's administrator, beside the store (as a DBA or a network would act).
fn as_admin<F: std::future::Future>(url: &str, work: impl FnOnce(tokio_postgres::Client) -> F) -> F::Output {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    rt.block_on(async {
        let (client, connection) =
            tokio_postgres::connect(url, tokio_postgres::NoTls).await.expect("connect as the admin");
        tokio::spawn(connection);
        work(client).await
    })
}

/// Ends every connection of `application_name` from the server's side, as a network cut or a restart would.
fn cut_connections(url: &str, application_name: &str) {
    let cut: i64 = as_admin(url, |client| async move {
        client
            .query_one(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE application_name = $1) AS t",
                &[&application_name],
            )
            .await
            .expect("terminate the connections")
            .get(0)
    });
    assert!(cut > 0, "no connection named {application_name}");
}

fn all(store: &dyn Store) -> Vec<(Vec<u8>, Vec<u8>)> {
    store.scan_all().collect::<Result<_, _>>().expect("scan")
}

#[test]
fn a_batch_is_applied_whole_and_read_back_in_key_order_across_pages() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let store = PgStore::open(&options(&url, &schema, "a")).unwrap();
    let mut batch = Batch::default();
    // More than two pages of the scan, inserted out of order.
    for i in (0..5000u32).rev() {
        batch.insert(format!("e/{i:05}").into_bytes(), i.to_be_bytes().to_vec());
    }
    batch.insert(b"f/1".to_vec(), b"other".to_vec());
    batch.insert(b"e/00007".to_vec(), b"last write wins".to_vec());
    batch.remove(b"e/00008".to_vec());
    store.apply(batch).unwrap();
    let scanned: Vec<_> = store.scan_prefix(b"e/").collect::<Result<_, _>>().unwrap();
    assert_eq!(scanned.len(), 4999);
    assert!(scanned.windows(2).all(|w| w[0].0 < w[1].0), "in key order");
    assert_eq!(store.get(b"e/00007").unwrap().as_deref(), Some(&b"last write wins"[..]));
    assert_eq!(store.get(b"e/00008").unwrap(), None);
    assert_eq!(all(&store).len(), 5000);
    drop(store);
    // Committed: a new connection reads the same.
    let again = PgStore::open(&options(&url, &schema, "b")).unwrap();
    assert_eq!(all(&again).len(), 5000);
}

fn commit(first_seq: u64, last_seq: u64, fill: u8) -> LogBatch {
    let mut frames = vec![fill; 100];
    frames.extend_from_slice(&first_seq.to_be_bytes());
    LogBatch { first_seq, last_seq, frames }
}

fn one(key: &[u8], value: &[u8]) -> Batch {
    let mut batch = Batch::default();
    batch.insert(key.to_vec(), value.to_vec());
    batch
}

#[test]
fn the_copy_of_the_log_takes_group_commits_in_order_once_each_and_refuses_gaps_and_forks_with_their_records() {
    let Some(url) = server() else { return };
    let store = PgStore::open(&options(&url, &fresh_schema(), "a")).unwrap();
    assert!(store.keeps_log());
    assert_eq!(store.log_last().unwrap(), 0);
    // The first group commit must start at event 1.
    let gap = store.apply_logged(Some(one(b"e/1", b"x")), &[commit(2, 3, 1)]).expect_err("a gap");
    assert!(matches!(gap, StoreError::LogGap { last: 0, next: 2, .. }), "{gap}");
    assert_eq!(store.get(b"e/1").unwrap(), None, "the records of a refused group commit are not written");
    store.apply_logged(Some(one(b"e/1", b"x")), &[commit(1, 3, 1)]).unwrap();
    store.apply_logged(None, &[commit(4, 4, 2), commit(5, 9, 3)]).unwrap();
    assert_eq!(store.log_last().unwrap(), 9);
    // Given again (an answer lost after the commit): passed over, and the records applied again are the same.
    store.apply_logged(Some(one(b"e/1", b"x")), &[commit(1, 3, 1)]).unwrap();
    store.apply_logged(None, &[commit(5, 9, 3), commit(10, 10, 4)]).unwrap();
    assert_eq!(store.log_last().unwrap(), 10);
    // Other bytes for a group commit the copy holds, or one that straddles two: forked, nothing written.
    for (forked, at) in [(commit(5, 9, 7), 5), (commit(5, 8, 3), 5), (commit(6, 10, 3), 6)] {
        let err = store.apply_logged(Some(one(b"e/2", b"y")), &[forked, commit(11, 11, 5)]).expect_err("forked");
        assert!(matches!(err, StoreError::LogDiffers { seq, .. } if seq == at), "{err}");
        assert!(err.to_string().contains("forked"), "{err}");
    }
    assert_eq!(store.get(b"e/2").unwrap(), None);
    assert_eq!(store.log_last().unwrap(), 10);
    // A gap after a commit the copy holds.
    let gap = store.apply_logged(None, &[commit(10, 10, 4), commit(12, 12, 5)]).expect_err("a gap");
    assert!(matches!(gap, StoreError::LogGap { last: 10, next: 12, .. }), "{gap}");
    // Read back in order, as many as asked for and at least one.
    let all = store.log_after(0, usize::MAX).unwrap();
    let firsts: Vec<u64> = all.iter().map(|c| c.first_seq).collect();
    assert_eq!(firsts, [1, 4, 5, 10]);
    assert_eq!(all[2], commit(5, 9, 3));
    assert_eq!(store.log_after(3, 1).unwrap(), [commit(4, 4, 2)]);
    assert_eq!(store.log_after(10, usize::MAX).unwrap(), []);
    assert_eq!(store.log_batch(5).unwrap(), Some(commit(5, 9, 3)));
    assert_eq!(store.log_batch(6).unwrap(), None);
    assert!(!format!("{:?}", all[0]).contains("1, 1, 1"), "Debug shows the length, not the bytes");
}

#[test]
fn a_write_to_a_read_only_database_is_unavailable_naming_why_though_the_statements_after_fail_too() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let store = PgStore::open(&options(&url, &schema, "a")).unwrap();
    store.apply_logged(None, &[commit(1, 1, 1)]).unwrap();
    // Every statement of a write fails as on a read-only database, after the store opened: whichever the server
    // runs first, those after it fail with "current transaction is aborted", which says nothing.
    as_admin(&url, |client| {
        let schema = schema.clone();
        async move {
            client
                .batch_execute(&format!(
                    "CREATE FUNCTION \"{schema}\".read_only() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN RAISE EXCEPTION 'cannot execute UPDATE in a read-only transaction'
                         USING ERRCODE = 'read_only_sql_transaction'; END $$;
                     CREATE TRIGGER read_only BEFORE UPDATE ON \"{schema}\".writer
                         FOR EACH ROW EXECUTE FUNCTION \"{schema}\".read_only();
                     CREATE TRIGGER read_only BEFORE INSERT ON \"{schema}\".audit_log
                         FOR EACH ROW EXECUTE FUNCTION \"{schema}\".read_only();
                     CREATE TRIGGER read_only BEFORE INSERT OR UPDATE OR DELETE ON \"{schema}\".records
                         FOR EACH ROW EXECUTE FUNCTION \"{schema}\".read_only();"
                ))
                .await
                .expect("a read-only writer row")
        }
    });
    // Where the store knows the copy's end (the statements are sent at once) and where it does not (after a
    // failure: it reads the end first); with records and without.
    for _ in 0..20 {
        for (batch, log) in [(Some(one(b"e/1", b"x")), vec![commit(2, 2, 1)]), (None, vec![commit(2, 2, 1)])] {
            let err = store.apply_logged(batch, &log).expect_err("read-only");
            assert!(err.is_unavailable(), "unavailable, not a refusal: {err}");
            assert!(err.to_string().contains("read-only"), "says why: {err}");
        }
    }
    assert_eq!(store.log_last().unwrap(), 1);
}

#[test]
fn a_group_commit_added_to_the_copy_behind_the_stores_back_makes_its_next_write_fail_and_the_one_after_name_it() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let store = PgStore::open(&options(&url, &schema, "a")).unwrap();
    store.apply_logged(None, &[commit(1, 1, 1)]).unwrap();
    store.apply_logged(None, &[commit(2, 2, 1)]).unwrap();
    // The store knows the copy ends at 2; someone with the database's rights adds event 3.
    as_admin(&url, |client| {
        let schema = schema.clone();
        async move {
            client
                .batch_execute(&format!("INSERT INTO \"{schema}\".audit_log VALUES (3, 3, '\\x00')"))
                .await
                .expect("a row behind the store's back")
        }
    });
    let refused = store.apply_logged(Some(one(b"e/3", b"z")), &[commit(3, 3, 1)]).expect_err("the row is taken");
    assert!(!refused.is_unavailable(), "{refused}");
    assert_eq!(store.get(b"e/3").unwrap(), None, "nothing of the refused write");
    let named = store.apply_logged(None, &[commit(3, 3, 1)]).expect_err("another group commit");
    assert!(matches!(named, StoreError::LogDiffers { seq: 3, .. }), "{named}");
}

#[test]
fn a_copy_that_lost_group_commits_behind_the_stores_back_is_not_written_after_a_hole() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let store = PgStore::open(&options(&url, &schema, "a")).unwrap();
    store.apply_logged(None, &[commit(1, 1, 1)]).unwrap();
    store.apply_logged(Some(one(b"e/2", b"y")), &[commit(2, 3, 1)]).unwrap();
    // The store knows the copy ends at 3; the database loses the transaction that wrote 2 to 3 (a standby that was
    // behind, promoted).
    as_admin(&url, |client| {
        let schema = schema.clone();
        async move {
            client
                .batch_execute(&format!(
                    "DELETE FROM \"{schema}\".audit_log WHERE first_seq = 2; \
                     DELETE FROM \"{schema}\".records WHERE k = '\\x652f32'"
                ))
                .await
                .expect("a transaction lost")
        }
    });
    let refused = store.apply_logged(Some(one(b"e/4", b"z")), &[commit(4, 4, 1)]).expect_err("a hole");
    assert!(matches!(refused, StoreError::LogGap { last: 1, next: 4, .. }), "{refused}");
    assert_eq!(store.get(b"e/4").unwrap(), None, "nothing of the refused write");
    assert_eq!(store.log_last().unwrap(), 1, "no hole in the copy");
    // Given what it lost first, in order, it takes the rest.
    store.apply_logged(Some(one(b"e/2", b"y")), &[commit(2, 3, 1)]).unwrap();
    store.apply_logged(Some(one(b"e/4", b"z")), &[commit(4, 4, 1)]).unwrap();
    assert_eq!(store.log_last().unwrap(), 4);
}

#[test]
fn a_schema_of_the_first_version_is_migrated_and_keeps_its_records() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    // A schema as the previous coffred left it: version 1, one record.
    as_admin(&url, |client| {
        let schema = schema.clone();
        async move {
            client
                .batch_execute(&format!(
                    "CREATE SCHEMA \"{schema}\";
                     CREATE TABLE \"{schema}\".schema_version (version integer PRIMARY KEY,
                         applied timestamptz NOT NULL DEFAULT now());
                     CREATE TABLE \"{schema}\".records (k bytea PRIMARY KEY, v bytea NOT NULL);
                     CREATE TABLE \"{schema}\".writer (one boolean PRIMARY KEY DEFAULT true CHECK (one),
                         owner uuid NOT NULL, since timestamptz NOT NULL, writes bigint NOT NULL);
                     INSERT INTO \"{schema}\".writer VALUES (true, gen_random_uuid(), now(), 0);
                     INSERT INTO \"{schema}\".records VALUES ('\\x652f31', '\\x6f6c64');
                     INSERT INTO \"{schema}\".schema_version (version) VALUES (1);"
                ))
                .await
                .expect("a version 1 schema")
        }
    });
    let store = PgStore::open(&options(&url, &schema, "a")).unwrap();
    assert_eq!(store.get(b"e/1").unwrap().as_deref(), Some(&b"old"[..]));
    assert_eq!(store.log_last().unwrap(), 0, "an empty copy of the log, filled by the engine from its own log");
    store.apply_logged(None, &[commit(1, 1, 1)]).unwrap();
    let versions: Vec<i32> = as_admin(&url, |client| async move {
        let rows = client
            .query(&format!("SELECT version FROM \"{schema}\".schema_version ORDER BY version"), &[])
            .await
            .expect("versions");
        rows.iter().map(|row| row.get(0)).collect()
    });
    assert_eq!(versions, [1, 2, 3, 4, 5]);
    assert_eq!(store.standbys().unwrap(), [], "the standby table of version 3 is there, empty");
}

#[test]
fn standbys_say_they_wait_and_the_serving_store_lists_them_until_they_withdraw_or_fall_silent() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let standby_options = options(&url, &schema, "standby");
    let b = Standby { id: "b1".into(), name: "vault-b".into(), armed: true, relays: true };
    // No vault there yet: nobody would read the row, and nothing is created.
    assert_eq!(PgStore::announce_standby(&standby_options, &b).unwrap(), None);
    PgStore::withdraw_standby(&standby_options, &b.id).unwrap();
    let store = PgStore::open(&options(&url, &schema, "a")).unwrap();
    assert_eq!(store.standbys().unwrap(), []);
    // A name longer than any host's is cut on a character boundary, never refused or split inside a character.
    let c = Standby { id: "c1".into(), name: "é".repeat(200), armed: false, relays: false };
    let announced = |copy_ends, relay: Option<&str>| Some(Announced { copy_ends, relay: relay.map(str::to_owned) });
    assert_eq!(PgStore::announce_standby(&standby_options, &b).unwrap(), announced(0, None), "an empty copy, no relay");
    store.apply_logged(None, &[commit(1, 2, 1)]).unwrap();
    assert_eq!(PgStore::announce_standby(&standby_options, &c).unwrap(), announced(2, None), "where the copy ends");
    let seen = store.standbys().unwrap();
    assert_eq!(
        seen.iter().map(|s| (s.name.as_str(), s.armed, s.relays)).collect::<Vec<_>>(),
        [("vault-b", true, true), ("é".repeat(126).as_str(), false, false)]
    );
    assert!(seen.iter().all(|s| s.seen_seconds_ago < 3600), "{seen:?}");
    // Said again: one row per standby, with what it says now.
    let disarmed = Standby { armed: false, relays: false, ..b.clone() };
    assert!(PgStore::announce_standby(&standby_options, &disarmed).unwrap().is_some());
    assert_eq!(store.standbys().unwrap().iter().filter(|s| s.name == "vault-b" && !s.armed && !s.relays).count(), 1);
    // One that fell silent two hours ago shows its age by the database's clock; one silent for two days is gone.
    let age = |id: &'static str, interval: &'static str| {
        let schema = schema.clone();
        as_admin(&url, |client| async move {
            client
                .execute(
                    &format!("UPDATE \"{schema}\".standby SET seen = now() - interval '{interval}' WHERE id = $1"),
                    &[&id],
                )
                .await
                .expect("age a standby")
        })
    };
    assert_eq!(age("c1", "2 hours"), 1);
    let silent = store.standbys().unwrap().into_iter().find(|s| !s.name.starts_with("vault")).unwrap();
    assert!((7200..7200 + 3600).contains(&silent.seen_seconds_ago), "{silent:?}");
    assert_eq!(age("c1", "2 days"), 1);
    assert_eq!(store.standbys().unwrap().len(), 1, "not listed after a day");

    assert!(PgStore::announce_standby(&standby_options, &disarmed).unwrap().is_some());
    let rows: i64 = as_admin(&url, |client| {
        let schema = schema.clone();
        async move {
            client.query_one(&format!("SELECT count(*) FROM \"{schema}\".standby"), &[]).await.expect("count").get(0)
        }
    });
    assert_eq!(rows, 1, "the next announcement deletes what is older than a day");
    PgStore::withdraw_standby(&standby_options, &b.id).unwrap();
    assert_eq!(store.standbys().unwrap(), []);

    // A standby newer than the schema (version 4: no `relays` column yet) still says it waits.
    let column = schema.clone();
    as_admin(&url, |client| async move {
        client
            .execute(&format!("ALTER TABLE \"{column}\".standby DROP COLUMN relays"), &[])
            .await
            .expect("a version 4 standby table")
    });
    assert!(PgStore::announce_standby(&standby_options, &b).unwrap().is_some(), "announced without the column");
}

#[test]
fn a_table_flooded_with_standbys_lists_a_bounded_few() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let store = PgStore::open(&options(&url, &schema, "a")).unwrap();
    as_admin(&url, |client| {
        let schema = schema.clone();
        async move {
            client
                .execute(
                    &format!(
                        "INSERT INTO \"{schema}\".standby (id, name, armed) \
                         SELECT g::text, 'host-' || g, true FROM generate_series(1, 5000) AS g"
                    ),
                    &[],
                )
                .await
                .expect("a flood of rows")
        }
    });
    let listed = store.standbys().unwrap();
    assert_eq!(listed.len(), 32);
    // A name written by hand past a host name's length is cut on reading too.
    as_admin(&url, |client| {
        let schema = schema.clone();
        async move {
            client
                .execute(&format!("UPDATE \"{schema}\".standby SET name = repeat('x', 100000)"), &[])
                .await
                .expect("long names")
        }
    });
    assert!(store.standbys().unwrap().iter().all(|standby| standby.name.len() == 253));
}

#[test]
fn a_second_coffred_on_the_same_schema_is_refused_at_open_and_a_different_schema_is_not() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let first = PgStore::open(&options(&url, &schema, "a")).unwrap();
    let err = PgStore::open(&options(&url, &schema, "b")).expect_err("the schema is held");
    assert!(matches!(err, StoreError::InUse { .. }), "{err}");
    assert!(err.to_string().contains(&schema), "names the schema: {err}");
    let _other = PgStore::open(&options(&url, &fresh_schema(), "c")).unwrap();
    drop(first);
    // Let go when the first store is dropped.
    let reopened = PgStore::open(&options(&url, &schema, "d"));
    assert!(reopened.is_ok(), "the schema is free once the first store is gone");
}

/// Opens `schema` as `name` once it is free: the lock of a connection cut from the server's side is let go when
/// the server has seen it end (polled, at most 5 s).
fn open_when_free(url: &str, schema: &str, name: &str) -> PgStore {
    for _ in 0..500 {
        match PgStore::open(&options(url, schema, name)) {
            Ok(store) => return store,
            Err(StoreError::InUse { .. }) => std::thread::sleep(std::time::Duration::from_millis(10)),
            Err(e) => panic!("{e}"),
        }
    }
    panic!("{schema} stays in use")
}

/// A store on `schema` (application name `SCHEMA_a`) holding `k/1` = `one`.
fn store_holding_one_record(url: &str, schema: &str) -> PgStore {
    let store = PgStore::open(&options(url, schema, "a")).expect("the store opens");
    let mut batch = Batch::default();
    batch.insert(b"k/1".to_vec(), b"one".to_vec());
    store.apply(batch).expect("the first write");
    store
}

#[test]
fn a_writer_whose_connection_was_cut_reconnects_and_goes_on() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let store = store_holding_one_record(&url, &schema);
    cut_connections(&url, &format!("{schema}_a"));
    // The first write after the cut may find the connection not yet known to be closed: it fails as unavailable,
    // and nothing is written; the next one reconnects, once the server has let go of the old connection's lock
    // (until then: in use; polled, at most 5 s).
    let mut written = false;
    for _ in 0..500 {
        let mut batch = Batch::default();
        batch.insert(b"k/2".to_vec(), b"two".to_vec());
        match store.apply(batch) {
            Ok(()) => {
                written = true;
                break;
            }
            Err(StoreError::InUse { .. }) => std::thread::sleep(std::time::Duration::from_millis(10)),
            Err(e) => assert!(e.is_unavailable(), "{e}"),
        }
    }
    assert!(written, "the writer reconnected");
    assert_eq!(all(&store).len(), 2);
}

#[test]
fn once_another_coffred_has_claimed_the_schema_the_first_one_writes_nothing_more() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let first = PgStore::open(&options(&url, &schema, "a")).unwrap();
    // The first one's connection is lost (and its lock with it); a second coffred starts and claims the schema.
    cut_connections(&url, &format!("{schema}_a"));
    let second = open_when_free(&url, &schema, "b");
    let write = |store: &PgStore, key: &[u8]| {
        let mut batch = Batch::default();
        batch.insert(key.to_vec(), b"v".to_vec());
        store.apply(batch)
    };
    // While the second holds the lock, the first cannot even take it back.
    let mut refused = None;
    for _ in 0..3 {
        match write(&first, b"from/first") {
            Err(e) if e.is_unavailable() => continue,
            other => {
                refused = Some(other);
                break;
            }
        }
    }
    let refused = refused.expect("an answer").expect_err("the schema is held by the second");
    assert!(matches!(refused, StoreError::InUse { .. }), "{refused}");
    write(&second, b"from/second").unwrap();
    drop(second);
    // With the second gone, the first gets the lock back, but its claim is stale: refused, nothing written.
    let mut last = None;
    for _ in 0..500 {
        match write(&first, b"from/first") {
            Err(StoreError::InUse { .. }) => std::thread::sleep(std::time::Duration::from_millis(10)),
            other => {
                last = Some(other);
                break;
            }
        }
    }
    let err = last.expect("an answer").expect_err("a stale writer");
    assert!(matches!(err, StoreError::ChangedElsewhere { .. }), "{err}");
    assert_eq!(first.get(b"from/first").unwrap(), None, "nothing of the stale writer's");
    assert!(first.get(b"from/second").unwrap().is_some());
}

#[test]
fn a_table_changed_behind_coffreds_back_is_an_error_not_a_panic() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let store = store_holding_one_record(&url, &schema);
    let alter = format!("ALTER TABLE \"{schema}\".records ALTER COLUMN v TYPE text USING encode(v, 'hex')");
    as_admin(&url, |client| async move { client.batch_execute(&alter).await.expect("alter the table") });
    let got = store.get(b"k/1").expect_err("a value that is no longer bytes");
    assert!(matches!(got, StoreError::Database { .. }), "{got}");
    let scanned = store.scan_all().next().expect("an answer").expect_err("the same in a scan");
    assert!(matches!(scanned, StoreError::Database { .. }), "{scanned}");
}

#[test]
fn a_database_that_is_not_there_is_reported_unavailable() {
    // No server needed: a port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut options = PgOptions::new(format!("postgresql://coffre@127.0.0.1:{port}/coffre"), "coffre");
    options.timeout = std::time::Duration::from_secs(5);
    let err = PgStore::open(&options).expect_err("nothing listens");
    assert!(err.is_unavailable(), "{err}");
    // What failed; what to do is the engine's message (`store-unavailable`), in the reader's language.
    assert!(err.to_string().starts_with("the database is unavailable (connect): "), "{err}");
    assert!(err.what_failed().starts_with("connect: ") && err.what_failed().contains("refused"), "{err}");
}

#[derive(Clone, Debug)]
enum Change {
    Insert(Vec<u8>, Vec<u8>),
    Remove(Vec<u8>),
}

fn key() -> impl Strategy<Value = Vec<u8>> {
    // A small alphabet with the edges of byte order (0x00, 0xff), so keys collide and prefixes end at 0xff.
    proptest::collection::vec(prop_oneof![Just(0u8), Just(b'a'), Just(b'b'), Just(0xfe), Just(0xff)], 0..4)
}

fn batches() -> impl Strategy<Value = Vec<Vec<Change>>> {
    let change = prop_oneof![
        (key(), proptest::collection::vec(any::<u8>(), 0..8)).prop_map(|(k, v)| Change::Insert(k, v)),
        key().prop_map(Change::Remove),
    ];
    proptest::collection::vec(proptest::collection::vec(change, 0..12), 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// PostgreSQL answers exactly as sled does: same pairs, same order, for every prefix.
    #[test]
    fn postgres_answers_every_read_as_sled_does(batches in batches()) {
        let Some(url) = server() else { return Ok(()) };
        let dir = tempfile::tempdir().unwrap();
        let sled = SledStore::open(dir.path()).unwrap();
        let pg = PgStore::open(&options(&url, &fresh_schema(), "p")).unwrap();
        for changes in batches {
            let (mut a, mut b) = (Batch::default(), Batch::default());
            for change in changes {
                match change {
                    Change::Insert(k, v) => { a.insert(k.clone(), v.clone()); b.insert(k, v); }
                    Change::Remove(k) => { a.remove(k.clone()); b.remove(k); }
                }
            }
            sled.apply(a).unwrap();
            pg.apply(b).unwrap();
            prop_assert_eq!(all(&sled), all(&pg));
            for prefix in [&b""[..], b"a", b"\xff", b"a\xff", b"\x00"] {
                let s: Vec<_> = sled.scan_prefix(prefix).collect::<Result<_, _>>().unwrap();
                let p: Vec<_> = pg.scan_prefix(prefix).collect::<Result<_, _>>().unwrap();
                prop_assert_eq!(s, p);
            }
        }
    }
}

/// The coffred that holds a schema says in it where it takes relayed connections, and each claim says it again:
/// a standby reads the one of whoever holds the schema now, or none.
#[test]
fn the_serving_store_names_its_relay_and_each_claim_replaces_it() {
    let Some(url) = server() else { return };
    let schema = fresh_schema();
    let standby_options = options(&url, &schema, "standby");
    let b = Standby { id: "b1".into(), name: "vault-b".into(), armed: false, relays: false };
    let mut with_relay = options(&url, &schema, "a");
    with_relay.relay = Some("10.0.0.1:7444".into());
    let store = PgStore::open(&with_relay).unwrap();
    let relay = |options: &PgOptions| PgStore::announce_standby(options, &b).unwrap().unwrap().relay;
    assert_eq!(relay(&standby_options).as_deref(), Some("10.0.0.1:7444"));
    drop(store);
    let store = PgStore::open(&options(&url, &schema, "c")).unwrap();
    assert_eq!(relay(&standby_options), None, "a coffred without [relay] takes none");
    drop(store);
}
