//! The access policy as one table, walked cell by cell: every operation of the API (each engine method is one RPC)
//! x every role x unsealed/sealed x the caller's grant state, each asserting the exact status code the daemon
//! answers (the engine's `ErrorKind` maps one to one onto a gRPC code in the server's `status.rs`).
//!
//! Every cell runs in a world of its own kind: a fresh vault with one person of each role, the entries "Target"
//! (social network, restricted), "Other" (software, restricted) and "Spare" (public, never granted), and the grant
//! state applied to the access manager (a grant made by the president) and to the member (a grant made by the
//! access manager). The operations run with the session of the role under test; then that role tries to seal, the
//! vault is sealed, and every operation is tried again.

mod support;

use std::time::Duration;

use coffre_crypto::secret::SecretBytes;
use coffre_vault::{
    AuditFilter, Category, Classification, EntryUpdate, ErrorKind, GrantUntil, NewEntry, NewGrant, RequestContext,
    RevealParams, Role, Scope, SecretField, Secrets, Vault,
};
use support::*;

/// A gRPC status code, as the daemon answers it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Code {
    Ok,
    PermissionDenied,
    NotFound,
    FailedPrecondition,
}
use Code::*;

/// What a cell expects.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Exactly this code.
    Is(Code),
    /// OK when a live grant the caller holds covers "Target", else PERMISSION_DENIED.
    IfCovered,
    /// OK while "Target" is public or restricted, else PERMISSION_DENIED (an access manager's ceiling).
    IfUpToRestricted,
}
use Expect::*;

const OK: Expect = Is(Ok);
const DENIED: Expect = Is(PermissionDenied);

/// The caller's grants concerning "Target".
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum GrantState {
    /// No grant at all.
    None,
    /// A live grant on "Target".
    Live,
    /// A grant on "Target" whose expiry has passed.
    Expired,
    /// A grant on "Target", revoked.
    Revoked,
    /// A live grant on "Other" only.
    ForAnotherEntry,
    /// A live grant on the software category only ("Target" is a social network).
    ForAnotherCategory,
    /// A live grant on "Target", which was then classified confidential: above an access manager's ceiling. The
    /// access manager's own grant (from the president) still covers it; the member's (from the access manager)
    /// does not.
    AboveAccessManagersClassification,
}

const GRANT_STATES: [GrantState; 7] = [
    GrantState::None,
    GrantState::Live,
    GrantState::Expired,
    GrantState::Revoked,
    GrantState::ForAnotherEntry,
    GrantState::ForAnotherCategory,
    GrantState::AboveAccessManagersClassification,
];

/// The operations, one per RPC.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rpc {
    WhoAmI,
    ChangePassphrase,
    ListEntries,
    GetEntry,
    GetMissingEntry,
    CreateEntry,
    UpdateEntry,
    ArchiveEntry,
    ListVersions,
    Reveal,
    RevealOldVersion,
    AddMember,
    AddAuditor,
    ListPeople,
    ResetEnrolment,
    OffboardPerson,
    AddGrant,
    ListGrants,
    RevokeGrant,
    ListAuditEvents,
    ExportAuditLog,
    Rekey,
    CreateBackup,
    Logout,
    Seal,
}

/// THE POLICY. Columns: president, leader, access manager, member, auditor. While sealed, every one of these
/// answers FAILED_PRECONDITION ("vault is sealed") whoever asks; see `sealed_cells`.
#[rustfmt::skip]
const TABLE: &[(Rpc, [Expect; 5])] = &[
    //                        president  leader  access manager    member      auditor
    (Rpc::WhoAmI,             [OK,       OK,     OK,               OK,         OK]),
    (Rpc::ChangePassphrase,   [OK,       OK,     OK,               OK,         OK]),
    (Rpc::ListEntries,        [OK,       OK,     OK,               OK,         DENIED]),
    (Rpc::GetEntry,           [OK,       OK,     IfCovered,        IfCovered,  DENIED]),
    // A name that exists nowhere: owners learn it is missing; others get the same answer as for a hidden entry.
    (Rpc::GetMissingEntry,    [Is(NotFound), Is(NotFound), DENIED, DENIED,     DENIED]),
    (Rpc::CreateEntry,        [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::UpdateEntry,        [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::ArchiveEntry,       [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::ListVersions,       [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::Reveal,             [OK,       OK,     IfCovered,        IfCovered,  DENIED]),
    (Rpc::RevealOldVersion,   [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::AddMember,          [OK,       OK,     OK,               DENIED,     DENIED]),
    (Rpc::AddAuditor,         [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::ListPeople,         [OK,       OK,     OK,               DENIED,     DENIED]),
    (Rpc::ResetEnrolment,     [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::OffboardPerson,     [OK,       OK,     DENIED,           DENIED,     DENIED]),
    // Granting the member access to "Target".
    (Rpc::AddGrant,           [OK,       OK,     IfUpToRestricted, DENIED,     DENIED]),
    (Rpc::ListGrants,         [OK,       OK,     OK,               OK,         DENIED]),
    // Revoking a grant the access manager made.
    (Rpc::RevokeGrant,        [OK,       OK,     OK,               DENIED,     DENIED]),
    // The audit log: owners and auditors only; members and access managers see nothing of it.
    (Rpc::ListAuditEvents,    [OK,       OK,     DENIED,           DENIED,     OK]),
    (Rpc::ExportAuditLog,     [OK,       OK,     DENIED,           DENIED,     OK]),
    // Recovery and backups: a new share set and a backup are the owners'. (Submitting a share needs no session
    // and works while sealed: it is not in this table; see tests/recovery.rs.)
    (Rpc::Rekey,              [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::CreateBackup,       [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::Logout,             [OK,       OK,     OK,               OK,         OK]),
    (Rpc::Seal,               [OK,       OK,     DENIED,           DENIED,     DENIED]),
];

const ROLES: [Role; 5] = [Role::President, Role::Leader, Role::AccessManager, Role::Member, Role::Auditor];

/// Whether the caller of `role` holds a live grant covering "Target" in `state`.
fn covered(role: Role, state: GrantState) -> bool {
    match state {
        GrantState::Live => true,
        // The access manager's grant is the president's (ceiling: very confidential); the member's is the access
        // manager's (ceiling: restricted).
        GrantState::AboveAccessManagersClassification => role == Role::AccessManager,
        _ => false,
    }
}

fn expected(expect: Expect, role: Role, state: GrantState) -> Code {
    match expect {
        Is(code) => code,
        IfCovered if covered(role, state) => Ok,
        IfUpToRestricted if state != GrantState::AboveAccessManagersClassification => Ok,
        IfCovered | IfUpToRestricted => PermissionDenied,
    }
}

fn code(result: Result<(), coffre_vault::Error>) -> Code {
    match result.map_err(|e| e.kind()) {
        Result::Ok(()) => Ok,
        Err(ErrorKind::PermissionDenied) => PermissionDenied,
        Err(ErrorKind::NotFound) => NotFound,
        Err(ErrorKind::FailedPrecondition) => FailedPrecondition,
        Err(other) => panic!("a code the table does not expect: {other:?}"),
    }
}

const PASS: [&[u8]; 5] = [
    PRESIDENT_PASS,
    LEADER_PASS,
    b"access manager's passphrase",
    b"the member's own passphrase",
    b"the auditor's own passphrase",
];
const NAMES: [&str; 5] = ["Alice", "Bob", "Carol", "Dave", "Eve"];

/// A vault with one person of each role, three entries, and the grant state applied.
struct World {
    fx: Fixture,
    vault: Vault,
    state: GrantState,
    sessions: Vec<RequestContext>,
    counter: std::cell::Cell<u32>,
    /// A pending member and a grant made by the access manager, made while unsealed, to act on while sealed.
    spare_person: String,
    spare_grant: String,
    /// Two recovery holders with age keys: the share set the vault is given at the start (so that backups have
    /// recipients) and the one `Rekey` issues.
    holders: [Holder; 2],
}

impl World {
    async fn new(state: GrantState) -> Self {
        let fx = Fixture::new();
        let vault = fx.open();
        let leader_code = fx.init(&vault, Some("Bob")).await.expect("leader code");
        fx.enroll(&vault, &leader_code, LEADER_PASS).await;
        let alice = fx.login(&vault, "Alice", PRESIDENT_PASS).await;
        for (i, role) in [(2, Role::AccessManager), (3, Role::Member), (4, Role::Auditor)] {
            let enrolment = vault.add_person(&alice, NAMES[i], role).await.expect("add");
            fx.enroll(&vault, enrolment.code.expose_secret(), PASS[i]).await;
        }
        for (platform, category, classification) in [
            ("Target", Category::SocialNetwork, Classification::Restricted),
            ("Other", Category::Software, Classification::Restricted),
            ("Spare", Category::Other, Classification::Public),
        ] {
            vault.create_entry(&alice, entry(platform, category, classification), secrets()).await.expect("entry");
        }
        let holders = [Holder::new("president"), Holder::new("leader")];
        vault.rekey(&alice, two_of(&[&holders[0], &holders[1]], 2)).await.expect("a share set, for backups");
        let carol = fx.login(&vault, "Carol", PASS[2]).await;
        vault.add_person(&alice, "Frank", Role::Member).await.expect("a spare person");
        let spare = NewGrant {
            person: "Dave".into(),
            // The financial category holds no entry: this grant covers nothing here.
            scope: Scope::Category(Category::Financial),
            until: GrantUntil::For(Duration::from_secs(60 * 24 * 3600)),
            task: "spare".into(),
        };
        let spare_grant = vault.add_grant(&carol, spare).await.expect("a spare grant").id;
        let mut world = World {
            fx,
            vault,
            state,
            sessions: Vec::new(),
            counter: std::cell::Cell::new(0),
            spare_person: "Frank".into(),
            spare_grant,
            holders,
        };
        world.apply(state, &alice, &carol).await;
        for i in 0..5 {
            let session = world.fx.login(&world.vault, NAMES[i], PASS[i]).await;
            world.sessions.push(session);
        }
        world
    }

    /// Gives Carol (from Alice) and Dave (from Carol) the grants of `state`.
    async fn apply(&self, state: GrantState, alice: &RequestContext, carol: &RequestContext) {
        let scope = match state {
            GrantState::None => return,
            GrantState::ForAnotherEntry => Scope::Entry("Other".into()),
            GrantState::ForAnotherCategory => Scope::Category(Category::Software),
            _ => Scope::Entry("Target".into()),
        };
        let days = if state == GrantState::Expired { 1 } else { 30 };
        let mut ids = Vec::new();
        for (giver, holder) in [(alice, "Carol"), (carol, "Dave")] {
            let grant = NewGrant {
                person: holder.into(),
                scope: scope.clone(),
                until: GrantUntil::For(Duration::from_secs(days * 24 * 3600)),
                task: "weekly posts".into(),
            };
            ids.push(self.vault.add_grant(giver, grant).await.expect("grant").id);
        }
        match state {
            GrantState::Expired => self.fx.clock.advance(Duration::from_secs(2 * 24 * 3600)),
            GrantState::Revoked => {
                for id in ids {
                    self.vault.revoke_grant(alice, &id).await.expect("revoke");
                }
            }
            GrantState::AboveAccessManagersClassification => {
                let update = EntryUpdate {
                    platform: "Target".into(),
                    classification: Some(Classification::Confidential),
                    ..Default::default()
                };
                self.vault.update_entry(alice, update).await.expect("reclassify");
            }
            _ => {}
        }
    }

    fn unique(&self, prefix: &str) -> String {
        self.counter.set(self.counter.get() + 1);
        format!("{prefix}{}", self.counter.get())
    }

    /// Runs one operation as `who` (index into the roles). While unsealed, what it acts on is prepared fresh with
    /// the president's or the access manager's rights; while sealed, the spares made beforehand stand in.
    async fn call(&self, rpc: Rpc, who: usize, ctx: &RequestContext, sealed: bool) -> Result<(), coffre_vault::Error> {
        let v = &self.vault;
        let reveal = |version| RevealParams {
            platform: "Target".into(),
            field: SecretField::Password,
            reason: "the table".into(),
            version,
        };
        match rpc {
            Rpc::WhoAmI => v.whoami(ctx).map(drop),
            Rpc::ChangePassphrase => v.change_passphrase(ctx, passphrase(PASS[who]), passphrase(PASS[who])).await,
            Rpc::ListEntries => {
                let listed = v.list_entries(ctx, false)?;
                let sees_target = listed.iter().any(|e| e.platform == "Target");
                let sees_spare = listed.iter().any(|e| e.platform == "Spare");
                let owner = who < 2;
                assert_eq!(sees_spare, owner, "only owners see an entry nobody was granted");
                assert_eq!(sees_target, owner || covered(ROLES[who], self.state), "{:?} {:?}", ROLES[who], self.state);
                Result::Ok(())
            }
            Rpc::GetEntry => v.get_entry(ctx, "Target").map(drop),
            Rpc::GetMissingEntry => v.get_entry(ctx, "Myspace").map(drop),
            Rpc::CreateEntry => {
                let name = self.unique("New");
                v.create_entry(ctx, entry(&name, Category::Other, Classification::Public), secrets()).await.map(drop)
            }
            Rpc::UpdateEntry => {
                let update =
                    EntryUpdate { platform: "Target".into(), tags: Some(vec![self.unique("t")]), ..Default::default() };
                v.update_entry(ctx, update).await.map(drop)
            }
            Rpc::ArchiveEntry => v.archive_entry(ctx, "Spare").await.map(drop),
            Rpc::ListVersions => v.list_versions(ctx, "Target").map(drop),
            Rpc::Reveal => v.reveal(ctx, reveal(None)).await.map(drop),
            Rpc::RevealOldVersion => v.reveal(ctx, reveal(Some(1))).await.map(drop),
            Rpc::AddMember => v.add_person(ctx, &self.unique("Member"), Role::Member).await.map(drop),
            Rpc::AddAuditor => v.add_person(ctx, &self.unique("Auditor"), Role::Auditor).await.map(drop),
            Rpc::ListPeople => v.list_people(ctx).map(drop),
            Rpc::ResetEnrolment | Rpc::OffboardPerson => {
                let name = if sealed { self.spare_person.clone() } else { self.unique("Leaver") };
                if !sealed {
                    v.add_person(&self.sessions[0], &name, Role::Member).await.expect("a person to act on");
                }
                if rpc == Rpc::ResetEnrolment {
                    v.reset_enrolment(ctx, &name).await.map(drop)
                } else {
                    v.offboard_person(ctx, &name).await.map(drop)
                }
            }
            Rpc::AddGrant => {
                let grant = NewGrant {
                    person: "Dave".into(),
                    scope: Scope::Entry("Target".into()),
                    until: GrantUntil::For(Duration::from_secs(3600)),
                    task: "the table".into(),
                };
                v.add_grant(ctx, grant).await.map(drop)
            }
            Rpc::ListGrants => v.list_grants(ctx).map(drop),
            Rpc::RevokeGrant if sealed => v.revoke_grant(ctx, &self.spare_grant).await.map(drop),
            Rpc::RevokeGrant => {
                let grant = NewGrant {
                    person: "Dave".into(),
                    scope: Scope::Entry("Other".into()),
                    until: GrantUntil::For(Duration::from_secs(3600)),
                    task: "to be revoked".into(),
                };
                let id = v.add_grant(&self.sessions[2], grant).await.expect("the access manager grants").id;
                v.revoke_grant(ctx, &id).await.map(drop)
            }
            Rpc::ListAuditEvents => v.list_audit(ctx, AuditFilter::default()).await.map(drop),
            Rpc::ExportAuditLog => v.export_audit(ctx).await.map(drop),
            Rpc::Rekey => v.rekey(ctx, two_of(&[&self.holders[0], &self.holders[1]], 2)).await.map(drop),
            Rpc::CreateBackup => v.create_backup(ctx).await.map(drop),
            Rpc::Logout => v.logout(ctx).await,
            Rpc::Seal => v.seal(ctx).await,
        }
    }
}

fn entry(platform: &str, category: Category, classification: Classification) -> NewEntry {
    NewEntry {
        platform: platform.into(),
        category,
        url: String::new(),
        login: "party".into(),
        recovery_contacts: vec![],
        classification: Some(classification),
        lifecycle: None,
        tags: vec![],
    }
}

fn secrets() -> Secrets {
    Secrets { password: SecretBytes::new(b"pw".to_vec()), totp_seed: None, notes: None }
}

#[tokio::test]
async fn every_rpc_for_every_role_sealed_and_unsealed_in_every_grant_state() {
    let mut failures = Vec::new();
    let mut cells = 0;
    for state in GRANT_STATES {
        for (who, role) in ROLES.into_iter().enumerate() {
            let world = World::new(state).await;
            let ctx = world.sessions[who].clone();
            // Unsealed. Logout and Seal end the session, so they come last, in that order of the table.
            for (rpc, row) in TABLE.iter().filter(|(rpc, _)| !matches!(rpc, Rpc::Logout | Rpc::Seal)) {
                let want = expected(row[who], role, state);
                let got = code(world.call(*rpc, who, &ctx, false).await);
                cells += 1;
                if got != want {
                    failures.push(format!("unsealed {state:?} {role:?} {rpc:?}: want {want:?}, got {got:?}"));
                }
            }
            let row = |wanted: Rpc| TABLE.iter().find(|(rpc, _)| *rpc == wanted).map_or(DENIED, |(_, row)| row[who]);
            let want = expected(row(Rpc::Logout), role, state);
            let got = code(world.call(Rpc::Logout, who, &ctx, false).await);
            cells += 1;
            if got != want {
                failures.push(format!("unsealed {state:?} {role:?} Logout: want {want:?}, got {got:?}"));
            }
            if got == Ok {
                assert!(world.vault.whoami(&ctx).is_err(), "logout ended the session");
            }
            let ctx = world.fx.login(&world.vault, NAMES[who], PASS[who]).await;
            let want = expected(row(Rpc::Seal), role, state);
            let got = code(world.call(Rpc::Seal, who, &ctx, false).await);
            cells += 1;
            if got != want {
                failures.push(format!("unsealed {state:?} {role:?} Seal: want {want:?}, got {got:?}"));
            }
            if got != Ok {
                world.vault.seal(&world.sessions[0]).await.expect("the president seals");
            }
            // Sealed: the same session, the same operations.
            for (rpc, _) in TABLE {
                let got = code(world.call(*rpc, who, &ctx, true).await);
                cells += 1;
                if got != FailedPrecondition {
                    failures.push(format!("sealed {state:?} {role:?} {rpc:?}: want FailedPrecondition, got {got:?}"));
                }
            }
            drop(world);
        }
    }
    assert!(failures.is_empty(), "{} of {cells} cells differ:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(cells, GRANT_STATES.len() * ROLES.len() * (2 * TABLE.len()));
}
