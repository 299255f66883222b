#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coffre_vault::fuzzing::sealed_record(data));
