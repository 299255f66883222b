//! `coffred`, the coffre daemon: the gRPC services of the `coffre.v1` API over rustls, in front of the engine
//! ([`coffre_vault`]).
//!
//! This crate is the engine's thin edge. It turns requests into engine calls and engine errors into status codes
//! (in one place, `status.rs`), and holds no business rule: names, lengths, roles and grants are the engine's
//! to judge. Around that it owns what is about being a daemon:
//!
//! - [`config`]: the configuration file, environment and flags ([`cli`]), merged flags > environment > file >
//!   defaults;
//! - [`tls`]: TLS always, with the daemon's own CA created on first start unless a certificate is configured;
//! - the transport: connection, stream, size and time limits; standard gRPC health and reflection;
//! - [`hardening`]: no core dumps;
//! - the web client: HTML pages on the same port, for people who never open a terminal (`web`).
//!
//! [`run`] serves an already-bound listener until a shutdown future completes, so tests bind `127.0.0.1:0` and
//! never sleep:
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use coffre_server::ServerConfig;
//!
//! let config = ServerConfig::new("/var/lib/coffre".into());
//! let listener = tokio::net::TcpListener::bind(config.listen).await?;
//! coffre_server::run(listener, config, async {
//!     let _ = tokio::signal::ctrl_c().await;
//! })
//! .await
//! # }
//! ```

#![deny(missing_docs)]

mod access;
#[cfg(test)]
mod api_tests;
mod audit;
mod auth;
mod backup;
pub mod cli;
pub mod config;
mod context;
mod convert;
mod daemon;
mod entries;
pub mod hardening;
mod idle;
mod incoming;
pub mod rebuild;
mod recovery;
mod refusals;
mod registry;
pub mod relay;
pub mod restore;
mod rotation;
pub mod standby;
pub mod startup;
mod status;
mod system;
pub mod test_clock;
#[cfg(test)]
mod test_support;
pub mod tls;
mod transport;
mod web;

use std::future::Future;

pub use config::ServerConfig;
pub use daemon::{Daemon, StandbyWait};
use tokio::net::TcpListener;

/// Opens the daemon described by `config` (data directory, TLS identity, vault) and serves it on `listener` (and,
/// with `[relay]`, on its relay address) until `shutdown` completes; requests in flight then finish before this
/// returns.
pub async fn run(
    listener: TcpListener,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let relay = bind_relay(&config).await?;
    let daemon = tokio::task::spawn_blocking(move || Daemon::open(config)).await??;
    daemon.serve(listener, relay, shutdown).await
}

/// The listener of `[relay] listen`, where a serving coffred takes its standbys' relayed connections; `None`
/// without `[relay]`.
pub async fn bind_relay(config: &ServerConfig) -> anyhow::Result<Option<TcpListener>> {
    use anyhow::Context as _;
    let Some(relay) = &config.relay else { return Ok(None) };
    let listener = TcpListener::bind(relay.listen).await.with_context(|| {
        let address = relay.listen.to_string();
        coffre_i18n::t_in!(crate::startup::language(), "coffred-cannot-listen-relay", address = address)
    })?;
    Ok(Some(listener))
}
