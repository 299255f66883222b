//! People and sessions: `coffre enroll`, `coffre login`, `coffre logout`.

use clap::Args;
use coffre_proto::v1::{EnrollRequest, LoginRequest, LogoutRequest};
use serde::Serialize;
use time::OffsetDateTime;
use tonic::Code;

use crate::{
    Context,
    client::Daemon,
    exit::Failure,
    output::{emit, from_proto, human_time, printable, rfc3339},
    secrets_input::{PassphraseArgs, Spec, read_secret},
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
}

/// Options of `coffre login`.
#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    /// Your name in the vault
    #[arg(value_name = "NAME")]
    name: String,
    #[command(flatten)]
    passphrase: PassphraseArgs,
}

/// What `enroll` prints with `--json`.
#[derive(Serialize)]
struct Enrolled {
    name: String,
    role: &'static str,
}

pub(crate) async fn enroll(args: &EnrollArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon().await?;
    let passphrase = read_secret(
        args.passphrase.source(),
        &Spec::NEW_PASSPHRASE,
        "Choose your passphrase (at least 12 characters): ",
    )?;
    let request = EnrollRequest { code: args.code.trim().to_owned(), passphrase: passphrase.to_request_bytes() };
    let response = daemon.auth().enroll(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?.into_inner();
    let report = Enrolled { name: response.name, role: role_name(response.role) };
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
        read_secret(args.passphrase.source(), &Spec::PASSPHRASE, &format!("Passphrase for {}: ", args.name))?;
    let request = LoginRequest { name: args.name.clone(), passphrase: passphrase.to_request_bytes() };
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
