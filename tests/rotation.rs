//! Rotation and approvals end to end: two-phase password changes with history, the generator, platform TOTP codes,
//! the rotation-due report and the two-person rule, against a real coffred over TLS on a test clock, driven by the
//! real client (one client, one home and one authenticator app per person).

use std::time::Duration;

use coffre_crypto::totp::TotpSeed;
use coffre_e2e::{Client, Daemon, Run, initialised};

/// RFC 6238 appendix B's seed ("12345678901234567890"), as a platform shows it for an authenticator app.
const RFC_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// `by` adds `name` with `role`; `name` enrols on a client of their own and logs in. Returns that client and the
/// passphrase file.
fn person(daemon: &Daemon, by: &Client, name: &str, role: &str) -> (Client, String) {
    let added = by.run(&["person", "add", name, "--role", role, "--json"]).ok().json();
    let code = added["enrolment_code"].as_str().expect("a code").to_string();
    let client = Client::new(daemon);
    let pass = client.secret_file("own.pass", &format!("{name}'s own passphrase"));
    client.enroll(daemon, &code, &pass).ok();
    client.login(daemon, name, &pass).ok();
    (client, pass)
}

/// `coffre entry add PLATFORM` with a password (and a TOTP seed) from files.
fn add_entry(client: &Client, platform: &str, classification: &str, seed: Option<&str>) -> Run {
    let password = client.secret_file(&format!("{platform}.pass"), &format!("{platform}-password-1"));
    let mut args = vec![
        "entry",
        "add",
        platform,
        "--category",
        "social-network",
        "--login",
        "party",
        "--classification",
        classification,
        "--password-file",
        &password,
    ];
    let seed_file = seed.map(|seed| client.secret_file(&format!("{platform}.seed"), seed));
    if let Some(file) = &seed_file {
        args.extend(["--totp-seed-file", file]);
    }
    client.run(&args)
}

#[track_caller]
fn refused(run: Run, code: i32, needle: &str) {
    assert_eq!(run.code, code, "stderr: {}", run.stderr);
    assert!(run.stderr.contains(needle), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "printed {}", run.stdout);
}

fn reveal(client: &Client, args: &[&str]) -> String {
    let mut all = vec!["reveal"];
    all.extend(args);
    all.extend(["--reason", "the test"]);
    client.run(&all).ok().stdout.trim_end_matches('\n').to_string()
}

/// The test clock's time as the client prints it in JSON (RFC 3339, whole seconds, UTC).
fn rfc3339(daemon: &Daemon) -> String {
    let seconds = daemon.clock.now_ms() / 1000;
    let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days: the proleptic Gregorian date of a day count from 1970-01-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

#[test]
fn a_rotation_is_staged_revealed_by_owners_only_then_cancelled_exactly_or_confirmed_into_history() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, _) = initialised(tmp.path());
    add_entry(&alice, "Facebook", "restricted", Some(RFC_SEED)).ok();
    let (dave, _) = person(&daemon, &alice, "Dave", "member");
    alice.run(&["grant", "add", "Dave", "--entry", "Facebook", "--for", "7d", "--task", "weekly video"]).ok();
    let before_entry = alice.run(&["entry", "show", "Facebook", "--json"]).ok().json();
    let before_history = alice.run(&["entry", "history", "Facebook", "--json"]).ok().json();

    // Stage: the pending version waits; a second stage is refused, never merged.
    let new = alice.secret_file("new.pass", "Facebook-password-2");
    daemon.clock.advance(Duration::from_secs(60));
    let staged = alice.run(&["rotate", "stage", "Facebook", "--password-file", &new, "--json"]).ok().json();
    assert_eq!((staged["pending_version"].as_u64(), staged["staged_by"].as_str()), (Some(2), Some("Alice")));
    let other = alice.secret_file("other.pass", "someone-else's");
    refused(
        alice.run(&["rotate", "stage", "Facebook", "--password-file", &other]),
        3,
        "a rotation is already staged for this entry: confirm or cancel it first",
    );
    assert_eq!(reveal(&alice, &["Facebook", "--pending"]), "Facebook-password-2");
    assert_eq!(reveal(&alice, &["Facebook"]), "Facebook-password-1", "the current one is untouched");
    refused(
        dave.run(&["reveal", "Facebook", "--pending", "--reason", "curious"]),
        5,
        "only the president or the leader may rotate passwords",
    );
    refused(dave.run(&["rotate", "confirm", "Facebook"]), 5, "only the president or the leader");

    // Cancel: the entry and its history are exactly as before the stage.
    daemon.clock.advance(Duration::from_secs(60));
    let cancelled = alice.run(&["rotate", "cancel", "Facebook", "--json"]).ok().json();
    assert_eq!(cancelled["rotation_id"], staged["rotation_id"]);
    assert_eq!(alice.run(&["entry", "show", "Facebook", "--json"]).ok().json(), before_entry);
    assert_eq!(alice.run(&["entry", "history", "Facebook", "--json"]).ok().json(), before_history);
    assert_eq!(reveal(&alice, &["Facebook"]), "Facebook-password-1");
    refused(alice.run(&["rotate", "confirm", "Facebook"]), 3, "no rotation is staged for this entry");

    // Stage a generated passphrase, reveal it to set it on the platform, confirm: it shows in history.
    let staged = alice.run(&["rotate", "stage", "Facebook", "--generate", "--words", "6", "--json"]).ok().json();
    assert_eq!(staged["generated"], true);
    assert_eq!(staged["entropy_bits"].as_f64(), Some(77.5));
    let generated = reveal(&alice, &["Facebook", "--pending"]);
    assert!(generated.split('-').filter(|w| !w.is_empty()).count() >= 6, "{generated}");
    daemon.clock.advance(Duration::from_secs(120));
    let confirmed_at = rfc3339(&daemon);
    let id = staged["rotation_id"].as_str().unwrap();
    let confirmed = alice.run(&["rotate", "confirm", "Facebook", "--id", &id[..8], "--json"]).ok().json();
    assert_eq!(confirmed["version"], 2);
    assert_eq!(reveal(&alice, &["Facebook"]), generated);
    assert_eq!(reveal(&alice, &["Facebook", "--version", "1"]), "Facebook-password-1", "nothing is lost");
    assert_eq!(reveal(&alice, &["Facebook", "--field", "totp-seed"]), RFC_SEED, "the seed carried over");
    let history = alice.run(&["entry", "history", "Facebook", "--json"]).ok().json();
    let versions = history["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        (&versions[0]["version"], &versions[0]["created_by"], &versions[0]["created"], &versions[0]["changed"]),
        (
            &serde_json::json!(2),
            &serde_json::json!("Alice"),
            &serde_json::json!(confirmed_at),
            &serde_json::json!(["password"])
        )
    );
    assert_eq!(versions[1], before_history["versions"][0]);
    refused(dave.run(&["entry", "history", "Facebook"]), 5, "only the president or the leader may see old versions");

    // Every step is in the audit log, and the generated password is nowhere in it.
    let audit = alice.run(&["audit", "list", "--action", "rotation", "--json"]).ok().json();
    let steps: Vec<String> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["actor"].as_str().unwrap(),
                e["action"].as_str().unwrap(),
                e["outcome"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            "Alice rotation.stage success",
            "Dave rotation.confirm denied",
            "Alice rotation.cancel success",
            "Alice rotation.stage success",
            "Alice rotation.confirm success"
        ]
    );
    let all = alice.run(&["audit", "list", "--json"]).ok().stdout;
    assert!(!all.contains(&generated) && !all.contains("Facebook-password-2"));
    assert!(!daemon.log().contains(&generated), "the daemon never logs a password");
}

#[test]
fn totp_codes_compromise_flags_and_offboarding_show_in_rotation_due_until_a_confirm() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, alice_pass) = initialised(tmp.path());
    add_entry(&alice, "Facebook", "restricted", Some(RFC_SEED)).ok();
    refused(add_entry(&alice, "Instagram", "restricted", Some("my seed!")), 8, "invalid TOTP seed");

    // The current code of the platform's second factor, computed by the daemon at its (test) time.
    let code = alice.run(&["reveal", "Facebook", "--field", "totp", "--reason", "log in", "--json"]).ok().json();
    let now = daemon.clock.now_ms() / 1000;
    let expected = TotpSeed::from_platform_base32(RFC_SEED).unwrap().code_at(now);
    assert_eq!(code["secret"].as_str(), Some(expected.as_str()));
    assert_eq!(code["valid_for_secs"].as_i64(), Some(30 - now % 30));
    let audit = alice.run(&["audit", "list", "--action", "reveal", "--json"]).ok().json();
    let last = audit["events"].as_array().unwrap().last().cloned().unwrap();
    assert!(last["detail"].as_str().unwrap().starts_with("field=totp version=1"), "{last}");

    // A member with a grant gets the code, not the seed; reports a compromise; is offboarded.
    let (dave, _) = person(&daemon, &alice, "Dave", "member");
    alice.run(&["grant", "add", "Dave", "--entry", "Facebook", "--for", "7d", "--task", "weekly video"]).ok();
    assert_eq!(reveal(&dave, &["Facebook", "--field", "totp"]).len(), 6);
    refused(
        dave.run(&["reveal", "Facebook", "--field", "totp-seed", "--reason", "r"]),
        5,
        "only the president or the leader may reveal a TOTP seed",
    );
    let flagged_at = rfc3339(&daemon);
    let flag = dave
        .run(&["entry", "flag", "Facebook", "--compromised", "--reason", "typed on a shared computer", "--json"])
        .ok()
        .json();
    assert_eq!((flag["since"].as_str(), flag["already"].as_bool()), (Some(flagged_at.as_str()), Some(false)));
    refused(dave.run(&["rotation", "due"]), 5, "only the president or the leader may see which passwords are due");
    daemon.clock.advance(Duration::from_secs(3600));
    alice.login(&daemon, "Alice", &alice_pass).ok();
    let offboarded_at = rfc3339(&daemon);
    alice.run(&["person", "offboard", "Dave"]).ok();

    let due = alice.run(&["rotation", "due", "--json"]).ok().json();
    let reasons = &due["due"][0]["reasons"];
    assert_eq!(due["due"][0]["platform"], "Facebook");
    assert_eq!(
        (reasons[0]["kind"].as_str(), reasons[0]["since"].as_str()),
        (Some("compromised"), Some(flagged_at.as_str()))
    );
    assert!(reasons[0]["detail"].as_str().unwrap().contains("typed on a shared computer"));
    assert_eq!(
        (reasons[1]["kind"].as_str(), reasons[1]["since"].as_str()),
        (Some("offboarded"), Some(offboarded_at.as_str()))
    );
    let text = alice.run(&["rotation", "due"]).ok().stdout;
    assert!(text.contains("compromised") && text.contains("offboarded"), "{text}");

    // A confirmed rotation clears both.
    alice.run(&["rotate", "stage", "Facebook", "--generate"]).ok();
    let staged = alice.run(&["rotation", "due", "--json"]).ok().json();
    assert_eq!(staged["staged"][0]["platform"], "Facebook");
    alice.run(&["rotate", "confirm", "Facebook"]).ok();
    let due = alice.run(&["rotation", "due", "--json"]).ok().json();
    assert_eq!(due, serde_json::json!({ "due": [], "staged": [] }));

    // A year later, its age is a reason of its own (social networks: 365 days by default).
    daemon.clock.advance(Duration::from_secs(366 * 24 * 3600));
    alice.login(&daemon, "Alice", &alice_pass).ok();
    let due = alice.run(&["rotation", "due", "--json"]).ok().json();
    assert_eq!(due["due"][0]["reasons"][0]["kind"], "age", "{due}");
}

#[test]
fn a_very_confidential_reveal_needs_an_owners_approval_each_time_and_a_denial_reveals_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, alice, alice_pass) = initialised(tmp.path());
    add_entry(&alice, "Bank", "very-confidential", None).ok();
    let (dave, dave_pass) = person(&daemon, &alice, "Dave", "member");
    alice.run(&["grant", "add", "Dave", "--entry", "Bank", "--for", "30d", "--task", "pay the hall"]).ok();

    // Without an approval: refused, whatever the grant says.
    refused(dave.run(&["reveal", "Bank", "--reason", "pay"]), 5, "needs an owner's approval for each reveal");
    let ask = |reason: &str| -> String {
        daemon.clock.advance(Duration::from_secs(1));
        let asked = dave.run(&["approval", "request", "Bank", "--reason", reason, "--json"]).ok().json();
        assert_eq!(asked["state"], "pending");
        asked["id"].as_str().unwrap().to_string()
    };

    // Denied: nothing is revealed.
    let denied = ask("pay the hall rental");
    let pending = alice.run(&["approval", "list", "--json"]).ok().json();
    assert_eq!(pending["approvals"][0]["id"].as_str(), Some(denied.as_str()));
    assert_eq!(pending["approvals"][0]["reason"], "pay the hall rental");
    refused(
        dave.run(&["reveal", "Bank", "--reason", "pay"]),
        5,
        "waiting for the president's or the leader's decision",
    );
    refused(dave.run(&["approval", "approve", &denied]), 5, "only the president or the leader may approve or deny");
    alice.run(&["approval", "deny", &denied[..8], "--reason", "not this month"]).ok();
    refused(dave.run(&["reveal", "Bank", "--reason", "pay"]), 5, "needs an owner's approval");

    // Approved: one reveal, single-use.
    let approved = ask("pay the hall rental, again");
    alice.run(&["approval", "approve", &approved]).ok();
    assert_eq!(reveal(&dave, &["Bank"]), "Bank-password-1");
    refused(dave.run(&["reveal", "Bank", "--reason", "once more"]), 5, "needs an owner's approval");
    refused(alice.run(&["approval", "approve", &approved]), 3, "this request was decided already");

    // Approved and not used within 15 minutes: expired.
    let late = ask("later");
    alice.run(&["approval", "approve", &late]).ok();
    daemon.clock.advance(Duration::from_secs(16 * 60));
    dave.login(&daemon, "Dave", &dave_pass).ok();
    refused(dave.run(&["reveal", "Bank", "--reason", "too late"]), 5, "needs an owner's approval");
    let mine = dave.run(&["approval", "list", "--json"]).ok().json();
    let states: Vec<&str> =
        mine["approvals"].as_array().unwrap().iter().map(|a| a["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["denied", "used", "expired"]);

    // Every step is in the audit log; the reveal names the approval it used.
    alice.login(&daemon, "Alice", &alice_pass).ok();
    let audit = alice.run(&["audit", "list", "--target", "Bank", "--json"]).ok().json();
    let steps: Vec<String> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["actor"].as_str().unwrap(),
                e["action"].as_str().unwrap(),
                e["outcome"].as_str().unwrap()
            )
        })
        .collect();
    for step in
        ["Dave approval.request success", "Dave approval.use success", "Dave reveal success", "Dave reveal denied"]
    {
        assert!(steps.contains(&step.to_string()), "{step} in {steps:?}");
    }
    let decisions = alice.run(&["audit", "list", "--action", "approval", "--actor", "Alice", "--json"]).ok().json();
    let decided: Vec<&str> =
        decisions["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(decided, ["approval.deny", "approval.approve", "approval.approve"]);
    let used =
        audit["events"].as_array().unwrap().iter().find(|e| e["action"] == "reveal" && e["outcome"] == "success");
    assert!(used.unwrap()["detail"].as_str().unwrap().contains(&format!("approval={approved}")));
}

#[test]
fn generate_runs_locally_and_follows_its_policy() {
    // No daemon and no configuration at all: a fresh client home.
    let tmp = tempfile::tempdir().unwrap();
    let daemon_less = Client {
        home: tempfile::tempdir().unwrap(),
        server: String::new(),
        ca: tmp.path().join("none.pem"),
        seeds: Default::default(),
        env: Vec::new(),
    };
    let run = daemon_less.run_unconfigured(&["generate"]).ok();
    assert_eq!(run.stdout.trim_end().chars().count(), 24);
    assert!(run.stderr.contains("bits of entropy"), "{}", run.stderr);
    let json = daemon_less.run_unconfigured(&["generate", "--length", "40", "--no-symbols", "--json"]).ok().json();
    let password = json["password"].as_str().unwrap();
    assert!(password.len() == 40 && password.chars().all(|c| c.is_ascii_alphanumeric()), "{password}");
    let words = daemon_less.run_unconfigured(&["generate", "--words", "7", "--separator", "."]).ok().stdout;
    assert_eq!(words.trim_end().split('.').count(), 7, "{words}");
    refused(daemon_less.run_unconfigured(&["generate", "--length", "8"]), 8, "12 to 256 characters");
}
