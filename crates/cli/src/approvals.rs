//! The two-person rule: `coffre approval request | list | approve | deny`. A very confidential entry is revealed
//! by someone who is not an owner only with an owner's approval of their request: one reveal, within the daemon's
//! window (15 minutes by default).

use clap::{Args, Subcommand};
use coffre_i18n::t;
use coffre_proto::v1::{Approval, ApprovalState, DecideApprovalRequest, ListApprovalsRequest, RequestApprovalRequest};
use serde::Serialize;

use crate::{
    Context,
    exit::Failure,
    output::{emit, from_proto, human_time, json_time, printable, table},
};

/// The approval subcommands.
#[derive(Subcommand)]
pub(crate) enum ApprovalCommand {
    /// Ask the president or the leader to let you reveal a very confidential entry once
    Request(RequestArgs),
    /// Owners: the requests waiting for a decision (all with --all). Others: your own requests
    List(ListArgs),
    /// Allow the request's one reveal (owners; never your own request)
    Approve(DecideArgs),
    /// Refuse the request (owners)
    Deny(DecideArgs),
}

/// Options of `coffre approval request`.
#[derive(Debug, Args)]
pub(crate) struct RequestArgs {
    /// The platform's name, as in `coffre entry list`
    #[arg(value_name = "PLATFORM")]
    platform: String,
    /// Why you need the secret; the owners read it and it is recorded in the audit log (required)
    #[arg(long, value_name = "TEXT")]
    reason: String,
}

/// Options of `coffre approval list`.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Owners: also the decided, used and expired requests
    #[arg(long)]
    all: bool,
}

/// Options of `coffre approval approve` and `deny`.
#[derive(Debug, Args)]
pub(crate) struct DecideArgs {
    /// The request's id as `coffre approval list` shows it (at least its first 8 characters)
    #[arg(value_name = "ID")]
    id: String,
    /// Your words to the requester, recorded in the audit log
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
}

pub(crate) async fn run(command: &ApprovalCommand, ctx: &Context) -> Result<(), Failure> {
    match command {
        ApprovalCommand::Request(args) => request(args, ctx).await,
        ApprovalCommand::List(args) => list(args, ctx).await,
        ApprovalCommand::Approve(args) => decide(args, true, ctx).await,
        ApprovalCommand::Deny(args) => decide(args, false, ctx).await,
    }
}

/// A request in JSON.
#[derive(Serialize)]
struct ApprovalJson {
    id: String,
    requester: String,
    platform: String,
    reason: String,
    created: Option<String>,
    state: &'static str,
    decided_by: Option<String>,
    decided: Option<String>,
    decision_reason: String,
    expires: Option<String>,
}

fn state_name(state: i32) -> &'static str {
    match ApprovalState::try_from(state) {
        Ok(ApprovalState::Pending) => "pending",
        Ok(ApprovalState::Approved) => "approved",
        Ok(ApprovalState::Denied) => "denied",
        Ok(ApprovalState::Used) => "used",
        Ok(ApprovalState::Expired) => "expired",
        Ok(ApprovalState::Unspecified) | Err(_) => "unknown",
    }
}

impl From<&Approval> for ApprovalJson {
    fn from(a: &Approval) -> Self {
        ApprovalJson {
            id: a.id.clone(),
            requester: a.requester.clone(),
            platform: a.platform.clone(),
            reason: a.reason.clone(),
            created: json_time(a.created.as_ref()),
            state: state_name(a.state),
            decided_by: (!a.decided_by.is_empty()).then(|| a.decided_by.clone()),
            decided: json_time(a.decided.as_ref()),
            decision_reason: a.decision_reason.clone(),
            expires: json_time(a.expires.as_ref()),
        }
    }
}

async fn request(args: &RequestArgs, ctx: &Context) -> Result<(), Failure> {
    if args.reason.trim().is_empty() {
        return Err(Failure::invalid(t!("approval-reason-empty")));
    }
    let daemon = ctx.daemon_with_session().await?;
    let request = RequestApprovalRequest { platform: args.platform.clone(), reason: args.reason.clone() };
    let response = daemon.rotation().request_approval(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let approval = response.into_inner().approval.unwrap_or_default();
    emit(ctx.json(), &ApprovalJson::from(&approval), || {
        t!(
            "approval-requested",
            platform = printable(&approval.platform),
            id = printable(&approval.id),
            short = printable(approval.id.get(..8).unwrap_or(&approval.id)),
            until = human_time(from_proto(approval.expires.as_ref()))
        )
    })
}

/// What `approval list` prints with `--json`.
#[derive(Serialize)]
struct ApprovalList {
    approvals: Vec<ApprovalJson>,
}

async fn list(args: &ListArgs, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request = ListApprovalsRequest { include_decided: args.all };
    let response = daemon.rotation().list_approvals(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let approvals = response.into_inner().approvals;
    let report = ApprovalList { approvals: approvals.iter().map(ApprovalJson::from).collect() };
    emit(ctx.json(), &report, || {
        if approvals.is_empty() {
            return t!("approval-none");
        }
        let rows: Vec<Vec<String>> = approvals
            .iter()
            .map(|a| {
                vec![
                    printable(a.id.get(..8).unwrap_or(&a.id)),
                    printable(&a.requester),
                    printable(&a.platform),
                    t!("approval-state", state = state_name(a.state)),
                    human_time(from_proto(a.expires.as_ref())),
                    printable(&a.reason),
                ]
            })
            .collect();
        table(&["id", "requester", "platform", "state", "until", "reason"], &rows)
    })
}

async fn decide(args: &DecideArgs, approve: bool, ctx: &Context) -> Result<(), Failure> {
    let daemon = ctx.daemon_with_session().await?;
    let request =
        DecideApprovalRequest { id: args.id.clone(), approve, reason: args.reason.clone().unwrap_or_default() };
    let response = daemon.rotation().decide_approval(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    let approval = response.into_inner().approval.unwrap_or_default();
    emit(ctx.json(), &ApprovalJson::from(&approval), || {
        if approve {
            t!(
                "approval-approved",
                requester = printable(&approval.requester),
                platform = printable(&approval.platform),
                until = human_time(from_proto(approval.expires.as_ref()))
            )
        } else {
            t!("approval-denied", requester = printable(&approval.requester), platform = printable(&approval.platform))
        }
    })
}
