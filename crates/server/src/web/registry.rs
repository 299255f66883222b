//! The register of official accounts, as a page to read and print: every entry (archived ones too) with its
//! category, URL, classification, state and the date and author of each state it went through. Never a secret, a
//! login or a note; recovery contacts only for an owner who asks. The engine decides who may see it (owners and
//! auditors) and records each viewing in the audit log, as it does for `coffre registry export`.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use coffre_vault::{Lifecycle, RegistryEntry};
use serde::Deserialize;

use super::{
    Web, forms,
    pages::Visit,
    render::{Frame, page, refusal},
};

/// One line of the register, in the reader's language.
struct Line {
    platform: String,
    category: &'static str,
    url: String,
    classification: &'static str,
    lifecycle: &'static str,
    created: String,
    /// When it last became planned, active, archived, and by whom ("" when it never did).
    states: [String; 3],
    recovery_contacts: String,
}

#[derive(Template)]
#[template(path = "registry.html")]
struct RegistryPage {
    frame: Frame,
    organisation: String,
    generated: String,
    count: String,
    contacts: bool,
    lines: Vec<Line>,
}

#[derive(Deserialize)]
pub(crate) struct RegistryQuery {
    /// `yes` to show the recovery contacts (owners only; the engine refuses anyone else).
    #[serde(default)]
    contacts: String,
}

pub(crate) async fn register(State(web): State<Web>, visit: Visit, query: forms::Query<RegistryQuery>) -> Response {
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let contacts = query.contacts == "yes";
    let registry = match web.vault.registry(&visit.ctx, contacts).await {
        Ok(registry) => registry,
        Err(err) => return refusal(frame, &err),
    };
    let lines = registry.entries.iter().map(|entry| line(&frame, entry)).collect();
    let organisation = match &web.organisation {
        Some(name) => name.to_string(),
        None => frame.t.m("web-registry-unnamed"),
    };
    page(&RegistryPage {
        generated: frame.t.time(registry.generated),
        count: registry.entries.len().to_string(),
        organisation,
        contacts,
        lines,
        frame,
    })
}

fn line(frame: &Frame, entry: &RegistryEntry) -> Line {
    let state = |state: Lifecycle| {
        entry.transitions.iter().rev().find(|t| t.state == state).map_or_else(String::new, |t| {
            let arguments = [("time", frame.t.time(t.at)), ("by", t.by.clone())];
            coffre_i18n::message(frame.t.0, "web-registry-transition", &arguments).unwrap_or_default()
        })
    };
    Line {
        platform: entry.platform.clone(),
        category: forms::name_of(&forms::CATEGORIES, entry.category),
        url: entry.url.clone(),
        classification: forms::name_of(&forms::CLASSIFICATIONS, entry.classification),
        lifecycle: forms::name_of(&super::entry::LIFECYCLES, entry.lifecycle),
        created: frame.t.time(entry.created),
        states: [state(Lifecycle::Planned), state(Lifecycle::Active), state(Lifecycle::Archived)],
        recovery_contacts: entry.recovery_contacts.as_deref().unwrap_or_default().join(", "),
    }
}
