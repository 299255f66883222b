//! Guessing logins and unseals: simultaneous guesses get no more evaluations than sequential ones, a stranger
//! cannot lock the owners out, and an unsealed vault is no passphrase oracle. Time is the fixture's clock.

mod support;

use std::time::Duration;

use coffre_vault::{Error, ErrorKind, RequestContext, SealState, Vault};
use support::*;

const WRONG: &[u8] = b"a wrong guess at it";

fn from(addr: &str) -> RequestContext {
    RequestContext { client_addr: addr.into(), ..anonymous() }
}

/// Alice's login from `addr` with her passphrase and the code her app shows now.
async fn president_from(fx: &Fixture, vault: &Vault, addr: &str) -> Result<(), Error> {
    vault.login(&from(addr), "Alice", passphrase(PRESIDENT_PASS), &fx.code_now("Alice")).await.map(|_| ())
}

/// `n` guesses at once from `addresses(i)`; how many were evaluated (answered "wrong") rather than refused.
async fn simultaneous_guesses(vault: &Vault, n: usize, address: impl Fn(usize) -> String) -> usize {
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..n {
        let (vault, ctx) = (vault.clone(), from(&address(i)));
        guesses.spawn(async move { vault.login(&ctx, "Alice", passphrase(WRONG), "000000").await });
    }
    let mut evaluated = 0;
    while let Some(guess) = guesses.join_next().await {
        match guess.expect("the guess ran").expect_err("wrong").kind() {
            ErrorKind::Unauthenticated => evaluated += 1,
            ErrorKind::ResourceExhausted => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    evaluated
}

#[tokio::test]
async fn twenty_simultaneous_guesses_from_one_address_get_no_more_evaluations_than_in_sequence() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let evaluated = simultaneous_guesses(&vault, 20, |i| format!("127.0.0.66:{}", 1000 + i)).await;
    assert_eq!(evaluated, 4, "three free failures and the one that starts the wait, as one after the other");
}

#[tokio::test]
async fn a_stranger_guessing_from_many_addresses_stays_slow_and_cannot_lock_the_president_out() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    fx.clock.advance(Duration::from_secs(30));
    president_from(&fx, &vault, "127.0.0.10:5000").await.expect("the president logs in from home");

    // 16 guesses at once from 16 addresses, then for an hour one guess a second, each from a new address.
    let mut evaluated = simultaneous_guesses(&vault, 16, |i| format!("127.0.2.{i}:1")).await;
    for second in 0..3_600_usize {
        fx.clock.advance(Duration::from_secs(1));
        let ctx = from(&format!("127.0.{}.{}:1", 3 + second / 250, second % 250));
        match vault.login(&ctx, "Alice", passphrase(WRONG), "000000").await.expect_err("wrong").kind() {
            ErrorKind::Unauthenticated => evaluated += 1,
            ErrorKind::ResourceExhausted => {}
            other => panic!("unexpected {other:?}"),
        }
        if second % 600 == 300 {
            president_from(&fx, &vault, "127.0.0.10:5001").await.expect("home is never slowed by strangers");
        }
    }
    // 11 free for the name, then waits of 1, 2, 4, 8 and 16 s, then one guess per 30 s: about 135 in the hour.
    assert!(evaluated <= 140, "{evaluated} guesses evaluated in an hour");

    // From an address she never proved, she shares the name's slow rate: at most 30 s, never a lock.
    let waited = match president_from(&fx, &vault, "127.0.0.77:1").await {
        Ok(()) => 0,
        Err(Error::Throttled { retry_after_secs }) => retry_after_secs,
        Err(other) => panic!("unexpected {other}"),
    };
    assert!(waited <= 30, "a new address waits {waited} s");
    fx.clock.advance(Duration::from_secs(waited));
    president_from(&fx, &vault, "127.0.0.77:2").await.expect("then gets in");
    println!(
        "under attack: {evaluated} guesses evaluated in an hour; the president waits 0 s at home, {waited} s from a new address"
    );
}

#[tokio::test]
async fn one_address_guessing_one_name_backs_off_to_fifteen_minutes() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let mut evaluated = 0;
    for _ in 0..3_600 {
        fx.clock.advance(Duration::from_secs(1));
        match vault.login(&from("127.0.0.66:1"), "Alice", passphrase(WRONG), "0").await.expect_err("wrong").kind() {
            ErrorKind::Unauthenticated => evaluated += 1,
            ErrorKind::ResourceExhausted => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    // 4, then waits of 1 s doubling to 512 s (10 more), then 15 minutes.
    assert!(evaluated <= 17, "{evaluated} guesses evaluated in an hour");
    president_from(&fx, &vault, "127.0.0.10:1").await.expect("another address is not slowed");
}

#[tokio::test]
async fn unseal_guesses_back_off_per_address_and_for_the_slots_without_locking_the_owners_out() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    vault.seal(&alice).await.expect("seal");

    for _ in 0..4 {
        let err = vault.unseal(&from("127.0.0.66:1"), passphrase(WRONG)).await.expect_err("wrong");
        assert_eq!(err.kind(), ErrorKind::Unauthenticated);
    }
    let err = vault.unseal(&from("127.0.0.66:2"), passphrase(PRESIDENT_PASS)).await.expect_err("backing off");
    assert_eq!(err.kind(), ErrorKind::ResourceExhausted, "{err}");
    assert_eq!(vault.status().state, SealState::Sealed);
    assert!(!vault.unseal(&from("127.0.0.10:1"), passphrase(PRESIDENT_PASS)).await.expect("another address"));

    // Sealed again; guesses from many addresses share one slow rate, which the address that unsealed bypasses.
    let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
    vault.seal(&alice).await.expect("seal");
    for i in 0..12 {
        let _ = vault.unseal(&from(&format!("127.0.3.{i}:1")), passphrase(WRONG)).await;
    }
    let err = vault.unseal(&from("127.0.4.1:1"), passphrase(WRONG)).await.expect_err("the slots' ceiling");
    let Error::Throttled { retry_after_secs } = err else { panic!("unexpected {err}") };
    assert!(retry_after_secs <= 30);
    assert!(!vault.unseal(&from("127.0.0.10:2"), passphrase(PRESIDENT_PASS)).await.expect("the proven address"));
}

#[tokio::test]
async fn an_unsealed_vault_is_no_passphrase_oracle() {
    let fx = Fixture::new();
    let vault = fx.open();
    fx.init(&vault, None).await;
    for i in 0..30 {
        let already =
            vault.unseal(&from("127.0.0.66:1"), passphrase(format!("a wrong guess number {i}").as_bytes())).await;
        assert!(already.expect("answered without evaluating"), "already unsealed");
    }
    assert!(vault.unseal(&from("127.0.0.66:1"), passphrase(PRESIDENT_PASS)).await.expect("the same answer"));
}
