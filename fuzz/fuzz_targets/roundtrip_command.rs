//! See fuzz/README.md for what this target asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(
    |command: smtp_proto::Command<'_>| smtp_proto_fuzz::roundtrip_command(&command)
);
