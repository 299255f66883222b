//! `coffre.v1.RegistryService`: the register of official accounts, streamed in pages, with the organisation's
//! name from the configuration (`[organisation] name`).

use std::{pin::Pin, time::SystemTime};

use coffre_proto::v1::{self as pb, registry_service_server::RegistryService};
use coffre_vault::{RegistryEntry, Vault};
use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use crate::{context::request_context, convert, status::vault_status};

/// Most entries in one message of the stream (each well under 10 KiB, so a message stays under 1 MiB).
const PAGE: usize = 200;

/// Serves `RegistryService` from a [`Vault`].
pub(crate) struct RegistryApi {
    vault: Vault,
    organisation: String,
}

impl RegistryApi {
    pub(crate) fn new(vault: Vault, organisation: Option<String>) -> Self {
        Self { vault, organisation: organisation.unwrap_or_default() }
    }
}

type PageStream = Pin<Box<dyn Stream<Item = Result<pb::ExportRegistryResponse, Status>> + Send>>;

fn entry(entry: RegistryEntry) -> pb::RegistryEntry {
    pb::RegistryEntry {
        platform: entry.platform,
        category: convert::category_out(entry.category),
        url: entry.url,
        classification: convert::classification_out(entry.classification),
        lifecycle: convert::lifecycle_out(entry.lifecycle),
        created: convert::timestamp(entry.created),
        transitions: entry
            .transitions
            .into_iter()
            .map(|t| pb::LifecycleTransition {
                state: convert::lifecycle_out(t.state),
                at: convert::timestamp(t.at),
                by: t.by,
            })
            .collect(),
        recovery_contacts: entry.recovery_contacts.unwrap_or_default(),
    }
}

/// The register in messages of at most [`PAGE`] entries; the first names the organisation (and is sent even when
/// the register is empty).
fn pages(organisation: &str, generated: SystemTime, entries: Vec<RegistryEntry>) -> Vec<pb::ExportRegistryResponse> {
    let mut pages: Vec<pb::ExportRegistryResponse> = Vec::new();
    let mut entries = entries.into_iter().map(entry).peekable();
    loop {
        let page: Vec<pb::RegistryEntry> = entries.by_ref().take(PAGE).collect();
        let first = pages.is_empty();
        if page.is_empty() && !first {
            break;
        }
        pages.push(pb::ExportRegistryResponse {
            organisation: if first { organisation.to_owned() } else { String::new() },
            generated: if first { convert::timestamp(generated) } else { None },
            entries: page,
        });
        if entries.peek().is_none() {
            break;
        }
    }
    pages
}

#[tonic::async_trait]
impl RegistryService for RegistryApi {
    type ExportRegistryStream = PageStream;

    async fn export_registry(
        &self,
        request: Request<pb::ExportRegistryRequest>,
    ) -> Result<Response<Self::ExportRegistryStream>, Status> {
        let ctx = request_context(&request)?;
        let with_contacts = request.into_inner().with_recovery_contacts;
        let registry = self.vault.registry(&ctx, with_contacts).await.map_err(vault_status)?;
        let pages = pages(&self.organisation, registry.generated, registry.entries);
        Ok(Response::new(Box::pin(tokio_stream::iter(pages.into_iter().map(Ok)))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(platform: &str) -> RegistryEntry {
        RegistryEntry {
            platform: platform.into(),
            category: coffre_vault::Category::Other,
            url: String::new(),
            classification: coffre_vault::Classification::Public,
            lifecycle: coffre_vault::Lifecycle::Active,
            created: SystemTime::UNIX_EPOCH,
            transitions: Vec::new(),
            recovery_contacts: None,
        }
    }

    #[test]
    fn the_register_comes_in_pages_and_the_first_names_the_organisation() {
        let empty = pages("Parti", SystemTime::UNIX_EPOCH, Vec::new());
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].organisation, "Parti");
        let many = pages("Parti", SystemTime::UNIX_EPOCH, (0..401).map(|n| named(&n.to_string())).collect());
        assert_eq!(many.iter().map(|p| p.entries.len()).collect::<Vec<_>>(), [200, 200, 1]);
        assert!(many[1..].iter().all(|p| p.organisation.is_empty() && p.generated.is_none()));
    }
}
