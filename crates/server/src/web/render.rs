//! The reader's language, the frame every page shares, and the engine's refusals as pages.

use askama::Template;
use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use coffre_i18n::{Lang, Zone};
use coffre_vault::{ErrorKind, Role};
use zeroize::Zeroizing;

use super::session::{self, LANGUAGE_COOKIE};

/// The catalogue in the reader's language, for templates: `t.m("web-...")`, and the reader's time zone (their
/// browser's, when its script told it, else the daemon's). Ids used by templates are checked against both catalogues
/// by a test (`every_message_a_template_uses_is_in_both_catalogues`).
#[derive(Clone, Debug)]
pub(crate) struct Tr(pub(crate) Lang, pub(crate) Option<Zone>);

impl Tr {
    /// Message `id` without arguments (its id if the catalogue lacks it, which the test above forbids).
    pub(crate) fn m(&self, id: &str) -> String {
        coffre_i18n::message(self.0, id, &[]).unwrap_or_else(|| id.to_owned())
    }

    /// Message `id` with one argument.
    pub(crate) fn m1(&self, id: &str, name: &str, value: &str) -> String {
        coffre_i18n::message(self.0, id, &[(name, value.to_owned())]).unwrap_or_else(|| id.to_owned())
    }

    /// Message `id` with two arguments.
    pub(crate) fn m2(&self, id: &str, name: &str, value: &str, other: &str, other_value: &str) -> String {
        let arguments = [(name, value.to_owned()), (other, other_value.to_owned())];
        coffre_i18n::message(self.0, id, &arguments).unwrap_or_else(|| id.to_owned())
    }

    /// Message `id` whose one argument `name` is a count its words agree with ("1 share", "2 shares").
    pub(crate) fn count(&self, id: &str, name: &str, count: u64) -> String {
        coffre_i18n::counted(self.0, id, name, count).unwrap_or_else(|| id.to_owned())
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub(crate) fn tag(&self) -> &'static str {
        self.0.tag()
    }

    /// An audit event's action ("reveal", "entry.create") as people read it (the catalogue's `audit-action`, as
    /// the command line prints it).
    pub(crate) fn action(&self, code: &str) -> String {
        let arguments = [("key", code.replace('.', "-")), ("action", code.to_owned())];
        coffre_i18n::message(self.0, "audit-action", &arguments).unwrap_or_else(|| code.to_owned())
    }

    /// A role as people read it.
    pub(crate) fn role(&self, role: Role) -> String {
        self.m1("role-name", "role", role_code(role))
    }

    /// A time for people, in words of their language: in the reader's time zone, else the daemon's with its offset.
    pub(crate) fn time(&self, at: std::time::SystemTime) -> String {
        self.time_of(coffre_vault::clock::unix_seconds(at))
    }

    /// [`Self::time`] of Unix seconds.
    pub(crate) fn time_of(&self, unix_seconds: i64) -> String {
        coffre_i18n::time_in_words(self.0, self.1.as_ref(), unix_seconds).unwrap_or_else(|| self.m("time-unknown"))
    }

    /// The last second of the day `date` (YYYY-MM-DD) typed by the reader, in their time zone (else the daemon's).
    pub(crate) fn end_of_day(&self, date: &str) -> Option<i64> {
        match &self.1 {
            Some(zone) => zone.end_of_day(date),
            None => coffre_i18n::end_of_local_day(date),
        }
    }
}

/// The escaper of every page (askama.toml): HTML's, with each bidirectional embedding, override or isolate shown as
/// U+FFFD. The vault refuses them in names and text, but a value stored before it did would still show its letters
/// reversed ("Trojan Source") in lists, the audit log and messages. The one value shown exactly as stored, a
/// revealed secret, goes through [`verbatim`] instead.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Shown;

impl askama::filters::Escaper for Shown {
    fn write_escaped_str<W: std::fmt::Write>(&self, mut dest: W, string: &str) -> std::fmt::Result {
        use askama::filters::Html;
        let mut pieces = string.split(coffre_crypto::index::reorders_text);
        if let Some(first) = pieces.next() {
            Html.write_escaped_str(&mut dest, first)?;
        }
        for piece in pieces {
            dest.write_char('\u{fffd}')?;
            Html.write_escaped_str(&mut dest, piece)?;
        }
        Ok(())
    }
}

/// `text` HTML-escaped and nothing else, for a revealed secret: the page shows and copies the secret as it is, even
/// one holding a character [`Shown`] replaces. Escaped as the page is written, so that no other copy of the secret is made.
pub(crate) fn verbatim(text: &str) -> askama::filters::Safe<impl std::fmt::Display + '_> {
    let Ok(escaped) = askama::filters::escape(text, askama::filters::Html);
    escaped
}

/// A role's stable name (the catalogue's selector).
pub(crate) fn role_code(role: Role) -> &'static str {
    match role {
        Role::President => "president",
        Role::Leader => "leader",
        Role::AccessManager => "access-manager",
        Role::Member => "member",
        Role::Auditor => "auditor",
    }
}

/// The reader's time zone: the tz database name the page's script put in the zone cookie (the browser's own
/// `Intl` zone), if it is one; else `None`, and times are shown in the daemon's zone.
pub(crate) fn zone(headers: &HeaderMap) -> Option<Zone> {
    session::cookie(headers, session::ZONE_COOKIE).and_then(|name| Zone::named(&name))
}

/// The reader's language: the one they chose (a cookie), else the first French or English tag of their browser's
/// `Accept-Language` by preference, else English.
pub(crate) fn language(headers: &HeaderMap) -> Lang {
    if let Some(chosen) = session::cookie(headers, LANGUAGE_COOKIE).as_deref().and_then(|tag| Lang::from_tag(tag)) {
        return chosen;
    }
    let Some(accepted) = headers.get(header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok()) else {
        return Lang::En;
    };
    let mut best: Option<(u16, Lang)> = None;
    for item in accepted.split(',').take(32) {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let weight = parts
            .find_map(|param| param.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .map_or(1000, |q| (q.clamp(0.0, 1.0) * 1000.0) as u16);
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        let lang = if primary.eq_ignore_ascii_case("fr") {
            Lang::FrCa
        } else if primary.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            continue;
        };
        if weight > 0 && best.is_none_or(|(w, _)| weight > w) {
            best = Some((weight, lang));
        }
    }
    best.map_or(Lang::En, |(_, lang)| lang)
}

/// Who is logged in, as every page's frame shows it.
#[derive(Clone, Debug)]
pub(crate) struct Who {
    pub(crate) name: String,
    pub(crate) role: Role,
}

/// What every page shares: the language, who is logged in (if anyone), and the CSRF token of its forms.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    pub(crate) t: Tr,
    pub(crate) who: Option<Who>,
    pub(crate) csrf: String,
}

impl Frame {
    /// Whether to show the links of people and grants (navigation only: the engine decides what each may do).
    pub(crate) fn manages_access(&self) -> bool {
        self.who.as_ref().is_some_and(|who| who.role.is_owner() || who.role == Role::AccessManager)
    }

    /// Whether to show the link to add an entry (navigation only).
    pub(crate) fn owns(&self) -> bool {
        self.who.as_ref().is_some_and(|who| who.role.is_owner())
    }

    /// Whether to show the link to the approvals (navigation only): everyone but auditors.
    pub(crate) fn asks_or_decides(&self) -> bool {
        self.who.as_ref().is_some_and(|who| who.role != Role::Auditor)
    }

    /// Whether to show the link to the audit log (navigation only).
    pub(crate) fn reads_audit(&self) -> bool {
        self.who.as_ref().is_some_and(|who| who.role.is_owner() || who.role == Role::Auditor)
    }

    pub(crate) fn who_line(&self) -> String {
        match &self.who {
            Some(who) => format!("{} ({})", who.name, self.t.role(who.role)),
            None => String::new(),
        }
    }
}

/// A rendered page, `200 OK`, `text/html`. The page may hold a secret: its text is wiped once sent... as far as this
/// process can (the copy in the response body belongs to hyper).
pub(crate) fn page(template: &impl Template) -> Response {
    page_with(StatusCode::OK, template)
}

pub(crate) fn page_with(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => {
            let html = Zeroizing::new(html);
            (status, Html(html.as_str().to_owned())).into_response()
        }
        Err(err) => {
            tracing::error!(error = %err, "web page could not be rendered");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error; see the daemon's log").into_response()
        }
    }
}

/// A short page that says one thing: an engine's refusal, a bad form, or a confirmation.
#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage {
    pub(crate) frame: Frame,
    pub(crate) title: String,
    pub(crate) text: String,
    pub(crate) back: &'static str,
}

/// The engine's refusal `err` as a page in the reader's language, with the HTTP status of its kind.
pub(crate) fn refusal(frame: Frame, err: &coffre_vault::Error) -> Response {
    let text = refusal_text(frame.t.0, err);
    let title = frame.t.m("web-refused-title");
    page_with(status_of(err), &MessagePage { frame, title, text, back: "/" })
}

/// The HTTP status of an engine error's kind.
pub(crate) fn status_of(err: &coffre_vault::Error) -> StatusCode {
    match err.kind() {
        ErrorKind::FailedPrecondition => StatusCode::CONFLICT,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::PermissionDenied => StatusCode::FORBIDDEN,
        ErrorKind::InvalidArgument => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::AlreadyExists => StatusCode::CONFLICT,
        ErrorKind::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The engine's refusal in `lang`, from its code, reason and arguments (as the client renders a daemon's refusal);
/// an internal fault's detail stays in the daemon's log.
pub(crate) fn refusal_text(lang: Lang, err: &coffre_vault::Error) -> String {
    if err.kind() == ErrorKind::Internal {
        tracing::error!(error = %err, "internal error");
        return coffre_i18n::message(lang, "daemon-internal", &[])
            .unwrap_or_else(|| crate::status::INTERNAL_MESSAGE.into());
    }
    crate::status::web_engine_message(lang, err).unwrap_or_else(|| err.to_string())
}

/// A form that could not be taken as sent (a CSRF token missing or wrong, a field out of its choices): 400 or 403.
pub(crate) fn bad_form(frame: Frame, status: StatusCode, id: &str) -> Response {
    let title = frame.t.m("web-refused-title");
    let text = frame.t.m(id);
    page_with(status, &MessagePage { frame, title, text, back: "/" })
}

/// `303 See Other` to `to` (a path of this site: never a secret in it), with `cookies` set.
pub(crate) fn see_other(to: &'static str, cookies: impl IntoIterator<Item = HeaderValue>) -> Response {
    let mut response = (StatusCode::SEE_OTHER, ()).into_response();
    response.headers_mut().insert(header::LOCATION, HeaderValue::from_static(to));
    for cookie in cookies {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
