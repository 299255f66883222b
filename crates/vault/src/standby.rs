//! A standby coffred armed with an owner's passphrase (docs/ha.md, "A standby coffred"): while another coffred
//! holds the vault's PostgreSQL schema, the standby checks the passphrase against the seal header the database
//! holds ([`check_standby_passphrase`]), keeps it in memory, and unseals the vault with it once it has taken the
//! vault over ([`Vault::unseal_armed`]) — unless an owner sealed the vault on purpose: a seal by an owner writes
//! [`SEALED_BY_OWNER`] with its event, and any unseal removes it, so a vault an owner sealed stays sealed on
//! whichever coffred serves it next, until an owner unseals it.
//!
//! Every standby, armed or not, says that it waits in the schema (`coffre_store::PgStore::announce_standby`); the
//! serving coffred reads that ([`Vault::read_standbys`], every few seconds) and its status lists them
//! ([`Vault::standbys`]), so that an operator sees whether a take-over would happen, and unsealed or not.

use coffre_crypto::{keys::Purpose, secret::Passphrase};

use std::time::Instant;

use crate::{
    Error, RequestContext, Result, StandbyStatus, StoreBackend, Vault, VaultConfig, header::SealHeader, records,
};

/// The standbys as the store last listed them, and when.
pub(crate) struct StandbysRead {
    at: Instant,
    seen: Vec<coffre_store::StandbySeen>,
}

/// Present while the vault is sealed because an owner sealed it (`coffre seal`, the web page); removed by the
/// unseal that follows. Covered by the store's digest like every record; it holds no secret.
pub(crate) const SEALED_BY_OWNER: &[u8] = b"!sealed-by-owner";

/// What an armed standby did with its passphrase once it had taken the vault over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArmedUnseal {
    /// Unsealed, as the owner's own unseal would have (audited as theirs).
    Unsealed,
    /// Left sealed: an owner had sealed the vault on purpose.
    SealedByOwner,
}

/// Checks, before a standby waits, that `passphrase` opens an owner's key slot of the vault in the database that
/// `config` names, reading its seal header without taking the schema (another coffred holds it). Blocking: it
/// connects to the database and runs Argon2 once per key slot at most. Refused: a vault that is not in PostgreSQL
/// or not initialised, a passphrase no slot opens, a header whose MAC does not hold under the key it opens.
pub fn check_standby_passphrase(config: &VaultConfig, passphrase: &Passphrase) -> Result<()> {
    let StoreBackend::Postgres(options) = &config.store else {
        return Err(Error::Internal("a standby coffred keeps the vault's records in PostgreSQL".into()));
    };
    let bytes = coffre_store::PgStore::read_one(options, records::HEADER_KEY)?.ok_or(Error::Uninitialised)?;
    let header = SealHeader::decode(&bytes)?;
    for slot in &header.slots {
        if let Ok(master) = slot.unwrap(passphrase, &header.vault_id) {
            header.check_mac(&master.subkey(Purpose::Header))?;
            return Ok(());
        }
    }
    Err(Error::WrongPassphrase)
}

/// Says, for the standby coffred `standby`, that it waits for the vault's schema in `options` (another coffred holds
/// it), for that coffred's status, and returns the last event in the database's copy of the audit log and where
/// that coffred takes relayed connections. `None` when
/// the schema has no place for it (no vault there yet, or one served by an older coffred). Blocking.
pub fn announce_standby(
    options: &coffre_store::PgOptions,
    standby: &coffre_store::Standby,
) -> Result<Option<coffre_store::Announced>> {
    Ok(coffre_store::PgStore::announce_standby(options, standby)?)
}

/// Takes back what [`announce_standby`] said for the standby `id`: it took the vault over, or stops. Blocking.
pub fn withdraw_standby(options: &coffre_store::PgOptions, id: &str) -> Result<()> {
    Ok(coffre_store::PgStore::withdraw_standby(options, id)?)
}

impl Vault {
    /// Reads the standby coffreds waiting for the store (none on sled) for [`Vault::standbys`]. Blocking: a round
    /// trip to the database. A failure (the database out of reach) keeps the last list, which then ages.
    pub fn read_standbys(&self) -> Result<()> {
        let seen = self.inner.store.standbys()?;
        *self.inner.standbys.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) =
            Some(StandbysRead { at: Instant::now(), seen });
        Ok(())
    }

    /// The standby coffreds waiting for the store, as last read, each seen as long ago as the store said plus the
    /// time since it was read.
    pub fn standbys(&self) -> Vec<StandbyStatus> {
        let read = self.inner.standbys.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(read) = read.as_ref() else { return Vec::new() };
        let since = read.at.elapsed().as_secs();
        read.seen
            .iter()
            .map(|standby| {
                let seen_seconds_ago = standby.seen_seconds_ago.saturating_add(since);
                StandbyStatus {
                    name: standby.name.clone(),
                    armed: standby.armed,
                    seen_seconds_ago,
                    relays: standby.relays && seen_seconds_ago <= StandbyStatus::SILENT_AFTER_SECONDS,
                    silent: seen_seconds_ago > StandbyStatus::SILENT_AFTER_SECONDS,
                }
            })
            .collect()
    }

    /// Whether an owner sealed the vault on purpose (and nobody has unsealed it since). Readable while sealed.
    pub fn sealed_by_owner(&self) -> Result<bool> {
        Ok(self.inner.store.get(SEALED_BY_OWNER)?.is_some())
    }

    /// Unseals the vault with a standby's armed passphrase, unless an owner sealed it on purpose. The unseal is the
    /// ordinary one (the same checks of the log and the store, the event in the owner's name), from `ctx`. The mark
    /// is looked for in the store before (no Argon2 work for a vault the store says an owner sealed) and again once
    /// the unseal has replayed what the store lacked from the log: a seal whose mark the store missed (its database
    /// out of reach at that moment, or a power cut) is in the log, and is honoured too (then audited as a denied
    /// unseal).
    pub async fn unseal_armed(&self, ctx: &RequestContext, passphrase: Passphrase) -> Result<ArmedUnseal> {
        if self.sealed_by_owner()? {
            return Ok(ArmedUnseal::SealedByOwner);
        }
        match self.unseal_unless(ctx, passphrase, true).await? {
            crate::lifecycle::UnsealEnd::SealedByOwner => Ok(ArmedUnseal::SealedByOwner),
            crate::lifecycle::UnsealEnd::Unsealed | crate::lifecycle::UnsealEnd::AlreadyUnsealed => {
                Ok(ArmedUnseal::Unsealed)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use coffre_crypto::secret::Passphrase;

    use super::ArmedUnseal;
    use crate::tests::{Setup, ctx, pass, reveal};

    /// An owner's seal is remembered through a restart, an armed standby leaves such a vault sealed, and any
    /// unseal ends it; a vault that stopped unsealed (a crash, a SIGTERM) is unsealed by the armed passphrase.
    #[tokio::test]
    async fn a_vault_an_owner_sealed_stays_sealed_for_an_armed_standby_until_an_owner_unseals_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let setup = Setup::new(dir.path()).await;
        let vault = &setup.vault;
        assert!(!vault.sealed_by_owner().expect("read"), "not sealed at all");
        vault.seal(&setup.alice).await.expect("seal");
        assert!(vault.sealed_by_owner().expect("read"));

        let config = vault.inner.config.clone();
        drop(setup);
        let clock = std::sync::Arc::new(crate::clock::ManualClock::new(std::time::SystemTime::now()));
        let vault = crate::Vault::open(config.clone(), clock.clone()).expect("open again");
        assert!(vault.sealed_by_owner().expect("read"), "remembered through a restart");
        let armed = vault.unseal_armed(&ctx(None), pass()).await.expect("armed");
        assert_eq!(armed, ArmedUnseal::SealedByOwner);
        assert!(vault.inner.unsealed().is_err(), "left sealed");

        vault.unseal(&ctx(None), pass()).await.expect("an owner unseals");
        assert!(!vault.sealed_by_owner().expect("read"), "the unseal ended it");
        drop(vault);

        // Stopped while unsealed: the armed passphrase unseals it, as the owner's own unseal.
        let vault = crate::Vault::open(config, clock).expect("open again");
        let armed = vault.unseal_armed(&ctx(None), pass()).await.expect("armed");
        assert_eq!(armed, ArmedUnseal::Unsealed);
        assert!(vault.inner.unsealed().is_ok());
    }

    /// An owner's seal whose mark the store missed (its database out of reach, and the coffred restarted before it
    /// answered again) is in the log: an armed unseal replays it from there, finds the mark, and leaves the vault
    /// sealed, the refusal audited in the owner's name; an owner's own unseal then opens it.
    #[tokio::test]
    async fn an_owners_seal_that_only_the_log_holds_keeps_an_armed_standby_from_unsealing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let setup = Setup::with_store_retry(dir.path(), std::time::Duration::ZERO).await;
        setup.faults.store_unreachable_writes.store(u64::MAX, std::sync::atomic::Ordering::Release);
        setup.vault.seal(&setup.alice).await.expect("sealing always succeeds");
        let config = setup.vault.inner.config.clone();
        drop(setup);

        let clock = std::sync::Arc::new(crate::clock::ManualClock::new(std::time::SystemTime::now()));
        let vault = crate::Vault::open(config, clock).expect("open again");
        assert!(!vault.sealed_by_owner().expect("read"), "the store missed the seal's mark");
        let armed = vault.unseal_armed(&ctx(None), pass()).await.expect("armed");
        assert_eq!(armed, ArmedUnseal::SealedByOwner, "the log holds the seal");
        assert!(vault.inner.unsealed().is_err(), "left sealed");
        assert!(vault.sealed_by_owner().expect("read"), "the unseal's replay gave the store the mark");

        vault.unseal(&ctx(None), pass()).await.expect("an owner unseals");
        let keys = vault.inner.unsealed().expect("unsealed").audit_keys.clone();
        let events = crate::audit::read_all(&vault.inner.audit, &keys).expect("events");
        let unseals: Vec<_> =
            events.iter().filter(|e| e.action == "unseal").map(|e| (e.actor.as_str(), e.outcome)).collect();
        let outcomes = &unseals[unseals.len() - 2..];
        assert_eq!(outcomes, [("Alice", crate::Outcome::Denied), ("Alice", crate::Outcome::Success)], "{unseals:?}");
        assert!(!vault.sealed_by_owner().expect("read"), "the owner's unseal ended it");
    }

    /// A coffred sealed by an owner while its database was out of reach keeps giving the database the seal's mark,
    /// sealed, until it takes it, with no unseal: a standby that takes over later finds it. An unseal tried
    /// meanwhile that fails leaves it to go on.
    #[tokio::test]
    async fn a_sealed_coffred_gives_the_database_the_seal_it_missed_once_it_answers() {
        let dir = tempfile::tempdir().expect("tempdir");
        let setup = Setup::with_store_retry(dir.path(), std::time::Duration::ZERO).await;
        let vault = &setup.vault;
        let unreachable = &setup.faults.store_unreachable_writes;
        unreachable.store(u64::MAX, std::sync::atomic::Ordering::Release);
        vault.seal(&setup.alice).await.expect("sealing always succeeds");
        vault.inner.audit.checkpoint().await;
        assert!(!vault.sealed_by_owner().expect("read"), "the database is still away");
        assert!(vault.status().store_catching_up, "the status says the store lacks a change");

        // An unseal meanwhile cannot give the store what it lacks; the change is not forgotten for it.
        vault.unseal(&ctx(None), pass()).await.expect_err("the store cannot take the replay");
        assert!(vault.inner.unsealed().is_err());
        assert!(!vault.sealed_by_owner().expect("read"));

        // The database answers again: the sealed coffred's writer gives it the change (forced here rather than
        // waited for), and the vault stays sealed.
        unreachable.store(0, std::sync::atomic::Ordering::Release);
        vault.inner.audit.checkpoint().await;
        assert!(vault.sealed_by_owner().expect("read"), "the seal's mark reached the store while sealed");
        assert!(!vault.status().store_catching_up);
        assert!(vault.inner.unsealed().is_err(), "still sealed");
        assert_eq!(vault.unseal_armed(&ctx(None), pass()).await.expect("armed"), ArmedUnseal::SealedByOwner);
        vault.unseal(&ctx(None), pass()).await.expect("an owner unseals: the store matches its log");
    }

    /// The database went away under a change, and stays away: nothing is served from the store, but an owner can
    /// still seal. The seal goes after the change the store lacks, and reaches it after that change once the
    /// database answers: the vault stays sealed, an armed standby leaves it so, and the store matches its log.
    #[tokio::test]
    async fn an_owner_seals_while_the_store_lacks_a_change_and_the_seal_reaches_it_after_that_change() {
        let dir = tempfile::tempdir().expect("tempdir");
        let setup = Setup::with_store_retry(dir.path(), std::time::Duration::ZERO).await;
        let (vault, alice) = (&setup.vault, &setup.alice);
        setup.a_change_the_store_misses().await;
        let refused = vault.reveal(alice, reveal()).await.expect_err("the store lacks a change");
        assert_eq!(refused.code(), "store-catching-up", "{refused}");
        assert_eq!(vault.whoami(alice).expect("who is logged in").name, "Alice");

        vault.seal(alice).await.expect("an owner seals while the store catches up");
        assert!(vault.inner.unsealed().is_err(), "sealed");
        assert!(vault.status().store_catching_up, "the store still lacks the change, and the seal");
        assert!(!vault.sealed_by_owner().expect("read"), "the database is still away");

        // The database answers again: the sealed coffred's writer gives it both (forced here rather than waited
        // for), in the log's order.
        setup.faults.store_unreachable_writes.store(0, std::sync::atomic::Ordering::Release);
        vault.inner.audit.checkpoint().await;
        assert!(!vault.status().store_catching_up);
        assert!(vault.sealed_by_owner().expect("read"), "the seal's mark reached the store");
        assert!(vault.inner.unsealed().is_err(), "still sealed");
        assert_eq!(vault.unseal_armed(&ctx(None), pass()).await.expect("armed"), ArmedUnseal::SealedByOwner);
        vault.unseal(&ctx(None), pass()).await.expect("an owner unseals: the store matches its log");

        let alice = setup.login_again().await;
        let nextcloud = crate::RevealParams { platform: "Nextcloud".into(), ..reveal() };
        assert_eq!(vault.reveal(&alice, nextcloud).await.expect("reveal").secret.expose_secret(), b"nc-secret");
        let keys = vault.inner.unsealed().expect("unsealed").audit_keys.clone();
        let events = crate::audit::read_all(&vault.inner.audit, &keys).expect("events");
        let done: Vec<_> = events
            .iter()
            .filter(|e| matches!(e.action.as_str(), "entry.create" | "seal") && e.outcome == crate::Outcome::Success)
            .map(|e| e.action.as_str())
            .collect();
        assert_eq!(done[done.len() - 2..], ["entry.create", "seal"], "{done:?}");
    }

    /// The passphrase is checked against the header in the database while another coffred (here, the test's own
    /// vault) holds the schema: the right one holds, a wrong one and a schema with no vault are refused.
    #[tokio::test]
    async fn a_standby_checks_an_owners_passphrase_against_the_database_while_another_holds_the_schema() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sled = crate::VaultConfig::new(dir.path().join("sled"));
        assert!(super::check_standby_passphrase(&sled, &pass()).is_err(), "a standby is for PostgreSQL");
        let Some(setup) = crate::store_tests::on_postgres(dir.path(), "standby passphrase", true).await else {
            return;
        };
        let config = setup.vault.inner.config.clone();
        let check = |config: crate::VaultConfig, pass: Passphrase| {
            std::thread::spawn(move || super::check_standby_passphrase(&config, &pass)).join().expect("thread")
        };
        check(config.clone(), pass()).expect("the owner's passphrase opens the vault");
        let wrong = Passphrase::new(b"not the passphrase".to_vec()).expect("passphrase");
        assert_eq!(check(config.clone(), wrong).expect_err("wrong").code(), "wrong-passphrase");
        let mut elsewhere = config;
        if let crate::StoreBackend::Postgres(options) = &mut elsewhere.store {
            options.schema = "no_vault_here".into();
        }
        assert_eq!(check(elsewhere, pass()).expect_err("no vault").code(), "uninitialised");
    }
}
