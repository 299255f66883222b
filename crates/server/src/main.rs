//! `coffred`: the coffre daemon. Reads its configuration, disables core dumps, opens the vault, and serves until
//! SIGTERM or SIGINT, letting requests in flight finish. Under systemd (`Type=notify`, deploy/coffred.service) it
//! says when it is ready and when it stops.

use std::{
    io::{IsTerminal as _, Write as _},
    process::ExitCode,
};

use anyhow::Context as _;
use clap::Parser as _;
use coffre_server::{
    Daemon, ServerConfig,
    cli::{Cli, Command},
    hardening,
};
use tokio::signal::unix::{SignalKind, signal};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Logs go to stderr, filtered by COFFRE_LOG (e.g. "info", "coffre_server=debug"); stdout is for the startup
    // lines. Request and response bodies are never logged.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(EnvFilter::try_from_env("COFFRE_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    hardening::disable_core_dumps();
    hardening::private_files();

    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
        .and_then(|runtime| runtime.block_on(run(cli)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // The whole chain, once, on one line: "cannot open the vault in DIR: storage failure: ...".
            eprintln!("coffred: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = ServerConfig::load(&cli)?;
    match &cli.command {
        Some(Command::ShowConfig) => {
            print!("{}", config.to_toml().context("cannot show the configuration")?);
            return Ok(());
        }
        Some(Command::Restore(args)) => {
            let lang = coffre_server::startup::language();
            print!("{}", coffre_server::restore::run(args, &config, lang)?);
            return Ok(());
        }
        Some(Command::RebuildStore(args)) => {
            let lang = coffre_server::startup::language();
            print!("{}", coffre_server::rebuild::run(args, &config.data_dir, lang).await?);
            return Ok(());
        }
        Some(Command::Migrate(args)) => {
            let lang = coffre_server::startup::language();
            print!("{}", coffre_server::rebuild::migrate(args, &config, lang).await?);
            return Ok(());
        }
        Some(Command::Salvage(args)) => {
            let lang = coffre_server::startup::language();
            print!("{}", coffre_server::rebuild::salvage(args, &config.data_dir, lang).await?);
            return Ok(());
        }
        Some(Command::Serve) | None => {}
    }

    let daemon = Daemon::open(config)?;
    let listen = daemon.config().listen;
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr().context("the listener has no local address")?;
    // Registered before the startup lines, so that a SIGTERM sent as soon as they appear already shuts down
    // gracefully.
    let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;

    let lang = coffre_server::startup::language();
    let startup = coffre_server::startup::Startup {
        test_clock: daemon.config().test_clock_file.as_deref(),
        data_dir: &daemon.config().data_dir,
        ca_path: daemon.tls().ca_path(),
        ca_fingerprint: daemon.tls().ca_fingerprint(),
        listening: addr,
    };
    let mut out = std::io::stdout().lock();
    out.write_all(startup.lines(lang).as_bytes())?;
    out.flush()?;
    drop(out);
    tell_systemd(sd_notify::NotifyState::Ready);

    daemon
        .serve(listener, async move {
            tokio::select! {
                _ = terminate.recv() => {}
                _ = interrupt.recv() => {}
            }
            tell_systemd(sd_notify::NotifyState::Stopping);
        })
        .await
}

/// Tells the service manager a change of state (sd_notify(3)): `READY=1` once the daemon listens, so that units
/// ordered after coffred.service start only then, and `STOPPING=1` when a shutdown begins. Without
/// `NOTIFY_SOCKET` in the environment (not started by systemd, or not `Type=notify`) this does nothing. A failure
/// is only logged: systemd then times the start out, which is visible, while the daemon itself is sound.
fn tell_systemd(state: sd_notify::NotifyState<'_>) {
    if let Err(err) = sd_notify::notify(&[state]) {
        tracing::warn!(error = %err, "cannot notify systemd (NOTIFY_SOCKET) of the daemon's state");
    }
}
