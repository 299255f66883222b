//! The [`Vault`] handle, its state (uninitialised, sealed, unsealed) and what every operation shares:
//! session checks, audit events, Argon2 work under a concurrency bound.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{
        Arc, Mutex, RwLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use coffre_crypto::{
    keys::{MasterKey, Purpose, SubKey, VaultId},
    token::{TokenHash, hash_session_token},
};
use coffre_store::{Batch, PgStore, SledStore, Store};
use tokio::sync::Semaphore;

use crate::{
    Error, Result, StoreBackend, VaultConfig,
    audit::{AuditKeys, AuditLog, NewEvent, Outcome},
    authz::{self, Action},
    clock::{Clock, unix_millis},
    entry_cache::{EntryCache, GrantCache, StoreChanges, TrackedStore, VersionCache},
    header::SealHeader,
    journal,
    model::*,
    records::{self, Id, PersonRecord},
    throttle::Throttle,
};

/// The engine. Cheap to clone; every clone is the same vault.
#[derive(Clone)]
pub struct Vault {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("data_dir", &self.inner.config.data_dir).finish_non_exhaustive()
    }
}

pub(crate) struct Inner {
    /// The engine itself, for work it starts in the background (recording grant expiries).
    pub(crate) me: std::sync::Weak<Inner>,
    pub(crate) config: VaultConfig,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) store: Arc<dyn Store>,
    /// Where the store is, for messages: `DATA_DIR/db` with sled, host, database and schema with PostgreSQL.
    pub(crate) store_place: PathBuf,
    /// What the store changed since the caches last looked (noted by the store itself).
    pub(crate) store_changes: Arc<StoreChanges>,
    pub(crate) audit: AuditLog,
    pub(crate) state: RwLock<State>,
    /// Bounds concurrent Argon2 work, so a login flood cannot exhaust memory. A permit is held by the blocking
    /// task that computes, not by the request: a cancelled request does not free it before the work ends.
    pub(crate) kdf_permits: Arc<Semaphore>,
    /// How many Argon2 computations run now, and the most that ever ran at once.
    pub(crate) kdf_load: Arc<KdfLoad>,
    /// Serialises writes that read, then change, records (names must stay unique, versions must not fork).
    pub(crate) writes: tokio::sync::Mutex<()>,
    /// The recovery in progress (shares submitted so far) and its completion code; memory only.
    pub(crate) recovery: Mutex<crate::recovery::RecoveryState>,
    /// Login back-off, per account and per client address.
    pub(crate) throttle: Mutex<Throttle>,
    /// The store's full read for the next unseal's check, done ahead while sealed.
    pub(crate) store_check: crate::store_check::StoreCheckAhead,
    /// The standby coffreds waiting for the store, as last read (see `standby.rs`).
    pub(crate) standbys: Mutex<Option<crate::standby::StandbysRead>>,
}

#[derive(Default)]
pub(crate) struct State {
    /// `None` while uninitialised.
    pub(crate) header: Option<SealHeader>,
    /// `Some` while unsealed.
    pub(crate) open: Option<Arc<Open>>,
}

/// What exists only while unsealed: the keys and the sessions. Dropping it wipes the keys.
pub(crate) struct Open {
    pub(crate) vault_id: VaultId,
    pub(crate) master: MasterKey,
    pub(crate) entries_key: SubKey,
    pub(crate) people_key: SubKey,
    pub(crate) index_key: SubKey,
    /// Seals the sessions the store keeps for a take-over (see `sessions.rs`).
    pub(crate) sessions_key: SubKey,
    /// Authenticates the seal header (see `header.rs`).
    pub(crate) header_key: SubKey,
    /// The web client's form tokens ([`Vault::form_mac`]).
    forms_key: SubKey,
    pub(crate) audit_keys: Arc<AuditKeys>,
    pub(crate) sessions: Mutex<HashMap<TokenHash, Session>>,
    /// Entry metadata, sorted, loaded at the first list after unseal (see `entry_cache.rs`).
    pub(crate) entry_cache: RwLock<Option<EntryCache>>,
    /// Each person's grants (see `entry_cache.rs`).
    pub(crate) grant_cache: Mutex<GrantCache>,
    /// Versions as the store holds them, sealed (see `entry_cache.rs`).
    pub(crate) version_cache: Mutex<VersionCache>,
    /// (person, entry) pairs whose reveal mark is known to be stored, with the newest version it is known to
    /// record (0: codes only, or unknown for a mark of the first shape).
    pub(crate) known_marks: Mutex<HashMap<(Id, Id), u32>>,
    /// Held by a reveal while it writes a (person, entry) pair's mark, one lock per stripe of pairs: two reveals of
    /// one pair at once write one after the other, so the mark never goes back to an older version.
    pub(crate) mark_locks: Box<[tokio::sync::Mutex<()>]>,
}

/// How many stripes of (person, entry) pairs share a mark lock.
const MARK_LOCK_STRIPES: usize = 256;

impl Open {
    /// The lock of `(person, entry)`'s stripe (ids are random, so their bytes spread pairs evenly).
    pub(crate) fn mark_lock(&self, person: &Id, entry: &Id) -> &tokio::sync::Mutex<()> {
        let stripe = usize::from(person[0] ^ entry[0]) % self.mark_locks.len();
        &self.mark_locks[stripe]
    }
}

impl std::fmt::Debug for Open {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Open").field("vault_id", &self.vault_id).finish_non_exhaustive()
    }
}

impl Open {
    pub(crate) fn new(vault_id: VaultId, master: MasterKey) -> Self {
        Self {
            vault_id,
            entries_key: master.subkey(Purpose::Entries),
            people_key: master.subkey(Purpose::People),
            index_key: master.subkey(Purpose::Index),
            sessions_key: master.subkey(Purpose::Sessions),
            header_key: master.subkey(Purpose::Header),
            forms_key: master.subkey(Purpose::WebForms),
            audit_keys: Arc::new(AuditKeys::derive(vault_id, &master)),
            master,
            sessions: Mutex::new(HashMap::new()),
            entry_cache: RwLock::new(None),
            grant_cache: Mutex::default(),
            version_cache: Mutex::default(),
            known_marks: Mutex::default(),
            mark_locks: (0..MARK_LOCK_STRIPES).map(|_| tokio::sync::Mutex::new(())).collect(),
        }
    }
}

/// A live session, kept in memory only (by the hash of its token): a restart or a seal ends it.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub(crate) person: Id,
    pub(crate) name: String,
    pub(crate) role: Role,
    pub(crate) last_used_ms: i64,
    pub(crate) expires_ms: i64,
}

/// An authenticated caller.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub(crate) open: Arc<Open>,
    pub(crate) person: Id,
    pub(crate) name: String,
    pub(crate) role: Role,
    pub(crate) expires_ms: i64,
}

impl Vault {
    /// Opens (or creates) the data directory. The vault comes up sealed, or uninitialised on a new directory.
    pub fn open(config: VaultConfig, clock: Arc<dyn Clock>) -> Result<Self> {
        Self::open_with(config, clock, Arc::new(crate::audit::Disk))
    }

    /// Like [`Vault::open`], with the audit log writing through `storage` (tests make it fail on demand).
    pub(crate) fn open_with(
        config: VaultConfig,
        clock: Arc<dyn Clock>,
        storage: Arc<dyn crate::audit::Storage>,
    ) -> Result<Self> {
        create_private_dir(&config.data_dir)?;
        let header_copy = config.data_dir.join(journal::HEADER_COPY);
        let (store, store_place): (Box<dyn Store>, PathBuf) = match &config.store {
            StoreBackend::Sled => {
                let db = config.data_dir.join("db");
                if !db.exists() && header_copy.exists() {
                    // A vault's store is gone: refused before anything is created in its place.
                    return Err(Error::StoreDamaged {
                        file: db.display().to_string(),
                        problem: crate::Problem::StoreDirectoryMissing { copy: header_copy.display().to_string() },
                    });
                }
                create_private_dir(&db)?;
                (Box::new(SledStore::open(&db)?), db)
            }
            StoreBackend::Postgres(options) => {
                let store = PgStore::open(options)?;
                let place = PathBuf::from(store.place());
                (Box::new(store), place)
            }
        };
        create_private_dir(&config.data_dir.join("audit"))?;
        let store = storage.wrap_store(store);
        let witness = config.data_dir.join(crate::audit::witness::FILE_NAME);
        let audit = AuditLog::open_with(&config.data_dir.join("audit"), &witness, storage, Some(&*store))?;
        let header = match store.get(records::HEADER_KEY)? {
            Some(bytes) => Some(SealHeader::decode(&bytes)?),
            None => None,
        };
        let sled_db = config.data_dir.join("db");
        if header.is_none() && matches!(config.store, StoreBackend::Postgres(_)) && sled_db.is_dir() {
            // A vault on sled, started with PostgreSQL configured before its records were moved: not damage.
            return Err(Error::Storage(coffre_store::StoreError::Config {
                problem: format!(
                    "{} holds no vault, but {} holds this data directory's records on sled: move them with \
                     `coffred migrate` (docs/ha.md), or remove [storage] from the configuration to go on with sled",
                    store_place.display(),
                    sled_db.display()
                ),
            }));
        }
        if header.is_none() && (audit.written() > 0 || header_copy.exists()) {
            // Never "not initialised" for a vault whose store lost its header: that would invite a second init.
            return Err(Error::StoreDamaged {
                file: store_place.display().to_string(),
                problem: crate::Problem::StoreNoHeader {
                    events: audit.written(),
                    copy: header_copy.display().to_string(),
                },
            });
        }
        let permits = config.max_concurrent_kdf.max(1);
        let store_changes = Arc::new(StoreChanges::default());
        let tracked: Arc<dyn Store> = Arc::new(TrackedStore::new(store, store_changes.clone()));
        // The audit writer applies each change to the store once it is durable, in the log's order.
        audit.attach_store(tracked.clone(), config.store_retry_for);
        let vault = Self {
            inner: Arc::new_cyclic(|me| Inner {
                me: me.clone(),
                config,
                clock,
                store: tracked,
                store_place,
                store_changes,
                audit,
                state: RwLock::new(State { header, open: None }),
                kdf_permits: Arc::new(Semaphore::new(permits)),
                kdf_load: Arc::default(),
                writes: tokio::sync::Mutex::new(()),
                recovery: Mutex::default(),
                throttle: Mutex::new(Throttle::default()),
                store_check: Default::default(),
                standbys: Mutex::default(),
            }),
        };
        if vault.inner.read_state().header.is_some() {
            vault.inner.read_store_ahead();
        }
        Ok(vault)
    }

    /// Where the records are, and whether another coffred has taken that store over since this vault opened it
    /// (a PostgreSQL schema's lock or claim found held by another one at a write): then this vault writes, and so
    /// reveals, nothing more, and the daemon stops serving it.
    pub fn taken_over(&self) -> Option<String> {
        self.inner.store.taken_over().then(|| self.inner.store_place.display().to_string())
    }

    /// Seal state, vault id, public audit key, the number of audit events durably written (known sealed too: the
    /// log's frames are counted without a key) and, while unsealed, the hash of the last one. Needs no session.
    pub fn status(&self) -> Status {
        let state = self.inner.read_state();
        let seal = match (&state.header, &state.open) {
            (None, _) => SealState::Uninitialised,
            (Some(_), None) => SealState::Sealed,
            (Some(_), Some(_)) => SealState::Unsealed,
        };
        let head = (seal == SealState::Unsealed).then(|| self.inner.audit.head());
        Status {
            state: seal,
            vault_id: state.header.as_ref().map(|h| h.vault_id.to_hex()),
            audit_events: if seal == SealState::Uninitialised { 0 } else { self.inner.audit.written() },
            audit_public_key: state.header.as_ref().and_then(|h| h.audit_public_key.clone()),
            audit_head_hash: head.map(|(_, hash)| data_encoding::HEXLOWER.encode(&hash)),
            store_catching_up: seal != SealState::Uninitialised && self.inner.audit.store_behind(),
            standbys: self.standbys(),
        }
    }
}

impl Vault {
    /// Writes the store out and syncs it (at shutdown): not needed for durability, since the audit log holds every
    /// change, but the next unseal then has nothing to replay.
    pub async fn write_store_out(&self) {
        self.inner.audit.checkpoint().await;
    }

    /// Whether the vault is unsealed now (its keys in memory). The state is public (`status`).
    pub fn is_unsealed(&self) -> bool {
        self.inner.unsealed().is_ok()
    }

    /// HMAC-SHA256 of `binding` under the vault's web-forms key (derived from its master key), while unsealed:
    /// every coffred that unseals this vault computes the same, so a form token made by one is taken by a standby
    /// that took the vault over. `None` while sealed (no key in memory).
    pub fn form_mac(&self, binding: &[u8]) -> Option<[u8; 32]> {
        let open = self.inner.unsealed().ok()?;
        Some(open.forms_key.mac(&[b"coffre web form v1\0", binding]))
    }
}

impl Inner {
    pub(crate) fn read_state(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn write_state(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn now_ms(&self) -> i64 {
        unix_millis(self.clock.now())
    }

    /// The keys, or why there are none.
    pub(crate) fn unsealed(&self) -> Result<Arc<Open>> {
        let state = self.read_state();
        match (&state.header, &state.open) {
            (None, _) => Err(Error::Uninitialised),
            (Some(_), None) => Err(Error::Sealed),
            (Some(_), Some(open)) => Ok(open.clone()),
        }
    }

    /// The keys, for a request that reads the store as current: refused while the store lacks a change the audit
    /// log holds (the writer gives it again until the store takes it; see [`Inner::commit`]).
    pub(crate) fn serving(&self) -> Result<Arc<Open>> {
        let open = self.unsealed()?;
        if self.audit.store_behind() {
            if let Some(rolled) = self.audit.store_rolled_back() {
                // The store lost committed transactions while it was missing a change: it will never take it.
                self.seal_itself(&rolled);
                return Err(rolled);
            }
            return Err(Error::StoreCatchingUp);
        }
        Ok(open)
    }

    /// Checks the request's session: unsealed vault whose store is current, known token, not idle too long, not
    /// past its absolute expiry. Touches the session's idle timer.
    pub(crate) fn authenticate(&self, ctx: &RequestContext) -> Result<Caller> {
        self.session(ctx, self.serving()?)
    }

    /// [`Inner::authenticate`] for `action`, which may need no current store (see
    /// [`Action::served_while_catching_up`]).
    fn authenticate_for(&self, ctx: &RequestContext, action: Action) -> Result<Caller> {
        let open = if action.served_while_catching_up() { self.unsealed()? } else { self.serving()? };
        self.session(ctx, open)
    }

    /// The caller whose session the request carries, on the vault's keys `open`.
    fn session(&self, ctx: &RequestContext, open: Arc<Open>) -> Result<Caller> {
        let token = ctx.token.as_ref().ok_or(Error::NoSession)?;
        let hash = hash_session_token(token.0.expose_secret());
        let now = self.now_ms();
        let idle_ms = i64::try_from(self.config.session_idle.as_millis()).unwrap_or(i64::MAX);
        let mut sessions = open.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let session = sessions.get_mut(&hash).ok_or(Error::NoSession)?;
        if now >= session.expires_ms || now.saturating_sub(session.last_used_ms) >= idle_ms {
            // Refused, and left for `Vault::end_idle_sessions` to record its end and remove its stored copy.
            return Err(Error::NoSession);
        }
        session.last_used_ms = now;
        let caller = Caller {
            open: open.clone(),
            person: session.person,
            name: session.name.clone(),
            role: session.role,
            expires_ms: session.expires_ms,
        };
        drop(sessions);
        Ok(caller)
    }

    /// Authenticates, then asks the policy whether `action` is allowed. For the read-only calls that cannot wait
    /// (they return no secret): a refusal is recorded without waiting for it to be durable. Calls that change
    /// something or return a secret use [`Inner::authorize_audited`], which waits.
    pub(crate) fn authorize(&self, ctx: &RequestContext, action: Action) -> Result<Caller> {
        let caller = self.authenticate_for(ctx, action)?;
        if let Err(denied) = authz::check(caller.role, action) {
            let mut event = self.event(ctx, &caller.name, action.audit_name(), "", Outcome::Denied);
            event.reason = denied.to_string();
            self.audit.append_detached(event, self.now_ms());
            return Err(denied);
        }
        Ok(caller)
    }

    /// Like [`Inner::authorize`], but a refusal is also an audit event (denied attempts are accountable too).
    pub(crate) async fn authorize_audited(&self, ctx: &RequestContext, action: Action, target: &str) -> Result<Caller> {
        let caller = self.authenticate_for(ctx, action)?;
        if let Err(denied) = authz::check(caller.role, action) {
            let mut event = self.event(ctx, &caller.name, action.audit_name(), target, Outcome::Denied);
            event.reason = denied.to_string();
            if let Err(err) = self.audit(event).await {
                tracing::error!(error = %err, "a denial could not be audited");
            }
            return Err(denied);
        }
        Ok(caller)
    }

    /// An audit event with the request's client facts filled in.
    pub(crate) fn event(
        &self,
        ctx: &RequestContext,
        actor: &str,
        action: &'static str,
        target: &str,
        outcome: Outcome,
    ) -> NewEvent {
        NewEvent {
            actor: actor.to_string(),
            action,
            target: target.to_string(),
            outcome,
            reason: String::new(),
            detail: String::new(),
            client_addr: ctx.client_addr.clone(),
            client_agent: ctx.client_agent.clone(),
        }
    }

    /// Starts reading the whole store for the next unseal's check, while the vault is sealed (`store_check.rs`).
    pub(crate) fn read_store_ahead(&self) {
        self.store_check.start(self.store.clone(), self.store_place.clone(), &self.store_changes);
    }

    /// Appends an event and waits until it is durable.
    pub(crate) async fn audit(&self, event: NewEvent) -> Result<u64> {
        let appended = self.audit.append(event, self.now_ms()).await;
        if let Err(err @ Error::StoreRolledBack { .. }) = &appended {
            self.seal_itself(err);
        }
        appended
    }

    /// Seals the vault after its store failed in a way that only an unseal's check against the log repairs: every
    /// key and session goes, and no request is answered from the store until an owner unseals.
    pub(crate) fn seal_itself(&self, why: &Error) {
        tracing::error!(
            error = %why,
            "sealing the vault: the next unseal checks the store against the audit log and gives it what it lacks"
        );
        self.write_state().open = None;
        self.audit.set_key(None);
    }

    /// Makes a change: `batch` goes into the audit log with `event`, in the same group commit, and the audit
    /// writer applies it to the store once both are durable, in the log's order, with the store's applied marker
    /// (see `journal.rs`); only then does this return. Every write to the store goes through here. Callers that
    /// read, then change, records hold the write lock across the call (names stay unique, versions do not fork);
    /// a reveal's mark needs no lock. Returns the event's sequence number.
    ///
    /// If the store then refuses the batch, the log holds a change the store lacks: the vault seals itself, and
    /// the next unseal replays the change from the log. If the store stays out of reach instead (a database down or
    /// read-only for longer than the writer's retry), the vault stays unsealed: the writer gives the store the
    /// change again until it takes it, and meanwhile every request is refused ([`Inner::serving`]) but an owner's
    /// seal.
    ///
    /// Whenever the log holds the change, whether the store took it or not, what it does besides its records is
    /// done here: a seal header it writes is the vault's from then on (the key slots an unseal tries: a slot it
    /// removes never opens the vault again), and the sessions whose stored copies it removes end.
    pub(crate) async fn commit(&self, event: NewEvent, batch: Batch) -> Result<u64> {
        self.commit_with(event, batch, journal::Pending::Batch).await
    }

    /// [`Inner::commit`] for an owner's seal, which the writer takes even while the store lacks an earlier change
    /// (see [`journal::Pending::Seal`]).
    pub(crate) async fn commit_seal(&self, event: NewEvent, batch: Batch) -> Result<u64> {
        self.commit_with(event, batch, journal::Pending::Seal).await
    }

    async fn commit_with(&self, event: NewEvent, batch: Batch, kind: fn(Batch) -> journal::Pending) -> Result<u64> {
        let header =
            batch.ops().filter(|(key, _)| *key == records::HEADER_KEY).last().and_then(|(_, v)| v.map(<[u8]>::to_vec));
        // The sessions the change ends, by their stored copies' keys: ended in memory too if the store misses it.
        let ended: Vec<Vec<u8>> = batch
            .ops()
            .filter(|(key, value)| value.is_none() && key.starts_with(records::SESSION))
            .map(|(key, _)| key.to_vec())
            .collect();
        let committed = self.audit.append_change(event, kind(batch), self.now_ms()).await;
        if let Err(err @ (Error::StoreRefused(_) | Error::StoreRolledBack { .. })) = &committed {
            // The log holds the change and the store does not: the next unseal replays it from the log.
            self.seal_itself(err);
        }
        if let Err(Error::StoreBehind(why)) = &committed {
            tracing::error!(
                error = %why,
                "the store did not take a change the audit log holds; requests are refused until the store has taken \
                 it (but an owner's seal)"
            );
            // The change happened (the log holds it): the sessions it ends end now, as they would have once it was
            // applied. The others stay, for an owner to seal meanwhile and for everyone once the store has it.
            if !ended.is_empty()
                && let Some(open) = &self.read_state().open
            {
                crate::sessions::forget_ended(open, &ended);
            }
        }
        let logged = matches!(
            &committed,
            Ok(_) | Err(Error::StoreBehind(_) | Error::StoreRefused(_) | Error::StoreRolledBack { .. })
        );
        if logged && let Some(header) = header {
            match crate::header::SealHeader::decode(&header) {
                Ok(decoded) => self.write_state().header = Some(decoded),
                // Never the case for a header this process encoded; if it were, no slot in memory may outlive it.
                Err(err) => self.seal_itself(&err),
            }
            if let Err(err) = journal::write_header_copy(&self.config.data_dir, &header) {
                tracing::error!(error = %err, "cannot write the seal header's copy (needed by coffred rebuild-store)");
            }
        }
        committed
    }

    /// Runs Argon2 work off the async threads, at most `max_concurrent_kdf` at once, whether or not the callers
    /// wait for the results.
    ///
    /// The permit moves into the blocking task and is released only when the computation ends: if the request is
    /// dropped (its client cancelled) while Argon2 runs, the work goes on to its end and keeps its place, so new
    /// requests wait instead of stacking more computations (and their memory) beside it. A request dropped while
    /// still waiting for a permit starts no work at all.
    pub(crate) async fn kdf<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let permit = Arc::clone(&self.kdf_permits)
            .acquire_owned()
            .await
            .map_err(|_| Error::Internal("KDF limiter closed".into()))?;
        let load = Arc::clone(&self.kdf_load);
        load.queued.fetch_add(1, Ordering::SeqCst);
        tokio::task::spawn_blocking(move || {
            // The gauge counts the computation as ended before its permit lets the next one start.
            let result = {
                let _running = load.start();
                work()
            };
            drop(permit);
            result
        })
        .await
        .map_err(|e| Error::Internal(format!("KDF task failed: {e}")))
    }

    /// Ends every session of `person`; returns how many there were.
    pub(crate) fn end_sessions_of(&self, open: &Open, person: &Id) -> u32 {
        self.end_other_sessions_of(open, person, None)
    }

    /// Ends every session of `person` but `kept` (the caller's); returns how many ended.
    pub(crate) fn end_other_sessions_of(&self, open: &Open, person: &Id, kept: Option<&TokenHash>) -> u32 {
        let mut sessions = open.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let before = sessions.len();
        sessions.retain(|hash, session| session.person != *person || Some(hash) == kept);
        u32::try_from(before - sessions.len()).unwrap_or(u32::MAX)
    }

    /// Loads a person by id.
    pub(crate) fn person(&self, open: &Open, id: &Id) -> Result<Option<PersonRecord>> {
        let Some(sealed) = self.store.get(&records::key(records::PERSON, id))? else { return Ok(None) };
        records::open(&open.people_key, &open.vault_id, coffre_crypto::record::RecordKind::Person, id, 0, &sealed)
            .map(Some)
    }
}

/// Argon2 computations running now, and the most seen at once: what the concurrency bound is checked against.
#[derive(Debug, Default)]
pub(crate) struct KdfLoad {
    running: AtomicUsize,
    peak: AtomicUsize,
    started: AtomicUsize,
    /// Computations handed to the blocking pool (started or not yet) and computations ended: equal when the pool
    /// has nothing of ours left to run.
    queued: AtomicUsize,
    ended: AtomicUsize,
}

impl KdfLoad {
    /// Counts a computation until the guard is dropped.
    fn start(self: &Arc<Self>) -> KdfRunning {
        self.started.fetch_add(1, Ordering::SeqCst);
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        KdfRunning(Arc::clone(self))
    }

    /// The most computations that ever ran at once.
    #[cfg(test)]
    pub(crate) fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// How many computations ever started.
    #[cfg(test)]
    pub(crate) fn started(&self) -> usize {
        self.started.load(Ordering::SeqCst)
    }

    /// Whether every computation handed to the blocking pool has run to its end.
    #[cfg(test)]
    pub(crate) fn all_ended(&self) -> bool {
        self.ended.load(Ordering::SeqCst) == self.queued.load(Ordering::SeqCst)
    }
}

/// One running computation (see [`KdfLoad::start`]).
struct KdfRunning(Arc<KdfLoad>);

impl Drop for KdfRunning {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        self.0.ended.fetch_add(1, Ordering::SeqCst);
    }
}

/// Creates a directory of the daemon's, or tightens an existing one, so that only its owner can enter it.
fn create_private_dir(path: &std::path::Path) -> Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let fail =
        |e: std::io::Error| Error::Internal(format!("cannot prepare the private directory {}: {e}", path.display()));
    if path.exists() && !path.is_dir() {
        return Err(Error::Internal(format!("{} exists but is not a directory", path.display())));
    }
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(path).map_err(fail)?;
    let mode = std::fs::metadata(path).map_err(fail)?.permissions().mode();
    if mode & 0o077 != 0 {
        tracing::warn!(path = %path.display(), mode = format!("{:o}", mode & 0o777), "making the directory private (0700)");
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).map_err(fail)?;
    }
    Ok(())
}
