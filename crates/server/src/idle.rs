//! Closing connections that do no work: one that has not made its first request within the first-request timeout
//! of being accepted (a TLS handshake that stalls, an HTTP/2 preface that never comes, a preface and nothing
//! after), and one that has had no request in progress for the idle timeout. HTTP/2 pings do not count as work, so
//! a client that only answers them is closed too.
//!
//! The requests are seen by a tower layer ([`TrackRequestsLayer`]), which marks their connection busy from the call
//! until the response body is dropped (a streamed export or backup stays busy while it streams); the connection
//! finds its own state through its peer address. Each connection's [`IdleWatch`] is polled with its reads: when
//! the deadline passes and the connection is still idle, the next read answers end-of-file, and hyper closes it.

use std::{
    collections::HashMap,
    future::Future,
    net::SocketAddr,
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
    time::Duration,
};

use http_body_util::BodyExt as _;
use tokio::time::{Instant, Sleep};
use tonic::{
    body::Body,
    codegen::http,
    transport::server::{TcpConnectInfo, TlsConnectInfo},
};

/// The connections' request counts, by peer address. Two connections can claim one address only through relays
/// (a PROXY header names the client; the kernel never gives two TCP connections one peer address on one port):
/// they are then watched as one, so that a request on either keeps both open, rather than the second one's state
/// hiding the first's requests and closing it while it works.
#[derive(Debug, Default)]
pub(crate) struct Activity {
    conns: Mutex<HashMap<SocketAddr, Arc<ConnActivity>>>,
}

/// One connection's requests: how many are in progress, how many there were, when the last one ended.
#[derive(Debug)]
struct ConnActivity {
    state: Mutex<ConnState>,
}

#[derive(Debug)]
struct ConnState {
    in_flight: usize,
    requests: u64,
    last_change: Instant,
    /// The connections watched with this state (more than one only for connections that claim one address).
    watchers: usize,
}

impl Activity {
    /// Starts watching a connection just accepted from `peer`.
    pub(crate) fn watch(
        self: &Arc<Self>,
        peer: SocketAddr,
        first_request_timeout: Duration,
        idle_timeout: Duration,
    ) -> IdleWatch {
        let now = Instant::now();
        let conn = match self.lock().entry(peer) {
            std::collections::hash_map::Entry::Occupied(shared) => {
                shared.get().lock().watchers += 1;
                Arc::clone(shared.get())
            }
            std::collections::hash_map::Entry::Vacant(new) => {
                let state = ConnState { in_flight: 0, requests: 0, last_change: now, watchers: 1 };
                Arc::clone(new.insert(Arc::new(ConnActivity { state: Mutex::new(state) })))
            }
        };
        IdleWatch {
            activity: Arc::clone(self),
            peer,
            conn,
            first_request_timeout,
            idle_timeout,
            deadline: Box::pin(tokio::time::sleep_until(now + first_request_timeout)),
        }
    }

    /// Marks a request of `peer`'s connection in progress until the returned guard is dropped.
    fn begin_request(&self, peer: SocketAddr) -> Option<InFlight> {
        let conn = Arc::clone(self.lock().get(&peer)?);
        {
            let mut state = conn.lock();
            state.in_flight += 1;
            state.requests += 1;
            state.last_change = Instant::now();
        }
        Some(InFlight(conn))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SocketAddr, Arc<ConnActivity>>> {
        self.conns.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl ConnActivity {
    fn lock(&self) -> std::sync::MutexGuard<'_, ConnState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A request in progress; dropped with its response body.
struct InFlight(Arc<ConnActivity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
        state.last_change = Instant::now();
    }
}

/// A connection's deadline, polled with its reads.
pub(crate) struct IdleWatch {
    activity: Arc<Activity>,
    peer: SocketAddr,
    conn: Arc<ConnActivity>,
    first_request_timeout: Duration,
    idle_timeout: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl IdleWatch {
    /// Whether the connection should close now; otherwise the deadline's timer wakes `cx` when it may have to.
    pub(crate) fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        loop {
            if self.deadline.as_mut().poll(cx).is_pending() {
                return false;
            }
            // The deadline passed: work out the real one from what the requests did since it was set.
            let now = Instant::now();
            let due = {
                let state = self.conn.lock();
                if state.in_flight > 0 {
                    now + self.idle_timeout
                } else if state.requests == 0 {
                    state.last_change + self.first_request_timeout
                } else {
                    state.last_change + self.idle_timeout
                }
            };
            if due <= now {
                return true;
            }
            self.deadline.as_mut().reset(due);
        }
    }
}

impl Drop for IdleWatch {
    fn drop(&mut self) {
        let mut conns = self.activity.lock();
        let last = {
            let mut state = self.conn.lock();
            state.watchers = state.watchers.saturating_sub(1);
            state.watchers == 0
        };
        if last && conns.get(&self.peer).is_some_and(|conn| Arc::ptr_eq(conn, &self.conn)) {
            conns.remove(&self.peer);
        }
    }
}

/// The layer that tells [`Activity`] about requests.
#[derive(Clone, Debug)]
pub(crate) struct TrackRequestsLayer(pub(crate) Arc<Activity>);

impl<S> tower::Layer<S> for TrackRequestsLayer {
    type Service = TrackRequests<S>;

    fn layer(&self, inner: S) -> Self::Service {
        TrackRequests { inner, activity: Arc::clone(&self.0) }
    }
}

/// See [`TrackRequestsLayer`].
#[derive(Clone, Debug)]
pub(crate) struct TrackRequests<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S, B> tower::Service<http::Request<B>> for TrackRequests<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<Body>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let in_flight = peer_of(&request).and_then(|peer| self.activity.begin_request(peer));
        let response = self.inner.call(request);
        Box::pin(async move {
            let response = response.await?;
            Ok(match in_flight {
                // The guard goes with the body, so a streamed answer keeps its connection busy until it is sent.
                Some(in_flight) => response.map(|body| {
                    Body::new(body.map_frame(move |frame| {
                        let _busy = &in_flight;
                        frame
                    }))
                }),
                None => response,
            })
        })
    }
}

/// The peer address tonic put in the request (behind TLS, or plain TCP in tests).
fn peer_of<B>(request: &http::Request<B>) -> Option<SocketAddr> {
    let extensions = request.extensions();
    extensions
        .get::<TlsConnectInfo<TcpConnectInfo>>()
        .and_then(|info| info.get_ref().remote_addr())
        .or_else(|| extensions.get::<TcpConnectInfo>().and_then(TcpConnectInfo::remote_addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two connections that claim one address (relayed for one client by two standbys) are watched as one: a
    /// request on either counts for both, and the state stays until the last of them closes. Before, the second
    /// one's state replaced the first's, whose requests then counted for nothing: it was closed while it worked.
    #[tokio::test]
    async fn two_connections_claiming_one_address_share_their_requests() {
        let activity = Arc::new(Activity::default());
        let peer: SocketAddr = "198.51.100.9:5000".parse().expect("address");
        let (first_request, idle) = (Duration::from_secs(20), Duration::from_secs(300));
        let first = activity.watch(peer, first_request, idle);
        let second = activity.watch(peer, first_request, idle);

        let busy = activity.begin_request(peer).expect("a watched address");
        let (in_flight, requests) = {
            let state = first.conn.lock();
            (state.in_flight, state.requests)
        };
        assert_eq!((in_flight, requests), (1, 1), "the first sees it");
        assert_eq!(second.conn.lock().in_flight, 1, "and the second");
        drop(busy);
        drop(second);
        let busy = activity.begin_request(peer).expect("still watched while the first is open");
        assert_eq!(first.conn.lock().requests, 2);
        drop(busy);
        drop(first);
        assert!(activity.begin_request(peer).is_none(), "forgotten with the last connection");
        let again = activity.watch(peer, first_request, idle);
        assert_eq!(again.conn.lock().requests, 0, "a new connection starts afresh");
    }
}
