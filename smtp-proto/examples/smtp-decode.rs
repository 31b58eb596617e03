//! `smtp-decode`: decodes recorded SMTP traffic and prints it for a person, or
//! as JSON Lines for other tools.
//!
//! ```text
//! cargo run -p smtp-wire --example smtp-decode                  # the bundled sample sessions
//! cargo run -p smtp-wire --example smtp-decode -- --client c2s --server s2c
//! cargo run -p smtp-wire --example smtp-decode -- --transcript session.txt --json
//! cargo run -p smtp-wire --example smtp-decode -- --explain 550 5.1.1
//! ```
//!
//! Options:
//!
//! * `--client FILE`: the client-to-server bytes (`-` reads stdin).
//! * `--server FILE`: the server-to-client bytes (`-` reads stdin).
//! * `--transcript FILE`: an RFC-style transcript, one `C: ` or `S: ` line per
//!   wire line (lines with neither prefix are ignored); each side is rebuilt
//!   with CRLF line ends and offsets refer to those rebuilt streams.
//! * `--explain CODE [ENHANCED]`: what a reply code (and enhanced status code)
//!   means, then exit.
//! * `--json`: one JSON object per event (JSON Lines).
//! * `--lenient`: the crate's run-time leniency options: bare LF line ends and
//!   `MAIL FROM: <x>` in commands, bare LF and mismatched codes in replies, and
//!   bare LF/CR, NUL and long lines in DATA noted instead of rejected.
//!
//! # Order of events
//!
//! With both sides, events are interleaved the way the conversation goes
//! logically, which is also the order a person reads an RFC transcript in: the
//! greeting, then each command followed by the reply that answers it
//! (replies pair with commands in order, RFC 2920 §3), a BDAT chunk right after
//! its command, a DATA body after the 354 that invited it. Pipelined commands
//! therefore show up next to their replies, not in the order the bytes
//! travelled. The server's replies decide what the client bytes mean: DATA
//! content is read only after a 354, AUTH continuation lines only after a 334,
//! and Exim's PRDR 353 takes one extra reply per accepted recipient. When the
//! server side is absent (or has run out of replies), DATA is taken to get 354
//! and AUTH LOGIN to ask for two lines.
//!
//! Offsets are byte positions in the stream each event came from: commands,
//! `data`, `chunk` and `auth-response` events in the client stream, `reply`
//! events in the server stream. An `error` or `incomplete` event belongs to the
//! stream of the item it stands in for: in the client stream, unless it takes a
//! reply's place (a reply that did not parse) or comes after the client
//! stream's own `incomplete` event. The JSON schema is documented on
//! `print_json` below; other tools read it, so it changes only on purpose.
//! The schema has no field for the side, so the rule above is how a reader
//! tells them apart.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::process::ExitCode;

use smtp_wire::auth::{AuthResponse, InitialResponse};
use smtp_wire::body::ContentPolicy;
use smtp_wire::ehlo::EhloReply;
use smtp_wire::error::ErrorReply;
use smtp_wire::reply::{EnhancedStatusCode, ReplyCode};
use smtp_wire::session::{ServerConfig, ServerEvent, ServerSession};
use smtp_wire::{Command, CommandConfig, DataConfig, Encode, ErrorKind, ReplyConfig, Status};

/// The bundled sample: two real relayed sessions, recorded on 127.0.0.1.
const SAMPLES: [(&str, &[u8], &[u8]); 2] = [
    (
        "Exim 4.96 smtp transport -> Postfix 3.7.11 smtpd: pipelining, BDAT, a rejected recipient",
        include_bytes!("data/exim-to-postfix.c2s"),
        include_bytes!("data/exim-to-postfix.s2c"),
    ),
    (
        "Postfix 3.7.11 smtp client -> Exim 4.96: pipelining, DATA with dot-stuffing, a rejected recipient",
        include_bytes!("data/postfix-to-exim.c2s"),
        include_bytes!("data/postfix-to-exim.s2c"),
    ),
];

const USAGE: &str =
    "usage: smtp-decode [--json] [--lenient] [--client FILE] [--server FILE] [--transcript FILE]
       smtp-decode --explain CODE [ENHANCED]
FILE may be - for stdin. With no input option, decodes the bundled sample sessions.";

/// A title, the client stream and the server stream.
type Session = (Option<&'static str>, Option<Vec<u8>>, Option<Vec<u8>>);

/// One decoded item.
#[derive(Debug)]
enum Event {
    Command {
        offset: usize,
        len: usize,
        verb: String,
        canonical: Vec<u8>,
        display: String,
    },
    AuthResponse {
        offset: usize,
        len: usize,
        cancel: bool,
    },
    Reply {
        offset: usize,
        len: usize,
        code: ReplyCode,
        enhanced: Option<EnhancedStatusCode>,
        lines: Vec<String>,
        capabilities: Option<Vec<String>>,
    },
    Data {
        offset: usize,
        len: usize,
        body: Vec<u8>,
        notes: Vec<&'static str>,
    },
    Chunk {
        offset: usize,
        len: usize,
        last: bool,
        body: Vec<u8>,
        declared: u64,
    },
    Error {
        offset: usize,
        len: usize,
        kind: ErrorKind,
        server_side: bool,
    },
    Incomplete {
        offset: usize,
        len: usize,
        server_side: bool,
    },
}

struct Options {
    json: bool,
    lenient: bool,
}

impl Options {
    fn command_config(&self) -> CommandConfig {
        let mut config = CommandConfig::new();
        if self.lenient {
            config.allow_bare_lf(true).allow_space_after_colon(true);
        }
        config
    }

    fn reply_config(&self) -> ReplyConfig {
        let mut config = ReplyConfig::new();
        if self.lenient {
            config.allow_bare_lf(true).allow_code_mismatch(true);
        }
        config
    }

    fn data_config(&self) -> DataConfig {
        let mut config = DataConfig::new();
        if self.lenient {
            config.all_policies(ContentPolicy::Note);
        }
        config
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("smtp-decode: {message}");
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut args = std::env::args().skip(1);
    let mut options = Options {
        json: false,
        lenient: false,
    };
    let (mut client, mut server, mut transcript) = (None, None, None);
    let mut stdin_used = false;
    let mut read = |path: String| -> Result<Vec<u8>, String> {
        if path == "-" {
            if stdin_used {
                return Err("only one input can be stdin".into());
            }
            stdin_used = true;
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|err| format!("stdin: {err}"))?;
            Ok(buf)
        } else {
            std::fs::read(&path).map_err(|err| format!("{path}: {err}"))
        }
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--json" => options.json = true,
            "--lenient" => options.lenient = true,
            "--client" => client = Some(read(value("--client")?)?),
            "--server" => server = Some(read(value("--server")?)?),
            "--transcript" => transcript = Some(read(value("--transcript")?)?),
            "--explain" => {
                let code = value("--explain")?;
                let enhanced = args.next();
                return explain(&code, enhanced.as_deref(), options.json);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut sessions: Vec<Session> = Vec::new();
    if let Some(text) = transcript {
        if client.is_some() || server.is_some() {
            return Err("--transcript cannot be combined with --client/--server".into());
        }
        let (c, s) = split_transcript(&text);
        sessions.push((None, Some(c), Some(s)));
    } else if client.is_some() || server.is_some() {
        sessions.push((None, client, server));
    } else {
        for (title, c, s) in SAMPLES {
            sessions.push((Some(title), Some(c.to_vec()), Some(s.to_vec())));
        }
    }
    for (title, client, server) in &sessions {
        let events = decode_session(&options, client.as_deref(), server.as_deref());
        let result = if options.json {
            events.iter().try_for_each(|e| print_json(&mut out, e))
        } else {
            if let Some(title) = title {
                writeln!(out, "== {title}").ok();
            }
            print_human(&mut out, &events)
        };
        result.map_err(|err| format!("stdout: {err}"))?;
    }
    out.flush().map_err(|err| format!("stdout: {err}"))?;
    Ok(ExitCode::SUCCESS)
}

/// Rebuilds both streams from `C: ` / `S: ` lines.
fn split_transcript(text: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (mut client, mut server) = (Vec::new(), Vec::new());
    for line in text.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let (side, rest) = match line {
            [b'C' | b'c', b':', rest @ ..] => (&mut client, rest),
            [b'S' | b's', b':', rest @ ..] => (&mut server, rest),
            _ => continue,
        };
        side.extend_from_slice(rest.strip_prefix(b" ").unwrap_or(rest));
        side.extend_from_slice(b"\r\n");
    }
    (client, server)
}

/// A server-side item: a reply or a reply that did not parse.
enum ServerItem {
    Reply(Event),
    Error(Event),
}

impl ServerItem {
    fn code(&self) -> Option<u16> {
        match self {
            ServerItem::Reply(Event::Reply { code, .. }) => Some(code.get()),
            _ => None,
        }
    }
}

fn decode_server(options: &Options, stream: &[u8]) -> (Vec<ServerItem>, Option<Event>) {
    let config = options.reply_config();
    let mut items = Vec::new();
    let mut offset = 0;
    while offset < stream.len() {
        let rest = &stream[offset..];
        match config.parse(rest) {
            Ok(Status::Complete((reply, used))) => {
                let lines = reply.lines().map(|l| l.text().to_string()).collect();
                let capabilities = EhloReply::from_reply(reply)
                    .filter(|_| reply.lines().len() > 1)
                    .map(|ehlo| ehlo.capabilities().map(|c| c.to_string()).collect());
                items.push(ServerItem::Reply(Event::Reply {
                    offset,
                    len: used,
                    code: reply.code(),
                    enhanced: reply.enhanced_code(),
                    lines,
                    capabilities,
                }));
                offset += used;
            }
            Ok(Status::Partial) => {
                let tail = Event::Incomplete {
                    offset,
                    len: rest.len(),
                    server_side: true,
                };
                return (items, Some(tail));
            }
            Err(err) => {
                let mut skip = err.skip().min(rest.len());
                if err.needs_resync() {
                    skip += match smtp_wire::command::skip_line(&rest[skip..]) {
                        Status::Complete(n) => n,
                        Status::Partial => rest.len() - skip,
                    };
                }
                items.push(ServerItem::Error(Event::Error {
                    offset,
                    len: skip.max(1),
                    kind: err.kind(),
                    server_side: true,
                }));
                offset += skip.max(1);
            }
        }
    }
    (items, None)
}

/// Decodes one session; see the module documentation for the order.
fn decode_session(options: &Options, client: Option<&[u8]>, server: Option<&[u8]>) -> Vec<Event> {
    let (items, server_tail) = match server {
        Some(stream) => decode_server(options, stream),
        None => (Vec::new(), None),
    };
    let mut replies = items.into_iter().peekable();
    let mut events = Vec::new();
    // The reply to the next client item; `None` once the server side has run
    // out (or there is none).
    let mut next_reply = |events: &mut Vec<Event>| -> Option<Option<u16>> {
        let item = replies.next()?;
        let code = item.code();
        match item {
            ServerItem::Reply(e) | ServerItem::Error(e) => events.push(e),
        }
        Some(code)
    };
    if server.is_some() {
        next_reply(&mut events); // the greeting
    }
    if let Some(stream) = client {
        decode_client(options, stream, &mut events, &mut next_reply);
    }
    while next_reply(&mut events).is_some() {}
    events.extend(server_tail);
    events
}

/// Decodes the client stream with a passive [`ServerSession`]: it knows what
/// the bytes are (commands, DATA content after a 354, a BDAT chunk, an AUTH
/// response after a 334) and follows the recorded replies, which
/// `next_reply` hands out in order.
fn decode_client(
    options: &Options,
    stream: &[u8],
    events: &mut Vec<Event>,
    next_reply: &mut dyn FnMut(&mut Vec<Event>) -> Option<Option<u16>>,
) {
    let mut config = ServerConfig::passive();
    config
        .commands(options.command_config())
        .data(options.data_config());
    let mut session = ServerSession::new(config);
    session.reply_sent(ReplyCode::SERVICE_READY); // the greeting, handled by the caller
    let mut offset = 0;
    // DATA content or a BDAT chunk being collected: where it started, its bytes.
    let mut body: Option<(usize, Vec<u8>)> = None;
    let mut chunk: Option<(u64, bool)> = None;
    let mut accepted_rcpts = 0usize;
    // AUTH LOGIN without a server side asks for two lines (RFC 4954).
    let mut auth_lines = 0usize;
    let report = |session: &mut ServerSession, code: u16| {
        if let Ok(code) = ReplyCode::new(code) {
            session.reply_sent(code);
        }
    };
    loop {
        let rest = &stream[offset..];
        let (event, used) = session.decode(rest);
        let start = offset;
        offset += used;
        let Some(event) = event else { break };
        match event {
            ServerEvent::Command(command) => {
                // The line is the last thing consumed (a discarded tail of
                // an over-long line may come first).
                let consumed = &rest[..used];
                let line = memchr_last_line(consumed);
                let canonical = command.encode_to_vec();
                let canonical = canonical
                    .strip_suffix(b"\r\n")
                    .unwrap_or(&canonical)
                    .to_vec();
                events.push(Event::Command {
                    offset: start + line,
                    len: used - line,
                    verb: command.verb().to_string(),
                    display: display_command(&command, &canonical),
                    canonical,
                });
                let reply = next_reply(events);
                let code = match reply {
                    Some(Some(code)) => code,
                    // A reply that did not parse: the command failed.
                    Some(None) => 500,
                    // No server side: assume what lets the client go on.
                    None => default_reply(&command, &stream[offset..], options, &mut auth_lines),
                };
                match command {
                    Command::Mail(_) | Command::Rset => accepted_rcpts = 0,
                    Command::Rcpt(_) if code / 100 == 2 => accepted_rcpts += 1,
                    Command::Data if code == 354 => body = Some((offset, Vec::new())),
                    _ => {}
                }
                report(&mut session, code);
            }
            ServerEvent::AuthResponse(response) => {
                let cancel = response == AuthResponse::Cancel;
                let line = memchr_last_line(&rest[..used]);
                events.push(Event::AuthResponse {
                    offset: start + line,
                    len: used - line,
                    cancel,
                });
                let code = match next_reply(events) {
                    Some(Some(code)) => code,
                    Some(None) => 501,
                    // No server side: a cancel is refused (RFC 4954 §4); LOGIN
                    // asks for a second line.
                    None if cancel => {
                        auth_lines = 0;
                        501
                    }
                    None => {
                        auth_lines = auth_lines.saturating_sub(1);
                        if auth_lines > 0 { 334 } else { 235 }
                    }
                };
                report(&mut session, code);
            }
            ServerEvent::Bdat { size, last } => {
                let line = memchr_last_line(&rest[..used]);
                let command = Command::Bdat { size, last };
                let canonical = command.encode_to_vec();
                let canonical = canonical
                    .strip_suffix(b"\r\n")
                    .unwrap_or(&canonical)
                    .to_vec();
                events.push(Event::Command {
                    offset: start + line,
                    len: used - line,
                    verb: "BDAT".into(),
                    display: String::from_utf8_lossy(&canonical).into_owned(),
                    canonical,
                });
                chunk = Some((size, last));
                body = Some((offset, Vec::new()));
            }
            ServerEvent::Body(piece) => {
                if let Some((_, bytes)) = &mut body {
                    bytes.extend_from_slice(piece);
                }
            }
            ServerEvent::BodyRejected(_) => {}
            ServerEvent::ChunkEnd(_) | ServerEvent::MessageEnd(_) if chunk.is_some() => {
                let (declared, last) = chunk.take().unwrap_or((0, false));
                let (from, bytes) = body.take().unwrap_or((offset, Vec::new()));
                events.push(Event::Chunk {
                    offset: from,
                    len: offset - from,
                    last,
                    body: bytes,
                    declared,
                });
                let code = match next_reply(events) {
                    Some(Some(code)) => code,
                    Some(None) => 554,
                    None => 250,
                };
                report(&mut session, code);
            }
            ServerEvent::MessageEnd(end) => {
                let (from, bytes) = body.take().unwrap_or((offset, Vec::new()));
                let issues = end.data().map(|d| d.issues()).unwrap_or_default();
                let notes = [
                    (issues.bare_lf, "bare LF"),
                    (issues.bare_cr, "bare CR"),
                    (issues.nul, "NUL"),
                    (issues.long_line, "over-long line"),
                ]
                .into_iter()
                .filter_map(|(seen, name)| seen.then_some(name))
                .collect();
                events.push(Event::Data {
                    offset: from,
                    len: offset - from,
                    body: bytes,
                    notes,
                });
                let code = next_reply(events).flatten().unwrap_or(250);
                report(&mut session, code);
                // PRDR (Exim): 353, one reply per recipient, then the final one.
                if code == 353 {
                    for _ in 0..=accepted_rcpts {
                        next_reply(events);
                    }
                }
            }
            ServerEvent::Error(err) => {
                // In DATA content the error stands in for the whole content.
                let (from, len) = match body.take() {
                    Some((from, _)) => (from, offset - from),
                    None => (start, used.max(1)),
                };
                events.push(Event::Error {
                    offset: from,
                    len,
                    kind: err.kind(),
                    server_side: false,
                });
                next_reply(events);
            }
            ServerEvent::TlsHandoff(rest) => {
                // The rest is TLS: not decoded.
                if !rest.is_empty() {
                    events.push(Event::Incomplete {
                        offset: start,
                        len: rest.len(),
                        server_side: false,
                    });
                }
                return;
            }
            // The passive session refuses nothing on its own; a closed
            // session (QUIT answered) ends the client stream.
            _ => break,
        }
    }
    if offset < stream.len() {
        let from = body.map_or(offset, |(from, _)| from);
        events.push(Event::Incomplete {
            offset: from,
            len: stream.len() - from,
            server_side: false,
        });
    }
}

/// Where the last line of `consumed` starts: after the LF before its own.
fn memchr_last_line(consumed: &[u8]) -> usize {
    let body = consumed.len().saturating_sub(1);
    consumed[..body]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |lf| lf + 1)
}

/// The reply assumed when there is no server side: whatever lets the client
/// go on. AUTH is the one guess that needs the next line: a client whose
/// AUTH was refused sends another command, not base64 (and LOGIN asks for
/// two lines, a mechanism without an initial response for one).
fn default_reply(
    command: &Command<'_>,
    next: &[u8],
    options: &Options,
    auth_lines: &mut usize,
) -> u16 {
    match command {
        Command::Data => 354,
        Command::StartTls => 220,
        Command::Quit => 221,
        Command::Auth(auth) => {
            let config = options.command_config();
            let response = config.parse_auth_response(next);
            let is_command = matches!(config.parse(next), Ok(Status::Complete(_)));
            if response.is_err() && is_command {
                // Refused (504): the next line is a command.
                *auth_lines = 0;
                return 504;
            }
            *auth_lines = match auth.initial_response {
                None if auth.mechanism.is("LOGIN") => 2,
                None => 1,
                Some(InitialResponse::Empty) => 1,
                Some(_) => 0,
            };
            if *auth_lines > 0 { 334 } else { 235 }
        }
        _ => 250,
    }
}

/// The canonical form for a person: AUTH data is not shown.
fn display_command(command: &Command<'_>, canonical: &[u8]) -> String {
    match command {
        Command::Auth(auth)
            if matches!(auth.initial_response, Some(InitialResponse::Base64(_))) =>
        {
            format!(
                "AUTH {} <initial response redacted>",
                auth.mechanism.as_str()
            )
        }
        _ => String::from_utf8_lossy(canonical).into_owned(),
    }
}

/// `BareLfInData` -> `bare-lf-in-data`.
fn kind_name(kind: ErrorKind) -> String {
    let debug = format!("{kind:?}");
    let mut name = String::new();
    for (i, c) in debug.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                name.push('-');
            }
            name.push(c.to_ascii_lowercase());
        } else {
            name.push(c);
        }
    }
    name
}

fn meaning_line(code: ReplyCode, enhanced: Option<EnhancedStatusCode>) -> String {
    let mut line = format!("{}, {}", code.class(), code.category());
    if let Some(meaning) = code.meaning() {
        let _ = write!(line, ": {} ({})", meaning.text, meaning.reference);
    }
    if let Some(esc) = enhanced {
        let _ = write!(line, "; {esc} {}", esc.summary());
        if let Some(entry) = esc.description() {
            let _ = write!(line, " ({})", entry.reference);
        }
    }
    line
}

fn error_reply_line(reply: ErrorReply) -> String {
    format!("{} {} {}", reply.code(), reply.enhanced(), reply.text())
}

fn print_human(out: &mut dyn Write, events: &[Event]) -> std::io::Result<()> {
    for event in events {
        match event {
            Event::Command {
                offset, display, ..
            } => writeln!(out, "{offset:>7} C: {display}")?,
            Event::AuthResponse { offset, cancel, .. } => {
                let what = if *cancel {
                    "* (cancel)"
                } else {
                    "<AUTH data redacted>"
                };
                writeln!(out, "{offset:>7} C: {what}")?;
            }
            Event::Reply {
                offset,
                code,
                enhanced,
                lines,
                capabilities,
                ..
            } => {
                for (i, text) in lines.iter().enumerate() {
                    let sep = if i + 1 == lines.len() { ' ' } else { '-' };
                    if i == 0 {
                        writeln!(out, "{offset:>7} S: {code}{sep}{text}")?;
                    } else {
                        writeln!(out, "           {code}{sep}{text}")?;
                    }
                }
                writeln!(out, "             = {}", meaning_line(*code, *enhanced))?;
                if let Some(caps) = capabilities {
                    writeln!(out, "             capabilities: {}", caps.join(", "))?;
                }
            }
            Event::Data {
                offset,
                len,
                body,
                notes,
            } => {
                write!(
                    out,
                    "{offset:>7}    [DATA content: {} octets after unstuffing, {len} on the wire with the terminator",
                    body.len()
                )?;
                if !notes.is_empty() {
                    write!(out, "; noted: {}", notes.join(", "))?;
                }
                writeln!(out, "]")?;
            }
            Event::Chunk {
                offset,
                len,
                last,
                declared,
                ..
            } => {
                let last = if *last { ", LAST" } else { "" };
                writeln!(
                    out,
                    "{offset:>7}    [BDAT chunk: {len} of {declared} octets{last}]"
                )?;
            }
            Event::Error {
                offset,
                len,
                kind,
                server_side,
            } => {
                let side = if *server_side { "S" } else { "C" };
                writeln!(
                    out,
                    "{offset:>7} {side}! error {}: {len} octets skipped; a server would reply \"{}\"",
                    kind_name(*kind),
                    error_reply_line(kind.reply())
                )?;
            }
            Event::Incomplete {
                offset,
                len,
                server_side,
            } => {
                let side = if *server_side { "S" } else { "C" };
                writeln!(
                    out,
                    "{offset:>7} {side}  [incomplete: {len} octets left at the end]"
                )?;
            }
        }
    }
    Ok(())
}

/// A JSON string literal.
fn json_str(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A JSON string when `bytes` are UTF-8, else `{"hex":"..."}`.
fn json_bytes(out: &mut String, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(text) => json_str(out, text),
        Err(_) => {
            out.push_str("{\"hex\":\"");
            for b in bytes {
                let _ = write!(out, "{b:02x}");
            }
            out.push_str("\"}");
        }
    }
}

fn json_enhanced(out: &mut String, enhanced: Option<EnhancedStatusCode>) {
    match enhanced {
        Some(esc) => json_str(out, &esc.to_string()),
        None => out.push_str("null"),
    }
}

/// One event as one line of JSON. The schema (other tools read it):
///
/// ```text
/// {"type":"command","offset":N,"len":N,"verb":"MAIL","canonical":"MAIL FROM:<a@b.example> SIZE=100"}
/// {"type":"reply","offset":N,"len":N,"code":250,"enhanced":"2.1.0","lines":["2.1.0 Ok"],"class":"positive-completion","category":"mail-system"}
/// {"type":"data","offset":N,"len":N,"size":N,"body":B}
/// {"type":"chunk","offset":N,"len":N,"last":true,"body":B}
/// {"type":"error","offset":N,"len":N,"kind":"...","reply":{"code":501,"enhanced":"5.5.4","text":"..."}}
/// {"type":"incomplete","offset":N,"len":N}
/// {"type":"auth-response","offset":N,"len":N}   (an AUTH continuation line; its data is not shown)
/// ```
fn print_json(out: &mut dyn Write, event: &Event) -> std::io::Result<()> {
    let mut line = String::new();
    match event {
        Event::Command {
            offset,
            len,
            verb,
            canonical,
            ..
        } => {
            let _ = write!(
                line,
                "{{\"type\":\"command\",\"offset\":{offset},\"len\":{len},\"verb\":"
            );
            json_str(&mut line, verb);
            line.push_str(",\"canonical\":");
            json_bytes(&mut line, canonical);
            line.push('}');
        }
        Event::AuthResponse { offset, len, .. } => {
            let _ = write!(
                line,
                "{{\"type\":\"auth-response\",\"offset\":{offset},\"len\":{len}}}"
            );
        }
        Event::Reply {
            offset,
            len,
            code,
            enhanced,
            lines,
            ..
        } => {
            let _ = write!(
                line,
                "{{\"type\":\"reply\",\"offset\":{offset},\"len\":{len},\"code\":{},\"enhanced\":",
                code.get()
            );
            json_enhanced(&mut line, *enhanced);
            line.push_str(",\"lines\":[");
            for (i, text) in lines.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                json_str(&mut line, text);
            }
            let _ = write!(
                line,
                "],\"class\":\"{}\",\"category\":\"{}\"}}",
                code.class().as_str(),
                code.category().as_str()
            );
        }
        Event::Data {
            offset, len, body, ..
        } => {
            let _ = write!(
                line,
                "{{\"type\":\"data\",\"offset\":{offset},\"len\":{len},\"size\":{},\"body\":",
                body.len()
            );
            json_bytes(&mut line, body);
            line.push('}');
        }
        Event::Chunk {
            offset,
            len,
            last,
            body,
            ..
        } => {
            let _ = write!(
                line,
                "{{\"type\":\"chunk\",\"offset\":{offset},\"len\":{len},\"last\":{last},\"body\":"
            );
            json_bytes(&mut line, body);
            line.push('}');
        }
        Event::Error {
            offset, len, kind, ..
        } => {
            let reply = kind.reply();
            let _ = write!(
                line,
                "{{\"type\":\"error\",\"offset\":{offset},\"len\":{len},\"kind\":\"{}\",\"reply\":{{\"code\":{},\"enhanced\":",
                kind_name(*kind),
                reply.code().get()
            );
            json_enhanced(&mut line, Some(reply.enhanced()));
            line.push_str(",\"text\":");
            json_str(&mut line, reply.text());
            line.push_str("}}");
        }
        Event::Incomplete { offset, len, .. } => {
            let _ = write!(
                line,
                "{{\"type\":\"incomplete\",\"offset\":{offset},\"len\":{len}}}"
            );
        }
    }
    writeln!(out, "{line}")
}

/// `--explain CODE [ENHANCED]`.
fn explain(code: &str, enhanced: Option<&str>, json: bool) -> Result<ExitCode, String> {
    let code = code
        .parse::<u16>()
        .ok()
        .and_then(|n| ReplyCode::new(n).ok())
        .ok_or(format!(
            "{code:?} is not a reply code (2xx-5xx, second digit 0-5)"
        ))?;
    let esc = match enhanced {
        Some(text) => {
            let parsed = text.parse::<EnhancedStatusCode>().map_err(|_| {
                format!("{text:?} is not an enhanced status code (class.subject.detail)")
            })?;
            Some(parsed)
        }
        None => None,
    };
    let meaning = code.meaning();
    if json {
        let mut line = format!(
            "{{\"code\":{},\"class\":\"{}\",\"category\":\"{}\",\"text\":",
            code.get(),
            code.class().as_str(),
            code.category().as_str()
        );
        match meaning {
            Some(m) => json_str(&mut line, m.text),
            None => line.push_str("null"),
        }
        line.push_str(",\"enhanced\":");
        json_enhanced(&mut line, esc);
        line.push_str(",\"description\":");
        match esc {
            Some(esc) => json_str(&mut line, esc.summary()),
            None => line.push_str("null"),
        }
        line.push('}');
        println!("{line}");
        return Ok(ExitCode::SUCCESS);
    }
    println!("{code}");
    println!("  class:    {} ({}xx)", code.class(), code.get() / 100);
    println!(
        "  category: {} (x{}x)",
        code.category(),
        (code.get() / 10) % 10
    );
    match meaning {
        Some(m) => println!("  text:     {} ({})", m.text, m.reference),
        None => println!("  text:     (no standard text for this code)"),
    }
    if let Some(esc) = esc {
        println!("{esc}");
        match esc.description() {
            Some(entry) => {
                println!("  description: {}", entry.text);
                if !entry.basic_codes.is_empty() {
                    println!("  used with:   {}", entry.basic_codes);
                }
                println!("  reference:   {}", entry.reference);
            }
            None => println!("  description: {} (not in the registry)", esc.summary()),
        }
        if esc.class() != code.get() / 100 {
            println!("  note: the enhanced code's class does not match the reply code's");
        }
    }
    Ok(ExitCode::SUCCESS)
}
