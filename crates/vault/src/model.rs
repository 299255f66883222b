//! The engine's public data types. They mirror the API's messages without depending on them.

use std::time::{Duration, SystemTime};

use coffre_crypto::{
    kdf::KdfParams,
    secret::{Passphrase, SecretBytes, SecretString},
};
use serde::{Deserialize, Serialize};

/// Seal state of the vault.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SealState {
    /// No vault yet.
    Uninitialised,
    /// Initialised; no key in memory.
    Sealed,
    /// The master key is in memory.
    Unsealed,
}

/// What `status` returns. Never needs a session.
#[derive(Clone, Debug)]
pub struct Status {
    /// Seal state.
    pub state: SealState,
    /// Hex vault id, when initialised.
    pub vault_id: Option<String>,
    /// Number of audit events written (the head's sequence number); 0 while sealed.
    pub audit_events: u64,
    /// The vault's public audit key (`ed25519:` and hex), when initialised.
    pub audit_public_key: Option<String>,
    /// Hash of the last audit event (hex), while unsealed: keep it with the count to detect a later rollback.
    pub audit_head_hash: Option<String>,
    /// The store lacks a change the audit log holds (its database was out of reach for longer than the retry),
    /// which coffred gives it again by itself, unsealed or sealed (an owner's seal, say); until then no login or
    /// session call is served.
    pub store_catching_up: bool,
    /// The standby coffreds waiting to take the vault over (PostgreSQL), by name, as last read.
    pub standbys: Vec<StandbyStatus>,
}

/// A standby coffred waiting for the vault's schema (docs/ha.md, "A standby coffred"), in [`Status`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StandbyStatus {
    /// Its machine's name.
    pub name: String,
    /// Armed by an owner: it unseals the vault by itself when it takes it over, unless an owner sealed it.
    pub armed: bool,
    /// Whole seconds since it last said it waits (it says so every second while it runs).
    pub seen_seconds_ago: u64,
    /// It said it relays its clients to this coffred (`[relay]`); false for a silent one, whatever it said.
    pub relays: bool,
    /// Not heard from for longer than [`StandbyStatus::SILENT_AFTER_SECONDS`]: it stopped, or lost the database,
    /// and would take nothing over; what it said before (armed) promises nothing.
    pub silent: bool,
}

impl StandbyStatus {
    /// A standby says it waits every second, and the daemon reads that every 2 seconds: one not heard from for
    /// longer than this is silent.
    pub const SILENT_AFTER_SECONDS: u64 = 10;
}

/// A person's role (DESIGN.md, "People and roles").
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Role {
    /// Holds the password bank.
    President,
    /// Has all access.
    Leader,
    /// Grants members access to public and restricted entries.
    AccessManager,
    /// Reveals what a live grant covers.
    Member,
    /// Reads the audit log; never reveals.
    Auditor,
}

impl Role {
    /// President or leader.
    pub fn is_owner(self) -> bool {
        matches!(self, Role::President | Role::Leader)
    }
}

/// Entry category (the party's list of platforms).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Category {
    /// Facebook, Instagram, X, YouTube...
    SocialNetwork,
    /// NationBuilder and other data banks.
    DataBank,
    /// Design and creation tools.
    Creation,
    /// Meeting tools.
    Meeting,
    /// Software and hosting (AWS, GoDaddy, Nextcloud, Mailgun).
    Software,
    /// Bank portals and payment accounts.
    Financial,
    /// Anything else.
    Other,
}

/// Classification of information; ordered from least to most sensitive.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub enum Classification {
    /// Public.
    Public,
    /// Restricted.
    Restricted,
    /// Confidential.
    Confidential,
    /// Very confidential (two-person rule for non-owners).
    VeryConfidential,
}

/// Lifecycle of an entry.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Lifecycle {
    /// Planned, not yet in use.
    Planned,
    /// In use.
    Active,
    /// Disposed; history kept.
    Archived,
}

/// A secret field: which one to reveal, or which ones a version changed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum SecretField {
    /// The password.
    Password,
    /// The notes.
    Notes,
    /// The platform account's TOTP seed (owners only: it makes codes forever).
    TotpSeed,
    /// The current code of the platform account's second factor, computed by the daemon from the seed. Never
    /// stored: only asked for in a reveal.
    TotpCode,
}

impl SecretField {
    /// Name used in audit events and version listings: "password", "notes", "totp-seed", and "totp" for a code.
    pub fn name(self) -> &'static str {
        match self {
            SecretField::Password => "password",
            SecretField::Notes => "notes",
            SecretField::TotpSeed => "totp-seed",
            SecretField::TotpCode => "totp",
        }
    }
}

/// Who is calling and from where; built by the server for every request.
#[derive(Clone, Debug, Default)]
pub struct RequestContext {
    /// The session token from the `authorization` metadata, if any.
    pub token: Option<SessionToken>,
    /// The client's address (ip:port), as the transport saw it.
    pub client_addr: String,
    /// The client's name and version (the user-agent), for the audit log.
    pub client_agent: String,
}

/// A session token as presented by a client. No `Debug` of content.
#[derive(Clone)]
pub struct SessionToken(pub(crate) std::sync::Arc<SecretString>);

impl SessionToken {
    /// Wraps a presented token.
    pub fn new(token: String) -> Self {
        Self(std::sync::Arc::new(SecretString::new(token)))
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// What `init` needs.
#[derive(Debug)]
pub struct InitParams {
    /// The president's name.
    pub president: String,
    /// The president's passphrase.
    pub passphrase: Passphrase,
    /// The leader's name, if one is to be enrolled.
    pub leader: Option<String>,
    /// Argon2id parameters; `None` for the configured default.
    pub kdf: Option<KdfParams>,
}

/// What `init` returns.
#[derive(Debug)]
pub struct InitOutcome {
    /// Hex vault id.
    pub vault_id: String,
    /// The president's second factor: an `otpauth://` URI for an authenticator app (secret; shown once).
    pub president_totp_uri: SecretString,
    /// The leader's one-time enrolment code and its expiry, when a leader was named.
    pub leader_enrolment: Option<(SecretString, SystemTime)>,
}

/// What `login` returns.
#[derive(Debug)]
pub struct LoginOutcome {
    /// The session token (secret; only its hash is kept).
    pub token: SecretString,
    /// When the session expires at the latest.
    pub expires: SystemTime,
    /// The person's role.
    pub role: Role,
}

/// Who a session belongs to.
#[derive(Clone, Debug)]
pub struct WhoAmI {
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Absolute expiry of the session.
    pub session_expires: SystemTime,
}

/// An entry's metadata, as shown to a caller allowed to see it. Contains no secret field.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryView {
    /// Platform name (unique, case-insensitive).
    pub platform: String,
    /// Category.
    pub category: Category,
    /// URL of the login page.
    pub url: String,
    /// Login name on the platform.
    pub login: String,
    /// Phone numbers or e-mail addresses the platform uses for recovery: people's own, so shown to owners only
    /// (empty for anyone else, see `authz::recovery_contacts_seen_by`).
    pub recovery_contacts: Vec<String>,
    /// Classification.
    pub classification: Classification,
    /// Lifecycle.
    pub lifecycle: Lifecycle,
    /// Free tags.
    pub tags: Vec<String>,
    /// Current version of the secret fields.
    pub version: u32,
    /// Whether a TOTP seed is stored.
    pub has_totp: bool,
    /// Whether notes are stored.
    pub has_notes: bool,
    /// Created.
    pub created: SystemTime,
    /// Last changed.
    pub updated: SystemTime,
    /// Set when the password must be changed on the platform.
    pub rotation_due: Option<RotationDue>,
}

/// Why, and since when, an entry's password must be changed on its platform: someone who had seen it left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotationDue {
    /// Why, as a code and its arguments (its `Display` is the English text): [`DueDetail::Offboarded`], or
    /// [`DueDetail::Left`] for someone who may not learn who left.
    pub detail: DueDetail,
    /// Since when.
    pub since: SystemTime,
}

/// What an offboarded person had seen of an entry when they left. Stored in the entry's record (`records.rs`):
/// variants are never renumbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seen {
    /// They revealed it before coffre noted which version.
    Unknown,
    /// Only the platform account's 2FA codes, never the password.
    CodesOnly,
    /// The password staged for rotation, not yet confirmed.
    Staged {
        /// The staged version.
        version: u32,
    },
    /// The current version.
    Current {
        /// That version.
        version: u32,
    },
    /// A version since replaced.
    Replaced {
        /// The version they saw.
        version: u32,
        /// The entry's version when they left.
        current: u32,
    },
}

impl Seen {
    /// What `person` saw of an entry now at version `current`, from their reveal mark (`None`: before marks noted
    /// versions; `Some(0)`: codes only).
    pub(crate) fn of(seen: Option<u32>, current: u32) -> Self {
        match seen {
            None => Seen::Unknown,
            Some(0) => Seen::CodesOnly,
            Some(version) if version > current => Seen::Staged { version },
            Some(version) if version == current => Seen::Current { version },
            Some(version) => Seen::Replaced { version, current },
        }
    }

    /// The stable code clients render (`person-offboarded-saw-<code>` and `rotation-detail-offboarded-<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            Seen::Unknown => "unknown",
            Seen::CodesOnly => "codes",
            Seen::Staged { .. } => "staged",
            Seen::Current { .. } => "current",
            Seen::Replaced { .. } => "replaced",
        }
    }

    /// The values the text shows, by name.
    pub fn arguments(&self) -> Vec<(&'static str, String)> {
        match *self {
            Seen::Unknown | Seen::CodesOnly => Vec::new(),
            Seen::Staged { version } | Seen::Current { version } => vec![("version", version.to_string())],
            Seen::Replaced { version, current } => {
                vec![("version", version.to_string()), ("current", current.to_string())]
            }
        }
    }
}

/// In English, what follows "saw": for older clients, which show it as it is.
impl std::fmt::Display for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seen::Unknown => f.write_str("a version coffre did not note (revealed before it noted versions)"),
            Seen::CodesOnly => f.write_str("only the platform's 2FA codes, not the password"),
            Seen::Staged { version } => write!(f, "the password staged for rotation (version {version})"),
            Seen::Current { version } => write!(f, "the current version ({version})"),
            Seen::Replaced { version, current } => {
                write!(f, "version {version}, since replaced (the current version is {current})")
            }
        }
    }
}

/// What a grant covers, as people name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One entry, by platform name.
    Entry(String),
    /// Every entry of a category.
    Category(Category),
}

/// When a new grant ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantUntil {
    /// At this time.
    At(SystemTime),
    /// This long after the daemon's now.
    For(Duration),
}

/// What `add_grant` needs. Expiry and task are required: there is no open-ended grant.
#[derive(Clone, Debug)]
pub struct NewGrant {
    /// Who gets access (a member, or an access manager when an owner grants).
    pub person: String,
    /// To what.
    pub scope: Scope,
    /// Until when (at most the configured maximum, 90 days by default).
    pub until: GrantUntil,
    /// For which task (required; audited).
    pub task: String,
}

/// Whether a grant works now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantState {
    /// It covers its scope now.
    Live,
    /// Its expiry has passed.
    Expired,
    /// It was revoked (or its holder offboarded).
    Revoked,
}

/// A grant as listed.
#[derive(Clone, Debug, PartialEq)]
pub struct GrantView {
    /// Its id (32 hex characters); `revoke_grant` takes it or an unambiguous prefix of at least 8.
    pub id: String,
    /// Who holds it.
    pub person: String,
    /// What it covers (an entry by its current name).
    pub scope: Scope,
    /// The task it is for.
    pub task: String,
    /// Who granted it.
    pub granted_by: String,
    /// When it was granted.
    pub created: SystemTime,
    /// When it ends.
    pub expires: SystemTime,
    /// Live, expired or revoked.
    pub state: GrantState,
}

/// Where a person's account stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonState {
    /// Added; the enrolment code has not been redeemed yet (or was reset).
    Pending,
    /// Enrolled: passphrase and second factor set.
    Active,
    /// Offboarded: the account is disabled and its history kept.
    Offboarded,
}

/// A person as listed.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonView {
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Pending, active or offboarded.
    pub state: PersonState,
    /// Who added the person.
    pub added_by: String,
    /// When.
    pub created: SystemTime,
}

/// A one-time enrolment code handed to a person (by `add_person` or `reset_enrolment`).
#[derive(Debug)]
pub struct Enrolment {
    /// The person's name.
    pub name: String,
    /// The person's role.
    pub role: Role,
    /// The code (secret; shown once; only its hash is kept).
    pub code: SecretString,
    /// When the code stops working.
    pub expires: SystemTime,
}

/// The first half of an enrolment: the second factor to put in an authenticator app.
#[derive(Debug)]
pub struct EnrolmentStart {
    /// The person's name.
    pub name: String,
    /// The person's role.
    pub role: Role,
    /// `otpauth://` URI of the new second factor (secret).
    pub totp_uri: SecretString,
}

/// What offboarding did.
#[derive(Clone, Debug, PartialEq)]
pub struct Offboarded {
    /// The person's name.
    pub name: String,
    /// Grants that were still live and are now revoked.
    pub grants_revoked: u32,
    /// Sessions that were ended.
    pub sessions_ended: u32,
    /// Platforms of the entries that person ever revealed, now flagged rotation-due, sorted.
    pub rotation_due: Vec<String>,
    /// The same entries, each with what the person saw of it.
    pub revealed: Vec<RevealedEntry>,
    /// The label of the current share set's holder that is the person by its label (their name, or "president" or
    /// "leader" for an owner of that role), if one is: that share still counts towards a recovery, and its age key
    /// still opens every new backup, until an owner issues a new set.
    pub share_holder: Option<String>,
}

/// An entry an offboarded person revealed, and what they saw of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevealedEntry {
    /// The entry's platform.
    pub platform: String,
    /// What they saw (its `Display`: "the current version (3)", "version 2, since replaced (the current version is
    /// 3)", "only the platform's 2FA codes, not the password"…).
    pub seen: Seen,
}

/// A new entry's metadata.
#[derive(Clone, Debug)]
pub struct NewEntry {
    /// Platform name.
    pub platform: String,
    /// Category.
    pub category: Category,
    /// URL.
    pub url: String,
    /// Login.
    pub login: String,
    /// Recovery contacts.
    pub recovery_contacts: Vec<String>,
    /// Classification; `None` means restricted.
    pub classification: Option<Classification>,
    /// Lifecycle; `None` means active.
    pub lifecycle: Option<Lifecycle>,
    /// Tags.
    pub tags: Vec<String>,
}

/// Secret fields of an entry. No `Debug` of content.
#[derive(Debug)]
pub struct Secrets {
    /// The password (required on create).
    pub password: SecretBytes,
    /// TOTP seed, if any.
    pub totp_seed: Option<SecretBytes>,
    /// Notes, if any.
    pub notes: Option<SecretBytes>,
}

/// A change to an entry: `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct EntryUpdate {
    /// The entry to change.
    pub platform: String,
    /// Rename.
    pub new_platform: Option<String>,
    /// New category.
    pub category: Option<Category>,
    /// New URL.
    pub url: Option<String>,
    /// New login.
    pub login: Option<String>,
    /// Replace the recovery contacts.
    pub recovery_contacts: Option<Vec<String>>,
    /// New classification.
    pub classification: Option<Classification>,
    /// New lifecycle (use archive to archive).
    pub lifecycle: Option<Lifecycle>,
    /// Replace the tags.
    pub tags: Option<Vec<String>>,
    /// New password (makes a new version).
    pub password: Option<SecretBytes>,
    /// New TOTP seed; an empty one removes it (makes a new version).
    pub totp_seed: Option<SecretBytes>,
    /// New notes; empty ones remove them (makes a new version).
    pub notes: Option<SecretBytes>,
}

/// One version of an entry's secret fields, without the secrets.
#[derive(Clone, Debug, PartialEq)]
pub struct VersionInfo {
    /// Version number, from 1.
    pub version: u32,
    /// When it was made.
    pub created: SystemTime,
    /// Who made it.
    pub created_by: String,
    /// Which secret fields changed.
    pub changed: Vec<SecretField>,
}

/// What `reveal` needs.
#[derive(Clone, Debug)]
pub struct RevealParams {
    /// The entry.
    pub platform: String,
    /// Which field.
    pub field: SecretField,
    /// Why (required; audited).
    pub reason: String,
    /// Version to reveal; `None` for the current one.
    pub version: Option<u32>,
}

/// A revealed secret and the audit event that records it.
#[derive(Debug)]
pub struct Revealed {
    /// The secret (wiped on drop).
    pub secret: SecretBytes,
    /// The version it came from.
    pub version: u32,
    /// Sequence number of the durable audit event.
    pub audit_seq: u64,
    /// For a TOTP code: how many more seconds it is valid (1 to 30).
    pub valid_for_secs: Option<u32>,
}

/// Which audit events to list. Empty filters match everything.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only events by this actor (case-insensitive).
    pub actor: Option<String>,
    /// Only this action; a prefix before a dot selects a family ("entry" selects "entry.create", ...).
    pub action: Option<String>,
    /// Only events on this target (case-insensitive).
    pub target: Option<String>,
    /// Only events at or after this time.
    pub since: Option<std::time::SystemTime>,
    /// Only events before this time.
    pub until: Option<std::time::SystemTime>,
    /// Only events after this sequence number (the previous page's `next_after_seq`).
    pub after_seq: u64,
    /// At most this many events (0: the default page size).
    pub limit: u32,
}

/// One page of audit events.
#[derive(Clone, Debug)]
pub struct AuditPage {
    /// The events, oldest first.
    pub events: Vec<crate::AuditEvent>,
    /// Set when more events may match: pass it as `after_seq` to get the next page.
    pub next_after_seq: Option<u64>,
}

/// One page of entries.
#[derive(Debug)]
pub struct EntryPage {
    /// The entries, sorted by platform name.
    pub entries: Vec<EntryView>,
    /// The name to list after for the next page; `None` when this was the last.
    pub next_after: Option<String>,
}

/// Where a staged rotation's new password comes from.
pub enum NewPassword {
    /// Given by the caller (wiped on drop).
    Given(SecretBytes),
    /// Drawn by the daemon under this policy, so that it never travels from a client.
    Generate(coffre_crypto::generator::Policy),
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewPassword::Given(_) => f.write_str("Given(<redacted>)"),
            NewPassword::Generate(policy) => f.debug_tuple("Generate").field(policy).finish(),
        }
    }
}

/// A rotation staged for an entry: its new password is the pending version until confirmed or cancelled.
#[derive(Clone, Debug, PartialEq)]
pub struct StagedRotation {
    /// The entry.
    pub platform: String,
    /// The rotation's id (32 hex characters); confirm and cancel may name it (or a prefix of at least 8).
    pub id: String,
    /// The version it becomes when confirmed.
    pub pending_version: u32,
    /// The entry's current version when it was staged (confirm refuses if the entry moved since).
    pub base_version: u32,
    /// Who staged it.
    pub staged_by: String,
    /// When.
    pub staged: SystemTime,
    /// Whether the daemon generated the new password.
    pub generated: bool,
    /// The generator's entropy in bits, when generated.
    pub entropy_bits: Option<f64>,
}

/// Confirming or cancelling a staged rotation.
#[derive(Clone, Debug, Default)]
pub struct RotationRef {
    /// The entry.
    pub platform: String,
    /// The id (or a prefix of at least 8 hex characters) of the rotation the caller means; `None` for whichever is
    /// staged.
    pub id: Option<String>,
}

/// Why an entry's password is due for a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueKind {
    /// Older than its category's maximum age.
    Age,
    /// Revealed by someone since offboarded.
    Offboarded,
    /// Flagged compromised.
    Compromised,
}

/// The detail of a reason an entry is due: a stable code and its arguments, which clients render in their reader's
/// language, and the English text (`Display`) for older clients and the web pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DueDetail {
    /// The password is unchanged for `days`; its category allows at most `max_days`.
    Age {
        /// Days since the last change.
        days: i64,
        /// The category's maximum age, in days.
        max_days: i64,
    },
    /// Revealed by `person`, offboarded since, who saw `seen` of it.
    Offboarded {
        /// Who left.
        person: String,
        /// What they had seen.
        seen: Seen,
    },
    /// Revealed by someone offboarded since, as the reader may learn it: not who (see `authz`).
    Left,
    /// Revealed by someone offboarded since, as written in English in entries flagged before coffre kept the
    /// parts (shown as it was written).
    OffboardedAsWritten {
        /// The stored text, e.g. "revealed by Dave, who was offboarded; saw the current version (3)".
        text: String,
    },
    /// Flagged compromised by `by`, with the reason they typed.
    Compromised {
        /// Who flagged it.
        by: String,
        /// What they wrote.
        reason: String,
    },
}

impl DueDetail {
    /// The stable code clients render (`rotation-detail-<code>` in the CLI's catalogue).
    pub fn code(&self) -> &'static str {
        match self {
            DueDetail::Age { .. } => "age",
            DueDetail::Offboarded { seen, .. } => match seen {
                Seen::Unknown => "offboarded-unknown",
                Seen::CodesOnly => "offboarded-codes",
                Seen::Staged { .. } => "offboarded-staged",
                Seen::Current { .. } => "offboarded-current",
                Seen::Replaced { .. } => "offboarded-replaced",
            },
            DueDetail::Left => "left",
            DueDetail::OffboardedAsWritten { .. } => "offboarded",
            DueDetail::Compromised { .. } => "compromised",
        }
    }

    /// The values the text shows, by name.
    pub fn arguments(&self) -> Vec<(&'static str, String)> {
        match self {
            DueDetail::Age { days, max_days } => vec![("days", days.to_string()), ("max_days", max_days.to_string())],
            DueDetail::Offboarded { person, seen } => {
                let mut arguments = vec![("person", person.clone())];
                arguments.extend(seen.arguments());
                arguments
            }
            DueDetail::Left => Vec::new(),
            DueDetail::OffboardedAsWritten { text } => vec![("text", text.clone())],
            DueDetail::Compromised { by, reason } => vec![("by", by.clone()), ("reason", reason.clone())],
        }
    }
}

impl std::fmt::Display for DueDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DueDetail::Age { days, max_days } => {
                write!(f, "password unchanged for {days} days; at most {max_days} days for this category")
            }
            DueDetail::Offboarded { person, seen: Seen::Unknown } => {
                write!(f, "revealed by {person}, who was offboarded, before coffre noted which version")
            }
            DueDetail::Offboarded { person, seen } => write!(f, "revealed by {person}, who was offboarded; saw {seen}"),
            DueDetail::Left => f.write_str("a person who had access left"),
            DueDetail::OffboardedAsWritten { text } => f.write_str(text),
            DueDetail::Compromised { by, reason } => write!(f, "flagged compromised by {by}: {reason}"),
        }
    }
}

/// One reason an entry is due, and since when.
#[derive(Clone, Debug, PartialEq)]
pub struct DueReason {
    /// Which rule.
    pub kind: DueKind,
    /// In words: the age rule, the offboarding or the compromise reason.
    pub detail: DueDetail,
    /// Since when the entry is due for this reason.
    pub since: SystemTime,
}

/// An entry due for rotation, with every reason.
#[derive(Clone, Debug, PartialEq)]
pub struct DueEntry {
    /// The entry.
    pub platform: String,
    /// Its category (whose maximum age applies).
    pub category: Category,
    /// Each reason, earliest first.
    pub reasons: Vec<DueReason>,
}

/// What `rotation_due` returns.
#[derive(Clone, Debug, PartialEq)]
pub struct RotationReport {
    /// Entries due, the longest overdue first.
    pub due: Vec<DueEntry>,
    /// Rotations staged and waiting for a confirm or a cancel, oldest first.
    pub staged: Vec<StagedRotation>,
}

/// What flagging an entry compromised did.
#[derive(Clone, Debug, PartialEq)]
pub struct Flagged {
    /// The entry.
    pub platform: String,
    /// Since when it is flagged (the first flag's time, if it was flagged already).
    pub since: SystemTime,
    /// Whether it was flagged already (the new report is in the audit log all the same).
    pub already: bool,
}

/// Where a request for approval stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApprovalState {
    /// Waiting for an owner.
    Pending,
    /// Approved: allows one reveal until it expires.
    Approved,
    /// Denied by an owner.
    Denied,
    /// Approved and used by a reveal.
    Used,
    /// Not decided in time, or approved and not used in time.
    Expired,
}

/// A request for an owner's approval to reveal a very confidential entry once.
#[derive(Clone, Debug, PartialEq)]
pub struct ApprovalView {
    /// Its id (32 hex characters); approve and deny take it or an unambiguous prefix of at least 8.
    pub id: String,
    /// Who asked.
    pub requester: String,
    /// For which entry (by its current name).
    pub platform: String,
    /// Why (required).
    pub reason: String,
    /// When it was asked.
    pub created: SystemTime,
    /// Where it stands now.
    pub state: ApprovalState,
    /// Who approved or denied it.
    pub decided_by: Option<String>,
    /// When.
    pub decided: Option<SystemTime>,
    /// The decider's words, if any.
    pub decision_reason: String,
    /// Until when it may be decided (pending) or used (approved).
    pub expires: SystemTime,
}
