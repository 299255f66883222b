//! The connection limits: a stream of accepted TCP connections that takes a permit before each accept and holds
//! it for the connection's life (TLS handshake included). At the global limit the daemon stops accepting, so the
//! kernel's backlog holds new clients until a connection closes; nothing already connected is disturbed. Each
//! client address (an IPv6 /64) may hold only a smaller number at once: one more from it is closed as soon as it
//! is accepted, so one address cannot fill the daemon and keep everyone else waiting. Every connection is watched
//! for idleness (see [`crate::idle`]).

use std::{
    collections::HashMap,
    future::Future,
    io,
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll, ready},
    time::Duration,
};

use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{AcquireError, OwnedSemaphorePermit, Semaphore},
    time::Sleep,
};
use tokio_stream::Stream;
use tonic::transport::server::{Connected, TcpConnectInfo};

use crate::idle::{Activity, IdleWatch};

/// After an accept error that is not about one client (out of file descriptors, out of memory), wait this long
/// before accepting again rather than spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

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

/// Accepted connections, within [`ConnectionLimits`].
pub(crate) struct LimitedIncoming {
    listener: TcpListener,
    limits: ConnectionLimits,
    permits: Arc<Semaphore>,
    per_address: Arc<PerAddress>,
    activity: Arc<Activity>,
    acquiring: Option<Acquire>,
    permit: Option<OwnedSemaphorePermit>,
    backoff: Option<Pin<Box<Sleep>>>,
}

impl LimitedIncoming {
    /// `activity` is the one the server's request layer reports to.
    pub(crate) fn new(listener: TcpListener, limits: ConnectionLimits, activity: Arc<Activity>) -> Self {
        Self {
            listener,
            permits: Arc::new(Semaphore::new(limits.max)),
            limits,
            per_address: Arc::default(),
            activity,
            acquiring: None,
            permit: None,
            backoff: None,
        }
    }
}

/// How many connections each address holds.
#[derive(Debug, Default)]
struct PerAddress(Mutex<HashMap<String, usize>>);

impl PerAddress {
    /// A place for one more connection from `address`, if it holds fewer than `max`.
    fn take(self: &Arc<Self>, address: String, max: usize) -> Option<AddressSlot> {
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
struct AddressSlot {
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
        let this = self.get_mut();
        if let Some(backoff) = this.backoff.as_mut() {
            ready!(backoff.as_mut().poll(cx));
            this.backoff = None;
        }
        let permit = match this.permit.take() {
            Some(permit) => permit,
            None => {
                let permits = &this.permits;
                let acquiring = this.acquiring.get_or_insert_with(|| Box::pin(Arc::clone(permits).acquire_owned()));
                let acquired = ready!(acquiring.as_mut().poll(cx));
                this.acquiring = None;
                match acquired {
                    Ok(permit) => permit,
                    // The semaphore is never closed; if it were, there would be nothing more to accept.
                    Err(_) => return Poll::Ready(None),
                }
            }
        };
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
                    let idle = this.activity.watch(peer, this.limits.first_request_timeout, this.limits.idle_timeout);
                    return Poll::Ready(Some(Ok(LimitedConn {
                        stream,
                        idle,
                        closed: false,
                        _slot: slot,
                        _permit: permit,
                    })));
                }
                Poll::Ready(Err(err)) => {
                    this.permit = Some(permit);
                    if !matches!(
                        err.kind(),
                        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted
                    ) {
                        tracing::warn!(error = %err, "cannot accept connections; retrying shortly");
                        this.backoff = Some(Box::pin(tokio::time::sleep(ACCEPT_BACKOFF)));
                    }
                    return Poll::Ready(Some(Err(err)));
                }
                Poll::Pending => {
                    this.permit = Some(permit);
                    return Poll::Pending;
                }
            }
        }
    }
}

/// An accepted connection holding its places under the limits until dropped, and closing itself when idle: its
/// reads then answer end-of-file and its writes fail, so that the TLS layer and hyper close it.
pub(crate) struct LimitedConn {
    stream: TcpStream,
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
        self.stream.connect_info()
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
