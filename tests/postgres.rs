//! coffred on PostgreSQL, end to end, each test with a throwaway cluster of its own (`.ci/postgres`: Debian's
//! postgresql, 127.0.0.1 only) that it can stop and start: the database gone answers UNAVAILABLE without a secret
//! and the daemon serves again by itself when it returns; `coffred migrate` moves a vault from sled and it serves
//! on; a second daemon on the same schema is refused; a database that lost committed transactions seals the vault,
//! and the unseal gives it back what it lost; the failover drill (`pg_failover.rs`). Skipped (said so) where PostgreSQL is not installed, unless
//! `COFFRE_REQUIRE_POSTGRES` is set (CI).

// Test helpers panic on what they cannot use, as the tests themselves do.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use coffre_e2e::{Client, Daemon, coffred, initialised_configured};

#[path = "pg_failover.rs"]
mod failover;

const PASSWORD: &str = "Mg-s3cret-on-postgres";

/// A cluster of the test's own (made by `.ci/postgres`), shared with the store's TLS tests.
#[path = "../crates/store/tests/postgres/cluster.rs"]
mod cluster;

use cluster::{Cluster, script};

/// A cluster of the test's own, or `None` (and why, printed) where the test cannot run. The daemons of these tests
/// use their own cluster: the run-wide PostgreSQL setting must not redirect them.
fn own_cluster() -> Option<Cluster> {
    if std::env::var("COFFRE_TEST_BACKEND").is_ok_and(|b| b == "postgres") {
        eprintln!("these tests run on a cluster of their own; COFFRE_TEST_BACKEND would redirect them: skipped");
        return None;
    }
    Cluster::start(None)
}

impl Cluster {
    fn control(&self, verb: &str) {
        let out = Command::new(script()).arg(verb).arg(self.pg_dir()).output().unwrap();
        assert!(out.status.success(), ".ci/postgres {verb}: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn config(&self, schema: &str) -> String {
        format!("[storage]\nbackend = \"postgres\"\nurl = \"{}\"\nschema = \"{schema}\"\n", self.url)
    }
}

impl Cluster {
    /// Runs `statement` as the cluster's administrator (psql over TCP, as a DBA would).
    fn sql(&self, statement: &str) -> String {
        sql_at(&self.url, statement)
    }

    /// Ends coffred's sessions from the server's side, so that its next connections take the database's new
    /// settings.
    fn end_coffreds_sessions(&self) {
        self.sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'coffred'");
    }
}

/// Runs `statement` as the administrator of the server at `url`.
fn sql_at(url: &str, statement: &str) -> String {
    // Its own session is never read-only, whatever the database's default says.
    let out = Command::new("psql")
        .env("PGOPTIONS", "-c default_transaction_read_only=off")
        .args([url, "-v", "ON_ERROR_STOP=1", "-At", "-c", statement])
        .output()
        .unwrap();
    assert!(out.status.success(), "{statement}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn add_entry(client: &Client) {
    let password = client.secret_file("mg.pass", PASSWORD);
    client
        .run(&["entry", "add", "Mailgun", "--category", "software", "--login", "ops", "--password-file", &password])
        .ok();
}

#[test]
fn the_database_gone_answers_unavailable_without_a_secret_and_the_daemon_serves_again_when_it_returns() {
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, client, _pass) = initialised_configured(tmp.path(), &cluster.config("outage"));
    add_entry(&client);
    let revealed = client.run(&["reveal", "Mailgun", "--reason", "before"]).ok();
    assert_eq!(revealed.stdout, format!("{PASSWORD}\n"));

    cluster.control("stop");
    let refused = client.run(&["reveal", "Mailgun", "--reason", "while the database is down"]);
    assert_ne!(refused.code, 0, "no reveal without the database");
    assert!(refused.stdout.is_empty(), "no secret: {:?}", refused.stdout);
    assert!(!refused.stderr.contains(PASSWORD));
    assert!(refused.stderr.contains("unavailable"), "says the database is unavailable: {}", refused.stderr);
    // The daemon is up and says so.
    client.run(&["status"]).ok();

    cluster.control("resume");
    // No restart, no unseal: the next reveal reconnects.
    let again = client.run(&["reveal", "Mailgun", "--reason", "after"]).ok();
    assert_eq!(again.stdout, format!("{PASSWORD}\n"));
    let added = client.secret_file("x.pass", "another-password");
    client.run(&["entry", "add", "X", "--category", "social-network", "--login", "x", "--password-file", &added]).ok();
    assert!(!daemon.log().contains(PASSWORD), "the log holds no secret");
}

#[test]
fn a_second_daemon_on_the_same_schema_is_refused_at_start_naming_it() {
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (_daemon, _client, _pass) = initialised_configured(tmp.path(), &cluster.config("shared"));
    let other = tmp.path().join("other");
    std::fs::write(other.with_extension("coffred.toml"), cluster.config("shared")).unwrap();
    let config = other.with_extension("coffred.toml");
    let run = coffred(&["--data-dir", other.to_str().unwrap(), "--config", config.to_str().unwrap(), "show-config"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let started = Command::new(&coffre_e2e::binaries().coffred)
        .args(["--data-dir", other.to_str().unwrap(), "--config", config.to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .env("COFFRE_LANG", "en")
        .env_remove("COFFRE_STORAGE_URL")
        .env_remove("COFFRE_STORAGE_SCHEMA")
        .output()
        .unwrap();
    assert!(!started.status.success(), "refused");
    let stderr = String::from_utf8_lossy(&started.stderr);
    assert!(stderr.contains("in use by another coffred") && stderr.contains("schema shared"), "{stderr}");
}

#[test]
fn coffred_migrate_moves_a_vault_from_sled_and_it_serves_on() {
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (daemon, client, pass) = coffre_e2e::initialised(tmp.path());
    add_entry(&client);
    client.run(&["reveal", "Mailgun", "--reason", "on sled"]).ok();
    let listen = daemon.url.trim_start_matches("https://").to_string();
    assert!(daemon.stop().success());

    let data_arg = data.to_str().unwrap();
    let moved = coffred(&[
        "--data-dir",
        data_arg,
        "--storage-url",
        &cluster.url,
        "--storage-schema",
        "moved",
        "migrate",
        "--passphrase-file",
        &pass,
    ]);
    assert_eq!(moved.code, 0, "{}", moved.stderr);
    assert!(moved.stdout.contains("schema moved") && moved.stdout.contains("db.moved-to-postgres"), "{}", moved.stdout);
    assert!(!data.join("db").exists());
    // The move gave the database a copy of the log as it was on sled, every group commit of it.
    let log_on_sled = local_log_in(&data);
    assert!(!log_on_sled.is_empty());
    assert_eq!(copied_log(&cluster, "moved"), log_on_sled, "the database's copy is the log");

    // Started on sled by mistake: refused, naming the store.
    let (lines, log) = Daemon::try_start(&data).err().expect("no sled store any more");
    assert!(log.contains("store") && log.contains("missing"), "{lines:?} {log}");

    let daemon = Daemon::start_configured_on(&data, &listen, &cluster.config("moved"));
    client.run(&["unseal", "--passphrase-file", &pass]).ok();
    client.login(&daemon, "Alice", &pass).ok();
    let revealed = client.run(&["reveal", "Mailgun", "--reason", "on postgres"]).ok();
    assert_eq!(revealed.stdout, format!("{PASSWORD}\n"));
    // One log, before and after the move, and it verifies.
    let out = tmp.path().join("audit.jsonl");
    client.run(&["audit", "export", "--out", out.to_str().unwrap()]).ok();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("on sled") && text.contains("on postgres"), "both reveals are in the one log");
    assert_eq!(copied_log(&cluster, "moved"), local_log(&daemon), "the database's copy is the log");
}

/// The web client's vault page (`/vault`: anyone may see it, without logging in), in English: its HTTP status and
/// HTML. Fetched over HTTPS the way the `coffre` client reaches the daemon: tonic's HTTP/2 channel, the daemon's CA
/// pinned.
fn web_vault_page(daemon: &Daemon) -> (u16, String) {
    use http_body_util::BodyExt as _;
    use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};
    use tower::ServiceExt as _;

    let base = daemon.url.trim_end_matches('/').to_owned();
    let tls = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(std::fs::read(&daemon.ca).unwrap()));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let channel = Endpoint::from_shared(base.clone()).unwrap().tls_config(tls).unwrap().connect().await.unwrap();
        let request = http::Request::get(format!("{base}/vault"))
            .header(http::header::ACCEPT_LANGUAGE, "en")
            .body(tonic::body::Body::empty())
            .unwrap();
        let response = channel.oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(body.to_vec()).unwrap())
    })
}

/// The web vault page's line for a database that lacks a change the audit log holds (`web-vault-database`).
const WEB_CATCHING_UP: &str =
    "<dt>Database</dt><dd>missing a change that the audit log holds: coffred gives it again by itself";

/// The database read-only under a running, unsealed daemon (a standby promoted by mistake, a primary out of disk,
/// `default_transaction_read_only`): reveals answer UNAVAILABLE without their secret (their events reach the audit
/// log in the data directory, but not its copy in the database); a change is taken by the log, and the store does not take it for longer than the writer's
/// retry: its author is told the change is in the log and will be given to the database again (`store-behind`),
/// every request answers UNAVAILABLE without a secret (`store-catching-up`), the daemon stays up and unsealed, and
/// the web client's vault page says the database is missing a change. Once the database is writable again, the
/// writer gives it the change by itself: the session that went on serves again, the change is there and the page's
/// line is gone, with no owner's unseal. (docs/ha.md, "When the database is down".)
#[test]
fn a_read_only_database_keeps_a_change_in_the_log_and_the_vault_serves_again_by_itself_once_writable() {
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    // The writer gives a change 1 s of retries before answering its author (15 s by default).
    let config = format!("{}retry_seconds = 1\n", cluster.config("readonly"));
    let (daemon, client, _) = initialised_configured(tmp.path(), &config);
    add_entry(&client);
    client.run(&["reveal", "Mailgun", "--reason", "before"]).ok();

    cluster.sql("ALTER DATABASE postgres SET default_transaction_read_only = on");
    cluster.end_coffreds_sessions();
    // A reveal reads its records (reads work on a read-only database) and its event reaches the log in the data
    // directory, but the database cannot take the event's copy: losing this machine would lose the only record of
    // it, so the secret does not leave. UNAVAILABLE, saying why, and the vault does not seal or fall behind.
    for attempt in 0..3 {
        let run = client.run(&["reveal", "Mailgun", "--reason", &format!("read-only {attempt}")]);
        assert_eq!(run.code, 9, "UNAVAILABLE: {}", run.stderr);
        assert!(run.stdout.is_empty() && !run.stderr.contains(PASSWORD), "no secret: {} {}", run.stdout, run.stderr);
        assert!(run.stderr.contains("nothing was revealed"), "{}", run.stderr);
    }
    let refused = client.run(&["reveal", "Mailgun", "--reason", "read-only, again"]);
    assert!(refused.stderr.contains("read-only"), "names the database's refusal: {}", refused.stderr);
    let status = client.run(&["status"]).ok();
    assert!(status.stdout.contains("unsealed") && !status.stdout.contains("missing a change"), "{}", status.stdout);

    // A change: in the log, not taken by the store; its author is told not to make it again. No secret in it.
    const NEW: &str = "Yv-never-in-a-message";
    let added = client.secret_file("y.pass", NEW);
    let change =
        client.run(&["entry", "add", "Y", "--category", "software", "--login", "y", "--password-file", &added]);
    assert_eq!(change.code, 9, "UNAVAILABLE: {}", change.stderr);
    assert!(
        change.stderr.contains("the change is in the audit log, but the vault's database did not take it")
            && change.stderr.contains("read-only")
            && change.stderr.contains("Do not make the change again"),
        "{}",
        change.stderr
    );
    assert!(
        !change.stderr.contains(NEW) && !change.stdout.contains(NEW),
        "no secret: {} {}",
        change.stdout,
        change.stderr
    );
    // The daemon is up and unsealed, and reads nothing from a store that lacks the change.
    let status = client.run(&["status"]).ok();
    assert!(status.stdout.contains("unsealed") && status.stdout.contains("missing a change"), "{}", status.stdout);
    let refused = client.run(&["reveal", "Mailgun", "--reason", "while behind"]);
    assert_eq!(refused.code, 9, "UNAVAILABLE: {}", refused.stderr);
    assert!(refused.stderr.contains("missed a change that the audit log holds"), "{}", refused.stderr);
    assert!(refused.stdout.is_empty() && !refused.stderr.contains(PASSWORD), "no secret: {}", refused.stderr);
    // The web client's vault page, which needs no login, says so too.
    let (code, page) = web_vault_page(&daemon);
    assert_eq!(code, 200, "{page}");
    assert!(page.contains(WEB_CATCHING_UP), "the web page names the database that is behind: {page}");

    // Writable again: the writer gives the store the change by itself (it tries every second; polled for here,
    // with a generous bound, rather than slept for). The change ended no session: the president's goes on.
    cluster.sql("ALTER DATABASE postgres RESET default_transaction_read_only");
    cluster.end_coffreds_sessions();
    let mut after = client.run(&["entry", "list"]);
    for _ in 0..120 {
        if !(after.code == 9 && after.stderr.contains("missed a change")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500)); // a polling interval, not a wait for time to pass
        after = client.run(&["entry", "list"]);
    }
    assert_eq!(after.code, 0, "the session went on once the store caught up: {}", after.stderr);
    let status = client.run(&["status"]).ok();
    assert!(status.stdout.contains("unsealed"), "no owner's unseal was needed: {}", status.stdout);
    assert!(!status.stdout.contains("missing a change"), "{}", status.stdout);
    let (code, page) = web_vault_page(&daemon);
    assert_eq!(code, 200, "{page}");
    assert!(!page.contains("<dt>Database</dt>"), "the web page's line is gone once the store caught up: {page}");
    assert!(after.stdout.contains("\nY "), "the change the store missed was given to it: {}", after.stdout);
    assert_eq!(client.run(&["reveal", "Y", "--reason", "once writable"]).ok().stdout, format!("{NEW}\n"));
    client.run(&["entry", "add", "Z", "--category", "software", "--login", "z", "--password-file", &added]).ok();
    let log = daemon.log();
    assert!(!log.contains(PASSWORD) && !log.contains(NEW), "the daemon's log holds no secret");
    assert!(log.contains("the store took the change it had missed"), "{log}");
    // The database's copy of the log caught up with everything the data directory's log holds, the refused
    // reveals' events included: the same bytes.
    assert_eq!(copied_log(&cluster, "readonly"), local_log(&daemon), "the database's copy is the log");
}

/// A database that loses transactions it had committed under a running coffred (an asynchronous standby that was
/// behind, promoted; a backup restored) loses records coffred was told were written. The next request finds the
/// database's copy of the log ending before a change it had taken: UNAVAILABLE without a secret, in the reader's
/// language, and the vault seals itself; the owner's unseal gives the database back what it lost, and the copy is
/// the log again. (docs/ha.md, "A database that lost transactions it had committed".)
#[test]
fn a_database_that_lost_committed_transactions_seals_the_vault_and_the_unseal_gives_back_what_it_lost() {
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, client, pass) = initialised_configured(tmp.path(), &cluster.config("rolled"));
    add_entry(&client);
    client.run(&["reveal", "Mailgun", "--reason", "before"]).ok();
    cluster.sql("CREATE TABLE rolled.old_records AS TABLE rolled.records; CREATE TABLE rolled.old_log AS TABLE rolled.audit_log");
    const NEW: &str = "Yv-lost-by-the-database";
    let added = client.secret_file("y.pass", NEW);
    client.run(&["entry", "add", "Y", "--category", "software", "--login", "y", "--password-file", &added]).ok();
    cluster.sql(
        "BEGIN; DELETE FROM rolled.records; INSERT INTO rolled.records SELECT * FROM rolled.old_records; \
         DELETE FROM rolled.audit_log; INSERT INTO rolled.audit_log SELECT * FROM rolled.old_log; COMMIT",
    );

    let refused =
        client.run_with_env(&["reveal", "Mailgun", "--reason", "after the loss"], &[("COFFRE_LANG", "fr-CA")]);
    assert_eq!(refused.code, 9, "UNAVAILABLE: {}", refused.stderr);
    assert!(refused.stdout.is_empty() && !refused.stderr.contains(PASSWORD), "no secret: {}", refused.stderr);
    assert!(refused.stderr.contains("a perdu des modifications qu’elle avait enregistrées"), "{}", refused.stderr);
    let status = client.run(&["status"]).ok();
    assert!(status.stdout.contains("sealed") && !status.stdout.contains("unsealed"), "{}", status.stdout);
    let refused = client.run(&["reveal", "Mailgun", "--reason", "sealed"]);
    assert_ne!(refused.code, 0, "{}", refused.stderr);

    client.run(&["unseal", "--passphrase-file", &pass]).ok();
    client.login(&daemon, "Alice", &pass).ok();
    let list = client.run(&["entry", "list"]).ok();
    assert!(list.stdout.contains("\nY "), "the change the database lost was given back: {}", list.stdout);
    assert_eq!(client.run(&["reveal", "Y", "--reason", "given back"]).ok().stdout, format!("{NEW}\n"));
    assert_eq!(client.run(&["reveal", "Mailgun", "--reason", "after"]).ok().stdout, format!("{PASSWORD}\n"));
    assert_eq!(copied_log(&cluster, "rolled"), local_log(&daemon), "the database's copy is the log again");
    let log = daemon.log();
    assert!(!log.contains(PASSWORD) && !log.contains(NEW), "the daemon's log holds no secret");
    assert!(log.contains("lost changes it had taken"), "{log}");
}

/// The daemon's audit log, its segments one after the other, in hex.
fn local_log(daemon: &Daemon) -> String {
    local_log_in(&daemon.data_dir)
}

/// The audit log in the data directory `data`, its segments one after the other, in hex.
fn local_log_in(data: &std::path::Path) -> String {
    let mut segments: Vec<_> = std::fs::read_dir(data.join("audit"))
        .unwrap()
        .map(|item| item.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "log"))
        .collect();
    segments.sort();
    segments.iter().flat_map(|path| std::fs::read(path).unwrap()).map(|b| format!("{b:02x}")).collect()
}

/// The copy of the audit log in `schema`, its group commits one after the other, in hex.
fn copied_log(cluster: &Cluster, schema: &str) -> String {
    copied_log_at(&cluster.url, schema)
}

/// The copy of the audit log in `schema` on the server at `url`.
fn copied_log_at(url: &str, schema: &str) -> String {
    let query = format!(
        "SELECT coalesce(string_agg(encode(frames, 'hex'), '' ORDER BY first_seq), '') FROM {schema}.audit_log"
    );
    sql_at(url, &query).trim().to_string()
}

/// The rows standbys wrote in `schema`'s standby table, read by the database's administrator.
fn standby_rows(cluster: &Cluster, schema: &str) -> usize {
    cluster.sql(&format!("SELECT count(*) FROM {schema}.standby")).trim().parse().unwrap()
}

/// The standbys `coffre status --json` lists, once `until` holds for them (the serving coffred reads them every 2
/// seconds; at most a minute).
fn standbys_in_status(client: &Client, until: impl Fn(&[serde_json::Value]) -> bool) -> Vec<serde_json::Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let status = client.run(&["status", "--json"]).ok().json();
        let standbys = status["standbys"].as_array().cloned().unwrap_or_else(|| panic!("no standbys: {status}"));
        if until(&standbys) {
            return standbys;
        }
        assert!(std::time::Instant::now() < deadline, "the status never showed the standbys expected: {status}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// This machine's name, as a standby gives it.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap().trim().to_string()
}

/// The coffred machine lost under load: coffred killed (`kill -9`) while four clients add entries and reveal, then
/// its data directory gone but for `tls/` (which docs/ha.md says to keep on the standby machine). A coffred started
/// on the empty directory with the same configuration writes the audit log back from the database's copy before it
/// serves; an owner unseals it as after any start; every acknowledged entry and reveal is there, and the log
/// verifies.
#[test]
fn the_coffred_machine_lost_under_load_loses_no_acknowledged_change_or_reveal() {
    use std::sync::Arc;
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let config = cluster.config("lost");
    let (daemon, client, pass) = initialised_configured(tmp.path(), &config);
    add_entry(&client);
    let client = Arc::new(client);
    let load = failover::Load::start(&client, 24);
    load.crashed();
    let (data_dir, listen) = (daemon.data_dir.clone(), daemon.url.trim_start_matches("https://").to_string());
    daemon.kill();
    let acknowledged = load.stop();

    // The machine's disk is lost; the standby machine has coffred's configuration and its TLS files.
    let tls = tmp.path().join("tls-kept");
    std::fs::rename(data_dir.join("tls"), &tls).unwrap();
    std::fs::remove_dir_all(&data_dir).unwrap();
    std::fs::create_dir(&data_dir).unwrap();
    std::fs::rename(&tls, data_dir.join("tls")).unwrap();
    let daemon = Daemon::start_configured_on(&data_dir, &listen, &config);
    assert!(daemon.log().contains("written back from the copy"), "{}", daemon.log());
    let status = client.run(&["status", "--json"]).ok().json();
    assert_eq!(status["state"], "sealed", "{status}");
    client.run(&["unseal", "--passphrase-file", &pass]).ok();
    client.login(&daemon, "Alice", &pass).ok();
    failover::nothing_acknowledged_is_lost(&client, tmp.path(), &acknowledged);
    assert_eq!(copied_log(&cluster, "lost"), local_log(&daemon), "the database's copy is the log");
}

/// A vault on `cluster`'s schema `schema`, served by a first coffred with one entry, and a second machine for a
/// standby: the same configuration with `standby = true`, an empty data directory of its own and a copy of the
/// first one's `tls/` (so that clients keep their pinned CA), and the address both listen on.
struct TwoMachines {
    daemon: Daemon,
    client: Client,
    pass: String,
    config: String,
    standby_config: String,
    first_dir: std::path::PathBuf,
    listen: String,
    second_dir: std::path::PathBuf,
}

impl TwoMachines {
    fn new(tmp: &std::path::Path, cluster: &Cluster, schema: &str) -> Self {
        let config = cluster.config(schema);
        let standby_config = format!("{config}standby = true\n");
        let (daemon, client, pass) = initialised_configured(tmp, &config);
        add_entry(&client);
        let (first_dir, listen) = (daemon.data_dir.clone(), daemon.url.trim_start_matches("https://").to_string());
        let second_dir = tmp.join("second");
        std::fs::create_dir(&second_dir).unwrap();
        let copied = Command::new("cp").arg("-a").arg(first_dir.join("tls")).arg(&second_dir).status().unwrap();
        assert!(copied.success(), "tls/ copied to the second machine");
        Self { daemon, client, pass, config, standby_config, first_dir, listen, second_dir }
    }
}

/// A standby coffred: a second machine with the same configuration (`standby = true`), its own data directory and
/// a copy of the first one's `tls/`, so that clients keep their pinned CA. While the first serves a load of changes
/// and reveals, the standby says it stands by and listens on nothing. The first dies (`kill -9`): the standby takes
/// the vault over on the same address (a load balancer's, or a moved address, in real life), sealed, with the log
/// written back from the database; an owner unseals it, and every acknowledged change and reveal is there. The
/// first machine, back as a standby in its turn, stands by behind the new one, and stops cleanly on SIGTERM.
#[test]
fn a_standby_coffred_takes_the_vault_over_when_the_serving_one_dies_under_load() {
    use std::sync::Arc;
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let TwoMachines { daemon, client, pass, standby_config, first_dir, listen, second_dir, .. } =
        TwoMachines::new(tmp.path(), &cluster, "standby");
    let mut standby = Daemon::start_standby_on(&second_dir, &listen, &standby_config);
    assert!(standby.lines[0].contains("schema standby"), "{:?}", standby.lines);

    let client = Arc::new(client);
    let load = failover::Load::start(&client, 24);
    // All that time the standby waited, and said nothing more.
    assert!(standby.running(), "{}", standby.log());
    assert_eq!(standby.lines.len(), 1, "{:?}", standby.lines);

    let (acknowledged, second) = killed_under_load(daemon, load, standby, &second_dir);
    assert!(second.log().contains("written back from the copy"), "{}", second.log());
    let status = client.run(&["status", "--json"]).ok().json();
    assert_eq!(status["state"], "sealed", "{status}");
    client.run(&["unseal", "--passphrase-file", &pass]).ok();
    client.login(&second, "Alice", &pass).ok();
    failover::nothing_acknowledged_is_lost(&client, tmp.path(), &acknowledged);
    assert_eq!(copied_log(&cluster, "standby"), local_log(&second), "the database's copy is the second one's log");

    // The first machine comes back, as a standby: it waits behind the second, and a SIGTERM ends it cleanly.
    let back = Daemon::start_standby_on(&first_dir, &listen, &standby_config);
    assert!(client.run(&["reveal", "Mailgun", "--reason", "after the take-over"]).ok().stdout.contains(PASSWORD));
    // The serving coffred's status names it, not armed; the people's text says what a take-over would do.
    let listed = standbys_in_status(&client, |standbys| !standbys.is_empty());
    assert_eq!((listed.len(), &listed[0]["name"], &listed[0]["armed"]), (1, &host_name().into(), &false.into()));
    assert_eq!(listed[0]["relays"], false, "no [relay]: {listed:?}");
    assert!(listed[0]["seen_seconds_ago"].as_u64().is_some_and(|ago| ago <= 10), "{listed:?}");
    let text = client.run(&["status"]).ok().stdout;
    let line = text.lines().find(|line| line.starts_with("Standby:")).unwrap_or_else(|| panic!("{text}"));
    let waiting = "waiting: if this coffred stops, it takes the vault over sealed, for the president or the leader to \
                   unseal";
    assert!(line.ends_with(&format!(" {}: {waiting}", host_name())), "{text}");
    assert!(back.stop().success(), "a standby stops cleanly on SIGTERM");
    assert_eq!(standby_rows(&cluster, "standby"), 0, "a standby that stops takes its row away");
    standbys_in_status(&client, <[_]>::is_empty);

    // One killed (kill -9) cannot take its row away: the status says it fell silent, and where to look.
    let killed = Daemon::start_standby_on(&first_dir, &listen, &standby_config);
    standbys_in_status(&client, |standbys| standbys.len() == 1 && standbys[0]["silent"] == false);
    drop(killed);
    let listed = standbys_in_status(&client, |standbys| standbys.len() == 1 && standbys[0]["silent"] == true);
    assert!(listed[0]["seen_seconds_ago"].as_u64().is_some_and(|ago| ago > 10), "{listed:?}");
    let (code, html) = web_vault_page(&second);
    let web_line = format!("<dt>Standby</dt><dd>{}: not seen for ", host_name());
    assert!(code == 200 && html.contains(&web_line), "the web page says it too, without a login: {html}");
    let text = client.run(&["status"]).ok().stdout;
    assert!(text.contains(": not seen for ") && text.contains(&format!("check coffred on {}", host_name())), "{text}");
}

/// A standby remembers how far the database's copy of the audit log reached while it waited. The database then
/// loses committed transactions (a database standby that was behind, promoted) and the serving coffred dies: the
/// standby refuses to take the vault over, saying why and what to do, rather than serve it without them, and keeps
/// what it saw for a restart; the first coffred, started again on its own data directory, gives the database what
/// it lost, and nothing acknowledged is missing.
#[test]
fn a_standby_refuses_a_database_that_lost_what_it_saw_and_the_first_coffred_gives_it_back() {
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let TwoMachines { daemon, client, pass, config, standby_config, first_dir, listen, second_dir } =
        TwoMachines::new(tmp.path(), &cluster, "lostsaw");
    let mut standby = Daemon::start_standby_on(&second_dir, &listen, &standby_config);
    cluster.sql(
        "CREATE TABLE lostsaw.old_records AS TABLE lostsaw.records; \
         CREATE TABLE lostsaw.old_log AS TABLE lostsaw.audit_log",
    );
    const NEW: &str = "Yv-seen-by-the-standby";
    let added = client.secret_file("y.pass", NEW);
    client.run(&["entry", "add", "Y", "--category", "software", "--login", "y", "--password-file", &added]).ok();
    assert_eq!(client.run(&["reveal", "Y", "--reason", "before"]).ok().stdout, format!("{NEW}\n"));
    let written = client.run(&["status", "--json"]).ok().json()["audit_events"].as_u64().unwrap();
    // The standby asks every second; polled for here, with a generous bound.
    let saw_file = second_dir.join("standby-saw");
    let saw = || std::fs::read_to_string(&saw_file).ok().and_then(|text| text.trim().parse::<u64>().ok());
    for _ in 0..120 {
        if saw() >= Some(written) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500)); // a polling interval, not a wait for time to pass
    }
    assert_eq!(saw(), Some(written), "the standby saw the copy reach the log's end");

    cluster.sql(
        "BEGIN; DELETE FROM lostsaw.records; INSERT INTO lostsaw.records SELECT * FROM lostsaw.old_records; \
         DELETE FROM lostsaw.audit_log; INSERT INTO lostsaw.audit_log SELECT * FROM lostsaw.old_log; COMMIT",
    );
    daemon.kill();
    assert!(standby.running());
    let (status, lines, log) = standby.exits();
    assert!(!status.success(), "{lines:?} {log}");
    assert!(
        log.contains("lost transactions it had committed") && log.contains("does not take the vault over"),
        "{log}"
    );
    assert!(log.contains(&format!("it saw it reach event {written}")) && log.contains("standby-saw"), "{log}");
    assert!(!log.contains(NEW) && !log.contains(PASSWORD), "no secret: {log}");
    assert_eq!(saw(), Some(written), "kept for a restart");
    assert_eq!(standby_rows(&cluster, "lostsaw"), 0, "a standby that stops takes its row away");

    // The first coffred, on its own data directory: its log gives the database what it lost.
    let daemon = Daemon::start_configured_on(&first_dir, &listen, &config);
    client.run(&["unseal", "--passphrase-file", &pass]).ok();
    client.login(&daemon, "Alice", &pass).ok();
    assert!(client.run(&["entry", "list"]).ok().stdout.contains("\nY "), "the change the database lost is back");
    assert_eq!(client.run(&["reveal", "Y", "--reason", "given back"]).ok().stdout, format!("{NEW}\n"));
    assert_eq!(copied_log(&cluster, "lostsaw"), local_log(&daemon), "the database's copy is the log");
}

/// The cluster's TCP port, from its address (`postgresql://USER@HOST:PORT/DB`).
fn port_of(cluster: &Cluster) -> u16 {
    let after_host = cluster.url.rsplit(':').next().unwrap();
    after_host.split('/').next().unwrap().parse().unwrap()
}

/// A TCP link between one coffred and the database that a test can cut (every connection closed, new ones closed
/// as soon as they are made) and heal: a network cut between that coffred's machine and the database, which stays
/// up for the others.
struct Link {
    port: u16,
    cut: std::sync::Arc<std::sync::atomic::AtomicBool>,
    open: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

impl Link {
    /// A link to the cluster's port, listening on a port of its own.
    fn to(cluster: &Cluster) -> Link {
        use std::{net::TcpStream, sync::atomic::Ordering};
        let target = format!("127.0.0.1:{}", port_of(cluster));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let link = Link { port, cut: Default::default(), open: Default::default() };
        let (cut, open) = (link.cut.clone(), link.open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if cut.load(Ordering::Acquire) {
                    continue;
                }
                let Ok(server) = TcpStream::connect(&target) else { continue };
                let mut open = open.lock().unwrap();
                for (mut from, mut to) in [(&client, &server), (&server, &client)]
                    .map(|(from, to)| (from.try_clone().unwrap(), to.try_clone().unwrap()))
                {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Both);
                    });
                }
                open.extend([client, server]);
            }
        });
        link
    }

    fn cut(&self) {
        self.cut.store(true, std::sync::atomic::Ordering::Release);
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }

    fn heal(&self) {
        self.cut.store(false, std::sync::atomic::Ordering::Release);
    }
}

/// The serving coffred cut off from the database (a network cut) long enough for a standby to take the schema.
/// Once the network is back, its next request that writes (a reveal) finds the schema held: the reveal is refused
/// without the secret, and the coffred stops serving, with a failure that says what happened and what to do, so
/// that a load balancer sends nobody to a coffred that can no longer answer.
#[test]
fn a_coffred_whose_schema_a_standby_took_over_during_a_network_cut_refuses_and_stops_serving() {
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let config = cluster.config("cut");
    let link = Link::to(&cluster);
    let through_link = config.replace(&format!(":{}/", port_of(&cluster)), &format!(":{}/", link.port));
    assert_ne!(through_link, config);
    let (daemon, client, _pass) = initialised_configured(tmp.path(), &through_link);
    add_entry(&client);
    let standby =
        Daemon::start_standby_on(&tmp.path().join("second"), "127.0.0.1:0", &format!("{config}standby = true\n"));

    link.cut();
    let _second = standby
        .listening()
        .unwrap_or_else(|(lines, log)| panic!("no take-over: {lines:?}; {log}; the first one's: {}", daemon.log()));
    link.heal();

    let refused = client.run(&["reveal", "Mailgun", "--reason", "on the cut-off coffred"]);
    assert_ne!(refused.code, 0, "{}", refused.stdout);
    assert!(!refused.stdout.contains(PASSWORD) && !refused.stderr.contains(PASSWORD));
    let (status, log) = daemon.exits();
    assert!(!status.success(), "a failure, so that a service manager restarts it: {log}");
    assert!(log.contains("another coffred took over the vault's store"), "{log}");
}

/// An armed standby (`--arm`): an owner types a passphrase when the standby starts, checked at once (a wrong one, or
/// `--arm` on a coffred that is not a standby, is refused and nothing waits). When the serving coffred dies, the
/// standby takes the vault over and unseals it by itself, in that owner's name, carrying the sessions over: the
/// president reveals without logging in again. An owner then seals the vault on purpose and that coffred stops: the
/// first machine, back as an armed standby, takes over and leaves the vault sealed until an owner unseals it.
#[test]
fn an_armed_standby_unseals_what_it_takes_over_but_not_a_vault_an_owner_sealed() {
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let TwoMachines { daemon, client, pass, config, standby_config, first_dir, listen, second_dir } =
        TwoMachines::new(tmp.path(), &cluster, "armed");
    let passphrase = std::fs::read_to_string(&pass).unwrap().trim_end().to_string();

    // Refused at start, with what to do: a wrong passphrase, and --arm without standby.
    let (status, lines, log) =
        Daemon::start_armed_standby_on(&second_dir, &listen, &standby_config, "not the passphrase").exits();
    assert!(!status.success() && lines.is_empty(), "{lines:?}");
    assert!(log.contains("nothing armed") && log.contains("passphrase"), "{log}");
    assert!(!log.contains(&passphrase) && !log.contains("not the passphrase"), "no passphrase in the log");
    let not_standby = tmp.path().join("not-standby");
    let (status, _, log) = Daemon::start_armed_standby_on(&not_standby, &listen, &config, &passphrase).exits();
    assert!(!status.success() && log.contains("--arm is for a standby coffred"), "{log}");

    let mut standby = Daemon::start_armed_standby_on(&second_dir, &listen, &standby_config, &passphrase);
    let armed = standby.wait_for(|line| line.contains("armed")).unwrap_or_else(|(l, log)| panic!("{l:?} {log}"));
    assert!(armed.contains("unseals it with it"), "{armed}");
    standby.wait_for(|line| line.contains("standing by")).unwrap_or_else(|(l, log)| panic!("{l:?} {log}"));
    let listed = standbys_in_status(&client, |standbys| !standbys.is_empty());
    assert_eq!((listed.len(), &listed[0]["armed"]), (1, &true.into()), "{listed:?}");

    let first_clock = daemon.clock.path.clone();
    daemon.kill();
    std::fs::copy(&first_clock, second_dir.with_extension("clock")).unwrap();
    let second = standby.listening().unwrap_or_else(|(lines, log)| panic!("no take-over: {lines:?}; {log}"));
    assert!(
        second.startup.iter().any(|l| l.contains("unsealed it with the passphrase given at start")),
        "{:?}",
        second.startup
    );
    let status = client.run(&["status", "--json"]).ok().json();
    assert_eq!(status["state"], "unsealed", "{status}");
    assert_eq!(standby_rows(&cluster, "armed"), 0, "a standby that takes the vault over is no longer one");
    let carried = client.run(&["reveal", "Mailgun", "--reason", "after the armed take-over"]).ok();
    assert!(carried.stdout.contains(PASSWORD), "the session was carried over: no login again");
    assert!(!second.log().contains(&passphrase), "no passphrase in the log");

    // The unseal is audited in the owner's name, from the standby.
    let out = tmp.path().join("audit.jsonl");
    client.run(&["audit", "export", "--out", out.to_str().unwrap()]).ok();
    let text = std::fs::read_to_string(&out).unwrap();
    let unseal = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .rfind(|e| e["action"] == "unseal")
        .unwrap();
    assert_eq!((unseal["actor"].as_str(), unseal["outcome"].as_str()), (Some("Alice"), Some("success")), "{unseal}");
    assert!(unseal.to_string().contains("--arm"), "the standby named as the client: {unseal}");

    // The first machine comes back as an armed standby. An owner seals the vault on purpose; its coffred stops.
    let mut back = Daemon::start_armed_standby_on(&first_dir, &listen, &standby_config, &passphrase);
    back.wait_for(|line| line.contains("standing by")).unwrap_or_else(|(l, log)| panic!("{l:?} {log}"));
    client.run(&["seal"]).ok();
    let second_clock = second.clock.path.clone();
    assert!(second.stop().success());
    std::fs::copy(&second_clock, first_dir.with_extension("clock")).unwrap();
    let third = back.listening().unwrap_or_else(|(lines, log)| panic!("no take-over: {lines:?}; {log}"));
    assert!(third.startup.iter().any(|l| l.contains("an owner sealed it on purpose")), "{:?}", third.startup);
    let status = client.run(&["status", "--json"]).ok().json();
    assert_eq!(status["state"], "sealed", "{status}");
    client.run(&["unseal", "--passphrase-file", &pass]).ok();
    client.login(&third, "Alice", &pass).ok();
    assert!(client.run(&["reveal", "Mailgun", "--reason", "unsealed by an owner"]).ok().stdout.contains(PASSWORD));
}

/// The serving coffred killed (`kill -9`) under `load`: returns what the load had acknowledged and `standby`, on
/// `second_dir`, once it has taken the vault over.
fn killed_under_load(
    daemon: Daemon,
    load: failover::Load,
    standby: coffre_e2e::Starting,
    second_dir: &std::path::Path,
) -> (failover::Acknowledged, Daemon) {
    load.crashed();
    let first_clock = daemon.clock.path.clone();
    daemon.kill();
    let acknowledged = load.stop();
    // The test clocks of the two machines agree (second-factor steps already used stay used), as real ones would.
    std::fs::copy(&first_clock, second_dir.with_extension("clock")).unwrap();
    let second = standby.listening().unwrap_or_else(|(lines, log)| panic!("no take-over: {lines:?}; {log}"));
    (acknowledged, second)
}

/// A free loopback port, for a configuration that must name one (`[relay] listen`, a standby's address).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A TCP load balancer of the test's own, without health checks: each connection goes to the next backend in turn
/// (to the one after if that one refuses), bytes as they are. Counts the connections each backend took.
struct Balancer {
    url: String,
    taken: std::sync::Arc<[std::sync::atomic::AtomicUsize; 2]>,
}

impl Balancer {
    fn start(backends: [String; 2]) -> Balancer {
        use std::sync::{Arc, atomic::Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("https://{}", listener.local_addr().unwrap());
        let taken: Arc<[std::sync::atomic::AtomicUsize; 2]> = Arc::default();
        let counts = taken.clone();
        std::thread::spawn(move || {
            for (turn, client) in listener.incoming().enumerate() {
                let Ok(client) = client else { continue };
                let backend = (0..2)
                    .map(|i| (turn + i) % 2)
                    .find_map(|i| std::net::TcpStream::connect(&backends[i]).ok().map(|stream| (i, stream)));
                let Some((i, backend)) = backend else { continue };
                counts[i].fetch_add(1, Ordering::Relaxed);
                let pipe = |mut from: std::net::TcpStream, mut to: std::net::TcpStream| {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Write);
                    })
                };
                pipe(client.try_clone().unwrap(), backend.try_clone().unwrap());
                pipe(backend, client);
            }
        });
        Balancer { url, taken }
    }

    fn taken(&self) -> [usize; 2] {
        use std::sync::atomic::Ordering;
        [self.taken[0].load(Ordering::Relaxed), self.taken[1].load(Ordering::Relaxed)]
    }
}

/// A client of `daemon`'s vault that talks to `server` (another coffred, or a balancer), with a home of its own and
/// the authenticator app of `person`'s client.
fn client_of(daemon: &Daemon, person: &Client, server: &str) -> Client {
    let mut client = Client::new(daemon);
    client.server = server.to_string();
    *client.seeds.lock().unwrap() = person.seeds.lock().unwrap().clone();
    client
}

/// Two coffreds on one schema behind a load balancer that knows nothing of them: the serving one and an armed
/// standby with `[relay]`, which relays its clients to the serving one (TLS end to end). A person logs in through
/// one and reveals through the other; a grant revoked on the first is refused through the second at once, since
/// one coffred decides; a load through the balancer reaches both. The serving one dies (`kill -9`) under that
/// load: the standby takes the vault over and unseals it, the balancer's next connections reach it, the president's
/// session carried over (no login again), and every acknowledged change and reveal, through either, is in the one
/// audit log, which verifies.
#[test]
fn two_coffreds_behind_a_balancer_answer_as_one_and_the_standby_serves_on_when_the_first_dies() {
    use std::sync::Arc;
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let relay = |port: u16| format!("\n[relay]\nlisten = \"127.0.0.1:{port}\"\nfrom = [\"127.0.0.1\"]\n");
    let base = cluster.config("relayed");
    let (daemon, client, pass) = initialised_configured(tmp.path(), &format!("{base}{}", relay(free_port())));
    add_entry(&client);
    let passphrase = std::fs::read_to_string(&pass).unwrap().trim_end().to_string();
    let second_dir = tmp.path().join("second");
    std::fs::create_dir(&second_dir).unwrap();
    let first_dir = &daemon.data_dir;
    assert!(Command::new("cp").arg("-a").arg(first_dir.join("tls")).arg(&second_dir).status().unwrap().success());
    let listen_b = format!("127.0.0.1:{}", free_port());
    let standby_config = format!("{base}standby = true\n{}", relay(free_port()));
    let mut standby = Daemon::start_armed_standby_on(&second_dir, &listen_b, &standby_config, &passphrase);
    standby.wait_for(|line| line.contains("standing by")).unwrap_or_else(|(l, log)| panic!("{l:?} {log}"));
    // It listens once its announcement has read where the serving coffred takes relayed connections (every
    // second): polled, with a generous bound.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::net::TcpStream::connect(&listen_b).is_err() {
        assert!(std::time::Instant::now() < deadline, "the standby never relayed: {}", standby.log());
        std::thread::sleep(std::time::Duration::from_millis(50)); // a polling interval, not a wait for time to pass
    }

    // Through the standby: the serving coffred answers (its status lists the standby it came through, armed).
    let via_b = client_of(&daemon, &client, &format!("https://{listen_b}"));
    via_b.login(&daemon, "Alice", &pass).ok();
    assert_eq!(
        via_b.run(&["reveal", "Mailgun", "--reason", "through the standby"]).ok().stdout,
        format!("{PASSWORD}\n")
    );
    // It says it relays once its relay listens (its next announcement, within a second or two).
    let listed = standbys_in_status(&via_b, |standbys| !standbys.is_empty() && standbys[0]["relays"] == true);
    assert_eq!(listed[0]["armed"], true, "{listed:?}");
    let text = via_b.run(&["status"]).ok().stdout;
    assert!(text.contains("(unless an owner sealed it); meanwhile, it relays its clients to this coffred"), "{text}");

    // A member on the standby's address; the grant revoked on the first coffred is refused through it at once.
    let added = client.run(&["person", "add", "Dave", "--role", "member", "--json"]).ok().json();
    let dave = client_of(&daemon, &client, &format!("https://{listen_b}"));
    let dave_pass = dave.secret_file("own.pass", "Dave's own passphrase, long enough");
    dave.enroll(&daemon, added["enrolment_code"].as_str().unwrap(), &dave_pass).ok();
    dave.login(&daemon, "Dave", &dave_pass).ok();
    let grant = client.run(&["grant", "add", "Dave", "--entry", "Mailgun", "--for", "1d", "--task", "t", "--json"]);
    let id = grant.ok().json()["id"].as_str().unwrap().to_string();
    dave.run(&["reveal", "Mailgun", "--reason", "Dave's task"]).ok();
    client.run(&["grant", "revoke", &id[..8]]).ok();
    let refused = dave.run(&["reveal", "Mailgun", "--reason", "after the revoke"]);
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert!(refused.stderr.contains("no live grant covers this entry") && refused.stdout.is_empty());

    // Behind the balancer: log in through one, reveal through the other, in turn.
    let balancer = Balancer::start([daemon.url.trim_start_matches("https://").to_string(), listen_b.clone()]);
    let both = client_of(&daemon, &client, &balancer.url);
    both.login(&daemon, "Alice", &pass).ok();
    for i in 0..4 {
        let reason = format!("through the balancer {i}");
        assert_eq!(both.run(&["reveal", "Mailgun", "--reason", &reason]).ok().stdout, format!("{PASSWORD}\n"));
    }
    let taken = balancer.taken();
    assert!(taken[0] >= 2 && taken[1] >= 2, "both coffreds took connections: {taken:?}");

    // The serving coffred dies under a load through the balancer; the standby serves on.
    let both = Arc::new(both);
    let load = failover::Load::start(&both, 12);
    let (acknowledged, second) = killed_under_load(daemon, load, standby, &second_dir);
    assert!(second.startup.iter().any(|l| l.contains("unsealed it with the passphrase given at start")));
    assert_eq!(
        both.run(&["reveal", "Mailgun", "--reason", "after the take-over"]).ok().stdout,
        format!("{PASSWORD}\n")
    );
    failover::nothing_acknowledged_is_lost(&both, tmp.path(), &acknowledged);
    assert_eq!(copied_log(&cluster, "relayed"), local_log(&second), "the database's copy is the second one's log");
}

/// A coffred stopped (SIGTERM) while its database is read-only and a change waits in its log for the store stops
/// gracefully without waiting for the database; started again once the database is writable, the owner's unseal
/// gives the store that change: nothing the log holds is lost by stopping.
#[test]
fn a_coffred_stopped_while_its_database_misses_a_change_stops_and_gives_it_at_the_next_unseal() {
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let config = format!("{}retry_seconds = 1\n", cluster.config("stopped_behind"));
    let (daemon, client, pass) = initialised_configured(tmp.path(), &config);
    add_entry(&client);
    cluster.sql("ALTER DATABASE postgres SET default_transaction_read_only = on");
    cluster.end_coffreds_sessions();
    let added = client.secret_file("y.pass", "Yv-stopped-behind");
    let change =
        client.run(&["entry", "add", "Y", "--category", "software", "--login", "y", "--password-file", &added]);
    assert_eq!(change.code, 9, "UNAVAILABLE: {}", change.stderr);
    assert!(client.run(&["status"]).ok().stdout.contains("missing a change"));

    let listen = daemon.url.trim_start_matches("https://").to_string();
    let status = daemon.stop();
    assert!(status.success(), "a graceful stop: {status:?}");
    cluster.sql("ALTER DATABASE postgres RESET default_transaction_read_only");
    let daemon = Daemon::start_configured_on(&tmp.path().join("data"), &listen, &config);
    client.run(&["unseal", "--passphrase-file", &pass]).ok();
    client.login(&daemon, "Alice", &pass).ok();
    let list = client.run(&["entry", "list"]).ok();
    assert!(list.stdout.contains("\nY "), "the change the store missed was given to it: {}", list.stdout);
    assert_eq!(client.run(&["reveal", "Y", "--reason", "after"]).ok().stdout, "Yv-stopped-behind\n");
    assert_eq!(copied_log(&cluster, "stopped_behind"), local_log(&daemon), "the database's copy is the log");
}

/// A coffred whose database is read-only and misses a change serves nobody, but the owner logged in can still seal
/// it (`coffre seal`): the seal goes into the audit log after that change, and once the database is writable the
/// sealed coffred gives it both, the seal's mark included (so that no armed standby would unseal it), with no
/// unseal; the owner's unseal then finds the store as its log says.
#[test]
fn an_owner_seals_a_coffred_whose_database_misses_a_change_and_both_reach_it_once_writable() {
    let Some(cluster) = own_cluster() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let config = format!("{}retry_seconds = 1\n", cluster.config("sealed_behind"));
    let (daemon, client, pass) = initialised_configured(tmp.path(), &config);
    add_entry(&client);
    cluster.sql("ALTER DATABASE postgres SET default_transaction_read_only = on");
    cluster.end_coffreds_sessions();
    let added = client.secret_file("y.pass", "Yv-sealed-behind");
    let change =
        client.run(&["entry", "add", "Y", "--category", "software", "--login", "y", "--password-file", &added]);
    assert_eq!(change.code, 9, "UNAVAILABLE: {}", change.stderr);
    assert!(change.stderr.contains("an owner can still seal the vault"), "{}", change.stderr);
    let refused = client.run(&["reveal", "Mailgun", "--reason", "while behind"]);
    assert_eq!(refused.code, 9, "nothing is served: {}", refused.stderr);

    client.run(&["seal"]).ok();
    let status = client.run(&["status", "--json"]).ok().json();
    assert_eq!((&status["state"], &status["store_catching_up"]), (&"sealed".into(), &true.into()), "{status}");
    let mark = "SELECT count(*) FROM sealed_behind.records WHERE k = convert_to('!sealed-by-owner', 'UTF8')";
    assert_eq!(cluster.sql(mark).trim(), "0", "the database is still read-only");

    // Writable again: the sealed coffred's writer gives the database both (it tries every second; polled for here,
    // with a generous bound, rather than slept for).
    cluster.sql("ALTER DATABASE postgres RESET default_transaction_read_only");
    cluster.end_coffreds_sessions();
    let mut status = client.run(&["status", "--json"]).ok().json();
    for _ in 0..120 {
        if status["store_catching_up"] == false {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500)); // a polling interval, not a wait for time to pass
        status = client.run(&["status", "--json"]).ok().json();
    }
    assert_eq!((&status["state"], &status["store_catching_up"]), (&"sealed".into(), &false.into()), "{status}");
    assert_eq!(cluster.sql(mark).trim(), "1", "the seal's mark reached the database");
    assert!(daemon.log().contains("the store took the change it had missed; the vault stays sealed"));

    client.run(&["unseal", "--passphrase-file", &pass]).ok();
    client.login(&daemon, "Alice", &pass).ok();
    assert_eq!(client.run(&["reveal", "Y", "--reason", "after"]).ok().stdout, "Yv-sealed-behind\n");
    assert_eq!(copied_log(&cluster, "sealed_behind"), local_log(&daemon), "the database's copy is the log");
    let out = tmp.path().join("audit.jsonl");
    client.run(&["audit", "export", "--out", out.to_str().unwrap()]).ok();
    let done: Vec<String> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|e| e["outcome"] == "success" && (e["action"] == "entry.create" || e["action"] == "seal"))
        .map(|e| format!("{} {}", e["action"].as_str().unwrap(), e["target"].as_str().unwrap()))
        .collect();
    assert_eq!(done[done.len() - 2..], ["entry.create Y", "seal "], "{done:?}");
}
