//! The three coffre services against the real engine, through `run` on loopback with TLS: that requests reach the
//! engine intact, that answers and errors come back with the right codes, and that the context (token, agent)
//! travels.

use std::net::SocketAddr;

use coffre_proto::v1::{
    self as pb, auth_service_client::AuthServiceClient, entry_service_client::EntryServiceClient,
    system_service_client::SystemServiceClient,
};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};
use tonic::{Code, Request, codegen::http::uri::PathAndQuery, transport::Channel};

use crate::{ServerConfig, config::TlsSettings, test_support::tls_channel, tls};

const PASSPHRASE: &[u8] = b"correct horse battery staple";

struct TestDaemon {
    channel: Channel,
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
    _data: tempfile::TempDir,
}

impl TestDaemon {
    async fn start() -> Self {
        let data = tempfile::tempdir().expect("tempdir");
        let mut config = ServerConfig::new(data.path().to_path_buf());
        // The lowest Argon2id cost the engine accepts: tests lower it through configuration only.
        config.default_kdf = coffre_crypto::kdf::KdfParams { memory_kib: 8192, iterations: 1, parallelism: 1 };
        let ca = tls::load_or_create(data.path(), &TlsSettings::default()).expect("TLS files");
        let ca_pem = std::fs::read(ca.ca_path()).expect("ca.pem");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("address");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(crate::run(listener, config, async move {
            let _ = stopped.await;
        }));
        Self { channel: tls_channel(addr, &ca_pem).await, stop, task, _data: data }
    }

    fn system(&self) -> SystemServiceClient<Channel> {
        SystemServiceClient::new(self.channel.clone())
    }

    fn auth(&self) -> AuthServiceClient<Channel> {
        AuthServiceClient::new(self.channel.clone())
    }

    fn entries(&self) -> EntryServiceClient<Channel> {
        EntryServiceClient::new(self.channel.clone())
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.expect("server task").expect("clean shutdown");
    }

    /// Initialises the vault (president "alice") and logs in; returns the session token.
    async fn init_and_login(&self) -> String {
        let init = pb::InitRequest {
            president: "alice".into(),
            passphrase: PASSPHRASE.to_vec(),
            leader: String::new(),
            kdf: None,
            recovery: None,
        };
        let init = self.system().init(init).await.expect("init").into_inner();
        assert!(!init.vault_id.is_empty());
        let seed = coffre_crypto::totp::TotpSeed::from_otpauth_uri(&init.president_otpauth_uri).expect("a URI");
        let now = coffre_vault::clock::unix_seconds(std::time::SystemTime::now());
        let login =
            pb::LoginRequest { name: "alice".into(), passphrase: PASSPHRASE.to_vec(), totp_code: seed.code_at(now) };
        let response = self.auth().login(login).await.expect("login").into_inner();
        assert_eq!(response.role(), pb::Role::President);
        assert!(response.expires.is_some());
        response.token
    }
}

fn authed<T>(message: T, token: &str) -> Request<T> {
    let mut request = Request::new(message);
    request.metadata_mut().insert("authorization", format!("Bearer {token}").parse().expect("ascii token"));
    request
}

fn mailgun() -> pb::CreateEntryRequest {
    pb::CreateEntryRequest {
        entry: Some(pb::Entry {
            platform: "Mailgun".into(),
            category: pb::Category::Software as i32,
            url: "https://app.mailgun.com".into(),
            login: "ops@example.org".into(),
            tags: vec!["mail".into()],
            ..Default::default()
        }),
        secrets: Some(pb::SecretFields { password: b"hunter2-hunter2".to_vec(), totp_seed: vec![], notes: vec![] }),
    }
}

#[tokio::test]
async fn a_president_initialises_creates_reveals_seals_and_unseals() {
    let daemon = TestDaemon::start().await;
    let token = daemon.init_and_login().await;

    let who = daemon.auth().who_am_i(authed(pb::WhoAmIRequest {}, &token)).await.expect("whoami").into_inner();
    assert_eq!((who.name.as_str(), who.role()), ("alice", pb::Role::President));

    let created = daemon.entries().create_entry(authed(mailgun(), &token)).await.expect("create").into_inner();
    let entry = created.entry.expect("the entry");
    assert_eq!((entry.platform.as_str(), entry.category(), entry.version), ("Mailgun", pb::Category::Software, 1));
    assert_eq!(entry.classification(), pb::Classification::Restricted, "the engine's default");

    let update = pb::UpdateEntryRequest {
        platform: "Mailgun".into(),
        password: Some(b"a-new-password-2".to_vec()),
        classification: pb::Classification::Confidential as i32,
        ..Default::default()
    };
    let updated = daemon.entries().update_entry(authed(update, &token)).await.expect("update").into_inner();
    let entry = updated.entry.expect("the entry");
    assert_eq!((entry.version, entry.classification()), (2, pb::Classification::Confidential));

    let reveal = |version| pb::RevealRequest {
        platform: "mailgun".into(),
        field: pb::SecretField::Unspecified as i32,
        reason: "rotating the API key".into(),
        version,
        pending: false,
    };
    let current = daemon.entries().reveal(authed(reveal(0), &token)).await.expect("reveal").into_inner();
    assert_eq!((current.secret.as_slice(), current.version), (&b"a-new-password-2"[..], 2));
    let first = daemon.entries().reveal(authed(reveal(1), &token)).await.expect("old version").into_inner();
    assert_eq!(first.secret, b"hunter2-hunter2");
    assert!(first.audit_seq > current.audit_seq);

    let versions = daemon
        .entries()
        .list_versions(authed(pb::ListVersionsRequest { platform: "Mailgun".into() }, &token))
        .await
        .expect("versions")
        .into_inner()
        .versions;
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(versions[0].created_by, "alice");

    let archived = daemon
        .entries()
        .archive_entry(authed(pb::ArchiveEntryRequest { platform: "Mailgun".into() }, &token))
        .await
        .expect("archive")
        .into_inner();
    assert_eq!(archived.entry.expect("the entry").lifecycle(), pb::Lifecycle::Archived);
    let list = |include_archived| authed(pb::ListEntriesRequest { include_archived, ..Default::default() }, &token);
    assert!(daemon.entries().list_entries(list(false)).await.expect("list").into_inner().entries.is_empty());
    assert_eq!(daemon.entries().list_entries(list(true)).await.expect("list").into_inner().entries.len(), 1);
    // Pages: a page token names the last entry of the previous page; an empty next token ends the list.
    let page = |page_size, page_token: &str| {
        let request = pb::ListEntriesRequest { include_archived: true, page_size, page_token: page_token.into() };
        authed(request, &token)
    };
    let first = daemon.entries().list_entries(page(1, "")).await.expect("page").into_inner();
    assert_eq!((first.entries.len(), first.next_page_token.as_str()), (1, ""));
    let past = daemon.entries().list_entries(page(1, "Mailgun")).await.expect("page").into_inner();
    assert!(past.entries.is_empty() && past.next_page_token.is_empty());
    let too_big = daemon.entries().list_entries(page(1001, "")).await.expect_err("too big");
    assert_eq!(too_big.code(), Code::InvalidArgument);

    daemon.system().seal(authed(pb::SealRequest {}, &token)).await.expect("seal");
    let status = daemon.system().get_status(pb::GetStatusRequest {}).await.expect("status").into_inner();
    assert_eq!(status.state(), pb::SealState::Sealed);
    let status = daemon
        .entries()
        .get_entry(authed(pb::GetEntryRequest { platform: "Mailgun".into() }, &token))
        .await
        .expect_err("sealed");
    assert_eq!(status.code(), Code::FailedPrecondition);

    let unsealed = daemon.system().unseal(pb::UnsealRequest { passphrase: PASSPHRASE.to_vec() }).await.expect("unseal");
    assert!(!unsealed.into_inner().already_unsealed);
    // Sealing ended every session.
    let status = daemon.auth().who_am_i(authed(pb::WhoAmIRequest {}, &token)).await.expect_err("session ended");
    assert_eq!(status.code(), Code::Unauthenticated);

    daemon.stop().await;
}

#[tokio::test]
async fn bad_requests_get_clear_errors_and_the_daemon_stays_up() {
    let daemon = TestDaemon::start().await;

    // Before init: the engine's precondition.
    let login = pb::LoginRequest { name: "alice".into(), passphrase: PASSPHRASE.to_vec(), totp_code: "000000".into() };
    assert_eq!(daemon.auth().login(login).await.expect_err("uninitialised").code(), Code::FailedPrecondition);
    let token = daemon.init_and_login().await;

    // A passphrase outside 12..=1024 bytes never reaches the engine.
    let short = pb::UnsealRequest { passphrase: b"short".to_vec() };
    let status = daemon.system().unseal(short).await.expect_err("too short");
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");

    // No session; a malformed authorization.
    let get = || pb::GetEntryRequest { platform: "Mailgun".into() };
    assert_eq!(daemon.entries().get_entry(get()).await.expect_err("no session").code(), Code::Unauthenticated);
    let mut malformed = Request::new(get());
    malformed.metadata_mut().insert("authorization", "Basic YWxpY2U6aHVudGVy".parse().expect("ascii"));
    assert_eq!(daemon.entries().get_entry(malformed).await.expect_err("malformed").code(), Code::Unauthenticated);

    // Unknown enum values and missing messages.
    let mut unknown = mailgun();
    if let Some(entry) = unknown.entry.as_mut() {
        entry.category = 42;
    }
    let status = daemon.entries().create_entry(authed(unknown, &token)).await.expect_err("unknown category");
    assert_eq!((status.code(), status.message()), (Code::InvalidArgument, "unknown category 42"));
    let status = daemon
        .entries()
        .create_entry(authed(pb::CreateEntryRequest { entry: None, ..mailgun() }, &token))
        .await
        .expect_err("no entry");
    assert_eq!((status.code(), status.message()), (Code::InvalidArgument, "entry is required"));

    // The engine's own validation, passed through with its message.
    daemon.entries().create_entry(authed(mailgun(), &token)).await.expect("create");
    let status = daemon.entries().create_entry(authed(mailgun(), &token)).await.expect_err("duplicate");
    assert_eq!(status.code(), Code::AlreadyExists);
    let no_reason = pb::RevealRequest { platform: "Mailgun".into(), ..Default::default() };
    let status = daemon.entries().reveal(authed(no_reason, &token)).await.expect_err("no reason");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("reason"), "{}", status.message());
    let missing = authed(pb::GetEntryRequest { platform: "Nope".into() }, &token);
    assert_eq!(daemon.entries().get_entry(missing).await.expect_err("absent").code(), Code::NotFound);

    // Invalid UTF-8 in a string field of a coffre request.
    let mut grpc = tonic::client::Grpc::new(daemon.channel.clone());
    grpc.ready().await.expect("ready");
    let codec = tonic_prost::ProstCodec::<RawGetEntryRequest, pb::GetEntryResponse>::default();
    let raw = authed(RawGetEntryRequest { platform: vec![0xc3, 0x28] }, &token);
    let path = PathAndQuery::from_static("/coffre.v1.EntryService/GetEntry");
    let status = grpc.unary(raw, path, codec).await.expect_err("undecodable");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert_eq!(
        status.message(),
        "invalid request: GetEntryRequest.platform: invalid string value: data is not UTF-8 encoded"
    );

    // Still serving.
    daemon.entries().get_entry(authed(get(), &token)).await.expect("still up");
    daemon.stop().await;
}

/// `GetEntryRequest` on the wire, with bytes where the API has a string.
#[derive(Clone, PartialEq, prost::Message)]
struct RawGetEntryRequest {
    #[prost(bytes = "vec", tag = "1")]
    platform: Vec<u8>,
}
