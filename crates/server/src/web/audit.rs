//! The auditors' pages (and the owners'): the audit log with filters, and the export download with the public key
//! that verifies it. Who may read the log is the engine's to say.

use askama::Template;
use axum::{
    body::Body,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse as _, Response},
};
use coffre_vault::AuditFilter;
use serde::Deserialize;
use tokio_stream::wrappers::ReceiverStream;

use super::{
    Web, forms,
    pages::Visit,
    render::{Frame, page, refusal},
};

/// Events per page of the log view.
const PAGE: u32 = 100;

struct Row {
    seq: u64,
    time: String,
    actor: String,
    action: String,
    target: String,
    outcome: String,
    reason: String,
}

/// The actions the filter offers, by the names the catalogue gives them (`audit-action`): what a person looks for in
/// the log. The engine names them; this list only says which to offer, and a filter on another action still works
/// from its address.
const ACTIONS: &[&str] = &[
    "reveal",
    "login",
    "entry.create",
    "entry.update",
    "entry.archive",
    "entry.flag",
    "grant.add",
    "grant.revoke",
    "grant.expire",
    "person.add",
    "person.offboard",
    "enrolment.reset",
    "rotation.stage",
    "rotation.confirm",
    "rotation.cancel",
    "approval.request",
    "approval.approve",
    "approval.deny",
    "backup",
    "seal",
    "unseal",
    "audit.export",
    "registry.export",
];

/// One choice of the action filter.
struct Choice {
    code: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    frame: Frame,
    actor: String,
    actions: Vec<Choice>,
    target: String,
    rows: Vec<Row>,
    next: Option<String>,
    public_key: String,
}

#[derive(Deserialize)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    after: u64,
}

/// A filter the reader left empty filters nothing.
fn given(value: &str) -> Option<String> {
    Some(value.trim().chars().take(100).collect::<String>()).filter(|v| !v.is_empty())
}

pub(crate) async fn log(State(web): State<Web>, visit: Visit, query: forms::Query<AuditQuery>) -> Response {
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let filter = AuditFilter {
        actor: given(&query.actor),
        action: given(&query.action),
        target: given(&query.target),
        since: None,
        until: None,
        after_seq: query.after,
        limit: PAGE,
    };
    let listed = match web.vault.list_audit(&visit.ctx, filter).await {
        Ok(listed) => listed,
        Err(err) => return refusal(frame, &err),
    };
    let rows = listed
        .events
        .into_iter()
        .map(|event| Row {
            seq: event.seq,
            time: frame.t.time_of(event.time_ms.div_euclid(1000)),
            actor: event.actor,
            action: frame.t.action(&event.action),
            target: event.target,
            outcome: frame.t.m1("audit-outcome", "outcome", event.outcome.as_str()),
            reason: event.reason,
        })
        .collect();
    // The next page keeps the filters; they are names and actions, never secrets.
    let next = listed.next_after_seq.map(|after| {
        let escape = |text: &str| {
            text.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        };
        format!(
            "/audit?actor={}&action={}&target={}&after={after}",
            escape(query.actor.trim()),
            escape(query.action.trim()),
            escape(query.target.trim())
        )
    });
    let public_key = web.vault.status().audit_public_key.unwrap_or_default();
    let chosen = query.action.trim();
    let mut actions: Vec<Choice> = ACTIONS
        .iter()
        .map(|code| Choice { code: (*code).to_owned(), label: frame.t.action(code), selected: *code == chosen })
        .collect();
    if !chosen.is_empty() && !ACTIONS.contains(&chosen) {
        let code = chosen.chars().take(100).collect::<String>();
        actions.push(Choice { label: frame.t.action(&code), code, selected: true });
    }
    page(&AuditPage {
        frame,
        actor: query.actor.clone(),
        actions,
        target: query.target.clone(),
        rows,
        next,
        public_key,
    })
}

#[derive(Deserialize)]
pub(crate) struct ExportForm {
    #[serde(default)]
    csrf: String,
}

/// The export as a download (JSON lines: the export line, every event, the signed head). A POST: the engine records
/// the export in the log and signs a head that covers it. Streamed from disk, so memory stays flat for any log.
pub(crate) async fn export(State(web): State<Web>, visit: Visit, form: forms::Form<ExportForm>) -> Response {
    if !visit.csrf_ok(&web, &form.csrf) {
        return visit.csrf_refused(&web);
    }
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let lines = match web.vault.export_audit(&visit.ctx).await.and_then(|export| export.lines()) {
        Ok(lines) => lines,
        Err(err) => return refusal(frame, &err),
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(16);
    tokio::task::spawn_blocking(move || {
        for line in lines {
            let failed = line.is_err();
            let item = line.map_err(|err| {
                tracing::error!(error = %err, "audit export stopped");
                std::io::Error::other("the audit export stopped; see the daemon's log")
            });
            if tx.blocking_send(item).is_err() || failed {
                return;
            }
        }
    });
    let mut response = Body::from_stream(ReceiverStream::new(rx)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/jsonl"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"coffre-audit-export.jsonl\""),
    );
    response
}
