//! An async SMTP sink on [`ServerCodec`]: accepts mail from anyone and writes
//! each message, byte for byte as received (after dot-unstuffing), to a
//! directory. Many connections at once, PIPELINING, DATA and BDAT (CHUNKING).
//!
//! ```text
//! cargo run -p smtp-wire --features tokio --example tokio-sink -- \
//!     --listen 127.0.0.1:2525 --dir /tmp/sink
//! ```
//!
//! Options: `--listen ADDR` (default `127.0.0.1:2525`; port 0 picks a free
//! one), `--dir DIR` (default `sink`), `--max-size N` (default 33554432,
//! the SIZE advertised and enforced), `--max-rcpts N` (default 100).
//!
//! It prints `listening on ADDR` once it accepts connections. The session
//! layer does the protocol work (sequence, limits, pipelining rules); the
//! sink only decides to accept everything and stores what comes. Content is
//! written to a temporary file as it arrives, never held in memory, and the
//! file is renamed to `<n>.eml` before the `250` is sent, so a file that
//! exists is complete; a refused or oversized message is deleted. Not a
//! mail server: no TLS, no AUTH, no relay rules.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use smtp_wire::Command;
use smtp_wire::codec::{ServerCodec, ServerEvent};
use smtp_wire::ehlo::{Capability, EhloReply, Extension, Extensions};
use smtp_wire::reply::{EnhancedStatusCode, Reply, ReplyCode};
use smtp_wire::session::ServerConfig;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::Framed;

/// A client that says nothing for this long is dropped (RFC 5321 §4.5.3.2.7).
const IDLE: Duration = Duration::from_secs(300);

struct Sink {
    dir: PathBuf,
    next: AtomicU64,
    config: ServerConfig,
}

/// The message being received: a temporary file, written as pieces come.
struct Incoming {
    n: u64,
    file: tokio::fs::File,
}

impl Sink {
    async fn start(&self) -> std::io::Result<Incoming> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let file = tokio::fs::File::create(self.tmp(n)).await?;
        Ok(Incoming { n, file })
    }

    fn tmp(&self, n: u64) -> PathBuf {
        self.dir.join(format!(".{n}.tmp"))
    }

    /// Makes the message visible as `<n>.eml`; returns the name.
    async fn keep(&self, mut message: Incoming) -> std::io::Result<String> {
        message.file.flush().await?;
        drop(message.file);
        let name = format!("{}.eml", message.n);
        tokio::fs::rename(self.tmp(message.n), self.dir.join(&name)).await?;
        Ok(name)
    }

    async fn discard(&self, message: Option<Incoming>) {
        if let Some(message) = message {
            drop(message.file);
            let _ = tokio::fs::remove_file(self.tmp(message.n)).await;
        }
    }
}

fn reply<'a>(code: ReplyCode, esc: EnhancedStatusCode, lines: &'a [&'a str]) -> Reply<'a> {
    // The texts below have no control characters.
    Reply::with_enhanced(code, esc, lines).expect("valid reply text")
}

async fn session(stream: TcpStream, sink: Arc<Sink>) -> std::io::Result<()> {
    let mut framed = Framed::new(stream, ServerCodec::new(sink.config));
    framed
        .send(
            Reply::new(
                ReplyCode::SERVICE_READY,
                &["sink.example ESMTP smtp-wire tokio-sink"],
            )
            .expect("valid")
            .into(),
        )
        .await?;
    let caps = [
        Capability::Pipelining,
        Capability::Chunking,
        Capability::EightBitMime,
        Capability::BinaryMime,
        Capability::EnhancedStatusCodes,
        Capability::SmtpUtf8,
        Capability::Size(Some(sink.config.max_message_size_limit())),
    ];
    let ehlo = EhloReply::new("sink.example", Some("hello"), &caps).expect("valid EHLO reply");
    let mut message: Option<Incoming> = None;

    loop {
        let event = match tokio::time::timeout(IDLE, framed.next()).await {
            Ok(Some(event)) => event?,
            Ok(None) => break,
            Err(_) => {
                let bye = reply(
                    ReplyCode::SERVICE_NOT_AVAILABLE,
                    EnhancedStatusCode::TEMP_BAD_CONNECTION,
                    &["Idle too long"],
                );
                framed.send(bye.into()).await?;
                break;
            }
        };
        match event {
            ServerEvent::Command(cmd) => match cmd.command() {
                Command::Ehlo(_) | Command::Lhlo(_) => framed.feed(ehlo.into()).await?,
                Command::Helo(_) => {
                    framed
                        .feed(
                            Reply::new(ReplyCode::OK, &["sink.example"])
                                .expect("valid")
                                .into(),
                        )
                        .await?
                }
                Command::Mail(_) => {
                    framed
                        .feed(
                            reply(
                                ReplyCode::OK,
                                EnhancedStatusCode::ADDRESS_OK,
                                &["Sender OK"],
                            )
                            .into(),
                        )
                        .await?
                }
                Command::Rcpt(_) => {
                    framed
                        .feed(
                            reply(
                                ReplyCode::OK,
                                EnhancedStatusCode::DESTINATION_VALID,
                                &["Recipient OK"],
                            )
                            .into(),
                        )
                        .await?
                }
                Command::Data => {
                    message = Some(sink.start().await?);
                    let go = Reply::new(
                        ReplyCode::START_MAIL_INPUT,
                        &["End data with <CR><LF>.<CR><LF>"],
                    )
                    .expect("valid");
                    framed.feed(go.into()).await?;
                }
                Command::Rset | Command::Noop(_) => {
                    sink.discard(message.take()).await;
                    framed
                        .feed(reply(ReplyCode::OK, EnhancedStatusCode::OK, &["OK"]).into())
                        .await?
                }
                Command::Quit => {
                    framed
                        .send(
                            reply(ReplyCode::SERVICE_CLOSING, EnhancedStatusCode::OK, &["Bye"])
                                .into(),
                        )
                        .await?;
                    break;
                }
                Command::Vrfy(_) => {
                    framed
                        .feed(
                            reply(
                                ReplyCode::CANNOT_VERIFY,
                                EnhancedStatusCode::OK,
                                &["Cannot VRFY"],
                            )
                            .into(),
                        )
                        .await?
                }
                Command::Unknown(_) => {
                    framed
                        .feed(smtp_wire::ErrorKind::UnrecognizedCommand.reply().into())
                        .await?
                }
                _ => {
                    framed
                        .feed(
                            reply(
                                ReplyCode::NOT_IMPLEMENTED,
                                EnhancedStatusCode::INVALID_COMMAND,
                                &["Command not implemented"],
                            )
                            .into(),
                        )
                        .await?
                }
            },
            ServerEvent::Body(piece) => {
                // BDAT content starts without a command of its own to answer.
                if message.is_none() {
                    message = Some(sink.start().await?);
                }
                if let Some(incoming) = &mut message {
                    incoming.file.write_all(&piece).await?;
                }
            }
            // Too large, or content the session refuses: stop storing now;
            // the session drains the rest and sends the refusal at its end.
            ServerEvent::BodyRejected(_) => sink.discard(message.take()).await,
            ServerEvent::ChunkEnd(end) => {
                let text = format!("{} octets received", end.total());
                framed
                    .feed(reply(ReplyCode::OK, EnhancedStatusCode::OK, &[text.as_str()]).into())
                    .await?;
            }
            ServerEvent::MessageEnd(_) => {
                let incoming = match message.take() {
                    Some(incoming) => incoming,
                    // An empty message (BDAT 0 LAST, or `.` at once).
                    None => sink.start().await?,
                };
                let text = format!("Queued as {}", sink.keep(incoming).await?);
                framed
                    .feed(reply(ReplyCode::OK, EnhancedStatusCode::OK, &[text.as_str()]).into())
                    .await?;
            }
            ServerEvent::Bdat { .. } => {}
            ServerEvent::Error(err) => {
                // A refused message ends what was being stored.
                if !framed.codec().session().transaction().is_open() {
                    sink.discard(message.take()).await;
                }
                framed.feed(err.reply().into()).await?;
            }
            ServerEvent::Reply(refusal) => {
                // A refused message or chunk ends what was being stored.
                let tx = framed.codec().session().transaction();
                if !tx.is_open() || tx.is_failed() {
                    sink.discard(message.take()).await;
                }
                framed.feed(refusal.into()).await?;
            }
            ServerEvent::Close(last) => {
                framed.send(last.into()).await?;
                break;
            }
            // No STARTTLS is offered; Closed, or anything new: end.
            _ => break,
        }
        // RFC 2920 §3.2: flush the replies once the pipelined input is used
        // up (a client waiting for a reply has sent nothing more).
        if framed.read_buffer().is_empty() {
            framed.flush().await?;
        }
    }
    framed.flush().await?;
    sink.discard(message.take()).await;
    Ok(())
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
    let number = |name: &str, default: u64| {
        arg(&args, name).map_or(default, |v| {
            v.parse().unwrap_or_else(|_| panic!("bad {name}"))
        })
    };
    tokio::fs::create_dir_all(&dir).await?;
    let mut config = ServerConfig::new();
    config
        .extensions(
            Extensions::new()
                .with(Extension::Pipelining)
                .with(Extension::Chunking)
                .with(Extension::EightBitMime)
                .with(Extension::BinaryMime)
                .with(Extension::EnhancedStatusCodes)
                .with(Extension::SmtpUtf8)
                .with(Extension::Size),
        )
        .max_message_size(number("--max-size", 32 << 20))
        .max_recipients(number("--max-rcpts", 100) as usize);
    let sink = Arc::new(Sink {
        dir,
        next: AtomicU64::new(0),
        config,
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
