//! The two-person rule in the browser: a member asks an owner's approval to reveal a very confidential entry once;
//! owners see the requests and approve or deny them; the member then reveals it from the entries page. Who may ask
//! and who may decide is the engine's to say.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use coffre_vault::ApprovalState;
use serde::Deserialize;

use super::{
    Web, forms,
    pages::Visit,
    render::{self, Frame, MessagePage, page, refusal},
};

struct Row {
    id: String,
    requester: String,
    platform: String,
    reason: String,
    created: String,
    state: &'static str,
    decided_by: String,
}

#[derive(Template)]
#[template(path = "approvals.html")]
struct ApprovalsPage {
    frame: Frame,
    rows: Vec<Row>,
}

pub(crate) async fn list(State(web): State<Web>, visit: Visit) -> Response {
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let listed = match web.vault.list_approvals(&visit.ctx, true) {
        Ok(listed) => listed,
        Err(err) => return refusal(frame, &err),
    };
    let rows = listed
        .into_iter()
        .map(|approval| Row {
            created: frame.t.time(approval.created),
            state: match approval.state {
                ApprovalState::Pending => "pending",
                ApprovalState::Approved => "approved",
                ApprovalState::Denied => "denied",
                ApprovalState::Used => "used",
                ApprovalState::Expired => "expired",
            },
            decided_by: approval.decided_by.unwrap_or_default(),
            id: approval.id,
            requester: approval.requester,
            platform: approval.platform,
            reason: approval.reason,
        })
        .collect();
    page(&ApprovalsPage { frame, rows })
}

#[derive(Deserialize)]
pub(crate) struct RequestForm {
    #[serde(default)]
    csrf: String,
    platform: String,
    #[serde(default)]
    reason: String,
}

pub(crate) async fn request(State(web): State<Web>, visit: Visit, form: forms::Form<RequestForm>) -> Response {
    let RequestForm { csrf, platform, reason } = form.0;
    if !visit.csrf_ok(&web, &csrf) {
        return visit.csrf_refused(&web);
    }
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    match web.vault.request_approval(&visit.ctx, &platform, &reason).await {
        Ok(approval) => {
            let title = frame.t.m("web-approval-asked-title");
            let text = frame.t.m1("web-approval-asked", "platform", &approval.platform);
            page(&MessagePage { frame, title, text, back: "/approvals" })
        }
        Err(err) => refusal(frame, &err),
    }
}

#[derive(Deserialize)]
pub(crate) struct DecideForm {
    #[serde(default)]
    csrf: String,
    id: String,
    /// `approve` or `deny`.
    decision: String,
    #[serde(default)]
    reason: String,
}

pub(crate) async fn decide(State(web): State<Web>, visit: Visit, form: forms::Form<DecideForm>) -> Response {
    let DecideForm { csrf, id, decision, reason } = form.0;
    if !visit.csrf_ok(&web, &csrf) {
        return visit.csrf_refused(&web);
    }
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let approve = match decision.as_str() {
        "approve" => true,
        "deny" => false,
        _ => return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-bad-choice"),
    };
    match web.vault.decide_approval(&visit.ctx, &id, approve, &reason).await {
        Ok(approval) => {
            let title = frame.t.m("web-approval-decided-title");
            let id = if approve { "web-approval-approved" } else { "web-approval-denied" };
            let text = frame.t.m1(id, "name", &approval.requester);
            page(&MessagePage { frame, title, text, back: "/approvals" })
        }
        Err(err) => refusal(frame, &err),
    }
}
