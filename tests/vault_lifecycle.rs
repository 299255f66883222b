//! The walking skeleton end to end: a real coffred over TLS on loopback, a real sled on disk, the real client.

use coffre_e2e::{Client, Daemon, TEST_KDF, assert_no_file_contains, initialised};

const FB_PASSWORD: &str = "Fb-s3cret-passw0rd!";
const FB_LOGIN: &str = "party.official@example.org";
const NOTES: &str = "backup codes 4411 9902";

fn add_facebook(client: &Client) {
    let password = client.secret_file("fb.pass", FB_PASSWORD);
    let notes = client.secret_file("fb.notes", NOTES);
    client
        .run(&[
            "entry",
            "add",
            "Facebook",
            "--category",
            "social-network",
            "--login",
            FB_LOGIN,
            "--password-file",
            &password,
            "--url",
            "https://facebook.com",
            "--classification",
            "confidential",
            "--notes-file",
            &notes,
        ])
        .ok();
}

#[test]
fn init_add_list_reveal_restart_sealed_unseal_reveal() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, client, pass) = initialised(tmp.path());
    let status = client.run(&["status", "--json"]).ok().json();
    assert_eq!(status["state"], "unsealed");
    // Unsealing an unsealed vault is harmless, and still checks the passphrase.
    client.run(&["unseal", "--passphrase-file", &pass]).ok();

    add_facebook(&client);
    let list = client.run(&["entry", "list", "--json"]).ok().json();
    let entries = list["entries"].as_array().expect("entries array");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["platform"], "Facebook");
    assert_eq!(entries[0]["login"], FB_LOGIN);
    assert!(!list.to_string().contains(FB_PASSWORD), "list never shows a secret");

    let reveal = client.run(&["reveal", "Facebook", "--reason", "post the weekly video"]).ok();
    assert_eq!(reveal.stdout, format!("{FB_PASSWORD}\n"));
    let notes = client.run(&["reveal", "facebook", "--field", "notes", "--reason", "recovery", "--json"]).ok().json();
    assert_eq!(notes["secret"], NOTES);
    assert!(notes["audit_seq"].as_u64().unwrap() > 0);

    // Restart: the daemon comes back sealed and refuses to reveal, even to a client whose session was valid.
    let data_dir = daemon.data_dir.clone();
    let daemon = daemon.restart();
    assert_eq!(client.run(&["status", "--json"]).ok().json()["state"], "sealed");
    let refused = client.run(&["reveal", "Facebook", "--reason", "after restart"]);
    assert_eq!(refused.code, 3, "FAILED_PRECONDITION maps to exit code 3: {}", refused.stderr);
    assert!(refused.stderr.contains("sealed"), "{}", refused.stderr);
    assert!(refused.stdout.is_empty());

    // A wrong passphrase is refused and leaves the vault sealed.
    let wrong = client.secret_file("wrong.pass", "this is not the passphrase");
    let refused = client.run(&["unseal", "--passphrase-file", &wrong]);
    assert_eq!(refused.code, 4, "{}", refused.stderr);
    assert_eq!(client.run(&["status", "--json"]).ok().json()["state"], "sealed");

    client.run(&["unseal", "--passphrase-file", &pass]).ok();
    client.login(&daemon, "Alice", &pass).ok();
    let reveal = client.run(&["reveal", "Facebook", "--reason", "after unseal"]).ok();
    assert_eq!(reveal.stdout, format!("{FB_PASSWORD}\n"));

    client.run(&["seal"]).ok();
    drop(daemon);
    assert_no_file_contains(
        &data_dir,
        &[
            "Facebook",
            "facebook",
            FB_PASSWORD,
            FB_LOGIN,
            NOTES,
            "Alice",
            "post the weekly video",
            "https://facebook.com",
        ],
    );
}

#[test]
fn the_leader_enrols_with_a_code_and_unseals_with_its_own_passphrase() {
    let tmp = tempfile::tempdir().unwrap();
    let daemon = Daemon::start(&tmp.path().join("data"));
    let president = Client::new(&daemon);
    let pass = president.secret_file("president.pass", "correct horse battery staple");
    let mut args = vec!["init", "--president", "Alice", "--leader", "Bob", "--passphrase-file", &pass, "--json"];
    args.extend(TEST_KDF);
    let init = president.run(&args).ok().json();
    let code = init["leader_enrolment_code"].as_str().expect("the leader's code").to_string();
    assert!(!code.is_empty());
    assert!(init["president_otpauth_uri"].as_str().unwrap().starts_with("otpauth://totp/coffre:Alice?secret="));

    let leader = Client::new(&daemon);
    let leader_pass = leader.secret_file("leader.pass", "Bob's very own passphrase");
    leader.enroll(&daemon, &code, &leader_pass).ok();
    let again = leader.run(&["enroll", &code, "--passphrase-file", &leader_pass, "--totp", "123456"]);
    assert_eq!(again.code, 4, "a code is single-use: {}", again.stderr);
    leader.login(&daemon, "Bob", &leader_pass).ok();
    let status = leader.run(&["status", "--json"]).ok().json();
    assert_eq!(status["session"]["name"], "Bob");
    assert_eq!(status["session"]["role"], "leader");

    let _daemon = daemon.restart();
    leader.run(&["unseal", "--passphrase-file", &leader_pass]).ok();
    assert_eq!(leader.run(&["status", "--json"]).ok().json()["state"], "unsealed");
}

#[test]
fn edit_makes_versions_history_shows_them_and_archive_keeps_them() {
    let tmp = tempfile::tempdir().unwrap();
    let (_daemon, client, _) = initialised(tmp.path());
    add_facebook(&client);
    let new_password = client.secret_file("fb2.pass", "the second password");
    client.run(&["entry", "edit", "Facebook", "--password-file", &new_password, "--url", "https://fb.com"]).ok();
    let shown = client.run(&["entry", "show", "Facebook", "--json"]).ok().json();
    assert_eq!(shown["version"], 2);
    assert_eq!(shown["url"], "https://fb.com");
    let history = client.run(&["entry", "history", "Facebook", "--json"]).ok().json();
    let versions = history["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(versions[0]["created_by"], "Alice");
    let old = client.run(&["reveal", "Facebook", "--version", "1", "--reason", "compare"]).ok();
    assert_eq!(old.stdout, format!("{FB_PASSWORD}\n"));
    let current = client.run(&["reveal", "Facebook", "--reason", "use it"]).ok();
    assert_eq!(current.stdout, "the second password\n");

    client.run(&["entry", "archive", "Facebook"]).ok();
    let list = client.run(&["entry", "list", "--json"]).ok().json();
    assert!(list["entries"].as_array().unwrap().is_empty());
    let all = client.run(&["entry", "list", "--archived", "--json"]).ok().json();
    assert_eq!(all["entries"][0]["lifecycle"], "archived");
}

#[test]
fn connect_pins_the_ca_after_checking_its_fingerprint() {
    let tmp = tempfile::tempdir().unwrap();
    let daemon = Daemon::start(&tmp.path().join("data"));
    // A client with no configuration at all: it learns the server and its CA through `coffre connect`.
    let client = Client::new(&daemon);
    let wrong = "00".repeat(32);
    let refused = client.run_unconfigured(&["connect", &daemon.url, "--fingerprint", &wrong]);
    assert_ne!(refused.code, 0, "a fingerprint mismatch is refused");
    assert!(refused.stderr.to_lowercase().contains("fingerprint"), "{}", refused.stderr);
    let nothing_saved = client.run_unconfigured(&["status"]);
    assert_ne!(nothing_saved.code, 0, "nothing was saved after a mismatch: {}", nothing_saved.stderr);

    client.run_unconfigured(&["connect", &daemon.url, "--fingerprint", &daemon.fingerprint]).ok();
    let status = client.run_unconfigured(&["status", "--json"]).ok().json();
    assert_eq!(status["state"], "uninitialised");
}
