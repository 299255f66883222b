//! Bad input end to end: each gets a clear message and the right exit code (the status code's), nothing panics,
//! and nothing already stored is touched.

use coffre_e2e::{Client, Daemon, initialised};

#[test]
fn bad_requests_are_refused_clearly_and_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, client, _) = initialised(tmp.path());
    let password = client.secret_file("x.pass", "a real password");
    client
        .run(&["entry", "add", "X", "--category", "social-network", "--login", "party", "--password-file", &password])
        .ok();

    // Reveal without a reason: the flag is required by the client, and an empty one is refused by the daemon.
    let no_reason = client.run(&["reveal", "X"]);
    assert_eq!(no_reason.code, 2, "{}", no_reason.stderr);
    let empty_reason = client.run(&["reveal", "X", "--reason", ""]);
    assert_eq!(empty_reason.code, 8, "{}", empty_reason.stderr);
    assert!(empty_reason.stderr.contains("reason"), "{}", empty_reason.stderr);
    assert!(empty_reason.stdout.is_empty());

    let unknown = client.run(&["reveal", "Myspace", "--reason", "nostalgia"]);
    assert_eq!(unknown.code, 6, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("no entry"), "{}", unknown.stderr);

    let long_name = "P".repeat(65);
    let oversized =
        client.run(&["entry", "add", &long_name, "--category", "other", "--login", "l", "--password-file", &password]);
    assert_eq!(oversized.code, 8, "{}", oversized.stderr);
    assert!(oversized.stderr.contains("at most 64"), "{}", oversized.stderr);
    let empty = client.run(&["entry", "add", " ", "--category", "other", "--login", "l", "--password-file", &password]);
    assert_eq!(empty.code, 8, "{}", empty.stderr);
    let duplicate =
        client.run(&["entry", "add", "x", "--category", "other", "--login", "l", "--password-file", &password]);
    assert_eq!(duplicate.code, 7, "{}", duplicate.stderr);

    let wrong = client.secret_file("wrong.pass", "definitely not right");
    let bad_login = client.run(&["login", "Alice", "--passphrase-file", &wrong, "--totp", "123456"]);
    assert_eq!(bad_login.code, 4, "{}", bad_login.stderr);
    assert!(bad_login.stderr.contains("wrong name, passphrase or code"), "{}", bad_login.stderr);
    let nobody = client.run(&["login", "Nobody", "--passphrase-file", &wrong, "--totp", "123456"]);
    assert_eq!((nobody.code, nobody.stderr.as_str()), (bad_login.code, bad_login.stderr.as_str()));

    // Nothing was touched: the stored entry is still there and still reveals.
    let list = client.run(&["entry", "list", "--json"]).ok().json();
    assert_eq!(list["entries"].as_array().unwrap().len(), 1);
    let reveal = client.run(&["reveal", "X", "--reason", "check"]).ok();
    assert_eq!(reveal.stdout, "a real password\n");
    assert!(daemon.log().lines().all(|l| !l.contains("panicked")), "{}", daemon.log());
}

#[test]
fn a_request_without_a_session_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (daemon, client, _) = initialised(tmp.path());
    client.run(&["logout"]).ok();
    let refused = client.run(&["entry", "list"]);
    assert_eq!(refused.code, 4, "{}", refused.stderr);
    assert!(refused.stderr.contains("coffre login"), "{}", refused.stderr);
    drop(daemon);
}

#[test]
fn a_daemon_that_is_not_there_is_reported_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let daemon = Daemon::start(&tmp.path().join("data"));
    let client = Client::new(&daemon);
    daemon.stop();
    let run = client.run(&["status"]);
    assert_eq!(run.code, 9, "{}", run.stderr);
    assert!(run.stderr.contains("coffred"), "{}", run.stderr);
}

#[test]
fn a_ca_that_does_not_match_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let daemon = Daemon::start(&tmp.path().join("one"));
    let other = Daemon::start(&tmp.path().join("two"));
    assert_ne!(daemon.fingerprint, other.fingerprint, "each daemon makes its own CA");
    let client = Client { ca: other.ca.clone(), ..Client::new(&daemon) };
    let run = client.run(&["status"]);
    assert_eq!(run.code, 9, "{}", run.stderr);
    assert!(run.stderr.contains("certificate"), "{}", run.stderr);
}
