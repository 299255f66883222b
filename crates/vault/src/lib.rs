//! coffre's engine: seal state, people, sessions and grants, entries and their versions, two-phase rotation and
//! two-person approvals, the audit log, recovery with shares, and backups.
//!
//! The engine knows nothing of gRPC: the server turns requests into calls on [`Vault`] and [`Error`]s into status
//! codes. Every call takes a [`RequestContext`] (session token, client address and agent); authentication and
//! authorisation happen here, in one place (`authz`), deny by default.
//!
//! ```no_run
//! # fn demo() -> coffre_vault::Result<()> {
//! use std::sync::Arc;
//! use coffre_vault::{Vault, VaultConfig, clock::SystemClock};
//!
//! let vault = Vault::open(VaultConfig::new("/var/lib/coffre".into()), Arc::new(SystemClock))?;
//! println!("{:?}", vault.status().state);
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

mod approvals;
mod audit;
mod auditing;
mod auth;
mod authz;
pub mod backup;
#[cfg(feature = "bulk")]
mod bulk;
pub mod clock;
mod config;
mod entries;
mod entry_cache;
pub mod error;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
mod grants;
mod header;
mod journal;
mod lifecycle;
mod migrate;
pub mod model;
mod names;
mod people;
pub mod problems;
pub mod reasons;
mod rebuild;
mod records;
pub mod recovery;
mod registry;
mod rotation;
mod salvage;
mod sessions;
mod standby;
mod store_check;
mod throttle;
mod validate;
mod vault;

#[cfg(test)]
mod guessing_tests;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
mod tests;

pub use audit::{AuditEvent, Outcome};
pub use auditing::{AuditExport, DEFAULT_PAGE, MAX_PAGE};
pub use coffre_store::{Announced, PgOptions, Standby, StoreError};
pub use config::{DEFAULT_STORE_RETRY_FOR, MaxAges, StoreBackend, VaultConfig};
pub use entries::{DEFAULT_ENTRY_PAGE, MAX_ENTRY_PAGE};
pub use error::{Error, ErrorKind, Result};
pub use journal::write_durably;
pub use migrate::{MOVED_DB, MigrateRefusal, MigrateReport, migrate_store, move_restored_store};
pub use model::*;
pub use problems::{Field, Problem};
pub use reasons::Reason;
pub use rebuild::{RebuildReport, rebuild_store};
pub use registry::{LifecycleTransition, Registry, RegistryEntry};
pub use salvage::{SalvageReport, salvage};
pub use standby::{ArmedUnseal, announce_standby, check_standby_passphrase, withdraw_standby};
pub use throttle::address_key;
pub use vault::Vault;
