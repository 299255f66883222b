//! The register of official accounts end to end: lifecycle transitions kept by the engine with when and who, the
//! organisation's name from the daemon's configuration, CSV with formula cells made inert, JSON and HTML, owners
//! and auditors may export it (recovery contacts owners only), and no password, login or note of the vault in any
//! of the three files.

use std::time::Duration;

use coffre_e2e::{Client, Daemon, TEST_KDF};

/// `by` adds `name` with `role`; `name` enrols on a client of their own and logs in.
fn person(daemon: &Daemon, by: &Client, name: &str, role: &str) -> Client {
    let added = by.run(&["person", "add", name, "--role", role, "--json"]).ok().json();
    let code = added["enrolment_code"].as_str().expect("a code").to_string();
    let client = Client::new(daemon);
    let pass = client.secret_file("own.pass", &format!("{name}'s own passphrase"));
    client.enroll(daemon, &code, &pass).ok();
    client.login(daemon, name, &pass).ok();
    client
}

#[test]
fn the_register_has_every_transition_with_who_and_when_the_organisation_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("coffred.toml");
    std::fs::write(&config, "[organisation]\nname = \"Parti de l'Île — section « Montréal »\"\n").unwrap();
    let exec = format!("exec \"$@\" --config '{}'", config.display());
    let daemon = Daemon::start_wrapped(&dir.path().join("data"), "127.0.0.1:0", &["sh", "-c", &exec, "sh"]);
    let alice = Client::new(&daemon);
    let pass = alice.secret_file("president.pass", "correct horse battery staple");
    let mut init = vec!["init", "--president", "Alice", "--passphrase-file", &pass, "--json"];
    init.extend(TEST_KDF);
    let init = alice.run(&init).ok().json();
    alice.remember_totp("Alice", init["president_otpauth_uri"].as_str().unwrap());
    alice.login(&daemon, "Alice", &pass).ok();

    // An account planned, then put in use, then disposed of, a day apart each; another with a formula-looking name
    // and a recovery contact; and a spreadsheet's accounts imported.
    let mut passwords = vec!["planned-secret-1".to_string(), "formula-secret-2".to_string()];
    let file = alice.secret_file("p1", &passwords[0]);
    alice
        .run(&[
            "entry",
            "add",
            "Campagne 2026",
            "--category",
            "social-network",
            "--login",
            "login-campagne",
            "--lifecycle",
            "planned",
            "--password-file",
            &file,
        ])
        .ok();
    // A day later the session has ended: Alice logs in again, as she would.
    daemon.clock.advance(Duration::from_secs(86_400));
    alice.login(&daemon, "Alice", &pass).ok();
    alice.run(&["entry", "edit", "Campagne 2026", "--lifecycle", "active"]).ok();
    daemon.clock.advance(Duration::from_secs(86_400));
    alice.login(&daemon, "Alice", &pass).ok();
    alice.run(&["entry", "archive", "Campagne 2026"]).ok();
    let file = alice.secret_file("p2", &passwords[1]);
    let notes = alice.secret_file("n2", "note-secrète");
    alice
        .run(&[
            "entry",
            "add",
            "=HYPERLINK(\"http://evil\")",
            "--category",
            "other",
            "--login=-login-formula",
            "--url",
            "@https://evil.example",
            "--recovery-contact",
            "+1 514 555 0100",
            "--password-file",
            &file,
            "--notes-file",
            &notes,
        ])
        .ok();
    let csv_path = dir.path().join("comptes.csv");
    let mut csv = String::from("Nom,Identifiant,Mot de passe\n");
    for n in 0..5 {
        passwords.push(format!("importé-{n}-secret"));
        csv.push_str(&format!("Compte {n},identifiant-{n},{}\n", passwords.last().unwrap()));
    }
    std::fs::write(&csv_path, csv).unwrap();
    alice.run(&["import", "--format", "csv", csv_path.to_str().unwrap()]).ok();

    // JSON: every transition, in order, with who and when.
    let json: serde_json::Value =
        serde_json::from_str(&alice.run(&["registry", "export", "--format", "json"]).ok().stdout).unwrap();
    assert_eq!(json["organisation"], "Parti de l'Île — section « Montréal »");
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 7);
    let campaign = entries.iter().find(|e| e["platform"] == "Campagne 2026").unwrap();
    assert_eq!(campaign["lifecycle"], "archived");
    let transitions = campaign["transitions"].as_array().unwrap();
    let states: Vec<&str> = transitions.iter().map(|t| t["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["planned", "active", "archived"]);
    assert!(transitions.iter().all(|t| t["by"] == "Alice"));
    let times: Vec<&str> = transitions.iter().map(|t| t["at"].as_str().unwrap()).collect();
    assert!(times[0] < times[1] && times[1] < times[2], "{times:?}");
    assert!(entries.iter().all(|e| e.get("recovery_contacts").is_none()));

    // CSV to a file: formula cells inert, the transitions' columns, no secret, login or note.
    let out = dir.path().join("registre.csv");
    alice.run(&["registry", "export", "--format", "csv", "--out", out.to_str().unwrap()]).ok();
    let text = std::fs::read_to_string(&out).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(&header[..7], ["organisation", "platform", "category", "url", "classification", "lifecycle", "created"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let formula = rows.iter().find(|r| r[1].contains("HYPERLINK")).unwrap();
    assert_eq!(&formula[1], "'=HYPERLINK(\"http://evil\")");
    assert_eq!(&formula[3], "'@https://evil.example");
    for row in &rows {
        for cell in row {
            assert!(!matches!(cell.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')), "live formula: {cell}");
        }
    }
    let campaign = rows.iter().find(|r| &r[1] == "Campagne 2026").unwrap();
    assert_eq!((&campaign[8], &campaign[10], &campaign[12]), ("Alice", "Alice", "Alice"));
    let html = alice.run(&["registry", "export", "--format", "html"]).ok().stdout;
    assert!(html.contains("=HYPERLINK(&quot;http://evil&quot;)") && html.contains("Parti de l&#39;Île"));
    for document in [&text, &html, &json.to_string()] {
        for secret in passwords.iter().map(String::as_str).chain([
            "login-campagne",
            "-login-formula",
            "identifiant-0",
            "note-secrète",
        ]) {
            assert!(!document.contains(secret), "the register holds {secret}");
        }
        assert!(!document.contains("555 0100"), "recovery contacts only when asked");
    }

    // Recovery contacts: an owner who asks gets them; an auditor may export the register but not them; a member
    // may not export it at all.
    let with = alice.run(&["registry", "export", "--format", "csv", "--with-recovery-contacts"]).ok().stdout;
    assert!(with.contains("'+1 514 555 0100"), "{with}");
    let auditor = person(&daemon, &alice, "Gilles", "auditor");
    let seen = auditor.run(&["registry", "export", "--format", "json"]).ok().stdout;
    assert!(seen.contains("Campagne 2026"));
    let refused = auditor.run(&["registry", "export", "--format", "json", "--with-recovery-contacts"]);
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert!(refused.stderr.contains("recovery contacts"), "{}", refused.stderr);
    let member = person(&daemon, &alice, "Dave", "member");
    let refused = member.run(&["registry", "export", "--format", "csv"]);
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    let events = alice.run(&["audit", "list", "--action", "registry.export", "--json"]).ok().json();
    let outcomes: Vec<(&str, &str)> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor"].as_str().unwrap(), e["outcome"].as_str().unwrap()))
        .collect();
    assert!(
        outcomes.contains(&("Gilles", "success"))
            && outcomes.contains(&("Gilles", "denied"))
            && outcomes.contains(&("Dave", "denied")),
        "{outcomes:?}"
    );
}
