//! `coffre.v1.AccessService`: people (add, list, offboard, reset enrolment) and grants (add, list, revoke).

use coffre_proto::v1::{self as pb, access_service_server::AccessService};
use coffre_vault::Vault;
use tonic::{Request, Response, Status};

use crate::{context::request_context, convert, status::vault_status};

/// Serves `AccessService` from a [`Vault`].
pub(crate) struct AccessApi {
    vault: Vault,
}

impl AccessApi {
    pub(crate) fn new(vault: Vault) -> Self {
        Self { vault }
    }
}

/// A person who must now enrol, with their code (moved out of its wiping type once) and its expiry.
fn enrolment(e: coffre_vault::Enrolment) -> (pb::Person, String, Option<pb::Timestamp>) {
    let person = pb::Person {
        name: e.name,
        role: convert::role(e.role),
        state: pb::PersonState::Pending as i32,
        added_by: String::new(),
        created: None,
    };
    (person, e.code.expose_secret().to_owned(), convert::timestamp(e.expires))
}

#[tonic::async_trait]
impl AccessService for AccessApi {
    async fn add_person(
        &self,
        request: Request<pb::AddPersonRequest>,
    ) -> Result<Response<pb::AddPersonResponse>, Status> {
        let ctx = request_context(&request)?;
        let pb::AddPersonRequest { name, role } = request.into_inner();
        let role = convert::role_in(role)?;
        let added = self.vault.add_person(&ctx, &name, role).await.map_err(vault_status)?;
        let (person, enrolment_code, enrolment_expires) = enrolment(added);
        Ok(Response::new(pb::AddPersonResponse { person: Some(person), enrolment_code, enrolment_expires }))
    }

    async fn list_people(
        &self,
        request: Request<pb::ListPeopleRequest>,
    ) -> Result<Response<pb::ListPeopleResponse>, Status> {
        let ctx = request_context(&request)?;
        let people = self.vault.list_people(&ctx).map_err(vault_status)?;
        Ok(Response::new(pb::ListPeopleResponse { people: people.into_iter().map(convert::person).collect() }))
    }

    async fn offboard_person(
        &self,
        request: Request<pb::OffboardPersonRequest>,
    ) -> Result<Response<pb::OffboardPersonResponse>, Status> {
        let ctx = request_context(&request)?;
        let done = self.vault.offboard_person(&ctx, &request.get_ref().name).await.map_err(vault_status)?;
        Ok(Response::new(pb::OffboardPersonResponse {
            name: done.name,
            grants_revoked: done.grants_revoked,
            sessions_ended: done.sessions_ended,
            rotation_due: done.rotation_due,
            revealed: done
                .revealed
                .into_iter()
                .map(|r| pb::RevealedEntry {
                    platform: r.platform,
                    seen: r.seen.to_string(),
                    seen_code: r.seen.code().to_owned(),
                    seen_arguments: crate::convert::arguments(r.seen.arguments()),
                })
                .collect(),
            share_holder: done.share_holder.unwrap_or_default(),
        }))
    }

    async fn reset_enrolment(
        &self,
        request: Request<pb::ResetEnrolmentRequest>,
    ) -> Result<Response<pb::ResetEnrolmentResponse>, Status> {
        let ctx = request_context(&request)?;
        let reset = self.vault.reset_enrolment(&ctx, &request.get_ref().name).await.map_err(vault_status)?;
        let (person, enrolment_code, enrolment_expires) = enrolment(reset);
        Ok(Response::new(pb::ResetEnrolmentResponse { person: Some(person), enrolment_code, enrolment_expires }))
    }

    async fn add_grant(&self, request: Request<pb::AddGrantRequest>) -> Result<Response<pb::AddGrantResponse>, Status> {
        let ctx = request_context(&request)?;
        let grant = convert::new_grant(request.into_inner())?;
        let view = self.vault.add_grant(&ctx, grant).await.map_err(vault_status)?;
        Ok(Response::new(pb::AddGrantResponse { grant: Some(convert::grant(view)) }))
    }

    async fn list_grants(
        &self,
        request: Request<pb::ListGrantsRequest>,
    ) -> Result<Response<pb::ListGrantsResponse>, Status> {
        let ctx = request_context(&request)?;
        let grants = self.vault.list_grants(&ctx).map_err(vault_status)?;
        Ok(Response::new(pb::ListGrantsResponse { grants: grants.into_iter().map(convert::grant).collect() }))
    }

    async fn revoke_grant(
        &self,
        request: Request<pb::RevokeGrantRequest>,
    ) -> Result<Response<pb::RevokeGrantResponse>, Status> {
        let ctx = request_context(&request)?;
        let view = self.vault.revoke_grant(&ctx, &request.get_ref().id).await.map_err(vault_status)?;
        Ok(Response::new(pb::RevokeGrantResponse { grant: Some(convert::grant(view)) }))
    }
}
