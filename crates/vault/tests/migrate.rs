//! `coffred migrate`'s engine part: a vault on sled moves into an empty PostgreSQL schema with everything in it,
//! checked against its audit log before sled's store is put aside; every refusal leaves the data directory as it
//! was. Needs a real server (`COFFRE_TEST_POSTGRES`, see `.ci/postgres`); says so and passes without one unless
//! `COFFRE_REQUIRE_POSTGRES` is set (CI).

mod support;

use coffre_vault::{Error, ErrorKind, MigrateRefusal, PgOptions, RevealParams, SecretField, StoreBackend, VaultConfig};
use support::*;

fn server() -> Option<String> {
    match std::env::var("COFFRE_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(std::env::var_os("COFFRE_REQUIRE_POSTGRES").is_none(), "COFFRE_TEST_POSTGRES is required");
            eprintln!("no PostgreSQL to test against (COFFRE_TEST_POSTGRES is not set): skipped");
            None
        }
    }
}

fn reveal(platform: &str) -> RevealParams {
    RevealParams { platform: platform.into(), field: SecretField::Password, reason: "a post".into(), version: None }
}

#[tokio::test]
async fn a_vault_on_sled_moves_into_postgres_whole_and_sleds_copy_is_put_aside() {
    let Some(url) = server() else { return };
    let fx = Fixture::new();
    let data = fx.data_dir();
    let on_sled = |config: &mut VaultConfig| config.store = StoreBackend::Sled;
    {
        let vault = fx.open_configured(&data, on_sled);
        fx.init(&vault, None).await;
        let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
        vault.create_entry(&alice, entry("Facebook"), secrets(b"facebook-1")).await.expect("create");
        vault.create_entry(&alice, entry("Mailgun"), secrets(b"mailgun-1")).await.expect("create");
        vault.reveal(&alice, reveal("Facebook")).await.expect("reveal");
    }
    let schema = format!("m_{}", data.to_string_lossy().bytes().fold(0u64, |h, b| h.wrapping_mul(31) ^ u64::from(b)));
    let target = PgOptions::new(url.clone(), schema.clone());

    // PostgreSQL configured before the records were moved: refused, saying how to move them (never "not
    // initialised", which would invite a second init into the empty schema).
    let mut config = VaultConfig::new(data.clone());
    config.store = StoreBackend::Postgres(target.clone());
    let err = coffre_vault::Vault::open(config, fx.clock.clone()).expect_err("the records are still on sled");
    assert!(err.to_string().contains("coffred migrate"), "{err}");

    let wrong = coffre_vault::migrate_store(&data, &target, passphrase(b"not the passphrase at all"), fx.clock.clone())
        .await
        .expect_err("a wrong passphrase moves nothing");
    assert_eq!(wrong.code(), "wrong-passphrase", "{wrong}");
    assert!(data.join("db").is_dir(), "sled's store is where it was");

    let report = coffre_vault::migrate_store(&data, &target, passphrase(PRESIDENT_PASS), fx.clock.clone())
        .await
        .expect("migrate");
    assert!(report.records > 5, "{report:?}");
    assert!(report.place.contains(&schema), "{report:?}");
    assert!(!data.join("db").exists() && data.join(coffre_vault::MOVED_DB).is_dir(), "sled's store is put aside");

    // On PostgreSQL, everything is there, and the log goes on.
    {
        let vault = fx.open_configured(&data, |config| config.store = StoreBackend::Postgres(target.clone()));
        vault.unseal(&anonymous(), passphrase(PRESIDENT_PASS)).await.expect("unseal on PostgreSQL");
        let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
        let revealed = vault.reveal(&alice, reveal("Mailgun")).await.expect("reveal");
        assert_eq!(revealed.secret.expose_secret(), b"mailgun-1");
        let names: Vec<String> =
            vault.list_entries(&alice, false).expect("list").into_iter().map(|e| e.platform).collect();
        assert_eq!(names, vec!["Facebook".to_string(), "Mailgun".to_string()]);
    }

    // A coffred started on sled by mistake refuses, rather than serve the copy left behind.
    let mut config = VaultConfig::new(data.clone());
    config.default_kdf = TEST_KDF;
    let err = coffre_vault::Vault::open(config, fx.clock.clone()).expect_err("no sled store any more");
    assert_eq!(err.code(), "store-damaged", "{err}");

    // Nothing is moved twice, nor into a schema that holds records.
    let again = coffre_vault::migrate_store(&data, &target, passphrase(PRESIDENT_PASS), fx.clock.clone())
        .await
        .expect_err("already moved");
    assert!(matches!(&again, Error::MigrateRefused(MigrateRefusal::NoSledStore { .. })), "{again}");
    assert_eq!((again.kind(), again.code()), (ErrorKind::FailedPrecondition, "migrate-no-sled-store"));
    let other = Fixture::new();
    {
        let vault = other.open_configured(&other.data_dir(), on_sled);
        other.init(&vault, None).await;
    }
    let full = coffre_vault::migrate_store(&other.data_dir(), &target, passphrase(PRESIDENT_PASS), fx.clock.clone())
        .await
        .expect_err("the schema is not empty");
    match &full {
        Error::MigrateRefused(MigrateRefusal::SchemaNotEmpty { place }) => assert!(place.contains(&schema), "{full}"),
        other => panic!("not the refusal of a schema that holds records: {other}"),
    }
    assert_eq!((full.kind(), full.code()), (ErrorKind::FailedPrecondition, "migrate-schema-not-empty"));
    assert!(full.to_string().contains("--storage-schema"), "says what to do next: {full}");
    assert!(other.data_dir().join("db").is_dir(), "the refused vault's store is where it was");
}

/// A data directory without a sled store (never initialised, or moved already) is refused before any database is
/// reached, as what it is, not as an internal error.
#[tokio::test]
async fn a_data_directory_without_a_sled_store_is_refused_as_such_before_connecting() {
    let fx = Fixture::new();
    // Nothing listens there: the refusal must come first.
    let target = PgOptions::new("postgresql://coffre@127.0.0.1:1/coffre", "nowhere");
    let err = coffre_vault::migrate_store(&fx.data_dir(), &target, passphrase(PRESIDENT_PASS), fx.clock.clone())
        .await
        .expect_err("nothing to move");
    match &err {
        Error::MigrateRefused(MigrateRefusal::NoSledStore { path }) => assert!(path.ends_with("db"), "{err}"),
        other => panic!("not the refusal of a missing sled store: {other}"),
    }
    assert_eq!(err.kind(), ErrorKind::FailedPrecondition);
    assert!(err.to_string().contains("--data-dir"), "says what to check: {err}");
}
