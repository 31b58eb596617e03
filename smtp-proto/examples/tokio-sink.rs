//! An async SMTP sink on [`ServerCodec`]: accepts mail from anyone and writes
//! each message, byte for byte as received (after dot-unstuffing), to a
//! directory. Many connections at once, PIPELINING, DATA and BDAT (CHUNKING).
//!
//! ```text
//! cargo run -p smtp-wire --features tokio --example tokio-sink -- \
//!     --listen 127.0.0.1:2525 --dir /tmp/sink
//! ```
//!
//! It prints `listening on ADDR` once it accepts connections (`--listen
//! 127.0.0.1:0` picks a free port). Messages are written to a temporary name
//! and renamed to `<n>.eml` before the `250` is sent, so a file that exists
//! is complete. Not a mail server: no TLS, no AUTH, no relay rules.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use smtp_wire::codec::{BodyEnd, ServerCodec, ServerEvent, ServerMode};
use smtp_wire::ehlo::{Capability, EhloReply};
use smtp_wire::reply::ReplyCode;
use smtp_wire::{Command, DataConfig, Reply};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::Framed;

/// The SIZE limit advertised and enforced (RFC 1870).
const MAX_MESSAGE: u64 = 32 << 20;
/// A client that says nothing for this long is dropped (RFC 5321 §4.5.3.2.7).
const IDLE: Duration = Duration::from_secs(300);

struct Sink {
    dir: PathBuf,
    next: AtomicU64,
}

impl Sink {
    /// Writes one message; returns its file name.
    async fn store(&self, message: &[u8]) -> std::io::Result<String> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let name = format!("{n}.eml");
        let tmp = self.dir.join(format!(".{n}.tmp"));
        tokio::fs::write(&tmp, message).await?;
        tokio::fs::rename(&tmp, self.dir.join(&name)).await?;
        Ok(name)
    }
}

fn reply<'a>(code: u16, lines: &'a [&'a str]) -> Reply<'a> {
    // Codes are constants here and texts have no control characters.
    Reply::new(ReplyCode::new(code).expect("valid code"), lines).expect("valid reply text")
}

/// What the current transaction has collected.
#[derive(Default)]
struct Transaction {
    mail: bool,
    recipients: usize,
    /// BDAT chunks were received (DATA is then out of sequence).
    chunking: bool,
    /// A BDAT chunk was refused: discard the rest of the message.
    failed: bool,
    message: Vec<u8>,
}

async fn session(stream: TcpStream, sink: Arc<Sink>) -> std::io::Result<()> {
    let mut data = DataConfig::new();
    data.max_message_size(Some(MAX_MESSAGE));
    let mut framed = Framed::new(stream, ServerCodec::with_config(Default::default(), data));
    framed
        .send(reply(220, &["sink.example ESMTP smtp-proto tokio-sink"]).into())
        .await?;
    let caps = [
        Capability::Pipelining,
        Capability::Chunking,
        Capability::EightBitMime,
        Capability::BinaryMime,
        Capability::EnhancedStatusCodes,
        Capability::Size(Some(MAX_MESSAGE)),
    ];
    let ehlo = EhloReply::new("sink.example", Some("hello"), &caps).expect("valid EHLO reply");
    let mut tx = Transaction::default();
    let mut in_data = false;

    loop {
        let event = match tokio::time::timeout(IDLE, framed.next()).await {
            Ok(Some(event)) => event?,
            Ok(None) => return Ok(()),
            Err(_) => {
                framed
                    .send(reply(421, &["4.4.2 Idle too long"]).into())
                    .await?;
                return Ok(());
            }
        };
        match event {
            ServerEvent::Command(cmd) => match cmd.command() {
                Command::Ehlo(_) | Command::Lhlo(_) => {
                    tx = Transaction::default();
                    framed.feed(ehlo.into()).await?;
                }
                Command::Helo(_) => {
                    tx = Transaction::default();
                    framed.feed(reply(250, &["sink.example"]).into()).await?;
                }
                Command::Mail(_) if tx.mail => {
                    framed
                        .feed(reply(503, &["5.5.1 Nested MAIL command"]).into())
                        .await?;
                }
                Command::Mail(mail) if mail.params.size.is_some_and(|s| s > MAX_MESSAGE) => {
                    framed
                        .feed(reply(552, &["5.3.4 Message too big"]).into())
                        .await?;
                }
                Command::Mail(_) => {
                    tx = Transaction {
                        mail: true,
                        ..Default::default()
                    };
                    framed.feed(reply(250, &["2.1.0 Sender OK"]).into()).await?;
                }
                Command::Rcpt(_) if !tx.mail => {
                    framed
                        .feed(reply(503, &["5.5.1 Need MAIL first"]).into())
                        .await?;
                }
                Command::Rcpt(_) => {
                    tx.recipients += 1;
                    framed
                        .feed(reply(250, &["2.1.5 Recipient OK"]).into())
                        .await?;
                }
                Command::Data if tx.recipients == 0 || tx.chunking => {
                    framed
                        .feed(reply(503, &["5.5.1 Bad sequence of commands"]).into())
                        .await?;
                }
                Command::Data => {
                    // The codec starts DATA mode when this 354 goes out.
                    in_data = true;
                    framed
                        .feed(reply(354, &["End data with <CR><LF>.<CR><LF>"]).into())
                        .await?;
                }
                Command::Bdat { .. } => {
                    // The chunk follows at once; the reply comes at its end.
                    if tx.recipients == 0 {
                        tx.failed = true;
                    }
                    tx.chunking = true;
                }
                Command::Rset => {
                    tx = Transaction::default();
                    framed.feed(reply(250, &["2.0.0 OK"]).into()).await?;
                }
                Command::Noop(_) => framed.feed(reply(250, &["2.0.0 OK"]).into()).await?,
                Command::Quit => {
                    framed.send(reply(221, &["2.0.0 Bye"]).into()).await?;
                    return Ok(());
                }
                Command::Vrfy(_) => {
                    framed
                        .feed(reply(252, &["2.5.0 Cannot VRFY"]).into())
                        .await?
                }
                Command::Unknown(_) => {
                    framed
                        .feed(reply(500, &["5.5.2 Command unrecognized"]).into())
                        .await?;
                }
                _ => {
                    framed
                        .feed(reply(502, &["5.5.1 Command not implemented"]).into())
                        .await?
                }
            },
            ServerEvent::Body(piece) => {
                if !tx.failed {
                    tx.message.extend_from_slice(&piece);
                }
            }
            ServerEvent::BodyEnd(BodyEnd::Data(_)) => {
                in_data = false;
                let text = format!("2.0.0 Queued as {}", sink.store(&tx.message).await?);
                tx = Transaction::default();
                framed.feed(reply(250, &[&text]).into()).await?;
            }
            ServerEvent::BodyEnd(BodyEnd::Chunk { last }) => {
                if tx.failed {
                    // RFC 3030 §2: the chunk was read and discarded.
                    framed
                        .feed(reply(554, &["5.5.1 No valid recipients"]).into())
                        .await?;
                    if last {
                        tx = Transaction::default();
                    }
                } else if tx.message.len() as u64 > MAX_MESSAGE {
                    tx.failed = true;
                    framed
                        .feed(reply(552, &["5.3.4 Message too big"]).into())
                        .await?;
                } else if last {
                    let text = format!("2.0.0 Queued as {}", sink.store(&tx.message).await?);
                    tx = Transaction::default();
                    framed.feed(reply(250, &[&text]).into()).await?;
                } else {
                    framed
                        .feed(reply(250, &["2.0.0 Chunk received"]).into())
                        .await?;
                }
            }
            ServerEvent::Error(err) => {
                // In DATA mode this ends (and refuses) the message.
                if in_data {
                    in_data = false;
                    tx = Transaction::default();
                }
                framed.feed(err.reply().into()).await?;
            }
            // We never accept STARTTLS or AUTH, so no other event comes.
            _ => return Ok(()),
        }
        // RFC 2920 §3.2: flush the replies once the pipelined input is used up,
        // and whenever the codec waits for the client.
        if framed.read_buffer().is_empty() || framed.codec().mode() != ServerMode::Commands {
            framed.flush().await?;
        }
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1).cloned()
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let listen = arg(&args, "--listen").unwrap_or_else(|| "127.0.0.1:2525".into());
    let dir = PathBuf::from(arg(&args, "--dir").unwrap_or_else(|| "sink".into()));
    tokio::fs::create_dir_all(&dir).await?;
    let sink = Arc::new(Sink {
        dir: Path::new(&dir).to_path_buf(),
        next: AtomicU64::new(0),
    });
    let listener = TcpListener::bind(&listen).await?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (stream, peer) = listener.accept().await?;
        let sink = Arc::clone(&sink);
        tokio::spawn(async move {
            if let Err(err) = session(stream, sink).await {
                eprintln!("{peer}: {err}");
            }
        });
    }
}
