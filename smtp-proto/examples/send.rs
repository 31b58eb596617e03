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
//!   `NOTIFY=`/`ORCPT=` on each RCPT.
//!
//! Every command is checked by parsing it with the crate before it is sent.
//! Every reply is printed with its class, category, standard text and the
//! enhanced status code's description.
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

use smtp_wire::body::{BdatMessage, DataBody};
use smtp_wire::ehlo::EhloReply;
use smtp_wire::{Command, Encode, Reply, ReplyConfig, Status};

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

/// A reply, owned.
struct Answer {
    code: u16,
    text: String,
}

struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.stream
            .write_all(bytes)
            .map_err(|err| format!("write: {err}"))
    }

    /// Reads one reply and prints it with its meaning.
    fn reply(&mut self) -> Result<(Answer, Vec<u8>), String> {
        let config = ReplyConfig::new();
        loop {
            match config.parse(&self.buf) {
                Ok(Status::Complete((reply, used))) => {
                    print_reply(&reply);
                    let answer = Answer {
                        code: reply.code().get(),
                        text: reply
                            .lines()
                            .map(|l| l.text())
                            .collect::<Vec<_>>()
                            .join(" / "),
                    };
                    let raw = self.buf[..used].to_vec();
                    self.buf.drain(..used);
                    return Ok((answer, raw));
                }
                Ok(Status::Partial) => {}
                Err(err) => return Err(format!("bad reply from server: {err}")),
            }
            let mut chunk = [0u8; 4096];
            let n = self
                .stream
                .read(&mut chunk)
                .map_err(|err| format!("read: {err}"))?;
            if n == 0 {
                return Err("the server closed the connection".into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}

fn print_reply(reply: &Reply<'_>) {
    let code = reply.code();
    let lines: Vec<_> = reply.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let sep = if i + 1 == lines.len() { ' ' } else { '-' };
        println!("S: {code}{sep}{}", line.text());
    }
    let mut meaning = format!("   = {}, {}", code.class(), code.category());
    if let Some(m) = code.meaning() {
        meaning.push_str(&format!(": {}", m.text));
    }
    if let Some(esc) = reply.enhanced_code() {
        meaning.push_str(&format!("; {esc} {}", esc.summary()));
    }
    println!("{meaning}");
}

/// Checks a command line by parsing it, and returns its canonical encoding.
fn command(line: &str) -> Result<Vec<u8>, String> {
    let wire = format!("{line}\r\n");
    match Command::parse(wire.as_bytes()) {
        Ok(Status::Complete((command, _))) => {
            let bytes = command.encode_to_vec();
            print!("C: {}", String::from_utf8_lossy(&bytes));
            Ok(bytes)
        }
        Ok(Status::Partial) => Err(format!("incomplete command {line:?}")),
        Err(err) => Err(format!("{line:?} is not a valid command: {}", err.reply())),
    }
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

fn run(options: &Options) -> Result<bool, String> {
    let content = match options.file.as_deref() {
        Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(|err| format!("stdin: {err}"))?;
            buf
        }
        Some(path) => std::fs::read(path).map_err(|err| format!("{path}: {err}"))?,
        None => format!(
            "From: <{}>\r\nTo: <{}>\r\nSubject: smtp-proto send\r\n\r\nHello from smtp-proto.\r\n.A line that starts with a dot.\r\n",
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
    let mut conn = Conn {
        stream,
        buf: Vec::new(),
    };
    let (greeting, _) = conn.reply()?;
    if greeting.code != 220 {
        return Err(format!("the server refused the session: {}", greeting.text));
    }
    let line = command(&format!("EHLO {}", options.helo))?;
    conn.send(&line)?;
    let (answer, raw) = conn.reply()?;
    if answer.code != 250 {
        return Err(format!("EHLO refused: {} {}", answer.code, answer.text));
    }
    let Ok(Status::Complete((reply, _))) = Reply::parse(&raw) else {
        return Err("EHLO reply did not parse".into());
    };
    let ehlo = EhloReply::from_reply(reply).ok_or("not an EHLO reply")?;
    let caps: Vec<String> = ehlo.capabilities().map(|c| c.to_string()).collect();
    println!("   capabilities: {}", caps.join(", "));
    let pipelining = options.pipelining && ehlo.supports("PIPELINING");
    let chunking = options.chunking && ehlo.supports("CHUNKING");
    let dsn = ehlo.supports("DSN");
    let utf8 = !options.from.is_ascii() || options.to.iter().any(|to| !to.is_ascii());
    if utf8 && !ehlo.supports("SMTPUTF8") {
        return Err("UTF-8 addresses, but the server does not offer SMTPUTF8".into());
    }
    if let Some(limit) = ehlo.size().filter(|&limit| limit > 0) {
        if content.len() as u64 > limit {
            return Err(format!(
                "the message is larger than the server's SIZE {limit}"
            ));
        }
    }
    println!(
        "   using: {}, {}{}",
        if pipelining {
            "pipelining"
        } else {
            "lock-step"
        },
        if chunking { "BDAT" } else { "DATA" },
        if dsn { ", DSN parameters" } else { "" }
    );

    // The envelope.
    let mut mail = format!("MAIL FROM:<{}>", options.from);
    if ehlo.supports("SIZE") {
        mail.push_str(&format!(" SIZE={}", content.len()));
    }
    if !content.is_ascii() && ehlo.supports("8BITMIME") {
        mail.push_str(" BODY=8BITMIME");
    }
    if utf8 {
        mail.push_str(" SMTPUTF8");
    }
    if dsn {
        mail.push_str(&format!(" RET={}", options.ret));
        if let Some(envid) = &options.envid {
            mail.push_str(&format!(" ENVID={}", xtext(envid)));
        }
    }
    let mut envelope = vec![command(&mail)?];
    for to in &options.to {
        let mut rcpt = format!("RCPT TO:<{to}>");
        if dsn {
            rcpt.push_str(&format!(" NOTIFY={}", options.notify));
            if to.is_ascii() {
                rcpt.push_str(&format!(" ORCPT=rfc822;{}", xtext(to)));
            }
        }
        envelope.push(command(&rcpt)?);
    }

    // The content, framed.
    let chunks: Vec<&[u8]> = match options.chunk_size {
        Some(size) => content.chunks(size).collect(),
        None => vec![&content[..]],
    };
    let bdat = BdatMessage::new(&chunks);
    let data_line = if chunking {
        Vec::new()
    } else {
        command("DATA")?
    };
    let data_body = DataBody::new(&content).map_err(|err| format!("content: {}", err.reply()))?;
    let mut framed_chunks = Vec::new();
    if chunking {
        for chunk in bdat.chunks() {
            let mut bytes = chunk.header().as_bytes().to_vec();
            println!(
                "C: {}   [+ {} octets of content]",
                String::from_utf8_lossy(&bytes).trim_end(),
                chunk.data().len()
            );
            bytes.extend_from_slice(chunk.data());
            framed_chunks.push(bytes);
        }
    }

    let mut accepted = 0usize;
    let final_answer;
    if pipelining {
        // One write: MAIL, RCPTs and DATA, or MAIL, RCPTs and every chunk.
        let mut group = envelope.concat();
        if chunking {
            group.extend(framed_chunks.concat());
        } else {
            group.extend_from_slice(&data_line);
        }
        conn.send(&group)?;
        let (mail_answer, _) = conn.reply()?;
        for _ in &options.to {
            let (answer, _) = conn.reply()?;
            accepted += usize::from(answer.code / 100 == 2);
        }
        if chunking {
            let mut last = None;
            for _ in &framed_chunks {
                last = Some(conn.reply()?.0);
            }
            final_answer = last.ok_or("no chunks")?;
        } else {
            let (answer, _) = conn.reply()?;
            if answer.code == 354 {
                println!(
                    "C: [{} octets of content, dot-stuffed, then .]",
                    content.len()
                );
                conn.send(&data_body.encode_to_vec())?;
                final_answer = conn.reply()?.0;
            } else {
                final_answer = answer;
            }
        }
        let _ = mail_answer;
    } else {
        conn.send(&envelope[0])?;
        let (mail_answer, _) = conn.reply()?;
        if mail_answer.code / 100 != 2 {
            return finish(&mut conn, false, &mail_answer);
        }
        for rcpt in &envelope[1..] {
            conn.send(rcpt)?;
            let (answer, _) = conn.reply()?;
            accepted += usize::from(answer.code / 100 == 2);
        }
        if accepted == 0 {
            let none = Answer {
                code: 554,
                text: "no recipient was accepted".into(),
            };
            return finish(&mut conn, false, &none);
        }
        if chunking {
            let mut last = None;
            for chunk in &framed_chunks {
                conn.send(chunk)?;
                let (answer, _) = conn.reply()?;
                let failed = answer.code / 100 != 2;
                last = Some(answer);
                if failed {
                    break;
                }
            }
            final_answer = last.ok_or("no chunks")?;
        } else {
            conn.send(&data_line)?;
            let (answer, _) = conn.reply()?;
            if answer.code == 354 {
                println!(
                    "C: [{} octets of content, dot-stuffed, then .]",
                    content.len()
                );
                conn.send(&data_body.encode_to_vec())?;
                final_answer = conn.reply()?.0;
            } else {
                final_answer = answer;
            }
        }
    }
    let ok = accepted > 0 && final_answer.code / 100 == 2;
    println!("   recipients accepted: {accepted} of {}", options.to.len());
    finish(&mut conn, ok, &final_answer)
}

fn finish(conn: &mut Conn, ok: bool, answer: &Answer) -> Result<bool, String> {
    let quit = command("QUIT")?;
    conn.send(&quit)?;
    let _ = conn.reply();
    let verdict = if ok { "accepted" } else { "not accepted" };
    println!("result: {verdict}: {} {}", answer.code, answer.text);
    Ok(ok)
}
