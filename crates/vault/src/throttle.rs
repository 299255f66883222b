//! Guessing back-off for logins and unseals: in memory, counted before any Argon2 work (DESIGN.md,
//! "Authentication"; SECURITY.md, "Guessing and lockout").
//!
//! An attempt is a guess at a *target* (an account name, or the vault's key slots for an unseal) from a client
//! *address*. Three counters keep guessing slow without letting a stranger lock the owners out:
//!
//! - per (target, address): [`PAIR`], 3 free failures, then a wait from 1 s doubling to 15 minutes. One address
//!   guessing one account is slowed hard, and nobody else is.
//! - per address, whatever the target: [`ADDRESS`], 10 free failures (an office behind one address makes typos
//!   too), then the same doubling. One address spraying names is slowed hard.
//! - per target, from every address: [`TARGET`], 10 free failures, then a wait from 1 s doubling to only 30 s.
//!   Many addresses guessing one account share one slow rate (at most one guess per 30 s); it is a ceiling on
//!   the rate, never a lock. An address that proved the target recently (a full login, passphrase and second
//!   factor, or an unseal) is [trusted](TRUST_FOR_MS) for it and bypasses this ceiling, so an owner at a known
//!   address gets in whatever strangers do.
//!
//! The decision and the count are one step ([`Throttle::begin`], under the caller's lock): every allowed attempt
//! counts as a failure *before* its Argon2 work starts, so simultaneous guesses cannot all pass the check, and an
//! attempt abandoned by its client counts like one that was answered. A success takes its own count back
//! ([`Throttle::succeeded`]) and clears its (target, address) counter; it never clears what other attempts counted.
//!
//! Targets are keyed by a hash of the lower-cased name, whether or not such an account exists, so the back-off
//! does not tell which names are real. IPv6 clients are keyed by their /64, which one host usually holds whole.
//! Counters live in memory. A restart, or a standby's take-over, starts with none, so the first unseal of a process
//! counts again the logins' failures and successes of the last hour that the audit log recorded
//! ([`Inner::restore_back_off`]): the log is the durable record of them, and a guesser's budget does not start again
//! because the daemon did. Unseal guesses cannot be counted so (the log opens only with the vault's key): they start
//! from zero at each start, as before.

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

use coffre_audit::AuditEvent;
use sha2::{Digest, Sha256};

use crate::{
    Error, Result,
    audit::{AuditKeys, Outcome},
    model::RequestContext,
    vault::Inner,
};

/// How a kind of counter backs off: `free` failures cost nothing more than the Argon2 work, every later one doubles
/// the wait from `first_ms` up to `max_ms`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Schedule {
    pub(crate) free: u32,
    pub(crate) first_ms: i64,
    pub(crate) max_ms: i64,
}

impl Schedule {
    /// The wait after `failures` failures.
    pub(crate) fn delay_ms(self, failures: u32) -> i64 {
        if failures <= self.free {
            return 0;
        }
        let doublings = (failures - self.free - 1).min(30);
        self.first_ms.saturating_mul(1 << doublings).min(self.max_ms)
    }
}

const MINUTE_MS: i64 = 60 * 1_000;
/// One address guessing one target.
pub(crate) const PAIR: Schedule = Schedule { free: 3, first_ms: 1_000, max_ms: 15 * MINUTE_MS };
/// One address guessing any targets.
pub(crate) const ADDRESS: Schedule = Schedule { free: 10, first_ms: 1_000, max_ms: 15 * MINUTE_MS };
/// Every untrusted address guessing one target: a rate ceiling, never a lock.
pub(crate) const TARGET: Schedule = Schedule { free: 10, first_ms: 1_000, max_ms: 30 * 1_000 };
/// An address that proved a target (login with both factors, or unseal) is trusted for it this long.
pub(crate) const TRUST_FOR_MS: i64 = 30 * 24 * 60 * MINUTE_MS;
/// A counter whose last failure is older than this starts again from zero.
const FORGET_AFTER_MS: i64 = 60 * MINUTE_MS;
/// Most entries kept per map; beyond it, forgotten ones are dropped first, then the oldest half.
const MAX_TRACKED: usize = 100_000;
/// How many of the audit log's last events a process's first unseal reads to restore the back-off (those of the
/// last [`FORGET_AFTER_MS`] among them count): a bound on the work, for a log that grows by reveals.
const RESTORE_EVENTS: u64 = 100_000;

/// What is being guessed.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Target<'a> {
    /// An account's passphrase (login, or the current passphrase of a change).
    Login(&'a str),
    /// An owner's passphrase against the vault's key slots. Every slot is tried with each guess, so the slots
    /// share one counter.
    Unseal,
}

impl Target<'_> {
    /// SHA-256 of a domain and the trimmed, lower-cased name: the same key for "Alice" and " alice", known or not.
    fn key(self) -> TargetKey {
        let mut hash = Sha256::new();
        match self {
            Target::Login(name) => {
                hash.update(b"login\0");
                hash.update(name.trim().to_lowercase().as_bytes());
            }
            Target::Unseal => hash.update(b"unseal\0"),
        }
        hash.finalize().into()
    }
}

type TargetKey = [u8; 32];

#[derive(Clone, Copy, Debug, Default)]
struct Counter {
    failures: u32,
    last_failure_ms: i64,
    /// No attempt is allowed before this time.
    next_allowed_ms: i64,
    /// Whether a refusal during the current wait has been audited already (one event per wait, not per attempt).
    refusal_noted: bool,
}

/// Why an attempt is refused: how long to wait, and whether this refusal is the first of its wait (to audit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) retry_after_secs: u64,
    pub(crate) first: bool,
}

/// An allowed attempt, counted already as a failure; hand it back to [`Throttle::succeeded`] if it succeeds.
#[derive(Debug)]
pub(crate) struct Attempt {
    target: TargetKey,
    address: String,
    /// Whether the target's ceiling counted it (it does not for a trusted address).
    counted_by_target: bool,
}

/// The counters, and the addresses trusted per target.
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    pairs: HashMap<(TargetKey, String), Counter>,
    addresses: HashMap<String, Counter>,
    targets: HashMap<TargetKey, Counter>,
    /// When each (target, address) last proved the target.
    trusted: HashMap<(TargetKey, String), i64>,
    /// Whether this process has restored the counters from the audit log already (once, at its first unseal).
    restored: bool,
}

impl Throttle {
    /// Refuses the attempt when one of its counters is waiting; otherwise counts it as a failure, in the same step.
    pub(crate) fn begin(&mut self, target: Target<'_>, client_addr: &str, now_ms: i64) -> Result<Attempt, Refusal> {
        let target = target.key();
        let address = address_key(client_addr);
        let pair = (target, address.clone());
        let trusted = self.trusts(&pair, now_ms);
        let mut counters = vec![self.pairs.get_mut(&pair), self.addresses.get_mut(&address)];
        if !trusted {
            counters.push(self.targets.get_mut(&target));
        }
        let wait = counters.iter().flatten().map(|c| c.next_allowed_ms - now_ms).max().unwrap_or(0);
        if wait > 0 {
            let mut first = false;
            for counter in counters.into_iter().flatten() {
                if counter.next_allowed_ms > now_ms && !counter.refusal_noted {
                    counter.refusal_noted = true;
                    first = true;
                }
            }
            // Rounded up, so that "try again in N s" is never too early.
            let retry_after_secs = u64::try_from((wait + 999) / 1_000).unwrap_or(1);
            return Err(Refusal { retry_after_secs, first });
        }
        self.count(&pair, trusted, now_ms);
        Ok(Attempt { target, address, counted_by_target: !trusted })
    }

    /// Whether the address of `pair` proved its target recently.
    fn trusts(&self, pair: &(TargetKey, String), now_ms: i64) -> bool {
        self.trusted.get(pair).is_some_and(|&at| now_ms - at < TRUST_FOR_MS)
    }

    /// Counts a failure of `pair` at `now_ms`: on its own counter, its address's, and its target's unless the
    /// address is trusted for it.
    fn count(&mut self, pair: &(TargetKey, String), trusted: bool, now_ms: i64) {
        bump(&mut self.pairs, pair.clone(), PAIR, now_ms);
        bump(&mut self.addresses, pair.1.clone(), ADDRESS, now_ms);
        if !trusted {
            bump(&mut self.targets, pair.0, TARGET, now_ms);
        }
    }

    /// `pair` proved its target at `now_ms`: trusted for it from then on.
    fn trust(&mut self, pair: (TargetKey, String), now_ms: i64) {
        if self.trusted.len() >= MAX_TRACKED {
            make_room(&mut self.trusted, |&at| at, now_ms - TRUST_FOR_MS);
        }
        self.trusted.insert(pair, now_ms);
    }

    /// Counts again what the audit log recorded, oldest first: a guess that failed (as [`Throttle::begin`] counted
    /// it) or a login that succeeded (its (target, address) counter cleared, the address trusted).
    fn replay(&mut self, recorded: &[Recorded]) {
        for attempt in recorded {
            let pair = (Target::Login(&attempt.name).key(), address_key(&attempt.client_addr));
            if attempt.succeeded {
                self.pairs.remove(&pair);
                self.trust(pair, attempt.at_ms);
            } else {
                let trusted = self.trusts(&pair, attempt.at_ms);
                self.count(&pair, trusted, attempt.at_ms);
            }
        }
    }

    /// The attempt succeeded: its own count is taken back, its (target, address) counter cleared, and its address
    /// trusted for the target. What other attempts counted stays: a valid account must not launder guesses at
    /// others.
    pub(crate) fn succeeded(&mut self, attempt: Attempt, now_ms: i64) {
        let pair = (attempt.target, attempt.address.clone());
        self.pairs.remove(&pair);
        take_back(&mut self.addresses, &attempt.address, ADDRESS);
        if attempt.counted_by_target {
            take_back(&mut self.targets, &attempt.target, TARGET);
        }
        self.trust(pair, now_ms);
    }
}

fn bump<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Counter>, key: K, schedule: Schedule, now_ms: i64) {
    if map.len() >= MAX_TRACKED {
        make_room(map, |c| c.last_failure_ms, now_ms - FORGET_AFTER_MS);
    }
    let counter = map.entry(key).or_default();
    if now_ms - counter.last_failure_ms >= FORGET_AFTER_MS {
        *counter = Counter::default();
    }
    counter.failures = counter.failures.saturating_add(1);
    counter.last_failure_ms = now_ms;
    counter.next_allowed_ms = now_ms + schedule.delay_ms(counter.failures);
    counter.refusal_noted = false;
}

/// Takes one failure back from a counter (an attempt counted in advance that succeeded).
fn take_back<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Counter>, key: &K, schedule: Schedule) {
    let Some(counter) = map.get_mut(key) else { return };
    counter.failures = counter.failures.saturating_sub(1);
    if counter.failures == 0 {
        map.remove(key);
    } else {
        counter.next_allowed_ms = counter.last_failure_ms + schedule.delay_ms(counter.failures);
    }
}

/// Drops the entries older than `cutoff`; if that is not enough (an attack from very many names or addresses),
/// the oldest half, rather than grow without bound.
fn make_room<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, time: impl Fn(&V) -> i64, cutoff: i64) {
    map.retain(|_, v| time(v) >= cutoff);
    if map.len() >= MAX_TRACKED {
        let mut ages: Vec<i64> = map.values().map(&time).collect();
        ages.sort_unstable();
        let median = ages.get(ages.len() / 2).copied().unwrap_or(i64::MAX);
        map.retain(|_, v| time(v) > median);
    }
}

/// The client's IP address without its port (each connection has another port), an IPv6 address as its /64 (one
/// host usually holds a whole /64), an IPv4-mapped one as IPv4; the whole text if it does not parse. What the
/// back-off counts per address, and what the daemon limits connections per.
pub fn address_key(client_addr: &str) -> String {
    let ip = match client_addr.parse::<SocketAddr>() {
        Ok(addr) => addr.ip(),
        Err(_) => match client_addr.parse::<IpAddr>() {
            Ok(ip) => ip,
            Err(_) => return client_addr.to_string(),
        },
    };
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// A login or passphrase check the audit log recorded: whose, from where, when, and whether it succeeded.
#[derive(Debug)]
struct Recorded {
    name: String,
    client_addr: String,
    at_ms: i64,
    succeeded: bool,
}

impl Recorded {
    /// The attempt `event` records, if it is one the back-off counted: a login or a passphrase change, failed
    /// (but not refused by the back-off itself, which counted nothing) or succeeded.
    fn of(event: AuditEvent) -> Option<Self> {
        if !matches!(event.action.as_str(), "login" | "passwd") {
            return None;
        }
        let succeeded = match event.outcome {
            Outcome::Success => true,
            Outcome::Failure if !event.reason.starts_with(BACKING_OFF) => false,
            _ => return None,
        };
        Some(Self { name: event.target, client_addr: event.client_addr, at_ms: event.time_ms, succeeded })
    }
}

/// How the audit event of a refusal by the back-off starts its reason.
const BACKING_OFF: &str = "backing off for";

impl Inner {
    /// Once per process, at its first unseal: counts again the login and passphrase-change attempts of the last
    /// [`FORGET_AFTER_MS`] among the audit log's last [`RESTORE_EVENTS`] events, so that a restart or a take-over
    /// does not give a guesser a fresh budget. A log that cannot be read for it is said in the daemon's log; the
    /// unseal goes on (the counters then start from zero, as they did before).
    pub(crate) async fn restore_back_off(&self, keys: Arc<AuditKeys>) {
        if std::mem::replace(&mut self.throttle.lock().unwrap_or_else(|p| p.into_inner()).restored, true) {
            return;
        }
        let dir = self.audit.dir().to_path_buf();
        let to = self.audit.written();
        let since = self.now_ms().saturating_sub(FORGET_AFTER_MS);
        let read = tokio::task::spawn_blocking(move || -> Result<Vec<Recorded>> {
            let mut recorded = Vec::new();
            for chained in crate::audit::read::Events::new(&dir, keys, to.saturating_sub(RESTORE_EVENTS) + 1, to)? {
                let event = chained?.event;
                if event.time_ms >= since {
                    recorded.extend(Recorded::of(event));
                }
            }
            Ok(recorded)
        })
        .await;
        match read {
            Ok(Ok(recorded)) => {
                self.throttle.lock().unwrap_or_else(|p| p.into_inner()).replay(&recorded);
                tracing::info!(attempts = recorded.len(), "login back-off restored from the audit log");
            }
            Ok(Err(err)) => tracing::error!(error = %err, "cannot read the audit log to restore the login back-off"),
            Err(err) => tracing::error!(error = %err, "cannot read the audit log to restore the login back-off"),
        }
    }

    /// Takes a guessing attempt at `target` under the back-off (see the module's documentation), or refuses it
    /// before any Argon2 work: RESOURCE_EXHAUSTED, saying when to retry, audited once per wait as a failed
    /// `action` by `actor`.
    pub(crate) fn begin_attempt(
        &self,
        ctx: &RequestContext,
        target: Target<'_>,
        action: &'static str,
        actor: &str,
    ) -> Result<Attempt> {
        let now = self.now_ms();
        let begun = self.throttle.lock().unwrap_or_else(|p| p.into_inner()).begin(target, &ctx.client_addr, now);
        begun.map_err(|refusal| {
            if refusal.first {
                let mut event = self.event(ctx, actor, action, actor, Outcome::Failure);
                event.reason = format!("{BACKING_OFF} {} s after repeated failures", refusal.retry_after_secs);
                self.audit.append_detached(event, now);
            }
            Error::Throttled { retry_after_secs: refusal.retry_after_secs }
        })
    }

    /// The attempt succeeded (see [`Throttle::succeeded`]).
    pub(crate) fn attempt_succeeded(&self, attempt: Attempt) {
        let now = self.now_ms();
        self.throttle.lock().unwrap_or_else(|p| p.into_inner()).succeeded(attempt, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: Target<'static> = Target::Login("Alice");

    #[test]
    fn the_delays_are_free_then_double_to_their_cap() {
        let delays: Vec<i64> = (1..=8).map(|n| PAIR.delay_ms(n)).collect();
        assert_eq!(delays, [0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000]);
        assert_eq!(PAIR.delay_ms(13), 512_000);
        assert_eq!(PAIR.delay_ms(14), PAIR.max_ms);
        assert_eq!(PAIR.delay_ms(u32::MAX), PAIR.max_ms);
        assert_eq!(TARGET.delay_ms(u32::MAX), 30_000, "the target's ceiling is a rate, never a lock");
    }

    #[test]
    fn simultaneous_attempts_are_counted_as_they_begin() {
        let mut t = Throttle::default();
        let begun = (0..20).filter(|_| t.begin(ALICE, "10.0.0.1:1000", 0).is_ok()).count();
        assert_eq!(begun, 4, "as many as one after the other");
    }

    #[test]
    fn an_account_backs_off_per_address_whatever_the_case_and_a_success_clears_it() {
        let mut t = Throttle::default();
        for i in 0..4 {
            t.begin(ALICE, &format!("10.0.0.1:{i}"), 0).expect("free");
        }
        let refused = t.begin(Target::Login(" alice "), "10.0.0.1:9", 500).expect_err("waiting");
        assert_eq!(refused, Refusal { retry_after_secs: 1, first: true });
        assert!(!t.begin(ALICE, "10.0.0.1:9", 600).expect_err("still waiting").first, "audited once per wait");
        t.begin(ALICE, "10.0.0.2:9", 600).expect("another address is not slowed by it");
        let attempt = t.begin(ALICE, "10.0.0.1:9", 1_000).expect("the wait is over");
        t.succeeded(attempt, 1_000);
        t.begin(ALICE, "10.0.0.1:9", 1_000).expect("the success cleared the pair");
    }

    #[test]
    fn an_address_backs_off_across_names_and_keeps_its_counter_after_a_success() {
        let mut t = Throttle::default();
        for i in 0..11 {
            t.begin(Target::Login(&format!("name{i}")), "192.0.2.7:4000", 0).expect("free");
        }
        assert!(t.begin(Target::Login("e"), "192.0.2.7:4001", 10).is_err(), "another port of the same address");
        let other = t.begin(Target::Login("e"), "192.0.2.8:4001", 10).expect("another address");
        t.succeeded(other, 10);
        assert!(t.begin(Target::Login("f"), "192.0.2.7:4002", 10).is_err());
    }

    #[test]
    fn many_addresses_share_a_slow_rate_but_a_trusted_one_is_never_slowed_by_them() {
        let mut t = Throttle::default();
        let proof = t.begin(ALICE, "10.1.0.1:1", 0).expect("first login");
        t.succeeded(proof, 0);
        let mut now = 1_000;
        for i in 0..11 {
            t.begin(ALICE, &format!("10.2.0.{i}:1"), now).expect("free for the target");
        }
        let refused = t.begin(ALICE, "10.3.0.1:1", now).expect_err("the ceiling");
        assert!(refused.retry_after_secs <= 30);
        t.begin(ALICE, "10.1.0.1:2", now).expect("the trusted address");
        // An hour of guesses from ever new addresses, each as soon as allowed: at most one per 30 s.
        let mut evaluated = 0;
        for i in 0..3_600 {
            if t.begin(ALICE, &format!("10.4.{}.{}:1", i / 250, i % 250), now).is_ok() {
                evaluated += 1;
            }
            now += 1_000;
        }
        // 1, 2, 4, 8 and 16 s, then 30 s: about 125.
        assert!(evaluated <= 130, "{evaluated} guesses in an hour");
        t.begin(ALICE, "10.1.0.1:3", now).expect("the trusted address, still");
        t.begin(ALICE, "10.5.0.1:1", now + 30_000).expect("a new address waits at most 30 s");
    }

    #[test]
    fn unseal_is_its_own_target() {
        let mut t = Throttle::default();
        for _ in 0..4 {
            t.begin(Target::Unseal, "10.0.0.1:1", 0).expect("free");
        }
        assert!(t.begin(Target::Unseal, "10.0.0.1:1", 0).is_err());
        t.begin(ALICE, "10.0.0.1:1", 0).expect("the address is not waiting yet");
    }

    #[test]
    fn addresses_are_keyed_without_their_port_and_ipv6_by_its_64() {
        assert_eq!(address_key("127.0.0.1:4000"), "127.0.0.1");
        assert_eq!(address_key("[2001:db8:1:2:3:4:5:6]:443"), address_key("[2001:db8:1:2:ffff::1]:80"));
        assert_ne!(address_key("[2001:db8:1:2::1]:443"), address_key("[2001:db8:1:3::1]:443"));
        assert_eq!(address_key("[::ffff:10.0.0.1]:1"), "10.0.0.1");
        assert_eq!(address_key("unix"), "unix");
    }

    #[test]
    fn old_failures_are_forgotten() {
        let mut t = Throttle::default();
        for _ in 0..4 {
            t.begin(ALICE, "x", 0).expect("free");
        }
        t.begin(ALICE, "x", FORGET_AFTER_MS).expect("forgotten");
        t.begin(ALICE, "x", FORGET_AFTER_MS).expect("one fresh failure is free");
    }

    /// A restart and a standby's take-over start with no counters in memory: the first unseal counts again what the
    /// audit log recorded (failures, not the back-off's own refusals; a success clears its pair), so a guesser who
    /// was waiting still waits, and exactly as long. A later unseal in the same process counts nothing twice.
    #[tokio::test]
    async fn a_restart_or_a_take_over_keeps_the_back_off_the_audit_log_recorded() {
        use std::time::Duration;

        use coffre_crypto::secret::Passphrase;

        use crate::tests::{PASS, Setup, ctx};

        let guesser = RequestContext { token: None, client_addr: "203.0.113.9:4000".into(), client_agent: "t".into() };
        let wrong = || Passphrase::new(b"not the passphrase at all".to_vec()).expect("passphrase");
        let waits = |result: Result<crate::LoginOutcome>| match result {
            Err(Error::Throttled { retry_after_secs }) => Some(retry_after_secs),
            Err(Error::WrongCredentials) => None,
            other => panic!("a refusal: {other:?}"),
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let setup = Setup::new(dir.path()).await;
        for _ in 0..4 {
            assert_eq!(waits(setup.vault.login(&guesser, "Alice", wrong(), "000000").await), None);
            setup.clock.advance(Duration::from_secs(60));
        }
        // The fifth failure, just now: the pair waits 2 s (3 free, then 1 s doubling).
        assert_eq!(waits(setup.vault.login(&guesser, "alice ", wrong(), "000000").await), None);
        assert_eq!(waits(setup.vault.login(&guesser, "Alice", wrong(), "000000").await), Some(2));

        let setup = setup.restarted().await;
        assert_eq!(waits(setup.vault.login(&guesser, "Alice", wrong(), "000000").await), Some(2), "after a restart");

        setup.clock.advance(Duration::from_secs(3));
        let alice = setup.login_again().await;
        setup.vault.seal(&alice).await.expect("sealed");
        setup.vault.unseal(&ctx(None), Passphrase::new(PASS.to_vec()).expect("passphrase")).await.expect("unsealed");
        assert_eq!(waits(setup.vault.login(&guesser, "Alice", wrong(), "000000").await), None);
        assert_eq!(
            waits(setup.vault.login(&guesser, "Alice", wrong(), "000000").await),
            Some(4),
            "the sixth failure in all, each counted once: a second unseal in the process replays nothing"
        );

        let setup = setup.taken_over().await;
        assert_eq!(waits(setup.vault.login(&guesser, "Alice", wrong(), "000000").await), Some(4), "after a take-over");

        // An hour on, the failures are forgotten, as they would have been without the restart.
        setup.clock.advance(Duration::from_secs(3_600));
        let setup = setup.restarted().await;
        assert_eq!(waits(setup.vault.login(&guesser, "Alice", wrong(), "000000").await), None);
    }
}
