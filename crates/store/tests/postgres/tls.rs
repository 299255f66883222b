//! TLS to PostgreSQL against real servers: a cluster of this test's own with TLS on (`.ci/postgres start-tls`,
//! its certificate made here by a CA made here), and the plain cluster of the run (`COFFRE_TEST_POSTGRES`).
//! Skipped (said so) where PostgreSQL is not installed or not running, unless `COFFRE_REQUIRE_POSTGRES` is set (CI).

// Test helpers panic on what they cannot use, as the tests themselves do.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use coffre_store::{Batch, PgOptions, PgStore, Store, StoreError};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

use crate::cluster::Cluster;

/// A CA, and the PEM of its certificate.
struct Ca {
    issuer: Issuer<'static, KeyPair>,
    pem: String,
}

impl Ca {
    fn new(name: &str) -> Ca {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        let pem = params.self_signed(&key).unwrap().pem();
        Ca { issuer: Issuer::new(params, key), pem }
    }

    /// A server certificate for `host`, and its key, in PEM.
    fn server(&self, host: &str) -> (String, String) {
        let key = KeyPair::generate().unwrap();
        let params = CertificateParams::new(vec![host.to_string()]).unwrap();
        (params.signed_by(&key, &self.issuer).unwrap().pem(), key.serialize_pem())
    }
}

impl Cluster {
    /// The two columns of `query`'s one row, run by the administrator over the cluster's Unix socket.
    fn admin(&self, query: &str) -> (i64, bool) {
        let port = std::fs::read_to_string(self.pg_dir().join("port")).unwrap();
        let socket = format!("host={} port={} user=postgres dbname=postgres", self.pg_dir().display(), port.trim());
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (client, connection) = tokio_postgres::connect(&socket, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(connection);
            let row = client.query_one(query, &[]).await.unwrap();
            (row.get(0), row.get(1))
        })
    }
}

/// Options for `url` that trust the CA whose certificate is `ca_pem` (written to a file in `dir`).
fn options_with_ca(url: &str, dir: &Path, ca_pem: &str) -> PgOptions {
    let ca_file = dir.join(format!("ca-{}.pem", ca_pem.len()));
    std::fs::write(&ca_file, ca_pem).unwrap();
    let mut options = PgOptions::new(url, "tls");
    options.ca_file = Some(ca_file);
    options.timeout = std::time::Duration::from_secs(20);
    options
}

fn refused(options: &PgOptions) -> StoreError {
    PgStore::open(options).expect_err("refused")
}

#[test]
fn tls_verified_against_the_configured_ca_works_and_anything_else_is_refused() {
    let ca = Ca::new("coffre test database CA");
    let (cert, key) = ca.server("localhost");
    let Some(cluster) = Cluster::start(Some((&cert, &key))) else { return };
    assert!(cluster.url.contains("@localhost:"), "the name the certificate holds: {}", cluster.url);
    let files = tempfile::tempdir().unwrap();

    // The right CA and the name the certificate holds: open, write, read back.
    let url = format!("{}?application_name=coffre_tls", cluster.url);
    let mut options = options_with_ca(&url, files.path(), &ca.pem);
    options.password = Some("never-shown-pw".into());
    let store = PgStore::open(&options).unwrap();
    let mut batch = Batch::default();
    batch.insert(b"e/1".to_vec(), b"sealed over TLS".to_vec());
    store.apply(batch).unwrap();
    assert_eq!(store.get(b"e/1").unwrap().as_deref(), Some(&b"sealed over TLS"[..]));
    // The server's own view: every connection of the store is TLS.
    let (connections, all_tls) = cluster.admin(
        "SELECT count(*), coalesce(bool_and(s.ssl), false) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
         WHERE a.application_name = 'coffre_tls'",
    );
    assert!(connections > 0 && all_tls, "{connections} connections, all TLS: {all_tls}");
    drop(store);
    let shown = format!("{options:?}");
    assert!(!shown.contains("never-shown-pw") && !shown.contains("BEGIN CERTIFICATE"), "{shown}");

    // Another CA: the certificate does not verify.
    let other = Ca::new("someone else's CA");
    let err = refused(&options_with_ca(&cluster.url, files.path(), &other.pem));
    assert!(matches!(err, StoreError::Tls { .. }), "{err}");
    assert!(err.to_string().contains("certificate"), "says the certificate was refused: {err}");

    // The right CA, but the address names a host the certificate does not (127.0.0.1, not localhost).
    let by_address = cluster.url.replace("@localhost:", "@127.0.0.1:");
    let err = refused(&options_with_ca(&by_address, files.path(), &ca.pem));
    assert!(matches!(err, StoreError::Tls { .. }), "{err}");
}

#[test]
fn a_server_without_tls_is_refused_when_a_ca_is_configured() {
    let url = match std::env::var("COFFRE_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                std::env::var_os("COFFRE_REQUIRE_POSTGRES").is_none(),
                "COFFRE_REQUIRE_POSTGRES is set but COFFRE_TEST_POSTGRES is not: start a cluster with .ci/postgres"
            );
            eprintln!("no PostgreSQL to test against (COFFRE_TEST_POSTGRES is not set): skipped");
            return;
        }
    };
    // The run's cluster has TLS off (.ci/postgres start). The CA is never used: there is no handshake.
    let ca = Ca::new("coffre test database CA");
    let files = tempfile::tempdir().unwrap();
    let err = refused(&options_with_ca(&url, files.path(), &ca.pem));
    assert!(matches!(err, StoreError::Tls { .. }), "{err}");
    assert!(err.to_string().contains("does not accept TLS"), "says why: {err}");
    // Without the CA, the same server is used as before, in plain text.
    let plain = PgOptions::new(url, format!("t_plain_{}", std::process::id()));
    assert!(PgStore::open(&plain).is_ok());
}
