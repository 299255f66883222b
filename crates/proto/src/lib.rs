//! Generated code for the `coffre.v1` gRPC API, from proto/coffre/v1/*.proto.
//!
//! This crate holds no logic. Messages that carry a secret (passphrases, tokens, enrolment codes, secret fields)
//! have prost's derived `Debug` turned off in build.rs; the redacted `Debug` implementations below print their
//! shape, never their content.
//!
//! ```
//! use coffre_proto::v1::GetStatusRequest;
//! let _request = GetStatusRequest {};
//! ```

#![deny(missing_docs)]

/// The `coffre.v1` package.
#[allow(missing_docs, unreachable_pub, clippy::all)]
pub mod v1 {
    tonic::include_proto!("coffre.v1");
}

/// The encoded `FileDescriptorSet` of every coffre proto file, for gRPC server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/coffre_descriptor.bin"));

#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
mod redacted;
