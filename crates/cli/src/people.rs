//! People: `coffre person add | list | offboard | reset`.

use std::collections::BTreeMap;

use clap::{Args, Subcommand};
use coffre_proto::v1::{
    AddPersonRequest, ListPeopleRequest, OffboardPersonRequest, Person, PersonState, ResetEnrolmentRequest, Timestamp,
};
use serde::Serialize;
use zeroize::Zeroizing;

use coffre_i18n::t;

use crate::{
    Context,
    client::Daemon,
    connect::{fingerprint, first_certificate, grouped},
    exit::Failure,
    output::{SEEN, coded_text, emit, from_proto, human_time, json_time, printable, table},
    values::{NewRole, role_name},
};

/// The person subcommands.
#[derive(Subcommand)]
pub(crate) enum PersonCommand {
    /// Add a person; prints their one-time enrolment code, to hand over in person
    Add(AddArgs),
    /// List the people you may see
    List,
    /// End a person's access: sessions, grants and account; flags what they revealed for rotation
    Offboard(NameArg),
    /// Give a person a new enrolment code (lost phone or passphrase); their old credentials stop working
    Reset(NameArg),
}

/// Options of `coffre person add`.
#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// The person's name in the vault (unique)
    #[arg(value_name = "NAME")]
    name: String,
    /// What the person may do
    #[arg(long, value_enum)]
    role: NewRole,
}

/// Just the name.
#[derive(Debug, Args)]
pub(crate) struct NameArg {
    /// The person's name, as in `coffre person list`
    #[arg(value_name = "NAME")]
    name: String,
}

pub(crate) async fn run(command: &PersonCommand, ctx: &Context) -> Result<(), Failure> {
    match command {
        PersonCommand::Add(args) => add(args, ctx).await,
        PersonCommand::List => list(ctx).await,
        PersonCommand::Offboard(args) => offboard(&args.name, ctx).await,
        PersonCommand::Reset(args) => reset(&args.name, ctx).await,
    }
}

/// What `person add` and `person reset` print with `--json`: the code, and what the new person needs besides it
/// to reach the daemon safely (its address and CA fingerprint).
#[derive(Serialize)]
struct Enrolment<'a> {
    name: &'a str,
    role: &'static str,
    enrolment_code: &'a str,
    enrolment_expires: Option<String>,
    server: &'a str,
    ca_fingerprint: Option<&'a str>,
}

/// Whether the person was just added or had their enrolment reset.
#[derive(Clone, Copy)]
enum What {
    Added,
    Reset,
}

fn enrolment_report(
    ctx: &Context,
    daemon: &Daemon,
    person: Option<Person>,
    code: String,
    expires: Option<Timestamp>,
    what: What,
) -> Result<(), Failure> {
    let person = person.unwrap_or_default();
    let code = Zeroizing::new(code);
    let target = ctx.target()?;
    let fingerprint = first_certificate(&target.ca_pem).ok().map(|der| fingerprint(&der));
    let report = Enrolment {
        name: &person.name,
        role: role_name(person.role),
        enrolment_code: &code,
        enrolment_expires: json_time(expires.as_ref()),
        server: daemon.server().as_str(),
        ca_fingerprint: fingerprint.as_deref(),
    };
    emit(ctx.json(), &report, || {
        let name = printable(&person.name);
        let role = t!("role-name", role = report.role);
        let headline = match what {
            What::Added => t!("person-added", name = name.as_str(), role = role.as_str()),
            What::Reset => t!("person-reset", name = name.as_str(), role = role.as_str()),
        };
        let handout = Handout {
            name: &name,
            role: &role,
            server: report.server,
            fingerprint: report.ca_fingerprint,
            code: &code,
            expires: &human_time(from_proto(expires.as_ref())),
        };
        format!("{headline}\n{}\n\n{}", t!("handout-hand-over", name = name.as_str()), handout.text())
    })
}

/// The printable sheet a new person is given with their code: everything they need to connect safely, enrol and
/// log in, in the language of whoever prints it (`--lang fr` prints it in French).
struct Handout<'a> {
    name: &'a str,
    role: &'a str,
    server: &'a str,
    fingerprint: Option<&'a str>,
    code: &'a str,
    expires: &'a str,
}

impl Handout<'_> {
    fn text(&self) -> String {
        let rule = "-".repeat(72);
        let fingerprint = self.fingerprint.map(grouped).unwrap_or_else(|| t!("time-unknown"));
        let connect = match self.fingerprint {
            Some(hex) => format!("coffre connect {} --fingerprint {hex}", self.server),
            None => format!("coffre connect {}", self.server),
        };
        let lines = [
            rule.clone(),
            t!("handout-title", name = self.name),
            rule.clone(),
            t!("handout-role", role = self.role),
            t!("handout-address", server = self.server),
            t!("handout-fingerprint", fingerprint = fingerprint),
            t!("handout-code", code = self.code),
            t!("handout-expires", expires = self.expires),
            String::new(),
            t!("handout-steps"),
            format!("  1. {connect}"),
            format!("  2. coffre enroll {}", self.code),
            format!("  3. coffre login {}", self.name),
            String::new(),
            t!("handout-keep-private"),
            rule,
        ];
        lines.join("\n")
    }
}

async fn add(args: &AddArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request = AddPersonRequest { name: args.name.clone(), role: args.role.to_proto() };
    let response = daemon.access().add_person(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let response = response.into_inner();
    enrolment_report(ctx, &daemon, response.person, response.enrolment_code, response.enrolment_expires, What::Added)
}

async fn reset(name: &str, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request = ResetEnrolmentRequest { name: name.to_owned() };
    let response = daemon.access().reset_enrolment(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let response = response.into_inner();
    enrolment_report(ctx, &daemon, response.person, response.enrolment_code, response.enrolment_expires, What::Reset)
}

/// One person in `person list --json`.
#[derive(Serialize)]
struct PersonJson {
    name: String,
    role: &'static str,
    state: &'static str,
    added_by: String,
    created: Option<String>,
}

fn state_name(value: i32) -> &'static str {
    match PersonState::try_from(value) {
        Ok(PersonState::Pending) => "pending",
        Ok(PersonState::Active) => "active",
        Ok(PersonState::Offboarded) => "offboarded",
        Ok(PersonState::Unspecified) | Err(_) => "unknown",
    }
}

async fn list(ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let response = daemon.access().list_people(daemon.request(ListPeopleRequest {})?).await;
    let people = response.map_err(|s| daemon.fail(s))?.into_inner().people;
    let json: Vec<PersonJson> = people
        .iter()
        .map(|p| PersonJson {
            name: p.name.clone(),
            role: role_name(p.role),
            state: state_name(p.state),
            added_by: p.added_by.clone(),
            created: json_time(p.created.as_ref()),
        })
        .collect();
    #[derive(Serialize)]
    struct People {
        people: Vec<PersonJson>,
    }
    let report = People { people: json };
    emit(ctx.json(), &report, || {
        let rows: Vec<Vec<String>> = report
            .people
            .iter()
            .map(|p| {
                vec![
                    printable(&p.name),
                    t!("role-name", role = p.role),
                    t!("person-state", state = p.state),
                    printable(&p.added_by),
                    human_time(p.created.as_deref().and_then(crate::output::parse_rfc3339)),
                ]
            })
            .collect();
        table(&["name", "role", "state", "added-by", "created"], &rows)
    })
}

/// What `person offboard` prints with `--json`.
#[derive(Serialize)]
struct Offboarded {
    name: String,
    grants_revoked: u32,
    sessions_ended: u32,
    rotation_due: Vec<String>,
    revealed: Vec<Revealed>,
    /// The share holder bearing the person's name, whose share and key must be replaced by a new set.
    #[serde(skip_serializing_if = "Option::is_none")]
    share_holder: Option<String>,
}

/// An entry the person revealed, and what they saw of it (in English, and as a code and its arguments).
#[derive(Serialize)]
struct Revealed {
    platform: String,
    seen: String,
    seen_code: String,
    seen_arguments: BTreeMap<String, String>,
    /// For the text only: the line in the reader's language.
    #[serde(skip)]
    line: String,
}

async fn offboard(name: &str, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request = OffboardPersonRequest { name: name.to_owned() };
    let response = daemon.access().offboard_person(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let done = response.into_inner();
    let report = Offboarded {
        name: done.name,
        grants_revoked: done.grants_revoked,
        sessions_ended: done.sessions_ended,
        rotation_due: done.rotation_due,
        revealed: done
            .revealed
            .into_iter()
            .map(|r| {
                let platform = [("platform", r.platform.clone())];
                let line =
                    coded_text(ctx.lang(), &SEEN, &r.seen_code, &r.seen_arguments, &platform).unwrap_or_else(|| {
                        t!("person-offboarded-saw", platform = printable(&r.platform), seen = printable(&r.seen))
                    });
                let seen_arguments = r.seen_arguments.into_iter().collect();
                Revealed { platform: r.platform, seen: r.seen, seen_code: r.seen_code, seen_arguments, line }
            })
            .collect(),
        share_holder: Some(done.share_holder).filter(|holder| !holder.is_empty()),
    };
    emit(ctx.json(), &report, || {
        let mut text = t!(
            "person-offboarded",
            name = printable(&report.name),
            sessions = report.sessions_ended,
            grants = report.grants_revoked
        );
        text.push('\n');
        if report.rotation_due.is_empty() {
            text.push_str(&t!("person-offboarded-nothing-revealed"));
        } else {
            text.push_str(&t!("person-offboarded-revealed"));
            text.push('\n');
            for entry in &report.revealed {
                text.push_str(&format!("  {}\n", entry.line));
            }
        }
        if let Some(holder) = &report.share_holder {
            text.push_str(&t!("person-offboarded-share-holder", holder = printable(holder)));
            text.push('\n');
        }
        text
    })
}
