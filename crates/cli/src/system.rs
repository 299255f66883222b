//! The vault's life: `coffre status`, `coffre init`, `coffre unseal`, `coffre seal`.

use clap::Args;
use coffre_i18n::t;
use coffre_proto::v1::{GetStatusRequest, InitRequest, KdfParams, SealRequest, UnsealRequest, WhoAmIRequest};
use serde::Serialize;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::{
    Context,
    exit::Failure,
    output::{emit, from_proto, human_time, json_time, printable},
    qr::second_factor_text,
    recovery::Issued,
    secrets_input::{PassphraseArgs, Spec, read_secret},
    session,
    shares::{self, HolderArgs},
    values::{role_name, seal_state_name},
};

/// Argon2id bounds the daemon enforces (proto/coffre/v1/common.proto, KdfParams).
const KDF_MIN_MEMORY_KIB: u32 = 8192;
const KDF_MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
const KDF_MAX_ITERATIONS: u32 = 64;

/// Options of `coffre init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The president's name: the person who holds the password bank
    #[arg(long, value_name = "NAME")]
    president: String,
    /// The leader's name: they get a one-time code to set their own passphrase with `coffre enroll`
    #[arg(long, value_name = "NAME")]
    leader: Option<String>,
    #[command(flatten)]
    passphrase: PassphraseArgs,
    /// Argon2id memory cost in KiB (default: the daemon's, 65536; at least 8192)
    #[arg(long, value_name = "N")]
    kdf_memory_kib: Option<u32>,
    /// Argon2id iterations (default: the daemon's, 3; at least 1)
    #[arg(long, value_name = "N")]
    kdf_iterations: Option<u32>,
    #[command(flatten)]
    holders: HolderArgs,
}

/// Options of `coffre unseal`.
#[derive(Debug, Args)]
pub(crate) struct UnsealArgs {
    #[command(flatten)]
    passphrase: PassphraseArgs,
}

/// Refuses Argon2id costs the daemon would refuse, before asking for a passphrase.
fn check_kdf(memory_kib: Option<u32>, iterations: Option<u32>) -> Result<KdfParams, Failure> {
    if let Some(memory) = memory_kib {
        if memory < KDF_MIN_MEMORY_KIB {
            return Err(Failure::invalid(t!("kdf-memory-too-small", memory = memory, min = KDF_MIN_MEMORY_KIB)));
        }
        if memory > KDF_MAX_MEMORY_KIB {
            return Err(Failure::invalid(t!("kdf-memory-too-large", memory = memory, max = KDF_MAX_MEMORY_KIB)));
        }
    }
    if let Some(iterations) = iterations.filter(|i| !(1..=KDF_MAX_ITERATIONS).contains(i)) {
        return Err(Failure::invalid(t!(
            "kdf-iterations-out-of-range",
            iterations = iterations,
            max = KDF_MAX_ITERATIONS
        )));
    }
    // Zero means "the daemon's default".
    Ok(KdfParams { memory_kib: memory_kib.unwrap_or(0), iterations: iterations.unwrap_or(0), parallelism: 0 })
}

/// What `init` prints with `--json`.
#[derive(Serialize)]
struct Initialised<'a> {
    vault_id: &'a str,
    president: &'a str,
    leader: Option<&'a str>,
    leader_enrolment_code: Option<&'a str>,
    leader_enrolment_expires: Option<String>,
    president_otpauth_uri: &'a str,
    recovery: Option<Issued>,
}

pub(crate) async fn init(args: &InitArgs, ctx: &Context) -> Result<(), Failure> {
    let kdf = check_kdf(args.kdf_memory_kib, args.kdf_iterations)?;
    let daemon = ctx.daemon().await?;
    let passphrase = read_secret(
        args.passphrase.source(),
        &Spec::NEW_PASSPHRASE,
        &t!("init-passphrase-prompt", name = args.president.as_str()),
    )?;
    let recovery = if args.holders.any() { Some(args.holders.share_set()?) } else { None };
    let (recovery, shares_dir) = match recovery {
        Some((spec, dir)) => (Some(spec), Some(dir)),
        None => (None, None),
    };
    let request = InitRequest {
        president: args.president.clone(),
        passphrase: passphrase.to_request_bytes(),
        leader: args.leader.clone().unwrap_or_default(),
        kdf: Some(kdf),
        recovery,
    };
    let mut response = daemon.system().init(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
    // The enrolment code and the second factor are secrets: moved into wiping buffers, out of the response.
    let code = Zeroizing::new(std::mem::take(&mut response.leader_enrolment_code));
    let uri = Zeroizing::new(std::mem::take(&mut response.president_otpauth_uri));
    let leader = args.leader.as_deref().filter(|_| !code.is_empty());
    let expires = from_proto(response.leader_enrolment_expires.as_ref());
    let issued = match (response.recovery.take(), &shares_dir) {
        (Some(issued), Some(dir)) => {
            let written = shares::write_share_files(dir, &issued)?;
            Some((
                shares::issued_text(&issued, &written),
                Issued { share_set_id: issued.share_set_id, threshold: issued.threshold, shares: written },
            ))
        }
        _ => None,
    };
    let (shares_text, recovery) = match issued {
        Some((text, report)) => (Some(text), Some(report)),
        None => (None, None),
    };
    let report = Initialised {
        vault_id: &response.vault_id,
        president: &args.president,
        leader,
        leader_enrolment_code: leader.map(|_| code.as_str()),
        leader_enrolment_expires: leader.and(json_time(response.leader_enrolment_expires.as_ref())),
        president_otpauth_uri: uri.as_str(),
        recovery,
    };
    emit(ctx.json(), &report, || {
        let mut text = t!("init-done", id = printable(&response.vault_id), name = printable(&args.president));
        text.push_str("\n\n");
        text.push_str(&second_factor_text(&uri, std::io::IsTerminal::is_terminal(&std::io::stdout())));
        if let Some(leader) = leader {
            text.push('\n');
            text.push_str(&t!(
                "init-leader-code",
                leader = printable(leader),
                code = code.as_str(),
                expires = human_time(expires)
            ));
            text.push('\n');
        }
        match &shares_text {
            Some(shares) => text.push_str(&format!("\n{shares}\n")),
            None => {
                text.push('\n');
                text.push_str(&t!("init-no-shares"));
                text.push('\n');
            }
        }
        text.push('\n');
        text.push_str(&t!("init-next", name = printable(&args.president)));
        text
    })
}

/// What `unseal` prints with `--json`.
#[derive(Serialize)]
struct Unsealed {
    state: &'static str,
    already_unsealed: bool,
}

pub(crate) async fn unseal(args: &UnsealArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon().await?;
    let passphrase = read_secret(args.passphrase.source(), &Spec::PASSPHRASE, &t!("unseal-prompt"))?;
    let request = UnsealRequest { passphrase: passphrase.to_request_bytes() };
    let response = daemon.system().unseal(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
    let report = Unsealed { state: "unsealed", already_unsealed: response.already_unsealed };
    emit(ctx.json(), &report, || if report.already_unsealed { t!("unseal-already") } else { t!("unseal-done") })
}

/// What `seal` prints with `--json`.
#[derive(Serialize)]
struct Sealed {
    state: &'static str,
}

pub(crate) async fn seal(ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    daemon.system().seal(daemon.request(SealRequest {})?).await.map_err(|s| daemon.fail(s))?;
    // Sealing ended every session, ours included.
    if let Some(path) = ctx.session_path() {
        session::delete(&path)?;
    }
    emit(ctx.json(), &Sealed { state: "sealed" }, || t!("seal-done"))
}

/// What `status` prints with `--json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
struct StatusReport {
    state: &'static str,
    vault_id: Option<String>,
    version: String,
    audit_events: u64,
    audit_public_key: Option<String>,
    audit_head_hash: Option<String>,
    /// The vault's database lacks a change the audit log holds, which coffred gives it again by itself.
    store_catching_up: bool,
    server: String,
    /// The SHA-256 fingerprint of the CA this client trusts for the daemon, to hand to a new member.
    ca_fingerprint: Option<String>,
    session: Option<SessionReport>,
    /// The standby coffreds waiting to take the vault over (PostgreSQL, docs/ha.md).
    standbys: Vec<StandbyReport>,
}

/// A standby coffred in `status`.
#[derive(Clone, Debug, PartialEq, Serialize)]
struct StandbyReport {
    name: String,
    armed: bool,
    seen_seconds_ago: u64,
    /// Not heard from for too long (the daemon decides): it stopped or lost the database.
    silent: bool,
    /// It relays its clients to the serving coffred (`[relay]`).
    relays: bool,
}

/// The caller's session in `status`.
#[derive(Clone, Debug, PartialEq, Serialize)]
struct SessionReport {
    name: String,
    role: &'static str,
    expires: Option<String>,
}

pub(crate) async fn status(ctx: &Context) -> Result<(), Failure> {
    let target = ctx.target()?;
    // A damaged or foreign session file must not hide the vault's state: it only means "no session".
    let saved = ctx
        .saved_session(&target.server)
        .ok()
        .flatten()
        .filter(|session| !session.is_expired(OffsetDateTime::now_utc()));
    let daemon = crate::client::Daemon::connect(&target, saved).await?;
    let status = daemon
        .system()
        .get_status(tonic::Request::new(GetStatusRequest {}))
        .await
        .map_err(|s| daemon.fail(s))?
        .into_inner();
    let mut session = None;
    if daemon.session().is_some() {
        // Any refusal (expired, sealed...) just means there is no usable session.
        if let Ok(who) = daemon.auth().who_am_i(daemon.request(WhoAmIRequest {})?).await {
            let who = who.into_inner();
            session = Some(SessionReport {
                name: who.name,
                role: role_name(who.role),
                expires: json_time(who.session_expires.as_ref()),
            });
        }
    }
    let report = StatusReport {
        state: seal_state_name(status.state),
        vault_id: Some(status.vault_id).filter(|id| !id.is_empty()),
        version: status.version,
        audit_events: status.audit_events,
        audit_public_key: Some(status.audit_public_key).filter(|k| !k.is_empty()),
        audit_head_hash: Some(status.audit_head_hash).filter(|h| !h.is_empty()),
        store_catching_up: status.store_catching_up,
        server: daemon.server().as_str().to_owned(),
        ca_fingerprint: crate::connect::first_certificate(&target.ca_pem)
            .ok()
            .map(|der| crate::connect::fingerprint(&der)),
        session,
        standbys: status
            .standbys
            .into_iter()
            .map(|standby| StandbyReport {
                name: standby.name,
                armed: standby.armed,
                seen_seconds_ago: standby.seen_seconds_ago,
                silent: standby.silent,
                relays: standby.relays,
            })
            .collect(),
    };
    emit(ctx.json(), &report, || status_text(&report))
}

fn status_text(report: &StatusReport) -> String {
    let mut lines: Vec<(String, String)> = vec![
        (t!("status-server"), report.server.clone()),
        (t!("status-vault"), t!("state-name", state = report.state)),
    ];
    if report.store_catching_up {
        lines.push((t!("status-database"), t!("status-database-catching-up")));
    }
    if let Some(id) = &report.vault_id {
        lines.push((t!("status-vault-id"), printable(id)));
    }
    if let Some(fingerprint) = &report.ca_fingerprint {
        lines.push((t!("status-ca"), fingerprint.clone()));
    }
    lines.push((t!("status-daemon"), format!("coffred {}", printable(&report.version))));
    lines.push((t!("status-audit-events"), report.audit_events.to_string()));
    if let Some(hash) = &report.audit_head_hash {
        lines.push((t!("status-audit-head"), printable(hash)));
    }
    if let Some(key) = &report.audit_public_key {
        lines.push((t!("status-audit-key"), printable(key)));
    }
    let session = match &report.session {
        Some(s) => {
            let until = s.expires.as_deref().and_then(crate::output::parse_rfc3339);
            t!(
                "status-session-value",
                name = printable(&s.name),
                role = t!("role-name", role = s.role),
                until = human_time(until)
            )
        }
        None => t!("status-not-logged-in"),
    };
    lines.push((t!("status-session"), session));
    for standby in &report.standbys {
        let value = t!(
            "status-standby-value",
            name = printable(&standby.name),
            state = coffre_i18n::standby_state(standby.armed, standby.silent),
            ago = coffre_i18n::elapsed(standby.seen_seconds_ago),
            relays = coffre_i18n::standby_relays(standby.relays)
        );
        lines.push((t!("status-standby"), value));
    }
    let mut text = crate::output::aligned(&lines);
    let next = match (report.state, &report.session) {
        ("sealed", _) if report.store_catching_up => Some(t!("next-wait-for-database-sealed")),
        _ if report.store_catching_up => Some(t!("next-wait-for-database")),
        ("uninitialised", _) => Some(t!("next-init")),
        ("sealed", _) => Some(t!("next-unseal-owner")),
        ("unsealed", None) => Some(t!("next-login-or-enroll")),
        _ => None,
    };
    if let Some(next) = next {
        text.push_str(&t!("next-line", next = next));
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kdf_costs_below_the_daemons_floor_are_refused_locally() {
        let err = check_kdf(Some(1024), None).err();
        assert_eq!(err.as_ref().map(Failure::exit_code), Some(8));
        assert!(err.is_some_and(|e| e.message().starts_with("--kdf-memory-kib 1024 is too small")));
        assert!(check_kdf(None, Some(0)).is_err());
        assert!(check_kdf(Some(8192), Some(1)).is_ok());
        assert!(check_kdf(Some(u32::MAX), None).is_err());
    }

    #[test]
    fn unset_kdf_costs_leave_the_choice_to_the_daemon() -> Result<(), Failure> {
        assert_eq!(check_kdf(None, None)?, KdfParams { memory_kib: 0, iterations: 0, parallelism: 0 });
        Ok(())
    }

    #[test]
    fn status_json_has_the_documented_keys() -> Result<(), serde_json::Error> {
        let report = StatusReport {
            state: "unsealed",
            vault_id: Some("ab12".into()),
            version: "0.1.0".into(),
            audit_events: 7,
            audit_public_key: Some("ed25519:00ff".into()),
            audit_head_hash: Some("abcd".into()),
            store_catching_up: false,
            server: "https://127.0.0.1:7443".into(),
            ca_fingerprint: Some("3f1c".into()),
            session: Some(SessionReport {
                name: "alice".into(),
                role: "president",
                expires: Some("2030-01-01T00:00:00Z".into()),
            }),
            standbys: vec![StandbyReport {
                name: "vault-b".into(),
                armed: true,
                seen_seconds_ago: 1,
                silent: false,
                relays: true,
            }],
        };
        let expected = serde_json::json!({
            "state": "unsealed", "vault_id": "ab12", "version": "0.1.0", "audit_events": 7,
            "audit_public_key": "ed25519:00ff", "audit_head_hash": "abcd", "store_catching_up": false,
            "server": "https://127.0.0.1:7443", "ca_fingerprint": "3f1c",
            "session": {"name": "alice", "role": "president", "expires": "2030-01-01T00:00:00Z"},
            "standbys": [{"name": "vault-b", "armed": true, "seen_seconds_ago": 1, "silent": false, "relays": true}],
        });
        assert_eq!(serde_json::to_value(&report)?, expected);
        let logged_out = StatusReport { session: None, vault_id: None, state: "uninitialised", ..report };
        let value = serde_json::to_value(&logged_out)?;
        assert_eq!(
            (value.get("session"), value.get("vault_id")),
            (Some(&serde_json::Value::Null), Some(&serde_json::Value::Null))
        );
        assert!(status_text(&logged_out).ends_with("Next: create the vault with `coffre init --president NAME`.\n"));
        // A change the database missed, unsealed or sealed (an owner's seal made while it was away): coffred gives
        // it by itself; sealed, an owner unseals once it has.
        let behind = StatusReport { store_catching_up: true, session: None, ..logged_out };
        let unsealed = status_text(&StatusReport { state: "unsealed", ..behind.clone() });
        assert!(unsealed.contains("serves again by itself (an owner logged in can seal"), "{unsealed}");
        let sealed = status_text(&StatusReport { state: "sealed", ..behind });
        assert!(
            sealed.contains("missing a change") && sealed.contains("then the president or the leader unseals"),
            "{sealed}"
        );
        Ok(())
    }

    #[test]
    fn status_names_each_standby_and_says_which_one_is_lost() {
        let report = |standbys| StatusReport {
            state: "unsealed",
            vault_id: None,
            version: "0.1.0".into(),
            audit_events: 0,
            audit_public_key: None,
            audit_head_hash: None,
            store_catching_up: false,
            server: "https://vault-a:7443".into(),
            ca_fingerprint: None,
            session: None,
            standbys,
        };
        let standbys = vec![
            StandbyReport { name: "vault-b".into(), armed: true, seen_seconds_ago: 1, silent: false, relays: false },
            StandbyReport { name: "vault-c".into(), armed: false, seen_seconds_ago: 10, silent: false, relays: true },
            StandbyReport {
                name: "vault-d\u{1b}[2J".into(),
                armed: true,
                seen_seconds_ago: 754,
                silent: true,
                relays: false,
            },
        ];
        let text = status_text(&report(standbys));
        let lines: Vec<&str> = text.lines().filter(|line| line.starts_with("Standby:")).collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].ends_with("vault-b: armed: if this coffred stops, it takes the vault over and unseals it (unless an owner sealed it)"), "{text}");
        assert!(lines[1].contains("vault-c: waiting: if this coffred stops, it takes the vault over sealed"), "{text}");
        assert!(lines[1].ends_with("to unseal; meanwhile, it relays its clients to this coffred"), "{text}");
        assert!(!lines[0].contains("relays") && !lines[2].contains("relays"), "{text}");
        // Unseen for longer than a standby's beat: an armed flag then promises nothing.
        assert!(lines[2].contains("not seen for 12 min: check coffred on vault-d"), "{text}");
        assert!(!text.contains('\u{1b}'), "a standby's name is the database's word, not to be printed raw: {text}");
        assert!(!status_text(&report(Vec::new())).contains("Standby"));
        let lost = [
            ("name", "vault-b".to_owned()),
            ("state", "lost".to_owned()),
            ("ago", coffre_i18n::elapsed(7300)),
            ("relays", "no".to_owned()),
        ];
        let french = coffre_i18n::message(coffre_i18n::Lang::FrCa, "status-standby-value", &lost);
        assert_eq!(
            french.as_deref(),
            Some(
                "vault-b\u{a0}: sans nouvelles depuis 2 h\u{a0}: vérifiez coffred sur vault-b, qui ne dit plus qu’il attend"
            )
        );
        let relaying = [
            ("name", "vault-c".to_owned()),
            ("state", "waiting".to_owned()),
            ("ago", coffre_i18n::elapsed(1)),
            ("relays", "yes".to_owned()),
        ];
        let french = coffre_i18n::message(coffre_i18n::Lang::FrCa, "status-standby-value", &relaying).unwrap();
        assert!(
            french.ends_with("descelle ensuite\u{202f}; entre-temps, il relaie ses clients vers ce coffred"),
            "{french}"
        );
    }
}
