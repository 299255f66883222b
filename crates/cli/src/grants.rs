//! Grants: `coffre grant add | list | revoke`. A grant gives one person access to one entry or one category, for
//! a stated task, until a date; it stops working the moment it expires or is revoked.

use clap::{ArgGroup, Args, Subcommand};
use coffre_i18n::t;
use coffre_proto::v1::{
    AddGrantRequest, Grant, GrantState, ListGrantsRequest, RevokeGrantRequest, Timestamp, add_grant_request, grant,
};
use serde::Serialize;
use time::OffsetDateTime;

use crate::{
    Context,
    exit::Failure,
    output::{emit, human_time, json_time, printable, table},
    values::{Category, category_name},
};

/// The grant subcommands.
#[derive(Subcommand)]
pub(crate) enum GrantCommand {
    /// Give a person access to one entry or one category, for a task, until a date
    Add(AddArgs),
    /// List the grants you may see
    List,
    /// End a grant now
    Revoke(RevokeArgs),
}

/// Options of `coffre grant add`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("scope").required(true).args(["entry", "category"])))]
#[command(group(ArgGroup::new("until_or_for").required(true).args(["until", "duration"])))]
pub(crate) struct AddArgs {
    /// Who gets access
    #[arg(value_name = "PERSON")]
    person: String,
    /// One entry, by its platform name
    #[arg(long, value_name = "PLATFORM")]
    entry: Option<String>,
    /// Every entry of a category
    #[arg(long, value_enum)]
    category: Option<Category>,
    /// The last day of access (YYYY-MM-DD, through the end of that day UTC), or an RFC 3339 time
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// How long from now, e.g. 14d, 12h, 2w (at most the daemon's maximum, 90 days by default)
    #[arg(long = "for", value_name = "DURATION")]
    duration: Option<String>,
    /// What the access is for (required; recorded in the audit log)
    #[arg(long, value_name = "TEXT")]
    task: String,
}

/// Options of `coffre grant revoke`.
#[derive(Debug, Args)]
pub(crate) struct RevokeArgs {
    /// The grant's id as `coffre grant list` shows it (at least its first 8 characters)
    #[arg(value_name = "ID")]
    id: String,
}

pub(crate) async fn run(command: &GrantCommand, ctx: &Context) -> Result<(), Failure> {
    match command {
        GrantCommand::Add(args) => add(args, ctx).await,
        GrantCommand::List => list(ctx).await,
        GrantCommand::Revoke(args) => revoke(&args.id, ctx).await,
    }
}

/// `--until`: a day (access through its end in the local time zone, as the person means it) or an RFC 3339
/// time.
fn parse_until(text: &str) -> Result<Timestamp, Failure> {
    let text = text.trim();
    let end = coffre_i18n::end_of_local_day(text)
        .map(|last_second| last_second.saturating_add(1))
        .or_else(|| crate::output::parse_rfc3339(text).map(OffsetDateTime::unix_timestamp));
    let end = end.ok_or_else(|| Failure::invalid(t!("grant-until-not-a-date", text = text)))?;
    Ok(Timestamp { unix_seconds: end })
}

/// `--for`: a duration such as 14d, 12h or 2w.
fn parse_for(text: &str) -> Result<u64, Failure> {
    let duration = humantime::parse_duration(text.trim())
        .map_err(|_| Failure::invalid(t!("grant-for-not-a-duration", text = text)))?;
    if duration.as_secs() == 0 {
        return Err(Failure::invalid(t!("grant-for-zero")));
    }
    Ok(duration.as_secs())
}

/// One grant in JSON.
#[derive(Serialize)]
struct GrantJson {
    id: String,
    person: String,
    entry: Option<String>,
    category: Option<String>,
    task: String,
    granted_by: String,
    created: Option<String>,
    expires: Option<String>,
    state: &'static str,
}

impl From<&Grant> for GrantJson {
    fn from(g: &Grant) -> Self {
        let (entry, category) = match &g.scope {
            Some(grant::Scope::Entry(platform)) => (Some(platform.clone()), None),
            Some(grant::Scope::Category(value)) => (None, Some(category_name(*value))),
            None => (None, None),
        };
        GrantJson {
            id: g.id.clone(),
            person: g.person.clone(),
            entry,
            category,
            task: g.task.clone(),
            granted_by: g.granted_by.clone(),
            created: json_time(g.created.as_ref()),
            expires: json_time(g.expires.as_ref()),
            state: match GrantState::try_from(g.state) {
                Ok(GrantState::Live) => "live",
                Ok(GrantState::Expired) => "expired",
                Ok(GrantState::Revoked) => "revoked",
                Ok(GrantState::Unspecified) | Err(_) => "unknown",
            },
        }
    }
}

fn scope_text(g: &GrantJson) -> String {
    match (&g.entry, &g.category) {
        (Some(platform), _) => printable(platform),
        (None, Some(category)) => t!("grant-scope-category", category = category.as_str()),
        (None, None) => "-".to_owned(),
    }
}

async fn add(args: &AddArgs, ctx: &Context) -> Result<(), Failure> {
    if args.task.trim().is_empty() {
        return Err(Failure::invalid(t!("grant-task-empty")));
    }
    let until = match (&args.until, &args.duration) {
        (Some(date), _) => add_grant_request::Until::Expires(parse_until(date)?),
        (None, Some(duration)) => add_grant_request::Until::DurationSeconds(parse_for(duration)?),
        (None, None) => return Err(Failure::invalid(t!("grant-until-missing"))),
    };
    let scope = match (&args.entry, args.category) {
        (Some(platform), _) => add_grant_request::Scope::Entry(platform.clone()),
        (None, Some(category)) => add_grant_request::Scope::Category(category.to_proto()),
        (None, None) => return Err(Failure::invalid(t!("grant-scope-missing"))),
    };
    let daemon = ctx.daemon_with_session().await?;
    let request = AddGrantRequest {
        person: args.person.clone(),
        scope: Some(scope),
        until: Some(until),
        task: args.task.clone(),
    };
    let response = daemon.access().add_grant(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let grant = GrantJson::from(&response.into_inner().grant.unwrap_or_default());
    emit(ctx.json(), &grant, || {
        t!(
            "grant-added",
            person = printable(&grant.person),
            scope = scope_text(&grant),
            until = human_time(grant.expires.as_deref().and_then(crate::output::parse_rfc3339)),
            task = printable(&grant.task),
            id = grant.id.as_str(),
            short = short(&grant.id)
        )
    })
}

/// The first 12 characters of an id: enough to revoke it by.
fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

async fn list(ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let response = daemon.access().list_grants(daemon.request(ListGrantsRequest {})?).await;
    let grants: Vec<GrantJson> =
        response.map_err(|s| daemon.fail(s))?.into_inner().grants.iter().map(GrantJson::from).collect();
    #[derive(Serialize)]
    struct Grants {
        grants: Vec<GrantJson>,
    }
    let report = Grants { grants };
    emit(ctx.json(), &report, || {
        let rows: Vec<Vec<String>> = report
            .grants
            .iter()
            .map(|g| {
                vec![
                    short(&g.id).to_owned(),
                    printable(&g.person),
                    scope_text(g),
                    human_time(g.expires.as_deref().and_then(crate::output::parse_rfc3339)),
                    t!("grant-state", state = g.state),
                    printable(&g.granted_by),
                    printable(&g.task),
                ]
            })
            .collect();
        table(&["id", "person", "scope", "expires", "state", "granted-by", "task"], &rows)
    })
}

async fn revoke(id: &str, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request = RevokeGrantRequest { id: id.to_owned() };
    let response = daemon.access().revoke_grant(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let grant = GrantJson::from(&response.into_inner().grant.unwrap_or_default());
    emit(ctx.json(), &grant, || t!("grant-revoked", person = printable(&grant.person), scope = scope_text(&grant)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_a_day_means_through_its_end_utc() -> Result<(), Failure> {
        assert_eq!(parse_until("2026-12-31")?.unix_seconds, 1_798_761_600);
        assert_eq!(parse_until("2026-12-31T12:00:00Z")?.unix_seconds, 1_798_718_400);
        assert!(parse_until("31/12/2026").is_err());
        assert!(parse_until("2026-02-30").is_err());
        Ok(())
    }

    #[test]
    fn durations_read_the_human_way() -> Result<(), Failure> {
        assert_eq!(parse_for("14d")?, 14 * 24 * 3600);
        assert_eq!(parse_for("2w")?, 14 * 24 * 3600);
        assert_eq!(parse_for("12h")?, 12 * 3600);
        assert!(parse_for("soon").is_err());
        assert!(parse_for("0s").is_err());
        Ok(())
    }
}
