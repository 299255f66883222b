//! `coffre import` end to end: fixtures of every format made here (small, synthetic, with French accents,
//! duplicates, empty passwords, very long fields, cards and identities to skip; the KDBX 3.1 database is the one
//! committed file, see fixtures/README.md), imported into a real coffred over TLS by the real client, then every
//! password revealed and compared with the file. Also the dry run's exactness, resuming, hostile files, and the
//! time an import of 1,000 entries takes (printed, never asserted).

// Test helpers panic on what they cannot use, as the tests themselves do.
#![allow(clippy::unwrap_used)]

use std::{
    io::Write,
    path::{Path, PathBuf},
    time::Instant,
};

use coffre_e2e::{Client, Run, initialised};
use keepass::{
    Database, DatabaseKey,
    db::{Entry, fields},
};
use serde_json::Value;

fn write(dir: &Path, name: &str, contents: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_str().unwrap().to_string()
}

fn reveal(client: &Client, platform: &str, extra: &[&str]) -> String {
    let mut args = vec!["reveal", platform, "--reason", "import test"];
    args.extend(extra);
    let run = client.run(&args).ok();
    run.stdout.strip_suffix('\n').unwrap_or(&run.stdout).to_string()
}

fn import(client: &Client, args: &[&str]) -> Run {
    let mut all = vec!["import"];
    all.extend(args);
    all.push("--json");
    client.run(&all)
}

/// (action, platform or source name) for each step.
fn actions(report: &Value) -> Vec<(String, String)> {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let name = s["platform"].as_str().or(s["source_name"].as_str()).unwrap_or_default();
            (s["action"].as_str().unwrap().to_string(), name.to_string())
        })
        .collect()
}

fn entry_names(client: &Client) -> Vec<String> {
    let list = client.run(&["entry", "list", "--archived", "--json"]).ok().json();
    list["entries"].as_array().unwrap().iter().map(|e| e["platform"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_french_spreadsheet_is_planned_exactly_imported_revealed_identical_and_not_duplicated_on_a_second_run() {
    let dir = tempfile::tempdir().unwrap();
    let (_daemon, alice, _pass) = initialised(dir.path());
    let long_name = "Très long nom de plateforme ".repeat(3);
    let long_login = "l".repeat(600);
    let csv = format!(
        "Nom;Identifiant;Mot de passe;Site web;Catégorie;Notes\n\
         Caisse Desjardins;trésorière;pâté-chinois-é1;https://desjardins.com;Banque;compte « principal »\n\
         Facebook;parti@example.org;\"=HYPERLINK(\"\"http://evil\"\")\";https://facebook.com;Réseaux sociaux;\n\
         Facebook;jeunes@example.org;+cmd|' /C calc'!A0;https://facebook.com;Réseaux sociaux;\n\
         Facebook;parti@example.org;\"=HYPERLINK(\"\"http://evil\"\")\";https://facebook.com;Réseaux sociaux;\n\
         Sans mot de passe;x;;;;\n\
         @Mailchimp;comms;-motdepasse@;https://mailchimp.com;;\n\
         {long_name};l;nom-long;;;\n\
         Identifiant trop long;{long_login};p;;;\n"
    );
    let file = write(dir.path(), "comptes.csv", csv.as_bytes());

    // The preview shows the guessed columns and never a password.
    let dry = alice.run(&["import", "--format", "csv", &file, "--dry-run"]).ok();
    assert!(
        dry.stderr.contains("platform <- \"Nom\"") && dry.stderr.contains("password <- \"Mot de passe\""),
        "{}",
        dry.stderr
    );
    assert!(!dry.stderr.contains("pâté-chinois") && !dry.stdout.contains("pâté-chinois"));
    assert!(dry.stdout.contains("Dry run: nothing was created."), "{}", dry.stdout);

    let planned = import(&alice, &["--format", "csv", &file, "--dry-run"]).ok().json();
    let cut: String = long_name.trim().chars().take(64).collect::<String>().trim_end().to_string();
    let expected = vec![
        ("create".to_string(), "Caisse Desjardins".to_string()),
        ("create".into(), "Facebook".into()),
        ("create-renamed".into(), "Facebook (2)".into()),
        ("skip".into(), "Facebook".into()),
        ("skip".into(), "Sans mot de passe".into()),
        ("create".into(), "@Mailchimp".into()),
        ("create".into(), cut.clone()),
        ("skip".into(), "Identifiant trop long".into()),
    ];
    assert_eq!(actions(&planned), expected);
    assert!(entry_names(&alice).is_empty(), "a dry run creates nothing");
    assert!(
        !planned.to_string().contains("pâté") && !planned.to_string().contains("trésorière"),
        "no secret or login in the plan"
    );

    let done = import(&alice, &["--format", "csv", &file]).ok().json();
    assert_eq!(actions(&done), expected, "the real run does what the dry run said");
    assert_eq!(done["done"]["created"], 5);
    assert_eq!(done["delete_the_file"], true);
    let human_reminder = alice.run(&["import", "--format", "csv", &file]).ok();
    assert!(human_reminder.stdout.contains("holds every password in clear"), "{}", human_reminder.stdout);

    for (platform, password) in [
        ("Caisse Desjardins", "pâté-chinois-é1"),
        ("Facebook", "=HYPERLINK(\"http://evil\")"),
        ("Facebook (2)", "+cmd|' /C calc'!A0"),
        ("@Mailchimp", "-motdepasse@"),
        (cut.as_str(), "nom-long"),
    ] {
        assert_eq!(reveal(&alice, platform, &[]), password, "{platform}");
    }
    assert_eq!(reveal(&alice, "Caisse Desjardins", &["--field", "notes"]), "compte « principal »");
    let shown = alice.run(&["entry", "show", "Caisse Desjardins", "--json"]).ok().json();
    assert_eq!((shown["category"].as_str(), shown["login"].as_str()), (Some("financial"), Some("trésorière")));
    let shown = alice.run(&["entry", "show", "Facebook (2)", "--json"]).ok().json();
    assert_eq!(shown["category"], "social-network");

    // A second run (after the human one above, itself all identical) creates nothing.
    let again = import(&alice, &["--format", "csv", &file]).ok().json();
    assert_eq!(again["done"]["created"], 0);
    assert_eq!(again["planned"]["identical"], 5, "{again}");
    assert_eq!(entry_names(&alice).len(), 5);

    // Every entry was created by the importer, through the normal calls.
    let events = alice.run(&["audit", "list", "--action", "entry.create", "--json"]).ok().json();
    let creators: Vec<&str> =
        events["events"].as_array().unwrap().iter().map(|e| e["actor"].as_str().unwrap()).collect();
    assert_eq!(creators, vec!["Alice"; 5]);
}

#[test]
fn a_bitwarden_organisation_export_brings_logins_with_history_and_totp_and_skips_cards_identities_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let (_daemon, alice, _pass) = initialised(dir.path());
    let json = r#"{
      "encrypted": false,
      "collections": [{"id": "c1", "organizationId": "o", "name": "Réseaux sociaux", "externalId": null},
                      {"id": "c2", "organizationId": "o", "name": "Trésorerie", "externalId": null}],
      "items": [
        {"id": "1", "organizationId": "o", "collectionIds": ["c1"], "type": 1, "name": "Instagram", "notes": "page officielle",
         "login": {"uris": [{"match": null, "uri": "https://instagram.com"}], "username": "parti", "password": "trois-été",
                   "totp": "otpauth://totp/Instagram:parti?secret=JBSWY3DPEHPK3PXP&issuer=Instagram"},
         "passwordHistory": [{"lastUsedDate": "2025-02-01T00:00:00.000Z", "password": "deux-été"},
                             {"lastUsedDate": "2024-01-01T00:00:00.000Z", "password": "un-été"}]},
        {"id": "2", "organizationId": "o", "collectionIds": ["c2"], "type": 1, "name": "Banque", "notes": null,
         "login": {"uris": [], "username": "trésorière", "password": "caisse", "totp": "jbsw y3dp ehpk 3pxq"}},
        {"id": "3", "organizationId": "o", "type": 3, "name": "Visa du parti", "card": {"number": "4111111111111111"}},
        {"id": "4", "organizationId": "o", "type": 4, "name": "Présidente", "identity": {"firstName": "Zoé"}},
        {"id": "5", "organizationId": "o", "type": 2, "name": "Procès-verbal", "notes": "x", "secureNote": {"type": 0}},
        {"id": "6", "organizationId": "o", "type": 1, "name": "Vide", "login": {"username": "x", "password": ""}}
      ]
    }"#;
    let file = write(dir.path(), "bitwarden.json", json.as_bytes());
    let args = ["--format", "bitwarden-json", file.as_str(), "--category-map", "Trésorerie=financial"];
    let planned = import(&alice, &[&args[..], &["--dry-run"]].concat()).ok().json();
    let done = import(&alice, &args).ok().json();
    let expected: Vec<(String, String)> = [
        ("create", "Instagram"),
        ("create", "Banque"),
        ("skip", "Visa du parti"),
        ("skip", "Présidente"),
        ("skip", "Procès-verbal"),
        ("skip", "Vide"),
    ]
    .iter()
    .map(|(a, n)| (a.to_string(), n.to_string()))
    .collect();
    assert_eq!(actions(&planned), expected);
    assert_eq!(actions(&done), expected);
    let reasons: Vec<String> = done["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reasons"][0].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        reasons[2].starts_with("a card")
            && reasons[3].starts_with("an identity")
            && reasons[4].starts_with("a secure note")
    );
    assert!(reasons[5].starts_with("no password"));

    // The history became older versions, oldest first, the current password last.
    assert_eq!(reveal(&alice, "Instagram", &[]), "trois-été");
    assert_eq!(reveal(&alice, "Instagram", &["--version", "1"]), "un-été");
    assert_eq!(reveal(&alice, "Instagram", &["--version", "2"]), "deux-été");
    assert_eq!(reveal(&alice, "Instagram", &["--field", "totp-seed"]), "JBSWY3DPEHPK3PXP");
    assert_eq!(reveal(&alice, "Instagram", &["--field", "notes"]), "page officielle");
    assert_eq!(reveal(&alice, "Banque", &[]), "caisse");
    assert_eq!(reveal(&alice, "Banque", &["--field", "totp-seed"]), "JBSWY3DPEHPK3PXQ");
    let shown = alice.run(&["entry", "show", "Instagram", "--json"]).ok().json();
    assert_eq!((shown["category"].as_str(), shown["version"].as_u64()), (Some("social-network"), Some(3)));
    assert_eq!(shown["tags"], serde_json::json!(["Réseaux sociaux"]));
    let shown = alice.run(&["entry", "show", "Banque", "--json"]).ok().json();
    assert_eq!(shown["category"], "financial");

    // Bitwarden's CSV and KeePassXC's CSV into the same vault: a clash with another account is renamed.
    let bw_csv = "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n\
                  Réseaux,1,login,Instagram,,,0,https://instagram.com,jeunesse,mdp-jeunes,\n\
                  ,,note,Codes,secret,,0,,,,\n";
    let file = write(dir.path(), "bitwarden.csv", bw_csv.as_bytes());
    let done = import(&alice, &["--format", "bitwarden-csv", &file]).ok().json();
    assert_eq!(
        actions(&done),
        [("create-renamed".to_string(), "Instagram (2)".to_string()), ("skip".into(), "Codes".into())]
    );
    assert_eq!(reveal(&alice, "Instagram (2)", &[]), "mdp-jeunes");

    let kp_csv = "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\",\"Notes\",\"TOTP\",\"Icon\",\"Last Modified\",\"Created\"\n\
                  \"Racine/Réunions\",\"Zoom\",\"secrétariat\",\"zo,om\",\"https://zoom.us\",\"\",\"\",\"0\",\"\",\"\"\n\
                  \"Racine/Corbeille\",\"Vieux\",\"x\",\"y\",\"\",\"\",\"\",\"0\",\"\",\"\"\n";
    let file = write(dir.path(), "keepassxc.csv", kp_csv.as_bytes());
    let done = import(&alice, &["--format", "keepassxc-csv", &file]).ok().json();
    assert_eq!(actions(&done), [("create".to_string(), "Zoom".to_string()), ("skip".into(), "Vieux".into())]);
    assert_eq!(reveal(&alice, "Zoom", &[]), "zo,om");
    let shown = alice.run(&["entry", "show", "Zoom", "--json"]).ok().json();
    assert_eq!(shown["category"], "meeting");
}

/// A KDBX 4 database (Argon2d, the crate's default) of `count` entries in nested groups, one with a history and
/// one with an otpauth URI; returns the path and every entry's (title, password).
fn kdbx4(dir: &Path, count: usize, password: &str) -> (PathBuf, Vec<(String, String)>) {
    let mut db = Database::new();
    let mut expected = Vec::new();
    {
        let mut root = db.root_mut();
        let mut social = root.add_group();
        social.name = "Réseaux sociaux".into();
        for n in 0..count / 2 {
            let (title, secret) = (format!("Réseau n°{n}"), format!("mot-de-passe-{n}-é"));
            social.add_entry().edit(|e| {
                e.set_unprotected(fields::TITLE, title.clone());
                e.set_unprotected(fields::USERNAME, "parti");
                e.set_protected(fields::PASSWORD, secret.clone());
            });
            expected.push((title, secret));
        }
    }
    {
        let mut root = db.root_mut();
        let mut finances = root.add_group();
        finances.name = "Finances".into();
        let mut bank = finances.add_group();
        bank.name = "Banque".into();
        for n in count / 2..count {
            let (title, secret) = (format!("Compte {n}"), format!("caisse-{n}"));
            bank.add_entry().edit(|e| {
                e.set_unprotected(fields::TITLE, title.clone());
                e.set_unprotected(fields::USERNAME, "trésorière");
                e.set_unprotected(fields::URL, "https://banque.example");
                e.set_protected(fields::PASSWORD, secret.clone());
                if n == count / 2 {
                    e.set_unprotected(fields::OTP, "otpauth://totp/Banque:t?secret=JBSWY3DPEHPK3PXP&period=30");
                }
            });
            expected.push((title, secret));
        }
    }
    // History for the first entry: two older passwords, dated apart so that their order is known.
    let first = db.root().groups().next().and_then(|g| g.entries().next().map(|e| e.id())).unwrap();
    {
        let mut entry = db.entry_mut(first).unwrap();
        let base: Entry = (*entry).clone();
        for (older, when) in [("ancien-1", keepass::db::Times::now()), ("ancien-0", Default::default())] {
            let mut old = base.clone();
            old.set_protected(fields::PASSWORD, older);
            old.times.last_modification = Some(when);
            entry.history.get_or_insert_default().add_entry(old);
        }
    }
    let path = dir.join("parti.kdbx");
    let mut file = std::fs::File::create(&path).unwrap();
    db.save(&mut file, DatabaseKey::new().with_password(password)).unwrap();
    file.flush().unwrap();
    (path, expected)
}

#[test]
fn keepass_databases_of_kdbx4_with_argon2_and_kdbx31_with_aes_kdf_import_and_a_wrong_password_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_daemon, alice, _pass) = initialised(dir.path());
    let (path, expected) = kdbx4(dir.path(), 200, "phrase de passe du parti");
    let path = path.to_str().unwrap();
    let wrong = alice.secret_file("wrong.pass", "pas la bonne");
    let refused = alice.run(&["import", "--format", "keepass", path, "--password-file", &wrong]);
    assert_eq!(refused.code, 4, "{}", refused.stderr);
    assert!(refused.stderr.contains("wrong password or key file"), "{}", refused.stderr);
    assert!(entry_names(&alice).is_empty());

    let right = alice.secret_file("right.pass", "phrase de passe du parti");
    let started = Instant::now();
    let done = import(&alice, &["--format", "keepass", path, "--password-file", &right]).ok().json();
    println!("imported a KeePass database of 200 entries in {:.1} s", started.elapsed().as_secs_f64());
    assert_eq!(done["done"]["created"], 200, "{}", done["planned"]);
    assert_eq!(done["delete_the_file"], false, "a KeePass file is encrypted");
    for (title, secret) in &expected {
        assert_eq!(&reveal(&alice, title, &[]), secret, "{title}");
    }
    let first = &expected[0].0;
    assert_eq!(reveal(&alice, first, &["--version", "1"]), "ancien-0");
    assert_eq!(reveal(&alice, first, &["--version", "2"]), "ancien-1");
    let bank = &expected[100].0;
    assert_eq!(reveal(&alice, bank, &["--field", "totp-seed"]), "JBSWY3DPEHPK3PXP");
    let shown = alice.run(&["entry", "show", bank, "--json"]).ok().json();
    assert_eq!(shown["category"], "financial", "the innermost group that names a category decides");
    assert_eq!(shown["tags"], serde_json::json!(["Finances", "Banque"]));

    // KDBX 3.1 with AES-KDF: the committed file (password in fixtures/README.md), compared with what the keepass
    // crate itself reads from it.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kdbx31-demopass.kdbx");
    let bytes = std::fs::read(&fixture).unwrap();
    assert_eq!(&bytes[8..12], &[1, 0, 3, 0], "KDBX 3.1");
    let db = Database::parse(&bytes, DatabaseKey::new().with_password("demopass")).unwrap();
    // In the importer's order: a group's entries, then its subgroups, depth first.
    fn walk(group: keepass::db::GroupRef<'_>, out: &mut Vec<(String, String)>) {
        for entry in group.entries() {
            let title = entry.get_title().unwrap_or_default().to_string();
            out.push((title, entry.get_password().unwrap_or_default().to_string()));
        }
        for child in group.groups() {
            walk(child, out);
        }
    }
    let mut in_file = Vec::new();
    walk(db.root(), &mut in_file);
    assert!(!in_file.is_empty());
    let demopass = alice.secret_file("demo.pass", "demopass");
    let fixture = fixture.to_str().unwrap();
    let done = import(&alice, &["--format", "keepass", fixture, "--password-file", &demopass]).ok().json();
    let steps = done["steps"].as_array().unwrap();
    assert_eq!(steps.len(), in_file.len());
    let mut created = 0;
    for (step, (title, password)) in steps.iter().zip(&in_file) {
        if step["action"].as_str().unwrap().starts_with("create") {
            assert_eq!(&reveal(&alice, step["platform"].as_str().unwrap(), &[]), password, "{title}");
            created += 1;
        } else {
            assert!(!step["reasons"][0].as_str().unwrap().is_empty(), "{step}");
        }
    }
    assert!(created > 0, "{done}");
}

/// A 1PUX archive holding `export_data`.
fn onepux(dir: &Path, name: &str, export_data: &[u8]) -> String {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("export.attributes", options).unwrap();
    zip.write_all(br#"{"version":3,"description":"1Password Unencrypted Export","createdAt":1700000000}"#).unwrap();
    zip.start_file("export.data", options).unwrap();
    zip.write_all(export_data).unwrap();
    zip.finish().unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_1password_export_and_a_pass_store_import_and_hostile_files_are_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (_daemon, alice, _pass) = initialised(dir.path());
    let data = r#"{"accounts": [{"attrs": {"accountName": "Parti"}, "vaults": [{"attrs": {"uuid": "v", "name": "Communications"},
      "items": [
        {"uuid": "a", "categoryUuid": "001", "state": "active", "createdAt": 1, "updatedAt": 2,
         "details": {"loginFields": [{"value": "comms@parti.example", "id": "", "name": "username", "fieldType": "T", "designation": "username"},
                                     {"value": "mot-de-passe-été", "id": "", "name": "password", "fieldType": "P", "designation": "password"}],
                     "notesPlain": "compte de la campagne",
                     "sections": [{"title": "", "fields": [{"title": "one-time password", "id": "TOTP_1", "value": {"totp": "otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP"}}]}],
                     "passwordHistory": [{"value": "vieux-été", "time": 1600000000}]},
         "overview": {"title": "YouTube", "url": "https://youtube.com", "tags": ["campagne"]}},
        {"uuid": "b", "categoryUuid": "002", "state": "active", "details": {}, "overview": {"title": "Carte de crédit"}},
        {"uuid": "c", "categoryUuid": "004", "state": "active", "details": {}, "overview": {"title": "Identité"}},
        {"uuid": "d", "categoryUuid": "005", "state": "active", "details": {"password": "seul-mdp"}, "overview": {"title": "Wi-Fi du local"}}
      ]}]}]}"#;
    let file = onepux(dir.path(), "export.1pux", data.as_bytes());
    let done = import(&alice, &["--format", "1pux", &file, "--category", "social-network"]).ok().json();
    let got = actions(&done);
    assert_eq!(got[0], ("create".to_string(), "YouTube".to_string()));
    assert_eq!((got[1].0.as_str(), got[2].0.as_str(), got[3].0.as_str()), ("skip", "skip", "create"));
    assert_eq!(reveal(&alice, "YouTube", &[]), "mot-de-passe-été");
    assert_eq!(reveal(&alice, "YouTube", &["--version", "1"]), "vieux-été");
    assert_eq!(reveal(&alice, "YouTube", &["--field", "totp-seed"]), "JBSWY3DPEHPK3PXP");
    assert_eq!(reveal(&alice, "Wi-Fi du local", &[]), "seul-mdp");

    // A zip bomb: 200 MiB of zeros that deflate to a few hundred KiB, refused as such, nothing created.
    let path = dir.path().join("bomb.1pux");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file("export.data", options).unwrap();
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..200 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    assert!(std::fs::metadata(&path).unwrap().len() < 2 * 1024 * 1024);
    let before = entry_names(&alice).len();
    let bomb = alice.run(&["import", "--format", "1pux", path.to_str().unwrap()]);
    assert_eq!(bomb.code, 10, "{}", bomb.stderr);
    assert!(bomb.stderr.contains("zip bomb"), "{}", bomb.stderr);

    // A 100 MiB CSV (sparse: no disk used), refused before it is read.
    let big = dir.path().join("big.csv");
    std::fs::File::create(&big).unwrap().set_len(100 * 1024 * 1024).unwrap();
    let refused = alice.run(&["import", "--format", "csv", big.to_str().unwrap()]);
    assert_eq!(refused.code, 10, "{}", refused.stderr);
    assert!(refused.stderr.contains("larger than 64 MiB"), "{}", refused.stderr);

    // Invalid UTF-8 (a Latin-1 é) and an opening quote that never closes: refused with the line, nothing sent.
    let latin1 = write(dir.path(), "latin1.csv", b"name,password\nCaf\xe9,secret-latin\n");
    let refused = alice.run(&["import", "--format", "csv", &latin1]);
    assert_eq!(refused.code, 8);
    assert!(refused.stderr.contains("not UTF-8") && refused.stderr.contains("line 2"), "{}", refused.stderr);
    let unclosed = write(dir.path(), "unclosed.csv", b"name,password\nA,\"never-closed-secret\nB,x\n");
    let skipped = import(&alice, &["--format", "csv", &unclosed]).ok();
    assert!(!skipped.stdout.contains("never-closed-secret"), "{}", skipped.stdout);
    let reason = skipped.json()["steps"][0]["reasons"][0].as_str().unwrap().to_string();
    assert!(reason.contains("line break"), "{reason}");
    let extra_cell = write(dir.path(), "extra.csv", b"name,password\nA,b,c\n");
    let refused = alice.run(&["import", "--format", "csv", &extra_cell]);
    assert_eq!(refused.code, 8, "{}", refused.stderr);
    assert!(refused.stderr.contains("line 2 has 3 cells"), "{}", refused.stderr);
    assert_eq!(entry_names(&alice).len(), before, "nothing was created by a refused file");

    // A pass store, read through `pass show` (here a stand-in that prints the file, as pass prints the decrypted
    // text: the test has no GPG key; the real pass is the same command).
    let store = dir.path().join("store");
    std::fs::create_dir_all(store.join("Réseaux")).unwrap();
    std::fs::write(store.join(".gpg-id"), "parti@example.org\n").unwrap();
    std::fs::write(store.join("Réseaux/Mastodon.gpg"), "mastodon-é-1\nlogin: parti\nurl: https://mastodon.social\notpauth://totp/M:p?secret=JBSWY3DPEHPK3PXP\nune note\n").unwrap();
    std::fs::write(store.join("Nextcloud.gpg"), "nuage\nuser: admin\n").unwrap();
    let fake = dir.path().join("fake-pass");
    std::fs::write(
        &fake,
        "#!/bin/sh\n[ \"$1\" = show ] && [ \"$2\" = -- ] || exit 2\nexec cat \"$PASSWORD_STORE_DIR/$3.gpg\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let run = alice.run_with_env(
        &["import", "--format", "pass", store.to_str().unwrap(), "--json"],
        &[("COFFRE_PASS", fake.to_str().unwrap())],
    );
    let done = run.ok().json();
    assert_eq!(actions(&done), [("create".to_string(), "Nextcloud".to_string()), ("create".into(), "Mastodon".into())]);
    assert_eq!(done["delete_the_file"], false);
    assert_eq!(reveal(&alice, "Mastodon", &[]), "mastodon-é-1");
    assert_eq!(reveal(&alice, "Mastodon", &["--field", "notes"]), "une note");
    assert_eq!(reveal(&alice, "Nextcloud", &[]), "nuage");
    let shown = alice.run(&["entry", "show", "Mastodon", "--json"]).ok().json();
    assert_eq!((shown["login"].as_str(), shown["category"].as_str()), (Some("parti"), Some("social-network")));
}

#[test]
fn an_import_of_1000_entries_is_timed() {
    let dir = tempfile::tempdir().unwrap();
    let (_daemon, alice, _pass) = initialised(dir.path());
    let mut csv = String::from("Site,Utilisateur,Mot de passe,Adresse\n");
    for n in 0..1000 {
        csv.push_str(&format!("Compte {n:04},membre{n}@parti.example,mdp-{n}-àéîõü,https://site{n}.example\n"));
    }
    let file = write(dir.path(), "mille.csv", csv.as_bytes());
    let started = Instant::now();
    let done = import(&alice, &["--format", "csv", &file, "--map", "url=Adresse"]).ok().json();
    let wall = started.elapsed().as_secs_f64();
    println!(
        "imported 1000 entries: {:.1} s end to end (the client's own count: {:.1} s from connecting)",
        wall,
        done["seconds"].as_f64().unwrap()
    );
    assert_eq!(done["done"]["created"], 1000);
    assert_eq!(reveal(&alice, "Compte 0999", &[]), "mdp-999-àéîõü");
    assert_eq!(entry_names(&alice).len(), 1000);
}
