//! `coffre-bench`: measures what users of coffre feel, through the real path (TLS, session check, authorisation,
//! audit event durable before the answer), and prints one `key=value` line per phase. See BENCHMARKS.md.

mod abandoned;
mod client;
mod daemon;
mod load;
mod phases;
mod postgres;
mod report;
mod scale;
mod setup;
mod verify;

use std::{path::PathBuf, process::ExitCode, time::Duration};

use anyhow::{Context, Result};
use clap::Parser;

/// coffre-bench: durable reveals per second and latency, against the transport's ceiling; unseal and login with
/// default Argon2id; offline audit verification; reveal and list at scale; the idle daemon's cost.
#[derive(Debug, Parser)]
#[command(name = "coffre-bench", version, about)]
pub(crate) struct Args {
    /// A reduced set that runs in well under a minute (a smoke test: the figures mean little).
    #[arg(long)]
    quick: bool,

    /// Phases to run, comma-separated, from: noop-reveal, list, login, unseal, idle, abandoned, audit-verify, scale,
    /// relayed-reveal (with --backend postgres: reveals at 64 clients, half through a standby that relays).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "noop-reveal,list,login,unseal,idle,abandoned,audit-verify,scale"
    )]
    phases: Vec<String>,

    /// Concurrent clients for the noop and reveal phases [default: 1,16,64,256; with --quick 1,64].
    #[arg(long, value_delimiter = ',')]
    clients: Vec<usize>,

    /// Measured seconds per load phase [default: 10; with --quick 2].
    #[arg(long)]
    seconds: Option<f64>,

    /// Entries in the main vault.
    #[arg(long, default_value_t = 1000)]
    entries: usize,

    /// People who log in at once in the login burst [default: 100; with --quick 5].
    #[arg(long)]
    burst: Option<usize>,

    /// Events in the log the offline verifier checks [default: 1,000,000; with --quick 20,000].
    #[arg(long)]
    verify_events: Option<u64>,

    /// Entries and audit events of the large vault in the scale phase [default: 100,000 and 10,000,000; with
    /// --quick 3,000 and 30,000].
    #[arg(long)]
    scale_entries: Option<usize>,

    /// Audit events of the large vault in the scale phase (see --scale-entries).
    #[arg(long)]
    scale_events: Option<u64>,

    /// The coffred to start [default: the one next to this executable].
    #[arg(long, value_name = "PATH")]
    coffred: Option<PathBuf>,

    /// Instead of starting a daemon, use this one (its vault must not be initialised yet: the bench initialises
    /// it). Phases that need the daemon's process or data directory (idle, scale) are skipped.
    #[arg(long, value_name = "URL", requires = "ca")]
    server: Option<String>,

    /// The CA certificate (PEM) of --server.
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,

    /// Where the daemons the bench starts keep their records: sled, or postgres (a throwaway cluster the bench
    /// starts itself, or the server at --storage-url).
    #[arg(long, default_value = "sled", value_name = "sled|postgres")]
    backend: String,

    /// With --backend postgres: this server instead of a cluster of the bench's own (a schema per daemon).
    #[arg(long, value_name = "URL")]
    storage_url: Option<String>,
}

/// The settings of one run, with --quick applied.
pub(crate) struct Plan {
    pub(crate) quick: bool,
    pub(crate) clients: Vec<usize>,
    pub(crate) measure: Duration,
    pub(crate) warmup: Duration,
    pub(crate) entries: usize,
    pub(crate) burst: usize,
    pub(crate) verify_events: u64,
    pub(crate) scale_entries: usize,
    pub(crate) scale_events: u64,
    pub(crate) abandoned_logins: usize,
    pub(crate) abandoned_unseals: usize,
}

impl Plan {
    fn from(args: &Args) -> Result<Plan> {
        let quick = args.quick;
        let seconds = args.seconds.unwrap_or(if quick { 2.0 } else { 10.0 });
        let measure = Duration::try_from_secs_f64(seconds)
            .ok()
            .filter(|d| !d.is_zero())
            .with_context(|| format!("--seconds {seconds}: give a positive number of seconds"))?;
        Ok(Plan {
            quick,
            clients: if !args.clients.is_empty() {
                args.clients.clone()
            } else if quick {
                vec![1, 64]
            } else {
                vec![1, 16, 64, 256]
            },
            measure,
            warmup: Duration::from_millis(if quick { 300 } else { 1000 }),
            entries: args.entries.max(7),
            burst: args.burst.unwrap_or(if quick { 5 } else { 100 }),
            verify_events: args.verify_events.unwrap_or(if quick { 20_000 } else { 1_000_000 }),
            scale_entries: args.scale_entries.unwrap_or(if quick { 3_000 } else { 100_000 }),
            scale_events: args.scale_events.unwrap_or(if quick { 30_000 } else { 10_000_000 }),
            abandoned_logins: if quick { 8 } else { 50 },
            abandoned_unseals: if quick { 4 } else { 30 },
        })
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("coffre-bench: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("coffre-bench: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<()> {
    let plan = Plan::from(&args)?;
    let wants = |phase: &str| args.phases.iter().any(|p| p == phase);
    for phase in &args.phases {
        let known =
            ["noop-reveal", "list", "login", "unseal", "idle", "abandoned", "audit-verify", "scale", "relayed-reveal"];
        anyhow::ensure!(known.contains(&phase.as_str()), "unknown phase {phase:?}: choose from {}", known.join(", "));
    }
    // Kept until the end: a cluster the bench started stops when it is dropped.
    let _cluster = postgres::choose(&args.backend, args.storage_url.clone())?;
    phases::print_machine(&plan);

    if ["noop-reveal", "list", "login", "unseal", "idle", "relayed-reveal"].iter().any(|p| wants(p)) {
        match (&args.server, &args.ca) {
            (Some(url), Some(ca)) => {
                let ca_pem = std::fs::read(ca).with_context(|| format!("cannot read {}", ca.display()))?;
                let target = client::Target { url: url.clone(), ca_pem };
                let mut world = phases::build_world(&plan, target, None).await?;
                phases::run_on(&plan, &mut world, &wants).await?;
                if wants("idle") {
                    report::Line::phase("idle").text("skipped", "not-our-daemon").print();
                }
                if wants("relayed-reveal") {
                    report::Line::phase("relayed-reveal").text("skipped", "not-our-daemon").print();
                }
            }
            _ => {
                let coffred = match &args.coffred {
                    Some(path) => path.clone(),
                    None => daemon::sibling_coffred()?,
                };
                phases::run_own(&plan, &coffred, &wants).await?;
            }
        }
    }
    if wants("abandoned") {
        match (&args.server, &args.coffred) {
            (Some(_), _) => report::Line::phase("abandoned").text("skipped", "not-our-daemon").print(),
            (None, coffred) => {
                let coffred = match coffred {
                    Some(path) => path.clone(),
                    None => daemon::sibling_coffred()?,
                };
                abandoned::run(&coffred, plan.abandoned_logins, plan.abandoned_unseals).await?;
            }
        }
    }
    if wants("audit-verify") {
        verify::run(&plan)?;
    }
    if wants("scale") {
        match (&args.server, &args.coffred) {
            (Some(_), _) => report::Line::phase("scale").text("skipped", "not-our-daemon").print(),
            // Its vaults are built in-process on sled.
            _ if postgres::on_postgres() => report::Line::phase("scale").text("skipped", "sled-only").print(),
            (None, coffred) => {
                let coffred = match coffred {
                    Some(path) => path.clone(),
                    None => daemon::sibling_coffred()?,
                };
                scale::run(&plan, &coffred).await?;
            }
        }
    }
    Ok(())
}
