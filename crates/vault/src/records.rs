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
/// Sessions, for a standby that takes the vault over (`sessions.rs`): MAC(person) || 16 bytes of MAC(token hash).
pub(crate) const SESSION: &[u8] = b"n/";

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
    open_with(&RecordAad { vault, kind, id, version }, key, sealed, |plain| postcard::from_bytes(plain).ok())
}

/// Opens a sealed record and decodes its plaintext with `decode`; a record that does not open or decode is damage,
/// named by its kind and id in hex, never its content.
fn open_with<T>(
    aad: &RecordAad<'_>,
    key: &SubKey,
    sealed: &[u8],
    decode: impl FnOnce(&[u8]) -> Option<T>,
) -> Result<T> {
    let damaged = || Error::Corrupt(format!("{:?} {}", aad.kind, data_encoding::HEXLOWER.encode(aad.id)));
    let plain = record::open(key, aad, sealed).map_err(|_| damaged())?;
    decode(plain.expose_secret()).ok_or_else(damaged)
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
    /// Set when the password must change on the platform (someone who saw it left). Its parts are encoded after
    /// the record's other fields (see [`seal_entry`]).
    pub(crate) rotation_due: Option<DueRecord>,
}

/// Why an entry's password must change, as its record keeps it.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct DueRecord {
    /// In English, as older coffred wrote and read it, e.g. "revealed by Dave, who was offboarded; saw the current
    /// version (3)".
    pub(crate) reason: String,
    pub(crate) since: std::time::SystemTime,
    /// Who left and what they saw, for the reader's language; `None` in records written before coffre kept them.
    #[serde(skip)]
    pub(crate) parts: Option<DueParts>,
}

/// Who left and what they saw (an on-disk format: fields are never reordered).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct DueParts {
    pub(crate) person: String,
    pub(crate) seen: Seen,
}

impl DueRecord {
    /// Someone who had seen the entry was offboarded at `since`.
    pub(crate) fn offboarded(person: &str, seen: Seen, since: std::time::SystemTime) -> Self {
        let detail = DueDetail::Offboarded { person: person.to_owned(), seen };
        DueRecord { reason: detail.to_string(), since, parts: Some(DueParts { person: person.to_owned(), seen }) }
    }

    /// As the engine tells it (every reader allowed to see who left).
    pub(crate) fn view(&self) -> RotationDue {
        let detail = match &self.parts {
            Some(DueParts { person, seen }) => DueDetail::Offboarded { person: person.clone(), seen: *seen },
            None => DueDetail::OffboardedAsWritten { text: self.reason.clone() },
        };
        RotationDue { detail, since: self.since }
    }
}

/// Seals an entry record: its fields, then the parts of its rotation flag. A record encoded this way still opens
/// in an older coffred, which reads the fields it knows and ignores the rest (postcard reads a prefix).
pub(crate) fn seal_entry(key: &SubKey, vault: &VaultId, entry: &EntryRecord) -> Result<Vec<u8>> {
    let parts = entry.rotation_due.as_ref().and_then(|due| due.parts.as_ref());
    seal(key, vault, RecordKind::Entry, &entry.id, 0, &(entry, parts))
}

/// Opens an entry record sealed by [`seal_entry`], or by an older coffred (which wrote no parts). Anything after
/// the parts, or parts without a rotation flag, is damage.
pub(crate) fn open_entry(key: &SubKey, vault: &VaultId, id: &[u8], sealed: &[u8]) -> Result<EntryRecord> {
    open_with(&RecordAad { vault, kind: RecordKind::Entry, id, version: 0 }, key, sealed, |plain| {
        let (mut entry, rest) = postcard::take_from_bytes::<EntryRecord>(plain).ok()?;
        if rest.is_empty() {
            return Some(entry);
        }
        // The parts are all that follows, and only a rotation flag has them.
        let (parts, rest) = postcard::take_from_bytes::<Option<DueParts>>(rest).ok()?;
        match (&mut entry.rotation_due, parts) {
            _ if !rest.is_empty() => return None,
            (Some(due), parts) => due.parts = parts,
            (None, Some(_)) => return None,
            (None, None) => {}
        }
        Some(entry)
    })
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

    /// The entry as `role` sees it: a non-owner learns only that someone who had access left, and gets no recovery
    /// contact (see `authz`).
    pub(crate) fn view_for(&self, role: crate::model::Role) -> EntryView {
        let mut view = self.view();
        view.rotation_due = view.rotation_due.map(|due| crate::authz::rotation_due_seen_by(role, due));
        view.recovery_contacts = crate::authz::recovery_contacts_seen_by(role, view.recovery_contacts);
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
            rotation_due: self.rotation_due.as_ref().map(DueRecord::view),
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

#[cfg(test)]
mod tests {
    use coffre_crypto::keys::{MasterKey, Purpose};

    use super::*;

    /// An entry record as coffred wrote and read it before the rotation flag's parts: the same fields, nothing after
    /// (the flag's reason and time as a pair, which postcard encodes as the struct it was).
    #[derive(Serialize, Deserialize)]
    struct OlderEntry {
        id: Id,
        platform: String,
        category: Category,
        url: String,
        login: String,
        recovery_contacts: Vec<String>,
        classification: Classification,
        lifecycle: Lifecycle,
        tags: Vec<String>,
        version: u32,
        has_totp: bool,
        has_notes: bool,
        created_ms: i64,
        updated_ms: i64,
        rotation_due: Option<(String, std::time::SystemTime)>,
    }

    fn older(rotation_due: Option<(&str, std::time::SystemTime)>) -> OlderEntry {
        OlderEntry {
            id: [7; 16],
            platform: "Facebook".into(),
            category: Category::SocialNetwork,
            url: "https://facebook.com".into(),
            login: "parti".into(),
            recovery_contacts: vec!["Alice".into()],
            classification: Classification::Restricted,
            lifecycle: Lifecycle::Active,
            tags: vec!["comms".into()],
            version: 3,
            has_totp: true,
            has_notes: false,
            created_ms: 1,
            updated_ms: 2,
            rotation_due: rotation_due.map(|(reason, since)| (reason.to_owned(), since)),
        }
    }

    fn keys() -> (SubKey, VaultId) {
        let master = MasterKey::generate().expect("key");
        (master.subkey(Purpose::Entries), VaultId::generate().expect("id"))
    }

    fn sealed<T: Serialize>(key: &SubKey, vault: &VaultId, value: &T) -> Vec<u8> {
        seal(key, vault, RecordKind::Entry, &[7; 16], 0, value).expect("seal")
    }

    #[test]
    fn an_entry_flagged_before_the_parts_were_kept_opens_and_tells_its_text_as_written() {
        let (key, vault) = keys();
        let since = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let text = "revealed by Dave, who was offboarded; saw the current version (3)";
        let entry =
            open_entry(&key, &vault, &[7; 16], &sealed(&key, &vault, &older(Some((text, since))))).expect("open");
        let due = entry.rotation_due.as_ref().expect("flag").view();
        assert_eq!(due.detail, DueDetail::OffboardedAsWritten { text: text.into() });
        assert_eq!(due.since, since);
        let unflagged = open_entry(&key, &vault, &[7; 16], &sealed(&key, &vault, &older(None))).expect("open");
        assert!(unflagged.rotation_due.is_none());
    }

    #[test]
    fn an_entry_flagged_now_keeps_who_left_and_what_they_saw_and_still_opens_in_an_older_coffred() {
        let (key, vault) = keys();
        let since = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let mut entry: EntryRecord = postcard::from_bytes(&postcard::to_allocvec(&older(None)).expect("encode"))
            .expect("the same fields decode as today's record");
        let seen = Seen::Replaced { version: 2, current: 3 };
        entry.rotation_due = Some(DueRecord::offboarded("Dave", seen, since));
        let bytes = seal_entry(&key, &vault, &entry).expect("seal");

        let opened = open_entry(&key, &vault, &[7; 16], &bytes).expect("open");
        let due = opened.rotation_due.as_ref().expect("flag").view();
        assert_eq!(due.detail, DueDetail::Offboarded { person: "Dave".into(), seen });
        assert_eq!(due.since, since);

        // An older coffred reads the fields it knows (its own `open`), with the English text.
        let old: OlderEntry = open(&key, &vault, RecordKind::Entry, &[7; 16], 0, &bytes).expect("older coffred");
        let (reason, old_since) = old.rotation_due.expect("flag");
        assert_eq!(
            reason,
            "revealed by Dave, who was offboarded; saw version 2, since replaced (the current version is 3)"
        );
        assert_eq!((old.platform.as_str(), old_since), ("Facebook", since));
    }

    #[test]
    fn anything_after_an_entrys_parts_or_parts_without_a_flag_is_refused_as_damage() {
        let (key, vault) = keys();
        let since = std::time::UNIX_EPOCH;
        let parts = Some(DueParts { person: "Dave".into(), seen: Seen::Unknown });
        let flagged = older(Some(("revealed by Dave", since)));
        for (what, bytes) in [
            ("a byte after the parts", sealed(&key, &vault, &(&flagged, &parts, 0u8))),
            ("parts on an entry with no flag", sealed(&key, &vault, &(&older(None), &parts))),
            ("a part that does not decode", sealed(&key, &vault, &(&flagged, 1u8, 200u8))),
        ] {
            let refused = open_entry(&key, &vault, &[7; 16], &bytes).err();
            assert!(
                matches!(&refused, Some(Error::Corrupt(name)) if name.starts_with("Entry ")),
                "{what}: {refused:?}"
            );
        }
    }
}
