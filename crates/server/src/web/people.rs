//! People, for owners and access managers: who is in the vault, and offboarding with the list of passwords to change
//! afterwards. Who may see and offboard whom is the engine's to say.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use coffre_vault::PersonState;
use serde::Deserialize;

use super::{
    Web,
    pages::Visit,
    render::{self, Frame, page, refusal},
};

struct Row {
    name: String,
    role: String,
    state: &'static str,
    added_by: String,
    created: String,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    frame: Frame,
    people: Vec<Row>,
}

pub(crate) async fn list(State(web): State<Web>, visit: Visit) -> Response {
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let listed = match web.vault.list_people(&visit.ctx) {
        Ok(listed) => listed,
        Err(err) => return refusal(frame, &err),
    };
    let people = listed
        .into_iter()
        .map(|person| Row {
            role: frame.t.role(person.role),
            state: match person.state {
                PersonState::Pending => "pending",
                PersonState::Active => "active",
                PersonState::Offboarded => "offboarded",
            },
            created: frame.t.time(person.created),
            name: person.name,
            added_by: person.added_by,
        })
        .collect();
    page(&PeoplePage { frame, people })
}

#[derive(Deserialize)]
pub(crate) struct OffboardForm {
    #[serde(default)]
    csrf: String,
    name: String,
    /// The box "I understand" must be ticked: offboarding is never undone.
    #[serde(default)]
    sure: String,
}

#[derive(Template)]
#[template(path = "offboarded.html")]
struct OffboardedPage {
    frame: Frame,
    name: String,
    grants_revoked: u32,
    sessions_ended: u32,
    rotation_due: Vec<String>,
    revealed: Vec<(String, String)>,
}

pub(crate) async fn offboard(State(web): State<Web>, visit: Visit, form: axum::Form<OffboardForm>) -> Response {
    let OffboardForm { csrf, name, sure } = form.0;
    if !visit.csrf_ok(&web, &csrf) {
        return visit.csrf_refused(&web);
    }
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    if sure != "yes" {
        return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-offboard-not-confirmed");
    }
    match web.vault.offboard_person(&visit.ctx, &name).await {
        Ok(done) => page(&OffboardedPage {
            frame,
            name: done.name,
            grants_revoked: done.grants_revoked,
            sessions_ended: done.sessions_ended,
            rotation_due: done.rotation_due,
            revealed: done.revealed.into_iter().map(|entry| (entry.platform, entry.seen)).collect(),
        }),
        Err(err) => refusal(frame, &err),
    }
}

#[derive(Deserialize)]
pub(crate) struct ResetForm {
    #[serde(default)]
    csrf: String,
    name: String,
}

/// Resets a person's enrolment (a lost phone or passphrase): the engine removes their passphrase and second factor
/// and ends their sessions; the page is their new handout, with a new one-time code. Their grants stay.
pub(crate) async fn reset(State(web): State<Web>, visit: Visit, form: axum::Form<ResetForm>) -> Response {
    let ResetForm { csrf, name } = form.0;
    if !visit.csrf_ok(&web, &csrf) {
        return visit.csrf_refused(&web);
    }
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    match web.vault.reset_enrolment(&visit.ctx, &name).await {
        Ok(enrolment) => super::manage::handout(&web, &visit, frame, enrolment),
        Err(err) => refusal(frame, &err),
    }
}
