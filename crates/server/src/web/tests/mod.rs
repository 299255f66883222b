//! The web client's handlers against the real engine, through the router a browser reaches (no TLS here: the
//! transport's own test serves a page over TLS). Every page and every refusal: no session, wrong role or grant,
//! sealed vault, CSRF token missing or wrong, another origin; and the security headers on every route.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use coffre_crypto::{kdf::KdfParams, secret::Passphrase, totp::TotpSeed};
use coffre_vault::{InitParams, RequestContext, Vault, VaultConfig, clock::ManualClock};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use super::security::{CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY};

mod french;
mod owners;
mod pages;
mod roles;
mod security;

const ORIGIN: &str = "https://coffre.test";
const PASS: &str = "correct horse battery staple";

/// A vault with its president, Alice, and the web client in front of it.
struct Site {
    app: Router,
    vault: Vault,
    clock: Arc<ManualClock>,
    /// Second factors by lower-case name, as each person's phone has them.
    seeds: std::sync::Mutex<BTreeMap<String, TotpSeed>>,
    _dir: tempfile::TempDir,
}

impl Site {
    async fn new() -> Site {
        Self::with_settings(crate::config::WebSettings::default(), None).await
    }

    /// A site whose `[web]` settings are `settings`, with scheduled backups in `backup` if given.
    async fn with_settings(
        settings: crate::config::WebSettings,
        backup: Option<coffre_vault::backup::BackupSchedule>,
    ) -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = VaultConfig::new(dir.path().join("data"));
        config.default_kdf = KdfParams { memory_kib: 8_192, iterations: 1, parallelism: 1 };
        let start = std::time::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let clock = Arc::new(ManualClock::new(start));
        let vault = Vault::open(config, clock.clone()).expect("open");
        let init = vault
            .init(
                &RequestContext::default(),
                InitParams {
                    president: "Alice".into(),
                    passphrase: Passphrase::new(PASS.as_bytes().to_vec()).expect("passphrase"),
                    leader: None,
                    kdf: None,
                },
            )
            .await
            .expect("init");
        let seed = TotpSeed::from_otpauth_uri(init.president_totp_uri.expose_secret()).expect("a URI");
        let app = super::router(
            Router::new(),
            vault.clone(),
            super::Setup {
                ca_fingerprint: "AB:CD",
                settings,
                backup,
                organisation: Some("Parti de l'Île <test>".into()),
                page_time_limit: super::PAGE_TIME_LIMIT,
            },
        )
        .expect("router");
        let seeds = std::sync::Mutex::new(BTreeMap::from([("alice".to_owned(), seed)]));
        Site { app, vault, clock, seeds, _dir: dir }
    }

    /// The code `name`'s phone shows after the next 30-second step (a code works once).
    fn next_code(&self, name: &str) -> String {
        self.clock.advance(Duration::from_secs(30));
        let now = coffre_vault::clock::unix_seconds(coffre_vault::clock::Clock::now(&*self.clock));
        self.seeds.lock().expect("seeds")[&name.to_lowercase()].code_at(now)
    }

    fn browser(&self) -> Browser {
        Browser { app: self.app.clone(), cookies: BTreeMap::new(), headers: vec![("origin", ORIGIN.to_owned())] }
    }

    /// The web client of another coffred process of the same vault, as a standby that took it over has: its own
    /// keys drawn at start, the same engine.
    fn another_coffred(&self) -> Router {
        self.another_coffred_with(super::PAGE_TIME_LIMIT)
    }

    /// [`Site::another_coffred`], whose pages may take at most `page_time_limit`.
    fn another_coffred_with(&self, page_time_limit: Duration) -> Router {
        let setup = super::Setup {
            ca_fingerprint: "AB:CD",
            settings: crate::config::WebSettings::default(),
            backup: None,
            organisation: None,
            page_time_limit,
        };
        super::router(Router::new(), self.vault.clone(), setup).expect("router")
    }

    /// A browser in which `name` has logged in through the log-in page.
    async fn logged_in(&self, name: &str, passphrase: &str) -> Browser {
        let mut browser = self.browser();
        let form = browser.get("/login").await;
        let code = self.next_code(name);
        let page = browser
            .post("/login", &[("csrf", &form.csrf()), ("name", name), ("passphrase", passphrase), ("code", &code)])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
        assert!(browser.cookies.contains_key("__Host-coffre-session"));
        browser
    }

    /// Alice adds `name` with `role` through the web, and `name` enrols through the web with passphrase PASS.
    async fn enrolled(&self, alice: &mut Browser, name: &str, role: &str) {
        let form = alice.get("/people/new").await;
        let handout = alice.post("/people/new", &[("csrf", &form.csrf()), ("name", name), ("role", role)]).await;
        assert_eq!(handout.status, StatusCode::OK, "{}", handout.html);
        let code = handout.between("<dd class=\"value\" id=\"code\">", "</dd>");
        assert!(handout.html.contains("https://coffre.test/enrol"), "{}", handout.html);
        assert!(handout.html.contains("AB:CD"), "the CA's fingerprint is on the handout");

        let mut newcomer = self.browser();
        let form = newcomer.get("/enrol").await;
        let factor = newcomer.post("/enrol", &[("csrf", &form.csrf()), ("code", &code)]).await;
        assert_eq!(factor.status, StatusCode::OK, "{}", factor.html);
        assert!(factor.html.contains("src=\"data:image/svg+xml;base64,"), "the QR code is an inline image");
        let uri = factor.between("<p class=\"value\">", "</p>").replace("&amp;", "&");
        let seed = TotpSeed::from_otpauth_uri(&uri).expect("the page shows the otpauth URI");
        self.seeds.lock().expect("seeds").insert(name.to_lowercase(), seed);
        let totp = self.next_code(name);
        let done = newcomer
            .post(
                "/enrol/finish",
                &[("csrf", &factor.csrf()), ("code", &code), ("passphrase", PASS), ("repeat", PASS), ("totp", &totp)],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.html);
    }

    /// Alice adds the entry `platform` (software, restricted) with `password` through the web.
    async fn entry(&self, alice: &mut Browser, platform: &str, password: &str) {
        let form = alice.get("/entries/new").await;
        let page = alice
            .post(
                "/entries/new",
                &[
                    ("csrf", &form.csrf()),
                    ("platform", platform),
                    ("category", "software"),
                    ("classification", "restricted"),
                    ("url", "https://example.org"),
                    ("login", "comms@example.org"),
                    ("password", password),
                    ("totp", "JBSWY3DPEHPK3PXP"),
                    ("notes", ""),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    }
}

/// A browser: its cookies, and the headers it sends with every request.
struct Browser {
    app: Router,
    cookies: BTreeMap<String, String>,
    headers: Vec<(&'static str, String)>,
}

#[derive(Debug)]
struct Page {
    status: StatusCode,
    headers: HeaderMap,
    html: String,
}

impl Page {
    /// The CSRF token of the page's first form.
    fn csrf(&self) -> String {
        self.between("name=\"csrf\" value=\"", "\"")
    }

    fn between(&self, before: &str, after: &str) -> String {
        let start = self.html.find(before).unwrap_or_else(|| panic!("no {before} in {}", self.html)) + before.len();
        let end = self.html[start..].find(after).expect("closed") + start;
        self.html[start..end].to_owned()
    }

    fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|l| l.to_str().ok()).unwrap_or_default()
    }
}

/// `application/x-www-form-urlencoded`, every byte but letters and digits escaped.
fn encode(fields: &[(&str, &str)]) -> String {
    let escape = |text: &str| {
        text.bytes()
            .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect::<String>()
    };
    fields.iter().map(|(k, v)| format!("{}={}", escape(k), escape(v))).collect::<Vec<_>>().join("&")
}

impl Browser {
    async fn send(&mut self, method: Method, path: &str, body: Option<String>) -> Page {
        let mut request = Request::builder().method(method).uri(format!("{ORIGIN}{path}"));
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        if !self.cookies.is_empty() {
            let jar = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            request = request.header(header::COOKIE, jar);
        }
        let request = match body {
            Some(body) => request
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
            None => request.body(Body::empty()).expect("request"),
        };
        let response = self.app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        for cookie in headers.get_all(header::SET_COOKIE) {
            let cookie = cookie.to_str().expect("ASCII");
            assert!(cookie.contains("; Secure; HttpOnly; SameSite=Strict; Path=/"), "{cookie}");
            let (pair, _) = cookie.split_once(';').expect("attributes");
            let (name, value) = pair.split_once('=').expect("name=value");
            assert!(name.starts_with("__Host-"), "{cookie}");
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        Page { status, headers, html: String::from_utf8_lossy(&bytes).into_owned() }
    }

    async fn get(&mut self, path: &str) -> Page {
        self.send(Method::GET, path, None).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.send(Method::POST, path, Some(encode(fields))).await
    }

    /// Opens the form at `path` and sends it back with `fields` and the form's CSRF token, as a person would.
    async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(path).await.csrf();
        let all: Vec<(&str, &str)> = std::iter::once(("csrf", csrf.as_str())).chain(fields.iter().copied()).collect();
        self.post(path, &all).await
    }

    fn with(mut self, name: &'static str, value: &str) -> Browser {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.to_owned()));
        self
    }
}

#[track_caller]
fn assert_secure(page: &Page, what: &str) {
    let h = |name: &str| page.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(h("content-security-policy"), CONTENT_SECURITY_POLICY, "{what}");
    assert_eq!(
        CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
         base-uri 'none'; frame-ancestors 'none'"
    );
    assert!(h("strict-transport-security").starts_with("max-age="), "{what}");
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(h("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(h("cross-origin-opener-policy"), "same-origin", "{what}");
    assert_eq!(h("cross-origin-resource-policy"), "same-origin", "{what}");
    assert_eq!(h("permissions-policy"), PERMISSIONS_POLICY, "{what}");
    assert!(PERMISSIONS_POLICY.split(", ").all(|feature| feature.ends_with("=()")));
    assert_eq!(h("cache-control"), "no-store", "{what}");
}

impl Browser {
    /// This browser, its cookies kept, now reaching `app` (the same address served by another coffred).
    fn now_reaching(&self, app: Router) -> Browser {
        Browser { app, cookies: self.cookies.clone(), headers: self.headers.clone() }
    }

    fn clone_with_origin(&self, origin: &str) -> Browser {
        Browser { app: self.app.clone(), cookies: self.cookies.clone(), headers: self.headers.clone() }
            .with("origin", origin)
    }
}
