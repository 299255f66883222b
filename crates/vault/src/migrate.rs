//! `coffred migrate`: moves a vault's store from sled (`DATA_DIR/db`) into an empty PostgreSQL schema, offline.
//!
//! The audit log stays where it is (`DATA_DIR/audit`): it is the durable record of every change, for either store.
//! Nothing is taken on trust:
//! 1. the vault is unsealed on sled with an owner's passphrase, which checks the store against the log (and replays
//!    whatever the store lacks), then its store is written out;
//! 2. every record is copied, in one transaction, into a schema that must be empty, then read back and compared
//!    with sled's, record for record;
//! 3. the vault is unsealed on PostgreSQL, which checks the copy against the log the same way (the digest the log
//!    keeps of the store's contents, and the log's chain from its last signed head);
//! 4. only then is `DATA_DIR/db` renamed `db.moved-to-postgres`, so that a coffred started on sled by mistake
//!    refuses to start ("the store's directory is missing") instead of serving a copy left behind.

use std::{path::Path, sync::Arc};

use coffre_crypto::secret::Passphrase;
use coffre_store::{Batch, PgOptions, PgStore, SledStore, Store};

use crate::{Error, RequestContext, Result, StoreBackend, Vault, VaultConfig, clock::Clock};

/// Where sled's store goes once it has been moved.
pub const MOVED_DB: &str = "db.moved-to-postgres";

/// Why `coffred migrate` (or a restore onto PostgreSQL) refused to move a store. Nothing was changed in the data
/// directory: sled's store is where it was. Each says what to do next.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MigrateRefusal {
    /// The data directory has no sled store (`DATA_DIR/db`).
    #[error(
        "there is no sled store to move at {path}: this vault's records are already in PostgreSQL (then start \
         coffred with this configuration and unseal it), or this is not the vault's data directory (check \
         --data-dir)"
    )]
    NoSledStore {
        /// Where sled's store was looked for.
        path: String,
    },
    /// The target schema is not empty.
    #[error(
        "{place} already holds records, and a vault is moved only into an empty schema: name another one with \
         [storage] schema (--storage-schema), or drop that schema in PostgreSQL if what it holds is not needed; \
         nothing was changed"
    )]
    SchemaNotEmpty {
        /// Host, database and schema.
        place: String,
    },
    /// The copy, read back, is not sled's store record for record.
    #[error(
        "the copy in {place} does not read back as sled's store (at record {record}); nothing was changed in the \
         data directory: check the database server's log, drop that schema, and run coffred migrate again"
    )]
    CopyDiffers {
        /// Host, database and schema.
        place: String,
        /// The first record (counted from 0, in key order) that differs, is missing or is extra.
        record: u64,
    },
}

impl MigrateRefusal {
    /// The stable code of the refusal (`daemon-<code>` in coffre-i18n's catalogue).
    pub fn code(&self) -> &'static str {
        match self {
            MigrateRefusal::NoSledStore { .. } => "migrate-no-sled-store",
            MigrateRefusal::SchemaNotEmpty { .. } => "migrate-schema-not-empty",
            MigrateRefusal::CopyDiffers { .. } => "migrate-copy-differs",
        }
    }

    /// The values its message shows, by name.
    pub fn arguments(&self) -> Vec<(&'static str, String)> {
        match self {
            MigrateRefusal::NoSledStore { path } => vec![("path", path.clone())],
            MigrateRefusal::SchemaNotEmpty { place } => vec![("place", place.clone())],
            MigrateRefusal::CopyDiffers { place, record } => {
                vec![("place", place.clone()), ("record", record.to_string())]
            }
        }
    }
}

/// What a migration did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrateReport {
    /// The vault's id.
    pub vault_id: String,
    /// Records copied (and compared).
    pub records: u64,
    /// Audit events in the log.
    pub audit_events: u64,
    /// Where the store is now.
    pub place: String,
}

fn local() -> RequestContext {
    RequestContext { token: None, client_addr: "local".into(), client_agent: "coffred migrate".into() }
}

/// Moves the store of the vault in `data_dir` from sled into the empty schema of `target`, with an owner's
/// `passphrase`.
pub async fn migrate_store(
    data_dir: &Path,
    target: &PgOptions,
    passphrase: Passphrase,
    clock: Arc<dyn Clock>,
) -> Result<MigrateReport> {
    let db = data_dir.join("db");
    if !db.is_dir() {
        return Err(Error::MigrateRefused(MigrateRefusal::NoSledStore { path: db.display().to_string() }));
    }
    let again = Passphrase::new(passphrase.expose_secret().to_vec()).map_err(Error::Crypto)?;

    // 1. The source, checked against its log.
    let source = Vault::open(VaultConfig::new(data_dir.to_path_buf()), clock.clone())?;
    source.unseal(&local(), passphrase).await?;
    source.write_store_out().await;
    let vault_id = source.status().vault_id.unwrap_or_default();
    drop(source);

    // 2. The copy, in one transaction, then compared.
    let options = target.clone();
    let (records, place) = tokio::task::spawn_blocking(move || copy_store(&db, &options))
        .await
        .map_err(|e| Error::Internal(format!("the copy failed: {e}")))??;

    // 3. The copy, checked against the log by an unseal on PostgreSQL.
    let mut config = VaultConfig::new(data_dir.to_path_buf());
    config.store = StoreBackend::Postgres(target.clone());
    let moved = Vault::open(config, clock)?;
    moved.unseal(&local(), again).await?;
    moved.write_store_out().await;
    let audit_events = moved.status().audit_events;
    drop(moved);

    // 4. sled's store, put out of the way.
    put_sled_aside(data_dir)?;
    Ok(MigrateReport { vault_id, records, audit_events, place })
}

/// Moves the sled store of a vault just restored into `data_dir` (offline, `coffred restore` with PostgreSQL
/// configured) into the empty schema of `target`: copied, read back and compared, then sled's store put aside.
/// No passphrase: the vault's first unseal checks the copy against the audit log, as every unseal does. Returns the
/// records copied and where they are.
pub fn move_restored_store(data_dir: &Path, target: &PgOptions) -> Result<(u64, String)> {
    let copied = copy_store(&data_dir.join("db"), target)?;
    put_sled_aside(data_dir)?;
    Ok(copied)
}

/// Copies every record of the sled store in `db` into the empty schema of `target` in one transaction, then reads
/// the copy back and compares it with sled's, record for record. Returns the records copied and where they are.
fn copy_store(db: &Path, target: &PgOptions) -> Result<(u64, String)> {
    let from = SledStore::open(db)?;
    let to = PgStore::open(target)?;
    if to.scan_all().next().transpose()?.is_some() {
        return Err(Error::MigrateRefused(MigrateRefusal::SchemaNotEmpty { place: to.place().to_string() }));
    }
    let mut batch = Batch::default();
    for pair in from.scan_all() {
        let (key, value) = pair?;
        batch.insert(key, value);
    }
    to.apply(batch)?;
    let mut copied = to.scan_all();
    let mut records = 0u64;
    for pair in from.scan_all() {
        let original = pair?;
        let copy = copied.next().transpose()?;
        if copy.as_ref() != Some(&original) {
            return Err(differs(&to, records));
        }
        records += 1;
    }
    if copied.next().is_some() {
        return Err(differs(&to, records));
    }
    Ok((records, to.place().to_string()))
}

fn differs(copy: &PgStore, record: u64) -> Error {
    Error::MigrateRefused(MigrateRefusal::CopyDiffers { place: copy.place().to_string(), record })
}

/// Renames `DATA_DIR/db` to [`MOVED_DB`], durably.
fn put_sled_aside(data_dir: &Path) -> Result<()> {
    let from = data_dir.join("db");
    let to = data_dir.join(MOVED_DB);
    std::fs::rename(&from, &to).map_err(crate::rebuild::io("rename", &from))?;
    std::fs::File::open(data_dir).and_then(|dir| dir.sync_all()).map_err(crate::rebuild::io("sync", data_dir))
}
