//! What every response carries, and the refusals before any page: no session, CSRF, another origin, sealed.

use axum::http::{StatusCode, header};
use coffre_vault::RequestContext;

use super::*;

#[tokio::test]
async fn every_route_carries_the_security_headers_logged_in_or_not() {
    let site = Site::new().await;
    let gets = [
        "/",
        "/login",
        "/enrol",
        "/passphrase",
        "/entries/new",
        "/people/new",
        "/grants",
        "/audit",
        "/approvals",
        "/rotation",
        "/people",
        "/recovery",
        "/registry",
    ];
    let assets = ["/static/coffre.css", "/static/coffre.js"];
    let posts = [
        "/login",
        "/logout",
        "/language",
        "/reveal",
        "/enrol",
        "/enrol/finish",
        "/passphrase",
        "/entries/new",
        "/people/new",
        "/grants",
        "/grants/revoke",
        "/audit/export",
        "/approvals",
        "/approvals/decide",
        "/rotation/stage",
        "/rotation/pending",
        "/rotation/confirm",
        "/rotation/cancel",
        "/people/offboard",
        "/people/reset",
        "/entries/edit",
        "/entries/archive",
        "/entries/flag",
        "/backups",
        "/seal",
        "/unseal",
    ];
    let mut anonymous = site.browser();
    let mut alice = site.logged_in("Alice", PASS).await;
    for browser in [&mut anonymous, &mut alice] {
        for path in gets.iter().chain(&assets) {
            let page = browser.get(path).await;
            assert!(page.status.is_success() || page.status.is_redirection(), "GET {path}: {}", page.status);
            assert_secure(&page, &format!("GET {path}"));
        }
        for path in posts {
            // Without a CSRF token: refused, and the refusal carries the headers too.
            let page = browser.post(path, &[("x", "y")]).await;
            assert!(page.status.is_client_error(), "POST {path}: {}", page.status);
            assert_secure(&page, &format!("POST {path}"));
        }
        let page = browser.clone_with_origin("https://elsewhere.test").post("/login", &[]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert_secure(&page, "a form from elsewhere");
    }
    let css = anonymous.get("/static/coffre.css").await;
    assert_eq!(css.headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    let page = anonymous.get("/login").await;
    assert_eq!(page.headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
}

#[tokio::test]
async fn without_a_session_the_pages_send_to_the_log_in_page() {
    let site = Site::new().await;
    let mut browser = site.browser();
    for path in ["/", "/passphrase", "/entries/new", "/people/new", "/grants"] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(page.location(), "/login", "{path}");
    }
    // A form sent with a visitor's valid token but no session: still the log-in page, nothing revealed.
    let form = browser.get("/login").await;
    let page = browser
        .post("/reveal", &[("csrf", &form.csrf()), ("platform", "Mailgun"), ("field", "password"), ("reason", "r")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login");
    // A session cookie the engine does not know is no session.
    let mut forged = site.browser();
    forged.cookies.insert("__Host-coffre-session".into(), "A".repeat(43));
    let page = forged.get("/").await;
    assert_eq!(page.location(), "/login");
}

#[tokio::test]
async fn a_form_without_its_csrf_token_or_with_another_one_is_refused() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let reveal = |csrf: String| {
        vec![
            ("csrf".to_owned(), csrf),
            ("platform".to_owned(), "Mailgun".to_owned()),
            ("field".to_owned(), "password".to_owned()),
            ("reason".to_owned(), "renew".to_owned()),
        ]
    };
    for csrf in [String::new(), "wrong".to_owned(), "A".repeat(43)] {
        let fields = reveal(csrf);
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = alice.post("/reveal", &refs).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(page.html.contains("open the page again"), "{}", page.html);
        assert!(!page.html.contains("mg-secret-1"));
    }
    // The token of another person's session is not this session's.
    let bob_token = site.logged_in("Alice", PASS).await.get("/").await.csrf();
    let mine = alice.get("/").await.csrf();
    assert_ne!(bob_token, mine, "each session has its own token");
    let fields = reveal(bob_token);
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(alice.post("/reveal", &refs).await.status, StatusCode::FORBIDDEN);
    // Its own token works.
    let fields = reveal(mine);
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(alice.post("/reveal", &refs).await.status, StatusCode::OK);
}

/// A take-over behind a load balancer: the page was shown by one coffred, its form is sent to the standby that took
/// the vault over (the engine's session carried over). The form's token is the vault's while unsealed, so the other
/// coffred takes it; a form shown while sealed (the unseal form) is bound to the coffred that showed it, and another
/// refuses it once (the person opens the page again).
#[tokio::test]
async fn a_form_shown_by_one_coffred_is_taken_by_another_of_the_same_vault() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let csrf = alice.get("/").await.csrf();
    let mut elsewhere = alice.now_reaching(site.another_coffred());
    let fields = [("csrf", csrf.as_str()), ("platform", "Mailgun"), ("field", "password"), ("reason", "renew")];
    let page = elsewhere.post("/reveal", &fields).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("mg-secret-1"), "{}", page.html);
    let wrong = [("csrf", "A".repeat(43)), ("platform", "Mailgun".into()), ("field", "password".into())];
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(elsewhere.post("/reveal", &wrong).await.status, StatusCode::FORBIDDEN, "still checked there");

    // Sealed: no vault key in memory, the token is the process's.
    seal_through_the_vault_page(&mut alice).await;
    let mut visitor = site.browser();
    let unseal_csrf = visitor.get("/vault").await.csrf();
    let mut elsewhere = visitor.now_reaching(site.another_coffred());
    let refused = elsewhere.post("/unseal", &[("csrf", &unseal_csrf), ("passphrase", PASS)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(refused.html.contains("open the page again"), "{}", refused.html);
    let page = visitor.post("/unseal", &[("csrf", &unseal_csrf), ("passphrase", PASS)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert_eq!(site.vault.status().state, coffre_vault::SealState::Unsealed);
}

/// A page shown while the vault was unsealed, its form sent after an owner sealed it: the token cannot be checked
/// without the vault's key, and the seal is why nothing can be done, so the page says the vault is sealed (who can
/// unseal it) rather than "open the page again", which would only show the same refusal once more.
#[tokio::test]
async fn a_form_sent_after_the_vault_was_sealed_says_the_vault_is_sealed() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let csrf = alice.get("/").await.csrf();
    seal_through_the_vault_page(&mut alice).await;
    let fields = [("csrf", csrf.as_str()), ("platform", "Mailgun"), ("field", "password"), ("reason", "renew")];
    let page = alice.post("/reveal", &fields).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.html);
    assert!(page.html.contains("vault is sealed: ask the president or the leader"), "{}", page.html);
    assert!(!page.html.contains("open the page again"), "{}", page.html);
    assert!(!page.html.contains("mg-secret-1"));
}

/// An owner seals the vault with the vault page's button.
async fn seal_through_the_vault_page(owner: &mut Browser) {
    let seal = owner.get("/vault").await.between("action=\"/seal\"", "</form>");
    let seal_csrf = seal.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next());
    let page = owner.post("/seal", &[("csrf", seal_csrf.expect("the seal form's token"))]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
}

#[tokio::test]
async fn a_form_from_another_origin_is_refused_before_any_handler() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let csrf = alice.get("/").await.csrf();
    let fields = [("csrf", csrf.as_str()), ("platform", "Mailgun"), ("field", "password"), ("reason", "renew")];
    for origin in ["https://evil.test", "http://coffre.test", "https://coffre.test.evil.test"] {
        let page = alice.clone_with_origin(origin).post("/reveal", &fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{origin}");
        assert!(!page.html.contains("mg-secret-1"));
    }
    // Without Origin: only a same-origin fetch (as the browser says) passes.
    let mut no_origin = alice.clone_with_origin("");
    no_origin.headers.retain(|(name, _)| *name != "origin");
    assert_eq!(no_origin.post("/reveal", &fields).await.status, StatusCode::FORBIDDEN);
    let mut cross = no_origin.clone_with_origin("").with("sec-fetch-site", "cross-site");
    cross.headers.retain(|(name, _)| *name != "origin");
    assert_eq!(cross.post("/reveal", &fields).await.status, StatusCode::FORBIDDEN);
    let mut same = cross.with("sec-fetch-site", "same-origin");
    assert_eq!(same.post("/reveal", &fields).await.status, StatusCode::OK);
    // `Origin: null` is what browsers send with `Referrer-Policy: no-referrer`: only a same-origin fetch passes.
    let mut null = alice.clone_with_origin("null");
    assert_eq!(null.post("/reveal", &fields).await.status, StatusCode::FORBIDDEN);
    let mut null_cross = alice.clone_with_origin("null").with("sec-fetch-site", "cross-site");
    assert_eq!(null_cross.post("/reveal", &fields).await.status, StatusCode::FORBIDDEN);
    let mut null_same = alice.clone_with_origin("null").with("sec-fetch-site", "same-origin");
    assert_eq!(null_same.post("/reveal", &fields).await.status, StatusCode::OK);
    // A page of another origin cannot claim to be same-origin by its Origin while the browser says cross-site.
    let mut mixed = alice.clone_with_origin("https://evil.test").with("sec-fetch-site", "same-origin");
    assert_eq!(mixed.post("/reveal", &fields).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_sealed_vault_is_said_so_on_every_page() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    let ctx = RequestContext {
        token: alice.cookies.get("__Host-coffre-session").map(|t| coffre_vault::SessionToken::new(t.clone())),
        ..RequestContext::default()
    };
    site.vault.seal(&ctx).await.expect("sealed");
    let page = alice.get("/").await;
    assert!(page.html.contains("vault is sealed"), "{}: {}", page.status, page.html);
    let mut anonymous = site.browser();
    let form = anonymous.get("/login").await;
    let code = site.next_code("Alice");
    let page = anonymous
        .post("/login", &[("csrf", &form.csrf()), ("name", "Alice"), ("passphrase", PASS), ("code", &code)])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.html);
    assert!(page.html.contains("vault is sealed"), "{}", page.html);
    assert!(!anonymous.cookies.contains_key("__Host-coffre-session"));
}

#[tokio::test]
async fn logging_out_ends_the_engines_session() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    let token = alice.cookies["__Host-coffre-session"].clone();
    let csrf = alice.get("/").await.csrf();
    let page = alice.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(page.location(), "/login");
    assert!(!alice.cookies.contains_key("__Host-coffre-session"));
    // The old token is dead in the engine too, not only forgotten by the browser.
    let ctx = RequestContext { token: Some(coffre_vault::SessionToken::new(token)), ..RequestContext::default() };
    assert!(site.vault.whoami(&ctx).is_err());
}

#[tokio::test]
async fn a_wrong_code_at_log_in_is_the_engines_refusal_and_sets_no_session() {
    let site = Site::new().await;
    let mut browser = site.browser();
    let form = browser.get("/login").await;
    let page = browser
        .post("/login", &[("csrf", &form.csrf()), ("name", "Alice"), ("passphrase", PASS), ("code", "000000")])
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{}", page.html);
    assert!(page.html.contains("wrong name, passphrase or code"), "{}", page.html);
    assert!(!browser.cookies.contains_key("__Host-coffre-session"));
}

/// A form refused for its origin is a page in the reader's language, as any other refusal, not a line of English.
#[tokio::test]
async fn a_form_from_another_origin_is_refused_in_the_readers_language() {
    let site = Site::new().await;
    let mut french = site.browser().with("accept-language", "fr-CA");
    let csrf = french.get("/login").await.csrf();
    let mut elsewhere = french.clone_with_origin("https://evil.test");
    let refused = elsewhere.post("/language", &[("csrf", &csrf), ("lang", "en")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert_secure(&refused, "a form from elsewhere, in French");
    assert!(refused.html.contains("<html lang=\"fr-CA\">"), "{}", refused.html);
    assert!(refused.html.contains("n’a pas été envoyé depuis une page de ce site"), "{}", refused.html);
    assert!(!elsewhere.cookies.contains_key("__Host-coffre-lang"), "nothing was done");
}

/// A form the web client cannot take as sent: too long (a president pasting a whole document into the notes), or
/// missing a field its page has. The refusal is a page in the reader's language with the limit's status, not
/// axum's line of English, and nothing is done.
#[tokio::test]
async fn a_form_too_large_or_unreadable_is_refused_in_the_readers_language() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await.with("accept-language", "fr-CA");
    let csrf = alice.get("/entries/new").await.csrf();
    let huge = "n".repeat(super::super::MAX_FORM_BYTES + 1);
    let fields = [
        ("csrf", csrf.as_str()),
        ("platform", "Mailgun"),
        ("category", "software"),
        ("classification", "restricted"),
        ("password", "mg-secret-1"),
        ("notes", huge.as_str()),
    ];
    let refused = alice.post("/entries/new", &fields).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", refused.html);
    assert_secure(&refused, "a form too large");
    assert!(refused.html.contains("<html lang=\"fr-CA\">"), "{}", refused.html);
    assert!(refused.html.contains("Ce formulaire est trop long"), "{}", refused.html);
    let refused = alice.post("/reveal", &[("csrf", csrf.as_str()), ("platform", "Mailgun")]).await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert!(refused.html.contains("<html lang=\"fr-CA\">"), "{}", refused.html);
    assert!(refused.html.contains("Ce formulaire n’a pas pu être lu"), "{}", refused.html);
    assert!(site.vault.list_entries(&session_of(&alice), false).expect("entries").is_empty(), "nothing was added");
}

fn session_of(browser: &Browser) -> RequestContext {
    RequestContext {
        token: browser.cookies.get("__Host-coffre-session").map(|t| coffre_vault::SessionToken::new(t.clone())),
        ..RequestContext::default()
    }
}

/// An address whose query a page cannot read (a hand-edited `after`, a filter given twice): the page in the
/// reader's language, not axum's English line.
#[tokio::test]
async fn a_query_a_page_cannot_read_is_refused_in_the_readers_language() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await.with("accept-language", "fr-CA");
    for path in ["/audit?after=hier", "/?q=a&q=b"] {
        let refused = alice.get(path).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{path}: {}", refused.html);
        assert_secure(&refused, path);
        assert!(refused.html.contains("<html lang=\"fr-CA\">"), "{path}: {}", refused.html);
        assert!(refused.html.contains("Ce formulaire n’a pas pu être lu"), "{path}: {}", refused.html);
    }
}

/// A page that is not ready within its time limit (here none: a log in, whose Argon2 work cannot be done by the
/// time the page is first asked for) is answered with a page in the reader's language, with the security headers:
/// not with the transport's own answer to a request past its limit, gRPC's CANCELLED, which a browser shows as a
/// blank page or a download.
#[tokio::test]
async fn a_page_not_ready_in_time_is_a_page_in_the_readers_language_not_the_transports_grpc_answer() {
    let site = Site::new().await;
    let mut browser = site.browser();
    browser.cookies.insert("__Host-coffre-lang".into(), "fr-CA".into());
    let form = browser.get("/login").await;
    let code = site.next_code("Alice");
    let mut browser = browser.now_reaching(site.another_coffred_with(Duration::ZERO));
    let page = browser
        .post("/login", &[("csrf", &form.csrf()), ("name", "Alice"), ("passphrase", PASS), ("code", &code)])
        .await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.html);
    assert!(page.html.contains("trop de temps"), "in French: {}", page.html);
    assert!(page.headers.contains_key(header::CONTENT_SECURITY_POLICY), "with the security headers");
    assert!(!browser.cookies.contains_key("__Host-coffre-session"), "no session was handed out");
}
