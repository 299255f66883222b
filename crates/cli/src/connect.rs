//! `coffre connect ADDRESS`: pin the daemon's CA by trust on first use, the way ssh pins a host key.
//!
//! 1. A TLS handshake with a verifier that accepts any certificate chain but records it. It still checks the
//!    handshake signature (ring's `verify_tls12_signature` / `verify_tls13_signature`), so the server proves it
//!    holds the key of the certificate it presented.
//! 2. The last certificate of the chain is the daemon's CA (coffred presents [server certificate, CA]). Its
//!    SHA-256 fingerprint is shown and must be confirmed: by `--fingerprint`, by `--yes`, or by a person at the
//!    terminal comparing it with the one coffred printed.
//! 3. A real, verified connection with that CA as the only trust anchor (`GetStatus`), and only then the CA and
//!    the address are saved.

use std::{
    io::{self, BufRead, IsTerminal, Write},
    sync::{Arc, Mutex, PoisonError},
};

use clap::Args;
use coffre_proto::v1::GetStatusRequest;
use data_encoding::{BASE64, HEXLOWER};
use rustls::{
    DigitallySignedStruct, SignatureScheme,
    client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    crypto::{WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature},
};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use serde::Serialize;
use sha2::{Digest, Sha256};

use coffre_i18n::t;

use crate::{
    Context,
    client::{Trust, open_channel, status_failure},
    config::{self, Origin, ServerUrl, Stored, Target},
    exit::{Failure, Kind},
    output::{emit, note},
    values::seal_state_name,
};

/// Options of `coffre connect`.
#[derive(Debug, Args)]
pub(crate) struct ConnectArgs {
    /// The daemon's address: https://HOST:PORT, or HOST:PORT (the port defaults to 7443).
    #[arg(value_name = "ADDRESS")]
    address: String,
    /// The SHA-256 fingerprint coffred printed at its first start (64 hex digits; colons and spaces are ignored).
    /// The CA is saved only if it matches.
    #[arg(long, value_name = "HEX")]
    fingerprint: Option<String>,
    /// Trust the CA without asking. Only for scripts on the daemon's own machine.
    #[arg(long, conflicts_with = "fingerprint")]
    yes: bool,
}

/// What `connect` prints with `--json`.
#[derive(Serialize)]
struct Connected {
    server: String,
    fingerprint: String,
    config: String,
    state: &'static str,
}

pub(crate) async fn run(args: &ConnectArgs, ctx: &Context) -> Result<(), Failure> {
    let server = ServerUrl::parse(&args.address)?;
    let expected = args.fingerprint.as_deref().map(parse_fingerprint).transpose()?;
    let dir = config::config_dir(ctx.env()).ok_or_else(|| Failure::other(t!("connect-no-config-dir")))?;

    let ca_der = match ctx.explicit_ca() {
        // A CA given with --ca or COFFRE_CA is trusted as given: no first-use step.
        Some(path) => {
            let ca_der = first_certificate(&config::read_ca(&path, &Origin::Flag)?)?;
            if let Some(expected) = expected.as_deref() {
                confirm(&fingerprint(&ca_der), Some(expected), false)?;
            }
            ca_der
        }
        None => {
            let ca_der = fetch_ca(&server).await?;
            let fingerprint = fingerprint(&ca_der);
            note(&t!(
                "connect-presented",
                server = server.as_str(),
                grouped = grouped(&fingerprint),
                fingerprint = fingerprint.as_str()
            ));
            if expected.is_none() && !args.yes {
                note(&format!("\n{}\n", t!("connect-where-fingerprint")));
            }
            confirm(&fingerprint, expected.as_deref(), args.yes)?;
            ca_der
        }
    };
    let fingerprint = fingerprint(&ca_der);
    let ca_pem = to_pem(&ca_der);

    // A real connection: the server certificate must chain to that CA and be valid for the host.
    let target = Target { server: server.clone(), ca_pem: ca_pem.clone().into_bytes() };
    let channel = open_channel(&target.server, Trust::Presented(&target.ca_pem)).await?;
    let mut system = coffre_proto::v1::system_service_client::SystemServiceClient::new(channel);
    let status =
        system.get_status(GetStatusRequest {}).await.map_err(|s| status_failure(&s, &server, None))?.into_inner();

    let stored = Stored { server: server.as_str().to_owned(), fingerprint: Some(fingerprint.clone()) };
    let path = config::save_stored(&dir, &stored, &ca_pem)?;
    let state = seal_state_name(status.state);
    let connected = Connected { server: stored.server, fingerprint, config: path.display().to_string(), state };
    emit(ctx.json(), &connected, || {
        let next = match state {
            "uninitialised" => t!("next-init"),
            "sealed" => t!("next-unseal-owner"),
            // Whoever connects may not have enrolled yet: say both ways in.
            _ => t!("next-login-or-enroll"),
        };
        let done = t!(
            "connect-done",
            server = connected.server.as_str(),
            state = t!("state-name", state = state),
            config = connected.config.as_str()
        );
        format!("{done}\n{}", t!("next-line", next = next))
    })
}

/// Asks for (or checks) the confirmation that the fingerprint is the daemon's.
fn confirm(fingerprint: &str, expected: Option<&str>, yes: bool) -> Result<(), Failure> {
    if let Some(expected) = expected {
        if expected == fingerprint {
            return Ok(());
        }
        return Err(Failure::new(
            Kind::Unavailable,
            t!("connect-mismatch", expected = expected, presented = fingerprint),
        ));
    }
    if yes {
        return Ok(());
    }
    if !io::stdin().is_terminal() {
        return Err(Failure::invalid(t!("connect-no-terminal")));
    }
    eprint!("{}", t!("connect-confirm-prompt"));
    let _ = io::stderr().flush();
    let mut answer = String::new();
    io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|err| Failure::other(t!("connect-cannot-read-answer", reason = err.to_string())))?;
    if coffre_i18n::is_yes(&answer) { Ok(()) } else { Err(Failure::other(t!("connect-not-confirmed"))) }
}

/// The handshake of step 1: returns the last certificate the server presented.
async fn fetch_ca(server: &ServerUrl) -> Result<Vec<u8>, Failure> {
    let recorder = Arc::new(FirstUse::new());
    open_channel(server, Trust::FirstUse(recorder.clone())).await?;
    let chain = recorder.chain.lock().unwrap_or_else(PoisonError::into_inner);
    chain
        .last()
        .map(|der| der.to_vec())
        .ok_or_else(|| Failure::new(Kind::Unavailable, format!("{} presented no certificate", server.as_str())))
}

/// Accepts any certificate chain and records it; still verifies handshake signatures.
#[derive(Debug)]
struct FirstUse {
    chain: Mutex<Vec<CertificateDer<'static>>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl FirstUse {
    fn new() -> Self {
        FirstUse {
            chain: Mutex::new(Vec::new()),
            algorithms: rustls::crypto::ring::default_provider().signature_verification_algorithms,
        }
    }
}

impl ServerCertVerifier for FirstUse {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let mut chain = self.chain.lock().unwrap_or_else(PoisonError::into_inner);
        *chain = std::iter::once(end_entity).chain(intermediates).map(|der| der.clone().into_owned()).collect();
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// SHA-256 over the certificate's DER, 64 lowercase hex digits (as coffred prints it).
pub(crate) fn fingerprint(der: &[u8]) -> String {
    HEXLOWER.encode(&Sha256::digest(der))
}

/// The fingerprint in groups of four, easier to compare aloud.
pub(crate) fn grouped(fingerprint: &str) -> String {
    let groups: Vec<&str> =
        fingerprint.as_bytes().chunks(4).map(|chunk| std::str::from_utf8(chunk).unwrap_or("????")).collect();
    groups.join(" ")
}

/// Accepts a fingerprint typed with any case, colons or spaces.
pub(crate) fn parse_fingerprint(input: &str) -> Result<String, Failure> {
    let hex: String = input.chars().filter(|c| !matches!(c, ':' | ' ' | '-')).map(|c| c.to_ascii_lowercase()).collect();
    if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(hex)
    } else {
        Err(Failure::invalid(format!(
            "--fingerprint {input} is not a SHA-256 fingerprint: give the 64 hexadecimal digits coffred printed"
        )))
    }
}

/// PEM encoding of one certificate.
pub(crate) fn to_pem(der: &[u8]) -> String {
    let base64 = BASE64.encode(der);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in base64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}

/// The first certificate of a PEM file (a CA file given with `--ca` holds the CA first).
pub(crate) fn first_certificate(pem: &[u8]) -> Result<Vec<u8>, Failure> {
    use rustls_pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem)
        .find_map(Result::ok)
        .map(|der| der.to_vec())
        .ok_or_else(|| Failure::invalid(t!("ca-file-no-pem")))
}

#[cfg(test)]
mod tests {
    use rustls_pki_types::pem::PemObject;

    use super::*;

    #[test]
    fn the_fingerprint_is_sha256_of_the_der_in_lowercase_hex() {
        // SHA-256 of the empty string.
        assert_eq!(fingerprint(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(grouped("0123456789abcdef"), "0123 4567 89ab cdef");
    }

    #[test]
    fn fingerprints_are_accepted_in_the_usual_spellings() -> Result<(), Failure> {
        let plain = fingerprint(b"ca");
        let colons: String = plain
            .to_ascii_uppercase()
            .as_bytes()
            .chunks(2)
            .map(|pair| String::from_utf8_lossy(pair).into_owned())
            .collect::<Vec<_>>()
            .join(":");
        assert_eq!(parse_fingerprint(&colons)?, plain);
        assert_eq!(parse_fingerprint(&grouped(&plain))?, plain);
        assert!(parse_fingerprint("abc").is_err());
        assert!(parse_fingerprint(&"g".repeat(64)).is_err());
        Ok(())
    }

    #[test]
    fn pem_encoding_round_trips() -> Result<(), Box<dyn std::error::Error>> {
        let der: Vec<u8> = (0..=255u8).cycle().take(700).collect();
        let pem = to_pem(&der);
        assert!(pem.lines().all(|line| line.len() <= 64));
        let parsed = CertificateDer::from_pem_slice(pem.as_bytes())?;
        assert_eq!(parsed.as_ref(), der.as_slice());
        assert_eq!(first_certificate(pem.as_bytes())?, der);
        Ok(())
    }

    #[test]
    fn a_mismatching_fingerprint_is_refused_with_a_warning() {
        let presented = fingerprint(b"presented");
        let expected = fingerprint(b"expected");
        let err = confirm(&presented, Some(&expected), false).err();
        assert!(err.as_ref().is_some_and(|e| e.message().starts_with("WARNING: the fingerprint does not match")));
        assert_eq!(err.map(|e| e.exit_code()), Some(9));
        assert!(confirm(&presented, Some(&presented), false).is_ok());
        assert!(confirm(&presented, None, true).is_ok());
    }
}
