//! What a PostgreSQL client error means for the engine: the database out of reach for now
//! ([`StoreError::Unavailable`]: nothing was done, try again), a TLS handshake refused ([`StoreError::Tls`]), or
//! an operation that failed for a reason of its own ([`StoreError::Database`]: a refusal by the server, or a
//! client-side error such as a value that does not convert, which no retry will cure).
//!
//! tokio-postgres 0.7 has no public error kind; the classification reads its public API: `is_closed()`,
//! `as_db_error()` (the server's SQLSTATE), and the `std::io::Error` a failure of the connection itself carries as
//! its source.

use std::error::Error as _;

use crate::{StoreError, postgres_tls::tls_failure};

/// A column that does not decode (the table changed behind coffred's back): damage to report, never a panic.
pub(crate) fn decode_error(op: &'static str) -> impl Fn(tokio_postgres::Error) -> StoreError {
    move |e| StoreError::Database { op, detail: detail(&e) }
}

/// A failed operation or connection, classified.
pub(crate) fn db_error(op: &'static str) -> impl Fn(tokio_postgres::Error) -> StoreError {
    move |e| {
        if let Some(detail) = tls_failure(&e) {
            StoreError::Tls { op, detail }
        } else if out_of_reach(&e) {
            StoreError::Unavailable { op, detail: detail(&e) }
        } else {
            StoreError::Database { op, detail: detail(&e) }
        }
    }
}

/// A connection the pool could not give: it waited too long, or its new connection failed (classified as the
/// writer's own are: a TLS refusal is not "try later").
pub(crate) fn pool_error(op: &'static str) -> impl Fn(deadpool_postgres::PoolError) -> StoreError {
    move |e| match e {
        deadpool_postgres::PoolError::Backend(e) => db_error(op)(e),
        e => StoreError::Unavailable { op, detail: e.to_string() },
    }
}

/// Whether `e` is the database out of reach for now, rather than an operation that failed: a connection closed,
/// refused, reset or timed out (an I/O error, a name that does not resolve), or the server answering that it is
/// shutting down or out of resources (SQLSTATE classes 08, 53, 57, 58), read-only (a standby, or one in recovery:
/// 25006), or that the transaction is to be retried (class 40).
fn out_of_reach(e: &tokio_postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        return ["08", "53", "57", "58", "40"].iter().any(|class| code.starts_with(class)) || code == "25006";
    }
    match e.source().and_then(|source| source.downcast_ref::<std::io::Error>()) {
        // tokio-postgres reports a message it cannot encode, or one from the server it cannot parse, as an I/O
        // error of kind InvalidInput or InvalidData: a fault of that message, not of the connection.
        Some(io) => !matches!(io.kind(), std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData),
        // Its own time limit has no source; everything else without an I/O cause (a parameter or a column that
        // does not convert, a bad configuration, an authentication refused) is not cured by waiting.
        None => e.to_string() == "timeout waiting for server",
    }
}

/// The error and its causes on one line: tokio-postgres' own message says only "db error" or "error connecting to
/// server", the server's message or the socket's error is in its source. Never a value: the engine's records are
/// sealed and their keys random or keyed ids.
fn detail(e: &tokio_postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use std::str::FromStr as _;

    use super::*;

    /// A client-side error (here, an address that does not parse) is not the database being out of reach: waiting
    /// will not cure it. It used to count as unavailable, as every error without a server's SQLSTATE did.
    #[test]
    fn a_client_side_error_is_a_database_error_not_unavailable() {
        let e = tokio_postgres::Config::from_str("port=not-a-number").map(drop).expect_err("not an address");
        let classified = db_error("connect")(e);
        assert!(matches!(classified, StoreError::Database { .. }), "{classified}");
    }

    /// A value of the wrong type for its parameter fails in the client, before anything is sent.
    #[test]
    fn a_parameter_that_does_not_convert_is_a_database_error_not_unavailable() {
        let url = match std::env::var("COFFRE_TEST_POSTGRES") {
            Ok(url) if !url.is_empty() => url,
            _ => {
                assert!(std::env::var_os("COFFRE_REQUIRE_POSTGRES").is_none(), "COFFRE_TEST_POSTGRES is required");
                eprintln!("no PostgreSQL to test against (COFFRE_TEST_POSTGRES is not set): skipped");
                return;
            }
        };
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        let e = rt.block_on(async {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connect");
            tokio::spawn(connection);
            client.query("SELECT $1::bytea", &[&"text, not bytes"]).await.expect_err("a string is not bytea")
        });
        let classified = db_error("get")(e);
        assert!(matches!(classified, StoreError::Database { .. }), "{classified}");
    }

    /// A server that is not there, or that went away, is out of reach, and says why.
    #[test]
    fn a_connection_refused_is_unavailable_and_says_why() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        let port = listener.local_addr().expect("its address").port();
        drop(listener);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        let e = rt
            .block_on(tokio_postgres::connect(&format!("host=127.0.0.1 port={port} user=x"), tokio_postgres::NoTls))
            .map(drop)
            .expect_err("nothing listens");
        let classified = db_error("connect")(e);
        assert!(matches!(classified, StoreError::Unavailable { .. }), "{classified}");
        assert!(classified.to_string().to_lowercase().contains("refused"), "the socket's own error: {classified}");
    }
}
