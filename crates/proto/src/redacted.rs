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
            .field("recovery", &self.recovery)
            .finish()
    }
}

impl fmt::Debug for v1::InitResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitResponse")
            .field("vault_id", &self.vault_id)
            .field("leader_enrolment_code", &REDACTED)
            .field("leader_enrolment_expires", &self.leader_enrolment_expires)
            .field("president_otpauth_uri", &REDACTED)
            .field("recovery", &self.recovery)
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
        f.debug_struct("LoginRequest")
            .field("name", &self.name)
            .field("passphrase", &REDACTED)
            .field("totp_code", &REDACTED)
            .finish()
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
        f.debug_struct("EnrollRequest")
            .field("code", &REDACTED)
            .field("passphrase", &REDACTED)
            .field("totp_code", &REDACTED)
            .finish()
    }
}

impl fmt::Debug for v1::StartEnrollmentRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StartEnrollmentRequest").field("code", &REDACTED).finish()
    }
}

impl fmt::Debug for v1::StartEnrollmentResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StartEnrollmentResponse")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("otpauth_uri", &REDACTED)
            .finish()
    }
}

impl fmt::Debug for v1::ChangePassphraseRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChangePassphraseRequest")
            .field("current_passphrase", &REDACTED)
            .field("new_passphrase", &REDACTED)
            .finish()
    }
}

impl fmt::Debug for v1::AddPersonResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AddPersonResponse")
            .field("person", &self.person)
            .field("enrolment_code", &REDACTED)
            .field("enrolment_expires", &self.enrolment_expires)
            .finish()
    }
}

impl fmt::Debug for v1::ResetEnrolmentResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResetEnrolmentResponse")
            .field("person", &self.person)
            .field("enrolment_code", &REDACTED)
            .field("enrolment_expires", &self.enrolment_expires)
            .finish()
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
            .field("valid_for_secs", &self.valid_for_secs)
            .finish()
    }
}

impl fmt::Debug for v1::Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match &self.key {
            Some(v1::holder::Key::AgeRecipient(recipient)) => recipient.as_str(),
            Some(v1::holder::Key::Passphrase(_)) => "passphrase <redacted>",
            None => "none",
        };
        f.debug_struct("Holder").field("label", &self.label).field("key", &key).finish()
    }
}

impl fmt::Debug for v1::ShareFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The file is age ciphertext; it is still kept out of logs (it is long, and it is a holder's).
        f.debug_struct("ShareFile")
            .field("holder", &self.holder)
            .field("x", &self.x)
            .field("armored", &format_args!("<{} characters>", self.armored.len()))
            .finish()
    }
}

impl fmt::Debug for v1::SubmitShareRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubmitShareRequest").field("share", &REDACTED).finish()
    }
}

impl fmt::Debug for v1::SubmitShareResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubmitShareResponse")
            .field("holder", &self.holder)
            .field("x", &self.x)
            .field("submitted", &self.submitted)
            .field("threshold", &self.threshold)
            .field("complete", &self.complete)
            .field("completion_code", &REDACTED)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for v1::FinishRecoveryRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FinishRecoveryRequest")
            .field("completion_code", &REDACTED)
            .field("owner", &self.owner)
            .field("new_passphrase", &REDACTED)
            .finish()
    }
}

impl fmt::Debug for v1::BackupChunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackupChunk")
            .field("info", &self.info)
            .field("data", &format_args!("<{} bytes>", self.data.len()))
            .finish()
    }
}

impl fmt::Debug for v1::StageRotationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let new_password = match &self.new_password {
            Some(v1::stage_rotation_request::NewPassword::Password(_)) => format!("password {REDACTED}"),
            Some(v1::stage_rotation_request::NewPassword::Generate(policy)) => format!("generate {policy:?}"),
            None => "none".to_owned(),
        };
        f.debug_struct("StageRotationRequest")
            .field("platform", &self.platform)
            .field("new_password", &new_password)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_messages_never_print_their_secrets() {
        let login = v1::LoginRequest {
            name: "alice".into(),
            passphrase: b"hunter2-hunter2".to_vec(),
            totp_code: "123456".into(),
        };
        let printed = format!("{login:?}");
        assert!(printed.contains("alice"));
        assert!(!printed.contains("hunter2"));
        let reveal =
            v1::RevealResponse { secret: b"s3cr3t-value".to_vec(), version: 2, audit_seq: 9, valid_for_secs: 0 };
        assert!(!format!("{reveal:?}").contains("s3cr3t"));
        let holder = v1::Holder {
            label: "treasurer".into(),
            key: Some(v1::holder::Key::Passphrase(b"treasurer-phrase".to_vec())),
        };
        let init = v1::InitRequest {
            recovery: Some(v1::ShareSetSpec { threshold: 2, holders: vec![holder] }),
            ..Default::default()
        };
        let printed = format!("{init:?}");
        assert!(printed.contains("treasurer") && !printed.contains("treasurer-phrase"), "{printed}");
        let finish = v1::FinishRecoveryRequest {
            completion_code: "c0d3-c0d3".into(),
            owner: "alice".into(),
            new_passphrase: b"n3w-passphrase".to_vec(),
        };
        assert!(!format!("{finish:?}").contains("c0d3") && !format!("{finish:?}").contains("n3w"));
        let submit = v1::SubmitShareRequest { share: b"{\"share\":\"abcdef\"}".to_vec() };
        assert!(!format!("{submit:?}").contains("abcdef"));
        let start = v1::StartEnrollmentResponse {
            name: "dave".into(),
            role: 4,
            otpauth_uri: "otpauth://totp/coffre:dave?secret=GEZDGNBV".into(),
        };
        assert!(!format!("{start:?}").contains("GEZDGNBV"));
        let added = v1::AddPersonResponse { enrolment_code: "K7QF-3MZP".into(), ..Default::default() };
        assert!(!format!("{added:?}").contains("K7QF"));
        let init = v1::InitResponse { president_otpauth_uri: "otpauth://x?secret=MZXW6".into(), ..Default::default() };
        assert!(!format!("{init:?}").contains("MZXW6"));
        let stage = v1::StageRotationRequest {
            platform: "Facebook".into(),
            new_password: Some(v1::stage_rotation_request::NewPassword::Password(b"n3w-s3cr3t".to_vec())),
        };
        let printed = format!("{stage:?}");
        assert!(printed.contains("Facebook") && !printed.contains("n3w-s3cr3t"), "{printed}");
    }
}
