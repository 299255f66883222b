//! A standby's relay (`[relay]`, docs/ha.md, "Relaying standbys"). While another coffred serves the vault and says
//! in the database where it takes relayed connections, a standby with `[relay]` listens on its clients' address like
//! any coffred and passes each connection on to that place, bytes as they are, behind a PROXY protocol (version 2)
//! header naming the client. The client's TLS session is with the serving coffred, end to end: the relay sees only
//! ciphertext, holds no key and decides nothing, and the serving coffred applies its limits, back-off and audit to
//! the client named. So a person, or a load balancer, may use either coffred.
//!
//! The relay listens only while there is somewhere to relay to: a standby whose serving coffred takes no relayed
//! connections stays silent, as before, so that a load balancer's health check sends nobody to it. It stops when
//! the standby takes the vault over (the serving coffred is gone), before that one listens on the same address.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::{
    io::AsyncWriteExt as _,
    net::{TcpListener, TcpStream},
    sync::Semaphore,
    task::{JoinHandle, JoinSet},
};

use crate::{config::Connections, incoming::PerAddress};

/// How long a relay waits for the serving coffred to take a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// TCP keepalive on both sides of a relayed connection: first probe after this much silence, ...
const KEEPALIVE_IDLE: Duration = Duration::from_secs(30);
/// ... then one every this often, ...
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
/// ... and the connection is dropped after this many go unanswered. The relay decides nothing and reads no request,
/// so it cannot time a connection out itself; without probes, a side that vanished without a word (a network cut,
/// a machine powered off) would hold the connection and its place here for as long as the other side is silent.
const KEEPALIVE_RETRIES: u32 = 3;

/// A standby's relay, listening or not.
pub struct Relay {
    listen: SocketAddr,
    limits: Connections,
    /// Where connections go now: the serving coffred's `[relay] advertise`, as the database says.
    target: Arc<Mutex<Option<String>>>,
    /// The accepting task, while listening; it owns every relayed connection's task.
    running: Option<JoinHandle<()>>,
    /// Whether the target named this relay's own address last time (said once in the log).
    looped: bool,
    /// Whether the last try to listen failed (said once in the log, and again once it works).
    unbound: bool,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay").field("listen", &self.listen).field("listening", &self.running.is_some()).finish()
    }
}

impl Relay {
    /// A relay for the clients' address `listen`, under the same connection limits as the daemon's; not listening
    /// yet.
    pub fn new(listen: SocketAddr, limits: Connections) -> Self {
        Self { listen, limits, target: Arc::default(), running: None, looped: false, unbound: false }
    }

    /// Relays to `target` from now on (the serving coffred's relay address, as the standby's last announcement read
    /// it), listening if it was not; `None` stops listening. A port that cannot be bound is said in the log and
    /// tried again at the next call.
    pub async fn follow(&mut self, target: Option<String>) {
        // Its own address would relay each connection to itself, and again, until the limits stop it.
        let target = target.filter(|target| {
            let own = self.listen.to_string() == *target;
            if own && !self.looped {
                tracing::warn!(
                    %target,
                    "the serving coffred says it takes relayed connections on this standby's own address; not relaying \
                     (check [relay] advertise on the serving coffred)"
                );
            }
            self.looped = own;
            !own
        });
        let listening = self.listening();
        *self.target.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = target.clone();
        match (target, listening) {
            (None, true) => self.stop().await,
            (Some(target), false) => match TcpListener::bind(self.listen).await {
                Ok(listener) => {
                    self.unbound = false;
                    tracing::info!(listen = %self.listen, %target, "relaying clients to the serving coffred");
                    self.running = Some(tokio::spawn(accept(listener, Arc::clone(&self.target), self.limits.clone())));
                }
                Err(err) if !self.unbound => {
                    self.unbound = true;
                    tracing::warn!(
                        listen = %self.listen,
                        error = %err,
                        "cannot listen to relay clients (an address only the serving machine holds, such as a moved \
                         one, cannot be relayed from); trying again every second"
                    );
                }
                Err(_) => {}
            },
            _ => {}
        }
    }

    /// Stops listening and closes every relayed connection; the address is free when this returns.
    pub async fn stop(&mut self) {
        if let Some(task) = self.running.take() {
            task.abort();
            let _ = task.await;
            tracing::info!(listen = %self.listen, "stopped relaying clients");
        }
    }

    /// Whether this relay listens now.
    pub fn listening(&self) -> bool {
        self.running.as_ref().is_some_and(|task| !task.is_finished())
    }
}

/// Accepts clients within the limits (at most `limits.max` at once, `limits.max_per_address` from one address) and
/// relays each on a task of its own, which ends with this one.
async fn accept(listener: TcpListener, target: Arc<Mutex<Option<String>>>, limits: Connections) {
    let permits = Arc::new(Semaphore::new(limits.max));
    let per_address = Arc::new(PerAddress::default());
    let mut relayed = JoinSet::new();
    loop {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else { return };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            // Finished connections are reaped as they end, so the set stays as small as what is open.
            Some(_) = relayed.join_next(), if !relayed.is_empty() => continue,
        };
        let (client, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(err) => {
                tracing::debug!(error = %err, "cannot accept a client to relay");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Some(slot) = per_address.take(coffre_vault::address_key(&peer.to_string()), limits.max_per_address) else {
            tracing::debug!(%peer, "too many connections from this address; closing the new one");
            continue;
        };
        let Some(to) = target.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone() else { continue };
        relayed.spawn(async move {
            if let Err(err) = relay(client, peer, &to).await {
                tracing::debug!(%peer, target = %to, error = %err, "a relayed connection ended");
            }
            drop((slot, permit));
        });
    }
}

/// Passes `client`'s connection to `to`, behind a header naming `peer`, until either side closes it.
async fn relay(mut client: TcpStream, peer: SocketAddr, to: &str) -> std::io::Result<()> {
    let mut server = match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(to)).await {
        Ok(connected) => connected?,
        Err(_) => return Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "the serving coffred did not answer")),
    };
    for side in [&client, &server] {
        let _ = side.set_nodelay(true);
        if let Err(err) = keep_alive(side) {
            tracing::debug!(error = %err, "cannot set TCP keepalive on a relayed connection");
        }
    }
    let local = client.local_addr()?;
    server.write_all(&crate::incoming::proxy_header(peer, local)).await?;
    tokio::io::copy_bidirectional(&mut client, &mut server).await.map(drop)
}

/// Asks the kernel to probe `stream` when it is silent and to end it when the other side is gone
/// ([`KEEPALIVE_IDLE`]).
fn keep_alive(stream: &TcpStream) -> std::io::Result<()> {
    let probes = socket2::TcpKeepalive::new()
        .with_time(KEEPALIVE_IDLE)
        .with_interval(KEEPALIVE_INTERVAL)
        .with_retries(KEEPALIVE_RETRIES);
    socket2::SockRef::from(stream).set_tcp_keepalive(&probes)
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    use super::*;

    /// A free loopback port (bound, then let go: the relay binds it again).
    async fn free_port() -> SocketAddr {
        TcpListener::bind("127.0.0.1:0").await.expect("bind").local_addr().expect("address")
    }

    /// The relay listens only while it has somewhere to relay to, passes each client's bytes both ways behind a
    /// header naming that client, follows the serving coffred when it changes, and lets the address go when told
    /// to stop (the standby then listens on it itself).
    #[tokio::test]
    async fn a_relay_listens_while_it_has_a_target_and_passes_the_client_on_named() {
        let listen = free_port().await;
        let mut relay = Relay::new(listen, Connections::default());
        relay.follow(None).await;
        assert!(!relay.listening());
        assert!(TcpStream::connect(listen).await.is_err(), "nobody listens without a serving coffred to relay to");

        let serving = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        relay.follow(Some(serving.local_addr().expect("address").to_string())).await;
        assert!(relay.listening());
        let mut client = TcpStream::connect(listen).await.expect("the relay listens");
        client.write_all(b"hello").await.expect("written");
        let (mut relayed, _) = serving.accept().await.expect("relayed");
        let named = crate::incoming::read_proxy_header(&mut relayed).await.expect("a header");
        assert_eq!(named, client.local_addr().expect("address"), "the header names the client");
        let mut hello = [0_u8; 5];
        relayed.read_exact(&mut hello).await.expect("the client's bytes");
        assert_eq!(&hello, b"hello");
        relayed.write_all(b"back").await.expect("written");
        let mut back = [0_u8; 4];
        client.read_exact(&mut back).await.expect("the server's bytes");
        assert_eq!(&back, b"back");

        // Another serving coffred: new connections go there.
        let next = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        relay.follow(Some(next.local_addr().expect("address").to_string())).await;
        let second = TcpStream::connect(listen).await.expect("the relay listens");
        let (mut relayed_next, _) = next.accept().await.expect("relayed to the new one");
        assert_eq!(
            crate::incoming::read_proxy_header(&mut relayed_next).await.expect("a header"),
            second.local_addr().expect("address")
        );

        // Stopped: the open connections close, and the address is free at once.
        relay.stop().await;
        let mut end = [0_u8; 1];
        assert!(matches!(client.read(&mut end).await, Ok(0) | Err(_)), "closed with the relay");
        TcpListener::bind(listen).await.expect("the address is free for the coffred that takes over");
    }

    /// A relay told to relay to its own address (a serving coffred's `[relay] advertise` naming the standby's client
    /// address) does not listen, rather than relay each connection to itself until its limits stop it.
    #[tokio::test]
    async fn a_relay_never_relays_to_its_own_address() {
        let listen = free_port().await;
        let mut relay = Relay::new(listen, Connections::default());
        relay.follow(Some(listen.to_string())).await;
        assert!(!relay.listening());
        assert!(TcpStream::connect(listen).await.is_err());
    }

    /// A serving coffred that does not answer: the client's connection is closed, nothing else is disturbed.
    #[tokio::test]
    async fn a_target_that_does_not_answer_closes_the_clients_connection() {
        let listen = free_port().await;
        let gone = free_port().await;
        let mut relay = Relay::new(listen, Connections::default());
        relay.follow(Some(gone.to_string())).await;
        let mut client = TcpStream::connect(listen).await.expect("the relay listens");
        let mut end = [0_u8; 1];
        assert!(matches!(client.read(&mut end).await, Ok(0) | Err(_)), "closed");
        assert!(relay.listening(), "the relay goes on for the next client");
        relay.stop().await;
    }

    /// Both sides of a relayed connection are probed when silent, so that one gone without a word (a network cut)
    /// ends the connection and frees its place.
    #[tokio::test]
    async fn relayed_connections_are_probed_when_silent() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let stream = TcpStream::connect(listener.local_addr().expect("address")).await.expect("connect");
        let socket = socket2::SockRef::from(&stream);
        assert!(!socket.keepalive().expect("read"), "off by default: the relay must ask");
        keep_alive(&stream).expect("set");
        assert!(socket.keepalive().expect("read"));
        assert_eq!(socket.tcp_keepalive_time().expect("read"), KEEPALIVE_IDLE);
        assert_eq!(socket.tcp_keepalive_interval().expect("read"), KEEPALIVE_INTERVAL);
        assert_eq!(socket.tcp_keepalive_retries().expect("read"), KEEPALIVE_RETRIES);
    }
}
