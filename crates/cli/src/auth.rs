//! People and sessions: `coffre enroll`, `coffre login`, `coffre logout`, `coffre passwd`.

use std::{io::IsTerminal, path::PathBuf};

use clap::Args;
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
    /// The one-time enrolment code you were given in person. It is spent when used, so having it in your shell
    /// history does no harm
    #[arg(value_name = "CODE")]
    code: String,
    #[command(flatten)]
    passphrase: PassphraseArgs,
    /// The code your authenticator app shows for the new second factor; without it, the second factor is shown
    /// (QR code and URI) and, at a terminal, the code is asked for
    #[arg(long, value_name = "CODE")]
    totp: Option<String>,
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
        return Err(Failure::invalid("no terminal to type the code on: give it with --totp CODE"));
    }
    note(prompt);
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|err| Failure::other(format!("cannot read the code from the terminal: {err}")))?;
    Ok(line.trim().to_owned())
}

pub(crate) async fn enroll(args: &EnrollArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon().await?;
    let code = args.code.trim().to_owned();
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
        write_stdout(second_factor_text(&uri).as_bytes())?;
        if !std::io::stdin().is_terminal() {
            let text = format!(
                "\n{}: add this second factor to your app, then finish with\n  coffre enroll CODE --totp NNNNNN \
                 (the 6 digits the app shows)\n",
                printable(&start.name)
            );
            return write_stdout(text.as_bytes());
        }
    }
    let passphrase = read_secret(
        args.passphrase.source(),
        &Spec::NEW_PASSPHRASE,
        "Choose your passphrase (at least 12 characters): ",
    )?;
    let totp = totp_code(args.totp.as_deref(), "Code shown by your authenticator app: ")?;
    let request = EnrollRequest { code, passphrase: passphrase.to_request_bytes(), totp_code: totp };
    let response = daemon.auth().enroll(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
    let report = Enrolled { name: response.name, role: role_name(response.role), enrolled: true, otpauth_uri: None };
    emit(ctx.json(), &report, || {
        let name = printable(&report.name);
        format!("Welcome, {name}: you are enrolled as {}.\nNext: log in with `coffre login {name}`.", report.role)
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
    let passphrase =
        read_secret(args.passphrase.source(), &Spec::PASSPHRASE, &format!("Passphrase of {}: ", args.name))?;
    let totp_code = totp_code(args.totp.as_deref(), "Code shown by your authenticator app: ")?;
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
        format!(
            "Logged in to {} as {} ({}). The session lasts until {} at the latest; `coffre logout` ends it now.",
            session.server,
            session.name,
            session.role,
            human_time(Some(expires))
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
        "Current passphrase: ",
    )?;
    let new = read_secret(
        Source::from_flags(args.new_passphrase_file.as_deref(), false),
        &Spec { flags: "--new-passphrase-file FILE", ..Spec::NEW_PASSPHRASE },
        "New passphrase (at least 12 characters): ",
    )?;
    let request = ChangePassphraseRequest {
        current_passphrase: current.to_request_bytes(),
        new_passphrase: new.to_request_bytes(),
    };
    daemon.auth().change_passphrase(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    emit(ctx.json(), &PassphraseChanged { changed: true }, || {
        "Your passphrase is changed. If you are the president or the leader, it is also the one that unseals the \
         vault from now on; the old one no longer does."
            .to_owned()
    })
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
        return report_logout(ctx, target.server.as_str(), false, "You were not logged in.");
    };
    let Some(saved) = ctx.saved_session(&target.server)? else {
        let text = format!("You were not logged in to {}.", target.server.as_str());
        return report_logout(ctx, target.server.as_str(), false, &text);
    };
    let ended = end_remote_session(&target, saved).await;
    // The local session goes whatever the daemon said: the person asked for it to be gone from this computer.
    session::delete(&path)?;
    match ended {
        Ok(()) => report_logout(ctx, target.server.as_str(), true, "Logged out: the session has ended."),
        Err(failure) => Err(Failure::new(
            failure.kind(),
            format!(
                "{}; the session saved on this computer was deleted anyway (the daemon ends it when it expires)",
                failure.message()
            ),
        )),
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
