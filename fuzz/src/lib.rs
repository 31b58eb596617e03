//! Shared harness for the fuzz targets: each target file calls one function
//! here, and every function asserts properties, not only "no crash".
//! See README.md for the table of targets.

use arbitrary::Arbitrary;
use smtp_wire::{BdatDecoder, Command, CommandConfig, DataConfig, DataDecoder, Encode, ErrorKind, Reply, ReplyConfig, Status};
use smtp_wire::body::{ContentIssues, ContentPolicy, DataEvent, DotStuffer};
use smtp_wire::ehlo::{Capability, EhloReply};
use smtp_wire::reply::{EnhancedStatusCode, ReplyCode};

/// The byte-at-a-time reference parser and EHLO walk, shared with the
/// proptests in `tests/replies.rs`.
#[path = "../../tests/reply_reference.rs"]
mod reply_reference;
use reply_reference::Rules;

/// The lenient parser options: bare LF and code mismatches accepted, short
/// lines, few lines, so that the limits are reached too.
const LENIENT: Rules = Rules {
    max_line_len: 64,
    max_lines: 4,
    allow_bare_lf: true,
    allow_code_mismatch: true,
};

/// Limits large enough for any value the constructors accept, so that a
/// round trip is judged by the grammar, not by the RFC size limits.
fn permissive_commands() -> CommandConfig {
    let mut config = CommandConfig::new();
    config
        .max_line_len(1 << 20)
        .max_auth_line_len(1 << 20)
        .max_local_part_len(1 << 20)
        .max_domain_len(1 << 20)
        .max_path_len(1 << 20);
    config
}

fn permissive_replies() -> ReplyConfig {
    let mut config = ReplyConfig::new();
    config.max_lines(1 << 20);
    config
}

/// Every strict prefix of a complete item is Partial. Long items are
/// sampled, to keep each run fast.
fn assert_prefixes_partial(item: &[u8], is_partial: impl Fn(&[u8]) -> bool) {
    let step = (item.len() / 256).max(1);
    for end in (0..item.len()).step_by(step) {
        assert!(is_partial(&item[..end]), "prefix {end} of {item:?}");
    }
}

/// `parse_command`: raw bytes into the command parser.
pub fn parse_command(data: &[u8]) {
    let config = CommandConfig::new();
    match config.parse(data) {
        Ok(Status::Complete((command, used))) => {
            assert!(used <= data.len());
            assert!(data[..used].ends_with(b"\r\n"), "{:?}", &data[..used]);
            // The framer saw the same line.
            let framed = smtp_wire::fuzzing::frame_command_line(data, 12288, false);
            assert!(
                matches!(framed, Ok(Status::Complete((_, n))) if n == used),
                "{framed:?}"
            );
            // Encode, then parse again: the same command, all bytes used.
            let encoded = command.encode_to_vec();
            assert_eq!(command.encoded_len(), encoded.len());
            let mut slice = vec![0u8; encoded.len()];
            assert_eq!(command.encode(&mut slice), Ok(encoded.len()));
            assert_eq!(slice, encoded);
            let again = permissive_commands().parse(&encoded);
            assert_eq!(
                again,
                Ok(Status::Complete((command, encoded.len()))),
                "{encoded:?}"
            );
            assert_prefixes_partial(&data[..used], |prefix| {
                config.parse(prefix) == Ok(Status::Partial)
            });
        }
        Ok(Status::Partial) => {
            // Only a buffer with no LF, shorter than the limit (or an AUTH
            // line under the AUTH limit), is incomplete.
            assert!(!data.contains(&b'\n'));
        }
        Err(err) => {
            assert!(err.skip() > 0 && err.skip() <= data.len(), "{err:?}");
            assert_eq!(err.needs_resync(), !data[..err.skip()].ends_with(b"\n"));
            let reply = err.reply();
            assert_eq!(reply.enhanced.class(), reply.code.get() / 100);
        }
    }
    // The IPv6 grammar agrees with core::net on the value, and accepts
    // nothing it refuses but one thing: RFC 5321's `Snum` allows leading
    // zeros in an embedded IPv4 part ("::1.2.3.04"), which core::net does not.
    if let Some(groups) = smtp_wire::fuzzing::parse_ipv6_literal(data) {
        let text = core::str::from_utf8(data).expect("a valid literal is ASCII");
        match text.parse::<std::net::Ipv6Addr>() {
            Ok(std) => assert_eq!(std.segments(), groups),
            Err(_) => {
                let v4 = text.rsplit(':').next().unwrap_or("");
                let leading_zero =
                    v4.contains('.') && v4.split('.').any(|n| n.len() > 1 && n.starts_with('0'));
                assert!(leading_zero, "accepted {text:?}, which core::net refuses");
            }
        }
    }
}

/// `parse_reply`: raw bytes into the reply parser; the one-pass parser
/// agrees with the reference on every input (strict and lenient options).
pub fn parse_reply(data: &[u8]) {
    reply_reference::assert_reply_agrees(&Rules::default(), data);
    reply_reference::assert_reply_agrees(&LENIENT, data);
    let config = ReplyConfig::new();
    match config.parse(data) {
        Ok(Status::Complete((reply, used))) => {
            assert!(used <= data.len());
            assert!(data[..used].ends_with(b"\r\n"));
            let code = reply.code();
            assert!((200..600).contains(&code.get()));
            assert_eq!(code.class() as u16, code.class() as u16); // class is total
            assert_eq!(reply.lines().count(), reply.line_count());
            for (i, line) in reply.lines().enumerate() {
                assert_eq!(line.code(), code, "every line carries the reply's code");
                assert_eq!(line.is_last(), i + 1 == reply.line_count());
                assert!(!line.text().contains(['\r', '\n']));
                if let Some(enhanced) = line.enhanced() {
                    assert_eq!(enhanced.class(), code.get() / 100);
                }
            }
            assert_class_matches_digits(code);
            let encoded = reply.encode_to_vec();
            let again = permissive_replies().parse(&encoded);
            assert_eq!(
                again,
                Ok(Status::Complete((reply, encoded.len()))),
                "{encoded:?}"
            );
            assert_prefixes_partial(&data[..used], |prefix| {
                config.parse(prefix) == Ok(Status::Partial)
            });
        }
        Ok(Status::Partial) => assert!(data.len() < 512 * 100 + 1),
        Err(err) => assert!(err.skip() > 0 && err.skip() <= data.len(), "{err:?}"),
    }
}

fn assert_class_matches_digits(code: ReplyCode) {
    use smtp_wire::reply::{ReplyCategory, ReplyClass};
    let class = match code.get() / 100 {
        2 => ReplyClass::PositiveCompletion,
        3 => ReplyClass::PositiveIntermediate,
        4 => ReplyClass::TransientNegative,
        _ => ReplyClass::PermanentNegative,
    };
    assert_eq!(code.class(), class);
    let category = match (code.get() / 10) % 10 {
        0 => ReplyCategory::Syntax,
        1 => ReplyCategory::Information,
        2 => ReplyCategory::Connections,
        3 | 4 => ReplyCategory::Unspecified,
        _ => ReplyCategory::MailSystem,
    };
    assert_eq!(code.category(), category);
}

/// `parse_ehlo`: raw bytes as an EHLO reply; the walk, the typed
/// capabilities and the summary agree with the reference (strict and
/// lenient options); the capabilities that parse re-encode and re-parse
/// equal.
pub fn parse_ehlo(data: &[u8]) {
    reply_reference::assert_ehlo_agrees(&Rules::default(), data);
    reply_reference::assert_ehlo_agrees(&LENIENT, data);
    let Ok(Status::Complete((reply, _))) = ReplyConfig::new().parse(data) else {
        return;
    };
    let Some(ehlo) = EhloReply::from_reply(reply) else {
        return;
    };
    let capabilities: Vec<Capability<'_>> = ehlo.capabilities().collect();
    for capability in &capabilities {
        let text = capability.to_string();
        assert_eq!(
            Capability::new(&text).as_ref(),
            Ok(capability),
            "{text:?}"
        );
    }
    let Ok(rebuilt) = EhloReply::new(ehlo.domain(), ehlo.greeting(), &capabilities) else {
        return; // a line too long to rebuild (documented)
    };
    let encoded = rebuilt.encode_to_vec();
    let Ok(Status::Complete((reply, used))) = permissive_replies().parse(&encoded) else {
        panic!("re-encoded EHLO reply does not parse: {encoded:?}");
    };
    assert_eq!(used, encoded.len());
    let again = EhloReply::from_reply(reply).expect("still an EHLO reply");
    assert_eq!(again.domain(), ehlo.domain());
    assert_eq!(again.greeting(), ehlo.greeting());
    assert!(
        again.capabilities().eq(capabilities.iter().cloned()),
        "{encoded:?}"
    );
}

/// `roundtrip_command`: any valid command encodes to a line that parses back
/// equal, using exactly the encoded bytes.
pub fn roundtrip_command(command: &Command<'_>) {
    let encoded = command.encode_to_vec();
    assert_eq!(command.encoded_len(), encoded.len());
    assert!(encoded.ends_with(b"\r\n"));
    // No CR or LF anywhere else: no command injection.
    assert!(
        !encoded[..encoded.len() - 2]
            .iter()
            .any(|&b| b == b'\r' || b == b'\n'),
        "{encoded:?}"
    );
    let parsed = permissive_commands().parse(&encoded);
    assert_eq!(
        parsed,
        Ok(Status::Complete((*command, encoded.len()))),
        "{:?}",
        String::from_utf8_lossy(&encoded)
    );
}

/// Structured input for `roundtrip_reply`.
#[derive(Debug, Arbitrary)]
pub struct ReplyInput {
    code: u16,
    enhanced: Option<(u16, u16, u16)>,
    lines: Vec<String>,
}

/// `roundtrip_reply`: any reply the constructors accept encodes to bytes
/// that parse back equal; text with CR or LF is refused.
pub fn roundtrip_reply(input: &ReplyInput) {
    let Ok(code) = ReplyCode::new(input.code) else {
        return;
    };
    let lines: Vec<&str> = input.lines.iter().map(String::as_str).collect();
    let built = match input
        .enhanced
        .and_then(|(c, s, d)| EnhancedStatusCode::new(c, s, d).ok())
    {
        Some(enhanced) => Reply::with_enhanced(code, enhanced, &lines),
        None => Reply::new(code, &lines),
    };
    let Ok(reply) = built else {
        return;
    };
    assert!(
        !lines.iter().any(|l| l.contains(['\r', '\n'])),
        "CR/LF accepted in {lines:?}"
    );
    let encoded = reply.encode_to_vec();
    assert_eq!(reply.encoded_len(), encoded.len());
    let parsed = permissive_replies().parse(&encoded);
    assert_eq!(
        parsed,
        Ok(Status::Complete((reply, encoded.len()))),
        "{:?}",
        String::from_utf8_lossy(&encoded)
    );
}

/// Feeds `stream` to `step` in the pieces given by `splits`, the way a
/// server's read buffer fills: unconsumed bytes stay at the front.
fn cut_points(len: usize, splits: &[u16]) -> Vec<usize> {
    let mut points: Vec<usize> = splits.iter().map(|&s| usize::from(s) % (len + 1)).collect();
    points.push(len);
    points.sort_unstable();
    points
}

/// The outcome of decoding one DATA body.
#[derive(Debug, PartialEq, Eq)]
struct DataOutcome {
    payload: Vec<u8>,
    /// Bytes consumed through the terminator, or `None` if it never came.
    end: Option<usize>,
    rejected: Option<ErrorKind>,
}

fn run_data(config: &DataConfig, stream: &[u8], splits: &[u16]) -> DataOutcome {
    let mut decoder = config.decoder();
    let mut outcome = DataOutcome {
        payload: Vec::new(),
        end: None,
        rejected: None,
    };
    let mut consumed = 0;
    for point in cut_points(stream.len(), splits) {
        // The buffer holds everything received and not yet consumed.
        loop {
            let buf = &stream[consumed..point];
            match decoder.decode(buf) {
                Ok(Status::Complete((DataEvent::Payload(bytes), used))) => {
                    assert!(used > 0 && used <= buf.len());
                    outcome.payload.extend_from_slice(bytes);
                    consumed += used;
                }
                Ok(Status::Complete((DataEvent::End(end), used))) => {
                    consumed += used;
                    outcome.end = Some(consumed);
                    assert_eq!(end.size(), outcome.payload.len() as u64);
                    return outcome;
                }
                Ok(Status::Partial) => break,
                Err(err) => {
                    consumed += err.skip();
                    outcome.end = Some(consumed);
                    outcome.rejected = Some(err.kind());
                    return outcome;
                }
            }
        }
    }
    outcome
}

/// RFC 5321 §4.5.2 line by line: the reference the decoder must agree with.
/// Returns the unstuffed body and the offset just past the terminator.
fn naive_data(stream: &[u8]) -> (Vec<u8>, Option<usize>) {
    let mut body = Vec::new();
    let mut pos = 0;
    loop {
        let Some(at) = stream[pos..].windows(2).position(|w| w == b"\r\n") else {
            return (body, None);
        };
        let line = &stream[pos..pos + at];
        if line == b"." {
            return (body, Some(pos + 3));
        }
        body.extend_from_slice(line.strip_prefix(b".").unwrap_or(line));
        body.extend_from_slice(b"\r\n");
        pos += at + 2;
    }
}

/// Structured input for `decode_data`.
#[derive(Debug, Arbitrary)]
pub struct DataInput {
    stream: Vec<u8>,
    splits: Vec<u16>,
    strict: bool,
    /// For the comparison with [`ExactData`]: each policy from two bits,
    /// the line limit and the size limit.
    policies: u8,
    max_line_len: u16,
    max_message_size: Option<u16>,
}

/// One decoding step, as comparable between decoders.
#[derive(Debug, PartialEq, Eq)]
enum DataStep<'a> {
    Payload(&'a [u8], usize),
    End(u64, ContentIssues, usize),
    Rejected(ErrorKind, usize),
    Partial,
}

/// The straightforward exact DATA decoder: the per-line algorithm that
/// `DataDecoder` had before its block fast path (one search for CR or LF per
/// line, the RFC 5321 rules applied at each), written against the public
/// types only. `decode_data` requires the real decoder to return the same
/// step and leave the same `issues`, `rejection` and `size` after every call.
struct ExactData {
    bare_lf: ContentPolicy,
    bare_cr: ContentPolicy,
    nul: ContentPolicy,
    long_lines: ContentPolicy,
    max_line_len: usize,
    max_message_size: Option<u64>,
    at_line_start: bool,
    done: bool,
    line_len: usize,
    size: u64,
    issues: ContentIssues,
    rejection: Option<ErrorKind>,
}

impl ExactData {
    fn new(
        [bare_lf, bare_cr, nul, long_lines]: [ContentPolicy; 4],
        max_line_len: usize,
        max_message_size: Option<u64>,
    ) -> ExactData {
        ExactData {
            bare_lf,
            bare_cr,
            nul,
            long_lines,
            max_line_len,
            max_message_size,
            at_line_start: true,
            done: false,
            line_len: 0,
            size: 0,
            issues: ContentIssues::default(),
            rejection: None,
        }
    }

    fn decode<'a>(&mut self, buf: &'a [u8]) -> DataStep<'a> {
        if self.done {
            return self.end(0);
        }
        let mut start = 0;
        if self.at_line_start {
            match buf {
                [] | [b'.'] | [b'.', b'\r'] => return DataStep::Partial,
                [b'.', b'\r', b'\n', ..] => {
                    self.done = true;
                    return self.end(3);
                }
                [b'.', ..] => start = 1,
                _ => {}
            }
        }
        let mut line_start = start;
        let mut carried = self.line_len;
        let mut i = start;
        // (end of payload, bytes consumed, consumed bytes end a line)
        let (end, consumed, ends_line) = loop {
            let Some(found) = buf[i..].iter().position(|b| *b == b'\r' || *b == b'\n') else {
                break (buf.len(), buf.len(), false);
            };
            let at = i + found;
            if buf[at] == b'\n' {
                // Bare LF: data, but the end of a line for the length count.
                self.note(ErrorKind::BareLfInData);
                self.check_line(carried + at + 1 - line_start);
                carried = 0;
                line_start = at + 1;
                i = at + 1;
                continue;
            }
            match buf.get(at + 1) {
                None => break (at, at, false),
                Some(b'\n') => {
                    let next = at + 2;
                    self.check_line(carried + next - line_start);
                    carried = 0;
                    line_start = next;
                    match &buf[next..] {
                        [] | [b'.'] | [b'.', b'\r'] | [b'.', b'\r', b'\n', ..] => {
                            break (next, next, true)
                        }
                        [b'.', ..] => break (next, next + 1, false),
                        _ => i = next,
                    }
                }
                Some(_) => {
                    self.note(ErrorKind::BareCrInData);
                    i = at + 1;
                }
            }
        };
        let payload = &buf[start..end];
        if payload.is_empty() {
            return DataStep::Partial;
        }
        self.at_line_start = ends_line;
        self.line_len = carried + end - line_start;
        self.check_line(self.line_len);
        if payload.contains(&0) {
            self.note(ErrorKind::NulInData);
        }
        let (total, overflow) = self.size.overflowing_add(payload.len() as u64);
        self.size = if overflow { u64::MAX } else { total };
        if overflow || self.max_message_size.is_some_and(|limit| total > limit) {
            self.reject(ErrorKind::MessageTooLarge);
        }
        DataStep::Payload(payload, consumed)
    }

    fn end<'a>(&self, consumed: usize) -> DataStep<'a> {
        match self.rejection {
            Some(kind) => DataStep::Rejected(kind, consumed),
            None => DataStep::End(self.size, self.issues, consumed),
        }
    }

    fn check_line(&mut self, len: usize) {
        if len > self.max_line_len {
            self.note(ErrorKind::DataLineTooLong);
        }
    }

    fn note(&mut self, kind: ErrorKind) {
        let (policy, flag) = match kind {
            ErrorKind::BareLfInData => (self.bare_lf, &mut self.issues.bare_lf),
            ErrorKind::BareCrInData => (self.bare_cr, &mut self.issues.bare_cr),
            ErrorKind::NulInData => (self.nul, &mut self.issues.nul),
            _ => (self.long_lines, &mut self.issues.long_line),
        };
        match policy {
            ContentPolicy::Accept => {}
            ContentPolicy::Note => *flag = true,
            ContentPolicy::Reject => {
                *flag = true;
                self.reject(kind);
            }
        }
    }

    /// The fixed precedence: size, bare LF, bare CR, NUL, long line.
    fn reject(&mut self, kind: ErrorKind) {
        let rank = |kind: ErrorKind| match kind {
            ErrorKind::MessageTooLarge => 0,
            ErrorKind::BareLfInData => 1,
            ErrorKind::BareCrInData => 2,
            ErrorKind::NulInData => 3,
            _ => 4,
        };
        if self
            .rejection
            .is_none_or(|current| rank(kind) < rank(current))
        {
            self.rejection = Some(kind);
        }
    }
}

/// `DataDecoder` against [`ExactData`] on the same reads: the same step from
/// every call (payload bytes and where they are in the buffer, consumed
/// counts, end or error kind) and the same `issues()`, `rejection()` and
/// `size()` after it.
fn compare_with_exact(input: &DataInput) {
    let policy = |shift: u8| match (input.policies >> shift) & 3 {
        0 => ContentPolicy::Reject,
        1 => ContentPolicy::Note,
        _ => ContentPolicy::Accept,
    };
    let policies = [policy(0), policy(2), policy(4), policy(6)];
    // Often the default or next to it, and next to a 64-byte block.
    let max_line_len = match input.max_line_len % 8 {
        0..=2 => 1000,
        3 => 998 + usize::from(input.max_line_len >> 3) % 4,
        4 => 63 + usize::from(input.max_line_len >> 3) % 3,
        _ => usize::from(input.max_line_len >> 3),
    };
    let max_message_size = input.max_message_size.map(u64::from);
    let mut config = DataConfig::new();
    config
        .bare_lf(policies[0])
        .bare_cr(policies[1])
        .nul(policies[2])
        .long_lines(policies[3])
        .max_line_len(max_line_len)
        .max_message_size(max_message_size);
    let mut decoder = config.decoder();
    let mut exact = ExactData::new(policies, max_line_len, max_message_size);
    let stream = &input.stream;
    let mut consumed = 0;
    for point in cut_points(stream.len(), &input.splits) {
        loop {
            let buf = &stream[consumed..point];
            let step = match decoder.decode(buf) {
                Ok(Status::Complete((DataEvent::Payload(bytes), used))) => {
                    DataStep::Payload(bytes, used)
                }
                Ok(Status::Complete((DataEvent::End(end), used))) => {
                    DataStep::End(end.size(), end.issues(), used)
                }
                Ok(Status::Partial) => DataStep::Partial,
                Err(err) => DataStep::Rejected(err.kind(), err.skip()),
            };
            let want = exact.decode(buf);
            assert_eq!(step, want, "at {consumed}..{point} with {config:?}");
            if let (DataStep::Payload(got, _), DataStep::Payload(expected, _)) = (&step, &want) {
                assert!(
                    std::ptr::eq(*got, *expected),
                    "not the same bytes of the buffer"
                );
            }
            assert_eq!(decoder.issues(), exact.issues);
            assert_eq!(decoder.rejection(), exact.rejection);
            assert_eq!(decoder.size(), exact.size);
            match step {
                DataStep::Payload(_, used) => consumed += used,
                DataStep::Partial => break,
                DataStep::End(..) | DataStep::Rejected(..) => return,
            }
        }
    }
}

/// `decode_data`: the decoder step by step == a straightforward exact
/// implementation, under the input's policies; split == whole == naive
/// reference; the end only at a real CRLF.CRLF; and dot-stuffing round-trips.
pub fn decode_data(input: &DataInput) {
    compare_with_exact(input);
    let mut config = DataConfig::new();
    if !input.strict {
        config.all_policies(ContentPolicy::Accept);
    }
    let whole = run_data(&config, &input.stream, &[]);
    let split = run_data(&config, &input.stream, &input.splits);
    assert_eq!(whole, split);
    let (reference, end) = naive_data(&input.stream);
    assert_eq!(whole.end, end, "the end is only at a real CRLF.CRLF");
    if whole.rejected.is_none() {
        if end.is_some() {
            assert_eq!(whole.payload, reference);
        } else {
            assert!(reference.starts_with(&whole.payload) || whole.payload.starts_with(&reference));
        }
    }
    if !input.strict {
        assert_eq!(whole.rejected, None);
    }

    // Stuffing: any message without bare CR or LF stuffs to a stream that
    // decodes back to it (plus the final CRLF the stuffer adds if missing).
    let message = &input.stream;
    let mut stuffer = DotStuffer::new();
    let mut wire = Vec::new();
    let mut refused = false;
    for piece in stuffer.stuff(message) {
        match piece {
            Ok(bytes) => wire.extend_from_slice(bytes),
            Err(_) => {
                refused = true;
                break;
            }
        }
    }
    // A trailing CR is held until the next byte, so a final bare CR is
    // refused by `finish`.
    let finished = if refused { None } else { stuffer.finish().ok() };
    let has_bare = has_bare_cr_or_lf(message);
    let Some(terminator) = finished else {
        assert!(
            has_bare,
            "refused a message without bare CR or LF: {message:?}"
        );
        return;
    };
    assert!(!has_bare, "accepted a bare CR or LF: {message:?}");
    wire.extend_from_slice(terminator);
    let mut accept = DataConfig::new();
    accept
        .nul(ContentPolicy::Accept)
        .long_lines(ContentPolicy::Accept);
    let decoded = run_data(&accept, &wire, &input.splits);
    assert_eq!(decoded.end, Some(wire.len()), "{wire:?}");
    let mut expected = message.clone();
    if !expected.is_empty() && !expected.ends_with(b"\r\n") {
        expected.extend_from_slice(b"\r\n");
    }
    assert_eq!(decoded.payload, expected);
}

fn has_bare_cr_or_lf(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\r' => bytes.get(i + 1) != Some(&b'\n'),
        b'\n' => i == 0 || bytes[i - 1] != b'\r',
        _ => false,
    })
}

/// Structured input for `decode_bdat`.
#[derive(Debug, Arbitrary)]
pub struct BdatInput {
    size: u16,
    chunk: Vec<u8>,
    trailing: Vec<u8>,
    splits: Vec<u16>,
}

/// `decode_bdat`: exactly `size` octets come out, in order, and the bytes
/// after the chunk are left intact, however the input is split.
pub fn decode_bdat(input: &BdatInput) {
    let size = usize::from(input.size).min(input.chunk.len());
    let mut stream = input.chunk[..size].to_vec();
    stream.extend_from_slice(&input.trailing);
    let mut decoder = BdatDecoder::new(size as u64);
    let mut out = Vec::new();
    let mut consumed = 0;
    for point in cut_points(stream.len(), &input.splits) {
        let (data, used) = decoder.decode(&stream[consumed..point]);
        assert_eq!(data.len(), used);
        assert_eq!(data, &stream[consumed..consumed + used]);
        out.extend_from_slice(data);
        consumed += used;
    }
    assert!(decoder.is_done());
    assert_eq!(decoder.remaining(), 0);
    assert_eq!(out, &input.chunk[..size]);
    assert_eq!(&stream[consumed..], &input.trailing[..]);
    // Draining a refused chunk consumes the same bytes.
    let mut drainer = BdatDecoder::new(size as u64);
    assert_eq!(drainer.drain(&stream), size);
    assert!(drainer.is_done());
}

/// What a server sees in a client stream, independent of how it was split.
#[derive(Debug, PartialEq, Eq)]
enum SessionEvent {
    Command(Vec<u8>),
    Body(Vec<u8>),
    BodyEnd(Option<ErrorKind>),
    Error(ErrorKind),
}

/// Drives a client stream through the crate the way a server does:
/// commands, DATA bodies (as if every DATA got 354) and BDAT chunks; errors
/// are skipped and resynchronised. Returns the events and leftover length.
fn run_session(stream: &[u8], splits: &[u16]) -> (Vec<SessionEvent>, usize) {
    enum Mode {
        Commands,
        Resync,
        Data(DataDecoder, Vec<u8>),
        Bdat(BdatDecoder, Vec<u8>),
    }
    let commands = CommandConfig::new();
    let mut events = Vec::new();
    let mut mode = Mode::Commands;
    let mut consumed = 0;
    for point in cut_points(stream.len(), splits) {
        loop {
            let buf = &stream[consumed..point];
            let progress = match &mut mode {
                Mode::Commands => match commands.parse(buf) {
                    Ok(Status::Complete((command, used))) => {
                        events.push(SessionEvent::Command(command.encode_to_vec()));
                        mode = match command {
                            Command::Data => Mode::Data(DataDecoder::new(), Vec::new()),
                            Command::Bdat { size, .. } => {
                                Mode::Bdat(BdatDecoder::new(size), Vec::new())
                            }
                            _ => Mode::Commands,
                        };
                        used
                    }
                    Ok(Status::Partial) => 0,
                    Err(err) => {
                        events.push(SessionEvent::Error(err.kind()));
                        if err.needs_resync() {
                            mode = Mode::Resync;
                        }
                        err.skip()
                    }
                },
                Mode::Resync => match smtp_wire::command::skip_line(buf) {
                    Status::Complete(used) => {
                        mode = Mode::Commands;
                        used
                    }
                    Status::Partial => buf.len(),
                },
                Mode::Data(decoder, body) => match decoder.decode(buf) {
                    Ok(Status::Complete((DataEvent::Payload(bytes), used))) => {
                        body.extend_from_slice(bytes);
                        used
                    }
                    Ok(Status::Complete((DataEvent::End(_), used))) => {
                        events.push(SessionEvent::Body(core::mem::take(body)));
                        events.push(SessionEvent::BodyEnd(None));
                        mode = Mode::Commands;
                        used
                    }
                    Ok(Status::Partial) => 0,
                    Err(err) => {
                        events.push(SessionEvent::Body(core::mem::take(body)));
                        events.push(SessionEvent::BodyEnd(Some(err.kind())));
                        mode = Mode::Commands;
                        err.skip()
                    }
                },
                Mode::Bdat(decoder, body) => {
                    let (data, used) = decoder.decode(buf);
                    body.extend_from_slice(data);
                    if decoder.is_done() {
                        events.push(SessionEvent::Body(core::mem::take(body)));
                        events.push(SessionEvent::BodyEnd(None));
                        mode = Mode::Commands;
                    }
                    used
                }
            };
            if progress == 0 && !matches!(mode, Mode::Bdat(ref d, _) if d.is_done()) {
                break;
            }
            consumed += progress;
        }
    }
    // A body still open at the end of input: report what arrived.
    match mode {
        Mode::Data(_, body) | Mode::Bdat(_, body) if !body.is_empty() => {
            events.push(SessionEvent::Body(body))
        }
        _ => {}
    }
    (events, stream.len() - consumed)
}

/// Structured input for `session_stream`.
#[derive(Debug, Arbitrary)]
pub struct SessionInput {
    stream: Vec<u8>,
    splits: Vec<u16>,
}

/// `session_stream`: the event sequence of a whole client stream is the same
/// for any split, and nothing is lost or read twice.
pub fn session_stream(input: &SessionInput) {
    let whole = run_session(&input.stream, &[]);
    let split = run_session(&input.stream, &input.splits);
    assert_eq!(whole, split);
    assert!(whole.1 <= input.stream.len());
}
