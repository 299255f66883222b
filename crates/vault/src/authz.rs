//! Authorisation, in one place, deny by default (DESIGN.md, "Authorisation").
//!
//! Every engine operation that needs a session names its [`Action`] and asks [`check`] (role x action). Operations
//! on one entry then ask [`check_entry`] (role x the entry's classification, category and lifecycle x the caller's
//! grants x now); operations on people and grants ask [`check_add_person`], [`check_manage_person`],
//! [`check_grant`] and [`check_revoke`]. The seal state is checked before any of these: while sealed nothing but
//! status, init, unseal and a recovery (share submission and its completion, which need no session) answers
//! (FAILED_PRECONDITION). Together these functions are the access policy; the
//! table-driven test in `tests/authz_table.rs` walks every operation against them.
//!
//! The policy in words:
//! - the president and the leader (owners) may do everything, except that only the president may offboard the
//!   leader or reset the leader's enrolment, nobody offboards the president or resets the president's enrolment,
//!   and nobody does either to themselves; only owners issue a new share set (rekey) or take a backup;
//! - an access manager adds members, and grants and revokes members' access to entries classified public or
//!   restricted; it sees the members and the grants it made (and its own); with a grant of its own from an owner
//!   it reads and reveals like a member;
//! - a member sees the metadata of, and reveals, only what a live grant covers: a grant is live until its expiry
//!   (`now >= expires` is expired, checked at every call) unless revoked; an access manager's grant never covers an
//!   entry above restricted, even after a reclassification; planned entries (an account being prepared, whose
//!   password may still change before it is used) and archived entries stay with the owners, whatever the grants:
//!   a member neither lists nor reveals them, and a grant on one starts to work when it is made active; a reveal of a
//!   very confidential entry also needs an owner's approval of that person's request, approved, unused and
//!   unexpired, which the reveal uses up (the two-person rule, [`needs_approval`] and [`usable_approval`]); a TOTP
//!   seed (which makes codes forever) is the owners', a member reveals the current code; a person a live grant
//!   covers may flag the entry compromised (report an incident) and ask for approvals, and sees their own requests;
//! - rotation (stage, confirm, cancel, reveal of the staged password), the rotation-due report and deciding
//!   requests for approval are the owners'; an owner never decides a request of their own;
//! - an auditor never reveals, gets no grant, and sees no entry; it reads and exports the audit log, as owners do
//!   (members and access managers see nothing of the log);
//! - for a non-owner, an entry no grant covers and an entry that does not exist get the same PERMISSION_DENIED, so
//!   that probing names tells nothing; likewise an access manager granting access to an entry that does not exist
//!   and to one above restricted gets the same refusal ([`check_grant`]);
//! - who left and what they saw is for owners and auditors: a member reading an entry flagged for rotation learns
//!   only that a person who had access left ([`rotation_due_seen_by`]);
//! - an entry's recovery contacts (people's own numbers and addresses) are the owners': a member or an access
//!   manager a grant covers sees the entry without them ([`recovery_contacts_seen_by`]).

use crate::reasons::{self, Reason};
use crate::{
    Error, Result,
    model::{ApprovalState, Classification, Lifecycle, Role, RotationDue},
    records::{ApprovalRecord, GrantRecord, Id, StoredScope},
};

/// Something a caller wants to do.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Action {
    /// Seal the vault.
    Seal,
    /// See who one is.
    WhoAmI,
    /// End one's session.
    Logout,
    /// Change one's own passphrase.
    ChangeOwnPassphrase,
    /// Add an entry.
    CreateEntry,
    /// Change or archive an entry.
    ChangeEntry,
    /// List entries' metadata (filtered by grants for non-owners).
    ListEntries,
    /// See one entry's metadata.
    ReadEntry,
    /// See the version history of an entry.
    ReadHistory,
    /// Reveal a secret field of the current version.
    Reveal,
    /// Reveal a secret field of an older version.
    RevealOldVersion,
    /// Issue a new share set; the old one no longer opens the vault (backups taken before still need it).
    Rekey,
    /// Take a backup.
    Backup,
    /// See the current share set's holders and when it was issued, and the backups the daemon wrote.
    ReadRecovery,
    /// Add a person.
    AddPerson,
    /// List people.
    ListPeople,
    /// Offboard a person.
    OffboardPerson,
    /// Reset a person's enrolment (new code, new passphrase and second factor).
    ResetEnrolment,
    /// Grant access.
    AddGrant,
    /// List grants (filtered by role).
    ListGrants,
    /// Revoke a grant.
    RevokeGrant,
    /// List the audit log's events.
    ReadAudit,
    /// Export the audit log.
    ExportAudit,
    /// Reveal the TOTP seed of a platform account (the current code is [`Action::Reveal`]).
    RevealTotpSeed,
    /// Stage a rotation: a new password as the pending version.
    StageRotation,
    /// Make the staged password current.
    ConfirmRotation,
    /// Drop the staged password.
    CancelRotation,
    /// Reveal the staged password (to set it on the platform).
    RevealPending,
    /// See which entries are due for rotation, and which rotations are staged.
    RotationDue,
    /// Flag an entry compromised.
    FlagEntry,
    /// Ask for an owner's approval to reveal a very confidential entry once.
    RequestApproval,
    /// List requests for approval (owners: all; others: their own).
    ListApprovals,
    /// Approve or deny a request.
    DecideApproval,
    /// Export the register of official accounts (no secret, login or note).
    ExportRegistry,
    /// Export it with the accounts' recovery contacts (people's phone numbers and addresses).
    ExportRegistryContacts,
}

impl Action {
    /// Whether a session may do it while the store lacks a change the audit log holds
    /// ([`crate::Error::StoreCatchingUp`]): only what reads nothing the store holds, so that an owner can still seal
    /// the vault (the writer takes the seal after the missed change, `journal::Pending::Seal`) and a page can say
    /// who is logged in. Everything else waits until the store has caught up.
    pub(crate) fn served_while_catching_up(self) -> bool {
        matches!(self, Action::Seal | Action::WhoAmI)
    }

    /// The action's name in audit events.
    pub(crate) fn audit_name(self) -> &'static str {
        match self {
            Action::Seal => "seal",
            Action::WhoAmI => "whoami",
            Action::Logout => "logout",
            Action::ChangeOwnPassphrase => "passwd",
            Action::CreateEntry => "entry.create",
            Action::ChangeEntry => "entry.update",
            Action::ListEntries | Action::ReadEntry => "entry.read",
            Action::ReadHistory => "entry.history",
            Action::Reveal | Action::RevealOldVersion => "reveal",
            Action::Rekey => "rekey",
            Action::Backup => "backup",
            Action::ReadRecovery => "recovery.read",
            Action::AddPerson => "person.add",
            Action::ListPeople => "person.list",
            Action::OffboardPerson => "person.offboard",
            Action::ResetEnrolment => "enrolment.reset",
            Action::AddGrant => "grant.add",
            Action::ListGrants => "grant.list",
            Action::RevokeGrant => "grant.revoke",
            Action::ReadAudit => "audit.list",
            Action::ExportAudit => "audit.export",
            Action::RevealTotpSeed | Action::RevealPending => "reveal",
            Action::StageRotation => "rotation.stage",
            Action::ConfirmRotation => "rotation.confirm",
            Action::CancelRotation => "rotation.cancel",
            Action::RotationDue => "rotation.due",
            Action::FlagEntry => "entry.flag",
            Action::RequestApproval => "approval.request",
            Action::ListApprovals => "approval.list",
            Action::DecideApproval => "approval.decide",
            Action::ExportRegistry | Action::ExportRegistryContacts => "registry.export",
        }
    }
}

/// Role x action: may this role attempt this action at all? Per-entry, per-person and per-grant rules follow.
pub(crate) fn check(role: Role, action: Action) -> Result<()> {
    use Action::*;
    use Role::*;
    let allowed = match (action, role) {
        (WhoAmI | Logout | ChangeOwnPassphrase, _) => true,
        (_, President | Leader) => true,
        // What a live grant covers is decided entry by entry, in `check_entry`.
        (ListEntries | ReadEntry | Reveal | ListGrants, AccessManager | Member) => true,
        (FlagEntry | RequestApproval | ListApprovals, AccessManager | Member) => true,
        (AddPerson | ListPeople | AddGrant | RevokeGrant, AccessManager) => true,
        (ReadAudit | ExportAudit, Auditor) => true,
        // The register holds no secret, login or note: it is made to be shown, and checking it is an auditor's
        // work. Recovery contacts are people's own numbers and addresses: the owners'.
        (ExportRegistry, Auditor) => true,
        _ => false,
    };
    if allowed { Ok(()) } else { Err(Error::Denied(denial(role, action))) }
}

fn denial(role: Role, action: Action) -> Reason {
    match (role, action) {
        (Role::Auditor, Action::Reveal | Action::RevealOldVersion) => reasons::AUDITORS_NEVER_REVEAL,
        (Role::Auditor, Action::ListEntries | Action::ReadEntry | Action::FlagEntry) => {
            reasons::AUDITORS_READ_NO_ENTRIES
        }
        (Role::Auditor, Action::RequestApproval) => reasons::AUDITORS_NEVER_REVEAL,
        (Role::Auditor, Action::ListApprovals) => reasons::AUDITORS_SEE_APPROVALS_IN_LOG,
        (_, Action::ExportRegistryContacts) => reasons::OWNERS_EXPORT_CONTACTS,
        (_, Action::ExportRegistry) => reasons::EXPORT_REGISTER,
        (_, Action::RevealTotpSeed) => reasons::OWNERS_REVEAL_TOTP_SEED,
        (_, Action::StageRotation | Action::ConfirmRotation | Action::CancelRotation | Action::RevealPending) => {
            reasons::OWNERS_ROTATE
        }
        (_, Action::RotationDue) => reasons::OWNERS_SEE_DUE,
        (_, Action::DecideApproval) => reasons::OWNERS_DECIDE,
        (_, Action::Seal) => reasons::OWNERS_SEAL,
        (_, Action::CreateEntry | Action::ChangeEntry) => reasons::OWNERS_CHANGE_ENTRIES,
        (_, Action::ReadHistory | Action::RevealOldVersion) => reasons::OWNERS_SEE_OLD_VERSIONS,
        (_, Action::Rekey) => reasons::OWNERS_REKEY,
        (_, Action::Backup) => reasons::OWNERS_BACKUP,
        (_, Action::ReadRecovery) => reasons::OWNERS_SEE_RECOVERY,
        (_, Action::AddPerson | Action::ListPeople) => reasons::MANAGERS_MANAGE_PEOPLE,
        (_, Action::OffboardPerson | Action::ResetEnrolment) => reasons::OWNERS_OFFBOARD,
        (_, Action::AddGrant | Action::RevokeGrant) => reasons::MANAGERS_GRANT,
        (_, Action::ListGrants) => reasons::AUDITORS_SEE_GRANTS_IN_LOG,
        (_, Action::ReadAudit | Action::ExportAudit) => reasons::READ_AUDIT,
        _ => reasons::NO_LIVE_GRANT,
    }
}

/// What the policy needs to know about the entry a call is about.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EntryFacts {
    pub(crate) id: Id,
    pub(crate) category: crate::model::Category,
    pub(crate) classification: Classification,
    pub(crate) lifecycle: Lifecycle,
}

/// Whether `grant` covers `entry` at `now_ms`: not revoked, not expired, the entry (or its category) in scope, and
/// the entry's classification at most the grant's ceiling.
pub(crate) fn covers(grant: &GrantRecord, entry: &EntryFacts, now_ms: i64) -> bool {
    let in_scope = match grant.scope {
        StoredScope::Entry(id) => id == entry.id,
        StoredScope::Category(category) => category == entry.category,
    };
    grant.revoked.is_none() && now_ms < grant.expires_ms && in_scope && entry.classification <= grant.ceiling
}

/// Role x entry x grants x now, for [`Action::ListEntries`], [`Action::ReadEntry`] and [`Action::Reveal`] (and
/// the owner-only entry actions, for which it only repeats [`check`]). `grants` are the caller's own.
pub(crate) fn check_entry(
    role: Role,
    action: Action,
    entry: &EntryFacts,
    grants: &[GrantRecord],
    now_ms: i64,
) -> Result<()> {
    check(role, action)?;
    if role.is_owner() {
        return Ok(());
    }
    // Only an active entry is ever a non-owner's: planned and archived ones are the owners'.
    if entry.lifecycle != Lifecycle::Active || !grants.iter().any(|g| covers(g, entry, now_ms)) {
        return Err(Error::Denied(reasons::NO_LIVE_GRANT));
    }
    // A reveal of a very confidential entry is allowed this far; the two-person rule follows (`usable_approval`).
    Ok(())
}

/// The action of revealing `version` (`None`: the current one) of an entry whose current version is `current`, for
/// a field whose current value is `field_action`'s: naming the current version is not revealing an old one, so a
/// member may write `--version N` for the version they see.
pub(crate) fn reveal_action(field_action: Action, version: Option<u32>, current: u32) -> Action {
    match version {
        Some(version) if version != current => Action::RevealOldVersion,
        _ => field_action,
    }
}

/// Whether this reveal needs the two-person rule: a non-owner revealing (password, notes or TOTP code of) a very
/// confidential entry. Decided on facts already in hand, so that other reveals read nothing more.
pub(crate) fn needs_approval(role: Role, action: Action, entry: &EntryFacts) -> bool {
    !role.is_owner() && action == Action::Reveal && entry.classification == Classification::VeryConfidential
}

/// The approval that lets `person` reveal `entry` once at `now_ms`, among `approvals` (the person's requests):
/// approved, not used, not expired. Otherwise a refusal that says where the person's request stands.
pub(crate) fn usable_approval<'a>(
    approvals: &'a [ApprovalRecord],
    person: &Id,
    entry: &Id,
    now_ms: i64,
) -> Result<&'a ApprovalRecord> {
    let mine = || approvals.iter().filter(|a| a.person == *person && a.entry == *entry);
    if let Some(usable) = mine().find(|a| a.state_at(now_ms) == ApprovalState::Approved) {
        return Ok(usable);
    }
    let states: Vec<ApprovalState> = mine().map(|a| a.state_at(now_ms)).collect();
    Err(Error::Denied(if states.contains(&ApprovalState::Pending) {
        reasons::APPROVAL_PENDING
    } else {
        reasons::NEEDS_APPROVAL
    }))
}

/// Deciding a request: owners only, never their own.
pub(crate) fn check_decide(actor: Role, actor_id: &Id, approval: &ApprovalRecord) -> Result<()> {
    check(actor, Action::DecideApproval)?;
    if approval.person == *actor_id {
        return Err(Error::Denied(reasons::DECIDE_OWN_REQUEST));
    }
    Ok(())
}

/// Who sees which request in `list_approvals`: owners all; others their own.
pub(crate) fn may_see_approval(actor: Role, actor_id: &Id, approval: &ApprovalRecord) -> bool {
    actor.is_owner() || approval.person == *actor_id
}

/// The refusal for a non-owner asking about an entry that does not exist: the same as for one no grant covers.
pub(crate) fn not_covered() -> Error {
    Error::Denied(reasons::NO_LIVE_GRANT)
}

/// Which roles `actor` may add.
pub(crate) fn check_add_person(actor: Role, new: Role) -> Result<()> {
    use Role::*;
    check(actor, Action::AddPerson)?;
    match (actor, new) {
        (_, President) => Err(Error::Denied(reasons::ONE_PRESIDENT)),
        (President, _) => Ok(()),
        (Leader, Leader) => Err(Error::Denied(reasons::PRESIDENT_ADDS_LEADER)),
        (Leader, _) => Ok(()),
        (AccessManager, Member) => Ok(()),
        _ => Err(Error::Denied(reasons::MANAGER_ADDS_MEMBERS)),
    }
}

/// Offboarding and enrolment resets: owners only; nobody offboards the president or acts on themselves; only the
/// president acts on the leader.
pub(crate) fn check_manage_person(actor: Role, is_self: bool, target: Role, action: Action) -> Result<()> {
    check(actor, action)?;
    if is_self {
        return Err(Error::Denied(match action {
            Action::OffboardPerson => reasons::OFFBOARD_SELF,
            _ => reasons::RESET_OWN_ENROLMENT,
        }));
    }
    match (actor, target) {
        (_, Role::President) => Err(Error::Denied(match action {
            Action::OffboardPerson => reasons::OFFBOARD_PRESIDENT,
            _ => reasons::RESET_PRESIDENT,
        })),
        (actor, Role::Leader) if actor != Role::President => Err(Error::Denied(reasons::PRESIDENT_MANAGES_LEADER)),
        _ => Ok(()),
    }
}

/// Who may see whom in `list_people`: owners everyone, an access manager the members.
pub(crate) fn may_see_person(actor: Role, person: Role) -> bool {
    actor.is_owner() || (actor == Role::AccessManager && person == Role::Member)
}

/// What a grant is for, as far as the policy needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GrantTarget {
    /// A category (whose ceiling then applies at every call).
    Category,
    /// An existing entry, with its classification.
    Entry(Classification),
    /// A platform name no entry has.
    MissingEntry,
}

/// Granting: who to, and up to which classification. Returns the grant's ceiling. For a non-owner, an entry that
/// does not exist and one above restricted get the same refusal, so that granting does not tell which names exist.
pub(crate) fn check_grant(actor: Role, grantee: Role, target: GrantTarget) -> Result<Classification> {
    check(actor, Action::AddGrant)?;
    match (actor.is_owner(), grantee) {
        (_, Role::Member) | (true, Role::AccessManager) => {}
        (false, _) => return Err(Error::Denied(reasons::MANAGER_GRANTS_MEMBERS)),
        (true, Role::Auditor) => return Err(Error::Denied(reasons::AUDITORS_GET_NO_GRANT)),
        (true, _) => return Err(Error::Denied(reasons::OWNERS_SEE_EVERYTHING)),
    }
    match (actor.is_owner(), target) {
        (true, GrantTarget::MissingEntry) => Err(Error::NotFound(reasons::NO_ENTRY)),
        (true, _) => Ok(Classification::VeryConfidential),
        (false, GrantTarget::MissingEntry) => Err(Error::Denied(reasons::MANAGER_CEILING)),
        (false, GrantTarget::Entry(c)) if c > Classification::Restricted => {
            Err(Error::Denied(reasons::MANAGER_CEILING))
        }
        (false, _) => Ok(Classification::Restricted),
    }
}

/// What `role` learns of why an entry's password must change: owners (and auditors, who read the log where it is
/// written anyway) see who left; anyone else only that a person who had access left, never a colleague's name.
pub(crate) fn rotation_due_seen_by(role: Role, due: RotationDue) -> RotationDue {
    if role.is_owner() || role == Role::Auditor {
        due
    } else {
        RotationDue { detail: crate::model::DueDetail::Left, since: due.since }
    }
}

/// Which of an entry's recovery contacts `role` sees: they are people's own phone numbers and addresses, the
/// owners' (the register gives them to owners who ask, never to an auditor); anyone else a grant covers sees the
/// rest of the entry's metadata, and none of them.
pub(crate) fn recovery_contacts_seen_by(role: Role, contacts: Vec<String>) -> Vec<String> {
    if role.is_owner() { contacts } else { Vec::new() }
}

/// Revoking: owners any grant, an access manager the grants it made.
pub(crate) fn check_revoke(actor: Role, actor_id: &Id, grant: &GrantRecord) -> Result<()> {
    check(actor, Action::RevokeGrant)?;
    if actor.is_owner() || grant.granted_by_id == *actor_id {
        Ok(())
    } else {
        Err(Error::Denied(reasons::MANAGER_REVOKES_OWN))
    }
}

/// Who sees which grant in `list_grants`: owners all; others the grants they hold and those they made.
pub(crate) fn may_see_grant(actor: Role, actor_id: &Id, grant: &GrantRecord) -> bool {
    actor.is_owner() || grant.person == *actor_id || grant.granted_by_id == *actor_id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::StoredApproval;

    #[test]
    fn an_auditor_is_told_it_never_reveals() {
        let msg = check(Role::Auditor, Action::Reveal).err().map(|e| e.to_string());
        assert_eq!(msg.as_deref(), Some("permission denied: auditors never reveal secrets"));
    }

    #[test]
    fn only_owners_rekey_take_backups_or_see_who_holds_shares() {
        for role in [Role::President, Role::Leader, Role::AccessManager, Role::Member, Role::Auditor] {
            for action in [Action::Rekey, Action::Backup, Action::ReadRecovery] {
                assert_eq!(check(role, action).is_ok(), role.is_owner(), "{role:?} {action:?}");
            }
        }
    }

    fn grant(scope: StoredScope, ceiling: Classification, expires_ms: i64) -> GrantRecord {
        GrantRecord {
            id: [1; 16],
            person: [2; 16],
            person_name: "Dave".into(),
            scope,
            ceiling,
            task: "t".into(),
            created_ms: 0,
            expires_ms,
            granted_by: "Alice".into(),
            granted_by_id: [3; 16],
            revoked: None,
            expiry_audited: false,
        }
    }

    #[test]
    fn a_grant_covers_its_scope_up_to_its_ceiling_until_the_millisecond_of_its_expiry() {
        use crate::model::Category;
        let entry = |classification| EntryFacts {
            id: [9; 16],
            category: Category::SocialNetwork,
            classification,
            lifecycle: Lifecycle::Active,
        };
        let live = grant(StoredScope::Entry([9; 16]), Classification::Restricted, 1_000);
        assert!(covers(&live, &entry(Classification::Restricted), 999));
        assert!(!covers(&live, &entry(Classification::Restricted), 1_000), "now >= expires is expired");
        assert!(!covers(&live, &entry(Classification::Confidential), 0), "above its ceiling");
        let category = grant(StoredScope::Category(Category::SocialNetwork), Classification::VeryConfidential, 1_000);
        assert!(covers(&category, &entry(Classification::VeryConfidential), 0));
        let other = grant(StoredScope::Category(Category::Software), Classification::VeryConfidential, 1_000);
        assert!(!covers(&other, &entry(Classification::Public), 0));
    }

    #[test]
    fn a_member_sees_a_very_confidential_entry_it_is_granted_but_does_not_reveal_it_alone() {
        let facts = EntryFacts {
            id: [9; 16],
            category: crate::model::Category::Financial,
            classification: Classification::VeryConfidential,
            lifecycle: Lifecycle::Active,
        };
        let grants = [grant(StoredScope::Entry([9; 16]), Classification::VeryConfidential, 1_000)];
        assert!(check_entry(Role::Member, Action::ReadEntry, &facts, &grants, 0).is_ok());
        assert!(needs_approval(Role::Member, Action::Reveal, &facts));
        assert!(!needs_approval(Role::President, Action::Reveal, &facts), "owners reveal without approval");
        assert!(!needs_approval(
            Role::Member,
            Action::Reveal,
            &EntryFacts { classification: Classification::Confidential, ..facts }
        ));
        let refused = usable_approval(&[], &[2; 16], &[9; 16], 0).err().map(|e| e.to_string());
        assert!(refused.is_some_and(|m| m.contains("owner's approval")));
        assert!(check_entry(Role::President, Action::Reveal, &facts, &[], 0).is_ok());
        let archived = EntryFacts { lifecycle: Lifecycle::Archived, ..facts };
        assert!(check_entry(Role::Member, Action::ReadEntry, &archived, &grants, 0).is_err(), "archived: owners only");
        let planned = EntryFacts { lifecycle: Lifecycle::Planned, ..facts };
        for action in [Action::ListEntries, Action::ReadEntry, Action::Reveal] {
            assert!(check_entry(Role::Member, action, &planned, &grants, 0).is_err(), "planned: owners only");
            assert!(check_entry(Role::President, action, &planned, &[], 0).is_ok());
        }
    }

    fn approval(state: StoredApproval, expires_ms: i64) -> ApprovalRecord {
        ApprovalRecord {
            id: [5; 16],
            person: [2; 16],
            person_name: "Dave".into(),
            entry: [9; 16],
            reason: "r".into(),
            created_ms: 0,
            state,
            decided_by: None,
            decided_ms: None,
            decision_reason: String::new(),
            expires_ms,
            used_ms: None,
        }
    }

    #[test]
    fn only_an_approved_unused_unexpired_approval_of_that_person_for_that_entry_opens_a_reveal() {
        let (dave, entry) = ([2; 16], [9; 16]);
        let approved = [approval(StoredApproval::Approved, 1_000)];
        assert!(usable_approval(&approved, &dave, &entry, 999).is_ok());
        assert!(usable_approval(&approved, &dave, &entry, 1_000).is_err(), "now >= expires is expired");
        assert!(usable_approval(&approved, &[3; 16], &entry, 0).is_err(), "another person's approval");
        assert!(usable_approval(&approved, &dave, &[8; 16], 0).is_err(), "another entry's approval");
        for state in [StoredApproval::Used, StoredApproval::Denied] {
            assert!(usable_approval(&[approval(state, 1_000)], &dave, &entry, 0).is_err(), "{state:?}");
        }
        let pending = [approval(StoredApproval::Pending, 1_000)];
        let refused = usable_approval(&pending, &dave, &entry, 0).err().map(|e| e.to_string());
        assert!(refused.is_some_and(|m| m.contains("waiting for")));
        let mut mixed = vec![approval(StoredApproval::Used, 1_000), approval(StoredApproval::Approved, 1_000)];
        mixed[1].id = [6; 16];
        assert_eq!(usable_approval(&mixed, &dave, &entry, 0).map(|a| a.id).ok(), Some([6; 16]));
    }

    #[test]
    fn owners_decide_requests_but_not_their_own() {
        let request = approval(StoredApproval::Pending, 1_000);
        assert!(check_decide(Role::President, &[1; 16], &request).is_ok());
        assert!(check_decide(Role::Leader, &[2; 16], &request).is_err(), "one's own request");
        for role in [Role::AccessManager, Role::Member, Role::Auditor] {
            assert!(check_decide(role, &[1; 16], &request).is_err(), "{role:?}");
        }
    }

    #[test]
    fn only_the_president_manages_the_leader_and_nobody_the_president() {
        use Action::{OffboardPerson, ResetEnrolment};
        for action in [OffboardPerson, ResetEnrolment] {
            assert!(check_manage_person(Role::President, false, Role::Leader, action).is_ok());
            assert!(check_manage_person(Role::Leader, false, Role::Leader, action).is_err());
            assert!(check_manage_person(Role::Leader, false, Role::President, action).is_err());
            assert!(check_manage_person(Role::President, true, Role::President, action).is_err());
            assert!(check_manage_person(Role::Leader, false, Role::Member, action).is_ok());
            assert!(check_manage_person(Role::AccessManager, false, Role::Member, action).is_err());
        }
    }
}
