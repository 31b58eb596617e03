//! Criterion benchmarks: `smtp-wire` side by side with Stalwart's
//! `smtp-proto` 0.2.5 and the nom-based `smtp-codec` 0.2.0, on the same bytes,
//! with a `memchr` line count and a plain copy as ceilings. Every body asserts
//! its result. Inputs: see `README.md` and `lib.rs`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use smtp_wire::ehlo::{EhloReply, Mechanisms};
use smtp_wire::{Command, Status};
use smtp_wire_benches::{ceiling, ours};

#[path = "peers.rs"]
mod peers;
use peers::{codec, stalwart};

type Group<'c> = BenchmarkGroup<'c, criterion::measurement::WallTime>;

fn group<'c>(c: &'c mut Criterion, name: &str, bytes: usize) -> Group<'c> {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes as u64));
    group
}

/// The two ceilings on the same buffer.
fn ceilings(group: &mut Group<'_>, buf: &[u8]) {
    let lines = ceiling::count_lf(buf);
    group.bench_function("ceiling_memchr_lf", |b| {
        b.iter(|| assert_eq!(ceiling::count_lf(black_box(buf)), lines))
    });
    let mut out = vec![0u8; buf.len()];
    group.bench_function("ceiling_copy", |b| {
        b.iter(|| assert_eq!(ceiling::copy(black_box(buf), &mut out), buf.len()))
    });
}

fn pipeline(c: &mut Criterion) {
    let (buf, mix) = smtp_wire_benches::pipeline_500k();
    let buf = &buf[..];
    let mut g = group(c, "pipeline/500KB_whole", buf.len());
    g.bench_function("smtp-proto", |b| {
        b.iter(|| assert_eq!(ours::commands(black_box(buf)), (mix, buf.len())))
    });
    g.bench_function("stalwart-0.2.5", |b| {
        b.iter(|| assert_eq!(stalwart::commands(black_box(buf)), mix))
    });
    g.bench_function("smtp-codec-0.2.0", |b| {
        b.iter(|| assert_eq!(codec::commands(black_box(buf)), mix))
    });
    ceilings(&mut g, buf);
    g.finish();

    let mut scratch = vec![0u8; smtp_wire_benches::READ_BUF];
    let mut g = group(c, "pipeline/500KB_8KiB_reads", buf.len());
    g.bench_function("smtp-proto", |b| {
        b.iter(|| assert_eq!(ours::commands_reads(black_box(buf), &mut scratch), mix))
    });
    g.bench_function("stalwart-0.2.5", |b| {
        b.iter(|| assert_eq!(stalwart::commands_reads(black_box(buf)), mix))
    });
    g.bench_function("smtp-codec-0.2.0", |b| {
        b.iter(|| assert_eq!(codec::commands_reads(black_box(buf), &mut scratch), mix))
    });
    g.finish();
}

fn command(c: &mut Criterion) {
    let buf = smtp_wire_benches::MAIL_RCPT;
    let mut g = group(c, "command/mail_rcpt_params", buf.len());
    g.bench_function("smtp-proto", |b| {
        b.iter(|| assert_eq!(ours::mail_rcpt(black_box(buf)), (2548921, 21)))
    });
    g.bench_function("stalwart-0.2.5", |b| {
        b.iter(|| assert_eq!(stalwart::mail_rcpt(black_box(buf)), (2548921, 21)))
    });
    g.bench_function("smtp-codec-0.2.0", |b| {
        b.iter(|| assert_eq!(codec::mail_rcpt(black_box(buf)), (4, 2)))
    });
    g.finish();
}

fn reply(c: &mut Criterion) {
    let (buf, count) = smtp_wire_benches::reply_stream(100_000);
    let buf = &buf[..];
    let (_, codes) = ours::replies(buf);
    let mut g = group(c, "reply/single_line_stream_100KB", buf.len());
    g.bench_function("smtp-proto", |b| {
        b.iter(|| assert_eq!(ours::replies(black_box(buf)), (count, codes)))
    });
    g.bench_function("stalwart-0.2.5", |b| {
        b.iter(|| assert_eq!(stalwart::replies(black_box(buf)), (count, codes)))
    });
    g.bench_function("smtp-codec-0.2.0", |b| {
        b.iter(|| assert_eq!(codec::replies(black_box(buf)), count))
    });
    ceilings(&mut g, buf);
    g.finish();

    let buf = smtp_wire_benches::EHLO_REPLY;
    let caps = smtp_wire_benches::EHLO_CAPABILITIES;
    for (name, walk) in [
        ("reply/ehlo_12_lines", false),
        ("reply/ehlo_12_lines_capabilities", true),
    ] {
        let size = if walk { 35882577 } else { 0 };
        let mut g = group(c, name, buf.len());
        g.bench_function("smtp-proto", |b| {
            b.iter(|| assert_eq!(ours::ehlo(black_box(buf), walk), (caps, size)))
        });
        g.bench_function("stalwart-0.2.5", |b| {
            b.iter(|| assert_eq!(stalwart::ehlo(black_box(buf), walk), (caps, size)))
        });
        let codec_caps = if walk { caps } else { 0 };
        g.bench_function("smtp-codec-0.2.0", |b| {
            b.iter(|| assert_eq!(codec::ehlo(black_box(buf), walk), codec_caps))
        });
        g.finish();
    }

    // Our one-pass summary against Stalwart's flag-set `EhloResponse`.
    let extensions = smtp_wire_benches::ehlo_extensions();
    let mut g = group(c, "reply/ehlo_12_lines_summary", buf.len());
    g.bench_function("smtp-proto", |b| {
        b.iter(|| assert_eq!(ours::ehlo_summary(black_box(buf)), (extensions, 35882577)))
    });
    g.bench_function("stalwart-0.2.5", |b| {
        b.iter(|| assert_eq!(stalwart::ehlo(black_box(buf), true), (caps, 35882577)))
    });
    g.finish();
}

fn bodies(c: &mut Criterion) {
    let mut vec = Vec::with_capacity(2 << 20);
    let (wire, len) = smtp_wire_benches::bdat_1mib();
    let wire = &wire[..];
    let mut g = group(c, "bdat/1MiB_64KiB_chunks", wire.len());
    g.bench_function("smtp-proto", |b| {
        b.iter(|| assert_eq!(ours::bdat(black_box(wire)), len))
    });
    g.bench_function("stalwart-0.2.5", |b| {
        b.iter(|| assert_eq!(stalwart::bdat(black_box(wire), &mut vec), len))
    });
    ceilings(&mut g, wire);
    g.finish();

    for (name, dots) in [("data/1MiB_strict", 1), ("data/1MiB_10pct_dots", 10)] {
        let (content, wire) = smtp_wire_benches::message(smtp_wire_benches::MESSAGE_SIZE, dots);
        let (len, wire) = (content.len(), &wire[..]);
        let mut g = group(c, name, wire.len());
        g.bench_function("smtp-proto", |b| {
            b.iter(|| assert_eq!(ours::data(black_box(wire)), len))
        });
        g.bench_function("smtp-proto_accepting", |b| {
            b.iter(|| assert_eq!(ours::data_accepting(black_box(wire)), len))
        });
        g.bench_function("smtp-proto_copying", |b| {
            b.iter(|| {
                vec.clear();
                ours::data_with(black_box(wire), |data| vec.extend_from_slice(data));
                assert_eq!(vec.len(), len);
            })
        });
        g.bench_function("stalwart-0.2.5", |b| {
            b.iter(|| assert_eq!(stalwart::data(black_box(wire), &mut vec), len))
        });
        ceilings(&mut g, wire);
        g.finish();
    }
}

fn encode(c: &mut Criterion) {
    // The first 64 KB of the pipelined stream, parsed once.
    let (buf, _) = smtp_wire_benches::pipeline(64_000);
    let mut commands = Vec::new();
    let mut pos = 0;
    while let Ok(Status::Complete((command, used))) = Command::parse(&buf[pos..]) {
        commands.push(command);
        pos += used;
    }
    let codec_commands = codec::parsed(&buf);
    let mut out = vec![0u8; 2 * buf.len()];
    let mut vec = Vec::with_capacity(2 * buf.len());
    let expected = ours::encode_commands(&commands, &mut out);
    assert_eq!(&out[..expected], &buf[..], "canonical input");
    let mut g = group(c, "encode/commands_64KB", buf.len());
    g.bench_function("smtp-proto", |b| {
        b.iter(|| {
            assert_eq!(
                ours::encode_commands(black_box(&commands), &mut out),
                expected
            )
        })
    });
    // smtp-codec has no BDAT, so it encodes fewer commands: a lower bound.
    g.bench_function("smtp-codec-0.2.0", |b| {
        b.iter(|| assert!(codec::encode_commands(black_box(&codec_commands), &mut vec) > 0))
    });
    g.finish();

    let mechs = Mechanisms::new("PLAIN LOGIN").expect("mechanisms");
    let caps = smtp_wire_benches::ehlo_capabilities(mechs);
    let reply = EhloReply::new("mx.example.org", Some("you had me at EHLO"), &caps).expect("reply");
    let theirs = stalwart::ehlo_response();
    let len = ours::encode_reply(&reply, &mut out);
    let mut g = group(c, "encode/ehlo_reply_12_lines", len);
    g.bench_function("smtp-proto", |b| {
        b.iter(|| assert_eq!(ours::encode_reply(black_box(&reply), &mut out), len))
    });
    g.bench_function("stalwart-0.2.5", |b| {
        b.iter(|| assert!(stalwart::encode_ehlo(black_box(&theirs), &mut vec) > 0))
    });
    g.finish();

    let (content, wire) = smtp_wire_benches::message(smtp_wire_benches::MESSAGE_SIZE, 10);
    let mut out = vec![0u8; wire.len()];
    let mut g = group(c, "encode/dot_stuff_1MiB_10pct_dots", content.len());
    g.bench_function("smtp-proto", |b| {
        b.iter(|| assert_eq!(ours::dot_stuff(black_box(&content), &mut out), wire.len()))
    });
    g.bench_function("ceiling_copy", |b| {
        b.iter(|| ceiling::copy(black_box(&wire), &mut out))
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = pipeline, command, reply, bodies, encode
}
criterion_main!(benches);
