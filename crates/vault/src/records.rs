//! What the engine stores, and where.
//!
//! Storage keys are random ids or keyed MACs, never names. Every value but the seal header is sealed with
//! XChaCha20-Poly1305 under a subkey, its associated data binding vault id, record kind, record id and version.
//!
//! | key | value |
//! | --- | --- |
//! | `h` | seal header (clear JSON: format, vault id, key slots, KDF defaults) |
//! | `p/` id(16) | person, sealed under the people subkey |
//! | `i/p/` mac(32) | id of the person of that name (index) |
//! | `k/` sha256(code) | pending enrolment, sealed under the people subkey |
//! | `e/` id(16) | entry metadata, sealed under the entries subkey |
//! | `i/e/` mac(32) | id of the entry of that platform (index) |
//! | `v/` id(16) version(u32 BE) | one version of an entry's secret fields, sealed under the entries subkey |
//! | `s/` share-set id(16) | the current share set: holders' labels and age recipients, sealed under the people subkey |
//! | `g/` id(16) | grant, sealed under the people subkey |
//! | `i/g/` mac(32) id(16) | (empty) the grant `id` belongs to the person of that keyed MAC (index) |
//! | `r/` mac(32) mac(16) | reveal mark: that person revealed that entry at least once, sealed under the people subkey |
//! | `o/` id(16) | an entry's rotation state (staged rotation, compromise flag), sealed under the entries subkey |
//! | `q/` id(16) | the staged rotation's new secrets (a [`VersionRecord`]; AAD id = entry id ‖ rotation id), entries subkey |
//! | `a/` id(16) | a request for approval and its decision, sealed under the people subkey |
//! | `i/a/` mac(32) id(16) | (empty) the request `id` was made by the person of that keyed MAC (index) |
//! | `l/` id(16) | an entry's lifecycle transitions (state, when, by whom), sealed under the entries subkey |

use coffre_crypto::{
    keys::{SubKey, VaultId},
    record::{self, RecordAad, RecordKind},
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::{Error, Result, model::*};

pub(crate) const HEADER_KEY: &[u8] = b"h";
pub(crate) const PERSON: &[u8] = b"p/";
pub(crate) const PERSON_INDEX: &[u8] = b"i/p/";
pub(crate) const ENROLMENT: &[u8] = b"k/";
pub(crate) const ENTRY: &[u8] = b"e/";
pub(crate) const ENTRY_INDEX: &[u8] = b"i/e/";
pub(crate) const VERSION: &[u8] = b"v/";
pub(crate) const SHARE_SET: &[u8] = b"s/";
pub(crate) const GRANT: &[u8] = b"g/";
pub(crate) const GRANT_INDEX: &[u8] = b"i/g/";
pub(crate) const REVEAL_MARK: &[u8] = b"r/";
pub(crate) const ROTATION: &[u8] = b"o/";
pub(crate) const PENDING_VERSION: &[u8] = b"q/";
pub(crate) const APPROVAL: &[u8] = b"a/";
pub(crate) const APPROVAL_INDEX: &[u8] = b"i/a/";
pub(crate) const LIFECYCLE: &[u8] = b"l/";

/// A random record id.
pub(crate) type Id = [u8; 16];

pub(crate) fn key(prefix: &[u8], id: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(prefix.len() + id.len());
    k.extend_from_slice(prefix);
    k.extend_from_slice(id);
    k
}

pub(crate) fn version_key(entry: &Id, version: u32) -> Vec<u8> {
    let mut k = key(VERSION, entry);
    k.extend_from_slice(&version.to_be_bytes());
    k
}

pub(crate) fn new_id() -> Result<Id> {
    let mut id = [0; 16];
    getrandom::fill(&mut id).map_err(|e| Error::Internal(format!("the OS random source failed: {e}")))?;
    Ok(id)
}

/// Seals a record: postcard-encodes it (in a buffer wiped afterwards) and encrypts it.
pub(crate) fn seal<T: Serialize>(
    key: &SubKey,
    vault: &VaultId,
    kind: RecordKind,
    id: &[u8],
    version: u64,
    value: &T,
) -> Result<Vec<u8>> {
    let plain = Zeroizing::new(postcard::to_allocvec(value).map_err(|e| Error::Internal(format!("encode: {e}")))?);
    record::seal(key, &RecordAad { vault, kind, id, version }, &plain).map_err(Error::Crypto)
}

/// Opens a record sealed by [`seal`]. A failure names the record (kind and id in hex), never its content.
pub(crate) fn open<T: DeserializeOwned>(
    key: &SubKey,
    vault: &VaultId,
    kind: RecordKind,
    id: &[u8],
    version: u64,
    sealed: &[u8],
) -> Result<T> {
    let name = || format!("{kind:?} {}", data_encoding::HEXLOWER.encode(id));
    let plain =
        record::open(key, &RecordAad { vault, kind, id, version }, sealed).map_err(|_| Error::Corrupt(name()))?;
    postcard::from_bytes(plain.expose_secret()).map_err(|_| Error::Corrupt(name()))
}

/// A person's account.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct PersonRecord {
    pub(crate) id: Id,
    pub(crate) name: String,
    pub(crate) role: Role,
    /// Argon2id PHC string; `None` until the person enrols.
    pub(crate) passphrase_hash: Option<String>,
    /// The id of this owner's key slot in the header; `None` for non-owners and before enrolment.
    pub(crate) slot_id: Option<[u8; 16]>,
    pub(crate) disabled: bool,
    pub(crate) created_ms: i64,
    /// The second factor's seed (RFC 6238); `None` until the person enrols. Wiped from memory on drop.
    pub(crate) totp_seed: Option<Zeroizing<Vec<u8>>>,
    /// The last TOTP time step accepted: a code of this step or an earlier one is a replay.
    pub(crate) totp_last_step: u64,
    /// Who added this person ("-" for the president, who made the vault).
    pub(crate) added_by: String,
    /// When the person was offboarded.
    pub(crate) disabled_ms: Option<i64>,
}

impl PersonRecord {
    /// A person who has not enrolled yet: no passphrase, no second factor, no key slot.
    pub(crate) fn new(id: Id, name: String, role: Role, added_by: &str, created_ms: i64) -> Self {
        Self {
            id,
            name,
            role,
            passphrase_hash: None,
            slot_id: None,
            disabled: false,
            created_ms,
            totp_seed: None,
            totp_last_step: 0,
            added_by: added_by.to_string(),
            disabled_ms: None,
        }
    }
}

/// A pending enrolment, stored under the hash of its one-time code.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct EnrolmentRecord {
    pub(crate) person: Id,
    pub(crate) expires_ms: i64,
    /// The second factor offered when the enrolment started, confirmed by the first code at its end.
    pub(crate) pending_totp_seed: Option<Zeroizing<Vec<u8>>>,
}

/// What a grant covers.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub(crate) enum StoredScope {
    /// One entry, by id (so a rename does not change what the grant covers).
    Entry(Id),
    /// Every entry of a category.
    Category(Category),
}

/// A grant: a person's access to one entry or one category, for a stated task, until an expiry.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct GrantRecord {
    pub(crate) id: Id,
    pub(crate) person: Id,
    pub(crate) person_name: String,
    pub(crate) scope: StoredScope,
    /// The most sensitive classification the grant may cover: restricted for an access manager's grant (checked
    /// at every call, so a reclassified entry drops out), very confidential for an owner's.
    pub(crate) ceiling: Classification,
    pub(crate) task: String,
    pub(crate) created_ms: i64,
    pub(crate) expires_ms: i64,
    pub(crate) granted_by: String,
    pub(crate) granted_by_id: Id,
    pub(crate) revoked: Option<Revocation>,
    /// Whether the expiry has been recorded in the audit log (done when first seen expired).
    pub(crate) expiry_audited: bool,
}

/// Who ended a grant early, when and why.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Revocation {
    pub(crate) at_ms: i64,
    pub(crate) by: String,
    pub(crate) why: String,
}

/// That a person revealed an entry at least once, as first written (what was seen was not recorded).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct RevealMark {
    pub(crate) person: Id,
    pub(crate) entry: Id,
    pub(crate) first_ms: i64,
}

/// That a person revealed an entry, and the newest version of its password, notes or seed they saw
/// (`newest_version`; 0 when they saw only the platform's current 2FA codes), so that offboarding can say what
/// they saw. Encoded as a [`RevealMark`] followed by the version, so a mark of either shape is read (see
/// `people::open_mark`).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct SeenMark {
    pub(crate) person: Id,
    pub(crate) entry: Id,
    pub(crate) first_ms: i64,
    pub(crate) newest_version: u32,
}

/// An entry's metadata. The secret fields live in [`VersionRecord`]s.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct EntryRecord {
    pub(crate) id: Id,
    pub(crate) platform: String,
    pub(crate) category: Category,
    pub(crate) url: String,
    pub(crate) login: String,
    pub(crate) recovery_contacts: Vec<String>,
    pub(crate) classification: Classification,
    pub(crate) lifecycle: Lifecycle,
    pub(crate) tags: Vec<String>,
    pub(crate) version: u32,
    pub(crate) has_totp: bool,
    pub(crate) has_notes: bool,
    pub(crate) created_ms: i64,
    pub(crate) updated_ms: i64,
    /// Set when the password must change on the platform (e.g. someone who saw it left).
    pub(crate) rotation_due: Option<RotationDue>,
}

impl EntryRecord {
    /// What the access policy looks at.
    pub(crate) fn facts(&self) -> crate::authz::EntryFacts {
        crate::authz::EntryFacts {
            id: self.id,
            category: self.category,
            classification: self.classification,
            lifecycle: self.lifecycle,
        }
    }

    /// The entry as `role` sees it: a non-owner learns only that someone who had access left (see `authz`).
    pub(crate) fn view_for(&self, role: crate::model::Role) -> EntryView {
        let mut view = self.view();
        view.rotation_due = view.rotation_due.map(|due| crate::authz::rotation_due_seen_by(role, &due));
        view
    }

    pub(crate) fn view(&self) -> EntryView {
        EntryView {
            platform: self.platform.clone(),
            category: self.category,
            url: self.url.clone(),
            login: self.login.clone(),
            recovery_contacts: self.recovery_contacts.clone(),
            classification: self.classification,
            lifecycle: self.lifecycle,
            tags: self.tags.clone(),
            version: self.version,
            has_totp: self.has_totp,
            has_notes: self.has_notes,
            created: crate::clock::from_millis(self.created_ms),
            updated: crate::clock::from_millis(self.updated_ms),
            rotation_due: self.rotation_due.clone(),
        }
    }
}

/// One version of an entry's secret fields. Wiped from memory on drop.
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub(crate) struct VersionRecord {
    pub(crate) version: u32,
    pub(crate) created_ms: i64,
    pub(crate) created_by: String,
    #[zeroize(skip)]
    pub(crate) changed: Vec<SecretField>,
    pub(crate) password: Vec<u8>,
    pub(crate) totp_seed: Vec<u8>,
    pub(crate) notes: Vec<u8>,
}

/// An entry's rotation state, kept apart from the entry so that staging and cancelling never touch the entry or
/// its versions (a cancel restores exactly what was there), and reveals of the current version never read it.
/// Removed when there is nothing left in it.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct RotationRecord {
    pub(crate) pending: Option<PendingRotation>,
    pub(crate) compromised: Option<CompromiseFlag>,
}

/// The facts of a staged rotation; its new secrets are in the `q/` record.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct PendingRotation {
    pub(crate) id: Id,
    /// The entry's version when staged: confirm refuses if the entry has moved since.
    pub(crate) base_version: u32,
    pub(crate) staged_by: String,
    pub(crate) staged_ms: i64,
    pub(crate) generated: bool,
    /// The generator's entropy in bits, when generated.
    pub(crate) entropy_bits: Option<f64>,
}

/// Someone reported the entry's password compromised.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct CompromiseFlag {
    pub(crate) reason: String,
    pub(crate) by: String,
    pub(crate) since_ms: i64,
}

/// What a request for approval's state is, as stored. Expiry is not stored: it follows from the clock.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub(crate) enum StoredApproval {
    Pending,
    Approved,
    Denied,
    Used,
}

/// A request for an owner's approval to reveal one very confidential entry once, and its decision.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct ApprovalRecord {
    pub(crate) id: Id,
    pub(crate) person: Id,
    pub(crate) person_name: String,
    pub(crate) entry: Id,
    pub(crate) reason: String,
    pub(crate) created_ms: i64,
    pub(crate) state: StoredApproval,
    pub(crate) decided_by: Option<String>,
    pub(crate) decided_ms: Option<i64>,
    pub(crate) decision_reason: String,
    /// While pending: until when an owner may decide it. Once approved: until when it may be used.
    pub(crate) expires_ms: i64,
    pub(crate) used_ms: Option<i64>,
}

impl ApprovalRecord {
    /// Where it stands at `now_ms`: a pending or approved request past its expiry is expired.
    pub(crate) fn state_at(&self, now_ms: i64) -> ApprovalState {
        match self.state {
            StoredApproval::Pending if now_ms >= self.expires_ms => ApprovalState::Expired,
            StoredApproval::Approved if now_ms >= self.expires_ms => ApprovalState::Expired,
            StoredApproval::Pending => ApprovalState::Pending,
            StoredApproval::Approved => ApprovalState::Approved,
            StoredApproval::Denied => ApprovalState::Denied,
            StoredApproval::Used => ApprovalState::Used,
        }
    }
}

/// A share set: who holds which share, and the X25519 recipients backups are encrypted to.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct ShareSetRecord {
    pub(crate) id: [u8; 16],
    pub(crate) threshold: u8,
    pub(crate) holders: Vec<HolderRecord>,
    pub(crate) created_ms: i64,
}

/// One holder of a share set.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct HolderRecord {
    pub(crate) label: String,
    pub(crate) x: u8,
    /// The holder's `age1...` public key; `None` for a holder whose share is encrypted to a passphrase.
    pub(crate) recipient: Option<String>,
}

impl crate::vault::Inner {
    /// The records under `prefix` whose id, in hex, starts with `id_prefix` (lower case), opened with `key`; the
    /// others are not opened. One that does not open is logged and left out. For commands that name a record by
    /// the start of its id.
    pub(crate) fn open_by_id_prefix<T: DeserializeOwned>(
        &self,
        prefix: &[u8],
        id_prefix: &str,
        key: &SubKey,
        vault: &VaultId,
        kind: RecordKind,
    ) -> Result<Vec<T>> {
        let mut found = Vec::new();
        for item in self.store.scan_prefix(prefix) {
            let (stored_key, sealed) = item?;
            let Some(id) = stored_key.get(prefix.len()..) else { continue };
            if !data_encoding::HEXLOWER.encode(id).starts_with(id_prefix) {
                continue;
            }
            match open(key, vault, kind, id, 0, &sealed) {
                Ok(record) => found.push(record),
                Err(err) => tracing::error!(error = %err, "skipping a record that does not open"),
            }
        }
        Ok(found)
    }
}
