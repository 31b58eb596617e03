//! The tokio codecs: split reads give the same events as the core parsers on
//! the whole input; bodies, pipelining, bounded buffering, STARTTLS; and a
//! live session from Python's smtplib against the `tokio-sink` example.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use futures_util::{SinkExt, StreamExt};
use smtp_wire::auth::AuthResponse;
use smtp_wire::body::DataEvent;
use smtp_wire::codec::{BodyEnd, ClientCodec, ServerCodec, ServerEvent, ServerMode, ServerReply};
use smtp_wire::reply::ReplyCode;
use smtp_wire::{BdatDecoder, Command, CommandConfig, DataDecoder, ErrorKind, Reply, Status};
use tokio::io::AsyncWriteExt;
use tokio_util::codec::{Decoder, Encoder, Framed};

/// An event in comparable form; consecutive body pieces are merged, since
/// their boundaries depend on the reads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    Cmd(Vec<u8>),
    Auth(Vec<u8>),
    Body(Vec<u8>),
    DataEnd(u64),
    ChunkEnd(bool),
    Err(ErrorKind),
    Tls(Vec<u8>),
}

fn push(events: &mut Vec<Ev>, ev: Ev) {
    if let (Some(Ev::Body(prev)), Ev::Body(more)) = (events.last_mut(), &ev) {
        prev.extend_from_slice(more);
        return;
    }
    events.push(ev);
}

/// The server's policy, the same for the codec and the reference: DATA gets
/// 354, AUTH 334, an AUTH response 235, STARTTLS 454 (or 220), BDAT nothing
/// until its chunk ends, errors their own reply, everything else 250.
fn reply_code(ev: &Ev, accept_tls: bool) -> Option<u16> {
    Some(match ev {
        Ev::Cmd(line) => {
            let verb = line
                .split(|&b| b == b' ' || b == b'\r')
                .next()
                .unwrap()
                .to_ascii_uppercase();
            match &verb[..] {
                b"DATA" => 354,
                b"AUTH" => 334,
                b"STARTTLS" if accept_tls => 220,
                b"STARTTLS" => 454,
                b"BDAT" => return None,
                _ => 250,
            }
        }
        Ev::Auth(_) => 235,
        Ev::Body(_) | Ev::Tls(_) => return None,
        Ev::DataEnd(_) | Ev::ChunkEnd(_) => 250,
        Ev::Err(kind) => kind.reply().code.get(),
    })
}

fn reply(code: u16) -> Reply<'static> {
    Reply::new(ReplyCode::new(code).unwrap(), &["text"]).unwrap()
}

fn convert(event: ServerEvent) -> Ev {
    match event {
        ServerEvent::Command(cmd) => {
            // The owned value re-parses to the same command.
            let again = Command::parse(cmd.as_bytes()).unwrap();
            assert_eq!(
                again,
                Status::Complete((cmd.command(), cmd.as_bytes().len()))
            );
            Ev::Cmd(cmd.as_bytes().to_vec())
        }
        ServerEvent::AuthResponse(line) => Ev::Auth(match line.response() {
            AuthResponse::Data(data) => data.expose().as_bytes().to_vec(),
            AuthResponse::Cancel => b"*".to_vec(),
        }),
        ServerEvent::Body(piece) => Ev::Body(piece.to_vec()),
        ServerEvent::BodyEnd(BodyEnd::Data(end)) => Ev::DataEnd(end.size()),
        ServerEvent::BodyEnd(BodyEnd::Chunk { last }) => Ev::ChunkEnd(last),
        ServerEvent::Error(err) => Ev::Err(err.kind()),
        ServerEvent::TlsHandoff(rest) => Ev::Tls(rest.to_vec()),
        other => panic!("unexpected event {other:?}"),
    }
}

/// Feeds `reads` to a [`ServerCodec`] one by one, answering by the policy.
/// Returns the events and the most bytes the codec left buffered.
fn run_codec(codec: &mut ServerCodec, reads: &[&[u8]], accept_tls: bool) -> (Vec<Ev>, usize) {
    let mut buf = BytesMut::new();
    let mut out = BytesMut::new();
    let mut events = Vec::new();
    let mut held = 0;
    for read in reads {
        buf.extend_from_slice(read);
        while let Some(event) = codec.decode(&mut buf).unwrap() {
            let ev = convert(event);
            if let Some(code) = reply_code(&ev, accept_tls) {
                codec.encode(reply(code).into(), &mut out).unwrap();
            }
            let end = matches!(ev, Ev::Tls(_));
            push(&mut events, ev);
            if end {
                return (events, held);
            }
        }
        held = held.max(buf.len());
    }
    (events, held)
}

/// The same session through the core parsers on the whole input.
fn run_reference(input: &[u8]) -> Vec<Ev> {
    enum Mode {
        Commands,
        Auth,
        Data(DataDecoder),
        Bdat(BdatDecoder, bool),
    }
    let config = CommandConfig::new();
    let mut mode = Mode::Commands;
    let mut pos = 0;
    let mut events = Vec::new();
    loop {
        let rest = &input[pos..];
        let ev = match &mut mode {
            Mode::Commands => match Command::parse(rest) {
                Ok(Status::Complete((cmd, used))) => {
                    mode = match cmd {
                        Command::Data => Mode::Data(DataDecoder::new()),
                        Command::Auth(_) => Mode::Auth,
                        Command::Bdat { size, last } => Mode::Bdat(BdatDecoder::new(size), last),
                        _ => Mode::Commands,
                    };
                    pos += used;
                    Ev::Cmd(rest[..used].to_vec())
                }
                Ok(Status::Partial) => break,
                Err(err) => {
                    pos += err.skip();
                    if err.needs_resync() {
                        pos = input.len();
                    }
                    Ev::Err(err.kind())
                }
            },
            Mode::Auth => match config.parse_auth_response(rest) {
                Ok(Status::Complete((resp, used))) => {
                    pos += used;
                    mode = Mode::Commands; // 235 follows
                    Ev::Auth(match resp {
                        AuthResponse::Data(data) => data.expose().as_bytes().to_vec(),
                        AuthResponse::Cancel => b"*".to_vec(),
                    })
                }
                Ok(Status::Partial) => break,
                Err(err) => {
                    pos += err.skip();
                    mode = Mode::Commands;
                    Ev::Err(err.kind())
                }
            },
            Mode::Data(decoder) => match decoder.decode(rest) {
                Ok(Status::Complete((DataEvent::Payload(data), used))) => {
                    pos += used;
                    Ev::Body(data.to_vec())
                }
                Ok(Status::Complete((DataEvent::End(end), used))) => {
                    pos += used;
                    mode = Mode::Commands;
                    Ev::DataEnd(end.size())
                }
                Ok(Status::Partial) => break,
                Err(err) => {
                    pos += err.skip();
                    mode = Mode::Commands;
                    Ev::Err(err.kind())
                }
            },
            Mode::Bdat(chunk, last) => {
                if chunk.is_done() {
                    let last = *last;
                    mode = Mode::Commands;
                    Ev::ChunkEnd(last)
                } else {
                    let (data, used) = chunk.decode(rest);
                    if used == 0 {
                        break;
                    }
                    pos += used;
                    Ev::Body(data.to_vec())
                }
            }
        };
        push(&mut events, ev);
    }
    events
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
        let expected = run_reference(&input);
        let (whole, _) = run_codec(&mut ServerCodec::new(), &[&input], false);
        assert_eq!(
            whole,
            expected,
            "whole input {:?}",
            String::from_utf8_lossy(&input)
        );
        for i in 0..=input.len() {
            let (events, _) =
                run_codec(&mut ServerCodec::new(), &[&input[..i], &input[i..]], false);
            assert_eq!(events, expected, "split at {i}");
        }
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        let (events, held) = run_codec(&mut ServerCodec::new(), &bytes, false);
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
        let expected = run_reference(&input);
        assert!(expected.len() > 200);
        for _ in 0..25 {
            let mut reads = Vec::new();
            let mut rest = &input[..];
            while !rest.is_empty() {
                let n = (1 + rng.below(2000)).min(rest.len());
                reads.push(&rest[..n]);
                rest = &rest[n..];
            }
            let mut codec = ServerCodec::new();
            codec.max_body_piece(64 + rng.below(1000));
            let (events, held) = run_codec(&mut codec, &reads, false);
            assert_eq!(events, expected);
            // Less than a command line (or two bytes of content) is ever held.
            assert!(held < 512, "held {held} bytes");
        }
    }
}

#[test]
fn over_long_line_is_bounded_and_reported_once() {
    let mut codec = ServerCodec::new();
    let mut buf = BytesMut::new();
    let mut events = Vec::new();
    let junk = [b'A'; 1000];
    for _ in 0..1024 {
        buf.extend_from_slice(&junk);
        while let Some(event) = codec.decode(&mut buf).unwrap() {
            events.push(convert(event));
        }
        assert!(buf.len() < 512, "{} bytes held", buf.len());
    }
    buf.extend_from_slice(b"AAAA\r\nNOOP\r\n");
    while let Some(event) = codec.decode(&mut buf).unwrap() {
        events.push(convert(event));
    }
    assert_eq!(
        events,
        [
            Ev::Err(ErrorKind::LineTooLong),
            Ev::Cmd(b"NOOP\r\n".to_vec())
        ]
    );
}

#[test]
fn large_bodies_stream_in_bounded_pieces() {
    // A 4 MB BDAT chunk and a 4 MB DATA body, fed in 64 KiB reads.
    let mut codec = ServerCodec::new();
    codec.max_body_piece(16 * 1024);
    let mut input = b"BDAT 4000000 LAST\r\n".to_vec();
    input.extend((0..4_000_000u32).map(|i| (i % 251) as u8));
    input.extend_from_slice(b"DATA\r\n");
    let line = [b"0123456789abcdef".repeat(4).as_slice(), b"\r\n"].concat();
    for _ in 0..4_000_000 / line.len() {
        input.extend_from_slice(&line);
    }
    input.extend_from_slice(b".\r\nQUIT\r\n");

    let mut buf = BytesMut::new();
    let mut out = BytesMut::new();
    let mut bodies = [0usize; 2];
    let mut events = Vec::new();
    for read in input.chunks(64 * 1024) {
        buf.extend_from_slice(read);
        while let Some(event) = codec.decode(&mut buf).unwrap() {
            match event {
                ServerEvent::Body(piece) => {
                    assert!(piece.len() <= 16 * 1024);
                    bodies[usize::from(codec.mode() == ServerMode::Data)] += piece.len();
                }
                other => {
                    let ev = convert(other);
                    if let Some(code) = reply_code(&ev, false) {
                        codec.encode(reply(code).into(), &mut out).unwrap();
                    }
                    events.push(ev);
                }
            }
        }
        assert!(buf.len() <= 2, "{} bytes held", buf.len());
    }
    assert_eq!(bodies, [4_000_000, 4_000_000 / line.len() * line.len()]);
    assert_eq!(events.last(), Some(&Ev::Cmd(b"QUIT\r\n".to_vec())));
}

#[test]
fn no_decoding_while_waiting_for_the_reply_to_data() {
    let mut codec = ServerCodec::new();
    let mut buf = BytesMut::from(&b"DATA\r\nMAIL FROM:<x@y.example>\r\n"[..]);
    assert!(matches!(
        codec.decode(&mut buf).unwrap(),
        Some(ServerEvent::Command(_))
    ));
    // Not decoded as a command: the server has not answered DATA.
    assert_eq!(codec.decode(&mut buf).unwrap(), None);
    assert_eq!(codec.mode(), ServerMode::AwaitingReply);
    // A client that keeps sending is out of sync; the codec stops, bounded.
    buf.extend_from_slice(&[b'x'; 600]);
    let err = codec.decode(&mut buf).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
}

#[test]
fn replies_are_counted_across_a_pipelined_group() {
    let mut codec = ServerCodec::new();
    let mut buf =
        BytesMut::from(&b"MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n"[..]);
    let mut out = BytesMut::new();
    for _ in 0..3 {
        assert!(matches!(
            codec.decode(&mut buf).unwrap(),
            Some(ServerEvent::Command(_))
        ));
    }
    // The replies to MAIL and RCPT go out after DATA was decoded.
    codec.encode(reply(250).into(), &mut out).unwrap();
    codec.encode(reply(250).into(), &mut out).unwrap();
    assert_eq!(codec.mode(), ServerMode::AwaitingReply);
    codec.encode(reply(354).into(), &mut out).unwrap();
    assert_eq!(codec.mode(), ServerMode::Data);
    // A refusal of DATA returns to commands.
    let mut codec = ServerCodec::new();
    let mut buf = BytesMut::from(&b"DATA\r\nQUIT\r\n"[..]);
    codec.decode(&mut buf).unwrap();
    codec
        .encode(ServerReply::from(reply(503)), &mut out)
        .unwrap();
    let Some(ServerEvent::Command(quit)) = codec.decode(&mut buf).unwrap() else {
        panic!()
    };
    assert_eq!(quit.command(), Command::Quit);
}

#[test]
fn starttls_leftover_is_handed_back_never_decoded() {
    let input = b"EHLO x.example\r\nSTARTTLS\r\nRSET\r\nMAIL FROM:<evil@attacker.example>\r\n";
    let injected = &b"RSET\r\nMAIL FROM:<evil@attacker.example>\r\n"[..];
    let expected = vec![
        Ev::Cmd(b"EHLO x.example\r\n".to_vec()),
        Ev::Cmd(b"STARTTLS\r\n".to_vec()),
        Ev::Tls(injected.to_vec()),
    ];
    // In one read, and split at every byte: the bytes after STARTTLS are
    // the leftover whatever the reads (those that arrived before the 220).
    let starttls_end = input.len() - injected.len();
    for i in 0..=input.len() {
        let (events, _) = run_codec(&mut ServerCodec::new(), &[&input[..i], &input[i..]], true);
        if i < starttls_end {
            // STARTTLS arrived with the second read, and the rest with it.
            assert_eq!(events, expected, "split at {i}");
        } else {
            // The 220 went out before the second read: only the bytes that
            // came with STARTTLS are left over; the rest would reach TLS.
            assert_eq!(events[..2], expected[..2]);
            assert_eq!(
                events[2],
                Ev::Tls(input[starttls_end..i].to_vec()),
                "split at {i}"
            );
            assert_eq!(events.len(), 3);
        }
    }
    // Refused with 454: the session goes on in plaintext.
    let (events, _) = run_codec(&mut ServerCodec::new(), &[input], false);
    assert_eq!(events[2], Ev::Cmd(b"RSET\r\n".to_vec()));
    // After the hand-off event, the plaintext stream is over.
    let mut codec = ServerCodec::new();
    let mut buf = BytesMut::from(&b"STARTTLS\r\nRSET\r\n"[..]);
    codec.decode(&mut buf).unwrap();
    codec
        .encode(reply(220).into(), &mut BytesMut::new())
        .unwrap();
    assert_eq!(codec.mode(), ServerMode::TlsHandoff);
    let Some(ServerEvent::TlsHandoff(rest)) = codec.decode(&mut buf).unwrap() else {
        panic!()
    };
    assert_eq!(rest, "RSET\r\n");
    buf.extend_from_slice(b"QUIT\r\n");
    assert!(codec.decode(&mut buf).is_err());
}

#[tokio::test]
async fn starttls_handoff_through_framed() {
    let (mut client, server) = tokio::io::duplex(1024);
    let mut framed = Framed::new(server, ServerCodec::new());
    client
        .write_all(b"EHLO x.example\r\nSTARTTLS\r\nRSET\r\nMAIL FROM:<evil@attacker.example>\r\n")
        .await
        .unwrap();
    let mut seen = Vec::new();
    while let Some(event) = framed.next().await {
        let ev = convert(event.unwrap());
        let code = reply_code(&ev, true).unwrap();
        seen.push(ev);
        framed.send(reply(code).into()).await.unwrap();
        if code == 220 {
            break;
        }
    }
    assert_eq!(seen.len(), 2);
    let handoff = ServerCodec::tls_handoff(framed).unwrap();
    assert_eq!(
        handoff.discarded,
        "RSET\r\nMAIL FROM:<evil@attacker.example>\r\n"
    );
    assert_eq!(handoff.codec.mode(), ServerMode::Commands);
}

#[tokio::test]
async fn framed_body_split_across_reads_then_pipelined_commands() {
    // A 7-byte pipe: every read is at most 7 bytes.
    let (mut client, server) = tokio::io::duplex(7);
    let session = b"MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n\
        Hello\r\n..dot\r\n.\r\nRSET\r\nBDAT 9 LAST\r\nBDAT 1\r\nNOOP\r\nQUIT\r\n";
    let writer = tokio::spawn(async move {
        client.write_all(session).await.unwrap();
        client
    });
    let mut framed = Framed::new(server, ServerCodec::new());
    let mut events = Vec::new();
    while let Some(event) = framed.next().await {
        let ev = convert(event.unwrap());
        if let Some(code) = reply_code(&ev, false) {
            framed.feed(reply(code).into()).await.unwrap();
        }
        let quit = ev == Ev::Cmd(b"QUIT\r\n".to_vec());
        push(&mut events, ev);
        if quit {
            break;
        }
    }
    drop(writer.await.unwrap());
    assert_eq!(events, run_reference(session));
    assert_eq!(events[3], Ev::Body(b"Hello\r\n.dot\r\n".to_vec()));
    assert_eq!(events[4], Ev::DataEnd(13));
    assert_eq!(events[5], Ev::Cmd(b"RSET\r\n".to_vec()));
    assert_eq!(events[7], Ev::Body(b"BDAT 1\r\nN".to_vec()));
}

#[tokio::test]
async fn framed_over_long_line_keeps_memory_bounded() {
    let (mut client, server) = tokio::io::duplex(4096);
    let writer = tokio::spawn(async move {
        let junk = vec![b'Z'; 64 * 1024];
        for _ in 0..32 {
            client.write_all(&junk).await.unwrap();
        }
        client.write_all(b"\r\nNOOP\r\n").await.unwrap();
        client
    });
    let mut framed = Framed::new(server, ServerCodec::new());
    let first = convert(framed.next().await.unwrap().unwrap());
    assert_eq!(first, Ev::Err(ErrorKind::LineTooLong));
    let second = convert(framed.next().await.unwrap().unwrap());
    assert_eq!(second, Ev::Cmd(b"NOOP\r\n".to_vec()));
    // 2 MiB went through an 8 KiB buffer.
    assert!(framed.read_buffer().capacity() <= 16 * 1024);
    drop(writer.await.unwrap());
}

#[test]
fn client_codec_replies_split_at_every_byte() {
    let input = b"220 mx.example ESMTP\r\n250-mx.example hi\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 CHUNKING\r\n354 go\r\n";
    for i in 0..=input.len() {
        let mut codec = ClientCodec::new();
        let mut buf = BytesMut::new();
        let mut replies = Vec::new();
        for read in [&input[..i], &input[i..]] {
            buf.extend_from_slice(read);
            while let Some(reply) = codec.decode(&mut buf).unwrap() {
                replies.push(reply);
            }
        }
        assert_eq!(replies.len(), 3, "split at {i}");
        let ehlo = replies[1].ehlo().unwrap();
        assert!(ehlo.supports("PIPELINING"));
        assert_eq!(ehlo.size(), Some(1000));
        assert_eq!(replies[2].reply().code().get(), 354);
    }
}

#[tokio::test]
async fn client_starttls_discards_injected_replies() {
    let (client, mut server) = tokio::io::duplex(1024);
    let mut framed = Framed::new(client, ClientCodec::new());
    server
        .write_all(b"220 mx.example\r\n250 mx.example\r\n")
        .await
        .unwrap();
    framed.next().await.unwrap().unwrap();
    // NOOP then STARTTLS pipelined: the 220 is the second reply after them.
    framed.feed(Command::Noop(None).into()).await.unwrap();
    framed.send(Command::StartTls.into()).await.unwrap();
    server
        .write_all(b"220 ready\r\n250 2.1.0 injected\r\n")
        .await
        .unwrap();
    let noop = framed.next().await.unwrap().unwrap();
    assert_eq!(noop.reply().code().get(), 250);
    let ready = framed.next().await.unwrap().unwrap();
    assert_eq!(ready.reply().code().get(), 220);
    let handoff = ClientCodec::tls_handoff(framed).unwrap();
    assert_eq!(handoff.discarded, "250 2.1.0 injected\r\n");
}

// --- live: Python's smtplib against the tokio-sink example -------------

/// Kills the server when the test ends, however it ends.
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
