//! Who is calling and from where: the [`RequestContext`] the engine gets with every call.

use coffre_vault::{RequestContext, SessionToken};
use tonic::{Request, Status, metadata::MetadataMap};

use crate::refusals::Refusal;

/// Longest client agent kept, in characters; the rest is cut off.
pub(crate) const MAX_AGENT_CHARS: usize = 256;

/// Longest `authorization` value taken, in bytes: a session token is 43 characters; anything much longer is not one.
const MAX_AUTHORIZATION_BYTES: usize = 512;

/// Builds the context of `request`: the session token from the `authorization` metadata (`Bearer <token>`), the
/// peer address from the transport, and the client's `user-agent` for the audit log.
///
/// A missing `authorization` means "no session" (the engine decides whether the call needs one); a malformed one
/// is refused here with UNAUTHENTICATED.
pub(crate) fn request_context<T>(request: &Request<T>) -> Result<RequestContext, Status> {
    Ok(RequestContext {
        token: bearer_token(request.metadata())?,
        client_addr: request.remote_addr().map(|addr| addr.to_string()).unwrap_or_default(),
        client_agent: client_agent(request.metadata()),
    })
}

fn bearer_token(metadata: &MetadataMap) -> Result<Option<SessionToken>, Status> {
    let Some(value) = metadata.get("authorization") else {
        return Ok(None);
    };
    if value.len() > MAX_AUTHORIZATION_BYTES {
        return Err(Refusal::AuthorizationTooLong.into());
    }
    let value = value.to_str().map_err(|_| Status::from(Refusal::AuthorizationMalformed))?;
    // The scheme is case-insensitive (RFC 7235 section 2.1); the token is base64url, so it has no spaces.
    let (scheme, token) = value.split_once(' ').ok_or_else(|| Status::from(Refusal::AuthorizationMalformed))?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() || token.contains(' ') {
        return Err(Refusal::AuthorizationMalformed.into());
    }
    Ok(Some(SessionToken::new(token.to_owned())))
}

fn client_agent(metadata: &MetadataMap) -> String {
    match metadata.get("user-agent") {
        Some(value) => String::from_utf8_lossy(value.as_bytes()).chars().take(MAX_AGENT_CHARS).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use tonic::metadata::MetadataValue;

    use super::*;

    const MALFORMED: &str = "malformed authorization metadata: expected `Bearer <token>`";
    const TOO_LONG: &str = "authorization metadata too long: it holds a session token of 43 characters, log in again";

    fn with_auth(value: &'static str) -> Request<()> {
        let mut request = Request::new(());
        request.metadata_mut().insert("authorization", MetadataValue::from_static(value));
        request
    }

    #[test]
    fn no_authorization_means_no_session() {
        let ctx = request_context(&Request::new(())).expect("no token is fine here");
        assert!(ctx.token.is_none());
        assert_eq!(ctx.client_addr, "");
        assert_eq!(ctx.client_agent, "");
    }

    #[test]
    fn a_bearer_token_is_taken() {
        for value in ["Bearer abc-DEF_123", "bearer abc-DEF_123", "BEARER  abc-DEF_123"] {
            let ctx = request_context(&with_auth(value)).expect("well formed");
            assert!(ctx.token.is_some(), "{value}");
        }
    }

    #[test]
    fn a_20_kib_authorization_is_invalid_argument() {
        let mut request = Request::new(());
        let value = format!("Bearer {}", "a".repeat(20 * 1024));
        request.metadata_mut().insert("authorization", value.parse().expect("ASCII"));
        let status = request_context(&request).expect_err("too long");
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert_eq!(status.message(), TOO_LONG);
    }

    #[test]
    fn a_malformed_authorization_is_unauthenticated() {
        for value in ["abc", "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer a b", "Token abc"] {
            let status = request_context(&with_auth(value)).expect_err(value);
            assert_eq!(status.code(), tonic::Code::Unauthenticated, "{value}");
            assert_eq!(status.message(), MALFORMED);
        }
    }

    #[test]
    fn the_user_agent_is_kept_and_truncated() {
        let mut request = Request::new(());
        request.metadata_mut().insert("user-agent", MetadataValue::from_static("coffre/0.1.0 tonic/0.14"));
        assert_eq!(request_context(&request).expect("ok").client_agent, "coffre/0.1.0 tonic/0.14");

        let long = "x".repeat(1000);
        request.metadata_mut().insert("user-agent", long.parse().expect("ascii"));
        assert_eq!(request_context(&request).expect("ok").client_agent.chars().count(), MAX_AGENT_CHARS);
    }
}
