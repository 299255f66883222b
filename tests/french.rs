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
    // 2036-12-01 12:00 UTC on the daemon's clock: ahead of real time, with which the client checks its saved session.
    let daemon = Daemon::start_at(&tmp.path().join("data"), 2_111_745_600_000);
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

    // A date typed by a person means the end of that day in Montréal: 2036-12-31 23:59:59 -05:00.
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
        .run(&["grant", "add", "Dave", "--entry", "Facebook", "--until", "2036-12-31", "--task", "vidéo", "--json"])
        .ok();
    let grants = president.run(&["grant", "list", "--json"]).ok().json();
    assert_eq!(grants["grants"][0]["expires"], "2037-01-01T05:00:00Z", "{grants}");

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

/// Sentences of the English catalogue and the daemon's English messages that must never reach a French reader.
const ENGLISH: &[&str] = &[
    "error:",
    "cause:",
    "Next:",
    " the ",
    "Added ",
    "Granted ",
    "Staged ",
    "revealed",
    "permission denied",
    "not logged in",
    "vault is",
    "no entry by that name",
    "no live grant",
    "Logged in",
    "Welcome",
    "now uses version",
    "Columns:",
    "flagged compromised",
    "unchanged for",
];

/// One step of the transcript: the command, then what it printed (the QR code's drawing left out).
fn step(transcript: &mut String, who: &str, args: &[&str], run: &coffre_e2e::Run) {
    transcript.push_str(&format!("[{who}] $ coffre {}\n", args.join(" ")));
    for line in run.stdout.lines().chain(run.stderr.lines()) {
        let drawing = !line.is_empty() && line.chars().all(|c| matches!(c, ' ' | '█' | '▀' | '▄'));
        if !drawing {
            transcript.push_str(line);
            transcript.push('\n');
        }
    }
    if run.code != 0 {
        transcript.push_str(&format!("(exit code {})\n", run.code));
    }
    transcript.push('\n');
}

#[track_caller]
fn assert_french(run: &coffre_e2e::Run) {
    let text = format!("{}{}", run.stdout, run.stderr);
    for english in ENGLISH {
        assert!(!text.contains(english), "English {english:?} leaked into: {text}");
    }
}

/// The quickstart, every step read in French: a French daemon, a president and a member, init, a new member's
/// enrolment and first login, an entry, a refusal, a grant, a reveal, a rotation, an expired grant, a seal. Every
/// line is checked for French and for English leaks; the daemon's refusals are rendered from their codes.
#[test]
fn the_whole_quickstart_reads_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    // 2036-12-01 12:00 UTC on the daemon's clock (ahead of real time, with which the client checks its saved
    // session); the daemon's own environment is French too.
    let daemon = Daemon::start_at_in(&tmp.path().join("data"), 2_111_745_600_000, "fr");
    let mut transcript = String::new();
    for line in &daemon.startup {
        transcript.push_str(line);
        transcript.push('\n');
    }
    transcript.push('\n');
    assert!(daemon.startup.iter().any(|l| l.starts_with("coffred\u{a0}: dossier de données ")), "{:?}", daemon.startup);
    assert!(
        daemon.startup.iter().any(|l| l.contains("empreinte SHA-256 ") && l.ends_with(&daemon.fingerprint)),
        "{:?}",
        daemon.startup
    );
    assert!(daemon.startup.last().is_some_and(|l| l.starts_with("coffred\u{a0}: à l’écoute sur https://")));

    let president = french(&daemon);
    let member = french(&daemon);
    let run = |client: &Client, who: &str, args: &[&str], transcript: &mut String| {
        let run = client.run(args);
        step(transcript, who, args, &run);
        assert_french(&run);
        run
    };

    // init, in text as a president reads it.
    let pass = president.secret_file("president.pass", "Élise à l’école 2026, le matin");
    let mut args = vec!["init", "--president", "Élise", "--passphrase-file", &pass];
    args.extend(TEST_KDF);
    let init = run(&president, "Élise", &args, &mut transcript).ok();
    assert!(init.stdout.starts_with("Le coffre est créé (identifiant "), "{}", init.stdout);
    assert!(init.stdout.contains("Élise en assure la présidence."), "{}", init.stdout);
    assert!(init.stdout.contains("Deuxième facteur\u{a0}: balayez ce code QR"), "{}", init.stdout);
    assert!(init.stdout.contains("Aucune part de récupération n’a été émise"), "{}", init.stdout);
    assert!(init.stdout.contains("Ensuite\u{a0}: connectez-vous avec `coffre login Élise`"), "{}", init.stdout);
    let uri = init.stdout.lines().find(|l| l.starts_with("otpauth://")).expect("the second factor's URI");
    president.remember_totp("Élise", uri);

    let code = president.next_totp(&daemon, "Élise");
    let login = ["login", "Élise", "--passphrase-file", &pass, "--totp", &code];
    let logged = run(&president, "Élise", &login, &mut transcript).ok();
    assert!(logged.stdout.starts_with("Connecté à https://"), "{}", logged.stdout);

    // The new member's handout, printed in French.
    let added = run(&president, "Élise", &["person", "add", "Dave", "--role", "member"], &mut transcript).ok();
    assert!(added.stdout.starts_with("Dave ajouté (membre)."), "{}", added.stdout);
    assert!(added.stdout.contains("jamais par courriel"), "{}", added.stdout);
    let code_line = added.stdout.lines().find(|l| l.starts_with("Code à usage unique")).expect("the code's line");
    let enrolment_code = code_line.rsplit(' ').next().unwrap().to_owned();

    // The member enrols: the second factor first, then the passphrase and the app's code.
    let shown = run(&member, "Dave", &["enroll", &enrolment_code], &mut transcript).ok();
    assert!(shown.stdout.contains("Deuxième facteur"), "{}", shown.stdout);
    assert!(shown.stdout.contains("ajoutez ce deuxième facteur à votre application"), "{}", shown.stdout);
    let uri = shown.stdout.lines().find(|l| l.starts_with("otpauth://")).expect("the member's URI");
    member.remember_totp("Dave", uri);
    let member_pass = member.secret_file("dave.pass", "la phrase de Dave, bien longue");
    let totp = member.next_totp(&daemon, "Dave");
    let enroll = ["enroll", &enrolment_code, "--passphrase-file", &member_pass, "--totp", &totp];
    let enrolled = run(&member, "Dave", &enroll, &mut transcript).ok();
    assert!(enrolled.stdout.starts_with("Bienvenue, Dave\u{a0}: vous êtes inscrit"), "{}", enrolled.stdout);
    // The first login, with the app's next code, as the enrolment said.
    let totp = member.next_totp(&daemon, "Dave");
    let login = ["login", "Dave", "--passphrase-file", &member_pass, "--totp", &totp];
    let logged = run(&member, "Dave", &login, &mut transcript).ok();
    assert!(logged.stdout.contains("en tant que Dave (membre)"), "{}", logged.stdout);

    // An entry.
    let password = president.secret_file("fb.pass", "Fb-s3cret-2026");
    let add =
        ["entry", "add", "Facebook", "--category", "social-network", "--login", "parti@example.org", "--password-file"];
    let mut add = add.to_vec();
    add.push(&password);
    let added = run(&president, "Élise", &add, &mut transcript).ok();
    assert_eq!(added.stdout, "Facebook ajoutée (version 1).\n");
    let listed = run(&president, "Élise", &["entry", "list"], &mut transcript).ok();
    assert!(listed.stdout.starts_with("PLATEFORME  CATÉGORIE"), "{}", listed.stdout);

    // Refusals from the daemon, rendered in French from their codes: no grant yet, an unknown entry.
    let reveal = ["reveal", "Facebook", "--reason", "publier la vidéo"];
    let refused = run(&member, "Dave", &reveal, &mut transcript);
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert_eq!(
        refused.stderr,
        "erreur\u{a0}: permission refusée\u{a0}: aucun accès en vigueur ne couvre cette entrée\u{202f}; demandez-en un \
         à la présidence ou à un responsable des accès\n"
    );
    let unknown = run(&president, "Élise", &["reveal", "Facebok", "--reason", "vérifier"], &mut transcript);
    assert_eq!(unknown.code, 6, "{}", unknown.stderr);
    // The name is close to one the president may see: the client suggests it.
    assert_eq!(
        unknown.stderr,
        "erreur\u{a0}: aucune entrée de ce nom\u{a0}: voir `coffre entry list` (vouliez-vous dire «\u{a0}Facebook\u{a0}»\u{202f}?)\n"
    );

    // A grant for ten minutes, then the reveal it allows.
    let grant = ["grant", "add", "Dave", "--entry", "Facebook", "--for", "10m", "--task", "publier la vidéo"];
    let granted = run(&president, "Élise", &grant, &mut transcript).ok();
    assert!(granted.stdout.starts_with("Accès accordé à Dave pour Facebook jusqu’au "), "{}", granted.stdout);
    let revealed = run(&member, "Dave", &reveal, &mut transcript).ok();
    assert_eq!(revealed.stdout, "Fb-s3cret-2026\n");
    assert!(
        revealed.stderr.starts_with("(affiché\u{a0}: mot de passe de Facebook, version 1\u{202f}; consigné au journal"),
        "{}",
        revealed.stderr
    );

    // A password reported compromised is due for rotation; why reads in French, rendered from the daemon's code.
    let flag = ["entry", "flag", "Facebook", "--compromised", "--reason", "tapé sur un ordinateur partagé"];
    run(&president, "Élise", &flag, &mut transcript).ok();
    let due = run(&president, "Élise", &["rotation", "due"], &mut transcript).ok();
    assert!(due.stdout.contains("signalé compromis par Élise\u{a0}: tapé sur un ordinateur partagé"), "{}", due.stdout);
    assert_french(&due);

    // A rotation: stage, reveal the staged password, confirm.
    let staged = run(&president, "Élise", &["rotate", "stage", "Facebook", "--generate"], &mut transcript).ok();
    assert!(staged.stdout.starts_with("Nouveau mot de passe préparé pour Facebook, version 2"), "{}", staged.stdout);
    assert!(staged.stdout.contains("Ensuite\u{a0}:\n  1. coffre reveal Facebook --pending"), "{}", staged.stdout);
    let pending = ["reveal", "Facebook", "--pending", "--reason", "rotation"];
    let shown = run(&president, "Élise", &pending, &mut transcript).ok();
    assert!(
        shown.stderr.starts_with("(affiché\u{a0}: mot de passe préparé de Facebook, version 2"),
        "{}",
        shown.stderr
    );
    let confirmed = run(&president, "Élise", &["rotate", "confirm", "Facebook"], &mut transcript).ok();
    assert!(confirmed.stdout.starts_with("Facebook utilise maintenant la version 2"), "{}", confirmed.stdout);

    // Eleven minutes later the grant has expired: the member is refused, in French.
    daemon.clock.advance(std::time::Duration::from_secs(11 * 60));
    let expired = run(&member, "Dave", &reveal, &mut transcript);
    assert_eq!(expired.code, 5, "{}", expired.stderr);
    assert!(
        expired.stderr.starts_with("erreur\u{a0}: permission refusée\u{a0}: aucun accès en vigueur"),
        "{}",
        expired.stderr
    );
    let grants = run(&president, "Élise", &["grant", "list"], &mut transcript).ok();
    assert!(grants.stdout.contains("expiré"), "{}", grants.stdout);

    // Seal; the member who tries anything is told, in French, who can open it again.
    let sealed = run(&president, "Élise", &["seal"], &mut transcript).ok();
    assert!(sealed.stdout.starts_with("Le coffre est scellé"), "{}", sealed.stdout);
    let closed = run(&member, "Dave", &["entry", "list"], &mut transcript);
    assert_eq!(closed.code, 3, "{}", closed.stderr);
    assert_eq!(
        closed.stderr,
        "erreur\u{a0}: le coffre est scellé\u{a0}: demandez à la présidence ou au chef de le desceller (avec `coffre \
         unseal`)\n"
    );
    // The same refusal in English for whoever asks for it: the daemon's own words.
    let english = member.run(&["entry", "list", "--lang", "en"]);
    assert_eq!(
        english.stderr,
        "error: vault is sealed: ask the president or the leader to unseal it (an owner runs `coffre unseal`)\n"
    );
    // The transcript goes to the test's output (`cargo test --test french -- --nocapture` shows it).
    println!("{transcript}");
}

/// Two things the daemon and the importer used to say only in English: a value the engine refuses (its field and
/// its problem, rendered from their codes) and an import plan (actions, origins and reasons). `--json` keeps the
/// English text and the stable codes.
#[test]
fn a_refused_value_and_an_import_plan_read_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    let daemon = Daemon::start_at(&tmp.path().join("data"), 2_111_745_600_000);
    let president = french(&daemon);
    let pass = president.secret_file("president.pass", "Élise à l’école 2026, le matin");
    let mut args = vec!["init", "--president", "Élise", "--passphrase-file", &pass, "--json"];
    args.extend(TEST_KDF);
    let init = president.run(&args).ok().json();
    president.remember_totp("Élise", init["president_otpauth_uri"].as_str().unwrap());
    president.login(&daemon, "Élise", &pass).ok();
    let mut transcript = String::new();

    // A platform name one character too long: the engine refuses it, the client says so in French.
    let password = president.secret_file("fb.pass", "Fb-s3cret-2026");
    let long_name = "é".repeat(65);
    let add = ["entry", "add", &long_name, "--category", "other", "--login", "l", "--password-file", &password];
    let refused = president.run(&add);
    step(&mut transcript, "Élise", &add, &refused);
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("valeur invalide pour la plateforme\u{a0}: 65 caractères\u{202f}; 64 au plus"),
        "{}",
        refused.stderr
    );
    assert_french(&refused);
    let english = president.run(&[&["--lang", "en"], &add[..]].concat());
    assert!(
        english.stderr.contains("invalid platform: is 65 characters long; at most 64 allowed"),
        "{}",
        english.stderr
    );

    // An import plan: a clash within the file renamed, an item without a password skipped, all in French.
    let csv = "Nom;Identifiant;Mot de passe\nFacebook;parti;un-mot-de-passe\nFacebook;jeunes;un-autre\nSans mot de passe;x;\n";
    let file = president.secret_file("comptes.csv", csv);
    let dry = ["import", "--format", "csv", &file, "--dry-run"];
    let plan = president.run(&dry).ok();
    step(&mut transcript, "Élise", &dry, &plan);
    assert!(plan.stdout.contains("créer           Facebook [other]  (ligne 2)"), "{}", plan.stdout);
    assert!(plan.stdout.contains("créer-renommé   Facebook (2) [other]  (ligne 3)"), "{}", plan.stdout);
    assert!(
        plan.stdout.contains("- renommé\u{a0}: «\u{a0}Facebook\u{a0}» est déjà pris dans le fichier (ligne 2)"),
        "{}",
        plan.stdout
    );
    assert!(plan.stdout.contains("ignorer         Sans mot de passe  (ligne 4)"), "{}", plan.stdout);
    assert!(plan.stdout.contains("- aucun mot de passe\u{a0}: le coffre garde des comptes"), "{}", plan.stdout);
    // The columns guessed from the header, named by their --map keys.
    assert!(
        plan.stderr.contains("Colonnes\u{a0}: platform <- «\u{a0}Nom\u{a0}», login <- «\u{a0}Identifiant\u{a0}»"),
        "{}",
        plan.stderr
    );
    assert_french(&plan);
    let json = president.run(&[&dry[..], &["--json"]].concat()).ok().json();
    let renamed = &json["steps"][1];
    assert_eq!(renamed["origin"], "line 3", "{json}");
    assert_eq!(renamed["reason_codes"], serde_json::json!(["renamed"]), "{json}");
    assert_eq!(renamed["reasons"][0], "renamed: \"Facebook\" is line 2 of the file", "{json}");
    println!("{transcript}");
}

/// An offboarding as the president and a colleague who stays read it in French: what the person who left saw, why
/// the password must change (the president learns who; the colleague only that someone left), and the rotation
/// report. These used to be English text written into the entry at the offboarding.
#[test]
fn an_offboarding_and_the_rotation_it_calls_for_read_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, president, _) = coffre_e2e::initialised(tmp.path());
    let member = |name: &str| {
        let added = president.run(&["person", "add", name, "--role", "member", "--json"]).ok().json();
        let client = french(&daemon);
        let pass = client.secret_file("own.pass", &format!("{name}'s own passphrase"));
        client.enroll(&daemon, added["enrolment_code"].as_str().expect("a code"), &pass).ok();
        client.login(&daemon, name, &pass).ok();
        client
    };
    let (dave, erin) = (member("Dave"), member("Erin"));
    let password = president.secret_file("fb.pass", "Fb-s3cret-2026");
    let add = ["entry", "add", "Facebook", "--category", "social-network", "--login", "parti", "--password-file"];
    president.run(&[&add[..], &[password.as_str()]].concat()).ok();
    for name in ["Dave", "Erin"] {
        president.run(&["grant", "add", name, "--entry", "Facebook", "--for", "1h", "--task", "vidéo"]).ok();
    }
    dave.run(&["reveal", "Facebook", "--reason", "publier la vidéo"]).ok();

    let mut transcript = String::new();
    let mut french_run = |client: &Client, who: &str, args: &[&str]| {
        let run = client.run(&[&["--lang", "fr"], args].concat());
        step(&mut transcript, who, args, &run);
        let run = run.ok();
        assert_french(&run);
        for english in ["offboarded", " saw ", "who had access"] {
            assert!(!run.stdout.contains(english), "English {english:?} in: {}", run.stdout);
        }
        run
    };
    let offboarded = french_run(&president, "Alice", &["person", "offboard", "Dave"]);
    assert!(offboarded.stdout.contains("  Facebook\u{a0}: a vu la version actuelle (1)\n"), "{}", offboarded.stdout);

    let why = "affiché par Dave, parti·e depuis\u{a0}; a vu la version actuelle (1)";
    let shown = french_run(&president, "Alice", &["entry", "show", "Facebook"]);
    assert!(shown.stdout.contains(why), "{}", shown.stdout);
    let due = french_run(&president, "Alice", &["rotation", "due"]);
    assert!(due.stdout.contains(why), "{}", due.stdout);
    // The colleague who stays learns that someone left, never who.
    let colleague = french_run(&erin, "Erin", &["entry", "show", "Facebook"]);
    assert!(colleague.stdout.contains("une personne qui y avait accès est partie"), "{}", colleague.stdout);
    assert!(!colleague.stdout.contains("Dave"), "{}", colleague.stdout);

    // --json keeps the English text.
    let json = president.run(&["entry", "show", "Facebook", "--json"]).ok().json();
    assert_eq!(json["rotation_due"], "revealed by Dave, who was offboarded; saw the current version (1)", "{json}");
    println!("{transcript}");
}

/// An administrator who reads French gets coffred's configuration refusals in French too: what is wrong and what
/// to write instead, with the setting named as it is written in the file.
#[test]
fn coffreds_configuration_refusals_read_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    let refused = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        std::fs::write(&path, text).unwrap();
        let path = path.display().to_string();
        let french = coffre_e2e::coffred_in("fr", &["--config", &path, "show-config"]);
        assert_ne!(french.code, 0, "refused: {}", french.stderr);
        assert_french(&french);
        let english = coffre_e2e::coffred(&["--config", &path, "show-config"]);
        assert_ne!(english.code, 0);
        (french.stderr, english.stderr)
    };
    let (french, english) = refused("zero.toml", "max_connections = 0\n");
    assert!(french.contains("max_connections doit être plus grand que zéro"), "{french}");
    assert!(english.contains("max_connections must be greater than zero"), "{english}");
    let (french, _) = refused("relay.toml", "[relay]\nlisten = \"127.0.0.1:7444\"\nfrom = [\"127.0.0.2\"]\n");
    assert!(french.contains("[relay] sert aux coffreds qui partagent un schéma PostgreSQL"), "{french}");
    let (french, _) = refused("storage.toml", "[storage]\nbackend = \"postgres\"\n");
    assert!(french.contains("demande l’adresse de la base de données\u{a0}:"), "{french}");
    let missing = tmp.path().join("absent.toml").display().to_string();
    let french = coffre_e2e::coffred_in("fr", &["--config", &missing, "show-config"]);
    assert!(french.stderr.contains(&format!("impossible de lire {missing}\u{a0}:")), "{}", french.stderr);
}

/// An operator with a French locale reads coffred's `--help` and its usage errors in French, from the real binary;
/// in English they are clap's own.
#[test]
fn coffreds_help_and_usage_errors_read_in_french() {
    let help = coffre_e2e::coffred_in("fr", &["--help"]);
    assert_eq!(help.code, 0, "{}", help.stderr);
    assert!(help.stdout.starts_with("coffred, le démon de coffre\u{a0}:"), "{}", help.stdout);
    assert!(help.stdout.contains("Utilisation\u{a0}: coffred [OPTIONS] [COMMANDE]"), "{}", help.stdout);
    assert!(help.stdout.contains("Arme une veille\u{a0}:"), "{}", help.stdout);
    assert!(!help.stdout.contains("Usage:") && !help.stdout.contains("[env:"), "{}", help.stdout);
    let mistyped = coffre_e2e::coffred_in("fr", &["restore", "--form", "b.age"]);
    assert_eq!(mistyped.code, 2, "{}", mistyped.stderr);
    assert!(
        mistyped.stderr.starts_with("erreur\u{a0}: argument «\u{a0}--form\u{a0}» inattendu"),
        "{}",
        mistyped.stderr
    );
    assert!(mistyped.stderr.contains("«\u{a0}--from\u{a0}»"), "the suggestion: {}", mistyped.stderr);
    let english = coffre_e2e::coffred(&["restore", "--form", "b.age"]);
    assert_eq!(english.code, 2);
    assert!(english.stderr.starts_with("error: unexpected argument '--form' found"), "{}", english.stderr);

    // A start that fails: the context and the engine's refusal in French, joined as French writes them.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data").display().to_string();
    let nowhere = "postgresql://coffre@127.0.0.1:1/coffre";
    let failed =
        coffre_e2e::coffred_in("fr", &["--data-dir", &data, "--storage-url", nowhere, "--listen", "127.0.0.1:0"]);
    assert_ne!(failed.code, 0, "{}", failed.stderr);
    let expected = format!(
        "coffred\u{a0}: impossible d’ouvrir le coffre dans {data}\u{a0}: la base de données du coffre est indisponible"
    );
    assert!(failed.stderr.contains(&expected), "{}", failed.stderr);
}
