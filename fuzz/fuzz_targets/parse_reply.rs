//! See fuzz/README.md for what this target asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| smtp_wire_fuzz::parse_reply(data));
