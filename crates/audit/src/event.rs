//! Audit events, their canonical encoding and the hash chain.
//!
//! The hash of event n is `SHA-256("coffre/audit/v1" || hash(n-1) || canonical(n))`, with `hash(0)` = 32 zero
//! bytes ([`GENESIS`]). `canonical` is the [postcard] encoding of the event's fields in this order:
//!
//! | field | encoding |
//! | --- | --- |
//! | seq | unsigned varint |
//! | time_ms | zigzag varint (milliseconds since the Unix epoch, UTC) |
//! | actor, action, target | each: varint length, then UTF-8 bytes |
//! | outcome | varint: 0 success, 1 denied, 2 failure |
//! | reason, detail, client_addr, client_agent | each: varint length, then UTF-8 bytes |
//!
//! The encoding is part of the log format and of the export format: a field is never reordered or removed, only
//! appended with a format bump. [postcard]: https://postcard.jamesmunns.com/wire-format

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash "before" the first event.
pub const GENESIS: [u8; 32] = [0; 32];

/// Domain separation for the chain hash.
const CHAIN_LABEL: &[u8] = b"coffre/audit/v1";

/// How an audited action ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Outcome {
    /// It was done.
    Success,
    /// It was refused by policy (not allowed).
    Denied,
    /// It was attempted and failed (wrong passphrase, unknown name, audit not durable).
    Failure,
}

impl Outcome {
    /// The lower-case name used in exports and listings.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failure => "failure",
        }
    }

    /// Parses [`Outcome::as_str`]'s names.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "success" => Some(Outcome::Success),
            "denied" => Some(Outcome::Denied),
            "failure" => Some(Outcome::Failure),
            _ => None,
        }
    }
}

/// One audit event. In the daemon's log everything here is encrypted at rest; the sequence number and hash are
/// also kept in clear in the frame, so the chain's shape can be checked without the key.
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

/// The fields of an event, borrowed: the one definition of the canonical encoding, shared by the daemon (which
/// owns its events) and the verifier (which borrows them from export lines).
#[derive(Serialize)]
pub(crate) struct EventRef<'a> {
    pub(crate) seq: u64,
    pub(crate) time_ms: i64,
    pub(crate) actor: &'a str,
    pub(crate) action: &'a str,
    pub(crate) target: &'a str,
    pub(crate) outcome: Outcome,
    pub(crate) reason: &'a str,
    pub(crate) detail: &'a str,
    pub(crate) client_addr: &'a str,
    pub(crate) client_agent: &'a str,
}

impl EventRef<'_> {
    /// Appends the canonical encoding to `out`.
    pub(crate) fn encode_into(&self, out: &mut Vec<u8>) {
        // Serialising integers and strings into a Vec cannot fail.
        let taken = std::mem::take(out);
        *out = postcard::to_extend(self, taken).unwrap_or_default();
    }

    /// The chain hash of this event after `prev`; `scratch` is a reusable buffer.
    pub(crate) fn chain_hash(&self, prev: &[u8; 32], scratch: &mut Vec<u8>) -> [u8; 32] {
        scratch.clear();
        self.encode_into(scratch);
        chain_hash(prev, scratch)
    }
}

impl AuditEvent {
    pub(crate) fn as_ref(&self) -> EventRef<'_> {
        EventRef {
            seq: self.seq,
            time_ms: self.time_ms,
            actor: &self.actor,
            action: &self.action,
            target: &self.target,
            outcome: self.outcome,
            reason: &self.reason,
            detail: &self.detail,
            client_addr: &self.client_addr,
            client_agent: &self.client_agent,
        }
    }

    /// The canonical encoding that the hash covers (see the module docs). Also how the daemon stores the event,
    /// sealed, so [`AuditEvent::decode`] reads it back.
    pub fn canonical(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        self.as_ref().encode_into(&mut out);
        out
    }

    /// Reads a canonical encoding back, refusing trailing bytes.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        match postcard::take_from_bytes::<AuditEvent>(bytes) {
            Ok((event, [])) => Some(event),
            _ => None,
        }
    }

    /// This event's hash, chained after `prev`.
    pub fn chain_hash(&self, prev: &[u8; 32]) -> [u8; 32] {
        chain_hash(prev, &self.canonical())
    }
}

/// `SHA-256("coffre/audit/v1" || prev || canonical)`.
pub fn chain_hash(prev: &[u8; 32], canonical: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(CHAIN_LABEL);
    h.update(prev);
    h.update(canonical);
    h.finalize().into()
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::*;

    pub(crate) fn event(seq: u64, actor: &str) -> AuditEvent {
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

    #[test]
    fn the_canonical_encoding_is_pinned() {
        // A change here breaks every stored log and every export: bump the format instead.
        let e = AuditEvent {
            seq: 1,
            time_ms: 2,
            actor: "a".into(),
            action: "b".into(),
            target: "".into(),
            outcome: Outcome::Denied,
            reason: "r".into(),
            detail: "".into(),
            client_addr: "x".into(),
            client_agent: "y".into(),
        };
        assert_eq!(e.canonical(), [1, 4, 1, b'a', 1, b'b', 0, 1, 1, b'r', 0, 1, b'x', 1, b'y']);
    }

    proptest! {
        #[test]
        fn canonical_round_trips(
            seq in any::<u64>(), time_ms in any::<i64>(), actor in ".{0,40}", reason in ".{0,80}", outcome in 0..3u8,
        ) {
            let mut e = event(seq, &actor);
            e.time_ms = time_ms;
            e.reason = reason;
            e.outcome = [Outcome::Success, Outcome::Denied, Outcome::Failure][outcome as usize];
            prop_assert_eq!(AuditEvent::decode(&e.canonical()), Some(e));
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = AuditEvent::decode(&bytes);
        }
    }
}
