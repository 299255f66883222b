//! The access policy as one table, walked cell by cell: every operation of the API (each engine method is one RPC)
//! x every role x unsealed/sealed x the caller's grant state, each asserting the exact status code the daemon
//! answers (the engine's `ErrorKind` maps one to one onto a gRPC code in the server's `status.rs`).
//!
//! Every cell runs in a world of its own kind: a fresh vault with one person of each role, the entries "Target"
//! (social network, restricted, with a TOTP seed), "Other" (software, restricted) and "Spare" (public, never
//! granted), and the grant state applied to the access manager (a grant made by the president) and to the member
//! (a grant made by the access manager). The operations run with the session of the role under test; then that
//! role tries to seal, the vault is sealed, and every operation is tried again.
//!
//! The two-person rule has rows of its own, one per state of the caller's request for approval (none, pending,
//! approved, used, expired, denied): each reveals a fresh very confidential entry of the creation category, which
//! the access manager and the member always hold a live grant on (from the president), whatever the grant state of
//! "Target"; so those rows depend on the approval only.

mod support;

use std::time::Duration;

use coffre_crypto::secret::SecretBytes;
use coffre_vault::{
    AuditFilter, Category, Classification, EntryUpdate, ErrorKind, GrantUntil, Lifecycle, NewEntry, NewGrant,
    NewPassword, RequestContext, RevealParams, Role, RotationRef, Scope, SecretField, Secrets, Vault,
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
    /// A live grant on "Target", which was then set back to planned: a planned entry is the owners' alone.
    LiveButPlanned,
}

const GRANT_STATES: [GrantState; 8] = [
    GrantState::None,
    GrantState::Live,
    GrantState::Expired,
    GrantState::Revoked,
    GrantState::ForAnotherEntry,
    GrantState::ForAnotherCategory,
    GrantState::AboveAccessManagersClassification,
    GrantState::LiveButPlanned,
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
    RevealTotpCode,
    RevealTotpSeed,
    StageRotation,
    ConfirmRotation,
    CancelRotation,
    RevealPending,
    RotationDue,
    FlagEntry,
    RequestApproval,
    ListApprovals,
    ApproveRequest,
    DenyRequest,
    RevealVeryConfidential(Approval),
    ExportRegistry,
    ExportRegistryWithContacts,
    Logout,
    Seal,
}

/// The caller's request for approval, for a reveal of a very confidential entry.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Approval {
    /// Never asked.
    None,
    /// Asked, not decided.
    Pending,
    /// Approved by the president.
    Approved,
    /// Approved, and used by one reveal.
    Used,
    /// Approved, and the window (one minute in this world) has passed.
    Expired,
    /// Denied by the president.
    Denied,
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
    // Platform 2FA: the current code like the password; the seed (which makes codes forever) is the owners'.
    (Rpc::RevealTotpCode,     [OK,       OK,     IfCovered,        IfCovered,  DENIED]),
    (Rpc::RevealTotpSeed,     [OK,       OK,     DENIED,           DENIED,     DENIED]),
    // Rotation of "Target", staged by the president for the three after the first.
    (Rpc::StageRotation,      [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::ConfirmRotation,    [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::CancelRotation,     [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::RevealPending,      [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::RotationDue,        [OK,       OK,     DENIED,           DENIED,     DENIED]),
    // Reporting "Target" compromised: whoever a live grant covers may report an incident.
    (Rpc::FlagEntry,          [OK,       OK,     IfCovered,        IfCovered,  DENIED]),
    // Asking to reveal a fresh very confidential entry: owners need no approval (wrong state).
    (Rpc::RequestApproval,    [Is(FailedPrecondition), Is(FailedPrecondition), OK, OK, DENIED]),
    (Rpc::ListApprovals,      [OK,       OK,     OK,               OK,         DENIED]),
    // Deciding the member's request (for the member, its own).
    (Rpc::ApproveRequest,     [OK,       OK,     DENIED,           DENIED,     DENIED]),
    (Rpc::DenyRequest,        [OK,       OK,     DENIED,           DENIED,     DENIED]),
    // The two-person rule: owners reveal without approval; others with an approved, unused, unexpired one.
    (Rpc::RevealVeryConfidential(Approval::None),     [OK, OK, DENIED, DENIED, DENIED]),
    (Rpc::RevealVeryConfidential(Approval::Pending),  [OK, OK, DENIED, DENIED, DENIED]),
    (Rpc::RevealVeryConfidential(Approval::Approved), [OK, OK, OK,     OK,     DENIED]),
    (Rpc::RevealVeryConfidential(Approval::Used),     [OK, OK, DENIED, DENIED, DENIED]),
    (Rpc::RevealVeryConfidential(Approval::Expired),  [OK, OK, DENIED, DENIED, DENIED]),
    (Rpc::RevealVeryConfidential(Approval::Denied),   [OK, OK, DENIED, DENIED, DENIED]),
    // The register of official accounts holds no secret: owners and auditors; people's recovery contacts in it
    // are the owners'.
    (Rpc::ExportRegistry,             [OK, OK, DENIED, DENIED, OK]),
    (Rpc::ExportRegistryWithContacts, [OK, OK, DENIED, DENIED, DENIED]),
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
    /// A pending member, a grant made by the access manager and a request of the member's, made while unsealed, to
    /// act on while sealed.
    spare_person: String,
    spare_grant: String,
    spare_request: String,
    /// Two recovery holders with age keys: the share set the vault is given at the start (so that backups have
    /// recipients) and the one `Rekey` issues.
    holders: [Holder; 2],
}

impl World {
    async fn new(state: GrantState) -> Self {
        let fx = Fixture::new();
        let vault = fx.open_configured(&fx.data_dir(), |config| config.approval_window = APPROVAL_WINDOW);
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
        // A second version of "Target", so that version 1 is an old one (naming the current version is a plain
        // reveal).
        let second = EntryUpdate {
            platform: "Target".into(),
            password: Some(SecretBytes::new(b"pw2".to_vec())),
            ..Default::default()
        };
        vault.update_entry(&alice, second).await.expect("a second version");
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
        // The access manager and the member may reveal very confidential creation entries, with approval.
        for holder in ["Carol", "Dave"] {
            let grant = NewGrant {
                person: holder.into(),
                scope: Scope::Category(Category::Creation),
                until: GrantUntil::For(Duration::from_secs(60 * 24 * 3600)),
                task: "the accounts' designs".into(),
            };
            vault.add_grant(&alice, grant).await.expect("a grant on very confidential entries");
        }
        vault
            .create_entry(&alice, entry("Vc", Category::Creation, Classification::VeryConfidential), secrets())
            .await
            .expect("a very confidential entry");
        let dave = fx.login(&vault, "Dave", PASS[3]).await;
        let spare_request = vault.request_approval(&dave, "Vc", "spare").await.expect("a spare request").id;
        let mut world = World {
            fx,
            vault,
            state,
            sessions: Vec::new(),
            counter: std::cell::Cell::new(0),
            spare_person: "Frank".into(),
            spare_grant,
            spare_request,
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
            GrantState::LiveButPlanned => {
                let update = EntryUpdate {
                    platform: "Target".into(),
                    lifecycle: Some(Lifecycle::Planned),
                    ..Default::default()
                };
                self.vault.update_entry(alice, update).await.expect("back to planned");
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
            Rpc::RevealTotpCode => {
                v.reveal(ctx, RevealParams { field: SecretField::TotpCode, ..reveal(None) }).await.map(drop)
            }
            Rpc::RevealTotpSeed => {
                v.reveal(ctx, RevealParams { field: SecretField::TotpSeed, ..reveal(None) }).await.map(drop)
            }
            Rpc::StageRotation => {
                let staged = v.stage_rotation(ctx, "Target", new_password()).await.map(drop);
                self.cancel_staged(sealed).await;
                staged
            }
            Rpc::ConfirmRotation | Rpc::CancelRotation | Rpc::RevealPending => {
                if !sealed {
                    v.stage_rotation(&self.sessions[0], "Target", new_password()).await.expect("the president stages");
                }
                let target = RotationRef { platform: "Target".into(), id: None };
                let result = match rpc {
                    Rpc::ConfirmRotation => v.confirm_rotation(ctx, target).await.map(drop),
                    Rpc::CancelRotation => v.cancel_rotation(ctx, target).await.map(drop),
                    _ => v.reveal_pending(ctx, reveal(None)).await.map(drop),
                };
                self.cancel_staged(sealed).await;
                result
            }
            Rpc::RotationDue => v.rotation_due(ctx).map(drop),
            Rpc::FlagEntry => v.flag_compromised(ctx, "Target", "the table").await.map(drop),
            Rpc::RequestApproval => {
                let platform = if sealed { "Vc".to_owned() } else { self.very_confidential().await };
                v.request_approval(ctx, &platform, "the table").await.map(drop)
            }
            Rpc::ListApprovals => v.list_approvals(ctx, true).map(drop),
            Rpc::ApproveRequest | Rpc::DenyRequest => {
                let id = if sealed {
                    self.spare_request.clone()
                } else {
                    let platform = self.very_confidential().await;
                    v.request_approval(&self.sessions[3], &platform, "the table").await.expect("the member asks").id
                };
                v.decide_approval(ctx, &id, rpc == Rpc::ApproveRequest, "").await.map(drop)
            }
            Rpc::RevealVeryConfidential(approval) => {
                let platform = if sealed { "Vc".to_owned() } else { self.very_confidential().await };
                if !sealed && matches!(ROLES[who], Role::AccessManager | Role::Member) {
                    self.prepare_approval(approval, ctx, &platform).await;
                }
                let params = RevealParams { platform, ..reveal(None) };
                v.reveal(ctx, params).await.map(drop)
            }
            Rpc::ExportRegistry => v.registry(ctx, false).await.map(drop),
            Rpc::ExportRegistryWithContacts => v.registry(ctx, true).await.map(drop),
            Rpc::Logout => v.logout(ctx).await,
            Rpc::Seal => v.seal(ctx).await,
        }
    }
}

impl World {
    /// A fresh very confidential entry of the creation category (which the access manager and the member hold a
    /// grant on); returns its name.
    async fn very_confidential(&self) -> String {
        let name = self.unique("Vc");
        let new = entry(&name, Category::Creation, Classification::VeryConfidential);
        self.vault.create_entry(&self.sessions[0], new, secrets()).await.expect("a very confidential entry");
        name
    }

    /// Brings the caller's request for approval of `platform` to `approval`, with the president deciding.
    async fn prepare_approval(&self, approval: Approval, ctx: &RequestContext, platform: &str) {
        let v = &self.vault;
        if approval == Approval::None {
            return;
        }
        let id = v.request_approval(ctx, platform, "the table").await.expect("the caller asks").id;
        match approval {
            Approval::None | Approval::Pending => {}
            Approval::Denied => drop(v.decide_approval(&self.sessions[0], &id, false, "no").await.expect("deny")),
            Approval::Approved | Approval::Used | Approval::Expired => {
                v.decide_approval(&self.sessions[0], &id, true, "").await.expect("approve");
            }
        }
        match approval {
            Approval::Used => {
                let params = RevealParams {
                    platform: platform.into(),
                    field: SecretField::Password,
                    reason: "the one reveal".into(),
                    version: None,
                };
                v.reveal(ctx, params).await.expect("the approved reveal");
            }
            Approval::Expired => self.fx.clock.advance(APPROVAL_WINDOW + Duration::from_secs(1)),
            _ => {}
        }
    }

    /// Drops the rotation of "Target" a row may have left staged, with the president's session.
    async fn cancel_staged(&self, sealed: bool) {
        if sealed {
            return;
        }
        let staged = self.vault.rotation_due(&self.sessions[0]).expect("the report").staged;
        if !staged.is_empty() {
            let target = RotationRef { platform: "Target".into(), id: None };
            self.vault.cancel_rotation(&self.sessions[0], target).await.expect("the president cancels");
        }
    }
}

/// How long an approval may be used in this world, so that the expired row does not outlast sessions.
const APPROVAL_WINDOW: Duration = Duration::from_secs(60);

fn new_password() -> NewPassword {
    NewPassword::Given(SecretBytes::new(b"a new password".to_vec()))
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
    Secrets {
        password: SecretBytes::new(b"pw".to_vec()),
        totp_seed: Some(SecretBytes::new(b"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_vec())),
        notes: None,
    }
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
