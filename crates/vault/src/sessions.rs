//! Sessions as the store keeps them, so that a standby coffred that takes the vault over with an owner's armed
//! passphrase carries them over: people behind a load balancer go on working when the serving coffred dies, instead
//! of logging in again (docs/ha.md, "Sessions through a take-over").
//!
//! The serving coffred checks sessions in memory only, as before; the store holds a copy written with the login's
//! own change (so it is in the audit log and the database like any record) and removed with the change that ends
//! the session: a logout, an offboarding, an enrolment reset, an owner's seal. A session's record holds its token's
//! SHA-256 hash (the token itself is never kept), the person, the role and the absolute expiry, sealed under the
//! sessions subkey; its key is a MAC of the person and of the hash, so the database sees neither.
//!
//! Only an armed take-over reads them ([`Inner::carried_sessions`]); every other unseal removes them all, so an
//! owner's unseal always starts with nobody logged in, as before. A carried session must be valid still: not past
//! its absolute expiry, its person enrolled and not offboarded, with the same role. Its last use on the coffred that
//! died is not known (it was never written, to keep requests free of writes), so it must be used again within
//! [`CARRIED_IDLE_GRACE`] of the take-over, or it ends for idleness there.
//!
//! A session that ends for idleness (or at its absolute expiry) is refused at once, and its end is recorded by the
//! serving coffred's sweep ([`Vault::end_idle_sessions`], every 30 seconds at most): a `session.end` event
//! with the removal of its stored copy, so that no take-over brings it back. Only a session that ended within the
//! last sweep before the serving coffred died can still be carried (for the grace); expired records are also
//! removed at their person's next login.

use coffre_crypto::{
    index::{IndexDomain, lookup_id},
    record::RecordKind,
    token::TokenHash,
};
use coffre_store::Batch;
use serde::{Deserialize, Serialize};

use crate::{
    Result, Vault,
    audit::Outcome,
    model::{RequestContext, Role},
    people::hex,
    records::{self, Id},
    vault::{Inner, Open, Session},
};

/// How long a session carried over a take-over has to be used before it ends for idleness (at most the configured
/// idle time).
pub(crate) const CARRIED_IDLE_GRACE: std::time::Duration = std::time::Duration::from_secs(120);

/// How often, at most, the serving coffred records the end of the sessions that ended for idleness or at their
/// absolute expiry ([`Vault::end_idle_sessions`]); a quarter of the idle time when that is shorter.
const SESSION_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// A session as stored.
#[derive(Serialize, Deserialize)]
struct SessionRecord {
    person: Id,
    token_hash: [u8; 32],
    role: Role,
    created_ms: i64,
    expires_ms: i64,
}

/// `n/` || MAC(person): the prefix of a person's sessions.
fn holder_prefix(open: &Open, person: &Id) -> Vec<u8> {
    records::key(records::SESSION, &lookup_id(&open.index_key, IndexDomain::SessionHolder, &hex(person)))
}

/// The key of `person`'s session whose token hashes to `token`.
fn session_key(open: &Open, person: &Id, token: &TokenHash) -> Vec<u8> {
    let mut key = holder_prefix(open, person);
    let hashed = data_encoding::HEXLOWER.encode(&token.0);
    key.extend_from_slice(&lookup_id(&open.index_key, IndexDomain::SessionToken, &hashed)[..16]);
    key
}

fn open_session(open: &Open, key: &[u8], sealed: &[u8]) -> Result<SessionRecord> {
    let id = &key[records::SESSION.len()..];
    records::open(&open.sessions_key, &open.vault_id, RecordKind::Session, id, 0, sealed)
}

/// Stores, in `batch`, `person`'s new session (its token's hash `token`).
pub(crate) fn put_session(
    open: &Open,
    batch: &mut Batch,
    person: &Id,
    token: &TokenHash,
    role: Role,
    created_ms: i64,
    expires_ms: i64,
) -> Result<()> {
    let key = session_key(open, person, token);
    let record = SessionRecord { person: *person, token_hash: token.0, role, created_ms, expires_ms };
    let sealed = records::seal(
        &open.sessions_key,
        &open.vault_id,
        RecordKind::Session,
        &key[records::SESSION.len()..],
        0,
        &record,
    )?;
    batch.insert(key, sealed);
    Ok(())
}

/// Removes, in `batch`, `person`'s session whose token hashes to `token`.
pub(crate) fn drop_session(open: &Open, batch: &mut Batch, person: &Id, token: &TokenHash) {
    batch.remove(session_key(open, person, token));
}

/// Ends in memory the sessions whose stored copies are `ended` (keys a change removes), for a change the log holds
/// and the store missed: what it does to sessions is done, as if the store had taken it.
pub(crate) fn forget_ended(open: &Open, ended: &[Vec<u8>]) {
    let mut sessions = open.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    sessions.retain(|token, session| !ended.contains(&session_key(open, &session.person, token)));
}

impl Inner {
    /// Removes, in `batch`, every stored session of `person` (offboarded, or enrolling again).
    pub(crate) fn drop_sessions_of(&self, open: &Open, batch: &mut Batch, person: &Id) -> Result<()> {
        self.drop_other_sessions_of(open, batch, person, None)
    }

    /// Removes the stored copies of `person`'s sessions but `kept`'s (a passphrase change ends the others).
    pub(crate) fn drop_other_sessions_of(
        &self,
        open: &Open,
        batch: &mut Batch,
        person: &Id,
        kept: Option<&TokenHash>,
    ) -> Result<()> {
        let kept = kept.map(|token| session_key(open, person, token));
        for item in self.store.scan_prefix(&holder_prefix(open, person)) {
            let key = item?.0;
            if kept.as_deref() != Some(key.as_slice()) {
                batch.remove(key);
            }
        }
        Ok(())
    }

    /// Removes, in `batch`, `person`'s stored sessions past their absolute expiry at `now` (and any that does not
    /// open, which no take-over could use).
    pub(crate) fn prune_sessions_of(&self, open: &Open, batch: &mut Batch, person: &Id, now: i64) -> Result<()> {
        for item in self.store.scan_prefix(&holder_prefix(open, person)) {
            let (key, sealed) = item?;
            if open_session(open, &key, &sealed).is_ok_and(|session| session.expires_ms > now) {
                continue;
            }
            batch.remove(key);
        }
        Ok(())
    }

    /// Removes, in `batch`, every stored session: an owner sealed the vault, or an unseal that carries none.
    pub(crate) fn drop_all_sessions(&self, batch: &mut Batch) -> Result<()> {
        for item in self.store.scan_prefix(records::SESSION) {
            batch.remove(item?.0);
        }
        Ok(())
    }

    /// The stored sessions a take-over carries over at `now`, by token hash, each to be used within
    /// [`CARRIED_IDLE_GRACE`]; the others (expired, of a person offboarded or whose role changed, or not opening)
    /// are removed in `batch`.
    pub(crate) fn carried_sessions(
        &self,
        open: &Open,
        batch: &mut Batch,
        now: i64,
    ) -> Result<Vec<(TokenHash, Session)>> {
        let idle_ms = i64::try_from(self.config.session_idle.as_millis()).unwrap_or(i64::MAX);
        let grace_ms = i64::try_from(CARRIED_IDLE_GRACE.as_millis()).unwrap_or(i64::MAX).min(idle_ms);
        let mut carried = Vec::new();
        for item in self.store.scan_prefix(records::SESSION) {
            let (key, sealed) = item?;
            let session = match open_session(open, &key, &sealed) {
                Ok(session) => session,
                Err(err) => {
                    tracing::error!(error = %err, "a stored session does not open; it is not carried over");
                    batch.remove(key);
                    continue;
                }
            };
            let person = self.person(open, &session.person)?;
            let valid = session.expires_ms > now
                && person
                    .as_ref()
                    .is_some_and(|p| !p.disabled && p.role == session.role && p.passphrase_hash.is_some());
            match person {
                Some(person) if valid => carried.push((
                    TokenHash(session.token_hash),
                    Session {
                        person: person.id,
                        name: person.name,
                        role: person.role,
                        last_used_ms: now.saturating_sub(idle_ms.saturating_sub(grace_ms)),
                        expires_ms: session.expires_ms,
                    },
                )),
                _ => batch.remove(key),
            }
        }
        Ok(carried)
    }
}

impl Vault {
    /// How often the daemon calls [`Vault::end_idle_sessions`]: every 30 seconds, or every quarter of the idle time
    /// when that is shorter (never more often than every 250 ms).
    pub fn session_sweep_every(&self) -> std::time::Duration {
        let quarter = self.inner.config.session_idle / 4;
        SESSION_SWEEP_EVERY.min(quarter).max(std::time::Duration::from_millis(250))
    }

    /// Ends the sessions idle for the configured idle time or past their absolute expiry (each already refused):
    /// for each, one change removes its stored copy with a `session.end` event naming the person and why ("idle"
    /// or "expired"), then it leaves memory. Without it, a take-over would carry a session that had ended for
    /// idleness without a logout. The daemon calls it every [`Vault::session_sweep_every`]. It does nothing while
    /// sealed or while the store catches up, and stops at the first change that fails: with the database out of
    /// reach, the change's read of the store fails before anything is written (so no session ends for it), and
    /// those sessions stay, refused, for the next call. Returns how many ended.
    pub async fn end_idle_sessions(&self) -> Result<u32> {
        let inner = &self.inner;
        let Ok(open) = inner.serving() else { return Ok(0) };
        let now = inner.now_ms();
        let idle_ms = i64::try_from(inner.config.session_idle.as_millis()).unwrap_or(i64::MAX);
        let ended: Vec<(TokenHash, Session, &'static str)> = open
            .sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .filter_map(|(hash, session)| {
                let why = if now >= session.expires_ms {
                    "expired"
                } else if now.saturating_sub(session.last_used_ms) >= idle_ms {
                    "idle"
                } else {
                    return None;
                };
                Some((*hash, session.clone(), why))
            })
            .collect();
        let ctx = RequestContext { token: None, client_addr: "coffred".into(), client_agent: "coffred".into() };
        let mut count = 0_u32;
        for (hash, session, why) in ended {
            let mut batch = Batch::default();
            drop_session(&open, &mut batch, &session.person, &hash);
            let mut event = inner.event(&ctx, "-", "session.end", &session.name, Outcome::Success);
            event.reason = why.to_string();
            inner.commit(event, batch).await?;
            open.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&hash);
            count = count.saturating_add(1);
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use coffre_crypto::{secret::Passphrase, totp::TotpSeed};

    use super::CARRIED_IDLE_GRACE;
    use crate::{
        ErrorKind, Role,
        records::SESSION,
        tests::{Setup, ctx, next_code, reveal},
    };

    fn stored(setup: &Setup) -> usize {
        setup.vault.inner.store.scan_prefix(SESSION).count()
    }

    fn dave_pass() -> Passphrase {
        Passphrase::new(b"dave's own passphrase".to_vec()).expect("passphrase")
    }

    /// Dave, a member, added by the president and enrolled with [`dave_pass`]; his authenticator's seed.
    async fn enrolled_dave(setup: &Setup) -> TotpSeed {
        setup.enrolled("Dave", Role::Member, dave_pass()).await
    }

    /// A new session of Dave's, with his authenticator `seed`.
    async fn dave_logs_in(setup: &Setup, seed: &TotpSeed) -> crate::RequestContext {
        let login = setup.vault.login(&ctx(None), "Dave", dave_pass(), &next_code(&setup.clock, seed)).await;
        ctx(Some(login.expect("login").token.expose_secret()))
    }

    /// Every event of the vault's audit log.
    fn events(setup: &Setup) -> Vec<crate::AuditEvent> {
        let inner = &setup.vault.inner;
        let keys = inner.unsealed().expect("unsealed").audit_keys.clone();
        crate::audit::read_all(&inner.audit, &keys).expect("events")
    }

    /// An armed take-over carries over the sessions still valid, and only them: not one logged out, nor one of a
    /// person offboarded; each carried one must be used within the grace (its last use is not known), then lives by
    /// the ordinary rules; none past its absolute expiry. Any other unseal starts with nobody logged in and removes
    /// them from the store, as an owner's seal does.
    #[tokio::test]
    async fn an_armed_take_over_carries_the_sessions_still_valid_and_no_other_unseal_does() {
        let dir = tempfile::tempdir().expect("tempdir");
        let setup = Setup::new(dir.path()).await;
        let vault = &setup.vault;
        let seed = enrolled_dave(&setup).await;
        let dave = dave_logs_in(&setup, &seed).await;
        let logged_out = setup.login_again().await;
        vault.logout(&logged_out).await.expect("logout");
        let kept = setup.login_again().await;
        vault.offboard_person(&setup.alice, "Dave").await.expect("offboard");
        assert_eq!(stored(&setup), 2, "the president's two sessions");

        let setup = setup.taken_over().await;
        let vault = &setup.vault;
        vault.reveal(&setup.alice, reveal()).await.expect("carried over");
        for gone in [&logged_out, &dave] {
            let refused = vault.reveal(gone, reveal()).await.expect_err("not carried over");
            assert_eq!(refused.kind(), ErrorKind::Unauthenticated);
        }
        let events = events(&setup);
        let unseal = events.iter().rev().find(|e| e.action == "unseal").expect("the unseal");
        assert!(unseal.detail.contains("sessions_carried=2"), "{}", unseal.detail);

        setup.clock.advance(CARRIED_IDLE_GRACE + std::time::Duration::from_secs(1));
        let idle = vault.reveal(&kept, reveal()).await.expect_err("not used within the grace");
        assert_eq!(idle.kind(), ErrorKind::Unauthenticated);
        vault.reveal(&setup.alice, reveal()).await.expect("used within it: the ordinary idle time since");

        // Past their absolute expiry, sessions are not carried, and their records go.
        setup.clock.advance(vault.inner.config.session_absolute);
        let setup = setup.taken_over().await;
        let refused = setup.vault.reveal(&setup.alice, reveal()).await.expect_err("expired");
        assert_eq!(refused.kind(), ErrorKind::Unauthenticated);
        assert_eq!(stored(&setup), 0);

        // An owner's unseal carries none and removes them; so does an owner's seal.
        let alice = setup.login_again().await;
        assert_eq!(stored(&setup), 1);
        let setup = setup.restarted().await;
        let refused = setup.vault.reveal(&alice, reveal()).await.expect_err("an owner's unseal carries none");
        assert_eq!(refused.kind(), ErrorKind::Unauthenticated);
        assert_eq!(stored(&setup), 0);
        let alice = setup.login_again().await;
        assert_eq!(stored(&setup), 1);
        setup.vault.seal(&alice).await.expect("seal");
        assert_eq!(stored(&setup), 0, "an owner's seal ends them in the store too");
    }

    /// A session that ended for idleness, without a logout, is not brought back by a take-over: the sweep records
    /// its end and removes its stored copy. A session in use is left alone, and is carried.
    #[tokio::test]
    async fn a_session_ended_for_idleness_is_recorded_and_no_take_over_brings_it_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let setup = Setup::new(dir.path()).await;
        let vault = &setup.vault;
        let seed = enrolled_dave(&setup).await;
        let dave = dave_logs_in(&setup, &seed).await;
        assert_eq!(vault.end_idle_sessions().await.expect("sweep"), 0, "nobody is idle yet");
        let before = stored(&setup);

        let half = vault.inner.config.session_idle / 2;
        setup.clock.advance(half);
        vault.list_entries(&setup.alice, false).expect("the president goes on working");
        setup.clock.advance(half);
        let refused = vault.list_entries(&dave, false).expect_err("idle for the idle time");
        assert_eq!(refused.kind(), ErrorKind::Unauthenticated);
        assert_eq!(vault.end_idle_sessions().await.expect("sweep"), 1, "Dave's only");
        assert_eq!(stored(&setup), before - 1, "its stored copy went with its end");
        assert_eq!(vault.end_idle_sessions().await.expect("sweep"), 0, "recorded once");
        let events = events(&setup);
        let end = events.iter().rev().find(|e| e.action == "session.end").expect("the end's event");
        assert_eq!((end.target.as_str(), end.reason.as_str()), ("Dave", "idle"));

        let setup = setup.taken_over().await;
        setup.vault.list_entries(&setup.alice, false).expect("the session in use is carried over");
        let refused = setup.vault.list_entries(&dave, false).expect_err("not brought back");
        assert_eq!(refused.kind(), ErrorKind::Unauthenticated);
    }

    /// With the database out of reach, the sweep writes nothing (a change the log held and the database lacked
    /// would end every session until the database took it): the others go on working, and the idle sessions' ends
    /// are recorded once the database answers.
    #[tokio::test]
    async fn the_sweep_makes_no_change_while_the_database_is_out_of_reach() {
        use std::sync::atomic::Ordering::Release;
        let dir = tempfile::tempdir().expect("tempdir");
        let setup = Setup::new(dir.path()).await;
        let vault = &setup.vault;
        let seed = enrolled_dave(&setup).await;
        dave_logs_in(&setup, &seed).await;
        let before = stored(&setup);
        setup.clock.advance(vault.inner.config.session_idle);
        let alice = setup.login_again().await;

        setup.faults.store_read_failures.store(1, Release);
        setup.faults.store_unreachable_writes.store(u64::MAX, Release);
        let failed = vault.end_idle_sessions().await.expect_err("the database is out of reach");
        assert_eq!(failed.kind(), ErrorKind::Unavailable, "{failed}");
        setup.faults.store_unreachable_writes.store(0, Release);
        vault.list_entries(&alice, false).expect("nobody else's session ended for it");
        let ends = || events(&setup).iter().filter(|e| e.action == "session.end").count();
        assert_eq!(ends(), 0, "nothing written");

        assert_eq!(vault.end_idle_sessions().await.expect("sweep"), 2, "Dave's, and Alice's first");
        assert_eq!(stored(&setup), before - 1, "Dave's and Alice's first went; her new one stays");
        assert_eq!(ends(), 2);
        vault.list_entries(&alice, false).expect("still at work");
    }

    /// An owner's seal whose sessions the store cannot list (a database out of reach for reads) still writes its
    /// event and its mark: a standby that takes over leaves the vault sealed, and carries nothing.
    #[tokio::test]
    async fn a_seal_that_cannot_list_the_sessions_still_keeps_a_take_over_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let setup = Setup::new(dir.path()).await;
        setup.faults.store_scan_failures.store(1, std::sync::atomic::Ordering::Release);
        setup.vault.seal(&setup.alice).await.expect("sealing always succeeds");
        assert!(setup.vault.sealed_by_owner().expect("read"), "the seal's mark is in the store");
        let config = setup.vault.inner.config.clone();
        let (faults, clock) = (setup.faults.clone(), setup.clock.clone());
        drop(setup);
        let store = std::sync::Arc::new(crate::audit::faulty::Faulty(faults));
        let vault = crate::Vault::open_with(config, clock, store).expect("open again");
        let armed = vault.unseal_armed(&ctx(None), crate::tests::pass()).await.expect("armed");
        assert_eq!(armed, crate::ArmedUnseal::SealedByOwner);
        assert!(vault.inner.unsealed().is_err(), "left sealed");
    }

    /// A passphrase change ends the person's other sessions (someone who had the old passphrase is out at once),
    /// in memory and in the store, so that no take-over brings them back; the session that made the change goes on.
    #[tokio::test]
    async fn a_passphrase_change_ends_the_other_sessions_of_that_person_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let setup = Setup::new(dir.path()).await;
        let vault = &setup.vault;
        let seed = enrolled_dave(&setup).await;
        let mut daves = Vec::new();
        for _ in 0..3 {
            daves.push(dave_logs_in(&setup, &seed).await);
        }
        let before = stored(&setup);

        let new = Passphrase::new(b"dave's new passphrase, after a leak".to_vec()).expect("passphrase");
        vault.change_passphrase(&daves[0], dave_pass(), new).await.expect("changed");
        vault.list_entries(&daves[0], false).expect("the session that changed it goes on");
        for other in &daves[1..] {
            let refused = vault.list_entries(other, false).expect_err("ended");
            assert_eq!(refused.kind(), ErrorKind::Unauthenticated);
        }
        vault.list_entries(&setup.alice, false).expect("another person's session is untouched");
        assert_eq!(stored(&setup), before - 2, "their stored copies went with the change");
        let events = events(&setup);
        let passwd = events.iter().rev().find(|e| e.action == "passwd").expect("the change's event");
        assert!(passwd.detail.contains("other_sessions_ended=2"), "{}", passwd.detail);

        let setup = setup.taken_over().await;
        setup.vault.list_entries(&daves[0], false).expect("carried over");
        for other in &daves[1..] {
            let refused = setup.vault.list_entries(other, false).expect_err("not brought back");
            assert_eq!(refused.kind(), ErrorKind::Unauthenticated);
        }
    }
}
