//! Everyone's pages: log in, entries and reveal, grants seen by a member, language, passphrase, the catalogue.

use axum::http::{StatusCode, header};

use super::*;

#[tokio::test]
async fn the_president_logs_in_adds_an_entry_and_reveals_it_with_a_reason() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let list = alice.get("/").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.html.contains("<h3>Mailgun</h3>"), "{}", list.html);
    assert!(list.html.contains("Software and hosting"), "grouped by category");
    assert!(list.html.contains("restricted"), "classification shown");
    assert!(!list.html.contains("mg-secret-1"), "the list shows no secret");
    let searched = alice.get("/?q=nothing-like-it").await;
    assert!(!searched.html.contains("<h3>Mailgun</h3>"));
    assert!(alice.get("/?q=mail").await.html.contains("<h3>Mailgun</h3>"));

    let shown = alice
        .post("/reveal", &[("csrf", &list.csrf()), ("platform", "Mailgun"), ("field", "password"), ("reason", "renew")])
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.html);
    assert!(shown.html.contains("<output id=\"secret\" class=\"value\">mg-secret-1</output>"), "{}", shown.html);
    assert!(shown.html.contains("data-hide-after=\"30\""));
    assert!(shown.html.contains("<noscript><meta http-equiv=\"refresh\" content=\"30; url=/\"></noscript>"));
    assert_eq!(shown.headers[header::CACHE_CONTROL], "no-store", "a revealed secret is never cached");
    assert!(shown.headers.iter().all(|(_, value)| !value.as_bytes().windows(11).any(|w| w == b"mg-secret-1")));

    // The platform's current 2FA code, computed by the engine from the seed.
    let code = alice
        .post("/reveal", &[("csrf", &list.csrf()), ("platform", "Mailgun"), ("field", "totp"), ("reason", "log in")])
        .await;
    assert_eq!(code.status, StatusCode::OK, "{}", code.html);
    let digits = code.between("<output id=\"secret\" class=\"value\">", "</output>");
    assert!(digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()), "{digits}");

    // The reason is required: the engine's refusal, rendered.
    let refused = alice
        .post("/reveal", &[("csrf", &list.csrf()), ("platform", "Mailgun"), ("field", "password"), ("reason", "")])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.html.contains("invalid reason"), "{}", refused.html);
    assert!(!refused.html.contains("mg-secret-1"));
}

#[tokio::test]
async fn a_revealed_secret_stays_on_its_page_for_the_configured_time_only() {
    let site = Site::with_settings(crate::config::WebSettings { reveal_visible_seconds: 7 }, None).await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let list = alice.get("/").await;
    let reveal = |field: &'static str| [("platform", "Mailgun"), ("field", field), ("reason", "renew")];
    let shown = alice.post("/reveal", &[&[("csrf", list.csrf().as_str())][..], &reveal("password")].concat()).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.html);
    assert!(shown.html.contains("<div class=\"secret\" data-hide-after=\"7\">"), "{}", shown.html);
    // Without the script, the browser leaves the page after the same time.
    assert!(shown.html.contains("<noscript><meta http-equiv=\"refresh\" content=\"7; url=/\"></noscript>"));
    assert!(shown.html.contains("after 7 s"), "the page says how long");
    // A code: until it changes, and never longer than the setting.
    let code = alice.post("/reveal", &[&[("csrf", list.csrf().as_str())][..], &reveal("totp")].concat()).await;
    let after: u32 = code.between("data-hide-after=\"", "\"").parse().expect("a number of seconds");
    assert!((1..=7).contains(&after), "{after}");
}

#[tokio::test]
async fn a_member_reveals_only_what_a_grant_covers_and_reads_refusals_in_french() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    site.enrolled(&mut alice, "Bob", "member").await;
    let mut bob = site.logged_in("Bob", PASS).await;
    let list = bob.get("/").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.html.contains("<h3>Mailgun</h3>"), "no grant, no entry listed");
    assert!(!list.html.contains("/grants"), "no access links for a member");
    let fields = [("csrf", ""), ("platform", "Mailgun"), ("field", "password"), ("reason", "newsletter")];
    let csrf = list.csrf();
    let fields: Vec<(&str, &str)> =
        fields.iter().map(|(k, v)| if *k == "csrf" { (*k, csrf.as_str()) } else { (*k, *v) }).collect();
    let refused = bob.post("/reveal", &fields).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(refused.html.contains("no live grant covers this entry"), "{}", refused.html);

    // A member may not give access: the engine's refusal, rendered.
    let refused = bob
        .submit(
            "/grants",
            &[
                ("person", "Bob"),
                ("scope", "entry"),
                ("platform", "Mailgun"),
                ("until", "2027-02-20"),
                ("task", "myself"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(refused.html.contains("may grant or revoke access"), "{}", refused.html);

    // Alice grants Mailgun until a day; Bob sees it, with the grant's end, and reveals.
    let granted = alice
        .submit(
            "/grants",
            &[
                ("person", "Bob"),
                ("scope", "entry"),
                ("platform", "Mailgun"),
                ("category", "software"),
                ("until", "2027-02-20"),
                ("task", "newsletter"),
            ],
        )
        .await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.html);
    let list = bob.get("/").await;
    assert!(list.html.contains("<h3>Mailgun</h3>"), "{}", list.html);
    assert!(list.html.contains("newsletter"), "the member's grant is listed");
    assert!(list.html.contains("February 2"), "with its end: {}", list.html);
    let shown = bob.post("/reveal", &fields).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.html);
    assert!(shown.html.contains(">mg-secret-1<"));

    // In French, by the reader's choice: the same refusal in the catalogue's French.
    let switched = bob.post("/language", &[("csrf", &csrf), ("lang", "fr-CA")]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let french = bob.get("/").await;
    assert!(french.html.contains("<html lang=\"fr-CA\">"));
    let refused =
        bob.post("/reveal", &[("csrf", &csrf), ("platform", "Nope"), ("field", "password"), ("reason", "r")]).await;
    // (An entry that does not exist is refused like one not granted: the engine tells a member nothing more.)
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(refused.html.contains("aucun accès en vigueur ne couvre cette entrée"), "{}", refused.html);

    // Alice revokes; Bob's reveal is refused again.
    let grants = alice.get("/grants").await;
    let id = grants.between("name=\"id\" value=\"", "\"");
    let revoked = alice.post("/grants/revoke", &[("csrf", &grants.csrf()), ("id", &id)]).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.html);
    assert_eq!(bob.post("/reveal", &fields).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_language_comes_from_the_browser_until_the_reader_chooses() {
    let site = Site::new().await;
    let mut french = site.browser().with("accept-language", "de-DE, fr-CA;q=0.8, en;q=0.5");
    let page = french.get("/login").await;
    assert!(page.html.contains("<html lang=\"fr-CA\">"));
    assert!(page.html.contains("Phrase de passe"));
    let mut english = site.browser().with("accept-language", "en-GB,fr;q=0.3");
    assert!(english.get("/login").await.html.contains("<html lang=\"en\">"));
    let mut other = site.browser().with("accept-language", "de");
    assert!(other.get("/login").await.html.contains("<html lang=\"en\">"));

    let csrf = page.csrf();
    french.post("/language", &[("csrf", &csrf), ("lang", "en")]).await;
    assert!(french.get("/login").await.html.contains("<html lang=\"en\">"));
    let bad = french.post("/language", &[("csrf", &csrf), ("lang", "de")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_person_changes_their_passphrase() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    let form = alice.get("/passphrase").await;
    let new = "a much longer passphrase now";
    let wrong = alice
        .post("/passphrase", &[("csrf", &form.csrf()), ("current", "not it at all!"), ("new", new), ("repeat", new)])
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN, "{}", wrong.html);
    assert!(wrong.html.contains("the current passphrase is wrong"), "{}", wrong.html);
    let differ = alice
        .post("/passphrase", &[("csrf", &form.csrf()), ("current", PASS), ("new", new), ("repeat", "other")])
        .await;
    assert_eq!(differ.status, StatusCode::BAD_REQUEST);
    let done =
        alice.post("/passphrase", &[("csrf", &form.csrf()), ("current", PASS), ("new", new), ("repeat", new)]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.html);
    site.logged_in("Alice", new).await;
}

/// Every message id a template or handler asks for is in the English catalogue, hence (by coffre-i18n's parity
/// test) in the French one: a missing id would show as its id.
#[test]
fn every_message_a_template_uses_is_in_both_catalogues() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let mut sources: Vec<String> = std::fs::read_dir(dir)
        .expect("templates")
        .map(|entry| std::fs::read_to_string(entry.expect("entry").path()).expect("template"))
        .collect();
    for source in [
        include_str!("../pages.rs"),
        include_str!("../manage.rs"),
        include_str!("../render.rs"),
        include_str!("../audit.rs"),
        include_str!("../approvals.rs"),
        include_str!("../entry.rs"),
        include_str!("../recovery.rs"),
        include_str!("../people.rs"),
        include_str!("../mod.rs"),
        include_str!("../forms.rs"),
        include_str!("../security.rs"),
    ] {
        sources.push(source.to_owned());
    }
    let mut ids = std::collections::BTreeSet::new();
    for source in &sources {
        for (at, _) in
            source.match_indices("\"web-").chain(source.match_indices("m(\"")).chain(source.match_indices("m1(\""))
        {
            let rest = &source[at..];
            let start = rest.find('"').expect("quote") + 1;
            let len = rest[start..].find('"').expect("closing quote");
            let id = &rest[start..start + len];
            if id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                ids.insert(id.to_owned());
            }
        }
    }
    assert!(ids.len() > 60, "{ids:?}");
    for lang in coffre_i18n::Lang::ALL {
        for id in &ids {
            if id.starts_with("daemon-") || id.is_empty() {
                continue;
            }
            assert!(coffre_i18n::message(lang, id, &[]).is_some(), "{id} missing in {}", lang.tag());
        }
    }
}

#[tokio::test]
async fn times_are_shown_in_the_readers_time_zone_when_their_browser_names_one() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    // Alice (added by nobody: "-") was made at the vault's start, 1,800,000,000 s after the epoch: 2027-01-15 08:00 UTC.
    let daemons = alice.get("/people").await;
    assert_eq!(daemons.status, StatusCode::OK, "{}", daemons.html);
    let shown = |page: &Page| page.between("added by - on ", "</span>");
    let daemon_time = shown(&daemons);
    assert!(daemon_time.starts_with("January 1") && daemon_time.contains(", 2027, "), "{daemon_time}");
    assert!(daemon_time.contains(" (UTC"), "the daemon's zone, which may not be the reader's, says its offset");

    alice.cookies.insert("__Host-coffre-tz".into(), "Asia/Tokyo".into());
    assert_eq!(shown(&alice.get("/people").await), "January 15, 2027, 17:00");
    alice.cookies.insert("__Host-coffre-tz".into(), "America/Toronto".into());
    assert_eq!(shown(&alice.get("/people").await), "January 15, 2027, 3:00");
    // A date typed for a grant is the end of that day in the reader's zone too.
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    site.enrolled(&mut alice, "Bob", "member").await;
    let given = alice
        .submit(
            "/grants",
            &[
                ("person", "Bob"),
                ("scope", "entry"),
                ("platform", "Mailgun"),
                ("category", "software"),
                ("until", "2027-01-20"),
                ("task", "newsletter"),
            ],
        )
        .await;
    assert_eq!(given.status, StatusCode::OK, "{}", given.html);
    assert!(alice.get("/grants").await.html.contains("January 20, 2027, 23:59"), "the end of the reader's day");

    // Anything that is not a zone of the tz database is ignored: the daemon's zone, with its offset.
    for name in ["Mars/Olympus_Mons", "..%2F..%2Fetc%2Fpasswd", "Asia/Tokyo,UTC"] {
        alice.cookies.insert("__Host-coffre-tz".into(), name.into());
        assert_eq!(shown(&alice.get("/people").await), daemon_time, "{name}");
    }
}

/// An incident report from the browser: a member whose grant covers an entry reports its password compromised; the
/// president sees it among the passwords to change, with who reported it and why. A second report is recorded and
/// said to be a second one; a report without a reason, or on an entry the member may not see, is refused.
#[tokio::test]
async fn a_member_reports_a_password_compromised_from_the_entries_list() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    site.entry(&mut alice, "Bank", "bank-secret-1").await;
    site.enrolled(&mut alice, "Bob", "member").await;
    let grant =
        [("person", "Bob"), ("scope", "entry"), ("platform", "Mailgun"), ("until", "2027-02-01"), ("task", "t")];
    assert_eq!(alice.submit("/grants", &grant).await.status, StatusCode::OK);
    let mut bob = site.logged_in("Bob", PASS).await;
    let list = bob.get("/").await;
    assert!(list.html.contains("action=\"/entries/flag\""), "{}", list.html);
    let csrf = list.csrf();
    let csrf = csrf.as_str();

    let empty = bob.post("/entries/flag", &[("csrf", csrf), ("platform", "Mailgun"), ("reason", "  ")]).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST, "{}", empty.html);
    let elsewhere =
        bob.post("/entries/flag", &[("csrf", csrf), ("platform", "Bank"), ("reason", "seen on a screen")]).await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN, "{}", elsewhere.html);

    let done = bob
        .post("/entries/flag", &[("csrf", csrf), ("platform", "Mailgun"), ("reason", "typed on a shared computer")])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.html);
    assert!(done.html.contains("Mailgun is flagged compromised"), "{}", done.html);
    let again =
        bob.post("/entries/flag", &[("csrf", csrf), ("platform", "Mailgun"), ("reason", "and on another one")]).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.html);
    assert!(again.html.contains("Mailgun was flagged compromised already (since "), "{}", again.html);

    let due = alice.get("/rotation").await;
    assert!(due.html.contains("flagged compromised by Bob: typed on a shared computer"), "{}", due.html);
    assert!(!due.html.contains("Bank"), "only what was reported: {}", due.html);
}

/// A French reader who types a passphrase too short to be one (at log in, or at unseal) reads why in French, from
/// the catalogue, not the crypto crate's English.
#[tokio::test]
async fn a_passphrase_too_short_is_refused_in_the_readers_language() {
    let site = Site::new().await;
    let mut french = site.browser().with("accept-language", "fr-CA");
    let form = french.get("/login").await;
    let code = site.next_code("Alice");
    let refused = french
        .post("/login", &[("csrf", &form.csrf()), ("name", "Alice"), ("passphrase", "court"), ("code", &code)])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.html);
    assert!(refused.html.contains("<html lang=\"fr-CA\">"), "{}", refused.html);
    assert!(refused.html.contains("la phrase de passe doit avoir de 12 à 1024 octets"), "{}", refused.html);
    assert!(!refused.html.contains("passphrase must be"), "{}", refused.html);
    assert!(!french.cookies.contains_key("__Host-coffre-session"));
}

#[tokio::test]
async fn text_that_would_show_reversed_is_shown_replaced_and_a_revealed_secret_exactly_as_stored() {
    // A name stored before the vault refused bidirectional overrides ("Trojan Source"): every page shows the
    // override replaced, whatever template prints it.
    let frame = crate::web::render::Frame {
        t: crate::web::render::Tr(coffre_i18n::Lang::En, None),
        who: None,
        csrf: String::new(),
    };
    let message = crate::web::render::MessagePage {
        frame,
        title: "Face\u{202E}koob".into(),
        text: "gro.elpmaxe\u{2066}<b>".into(),
        back: "/",
    };
    let html = askama::Template::render(&message).expect("renders");
    assert!(!html.contains('\u{202E}') && !html.contains('\u{2066}'), "{html}");
    assert!(html.contains("Face\u{FFFD}koob") && html.contains("gro.elpmaxe\u{FFFD}&#60;b&#62;"), "{html}");

    // A secret is the one value shown (and copied) exactly as stored, still HTML-escaped.
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "a\u{202E}<b>&z").await;
    let list = alice.get("/").await;
    let shown = alice
        .post("/reveal", &[("csrf", &list.csrf()), ("platform", "Mailgun"), ("field", "password"), ("reason", "renew")])
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.html);
    assert_eq!(shown.between("<output id=\"secret\" class=\"value\">", "</output>"), "a\u{202E}&#60;b&#62;&#38;z");
}
