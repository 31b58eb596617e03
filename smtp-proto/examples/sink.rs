//! `sink`: a small SMTP server that stores every message it accepts.
//!
//! ```text
//! cargo run -p smtp-wire --example sink -- --listen 127.0.0.1:2525 --dir /tmp/sink
//! ```
//!
//! It advertises PIPELINING, SIZE, 8BITMIME, SMTPUTF8, DSN, ENHANCEDSTATUSCODES
//! and CHUNKING, and takes messages with DATA or BDAT. Replies are queued and
//! written only when the sink needs more input, so a pipelined group is
//! answered with one write (RFC 2920). It enforces the command sequence (503),
//! a recipient limit (452), the message size limit (SIZE, 552), and 20 errors
//! per session (421). A refused BDAT chunk is still read and thrown away, and
//! so is every chunk after it up to LAST (RFC 3030 §2).
//!
//! Each accepted message is written to the directory as `NNNNNN.eml`, the
//! content exactly as received after dot-unstuffing (DATA) or with the chunks
//! joined (BDAT), next to `NNNNNN.env` with the envelope: the MAIL command,
//! one line per accepted RCPT, and how the content came. The `.env` file is
//! written first and each file appears whole (written under a temporary name,
//! then renamed).
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

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use smtp_wire::body::{DataEvent, MessageSize};
use smtp_wire::ehlo::{Capability, EhloReply};
use smtp_wire::reply::{EnhancedStatusCode, ReplyCode};
use smtp_wire::{
    BdatDecoder, Command, CommandConfig, DataConfig, DataDecoder, Encode, Reply, Status,
};

const MAX_ERRORS: usize = 20;
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

struct Config {
    dir: PathBuf,
    reject: String,
    max_size: u64,
    max_rcpts: usize,
    hostname: String,
    counter: AtomicUsize,
}

fn main() {
    let mut listen = "127.0.0.1:2525".to_string();
    let mut config = Config {
        dir: PathBuf::from("."),
        reject: "reject".into(),
        max_size: 10 * 1024 * 1024,
        max_rcpts: 100,
        hostname: "sink.test".into(),
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
            "--max-size" => {
                config.max_size = value.parse().unwrap_or_else(|_| usage("bad --max-size"))
            }
            "--max-rcpts" => {
                config.max_rcpts = value.parse().unwrap_or_else(|_| usage("bad --max-rcpts"))
            }
            "--hostname" => config.hostname = value,
            _ => usage(&format!("unknown argument {arg:?}")),
        }
    }
    if EhloReply::new(&config.hostname, None, &[]).is_err() {
        usage("--hostname is not a valid EHLO domain");
    }
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
            let mut session = Session::new(id, stream, &config);
            let result = session.run();
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

/// What the next bytes from the client are.
enum Input {
    Commands,
    /// The rest of an over-long command line, to throw away.
    SkipLine,
    Data(DataDecoder),
    /// A BDAT chunk; `refusal` is the reply to send once it has been read when
    /// it is being discarded.
    Bdat {
        chunk: BdatDecoder,
        last: bool,
        refusal: Option<(u16, (u16, u16), String)>,
    },
}

/// The current mail transaction.
struct Transaction {
    mail: String,
    rcpts: Vec<String>,
    body: Vec<u8>,
    size: MessageSize,
    chunks: usize,
    /// A BDAT chunk of this message was refused: the rest is discarded.
    failed: bool,
}

struct Session<'c> {
    id: usize,
    stream: TcpStream,
    config: &'c Config,
    buf: Vec<u8>,
    out: Vec<u8>,
    input: Input,
    greeted: bool,
    tx: Option<Transaction>,
    errors: usize,
    closing: bool,
}

impl<'c> Session<'c> {
    fn new(id: usize, stream: TcpStream, config: &'c Config) -> Session<'c> {
        Session {
            id,
            stream,
            config,
            buf: Vec::new(),
            out: Vec::new(),
            input: Input::Commands,
            greeted: false,
            tx: None,
            errors: 0,
            closing: false,
        }
    }

    fn run(&mut self) -> std::io::Result<()> {
        self.stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
        self.stream.set_write_timeout(Some(IDLE_TIMEOUT))?;
        let banner = format!("{} ESMTP smtp-proto sink", self.config.hostname);
        self.reply(220, None, &banner);
        let mut read_buf = vec![0u8; 64 * 1024];
        loop {
            // Handle everything that is complete; reply only when more input is needed.
            let consumed = self.process();
            self.buf.drain(..consumed);
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
                    self.reply(421, Some((4, 2)), "Idle timeout, closing connection");
                    self.flush()?;
                    return Err(err);
                }
                Err(err) => return Err(err),
            };
            self.buf.extend_from_slice(&read_buf[..n]);
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.out.is_empty() {
            self.stream.write_all(&self.out)?;
            self.out.clear();
        }
        Ok(())
    }

    /// Queues a one-line reply.
    fn reply(&mut self, code: u16, detail: Option<(u16, u16)>, text: &str) {
        let code = ReplyCode::new(code).expect("valid reply code");
        let lines = [text];
        let reply = match detail {
            Some((subject, detail)) => {
                let class = code.get() / 100;
                let esc =
                    EnhancedStatusCode::new(class, subject, detail).expect("valid enhanced code");
                Reply::with_enhanced(code, esc, &lines)
            }
            None => Reply::new(code, &lines),
        }
        .expect("reply text without CR or LF");
        let start = self.out.len();
        reply.encode_append(&mut self.out);
        eprint!(
            "[{}] S: {}",
            self.id,
            String::from_utf8_lossy(&self.out[start..])
        );
    }

    /// Handles complete input at the front of `buf`; returns the bytes used.
    fn process(&mut self) -> usize {
        // Parsed commands borrow from the buffer while the session changes.
        let buf = std::mem::take(&mut self.buf);
        let mut used = 0;
        while !self.closing {
            let rest = &buf[used..];
            let step = match &mut self.input {
                Input::Commands => self.command(rest),
                Input::SkipLine => match smtp_wire::command::skip_line(rest) {
                    Status::Complete(n) => {
                        self.input = Input::Commands;
                        Some(n)
                    }
                    Status::Partial => Some(rest.len()).filter(|&n| n > 0),
                },
                Input::Data(decoder) => match decoder.decode(rest) {
                    Ok(Status::Complete((DataEvent::Payload(data), n))) => {
                        if let Some(tx) = &mut self.tx {
                            // Stop storing once the message is too large; the
                            // decoder reports that at the end.
                            if (tx.body.len() as u64) <= self.config.max_size {
                                tx.body.extend_from_slice(data);
                            }
                        }
                        Some(n)
                    }
                    Ok(Status::Complete((DataEvent::End(_), n))) => {
                        self.input = Input::Commands;
                        self.deliver("DATA");
                        Some(n)
                    }
                    Ok(Status::Partial) => None,
                    Err(err) => {
                        self.input = Input::Commands;
                        self.tx = None;
                        let r = err.reply();
                        self.reply(
                            r.code.get(),
                            Some((r.enhanced.subject(), r.enhanced.detail())),
                            r.text,
                        );
                        Some(err.skip())
                    }
                },
                Input::Bdat {
                    chunk,
                    last,
                    refusal,
                } => {
                    let (data, n) = chunk.decode(rest);
                    if refusal.is_none() {
                        if let Some(tx) = &mut self.tx {
                            tx.body.extend_from_slice(data);
                        }
                    }
                    if !chunk.is_done() {
                        Some(n).filter(|&n| n > 0)
                    } else {
                        let (last, refusal) = (*last, refusal.take());
                        self.input = Input::Commands;
                        self.chunk_done(last, refusal);
                        // A zero-length chunk consumes nothing but still moves on.
                        Some(n)
                    }
                }
            };
            match step {
                Some(n) => used += n,
                None => break,
            }
        }
        self.buf = buf;
        used
    }

    fn chunk_done(&mut self, last: bool, refusal: Option<(u16, (u16, u16), String)>) {
        if let Some((code, detail, text)) = refusal {
            if last {
                self.tx = None;
            } else if let Some(tx) = &mut self.tx {
                tx.failed = true;
            }
            self.reply(code, Some(detail), &text);
            return;
        }
        let Some(tx) = &mut self.tx else { return };
        tx.chunks += 1;
        if last {
            let how = format!("BDAT {} chunks", tx.chunks);
            self.deliver(&how);
        } else {
            let text = format!("{} octets received", tx.body.len());
            self.reply(250, Some((0, 0)), &text);
        }
    }

    /// Parses and handles one command at the front of `rest`; `None` when more input is needed.
    fn command(&mut self, rest: &[u8]) -> Option<usize> {
        let config = CommandConfig::new();
        let (command, n) = match config.parse(rest) {
            Ok(Status::Complete(item)) => item,
            Ok(Status::Partial) => return None,
            Err(err) => {
                let skip = err.skip();
                eprintln!(
                    "[{}] C! {:?}",
                    self.id,
                    String::from_utf8_lossy(&rest[..skip.min(rest.len())])
                );
                if err.needs_resync() {
                    self.input = Input::SkipLine;
                }
                let r = err.reply();
                self.error(
                    r.code.get(),
                    (r.enhanced.subject(), r.enhanced.detail()),
                    r.text,
                );
                return Some(skip.clamp(1, rest.len()));
            }
        };
        let canonical = command.encode_to_vec();
        let line = String::from_utf8_lossy(canonical.strip_suffix(b"\r\n").unwrap_or(&canonical))
            .into_owned();
        eprintln!("[{}] C: {line}", self.id);
        self.handle(command, line);
        Some(n)
    }

    /// Queues an error reply and counts it.
    fn error(&mut self, code: u16, detail: (u16, u16), text: &str) {
        self.errors += 1;
        if self.errors >= MAX_ERRORS {
            self.reply(421, Some((7, 0)), "Too many errors, closing connection");
            self.closing = true;
        } else {
            self.reply(code, Some(detail), text);
        }
    }

    fn handle(&mut self, command: Command<'_>, line: String) {
        let hostname = self.config.hostname.clone();
        match command {
            Command::Ehlo(_) | Command::Lhlo(_) => {
                self.greeted = true;
                self.tx = None;
                let caps = [
                    Capability::Pipelining,
                    Capability::Size(Some(self.config.max_size)),
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
                eprint!(
                    "[{}] S: {}",
                    self.id,
                    String::from_utf8_lossy(&self.out[start..])
                );
            }
            Command::Helo(_) => {
                self.greeted = true;
                self.tx = None;
                self.reply(250, None, &hostname);
            }
            Command::Mail(mail) => {
                if !self.greeted {
                    self.error(503, (5, 1), "Send HELO/EHLO first");
                } else if self.tx.is_some() {
                    self.error(503, (5, 1), "Nested MAIL command");
                } else if mail
                    .params
                    .size
                    .is_some_and(|size| size > self.config.max_size)
                {
                    self.reply(552, Some((3, 4)), "Message size exceeds fixed limit");
                } else {
                    self.tx = Some(Transaction {
                        mail: line,
                        rcpts: Vec::new(),
                        body: Vec::new(),
                        size: MessageSize::new(Some(self.config.max_size)),
                        chunks: 0,
                        failed: false,
                    });
                    self.reply(250, Some((1, 0)), "Ok");
                }
            }
            Command::Rcpt(rcpt) => {
                let address = match rcpt.path.mailbox() {
                    Some(mailbox) => mailbox.to_string(),
                    None => "Postmaster".to_string(),
                };
                let reject =
                    !self.config.reject.is_empty() && address.contains(&self.config.reject);
                match &mut self.tx {
                    None => self.error(503, (5, 1), "Need MAIL command"),
                    Some(tx) if tx.rcpts.len() >= self.config.max_rcpts => {
                        self.reply(452, Some((5, 3)), "Too many recipients");
                    }
                    Some(_) if reject => {
                        let text = format!("<{address}>: Recipient address rejected");
                        self.reply(550, Some((1, 1)), &text);
                    }
                    Some(tx) => {
                        tx.rcpts.push(line);
                        self.reply(250, Some((1, 5)), "Ok");
                    }
                }
            }
            Command::Data => match &self.tx {
                None => self.error(503, (5, 1), "Need MAIL command"),
                Some(tx) if tx.chunks > 0 || tx.failed => {
                    self.error(503, (5, 1), "DATA after BDAT")
                }
                Some(tx) if tx.rcpts.is_empty() => {
                    self.reply(554, Some((5, 1)), "No valid recipients")
                }
                Some(_) => {
                    let mut config = DataConfig::new();
                    config.max_message_size(Some(self.config.max_size));
                    self.input = Input::Data(config.decoder());
                    self.reply(354, None, "End data with <CR><LF>.<CR><LF>");
                }
            },
            Command::Bdat { size, last } => {
                // The chunk is read whatever the outcome (RFC 3030 §2).
                let refusal = match &mut self.tx {
                    None => Some((503, (5, 1), "Need MAIL command".to_string())),
                    Some(tx) if tx.failed => Some((
                        503,
                        (5, 1),
                        format!("Discarded {size} octets after earlier error"),
                    )),
                    Some(tx) if tx.rcpts.is_empty() => {
                        Some((554, (5, 1), "No valid recipients".to_string()))
                    }
                    Some(tx) => match tx.size.add(size) {
                        Ok(_) => None,
                        Err(err) => {
                            let r = err.reply();
                            Some((
                                r.code.get(),
                                (r.enhanced.subject(), r.enhanced.detail()),
                                r.text.to_string(),
                            ))
                        }
                    },
                };
                if refusal.is_some() {
                    self.errors += 1;
                }
                self.input = Input::Bdat {
                    chunk: BdatDecoder::new(size),
                    last,
                    refusal,
                };
            }
            Command::Rset => {
                self.tx = None;
                self.reply(250, Some((0, 0)), "Ok");
            }
            Command::Noop(_) => self.reply(250, Some((0, 0)), "Ok"),
            Command::Quit => {
                self.reply(221, Some((0, 0)), "Bye");
                self.closing = true;
            }
            Command::Vrfy(_) => self.reply(
                252,
                Some((0, 0)),
                "Cannot VRFY user, but will accept message",
            ),
            Command::Help(_) => self.reply(214, Some((0, 0)), "See RFC 5321"),
            Command::Unknown(_) => self.error(500, (5, 2), "Command not recognized"),
            _ => self.error(502, (5, 1), "Command not implemented"),
        }
    }

    /// Stores the current message and queues the reply.
    fn deliver(&mut self, how: &str) {
        let Some(tx) = self.tx.take() else { return };
        let n = self.config.counter.fetch_add(1, Ordering::SeqCst) + 1;
        let mut envelope = format!("{}\n", tx.mail);
        for rcpt in &tx.rcpts {
            envelope.push_str(rcpt);
            envelope.push('\n');
        }
        envelope.push_str(&format!("via {how}\n"));
        let dir = &self.config.dir;
        let stored = write_file(dir, &format!("{n:06}.env"), envelope.as_bytes())
            .and_then(|()| write_file(dir, &format!("{n:06}.eml"), &tx.body));
        match stored {
            Ok(()) => {
                let text = format!("Ok: {} octets queued as {n:06}", tx.body.len());
                self.reply(250, Some((0, 0)), &text);
            }
            Err(err) => {
                eprintln!("[{}] cannot store message: {err}", self.id);
                self.reply(451, Some((3, 0)), "Local error in processing");
            }
        }
    }
}

/// Writes `name` whole: under a temporary name first, then renamed.
fn write_file(dir: &Path, name: &str, data: &[u8]) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, data)?;
    std::fs::rename(&tmp, dir.join(name))
}
