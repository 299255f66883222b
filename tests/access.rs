//! People, roles, grants and two-factor login end to end: a real coffred over TLS on a test clock, driven by the
//! real client, one client (one home, one authenticator app) per person.

use std::time::Duration;

use coffre_e2e::{Client, Daemon, initialised};

const DAY: Duration = Duration::from_secs(24 * 3600);

fn add_entry(client: &Client, platform: &str, category: &str) {
    let password = client.secret_file(&format!("{platform}.pass"), &format!("{platform}-password"));
    client
        .run(&["entry", "add", platform, "--category", category, "--login", "party", "--password-file", &password])
        .ok();
}

/// `by` adds `name` with `role`; `name` enrols on a client of their own and logs in. Returns that client and the
/// passphrase file.
fn person(daemon: &Daemon, by: &Client, name: &str, role: &str) -> (Client, String) {
    let added = by.run(&["person", "add", name, "--role", role, "--json"]).ok().json();
    assert_eq!(added["role"], role);
    let code = added["enrolment_code"].as_str().expect("a code").to_string();
    let client = Client::new(daemon);
    let pass = client.secret_file("own.pass", &format!("{name}'s own passphrase"));
    client.enroll(daemon, &code, &pass).ok();
    client.login(daemon, name, &pass).ok();
    (client, pass)
}

fn listed(client: &Client) -> Vec<String> {
    let list = client.run(&["entry", "list", "--json"]).ok().json();
    let entries = list["entries"].as_array().expect("an entries array");
    entries.iter().map(|e| e["platform"].as_str().expect("a platform").to_string()).collect()
}

#[track_caller]
fn refused(client: &Client, args: &[&str], code: i32, needle: &str) {
    let run = client.run(args);
    assert_eq!(run.code, code, "{args:?}: {}", run.stderr);
    assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    assert!(run.stdout.is_empty(), "{args:?} printed {}", run.stdout);
}

#[test]
fn an_access_manager_grants_a_member_one_entry_for_a_task_until_it_expires_or_is_revoked() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, alice_pass) = initialised(tmp.path());
    add_entry(&alice, "Facebook", "social-network");
    add_entry(&alice, "Instagram", "social-network");
    add_entry(&alice, "Mailgun", "software");

    let (carol, carol_pass) = person(&daemon, &alice, "Carol", "access-manager");
    let (dave, dave_pass) = person(&daemon, &carol, "Dave", "member");
    assert!(listed(&dave).is_empty(), "a member without a grant sees nothing");

    let grant = carol
        .run(&["grant", "add", "Dave", "--entry", "Facebook", "--for", "14d", "--task", "weekly video", "--json"])
        .ok()
        .json();
    assert_eq!((grant["state"].as_str(), grant["entry"].as_str()), (Some("live"), Some("Facebook")));

    // The member sees and reveals only that entry.
    assert_eq!(listed(&dave), ["Facebook"]);
    let reveal = dave.run(&["reveal", "Facebook", "--reason", "post the weekly video"]).ok();
    assert_eq!(reveal.stdout, "Facebook-password\n");
    refused(&dave, &["reveal", "Instagram", "--reason", "curious"], 5, "no live grant covers this entry");
    refused(&dave, &["reveal", "Mailgun", "--reason", "another category"], 5, "no live grant covers this entry");
    refused(&dave, &["entry", "show", "Nowhere"], 5, "no live grant covers this entry");

    // Past the expiry (the test clock moves; nobody sleeps) the same reveal is refused.
    daemon.clock.advance(15 * DAY);
    dave.login(&daemon, "Dave", &dave_pass).ok();
    refused(&dave, &["reveal", "Facebook", "--reason", "after the task"], 5, "no live grant covers this entry");
    assert!(listed(&dave).is_empty());
    let grants = dave.run(&["grant", "list", "--json"]).ok().json();
    assert_eq!(grants["grants"][0]["state"], "expired");

    // A new grant works until it is revoked, at once.
    carol.login(&daemon, "Carol", &carol_pass).ok();
    let grant = carol
        .run(&["grant", "add", "Dave", "--entry", "facebook", "--until", "2999-01-01", "--task", "x", "--json"])
        .code;
    assert_eq!(grant, 8, "beyond the 90-day maximum");
    let grant = carol.run(&[
        "grant",
        "add",
        "Dave",
        "--entry",
        "Facebook",
        "--for",
        "7d",
        "--task",
        "a second video",
        "--json",
    ]);
    let id = grant.ok().json()["id"].as_str().unwrap().to_string();
    dave.run(&["reveal", "Facebook", "--reason", "the second video"]).ok();
    let revoked = carol.run(&["grant", "revoke", &id[..8], "--json"]).ok().json();
    assert_eq!(revoked["state"], "revoked");
    refused(&dave, &["reveal", "Facebook", "--reason", "after revoke"], 5, "no live grant covers this entry");

    // An auditor never reveals, whatever it asks for.
    alice.login(&daemon, "Alice", &alice_pass).ok();
    let (eve, _) = person(&daemon, &alice, "Eve", "auditor");
    refused(&eve, &["reveal", "Facebook", "--reason", "audit"], 5, "auditors never reveal secrets");
    refused(&eve, &["entry", "list"], 5, "auditors read the audit log, not entries");
    // The auditor reads the log, where the refused reveals are too; members and access managers see nothing of it.
    let read = eve.run(&["audit", "list", "--actor", "Eve", "--action", "entry", "--json"]).ok().json();
    assert_eq!(read["events"][0]["outcome"], "denied", "a refused read is an event too: {read}");
    let denied = eve.run(&["audit", "list", "--action", "reveal", "--json"]).ok().json();
    let outcomes: Vec<(&str, &str)> = denied["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor"].as_str().unwrap(), e["outcome"].as_str().unwrap()))
        .collect();
    assert!(outcomes.contains(&("Dave", "denied")) && outcomes.contains(&("Eve", "denied")), "{outcomes:?}");
    refused(&dave, &["audit", "list"], 5, "only the president, the leader and auditors may read the audit log");
    refused(&carol, &["audit", "export", "--out", "x.jsonl"], 5, "only the president, the leader and auditors");

    // Offboarding ends the member's session and grants and flags what the member revealed.
    let offboarded = alice.run(&["person", "offboard", "Dave", "--json"]).ok().json();
    assert_eq!(offboarded["rotation_due"], serde_json::json!(["Facebook"]));
    let seen = &offboarded["revealed"][0];
    assert_eq!(
        (&seen["seen"], &seen["seen_code"], &seen["seen_arguments"]),
        (
            &serde_json::json!("the current version (1)"),
            &serde_json::json!("current"),
            &serde_json::json!({"version": "1"})
        ),
        "{offboarded}"
    );
    refused(&dave, &["entry", "list"], 4, "coffre login");
    let facebook = alice.run(&["entry", "show", "Facebook", "--json"]).ok().json();
    assert!(facebook["rotation_due"].as_str().unwrap().contains("Dave"), "{facebook}");
    assert!(alice.run(&["entry", "show", "Instagram", "--json"]).ok().json()["rotation_due"].is_null());
    let people = alice.run(&["person", "list", "--json"]).ok().json();
    let dave_row = people["people"].as_array().unwrap().iter().find(|p| p["name"] == "Dave").cloned().unwrap();
    assert_eq!(dave_row["state"], "offboarded");
    let relogin = dave.login(&daemon, "Dave", &dave_pass);
    assert_eq!(relogin.code, 4, "{}", relogin.stderr);
}

#[test]
fn a_wrong_or_replayed_second_factor_code_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, pass) = initialised(tmp.path());
    alice.run(&["logout"]).ok();

    let good = alice.next_totp(&daemon, "Alice");
    // Any other six digits (a clash with the code of a neighbouring step has odds of two in a million).
    let other = if good == "000000" { "111111" } else { "000000" };
    let wrong = alice.run(&["login", "Alice", "--passphrase-file", &pass, "--totp", other]);
    assert_eq!(wrong.code, 4, "{}", wrong.stderr);
    assert!(wrong.stderr.contains("wrong name, passphrase or code"), "{}", wrong.stderr);

    alice.run(&["login", "Alice", "--passphrase-file", &pass, "--totp", &good]).ok();
    let replay = alice.run(&["login", "Alice", "--passphrase-file", &pass, "--totp", &good]);
    assert_eq!(replay.code, 4, "a code already used: {}", replay.stderr);
    assert_eq!(replay.stderr, wrong.stderr, "a replay gets the same answer as a wrong code");

    // The answer does not tell an unknown name from a known one.
    let unknown = alice.run(&["login", "Nobody", "--passphrase-file", &pass, "--totp", &good]);
    assert_eq!((unknown.code, unknown.stderr.as_str()), (wrong.code, wrong.stderr.as_str()));

    // Without --totp and without a terminal, the client says how to give the code instead of hanging.
    let no_code = alice.run(&["login", "Alice", "--passphrase-file", &pass]);
    assert_eq!(no_code.code, 8, "{}", no_code.stderr);
    assert!(no_code.stderr.contains("--totp"), "{}", no_code.stderr);
}

#[test]
fn passwd_changes_the_passphrase_that_logs_in_and_unseals() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, pass) = initialised(tmp.path());
    let new_pass = alice.secret_file("new.pass", "an entirely new passphrase");
    alice.run(&["passwd", "--passphrase-file", &pass, "--new-passphrase-file", &new_pass]).ok();
    let daemon = daemon.restart();
    let old = alice.run(&["unseal", "--passphrase-file", &pass]);
    assert_eq!(old.code, 4, "{}", old.stderr);
    alice.run(&["unseal", "--passphrase-file", &new_pass]).ok();
    alice.login(&daemon, "Alice", &new_pass).ok();
}

/// A session left idle for the configured idle time ends: refused at once, and the serving coffred records its end
/// (`session.end`, "idle") and removes its stored copy, so that no take-over brings it back (the engine's tests
/// take the vault over; this checks that the daemon sweeps by itself). A session in use is left alone.
#[test]
fn a_session_left_idle_ends_and_the_daemon_records_its_end_by_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, alice_pass) = coffre_e2e::initialised_configured(tmp.path(), "[sessions]\nidle = \"8s\"\n");
    let (dave, _) = person(&daemon, &alice, "Dave", "member");
    daemon.clock.advance(Duration::from_secs(9));
    let idle = dave.run(&["entry", "list"]);
    assert_ne!(idle.code, 0, "idle for longer than the idle time: {}", idle.stdout);
    assert!(idle.stderr.contains("coffre login"), "{}", idle.stderr);
    alice.login(&daemon, "Alice", &alice_pass).ok();

    // The daemon sweeps every quarter of the idle time here (2 s), on its own; the test clock does not move.
    let ended = |target: &str| {
        let list = alice.run(&["audit", "list", "--action", "session.end", "--json"]).ok().json();
        list["events"].as_array().unwrap().iter().any(|e| e["target"] == target && e["reason"] == "idle")
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !ended("Dave") {
        assert!(std::time::Instant::now() < deadline, "no session.end for Dave within a minute");
        std::thread::sleep(Duration::from_millis(200));
    }
    let list = alice.run(&["audit", "list", "--action", "session.end", "--json"]).ok().json();
    let ends: Vec<&str> = list["events"].as_array().unwrap().iter().map(|e| e["target"].as_str().unwrap()).collect();
    // Dave's, and the president's first session (idle as long); each recorded once, and her new one goes on.
    let mut ends = ends;
    ends.sort_unstable();
    assert_eq!(ends, ["Alice", "Dave"]);
    alice.run(&["entry", "list"]).ok();
}
