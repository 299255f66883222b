//! The standby coffreds waiting for a vault's schema (docs/ha.md, "A standby coffred"), as the serving coffred's
//! status shows them. Each standby that finds the schema held says so in the schema's `standby` table every time it
//! tries to take it (every second): its name (the machine's), whether an owner armed it, and when it was last seen,
//! by the database's clock, so that two machines' clocks never disagree about it. It takes its row away when it
//! takes the vault over or stops; the row of one that died stays, ever older, which is how the serving coffred's
//! status tells that the standby is gone. Rows not seen for a day are deleted. Nothing in the table is secret, and
//! nothing in it is one of the vault's records: it is not in the audit log, backups or the store's checks.

use crate::{
    PgOptions, PgStore, Result,
    postgres::{column_exists, one_shot, table_exists},
    postgres_errors::{db_error, decode_error, pool_error},
};

/// The table's creation: the schema's third version (see `migrations`).
pub(crate) fn migration(schema: &str) -> String {
    format!(
        "CREATE TABLE \"{schema}\".standby (
             id text PRIMARY KEY,
             name text NOT NULL,
             armed boolean NOT NULL,
             seen timestamptz NOT NULL DEFAULT now()
         );"
    )
}

/// A standby coffred, as it announces itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standby {
    /// Random, one per process: two standbys on one machine are two rows.
    pub id: String,
    /// The machine's name, for people.
    pub name: String,
    /// Whether an owner armed it with a passphrase (`coffred --standby --arm`): it unseals the vault by itself when
    /// it takes it over, unless an owner sealed it.
    pub armed: bool,
    /// Whether it relays its clients to the serving coffred now (`[relay]`, listening).
    pub relays: bool,
}

/// What a standby learns each time it says that it waits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Announced {
    /// The last event in the schema's copy of the audit log (0: empty), which the standby remembers: a copy that
    /// later ends before it lost committed transactions.
    pub copy_ends: u64,
    /// Where the coffred that holds the schema takes relayed connections (`PgOptions::relay`), if it does. As the
    /// database holds it: only ever used as an address to connect to, through which clients speak TLS with the
    /// serving coffred end to end.
    pub relay: Option<String>,
}

/// A standby coffred, as the serving one sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StandbySeen {
    /// The machine's name.
    pub name: String,
    /// Whether an owner armed it.
    pub armed: bool,
    /// Whether it said it relays its clients to the serving coffred.
    pub relays: bool,
    /// Whole seconds since it last said it waits, by the database's clock.
    pub seen_seconds_ago: u64,
}

/// The longest a name is kept (a host name is at most 253 bytes).
const NAME_MAX: usize = 253;

/// The longest relay address read (a host name of 253 bytes, a colon and a port).
const RELAY_MAX: usize = 260;

/// The most standbys listed: the status stays small whatever the table holds.
const LISTED_MAX: i64 = 32;

impl PgStore {
    /// Says, for the standby `standby`, that it waits for the schema of `options` (another coffred holds it), and
    /// returns where the schema's copy of the audit log ends now and where the serving coffred takes relayed
    /// connections. `None` when the schema has no `standby` table (no vault there yet, or one whose serving coffred
    /// is older than this one): nobody would read the row. Blocking.
    pub fn announce_standby(options: &PgOptions, standby: &Standby) -> Result<Option<Announced>> {
        let mut name = standby.name.clone();
        if name.len() > NAME_MAX {
            let end = (0..=NAME_MAX).rev().find(|&end| name.is_char_boundary(end)).unwrap_or(0);
            name.truncate(end);
        }
        let (id, armed, relays) = (standby.id.clone(), standby.armed, standby.relays);
        let schema = options.schema.clone();
        one_shot(options, "announce a standby", move |client| async move {
            if !table_exists(&client, &schema, "standby").await? {
                return Ok(None);
            }
            client
                .execute(
                    &format!(
                        "INSERT INTO \"{schema}\".standby (id, name, armed) VALUES ($1, $2, $3) \
                         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, armed = EXCLUDED.armed, seen = now()"
                    ),
                    &[&id, &name, &armed],
                )
                .await
                .map_err(db_error("announce a standby"))?;
            // A schema of version 4 (a serving coffred older than this standby) has no `relays` column yet: the
            // standby is listed there without it.
            if column_exists(&client, &schema, "standby", "relays").await? {
                client
                    .execute(&format!("UPDATE \"{schema}\".standby SET relays = $2 WHERE id = $1"), &[&id, &relays])
                    .await
                    .map_err(db_error("announce a standby"))?;
            }
            client
                .execute(&format!("DELETE FROM \"{schema}\".standby WHERE seen < now() - interval '1 day'"), &[])
                .await
                .map_err(db_error("announce a standby"))?;
            let ends = client
                .query_opt(&format!("SELECT last_seq FROM \"{schema}\".audit_log ORDER BY first_seq DESC LIMIT 1"), &[])
                .await
                .map_err(db_error("announce a standby"))?;
            let ends: i64 = match ends {
                None => 0,
                Some(row) => row.try_get(0).map_err(decode_error("announce a standby"))?,
            };
            // Through `to_jsonb`, so that a schema of version 3 (a serving coffred older than this standby), whose
            // `writer` row has no `relay` yet, reads as one without a relay rather than failing.
            let relay = client
                .query_opt(
                    &format!("SELECT left(to_jsonb(w) ->> 'relay', {RELAY_MAX}) FROM \"{schema}\".writer w LIMIT 1"),
                    &[],
                )
                .await
                .map_err(db_error("announce a standby"))?;
            let relay: Option<String> = match relay {
                None => None,
                Some(row) => row.try_get(0).map_err(decode_error("announce a standby"))?,
            };
            Ok(Some(Announced { copy_ends: u64::try_from(ends).unwrap_or(0), relay }))
        })
    }

    /// Takes the row of the standby `id` away: it took the vault over, or stops. Blocking.
    pub fn withdraw_standby(options: &PgOptions, id: &str) -> Result<()> {
        let (id, schema) = (id.to_owned(), options.schema.clone());
        one_shot(options, "withdraw a standby", move |client| async move {
            if table_exists(&client, &schema, "standby").await? {
                client
                    .execute(&format!("DELETE FROM \"{schema}\".standby WHERE id = $1"), &[&id])
                    .await
                    .map_err(db_error("withdraw a standby"))?;
            }
            Ok(())
        })
    }

    /// The standbys waiting for this store's schema (seen within the last day), by name, at most [`LISTED_MAX`].
    pub(crate) fn standbys_seen(&self) -> Result<Vec<StandbySeen>> {
        let (pool, schema) = (self.pool.clone(), self.schema.clone());
        self.run("read the standbys", async move {
            let client = pool.get().await.map_err(pool_error("read the standbys"))?;
            let rows = client
                .query(
                    &format!(
                        "SELECT left(name, 253), armed, floor(extract(epoch FROM greatest(now() - seen, interval '0')))::bigint, \
                         relays FROM \"{schema}\".standby WHERE seen >= now() - interval '1 day' ORDER BY name, id LIMIT $1"
                    ),
                    &[&LISTED_MAX],
                )
                .await
                .map_err(db_error("read the standbys"))?;
            rows.iter()
                .map(|row| {
                    let decode = decode_error("read the standbys");
                    let ago: i64 = row.try_get(2).map_err(&decode)?;
                    Ok(StandbySeen {
                        name: row.try_get(0).map_err(&decode)?,
                        armed: row.try_get(1).map_err(&decode)?,
                        seen_seconds_ago: u64::try_from(ago).unwrap_or(0),
                        relays: row.try_get(3).map_err(&decode)?,
                    })
                })
                .collect()
        })
    }
}
