//! The connection limit: a stream of accepted TCP connections that takes a permit before each accept and holds
//! it for the connection's life (TLS handshake included). At the limit the daemon stops accepting, so the
//! kernel's backlog holds new clients until a connection closes; nothing already connected is disturbed.

use std::{
    future::Future,
    io,
    pin::Pin,
    sync::Arc,
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

/// After an accept error that is not about one client (out of file descriptors, out of memory), wait this long
/// before accepting again rather than spinning.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

type Acquire = Pin<Box<dyn Future<Output = Result<OwnedSemaphorePermit, AcquireError>> + Send>>;

/// Accepted connections, at most `max` at once.
pub(crate) struct LimitedIncoming {
    listener: TcpListener,
    permits: Arc<Semaphore>,
    acquiring: Option<Acquire>,
    permit: Option<OwnedSemaphorePermit>,
    backoff: Option<Pin<Box<Sleep>>>,
}

impl LimitedIncoming {
    pub(crate) fn new(listener: TcpListener, max: usize) -> Self {
        Self { listener, permits: Arc::new(Semaphore::new(max)), acquiring: None, permit: None, backoff: None }
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
        match this.listener.poll_accept(cx) {
            Poll::Ready(Ok((stream, _peer))) => {
                // Small request/response messages: do not let Nagle's algorithm hold them back.
                if let Err(err) = stream.set_nodelay(true) {
                    tracing::debug!(error = %err, "cannot set TCP_NODELAY");
                }
                Poll::Ready(Some(Ok(LimitedConn { stream, _permit: permit })))
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
                Poll::Ready(Some(Err(err)))
            }
            Poll::Pending => {
                this.permit = Some(permit);
                Poll::Pending
            }
        }
    }
}

/// An accepted connection holding its place under the limit until dropped.
pub(crate) struct LimitedConn {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
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
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for LimitedConn {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
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

    #[tokio::test]
    async fn at_the_limit_the_next_connection_waits_for_one_to_close() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let mut incoming = LimitedIncoming::new(listener, 1);

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
}
