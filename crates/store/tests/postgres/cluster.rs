//! A throwaway PostgreSQL cluster of a test's own, made, started and stopped by `.ci/postgres` (initdb in a temporary
//! directory owned by the postgres user, a free port, 127.0.0.1 only). Shared by the store's TLS tests and the
//! end-to-end tests (`tests/postgres.rs`), which include this file by `#[path]`: the two test crates share no crate
//! that could hold it, and the end-to-end tests reaching down into the store's is the way the layers already point.

// Test helpers panic on what they cannot use, as the tests themselves do.
#![allow(clippy::unwrap_used)]

use std::{
    path::{Path, PathBuf},
    process::Command,
};

/// `.ci/postgres`, found above the including crate's directory (the store's and the end-to-end tests' differ).
pub(crate) fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join(".ci/postgres"))
        .find(|script| script.is_file())
        .expect(".ci/postgres above the crate's directory")
}

/// A cluster of the test's own, stopped when dropped.
pub(crate) struct Cluster {
    /// The temporary directory; the cluster itself is in its `pg` (`Cluster::pg_dir`).
    pub(crate) dir: tempfile::TempDir,
    /// Its address, `postgresql://postgres@HOST:PORT/postgres`.
    pub(crate) url: String,
}

impl Cluster {
    /// A new cluster, with TLS on when `tls` holds a server certificate and its key (PEM; the address then names
    /// `localhost`), or `None` (and why, printed) where PostgreSQL is not installed.
    pub(crate) fn start(tls: Option<(&str, &str)>) -> Option<Cluster> {
        let installed = std::fs::read_dir("/usr/lib/postgresql").is_ok_and(|mut d| d.next().is_some());
        if !installed {
            assert!(
                std::env::var_os("COFFRE_REQUIRE_POSTGRES").is_none(),
                "COFFRE_REQUIRE_POSTGRES is set but PostgreSQL is not installed (.ci/postgres installs it)"
            );
            eprintln!("PostgreSQL is not installed here: skipped");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let mut command = Command::new(script());
        match tls {
            None => command.arg("start").arg(dir.path().join("pg")),
            Some((cert, key)) => {
                let (cert_file, key_file) = (dir.path().join("server.pem"), dir.path().join("server.key"));
                std::fs::write(&cert_file, cert).unwrap();
                std::fs::write(&key_file, key).unwrap();
                command.arg("start-tls").arg(dir.path().join("pg")).arg(&cert_file).arg(&key_file)
            }
        };
        let out = command.output().unwrap();
        assert!(out.status.success(), "the cluster starts: {}", String::from_utf8_lossy(&out.stderr));
        let line = String::from_utf8(out.stdout).unwrap();
        let url = line.trim().trim_start_matches("export COFFRE_TEST_POSTGRES=").to_string();
        Some(Cluster { dir, url })
    }

    /// The cluster's own directory (its data, log, port and Unix socket), as `.ci/postgres` is given it.
    pub(crate) fn pg_dir(&self) -> PathBuf {
        self.dir.path().join("pg")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("stop").arg(self.pg_dir()).output();
    }
}
