//! `coffre.v1.RecoveryService`: recovery status, share submission, the new passphrase after a recovery, rekey.

use coffre_crypto::secret::{SecretBytes, SecretString};
use coffre_proto::v1::{self as pb, recovery_service_server::RecoveryService};
use coffre_vault::{
    Vault,
    recovery::{HolderKey, HolderSpec, IssuedShares, ShareSetSpec},
};
use tonic::{Request, Response, Status};

use crate::{context::request_context, convert, refusals::Refusal, status::vault_status};

/// Serves `RecoveryService` from a [`Vault`].
pub(crate) struct RecoveryApi {
    vault: Vault,
}

impl RecoveryApi {
    pub(crate) fn new(vault: Vault) -> Self {
        Self { vault }
    }
}

/// A share-set request for the engine. The engine judges labels, counts and keys; here only the wire's shape.
pub(crate) fn share_set_spec(spec: pb::ShareSetSpec) -> Result<ShareSetSpec, Status> {
    let threshold = u8::try_from(spec.threshold)
        .map_err(|_| Status::from(Refusal::ThresholdTooLarge { threshold: spec.threshold.to_string() }))?;
    let holders = spec
        .holders
        .into_iter()
        .map(|holder| {
            let key = match holder.key {
                Some(pb::holder::Key::AgeRecipient(recipient)) => HolderKey::Age(recipient),
                Some(pb::holder::Key::Passphrase(passphrase)) => {
                    HolderKey::Passphrase(convert::passphrase(passphrase)?)
                }
                None => {
                    return Err(Refusal::HolderWithoutKey { holder: holder.label }.into());
                }
            };
            Ok(HolderSpec { label: holder.label, key })
        })
        .collect::<Result<_, Status>>()?;
    Ok(ShareSetSpec { threshold, holders })
}

/// Issued shares for a response.
pub(crate) fn issued_shares(issued: IssuedShares) -> pb::IssuedShares {
    pb::IssuedShares {
        share_set_id: issued.share_set_id,
        threshold: u32::from(issued.threshold),
        shares: issued
            .shares
            .into_iter()
            .map(|s| pb::ShareFile { holder: s.holder, x: u32::from(s.x), armored: s.file })
            .collect(),
    }
}

#[tonic::async_trait]
impl RecoveryService for RecoveryApi {
    async fn get_recovery_status(
        &self,
        _request: Request<pb::GetRecoveryStatusRequest>,
    ) -> Result<Response<pb::GetRecoveryStatusResponse>, Status> {
        let status = self.vault.recovery_status();
        Ok(Response::new(pb::GetRecoveryStatusResponse {
            configured: status.share_set_id.is_some(),
            share_set_id: status.share_set_id.unwrap_or_default(),
            threshold: u32::from(status.threshold),
            shares: u32::from(status.shares),
            submitted: u32::from(status.submitted),
            expires: status.expires.and_then(convert::timestamp),
        }))
    }

    async fn submit_share(
        &self,
        request: Request<pb::SubmitShareRequest>,
    ) -> Result<Response<pb::SubmitShareResponse>, Status> {
        let ctx = request_context(&request)?;
        let share = SecretBytes::new(request.into_inner().share);
        let accepted = self.vault.submit_share(&ctx, share).await.map_err(vault_status)?;
        let (complete, code, code_expires, unsealed_now) = match &accepted.completion {
            Some(done) => {
                (true, done.token.expose_secret().to_owned(), convert::timestamp(done.expires), done.unsealed)
            }
            None => (false, String::new(), None, false),
        };
        Ok(Response::new(pb::SubmitShareResponse {
            holder: accepted.holder,
            x: u32::from(accepted.x),
            submitted: u32::from(accepted.submitted),
            threshold: u32::from(accepted.threshold),
            expires: convert::timestamp(accepted.expires),
            complete,
            completion_code: code,
            completion_expires: code_expires,
            unsealed_now,
        }))
    }

    async fn finish_recovery(
        &self,
        request: Request<pb::FinishRecoveryRequest>,
    ) -> Result<Response<pb::FinishRecoveryResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::FinishRecoveryRequest { completion_code, owner, new_passphrase } = request.into_inner();
        let code = SecretString::new(completion_code);
        let passphrase = convert::passphrase(new_passphrase)?;
        let owner = (!owner.trim().is_empty()).then_some(owner);
        let owner = self
            .vault
            .finish_recovery(&ctx, code.expose_secret(), owner.as_deref(), passphrase)
            .await
            .map_err(vault_status)?;
        Ok(Response::new(pb::FinishRecoveryResponse { owner }))
    }

    async fn rekey(&self, request: Request<pb::RekeyRequest>) -> Result<Response<pb::RekeyResponse>, Status> {
        let ctx = request_context(&request)?;
        let spec = request
            .into_inner()
            .share_set
            .ok_or_else(|| Status::from(Refusal::Required { what: "share_set".into() }))?;
        let issued = self.vault.rekey(&ctx, share_set_spec(spec)?).await.map_err(vault_status)?;
        Ok(Response::new(pb::RekeyResponse { shares: Some(issued_shares(issued)) }))
    }
}
