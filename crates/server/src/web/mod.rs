//! The web client: HTML pages for people who never open a terminal, served by coffred on its gRPC port.
//!
//! A thin edge like the gRPC services: every page turns a form into one call of the engine ([`Vault`]) with the
//! caller's [`coffre_vault::RequestContext`], and renders the answer or the engine's refusal in the reader's language
//! (the one Fluent catalogue of coffre-i18n). No business rule and no access policy live here: which roles may do
//! what is `coffre_vault::authz`'s to say; the links a page shows by role are only navigation.
//!
//! - [`security`]: the headers every response carries, and the Origin check of every form sent;
//! - [`session`]: the engine's session token in a `__Host-` cookie, and the CSRF token bound to it;
//! - [`render`]: the reader's language, the page frame and the engine's refusals as pages;
//! - [`pages`]: log in and out, language, entries and reveal, enrolment, passphrase;
//! - [`manage`]: entries, people and grants, for owners and access managers;
//! - [`entry`]: one entry for owners: change, archive, its versions and changes of state;
//! - [`people`]: who is in the vault, offboarding with the passwords to change, and a reset of enrolment;
//! - [`recovery`]: the recovery shares' holders and threshold, the scheduled backups, and a backup now;
//! - [`approvals`]: the two-person rule: ask, approve or deny;
//! - [`rotation`]: what is due, and staged rotation (stage, reveal the new password, confirm or cancel);
//! - [`audit`]: the audit log with filters, and its export download;
//! - [`vault_state`]: sealed or not, unseal with an owner's passphrase, seal.

mod approvals;
mod audit;
mod entry;
mod forms;
mod manage;
mod pages;
mod people;
mod recovery;
mod registry;
pub(crate) mod render;
mod rotation;
mod security;
mod session;
#[cfg(test)]
mod tests;
mod vault_state;

use std::sync::Arc;

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use coffre_vault::{Vault, backup::BackupSchedule};

use crate::config::WebSettings;

/// Largest form accepted, in bytes: the biggest (a new entry with notes) is well below.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// What every page handler shares: the engine, and the key CSRF tokens are derived with.
#[derive(Clone)]
pub(crate) struct Web {
    vault: Vault,
    csrf_key: Arc<session::CsrfKey>,
    /// The SHA-256 fingerprint of the daemon's CA, for the handout of a new person.
    ca_fingerprint: Arc<str>,
    /// `[web]` of the configuration.
    settings: WebSettings,
    /// The daemon's scheduled backups (`[backup]`), if any: their page lists them.
    backup: Option<Arc<BackupSchedule>>,
    /// The organisation's name (`[organisation] name`), on the register of official accounts.
    organisation: Option<Arc<str>>,
    /// How long a page may take ([`PAGE_TIME_LIMIT`] but in tests).
    page_time_limit: std::time::Duration,
}

/// How long a page may take before it is answered with a page saying so (`security::time_limit`): under the
/// transport's own limit ([`crate::transport::REQUEST_TIMEOUT`]), which would answer with gRPC's CANCELLED (an empty
/// `application/grpc` 200: a blank page or a download in a browser).
pub(crate) const PAGE_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(25);

/// What the web client needs from the daemon's configuration.
pub(crate) struct Setup<'a> {
    /// The SHA-256 fingerprint of the daemon's CA.
    pub(crate) ca_fingerprint: &'a str,
    /// `[web]`.
    pub(crate) settings: WebSettings,
    /// `[backup]`, when scheduled backups are on.
    pub(crate) backup: Option<BackupSchedule>,
    /// `[organisation] name`.
    pub(crate) organisation: Option<String>,
    /// How long a page may take: [`PAGE_TIME_LIMIT`].
    pub(crate) page_time_limit: std::time::Duration,
}

/// `grpc` (tonic's routes) with the web client's routes beside them, every web response with the security headers.
/// A path neither knows is answered as its asker expects: gRPC's UNIMPLEMENTED to a gRPC client
/// (`content-type: application/grpc...`), a 404 page in the reader's language to anyone else.
pub(crate) fn router(grpc: Router, vault: Vault, setup: Setup<'_>) -> anyhow::Result<Router> {
    let state = Web {
        csrf_key: Arc::new(session::CsrfKey::generate(vault.clone())?),
        vault,
        ca_fingerprint: setup.ca_fingerprint.into(),
        settings: setup.settings,
        backup: setup.backup.map(Arc::new),
        organisation: setup.organisation.map(Arc::from),
        page_time_limit: setup.page_time_limit,
    };
    let web = Router::new()
        .route("/", get(pages::entries))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/language", post(pages::language))
        .route("/reveal", post(pages::reveal))
        .route("/enrol", get(pages::enrol_form).post(pages::enrol_start))
        .route("/enrol/finish", post(pages::enrol_finish))
        .route("/passphrase", get(pages::passphrase_form).post(pages::change_passphrase))
        .route("/entries/new", get(manage::entry_form).post(manage::entry_create))
        .route("/entries/edit", get(entry::show).post(entry::update))
        .route("/entries/archive", post(entry::archive))
        .route("/entries/flag", post(entry::flag))
        .route("/people", get(people::list))
        .route("/people/new", get(manage::person_form).post(manage::person_add))
        .route("/people/offboard", post(people::offboard))
        .route("/people/reset", post(people::reset))
        .route("/grants", get(manage::grants).post(manage::grant_add))
        .route("/grants/revoke", post(manage::grant_revoke))
        .route("/approvals", get(approvals::list).post(approvals::request))
        .route("/approvals/decide", post(approvals::decide))
        .route("/rotation", get(rotation::overview))
        .route("/rotation/stage", post(rotation::stage))
        .route("/rotation/pending", post(rotation::reveal_pending))
        .route("/rotation/confirm", post(rotation::confirm))
        .route("/rotation/cancel", post(rotation::cancel))
        .route("/recovery", get(recovery::overview))
        .route("/backups", post(recovery::create))
        .route("/audit", get(audit::log))
        .route("/registry", get(registry::register))
        .route("/audit/export", post(audit::export))
        .route("/vault", get(vault_state::status))
        .route("/unseal", post(vault_state::unseal))
        .route("/seal", post(vault_state::seal))
        .route("/static/coffre.css", get(stylesheet))
        .route("/static/coffre.js", get(script))
        // A form's address opened as a page (typed, bookmarked): the page saying there is none, not an empty 405.
        .method_not_allowed_fallback({
            let state = state.clone();
            move |request: Request| no_page(state.clone(), request, StatusCode::METHOD_NOT_ALLOWED)
        })
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::origin_check))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::time_limit))
        .layer(axum::middleware::map_response(security::headers))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .with_state(state.clone());
    // Set after the merge: it replaces tonic's own fallback (which only speaks gRPC).
    Ok(grpc.merge(web).fallback(move |request: Request| no_page(state.clone(), request, StatusCode::NOT_FOUND)))
}

/// A path nobody serves (or not with this method): gRPC's UNIMPLEMENTED for a gRPC client (as tonic answers), else
/// the page saying there is no page here, with `status`.
async fn no_page(web: Web, request: Request, status: StatusCode) -> Response {
    let grpc = request
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/grpc"));
    if grpc {
        let (parts, ()) = tonic::Status::unimplemented("").into_http::<()>().into_parts();
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    let (mut parts, _) = request.into_parts();
    let Ok(visit) = <pages::Visit as axum::extract::FromRequestParts<Web>>::from_request_parts(&mut parts, &web).await;
    // With the visitor cookie its language form's token is bound to, when this is the browser's first page.
    let (frame, cookie) = visit.frame(&web, None);
    let title = frame.t.m("web-not-found-title");
    let text = frame.t.m("web-not-found");
    let page = render::page_with(status, &render::MessagePage { frame, title, text, back: "/" });
    let page = pages::with_cookie(page, cookie);
    security::headers(page).await
}

/// The one style sheet: readable at 360 px wide, visible focus, no external font or image.
async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", include_str!("../../static/coffre.css"))
}

/// The one script, vendored and small: hides a revealed secret after its time and adds a copy button. Every page
/// works without it.
async fn script() -> Response {
    asset("text/javascript; charset=utf-8", include_str!("../../static/coffre.js"))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
