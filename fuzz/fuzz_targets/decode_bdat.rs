//! See fuzz/README.md for what this target asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: smtp_wire_fuzz::BdatInput| smtp_wire_fuzz::decode_bdat(&input));
