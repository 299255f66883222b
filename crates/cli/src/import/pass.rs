//! `--format pass`: a `pass` store (the standard Unix password manager), FILE being the store's directory
//! (usually ~/.password-store). Each `NAME.gpg` is read by running `pass show NAME` on this computer, so the
//! user's GPG key and agent stay theirs: nothing but the decrypted text reaches coffre, and the daemon never sees
//! the key. The program is `pass` on PATH, or the one COFFRE_PASS names.
//!
//! The text follows pass's convention: the first line is the password; then `login:` (or `user:`, `username:`,
//! `email:`), `url:` and an `otpauth://` line are read as such; every other line goes to the notes. The
//! directories above the file are its folders.

use std::{
    ffi::OsString,
    fs,
    io::Read,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use zeroize::Zeroizing;

use coffre_i18n::t;

use super::{
    item::{Item, SecretText, clean},
    note::{Note, Origin},
};
use crate::exit::{Failure, io_reason};

/// Most entries read from a store.
pub(crate) const MAX_ENTRIES: usize = 10_000;
/// Most bytes read from one `pass show`.
const MAX_OUTPUT_BYTES: u64 = 64 * 1024;

/// The names of the store's entries ("Social/Facebook"), sorted.
fn names(store: &Path) -> Result<Vec<String>, Failure> {
    if !store.join(".gpg-id").is_file() {
        return Err(Failure::invalid(t!("import-not-a-pass-store", path = store.display().to_string())));
    }
    let mut names = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        let dir = store.join(&relative);
        let listing = fs::read_dir(&dir).map_err(|err| {
            Failure::invalid(t!("import-cannot-list", path = dir.display().to_string(), reason = io_reason(&err)))
        })?;
        for item in listing.flatten() {
            let name = item.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue; // .git, .gpg-id, .extensions
            }
            let Ok(kind) = item.file_type() else { continue };
            if kind.is_dir() {
                stack.push(relative.join(name));
            } else if let Some(stem) = name.strip_suffix(".gpg").filter(|_| kind.is_file()) {
                let path = relative.join(stem);
                names.push(path.to_string_lossy().into_owned());
                if names.len() > MAX_ENTRIES {
                    return Err(Failure::new(
                        crate::exit::Kind::Exhausted,
                        t!("import-pass-too-many", path = store.display().to_string(), max = MAX_ENTRIES),
                    ));
                }
            }
        }
    }
    names.sort();
    Ok(names)
}

/// Reads every entry of the store at `store` through `pass show`.
pub(crate) fn parse(store: &Path, program: Option<OsString>) -> Result<Vec<Item>, Failure> {
    let program = program.unwrap_or_else(|| OsString::from("pass"));
    let mut items = Vec::new();
    for name in names(store)? {
        let mut parts: Vec<String> = name.split('/').map(str::to_owned).collect();
        let title = parts.pop().unwrap_or_default();
        let origin = Origin::Path(name.clone());
        match show(&program, store, &name) {
            Ok(text) => {
                let mut item = item(text.as_str(), origin, title);
                item.folders = parts;
                items.push(item);
            }
            Err(why) => items.push(Item::unsupported(origin, title, why)),
        }
    }
    Ok(items)
}

/// `pass show NAME`, its output in a wiping buffer; or why it failed (never its output).
fn show(program: &OsString, store: &Path, name: &str) -> Result<Zeroizing<String>, Note> {
    let mut child = Command::new(program)
        .arg("show")
        // A store file named like an option (`-c.gpg`) is still a name: `pass show -c` would put a password on the
        // clipboard instead.
        .arg("--")
        .arg(name)
        .env("PASSWORD_STORE_DIR", store)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|err| Note::PassCannotRun {
            program: program.to_string_lossy().into_owned(),
            reason: io_reason(&err),
        })?;
    let mut output = Zeroizing::new(Vec::new());
    if let Some(stdout) = child.stdout.take() {
        stdout
            .take(MAX_OUTPUT_BYTES + 1)
            .read_to_end(&mut output)
            .map_err(|err| Note::PassCannotRead { detail: err.to_string() })?;
    }
    let status = child.wait().map_err(|err| Note::PassUnfinished { detail: err.to_string() })?;
    if !status.success() {
        return Err(status.code().map_or(Note::PassStopped, |code| Note::PassFailed { exit: code.to_string() }));
    }
    if output.len() as u64 > MAX_OUTPUT_BYTES {
        return Err(Note::PassTooLong { kib: MAX_OUTPUT_BYTES / 1024 });
    }
    let text = std::str::from_utf8(&output).map_err(|_| Note::PassNotText)?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// The fields of one entry's text.
fn item(text: &str, origin: Origin, name: String) -> Item {
    let mut lines = text.lines();
    let password = lines.next().unwrap_or_default().to_owned();
    let (mut login, mut url, mut totp) = (String::new(), String::new(), String::new());
    let mut notes = Zeroizing::new(String::new());
    for line in lines {
        let lower = line.trim_start().to_lowercase();
        let value = |prefix: &str| line.trim_start().get(prefix.len()..).unwrap_or_default().trim().to_owned();
        if let Some(prefix) = ["login:", "username:", "user:", "email:"].into_iter().find(|p| lower.starts_with(p)) {
            if login.is_empty() {
                login = value(prefix);
                continue;
            }
        } else if lower.starts_with("url:") && url.is_empty() {
            url = value("url:");
            continue;
        } else if lower.starts_with("otpauth://") && totp.is_empty() {
            totp = line.trim().to_owned();
            continue;
        }
        notes.push_str(line);
        notes.push('\n');
    }
    let notes = notes.trim_end_matches('\n').to_owned();
    Item {
        origin,
        name: clean(&name),
        url,
        login,
        password: SecretText::new(password),
        notes: SecretText::new(notes),
        totp: SecretText::new(totp),
        folders: Vec::new(),
        tags: Vec::new(),
        history: Vec::new(),
        unsupported: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_is_the_password_and_known_lines_are_fields() {
        let text = "  mot de passe é \nlogin: trésorière\nURL: https://banque.example\notpauth://totp/x?secret=JBSWY3DPEHPK3PXP\nclient no 42\nlogin: second\n";
        let item = item(text, Origin::Path("Finances/Banque".into()), "Banque".into());
        assert_eq!(item.password.expose_secret(), "  mot de passe é ");
        assert_eq!((item.login.as_str(), item.url.as_str()), ("trésorière", "https://banque.example"));
        assert!(item.totp.expose_secret().starts_with("otpauth://"));
        assert_eq!(item.notes.expose_secret(), "client no 42\nlogin: second");
    }

    #[test]
    fn a_pass_stopped_by_a_signal_is_said_so_in_the_reader_s_language() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let program = dir.path().join("pass");
        fs::write(&program, "#!/bin/sh\nkill -KILL $$\n")?;
        fs::set_permissions(&program, fs::Permissions::from_mode(0o755))?;
        let why = show(&program.into_os_string(), dir.path(), "Banque").err().ok_or("pass show succeeded")?;
        let (english, french) = (why.text(coffre_i18n::Lang::En), why.text(coffre_i18n::Lang::FrCa));
        assert!(english.contains("stopped by a signal"), "{english}");
        assert!(french.contains("arrêté par un signal") && !french.contains("by a signal"), "{french}");
        Ok(())
    }

    #[test]
    fn a_name_that_looks_like_an_option_is_given_to_pass_show_as_a_name() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let program = dir.path().join("pass");
        fs::write(&program, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n")?;
        fs::set_permissions(&program, fs::Permissions::from_mode(0o755))?;
        let said = show(&program.into_os_string(), dir.path(), "-c").map_err(|why| why.text(coffre_i18n::Lang::En))?;
        assert_eq!(said.lines().collect::<Vec<_>>(), ["show", "--", "-c"]);
        Ok(())
    }

    #[test]
    fn a_directory_without_gpg_id_is_not_a_store() {
        let dir = tempfile::tempdir().ok();
        let path = dir.as_ref().map_or(Path::new("/nonexistent"), |d| d.path());
        assert!(names(path).err().is_some_and(|e| e.message().contains("not a pass store")));
    }
}
