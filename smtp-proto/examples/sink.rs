//! `sink`: a small SMTP server that stores every message it accepts, a
//! thread per connection, on the crate's [`ServerSession`].
//!
//! ```text
//! cargo run -p smtp-wire --example sink -- --listen 127.0.0.1:2525 --dir /tmp/sink
//! ```
//!
//! It advertises PIPELINING, SIZE, 8BITMIME, SMTPUTF8, DSN, ENHANCEDSTATUSCODES
//! and CHUNKING, and takes messages with DATA or BDAT. The session does the
//! protocol work: the command sequence (503), the recipient limit (452), the
//! size limit (552, enforced as the content arrives), refused parameters
//! (555), the error limit (421), pipelining synchronisation (554), and
//! draining refused chunks. The sink decides the rest: it refuses
//! recipients whose address contains a configured text and stores what it
//! accepts. Replies are queued and written only when the session needs more
//! input, so a pipelined group is answered with one write (RFC 2920).
//!
//! Each accepted message is written to the directory as `NNNNNN.eml`, the
//! content exactly as received after dot-unstuffing (DATA) or with the chunks
//! joined (BDAT), next to `NNNNNN.env` with the envelope: the MAIL command,
//! one line per accepted RCPT, and how the content came. Content goes to a
//! temporary file as it arrives (memory stays bounded whatever the size);
//! the `.env` file is written first and the `.eml` appears whole (renamed
//! from its temporary name).
//!
//! Options:
//!
//! * `--listen ADDR` (default `127.0.0.1:2525`): the only address it binds;
//!   port 0 picks a free port. The first line on stdout says which.
//! * `--dir DIR` (default `.`): where messages go.
//! * `--reject TEXT` (default `reject`): refuse recipients whose address
//!   contains TEXT (550 5.1.1); an empty TEXT refuses none.
//! * `--max-size N` (default 10485760), `--max-rcpts N` (default 100).
//! * `--hostname NAME` (default `sink.test`).
//!
//! The session log (every command and reply) goes to stderr.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use smtp_wire::ehlo::{Capability, EhloReply, Extension, Extensions};
use smtp_wire::reply::{EnhancedStatusCode, Reply, ReplyCode};
use smtp_wire::session::{ServerConfig, ServerEvent, ServerSession};
use smtp_wire::{Command, Encode};

const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

struct Config {
    dir: PathBuf,
    reject: String,
    hostname: String,
    session: ServerConfig,
    counter: AtomicUsize,
}

fn main() {
    let mut listen = "127.0.0.1:2525".to_string();
    let (mut max_size, mut max_rcpts) = (10 * 1024 * 1024, 100);
    let mut config = Config {
        dir: PathBuf::from("."),
        reject: "reject".into(),
        hostname: "sink.test".into(),
        session: ServerConfig::new(),
        counter: AtomicUsize::new(0),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args
            .next()
            .unwrap_or_else(|| usage(&format!("{arg} needs a value")));
        match arg.as_str() {
            "--listen" => listen = value,
            "--dir" => config.dir = PathBuf::from(value),
            "--reject" => config.reject = value,
            "--max-size" => max_size = value.parse().unwrap_or_else(|_| usage("bad --max-size")),
            "--max-rcpts" => max_rcpts = value.parse().unwrap_or_else(|_| usage("bad --max-rcpts")),
            "--hostname" => config.hostname = value,
            _ => usage(&format!("unknown argument {arg:?}")),
        }
    }
    if EhloReply::new(&config.hostname, None, &[]).is_err() {
        usage("--hostname is not a valid EHLO domain");
    }
    config
        .session
        .extensions(
            Extensions::new()
                .with(Extension::Pipelining)
                .with(Extension::Size)
                .with(Extension::EightBitMime)
                .with(Extension::SmtpUtf8)
                .with(Extension::Dsn)
                .with(Extension::EnhancedStatusCodes)
                .with(Extension::Chunking),
        )
        .max_message_size(max_size)
        .max_recipients(max_rcpts);
    std::fs::create_dir_all(&config.dir)
        .unwrap_or_else(|err| fatal(&format!("{}: {err}", config.dir.display())));
    let listener =
        TcpListener::bind(&listen).unwrap_or_else(|err| fatal(&format!("bind {listen}: {err}")));
    let local = listener
        .local_addr()
        .unwrap_or_else(|err| fatal(&err.to_string()));
    println!("sink listening on {local}");
    std::io::stdout().flush().ok();
    let config = Arc::new(config);
    for (id, stream) in listener.incoming().enumerate() {
        let Ok(stream) = stream else { continue };
        let config = Arc::clone(&config);
        std::thread::spawn(move || {
            let peer = stream
                .peer_addr()
                .map(|a| a.to_string())
                .unwrap_or_default();
            eprintln!("[{id}] connect from {peer}");
            let mut connection = Connection::new(id, stream, &config);
            let result = connection.run();
            connection.drop_content();
            eprintln!(
                "[{id}] closed: {}",
                result.err().map_or("ok".to_string(), |e| e.to_string())
            );
        });
    }
}

fn usage(message: &str) -> ! {
    eprintln!("sink: {message}");
    eprintln!(
        "usage: sink [--listen ADDR] [--dir DIR] [--reject TEXT] [--max-size N] [--max-rcpts N] [--hostname NAME]"
    );
    std::process::exit(2)
}

fn fatal(message: &str) -> ! {
    eprintln!("sink: {message}");
    std::process::exit(1)
}

/// The envelope of the current transaction, and its content file.
#[derive(Default)]
struct Envelope {
    mail: String,
    rcpts: Vec<String>,
    chunks: usize,
    content: Option<(usize, File)>,
}

struct Connection<'c> {
    id: usize,
    stream: TcpStream,
    config: &'c Config,
    session: ServerSession,
    out: Vec<u8>,
    envelope: Envelope,
    closing: bool,
}

impl<'c> Connection<'c> {
    fn new(id: usize, stream: TcpStream, config: &'c Config) -> Connection<'c> {
        Connection {
            id,
            stream,
            config,
            session: ServerSession::new(config.session),
            out: Vec::new(),
            envelope: Envelope::default(),
            closing: false,
        }
    }

    fn run(&mut self) -> std::io::Result<()> {
        self.stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
        self.stream.set_write_timeout(Some(IDLE_TIMEOUT))?;
        let banner = format!("{} ESMTP smtp-wire sink", self.config.hostname);
        self.reply(ReplyCode::SERVICE_READY, None, &banner);
        let mut buf = Vec::new();
        let mut read_buf = vec![0u8; 64 * 1024];
        loop {
            // Handle everything that is complete; reply when more input is needed.
            let consumed = self.process(&buf)?;
            buf.drain(..consumed);
            self.flush()?;
            if self.closing {
                return Ok(());
            }
            let n = match self.stream.read(&mut read_buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(err)
                    if matches!(
                        err.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    let text = "Idle timeout, closing connection";
                    self.reply(
                        ReplyCode::SERVICE_NOT_AVAILABLE,
                        Some(EnhancedStatusCode::TEMP_BAD_CONNECTION),
                        text,
                    );
                    self.flush()?;
                    return Err(err);
                }
                Err(err) => return Err(err),
            };
            buf.extend_from_slice(&read_buf[..n]);
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.out.is_empty() {
            self.stream.write_all(&self.out)?;
            self.out.clear();
        }
        Ok(())
    }

    /// Queues a reply, tells the session, and logs it.
    fn reply(&mut self, code: ReplyCode, esc: Option<EnhancedStatusCode>, text: &str) {
        let lines = [text];
        let reply = match esc {
            Some(esc) => Reply::with_enhanced(code, esc, &lines),
            None => Reply::new(code, &lines),
        }
        .expect("reply text without control characters");
        self.send(reply);
    }

    fn send(&mut self, reply: Reply<'_>) {
        let start = self.out.len();
        reply.encode_append(&mut self.out);
        self.session.reply_sent(reply.code());
        eprint!(
            "[{}] S: {}",
            self.id,
            String::from_utf8_lossy(&self.out[start..])
        );
    }

    /// Handles the events in `buf`; returns the bytes used.
    fn process(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut used = 0;
        while !self.closing {
            let (event, n) = self.session.decode(&buf[used..]);
            used += n;
            let Some(event) = event else { break };
            match event {
                ServerEvent::Command(command) => self.command(command)?,
                ServerEvent::Body(piece) => {
                    if self.envelope.content.is_none() {
                        self.start_content()?;
                    }
                    if let Some((_, file)) = &mut self.envelope.content {
                        file.write_all(piece)?;
                    }
                }
                ServerEvent::BodyRejected(kind) => {
                    eprintln!("[{}] content refused: {kind}", self.id);
                    self.drop_content();
                }
                ServerEvent::Bdat { size, last } => {
                    let last = if last { " LAST" } else { "" };
                    eprintln!("[{}] C: BDAT {size}{last}", self.id);
                }
                ServerEvent::ChunkEnd(end) => {
                    self.envelope.chunks += 1;
                    let text = format!("{} octets received", end.total());
                    self.reply(ReplyCode::OK, Some(EnhancedStatusCode::OK), &text);
                }
                ServerEvent::MessageEnd(end) => {
                    let how = match end.data() {
                        Some(_) => "DATA".to_string(),
                        None => format!("BDAT {} chunks", self.envelope.chunks + 1),
                    };
                    self.deliver(&how, end.size())?;
                }
                ServerEvent::Error(err) => {
                    let skipped = String::from_utf8_lossy(&buf[used - n..used]);
                    eprintln!("[{}] C! {skipped:?}: {err}", self.id);
                    let tx = *self.session.transaction();
                    if !tx.is_open() {
                        self.drop_content();
                        self.envelope = Envelope::default();
                    }
                    let reply = err.reply();
                    let start = self.out.len();
                    reply.encode_append(&mut self.out);
                    eprint!(
                        "[{}] S: {}",
                        self.id,
                        String::from_utf8_lossy(&self.out[start..])
                    );
                }
                ServerEvent::Reply(reply) => {
                    let tx = *self.session.transaction();
                    if !tx.is_open() || tx.is_failed() {
                        self.drop_content();
                    }
                    if !tx.is_open() {
                        self.envelope = Envelope::default();
                    }
                    let start = self.out.len();
                    reply.encode_append(&mut self.out);
                    eprint!(
                        "[{}] S: {}",
                        self.id,
                        String::from_utf8_lossy(&self.out[start..])
                    );
                }
                ServerEvent::Close(reply) => {
                    reply.encode_append(&mut self.out);
                    eprint!("[{}] S: {reply}\r\n", self.id);
                    self.closing = true;
                }
                _ => self.closing = true,
            }
        }
        Ok(used)
    }

    fn command(&mut self, command: Command<'_>) -> std::io::Result<()> {
        let canonical = command.encode_to_vec();
        let line = String::from_utf8_lossy(canonical.strip_suffix(b"\r\n").unwrap_or(&canonical))
            .into_owned();
        eprintln!("[{}] C: {line}", self.id);
        let hostname = self.config.hostname.clone();
        match command {
            Command::Ehlo(_) | Command::Lhlo(_) => {
                self.envelope = Envelope::default();
                let caps = [
                    Capability::Pipelining,
                    Capability::Size(Some(self.config.session.max_message_size_limit())),
                    Capability::EightBitMime,
                    Capability::SmtpUtf8,
                    Capability::Dsn,
                    Capability::EnhancedStatusCodes,
                    Capability::Chunking,
                ];
                let ehlo =
                    EhloReply::new(&hostname, Some("greets you"), &caps).expect("valid EHLO reply");
                let start = self.out.len();
                ehlo.encode_append(&mut self.out);
                self.session.reply_sent(ReplyCode::OK);
                eprint!(
                    "[{}] S: {}",
                    self.id,
                    String::from_utf8_lossy(&self.out[start..])
                );
            }
            Command::Helo(_) => {
                self.envelope = Envelope::default();
                self.reply(ReplyCode::OK, None, &hostname);
            }
            Command::Mail(_) => {
                self.envelope = Envelope {
                    mail: line,
                    ..Envelope::default()
                };
                self.reply(ReplyCode::OK, Some(EnhancedStatusCode::ADDRESS_OK), "Ok");
            }
            Command::Rcpt(rcpt) => {
                let address = match rcpt.path.mailbox() {
                    Some(mailbox) => mailbox.to_string(),
                    None => "Postmaster".to_string(),
                };
                if !self.config.reject.is_empty() && address.contains(&self.config.reject) {
                    let text = format!("<{address}>: Recipient address rejected");
                    self.reply(
                        ReplyCode::MAILBOX_UNAVAILABLE,
                        Some(EnhancedStatusCode::BAD_DESTINATION_MAILBOX),
                        &text,
                    );
                } else {
                    self.envelope.rcpts.push(line);
                    self.reply(
                        ReplyCode::OK,
                        Some(EnhancedStatusCode::DESTINATION_VALID),
                        "Ok",
                    );
                }
            }
            Command::Data => {
                self.start_content()?;
                self.reply(
                    ReplyCode::START_MAIL_INPUT,
                    None,
                    "End data with <CR><LF>.<CR><LF>",
                );
            }
            Command::Rset => {
                self.drop_content();
                self.envelope = Envelope::default();
                self.reply(ReplyCode::OK, Some(EnhancedStatusCode::OK), "Ok");
            }
            Command::Noop(_) => self.reply(ReplyCode::OK, Some(EnhancedStatusCode::OK), "Ok"),
            Command::Quit => {
                self.reply(
                    ReplyCode::SERVICE_CLOSING,
                    Some(EnhancedStatusCode::OK),
                    "Bye",
                );
                self.closing = true;
            }
            Command::Vrfy(_) => self.reply(
                ReplyCode::CANNOT_VERIFY,
                Some(EnhancedStatusCode::OK),
                "Cannot VRFY user, but will accept message",
            ),
            Command::Help(_) => self.reply(
                ReplyCode::HELP_MESSAGE,
                Some(EnhancedStatusCode::OK),
                "See RFC 5321",
            ),
            Command::Unknown(_) => {
                let r = smtp_wire::ErrorKind::UnrecognizedCommand.reply();
                self.reply(r.code(), Some(r.enhanced()), r.text());
            }
            _ => self.reply(
                ReplyCode::NOT_IMPLEMENTED,
                Some(EnhancedStatusCode::INVALID_COMMAND),
                "Command not implemented",
            ),
        }
        Ok(())
    }

    /// Opens the content file of the next message.
    fn start_content(&mut self) -> std::io::Result<()> {
        self.drop_content();
        let n = self.config.counter.fetch_add(1, Ordering::SeqCst) + 1;
        let file = File::create(self.config.dir.join(format!(".{n:06}.eml.tmp")))?;
        self.envelope.content = Some((n, file));
        Ok(())
    }

    /// Deletes the content file of a message that will not be stored.
    fn drop_content(&mut self) {
        if let Some((n, file)) = self.envelope.content.take() {
            drop(file);
            let _ = std::fs::remove_file(self.config.dir.join(format!(".{n:06}.eml.tmp")));
        }
    }

    /// Stores the current message and queues the reply.
    fn deliver(&mut self, how: &str, size: u64) -> std::io::Result<()> {
        if self.envelope.content.is_none() {
            // An empty BDAT message: no content arrived.
            self.start_content()?;
        }
        let envelope = std::mem::take(&mut self.envelope);
        let Some((n, mut file)) = envelope.content else {
            return Ok(());
        };
        let mut text = format!("{}\n", envelope.mail);
        for rcpt in &envelope.rcpts {
            text.push_str(rcpt);
            text.push('\n');
        }
        text.push_str(&format!("via {how}\n"));
        let dir = &self.config.dir;
        let stored = file
            .flush()
            .and_then(|()| write_file(dir, &format!("{n:06}.env"), text.as_bytes()))
            .and_then(|()| {
                std::fs::rename(
                    dir.join(format!(".{n:06}.eml.tmp")),
                    dir.join(format!("{n:06}.eml")),
                )
            });
        match stored {
            Ok(()) => {
                let text = format!("Ok: {size} octets queued as {n:06}");
                self.reply(ReplyCode::OK, Some(EnhancedStatusCode::OK), &text);
            }
            Err(err) => {
                eprintln!("[{}] cannot store message: {err}", self.id);
                self.reply(
                    ReplyCode::LOCAL_ERROR,
                    Some(EnhancedStatusCode::TEMP_SYSTEM_ERROR),
                    "Local error in processing",
                );
            }
        }
        Ok(())
    }
}

/// Writes `name` whole: under a temporary name first, then renamed.
fn write_file(dir: &Path, name: &str, data: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, data)?;
    std::fs::rename(&tmp, dir.join(name))
}
