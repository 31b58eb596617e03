//! See fuzz/README.md for what this target asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: smtp_wire_fuzz::DataInput| smtp_wire_fuzz::decode_data(&input));
