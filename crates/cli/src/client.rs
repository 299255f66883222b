//! The connection to the daemon: a tonic channel over TLS that trusts only the pinned CA, the session token in
//! the `authorization` metadata, and the translation of transport errors and gRPC statuses into [`Failure`]s.

use std::{error::Error, io, sync::Arc, time::Duration};

use coffre_i18n::t;
use coffre_proto::v1::{
    access_service_client::AccessServiceClient, audit_service_client::AuditServiceClient,
    auth_service_client::AuthServiceClient, backup_service_client::BackupServiceClient,
    entry_service_client::EntryServiceClient, recovery_service_client::RecoveryServiceClient,
    registry_service_client::RegistryServiceClient, rotation_service_client::RotationServiceClient,
    system_service_client::SystemServiceClient,
};
use rustls::client::danger::ServerCertVerifier;
use tonic::{
    Code, Request, Status,
    metadata::{KeyAndValueRef, MetadataValue},
    transport::{Certificate, Channel, ClientTlsConfig, Endpoint},
};
use zeroize::Zeroizing;

use crate::{
    config::{ServerUrl, Target},
    exit::{Failure, Kind, chain_text, find_in_chain},
    output::printable,
    session::Session,
};

/// How long to wait for the TCP connection and for the TLS handshake.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long to wait for an answer. Generous: unsealing and logging in run Argon2id on the daemon.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// How the daemon's certificate is checked.
pub(crate) enum Trust<'a> {
    /// It must chain to this CA (PEM) and be valid for the server's host.
    Pinned(&'a [u8]),
    /// As `Pinned`, with the CA `coffre connect` is about to pin: a certificate that does not chain to it is not
    /// a reason to "connect again".
    Presented(&'a [u8]),
    /// Trust on first use (`coffre connect` only): a verifier that accepts any chain but records it.
    FirstUse(Arc<dyn ServerCertVerifier>),
}

/// Opens a TLS channel to `server`; the handshake happens here, so an unreachable daemon or a wrong certificate
/// is reported now, clearly, rather than on the first call.
pub(crate) async fn open_channel(server: &ServerUrl, trust: Trust<'_>) -> Result<Channel, Failure> {
    let invalid = |err: tonic::transport::Error| {
        Failure::invalid(t!("server-address-invalid", server = server.as_str())).with_cause(chain_text(&err))
    };
    let endpoint = Endpoint::from_shared(server.as_str().to_owned())
        .map_err(invalid)?
        .user_agent(format!("coffre/{}", env!("CARGO_PKG_VERSION")))
        .map_err(invalid)?
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT);
    let tls = ClientTlsConfig::new().domain_name(server.tls_host()).timeout(CONNECT_TIMEOUT);
    let presented = matches!(trust, Trust::Presented(_));
    let endpoint = match trust {
        Trust::Pinned(ca_pem) | Trust::Presented(ca_pem) => {
            endpoint.tls_config(tls.ca_certificate(Certificate::from_pem(ca_pem)))
        }
        Trust::FirstUse(verifier) => endpoint.tls_config_with_verifier(tls, verifier),
    }
    .map_err(|err| Failure::invalid(t!("tls-cannot-set-up")).with_cause(chain_text(&err)))?;
    endpoint.connect().await.map_err(|err| {
        if presented && is_ca_mismatch(&err) {
            let message = t!("tls-not-that-ca", server = server.as_str());
            Failure::new(Kind::Unavailable, message).with_cause(chain_text(&err))
        } else {
            transport_failure(&err, server)
        }
    })
}

/// Whether the server's certificate was refused for another reason than the name it is valid for.
fn is_ca_mismatch(err: &(dyn Error + 'static)) -> bool {
    use rustls::CertificateError::{NotValidForName, NotValidForNameContext};
    match find_in_chain::<rustls::Error>(err) {
        Some(rustls::Error::InvalidCertificate(NotValidForName | NotValidForNameContext { .. })) => false,
        Some(rustls::Error::InvalidCertificate(_)) => true,
        _ => false,
    }
}

/// Explains a failure to reach the daemon or to agree on TLS with it, with what to do about it.
pub(crate) fn transport_failure(err: &(dyn Error + 'static), server: &ServerUrl) -> Failure {
    let url = server.as_str();
    let message = if let Some(tls) = find_in_chain::<rustls::Error>(err) {
        match tls {
            rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForName | rustls::CertificateError::NotValidForNameContext { .. },
            ) => t!("tls-wrong-name", host = server.tls_host()),
            rustls::Error::InvalidCertificate(_) => t!("tls-not-pinned-ca"),
            rustls::Error::InvalidMessage(_) => t!("tls-not-tls", server = url),
            _ => t!("tls-handshake-failed", server = url),
        }
    } else if find_in_chain::<io::Error>(err).is_some_and(|e| e.kind() == io::ErrorKind::TimedOut) {
        t!("daemon-timed-out", server = url, seconds = CONNECT_TIMEOUT.as_secs())
    } else if chain_text(err).contains("dns error") {
        // hyper-util reports a failed name lookup only in its message.
        t!("host-not-found", host = server.tls_host())
    } else {
        t!("daemon-unreachable", server = url)
    };
    Failure::new(Kind::Unavailable, message).with_cause(chain_text(err))
}

/// Explains a gRPC status. The daemon's message is shown as it is (it is safe and says what to do); a status made
/// by the transport (the connection broke) is explained like a connection failure.
pub(crate) fn status_failure(status: &Status, server: &ServerUrl, login_name: Option<&str>) -> Failure {
    if let Some(source) = status.source().filter(|_| matches!(status.code(), Code::Unavailable | Code::Unknown)) {
        return transport_failure(source, server);
    }
    let kind = Kind::from_grpc(status.code());
    let mut message = match localised(status, coffre_i18n::current()) {
        Some(message) => message,
        None if status.message().is_empty() => {
            t!("daemon-refused", code = status.code().description())
        }
        None => printable(status.message()),
    };
    if let Some(name) = login_name.filter(|_| kind == Kind::Auth && !message.contains("coffre login")) {
        message.push_str(&t!("hint-login-again", name = name));
    }
    if kind == Kind::Other && status.code() == Code::Unimplemented {
        message.push_str(&t!("hint-versions-differ"));
    }
    Failure::new(kind, message)
}

/// A refusal in the reader's language, from the engine's error code, reason and arguments the daemon sends beside
/// its English message (coffred's `status.rs`). `None` when the status carries no code (the transport made it, or
/// an older daemon) or one this client's catalogue does not know (a newer daemon): the English message is shown.
fn localised(status: &Status, lang: coffre_i18n::Lang) -> Option<String> {
    let metadata = status.metadata();
    let code = metadata.get(ERROR_CODE)?.to_str().ok()?;
    let mut args: Vec<(&str, String)> = Vec::new();
    let mut names = Vec::new();
    for entry in metadata.iter() {
        if let KeyAndValueRef::Binary(key, value) = entry {
            let Some(name) = key.as_str().strip_prefix(ERROR_ARGUMENT_PREFIX).and_then(|k| k.strip_suffix("-bin"))
            else {
                continue;
            };
            let bytes = value.to_bytes().ok()?;
            names.push((name.to_owned(), printable(&String::from_utf8_lossy(&bytes))));
        }
    }
    for (name, value) in &names {
        args.push((name.as_str(), value.clone()));
    }
    let named = |key: &str| metadata.get(key).map(|value| value.to_str()).transpose();
    let codes = coffre_i18n::RefusalCodes {
        reason: named(ERROR_REASON).ok()?,
        field: named(ERROR_FIELD).ok()?,
        problem: named(ERROR_PROBLEM).ok()?,
    };
    coffre_i18n::refusal(lang, code, args, codes)
}

/// The metadata that carry a refusal's code, reason and arguments (coffred's `status.rs` writes them).
const ERROR_CODE: &str = "coffre-error";
const ERROR_REASON: &str = "coffre-reason";
const ERROR_ARGUMENT_PREFIX: &str = "coffre-arg-";
const ERROR_FIELD: &str = "coffre-field";
const ERROR_PROBLEM: &str = "coffre-problem";

/// A connected daemon, with the session to present when there is one.
pub(crate) struct Daemon {
    server: ServerUrl,
    channel: Channel,
    session: Option<Session>,
}

impl Daemon {
    /// Connects to the target, trusting only its CA.
    pub(crate) async fn connect(target: &Target, session: Option<Session>) -> Result<Daemon, Failure> {
        let channel = open_channel(&target.server, Trust::Pinned(&target.ca_pem)).await?;
        Ok(Daemon { server: target.server.clone(), channel, session })
    }

    pub(crate) fn server(&self) -> &ServerUrl {
        &self.server
    }

    pub(crate) fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub(crate) fn system(&self) -> SystemServiceClient<Channel> {
        SystemServiceClient::new(self.channel.clone())
    }

    pub(crate) fn auth(&self) -> AuthServiceClient<Channel> {
        AuthServiceClient::new(self.channel.clone())
    }

    pub(crate) fn entries(&self) -> EntryServiceClient<Channel> {
        EntryServiceClient::new(self.channel.clone())
    }

    pub(crate) fn audit(&self) -> AuditServiceClient<Channel> {
        AuditServiceClient::new(self.channel.clone())
    }

    pub(crate) fn access(&self) -> AccessServiceClient<Channel> {
        AccessServiceClient::new(self.channel.clone())
    }

    pub(crate) fn recovery(&self) -> RecoveryServiceClient<Channel> {
        RecoveryServiceClient::new(self.channel.clone())
    }

    pub(crate) fn backups(&self) -> BackupServiceClient<Channel> {
        BackupServiceClient::new(self.channel.clone())
    }

    pub(crate) fn registry(&self) -> RegistryServiceClient<Channel> {
        RegistryServiceClient::new(self.channel.clone())
    }

    pub(crate) fn rotation(&self) -> RotationServiceClient<Channel> {
        RotationServiceClient::new(self.channel.clone())
    }

    /// A request carrying the session token, when there is a session.
    pub(crate) fn request<T>(&self, message: T) -> Result<Request<T>, Failure> {
        let mut request = Request::new(message);
        if let Some(session) = &self.session {
            let mut header = Zeroizing::new(String::with_capacity(7 + session.token.expose_secret().len()));
            header.push_str("Bearer ");
            header.push_str(session.token.expose_secret());
            let mut value =
                MetadataValue::try_from(header.as_str()).map_err(|_| Failure::other(t!("session-damaged")))?;
            value.set_sensitive(true);
            request.metadata_mut().insert("authorization", value);
        }
        Ok(request)
    }

    /// Explains a status the daemon answered with; an UNAUTHENTICATED answer to a call that carried a session
    /// says to log in again.
    pub(crate) fn fail(&self, status: Status) -> Failure {
        status_failure(&status, &self.server, self.session.as_ref().map(|s| s.name.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> ServerUrl {
        match ServerUrl::parse("https://127.0.0.1:7443") {
            Ok(server) => server,
            Err(failure) => panic!("{failure}"),
        }
    }

    #[test]
    fn refused_connections_say_to_check_the_daemon() {
        let err = io::Error::from(io::ErrorKind::ConnectionRefused);
        let failure = transport_failure(&err, &server());
        assert_eq!(failure.exit_code(), 9);
        assert_eq!(
            failure.message(),
            "cannot reach the daemon at https://127.0.0.1:7443: is coffred running? (check --server / COFFRE_SERVER)"
        );
    }

    #[test]
    fn a_certificate_from_another_ca_says_to_connect_again() {
        let tls = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let err = io::Error::new(io::ErrorKind::InvalidData, tls);
        let failure = transport_failure(&err, &server());
        assert_eq!(failure.exit_code(), 9);
        assert!(failure.message().starts_with("the daemon's certificate does not match the pinned CA"));
    }

    #[test]
    fn daemon_messages_are_kept_and_get_a_login_hint_when_a_session_was_sent() {
        let status = Status::unauthenticated("session expired");
        let with_session = status_failure(&status, &server(), Some("alice"));
        assert_eq!(with_session.message(), "session expired: run `coffre login alice`");
        assert_eq!(with_session.exit_code(), 4);
        let without = status_failure(&Status::unauthenticated("wrong name or passphrase"), &server(), None);
        assert_eq!(without.message(), "wrong name or passphrase");
        let sealed = status_failure(
            &Status::failed_precondition(
                "vault is sealed: ask the president or the leader to unseal it (an owner runs `coffre unseal`)",
            ),
            &server(),
            None,
        );
        assert_eq!(
            (sealed.message(), sealed.exit_code()),
            ("vault is sealed: ask the president or the leader to unseal it (an owner runs `coffre unseal`)", 3)
        );
    }

    /// What coffred sends for an invalid value (its `status.rs`): the English message, the codes and the arguments.
    fn invalid_status(field: &str, problem: &str, arguments: &[(&str, &str)]) -> Status {
        use tonic::metadata::{BinaryMetadataValue, MetadataValue};
        let mut status = Status::invalid_argument("invalid TOTP seed: is 300 bytes long; at most 256 allowed");
        let metadata = status.metadata_mut();
        metadata.insert(ERROR_CODE, MetadataValue::from_static("invalid"));
        metadata.insert(ERROR_FIELD, MetadataValue::try_from(field).expect("ASCII"));
        metadata.insert(ERROR_PROBLEM, MetadataValue::try_from(problem).expect("ASCII"));
        for (name, value) in arguments {
            let key = format!("{ERROR_ARGUMENT_PREFIX}{name}-bin");
            let key = tonic::metadata::BinaryMetadataKey::from_bytes(key.as_bytes()).expect("a key");
            metadata.insert_bin(key, BinaryMetadataValue::from_bytes(value.as_bytes()));
        }
        status
    }

    #[test]
    fn an_invalid_value_reads_in_the_readers_language_field_and_problem_included() {
        let arguments = [
            ("field", "TOTP seed"),
            ("problem", "is 300 bytes long; at most 256 allowed"),
            ("bytes", "300"),
            ("max", "256"),
        ];
        let status = invalid_status("totp-seed", "too-many-bytes", &arguments);
        assert_eq!(
            localised(&status, coffre_i18n::Lang::FrCa).as_deref(),
            Some("valeur invalide pour la clé du deuxième facteur (TOTP)\u{a0}: 300 octets\u{202f}; 256 au plus")
        );
        assert_eq!(
            localised(&status, coffre_i18n::Lang::En).as_deref(),
            Some("invalid TOTP seed: is 300 bytes long; at most 256 allowed")
        );
        // A problem this client does not know (a newer daemon): the daemon's English message, not half a translation.
        let newer = invalid_status("totp-seed", "a-problem-from-the-future", &arguments);
        assert_eq!(localised(&newer, coffre_i18n::Lang::FrCa), None);
        assert_eq!(status_failure(&newer, &server(), None).message(), newer.message());
    }

    #[test]
    fn an_empty_daemon_message_still_says_something() {
        let failure = status_failure(&Status::permission_denied(""), &server(), None);
        assert_eq!(failure.exit_code(), 5);
        assert!(failure.message().starts_with("the daemon refused the request"));
    }
}
