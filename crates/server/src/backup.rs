//! `coffre.v1.BackupService`: a backup now, streamed in chunks (a backup may be larger than one message).

use std::pin::Pin;

use coffre_proto::v1::{self as pb, backup_service_server::BackupService};
use coffre_vault::Vault;
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use crate::{context::request_context, convert, status::vault_status};

/// Largest chunk of a backup file in one message (well under the response size limit).
pub(crate) const CHUNK_BYTES: usize = 256 * 1024;

/// Serves `BackupService` from a [`Vault`].
pub(crate) struct BackupApi {
    vault: Vault,
}

impl BackupApi {
    pub(crate) fn new(vault: Vault) -> Self {
        Self { vault }
    }
}

type ChunkStream = Pin<Box<dyn Stream<Item = Result<pb::BackupChunk, Status>> + Send>>;

#[tonic::async_trait]
impl BackupService for BackupApi {
    type CreateBackupStream = ChunkStream;

    async fn create_backup(
        &self,
        request: Request<pb::CreateBackupRequest>,
    ) -> Result<Response<Self::CreateBackupStream>, Status> {
        let ctx = request_context(&request)?;
        let backup = self.vault.create_backup(&ctx).await.map_err(vault_status)?;
        let info = pb::BackupInfo {
            vault_id: backup.vault_id,
            created: convert::timestamp(backup.created),
            records: u64::try_from(backup.records).unwrap_or(u64::MAX),
            audit_events: backup.audit_events,
            recipients: u32::try_from(backup.recipients).unwrap_or(u32::MAX),
            size: u64::try_from(backup.file.len()).unwrap_or(u64::MAX),
        };
        let mut chunks: Vec<pb::BackupChunk> =
            backup.file.chunks(CHUNK_BYTES).map(|c| pb::BackupChunk { info: None, data: c.to_vec() }).collect();
        match chunks.first_mut() {
            Some(first) => first.info = Some(info),
            None => chunks.push(pb::BackupChunk { info: Some(info), data: Vec::new() }),
        }
        Ok(Response::new(Box::pin(tokio_stream::iter(chunks.into_iter().map(Ok)))))
    }
}
