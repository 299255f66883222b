//! Precedence, unknown keys and validation of the configuration.

use super::*;

fn file(text: &str) -> FileConfig {
    FileConfig::parse(text, Path::new("test.toml")).expect("valid test configuration")
}

fn resolve(flags: &Flags, text: &str) -> ServerConfig {
    ServerConfig::resolve(flags, file(text)).expect("valid configuration")
}

const FULL: &str = r#"
    data_dir = "/from/file"
    listen = "127.0.0.1:9000"
    max_connections = 10
    enrolment_code_ttl = "24h"
    max_grant_duration = "30days"

    [tls]
    cert = "/file/cert.pem"
    key = "/file/key.pem"
    hostnames = ["vault.example.org", "192.0.2.7"]

    [sessions]
    idle = "5m"
    absolute = "2h"

    [kdf]
    memory_kib = 8192
    iterations = 1
    parallelism = 2
    max_concurrent = 3
"#;

#[test]
fn defaults_apply_when_nothing_is_set() {
    let config = resolve(&Flags::default(), "");
    let engine = VaultConfig::new(PathBuf::new());
    assert_eq!(config.data_dir, default_data_dir());
    assert_eq!(config.listen, DEFAULT_LISTEN);
    assert_eq!(config.listen.to_string(), "127.0.0.1:7443");
    assert_eq!(config.connections.max, 1024);
    assert_eq!(config.tls, TlsSettings::default());
    assert_eq!(config.default_kdf, KdfParams::DEFAULT);
    assert_eq!(config.session_idle, engine.session_idle);
    assert_eq!(config.session_absolute, engine.session_absolute);
    assert_eq!(config.enrolment_ttl, engine.enrolment_ttl);
    assert_eq!(config.max_concurrent_kdf, engine.max_concurrent_kdf);
    assert_eq!(config.max_grant_duration, Duration::from_secs(90 * 24 * 3600));
}

#[test]
fn rotation_ages_and_approval_windows_come_from_the_file() {
    let defaults = resolve(&Flags::default(), "");
    assert_eq!(defaults.rotation_max_age.of(Category::SocialNetwork), Duration::from_secs(365 * 24 * 3600));
    assert_eq!(defaults.rotation_max_age.of(Category::Financial), Duration::from_secs(90 * 24 * 3600));
    assert_eq!(defaults.approval_window, Duration::from_secs(15 * 60));
    assert_eq!(defaults.approval_request_ttl, Duration::from_secs(24 * 3600));
    let text = r#"
        [rotation]
        max_age = "180days"
        [rotation.max_age_by_category]
        financial = "30days"
        social-network = "1year"
        [approvals]
        window = "5m"
        request_ttl = "2h"
    "#;
    let config = resolve(&Flags::default(), text);
    let engine = config.vault_config().expect("engine configuration");
    assert_eq!(engine.rotation_max_age.of(Category::Software), Duration::from_secs(180 * 24 * 3600));
    assert_eq!(engine.rotation_max_age.of(Category::Financial), Duration::from_secs(30 * 24 * 3600));
    assert_eq!(engine.rotation_max_age.of(Category::SocialNetwork), humantime::parse_duration("1year").expect("1y"));
    assert_eq!(
        (engine.approval_window, engine.approval_request_ttl),
        (Duration::from_secs(300), Duration::from_secs(7200))
    );
    // What show-config writes reads back the same.
    let written = config.to_toml().expect("TOML");
    assert!(written.contains("max_age = \"180days\"") && written.contains("financial = \"30days\""), "{written}");
    let again = resolve(&Flags::default(), &written);
    assert_eq!(again.rotation_max_age.of(Category::Financial), Duration::from_secs(30 * 24 * 3600));
    assert_eq!(again.approval_window, Duration::from_secs(300));
    let typo = FileConfig::parse("[rotation.max_age_by_category]\nfinance = \"90d\"\n", Path::new("t.toml"));
    assert!(typo.err().is_some_and(|e| e.to_string().contains("finance")), "an unknown category is named");
    let zero = ServerConfig::resolve(&Flags::default(), file("[approvals]\nwindow = \"0s\"\n"));
    assert!(matches!(zero, Err(ConfigError::Zero("approvals.window"))));
}

#[test]
fn the_file_overrides_the_defaults() {
    let config = resolve(&Flags::default(), FULL);
    assert_eq!(config.data_dir, PathBuf::from("/from/file"));
    assert_eq!(config.listen.to_string(), "127.0.0.1:9000");
    assert_eq!(config.connections.max, 10);
    assert_eq!(config.enrolment_ttl, Duration::from_secs(24 * 3600));
    assert_eq!(config.max_grant_duration, Duration::from_secs(30 * 24 * 3600));
    assert_eq!(config.tls.files, Some(TlsFiles { cert: "/file/cert.pem".into(), key: "/file/key.pem".into() }));
    assert_eq!(config.tls.hostnames, ["vault.example.org", "192.0.2.7"]);
    assert_eq!(config.session_idle, Duration::from_secs(300));
    assert_eq!(config.session_absolute, Duration::from_secs(7200));
    assert_eq!(config.default_kdf, KdfParams { memory_kib: 8192, iterations: 1, parallelism: 2 });
    assert_eq!(config.max_concurrent_kdf, 3);
}

#[test]
fn a_partial_kdf_section_keeps_the_other_defaults() {
    let config = resolve(&Flags::default(), "[kdf]\nmemory_kib = 8192\n");
    assert_eq!(config.default_kdf, KdfParams { memory_kib: 8192, ..KdfParams::DEFAULT });
}

#[test]
fn flags_and_environment_override_the_file() {
    // clap has already put a flag above its environment variable by the time `Flags` exists; the
    // environment half is checked against the real binary in tests/cli.rs.
    let flags = Flags {
        data_dir: Some("/from/flag".into()),
        listen: Some("127.0.0.1:9001".parse().expect("address")),
        tls_cert: Some("/flag/cert.pem".into()),
        tls_key: Some("/flag/key.pem".into()),
        storage_url: None,
        storage_schema: None,
        storage_ca_file: None,
        standby: false,
    };
    let config = resolve(&flags, FULL);
    assert_eq!(config.data_dir, PathBuf::from("/from/flag"));
    assert_eq!(config.listen.to_string(), "127.0.0.1:9001");
    assert_eq!(config.tls.files, Some(TlsFiles { cert: "/flag/cert.pem".into(), key: "/flag/key.pem".into() }));
    // What no flag sets still comes from the file.
    assert_eq!(config.connections.max, 10);
}

#[test]
fn a_flag_alone_overrides_only_its_own_key() {
    let flags = Flags { listen: Some("[::1]:7000".parse().expect("address")), ..Flags::default() };
    let config = resolve(&flags, FULL);
    assert_eq!(config.listen.to_string(), "[::1]:7000");
    assert_eq!(config.data_dir, PathBuf::from("/from/file"));
}

#[test]
fn unknown_keys_are_refused_by_name() {
    for (text, key) in [
        ("colour = \"blue\"\n", "colour"),
        ("[tls]\nhostname = [\"x\"]\n", "hostname"),
        ("[sessions]\nidle_timeout = \"5m\"\n", "idle_timeout"),
        ("[kdf]\nmemory = 8192\n", "memory"),
        ("[logging]\nlevel = \"debug\"\n", "logging"),
    ] {
        let err = FileConfig::parse(text, Path::new("coffred.toml")).expect_err("an unknown key");
        let message = err.to_string();
        assert!(message.contains(&format!("unknown field `{key}`")), "{message}");
        assert!(message.contains("coffred.toml"), "{message}");
    }
}

#[test]
fn wrong_types_and_bad_durations_are_refused() {
    for text in ["listen = \"localhost\"\n", "max_connections = -1\n", "[sessions]\nidle = \"soon\"\n"] {
        assert!(FileConfig::parse(text, Path::new("c.toml")).is_err(), "{text}");
    }
    let err = FileConfig::parse("[sessions]\nidle = \"15\"\n", Path::new("c.toml")).expect_err("no unit");
    assert!(err.to_string().contains("invalid duration \"15\""), "{err}");
}

#[test]
fn half_a_tls_pair_is_refused() {
    let err = ServerConfig::resolve(&Flags::default(), file("[tls]\ncert = \"/c.pem\"\n")).expect_err("no key");
    assert!(matches!(err, ConfigError::TlsHalf { missing: "the key", .. }), "{err}");
    let flags = Flags { tls_key: Some("/k.pem".into()), ..Flags::default() };
    let err = ServerConfig::resolve(&flags, FileConfig::default()).expect_err("no certificate");
    assert!(matches!(err, ConfigError::TlsHalf { missing: "the certificate", .. }), "{err}");
}

#[test]
fn zero_limits_are_refused() {
    let err = ServerConfig::resolve(&Flags::default(), file("max_connections = 0\n")).expect_err("zero");
    assert_eq!(err.to_string(), "max_connections must be greater than zero");
    let err = ServerConfig::resolve(&Flags::default(), file("[sessions]\nidle = \"0s\"\n")).expect_err("zero");
    assert_eq!(err.to_string(), "sessions.idle must be greater than zero");
}

#[test]
fn show_config_output_reads_back_as_the_same_configuration() {
    let config = resolve(&Flags::default(), FULL);
    let text = config.to_toml().expect("serialisable");
    let again = resolve(&Flags::default(), &text);
    assert_eq!(again.to_toml().expect("serialisable"), text);
    assert_eq!(again.tls, config.tls);
    assert_eq!(again.session_idle, config.session_idle);
    assert_eq!(again.default_kdf, config.default_kdf);
}

#[test]
fn show_config_writes_whole_days_as_days() {
    let text = resolve(&Flags::default(), "").to_toml().expect("serialisable");
    assert!(text.contains("max_grant_duration = \"90days\""), "{text}");
    assert!(!text.contains("months"), "{text}");
}

#[test]
fn the_example_configuration_is_valid() {
    let text = include_str!("../../../../deploy/coffred.example.toml");
    let config = resolve(&Flags::default(), text);
    assert_eq!(config.listen, DEFAULT_LISTEN);
}

#[test]
fn scheduled_backups_need_a_directory_and_take_defaults() {
    assert!(resolve(&Flags::default(), "").backup.is_none(), "no [backup] dir, no scheduled backups");
    let config = resolve(&Flags::default(), "[backup]\ndir = \"/srv/backups\"\n");
    let backup = config.backup.expect("scheduled");
    assert_eq!(backup.dir, PathBuf::from("/srv/backups"));
    assert_eq!((backup.interval, backup.keep), (DEFAULT_BACKUP_INTERVAL, DEFAULT_BACKUP_KEEP));
    let config = resolve(&Flags::default(), "[backup]\ndir = \"/b\"\ninterval = \"6h\"\nkeep = 3\n");
    let backup = config.backup.expect("scheduled");
    assert_eq!((backup.interval, backup.keep), (Duration::from_secs(6 * 3600), 3));
    let shown = ServerConfig::resolve(&Flags::default(), file("[backup]\ndir = \"/b\"\nkeep = 3\n"))
        .expect("valid")
        .to_toml()
        .expect("TOML");
    assert!(
        shown.contains("[backup]") && shown.contains("keep = 3") && shown.contains("interval = \"1day\""),
        "{shown}"
    );
}

#[test]
fn backup_settings_without_a_directory_or_at_zero_are_refused() {
    let err = ServerConfig::resolve(&Flags::default(), file("[backup]\nkeep = 3\n")).expect_err("no dir");
    assert_eq!(err.to_string(), "[backup] keep is set but [backup] dir is not: say where the backups go");
    let err = ServerConfig::resolve(&Flags::default(), file("[backup]\ndir = \"/b\"\nkeep = 0\n")).expect_err("zero");
    assert_eq!(err.to_string(), "backup.keep must be greater than zero");
    let err = ServerConfig::resolve(&Flags::default(), file("[backup]\ndir = \"/b\"\ninterval = \"0s\"\n"))
        .expect_err("zero");
    assert_eq!(err.to_string(), "backup.interval must be greater than zero");
    assert!(FileConfig::parse("[backup]\ndirectory = \"/b\"\n", Path::new("t.toml")).is_err(), "unknown key");
}

#[test]
fn connection_limits_and_timeouts_are_read_from_their_table_and_shown() {
    let defaults = resolve(&Flags::default(), "");
    assert_eq!(defaults.connections, Connections::default());
    assert!(defaults.connections.max_per_address < defaults.connections.max / 4, "well below the global limit");
    let text = "max_connections = 100\n[connections]\nper_address = 5\ntls_handshake_timeout = \"3s\"\n\
                first_request_timeout = \"4s\"\nidle_timeout = \"1m\"\n";
    let config = resolve(&Flags::default(), text);
    let expected = Connections {
        max: 100,
        max_per_address: 5,
        tls_handshake_timeout: Duration::from_secs(3),
        first_request_timeout: Duration::from_secs(4),
        idle_timeout: Duration::from_secs(60),
    };
    assert_eq!(config.connections, expected);
    let shown = config.to_toml().expect("TOML");
    assert!(shown.contains("[connections]") && shown.contains("idle_timeout = \"1m\""), "{shown}");
    let err = ServerConfig::resolve(&Flags::default(), file("[connections]\nper_address = 0\n")).expect_err("zero");
    assert_eq!(err.to_string(), "connections.per_address must be greater than zero");
}

#[test]
fn the_time_a_revealed_secret_stays_on_screen_is_bounded_and_shown() {
    assert_eq!(resolve(&Flags::default(), "").web.reveal_visible_seconds, DEFAULT_REVEAL_VISIBLE_SECONDS);
    let config = resolve(&Flags::default(), "[web]\nreveal_visible_seconds = 2\n");
    assert_eq!(config.web.reveal_visible_seconds, 2);
    let shown = config.to_toml().expect("TOML");
    assert!(shown.contains("[web]") && shown.contains("reveal_visible_seconds = 2"), "{shown}");
    for (text, value) in [("0", 0), ("601", 601)] {
        let err = ServerConfig::resolve(&Flags::default(), file(&format!("[web]\nreveal_visible_seconds = {text}\n")))
            .expect_err("out of range");
        assert_eq!(
            err.to_string(),
            format!("web.reveal_visible_seconds = {value} is out of range: it must be between 1 and 600")
        );
    }
    assert!(FileConfig::parse("[web]\nreveal_seconds = 3\n", Path::new("t.toml")).is_err(), "unknown key");
}

#[test]
fn storage_is_sled_unless_a_database_address_is_given_and_postgres_needs_one() {
    assert_eq!(resolve(&Flags::default(), "").storage, StorageSettings::Sled);
    let text = "[storage]\nbackend = \"postgres\"\nurl = \"postgresql://coffre@db.example.org:5432/coffre\"\n";
    let config = resolve(&Flags::default(), text);
    assert_eq!(
        config.storage,
        StorageSettings::Postgres {
            url: "postgresql://coffre@db.example.org:5432/coffre".into(),
            schema: DEFAULT_SCHEMA.into(),
            password_file: None,
            ca_file: None,
            retry_seconds: DEFAULT_STORE_RETRY_SECONDS,
            standby: false,
        }
    );
    assert_eq!(config.vault_config().expect("engine config").store_retry_for, Duration::from_secs(15));
    // What show-config writes reads back the same.
    let written = config.to_toml().expect("TOML");
    assert_eq!(resolve(&Flags::default(), &written).storage, config.storage);
    // The flag (or COFFRE_STORAGE_URL) alone means PostgreSQL, and wins over the file's address.
    let flags = Flags { storage_url: Some("postgresql://other@127.0.0.1/v".into()), ..Flags::default() };
    match resolve(&flags, text).storage {
        StorageSettings::Postgres { url, .. } => assert_eq!(url, "postgresql://other@127.0.0.1/v"),
        other => panic!("{other:?}"),
    }

    let refused =
        |flags: &Flags, text: &str| ServerConfig::resolve(flags, file(text)).expect_err("refused").to_string();
    assert!(refused(&Flags::default(), "[storage]\nbackend = \"postgres\"\n").contains("needs the database's address"));
    assert!(refused(&flags, "[storage]\nbackend = \"sled\"\n").contains("remove one of them"));
    assert!(refused(&Flags::default(), "[storage]\nschema = \"x\"\n").contains("for PostgreSQL"));
    let bad_schema = "[storage]\nurl = \"postgresql://c@h/d\"\nschema = \"a; DROP TABLE x\"\n";
    assert!(refused(&Flags::default(), bad_schema).contains("plain identifier"));
    assert!(FileConfig::parse("[storage]\nbackend = \"mysql\"\n", Path::new("c.toml")).is_err());
}

#[test]
fn a_standby_is_set_by_the_flag_or_the_file_for_postgres_only() {
    let postgres = "[storage]\nurl = \"postgresql://c@h/d\"\n";
    let standby = |config: &ServerConfig| matches!(config.storage, StorageSettings::Postgres { standby: true, .. });
    assert!(!standby(&resolve(&Flags::default(), postgres)));
    let flag = Flags { standby: true, ..Flags::default() };
    assert!(standby(&resolve(&flag, postgres)));
    let from_file = resolve(&Flags::default(), &format!("{postgres}standby = true\n"));
    assert!(standby(&from_file));
    // What show-config writes reads back the same.
    let written = from_file.to_toml().expect("TOML");
    assert_eq!(resolve(&Flags::default(), &written).storage, from_file.storage);

    // sled has nothing to take over: a standby on sled is a mistake, said at start.
    let refused =
        |flags: &Flags, text: &str| ServerConfig::resolve(flags, file(text)).expect_err("refused").to_string();
    assert!(refused(&flag, "").contains("standby"), "{}", refused(&flag, ""));
    assert!(refused(&Flags::default(), "[storage]\nstandby = true\n").contains("backend = \"postgres\""));
    // Saying "no" on sled is fine.
    assert_eq!(resolve(&Flags::default(), "[storage]\nstandby = false\n").storage, StorageSettings::Sled);
}

#[test]
fn the_store_retry_is_set_for_postgres_within_the_request_limit() {
    let text = "[storage]\nurl = \"postgresql://c@h/d\"\nretry_seconds = 2\n";
    let config = resolve(&Flags::default(), text);
    assert!(matches!(config.storage, StorageSettings::Postgres { retry_seconds: 2, .. }), "{:?}", config.storage);
    assert_eq!(config.vault_config().expect("engine config").store_retry_for, Duration::from_secs(2));
    let written = config.to_toml().expect("TOML");
    assert_eq!(resolve(&Flags::default(), &written).storage, config.storage);

    let refused = |text: &str| ServerConfig::resolve(&Flags::default(), file(text)).expect_err("refused").to_string();
    let long = refused("[storage]\nurl = \"postgresql://c@h/d\"\nretry_seconds = 16\n");
    assert!(long.contains("storage.retry_seconds") && long.contains("15"), "{long}");
    assert!(refused("[storage]\nretry_seconds = 5\n").contains("for PostgreSQL"));
}

#[test]
fn a_database_password_is_never_taken_from_the_address_and_never_shown() {
    let with_password =
        Flags { storage_url: Some("postgresql://coffre:hunter2@127.0.0.1/coffre".into()), ..Flags::default() };
    let err = ServerConfig::resolve(&with_password, FileConfig::default()).expect_err("a password in the address");
    assert!(err.to_string().contains("password_file"), "{err}");
    assert!(!err.to_string().contains("hunter2"), "{err}");

    let dir = tempfile::tempdir().expect("tempdir");
    let secret = dir.path().join("db-password");
    std::fs::write(&secret, "s3cret-of-the-role\nignored\n").expect("write");
    let text = format!(
        "[storage]\nurl = \"postgresql://coffre@127.0.0.1/coffre\"\npassword_file = \"{}\"\n",
        secret.display()
    );
    let config = resolve(&Flags::default(), &text);
    let engine = config.vault_config().expect("reads the password file");
    match &engine.store {
        StoreBackend::Postgres(options) => assert_eq!(options.password.as_deref(), Some("s3cret-of-the-role")),
        StoreBackend::Sled => panic!("PostgreSQL expected"),
    }
    for shown in [format!("{config:?}"), format!("{engine:?}"), config.to_toml().expect("TOML")] {
        assert!(!shown.contains("s3cret"), "the password is never shown: {shown}");
    }
    std::fs::write(&secret, "").expect("write");
    assert!(config.vault_config().is_err(), "an empty password file is refused");
}

#[test]
fn a_database_ca_file_comes_from_the_file_or_the_flag_and_a_bad_one_is_refused_at_start_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = dir.path().join("db-ca.pem");
    let key = rcgen::KeyPair::generate().expect("a key");
    let cert = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params").self_signed(&key).expect("a CA");
    std::fs::write(&ca, cert.pem()).expect("write");
    let text =
        format!("[storage]\nurl = \"postgresql://coffre@db.example.org/coffre\"\nca_file = \"{}\"\n", ca.display());
    let config = resolve(&Flags::default(), &text);
    match &config.vault_config().expect("the engine's configuration").store {
        StoreBackend::Postgres(options) => {
            assert_eq!(options.ca_file.as_deref(), Some(ca.as_path()));
            assert!(options.unencrypted_remote_hosts().is_empty(), "TLS: nothing to warn about");
            // The CA's path may show; its content never does (nor is there any reason for it to).
            assert!(!format!("{options:?}").contains("BEGIN CERTIFICATE"));
        }
        StoreBackend::Sled => panic!("PostgreSQL expected"),
    }
    // What show-config writes reads back the same.
    let written = config.to_toml().expect("TOML");
    assert_eq!(resolve(&Flags::default(), &written).storage, config.storage);

    // The flag (or COFFRE_STORAGE_CA_FILE) wins over the file; a file that is not a CA is refused, naming it.
    let bogus = dir.path().join("not-a-ca.pem");
    std::fs::write(&bogus, "hello").expect("write");
    let flags = Flags { storage_ca_file: Some(bogus.clone()), ..Flags::default() };
    let err = ServerConfig::resolve(&flags, file(&text)).expect_err("no certificate in it").to_string();
    assert!(err.contains(&bogus.display().to_string()) && err.contains("no certificate"), "{err}");
    let missing = dir.path().join("missing.pem");
    let flags = Flags { storage_ca_file: Some(missing.clone()), ..Flags::default() };
    let err = ServerConfig::resolve(&flags, file(&text)).expect_err("unreadable").to_string();
    assert!(err.contains(&missing.display().to_string()), "{err}");
    // A CA for sled means nothing: refused rather than ignored.
    let err = ServerConfig::resolve(&Flags::default(), file(&format!("[storage]\nca_file = \"{}\"\n", ca.display())))
        .expect_err("ca_file without PostgreSQL")
        .to_string();
    assert!(err.contains("for PostgreSQL"), "{err}");
}

#[test]
fn relaying_is_for_postgres_from_named_standbys_on_a_port_of_its_own() {
    let postgres = "[storage]\nurl = \"postgresql://c@h/d\"\n";
    let config = resolve(
        &Flags::default(),
        &format!("{postgres}[relay]\nlisten = \"127.0.0.1:7444\"\nfrom = [\"127.0.0.2\", \"::1\"]\n"),
    );
    let relay = config.relay.clone().expect("relaying");
    assert_eq!(relay.advertise, "127.0.0.1:7444", "the listen address when it is one address");
    assert_eq!(relay.from.len(), 2);
    let StoreBackend::Postgres(options) = config.vault_config().expect("engine config").store else {
        panic!("PostgreSQL")
    };
    assert_eq!(options.relay.as_deref(), Some("127.0.0.1:7444"), "written in the database for the standbys");
    let written = config.to_toml().expect("TOML");
    assert_eq!(resolve(&Flags::default(), &written).relay, config.relay, "show-config reads back the same");
    assert_eq!(resolve(&Flags::default(), postgres).relay, None, "off unless asked for");

    let refused = |text: &str| ServerConfig::resolve(&Flags::default(), file(text)).expect_err("refused").to_string();
    let on_sled = refused("[relay]\nlisten = \"127.0.0.1:7444\"\nfrom = [\"127.0.0.2\"]\n");
    assert!(on_sled.contains("backend = \"postgres\""), "{on_sled}");
    let nobody = refused(&format!("{postgres}[relay]\nlisten = \"127.0.0.1:7444\"\n"));
    assert!(nobody.contains("[relay] from is empty"), "{nobody}");
    let same_port = refused(&format!("{postgres}[relay]\nlisten = \"127.0.0.1:7443\"\nfrom = [\"127.0.0.2\"]\n"));
    assert!(same_port.contains("a port of their own"), "{same_port}");
    let no_port = refused(&format!("{postgres}[relay]\nlisten = \"127.0.0.1:0\"\nfrom = [\"127.0.0.2\"]\n"));
    assert!(no_port.contains("give it a fixed one"), "{no_port}");
    let everywhere = refused(&format!("{postgres}[relay]\nlisten = \"0.0.0.0:7444\"\nfrom = [\"10.0.0.2\"]\n"));
    assert!(everywhere.contains("[relay] advertise"), "{everywhere}");
    let advertised = resolve(
        &Flags::default(),
        &format!(
            "{postgres}[relay]\nlisten = \"0.0.0.0:7444\"\nadvertise = \"coffre-a.example.org:7444\"\nfrom = [\"10.0.0.2\"]\n"
        ),
    );
    assert_eq!(advertised.relay.expect("relaying").advertise, "coffre-a.example.org:7444");
    for bad in ["coffre-a", ":7444", "coffre-a:0", "coffre-a:port", "a b:7444"] {
        let text =
            format!("{postgres}[relay]\nlisten = \"0.0.0.0:7444\"\nadvertise = \"{bad}\"\nfrom = [\"10.0.0.2\"]\n");
        assert!(refused(&text).contains("is not HOST:PORT"), "{bad}: {}", refused(&text));
    }
    let half = refused(&format!("{postgres}[relay]\nfrom = [\"10.0.0.2\"]\n"));
    assert!(half.contains("go with [relay] listen"), "{half}");
    let parse = FileConfig::parse(&format!("{postgres}[relay]\nfrom = [\"10.0.0.0/8\"]\n"), Path::new("t.toml"));
    let parse = parse.expect_err("a network is not an address").to_string();
    assert!(parse.contains("invalid IP address syntax"), "{parse}");
}

/// Every refusal reads in both languages from the catalogue, with its arguments filled in; `Display` is the English.
#[test]
fn every_refusal_reads_in_french_and_in_english() {
    use coffre_i18n::Lang;
    let listen: SocketAddr = "0.0.0.0:7444".parse().expect("address");
    let io = || std::io::Error::from(std::io::ErrorKind::NotFound);
    let all = [
        ConfigError::Read { path: "/etc/coffre/coffred.toml".into(), source: io() },
        ConfigError::Parse { path: "/etc/coffre/coffred.toml".into(), message: "unknown field `lisen`".into() },
        ConfigError::TlsHalf { given: "the certificate", missing: "the key" },
        ConfigError::TlsHalf { given: "the key", missing: "the certificate" },
        ConfigError::Zero("max_connections"),
        ConfigError::BackupWithoutDir("keep"),
        ConfigError::OutOfRange { key: "storage.retry_seconds", value: 5000, min: 1, max: 3600 },
        ConfigError::PostgresSettingsOnSled,
        ConfigError::StandbyOnSled,
        ConfigError::AddressOnSled,
        ConfigError::PostgresWithoutAddress,
        ConfigError::Database("the schema is not a plain identifier".into()),
        ConfigError::EmptyPasswordFile("/etc/coffre/db.pass".into()),
        ConfigError::RelayWithoutListen,
        ConfigError::RelayOnSled,
        ConfigError::RelayFromNobody,
        ConfigError::RelayWithoutPort(listen),
        ConfigError::RelayOnClientsAddress(listen),
        ConfigError::RelayEverywhere(listen),
        ConfigError::RelayAdvertise("a b".into()),
    ];
    for err in &all {
        let (english, french) = (err.localised(Lang::En), err.localised(Lang::FrCa));
        assert_eq!(err.to_string(), english);
        for text in [&english, &french] {
            assert!(!text.contains('{') && !text.contains("$"), "an argument left unfilled: {text}");
            assert!(!text.contains('\u{2068}'), "no isolation marks: {text:?}");
        }
        assert_ne!(english, french, "not translated: {english}");
    }
    let read = all[0].localised(Lang::FrCa);
    assert!(read.starts_with("impossible de lire /etc/coffre/coffred.toml\u{a0}: "), "{read}");
    let everywhere = all[18].localised(Lang::FrCa);
    assert!(everywhere.contains("advertise = \"10.0.0.1:7444\""), "the port is filled in: {everywhere}");
    let range = all[6].localised(Lang::En);
    assert_eq!(range, "storage.retry_seconds = 5000 is out of range: it must be between 1 and 3600", "no grouping");
}
