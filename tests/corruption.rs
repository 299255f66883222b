//! Damage on disk, against the real daemon: on copies of a populated data directory, one damage at a time (a
//! flipped byte, or a cut, at a spread of offsets) in every file of it: the audit log's segment, its head witness,
//! the store's files (sled: `db/db`, `db/conf`, its snapshot) and the seal header's copy. Each case must end in
//! exactly one of two ways: the vault opens and everything acknowledged is there (every reveal in the log with no
//! sequence number used twice, both entries with the rotated password, the grant, the offboarding), or the daemon
//! refuses (to start, or to unseal) with a message naming the damaged file, or the store, and the way forward.
//! Never a silent loss or rollback. Also: a power cut that loses the store's last writes loses nothing, and every
//! file the daemon creates is private to its user whatever the umask.

// Test helpers panic on what they cannot use, as the tests themselves do.
#![allow(clippy::unwrap_used)]

use std::{
    collections::HashSet,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

use coffre_e2e::{Client, Daemon, coffred, initialised};

const PASSWORD: &str = "Mg-s3cret";
const ROTATED: &str = "Fb-r0tated-password";
const SEGMENT: &str = "audit/00000000000000000001.log";
const WITNESS: &str = "audit-head";
/// sled's files and the seal header's copy.
const STORE_FILES: [&str; 3] = ["db/db", "db/conf", "seal-header"];

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
    /// The client before a restart, kept for its files (the passphrase file).
    _earlier_client: Option<Client>,
    data: PathBuf,
    client: Client,
    pass: String,
    acknowledged: Vec<String>,
    clock_ms: i64,
}

/// Populates a vault. With `earlier_store`, the store is copied there (daemon stopped) after the first entry, before
/// every other change.
fn populate(earlier_store: Option<&Path>) -> Populated {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (mut daemon, mut client, pass) = initialised(tmp.path());
    let mut earlier_client = None;
    let password = client.secret_file("mg.pass", PASSWORD);
    client
        .run(&["entry", "add", "Mailgun", "--category", "software", "--login", "ops", "--password-file", &password])
        .ok();
    if let Some(earlier) = earlier_store {
        assert!(daemon.stop().success());
        copy_dir(&data.join("db"), earlier);
        daemon = Daemon::start(&data);
        let seeds = client.seeds.lock().unwrap().clone();
        earlier_client = Some(std::mem::replace(&mut client, Client::new(&daemon)));
        *client.seeds.lock().unwrap() = seeds;
        client.run(&["unseal", "--passphrase-file", &pass]).ok();
        client.login(&daemon, "Alice", &pass).ok();
    }
    // Every kind of change, acknowledged: an entry with a second version, a person, a grant, an offboarding.
    let first = client.secret_file("fb.pass", "Fb-first");
    client
        .run(&[
            "entry",
            "add",
            "Facebook",
            "--category",
            "social-network",
            "--login",
            "comms",
            "--password-file",
            &first,
        ])
        .ok();
    let rotated = client.secret_file("fb2.pass", ROTATED);
    client.run(&["rotate", "stage", "Facebook", "--password-file", &rotated]).ok();
    client.run(&["rotate", "confirm", "Facebook"]).ok();
    client.run(&["person", "add", "Dave", "--role", "member"]).ok();
    client.run(&["grant", "add", "Dave", "--entry", "Facebook", "--for", "14d", "--task", "weekly video"]).ok();
    client.run(&["person", "offboard", "Dave"]).ok();
    let mut acknowledged = Vec::new();
    for i in 0..12 {
        let reason = format!("acknowledged reveal {i}");
        let run = client.run(&["reveal", "Mailgun", "--reason", &reason]).ok();
        assert_eq!(run.stdout, format!("{PASSWORD}\n"));
        acknowledged.push(reason);
    }
    let clock_ms = daemon.clock.now_ms();
    assert!(daemon.stop().success());
    Populated { _tmp: tmp, _earlier_client: earlier_client, data, client, pass, acknowledged, clock_ms }
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
    None,
    Flip(usize),
    Cut(usize),
}

fn apply(path: &Path, damage: Damage) {
    let mut bytes = std::fs::read(path).unwrap();
    match damage {
        Damage::None => return,
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
    // Damage to one of sled's files is reported as damage to the store, its directory.
    let name = if file.starts_with("db/") { "db" } else { Path::new(file).file_name().unwrap().to_str().unwrap() };
    let case = format!("{file} {damage:?}");
    std::fs::write(data.with_extension("clock"), vault.clock_ms.to_string()).unwrap();
    let daemon = match Daemon::try_start(&data) {
        Ok(daemon) => daemon,
        Err((_, log)) => {
            assert!(
                log.contains(name) && (log.contains("docs/recovery.md") || log.contains("rebuild-store")),
                "{case}: a refusal names the file and the way forward: {log}"
            );
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
    everything_acknowledged_is_there(&client, &case);
    drop(daemon);
    Outcome::OpenedWhole
}

/// The changes [`populate`] made besides the reveals: the second entry's rotated password, the offboarding.
fn everything_acknowledged_is_there(client: &Client, case: &str) {
    let facebook = client.run(&["reveal", "Facebook", "--reason", "after the damage"]).ok();
    assert_eq!(facebook.stdout, format!("{ROTATED}\n"), "{case}: SILENT LOSS: the rotation is not there");
    let people = client.run(&["person", "list", "--json"]).ok().json();
    let dave = people["people"].as_array().unwrap().iter().find(|p| p["name"] == "Dave");
    let dave = dave.unwrap_or_else(|| panic!("{case}: SILENT LOSS: Dave is gone: {people}"));
    assert_eq!(dave["state"], "offboarded", "{case}: SILENT ROLLBACK of the offboarding: {dave}");
}

#[test]
fn every_damage_to_any_file_of_the_data_directory_opens_whole_or_is_refused_naming_the_file() {
    let vault = populate(None);
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
    for file in STORE_FILES {
        let len = std::fs::metadata(vault.data.join(file)).map(|m| m.len() as usize).unwrap_or(0);
        if len == 0 {
            continue;
        }
        for at in [0, len / 7, len / 3, len / 2, 2 * len / 3, len - 1] {
            cases.push((file, Damage::Flip(at)));
        }
        for keep in [0, len / 2, len - 1] {
            cases.push((file, Damage::Cut(keep)));
        }
    }
    let mut counts = std::collections::BTreeMap::new();
    for (n, (file, damage)) in cases.iter().enumerate() {
        let started = std::time::Instant::now();
        let outcome = run_case(&vault, root.path(), n, file, *damage);
        println!("case {n}: {file} {damage:?}: {outcome:?} ({:?})", started.elapsed());
        *counts.entry(outcome).or_insert(0usize) += 1;
    }
    println!("corruption matrix: {} cases; {counts:?}; silent losses: 0", cases.len());
    assert_eq!(counts.values().sum::<usize>(), cases.len());
    // Both outcomes happen: a matrix where everything opens (or everything is refused) would prove little.
    assert!(counts.contains_key(&Outcome::OpenedWhole) && counts.contains_key(&Outcome::RefusedAtStartNamingTheFile));
}

#[test]
fn a_power_cut_that_loses_the_stores_last_writes_loses_nothing() {
    let root = tempfile::tempdir().unwrap();
    let earlier = root.path().join("db-earlier");
    let mut vault = populate(Some(&earlier));
    // What a disk that acknowledged writes it never made leaves behind: the store as it was before every change
    // but the first entry, and the audit log (fdatasynced) whole.
    std::fs::remove_dir_all(vault.data.join("db")).unwrap();
    copy_dir(&earlier, &vault.data.join("db"));
    vault.acknowledged.sort();
    let outcome = run_case(&vault, root.path(), 0, "db/db", Damage::None);
    println!("power-cut drill: {outcome:?}");
    assert_eq!(outcome, Outcome::OpenedWhole, "every acknowledged change comes back from the log");
}

#[test]
fn a_lost_store_is_refused_then_rebuilt_from_the_log_alone_by_coffred_rebuild_store() {
    let root = tempfile::tempdir().unwrap();
    let mut vault = populate(None);
    let data = vault.data.clone();
    // The store's files are lost (a failed disk, a bad copy): never "not initialised", which invites a second init.
    std::fs::remove_dir_all(data.join("db")).unwrap();
    std::fs::write(data.with_extension("clock"), vault.clock_ms.to_string()).unwrap();
    let (_, log) = Daemon::try_start(&data).err().expect("a vault without its store does not start");
    assert!(log.contains("store is damaged") && log.contains("rebuild-store"), "{log}");
    let before = std::fs::read_dir(&data).unwrap().count();

    let rebuilt = root.path().join("rebuilt");
    let run = coffred(&[
        "rebuild-store",
        "--data-dir",
        data.to_str().unwrap(),
        "--into",
        rebuilt.to_str().unwrap(),
        "--passphrase-file",
        &vault.pass,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("from its audit log alone") && run.stdout.contains("changes replayed"),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read_dir(&data).unwrap().count(), before, "the original directory is only read");
    assert!(!data.join("db").exists(), "nothing is written back into the original");

    // The rebuilt directory is a whole vault: run the same checks as the matrix on it.
    std::fs::remove_dir_all(&data).unwrap();
    copy_dir(&rebuilt, &data);
    vault.acknowledged.sort();
    let outcome = run_case(&vault, root.path(), 0, "db/conf", Damage::None);
    assert_eq!(outcome, Outcome::OpenedWhole);
    assert_eq!(not_private(&rebuilt), Vec::<String>::new(), "the rebuilt directory is private too");

    let again = coffred(&["rebuild-store", "--data-dir", data.to_str().unwrap(), "--into", rebuilt.to_str().unwrap()]);
    assert_ne!(again.code, 0, "never into a directory that exists");
}

#[test]
fn a_damaged_log_is_salvaged_by_coffred_salvage_up_to_its_last_good_event() {
    let root = tempfile::tempdir().unwrap();
    let vault = populate(None);
    let data = vault.data.clone();
    let segment = data.join(SEGMENT);
    let len = std::fs::metadata(&segment).unwrap().len() as usize;
    apply(&segment, Damage::Flip(len / 2));
    std::fs::write(data.with_extension("clock"), vault.clock_ms.to_string()).unwrap();
    let (_, log) = Daemon::try_start(&data).err().expect("a damaged log does not start");
    assert!(log.contains("audit log is damaged"), "{log}");

    let salvaged = root.path().join("salvaged");
    let run = coffred(&[
        "salvage",
        "--data-dir",
        data.to_str().unwrap(),
        "--into",
        salvaged.to_str().unwrap(),
        "--passphrase-file",
        &vault.pass,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("salvaged vault") && run.stdout.contains(".salvaged-rest"), "{}", run.stdout);
    assert_eq!(not_private(&salvaged), Vec::<String>::new());
    std::fs::write(salvaged.with_extension("clock"), vault.clock_ms.to_string()).unwrap();
    let daemon = Daemon::start(&salvaged);
    let client = Client::new(&daemon);
    *client.seeds.lock().unwrap() = vault.client.seeds.lock().unwrap().clone();
    client.run(&["unseal", "--passphrase-file", &vault.pass]).ok();
    client.login(&daemon, "Alice", &vault.pass).ok();
    let mailgun = client.run(&["reveal", "Mailgun", "--reason", "after the salvage"]).ok();
    assert_eq!(mailgun.stdout, format!("{PASSWORD}\n"), "what came before the damage is there");
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
