//! The pages as a French-speaking president reads them: every word, time and code in French.

use axum::http::StatusCode;

use super::{PASS, Site};

/// The audit log in French: its actions and outcomes read as the catalogue says them ("affichage", "réussite"),
/// not as the engine's codes ("reveal", "success"), and the action filter offers them by those names.
#[tokio::test]
async fn the_audit_log_reads_in_french_not_in_the_engines_codes() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    alice = alice.with("accept-language", "fr-CA");
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let list = alice.get("/").await;
    alice
        .post(
            "/reveal",
            &[("csrf", &list.csrf()), ("platform", "Mailgun"), ("field", "password"), ("reason", "infolettre")],
        )
        .await;

    let log = alice.get("/audit").await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.html);
    assert!(
        log.html.contains("<td>affichage</td><td>Mailgun</td><td>réussite</td><td>infolettre</td>"),
        "{}",
        log.html
    );
    assert!(log.html.contains("<td>entrée créée</td>"), "{}", log.html);
    assert!(!log.html.contains("<td>reveal</td>") && !log.html.contains("<td>success</td>"), "{}", log.html);
    assert!(!log.html.contains("p. ex. reveal") && !log.html.contains("placeholder=\"reveal\""), "{}", log.html);

    // The filter is chosen by its French name and keeps the choice on the filtered page.
    let filtered = alice.get("/audit?actor=&action=reveal&target=").await;
    assert!(filtered.html.contains("<option value=\"reveal\" selected>affichage</option>"), "{}", filtered.html);
    assert!(filtered.html.contains("<td>affichage</td>") && !filtered.html.contains("<td>entrée créée</td>"));
}

/// Times in French words, as the catalogue's sentences around them read ("jusqu’au 20 janvier 2027 à 23 h 59"), not
/// "2027-01-20 23:59 -05:00"; in the reader's own zone (their browser's) without an offset to decode, and with it,
/// spelt "UTC−05:00"-style, only when the zone is the daemon's. A person's line says when they were added ("le").
#[tokio::test]
async fn times_read_in_french_words_in_the_readers_zone() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    alice = alice.with("accept-language", "fr-CA");
    // Alice was made at the vault's start, 1,800,000,000 s after the epoch: 2027-01-15 08:00 UTC.
    alice.cookies.insert("__Host-coffre-tz".into(), "America/Toronto".into());
    let people = alice.get("/people").await;
    assert!(people.html.contains("ajoutée par - le 15 janvier 2027 à 3\u{a0}h\u{a0}00</span>"), "{}", people.html);

    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    site.enrolled(&mut alice, "Bob", "member").await;
    let fields = [
        ("person", "Bob"),
        ("scope", "entry"),
        ("platform", "Mailgun"),
        ("category", "software"),
        ("until", "2027-01-20"),
        ("task", "infolettre"),
    ];
    let given = alice.submit("/grants", &fields).await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.html);
    let grants = alice.get("/grants").await;
    assert!(grants.html.contains("<td>20 janvier 2027 à 23\u{a0}h\u{a0}59</td>"), "{}", grants.html);
    assert!(!grants.html.contains("2027-01-20"), "{}", grants.html);

    // Without the reader's zone: the daemon's, with its offset said.
    alice.cookies.remove("__Host-coffre-tz");
    let people = alice.get("/people").await;
    let line = people.between("ajoutée par - le ", "</span>");
    assert!(line.starts_with("15 janvier 2027 à ") && line.contains(" (UTC"), "{line}");
}

/// Resetting someone's enrolment locks them out until they enrol again from a new sheet: one click next to "Retirer"
/// must not do it. Like offboarding, a box says what it does and must be ticked, or nothing is reset.
#[tokio::test]
async fn resetting_an_enrolment_says_what_it_does_and_waits_for_a_ticked_box() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    alice = alice.with("accept-language", "fr-CA");
    site.enrolled(&mut alice, "Bob", "member").await;

    let people = alice.get("/people").await;
    assert!(
        people.html.contains("Je comprends\u{a0}: Bob ne pourra plus se connecter avant de s’inscrire de nouveau"),
        "{}",
        people.html
    );
    let refused = alice.post("/people/reset", &[("csrf", &people.csrf()), ("name", "Bob")]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.html);
    assert!(refused.html.contains("Cochez la case pour confirmer"), "{}", refused.html);
    // Bob's passphrase and second factor still work.
    site.logged_in("Bob", PASS).await;

    let handout = alice.post("/people/reset", &[("csrf", &people.csrf()), ("name", "Bob"), ("sure", "yes")]).await;
    assert_eq!(handout.status, StatusCode::OK, "{}", handout.html);
    assert!(handout.html.contains("id=\"code\""), "{}", handout.html);
}

/// A refusal on a page says what to do next with the pages, not with a `coffre` command the president has never
/// typed: a grant on a misspelt platform, and any page of a sealed vault.
#[tokio::test]
async fn a_refusal_says_what_to_do_next_in_the_browser_not_with_a_command() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    alice = alice.with("accept-language", "fr-CA");
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    site.enrolled(&mut alice, "Bob", "member").await;
    let fields = [
        ("person", "Bob"),
        ("scope", "entry"),
        ("platform", "Mailgn"),
        ("category", "software"),
        ("until", "2027-01-20"),
        ("task", "infolettre"),
    ];
    let refused = alice.submit("/grants", &fields).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.html);
    assert!(refused.html.contains("vérifiez son nom dans la liste des entrées"), "{}", refused.html);
    assert!(!refused.html.contains("`coffre") && !refused.html.contains("coffre entry list"), "{}", refused.html);

    let csrf = alice.get("/vault").await.csrf();
    let sealed = alice.post("/seal", &[("csrf", &csrf)]).await;
    assert!(sealed.status.is_success() || sealed.status.is_redirection(), "{}", sealed.html);
    // Every session ended with the seal; logging in again is refused until an owner unseals.
    let code = site.next_code("Alice");
    let page = alice.submit("/login", &[("name", "Alice"), ("passphrase", PASS), ("code", &code)]).await;
    assert!(page.html.contains("le coffre est scellé"), "{}", page.html);
    assert!(page.html.contains("dans la page «\u{a0}Le coffre\u{a0}»"), "{}", page.html);
    assert!(!page.html.contains("coffre unseal"), "{}", page.html);
}

/// The page after giving an access says what was given, so that the president sees a wrong day or entry at once:
/// who, on what, until when, for which task (not "until the chosen day").
#[tokio::test]
async fn giving_an_access_confirms_who_what_until_when_and_why() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    alice = alice.with("accept-language", "fr-CA");
    alice.cookies.insert("__Host-coffre-tz".into(), "America/Toronto".into());
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    site.enrolled(&mut alice, "Bob", "member").await;
    let fields = [
        ("person", "Bob"),
        ("scope", "entry"),
        ("platform", "Mailgun"),
        ("category", "software"),
        ("until", "2027-01-20"),
        ("task", "infolettre"),
    ];
    let given = alice.submit("/grants", &fields).await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.html);
    let said = "Bob a accès à Mailgun jusqu’au 20 janvier 2027 à 23\u{a0}h\u{a0}59, pour\u{a0}: infolettre.";
    assert!(given.html.contains(said), "{}", given.html);
}

/// A refused log-in (a code typed a few seconds late is the usual one) keeps the name typed and puts the cursor in
/// the passphrase, which is never sent back: the president types two fields again, not three, and a screen reader
/// lands where she must type.
#[tokio::test]
async fn a_refused_log_in_keeps_the_name_and_focuses_the_passphrase() {
    let site = Site::new().await;
    let mut browser = site.browser().with("accept-language", "fr-CA");
    let page = browser.submit("/login", &[("name", "Alice"), ("passphrase", PASS), ("code", "000000")]).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{}", page.html);
    assert!(page.html.contains("role=\"alert\""), "{}", page.html);
    let name = page.between("<input id=\"name\"", ">");
    assert!(name.contains("value=\"Alice\""), "{name}");
    let passphrase = page.between("<input id=\"passphrase\"", ">");
    assert!(passphrase.contains("autofocus") && !passphrase.contains("value="), "{passphrase}");
    assert!(!page.html.contains(PASS));
}

/// A number stays on the line of its unit: the log-in label broke as "(6" / "chiffres)" at the page's width.
#[tokio::test]
async fn the_code_label_keeps_its_number_with_its_unit() {
    let site = Site::new().await;
    let page = site.browser().with("accept-language", "fr-CA").get("/login").await;
    assert!(page.html.contains("(6\u{a0}chiffres)"), "{}", page.html);
}
