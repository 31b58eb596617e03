//! See fuzz/README.md for what this target asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(
    |command: smtp_wire::Command<'_>| smtp_wire_fuzz::roundtrip_command(&command)
);
