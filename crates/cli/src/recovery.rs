//! Recovery: `coffre recover` (a holder submits a share), `coffre recovery status | rekey | keygen`.
//!
//! A share file is decrypted here, on the holder's machine, with the holder's age identity file or passphrase;
//! only the decrypted share goes to the daemon (over TLS). A file already decrypted (with the reference `age` tool)
//! is sent as it is.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use coffre_crypto::{
    age_file::{self, AgeIdentity, Unlock},
    secret::Passphrase,
};
use coffre_i18n::t;
use coffre_proto::v1::{
    FinishRecoveryRequest, GetRecoveryStatusRequest, GetRecoveryStatusResponse, RekeyRequest, SubmitShareRequest,
};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::{
    Context,
    client::Daemon,
    exit::{Failure, Kind, io_reason},
    output::{emit, from_proto, human_time, json_time, printable},
    secrets_input::{SecretBytes, Source, Spec, read_file, read_secret},
    shares::{self, HolderArgs, WrittenShare},
};

/// The largest share file read (an armored share is under 1 KiB).
const MAX_SHARE_FILE_BYTES: usize = 16 * 1024;
/// The largest decrypted share accepted.
const MAX_ENVELOPE_BYTES: usize = 1024;

/// Options of `coffre recover`.
#[derive(Debug, Args)]
pub(crate) struct RecoverArgs {
    /// Your share file, as it was given to you (or already decrypted with `age -d`)
    #[arg(long, value_name = "FILE")]
    share: PathBuf,
    /// Your age identity file (from `age-keygen` or `coffre recovery keygen`), when your share is locked with a key
    #[arg(long, value_name = "KEYFILE")]
    identity: Option<PathBuf>,
    /// Read the passphrase of a share locked with a passphrase from FILE instead of the terminal
    #[arg(long, value_name = "FILE")]
    share_passphrase_file: Option<PathBuf>,
    /// Whose passphrase to set when the recovery completes: an owner's name [default: the president]
    #[arg(long, value_name = "NAME")]
    owner: Option<String>,
    /// Read the owner's new passphrase from FILE instead of the terminal
    #[arg(long, value_name = "FILE", conflicts_with = "new_passphrase_stdin")]
    new_passphrase_file: Option<PathBuf>,
    /// Read the owner's new passphrase from standard input
    #[arg(long)]
    new_passphrase_stdin: bool,
}

/// The recovery subcommands.
#[derive(Subcommand)]
pub(crate) enum RecoveryCommand {
    /// Show the share set and the recovery in progress (needs no login; works while sealed)
    Status,
    /// Issue a new share set for the holders named; the old shares no longer open the vault (owners)
    Rekey(RekeyArgs),
    /// Make an age key pair for a holder: the secret key goes to FILE, the public key (age1...) is printed
    Keygen(KeygenArgs),
}

/// Options of `coffre recovery rekey`.
#[derive(Debug, Args)]
pub(crate) struct RekeyArgs {
    #[command(flatten)]
    holders: HolderArgs,
}

/// Options of `coffre recovery keygen`.
#[derive(Debug, Args)]
pub(crate) struct KeygenArgs {
    /// Where to write the secret key (a new file, mode 0600); keep it offline, e.g. on a USB key or on paper
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub(crate) async fn run(command: &RecoveryCommand, ctx: &Context) -> Result<(), Failure> {
    match command {
        RecoveryCommand::Status => status(ctx).await,
        RecoveryCommand::Rekey(args) => rekey(args, ctx).await,
        RecoveryCommand::Keygen(args) => keygen(args, ctx),
    }
}

/// What `recover` prints with `--json`.
#[derive(Serialize)]
struct Recovered {
    holder: String,
    number: u32,
    submitted: u32,
    threshold: u32,
    expires: Option<String>,
    complete: bool,
    unsealed_now: bool,
    owner: Option<String>,
}

pub(crate) async fn recover(args: &RecoverArgs, ctx: &Context) -> Result<(), Failure> {
    let envelope = open_share(args)?;
    let daemon = ctx.daemon().await?;
    let status = recovery_status(&daemon).await?;
    if !status.configured {
        return Err(Failure::new(Kind::State, t!("daemon-reason-no-share-set")));
    }
    // When this share is likely the last, the new passphrase is asked now: once the recovery completes, its
    // one-time code must be used at once.
    let mut new_passphrase =
        if status.submitted + 1 >= status.threshold { Some(read_new_passphrase(args)?) } else { None };
    let request = SubmitShareRequest { share: envelope.expose_secret().to_vec() };
    let mut response =
        daemon.recovery().submit_share(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
    let code = Zeroizing::new(std::mem::take(&mut response.completion_code));
    let mut report = Recovered {
        holder: response.holder.clone(),
        number: response.x,
        submitted: response.submitted,
        threshold: response.threshold,
        expires: json_time(response.expires.as_ref()),
        complete: response.complete,
        unsealed_now: response.unsealed_now,
        owner: None,
    };
    if response.complete {
        let passphrase = match new_passphrase.take() {
            Some(passphrase) => passphrase,
            None => read_new_passphrase(args).map_err(|failure| {
                Failure::new(failure.kind(), t!("recover-no-new-passphrase", message = failure.message()))
            })?,
        };
        let finish = FinishRecoveryRequest {
            completion_code: code.to_string(),
            owner: args.owner.clone().unwrap_or_default(),
            new_passphrase: passphrase.to_request_bytes(),
        };
        let done =
            daemon.recovery().finish_recovery(daemon.request(finish)?).await.map_err(|s| daemon.fail(s))?.into_inner();
        report.owner = Some(done.owner);
    }
    emit(ctx.json(), &report, || recovered_text(&report, from_proto(response.expires.as_ref())))
}

fn recovered_text(report: &Recovered, expires: Option<time::OffsetDateTime>) -> String {
    let holder = printable(&report.holder);
    if let Some(owner) = &report.owner {
        let owner = printable(owner);
        return t!(
            "recover-complete",
            number = report.number,
            holder = holder,
            submitted = report.submitted,
            threshold = report.threshold,
            opened = if report.unsealed_now { "now" } else { "already" },
            owner = owner
        );
    }
    let missing = report.threshold.saturating_sub(report.submitted);
    t!(
        "recover-accepted",
        number = report.number,
        holder = holder,
        submitted = report.submitted,
        threshold = report.threshold,
        missing = missing,
        until = human_time(expires)
    )
}

/// Reads the share file and decrypts it when it is an age file.
fn open_share(args: &RecoverArgs) -> Result<SecretBytes, Failure> {
    let file = read_file(&args.share)?;
    if file.expose_secret().len() > MAX_SHARE_FILE_BYTES {
        return Err(Failure::invalid(t!("share-file-too-large", path = args.share.display().to_string())));
    }
    let bytes = file.expose_secret();
    let trimmed = bytes.trim_ascii_start();
    let is_age =
        trimmed.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----") || trimmed.starts_with(b"age-encryption.org/");
    if !is_age {
        // Already decrypted (e.g. with the reference age tool): the daemon checks the envelope.
        return Ok(file);
    }
    let share_error =
        |err: age_file::AgeError| Failure::invalid(format!("{}: {}", args.share.display(), age_problem(&err)));
    let plain = if age_file::is_passphrase_file(bytes).map_err(share_error)? {
        let source = args.share_passphrase_file.as_deref().map_or(Source::Prompt, Source::File);
        let typed = read_secret(source, &Spec::PASSPHRASE, &t!("share-passphrase-prompt"))?;
        let passphrase = Passphrase::new(typed.expose_secret().to_vec())
            .map_err(|_| share_error(age_file::AgeError::WrongPassphrase))?;
        age_file::decrypt(Unlock::Passphrase(&passphrase), bytes, MAX_ENVELOPE_BYTES).map_err(share_error)?
    } else {
        let path = args.identity.as_deref().ok_or_else(|| Failure::new(Kind::Usage, t!("share-needs-identity")))?;
        let identity = read_identity(path)?;
        age_file::decrypt(Unlock::Identity(&identity), bytes, MAX_ENVELOPE_BYTES).map_err(share_error)?
    };
    Ok(SecretBytes::from_exposed(plain.into_exposed()))
}

/// An age error in the reader's language (the English text if the catalogue lacks it).
fn age_problem(err: &age_file::AgeError) -> String {
    coffre_i18n::message(coffre_i18n::current(), &format!("age-problem-{}", err.code()), &err.arguments())
        .unwrap_or_else(|| err.to_string())
}

fn read_identity(path: &Path) -> Result<AgeIdentity, Failure> {
    let text = read_file(path)?;
    let text = std::str::from_utf8(text.expose_secret())
        .map_err(|_| Failure::invalid(t!("identity-not-text", path = path.display().to_string())))?;
    AgeIdentity::parse(text).map_err(|e| Failure::invalid(format!("{}: {}", path.display(), age_problem(&e))))
}

fn read_new_passphrase(args: &RecoverArgs) -> Result<SecretBytes, Failure> {
    let source = Source::from_flags(args.new_passphrase_file.as_deref(), args.new_passphrase_stdin);
    let prompt = match args.owner.as_deref() {
        Some(owner) => t!("recover-new-passphrase-prompt", owner = owner),
        None => t!("recover-new-passphrase-prompt-president"),
    };
    read_secret(source, &Spec::NEW_PASSPHRASE, &prompt)
}

async fn recovery_status(daemon: &Daemon) -> Result<GetRecoveryStatusResponse, Failure> {
    Ok(daemon
        .recovery()
        .get_recovery_status(daemon.request(GetRecoveryStatusRequest {})?)
        .await
        .map_err(|s| daemon.fail(s))?
        .into_inner())
}

/// What `recovery status` prints with `--json`.
#[derive(Serialize)]
struct StatusReport {
    configured: bool,
    share_set_id: Option<String>,
    threshold: u32,
    shares: u32,
    submitted: u32,
    expires: Option<String>,
}

async fn status(ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon().await?;
    let status = recovery_status(&daemon).await?;
    let report = StatusReport {
        configured: status.configured,
        share_set_id: Some(status.share_set_id.clone()).filter(|id| !id.is_empty()),
        threshold: status.threshold,
        shares: status.shares,
        submitted: status.submitted,
        expires: json_time(status.expires.as_ref()),
    };
    emit(ctx.json(), &report, || {
        if !report.configured {
            return t!("recovery-no-share-set");
        }
        let mut text = t!(
            "recovery-share-set",
            set = printable(report.share_set_id.as_deref().unwrap_or("")),
            threshold = report.threshold,
            shares = report.shares
        );
        text.push('\n');
        if report.submitted > 0 {
            text.push_str(&t!(
                "recovery-in-progress",
                submitted = report.submitted,
                threshold = report.threshold,
                until = human_time(from_proto(status.expires.as_ref()))
            ));
        } else {
            text.push_str(&t!("recovery-none-in-progress"));
        }
        text
    })
}

/// What `recovery rekey` (and `init` with holders) prints with `--json`.
#[derive(Serialize)]
pub(crate) struct Issued {
    pub(crate) share_set_id: String,
    pub(crate) threshold: u32,
    pub(crate) shares: Vec<WrittenShare>,
}

async fn rekey(args: &RekeyArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let (spec, dir) = args.holders.share_set()?;
    let request = RekeyRequest { share_set: Some(spec) };
    let response = daemon.recovery().rekey(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
    let issued = response.shares.ok_or_else(|| Failure::other(t!("rekey-no-shares")))?;
    let written = shares::write_share_files(&dir, &issued)?;
    let text = shares::issued_text(&issued, &written);
    let report = Issued { share_set_id: issued.share_set_id, threshold: issued.threshold, shares: written };
    emit(ctx.json(), &report, || format!("{text}\n{}", t!("rekey-done")))
}

/// What `recovery keygen` prints with `--json`.
#[derive(Serialize)]
struct Keygen {
    public_key: String,
    identity_file: String,
}

fn keygen(args: &KeygenArgs, ctx: &Context) -> Result<(), Failure> {
    use std::{io::Write as _, os::unix::fs::OpenOptionsExt as _};
    let created = crate::output::rfc3339(time::OffsetDateTime::now_utc());
    let (identity, recipient) = age_file::generate_identity(&created);
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&args.out).map_err(|err| {
            Failure::invalid(t!("file-cannot-create", path = args.out.display().to_string(), reason = io_reason(&err)))
        })?;
    file.write_all(identity.expose_secret().as_bytes()).and_then(|()| file.sync_all()).map_err(|err| {
        Failure::other(t!("file-cannot-write", path = args.out.display().to_string(), reason = io_reason(&err)))
    })?;
    let report = Keygen { public_key: recipient.to_string(), identity_file: args.out.display().to_string() };
    emit(ctx.json(), &report, || {
        t!("keygen-done", key = report.public_key.as_str(), file = report.identity_file.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_says_how_many_are_missing_and_what_to_do() {
        let report = Recovered {
            holder: "president".into(),
            number: 1,
            submitted: 1,
            threshold: 2,
            expires: None,
            complete: false,
            unsealed_now: false,
            owner: None,
        };
        let text = recovered_text(&report, None);
        assert!(text.starts_with("Share 1 of president accepted: 1 of 2 shares are in."), "{text}");
        assert!(text.contains("waits for 1 more share until"), "{text}");
        let done =
            Recovered { submitted: 2, complete: true, unsealed_now: true, owner: Some("Alice".into()), ..report };
        let text = recovered_text(&done, None);
        assert!(text.contains("The vault is unsealed, and the new passphrase of Alice is set"), "{text}");
    }
}
