//! Redacted `Debug` for the messages that carry a secret (see build.rs).

use std::fmt;

use crate::v1;

const REDACTED: &str = "<redacted>";

impl fmt::Debug for v1::InitRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitRequest")
            .field("president", &self.president)
            .field("passphrase", &REDACTED)
            .field("leader", &self.leader)
            .field("kdf", &self.kdf)
            .finish()
    }
}

impl fmt::Debug for v1::InitResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitResponse")
            .field("vault_id", &self.vault_id)
            .field("leader_enrolment_code", &REDACTED)
            .field("leader_enrolment_expires", &self.leader_enrolment_expires)
            .finish()
    }
}

impl fmt::Debug for v1::UnsealRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnsealRequest").field("passphrase", &REDACTED).finish()
    }
}

impl fmt::Debug for v1::LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest").field("name", &self.name).field("passphrase", &REDACTED).finish()
    }
}

impl fmt::Debug for v1::LoginResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginResponse")
            .field("token", &REDACTED)
            .field("expires", &self.expires)
            .field("role", &self.role)
            .finish()
    }
}

impl fmt::Debug for v1::EnrollRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnrollRequest").field("code", &REDACTED).field("passphrase", &REDACTED).finish()
    }
}

impl fmt::Debug for v1::SecretFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretFields").finish_non_exhaustive()
    }
}

impl fmt::Debug for v1::CreateEntryRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreateEntryRequest").field("entry", &self.entry).field("secrets", &self.secrets).finish()
    }
}

impl fmt::Debug for v1::UpdateEntryRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateEntryRequest")
            .field("platform", &self.platform)
            .field("new_platform", &self.new_platform)
            .field("password", &self.password.as_ref().map(|_| REDACTED))
            .field("totp_seed", &self.totp_seed.as_ref().map(|_| REDACTED))
            .field("notes", &self.notes.as_ref().map(|_| REDACTED))
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for v1::RevealResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RevealResponse")
            .field("secret", &REDACTED)
            .field("version", &self.version)
            .field("audit_seq", &self.audit_seq)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_messages_never_print_their_secrets() {
        let login = v1::LoginRequest { name: "alice".into(), passphrase: b"hunter2-hunter2".to_vec() };
        let printed = format!("{login:?}");
        assert!(printed.contains("alice"));
        assert!(!printed.contains("hunter2"));
        let reveal = v1::RevealResponse { secret: b"s3cr3t-value".to_vec(), version: 2, audit_seq: 9 };
        assert!(!format!("{reveal:?}").contains("s3cr3t"));
    }
}
