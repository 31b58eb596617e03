//! Profiling driver (not a benchmark): runs one workload many times so that
//! `valgrind --tool=callgrind` has something to count.
//! `cargo build --release -p smtp-wire-benches --example profile`
//! `valgrind --tool=callgrind target/release/examples/profile commands`
//! Workloads: `commands`, `replies`, `ehlo` (parse and every typed
//! capability), `ehlo-parse`, `summary`, `encode-ehlo`.

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "commands".into());
    let (pipeline, _) = smtp_wire_benches::pipeline_500k();
    let (replies, _) = smtp_wire_benches::reply_stream(100_000);
    let mut total = 0usize;
    for _ in 0..20 {
        total += match which.as_str() {
            "commands" => smtp_wire_benches::ours::commands(&pipeline).1,
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
            other => panic!("unknown workload {other}"),
        };
    }
    println!("{total}");
}
