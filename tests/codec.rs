//! The tokio codecs over the sessions: split reads give the same events as
//! the session on the whole input; bounded buffering; replies before the
//! next item; STARTTLS; the client codec's pairing; and a live session from
//! Python's smtplib against the `tokio-sink` example.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use futures_util::{SinkExt, StreamExt};
use smtp_wire::Command;
use smtp_wire::auth::AuthResponse;
use smtp_wire::codec::{ClientCodec, ServerCodec, ServerEvent};
use smtp_wire::ehlo::{Extension, Extensions};
use smtp_wire::reply::{Reply, ReplyCode};
use smtp_wire::session::{Answered, ServerConfig, ServerEvent as SessionEvent, ServerSession};
use tokio::io::AsyncWriteExt;
use tokio_util::codec::{Decoder, Encoder, Framed};

/// An event in comparable form; consecutive body pieces are merged, since
/// their boundaries depend on the reads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    Cmd(String),
    Auth(Vec<u8>),
    Body(Vec<u8>),
    /// The kind is the first problem found, which depends on where the
    /// reads split the body; the refusal at the end does not.
    Rejected,
    ChunkEnd(u64),
    MessageEnd(u64),
    Bdat(u64),
    Reply(u16),
    Close(u16),
    Tls(Vec<u8>),
    Closed,
}

fn push(events: &mut Vec<Ev>, ev: Ev) {
    // Content before a rejection is discarded by the server, and how much
    // of it came first depends on the reads.
    if ev == Ev::Rejected && matches!(events.last(), Some(Ev::Body(_))) {
        events.pop();
    }
    if let (Some(Ev::Body(prev)), Ev::Body(more)) = (events.last_mut(), &ev) {
        prev.extend_from_slice(more);
        return;
    }
    events.push(ev);
}

/// Everything offered, and the whole pipelined input accepted at once: the
/// reference runs the session on all of it.
fn config() -> ServerConfig {
    let mut config = ServerConfig::new();
    config
        .extensions(
            ServerConfig::new()
                .advertised()
                .with(Extension::Auth)
                .with(Extension::StartTls),
        )
        .require_hello(false)
        .forbid_early_input(false)
        .max_errors(usize::MAX);
    config
}

/// The server's policy: DATA gets 354, AUTH 334, an AUTH response 235,
/// STARTTLS 454 (or 220), everything else 250, chunk and message ends 250.
fn answer(ev: &Ev, accept_tls: bool) -> Option<u16> {
    Some(match ev {
        Ev::Cmd(verb) => match verb.as_str() {
            "DATA" => 354,
            "AUTH" => 334,
            "STARTTLS" if accept_tls => 220,
            "STARTTLS" => 454,
            "QUIT" => 221,
            _ => 250,
        },
        Ev::Auth(_) => 235,
        Ev::ChunkEnd(_) | Ev::MessageEnd(_) => 250,
        _ => return None,
    })
}

fn reply(code: u16) -> Reply<'static> {
    Reply::new(ReplyCode::new(code).unwrap(), &["text"]).unwrap()
}

fn from_session(event: SessionEvent<'_>) -> Ev {
    match event {
        SessionEvent::Command(cmd) => Ev::Cmd(cmd.verb().to_owned()),
        SessionEvent::AuthResponse(resp) => Ev::Auth(match resp {
            AuthResponse::Data(data) => data.expose().as_bytes().to_vec(),
            AuthResponse::Cancel => b"*".to_vec(),
        }),
        SessionEvent::Body(piece) => Ev::Body(piece.to_vec()),
        SessionEvent::BodyRejected(_) => Ev::Rejected,
        SessionEvent::ChunkEnd(end) => Ev::ChunkEnd(end.size()),
        SessionEvent::MessageEnd(end) => Ev::MessageEnd(end.size()),
        SessionEvent::Bdat { size, .. } => Ev::Bdat(size),
        SessionEvent::Error(err) => Ev::Reply(err.reply().code().get()),
        SessionEvent::Reply(reply) => Ev::Reply(reply.code().get()),
        SessionEvent::Close(reply) => Ev::Close(reply.code().get()),
        SessionEvent::TlsHandoff(rest) => Ev::Tls(rest.to_vec()),
        SessionEvent::Closed => Ev::Closed,
        other => panic!("unexpected event {other:?}"),
    }
}

fn from_codec(event: ServerEvent) -> Ev {
    match event {
        ServerEvent::Command(cmd) => {
            // The owned value re-parses to the same command.
            let again = Command::parse(cmd.as_bytes()).unwrap().complete().unwrap();
            assert_eq!(again, (cmd.command(), cmd.as_bytes().len()));
            Ev::Cmd(cmd.command().verb().to_owned())
        }
        ServerEvent::AuthResponse(line) => Ev::Auth(match line.response() {
            AuthResponse::Data(data) => data.expose().as_bytes().to_vec(),
            AuthResponse::Cancel => b"*".to_vec(),
        }),
        ServerEvent::Body(piece) => Ev::Body(piece.to_vec()),
        ServerEvent::BodyRejected(_) => Ev::Rejected,
        ServerEvent::ChunkEnd(end) => Ev::ChunkEnd(end.size()),
        ServerEvent::MessageEnd(end) => Ev::MessageEnd(end.size()),
        ServerEvent::Bdat { size, .. } => Ev::Bdat(size),
        ServerEvent::Error(err) => Ev::Reply(err.reply().code().get()),
        ServerEvent::Reply(reply) => Ev::Reply(reply.code().get()),
        ServerEvent::Close(reply) => Ev::Close(reply.code().get()),
        ServerEvent::TlsHandoff(rest) => Ev::Tls(rest.to_vec()),
        ServerEvent::Closed => Ev::Closed,
        other => panic!("unexpected event {other:?}"),
    }
}

/// The session itself on the whole input, answering by the policy.
fn run_session(input: &[u8], accept_tls: bool) -> Vec<Ev> {
    let mut session = ServerSession::new(config());
    session.reply_sent(ReplyCode::SERVICE_READY);
    let mut events = Vec::new();
    let mut pos = 0;
    loop {
        let (event, used) = session.decode(&input[pos..]);
        pos += used;
        let Some(event) = event else { break };
        let ev = from_session(event);
        if let Some(code) = answer(&ev, accept_tls) {
            session.reply_sent(ReplyCode::new(code).unwrap());
        }
        let end = matches!(ev, Ev::Tls(_) | Ev::Close(_) | Ev::Closed);
        push(&mut events, ev);
        if end {
            break;
        }
    }
    events
}

/// Feeds `reads` to a [`ServerCodec`] one by one, answering by the policy
/// through its encoder. Returns the events and the most bytes the codec
/// left buffered.
fn run_codec(reads: &[&[u8]], accept_tls: bool) -> (Vec<Ev>, usize) {
    let mut codec = ServerCodec::new(config());
    let mut buf = BytesMut::new();
    let mut out = BytesMut::new();
    codec.encode(reply(220).into(), &mut out).unwrap();
    let mut events = Vec::new();
    let mut held = 0;
    for read in reads {
        buf.extend_from_slice(read);
        while let Some(event) = codec.decode(&mut buf).unwrap() {
            let ev = from_codec(event);
            if let Some(code) = answer(&ev, accept_tls) {
                codec.encode(reply(code).into(), &mut out).unwrap();
            }
            let end = matches!(ev, Ev::Tls(_) | Ev::Close(_) | Ev::Closed);
            push(&mut events, ev);
            if end {
                return (events, held);
            }
        }
        held = held.max(buf.len());
    }
    (events, held)
}

/// Short sessions covering every mode and its edges.
fn short_sessions() -> Vec<Vec<u8>> {
    let mut long_line = b"NOOP ".to_vec();
    long_line.extend(std::iter::repeat_n(b'x', 600));
    long_line.extend_from_slice(b"\r\nRSET\r\n");
    vec![
        b"EHLO client.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n\
          Subject: x\r\n\r\n..stuffed\r\n.\r\nfake \n.\n end\r\n.\r\nQUIT\r\n"
            .to_vec(),
        b"DATA\r\n.\r\nDATA\r\n..\r\n.\r\nRSET\r\n".to_vec(),
        b"BDAT 12\r\nQUIT\r\n.\r\n\0\r\nBDAT 0 LAST\r\nBDAT 5 LAST\r\nDATA\r\nNOOP\r\n".to_vec(),
        b"AUTH PLAIN\r\ndGVzdA==\r\nAUTH LOGIN\r\n*\r\nAUTH PLAIN\r\nnot base64!\r\nQUIT\r\n"
            .to_vec(),
        b"noop\nRSET\r\nMAIL FROM:<bad address>\r\nQU\rIT\r\nDATA\r\nbare\rcr\r\n.\r\nNOOP\r\n"
            .to_vec(),
        b"STARTTLS\r\nRSET\r\n".to_vec(),
        long_line,
    ]
}

#[test]
fn short_sessions_split_at_every_byte() {
    for input in short_sessions() {
        let expected = run_session(&input, false);
        let (whole, _) = run_codec(&[&input], false);
        assert_eq!(
            whole,
            expected,
            "whole input {:?}",
            String::from_utf8_lossy(&input)
        );
        for i in 0..=input.len() {
            let (events, _) = run_codec(&[&input[..i], &input[i..]], false);
            assert_eq!(events, expected, "split at {i}");
        }
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        let (events, held) = run_codec(&bytes, false);
        assert_eq!(events, expected, "one byte per read");
        assert!(held < 512, "held {held} bytes");
    }
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A long pipelined session: transactions over DATA and BDAT with awkward
/// content, errors and AUTH exchanges.
fn long_session(rng: &mut Rng) -> Vec<u8> {
    const LINES: [&[u8]; 9] = [
        b"plain text line\r\n",
        b".stuffed\r\n",
        b"..\r\n",
        b"\r\n",
        b"x\n.\nfake end\r\n",
        b"QUIT\r\n",
        b"BDAT 5 LAST\r\n",
        b"\r\n.\r",
        b"tab\tline\r\n",
    ];
    let mut out = b"EHLO client.example\r\n".to_vec();
    for _ in 0..60 {
        out.extend_from_slice(b"MAIL FROM:<a@b.example> SIZE=100\r\nRCPT TO:<c@d.example>\r\n");
        match rng.below(5) {
            0 | 1 => {
                out.extend_from_slice(b"DATA\r\n");
                for _ in 0..rng.below(40) {
                    out.extend_from_slice(LINES[rng.below(LINES.len())]);
                }
                out.extend_from_slice(b"\r\n.\r\n");
            }
            2 | 3 => {
                for i in (0..=rng.below(3)).rev() {
                    let data: Vec<u8> = (0..rng.below(3000)).map(|_| rng.next() as u8).collect();
                    let last = if i == 0 { " LAST" } else { "" };
                    out.extend_from_slice(format!("BDAT {}{last}\r\n", data.len()).as_bytes());
                    out.extend_from_slice(&data);
                }
            }
            _ => {
                out.extend_from_slice(b"AUTH PLAIN\r\nAGEAYg==\r\nNOOP \xff\r\n");
                out.extend(std::iter::repeat_n(b'y', rng.below(1500)));
                out.extend_from_slice(b"\r\nRSET\r\n");
            }
        }
    }
    out.extend_from_slice(b"QUIT\r\n");
    out
}

#[test]
fn long_sessions_split_at_random() {
    let mut rng = Rng(0x5eed_cafe_f00d);
    for _ in 0..8 {
        let input = long_session(&mut rng);
        let expected = run_session(&input, false);
        assert!(expected.len() > 200);
        for _ in 0..25 {
            let mut reads = Vec::new();
            let mut rest = &input[..];
            while !rest.is_empty() {
                let n = (1 + rng.below(2000)).min(rest.len());
                reads.push(&rest[..n]);
                rest = &rest[n..];
            }
            let (events, held) = run_codec(&reads, false);
            if let Some(i) =
                (0..events.len().max(expected.len())).find(|&i| events.get(i) != expected.get(i))
            {
                let short = |e: Option<&Ev>| match e {
                    Some(Ev::Body(b)) => format!("Body({} bytes)", b.len()),
                    other => format!("{other:?}"),
                };
                panic!(
                    "event {i}: codec {} session {}; before: {}",
                    short(events.get(i)),
                    short(expected.get(i)),
                    short(i.checked_sub(1).and_then(|j| events.get(j)))
                );
            }
            // Less than a command line (or two bytes of content) is ever held.
            assert!(held < 512, "held {held} bytes");
        }
    }
}

#[test]
fn over_long_line_is_bounded_and_reported_once() {
    let mut reads: Vec<Vec<u8>> = vec![[b'A'; 1000].to_vec(); 1024];
    reads.push(b"AAAA\r\nNOOP\r\n".to_vec());
    let reads: Vec<&[u8]> = reads.iter().map(Vec::as_slice).collect();
    let (events, held) = run_codec(&reads, false);
    assert!(held < 512, "{held} bytes held");
    assert_eq!(events, [Ev::Reply(500), Ev::Cmd("NOOP".into())]);
}

#[test]
fn large_bodies_stream_with_two_bytes_held() {
    // A 4 MB BDAT chunk and a 4 MB DATA body, fed in 64 KiB reads.
    let mut input = b"EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n\
        BDAT 4000000 LAST\r\n"
        .to_vec();
    input.extend((0..4_000_000u32).map(|i| (i % 251) as u8));
    input.extend_from_slice(b"MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n");
    let line = [b"0123456789abcdef".repeat(4).as_slice(), b"\r\n"].concat();
    for _ in 0..4_000_000 / line.len() {
        input.extend_from_slice(&line);
    }
    input.extend_from_slice(b".\r\nQUIT\r\n");
    let mut codec = ServerCodec::new(config());
    let mut buf = BytesMut::new();
    let mut out = BytesMut::new();
    codec.encode(reply(220).into(), &mut out).unwrap();
    let mut ends = Vec::new();
    let mut body = 0;
    for read in input.chunks(64 * 1024) {
        buf.extend_from_slice(read);
        while let Some(event) = codec.decode(&mut buf).unwrap() {
            let ev = from_codec(event);
            if let Ev::Body(piece) = &ev {
                body += piece.len();
                continue;
            }
            if let Some(code) = answer(&ev, false) {
                codec.encode(reply(code).into(), &mut out).unwrap();
            }
            assert!(!matches!(ev, Ev::Close(_)), "{ends:?} {ev:?}");
            if ev == Ev::Closed {
                break;
            }
            ends.push(ev);
        }
        assert!(buf.len() <= 2, "{} bytes held", buf.len());
    }
    let data = 4_000_000 / line.len() * line.len();
    assert_eq!(body, 4_000_000 + data);
    assert!(ends.contains(&Ev::MessageEnd(4_000_000)));
    assert!(ends.contains(&Ev::MessageEnd(data as u64)));
    assert_eq!(ends.last(), Some(&Ev::Cmd("QUIT".into())));
}

#[test]
fn decoding_while_a_reply_is_owed_is_an_error() {
    let mut codec = ServerCodec::new(config());
    let mut out = BytesMut::new();
    codec.encode(reply(220).into(), &mut out).unwrap();
    let mut buf = BytesMut::from(&b"NOOP\r\nNOOP\r\n"[..]);
    assert!(matches!(
        codec.decode(&mut buf).unwrap(),
        Some(ServerEvent::Command(_))
    ));
    let err = codec.decode(&mut buf).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    // Nothing more was consumed; after the reply, decoding goes on.
    assert_eq!(buf, &b"NOOP\r\n"[..]);
    codec.encode(reply(250).into(), &mut out).unwrap();
    assert!(matches!(
        codec.decode(&mut buf).unwrap(),
        Some(ServerEvent::Command(_))
    ));
}

#[test]
fn content_before_the_354_closes_the_session() {
    // The default configuration forbids input after a command that must
    // end a pipelined group (RFC 2920 §3.1): here a refused DATA's content.
    let mut codec = ServerCodec::new(ServerConfig::new());
    let mut out = BytesMut::new();
    codec.encode(reply(220).into(), &mut out).unwrap();
    let mut buf = BytesMut::from(&b"EHLO c.example\r\n"[..]);
    codec.decode(&mut buf).unwrap().unwrap();
    codec.encode(reply(250).into(), &mut out).unwrap();
    buf.extend_from_slice(
        b"MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\nMAIL FROM:<x@y.example>\r\n",
    );
    let mut events = Vec::new();
    while let Some(event) = codec.decode(&mut buf).unwrap() {
        let ev = from_codec(event);
        // A policy that refuses the recipient: DATA gets the session's 554.
        let code = match &ev {
            Ev::Cmd(verb) if verb == "RCPT" => Some(550),
            other => answer(other, false),
        };
        if let Some(code) = code {
            codec.encode(reply(code).into(), &mut out).unwrap();
        }
        let end = matches!(ev, Ev::Close(_));
        events.push(ev);
        if end {
            break;
        }
    }
    assert_eq!(
        events,
        [
            Ev::Cmd("MAIL".into()),
            Ev::Cmd("RCPT".into()),
            Ev::Close(554)
        ]
    );
    assert!(buf.is_empty());
}

#[test]
fn starttls_leftover_is_handed_back_never_decoded() {
    let injected = &b"RSET\r\nMAIL FROM:<evil@attacker.example>\r\n"[..];
    // In the same read as STARTTLS: the client did not wait (RFC 3207 §4.2);
    // with the default configuration the session closes.
    let mut codec = ServerCodec::new(
        ServerConfig::new()
            .extensions(Extensions::new().with(Extension::StartTls))
            .to_owned(),
    );
    let mut out = BytesMut::new();
    codec.encode(reply(220).into(), &mut out).unwrap();
    let mut buf = BytesMut::from(&b"EHLO x.example\r\n"[..]);
    codec.decode(&mut buf).unwrap().unwrap();
    codec.encode(reply(250).into(), &mut out).unwrap();
    buf.extend_from_slice(&[&b"STARTTLS\r\n"[..], injected].concat());
    assert!(matches!(
        codec.decode(&mut buf).unwrap(),
        Some(ServerEvent::Close(_))
    ));
    // In a later read: handed back, never decoded, whatever the split.
    for i in 0..=injected.len() {
        let reads = [&b"STARTTLS\r\n"[..], &injected[..i], &injected[i..]];
        let (events, _) = run_codec(&reads, true);
        let tls: Vec<u8> = match events.last() {
            Some(Ev::Tls(rest)) => rest.clone(),
            other => panic!("{other:?}"),
        };
        // What arrived before the codec was asked again.
        assert!(injected.starts_with(&tls), "split {i}");
        assert_eq!(events[0], Ev::Cmd("STARTTLS".into()));
    }
}

#[tokio::test]
async fn starttls_handoff_through_framed() {
    let (mut client, server) = tokio::io::duplex(4096);
    let mut config = ServerConfig::new();
    config.extensions(Extensions::new().with(Extension::StartTls));
    let mut framed = Framed::new(server, ServerCodec::new(config));
    framed.send(reply(220).into()).await.unwrap();
    client.write_all(b"EHLO c.example\r\n").await.unwrap();
    framed.next().await.unwrap().unwrap();
    framed.send(reply(250).into()).await.unwrap();
    client.write_all(b"STARTTLS\r\n").await.unwrap();
    let Some(ServerEvent::Command(cmd)) = framed.next().await.transpose().unwrap() else {
        panic!()
    };
    assert_eq!(cmd.command(), Command::StartTls);
    framed.send(reply(220).into()).await.unwrap();
    let handoff = ServerCodec::tls_handoff(framed).unwrap();
    assert!(handoff.discarded.is_empty());
    assert!(handoff.codec.session().is_tls());
    // The session started over: STARTTLS is now refused.
    let mut codec = handoff.codec;
    let mut buf = BytesMut::from(&b"STARTTLS\r\n"[..]);
    assert!(
        matches!(codec.decode(&mut buf).unwrap(), Some(ServerEvent::Reply(r)) if r.code().get() == 503)
    );
}

#[test]
fn client_codec_pairs_replies_split_at_every_byte() {
    let server = b"220 mx.example\r\n250-mx.example\r\n250-PIPELINING\r\n250 SIZE 1000\r\n\
        250 2.1.0 ok\r\n550 5.1.1 no\r\n250 2.1.5 ok\r\n354 go\r\n250 2.0.0 queued\r\n221 bye\r\n";
    let expected = [
        Answered::Greeting,
        Answered::Ehlo,
        Answered::Mail,
        Answered::Rcpt { index: 0 },
        Answered::Rcpt { index: 1 },
        Answered::Data,
        Answered::Message { recipient: 0 },
        Answered::Quit,
    ];
    for i in 0..=server.len() {
        let mut codec = ClientCodec::default();
        let mut out = BytesMut::new();
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        let mut reads = [&server[..i], &server[i..]].into_iter();
        let mut next = |codec: &mut ClientCodec, buf: &mut BytesMut| loop {
            if let Some(received) = codec.decode(buf).unwrap() {
                return received;
            }
            buf.extend_from_slice(reads.next().expect("more server bytes"));
        };
        got.push(next(&mut codec, &mut buf).to);
        let host = smtp_wire::address::Host::new("c.example").unwrap();
        codec.encode(Command::Ehlo(host).into(), &mut out).unwrap();
        got.push(next(&mut codec, &mut buf).to);
        // Pipelined: MAIL, two RCPTs and DATA in one write.
        let mail = smtp_wire::command::MailFrom::new(
            smtp_wire::address::Mailbox::new("a@b.example").unwrap(),
        );
        codec.encode(Command::from(mail).into(), &mut out).unwrap();
        for to in ["c@d.example", "e@f.example"] {
            let rcpt =
                smtp_wire::command::RcptTo::new(smtp_wire::address::Mailbox::new(to).unwrap());
            codec.encode(Command::from(rcpt).into(), &mut out).unwrap();
        }
        codec.encode(Command::Data.into(), &mut out).unwrap();
        for _ in 0..4 {
            got.push(next(&mut codec, &mut buf).to);
        }
        let body = smtp_wire::body::DataBody::new(b"Hi\r\n").unwrap();
        codec.encode(body.into(), &mut out).unwrap();
        got.push(next(&mut codec, &mut buf).to);
        codec.encode(Command::Quit.into(), &mut out).unwrap();
        got.push(next(&mut codec, &mut buf).to);
        assert_eq!(got, expected, "split at {i}");
        assert!(out.ends_with(b"DATA\r\nHi\r\n.\r\nQUIT\r\n"));
    }
}

#[tokio::test]
async fn client_starttls_discards_injected_replies() {
    let (client, mut server) = tokio::io::duplex(4096);
    server
        .write_all(b"220 mx.example\r\n250-mx.example\r\n250 STARTTLS\r\n")
        .await
        .unwrap();
    let mut framed = Framed::new(client, ClientCodec::default());
    framed.next().await.unwrap().unwrap();
    let host = smtp_wire::address::Host::new("c.example").unwrap();
    framed.send(Command::Ehlo(host).into()).await.unwrap();
    framed.next().await.unwrap().unwrap();
    framed.send(Command::StartTls.into()).await.unwrap();
    server
        .write_all(b"220 2.0.0 go ahead\r\n250 injected\r\n")
        .await
        .unwrap();
    let received = framed.next().await.unwrap().unwrap();
    assert_eq!(received.to, Answered::StartTls);
    let handoff = ClientCodec::tls_handoff(framed).expect("220 received");
    assert_eq!(handoff.discarded, "250 injected\r\n");
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smtp-wire-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn live_python_smtplib_against_tokio_sink() {
    if Process::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 not found; skipping the live test");
        return;
    }
    let store = temp_dir("store");
    let sent = temp_dir("sent");
    let mut server = Server(
        Process::new(env!("CARGO_BIN_EXE_tokio-sink"))
            .args(["--listen", "127.0.0.1:0", "--dir"])
            .arg(&store)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // "listening on 127.0.0.1:PORT", within a bounded wait.
    let stdout = server.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("server start");
    let port = line.trim().rsplit(':').next().unwrap().to_owned();
    assert!(port.parse::<u16>().unwrap() != 25);

    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/live_client.py");
    let (threads, per_thread) = (6, 8);
    let mut client = Process::new("python3")
        .arg(&script)
        .arg(&port)
        .arg(&sent)
        .arg(threads.to_string())
        .arg(per_thread.to_string())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = client.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = client.kill();
            panic!("the Python client timed out");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "the Python client failed");

    let read_all = |dir: &PathBuf| {
        let mut messages: Vec<Vec<u8>> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
            .map(|path| std::fs::read(path).unwrap())
            .collect();
        messages.sort();
        messages
    };
    let (sent_messages, stored) = (read_all(&sent), read_all(&store));
    assert_eq!(sent_messages.len(), threads * per_thread);
    assert_eq!(stored.len(), sent_messages.len());
    for (stored, sent) in stored.iter().zip(&sent_messages) {
        assert!(stored == sent, "a stored message differs from the one sent");
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&store);
    let _ = std::fs::remove_dir_all(&sent);
}
