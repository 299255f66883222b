//! The failover drill: coffred on a PostgreSQL primary with a synchronous standby (both on this machine, each a
//! cluster of its own), the primary crashed under a load of changes and reveals with a change held in flight, the
//! standby promoted, at once or after coffred's retry. coffred finds the new primary by itself (its address names
//! both servers, `target_session_attrs=read-write`), applies the change in flight again, never seals itself, no
//! acknowledged change or reveal is lost, and the audit log verifies. And with an asynchronous standby that was
//! behind: coffred finds the transactions it lacks, seals, and the unseal gives them to it.

use std::{
    collections::HashSet,
    io::Write,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
        mpsc,
    },
    time::Duration,
};

use coffre_e2e::{Client, initialised_configured};

use super::{Cluster, PASSWORD, add_entry, own_cluster, script};

const WORKERS: usize = 4;
/// Acknowledgements before the crash, and after the promotion before the load stops.
const BEFORE: usize = 12;
const AFTER: usize = 12;

/// A standby of `primary`'s cluster, synchronous: the primary acknowledges a commit once the standby has it.
struct Standby {
    dir: PathBuf,
    url: String,
}

impl Standby {
    fn of(primary: &Cluster) -> Standby {
        let dir = primary.dir.path().join("standby");
        let out = Command::new(script()).arg("standby").arg(primary.pg_dir()).arg(&dir).output().unwrap();
        assert!(out.status.success(), "the standby starts: {}", String::from_utf8_lossy(&out.stderr));
        let line = String::from_utf8(out.stdout).unwrap();
        let url = line.trim().trim_start_matches("export COFFRE_TEST_POSTGRES_STANDBY=").to_string();
        Standby { dir, url }
    }

    fn promote(&self) {
        let out = Command::new(script()).arg("promote").arg(&self.dir).output().unwrap();
        assert!(out.status.success(), "promoted: {}", String::from_utf8_lossy(&out.stderr));
    }
}

impl Drop for Standby {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("stop").arg(&self.dir).output();
    }
}

/// Holds the drill's `records` table locked against writes (EXCLUSIVE: reads go on) from a psql session of its own,
/// until the server goes away; returns once a write of coffred's waits on it. So the crash finds a change in flight:
/// its event durable in coffred's log, its records not yet in the database.
fn hold_a_change_in_flight(primary: &Cluster) -> HeldLock {
    let mut psql = Command::new("psql")
        .args([primary.url.as_str(), "-v", "ON_ERROR_STOP=1", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdin = psql.stdin.as_mut().unwrap();
    writeln!(stdin, "BEGIN; LOCK TABLE drill.records IN EXCLUSIVE MODE;").unwrap();
    stdin.flush().unwrap();
    let waiting =
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'coffred' AND wait_event_type = 'Lock'";
    for _ in 0..1200 {
        if primary.sql(waiting).trim() != "0" {
            return HeldLock(psql);
        }
        std::thread::sleep(Duration::from_millis(25)); // a polling interval, not a wait for time to pass
    }
    drop(HeldLock(psql));
    panic!("no change of coffred's came to wait on the lock");
}

/// The psql session holding the lock: ended (and waited for) when dropped.
struct HeldLock(Child);

impl Drop for HeldLock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `host:port` of a `postgresql://user@host:port/db` address.
fn host_port(url: &str) -> &str {
    url.split('@').nth(1).and_then(|rest| rest.split('/').next()).unwrap()
}

/// What the load had acknowledged: entries added and reveals (by reason).
#[derive(Default)]
pub(super) struct Acknowledged {
    pub(super) entries: Vec<String>,
    pub(super) reveals: Vec<String>,
}

/// A load of `WORKERS` workers on one client, and the flags they watch.
pub(super) struct Load {
    acknowledged: Arc<Mutex<Acknowledged>>,
    crashed: Arc<AtomicBool>,
    promoted: Arc<AtomicBool>,
    done: Arc<AtomicBool>,
    /// Each acknowledgement (whether it began after the promotion), or why a worker stopped before the crash.
    pub(super) acks: mpsc::Receiver<Result<bool, String>>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    /// Starts the workers, and returns once they have had `before` acknowledgements: waiting on their own progress,
    /// not on time.
    pub(super) fn start(client: &Arc<Client>, before: usize) -> Load {
        let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
        let flag = || Arc::new(AtomicBool::new(false));
        let (crashed, promoted, done) = (flag(), flag(), flag());
        let (progress, acks) = mpsc::channel();
        let workers = (0..WORKERS)
            .map(|w| {
                let (client, acknowledged, progress) = (client.clone(), acknowledged.clone(), progress.clone());
                let (crashed, promoted, done) = (crashed.clone(), promoted.clone(), done.clone());
                std::thread::spawn(move || worker(w, client, acknowledged, crashed, promoted, done, progress))
            })
            .collect();
        let load = Load { acknowledged, crashed, promoted, done, acks, workers };
        for _ in 0..before {
            match load.acks.recv() {
                Ok(Ok(_)) => {}
                Ok(Err(why)) => panic!("{why}"),
                Err(_) => panic!("every worker stopped before the crash"),
            }
        }
        load
    }

    /// From now on a failed operation is expected, not a reason to stop.
    pub(super) fn crashed(&self) {
        self.crashed.store(true, Ordering::Release);
    }

    /// Operations that begin from now on count as after the promotion.
    pub(super) fn promoted(&self) {
        self.promoted.store(true, Ordering::Release);
    }

    /// Stops the workers, and returns what they had acknowledged.
    pub(super) fn stop(self) -> Acknowledged {
        self.done.store(true, Ordering::Release);
        for worker in self.workers {
            worker.join().unwrap();
        }
        std::mem::take(&mut *self.acknowledged.lock().unwrap())
    }
}

/// One worker's changes and reveals, each reported once acknowledged (with whether it began after the standby was
/// `promoted`), until `done`. A failure is expected only once the primary is gone (`crashed`); before, it is
/// reported and the worker stops.
pub(super) fn worker(
    w: usize,
    client: Arc<Client>,
    acknowledged: Arc<Mutex<Acknowledged>>,
    crashed: Arc<AtomicBool>,
    promoted: Arc<AtomicBool>,
    done: Arc<AtomicBool>,
    progress: mpsc::Sender<Result<bool, String>>,
) {
    let password = client.secret_file(&format!("w{w}.pass"), &format!("drill-password-{w}"));
    for i in 0.. {
        if done.load(Ordering::Acquire) {
            return;
        }
        // Whether this operation begins after the promotion (acknowledgements queued before do not count as after).
        let after = promoted.load(Ordering::Acquire);
        let (run, what) = if i % 2 == 0 {
            let name = format!("Drill-{w}-{i}");
            let run = client.run(&[
                "entry",
                "add",
                &name,
                "--category",
                "other",
                "--login",
                "l",
                "--password-file",
                &password,
            ]);
            (run, Ok(name))
        } else {
            let reason = format!("drill worker {w} reveal {i}");
            (client.run(&["reveal", "Mailgun", "--reason", &reason]), Err(reason))
        };
        assert!(!run.stderr.contains(PASSWORD) && !run.stderr.contains("drill-password"), "no secret in an error");
        if run.code == 0 {
            let mut acknowledged = acknowledged.lock().unwrap();
            match what {
                Ok(name) => acknowledged.entries.push(name),
                Err(reason) => {
                    assert_eq!(run.stdout, format!("{PASSWORD}\n"));
                    acknowledged.reveals.push(reason);
                }
            }
            let _ = progress.send(Ok(after));
        } else if !crashed.load(Ordering::Acquire) {
            let _ = progress.send(Err(format!("failed before the crash: {}", run.stderr)));
            return;
        } else {
            assert!(run.stdout.is_empty(), "nothing shown without an acknowledgement: {}", run.stdout);
        }
    }
}

#[test]
fn the_primary_crashed_under_load_and_its_standby_promoted_loses_nothing_acknowledged() {
    drill(None, Duration::ZERO);
}

/// The same, with a cluster manager slower than coffred's retry: coffred gives a change 1 s of retries, and the
/// standby is promoted 3 s after the crash. The changes in flight are kept by the log and given to the new primary
/// once it answers; meanwhile requests answer UNAVAILABLE; the vault never seals itself, and nobody does anything
/// (the sessions go on). (The pause stands for a slow failover: the drill checks the same either way.)
#[test]
fn a_failover_slower_than_the_retry_is_caught_up_by_itself_and_loses_nothing_acknowledged() {
    drill(Some(1), Duration::from_secs(3));
}

/// Every acknowledged entry is listed, and every acknowledged reveal is in the exported audit log, which verifies.
pub(super) fn nothing_acknowledged_is_lost(client: &Client, tmp: &std::path::Path, acknowledged: &Acknowledged) {
    let listed = client.run(&["entry", "list", "--json"]).ok().json();
    let listed: HashSet<&str> =
        listed["entries"].as_array().unwrap().iter().map(|e| e["platform"].as_str().unwrap()).collect();
    let lost: Vec<&String> = acknowledged.entries.iter().filter(|e| !listed.contains(e.as_str())).collect();
    assert!(lost.is_empty(), "acknowledged entries missing: {lost:?}");
    let out = tmp.join("audit.jsonl");
    let key = client.run(&["status", "--json"]).ok().json()["audit_public_key"].as_str().unwrap().to_string();
    client.run(&["audit", "export", "--out", out.to_str().unwrap()]).ok();
    let summary =
        client.run_unconfigured(&["audit", "verify", out.to_str().unwrap(), "--key", &key, "--json"]).ok().json();
    assert_eq!(summary["valid"], true, "{summary}");
    let text = std::fs::read_to_string(&out).unwrap();
    let logged: HashSet<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["action"] == "reveal" && e["outcome"] == "success")
        .map(|e| e["reason"].as_str().unwrap_or_default().to_string())
        .collect();
    let lost: Vec<&String> = acknowledged.reveals.iter().filter(|r| !logged.contains(*r)).collect();
    assert!(lost.is_empty(), "acknowledged reveals missing from the log: {lost:?}");
    assert!(!acknowledged.entries.is_empty() && !acknowledged.reveals.is_empty(), "the load ran");
}

/// Runs the drill with `[storage] retry_seconds` (coffred's default if `None`), the standby promoted `promote_after`
/// the crash.
fn drill(retry_seconds: Option<u64>, promote_after: Duration) {
    let started = std::time::Instant::now();
    let Some(primary) = own_cluster() else { return };
    let standby = Standby::of(&primary);
    let url = format!(
        "postgresql://postgres@{},{}/postgres?target_session_attrs=read-write",
        host_port(&primary.url),
        host_port(&standby.url)
    );
    let mut config = format!("[storage]\nbackend = \"postgres\"\nurl = \"{url}\"\nschema = \"drill\"\n");
    if let Some(seconds) = retry_seconds {
        config.push_str(&format!("retry_seconds = {seconds}\n"));
    }
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, client, pass) = initialised_configured(tmp.path(), &config);
    add_entry(&client);
    let client = Arc::new(client);

    let load = Load::start(&client, BEFORE);
    let lock = hold_a_change_in_flight(&primary);
    load.crashed();
    primary.control("crash");
    std::thread::sleep(promote_after); // the cluster manager's own delay, which the drill stands for
    standby.promote();
    load.promoted();

    // The load goes on against the new primary. A change in flight at the crash reached the log and not the store:
    // coffred applies it again until the new primary answers. Should the promotion take longer than its retry, the
    // author is answered UNAVAILABLE, and coffred gives the change to the new primary by itself, while sessions go
    // on. Should the vault seal itself (it must not, for a database out of reach), an owner unseals it (the unseal
    // replays the change): slow, never lossy. A session that ended all the same (it must not) is logged in again,
    // and counted.
    let mut after = 0;
    let mut unsealed_again = false;
    let mut logged_in_again = false;
    for _ in 0..120 {
        match load.acks.recv_timeout(Duration::from_secs(1)) {
            Ok(Ok(true)) => after += 1,
            Ok(Ok(false)) => {}
            Ok(Err(why)) => panic!("{why}"),
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("every worker stopped"),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if after >= AFTER {
            break;
        }
        let status = client.run(&["status", "--json"]);
        let status = if status.code == 0 { status.json() } else { continue };
        if status["state"] == "sealed" {
            client.run(&["unseal", "--passphrase-file", &pass]).ok();
            client.login(&daemon, "Alice", &pass).ok();
            unsealed_again = true;
        } else if status["state"] == "unsealed" && status["store_catching_up"] == false && status["session"].is_null() {
            client.login(&daemon, "Alice", &pass).ok();
            logged_in_again = true;
        }
    }
    let acknowledged = load.stop();
    drop(lock);
    assert!(after >= AFTER, "the daemon served on after the failover: {after} acknowledgements");
    eprintln!(
        "failover drill: {:.1} s, {after} acknowledgements after the promotion, the vault sealed itself: \
         {unsealed_again}, the session ended: {logged_in_again}",
        started.elapsed().as_secs_f64()
    );
    assert!(!unsealed_again, "a database out of reach never seals the vault");
    assert!(!logged_in_again, "a database out of reach ends no session that the changes in flight did not end");
    // The change held in flight at the crash was applied again: within the retry when the promotion came in time,
    // after it (its author answered UNAVAILABLE) when it came later.
    let log = daemon.log();
    let (within, after_it) = (
        log.contains("the change was applied once the store answered again"),
        log.contains("the store took the change it had missed"),
    );
    eprintln!("failover drill: the change in flight applied again within the retry: {within}, after it: {after_it}");
    assert!(within || after_it, "the change in flight at the crash was applied again: {log}");
    if promote_after > Duration::from_secs(retry_seconds.unwrap_or(15)) {
        assert!(after_it, "the store caught up by itself");
    }

    // Every acknowledged change is in the new primary, and every acknowledged reveal in the log, which verifies.
    nothing_acknowledged_is_lost(&client, tmp.path(), &acknowledged);
    assert!(!daemon.log().contains(PASSWORD), "the daemon's log holds no secret");
}

/// The drill's other half: a primary whose standby is **asynchronous** (the primary acknowledges commits the
/// standby may not have), the standby stopped a while (a network cut, a restart), and the primary lost while it
/// was: the promoted standby lacks transactions coffred was told were committed. coffred finds it at its next
/// request, since the database's copy of the audit log no longer ends after the last change it took: nothing is
/// answered on that database (UNAVAILABLE, no secret), the vault seals itself, and the owner's unseal gives the new
/// primary every change it lacked, from coffred's log. Nothing acknowledged is lost, and the copy is the log again.
#[test]
fn an_asynchronous_standby_promoted_without_the_last_changes_is_found_and_given_them_at_the_unseal() {
    let Some(primary) = own_cluster() else { return };
    let standby = Standby::of(&primary);
    // Asynchronous from now on: the primary no longer waits for the standby's flush.
    primary.sql("ALTER SYSTEM SET synchronous_standby_names = ''");
    primary.sql("SELECT pg_reload_conf()");
    let url = format!(
        "postgresql://postgres@{},{}/postgres?target_session_attrs=read-write",
        host_port(&primary.url),
        host_port(&standby.url)
    );
    let config = format!("[storage]\nbackend = \"postgres\"\nurl = \"{url}\"\nschema = \"asyncdrill\"\n");
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, client, pass) = initialised_configured(tmp.path(), &config);
    add_entry(&client);
    assert_eq!(client.run(&["reveal", "Mailgun", "--reason", "before"]).ok().stdout, format!("{PASSWORD}\n"));
    // The standby has replayed everything so far (polled for), then stops.
    let caught_up = "SELECT count(*) FROM pg_stat_replication WHERE replay_lsn = pg_current_wal_lsn()";
    for _ in 0..1200 {
        if primary.sql(caught_up).trim() == "1" {
            break;
        }
        std::thread::sleep(Duration::from_millis(25)); // a polling interval, not a wait for time to pass
    }
    assert_eq!(primary.sql(caught_up).trim(), "1", "the standby caught up");
    let stopped = Command::new(script()).arg("stop").arg(&standby.dir).output().unwrap();
    assert!(stopped.status.success(), "{}", String::from_utf8_lossy(&stopped.stderr));

    // Acknowledged by the primary alone, then lost with it.
    const NEW: &str = "Yv-only-on-the-old-primary";
    let added = client.secret_file("y.pass", NEW);
    client.run(&["entry", "add", "Y", "--category", "software", "--login", "y", "--password-file", &added]).ok();
    assert_eq!(client.run(&["reveal", "Y", "--reason", "on the old primary"]).ok().stdout, format!("{NEW}\n"));
    primary.control("crash");
    let resumed = Command::new(script()).arg("resume").arg(&standby.dir).output().unwrap();
    assert!(resumed.status.success(), "{}", String::from_utf8_lossy(&resumed.stderr));
    standby.promote();

    let refused = client.run(&["reveal", "Mailgun", "--reason", "on the promoted standby"]);
    assert_eq!(refused.code, 9, "UNAVAILABLE: {}", refused.stderr);
    assert!(refused.stdout.is_empty() && !refused.stderr.contains(PASSWORD), "no secret: {}", refused.stderr);
    assert!(refused.stderr.contains("lost changes it had taken"), "{}", refused.stderr);
    let status = client.run(&["status", "--json"]).ok().json();
    assert_eq!(status["state"], "sealed", "{status}");

    client.run(&["unseal", "--passphrase-file", &pass]).ok();
    client.login(&daemon, "Alice", &pass).ok();
    assert!(client.run(&["entry", "list"]).ok().stdout.contains("\nY "), "the change the new primary lacked");
    assert_eq!(client.run(&["reveal", "Y", "--reason", "after the unseal"]).ok().stdout, format!("{NEW}\n"));
    let copy = super::copied_log_at(&standby.url, "asyncdrill");
    assert_eq!(copy, super::local_log(&daemon), "the new primary's copy is the log again");
    let log = daemon.log();
    assert!(!log.contains(PASSWORD) && !log.contains(NEW), "the daemon's log holds no secret");
}
