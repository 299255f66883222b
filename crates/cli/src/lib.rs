//! `coffre`, the command-line client of the coffre vault.
//!
//! It only talks gRPC over TLS to the `coffred` daemon and never touches storage. The daemon's CA is pinned
//! (`coffre connect ADDRESS`, or `--ca FILE`); the session is kept in a 0600 file bound to the server it was
//! opened on; secrets are read from a file, standard input or a terminal prompt, never from a flag's value.
//!
//! Settings come from the flags, then the environment, then the configuration `coffre connect` saved:
//! `--server` / `COFFRE_SERVER`, `--ca` / `COFFRE_CA`, `COFFRE_SESSION` (the session file),
//! `COFFRE_CONFIG_DIR` (where `coffre connect` saves config.toml and ca.pem).
//!
//! # Exit codes
//!
//! | code | meaning |
//! | ---: | --- |
//! | 0 | success |
//! | 1 | other error |
//! | 2 | usage error: the command line does not make sense |
//! | 3 | the vault is sealed, uninitialised or in the wrong state (FAILED_PRECONDITION) |
//! | 4 | not logged in, session expired, or wrong name, passphrase or code (UNAUTHENTICATED) |
//! | 5 | permission denied (PERMISSION_DENIED) |
//! | 6 | not found (NOT_FOUND) |
//! | 7 | already exists (ALREADY_EXISTS) |
//! | 8 | invalid value, refused by the daemon (INVALID_ARGUMENT) or before anything was sent |
//! | 9 | daemon unreachable, TLS failure, or audit log unavailable (UNAVAILABLE) |
//! | 10 | too many attempts, or too large (RESOURCE_EXHAUSTED) |
//! | 11 | internal error in the daemon (INTERNAL) |
//! | 12 | an audit export does not verify (`coffre audit verify`) |
//!
//! # Example
//!
//! ```
//! use clap::Parser;
//!
//! let cli = coffre_cli::Cli::try_parse_from(["coffre", "status", "--json"]);
//! assert!(cli.is_ok());
//! let wrong = coffre_cli::Cli::try_parse_from(["coffre", "entry", "add"]);
//! assert!(wrong.is_err());
//! ```

#![deny(missing_docs)]

mod approvals;
mod audit;
mod auth;
mod backup;
mod client;
mod config;
mod connect;
mod entries;
mod exit;
mod generate;
mod grants;
mod guide;
pub mod help;
mod import;
mod manual;
mod output;
mod people;
mod qr;
mod recovery;
mod registry;
mod reveal;
mod rotation;
mod secrets_input;
mod session;
mod shares;
mod suggest;
mod system;
pub mod usage;
mod values;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use coffre_i18n::t;
use time::OffsetDateTime;

pub use crate::exit::{Failure, Kind};
/// The entry point of the fuzz target `import` (fuzz/): only with the `fuzzing` feature, which only fuzz/ enables.
#[cfg(any(test, feature = "fuzzing"))]
pub use crate::import::fuzzing;
use crate::{
    client::Daemon,
    config::{Env, ProcessEnv, ServerUrl, Target},
    output::human_time,
    session::Session,
};

const LONG_ABOUT: &str = "\
coffre keeps the shared passwords of your organisation in a vault run by the coffred daemon. Every time a \
password is shown, the vault records who asked and why.

First time on this computer:
  coffre connect ADDRESS      compare the fingerprint with the one coffred printed
Then:
  coffre login NAME
  coffre entry list
  coffre reveal PLATFORM --reason \"why you need it\"";

const AFTER_HELP: &str = "Run `coffre --help` for the environment variables and exit codes.";

const AFTER_LONG_HELP: &str = "\
Environment:
  COFFRE_SERVER       the daemon's address, as --server
  COFFRE_CA           the daemon's CA certificate, as --ca
  COFFRE_SESSION      the session file (default: session.json in your state directory)
  COFFRE_CONFIG_DIR   where `coffre connect` saves the address and the CA

Exit codes:
  0   success
  1   other error
  2   usage error: the command line does not make sense
  3   the vault is sealed, uninitialised or in the wrong state
  4   not logged in, session expired, or wrong name, passphrase or code
  5   permission denied
  6   not found
  7   already exists
  8   invalid value, refused by the daemon or before anything was sent
  9   daemon unreachable, TLS failure, or audit log unavailable
  10  too many attempts, or too large
  11  internal error in the daemon
  12  an audit export does not verify: changed, cut, or of another vault";

/// The command line of `coffre`.
#[derive(Parser)]
#[command(
    name = "coffre",
    version,
    about = "coffre: the shared passwords of your organisation, kept safe and accountable.",
    long_about = LONG_ABOUT,
    after_help = AFTER_HELP,
    after_long_help = AFTER_LONG_HELP,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command accepts.
#[derive(clap::Args)]
struct Global {
    /// The daemon's address, e.g. https://127.0.0.1:7443 [env: COFFRE_SERVER]
    #[arg(long, global = true, value_name = "URL", help_heading = "Global options")]
    server: Option<String>,
    /// The daemon's CA certificate (PEM) instead of the pinned one [env: COFFRE_CA]
    #[arg(long, global = true, value_name = "PATH", help_heading = "Global options")]
    ca: Option<PathBuf>,
    /// Print one JSON object instead of text, for scripts
    #[arg(long, global = true, help_heading = "Global options")]
    json: bool,
    /// The language of messages: fr (fr-CA) or en [env: COFFRE_LANG, else LANGUAGE, LC_ALL, LC_MESSAGES, LANG]
    #[arg(long, global = true, value_name = "LANG", help_heading = "Global options")]
    lang: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Pin the daemon's certificate and remember its address (once per computer)
    Connect(connect::ConnectArgs),
    /// Show the vault's state and your session (needs no login)
    Status,
    /// Create the vault, once, with its president (and optionally its leader)
    Init(system::InitArgs),
    /// Set your passphrase and second factor with the one-time enrolment code you were given
    Enroll(auth::EnrollArgs),
    /// Log in with your passphrase and your authenticator app's code
    Login(auth::LoginArgs),
    /// End your session
    Logout,
    /// Open the sealed vault with an owner's passphrase
    Unseal(system::UnsealArgs),
    /// Close the vault: the daemon forgets every key and every session ends
    Seal,
    /// Add, list, show, edit and archive entries (one account on one platform each)
    #[command(subcommand)]
    Entry(entries::EntryCommand),
    /// Show a secret of an entry; recorded in the audit log with your reason
    Reveal(reveal::RevealArgs),
    /// Change your passphrase (owners: also the one that unseals)
    Passwd(auth::PasswdArgs),
    /// Add, list, offboard people, or reset their enrolment
    #[command(subcommand)]
    Person(people::PersonCommand),
    /// Give, list and revoke access to entries, for a task and a limited time
    #[command(subcommand)]
    Grant(grants::GrantCommand),
    /// Read, export and verify the audit log
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Give your recovery share; once enough holders have, the vault opens
    Recover(recovery::RecoverArgs),
    /// Recovery shares: progress (status), a new share set (rekey), a holder's age key (keygen)
    #[command(subcommand)]
    Recovery(recovery::RecoveryCommand),
    /// Take a backup of the vault
    #[command(subcommand)]
    Backup(backup::BackupCommand),
    /// Change a password in two steps: stage a new one, then confirm it (or cancel)
    #[command(subcommand)]
    Rotate(rotation::RotateCommand),
    /// Which passwords should change, why and since when
    #[command(subcommand)]
    Rotation(rotation::RotationCommand),
    /// Make a strong password or passphrase on this computer (no daemon needed)
    Generate(generate::GenerateArgs),
    /// Ask for, list, approve or deny the one-time reveal of a very confidential entry
    #[command(subcommand)]
    Approval(approvals::ApprovalCommand),
    /// Print a guide in your language: `coffre guide recovery` for the recovery holders (print it)
    Guide(guide::GuideArgs),
    /// Bring in the accounts of a spreadsheet, Bitwarden, KeePass, 1Password or pass (--dry-run first)
    Import(import::ImportArgs),
    /// The register of official accounts, without secrets: export it as CSV, JSON or HTML
    #[command(subcommand)]
    Registry(registry::RegistryCommand),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell
    Completions(manual::CompletionsArgs),
    /// Print the manual page (roff): `coffre man > coffre.1`
    Man,
}

/// Runs the command `cli` describes.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    let ctx = Context { global: cli.global, env: Box::new(ProcessEnv) };
    coffre_i18n::set_current(ctx.lang());
    match &cli.command {
        Command::Connect(args) => connect::run(args, &ctx).await,
        Command::Status => system::status(&ctx).await,
        Command::Init(args) => system::init(args, &ctx).await,
        Command::Enroll(args) => auth::enroll(args, &ctx).await,
        Command::Login(args) => auth::login(args, &ctx).await,
        Command::Logout => auth::logout(&ctx).await,
        Command::Unseal(args) => system::unseal(args, &ctx).await,
        Command::Seal => system::seal(&ctx).await,
        Command::Entry(command) => entries::run(command, &ctx).await,
        Command::Reveal(args) => reveal::run(args, &ctx).await,
        Command::Passwd(args) => auth::passwd(args, &ctx).await,
        Command::Person(command) => people::run(command, &ctx).await,
        Command::Grant(command) => grants::run(command, &ctx).await,
        Command::Audit(command) => audit::run(command, &ctx).await,
        Command::Recover(args) => recovery::recover(args, &ctx).await,
        Command::Recovery(command) => recovery::run(command, &ctx).await,
        Command::Backup(command) => backup::run(command, &ctx).await,
        Command::Rotate(command) => rotation::run(command, &ctx).await,
        Command::Rotation(command) => rotation::run_rotation(command, &ctx).await,
        Command::Generate(args) => generate::run(args, &ctx),
        Command::Approval(command) => approvals::run(command, &ctx).await,
        Command::Guide(args) => guide::run(args, &ctx),
        Command::Import(args) => import::run(args, &ctx).await,
        Command::Registry(command) => registry::run(command, &ctx).await,
        Command::Completions(args) => manual::completions(args),
        Command::Man => manual::man(),
    }
}

/// What every command needs: the global options and the environment.
pub(crate) struct Context {
    global: Global,
    env: Box<dyn Env>,
}

impl Context {
    /// The language people read: `--lang`, then `COFFRE_LANG`, `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`.
    pub(crate) fn lang(&self) -> coffre_i18n::Lang {
        coffre_i18n::Lang::choose(self.global.lang.as_deref(), |name| {
            self.env.var(name).and_then(|value| value.into_string().ok())
        })
    }

    pub(crate) fn json(&self) -> bool {
        self.global.json
    }

    pub(crate) fn env(&self) -> &dyn Env {
        self.env.as_ref()
    }

    /// A CA given explicitly, with `--ca` or `COFFRE_CA`.
    pub(crate) fn explicit_ca(&self) -> Option<PathBuf> {
        self.global.ca.clone().or_else(|| self.env.var("COFFRE_CA").map(PathBuf::from))
    }

    /// The daemon to talk to and the CA to trust.
    pub(crate) fn target(&self) -> Result<Target, Failure> {
        config::resolve(self.global.server.as_deref(), self.global.ca.as_deref(), self.env())
    }

    pub(crate) fn session_path(&self) -> Option<PathBuf> {
        session::session_path(self.env())
    }

    /// The session file, or an error saying how to choose one.
    pub(crate) fn required_session_path(&self) -> Result<PathBuf, Failure> {
        self.session_path().ok_or_else(|| Failure::other(t!("session-no-home")))
    }

    /// The saved session for `server`, if any (expired or not).
    pub(crate) fn saved_session(&self, server: &ServerUrl) -> Result<Option<Session>, Failure> {
        match self.session_path() {
            Some(path) => session::load(&path, server.as_str()),
            None => Ok(None),
        }
    }

    /// Connects without presenting a session (status, init, unseal, login, enroll).
    pub(crate) async fn daemon(&self) -> Result<Daemon, Failure> {
        let target = self.target()?;
        Daemon::connect(&target, None).await
    }

    /// Connects with the saved session; refuses before connecting when there is none or it has expired.
    pub(crate) async fn daemon_with_session(&self) -> Result<Daemon, Failure> {
        let target = self.target()?;
        let session = require_live(self.saved_session(&target.server)?, &target.server, OffsetDateTime::now_utc())?;
        Daemon::connect(&target, Some(session)).await
    }
}

/// A session that can be sent, or the reason there is none and what to do.
fn require_live(session: Option<Session>, server: &ServerUrl, now: OffsetDateTime) -> Result<Session, Failure> {
    match session {
        None => Err(Failure::new(Kind::Auth, t!("session-none", server = server.as_str()))),
        Some(session) if session.is_expired(now) => Err(Failure::new(
            Kind::Auth,
            t!("session-ended", name = session.name.as_str(), time = human_time(Some(session.expires))),
        )),
        Some(session) => Ok(session),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::session::Token;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_are_accepted_after_the_subcommand() {
        let parsed = Cli::try_parse_from(["coffre", "entry", "list", "--json", "--server", "https://h:1"]);
        assert!(parsed.is_ok_and(|cli| cli.global.json && cli.global.server.as_deref() == Some("https://h:1")));
    }

    #[test]
    fn secrets_are_never_flag_values() {
        for args in [
            &["coffre", "login", "alice", "--passphrase", "x"][..],
            &["coffre", "passwd", "--new-passphrase", "x"],
            &["coffre", "entry", "add", "X", "--category", "other", "--login", "l", "--password", "x"],
            &["coffre", "rotate", "stage", "X", "--password", "x"],
        ] {
            assert!(Cli::try_parse_from(args).is_err(), "{args:?}");
        }
    }

    #[test]
    fn sessions_that_cannot_be_used_say_what_to_do() -> Result<(), Failure> {
        let server = ServerUrl::parse("https://h:1")?;
        let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(1);
        let err = require_live(None, &server, now).err();
        assert_eq!(err.as_ref().map(Failure::message), Some("not logged in to https://h:1: run `coffre login NAME`"));
        assert_eq!(err.map(|e| e.exit_code()), Some(4));
        let expired = Session {
            server: server.as_str().to_owned(),
            name: "alice".into(),
            role: "president".into(),
            expires: OffsetDateTime::UNIX_EPOCH,
            token: Token::new("t".into()),
        };
        let err = require_live(Some(expired), &server, now).err();
        let message = err.as_ref().map(Failure::message).unwrap_or_default();
        let ended = human_time(Some(OffsetDateTime::UNIX_EPOCH));
        assert_eq!(message, format!("your session as alice ended at {ended}: run `coffre login alice`"));
        Ok(())
    }
}
