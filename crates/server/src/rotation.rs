//! `coffre.v1.RotationService`: two-phase rotation (stage, confirm, cancel), the rotation-due report, the
//! compromise flag, and requests for approval (ask, list, decide). The reveal of a staged password is
//! `EntryService.Reveal` with `pending`.

use coffre_crypto::secret::SecretBytes;
use coffre_proto::v1::{self as pb, rotation_service_server::RotationService, stage_rotation_request::NewPassword};
use coffre_vault::{RotationRef, Vault};
use tonic::{Request, Response, Status};

use crate::{context::request_context, convert, refusals::Refusal, status::vault_status};

/// Serves `RotationService` from a [`Vault`].
pub(crate) struct RotationApi {
    vault: Vault,
}

impl RotationApi {
    pub(crate) fn new(vault: Vault) -> Self {
        Self { vault }
    }
}

/// A rotation named by platform and, optionally, id.
fn rotation_ref(platform: String, rotation_id: String) -> RotationRef {
    RotationRef { platform, id: (!rotation_id.trim().is_empty()).then_some(rotation_id) }
}

#[tonic::async_trait]
impl RotationService for RotationApi {
    async fn stage_rotation(
        &self,
        request: Request<pb::StageRotationRequest>,
    ) -> Result<Response<pb::StageRotationResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::StageRotationRequest { platform, new_password } = request.into_inner();
        let password = match new_password {
            // Moved, not copied, into its wiping type.
            Some(NewPassword::Password(bytes)) => coffre_vault::NewPassword::Given(SecretBytes::new(bytes)),
            Some(NewPassword::Generate(policy)) => {
                coffre_vault::NewPassword::Generate(convert::generator_policy(policy))
            }
            None => return Err(Refusal::NewPasswordRequired.into()),
        };
        let staged = self.vault.stage_rotation(&ctx, &platform, password).await.map_err(vault_status)?;
        Ok(Response::new(pb::StageRotationResponse { staged: Some(convert::staged(staged)) }))
    }

    async fn confirm_rotation(
        &self,
        request: Request<pb::ConfirmRotationRequest>,
    ) -> Result<Response<pb::ConfirmRotationResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::ConfirmRotationRequest { platform, rotation_id } = request.into_inner();
        let entry =
            self.vault.confirm_rotation(&ctx, rotation_ref(platform, rotation_id)).await.map_err(vault_status)?;
        Ok(Response::new(pb::ConfirmRotationResponse { entry: Some(convert::entry(entry)) }))
    }

    async fn cancel_rotation(
        &self,
        request: Request<pb::CancelRotationRequest>,
    ) -> Result<Response<pb::CancelRotationResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::CancelRotationRequest { platform, rotation_id } = request.into_inner();
        let cancelled =
            self.vault.cancel_rotation(&ctx, rotation_ref(platform, rotation_id)).await.map_err(vault_status)?;
        Ok(Response::new(pb::CancelRotationResponse { cancelled: Some(convert::staged(cancelled)) }))
    }

    async fn rotation_due(
        &self,
        request: Request<pb::RotationDueRequest>,
    ) -> Result<Response<pb::RotationDueResponse>, Status> {
        let ctx = request_context(&request)?;
        let report = self.vault.rotation_due(&ctx).map_err(vault_status)?;
        Ok(Response::new(pb::RotationDueResponse {
            due: report.due.into_iter().map(convert::due_entry).collect(),
            staged: report.staged.into_iter().map(convert::staged).collect(),
        }))
    }

    async fn flag_entry(
        &self,
        request: Request<pb::FlagEntryRequest>,
    ) -> Result<Response<pb::FlagEntryResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::FlagEntryRequest { platform, reason } = request.into_inner();
        let flagged = self.vault.flag_compromised(&ctx, &platform, &reason).await.map_err(vault_status)?;
        Ok(Response::new(pb::FlagEntryResponse {
            platform: flagged.platform,
            since: convert::timestamp(flagged.since),
            already: flagged.already,
        }))
    }

    async fn request_approval(
        &self,
        request: Request<pb::RequestApprovalRequest>,
    ) -> Result<Response<pb::RequestApprovalResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::RequestApprovalRequest { platform, reason } = request.into_inner();
        let approval = self.vault.request_approval(&ctx, &platform, &reason).await.map_err(vault_status)?;
        Ok(Response::new(pb::RequestApprovalResponse { approval: Some(convert::approval(approval)) }))
    }

    async fn list_approvals(
        &self,
        request: Request<pb::ListApprovalsRequest>,
    ) -> Result<Response<pb::ListApprovalsResponse>, Status> {
        let ctx = request_context(&request)?;
        let approvals = self.vault.list_approvals(&ctx, request.get_ref().include_decided).map_err(vault_status)?;
        Ok(Response::new(pb::ListApprovalsResponse {
            approvals: approvals.into_iter().map(convert::approval).collect(),
        }))
    }

    async fn decide_approval(
        &self,
        request: Request<pb::DecideApprovalRequest>,
    ) -> Result<Response<pb::DecideApprovalResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::DecideApprovalRequest { id, approve, reason } = request.into_inner();
        let approval = self.vault.decide_approval(&ctx, &id, approve, &reason).await.map_err(vault_status)?;
        Ok(Response::new(pb::DecideApprovalResponse { approval: Some(convert::approval(approval)) }))
    }
}
