//! Compiles proto/coffre/v1/*.proto with protox (pure Rust), so building needs no protoc.

use std::{env, fs, path::PathBuf};

use prost::Message as _;

const PROTOS: &[&str] = &[
    "coffre/v1/common.proto",
    "coffre/v1/system.proto",
    "coffre/v1/auth.proto",
    "coffre/v1/entries.proto",
    "coffre/v1/audit.proto",
    "coffre/v1/access.proto",
    "coffre/v1/recovery.proto",
    "coffre/v1/backup.proto",
    "coffre/v1/rotation.proto",
    "coffre/v1/registry.proto",
];

/// Messages that carry a secret: prost must not derive `Debug` for them; lib.rs writes redacted ones.
const SECRET_MESSAGES: &[&str] = &[
    ".coffre.v1.InitRequest",
    ".coffre.v1.InitResponse",
    ".coffre.v1.UnsealRequest",
    ".coffre.v1.LoginRequest",
    ".coffre.v1.LoginResponse",
    ".coffre.v1.EnrollRequest",
    ".coffre.v1.StartEnrollmentRequest",
    ".coffre.v1.StartEnrollmentResponse",
    ".coffre.v1.ChangePassphraseRequest",
    ".coffre.v1.AddPersonResponse",
    ".coffre.v1.ResetEnrolmentResponse",
    ".coffre.v1.SecretFields",
    ".coffre.v1.CreateEntryRequest",
    ".coffre.v1.UpdateEntryRequest",
    ".coffre.v1.RevealResponse",
    ".coffre.v1.Holder",
    ".coffre.v1.ShareFile",
    ".coffre.v1.SubmitShareRequest",
    ".coffre.v1.SubmitShareResponse",
    ".coffre.v1.FinishRecoveryRequest",
    ".coffre.v1.BackupChunk",
    ".coffre.v1.StageRotationRequest",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?).join("../../proto");
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={}", root.join(proto).display());
    }
    let fds = protox::compile(PROTOS, [&root])?;
    let out = PathBuf::from(env::var("OUT_DIR")?);
    // Server reflection serves this descriptor set.
    fs::write(out.join("coffre_descriptor.bin"), fds.encode_to_vec())?;
    tonic_prost_build::configure().skip_debug(SECRET_MESSAGES.iter().copied()).compile_fds(fds)?;
    Ok(())
}
