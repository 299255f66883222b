//! The command line of `coffred`: flags that override the configuration file, and subcommands.
//!
//! Every flag also reads an environment variable (clap's `env`), so precedence between those two is clap's:
//! a flag beats its variable. [`crate::config`] then puts both above the file and the defaults.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use coffre_i18n::{Lang, command_line};

/// coffred, the coffre daemon: serves one vault, over gRPC and to its web client, with TLS.
#[derive(Debug, Parser)]
#[command(name = "coffred", version, long_about = None)]
pub struct Cli {
    /// Configuration file (TOML); see deploy/coffred.example.toml. Flags and environment variables override it.
    #[arg(long, env = "COFFRE_CONFIG", value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    /// Settings given on the command line or in the environment.
    #[command(flatten)]
    pub flags: Flags,

    /// Arm a standby: ask for an owner's passphrase at start (on the terminal, or one line on standard input when
    /// it is not a terminal), check it against the vault in the database, keep it in memory while standing by, and
    /// unseal the vault with it on taking over, unless an owner sealed the vault on purpose. Never from a flag's
    /// value, the environment or a file. See docs/ha.md.
    #[arg(long)]
    pub arm: bool,

    /// What to do; serving is the default.
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// coffred's command line with its help in `lang`: the catalogue's `coffred-help-*` texts (English is clap's,
    /// from the doc comments, which the English catalogue repeats; a test checks they agree).
    pub fn command_in(lang: Lang) -> clap::Command {
        command_line::localised_command(Cli::command(), lang, "coffred-help")
    }

    /// The process's arguments, parsed; the help, the version and usage errors are printed in the language of the
    /// environment (as every line coffred prints), and the process exits then, as clap does.
    pub fn parse_localised() -> Cli {
        let lang = crate::startup::language();
        let parsed = Self::command_in(lang)
            .try_get_matches_from(std::env::args_os())
            .and_then(|matches| Cli::from_arg_matches(&matches));
        match parsed {
            Ok(cli) => cli,
            Err(err) => match command_line::usage_message(&err, lang) {
                Some(text) => {
                    eprint!("{text}");
                    std::process::exit(err.exit_code());
                }
                None => err.exit(),
            },
        }
    }
}

/// Settings that may come from flags or environment variables. `None` means "not given here".
#[derive(Clone, Debug, Default, Args)]
pub struct Flags {
    /// Data directory: the vault, its audit log and the TLS files [default: the user's data directory, e.g.
    /// ~/.local/share/coffre].
    #[arg(long, env = "COFFRE_DATA_DIR", value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    /// Address to listen on [default: 127.0.0.1:7443].
    #[arg(long, env = "COFFRE_LISTEN", value_name = "IP:PORT", global = true)]
    pub listen: Option<SocketAddr>,

    /// TLS certificate chain (PEM, server certificate first) to use instead of the daemon's own CA. Needs
    /// --tls-key.
    #[arg(long, env = "COFFRE_TLS_CERT", value_name = "PATH", global = true)]
    pub tls_cert: Option<PathBuf>,

    /// Private key (PEM) of --tls-cert.
    #[arg(long, env = "COFFRE_TLS_KEY", value_name = "PATH", global = true)]
    pub tls_key: Option<PathBuf>,

    /// Keep the vault's records in PostgreSQL at this address (postgresql://USER@HOST:PORT/DB), not in sled. No
    /// password in it: the password comes from [storage] password_file or PGPASSWORD.
    #[arg(long, env = "COFFRE_STORAGE_URL", value_name = "URL", global = true)]
    pub storage_url: Option<String>,

    /// Connect to PostgreSQL over TLS only, verifying its certificate against this CA (PEM) and the host name of
    /// the address; a server without TLS is refused. Without it the connection is not encrypted.
    #[arg(long, env = "COFFRE_STORAGE_CA_FILE", value_name = "PATH", global = true)]
    pub storage_ca_file: Option<PathBuf>,

    /// The PostgreSQL schema of the vault's tables [default: coffre]. One vault per schema.
    #[arg(long, env = "COFFRE_STORAGE_SCHEMA", value_name = "NAME", global = true)]
    pub storage_schema: Option<String>,

    /// Stand by: while another coffred holds the PostgreSQL schema, wait without serving (with [relay], relaying
    /// clients to it), and take the vault over (sealed, as after any start) once that coffred stops. See docs/ha.md.
    #[arg(long, env = "COFFRE_STANDBY", global = true)]
    pub standby: bool,
}

/// Subcommands. Without one, `coffred` serves.
#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Serve the vault (the default).
    Serve,
    /// Print the effective configuration (file, environment and flags merged) as TOML, then exit.
    ShowConfig,
    /// Restore a backup into the data directory, which must be new or empty; then exit. Start coffred on it and
    /// unseal with a passphrase or with recovery shares.
    Restore(RestoreArgs),
    /// Build a new data directory from this one's audit log alone: the store is made again from the changes the
    /// log carries, each checked, and every event is verified; then exit. This data directory is only read. For a
    /// store that is damaged or lost (see docs/recovery.md). Needs an owner's passphrase.
    RebuildStore(RebuildArgs),
    /// When the audit log itself is damaged: build a new data directory with everything before the damage (the log
    /// up to the last good event, a store rebuilt from it), keeping the rest aside byte for byte; then exit. This
    /// data directory is only read. Needs an owner's passphrase.
    Salvage(RebuildArgs),
    /// Move the vault's records from sled (DATA_DIR/db) into the PostgreSQL schema the configuration names
    /// ([storage] backend = "postgres"), offline: checked against the audit log before and after, then sled's store
    /// is renamed db.moved-to-postgres. Needs an owner's passphrase. See docs/ha.md.
    Migrate(MigrateArgs),
}

/// Options of `coffred rebuild-store` and `coffred salvage`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct RebuildArgs {
    /// The new data directory (must not exist yet)
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
    /// Read the owner's passphrase from this file (its first line) instead of asking on the terminal
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_stdin")]
    pub passphrase_file: Option<PathBuf>,
    /// Read the owner's passphrase from standard input (its first line)
    #[arg(long)]
    pub passphrase_stdin: bool,
}

/// Options of `coffred migrate`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct MigrateArgs {
    /// Read the owner's passphrase from this file (its first line) instead of asking on the terminal
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_stdin")]
    pub passphrase_file: Option<PathBuf>,
    /// Read the owner's passphrase from standard input (its first line)
    #[arg(long)]
    pub passphrase_stdin: bool,
}

/// Options of `coffred restore`.
#[derive(Clone, Debug, PartialEq, Eq, Args)]
pub struct RestoreArgs {
    /// The backup file (coffre-....age, or the file `coffre backup create` wrote)
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,
    /// An age identity file (as made by `age-keygen` or `coffre recovery keygen`) of one of the backup's
    /// recipients: a recovery holder with an age key
    #[arg(long, value_name = "KEYFILE")]
    pub identity: PathBuf,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
        Cli::command_in(Lang::FrCa).debug_assert();
    }

    /// Every command, option and placeholder of coffred has its help in the catalogue: the English text the doc
    /// comment's (so they never drift), a French one that is shown when French is chosen.
    #[test]
    fn every_command_and_option_of_coffred_has_its_help_in_french_and_in_english() {
        use coffre_i18n::{
            command_line::{help_items, untranslated},
            message,
        };
        let mut english = Cli::command();
        english.build();
        let english_items = help_items(&english, "coffred-help");
        assert!(english_items.len() > 20, "{}", english_items.len());
        let mut missing = untranslated(&english, &Cli::command_in(Lang::FrCa), "coffred-help", &["IP:PORT", "URL"]);
        for (id, item) in &english_items {
            let english = item.help().unwrap_or_default();
            if message(Lang::En, id, &[]).as_deref() != Some(english.as_str()) {
                missing.push(format!("en: {id} = {english}"));
            }
        }
        assert!(missing.is_empty(), "missing from the catalogue:\n{}", missing.join("\n"));
    }

    /// `coffred --help` and a mistyped flag read in French for a French reader, with no English word of clap's;
    /// English is clap's own.
    #[test]
    fn coffreds_help_and_usage_errors_read_in_french() {
        let help = Cli::command_in(Lang::FrCa).render_long_help().to_string();
        for french in [
            "Utilisation\u{a0}:",
            "Commandes\u{a0}:",
            "Affiche l’aide",
            "[variable d’environnement\u{a0}: COFFRE_TLS_KEY]",
        ] {
            assert!(help.contains(french), "{french} missing: {help}");
        }
        for english in ["Usage:", "Print help", "[env:", "Commands:"] {
            assert!(!help.contains(english), "{english} is English: {help}");
        }
        let restore = Cli::command_in(Lang::FrCa)
            .find_subcommand_mut("restore")
            .map(|restore| restore.render_long_help().to_string())
            .unwrap_or_default();
        assert!(restore.contains("--identity <FICHIER-CLÉ>"), "{restore}");
        let err = Cli::command_in(Lang::FrCa).try_get_matches_from(["coffred", "--bogus"]).expect_err("unknown");
        let text = command_line::usage_message(&err, Lang::FrCa).unwrap_or_default();
        assert!(text.contains("argument «\u{a0}--bogus\u{a0}» inattendu"), "{text}");
        assert!(text.contains("Utilisation\u{a0}: coffred"), "{text}");
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            Cli::command_in(Lang::En).render_long_help().to_string(),
            Cli::command().render_long_help().to_string()
        );
    }

    #[test]
    fn flat_flags_without_subcommand_parse() {
        let cli = Cli::try_parse_from(["coffred", "--data-dir", "/srv/coffre", "--listen", "127.0.0.1:40123"])
            .expect("valid command line");
        assert_eq!(cli.flags.data_dir, Some(PathBuf::from("/srv/coffre")));
        assert_eq!(cli.flags.listen, Some("127.0.0.1:40123".parse().expect("address")));
        assert_eq!(cli.command, None);
    }

    #[test]
    fn flags_also_parse_after_a_subcommand() {
        let cli = Cli::try_parse_from(["coffred", "show-config", "--listen", "[::1]:7443"]).expect("valid");
        assert_eq!(cli.command, Some(Command::ShowConfig));
        assert_eq!(cli.flags.listen, Some("[::1]:7443".parse().expect("address")));
    }

    #[test]
    fn restore_takes_a_file_an_identity_and_the_global_data_dir() {
        let cli = Cli::try_parse_from([
            "coffred",
            "restore",
            "--from",
            "b.age",
            "--identity",
            "k.txt",
            "--data-dir",
            "/srv/new",
        ])
        .expect("valid");
        assert_eq!(cli.command, Some(Command::Restore(RestoreArgs { from: "b.age".into(), identity: "k.txt".into() })));
        assert_eq!(cli.flags.data_dir, Some(PathBuf::from("/srv/new")));
        assert!(Cli::try_parse_from(["coffred", "restore", "--from", "b.age"]).is_err(), "the identity is required");
    }

    #[test]
    fn a_listen_address_must_be_ip_and_port() {
        assert!(Cli::try_parse_from(["coffred", "--listen", "localhost"]).is_err());
    }
}
