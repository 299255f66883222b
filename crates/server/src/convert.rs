//! Mapping between the API's messages and enums (`coffre_proto::v1`) and the engine's types (`coffre_vault`).
//!
//! Enums arrive as plain `i32` on the wire. A value that is required and UNSPECIFIED, or a number the API does
//! not define, is INVALID_ARGUMENT with a message naming the field; where a value is optional, UNSPECIFIED means
//! "not given". Everything else (names, lengths, roles, who may do what) is the engine's to judge.

use std::{collections::HashMap, time::SystemTime};

use coffre_crypto::{kdf::KdfParams, secret::Passphrase};
use coffre_proto::v1 as pb;
use coffre_vault::{self as vault, clock::unix_seconds};
use tonic::Status;

use crate::refusals::Refusal;

/// Decodes a wire enum, refusing numbers the API does not define: "unknown category 42".
fn known<E: TryFrom<i32>>(what: &str, value: i32) -> Result<E, Status> {
    E::try_from(value).map_err(|_| Refusal::UnknownValue { what: what.to_owned(), value: value.to_string() }.into())
}

fn required(what: &str) -> Status {
    Refusal::Required { what: what.to_owned() }.into()
}

/// A category where one is required.
pub(crate) fn category(value: i32) -> Result<vault::Category, Status> {
    optional_category(value)?.ok_or_else(|| required("category"))
}

/// A category where UNSPECIFIED means "unchanged".
pub(crate) fn optional_category(value: i32) -> Result<Option<vault::Category>, Status> {
    Ok(Some(match known("category", value)? {
        pb::Category::Unspecified => return Ok(None),
        pb::Category::SocialNetwork => vault::Category::SocialNetwork,
        pb::Category::DataBank => vault::Category::DataBank,
        pb::Category::Creation => vault::Category::Creation,
        pb::Category::Meeting => vault::Category::Meeting,
        pb::Category::Software => vault::Category::Software,
        pb::Category::Financial => vault::Category::Financial,
        pb::Category::Other => vault::Category::Other,
    }))
}

/// A classification where UNSPECIFIED means "not given" (the engine's default, or unchanged).
pub(crate) fn optional_classification(value: i32) -> Result<Option<vault::Classification>, Status> {
    Ok(Some(match known("classification", value)? {
        pb::Classification::Unspecified => return Ok(None),
        pb::Classification::Public => vault::Classification::Public,
        pb::Classification::Restricted => vault::Classification::Restricted,
        pb::Classification::Confidential => vault::Classification::Confidential,
        pb::Classification::VeryConfidential => vault::Classification::VeryConfidential,
    }))
}

/// A lifecycle where UNSPECIFIED means "not given" (the engine's default, or unchanged).
pub(crate) fn optional_lifecycle(value: i32) -> Result<Option<vault::Lifecycle>, Status> {
    Ok(Some(match known("lifecycle", value)? {
        pb::Lifecycle::Unspecified => return Ok(None),
        pb::Lifecycle::Planned => vault::Lifecycle::Planned,
        pb::Lifecycle::Active => vault::Lifecycle::Active,
        pb::Lifecycle::Archived => vault::Lifecycle::Archived,
    }))
}

/// The secret field to reveal; UNSPECIFIED is the password (as the API documents).
pub(crate) fn secret_field(value: i32) -> Result<vault::SecretField, Status> {
    Ok(match known("secret field", value)? {
        pb::SecretField::Unspecified | pb::SecretField::Password => vault::SecretField::Password,
        pb::SecretField::Notes => vault::SecretField::Notes,
        pb::SecretField::TotpSeed => vault::SecretField::TotpSeed,
        pb::SecretField::TotpCode => vault::SecretField::TotpCode,
    })
}

/// A role, for a response.
pub(crate) fn role(role: vault::Role) -> i32 {
    (match role {
        vault::Role::President => pb::Role::President,
        vault::Role::Leader => pb::Role::Leader,
        vault::Role::AccessManager => pb::Role::AccessManager,
        vault::Role::Member => pb::Role::Member,
        vault::Role::Auditor => pb::Role::Auditor,
    }) as i32
}

/// A role from a request; UNSPECIFIED is refused.
pub(crate) fn role_in(value: i32) -> Result<vault::Role, Status> {
    Ok(match known("role", value)? {
        pb::Role::Unspecified => return Err(required("role")),
        pb::Role::President => vault::Role::President,
        pb::Role::Leader => vault::Role::Leader,
        pb::Role::AccessManager => vault::Role::AccessManager,
        pb::Role::Member => vault::Role::Member,
        pb::Role::Auditor => vault::Role::Auditor,
    })
}

/// A person, for a response.
pub(crate) fn person(view: vault::PersonView) -> pb::Person {
    pb::Person {
        name: view.name,
        role: role(view.role),
        state: (match view.state {
            vault::PersonState::Pending => pb::PersonState::Pending,
            vault::PersonState::Active => pb::PersonState::Active,
            vault::PersonState::Offboarded => pb::PersonState::Offboarded,
        }) as i32,
        added_by: view.added_by,
        created: timestamp(view.created),
    }
}

/// A grant, for a response.
pub(crate) fn grant(view: vault::GrantView) -> pb::Grant {
    pb::Grant {
        id: view.id,
        person: view.person,
        scope: Some(match view.scope {
            vault::Scope::Entry(platform) => pb::grant::Scope::Entry(platform),
            vault::Scope::Category(category) => pb::grant::Scope::Category(category_out(category)),
        }),
        task: view.task,
        granted_by: view.granted_by,
        created: timestamp(view.created),
        expires: timestamp(view.expires),
        state: (match view.state {
            vault::GrantState::Live => pb::GrantState::Live,
            vault::GrantState::Expired => pb::GrantState::Expired,
            vault::GrantState::Revoked => pb::GrantState::Revoked,
        }) as i32,
    }
}

/// A new grant from a request: scope and expiry are required.
pub(crate) fn new_grant(request: pb::AddGrantRequest) -> Result<vault::NewGrant, Status> {
    let scope = match request.scope.ok_or_else(|| required("scope (an entry or a category)"))? {
        pb::add_grant_request::Scope::Entry(platform) => vault::Scope::Entry(platform),
        pb::add_grant_request::Scope::Category(value) => vault::Scope::Category(category(value)?),
    };
    let until = match request.until.ok_or_else(|| required("expiry (a time or a duration)"))? {
        pb::add_grant_request::Until::Expires(at) => vault::GrantUntil::At(
            SystemTime::UNIX_EPOCH
                + std::time::Duration::from_secs(
                    u64::try_from(at.unix_seconds).map_err(|_| Status::from(Refusal::ExpiryBefore1970))?,
                ),
        ),
        pb::add_grant_request::Until::DurationSeconds(seconds) => {
            vault::GrantUntil::For(std::time::Duration::from_secs(seconds))
        }
    };
    Ok(vault::NewGrant { person: request.person, scope, until, task: request.task })
}

/// A seal state, for a response.
pub(crate) fn seal_state(state: vault::SealState) -> i32 {
    (match state {
        vault::SealState::Uninitialised => pb::SealState::Uninitialised,
        vault::SealState::Sealed => pb::SealState::Sealed,
        vault::SealState::Unsealed => pb::SealState::Unsealed,
    }) as i32
}

pub(crate) fn category_out(category: vault::Category) -> i32 {
    (match category {
        vault::Category::SocialNetwork => pb::Category::SocialNetwork,
        vault::Category::DataBank => pb::Category::DataBank,
        vault::Category::Creation => pb::Category::Creation,
        vault::Category::Meeting => pb::Category::Meeting,
        vault::Category::Software => pb::Category::Software,
        vault::Category::Financial => pb::Category::Financial,
        vault::Category::Other => pb::Category::Other,
    }) as i32
}

pub(crate) fn classification_out(classification: vault::Classification) -> i32 {
    (match classification {
        vault::Classification::Public => pb::Classification::Public,
        vault::Classification::Restricted => pb::Classification::Restricted,
        vault::Classification::Confidential => pb::Classification::Confidential,
        vault::Classification::VeryConfidential => pb::Classification::VeryConfidential,
    }) as i32
}

pub(crate) fn lifecycle_out(lifecycle: vault::Lifecycle) -> i32 {
    (match lifecycle {
        vault::Lifecycle::Planned => pb::Lifecycle::Planned,
        vault::Lifecycle::Active => pb::Lifecycle::Active,
        vault::Lifecycle::Archived => pb::Lifecycle::Archived,
    }) as i32
}

/// A point in time, for a response.
pub(crate) fn timestamp(t: SystemTime) -> Option<pb::Timestamp> {
    Some(pb::Timestamp { unix_seconds: unix_seconds(t) })
}

/// An entry's metadata, for a response.
pub(crate) fn entry(view: vault::EntryView) -> pb::Entry {
    pb::Entry {
        platform: view.platform,
        category: category_out(view.category),
        url: view.url,
        login: view.login,
        recovery_contacts: view.recovery_contacts,
        classification: classification_out(view.classification),
        lifecycle: lifecycle_out(view.lifecycle),
        tags: view.tags,
        version: view.version,
        has_totp: view.has_totp,
        has_notes: view.has_notes,
        created: timestamp(view.created),
        updated: timestamp(view.updated),
        rotation_due: view.rotation_due.map(|due| pb::RotationDue {
            reason: due.detail.to_string(),
            since: timestamp(due.since),
            detail_code: due.detail.code().to_owned(),
            detail_arguments: arguments(due.detail.arguments()),
        }),
    }
}

/// A new entry's metadata from a request. The output-only fields (version, flags, times) are ignored.
pub(crate) fn new_entry(entry: pb::Entry) -> Result<vault::NewEntry, Status> {
    Ok(vault::NewEntry {
        category: category(entry.category)?,
        classification: optional_classification(entry.classification)?,
        lifecycle: optional_lifecycle(entry.lifecycle)?,
        platform: entry.platform,
        url: entry.url,
        login: entry.login,
        recovery_contacts: entry.recovery_contacts,
        tags: entry.tags,
    })
}

/// One version of an entry's secret fields, for a response.
pub(crate) fn version(info: vault::VersionInfo) -> pb::Version {
    pb::Version {
        version: info.version,
        created: timestamp(info.created),
        created_by: info.created_by,
        changed: info.changed.into_iter().map(|field| field.name().to_owned()).collect(),
    }
}

/// A staged rotation, for a response.
pub(crate) fn staged(view: vault::StagedRotation) -> pb::StagedRotation {
    pb::StagedRotation {
        platform: view.platform,
        rotation_id: view.id,
        pending_version: view.pending_version,
        base_version: view.base_version,
        staged_by: view.staged_by,
        staged: timestamp(view.staged),
        generated: view.generated,
        entropy_bits: view.entropy_bits.unwrap_or(0.0),
    }
}

/// An entry due for rotation, for a response.
pub(crate) fn due_entry(due: vault::DueEntry) -> pb::DueEntry {
    pb::DueEntry {
        platform: due.platform,
        category: category_out(due.category),
        reasons: due
            .reasons
            .into_iter()
            .map(|reason| pb::DueReason {
                kind: (match reason.kind {
                    vault::DueKind::Age => pb::DueKind::Age,
                    vault::DueKind::Offboarded => pb::DueKind::Offboarded,
                    vault::DueKind::Compromised => pb::DueKind::Compromised,
                }) as i32,
                detail: reason.detail.to_string(),
                since: timestamp(reason.since),
                detail_code: reason.detail.code().to_owned(),
                detail_arguments: arguments(reason.detail.arguments()),
            })
            .collect(),
    }
}

/// A message's arguments as the wire's map.
pub(crate) fn arguments(arguments: Vec<(&'static str, String)>) -> HashMap<String, String> {
    arguments.into_iter().map(|(name, value)| (name.to_owned(), value)).collect()
}

/// A request for approval, for a response.
pub(crate) fn approval(view: vault::ApprovalView) -> pb::Approval {
    pb::Approval {
        id: view.id,
        requester: view.requester,
        platform: view.platform,
        reason: view.reason,
        created: timestamp(view.created),
        state: (match view.state {
            vault::ApprovalState::Pending => pb::ApprovalState::Pending,
            vault::ApprovalState::Approved => pb::ApprovalState::Approved,
            vault::ApprovalState::Denied => pb::ApprovalState::Denied,
            vault::ApprovalState::Used => pb::ApprovalState::Used,
            vault::ApprovalState::Expired => pb::ApprovalState::Expired,
        }) as i32,
        decided_by: view.decided_by.unwrap_or_default(),
        decided: view.decided.and_then(timestamp),
        decision_reason: view.decision_reason,
        expires: timestamp(view.expires),
    }
}

/// The generator policy of a stage request. Zero values take the defaults; bounds are the crypto crate's to
/// check (the engine turns its refusal into INVALID_ARGUMENT).
pub(crate) fn generator_policy(policy: pb::GeneratorPolicy) -> coffre_crypto::generator::Policy {
    use coffre_crypto::generator::{self as generator, Classes, Policy};
    let or =
        |given: u32, default: usize| if given == 0 { default } else { usize::try_from(given).unwrap_or(usize::MAX) };
    match policy.kind {
        None => Policy::default(),
        Some(pb::generator_policy::Kind::Characters(c)) => {
            let classes = Classes { lower: c.lower, upper: c.upper, digits: c.digits, symbols: c.symbols };
            let none = Classes { lower: false, upper: false, digits: false, symbols: false };
            Policy::Characters {
                length: or(c.length, generator::DEFAULT_LENGTH),
                classes: if classes == none { Classes::ALL } else { classes },
            }
        }
        Some(pb::generator_policy::Kind::Words(w)) => Policy::Words {
            count: or(w.words, generator::DEFAULT_WORDS),
            separator: if w.separator.is_empty() { generator::DEFAULT_SEPARATOR.to_owned() } else { w.separator },
        },
    }
}

/// A passphrase from a request, moved (not copied) into its zeroizing type. A length outside 12..=1024 bytes is
/// INVALID_ARGUMENT with the crypto crate's message.
pub(crate) fn passphrase(bytes: Vec<u8>) -> Result<Passphrase, Status> {
    Passphrase::new(bytes).map_err(|err| Refusal::passphrase(err).into())
}

/// Argon2id parameters from a request. Absent or all zero: the daemon's default (`None`); a zero field takes that
/// field from `default`. Bounds are the engine's to check.
pub(crate) fn kdf(params: Option<pb::KdfParams>, default: KdfParams) -> Option<KdfParams> {
    let params = params?;
    if params == pb::KdfParams::default() {
        return None;
    }
    let or = |given: u32, fallback: u32| if given == 0 { fallback } else { given };
    Some(KdfParams {
        memory_kib: or(params.memory_kib, default.memory_kib),
        iterations: or(params.iterations, default.iterations),
        parallelism: or(params.parallelism, default.parallelism),
    })
}

#[cfg(test)]
mod tests {
    use tonic::Code;

    use super::*;

    #[test]
    fn a_rotation_reason_carries_its_detail_as_a_code_the_catalogue_renders_in_both_languages() {
        use coffre_i18n::{Lang, message};
        let since = std::time::SystemTime::UNIX_EPOCH;
        for (kind, detail) in [
            (vault::DueKind::Age, vault::DueDetail::Age { days: 120, max_days: 90 }),
            (
                vault::DueKind::Offboarded,
                vault::DueDetail::OffboardedAsWritten {
                    text: "revealed by Dave, who was offboarded; saw version 2".into(),
                },
            ),
            (vault::DueKind::Offboarded, vault::DueDetail::Left),
            (
                vault::DueKind::Compromised,
                vault::DueDetail::Compromised { by: "alice".into(), reason: "typed on a shared computer".into() },
            ),
        ]
        .into_iter()
        .chain(
            [
                vault::Seen::Unknown,
                vault::Seen::CodesOnly,
                vault::Seen::Staged { version: 4 },
                vault::Seen::Current { version: 3 },
                vault::Seen::Replaced { version: 2, current: 3 },
            ]
            .map(|seen| (vault::DueKind::Offboarded, vault::DueDetail::Offboarded { person: "Dave".into(), seen })),
        ) {
            let english = detail.to_string();
            let due = vault::DueEntry {
                platform: "Facebook".into(),
                category: vault::Category::SocialNetwork,
                reasons: vec![vault::DueReason { kind, detail, since }],
            };
            let sent = due_entry(due).reasons.into_iter().next().expect("one reason");
            assert_eq!(sent.detail, english, "older clients keep the English text");
            let arguments: Vec<(&str, String)> =
                sent.detail_arguments.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            let id = format!("rotation-detail-{}", sent.detail_code);
            assert_eq!(message(Lang::En, &id, &arguments).as_deref(), Some(english.as_str()), "{id}");
            let french = message(Lang::FrCa, &id, &arguments).unwrap_or_default();
            for (_, value) in &arguments {
                assert!(french.contains(value.as_str()), "{id}: {french} shows {value}");
            }
            if !matches!(sent.detail_code.as_str(), "offboarded") {
                assert_ne!(french, english, "{id} reads in French");
            }
        }
    }

    #[test]
    fn what_an_offboarded_person_saw_is_a_code_the_catalogue_renders_in_both_languages() {
        use coffre_i18n::{Lang, message};
        for seen in [
            vault::Seen::Unknown,
            vault::Seen::CodesOnly,
            vault::Seen::Staged { version: 4 },
            vault::Seen::Current { version: 3 },
            vault::Seen::Replaced { version: 2, current: 3 },
        ] {
            let mut arguments = seen.arguments();
            arguments.push(("platform", "Facebook".into()));
            let id = format!("person-offboarded-saw-{}", seen.code());
            let english = message(Lang::En, &id, &arguments).unwrap_or_default();
            let french = message(Lang::FrCa, &id, &arguments).unwrap_or_default();
            assert!(english.starts_with("Facebook: "), "{id}: {english}");
            if seen != vault::Seen::Unknown {
                assert_eq!(english, format!("Facebook: saw {seen}"), "the engine's English, for older clients");
            }
            assert!(french.starts_with("Facebook\u{a0}: ") && french != english, "{id}: {french}");
            for (_, value) in &arguments {
                assert!(french.contains(value.as_str()), "{id}: {french} shows {value}");
            }
        }
    }

    #[test]
    fn every_category_maps_both_ways() {
        for (wire, engine) in [
            (pb::Category::SocialNetwork, vault::Category::SocialNetwork),
            (pb::Category::DataBank, vault::Category::DataBank),
            (pb::Category::Creation, vault::Category::Creation),
            (pb::Category::Meeting, vault::Category::Meeting),
            (pb::Category::Software, vault::Category::Software),
            (pb::Category::Financial, vault::Category::Financial),
            (pb::Category::Other, vault::Category::Other),
        ] {
            assert_eq!(category(wire as i32).expect("known"), engine);
            assert_eq!(category_out(engine), wire as i32);
        }
    }

    #[test]
    fn classifications_and_lifecycles_map_both_ways() {
        for (wire, engine) in [
            (pb::Classification::Public, vault::Classification::Public),
            (pb::Classification::Restricted, vault::Classification::Restricted),
            (pb::Classification::Confidential, vault::Classification::Confidential),
            (pb::Classification::VeryConfidential, vault::Classification::VeryConfidential),
        ] {
            assert_eq!(optional_classification(wire as i32).expect("known"), Some(engine));
            assert_eq!(classification_out(engine), wire as i32);
        }
        for (wire, engine) in [
            (pb::Lifecycle::Planned, vault::Lifecycle::Planned),
            (pb::Lifecycle::Active, vault::Lifecycle::Active),
            (pb::Lifecycle::Archived, vault::Lifecycle::Archived),
        ] {
            assert_eq!(optional_lifecycle(wire as i32).expect("known"), Some(engine));
            assert_eq!(lifecycle_out(engine), wire as i32);
        }
    }

    #[test]
    fn unspecified_is_required_or_absent_depending_on_the_field() {
        let status = category(0).expect_err("required");
        assert_eq!((status.code(), status.message()), (Code::InvalidArgument, "category is required"));
        assert_eq!(optional_category(0).expect("optional"), None);
        assert_eq!(optional_classification(0).expect("optional"), None);
        assert_eq!(optional_lifecycle(0).expect("optional"), None);
        assert_eq!(secret_field(0).expect("defaults"), vault::SecretField::Password);
    }

    #[test]
    fn unknown_enum_numbers_are_invalid_arguments_naming_the_field() {
        let cases: [(Result<(), Status>, &str); 6] = [
            (category(42).map(drop), "unknown category 42"),
            (optional_category(-1).map(drop), "unknown category -1"),
            (optional_classification(5).map(drop), "unknown classification 5"),
            (optional_lifecycle(99).map(drop), "unknown lifecycle 99"),
            (secret_field(5).map(drop), "unknown secret field 5"),
            (new_entry(pb::Entry { category: 1, lifecycle: 7, ..Default::default() }).map(drop), "unknown lifecycle 7"),
        ];
        for (result, message) in cases {
            let status = result.expect_err(message);
            assert_eq!((status.code(), status.message()), (Code::InvalidArgument, message));
        }
    }

    #[test]
    fn roles_and_seal_states_map_to_their_wire_values() {
        assert_eq!(role(vault::Role::President), pb::Role::President as i32);
        assert_eq!(role(vault::Role::Leader), pb::Role::Leader as i32);
        assert_eq!(role(vault::Role::AccessManager), pb::Role::AccessManager as i32);
        assert_eq!(role(vault::Role::Member), pb::Role::Member as i32);
        assert_eq!(role(vault::Role::Auditor), pb::Role::Auditor as i32);
        assert_eq!(seal_state(vault::SealState::Uninitialised), pb::SealState::Uninitialised as i32);
        assert_eq!(seal_state(vault::SealState::Sealed), pb::SealState::Sealed as i32);
        assert_eq!(seal_state(vault::SealState::Unsealed), pb::SealState::Unsealed as i32);
    }

    #[test]
    fn an_entry_round_trips_through_the_wire_types() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let view = vault::EntryView {
            platform: "Mailgun".into(),
            category: vault::Category::Software,
            url: "https://app.mailgun.com".into(),
            login: "ops@example.org".into(),
            recovery_contacts: vec!["+33 1 23 45 67 89".into()],
            classification: vault::Classification::Confidential,
            lifecycle: vault::Lifecycle::Active,
            tags: vec!["mail".into()],
            version: 3,
            has_totp: true,
            has_notes: false,
            created: t,
            updated: t,
            rotation_due: None,
        };
        let wire = entry(view.clone());
        assert_eq!(wire.created, Some(pb::Timestamp { unix_seconds: 1_700_000_000 }));
        assert_eq!(wire.version, 3);
        let back = new_entry(wire).expect("valid");
        assert_eq!(back.platform, view.platform);
        assert_eq!(back.category, view.category);
        assert_eq!(back.classification, Some(view.classification));
        assert_eq!(back.lifecycle, Some(view.lifecycle));
        assert_eq!(back.recovery_contacts, view.recovery_contacts);
        assert_eq!(back.tags, view.tags);
    }

    #[test]
    fn zero_kdf_fields_take_the_daemon_default() {
        let default = KdfParams { memory_kib: 65_536, iterations: 3, parallelism: 1 };
        assert_eq!(kdf(None, default), None);
        assert_eq!(kdf(Some(pb::KdfParams::default()), default), None);
        let partial = pb::KdfParams { memory_kib: 8192, iterations: 0, parallelism: 0 };
        assert_eq!(kdf(Some(partial), default), Some(KdfParams { memory_kib: 8192, iterations: 3, parallelism: 1 }));
        // Out-of-bounds values pass through: refusing them is the engine's job.
        let huge = pb::KdfParams { memory_kib: u32::MAX, iterations: 1, parallelism: 1 };
        assert_eq!(kdf(Some(huge), default).map(|k| k.memory_kib), Some(u32::MAX));
    }
}
