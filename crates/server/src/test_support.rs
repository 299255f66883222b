//! Helpers for the tests that talk to a real server over TLS on loopback.

use std::net::SocketAddr;

use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};

/// A client channel that trusts only `ca_pem` and checks the server's name against "localhost".
pub(crate) async fn tls_channel(addr: SocketAddr, ca_pem: &[u8]) -> Channel {
    let tls = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(ca_pem)).domain_name("localhost");
    Endpoint::from_shared(format!("https://{addr}"))
        .expect("a valid URI")
        .user_agent("coffre-test/1")
        .expect("a valid user agent")
        .tls_config(tls)
        .expect("a valid TLS configuration")
        .connect()
        .await
        .expect("a TLS connection")
}

/// A TCP connection to `addr` from the loopback address `ip` (any of 127.0.0.0/8).
pub(crate) async fn connect_from(ip: &str, addr: SocketAddr) -> std::io::Result<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(ip.parse().expect("a loopback address"), 0))?;
    socket.connect(addr).await
}
