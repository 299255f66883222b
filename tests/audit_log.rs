//! The audit log end to end: what the daemon records, `coffre audit list`, and an export that an auditor verifies
//! offline with only the public key, detecting each of the five ways to tamper with it.

// Test helpers panic on what they cannot use, as the tests themselves do.
#![allow(clippy::unwrap_used)]

use coffre_e2e::{Client, initialised};

fn add_entry(client: &Client, platform: &str) {
    let password = client.secret_file(&format!("{platform}.pass"), &format!("{platform}-s3cret"));
    client
        .run(&["entry", "add", platform, "--category", "software", "--login", "ops", "--password-file", &password])
        .ok();
}

/// A vault with two entries, a few reveals and a failed login; returns the daemon, client, export file and key.
fn exported(dir: &std::path::Path) -> (coffre_e2e::Daemon, Client, std::path::PathBuf, String) {
    let (daemon, client, _) = initialised(dir);
    add_entry(&client, "Mailgun");
    add_entry(&client, "GoDaddy");
    for reason in ["newsletter", "dns change", "invoice"] {
        client.run(&["reveal", "Mailgun", "--reason", reason]).ok();
    }
    client.run(&["reveal", "GoDaddy", "--reason", "renew the domain"]).ok();
    let key = client.run(&["status", "--json"]).ok().json()["audit_public_key"].as_str().unwrap().to_string();
    assert!(key.starts_with("ed25519:"), "{key}");
    let out = dir.join("audit.jsonl");
    let export = client.run(&["audit", "export", "--out", out.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(export["public_key"], key.as_str());
    (daemon, client, out, key)
}

fn verify(client: &Client, file: &std::path::Path, key: &str) -> coffre_e2e::Run {
    client.run_unconfigured(&["audit", "verify", file.to_str().unwrap(), "--key", key])
}

#[test]
fn an_export_verifies_offline_and_lists_what_happened() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, client, out, key) = exported(tmp.path());
    // The daemon is not needed to verify.
    drop(daemon);
    let summary =
        client.run_unconfigured(&["audit", "verify", out.to_str().unwrap(), "--key", &key, "--json"]).ok().json();
    assert_eq!(summary["valid"], true);
    // init, login, 2 x entry.create, 4 reveals, audit.export.
    assert_eq!(summary["events"], 9);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.first().unwrap()["type"], "export");
    assert_eq!(lines.last().unwrap()["type"], "head");
    let reveal = lines.iter().find(|l| l["action"] == "reveal").unwrap();
    for field in ["seq", "time", "actor", "target", "outcome", "reason", "client_addr", "client_agent", "prev_hash"] {
        assert!(reveal.get(field).is_some(), "{field} in {reveal}");
    }
    assert_eq!((reveal["actor"].as_str(), reveal["target"].as_str()), (Some("Alice"), Some("Mailgun")));
    assert!(reveal["client_agent"].as_str().unwrap().starts_with("coffre/"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600, "the export is private");
}

#[test]
fn the_log_lists_with_filters_and_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let (_daemon, client, _, _) = exported(tmp.path());
    let page = client.run(&["audit", "list", "--action", "reveal", "--limit", "3", "--json"]).ok().json();
    let events = page["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    let next = page["next_after"].as_u64().expect("a next page");
    let next = next.to_string();
    let rest = client.run(&["audit", "list", "--action", "reveal", "--after", &next, "--json"]).ok().json();
    assert_eq!(rest["events"].as_array().unwrap().len(), 1);
    assert_eq!(rest["next_after"], serde_json::Value::Null);
    let godaddy = client.run(&["audit", "list", "--target", "godaddy", "--json"]).ok().json();
    let actions: Vec<&str> =
        godaddy["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["entry.create", "reveal"]);
    let none = client.run(&["audit", "list", "--actor", "Mallory", "--since", "2000-01-01"]).ok();
    assert_eq!(none.stdout, "No audit event matches.\n");
    let table = client.run(&["audit", "list", "--action", "entry"]).ok();
    assert!(table.stdout.starts_with("SEQ"), "{}", table.stdout);
    assert!(table.stdout.contains("entry.create"));
}

/// Rewrites the export's lines with `change` and checks that `coffre audit verify` refuses it (exit code 12),
/// naming the first bad event.
fn assert_detected(
    client: &Client,
    out: &std::path::Path,
    key: &str,
    change: impl FnOnce(&mut Vec<String>),
    first_bad: u64,
) {
    let mut lines: Vec<String> = std::fs::read_to_string(out).unwrap().lines().map(str::to_string).collect();
    change(&mut lines);
    let tampered = out.with_extension("tampered.jsonl");
    std::fs::write(&tampered, lines.join("\n") + "\n").unwrap();
    let run = verify(client, &tampered, key);
    assert_eq!(run.code, 12, "stdout {} stderr {}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains(&format!("(first bad event: {first_bad})")),
        "expected event {first_bad} to be named: {}",
        run.stderr
    );
}

#[test]
fn each_way_of_tampering_with_an_export_is_detected_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (_daemon, client, out, key) = exported(tmp.path());
    assert_eq!(verify(&client, &out, &key).ok().code, 0);
    // Line 0 is the export line, so event n is line n.
    // Edit: a reason is changed.
    assert_detected(&client, &out, &key, |l| l[6] = l[6].replace("dns change", "dns chango"), 6);
    // Delete: event 5 disappears.
    assert_detected(&client, &out, &key, |l| drop(l.remove(5)), 5);
    // Insert: a copy of event 3 is slipped in after it.
    assert_detected(&client, &out, &key, |l| l.insert(4, l[3].clone()), 4);
    // Reorder: events 6 and 7 swap places.
    assert_detected(&client, &out, &key, |l| l.swap(6, 7), 6);
    // Truncate: the last two events are cut off (the signed head stays).
    assert_detected(
        &client,
        &out,
        &key,
        |l| {
            let head = l.pop().unwrap();
            l.truncate(l.len() - 2);
            l.push(head);
        },
        8,
    );
    // Truncate harder: the head goes too.
    assert_detected(&client, &out, &key, |l| l.truncate(7), 7);
}

#[test]
fn an_export_checked_with_another_vaults_key_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for vault in ["one", "two"] {
        std::fs::create_dir(tmp.path().join(vault)).unwrap();
    }
    let (_daemon, client, out, _) = exported(&tmp.path().join("one"));
    let (_other, other_client, _, other_key) = exported(&tmp.path().join("two"));
    let run = verify(&other_client, &out, &other_key);
    assert_eq!(run.code, 12, "{}", run.stderr);
    assert!(run.stderr.contains("signature is not valid under this key"), "{}", run.stderr);
    drop(client);
}
