//! People and sessions: `coffre enroll`, `coffre login`, `coffre logout`, `coffre passwd`.

use std::{io::IsTerminal, path::PathBuf};

use clap::Args;
use coffre_i18n::t;
use coffre_proto::v1::{ChangePassphraseRequest, EnrollRequest, LoginRequest, LogoutRequest, StartEnrollmentRequest};
use serde::Serialize;
use time::OffsetDateTime;
use tonic::Code;
use zeroize::Zeroizing;

use crate::{
    Context,
    client::Daemon,
    exit::Failure,
    output::{emit, from_proto, human_time, note, printable, rfc3339, write_stdout},
    qr::second_factor_text,
    secrets_input::{PassphraseArgs, Source, Spec, read_secret},
    session::{self, Session, Token},
    values::role_name,
};

/// Options of `coffre enroll`.
#[derive(Args)]
pub(crate) struct EnrollArgs {
    /// The one-time enrolment code you were given in person, as written (spaces, dashes and case do not matter).
    /// It is spent when used, so having it in your shell history does no harm
    #[arg(value_name = "CODE", required = true, num_args = 1..)]
    code: Vec<String>,
    #[command(flatten)]
    passphrase: PassphraseArgs,
    /// The code your authenticator app shows for the new second factor; without it, the second factor is shown
    /// (QR code and URI) and, at a terminal, the code is asked for
    #[arg(long, value_name = "CODE")]
    totp: Option<String>,
    /// Also write the QR code to FILE as an SVG image (readable by you only; delete it once scanned)
    #[arg(long, value_name = "FILE")]
    qr_file: Option<PathBuf>,
}

/// Options of `coffre login`.
#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    /// Your name in the vault
    #[arg(value_name = "NAME")]
    name: String,
    #[command(flatten)]
    passphrase: PassphraseArgs,
    /// The 6 digits your authenticator app shows now (single-use; asked for at a terminal when not given)
    #[arg(long, value_name = "CODE")]
    totp: Option<String>,
}

/// Options of `coffre passwd`.
#[derive(Debug, Args)]
pub(crate) struct PasswdArgs {
    /// Read your current passphrase from FILE (one trailing newline is ignored)
    #[arg(long, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    /// Read the new passphrase from FILE (one trailing newline is ignored); without it, you are asked twice
    #[arg(long, value_name = "FILE")]
    new_passphrase_file: Option<PathBuf>,
}

/// What `enroll` prints with `--json`: `enrolled` is false when the second factor was only shown (no `--totp`),
/// and then `otpauth_uri` holds it.
#[derive(Serialize)]
struct Enrolled<'a> {
    name: String,
    role: &'static str,
    enrolled: bool,
    otpauth_uri: Option<&'a str>,
}

/// Reads a second-factor code: the flag's value, else a line typed at the terminal.
fn totp_code(given: Option<&str>, prompt: &str) -> Result<String, Failure> {
    if let Some(code) = given {
        return Ok(code.trim().to_owned());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::invalid(t!("totp-no-terminal")));
    }
    note(prompt);
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|err| Failure::other(t!("totp-cannot-read", reason = err.to_string())))?;
    Ok(line.trim().to_owned())
}

/// The enrolment code as typed: people copy it from paper in groups ("ABCD EFGH-JKLM"), in any case. The pieces
/// are joined, spaces and dashes dropped, letters upper-cased; what is left must be 8 to 64 letters and digits.
fn enrollment_code(pieces: &[String]) -> Result<String, Failure> {
    let typed = pieces.join(" ");
    let code: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    if (8..=64).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(code)
    } else {
        Err(Failure::invalid(t!("enroll-code-invalid", code = printable(typed.trim()))))
    }
}

pub(crate) async fn enroll(args: &EnrollArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon().await?;
    let code = enrollment_code(&args.code)?;
    let request = StartEnrollmentRequest { code: code.clone() };
    let mut start =
        daemon.auth().start_enrollment(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
    let uri = Zeroizing::new(std::mem::take(&mut start.otpauth_uri));
    let role = role_name(start.role);
    if args.totp.is_none() {
        if ctx.json() {
            // Scripts: show the second factor and stop; the enrolment completes with --totp.
            let report = Enrolled { name: start.name, role, enrolled: false, otpauth_uri: Some(uri.as_str()) };
            return emit(true, &report, String::new);
        }
        write_stdout(second_factor_text(&uri, std::io::stdout().is_terminal()).as_bytes())?;
        if let Some(path) = &args.qr_file {
            crate::qr::write_svg(&uri, path)?;
            note(&t!("second-factor-qr-file", path = path.display().to_string()));
        }
        if !std::io::stdin().is_terminal() {
            let text = format!("\n{}\n", t!("enroll-finish-later", name = printable(&start.name)));
            return write_stdout(text.as_bytes());
        }
    }
    let passphrase = read_secret(args.passphrase.source(), &Spec::NEW_PASSPHRASE, &t!("enroll-passphrase-prompt"))?;
    let totp = totp_code(args.totp.as_deref(), &t!("totp-prompt"))?;
    let request = EnrollRequest { code, passphrase: passphrase.to_request_bytes(), totp_code: totp };
    let response = daemon.auth().enroll(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
    let report = Enrolled { name: response.name, role: role_name(response.role), enrolled: true, otpauth_uri: None };
    emit(ctx.json(), &report, || {
        t!("enroll-done", name = printable(&report.name), role = t!("role-name", role = report.role))
    })
}

/// What `login` prints with `--json`.
#[derive(Serialize)]
struct LoggedIn<'a> {
    server: &'a str,
    name: &'a str,
    role: &'a str,
    expires: String,
}

pub(crate) async fn login(args: &LoginArgs, ctx: &Context) -> Result<(), Failure> {
    // Where to keep the session is checked first, so a login is not wasted.
    let path = ctx.required_session_path()?;
    let daemon = ctx.daemon().await?;
    let passphrase = read_secret(
        args.passphrase.source(),
        &Spec::PASSPHRASE,
        &t!("login-passphrase-prompt", name = args.name.as_str()),
    )?;
    let totp_code = totp_code(args.totp.as_deref(), &t!("totp-prompt"))?;
    let request = LoginRequest { name: args.name.clone(), passphrase: passphrase.to_request_bytes(), totp_code };
    let mut response = daemon.auth().login(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
    let token = Token::new(std::mem::take(&mut response.token));
    let expires = from_proto(response.expires.as_ref()).unwrap_or_else(OffsetDateTime::now_utc);
    let session = Session {
        server: daemon.server().as_str().to_owned(),
        name: args.name.clone(),
        role: role_name(response.role).to_owned(),
        expires,
        token,
    };
    session::save(&path, &session)?;
    let report =
        LoggedIn { server: &session.server, name: &session.name, role: &session.role, expires: rfc3339(expires) };
    emit(ctx.json(), &report, || {
        t!(
            "login-done",
            server = session.server.as_str(),
            name = session.name.as_str(),
            role = t!("role-name", role = session.role.as_str()),
            until = human_time(Some(expires))
        )
    })
}

/// What `passwd` prints with `--json`.
#[derive(Serialize)]
struct PassphraseChanged {
    changed: bool,
}

pub(crate) async fn passwd(args: &PasswdArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let current = read_secret(
        Source::from_flags(args.passphrase_file.as_deref(), false),
        &Spec::PASSPHRASE,
        &t!("passwd-current-prompt"),
    )?;
    let new = read_secret(
        Source::from_flags(args.new_passphrase_file.as_deref(), false),
        &Spec { flags: ("--new-passphrase-file FILE", "none"), ..Spec::NEW_PASSPHRASE },
        &t!("passwd-new-prompt"),
    )?;
    let request = ChangePassphraseRequest {
        current_passphrase: current.to_request_bytes(),
        new_passphrase: new.to_request_bytes(),
    };
    daemon.auth().change_passphrase(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    emit(ctx.json(), &PassphraseChanged { changed: true }, || t!("passwd-done"))
}

/// What `logout` prints with `--json`.
#[derive(Serialize)]
struct LoggedOut {
    server: String,
    was_logged_in: bool,
}

pub(crate) async fn logout(ctx: &Context) -> Result<(), Failure> {
    let target = ctx.target()?;
    let Some(path) = ctx.session_path() else {
        return report_logout(ctx, target.server.as_str(), false, &t!("logout-not-logged-in"));
    };
    let Some(saved) = ctx.saved_session(&target.server)? else {
        let text = t!("logout-not-logged-in-to", server = target.server.as_str());
        return report_logout(ctx, target.server.as_str(), false, &text);
    };
    let ended = end_remote_session(&target, saved).await;
    // The local session goes whatever the daemon said: the person asked for it to be gone from this computer.
    session::delete(&path)?;
    match ended {
        Ok(()) => report_logout(ctx, target.server.as_str(), true, &t!("logout-done")),
        Err(failure) => Err(Failure::new(failure.kind(), t!("logout-deleted-anyway", message = failure.message()))),
    }
}

/// Tells the daemon to end the session. A session it no longer knows has ended already: that is success.
async fn end_remote_session(target: &crate::config::Target, saved: Session) -> Result<(), Failure> {
    let daemon = Daemon::connect(target, Some(saved)).await?;
    match daemon.auth().logout(daemon.request(LogoutRequest {})?).await {
        Ok(_) => Ok(()),
        Err(status) if status.code() == Code::Unauthenticated => Ok(()),
        Err(status) => Err(crate::client::status_failure(&status, daemon.server(), None)),
    }
}

fn report_logout(ctx: &Context, server: &str, was_logged_in: bool, text: &str) -> Result<(), Failure> {
    let report = LoggedOut { server: server.to_owned(), was_logged_in };
    emit(ctx.json(), &report, || text.to_owned())
}
