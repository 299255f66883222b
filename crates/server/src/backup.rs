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
            share_set_id: backup.share_set_id,
            share_set_issued: convert::timestamp(backup.share_set_issued),
        };
        Ok(Response::new(Box::pin(tokio_stream::iter(chunks(&backup.file, info).into_iter().map(Ok)))))
    }
}

/// The file in chunks of at most [`CHUNK_BYTES`], the description in the first (there is always one).
fn chunks(file: &[u8], info: pb::BackupInfo) -> Vec<pb::BackupChunk> {
    let mut chunks: Vec<pb::BackupChunk> =
        file.chunks(CHUNK_BYTES).map(|c| pb::BackupChunk { info: None, data: c.to_vec() }).collect();
    match chunks.first_mut() {
        Some(first) => first.info = Some(info),
        None => chunks.push(pb::BackupChunk { info: Some(info), data: Vec::new() }),
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_goes_in_bounded_chunks_in_order_with_the_description_first() {
        let file: Vec<u8> = (0..(2 * CHUNK_BYTES + 10)).map(|i| (i % 251) as u8).collect();
        let info = pb::BackupInfo { size: file.len() as u64, ..Default::default() };
        let sent = chunks(&file, info.clone());
        assert_eq!(sent.iter().map(|c| c.data.len()).collect::<Vec<_>>(), [CHUNK_BYTES, CHUNK_BYTES, 10]);
        assert_eq!(sent[0].info, Some(info.clone()));
        assert!(sent[1..].iter().all(|c| c.info.is_none()));
        assert_eq!(sent.iter().flat_map(|c| c.data.iter().copied()).collect::<Vec<u8>>(), file);
        let empty = chunks(&[], info.clone());
        assert_eq!((empty.len(), empty[0].info.as_ref()), (1, Some(&info)));
    }
}
