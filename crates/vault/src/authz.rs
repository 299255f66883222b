//! Authorisation, in one place, deny by default (DESIGN.md, "Authorisation").
//!
//! Every engine operation that needs a session names its [`Action`] and asks [`check`]. The table in
//! [`check`] is the access policy. Grants for members and access managers come with the people-and-grants
//! work; until then only owners may touch entries, and everyone else is refused.

use crate::{Error, Result, model::Role};

/// Something a caller wants to do.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Action {
    /// Seal the vault.
    Seal,
    /// See who one is.
    WhoAmI,
    /// Add an entry.
    CreateEntry,
    /// Change or archive an entry.
    ChangeEntry,
    /// See entries' metadata.
    ReadEntry,
    /// See the version history of an entry.
    ReadHistory,
    /// Reveal a secret field of the current version.
    Reveal,
    /// Reveal a secret field of an older version.
    RevealOldVersion,
    /// List the audit log's events.
    ReadAudit,
    /// Export the audit log.
    ExportAudit,
}

impl Action {
    /// The action's name in audit events.
    pub(crate) fn audit_name(self) -> &'static str {
        match self {
            Action::Seal => "seal",
            Action::WhoAmI => "whoami",
            Action::CreateEntry => "entry.create",
            Action::ChangeEntry => "entry.update",
            Action::ReadEntry => "entry.read",
            Action::ReadHistory => "entry.history",
            Action::Reveal | Action::RevealOldVersion => "reveal",
            Action::ReadAudit => "audit.list",
            Action::ExportAudit => "audit.export",
        }
    }
}

/// Allows or refuses `action` for `role`.
pub(crate) fn check(role: Role, action: Action) -> Result<()> {
    use Action::*;
    let allowed = match action {
        WhoAmI => true,
        ReadAudit | ExportAudit => role.is_owner() || role == Role::Auditor,
        Seal | CreateEntry | ChangeEntry | ReadEntry | ReadHistory | Reveal | RevealOldVersion => role.is_owner(),
    };
    if allowed { Ok(()) } else { Err(Error::Denied(denial(role, action))) }
}

fn denial(role: Role, action: Action) -> &'static str {
    match (role, action) {
        (Role::Auditor, Action::Reveal | Action::RevealOldVersion) => "auditors never reveal secrets",
        (_, Action::ReadAudit | Action::ExportAudit) => {
            "only the president, the leader and auditors may read the audit log"
        }
        (_, Action::Seal) => "only the president or the leader may seal the vault",
        (_, Action::CreateEntry | Action::ChangeEntry) => "only the president or the leader may change entries",
        (_, Action::ReadHistory | Action::RevealOldVersion) => "only the president or the leader may see old versions",
        _ => "no grant covers this entry; ask the president or an access manager",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_ACTIONS: [Action; 10] = [
        Action::Seal,
        Action::WhoAmI,
        Action::CreateEntry,
        Action::ChangeEntry,
        Action::ReadEntry,
        Action::ReadHistory,
        Action::Reveal,
        Action::RevealOldVersion,
        Action::ReadAudit,
        Action::ExportAudit,
    ];

    #[test]
    fn owners_may_do_everything_auditors_read_the_log_and_others_only_whoami() {
        for role in [Role::President, Role::Leader, Role::AccessManager, Role::Member, Role::Auditor] {
            for action in ALL_ACTIONS {
                let allowed = check(role, action).is_ok();
                let reads_log = matches!(action, Action::ReadAudit | Action::ExportAudit);
                let expected = role.is_owner() || action == Action::WhoAmI || (role == Role::Auditor && reads_log);
                assert_eq!(allowed, expected, "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn an_auditor_is_told_it_never_reveals() {
        let msg = check(Role::Auditor, Action::Reveal).err().map(|e| e.to_string());
        assert_eq!(msg.as_deref(), Some("permission denied: auditors never reveal secrets"));
    }
}
