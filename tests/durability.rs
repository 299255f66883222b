//! "No secret without a durable event", against the real daemon: kill -9 under load, many times, loses no
//! acknowledged reveal; a really full filesystem stops reveals (and only reveals), and the daemon recovers by itself
//! when space comes back.

// Test helpers panic on what they cannot use, as the tests themselves do.
#![allow(clippy::unwrap_used)]

use std::{
    collections::HashSet,
    path::Path,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
};

use coffre_e2e::{Client, Daemon, TEST_KDF, initialised};

const PASSWORD: &str = "Mg-s3cret";

fn add_entry(client: &Client) {
    let password = client.secret_file("mg.pass", PASSWORD);
    client
        .run(&["entry", "add", "Mailgun", "--category", "software", "--login", "ops", "--password-file", &password])
        .ok();
}

/// The reasons of every successful reveal in an export the client verified.
fn revealed_reasons(client: &Client, out: &Path) -> HashSet<String> {
    let _ = std::fs::remove_file(out);
    client.run(&["audit", "export", "--out", &out.to_string_lossy()]).ok();
    let text = std::fs::read_to_string(out).expect("the export");
    text.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON line"))
        .filter(|e| e["action"] == "reveal" && e["outcome"] == "success")
        .map(|e| e["reason"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn kill_9_under_load_never_loses_an_acknowledged_reveal() {
    const ROUNDS: usize = 6;
    const WORKERS: usize = 6;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (mut daemon, client, pass) = initialised(tmp.path());
    let client = Arc::new(client);
    add_entry(&client);

    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    for round in 0..ROUNDS {
        // Kill once this many reveals of the round were acknowledged, while the workers keep others in flight.
        let kill_after = 8 + round * 3;
        let killed = Arc::new(AtomicBool::new(false));
        // Each acknowledged reveal is reported; a worker that fails before the kill reports why and stops.
        let (progress, acks) = std::sync::mpsc::channel::<Result<(), String>>();
        let workers: Vec<_> = (0..WORKERS)
            .map(|w| {
                let (client, acknowledged, killed, progress) =
                    (client.clone(), acknowledged.clone(), killed.clone(), progress.clone());
                std::thread::spawn(move || {
                    for i in 0.. {
                        let reason = format!("round {round} worker {w} reveal {i}");
                        let run = client.run(&["reveal", "Mailgun", "--reason", &reason]);
                        if run.code == 0 {
                            assert_eq!(run.stdout, format!("{PASSWORD}\n"));
                            acknowledged.lock().unwrap().push(reason);
                            let _ = progress.send(Ok(()));
                        } else if killed.load(Ordering::Acquire) {
                            // The daemon is gone: the reveal in flight was not acknowledged, and nothing was shown.
                            assert!(run.stdout.is_empty(), "no secret without an acknowledgement");
                            return;
                        } else {
                            let _ = progress.send(Err(format!("reveal failed before the kill: {}", run.stderr)));
                            return;
                        }
                    }
                })
            })
            .collect();
        drop(progress);
        // Waiting on the workers' own progress, not on time.
        for _ in 0..kill_after {
            match acks.recv() {
                Ok(Ok(())) => {}
                Ok(Err(why)) => panic!("{why}"),
                Err(_) => panic!("every worker stopped before the kill"),
            }
        }
        killed.store(true, Ordering::Release);
        let listen = daemon.url.trim_start_matches("https://").to_string();
        daemon.kill();
        for worker in workers {
            worker.join().unwrap();
        }
        // Back on the same address; it comes up sealed, and sessions lived in the killed daemon's memory.
        daemon = Daemon::start_on(&data, &listen);
        client.run(&["unseal", "--passphrase-file", &pass]).ok();
        client.login(&daemon, "Alice", &pass).ok();
    }

    let out = tmp.path().join("audit.jsonl");
    let logged = revealed_reasons(&client, &out);
    let acknowledged = acknowledged.lock().unwrap();
    assert!(acknowledged.len() >= ROUNDS * 8, "the load ran: {} reveals acknowledged", acknowledged.len());
    let lost: Vec<&String> = acknowledged.iter().filter(|r| !logged.contains(*r)).collect();
    assert!(lost.is_empty(), "acknowledged reveals missing from the log: {lost:?}");
}

/// Whether this machine lets an unprivileged test make its own mount namespace (`unshare -rm`), where a small
/// tmpfs can be mounted without touching the host.
fn can_make_a_filesystem() -> bool {
    std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /tmp"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Fills the filesystem holding `dir` (as the daemon sees it, through /proc/PID/root) until it is full.
fn fill(dir: &Path) -> std::path::PathBuf {
    use std::io::Write;
    let filler = dir.join("filler");
    let mut file = std::fs::File::create(&filler).expect("create the filler");
    let block = vec![0u8; 4096];
    loop {
        if let Err(e) = file.write_all(&block).and_then(|()| file.sync_all()) {
            assert_eq!(e.raw_os_error(), Some(28), "ENOSPC, not {e}");
            return filler;
        }
    }
}

#[test]
fn a_full_filesystem_stops_reveals_only_and_the_daemon_recovers_when_space_returns() {
    if !can_make_a_filesystem() {
        // The only test here that needs a mount namespace; the same guarantee is tested with a failing storage
        // wrapper in crates/vault (audit::tests::a_full_disk_acknowledges_nothing...).
        eprintln!("no mount namespace on this machine: the real full-filesystem test cannot run");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let audit = data.join("audit");
    std::fs::create_dir_all(&audit).unwrap();
    // coffred runs in its own mount namespace, where its audit directory is a 512 KiB tmpfs.
    let mount = format!("mount -t tmpfs -o size=512k,mode=0700 tmpfs {} && exec \"$@\"", audit.display());
    let daemon = Daemon::start_wrapped(&data, "127.0.0.1:0", &["unshare", "-rm", "sh", "-c", &mount, "sh"]);
    let client = Client::new(&daemon);
    let pass = client.secret_file("president.pass", "correct horse battery staple");
    let mut init = vec!["init", "--president", "Alice", "--passphrase-file", &pass, "--json"];
    init.extend(TEST_KDF);
    let init = client.run(&init).ok().json();
    client.remember_totp("Alice", init["president_otpauth_uri"].as_str().unwrap());
    client.login(&daemon, "Alice", &pass).ok();
    add_entry(&client);
    client.run(&["reveal", "Mailgun", "--reason", "before the disk fills"]).ok();

    // The audit directory as the daemon sees it.
    let seen = Path::new("/proc").join(daemon.pid().to_string()).join("root").join(audit.strip_prefix("/").unwrap());
    let filler = fill(&seen);
    // The segment's last page is already allocated, so the first few events may still fit in it; each one that
    // is acknowledged must be in the log later.
    let mut acknowledged = vec!["before the disk fills".to_string()];
    for attempt in 0.. {
        assert!(attempt < 64, "the full disk never refused a write");
        let reason = format!("filling the last page {attempt}");
        let run = client.run(&["reveal", "Mailgun", "--reason", &reason]);
        if run.code != 0 {
            assert_eq!(run.code, 9, "UNAVAILABLE: {}", run.stderr);
            assert!(run.stdout.is_empty(), "no secret without a durable event");
            break;
        }
        acknowledged.push(reason);
    }
    // Each reason is longer than any above, so that its event never fits where a shorter one did not (a shorter
    // one could still fit in the last page, which made this test depend on where that page ended).
    for attempt in 0..3 {
        let reason = format!("the disk is full, so this is refused {attempt}");
        let refused = client.run(&["reveal", "Mailgun", "--reason", &reason]);
        assert_eq!(refused.code, 9, "UNAVAILABLE: {}", refused.stderr);
        assert!(refused.stdout.is_empty(), "no secret without a durable event");
        assert!(refused.stderr.contains("audit log unavailable"), "{}", refused.stderr);
    }
    // Everything else keeps working.
    assert_eq!(client.run(&["status", "--json"]).ok().json()["state"], "unsealed");
    let list = client.run(&["entry", "list", "--json"]).ok().json();
    assert_eq!(list["entries"].as_array().unwrap().len(), 1);

    // Space comes back: reveals work again, with no restart.
    std::fs::remove_file(filler).unwrap();
    let reveal = client.run(&["reveal", "Mailgun", "--reason", "after the disk was freed"]).ok();
    assert_eq!(reveal.stdout, format!("{PASSWORD}\n"));
    let out = tmp.path().join("audit.jsonl");
    let logged = revealed_reasons(&client, &out);
    acknowledged.push("after the disk was freed".to_string());
    let expected: HashSet<String> = acknowledged.into_iter().collect();
    assert_eq!(logged, expected, "the refused reveals left nothing behind, and the chain verifies");
}
