//! The daemon under test: a real `coffred` process on a loopback port, in a directory of the bench's own.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};

/// What a daemon's configuration has besides the bench's usual.
#[derive(Default)]
pub(crate) struct Extra {
    /// `[relay] listen` on this loopback port, taken from 127.0.0.1.
    pub(crate) relay_port: Option<u16>,
    /// A standby of the daemon on this data directory's schema.
    pub(crate) standby_of: Option<PathBuf>,
}

/// A running `coffred` started by the bench.
pub(crate) struct Daemon {
    child: Child,
    /// `https://127.0.0.1:PORT`.
    pub(crate) url: String,
    /// The CA certificate the daemon made for itself, to pin.
    pub(crate) ca_pem: Vec<u8>,
    /// When the process was spawned.
    pub(crate) spawned: Instant,
}

impl Daemon {
    /// Starts `coffred` with its default configuration (but for the connections per address) on `data_dir`, on
    /// `listen` (a free port when it ends in `:0`), and waits for the line that says it listens.
    /// Its log (warnings and errors) goes to `DATA_DIR.log`, shown when it fails to start.
    pub(crate) fn start(coffred: &Path, data_dir: &Path, listen: &str) -> Result<Daemon> {
        Self::start_with(coffred, data_dir, listen, &Extra::default())
    }

    /// As [`Daemon::start`], with more configuration: `[relay]`, or a standby of another daemon's schema (returned
    /// once it relays to that daemon, with `url` its own address).
    pub(crate) fn start_with(coffred: &Path, data_dir: &Path, listen: &str, extra: &Extra) -> Result<Daemon> {
        let log_path = data_dir.with_extension("log");
        let log = std::fs::File::create(&log_path).with_context(|| format!("cannot write {}", log_path.display()))?;
        // Every simulated client connects from this machine's one address: lift the per-address connection limit
        // (64 by default) above the most clients a phase opens. Everything else stays at its default.
        let config_path = data_dir.with_extension("toml");
        // With --backend postgres, a schema of its own (crate::postgres).
        let schema_of = extra.standby_of.as_deref().unwrap_or(data_dir);
        let mut config = format!("[connections]\nper_address = 1024\n{}", crate::postgres::storage_section(schema_of));
        if extra.standby_of.is_some() {
            config.push_str("standby = true\n");
        }
        if let Some(port) = extra.relay_port {
            config.push_str(&format!("[relay]\nlisten = \"127.0.0.1:{port}\"\nfrom = [\"127.0.0.1\"]\n"));
        }
        std::fs::write(&config_path, config).with_context(|| format!("cannot write {}", config_path.display()))?;
        let spawned = Instant::now();
        let mut child = Command::new(coffred)
            .arg("--config")
            .arg(&config_path)
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--listen")
            .arg(listen)
            // Warnings and errors, unless COFFRE_BENCH_DAEMON_LOG asks for more (to see where a phase's time goes).
            .env("COFFRE_LOG", std::env::var("COFFRE_BENCH_DAEMON_LOG").unwrap_or_else(|_| "warn".into()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| {
                format!("cannot start {}: build it with `cargo build -p coffre-server`", coffred.display())
            })?;
        let stdout = child.stdout.take().context("coffred's standard output was not captured")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        if extra.standby_of.is_some() {
            // A standby says it stands by; it listens once it has read where the serving daemon takes relayed
            // connections (every second).
            let deadline = Instant::now() + Duration::from_secs(60);
            while std::net::TcpStream::connect(listen).is_err() {
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                    bail!("the standby coffred did not relay within 60 s; its log:\n{log}");
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let ca_pem = Vec::new();
            return Ok(Daemon { child, url: format!("https://{listen}"), ca_pem, spawned });
        }
        let url = loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("coffred: listening on ") {
                        break url.to_owned();
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                    bail!("coffred did not say it was listening within 60 s; its log:\n{log}");
                }
            }
        };
        let ca_path = data_dir.join("tls").join("ca.pem");
        let ca_pem = std::fs::read(&ca_path).with_context(|| format!("cannot read {}", ca_path.display()))?;
        Ok(Daemon { child, url, ca_pem, spawned })
    }

    /// The process id, for reading its memory use.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the daemon with SIGTERM (a graceful shutdown) and waits for it.
    pub(crate) fn stop(mut self) -> Result<()> {
        terminate(&mut self.child)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = terminate(&mut self.child);
    }
}

fn terminate(child: &mut Child) -> Result<()> {
    if child.try_wait()?.is_some() {
        return Ok(());
    }
    if let Some(pid) = rustix::process::Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX)) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if child.try_wait()?.is_some() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().context("coffred did not stop on SIGTERM within 10 s and could not be killed")?;
    child.wait()?;
    Ok(())
}

/// Resident memory of a process, from /proc: (now, peak), in bytes.
pub(crate) fn memory(pid: u32) -> Result<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).context("cannot read /proc/PID/status")?;
    let field = |name: &str| -> Result<u64> {
        let line = status.lines().find(|l| l.starts_with(name)).with_context(|| format!("no {name} in /proc"))?;
        let kib: u64 = line[name.len()..].trim().trim_end_matches("kB").trim().parse()?;
        Ok(kib * 1024)
    };
    Ok((field("VmRSS:")?, field("VmHWM:")?))
}

/// The `coffred` next to this executable (cargo puts every binary of the workspace in one directory).
pub(crate) fn sibling_coffred() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find the bench's own executable")?;
    Ok(exe.with_file_name("coffred"))
}

/// CPU time (user and system) a process has used so far, in seconds, from /proc/PID/stat.
pub(crate) fn cpu_seconds(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).context("cannot read /proc/PID/stat")?;
    // The command name (field 2) may hold spaces; the fields after it are counted from its closing parenthesis.
    let rest = stat.rsplit_once(')').map(|(_, rest)| rest).context("unexpected /proc/PID/stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| -> Result<f64> { Ok(fields.get(i).context("short /proc/PID/stat")?.parse::<f64>()?) };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    let hz = rustix::param::clock_ticks_per_second() as f64;
    Ok((ticks(11)? + ticks(12)?) / hz)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cpu_time_and_memory_of_this_process_are_read_from_proc() {
        let pid = std::process::id();
        let cpu = super::cpu_seconds(pid).expect("cpu time");
        assert!(cpu.is_finite() && cpu >= 0.0);
        let (rss, peak) = super::memory(pid).expect("memory");
        assert!(rss > 0 && peak >= rss);
    }
}
