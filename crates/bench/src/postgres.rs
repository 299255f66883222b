//! `--backend postgres`: every daemon the bench starts keeps its records in PostgreSQL — the server at
//! `--storage-url`, or a throwaway cluster the bench starts itself (Debian's postgresql: `initdb` and `pg_ctl` from
//! `/usr/lib/postgresql/*/bin`, in a temporary directory, on 127.0.0.1, fsync and synchronous commit on, as the
//! `postgres` user when run as root), stopped when the bench ends.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

use anyhow::{Context as _, Result, bail};

/// The server's address, once chosen; `None`: sled.
static URL: OnceLock<Option<String>> = OnceLock::new();

/// The `[storage]` section for a daemon on `data_dir` (a schema of its own), or nothing on sled.
pub(crate) fn storage_section(data_dir: &Path) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    match URL.get().and_then(Option::as_ref) {
        Some(url) => {
            let mut hasher = DefaultHasher::new();
            data_dir.hash(&mut hasher);
            format!("[storage]\nbackend = \"postgres\"\nurl = \"{url}\"\nschema = \"b_{:016x}\"\n", hasher.finish())
        }
        None => String::new(),
    }
}

/// Whether the daemons keep their records in PostgreSQL.
pub(crate) fn on_postgres() -> bool {
    URL.get().is_some_and(Option::is_some)
}

/// A cluster the bench started.
pub(crate) struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_postgres(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "fast", "-w", "stop"])
            .output();
    }
}

fn as_postgres(program: &Path) -> Command {
    if rustix::process::getuid().is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// Chooses the backend: sled, the server at `url`, or (postgres without a URL) a cluster of the bench's own.
pub(crate) fn choose(backend: &str, url: Option<String>) -> Result<Option<Cluster>> {
    match (backend, url) {
        ("sled", None) => {
            let _ = URL.set(None);
            Ok(None)
        }
        ("sled", Some(_)) => bail!("--storage-url is for --backend postgres"),
        ("postgres", Some(url)) => {
            let _ = URL.set(Some(url));
            Ok(None)
        }
        ("postgres", None) => {
            let (cluster, url) = start()?;
            let _ = URL.set(Some(url));
            Ok(Some(cluster))
        }
        (other, _) => bail!("--backend {other}: choose sled or postgres"),
    }
}

fn start() -> Result<(Cluster, String)> {
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .context("PostgreSQL is not installed (apt-get install postgresql), or give --storage-url")?
        .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("pg_ctl").exists())
        .max()
        .context("no pg_ctl under /usr/lib/postgresql/*/bin")?;
    let dir = tempfile::Builder::new().prefix("coffre-bench-pg-").tempdir().context("a temporary directory")?;
    let root = rustix::process::getuid().is_root();
    if root {
        // The postgres user must reach and own the cluster's directory.
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))?;
        let status = Command::new("chown").arg("postgres:postgres").arg(dir.path()).status()?;
        anyhow::ensure!(status.success(), "cannot give {} to the postgres user", dir.path().display());
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let data = dir.path().join("data");
    let run = |command: &mut Command, what: &str| -> Result<()> {
        let out = command.output().with_context(|| format!("cannot run {what}"))?;
        anyhow::ensure!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
        Ok(())
    };
    run(
        as_postgres(&bin.join("initdb")).arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "--no-instructions",
        ]),
        "initdb",
    )?;
    let options = format!(
        "-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={} -c max_connections=200",
        dir.path().display()
    );
    let cluster = Cluster { dir, bin: bin.clone() };
    run(
        as_postgres(&bin.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(cluster.dir.path().join("log"))
            .args(["-w", "-o", &options, "start"]),
        "pg_ctl start",
    )?;
    Ok((cluster, format!("postgresql://postgres@127.0.0.1:{port}/postgres")))
}
