//! Zero allocations, proven with a counting global allocator: the whole
//! pipelined benchmark stream (whole and in 8 KiB reads), a set of replies,
//! an EHLO capability walk, and the DATA and BDAT decoders. The inputs are
//! the benchmark inputs, from `smtp-wire-benches`; they are built before
//! counting starts.

use smtp_wire_benches::{READ_BUF, ours};
use smtp_wire_tests::counted;

#[global_allocator]
static ALLOCATOR: smtp_wire_tests::CountingAllocator = smtp_wire_tests::CountingAllocator;

#[test]
fn the_allocator_counts() {
    let (buf, allocations) = counted(|| vec![0u8; 64]);
    assert_eq!((buf.len(), allocations), (64, 1));
}

#[test]
fn pipelined_commands_never_allocate() {
    let (stream, mix) = smtp_wire_benches::pipeline_500k();
    let mut scratch = vec![0u8; READ_BUF];
    let ((whole, reads), allocations) = counted(|| {
        (
            ours::commands(&stream),
            ours::commands_reads(&stream, &mut scratch),
        )
    });
    assert_eq!(allocations, 0);
    assert_eq!(whole, (mix, stream.len()));
    assert_eq!(reads, mix);
    assert!(mix.commands > 5000 && mix.bdat > 0, "{mix:?}");
    let ((size, orcpt), allocations) = counted(|| ours::mail_rcpt(smtp_wire_benches::MAIL_RCPT));
    assert_eq!((size, orcpt, allocations), (2548921, 21, 0));
}

#[test]
fn replies_and_ehlo_capabilities_never_allocate() {
    let (stream, count) = smtp_wire_benches::reply_stream(100_000);
    let ehlo = smtp_wire_benches::EHLO_REPLY;
    let ((replies, lines, walk), allocations) = counted(|| {
        (
            ours::replies(&stream),
            ours::ehlo(ehlo, false),
            ours::ehlo(ehlo, true),
        )
    });
    assert_eq!(allocations, 0);
    assert_eq!(replies.0, count);
    assert_eq!(lines.0, smtp_wire_benches::EHLO_CAPABILITIES);
    assert_eq!(walk, (smtp_wire_benches::EHLO_CAPABILITIES, 35882577));
}

#[test]
fn data_and_bdat_decoders_never_allocate() {
    for dots in [1, 10] {
        let (content, wire) = smtp_wire_benches::message(1 << 20, dots);
        let (len, allocations) = counted(|| ours::data(&wire));
        assert_eq!((len, allocations), (content.len(), 0));
    }
    let (wire, total) = smtp_wire_benches::bdat_1mib();
    let (len, allocations) = counted(|| ours::bdat(&wire));
    assert_eq!((len, allocations), (total, 0));
}
