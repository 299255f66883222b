//! Issuing share sets: at init (when holders are named) and at rekey.
//!
//! A share set is a fresh recovery key wrapping the master key (the recovery slot in the seal header), split into
//! one share per holder, each in an envelope encrypted with age to that holder. The holders' labels and recipients
//! go into a sealed record (never the clear header), for the next rekey and for backups.

use coffre_crypto::{
    age_file::{self, AgeRecipient, ShareRecipient},
    envelope::{MAX_LABEL_CHARS, ShareEnvelope},
    keys::{MasterKey, VaultId},
    record::RecordKind,
    recovery::{RecoverySlot, ShareSetId},
    shamir::{MAX_SHARES, MIN_THRESHOLD, RecoveryKey},
};
use coffre_store::Batch;

use super::{HolderKey, IssuedShare, IssuedShares, ShareSetSpec};
use crate::{
    Error, Problem, Result,
    audit::Outcome,
    authz::Action,
    model::{RequestContext, Role},
    problems,
    records::{self, HolderRecord, ShareSetRecord},
    validate,
    vault::{Open, Vault},
};

/// A checked share-set request, ready to issue (recipients parsed).
pub(crate) struct CheckedSpec {
    threshold: u8,
    holders: Vec<(String, ShareRecipient)>,
}

impl CheckedSpec {
    pub(crate) fn labels(&self) -> String {
        self.holders.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>().join(",")
    }
}

// A holder's label is checked as a name; every name must fit an envelope's label.
const _: () = assert!(validate::MAX_NAME_CHARS <= MAX_LABEL_CHARS);

/// Checks holders and threshold: 2..=16 holders with distinct labels, a threshold of 2..=holders, and recipients
/// that are `age1...` keys, no two holders with the same key or passphrase.
pub(crate) fn check(spec: ShareSetSpec) -> Result<CheckedSpec> {
    let n = spec.holders.len();
    if !(usize::from(MIN_THRESHOLD)..=usize::from(MAX_SHARES)).contains(&n) {
        return Err(Error::invalid(
            problems::HOLDERS,
            Problem::HoldersCount { min: MIN_THRESHOLD.into(), max: MAX_SHARES.into(), count: validate::count(n) },
        ));
    }
    if spec.threshold < MIN_THRESHOLD || usize::from(spec.threshold) > n {
        return Err(Error::invalid(
            problems::THRESHOLD,
            Problem::ThresholdRange {
                min: MIN_THRESHOLD.into(),
                holders: validate::count(n),
                threshold: spec.threshold.into(),
            },
        ));
    }
    let mut holders: Vec<(String, ShareRecipient)> = Vec::with_capacity(n);
    for holder in spec.holders {
        let label = validate::name(crate::problems::HOLDER, &holder.label)?;
        if holders.iter().any(|(l, _)| l.to_lowercase() == label.to_lowercase()) {
            return Err(Error::invalid(problems::HOLDER, Problem::HolderNamedTwice { holder: label }));
        }
        let recipient = match holder.key {
            HolderKey::Age(text) => ShareRecipient::Key(AgeRecipient::parse(&text).map_err(|e| {
                Error::invalid(problems::HOLDER, Problem::HolderKey { holder: label.clone(), detail: e.to_string() })
            })?),
            HolderKey::Passphrase(passphrase) => ShareRecipient::Passphrase(passphrase),
        };
        // One key (or one passphrase) for several holders would let whoever holds it open several shares, and so
        // recover alone: each holder must have their own.
        if let Some((other, _)) = holders.iter().find(|(_, known)| same_recipient(known, &recipient)) {
            let (holder, other) = (label, other.clone());
            let problem = match recipient {
                ShareRecipient::Key(_) => Problem::HolderSameAgeKey { holder, other },
                ShareRecipient::Passphrase(_) => Problem::HolderSamePassphrase { holder, other },
            };
            return Err(Error::invalid(problems::HOLDER, problem));
        }
        holders.push((label, recipient));
    }
    Ok(CheckedSpec { threshold: spec.threshold, holders })
}

/// Whether two holders would open their shares with the same thing: the same age key (compared in its canonical
/// `age1...` form) or the same passphrase.
fn same_recipient(a: &ShareRecipient, b: &ShareRecipient) -> bool {
    match (a, b) {
        (ShareRecipient::Key(a), ShareRecipient::Key(b)) => a.to_string() == b.to_string(),
        (ShareRecipient::Passphrase(a), ShareRecipient::Passphrase(b)) => {
            bool::from(subtle::ConstantTimeEq::ct_eq(a.expose_secret(), b.expose_secret()))
        }
        _ => false,
    }
}

/// A new share set for `master`: the recovery slot, the sealed record of its holders, and the share files.
///
/// CPU work (scrypt for passphrase holders): run it through the KDF limiter.
pub(crate) fn issue(
    master: &MasterKey,
    vault_id: VaultId,
    spec: &CheckedSpec,
    now_ms: i64,
) -> Result<(RecoverySlot, ShareSetRecord, IssuedShares)> {
    let n = u8::try_from(spec.holders.len()).map_err(|_| Error::invalid(problems::HOLDERS, Problem::TooManyHolders))?;
    let set = ShareSetId::generate().map_err(Error::Crypto)?;
    // A fresh key for every share set, split exactly once (see `RecoveryKey::split` on RUSTSEC-2024-0398).
    let key = RecoveryKey::generate().map_err(Error::Crypto)?;
    let slot = RecoverySlot::wrap(master, &key, &vault_id, set, spec.threshold, n).map_err(Error::Crypto)?;
    let shares = key.split(spec.threshold, n).map_err(Error::Crypto)?;
    let mut files = Vec::with_capacity(shares.len());
    let mut holders = Vec::with_capacity(shares.len());
    for (share, (label, recipient)) in shares.into_iter().zip(&spec.holders) {
        let x = share.x;
        let envelope = ShareEnvelope {
            vault: vault_id,
            share_set: set,
            threshold: spec.threshold,
            shares: n,
            holder: label.clone(),
            share,
        };
        let file = age_file::encrypt_share(recipient, &envelope.encode()).map_err(|e| {
            Error::invalid(problems::HOLDER, Problem::HolderKey { holder: label.clone(), detail: e.to_string() })
        })?;
        files.push(IssuedShare { holder: label.clone(), x, file });
        let recipient = match recipient {
            ShareRecipient::Key(key) => Some(key.to_string()),
            ShareRecipient::Passphrase(_) => None,
        };
        holders.push(HolderRecord { label: label.clone(), x, recipient });
    }
    let record = ShareSetRecord { id: set.0, threshold: spec.threshold, holders, created_ms: now_ms };
    Ok((slot, record, IssuedShares { share_set_id: set.to_hex(), threshold: spec.threshold, shares: files }))
}

/// Stores a share-set record.
pub(crate) fn put_share_set(open: &Open, batch: &mut Batch, record: &ShareSetRecord) -> Result<()> {
    batch.insert(
        records::key(records::SHARE_SET, &record.id),
        records::seal(&open.people_key, &open.vault_id, RecordKind::ShareSet, &record.id, 0, record)?,
    );
    Ok(())
}

/// The current share set's record, if the vault has one.
pub(crate) fn current_share_set(vault: &Vault, open: &Open) -> Result<Option<ShareSetRecord>> {
    let Some(id) = vault.inner.read_state().header.as_ref().and_then(|h| h.recovery.as_ref()).map(|r| r.share_set)
    else {
        return Ok(None);
    };
    let Some(sealed) = vault.inner.store.get(&records::key(records::SHARE_SET, &id.0))? else {
        return Err(Error::Corrupt(format!("ShareSet {} is missing", id.to_hex())));
    };
    records::open(&open.people_key, &open.vault_id, RecordKind::ShareSet, &id.0, 0, &sealed).map(Some)
}

/// The label of the current share set's holder that is `person` by its label, if one is: their name, or the role an
/// owner holds under the labels the guides use (`president=age1...`, `leader=age1...`), compared as names are (NFKC,
/// lower case). Holders are labels, not people: one labelled otherwise ("treasurer") is not found.
pub(crate) fn holder_of(vault: &Vault, open: &Open, name: &str, role: Role) -> Result<Option<String>> {
    let role_label = match role {
        Role::President => Some("president"),
        Role::Leader => Some("leader"),
        Role::AccessManager | Role::Member | Role::Auditor => None,
    };
    let is_them = |label: &str| {
        let label = coffre_crypto::index::normalise_name(label);
        *label == *coffre_crypto::index::normalise_name(name) || role_label == Some(label.as_str())
    };
    Ok(current_share_set(vault, open)?
        .and_then(|set| set.holders.into_iter().find(|h| is_them(&h.label)))
        .map(|h| h.label))
}

impl Vault {
    /// Issues a new share set (new recovery key, new shares for the holders named); the old one no longer opens the
    /// vault: its shares no longer match the vault's share-set id, and its recovery key no longer opens the
    /// vault's header. Backups taken before keep the old header, so they still open with the old shares (each
    /// backup names its set). Nothing else is re-encrypted. Owners only. A recovery in progress is discarded.
    pub async fn rekey(&self, ctx: &RequestContext, spec: ShareSetSpec) -> Result<IssuedShares> {
        let inner = &self.inner;
        let caller = inner.authorize_audited(ctx, Action::Rekey, "").await?;
        let spec = check(spec)?;
        let open = caller.open.clone();
        let now = inner.now_ms();
        let (spec, issued) = inner
            .kdf(move || -> Result<_> {
                let issued = issue(&open.master, open.vault_id, &spec, now)?;
                Ok((spec, issued))
            })
            .await??;
        let (slot, record, shares) = issued;

        let _writes = inner.writes.lock().await;
        let mut header = inner.read_state().header.clone().ok_or(Error::Uninitialised)?;
        let old = header.recovery.replace(slot);
        let mut batch = Batch::default();
        if let Some(old) = &old {
            batch.remove(records::key(records::SHARE_SET, &old.share_set.0));
        }
        put_share_set(&caller.open, &mut batch, &record)?;
        batch.insert(records::HEADER_KEY.to_vec(), header.encode(&caller.open.header_key)?);
        let mut event = inner.event(ctx, &caller.name, "rekey", "", Outcome::Success);
        event.detail = format!(
            "share_set={} k={} n={} holders={} replaced={}",
            shares.share_set_id,
            shares.threshold,
            shares.shares.len(),
            spec.labels(),
            old.map(|o| o.share_set.to_hex()).unwrap_or_else(|| "-".into())
        );
        inner.commit(event, batch).await?;
        // Shares of the old set can no longer be combined with new ones, nor finish a recovery.
        *inner.recovery_state() = Default::default();
        tracing::info!("new recovery share set issued");
        Ok(shares)
    }
}
