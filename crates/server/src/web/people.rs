//! People, for owners and access managers: who is in the vault, and offboarding with the list of passwords to change
//! afterwards. Who may see and offboard whom is the engine's to say.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use coffre_vault::PersonState;
use serde::Deserialize;

use super::{
    Web, forms,
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
    /// Each entry they revealed and what they saw of it, in the reader's language.
    revealed: Vec<String>,
    /// The recovery share they hold, said in the reader's language, to be replaced by a new set.
    share_holder: Option<String>,
}

pub(crate) async fn offboard(State(web): State<Web>, visit: Visit, form: forms::Form<OffboardForm>) -> Response {
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
            share_holder: done.share_holder.map(|holder| {
                let arguments = [("name", done.name.clone()), ("holder", holder)];
                coffre_i18n::message(frame.t.0, "web-offboarded-share-holder", &arguments).unwrap_or_default()
            }),
            name: done.name,
            grants_revoked: done.grants_revoked,
            sessions_ended: done.sessions_ended,
            rotation_due: done.rotation_due,
            revealed: done.revealed.iter().map(|entry| saw(frame.t.0, entry)).collect(),
            frame,
        }),
        Err(err) => refusal(frame, &err),
    }
}

/// "Facebook: saw the current version (3)" in `lang` (the engine's `Seen`, by code).
fn saw(lang: coffre_i18n::Lang, entry: &coffre_vault::RevealedEntry) -> String {
    let mut arguments = entry.seen.arguments();
    arguments.push(("platform", entry.platform.clone()));
    coffre_i18n::message(lang, &format!("person-offboarded-saw-{}", entry.seen.code()), &arguments)
        .unwrap_or_else(|| format!("{}: {}", entry.platform, entry.seen))
}

#[derive(Deserialize)]
pub(crate) struct ResetForm {
    #[serde(default)]
    csrf: String,
    name: String,
    /// The box "I understand" must be ticked: the person cannot log in until they enrol again.
    #[serde(default)]
    sure: String,
}

/// Resets a person's enrolment (a lost phone or passphrase): the engine removes their passphrase and second factor
/// and ends their sessions; the page is their new handout, with a new one-time code. Their grants stay.
pub(crate) async fn reset(State(web): State<Web>, visit: Visit, form: forms::Form<ResetForm>) -> Response {
    let ResetForm { csrf, name, sure } = form.0;
    if !visit.csrf_ok(&web, &csrf) {
        return visit.csrf_refused(&web);
    }
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    if sure != "yes" {
        return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-reset-not-confirmed");
    }
    match web.vault.reset_enrolment(&visit.ctx, &name).await {
        Ok(enrolment) => super::manage::handout(&web, &visit, frame, enrolment),
        Err(err) => refusal(frame, &err),
    }
}

#[cfg(test)]
mod tests {
    use coffre_i18n::Lang;
    use coffre_vault::{RevealedEntry, Seen};

    use super::saw;

    #[test]
    fn what_an_offboarded_person_saw_reads_in_the_pages_language() {
        let entry = RevealedEntry { platform: "Facebook".into(), seen: Seen::Replaced { version: 1, current: 2 } };
        assert_eq!(saw(Lang::En, &entry), "Facebook: saw version 1, since replaced (the current version is 2)");
        assert_eq!(
            saw(Lang::FrCa, &entry),
            "Facebook\u{a0}: a vu la version 1, remplacée depuis (la version actuelle est 2)"
        );
        let codes = RevealedEntry { platform: "Instagram".into(), seen: Seen::CodesOnly };
        assert_eq!(
            saw(Lang::FrCa, &codes),
            "Instagram\u{a0}: a vu seulement les codes 2FA de la plateforme, pas le mot de passe"
        );
    }
}
