//! The vault's state for anyone (sealed or not, the CA's fingerprint), unsealing with an owner's passphrase, and
//! sealing for owners. The engine decides whose passphrase opens the vault and who may seal it.

use askama::Template;
use axum::{extract::State, response::Response};
use coffre_vault::SealState;
use serde::Deserialize;

use super::{
    Web, forms,
    pages::{Visit, typed_passphrase, with_cookie},
    render::{Frame, MessagePage, Who, page, refusal, see_other},
    session::{self, SESSION_COOKIE},
};

#[derive(Template)]
#[template(path = "vault.html")]
struct VaultPage {
    frame: Frame,
    state: &'static str,
    vault_id: String,
    fingerprint: String,
    audit_events: u64,
    /// The vault's database lacks a change the audit log holds, which coffred gives it again by itself.
    catching_up: bool,
    /// One line per standby coffred waiting to take the vault over (docs/ha.md), in the reader's language.
    standbys: Vec<String>,
}

/// What `standby` would do if this coffred stopped, or that it fell silent, as `coffre status` says it.
fn standby_line(lang: coffre_i18n::Lang, standby: &coffre_vault::StandbyStatus) -> String {
    let args = [
        ("name", standby.name.clone()),
        ("state", coffre_i18n::standby_state(standby.armed, standby.silent).to_owned()),
        ("ago", coffre_i18n::elapsed(standby.seen_seconds_ago)),
        ("relays", coffre_i18n::standby_relays(standby.relays).to_owned()),
    ];
    coffre_i18n::message(lang, "status-standby-value", &args).unwrap_or_else(|| standby.name.clone())
}

pub(crate) async fn status(State(web): State<Web>, visit: Visit) -> Response {
    let who = web.vault.whoami(&visit.ctx).ok().map(|who| Who { name: who.name, role: who.role });
    let (frame, cookie) = visit.frame(&web, who);
    let status = web.vault.status();
    let state = match status.state {
        SealState::Uninitialised => "uninitialised",
        SealState::Sealed => "sealed",
        SealState::Unsealed => "unsealed",
    };
    let standbys = status.standbys.iter().map(|standby| standby_line(frame.t.0, standby)).collect();
    let body = page(&VaultPage {
        frame,
        state,
        vault_id: status.vault_id.unwrap_or_default(),
        fingerprint: web.ca_fingerprint.to_string(),
        audit_events: status.audit_events,
        catching_up: status.store_catching_up,
        standbys,
    });
    with_cookie(body, cookie)
}

#[derive(Deserialize)]
pub(crate) struct UnsealForm {
    #[serde(default)]
    csrf: String,
    passphrase: String,
}

pub(crate) async fn unseal(State(web): State<Web>, visit: Visit, form: forms::Form<UnsealForm>) -> Response {
    let UnsealForm { csrf, passphrase } = form.0;
    if !visit.csrf_ok(&web, &csrf) {
        return visit.form_expired(&web);
    }
    let (frame, _) = visit.frame(&web, None);
    let passphrase = match typed_passphrase(&frame, passphrase) {
        Ok(passphrase) => passphrase,
        Err(response) => return *response,
    };
    match web.vault.unseal(&visit.ctx, passphrase).await {
        Ok(_) => {
            let title = frame.t.m("web-unsealed-title");
            let text = frame.t.m("web-unsealed");
            page(&MessagePage { frame, title, text, back: "/login" })
        }
        Err(err) => refusal(frame, &err),
    }
}

#[derive(Deserialize)]
pub(crate) struct SealForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn seal(State(web): State<Web>, visit: Visit, form: forms::Form<SealForm>) -> Response {
    if !visit.csrf_ok(&web, &form.csrf) {
        return visit.csrf_refused(&web);
    }
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    match web.vault.seal(&visit.ctx).await {
        // Sealing ends every session: this browser's cookie goes too.
        Ok(()) => see_other("/vault", [session::clear_cookie(SESSION_COOKIE)]),
        Err(err) => refusal(frame, &err),
    }
}
