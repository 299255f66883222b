//! age encryption (age-encryption.org/v1) in memory, bytes in and bytes out: share files and backups.
//!
//! - A share file is encrypted to one holder: to an X25519 recipient (`age1...`), or, for a holder without a key,
//!   to a passphrase (age's scrypt recipient, work factor 2^18 as the reference `age` tool uses). It is
//!   ASCII-armored (age spec, "ASCII armor") so it can be printed and kept on paper.
//! - A backup is encrypted to several X25519 recipients at once, binary (it may be large).
//!
//! Files made here decrypt with the reference `age` tool (`age -d -i KEYFILE FILE`), and files it makes decrypt
//! here. Decryption is bounded: a file whose plaintext exceeds the caller's limit, or whose scrypt work factor asks
//! for more than 2^20 (1 GiB of memory), is refused, not obeyed.

use std::{
    io::{Read, Write},
    str::FromStr,
};

use age::{
    armor::{ArmoredReader, ArmoredWriter, Format},
    secrecy::{ExposeSecret as _, SecretString as AgeSecretString},
};
use zeroize::Zeroizing;

use crate::secret::{Passphrase, SecretBytes, SecretString};

/// scrypt work factor (log2 N) for passphrase-encrypted share files: the reference tool's default.
const SCRYPT_LOG_N: u8 = 18;
/// Largest scrypt work factor accepted when decrypting (2^20: 1 GiB, several seconds).
const SCRYPT_MAX_LOG_N: u8 = 20;

/// What went wrong with an age file, key or recipient. Never holds key material.
#[derive(Debug, thiserror::Error)]
pub enum AgeError {
    /// A recipient that is not an `age1...` X25519 public key.
    #[error("{0:?} is not an age public key: it starts with age1 and is 62 characters long (see `age-keygen -y`)")]
    BadRecipient(String),
    /// An identity file without any usable key.
    #[error("the identity file holds no age secret key (a line starting with AGE-SECRET-KEY-1)")]
    NoIdentity,
    /// A line of the identity file that is not a key.
    #[error("line {0} of the identity file is not an age secret key")]
    BadIdentity(usize),
    /// Not an age file, or its header is damaged.
    #[error("this is not an age-encrypted file, or its beginning is damaged")]
    NotAgeFile,
    /// Encrypted to other keys.
    #[error("this file is not encrypted to the given identity: use the key file of the person it was made for")]
    NoMatchingKey,
    /// Encrypted to a passphrase that does not match.
    #[error("wrong passphrase for this file")]
    WrongPassphrase,
    /// Encrypted to a passphrase, but none was given (or a key was given).
    #[error("this file is encrypted to a passphrase: give the passphrase instead of a key file")]
    NeedsPassphrase,
    /// Encrypted to keys, but a passphrase was given.
    #[error("this file is encrypted to a key: give the key file (--identity) instead of a passphrase")]
    NeedsIdentity,
    /// The payload does not authenticate: altered or cut short.
    #[error("the file is damaged or truncated")]
    Damaged,
    /// The plaintext is larger than the caller accepts.
    #[error("the decrypted content is larger than {0} bytes: this is not the expected file")]
    TooLarge(usize),
    /// The file asks for more scrypt work than is accepted.
    #[error("the file asks for too much passphrase-derivation work to be trusted")]
    ExcessiveWork,
    /// Encryption failed (no recipient, or an internal error of the age library).
    #[error("age encryption failed: {0}")]
    Encrypt(String),
}

impl AgeError {
    /// The stable code of the error: its message in coffre-i18n's catalogue is `age-problem-<code>`, so that a
    /// holder or a technician reads it in their own language.
    pub fn code(&self) -> &'static str {
        match self {
            AgeError::BadRecipient(_) => "bad-recipient",
            AgeError::NoIdentity => "no-identity",
            AgeError::BadIdentity(_) => "bad-identity",
            AgeError::NotAgeFile => "not-age-file",
            AgeError::NoMatchingKey => "no-matching-key",
            AgeError::WrongPassphrase => "wrong-passphrase",
            AgeError::NeedsPassphrase => "needs-passphrase",
            AgeError::NeedsIdentity => "needs-identity",
            AgeError::Damaged => "damaged",
            AgeError::TooLarge(_) => "too-large",
            AgeError::ExcessiveWork => "excessive-work",
            AgeError::Encrypt(_) => "encrypt",
        }
    }

    /// The values its message shows, by name (none is secret: a shortened public key, a line number, a limit, the
    /// age library's own words).
    pub fn arguments(&self) -> Vec<(&'static str, String)> {
        match self {
            AgeError::BadRecipient(text) => vec![("value", format!("{text:?}"))],
            AgeError::BadIdentity(line) => vec![("line", line.to_string())],
            AgeError::TooLarge(max) => vec![("max", max.to_string())],
            AgeError::Encrypt(detail) => vec![("detail", detail.clone())],
            _ => Vec::new(),
        }
    }
}

/// An X25519 recipient: a holder's or an owner's public key, `age1...`.
#[derive(Clone)]
pub struct AgeRecipient(age::x25519::Recipient);

impl AgeRecipient {
    /// Parses `age1...` (Bech32, as `age-keygen` prints it).
    pub fn parse(text: &str) -> Result<Self, AgeError> {
        let text = text.trim();
        age::x25519::Recipient::from_str(text).map(Self).map_err(|_| AgeError::BadRecipient(shorten(text)))
    }
}

impl std::fmt::Display for AgeRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Debug for AgeRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AgeRecipient({})", self.0)
    }
}

/// A recipient as typed: shown in errors at most 80 characters long, so a pasted secret key is not echoed whole.
fn shorten(text: &str) -> String {
    if text.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-") {
        return "AGE-SECRET-KEY-…(a secret key, not a public one)".to_owned();
    }
    text.chars().take(80).collect()
}

/// Who a share file is encrypted to.
#[derive(Debug)]
pub enum ShareRecipient {
    /// An X25519 public key.
    Key(AgeRecipient),
    /// A passphrase (age's scrypt recipient), for a holder without a key.
    Passphrase(Passphrase),
}

/// X25519 identities from an age identity file (as `age-keygen` writes it). No `Debug` of content.
pub struct AgeIdentity(Vec<age::x25519::Identity>);

impl AgeIdentity {
    /// Parses an identity file: `#` comments and blank lines are skipped, every other line must be an
    /// `AGE-SECRET-KEY-1...` key.
    pub fn parse(text: &str) -> Result<Self, AgeError> {
        let mut keys = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            keys.push(age::x25519::Identity::from_str(line).map_err(|_| AgeError::BadIdentity(i + 1))?);
        }
        if keys.is_empty() { Err(AgeError::NoIdentity) } else { Ok(Self(keys)) }
    }

    /// The public keys of these identities.
    pub fn recipients(&self) -> Vec<AgeRecipient> {
        self.0.iter().map(|k| AgeRecipient(k.to_public())).collect()
    }
}

impl std::fmt::Debug for AgeIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AgeIdentity(<{} key(s) redacted>)", self.0.len())
    }
}

/// A new X25519 identity: the identity file's text (secret; in `age-keygen`'s format) and its public key.
pub fn generate_identity(created: &str) -> (SecretString, AgeRecipient) {
    let identity = age::x25519::Identity::generate();
    let recipient = AgeRecipient(identity.to_public());
    let text = format!("# created: {created}\n# public key: {recipient}\n{}\n", identity.to_string().expose_secret());
    (SecretString::new(text), recipient)
}

/// Encrypts a share file to one holder, ASCII-armored.
pub fn encrypt_share(recipient: &ShareRecipient, plaintext: &[u8]) -> Result<String, AgeError> {
    let encryptor = match recipient {
        ShareRecipient::Key(key) => age::Encryptor::with_recipients(std::iter::once(&key.0 as &dyn age::Recipient)),
        ShareRecipient::Passphrase(passphrase) => {
            let text = Zeroizing::new(
                std::str::from_utf8(passphrase.expose_secret())
                    .map_err(|_| AgeError::Encrypt("a holder's passphrase must be UTF-8 text".into()))?
                    .to_owned(),
            );
            let mut scrypt = age::scrypt::Recipient::new(AgeSecretString::from(text.to_string()));
            scrypt.set_work_factor(SCRYPT_LOG_N);
            age::Encryptor::with_recipients(std::iter::once(&scrypt as &dyn age::Recipient))
        }
    }
    .map_err(|e| AgeError::Encrypt(e.to_string()))?;
    let mut out = Vec::new();
    let armored = ArmoredWriter::wrap_output(&mut out, Format::AsciiArmor).map_err(encrypt_io)?;
    let mut writer = encryptor.wrap_output(armored).map_err(encrypt_io)?;
    writer.write_all(plaintext).map_err(encrypt_io)?;
    writer.finish().and_then(|armor| armor.finish()).map_err(encrypt_io)?;
    String::from_utf8(out).map_err(|_| AgeError::Encrypt("the armored output is not text".into()))
}

/// Encrypts to several X25519 recipients, binary (backups).
pub fn encrypt_to_keys(recipients: &[AgeRecipient], plaintext: &[u8]) -> Result<Vec<u8>, AgeError> {
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| &r.0 as &dyn age::Recipient))
        .map_err(|e| AgeError::Encrypt(e.to_string()))?;
    let mut out = Vec::with_capacity(plaintext.len() + 1024);
    let mut writer = encryptor.wrap_output(&mut out).map_err(encrypt_io)?;
    writer.write_all(plaintext).map_err(encrypt_io)?;
    writer.finish().map_err(encrypt_io)?;
    Ok(out)
}

fn encrypt_io(err: std::io::Error) -> AgeError {
    AgeError::Encrypt(err.to_string())
}

/// What opens an age file.
#[derive(Clone, Copy, Debug)]
pub enum Unlock<'a> {
    /// X25519 identities.
    Identity(&'a AgeIdentity),
    /// A passphrase (scrypt).
    Passphrase(&'a Passphrase),
}

/// Whether `file` (armored or binary) is encrypted to a passphrase rather than to keys. `NotAgeFile` when it is not
/// an age file at all.
pub fn is_passphrase_file(file: &[u8]) -> Result<bool, AgeError> {
    let decryptor = age::Decryptor::new_buffered(ArmoredReader::new(file)).map_err(map_decrypt)?;
    Ok(decryptor.is_scrypt())
}

/// Decrypts `file` (armored or binary) with `unlock`, refusing a plaintext longer than `max_len` bytes.
pub fn decrypt(unlock: Unlock<'_>, file: &[u8], max_len: usize) -> Result<SecretBytes, AgeError> {
    let decryptor = age::Decryptor::new_buffered(ArmoredReader::new(file)).map_err(map_decrypt)?;
    let reader = match unlock {
        Unlock::Identity(identity) => {
            if decryptor.is_scrypt() {
                return Err(AgeError::NeedsPassphrase);
            }
            decryptor.decrypt(identity.0.iter().map(|k| k as &dyn age::Identity))
        }
        Unlock::Passphrase(passphrase) => {
            if !decryptor.is_scrypt() {
                return Err(AgeError::NeedsIdentity);
            }
            let text = Zeroizing::new(
                std::str::from_utf8(passphrase.expose_secret()).map_err(|_| AgeError::WrongPassphrase)?.to_owned(),
            );
            let mut scrypt = age::scrypt::Identity::new(AgeSecretString::from(text.to_string()));
            scrypt.set_max_work_factor(SCRYPT_MAX_LOG_N);
            // The scrypt stanza's AEAD failing means the passphrase is wrong (the header's MAC comes after it).
            decryptor.decrypt(std::iter::once(&scrypt as &dyn age::Identity)).map_err(|e| match e {
                age::DecryptError::DecryptionFailed => age::DecryptError::KeyDecryptionFailed,
                other => other,
            })
        }
    }
    .map_err(map_decrypt)?;
    let mut plaintext = Zeroizing::new(Vec::new());
    let limit = u64::try_from(max_len).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(limit).read_to_end(&mut plaintext).map_err(|_| AgeError::Damaged)?;
    if plaintext.len() > max_len {
        return Err(AgeError::TooLarge(max_len));
    }
    Ok(SecretBytes::new(std::mem::take(&mut *plaintext)))
}

fn map_decrypt(err: age::DecryptError) -> AgeError {
    use age::DecryptError as E;
    match err {
        E::NoMatchingKeys => AgeError::NoMatchingKey,
        E::KeyDecryptionFailed => AgeError::WrongPassphrase,
        E::ExcessiveWork { .. } => AgeError::ExcessiveWork,
        E::DecryptionFailed | E::InvalidMac => AgeError::Damaged,
        _ => AgeError::NotAgeFile,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> (AgeIdentity, AgeRecipient) {
        let (text, recipient) = generate_identity("test");
        (AgeIdentity::parse(text.expose_secret()).expect("parses"), recipient)
    }

    #[test]
    fn a_share_file_is_armored_and_opens_with_its_identity_only() {
        let (identity, recipient) = identity();
        let armored = encrypt_share(&ShareRecipient::Key(recipient), b"the envelope").expect("encrypts");
        assert!(armored.starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"), "{armored}");
        assert!(armored.trim_end().ends_with("-----END AGE ENCRYPTED FILE-----"));
        assert!(!is_passphrase_file(armored.as_bytes()).expect("age"));
        let opened = decrypt(Unlock::Identity(&identity), armored.as_bytes(), 1024).expect("decrypts");
        assert_eq!(opened.expose_secret(), b"the envelope");
        let (other, _) = self::identity();
        assert!(matches!(decrypt(Unlock::Identity(&other), armored.as_bytes(), 1024), Err(AgeError::NoMatchingKey)));
        assert!(matches!(decrypt(Unlock::Identity(&identity), armored.as_bytes(), 5), Err(AgeError::TooLarge(5))));
    }

    #[test]
    fn backups_open_with_any_of_their_recipients() {
        let (a, ra) = identity();
        let (b, rb) = identity();
        let file = encrypt_to_keys(&[ra, rb], b"backup bytes").expect("encrypts");
        for id in [&a, &b] {
            assert_eq!(decrypt(Unlock::Identity(id), &file, 100).expect("decrypts").expose_secret(), b"backup bytes");
        }
        assert!(matches!(encrypt_to_keys(&[], b"x"), Err(AgeError::Encrypt(_))));
    }

    #[test]
    fn truncated_or_altered_files_are_damaged_or_not_age() {
        let (identity, recipient) = identity();
        let file = encrypt_to_keys(&[recipient], &[7u8; 200]).expect("encrypts");
        let cut = &file[..file.len() - 10];
        assert!(matches!(decrypt(Unlock::Identity(&identity), cut, 1000), Err(AgeError::Damaged)));
        let mut flipped = file.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert!(matches!(decrypt(Unlock::Identity(&identity), &flipped, 1000), Err(AgeError::Damaged)));
        assert!(matches!(decrypt(Unlock::Identity(&identity), b"hello", 1000), Err(AgeError::NotAgeFile)));
        assert!(matches!(decrypt(Unlock::Identity(&identity), &file[..20], 1000), Err(AgeError::NotAgeFile)));
    }

    #[test]
    fn a_passphrase_holder_needs_the_passphrase() {
        let passphrase = Passphrase::new(b"the treasurer's long phrase".to_vec()).expect("valid");
        let armored = encrypt_share(&ShareRecipient::Passphrase(passphrase), b"envelope").expect("encrypts");
        assert!(is_passphrase_file(armored.as_bytes()).expect("age"));
        let (identity, _) = identity();
        assert!(matches!(
            decrypt(Unlock::Identity(&identity), armored.as_bytes(), 100),
            Err(AgeError::NeedsPassphrase)
        ));
        let wrong = Passphrase::new(b"not the treasurer's phrase".to_vec()).expect("valid");
        assert!(matches!(decrypt(Unlock::Passphrase(&wrong), armored.as_bytes(), 100), Err(AgeError::WrongPassphrase)));
        let right = Passphrase::new(b"the treasurer's long phrase".to_vec()).expect("valid");
        let opened = decrypt(Unlock::Passphrase(&right), armored.as_bytes(), 100).expect("decrypts");
        assert_eq!(opened.expose_secret(), b"envelope");
    }

    #[test]
    fn recipients_and_identity_files_are_checked() {
        let (text, recipient) = generate_identity("2030-01-01T00:00:00Z");
        assert!(text.expose_secret().starts_with("# created: 2030-01-01T00:00:00Z\n# public key: age1"));
        let parsed = AgeRecipient::parse(&format!(" {recipient}\n")).expect("parses");
        assert_eq!(parsed.to_string(), recipient.to_string());
        assert_eq!(
            AgeIdentity::parse(text.expose_secret()).expect("parses").recipients()[0].to_string(),
            parsed.to_string()
        );
        assert!(matches!(AgeRecipient::parse("age1nope"), Err(AgeError::BadRecipient(_))));
        let secret_line = text.expose_secret().lines().last().unwrap_or_default().to_owned();
        let err = AgeRecipient::parse(&secret_line).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(!err.contains(&secret_line[20..]), "a pasted secret key is not echoed: {err}");
        assert!(matches!(AgeIdentity::parse("# only a comment\n\n"), Err(AgeError::NoIdentity)));
        assert!(matches!(AgeIdentity::parse("# c\nnot a key\n"), Err(AgeError::BadIdentity(2))));
        let shown = format!("{:?}", AgeIdentity::parse(text.expose_secret()).expect("parses"));
        assert_eq!(shown, "AgeIdentity(<1 key(s) redacted>)");
    }
}
