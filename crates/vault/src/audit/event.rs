//! Audit events and their canonical encoding.
//!
//! The hash of event n is `SHA-256("coffre/audit/v1" || hash(n-1) || canonical(n))`, with `hash(0)` = 32 zero
//! bytes, where `canonical` is the postcard encoding of [`AuditEvent`]'s fields in declaration order (integers as
//! varints, strings as a varint length then UTF-8 bytes, the outcome as its variant index). The encoding is part of
//! the log format: a field is never reordered or removed, only appended with a format bump.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash of the event before the first one.
pub(crate) const GENESIS: [u8; 32] = [0; 32];

/// How an audited action ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Outcome {
    /// It was done.
    Success,
    /// It was refused by policy (not allowed).
    Denied,
    /// It was attempted and failed (wrong passphrase, unknown name).
    Failure,
}

/// One audit event. Everything here is encrypted at rest; the sequence number and hash are also kept in clear in
/// the frame, so the chain's shape can be checked without the key.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Sequence number, from 1, without gaps.
    pub seq: u64,
    /// UTC time, milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// Who: a person's name, or "-" before anyone is known.
    pub actor: String,
    /// What, e.g. "reveal", "login", "entry.create".
    pub action: String,
    /// On what, e.g. a platform name; "" when nothing.
    pub target: String,
    /// How it ended.
    pub outcome: Outcome,
    /// The reason the actor gave (reveals), or what went wrong.
    pub reason: String,
    /// Extra facts, `key=value` separated by spaces (field, version, role...).
    pub detail: String,
    /// The client's address.
    pub client_addr: String,
    /// The client's name and version.
    pub client_agent: String,
}

impl AuditEvent {
    /// The canonical encoding that the hash covers.
    pub(crate) fn canonical(&self) -> Vec<u8> {
        // Serialising plain strings and integers into a Vec cannot fail.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Chains this event after `prev`.
    pub(crate) fn chain_hash(&self, prev: &[u8; 32]) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"coffre/audit/v1");
        h.update(prev);
        h.update(self.canonical());
        h.finalize().into()
    }
}

/// What a caller fills in; the writer assigns the sequence number.
#[derive(Clone, Debug)]
pub(crate) struct NewEvent {
    /// Who.
    pub(crate) actor: String,
    /// What.
    pub(crate) action: &'static str,
    /// On what.
    pub(crate) target: String,
    /// How it ended.
    pub(crate) outcome: Outcome,
    /// Why.
    pub(crate) reason: String,
    /// Extra facts.
    pub(crate) detail: String,
    /// Client address.
    pub(crate) client_addr: String,
    /// Client agent.
    pub(crate) client_agent: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: u64, actor: &str) -> AuditEvent {
        AuditEvent {
            seq,
            time_ms: 1_700_000_000_000,
            actor: actor.into(),
            action: "reveal".into(),
            target: "Facebook".into(),
            outcome: Outcome::Success,
            reason: "post the weekly video".into(),
            detail: "field=password version=1".into(),
            client_addr: "127.0.0.1:5000".into(),
            client_agent: "coffre/0.1.0".into(),
        }
    }

    #[test]
    fn hash_depends_on_previous_hash_and_every_field() {
        let a = event(1, "alice");
        let h = a.chain_hash(&GENESIS);
        assert_ne!(h, a.chain_hash(&[1; 32]));
        assert_ne!(h, event(1, "alicf").chain_hash(&GENESIS));
        assert_ne!(h, event(2, "alice").chain_hash(&GENESIS));
        assert_eq!(h, event(1, "alice").chain_hash(&GENESIS));
    }
}
