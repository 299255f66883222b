//! Login back-off: exponential, per account name and per client address, in memory (DESIGN.md,
//! "Authentication").
//!
//! The first [`FREE_FAILURES`] failures cost nothing more than the Argon2 work itself; every later one doubles the
//! wait, from one second up to [`MAX_DELAY`]. An attempt made while a wait runs is refused before any Argon2 work,
//! so a flood of guesses costs the daemon almost nothing. Accounts are keyed by a hash of the lower-cased name,
//! whether or not such an account exists, so the back-off itself does not tell which names are real. A success
//! clears the account's counter, never the address's: a valid account must not launder guesses at others.
//!
//! Counters live only in memory: a restart forgets them (and comes up sealed, where nobody can log in anyway).

use std::{collections::HashMap, net::SocketAddr};

use sha2::{Digest, Sha256};

/// Failures allowed before the first wait.
pub(crate) const FREE_FAILURES: u32 = 3;
/// The first wait, in milliseconds; it doubles with every further failure.
const FIRST_DELAY_MS: i64 = 1_000;
/// The longest wait: 15 minutes.
pub(crate) const MAX_DELAY_MS: i64 = 15 * 60 * 1_000;
/// A counter whose last failure is older than this starts again from zero.
const FORGET_AFTER_MS: i64 = 60 * 60 * 1_000;
/// Most counters kept per map; beyond it, forgotten ones are dropped first, then the oldest.
const MAX_TRACKED: usize = 100_000;

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

/// The counters, by account and by address.
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    accounts: HashMap<[u8; 32], Counter>,
    addresses: HashMap<String, Counter>,
}

impl Throttle {
    /// Refuses the attempt when the account or the address is waiting.
    pub(crate) fn check(&mut self, name: &str, client_addr: &str, now_ms: i64) -> Result<(), Refusal> {
        let account = self.accounts.get_mut(&account_key(name));
        let wait_account = account.as_ref().map_or(0, |c| c.next_allowed_ms - now_ms);
        let address = self.addresses.get_mut(&address_key(client_addr));
        let wait_address = address.as_ref().map_or(0, |c| c.next_allowed_ms - now_ms);
        let wait = wait_account.max(wait_address);
        if wait <= 0 {
            return Ok(());
        }
        let mut first = false;
        for counter in [account, address].into_iter().flatten() {
            if counter.next_allowed_ms > now_ms && !counter.refusal_noted {
                counter.refusal_noted = true;
                first = true;
            }
        }
        // Rounded up, so that "try again in N s" is never too early.
        let retry_after_secs = u64::try_from((wait + 999) / 1_000).unwrap_or(1);
        Err(Refusal { retry_after_secs, first })
    }

    /// Counts a failed attempt against the account and the address.
    pub(crate) fn failed(&mut self, name: &str, client_addr: &str, now_ms: i64) {
        Self::bump(&mut self.accounts, account_key(name), now_ms);
        Self::bump(&mut self.addresses, address_key(client_addr), now_ms);
    }

    /// Clears the account's counter after a successful login.
    pub(crate) fn succeeded(&mut self, name: &str) {
        self.accounts.remove(&account_key(name));
    }

    fn bump<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Counter>, key: K, now_ms: i64) {
        if map.len() >= MAX_TRACKED {
            map.retain(|_, c| now_ms - c.last_failure_ms < FORGET_AFTER_MS);
            if map.len() >= MAX_TRACKED {
                // Still full of recent counters: an attack from very many names or addresses. Forget the oldest
                // half rather than grow without bound.
                let mut ages: Vec<i64> = map.values().map(|c| c.last_failure_ms).collect();
                ages.sort_unstable();
                let cutoff = ages[ages.len() / 2];
                map.retain(|_, c| c.last_failure_ms > cutoff);
            }
        }
        let counter = map.entry(key).or_default();
        if now_ms - counter.last_failure_ms >= FORGET_AFTER_MS {
            *counter = Counter::default();
        }
        counter.failures = counter.failures.saturating_add(1);
        counter.last_failure_ms = now_ms;
        counter.next_allowed_ms = now_ms + delay_ms(counter.failures);
        counter.refusal_noted = false;
    }
}

/// The wait after `failures` failures: none for the first few, then 1 s doubling to 15 minutes.
pub(crate) fn delay_ms(failures: u32) -> i64 {
    if failures <= FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES - 1).min(20);
    (FIRST_DELAY_MS << doublings).min(MAX_DELAY_MS)
}

/// SHA-256 of the trimmed, lower-cased name: the same key for "Alice" and " alice", known or not.
fn account_key(name: &str) -> [u8; 32] {
    Sha256::digest(name.trim().to_lowercase().as_bytes()).into()
}

/// The client's IP address without its port (each connection has another port); the whole text if it does not
/// parse.
fn address_key(client_addr: &str) -> String {
    client_addr.parse::<SocketAddr>().map(|a| a.ip().to_string()).unwrap_or_else(|_| client_addr.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_is_free_then_doubles_to_a_cap() {
        let delays: Vec<i64> = (1..=8).map(delay_ms).collect();
        assert_eq!(delays, [0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000]);
        assert_eq!(delay_ms(13), 512_000);
        assert_eq!(delay_ms(14), MAX_DELAY_MS);
        assert_eq!(delay_ms(u32::MAX), MAX_DELAY_MS);
    }

    #[test]
    fn an_account_backs_off_whatever_the_case_and_success_clears_it() {
        let mut t = Throttle::default();
        for i in 0..4 {
            assert_eq!(t.check("Alice", "10.0.0.1:1000", 0), Ok(()), "attempt {i}");
            t.failed("Alice", &format!("10.0.0.{i}:1000"), 0);
        }
        let refused = t.check(" alice ", "10.0.0.9:5", 500).expect_err("waiting");
        assert_eq!(refused, Refusal { retry_after_secs: 1, first: true });
        assert!(!t.check("alice", "10.0.0.9:5", 600).expect_err("still waiting").first, "audited once per wait");
        assert_eq!(t.check("alice", "10.0.0.9:5", 1_000), Ok(()));
        t.succeeded("ALICE");
        assert_eq!(t.check("alice", "10.0.0.9:5", 1_000), Ok(()));
    }

    #[test]
    fn an_address_backs_off_across_names_and_keeps_its_counter_after_a_success() {
        let mut t = Throttle::default();
        for name in ["a", "b", "c", "d"] {
            t.failed(name, "192.0.2.7:4000", 0);
        }
        assert!(t.check("e", "192.0.2.7:4001", 10).is_err(), "another port of the same address");
        assert_eq!(t.check("e", "192.0.2.8:4001", 10), Ok(()), "another address");
        t.succeeded("e");
        assert!(t.check("f", "192.0.2.7:4002", 10).is_err());
    }

    #[test]
    fn old_failures_are_forgotten() {
        let mut t = Throttle::default();
        for _ in 0..4 {
            t.failed("alice", "x", 0);
        }
        t.failed("alice", "x", FORGET_AFTER_MS);
        assert_eq!(t.check("alice", "y", FORGET_AFTER_MS), Ok(()), "one fresh failure is free");
    }
}
