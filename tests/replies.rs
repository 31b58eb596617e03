//! Server-to-client replies: RFC examples, real server captures, EHLO
//! capabilities, meanings, and round-trip properties.

use proptest::prelude::*;
use smtp_wire::ehlo::{Capability, EhloParams, EhloReply, EhloToken, Greeting, Limits, Mechanisms};
use smtp_wire::reply::{EnhancedStatusCode, ReplyCategory, ReplyClass, ReplyCode};
use smtp_wire::{Encode, ErrorKind, Reply, ReplyConfig, Status};

/// Counts allocations, to prove that parsing, walking lines and reading
/// capabilities never allocate.
#[global_allocator]
static ALLOCATOR: smtp_wire_tests::CountingAllocator = smtp_wire_tests::CountingAllocator;

use smtp_wire_tests::allocations;

#[path = "reply_reference.rs"]
mod reply_reference;
use reply_reference::Rules;

/// Parses a whole stream reply by reply. Returns each reply's code, line
/// texts and size; panics on any error.
fn parse_all(config: &ReplyConfig, stream: &[u8]) -> Vec<(u16, Vec<String>, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < stream.len() {
        match config.parse(&stream[pos..]) {
            Ok(Status::Complete((reply, used))) => {
                check_complete(config, &stream[pos..], &reply, used);
                let texts = reply.lines().map(|l| l.text().to_owned()).collect();
                out.push((reply.code().get(), texts, used));
                pos += used;
            }
            Ok(Status::Partial) => panic!("partial at {pos}: {:?}", &stream[pos..]),
            Err(err) => panic!(
                "error at {pos}: {err} in {:?}",
                String::from_utf8_lossy(&stream[pos..])
            ),
        }
    }
    out
}

/// The fuzz/property contract of a complete parse.
fn check_complete(config: &ReplyConfig, buf: &[u8], reply: &Reply<'_>, used: usize) {
    assert!(used <= buf.len());
    assert!(buf[..used].ends_with(b"\n"));
    assert_eq!(reply.raw(), Some(&buf[..used]));
    if !reply.has_code_mismatch() {
        assert!(reply.lines().all(|l| l.code() == reply.code()));
    }
    assert_eq!(reply.lines().count(), reply.line_count());
    for cut in 0..used {
        assert_eq!(
            config.parse(&buf[..cut]),
            Ok(Status::Partial),
            "prefix {cut}"
        );
    }
    // Encode and parse again.
    let wire = reply.encode_to_vec();
    let Ok(Status::Complete((again, n))) = config.parse(&wire) else {
        panic!("re-parse of {wire:?}")
    };
    assert_eq!((&again, n), (reply, wire.len()));
}

/// Joins `S:` lines into a CRLF stream.
fn stream(lines: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn codes(replies: &[(u16, Vec<String>, usize)]) -> Vec<u16> {
    replies.iter().map(|r| r.0).collect()
}

fn first_reply(buf: &[u8]) -> Reply<'_> {
    match Reply::parse(buf) {
        Ok(Status::Complete((reply, _))) => reply,
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------
// RFC examples
// ---------------------------------------------------------------------------

/// RFC 5321 Appendix D.1: a typical SMTP transaction.
const RFC5321_D1: &[&str] = &[
    "220 foo.com Simple Mail Transfer Service Ready",
    "250-foo.com greets bar.com",
    "250-8BITMIME",
    "250-SIZE",
    "250-DSN",
    "250 HELP",
    "250 OK",
    "250 OK",
    "550 No such user here",
    "250 OK",
    "354 Start mail input; end with <CRLF>.<CRLF>",
    "250 OK",
    "221 foo.com Service closing transmission channel",
];

/// RFC 5321 Appendix D.2: aborted transaction.
const RFC5321_D2: &[&str] = &[
    "220 foo.com Simple Mail Transfer Service Ready",
    "250-foo.com greets bar.com",
    "250-8BITMIME",
    "250-SIZE",
    "250-DSN",
    "250 HELP",
    "250 OK",
    "250 OK",
    "550 No such user here",
    "250 OK",
    "221 foo.com Service closing transmission channel",
];

/// RFC 5321 Appendix D.3: relayed mail, second hop.
const RFC5321_D3: &[&str] = &[
    "220 xyz.com Simple Mail Transfer Service Ready",
    "250 xyz.com is on the air",
    "250 OK",
    "250 OK",
    "354 Start mail input; end with <CRLF>.<CRLF>",
    "250 OK",
    "221 foo.com Service closing transmission channel",
];

/// RFC 5321 Appendix D.4: verifying and sending.
const RFC5321_D4: &[&str] = &[
    "220 foo.com Simple Mail Transfer Service Ready",
    "250-foo.com greets bar.com",
    "250-8BITMIME",
    "250-SIZE",
    "250-DSN",
    "250-VRFY",
    "250 HELP",
    "250 Mark Crispin <Admin.MRC@foo.com>",
    "250 OK",
    "250 OK",
    "354 Start mail input; end with <CRLF>.<CRLF>",
    "250 OK",
    "221 foo.com Service closing transmission channel",
];

/// RFC 5321 §3.5.2 and §3.5.4: VRFY and EXPN replies, including both
/// multi-line 553 shapes (text starting with a space).
const RFC5321_VRFY_EXPN: &[&str] = &[
    "250 Fred Smith <Smith@USC-ISIF.ARPA>",
    "251 User not local; will forward to <Smith@USC-ISIQ.ARPA>",
    "550 User unknown",
    "553- Ambiguous; Possibilities are",
    "553-Joe Smith <jsmith@foo.com>",
    "553-Harry Smith <hsmith@foo.com>",
    "553 Melvin Smith <dweep@foo.com>",
    "553-Ambiguous; Possibilities are",
    "553- Joe Smith <jsmith@foo.com>",
    "553- Harry Smith <hsmith@foo.com>",
    "553 Melvin Smith <dweep@foo.com>",
    "250-Jon Postel <Postel@isi.edu>",
    "250-Fred Fonebone <Fonebone@physics.foo-u.edu>",
    "250 Sam Q. Smith <SQSmith@specific.generic.com>",
];

/// RFC 1870 §8.
const RFC1870: &[&str] = &[
    "220 sigurd.innosoft.com -- Server SMTP (PMDF V4.2-6 #1992)",
    "250-sigurd.innosoft.com",
    "250-EXPN",
    "250-HELP",
    "250 SIZE 1000000",
    "250 Address Ok.",
    "250 ned@innosoft.com OK; can accomodate 500000 byte message",
    "552 Channel size limit exceeded: ned@YMIR.CLAREMONT.EDU",
    "452 Insufficient channel storage: ned@hmcvax.CLAREMONT.EDU",
    "354 Send message, ending in CRLF.CRLF.",
    "250 Some recipients OK",
    "221 Goodbye",
];

/// RFC 2034 §6.
const RFC2034: &[&str] = &[
    "220 dbc.mtview.ca.us SMTP service ready",
    "250-dbc.mtview.ca.us says hello",
    "250 ENHANCEDSTATUSCODES",
    "250 2.1.0 Originator <ned@ymir.claremont.edu> ok",
    "250 2.1.5 Recipient <mrose@dbc.mtview.ca.us> ok",
    "550 5.1.1 Mailbox \"nosuchuser\" does not exist",
    "551-5.7.1 Forwarding to remote hosts disabled",
    "551 5.7.1 Select another host to act as your forwarder",
    "354 Send message, ending in CRLF.CRLF.",
    "250 2.6.0 Message accepted",
    "221 2.0.0 Goodbye",
];

/// RFC 3030 §4.1 and §4.2.
const RFC3030: &[&str] = &[
    "220 cnri.reston.va.us SMTP service ready",
    "250-cnri.reston.va.us says hello",
    "250 CHUNKING",
    "250 <Sam@Random.com> Sender ok",
    "250 <Susan@random.com> Recipient ok",
    "250 Message OK, 86 octets received",
    "221 Goodbye",
    "220 cnri.reston.va.us SMTP service ready",
    "250-cnri.reston.va.us says hello",
    "250-PIPELINING",
    "250-BINARYMIME",
    "250 CHUNKING",
    "250 <ned@ymir.claremont.edu>... Sender and BINARYMIME ok",
    "250 <gvaudre@cnri.reston.va.us>... Recipient ok",
    "250 <jstewart@cnri.reston.va.us>... Recipient ok",
    "250 100000 octets received",
    "250 324 octets received",
    "250 Message OK, 100324 octets received",
    "221 Goodbye",
];

/// RFC 3461 §10.1–10.5.
const RFC3461: &[&str] = &[
    "220 Example.ORG SMTP server here",
    "250-Example.ORG",
    "250-DSN",
    "250-EXPN",
    "250 SIZE",
    "250 <Alice@Example.ORG> sender ok",
    "250 <Bob@Example.COM> recipient ok",
    "250 <Carol@Ivory.EDU> recipient ok",
    "250 <Dana@Ivory.EDU> recipient ok",
    "250 <Eric@Bombs.AF.MIL> recipient ok",
    "250 <Fred@Bombs.AF.MIL> recipient ok",
    "250 <George@Tax-ME.GOV> recipient ok",
    "354 okay, send message",
    "250 message accepted",
    "221 goodbye",
    "220 mail.Example.COM says hello",
    "250-mail.Example.COM",
    "250 DSN",
    "250 sender okay",
    "250 recipient okay",
    "354 send message",
    "250 message received",
    "221 bcnu",
    "220 Ivory.EDU gateway to FooMail(tm) here",
    "250-Ivory.EDU",
    "250 DSN",
    "250 ok",
    "550 error - no such recipient",
    "250 recipient ok",
    "354 send message, end with '.'",
    "250 message received",
    "221 bye",
    "220-Bombs.AF.MIL reporting for duty.",
    "220 Electronic mail is to be used for official business only.",
    "502 command not implemented",
    "250 reset",
    "250 Bombs.AF.MIL",
    "250 ok",
    "250 ok",
    "354 send message",
    "250 message accepted",
    "250 ok",
    "250 ok",
    "354 send message",
    "250 message accepted",
    "221 Bombs.AF.MIL closing connection",
];

/// RFC 4954 §4.1. The RFC writes the greeting as `220-smtp.example.com
/// ESMTP Server`, which as bytes starts a multi-line reply that never ends;
/// that line is tested separately below.
const RFC4954: &[&str] = &[
    "250-smtp.example.com Hello client.example.com",
    "250-AUTH GSSAPI DIGEST-MD5",
    "250-ENHANCEDSTATUSCODES",
    "250 STARTTLS",
    "220 Ready to start TLS",
    "250-smtp.example.com Hello client.example.com",
    "250 AUTH GSSAPI DIGEST-MD5 PLAIN",
    "235 2.7.0 Authentication successful",
    "334 ",
    "235 2.7.0 Authentication successful",
    "250-smtp.example.com Hello client.example.com",
    "250-AUTH DIGEST-MD5 CRAM-MD5",
    "250-ENHANCEDSTATUSCODES",
    "250 STARTTLS",
    "334 PDQxOTI5NDIzNDEuMTI4Mjg0NzJAc291cmNlZm91ci5hbmRyZXcuY211LmVkdT4=",
    "235 2.7.0 Authentication successful",
    "250-smtp.example.com Hello client.example.com",
    "250 AUTH EXTERNAL GSSAPI DIGEST-MD5 PLAIN",
    "235 2.7.0 Authentication successful",
    "504 5.5.4 Unrecognized authentication type.",
    "500 5.5.6 Authentication Exchange line is too long",
];

#[test]
fn rfc5321_appendix_d() {
    let config = ReplyConfig::new();
    let d1 = parse_all(&config, &stream(RFC5321_D1));
    assert_eq!(codes(&d1), [220, 250, 250, 250, 550, 250, 354, 250, 221]);
    assert_eq!(
        d1[1].1,
        ["foo.com greets bar.com", "8BITMIME", "SIZE", "DSN", "HELP"]
    );
    let d2 = parse_all(&config, &stream(RFC5321_D2));
    assert_eq!(codes(&d2), [220, 250, 250, 250, 550, 250, 221]);
    let d3 = parse_all(&config, &stream(RFC5321_D3));
    assert_eq!(codes(&d3), [220, 250, 250, 250, 354, 250, 221]);
    let d4 = parse_all(&config, &stream(RFC5321_D4));
    assert_eq!(codes(&d4), [220, 250, 250, 250, 250, 354, 250, 221]);

    // The EHLO replies read as capabilities.
    let buf = stream(RFC5321_D4);
    let greeting = Greeting::from_reply(first_reply(&buf)).unwrap();
    assert_eq!(greeting.domain(), "foo.com");
    let ehlo = EhloReply::from_reply(first_reply(&buf[d4[0].2..])).unwrap();
    assert_eq!(
        (ehlo.domain(), ehlo.greeting()),
        ("foo.com", Some("greets bar.com"))
    );
    let caps: Vec<_> = ehlo.capabilities().collect();
    assert_eq!(
        caps,
        [
            Capability::EightBitMime,
            Capability::Size(None),
            Capability::Dsn,
            Capability::Vrfy,
            Capability::Help
        ]
    );
    // D.3's single-line EHLO reply has no capabilities.
    let buf = stream(RFC5321_D3);
    let ehlo = EhloReply::from_reply(first_reply(&buf[d3[0].2..])).unwrap();
    assert_eq!(ehlo.domain(), "xyz.com");
    assert_eq!(ehlo.capabilities().count(), 0);

    let vrfy = parse_all(&config, &stream(RFC5321_VRFY_EXPN));
    assert_eq!(codes(&vrfy), [250, 251, 550, 553, 553, 250]);
    assert_eq!(vrfy[3].1[0], " Ambiguous; Possibilities are");
    assert_eq!(vrfy[4].1[1], " Joe Smith <jsmith@foo.com>");
}

#[test]
fn rfc_extension_examples() {
    let config = ReplyConfig::new();

    let size = stream(RFC1870);
    let replies = parse_all(&config, &size);
    assert_eq!(
        codes(&replies),
        [220, 250, 250, 250, 552, 452, 354, 250, 221]
    );
    let ehlo = EhloReply::from_reply(first_reply(&size[replies[0].2..])).unwrap();
    assert_eq!(ehlo.size(), Some(1_000_000));
    assert!(ehlo.supports("EXPN") && ehlo.supports("help"));

    let esc = stream(RFC2034);
    let replies = parse_all(&config, &esc);
    assert_eq!(
        codes(&replies),
        [220, 250, 250, 250, 550, 551, 354, 250, 221]
    );
    let mut pos = 0;
    let mut enhanced = Vec::new();
    while pos < esc.len() {
        let reply = first_reply(&esc[pos..]);
        enhanced.push(reply.enhanced_code().map(|c| c.to_string()));
        pos += reply.raw().unwrap().len();
    }
    let expected = [
        None,
        None,
        Some("2.1.0"),
        Some("2.1.5"),
        Some("5.1.1"),
        Some("5.7.1"),
        None,
        Some("2.6.0"),
        Some("2.0.0"),
    ];
    assert_eq!(enhanced, expected.map(|c| c.map(str::to_owned)));
    let forward = &esc[replies[..5].iter().map(|r| r.2).sum::<usize>()..];
    let reply = first_reply(forward);
    let messages: Vec<_> = reply.lines().map(|l| l.message()).collect();
    assert_eq!(
        messages,
        [
            "Forwarding to remote hosts disabled",
            "Select another host to act as your forwarder"
        ]
    );
    assert_eq!(
        reply.enhanced_code().unwrap().description().unwrap().text,
        "Delivery not authorized, message refused"
    );

    let chunking = stream(RFC3030);
    let replies = parse_all(&config, &chunking);
    assert_eq!(replies.len(), 15);
    let second = &chunking[replies[..7].iter().map(|r| r.2).sum::<usize>()..];
    let caps: Vec<_> = EhloReply::from_reply(first_reply(second))
        .unwrap()
        .capabilities()
        .collect();
    assert_eq!(
        caps,
        [
            Capability::Pipelining,
            Capability::BinaryMime,
            Capability::Chunking
        ]
    );

    let dsn = stream(RFC3461);
    let replies = parse_all(&config, &dsn);
    assert_eq!(replies.len(), 40);
    // §10.4: a two-line greeting, then EHLO refused with 502.
    let bombs = replies
        .iter()
        .position(|r| r.1[0].starts_with("Bombs"))
        .unwrap();
    assert_eq!(replies[bombs].1.len(), 2);
    assert_eq!(replies[bombs + 1].0, 502);
    let at: usize = replies[..bombs].iter().map(|r| r.2).sum();
    let greeting = Greeting::from_reply(first_reply(&dsn[at..])).unwrap();
    assert_eq!(greeting.domain(), "Bombs.AF.MIL");
    assert_eq!(greeting.text(), Some("reporting for duty."));

    let auth = stream(RFC4954);
    let replies = parse_all(&config, &auth);
    assert_eq!(
        codes(&replies),
        [
            250, 220, 250, 235, 334, 235, 250, 334, 235, 250, 235, 504, 500
        ]
    );
    let ehlo = EhloReply::from_reply(first_reply(&auth)).unwrap();
    let mechs = ehlo.auth_mechanisms().unwrap();
    assert!(mechs.iter().eq(["GSSAPI", "DIGEST-MD5"]));
    assert!(ehlo.supports("ENHANCEDSTATUSCODES") && ehlo.supports("STARTTLS"));
    // `334 ` (an empty challenge) has empty text.
    assert_eq!(replies[4].1, [""]);
    // The RFC's `220-` greeting, read as bytes, waits for more lines.
    assert_eq!(
        Reply::parse(b"220-smtp.example.com ESMTP Server\r\n"),
        Ok(Status::Partial)
    );
    let long = &auth[auth.len() - replies[12].2..];
    let esc = first_reply(long).enhanced_code().unwrap();
    assert_eq!(
        esc.description().unwrap().text,
        "Authentication Exchange line is too long"
    );
}

// ---------------------------------------------------------------------------
// Real server captures
// ---------------------------------------------------------------------------

/// The server side of a capture under `tests/data/captures/`.
fn capture(name: &str) -> Vec<u8> {
    smtp_wire_tests::data(&format!("captures/{name}.s2c"))
}

/// Every capture parses reply by reply, with one known exception.
#[test]
fn captures_parse_without_error() {
    let config = ReplyConfig::new();
    let mut total = 0;
    for name in &smtp_wire_tests::capture_prefixes() {
        let bytes = capture(name);
        if name == "aiosmtpd/server.command-errors" {
            continue; // checked in `aiosmtpd_echoes_nul`
        }
        let replies = parse_all(&config, &bytes);
        assert_eq!(
            replies.iter().map(|r| r.2).sum::<usize>(),
            bytes.len(),
            "{name}"
        );
        if !bytes.is_empty() {
            assert_eq!(replies[0].0, 220, "{name}: greeting");
        }
        total += replies.len();
    }
    assert!(total > 400, "{total}");
}

/// Parsing every capture, walking every line, reading enhanced codes and
/// EHLO capabilities, and encoding into a slice: no allocation at all.
#[test]
fn parsing_does_not_allocate() {
    let streams: Vec<Vec<u8>> = smtp_wire_tests::capture_prefixes()
        .iter()
        .filter(|name| *name != "aiosmtpd/server.command-errors")
        .map(|name| capture(name))
        .collect();
    let config = ReplyConfig::new();
    let mut out = [0u8; 2048];
    let before = allocations();
    let mut seen = 0usize;
    for bytes in &streams {
        let mut pos = 0;
        while pos < bytes.len() {
            match config.parse(&bytes[pos..]) {
                Ok(Status::Complete((reply, used))) => {
                    for line in reply.lines() {
                        seen += line.message().len();
                        if let Some(esc) = line.enhanced() {
                            seen += esc.summary().len();
                        }
                    }
                    seen += reply.code().meaning().map_or(0, |m| m.text.len());
                    if let Some(ehlo) = EhloReply::from_reply(reply) {
                        for cap in ehlo.capabilities() {
                            if let Capability::Auth(mechs) = cap {
                                seen += mechs.iter().count();
                            }
                            seen += cap.keyword().len();
                        }
                        let summary = ehlo.summary();
                        seen += summary.extensions.iter().count();
                        seen += summary.auth.map_or(0, |m| m.iter().count());
                        seen += ehlo.encode(&mut out).unwrap();
                    }
                    seen += reply.encode(&mut out).unwrap();
                    pos += used;
                }
                Ok(Status::Partial) => break,
                Err(err) => pos += err.skip(),
            }
        }
    }
    assert_eq!(allocations() - before, 0);
    assert!(seen > 0);
}

/// aiosmtpd echoes the client's unknown verb, NUL included, into its 500
/// reply (`500 Error: command "NO\0OP" not recognized`). A NUL is never reply
/// text, so this one line is rejected with `Nul`; its `skip` resynchronises
/// and every other reply in the stream parses.
#[test]
fn aiosmtpd_echoes_nul() {
    let config = ReplyConfig::new();
    let bytes = capture("aiosmtpd/server.command-errors");
    let mut pos = 0;
    let mut errors = Vec::new();
    let mut replies = 0;
    while pos < bytes.len() {
        match config.parse(&bytes[pos..]) {
            Ok(Status::Complete((_, used))) => {
                replies += 1;
                pos += used;
            }
            Ok(Status::Partial) => panic!("partial at {pos}"),
            Err(err) => {
                assert!(!err.needs_resync());
                errors.push((err.kind(), bytes[pos..pos + err.skip()].to_vec()));
                pos += err.skip();
            }
        }
    }
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, ErrorKind::Nul);
    assert_eq!(
        errors[0].1,
        b"500 Error: command \"NO\0OP\" not recognized\r\n"
    );
    assert!(replies > 20);
}

/// The replies of a capture, as owned bytes (so tests can look at one).
fn capture_replies(name: &str) -> (Vec<u8>, Vec<std::ops::Range<usize>>) {
    let bytes = capture(name);
    let replies = parse_all(&ReplyConfig::new(), &bytes);
    let mut ranges = Vec::new();
    let mut pos = 0;
    for (_, _, used) in replies {
        ranges.push(pos..pos + used);
        pos += used;
    }
    (bytes, ranges)
}

#[test]
fn postfix_ehlo_capabilities() {
    let (bytes, ranges) = capture_replies("postfix/server.session-basics");
    let greeting = Greeting::from_reply(first_reply(&bytes[ranges[0].clone()])).unwrap();
    assert_eq!(greeting.domain(), "postfix.peer.test");
    assert_eq!(greeting.text(), Some("ESMTP Postfix (Debian/GNU)"));
    let ehlo = EhloReply::from_reply(first_reply(&bytes[ranges[1].clone()])).unwrap();
    assert_eq!(ehlo.domain(), "postfix.peer.test");
    assert_eq!(ehlo.greeting(), None);
    let caps: Vec<_> = ehlo.capabilities().collect();
    assert_eq!(caps.len(), 12);
    assert!(caps.contains(&Capability::Pipelining));
    assert!(caps.contains(&Capability::Size(Some(10_240_000))));
    assert!(caps.contains(&Capability::Chunking));
    assert!(caps.contains(&Capability::Dsn));
    assert!(caps.contains(&Capability::Vrfy));
    assert!(caps.contains(&Capability::Etrn));
    assert!(caps.contains(&Capability::EnhancedStatusCodes));
    assert!(caps.contains(&Capability::SmtpUtf8));
    assert!(caps.contains(&Capability::EightBitMime));
    assert!(
        ehlo.auth_mechanisms()
            .unwrap()
            .iter()
            .eq(["PLAIN", "LOGIN"])
    );
    let xclient = caps.iter().find_map(|c| match c {
        Capability::Xclient(names) => Some(*names),
        _ => None,
    });
    assert_eq!(xclient.unwrap().words().count(), 9);
    let xforward = caps.iter().find_map(|c| match c {
        Capability::Xforward(names) => Some(*names),
        _ => None,
    });
    assert!(xforward.unwrap().words().any(|w| w == "IDENT"));
    // Re-encoding the typed capabilities gives the same EHLO reply.
    let built = EhloReply::new(ehlo.domain(), ehlo.greeting(), &caps).unwrap();
    assert_eq!(built.encode_to_vec(), &bytes[ranges[1].clone()]);
    assert_eq!(built, ehlo);
}

#[test]
fn exim_replies() {
    let (bytes, ranges) = capture_replies("postfix-to-exim/kitchen-dsn.2");
    let ehlo = EhloReply::from_reply(first_reply(&bytes[ranges[1].clone()])).unwrap();
    assert_eq!(ehlo.greeting(), Some("Hello postfix.peer.test [127.0.0.1]"));
    let caps: Vec<_> = ehlo.capabilities().collect();
    assert!(caps.contains(&Capability::StartTls));
    assert!(caps.contains(&Capability::Size(Some(10_485_760))));
    // Exim's own keywords are kept as Other.
    let others: Vec<_> = caps
        .iter()
        .filter_map(|c| match c {
            Capability::Other { keyword, .. } => Some(keyword.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(others, ["PIPECONNECT", "PRDR"]);
    // The three-line 503 after all RCPTs were refused.
    let multi = ranges
        .iter()
        .map(|r| first_reply(&bytes[r.clone()]))
        .find(|r| r.code().get() == 503)
        .unwrap();
    assert_eq!(multi.line_count(), 3);
    assert_eq!(
        multi.lines().last().unwrap().text(),
        "Valid RCPT command must precede DATA"
    );
    assert_eq!(multi.code().category(), ReplyCategory::Syntax);
    assert_eq!(
        multi.code().meaning().unwrap().text,
        "Bad sequence of commands"
    );

    // PRDR's 353 is not a code any RFC defines, but it is well-formed.
    let (bytes, ranges) = capture_replies("swaks/exim.prdr");
    let prdr = ranges
        .iter()
        .map(|r| first_reply(&bytes[r.clone()]))
        .find(|r| r.code().get() == 353)
        .unwrap();
    assert_eq!(prdr.code().class(), ReplyClass::PositiveIntermediate);
    assert_eq!(prdr.code().category(), ReplyCategory::MailSystem);
    assert!(prdr.code().meaning().is_none());
}

#[test]
fn postfix_auth_and_errors() {
    let (bytes, ranges) = capture_replies("postfix/server.auth");
    let replies: Vec<_> = ranges
        .iter()
        .map(|r| first_reply(&bytes[r.clone()]))
        .collect();
    let empty = replies
        .iter()
        .find(|r| r.code().get() == 334 && r.first_line().text().is_empty())
        .expect("a `334 ` reply");
    assert_eq!(empty.raw(), Some(&b"334 \r\n"[..]));
    let failed = replies.iter().find(|r| r.code().get() == 535).unwrap();
    assert_eq!(
        failed.enhanced_code(),
        Some(EnhancedStatusCode::AUTH_INVALID)
    );
    assert_eq!(
        failed.enhanced_code().unwrap().summary(),
        "Authentication credentials invalid"
    );

    let (bytes, ranges) = capture_replies("postfix/server.command-errors");
    let replies: Vec<_> = ranges
        .iter()
        .map(|r| first_reply(&bytes[r.clone()]))
        .collect();
    let unknown = replies
        .iter()
        .find(|r| r.code().get() == 550 && r.first_line().message().contains("Recipient"))
        .unwrap();
    assert_eq!(
        unknown.enhanced_code(),
        Some(EnhancedStatusCode::BAD_DESTINATION_MAILBOX)
    );
    let tempfail = replies.iter().find(|r| r.code().get() == 450).unwrap();
    assert_eq!(tempfail.code().class(), ReplyClass::TransientNegative);
}

// ---------------------------------------------------------------------------
// Meanings and the enhanced status code registry
// ---------------------------------------------------------------------------

#[test]
fn iana_registry_is_complete() {
    let registry = EnhancedStatusCode::registry();
    // The highest detail of each subject in the registry through X.7.30.
    let last = [0u16, 10, 4, 6, 7, 6, 10, 30];
    let mut expected = 0;
    for (subject, &max) in last.iter().enumerate() {
        let subject = subject as u16;
        let entries: Vec<_> = registry.iter().filter(|e| e.subject == subject).collect();
        assert_eq!(entries.len(), usize::from(max) + 1, "X.{subject}");
        for detail in 0..=max {
            for class in [2, 4, 5] {
                let code = EnhancedStatusCode::new(class, subject, detail).unwrap();
                let entry = code.description().unwrap();
                assert_eq!((entry.subject, entry.detail), (subject, detail));
                assert!(!entry.text.is_empty() && !entry.reference.is_empty());
            }
        }
        expected += usize::from(max) + 1;
    }
    assert_eq!(registry.len(), expected);

    let text = |s, d| {
        EnhancedStatusCode::new(5, s, d)
            .unwrap()
            .description()
            .unwrap()
            .text
    };
    // Spot checks against RFC 3463 §3 and RFC 4954 §6.
    assert_eq!(text(1, 1), "Bad destination mailbox address");
    assert_eq!(text(7, 1), "Delivery not authorized, message refused");
    assert_eq!(text(5, 6), "Authentication Exchange line is too long");
    assert_eq!(text(2, 2), "Mailbox full");
    assert_eq!(text(3, 4), "Message too big for system");
    assert_eq!(text(4, 7), "Delivery time expired");
    assert_eq!(text(5, 3), "Too many recipients");
    assert_eq!(text(6, 3), "Conversion required but not supported");
    assert_eq!(text(7, 30), "REQUIRETLS support required");
    let null_mx = EnhancedStatusCode::new(5, 1, 10)
        .unwrap()
        .description()
        .unwrap();
    assert_eq!(null_mx.reference, "RFC 7505, RFC 7504");
    assert_eq!(null_mx.basic_codes, "556");

    let code = EnhancedStatusCode::new(4, 4, 99).unwrap();
    assert_eq!(code.subject_meaning(), Some("Network and Routing Status"));
    assert_eq!(code.class_meaning(), "Persistent Transient Failure");
    assert_eq!(code.summary(), "Network and Routing Status");
}

#[test]
fn reply_code_meanings() {
    let known = [
        211, 214, 220, 221, 235, 250, 251, 252, 253, 334, 354, 421, 432, 450, 451, 452, 453, 454,
        455, 458, 459, 500, 501, 502, 503, 504, 521, 530, 534, 535, 538, 550, 551, 552, 553, 554,
        555, 556,
    ];
    for n in known {
        let meaning = ReplyCode::new(n).unwrap().meaning();
        assert!(meaning.is_some(), "{n}");
        assert!(meaning.unwrap().reference.starts_with("RFC "));
    }
    assert_eq!(
        ReplyCode::SERVICE_NOT_AVAILABLE.meaning().unwrap().text,
        "<domain> Service not available, closing transmission channel"
    );
    assert_eq!(ReplyClass::PermanentNegative.as_str(), "permanent-negative");
    assert_eq!(
        ReplyClass::PositiveIntermediate.as_str(),
        "positive-intermediate"
    );
    assert_eq!(ReplyCategory::Information.as_str(), "information");
    assert_eq!(ReplyCategory::MailSystem.to_string(), "mail-system");
}

/// What a client does with a reply: the example from the report.
#[test]
fn what_does_this_reply_mean() {
    let buf =
        b"550-5.1.1 <bob@example.org>: Recipient address rejected:\r\n550 5.1.1 User unknown\r\n";
    let Ok(Status::Complete((reply, _))) = Reply::parse(buf) else {
        panic!()
    };
    let code = reply.code();
    assert_eq!(code.class(), ReplyClass::PermanentNegative);
    assert_eq!(code.category(), ReplyCategory::MailSystem);
    assert_eq!(
        code.meaning().unwrap().text,
        "Requested action not taken: mailbox unavailable"
    );
    let esc = reply.enhanced_code().unwrap();
    assert_eq!(esc.summary(), "Bad destination mailbox address");
    assert_eq!(esc.subject_meaning(), Some("Addressing Status"));
}

// ---------------------------------------------------------------------------
// Encoders
// ---------------------------------------------------------------------------

#[test]
fn ehlo_encoder() {
    let mechs = Mechanisms::new("PLAIN LOGIN").unwrap();
    let caps = [
        Capability::Pipelining,
        Capability::Size(Some(35_882_577)),
        Capability::Auth(mechs),
        Capability::Limits(Limits::new("RCPTMAX=100 MAILMAX=10").unwrap()),
        Capability::FutureRelease {
            max_interval: 604_800,
            max_date_time: EhloToken::new("2026-12-01T00:00:00Z").unwrap(),
        },
        Capability::MtPriority(EhloToken::new("MIXER").ok()),
        Capability::DeliverBy(Some(240)),
        Capability::Other {
            keyword: EhloToken::new("X-EXPS").unwrap(),
            params: EhloParams::new("LOGIN").unwrap(),
        },
        Capability::RequireTls,
    ];
    let ehlo = EhloReply::new("mx.example.org", Some("at your service"), &caps).unwrap();
    let wire = ehlo.encode_to_vec();
    assert_eq!(
        String::from_utf8(wire.clone()).unwrap(),
        "250-mx.example.org at your service\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n\
         250-AUTH PLAIN LOGIN\r\n250-LIMITS RCPTMAX=100 MAILMAX=10\r\n\
         250-FUTURERELEASE 604800 2026-12-01T00:00:00Z\r\n250-MT-PRIORITY MIXER\r\n\
         250-DELIVERBY 240\r\n250-X-EXPS LOGIN\r\n250 REQUIRETLS\r\n"
    );
    let parsed = EhloReply::from_reply(first_reply(&wire)).unwrap();
    assert_eq!(parsed, ehlo);
    let mut small = [0u8; 16];
    assert_eq!(
        ehlo.encode(&mut small).unwrap_err().needed,
        ehlo.encoded_len()
    );
    assert!(EhloReply::new("two words", None, &[]).is_err());
    assert!(EhloReply::new("mx", Some("a\r\n250 b"), &[]).is_err());
    let long = "x".repeat(600);
    let big = [Capability::Burl(EhloParams::new(&long).unwrap())];
    assert!(EhloReply::new("mx", None, &big).is_err());
}

#[test]
fn error_reply_encoder() {
    let reply = ErrorKind::InvalidParameterValue.reply();
    assert_eq!(
        reply.encode_to_vec(),
        b"501 5.5.4 Syntax error in parameter value\r\n"
    );
    let wire = ErrorKind::LineTooLong.reply().encode_to_vec();
    let parsed = first_reply(&wire);
    assert_eq!(parsed.code().get(), 500);
    assert_eq!(parsed.first_line().message(), "Line too long");
}

#[test]
fn encoder_wraps_long_text() {
    let words = "lorem ipsum ".repeat(100);
    let lines = [words.trim_end()];
    let code = ReplyCode::TRANSACTION_FAILED;
    let esc = EnhancedStatusCode::NOT_AUTHORIZED;
    let reply = Reply::with_enhanced(code, esc, &lines).unwrap();
    let wire = reply.encode_to_vec();
    for line in wire.split_inclusive(|&b| b == b'\n') {
        assert!(line.len() <= 512);
        assert!(line.starts_with(b"554-5.7.1 ") || line.starts_with(b"554 5.7.1 "));
        // Wrapped at spaces: no word is cut.
        assert!(line.ends_with(b"lorem\r\n") || line.ends_with(b"ipsum\r\n"));
    }
    let (parsed, used) = match Reply::parse(&wire) {
        Ok(Status::Complete(done)) => done,
        other => panic!("{other:?}"),
    };
    assert_eq!((parsed, used), (reply, wire.len()));
    let rejoined: Vec<_> = parsed.lines().map(|l| l.message()).collect();
    assert_eq!(rejoined.join(" "), lines[0]);
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn arb_code() -> impl Strategy<Value = ReplyCode> {
    (2u16..=5, 0u16..=5, 0u16..=9)
        .prop_map(|(a, b, c)| ReplyCode::new(a * 100 + b * 10 + c).unwrap())
}

/// Line text: printable ASCII, HT, and some UTF-8; sometimes starting with
/// something that looks like an enhanced code; sometimes long.
fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~\t]{0,40}",
        "[245]\\.[0-9]{1,3}\\.[0-9]{1,3}( [ -~]{0,20})?",
        "[a-z ]{0,20}[äöü€😀]{0,3}[a-z ]{0,10}",
        "([a-z]{1,12} ){40,60}",
        "[a-z]{500,700}",
    ]
}

#[derive(Debug, Clone)]
struct OwnedReply {
    code: ReplyCode,
    enhanced: Option<(u16, u16)>,
    lines: Vec<String>,
}

impl OwnedReply {
    fn with<R>(&self, f: impl FnOnce(Reply<'_>) -> R) -> R {
        let lines: Vec<&str> = self.lines.iter().map(String::as_str).collect();
        let reply = match self.enhanced {
            Some((subject, detail)) => {
                let class = self.code.get() / 100;
                let esc = EnhancedStatusCode::new(class, subject, detail);
                esc.and_then(|esc| Reply::with_enhanced(self.code, esc, &lines))
                    .ok()
            }
            None => None,
        };
        let reply = reply.unwrap_or_else(|| Reply::new(self.code, &lines).unwrap());
        f(reply)
    }
}

fn arb_reply() -> impl Strategy<Value = OwnedReply> {
    (
        arb_code(),
        proptest::option::of((0u16..=999, 0u16..=999)),
        proptest::collection::vec(arb_text(), 1..6),
    )
        .prop_map(|(code, enhanced, lines)| OwnedReply {
            code,
            enhanced,
            lines,
        })
        // A 334 challenge is one line (RFC 4954 §4); the constructors refuse
        // any other.
        .prop_filter("a 334 of one line", |reply| {
            let lines: Vec<&str> = reply.lines.iter().map(String::as_str).collect();
            Reply::new(reply.code, &lines).is_ok()
        })
}

fn arb_capability_line() -> impl Strategy<Value = String> {
    let keywords = prop_oneof![
        prop::sample::select(vec![
            "SIZE",
            "8BITMIME",
            "PIPELINING",
            "CHUNKING",
            "AUTH",
            "AUTH=LOGIN",
            "LIMITS",
            "DELIVERBY",
            "FUTURERELEASE",
            "MT-PRIORITY",
            "NO-SOLICITING",
            "XCLIENT",
            "BURL",
            "X-UNKNOWN",
        ])
        .prop_map(str::to_owned),
        "[A-Za-z0-9][A-Za-z0-9-]{0,12}",
    ];
    let params = prop_oneof![
        Just(String::new()),
        "[0-9]{1,25}",
        "[0-9]{1,6} [0-9T:Z-]{1,20}",
        "[A-Z0-9=-]{1,10}( [A-Z0-9=_-]{1,10}){0,4}",
        "[ -~]{0,30}",
    ];
    (keywords, params).prop_map(|(k, p)| {
        if p.is_empty() {
            k.to_owned()
        } else {
            format!("{k} {p}")
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    })]

    /// parse(encode(reply)) == reply, consuming exactly the encoding; every
    /// strict prefix is Partial; trailing bytes change nothing.
    #[test]
    fn reply_round_trip(owned in arb_reply(), tail in proptest::collection::vec(any::<u8>(), 0..8)) {
        owned.with(|reply| {
            let mut wire = reply.encode_to_vec();
            prop_assert_eq!(wire.len(), reply.encoded_len());
            let n = wire.len();
            let mut config = ReplyConfig::new();
            config.max_lines(1000);
            let parsed = config.parse(&wire);
            prop_assert_eq!(parsed, Ok(Status::Complete((reply, n))));
            for cut in 0..n {
                prop_assert_eq!(config.parse(&wire[..cut]), Ok(Status::Partial));
            }
            wire.extend_from_slice(&tail);
            let Ok(Status::Complete((again, used))) = config.parse(&wire) else {
                return Err(TestCaseError::fail("no longer complete with a tail"));
            };
            prop_assert_eq!((again, used), (reply, n));
            Ok(())
        })?;
    }

    /// A stream of pipelined replies gives the same replies however it is
    /// split into reads.
    #[test]
    fn pipelined_replies_any_split(
        owned in proptest::collection::vec(arb_reply(), 1..5),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let mut wire = Vec::new();
        let mut expected = Vec::new();
        for reply in &owned {
            reply.with(|r| {
                expected.push(r.encoded_len());
                r.encode_append(&mut wire);
            });
        }
        let mut config = ReplyConfig::new();
        config.max_lines(1000);
        // Feed the stream through a buffer that grows at each cut point.
        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(wire.len() + 1)).collect();
        points.push(wire.len());
        points.sort_unstable();
        let mut start = 0;
        let mut got = Vec::new();
        for end in points {
            loop {
                match config.parse(&wire[start..end]) {
                    Ok(Status::Complete((reply, used))) => {
                        got.push(used);
                        let whole = config.parse(&wire[start..]);
                        prop_assert_eq!(whole, Ok(Status::Complete((reply, used))));
                        start += used;
                    }
                    Ok(Status::Partial) => break,
                    Err(err) => return Err(TestCaseError::fail(format!("{err}"))),
                }
            }
        }
        prop_assert_eq!(start, wire.len());
        prop_assert_eq!(got, expected);
    }

    /// Arbitrary bytes never panic, and a complete parse keeps the contract.
    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300), lenient in any::<bool>()) {
        let mut config = ReplyConfig::new();
        config.allow_bare_lf(lenient).allow_code_mismatch(lenient).max_line_len(64);
        match config.parse(&bytes) {
            Ok(Status::Complete((reply, used))) => {
                prop_assert!(used <= bytes.len());
                let end: &[u8] = if lenient { b"\n" } else { b"\r\n" };
                prop_assert!(bytes[..used].ends_with(end));
                if !lenient {
                    prop_assert!(reply.lines().all(|l| l.code() == reply.code()));
                }
                for cut in 0..used {
                    prop_assert_eq!(config.parse(&bytes[..cut]), Ok(Status::Partial));
                }
                let _ = (reply.enhanced_code(), EhloReply::from_reply(reply).map(|e| e.capabilities().count()));
            }
            Ok(Status::Partial) => {}
            Err(err) => prop_assert!(err.skip() <= bytes.len() && err.skip() > 0),
        }
    }

    /// Reply-shaped noise: valid codes and separators with random text.
    #[test]
    fn reply_shaped_bytes(
        lines in proptest::collection::vec(
            ("[2-5][0-5][0-9]", prop_oneof![Just(" "), Just("-"), Just("")], proptest::collection::vec(any::<u8>(), 0..20)),
            1..5,
        ),
    ) {
        let mut bytes = Vec::new();
        for (code, sep, text) in &lines {
            bytes.extend_from_slice(code.as_bytes());
            bytes.extend_from_slice(sep.as_bytes());
            bytes.extend_from_slice(text);
            bytes.extend_from_slice(b"\r\n");
        }
        if let Ok(Status::Complete((reply, used))) = Reply::parse(&bytes) {
            prop_assert!(used <= bytes.len());
            let wire = reply.encode_to_vec();
            prop_assert_eq!(Reply::parse(&wire), Ok(Status::Complete((reply, wire.len()))));
        }
    }

    /// EHLO capabilities: parse → encode → parse gives the same typed values.
    #[test]
    fn ehlo_round_trip(lines in proptest::collection::vec(arb_capability_line(), 0..8), greeting in "[ -~]{0,20}") {
        let mut wire = String::from("250");
        let greet = if greeting.is_empty() { String::new() } else { format!(" {greeting}") };
        wire.push_str(if lines.is_empty() { " " } else { "-" });
        wire.push_str(&format!("mx.example.org{greet}\r\n"));
        for (i, line) in lines.iter().enumerate() {
            wire.push_str(if i + 1 == lines.len() { "250 " } else { "250-" });
            wire.push_str(line);
            wire.push_str("\r\n");
        }
        let reply = first_reply(wire.as_bytes());
        let ehlo = EhloReply::from_reply(reply).unwrap();
        let caps: Vec<Capability<'_>> = ehlo.capabilities().collect();
        let built = EhloReply::new(ehlo.domain(), ehlo.greeting(), &caps).unwrap();
        prop_assert_eq!(built, ehlo);
        let encoded = built.encode_to_vec();
        let again = EhloReply::from_reply(first_reply(&encoded)).unwrap();
        prop_assert_eq!(again, built);
        for cap in &caps {
            let text = cap.to_string();
            prop_assert_eq!(Capability::new(&text), Ok(*cap));
        }
    }
}

// ---- the fast paths against the reference ---------------------------------

/// Parser options, mostly the defaults, sometimes tight or lenient.
fn arb_rules() -> impl Strategy<Value = Rules> {
    (
        prop_oneof![3 => Just(512usize), 1 => 0usize..40, 1 => 40usize..80],
        prop_oneof![3 => Just(100usize), 1 => 0usize..5],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                max_line_len,
                max_lines,
                allow_bare_lf,
                allow_code_mismatch,
                allow_multiline_challenge,
            )| {
                Rules {
                    max_line_len,
                    max_lines,
                    allow_bare_lf,
                    allow_code_mismatch,
                    allow_multiline_challenge,
                }
            },
        )
}

/// A reply-shaped line: a code (usually valid), a separator, text that is
/// usually clean but may hold any octet the parser must judge (controls, CR,
/// NUL, DEL, HT, UTF-8 and broken UTF-8), and a line end that may be bare.
fn arb_wire_line() -> impl Strategy<Value = Vec<u8>> {
    let code = prop_oneof![
        8 => prop::sample::select(vec!["250", "220", "354", "550", "421", "334"]),
        1 => prop::sample::select(vec!["25", "2", "", "150", "260", "600", "25a", "2500", "599"]),
    ];
    let sep = prop_oneof![
        4 => Just("-"),
        3 => Just(" "),
        1 => Just(""),
        1 => prop::sample::select(vec!["\t", "_", "x"]),
    ];
    let piece = prop_oneof![
        6 => "[ -~]{0,12}".prop_map(String::into_bytes),
        2 => prop::sample::select(vec![
            "SIZE 35882577", "PIPELINING", "8bitmime", "AUTH PLAIN LOGIN", "AUTH=LOGIN",
            "ENHANCEDSTATUSCODES", "enhancedstatuscodes x", "STARTTLS", "CHUNKING",
            "FUTURERELEASE 604800 2026-12-01T00:00:00Z", "LIMITS RCPTMAX=20", "DSN",
            "2.1.5 Ok", "5.1.1 x", "X-VERY-LONG-KEYWORD-NAME", "SMTPUTF8\tx",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::sample::select(vec![
            &b"\t"[..], b"\r", b"\0", b"\x7f", b"\x1b", b"\n", b"\xc3\xa9", b"\xff",
            b"\xc3", b"\xe2\x82\xac", b"\xed\xa0\x80", b"\xf0\x9f\x98\x80", b"  ",
        ])
        .prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 0..6),
    ];
    let end = prop_oneof![
        12 => Just(&b"\r\n"[..]),
        2 => Just(&b"\n"[..]),
        1 => Just(&b"\r"[..]),
        1 => Just(&b""[..]),
    ];
    (code, sep, proptest::collection::vec(piece, 0..4), end).prop_map(|(code, sep, text, end)| {
        let mut line = Vec::new();
        line.extend_from_slice(code.as_bytes());
        line.extend_from_slice(sep.as_bytes());
        for piece in text {
            line.extend_from_slice(&piece);
        }
        line.extend_from_slice(end);
        line
    })
}

/// An EHLO-shaped reply: a first line naming a domain (or not), then
/// capability lines, mostly well-formed; random case, tabs, long keywords.
fn arb_ehlo_wire() -> impl Strategy<Value = Vec<u8>> {
    let first = prop_oneof![
        6 => Just(&b"mx.example.org Hello client [192.0.2.25]"[..]),
        1 => Just(&b"mx.example.org"[..]),
        1 => Just(&b""[..]),
        1 => Just(&b" mx"[..]),
        1 => Just(&b"\tmx hi"[..]),
    ];
    let cap = prop_oneof![
        4 => arb_capability_line().prop_map(String::into_bytes),
        2 => (arb_capability_line(), any::<u64>()).prop_map(|(line, bits)| {
            // Random case.
            line.bytes()
                .enumerate()
                .map(|(i, b)| if bits >> (i % 64) & 1 == 1 { b.to_ascii_lowercase() } else { b })
                .collect()
        }),
        1 => "[A-Za-z0-9=_-]{1,24}([ \t][ -~]{0,20})?".prop_map(String::into_bytes),
        1 => Just(Vec::new()),
        1 => Just("SIZE \u{e9}t\u{e9} 12".as_bytes().to_vec()),
    ];
    (
        first,
        proptest::collection::vec(cap, 0..14),
        prop_oneof![4 => Just("250"), 1 => Just("251")],
        any::<bool>(),
    )
        .prop_map(|(first, caps, code, bare_last)| {
            let mut wire = Vec::new();
            wire.extend_from_slice(b"250");
            wire.push(if caps.is_empty() { b' ' } else { b'-' });
            wire.extend_from_slice(first);
            wire.extend_from_slice(b"\r\n");
            for (i, cap) in caps.iter().enumerate() {
                let last = i + 1 == caps.len();
                wire.extend_from_slice(if last { code.as_bytes() } else { b"250" });
                if last && bare_last && cap.is_empty() {
                    wire.extend_from_slice(b"\r\n");
                    continue;
                }
                wire.push(if last { b' ' } else { b'-' });
                wire.extend_from_slice(cap);
                wire.extend_from_slice(b"\r\n");
            }
            wire
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// The one-pass parser agrees with the reference on reply-shaped input,
    /// and on every prefix of it: status, error kind, skip, resync, code,
    /// mismatch and every line; the EHLO walk and summary agree too.
    #[test]
    fn parser_agrees_with_reference(
        lines in proptest::collection::vec(arb_wire_line(), 1..6),
        rules in arb_rules(),
        tail in proptest::collection::vec(any::<u8>(), 0..3),
    ) {
        let mut buf: Vec<u8> = lines.concat();
        buf.extend_from_slice(&tail);
        for cut in 0..=buf.len() {
            reply_reference::assert_reply_agrees(&rules, &buf[..cut]);
        }
        reply_reference::assert_ehlo_agrees(&rules, &buf);
    }

    /// Arbitrary octets, with the reference.
    #[test]
    fn parser_agrees_with_reference_on_noise(
        buf in proptest::collection::vec(any::<u8>(), 0..80),
        rules in arb_rules(),
    ) {
        reply_reference::assert_reply_agrees(&rules, &buf);
        reply_reference::assert_ehlo_agrees(&rules, &buf);
    }

    /// The EHLO walk (typed capabilities, summary, domain, greeting) agrees
    /// with the reference's keyword-by-keyword reading.
    #[test]
    fn ehlo_walk_agrees_with_reference(wire in arb_ehlo_wire(), rules in arb_rules()) {
        reply_reference::assert_reply_agrees(&rules, &wire);
        reply_reference::assert_ehlo_agrees(&rules, &wire);
        let lenient = Rules { allow_bare_lf: true, allow_code_mismatch: true, ..Rules::default() };
        reply_reference::assert_ehlo_agrees(&lenient, &wire);
        // The same reply with bare LFs, read leniently.
        let bare: Vec<u8> = wire.iter().copied().filter(|&b| b != b'\r').collect();
        reply_reference::assert_reply_agrees(&lenient, &bare);
        reply_reference::assert_ehlo_agrees(&lenient, &bare);
    }

    /// `Capability::new` agrees with the reference on any text.
    #[test]
    fn capability_new_agrees_with_reference(text in prop_oneof![
        arb_capability_line(),
        "[ -~\t]{0,30}",
        "\\PC{0,12}",
    ]) {
        prop_assert_eq!(Capability::new(&text).ok(), reply_reference::capability(&text));
    }
}

/// Every well-formed code: class and category agree with its digits.
#[test]
fn class_and_category_follow_digits() {
    let mut count = 0;
    for n in 200..=599u16 {
        let second = (n / 10) % 10;
        let Ok(code) = ReplyCode::new(n) else {
            assert!(second > 5, "{n}");
            continue;
        };
        count += 1;
        let class = match n / 100 {
            2 => ReplyClass::PositiveCompletion,
            3 => ReplyClass::PositiveIntermediate,
            4 => ReplyClass::TransientNegative,
            _ => ReplyClass::PermanentNegative,
        };
        assert_eq!(code.class(), class, "{n}");
        let category = match second {
            0 => ReplyCategory::Syntax,
            1 => ReplyCategory::Information,
            2 => ReplyCategory::Connections,
            3 | 4 => ReplyCategory::Unspecified,
            _ => ReplyCategory::MailSystem,
        };
        assert_eq!(code.category(), category, "{n}");
        // The wire form agrees too.
        let line = format!("{n} x\r\n");
        assert_eq!(first_reply(line.as_bytes()).code(), code);
    }
    assert_eq!(count, 4 * 60);
}

/// RFC 4954 §4: a 334 challenge is one line; the RFC's own challenges parse,
/// a multi-line 334 is refused unless allowed, and is skipped whole.
#[test]
fn challenges_are_one_line() {
    for challenge in [
        &b"334 \r\n"[..],
        b"334 VXNlcm5hbWU6\r\n",
        b"334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n",
    ] {
        let Ok(Status::Complete((reply, used))) = Reply::parse(challenge) else {
            panic!("{challenge:?}")
        };
        assert_eq!((reply.code().get(), used), (334, challenge.len()));
    }
    let buf = b"334-abc\r\n334 def\r\n235 ok\r\n";
    let err = Reply::parse(buf).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MultilineChallenge);
    assert_eq!(&buf[err.skip()..], b"235 ok\r\n");
    let mut lenient = ReplyConfig::new();
    lenient.allow_multiline_challenge(true);
    let Ok(Status::Complete((reply, _))) = lenient.parse(buf) else {
        panic!()
    };
    assert_eq!(reply.line_count(), 2);
}
