//! The owners' pages added last: one entry (change, archive, history), people's enrolment reset, recovery shares
//! and backups; each with the refusals of the other roles, of a form without its token and of a sealed vault.

use axum::http::{StatusCode, header};
use coffre_crypto::age_file;
use coffre_vault::{
    RequestContext,
    backup::BackupSchedule,
    recovery::{HolderKey, HolderSpec, ShareSetSpec},
};

use super::*;

fn session(browser: &Browser) -> RequestContext {
    RequestContext {
        token: browser.cookies.get("__Host-coffre-session").map(|t| coffre_vault::SessionToken::new(t.clone())),
        ..RequestContext::default()
    }
}

#[tokio::test]
async fn an_owner_changes_an_entry_archives_it_and_reads_its_history_a_member_cannot() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let list = alice.get("/").await;
    assert!(list.html.contains("action=\"/entries/edit\""), "an owner has the way to an entry's page");

    let page = alice.get("/entries/edit?platform=Mailgun").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("<td>1</td>") && page.html.contains("<td>Alice</td>"), "{}", page.html);
    assert!(!page.html.contains("mg-secret-1"), "the history holds no secret");
    let change = |csrf: String, password: &'static str| {
        vec![
            ("csrf", csrf),
            ("platform", "Mailgun".to_owned()),
            ("category", "financial".to_owned()),
            ("classification", "confidential".to_owned()),
            ("lifecycle", "active".to_owned()),
            ("url", "https://app.mailgun.com".to_owned()),
            ("login", "ops@example.org".to_owned()),
            ("password", password.to_owned()),
        ]
    };
    let fields = change(page.csrf(), "mg-secret-2");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = alice.post("/entries/edit", &refs).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.html);
    assert!(saved.html.contains("Mailgun is saved"), "{}", saved.html);
    let view = site.vault.get_entry(&session(&alice), "Mailgun").expect("the entry");
    assert_eq!((view.version, view.login.as_str()), (2, "ops@example.org"), "a new password is a new version");
    let page = alice.get("/entries/edit?platform=Mailgun").await;
    assert!(page.html.contains("<td>2</td>") && page.html.contains("<td>password</td>"), "{}", page.html);
    assert!(page.html.contains("value=\"financial\" selected"), "the form shows the current values");

    // A field out of its choices is refused before the engine.
    let mut fields = change(page.csrf(), "");
    fields[4].1 = "gone".to_owned();
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(alice.post("/entries/edit", &refs).await.status, StatusCode::BAD_REQUEST);

    // Archived: off the list, its history and the change of state kept.
    let archived = alice.post("/entries/archive", &[("csrf", &page.csrf()), ("platform", "Mailgun")]).await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.html);
    assert!(!alice.get("/").await.html.contains("<h3>Mailgun</h3>"), "an archived entry is off the list");
    let page = alice.get("/entries/edit?platform=Mailgun").await;
    assert!(page.html.contains("archived — ") && page.html.contains("— Alice</li>"), "{}", page.html);
    assert!(!page.html.contains("action=\"/entries/archive\""), "nothing left to archive");

    // A member: no way there, and the engine's refusal for each.
    site.entry(&mut alice, "Canva", "cv-secret").await;
    site.enrolled(&mut alice, "Bob", "member").await;
    let mut bob = site.logged_in("Bob", PASS).await;
    let csrf = bob.get("/").await.csrf();
    assert!(!bob.get("/").await.html.contains("/entries/edit"));
    assert_eq!(bob.get("/entries/edit?platform=Canva").await.status, StatusCode::FORBIDDEN);
    let fields = change(csrf.clone(), "");
    let mut refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    refs[1].1 = "Canva";
    let refused = bob.post("/entries/edit", &refs).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(refused.html.contains("only the president or the leader may change entries"), "{}", refused.html);
    let refused = bob.post("/entries/archive", &[("csrf", &csrf), ("platform", "Canva")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    // Without its token, or from elsewhere: refused before the engine, the entry unchanged.
    let refused = alice.post("/entries/archive", &[("csrf", "wrong"), ("platform", "Canva")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let csrf = alice.get("/").await.csrf();
    let elsewhere = alice.clone_with_origin("https://elsewhere.test");
    let mut elsewhere = elsewhere;
    let refused = elsewhere.post("/entries/archive", &[("csrf", &csrf), ("platform", "Canva")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(alice.get("/").await.html.contains("<h3>Canva</h3>"), "still there");
}

#[tokio::test]
async fn an_owner_resets_a_persons_enrolment_and_gets_a_new_handout_a_manager_cannot() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.enrolled(&mut alice, "Bob", "member").await;
    site.enrolled(&mut alice, "Meg", "access-manager").await;
    let mut bob = site.logged_in("Bob", PASS).await;
    let people = alice.get("/people").await;
    assert!(people.html.contains("action=\"/people/reset\""), "{}", people.html);

    let refused = alice.post("/people/reset", &[("csrf", "wrong"), ("name", "Bob")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut meg = site.logged_in("Meg", PASS).await;
    let csrf = meg.get("/people").await.csrf();
    let refused = meg.post("/people/reset", &[("csrf", &csrf), ("name", "Bob"), ("sure", "yes")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(refused.html.contains("reset their enrolment"), "{}", refused.html);
    assert_eq!(bob.get("/").await.status, StatusCode::OK, "Bob's session lives on");

    let handout = alice.post("/people/reset", &[("csrf", &people.csrf()), ("name", "Bob"), ("sure", "yes")]).await;
    assert_eq!(handout.status, StatusCode::OK, "{}", handout.html);
    let code = handout.between("<dd class=\"value\" id=\"code\">", "</dd>");
    assert!(!code.is_empty() && handout.html.contains("https://coffre.test/enrol"), "{}", handout.html);
    assert_eq!(bob.get("/").await.location(), "/login", "a reset ends the person's sessions");
    // The new code enrols.
    let mut again = site.browser();
    let form = again.get("/enrol").await;
    let factor = again.post("/enrol", &[("csrf", &form.csrf()), ("code", &code)]).await;
    assert_eq!(factor.status, StatusCode::OK, "{}", factor.html);
}

#[tokio::test]
async fn an_owner_sees_the_share_holders_and_backups_and_downloads_one_others_cannot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let schedule = BackupSchedule { dir: dir.path().join("backups"), interval: Duration::from_secs(3600), keep: 3 };
    let site = Site::with_settings(crate::config::WebSettings::default(), Some(schedule.clone())).await;
    let mut alice = site.logged_in("Alice", PASS).await;

    // No share set yet: the page says so, and a backup has nobody to be encrypted to.
    let page = alice.get("/recovery").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("no recovery shares"), "{}", page.html);
    assert!(page.html.contains("No backup written there yet"), "{}", page.html);
    let refused = alice.post("/backups", &[("csrf", &page.csrf())]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.html);

    let holders = ["Alice", "Leo", "Nadia"].map(|label| {
        let (_, recipient) = age_file::generate_identity("test");
        HolderSpec { label: label.into(), key: HolderKey::Age(recipient.to_string()) }
    });
    let spec = ShareSetSpec { threshold: 2, holders: holders.into() };
    site.vault.rekey(&session(&alice), spec).await.expect("shares issued");
    assert!(matches!(schedule.step(&site.vault).await, Ok(coffre_vault::backup::StepOutcome::Written { .. })));

    let page = alice.get("/recovery").await;
    assert!(page.html.contains("2 shares open the vault") && page.html.contains("out of the 3 issued"));
    for label in ["Alice", "Leo", "Nadia"] {
        assert!(page.html.contains(&format!("<li>{label} — share encrypted to their age key")), "{}", page.html);
    }
    assert!(page.html.contains("Issued on "), "{}", page.html);
    assert!(page.html.contains("<span class=\"value\">coffre-"), "the scheduled backup is listed: {}", page.html);
    assert!(!page.html.contains("AGE-SECRET-KEY"), "no key");

    let download = alice.post("/backups", &[("csrf", &page.csrf())]).await;
    assert_eq!(download.status, StatusCode::OK, "{}", download.html);
    assert_eq!(download.headers[header::CONTENT_TYPE], "application/octet-stream");
    let disposition = download.headers[header::CONTENT_DISPOSITION].to_str().expect("ASCII");
    assert!(disposition.starts_with("attachment; filename=\"coffre-") && disposition.ends_with(".age\""));
    assert!(download.html.starts_with("age-encryption.org/v1"), "an age file");
    assert_secure(&download, "a backup download");

    // Without its token: refused. A member and an auditor: the engine's refusal, no list, no file.
    assert_eq!(alice.post("/backups", &[("csrf", "wrong")]).await.status, StatusCode::FORBIDDEN);
    site.enrolled(&mut alice, "Bob", "member").await;
    site.enrolled(&mut alice, "Carol", "auditor").await;
    for name in ["Bob", "Carol"] {
        let mut other = site.logged_in(name, PASS).await;
        let page = other.get("/recovery").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{name}: {}", page.html);
        assert!(!page.html.contains("Nadia") && !page.html.contains("coffre-"), "{}", page.html);
        let csrf = other.get("/passphrase").await.csrf();
        let refused = other.post("/backups", &[("csrf", &csrf)]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{name}: {}", refused.html);
        assert!(!refused.html.contains("age-encryption"), "{name}");
    }

    // Leo, a holder, leaves: the page says his share and its key count until a new set is issued.
    site.enrolled(&mut alice, "Leo", "member").await;
    let page = alice.get("/people").await;
    let done = alice.post("/people/offboard", &[("csrf", &page.csrf()), ("name", "Leo"), ("sure", "yes")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.html);
    assert!(done.html.contains("Leo also holds the recovery share &#34;Leo&#34;"), "{}", done.html);
    let done = alice.post("/people/offboard", &[("csrf", &page.csrf()), ("name", "Bob"), ("sure", "yes")]).await;
    assert!(!done.html.contains("recovery share"), "Bob holds none: {}", done.html);
}

#[tokio::test]
async fn the_owners_pages_say_the_vault_is_sealed() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let csrf = alice.get("/").await.csrf();
    site.vault.seal(&session(&alice)).await.expect("sealed");
    for path in ["/entries/edit?platform=Mailgun", "/recovery", "/people"] {
        let page = alice.get(path).await;
        assert!(page.html.contains("vault is sealed"), "{path}: {} {}", page.status, page.html);
    }
    for (path, fields) in [
        ("/entries/archive", vec![("csrf", csrf.as_str()), ("platform", "Mailgun")]),
        ("/people/reset", vec![("csrf", csrf.as_str()), ("name", "Alice"), ("sure", "yes")]),
        ("/backups", vec![("csrf", csrf.as_str())]),
    ] {
        let page = alice.post(path, &fields).await;
        assert!(page.html.contains("vault is sealed"), "{path}: {} {}", page.status, page.html);
    }
}

#[tokio::test]
async fn an_unknown_path_is_a_404_page_for_a_browser_and_unimplemented_for_grpc() {
    let site = Site::new().await;
    let mut browser = site.browser().with("accept-language", "fr-CA,fr;q=0.9");
    let page = browser.get("/nowhere/at-all").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(page.html.contains("<html lang=\"fr-CA\">") && page.html.contains("Page introuvable"), "{}", page.html);
    assert_secure(&page, "the 404 page");
    let page = site.browser().get("/nowhere").await;
    assert!(page.html.contains("Page not found"), "{}", page.html);

    let mut grpc = site.browser().with("content-type", "application/grpc");
    let answer = grpc.send(Method::POST, "/coffre.v1.Nothing/Call", Some(String::new())).await;
    assert_eq!(answer.status, StatusCode::OK, "gRPC carries its status in its own header");
    assert_eq!(answer.headers["grpc-status"], "12", "UNIMPLEMENTED");
    assert!(answer.html.is_empty());
}

/// The register of official accounts as a page: every entry with its state history, the organisation's name
/// escaped, no secret and no login; recovery contacts only for an owner who asks; refused to a member; in French for
/// a French reader; each viewing audited.
#[tokio::test]
async fn the_register_of_official_accounts_is_a_page_for_owners_and_auditors_with_no_secret() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    site.entry(&mut alice, "Old forum", "forum-secret-1").await;
    // Recovery contacts, one per line in the entry's form (blank lines and spaces left out).
    let form = alice.get("/entries/edit?platform=Mailgun").await;
    assert!(form.html.contains("name=\"recovery_contacts\""), "{}", form.html);
    let fields = [
        ("csrf", form.csrf()),
        ("platform", "Mailgun".to_owned()),
        ("category", "software".to_owned()),
        ("classification", "restricted".to_owned()),
        ("lifecycle", "active".to_owned()),
        ("recovery_contacts", " +1 555 0100 \r\n\r\nBureau, 12 rue Principale\n".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(alice.post("/entries/edit", &fields).await.status, StatusCode::OK);
    let view = site.vault.get_entry(&session(&alice), "Mailgun").expect("the entry");
    assert_eq!(view.recovery_contacts, ["+1 555 0100", "Bureau, 12 rue Principale"]);
    let form = alice.get("/entries/edit?platform=Mailgun").await;
    assert!(form.html.contains(">+1 555 0100\nBureau, 12 rue Principale</textarea>"), "shown as kept: {}", form.html);
    let list = alice.get("/").await;
    let archived = alice.post("/entries/archive", &[("csrf", &list.csrf()), ("platform", "Old forum")]).await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.html);

    let page = alice.get("/registry").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("href=\"/registry\""), "in the menu: {}", page.html);
    assert!(page.html.contains("<h1>Register of official accounts</h1>"), "{}", page.html);
    assert!(page.html.contains("Parti de l&#39;Île &#60;test&#62;."), "the name, escaped: {}", page.html);
    assert!(page.html.contains("Accounts: 2."), "{}", page.html);
    assert!(page.html.contains("<th scope=\"row\">Mailgun</th>") && page.html.contains("Old forum"), "{}", page.html);
    assert!(page.html.contains(", by Alice</td>"), "the archiving, dated and signed: {}", page.html);
    for never in ["mg-secret-1", "forum-secret-1", "comms@example.org", "+1 555 0100"] {
        assert!(!page.html.contains(never), "{never} is not in the register");
    }
    let with = alice.get("/registry?contacts=yes").await;
    assert_eq!(with.status, StatusCode::OK, "{}", with.html);
    assert!(with.html.contains("<td>+1 555 0100, Bureau, 12 rue Principale</td>"), "{}", with.html);
    assert!(!with.html.contains("mg-secret-1"));

    let audited = site.vault.list_audit(&session(&alice), coffre_vault::AuditFilter::default()).await.expect("log");
    let viewings = audited.events.iter().filter(|e| e.action.starts_with("registry.export")).count();
    assert_eq!(viewings, 2, "each viewing");

    site.enrolled(&mut alice, "Bob", "member").await;
    let mut bob = site.logged_in("Bob", PASS).await;
    assert!(!bob.get("/").await.html.contains("href=\"/registry\""), "not in a member's menu");
    let refused = bob.get("/registry").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(!refused.html.contains("Mailgun"), "{}", refused.html);

    let mut french = site.logged_in("Alice", PASS).await;
    let csrf = french.get("/").await.csrf();
    french.post("/language", &[("csrf", &csrf), ("lang", "fr-CA")]).await;
    let page = french.get("/registry").await;
    assert!(page.html.contains("<h1>Registre des comptes officiels</h1>"), "{}", page.html);
    assert!(page.html.contains("Comptes\u{a0}: 2.") && page.html.contains(", par Alice</td>"), "{}", page.html);
    assert!(page.html.contains("<td>Logiciels et hébergement</td>"), "the category in French: {}", page.html);
}

/// Turning on a platform's second factor after the entry exists: its secret goes in the entry's form (a new
/// version, as a new password makes); a secret that is not base32 is refused with the engine's words; an empty
/// field keeps it.
#[tokio::test]
async fn an_owner_adds_the_platforms_2fa_secret_to_an_existing_entry() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    let form = alice.get("/entries/new").await;
    let fields = [
        ("csrf", form.csrf()),
        ("platform", "Mailgun".to_owned()),
        ("category", "software".to_owned()),
        ("classification", "restricted".to_owned()),
        ("password", "mg-secret-1".to_owned()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(alice.post("/entries/new", &refs).await.status, StatusCode::OK);
    assert!(!alice.get("/").await.html.contains("value=\"totp\""), "no code to reveal yet");
    let save = |csrf: String, totp: &str| {
        [
            ("csrf", csrf),
            ("platform", "Mailgun".to_owned()),
            ("category", "software".to_owned()),
            ("classification", "restricted".to_owned()),
            ("lifecycle", "active".to_owned()),
            ("totp", totp.to_owned()),
        ]
    };
    let form = alice.get("/entries/edit?platform=Mailgun").await;
    assert!(form.html.contains("name=\"totp\""), "{}", form.html);
    let fields = save(form.csrf(), "not base32!");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = alice.post("/entries/edit", &refs).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.html);
    assert!(!site.vault.get_entry(&session(&alice), "Mailgun").expect("entry").has_totp);

    let fields = save(form.csrf(), " JBSWY3DPEHPK3PXP ");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(alice.post("/entries/edit", &refs).await.status, StatusCode::OK);
    let view = site.vault.get_entry(&session(&alice), "Mailgun").expect("entry");
    assert_eq!((view.has_totp, view.version), (true, 2), "a new version with the second factor");
    let list = alice.get("/").await;
    assert!(list.html.contains("value=\"totp\""), "its code can be revealed now: {}", list.html);
    assert!(!list.html.contains("JBSWY3DPEHPK3PXP") && !form.html.contains("JBSWY3DPEHPK3PXP"));

    let fields = save(form.csrf(), "");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(alice.post("/entries/edit", &refs).await.status, StatusCode::OK);
    let view = site.vault.get_entry(&session(&alice), "Mailgun").expect("entry");
    assert_eq!((view.has_totp, view.version), (true, 2), "an empty field keeps it, and no new version");
}

/// Notes are secret: the entry's form never shows them, new ones replace them (a new version), an empty field keeps
/// them, and the box removes them.
#[tokio::test]
async fn an_owner_replaces_or_removes_an_entrys_notes_without_the_page_showing_them() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let save = |csrf: String, notes: &str, remove: &str| {
        [
            ("csrf", csrf),
            ("platform", "Mailgun".to_owned()),
            ("category", "software".to_owned()),
            ("classification", "restricted".to_owned()),
            ("lifecycle", "active".to_owned()),
            ("notes", notes.to_owned()),
            ("remove_notes", remove.to_owned()),
        ]
    };
    let versions = |site: &Site, alice: &Browser| {
        let view = site.vault.get_entry(&session(alice), "Mailgun").expect("entry");
        (view.has_notes, view.version)
    };
    let form = alice.get("/entries/edit?platform=Mailgun").await;
    assert!(!form.html.contains("name=\"remove_notes\""), "no notes, nothing to remove");
    for (notes, remove, expected) in [
        ("backup codes: 1234 5678", "", (true, 2)),
        ("", "", (true, 2)),
        ("backup codes: 9999 0000", "", (true, 3)),
        ("", "yes", (false, 4)),
    ] {
        let fields = save(form.csrf(), notes, remove);
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(alice.post("/entries/edit", &refs).await.status, StatusCode::OK);
        assert_eq!(versions(&site, &alice), expected, "notes {notes:?}, remove {remove:?}");
        let page = alice.get("/entries/edit?platform=Mailgun").await;
        assert!(!page.html.contains("backup codes"), "the page never shows the notes");
        assert_eq!(page.html.contains("name=\"remove_notes\""), expected.0);
        // Reading them is a reveal, with a reason, from the entries list.
        let list = alice.get("/").await;
        assert_eq!(list.html.contains("value=\"notes\""), expected.0, "{}", list.html);
        if expected.0 {
            let reveal = [
                ("csrf", list.csrf()),
                ("platform", "Mailgun".into()),
                ("field", "notes".into()),
                ("reason", "login".into()),
            ];
            let refs: Vec<(&str, &str)> = reveal.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let shown = alice.post("/reveal", &refs).await;
            assert_eq!(shown.status, StatusCode::OK, "{}", shown.html);
            let written = if notes.is_empty() { "backup codes: 1234 5678" } else { notes };
            assert!(shown.html.contains(&format!(">{written}</output>")), "{}", shown.html);
        }
    }
}

/// A clumsy or hostile form on this round's fields: too many recovery contacts, notes or a report past their bounds,
/// a body past the web client's limit. Each is refused with the engine's words (or the limit's status), and the
/// entry is left as it was.
#[tokio::test]
async fn oversized_contacts_notes_and_reports_are_refused_and_change_nothing() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await;
    site.entry(&mut alice, "Mailgun", "mg-secret-1").await;
    let before = site.vault.get_entry(&session(&alice), "Mailgun").expect("entry");
    let form = alice.get("/entries/edit?platform=Mailgun").await;
    let edit = |field: &'static str, value: String| {
        [
            ("csrf", form.csrf()),
            ("platform", "Mailgun".to_owned()),
            ("category", "software".to_owned()),
            ("classification", "restricted".to_owned()),
            ("lifecycle", "active".to_owned()),
            (field, value),
        ]
    };
    let contacts: Vec<String> = (0..17).map(|n| format!("+1 555 01{n:02}")).collect();
    for (what, fields, said) in [
        ("17 contacts", edit("recovery_contacts", contacts.join("\n")), "at most 16"),
        ("a contact of 600 characters", edit("recovery_contacts", "x".repeat(600)), "at most 512"),
        ("notes of 17 KiB", edit("notes", "n".repeat(17 * 1024)), "notes"),
    ] {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = alice.post("/entries/edit", &refs).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{what}: {}", refused.html);
        assert!(refused.html.contains(said), "{what}: {}", refused.html);
    }
    let csrf = alice.get("/").await.csrf();
    let long = "r".repeat(1000);
    let report = [("csrf", csrf.as_str()), ("platform", "Mailgun"), ("reason", long.as_str())];
    let refused = alice.post("/entries/flag", &report).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.html);
    let huge = "h".repeat(super::super::MAX_FORM_BYTES + 1);
    let report = [("csrf", csrf.as_str()), ("platform", "Mailgun"), ("reason", huge.as_str())];
    assert_eq!(alice.post("/entries/flag", &report).await.status, StatusCode::PAYLOAD_TOO_LARGE);

    let after = site.vault.get_entry(&session(&alice), "Mailgun").expect("entry");
    assert_eq!(
        (after.version, &after.recovery_contacts, after.has_notes),
        (before.version, &before.recovery_contacts, before.has_notes)
    );
    let due = site.vault.rotation_due(&session(&alice)).expect("report");
    assert!(due.due.is_empty(), "no report was recorded: {due:?}");
}

/// The scheduled backups' interval reads in the page's language: the default, a day, was humantime's English
/// "1day" on the French page ("toutes les 1day").
#[tokio::test]
async fn the_backup_interval_reads_in_the_readers_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let schedule = BackupSchedule {
        dir: dir.path().join("backups"),
        interval: crate::config::DEFAULT_BACKUP_INTERVAL + Duration::from_secs(30 * 60),
        keep: 3,
    };
    let site = Site::with_settings(crate::config::WebSettings::default(), Some(schedule)).await;
    let mut alice = site.logged_in("Alice", PASS).await.with("accept-language", "fr-CA");
    let page = alice.get("/recovery").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("toutes les 24 h 30 min"), "{}", page.html);
    assert!(!page.html.contains("1day"), "{}", page.html);
    let mut alice = alice.with("accept-language", "en");
    assert!(alice.get("/recovery").await.html.contains("every 24 h 30 min"));
}

/// A form's address typed or bookmarked as a page (`/logout`, `/seal`, `/reveal`): a page in the reader's language
/// saying there is none, with the security headers, not an empty 405 answer that leaves a blank window.
#[tokio::test]
async fn a_forms_address_opened_as_a_page_is_a_page_in_the_readers_language() {
    let site = Site::new().await;
    let mut alice = site.logged_in("Alice", PASS).await.with("accept-language", "fr-CA");
    for path in ["/logout", "/seal", "/reveal", "/enrol/finish"] {
        let page = alice.get(path).await;
        assert_eq!(page.status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_eq!(page.headers[header::CONTENT_TYPE], "text/html; charset=utf-8", "{path}");
        assert!(page.html.contains("<html lang=\"fr-CA\">") && page.html.contains("Page introuvable"), "{path}");
        assert_secure(&page, path);
    }
    assert!(alice.cookies.contains_key("__Host-coffre-session"), "nothing was done: still logged in");
}

/// Someone whose first visit is a wrong address (a mistyped link) can still choose their language on the page
/// saying there is none: its form's token is bound to a visitor cookie the page sets, as the log-in page does.
#[tokio::test]
async fn the_language_can_be_chosen_on_the_page_of_an_unknown_address() {
    let site = Site::new().await;
    let mut browser = site.browser().with("accept-language", "fr-CA");
    let page = browser.get("/nowhere").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let chosen = browser.post("/language", &[("csrf", &page.csrf()), ("lang", "en")]).await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.html);
    assert!(browser.get("/nowhere").await.html.contains("Page not found"));
}
