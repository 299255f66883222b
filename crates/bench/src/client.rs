//! Connections to the daemon: one TLS connection (HTTP/2) per simulated client, trusting only the daemon's CA, as
//! the real `coffre` does.

use std::{net::IpAddr, time::Duration};

use anyhow::{Context, Result};
use coffre_proto::v1::{
    access_service_client::AccessServiceClient, auth_service_client::AuthServiceClient,
    entry_service_client::EntryServiceClient, system_service_client::SystemServiceClient,
};
use secrecy::{ExposeSecret, SecretString};
use tonic::{
    Request,
    metadata::MetadataValue,
    transport::{Certificate, Channel, ClientTlsConfig, Endpoint},
};

/// Where the daemon is and which CA to trust.
#[derive(Clone)]
pub(crate) struct Target {
    pub(crate) url: String,
    pub(crate) ca_pem: Vec<u8>,
}

/// Opens one TLS connection to the daemon from `local` (a loopback address other than 127.0.0.1, to play a client
/// on another machine), or from the system's choice.
pub(crate) async fn connect_from(target: &Target, local: Option<IpAddr>) -> Result<Channel> {
    let endpoint = Endpoint::from_shared(target.url.clone())
        .context("invalid daemon address")?
        .local_address(local)
        .user_agent(concat!("coffre-bench/", env!("CARGO_PKG_VERSION")))?
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(120))
        .tcp_nodelay(true)
        .tls_config(
            ClientTlsConfig::new().domain_name("localhost").ca_certificate(Certificate::from_pem(&target.ca_pem)),
        )
        .context("cannot set up TLS with the daemon's CA")?;
    endpoint.connect().await.with_context(|| format!("cannot connect to {}", target.url))
}

/// A session token, sent as `authorization: Bearer ...`.
#[derive(Clone)]
pub(crate) struct Token(MetadataValue<tonic::metadata::Ascii>);

impl Token {
    pub(crate) fn new(token: &SecretString) -> Result<Token> {
        let value = format!("Bearer {}", token.expose_secret());
        let mut value = MetadataValue::try_from(value).context("the daemon returned an unusable session token")?;
        value.set_sensitive(true);
        Ok(Token(value))
    }

    /// `message` with this session attached.
    pub(crate) fn request<T>(&self, message: T) -> Request<T> {
        let mut request = Request::new(message);
        request.metadata_mut().insert("authorization", self.0.clone());
        request
    }
}

/// The services of one connection.
#[derive(Clone)]
pub(crate) struct Clients {
    pub(crate) system: SystemServiceClient<Channel>,
    pub(crate) auth: AuthServiceClient<Channel>,
    pub(crate) entries: EntryServiceClient<Channel>,
    pub(crate) access: AccessServiceClient<Channel>,
}

impl Clients {
    pub(crate) async fn connect(target: &Target) -> Result<Clients> {
        Clients::connect_from(target, None).await
    }

    /// The services of one connection from `local` (see [`connect_from`]).
    pub(crate) async fn connect_from(target: &Target, local: Option<IpAddr>) -> Result<Clients> {
        let channel = connect_from(target, local).await?;
        Ok(Clients {
            system: SystemServiceClient::new(channel.clone()),
            auth: AuthServiceClient::new(channel.clone()),
            entries: EntryServiceClient::new(channel.clone()),
            access: AccessServiceClient::new(channel),
        })
    }
}
