//! The `coffred` binary itself: configuration precedence including the environment (which a unit test cannot set
//! without `unsafe`), refusal of unknown keys, the startup lines on stdout, a graceful stop on SIGTERM, and the
//! sd_notify messages systemd waits for.

use std::{
    io::{BufRead as _, BufReader},
    path::Path,
    process::{Command, Output, Stdio},
};

const VARS: [&str; 8] = [
    "COFFRE_CONFIG",
    "COFFRE_DATA_DIR",
    "COFFRE_LISTEN",
    "COFFRE_TLS_CERT",
    "COFFRE_TLS_KEY",
    "COFFRE_LOG",
    "COFFRE_TEST_CLOCK_FILE",
    // A test run under systemd must not have its daemons notify the real service manager.
    "NOTIFY_SOCKET",
];

/// `coffred` with none of its environment variables inherited from the test's environment.
fn coffred() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_coffred"));
    for var in VARS {
        command.env_remove(var);
    }
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("coffred runs")
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "coffred failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

fn write_config(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("coffred.toml");
    std::fs::write(&path, text).expect("written");
    path
}

#[test]
fn flags_beat_environment_beat_file_beat_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        dir.path(),
        "data_dir = \"/from/file\"\nlisten = \"127.0.0.1:9000\"\nmax_connections = 7\n[kdf]\nmemory_kib = 8192\n",
    );
    let shown = stdout(&run(coffred()
        .args(["show-config", "--data-dir", "/from/flag"])
        .env("COFFRE_CONFIG", &config)
        .env("COFFRE_DATA_DIR", "/from/env")
        .env("COFFRE_LISTEN", "127.0.0.1:9100")));
    assert!(shown.contains("data_dir = \"/from/flag\""), "{shown}");
    assert!(shown.contains("listen = \"127.0.0.1:9100\""), "{shown}");
    assert!(shown.contains("max_connections = 7"), "{shown}");
    assert!(shown.contains("memory_kib = 8192"), "{shown}");
    assert!(shown.contains("iterations = 3"), "{shown}");

    let shown = stdout(&run(coffred().arg("show-config").arg("--config").arg(&config)));
    assert!(shown.contains("data_dir = \"/from/file\""), "{shown}");
    assert!(shown.contains("listen = \"127.0.0.1:9000\""), "{shown}");

    let shown = stdout(&run(coffred().args(["show-config", "--data-dir", "/d"])));
    assert!(shown.contains("listen = \"127.0.0.1:7443\""), "{shown}");
    assert!(shown.contains("max_connections = 1024"), "{shown}");
}

#[test]
fn an_unknown_key_stops_coffred_with_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), "[tls]\nhostname = [\"vault.example.org\"]\n");
    let output = run(coffred().arg("--config").arg(&config).arg("show-config"));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown field `hostname`"), "{stderr}");
    assert!(stderr.contains("coffred.toml"), "{stderr}");
}

#[test]
fn coffred_prints_its_startup_lines_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let mut child = coffred()
        .arg("--data-dir")
        .arg(&data)
        .args(["--listen", "127.0.0.1:0"])
        .env("COFFRE_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("coffred starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut line = || lines.next().expect("a startup line").expect("UTF-8");

    assert_eq!(line(), format!("coffred: data directory {}", data.display()));
    let ca_path = data.join("tls").join("ca.pem");
    let fingerprint = coffre_server::tls::fingerprint_pem(&std::fs::read(&ca_path).expect("ca.pem")).expect("a cert");
    assert_eq!(line(), format!("coffred: CA certificate {}, SHA-256 fingerprint {fingerprint}", ca_path.display()));
    let listening = line();
    let addr = listening.strip_prefix("coffred: listening on https://").expect("the listening line");
    let addr: std::net::SocketAddr = addr.parse().expect("IP:PORT");
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    assert_ne!(addr.port(), 0, "the actual port, not the requested 0");
    std::net::TcpStream::connect(addr).expect("accepting connections");

    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("SIGTERM sent");
    let output = child.wait_with_output().expect("coffred exits");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("coffred stopped"), "{stderr}");
}

#[test]
fn a_test_clock_is_announced_loudly_and_a_missing_one_stops_the_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = dir.path().join("clock");
    let missing = run(coffred()
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["--listen", "127.0.0.1:0"])
        .env("COFFRE_TEST_CLOCK_FILE", &clock));
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("COFFRE_TEST_CLOCK_FILE"), "{missing:?}");

    std::fs::write(&clock, "1800000000000").expect("written");
    let mut child = coffred()
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["--listen", "127.0.0.1:0"])
        .env("COFFRE_TEST_CLOCK_FILE", &clock)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("coffred starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("UTF-8");
    assert!(first.starts_with("coffred: WARNING: the time comes from the test clock file"), "{first}");
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("SIGTERM sent");
    assert!(child.wait().expect("exits").success());
}

#[test]
fn coffred_tells_systemd_when_it_is_ready_and_when_it_stops() {
    // deploy/coffred.service is Type=notify: systemd waits for READY=1 (sd_notify(3)) on the datagram socket it
    // names in NOTIFY_SOCKET, and counts the service started only then.
    let dir = tempfile::tempdir().expect("tempdir");
    let socket_path = dir.path().join("notify.sock");
    let socket = std::os::unix::net::UnixDatagram::bind(&socket_path).expect("a notify socket");
    // Not a wait for something to happen: a bound on how long a broken daemon can hang the test.
    socket.set_read_timeout(Some(std::time::Duration::from_secs(120))).expect("a read timeout");
    let mut child = coffred()
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["--listen", "127.0.0.1:0"])
        .env("NOTIFY_SOCKET", &socket_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("coffred starts");
    let mut message = [0u8; 1024];

    let n = socket.recv(&mut message).expect("READY=1 arrives");
    let ready = String::from_utf8_lossy(&message[..n]).into_owned();
    assert!(ready.starts_with("READY=1\nSTATUS=coffred: listening on https://127.0.0.1:"), "{ready}");
    // Ready means listening: the startup lines, the last of them the address, were printed before.
    let lines: Vec<String> =
        BufReader::new(child.stdout.take().expect("stdout")).lines().take(3).map(|line| line.expect("UTF-8")).collect();
    let addr = lines[2].strip_prefix("coffred: listening on https://").expect("the listening line");
    std::net::TcpStream::connect(addr).expect("accepting connections");

    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("SIGTERM sent");
    let n = socket.recv(&mut message).expect("STOPPING=1 arrives");
    assert_eq!(&message[..n], b"STOPPING=1\n");
    let output = child.wait_with_output().expect("coffred exits");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}
