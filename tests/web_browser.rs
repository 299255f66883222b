//! The web client in a real browser: Debian's chromium, driven through chromedriver (WebDriver) by fantoccini,
//! against a real coffred over TLS. The browser trusts the daemon's own CA by its public key only
//! (`--ignore-certificate-errors-spki-list` with the SHA-256 of the CA's SubjectPublicKeyInfo): TLS stays on and any
//! other certificate is still refused.
//!
//! The president's first day (log in, add an entry, add a member, grant), then the member's (enrol with the one-time
//! code, log in, reveal with a reason: the secret is shown, then taken out of the page after the daemon's
//! `[web] reveal_visible_seconds`, set to 10 s here and polled for, not slept for). A rotation, an approval round trip and an auditor's
//! export (downloaded, then verified offline). axe-core checks the main pages for serious accessibility violations. Screenshots of the main pages in both languages are
//! written to `$CARGO_TARGET_TMPDIR/web-screenshots`. The reveal's round trip through the browser is printed, not
//! asserted.
//!
//! Without chromium and chromedriver the test says so and passes, unless COFFRE_REQUIRE_BROWSER is set (CI sets it,
//! so it can never be skipped there silently).

// A test: a failed step should stop it where it failed.
#![allow(clippy::unwrap_used)]

use std::{
    io::{BufRead as _, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use coffre_e2e::{Daemon, initialised, initialised_configured};
use fantoccini::{Client, ClientBuilder, Locator};
use sha2::{Digest as _, Sha256};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const SECRET: &str = "mg-browser-Secret-42";
const MEMBER_PASS: &str = "a member's own long passphrase";

/// chromedriver, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    /// Starts chromedriver on a free port and waits for its "started successfully" line.
    fn start() -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        loop {
            match lines.next() {
                Some(Ok(line)) if line.contains("started successfully") => break,
                Some(Ok(_)) => continue,
                _ => panic!("chromedriver exited before it was ready"),
            }
        }
        // Keep reading its output, so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Driver { child, url: format!("http://127.0.0.1:{port}") }
    }
}

/// The base64 SHA-256 of the SubjectPublicKeyInfo of the first certificate in `pem`, as chromium's
/// `--ignore-certificate-errors-spki-list` wants it. (A minimal DER walk: the tree has no X.509 parser, and the
/// path to the SPKI is fixed by RFC 5280: Certificate > TBSCertificate > [version], serial, signature, issuer,
/// validity, subject, SPKI.)
fn spki_hash(pem: &str) -> String {
    let body: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    let der = data_encoding::BASE64.decode(body.as_bytes()).expect("PEM body");
    // One TLV at `at`: (start of its contents, end of the whole TLV).
    let tlv = |at: usize| -> (usize, usize) {
        let first = der[at + 1] as usize;
        let (len, header) = if first < 0x80 {
            (first, 2)
        } else {
            let n = first & 0x7f;
            (der[at + 2..at + 2 + n].iter().fold(0usize, |acc, b| (acc << 8) | *b as usize), 2 + n)
        };
        (at + header, at + header + len)
    };
    let (tbs_body, _) = tlv(tlv(0).0);
    let mut at = tbs_body;
    if der[at] == 0xa0 {
        at = tlv(at).1; // [0] version
    }
    for _ in 0..5 {
        at = tlv(at).1; // serial, signature, issuer, validity, subject
    }
    let (_, spki_end) = tlv(at);
    data_encoding::BASE64.encode(&Sha256::digest(&der[at..spki_end]))
}

async fn browser(driver: &Driver, daemon: &Daemon, profile: &Path) -> Client {
    browser_downloading(driver, daemon, profile, &profile.join("downloads")).await
}

/// A chromium session that saves downloads in `downloads` without asking.
async fn browser_downloading(driver: &Driver, daemon: &Daemon, profile: &Path, downloads: &Path) -> Client {
    let pem = std::fs::read_to_string(&daemon.ca).unwrap();
    let mut args = vec![
        "--headless=new".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--disable-gpu".to_owned(),
        "--no-first-run".to_owned(),
        "--lang=en-US".to_owned(),
        format!("--user-data-dir={}", profile.display()),
        format!("--ignore-certificate-errors-spki-list={}", spki_hash(&pem)),
        "--window-size=1024,900".to_owned(),
    ];
    // Chromium's own sandbox cannot start as root (CI containers); it protects the machine from web pages, not TLS.
    if rustix::process::geteuid().is_root() {
        args.push("--no-sandbox".to_owned());
    }
    let capabilities = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": args,
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false
            }
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else { unreachable!() };
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a chromium session")
}

struct Shots {
    dir: PathBuf,
}

impl Shots {
    /// Screenshots go to `$CARGO_TARGET_TMPDIR/web-screenshots` (under the target directory), kept after the run.
    fn new() -> Shots {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("web-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        Shots { dir }
    }

    async fn take(&self, browser: &Client, name: &str) {
        let png = browser.screenshot().await.expect("a screenshot");
        std::fs::write(self.dir.join(format!("{name}.png")), png).unwrap();
    }
}

async fn fill(browser: &Client, css: &str, text: &str) {
    let field = browser.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    field.send_keys(text).await.unwrap();
}

async fn click(browser: &Client, css: &str) {
    browser.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

/// Waits until the page's heading is `expected` (a click that sends a form returns before the next page is
/// there), for at most 30 s; then fails with the heading it saw.
async fn expect_heading(browser: &Client, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = String::new();
    while Instant::now() < deadline {
        if let Ok(h1) = browser.find(Locator::Css("h1")).await
            && let Ok(text) = h1.text().await
        {
            if text == expected {
                return;
            }
            seen = text;
        }
        tokio::time::sleep(Duration::from_millis(20)).await; // a polling interval, not a wait for time to pass
    }
    let message = page_message(browser).await;
    panic!("expected the page {expected:?}, still on {seen:?}: {message}");
}

/// Waits until the page's heading is `heading` and the page says `said`: a form sent from a page comes back to a page
/// of the same heading, so the heading alone does not tell the new page from the old one.
async fn expect_page_saying(browser: &Client, heading: &str, said: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        expect_heading(browser, heading).await;
        if browser.source().await.is_ok_and(|page| page.contains(said)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await; // a polling interval, not a wait for time to pass
    }
    let message = page_message(browser).await;
    panic!("expected the page {heading:?} to say {said:?}; it says: {message}");
}

/// The page's message or error line, if it has one.
async fn page_message(browser: &Client) -> String {
    match browser.find(Locator::Css("p.message, p.error")).await {
        Ok(message) => message.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn find(browser: &Client, css: &str) -> fantoccini::elements::Element {
    browser
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
}

/// The day (YYYY-MM-DD, UTC) `days` after the Unix time `now_ms` (the proleptic Gregorian calendar, as in
/// Howard Hinnant's `civil_from_days`).
fn date_in_days(now_ms: i64, days: i64) -> String {
    let z = now_ms.div_euclid(86_400_000) + days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[test]
fn days_are_counted_as_calendars_do() {
    assert_eq!(date_in_days(0, 0), "1970-01-01");
    assert_eq!(date_in_days(0, 59), "1970-03-01");
    assert_eq!(date_in_days(1_800_000_000_000, 0), "2027-01-15");
    assert_eq!(date_in_days(1_800_000_000_000, 45), "2027-03-01");
    assert_eq!(date_in_days(951_782_400_000, 0), "2000-02-29");
}

/// axe-core (vendored, MPL-2.0: tests/fixtures/axe) run in the page: fails on any violation axe rates serious or
/// critical, naming the rule and how many elements break it.
async fn accessible(browser: &Client, page: &str) {
    browser.execute(include_str!("fixtures/axe/axe.min.js"), vec![]).await.unwrap();
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ' elements: '
                   + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ') + ')')))
               .catch(e => done(['axe could not run: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    let serious: Vec<String> = serde_json::from_value(found).unwrap();
    assert!(serious.is_empty(), "{page}: serious accessibility violations: {serious:#?}");
}

async fn language(browser: &Client, tag: &str) {
    click(browser, &format!("form[action='/language'] button[value='{tag}']")).await;
}

/// Whether the browser is there; when it is not, says so (and fails if CI requires it).
fn browser_installed() -> bool {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return true;
    }
    assert!(
        std::env::var_os("COFFRE_REQUIRE_BROWSER").is_none(),
        "COFFRE_REQUIRE_BROWSER is set but {CHROMIUM} or {CHROMEDRIVER} is missing: apt-get install chromium \
         chromium-driver"
    );
    println!(
        "SKIPPED: the browser test needs Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER}); \
         install them, or set COFFRE_REQUIRE_BROWSER=1 to make their absence a failure"
    );
    false
}

/// Logs `name` in through the log-in page, with the next code of their app as `app` holds it.
async fn log_in(browser: &Client, base: &str, app: &coffre_e2e::Client, daemon: &Daemon, name: &str, pass: &str) {
    browser.goto(&format!("{base}/login")).await.unwrap();
    expect_heading(browser, "Log in").await;
    fill(browser, "#name", name).await;
    fill(browser, "#passphrase", pass).await;
    fill(browser, "#code", &app.next_totp(daemon, name)).await;
    click(browser, "form[action='/login'] button").await;
}

async fn log_out(browser: &Client) {
    click(browser, "form[action='/logout'] button").await;
    expect_heading(browser, "Log in").await;
}

/// A person added by the president's `client` with `role`, enrolled from a client of their own (returned).
fn enrolled(daemon: &Daemon, client: &coffre_e2e::Client, name: &str, role: &str) -> (coffre_e2e::Client, String) {
    let added = client.run(&["person", "add", name, "--role", role, "--json"]).ok().json();
    let code = added["enrolment_code"].as_str().unwrap().to_string();
    let own = coffre_e2e::Client::new(daemon);
    let pass = own.secret_file("own.pass", MEMBER_PASS);
    own.enroll(daemon, &code, &pass).ok();
    (own, pass)
}

/// The president stages, reveals and confirms a rotation; a member asks for an approval to reveal a very
/// confidential entry, the president approves it, the member reveals it once; an auditor downloads the export and
/// it verifies offline. All through chromium.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotation_an_approval_and_an_auditors_export_in_chromium() {
    if !browser_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (daemon, client, president_pass) = initialised(dir.path());
    let president_pass = std::fs::read_to_string(&president_pass).unwrap().trim_end().to_string();
    let first = client.secret_file("mg.pass", SECRET);
    client
        .run(&["entry", "add", "Mailgun", "--category", "software", "--login", "ops", "--password-file", &first])
        .ok();
    let bank = client.secret_file("bank.pass", "Bank-s3cret-vault");
    let add = ["entry", "add", "Banque", "--category", "financial", "--login", "tresorerie", "--password-file", &bank];
    client.run(&[&add[..], &["--classification", "very-confidential"]].concat()).ok();
    let (dana, _) = enrolled(&daemon, &client, "Dana", "member");
    client.run(&["grant", "add", "Dana", "--entry", "Banque", "--for", "14d", "--task", "quarterly statement"]).ok();
    let (eve, _) = enrolled(&daemon, &client, "Eve", "auditor");
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let shots = Shots::new();
    let driver = Driver::start();
    let browser = browser_downloading(&driver, &daemon, &dir.path().join("profile"), &downloads).await;
    let base = daemon.url.trim_end_matches('/').to_owned();

    // A rotation: stage (the daemon draws the password), reveal the staged one, confirm.
    log_in(&browser, &base, &client, &daemon, "Alice", &president_pass).await;
    expect_heading(&browser, "Entries").await;
    browser.goto(&format!("{base}/rotation")).await.unwrap();
    expect_heading(&browser, "Password rotation").await;
    accessible(&browser, "rotation").await;
    fill(&browser, "form.stack[action='/rotation/stage'] #platform", "Mailgun").await;
    click(&browser, "form.stack[action='/rotation/stage'] button").await;
    expect_page_saying(&browser, "Password rotation", "is staged").await;
    browser.goto(&format!("{base}/rotation")).await.unwrap();
    fill(&browser, "form[action='/rotation/pending'] input[name='reason']", "set it on Mailgun").await;
    click(&browser, "form[action='/rotation/pending'] button").await;
    expect_heading(&browser, "Mailgun").await;
    let staged = find(&browser, "#secret").await.text().await.unwrap();
    assert!(!staged.is_empty() && staged != SECRET, "a new password was drawn");
    browser.goto(&format!("{base}/rotation")).await.unwrap();
    click(&browser, "form[action='/rotation/confirm'] button").await;
    expect_page_saying(&browser, "Password rotation", "now uses its new password").await;
    let now = client.run(&["reveal", "Mailgun", "--reason", "check the rotation"]).ok();
    assert_eq!(now.stdout.trim_end(), staged, "the confirmed password is the current one");
    log_out(&browser).await;

    // An approval round trip for a very confidential entry.
    log_in(&browser, &base, &dana, &daemon, "Dana", MEMBER_PASS).await;
    expect_heading(&browser, "Entries").await;
    browser.goto(&format!("{base}/approvals")).await.unwrap();
    expect_heading(&browser, "Approvals").await;
    accessible(&browser, "approvals").await;
    fill(&browser, "form[action='/approvals'] #platform", "Banque").await;
    fill(&browser, "form[action='/approvals'] #reason", "quarterly statement").await;
    click(&browser, "form[action='/approvals'] button").await;
    expect_heading(&browser, "Approval asked").await;
    log_out(&browser).await;
    log_in(&browser, &base, &client, &daemon, "Alice", &president_pass).await;
    expect_heading(&browser, "Entries").await;
    browser.goto(&format!("{base}/approvals")).await.unwrap();
    click(&browser, "form[action='/approvals/decide'] button[value='approve']").await;
    expect_heading(&browser, "Decided").await;
    log_out(&browser).await;
    log_in(&browser, &base, &dana, &daemon, "Dana", MEMBER_PASS).await;
    expect_heading(&browser, "Entries").await;
    let reason = Locator::XPath("//li[h3='Banque']//input[@name='reason']");
    browser.find(reason).await.unwrap().send_keys("quarterly statement").await.unwrap();
    browser.find(Locator::XPath("//li[h3='Banque']//button[@value='password']")).await.unwrap().click().await.unwrap();
    assert_eq!(find(&browser, "#secret").await.text().await.unwrap(), "Bank-s3cret-vault");
    // This daemon shows a secret for the default 30 s: time enough to check the page and keep its picture.
    accessible(&browser, "revealed").await;
    shots.take(&browser, "revealed-en").await;
    log_out(&browser).await;

    // The auditor's home page is the audit log; the export downloads and verifies offline with the public key.
    log_in(&browser, &base, &eve, &daemon, "Eve", MEMBER_PASS).await;
    expect_heading(&browser, "Audit log").await;
    accessible(&browser, "audit log").await;
    click(&browser, "form[action='/audit/export'] button").await;
    let file = downloads.join("coffre-audit-export.jsonl");
    // Chromium reserves the final name with an empty file as soon as a download starts, writes into a
    // `.crdownload` file beside it, and renames that over it once done; closing the browser before then deletes
    // both. The empty file can be there before the `.crdownload` is (seen once in CI: the browser closed, and the
    // download with it). So the download is done when the file is there and not empty (an export holds at least
    // this log in), and no `.crdownload` is left.
    let in_progress = || {
        std::fs::read_dir(&downloads)
            .map(|items| items.flatten().any(|item| item.path().extension().is_some_and(|ext| ext == "crdownload")))
            .unwrap_or(true)
    };
    let downloaded = || std::fs::metadata(&file).is_ok_and(|meta| meta.len() > 0) && !in_progress();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !downloaded() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await; // polling for the download, not waiting for time
    }
    assert!(downloaded(), "the export was downloaded into {}", downloads.display());
    browser.close().await.unwrap();
    let key = client.run(&["status", "--json"]).ok().json()["audit_public_key"].as_str().unwrap().to_string();
    let verified =
        client.run_unconfigured(&["audit", "verify", file.to_str().unwrap(), "--key", &key, "--json"]).ok().json();
    assert_eq!(verified["valid"], true, "{verified}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("quarterly statement") && text.contains("set it on Mailgun"), "the reveals are in it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_presidents_first_day_and_the_members_in_chromium() {
    if !browser_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A revealed secret stays on its page for 10 s here (30 by default), so the member sees it hidden again.
    let (daemon, client, _) = initialised_configured(dir.path(), "[web]\nreveal_visible_seconds = 10\n");
    let shots = Shots::new();
    let driver = Driver::start();
    let browser = browser(&driver, &daemon, &dir.path().join("profile")).await;
    let base = daemon.url.trim_end_matches('/').to_owned();

    // The president logs in.
    browser.goto(&format!("{base}/login")).await.unwrap();
    expect_heading(&browser, "Log in").await;
    accessible(&browser, "log in").await;
    shots.take(&browser, "login-en").await;
    language(&browser, "fr-CA").await;
    expect_heading(&browser, "Connexion").await;
    shots.take(&browser, "login-fr").await;
    language(&browser, "en").await;
    expect_heading(&browser, "Log in").await;
    fill(&browser, "#name", "Alice").await;
    fill(&browser, "#passphrase", "correct horse battery staple").await;
    fill(&browser, "#code", &client.next_totp(&daemon, "Alice")).await;
    click(&browser, "form[action='/login'] button").await;
    expect_heading(&browser, "Entries").await;

    // Adds an entry.
    click(&browser, "a[href='/entries/new']").await;
    expect_heading(&browser, "Add an entry").await;
    fill(&browser, "#platform", "Mailgun").await;
    browser.find(Locator::Css("#category")).await.unwrap().select_by_value("software").await.unwrap();
    fill(&browser, "#url", "https://app.mailgun.com").await;
    fill(&browser, "#login", "comms@example.org").await;
    fill(&browser, "#password", SECRET).await;
    fill(&browser, "#totp", "JBSWY3DPEHPK3PXP").await;
    click(&browser, "form[action='/entries/new'] button").await;
    expect_heading(&browser, "Entry added").await;
    browser.goto(&format!("{base}/")).await.unwrap();
    assert!(browser.source().await.unwrap().contains("<h3>Mailgun</h3>"));
    accessible(&browser, "entries").await;
    shots.take(&browser, "entries-en").await;

    // The owners' pages of one entry (its history) and of recovery and backups, in both languages.
    click(&browser, "form[action='/entries/edit'] button").await;
    expect_heading(&browser, "Mailgun").await;
    accessible(&browser, "entry and its history").await;
    shots.take(&browser, "entry-en").await;
    browser.goto(&format!("{base}/recovery")).await.unwrap();
    expect_heading(&browser, "Recovery and backups").await;
    accessible(&browser, "recovery and backups").await;
    shots.take(&browser, "recovery-en").await;
    language(&browser, "fr-CA").await;
    expect_heading(&browser, "Entrées").await;
    browser.goto(&format!("{base}/recovery")).await.unwrap();
    expect_heading(&browser, "Récupération et sauvegardes").await;
    shots.take(&browser, "recovery-fr").await;
    browser.goto(&format!("{base}/entries/edit?platform=Mailgun")).await.unwrap();
    expect_heading(&browser, "Mailgun").await;
    shots.take(&browser, "entry-fr").await;
    language(&browser, "en").await;
    expect_heading(&browser, "Entries").await;

    // Adds a member, and prints the handout.
    click(&browser, "a[href='/people/new']").await;
    expect_heading(&browser, "Add a person").await;
    fill(&browser, "#name", "Dana").await;
    browser.find(Locator::Css("#role")).await.unwrap().select_by_value("member").await.unwrap();
    click(&browser, "form[action='/people/new'] button").await;
    let code = find(&browser, "#code").await.text().await.unwrap();
    assert!(!code.is_empty());
    accessible(&browser, "handout").await;
    shots.take(&browser, "handout-en").await;

    // Grants Mailgun to Dana until a day, for a task.
    click(&browser, "a[href='/grants']").await;
    expect_heading(&browser, "Access").await;
    fill(&browser, "#person", "Dana").await;
    fill(&browser, "#platform", "Mailgun").await;
    let until = browser.find(Locator::Css("#until")).await.unwrap();
    let until = serde_json::to_value(&until).unwrap();
    // A date input's typing order depends on the browser's locale: set its value as the date picker would.
    let last_day = date_in_days(daemon.clock.now_ms(), 30);
    browser.execute(&format!("arguments[0].value = '{last_day}';"), vec![until]).await.unwrap();
    fill(&browser, "#task", "newsletter").await;
    click(&browser, "form[action='/grants'] button").await;
    expect_heading(&browser, "Access given").await;
    browser.goto(&format!("{base}/grants")).await.unwrap();
    assert!(browser.source().await.unwrap().contains("newsletter"));
    log_out(&browser).await;

    // The member enrols with the one-time code: the QR code, then their own passphrase and first code.
    click(&browser, "a[href='/enrol']").await;
    expect_heading(&browser, "Enrol").await;
    fill(&browser, "#code", &code).await;
    click(&browser, "form[action='/enrol'] button").await;
    expect_heading(&browser, "Welcome, Dana").await;
    let qr = find(&browser, "img.qr").await;
    assert!(qr.attr("src").await.unwrap().unwrap_or_default().starts_with("data:image/svg+xml;base64,"));
    accessible(&browser, "enrolment").await;
    shots.take(&browser, "enrol-en").await;
    let uri = browser.find(Locator::Css("details p.value")).await.unwrap().prop("textContent").await.unwrap();
    client.remember_totp("Dana", &uri.expect("the otpauth URI"));
    fill(&browser, "#passphrase", MEMBER_PASS).await;
    fill(&browser, "#repeat", MEMBER_PASS).await;
    fill(&browser, "#totp", &client.next_totp(&daemon, "Dana")).await;
    click(&browser, "form[action='/enrol/finish'] button").await;
    expect_heading(&browser, "Enrolled").await;

    // Logs in, sees the granted entry, reveals it with a reason.
    log_in(&browser, &base, &client, &daemon, "Dana", MEMBER_PASS).await;
    expect_heading(&browser, "Entries").await;
    assert!(browser.source().await.unwrap().contains("newsletter"), "the member's grant is listed");
    fill(&browser, "form.reveal input[name='reason']", "monthly newsletter").await;
    let started = Instant::now();
    click(&browser, "form.reveal button[value='password']").await;
    let shown = find(&browser, "#secret").await;
    let text = shown.text().await.unwrap();
    let round_trip = started.elapsed();
    assert_eq!(text, SECRET);
    println!("reveal round trip through chromium (click to secret shown): {round_trip:?}");

    // ... and sees it hidden again: after `[web] reveal_visible_seconds` the page's script takes the secret out of
    // the document (not only out of sight). Polled for, with a generous bound, rather than slept for.
    let note = browser
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(".secret .hidden-note:not([hidden])"))
        .await
        .expect("the secret is hidden again after its time");
    assert!(note.is_displayed().await.unwrap());
    assert!(browser.find(Locator::Css("#secret")).await.is_err(), "the secret's element is gone from the page");
    assert!(browser.find(Locator::Css(".secret button.copy")).await.is_err(), "and its copy button");
    assert!(!browser.source().await.unwrap().contains(SECRET), "the secret is nowhere in the document");
    shots.take(&browser, "hidden-en").await;
    // The script told the daemon the browser's time zone: times keep their offset.
    let zone = browser.execute("return Intl.DateTimeFormat().resolvedOptions().timeZone;", vec![]).await.unwrap();
    let cookie = browser.get_named_cookie("__Host-coffre-tz").await.expect("the time zone cookie");
    assert_eq!(serde_json::Value::String(cookie.value().to_owned()), zone);

    // The same pages in French, and the entries at a phone's width.
    browser.goto(&format!("{base}/")).await.unwrap();
    expect_heading(&browser, "Entries").await;
    language(&browser, "fr-CA").await;
    expect_heading(&browser, "Entrées").await;
    accessible(&browser, "entries in French").await;
    shots.take(&browser, "entries-fr").await;
    browser.set_window_size(360, 800).await.unwrap();
    shots.take(&browser, "entries-fr-360px").await;
    browser.goto(&format!("{base}/enrol")).await.unwrap();
    shots.take(&browser, "enrol-fr").await;
    browser.close().await.unwrap();

    // The audit log has the reveal with its reason, by the member, through the web client.
    let log = client.run(&["audit", "list", "--json"]).ok().json();
    let text = log.to_string();
    assert!(text.contains("monthly newsletter"), "{text}");
    println!("screenshots in {}", shots.dir.display());
}
