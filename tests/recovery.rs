//! Recovery end to end: the disaster drill (backup, lost data directory, restore, two shares, a new passphrase,
//! nothing lost), interoperability with the reference `age` tool, rekey, and the guards, all through the real
//! `coffred` and `coffre`.

use std::path::Path;

use coffre_e2e::{Client, Daemon, TEST_KDF, coffred, reference_age};

const PRESIDENT_PASS: &str = "correct horse battery staple";
const LEADER_PASS: &str = "Bob's very own passphrase";
const NEW_PASS: &str = "a new passphrase after the drill";

/// Starts a daemon on `dir/data` and creates the vault with Alice (president) and Bob (leader) as the two holders:
/// Alice's key made by `coffre recovery keygen`, Bob's by the reference `age-keygen`. Alice's client keeps her second
/// factor; Bob enrols (passphrase and second factor). Returns the daemon, Alice's client, Bob's client and the init
/// output.
fn vault_with_holders(dir: &Path) -> (Daemon, Client, Client, serde_json::Value) {
    let daemon = Daemon::start(&dir.join("data"));
    let alice = Client::new(&daemon);
    let bob = Client::new(&daemon);
    let alice_key = alice.home.path().join("alice.key");
    let made =
        alice.run(&["recovery", "keygen", "--out", alice_key.to_str().expect("UTF-8 path"), "--json"]).ok().json();
    let alice_public = made["public_key"].as_str().expect("a public key").to_string();
    let bob_public = reference_age::keygen(&bob.home.path().join("bob.key"));

    let pass = alice.secret_file("president.pass", PRESIDENT_PASS);
    let shares = dir.join("shares");
    let president = format!("president={alice_public}");
    let leader = format!("leader={bob_public}");
    let mut args = vec!["init", "--president", "Alice", "--leader", "Bob", "--passphrase-file", &pass, "--json"];
    args.extend(["--holder", &president, "--holder", &leader, "--threshold", "2"]);
    args.extend(["--shares-dir", shares.to_str().expect("UTF-8 path")]);
    args.extend(TEST_KDF);
    let init = alice.run(&args).ok().json();
    alice.remember_totp("Alice", init["president_otpauth_uri"].as_str().expect("the president's second factor"));
    let code = init["leader_enrolment_code"].as_str().expect("an enrolment code").to_string();
    let bob_pass = bob.secret_file("leader.pass", LEADER_PASS);
    bob.enroll(&daemon, &code, &bob_pass).ok();
    (daemon, alice, bob, init)
}

fn share_file(init: &serde_json::Value, holder: &str) -> String {
    let shares = init["recovery"]["shares"].as_array().expect("share files");
    let share = shares.iter().find(|s| s["holder"] == holder).expect("a share for this holder");
    share["file"].as_str().expect("a file path").to_string()
}

fn key(client: &Client, name: &str) -> String {
    client.home.path().join(name).to_str().expect("UTF-8 path").to_string()
}

#[test]
fn the_drill_backup_lose_everything_restore_recover_with_two_shares_and_nothing_is_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, bob, init) = vault_with_holders(tmp.path());
    let vault_id = init["vault_id"].as_str().unwrap().to_string();
    assert_eq!(init["recovery"]["threshold"], 2);

    // A vault with entries (one with three versions), people and audit events.
    let alice_pass = key(&alice, "president.pass");
    alice.login(&daemon, "Alice", &alice_pass).ok();
    for (platform, category, password) in [
        ("Facebook", "social-network", "fb-one"),
        ("Mailgun", "software", "mg-one"),
        ("Desjardins", "financial", "bank"),
    ] {
        let file = alice.secret_file("p.pass", password);
        alice
            .run(&["entry", "add", platform, "--category", category, "--login", "party", "--password-file", &file])
            .ok();
    }
    for password in ["fb-two", "fb-three"] {
        let file = alice.secret_file("p.pass", password);
        alice.run(&["entry", "edit", "Facebook", "--password-file", &file]).ok();
    }
    alice.run(&["reveal", "Mailgun", "--reason", "newsletter"]).ok();
    // A member with a grant on one entry, for a task.
    let added = alice.run(&["person", "add", "Dave", "--role", "member", "--json"]).ok().json();
    let dave = Client::new(&daemon);
    let dave_pass = dave.secret_file("dave.pass", "Dave's own long passphrase");
    dave.enroll(&daemon, added["enrolment_code"].as_str().expect("an enrolment code"), &dave_pass).ok();
    let grant = alice
        .run(&["grant", "add", "Dave", "--entry", "Facebook", "--for", "30d", "--task", "weekly video", "--json"])
        .ok()
        .json();
    assert_eq!(grant["state"], "live");
    let entries_before = alice.run(&["entry", "list", "--json"]).ok().json();
    let history_before = alice.run(&["entry", "history", "Facebook", "--json"]).ok().json();
    let grants_before = alice.run(&["grant", "list", "--json"]).ok().json();
    assert_eq!(grants_before["grants"].as_array().map(Vec::len), Some(1), "{grants_before}");
    let audit_key = alice.run(&["status", "--json"]).ok().json()["audit_public_key"]
        .as_str()
        .expect("the vault's public audit key")
        .to_string();

    let backup = tmp.path().join("offsite").join("vault.age");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    let made = alice.run(&["backup", "create", "--out", backup.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(made["vault_id"], vault_id.as_str());
    assert_eq!(made["recipients"], 2, "the president's and the leader's keys");
    let events_in_backup = made["audit_events"].as_u64().unwrap();

    // The first platform fails: the daemon and its data directory are gone.
    let data_dir = daemon.data_dir.clone();
    let clock_ms = daemon.clock.now_ms();
    assert!(daemon.stop().success());
    std::fs::remove_dir_all(&data_dir).unwrap();

    // Restore on a new directory with the leader's identity (made by the reference age-keygen).
    let new_dir = tmp.path().join("new-machine").join("coffre");
    std::fs::create_dir_all(new_dir.parent().unwrap()).unwrap();
    let restored = coffred(&[
        "restore",
        "--from",
        backup.to_str().unwrap(),
        "--identity",
        &key(&bob, "bob.key"),
        "--data-dir",
        new_dir.to_str().unwrap(),
    ]);
    assert_eq!(restored.code, 0, "{}", restored.stderr);
    assert!(restored.stdout.contains(&format!("restored vault {vault_id}")), "{}", restored.stdout);

    // A new daemon (with its own new CA) on the restored directory; the president forgot the passphrase.
    let daemon = Daemon::start_at(&new_dir, clock_ms);
    let alice = Client { server: daemon.url.clone(), ca: daemon.ca.clone(), ..alice };
    let bob = Client { server: daemon.url.clone(), ca: daemon.ca.clone(), ..bob };
    let dave = Client { server: daemon.url.clone(), ca: daemon.ca.clone(), ..dave };
    let status = alice.run(&["status", "--json"]).ok().json();
    assert_eq!((status["state"].as_str(), status["vault_id"].as_str()), (Some("sealed"), Some(vault_id.as_str())));

    let first = alice
        .run(&[
            "recover",
            "--share",
            &share_file(&init, "president"),
            "--identity",
            &key(&alice, "alice.key"),
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(
        (first["submitted"].as_u64(), first["threshold"].as_u64(), first["complete"].as_bool()),
        (Some(1), Some(2), Some(false))
    );
    let progress = bob.run(&["recovery", "status", "--json"]).ok().json();
    assert_eq!(progress["submitted"], 1, "any client sees the progress");
    assert_eq!(bob.run(&["status", "--json"]).ok().json()["state"], "sealed", "one share opens nothing");

    let new_pass = bob.secret_file("new.pass", NEW_PASS);
    let second = bob
        .run(&[
            "recover",
            "--share",
            &share_file(&init, "leader"),
            "--identity",
            &key(&bob, "bob.key"),
            "--owner",
            "Alice",
            "--new-passphrase-file",
            &new_pass,
        ])
        .ok();
    assert!(second.stdout.contains("the recovery is complete"), "{}", second.stdout);
    assert!(second.stdout.contains("new passphrase of Alice is set"), "{}", second.stdout);
    let status = alice.run(&["status", "--json"]).ok().json();
    assert_eq!(status["state"], "unsealed");
    // Every event is there: the backup's, then the restore and the four recovery steps.
    assert_eq!(status["audit_events"].as_u64(), Some(events_in_backup + 5), "{status}");

    let old = alice.login(&daemon, "Alice", &alice_pass);
    assert_eq!(old.code, 4, "the forgotten passphrase no longer works: {}", old.stderr);
    alice.login(&daemon, "Alice", &new_pass).ok();
    assert_eq!(alice.run(&["entry", "list", "--json"]).ok().json(), entries_before);
    assert_eq!(alice.run(&["entry", "history", "Facebook", "--json"]).ok().json(), history_before);
    for (version, expected) in [("1", "fb-one"), ("2", "fb-two"), ("3", "fb-three")] {
        let shown = alice.run(&["reveal", "Facebook", "--version", version, "--reason", "drill"]).ok();
        assert_eq!(shown.stdout, format!("{expected}\n"));
    }
    // The leader (a person of the vault) is back with their own passphrase.
    bob.login(&daemon, "Bob", &key(&bob, "leader.pass")).ok();
    assert_eq!(bob.run(&["status", "--json"]).ok().json()["session"]["role"], "leader");
    // The grant is back, and still lets the member reveal that entry, and only that one.
    assert_eq!(alice.run(&["grant", "list", "--json"]).ok().json(), grants_before);
    dave.login(&daemon, "Dave", &dave_pass).ok();
    let listed = dave.run(&["entry", "list", "--json"]).ok().json();
    let platforms: Vec<&str> =
        listed["entries"].as_array().expect("entries").iter().filter_map(|e| e["platform"].as_str()).collect();
    assert_eq!(platforms, ["Facebook"]);
    assert_eq!(dave.run(&["reveal", "Facebook", "--reason", "weekly video"]).ok().stdout, "fb-three\n");

    // The audit chain continues across the backup, the restore and the recovery, under the same key, and an export
    // verifies offline with it.
    let status = alice.run(&["status", "--json"]).ok().json();
    assert_eq!(status["audit_public_key"], audit_key.as_str(), "the restored vault signs with the same key");
    let export = tmp.path().join("audit.jsonl");
    alice.run(&["audit", "export", "--out", export.to_str().unwrap()]).ok();
    let verified =
        alice.run_unconfigured(&["audit", "verify", export.to_str().unwrap(), "--key", &audit_key, "--json"]).ok();
    let verified = verified.json();
    assert_eq!(verified["valid"], true, "{verified}");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let actions: Vec<&str> = lines.iter().filter_map(|l| l["action"].as_str()).collect();
    assert_eq!(verified["events"].as_u64(), Some(actions.len() as u64), "{verified}");
    let at =
        |action: &str| actions.iter().position(|a| *a == action).unwrap_or_else(|| panic!("{action}: {actions:?}"));
    assert_eq!(at("init"), 0, "the export starts at the vault's first event: {actions:?}");
    assert!(at("grant.add") < at("backup") && at("backup") < at("restore"), "{actions:?}");
    assert!(at("restore") < at("recovery.complete") && at("recovery.complete") < at("recovery.passphrase"));
    // And the restored daemon unseals with the new passphrase after a restart.
    let daemon = daemon.restart();
    alice.run(&["unseal", "--passphrase-file", &new_pass]).ok();
    drop(daemon);
}

#[test]
fn the_reference_age_tool_opens_a_share_and_the_client_takes_what_it_decrypted() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, bob, init) = vault_with_holders(tmp.path());
    let vault_id = init["vault_id"].as_str().unwrap();

    // age -d with the identity made by coffre opens the president's share...
    let plain =
        reference_age::decrypt(Path::new(&key(&alice, "alice.key")), Path::new(&share_file(&init, "president")));
    let envelope: serde_json::Value = serde_json::from_slice(&plain).expect("the envelope is JSON");
    assert_eq!(envelope["format"], "coffre-share/1");
    assert_eq!(envelope["vault"], vault_id);
    assert_eq!((envelope["x"].as_u64(), envelope["k"].as_u64(), envelope["n"].as_u64()), (Some(1), Some(2), Some(2)));
    assert_eq!(envelope["holder"], "president");
    let armored = std::fs::read_to_string(share_file(&init, "leader")).unwrap();
    assert!(armored.starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"), "printable: {armored}");

    // ...and with the identity made by age-keygen, the leader's.
    let leader_plain =
        reference_age::decrypt(Path::new(&key(&bob, "bob.key")), Path::new(&share_file(&init, "leader")));
    let plain_file = bob.home.path().join("leader-share.json");
    std::fs::write(&plain_file, &leader_plain).unwrap();

    // The client accepts a share decrypted by age as it is: holders are not tied to coffre's client.
    let daemon = daemon.restart();
    alice.run(&["recover", "--share", &share_file(&init, "president"), "--identity", &key(&alice, "alice.key")]).ok();
    let new_pass = bob.secret_file("new.pass", NEW_PASS);
    bob.run(&["recover", "--share", plain_file.to_str().unwrap(), "--new-passphrase-file", &new_pass]).ok();
    alice.login(&daemon, "Alice", &new_pass).ok();
    drop(daemon);
}

#[test]
fn rekey_makes_the_old_shares_useless() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, bob, init) = vault_with_holders(tmp.path());
    alice.login(&daemon, "Alice", &key(&alice, "president.pass")).ok();
    // Bob leaves: the leader's share still counts, and its key still opens new backups, until the rekey below.
    let offboarded = alice.run(&["person", "offboard", "Bob"]).ok();
    assert!(offboarded.stdout.contains("They also hold the recovery share \"leader\""), "{}", offboarded.stdout);
    let alice_public = std::fs::read_to_string(key(&alice, "alice.key")).unwrap();
    let alice_public = alice_public.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap().to_string();
    let treasurer_public = reference_age::keygen(&bob.home.path().join("treasurer.key"));
    let new_dir = tmp.path().join("new-shares");
    let president = format!("president={alice_public}");
    let treasurer = format!("treasurer={treasurer_public}");
    let rekeyed = alice
        .run(&[
            "recovery",
            "rekey",
            "--holder",
            &president,
            "--holder",
            &treasurer,
            "--shares-dir",
            new_dir.to_str().unwrap(),
            "--json",
        ])
        .ok()
        .json();
    assert_ne!(rekeyed["share_set_id"], init["recovery"]["share_set_id"]);
    let files = rekeyed["shares"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert!(files[1]["file"].as_str().unwrap().ends_with("share-2-treasurer.age"));

    let daemon = daemon.restart();
    let old = bob.run(&["recover", "--share", &share_file(&init, "leader"), "--identity", &key(&bob, "bob.key")]);
    assert_eq!(old.code, 8, "{}", old.stderr);
    assert!(old.stderr.contains("a rekey replaced"), "{}", old.stderr);
    let new_pass = alice.secret_file("new.pass", NEW_PASS);
    let new_president = files[0]["file"].as_str().unwrap();
    alice.run(&["recover", "--share", new_president, "--identity", &key(&alice, "alice.key")]).ok();
    let new_treasurer = files[1]["file"].as_str().unwrap();
    bob.run(&[
        "recover",
        "--share",
        new_treasurer,
        "--identity",
        &key(&bob, "treasurer.key"),
        "--new-passphrase-file",
        &new_pass,
    ])
    .ok();
    assert_eq!(alice.run(&["status", "--json"]).ok().json()["state"], "unsealed");
    drop(daemon);
}

#[test]
fn bad_shares_and_share_sets_are_refused_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, bob, init) = vault_with_holders(tmp.path());
    alice.login(&daemon, "Alice", &key(&alice, "president.pass")).ok();
    let president_key = key(&alice, "alice.key");
    let alice_public = std::fs::read_to_string(&president_key).unwrap();
    let alice_public = alice_public.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap().to_string();

    let holder = format!("president={alice_public}");
    let shares = tmp.path().join("x").to_str().unwrap().to_string();
    let one =
        alice.run(&["recovery", "rekey", "--holder", &holder, "--holder", "leader=age1zzz", "--shares-dir", &shares]);
    assert_eq!(one.code, 8, "{}", one.stderr);
    assert!(one.stderr.contains("leader: \"age1zzz\" is not an age public key"), "{}", one.stderr);
    // Two holders with their own keys (one key for two holders is refused on its own), and a threshold of 1.
    let bob_key = key(&bob, "bob.key");
    let bob_public = std::fs::read_to_string(&bob_key).unwrap();
    let bob_holder = format!("leader={}", bob_public.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap());
    let low = alice.run(&[
        "recovery",
        "rekey",
        "--holder",
        &holder,
        "--holder",
        &bob_holder,
        "--threshold",
        "1",
        "--shares-dir",
        &shares,
    ]);
    assert_eq!(low.code, 8, "{}", low.stderr);
    assert!(low.stderr.contains("one share alone must never recover the vault"), "{}", low.stderr);

    let daemon = daemon.restart();
    let share = share_file(&init, "president");
    alice.run(&["recover", "--share", &share, "--identity", &president_key]).ok();
    let new_pass = alice.secret_file("new.pass", NEW_PASS);
    let twice =
        alice.run(&["recover", "--share", &share, "--identity", &president_key, "--new-passphrase-file", &new_pass]);
    assert_eq!(twice.code, 8, "{}", twice.stderr);
    assert!(twice.stderr.contains("already submitted"), "{}", twice.stderr);

    let wrong_key = bob.run(&["recover", "--share", &share, "--identity", &key(&bob, "bob.key")]);
    assert_eq!(wrong_key.code, 8, "{}", wrong_key.stderr);
    assert!(wrong_key.stderr.contains("not encrypted to the given identity"), "{}", wrong_key.stderr);
    let no_key = bob.run(&["recover", "--share", &share_file(&init, "leader")]);
    assert_eq!(no_key.code, 2, "{}", no_key.stderr);
    assert!(no_key.stderr.contains("--identity KEYFILE"), "{}", no_key.stderr);

    let mut armored = std::fs::read_to_string(share_file(&init, "leader")).unwrap();
    armored.truncate(armored.len() / 2);
    let cut = bob.home.path().join("cut.age");
    std::fs::write(&cut, armored).unwrap();
    let truncated = bob.run(&["recover", "--share", cut.to_str().unwrap(), "--identity", &key(&bob, "bob.key")]);
    assert_eq!(truncated.code, 8, "{}", truncated.stderr);

    assert_eq!(alice.run(&["recovery", "status", "--json"]).ok().json()["submitted"], 1, "only the one good share");
    assert_eq!(alice.run(&["status", "--json"]).ok().json()["state"], "sealed");
    assert!(daemon.log().lines().all(|l| !l.contains("panicked")), "{}", daemon.log());
}

#[test]
fn restore_refuses_what_it_cannot_do_safely_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, bob, _) = vault_with_holders(tmp.path());
    alice.login(&daemon, "Alice", &key(&alice, "president.pass")).ok();
    let backup = tmp.path().join("vault.age");
    alice.run(&["backup", "create", "--out", backup.to_str().unwrap()]).ok();
    let again = alice.run(&["backup", "create", "--out", backup.to_str().unwrap()]);
    assert_eq!(again.code, 8, "an existing file is never overwritten: {}", again.stderr);

    let restore = |from: &Path, dir: &Path| {
        coffred(&[
            "restore",
            "--from",
            from.to_str().unwrap(),
            "--identity",
            &key(&bob, "bob.key"),
            "--data-dir",
            dir.to_str().unwrap(),
        ])
    };
    // Onto the running vault's own (non-empty) directory.
    let busy = restore(&backup, &daemon.data_dir);
    assert_ne!(busy.code, 0);
    assert!(busy.stderr.contains("is not empty") && busy.stderr.contains("nothing was changed"), "{}", busy.stderr);
    // Onto another vault's directory.
    let other = Daemon::start(&tmp.path().join("other"));
    let other_client = Client::new(&other);
    let pass = other_client.secret_file("p.pass", PRESIDENT_PASS);
    let mut args = vec!["init", "--president", "Zoe", "--passphrase-file", &pass];
    args.extend(TEST_KDF);
    other_client.run(&args).ok();
    let other_dir = other.data_dir.clone();
    assert!(other.stop().success());
    let foreign = restore(&backup, &other_dir);
    assert!(foreign.stderr.contains("this backup is of vault"), "{}", foreign.stderr);
    // A corrupted backup.
    let mut bytes = std::fs::read(&backup).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    let corrupted = tmp.path().join("corrupted.age");
    std::fs::write(&corrupted, &bytes).unwrap();
    let fresh = tmp.path().join("fresh");
    let damaged = restore(&corrupted, &fresh);
    assert!(damaged.stderr.contains("damaged or truncated"), "{}", damaged.stderr);
    assert!(!fresh.exists(), "nothing was written");
    drop(daemon);
}

/// `coffre backup create` once wrote through whatever stood at its partial file's fixed name (`.NAME.partial`): a
/// symlink planted there (in a shared directory, or left by a clumsy script) had its target overwritten with the
/// backup, kept that target's loose mode, and ended up renamed to the backup's own name. It now refuses whatever is
/// already at that name (saying what to do), writes only a new private file, and never replaces a file or a link at
/// the name it was given.
#[test]
fn backup_create_never_writes_through_a_planted_link_nor_over_an_existing_name() {
    use std::os::unix::fs::{PermissionsExt as _, symlink};
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, _bob, _) = vault_with_holders(tmp.path());
    alice.login(&daemon, "Alice", &key(&alice, "president.pass")).ok();
    let dir = tmp.path().join("backups with spaces");
    std::fs::create_dir(&dir).unwrap();
    let precious = tmp.path().join("precious.txt");
    std::fs::write(&precious, "someone's notes\n").unwrap();
    std::fs::set_permissions(&precious, std::fs::Permissions::from_mode(0o644)).unwrap();
    symlink(&precious, dir.join(".vault.age.partial")).unwrap();

    let out = dir.join("vault.age");
    let planted = alice.run(&["backup", "create", "--out", out.to_str().unwrap()]);
    assert!(std::fs::read(&precious).unwrap() == b"someone's notes\n", "the link's target was overwritten");
    assert_eq!(planted.code, 8, "{}", planted.stderr);
    assert!(planted.stderr.contains(".vault.age.partial is there already"), "named: {}", planted.stderr);
    assert!(!out.exists(), "nothing was written");
    assert!(std::fs::symlink_metadata(dir.join(".vault.age.partial")).unwrap().is_symlink(), "nor removed");
    std::fs::remove_file(dir.join(".vault.age.partial")).unwrap();
    alice.run(&["backup", "create", "--out", out.to_str().unwrap()]).ok();
    let written = std::fs::symlink_metadata(&out).unwrap();
    assert!(written.file_type().is_file(), "the backup is a file of its own, not a link");
    assert_eq!(written.permissions().mode() & 0o777, 0o600, "the backup is private");
    assert!(std::fs::read(&out).unwrap().starts_with(b"age-encryption.org/v1\n"));

    // A link at the name itself, even one that points nowhere, is refused like an existing file.
    let dangling = dir.join("dangling.age");
    symlink(tmp.path().join("nowhere"), &dangling).unwrap();
    let refused = alice.run(&["backup", "create", "--out", dangling.to_str().unwrap()]);
    assert_eq!(refused.code, 8, "{}", refused.stderr);
    assert!(refused.stderr.contains("exists already"), "{}", refused.stderr);
    assert!(!tmp.path().join("nowhere").exists(), "nothing was written through the link");
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "no partial file is left behind: {left:?}");
}

/// coffred restore's refusals and the age errors of a holder's share file were English whatever the reader's
/// language: a Québec technician or holder, on the day things go wrong, read "is not empty" or "this file is not
/// encrypted to the given identity". They now read in the language of the environment, and say what to do.
#[test]
fn restore_and_share_file_refusals_read_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, bob, init) = vault_with_holders(tmp.path());
    alice.login(&daemon, "Alice", &key(&alice, "president.pass")).ok();
    let backup = tmp.path().join("vault.age");
    alice.run(&["backup", "create", "--out", backup.to_str().unwrap()]).ok();
    let restore = |from: &Path, identity: &str, dir: &Path| {
        coffre_e2e::coffred_in(
            "fr",
            &["restore", "--from", from.to_str().unwrap(), "--identity", identity, "--data-dir", dir.to_str().unwrap()],
        )
    };
    let english = ["is not empty", "nothing was changed", "not encrypted to", "damaged", "restore into"];
    let french_only = |run: &coffre_e2e::Run| {
        assert_ne!(run.code, 0);
        assert!(english.iter().all(|e| !run.stderr.contains(e)), "English in: {}", run.stderr);
    };

    let busy = restore(&backup, &key(&bob, "bob.key"), &daemon.data_dir);
    french_only(&busy);
    assert!(busy.stderr.contains("n’est pas vide") && busy.stderr.contains("rien n’a été changé"), "{}", busy.stderr);

    let stranger = tmp.path().join("stranger.key");
    coffre_e2e::reference_age::keygen(&stranger);
    let fresh = tmp.path().join("fresh");
    let wrong_key = restore(&backup, stranger.to_str().unwrap(), &fresh);
    french_only(&wrong_key);
    assert!(wrong_key.stderr.contains("n’est pas chiffré pour"), "{}", wrong_key.stderr);

    let bytes = std::fs::read(&backup).unwrap();
    let cut = tmp.path().join("cut.age");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let damaged = restore(&cut, &key(&bob, "bob.key"), &fresh);
    french_only(&damaged);
    assert!(damaged.stderr.contains("endommagé"), "{}", damaged.stderr);
    assert!(!fresh.exists(), "nothing was written");

    // A holder who gives their share with another holder's key file.
    let french_bob = coffre_e2e::Client::new(&daemon).with_env("LANG", "fr_CA.UTF-8");
    let share = share_file(&init, "president");
    let mixed_up = french_bob.run(&["recover", "--share", &share, "--identity", &key(&bob, "bob.key")]);
    assert_eq!(mixed_up.code, 8, "{}", mixed_up.stderr);
    french_only(&mixed_up);
    assert!(mixed_up.stderr.contains("n’est pas chiffré pour"), "{}", mixed_up.stderr);
    drop(daemon);
}
