//! coffre's cryptography. Pure functions and types: this crate does no I/O (the OS random source aside).
//!
//! - [`secret`]: zeroizing newtypes for passphrases, keys, tokens and revealed secrets, with no `Debug` of content.
//! - [`keys`]: the vault master key, the vault id and the HKDF-SHA256 subkeys derived from it per purpose.
//! - [`record`]: XChaCha20-Poly1305 sealing of stored records, whose associated data binds vault id, record kind,
//!   record id and version.
//! - [`kdf`]: Argon2id (RFC 9106) parameters with bounds, key slots (LUKS-style) and passphrase hashes.
//! - [`token`]: session tokens and one-time enrolment codes; only their SHA-256 hashes are kept.
//! - [`totp`]: RFC 6238 one-time codes for the second factor of every login, and the current code of a platform
//!   account's own second factor.
//! - [`generator`]: the password generator (character classes or EFF word passphrases, uniform draws).
//! - [`index`]: keyed (HMAC-SHA256) lookup ids, so that names never appear in storage keys.
//! - [`shamir`]: the recovery key and its split into holders' shares (`sharks`), with the guards `sharks` lacks.
//! - [`recovery`]: the recovery slot (the master key wrapped under the recovery key) and share-set ids.
//! - [`envelope`]: a share as its holder keeps it (versioned, checked), before age encryption.
//! - [`age_file`]: age encryption and decryption in memory: share files and backups.
//!
//! ```
//! use coffre_crypto::keys::{MasterKey, Purpose, VaultId};
//! use coffre_crypto::record::{self, RecordAad, RecordKind};
//!
//! let vault = VaultId::generate().unwrap();
//! let key = MasterKey::generate().unwrap().subkey(Purpose::Entries);
//! let aad = RecordAad { vault: &vault, kind: RecordKind::Entry, id: b"some-id", version: 1 };
//! let sealed = record::seal(&key, &aad, b"metadata").unwrap();
//! assert_eq!(record::open(&key, &aad, &sealed).unwrap().expose_secret(), b"metadata");
//! ```

#![deny(missing_docs)]

pub mod age_file;
pub mod envelope;
pub mod error;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod generator;
pub mod index;
pub mod kdf;
pub mod keys;
mod mac;
pub mod record;
pub mod recovery;
mod rng;
pub mod secret;
pub mod shamir;
pub mod token;
pub mod totp;

pub use error::CryptoError;
