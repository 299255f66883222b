//! An armed standby (`coffred --standby --arm`, docs/ha.md): an owner types a passphrase once, when the standby
//! starts; it is checked against the vault in the database at once (so a mistyped one is refused then, not at the
//! take-over), kept in memory (zeroized when dropped) while the standby waits, and used for the ordinary unseal,
//! audited in that owner's name, as soon as the standby has taken the vault over — unless an owner had sealed the
//! vault on purpose, which the engine remembers (`Vault::unseal_armed`).
//!
//! Every standby, armed or not, says that it waits in the vault's schema each time it finds it held
//! ([`Announcer`]), so that the serving coffred's status lists it; it takes that back when it takes the vault over
//! or stops. It also remembers how far the database's copy of the audit log reached ([`SAW_FILE`]): a database that
//! lost committed transactions by the time the standby takes over (a database standby that was behind, promoted)
//! is refused then, rather than served without what it lost.

use std::io::IsTerminal as _;

use anyhow::Context as _;
use coffre_crypto::secret::Passphrase;
use coffre_i18n::{Lang, t_in};
use coffre_vault::{ArmedUnseal, PgOptions, RequestContext, Standby, StoreBackend};

use crate::{Daemon, ServerConfig};

/// An owner's passphrase, checked, held by a standby until it takes over.
pub struct Armed {
    passphrase: Passphrase,
}

impl std::fmt::Debug for Armed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Armed(<passphrase>)")
    }
}

/// Reads an owner's passphrase (the terminal, or standard input when it is not one) and checks it against the
/// seal header in the database, while another coffred may hold the schema. Refused, with what to do: a coffred
/// that is not a standby, a passphrase that opens no owner's key slot, a database without the vault or out of
/// reach.
pub async fn arm(config: &ServerConfig, lang: Lang) -> anyhow::Result<Armed> {
    if !config.standby() {
        anyhow::bail!(t_in!(lang, "coffred-arm-not-standby"));
    }
    let passphrase = crate::rebuild::read_passphrase(None, !std::io::stdin().is_terminal(), lang)?;
    let engine = config.vault_config()?;
    let (passphrase, checked) = tokio::task::spawn_blocking(move || {
        let checked = coffre_vault::check_standby_passphrase(&engine, &passphrase);
        (passphrase, checked)
    })
    .await
    .context("the passphrase's check stopped")?;
    if let Err(err) = checked {
        let why = crate::status::engine_message(lang, &err).unwrap_or_else(|| err.to_string());
        anyhow::bail!(t_in!(lang, "coffred-arm-refused", why = why));
    }
    Ok(Armed { passphrase })
}

impl Armed {
    /// Once this standby has taken the vault over: unseals it with the armed passphrase, unless an owner sealed it.
    /// Returns the line to print; a failure leaves the vault sealed for an owner to unseal, as after any start.
    pub async fn take_over(self, daemon: &Daemon, lang: Lang) -> String {
        let ctx = RequestContext {
            token: None,
            client_addr: "standby".into(),
            client_agent: format!("coffred/{} --standby --arm", env!("CARGO_PKG_VERSION")),
        };
        match daemon.vault().unseal_armed(&ctx, self.passphrase).await {
            Ok(ArmedUnseal::Unsealed) => {
                tracing::info!("took the vault over and unsealed it with the armed passphrase");
                t_in!(lang, "coffred-armed-unsealed")
            }
            Ok(ArmedUnseal::SealedByOwner) => {
                tracing::warn!("took the vault over; an owner had sealed it, so it stays sealed");
                t_in!(lang, "coffred-armed-left-sealed")
            }
            Err(err) => {
                tracing::error!(error = %err, "took the vault over, but the armed passphrase did not unseal it");
                let why = crate::status::engine_message(lang, &err).unwrap_or_else(|| err.to_string());
                t_in!(lang, "coffred-armed-unseal-failed", why = why)
            }
        }
    }
}

/// How a standby says, in the vault's schema, that it waits (PostgreSQL's `standby` table, read by the serving
/// coffred for its status).
pub struct Announcer {
    options: PgOptions,
    standby: Standby,
    /// Whether the last announcement failed (said once in the log, and once again when it works again).
    failing: bool,
    /// The last event the database's copy of the audit log was seen to hold, kept in [`SAW_FILE`] so that a
    /// restarted standby still knows it.
    saw: u64,
    data_dir: std::path::PathBuf,
}

/// The file in a standby's data directory that holds the last event it saw in the database's copy of the audit log
/// while it waited (a number, in decimal). Removed once the standby has taken the vault over.
pub const SAW_FILE: &str = "standby-saw";

impl Announcer {
    /// The announcer of this process, a standby armed or not. `None` when the vault is not in PostgreSQL (a standby
    /// is refused there anyway) or the configuration does not read.
    pub fn new(config: &ServerConfig, armed: bool) -> Option<Announcer> {
        let StoreBackend::Postgres(options) = config.vault_config().ok()?.store else { return None };
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).ok()?;
        let name = rustix::system::uname().nodename().to_string_lossy().into_owned();
        let data_dir = config.data_dir.clone();
        // A file that does not read as a number was not written by coffred: it counts for nothing, and is written
        // again at the next announcement.
        let saw = std::fs::read_to_string(data_dir.join(SAW_FILE))
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(0);
        Some(Announcer {
            options,
            standby: Standby { id: data_encoding::HEXLOWER.encode(&id), name, armed, relays: false },
            failing: false,
            saw,
            data_dir,
        })
    }

    /// Remembers that the database's copy of the audit log reached event `ends`, durably, when it is further than
    /// before.
    fn note_copy_end(&mut self, ends: u64) {
        if ends <= self.saw {
            return;
        }
        self.saw = ends;
        if let Err(err) = coffre_vault::write_durably(&self.data_dir, SAW_FILE, format!("{ends}\n").as_bytes()) {
            tracing::warn!(
                error = %err,
                file = %self.data_dir.join(SAW_FILE).display(),
                "cannot keep how far the database's copy of the audit log reached; a restarted standby would not know"
            );
        }
    }

    /// Checks, once this standby has opened the vault (holding its schema), that the audit log it wrote back from
    /// the database reaches `written` at least as far as the copy was seen to reach while waiting; then forgets it.
    /// Refused, in `lang`, when the database lost committed transactions meanwhile: served, the vault would lack
    /// acknowledged changes and reveals without anybody knowing.
    pub fn taking_over(&self, written: u64, lang: Lang) -> anyhow::Result<()> {
        let file = self.data_dir.join(SAW_FILE);
        if written < self.saw {
            let file = file.display().to_string();
            anyhow::bail!(t_in!(
                lang,
                "coffred-standby-copy-lost",
                ends = written.to_string(),
                saw = self.saw.to_string(),
                file = file
            ));
        }
        if let Err(err) = std::fs::remove_file(&file)
            && err.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(error = %err, file = %file.display(), "cannot remove the standby's record");
        }
        Ok(())
    }

    /// Says that this standby waits for the schema (another coffred holds it), and whether it relays its clients to
    /// the serving coffred now (`relays`, for the serving coffred's status). Returns where the serving coffred
    /// takes relayed connections (`Some(None)`: it takes none), or `None` when that could not be read this time.
    pub async fn waiting(&mut self, relays: bool) -> Option<Option<String>> {
        self.standby.relays = relays;
        let (options, standby) = (self.options.clone(), self.standby.clone());
        let said = tokio::task::spawn_blocking(move || coffre_vault::announce_standby(&options, &standby))
            .await
            .map_err(|err| err.to_string())
            .and_then(|said| said.map_err(|err| err.to_string()));
        let relay = match &said {
            Ok(Some(announced)) => {
                self.note_copy_end(announced.copy_ends);
                Some(announced.relay.clone())
            }
            // No vault in the schema yet: nobody serves it.
            Ok(None) => Some(None),
            Err(_) => None,
        };
        match said {
            Ok(_) if self.failing => {
                tracing::info!("this standby can say again that it waits, in the vault's database");
                self.failing = false;
            }
            Err(err) if !self.failing => {
                tracing::warn!(
                    error = %err,
                    "this standby cannot say that it waits in the vault's database: the serving coffred's status \
                     will not list it (it still takes the vault over when it can)"
                );
                self.failing = true;
            }
            _ => {}
        }
        relay
    }

    /// Takes this standby's row away: it took the vault over, or stops.
    pub async fn withdraw(self) {
        let Announcer { options, standby, .. } = self;
        let withdrawn =
            tokio::task::spawn_blocking(move || coffre_vault::withdraw_standby(&options, &standby.id)).await;
        if let Ok(Err(err)) = withdrawn {
            tracing::warn!(
                error = %err,
                "cannot take this standby's row away in the vault's database: the serving coffred's status lists \
                 it as not seen since, for a day"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use coffre_i18n::Lang;

    use super::{Announcer, SAW_FILE};
    use crate::{ServerConfig, config::StorageSettings};

    fn announcer(data_dir: &std::path::Path) -> Announcer {
        let mut config = ServerConfig::new(data_dir.to_path_buf());
        config.storage = StorageSettings::Postgres {
            url: "postgresql://coffre@127.0.0.1:5432/coffre".into(),
            schema: "coffre".into(),
            password_file: None,
            ca_file: None,
            retry_seconds: 1,
            standby: true,
        };
        Announcer::new(&config, false).expect("an announcer for a vault in PostgreSQL")
    }

    /// What a standby saw is kept across its restarts and checked at take-over: a log that ends before it is
    /// refused in the reader's language, naming both events and the file to remove to serve without them; one that
    /// reaches it passes, and the file goes. A file coffred did not write counts for nothing.
    #[test]
    fn a_standby_keeps_how_far_the_copy_reached_and_refuses_a_log_that_ends_before() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(SAW_FILE);
        let mut first = announcer(dir.path());
        first.note_copy_end(40);
        first.note_copy_end(12);
        assert_eq!(std::fs::read_to_string(&file).expect("kept"), "40\n", "only ever further");

        let restarted = announcer(dir.path());
        let refused = restarted.taking_over(39, Lang::En).expect_err("a log that ends before").to_string();
        assert!(refused.contains("ends at event 39") && refused.contains("reach event 40"), "{refused}");
        assert!(refused.contains(&file.display().to_string()), "{refused}");
        let refus = restarted.taking_over(0, Lang::FrCa).expect_err("a log that ends before").to_string();
        assert!(refus.contains("perdu des transactions") && refus.contains("l’événement 40"), "{refus}");
        assert!(file.exists(), "kept after a refusal");
        restarted.taking_over(40, Lang::En).expect("a log that reaches it");
        assert!(!file.exists(), "forgotten once taken over");

        std::fs::write(&file, "not a number\n").expect("written");
        announcer(dir.path()).taking_over(0, Lang::En).expect("a file coffred did not write counts for nothing");
    }
}
