//! See fuzz/README.md for what this target asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(
    |input: smtp_proto_fuzz::ReplyInput| smtp_proto_fuzz::roundtrip_reply(&input)
);
