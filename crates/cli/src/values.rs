//! The enumerated values people type and read: one spelling (lowercase, kebab-case) for the command line, the
//! human output and the JSON output, and their mapping to the API's enums.

use clap::ValueEnum;
use coffre_proto::v1;

/// Where an entry belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Category {
    /// Facebook, Instagram, X, YouTube...
    SocialNetwork,
    /// NationBuilder and other data banks.
    DataBank,
    /// Design and creation tools.
    Creation,
    /// Meeting tools.
    Meeting,
    /// Software and hosting: AWS, GoDaddy, Nextcloud, Mailgun...
    Software,
    /// Bank portals and payment accounts.
    Financial,
    /// Anything else.
    Other,
}

/// How sensitive an entry is: public < restricted < confidential < very-confidential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Classification {
    /// Public.
    Public,
    /// Restricted.
    Restricted,
    /// Confidential.
    Confidential,
    /// Very confidential: a member's reveal needs an owner's approval.
    VeryConfidential,
}

/// Where an entry is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Lifecycle {
    /// Planned, not yet in use.
    Planned,
    /// In use.
    Active,
    /// Disposed of; its history is kept.
    Archived,
}

/// Which secret field to reveal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SecretField {
    /// The account's password.
    Password,
    /// The entry's notes.
    Notes,
    /// The current code of the account's own two-factor authentication, computed by the daemon.
    Totp,
    /// The seed of the account's own two-factor authentication (base32; owners only).
    TotpSeed,
}

/// A role a person can be added with (the president is named at init).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum NewRole {
    /// Has all access, like the president (only the president adds a leader).
    Leader,
    /// Adds members and grants them access to public and restricted entries.
    AccessManager,
    /// Sees and reveals only what a live grant covers.
    Member,
    /// Reads the audit log; never reveals.
    Auditor,
}

impl NewRole {
    pub(crate) fn to_proto(self) -> i32 {
        let value = match self {
            NewRole::Leader => v1::Role::Leader,
            NewRole::AccessManager => v1::Role::AccessManager,
            NewRole::Member => v1::Role::Member,
            NewRole::Auditor => v1::Role::Auditor,
        };
        value as i32
    }
}

/// The spelling of a value, as typed on the command line.
pub(crate) fn name<T: ValueEnum>(value: T) -> String {
    value.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default()
}

impl Category {
    pub(crate) fn to_proto(self) -> i32 {
        let value = match self {
            Category::SocialNetwork => v1::Category::SocialNetwork,
            Category::DataBank => v1::Category::DataBank,
            Category::Creation => v1::Category::Creation,
            Category::Meeting => v1::Category::Meeting,
            Category::Software => v1::Category::Software,
            Category::Financial => v1::Category::Financial,
            Category::Other => v1::Category::Other,
        };
        value as i32
    }

    pub(crate) fn from_proto(value: i32) -> Option<Self> {
        Some(match v1::Category::try_from(value).ok()? {
            v1::Category::Unspecified => return None,
            v1::Category::SocialNetwork => Category::SocialNetwork,
            v1::Category::DataBank => Category::DataBank,
            v1::Category::Creation => Category::Creation,
            v1::Category::Meeting => Category::Meeting,
            v1::Category::Software => Category::Software,
            v1::Category::Financial => Category::Financial,
            v1::Category::Other => Category::Other,
        })
    }
}

impl Classification {
    pub(crate) fn to_proto(self) -> i32 {
        let value = match self {
            Classification::Public => v1::Classification::Public,
            Classification::Restricted => v1::Classification::Restricted,
            Classification::Confidential => v1::Classification::Confidential,
            Classification::VeryConfidential => v1::Classification::VeryConfidential,
        };
        value as i32
    }

    pub(crate) fn from_proto(value: i32) -> Option<Self> {
        Some(match v1::Classification::try_from(value).ok()? {
            v1::Classification::Unspecified => return None,
            v1::Classification::Public => Classification::Public,
            v1::Classification::Restricted => Classification::Restricted,
            v1::Classification::Confidential => Classification::Confidential,
            v1::Classification::VeryConfidential => Classification::VeryConfidential,
        })
    }
}

impl Lifecycle {
    pub(crate) fn to_proto(self) -> i32 {
        let value = match self {
            Lifecycle::Planned => v1::Lifecycle::Planned,
            Lifecycle::Active => v1::Lifecycle::Active,
            Lifecycle::Archived => v1::Lifecycle::Archived,
        };
        value as i32
    }

    pub(crate) fn from_proto(value: i32) -> Option<Self> {
        Some(match v1::Lifecycle::try_from(value).ok()? {
            v1::Lifecycle::Unspecified => return None,
            v1::Lifecycle::Planned => Lifecycle::Planned,
            v1::Lifecycle::Active => Lifecycle::Active,
            v1::Lifecycle::Archived => Lifecycle::Archived,
        })
    }
}

impl SecretField {
    pub(crate) fn to_proto(self) -> i32 {
        let value = match self {
            SecretField::Password => v1::SecretField::Password,
            SecretField::Notes => v1::SecretField::Notes,
            SecretField::Totp => v1::SecretField::TotpCode,
            SecretField::TotpSeed => v1::SecretField::TotpSeed,
        };
        value as i32
    }
}

/// Spelling of a category received from the daemon; "unknown" for a value this client does not know.
pub(crate) fn category_name(value: i32) -> String {
    Category::from_proto(value).map_or_else(|| "unknown".to_owned(), name)
}

/// Spelling of a classification received from the daemon.
pub(crate) fn classification_name(value: i32) -> String {
    Classification::from_proto(value).map_or_else(|| "unknown".to_owned(), name)
}

/// Spelling of a lifecycle received from the daemon.
pub(crate) fn lifecycle_name(value: i32) -> String {
    Lifecycle::from_proto(value).map_or_else(|| "unknown".to_owned(), name)
}

/// Spelling of a role received from the daemon.
pub(crate) fn role_name(value: i32) -> &'static str {
    match v1::Role::try_from(value) {
        Ok(v1::Role::President) => "president",
        Ok(v1::Role::Leader) => "leader",
        Ok(v1::Role::AccessManager) => "access-manager",
        Ok(v1::Role::Member) => "member",
        Ok(v1::Role::Auditor) => "auditor",
        Ok(v1::Role::Unspecified) | Err(_) => "unknown",
    }
}

/// Spelling of a seal state received from the daemon.
pub(crate) fn seal_state_name(value: i32) -> &'static str {
    match v1::SealState::try_from(value) {
        Ok(v1::SealState::Uninitialised) => "uninitialised",
        Ok(v1::SealState::Sealed) => "sealed",
        Ok(v1::SealState::Unsealed) => "unsealed",
        Ok(v1::SealState::Unspecified) | Err(_) => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_spelled_in_kebab_case() {
        assert_eq!(name(Category::SocialNetwork), "social-network");
        assert_eq!(name(Category::DataBank), "data-bank");
        assert_eq!(name(Classification::VeryConfidential), "very-confidential");
        assert_eq!(name(SecretField::TotpSeed), "totp-seed");
        assert_eq!(name(SecretField::Totp), "totp");
        assert_eq!(role_name(v1::Role::AccessManager as i32), "access-manager");
        assert_eq!(seal_state_name(v1::SealState::Uninitialised as i32), "uninitialised");
    }

    #[test]
    fn every_value_survives_the_round_trip_through_the_api() {
        for value in Category::value_variants() {
            assert_eq!(Category::from_proto(value.to_proto()), Some(*value));
        }
        for value in Classification::value_variants() {
            assert_eq!(Classification::from_proto(value.to_proto()), Some(*value));
        }
        for value in Lifecycle::value_variants() {
            assert_eq!(Lifecycle::from_proto(value.to_proto()), Some(*value));
        }
    }

    #[test]
    fn unknown_values_from_a_newer_daemon_are_named_unknown() {
        assert_eq!(category_name(99), "unknown");
        assert_eq!(category_name(0), "unknown");
        assert_eq!(classification_name(-1), "unknown");
        assert_eq!(lifecycle_name(42), "unknown");
        assert_eq!(role_name(7), "unknown");
    }
}
