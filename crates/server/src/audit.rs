//! `coffre.v1.AuditService`: the filtered listing of the audit log and its export.

use std::{
    pin::Pin,
    time::{Duration, SystemTime},
};

use coffre_proto::v1::{self as pb, audit_service_server::AuditService};
use coffre_vault::{AuditEvent, AuditFilter, Outcome, Vault};
use tokio_stream::{Stream, wrappers::ReceiverStream};
use tonic::{Request, Response, Status};

use crate::{context::request_context, refusals::Refusal, status::vault_status};

/// Largest chunk of an export stream (whole lines; a line longer than this goes alone).
const CHUNK: usize = 256 * 1024;

/// Serves `AuditService` from a [`Vault`].
pub(crate) struct AuditApi {
    vault: Vault,
}

impl AuditApi {
    pub(crate) fn new(vault: Vault) -> Self {
        Self { vault }
    }
}

fn non_empty(s: String) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn time(field: &str, t: Option<pb::Timestamp>) -> Result<Option<SystemTime>, Status> {
    t.map(|t| {
        u64::try_from(t.unix_seconds)
            .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s))
            .map_err(|_| Refusal::Before1970 { what: field.to_owned() }.into())
    })
    .transpose()
}

fn event(e: AuditEvent) -> pb::AuditEvent {
    let outcome = match e.outcome {
        Outcome::Success => pb::AuditOutcome::Success,
        Outcome::Denied => pb::AuditOutcome::Denied,
        Outcome::Failure => pb::AuditOutcome::Failure,
    };
    pb::AuditEvent {
        seq: e.seq,
        time_ms: e.time_ms,
        actor: e.actor,
        action: e.action,
        target: e.target,
        outcome: outcome as i32,
        reason: e.reason,
        detail: e.detail,
        client_addr: e.client_addr,
        client_agent: e.client_agent,
    }
}

type ExportStream = Pin<Box<dyn Stream<Item = Result<pb::ExportAuditLogChunk, Status>> + Send>>;

#[tonic::async_trait]
impl AuditService for AuditApi {
    async fn list_audit_events(
        &self,
        request: Request<pb::ListAuditEventsRequest>,
    ) -> Result<Response<pb::ListAuditEventsResponse>, Status> {
        let ctx = request_context(&request)?;
        let r = request.into_inner();
        let filter = AuditFilter {
            actor: non_empty(r.actor),
            action: non_empty(r.action),
            target: non_empty(r.target),
            since: time("since", r.since)?,
            until: time("until", r.until)?,
            after_seq: r.after_seq,
            limit: r.limit,
        };
        let page = self.vault.list_audit(&ctx, filter).await.map_err(vault_status)?;
        Ok(Response::new(pb::ListAuditEventsResponse {
            events: page.events.into_iter().map(event).collect(),
            next_after_seq: page.next_after_seq.unwrap_or(0),
        }))
    }

    type ExportAuditLogStream = ExportStream;

    async fn export_audit_log(
        &self,
        request: Request<pb::ExportAuditLogRequest>,
    ) -> Result<Response<Self::ExportAuditLogStream>, Status> {
        let ctx = request_context(&request)?;
        let export = self.vault.export_audit(&ctx).await.map_err(vault_status)?;
        let lines = export.lines().map_err(vault_status)?;
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        // Reading and opening the log is blocking work; the channel's bound keeps memory flat for any log size.
        tokio::task::spawn_blocking(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            for line in lines {
                match line {
                    Ok(line) => {
                        if !chunk.is_empty() && chunk.len() + line.len() > CHUNK {
                            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                            if tx.blocking_send(Ok(pb::ExportAuditLogChunk { data: full })).is_err() {
                                return;
                            }
                        }
                        chunk.extend_from_slice(line.as_bytes());
                    }
                    Err(err) => {
                        tracing::error!(error = %err, "audit export stopped");
                        let _ = tx.blocking_send(Err(vault_status(err)));
                        return;
                    }
                }
            }
            if !chunk.is_empty() {
                let _ = tx.blocking_send(Ok(pb::ExportAuditLogChunk { data: chunk }));
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
