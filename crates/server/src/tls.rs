//! The daemon's TLS identity: a certificate chain given by the administrator, or the daemon's own CA.
//!
//! Without a configured certificate, the first start creates `DATA_DIR/tls/` holding a self-made CA certificate
//! (`ca.pem`, ECDSA P-256, 10 years) and a server certificate signed by it (`server.pem`, 5 years, names
//! localhost, 127.0.0.1, ::1 and the configured hostnames) with its key (`server.key`, mode 0600). The CA's
//! private key is dropped as soon as the server certificate is signed: it never touches disk, so nobody can
//! issue another certificate under it. Renewing therefore means a new CA (remove `DATA_DIR/tls/`), and every
//! client pins the new fingerprint again. Later starts reuse the files.
//!
//! The server presents the chain [server certificate, CA certificate], so a client doing trust-on-first-use sees
//! the CA and can show its fingerprint (SHA-256 over the DER, 64 lowercase hex characters) for confirmation.

use std::{
    fs,
    io::{self, Write as _},
    os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _},
    path::{Path, PathBuf},
};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject as _};
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;
use tonic::transport::Identity;

use crate::config::TlsSettings;

/// The CA certificate's file name inside `DATA_DIR/tls/`.
pub const CA_FILE: &str = "ca.pem";
/// The server certificate's file name inside `DATA_DIR/tls/`.
pub const CERT_FILE: &str = "server.pem";
/// The server key's file name inside `DATA_DIR/tls/`.
pub const KEY_FILE: &str = "server.key";

const CA_DAYS: i64 = 10 * 365 + 2;
const SERVER_DAYS: i64 = 5 * 365 + 1;
/// Certificates start an hour in the past, so that a client whose clock is slightly behind accepts them.
const BACKDATE: time::Duration = time::Duration::hours(1);

/// The identity the daemon presents, and the certificate clients pin.
pub struct TlsMaterial {
    identity: Identity,
    ca_path: PathBuf,
    ca_fingerprint: String,
    chain_len: usize,
}

impl std::fmt::Debug for TlsMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsMaterial")
            .field("ca_path", &self.ca_path)
            .field("ca_fingerprint", &self.ca_fingerprint)
            .field("chain_len", &self.chain_len)
            .finish_non_exhaustive()
    }
}

impl TlsMaterial {
    /// Certificate chain and private key, for the TLS acceptor.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The certificate clients pin: `DATA_DIR/tls/ca.pem`, or the configured chain file.
    pub fn ca_path(&self) -> &Path {
        &self.ca_path
    }

    /// SHA-256 fingerprint of the pinned certificate: 64 lowercase hex characters. For a configured chain, the
    /// last (topmost) certificate of the chain.
    pub fn ca_fingerprint(&self) -> &str {
        &self.ca_fingerprint
    }

    /// Number of certificates the server presents.
    pub fn chain_len(&self) -> usize {
        self.chain_len
    }
}

/// Why the TLS identity could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read or written.
    #[error("cannot use {}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A file does not hold what it should.
    #[error("{}: {problem}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// Part of the generated TLS files is missing.
    #[error(
        "{} is missing. Restore it, or remove {} to create a new CA on the next start (every client must then \
         pin the new CA with `coffre connect`)",
        missing.display(), dir.display()
    )]
    Incomplete {
        /// The missing file.
        missing: PathBuf,
        /// The TLS directory.
        dir: PathBuf,
    },
    /// Certificate generation failed (including a configured hostname that is not a valid DNS name or IP).
    #[error("cannot create the TLS certificates")]
    Generate(#[from] rcgen::Error),
}

/// Loads the configured certificate chain, or the daemon's own CA from `DATA_DIR/tls/`, creating it on first
/// start.
pub fn load_or_create(data_dir: &Path, settings: &TlsSettings) -> Result<TlsMaterial, TlsError> {
    match &settings.files {
        Some(files) => load_configured(&files.cert, &files.key),
        None => load_or_create_own(data_dir, &settings.hostnames),
    }
}

/// SHA-256 fingerprint of the first certificate in `pem`: 64 lowercase hex characters.
pub fn fingerprint_pem(pem: &[u8]) -> Result<String, rustls_pki_types::pem::Error> {
    let der = CertificateDer::from_pem_slice(pem)?;
    Ok(fingerprint_der(&der))
}

/// SHA-256 fingerprint of a DER certificate: 64 lowercase hex characters.
pub fn fingerprint_der(der: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(der))
}

fn load_configured(cert: &Path, key: &Path) -> Result<TlsMaterial, TlsError> {
    let chain_pem = read(cert)?;
    let key_pem = read(key)?;
    warn_if_readable_by_others(key);
    let chain = parse_chain(cert, &chain_pem)?;
    check_key(key, &key_pem)?;
    let top = chain.last().map(|der| fingerprint_der(der)).unwrap_or_default();
    Ok(TlsMaterial {
        chain_len: chain.len(),
        identity: Identity::from_pem(chain_pem, key_pem),
        ca_path: cert.to_path_buf(),
        ca_fingerprint: top,
    })
}

fn load_or_create_own(data_dir: &Path, hostnames: &[String]) -> Result<TlsMaterial, TlsError> {
    let dir = data_dir.join("tls");
    if !dir.exists() {
        create_own(data_dir, &dir, hostnames)?;
    }
    let [ca, cert, key] = [CA_FILE, CERT_FILE, KEY_FILE].map(|name| dir.join(name));
    for path in [&ca, &cert, &key] {
        if !path.exists() {
            return Err(TlsError::Incomplete { missing: path.clone(), dir });
        }
    }
    let ca_pem = read(&ca)?;
    let cert_pem = read(&cert)?;
    let key_pem = read(&key)?;
    warn_if_readable_by_others(&key);
    let ca_chain = parse_chain(&ca, &ca_pem)?;
    let server_chain = parse_chain(&cert, &cert_pem)?;
    check_key(&key, &key_pem)?;
    let ca_fingerprint = ca_chain.first().map(|der| fingerprint_der(der)).unwrap_or_default();
    // The chain presented: the server certificate, then the CA, so that a trust-on-first-use client sees the CA.
    let mut chain_pem = cert_pem;
    if !chain_pem.ends_with(b"\n") {
        chain_pem.push(b'\n');
    }
    chain_pem.extend_from_slice(&ca_pem);
    Ok(TlsMaterial {
        identity: Identity::from_pem(chain_pem, key_pem),
        chain_len: server_chain.len() + ca_chain.len(),
        ca_path: ca,
        ca_fingerprint,
    })
}

/// Creates the CA and server certificate in a staging directory, then renames it to `dir`, so that a crash
/// halfway leaves either nothing or the complete set.
fn create_own(data_dir: &Path, dir: &Path, hostnames: &[String]) -> Result<(), TlsError> {
    let generated = generate(hostnames)?;
    let staging = data_dir.join("tls.new");
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|source| TlsError::Io { path: staging.clone(), source })?;
    }
    fs::DirBuilder::new()
        .mode(0o700)
        .create(&staging)
        .map_err(|source| TlsError::Io { path: staging.clone(), source })?;
    write_new(&staging.join(KEY_FILE), generated.key_pem.as_bytes(), 0o600)?;
    write_new(&staging.join(CERT_FILE), generated.server_pem.as_bytes(), 0o600)?;
    write_new(&staging.join(CA_FILE), generated.ca_pem.as_bytes(), 0o600)?;
    fs::rename(&staging, dir).map_err(|source| TlsError::Io { path: dir.to_path_buf(), source })?;
    sync_dir(data_dir)?;
    tracing::info!(dir = %dir.display(), "created a new CA and server certificate");
    Ok(())
}

struct Generated {
    ca_pem: String,
    server_pem: String,
    key_pem: String,
}

fn generate(hostnames: &[String]) -> Result<Generated, TlsError> {
    let now = OffsetDateTime::now_utc();
    let ca_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    // A suffix that tells one installation's CA from another's; drawn from the new random key, never from the
    // vault (which does not exist yet and must not be linkable from a certificate).
    let suffix = data_encoding::HEXLOWER.encode(&Sha256::digest(ca_key.public_key_raw())[..6]);
    let mut ca_params = CertificateParams::default();
    ca_params.distinguished_name = name(&format!("coffre CA {suffix}"));
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca_params.not_before = now - BACKDATE;
    ca_params.not_after = now + time::Duration::days(CA_DAYS);
    let ca_cert = ca_params.self_signed(&ca_key)?;

    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned(), "::1".to_owned()];
    let extra: Vec<String> = hostnames.iter().filter(|h| !names.contains(h)).cloned().collect();
    names.extend(extra);
    let mut params = CertificateParams::new(names)?;
    params.distinguished_name = name("coffred");
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    params.not_before = now - BACKDATE;
    params.not_after = now + time::Duration::days(SERVER_DAYS);
    let server_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let issuer = Issuer::new(ca_params, ca_key);
    let server_cert = params.signed_by(&server_key, &issuer)?;
    // The CA's private key ends here: nothing can be signed under this CA any more.
    drop(issuer);

    Ok(Generated { ca_pem: ca_cert.pem(), server_pem: server_cert.pem(), key_pem: server_key.serialize_pem() })
}

fn name(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name
}

fn parse_chain(path: &Path, pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let chain = CertificateDer::pem_slice_iter(pem).collect::<Result<Vec<_>, _>>().map_err(|err| {
        TlsError::Invalid { path: path.to_path_buf(), problem: format!("not a PEM certificate: {err}") }
    })?;
    if chain.is_empty() {
        return Err(TlsError::Invalid { path: path.to_path_buf(), problem: "holds no certificate".into() });
    }
    Ok(chain)
}

fn check_key(path: &Path, pem: &[u8]) -> Result<(), TlsError> {
    PrivateKeyDer::from_pem_slice(pem).map(drop).map_err(|err| TlsError::Invalid {
        path: path.to_path_buf(),
        problem: format!("not a PEM private key (PKCS#8, SEC1 or PKCS#1): {err}"),
    })
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    fs::read(path).map_err(|source| TlsError::Io { path: path.to_path_buf(), source })
}

/// Creates `path` (which must not exist) with `mode` from the start, so that a private key is never readable by
/// others, not even for an instant; then sets the mode again, since the umask may have removed bits.
fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<(), TlsError> {
    let io_err = |source| TlsError::Io { path: path.to_path_buf(), source };
    let mut file = fs::OpenOptions::new().write(true).create_new(true).mode(mode).open(path).map_err(io_err)?;
    file.set_permissions(fs::Permissions::from_mode(mode)).map_err(io_err)?;
    file.write_all(contents).map_err(io_err)?;
    file.sync_all().map_err(io_err)
}

fn sync_dir(dir: &Path) -> Result<(), TlsError> {
    fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|source| TlsError::Io { path: dir.to_path_buf(), source })
}

fn warn_if_readable_by_others(key: &Path) {
    if let Ok(meta) = fs::metadata(key) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(path = %key.display(), mode = format!("{mode:o}"), "TLS private key is readable by others; chmod 600 it");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).expect("file exists").permissions().mode() & 0o777
    }

    #[test]
    fn first_start_creates_the_files_and_later_starts_reuse_them() {
        let data = tempfile::tempdir().expect("tempdir");
        let settings = TlsSettings { files: None, hostnames: vec!["vault.example.org".into()] };
        let first = load_or_create(data.path(), &settings).expect("created");
        let tls = data.path().join("tls");
        let files = [CA_FILE, CERT_FILE, KEY_FILE].map(|f| fs::read(tls.join(f)).expect("file written"));
        assert_eq!(mode(&tls.join(KEY_FILE)), 0o600);
        assert_eq!(mode(&tls.join(CERT_FILE)), 0o600);
        assert_eq!(mode(&tls.join(CA_FILE)), 0o600);
        assert_eq!(mode(&tls), 0o700);
        assert!(!data.path().join("tls.new").exists());
        assert_eq!(first.ca_path(), tls.join(CA_FILE));
        assert_eq!(first.chain_len(), 2);

        let second = load_or_create(data.path(), &settings).expect("reused");
        assert_eq!(second.ca_fingerprint(), first.ca_fingerprint());
        assert_eq!([CA_FILE, CERT_FILE, KEY_FILE].map(|f| fs::read(tls.join(f)).expect("file kept")), files);
        assert_eq!(second.chain_len(), 2);
    }

    #[test]
    fn fingerprint_is_sha256_of_the_der_in_lowercase_hex() {
        let data = tempfile::tempdir().expect("tempdir");
        let material = load_or_create(data.path(), &TlsSettings::default()).expect("created");
        let pem = fs::read(material.ca_path()).expect("ca.pem");
        let fingerprint = fingerprint_pem(&pem).expect("a certificate");
        assert_eq!(fingerprint, material.ca_fingerprint());
        assert_eq!(fingerprint.len(), 64);
        assert!(fingerprint.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        let der = CertificateDer::from_pem_slice(&pem).expect("a certificate");
        assert_eq!(fingerprint, data_encoding::HEXLOWER.encode(&Sha256::digest(&der)));
    }

    #[test]
    fn two_installations_get_different_cas() {
        let (a, b) = (tempfile::tempdir().expect("tempdir"), tempfile::tempdir().expect("tempdir"));
        let a = load_or_create(a.path(), &TlsSettings::default()).expect("created");
        let b = load_or_create(b.path(), &TlsSettings::default()).expect("created");
        assert_ne!(a.ca_fingerprint(), b.ca_fingerprint());
    }

    #[test]
    fn a_missing_file_is_reported_not_silently_replaced() {
        let data = tempfile::tempdir().expect("tempdir");
        load_or_create(data.path(), &TlsSettings::default()).expect("created");
        fs::remove_file(data.path().join("tls").join(KEY_FILE)).expect("removed");
        let err = load_or_create(data.path(), &TlsSettings::default()).expect_err("incomplete");
        assert!(matches!(err, TlsError::Incomplete { .. }), "{err}");
        assert!(err.to_string().contains("server.key is missing"), "{err}");
    }

    #[test]
    fn a_configured_chain_is_used_as_given() {
        let data = tempfile::tempdir().expect("tempdir");
        let own = load_or_create(data.path(), &TlsSettings::default()).expect("created");
        let tls = data.path().join("tls");
        let chain = data.path().join("chain.pem");
        let mut pem = fs::read(tls.join(CERT_FILE)).expect("server.pem");
        pem.extend(fs::read(tls.join(CA_FILE)).expect("ca.pem"));
        fs::write(&chain, pem).expect("written");
        let files = crate::config::TlsFiles { cert: chain.clone(), key: tls.join(KEY_FILE) };
        let configured =
            load_or_create(data.path(), &TlsSettings { files: Some(files), hostnames: vec![] }).expect("loaded");
        assert_eq!(configured.ca_path(), chain);
        assert_eq!(configured.chain_len(), 2);
        // The topmost certificate of the chain is the one a client pins.
        assert_eq!(configured.ca_fingerprint(), own.ca_fingerprint());
    }

    #[test]
    fn garbage_instead_of_a_certificate_is_refused() {
        let data = tempfile::tempdir().expect("tempdir");
        let cert = data.path().join("cert.pem");
        let key = data.path().join("key.pem");
        fs::write(&cert, "not a certificate").expect("written");
        fs::write(&key, "not a key").expect("written");
        let files = crate::config::TlsFiles { cert, key };
        let err =
            load_or_create(data.path(), &TlsSettings { files: Some(files), hostnames: vec![] }).expect_err("garbage");
        assert!(err.to_string().contains("holds no certificate"), "{err}");
    }

    #[test]
    fn an_invalid_hostname_is_refused() {
        let data = tempfile::tempdir().expect("tempdir");
        let settings = TlsSettings { files: None, hostnames: vec!["bad name\u{e9}".into()] };
        assert!(matches!(load_or_create(data.path(), &settings), Err(TlsError::Generate(_))));
        assert!(!data.path().join("tls").exists());
    }
}
