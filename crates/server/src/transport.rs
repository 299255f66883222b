//! The gRPC transport: rustls (there is no plain-TCP mode, not even for tests), limits on connections, streams,
//! message sizes and time, the fix for tonic's status on undecodable requests, and the standard health and
//! reflection services.

use std::{future::Future, time::Duration};

use tokio::net::TcpListener;
use tokio_stream::{Stream, StreamExt as _};
use tonic::{
    service::Routes,
    transport::{Identity, Server, ServerTlsConfig},
};
use tonic_health::pb::health_server::{Health, HealthServer};
use tower::util::MapResponseLayer;

use crate::{
    idle::{Activity, TrackRequestsLayer},
    incoming::{ConnectionLimits, LimitedConn, LimitedIncoming},
    status::remap_undecodable,
};

/// Largest request message accepted (the API's documented bound on a whole request).
pub(crate) const MAX_DECODING_MESSAGE_SIZE: usize = 64 * 1024;
/// Largest response message sent.
pub(crate) const MAX_ENCODING_MESSAGE_SIZE: usize = 1024 * 1024;

/// Applies the message size limits to a generated service server (they have no common trait to do it through).
macro_rules! limited {
    ($server:expr) => {
        $server
            .max_decoding_message_size($crate::transport::MAX_DECODING_MESSAGE_SIZE)
            .max_encoding_message_size($crate::transport::MAX_ENCODING_MESSAGE_SIZE)
    };
}
pub(crate) use limited;

/// How much the transport lets clients use.
#[derive(Clone, Debug)]
pub(crate) struct Limits {
    /// Connections at once; further clients wait in the kernel's backlog.
    pub(crate) max_connections: usize,
    /// Connections at once from one address (an IPv6 /64); one more from it is closed at once.
    pub(crate) max_connections_per_address: usize,
    /// A connection that has made no request this long after being accepted (TLS handshake, HTTP/2 preface and
    /// first request together) is closed.
    pub(crate) first_request_timeout: Duration,
    /// A connection without a request in progress this long is closed (HTTP/2 pings do not count).
    pub(crate) idle_timeout: Duration,
    /// Requests in progress at once on one connection; further ones wait.
    pub(crate) concurrency_per_connection: usize,
    /// HTTP/2 streams one connection may open at once.
    pub(crate) max_concurrent_streams: u32,
    /// Size of all request headers (metadata) together.
    pub(crate) max_header_list_size: u32,
    /// A request that has not been answered by then fails with CANCELLED.
    pub(crate) request_timeout: Duration,
    /// A client that has not finished its TLS handshake by then is dropped.
    pub(crate) tls_handshake_timeout: Duration,
    /// HTTP/2 pings on idle connections, and how long to wait for the answer before closing.
    pub(crate) keepalive_interval: Duration,
    pub(crate) keepalive_timeout: Duration,
    /// After shutdown begins, requests in flight get this long to finish; then the remaining connections close.
    pub(crate) shutdown_grace: Duration,
}

/// How long a request may take before the transport answers it itself (gRPC's CANCELLED); the web client answers
/// its pages sooner, with a page (`web::security::time_limit`).
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

impl Limits {
    /// The transport's limits; what the configuration sets comes from `connections`, the rest is fixed here.
    pub(crate) fn new(connections: &crate::config::Connections) -> Self {
        Self {
            max_connections: connections.max,
            max_connections_per_address: connections.max_per_address,
            first_request_timeout: connections.first_request_timeout,
            idle_timeout: connections.idle_timeout,
            concurrency_per_connection: 64,
            max_concurrent_streams: 128,
            // Above h2's 16 KiB default, so that an oversized `authorization` (20 KiB, say) reaches the service
            // and gets a gRPC status (INVALID_ARGUMENT, `context.rs`) instead of h2's bare HTTP 431; a header list
            // above this still gets the 431, as h2 answers before any service runs.
            max_header_list_size: 32 * 1024,
            request_timeout: REQUEST_TIMEOUT,
            tls_handshake_timeout: connections.tls_handshake_timeout,
            keepalive_interval: Duration::from_secs(60),
            keepalive_timeout: Duration::from_secs(20),
            shutdown_grace: Duration::from_secs(35),
        }
    }

    fn connections(&self) -> ConnectionLimits {
        ConnectionLimits {
            max: self.max_connections,
            max_per_address: self.max_connections_per_address,
            first_request_timeout: self.first_request_timeout,
            idle_timeout: self.idle_timeout,
        }
    }
}

/// Why the standard services could not be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the reflection service")]
pub(crate) struct ReflectionError(#[from] tonic_reflection::server::Error);

/// Adds the gRPC health service and server reflection (v1 and v1alpha) for the coffre API and health itself, so
/// that any gRPC client (grpcurl, grpc-health-probe) works against the daemon.
pub(crate) fn with_standard_services<H: Health>(
    routes: Routes,
    health: HealthServer<H>,
) -> Result<Routes, ReflectionError> {
    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(coffre_proto::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    Ok(routes
        .add_service(limited!(health))
        .add_service(limited!(reflection().build_v1()?))
        .add_service(limited!(reflection().build_v1alpha()?)))
}

/// Connections relayed by standbys (`[relay]`): where they come in, and from which addresses only.
pub(crate) struct RelayPort {
    pub(crate) listener: TcpListener,
    pub(crate) from: Vec<std::net::IpAddr>,
}

/// Serves `routes` over TLS on `listener` (and on `relay`'s, for the connections standbys relay) until `shutdown`
/// completes, then lets requests in flight finish (for at most [`Limits::shutdown_grace`]).
pub(crate) async fn serve(
    listener: TcpListener,
    relay: Option<RelayPort>,
    identity: Identity,
    limits: Limits,
    routes: Routes,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), tonic::transport::Error> {
    // tonic builds its rustls configurations with the process-wide default provider; make it ring, as the
    // workspace's features say. An error only means a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();

    let tls = ServerTlsConfig::new().identity(identity).timeout(limits.tls_handshake_timeout);
    let activity = std::sync::Arc::new(Activity::default());
    let router = Server::builder()
        .tls_config(tls)?
        .timeout(limits.request_timeout)
        .concurrency_limit_per_connection(limits.concurrency_per_connection)
        .max_concurrent_streams(limits.max_concurrent_streams)
        .http2_max_header_list_size(limits.max_header_list_size)
        .http2_keepalive_interval(Some(limits.keepalive_interval))
        .http2_keepalive_timeout(Some(limits.keepalive_timeout))
        // A span per call naming the method, so that log lines say which call they belong to. Never the body.
        .trace_fn(|request| tracing::info_span!("rpc", method = %request.uri().path()))
        .layer(MapResponseLayer::new(remap_undecodable))
        .layer(TrackRequestsLayer(activity.clone()))
        .add_routes(routes);

    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let signal = async move {
        shutdown.await;
        let _ = stopping.send(());
    };
    let incoming = LimitedIncoming::new(listener, limits.connections(), activity);
    let incoming: std::pin::Pin<Box<dyn Stream<Item = std::io::Result<LimitedConn>> + Send>> = match relay {
        None => Box::pin(incoming),
        Some(RelayPort { listener, from }) => {
            let relayed = incoming.relayed(listener, &from);
            Box::pin(incoming.merge(relayed))
        }
    };
    let serving = router.serve_with_incoming_shutdown(incoming, signal);
    let grace = async move {
        match stopped.await {
            Ok(()) => tokio::time::sleep(limits.shutdown_grace).await,
            // The signal future was dropped without firing: serving has ended and won this race already.
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        result = serving => result,
        () = grace => {
            tracing::warn!(grace = ?limits.shutdown_grace, "connections still open after the shutdown grace; closing them");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests;
