# coffre's messages in English. Every id here must also be in ../fr-CA/coffre.ftl with the same arguments
# (a test checks it). Ids say what the message is about; arguments are named.

## Answers and prefixes

answer-yes = yes
error-line = error: { $message }
cause-line = cause: { $message }
time-unknown = unknown

## Roles, as people read them

role-name = { $role ->
    [president] president
    [leader] leader
    [access-manager] access manager
    [member] member
    [auditor] auditor
   *[other] { $role }
}
owners-explained = the president or the leader

## Vault states

state-name = { $state ->
    [uninitialised] not created yet
    [sealed] sealed
    [unsealed] unsealed
   *[other] { $state }
}

## What to do next

next-init = create the vault with `coffre init --president NAME`
next-unseal-owner = the president or the leader opens the vault with `coffre unseal`
next-wait-for-database = check that the vault's database is running and writable; coffred then serves again by itself (an owner logged in can seal the vault meanwhile: `coffre seal`)
next-wait-for-database-sealed = check that the vault's database is running and writable: coffred gives it the change by itself; then the president or the leader unseals the vault (`coffre unseal`, or the web page)
next-login-or-enroll = if you were given a one-time enrolment code, run `coffre enroll CODE`; if you are already enrolled, run `coffre login NAME`
next-line = Next: { $next }.

## Sessions

session-none = not logged in to { $server }: run `coffre login NAME`
session-ended = your session as { $name } ended at { $time }: run `coffre login { $name }`
session-no-home = cannot find where to keep your session (is HOME set?): set COFFRE_SESSION to a file path

## coffre connect

connect-presented =
    The daemon at { $server } presented a certificate authority with this SHA-256 fingerprint:

      { $grouped }
      ({ $fingerprint })
connect-where-fingerprint =
    Compare it with the fingerprint you were given: the handout from the person who added you, the line coffred
    printed when it started ("CA certificate … SHA-256 fingerprint"), or `coffre status` on a computer already
    connected. Do not trust it if you cannot compare it.
connect-confirm-prompt = Is it the same fingerprint? Type yes to trust it:{" "}
connect-not-confirmed = not confirmed: nothing was saved
connect-no-terminal = cannot ask you to confirm the fingerprint (no terminal): pass --fingerprint HEX (as you were given it) or --yes
connect-cannot-read-answer = cannot read your answer: { $reason }
connect-mismatch = WARNING: the fingerprint does not match. Expected { $expected }, the daemon presented { $presented }. Someone may be intercepting the connection, or this is another daemon. Nothing was saved
connect-no-config-dir = cannot find your configuration directory (is HOME set?): set COFFRE_CONFIG_DIR
connect-done = Connected to { $server } (vault { $state }); the CA is pinned in { $config }.

## Second factor and enrolment

second-factor-intro =
    Second factor: scan this QR code with an authenticator app (e.g. Aegis, FreeOTP, Google Authenticator),
    or add the URI below to it by hand. Keep it in the app only: it is shown this once.
second-factor-qr-file = The QR code is also written to { $path } (readable by you only): open it to scan it, then delete it.
enroll-finish-later =
    { $name }: add this second factor to your app, then finish with
      coffre enroll CODE --totp NNNNNN (the 6 digits the app shows)
enroll-passphrase-prompt = Choose your passphrase (at least 12 characters):{" "}
totp-prompt = Code shown by your authenticator app:{" "}
totp-no-terminal = no terminal to type the code on: give it with --totp CODE
totp-cannot-read = cannot read the code from the terminal: { $reason }
enroll-done =
    Welcome, { $name }: you are enrolled as { $role }.
    Next: log in with `coffre login { $name }`. The code you just typed is now used up: wait until your app shows
    the next one (at most 30 seconds) before you log in.
enroll-code-invalid = the enrolment code { $code } does not look like one: it is 8 to 64 letters and digits (spaces and dashes are ignored)

## Login, passphrase, logout

login-passphrase-prompt = Passphrase of { $name }:{" "}
login-done = Logged in to { $server } as { $name } ({ $role }). The session lasts until { $until } at the latest; `coffre logout` ends it now.
passwd-current-prompt = Current passphrase:{" "}
passwd-new-prompt = New passphrase (at least 12 characters):{" "}
passwd-done = Your passphrase is changed. If you are the president or the leader, it is also the one that unseals the vault from now on; the old one no longer does. Your other sessions, on other computers or browsers, have ended.
logout-not-logged-in = You were not logged in.
logout-not-logged-in-to = You were not logged in to { $server }.
logout-done = Logged out: the session has ended.
logout-deleted-anyway = { $message }; the session saved on this computer was deleted anyway (the daemon ends it when it expires)

## Unseal and seal

unseal-prompt = Passphrase of the president or the leader:{" "}
unseal-already = The vault was already unsealed: nothing to do (your passphrase was not checked).
unseal-done =
    The vault is unsealed.
    Next: log in with `coffre login NAME`.
seal-done =
    The vault is sealed: the daemon holds no key and every session has ended.
    To open it again, the president or the leader runs `coffre unseal`.

## coffre status

status-server = Server:
status-vault = Vault:
status-vault-id = Vault id:
status-ca = CA fingerprint:
status-daemon = Daemon:
status-audit-events = Audit events:
status-audit-head = Audit head:
status-audit-key = Audit key:
status-session = Session:
status-session-value = { $name } ({ $role }), until { $until }
status-not-logged-in = not logged in
status-database = Database:
status-database-catching-up = missing a change that the audit log holds: coffred gives it again by itself, and serves nobody until the database has taken it (an owner can still seal the vault)
status-standby = Standby:
# $ago is a number and a unit (s, min, h).
status-standby-value = { $name }: { $state ->
    [armed] armed: if this coffred stops, it takes the vault over and unseals it (unless an owner sealed it)
    [lost] not seen for { $ago }: check coffred on { $name }, which no longer says it waits
   *[waiting] waiting: if this coffred stops, it takes the vault over sealed, for the president or the leader to unseal
}{ $relays ->
    [yes] ; meanwhile, it relays its clients to this coffred
   *[no] {""}
}

## Recovery shares

shares-issued = Recovery share set { $set } issued: any { $threshold } of these { $holders } holders together can recover the vault.
shares-issued-line = share { $number } for { $holder }: { $file }
shares-hand-out = Give each holder their own file (print it, or copy it to a USB key kept offline), then delete the copies here. The daemon keeps no copy. Each holder keeps the printed guide too: `coffre guide recovery` prints it (in French with --lang fr).

## People and the new person's handout

person-added = Added { $name } ({ $role }).
person-reset = Reset the enrolment of { $name } ({ $role }): their old passphrase and second factor no longer work.
handout-hand-over = Print the sheet below and give it to { $name } in person (never by e-mail: the code opens their account until it is used).
handout-title = coffre: your access, { $name }
handout-role = Role:                 { $role }
handout-address = Vault address:        { $server }
handout-fingerprint = Certificate (SHA-256): { $fingerprint }
handout-code = One-time code:        { $code }
handout-expires = Use it before:        { $expires }
handout-steps = Your first three commands (`coffre connect` shows the certificate's fingerprint: it must be the one above):
handout-keep-private = The code works once. Then you choose your own passphrase and add the second factor to an authenticator app on your phone; nobody else ever learns them. Destroy this sheet once you are enrolled.

## Files and common refusals

file-empty-leave-out = { $path } is empty: leave out { $flag }

## Entries

entry-password-prompt = Password of { $login } on { $platform }:{" "}
entry-new-password-prompt = New password for { $platform }:{" "}
entry-added = Added { $platform } (version { $version }).
entry-updated = Updated { $platform } (version { $version }).
entry-archived = Archived { $platform }; its history is kept (`coffre entry list --archived` shows it).
entry-list-empty = No entries you may see.
entry-list-empty-hint = No entries you may see. Archived ones are listed with --archived; an owner adds entries with `coffre entry add PLATFORM --category CATEGORY --login LOGIN`.
entry-edit-nothing = nothing to change: give at least one option (see `coffre entry edit --help`)
entry-flag-reason-empty = --reason is empty: say what happened; it is recorded in the audit log
entry-flagged-already = { $platform } was flagged compromised already (since { $since }); your report is recorded too.
entry-flagged = Flagged { $platform } compromised: it is listed by `coffre rotation due` until an owner confirms a new password (`coffre rotate stage { $platform } --generate`).

## Tables and labelled fields

answer-no = no
column = { $name ->
    [platform] PLATFORM
    [category] CATEGORY
    [login] LOGIN
    [classification] CLASSIFICATION
    [lifecycle] LIFECYCLE
    [version] VERSION
    [updated] UPDATED
    [created] CREATED
    [by] BY
    [changed] CHANGED
    [id] ID
    [requester] REQUESTER
    [state] STATE
    [until] UNTIL
    [reason] REASON
    [person] PERSON
    [scope] SCOPE
    [expires] EXPIRES
    [granted-by] GRANTED BY
    [task] TASK
    [seq] SEQ
    [time] TIME
    [actor] ACTOR
    [action] ACTION
    [target] TARGET
    [outcome] OUTCOME
    [name] NAME
    [role] ROLE
    [added-by] ADDED BY
    [why] WHY
    [since] SINCE
    [detail] DETAIL
    [pending-version] PENDING VERSION
    [staged-by] STAGED BY
   *[other] { $name }
}
field-label = { $name ->
    [platform] Platform:
    [category] Category:
    [url] URL:
    [login] Login:
    [recovery-contacts] Recovery contacts:
    [classification] Classification:
    [lifecycle] Lifecycle:
    [tags] Tags:
    [version] Version:
    [totp-stored] TOTP seed stored:
    [notes-stored] Notes stored:
    [created] Created:
    [updated] Updated:
    [rotation-due] Rotation due:
   *[other] { $name }:
}

## coffre reveal and the clipboard

secret-field = { $field ->
    [password] password
    [totp] TOTP code
    [totp-seed] TOTP seed
    [notes] notes
    [staged] staged password
   *[other] { $field }
}
reveal-reason-empty = --reason is empty: say why you need the secret; it is recorded in the audit log
reveal-done = (revealed the { $what } of { $platform }, version { $version }; recorded in the audit log as event { $seq })
reveal-done-valid = (revealed the { $what } of { $platform }, version { $version }; valid { $seconds ->
    [one] { $seconds } more second
   *[other] { $seconds } more seconds
}; recorded in the audit log as event { $seq })
reveal-not-text = this secret is not text and cannot be shown with { $option }: reveal it without { $option }
json-cannot-encode = cannot encode the output as JSON: { $reason }
clipboard-cannot-copy = cannot copy to the clipboard: { $reason }
clipboard-copied = copied; the clipboard will be cleared in { $seconds } s
clipboard-no-display = no clipboard available (no display); reveal without --copy
clipboard-unavailable = no clipboard available ({ $reason }); reveal without --copy
clipboard-cleared = clipboard cleared
clipboard-cannot-clear = warning: could not clear the clipboard ({ $reason }): clear it yourself
clipboard-changed = the clipboard holds something else now; left as it is

## Grants

grant-until-not-a-date = --until { $text } is not a date: write it like 2026-12-31 (or an RFC 3339 time)
grant-for-not-a-duration = --for { $text } is not a duration: write it like 14d, 12h or 2w
grant-for-zero = --for must be at least one second
grant-scope-category = category { $category }
grant-task-empty = --task is empty: say what the access is for; it is recorded in the audit log
grant-until-missing = say until when: --until DATE or --for DURATION
grant-scope-missing = say to what: --entry PLATFORM or --category CATEGORY
grant-added =
    Granted { $person } access to { $scope } until { $until }, for: { $task }
    Grant id { $id } (`coffre grant revoke { $short }` ends it sooner).
grant-state = { $state ->
    [live] live
    [expired] expired
    [revoked] revoked
   *[other] { $state }
}
grant-revoked = Revoked: { $person } no longer has access to { $scope }.

## Rotation

rotate-policy-without-generate = the generator options (--length, --words, --no-...) go with --generate
rotate-staged = Staged a new password for { $platform } as version { $version } (rotation { $id }).
rotate-staged-generated = Staged a new password for { $platform } as version { $version } (rotation { $id }), generated by the daemon ({ $bits } bits).
rotate-staged-next =
    Next:
      1. coffre reveal { $platform } --pending --reason "rotation"
      2. change the password on the platform and check that it works
      3. coffre rotate confirm { $platform }    (or: coffre rotate cancel { $platform })
rotate-confirmed = { $platform } now uses version { $version }; the previous password stays in `coffre entry history { $platform }`.
rotate-cancelled = Cancelled the rotation staged by { $by } at { $time }; { $platform } still uses version { $version }.
rotation-none-due = No password is due for rotation.
rotation-why = { $kind ->
    [age] age
    [offboarded] offboarded
    [compromised] compromised
   *[other] { $kind }
}
# The detail of a reason an entry is due (the engine's DueDetail, by code). "offboarded" is the text an older
# coffred wrote at the offboarding, kept in English in the entry; "left" is what a reader who may not learn who left
# is told.
rotation-detail-age = password unchanged for { $days } days; at most { $max_days } days for this category
rotation-detail-offboarded = { $text }
rotation-detail-offboarded-unknown = revealed by { $person }, who was offboarded, before coffre noted which version
rotation-detail-offboarded-codes = revealed by { $person }, who was offboarded; saw only the platform's 2FA codes, not the password
rotation-detail-offboarded-staged = revealed by { $person }, who was offboarded; saw the password staged for rotation (version { $version })
rotation-detail-offboarded-current = revealed by { $person }, who was offboarded; saw the current version ({ $version })
rotation-detail-offboarded-replaced = revealed by { $person }, who was offboarded; saw version { $version }, since replaced (the current version is { $current })
rotation-detail-left = a person who had access left
rotation-detail-compromised = flagged compromised by { $by }: { $reason }
rotation-due-next = Change each on its platform with `coffre rotate stage PLATFORM --generate`.
rotation-staged-heading = Staged, waiting for `coffre rotate confirm` or `cancel`:

## coffre init

kdf-memory-too-small = --kdf-memory-kib { $memory } is too small: use at least { $min } (8 MiB); leave it out for the recommended default
kdf-memory-too-large = --kdf-memory-kib { $memory } is too large: at most { $max } (4 GiB)
kdf-iterations-out-of-range = --kdf-iterations { $iterations } is out of range: use 1 to { $max }; leave it out for the recommended default
init-passphrase-prompt = Choose the passphrase of { $name } (at least 12 characters):{" "}
init-done = The vault is created (id { $id }) and unsealed. { $name } is its president.
init-leader-code =
    One-time enrolment code for { $leader }: { $code }
    It expires at { $expires }: give this code to { $leader } in person; they run `coffre enroll { $code }`.
init-no-shares = No recovery shares were issued: if the passphrases are forgotten, the vault is lost. Issue them with `coffre recovery rekey --holder president=age1... --holder leader=age1... --shares-dir DIR`.
init-next = Next: log in with `coffre login { $name }` (it asks for your passphrase and the app's code).

## People

person-state = { $state ->
    [pending] pending
    [active] active
    [offboarded] offboarded
   *[other] { $state }
}
person-offboarded = Offboarded { $name }: account disabled (its history is kept), { $sessions ->
    [one] { $sessions } session ended
   *[other] { $sessions } sessions ended
}, { $grants ->
    [one] { $grants } live grant revoked
   *[other] { $grants } live grants revoked
}.
person-offboarded-nothing-revealed = They revealed no password: nothing needs to change.
person-offboarded-revealed = They revealed these entries (what they saw is said); change each on its platform, then in coffre:
person-offboarded-share-holder = They also hold the recovery share "{ $holder }": it still counts towards a recovery, and its age key still opens every new backup. Issue a new share set now without them (`coffre recovery rekey --holder NAME=age1... ...`).
person-offboarded-saw = { $platform }: saw { $seen }
# What an offboarded person saw of an entry (the engine's Seen, by code); the line above is for an older daemon.
person-offboarded-saw-unknown = { $platform }: revealed before coffre noted which version
person-offboarded-saw-codes = { $platform }: saw only the platform's 2FA codes, not the password
person-offboarded-saw-staged = { $platform }: saw the password staged for rotation (version { $version })
person-offboarded-saw-current = { $platform }: saw the current version ({ $version })
person-offboarded-saw-replaced = { $platform }: saw version { $version }, since replaced (the current version is { $current })

## Refusals from the daemon: `daemon-<code>` for the engine's error codes, `daemon-reason-<code>` for the reasons
## a refusal names (crates/vault/src/reasons.rs). The English text is the daemon's own message.

daemon-uninitialised = vault is not initialised: run `coffre init`
daemon-already-initialised = vault is already initialised
daemon-sealed = vault is sealed: ask the president or the leader to unseal it (an owner runs `coffre unseal`)
daemon-no-session = not logged in, or the session has expired: run `coffre login NAME`
daemon-wrong-credentials = wrong name, passphrase or code
daemon-wrong-code = wrong or already used code: type the code your authenticator app shows now (check its clock)
daemon-wrong-passphrase = wrong passphrase: it opens no owner's key slot
daemon-bad-enrolment-code = enrolment code is invalid, already used or expired: ask an owner for a new one
daemon-shares-do-not-open = these shares do not open this vault's recovery slot: one of them is forged or corrupted; the shares submitted were discarded, start again with the holders' share files
daemon-bad-recovery-token = this recovery was already finished, or its 10 minutes have passed: recover again with k shares
daemon-denied = permission denied: { $reason }
daemon-invalid = invalid { $field }: { $problem }
daemon-not-found = { $reason }
daemon-exists = { $reason } already exists
daemon-wrong-state = { $reason }
daemon-throttled = too many attempts: try again in { $seconds } s
daemon-store-unavailable = the vault's database is unavailable, nothing was revealed or changed ({ $detail }). coffred reconnects by itself: try again in a moment; if this lasts, check that PostgreSQL is running and reachable from coffred
daemon-store-tls = the vault's database did not pass the TLS check, nothing was revealed or changed: { $detail }. Check that [storage] ca_file is the CA that signed the database server's certificate, that this certificate names the host of [storage] url, and that the server has ssl = on (docs/ha.md)
daemon-audit-unavailable = audit log unavailable, nothing was revealed or changed: { $detail }; free disk space or check the data directory
daemon-store-refused = the change is in the audit log but the store refused it ({ $detail }); the vault was sealed: check the store (the data directory's disk, or the database: running and writable), then unseal again, which applies the change from the log. Do not make the change again.
daemon-store-rolled-back = the vault's database lost changes it had taken ({ $place }): its copy of the audit log ends at event { $copy_ends }, before event { $took }, which it had taken (was a standby that was behind promoted, or a backup restored, under a running coffred?). Nothing was revealed, and the vault was sealed: an owner's unseal gives the database every change it lost, from the audit log, including any change this request made. Do not make it again.
daemon-store-behind = the change is in the audit log, but the vault's database did not take it ({ $detail }); coffred gives it to the database again by itself as soon as it answers, and until then answers every request as unavailable (an owner can still seal the vault). Do not make the change again: once the database answers, check it.
daemon-store-catching-up = the vault's database missed a change that the audit log holds, so nothing was revealed or changed: coffred gives it to the database again by itself; try again in a moment. If this lasts, check that the database is running and writable, or restart coffred (it then waits for an owner's unseal, which applies the change).
daemon-audit-chain-broken = the audit log is broken at event { $seq }: { $problem }; nothing from that event on can be trusted, and a vault with a broken log does not unseal. Keep this data directory for investigation and restore the vault from a backup (see docs/recovery.md)
daemon-audit-damaged = the audit log is damaged: { $file } at byte { $offset }: { $problem }; the last good event is { $last_good }. Nothing was cut and the vault stays sealed: keep this data directory as it is and follow docs/recovery.md (restore a backup, or salvage the log into a new directory)
daemon-store-damaged = the vault's store is damaged: { $file }: { $problem }. Nothing was changed and the vault stays sealed: keep this data directory as it is, then rebuild the store from the audit log into a new directory (`coffred rebuild-store`) or restore a backup (see docs/recovery.md)
daemon-header-changed = the seal header was changed: it does not carry the MAC this vault's key made over it (key slots, Argon2 parameters or the recovery slot were edited on disk); the vault stays sealed: restore the data directory from a backup (see docs/recovery.md)
daemon-migrate-no-sled-store = there is no sled store to move at { $path }: this vault's records are already in PostgreSQL (then start coffred with this configuration and unseal it), or this is not the vault's data directory (check --data-dir)
daemon-migrate-schema-not-empty = { $place } already holds records, and a vault is moved only into an empty schema: name another one with [storage] schema (--storage-schema), or drop that schema in PostgreSQL if what it holds is not needed; nothing was changed
daemon-migrate-copy-differs = the copy in { $place } does not read back as sled's store (at record { $record }); nothing was changed in the data directory: check the database server's log, drop that schema, and run coffred migrate again
daemon-internal = internal error; see the daemon's log

daemon-reason-approval-not-needed-for-owners = owners reveal very confidential entries without approval
daemon-reason-approval-not-needed = this entry is not very confidential: it needs no approval, reveal it with `coffre reveal`
daemon-reason-approval-already-asked = a request of yours for this entry that is pending or approved and unused (see `coffre approval list`)
daemon-reason-approval-expired = this request expired before anyone decided it: it must be asked again
daemon-reason-approval-decided-already = this request was decided already: see `coffre approval list --all`
daemon-reason-no-request = no request with that id: see `coffre approval list --all`
daemon-reason-enrolment-not-started = this enrolment has not started: run `coffre enroll CODE` without --totp
daemon-reason-current-passphrase-wrong = the current passphrase is wrong: nothing was changed
daemon-reason-decide-own-request = you cannot decide a request of your own: another owner must
daemon-reason-one-president = a vault has one president, named at init
daemon-reason-president-adds-leader = only the president may add a leader
daemon-reason-manager-adds-members = an access manager may add members only
daemon-reason-president-manages-leader = only the president may offboard the leader or reset the leader's enrolment
daemon-reason-manager-grants-members = an access manager may grant access to members only
daemon-reason-auditors-get-no-grant = auditors never reveal secrets: they get no grant
daemon-reason-owners-see-everything = the president and the leader see everything already
daemon-reason-no-entry = no entry by that name: see `coffre entry list`
daemon-reason-manager-revokes-own = an access manager may revoke only the grants it made
daemon-reason-no-live-grant = no live grant covers this entry; ask the president or an access manager
daemon-reason-manager-ceiling = an access manager may grant access to existing public or restricted entries only: check the platform's name with `coffre entry list`, or ask the president or the leader
daemon-reason-needs-approval = a very confidential entry needs an owner's approval for each reveal: run `coffre approval request PLATFORM --reason TEXT`, then ask the president or the leader
daemon-reason-approval-pending = your request for approval is waiting for the president's or the leader's decision
daemon-reason-offboard-self = you cannot offboard yourself
daemon-reason-reset-own-enrolment = you cannot reset your own enrolment: change your passphrase with `coffre passwd`
daemon-reason-offboard-president = nobody offboards the president
daemon-reason-reset-president = only the president's own passphrase and second factor open the president's account
daemon-reason-auditors-never-reveal = auditors never reveal secrets
daemon-reason-auditors-read-no-entries = auditors read the audit log, not entries
daemon-reason-auditors-see-approvals-in-log = auditors see requests for approval in the audit log
daemon-reason-owners-export-contacts = only the president or the leader may export recovery contacts: leave out --with-recovery-contacts
daemon-reason-export-register = only the president, the leader and auditors may export the register
daemon-reason-owners-reveal-totp-seed = only the president or the leader may reveal a TOTP seed: reveal the current code with `--field totp`
daemon-reason-owners-rotate = only the president or the leader may rotate passwords
daemon-reason-owners-see-due = only the president or the leader may see which passwords are due for rotation
daemon-reason-owners-decide = only the president or the leader may approve or deny a request
daemon-reason-owners-seal = only the president or the leader may seal the vault
daemon-reason-owners-change-entries = only the president or the leader may change entries
daemon-reason-owners-see-old-versions = only the president or the leader may see old versions
daemon-reason-owners-rekey = only the president or the leader may issue recovery shares
daemon-reason-owners-backup = only the president or the leader may take a backup
daemon-reason-owners-see-recovery = only the president or the leader may see who holds recovery shares and which backups were written
daemon-reason-managers-manage-people = only the president, the leader or an access manager may manage people
daemon-reason-owners-offboard = only the president or the leader may offboard people or reset their enrolment
daemon-reason-managers-grant = only the president, the leader or an access manager may grant or revoke access
daemon-reason-auditors-see-grants-in-log = auditors see grants in the audit log
daemon-reason-read-audit = only the president, the leader and auditors may read the audit log
daemon-reason-entry-exists = an entry for this platform
daemon-reason-too-many-versions = this entry has too many versions
daemon-reason-no-version = no such version of this entry: see `coffre entry history`
daemon-reason-no-field-in-version = this entry has no such secret field in that version
daemon-reason-no-person = no person by that name: see `coffre person list`
daemon-reason-offboarded-no-grant = this person is offboarded: offboarded people get no grant
daemon-reason-grant-revoked-already = this grant is revoked already
daemon-reason-no-grant = no grant with that id: see `coffre grant list`
daemon-reason-log-without-vault = the data directory holds an audit log but no vault: start coffred on an empty data directory
daemon-reason-person-exists = a person of that name (offboarded people keep their name)
daemon-reason-offboarded-already = this person is offboarded already
daemon-reason-offboarded-never-reopened = this person is offboarded: an offboarded account is never reopened
daemon-reason-no-share-set = this vault has no recovery share set: an owner issues one with `coffre recovery rekey`
daemon-reason-no-person-in-vault = no person by that name in this vault
daemon-reason-no-president = this vault has no president: name the owner whose passphrase to set
daemon-reason-archived-not-rotated = this entry is archived: an archived account is not rotated
daemon-reason-rotation-staged-already = a rotation is already staged for this entry: confirm or cancel it first
daemon-reason-archived-cancel-rotation = this entry is archived: cancel its staged rotation
daemon-reason-rotation-base-changed = this entry's secrets changed since the rotation was staged: cancel it and stage again
daemon-reason-staged-password-only = a staged rotation holds only a new password: reveal it with --field password
daemon-reason-totp-seed-unreadable = this entry's TOTP seed is not base32 text: an owner must replace it with `coffre entry edit PLATFORM --totp-seed-file FILE`
daemon-reason-no-rotation-staged = no rotation is staged for this entry: stage one with `coffre rotate stage PLATFORM`
daemon-reason-no-age-holder = no recovery holder has an age key to encrypt backups to: issue a share set whose holders are named with age1... keys (`coffre recovery rekey --holder NAME=age1...`)
daemon-reason-rotation-restaged = the rotation staged now is not the one you named (it was cancelled and staged again): see `coffre rotation due` for who staged the current one

## Invalid values: `daemon-field-<code>` and `daemon-problem-<code>` (crates/vault/src/problems.rs), rendered into
## daemon-invalid. The English text is the engine's own.

daemon-field-platform = platform
daemon-field-new-platform = new platform
daemon-field-page-token = page token
daemon-field-page-size = page_size
daemon-field-limit = limit
daemon-field-url = url
daemon-field-login = login
daemon-field-recovery-contact = recovery contact
daemon-field-tag = tag
daemon-field-password = password
daemon-field-totp-seed = TOTP seed
daemon-field-notes = notes
daemon-field-reason = reason
daemon-field-task = task
daemon-field-person = person
daemon-field-name = name
daemon-field-president = president
daemon-field-leader = leader
daemon-field-owner = owner
daemon-field-holder = holder
daemon-field-holders = holders
daemon-field-threshold = threshold
daemon-field-share = share
daemon-field-request-id = request id
daemon-field-grant-id = grant id
daemon-field-rotation-id = rotation id
daemon-field-expiry = expiry
daemon-field-generator-policy = generator policy
daemon-field-kdf = kdf

daemon-problem-empty = must not be empty
daemon-problem-too-many-chars = is { $chars } characters long; at most { $max } allowed
daemon-problem-too-many-bytes = is { $bytes } bytes long; at most { $max } allowed
daemon-problem-too-many-items = has { $items } items; at most { $max } allowed
daemon-problem-empty-item = items must not be empty
daemon-problem-control-characters = must not contain control characters
daemon-problem-not-an-id = must be 8 to 32 hexadecimal characters, as `{ $command }` shows
daemon-problem-not-a-rotation-id = must be 8 to 32 hexadecimal characters, as `coffre rotate stage` showed
daemon-problem-ambiguous-request-id = matches several requests: give more of it
daemon-problem-ambiguous-grant-id = matches several grants: give more of it
daemon-problem-reason-required = is required: say why you need this secret
daemon-problem-request-reason-required = is required: say why you need this secret; the owners read it
daemon-problem-task-required = is required: say what the access is for
daemon-problem-report-required = is required: say what happened (what was exposed, when, how)
daemon-problem-totp-seed-not-text = must be base32 text, as the platform shows it for an app
daemon-problem-totp-seed-invalid = is not a key an authenticator app accepts (16 to 103 base32 characters: letters A-Z and digits 2-7); copy the key the platform shows under "enter this key manually"
daemon-problem-too-many-events = at most { $max } events per page
daemon-problem-too-many-entries = at most { $max } entries per page
daemon-problem-expiry-past = is not in the future
daemon-problem-expiry-too-far = is too far away: a grant lasts at most { $days } days
daemon-problem-leader-is-president = must be a different person from the president
daemon-problem-kdf-out-of-bounds = { $detail }
daemon-problem-holders-count = name between { $min } and { $max } recovery holders (there are { $count })
daemon-problem-too-many-holders = too many
daemon-problem-threshold-range = must be between { $min } and the number of holders ({ $holders }), not { $threshold }: one share alone must never recover the vault
daemon-problem-holder-named-twice = { $holder } is named twice
daemon-problem-holder-key = { $holder }: { $detail }
daemon-problem-holder-same-age-key = { $holder } has the same age key as { $other }: each holder needs their own, or one person could recover alone with several shares
daemon-problem-holder-same-passphrase = { $holder } has the same passphrase as { $other }: each holder needs their own, or one person could recover alone with several shares
daemon-problem-share-unreadable = { $detail }
daemon-problem-share-other-vault = it belongs to another vault ({ $share_vault }), not to this one ({ $vault }): use a share of this vault
daemon-problem-share-before-rekey = this vault was restored from a backup of { $backup_created }, which predates the rekey that issued this share: it needs the share set of { $backup_created } (id { $share_set }), the share files current when the backup was taken (or the passphrase an owner had then)
daemon-problem-share-replaced = it belongs to a share set that a rekey replaced (or to one issued after the backup this vault came from), so it cannot be used here: this vault opens with share set { $share_set } (see `coffre recovery status`)
daemon-problem-share-numbers = it says { $share_threshold } of { $share_count }, but the seal header's recovery slot says { $threshold } of { $count }: either this share is forged or the seal header was changed (an owner's passphrase unseal checks the header)
daemon-problem-share-submitted-already = share number { $number } ({ $holder }) was already submitted; { $submitted } of { $threshold } are in: the next share must come from another holder
daemon-problem-shares-do-not-combine = { $detail }
daemon-problem-not-an-owner = { $name } is not an owner (president or leader)
daemon-problem-policy-length = { policy-length }
daemon-problem-policy-no-class = { policy-no-class }
daemon-problem-policy-more-classes-than-characters = { policy-more-classes-than-characters }
daemon-problem-policy-words = { policy-words }
daemon-problem-policy-separator-length = { policy-separator-length }
daemon-problem-policy-separator-characters = { policy-separator-characters }
daemon-problem-policy-alphabet = { policy-alphabet }
daemon-problem-store-marker-malformed = its applied marker is malformed
daemon-problem-store-no-record-of-changes = it has no record of the changes it applied, but the log holds changes from event { $seq } on (the store was replaced or lost its last writes)
daemon-problem-store-records-do-not-match = its records do not match its own record of change { $seq } (records lost, changed or added on disk: digest { $found } instead of { $expected })
daemon-problem-store-read-to-malformed = its record of how far it has read the audit log is malformed or not this vault's (changed on disk)
daemon-problem-store-read-ahead = it is ahead of the audit log: it has read the log up to event { $through } but the log ends at event { $head }; the log lost its end, or the store belongs to another log
daemon-problem-store-not-described = it is not the store the log describes at change { $seq } (a store from another time or another vault)
daemon-problem-store-ahead-of-log = it is ahead of the audit log: it holds change { $seq } but the log does not (next change in the log: { $next }); the log lost its end, or the store belongs to another log
daemon-problem-store-replay-mismatch = replaying change { $seq } from the log does not arrive at the digest the log recorded (the store differs from the log before it)
daemon-problem-store-directory-missing = the store's directory is missing, but { $copy } says a vault lives here
daemon-problem-store-no-header = it has no seal header, but the audit log holds { $events } events and { $copy } exists: the store was lost or damaged
daemon-problem-store-records-without-header = it holds records but no seal header (damaged, or left by another vault)
daemon-problem-audit-witness-too-long = it is { $length } bytes long, not at most { $max }
daemon-problem-audit-witness-unreadable = neither of its two slots reads back (checksum)
daemon-problem-audit-witness-foreign = the head witness is not signed by this vault's audit key
daemon-problem-audit-ends-before-witness = the log ends at event { $last_seq }, but event { $witnessed } was acknowledged (head witness { $witness })
daemon-problem-audit-witness-other-event = event { $witnessed } is not the event that was acknowledged (head witness { $witness })
daemon-problem-audit-impossible-length = a frame declares an impossible length
daemon-problem-audit-bad-frame = a frame fails its checksum or runs past the end, and acknowledged events follow it
daemon-problem-audit-first-segment-missing = the log's first segment is missing (the first one starts at event { $first })
daemon-problem-audit-segment-without-head = this finished segment does not end with a whole head frame (cut short or damaged)
daemon-problem-audit-segments-gap = it ends at event { $last } but the next segment starts at event { $next }
daemon-problem-audit-copy-malformed = the database's copy of the log holds a group commit from event { $seq } that is not whole frames numbered in order after the one before it and ending with a signed head: nothing of it was written to the log
daemon-problem-audit-event-missing-from = the event is missing from { $segment } (the next one on disk is { $next })
daemon-problem-audit-segment-damaged-after = segment { $segment } is damaged after event { $after }
daemon-problem-audit-log-ends-before-event = the event is missing: the log ends before it
daemon-problem-audit-event-missing = the event is missing (the next one on disk is { $next })
daemon-problem-audit-previous-missing = the event before it is missing
daemon-problem-audit-hash-mismatch = the event does not follow the one before it (hash mismatch)
daemon-problem-audit-event-foreign = the event does not open under this vault's audit key (changed or foreign)
daemon-problem-audit-event-malformed = the event is malformed
daemon-problem-audit-event-other-seq = the event holds another sequence number than its frame
daemon-problem-audit-head-invalid = the signed head there is not valid under this vault's audit key
daemon-problem-audit-head-mismatch = the signed head does not match the event it follows
daemon-problem-audit-ends-before-head = the log ends before its signed head
daemon-problem-audit-change-too-short = a change frame is too short
daemon-problem-audit-change-chunk-missing = a chunk of the change is missing or out of order
daemon-problem-audit-change-foreign = the change does not open under this vault's audit key (changed or foreign)
daemon-problem-audit-change-malformed = the change is malformed
daemon-problem-audit-ends-in-change = the log ends in the middle of a change
daemon-problem-audit-change-out-of-order = the change does not follow the one before it (it follows change { $follows }, the last one read is { $last })
policy-refused = password policy: { $problem }

## The password generator's policy (coffre-crypto's PolicyError), for `coffre generate` and the daemon

policy-length = a generated password is { $min } to { $max } characters long, not { $length }
policy-no-class = choose at least one character class (lower, upper, digits, symbols)
policy-more-classes-than-characters = more character classes than characters
policy-words = a generated passphrase has { $min } to { $max } words, not { $count }
policy-separator-length = the separator is 1 to { $max } characters long
policy-separator-characters = the separator may not hold a letter or a control character
policy-alphabet = alphabet size out of range


## coffred's own refusals, before the engine (crates/server/src/refusals.rs): `daemon-<code>`

daemon-request-required = { $what } is required
daemon-request-unknown-value = unknown { $what } { $value }
daemon-request-before-1970 = { $what } must not be before 1970
daemon-request-expiry-before-1970 = invalid expiry: before 1970
daemon-request-passphrase-length = passphrase must be between { $min } and { $max } bytes long
daemon-request-given-without-replace = { $field } given without replace_{ $field }
daemon-request-no-older-version = a staged password has no older version: give pending or version
daemon-request-threshold-too-large = invalid threshold: { $threshold } is far too large
daemon-request-holder-without-key = invalid holder: { $holder } has neither an age key nor a passphrase
daemon-request-new-password-required = new_password is required: a password, or generate
daemon-request-undecodable = invalid request: { $detail }
daemon-request-too-large = request too large: { $detail }
daemon-authorization-too-long = authorization metadata too long: it holds a session token of 43 characters, log in again
daemon-authorization-malformed = malformed authorization metadata: expected `Bearer <token>`

## How the client explains the daemon's answers

daemon-refused = the daemon refused the request ({ $code })
hint-login-again = : run `coffre login { $name }`
hint-versions-differ = : the daemon does not know this request; are coffre and coffred the same version?

## coffred's start-up and restore lines

coffred-test-clock = coffred: WARNING: the time comes from the test clock file { $path } ({ $var }); never use this outside tests
coffred-data-dir = coffred: data directory { $path }
coffred-ca = coffred: CA certificate { $path }, SHA-256 fingerprint { $fingerprint }
coffred-listening = coffred: listening on { $url }
coffred-failed = coffred: { $message }
coffred-failed-because = { $what }: { $why }
coffred-standing-by = coffred: standing by: { $place } is held by another coffred. This one does not listen until that one stops; it then takes the vault over, sealed, as after any start
coffred-standby-waiting = coffred: standing by: the vault's database does not answer ({ $detail }). Trying again every second, until it answers
coffred-arm-not-standby = --arm is for a standby coffred (--standby, COFFRE_STANDBY or [storage] standby = true, on PostgreSQL): a coffred that serves at once is unsealed by an owner after it starts (`coffre unseal`, or the web page)
coffred-arm-refused = nothing armed: { $why }. Start the standby again with the passphrase of the president or the leader
coffred-armed = coffred: armed: the passphrase opens the vault. When this coffred takes the vault over, it unseals it with it, unless an owner has sealed the vault on purpose
coffred-armed-unsealed = coffred: took the vault over and unsealed it with the passphrase given at start
coffred-armed-left-sealed = coffred: took the vault over; it stays sealed, because an owner sealed it on purpose. An owner unseals it when it should serve again (`coffre unseal`, or the web page)
coffred-armed-unseal-failed = coffred: took the vault over, but the passphrase given at start did not unseal it: { $why }. An owner unseals it (`coffre unseal`, or the web page)
coffred-standby-copy-lost = coffred: the vault's database lost transactions it had committed: its copy of the audit log ends at event { $ends }, but while this coffred stood by it saw it reach event { $saw } (was a database standby that was behind promoted?). This coffred does not take the vault over, so that no acknowledged change or reveal is lost without anybody knowing. If the coffred that served before can start on its own data directory, start it: its audit log gives the database what it lost. Otherwise promote the database server that has every transaction. If those events are lost for good and the vault must serve without them, remove { $file } and start this coffred again

coffred-kdf-settings = the [kdf] settings are refused
coffred-cannot-open = cannot open the vault in { $path }
coffred-cannot-set-up-tls = cannot set up TLS
coffred-cannot-listen = cannot listen on { $address }
coffred-cannot-listen-relay = cannot listen for relayed connections on { $address } ([relay] listen)
coffred-taken-over-stopped = another coffred took over the vault's store ({ $place }) while this one served it; this one stopped. Its data directory's log may end with a group commit the database never took (never acknowledged): to make this machine a standby, move its audit/ directory aside (keep tls/) and start coffred with [storage] standby = true (docs/ha.md, "A standby coffred")
# coffred's configuration refusals (config.rs, ConfigError): what is wrong, and what to write instead.
config-read = cannot read { $path }: { $why }
config-parse = configuration file { $path }: { $message }
config-tls-certificate-without-key = a TLS certificate and its key go together: the certificate is set but the key is not
config-tls-key-without-certificate = a TLS certificate and its key go together: the key is set but the certificate is not
config-zero = { $key } must be greater than zero
config-backup-without-dir = [backup] { $key } is set but [backup] dir is not: say where the backups go
config-out-of-range = { $key } = { $value } is out of range: it must be between { $min } and { $max }
config-postgres-settings-on-sled = [storage] schema, password_file, ca_file and retry_seconds are for PostgreSQL: set backend = "postgres" and url, or remove them
config-standby-on-sled = a standby coffred (--standby, COFFRE_STANDBY or [storage] standby) takes over a PostgreSQL schema when the coffred holding it stops; sled's store is in this data directory and has no other coffred to take over from: set backend = "postgres" and url, or remove standby
config-address-on-sled = a database address is given (--storage-url, COFFRE_STORAGE_URL or [storage] url) but [storage] backend is "sled": remove one of them
config-postgres-without-address = [storage] backend = "postgres" needs the database's address: [storage] url, --storage-url or COFFRE_STORAGE_URL (postgresql://USER@HOST:PORT/DB)
config-database = the database settings are refused: { $detail }
config-empty-password-file = { $path } is empty: its first line must be the database role's password
config-relay-without-listen = [relay] advertise and from go with [relay] listen, the port where this coffred takes its standbys' relayed connections: set listen, or remove them
config-relay-on-sled = [relay] is for coffreds sharing a PostgreSQL schema (a serving one and its standbys); sled's store is in this data directory and has no other coffred: set [storage] backend = "postgres" and url, or remove [relay]
config-relay-from-nobody = [relay] from is empty: list the standbys' addresses (from = ["10.0.0.2"]); a relayed connection names its client, so it is taken only from them
config-relay-without-port = [relay] listen ({ $listen }) has no port: give it a fixed one, which the standbys are told in the database
config-relay-on-clients-address = [relay] listen ({ $listen }) is the clients' address too: give the relayed connections a port of their own
config-relay-everywhere = [relay] listen ({ $listen }) is every address of this machine: say in [relay] advertise the one its standbys reach it at (advertise = "10.0.0.1:{ $port }")
config-relay-advertise = [relay] advertise = { $advertise } is not HOST:PORT: write it like "10.0.0.1:7444" or "coffre-a.example.org:7444"
salvage-done = coffred: salvaged vault { $vault } into { $path }: everything up to audit event { $event } is there ({ $records } records); { $bytes } bytes from the damage on are kept aside, unread, in { $path }/audit/*.salvaged-rest. What happened after event { $event } is not in the new vault: compare with your last backup and export
migrate-no-target = coffred migrate moves the vault's records into PostgreSQL: name the database first ([storage] backend = "postgres" and url in the configuration file, or --storage-url)
migrate-failed = the vault in { $path } could not be moved into PostgreSQL; its sled store was not changed
migrate-done = coffred: moved vault { $vault } into { $place }: { $records } records copied, read back and checked against the audit log ({ $events } events)
migrate-next = coffred: next, start coffred with the same configuration and unseal it. sled's old store is kept as { $moved }: delete it once a backup has been taken (`coffre backup create`)
restore-moved = coffred: its records are in { $place } ({ $records } records, read back and compared); the first unseal checks them against the audit log
restore-not-moved = the backup was restored onto sled in { $path }, but its records could not be moved into PostgreSQL: once the database is reachable, run `coffred migrate` (it needs an owner's passphrase), or empty the schema and restore again into a new directory
rebuild-prompt = Passphrase of the president or the leader:
rebuild-failed = the store could not be rebuilt into { $path }; the original data directory was not changed
rebuild-done = coffred: rebuilt vault { $vault } into { $path } from its audit log alone: { $changes } changes replayed and checked, { $records } records, { $events } audit events verified
rebuild-next = coffred: next, stop coffred on { $old } and keep that directory as it is; start coffred on { $path } and unseal it. Once everything is there, take a backup (`coffre backup create`)
restore-done = coffred: restored vault { $vault } into { $path }
restore-taken = coffred: the backup was taken at { $time } UTC; { $records } records and { $events } audit events are back
restore-shares-of-set = the holders' shares of share set { $set }, the set current when the backup was taken (a later rekey's shares do not open it)
restore-shares = the holders' shares
restore-next = coffred: next, start coffred on { $path } and unseal with an owner's passphrase (`coffre unseal`) or with { $shares } (`coffre recover --share FILE`)
restore-cannot-read-backup = cannot read the backup { $path } ({ $reason }): check its name and that coffred's user may read it; nothing was changed
restore-cannot-read-identity = cannot read the identity file { $path } ({ $reason }): check its name and that coffred's user may read it; nothing was changed
restore-bad-identity = { $path }: { $problem }; nothing was changed
restore-refused-decrypt = cannot decrypt the backup: { $problem }; nothing was changed
restore-refused-damaged = the backup is damaged: { $problem }; nothing was changed: restore an older backup
restore-refused-other-vault = { $dir } holds vault { $existing }, and this backup is of vault { $backup }: restore into a new, empty directory; nothing was changed
restore-refused-not-empty = { $dir } is not empty: restore into a new, empty directory (nothing was changed)
restore-refused-io = cannot restore into { $dir }: { $step }: { $reason }; nothing was changed: check the disk's free space and coffred's rights on that directory, then restore again
restore-refused-check = the restored vault does not open ({ $problem }); nothing was changed: restore an older backup
restore-damage-not-a-backup = it is not a coffre backup (wrong magic bytes)
restore-damage-unknown-format = it has format { $format }, which this coffred does not know: restore it with the coffred that made it, or newer
restore-damage-digest = it is truncated or altered (its digest does not match)
restore-damage-malformed = its content is malformed
restore-damage-no-header = it holds no seal header
restore-damage-bad-header = its seal header is malformed
restore-damage-header-of-other-vault = its seal header belongs to another vault than the backup
restore-damage-segments-out-of-order = its audit segments are out of order
restore-damage-reads-back-other-vault = the restored vault reads back with another id
restore-damage-log-short = its audit log ends at event { $events }, before event { $expected }, the backup's own: it was cut
restore-step-read-target = read the target directory
restore-step-remove-empty-target = remove the empty target directory
restore-step-move-into-place = move the restored vault into place
restore-step-sync-directory = sync a directory
restore-step-create-directory = create a private directory
restore-step-create-segment = create an audit segment
restore-step-write-segment = write an audit segment
restore-step-write-marker = write the restore marker
age-problem-bad-recipient = { $value } is not an age public key: it starts with age1 and is 62 characters long (see `age-keygen -y`)
age-problem-no-identity = the identity file holds no age secret key (a line starting with AGE-SECRET-KEY-1)
age-problem-bad-identity = line { $line } of the identity file is not an age secret key
age-problem-not-age-file = this is not an age-encrypted file, or its beginning is damaged
age-problem-no-matching-key = this file is not encrypted to the given identity: use the key file of the person it was made for
age-problem-wrong-passphrase = wrong passphrase for this file
age-problem-needs-passphrase = this file is encrypted to a passphrase: give the passphrase instead of a key file
age-problem-needs-identity = this file is encrypted to a key: give the key file (--identity) instead of a passphrase
age-problem-damaged = the file is damaged or truncated
age-problem-too-large = the decrypted content is larger than { $max } bytes: this is not the expected file
age-problem-excessive-work = the file asks for too much passphrase-derivation work to be trusted
age-problem-encrypt = age encryption failed: { $detail }

## Secrets typed, read from a file or standard input

secret-noun = { $noun ->
    [password] password
    [keepass-password] KeePass password
   *[passphrase] passphrase
}
file-cannot-read = cannot read { $path } ({ $reason })
secret-file-too-large = { $path } is larger than { $kib } KiB: is it the right file?
stdin-cannot-read = cannot read standard input: { $reason }
stdin-too-large = standard input holds more than { $kib } KiB: give only the secret
secret-again-prompt = Type it again:{" "}
secret-typed-differ = the two { $noun ->
    [password] passwords
    [keepass-password] KeePass passwords
   *[passphrase] passphrases
} you typed differ: nothing was sent; run the command again
secret-cannot-read-terminal = cannot read the { secret-noun } from the terminal: { $reason }
secret-no-terminal = { $stdin ->
    [none] no terminal to type the { secret-noun } on: use { $file }
   *[other] no terminal to type the { secret-noun } on: use { $file } or { $stdin }
}
secret-empty = the { secret-noun } is empty: nothing was sent
secret-too-short = the { secret-noun } is too short: use at least { $min } characters (a few unrelated words are easy to remember)
secret-too-long = the { secret-noun } is too long: at most { $max } bytes
keepass-password-prompt = Password of { $file }:{" "}

## Reaching the daemon

server-address-invalid = invalid server address { $server }
tls-cannot-set-up = cannot set up TLS with the CA certificate
tls-not-that-ca = the certificate of { $server } does not chain to that CA: is it really coffred? Nothing was saved
tls-wrong-name = the daemon's certificate is not valid for { $host }: use the address it was set up for (e.g. localhost)
tls-not-pinned-ca = the daemon's certificate does not match the pinned CA: if the daemon was reinstalled, run `coffre connect` again
tls-not-tls = { $server } did not answer with TLS: check the address and port (--server / COFFRE_SERVER)
tls-handshake-failed = the TLS handshake with { $server } failed: check the address (--server / COFFRE_SERVER)
daemon-timed-out = the daemon at { $server } did not answer within { $seconds } s: is coffred running? (check --server / COFFRE_SERVER)
host-not-found = cannot find the host { $host }: check the address (--server / COFFRE_SERVER)
daemon-unreachable = cannot reach the daemon at { $server }: is coffred running? (check --server / COFFRE_SERVER)
session-damaged = the saved session is damaged: run `coffre login NAME` again

## Session file, files and standard output

session-file-cannot-read = cannot read the session file { $path } ({ $reason })
session-file-damaged = the session file { $path } is damaged: delete it and run `coffre login NAME` again
session-file-cannot-save = cannot save the session in { $path } ({ $reason })
session-file-cannot-delete = cannot delete the session file { $path } ({ $reason })
session-file-shared = the session file { $path } can be read by other users (mode { $mode }): delete it and run `coffre login NAME` again
io-not-found = no such file
io-permission-denied = permission denied
io-is-a-directory = it is a directory
stdout-cannot-write = cannot write to standard output: { $reason }

## Approvals

approval-reason-empty = --reason is empty: say why you need the secret; the owners read it
approval-requested = Asked to reveal { $platform } (request { $id }). The president or the leader sees it with `coffre approval list` and approves it with `coffre approval approve { $short }`; then reveal it once with `coffre reveal { $platform } --reason TEXT`. The request waits until { $until }.
approval-none = No request for approval.
approval-state = { $state ->
    [pending] pending
    [approved] approved
    [denied] denied
    [used] used
    [expired] expired
   *[other] { $state }
}
approval-approved = Approved: { $requester } may reveal { $platform } once, until { $until }.
approval-denied = Denied: { $requester } may not reveal { $platform }.

## Backups

file-exists-already = { $path } exists already: choose a new file name (nothing was done)
file-cannot-write = cannot write { $path } ({ $reason })
file-cannot-create = cannot create { $path } ({ $reason })
backup-partial-exists = { $path } is there already: a backup that was interrupted left it, or someone put it there. It is never a whole backup: look at it, delete it, and run the command again (nothing was done)
backup-incomplete = the backup arrived incomplete: nothing was saved; try again
backup-written =
    Backup of vault { $vault } written to { $file } ({ $size } bytes, taken { $time }): { $records } records, { $events } audit events.
    It opens with the age key of any of its { $recipients ->
    [one] { $recipients } recipient
   *[other] { $recipients } recipients
} (the recovery holders with a key). Keep it on another machine or medium; restore it with `coffred restore --from FILE --identity KEYFILE --data-dir NEW_DIR`.
    Once restored, it unseals with an owner's passphrase of today, or with the shares of share set { $set } (issued { $issued }); a later rekey does not change that, so keep those share files as long as this backup.

## The audit log: its codes, shown to people

audit-action = { $key ->
    [init] init
    [unseal] unseal
    [seal] seal
    [login] login
    [logout] logout
    [enroll] enroll
    [passwd] passwd
    [whoami] whoami
    [entry-create] entry.create
    [entry-update] entry.update
    [entry-read] entry.read
    [entry-history] entry.history
    [entry-flag] entry.flag
    [reveal] reveal
    [rekey] rekey
    [backup] backup
    [person-add] person.add
    [person-list] person.list
    [person-offboard] person.offboard
    [enrolment-reset] enrolment.reset
    [grant-add] grant.add
    [grant-list] grant.list
    [grant-revoke] grant.revoke
    [audit-list] audit.list
    [audit-export] audit.export
    [rotation-stage] rotation.stage
    [rotation-confirm] rotation.confirm
    [rotation-cancel] rotation.cancel
    [rotation-due] rotation.due
    [approval-request] approval.request
    [approval-list] approval.list
    [approval-decide] approval.decide
    [registry-export] registry.export
    [recovery-share] recovery.share
    [recovery-complete] recovery.complete
    [recovery-expire] recovery.expire
    [recovery-passphrase] recovery.passphrase
    [entry-archive] entry.archive
    [approval-approve] approval.approve
    [approval-deny] approval.deny
    [approval-use] approval.use
    [grant-expire] grant.expire
    [session-end] session.end
    [shares-issue] shares.issue
    [recovery-read] recovery.read
    [restore] restore
    [names-normalise] names.normalise
    [store-baseline] store.baseline
   *[other] { $action }
}
audit-outcome = { $outcome ->
    [success] success
    [denied] denied
    [failure] failure
   *[other] { $outcome }
}
audit-not-a-date = { $flag } { $text } is not a date (2026-11-24) or a time (2026-11-24T09:30:00Z)
audit-more-events = More events: add --after { $next }
audit-none = No audit event matches.
file-exists-force = { $path } exists already: choose another file or add --force to replace it
audit-no-public-key = the daemon did not give its public audit key: is it older than this client?
audit-cannot-move = cannot move the export to { $path } ({ $reason })
audit-exported =
    Exported { $events ->
    [one] { $events } audit event
   *[other] { $events } audit events
} to { $file } (it names people and platforms: keep it private).
    Anyone can check it offline:
      coffre audit verify { $file } --key { $key }
audit-does-not-verify = { $path } does not verify: { $reason }
audit-does-not-verify-at = { $path } does not verify (first bad event: { $seq }): { $reason }
audit-key-invalid = --key: { $reason }; copy the key `coffre status` shows (ed25519: and 64 hex digits)
audit-valid =
    Valid: { $events } events of vault { $vault }, from { $first } to { $last }.
    Head signature valid under { $key }: nothing was edited, deleted, inserted, reordered or cut off.
    Head: event { $seq }, hash { $hash }

## Recovery

recover-no-new-passphrase = { $message }; the vault is unsealed, but no new passphrase was set: recover again with the shares to set one
recover-complete =
    Share { $number } of { $holder } accepted: { $submitted } of { $threshold } shares, the recovery is complete.
    The vault { $opened ->
        [now] is unsealed
       *[already] was already unsealed
    }, and the new passphrase of { $owner } is set (the old one no longer works).
    Next: `coffre login { $owner }`; then issue a new share set with `coffre recovery rekey`, since these shares have been used.
recover-accepted =
    Share { $number } of { $holder } accepted: { $submitted } of { $threshold } shares are in.
    The recovery waits for { $missing ->
    [one] { $missing } more share
   *[other] { $missing } more shares
} until { $until }: the next holder runs `coffre recover --share FILE`.
share-file-too-large = { $path } is too large to be a share file
share-passphrase-prompt = Passphrase of your share:{" "}
share-needs-identity = this share is locked with an age key: give your key file with --identity KEYFILE
identity-not-text = { $path } is not an age identity file (not text)
recover-new-passphrase-prompt = New passphrase for { $owner } (at least 12 characters):{" "}
recover-new-passphrase-prompt-president = New passphrase for the president (at least 12 characters):{" "}
recovery-no-share-set = No recovery share set: an owner issues one with `coffre recovery rekey --holder ...`.
recovery-share-set = Share set { $set }: any { $threshold } of { $shares } holders can recover the vault.
recovery-in-progress = A recovery is in progress: { $submitted } of { $threshold } shares are in, until { $until }.
recovery-none-in-progress = No recovery is in progress.
rekey-no-shares = the daemon issued no share files
rekey-done = The previous share set no longer opens this vault. Backups taken before now still open only with it (or with an owner's passphrase of their time): keep the old share files as long as those backups, or take a new backup now (`coffre backup create`); each backup says which share set it needs.
keygen-done =
    { $key }
    That is your public key: give it to whoever issues the shares (--holder NAME={ $key }).
    Your secret key is in { $file }: keep it offline and private; you need it to recover the vault and to open backups.

## Recovery holders and share files

shares-no-holders = name the recovery holders: --holder LABEL=age1... (or --passphrase-holder LABEL), at least two
shares-dir-missing = --shares-dir DIR is required: the share files are written there, one per holder
shares-holder-syntax = --holder { $value }: write it LABEL=age1..., e.g. president=age1qyz...
shares-holder-same-key = --holder { $label }: the same age key as { $other }: each holder needs their own key, or one person could recover alone with several shares
shares-holder-passphrase-prompt = Passphrase that { $label } chooses for their share (at least 12 characters):{" "}
shares-dir-cannot-write = cannot write share files in { $path } ({ $reason }): nothing was sent
shares-file-cannot-write = the share set was issued, but { $path } could not be written ({ $reason }): free the problem, then issue a new set with `coffre recovery rekey`

## Addresses, the CA and the saved configuration

address-not-tls = coffre only speaks TLS: use https:// instead of { $scheme }:// in { $input }
address-unsupported = unsupported address { $input }: use https://HOST:PORT (not { $scheme }://)
address-invalid = invalid server address { $input }: use https://HOST:PORT
no-server = no server configured: run `coffre connect ADDRESS` or set COFFRE_SERVER and COFFRE_CA
no-ca = no CA certificate to check { $server } with: pass --ca FILE (or set COFFRE_CA), or run `coffre connect { $server }` to pin it
ca-check-flag = check --ca / COFFRE_CA
ca-connect-again = run `coffre connect ADDRESS` again
ca-cannot-read = cannot read the CA certificate { $path } ({ $reason }): { $next }
ca-no-pem = { $path } holds no PEM certificate (-----BEGIN CERTIFICATE-----): give coffred's ca.pem ({ $next })
config-invalid = { $path } is not a valid coffre configuration ({ $reason }): run `coffre connect ADDRESS` again
config-cannot-encode = cannot encode the configuration: { $reason }
config-server-invalid = { $message }; run `coffre connect ADDRESS` again

## Register, generator

registry-written = Wrote the register of { $entries ->
    [one] { $entries } account
   *[other] { $entries } accounts
} to { $file }.
registry-holds-contacts = It holds recovery contacts (people's phone numbers and addresses): share it only with those who need them.
csv-cannot-write = cannot write the CSV: { $reason }
csv-not-utf8 = the CSV is not UTF-8
number-too-large = the number is too large
generate-entropy = ({ $bits } bits of entropy)
ca-file-no-pem = the CA file holds no PEM certificate
qr-cannot-draw = cannot draw the QR code: { $reason }
qr-cannot-write = cannot write the QR code to { $path }: { $reason }

## coffre import: the formats' refusals (import/input.rs, csv.rs and each format's parser)

import-file-too-large = { $path } is larger than { $mib } MiB, the most `coffre import` reads: is it the right file? Split a larger export into several files
import-too-many = { $path } holds more than { $max } entries, more than one import takes: split it into several files; nothing was imported
import-not-utf8 = { $path } is not UTF-8 text (the first invalid byte is on line { $line }): save or export it again as UTF-8 (in LibreOffice or Excel: "CSV UTF-8"); nothing was imported
import-not-bitwarden-csv = { $path } is not a Bitwarden CSV export: it has no "{ $column }" column (for a spreadsheet, use --format csv)
import-not-keepassxc-csv = { $path } is not a KeePassXC CSV export: it has no "{ $column }" column (for a spreadsheet, use --format csv)
import-not-bitwarden-json = { $path } is not a Bitwarden JSON export (line { $line }, column { $column }): export again with File > Export vault > .json
import-bitwarden-encrypted = { $path } is an encrypted Bitwarden export: export again choosing the format "JSON", not "JSON (Encrypted)"
import-keepass-key-file = cannot read the key file ({ $reason })
import-keepass-wrong-key = wrong password or key file for { $path }: nothing was imported (the key file, if the database has one, goes with --key-file)
import-keepass-needs-key = a KeePass database needs its password (--password-file or the prompt) or --key-file
import-keepass-version = { $path } is not a KeePass database coffre can read (KDBX 3.1 or 4): save it again with KeePassXC
import-keepass-cannot-open = cannot open { $path } as a KeePass database: { $reason }
import-keepass-kdf-memory = { $path } asks for { $mib } MiB of memory to derive its key, more than the { $max } MiB coffre gives a KeePass database: nothing was imported. If it is your database, lower its key derivation's memory in KeePass or KeePassXC (Database settings, Security) and save it again
import-keepass-kdf-rounds = { $path } asks for { $rounds } rounds of key derivation, more than the { $max } coffre runs for a KeePass database (it would take too long): nothing was imported. If it is your database, lower its transform rounds in KeePass or KeePassXC (Database settings, Security) and save it again
import-keepass-kdf-threads = { $path } asks for { $threads } threads to derive its key, more than the { $max } coffre starts for a KeePass database: nothing was imported. If it is your database, lower its key derivation's parallelism in KeePass or KeePassXC (Database settings, Security) and save it again
import-not-1pux = { $path } is not a 1Password export (.1pux): { $reason }
import-1pux-not-zip = not a zip ({ $reason })
import-1pux-too-many-files = { $path } holds { $files } files; a 1Password export coffre reads holds at most { $max }
import-1pux-too-large = { $path } would unpack to more than the { $mib } MiB coffre reads (a zip bomb?): nothing was imported
import-1pux-no-export-data = it has no export.data
import-1pux-cannot-unpack = cannot unpack export.data ({ $reason })
import-1pux-bad-data = { $path }: export.data is not 1Password's export format (line { $line }, column { $column })
import-not-a-pass-store = { $path } is not a pass store (it has no .gpg-id): give the store's directory, usually ~/.password-store
import-cannot-list = cannot list { $path } ({ $reason })
import-pass-too-many = { $path } holds more than { $max } entries: import it by parts
import-map-not-a-pair = --map: "{ $pair }" is not FIELD=COLUMN
import-map-not-a-field = --map: "{ $field }" is not a field (platform, login, password, url, notes, totp, category, tags)
import-map-no-column = --map: { $path } has no column "{ $column }"; its columns are: { $columns }
import-column-unknown = cannot tell which column of { $path } holds the { $field }; its columns are: { $columns }. Name it with --map, e.g. --map "platform=Site,login=Utilisateur,password=Mot de passe"
import-no-header = { $path } has no header row: its first line must name the columns
import-csv-unequal = { $path } line { $line } has { $cells } cells where the header has { $header } (a quote that never closes, or a separator inside an unquoted cell?): fix the file and import it again; nothing was imported
import-csv-unreadable = { $path } line { $line } cannot be read as CSV: fix the file and import it again; nothing was imported
import-category-map-not-a-pair = --category-map: "{ $pair }" is not FOLDER=CATEGORY
import-category-map-not-a-category = --category-map: "{ $category }" is not a category (social-network, data-bank, creation, meeting, software, financial, other)

## coffre import: where an item is, and what the plan says about it (import/note.rs). `--json` keeps the English
## text beside a stable code.

import-origin-line = line { $line }
import-origin-item = item { $n }
import-origin-root-group = root group
import-note-secure-note = a secure note: coffre keeps accounts (keep the note elsewhere, or in an entry's notes)
import-note-card = a card: coffre keeps the organisation's accounts, not payment cards
import-note-identity = an identity: coffre keeps accounts, not personal identities
import-note-document = a document: coffre keeps accounts, not files
import-note-ssh-key = an SSH key: coffre keeps accounts' passwords
import-note-unknown-kind = an item of a type this version of coffre does not know
import-note-unknown-category = a 1Password category other than Login and Password: not imported
import-note-other-type = an item of type "{ $kind }": coffre imports logins only
import-note-archived = archived in 1Password
import-note-recycle-bin = in the recycle bin
import-note-keepass-reference = its password, user name or URL is a KeePass field reference (REF:…) to an entry that is not in the file, or not by its UUID: copy the value itself into the entry in KeePass
import-note-pass-cannot-run = cannot run `{ $program } show` ({ $reason })
import-note-pass-cannot-read = cannot read `pass show` ({ $detail })
import-note-pass-unfinished = `pass show` did not finish ({ $detail })
import-note-pass-failed = `pass show` failed (exit { $exit }): is your GPG key available and its agent unlocked?
import-note-pass-stopped = `pass show` was stopped by a signal before it finished (run the import again)
import-note-pass-too-long = longer than { $kib } KiB
import-note-pass-not-text = not UTF-8 text
import-note-no-password = no password: the vault keeps accounts with a password (add it in the source, or add the entry with `coffre entry add`)
import-note-password-line-break = the password contains a line break (in a CSV, a quote that never closes?)
import-note-password-too-long = the password is { $bytes } bytes long; the vault keeps at most { $max }
import-note-login-too-long = the login is { $chars } characters long; the vault keeps at most { $max }
import-note-login-control = the login contains control characters (a line break?)
import-note-url-too-long = the URL is { $chars } characters long; the vault keeps at most { $max }
import-note-url-control = the URL contains control characters (a line break?)
import-note-notes-too-long = the notes are { $bytes } bytes long; the vault keeps at most { $max }: shorten them in the source
import-note-no-name = no name and no URL to name the platform after
import-note-totp-left-out = TOTP left out: { $why }
import-note-named-after-host = no name: named after its URL's host, { $host }
import-note-name-cut = name cut to { $max } characters (the vault's limit)
import-note-tag-left-out = tag "{ $tag }" left out: longer than { $max } characters
import-note-tags-left-out = tags after the first { $max } left out (the vault's limit)
import-note-older-passwords-too-long = older passwords over { $max } bytes left out
import-note-history-cut = only the { $max } most recent older passwords kept
import-note-same-account = the same account as { $first } (same name, login, URL and password)
import-note-renamed = renamed: { $clashes }
import-note-may-not-reveal = "{ $platform }" is in the vault with the same login and URL, and you may not reveal its password to compare: left as it is
import-note-identical = already in the vault with the same login, URL and password
import-note-resumed = in the vault with an older password of the file: { $later ->
    [one] its { $later } later password is added
   *[other] its { $later } later passwords are added
} as new versions
import-note-other-password = "{ $platform }" is in the vault with the same login and URL but another password: left as it is (if the file is newer, change it with `coffre entry edit { $platform } --new-password`)
import-note-refused = not done: { $message }
import-stopped = the import stopped: { $reason } (run the same import again to finish it)
import-totp-not-time-based = an otpauth://{ $kind } value is not a time-based code (only TOTP is kept)
import-totp-algorithm = the code uses { $value }; the vault computes SHA-1 codes only (RFC 6238)
import-totp-digits = the code has { $value } digits; the vault computes 6-digit codes
import-totp-period = the code changes every { $value } s; the vault computes 30-second codes
import-totp-no-secret = the otpauth URI has no secret
import-totp-not-a-uri = not an otpauth://totp/ URI nor base32 (e.g. a Steam code)
import-totp-not-a-seed = not a key an authenticator app accepts (16 to 103 base32 characters: letters A-Z and digits 2-7)
import-clash-taken = "{ $name }" is { $origin } of the file
import-clash-other-account = "{ $name }" is another account in the vault (another login or URL)
import-action = { $action ->
    [create] create
    [create-renamed] create-renamed
    [resume] resume
    [skip-identical] skip-identical
    [failed] failed
   *[skip] skip
}
import-versions = , { $count } versions

## coffre import

import-map-csv-only = --map is for --format csv; the other formats name their own columns
import-keepass-only = --password-file and --key-file are for --format keepass
import-some-failed = some entries were not created (see above); fix them and import again: what is already there is skipped
import-empty = { $path } holds no entries: nothing to import
import-keepass-password-not-text = the KeePass password is not UTF-8 text
# The columns guessed from a spreadsheet's header, named by their --map keys (what people type to correct a guess).
import-columns = Columns: { $columns }
import-column = { $field } <- "{ $header }"
import-preview-heading = First rows:
import-preview-row = { $origin }: platform "{ $platform }", login "{ $login }", password { $password ->
    [empty] empty
   *[set] set
}
import-dry-run = Dry run: nothing was created. { $create } would be created ({ $renamed } renamed), { $resume } completed with older versions, { $identical } already in the vault, { $skipped } skipped.
import-done = Imported { $created ->
    [one] { $created } entry
   *[other] { $created } entries
} ({ $versions ->
    [one] { $versions } version
   *[other] { $versions } versions
}) in { $seconds } s; { $resumed } completed, { $identical } already in the vault, { $skipped } skipped, { $failed } failed.
import-delete-the-file = { $file } holds every password in clear. Now that they are in the vault, delete it (e.g. `shred -u { $file }`), empty the trash, and delete any other copy (downloads folder, e-mail, backups).

## clap's usage errors (usage.rs), for a reader of another language; English readers get clap's own text, which
## these English lines repeat.
usage-argument-repeated = the argument '{ $arg }' cannot be used multiple times
usage-argument-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
usage-argument-conflicts = the argument '{ $arg }' cannot be used with:
usage-argument-conflict-others = the argument '{ $arg }' cannot be used with one or more of the other specified arguments
usage-no-equals = equal sign is needed when assigning values to '{ $arg }'
usage-value-missing = a value is required for '{ $arg }' but none was supplied
usage-value-invalid = invalid value '{ $value }' for '{ $arg }'
usage-unknown-subcommand = unrecognized subcommand '{ $command }'
usage-missing-arguments = the following required arguments were not provided:
usage-missing-subcommand = '{ $command }' requires a subcommand but one was not provided
usage-subcommands = [subcommands: { $values }]
usage-too-many-values = unexpected value '{ $value }' for '{ $arg }' found; no more were expected
usage-too-few-values = { $min } values required by '{ $arg }'; only { $actual } { $actual ->
    [one] was
   *[other] were
} provided
usage-wrong-number-of-values = { $expected } values required for '{ $arg }' but { $actual } { $actual ->
    [one] was
   *[other] were
} provided
usage-value-rejected = invalid value '{ $value }' for '{ $arg }': { $reason }
usage-unknown-argument = unexpected argument '{ $arg }' found
usage-invalid-utf8 = invalid UTF-8 was detected in one or more arguments
usage-did-you-mean = tip: { $count ->
    [one] a similar { $what } exists
   *[other] some similar { $what }s exist
}: { $suggestions }
usage-quoted = '{ $name }'
usage-more-information = For more information, try '{ $help }'.

## `--help` and the manual page (help.rs): `help-cmd-<path>`, `help-arg-<path>-<id>`. The English is the doc
## comments' own (a test checks it); only other languages are read at run time.

help-cmd-connect = Pin the daemon's certificate and remember its address (once per computer)
help-cmd-status = Show the vault's state and your session (needs no login)
help-cmd-init = Create the vault, once, with its president (and optionally its leader)
help-cmd-enroll = Set your passphrase and second factor with the one-time enrolment code you were given
help-cmd-login = Log in with your passphrase and your authenticator app's code
help-cmd-logout = End your session
help-cmd-unseal = Open the sealed vault with an owner's passphrase
help-cmd-seal = Close the vault: the daemon forgets every key and every session ends
help-cmd-entry = Add, list, show, edit and archive entries (one account on one platform each)
help-cmd-reveal = Show a secret of an entry; recorded in the audit log with your reason
help-cmd-passwd = Change your passphrase (owners: also the one that unseals)
help-cmd-person = Add, list, offboard people, or reset their enrolment
help-cmd-grant = Give, list and revoke access to entries, for a task and a limited time
help-cmd-audit = Read, export and verify the audit log
help-cmd-recover = Give your recovery share; once enough holders have, the vault opens
help-cmd-recovery = Recovery shares: progress (status), a new share set (rekey), a holder's age key (keygen)
help-cmd-backup = Take a backup of the vault
help-cmd-rotate = Change a password in two steps: stage a new one, then confirm it (or cancel)
help-cmd-rotation = Which passwords should change, why and since when
help-cmd-generate = Make a strong password or passphrase on this computer (no daemon needed)
help-cmd-approval = Ask for, list, approve or deny the one-time reveal of a very confidential entry
help-cmd-guide = Print a guide in your language: `coffre guide recovery` for the recovery holders (print it)
help-cmd-import = Bring in the accounts of a spreadsheet, Bitwarden, KeePass, 1Password or pass (--dry-run first)
help-cmd-registry = The register of official accounts, without secrets: export it as CSV, JSON or HTML
help-cmd-completions = Print the shell completion script for bash, zsh, fish, elvish or powershell
help-cmd-man = Print the manual page (roff): `coffre man > coffre.1`
help-cmd-grant-add = Give a person access to one entry or one category, for a task, until a date
help-cmd-grant-list = List the grants you may see
help-cmd-grant-revoke = End a grant now
help-arg-grant-add-person = Who gets access
help-arg-grant-add-entry = One entry, by its platform name
help-arg-grant-add-category = Every entry of a category
help-arg-grant-add-until = The last day of access (YYYY-MM-DD, through the end of that day UTC), or an RFC 3339 time
help-arg-grant-add-duration = How long from now, e.g. 14d, 12h, 2w (at most the daemon's maximum, 90 days by default)
help-arg-grant-add-task = What the access is for (required; recorded in the audit log)
help-arg-grant-revoke-id = The grant's id as `coffre grant list` shows it (at least its first 8 characters)
help-arg-connect-address = The daemon's address: https://HOST:PORT, or HOST:PORT (the port defaults to 7443)
help-arg-connect-fingerprint = The SHA-256 fingerprint coffred printed at its first start (64 hex digits; colons and spaces are ignored). The CA is saved only if it matches
help-arg-connect-yes = Trust the CA without asking. Only for scripts on the daemon's own machine
help-arg-init-president = The president's name: the person who holds the password bank
help-arg-init-leader = The leader's name: they get a one-time code to set their own passphrase with `coffre enroll`
help-arg-init-passphrase_file = Read the passphrase from FILE (one trailing newline is ignored)
help-arg-init-passphrase_stdin = Read the passphrase from standard input (one trailing newline is ignored)
help-arg-init-kdf_memory_kib = Argon2id memory cost in KiB (default: the daemon's, 65536; at least 8192)
help-arg-init-kdf_iterations = Argon2id iterations (default: the daemon's, 3; at least 1)
help-arg-init-holders = A recovery holder and their age public key (from `age-keygen` or `coffre recovery keygen`); repeat for each holder, e.g. --holder president=age1... --holder leader=age1...
help-arg-init-passphrase_holders = A recovery holder without an age key, whose share file is locked with a passphrase they choose: typed at the terminal, or read from FILE
help-arg-init-threshold = How many holders must come together to recover the vault (at least 2) [default: 2]
help-arg-init-shares_dir = Where to write one share file per holder (created, private, if missing)
help-arg-enroll-code = The one-time enrolment code you were given in person, as written (spaces, dashes and case do not matter). It is spent when used, so having it in your shell history does no harm
help-arg-enroll-passphrase_file = Read the passphrase from FILE (one trailing newline is ignored)
help-arg-enroll-passphrase_stdin = Read the passphrase from standard input (one trailing newline is ignored)
help-arg-enroll-totp = The code your authenticator app shows for the new second factor; without it, the second factor is shown (QR code and URI) and, at a terminal, the code is asked for
help-arg-enroll-qr_file = Also write the QR code to FILE as an SVG image (readable by you only; delete it once scanned)
help-arg-login-name = Your name in the vault
help-arg-login-passphrase_file = Read the passphrase from FILE (one trailing newline is ignored)
help-arg-login-passphrase_stdin = Read the passphrase from standard input (one trailing newline is ignored)
help-arg-login-totp = The 6 digits your authenticator app shows now (single-use; asked for at a terminal when not given)
help-arg-unseal-passphrase_file = Read the passphrase from FILE (one trailing newline is ignored)
help-arg-unseal-passphrase_stdin = Read the passphrase from standard input (one trailing newline is ignored)
help-cmd-entry-add = Add an entry; the password is read from a file, standard input or the terminal
help-arg-entry-add-platform = The platform's name, e.g. Facebook (unique in the vault)
help-arg-entry-add-category = Where the entry belongs
help-arg-entry-add-login = The login name or e-mail address on the platform
help-arg-entry-add-password_file = Read the password from FILE (one trailing newline is ignored); without this or --password-stdin, you are asked for it twice
help-arg-entry-add-password_stdin = Read the password from standard input (one trailing newline is ignored)
help-arg-entry-add-url = The platform's login page
help-arg-entry-add-classification = How sensitive the entry is [default: restricted]
help-arg-entry-add-lifecycle = Where the entry is in its life [default: active]
help-arg-entry-add-recovery_contacts = A phone number or e-mail address the platform uses to recover the account (repeat for several)
help-arg-entry-add-tags = A free tag (repeat for several)
help-arg-entry-add-notes_file = Read the notes (kept secret) from FILE
help-arg-entry-add-totp_seed_file = Read the seed of the account's own two-factor authentication (base32) from FILE
help-cmd-entry-list = List the entries you may see
help-arg-entry-list-archived = Include archived entries
help-cmd-entry-show = Show an entry's details (never its secrets)
help-arg-entry-show-platform = The platform's name, as in `coffre entry list`
help-cmd-entry-edit = Change an entry; only what you give changes. A new password, TOTP seed or notes makes a new version
help-arg-entry-edit-platform = The platform's name, as in `coffre entry list`
help-arg-entry-edit-rename = A new name for the platform
help-arg-entry-edit-category = A new category
help-arg-entry-edit-url = A new login page ("" removes it)
help-arg-entry-edit-login = A new login name
help-arg-entry-edit-classification = A new classification
help-arg-entry-edit-lifecycle = A new lifecycle state
help-arg-entry-edit-recovery_contacts = Replace the recovery contacts with these (repeat for several)
help-arg-entry-edit-clear_recovery_contacts = Remove every recovery contact
help-arg-entry-edit-tags = Replace the tags with these (repeat for several)
help-arg-entry-edit-clear_tags = Remove every tag
help-arg-entry-edit-password_file = Read a new password from FILE (one trailing newline is ignored)
help-arg-entry-edit-password_stdin = Read a new password from standard input (one trailing newline is ignored)
help-arg-entry-edit-new_password = Type a new password on the terminal (asked twice)
help-arg-entry-edit-notes_file = Read new notes from FILE (an empty file removes them)
help-arg-entry-edit-totp_seed_file = Read a new TOTP seed from FILE (an empty file removes it)
help-cmd-entry-archive = Archive an entry that is no longer used; its history is kept
help-arg-entry-archive-platform = The platform's name, as in `coffre entry list`
help-cmd-entry-history = Show the versions of an entry's secrets: when and by whom (never the secrets)
help-arg-entry-history-platform = The platform's name, as in `coffre entry list`
help-cmd-entry-flag = Report an entry's password compromised: it is due for rotation until one is confirmed
help-arg-entry-flag-platform = The platform's name, as in `coffre entry list`
help-arg-entry-flag-compromised = The password was exposed (the only flag there is; required, so that nobody flags by accident)
help-arg-entry-flag-reason = What happened: what was exposed, when, how (required; recorded in the audit log)
help-arg-reveal-platform = The platform's name, as in `coffre entry list`
help-arg-reveal-reason = Why you need the secret; recorded in the audit log (required)
help-arg-reveal-field = Which secret to reveal
help-arg-reveal-version = An older version (owners only; see `coffre entry history`) [default: the current one]
help-arg-reveal-pending = The password of the rotation staged for this entry, to set it on the platform (owners only)
help-arg-reveal-copy = Put the secret on the clipboard instead of printing it; cleared after 30 seconds
help-after-reveal = The secret is printed on standard output followed by one newline. It is never logged.
help-arg-passwd-passphrase_file = Read your current passphrase from FILE (one trailing newline is ignored)
help-arg-passwd-new_passphrase_file = Read the new passphrase from FILE (one trailing newline is ignored); without it, you are asked twice
help-cmd-person-add = Add a person; prints their one-time enrolment code, to hand over in person
help-arg-person-add-name = The person's name in the vault (unique)
help-arg-person-add-role = What the person may do
help-cmd-person-list = List the people you may see
help-cmd-person-offboard = End a person's access: sessions, grants and account; flags what they revealed for rotation
help-arg-person-offboard-name = The person's name, as in `coffre person list`
help-cmd-person-reset = Give a person a new enrolment code (lost phone or passphrase); their old credentials stop working
help-arg-person-reset-name = The person's name, as in `coffre person list`
help-cmd-audit-list = List events, oldest first, a page at a time (owners and auditors)
help-arg-audit-list-actor = Only events by this person
help-arg-audit-list-action = Only this action, e.g. reveal, login, or a family such as entry (entry.create, entry.update...)
help-arg-audit-list-target = Only events on this target, e.g. a platform
help-arg-audit-list-since = Only events from this time on: 2026-11-24 (00:00 UTC) or 2026-11-24T09:30:00Z
help-arg-audit-list-until = Only events before this time; a date alone includes that whole day
help-arg-audit-list-after = Only events after this sequence number (what the previous page said to use)
help-arg-audit-list-limit = Events per page, at most 500
help-cmd-audit-export = Write the whole log to a file that anyone can verify offline (owners and auditors; recorded as an event)
help-arg-audit-export-out = The file to write (JSON Lines; created readable by you only)
help-arg-audit-export-force = Replace FILE if it exists
help-cmd-audit-verify = Check an exported log with the vault's public audit key; needs no daemon
help-arg-audit-verify-file = The file `coffre audit export` wrote
help-arg-audit-verify-key = The vault's public audit key, as `coffre status` shows it (ed25519:...). Get it by a channel you trust
help-arg-recover-share = Your share file, as it was given to you (or already decrypted with `age -d`)
help-arg-recover-identity = Your age identity file (from `age-keygen` or `coffre recovery keygen`), when your share is locked with a key
help-arg-recover-share_passphrase_file = Read the passphrase of a share locked with a passphrase from FILE instead of the terminal
help-arg-recover-owner = Whose passphrase to set when the recovery completes: an owner's name [default: the president]
help-arg-recover-new_passphrase_file = Read the owner's new passphrase from FILE instead of the terminal
help-arg-recover-new_passphrase_stdin = Read the owner's new passphrase from standard input
help-cmd-recovery-status = Show the share set and the recovery in progress (needs no login; works while sealed)
help-cmd-recovery-rekey = Issue a new share set for the holders named; the old shares no longer open the vault (owners)
help-arg-recovery-rekey-holders = A recovery holder and their age public key (from `age-keygen` or `coffre recovery keygen`); repeat for each holder, e.g. --holder president=age1... --holder leader=age1...
help-arg-recovery-rekey-passphrase_holders = A recovery holder without an age key, whose share file is locked with a passphrase they choose: typed at the terminal, or read from FILE
help-arg-recovery-rekey-threshold = How many holders must come together to recover the vault (at least 2) [default: 2]
help-arg-recovery-rekey-shares_dir = Where to write one share file per holder (created, private, if missing)
help-cmd-recovery-keygen = Make an age key pair for a holder: the secret key goes to FILE, the public key (age1...) is printed
help-arg-recovery-keygen-out = Where to write the secret key (a new file, mode 0600); keep it offline, e.g. on a USB key or on paper
help-cmd-backup-create = Take a backup now: a consistent snapshot, encrypted to the recovery holders' age keys (owners)
help-arg-backup-create-out = The file to write (must not exist yet; mode 0600)
help-cmd-rotate-stage = Stage a new password: it waits as the pending version until you confirm it (owners)
help-arg-rotate-stage-platform = The platform's name, as in `coffre entry list`
help-arg-rotate-stage-generate = Let the daemon generate the new password (24 characters of every kind unless the options below say otherwise); it never travels from this computer
help-arg-rotate-stage-password_file = Read the new password from FILE (one trailing newline is ignored)
help-arg-rotate-stage-password_stdin = Read the new password from standard input (one trailing newline is ignored)
help-arg-rotate-stage-length = Length in characters (12 to 256) [default: 24]
help-arg-rotate-stage-no_lower = No lower-case letters
help-arg-rotate-stage-no_upper = No upper-case letters
help-arg-rotate-stage-no_digits = No digits
help-arg-rotate-stage-no_symbols = No symbols (for platforms that refuse them)
help-arg-rotate-stage-words = A passphrase of N words from the EFF Long Wordlist instead (5 to 20; 6 is a good choice)
help-arg-rotate-stage-separator = Between words [default: -]
help-after-rotate-stage = Then: `coffre reveal PLATFORM --pending --reason TEXT`, change the password on the platform, and `coffre rotate confirm PLATFORM` (or `coffre rotate cancel PLATFORM`).
help-cmd-rotate-confirm = Make the staged password current, once it works on the platform; the old one stays in history
help-arg-rotate-confirm-platform = The platform's name
help-arg-rotate-confirm-id = The rotation's id as `coffre rotate stage` showed it (at least 8 characters): refuses if another one is staged now
help-cmd-rotate-cancel = Drop the staged password; the entry stays exactly as it was
help-arg-rotate-cancel-platform = The platform's name
help-arg-rotate-cancel-id = The rotation's id as `coffre rotate stage` showed it (at least 8 characters): refuses if another one is staged now
help-cmd-rotation-due = List the passwords that should change (too old, seen by someone who left, compromised), and the staged ones
help-arg-generate-length = Length in characters (12 to 256) [default: 24]
help-arg-generate-no_lower = No lower-case letters
help-arg-generate-no_upper = No upper-case letters
help-arg-generate-no_digits = No digits
help-arg-generate-no_symbols = No symbols (for platforms that refuse them)
help-arg-generate-words = A passphrase of N words from the EFF Long Wordlist instead (5 to 20; 6 is a good choice)
help-arg-generate-separator = Between words [default: -]
help-after-generate = The password is printed on standard output followed by one newline; its strength in bits on standard error. Nothing is sent anywhere.
help-cmd-approval-request = Ask the president or the leader to let you reveal a very confidential entry once
help-arg-approval-request-platform = The platform's name, as in `coffre entry list`
help-arg-approval-request-reason = Why you need the secret; the owners read it and it is recorded in the audit log (required)
help-cmd-approval-list = Owners: the requests waiting for a decision (all with --all). Others: your own requests
help-arg-approval-list-all = Owners: also the decided, used and expired requests
help-cmd-approval-approve = Allow the request's one reveal (owners; never your own request)
help-arg-approval-approve-id = The request's id as `coffre approval list` shows it (at least its first 8 characters)
help-arg-approval-approve-reason = Your words to the requester, recorded in the audit log
help-cmd-approval-deny = Refuse the request (owners)
help-arg-approval-deny-id = The request's id as `coffre approval list` shows it (at least its first 8 characters)
help-arg-approval-deny-reason = Your words to the requester, recorded in the audit log
help-arg-guide-topic = Which guide to print
help-arg-import-format = What FILE is
help-arg-import-file = The export to read (for --format pass, the store's directory)
help-arg-import-dry_run = Print what would be created, renamed or skipped and why; create nothing
help-arg-import-map = csv: which column holds what, e.g. "platform=Site,login=Utilisateur,password=Mot de passe" (fields: platform, login, password, url, notes, totp, category, tags)
help-arg-import-category = The category of entries whose folder, collection or group maps to none [default: other]
help-arg-import-category_map = Folders, collections or groups to categories, e.g. "Réseaux sociaux=social-network,Banque=financial"
help-arg-import-classification = The classification of every imported entry [default: restricted]
help-arg-import-password_file = keepass: read the database's password from FILE instead of asking for it
help-arg-import-key_file = keepass: the database's key file
help-after-import = Every entry is created through the daemon as if typed with `coffre entry add`, and audited as created by you. Running the same import again creates nothing twice: an entry already in the vault with the same login, URL and password is skipped (comparing passwords is a reveal, recorded in the audit log with the reason "coffre import"). Files over 64 MiB are refused.
help-cmd-registry-export = Write the register of official accounts (no secret, login or note): owners and auditors
help-arg-registry-export-format = The file format
help-arg-registry-export-out = Write to FILE instead of standard output
help-arg-registry-export-with_recovery_contacts = Add each account's recovery contacts (people's phone numbers and addresses: owners only)
help-arg-completions-shell = The shell: bash, zsh, fish, elvish or powershell
help-value-name = { $key ->
   *[other] { $name }
}
help-arg-server = The daemon's address, e.g. https://127.0.0.1:7443 [env: COFFRE_SERVER]
help-arg-ca = The daemon's CA certificate (PEM) instead of the pinned one [env: COFFRE_CA]
help-arg-json = Print one JSON object instead of text, for scripts
help-arg-lang = The language of messages: fr (fr-CA) or en [env: COFFRE_LANG, else LANGUAGE, LC_ALL, LC_MESSAGES, LANG]
help-possible-entry-add-category-social-network = Facebook, Instagram, X, YouTube...
help-possible-entry-add-category-data-bank = NationBuilder and other data banks
help-possible-entry-add-category-creation = Design and creation tools
help-possible-entry-add-category-meeting = Meeting tools
help-possible-entry-add-category-software = Software and hosting: AWS, GoDaddy, Nextcloud, Mailgun...
help-possible-entry-add-category-financial = Bank portals and payment accounts
help-possible-entry-add-category-other = Anything else
help-possible-entry-add-classification-public = Public
help-possible-entry-add-classification-restricted = Restricted
help-possible-entry-add-classification-confidential = Confidential
help-possible-entry-add-classification-very-confidential = Very confidential: a member's reveal needs an owner's approval
help-possible-entry-add-lifecycle-planned = Planned, not yet in use
help-possible-entry-add-lifecycle-active = In use
help-possible-entry-add-lifecycle-archived = Disposed of; its history is kept
help-possible-entry-edit-category-social-network = Facebook, Instagram, X, YouTube...
help-possible-entry-edit-category-data-bank = NationBuilder and other data banks
help-possible-entry-edit-category-creation = Design and creation tools
help-possible-entry-edit-category-meeting = Meeting tools
help-possible-entry-edit-category-software = Software and hosting: AWS, GoDaddy, Nextcloud, Mailgun...
help-possible-entry-edit-category-financial = Bank portals and payment accounts
help-possible-entry-edit-category-other = Anything else
help-possible-entry-edit-classification-public = Public
help-possible-entry-edit-classification-restricted = Restricted
help-possible-entry-edit-classification-confidential = Confidential
help-possible-entry-edit-classification-very-confidential = Very confidential: a member's reveal needs an owner's approval
help-possible-entry-edit-lifecycle-planned = Planned, not yet in use
help-possible-entry-edit-lifecycle-active = In use
help-possible-entry-edit-lifecycle-archived = Disposed of; its history is kept
help-possible-reveal-field-password = The account's password
help-possible-reveal-field-notes = The entry's notes
help-possible-reveal-field-totp = The current code of the account's own two-factor authentication, computed by the daemon
help-possible-reveal-field-totp-seed = The seed of the account's own two-factor authentication (base32; owners only)
help-possible-person-add-role-leader = Has all access, like the president (only the president adds a leader)
help-possible-person-add-role-access-manager = Adds members and grants them access to public and restricted entries
help-possible-person-add-role-member = Sees and reveals only what a live grant covers
help-possible-person-add-role-auditor = Reads the audit log; never reveals
help-possible-grant-add-category-social-network = Facebook, Instagram, X, YouTube...
help-possible-grant-add-category-data-bank = NationBuilder and other data banks
help-possible-grant-add-category-creation = Design and creation tools
help-possible-grant-add-category-meeting = Meeting tools
help-possible-grant-add-category-software = Software and hosting: AWS, GoDaddy, Nextcloud, Mailgun...
help-possible-grant-add-category-financial = Bank portals and payment accounts
help-possible-grant-add-category-other = Anything else
help-possible-guide-topic-recovery = What recovery holders keep and what to do on the bad day (print it and keep it with your share)
help-possible-guide-topic-rotation = Changing passwords in two steps, platform codes, what should change, approvals
help-possible-guide-topic-audit = The audit log: who reads it, its export and how to verify it
help-possible-import-format-csv = A spreadsheet saved as CSV; columns by --map or guessed from the header (English or French)
help-possible-import-format-bitwarden-json = Bitwarden or Vaultwarden JSON export (unencrypted), personal or of an organisation
help-possible-import-format-bitwarden-csv = Bitwarden or Vaultwarden CSV export
help-possible-import-format-keepass = A KeePass database (KDBX 3.1 or 4), read-only; also what Passbolt exports
help-possible-import-format-keepassxc-csv = KeePassXC's CSV export
help-possible-import-format-1pux = 1Password's export (.1pux)
help-possible-import-format-pass = A pass store: FILE is its directory; each entry is read with `pass show`
help-possible-import-category-social-network = Facebook, Instagram, X, YouTube...
help-possible-import-category-data-bank = NationBuilder and other data banks
help-possible-import-category-creation = Design and creation tools
help-possible-import-category-meeting = Meeting tools
help-possible-import-category-software = Software and hosting: AWS, GoDaddy, Nextcloud, Mailgun...
help-possible-import-category-financial = Bank portals and payment accounts
help-possible-import-category-other = Anything else
help-possible-import-classification-public = Public
help-possible-import-classification-restricted = Restricted
help-possible-import-classification-confidential = Confidential
help-possible-import-classification-very-confidential = Very confidential: a member's reveal needs an owner's approval
help-possible-registry-export-format-csv = For a spreadsheet; cells that look like formulas are escaped
help-possible-registry-export-format-json = Every transition of every entry, for scripts
help-possible-registry-export-format-html = A page to print or publish
help-possible-values-short = [possible values: { $values }]
help-possible-values-long = Possible values:
help-possible-value = : { $text }
help-default = [default: { $value }]
help-env = [env: { $name }]
help-heading-usage = Usage:
help-heading-commands = Commands
help-heading-options = Options
help-heading-arguments = Arguments
help-heading-global = Global options
help-flag-help = Print help
help-subcommand-help = Print this message or the help of the given subcommand(s)
help-flag-version = Print version
help-about = coffre: the shared passwords of your organisation, kept safe and accountable.
help-after-help = Run `coffre --help` for the environment variables and exit codes.
help-long-about =
    coffre keeps the shared passwords of your organisation in a vault run by the coffred daemon. Every time a password is shown, the vault records who asked and why.

    First time on this computer:
      coffre connect ADDRESS      compare the fingerprint with the one coffred printed
    Then:
      coffre login NAME
      coffre entry list
      coffre reveal PLATFORM --reason "why you need it"
help-after-long-help =
    Environment:
      COFFRE_SERVER       the daemon's address, as --server
      COFFRE_CA           the daemon's CA certificate, as --ca
      COFFRE_SESSION      the session file (default: session.json in your state directory)
      COFFRE_CONFIG_DIR   where `coffre connect` saves the address and the CA

    Exit codes:
      0   success
      1   other error
      2   usage error: the command line does not make sense
      3   the vault is sealed, uninitialised or in the wrong state
      4   not logged in, session expired, or wrong name, passphrase or code
      5   permission denied
      6   not found
      7   already exists
      8   invalid value, refused by the daemon or before anything was sent
      9   daemon unreachable, TLS failure, or audit log unavailable
      10  too many attempts, or too large
      11  internal error in the daemon
      12  an audit export does not verify: changed, cut, or of another vault

# `coffre man` (manual.rs).
manual-cannot-write = cannot write the manual page: { $reason }
# The manual page's sections that clap_mangen names itself (upper case, as manual pages write them).
manual-section-name = NAME
manual-section-extra = EXTRA
manual-section-authors = AUTHORS

# "Did you mean" after a mistyped entry name (suggest.rs).
did-you-mean = did you mean "{ $name }"?

## Times in sentences (in the reader's time zone)
time-in-words = { $month ->
    [january] January
    [february] February
    [march] March
    [april] April
    [may] May
    [june] June
    [july] July
    [august] August
    [september] September
    [october] October
    [november] November
    [december] December
   *[other] { $month }
} { $day }, { $year }, { $hour }:{ $minute }
time-in-words-offset = { $time } (UTC{ $offset })

## The web client (coffred's HTML pages)

web-skip = Skip to the content
web-nav = Main menu
web-nav-entries = Entries
web-nav-add-entry = Add an entry
web-nav-add-person = Add a person
web-nav-grants = Access
web-nav-passphrase = Change my passphrase
web-logout = Log out
web-back = Back
web-done = Done: back to the entries
web-continue = Continue
web-add = Add
web-change = Change
web-refused-title = Not done
web-csrf-refused = This form expired or was not sent from this site's own page: open the page again and send it once more.
web-bad-choice = A choice in the form is not one this page offers: open the page again.
web-bad-date = The date is not valid: choose a day (YYYY-MM-DD).
web-form-too-large = This form is too long to be sent: shorten what you typed (long notes especially) and send it again.
web-form-unreadable = This form could not be read: open the page again and send it once more.
web-too-slow = coffred took too long to prepare this page, and stopped. If you were making a change, open the page again and check whether it was made before you send it again; if this keeps happening, tell whoever runs coffred.
web-passphrases-differ = The two passphrases differ: type the same one twice.
web-login-title = Log in
web-login = Log in
web-name = Name
web-passphrase = Passphrase
web-totp-code = Code from your authenticator app (6 digits)
web-first-time = First time here with a one-time code?
web-enrol-link = Enrol
web-entries-title = Entries
web-search = Search by platform, address, login or tag
web-search-button = Search
web-your-access = Your access
web-until = until { $time }
web-no-entries = No entry to show.
web-category = { $category ->
    [social-network] Social networks
    [data-bank] Data banks
    [creation] Creation tools
    [meeting] Meeting tools
    [software] Software and hosting
    [financial] Financial
   *[other] Other
}
web-category-label = Category
web-classification = { $classification ->
    [public] public
    [restricted] restricted
    [confidential] confidential
    [very-confidential] very confidential
   *[other] { $classification }
}
web-classification-label = Classification
web-login-name = Login:
web-entry-due = Password to change on the platform: { $why }
web-flag-summary = Report this password compromised
web-flag-reason = What happened: what was exposed, when, how (recorded in the audit log)
web-flag-button = Report it compromised
web-entry-flagged-title = Password reported compromised
web-entry-flagged = { $platform } is flagged compromised: the president and the leader see it among the passwords to change until a new one is confirmed. Your report is in the audit log.
web-entry-flagged-already = { $platform } was flagged compromised already (since { $since }): it is among the passwords to change. Your report is in the audit log too.
web-reason = Reason (required, kept in the audit log)
web-reveal-password = Reveal the password
web-reveal-totp = Show the 2FA code
web-reveal-notes = Reveal the notes
web-revealed-field = { $field ->
    [password] Password:
    [totp] Current 2FA code:
    [notes] Notes:
   *[other] { $field }:
}
web-secret-hidden = Hidden. Reveal it again if you still need it (a new reason is logged).
web-secret-not-text = This secret is not text: reveal it with the coffre command instead.
web-copy = Copy
web-hide-after = The secret is removed from this page after { $seconds } s (without JavaScript, the browser goes back to the entries then), and is never kept by it.
web-enrol-title = Enrol
web-enrol-intro = Type the one-time code from the sheet you were given. Then you add the second factor to your phone and choose your own passphrase.
web-enrol-code = One-time code
web-enrol-welcome = Welcome, { $name }
web-enrol-role = Your role: { $role }.
web-enrol-step-factor = 1. Your second factor
web-enrol-step-passphrase = 2. Your passphrase and your first code
web-enrol-uri = Cannot scan? Show the address to type in the app
web-qr-alt = QR code of your second factor, for your authenticator app
web-new-passphrase = New passphrase (at least 12 characters)
web-repeat-passphrase = The same passphrase again
web-current-passphrase = Current passphrase
web-enrol-finish = Finish enrolling
web-enrolled-title = Enrolled
web-enrolled = { $name }, you are enrolled: log in with your name, your passphrase and the code your app shows.
web-passphrase-changed-title = Passphrase changed
web-passphrase-changed = Your passphrase is changed: use the new one from now on. Your other sessions, on other computers or browsers, have ended.
web-platform = Platform
web-url = Address (URL)
web-account-login = Login on the platform
web-password = Password
web-totp-seed = The platform's 2FA secret (optional: the base32 text it shows for an app)
web-notes = Notes (optional, secret)
web-entry-added-title = Entry added
web-entry-added = { $platform } is in the vault.
web-role = Role
web-handout-address = Where to enrol
web-handout-fingerprint = Certificate (SHA-256)
web-handout-expires = Use it before
web-handout-steps = Open the address above on your computer or phone, check that the certificate's fingerprint is the one above (docs/web.md says how), then type the one-time code.
web-grant-new = Give access
web-grant-person = Person
web-grant-scope = To what
web-grant-scope-entry = One entry
web-grant-scope-category = A whole category
web-grant-until = Until (last day)
web-grant-task = For which task
web-grant-button = Give access
web-grant-list = Access given
web-grant-by = Given by
web-grant-state = State
web-grant-revoke = Revoke
web-no-grants = No access given yet.
web-grant-added-title = Access given
web-grant-added = { $person } has access to { $scope } until { $until }, for: { $task }. You can revoke it sooner on the page "Access".
web-grant-revoked-title = Access revoked
web-grant-revoked = { $person } no longer has this access.
web-nav-audit = Audit log
web-audit-actor = Who
web-audit-action = What
web-audit-action-any = Any action
web-audit-target = On what
web-audit-time = When
web-audit-outcome = Outcome
web-audit-reason = Reason
web-audit-none = No event matches.
web-audit-next = Next events
web-audit-export = Export
web-audit-export-intro = The whole log as JSON lines, with its signed head: anyone can check it with the public key below and `coffre audit verify`. The export itself is logged.
web-audit-key = Public key of the log (Ed25519):
web-audit-download = Download the export
web-nav-approvals = Approvals
web-approval-ask = Ask for approval
web-approval-intro = A very confidential entry needs an owner's approval for each reveal: ask here, then reveal it from the entries once approved.
web-approval-list = Requests
web-approval-none = No request.
web-approval-state = { $state ->
    [pending] waiting
    [approved] approved
    [denied] denied
    [used] used
    [expired] expired
   *[other] { $state }
}
web-approval-why = Your words (optional)
web-approval-approve = Approve
web-approval-deny = Deny
web-approval-asked-title = Approval asked
web-approval-asked = Your request for { $platform } waits for the president's or the leader's decision.
web-approval-decided-title = Decided
web-approval-approved = { $name } may reveal it once.
web-approval-denied = { $name }'s request is denied.
web-rotation-title = Password rotation
web-rotation-intro = Change a password in three steps: stage a new one (the daemon draws it), reveal it and set it on the platform, then confirm. Cancel if the platform refused it.
web-rotation-staged-list = Staged, waiting for a confirm
web-rotation-none-staged = Nothing staged.
web-rotation-reveal = Reveal the new password
web-rotation-confirm = Confirm: the platform has it
web-rotation-cancel = Cancel
web-rotation-due = Due for a change
web-rotation-none-due = No password is due.
web-rotation-reason = { $kind ->
    [age] Too old:
    [offboarded] Seen by someone who left:
    [compromised] Flagged compromised:
   *[other] { $kind }:
}
web-rotation-stage = Stage a new password
web-rotation-any = Any entry
web-rotation-staged = A new password for { $platform } is staged: reveal it, set it on the platform, then confirm.
web-rotation-confirmed = { $platform } now uses its new password.
web-rotation-cancelled = The staged password of { $platform } is cancelled; the current one stays.
web-nav-people = People
web-person-state = { $state ->
    [pending] not enrolled yet
    [active] active
    [offboarded] offboarded
   *[other] { $state }
}
web-person-added = added by { $name } on { $time }
web-offboard-sure = I understand: { $name } loses every access, for good
web-offboard = Offboard
web-offboard-not-confirmed = Tick the box to confirm: offboarding is never undone.
web-offboarded-title = { $name } is offboarded
web-offboarded-grants = Access revoked: { $count }.
web-offboarded-sessions = Sessions ended: { $count }.
web-offboarded-change = Passwords to change now
web-offboarded-nothing = None: this person revealed no password.
web-offboarded-seen = What this person saw
web-offboarded-share-holder = { $name } also holds the recovery share "{ $holder }": it still counts towards a recovery, and its age key still opens every new backup. Have a new share set issued without them now (on the server, `coffre recovery rekey`; see the Recovery page).
web-nav-vault = The vault
web-vault-state = State
web-vault-id = Vault id
web-vault-events = Audit events
web-vault-database = Database
web-vault-standby = Standby
web-unseal = Unseal
web-unseal-intro = The president or the leader opens the vault with their passphrase (no second factor: unsealing opens the vault, it logs nobody in).
web-unsealed-title = Unsealed
web-unsealed = The vault is open: people can log in again.
web-seal = Seal
web-seal-intro = Sealing forgets the vault's key and ends every session, yours too: nobody can log in until an owner unseals it.
web-field = { $field ->
    [password] password
    [notes] notes
    [totp-seed] 2FA seed
   *[other] { $field }
}
web-lifecycle = { $state ->
    [planned] planned
    [active] active
    [archived] archived
   *[other] { $state }
}
web-lifecycle-label = State
web-registry-title = Register of official accounts
web-registry-unnamed = (organisation not named: [organisation] name in coffred's configuration)
web-registry-of = { $organisation }.
web-registry-count = Accounts: { $count }.
web-registry-generated = As of { $time }.
web-registry-no-secret = No password, login or note is in this register. Each viewing is recorded in the audit log.
web-registry-with-contacts = Show the recovery contacts
web-registry-without-contacts = Hide the recovery contacts
web-registry-print = To keep a copy, print this page (your browser's Print, or Ctrl+P).
web-registry-platform = Platform
web-registry-url = URL
web-registry-created = Created
web-registry-contacts = Recovery contacts
web-recovery-contacts = Recovery contacts: who or what gets the account back (a phone number, an address, a person), one per line
web-registry-transition = { $time }, by { $by }
web-edit-entry = Change { $platform }, its history
web-new-password-optional = New password (leave empty to keep the current one)
web-new-totp-seed-optional = The platform's 2FA secret, when you turn on or reset its second factor (the base32 text it shows for an app; leave empty to keep the current one)
web-new-notes-optional = New notes, secret (they replace the current ones, which this page never shows; leave empty to keep them)
web-remove-notes = Remove the notes
web-save = Save
web-entry-saved-title = Entry saved
web-entry-saved = { $platform } is saved; a new password makes a new version, and the old one stays in its history.
web-archive-intro = Archiving keeps the entry and its history, for owners only; nobody else sees it any more.
web-archive = Archive
web-entry-archived-title = Entry archived
web-entry-archived = { $platform } is archived; its history stays.
web-versions = Versions
web-version = Version
web-when = When
web-by = By
web-changed = Changed
web-transitions = Changes of state
web-no-transitions = No change of state recorded since the entry was made.
web-reset-enrolment = Reset { $name }'s enrolment (lost phone or passphrase)
web-reset-sure = I understand: { $name } cannot log in until they enrol again, with the code on the new sheet
web-reset-not-confirmed = Tick the box to confirm: a reset stops the person from logging in until they enrol again with a new sheet. Nothing was reset.
web-recovery-title = Recovery and backups
web-share-set = Recovery shares
web-share-threshold = { $threshold } shares open the vault
web-share-holders-count = out of the { $count } issued.
web-share-issued = Issued on { $time }.
web-share-set-id = Share set:
web-holder-key = share encrypted to their age key (receives the backups)
web-holder-passphrase = share encrypted to a passphrase (receives no backup)
web-no-share-set = This vault has no recovery shares: if every owner's passphrase is lost, nothing opens it. Issue shares with the command coffre recovery rekey.
web-recovery-in-progress = A recovery is in progress: { $count ->
    [one] { $count } share submitted
   *[other] { $count } shares submitted
},
web-backups = Backups
web-backup-schedule-dir = The daemon writes a backup in { $dir }
web-backup-schedule-every = every { $interval }
web-backup-schedule-keep = and keeps the newest { $count }.
web-no-backups-yet = No backup written there yet.
web-no-backup-schedule = No scheduled backups: set [backup] dir in the daemon's configuration to have them.
web-backup-now-intro = A backup now, downloaded by this browser: it is encrypted to the share holders' keys, and only they can open it.
web-backup-now = Take a backup and download it
web-not-found-title = Page not found
web-not-found = There is no page at this address. Go back to the entries.

## The engine's refusals in the web client: what to do next, with its pages rather than a coffre command
web-daemon-sealed = vault is sealed: ask the president or the leader to unseal it (they do it with their passphrase, on the page "The vault")
web-daemon-reason-no-entry = no entry by that name: check its name in the list of entries
web-daemon-reason-no-person = no person by that name: check their name on the page "People"
web-daemon-reason-needs-approval = a very confidential entry needs an owner's approval for each reveal: ask for it on the page "Approvals", then reveal the entry once approved
web-daemon-reason-approval-not-needed = this entry is not very confidential: it needs no approval, reveal it from the list of entries
web-daemon-reason-approval-already-asked = a request of yours for this entry that is pending or approved and unused (see the page "Approvals")
web-daemon-reason-reset-own-enrolment = you cannot reset your own enrolment: change your passphrase on the page "Change my passphrase"
web-daemon-reason-no-rotation-staged = no rotation is staged for this entry: stage one on the page "Password rotation"
web-daemon-reason-manager-ceiling = an access manager may grant access to existing public or restricted entries only: check the platform's name in the list of entries, or ask the president or the leader
web-daemon-reason-totp-seed-unreadable = this entry's 2FA secret is not base32 text: an owner must replace it with "Change …, its history" in the list of entries

## coffred's command line (--help): the English texts are the doc comments of crates/server/src/cli.rs
coffred-help-about = coffred, the coffre daemon: serves one vault, over gRPC and to its web client, with TLS
coffred-help-arg-config = Configuration file (TOML); see deploy/coffred.example.toml. Flags and environment variables override it
coffred-help-arg-data_dir = Data directory: the vault, its audit log and the TLS files [default: the user's data directory, e.g. ~/.local/share/coffre]
coffred-help-arg-listen = Address to listen on [default: 127.0.0.1:7443]
coffred-help-arg-tls_cert = TLS certificate chain (PEM, server certificate first) to use instead of the daemon's own CA. Needs --tls-key
coffred-help-arg-tls_key = Private key (PEM) of --tls-cert
coffred-help-arg-storage_url = Keep the vault's records in PostgreSQL at this address (postgresql://USER@HOST:PORT/DB), not in sled. No password in it: the password comes from [storage] password_file or PGPASSWORD
coffred-help-arg-storage_ca_file = Connect to PostgreSQL over TLS only, verifying its certificate against this CA (PEM) and the host name of the address; a server without TLS is refused. Without it the connection is not encrypted
coffred-help-arg-storage_schema = The PostgreSQL schema of the vault's tables [default: coffre]. One vault per schema
coffred-help-arg-standby = Stand by: while another coffred holds the PostgreSQL schema, wait without serving (with [relay], relaying clients to it), and take the vault over (sealed, as after any start) once that coffred stops. See docs/ha.md
coffred-help-arg-arm = Arm a standby: ask for an owner's passphrase at start (on the terminal, or one line on standard input when it is not a terminal), check it against the vault in the database, keep it in memory while standing by, and unseal the vault with it on taking over, unless an owner sealed the vault on purpose. Never from a flag's value, the environment or a file. See docs/ha.md
coffred-help-cmd-serve = Serve the vault (the default)
coffred-help-cmd-show-config = Print the effective configuration (file, environment and flags merged) as TOML, then exit
coffred-help-cmd-restore = Restore a backup into the data directory, which must be new or empty; then exit. Start coffred on it and unseal with a passphrase or with recovery shares
coffred-help-arg-restore-from = The backup file (coffre-....age, or the file `coffre backup create` wrote)
coffred-help-arg-restore-identity = An age identity file (as made by `age-keygen` or `coffre recovery keygen`) of one of the backup's recipients: a recovery holder with an age key
coffred-help-cmd-rebuild-store = Build a new data directory from this one's audit log alone: the store is made again from the changes the log carries, each checked, and every event is verified; then exit. This data directory is only read. For a store that is damaged or lost (see docs/recovery.md). Needs an owner's passphrase
coffred-help-arg-rebuild-store-into = The new data directory (must not exist yet)
coffred-help-arg-rebuild-store-passphrase_file = Read the owner's passphrase from this file (its first line) instead of asking on the terminal
coffred-help-arg-rebuild-store-passphrase_stdin = Read the owner's passphrase from standard input (its first line)
coffred-help-cmd-salvage = When the audit log itself is damaged: build a new data directory with everything before the damage (the log up to the last good event, a store rebuilt from it), keeping the rest aside byte for byte; then exit. This data directory is only read. Needs an owner's passphrase
coffred-help-arg-salvage-into = The new data directory (must not exist yet)
coffred-help-arg-salvage-passphrase_file = Read the owner's passphrase from this file (its first line) instead of asking on the terminal
coffred-help-arg-salvage-passphrase_stdin = Read the owner's passphrase from standard input (its first line)
coffred-help-cmd-migrate = Move the vault's records from sled (DATA_DIR/db) into the PostgreSQL schema the configuration names ([storage] backend = "postgres"), offline: checked against the audit log before and after, then sled's store is renamed db.moved-to-postgres. Needs an owner's passphrase. See docs/ha.md
coffred-help-arg-migrate-passphrase_file = Read the owner's passphrase from this file (its first line) instead of asking on the terminal
coffred-help-arg-migrate-passphrase_stdin = Read the owner's passphrase from standard input (its first line)
