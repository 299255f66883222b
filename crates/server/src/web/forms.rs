//! The choices a form offers (categories, classifications, roles, fields), by the stable names the forms send and
//! the catalogue's selectors use. Names outside these lists are refused; what a value means is the engine's.

use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::{StatusCode, request::Parts},
    response::Response,
};
use coffre_vault::{Category, Classification, Role, SecretField};
use serde::de::DeserializeOwned;

use super::{Web, pages::Visit, render};

/// A form as the browser sent it (`application/x-www-form-urlencoded`, at most [`super::MAX_FORM_BYTES`]), or the
/// page in the reader's language saying why it cannot be taken: too long (a whole document pasted into the notes),
/// or not one of these pages' forms. axum's own refusal would be a line of English plain text.
pub(crate) struct Form<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequest<Web> for Form<T> {
    type Rejection = Response;

    async fn from_request(request: Request, web: &Web) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let Ok(visit) = Visit::from_request_parts(&mut parts, web).await;
        match axum::Form::<T>::from_request(Request::from_parts(parts, body), web).await {
            Ok(axum::Form(form)) => Ok(Form(form)),
            Err(rejection) => {
                // Only the status: the rejection's text can quote what the form held.
                let status = rejection.status();
                tracing::warn!(%status, "web form refused: it cannot be read");
                let id =
                    if status == StatusCode::PAYLOAD_TOO_LARGE { "web-form-too-large" } else { "web-form-unreadable" };
                Err(render::bad_form(visit.frame(web, None).0, status, id))
            }
        }
    }
}

impl<T> std::ops::Deref for Form<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// An address's query as a page reads it (its search, filters, entry), or the page in the reader's language saying
/// it cannot (a hand-edited number, a filter given twice). axum's own refusal would be a line of English.
pub(crate) struct Query<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequestParts<Web> for Query<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, web: &Web) -> Result<Self, Response> {
        let status = match axum::extract::Query::<T>::from_request_parts(parts, web).await {
            Ok(axum::extract::Query(query)) => return Ok(Query(query)),
            Err(rejection) => rejection.status(),
        };
        tracing::warn!(%status, "web page refused: its query cannot be read");
        let Ok(visit) = Visit::from_request_parts(parts, web).await;
        Err(render::bad_form(visit.frame(web, None).0, status, "web-form-unreadable"))
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

pub(crate) const CATEGORIES: [(Category, &str); 7] = [
    (Category::SocialNetwork, "social-network"),
    (Category::DataBank, "data-bank"),
    (Category::Creation, "creation"),
    (Category::Meeting, "meeting"),
    (Category::Software, "software"),
    (Category::Financial, "financial"),
    (Category::Other, "other"),
];

pub(crate) const CLASSIFICATIONS: [(Classification, &str); 4] = [
    (Classification::Public, "public"),
    (Classification::Restricted, "restricted"),
    (Classification::Confidential, "confidential"),
    (Classification::VeryConfidential, "very-confidential"),
];

/// The roles a person can be added with (the president is named at init).
pub(crate) const NEW_ROLES: [(Role, &str); 4] = [
    (Role::Member, "member"),
    (Role::AccessManager, "access-manager"),
    (Role::Auditor, "auditor"),
    (Role::Leader, "leader"),
];

/// The fields the web client reveals: the password, the platform's current second-factor code, the notes.
pub(crate) const FIELDS: [(SecretField, &str); 3] =
    [(SecretField::Password, "password"), (SecretField::TotpCode, "totp"), (SecretField::Notes, "notes")];

pub(crate) fn parse<T: Copy>(choices: &[(T, &str)], sent: &str) -> Option<T> {
    choices.iter().find(|(_, name)| *name == sent).map(|(value, _)| *value)
}

pub(crate) fn name_of<T: Copy + PartialEq>(choices: &[(T, &'static str)], value: T) -> &'static str {
    choices.iter().find(|(v, _)| *v == value).map_or("other", |(_, name)| name)
}

/// A text area's lines, each trimmed, the empty ones left out (recovery contacts: one per line).
pub(crate) fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_owned).collect()
}
