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
