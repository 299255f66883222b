//! Rotation: `coffre rotate stage | confirm | cancel` (a password changes on its platform by hand, so the new one
//! is staged first and made current only once it works there), and `coffre rotation due` (which passwords should
//! change, why and since when).

use std::{collections::BTreeMap, path::PathBuf};

use clap::{Args, Subcommand};
use coffre_i18n::{Lang, t};
use coffre_proto::v1::{
    CancelRotationRequest, ConfirmRotationRequest, DueKind, DueReason, RotationDueRequest, StageRotationRequest,
    StagedRotation, stage_rotation_request::NewPassword,
};
use serde::Serialize;

use crate::{
    Context,
    exit::Failure,
    generate::{PolicyArgs, round},
    output::{EntryJson, ROTATION_DETAILS, coded_text, emit, from_proto, human_time, json_time, printable, table},
    secrets_input::{Source, Spec, read_secret},
    values::category_name,
};

/// The rotate subcommands.
#[derive(Subcommand)]
pub(crate) enum RotateCommand {
    /// Stage a new password: it waits as the pending version until you confirm it (owners)
    Stage(StageArgs),
    /// Make the staged password current, once it works on the platform; the old one stays in history
    Confirm(WhichArgs),
    /// Drop the staged password; the entry stays exactly as it was
    Cancel(WhichArgs),
}

/// The rotation subcommands.
#[derive(Subcommand)]
pub(crate) enum RotationCommand {
    /// List the passwords that should change (too old, seen by someone who left, compromised), and the staged ones
    Due,
}

/// Options of `coffre rotate stage`.
#[derive(Debug, Args)]
#[command(after_help = "Then: `coffre reveal PLATFORM --pending --reason TEXT`, change the password on the \
                        platform, and `coffre rotate confirm PLATFORM` (or `coffre rotate cancel PLATFORM`).")]
pub(crate) struct StageArgs {
    /// The platform's name, as in `coffre entry list`
    #[arg(value_name = "PLATFORM")]
    platform: String,
    /// Let the daemon generate the new password (24 characters of every kind unless the options below say
    /// otherwise); it never travels from this computer
    #[arg(long, conflicts_with_all = ["password_file", "password_stdin"])]
    generate: bool,
    /// Read the new password from FILE (one trailing newline is ignored)
    #[arg(long, value_name = "FILE", conflicts_with = "password_stdin")]
    password_file: Option<PathBuf>,
    /// Read the new password from standard input (one trailing newline is ignored)
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    policy: PolicyArgs,
}

/// Options of `coffre rotate confirm` and `cancel`.
#[derive(Debug, Args)]
pub(crate) struct WhichArgs {
    /// The platform's name
    #[arg(value_name = "PLATFORM")]
    platform: String,
    /// The rotation's id as `coffre rotate stage` showed it (at least 8 characters): refuses if another one is
    /// staged now
    #[arg(long, value_name = "ID")]
    id: Option<String>,
}

pub(crate) async fn run(command: &RotateCommand, ctx: &Context) -> Result<(), Failure> {
    match command {
        RotateCommand::Stage(args) => stage(args, ctx).await,
        RotateCommand::Confirm(args) => confirm(args, ctx).await,
        RotateCommand::Cancel(args) => cancel(args, ctx).await,
    }
}

pub(crate) async fn run_rotation(command: &RotationCommand, ctx: &Context) -> Result<(), Failure> {
    match command {
        RotationCommand::Due => due(ctx).await,
    }
}

/// A staged rotation in JSON.
#[derive(Serialize)]
struct StagedJson {
    platform: String,
    rotation_id: String,
    pending_version: u32,
    base_version: u32,
    staged_by: String,
    staged: Option<String>,
    generated: bool,
    entropy_bits: Option<f64>,
}

impl From<&StagedRotation> for StagedJson {
    fn from(s: &StagedRotation) -> Self {
        StagedJson {
            platform: s.platform.clone(),
            rotation_id: s.rotation_id.clone(),
            pending_version: s.pending_version,
            base_version: s.base_version,
            staged_by: s.staged_by.clone(),
            staged: json_time(s.staged.as_ref()),
            generated: s.generated,
            entropy_bits: s.generated.then(|| round(s.entropy_bits)),
        }
    }
}

async fn stage(args: &StageArgs, ctx: &Context) -> Result<(), Failure> {
    if args.policy.any_given() && !args.generate {
        return Err(Failure::new(crate::Kind::Usage, t!("rotate-policy-without-generate")));
    }
    let new_password = if args.generate {
        NewPassword::Generate(args.policy.to_proto()?)
    } else {
        let source = Source::from_flags(args.password_file.as_deref(), args.password_stdin);
        let password = read_secret(
            source,
            &Spec::NEW_PASSWORD,
            &t!("entry-new-password-prompt", platform = args.platform.as_str()),
        )?;
        NewPassword::Password(password.to_request_bytes())
    };
    let daemon = ctx.daemon_with_session().await?;
    let request = StageRotationRequest { platform: args.platform.clone(), new_password: Some(new_password) };
    let response = daemon.rotation().stage_rotation(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let staged = response.into_inner().staged.unwrap_or_default();
    emit(ctx.json(), &StagedJson::from(&staged), || {
        let platform = printable(&staged.platform);
        let id = staged.rotation_id.get(..8).unwrap_or(&staged.rotation_id);
        let mut text = if staged.generated {
            t!(
                "rotate-staged-generated",
                platform = platform.as_str(),
                version = staged.pending_version,
                id = id,
                bits = format!("{:.0}", staged.entropy_bits)
            )
        } else {
            t!("rotate-staged", platform = platform.as_str(), version = staged.pending_version, id = id)
        };
        text.push('\n');
        text.push_str(&t!("rotate-staged-next", platform = platform.as_str()));
        text
    })
}

async fn confirm(args: &WhichArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request =
        ConfirmRotationRequest { platform: args.platform.clone(), rotation_id: args.id.clone().unwrap_or_default() };
    let response = daemon.rotation().confirm_rotation(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let entry = response.into_inner().entry.unwrap_or_default();
    emit(ctx.json(), &EntryJson::from(&entry), || {
        t!("rotate-confirmed", platform = printable(&entry.platform), version = entry.version)
    })
}

async fn cancel(args: &WhichArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request =
        CancelRotationRequest { platform: args.platform.clone(), rotation_id: args.id.clone().unwrap_or_default() };
    let response = daemon.rotation().cancel_rotation(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let cancelled = response.into_inner().cancelled.unwrap_or_default();
    emit(ctx.json(), &StagedJson::from(&cancelled), || {
        t!(
            "rotate-cancelled",
            by = printable(&cancelled.staged_by),
            time = human_time(from_proto(cancelled.staged.as_ref())),
            platform = printable(&cancelled.platform),
            version = cancelled.base_version
        )
    })
}

/// One reason in JSON: the detail in English as the daemon wrote it, and its stable code and arguments.
#[derive(Serialize)]
struct ReasonJson {
    kind: &'static str,
    detail: String,
    detail_code: String,
    detail_arguments: BTreeMap<String, String>,
    since: Option<String>,
}

/// A reason's detail in `lang`, from its code and arguments; the daemon's English text when the code is unknown
/// here or an argument is missing (a daemon older or newer than this client), never half a translation.
fn detail_text(reason: &DueReason, lang: Lang) -> String {
    coded_text(lang, &ROTATION_DETAILS, &reason.detail_code, &reason.detail_arguments, &[])
        .unwrap_or_else(|| reason.detail.clone())
}

/// One entry due in JSON.
#[derive(Serialize)]
struct DueJson {
    platform: String,
    category: String,
    reasons: Vec<ReasonJson>,
}

/// What `rotation due` prints with `--json`.
#[derive(Serialize)]
struct Report {
    due: Vec<DueJson>,
    staged: Vec<StagedJson>,
}

fn kind_name(kind: i32) -> &'static str {
    match DueKind::try_from(kind) {
        Ok(DueKind::Age) => "age",
        Ok(DueKind::Offboarded) => "offboarded",
        Ok(DueKind::Compromised) => "compromised",
        Ok(DueKind::Unspecified) | Err(_) => "unknown",
    }
}

async fn due(ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let response =
        daemon.rotation().rotation_due(daemon.request(RotationDueRequest {})?).await.map_err(|s| daemon.fail(s))?;
    let response = response.into_inner();
    let report = Report {
        due: response
            .due
            .iter()
            .map(|d| DueJson {
                platform: d.platform.clone(),
                category: category_name(d.category),
                reasons: d
                    .reasons
                    .iter()
                    .map(|r| ReasonJson {
                        kind: kind_name(r.kind),
                        detail: r.detail.clone(),
                        detail_code: r.detail_code.clone(),
                        detail_arguments: r.detail_arguments.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                        since: json_time(r.since.as_ref()),
                    })
                    .collect(),
            })
            .collect(),
        staged: response.staged.iter().map(StagedJson::from).collect(),
    };
    emit(ctx.json(), &report, || {
        let mut text = String::new();
        if response.due.is_empty() {
            text.push_str(&t!("rotation-none-due"));
            text.push('\n');
        } else {
            let rows: Vec<Vec<String>> = response
                .due
                .iter()
                .flat_map(|d| {
                    d.reasons.iter().map(move |r| {
                        vec![
                            printable(&d.platform),
                            t!("rotation-why", kind = kind_name(r.kind)),
                            human_time(from_proto(r.since.as_ref())),
                            printable(&detail_text(r, ctx.lang())),
                        ]
                    })
                })
                .collect();
            text.push_str(&table(&["platform", "why", "since", "detail"], &rows));
            text.push_str(&t!("rotation-due-next"));
            text.push('\n');
        }
        if !response.staged.is_empty() {
            let rows: Vec<Vec<String>> = response
                .staged
                .iter()
                .map(|s| {
                    vec![
                        printable(&s.platform),
                        s.pending_version.to_string(),
                        printable(&s.staged_by),
                        human_time(from_proto(s.staged.as_ref())),
                    ]
                })
                .collect();
            text.push('\n');
            text.push_str(&t!("rotation-staged-heading"));
            text.push('\n');
            text.push_str(&table(&["platform", "pending-version", "staged-by", "since"], &rows));
        }
        text
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::Cli;

    #[test]
    fn a_new_password_comes_from_one_source_and_never_from_a_flag_value() {
        for args in [
            &["coffre", "rotate", "stage", "X", "--generate", "--password-stdin"][..],
            &["coffre", "rotate", "stage", "X", "--password", "hunter2"],
            &["coffre", "rotate", "stage", "X", "--password-file", "f", "--password-stdin"],
        ] {
            assert!(Cli::try_parse_from(args).is_err(), "{args:?}");
        }
        assert!(Cli::try_parse_from(["coffre", "rotate", "stage", "X", "--generate", "--words", "7"]).is_ok());
        assert!(Cli::try_parse_from(["coffre", "rotate", "confirm", "X", "--id", "0123abcd"]).is_ok());
        assert!(Cli::try_parse_from(["coffre", "rotation", "due", "--json"]).is_ok());
    }

    fn reason(code: &str, arguments: &[(&str, &str)], english: &str) -> DueReason {
        DueReason {
            kind: DueKind::Age as i32,
            detail: english.to_owned(),
            since: None,
            detail_code: code.to_owned(),
            detail_arguments: arguments.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    #[test]
    fn a_rotation_detail_reads_in_the_readers_language_from_its_code() {
        // Every code in both languages, every argument shown (the server's tests check the English equals the
        // engine's own text for what it sends).
        for &(code, names) in ROTATION_DETAILS.codes {
            let arguments: Vec<(&str, String)> = names.iter().map(|n| (*n, format!("<{n}>"))).collect();
            let arguments: Vec<(&str, &str)> = arguments.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let sent = reason(code, &arguments, "the daemon's text");
            let (english, french) = (detail_text(&sent, Lang::En), detail_text(&sent, Lang::FrCa));
            for (_, value) in &arguments {
                assert!(english.contains(value) && french.contains(value), "{code}: {english} / {french}");
            }
            assert_ne!(english, "the daemon's text", "{code}");
            if code != "offboarded" {
                assert_ne!(french, english, "{code} is French");
                assert!(!french.contains("offboarded") && !french.contains(" saw "), "{code}: {french}");
            }
        }
        let age = reason("age", &[("days", "120"), ("max_days", "90")], "password unchanged for 120 days; …");
        assert_eq!(
            detail_text(&age, Lang::FrCa),
            "mot de passe inchangé depuis 120\u{a0}jours\u{a0}; au plus 90\u{a0}jours pour cette catégorie"
        );
        // A daemon too old to send a code, a code from a newer daemon, an argument missing: its English text.
        for old in [
            reason("", &[], "the daemon's text"),
            reason("stolen", &[("by", "x")], "the daemon's text"),
            reason("compromised", &[("by", "x")], "the daemon's text"),
        ] {
            assert_eq!(detail_text(&old, Lang::FrCa), "the daemon's text");
        }
    }
}
