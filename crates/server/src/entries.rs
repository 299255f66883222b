//! `coffre.v1.EntryService`: entries, their versions, and the reveal of a secret field.
//!
//! Secret bytes are moved out of the request into zeroizing types, never copied; a revealed secret is moved into
//! the response. (What prost and tonic do with their own buffers is outside this crate's reach.)

use coffre_crypto::secret::SecretBytes;
use coffre_proto::v1::{self as pb, entry_service_server::EntryService};
use coffre_vault::{EntryUpdate, RevealParams, Secrets, Vault};
use tonic::{Request, Response, Status};

use crate::{context::request_context, convert, refusals::Refusal, status::vault_status};

/// Serves `EntryService` from a [`Vault`].
pub(crate) struct EntryApi {
    vault: Vault,
}

impl EntryApi {
    pub(crate) fn new(vault: Vault) -> Self {
        Self { vault }
    }
}

/// An optional secret field where empty means "none" (`SecretFields` documents the TOTP seed so).
fn non_empty(bytes: Vec<u8>) -> Option<SecretBytes> {
    (!bytes.is_empty()).then(|| SecretBytes::new(bytes))
}

/// A list that replaces the stored one only when the request says so. A list sent without its `replace_*` flag
/// is refused rather than ignored, so a client's mistake does not pass silently.
fn replacement(list: Vec<String>, replace: bool, field: &str) -> Result<Option<Vec<String>>, Status> {
    match (replace, list.is_empty()) {
        (true, _) => Ok(Some(list)),
        (false, true) => Ok(None),
        (false, false) => Err(Refusal::GivenWithoutReplace { field: field.to_owned() }.into()),
    }
}

#[tonic::async_trait]
impl EntryService for EntryApi {
    async fn create_entry(
        &self,
        request: Request<pb::CreateEntryRequest>,
    ) -> Result<Response<pb::CreateEntryResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::CreateEntryRequest { entry, secrets } = request.into_inner();
        let entry = convert::new_entry(entry.ok_or_else(|| Status::from(Refusal::Required { what: "entry".into() }))?)?;
        let pb::SecretFields { password, totp_seed, notes } =
            secrets.ok_or_else(|| Status::from(Refusal::Required { what: "secrets".into() }))?;
        let secrets =
            Secrets { password: SecretBytes::new(password), totp_seed: non_empty(totp_seed), notes: non_empty(notes) };
        let view = self.vault.create_entry(&ctx, entry, secrets).await.map_err(vault_status)?;
        Ok(Response::new(pb::CreateEntryResponse { entry: Some(convert::entry(view)) }))
    }

    async fn list_entries(
        &self,
        request: Request<pb::ListEntriesRequest>,
    ) -> Result<Response<pb::ListEntriesResponse>, Status> {
        let ctx = request_context(&request)?;
        let req = request.get_ref();
        let after = Some(req.page_token.as_str()).filter(|token| !token.is_empty());
        let limit = usize::try_from(req.page_size).unwrap_or(usize::MAX);
        let page = self.vault.list_entries_page(&ctx, req.include_archived, after, limit).map_err(vault_status)?;
        Ok(Response::new(pb::ListEntriesResponse {
            entries: page.entries.into_iter().map(convert::entry).collect(),
            next_page_token: page.next_after.unwrap_or_default(),
        }))
    }

    async fn get_entry(&self, request: Request<pb::GetEntryRequest>) -> Result<Response<pb::GetEntryResponse>, Status> {
        let ctx = request_context(&request)?;
        let view = self.vault.get_entry(&ctx, &request.get_ref().platform).map_err(vault_status)?;
        Ok(Response::new(pb::GetEntryResponse { entry: Some(convert::entry(view)) }))
    }

    async fn update_entry(
        &self,
        request: Request<pb::UpdateEntryRequest>,
    ) -> Result<Response<pb::UpdateEntryResponse>, Status> {
        let ctx = request_context(&request)?;
        let req = request.into_inner();
        let update = EntryUpdate {
            category: convert::optional_category(req.category)?,
            classification: convert::optional_classification(req.classification)?,
            lifecycle: convert::optional_lifecycle(req.lifecycle)?,
            recovery_contacts: replacement(req.recovery_contacts, req.replace_recovery_contacts, "recovery_contacts")?,
            tags: replacement(req.tags, req.replace_tags, "tags")?,
            platform: req.platform,
            new_platform: req.new_platform,
            url: req.url,
            login: req.login,
            // Here an empty TOTP seed or empty notes is meaningful ("remove them"), so `Some(empty)` stays.
            password: req.password.map(SecretBytes::new),
            totp_seed: req.totp_seed.map(SecretBytes::new),
            notes: req.notes.map(SecretBytes::new),
        };
        let view = self.vault.update_entry(&ctx, update).await.map_err(vault_status)?;
        Ok(Response::new(pb::UpdateEntryResponse { entry: Some(convert::entry(view)) }))
    }

    async fn archive_entry(
        &self,
        request: Request<pb::ArchiveEntryRequest>,
    ) -> Result<Response<pb::ArchiveEntryResponse>, Status> {
        let ctx = request_context(&request)?;
        let view = self.vault.archive_entry(&ctx, &request.get_ref().platform).await.map_err(vault_status)?;
        Ok(Response::new(pb::ArchiveEntryResponse { entry: Some(convert::entry(view)) }))
    }

    async fn list_versions(
        &self,
        request: Request<pb::ListVersionsRequest>,
    ) -> Result<Response<pb::ListVersionsResponse>, Status> {
        let ctx = request_context(&request)?;
        let versions = self.vault.list_versions(&ctx, &request.get_ref().platform).map_err(vault_status)?;
        Ok(Response::new(pb::ListVersionsResponse { versions: versions.into_iter().map(convert::version).collect() }))
    }

    async fn reveal(&self, request: Request<pb::RevealRequest>) -> Result<Response<pb::RevealResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::RevealRequest { platform, field, reason, version, pending } = request.into_inner();
        if pending && version != 0 {
            return Err(Refusal::NoOlderVersion.into());
        }
        let params = RevealParams {
            platform,
            field: convert::secret_field(field)?,
            reason,
            version: (version != 0).then_some(version),
        };
        let revealed =
            if pending { self.vault.reveal_pending(&ctx, params).await } else { self.vault.reveal(&ctx, params).await }
                .map_err(vault_status)?;
        let valid_for_secs = revealed.valid_for_secs.unwrap_or(0);
        // Move the bytes out of their zeroizing wrapper into the response: no copy is left behind.
        let secret = std::mem::take(&mut *revealed.secret.into_exposed());
        Ok(Response::new(pb::RevealResponse {
            secret,
            version: revealed.version,
            audit_seq: revealed.audit_seq,
            valid_for_secs,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_replaces_only_when_asked() {
        assert_eq!(replacement(vec![], false, "tags").expect("unchanged"), None);
        assert_eq!(replacement(vec![], true, "tags").expect("cleared"), Some(vec![]));
        assert_eq!(replacement(vec!["a".into()], true, "tags").expect("replaced"), Some(vec!["a".to_owned()]));
        let status = replacement(vec!["a".into()], false, "tags").expect_err("ambiguous");
        assert_eq!(status.code(), tonic::Code::InvalidArgument);
        assert_eq!(status.message(), "tags given without replace_tags");
    }
}
