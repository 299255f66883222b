//! Everyone's pages: log in and out, language, the entries one may see and their reveal, enrolment, passphrase.

use askama::Template;
use axum::{
    extract::{FromRequestParts, State},
    http::{HeaderMap, HeaderValue, StatusCode, request::Parts},
    response::Response,
};
use coffre_crypto::secret::Passphrase;
use coffre_i18n::Lang;
use coffre_vault::{EntryView, ErrorKind, GrantState, GrantView, RequestContext, RevealParams, Scope};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{
    Web, forms,
    render::{self, Frame, MessagePage, Tr, Who, page, page_with, refusal, see_other},
    session::{self, ANONYMOUS_COOKIE, LANGUAGE_COOKIE, SESSION_COOKIE},
};

/// One request as a page sees it: the reader's language, the engine's context, and the headers (for cookies).
pub(crate) struct Visit {
    pub(crate) lang: Lang,
    /// The reader's time zone, when their browser said it.
    pub(crate) zone: Option<coffre_i18n::Zone>,
    pub(crate) ctx: RequestContext,
    pub(crate) headers: HeaderMap,
    /// The host the browser asked for (HTTP/2's `:authority`), for the addresses a page prints.
    pub(crate) authority: Option<String>,
}

impl FromRequestParts<Web> for Visit {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &Web) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<tonic::transport::server::TlsConnectInfo<tonic::transport::server::TcpConnectInfo>>()
            .and_then(|info| info.get_ref().remote_addr())
            .or_else(|| {
                parts.extensions.get::<tonic::transport::server::TcpConnectInfo>().and_then(|i| i.remote_addr())
            });
        Ok(Visit {
            lang: render::language(&parts.headers),
            zone: render::zone(&parts.headers),
            ctx: session::context(&parts.headers, peer),
            headers: parts.headers.clone(),
            authority: parts.uri.authority().map(|authority| authority.as_str().to_owned()),
        })
    }
}

impl Visit {
    /// What CSRF tokens are bound to: the session cookie once logged in, else the visitor cookie.
    fn binding(&self) -> Option<Zeroizing<String>> {
        session::cookie(&self.headers, SESSION_COOKIE).or_else(|| session::cookie(&self.headers, ANONYMOUS_COOKIE))
    }

    /// The frame of a page, and the visitor cookie to set when the browser has neither cookie yet.
    pub(crate) fn frame(&self, web: &Web, who: Option<Who>) -> (Frame, Option<HeaderValue>) {
        let (csrf, cookie) = match self.binding() {
            Some(binding) => (web.csrf_key.token(&binding), None),
            None => match session::new_visitor() {
                Some(visitor) => (web.csrf_key.token(&visitor), session::set_cookie(ANONYMOUS_COOKIE, &visitor, None)),
                None => (String::new(), None),
            },
        };
        (Frame { t: Tr(self.lang, self.zone.clone()), who, csrf }, cookie)
    }

    /// The frame of a page for the logged-in caller, or the way to the log-in page when there is no live session.
    pub(crate) fn logged_in(&self, web: &Web) -> Result<Frame, Box<Response>> {
        match web.vault.whoami(&self.ctx) {
            Ok(who) => Ok(self.frame(web, Some(Who { name: who.name, role: who.role })).0),
            Err(err) if err.kind() == ErrorKind::Unauthenticated => {
                Err(Box::new(see_other("/login", [session::clear_cookie(SESSION_COOKIE)])))
            }
            Err(err) => Err(Box::new(refusal(self.frame(web, None).0, &err))),
        }
    }

    /// Whether `sent` is this visitor's CSRF token.
    pub(crate) fn csrf_ok(&self, web: &Web, sent: &str) -> bool {
        self.binding().is_some_and(|binding| web.csrf_key.check(&binding, sent))
    }

    /// The page refusing a form whose CSRF token is missing or wrong; or, when the vault is sealed, the page saying
    /// so: a token made while it was unsealed cannot be checked without its key, and the seal is why the form cannot
    /// be done (see [`session::CsrfKey`]).
    pub(crate) fn csrf_refused(&self, web: &Web) -> Response {
        if !web.vault.is_unsealed() {
            tracing::info!("web form refused: its token cannot be checked while the vault is sealed");
            return render::refusal(self.frame(web, None).0, &coffre_vault::Error::Sealed);
        }
        self.form_expired(web)
    }

    /// The page refusing a form whose CSRF token is missing or wrong, whatever the vault's state: for the forms
    /// that work while it is sealed (unseal, language), where "the vault is sealed" would not say what to do.
    pub(crate) fn form_expired(&self, web: &Web) -> Response {
        tracing::warn!("web form refused: CSRF token missing or wrong");
        render::bad_form(self.frame(web, None).0, StatusCode::FORBIDDEN, "web-csrf-refused")
    }
}

/// `response` with the visitor cookie `cookie` set, if any.
pub(crate) fn with_cookie(mut response: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(cookie) = cookie {
        response.headers_mut().append(axum::http::header::SET_COOKIE, cookie);
    }
    response
}

/// A passphrase typed in a form, into the engine's type (refused, with the reason in the reader's language, when it
/// is not one: coffred's own refusal, as its gRPC services say it).
pub(crate) fn typed_passphrase(frame: &Frame, typed: String) -> Result<Passphrase, Box<Response>> {
    Passphrase::new(typed.into_bytes()).map_err(|err| {
        let refusal = crate::refusals::Refusal::passphrase(err);
        let text = coffre_i18n::message(frame.t.0, &format!("daemon-{}", refusal.code()), &refusal.arguments())
            .unwrap_or_else(|| refusal.to_string());
        let title = frame.t.m("web-refused-title");
        Box::new(page_with(StatusCode::BAD_REQUEST, &MessagePage { frame: frame.clone(), title, text, back: "/" }))
    })
}

// --- Log in, log out, language ------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    frame: Frame,
    error: Option<String>,
    /// The name typed before a refusal, shown again (never the passphrase or the code).
    name: String,
}

pub(crate) async fn login_form(State(web): State<Web>, visit: Visit) -> Response {
    let (frame, cookie) = visit.frame(&web, None);
    with_cookie(page(&LoginPage { frame, error: None, name: String::new() }), cookie)
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    csrf: String,
    name: String,
    passphrase: String,
    code: String,
}

pub(crate) async fn login(State(web): State<Web>, visit: Visit, form: forms::Form<LoginForm>) -> Response {
    let LoginForm { csrf, name, passphrase: typed, code } = form.0;
    if !visit.csrf_ok(&web, &csrf) {
        return visit.csrf_refused(&web);
    }
    let (frame, _) = visit.frame(&web, None);
    let passphrase = match typed_passphrase(&frame, typed) {
        Ok(passphrase) => passphrase,
        Err(response) => return *response,
    };
    match web.vault.login(&visit.ctx, &name, passphrase, code.trim()).await {
        Ok(outcome) => {
            let lifetime = outcome.expires.duration_since(std::time::SystemTime::now()).map(|d| d.as_secs()).ok();
            let cookie = session::set_cookie(SESSION_COOKIE, outcome.token.expose_secret(), lifetime);
            see_other("/", cookie)
        }
        Err(err) => {
            let status = render::status_of(&err);
            let error = Some(render::refusal_text(frame.t.0, &err));
            page_with(status, &LoginPage { frame, error, name })
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn logout(State(web): State<Web>, visit: Visit, form: forms::Form<CsrfOnly>) -> Response {
    if !visit.csrf_ok(&web, &form.csrf) {
        return visit.csrf_refused(&web);
    }
    // An expired session is logged out already: the cookie goes either way.
    if let Err(err) = web.vault.logout(&visit.ctx).await
        && err.kind() != ErrorKind::Unauthenticated
    {
        return refusal(visit.frame(&web, None).0, &err);
    }
    see_other("/login", [session::clear_cookie(SESSION_COOKIE)])
}

#[derive(Deserialize)]
pub(crate) struct LanguageForm {
    #[serde(default)]
    csrf: String,
    lang: String,
}

pub(crate) async fn language(State(web): State<Web>, visit: Visit, form: forms::Form<LanguageForm>) -> Response {
    if !visit.csrf_ok(&web, &form.csrf) {
        return visit.form_expired(&web);
    }
    let Some(lang) = Lang::ALL.into_iter().find(|lang| lang.tag() == form.lang) else {
        return render::bad_form(visit.frame(&web, None).0, StatusCode::BAD_REQUEST, "web-bad-choice");
    };
    // A year: the choice is not a secret, and the reader makes it again on another browser.
    see_other("/", session::set_cookie(LANGUAGE_COOKIE, lang.tag(), Some(365 * 24 * 3600)))
}

// --- Entries and reveal -------------------------------------------------------------------------------------------

/// Entries of one category, as the list shows them.
struct Group {
    category: &'static str,
    entries: Vec<Row>,
}

struct Row {
    platform: String,
    url: String,
    login: String,
    classification: &'static str,
    has_totp: bool,
    has_notes: bool,
    /// Why its password must change on the platform (someone who had seen it left), in the reader's language.
    rotation_due: Option<String>,
}

/// A grant of the caller's, as the list shows it.
struct Access {
    scope: String,
    task: String,
    until: String,
}

#[derive(Template)]
#[template(path = "entries.html")]
struct EntriesPage {
    frame: Frame,
    query: String,
    groups: Vec<Group>,
    access: Vec<Access>,
    empty: bool,
}

#[derive(Deserialize)]
pub(crate) struct Search {
    #[serde(default)]
    q: String,
}

pub(crate) async fn entries(State(web): State<Web>, visit: Visit, search: forms::Query<Search>) -> Response {
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let listed = match web.vault.list_entries(&visit.ctx, false) {
        Ok(listed) => listed,
        // An auditor reads the log, not entries (the engine says so): their home page is the log.
        Err(err) if err.kind() == ErrorKind::PermissionDenied && frame.reads_audit() && !frame.owns() => {
            return see_other("/audit", []);
        }
        Err(err) => return refusal(frame, &err),
    };
    let query: String = search.q.trim().chars().take(100).collect();
    let needle = query.to_lowercase();
    let matches = |entry: &EntryView| {
        needle.is_empty()
            || [&entry.platform, &entry.url, &entry.login].iter().any(|s| s.to_lowercase().contains(&needle))
            || entry.tags.iter().any(|tag| tag.to_lowercase().contains(&needle))
    };
    let mut groups: Vec<Group> = Vec::new();
    for (category, name) in forms::CATEGORIES {
        let entries: Vec<Row> = listed
            .iter()
            .filter(|entry| entry.category == category && matches(entry))
            .map(|entry| Row {
                platform: entry.platform.clone(),
                url: entry.url.clone(),
                login: entry.login.clone(),
                classification: forms::name_of(&forms::CLASSIFICATIONS, entry.classification),
                has_totp: entry.has_totp,
                has_notes: entry.has_notes,
                rotation_due: entry
                    .rotation_due
                    .as_ref()
                    .map(|due| super::rotation::detail_text(frame.t.0, &due.detail)),
            })
            .collect();
        if !entries.is_empty() {
            groups.push(Group { category: name, entries });
        }
    }
    // The caller's own live grants (the engine lists what the caller may see); owners have none and need none.
    let me = frame.who.as_ref().map(|who| who.name.to_lowercase()).unwrap_or_default();
    let access = web
        .vault
        .list_grants(&visit.ctx)
        .unwrap_or_default()
        .into_iter()
        .filter(|grant: &GrantView| grant.state == GrantState::Live && grant.person.to_lowercase() == me)
        .map(|grant| Access {
            scope: scope_text(&frame.t, &grant.scope),
            task: grant.task,
            until: frame.t.time(grant.expires),
        })
        .collect();
    let empty = groups.is_empty();
    page(&EntriesPage { frame, query, groups, access, empty })
}

/// What a grant covers, for people.
pub(crate) fn scope_text(t: &Tr, scope: &Scope) -> String {
    match scope {
        Scope::Entry(platform) => platform.clone(),
        Scope::Category(category) => t.m1("web-category", "category", forms::name_of(&forms::CATEGORIES, *category)),
    }
}

#[derive(Deserialize)]
pub(crate) struct RevealForm {
    #[serde(default)]
    csrf: String,
    platform: String,
    field: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "revealed.html")]
struct RevealedPage {
    frame: Frame,
    platform: String,
    field: &'static str,
    secret: Zeroizing<String>,
    /// Seconds until the page's script removes the secret (and, without a script, the page goes back to the
    /// entries).
    hide_after: u32,
}

pub(crate) async fn reveal(State(web): State<Web>, visit: Visit, form: forms::Form<RevealForm>) -> Response {
    let RevealForm { csrf, platform, field, reason } = form.0;
    if !visit.csrf_ok(&web, &csrf) {
        return visit.csrf_refused(&web);
    }
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let Some(which) = forms::parse(&forms::FIELDS, &field) else {
        return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-bad-choice");
    };
    let params = RevealParams { platform: platform.clone(), field: which, reason, version: None };
    let revealed = match web.vault.reveal(&visit.ctx, params).await {
        Ok(revealed) => revealed,
        Err(err) => return refusal(frame, &err),
    };
    revealed_page(&web, frame, platform, forms::name_of(&forms::FIELDS, which), revealed)
}

/// The page that shows a revealed secret (moved out of the engine's answer; wiped with the page's text), for
/// `[web] reveal_visible_seconds`; a second-factor code for no longer than it stays valid.
pub(crate) fn revealed_page(
    web: &Web,
    frame: Frame,
    platform: String,
    field: &'static str,
    revealed: coffre_vault::Revealed,
) -> Response {
    let visible = web.settings.reveal_visible_seconds;
    let hide_after = revealed.valid_for_secs.map_or(visible, |valid| valid.min(visible)).max(1);
    let bytes = revealed.secret.into_exposed();
    let secret = Zeroizing::new(match std::str::from_utf8(&bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => frame.t.m("web-secret-not-text"),
    });
    page(&RevealedPage { frame, platform, field, secret, hide_after })
}

// --- Enrolment ----------------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    frame: Frame,
}

pub(crate) async fn enrol_form(State(web): State<Web>, visit: Visit) -> Response {
    let (frame, cookie) = visit.frame(&web, None);
    with_cookie(page(&EnrolPage { frame }), cookie)
}

#[derive(Deserialize)]
pub(crate) struct EnrolStartForm {
    #[serde(default)]
    csrf: String,
    code: String,
}

#[derive(Template)]
#[template(path = "enrol_factor.html")]
struct EnrolFactorPage {
    frame: Frame,
    name: String,
    role: String,
    code: Zeroizing<String>,
    uri: Zeroizing<String>,
    qr: Option<Zeroizing<String>>,
}

pub(crate) async fn enrol_start(State(web): State<Web>, visit: Visit, form: forms::Form<EnrolStartForm>) -> Response {
    let EnrolStartForm { csrf, code } = form.0;
    let code = Zeroizing::new(code.trim().to_owned());
    if !visit.csrf_ok(&web, &csrf) {
        return visit.csrf_refused(&web);
    }
    let (frame, _) = visit.frame(&web, None);
    match web.vault.start_enrollment(&visit.ctx, &code).await {
        Ok(start) => {
            let uri = Zeroizing::new(start.totp_uri.expose_secret().to_owned());
            let qr = qr_data_uri(&uri);
            let role = frame.t.role(start.role);
            page(&EnrolFactorPage { frame, name: start.name, role, code, uri, qr })
        }
        Err(err) => refusal(frame, &err),
    }
}

/// The QR code of `uri` as an SVG image in a `data:` URI (the CSP allows `data:` images only), so the secret it
/// encodes is never in a URL the browser fetches or keeps in its history.
fn qr_data_uri(uri: &str) -> Option<Zeroizing<String>> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let svg = Zeroizing::new(
        code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).quiet_zone(true).build(),
    );
    Some(Zeroizing::new(format!("data:image/svg+xml;base64,{}", data_encoding::BASE64.encode(svg.as_bytes()))))
}

#[derive(Deserialize)]
pub(crate) struct EnrolFinishForm {
    #[serde(default)]
    csrf: String,
    code: String,
    passphrase: String,
    repeat: String,
    totp: String,
}

pub(crate) async fn enrol_finish(State(web): State<Web>, visit: Visit, form: forms::Form<EnrolFinishForm>) -> Response {
    let EnrolFinishForm { csrf, code, passphrase: typed, repeat, totp } = form.0;
    let code = Zeroizing::new(code.trim().to_owned());
    let repeat = Zeroizing::new(repeat);
    if !visit.csrf_ok(&web, &csrf) {
        return visit.csrf_refused(&web);
    }
    let (frame, _) = visit.frame(&web, None);
    if typed != *repeat {
        return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-passphrases-differ");
    }
    let passphrase = match typed_passphrase(&frame, typed) {
        Ok(passphrase) => passphrase,
        Err(response) => return *response,
    };
    match web.vault.enroll(&visit.ctx, &code, passphrase, totp.trim()).await {
        Ok((name, _)) => {
            let title = frame.t.m("web-enrolled-title");
            let text = frame.t.m1("web-enrolled", "name", &name);
            page(&MessagePage { frame, title, text, back: "/login" })
        }
        Err(err) => refusal(frame, &err),
    }
}

// --- Passphrase ---------------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "passphrase.html")]
struct PassphrasePage {
    frame: Frame,
}

pub(crate) async fn passphrase_form(State(web): State<Web>, visit: Visit) -> Response {
    match visit.logged_in(&web) {
        Ok(frame) => page(&PassphrasePage { frame }),
        Err(response) => *response,
    }
}

#[derive(Deserialize)]
pub(crate) struct PassphraseForm {
    #[serde(default)]
    csrf: String,
    current: String,
    new: String,
    repeat: String,
}

pub(crate) async fn change_passphrase(
    State(web): State<Web>,
    visit: Visit,
    form: forms::Form<PassphraseForm>,
) -> Response {
    let PassphraseForm { csrf, current, new, repeat } = form.0;
    let repeat = Zeroizing::new(repeat);
    if !visit.csrf_ok(&web, &csrf) {
        return visit.csrf_refused(&web);
    }
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    if new != *repeat {
        return render::bad_form(frame, StatusCode::BAD_REQUEST, "web-passphrases-differ");
    }
    let (current, new) = match (typed_passphrase(&frame, current), typed_passphrase(&frame, new)) {
        (Ok(current), Ok(new)) => (current, new),
        (Err(response), _) | (_, Err(response)) => return *response,
    };
    match web.vault.change_passphrase(&visit.ctx, current, new).await {
        Ok(()) => {
            let title = frame.t.m("web-passphrase-changed-title");
            let text = frame.t.m("web-passphrase-changed");
            page(&MessagePage { frame, title, text, back: "/" })
        }
        Err(err) => refusal(frame, &err),
    }
}
