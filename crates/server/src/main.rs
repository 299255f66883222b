//! `coffred`: the coffre daemon. Reads its configuration, disables core dumps, opens the vault, and serves until
//! SIGTERM or SIGINT, letting requests in flight finish. Under systemd (`Type=notify`, deploy/coffred.service) it
//! says when it is ready and when it stops.

use std::{
    io::{IsTerminal as _, Write as _},
    process::ExitCode,
};

use anyhow::Context as _;
use coffre_server::{
    Daemon, ServerConfig, StandbyWait,
    cli::{Cli, Command},
    hardening,
    standby::Announcer,
};
use tokio::signal::unix::{SignalKind, signal};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse_localised();
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
            // The whole chain, once, on one line: "cannot open the vault in DIR: storage failure: ...", in the
            // language of the environment.
            eprintln!("{}", coffre_server::startup::failure_line(&err, coffre_server::startup::language()));
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // Refused in the reader's language (COFFRE_LANG, or the locale), like every other line coffred prints.
    let config =
        ServerConfig::load(&cli).map_err(|err| anyhow::anyhow!(err.localised(coffre_server::startup::language())))?;
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

    // Registered before anything is printed, so that a SIGTERM sent as soon as a line appears (the standby's, or
    // the startup lines) already shuts down gracefully.
    let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    let lang = coffre_server::startup::language();
    let mut stop: Stop = Box::pin(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
    });
    // An armed standby asks for the passphrase before it waits, while someone is there to type it.
    let armed = if cli.arm { Some(coffre_server::standby::arm(&config, lang).await?) } else { None };
    if armed.is_some() {
        print_now(&format!("{}\n", coffre_i18n::t_in!(lang, "coffred-armed")))?;
    }
    let Some(daemon) = open(config, lang, armed.is_some(), &mut stop).await? else {
        return Ok(());
    };
    // Unsealed (or not) before it listens, so that the first client already finds it serving.
    if let Some(armed) = armed {
        print_now(&format!("{}\n", armed.take_over(&daemon, lang).await))?;
    }
    let listen = daemon.config().listen;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| coffre_i18n::t_in!(lang, "coffred-cannot-listen", address = listen.to_string()))?;
    let relay = coffre_server::bind_relay(daemon.config()).await?;
    let addr = listener.local_addr().context("the listener has no local address")?;

    let startup = coffre_server::startup::Startup {
        test_clock: daemon.config().test_clock_file.as_deref(),
        data_dir: &daemon.config().data_dir,
        ca_path: daemon.tls().ca_path(),
        ca_fingerprint: daemon.tls().ca_fingerprint(),
        listening: addr,
    };
    let lines = startup.lines(lang);
    print_now(&lines)?;
    // With its status, the last startup line (where it listens): a standby's said it was waiting.
    let listening = lines.lines().last().unwrap_or_default();
    tell_systemd(&[sd_notify::NotifyState::Ready, sd_notify::NotifyState::Status(listening)]);

    daemon
        .serve(listener, relay, async move {
            stop.await;
            tell_systemd(&[sd_notify::NotifyState::Stopping]);
        })
        .await
}

/// Completes on SIGTERM or SIGINT.
type Stop = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// Opens the daemon (blocking work, on a blocking thread). A standby (`[storage] standby`) does not give up while
/// another coffred holds the schema or the database is out of reach: it says so once (and again whenever the
/// reason changes) and tries again every second, without serving: it listens only to relay clients to the serving
/// coffred, with `[relay]`, while that one takes relayed connections (relay.rs); else a load balancer's health check
/// sends nobody to it. It
/// tells systemd it is ready as soon as it stands by (standing by is its job; a start that never ends would block
/// `systemctl start`), with the reason as its status. `None` when `stop` (SIGTERM, SIGINT) came first.
///
/// While another coffred holds the schema, a standby says so in the schema every second, for that coffred's status
/// ([`Announcer`]), and takes it back when it takes the vault over or stops.
async fn open(
    config: ServerConfig,
    lang: coffre_i18n::Lang,
    armed: bool,
    stop: &mut Stop,
) -> anyhow::Result<Option<Daemon>> {
    let standby = config.standby();
    let mut announcer = if standby { Announcer::new(&config, armed) } else { None };
    // A standby with `[relay]` relays clients to the serving coffred while it waits (relay.rs).
    let mut relay = config
        .relay
        .as_ref()
        .filter(|_| standby)
        .map(|_| coffre_server::relay::Relay::new(config.listen, config.connections.clone()));
    let mut said: Option<String> = None;
    loop {
        let attempt = config.clone();
        let err = match tokio::task::spawn_blocking(move || Daemon::open(attempt)).await? {
            Ok(daemon) => {
                // The coffred it relayed to is gone: this one serves now, on the same address.
                if let Some(relay) = relay.as_mut() {
                    relay.stop().await;
                }
                if let Some(announcer) = announcer {
                    if let Err(err) = announcer.taking_over(daemon.vault().status().audit_events, lang) {
                        // Its schema is let go at once, for a coffred that has what the database lost.
                        drop(daemon);
                        announcer.withdraw().await;
                        return Err(err);
                    }
                    announcer.withdraw().await;
                }
                return Ok(Some(daemon));
            }
            Err(err) => err,
        };
        let Some(wait) = standby.then(|| StandbyWait::of(&err)).flatten() else {
            return Err(err);
        };
        if let (StandbyWait::Held { .. }, Some(announcer)) = (&wait, announcer.as_mut()) {
            let target = announcer.waiting(relay.as_ref().is_some_and(|relay| relay.listening())).await;
            if let (Some(target), Some(relay)) = (target, relay.as_mut()) {
                relay.follow(target).await;
            }
        }
        let line = wait.line(lang);
        if said.as_ref() != Some(&line) {
            tracing::info!(reason = ?wait, "standing by");
            print_now(&format!("{line}\n"))?;
            tell_systemd(&[sd_notify::NotifyState::Ready, sd_notify::NotifyState::Status(&line)]);
            said = Some(line);
        }
        tokio::select! {
            () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
            () = stop.as_mut() => {
                if let Some(relay) = relay.as_mut() {
                    relay.stop().await;
                }
                if let Some(announcer) = announcer {
                    announcer.withdraw().await;
                }
                return Ok(None);
            }
        }
    }
}

/// Writes `text` on standard output at once (it is read line by line by whoever started coffred).
fn print_now(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Tells the service manager a change of state (sd_notify(3)): `READY=1` once the daemon listens (or a standby waits), with a `STATUS=` line, so that units
/// ordered after coffred.service start only then, and `STOPPING=1` when a shutdown begins. Without
/// `NOTIFY_SOCKET` in the environment (not started by systemd, or not `Type=notify`) this does nothing. A failure
/// is only logged: systemd then times the start out, which is visible, while the daemon itself is sound.
fn tell_systemd(states: &[sd_notify::NotifyState<'_>]) {
    if let Err(err) = sd_notify::notify(states) {
        tracing::warn!(error = %err, "cannot notify systemd (NOTIFY_SOCKET) of the daemon's state");
    }
}
