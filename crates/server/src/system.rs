//! `coffre.v1.SystemService`: status, init, unseal, seal.

use coffre_crypto::kdf::KdfParams;
use coffre_proto::v1::{self as pb, system_service_server::SystemService};
use coffre_vault::{InitParams, Vault};
use tonic::{Request, Response, Status};

use crate::{context::request_context, convert, status::vault_status};

/// The daemon's version, as `GetStatus` reports it.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Serves `SystemService` from a [`Vault`].
pub(crate) struct SystemApi {
    vault: Vault,
    /// What zero fields of a request's `KdfParams` stand for.
    default_kdf: KdfParams,
}

impl SystemApi {
    pub(crate) fn new(vault: Vault, default_kdf: KdfParams) -> Self {
        Self { vault, default_kdf }
    }
}

#[tonic::async_trait]
impl SystemService for SystemApi {
    async fn get_status(
        &self,
        _request: Request<pb::GetStatusRequest>,
    ) -> Result<Response<pb::GetStatusResponse>, Status> {
        let status = self.vault.status();
        Ok(Response::new(pb::GetStatusResponse {
            state: convert::seal_state(status.state),
            vault_id: status.vault_id.unwrap_or_default(),
            version: VERSION.to_owned(),
            audit_events: status.audit_events,
            audit_public_key: status.audit_public_key.unwrap_or_default(),
            audit_head_hash: status.audit_head_hash.unwrap_or_default(),
            store_catching_up: status.store_catching_up,
            standbys: status
                .standbys
                .into_iter()
                .map(|standby| pb::Standby {
                    name: standby.name,
                    armed: standby.armed,
                    seen_seconds_ago: standby.seen_seconds_ago,
                    silent: standby.silent,
                    relays: standby.relays,
                })
                .collect(),
        }))
    }

    async fn init(&self, request: Request<pb::InitRequest>) -> Result<Response<pb::InitResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::InitRequest { president, passphrase, leader, kdf, recovery } = request.into_inner();
        let params = InitParams {
            president,
            passphrase: convert::passphrase(passphrase)?,
            leader: (!leader.is_empty()).then_some(leader),
            kdf: convert::kdf(kdf, self.default_kdf),
        };
        let recovery = recovery.map(crate::recovery::share_set_spec).transpose()?;
        let (outcome, issued) = self.vault.init_with_recovery(&ctx, params, recovery).await.map_err(vault_status)?;
        let (code, expires) = match outcome.leader_enrolment {
            Some((code, expires)) => (code.expose_secret().to_owned(), convert::timestamp(expires)),
            None => (String::new(), None),
        };
        Ok(Response::new(pb::InitResponse {
            vault_id: outcome.vault_id,
            leader_enrolment_code: code,
            leader_enrolment_expires: expires,
            president_otpauth_uri: outcome.president_totp_uri.expose_secret().to_owned(),
            recovery: issued.map(crate::recovery::issued_shares),
        }))
    }

    async fn unseal(&self, request: Request<pb::UnsealRequest>) -> Result<Response<pb::UnsealResponse>, Status> {
        let ctx = request_context(&request)?;
        let passphrase = convert::passphrase(request.into_inner().passphrase)?;
        let already_unsealed = self.vault.unseal(&ctx, passphrase).await.map_err(vault_status)?;
        Ok(Response::new(pb::UnsealResponse { already_unsealed }))
    }

    async fn seal(&self, request: Request<pb::SealRequest>) -> Result<Response<pb::SealResponse>, Status> {
        let ctx = request_context(&request)?;
        self.vault.seal(&ctx).await.map_err(vault_status)?;
        Ok(Response::new(pb::SealResponse {}))
    }
}
