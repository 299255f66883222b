//! Reading secrets (passphrases, passwords, notes, TOTP seeds) from a file, standard input or the terminal.
//!
//! A secret is never a flag's value: flags end up in shell history and in `ps`. It comes from a file (one
//! trailing "\n" or "\r\n" removed), from standard input (the same), or from a prompt on the terminal that does
//! not echo. Every buffer that holds one is wiped when dropped.

use std::{
    fs,
    io::{self, IsTerminal, Read},
    path::{Path, PathBuf},
};

use clap::Args;
use coffre_i18n::t;
use zeroize::Zeroizing;

use crate::exit::{Failure, io_reason};

/// The most bytes read for one secret: a whole request is at most 64 KiB (proto/coffre/v1/common.proto).
pub(crate) const MAX_SECRET_BYTES: usize = 64 * 1024;

/// Secret bytes, wiped when dropped. No `Debug`, `Display` or `Serialize`: read only through `expose_secret`.
pub(crate) struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    pub(crate) fn expose_secret(&self) -> &[u8] {
        &self.0
    }

    /// Takes bytes that are already in a wiping buffer.
    pub(crate) fn from_exposed(bytes: Zeroizing<Vec<u8>>) -> Self {
        SecretBytes(bytes)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A copy for a request message. prost messages cannot wipe themselves; tonic drops the request as soon as it
    /// is encoded, so the copy lives for one call.
    pub(crate) fn to_request_bytes(&self) -> Vec<u8> {
        self.0.to_vec()
    }
}

/// Where a secret comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Source<'a> {
    /// A file; one trailing newline is removed.
    File(&'a Path),
    /// All of standard input; one trailing newline is removed.
    Stdin,
    /// A prompt on the terminal.
    Prompt,
}

impl<'a> Source<'a> {
    /// The source chosen by a `--...-file F` / `--...-stdin` pair of flags; a prompt when neither is given.
    pub(crate) fn from_flags(file: Option<&'a Path>, stdin: bool) -> Self {
        match (file, stdin) {
            (Some(path), _) => Source::File(path),
            (None, true) => Source::Stdin,
            (None, false) => Source::Prompt,
        }
    }
}

/// `--passphrase-file FILE` / `--passphrase-stdin`; a prompt on the terminal when neither is given.
#[derive(Debug, Args)]
pub(crate) struct PassphraseArgs {
    /// Read the passphrase from FILE (one trailing newline is ignored).
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_stdin")]
    pub(crate) passphrase_file: Option<PathBuf>,
    /// Read the passphrase from standard input (one trailing newline is ignored).
    #[arg(long)]
    pub(crate) passphrase_stdin: bool,
}

impl PassphraseArgs {
    pub(crate) fn source(&self) -> Source<'_> {
        Source::from_flags(self.passphrase_file.as_deref(), self.passphrase_stdin)
    }
}

/// What is being read, for prompts and messages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Spec {
    /// "passphrase", "password": the key of `secret-noun` in the catalogue.
    pub(crate) noun: &'static str,
    /// The flags that avoid the prompt, for the message when there is no terminal: a file, and standard input
    /// ("none" when there is no such flag).
    pub(crate) flags: (&'static str, &'static str),
    /// Prompt twice and require both to match (for a new secret).
    pub(crate) confirm: bool,
    /// Fewest bytes accepted; 1 refuses only the empty secret.
    pub(crate) min_len: usize,
    /// Most bytes accepted.
    pub(crate) max_len: usize,
}

impl Spec {
    /// An existing passphrase (login, unseal): only emptiness is refused here; the daemon decides the rest.
    pub(crate) const PASSPHRASE: Spec = Spec {
        noun: "passphrase",
        flags: ("--passphrase-file FILE", "--passphrase-stdin"),
        confirm: false,
        min_len: 1,
        max_len: 1024,
    };

    /// A new passphrase (init, enroll): 12..=1024 bytes (proto/coffre/v1/common.proto), typed twice.
    pub(crate) const NEW_PASSPHRASE: Spec = Spec { confirm: true, min_len: 12, ..Spec::PASSPHRASE };

    /// An entry's new password: 1..=1024 bytes, typed twice.
    pub(crate) const NEW_PASSWORD: Spec = Spec {
        noun: "password",
        flags: ("--password-file FILE", "--password-stdin"),
        confirm: true,
        min_len: 1,
        max_len: 1024,
    };
}

/// Reads a secret from `source` and checks its length against `spec`.
pub(crate) fn read_secret(source: Source<'_>, spec: &Spec, prompt: &str) -> Result<SecretBytes, Failure> {
    let secret = match source {
        Source::File(path) => read_file(path)?,
        Source::Stdin => read_stdin()?,
        Source::Prompt => prompt_secret(spec, prompt)?,
    };
    check_length(&secret, spec)?;
    Ok(secret)
}

/// Reads a secret file (notes, TOTP seed) that may be empty, with one trailing newline removed.
pub(crate) fn read_file(path: &Path) -> Result<SecretBytes, Failure> {
    let cannot = |err: io::Error| {
        Failure::invalid(t!("file-cannot-read", path = path.display().to_string(), reason = io_reason(&err)))
    };
    let file = fs::File::open(path).map_err(cannot)?;
    let mut bytes = read_limited(file, MAX_SECRET_BYTES).map_err(cannot)?;
    if bytes.len() > MAX_SECRET_BYTES {
        return Err(Failure::invalid(t!(
            "secret-file-too-large",
            path = path.display().to_string(),
            kib = (MAX_SECRET_BYTES / 1024)
        )));
    }
    strip_one_newline(&mut bytes);
    Ok(SecretBytes(bytes))
}

fn read_stdin() -> Result<SecretBytes, Failure> {
    let mut bytes = read_limited(io::stdin().lock(), MAX_SECRET_BYTES)
        .map_err(|err| Failure::invalid(t!("stdin-cannot-read", reason = err.to_string())))?;
    if bytes.len() > MAX_SECRET_BYTES {
        return Err(Failure::invalid(t!("stdin-too-large", kib = (MAX_SECRET_BYTES / 1024))));
    }
    strip_one_newline(&mut bytes);
    Ok(SecretBytes(bytes))
}

fn prompt_secret(spec: &Spec, prompt: &str) -> Result<SecretBytes, Failure> {
    require_terminal(spec)?;
    let first = prompt_once(spec, prompt)?;
    if spec.confirm {
        // Checked before the second prompt, so a too-short passphrase is not typed twice for nothing.
        check_length(&first, spec)?;
        let second = prompt_once(spec, &t!("secret-again-prompt"))?;
        if first.expose_secret() != second.expose_secret() {
            return Err(Failure::invalid(t!("secret-typed-differ", noun = spec.noun)));
        }
    }
    Ok(first)
}

fn prompt_once(spec: &Spec, prompt: &str) -> Result<SecretBytes, Failure> {
    let typed = rpassword::prompt_password(prompt)
        .map_err(|err| Failure::other(t!("secret-cannot-read-terminal", noun = spec.noun, reason = err.to_string())))?;
    Ok(SecretBytes(Zeroizing::new(typed.into_bytes())))
}

/// Prompts need a person at a terminal; a script must say where the secret is instead of hanging on a prompt.
fn require_terminal(spec: &Spec) -> Result<(), Failure> {
    if io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(Failure::invalid(t!("secret-no-terminal", noun = spec.noun, file = spec.flags.0, stdin = spec.flags.1)))
    }
}

/// Refuses a secret outside `spec`'s length bounds, before anything is sent.
pub(crate) fn check_length(secret: &SecretBytes, spec: &Spec) -> Result<(), Failure> {
    let len = secret.expose_secret().len();
    if len == 0 {
        Err(Failure::invalid(t!("secret-empty", noun = spec.noun)))
    } else if len < spec.min_len {
        Err(Failure::invalid(t!("secret-too-short", noun = spec.noun, min = spec.min_len)))
    } else if len > spec.max_len {
        Err(Failure::invalid(t!("secret-too-long", noun = spec.noun, max = spec.max_len)))
    } else {
        Ok(())
    }
}

/// Removes one trailing "\n" or "\r\n", as a text editor or `echo` leaves it; nothing else.
pub(crate) fn strip_one_newline(bytes: &mut Zeroizing<Vec<u8>>) {
    let len = bytes.len();
    if bytes.ends_with(b"\r\n") {
        bytes.truncate(len - 2);
    } else if bytes.ends_with(b"\n") {
        bytes.truncate(len - 1);
    }
}

/// Reads at most `limit + 1` bytes (so the caller can tell "too large") into a buffer allocated once at its full
/// size, so that no growing reallocation leaves an unwiped copy behind.
pub(crate) fn read_limited(reader: impl Read, limit: usize) -> io::Result<Zeroizing<Vec<u8>>> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(limit + 1));
    let limit_u64 = u64::try_from(limit).unwrap_or(u64::MAX);
    reader.take(limit_u64.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn stripped(input: &[u8]) -> Vec<u8> {
        let mut bytes = Zeroizing::new(input.to_vec());
        strip_one_newline(&mut bytes);
        bytes.to_vec()
    }

    #[test]
    fn exactly_one_trailing_newline_is_stripped() {
        assert_eq!(stripped(b"secret\n"), b"secret");
        assert_eq!(stripped(b"secret\r\n"), b"secret");
        assert_eq!(stripped(b"secret\n\n"), b"secret\n");
        assert_eq!(stripped(b"secret\r\n\r\n"), b"secret\r\n");
        assert_eq!(stripped(b"secret"), b"secret");
        assert_eq!(stripped(b" secret \t"), b" secret \t");
        assert_eq!(stripped(b"\n"), b"");
        assert_eq!(stripped(b"line one\nline two\n"), b"line one\nline two");
    }

    #[test]
    fn a_lone_carriage_return_is_kept() {
        assert_eq!(stripped(b"secret\r"), b"secret\r");
    }

    #[test]
    fn a_file_is_read_without_its_trailing_newline() -> Result<(), Box<dyn std::error::Error>> {
        let mut file = tempfile::NamedTempFile::new()?;
        file.write_all(b"correct horse battery staple\r\n")?;
        let secret = read_secret(Source::File(file.path()), &Spec::PASSPHRASE, "unused")?;
        assert_eq!(secret.expose_secret(), b"correct horse battery staple");
        Ok(())
    }

    #[test]
    fn an_empty_secret_is_refused_before_anything_is_sent() -> Result<(), Box<dyn std::error::Error>> {
        for content in [&b""[..], b"\n", b"\r\n"] {
            let mut file = tempfile::NamedTempFile::new()?;
            file.write_all(content)?;
            let err = match read_secret(Source::File(file.path()), &Spec::PASSPHRASE, "unused") {
                Ok(_) => return Err("an empty passphrase was accepted".into()),
                Err(err) => err,
            };
            assert_eq!(err.message(), "the passphrase is empty: nothing was sent");
            assert_eq!(err.exit_code(), 8);
        }
        Ok(())
    }

    #[test]
    fn a_new_passphrase_must_have_twelve_bytes() {
        let short = SecretBytes(Zeroizing::new(b"elevenbytes".to_vec()));
        let long_enough = SecretBytes(Zeroizing::new(b"twelve bytes".to_vec()));
        assert!(check_length(&short, &Spec::NEW_PASSPHRASE).is_err());
        assert!(check_length(&short, &Spec::PASSPHRASE).is_ok());
        assert!(check_length(&long_enough, &Spec::NEW_PASSPHRASE).is_ok());
        let huge = SecretBytes(Zeroizing::new(vec![b'a'; 1025]));
        assert!(check_length(&huge, &Spec::NEW_PASSWORD).is_err());
    }

    #[test]
    fn a_missing_file_is_named_in_the_error() {
        let err = read_file(Path::new("/nonexistent/coffre/secret.txt")).err();
        let message = err.as_ref().map(Failure::message).unwrap_or_default();
        assert_eq!(message, "cannot read /nonexistent/coffre/secret.txt (no such file)");
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit() -> io::Result<()> {
        let bytes = read_limited(&[7u8; 100][..], 10)?;
        assert_eq!(bytes.len(), 11);
        assert!(bytes.capacity() >= 11);
        let bytes = read_limited(&[7u8; 5][..], 10)?;
        assert_eq!(bytes.as_slice(), &[7u8; 5]);
        Ok(())
    }
}
