//! `send`: a small SMTP client that sends one message and explains every reply.
//!
//! ```text
//! cargo run -p smtp-wire --example send -- --server 127.0.0.1:2525 \
//!     --from alice@example.org --to bob@example.net --file message.eml
//! ```
//!
//! It reads the EHLO capabilities and then:
//!
//! * pipelines MAIL, every RCPT and DATA (or the BDAT chunks) in one write when
//!   PIPELINING is offered (RFC 2920), and goes in lock-step otherwise;
//! * sends the content with BDAT when CHUNKING is offered (RFC 3030), with
//!   DATA and dot-stuffing otherwise;
//! * adds `SIZE=` (RFC 1870), `BODY=8BITMIME` for 8-bit content, `SMTPUTF8`
//!   for UTF-8 addresses, and with DSN (RFC 3461) `RET=`/`ENVID=` on MAIL and
//!   `NOTIFY=`/`ORCPT=` on each RCPT (the session drops them when DSN is
//!   not offered).
//!
//! The crate's [`ClientSession`] makes the protocol decisions: it checks each
//! command against what the server offered (dropping the DSN parameters
//! when DSN is not offered, refusing 8-bit content without 8BITMIME), says
//! when a command may be pipelined and when replies must be read first, and
//! pairs every reply with the command it answers. Every reply is printed with
//! what it answers, its class, category, standard text and the enhanced
//! status code's description.
//!
//! Options: `--server ADDR` (required), `--from ADDR`, `--to ADDR` (repeat for
//! more recipients), `--file FILE` (`-` for stdin; default: a short test
//! message), `--helo NAME` (default `send.test`), `--chunk-size N` (BDAT chunk
//! size; default one chunk), `--notify LIST` (default `SUCCESS,FAILURE`),
//! `--ret FULL|HDRS` (default `HDRS`), `--envid TEXT`, `--no-pipelining`,
//! `--no-chunking`. Lines ending in a bare LF are sent with CRLF.
//!
//! Exit status: 0 when the server accepted the message for at least one
//! recipient, 1 when it did not, 2 on a usage, network or protocol error.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::Duration;

use smtp_wire::Encode;
use smtp_wire::address::{Host, Mailbox};
use smtp_wire::command::{MailFrom, RcptTo};
use smtp_wire::ehlo::Extension;
use smtp_wire::param::{Body, Notify, Orcpt, Ret, XText};
use smtp_wire::reply::Reply;
use smtp_wire::session::{Answered, ClientConfig, ClientError, ClientEvent, ClientSession};

const TIMEOUT: Duration = Duration::from_secs(30);

struct Options {
    server: String,
    from: String,
    to: Vec<String>,
    file: Option<String>,
    helo: String,
    chunk_size: Option<usize>,
    notify: String,
    ret: String,
    envid: Option<String>,
    pipelining: bool,
    chunking: bool,
}

/// The connection: the socket, the client session, bytes read and not yet
/// decoded, bytes queued and not yet written, and what the replies said.
struct Conn {
    stream: TcpStream,
    client: ClientSession,
    input: Vec<u8>,
    output: Vec<u8>,
    accepted: usize,
    /// The last reply to the message (its end, or the refusal that ended it).
    verdict: Option<(u16, String)>,
    /// 354 arrived: the DATA content is due.
    data_ready: bool,
}

impl Conn {
    /// Queues a command for the next write and prints it.
    fn queue(&mut self, wire: &impl Encode, note: &str) {
        let start = self.output.len();
        wire.encode_append(&mut self.output);
        let text = String::from_utf8_lossy(&self.output[start..]);
        match text.split_once("\r\n") {
            Some((line, rest)) if !rest.is_empty() => {
                println!("C: {line}   [+ {} octets{note}]", rest.len())
            }
            _ => print!("C: {text}"),
        }
    }

    fn flush(&mut self) -> Result<(), String> {
        if !self.output.is_empty() {
            self.stream
                .write_all(&self.output)
                .map_err(|err| format!("write: {err}"))?;
            self.output.clear();
        }
        Ok(())
    }

    /// Runs `op` on the session; while it must wait for replies, writes what
    /// is queued and reads one.
    fn issue<T>(
        &mut self,
        mut op: impl FnMut(&mut ClientSession) -> Result<T, ClientError>,
    ) -> Result<T, String> {
        loop {
            match op(&mut self.client) {
                Err(ClientError::WaitForReplies) => self.read_reply()?,
                other => return other.map_err(|err| format!("cannot send: {err}")),
            }
        }
    }

    /// Writes what is queued, then reads and prints one reply.
    fn read_reply(&mut self) -> Result<(), String> {
        self.flush()?;
        loop {
            let (event, used) = self.client.decode(&self.input);
            let done = match event {
                Some(ClientEvent::Reply { to, reply }) => {
                    print_reply(to, &reply);
                    let code = reply.code().get();
                    match to {
                        Answered::Rcpt { .. } if code < 400 => self.accepted += 1,
                        Answered::Data if code == 354 => self.data_ready = true,
                        // The end of the message, or a refusal that ends it.
                        Answered::Message { .. } => self.verdict = Some((code, text_of(&reply))),
                        Answered::Mail | Answered::Data | Answered::Chunk if code >= 400 => {
                            self.verdict = Some((code, text_of(&reply)))
                        }
                        _ => {}
                    }
                    true
                }
                Some(ClientEvent::Malformed(err)) => {
                    return Err(format!("bad reply from server: {err}"));
                }
                Some(ClientEvent::Closed) => return Err("the session is over".into()),
                Some(ClientEvent::TlsHandoff { .. }) => {
                    return Err("STARTTLS is not used here".into());
                }
                Some(_) => return Err("unexpected session event".into()),
                None => false,
            };
            self.input.drain(..used);
            if done {
                return Ok(());
            }
            let mut chunk = [0u8; 4096];
            let n = self
                .stream
                .read(&mut chunk)
                .map_err(|err| format!("read: {err}"))?;
            if n == 0 {
                return Err("the server closed the connection".into());
            }
            self.input.extend_from_slice(&chunk[..n]);
        }
    }
}

fn text_of(reply: &Reply<'_>) -> String {
    reply
        .lines()
        .map(|l| l.text())
        .collect::<Vec<_>>()
        .join(" / ")
}

fn print_reply(to: Answered, reply: &Reply<'_>) {
    let code = reply.code();
    let lines: Vec<_> = reply.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let sep = if i + 1 == lines.len() { ' ' } else { '-' };
        println!("S: {code}{sep}{}", line.text());
    }
    let mut meaning = format!("   = to {to:?}: {}, {}", code.class(), code.category());
    if let Some(m) = code.meaning() {
        meaning.push_str(&format!(": {}", m.text));
    }
    if let Some(esc) = reply.enhanced_code() {
        meaning.push_str(&format!("; {esc} {}", esc.summary()));
    }
    println!("{meaning}");
}

/// RFC 3461 §4 xtext.
fn xtext(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if (33..=126).contains(&b) && b != b'+' && b != b'=' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("+{b:02X}"));
        }
    }
    out
}

/// `\n` not preceded by `\r` becomes CRLF; the content ends with CRLF.
fn crlf(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 16);
    for (i, &b) in content.iter().enumerate() {
        if b == b'\n' && (i == 0 || content[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        server: String::new(),
        from: "sender@send.test".into(),
        to: Vec::new(),
        file: None,
        helo: "send.test".into(),
        chunk_size: None,
        notify: "SUCCESS,FAILURE".into(),
        ret: "HDRS".into(),
        envid: None,
        pipelining: true,
        chunking: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--server" => options.server = value()?,
            "--from" => options.from = value()?,
            "--to" => options.to.push(value()?),
            "--file" => options.file = Some(value()?),
            "--helo" => options.helo = value()?,
            "--chunk-size" => {
                let n = value()?.parse().map_err(|_| "bad --chunk-size")?;
                options.chunk_size = Some(n).filter(|&n| n > 0);
            }
            "--notify" => options.notify = value()?,
            "--ret" => options.ret = value()?,
            "--envid" => options.envid = Some(value()?),
            "--no-pipelining" => options.pipelining = false,
            "--no-chunking" => options.chunking = false,
            _ => return Err(format!("unknown argument {arg:?}")),
        }
    }
    if options.server.is_empty() || options.to.is_empty() {
        return Err("--server and at least one --to are required".into());
    }
    Ok(options)
}

fn main() -> ExitCode {
    match parse_args().and_then(|options| run(&options)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("send: {message}");
            ExitCode::from(2)
        }
    }
}

fn notify(list: &str) -> Result<Notify, String> {
    let list = list.to_ascii_uppercase();
    if list == "NEVER" {
        return Ok(Notify::Never);
    }
    let has = |word| list.split(',').any(|w| w == word);
    Notify::on(has("SUCCESS"), has("FAILURE"), has("DELAY"))
        .map_err(|_| format!("bad --notify {list:?}"))
}

fn run(options: &Options) -> Result<bool, String> {
    let content = match options.file.as_deref() {
        Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(|err| format!("stdin: {err}"))?;
            buf
        }
        Some(path) => std::fs::read(path).map_err(|err| format!("{path}: {err}"))?,
        None => format!(
            "From: <{}>\r\nTo: <{}>\r\nSubject: smtp-wire send\r\n\r\nHello from smtp-wire.\r\n.A line that starts with a dot.\r\n",
            options.from, options.to[0]
        )
        .into_bytes(),
    };
    let content = crlf(&content);

    let stream = TcpStream::connect(&options.server)
        .map_err(|err| format!("connect {}: {err}", options.server))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    let mut config = ClientConfig::new();
    config
        .pipelining(options.pipelining)
        .chunking(options.chunking);
    let mut conn = Conn {
        stream,
        client: ClientSession::new(config),
        input: Vec::new(),
        output: Vec::new(),
        accepted: 0,
        verdict: None,
        data_ready: false,
    };

    // Greeting and EHLO.
    conn.read_reply()?;
    let host = Host::new(&options.helo).map_err(|err| format!("--helo: {err}"))?;
    let ehlo = conn.issue(|c| c.ehlo(host))?;
    conn.queue(&ehlo, "");
    conn.read_reply()?;
    let server = *conn.client.server();
    if !server.is_extended() {
        return Err("EHLO was refused".into());
    }
    let offered: Vec<String> = server.extensions().iter().map(|e| e.to_string()).collect();
    println!("   offered: {}", offered.join(", "));
    let offers = |e: Extension| server.extensions().contains(e);
    println!(
        "   using: {}, {}{}",
        if options.pipelining && offers(Extension::Pipelining) {
            "pipelining"
        } else {
            "lock-step"
        },
        if conn.client.uses_bdat() {
            "BDAT"
        } else {
            "DATA"
        },
        if offers(Extension::Dsn) {
            ", DSN parameters"
        } else {
            ""
        },
    );

    // The envelope; the session adapts it to what the server offered.
    let from = Mailbox::new(&options.from).map_err(|err| format!("--from: {err}"))?;
    let mut mail = MailFrom::new(from);
    mail.params.size = Some(content.len() as u64);
    if !content.is_ascii() {
        mail.params.body = Some(Body::EightBitMime);
    }
    mail.params.ret = Some(if options.ret.eq_ignore_ascii_case("FULL") {
        Ret::Full
    } else {
        Ret::Headers
    });
    let envid = options.envid.as_deref().map(xtext);
    if let Some(envid) = &envid {
        mail.params.envid = Some(XText::new(envid).map_err(|err| format!("--envid: {err}"))?);
    }
    let mail = conn.issue(|c| c.mail(mail))?;
    conn.queue(&mail, "");
    let notify = notify(&options.notify)?;
    let originals: Vec<String> = options.to.iter().map(|to| xtext(to)).collect();
    for (to, original) in options.to.iter().zip(&originals) {
        let mailbox = Mailbox::new(to).map_err(|err| format!("--to {to}: {err}"))?;
        let mut rcpt = RcptTo::new(mailbox);
        rcpt.params.notify = Some(notify);
        if to.is_ascii() {
            rcpt.params.orcpt = Orcpt::new("rfc822", original).ok();
        }
        let rcpt = conn.issue(|c| c.rcpt(rcpt))?;
        conn.queue(&rcpt, "");
    }

    // The content: BDAT chunks, or DATA and the dot-stuffed content.
    if conn.client.uses_bdat() {
        let size = options.chunk_size.unwrap_or(content.len()).max(1);
        let chunks: Vec<&[u8]> = content.chunks(size).collect();
        for (i, chunk) in chunks.iter().enumerate() {
            let last = i + 1 == chunks.len();
            let chunk = conn.issue(|c| c.bdat(chunk, last))?;
            conn.queue(&chunk, " of content");
        }
    } else {
        let data = conn.issue(|c| c.data())?;
        conn.queue(&data, "");
        while !conn.data_ready && conn.client.pending() > 0 {
            conn.read_reply()?;
        }
        if conn.data_ready {
            let body = conn.issue(|c| c.data_body(&content))?;
            conn.queue(&body, ", dot-stuffed, and the end");
        }
    }
    while conn.client.pending() > 0 {
        conn.read_reply()?;
    }
    let ok = conn.accepted > 0 && conn.verdict.as_ref().is_some_and(|(code, _)| *code < 400);
    println!(
        "   recipients accepted: {} of {}",
        conn.accepted,
        options.to.len()
    );
    let quit = conn.issue(|c| c.quit())?;
    conn.queue(&quit, "");
    let _ = conn.read_reply();
    let verdict = if ok { "accepted" } else { "not accepted" };
    let (code, text) = conn
        .verdict
        .clone()
        .unwrap_or((0, "no reply to the message".into()));
    println!("result: {verdict}: {code} {text}");
    Ok(ok)
}
