//! The PostgreSQL backend: the same ordered map of bytes, as one table in a schema of the vault's own.
//!
//! One coffred at a time writes to a schema. At open it takes a session-level advisory lock on its writer
//! connection (a second coffred is refused at start), then claims the schema's `writer` row with a fresh owner id.
//! Every batch is one transaction on that connection that first updates the `writer` row *where the owner is still
//! this store*: if another coffred has claimed the schema since (after this one's connection was lost, say), the
//! batch is refused and nothing is written, so two writers never interleave. Reads go through a small pool.
//!
//! The [`Store`] trait is synchronous (the engine calls it from its writer thread and from request handlers alike);
//! the client is tokio-postgres, so the store runs its own small runtime and every call waits on a channel for its
//! answer, with a time limit: a database that does not answer is reported as unavailable, never waited for forever.
//!
//! Commits run with `synchronous_commit = on`. The store does not need them to be durable (the engine's audit log
//! carries every change and replays what the store lacks), but a committed batch then survives the database's own
//! crash, so a replay is rare.

use std::{
    collections::BTreeMap, collections::VecDeque, future::Future, path::PathBuf, str::FromStr, sync::Arc,
    time::Duration,
};

use deadpool_postgres::{ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::Client;

use crate::{
    Batch, LogBatch, Op, Pair, Result, StandbySeen, Store, StoreError,
    postgres_errors::{db_error, decode_error, pool_error},
    postgres_tls::Connector,
};

/// The schema version this code writes. Migrations are applied in order at open; a newer schema is refused.
const SCHEMA_VERSION: i32 = 5;

/// Pairs fetched per round trip when scanning.
const PAGE: i64 = 2048;

/// Where and how to reach the database.
#[derive(Clone)]
pub struct PgOptions {
    /// `postgresql://USER@HOST:PORT/DB` or `host=… user=… dbname=…`. It must not hold a password.
    pub url: String,
    /// The role's password (from a file or `PGPASSWORD`, never from the command line), if the server asks for one.
    pub password: Option<String>,
    /// The schema that holds the vault's tables (created if missing): one vault per schema.
    pub schema: String,
    /// How long one operation may take before the database counts as unavailable.
    pub timeout: Duration,
    /// Connections for reads (the writer has one more of its own).
    pub readers: usize,
    /// The PEM file of the CA that signed the database server's certificate. When set, every connection uses TLS
    /// and verifies the server's certificate against it and the address's host name; a server without TLS is
    /// refused. When not set, connections are plain (see [`PgOptions::unencrypted_remote_hosts`]).
    pub ca_file: Option<PathBuf>,
    /// Where this coffred, while it holds the schema, takes the connections its standbys relay
    /// (`host:port`, the configuration's `[relay] advertise`): written in the schema's `writer` row when it claims
    /// the schema, and read by the standbys from there (docs/ha.md, "Relaying standbys"). `None`: it takes none.
    pub relay: Option<String>,
}

impl std::fmt::Debug for PgOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgOptions")
            .field("url", &self.url)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("schema", &self.schema)
            .field("timeout", &self.timeout)
            .field("readers", &self.readers)
            .field("ca_file", &self.ca_file)
            .field("relay", &self.relay)
            .finish()
    }
}

impl PgOptions {
    /// Options for `url` and `schema`, with no password, a 10-second limit per operation and 8 readers.
    pub fn new(url: impl Into<String>, schema: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            password: None,
            schema: schema.into(),
            timeout: Duration::from_secs(10),
            readers: 8,
            ca_file: None,
            relay: None,
        }
    }

    /// Checks the address, the schema's name and the CA file, if any, without connecting (what [`PgStore::open`]
    /// checks first).
    pub fn check(&self) -> Result<()> {
        let mut config = self.client_config()?;
        Connector::new(self, &mut config).map(drop)
    }

    /// The client's configuration, checked: a parsable address without a password in it, a schema name that is a
    /// plain identifier.
    fn client_config(&self) -> Result<tokio_postgres::Config> {
        let mut config = tokio_postgres::Config::from_str(&self.url).map_err(|e| StoreError::Config {
            problem: format!("the database address is not a PostgreSQL connection string: {e}"),
        })?;
        if config.get_password().is_some() {
            return Err(StoreError::Config {
                problem: "the database address holds a password; put it in the file named by `password_file` or in \
                          PGPASSWORD instead, so it is not on a command line or in the configuration file"
                    .into(),
            });
        }
        if let Some(password) = &self.password {
            config.password(password.as_bytes());
        }
        if config.get_application_name().is_none() {
            config.application_name("coffred");
        }
        config.connect_timeout(self.timeout);
        valid_schema(&self.schema)?;
        Ok(config)
    }
}

/// A schema name is used in SQL text (identifiers cannot be bound as parameters), so it is held to a plain,
/// lower-case identifier and quoted.
fn valid_schema(schema: &str) -> Result<()> {
    let ok = (1..=63).contains(&schema.len())
        && schema.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && schema.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::Config {
            problem: format!(
                "the schema name {schema:?} is not a plain identifier: use 1 to 63 lower-case letters, digits and \
                 underscores, not starting with a digit"
            ),
        })
    }
}

/// The SQL texts, with the schema's name in them.
struct Sql {
    get: String,
    page_from: String,
    page_from_to: String,
    page_after: String,
    page_after_to: String,
    claim: String,
    delete: String,
    upsert: String,
    log_last: String,
    log_batch: String,
    log_after: String,
    log_insert: String,
}

impl Sql {
    fn new(schema: &str) -> Self {
        let t = format!("\"{schema}\".records");
        let page = |lower: &str, upper: bool| {
            format!(
                "SELECT k, v FROM {t} WHERE k {lower} $1{} ORDER BY k LIMIT $2",
                if upper { " AND k < $3" } else { "" }
            )
        };
        Self {
            get: format!("SELECT v FROM {t} WHERE k = $1"),
            page_from: page(">=", false),
            page_from_to: page(">=", true),
            page_after: page(">", false),
            page_after_to: page(">", true),
            claim: format!(
                "UPDATE \"{schema}\".writer SET writes = writes + 1 WHERE owner = $1::text::uuid RETURNING writes"
            ),
            delete: format!("DELETE FROM {t} WHERE k = ANY($1)"),
            upsert: format!(
                "INSERT INTO {t} (k, v) SELECT * FROM unnest($1::bytea[], $2::bytea[]) \
                 ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v"
            ),
            log_last: format!("SELECT last_seq FROM \"{schema}\".audit_log ORDER BY first_seq DESC LIMIT 1"),
            log_batch: format!("SELECT last_seq, frames FROM \"{schema}\".audit_log WHERE first_seq = $1"),
            log_after: format!(
                "SELECT first_seq, last_seq, frames FROM \"{schema}\".audit_log WHERE first_seq > $1 \
                 ORDER BY first_seq LIMIT $2"
            ),
            log_insert: format!(
                "INSERT INTO \"{schema}\".audit_log (first_seq, last_seq, frames) \
                 SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[]) \
                 WHERE coalesce((SELECT last_seq FROM \"{schema}\".audit_log ORDER BY first_seq DESC LIMIT 1), 0) = $4"
            ),
        }
    }
}

/// The migrations, in order: `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`.
fn migrations(schema: &str) -> [String; SCHEMA_VERSION as usize] {
    [
        format!(
            "CREATE TABLE \"{schema}\".records (k bytea PRIMARY KEY, v bytea NOT NULL);
         CREATE TABLE \"{schema}\".writer (
             one boolean PRIMARY KEY DEFAULT true CHECK (one),
             owner uuid NOT NULL,
             since timestamptz NOT NULL,
             writes bigint NOT NULL
         );
         INSERT INTO \"{schema}\".writer VALUES (true, gen_random_uuid(), now(), 0);"
        ),
        // Version 2: the copy of the engine's audit log, one row per group commit (see `Store::apply_logged`).
        format!(
            "CREATE TABLE \"{schema}\".audit_log (
                 first_seq bigint PRIMARY KEY CHECK (first_seq > 0),
                 last_seq bigint NOT NULL CHECK (last_seq >= first_seq),
                 frames bytea NOT NULL
             );"
        ),
        // Version 3: the standbys waiting for the schema (see `postgres_standby.rs`).
        crate::postgres_standby::migration(schema),
        // Version 4: where the serving coffred takes its standbys' relayed connections (`PgOptions::relay`).
        format!("ALTER TABLE \"{schema}\".writer ADD COLUMN relay text;"),
        // Version 5: whether each standby relays its clients (for the status).
        format!("ALTER TABLE \"{schema}\".standby ADD COLUMN relays boolean NOT NULL DEFAULT false;"),
    ]
}

/// The writer's connection, which holds the advisory lock.
struct Writer {
    client: Option<Client>,
    /// The last event in the copy of the audit log, as this store's last commit left it: known, a write checks
    /// nothing in the database before appending the next group commit (its primary key still refuses a second
    /// one from the same event). Forgotten on any failure, when the commit's outcome may be unknown.
    log_last: Option<u64>,
}

/// A [`Store`] in a PostgreSQL schema.
pub struct PgStore {
    rt: Option<tokio::runtime::Runtime>,
    pub(crate) pool: Pool,
    writer: Arc<tokio::sync::Mutex<Writer>>,
    config: tokio_postgres::Config,
    connector: Connector,
    sql: Arc<Sql>,
    pub(crate) schema: String,
    /// This store's claim on the schema (`writer.owner`).
    owner: Arc<str>,
    /// Set when a write found the schema taken over by another coffred (see [`Store::taken_over`]).
    taken_over: std::sync::atomic::AtomicBool,
    timeout: Duration,
    place: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").field("place", &self.place).finish_non_exhaustive()
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // Let go of the schema now, so that a coffred started right after this one (or this vault reopened) finds
        // it free, rather than when the server notices the connection is gone. Bounded: a database out of reach
        // releases the lock with the connection anyway.
        let writer = self.writer.clone();
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        if let Some(rt) = &self.rt {
            rt.spawn(async move {
                if let Some(client) = writer.lock().await.client.take() {
                    let _ = client.batch_execute("SELECT pg_advisory_unlock_all()").await;
                }
                let _ = tx.send(());
            });
            let _ = rx.recv_timeout(Duration::from_secs(2));
        }
        // The store may be dropped on an async task: a runtime must not be dropped there while it blocks.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl PgStore {
    /// Connects, takes the schema for this process (refused if another coffred holds it), creates or migrates the
    /// tables, and claims the writer row.
    pub fn open(options: &PgOptions) -> Result<Self> {
        let mut config = options.client_config()?;
        let connector = Connector::new(options, &mut config)?;
        let place = describe(&config, &options.schema);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("coffre-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Unavailable { op: "start the database client", detail: e.to_string() })?;
        let manager = connector.manager(config.clone(), ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(options.readers.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(options.timeout))
            .create_timeout(Some(options.timeout))
            .recycle_timeout(Some(options.timeout))
            .build()
            .map_err(|e| StoreError::Config { problem: format!("cannot set up the connection pool: {e}") })?;
        let mut store = Self {
            rt: Some(rt),
            pool,
            writer: Arc::new(tokio::sync::Mutex::new(Writer { client: None, log_last: None })),
            config,
            connector,
            sql: Arc::new(Sql::new(&options.schema)),
            schema: options.schema.clone(),
            owner: Arc::from(""),
            taken_over: std::sync::atomic::AtomicBool::new(false),
            timeout: options.timeout,
            place,
        };
        let (config, connector, schema, place, writer, relay) = (
            store.config.clone(),
            store.connector.clone(),
            store.schema.clone(),
            store.place.clone(),
            store.writer.clone(),
            options.relay.clone(),
        );
        let owner = store.run("open", async move {
            let client = connect_writer(&config, &connector, &schema, &place).await?;
            migrate(&client, &schema, &place).await?;
            let row = client
                .query_one(
                    &format!(
                        "UPDATE \"{schema}\".writer SET owner = gen_random_uuid(), since = now(), relay = $1 \
                         RETURNING owner::text"
                    ),
                    &[&relay],
                )
                .await
                .map_err(db_error("claim the schema"))?;
            writer.lock().await.client = Some(client);
            row.try_get::<_, String>(0).map_err(decode_error("claim the schema"))
        })?;
        store.owner = Arc::from(owner);
        Ok(store)
    }

    /// Reads the record `key` without taking the schema, on a connection of its own: what a standby coffred reads
    /// while another coffred holds the schema (the seal header, to check an owner's passphrase). `None` when the
    /// schema, its tables or the record do not exist. Blocking: not to be called from an async task.
    pub fn read_one(options: &PgOptions, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let (schema, key) = (options.schema.clone(), key.to_vec());
        one_shot(options, "read a record", move |client| async move {
            if !table_exists(&client, &schema, "records").await? {
                return Ok(None);
            }
            let row = client
                .query_opt(&format!("SELECT v FROM \"{schema}\".records WHERE k = $1"), &[&key])
                .await
                .map_err(db_error("read a record"))?;
            row.map(|row| row.try_get(0).map_err(decode_error("read a record"))).transpose()
        })
    }

    /// Where the store is, for messages: host, database and schema, never a password.
    pub fn place(&self) -> &str {
        &self.place
    }

    /// Runs `fut` on the store's runtime and waits for it, for at most the configured time.
    pub(crate) fn run<T: Send + 'static>(
        &self,
        op: &'static str,
        fut: impl Future<Output = Result<T>> + Send + 'static,
    ) -> Result<T> {
        let Some(rt) = &self.rt else {
            return Err(StoreError::Unavailable { op, detail: "the store is closing".into() });
        };
        let timeout = self.timeout;
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.spawn(async move {
            let answer = match tokio::time::timeout(timeout, fut).await {
                Ok(answer) => answer,
                Err(_) => {
                    Err(StoreError::Unavailable { op, detail: format!("no answer within {} s", timeout.as_secs_f32()) })
                }
            };
            // The caller may be gone (it never is: it waits below).
            let _ = tx.send(answer);
        });
        let wait = || {
            rx.recv()
                .unwrap_or_else(|_| Err(StoreError::Unavailable { op, detail: "the database task stopped".into() }))
        };
        // Called from a request handler on the daemon's runtime, the wait (a round trip to the database) would hold
        // one of its few worker threads: tell the runtime, so that it hands that worker's other tasks to another
        // thread meanwhile. Not possible on a current-thread runtime (tests), where the wait simply blocks.
        match tokio::runtime::Handle::try_current() {
            Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(wait)
            }
            _ => wait(),
        }
    }

    /// One page of a scan: pairs from `from` (inclusive or not) up to `to` (exclusive).
    fn page(&self, from: Vec<u8>, inclusive: bool, to: Option<Vec<u8>>) -> Result<Vec<Pair>> {
        let (pool, sql) = (self.pool.clone(), self.sql.clone());
        self.run("scan", async move {
            let client = pool.get().await.map_err(pool_error("scan"))?;
            let rows = match (inclusive, &to) {
                (true, None) => client.query(&sql.page_from, &[&from, &PAGE]).await,
                (true, Some(to)) => client.query(&sql.page_from_to, &[&from, &PAGE, to]).await,
                (false, None) => client.query(&sql.page_after, &[&from, &PAGE]).await,
                (false, Some(to)) => client.query(&sql.page_after_to, &[&from, &PAGE, to]).await,
            }
            .map_err(db_error("scan"))?;
            rows.into_iter()
                .map(|row| {
                    Ok((row.try_get(0).map_err(decode_error("scan"))?, row.try_get(1).map_err(decode_error("scan"))?))
                })
                .collect()
        })
    }
}

/// Host(s), database and schema, for messages.
fn describe(config: &tokio_postgres::Config, schema: &str) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|host| match host {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    format!(
        "PostgreSQL {}/{}, schema {schema}",
        if hosts.is_empty() { "localhost".to_string() } else { hosts.join(",") },
        config.get_dbname().unwrap_or("(the user's database)")
    )
}

/// Opens the writer's connection, takes the schema's advisory lock on it and turns synchronous commit on.
async fn connect_writer(
    config: &tokio_postgres::Config,
    connector: &Connector,
    schema: &str,
    place: &str,
) -> Result<Client> {
    // When the connection ends, the client reports itself closed and the next write reconnects.
    let client = connector.connect(config).await.map_err(db_error("connect"))?;
    let locked: bool = client
        .query_one("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", &[&format!("coffre-store/{schema}")])
        .await
        .map_err(db_error("lock the schema"))?
        .try_get(0)
        .map_err(decode_error("lock the schema"))?;
    if !locked {
        return Err(StoreError::InUse { place: place.to_string() });
    }
    client.batch_execute("SET synchronous_commit = on").await.map_err(db_error("set synchronous commit"))?;
    Ok(client)
}

/// Creates the schema and its tables, or brings them to [`SCHEMA_VERSION`]; refuses a newer schema.
async fn migrate(client: &Client, schema: &str, place: &str) -> Result<()> {
    client
        .batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS \"{schema}\";
             CREATE TABLE IF NOT EXISTS \"{schema}\".schema_version (
                 version integer PRIMARY KEY,
                 applied timestamptz NOT NULL DEFAULT now()
             );"
        ))
        .await
        .map_err(db_error("create the schema"))?;
    let found: i32 = client
        .query_one(&format!("SELECT coalesce(max(version), 0) FROM \"{schema}\".schema_version"), &[])
        .await
        .map_err(db_error("read the schema version"))?
        .try_get(0)
        .map_err(decode_error("read the schema version"))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew { place: place.to_string(), found, known: SCHEMA_VERSION });
    }
    for (index, migration) in migrations(schema).iter().enumerate().skip(usize::try_from(found).unwrap_or(0)) {
        let version = i32::try_from(index + 1).unwrap_or(i32::MAX);
        client
            .batch_execute(&format!(
                "BEGIN; {migration} INSERT INTO \"{schema}\".schema_version (version) VALUES ({version}); COMMIT;"
            ))
            .await
            .map_err(db_error("migrate the schema"))?;
    }
    Ok(())
}

/// Group commits of the audit log's copy fetched per round trip.
const LOG_PAGE: i64 = 64;

/// A sequence number as PostgreSQL's `bigint`.
fn seq_value(seq: u64) -> Result<i64> {
    i64::try_from(seq).map_err(|_| StoreError::Database {
        op: "write the audit log's copy",
        detail: format!("event {seq} is past what a bigint holds"),
    })
}

/// A `bigint` read back as a sequence number.
fn seq_of(value: i64) -> Result<u64> {
    u64::try_from(value).map_err(|_| StoreError::Database {
        op: "read the audit log's copy",
        detail: format!("a negative sequence number ({value})"),
    })
}

/// Of the group commits `log`, those the copy of the audit log does not hold yet, checked inside the write's
/// transaction: each must follow the one before it (the first, the copy's last), and one the copy already holds
/// must be the same bytes (a retry after an answer that was lost), never other ones. Also returns the copy's last
/// event once they are added.
async fn new_group_commits<'a>(
    tx: &tokio_postgres::Transaction<'_>,
    sql: &Sql,
    place: &str,
    log: &'a [LogBatch],
) -> Result<(Vec<&'a LogBatch>, u64)> {
    let op = "write the audit log's copy";
    let mut last = match tx.query_opt(&sql.log_last, &[]).await.map_err(db_error(op))? {
        None => 0,
        Some(row) => seq_of(row.try_get(0).map_err(decode_error(op))?)?,
    };
    let mut new = Vec::with_capacity(log.len());
    for batch in log {
        if batch.first_seq <= last {
            let held = tx.query_opt(&sql.log_batch, &[&seq_value(batch.first_seq)?]).await.map_err(db_error(op))?;
            let same = match held {
                Some(row) => {
                    let held_last: i64 = row.try_get(0).map_err(decode_error(op))?;
                    let frames: Vec<u8> = row.try_get(1).map_err(decode_error(op))?;
                    seq_of(held_last)? == batch.last_seq && frames == batch.frames
                }
                None => false,
            };
            if !same {
                return Err(StoreError::LogDiffers { place: place.to_string(), seq: batch.first_seq });
            }
            continue;
        }
        if batch.first_seq != last + 1 || batch.last_seq < batch.first_seq {
            return Err(StoreError::LogGap { place: place.to_string(), last, next: batch.first_seq });
        }
        last = batch.last_seq;
        new.push(batch);
    }
    Ok((new, last))
}

/// The smallest key greater than every key that starts with `prefix`, if there is one.
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// A scan, a page at a time.
struct Scan<'a> {
    store: &'a PgStore,
    /// Where the next page starts, and whether that key is included.
    from: Vec<u8>,
    inclusive: bool,
    to: Option<Vec<u8>>,
    page: VecDeque<Pair>,
    done: bool,
}

impl Iterator for Scan<'_> {
    type Item = Result<Pair>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.page.is_empty() && !self.done {
            match self.store.page(self.from.clone(), self.inclusive, self.to.clone()) {
                Ok(page) => {
                    self.done = page.len() < usize::try_from(PAGE).unwrap_or(usize::MAX);
                    if let Some((last, _)) = page.last() {
                        self.from = last.clone();
                        self.inclusive = false;
                    }
                    self.page = page.into();
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        self.page.pop_front().map(Ok)
    }
}

impl Store for PgStore {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let (pool, sql, key) = (self.pool.clone(), self.sql.clone(), key.to_vec());
        self.run("get", async move {
            let client = pool.get().await.map_err(pool_error("get"))?;
            let row = client.query_opt(&sql.get, &[&key]).await.map_err(db_error("get"))?;
            row.map(|row| row.try_get(0).map_err(decode_error("get"))).transpose()
        })
    }

    fn scan_prefix<'a>(&'a self, prefix: &[u8]) -> Box<dyn Iterator<Item = Result<Pair>> + 'a> {
        Box::new(Scan {
            store: self,
            from: prefix.to_vec(),
            inclusive: true,
            to: prefix_end(prefix),
            page: VecDeque::new(),
            done: false,
        })
    }

    fn apply(&self, batch: Batch) -> Result<()> {
        self.apply_logged(Some(batch), &[])
    }

    fn keeps_log(&self) -> bool {
        true
    }

    fn taken_over(&self) -> bool {
        self.taken_over.load(std::sync::atomic::Ordering::Acquire)
    }

    fn standbys(&self) -> Result<Vec<StandbySeen>> {
        self.standbys_seen()
    }

    fn apply_logged(&self, batch: Option<Batch>, log: &[LogBatch]) -> Result<()> {
        // Atomic, so only each key's last operation matters.
        let mut last: BTreeMap<Vec<u8>, Option<Vec<u8>>> = BTreeMap::new();
        for op in batch.map(|batch| batch.ops).unwrap_or_default() {
            match op {
                Op::Insert(key, value) => last.insert(key, Some(value)),
                Op::Remove(key) => last.insert(key, None),
            };
        }
        let (mut removed, mut keys, mut values) = (Vec::new(), Vec::new(), Vec::new());
        for (key, value) in last {
            match value {
                Some(value) => {
                    keys.push(key);
                    values.push(value);
                }
                None => removed.push(key),
            }
        }
        let log = log.to_vec();
        let (writer, sql, owner) = (self.writer.clone(), self.sql.clone(), self.owner.clone());
        let (config, connector, schema, place) =
            (self.config.clone(), self.connector.clone(), self.schema.clone(), self.place.clone());
        let written = self.run("write", async move {
            let mut writer = writer.lock().await;
            let known = writer.log_last.take();
            if writer.client.as_ref().is_none_or(Client::is_closed) {
                // The connection (and with it the advisory lock) was lost: take it again before writing. The owner
                // check below still refuses the write if another coffred claimed the schema meanwhile.
                writer.client = None;
                writer.client = Some(connect_writer(&config, &connector, &schema, &place).await?);
            }
            let Some(client) = writer.client.as_mut() else {
                return Err(StoreError::Unavailable { op: "write", detail: "no connection".into() });
            };
            let tx = client.transaction().await.map_err(db_error("write"))?;
            // Which group commits the copy lacks: all of them when they follow the last one this store committed
            // itself; otherwise (the first write, or after a failure) checked against the copy in the transaction.
            let follows = |last: u64| {
                log.first().is_none_or(|first| first.first_seq == last + 1)
                    && log.windows(2).all(|pair| pair[0].last_seq + 1 == pair[1].first_seq)
                    && log.iter().all(|batch| batch.last_seq >= batch.first_seq)
            };
            // Where the copy ends once this commits, if known.
            let (new, last) = match known {
                Some(last) if follows(last) => (log.iter().collect(), Some(log.last().map_or(last, |b| b.last_seq))),
                _ if log.is_empty() => (Vec::new(), None),
                _ => {
                    let (new, last) = new_group_commits(&tx, &sql, &place, &log).await?;
                    (new, Some(last))
                }
            };
            let first: Vec<i64> = new.iter().map(|b| seq_value(b.first_seq)).collect::<Result<_>>()?;
            let lasts: Vec<i64> = new.iter().map(|b| seq_value(b.last_seq)).collect::<Result<_>>()?;
            let frames: Vec<&[u8]> = new.iter().map(|b| b.frames.as_slice()).collect();
            // Sent together, answered together: one round trip between BEGIN and COMMIT. If the claim fails, the
            // writes sent beside it are rolled back with the transaction. Once one statement fails, those the server
            // runs after it fail only because of it ("current transaction is aborted", which says nothing), and the
            // order they reach the server in is the order their futures are polled: the failure that says why (a
            // read-only database, say) is the first one that is not that.
            let owner: &str = &owner;
            // The new group commits are inserted only if the copy ends just before the first, as the statement reads
            // it: a database that lost transactions it had committed (a standby that was behind, promoted) no longer
            // ends where this store left it, and is not given a copy with a hole.
            let follows_end = first.first().map(|first| first - 1);
            let (claimed, inserted, deleted, upserted) = tokio::join!(
                async { tx.query_opt(&sql.claim, &[&owner]).await },
                async {
                    if new.is_empty() {
                        Ok(0)
                    } else {
                        tx.execute(&sql.log_insert, &[&first, &lasts, &frames, &follows_end]).await
                    }
                },
                async { if removed.is_empty() { Ok(0) } else { tx.execute(&sql.delete, &[&removed]).await } },
                async { if keys.is_empty() { Ok(0) } else { tx.execute(&sql.upsert, &[&keys, &values]).await } },
            );
            let mut failures = Vec::new();
            let claimed = claimed.map_err(|e| failures.push(e)).ok().flatten();
            let inserted = inserted.map_err(|e| failures.push(e)).unwrap_or(0);
            for written in [deleted, upserted] {
                if let Err(e) = written {
                    failures.push(e);
                }
            }
            let aborted = |e: &tokio_postgres::Error| {
                e.code() == Some(&tokio_postgres::error::SqlState::IN_FAILED_SQL_TRANSACTION)
            };
            if let Some(first) = failures.iter().position(|e| !aborted(e)).or((!failures.is_empty()).then_some(0)) {
                return Err(db_error("write")(failures.swap_remove(first)));
            }
            if claimed.is_none() {
                return Err(StoreError::ChangedElsewhere { place });
            }
            if inserted != new.len() as u64 {
                // The copy does not end where this store left it. Nothing is committed; the next write reads the copy
                // first (`known` was taken).
                let op = "write the audit log's copy";
                let ends = match tx.query_opt(&sql.log_last, &[]).await.map_err(db_error(op))? {
                    None => 0,
                    Some(row) => seq_of(row.try_get(0).map_err(decode_error(op))?)?,
                };
                let next = new.first().map_or(ends + 1, |batch| batch.first_seq);
                return Err(StoreError::LogGap { place, last: ends, next });
            }
            tx.commit().await.map_err(db_error("commit"))?;
            writer.log_last = last;
            Ok(())
        });
        if let Err(StoreError::InUse { .. } | StoreError::ChangedElsewhere { .. }) = &written {
            self.taken_over.store(true, std::sync::atomic::Ordering::Release);
        }
        written
    }

    fn log_last(&self) -> Result<u64> {
        let (pool, sql) = (self.pool.clone(), self.sql.clone());
        self.run("read the audit log's copy", async move {
            let client = pool.get().await.map_err(pool_error("read the audit log's copy"))?;
            let row = client.query_opt(&sql.log_last, &[]).await.map_err(db_error("read the audit log's copy"))?;
            match row {
                None => Ok(0),
                Some(row) => seq_of(row.try_get(0).map_err(decode_error("read the audit log's copy"))?),
            }
        })
    }

    fn log_after(&self, after: u64, max_bytes: usize) -> Result<Vec<LogBatch>> {
        let (pool, sql, after) = (self.pool.clone(), self.sql.clone(), seq_value(after)?);
        self.run("read the audit log's copy", async move {
            let op = "read the audit log's copy";
            let client = pool.get().await.map_err(pool_error(op))?;
            let mut found = Vec::new();
            let (mut from, mut bytes) = (after, 0usize);
            // A page at a time, until the pages hold `max_bytes`: a group commit is at most a few MiB.
            loop {
                let rows = client.query(&sql.log_after, &[&from, &LOG_PAGE]).await.map_err(db_error(op))?;
                let full = rows.len() == usize::try_from(LOG_PAGE).unwrap_or(usize::MAX);
                for row in rows {
                    let first: i64 = row.try_get(0).map_err(decode_error(op))?;
                    let last: i64 = row.try_get(1).map_err(decode_error(op))?;
                    let frames: Vec<u8> = row.try_get(2).map_err(decode_error(op))?;
                    bytes += frames.len();
                    from = first;
                    found.push(LogBatch { first_seq: seq_of(first)?, last_seq: seq_of(last)?, frames });
                    if bytes >= max_bytes {
                        return Ok(found);
                    }
                }
                if !full {
                    return Ok(found);
                }
            }
        })
    }

    fn log_batch(&self, first_seq: u64) -> Result<Option<LogBatch>> {
        let (pool, sql, first) = (self.pool.clone(), self.sql.clone(), seq_value(first_seq)?);
        self.run("read the audit log's copy", async move {
            let op = "read the audit log's copy";
            let client = pool.get().await.map_err(pool_error(op))?;
            let Some(row) = client.query_opt(&sql.log_batch, &[&first]).await.map_err(db_error(op))? else {
                return Ok(None);
            };
            let last: i64 = row.try_get(0).map_err(decode_error(op))?;
            let frames: Vec<u8> = row.try_get(1).map_err(decode_error(op))?;
            Ok(Some(LogBatch { first_seq, last_seq: seq_of(last)?, frames }))
        })
    }

    fn flush(&self) -> Result<()> {
        // Every batch was committed with synchronous_commit on: it is already durable.
        Ok(())
    }
}

/// Whether `schema` has the table `table` (a schema a coffred has not created, or created with an older version,
/// lacks some).
pub(crate) async fn table_exists(client: &Client, schema: &str, table: &str) -> Result<bool> {
    client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&format!("\"{schema}\".{table}")])
        .await
        .map_err(db_error("find a table"))?
        .try_get(0)
        .map_err(decode_error("find a table"))
}

/// Whether `schema`'s `table` has the column `column` (a schema migrated by an older coffred may not).
pub(crate) async fn column_exists(client: &Client, schema: &str, table: &str, column: &str) -> Result<bool> {
    client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns \
             WHERE table_schema = $1 AND table_name = $2 AND column_name = $3)",
            &[&schema, &table, &column],
        )
        .await
        .map_err(db_error("find a column"))?
        .try_get(0)
        .map_err(decode_error("find a column"))
}

/// Runs `work` on a connection of its own, on a runtime of its own, for at most the configured time: for a coffred
/// that does not hold the schema (a standby). Blocking.
pub(crate) fn one_shot<T, F, Fut>(options: &PgOptions, op: &'static str, work: F) -> Result<T>
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut config = options.client_config()?;
    let connector = Connector::new(options, &mut config)?;
    let timeout = options.timeout;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| StoreError::Unavailable { op: "start the database client", detail: e.to_string() })?;
    rt.block_on(async move {
        let attempt = async {
            let client = connector.connect(&config).await.map_err(db_error("connect"))?;
            work(client).await
        };
        tokio::time::timeout(timeout, attempt).await.unwrap_or_else(|_| {
            Err(StoreError::Unavailable { op, detail: format!("no answer within {} s", timeout.as_secs_f32()) })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_a_prefix_is_the_next_key_after_every_key_that_starts_with_it() {
        assert_eq!(prefix_end(b"e/"), Some(b"e0".to_vec()));
        assert_eq!(prefix_end(&[b'a', 0xff]), Some(b"b".to_vec()));
        assert_eq!(prefix_end(&[0xff, 0xff]), None);
        assert_eq!(prefix_end(b""), None);
    }

    #[test]
    fn a_schema_name_must_be_a_plain_identifier() {
        for good in ["coffre", "t_0a1b", "_x"] {
            assert!(valid_schema(good).is_ok(), "{good}");
        }
        for bad in ["", "Coffre", "1abc", "a\"; DROP TABLE x; --", "a.b", &"a".repeat(64)] {
            assert!(valid_schema(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_address_with_a_password_in_it_is_refused_and_the_password_never_shows() {
        let options = PgOptions::new("postgresql://coffre:hunter2@127.0.0.1:5432/coffre", "coffre");
        let err = options.client_config().expect_err("a password in the address");
        assert!(err.to_string().contains("PGPASSWORD"), "{err}");
        assert!(!err.to_string().contains("hunter2"), "{err}");
        let mut options = PgOptions::new("postgresql://coffre@127.0.0.1:5432/coffre", "coffre");
        options.password = Some("hunter2".into());
        assert!(!format!("{options:?}").contains("hunter2"));
        assert!(options.client_config().is_ok());
    }
}
