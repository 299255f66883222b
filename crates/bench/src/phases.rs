//! The phases that run against a live daemon: noop and reveal at each client count, list, login, unseal, idle.

use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, Result};
use coffre_proto::v1 as pb;
use hdrhistogram::Histogram;
use secrecy::ExposeSecret;

use crate::{
    Plan,
    client::{Clients, Target},
    daemon::{self, Daemon},
    load::{self, Op, Stats},
    report::Line,
    setup::{self, World},
};

/// Entries per page in the list phases (what a screen shows).
pub(crate) const LIST_PAGE: u32 = 100;

/// Clients of the list phase.
pub(crate) const LIST_CLIENTS: usize = 16;

/// Prints what the figures were measured on.
pub(crate) fn print_machine(plan: &Plan) {
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, m)| m.trim().to_owned()))
        .unwrap_or_else(|| "unknown".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|r| r.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    Line::phase("machine")
        .int("cpus", cpus as u64)
        .text("cpu", &model)
        .float("mem_gib", mem_kib as f64 / 1024.0 / 1024.0, 1)
        .text("build", if cfg!(debug_assertions) { "debug" } else { "release" })
        .text("mode", if plan.quick { "quick" } else { "full" })
        .text("store", if crate::postgres::on_postgres() { "postgres" } else { "sled" })
        .print();
}

/// Initialises the vault behind `target`, adds the entries and the members.
pub(crate) async fn build_world(plan: &Plan, target: Target, pid: Option<u32>) -> Result<World> {
    let started = Instant::now();
    let (president, president_token) = setup::init(&target).await?;
    setup::add_entries(&target, &president_token, plan.entries, 8).await?;
    let members = setup::add_members(&target, &president_token, plan.entries).await?;
    Line::phase("setup")
        .int("entries", plan.entries as u64)
        .int("members", members.len() as u64)
        .float("seconds", started.elapsed().as_secs_f64(), 1)
        .print();
    Ok(World { target, pid, president, president_token, members })
}

/// Starts a daemon in a temporary directory and runs every wanted phase against it.
pub(crate) async fn run_own(plan: &Plan, coffred: &Path, wants: &dyn Fn(&str) -> bool) -> Result<()> {
    let dir =
        tempfile::Builder::new().prefix("coffre-bench-").tempdir().context("cannot make a temporary directory")?;
    let data_dir = dir.path().join("data");
    // Two coffreds behind one address need a schema they share.
    let relayed = wants("relayed-reveal") && crate::postgres::on_postgres();
    let relay_port = relayed.then(free_port).transpose()?;
    let extra = daemon::Extra { relay_port, standby_of: None };
    let daemon = Daemon::start_with(coffred, &data_dir, "127.0.0.1:0", &extra)?;
    let target = Target { url: daemon.url.clone(), ca_pem: daemon.ca_pem.clone() };
    let mut world = build_world(plan, target, Some(daemon.pid())).await?;
    run_on(plan, &mut world, wants).await?;
    if wants("relayed-reveal") {
        if relayed {
            relayed_reveal(plan, &world, coffred, dir.path(), &data_dir).await?;
        } else {
            Line::phase("relayed-reveal").text("skipped", "postgres-only").print();
        }
    }
    if wants("idle") {
        let listen = daemon.url.trim_start_matches("https://").to_owned();
        daemon.stop()?;
        idle(coffred, &data_dir, &listen, &mut world).await?;
    }
    Ok(())
}

/// The phases that need only the API.
pub(crate) async fn run_on(plan: &Plan, world: &mut World, wants: &dyn Fn(&str) -> bool) -> Result<()> {
    if wants("noop-reveal") {
        for &clients in &plan.clients {
            noop_and_reveal(plan, world, clients).await?;
        }
    }
    if wants("list") {
        let stats = list(plan, world, LIST_CLIENTS).await?;
        let mut line = report("list", &stats);
        line.int("entries", plan.entries as u64);
        line.print();
    }
    if wants("login") {
        login(plan, world).await?;
    }
    if wants("unseal") {
        unseal(plan, world).await?;
    }
    Ok(())
}

/// One connection per client, to `targets` in turn.
async fn connections(targets: &[Target], clients: usize) -> Result<Arc<Vec<Clients>>> {
    let mut all = Vec::with_capacity(clients);
    for client in 0..clients {
        all.push(Clients::connect(&targets[client % targets.len()]).await?);
    }
    Ok(Arc::new(all))
}

/// A free loopback port, for a `[relay] listen` (which must name one).
fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Two coffreds on one schema behind one address: the serving one and a standby that relays its clients to it
/// (`[relay]`), the clients half on each. Every reveal is still served, and made durable, by the serving one; the
/// line says what the relay adds. The standby's CPU is reported beside the serving daemon's.
async fn relayed_reveal(plan: &Plan, world: &World, coffred: &Path, dir: &Path, serving_dir: &Path) -> Result<()> {
    let standby_dir = dir.join("standby");
    let listen = format!("127.0.0.1:{}", free_port()?);
    let extra = daemon::Extra { relay_port: Some(free_port()?), standby_of: Some(serving_dir.to_path_buf()) };
    let standby = Daemon::start_with(coffred, &standby_dir, &listen, &extra)?;
    let through = Target { url: standby.url.clone(), ca_pem: world.target.ca_pem.clone() };
    let targets = [world.target.clone(), through];
    let clients = if plan.clients.contains(&64) { 64 } else { plan.clients.iter().copied().max().unwrap_or(64) };
    let before = daemon::cpu_seconds(standby.pid())?;
    let stats = reveal_through(plan, world, clients, &targets).await?;
    let standby_cpu = daemon::cpu_seconds(standby.pid())? - before;
    let mut line = report("relayed-reveal", &stats);
    line.int("replicas", 2);
    if stats.ops > 0 {
        // Half the clients went through the relay.
        line.float("relay_cpu_us_per_relayed_op", standby_cpu * 1e6 / (stats.ops as f64 / 2.0), 1);
    }
    line.print();
    standby.stop()
}

pub(crate) fn report(name: &str, stats: &Stats) -> Line {
    let mut line = Line::phase(name);
    stats.describe(&mut line);
    if let Some(error) = &stats.first_error {
        eprintln!("coffre-bench: phase {name}: {} errors, the first: {error}", stats.errors);
    }
    line
}

async fn noop_and_reveal(plan: &Plan, world: &World, clients: usize) -> Result<()> {
    let noop = noop(plan, world, clients).await?;
    report("noop", &noop).print();
    let reveal = reveal(plan, world, clients).await?;
    let mut line = report("reveal", &reveal);
    line.float("ratio_to_noop", if noop.ops_per_s() > 0.0 { reveal.ops_per_s() / noop.ops_per_s() } else { 0.0 }, 2);
    line.print();
    Ok(())
}

/// The cheapest authenticated call (who am I: session check, no storage, no audit), as the members.
async fn noop(plan: &Plan, world: &World, clients: usize) -> Result<Stats> {
    let conns = connections(std::slice::from_ref(&world.target), clients).await?;
    let tokens: Vec<_> = world.members.iter().map(|m| m.token.clone()).collect();
    let op: Op = Arc::new(move |client, _| {
        let mut auth = conns[client].auth.clone();
        let request = tokens[client % tokens.len()].request(pb::WhoAmIRequest {});
        Box::pin(async move { auth.who_am_i(request).await.map(drop) })
    });
    Ok(load::run(clients, plan.warmup, plan.measure, world.pid, op).await)
}

/// Reveals of a password by the members, each of an entry its grant covers, spread over them.
pub(crate) async fn reveal(plan: &Plan, world: &World, clients: usize) -> Result<Stats> {
    reveal_through(plan, world, clients, std::slice::from_ref(&world.target)).await
}

/// [`reveal`], the clients' connections to `targets` in turn.
async fn reveal_through(plan: &Plan, world: &World, clients: usize, targets: &[Target]) -> Result<Stats> {
    anyhow::ensure!(
        !world.members.is_empty() && world.members.iter().all(|m| !m.entries.is_empty()),
        "too few entries for every member to have one to reveal: use at least {} entries",
        setup::MEMBERS
    );
    let conns = connections(targets, clients).await?;
    let tokens: Vec<_> = world.members.iter().map(|m| m.token.clone()).collect();
    let entries: Vec<Vec<String>> = world.members.iter().map(|m| m.entries.clone()).collect();
    let op: Op = Arc::new(move |client, n| {
        let member = client % tokens.len();
        let covered = &entries[member];
        // A spread over the member's entries that differs per client.
        let pick = (client as u64).wrapping_mul(7919).wrapping_add(n.wrapping_mul(104_729)) % covered.len() as u64;
        let mut service = conns[client].entries.clone();
        let request = tokens[member].request(pb::RevealRequest {
            platform: covered[pick as usize].clone(),
            field: pb::SecretField::Password as i32,
            reason: "coffre-bench: load".into(),
            version: 0,
            pending: false,
        });
        Box::pin(async move {
            let answer = service.reveal(request).await?.into_inner();
            if answer.secret.is_empty() {
                return Err(tonic::Status::internal("the daemon revealed an empty secret"));
            }
            Ok(())
        })
    });
    Ok(load::run(clients, plan.warmup, plan.measure, world.pid, op).await)
}

/// Lists entries (the first page of LIST_PAGE) as the president, from `clients` clients.
pub(crate) async fn list(plan: &Plan, world: &World, clients: usize) -> Result<Stats> {
    let conns = connections(std::slice::from_ref(&world.target), clients).await?;
    let token = world.president_token.clone();
    let op: Op = Arc::new(move |client, _| {
        let mut service = conns[client].entries.clone();
        let request = token.request(pb::ListEntriesRequest {
            include_archived: false,
            page_size: LIST_PAGE,
            page_token: String::new(),
        });
        Box::pin(async move {
            let answer = service.list_entries(request).await?.into_inner();
            if answer.entries.is_empty() {
                return Err(tonic::Status::internal("the daemon listed no entries"));
            }
            Ok(())
        })
    });
    Ok(load::run(clients, plan.warmup, plan.measure, world.pid, op).await)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Logins with the default Argon2id cost: a few one after the other (what one person waits), then a burst of
/// `plan.burst` people at once (the daemon's memory must stay bounded: Argon2 runs under a limiter).
async fn login(plan: &Plan, world: &World) -> Result<()> {
    let pid = world.pid;
    let sequential = if plan.quick { 2 } else { 5 };
    let mut people = setup::add_people(&world.target, &world.president_token, "login", sequential + plan.burst).await?;
    let mut burst = people.split_off(sequential);
    let mut clients = Clients::connect(&world.target).await?;
    let mut times = Vec::new();
    for account in &mut people {
        let started = Instant::now();
        account.login(&mut clients).await?;
        times.push(started.elapsed());
    }
    times.sort();
    Line::phase("login")
        .int("logins", times.len() as u64)
        .float("p50_ms", ms(times[times.len() / 2]), 1)
        .float("max_ms", ms(times[times.len() - 1]), 1)
        .print();

    let before = pid.map(daemon::memory).transpose()?;
    let conns = connections(std::slice::from_ref(&world.target), burst.len()).await?;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, mut account) in burst.drain(..).enumerate() {
        let mut clients = conns[i].clone();
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            account.login(&mut clients).await.map(|_| sent.elapsed())
        }));
    }
    let mut latency = load::new_histogram();
    let mut errors = 0u64;
    for task in tasks {
        match task.await {
            Ok(Ok(took)) => {
                let _ = latency.record(u64::try_from(took.as_micros()).unwrap_or(u64::MAX));
            }
            Ok(Err(err)) => {
                errors += 1;
                eprintln!("coffre-bench: a login of the burst failed: {err:#}");
            }
            Err(_) => errors += 1,
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut line = Line::phase("login-burst");
    line.int("logins", plan.burst as u64).float("seconds", seconds, 2);
    percentiles(&mut line, &latency, 1);
    line.int("errors", errors);
    if let (Some(pid), Some((rss_before, _))) = (pid, before) {
        let (_, peak) = daemon::memory(pid)?;
        line.float("rss_before_mib", mib(rss_before), 1).float("peak_rss_mib", mib(peak), 1);
    }
    line.print();
    Ok(())
}

fn percentiles(line: &mut Line, latency: &Histogram<u64>, decimals: usize) {
    for (key, q) in [("p50_ms", 0.50), ("p99_ms", 0.99)] {
        line.float(key, latency.value_at_quantile(q) as f64 / 1000.0, decimals);
    }
}

pub(crate) fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1024.0 / 1024.0
}

/// Seal then unseal with the president's passphrase, a few times: the unseal call's time, end to end.
async fn unseal(plan: &Plan, world: &mut World) -> Result<()> {
    let rounds = if plan.quick { 2 } else { 5 };
    let mut clients = Clients::connect(&world.target).await?;
    let mut times = Vec::new();
    for round in 0..rounds {
        clients.system.seal(world.president_token.request(pb::SealRequest {})).await.context("seal failed")?;
        let started = Instant::now();
        clients
            .system
            .unseal(pb::UnsealRequest { passphrase: world.president.passphrase.expose_secret().as_bytes().to_vec() })
            .await
            .context("unseal failed")?;
        times.push(started.elapsed());
        if round + 1 < rounds {
            // Sealing ended the session. (Each login needs an unused TOTP step, so a full run may wait here.)
            world.president_token = world.president.login(&mut clients).await?;
        }
    }
    times.sort();
    Line::phase("unseal")
        .int("rounds", rounds)
        .float("p50_ms", ms(times[times.len() / 2]), 1)
        .float("max_ms", ms(times[times.len() - 1]), 1)
        .print();
    Ok(())
}

/// Restarts the daemon on its data directory: time from start to answering status (sealed), and resident memory
/// once idle, sealed and then unsealed.
async fn idle(coffred: &Path, data_dir: &Path, listen: &str, world: &mut World) -> Result<()> {
    let daemon = Daemon::start(coffred, data_dir, listen)?;
    let target = Target { url: daemon.url.clone(), ca_pem: daemon.ca_pem.clone() };
    let mut clients = Clients::connect(&target).await?;
    let status = clients.system.get_status(pb::GetStatusRequest {}).await.context("status failed")?.into_inner();
    let serving = daemon.spawned.elapsed();
    anyhow::ensure!(status.state == pb::SealState::Sealed as i32, "the restarted daemon is not sealed");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (sealed_rss, _) = daemon::memory(daemon.pid())?;
    clients
        .system
        .unseal(pb::UnsealRequest { passphrase: world.president.passphrase.expose_secret().as_bytes().to_vec() })
        .await
        .context("unseal failed")?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (unsealed_rss, peak) = daemon::memory(daemon.pid())?;
    Line::phase("idle")
        .float("start_to_serving_ms", ms(serving), 1)
        .float("rss_sealed_mib", mib(sealed_rss), 1)
        .float("rss_unsealed_mib", mib(unsealed_rss), 1)
        .float("peak_rss_mib", mib(peak), 1)
        .print();
    daemon.stop()
}
