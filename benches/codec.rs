//! The server codec against the plain parse loop on a pipelined command
//! stream: what the session (sequence and parameter checks) and the codec's
//! owned events (a frozen `Bytes` per line, the re-parse behind
//! `OwnedCommand::command`) cost over parsing borrowed slices.
//!
//! ```text
//! cargo bench -p smtp-wire-benches --bench codec
//! ```

use std::hint::black_box;
use std::time::Duration;

use bytes::BytesMut;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use smtp_wire::codec::{ServerCodec, ServerEvent};
use smtp_wire::ehlo::Extension;
use smtp_wire::reply::{Reply, ReplyCode};
use smtp_wire::session::ServerConfig;
use smtp_wire::{Command, Status};
use tokio_util::codec::{Decoder, Encoder};

/// A server that takes the whole stream at once: DSN offered, no limits
/// that the stream would hit.
fn codec() -> (ServerCodec, BytesMut) {
    let mut config = ServerConfig::new();
    config
        .extensions(ServerConfig::new().advertised().with(Extension::Dsn))
        .require_hello(false)
        .forbid_early_input(false)
        .max_errors(usize::MAX);
    let mut codec = ServerCodec::new(config);
    let mut out = BytesMut::new();
    codec
        .encode(ok(ReplyCode::SERVICE_READY).into(), &mut out)
        .unwrap();
    (codec, out)
}

fn ok(code: ReplyCode) -> Reply<'static> {
    Reply::new(code, &["ok"]).unwrap()
}

/// A pipelined stream of `n` transactions without message content: the
/// commands a busy relay sees (RFC 2920 groups of RSET, MAIL, RCPT).
fn pipelined_commands(n: usize) -> (Vec<u8>, usize) {
    let mut out = b"EHLO client.example\r\n".to_vec();
    let mut count = 1;
    for i in 0..n {
        out.extend_from_slice(b"RSET\r\n");
        out.extend_from_slice(
            format!(
                "MAIL FROM:<sender{i}@example.org> SIZE={} BODY=8BITMIME\r\n",
                1000 + i
            )
            .as_bytes(),
        );
        for r in 0..3 {
            out.extend_from_slice(
                format!("RCPT TO:<user{r}.{i}@mail.example.net> NOTIFY=SUCCESS,FAILURE\r\n")
                    .as_bytes(),
            );
        }
        out.extend_from_slice(b"NOOP\r\n");
        count += 6;
    }
    (out, count)
}

fn bench(c: &mut Criterion) {
    let (input, count) = pipelined_commands(1000);
    let mut group = c.benchmark_group("pipeline");
    group
        .throughput(Throughput::Bytes(input.len() as u64))
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));

    group.bench_function("parse_loop", |b| {
        b.iter(|| {
            let mut buf = black_box(&input[..]);
            let mut seen = 0;
            while let Ok(Status::Complete((cmd, used))) = Command::parse(buf) {
                black_box(&cmd);
                seen += 1;
                buf = &buf[used..];
            }
            assert_eq!(seen, count);
        })
    });

    // The codec's input is a fresh `BytesMut` each time (as a read gives);
    // the copy into it is outside the measurement.
    group.bench_function("server_codec", |b| {
        b.iter_batched(
            || BytesMut::from(&input[..]),
            |mut buf| {
                let (mut codec, mut out) = codec();
                let mut seen = 0;
                while let Ok(Some(ServerEvent::Command(cmd))) = codec.decode(&mut buf) {
                    black_box(cmd.command());
                    codec.encode(ok(ReplyCode::OK).into(), &mut out).unwrap();
                    out.clear();
                    seen += 1;
                }
                assert_eq!(seen, count);
                buf
            },
            BatchSize::LargeInput,
        )
    });

    // The codec without looking at the commands: framing, validation and
    // the owned line, no second parse.
    group.bench_function("server_codec_events_only", |b| {
        b.iter_batched(
            || BytesMut::from(&input[..]),
            |mut buf| {
                let (mut codec, mut out) = codec();
                let mut seen = 0;
                while let Ok(Some(event)) = codec.decode(&mut buf) {
                    black_box(&event);
                    codec.encode(ok(ReplyCode::OK).into(), &mut out).unwrap();
                    out.clear();
                    seen += 1;
                }
                assert_eq!(seen, count);
                buf
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
