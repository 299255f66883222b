//! `coffre.v1.AuthService`: login, logout, enrolment, passphrase changes, and who a session belongs to.

use coffre_crypto::secret::SecretString;
use coffre_proto::v1::{self as pb, auth_service_server::AuthService};
use coffre_vault::Vault;
use tonic::{Request, Response, Status};

use crate::{context::request_context, convert, status::vault_status};

/// Serves `AuthService` from a [`Vault`].
pub(crate) struct AuthApi {
    vault: Vault,
}

impl AuthApi {
    pub(crate) fn new(vault: Vault) -> Self {
        Self { vault }
    }
}

#[tonic::async_trait]
impl AuthService for AuthApi {
    async fn login(&self, request: Request<pb::LoginRequest>) -> Result<Response<pb::LoginResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::LoginRequest { name, passphrase, totp_code } = request.into_inner();
        let passphrase = convert::passphrase(passphrase)?;
        let outcome = self.vault.login(&ctx, &name, passphrase, &totp_code).await.map_err(vault_status)?;
        Ok(Response::new(pb::LoginResponse {
            token: outcome.token.expose_secret().to_owned(),
            expires: convert::timestamp(outcome.expires),
            role: convert::role(outcome.role),
        }))
    }

    async fn logout(&self, request: Request<pb::LogoutRequest>) -> Result<Response<pb::LogoutResponse>, Status> {
        let ctx = request_context(&request)?;
        self.vault.logout(&ctx).await.map_err(vault_status)?;
        Ok(Response::new(pb::LogoutResponse {}))
    }

    async fn start_enrollment(
        &self,
        request: Request<pb::StartEnrollmentRequest>,
    ) -> Result<Response<pb::StartEnrollmentResponse>, Status> {
        let ctx = request_context(&request)?;
        // The one-time code is a secret too: wiped when this call ends.
        let code = SecretString::new(request.into_inner().code);
        let start = self.vault.start_enrollment(&ctx, code.expose_secret()).await.map_err(vault_status)?;
        Ok(Response::new(pb::StartEnrollmentResponse {
            name: start.name,
            role: convert::role(start.role),
            otpauth_uri: start.totp_uri.expose_secret().to_owned(),
        }))
    }

    async fn enroll(&self, request: Request<pb::EnrollRequest>) -> Result<Response<pb::EnrollResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::EnrollRequest { code, passphrase, totp_code } = request.into_inner();
        let code = SecretString::new(code);
        let passphrase = convert::passphrase(passphrase)?;
        let (name, role) =
            self.vault.enroll(&ctx, code.expose_secret(), passphrase, &totp_code).await.map_err(vault_status)?;
        Ok(Response::new(pb::EnrollResponse { name, role: convert::role(role) }))
    }

    async fn change_passphrase(
        &self,
        request: Request<pb::ChangePassphraseRequest>,
    ) -> Result<Response<pb::ChangePassphraseResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::ChangePassphraseRequest { current_passphrase, new_passphrase } = request.into_inner();
        let current = convert::passphrase(current_passphrase)?;
        let new = convert::passphrase(new_passphrase)?;
        self.vault.change_passphrase(&ctx, current, new).await.map_err(vault_status)?;
        Ok(Response::new(pb::ChangePassphraseResponse {}))
    }

    async fn who_am_i(&self, request: Request<pb::WhoAmIRequest>) -> Result<Response<pb::WhoAmIResponse>, Status> {
        let ctx = request_context(&request)?;
        let who = self.vault.whoami(&ctx).map_err(vault_status)?;
        Ok(Response::new(pb::WhoAmIResponse {
            name: who.name,
            role: convert::role(who.role),
            session_expires: convert::timestamp(who.session_expires),
        }))
    }
}
