//! The transport against real clients on loopback: TLS with the daemon's own CA, health, reflection, the status of
//! undecodable and oversized requests, and the refusal of plain TCP. These need no engine: the server carries only
//! the standard services.

use std::{net::SocketAddr, sync::Arc};

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
use crate::{config::TlsSettings, test_support::tls_channel, tls};

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
        let task = tokio::spawn(serve(listener, material.identity().clone(), Limits::new(8), routes, shutdown));
        Self { addr, ca_pem, ca_fingerprint: material.ca_fingerprint().to_owned(), stop: Some(stop), task, _data: data }
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.await.expect("server task").expect("clean shutdown");
    }
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
    let mut roots = RootCertStore::empty();
    for cert in rustls_pki_types::CertificateDer::pem_slice_iter(&server.ca_pem) {
        roots.add(cert.expect("a certificate")).expect("a usable root");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = TcpStream::connect(server.addr).await.expect("connect");
    let name = ServerName::try_from("localhost").expect("a name");
    let tls = TlsConnector::from(Arc::new(config)).connect(name, tcp).await.expect("handshake");
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
