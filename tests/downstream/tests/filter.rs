//! The policy filter fed a pipelined session cut into reads every possible
//! way, and real client streams from `tests/data/captures`.
//!
//! A client that pipelines (RFC 2920) still waits for replies where it must:
//! after EHLO, after DATA (for the 354), after QUIT. What it sends between
//! two waits is a *flight*. The network may cut a flight anywhere, but never
//! joins two flights (the client has not sent the second yet). So "split at
//! offset `s`" means: the flights, with the one holding `s` cut in two there.
//! `whole_stream_in_two_reads_without_the_sync_check` drops that rule too,
//! with the session's synchronisation check turned off.

use smtp_wire::ehlo::Extension;
use smtp_wire::session::ServerConfig;
use smtp_wire::{CommandConfig, Encode};
use smtp_wire_downstream::{DENIED, Filter, Message, Policy};

const LIMIT: u64 = 1000;

fn policy(deny: &[&str], max_message_size: u64) -> Policy {
    Policy {
        hostname: "mx.example.org".to_string(),
        deny_domains: deny.iter().map(|d| d.to_string()).collect(),
        max_message_size,
    }
}

/// The first message's content, before and after dot-stuffing.
const CONTENT: &[u8] = b"From: <alice@example.org>\r\nSubject: dots\r\n\r\n\
.leading dot\r\n..two dots\r\n.\r\nlast line\r\n";
const STUFFED: &[u8] = b"From: <alice@example.org>\r\nSubject: dots\r\n\r\n\
..leading dot\r\n...two dots\r\n..\r\nlast line\r\n.\r\n";

/// The last message, in two BDAT chunks (not stuffed: `\r\n.\r\n` is
/// content).
const CHUNKS: (&[u8], &[u8]) = (b"Subject: b\r\n", b".\r\nx\r\n");

/// The session, as flights: what the client sends before each wait.
fn flights() -> Vec<Vec<u8>> {
    assert_eq!(STUFFED.len() - 3 - CONTENT.len(), 3, "three stuffed dots");
    let mail1 = format!(
        "MAIL FROM:<alice@example.org> SIZE={}\r\n\
         RCPT TO:<bob@example.net>\r\n\
         RCPT TO:<eve@SPAM.example>\r\n\
         RCPT TO:<carol@example.net> FOO=bar\r\n\
         DATA\r\n",
        CONTENT.len()
    );
    // Content, then the next group (content may start a group, RFC 2920).
    let mut second = STUFFED.to_vec();
    second.extend_from_slice(
        b"MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n",
    );
    // A message over the limit, with no SIZE to warn the server: 1520
    // octets, a stuffed dot among them.
    let mut third = Vec::new();
    for _ in 0..20 {
        third.extend_from_slice(&[b'x'; 74]);
        third.extend_from_slice(b"\r\n");
    }
    third.extend_from_slice(b"..\r\n.\r\n");
    // Then BDAT: one chunk over the limit (refused and drained), then a
    // message in two chunks, then QUIT, all in one flight.
    third.extend_from_slice(b"MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\n");
    third.extend_from_slice(b"BDAT 1200 LAST\r\n");
    third.extend_from_slice(&[b'y'; 1200]);
    third.extend_from_slice(b"MAIL FROM:<>\r\nRCPT TO:<bob@example.net>\r\n");
    third.extend_from_slice(format!("BDAT {}\r\n", CHUNKS.0.len()).as_bytes());
    third.extend_from_slice(CHUNKS.0);
    third.extend_from_slice(format!("BDAT {} LAST\r\n", CHUNKS.1.len()).as_bytes());
    third.extend_from_slice(CHUNKS.1);
    third.extend_from_slice(b"QUIT\r\n");
    vec![
        b"EHLO client.example\r\n".to_vec(),
        mail1.into_bytes(),
        second,
        third,
    ]
}

fn expected_replies() -> String {
    let denied = DENIED.encode_to_vec();
    let denied = String::from_utf8(denied).unwrap();
    assert_eq!(denied, "550 5.7.1 Recipient domain refused by policy\r\n");
    let too_big = "552 5.3.4 Message size exceeds fixed maximum message size\r\n";
    [
        "220 mx.example.org ESMTP policy filter\r\n",
        "250-mx.example.org\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250-PIPELINING\r\n\
         250-CHUNKING\r\n250-SMTPUTF8\r\n250 ENHANCEDSTATUSCODES\r\n",
        "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n",
        &denied,
        "555 5.5.4 Parameter not recognized or not implemented\r\n",
        "354 End with <CRLF>.<CRLF>\r\n",
        "250 2.0.0 Queued\r\n",
        "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End with <CRLF>.<CRLF>\r\n",
        too_big,
        "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n",
        too_big,
        "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.0.0 Chunk received\r\n250 2.0.0 Queued\r\n",
        "221 2.0.0 Bye\r\n",
    ]
    .concat()
}

fn expected_stored() -> Vec<Message> {
    vec![
        Message {
            sender: "alice@example.org".into(),
            recipients: vec!["bob@example.net".into()],
            content: CONTENT.to_vec(),
        },
        Message {
            sender: String::new(),
            recipients: vec!["bob@example.net".into()],
            content: [CHUNKS.0, CHUNKS.1].concat(),
        },
    ]
}

/// Runs `reads` through a new filter; returns everything it wrote and what
/// it stored.
fn run(mut filter: Filter, reads: &[&[u8]]) -> (String, Vec<Message>) {
    let mut written = filter.take_output();
    for read in reads {
        written.extend(filter.received(read));
    }
    assert!(filter.is_closed());
    (
        String::from_utf8(written).unwrap(),
        filter.stored().to_vec(),
    )
}

/// The flights, the one holding offset `split` of the whole cut in two.
fn split_flights(flights: &[Vec<u8>], split: usize) -> Vec<&[u8]> {
    let mut reads = Vec::new();
    let mut start = 0;
    for flight in flights {
        let end = start + flight.len();
        if (start..end).contains(&split) && split > start {
            reads.push(&flight[..split - start]);
            reads.push(&flight[split - start..]);
        } else {
            reads.push(&flight[..]);
        }
        start = end;
    }
    reads
}

/// The flights cut into reads of `size` bytes.
fn chunked(flights: &[Vec<u8>], size: usize) -> Vec<&[u8]> {
    flights.iter().flat_map(|f| f.chunks(size)).collect()
}

fn filter() -> Filter {
    Filter::new(policy(&["spam.example"], LIMIT)).unwrap()
}

#[test]
fn every_split_point_gives_the_same_replies_and_messages() {
    let flights = flights();
    let total: usize = flights.iter().map(Vec::len).sum();
    let expected = (expected_replies(), expected_stored());
    for split in 0..=total {
        let got = run(filter(), &split_flights(&flights, split));
        assert_eq!(got, expected, "split at {split}");
    }
    for size in [1, 7, 13] {
        let got = run(filter(), &chunked(&flights, size));
        assert_eq!(got, expected, "reads of {size}");
    }
}

#[test]
fn whole_stream_in_two_reads_without_the_sync_check() {
    // With `forbid_early_input(false)` the session decodes what follows
    // EHLO or DATA only after the filter has answered it, so even reads
    // that join flights give the same result.
    let whole = flights().concat();
    let expected = (expected_replies(), expected_stored());
    let mut config = ServerConfig::new();
    config.forbid_early_input(false);
    for split in 0..=whole.len() {
        let filter = Filter::with_config(policy(&["spam.example"], LIMIT), config).unwrap();
        let got = run(filter, &[&whole[..split], &whole[split..]]);
        assert_eq!(got, expected, "split at {split}");
    }
}

#[test]
fn a_client_that_does_not_wait_is_disconnected() {
    // The default session refuses input sent after EHLO before its reply
    // (RFC 2920 §3.1; Postfix's smtpd_forbid_unauth_pipelining).
    let whole = flights().concat();
    let (replies, stored) = run(filter(), &[&whole]);
    assert!(
        replies.ends_with("554 5.5.0 Error: SMTP protocol synchronization\r\n"),
        "{replies}"
    );
    assert!(stored.is_empty());
}

#[test]
fn the_parser_option_and_the_session_agree_on_unknown_parameters() {
    // The session refuses unknown MAIL/RCPT parameters by default (555,
    // after parsing); `CommandConfig::refuse_unknown_params` refuses them
    // in the parser. Same replies, same messages, every split.
    let flights = flights();
    let total: usize = flights.iter().map(Vec::len).sum();
    let expected = (expected_replies(), expected_stored());
    let mut commands = CommandConfig::new();
    commands.refuse_unknown_params(true);
    let mut config = ServerConfig::new();
    config.commands(commands);
    for split in 0..=total {
        let filter = Filter::with_config(policy(&["spam.example"], LIMIT), config).unwrap();
        let got = run(filter, &split_flights(&flights, split));
        assert_eq!(got, expected, "split at {split}");
    }
}

#[test]
fn the_parser_option_overrides_supported_params() {
    // Where they differ: a parameter declared with
    // `ServerConfig::supported_params` is still refused by a parser told to
    // refuse unknown parameters (it cannot see the server's list).
    let input: [&[u8]; 3] = [
        b"EHLO c.example\r\n",
        b"MAIL FROM:<a@example.org> XVERP\r\nRSET\r\n",
        b"QUIT\r\n",
    ];
    let mut config = ServerConfig::new();
    config.supported_params(&["XVERP"]);
    let filter = Filter::with_config(policy(&[], LIMIT), config).unwrap();
    let (replies, _) = run(filter, &input);
    assert!(replies.contains("250 2.1.0 Ok\r\n"), "{replies}");
    let mut commands = CommandConfig::new();
    commands.refuse_unknown_params(true);
    config.commands(commands);
    let filter = Filter::with_config(policy(&[], LIMIT), config).unwrap();
    let (replies, _) = run(filter, &input);
    assert!(replies.contains("555 5.5.4"), "{replies}");
}

/// A capture's client stream, cut into the chunks the client sent (its
/// `.flow` file: each one was sent after the replies it waited for).
fn capture(prefix: &str) -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/captures/");
    let c2s = std::fs::read(format!("{dir}{prefix}.c2s")).unwrap();
    let flow = std::fs::read_to_string(format!("{dir}{prefix}.flow")).unwrap();
    let flights: Vec<Vec<u8>> = flow
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("c2s")).then_some(())?;
            let offset: usize = words.next()?.parse().ok()?;
            let len: usize = words.next()?.parse().ok()?;
            Some(c2s[offset..offset + len].to_vec())
        })
        .collect();
    assert_eq!(
        flights.concat(),
        c2s,
        "{prefix}: the flow covers the stream"
    );
    flights
}

fn replay(prefix: &str, config: ServerConfig, deny: &[&str]) -> (String, Vec<Message>) {
    let flights = capture(prefix);
    let total: usize = flights.iter().map(Vec::len).sum();
    let new = || Filter::with_config(policy(deny, 10_240_000), config).unwrap();
    let first = run(new(), &split_flights(&flights, 0));
    let splits = [
        1,
        2,
        30,
        total / 3,
        total / 2,
        total - 20,
        total - 3,
        total - 1,
    ];
    for split in splits {
        let got = run(new(), &split_flights(&flights, split));
        assert_eq!(got, first, "{prefix}: split at {split}");
    }
    for size in [1, 7, 13] {
        let got = run(new(), &chunked(&flights, size));
        assert_eq!(got, first, "{prefix}: reads of {size}");
    }
    first
}

#[test]
fn swaks_pipeline_capture() {
    // swaks --pipeline: MAIL, three RCPTs and DATA in one write.
    let (replies, stored) = replay(
        "swaks/postfix.pipeline",
        ServerConfig::new(),
        &["example.net"],
    );
    let codes: Vec<&str> = replies.lines().map(|l| &l[..3]).collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c != "250")
            .copied()
            .collect::<Vec<_>>(),
        ["220", "550", "354", "221"],
        "{replies}"
    );
    assert!(replies.contains(&DENIED.to_string()));
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].sender, "alice@peer.test");
    assert_eq!(
        stored[0].recipients,
        ["bob@example.test", "nouser@example.test"]
    );
    // Un-stuffed: the stream's "..dot-leading line" is stored with one dot.
    let content = &stored[0].content;
    let find = |needle: &[u8]| content.windows(needle.len()).any(|w| w == needle);
    assert!(find(
        b"\r\n.dot-leading line\r\n..two leading dots\r\n.\r\n. dot then space\r\n"
    ));
    assert!(content.ends_with(b"last line before end\r\n\r\n"));
}

#[test]
fn postfix_client_capture_matches_the_recorded_message() {
    // Postfix's smtp(8) with DSN parameters; the server must offer DSN.
    let mut config = ServerConfig::new();
    config.extensions(config.advertised().with(Extension::Dsn));
    let (replies, stored) = replay("postfix/client.kitchen-dsn.1", config, &["example.net"]);
    assert!(replies.contains("250-DSN\r\n"), "{replies}");
    assert!(replies.contains(&DENIED.to_string()));
    assert!(
        replies.ends_with("250 2.0.0 Queued\r\n221 2.0.0 Bye\r\n"),
        "{replies}"
    );
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/captures/");
    let recorded = std::fs::read(format!("{dir}postfix/client.kitchen-dsn.1.msg1")).unwrap();
    assert_eq!(
        stored,
        [Message {
            sender: "alice@peer.test".into(),
            recipients: vec!["bob@example.test".into(), "reject-me@example.test".into()],
            content: recorded,
        }]
    );
}
