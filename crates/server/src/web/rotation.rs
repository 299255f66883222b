//! Staged rotation for owners: which passwords are due and why, stage a new password drawn by the daemon, reveal it
//! to set it on the platform, then confirm (or cancel). The engine decides who may and what is due.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use coffre_vault::{DueDetail, DueKind, NewPassword, RevealParams, RotationRef, SecretField};
use serde::Deserialize;

use super::{
    Web, forms,
    pages::{Visit, revealed_page},
    render::{self, Frame, MessagePage, page, refusal},
};

struct Due {
    platform: String,
    reasons: Vec<(&'static str, String)>,
}

struct Staged {
    platform: String,
    id: String,
    staged_by: String,
    staged: String,
}

#[derive(Template)]
#[template(path = "rotation.html")]
struct RotationPage {
    frame: Frame,
    due: Vec<Due>,
    staged: Vec<Staged>,
}

pub(crate) async fn overview(State(web): State<Web>, visit: Visit) -> Response {
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let report = match web.vault.rotation_due(&visit.ctx) {
        Ok(report) => report,
        Err(err) => return refusal(frame, &err),
    };
    let due = report
        .due
        .into_iter()
        .map(|entry| Due {
            platform: entry.platform,
            reasons: entry
                .reasons
                .into_iter()
                .map(|reason| {
                    let kind = match reason.kind {
                        DueKind::Age => "age",
                        DueKind::Offboarded => "offboarded",
                        DueKind::Compromised => "compromised",
                    };
                    (kind, detail_text(frame.t.0, &reason.detail))
                })
                .collect(),
        })
        .collect();
    let staged = report
        .staged
        .into_iter()
        .map(|rotation| Staged {
            staged: frame.t.time(rotation.staged),
            platform: rotation.platform,
            id: rotation.id,
            staged_by: rotation.staged_by,
        })
        .collect();
    page(&RotationPage { frame, due, staged })
}

/// Why a password must change, in `lang`, from its code; its English text if the catalogue lacks the code (never the
/// case for the engine's own codes, which a test renders).
pub(crate) fn detail_text(lang: coffre_i18n::Lang, detail: &DueDetail) -> String {
    coffre_i18n::message(lang, &format!("rotation-detail-{}", detail.code()), &detail.arguments())
        .unwrap_or_else(|| detail.to_string())
}

#[derive(Deserialize)]
pub(crate) struct PlatformForm {
    #[serde(default)]
    csrf: String,
    platform: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    reason: String,
}

/// The caller's frame, or the response that ends the handler (CSRF refused, no session).
fn checked(web: &Web, visit: &Visit, csrf: &str) -> Result<Frame, Box<Response>> {
    if !visit.csrf_ok(web, csrf) {
        return Err(Box::new(visit.csrf_refused(web)));
    }
    visit.logged_in(web)
}

fn done(frame: Frame, id: &str, platform: &str) -> Response {
    let title = frame.t.m("web-rotation-title");
    let text = frame.t.m1(id, "platform", platform);
    page(&MessagePage { frame, title, text, back: "/rotation" })
}

/// Stages a new password the daemon draws (the default policy), so that it never travels from a browser.
pub(crate) async fn stage(State(web): State<Web>, visit: Visit, form: forms::Form<PlatformForm>) -> Response {
    let frame = match checked(&web, &visit, &form.csrf) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let password = NewPassword::Generate(coffre_crypto::generator::Policy::default());
    match web.vault.stage_rotation(&visit.ctx, &form.platform, password).await {
        Ok(staged) => done(frame, "web-rotation-staged", &staged.platform),
        Err(err) => refusal(frame, &err),
    }
}

pub(crate) async fn reveal_pending(State(web): State<Web>, visit: Visit, form: forms::Form<PlatformForm>) -> Response {
    let PlatformForm { csrf, platform, reason, .. } = form.0;
    let frame = match checked(&web, &visit, &csrf) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let params = RevealParams { platform: platform.clone(), field: SecretField::Password, reason, version: None };
    match web.vault.reveal_pending(&visit.ctx, params).await {
        Ok(revealed) => revealed_page(&web, frame, platform, "password", revealed),
        Err(err) => refusal(frame, &err),
    }
}

pub(crate) async fn confirm(State(web): State<Web>, visit: Visit, form: forms::Form<PlatformForm>) -> Response {
    let PlatformForm { csrf, platform, id, .. } = form.0;
    let frame = match checked(&web, &visit, &csrf) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let which = RotationRef { platform, id: Some(id).filter(|id| !id.is_empty()) };
    match web.vault.confirm_rotation(&visit.ctx, which).await {
        Ok(entry) => done(frame, "web-rotation-confirmed", &entry.platform),
        Err(err) => refusal(frame, &err),
    }
}

pub(crate) async fn cancel(State(web): State<Web>, visit: Visit, form: forms::Form<PlatformForm>) -> Response {
    let PlatformForm { csrf, platform, id, .. } = form.0;
    let frame = match checked(&web, &visit, &csrf) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    if platform.trim().is_empty() {
        return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-bad-choice");
    }
    let which = RotationRef { platform, id: Some(id).filter(|id| !id.is_empty()) };
    match web.vault.cancel_rotation(&visit.ctx, which).await {
        Ok(staged) => done(frame, "web-rotation-cancelled", &staged.platform),
        Err(err) => refusal(frame, &err),
    }
}
