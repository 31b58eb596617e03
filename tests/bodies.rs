//! Message bodies: DATA dot-unstuffing and BDAT framing against a
//! naive reference, SMTP smuggling streams, and real peer captures.

use proptest::prelude::*;
use smtp_wire::body::{
    BdatMessage, ContentIssues, ContentPolicy, DataBody, DataEnd, DataEvent, DotStuffer,
    MessageSize,
};
use smtp_wire::{BdatDecoder, DataConfig, Encode, Error, ErrorKind, Status};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

#[path = "data_reference.rs"]
mod data_reference;

/// The body and the offset just past the terminator, or `None` without a
/// terminator (the shared RFC 5321 §4.5.2 reference).
fn reference_decode(stream: &[u8]) -> Option<(Vec<u8>, usize)> {
    let (body, end) = data_reference::unstuff(stream);
    end.map(|end| (body, end))
}

/// Bare CR / bare LF turned into CRLF, and a final CRLF added when missing:
/// what a normalising sender transmits.
fn normalize(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < message.len() {
        match (message[i], message.get(i + 1)) {
            (b'\r', Some(b'\n')) => {
                out.extend_from_slice(b"\r\n");
                i += 2;
                continue;
            }
            (b'\r' | b'\n', _) => out.extend_from_slice(b"\r\n"),
            (byte, _) => out.push(byte),
        }
        i += 1;
    }
    if !out.is_empty() && !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// `stream` cut at `cuts` (any values; taken modulo the length, sorted).
fn split_at_cuts<'a>(stream: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (stream.len() + 1)).collect();
    points.sort_unstable();
    let mut reads = Vec::new();
    let mut last = 0;
    for point in points {
        reads.push(&stream[last..point]);
        last = point;
    }
    reads.push(&stream[last..]);
    reads
}

struct Decoded {
    body: Vec<u8>,
    result: Result<DataEnd, Error>,
    /// Everything after the terminator: what the command parser gets.
    rest: Vec<u8>,
}

/// A server's read loop around `DataDecoder`, reads arriving as given.
/// `None` when the reads end before the end of data.
fn decode_data(config: DataConfig, reads: &[&[u8]]) -> Option<Decoded> {
    let mut decoder = config.decoder();
    let mut buf: Vec<u8> = Vec::new();
    let mut body = Vec::new();
    for (index, read) in reads.iter().enumerate() {
        buf.extend_from_slice(read);
        loop {
            let (result, n) = match decoder.decode(&buf) {
                Ok(Status::Complete((DataEvent::Payload(data), n))) => {
                    assert!(!data.is_empty());
                    assert!(n >= data.len() && n <= data.len() + 2);
                    // Zero-copy: the payload is a slice of the buffer.
                    let start = data.as_ptr() as usize - buf.as_ptr() as usize;
                    assert!(start + data.len() <= n);
                    body.extend_from_slice(data);
                    buf.drain(..n);
                    continue;
                }
                Ok(Status::Complete((DataEvent::End(end), n))) => {
                    assert_eq!(end.size(), body.len() as u64);
                    (Ok(end), n)
                }
                Ok(Status::Partial) => {
                    assert!(buf.len() <= 2, "kept {buf:?}");
                    break;
                }
                Err(err) => (Err(err), err.skip()),
            };
            buf.drain(..n);
            buf.extend(reads[index + 1..].concat());
            return Some(Decoded {
                body,
                result,
                rest: buf,
            });
        }
    }
    None
}

fn lenient() -> DataConfig {
    let mut config = DataConfig::new();
    config.all_policies(ContentPolicy::Accept);
    config
}

fn noting() -> DataConfig {
    let mut config = DataConfig::new();
    config.all_policies(ContentPolicy::Note);
    config
}

/// Bytes that make dot-stuffing and line endings interesting.
fn tricky_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            4 => Just(b'.'),
            4 => Just(b'\r'),
            4 => Just(b'\n'),
            3 => Just(b'a'),
            1 => Just(0u8),
            1 => any::<u8>(),
        ],
        0..max,
    )
}

/// A message with only CRLF line endings (no bare CR or LF), full of dots.
fn clean_message(max_lines: usize) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(
            prop::collection::vec(
                prop_oneof![3 => Just(b'.'), 2 => Just(b'x'), 1 => any::<u8>()
                .prop_filter("no CR/LF", |b| *b != b'\r' && *b != b'\n')],
                0..12,
            ),
            0..max_lines,
        ),
        any::<bool>(),
    )
        .prop_map(|(lines, final_crlf)| {
            let mut out = Vec::new();
            for (i, line) in lines.iter().enumerate() {
                out.extend_from_slice(line);
                if i + 1 < lines.len() || final_crlf {
                    out.extend_from_slice(b"\r\n");
                }
            }
            out
        })
}

/// Stuffs `message` fed in `reads`-shaped pieces.
fn stuff_pieces(mut stuffer: DotStuffer, message: &[u8], cuts: &[usize]) -> Result<Vec<u8>, Error> {
    let mut wire = Vec::new();
    for read in split_at_cuts(message, cuts) {
        for piece in stuffer.stuff(read) {
            wire.extend_from_slice(piece?);
        }
    }
    wire.extend_from_slice(stuffer.finish()?);
    Ok(wire)
}

// ---------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Clean messages: stuff (any split) then decode (any split) gives the
    /// message back, with CRLF added only when it did not end with one.
    #[test]
    fn stuff_then_decode_round_trips(
        message in clean_message(12),
        stuff_cuts in prop::collection::vec(any::<usize>(), 0..4),
        read_cuts in prop::collection::vec(any::<usize>(), 0..6),
    ) {
        let wire = stuff_pieces(DotStuffer::new(), &message, &stuff_cuts).unwrap();
        prop_assert_eq!(&wire, &DataBody::new(&message).unwrap().encode_to_vec());
        let mut stream = wire.clone();
        stream.extend_from_slice(b"QUIT\r\n");
        // Strict, except that `any::<u8>()` may produce NUL.
        let mut config = DataConfig::new();
        config.nul(ContentPolicy::Accept);
        let decoded = decode_data(config, &split_at_cuts(&stream, &read_cuts)).unwrap();
        prop_assert_eq!(decoded.body, normalize(&message));
        prop_assert!(decoded.result.is_ok());
        prop_assert_eq!(decoded.rest, b"QUIT\r\n");
    }

    /// Any bytes: the normalising stuffer produces something that decodes to
    /// the normalised message; the refusing one refuses exactly when there is
    /// a bare CR or LF.
    #[test]
    fn normalising_stuffer_round_trips(
        message in tricky_bytes(80),
        stuff_cuts in prop::collection::vec(any::<usize>(), 0..4),
        read_cuts in prop::collection::vec(any::<usize>(), 0..6),
    ) {
        let wire = stuff_pieces(DotStuffer::normalizing(), &message, &stuff_cuts).unwrap();
        prop_assert_eq!(&wire, &DataBody::normalized(&message).encode_to_vec());
        let decoded = decode_data(lenient(), &split_at_cuts(&wire, &read_cuts)).unwrap();
        let want = normalize(&message);
        prop_assert_eq!(&decoded.body, &want);
        prop_assert!(decoded.rest.is_empty());
        let has_bare = message.iter().enumerate().any(|(i, b)| match b {
            b'\r' => message.get(i + 1) != Some(&b'\n'),
            b'\n' => i == 0 || message[i - 1] != b'\r',
            _ => false,
        });
        let refused = stuff_pieces(DotStuffer::new(), &message, &stuff_cuts).is_err();
        prop_assert_eq!(refused, has_bare);
        prop_assert_eq!(DataBody::new(&message).is_err(), has_bare);
    }

    /// Arbitrary streams: the streaming decoder, in any split, agrees with
    /// the reference on the body and on where the data ends; the strict
    /// default fails (after the end) exactly when the content has a bare CR,
    /// bare LF, NUL or over-long line.
    #[test]
    fn decoder_agrees_with_reference(
        content in tricky_bytes(160),
        trailer in tricky_bytes(10),
        read_cuts in prop::collection::vec(any::<usize>(), 0..8),
    ) {
        let mut stream = content.clone();
        stream.extend_from_slice(b"\r\n.\r\n");
        stream.extend_from_slice(&trailer);
        let (want, end) = reference_decode(&stream).unwrap();
        let reads = split_at_cuts(&stream, &read_cuts);

        let mut strict = DataConfig::new();
        strict.max_line_len(40);
        let mut noted = noting();
        noted.max_line_len(40);
        for config in [lenient(), noted, strict] {
            let decoded = decode_data(config, &reads).unwrap();
            prop_assert_eq!(&decoded.body, &want);
            prop_assert_eq!(&decoded.rest[..], &stream[end..]);
        }

        // What the strict decoder should object to, judged on the body.
        let bare_lf = want.iter().enumerate().any(|(i, b)| *b == b'\n' && (i == 0 || want[i - 1] != b'\r'));
        let bare_cr = want.iter().enumerate().any(|(i, b)| *b == b'\r' && want.get(i + 1) != Some(&b'\n'));
        let nul = want.contains(&0);
        let long_line = want.split_inclusive(|b| *b == b'\n').any(|line| line.len() > 40);
        let decoded = decode_data(strict, &reads).unwrap();
        match decoded.result {
            Ok(end) => {
                prop_assert!(!(bare_lf || bare_cr || nul || long_line));
                prop_assert_eq!(end.size(), want.len() as u64);
            }
            Err(err) => {
                let expected = match err.kind() {
                    ErrorKind::BareLfInData => bare_lf,
                    ErrorKind::BareCrInData => bare_cr,
                    ErrorKind::NulInData => nul,
                    ErrorKind::DataLineTooLong => long_line,
                    _ => false,
                };
                prop_assert!(expected, "{:?}", err);
                prop_assert_eq!(err.reply().code().get(), 550);
            }
        }
        let noted = decode_data(noted, &reads).unwrap().result.unwrap().issues();
        prop_assert_eq!(
            (noted.bare_lf, noted.bare_cr, noted.nul, noted.long_line),
            (bare_lf, bare_cr, nul, long_line)
        );
    }

    /// Any bytes at all, terminator or not: no panic, and the decoder ends
    /// exactly where the reference does (or, like it, not at all).
    #[test]
    fn decoder_on_arbitrary_bytes(
        stream in prop_oneof![tricky_bytes(120), prop::collection::vec(any::<u8>(), 0..120)],
        read_cuts in prop::collection::vec(any::<usize>(), 0..8),
    ) {
        let reads = split_at_cuts(&stream, &read_cuts);
        for config in [DataConfig::new(), lenient()] {
            let decoded = decode_data(config, &reads);
            match reference_decode(&stream) {
                Some((want, end)) => {
                    let decoded = decoded.unwrap();
                    prop_assert_eq!(decoded.body, want);
                    prop_assert_eq!(&decoded.rest[..], &stream[end..]);
                }
                None => prop_assert!(decoded.is_none()),
            }
        }
    }

    /// BDAT: random chunk sizes framed with `BdatMessage`, read in random
    /// splits by a loop that finds each `BDAT n [LAST]` line itself; the chunks
    /// join to the message and the pipelined command after them is untouched.
    #[test]
    fn bdat_chunks_in_any_split(
        message in tricky_bytes(200),
        chunk_cuts in prop::collection::vec(any::<usize>(), 0..5),
        read_cuts in prop::collection::vec(any::<usize>(), 0..10),
        trailer in prop_oneof![Just(&b"QUIT\r\n"[..]), Just(&b"BDAT 3 LAST\r\nabc"[..]), Just(&b""[..])],
    ) {
        let chunks = split_at_cuts(&message, &chunk_cuts);
        let mut stream = BdatMessage::new(&chunks).encode_to_vec();
        stream.extend_from_slice(trailer);
        let reads = split_at_cuts(&stream, &read_cuts);

        let mut buf: Vec<u8> = Vec::new();
        let mut body = Vec::new();
        let mut sizes = Vec::new();
        let mut total = MessageSize::new(Some(message.len() as u64));
        let mut chunk: Option<BdatDecoder> = None;
        let mut last = false;
        for read in reads {
            buf.extend_from_slice(read);
            loop {
                if let Some(decoder) = chunk.as_mut() {
                    let (data, n) = decoder.decode(&buf);
                    body.extend_from_slice(data);
                    buf.drain(..n);
                    if !decoder.is_done() {
                        break;
                    }
                    chunk = None;
                    if last {
                        break;
                    }
                }
                if last {
                    break;
                }
                let Some((size, is_last, n)) = bdat_line(&buf) else { break };
                total.add(size).unwrap();
                sizes.push(size);
                buf.drain(..n);
                last = is_last;
                chunk = Some(BdatDecoder::new(size));
            }
        }
        prop_assert!(last && chunk.is_none());
        prop_assert_eq!(&body, &message);
        prop_assert_eq!(&buf, &trailer);
        let want: Vec<u64> = if chunks.is_empty() { vec![0] } else { chunks.iter().map(|c| c.len() as u64).collect() };
        prop_assert_eq!(sizes, want);
        prop_assert_eq!(total.total(), message.len() as u64);
    }
}

// ---------------------------------------------------------------------------
// DATA over many 64-byte blocks: the decoder skips clean blocks and falls back
// to exact per-line steps; whatever the split, every call must leave exactly
// the state that the content consumed so far calls for.
// ---------------------------------------------------------------------------

/// What a body holds, judged on the body itself (RFC 5321: only CRLF ends a
/// line, but a bare LF ends one for the length count; stuffed dots are not
/// in the body, so they do not count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Seen {
    bare_lf: bool,
    bare_cr: bool,
    nul: bool,
    long_line: bool,
}

/// `body` is a prefix of `full`, the whole body: a CR at the end of the
/// prefix is judged by the octet after it, which the decoder has seen when it
/// returns such a CR.
fn seen(body: &[u8], full: &[u8], max_line_len: usize) -> Seen {
    Seen {
        bare_lf: body
            .iter()
            .enumerate()
            .any(|(i, b)| *b == b'\n' && (i == 0 || body[i - 1] != b'\r')),
        bare_cr: body
            .iter()
            .enumerate()
            .any(|(i, b)| *b == b'\r' && full.get(i + 1) != Some(&b'\n')),
        nul: body.contains(&0),
        // The unfinished last line counts as far as it goes.
        long_line: body
            .split_inclusive(|b| *b == b'\n')
            .any(|line| line.len() > max_line_len),
    }
}

/// The policies and limits of one proptest case.
#[derive(Debug, Clone, Copy)]
struct Policies {
    bare_lf: ContentPolicy,
    bare_cr: ContentPolicy,
    nul: ContentPolicy,
    long_lines: ContentPolicy,
    max_line_len: usize,
    max_message_size: Option<u64>,
}

impl Policies {
    fn config(&self) -> DataConfig {
        let mut config = DataConfig::new();
        config
            .bare_lf(self.bare_lf)
            .bare_cr(self.bare_cr)
            .nul(self.nul)
            .long_lines(self.long_lines)
            .max_line_len(self.max_line_len)
            .max_message_size(self.max_message_size);
        config
    }

    /// `issues()` and `rejection()` after `body`, a prefix of `full`.
    fn expected(&self, body: &[u8], full: &[u8]) -> (ContentIssues, Option<ErrorKind>) {
        let seen = seen(body, full, self.max_line_len);
        let kinds = [
            (seen.bare_lf, self.bare_lf, ErrorKind::BareLfInData),
            (seen.bare_cr, self.bare_cr, ErrorKind::BareCrInData),
            (seen.nul, self.nul, ErrorKind::NulInData),
            (seen.long_line, self.long_lines, ErrorKind::DataLineTooLong),
        ];
        let recorded = |index: usize| {
            let (present, policy, _) = kinds[index];
            present && policy != ContentPolicy::Accept
        };
        let mut issues = ContentIssues::default();
        issues.bare_lf = recorded(0);
        issues.bare_cr = recorded(1);
        issues.nul = recorded(2);
        issues.long_line = recorded(3);
        // The fixed precedence: size, bare LF, bare CR, NUL, long line.
        let too_large = self
            .max_message_size
            .is_some_and(|limit| body.len() as u64 > limit);
        let rejection = too_large.then_some(ErrorKind::MessageTooLarge).or_else(|| {
            kinds
                .iter()
                .find(|(present, policy, _)| *present && *policy == ContentPolicy::Reject)
                .map(|(_, _, kind)| *kind)
        });
        (issues, rejection)
    }
}

fn policy() -> impl Strategy<Value = ContentPolicy> {
    prop_oneof![
        Just(ContentPolicy::Reject),
        Just(ContentPolicy::Note),
        Just(ContentPolicy::Accept),
    ]
}

fn policies() -> impl Strategy<Value = Policies> {
    (
        (policy(), policy(), policy(), policy()),
        prop_oneof![
            4 => Just(1000usize),
            1 => Just(998usize),
            1 => Just(999usize),
            1 => Just(64usize),
            1 => Just(65usize),
            1 => 0usize..300,
        ],
        prop_oneof![3 => Just(None), 1 => (0u64..6000).prop_map(Some)],
    )
        .prop_map(
            |((bare_lf, bare_cr, nul, long_lines), max_line_len, max_message_size)| Policies {
                bare_lf,
                bare_cr,
                nul,
                long_lines,
                max_line_len,
                max_message_size,
            },
        )
}

/// Content of up to a few thousand bytes: runs of text whose lengths land on
/// block edges and on the line limit (lines of exactly 998 to 1001 octets
/// with their CRLF), CRLFs, stuffed dots, and every smuggling sequence.
fn block_content() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        6 => Just(b"\r\n".to_vec()),
        2 => Just(b"\r\n..".to_vec()),
        1 => Just(b"\r\n.".to_vec()),
        1 => Just(b"\n".to_vec()),
        1 => Just(b"\r".to_vec()),
        1 => Just(b"\x00".to_vec()),
        1 => Just(b".".to_vec()),
        1 => prop::sample::select(vec![
            &b"\n.\n"[..],
            b"\n.\r\n",
            b"\r.\r",
            b"\r\n.\n",
            b"\r\n.\r\r\n",
            b"\r\r\n.\r\r\n",
            b"\r\n\x00.\r\n",
            b"\r\n.\x00\r\n",
            b"\r\n.\r\n",
        ])
        .prop_map(<[u8]>::to_vec),
        6 => (0usize..80).prop_map(text),
        3 => prop::sample::select(vec![61usize, 62, 63, 64, 65, 66, 127, 128, 129])
            .prop_map(text),
        2 => (996usize..=999).prop_map(|n| {
            // A line of n + 2 octets with its CRLF: 998 to 1001.
            let mut line = text(n);
            line.extend_from_slice(b"\r\n");
            line
        }),
        1 => (1000usize..2500).prop_map(text),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// `n` octets of text that never start a line with a dot.
fn text(n: usize) -> Vec<u8> {
    (0..n)
        .map(|k| b"abcdefghij klmnopqrstuvwxyz"[k % 27])
        .collect()
}

/// Runs `reads` through a read loop, checking after every call that
/// `issues()`, `rejection()` and `size()` are what the body so far calls
/// for, and returns what came out.
fn decode_checked(policies: &Policies, reads: &[&[u8]], full: &[u8]) -> Option<Decoded> {
    let mut decoder = policies.config().decoder();
    let mut buf: Vec<u8> = Vec::new();
    let mut body = Vec::new();
    for (index, read) in reads.iter().enumerate() {
        buf.extend_from_slice(read);
        loop {
            let outcome = decoder.decode(&buf);
            let (issues, rejection) = policies.expected(&body_after(&body, &outcome), full);
            assert_eq!(decoder.issues(), issues, "{policies:?} body {}", body.len());
            assert_eq!(
                decoder.rejection(),
                rejection,
                "{policies:?} body {}",
                body.len()
            );
            let (result, n) = match outcome {
                Ok(Status::Complete((DataEvent::Payload(data), n))) => {
                    assert!(!data.is_empty());
                    assert!(n >= data.len() && n <= data.len() + 2);
                    body.extend_from_slice(data);
                    assert_eq!(decoder.size(), body.len() as u64);
                    buf.drain(..n);
                    continue;
                }
                Ok(Status::Complete((DataEvent::End(end), n))) => {
                    assert_eq!(end.size(), body.len() as u64);
                    assert_eq!(end.issues(), issues);
                    (Ok(end), n)
                }
                Ok(Status::Partial) => {
                    assert!(buf.len() <= 2, "kept {buf:?}");
                    break;
                }
                Err(err) => {
                    assert_eq!(Some(err.kind()), rejection);
                    (Err(err), err.skip())
                }
            };
            buf.drain(..n);
            buf.extend(reads[index + 1..].concat());
            return Some(Decoded {
                body,
                result,
                rest: buf,
            });
        }
    }
    None
}

/// The body once `outcome`'s payload (if any) is added.
fn body_after(body: &[u8], outcome: &Result<Status<(DataEvent<'_>, usize)>, Error>) -> Vec<u8> {
    let mut after = body.to_vec();
    if let Ok(Status::Complete((DataEvent::Payload(data), _))) = outcome {
        after.extend_from_slice(data);
    }
    after
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(768))]

    /// Long bodies under any policies and limits, read in any split: the
    /// body and the end agree with the line-by-line reference, and
    /// `issues()`, `rejection()` and `size()` are exact after every call.
    #[test]
    fn block_decoder_agrees_with_reference(
        content in block_content(),
        policies in policies(),
        trailer in tricky_bytes(8),
        read_cuts in prop::collection::vec(any::<usize>(), 0..6),
        block_cut in 0usize..40,
    ) {
        let mut stream = content;
        stream.extend_from_slice(b"\r\n.\r\n");
        stream.extend_from_slice(&trailer);
        let (want, end) = reference_decode(&stream).unwrap();
        let mut cuts = read_cuts;
        // One cut on or next to a block edge from the start.
        cuts.push((block_cut / 4) * 64 + block_cut % 4);
        let reads = split_at_cuts(&stream, &cuts);
        let decoded = decode_checked(&policies, &reads, &want).unwrap();
        prop_assert_eq!(&decoded.body, &want);
        prop_assert_eq!(&decoded.rest[..], &stream[end..]);
        let (issues, rejection) = policies.expected(&want, &want);
        match decoded.result {
            Ok(end) => {
                prop_assert_eq!(rejection, None);
                prop_assert_eq!(end.issues(), issues);
                prop_assert_eq!(end.size(), want.len() as u64);
            }
            Err(err) => prop_assert_eq!(Some(err.kind()), rejection),
        }
        // The whole stream in one read decides the same.
        let whole = decode_checked(&policies, &[&stream], &want).unwrap();
        prop_assert_eq!(&whole.body, &want);
        prop_assert_eq!(whole.result.map_err(|e| e.kind()), decoded.result.map_err(|e| e.kind()));
    }
}

/// A `BDAT <size> [LAST]\r\n` line at the front of `buf`: (size, last, line
/// length). The command parser lives elsewhere; this is just enough for tests.
fn bdat_line(buf: &[u8]) -> Option<(u64, bool, usize)> {
    let end = buf.windows(2).position(|w| w == b"\r\n")?;
    let line = std::str::from_utf8(&buf[..end]).ok()?;
    let args = line.strip_prefix("BDAT ")?;
    let (size, last) = match args.strip_suffix(" LAST") {
        Some(size) => (size, true),
        None => (args, false),
    };
    Some((size.parse().ok()?, last, end + 2))
}

// ---------------------------------------------------------------------------
// SMTP smuggling (SEC Consult, 2023; CERT VU#302671)
// ---------------------------------------------------------------------------

const SMUGGLED: &[u8] =
    b"MAIL FROM:<admin@victim.example>\r\nRCPT TO:<bob@victim.example>\r\nDATA\r\n\
From: admin@victim.example\r\nTo: bob@victim.example\r\nSubject: spoofed\r\n\r\nspoofed\r\n";

const FAKE_TERMINATORS: &[&[u8]] = &[
    b"\n.\n",
    b"\n.\r\n",
    b"\r.\r",
    b"\r.\n",
    b"\n.\r",
    b"\r.\r\n",
    b"\r\n.\n",
    b"\r\n.\r",
    b"\r\n.\r\r\n",
    b"\r\r\n.\r\r\n",
    b"\r\n\x00.\r\n",
    b"\r\n.\x00\r\n",
    b"\r\x00\n.\r\n",
    b"\r\n.\r\x00\n",
];

fn smuggling_stream(fake: &[u8]) -> Vec<u8> {
    let mut stream =
        b"From: alice@attacker.example\r\nTo: bob@victim.example\r\nSubject: hi\r\n\r\nhello"
            .to_vec();
    stream.extend_from_slice(fake);
    stream.extend_from_slice(SMUGGLED);
    stream.extend_from_slice(b".\r\nQUIT\r\n");
    stream
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn smuggling_sequences_never_end_the_message() {
    for fake in FAKE_TERMINATORS {
        let stream = smuggling_stream(fake);
        for split in 0..=stream.len() {
            let reads = [&stream[..split], &stream[split..]];
            for config in [DataConfig::new(), noting(), lenient()] {
                let decoded = decode_data(config, &reads).unwrap();
                // Only the real terminator ends the data: the command parser
                // gets QUIT and nothing else.
                assert_eq!(decoded.rest, b"QUIT\r\n", "fake {fake:?} split {split}");
                assert!(contains(
                    &decoded.body,
                    b"MAIL FROM:<admin@victim.example>\r\nRCPT TO:"
                ));
                assert!(contains(&decoded.body, b"\r\nspoofed\r\n"));
            }
            // Strict by default: rejected once the real end is found.
            let err = decode_data(DataConfig::new(), &reads)
                .unwrap()
                .result
                .unwrap_err();
            assert!(
                matches!(
                    err.kind(),
                    ErrorKind::BareLfInData | ErrorKind::BareCrInData | ErrorKind::NulInData
                ),
                "{fake:?}: {err:?}"
            );
            assert_eq!(err.reply().code().get(), 550);
        }
        // The lenient body is byte-exact: nothing dropped, no dot unstuffed
        // unless it follows a real CRLF (the reference agrees).
        let decoded = decode_data(lenient(), &[&stream]).unwrap();
        assert_eq!(
            Some((decoded.body, stream.len() - 6)),
            reference_decode(&stream)
        );
    }
}

#[test]
fn dot_after_bare_line_ending_is_not_unstuffed() {
    for (content, body) in [
        (&b"a\n..b\r\n.\r\n"[..], &b"a\n..b\r\n"[..]),
        (b"a\r..b\r\n.\r\n", b"a\r..b\r\n"),
        (b"a\r\n..b\r\n.\r\n", b"a\r\n.b\r\n"),
    ] {
        assert_eq!(decode_data(lenient(), &[content]).unwrap().body, body);
    }
}

/// `\x00\r\n.\r\n` and `\r\n.\r\n\x00` hold a genuine terminator: a correct
/// receiver stops there (SMTP smuggling). The defence is the sender's
/// stuffing and the strict NUL policy, which rejects the message.
#[test]
fn genuine_terminators_next_to_nul() {
    let mut stream = b"hello\x00\r\n.\r\n".to_vec();
    stream.extend_from_slice(SMUGGLED);
    let decoded = decode_data(DataConfig::new(), &[&stream]).unwrap();
    assert_eq!(decoded.result.unwrap_err().kind(), ErrorKind::NulInData);
    assert_eq!(decoded.rest, SMUGGLED);
    // A sender never produces it from user text: stuffing keeps it content.
    let wire = DataBody::new(&stream).unwrap().encode_to_vec();
    let decoded = decode_data(lenient(), &[&wire]).unwrap();
    assert_eq!(decoded.body, stream);
    assert!(decoded.rest.is_empty());
}

// ---------------------------------------------------------------------------
// Real captures (tests/data/captures)
// ---------------------------------------------------------------------------

fn capture(name: &str) -> Vec<u8> {
    let path = format!("{}/data/captures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// The bytes after the (only) `DATA\r\n` command line.
fn after_data_line(stream: &[u8]) -> &[u8] {
    let mut pos = 0;
    while pos < stream.len() {
        let end = pos + stream[pos..].iter().position(|b| *b == b'\n').unwrap() + 1;
        if &stream[pos..end] == b"DATA\r\n" {
            return &stream[end..];
        }
        pos = end;
    }
    panic!("no DATA line");
}

#[test]
fn postfix_client_bodies_decode_to_the_sink_messages() {
    for name in [
        "postfix/client.kitchen-dsn.1",
        "postfix/client.kitchen-dsn.2",
        "postfix/client.smtputf8",
    ] {
        let stream = capture(&format!("{name}.c2s"));
        let expected = capture(&format!("{name}.msg1"));
        let content = after_data_line(&stream);
        // In one read, and split at every offset.
        for split in 0..=content.len() {
            let decoded =
                decode_data(DataConfig::new(), &[&content[..split], &content[split..]]).unwrap();
            assert_eq!(decoded.body, expected, "{name} split {split}");
            assert_eq!(decoded.result.unwrap().size(), expected.len() as u64);
            assert_eq!(decoded.rest, b"QUIT\r\n", "{name}");
        }
        assert_eq!(reference_decode(content).unwrap().0, expected);
        // And the encoder reproduces what Postfix sent.
        let wire_len = content.len() - b"QUIT\r\n".len();
        assert_eq!(
            DataBody::new(&expected).unwrap().encode_to_vec(),
            &content[..wire_len],
            "{name}"
        );
    }
}

#[test]
fn postfix_bare_lf_capture_does_not_end_early() {
    let stream = capture("postfix/server.bare-lf.c2s");
    let content = after_data_line(&stream);
    for split in 0..=content.len() {
        let reads = [&content[..split], &content[split..]];
        let decoded = decode_data(DataConfig::new(), &reads).unwrap();
        assert_eq!(decoded.result.unwrap_err().kind(), ErrorKind::BareLfInData);
        assert_eq!(decoded.rest, b"QUIT\r\n");
        assert!(contains(&decoded.body, b"not the end\r\n"));
        let decoded = decode_data(lenient(), &reads).unwrap();
        assert_eq!(
            decoded.body,
            b"Subject: bare LF test\r\n\r\nline with bare LF\nnext line\r\n\nnot the end\r\n"
        );
    }
}

/// Walks a client stream whose only bodies are BDAT chunks: command lines up
/// to CRLF, and after each `BDAT n [LAST]` line exactly n octets. Returns the
/// chunks (with their LAST flag) and checks that each chunk is followed by a
/// command.
fn walk_bdat_stream(stream: &[u8]) -> Vec<(Vec<u8>, bool)> {
    const VERBS: &[&[u8]] = &[
        b"BDAT ",
        b"MAIL FROM:",
        b"RCPT TO:",
        b"NOOP\r\n",
        b"QUIT\r\n",
        b"RSET\r\n",
    ];
    let mut chunks = Vec::new();
    let mut pos = 0;
    while pos < stream.len() {
        if let Some((size, last, n)) = bdat_line(&stream[pos..]) {
            pos += n;
            let mut decoder = BdatDecoder::new(size);
            // Read the chunk in 7-byte reads to exercise the splits.
            let mut data = Vec::new();
            while !decoder.is_done() {
                let end = (pos + 7).min(stream.len());
                let (piece, used) = decoder.decode(&stream[pos..end]);
                assert!(used > 0, "stream ends inside a chunk");
                data.extend_from_slice(piece);
                pos += used;
            }
            assert_eq!(data.len() as u64, size);
            let next = &stream[pos..];
            assert!(
                VERBS.iter().any(|verb| next.starts_with(verb)),
                "after a chunk: {:?}",
                &next[..next.len().min(20)]
            );
            chunks.push((data, last));
        } else {
            let end = stream[pos..].windows(2).position(|w| w == b"\r\n").unwrap();
            pos += end + 2;
        }
    }
    assert_eq!(pos, stream.len());
    chunks
}

#[test]
fn postfix_server_bdat_capture_framing() {
    let stream = capture("postfix/server.bdat.c2s");
    let chunks = walk_bdat_stream(&stream);
    let sizes: Vec<(usize, bool)> = chunks.iter().map(|(c, last)| (c.len(), *last)).collect();
    assert_eq!(sizes, [(76, false), (65, false), (0, true), (74, true)]);
    assert!(chunks[0].0.ends_with(b"first chunk ends mid-li"));
    assert!(
        chunks[1]
            .0
            .starts_with(b"ne\r\n.leading dot is NOT stuffed in BDAT\r\n.\r\n")
    );
    // BDAT data is opaque: CRLF.CRLF inside a chunk does not end anything.
    assert!(contains(&chunks[3].0, b"\r\n.\r\nstill body\r\n"));
}

#[test]
fn exim_bdat_captures_framing() {
    for (name, want) in [
        (
            "exim-to-postfix/big.c2s",
            &[(384, false), (12324, true)][..],
        ),
        ("exim-to-postfix/kitchen-dsn.1.c2s", &[(1634, true)]),
        ("exim-to-postfix/kitchen-dsn.2.c2s", &[(2165, true)]),
    ] {
        let stream = capture(name);
        let chunks = walk_bdat_stream(&stream);
        let sizes: Vec<(usize, bool)> = chunks.iter().map(|(c, last)| (c.len(), *last)).collect();
        assert_eq!(sizes, want, "{name}");
        // The announced SIZE= covers the message (Exim adds a margin).
        let size_param: u64 = {
            let at = stream.windows(5).position(|w| w == b"SIZE=").unwrap() + 5;
            let digits: Vec<u8> = stream[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .copied()
                .collect();
            std::str::from_utf8(&digits).unwrap().parse().unwrap()
        };
        let mut total = MessageSize::new(Some(size_param));
        for (chunk, _) in &chunks {
            total.add(chunk.len() as u64).unwrap();
        }
        // Each message is canonical CRLF text, ending with CRLF.
        let message: Vec<u8> = chunks.iter().flat_map(|(c, _)| c.clone()).collect();
        assert!(message.ends_with(b"\r\n"));
        assert!(
            DataBody::new(&message).is_ok(),
            "{name}: bare CR/LF in BDAT text"
        );
    }
}

// ---------------------------------------------------------------------------
// No allocation: the core never allocates
// ---------------------------------------------------------------------------

#[global_allocator]
static ALLOCATOR: smtp_wire_tests::CountingAllocator = smtp_wire_tests::CountingAllocator;

#[test]
fn decoders_and_stuffer_do_not_allocate() {
    let mut message = Vec::new();
    for i in 0..500u32 {
        message.extend_from_slice(if i % 3 == 0 {
            b".dot line\r\n"
        } else {
            b"text line\r\n"
        });
    }
    let wire = DataBody::new(&message).unwrap().encode_to_vec();
    let bdat = b"BDAT 5 LAST\r\nhelloQUIT\r\n";

    let before = smtp_wire_tests::allocations();
    let mut size = 0usize;
    for config in [DataConfig::new(), noting(), lenient()] {
        let mut decoder = config.decoder();
        let mut pos = 0;
        // 13-byte reads: the slow path with many partial decisions.
        let mut limit = 13;
        loop {
            match decoder.decode(&wire[pos..limit.min(wire.len())]) {
                Ok(Status::Complete((DataEvent::Payload(data), n))) => {
                    size += data.len();
                    pos += n;
                }
                Ok(Status::Complete((DataEvent::End(_), _))) => break,
                Ok(Status::Partial) => limit += 13,
                Err(err) => panic!("{err}"),
            }
        }
    }
    let mut stuffer = DotStuffer::new();
    for piece in stuffer.stuff(&message) {
        size += piece.unwrap().len();
    }
    size += stuffer.finish().unwrap().len();
    let mut chunk = BdatDecoder::new(5);
    size += chunk.decode(&bdat[13..]).0.len();
    let mut header = [0u8; 32];
    let n = BdatMessage::new(&[b"hello"])
        .encode(&mut header[..])
        .unwrap_or(0);
    assert_eq!(smtp_wire_tests::allocations(), before, "allocated");
    assert_eq!(size, 3 * message.len() + wire.len() + 5);
    assert_eq!(&header[..n], b"BDAT 5 LAST\r\nhello");
    // The counter does see this thread's allocations.
    let boxed = Box::new(size);
    assert!(smtp_wire_tests::allocations() > before && *boxed == size);
}

// ---------------------------------------------------------------------------
// Whole client streams: commands via `Command::parse`, bodies via the decoders
// ---------------------------------------------------------------------------

/// What a server loop makes of one client stream.
#[derive(Default)]
struct Session {
    /// Decoded messages, DATA and BDAT alike.
    messages: Vec<Vec<u8>>,
    /// BDAT chunk sizes with their LAST flag.
    chunks: Vec<(u64, bool)>,
    /// Commands that did not parse (skipped like a server would).
    errors: Vec<ErrorKind>,
    last_command: Option<String>,
}

/// Drives `stream` the way a server would: `Command::parse` for commands;
/// after `DATA` (when the server answered 354) a `DataDecoder`; after
/// `BDAT n` a `BdatDecoder` for exactly n octets; after `AUTH`, one response
/// line per `334` challenge the server sent. Reads are `read` bytes long.
fn drive_session(stream: &[u8], s2c: &[u8], read: usize) -> Session {
    use smtp_wire::auth::AuthResponse;
    use smtp_wire::{Command, CommandConfig};

    let data_accepted = server_replies(s2c, b"354") > 0;
    let auth_responses = server_replies(s2c, b"334");

    let mut session = Session::default();
    let mut data_config = DataConfig::new();
    // Some captures carry bare LF on purpose; note rather than reject.
    data_config.bare_lf(ContentPolicy::Note);
    let mut available = read.min(stream.len());
    let mut pos = 0;
    let mut bdat_message: Vec<u8> = Vec::new();
    let more = |available: &mut usize| {
        let grown = (*available + read).min(stream.len());
        let progressed = grown > *available;
        *available = grown;
        progressed
    };
    loop {
        let buf = &stream[pos..available];
        let (command, n) = match Command::parse(buf) {
            Ok(Status::Complete(parsed)) => parsed,
            Ok(Status::Partial) => {
                if more(&mut available) {
                    continue;
                }
                assert!(buf.is_empty(), "stream ends inside a command: {buf:?}");
                return session;
            }
            Err(err) => {
                session.errors.push(err.kind());
                assert!(!err.needs_resync());
                pos += err.skip();
                continue;
            }
        };
        session.last_command = Some(format!("{command:?}"));
        pos += n;
        match command {
            Command::Data if data_accepted => {
                let mut decoder = data_config.decoder();
                let mut body = Vec::new();
                loop {
                    match decoder.decode(&stream[pos..available]) {
                        Ok(Status::Complete((DataEvent::Payload(data), n))) => {
                            body.extend_from_slice(data);
                            pos += n;
                        }
                        Ok(Status::Complete((DataEvent::End(end), n))) => {
                            assert_eq!(end.size(), body.len() as u64);
                            pos += n;
                            break;
                        }
                        Ok(Status::Partial) => {
                            assert!(more(&mut available), "stream ends inside DATA")
                        }
                        Err(err) => panic!("{err}"),
                    }
                }
                session.messages.push(body);
            }
            Command::Auth(_) => {
                for _ in 0..auth_responses {
                    loop {
                        match CommandConfig::new().parse_auth_response(&stream[pos..available]) {
                            Ok(Status::Complete((AuthResponse::Data(_), n))) => {
                                pos += n;
                                break;
                            }
                            Ok(Status::Partial) => {
                                assert!(more(&mut available), "stream ends in AUTH")
                            }
                            other => panic!("{other:?}"),
                        }
                    }
                }
            }
            Command::Bdat { size, last } => {
                let mut decoder = BdatDecoder::new(size);
                while !decoder.is_done() {
                    let (data, n) = decoder.decode(&stream[pos..available]);
                    bdat_message.extend_from_slice(data);
                    pos += n;
                    if !decoder.is_done() {
                        assert!(more(&mut available), "stream ends inside a chunk");
                    }
                }
                session.chunks.push((size, last));
                if last {
                    session.messages.push(std::mem::take(&mut bdat_message));
                }
            }
            _ => {}
        }
    }
}

/// How many reply lines in `s2c` carry `code`.
fn server_replies(s2c: &[u8], code: &[u8]) -> usize {
    s2c.split(|b| *b == b'\n')
        .filter(|line| line.starts_with(code))
        .count()
}

#[test]
fn whole_client_streams_over_the_captures() {
    let data_captures = [
        "postfix/client.kitchen-dsn.1",
        "postfix/client.kitchen-dsn.2",
        "postfix/client.smtputf8",
        "postfix-to-exim/kitchen-dsn.1",
        "postfix/server.data-pipelined",
        "aiosmtpd/server.data-pipelined",
        "postfix/server.bare-lf",
        "aiosmtpd/server.bare-lf",
        "swaks/postfix.pipeline",
        "swaks/exim.pipeline",
        "swaks/opensmtpd.pipeline",
        "swaks/aiosmtpd.pipeline",
        "swaks/haraka.pipeline",
        "swaks/exim.prdr",
        "swaks/postfix.auth-login",
        "swaks/exim.auth-login",
        "swaks/aiosmtpd.auth-login",
        "swaks/haraka.auth-login",
        "smtplib/postfix.extras-auth-dsn",
        "smtplib/exim.extras-auth-dsn",
        "smtplib/haraka.extras-auth-dsn",
    ];
    let bdat_captures = [
        "exim-to-postfix/big",
        "exim-to-postfix/kitchen-dsn.1",
        "exim-to-postfix/kitchen-dsn.2",
        "postfix/server.bdat",
        "aiosmtpd/server.bdat",
    ];
    for name in data_captures.iter().chain(&bdat_captures) {
        let stream = capture(&format!("{name}.c2s"));
        let s2c = capture(&format!("{name}.s2c"));
        let whole = drive_session(&stream, &s2c, stream.len());
        // The stream is used up exactly; it ends with QUIT unless the server
        // hung up first (aiosmtpd/server.bdat ends after NOOP).
        let expected_last = if stream[stream.len() - 6..].eq_ignore_ascii_case(b"QUIT\r\n") {
            "Quit"
        } else {
            "Noop(None)"
        };
        assert_eq!(whole.last_command.as_deref(), Some(expected_last), "{name}");
        // The same in small reads (a prime size, so splits fall everywhere).
        for read in [1, 7, 61] {
            let split = drive_session(&stream, &s2c, read);
            assert_eq!(
                split.messages, whole.messages,
                "{name} in {read}-byte reads"
            );
            assert_eq!(split.chunks, whole.chunks, "{name}");
            assert_eq!(split.errors, whole.errors, "{name}");
        }
        // Only the deliberately broken command lines fail to parse.
        if !name.contains("bare-lf") {
            assert_eq!(whole.errors, [], "{name}");
        }
        if data_captures.contains(name) {
            assert_eq!(whole.messages.len(), 1, "{name}");
            assert!(whole.chunks.is_empty());
            // The reference agrees on the body of the one DATA.
            let (want, _) = reference_decode(after_data_line_any_case(&stream)).unwrap();
            assert_eq!(whole.messages[0], want, "{name}");
            if let Ok(expected) = std::fs::read(format!(
                "{}/data/captures/{name}.msg1",
                env!("CARGO_MANIFEST_DIR")
            )) {
                assert_eq!(whole.messages[0], expected, "{name}");
            }
        } else {
            let walked = walk_bdat_stream(&stream);
            let sizes: Vec<(u64, bool)> = walked
                .iter()
                .map(|(c, last)| (c.len() as u64, *last))
                .collect();
            assert_eq!(whole.chunks, sizes, "{name}");
            let mut messages = Vec::new();
            let mut current = Vec::new();
            for (chunk, last) in walked {
                current.extend_from_slice(&chunk);
                if last {
                    messages.push(std::mem::take(&mut current));
                }
            }
            assert_eq!(whole.messages, messages, "{name}");
        }
    }
}

/// The bytes after the (only) `DATA` line, whatever its case (smtplib sends
/// `data`).
fn after_data_line_any_case(stream: &[u8]) -> &[u8] {
    let mut pos = 0;
    while pos < stream.len() {
        let end = pos + stream[pos..].iter().position(|b| *b == b'\n').unwrap() + 1;
        if stream[pos..end].eq_ignore_ascii_case(b"DATA\r\n") {
            return &stream[end..];
        }
        pos = end;
    }
    panic!("no DATA line");
}
