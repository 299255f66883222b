//! The scale phase: reveal and list with 1,000 entries, then with `plan.scale_entries` entries and
//! `plan.scale_events` audit events, and their ratio. The large vault is built in-process through the engine's
//! bulk path (the same checks, sealing, audit log and store as the API, one batch per chunk), then served by a real
//! coffred and measured over TLS like the other phases.

use std::{path::Path, time::Instant};

use anyhow::{Context, Result};
use coffre_crypto::{
    secret::{Passphrase, SecretBytes},
    totp::TotpSeed,
};
use coffre_proto::v1 as pb;
use coffre_vault::{
    Vault, VaultConfig,
    clock::SystemClock,
    model::{Category, Classification, InitParams, NewEntry, RequestContext, Secrets, SessionToken},
};
use secrecy::ExposeSecret;

use crate::{
    Plan,
    client::{Clients, Target},
    daemon::Daemon,
    load::Stats,
    phases::{self, LIST_CLIENTS},
    report::Line,
    setup::{self, Account, World},
};

/// Clients of the scale phase's reveal measurement.
const REVEAL_CLIENTS: usize = 64;
/// Entries and events per bulk call.
const ENTRY_CHUNK: usize = 5_000;
const EVENT_CHUNK: u64 = 100_000;

pub(crate) async fn run(plan: &Plan, coffred: &Path) -> Result<()> {
    let small = plan.scale_entries.min(1000);
    let before = one_vault(plan, coffred, small, 0).await?;
    let after = one_vault(plan, coffred, plan.scale_entries, plan.scale_events).await?;
    let slowdown = |small: &Stats, large: &Stats| {
        if large.ops_per_s() > 0.0 { small.ops_per_s() / large.ops_per_s() } else { f64::INFINITY }
    };
    Line::phase("scale")
        .int("entries", plan.scale_entries as u64)
        .float("reveal_slowdown", slowdown(&before.0, &after.0), 2)
        .float("list_slowdown", slowdown(&before.1, &after.1), 2)
        .print();
    Ok(())
}

/// Builds a vault of `entries` entries and at least `events` audit events in-process (one session, so no second
/// TOTP code is needed), then serves it and measures it.
async fn one_vault(plan: &Plan, coffred: &Path, entries: usize, events: u64) -> Result<(Stats, Stats)> {
    let dir = tempfile::Builder::new().prefix("coffre-bench-scale-").tempdir()?;
    let data_dir = dir.path().join("data");
    // COFFRE_BENCH_KEEP=1 keeps the vault and its daemon's log (DATA_DIR.log) for a look afterwards.
    let _removed_at_the_end = if std::env::var_os("COFFRE_BENCH_KEEP").is_some() {
        eprintln!("coffre-bench: the scale vault of {entries} entries is kept in {}", dir.keep().display());
        None
    } else {
        Some(dir)
    };
    let started = Instant::now();
    let president = {
        let vault = open(&data_dir)?;
        let (president, ctx) = init(&vault).await?;
        add_entries(&vault, &ctx, entries).await?;
        let mut written = vault.status().audit_events;
        while written < events {
            let chunk = EVENT_CHUNK.min(events - written);
            vault.bulk_fill_audit(&ctx, chunk).await.context("filling the audit log failed")?;
            written = vault.status().audit_events;
        }
        president
    };
    built(entries, started);
    measure(plan, coffred, &data_dir, president, entries).await
}

fn built(entries: usize, started: Instant) {
    Line::phase("scale-build")
        .int("entries", entries as u64)
        .float("seconds", started.elapsed().as_secs_f64(), 1)
        .print();
}

fn open(data_dir: &Path) -> Result<Vault> {
    Vault::open(VaultConfig::new(data_dir.to_path_buf()), std::sync::Arc::new(SystemClock))
        .context("cannot open the scale vault in-process")
}

fn bench_ctx(token: Option<SessionToken>) -> RequestContext {
    RequestContext { token, client_addr: "127.0.0.1:0".into(), client_agent: "coffre-bench".into() }
}

/// Initialises the vault in-process with the default Argon2id cost, and logs the president in.
async fn init(vault: &Vault) -> Result<(Account, RequestContext)> {
    let passphrase = setup::random_passphrase()?;
    let params =
        InitParams { president: "president".into(), passphrase: passphrase_of(&passphrase)?, leader: None, kdf: None };
    let outcome = vault.init(&bench_ctx(None), params).await.context("in-process init failed")?;
    let seed = TotpSeed::from_otpauth_uri(outcome.president_totp_uri.expose_secret())
        .context("init returned no usable TOTP")?;
    let mut president = Account { name: "president".into(), passphrase, seed, last_step: 0 };
    let ctx = login(vault, &mut president).await?;
    Ok((president, ctx))
}

fn passphrase_of(passphrase: &secrecy::SecretString) -> Result<Passphrase> {
    Passphrase::new(passphrase.expose_secret().as_bytes().to_vec()).context("the bench's passphrase was refused")
}

async fn login(vault: &Vault, account: &mut Account) -> Result<RequestContext> {
    let code = account.fresh_code().await;
    let outcome = vault
        .login(&bench_ctx(None), &account.name, passphrase_of(&account.passphrase)?, &code)
        .await
        .context("in-process login failed")?;
    Ok(bench_ctx(Some(SessionToken::new(outcome.token.expose_secret().to_owned()))))
}

/// Adds `count` entries (the same names and categories as the API setup) in bulk chunks.
async fn add_entries(vault: &Vault, ctx: &RequestContext, count: usize) -> Result<()> {
    let categories = [
        Category::SocialNetwork,
        Category::DataBank,
        Category::Creation,
        Category::Meeting,
        Category::Software,
        Category::Financial,
        Category::Other,
    ];
    let mut next = 0;
    while next < count {
        let end = (next + ENTRY_CHUNK).min(count);
        let mut chunk = Vec::with_capacity(end - next);
        for i in next..end {
            let entry = NewEntry {
                platform: setup::platform(i),
                category: categories[i % categories.len()],
                url: format!("https://example.org/{i}"),
                login: format!("account-{i}@example.org"),
                recovery_contacts: Vec::new(),
                classification: Some(Classification::Restricted),
                lifecycle: None,
                tags: vec!["bench".into()],
            };
            let password = setup::random_passphrase()?;
            let secrets = Secrets {
                password: SecretBytes::new(password.expose_secret().as_bytes().to_vec()),
                totp_seed: None,
                notes: Some(SecretBytes::new(b"recovery codes are in the safe".to_vec())),
            };
            chunk.push((entry, secrets));
        }
        vault.bulk_create_entries(ctx, chunk).await.context("bulk entry creation failed")?;
        next = end;
    }
    Ok(())
}

/// How long an owner takes to type a passphrase, at least: the pause before the second unseal of `scale-unseal`.
const OWNER_TYPING: std::time::Duration = std::time::Duration::from_secs(3);

/// An unseal by the president, end to end (Argon2, the chain check from the last signed head, and the store checked
/// against the log), in milliseconds.
async fn unseal(clients: &mut Clients, president: &Account) -> Result<f64> {
    let unsealing = Instant::now();
    clients
        .system
        .unseal(pb::UnsealRequest { passphrase: president.passphrase.expose_secret().as_bytes().to_vec() })
        .await
        .context("unseal of the scale vault failed")?;
    Ok(unsealing.elapsed().as_secs_f64() * 1000.0)
}

/// Serves the vault with a real coffred and measures reveal (64 clients) and list (16 clients) over TLS, as members
/// with category grants and as the president.
async fn measure(
    plan: &Plan,
    coffred: &Path,
    data_dir: &Path,
    mut president: Account,
    entries: usize,
) -> Result<(Stats, Stats)> {
    let starting = Instant::now();
    let daemon = Daemon::start(coffred, data_dir, "127.0.0.1:0")?;
    let start_ms = starting.elapsed().as_secs_f64() * 1000.0;
    let target = Target { url: daemon.url.clone(), ca_pem: daemon.ca_pem.clone() };
    let mut clients = Clients::connect(&target).await?;
    // At once after the start: the store's read for the check, begun at the start, is waited for.
    let unseal_ms = unseal(&mut clients, &president).await?;
    // Sealed again, then unsealed a moment later, as an owner typing a passphrase: the store was read meanwhile.
    let token = president.login(&mut clients).await?;
    clients.system.seal(token.request(pb::SealRequest {})).await.context("seal failed")?;
    tokio::time::sleep(OWNER_TYPING).await;
    let later_ms = unseal(&mut clients, &president).await?;
    Line::phase("scale-unseal")
        .int("entries", entries as u64)
        .float("start_ms", start_ms, 1)
        .float("unseal_ms", unseal_ms, 1)
        .float("unseal_after_pause_ms", later_ms, 1)
        .int("pause_ms", OWNER_TYPING.as_millis() as u64)
        .print();
    let president_token = president.login(&mut clients).await?;
    let members = setup::add_members(&target, &president_token, entries).await?;
    let status = clients.system.get_status(pb::GetStatusRequest {}).await?.into_inner();
    let world = World { target, pid: Some(daemon.pid()), president, president_token, members };
    let reveal = phases::reveal(plan, &world, REVEAL_CLIENTS).await?;
    let mut line = phases::report("scale-reveal", &reveal);
    line.int("entries", entries as u64).int("audit_events", status.audit_events);
    line.print();
    let list = phases::list(plan, &world, LIST_CLIENTS).await?;
    let mut line = phases::report("scale-list", &list);
    line.int("entries", entries as u64).int("audit_events", status.audit_events);
    line.print();
    daemon.stop()?;
    Ok((reveal, list))
}
