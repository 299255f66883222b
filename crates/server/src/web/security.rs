//! What every web response carries, and the check every form sent passes before any handler runs.

use axum::{
    extract::{FromRequestParts as _, Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::Response,
};

use super::{Web, pages::Visit, render};

/// Only this server's own script, style sheet, images and forms; no frames, no `<base>`, nothing else.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/// Every powerful browser feature off.
pub(crate) const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
     encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), magnetometer=(), \
     microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), \
     serial=(), usb=(), xr-spatial-tracking=()";
/// Two years, as the HSTS preload list asks; the daemon is only ever served over TLS.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

/// The headers of every response. Every HTML page can show a secret or a one-time code, so none is cached; the
/// style sheet and script are not secret but are small, so they are not cached either (one rule, no exception).
pub(crate) async fn headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(headers, header::STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(headers, HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
    set(headers, HeaderName::from_static("permissions-policy"), PERMISSIONS_POLICY);
    set(headers, header::CACHE_CONTROL, "no-store");
    response
}

/// Refuses a state-changing request (anything but GET and HEAD) that another site's page could have sent: its
/// `Origin` must be this server's own (`https://` and the host the browser asked for), or else the browser's
/// `Sec-Fetch-Site` must say `same-origin`. (With `Referrer-Policy: no-referrer`, browsers send `Origin: null` on a
/// form's POST, even from the same origin; `Sec-Fetch-Site` is then what tells, and no page can set it.) A request
/// with neither is refused: every browser the web client supports sends one of them with a form. The CSRF token in
/// the form is checked as well, by the handler. The refusal is a page in the reader's language, as a wrong CSRF
/// token's is.
/// A page that is not ready within its time limit ([`super::PAGE_TIME_LIMIT`]: a log in waiting behind a flood of others for Argon2, a
/// database that does not answer) is answered with a page in the reader's language saying so (503), with the
/// security headers, instead of the transport's gRPC answer.
pub(crate) async fn time_limit(State(web): State<Web>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let Ok(visit) = Visit::from_request_parts(&mut parts, &web).await;
    let path = parts.uri.path().to_owned();
    let limit = web.page_time_limit;
    // Past it, the page's work is dropped where it stands (a change already in the audit log's hands is made).
    match tokio::time::timeout(limit, next.run(Request::from_parts(parts, body))).await {
        Ok(page) => page,
        Err(_) => {
            tracing::warn!(%path, ?limit, "web page not ready in time");
            render::bad_form(visit.frame(&web, None).0, StatusCode::SERVICE_UNAVAILABLE, "web-too-slow")
        }
    }
}

pub(crate) async fn origin_check(State(web): State<Web>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) || same_origin(&request) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "web form refused: sent from another origin");
    let (mut parts, _) = request.into_parts();
    let Ok(visit) = Visit::from_request_parts(&mut parts, &web).await;
    render::bad_form(visit.frame(&web, None).0, StatusCode::FORBIDDEN, "web-csrf-refused")
}

fn same_origin(request: &Request) -> bool {
    let headers = request.headers();
    // HTTP/2 carries the host in the `:authority` pseudo-header (the URI); HTTP/1.1 in `Host`.
    let host = request
        .uri()
        .authority()
        .map(|authority| authority.as_str().to_owned())
        .or_else(|| headers.get(header::HOST).and_then(|h| h.to_str().ok()).map(str::to_owned));
    let same_site_says = || headers.get("sec-fetch-site").is_some_and(|site| site.as_bytes() == b"same-origin");
    match (headers.get(header::ORIGIN), host) {
        (Some(origin), _) if origin.as_bytes() == b"null" => same_site_says(),
        (Some(origin), Some(host)) => origin.as_bytes() == format!("https://{host}").as_bytes(),
        (Some(_), None) => false,
        (None, _) => same_site_says(),
    }
}
