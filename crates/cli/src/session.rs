//! The saved session: session.json in the user's state directory (or `COFFRE_SESSION`), holding the server it
//! belongs to, the token, the person's name and role, and the expiry.
//!
//! The file is created with mode 0600 from its first byte (written beside, then renamed over the old one), and a
//! session is only ever sent to the server it was saved for.

use std::{
    fs,
    io::{self, Write},
    path::{Path, PathBuf},
};

use coffre_i18n::t;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::{
    config::Env,
    exit::{Failure, io_reason},
    output::{parse_rfc3339, rfc3339},
};

/// A session token, wiped when dropped; no `Debug` or `Display`: read only through `expose_secret`.
pub(crate) struct Token(Zeroizing<String>);

impl Token {
    pub(crate) fn new(token: String) -> Self {
        Token(Zeroizing::new(token))
    }

    pub(crate) fn expose_secret(&self) -> &str {
        &self.0
    }
}

/// A session as saved.
pub(crate) struct Session {
    /// The normalised server URL the session belongs to.
    pub(crate) server: String,
    /// The person's name.
    pub(crate) name: String,
    /// The person's role, spelled as in the output ("president"...).
    pub(crate) role: String,
    /// When the session expires at the latest.
    pub(crate) expires: OffsetDateTime,
    /// The token.
    pub(crate) token: Token,
}

impl Session {
    /// Whether the saved expiry has passed (the daemon may end a session sooner: idle expiry, seal, logout).
    pub(crate) fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.expires <= now
    }
}

/// session.json as it is written. The token is borrowed from, or moved straight into, a wiping buffer.
#[derive(Serialize, Deserialize)]
struct SessionFile<T> {
    server: String,
    name: String,
    role: String,
    expires: String,
    token: T,
}

/// Where the session lives: `COFFRE_SESSION`, else session.json in the user's state directory (the local data
/// directory where the platform has no state directory).
pub(crate) fn session_path(env: &dyn Env) -> Option<PathBuf> {
    if let Some(path) = env.var("COFFRE_SESSION") {
        return Some(PathBuf::from(path));
    }
    let dirs = directories::ProjectDirs::from("", "", "coffre")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("session.json"))
}

/// Loads the session saved at `path` if it belongs to `server`; `None` when there is none or it belongs to
/// another server.
pub(crate) fn load(path: &Path, server: &str) -> Result<Option<Session>, Failure> {
    let file = match fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(Failure::other(t!(
                "session-file-cannot-read",
                path = path.display().to_string(),
                reason = io_reason(&err)
            )));
        }
    };
    refuse_if_shared(&file, path)?;
    let bytes = crate::secrets_input::read_limited(file, 16 * 1024).map_err(|err| {
        Failure::other(t!("session-file-cannot-read", path = path.display().to_string(), reason = io_reason(&err)))
    })?;
    let broken = || Failure::other(t!("session-file-damaged", path = path.display().to_string()));
    let saved: SessionFile<String> = serde_json::from_slice(&bytes).map_err(|_| broken())?;
    let token = Token::new(saved.token);
    if saved.server != server {
        return Ok(None);
    }
    let expires = parse_rfc3339(&saved.expires).ok_or_else(broken)?;
    Ok(Some(Session { server: saved.server, name: saved.name, role: saved.role, expires, token }))
}

/// Saves `session` at `path` (mode 0600, parent directories 0700), replacing any previous one atomically.
pub(crate) fn save(path: &Path, session: &Session) -> Result<(), Failure> {
    let cannot = |err: io::Error| {
        Failure::other(t!("session-file-cannot-save", path = path.display().to_string(), reason = io_reason(&err)))
    };
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        create_private_dir(parent).map_err(cannot)?;
    }
    let file = SessionFile {
        server: session.server.clone(),
        name: session.name.clone(),
        role: session.role.clone(),
        expires: rfc3339(session.expires),
        token: session.token.expose_secret(),
    };
    let mut bytes = Zeroizing::new(Vec::with_capacity(1024));
    serde_json::to_writer_pretty(&mut *bytes, &file).map_err(|err| cannot(io::Error::other(err)))?;
    bytes.push(b'\n');
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".{}.tmp", std::process::id()));
    let temporary = path.with_file_name(name);
    let _ = fs::remove_file(&temporary);
    let mut out = create_private_file(&temporary).map_err(cannot)?;
    let written = out.write_all(&bytes).and_then(|()| out.sync_all());
    drop(out);
    if let Err(err) = written.and_then(|()| fs::rename(&temporary, path)) {
        let _ = fs::remove_file(&temporary);
        return Err(cannot(err));
    }
    Ok(())
}

/// Deletes the session file; `false` when there was none.
pub(crate) fn delete(path: &Path) -> Result<bool, Failure> {
    match fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(Failure::other(t!(
            "session-file-cannot-delete",
            path = path.display().to_string(),
            reason = io_reason(&err)
        ))),
    }
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

/// A session file that others can read may have leaked its token: refuse to use it.
#[cfg(unix)]
fn refuse_if_shared(file: &fs::File, path: &Path) -> Result<(), Failure> {
    use std::os::unix::fs::PermissionsExt;
    let mode = file
        .metadata()
        .map_err(|err| {
            Failure::other(t!("session-file-cannot-read", path = path.display().to_string(), reason = io_reason(&err)))
        })?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(Failure::other(t!(
            "session-file-shared",
            path = path.display().to_string(),
            mode = format!("{:o}", mode & 0o777)
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_if_shared(_file: &fs::File, _path: &Path) -> Result<(), Failure> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use super::*;

    fn session(server: &str) -> Session {
        Session {
            server: server.to_owned(),
            name: "alice".to_owned(),
            role: "president".to_owned(),
            expires: OffsetDateTime::from_unix_timestamp(2_000_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH),
            token: Token::new("tok-123".to_owned()),
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_session_file_is_private_and_its_directories_too() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let temp = tempfile::tempdir()?;
        let path = temp.path().join("state/coffre/session.json");
        save(&path, &session("https://a:1"))?;
        assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(temp.path().join("state/coffre"))?.permissions().mode() & 0o777, 0o700);
        // Saving again replaces the file and keeps it private; no temporary file is left behind.
        save(&path, &session("https://a:1"))?;
        assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::read_dir(temp.path().join("state/coffre"))?.count(), 1);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_session_file_readable_by_others_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let temp = tempfile::tempdir()?;
        let path = temp.path().join("session.json");
        save(&path, &session("https://a:1"))?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644))?;
        let err = load(&path, "https://a:1").err();
        assert!(err.is_some_and(|e| e.message().contains("can be read by other users")));
        Ok(())
    }

    #[test]
    fn a_session_is_bound_to_its_server() -> Result<(), Box<dyn std::error::Error>> {
        let temp = tempfile::tempdir()?;
        let path = temp.path().join("session.json");
        save(&path, &session("https://a:1"))?;
        assert!(load(&path, "https://b:1")?.is_none());
        let loaded = load(&path, "https://a:1")?.ok_or("the session was not loaded")?;
        assert_eq!(loaded.token.expose_secret(), "tok-123");
        assert_eq!((loaded.name.as_str(), loaded.role.as_str()), ("alice", "president"));
        assert_eq!(loaded.expires.unix_timestamp(), 2_000_000_000);
        Ok(())
    }

    #[test]
    fn expiry_is_checked_against_the_clock() {
        let saved = session("https://a:1");
        assert!(!saved.is_expired(saved.expires - Duration::seconds(1)));
        assert!(saved.is_expired(saved.expires));
    }

    #[test]
    fn missing_and_deleted_sessions() -> Result<(), Box<dyn std::error::Error>> {
        let temp = tempfile::tempdir()?;
        let path = temp.path().join("session.json");
        assert!(load(&path, "https://a:1")?.is_none());
        assert!(!delete(&path)?);
        save(&path, &session("https://a:1"))?;
        assert!(delete(&path)?);
        assert!(!path.exists());
        Ok(())
    }

    #[test]
    fn the_session_path_can_be_set_by_environment() {
        let env = crate::config::TableEnv([("COFFRE_SESSION", "/tmp/s.json".into())].into_iter().collect());
        assert_eq!(session_path(&env), Some(PathBuf::from("/tmp/s.json")));
    }
}
