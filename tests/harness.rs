//! Harness for the end-to-end tests: builds the real `coffred` and `coffre` binaries (with `cargo build`), starts the daemon on
//! 127.0.0.1:0 with TLS in a temporary data directory, and runs the client against it in a process of its own,
//! with its configuration passed through the environment (COFFRE_SERVER, COFFRE_CA, COFFRE_SESSION) and a private
//! home directory, so nothing of the machine's own user leaks in or out.
//!
//! Nothing here sleeps: the daemon is ready when it prints the line with its address. Every daemon runs on a test
//! clock (`COFFRE_TEST_CLOCK_FILE`, honoured by debug builds only) that starts at the real time and moves only when
//! a test advances it; second-factor codes are computed here from each person's otpauth URI at that clock's time.

#![allow(clippy::unwrap_used, unreachable_pub, missing_docs)]

use std::{
    collections::HashMap,
    io::{BufRead, BufReader, Write},
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    sync::{OnceLock, mpsc},
    time::{Duration, SystemTime},
};

use coffre_crypto::totp::TotpSeed;

/// Paths of the two binaries, built once per test process with the same profile as the tests.
pub struct Binaries {
    pub coffred: PathBuf,
    pub coffre: PathBuf,
}

pub fn binaries() -> &'static Binaries {
    static BINARIES: OnceLock<Binaries> = OnceLock::new();
    BINARIES.get_or_init(|| {
        let built = build_workspace();
        let find = |bin: &str| {
            let found = built.iter().find(|(name, _)| name == bin).map(|(_, path)| path.clone());
            found.unwrap_or_else(|| panic!("cargo build did not report the {bin} executable"))
        };
        Binaries { coffred: find("coffred"), coffre: find("coffre") }
    })
}

/// Runs `cargo build --workspace --all-targets` and returns every binary it reports, by name.
///
/// That is the same selection of packages and targets as `cargo test --workspace`, so cargo resolves the same
/// features and, under the test command, finds the binaries already built: nothing is compiled twice. (A build of
/// one package would resolve features differently and compile much of the dependency tree again.)
///
/// This runs the `cargo` on PATH, the rustup proxy that honours rust-toolchain.toml, rather than `$CARGO`: under
/// `cargo test` that variable may name another toolchain's cargo.
fn build_workspace() -> Vec<(String, PathBuf)> {
    let mut cmd = Command::new("cargo");
    // Run cargo with the environment a developer's shell gives it, not the one `cargo test` gives a test: build
    // scripts that track variables (the C compiler's, the library path) would otherwise see a change and rebuild.
    for (key, _) in std::env::vars_os() {
        let key_text = key.to_string_lossy();
        let set_by_cargo_for_tests =
            key_text.starts_with("CARGO_") && !matches!(&*key_text, "CARGO_HOME" | "CARGO_TARGET_DIR");
        if set_by_cargo_for_tests || matches!(&*key_text, "CARGO" | "LD_LIBRARY_PATH" | "RUST_RECURSION_COUNT") {
            cmd.env_remove(key);
        }
    }
    cmd.args(["build", "--quiet", "--message-format=json", "--workspace", "--all-targets"]);
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    let output = cmd.stderr(Stdio::inherit()).output().expect("run cargo build");
    assert!(output.status.success(), "cargo build --workspace --all-targets failed");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|msg| msg["reason"] == "compiler-artifact" && msg["profile"]["test"] == false)
        .filter(|msg| msg["target"]["kind"].as_array().is_some_and(|kinds| kinds.iter().any(|k| k == "bin")))
        .filter_map(|msg| {
            let name = msg["target"]["name"].as_str()?.to_string();
            Some((name, PathBuf::from(msg["executable"].as_str()?)))
        })
        .collect()
}

/// The time a daemon believes it is: a file of Unix milliseconds that it reads on every call.
#[derive(Clone)]
pub struct TestClock {
    pub path: PathBuf,
}

impl TestClock {
    /// The clock of the daemon on `data_dir`, started at the real time if it does not exist yet (a restarted
    /// daemon keeps its clock).
    fn for_data_dir(data_dir: &Path) -> TestClock {
        let clock = TestClock { path: data_dir.with_extension("clock") };
        if !clock.path.exists() {
            let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap();
            clock.set_ms(i64::try_from(now.as_millis()).unwrap());
        }
        clock
    }

    pub fn now_ms(&self) -> i64 {
        std::fs::read_to_string(&self.path).unwrap().trim().parse().unwrap()
    }

    pub fn set_ms(&self, ms: i64) {
        // Written beside and renamed, so the daemon never reads a half-written file.
        let temporary = self.path.with_extension("clock.tmp");
        std::fs::write(&temporary, ms.to_string()).unwrap();
        std::fs::rename(&temporary, &self.path).unwrap();
    }

    pub fn advance(&self, by: Duration) {
        self.set_ms(self.now_ms() + i64::try_from(by.as_millis()).unwrap());
    }
}

/// A running `coffred`.
pub struct Daemon {
    child: Child,
    pub clock: TestClock,
    pub data_dir: PathBuf,
    pub url: String,
    pub ca: PathBuf,
    pub fingerprint: String,
    /// What it printed on standard output when it started, up to its "listening" line included.
    pub startup: Vec<String>,
    /// The language of its messages (`COFFRE_LANG`): English unless a test asks for another.
    lang: String,
    /// Its configuration file (`--config`), if a test gave it one.
    config: Option<PathBuf>,
    stderr_log: PathBuf,
}

impl Daemon {
    /// Starts the daemon on `data_dir` (created if missing) on a free loopback port and waits for its
    /// "listening" line.
    pub fn start(data_dir: &Path) -> Daemon {
        Self::start_on(data_dir, "127.0.0.1:0")
    }

    /// Starts the daemon on `data_dir` with its test clock set to `now_ms`: a daemon that takes over a restored
    /// data directory goes on from the time of the one it replaces, so second-factor codes already used stay used.
    pub fn start_at(data_dir: &Path, now_ms: i64) -> Daemon {
        TestClock::for_data_dir(data_dir).set_ms(now_ms);
        Self::start(data_dir)
    }

    /// As [`Daemon::start_at`], with the daemon's environment in `lang` (`COFFRE_LANG`, e.g. "fr").
    pub fn start_at_in(data_dir: &Path, now_ms: i64, lang: &str) -> Daemon {
        TestClock::for_data_dir(data_dir).set_ms(now_ms);
        Self::try_start_wrapped(data_dir, "127.0.0.1:0", &[], lang)
            .unwrap_or_else(|(lines, log)| panic!("coffred did not start; stdout: {lines:?}; stderr: {log}"))
    }

    /// Stops the daemon gracefully and starts it again on the same data directory and address, as a restart of
    /// the service would.
    pub fn restart(self) -> Daemon {
        let data_dir = self.data_dir.clone();
        let listen = self.url.trim_start_matches("https://").to_string();
        let lang = self.lang.clone();
        let config = self.config.clone();
        assert!(self.stop().success(), "graceful shutdown on SIGTERM");
        Self::try_start_configured(&data_dir, &listen, &[], &lang, config.as_deref())
            .unwrap_or_else(|(lines, log)| panic!("coffred did not start again; stdout: {lines:?}; stderr: {log}"))
    }

    /// Starts the daemon on `data_dir` listening on `listen`.
    pub fn start_on(data_dir: &Path, listen: &str) -> Daemon {
        Self::start_wrapped(data_dir, listen, &[])
    }

    /// Starts the daemon through `wrapper` (a command that ends by running the rest of its arguments, e.g. a shell
    /// that first mounts a small filesystem, then `exec "$@"`).
    pub fn start_wrapped(data_dir: &Path, listen: &str, wrapper: &[&str]) -> Daemon {
        Self::try_start_wrapped(data_dir, listen, wrapper, "en")
            .unwrap_or_else(|(lines, log)| panic!("coffred did not start; stdout: {lines:?}; stderr: {log}"))
    }

    /// Starts the daemon on `data_dir`, or returns what it printed (stdout lines, then its log) if it stops or
    /// stays silent instead of listening: for tests of a refusal to start.
    pub fn try_start(data_dir: &Path) -> Result<Daemon, (Vec<String>, String)> {
        Self::try_start_wrapped(data_dir, "127.0.0.1:0", &[], "en")
    }

    /// Starts the daemon on `data_dir` with the configuration file `toml` (written beside the data directory).
    pub fn start_configured(data_dir: &Path, toml: &str) -> Daemon {
        let config = data_dir.with_extension("coffred.toml");
        std::fs::write(&config, toml).unwrap();
        Self::try_start_configured(data_dir, "127.0.0.1:0", &[], "en", Some(&config))
            .unwrap_or_else(|(lines, log)| panic!("coffred did not start; stdout: {lines:?}; stderr: {log}"))
    }

    /// As [`Daemon::start_configured`], listening on `listen` (the address of a daemon it replaces, so clients go
    /// on).
    pub fn start_configured_on(data_dir: &Path, listen: &str, toml: &str) -> Daemon {
        let config = data_dir.with_extension("coffred.toml");
        std::fs::write(&config, toml).unwrap();
        Self::try_start_configured(data_dir, listen, &[], "en", Some(&config))
            .unwrap_or_else(|(lines, log)| panic!("coffred did not start; stdout: {lines:?}; stderr: {log}"))
    }

    fn try_start_wrapped(
        data_dir: &Path,
        listen: &str,
        wrapper: &[&str],
        lang: &str,
    ) -> Result<Daemon, (Vec<String>, String)> {
        Self::try_start_configured(data_dir, listen, wrapper, lang, None)
    }

    fn try_start_configured(
        data_dir: &Path,
        listen: &str,
        wrapper: &[&str],
        lang: &str,
        config: Option<&Path>,
    ) -> Result<Daemon, (Vec<String>, String)> {
        Self::spawn(data_dir, listen, wrapper, lang, config).listening()
    }

    /// Starts a standby coffred (the configuration `toml` says `standby = true`) on `data_dir`, listening on
    /// `listen` once it takes over, and waits until it says it stands by.
    pub fn start_standby_on(data_dir: &Path, listen: &str, toml: &str) -> Starting {
        let mut starting = Self::spawn_standby(data_dir, listen, toml, None);
        starting
            .wait_for(|line| line.contains("standing by"))
            .unwrap_or_else(|(lines, log)| panic!("coffred did not stand by; stdout: {lines:?}; stderr: {log}"));
        starting
    }

    /// Starts a standby coffred armed with `passphrase` (`--arm`, the passphrase on its standard input), on
    /// `data_dir` with the configuration `toml`, listening on `listen` once it takes over. Returned as soon as it
    /// runs: it says it is armed and stands by, or refuses and stops.
    pub fn start_armed_standby_on(data_dir: &Path, listen: &str, toml: &str, passphrase: &str) -> Starting {
        Self::spawn_standby(data_dir, listen, toml, Some(passphrase))
    }

    /// Starts coffred with the configuration `toml` (written beside `data_dir`); with `arm`, armed with it.
    fn spawn_standby(data_dir: &Path, listen: &str, toml: &str, arm: Option<&str>) -> Starting {
        let config = data_dir.with_extension("coffred.toml");
        std::fs::write(&config, toml).unwrap();
        Self::spawn_with(data_dir, listen, &[], "en", Some(&config), arm)
    }

    fn spawn(data_dir: &Path, listen: &str, wrapper: &[&str], lang: &str, config: Option<&Path>) -> Starting {
        Self::spawn_with(data_dir, listen, wrapper, lang, config, None)
    }

    /// Starts coffred; with `arm`, armed with that passphrase (written to its standard input).
    fn spawn_with(
        data_dir: &Path,
        listen: &str,
        wrapper: &[&str],
        lang: &str,
        config: Option<&Path>,
        arm: Option<&str>,
    ) -> Starting {
        let stderr_log = data_dir.with_extension("stderr.log");
        let stderr = std::fs::File::create(&stderr_log).unwrap();
        let clock = TestClock::for_data_dir(data_dir);
        let coffred = binaries().coffred.to_str().unwrap().to_string();
        let mut argv: Vec<String> = wrapper.iter().map(|a| a.to_string()).collect();
        argv.extend([
            coffred,
            "--data-dir".into(),
            data_dir.to_str().unwrap().into(),
            "--listen".into(),
            listen.into(),
        ]);
        if let Some(config) = config {
            argv.extend(["--config".into(), config.to_str().unwrap().into()]);
        }
        if arm.is_some() {
            argv.push("--arm".into());
        }
        let mut command = Command::new(&argv[0]);
        if let Some((url, schema)) = postgres_for(data_dir) {
            // The vault's records in a schema of its own per data directory (so a restart finds them again).
            command.env("COFFRE_STORAGE_URL", url).env("COFFRE_STORAGE_SCHEMA", schema);
        }
        let mut child = command
            .args(&argv[1..])
            .env("COFFRE_LOG", "info")
            .env("COFFRE_TEST_CLOCK_FILE", &clock.path)
            // The daemon speaks the language of its environment: pinned, so the runner's locale changes nothing.
            .env("COFFRE_LANG", lang)
            .stdin(if arm.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start coffred");
        if let (Some(passphrase), Some(mut stdin)) = (arm, child.stdin.take()) {
            stdin.write_all(format!("{passphrase}\n").as_bytes()).unwrap();
        }
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Starting {
            child: Some(child),
            rx,
            lines: Vec::new(),
            clock,
            data_dir: data_dir.to_path_buf(),
            lang: lang.to_owned(),
            config: config.map(Path::to_path_buf),
            stderr_log,
        }
    }

    /// Stops the daemon with SIGTERM (graceful shutdown) and waits for it.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
        let status = self.child.wait().unwrap();
        std::mem::forget(self);
        status
    }

    /// Kills the daemon with SIGKILL, as a crash or `kill -9` would, and waits for it.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::forget(self);
    }

    /// Waits for the daemon to stop by itself (at most a minute, a bound and not a sleep: one that goes on running
    /// fails the test), and returns how it ended and its log.
    pub fn exits(mut self) -> (std::process::ExitStatus, String) {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(std::time::Instant::now() < deadline, "coffred did not stop by itself: {}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        };
        let log = self.log();
        std::mem::forget(self);
        (status, log)
    }

    /// The daemon's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the daemon wrote to stderr (its log) so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr_log).unwrap_or_default()
    }
}

/// A `coffred` started, whose standard output is read line by line until it listens.
pub struct Starting {
    child: Option<Child>,
    rx: mpsc::Receiver<String>,
    /// What it printed so far.
    pub lines: Vec<String>,
    clock: TestClock,
    data_dir: PathBuf,
    lang: String,
    config: Option<PathBuf>,
    stderr_log: PathBuf,
}

impl Starting {
    /// Reads lines until one satisfies `wanted`, and returns it; or, if coffred stops or stays silent for a minute
    /// (a bound, not a sleep), kills it and returns what it printed and its log.
    pub fn wait_for(&mut self, wanted: impl Fn(&str) -> bool) -> Result<String, (Vec<String>, String)> {
        loop {
            let Ok(line) = self.rx.recv_timeout(Duration::from_secs(60)) else {
                if let Some(mut child) = self.child.take() {
                    let _ = child.kill();
                    let _ = child.wait();
                }
                return Err((self.lines.clone(), self.log()));
            };
            self.lines.push(line.clone());
            if wanted(&line) {
                return Ok(line);
            }
        }
    }

    /// Waits for the "listening" line (in either language: the address is the last word of the last line).
    pub fn listening(mut self) -> Result<Daemon, (Vec<String>, String)> {
        let is_listening = |line: &str| {
            (line.contains("listening on") || line.contains("à l’écoute sur"))
                && line.rsplit(' ').next().is_some_and(|word| word.starts_with("https://"))
        };
        let line = self.wait_for(is_listening)?;
        let url = line.rsplit(' ').next().unwrap_or_default().to_string();
        // The fingerprint is the last word of the CA's line.
        let fingerprint = self
            .lines
            .iter()
            .rev()
            .find(|line| line.contains("SHA-256"))
            .and_then(|line| line.rsplit(' ').next())
            .expect("the daemon printed its CA fingerprint")
            .to_string();
        let child = self.child.take().expect("a running coffred");
        Ok(Daemon {
            child,
            clock: self.clock.clone(),
            ca: self.data_dir.join("tls").join("ca.pem"),
            data_dir: self.data_dir.clone(),
            url,
            fingerprint,
            startup: std::mem::take(&mut self.lines),
            lang: self.lang.clone(),
            config: self.config.clone(),
            stderr_log: self.stderr_log.clone(),
        })
    }

    /// Stops it with SIGTERM and waits for it.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("a running coffred");
        let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
        child.wait().unwrap()
    }

    /// Waits for coffred to stop by itself (at most a minute, a bound and not a sleep), and returns how it ended,
    /// what it printed and its log.
    pub fn exits(mut self) -> (std::process::ExitStatus, Vec<String>, String) {
        let mut child = self.child.take().expect("a running coffred");
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(std::time::Instant::now() < deadline, "coffred did not stop by itself: {}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        };
        self.lines.extend(self.rx.try_iter());
        (status, std::mem::take(&mut self.lines), self.log())
    }

    /// Whether coffred is still running (it has not stopped by itself).
    pub fn running(&mut self) -> bool {
        self.child.as_mut().is_some_and(|child| child.try_wait().unwrap().is_none())
    }

    /// What it wrote to stderr (its log) so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr_log).unwrap_or_default()
    }
}

impl Drop for Starting {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The client, as one user on one machine: its own home, session file and pinned CA, and the authenticator app
/// of the people who use it (their second-factor seeds, by name).
pub struct Client {
    pub home: tempfile::TempDir,
    pub server: String,
    pub ca: PathBuf,
    pub seeds: std::sync::Mutex<HashMap<String, Vec<u8>>>,
    /// More environment for every command (a locale, a time zone), as the person's shell would have.
    pub env: Vec<(String, String)>,
}

/// What one client command did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "command failed: stdout {} stderr {}", self.stdout, self.stderr);
        self
    }
}

impl Client {
    pub fn new(daemon: &Daemon) -> Client {
        Client {
            home: tempfile::tempdir().unwrap(),
            server: daemon.url.clone(),
            ca: daemon.ca.clone(),
            seeds: std::sync::Mutex::new(HashMap::new()),
            env: Vec::new(),
        }
    }

    /// The same client with `key=value` in the environment of every command (e.g. `LANG=fr_CA.UTF-8`).
    pub fn with_env(mut self, key: &str, value: &str) -> Client {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Puts `name`'s second factor (an otpauth URI) in this client's authenticator app.
    pub fn remember_totp(&self, name: &str, otpauth_uri: &str) {
        let seed = TotpSeed::from_otpauth_uri(otpauth_uri).unwrap();
        self.seeds.lock().unwrap().insert(name.to_lowercase(), seed.expose_secret().to_vec());
    }

    /// The code `name`'s app shows at the daemon's time, after moving that time on by one step (30 s): a code is
    /// single-use, so each login needs the next one.
    pub fn next_totp(&self, daemon: &Daemon, name: &str) -> String {
        daemon.clock.advance(Duration::from_secs(30));
        let seeds = self.seeds.lock().unwrap();
        let seed = seeds.get(&name.to_lowercase()).unwrap_or_else(|| panic!("no second factor for {name}"));
        TotpSeed::from_bytes(seed.clone()).unwrap().code_at(daemon.clock.now_ms() / 1000)
    }

    /// `coffre login NAME --passphrase-file PASS --totp CODE` with the next code of `name`'s app.
    pub fn login(&self, daemon: &Daemon, name: &str, pass_file: &str) -> Run {
        let code = self.next_totp(daemon, name);
        self.run(&["login", name, "--passphrase-file", pass_file, "--totp", &code])
    }

    /// Redeems an enrolment code as a new person would: `coffre enroll CODE` shows the second factor (here as
    /// JSON), the app takes it, and `coffre enroll CODE --totp NNNNNN` completes the enrolment.
    pub fn enroll(&self, daemon: &Daemon, code: &str, pass_file: &str) -> Run {
        let shown = self.run(&["enroll", code, "--json"]).ok().json();
        assert_eq!(shown["enrolled"], false, "{shown}");
        let name = shown["name"].as_str().unwrap().to_string();
        self.remember_totp(&name, shown["otpauth_uri"].as_str().unwrap());
        let totp = self.next_totp(daemon, &name);
        self.run(&["enroll", code, "--passphrase-file", pass_file, "--totp", &totp])
    }

    /// Writes a secret to a file in the client's home (mode 0600) and returns its path, for `--*-file` flags.
    pub fn secret_file(&self, name: &str, contents: &str) -> String {
        use std::os::unix::fs::OpenOptionsExt;
        let path = self.home.path().join(name);
        let mut file =
            std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&path).unwrap();
        writeln!(file, "{contents}").unwrap();
        path.to_str().unwrap().to_string()
    }

    /// The client command in its private home; `configured` adds the server, CA and session file through the
    /// environment, as a user who set COFFRE_SERVER and COFFRE_CA would have.
    fn command(&self, configured: bool) -> Command {
        let home = self.home.path();
        let mut cmd = Command::new(&binaries().coffre);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("XDG_DATA_HOME", home.join("data"));
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        if configured {
            cmd.env("COFFRE_SERVER", &self.server)
                .env("COFFRE_CA", &self.ca)
                .env("COFFRE_SESSION", home.join("session.json"));
        }
        cmd
    }

    /// Runs `coffre ARGS` with no standard input.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, None)
    }

    /// Runs `coffre ARGS` with `env` added to its environment (e.g. COFFRE_PASS).
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = self.command(true);
        cmd.args(args).envs(env.iter().copied());
        Self::finish(&mut cmd, None)
    }

    /// Runs `coffre ARGS` with nothing configured but its home: what it knows comes from `coffre connect`.
    pub fn run_unconfigured(&self, args: &[&str]) -> Run {
        Self::finish(self.command(false).args(args), None)
    }

    /// Runs `coffre ARGS`, feeding `stdin` if given.
    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let mut cmd = self.command(true);
        cmd.args(args);
        Self::finish(&mut cmd, stdin)
    }

    fn finish(cmd: &mut Command, stdin: Option<&str>) -> Run {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        let mut child = cmd.spawn().expect("start coffre");
        if let Some(input) = stdin {
            child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        }
        let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

/// Low Argon2 cost for tests, passed as configuration (the smallest the daemon accepts).
pub const TEST_KDF: [&str; 4] = ["--kdf-memory-kib", "8192", "--kdf-iterations", "1"];

/// A fresh, initialised vault with the president "Alice" logged in; returns the daemon, the client, and the
/// president's passphrase file.
pub fn initialised(dir: &Path) -> (Daemon, Client, String) {
    initialised_on(Daemon::start(&dir.join("data")))
}

/// As [`initialised`], with the daemon's configuration file `toml`.
pub fn initialised_configured(dir: &Path, toml: &str) -> (Daemon, Client, String) {
    initialised_on(Daemon::start_configured(&dir.join("data"), toml))
}

fn initialised_on(daemon: Daemon) -> (Daemon, Client, String) {
    let client = Client::new(&daemon);
    let pass = client.secret_file("president.pass", "correct horse battery staple");
    let mut args = vec!["init", "--president", "Alice", "--passphrase-file", &pass, "--json"];
    args.extend(TEST_KDF);
    let init = client.run(&args).ok().json();
    client.remember_totp("Alice", init["president_otpauth_uri"].as_str().expect("the president's second factor"));
    client.login(&daemon, "Alice", &pass).ok();
    (daemon, client, pass)
}

/// Asserts that no file under `dir` contains any of `needles`, scanning every byte.
#[track_caller]
pub fn assert_no_file_contains(dir: &Path, needles: &[&str]) {
    let mut stack = vec![dir.to_path_buf()];
    let mut files = 0;
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for item in std::fs::read_dir(&path).unwrap() {
                stack.push(item.unwrap().path());
            }
            continue;
        }
        files += 1;
        let bytes = std::fs::read(&path).unwrap();
        for needle in needles {
            let needle = needle.as_bytes();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} contains {:?} in clear",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
    assert!(files > 3, "expected a populated data directory, found {files} files");
}

/// With `COFFRE_TEST_BACKEND=postgres` (and `COFFRE_TEST_POSTGRES`, a server's address, see `.ci/postgres`), every
/// daemon keeps its records there, in a schema named after its data directory: the address and the schema.
pub fn postgres_for(data_dir: &Path) -> Option<(String, String)> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    if std::env::var("COFFRE_TEST_BACKEND").ok()? != "postgres" {
        return None;
    }
    let url = std::env::var("COFFRE_TEST_POSTGRES").ok().filter(|url| !url.is_empty());
    let url = url.expect("COFFRE_TEST_BACKEND=postgres needs COFFRE_TEST_POSTGRES (start a cluster with .ci/postgres)");
    let mut hasher = DefaultHasher::new();
    data_dir.hash(&mut hasher);
    Some((url, format!("e_{:016x}", hasher.finish())))
}

/// Runs `coffred ARGS` to completion (a subcommand such as `restore`), with none of the machine's COFFRE_*
/// settings, but for the database of a run on PostgreSQL ([`postgres_for`] the `--data-dir` it is given), so that
/// a vault restored there is found by the daemon started on it.
pub fn coffred(args: &[&str]) -> Run {
    coffred_in("en", args)
}

/// As [`coffred`], with its lines in `lang` (`COFFRE_LANG`, e.g. "fr").
pub fn coffred_in(lang: &str, args: &[&str]) -> Run {
    let mut cmd = Command::new(&binaries().coffred);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("COFFRE_") {
            cmd.env_remove(key);
        }
    }
    let data_dir = args.windows(2).find(|pair| pair[0] == "--data-dir").map(|pair| Path::new(pair[1]));
    if let Some((url, schema)) = data_dir.and_then(postgres_for)
        && !args.contains(&"--storage-url")
    {
        cmd.env("COFFRE_STORAGE_URL", url).env("COFFRE_STORAGE_SCHEMA", schema);
    }
    // Its lines in the language asked for, whatever the runner's locale.
    cmd.env("COFFRE_LANG", lang).args(args).stdin(Stdio::null());
    let Output { status, stdout, stderr } = cmd.output().expect("run coffred");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Runs the reference `age` tools (Debian's `age` package; .ci/run installs it): `age-keygen -o FILE` returns the
/// public key; `age -d -i IDENTITY FILE` returns the plaintext.
pub mod reference_age {
    use std::{path::Path, process::Command};

    pub fn keygen(out: &Path) -> String {
        let output = Command::new("age-keygen").arg("-o").arg(out).output().expect("age-keygen is installed");
        assert!(output.status.success(), "age-keygen: {}", String::from_utf8_lossy(&output.stderr));
        // age-keygen prints "Public key: age1..." on stderr when writing to a file.
        let text = String::from_utf8_lossy(&output.stderr).into_owned();
        text.lines().find_map(|l| l.strip_prefix("Public key: ")).expect("a public key").trim().to_string()
    }

    pub fn decrypt(identity: &Path, file: &Path) -> Vec<u8> {
        let output =
            Command::new("age").arg("-d").arg("-i").arg(identity).arg(file).output().expect("age is installed");
        assert!(output.status.success(), "age -d: {}", String::from_utf8_lossy(&output.stderr));
        output.stdout
    }
}
