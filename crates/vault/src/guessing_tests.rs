//! Guessing under cancellation and concurrency, checked against the engine's own Argon2 gauge: abandoned logins
//! keep their place under the concurrency bound and count for the back-off; an unsealed vault evaluates no
//! unseal passphrase.

use std::{
    future::Future,
    pin::pin,
    sync::Arc,
    task::{Context, Waker},
    time::{Duration, SystemTime},
};

use coffre_crypto::{kdf::KdfParams, secret::Passphrase, totp::TotpSeed};

use crate::{
    ErrorKind, InitParams, RequestContext, Vault, VaultConfig,
    clock::{Clock, ManualClock, unix_seconds},
};

const PASS: &[u8] = b"correct horse battery staple";
/// At most this many Argon2 computations at once in these tests.
const PERMITS: usize = 2;

fn from(addr: &str) -> RequestContext {
    RequestContext { token: None, client_addr: addr.into(), client_agent: "unit".into() }
}

fn pass(bytes: &[u8]) -> Passphrase {
    Passphrase::new(bytes.to_vec()).expect("passphrase")
}

/// An initialised vault whose Argon2 work is slow enough to overlap (32 MiB), bounded to [`PERMITS`] at once; the
/// president's second factor.
async fn vault(dir: &std::path::Path) -> (Vault, TotpSeed, Arc<ManualClock>) {
    let mut config = VaultConfig::new(dir.to_path_buf());
    config.default_kdf = KdfParams { memory_kib: 32 * 1024, iterations: 2, parallelism: 1 };
    config.max_concurrent_kdf = PERMITS;
    let clock = Arc::new(ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)));
    let vault = Vault::open(config, clock.clone()).expect("open");
    let params = InitParams { president: "Alice".into(), passphrase: pass(PASS), leader: None, kdf: None };
    let init = vault.init(&from("127.0.0.1:1"), params).await.expect("init");
    let seed = TotpSeed::from_otpauth_uri(init.president_totp_uri.expose_secret()).expect("the president's factor");
    (vault, seed, clock)
}

/// Polls a request once, as far as it goes without waiting, then drops it: a client that cancels at once.
fn poll_once_then_cancel(request: impl Future) {
    let mut request = pin!(request);
    let _ = request.as_mut().poll(&mut Context::from_waker(Waker::noop()));
}

/// Waits until every Argon2 computation handed to the blocking pool so far has run to its end (whether or not its
/// request is still there), then until every permit is back. It polls the engine's gauge: how long that takes does
/// not change what the tests check.
async fn argon2_idle(vault: &Vault) {
    let load = &vault.inner.kdf_load;
    for _ in 0..60_000 {
        if load.all_ended() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert!(load.all_ended(), "Argon2 work still running after a minute");
    let all = u32::try_from(PERMITS).expect("small");
    drop(vault.inner.kdf_permits.acquire_many(all).await.expect("limiter open"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_logins_keep_their_argon2_permit_until_the_work_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vault, _, _) = vault(dir.path()).await;
    argon2_idle(&vault).await;
    // 40 wrong logins, each for another name from another address (so the back-off lets every one through),
    // cancelled by their clients as soon as they got as far as they could.
    for i in 0..40 {
        poll_once_then_cancel(vault.login(
            &from(&format!("127.0.1.{i}:1")),
            &format!("nobody{i}"),
            pass(b"a wrong guess at it"),
            "0",
        ));
    }
    argon2_idle(&vault).await;
    let load = &vault.inner.kdf_load;
    assert!(load.started() >= 2, "the first logins did start their Argon2 work");
    assert!(load.peak() <= PERMITS, "{} Argon2 computations ran at once, over the bound of {PERMITS}", load.peak());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_logins_count_for_the_back_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vault, seed, clock) = vault(dir.path()).await;
    for _ in 0..4 {
        poll_once_then_cancel(vault.login(&from("127.0.0.9:1"), "Alice", pass(b"a wrong guess"), "000000"));
    }
    argon2_idle(&vault).await;
    let code = seed.code_at(unix_seconds(clock.now()));
    let err = vault.login(&from("127.0.0.9:2"), "Alice", pass(PASS), &code).await.expect_err("backing off");
    assert_eq!(err.kind(), ErrorKind::ResourceExhausted, "{err}");
}

#[tokio::test]
async fn an_unsealed_vault_answers_unseal_without_evaluating_the_passphrase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (vault, _, _) = vault(dir.path()).await;
    argon2_idle(&vault).await;
    let before = vault.inner.kdf_load.started();
    for guess in [&b"a wrong guess"[..], PASS] {
        let already = vault.unseal(&from("127.0.0.2:1"), pass(guess)).await.expect("answered");
        assert!(already, "already unsealed, whatever the passphrase");
    }
    assert_eq!(vault.inner.kdf_load.started(), before, "no passphrase was evaluated");
}
