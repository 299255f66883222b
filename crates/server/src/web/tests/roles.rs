//! The pages of auditors and owners, and each refusal of a role that may not.

use axum::http::{StatusCode, header};

use super::*;

#[tokio::test]
async fn an_auditor_gets_the_engines_refusal_for_entries() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.enrolled(&mut alice, "Carol", "auditor").await;
    let mut carol = site.logged_in("Carol", PASS).await;
    // The engine refuses the entries; the auditor's home page is the log instead.
    let page = carol.get("/").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location(), "/audit");
    let csrf = carol.get("/audit").await.csrf();
    let refused =
        carol.post("/reveal", &[("csrf", &csrf), ("platform", "X"), ("field", "password"), ("reason", "r")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(refused.html.contains("auditors never reveal secrets"), "{}", refused.html);
    let page = carol.get("/people/new").await;
    assert_eq!(page.status, StatusCode::OK, "the form shows; the engine refuses what it sends");
    let refused = carol.post("/people/new", &[("csrf", &page.csrf()), ("name", "Dan"), ("role", "member")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
}

#[tokio::test]
async fn an_auditor_reads_the_log_and_downloads_its_export_a_member_does_not() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let list = alice.get("/").await;
    alice
        .post(
            "/reveal",
            &[("csrf", &list.csrf()), ("platform", "Mailgun"), ("field", "password"), ("reason", "renewal")],
        )
        .await;
    site.enrolled(&mut alice, "Carol", "auditor").await;
    site.enrolled(&mut alice, "Bob", "member").await;

    let mut carol = site.logged_in("Carol", PASS).await;
    let log = carol.get("/audit").await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.html);
    assert!(log.html.contains("<td>reveal</td><td>Mailgun</td>"), "{}", log.html);
    assert!(log.html.contains("<td>renewal</td>"), "the reason is shown");
    assert!(!log.html.contains("mg-secret-1"));
    let filtered = carol.get("/audit?actor=Carol&action=").await;
    assert!(!filtered.html.contains("<td>Mailgun</td>"), "{}", filtered.html);

    let refused = carol.post("/audit/export", &[("csrf", "wrong")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let export = carol.post("/audit/export", &[("csrf", &log.csrf())]).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.html);
    assert_eq!(export.headers[header::CONTENT_DISPOSITION], "attachment; filename=\"coffre-audit-export.jsonl\"");
    assert_eq!(export.headers[header::CACHE_CONTROL], "no-store");
    let lines: Vec<serde_json::Value> =
        export.html.lines().map(|line| serde_json::from_str(line).expect("a JSON line")).collect();
    assert!(lines.len() > 5, "{}", export.html);
    assert!(export.html.contains("\"renewal\""));

    let mut bob = site.logged_in("Bob", PASS).await;
    let page = bob.get("/audit").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
    assert!(!page.html.contains("renewal"));
    let refused = bob.post("/audit/export", &[("csrf", &page.csrf())]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_very_confidential_entry_is_revealed_once_after_an_owners_approval() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    let form = alice.get("/entries/new").await;
    let added = alice
        .post(
            "/entries/new",
            &[
                ("csrf", &form.csrf()),
                ("platform", "Bank"),
                ("category", "financial"),
                ("classification", "very-confidential"),
                ("password", "bank-secret-9"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.html);
    site.enrolled(&mut alice, "Bob", "member").await;
    let fields = [
        ("person", "Bob"),
        ("scope", "entry"),
        ("platform", "Bank"),
        ("until", "2027-02-01"),
        ("task", "pay the rent"),
    ];
    assert_eq!(alice.submit("/grants", &fields).await.status, StatusCode::OK);

    let mut bob = site.logged_in("Bob", PASS).await;
    let csrf = bob.get("/").await.csrf();
    let reveal = [("csrf", csrf.as_str()), ("platform", "Bank"), ("field", "password"), ("reason", "rent")];
    let refused = bob.post("/reveal", &reveal).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(refused.html.contains("needs an owner"), "{}", refused.html);
    let asked = bob.post("/approvals", &[("csrf", &csrf), ("platform", "Bank"), ("reason", "pay the rent")]).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.html);
    let mine = bob.get("/approvals").await;
    assert!(mine.html.contains("waiting"), "{}", mine.html);
    assert!(!mine.html.contains("/approvals/decide"), "a member has no decision buttons");
    // A member cannot decide, even with the id: the engine's refusal.
    let inbox = alice.get("/approvals").await;
    let id = inbox.between("name=\"id\" value=\"", "\"");
    let denied = bob.post("/approvals/decide", &[("csrf", &csrf), ("id", &id), ("decision", "approve")]).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN, "{}", denied.html);

    let approved = alice
        .post("/approvals/decide", &[("csrf", &inbox.csrf()), ("id", &id), ("decision", "approve"), ("reason", "ok")])
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.html);
    let shown = bob.post("/reveal", &reveal).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.html);
    assert!(shown.html.contains(">bank-secret-9<"));
    // Once: the next reveal needs a new approval.
    assert_eq!(bob.post("/reveal", &reveal).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_owner_stages_reveals_and_confirms_a_rotation_a_member_cannot() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    site.entry(&mut alice, "Zoom", "zoom-secret-1").await;
    let page = alice.get("/rotation").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let csrf = page.csrf();
    for platform in ["Mailgun", "Zoom"] {
        let staged = alice.post("/rotation/stage", &[("csrf", &csrf), ("platform", platform)]).await;
        assert_eq!(staged.status, StatusCode::OK, "{}", staged.html);
    }
    let page = alice.get("/rotation").await;
    assert!(page.html.contains("<h3>Mailgun</h3>") && page.html.contains("<h3>Zoom</h3>"), "{}", page.html);
    let fresh = alice
        .post("/rotation/pending", &[("csrf", &csrf), ("platform", "Mailgun"), ("reason", "set it on Mailgun")])
        .await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.html);
    let new_password = fresh.between("<output id=\"secret\" class=\"value\">", "</output>");
    assert!(new_password.len() >= 20 && new_password != "mg-secret-1", "{new_password}");
    let confirmed = alice.post("/rotation/confirm", &[("csrf", &csrf), ("platform", "Mailgun")]).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.html);
    let cancelled = alice.post("/rotation/cancel", &[("csrf", &csrf), ("platform", "Zoom")]).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.html);
    let list = alice.get("/").await;
    let shown = alice
        .post("/reveal", &[("csrf", &list.csrf()), ("platform", "Mailgun"), ("field", "password"), ("reason", "check")])
        .await;
    assert!(shown.html.contains(&format!(">{new_password}<")), "the confirmed password is the current one");
    let shown = alice
        .post("/reveal", &[("csrf", &list.csrf()), ("platform", "Zoom"), ("field", "password"), ("reason", "check")])
        .await;
    assert!(shown.html.contains(">zoom-secret-1<"), "a cancelled rotation changes nothing");

    site.enrolled(&mut alice, "Bob", "member").await;
    let mut bob = site.logged_in("Bob", PASS).await;
    let page = bob.get("/rotation").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.html);
    let refused = bob.post("/rotation/stage", &[("csrf", &page.csrf()), ("platform", "Mailgun")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(refused.html.contains("only the president or the leader may rotate"), "{}", refused.html);
}

#[tokio::test]
async fn offboarding_ends_the_persons_web_session_and_lists_the_passwords_to_change() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    site.enrolled(&mut alice, "Bob", "member").await;
    let fields = [
        ("person", "Bob"),
        ("scope", "category"),
        ("category", "software"),
        ("until", "2027-02-01"),
        ("task", "newsletter"),
    ];
    assert_eq!(alice.submit("/grants", &fields).await.status, StatusCode::OK);
    let mut bob = site.logged_in("Bob", PASS).await;
    let csrf = bob.get("/").await.csrf();
    let shown = bob
        .post("/reveal", &[("csrf", &csrf), ("platform", "Mailgun"), ("field", "password"), ("reason", "news")])
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.html);
    // A member may not see the people.
    assert_eq!(bob.get("/people").await.status, StatusCode::FORBIDDEN);

    let people = alice.get("/people").await;
    assert_eq!(people.status, StatusCode::OK, "{}", people.html);
    assert!(people.html.contains("<h3>Bob</h3>"), "{}", people.html);
    let unsure = alice.post("/people/offboard", &[("csrf", &people.csrf()), ("name", "Bob")]).await;
    assert_eq!(unsure.status, StatusCode::BAD_REQUEST, "the box must be ticked");
    let done = alice.post("/people/offboard", &[("csrf", &people.csrf()), ("name", "Bob"), ("sure", "yes")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.html);
    assert!(done.html.contains("<li>Mailgun</li>"), "Mailgun is to change: {}", done.html);
    assert!(done.html.contains("<li>Mailgun: saw the current version (1)</li>"), "{}", done.html);
    assert!(done.html.contains("Sessions ended: 1."), "{}", done.html);
    // Bob's browser is logged out by the engine: the next page is the log-in page.
    let page = bob.get("/").await;
    assert_eq!(page.location(), "/login");

    // The entry says why its password must change: to the president, who left and what they saw, in her language;
    // to a colleague with access, only that someone who had access left.
    let why = "Password to change on the platform: revealed by Bob, who was offboarded; saw the current version (1)";
    let list = alice.get("/").await;
    assert!(list.html.contains(why), "{}", list.html);
    let switched = alice.post("/language", &[("csrf", &list.csrf()), ("lang", "fr-CA")]).await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let french = alice.get("/").await;
    let pourquoi = "Mot de passe à changer sur la plateforme\u{a0}: affiché par Bob, parti·e depuis\u{a0}; a vu la version actuelle (1)";
    assert!(french.html.contains(pourquoi), "{}", french.html);
    site.enrolled(&mut alice, "Carol", "member").await;
    let fields =
        [("person", "Carol"), ("scope", "entry"), ("platform", "Mailgun"), ("until", "2027-02-01"), ("task", "t")];
    assert_eq!(alice.submit("/grants", &fields).await.status, StatusCode::OK);
    let mut carol = site.logged_in("Carol", PASS).await;
    let theirs = carol.get("/").await;
    assert!(
        theirs.html.contains("Password to change on the platform: a person who had access left"),
        "{}",
        theirs.html
    );
    assert!(!theirs.html.contains("Bob"), "{}", theirs.html);
}

#[tokio::test]
async fn an_owner_seals_from_the_web_and_unseals_with_the_passphrase() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    let page = alice.get("/vault").await;
    assert!(page.html.contains("unsealed"), "{}", page.html);
    assert!(page.html.contains("AB:CD"), "the CA's fingerprint is shown");
    let sealed = alice.post("/seal", &[("csrf", &page.csrf())]).await;
    assert_eq!(sealed.location(), "/vault");
    assert!(!alice.cookies.contains_key("__Host-coffre-session"), "sealing ended the session");
    assert_eq!(site.vault.status().state, coffre_vault::SealState::Sealed);

    let mut anyone = site.browser();
    let page = anyone.get("/vault").await;
    assert!(page.html.contains("action=\"/unseal\""), "{}", page.html);
    let wrong = anyone.post("/unseal", &[("csrf", &page.csrf()), ("passphrase", "not the passphrase")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.html);
    assert_eq!(site.vault.status().state, coffre_vault::SealState::Sealed);
    let opened = anyone.post("/unseal", &[("csrf", &page.csrf()), ("passphrase", PASS)]).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.html);
    assert_eq!(site.vault.status().state, coffre_vault::SealState::Unsealed);
    site.logged_in("Alice", PASS).await;

    site.enrolled(&mut site.logged_in("Alice", PASS).await, "Bob", "member").await;
    let mut bob = site.logged_in("Bob", PASS).await;
    let page = bob.get("/vault").await;
    assert!(!page.html.contains("action=\"/seal\""), "no seal button for a member");
    let refused = bob.post("/seal", &[("csrf", &page.csrf())]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(refused.html.contains("only the president or the leader may seal"), "{}", refused.html);
}
