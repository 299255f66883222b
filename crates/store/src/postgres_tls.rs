//! TLS to PostgreSQL: off (as before), or required and verified.
//!
//! With `[storage] ca_file`, every connection uses TLS (`sslmode=require`, never "prefer": a server that does not
//! accept TLS is refused, there is no fallback to plain text) and the server's certificate must chain to that CA
//! and name the host of the URL (rustls' WebPKI verification through `tokio-postgres-rustls`). Without it the
//! connections are plain, as they always were; the daemon warns at start when that traffic leaves the machine
//! ([`PgOptions::unencrypted_remote_hosts`]).

use std::{net::IpAddr, path::Path, sync::Arc};

use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::{CertificateDer, pem::PemObject as _};
use tokio_postgres::{
    Client, NoTls, Socket,
    config::{Host, SslMode},
    tls::MakeTlsConnect,
};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::{PgOptions, Result, StoreError};

/// How the store's connections are made.
#[derive(Clone)]
pub(crate) enum Connector {
    /// Plain TCP or a Unix socket (no `ca_file`).
    Plain,
    /// TLS, the server's certificate verified against the configured CA and the URL's host name.
    Verified(MakeRustlsConnect),
}

impl Connector {
    /// The connector `options` ask for, its CA read and checked; adjusts `config` to require TLS when it is on.
    /// A CA file that cannot be read or holds no certificate, or an address that cannot be verified (a Unix
    /// socket, no host name) or that turns TLS off, is a configuration error naming what to change.
    pub(crate) fn new(options: &PgOptions, config: &mut tokio_postgres::Config) -> Result<Self> {
        let Some(ca_file) = &options.ca_file else {
            if config.get_ssl_mode() == SslMode::Require {
                return Err(config_error(
                    "the database address asks for TLS (sslmode=require): name the CA that signed the database \
                     server's certificate with [storage] ca_file (--storage-ca-file, COFFRE_STORAGE_CA_FILE), so \
                     that coffred can verify it"
                        .into(),
                ));
            }
            return Ok(Connector::Plain);
        };
        if config.get_ssl_mode() == SslMode::Disable {
            return Err(config_error(
                "the database address turns TLS off (sslmode=disable) while [storage] ca_file asks for it: remove \
                 sslmode from the address"
                    .into(),
            ));
        }
        if config.get_hosts().is_empty() || config.get_hosts().iter().any(|host| matches!(host, Host::Unix(_))) {
            return Err(config_error(
                "[storage] ca_file verifies the database server's certificate against the host name of the address, \
                 so the address must name the host (postgresql://USER@HOST:PORT/DB); PostgreSQL has no TLS over a \
                 Unix socket"
                    .into(),
            ));
        }
        config.ssl_mode(SslMode::Require);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| config_error(format!("cannot set up TLS: {e}")))?
            .with_root_certificates(roots(ca_file)?)
            .with_no_client_auth();
        Ok(Connector::Verified(MakeRustlsConnect::new(tls)))
    }

    /// A new connection to the database; its connection task runs on the current runtime until it ends.
    pub(crate) async fn connect(&self, config: &tokio_postgres::Config) -> Result<Client, tokio_postgres::Error> {
        match self {
            Connector::Plain => connected(config, NoTls).await,
            Connector::Verified(tls) => connected(config, tls.clone()).await,
        }
    }

    /// A connection pool's manager over this connector.
    pub(crate) fn manager(
        &self,
        config: tokio_postgres::Config,
        manager: deadpool_postgres::ManagerConfig,
    ) -> deadpool_postgres::Manager {
        match self {
            Connector::Plain => deadpool_postgres::Manager::from_config(config, NoTls, manager),
            Connector::Verified(tls) => deadpool_postgres::Manager::from_config(config, tls.clone(), manager),
        }
    }
}

/// A new connection through `tls`, its connection task spawned: it ends when the connection does, and the client
/// then reports itself closed.
async fn connected<T>(config: &tokio_postgres::Config, tls: T) -> Result<Client, tokio_postgres::Error>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
{
    let (client, connection) = config.connect(tls).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// The certificates of the PEM file `path`, as the only roots of trust.
fn roots(path: &Path) -> Result<RootCertStore> {
    let pem = std::fs::read(path)
        .map_err(|e| config_error(format!("cannot read the CA file {} ([storage] ca_file): {e}", path.display())))?;
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| {
            config_error(format!("the CA file {} ([storage] ca_file) is not valid PEM: {e}", path.display()))
        })?;
        roots.add(cert).map_err(|e| {
            config_error(format!(
                "the CA file {} ([storage] ca_file) holds a certificate that cannot be used: {e}",
                path.display()
            ))
        })?;
    }
    if roots.is_empty() {
        return Err(config_error(format!(
            "the CA file {} ([storage] ca_file) holds no certificate: it must hold the PEM certificate \
             (-----BEGIN CERTIFICATE-----) of the CA that signed the database server's certificate",
            path.display()
        )));
    }
    Ok(roots)
}

fn config_error(problem: String) -> StoreError {
    StoreError::Config { problem }
}

/// What a failed TLS setup says, if `e` is one: the server refused TLS, or its certificate did not verify (rustls'
/// own words: unknown issuer, not valid for this name, expired...).
pub(crate) fn tls_failure(e: &tokio_postgres::Error) -> Option<String> {
    // tokio-postgres has no public error kind; its TLS errors are the ones that say this, and the store's TLS tests
    // (a wrong CA, a server without TLS) fail if that ever changes.
    if e.to_string() != "error performing TLS handshake" {
        return None;
    }
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        if let Some(rustls) = rustls_error(cause) {
            return Some(format!("the database server's certificate was refused: {rustls}"));
        }
        source = cause.source();
    }
    let cause = std::error::Error::source(e).map(ToString::to_string).unwrap_or_default();
    if cause.contains("does not support TLS") {
        return Some("the database server does not accept TLS connections (ssl = off in its configuration)".into());
    }
    Some(cause)
}

fn rustls_error<'a>(cause: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    cause
        .downcast_ref::<rustls::Error>()
        .or_else(|| cause.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()).and_then(|e| e.downcast_ref()))
}

impl PgOptions {
    /// The hosts of the address that are neither this machine (loopback) nor a Unix socket, when TLS is off: the
    /// traffic to them, the vault's sealed records and the database role's password exchange, crosses a network in
    /// plain text. Empty with `ca_file`, or when every host is local.
    pub fn unencrypted_remote_hosts(&self) -> Vec<String> {
        if self.ca_file.is_some() {
            return Vec::new();
        }
        let Ok(config) = self.url.parse::<tokio_postgres::Config>() else { return Vec::new() };
        config
            .get_hosts()
            .iter()
            .filter_map(|host| match host {
                Host::Tcp(name) if !is_loopback(name) => Some(name.clone()),
                _ => None,
            })
            .collect()
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_host_off_this_machine_without_tls_is_worth_a_warning() {
        let remote = |url: &str| PgOptions::new(url, "coffre").unencrypted_remote_hosts();
        assert!(remote("postgresql://coffre@127.0.0.1:5432/coffre").is_empty());
        assert!(remote("postgresql://coffre@localhost/coffre").is_empty());
        assert!(remote("postgresql://coffre@[::1]:5432/coffre").is_empty());
        assert!(remote("host=/run/postgresql user=coffre dbname=coffre").is_empty());
        assert_eq!(remote("postgresql://coffre@db.example:5432/coffre"), ["db.example"]);
        assert_eq!(remote("postgresql://coffre@10.0.0.5/coffre"), ["10.0.0.5"]);
        let mut options = PgOptions::new("postgresql://coffre@db.example:5432/coffre", "coffre");
        options.ca_file = Some("/etc/coffre/db-ca.pem".into());
        assert!(options.unencrypted_remote_hosts().is_empty());
    }

    #[test]
    fn a_ca_file_that_is_missing_empty_or_not_pem_is_a_configuration_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "").unwrap();
        let garbage = dir.path().join("garbage.pem");
        std::fs::write(&garbage, "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n").unwrap();
        for file in [missing, empty, garbage] {
            let mut options = PgOptions::new("postgresql://coffre@db.example/coffre", "coffre");
            options.ca_file = Some(file.clone());
            let err = options.check().expect_err("no usable CA");
            assert!(matches!(err, StoreError::Config { .. }), "{err}");
            assert!(err.to_string().contains(&file.display().to_string()), "names the file: {err}");
        }
    }

    #[test]
    fn tls_needs_a_host_name_to_verify_and_cannot_be_turned_off_by_the_address() {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap().self_signed(&key).unwrap();
        std::fs::write(&ca, cert.pem()).unwrap();
        let with_ca = |url: &str| {
            let mut options = PgOptions::new(url, "coffre");
            options.ca_file = Some(ca.clone());
            options.check()
        };
        assert!(with_ca("postgresql://coffre@db.example/coffre").is_ok());
        assert!(with_ca("postgresql://coffre@db.example/coffre?sslmode=prefer").is_ok());
        for bad in ["host=/run/postgresql user=coffre", "postgresql://coffre@db.example/coffre?sslmode=disable"] {
            let err = with_ca(bad).expect_err(bad);
            assert!(matches!(err, StoreError::Config { .. }), "{err}");
        }
        // Without a CA, an address that insists on TLS is told how to get it verified.
        let err = PgOptions::new("postgresql://coffre@db.example/coffre?sslmode=require", "coffre")
            .check()
            .expect_err("TLS without a CA");
        assert!(err.to_string().contains("ca_file"), "{err}");
    }
}
