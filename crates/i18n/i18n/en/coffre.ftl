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
passwd-done = Your passphrase is changed. If you are the president or the leader, it is also the one that unseals the vault from now on; the old one no longer does.
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
