//! The abandoned-work phase: wrong logins and unseals that their clients give up on at once, each from its own
//! loopback address (so that the per-address back-off does not refuse them before any work), against a daemon of
//! its own. What it prints is the daemon's peak memory: each Argon2id computation takes its cost in memory (64 MiB by
//! default), and the daemon must bound how many run at once even when nobody waits for the answers.

use std::{
    net::{IpAddr, Ipv4Addr},
    path::Path,
    time::{Duration, Instant},
};

use anyhow::{Context, Result};
use coffre_proto::v1 as pb;
use secrecy::ExposeSecret;

use crate::{
    client::{Clients, Target},
    daemon::{self, Daemon},
    phases::mib,
    report::Line,
    setup,
};

/// How long a client waits before giving up on its request: long enough for the request to reach the daemon.
const GIVE_UP_AFTER: Duration = Duration::from_millis(50);

/// The loopback address of the `i`th abandoning client: 127.0.1.1 and up (the president uses 127.0.0.1).
fn address(i: usize) -> IpAddr {
    let i = u32::try_from(i).unwrap_or(u32::MAX).min(250 * 250);
    IpAddr::V4(Ipv4Addr::new(127, 0, 1 + (i / 250) as u8, 1 + (i % 250) as u8))
}

/// Starts a daemon of its own, abandons `logins` wrong logins then (sealed) `unseals` wrong unseals, and prints the
/// daemon's resident memory before and its peak after each wave.
pub(crate) async fn run(coffred: &Path, logins: usize, unseals: usize) -> Result<()> {
    let dir =
        tempfile::Builder::new().prefix("coffre-bench-").tempdir().context("cannot make a temporary directory")?;
    let daemon = Daemon::start(coffred, &dir.path().join("data"), "127.0.0.1:0")?;
    let target = Target { url: daemon.url.clone(), ca_pem: daemon.ca_pem.clone() };
    let (mut president, token) = setup::init(&target).await?;
    let pid = daemon.pid();
    settle(pid).await?;
    let (rss_before, _) = daemon::memory(pid)?;

    let started = Instant::now();
    let login_clients = connect_from_many(&target, logins).await?;
    abandon(login_clients, |mut clients| async move {
        clients
            .auth
            .login(pb::LoginRequest {
                name: "president".into(),
                passphrase: b"not the passphrase at all".to_vec(),
                totp_code: "000000".into(),
            })
            .await
            .map(|_| ())
    })
    .await;
    settle(pid).await?;
    let (_, peak_logins) = daemon::memory(pid)?;
    let logins_took = started.elapsed();
    // The president, at an address that proved both factors, is not slowed down by the strangers' guesses.
    let mut clients = Clients::connect(&target).await?;
    let token = match president.login(&mut clients).await {
        Ok(fresh) => fresh,
        Err(err) => {
            eprintln!("coffre-bench: phase abandoned: the president could not log in after the wave: {err:#}");
            token
        }
    };

    clients.system.seal(token.request(pb::SealRequest {})).await.context("seal failed")?;
    let started = Instant::now();
    let unseal_clients = connect_from_many(&target, unseals).await?;
    abandon(unseal_clients, |mut clients| async move {
        clients.system.unseal(pb::UnsealRequest { passphrase: b"not the passphrase at all".to_vec() }).await.map(|_| ())
    })
    .await;
    settle(pid).await?;
    let (rss_after, peak_unseals) = daemon::memory(pid)?;
    let unseals_took = started.elapsed();
    let unsealed = clients
        .system
        .unseal(pb::UnsealRequest { passphrase: president.passphrase.expose_secret().as_bytes().to_vec() })
        .await
        .is_ok();

    Line::phase("abandoned")
        .int("logins", logins as u64)
        .float("logins_seconds", logins_took.as_secs_f64(), 1)
        .int("unseals", unseals as u64)
        .float("unseals_seconds", unseals_took.as_secs_f64(), 1)
        .float("rss_before_mib", mib(rss_before), 1)
        .float("peak_rss_after_logins_mib", mib(peak_logins), 1)
        .float("peak_rss_after_unseals_mib", mib(peak_unseals), 1)
        .float("rss_after_mib", mib(rss_after), 1)
        .text("owner_unseals_after", if unsealed { "yes" } else { "no" })
        .print();
    daemon.stop()
}

/// One TLS connection from each of `count` loopback addresses, made before the wave so that the requests leave
/// together.
async fn connect_from_many(target: &Target, count: usize) -> Result<Vec<Clients>> {
    let mut all = Vec::with_capacity(count);
    for i in 0..count {
        all.push(Clients::connect_from(target, Some(address(i))).await?);
    }
    Ok(all)
}

/// Sends one request on each connection at once and gives every one up after [`GIVE_UP_AFTER`], closing its
/// connection.
async fn abandon<F, Fut>(clients: Vec<Clients>, request: F)
where
    F: Fn(Clients) -> Fut,
    Fut: Future<Output = Result<(), tonic::Status>> + Send + 'static,
{
    let tasks: Vec<_> =
        clients.into_iter().map(|c| tokio::spawn(tokio::time::timeout(GIVE_UP_AFTER, request(c)))).collect();
    for task in tasks {
        let _ = task.await;
    }
}

/// Waits until the daemon has stopped working on what was abandoned: until it used less than 50 ms of CPU in half a
/// second (at most two minutes).
async fn settle(pid: u32) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut last = daemon::cpu_seconds(pid)?;
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = daemon::cpu_seconds(pid)?;
        if now - last < 0.05 {
            return Ok(());
        }
        last = now;
    }
    anyhow::bail!("the daemon was still busy two minutes after the clients gave up")
}
