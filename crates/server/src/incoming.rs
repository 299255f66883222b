//! The connection limits: a stream of accepted TCP connections that takes a permit before each accept and holds
//! it for the connection's life (TLS handshake included). At the global limit the daemon stops accepting, so the
//! kernel's backlog holds new clients until a connection closes; nothing already connected is disturbed. Each
//! client address (an IPv6 /64) may hold only a smaller number at once: one more from it is closed as soon as it
//! is accepted, so one address cannot fill the daemon and keep everyone else waiting. Every connection is watched
//! for idleness (see [`crate::idle`]).
//!
//! A serving coffred with `[relay]` also takes the connections its standbys relay ([`RelayedIncoming`]), under the
//! same limits: from the standbys' addresses only, each starting with a PROXY protocol header that names the
//! client, which the limits, the back-off and the audit log then count it as.

use std::{
    collections::HashMap,
    future::Future,
    io,
    net::{IpAddr, SocketAddr},
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll, ready},
    time::Duration,
};

use tokio::{
    io::{AsyncRead, AsyncReadExt as _, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{AcquireError, OwnedSemaphorePermit, Semaphore},
    task::JoinSet,
    time::Sleep,
};
use tokio_stream::Stream;
use tonic::transport::server::{Connected, TcpConnectInfo};

use crate::idle::{Activity, IdleWatch};

/// After an accept error that is not about one client (out of file descriptors, out of memory), wait this long
/// before accepting again rather than spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// How long to wait after the accept error `err` before accepting again: not at all for an error about one client
/// (it aborted, reset); [`ACCEPT_BACKOFF`] for one about the daemon (out of file descriptors, out of memory), said.
fn backoff_after(err: &io::Error) -> Option<Pin<Box<Sleep>>> {
    if matches!(
        err.kind(),
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted
    ) {
        return None;
    }
    tracing::warn!(error = %err, "cannot accept connections; retrying shortly");
    Some(Box::pin(tokio::time::sleep(ACCEPT_BACKOFF)))
}

/// Connections over their address's limit closed in one go before yielding (see [`LimitedIncoming`]).
const MAX_REFUSED_IN_A_ROW: usize = 64;

type Acquire = Pin<Box<dyn Future<Output = Result<OwnedSemaphorePermit, AcquireError>> + Send>>;

/// How many connections, from where, for how long.
#[derive(Clone, Debug)]
pub(crate) struct ConnectionLimits {
    /// Connections at once, from everywhere.
    pub(crate) max: usize,
    /// Connections at once from one address (an IPv6 /64).
    pub(crate) max_per_address: usize,
    /// A connection that has made no request this long after being accepted is closed.
    pub(crate) first_request_timeout: Duration,
    /// A connection without a request in progress for this long is closed.
    pub(crate) idle_timeout: Duration,
}

/// A listener and what accepting under [`ConnectionLimits`] needs: the clients' ([`LimitedIncoming`]) and the relay's
/// ([`RelayedIncoming`]), which share the counts.
struct Accepting {
    listener: TcpListener,
    limits: ConnectionLimits,
    permits: Arc<Semaphore>,
    per_address: Arc<PerAddress>,
    activity: Arc<Activity>,
    acquiring: Option<Acquire>,
    permit: Option<OwnedSemaphorePermit>,
    backoff: Option<Pin<Box<Sleep>>>,
}

impl Accepting {
    /// A place under the overall limit, once any back-off after an accept error has passed; `None`: nothing more
    /// will be accepted.
    fn poll_permit(&mut self, cx: &mut Context<'_>) -> Poll<Option<OwnedSemaphorePermit>> {
        if let Some(backoff) = self.backoff.as_mut() {
            ready!(backoff.as_mut().poll(cx));
            self.backoff = None;
        }
        if let Some(permit) = self.permit.take() {
            return Poll::Ready(Some(permit));
        }
        let permits = &self.permits;
        let acquiring = self.acquiring.get_or_insert_with(|| Box::pin(Arc::clone(permits).acquire_owned()));
        let acquired = ready!(acquiring.as_mut().poll(cx));
        self.acquiring = None;
        // The semaphore is never closed; if it were, there would be nothing more to accept.
        Poll::Ready(acquired.ok())
    }

    /// An accept failed: `permit` stays for the next client, and the error goes to the server.
    fn failed(&mut self, permit: OwnedSemaphorePermit, err: io::Error) -> Poll<Option<io::Result<LimitedConn>>> {
        self.permit = Some(permit);
        self.backoff = backoff_after(&err);
        Poll::Ready(Some(Err(err)))
    }

    /// `stream`, from `seen` as the server sees it (the peer, or the `client` a relay named), watched for idleness
    /// from now on.
    fn conn(
        &self,
        stream: TcpStream,
        seen: SocketAddr,
        client: Option<SocketAddr>,
        slot: AddressSlot,
        permit: OwnedSemaphorePermit,
    ) -> LimitedConn {
        let idle = self.activity.watch(seen, self.limits.first_request_timeout, self.limits.idle_timeout);
        LimitedConn { stream, client, idle, closed: false, _slot: slot, _permit: permit }
    }
}

/// Accepted connections, within [`ConnectionLimits`].
pub(crate) struct LimitedIncoming(Accepting);

impl LimitedIncoming {
    /// `activity` is the one the server's request layer reports to.
    pub(crate) fn new(listener: TcpListener, limits: ConnectionLimits, activity: Arc<Activity>) -> Self {
        Self(Accepting {
            listener,
            permits: Arc::new(Semaphore::new(limits.max)),
            limits,
            per_address: Arc::default(),
            activity,
            acquiring: None,
            permit: None,
            backoff: None,
        })
    }
}

/// How many connections each address holds.
#[derive(Debug, Default)]
pub(crate) struct PerAddress(Mutex<HashMap<String, usize>>);

impl PerAddress {
    /// A place for one more connection from `address`, if it holds fewer than `max`.
    pub(crate) fn take(self: &Arc<Self>, address: String, max: usize) -> Option<AddressSlot> {
        let mut counts = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = counts.entry(address.clone()).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(AddressSlot { counts: Arc::clone(self), address })
    }
}

/// One connection's place under its address's limit, given back when dropped.
pub(crate) struct AddressSlot {
    counts: Arc<PerAddress>,
    address: String,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut counts = self.counts.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = counts.get_mut(&self.address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&self.address);
            }
        }
    }
}

impl Stream for LimitedIncoming {
    type Item = io::Result<LimitedConn>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut self.get_mut().0;
        let Some(permit) = ready!(this.poll_permit(cx)) else { return Poll::Ready(None) };
        // A flood from one address is closed connection by connection; after this many in a row, let the other
        // tasks run before accepting more.
        let mut refused = 0;
        loop {
            if refused == MAX_REFUSED_IN_A_ROW {
                this.permit = Some(permit);
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            match this.listener.poll_accept(cx) {
                Poll::Ready(Ok((stream, peer))) => {
                    let address = coffre_vault::address_key(&peer.to_string());
                    let Some(slot) = this.per_address.take(address, this.limits.max_per_address) else {
                        // Closed at once; the permit stays for the next client.
                        tracing::debug!(%peer, "too many connections from this address; closing the new one");
                        drop(stream);
                        refused += 1;
                        continue;
                    };
                    // Small request/response messages: do not let Nagle's algorithm hold them back.
                    if let Err(err) = stream.set_nodelay(true) {
                        tracing::debug!(error = %err, "cannot set TCP_NODELAY");
                    }
                    return Poll::Ready(Some(Ok(this.conn(stream, peer, None, slot, permit))));
                }
                Poll::Ready(Err(err)) => return this.failed(permit, err),
                Poll::Pending => {
                    this.permit = Some(permit);
                    return Poll::Pending;
                }
            }
        }
    }
}

/// The PROXY protocol's version 2 signature, which every relayed connection starts with.
const PROXY_SIGNATURE: [u8; 12] = *b"\r\n\r\n\0\r\nQUIT\n";

/// The most bytes of addresses and TLVs taken after a PROXY header's first 16 (a relay sends 12 or 36).
const PROXY_ADDRESSES_MAX: usize = 512;

/// Why a relayed connection's header was refused (logged, never sent: the peer only sees its connection closed).
#[derive(Debug, thiserror::Error)]
pub(crate) enum RelayRefused {
    /// No whole header within the first-request timeout.
    #[error("no PROXY header within the first-request timeout")]
    Slow,
    /// The connection ended, or failed, before its header did.
    #[error("the connection ended before its PROXY header: {0}")]
    Io(#[from] io::Error),
    /// Not a PROXY protocol version 2 header naming a client by IP address.
    #[error("not a PROXY protocol v2 header naming a client: {0}")]
    Header(String),
}

/// Reads the PROXY protocol (version 2) header a standby's relay starts a connection with, exactly (the TLS
/// handshake's first byte is left unread), and returns the client it names. Only the PROXY command over TCP with
/// IPv4 or IPv6 addresses is taken: a relay always names its client.
pub(crate) async fn read_proxy_header<R: AsyncRead + Unpin>(stream: &mut R) -> Result<SocketAddr, RelayRefused> {
    let mut header = vec![0_u8; 16];
    stream.read_exact(&mut header).await?;
    if header[..12] != PROXY_SIGNATURE {
        return Err(RelayRefused::Header("no PROXY v2 signature".into()));
    }
    let length = usize::from(u16::from_be_bytes([header[14], header[15]]));
    if length > PROXY_ADDRESSES_MAX {
        return Err(RelayRefused::Header(format!("{length} bytes of addresses, more than {PROXY_ADDRESSES_MAX}")));
    }
    header.resize(16 + length, 0);
    stream.read_exact(&mut header[16..]).await?;
    let parsed = ppp::v2::Header::try_from(header.as_slice()).map_err(|err| RelayRefused::Header(err.to_string()))?;
    if parsed.command != ppp::v2::Command::Proxy || parsed.protocol != ppp::v2::Protocol::Stream {
        return Err(RelayRefused::Header("not the PROXY command over TCP".into()));
    }
    match parsed.addresses {
        ppp::v2::Addresses::IPv4(ip) => Ok(SocketAddr::from((ip.source_address, ip.source_port))),
        ppp::v2::Addresses::IPv6(ip) => Ok(SocketAddr::from((ip.source_address, ip.source_port))),
        ppp::v2::Addresses::Unspecified | ppp::v2::Addresses::Unix(_) => {
            Err(RelayRefused::Header("no client IP address".into()))
        }
    }
}

/// The header a standby's relay sends before a client's bytes: the client, and where the relay took it.
pub(crate) fn proxy_header(client: SocketAddr, relay: SocketAddr) -> Vec<u8> {
    // Both of one family, as the protocol wants: an IPv4 address is written as IPv4-mapped IPv6 beside IPv6.
    let (client, relay) = match (client, relay) {
        (SocketAddr::V4(_), SocketAddr::V4(_)) | (SocketAddr::V6(_), SocketAddr::V6(_)) => (client, relay),
        _ => (as_v6(client), as_v6(relay)),
    };
    ppp::v2::Builder::with_addresses(
        ppp::v2::Version::Two | ppp::v2::Command::Proxy,
        ppp::v2::Protocol::Stream,
        (client, relay),
    )
    .build()
    // Building into a Vec cannot fail: the only error is a length over 65,535 bytes, and this is 28 or 52.
    .unwrap_or_default()
}

fn as_v6(addr: SocketAddr) -> SocketAddr {
    match addr {
        SocketAddr::V4(v4) => SocketAddr::from((v4.ip().to_ipv6_mapped(), v4.port())),
        v6 @ SocketAddr::V6(_) => v6,
    }
}

/// A relayed connection whose header has been read.
type HeaderRead = Option<(TcpStream, SocketAddr, OwnedSemaphorePermit)>;

/// The connections a serving coffred's standbys relay to it (`[relay] listen`), under the same limits as its
/// clients' ([`LimitedIncoming::relayed`]): a connection from any address but the standbys' is closed as soon as
/// it is accepted; one whose PROXY header is not whole within the first-request timeout, or not one, is closed;
/// then it is the client's connection, under the client address's limit.
pub(crate) struct RelayedIncoming {
    accepting: Accepting,
    from: Arc<[IpAddr]>,
    /// Headers being read, one task each, each holding its connection's permit.
    reading: JoinSet<HeaderRead>,
    /// The warnings for refused connections, at most one a minute: anyone who reaches the relay port can open
    /// connections as fast as the network allows, and must not fill the log with them.
    refusals: Arc<Occasional>,
}

/// A warning given at most once per [`Occasional::EVERY`], with how many were left out since the last one.
pub(crate) struct Occasional {
    /// When the last warning was given, and how many were left out since.
    last: Mutex<(Option<std::time::Instant>, u64)>,
}

impl Occasional {
    const EVERY: Duration = Duration::from_secs(60);

    pub(crate) fn new() -> Self {
        Self { last: Mutex::new((None, 0)) }
    }

    /// Whether to warn of one more at `now`: `Some(n)` with the `n` left out before it, or `None` to leave it out.
    pub(crate) fn due(&self, now: std::time::Instant) -> Option<u64> {
        let mut last = self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match last.0 {
            Some(at) if now.saturating_duration_since(at) < Self::EVERY => {
                last.1 = last.1.saturating_add(1);
                None
            }
            _ => {
                let left_out = std::mem::take(&mut last.1);
                last.0 = Some(now);
                Some(left_out)
            }
        }
    }
}

impl LimitedIncoming {
    /// The connections relayed to `listener` from the addresses `from`, under the same limits as these (one
    /// count of connections, and of each client address's, for both).
    pub(crate) fn relayed(&self, listener: TcpListener, from: &[IpAddr]) -> RelayedIncoming {
        let shared = &self.0;
        RelayedIncoming {
            accepting: Accepting {
                listener,
                limits: shared.limits.clone(),
                permits: Arc::clone(&shared.permits),
                per_address: Arc::clone(&shared.per_address),
                activity: Arc::clone(&shared.activity),
                acquiring: None,
                permit: None,
                backoff: None,
            },
            from: from.into(),
            reading: JoinSet::new(),
            refusals: Arc::new(Occasional::new()),
        }
    }
}

/// Whether `peer` is one of `from`, an IPv4 address also matching itself mapped into IPv6.
fn relay_allowed(from: &[IpAddr], peer: IpAddr) -> bool {
    let peer = peer.to_canonical();
    from.iter().any(|allowed| allowed.to_canonical() == peer)
}

impl RelayedIncoming {
    /// The next connection whose header has been read, if any is ready, under its client's address limit.
    fn poll_read_headers(&mut self, cx: &mut Context<'_>) -> Poll<LimitedConn> {
        while let Poll::Ready(Some(done)) = self.reading.poll_join_next(cx) {
            let Ok(Some((stream, client, permit))) = done else { continue };
            let accepting = &self.accepting;
            let address = coffre_vault::address_key(&client.to_string());
            let Some(slot) = accepting.per_address.take(address, accepting.limits.max_per_address) else {
                tracing::debug!(%client, "too many connections from this address; closing the relayed one");
                continue;
            };
            return Poll::Ready(accepting.conn(stream, client, Some(client), slot, permit));
        }
        Poll::Pending
    }
}

impl Stream for RelayedIncoming {
    type Item = io::Result<LimitedConn>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Poll::Ready(conn) = this.poll_read_headers(cx) {
            return Poll::Ready(Some(Ok(conn)));
        }
        for _ in 0..MAX_REFUSED_IN_A_ROW {
            let Poll::Ready(permit) = this.accepting.poll_permit(cx) else {
                // Headers read meanwhile still come out, within the permits their connections hold.
                return this.poll_read_headers(cx).map(|conn| Some(Ok(conn)));
            };
            let Some(permit) = permit else { return Poll::Ready(None) };
            match this.accepting.listener.poll_accept(cx) {
                Poll::Ready(Ok((mut stream, peer))) => {
                    if !relay_allowed(&this.from, peer.ip()) {
                        if let Some(left_out) = this.refusals.due(std::time::Instant::now()) {
                            tracing::warn!(
                                %peer,
                                left_out,
                                "a relayed connection from an address not in [relay] from; closing it (refused \
                                 connections are logged once a minute: left_out is how many were not since)"
                            );
                        }
                        this.accepting.permit = Some(permit);
                        continue;
                    }
                    if let Err(err) = stream.set_nodelay(true) {
                        tracing::debug!(error = %err, "cannot set TCP_NODELAY");
                    }
                    let timeout = this.accepting.limits.first_request_timeout;
                    let refusals = Arc::clone(&this.refusals);
                    this.reading.spawn(async move {
                        let read = tokio::time::timeout(timeout, read_proxy_header(&mut stream)).await;
                        match read.unwrap_or(Err(RelayRefused::Slow)) {
                            Ok(client) => Some((stream, client, permit)),
                            Err(err) => {
                                if let Some(left_out) = refusals.due(std::time::Instant::now()) {
                                    tracing::warn!(
                                        %peer,
                                        left_out,
                                        error = %err,
                                        "a relayed connection without a proper header; closing it (refused \
                                         connections are logged once a minute: left_out is how many were not since)"
                                    );
                                }
                                None
                            }
                        }
                    });
                }
                Poll::Ready(Err(err)) => return this.accepting.failed(permit, err),
                Poll::Pending => {
                    this.accepting.permit = Some(permit);
                    return this.poll_read_headers(cx).map(|conn| Some(Ok(conn)));
                }
            }
        }
        // Many accepted in a row: let the other tasks (and the headers' readers) run before accepting more.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// An accepted connection holding its places under the limits until dropped, and closing itself when idle: its
/// reads then answer end-of-file and its writes fail, so that the TLS layer and hyper close it.
pub(crate) struct LimitedConn {
    stream: TcpStream,
    /// The client a standby relayed this connection for, as its PROXY header named it (`None`: the peer is).
    client: Option<SocketAddr>,
    idle: IdleWatch,
    closed: bool,
    _slot: AddressSlot,
    _permit: OwnedSemaphorePermit,
}

impl LimitedConn {
    /// Whether the connection has been closed for idleness (and stays so).
    fn idle_closed(&mut self, cx: &mut Context<'_>) -> bool {
        if !self.closed && self.idle.expired(cx) {
            tracing::debug!("closing an idle connection");
            self.closed = true;
        }
        self.closed
    }
}

fn closed_for_idleness() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "connection closed for idleness")
}

impl Connected for LimitedConn {
    // The same as a plain TcpStream's, so `Request::remote_addr` finds the peer behind TLS too.
    type ConnectInfo = TcpConnectInfo;

    fn connect_info(&self) -> Self::ConnectInfo {
        match self.client {
            None => self.stream.connect_info(),
            Some(client) => TcpConnectInfo { local_addr: self.stream.local_addr().ok(), remote_addr: Some(client) },
        }
    }
}

impl AsyncRead for LimitedConn {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.idle_closed(cx) {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for LimitedConn {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.closed {
            return Poll::Ready(Err(closed_for_idleness()));
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.closed {
            return Poll::Ready(Err(closed_for_idleness()));
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::task::Waker;

    use tokio_stream::StreamExt as _;

    use super::*;

    fn limits(max: usize, max_per_address: usize) -> ConnectionLimits {
        ConnectionLimits {
            max,
            max_per_address,
            first_request_timeout: Duration::from_secs(3_600),
            idle_timeout: Duration::from_secs(3_600),
        }
    }

    #[tokio::test]
    async fn at_the_limit_the_next_connection_waits_for_one_to_close() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let mut incoming = LimitedIncoming::new(listener, limits(1, 1), Arc::default());

        let _client1 = TcpStream::connect(addr).await.expect("connect");
        let first = incoming.next().await.expect("a connection").expect("accepted");
        assert_eq!(first.connect_info().local_addr, Some(addr));

        // The second client is queued by the kernel, but not accepted while the first holds the only permit:
        // the stream waits on the permit before it even looks at the listener.
        let _client2 = TcpStream::connect(addr).await.expect("connect");
        let mut cx = Context::from_waker(Waker::noop());
        assert!(Pin::new(&mut incoming).poll_next(&mut cx).is_pending());

        drop(first);
        let second = incoming.next().await.expect("a connection").expect("accepted");
        assert!(second.connect_info().remote_addr.is_some());
    }

    /// A connection to `addr` from the loopback address `ip`.
    async fn connect_from(ip: &str, addr: SocketAddr) -> TcpStream {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.bind(format!("{ip}:0").parse().expect("address")).expect("bind a loopback address");
        socket.connect(addr).await.expect("connect")
    }

    /// Reads until the peer closes; true if it did without sending anything.
    async fn closed_by_peer(stream: &mut TcpStream) -> bool {
        let mut byte = [0_u8; 1];
        matches!(tokio::io::AsyncReadExt::read(stream, &mut byte).await, Ok(0) | Err(_))
    }

    /// A main incoming (unused here but for its limits) and the relayed one, from 127.0.0.2 only.
    async fn relayed(limits: ConnectionLimits) -> (LimitedIncoming, RelayedIncoming, SocketAddr) {
        let main = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let relay = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = relay.local_addr().expect("address");
        let incoming = LimitedIncoming::new(main, limits, Arc::default());
        let relayed = incoming.relayed(relay, &["127.0.0.2".parse().expect("address")]);
        (incoming, relayed, addr)
    }

    /// A standby's relayed connection is the client's: the address its header names is the one the server sees (and
    /// so the back-off and the audit log), and the bytes after the header reach the server whole.
    #[tokio::test]
    async fn a_relayed_connection_is_counted_as_the_client_its_header_names() {
        let (_main, mut relayed, addr) = relayed(limits(8, 8)).await;
        let client: SocketAddr = "203.0.113.7:4242".parse().expect("address");
        let mut relay = connect_from("127.0.0.2", addr).await;
        let local = relay.local_addr().expect("address");
        let mut sent = proxy_header(client, local);
        sent.extend_from_slice(b"\x16\x03\x01 the TLS handshake");
        tokio::io::AsyncWriteExt::write_all(&mut relay, &sent).await.expect("written");
        let mut conn = relayed.next().await.expect("a connection").expect("accepted");
        assert_eq!(conn.connect_info().remote_addr, Some(client));
        assert_eq!(conn.connect_info().local_addr, Some(addr));
        let mut rest = [0_u8; 21];
        tokio::io::AsyncReadExt::read_exact(&mut conn, &mut rest).await.expect("the client's bytes");
        assert_eq!(&rest, b"\x16\x03\x01 the TLS handshake");

        // An IPv6 client through an IPv4 relay: written mapped, read back as the client.
        let v6: SocketAddr = "[2001:db8::7]:443".parse().expect("address");
        let mut relay = connect_from("127.0.0.2", addr).await;
        let header = proxy_header(v6, relay.local_addr().expect("address"));
        tokio::io::AsyncWriteExt::write_all(&mut relay, &header).await.expect("written");
        let conn = relayed.next().await.expect("a connection").expect("accepted");
        assert_eq!(conn.connect_info().remote_addr, Some(v6));
    }

    /// Deny by default: a connection from an address not in `[relay] from` is closed unread, whatever it sends; one
    /// from a standby's address without a proper header (none, another protocol's, a LOCAL command, addresses too
    /// long, one that stops halfway) is closed too; and none of them is ever handed to the server. A client named by
    /// relays is under its own address's limit, across relays.
    #[tokio::test]
    async fn relayed_connections_are_taken_only_from_the_standbys_with_a_proper_header() {
        let short = ConnectionLimits { first_request_timeout: Duration::from_millis(300), ..limits(16, 1) };
        let (_main, mut relayed, addr) = relayed(short).await;
        let client: SocketAddr = "198.51.100.9:5000".parse().expect("address");

        let mut stranger = connect_from("127.0.0.3", addr).await;
        let header = proxy_header(client, stranger.local_addr().expect("address"));
        let _ = tokio::io::AsyncWriteExt::write_all(&mut stranger, &header).await;
        let local = ppp::v2::Builder::with_addresses(
            ppp::v2::Version::Two | ppp::v2::Command::Local,
            ppp::v2::Protocol::Stream,
            (client, addr),
        )
        .build()
        .expect("a header");
        let mut too_long = PROXY_SIGNATURE.to_vec();
        too_long.extend_from_slice(&[0x21, 0x11, 0x10, 0x00]);
        let mut halfway = proxy_header(client, addr);
        halfway.truncate(20);
        let mut refused = vec![stranger];
        for bytes in [b"GET / HTTP/1.1\r\n\r\n".to_vec(), local, too_long, halfway, Vec::new()] {
            let mut relay = connect_from("127.0.0.2", addr).await;
            tokio::io::AsyncWriteExt::write_all(&mut relay, &bytes).await.expect("written");
            refused.push(relay);
        }
        // The one good connection comes out; every other is closed without being handed over.
        let mut good = connect_from("127.0.0.2", addr).await;
        let header = proxy_header(client, good.local_addr().expect("address"));
        tokio::io::AsyncWriteExt::write_all(&mut good, &header).await.expect("written");
        let first = relayed.next().await.expect("a connection").expect("accepted");
        assert_eq!(first.connect_info().remote_addr, Some(client));
        for (i, relay) in refused.iter_mut().enumerate() {
            assert!(closed_by_peer(relay).await, "connection {i} closed");
        }
        // The same client through another relayed connection is over its address's limit (1): closed.
        let mut again = connect_from("127.0.0.2", addr).await;
        let header = proxy_header(client, again.local_addr().expect("address"));
        tokio::io::AsyncWriteExt::write_all(&mut again, &header).await.expect("written");
        let mut cx = Context::from_waker(Waker::noop());
        let polled = Pin::new(&mut relayed).poll_next(&mut cx);
        assert!(polled.is_pending(), "nothing handed over yet");
        let closed = tokio::select! {
            closed = closed_by_peer(&mut again) => closed,
            conn = relayed.next() => panic!("handed over over its limit: {:?}", conn.map(|c| c.map(|c| c.connect_info().remote_addr))),
        };
        assert!(closed);
        drop(first);
    }

    /// Refused relayed connections are warned of once a minute, with how many were left out since: a stranger who
    /// reaches the relay port cannot fill the log.
    #[test]
    fn refused_relayed_connections_are_warned_of_once_a_minute_with_the_count_left_out() {
        let refusals = Occasional::new();
        let start = std::time::Instant::now();
        assert_eq!(refusals.due(start), Some(0), "the first is warned of");
        let warned: Vec<Option<u64>> =
            (1..=1000).map(|ms| refusals.due(start + Duration::from_millis(ms * 50))).collect();
        assert!(warned.iter().all(Option::is_none), "none within the minute");
        assert_eq!(refusals.due(start + Duration::from_secs(61)), Some(1000), "the next says how many were left out");
        assert_eq!(refusals.due(start + Duration::from_secs(62)), None);
        assert_eq!(refusals.due(start + Duration::from_secs(200)), Some(1));
    }

    #[tokio::test]
    async fn an_address_over_its_limit_is_closed_at_once_and_others_still_get_in() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let mut incoming = LimitedIncoming::new(listener, limits(8, 2), Arc::default());
        let from = |ip: &str| {
            let socket = tokio::net::TcpSocket::new_v4().expect("socket");
            socket.bind(format!("{ip}:0").parse().expect("address")).expect("bind a loopback address");
            socket.connect(addr)
        };
        let mut greedy = Vec::new();
        for _ in 0..3 {
            greedy.push(from("127.0.0.2").await.expect("connect"));
        }
        let _held = [
            incoming.next().await.expect("a connection").expect("accepted"),
            incoming.next().await.expect("a connection").expect("accepted"),
        ];
        let _other = from("127.0.0.3").await.expect("connect");
        let other = incoming.next().await.expect("a connection").expect("accepted");
        assert_eq!(other.connect_info().remote_addr.map(|a| a.ip().to_string()), Some("127.0.0.3".into()));
        // The third connection from 127.0.0.2 was closed by the daemon: its client reads end-of-file.
        let mut third = greedy.pop().expect("three");
        let mut byte = [0_u8; 1];
        let read = tokio::io::AsyncReadExt::read(&mut third, &mut byte).await.expect("an orderly close");
        assert_eq!(read, 0);
    }
}
