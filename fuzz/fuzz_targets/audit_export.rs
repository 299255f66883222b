#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coffre_audit::fuzzing::audit_export(data));
