//! What is wrong with an invalid value ([`crate::Error::Invalid`]), as a stable code, its arguments and an English
//! sentence; and the fields such a value can be given in.
//!
//! Like [`crate::reasons`], so that a client shows an invalid value's refusal in its reader's language: coffred sends
//! the field's code (`coffre-field`), the problem's code (`coffre-problem`) and its arguments beside the English
//! message, and the client renders `daemon-field-<code>` and `daemon-problem-<code>` from coffre-i18n's catalogue.
//! Codes are part of the interface: change a text freely, never a code's meaning.
//!
//! The arguments are the values the English text shows, never a secret (a secret field's problem names its length
//! at most). A few problems carry the English `detail` of a lower layer (an age key that does not parse, a share
//! that does not decode): the sentence around it is translated, the detail is not.

use std::fmt;

use coffre_crypto::generator::PolicyError;

/// A field of a request, as its refusal names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// Stable, kebab-case: what clients look up in their catalogue (`daemon-field-<code>`).
    pub code: &'static str,
    /// The English name, as the English message shows it.
    pub text: &'static str,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

macro_rules! fields {
    ($($name:ident = $code:literal: $text:literal;)*) => {
        $(
            #[doc = concat!("The field \"", $text, "\".")]
            pub const $name: Field = Field { code: $code, text: $text };
        )*
        /// Every field, for the tests that check each has a name in every language.
        pub const FIELDS: &[Field] = &[$($name),*];
    };
}

fields! {
    PLATFORM = "platform": "platform";
    NEW_PLATFORM = "new-platform": "new platform";
    PAGE_TOKEN = "page-token": "page token";
    PAGE_SIZE = "page-size": "page_size";
    LIMIT = "limit": "limit";
    URL = "url": "url";
    LOGIN = "login": "login";
    RECOVERY_CONTACT = "recovery-contact": "recovery contact";
    TAG = "tag": "tag";
    PASSWORD = "password": "password";
    TOTP_SEED = "totp-seed": "TOTP seed";
    NOTES = "notes": "notes";
    REASON = "reason": "reason";
    TASK = "task": "task";
    PERSON = "person": "person";
    NAME = "name": "name";
    PRESIDENT = "president": "president";
    LEADER = "leader": "leader";
    OWNER = "owner": "owner";
    HOLDER = "holder": "holder";
    HOLDERS = "holders": "holders";
    THRESHOLD = "threshold": "threshold";
    SHARE = "share": "share";
    REQUEST_ID = "request-id": "request id";
    GRANT_ID = "grant-id": "grant id";
    ROTATION_ID = "rotation-id": "rotation id";
    EXPIRY = "expiry": "expiry";
    GENERATOR_POLICY = "generator-policy": "generator policy";
    KDF = "kdf": "kdf";
}

/// A value that stands in for an argument in [`Problem::examples`]: distinct per argument name, so a test can see
/// that a rendered message shows each of its arguments.
trait Example {
    fn example(name: &str) -> Self;
}

impl Example for String {
    fn example(name: &str) -> Self {
        format!("‹{name}›")
    }
}

impl Example for u64 {
    fn example(name: &str) -> Self {
        9000 + name.bytes().map(u64::from).sum::<u64>()
    }
}

macro_rules! problems {
    ($($(#[doc = $doc:literal])* $name:ident $({ $($arg:ident: $ty:ty),* })? = $code:literal: $text:literal;)*) => {
        /// What is wrong with a value. `Display` is the English text.
        #[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
        #[allow(missing_docs)]
        pub enum Problem {
            $(
                $(#[doc = $doc])*
                #[error($text)]
                $name $({ $($arg: $ty),* })?,
            )*
            /// A password-generator policy out of its bounds (coffre-crypto's own codes, `policy-*`).
            #[error(transparent)]
            Policy(PolicyError),
        }

        impl Problem {
            /// The stable code: the client renders `daemon-problem-<code>`.
            pub fn code(&self) -> &'static str {
                match self {
                    $(Problem::$name { .. } => $code,)*
                    Problem::Policy(policy) => policy.code(),
                }
            }

            /// The values the text shows, by name.
            pub fn arguments(&self) -> Vec<(&'static str, String)> {
                match self {
                    $(Problem::$name $({ $($arg),* })? => vec![$($((stringify!($arg), $arg.to_string())),*)?],)*
                    Problem::Policy(policy) => policy.arguments(),
                }
            }

            /// One of each problem, with a distinct value for each argument: for the tests that check every problem
            /// renders in every language.
            pub fn examples() -> Vec<Problem> {
                let mut all = vec![$(Problem::$name $({ $($arg: Example::example(stringify!($arg))),* })?,)*];
                all.extend(PolicyError::examples().into_iter().map(Problem::Policy));
                all
            }
        }
    };
}

problems! {
    Empty = "empty": "must not be empty";
    TooManyChars { chars: u64, max: u64 } = "too-many-chars": "is {chars} characters long; at most {max} allowed";
    TooManyBytes { bytes: u64, max: u64 } = "too-many-bytes": "is {bytes} bytes long; at most {max} allowed";
    TooManyItems { items: u64, max: u64 } = "too-many-items": "has {items} items; at most {max} allowed";
    EmptyItem = "empty-item": "items must not be empty";
    ControlCharacters = "control-characters": "must not contain control characters";
    NotAnId { command: String } = "not-an-id": "must be 8 to 32 hexadecimal characters, as `{command}` shows";
    NotARotationId = "not-a-rotation-id":
        "must be 8 to 32 hexadecimal characters, as `coffre rotate stage` showed";
    AmbiguousRequestId = "ambiguous-request-id": "matches several requests: give more of it";
    AmbiguousGrantId = "ambiguous-grant-id": "matches several grants: give more of it";
    ReasonRequired = "reason-required": "is required: say why you need this secret";
    RequestReasonRequired = "request-reason-required":
        "is required: say why you need this secret; the owners read it";
    TaskRequired = "task-required": "is required: say what the access is for";
    ReportRequired = "report-required": "is required: say what happened (what was exposed, when, how)";
    TotpSeedNotText = "totp-seed-not-text": "must be base32 text, as the platform shows it for an app";
    TotpSeedInvalid = "totp-seed-invalid":
        "is not a key an authenticator app accepts (16 to 103 base32 characters: letters A-Z and digits 2-7); copy \
         the key the platform shows under \"enter this key manually\"";
    TooManyEvents { max: u64 } = "too-many-events": "at most {max} events per page";
    TooManyEntries { max: u64 } = "too-many-entries": "at most {max} entries per page";
    ExpiryPast = "expiry-past": "is not in the future";
    ExpiryTooFar { days: u64 } = "expiry-too-far": "is too far away: a grant lasts at most {days} days";
    LeaderIsPresident = "leader-is-president": "must be a different person from the president";
    KdfOutOfBounds { detail: String } = "kdf-out-of-bounds": "{detail}";
    HoldersCount { min: u64, max: u64, count: u64 } = "holders-count":
        "name between {min} and {max} recovery holders (there are {count})";
    TooManyHolders = "too-many-holders": "too many";
    ThresholdRange { min: u64, holders: u64, threshold: u64 } = "threshold-range":
        "must be between {min} and the number of holders ({holders}), not {threshold}: one share alone must never \
         recover the vault";
    HolderNamedTwice { holder: String } = "holder-named-twice": "{holder} is named twice";
    HolderKey { holder: String, detail: String } = "holder-key": "{holder}: {detail}";
    HolderSameAgeKey { holder: String, other: String } = "holder-same-age-key":
        "{holder} has the same age key as {other}: each holder needs their own, or one person could recover alone \
         with several shares";
    HolderSamePassphrase { holder: String, other: String } = "holder-same-passphrase":
        "{holder} has the same passphrase as {other}: each holder needs their own, or one person could recover \
         alone with several shares";
    ShareUnreadable { detail: String } = "share-unreadable": "{detail}";
    ShareOtherVault { share_vault: String, vault: String } = "share-other-vault":
        "it belongs to another vault ({share_vault}), not to this one ({vault}): use a share of this vault";
    ShareBeforeRekey { backup_created: String, share_set: String } = "share-before-rekey":
        "this vault was restored from a backup of {backup_created}, which predates the rekey that issued this share: \
         it needs the share set of {backup_created} (id {share_set}), the share files current when the backup was \
         taken (or the passphrase an owner had then)";
    ShareReplaced { share_set: String } = "share-replaced":
        "it belongs to a share set that a rekey replaced (or to one issued after the backup this vault came from), so \
         it cannot be used here: this vault opens with share set {share_set} (see `coffre recovery status`)";
    ShareNumbers { share_threshold: u64, share_count: u64, threshold: u64, count: u64 } = "share-numbers":
        "it says {share_threshold} of {share_count}, but the seal header's recovery slot says {threshold} of \
         {count}: either this share is forged or the seal header was changed (an owner's passphrase unseal checks \
         the header)";
    ShareSubmittedAlready { number: u64, holder: String, submitted: u64, threshold: u64 } =
        "share-submitted-already":
        "share number {number} ({holder}) was already submitted; {submitted} of {threshold} are in: the next share \
         must come from another holder";
    SharesDoNotCombine { detail: String } = "shares-do-not-combine": "{detail}";
    NotAnOwner { name: String } = "not-an-owner": "{name} is not an owner (president or leader)";

    // What is wrong with a store that does not match its audit log ([`crate::Error::StoreDamaged`]).
    StoreMarkerMalformed = "store-marker-malformed": "its applied marker is malformed";
    StoreNoRecordOfChanges { seq: u64 } = "store-no-record-of-changes":
        "it has no record of the changes it applied, but the log holds changes from event {seq} on (the store was \
         replaced or lost its last writes)";
    StoreRecordsDoNotMatch { seq: u64, found: String, expected: String } = "store-records-do-not-match":
        "its records do not match its own record of change {seq} (records lost, changed or added on disk: digest \
         {found} instead of {expected})";
    StoreReadToMalformed = "store-read-to-malformed":
        "its record of how far it has read the audit log is malformed or not this vault's (changed on disk)";
    StoreReadAhead { through: u64, head: u64 } = "store-read-ahead":
        "it is ahead of the audit log: it has read the log up to event {through} but the log ends at event {head}; \
         the log lost its end, or the store belongs to another log";
    StoreNotDescribed { seq: u64 } = "store-not-described":
        "it is not the store the log describes at change {seq} (a store from another time or another vault)";
    StoreAheadOfLog { seq: u64, next: String } = "store-ahead-of-log":
        "it is ahead of the audit log: it holds change {seq} but the log does not (next change in the log: {next}); \
         the log lost its end, or the store belongs to another log";
    StoreReplayMismatch { seq: u64 } = "store-replay-mismatch":
        "replaying change {seq} from the log does not arrive at the digest the log recorded (the store differs \
         from the log before it)";
    StoreDirectoryMissing { copy: String } = "store-directory-missing":
        "the store's directory is missing, but {copy} says a vault lives here";
    StoreNoHeader { events: u64, copy: String } = "store-no-header":
        "it has no seal header, but the audit log holds {events} events and {copy} exists: the store was lost or \
         damaged";
    StoreRecordsWithoutHeader = "store-records-without-header":
        "it holds records but no seal header (damaged, or left by another vault)";

    // What is wrong with a damaged audit log ([`crate::Error::AuditDamaged`]: found at start, nothing cut).
    AuditWitnessTooLong { length: u64, max: u64 } = "audit-witness-too-long":
        "it is {length} bytes long, not at most {max}";
    AuditWitnessUnreadable = "audit-witness-unreadable": "neither of its two slots reads back (checksum)";
    AuditWitnessForeign = "audit-witness-foreign": "the head witness is not signed by this vault's audit key";
    AuditEndsBeforeWitness { last_seq: u64, witnessed: u64, witness: String } = "audit-ends-before-witness":
        "the log ends at event {last_seq}, but event {witnessed} was acknowledged (head witness {witness})";
    AuditWitnessOtherEvent { witnessed: u64, witness: String } = "audit-witness-other-event":
        "event {witnessed} is not the event that was acknowledged (head witness {witness})";
    AuditImpossibleLength = "audit-impossible-length": "a frame declares an impossible length";
    AuditBadFrame = "audit-bad-frame":
        "a frame fails its checksum or runs past the end, and acknowledged events follow it";
    AuditFirstSegmentMissing { first: u64 } = "audit-first-segment-missing":
        "the log's first segment is missing (the first one starts at event {first})";
    AuditSegmentWithoutHead = "audit-segment-without-head":
        "this finished segment does not end with a whole head frame (cut short or damaged)";
    AuditSegmentsGap { last: u64, next: u64 } = "audit-segments-gap":
        "it ends at event {last} but the next segment starts at event {next}";
    AuditCopyMalformed { seq: u64 } = "audit-copy-malformed":
        "the database's copy of the log holds a group commit from event {seq} that is not whole frames numbered in \
         order after the one before it and ending with a signed head: nothing of it was written to the log";

    // Where the audit log's chain breaks ([`crate::Error::AuditChainBroken`]).
    AuditEventMissingFrom { segment: String, next: u64 } = "audit-event-missing-from":
        "the event is missing from {segment} (the next one on disk is {next})";
    AuditSegmentDamagedAfter { segment: String, after: u64 } = "audit-segment-damaged-after":
        "segment {segment} is damaged after event {after}";
    AuditLogEndsBeforeEvent = "audit-log-ends-before-event": "the event is missing: the log ends before it";
    AuditEventMissing { next: u64 } = "audit-event-missing":
        "the event is missing (the next one on disk is {next})";
    AuditPreviousMissing = "audit-previous-missing": "the event before it is missing";
    AuditHashMismatch = "audit-hash-mismatch": "the event does not follow the one before it (hash mismatch)";
    AuditEventForeign = "audit-event-foreign":
        "the event does not open under this vault's audit key (changed or foreign)";
    AuditEventMalformed = "audit-event-malformed": "the event is malformed";
    AuditEventOtherSeq = "audit-event-other-seq": "the event holds another sequence number than its frame";
    AuditHeadInvalid = "audit-head-invalid": "the signed head there is not valid under this vault's audit key";
    AuditHeadMismatch = "audit-head-mismatch": "the signed head does not match the event it follows";
    AuditEndsBeforeHead = "audit-ends-before-head": "the log ends before its signed head";
    AuditChangeTooShort = "audit-change-too-short": "a change frame is too short";
    AuditChangeChunkMissing = "audit-change-chunk-missing": "a chunk of the change is missing or out of order";
    AuditChangeForeign = "audit-change-foreign":
        "the change does not open under this vault's audit key (changed or foreign)";
    AuditChangeMalformed = "audit-change-malformed": "the change is malformed";
    AuditEndsInChange = "audit-ends-in-change": "the log ends in the middle of a change";
    AuditChangeOutOfOrder { follows: u64, last: u64 } = "audit-change-out-of-order":
        "the change does not follow the one before it (it follows change {follows}, the last one read is {last})";
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case_and_texts_show_every_argument() {
        let kebab = |code: &str| !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
        let mut seen = HashSet::new();
        for field in FIELDS {
            assert!(kebab(field.code) && seen.insert(field.code), "field {}", field.code);
        }
        let mut seen = HashSet::new();
        for problem in Problem::examples() {
            let code = problem.code();
            assert!(kebab(code) && seen.insert(code), "problem {code}");
            let text = problem.to_string();
            for (name, value) in problem.arguments() {
                // Clients pass `field` and `problem` beside these: a problem's own arguments must not take those names.
                assert!(!["field", "problem", "reason", "file"].contains(&name), "{code}: {name}");
                assert!(text.contains(&value), "{code} does not show {name}: {text}");
            }
        }
    }
}
