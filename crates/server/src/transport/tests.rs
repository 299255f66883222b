//! The transport against real clients on loopback: TLS with the daemon's own CA, health, reflection, the status of
//! undecodable and oversized requests, and the refusal of plain TCP. These need no engine: the server carries only
//! the standard services.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use tokio::{net::TcpStream, sync::oneshot, task::JoinHandle};
use tokio_rustls::{
    TlsConnector,
    rustls::{ClientConfig, RootCertStore, pki_types::ServerName},
};
use tonic::{Code, Request, codegen::http::uri::PathAndQuery, service::Routes, transport::Endpoint};
use tonic_health::pb::{
    HealthCheckRequest, HealthCheckResponse, health_check_response::ServingStatus, health_client::HealthClient,
};
use tonic_reflection::pb::v1::{
    ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
    server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
};

use rustls_pki_types::pem::PemObject as _;

use super::*;
use crate::{
    config::{Connections, TlsSettings},
    test_support::{connect_from, tls_channel},
    tls,
};

struct TestServer {
    addr: SocketAddr,
    ca_pem: Vec<u8>,
    ca_fingerprint: String,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<(), tonic::transport::Error>>,
    _data: tempfile::TempDir,
}

impl TestServer {
    async fn start() -> Self {
        Self::start_with(Connections { max: 8, ..Connections::default() }).await
    }

    async fn start_with(connections: Connections) -> Self {
        let data = tempfile::tempdir().expect("tempdir");
        let material = tls::load_or_create(data.path(), &TlsSettings::default()).expect("TLS files");
        let ca_pem = std::fs::read(material.ca_path()).expect("ca.pem");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let (_reporter, health) = tonic_health::server::health_reporter();
        let routes = with_standard_services(Routes::default(), health).expect("standard services");
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async move {
            let _ = stopped.await;
        };
        let task = tokio::spawn(serve(
            listener,
            None,
            material.identity().clone(),
            Limits::new(&connections),
            routes,
            shutdown,
        ));
        Self { addr, ca_pem, ca_fingerprint: material.ca_fingerprint().to_owned(), stop: Some(stop), task, _data: data }
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.await.expect("server task").expect("clean shutdown");
    }
}

/// A raw TLS client (no HTTP/2) that trusts `roots`.
fn tls_connector(roots: RootCertStore) -> TlsConnector {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

fn localhost() -> ServerName<'static> {
    ServerName::try_from("localhost").expect("a name")
}

fn roots(ca_pem: &[u8]) -> RootCertStore {
    let mut roots = RootCertStore::empty();
    for cert in rustls_pki_types::CertificateDer::pem_slice_iter(ca_pem) {
        roots.add(cert.expect("a certificate")).expect("a usable root");
    }
    roots
}

/// Reads (and drops) what the server sends until it closes the connection; whether it did within a generous
/// minute. No timing is asserted: the bound only keeps a broken server from hanging the test.
async fn closed_by_server(stream: &mut (impl tokio::io::AsyncRead + Unpin)) -> bool {
    let until_closed = async {
        let mut buf = [0_u8; 1024];
        loop {
            match tokio::io::AsyncReadExt::read(stream, &mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), until_closed).await.is_ok()
}

#[tokio::test]
async fn health_answers_serving_over_tls_pinned_to_the_generated_ca() {
    let server = TestServer::start().await;
    let mut health = HealthClient::new(tls_channel(server.addr, &server.ca_pem).await);
    let response = health.check(HealthCheckRequest { service: String::new() }).await.expect("health check");
    assert_eq!(response.into_inner().status(), ServingStatus::Serving);
    server.stop().await;
}

#[tokio::test]
async fn the_server_presents_its_certificate_and_the_ca() {
    let server = TestServer::start().await;
    let roots = roots(&server.ca_pem);
    let tcp = TcpStream::connect(server.addr).await.expect("connect");
    let tls = tls_connector(roots).connect(localhost(), tcp).await.expect("handshake");
    let chain = tls.get_ref().1.peer_certificates().expect("certificates").to_vec();
    assert_eq!(chain.len(), 2, "[server certificate, CA certificate]");
    assert_eq!(tls::fingerprint_der(&chain[1]), server.ca_fingerprint);
    assert_ne!(tls::fingerprint_der(&chain[0]), server.ca_fingerprint);
    drop(tls);
    server.stop().await;
}

#[tokio::test]
async fn a_plain_tcp_client_cannot_talk_to_the_server() {
    let server = TestServer::start().await;
    let attempt = async {
        let channel = Endpoint::from_shared(format!("http://{}", server.addr))
            .map_err(|e| e.to_string())?
            .connect()
            .await
            .map_err(|e| e.to_string())?;
        HealthClient::new(channel).check(HealthCheckRequest::default()).await.map_err(|e| e.to_string())
    };
    assert!(attempt.await.is_err(), "plain TCP must not be served");
    // The server is unharmed.
    let mut health = HealthClient::new(tls_channel(server.addr, &server.ca_pem).await);
    health.check(HealthCheckRequest::default()).await.expect("still serving over TLS");
    server.stop().await;
}

/// `HealthCheckRequest` as it looks on the wire, but with bytes where the API has a string, so that a test can
/// send what a well-behaved client never would.
#[derive(Clone, PartialEq, prost::Message)]
struct RawHealthCheckRequest {
    #[prost(bytes = "vec", tag = "1")]
    service: Vec<u8>,
}

#[tokio::test]
async fn invalid_utf8_in_a_string_field_is_invalid_argument() {
    let server = TestServer::start().await;
    let mut grpc = tonic::client::Grpc::new(tls_channel(server.addr, &server.ca_pem).await);
    grpc.ready().await.expect("ready");
    let codec = tonic_prost::ProstCodec::<RawHealthCheckRequest, HealthCheckResponse>::default();
    let request = Request::new(RawHealthCheckRequest { service: vec![b'a', 0xff, 0xfe] });
    let path = PathAndQuery::from_static("/grpc.health.v1.Health/Check");
    let status = grpc.unary(request, path, codec).await.expect_err("undecodable");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert_eq!(
        status.message(),
        "invalid request: HealthCheckRequest.service: invalid string value: data is not UTF-8 encoded"
    );
    server.stop().await;
}

#[tokio::test]
async fn an_oversized_request_is_resource_exhausted_and_the_server_stays_up() {
    let server = TestServer::start().await;
    let mut health = HealthClient::new(tls_channel(server.addr, &server.ca_pem).await);
    let huge = HealthCheckRequest { service: "x".repeat(MAX_DECODING_MESSAGE_SIZE + 1) };
    let status = health.check(huge).await.expect_err("too large");
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert!(status.message().starts_with("request too large"), "{}", status.message());
    health.check(HealthCheckRequest::default()).await.expect("the next call works");
    server.stop().await;
}

#[tokio::test]
async fn a_20_kib_authorization_header_reaches_the_service_instead_of_an_http_431() {
    let server = TestServer::start().await;
    let mut health = HealthClient::new(tls_channel(server.addr, &server.ca_pem).await);
    let mut request = Request::new(HealthCheckRequest::default());
    let value = format!("Bearer {}", "a".repeat(20 * 1024));
    request.metadata_mut().insert("authorization", value.parse().expect("ASCII"));
    // The health service ignores the header; coffre's services refuse it with INVALID_ARGUMENT (`context.rs`).
    // Before, h2 answered HTTP 431, which a gRPC client sees as a transport failure.
    let answer = health.check(request).await.expect("a gRPC answer, not an HTTP 431");
    assert_eq!(answer.into_inner().status(), ServingStatus::Serving);
    server.stop().await;
}

#[tokio::test]
async fn reflection_lists_the_coffre_services() {
    let server = TestServer::start().await;
    let mut reflection = ServerReflectionClient::new(tls_channel(server.addr, &server.ca_pem).await);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut responses =
        reflection.server_reflection_info(tokio_stream::once(request)).await.expect("reflection").into_inner();
    let response = responses.message().await.expect("a response").expect("not the end");
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else {
        panic!("expected a service list, got {response:?}");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for expected in
        ["coffre.v1.SystemService", "coffre.v1.AuthService", "coffre.v1.EntryService", "grpc.health.v1.Health"]
    {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
    drop(responses);
    server.stop().await;
}

#[tokio::test]
async fn a_connection_that_never_sends_the_http2_preface_is_closed_after_the_first_request_timeout() {
    let connections =
        Connections { max: 8, first_request_timeout: Duration::from_millis(300), ..Connections::default() };
    let server = TestServer::start_with(connections).await;
    let tcp = TcpStream::connect(server.addr).await.expect("connect");
    let mut tls = tls_connector(roots(&server.ca_pem)).connect(localhost(), tcp).await.expect("handshake");
    assert!(closed_by_server(&mut tls).await, "a TLS connection without the HTTP/2 preface stays open");
    let mut tcp = TcpStream::connect(server.addr).await.expect("connect");
    assert!(closed_by_server(&mut tcp).await, "a TCP connection without a TLS handshake stays open");
    let mut health = HealthClient::new(tls_channel(server.addr, &server.ca_pem).await);
    health.check(HealthCheckRequest::default()).await.expect("a real client is served");
    server.stop().await;
}

#[tokio::test]
async fn a_fresh_client_is_served_while_one_address_holds_hundreds_of_idle_tls_connections() {
    const ATTEMPTS: usize = 300;
    let server = TestServer::start_with(Connections { max: 128, max_per_address: 16, ..Connections::default() }).await;
    let connector = tls_connector(roots(&server.ca_pem));
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..ATTEMPTS {
        let (connector, addr) = (connector.clone(), server.addr);
        attempts.spawn(async move {
            let tcp = connect_from("127.0.0.2", addr).await.ok()?;
            let handshake = tokio::time::timeout(Duration::from_secs(20), connector.connect(localhost(), tcp));
            handshake.await.ok()?.ok()
        });
    }
    let mut held = Vec::new();
    while let Some(attempt) = attempts.join_next().await {
        held.extend(attempt.expect("the attempt ran"));
    }
    assert!(held.len() <= 16, "{} idle connections held from one address", held.len());

    let fresh = async {
        let mut health = HealthClient::new(tls_channel(server.addr, &server.ca_pem).await);
        health.check(HealthCheckRequest::default()).await.map(|_| ())
    };
    let served = tokio::time::timeout(Duration::from_secs(30), fresh).await;
    assert!(matches!(served, Ok(Ok(()))), "a fresh client from another address is not served");
    drop(held);
    server.stop().await;
}
