//! A first day in French, end to end: a real coffred over TLS, the real client run with `LANG=fr_CA.UTF-8` (and a
//! Montréal time zone), as a Québec president and a new member would use it.

use coffre_e2e::{Client, Daemon, TEST_KDF};

/// Montréal's rule as a POSIX TZ string, so the test needs no time zone database.
const MONTREAL: &str = "EST5EDT,M3.2.0,M11.1.0";

fn french(daemon: &Daemon) -> Client {
    Client::new(daemon).with_env("LANG", "fr_CA.UTF-8").with_env("TZ", MONTREAL)
}

#[test]
fn a_president_and_a_member_get_through_their_first_day_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    // 2026-12-01 12:00 UTC on the daemon's clock.
    let daemon = Daemon::start_at(&tmp.path().join("data"), 1_796_126_400_000);
    let president = french(&daemon);

    let status = president.run(&["status"]).ok();
    // Labels are aligned: the value follows the label after padding.
    let line =
        |label: &str| status.stdout.lines().find(|l| l.starts_with(label)).map(|l| l[label.len()..].trim().to_owned());
    assert_eq!(line("Coffre\u{a0}:").as_deref(), Some("pas encore créé"), "{}", status.stdout);
    assert!(status.stdout.contains("Ensuite\u{a0}: créez le coffre"), "{}", status.stdout);
    // The CA fingerprint a member needs is shown, so the president can hand it over.
    let fingerprint = president.run(&["status", "--json"]).ok().json()["ca_fingerprint"].as_str().unwrap().to_owned();
    assert_eq!(fingerprint.len(), 64);
    assert_eq!(line("Empreinte de l’AC\u{a0}:"), Some(fingerprint), "{}", status.stdout);

    let pass = president.secret_file("president.pass", "Élise à l’école 2026, le matin");
    let mut args = vec!["init", "--president", "Élise", "--passphrase-file", &pass, "--json"];
    args.extend(TEST_KDF);
    let init = president.run(&args).ok().json();
    president.remember_totp("Élise", init["president_otpauth_uri"].as_str().unwrap());
    let login = president.login(&daemon, "Élise", &pass).ok();
    assert!(login.stdout.starts_with("Connecté à https://"), "{}", login.stdout);
    assert!(login.stdout.contains("(présidence)"), "{}", login.stdout);
    // Local time with its offset, never "UTC" alone.
    assert!(login.stdout.contains(" -05:00") || login.stdout.contains(" -04:00"), "{}", login.stdout);

    // A new member, with the code as written on paper: in groups, lower case, split into several arguments.
    let added = president.run(&["person", "add", "Dave", "--role", "member", "--json"]).ok().json();
    let code = added["enrolment_code"].as_str().unwrap().to_lowercase();
    let groups: Vec<&str> = code.split('-').collect();
    let member = french(&daemon);
    let mut shown_args = vec!["enroll"];
    shown_args.extend(&groups);
    shown_args.push("--json");
    let shown = member.run(&shown_args).ok().json();
    member.remember_totp("Dave", shown["otpauth_uri"].as_str().unwrap());
    let member_pass = member.secret_file("dave.pass", "la phrase de Dave, bien longue");
    let totp = member.next_totp(&daemon, "Dave");
    let mut enroll_args = vec!["enroll"];
    enroll_args.extend(&groups);
    enroll_args.extend(["--passphrase-file", &member_pass, "--totp", &totp]);
    let enrolled = member.run(&enroll_args).ok();
    assert!(
        enrolled.stdout.starts_with("Bienvenue, Dave\u{a0}: vous êtes inscrit, rôle membre."),
        "{}",
        enrolled.stdout
    );
    assert!(enrolled.stdout.contains("attendez que l’application affiche le suivant"), "{}", enrolled.stdout);
    member.login(&daemon, "Dave", &member_pass).ok();

    // A date typed by a person means the end of that day in Montréal: 2026-12-31 23:59:59 -05:00.
    let password = president.secret_file("fb.pass", "Fb-s3cret");
    president
        .run(&[
            "entry",
            "add",
            "Facebook",
            "--category",
            "social-network",
            "--login",
            "x",
            "--password-file",
            &password,
        ])
        .ok();
    president
        .run(&["grant", "add", "Dave", "--entry", "Facebook", "--until", "2026-12-31", "--task", "vidéo", "--json"])
        .ok();
    let grants = president.run(&["grant", "list", "--json"]).ok().json();
    assert_eq!(grants["grants"][0]["expires"], "2027-01-01T05:00:00Z", "{grants}");

    let sealed = president.run(&["seal"]).ok();
    assert!(sealed.stdout.starts_with("Le coffre est scellé"), "{}", sealed.stdout);
    // Errors are in French too, with French typography.
    member.run(&["logout"]);
    let not_logged = member.run(&["entry", "list"]);
    assert_eq!(not_logged.code, 4);
    assert!(not_logged.stderr.starts_with("erreur\u{a0}: vous n’êtes pas connecté"), "{}", not_logged.stderr);

    // The same vault in English for whoever prefers it: --lang wins over the locale.
    let english = president.run(&["status", "--lang", "en"]).ok();
    assert!(english.stdout.contains("Vault:"), "{}", english.stdout);
}
