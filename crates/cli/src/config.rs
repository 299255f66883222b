//! Which daemon to talk to and which CA to trust: `--server` / `--ca` flags, then the `COFFRE_SERVER` /
//! `COFFRE_CA` environment variables, then the client configuration written by `coffre connect` (config.toml and
//! ca.pem in the user's configuration directory, or in `COFFRE_CONFIG_DIR`).

use std::{
    ffi::OsString,
    fs,
    path::{Path, PathBuf},
};

use coffre_i18n::t;
use rustls_pki_types::{CertificateDer, pem::PemObject};
use serde::{Deserialize, Serialize};
use tonic::codegen::http::Uri;

use crate::exit::{Failure, io_reason};

/// The port coffred listens on when an address gives none.
pub(crate) const DEFAULT_PORT: u16 = 7443;

/// Reads environment variables; the process environment in the binary, a table in tests.
pub(crate) trait Env {
    /// The variable's value; `None` when unset or empty.
    fn var(&self, name: &str) -> Option<OsString>;
}

/// The process environment.
pub(crate) struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<OsString> {
        std::env::var_os(name).filter(|value| !value.is_empty())
    }
}

/// A daemon's address, normalised to `https://HOST:PORT` so that one daemon has one spelling (sessions are bound
/// to it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ServerUrl {
    url: String,
    host: String,
}

impl ServerUrl {
    /// Parses `https://HOST[:PORT]` or `HOST[:PORT]`; the port defaults to 7443. `http://` is refused.
    pub(crate) fn parse(input: &str) -> Result<ServerUrl, Failure> {
        let input = input.trim();
        let with_scheme = match input.split_once("://") {
            Some((scheme, _)) if scheme.eq_ignore_ascii_case("https") => input.to_owned(),
            Some((scheme, _)) if scheme.eq_ignore_ascii_case("http") => {
                return Err(Failure::invalid(t!("address-not-tls", scheme = scheme, input = input)));
            }
            Some((scheme, _)) => {
                return Err(Failure::invalid(t!("address-unsupported", scheme = scheme, input = input)));
            }
            None => format!("https://{input}"),
        };
        let bad = || Failure::invalid(t!("address-invalid", input = input));
        let uri: Uri = with_scheme.parse().map_err(|_| bad())?;
        let authority = uri.authority().ok_or_else(bad)?;
        if authority.as_str().contains('@') || uri.query().is_some() || !matches!(uri.path(), "" | "/") {
            return Err(bad());
        }
        let host = authority.host().trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        if host.is_empty() {
            return Err(bad());
        }
        let port = authority.port_u16().unwrap_or(DEFAULT_PORT);
        let url =
            if host.contains(':') { format!("https://[{host}]:{port}") } else { format!("https://{host}:{port}") };
        Ok(ServerUrl { url, host })
    }

    /// `https://HOST:PORT`.
    pub(crate) fn as_str(&self) -> &str {
        &self.url
    }

    /// The name the certificate must be valid for: the host, without brackets for an IPv6 literal. rustls turns
    /// an IP literal into `ServerName::IpAddress`, which is checked against the certificate's IP SANs.
    pub(crate) fn tls_host(&self) -> &str {
        &self.host
    }
}

/// Where a setting came from, for messages that say what to change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// `--server` / `--ca`.
    Flag,
    /// `COFFRE_SERVER` / `COFFRE_CA`.
    Env,
    /// The client configuration written by `coffre connect`.
    Config,
}

/// The daemon to talk to and the CA certificate(s) it must chain to.
pub(crate) struct Target {
    pub(crate) server: ServerUrl,
    pub(crate) ca_pem: Vec<u8>,
}

/// The client configuration file, config.toml. The pinned CA is ca.pem beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stored {
    /// `https://HOST:PORT`.
    pub(crate) server: String,
    /// SHA-256 fingerprint of ca.pem (lowercase hex), as confirmed at `coffre connect`; informative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) fingerprint: Option<String>,
}

/// The directory of config.toml and ca.pem: `COFFRE_CONFIG_DIR`, else the user's configuration directory.
pub(crate) fn config_dir(env: &dyn Env) -> Option<PathBuf> {
    if let Some(dir) = env.var("COFFRE_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "coffre").map(|dirs| dirs.config_dir().to_path_buf())
}

/// Reads config.toml from `dir`; `None` when there is none.
pub(crate) fn load_stored(dir: &Path) -> Result<Option<Stored>, Failure> {
    let path = dir.join("config.toml");
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(Failure::other(t!(
                "file-cannot-read",
                path = path.display().to_string(),
                reason = io_reason(&err)
            )));
        }
    };
    toml::from_str(&text)
        .map(Some)
        .map_err(|err| Failure::other(t!("config-invalid", path = path.display().to_string(), reason = err.message())))
}

/// Writes ca.pem and config.toml into `dir`, each replaced atomically (written beside, then renamed).
pub(crate) fn save_stored(dir: &Path, stored: &Stored, ca_pem: &str) -> Result<PathBuf, Failure> {
    let cannot = |path: &Path, err: std::io::Error| {
        Failure::other(t!("file-cannot-write", path = path.display().to_string(), reason = io_reason(&err)))
    };
    fs::create_dir_all(dir).map_err(|err| cannot(dir, err))?;
    let text =
        toml::to_string(stored).map_err(|err| Failure::other(t!("config-cannot-encode", reason = err.to_string())))?;
    let config =
        format!("# Written by `coffre connect`. The pinned CA certificate is ca.pem, beside this file.\n{text}");
    for (name, content) in [("ca.pem", ca_pem), ("config.toml", config.as_str())] {
        let path = dir.join(name);
        let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        fs::write(&temporary, content).map_err(|err| cannot(&temporary, err))?;
        fs::rename(&temporary, &path).map_err(|err| cannot(&path, err))?;
    }
    Ok(dir.join("config.toml"))
}

/// Decides the server and the CA: flag, then environment, then the stored configuration.
pub(crate) fn resolve(flag_server: Option<&str>, flag_ca: Option<&Path>, env: &dyn Env) -> Result<Target, Failure> {
    let env_server = env.var("COFFRE_SERVER");
    let env_ca = env.var("COFFRE_CA").map(PathBuf::from);
    let dir = config_dir(env);
    // The stored configuration is read only when a setting is missing, so a broken one cannot stand in the way
    // of explicit settings.
    let stored = match (flag_server.is_some() || env_server.is_some(), flag_ca.is_some() || env_ca.is_some(), &dir) {
        (true, true, _) | (_, _, None) => None,
        (_, _, Some(dir)) => load_stored(dir)?,
    };
    let (server, server_origin) = if let Some(server) = flag_server {
        (server.to_owned(), Origin::Flag)
    } else if let Some(server) = env_server {
        (server.to_string_lossy().into_owned(), Origin::Env)
    } else if let Some(stored) = &stored {
        (stored.server.clone(), Origin::Config)
    } else {
        return Err(Failure::invalid(t!("no-server")));
    };
    let server = ServerUrl::parse(&server).map_err(|failure| match server_origin {
        Origin::Flag => failure,
        Origin::Env => Failure::invalid(format!("COFFRE_SERVER: {failure}")),
        Origin::Config => Failure::invalid(t!("config-server-invalid", message = failure.message())),
    })?;
    let (ca_path, ca_origin) = if let Some(path) = flag_ca {
        (path.to_path_buf(), Origin::Flag)
    } else if let Some(path) = env_ca {
        (path, Origin::Env)
    } else if let (Some(_), Some(dir)) = (&stored, &dir) {
        (dir.join("ca.pem"), Origin::Config)
    } else {
        return Err(Failure::invalid(t!("no-ca", server = server.as_str())));
    };
    let ca_pem = read_ca(&ca_path, &ca_origin)?;
    Ok(Target { server, ca_pem })
}

/// Reads a CA file and checks that it holds at least one PEM certificate (tonic would silently skip anything
/// else and then fail every handshake with a less helpful message).
pub(crate) fn read_ca(path: &Path, origin: &Origin) -> Result<Vec<u8>, Failure> {
    let what_to_do = match origin {
        Origin::Flag | Origin::Env => t!("ca-check-flag"),
        Origin::Config => t!("ca-connect-again"),
    };
    let pem = fs::read(path).map_err(|err| {
        Failure::invalid(t!(
            "ca-cannot-read",
            path = path.display().to_string(),
            reason = io_reason(&err),
            next = what_to_do.as_str()
        ))
    })?;
    let certificates = CertificateDer::pem_slice_iter(&pem).filter(Result::is_ok).count();
    if certificates == 0 {
        return Err(Failure::invalid(t!("ca-no-pem", path = path.display().to_string(), next = what_to_do.as_str())));
    }
    Ok(pem)
}

/// An environment given as a table, for tests.
#[cfg(test)]
pub(crate) struct TableEnv(pub(crate) std::collections::HashMap<&'static str, OsString>);

#[cfg(test)]
impl Env for TableEnv {
    fn var(&self, name: &str) -> Option<OsString> {
        self.0.get(name).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CA: &str = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";

    fn setup() -> Result<(tempfile::TempDir, PathBuf, PathBuf), Box<dyn std::error::Error>> {
        let temp = tempfile::tempdir()?;
        let config = temp.path().join("config");
        save_stored(&config, &Stored { server: "https://stored.example:7443".into(), fingerprint: None }, CA)?;
        let other_ca = temp.path().join("other.pem");
        fs::write(&other_ca, CA)?;
        Ok((temp, config, other_ca))
    }

    fn env(pairs: &[(&'static str, &Path)]) -> TableEnv {
        TableEnv(pairs.iter().map(|(k, v)| (*k, v.as_os_str().to_owned())).collect())
    }

    #[test]
    fn urls_are_normalised() -> Result<(), Failure> {
        assert_eq!(ServerUrl::parse("https://127.0.0.1:7443")?.as_str(), "https://127.0.0.1:7443");
        assert_eq!(ServerUrl::parse("127.0.0.1:9000")?.as_str(), "https://127.0.0.1:9000");
        assert_eq!(ServerUrl::parse("Vault.Example.ORG")?.as_str(), "https://vault.example.org:7443");
        assert_eq!(ServerUrl::parse("HTTPS://localhost:7443/")?.as_str(), "https://localhost:7443");
        let v6 = ServerUrl::parse("https://[::1]:7443")?;
        assert_eq!((v6.as_str(), v6.tls_host()), ("https://[::1]:7443", "::1"));
        Ok(())
    }

    #[test]
    fn plain_http_and_odd_addresses_are_refused() {
        for bad in ["http://127.0.0.1:7443", "ftp://x", "https://user@host:1", "https://host:1/path", "https://"] {
            let err = ServerUrl::parse(bad).err();
            assert_eq!(err.map(|e| e.exit_code()), Some(8), "{bad}");
        }
        let err = ServerUrl::parse("http://127.0.0.1:7443").err();
        assert!(err.is_some_and(|e| e.message().starts_with("coffre only speaks TLS")));
    }

    #[test]
    fn flag_beats_environment_beats_stored_configuration() -> Result<(), Box<dyn std::error::Error>> {
        let (_temp, config, other_ca) = setup()?;
        let server_env = Path::new("https://env.example:1");
        let full = env(&[("COFFRE_CONFIG_DIR", &config), ("COFFRE_SERVER", server_env)]);
        let target = resolve(Some("https://flag.example:2"), Some(&other_ca), &full)?;
        assert_eq!(target.server.as_str(), "https://flag.example:2");
        let target = resolve(None, None, &full)?;
        assert_eq!(target.server.as_str(), "https://env.example:1");
        let stored_only = env(&[("COFFRE_CONFIG_DIR", &config)]);
        let target = resolve(None, None, &stored_only)?;
        assert_eq!(target.server.as_str(), "https://stored.example:7443");
        assert_eq!(target.ca_pem, CA.as_bytes());
        Ok(())
    }

    #[test]
    fn ca_flag_beats_ca_environment() -> Result<(), Box<dyn std::error::Error>> {
        let (temp, config, other_ca) = setup()?;
        let missing = temp.path().join("missing.pem");
        let with_env = env(&[("COFFRE_CONFIG_DIR", &config), ("COFFRE_CA", &missing)]);
        assert!(resolve(None, Some(&other_ca), &with_env).is_ok());
        let err = resolve(None, None, &with_env).err().map(|e| e.message().to_owned()).unwrap_or_default();
        assert!(err.starts_with("cannot read the CA certificate"), "{err}");
        assert!(err.ends_with("check --ca / COFFRE_CA"), "{err}");
        Ok(())
    }

    #[test]
    fn nothing_configured_says_how_to_configure() -> Result<(), Box<dyn std::error::Error>> {
        let temp = tempfile::tempdir()?;
        let empty = env(&[("COFFRE_CONFIG_DIR", temp.path())]);
        let err = resolve(None, None, &empty).err();
        assert!(err.is_some_and(|e| e.message().starts_with("no server configured: run `coffre connect ADDRESS`")));
        let err = resolve(Some("localhost:1"), None, &empty).err();
        assert!(err.is_some_and(|e| e.message().starts_with("no CA certificate to check https://localhost:1")));
        Ok(())
    }

    #[test]
    fn a_file_without_a_certificate_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        let mut file = tempfile::NamedTempFile::new()?;
        std::io::Write::write_all(&mut file, b"not a certificate\n")?;
        let err = read_ca(file.path(), &Origin::Flag).err();
        assert!(err.is_some_and(|e| e.message().contains("holds no PEM certificate")));
        Ok(())
    }
}
