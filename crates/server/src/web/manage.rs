//! The pages of owners and access managers: add an entry, add a person (and print their handout), grant and revoke.
//! Who may do which is the engine's to decide: these pages show its refusal like any other answer.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use coffre_crypto::secret::SecretBytes;
use coffre_vault::{GrantUntil, NewEntry, NewGrant, Scope, Secrets};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{
    Web, forms,
    pages::{Visit, scope_text},
    render::{self, Frame, MessagePage, page, refusal},
};

/// Ends a handler with `response` unless the caller is logged in and the form's CSRF token is theirs.
macro_rules! logged_in_form {
    ($web:expr, $visit:expr, $csrf:expr) => {{
        if !$visit.csrf_ok(&$web, &$csrf) {
            return $visit.csrf_refused(&$web);
        }
        match $visit.logged_in(&$web) {
            Ok(frame) => frame,
            Err(response) => return *response,
        }
    }};
}

fn done(frame: Frame, title: &str, text: String, back: &'static str) -> Response {
    let title = frame.t.m(title);
    page(&MessagePage { frame, title, text, back })
}

// --- A new entry --------------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "entry_new.html")]
struct EntryFormPage {
    frame: Frame,
    categories: Vec<&'static str>,
    classifications: Vec<&'static str>,
}

pub(crate) async fn entry_form(State(web): State<Web>, visit: Visit) -> Response {
    match visit.logged_in(&web) {
        Ok(frame) => page(&EntryFormPage {
            frame,
            categories: forms::CATEGORIES.iter().map(|(_, name)| *name).collect(),
            classifications: forms::CLASSIFICATIONS.iter().map(|(_, name)| *name).collect(),
        }),
        Err(response) => *response,
    }
}

#[derive(Deserialize)]
pub(crate) struct EntryForm {
    #[serde(default)]
    csrf: String,
    platform: String,
    category: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    login: String,
    classification: String,
    password: String,
    #[serde(default)]
    totp: String,
    #[serde(default)]
    notes: String,
    /// One per line.
    #[serde(default)]
    recovery_contacts: String,
}

pub(crate) async fn entry_create(State(web): State<Web>, visit: Visit, form: forms::Form<EntryForm>) -> Response {
    let EntryForm { csrf, platform, category, url, login, classification, password, totp, notes, recovery_contacts } =
        form.0;
    let totp = Zeroizing::new(totp);
    let frame = logged_in_form!(web, visit, csrf);
    let (Some(category), Some(classification)) =
        (forms::parse(&forms::CATEGORIES, &category), forms::parse(&forms::CLASSIFICATIONS, &classification))
    else {
        return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-bad-choice");
    };
    // The platform's second factor as it shows it (base32 text): the engine checks it.
    let totp_seed =
        Some(totp.trim()).filter(|seed| !seed.is_empty()).map(|seed| SecretBytes::new(seed.as_bytes().to_vec()));
    let entry = NewEntry {
        platform,
        category,
        url,
        login,
        recovery_contacts: forms::lines(&recovery_contacts),
        classification: Some(classification),
        lifecycle: None,
        tags: Vec::new(),
    };
    let secrets = Secrets {
        password: SecretBytes::new(password.into_bytes()),
        totp_seed,
        notes: (!notes.is_empty()).then(|| SecretBytes::new(notes.into_bytes())),
    };
    match web.vault.create_entry(&visit.ctx, entry, secrets).await {
        Ok(view) => {
            let text = frame.t.m1("web-entry-added", "platform", &view.platform);
            done(frame, "web-entry-added-title", text, "/")
        }
        Err(err) => refusal(frame, &err),
    }
}

// --- A new person and their handout -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "person_new.html")]
struct PersonFormPage {
    frame: Frame,
    roles: Vec<&'static str>,
}

pub(crate) async fn person_form(State(web): State<Web>, visit: Visit) -> Response {
    match visit.logged_in(&web) {
        Ok(frame) => page(&PersonFormPage { frame, roles: forms::NEW_ROLES.iter().map(|(_, name)| *name).collect() }),
        Err(response) => *response,
    }
}

#[derive(Deserialize)]
pub(crate) struct PersonForm {
    #[serde(default)]
    csrf: String,
    name: String,
    role: String,
}

#[derive(Template)]
#[template(path = "handout.html")]
struct HandoutPage {
    frame: Frame,
    name: String,
    role: String,
    server: String,
    fingerprint: String,
    code: Zeroizing<String>,
    expires: String,
}

pub(crate) async fn person_add(State(web): State<Web>, visit: Visit, form: forms::Form<PersonForm>) -> Response {
    let PersonForm { csrf, name, role } = form.0;
    let frame = logged_in_form!(web, visit, csrf);
    let Some(role) = forms::parse(&forms::NEW_ROLES, &role) else {
        return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-bad-choice");
    };
    match web.vault.add_person(&visit.ctx, &name, role).await {
        Ok(enrolment) => handout(&web, &visit, frame, enrolment),
        Err(err) => refusal(frame, &err),
    }
}

/// The printable handout of a person to enrol (a new one, or one whose enrolment was reset): the address, the CA's
/// fingerprint, the one-time code and when it expires.
pub(crate) fn handout(web: &Web, visit: &Visit, frame: Frame, enrolment: coffre_vault::Enrolment) -> Response {
    let host = visit
        .headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| visit.authority.clone())
        .unwrap_or_default();
    let role = frame.t.role(enrolment.role);
    let expires = frame.t.time(enrolment.expires);
    page(&HandoutPage {
        frame,
        name: enrolment.name,
        role,
        server: format!("https://{host}/enrol"),
        fingerprint: web.ca_fingerprint.to_string(),
        code: Zeroizing::new(enrolment.code.expose_secret().to_owned()),
        expires,
    })
}

// --- Grants -------------------------------------------------------------------------------------------------------

struct GrantRow {
    id: String,
    person: String,
    scope: String,
    task: String,
    granted_by: String,
    until: String,
    state: &'static str,
}

#[derive(Template)]
#[template(path = "grants.html")]
struct GrantsPage {
    frame: Frame,
    grants: Vec<GrantRow>,
    categories: Vec<&'static str>,
}

pub(crate) async fn grants(State(web): State<Web>, visit: Visit) -> Response {
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let listed = match web.vault.list_grants(&visit.ctx) {
        Ok(listed) => listed,
        Err(err) => return refusal(frame, &err),
    };
    let grants = listed
        .into_iter()
        .map(|grant| GrantRow {
            scope: scope_text(&frame.t, &grant.scope),
            until: frame.t.time(grant.expires),
            state: match grant.state {
                coffre_vault::GrantState::Live => "live",
                coffre_vault::GrantState::Expired => "expired",
                coffre_vault::GrantState::Revoked => "revoked",
            },
            id: grant.id,
            person: grant.person,
            task: grant.task,
            granted_by: grant.granted_by,
        })
        .collect();
    page(&GrantsPage { frame, grants, categories: forms::CATEGORIES.iter().map(|(_, name)| *name).collect() })
}

#[derive(Deserialize)]
pub(crate) struct GrantForm {
    #[serde(default)]
    csrf: String,
    person: String,
    /// `entry` (then `platform`) or `category` (then `category`).
    scope: String,
    #[serde(default)]
    platform: String,
    #[serde(default)]
    category: String,
    /// The last day of the grant, YYYY-MM-DD (the browser's date picker sends this form).
    until: String,
    task: String,
}

pub(crate) async fn grant_add(State(web): State<Web>, visit: Visit, form: forms::Form<GrantForm>) -> Response {
    let GrantForm { csrf, person, scope, platform, category, until, task } = form.0;
    let frame = logged_in_form!(web, visit, csrf);
    let scope = match scope.as_str() {
        "entry" => Scope::Entry(platform),
        "category" => match forms::parse(&forms::CATEGORIES, &category) {
            Some(category) => Scope::Category(category),
            None => return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-bad-choice"),
        },
        _ => return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-bad-choice"),
    };
    let Some(end) = frame.t.end_of_day(&until).and_then(|secs| u64::try_from(secs).ok()) else {
        return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-bad-date");
    };
    let until = GrantUntil::At(std::time::UNIX_EPOCH + std::time::Duration::from_secs(end));
    match web.vault.add_grant(&visit.ctx, NewGrant { person, scope, until, task }).await {
        Ok(grant) => {
            let arguments = [
                ("person", grant.person.clone()),
                ("scope", scope_text(&frame.t, &grant.scope)),
                ("until", frame.t.time(grant.expires)),
                ("task", grant.task.clone()),
            ];
            let text = coffre_i18n::message(frame.t.0, "web-grant-added", &arguments).unwrap_or_default();
            done(frame, "web-grant-added-title", text, "/grants")
        }
        Err(err) => refusal(frame, &err),
    }
}

#[derive(Deserialize)]
pub(crate) struct RevokeForm {
    #[serde(default)]
    csrf: String,
    id: String,
}

pub(crate) async fn grant_revoke(State(web): State<Web>, visit: Visit, form: forms::Form<RevokeForm>) -> Response {
    let RevokeForm { csrf, id } = form.0;
    let frame = logged_in_form!(web, visit, csrf);
    match web.vault.revoke_grant(&visit.ctx, &id).await {
        Ok(grant) => {
            let text = frame.t.m1("web-grant-revoked", "person", &grant.person);
            done(frame, "web-grant-revoked-title", text, "/grants")
        }
        Err(err) => refusal(frame, &err),
    }
}
