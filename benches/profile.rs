//! Profiling driver (not a benchmark): runs one workload many times so that
//! `valgrind --tool=callgrind` has something to count.
//! `cargo build --release -p smtp-wire-benches --example profile`
//! `valgrind --tool=callgrind target/release/examples/profile commands`
//!
//! Workloads: `commands` (the realistic pipelined stream, `pipeline_500k`),
//! `commands-params` (the parameter-heavy stream, `pipeline_params_500k`),
//! `stalwart-commands` and `stalwart-commands-params` (Stalwart's
//! `Request::parse` on the same streams),
//! `replies`, `ehlo` (parse and every typed capability), `ehlo-parse`,
//! `summary`, `encode-ehlo`, `encode-commands`; `data-strict`, `data-dots`
//! and `data-accepting` (the DATA decoder on the 1 MiB messages of the
//! `ratios` rows: 1% dot lines strict, 10% dot lines strict, 1% with every
//! policy Accept); `stats` prints the command mix of both streams.

#[path = "peers.rs"]
#[allow(dead_code)]
mod peers;

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "commands".into());
    let (pipeline, _) = smtp_wire_benches::pipeline_500k();
    let (heavy, _) = smtp_wire_benches::pipeline_params_500k();
    let (replies, _) = smtp_wire_benches::reply_stream(100_000);
    let (_, message) = smtp_wire_benches::message(smtp_wire_benches::MESSAGE_SIZE, 1);
    let (_, dotted) = smtp_wire_benches::message(smtp_wire_benches::MESSAGE_SIZE, 10);
    if which == "stats" {
        for (name, buf) in [
            ("pipeline_500k", &pipeline),
            ("pipeline_params_500k", &heavy),
        ] {
            stats(name, buf);
        }
        return;
    }
    let mut total = 0usize;
    for _ in 0..20 {
        total += match which.as_str() {
            "commands" => smtp_wire_benches::ours::commands(&pipeline).1,
            "commands-params" => smtp_wire_benches::ours::commands(&heavy).1,
            "stalwart-commands" => peers::stalwart::commands(&pipeline).commands,
            "stalwart-commands-params" => peers::stalwart::commands(&heavy).commands,
            "data-strict" => smtp_wire_benches::ours::data(std::hint::black_box(&message)),
            "data-dots" => smtp_wire_benches::ours::data(std::hint::black_box(&dotted)),
            "data-accepting" => {
                smtp_wire_benches::ours::data_accepting(std::hint::black_box(&message))
            }
            "replies" => smtp_wire_benches::ours::replies(&replies).0,
            "ehlo" => (0..1000)
                .map(|_| smtp_wire_benches::ours::ehlo(smtp_wire_benches::EHLO_REPLY, true).0)
                .sum(),
            "ehlo-parse" => (0..1000)
                .map(|_| smtp_wire_benches::ours::ehlo(smtp_wire_benches::EHLO_REPLY, false).0)
                .sum(),
            "summary" => (0..1000)
                .map(|_| {
                    smtp_wire_benches::ours::ehlo_summary(smtp_wire_benches::EHLO_REPLY).1 as usize
                })
                .sum(),
            "encode-ehlo" => {
                let mechs = smtp_wire::ehlo::Mechanisms::new("PLAIN LOGIN").expect("mechanisms");
                let caps = smtp_wire_benches::ehlo_capabilities(mechs);
                let reply = smtp_wire::ehlo::EhloReply::new(
                    "mx.example.org",
                    Some("you had me at EHLO"),
                    &caps,
                )
                .expect("reply");
                let mut out = [0u8; 1024];
                (0..1000)
                    .map(|_| {
                        smtp_wire_benches::ours::encode_reply(
                            std::hint::black_box(&reply),
                            &mut out,
                        )
                    })
                    .sum()
            }
            "encode-commands" => {
                let mut commands = Vec::new();
                let mut pos = 0;
                while let Ok(smtp_wire::Status::Complete((command, used))) =
                    smtp_wire::Command::parse(&pipeline[pos..])
                {
                    commands.push(command);
                    pos += used;
                }
                let mut out = vec![0u8; 2 * pipeline.len()];
                smtp_wire_benches::ours::encode_commands(std::hint::black_box(&commands), &mut out)
            }
            other => panic!("unknown workload {other}"),
        };
    }
    println!("{total}");
}

/// Lines, average length, and the share of each verb (with parameter counts
/// for MAIL and RCPT).
fn stats(name: &str, buf: &[u8]) {
    use std::collections::BTreeMap;
    let mut kinds: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let lines: Vec<&[u8]> = buf.split_inclusive(|&b| b == b'\n').collect();
    for line in &lines {
        let text = String::from_utf8_lossy(line);
        let verb = &text[..4];
        let kind = match verb {
            "MAIL" | "RCPT" => {
                let params = text.trim_end().split(' ').count() - 2;
                let null = if text.contains("<>") { " <>" } else { "" };
                format!("{verb}{null} +{params} params")
            }
            "BDAT" if text.contains("LAST") => "BDAT n LAST".into(),
            "BDAT" => "BDAT n".into(),
            "EHLO" if text.contains('[') => "EHLO [literal]".into(),
            _ => verb.to_owned(),
        };
        let entry = kinds.entry(kind).or_default();
        entry.0 += 1;
        entry.1 += line.len();
    }
    println!(
        "{name}: {} bytes, {} lines, {:.1} bytes per line",
        buf.len(),
        lines.len(),
        buf.len() as f64 / lines.len() as f64
    );
    println!("| line | share | average bytes |");
    println!("|---|--:|--:|");
    for (kind, (count, bytes)) in kinds {
        println!(
            "| {kind} | {:.1}% | {:.1} |",
            100.0 * count as f64 / lines.len() as f64,
            bytes as f64 / count as f64
        );
    }
}
