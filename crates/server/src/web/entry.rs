//! One entry, for owners: change it (a new password makes a new version), archive it, and read its history: the
//! versions of its secret fields (who, when, which fields; never a secret) and its register's lifecycle
//! transitions. Who may do which is the engine's to decide.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use coffre_crypto::secret::SecretBytes;
use coffre_vault::{EntryUpdate, Lifecycle};
use serde::Deserialize;

use super::{
    Web, forms,
    pages::Visit,
    render::{self, Frame, MessagePage, page, refusal},
};

/// The lifecycle states an owner sets from the edit form (archiving has its own button).
pub(crate) const LIFECYCLES: [(Lifecycle, &str); 3] =
    [(Lifecycle::Planned, "planned"), (Lifecycle::Active, "active"), (Lifecycle::Archived, "archived")];

struct VersionRow {
    version: u32,
    when: String,
    by: String,
    changed: String,
}

struct TransitionRow {
    state: &'static str,
    at: String,
    by: String,
}

#[derive(Template)]
#[template(path = "entry_edit.html")]
struct EntryEditPage {
    frame: Frame,
    platform: String,
    category: &'static str,
    classification: &'static str,
    lifecycle: &'static str,
    url: String,
    login: String,
    /// One per line, as the text area shows them.
    recovery_contacts: String,
    /// Whether it has notes (never what they say).
    has_notes: bool,
    categories: Vec<&'static str>,
    classifications: Vec<&'static str>,
    versions: Vec<VersionRow>,
    transitions: Vec<TransitionRow>,
}

#[derive(Deserialize)]
pub(crate) struct Which {
    #[serde(default)]
    platform: String,
}

pub(crate) async fn show(State(web): State<Web>, visit: Visit, which: forms::Query<Which>) -> Response {
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let entry = match web.vault.get_entry(&visit.ctx, &which.platform) {
        Ok(entry) => entry,
        Err(err) => return refusal(frame, &err),
    };
    let versions = match web.vault.list_versions(&visit.ctx, &entry.platform) {
        Ok(versions) => versions,
        Err(err) => return refusal(frame, &err),
    };
    // The lifecycle transitions are the register's line for this entry.
    let transitions = match web.vault.entry_transitions(&visit.ctx, &entry.platform) {
        Ok(transitions) => transitions,
        Err(err) => return refusal(frame, &err),
    };
    let versions = versions
        .into_iter()
        .map(|version| VersionRow {
            version: version.version,
            when: frame.t.time(version.created),
            by: version.created_by,
            changed: version
                .changed
                .iter()
                .map(|field| frame.t.m1("web-field", "field", field.name()))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let transitions = transitions
        .into_iter()
        .map(|step| TransitionRow {
            state: forms::name_of(&LIFECYCLES, step.state),
            at: frame.t.time(step.at),
            by: step.by,
        })
        .collect();
    page(&EntryEditPage {
        platform: entry.platform,
        category: forms::name_of(&forms::CATEGORIES, entry.category),
        classification: forms::name_of(&forms::CLASSIFICATIONS, entry.classification),
        lifecycle: forms::name_of(&LIFECYCLES, entry.lifecycle),
        url: entry.url,
        login: entry.login,
        recovery_contacts: entry.recovery_contacts.join("\n"),
        has_notes: entry.has_notes,
        categories: forms::CATEGORIES.iter().map(|(_, name)| *name).collect(),
        classifications: forms::CLASSIFICATIONS.iter().map(|(_, name)| *name).collect(),
        versions,
        transitions,
        frame,
    })
}

#[derive(Deserialize)]
pub(crate) struct EditForm {
    #[serde(default)]
    csrf: String,
    platform: String,
    category: String,
    classification: String,
    lifecycle: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    login: String,
    /// A new password, or empty to keep the current one.
    #[serde(default)]
    password: String,
    /// One per line: they replace the entry's (a form without the field keeps them).
    #[serde(default)]
    recovery_contacts: Option<String>,
    /// The platform's second factor (base32 text, as the platform shows it), or empty to keep the current one.
    #[serde(default)]
    totp: String,
    /// New notes, or empty to keep the current ones (they are secret: the form never shows them).
    #[serde(default)]
    notes: String,
    /// `yes` to remove the notes.
    #[serde(default)]
    remove_notes: String,
}

pub(crate) async fn update(State(web): State<Web>, visit: Visit, form: forms::Form<EditForm>) -> Response {
    let EditForm {
        csrf,
        platform,
        category,
        classification,
        lifecycle,
        url,
        login,
        password,
        recovery_contacts,
        totp,
        notes,
        remove_notes,
    } = form.0;
    let password = zeroize::Zeroizing::new(password);
    let totp = zeroize::Zeroizing::new(totp);
    let notes = zeroize::Zeroizing::new(notes);
    let frame = match checked(&web, &visit, &csrf) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let (Some(category), Some(classification), Some(lifecycle)) = (
        forms::parse(&forms::CATEGORIES, &category),
        forms::parse(&forms::CLASSIFICATIONS, &classification),
        forms::parse(&LIFECYCLES, &lifecycle),
    ) else {
        return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-bad-choice");
    };
    let update = EntryUpdate {
        platform,
        new_platform: None,
        category: Some(category),
        url: Some(url),
        login: Some(login),
        recovery_contacts: recovery_contacts.as_deref().map(forms::lines),
        classification: Some(classification),
        lifecycle: Some(lifecycle),
        tags: None,
        password: (!password.is_empty()).then(|| SecretBytes::new(password.as_bytes().to_vec())),
        // The engine checks it; a new one makes a new version, as a new password does.
        totp_seed: Some(totp.trim())
            .filter(|seed| !seed.is_empty())
            .map(|seed| SecretBytes::new(seed.as_bytes().to_vec())),
        // New notes replace the old ones; removing them is the engine's empty notes. Both make a new version.
        notes: if remove_notes == "yes" {
            Some(SecretBytes::new(Vec::new()))
        } else {
            (!notes.is_empty()).then(|| SecretBytes::new(notes.as_bytes().to_vec()))
        },
    };
    match web.vault.update_entry(&visit.ctx, update).await {
        Ok(view) => done(frame, "web-entry-saved-title", "web-entry-saved", &view.platform),
        Err(err) => refusal(frame, &err),
    }
}

#[derive(Deserialize)]
pub(crate) struct ArchiveForm {
    #[serde(default)]
    csrf: String,
    platform: String,
}

pub(crate) async fn archive(State(web): State<Web>, visit: Visit, form: forms::Form<ArchiveForm>) -> Response {
    let ArchiveForm { csrf, platform } = form.0;
    let frame = match checked(&web, &visit, &csrf) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    match web.vault.archive_entry(&visit.ctx, &platform).await {
        Ok(view) => done(frame, "web-entry-archived-title", "web-entry-archived", &view.platform),
        Err(err) => refusal(frame, &err),
    }
}

#[derive(Deserialize)]
pub(crate) struct FlagForm {
    #[serde(default)]
    csrf: String,
    platform: String,
    #[serde(default)]
    reason: String,
}

/// An incident report: the entry's password was exposed. Anyone a live grant on it covers, and owners (the engine
/// decides); it is due for rotation until an owner confirms a new password.
pub(crate) async fn flag(State(web): State<Web>, visit: Visit, form: forms::Form<FlagForm>) -> Response {
    let FlagForm { csrf, platform, reason } = form.0;
    let frame = match checked(&web, &visit, &csrf) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    match web.vault.flag_compromised(&visit.ctx, &platform, &reason).await {
        Ok(flagged) if flagged.already => {
            let title = frame.t.m("web-entry-flagged-title");
            let arguments = [("platform", flagged.platform.clone()), ("since", frame.t.time(flagged.since))];
            let text = coffre_i18n::message(frame.t.0, "web-entry-flagged-already", &arguments).unwrap_or_default();
            page(&MessagePage { frame, title, text, back: "/" })
        }
        Ok(flagged) => done(frame, "web-entry-flagged-title", "web-entry-flagged", &flagged.platform),
        Err(err) => refusal(frame, &err),
    }
}

/// The caller's frame, once the form's CSRF token is theirs and they are logged in.
fn checked(web: &Web, visit: &Visit, csrf: &str) -> Result<Frame, Box<Response>> {
    if !visit.csrf_ok(web, csrf) {
        return Err(Box::new(visit.csrf_refused(web)));
    }
    visit.logged_in(web)
}

fn done(frame: Frame, title: &str, text: &str, platform: &str) -> Response {
    let title = frame.t.m(title);
    let text = frame.t.m1(text, "platform", platform);
    page(&MessagePage { frame, title, text, back: "/" })
}
