//! Damage on disk, against the real daemon: on copies of a populated data directory, one damage at a time (a
//! flipped byte, or a cut, at a spread of offsets) in the audit log's segment and in its head witness. Each case
//! must end in exactly one of two ways: the vault opens and every acknowledged reveal is in its log, with no
//! sequence number used twice; or the daemon refuses (to start, or to unseal) with a message naming the damaged
//! file. Never a silent loss. Also: every file the daemon creates is private to its user whatever the umask.
//!
//! The database files (`db/`, sled) are not in this matrix yet: damage there is not detected at start (see
//! SECURITY.md).

// Test helpers panic on what they cannot use, as the tests themselves do.
#![allow(clippy::unwrap_used)]

use std::{
    collections::HashSet,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

use coffre_e2e::{Client, Daemon, initialised};

const PASSWORD: &str = "Mg-s3cret";
const SEGMENT: &str = "audit/00000000000000000001.log";
const WITNESS: &str = "audit-head";

/// What one case ended in.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy, PartialOrd, Ord)]
enum Outcome {
    OpenedWhole,
    RefusedAtStartNamingTheFile,
    RefusedAtUnsealNamingTheFile,
}

/// A populated vault, stopped: its data directory, the president's client and passphrase file, the reasons of the
/// reveals the daemon acknowledged, and the time of its test clock.
struct Populated {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    client: Client,
    pass: String,
    acknowledged: Vec<String>,
    clock_ms: i64,
}

fn populate() -> Populated {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (daemon, client, pass) = initialised(tmp.path());
    let password = client.secret_file("mg.pass", PASSWORD);
    client
        .run(&["entry", "add", "Mailgun", "--category", "software", "--login", "ops", "--password-file", &password])
        .ok();
    let mut acknowledged = Vec::new();
    for i in 0..12 {
        let reason = format!("acknowledged reveal {i}");
        let run = client.run(&["reveal", "Mailgun", "--reason", &reason]).ok();
        assert_eq!(run.stdout, format!("{PASSWORD}\n"));
        acknowledged.push(reason);
    }
    let clock_ms = daemon.clock.now_ms();
    assert!(daemon.stop().success());
    Populated { _tmp: tmp, data, client, pass, acknowledged, clock_ms }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for item in std::fs::read_dir(from).unwrap() {
        let path = item.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// One damage to one file.
#[derive(Debug, Clone, Copy)]
enum Damage {
    Flip(usize),
    Cut(usize),
}

fn apply(path: &Path, damage: Damage) {
    let mut bytes = std::fs::read(path).unwrap();
    match damage {
        Damage::Flip(at) => bytes[at] ^= 0x20,
        Damage::Cut(len) => bytes.truncate(len),
    }
    std::fs::write(path, bytes).unwrap();
}

/// Runs one case on a fresh copy and says how it ended; panics on a silent loss or a refusal that does not name
/// the damaged file.
fn run_case(vault: &Populated, root: &Path, n: usize, file: &str, damage: Damage) -> Outcome {
    let data = root.join(format!("case-{n}"));
    copy_dir(&vault.data, &data);
    apply(&data.join(file), damage);
    let name = Path::new(file).file_name().unwrap().to_str().unwrap();
    let case = format!("{file} {damage:?}");
    std::fs::write(data.with_extension("clock"), vault.clock_ms.to_string()).unwrap();
    let daemon = match Daemon::try_start(&data) {
        Ok(daemon) => daemon,
        Err((_, log)) => {
            assert!(log.contains(name) && log.contains("docs/recovery.md"), "{case}: a refusal names the file: {log}");
            return Outcome::RefusedAtStartNamingTheFile;
        }
    };
    let client = Client::new(&daemon);
    *client.seeds.lock().unwrap() = vault.client.seeds.lock().unwrap().clone();
    let unseal = client.run(&["unseal", "--passphrase-file", &vault.pass]);
    if unseal.code != 0 {
        assert!(unseal.stderr.contains(name), "{case}: a refusal at unseal names the file: {}", unseal.stderr);
        return Outcome::RefusedAtUnsealNamingTheFile;
    }
    client.login(&daemon, "Alice", &vault.pass).ok();
    let out = root.join(format!("case-{n}.jsonl"));
    client.run(&["audit", "export", "--out", out.to_str().unwrap()]).ok();
    let events: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["type"] == "event")
        .collect();
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "{case}: no sequence number lost or used twice");
    let logged: HashSet<&str> = events
        .iter()
        .filter(|e| e["action"] == "reveal" && e["outcome"] == "success")
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    let lost: Vec<&String> = vault.acknowledged.iter().filter(|r| !logged.contains(r.as_str())).collect();
    assert!(lost.is_empty(), "{case}: SILENT LOSS of acknowledged reveals {lost:?}");
    let again = client.run(&["reveal", "Mailgun", "--reason", "after the damage"]).ok();
    assert_eq!(again.stdout, format!("{PASSWORD}\n"), "{case}: the entry is there");
    drop(daemon);
    Outcome::OpenedWhole
}

#[test]
fn every_damage_to_the_audit_log_or_its_witness_opens_whole_or_is_refused_naming_the_file() {
    let vault = populate();
    let root = tempfile::tempdir().unwrap();
    let len = std::fs::metadata(vault.data.join(SEGMENT)).unwrap().len() as usize;
    let witness = std::fs::metadata(vault.data.join(WITNESS)).unwrap().len() as usize;
    assert_eq!(witness, 256, "two slots");
    let mut cases: Vec<(&str, Damage)> = Vec::new();
    for at in [0, 3, 8, 20, 60, len / 4, len / 2, 3 * len / 4, len - 150, len - 60, len - 1] {
        cases.push((SEGMENT, Damage::Flip(at)));
    }
    for keep in [0, 1, len / 3, len / 2, len - 200, len - 113, len - 40, len - 7, len - 1] {
        cases.push((SEGMENT, Damage::Cut(keep)));
    }
    for at in [0, 20, 130, 200] {
        cases.push((WITNESS, Damage::Flip(at)));
    }
    for keep in [0, 100, 128, 200] {
        cases.push((WITNESS, Damage::Cut(keep)));
    }
    let mut counts = std::collections::BTreeMap::new();
    for (n, (file, damage)) in cases.iter().enumerate() {
        let outcome = run_case(&vault, root.path(), n, file, *damage);
        println!("case {n}: {file} {damage:?}: {outcome:?}");
        *counts.entry(outcome).or_insert(0usize) += 1;
    }
    println!("corruption matrix: {} cases; {counts:?}; silent losses: 0", cases.len());
    assert_eq!(counts.values().sum::<usize>(), cases.len());
    // Both outcomes happen: a matrix where everything opens (or everything is refused) would prove little.
    assert!(counts.contains_key(&Outcome::OpenedWhole) && counts.contains_key(&Outcome::RefusedAtStartNamingTheFile));
}

/// The files and directories under `dir` whose mode lets anyone but the owner in.
fn not_private(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let private = if path.is_dir() { mode == 0o700 } else { mode & 0o077 == 0 };
        if !private {
            found.push(format!("{} {mode:o}", path.display()));
        }
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        }
    }
    found
}

#[test]
fn every_file_the_daemon_creates_is_private_whatever_the_umask() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let open = ["sh", "-c", "umask 000; exec \"$@\"", "sh"];
    let daemon = Daemon::start_wrapped(&data, "127.0.0.1:0", &open);
    let client = Client::new(&daemon);
    let pass = client.secret_file("president.pass", "correct horse battery staple");
    let mut args = vec!["init", "--president", "Alice", "--passphrase-file", &pass, "--json"];
    args.extend(coffre_e2e::TEST_KDF);
    let init = client.run(&args).ok().json();
    client.remember_totp("Alice", init["president_otpauth_uri"].as_str().unwrap());
    client.login(&daemon, "Alice", &pass).ok();
    let password = client.secret_file("mg.pass", PASSWORD);
    client
        .run(&["entry", "add", "Mailgun", "--category", "software", "--login", "ops", "--password-file", &password])
        .ok();
    client.run(&["reveal", "Mailgun", "--reason", "weekly post"]).ok();
    assert!(daemon.stop().success());
    // A torn write at the next start makes a quarantine file: it must be private too.
    let segment = data.join(SEGMENT);
    let mut bytes = std::fs::read(&segment).unwrap();
    bytes.extend_from_slice(&[0x50, 0, 0, 0, 1, 2, 3]);
    std::fs::write(&segment, bytes).unwrap();
    std::fs::set_permissions(&segment, std::fs::Permissions::from_mode(0o600)).unwrap();
    let daemon = Daemon::start_wrapped(&data, "127.0.0.1:0", &open);
    assert!(daemon.log().contains("was moved aside"), "{}", daemon.log());
    assert!(daemon.stop().success());
    assert!(
        std::fs::read_dir(data.join("audit"))
            .unwrap()
            .any(|e| { e.unwrap().file_name().to_string_lossy().contains(".torn-at-") })
    );
    assert_eq!(not_private(&data), Vec::<String>::new(), "every file 0600 (or stricter), every directory 0700");
}
