//! Why the engine refuses a request, as a stable code and an English sentence.
//!
//! Every refusal that is not built from values ([`crate::Error::Denied`], `NotFound`, `WrongState`, `Exists`) names
//! one of these. The text is the error's `Display`: what the daemon's log, old clients and the English catalogue
//! show. The code is sent with the gRPC status (`coffre-error` metadata, see coffred's `status.rs`) so that a client
//! shows the sentence in its reader's language (`daemon-reason-<code>` in coffre-i18n's catalogue). Codes are part
//! of the interface: change a text freely, never a code's meaning; a new refusal gets a new code.

use std::fmt;

/// A refusal's stable code and its English text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reason {
    /// Stable, kebab-case: what clients look up in their catalogue.
    pub code: &'static str,
    /// The English sentence: safe to show, says what to do next where it can.
    pub text: &'static str,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

macro_rules! reasons {
    ($($name:ident = $code:literal: $text:literal;)*) => {
        $(
            #[doc = $text]
            pub const $name: Reason = Reason { code: $code, text: $text };
        )*
        /// Every reason, for the tests that check each has a message in every language.
        pub const ALL: &[Reason] = &[$($name),*];
    };
}

reasons! {
    APPROVAL_NOT_NEEDED_FOR_OWNERS = "approval-not-needed-for-owners":
        "owners reveal very confidential entries without approval";
    APPROVAL_NOT_NEEDED = "approval-not-needed":
        "this entry is not very confidential: it needs no approval, reveal it with `coffre reveal`";
    APPROVAL_ALREADY_ASKED = "approval-already-asked":
        "a request of yours for this entry that is pending or approved and unused (see `coffre approval list`)";
    APPROVAL_EXPIRED = "approval-expired":
        "this request expired before anyone decided it: it must be asked again";
    APPROVAL_DECIDED_ALREADY = "approval-decided-already":
        "this request was decided already: see `coffre approval list --all`";
    NO_REQUEST = "no-request":
        "no request with that id: see `coffre approval list --all`";
    ENROLMENT_NOT_STARTED = "enrolment-not-started":
        "this enrolment has not started: run `coffre enroll CODE` without --totp";
    CURRENT_PASSPHRASE_WRONG = "current-passphrase-wrong":
        "the current passphrase is wrong: nothing was changed";
    DECIDE_OWN_REQUEST = "decide-own-request":
        "you cannot decide a request of your own: another owner must";
    ONE_PRESIDENT = "one-president":
        "a vault has one president, named at init";
    PRESIDENT_ADDS_LEADER = "president-adds-leader":
        "only the president may add a leader";
    MANAGER_ADDS_MEMBERS = "manager-adds-members":
        "an access manager may add members only";
    PRESIDENT_MANAGES_LEADER = "president-manages-leader":
        "only the president may offboard the leader or reset the leader's enrolment";
    MANAGER_GRANTS_MEMBERS = "manager-grants-members":
        "an access manager may grant access to members only";
    AUDITORS_GET_NO_GRANT = "auditors-get-no-grant":
        "auditors never reveal secrets: they get no grant";
    OWNERS_SEE_EVERYTHING = "owners-see-everything":
        "the president and the leader see everything already";
    NO_ENTRY = "no-entry":
        "no entry by that name: see `coffre entry list`";
    MANAGER_REVOKES_OWN = "manager-revokes-own":
        "an access manager may revoke only the grants it made";
    NO_LIVE_GRANT = "no-live-grant":
        "no live grant covers this entry; ask the president or an access manager";
    MANAGER_CEILING = "manager-ceiling":
        "an access manager may grant access to existing public or restricted entries only: check the platform's name with `coffre entry list`, or ask the president or the leader";
    NEEDS_APPROVAL = "needs-approval":
        "a very confidential entry needs an owner's approval for each reveal: run `coffre approval request PLATFORM --reason TEXT`, then ask the president or the leader";
    APPROVAL_PENDING = "approval-pending":
        "your request for approval is waiting for the president's or the leader's decision";
    OFFBOARD_SELF = "offboard-self":
        "you cannot offboard yourself";
    RESET_OWN_ENROLMENT = "reset-own-enrolment":
        "you cannot reset your own enrolment: change your passphrase with `coffre passwd`";
    OFFBOARD_PRESIDENT = "offboard-president":
        "nobody offboards the president";
    RESET_PRESIDENT = "reset-president":
        "only the president's own passphrase and second factor open the president's account";
    AUDITORS_NEVER_REVEAL = "auditors-never-reveal":
        "auditors never reveal secrets";
    AUDITORS_READ_NO_ENTRIES = "auditors-read-no-entries":
        "auditors read the audit log, not entries";
    AUDITORS_SEE_APPROVALS_IN_LOG = "auditors-see-approvals-in-log":
        "auditors see requests for approval in the audit log";
    OWNERS_EXPORT_CONTACTS = "owners-export-contacts":
        "only the president or the leader may export recovery contacts: leave out --with-recovery-contacts";
    EXPORT_REGISTER = "export-register":
        "only the president, the leader and auditors may export the register";
    OWNERS_REVEAL_TOTP_SEED = "owners-reveal-totp-seed":
        "only the president or the leader may reveal a TOTP seed: reveal the current code with `--field totp`";
    OWNERS_ROTATE = "owners-rotate":
        "only the president or the leader may rotate passwords";
    OWNERS_SEE_DUE = "owners-see-due":
        "only the president or the leader may see which passwords are due for rotation";
    OWNERS_DECIDE = "owners-decide":
        "only the president or the leader may approve or deny a request";
    OWNERS_SEAL = "owners-seal":
        "only the president or the leader may seal the vault";
    OWNERS_CHANGE_ENTRIES = "owners-change-entries":
        "only the president or the leader may change entries";
    OWNERS_SEE_OLD_VERSIONS = "owners-see-old-versions":
        "only the president or the leader may see old versions";
    OWNERS_REKEY = "owners-rekey":
        "only the president or the leader may issue recovery shares";
    OWNERS_BACKUP = "owners-backup":
        "only the president or the leader may take a backup";
    OWNERS_SEE_RECOVERY = "owners-see-recovery":
        "only the president or the leader may see who holds recovery shares and which backups were written";
    MANAGERS_MANAGE_PEOPLE = "managers-manage-people":
        "only the president, the leader or an access manager may manage people";
    OWNERS_OFFBOARD = "owners-offboard":
        "only the president or the leader may offboard people or reset their enrolment";
    MANAGERS_GRANT = "managers-grant":
        "only the president, the leader or an access manager may grant or revoke access";
    AUDITORS_SEE_GRANTS_IN_LOG = "auditors-see-grants-in-log":
        "auditors see grants in the audit log";
    READ_AUDIT = "read-audit":
        "only the president, the leader and auditors may read the audit log";
    ENTRY_EXISTS = "entry-exists":
        "an entry for this platform";
    TOO_MANY_VERSIONS = "too-many-versions":
        "this entry has too many versions";
    NO_VERSION = "no-version":
        "no such version of this entry: see `coffre entry history`";
    NO_FIELD_IN_VERSION = "no-field-in-version":
        "this entry has no such secret field in that version";
    NO_PERSON = "no-person":
        "no person by that name: see `coffre person list`";
    OFFBOARDED_NO_GRANT = "offboarded-no-grant":
        "this person is offboarded: offboarded people get no grant";
    GRANT_REVOKED_ALREADY = "grant-revoked-already":
        "this grant is revoked already";
    NO_GRANT = "no-grant":
        "no grant with that id: see `coffre grant list`";
    LOG_WITHOUT_VAULT = "log-without-vault":
        "the data directory holds an audit log but no vault: start coffred on an empty data directory";
    PERSON_EXISTS = "person-exists":
        "a person of that name (offboarded people keep their name)";
    OFFBOARDED_ALREADY = "offboarded-already":
        "this person is offboarded already";
    OFFBOARDED_NEVER_REOPENED = "offboarded-never-reopened":
        "this person is offboarded: an offboarded account is never reopened";
    NO_SHARE_SET = "no-share-set":
        "this vault has no recovery share set: an owner issues one with `coffre recovery rekey`";
    NO_PERSON_IN_VAULT = "no-person-in-vault":
        "no person by that name in this vault";
    NO_PRESIDENT = "no-president":
        "this vault has no president: name the owner whose passphrase to set";
    ARCHIVED_NOT_ROTATED = "archived-not-rotated":
        "this entry is archived: an archived account is not rotated";
    ROTATION_STAGED_ALREADY = "rotation-staged-already":
        "a rotation is already staged for this entry: confirm or cancel it first";
    ARCHIVED_CANCEL_ROTATION = "archived-cancel-rotation":
        "this entry is archived: cancel its staged rotation";
    ROTATION_BASE_CHANGED = "rotation-base-changed":
        "this entry's secrets changed since the rotation was staged: cancel it and stage again";
    STAGED_PASSWORD_ONLY = "staged-password-only":
        "a staged rotation holds only a new password: reveal it with --field password";
    TOTP_SEED_UNREADABLE = "totp-seed-unreadable":
        "this entry's TOTP seed is not base32 text: an owner must replace it with `coffre entry edit PLATFORM --totp-seed-file FILE`";
    NO_ROTATION_STAGED = "no-rotation-staged":
        "no rotation is staged for this entry: stage one with `coffre rotate stage PLATFORM`";
    NO_AGE_HOLDER = "no-age-holder":
        "no recovery holder has an age key to encrypt backups to: issue a share set whose holders are named with age1... keys (`coffre recovery rekey --holder NAME=age1...`)";
    ROTATION_RESTAGED = "rotation-restaged":
        "the rotation staged now is not the one you named (it was cancelled and staged again): see `coffre rotation due` for who staged the current one";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut codes: Vec<&str> = ALL.iter().map(|r| r.code).collect();
        assert!(codes.iter().all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-')), "{codes:?}");
        codes.sort_unstable();
        let count = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), count, "a code is used twice");
    }
}
