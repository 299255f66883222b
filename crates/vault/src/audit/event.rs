//! What callers fill in; the writer assigns the sequence number and time, and chains the event.
//!
//! The event itself, its canonical encoding and the chain hash are in `coffre-audit`, shared with the offline
//! verifier.

use coffre_audit::Outcome;

/// A new event, before the writer numbers it.
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
