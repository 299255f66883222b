//! The browser's session: the engine's own session token, kept in a `__Host-` cookie, and the CSRF token bound to
//! it. The web layer keeps no session of its own: expiry, logout, sealing and offboarding end the engine's session,
//! and with it this cookie's worth.
//!
//! Cookies are read by hand: a `Cookie` header is `name=value` pairs joined by `; ` (RFC 6265 section 5.4), and
//! the two this client sets are base64url tokens, so a cookie crate would add code without removing any.

use axum::http::{HeaderMap, HeaderValue, header};
use coffre_vault::{RequestContext, SessionToken, Vault};
use hmac::{Hmac, Mac as _};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

/// The session cookie: `__Host-` makes the browser refuse it unless it is Secure, has `Path=/` and no `Domain`.
pub(crate) const SESSION_COOKIE: &str = "__Host-coffre-session";
/// Before logging in, the forms (log in, enrol, language) are bound to this random value instead.
pub(crate) const ANONYMOUS_COOKIE: &str = "__Host-coffre-visitor";
/// The reader's choice of language (not a secret).
pub(crate) const LANGUAGE_COOKIE: &str = "__Host-coffre-lang";
/// The reader's time zone, a tz database name set by the page's script from the browser's `Intl` zone (not a
/// secret; read only as a zone name, see [`super::render::zone`]).
pub(crate) const ZONE_COOKIE: &str = "__Host-coffre-tz";
/// Longest cookie value taken: a session token is 43 characters.
const MAX_COOKIE_VALUE: usize = 128;

/// The daemon's CSRF tokens. While the vault is unsealed, a token is a MAC under the vault's web-forms key
/// ([`Vault::form_mac`]), which every coffred that unseals the vault shares: a form shown before a take-over is
/// taken by the standby that took the vault over, as the engine's session is. While sealed (the unseal and
/// recovery forms), the key is drawn at this process's start: such a form shown before a restart or a take-over is
/// refused once and shown again. Either token is taken while unsealed; while sealed, a vault's token cannot be
/// checked, and the form is refused with the page saying the vault is sealed.
pub(crate) struct CsrfKey {
    process: [u8; 32],
    vault: Vault,
}

impl CsrfKey {
    pub(crate) fn generate(vault: Vault) -> anyhow::Result<Self> {
        let mut process = [0u8; 32];
        getrandom::fill(&mut process).map_err(|err| anyhow::anyhow!("cannot draw the web client's CSRF key: {err}"))?;
        Ok(Self { process, vault })
    }

    /// The token of the forms of the visitor whose session (or, before log in, visitor cookie) is `binding`:
    /// HMAC-SHA256 of it, base64url. Another site can neither read it nor compute it.
    pub(crate) fn token(&self, binding: &str) -> String {
        let mac = self.vault.form_mac(binding.as_bytes()).or_else(|| self.process_mac(binding));
        mac.map(|mac| data_encoding::BASE64URL_NOPAD.encode(&mac)).unwrap_or_default()
    }

    /// Whether `sent` is a token of `binding` (the vault's or this process's), compared in constant time. An empty
    /// binding never matches.
    pub(crate) fn check(&self, binding: &str, sent: &str) -> bool {
        let matches = |mac: Option<[u8; 32]>| {
            mac.is_some_and(|mac| {
                bool::from(data_encoding::BASE64URL_NOPAD.encode(&mac).as_bytes().ct_eq(sent.as_bytes()))
            })
        };
        !binding.is_empty() && (matches(self.vault.form_mac(binding.as_bytes())) | matches(self.process_mac(binding)))
    }

    fn process_mac(&self, binding: &str) -> Option<[u8; 32]> {
        let mut mac = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(&self.process).ok()?;
        mac.update(b"coffre web csrf v1\0");
        mac.update(binding.as_bytes());
        Some(mac.finalize().into_bytes().into())
    }
}

impl Drop for CsrfKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.process);
    }
}

/// The value of cookie `name` in the request, if present and of a sane length.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<Zeroizing<String>> {
    for value in headers.get_all(header::COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            if let Some((key, value)) = pair.trim().split_once('=')
                && key == name
                && !value.is_empty()
                && value.len() <= MAX_COOKIE_VALUE
            {
                return Some(Zeroizing::new(value.to_owned()));
            }
        }
    }
    None
}

/// `Set-Cookie` for a `__Host-` cookie: Secure, HttpOnly, SameSite=Strict, Path=/; `max_age` seconds, or until the
/// browser closes when `None`.
pub(crate) fn set_cookie(name: &str, value: &str, max_age: Option<u64>) -> Option<HeaderValue> {
    let age = max_age.map(|secs| format!("; Max-Age={secs}")).unwrap_or_default();
    HeaderValue::from_str(&format!("{name}={value}; Secure; HttpOnly; SameSite=Strict; Path=/{age}")).ok()
}

/// `Set-Cookie` that makes the browser forget cookie `name`.
pub(crate) fn clear_cookie(name: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("{name}=; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A fresh random visitor value (for the forms shown before log in).
pub(crate) fn new_visitor() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(data_encoding::BASE64URL_NOPAD.encode(&bytes))
}

/// The engine's context for this request: the session token from the cookie, the peer's address and the browser's
/// `User-Agent` (cut as gRPC's are).
pub(crate) fn context(headers: &HeaderMap, peer: Option<std::net::SocketAddr>) -> RequestContext {
    RequestContext {
        token: cookie(headers, SESSION_COOKIE).map(|token| SessionToken::new(token.as_str().to_owned())),
        client_addr: peer.map(|addr| addr.to_string()).unwrap_or_default(),
        client_agent: headers
            .get(header::USER_AGENT)
            .map(|agent| {
                String::from_utf8_lossy(agent.as_bytes()).chars().take(crate::context::MAX_AGENT_CHARS).collect()
            })
            .unwrap_or_default(),
    }
}
