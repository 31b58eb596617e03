//! The quick ratio table (well under a minute): every workload of the
//! criterion bench, timed with `Instant` for `smtp-wire` and the peers in
//! the same run, interleaved round by round; the best round of each counts.
//! Only the ratios are meaningful on a shared machine.
//!
//! ```sh
//! cargo run --release -p smtp-wire-benches --example ratios
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use smtp_wire::ehlo::{EhloReply, Mechanisms};
use smtp_wire::{Command, Status};
use smtp_wire_benches::{ceiling, ours};

#[path = "peers.rs"]
mod peers;
use peers::{codec, stalwart};

/// Rounds per workload; each round runs every candidate for about `SAMPLE`.
const ROUNDS: usize = 15;
const SAMPLE: Duration = Duration::from_millis(4);

/// One candidate: a name and a body that runs the workload once (and asserts).
type Body<'a> = (&'static str, Box<dyn FnMut() + 'a>);

/// Best nanoseconds per run of each body, measured in interleaved rounds.
fn measure(bodies: &mut [Body<'_>]) -> Vec<f64> {
    let iters: Vec<u32> = bodies
        .iter_mut()
        .map(|(_, body)| {
            let mut n = 1u32;
            loop {
                let start = Instant::now();
                for _ in 0..n {
                    body();
                }
                if start.elapsed() >= SAMPLE / 4 || n >= 1 << 24 {
                    return n.saturating_mul(4);
                }
                n *= 2;
            }
        })
        .collect();
    let mut best = vec![f64::INFINITY; bodies.len()];
    for _ in 0..ROUNDS {
        for ((_, body), (&n, best)) in bodies.iter_mut().zip(iters.iter().zip(&mut best)) {
            let start = Instant::now();
            for _ in 0..n {
                body();
            }
            let ns = start.elapsed().as_nanos() as f64 / f64::from(n);
            *best = best.min(ns);
        }
    }
    best
}

struct Row {
    workload: &'static str,
    bytes: usize,
    goal: Option<f64>,
    /// ns per run: ours, Stalwart, smtp-codec, memchr ceiling, copy ceiling.
    times: [Option<f64>; 5],
}

/// Measures `bodies`, whose names say which column each fills.
fn row(workload: &'static str, bytes: usize, goal: Option<f64>, mut bodies: Vec<Body<'_>>) -> Row {
    let times = measure(&mut bodies);
    let mut row = Row {
        workload,
        bytes,
        goal,
        times: [None; 5],
    };
    for ((name, _), time) in bodies.iter().zip(times) {
        let column = ["ours", "stalwart", "codec", "memchr", "copy"]
            .iter()
            .position(|c| c == name)
            .expect("column");
        row.times[column] = Some(time);
    }
    eprintln!("measured {workload}");
    row
}

fn ceilings<'a>(buf: &'a [u8], out: &'a mut [u8]) -> [Body<'a>; 2] {
    let lines = ceiling::count_lf(buf);
    [
        (
            "memchr",
            Box::new(move || assert_eq!(ceiling::count_lf(black_box(buf)), lines)),
        ),
        (
            "copy",
            Box::new(move || assert_eq!(ceiling::copy(black_box(buf), out), buf.len())),
        ),
    ]
}

fn main() {
    let started = Instant::now();
    let mut rows = Vec::new();

    let (pipe, mix) = smtp_wire_benches::pipeline_500k();
    let pipe = &pipe[..];
    let mut out = vec![0u8; 4 << 20];
    let [memchr, copy] = ceilings(pipe, &mut out[..pipe.len()]);
    rows.push(row(
        "pipelined commands, 500 KB whole",
        pipe.len(),
        Some(2.5),
        vec![
            (
                "ours",
                Box::new(|| assert_eq!(ours::commands(black_box(pipe)).0, mix)),
            ),
            (
                "stalwart",
                Box::new(|| assert_eq!(stalwart::commands(black_box(pipe)), mix)),
            ),
            (
                "codec",
                Box::new(|| assert_eq!(codec::commands(black_box(pipe)), mix)),
            ),
            memchr,
            copy,
        ],
    ));
    let mut scratch_a = vec![0u8; smtp_wire_benches::READ_BUF];
    let mut scratch_b = vec![0u8; smtp_wire_benches::READ_BUF];
    rows.push(row(
        "pipelined commands, 8 KiB reads",
        pipe.len(),
        Some(2.5),
        vec![
            (
                "ours",
                Box::new(|| assert_eq!(ours::commands_reads(black_box(pipe), &mut scratch_a), mix)),
            ),
            (
                "stalwart",
                Box::new(|| assert_eq!(stalwart::commands_reads(black_box(pipe)), mix)),
            ),
            (
                "codec",
                Box::new(|| {
                    assert_eq!(codec::commands_reads(black_box(pipe), &mut scratch_b), mix)
                }),
            ),
        ],
    ));

    let (heavy, heavy_mix) = smtp_wire_benches::pipeline_params_500k();
    let heavy = &heavy[..];
    rows.push(row(
        "pipelined commands, parameter-heavy 500 KB (old corpus)",
        heavy.len(),
        None,
        vec![
            (
                "ours",
                Box::new(|| assert_eq!(ours::commands(black_box(heavy)).0, heavy_mix)),
            ),
            (
                "stalwart",
                Box::new(|| assert_eq!(stalwart::commands(black_box(heavy)), heavy_mix)),
            ),
        ],
    ));

    let mail = smtp_wire_benches::MAIL_RCPT;
    rows.push(row(
        "MAIL FROM + RCPT TO with params",
        mail.len(),
        None,
        vec![
            (
                "ours",
                Box::new(|| assert_eq!(ours::mail_rcpt(black_box(mail)), (2548921, 21))),
            ),
            (
                "stalwart",
                Box::new(|| assert_eq!(stalwart::mail_rcpt(black_box(mail)), (2548921, 21))),
            ),
            (
                "codec",
                Box::new(|| assert_eq!(codec::mail_rcpt(black_box(mail)), (4, 2))),
            ),
        ],
    ));

    let (replies, count) = smtp_wire_benches::reply_stream(100_000);
    let replies = &replies[..];
    let (_, codes) = ours::replies(replies);
    let [memchr, copy] = ceilings(replies, &mut out[..replies.len()]);
    rows.push(row(
        "single-line reply stream, 100 KB",
        replies.len(),
        Some(2.0),
        vec![
            (
                "ours",
                Box::new(|| assert_eq!(ours::replies(black_box(replies)), (count, codes))),
            ),
            (
                "stalwart",
                Box::new(|| assert_eq!(stalwart::replies(black_box(replies)), (count, codes))),
            ),
            (
                "codec",
                Box::new(|| assert_eq!(codec::replies(black_box(replies)), count)),
            ),
            memchr,
            copy,
        ],
    ));

    let ehlo = smtp_wire_benches::EHLO_REPLY;
    let caps = smtp_wire_benches::EHLO_CAPABILITIES;
    for (workload, walk) in [
        ("EHLO reply, 12 lines", false),
        ("EHLO reply, 12 lines + capabilities", true),
    ] {
        let size = if walk { 35882577 } else { 0 };
        let codec_caps = if walk { caps } else { 0 };
        rows.push(row(
            workload,
            ehlo.len(),
            Some(2.0),
            vec![
                (
                    "ours",
                    Box::new(move || assert_eq!(ours::ehlo(black_box(ehlo), walk), (caps, size))),
                ),
                (
                    "stalwart",
                    Box::new(move || {
                        assert_eq!(stalwart::ehlo(black_box(ehlo), walk), (caps, size))
                    }),
                ),
                (
                    "codec",
                    Box::new(move || assert_eq!(codec::ehlo(black_box(ehlo), walk), codec_caps)),
                ),
            ],
        ));
    }

    // The summary a client acts on: our one-pass `EhloReply::summary`
    // (extension set, SIZE, AUTH, LIMITS) against Stalwart's
    // `EhloResponse::parse` (flags, SIZE, AUTH mechanism flags).
    let extensions = smtp_wire_benches::ehlo_extensions();
    rows.push(row(
        "EHLO reply, 12 lines + summary",
        ehlo.len(),
        Some(2.0),
        vec![
            (
                "ours",
                Box::new(move || {
                    assert_eq!(ours::ehlo_summary(black_box(ehlo)), (extensions, 35882577))
                }),
            ),
            (
                "stalwart",
                Box::new(move || {
                    assert_eq!(stalwart::ehlo(black_box(ehlo), true), (caps, 35882577))
                }),
            ),
        ],
    ));

    let mut vec = Vec::with_capacity(4 << 20);
    let (bdat, len) = smtp_wire_benches::bdat_1mib();
    let bdat = &bdat[..];
    let [memchr, copy] = ceilings(bdat, &mut out[..bdat.len()]);
    rows.push(row(
        "BDAT 1 MiB in 64 KiB chunks",
        bdat.len(),
        Some(1.0),
        vec![
            (
                "ours",
                Box::new(|| assert_eq!(ours::bdat(black_box(bdat)), len)),
            ),
            (
                "stalwart",
                Box::new(|| assert_eq!(stalwart::bdat(black_box(bdat), &mut vec), len)),
            ),
            memchr,
            copy,
        ],
    ));

    {
        let (content, wire) = smtp_wire_benches::message(smtp_wire_benches::MESSAGE_SIZE, 1);
        let (len, wire) = (content.len(), &wire[..]);
        let [memchr, copy] = ceilings(wire, &mut out[..wire.len()]);
        rows.push(row(
            "DATA 1 MiB, accepting (every policy Accept)",
            wire.len(),
            Some(2.0),
            vec![
                (
                    "ours",
                    Box::new(|| assert_eq!(ours::data_accepting(black_box(wire)), len)),
                ),
                (
                    "stalwart",
                    Box::new(|| assert_eq!(stalwart::data(black_box(wire), &mut vec), len)),
                ),
                memchr,
                copy,
            ],
        ));
    }

    for (workload, copying_workload, dots, goal) in [
        (
            "DATA 1 MiB, strict",
            "DATA 1 MiB, strict, ours copying",
            1,
            Some(1.0),
        ),
        (
            "DATA 1 MiB, 10% dot lines",
            "DATA 1 MiB, 10% dots, ours copying",
            10,
            None,
        ),
    ] {
        let (content, wire) = smtp_wire_benches::message(smtp_wire_benches::MESSAGE_SIZE, dots);
        let (len, wire) = (content.len(), &wire[..]);
        let [memchr, copy] = ceilings(wire, &mut out[..wire.len()]);
        rows.push(row(
            workload,
            wire.len(),
            goal,
            vec![
                (
                    "ours",
                    Box::new(|| assert_eq!(ours::data(black_box(wire)), len)),
                ),
                (
                    "stalwart",
                    Box::new(|| assert_eq!(stalwart::data(black_box(wire), &mut vec), len)),
                ),
                memchr,
                copy,
            ],
        ));
        // Like for like: our payload slices appended to a Vec, as Stalwart does.
        let mut ours_vec = Vec::with_capacity(4 << 20);
        rows.push(row(
            copying_workload,
            wire.len(),
            None,
            vec![
                (
                    "ours",
                    Box::new(|| {
                        ours_vec.clear();
                        ours::data_with(black_box(wire), |d| ours_vec.extend_from_slice(d));
                        assert_eq!(ours_vec.len(), len);
                    }),
                ),
                (
                    "stalwart",
                    Box::new(|| assert_eq!(stalwart::data(black_box(wire), &mut vec), len)),
                ),
            ],
        ));
    }

    // Encoders.
    let (cmd_buf, _) = smtp_wire_benches::pipeline(64_000);
    let mut commands = Vec::new();
    let mut pos = 0;
    while let Ok(Status::Complete((command, used))) = Command::parse(&cmd_buf[pos..]) {
        commands.push(command);
        pos += used;
    }
    let codec_commands = codec::parsed(&cmd_buf);
    let mut enc_out = vec![0u8; 2 * cmd_buf.len()];
    assert_eq!(
        ours::encode_commands(&commands, &mut enc_out),
        cmd_buf.len()
    );
    rows.push(row(
        "encode commands, 64 KB (codec: no BDAT)",
        cmd_buf.len(),
        None,
        vec![
            (
                "ours",
                Box::new(|| {
                    let n = ours::encode_commands(black_box(&commands), &mut enc_out);
                    assert_eq!(n, cmd_buf.len());
                }),
            ),
            (
                "codec",
                Box::new(|| {
                    assert!(codec::encode_commands(black_box(&codec_commands), &mut vec) > 0)
                }),
            ),
        ],
    ));
    let mechs = Mechanisms::new("PLAIN LOGIN").expect("mechanisms");
    let caps = smtp_wire_benches::ehlo_capabilities(mechs);
    let reply = EhloReply::new("mx.example.org", Some("you had me at EHLO"), &caps).expect("reply");
    let theirs = stalwart::ehlo_response();
    let reply_len = ours::encode_reply(&reply, &mut enc_out);
    rows.push(row(
        "encode EHLO reply, 12 lines",
        reply_len,
        None,
        vec![
            (
                "ours",
                Box::new(|| {
                    assert_eq!(
                        ours::encode_reply(black_box(&reply), &mut enc_out),
                        reply_len
                    )
                }),
            ),
            (
                "stalwart",
                Box::new(|| assert!(stalwart::encode_ehlo(black_box(&theirs), &mut vec) > 0)),
            ),
        ],
    ));
    let (content, wire) = smtp_wire_benches::message(smtp_wire_benches::MESSAGE_SIZE, 10);
    let (content, wire_len) = (&content[..], wire.len());
    let mut stuffed = vec![0u8; wire_len];
    let mut copied = vec![0u8; wire_len];
    rows.push(row(
        "dot-stuff 1 MiB, 10% dot lines",
        content.len(),
        None,
        vec![
            (
                "ours",
                Box::new(|| {
                    assert_eq!(ours::dot_stuff(black_box(content), &mut stuffed), wire_len)
                }),
            ),
            (
                "copy",
                Box::new(|| assert_eq!(ceiling::copy(black_box(&wire), &mut copied), wire_len)),
            ),
        ],
    ));

    print_table(&rows);
    eprintln!("took {:.1} s", started.elapsed().as_secs_f64());
}

fn print_table(rows: &[Row]) {
    let mbps = |bytes: usize, ns: f64| bytes as f64 / ns * 1e3;
    let cell = |value: Option<String>| value.unwrap_or_else(|| "–".to_owned());
    println!(
        "| workload | smtp-wire MB/s | Stalwart 0.2.5 MB/s | **× Stalwart** (goal) | smtp-codec 0.2.0 MB/s | × smtp-codec | of memchr `\\n` count | of copy |"
    );
    println!("|---|--:|--:|--:|--:|--:|--:|--:|");
    for row in rows {
        let [ours, stalwart, codec, memchr, copy] = row.times;
        let ours = ours.expect("ours");
        let speed = |t: Option<f64>| t.map(|t| format!("{:.0}", mbps(row.bytes, t)));
        let ratio = |t: Option<f64>| t.map(|t| format!("{:.2}×", t / ours));
        let of = |t: Option<f64>| t.map(|t| format!("{:.2}", t / ours));
        let versus = match (ratio(stalwart), row.goal) {
            (Some(r), Some(goal)) => {
                let met = if stalwart.expect("time") / ours >= goal {
                    "✓"
                } else {
                    "✗"
                };
                Some(format!("**{r}** (≥{goal}× {met})"))
            }
            (r, _) => r,
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.workload,
            cell(speed(Some(ours))),
            cell(speed(stalwart)),
            cell(versus),
            cell(speed(codec)),
            cell(ratio(codec)),
            cell(of(memchr)),
            cell(of(copy)),
        );
    }
}
