//! coffre's audit log format, shared by the daemon (which writes it) and the client (which verifies exports
//! offline): events and their canonical encoding, the SHA-256 hash chain, Ed25519-signed chain heads, the JSON
//! Lines export and its verifier. No I/O beyond reading an export from a caller's reader.
//!
//! ```
//! use coffre_audit::{AuditEvent, GENESIS, Head, HeadSigner, Outcome, export, verify};
//!
//! let signer = HeadSigner::from_seed(&[7; 32]);
//! let event = AuditEvent {
//!     seq: 1, time_ms: 1_795_000_000_000, actor: "alice".into(), action: "reveal".into(),
//!     target: "Facebook".into(), outcome: Outcome::Success, reason: "weekly post".into(),
//!     detail: String::new(), client_addr: "127.0.0.1:5000".into(), client_agent: "coffre/0.1.0".into(),
//! };
//! let hash = event.chain_hash(&GENESIS);
//! let mut file = export::render_export_line(&[1; 16], &signer.public_key(), 1_795_000_000_001)?;
//! file += &export::render_event_line(&event, &GENESIS, &hash)?;
//! file += &export::render_head_line(&signer.sign(Head { vault_id: [1; 16], seq: 1, hash }));
//!
//! let summary = verify::verify(file.as_bytes(), &signer.public_key()).expect("valid");
//! assert_eq!(summary.events, 1);
//! # Ok::<(), coffre_audit::Error>(())
//! ```

#![deny(missing_docs)]

mod event;
pub mod export;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
mod head;
pub mod verify;

#[cfg(test)]
mod tests;

pub use event::{AuditEvent, GENESIS, Outcome, chain_hash};
pub use head::{AuditPublicKey, Head, HeadSigner, SignedHead};

/// What can go wrong outside verification.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A public key that cannot be used.
    #[error("bad audit public key: {0}")]
    BadKey(&'static str),
    /// A signature that does not verify.
    #[error("the signature is not valid under this audit key")]
    BadSignature,
    /// A time outside what RFC 3339 can write.
    #[error("a time outside the years 0000 to 9999")]
    BadTime,
}
