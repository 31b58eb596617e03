//! Parses the client side of a real SMTP session (Postfix 3.7 relaying a
//! message: pipelined MAIL and RCPTs with DSN parameters, then DATA) and
//! prints each command in canonical form.
//!
//! Run: `cargo run -p smtp-proto --example parse-session [FILE]`

use smtp_proto::{Command, Encode, Status};

static SAMPLE: &[u8] = include_bytes!("data/postfix-client.c2s");

fn main() {
    let path = std::env::args().nth(1);
    let owned;
    let stream: &[u8] = match &path {
        Some(path) => {
            owned = std::fs::read(path).unwrap_or_else(|err| panic!("{path}: {err}"));
            &owned
        }
        None => SAMPLE,
    };
    let mut offset = 0;
    while offset < stream.len() {
        let rest = &stream[offset..];
        match Command::parse(rest) {
            Ok(Status::Complete((command, used))) => {
                let canonical = command.encode_to_vec();
                let text = String::from_utf8_lossy(&canonical);
                println!("{offset:>6}  C: {}", text.trim_end());
                offset += used;
                if command == Command::Data {
                    // The body runs to <CRLF>.<CRLF>; the CRLF of the DATA line
                    // is the first half of it (RFC 5321 §4.1.1.4).
                    let end = if rest[used..].starts_with(b".\r\n") {
                        Some(3)
                    } else {
                        memchr::memmem::find(&rest[used..], b"\r\n.\r\n").map(|at| at + 5)
                    };
                    match end {
                        Some(end) => {
                            println!("{offset:>6}     [message content: {end} octets on the wire]");
                            offset += end;
                        }
                        None => break,
                    }
                }
            }
            Ok(Status::Partial) => {
                println!("{offset:>6}  [incomplete: {} octets]", rest.len());
                break;
            }
            Err(err) => {
                println!("{offset:>6}  error: {} -> {}", err.kind(), err.reply());
                offset += err.skip();
            }
        }
    }
}
