//! Shared harness for the fuzz targets: each target file calls one function
//! here, and every function asserts properties, not only "no crash".
//! See README.md for the table of targets.

use arbitrary::Arbitrary;
use smtp_wire::body::{ContentIssues, ContentPolicy, DataEvent, DotStuffer};
use smtp_wire::ehlo::{Capability, EhloReply};
use smtp_wire::reply::{EnhancedStatusCode, ReplyCode};
use smtp_wire::{
    BdatDecoder, Command, CommandConfig, DataConfig, Encode, ErrorKind, Reply, ReplyConfig, Status,
};

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
    allow_multiline_challenge: true,
};

/// Limits large enough for any value the constructors accept, so that a
/// round trip is judged by the grammar, not by the RFC size limits; and
/// ten-digit HOLDFOR, which every `u32` in `MailParams::hold_for` needs.
fn permissive_commands() -> CommandConfig {
    let mut config = CommandConfig::new();
    config
        .allow_long_hold_for(true)
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

/// Realistic command lines that the `parse_command` target splices its
/// input into, so that most runs reach deep into the grammar of a known verb.
const COMMAND_SEEDS: &[&[u8]] = &[
    b"RCPT TO:<bob@example.com>\r\n",
    b"RCPT TO:<carol+news@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;carol+2Bnews@example.org\r\n",
    b"RCPT TO:<Postmaster>\r\n",
    b"MAIL FROM:<alice.smith@mail.example-corp.com> SIZE=12345 BODY=8BITMIME\r\n",
    b"MAIL FROM:<> SIZE=1024 RET=HDRS ENVID=0A1B2C3D\r\n",
    b"MAIL FROM:<\"a b\"@[192.0.2.1]> AUTH=<> SMTPUTF8\r\n",
    b"EHLO mail.example.com\r\n",
    b"BDAT 1000 LAST\r\n",
    b"AUTH PLAIN AGFsaWNlQGV4YW1wbGUuY29tAHB3MTIz\r\n",
    b"DATA\r\n",
    b"NOOP\r\n",
    b"RCPT TO:<a@b.c> RRVS=2014-04-03T23:01:00Z;c ORCPT=utf-8;j\\x{F6}rg@b\\x{fc}cher.example\r\n",
    b"MAIL FROM:<j\xc3\xb6rg@b\xc3\xbccher.example> SMTPUTF8 SIZE=00000000000000000001 HOLDFOR=999999999 HOLDUNTIL=2024-02-29T23:59:60-00:01 ENVID=a+C3+A9\r\n",
    b"EHLO client.example (my laptop)\r\n",
    b"RCPT TO:<b@example.net> FOO=bar\r\n",
];

/// The configurations the parser and its oracle are compared under.
fn oracle_configs() -> [CommandConfig; 4] {
    let mut lenient = CommandConfig::new();
    lenient.allow_bare_lf(true).allow_space_after_colon(true);
    let mut tight = CommandConfig::new();
    tight
        .max_line_len(40)
        .max_auth_line_len(48)
        .max_local_part_len(5)
        .max_domain_len(11)
        .max_path_len(18);
    let mut options = CommandConfig::new();
    options
        .allow_hello_trailing_text(true)
        .allow_long_hold_for(true)
        .refuse_unknown_params(true);
    [CommandConfig::new(), lenient, tight, options]
}

/// The parser and the oracle (the parser before the one-pass path) agree
/// exactly: result, command (also its `Debug` text, which shows the raw
/// parameter text), bytes used, error kind, skip and `needs_resync`.
fn assert_agrees_with_oracle(config: &CommandConfig, input: &[u8]) {
    let new = config.parse(input);
    let old = smtp_wire::fuzzing::parse_command_oracle(config, input);
    assert_eq!(new, old, "{config:?} {input:?}");
    assert_eq!(format!("{new:?}"), format!("{old:?}"), "{input:?}");
}

/// The raw input, and a realistic line with the input spliced in (the first
/// byte picks the line, the second where the rest goes, the third whether it
/// replaces the line's tail or is inserted), each under every configuration.
fn command_differential(data: &[u8]) {
    for config in &oracle_configs() {
        assert_agrees_with_oracle(config, data);
    }
    if let [pick, at, mode, rest @ ..] = data {
        let seed = COMMAND_SEEDS[usize::from(*pick) % COMMAND_SEEDS.len()];
        let at = usize::from(*at) % (seed.len() + 1);
        let mut line = seed[..at].to_vec();
        line.extend_from_slice(rest);
        if mode & 1 == 1 {
            line.extend_from_slice(&seed[at..]);
        }
        for config in &oracle_configs() {
            assert_agrees_with_oracle(config, &line);
        }
    }
}

/// `parse_command`: raw bytes into the command parser.
pub fn parse_command(data: &[u8]) {
    command_differential(data);
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
            assert_eq!(reply.enhanced().class(), reply.code().get() / 100);
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
        assert_eq!(Capability::new(&text).as_ref(), Ok(capability), "{text:?}");
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

/// RFC 5321 §4.5.2 line by line: the reference the decoder must agree with,
/// shared with the integration tests.
#[path = "../../tests/data_reference.rs"]
mod data_reference;
use data_reference::unstuff as naive_data;

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
                            break (next, next, true);
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
        // Below 2 the config clamps to 2 (the CRLF alone), and so does the
        // reference.
        _ => usize::from(input.max_line_len >> 3).max(2),
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

// ---------------------------------------------------------------------------
// session_stream: ServerSession over arbitrary client bytes
// ---------------------------------------------------------------------------

/// Structured input for `session_stream`: the client's bytes, where the
/// reads are cut, the server's configuration and its answers.
#[derive(Debug, Arbitrary)]
pub struct SessionInput<'a> {
    /// Bits: LMTP, require HELO, forbid early input, implicit TLS, strict
    /// content, and which extensions are *not* advertised (see
    /// `server_config`).
    flags: u16,
    /// The message size limit when odd (small, to reach it); else the
    /// default.
    max_size: u16,
    max_recipients: u8,
    max_errors: u8,
    splits: Vec<u16>,
    /// The caller's policy: one byte per answered event, in turn (none:
    /// accept everything).
    answers: Vec<u8>,
    /// The client's bytes: last, and a slice, so that they are the rest of
    /// the input as it is (a seed is a client stream behind a header).
    stream: &'a [u8],
}

/// What the server saw, independent of read boundaries.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Command(Vec<u8>),
    AuthResponse(Vec<u8>),
    ChunkEnd(u64, u64),
    /// A message: its body, size and the replies owed.
    Message(Vec<u8>, u64, usize),
    /// A message refused as it arrived. Without its kind: which broken rule
    /// is found first can depend on the reads (documented); the reply at
    /// the end is compared, and does not.
    Rejected,
    Reply(String),
    Close(String),
    /// The STARTTLS hand-off: what follows would be TLS records, so the
    /// run stops (what was discarded depends on the reads, by design).
    Tls,
    Closed,
}

const SYNC_CLOSE: &str = "554 5.5.0 Error: SMTP protocol synchronization";

fn server_config(input: &SessionInput<'_>) -> smtp_wire::session::ServerConfig {
    use smtp_wire::ehlo::{Extension, Extensions};
    use smtp_wire::session::ServerConfig;
    let bit = |n: u16| input.flags & (1 << n) != 0;
    let mut config = if bit(0) {
        ServerConfig::lmtp()
    } else {
        ServerConfig::new()
    };
    let mut extensions = Extensions::new();
    let optional = [
        Extension::Pipelining,
        Extension::Size,
        Extension::EightBitMime,
        Extension::SmtpUtf8,
        Extension::Chunking,
        Extension::BinaryMime,
        Extension::StartTls,
        Extension::Auth,
        Extension::Dsn,
        Extension::EnhancedStatusCodes,
        Extension::Xclient,
    ];
    for (i, extension) in optional.into_iter().enumerate() {
        // Mostly on: the default set and then some.
        if !bit(5 + i as u16) {
            extensions = extensions.with(extension);
        }
    }
    let mut data = DataConfig::new();
    if !bit(4) {
        data.all_policies(ContentPolicy::Accept);
    }
    config
        .extensions(extensions)
        .require_hello(bit(1))
        .forbid_early_input(bit(2))
        .tls(bit(3))
        .data(data)
        .max_message_size(if input.max_size % 2 == 1 {
            u64::from(input.max_size)
        } else {
            10_240_000
        })
        .max_recipients(usize::from(input.max_recipients % 8) + 1)
        .max_errors(usize::from(input.max_errors % 30) + 1)
        .supported_params(&["XVERP"]);
    config
}

/// The caller's answer to an event, from its policy byte.
fn policy_code(event: &smtp_wire::session::ServerEvent<'_>, byte: u8) -> u16 {
    use smtp_wire::session::ServerEvent;
    if byte == 255 {
        return 421;
    }
    let refuse = byte % 4 == 3;
    match event {
        ServerEvent::Command(command) => match command {
            Command::Data => [354, 554][usize::from(refuse)],
            Command::StartTls => [220, 454][usize::from(refuse)],
            Command::Auth(_) => [334, 334, 235, 535][usize::from(byte % 4)],
            Command::Quit => 221,
            Command::Xclient(_) => [220, 550][usize::from(refuse)],
            Command::Vrfy(_) | Command::Expn(_) | Command::Help(_) => {
                [252, 502][usize::from(refuse)]
            }
            _ => [250, 550][usize::from(refuse)],
        },
        ServerEvent::AuthResponse(_) => [334, 235, 235, 535][usize::from(byte % 4)],
        ServerEvent::ChunkEnd(_) => [250, 451][usize::from(refuse)],
        _ => [250, 550][usize::from(refuse)],
    }
}

/// How the reads are cut.
enum Cuts<'a> {
    Bytes,
    Points(&'a [u16]),
}

/// Drives a `ServerSession` over `stream`, read as `cuts` says, answering
/// with the input's policy. Checks on the way that nothing is consumed
/// twice or beyond the input, that DATA content ends exactly where RFC
/// 5321 §4.5.2 says (a naive line-by-line reference) and holds what it
/// says, that every BDAT chunk is the `size` octets right after its line,
/// and that no command is ever read from inside a body. Returns what the
/// server saw.
fn run_server_session(input: &SessionInput<'_>, cuts: Cuts<'_>) -> Vec<Seen> {
    use smtp_wire::session::{ServerEvent, ServerSession};
    let stream = input.stream;
    let points: Vec<usize> = match cuts {
        Cuts::Bytes => (1..=stream.len()).collect(),
        Cuts::Points(splits) => cut_points(stream.len(), splits),
    };
    let mut session = ServerSession::new(server_config(input));
    session.reply_sent(ReplyCode::SERVICE_READY);
    let mut answers = input.answers.iter().copied().cycle();
    let mut next_answer = |event: &ServerEvent<'_>| -> u16 {
        if input.answers.is_empty() {
            policy_code(event, 0)
        } else {
            policy_code(event, answers.next().unwrap_or(0))
        }
    };
    let mut seen = Vec::new();
    // Stream offsets: `consumed` bytes are gone from the front.
    let mut consumed = 0usize;
    let mut body = Vec::new();
    // The body ranges so far, and where the current one started.
    let mut bodies: Vec<(usize, usize)> = Vec::new();
    let mut content: Option<(usize, Vec<u8>, Option<usize>)> = None;
    // The current chunk: where its octets start, and how many came.
    let mut chunk_start: Option<usize> = None;
    let mut chunk_len = 0usize;
    let mut command_ends: Vec<usize> = Vec::new();
    let mut rejected = false;
    for point in points {
        loop {
            let buf = &stream[consumed..point];
            let (event, used) = session.decode(buf);
            assert!(used <= buf.len(), "used {used} of {}", buf.len());
            let end = consumed + used;
            let Some(event) = event else {
                // The session holds no input: what it leaves is at most a
                // line it must see whole (an AUTH line is the longest).
                assert!(buf.len() - used <= 12288, "{} bytes held", buf.len() - used);
                consumed = end;
                break;
            };
            // A parse error or refused content is answered with its reply,
            // as the session's own refusals are.
            let event = match event {
                ServerEvent::Error(error) => ServerEvent::Reply(error.reply()),
                event => event,
            };
            match event {
                ServerEvent::Command(command) => {
                    command_ends.push(end);
                    // A new transaction, or none: earlier chunks of a
                    // failed one belong to no message.
                    if matches!(
                        command,
                        Command::Mail(_)
                            | Command::Rset
                            | Command::Helo(_)
                            | Command::Ehlo(_)
                            | Command::Lhlo(_)
                    ) {
                        body.clear();
                    }
                    // The command is the last thing read: its line ends there.
                    assert!(stream[..end].ends_with(b"\n"));
                    seen.push(Seen::Command(command.encode_to_vec()));
                    let code = next_answer(&event);
                    if matches!(command, Command::Data) && code == 354 {
                        // RFC 5321 §4.5.2, line by line, from here.
                        let (reference, stop) = naive_data(&stream[end..]);
                        content = Some((end, reference, stop.map(|s| end + s)));
                    }
                    session.reply_sent(ReplyCode::new(code).unwrap());
                }
                ServerEvent::AuthResponse(response) => {
                    command_ends.push(end);
                    let text = match response {
                        smtp_wire::auth::AuthResponse::Data(data) => {
                            data.expose().as_bytes().to_vec()
                        }
                        smtp_wire::auth::AuthResponse::Cancel => b"*".to_vec(),
                    };
                    seen.push(Seen::AuthResponse(text));
                    let code = next_answer(&event);
                    session.reply_sent(ReplyCode::new(code).unwrap());
                }
                ServerEvent::Body(piece) => {
                    assert!(!rejected, "Body after BodyRejected");
                    // A slice of the input, never a copy.
                    let at = piece.as_ptr() as usize - buf.as_ptr() as usize;
                    assert!(
                        at + piece.len() <= used,
                        "a body piece beyond the bytes used"
                    );
                    if content.is_none() {
                        // BDAT: the chunk's octets are contiguous in the stream.
                        let start = consumed + at;
                        match chunk_start {
                            None => {
                                chunk_start = Some(start);
                                chunk_len = 0;
                            }
                            Some(s) => assert_eq!(s + chunk_len, start, "a gap in a chunk"),
                        }
                        chunk_len += piece.len();
                    }
                    body.extend_from_slice(piece);
                }
                ServerEvent::BodyRejected(_) => {
                    assert!(!rejected);
                    rejected = true;
                    body.clear();
                    seen.push(Seen::Rejected);
                }
                ServerEvent::ChunkEnd(chunk) => {
                    // BDAT: the chunk is exactly `size` octets after its line.
                    if let Some(start) = chunk_start.take() {
                        assert_eq!(
                            (start + chunk_len, end - start),
                            (end, chunk.size() as usize)
                        );
                        check_bdat_line(stream, start, chunk.size(), false);
                        bodies.push((start, end));
                    } else {
                        assert_eq!(chunk.size(), 0);
                    }
                    seen.push(Seen::ChunkEnd(chunk.size(), chunk.total()));
                    let code = next_answer(&event);
                    session.reply_sent(ReplyCode::new(code).unwrap());
                }
                ServerEvent::MessageEnd(m) if content.is_none() => {
                    // The BDAT LAST chunk, if it had octets, ends here.
                    if let Some(start) = chunk_start.take() {
                        assert_eq!(start + chunk_len, end, "a gap before the end of a chunk");
                        check_bdat_line(stream, start, (end - start) as u64, true);
                        bodies.push((start, end));
                    }
                    assert_eq!(m.size(), body.len() as u64);
                    seen.push(Seen::Message(
                        core::mem::take(&mut body),
                        m.size(),
                        m.replies(),
                    ));
                    for _ in 0..m.replies() {
                        let code = next_answer(&event);
                        session.reply_sent(ReplyCode::new(code).unwrap());
                        if code == 421 {
                            break;
                        }
                    }
                }
                ServerEvent::MessageEnd(m) => {
                    // DATA: the end is where the reference found it, and so
                    // is the body.
                    let (start, reference, stop) = content.take().unwrap();
                    assert_eq!(stop, Some(end), "DATA ended elsewhere than CRLF.CRLF");
                    assert_eq!(body, reference, "DATA body differs from RFC 5321 §4.5.2");
                    assert_eq!(m.size(), body.len() as u64);
                    bodies.push((start, end));
                    seen.push(Seen::Message(
                        core::mem::take(&mut body),
                        m.size(),
                        m.replies(),
                    ));
                    for _ in 0..m.replies() {
                        let code = next_answer(&event);
                        session.reply_sent(ReplyCode::new(code).unwrap());
                        if code == 421 {
                            break;
                        }
                    }
                }
                ServerEvent::Bdat { .. } => {
                    // The chunk's line is the last thing read; its octets follow.
                    assert!(stream[..end].ends_with(b"\n"));
                    command_ends.push(end);
                }
                ServerEvent::Reply(reply) => {
                    if let Some((start, _, stop)) = content.take() {
                        // A refused message: drained to its real end.
                        assert_eq!(stop, Some(end), "a refused DATA body ended early: {reply}");
                        bodies.push((start, end));
                        body.clear();
                    }
                    if rejected {
                        body.clear();
                    }
                    rejected = false;
                    chunk_start = None;
                    seen.push(Seen::Reply(reply.to_string()));
                }
                ServerEvent::Close(reply) => {
                    seen.push(Seen::Close(reply.to_string()));
                    break;
                }
                ServerEvent::TlsHandoff(discarded) => {
                    assert_eq!(discarded.len(), used);
                    seen.push(Seen::Tls);
                    break;
                }
                ServerEvent::Closed => {
                    seen.push(Seen::Closed);
                    break;
                }
                ServerEvent::ReplyOwed => panic!("ReplyOwed: every event was answered"),
                other => panic!("{other:?}"),
            }
            consumed = end;
        }
        if matches!(seen.last(), Some(Seen::Close(_) | Seen::Tls | Seen::Closed)) {
            break;
        }
    }
    // No command or AUTH response was read from inside a body.
    if let Some((start, _, stop)) = &content {
        bodies.push((*start, stop.unwrap_or(usize::MAX)));
    }
    for end in command_ends {
        for &(start, stop) in &bodies {
            assert!(
                end <= start || end > stop,
                "a command ending at {end} inside the body {start}..{stop}"
            );
        }
    }
    seen
}

/// The bytes before a chunk at `start` end with its `BDAT size [LAST]`
/// line (which need not start a line: a chunk may end mid-line, and the
/// next BDAT follows at once).
fn check_bdat_line(stream: &[u8], start: usize, size: u64, last: bool) {
    let config = CommandConfig::new();
    for from in (start.saturating_sub(1024)..start.saturating_sub(1)).rev() {
        let line = &stream[from..start];
        if let Ok(Status::Complete((Command::Bdat { size: s, last: l }, used))) = config.parse(line)
            && used == line.len()
        {
            assert_eq!((s, l), (size, last), "{line:?}");
            return;
        }
    }
    panic!(
        "a chunk not after its BDAT line: {:?}",
        &stream[start.saturating_sub(40)..start]
    );
}

/// `session_stream`: a `ServerSession` over arbitrary client bytes, with a
/// configurable accept-all policy. Whatever the reads: the same events and
/// replies as byte by byte (up to a `554 5.5.0` synchronisation close, which
/// only input arriving together can cause, or the STARTTLS hand-off); never
/// more consumed than given; DATA and BDAT bodies where the RFCs put them,
/// and no command read from inside one.
pub fn session_stream(input: &SessionInput<'_>) {
    let reference = run_server_session(input, Cuts::Bytes);
    assert!(
        !reference
            .iter()
            .any(|s| matches!(s, Seen::Close(r) if r == SYNC_CLOSE)),
        "byte by byte, no input ever arrives early"
    );
    for cuts in [Cuts::Points(&[]), Cuts::Points(&input.splits)] {
        let run = run_server_session(input, cuts);
        match run
            .iter()
            .position(|s| matches!(s, Seen::Close(r) if r == SYNC_CLOSE))
        {
            Some(at) => {
                assert_eq!(at + 1, run.len());
                assert_eq!(run[..at], reference[..at.min(reference.len())]);
            }
            None => assert_eq!(run, reference),
        }
    }
}

// ---------------------------------------------------------------------------
// client_session: ClientSession against arbitrary replies and operations
// ---------------------------------------------------------------------------

/// Structured input for `client_session`.
#[derive(Debug, Arbitrary)]
pub struct ClientInput<'a> {
    /// Bits: LMTP, no pipelining, no chunking, implicit TLS.
    config: u8,
    ops: Vec<ClientOp<'a>>,
}

/// One step: a client operation, server output, or a decode.
#[derive(Debug, Arbitrary)]
pub enum ClientOp<'a> {
    Ehlo(smtp_wire::address::Host<'a>),
    Helo(smtp_wire::address::Host<'a>),
    StartTls,
    Auth(smtp_wire::auth::Auth<'a>),
    AuthResponse(bool),
    Mail(
        smtp_wire::address::ReversePath<'a>,
        smtp_wire::param::MailParams<'a>,
    ),
    Rcpt(
        smtp_wire::address::ForwardPath<'a>,
        smtp_wire::param::RcptParams<'a>,
    ),
    Data,
    DataBody(&'a [u8]),
    Bdat(&'a [u8], bool),
    Rset,
    Quit,
    Other(Command<'a>),
    /// The server sends a well-formed reply.
    Reply(ServerReply<'a>),
    /// The server sends anything.
    Raw(&'a [u8]),
    /// Decode one event, trying first with the input cut at this point.
    Decode(u16),
}

/// A well-formed reply: a code from a list, continuation lines, and for a
/// 250 the capabilities of an EHLO reply.
#[derive(Debug, Arbitrary)]
pub struct ServerReply<'a> {
    code: u8,
    lines: u8,
    capabilities: u16,
    text: &'a [u8],
}

const CODES: &[u16] = &[
    220, 221, 235, 250, 250, 250, 251, 252, 334, 354, 421, 450, 451, 452, 454, 500, 501, 502, 503,
    504, 530, 535, 550, 552, 553, 554, 555,
];

const CAPABILITIES: &[&str] = &[
    "PIPELINING",
    "SIZE 1000",
    "8BITMIME",
    "CHUNKING",
    "BINARYMIME",
    "STARTTLS",
    "AUTH PLAIN LOGIN",
    "DSN",
    "SMTPUTF8",
    "ENHANCEDSTATUSCODES",
    "REQUIRETLS",
    "DELIVERBY",
    "FUTURERELEASE 604800 2012-10-01T10:00:00Z",
    "MT-PRIORITY",
    "MTRK",
    "SIZE",
];

impl ServerReply<'_> {
    fn bytes(&self) -> Vec<u8> {
        let code = CODES[usize::from(self.code) % CODES.len()];
        let text: String = self
            .text
            .iter()
            .take(60)
            .map(|&b| char::from(b' ' + b % 95))
            .collect();
        let mut out = Vec::new();
        if code == 250 && self.capabilities != 0 {
            out.extend_from_slice(b"250-mx.example\r\n");
            for (i, capability) in CAPABILITIES.iter().enumerate() {
                if self.capabilities & (1 << i) != 0 {
                    out.extend_from_slice(format!("250-{capability}\r\n").as_bytes());
                }
            }
            out.extend_from_slice(b"250 HELP\r\n");
            return out;
        }
        for _ in 0..self.lines % 3 {
            out.extend_from_slice(format!("{code}-{text}\r\n").as_bytes());
        }
        out.extend_from_slice(format!("{code} {text}\r\n").as_bytes());
        out
    }
}

/// What a reply answers, as the model computes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owed {
    One(smtp_wire::session::Answered),
    /// The end of an LMTP message: one reply per accepted recipient.
    Lmtp,
}

/// An independent model of the pairing: first in, first out; RCPT
/// positions counted from MAIL; after an LMTP message one reply per RCPT
/// accepted in its transaction (counted from the MAIL reply on, since
/// replies come in order).
#[derive(Debug, Default)]
struct PairingModel {
    owed: std::collections::VecDeque<Owed>,
    rcpts_sent: usize,
    accepted: usize,
    delivered: usize,
}

impl PairingModel {
    fn next(&mut self, code: u16) -> smtp_wire::session::Answered {
        use smtp_wire::session::Answered;
        let Some(&front) = self.owed.front() else {
            return Answered::Unsolicited;
        };
        let answered = match front {
            Owed::One(answered) => {
                self.owed.pop_front();
                answered
            }
            Owed::Lmtp => {
                let recipient = self.delivered;
                self.delivered += 1;
                if self.delivered >= self.accepted.max(1) {
                    self.owed.pop_front();
                }
                Answered::Message { recipient }
            }
        };
        match answered {
            Answered::Rcpt { .. } if code < 400 => self.accepted += 1,
            Answered::Mail => {
                self.accepted = 0;
                self.delivered = 0;
            }
            _ => {}
        }
        answered
    }
}

/// `client_session`: a `ClientSession` driven by arbitrary operations
/// against arbitrary server output. Every reply is paired with the oldest
/// command still owed a reply (an independent model says which, LMTP
/// deliveries included); the pending count is the model's and never
/// exceeds `MAX_PENDING`; a refused operation changes nothing; a reply
/// decodes the same from a cut buffer as from the whole one; the STARTTLS
/// hand-off comes only for a 220 to STARTTLS and discards the rest; once
/// closed, nothing more is decoded.
pub fn client_session(input: &ClientInput<'_>) {
    use smtp_wire::auth::{AuthResponse, Secret};
    use smtp_wire::command::{MailFrom, RcptTo};
    use smtp_wire::session::{Answered, ClientConfig, ClientError, ClientSession, MAX_PENDING};
    let bit = |n: u8| input.config & (1 << n) != 0;
    let lmtp = bit(0);
    let mut config = if lmtp {
        ClientConfig::lmtp()
    } else {
        ClientConfig::new()
    };
    config.pipelining(!bit(1)).chunking(!bit(2)).tls(bit(3));
    let mut client = ClientSession::new(config);
    let mut model = PairingModel::default();
    model.owed.push_back(Owed::One(Answered::Greeting));
    let mut server: Vec<u8> = Vec::new();
    let mut closed = false;
    let message = |lmtp: bool| {
        if lmtp {
            Owed::Lmtp
        } else {
            Owed::One(Answered::Message { recipient: 0 })
        }
    };
    for op in &input.ops {
        let before = client.pending();
        let result: Result<Owed, ClientError> = match op {
            ClientOp::Ehlo(host) => client.ehlo(*host).map(|_| Owed::One(Answered::Ehlo)),
            ClientOp::Helo(host) => client.helo(*host).map(|_| Owed::One(Answered::Helo)),
            ClientOp::StartTls => client.starttls().map(|_| Owed::One(Answered::StartTls)),
            ClientOp::Auth(auth) => client.auth(*auth).map(|_| Owed::One(Answered::Auth)),
            ClientOp::AuthResponse(cancel) => {
                let response = if *cancel {
                    AuthResponse::Cancel
                } else {
                    AuthResponse::Data(Secret::new("dGVzdA=="))
                };
                client
                    .auth_response(response)
                    .map(|_| Owed::One(Answered::Auth))
            }
            ClientOp::Mail(path, params) => {
                let mail = MailFrom {
                    path: *path,
                    params: *params,
                };
                client.mail(mail).map(|sent| {
                    // What is sent parses back (the adaptation keeps it valid).
                    let bytes = sent.encode_to_vec();
                    let permissive = permissive_commands();
                    assert!(
                        matches!(permissive.parse(&bytes), Ok(Status::Complete(_))),
                        "{bytes:?}"
                    );
                    Owed::One(Answered::Mail)
                })
            }
            ClientOp::Rcpt(path, params) => {
                let rcpt = RcptTo {
                    path: *path,
                    params: *params,
                };
                client.rcpt(rcpt).map(|_| {
                    Owed::One(Answered::Rcpt {
                        index: model.rcpts_sent,
                    })
                })
            }
            ClientOp::Data => client.data().map(|_| Owed::One(Answered::Data)),
            ClientOp::DataBody(content) => client.data_body(content).map(|body| {
                let wire = body.encode_to_vec();
                assert!(wire.ends_with(b"\r\n.\r\n") || wire == b".\r\n");
                message(lmtp)
            }),
            ClientOp::Bdat(chunk, last) => client.bdat(chunk, *last).map(|encoder| {
                let wire = encoder.encode_to_vec();
                assert_eq!(chunk_bytes(&wire), *chunk);
                if *last {
                    message(lmtp)
                } else {
                    Owed::One(Answered::Chunk)
                }
            }),
            ClientOp::Rset => client.rset().map(|_| Owed::One(Answered::Rset)),
            ClientOp::Quit => client.quit().map(|_| Owed::One(Answered::Quit)),
            // The commands with a method of their own go through it even
            // from `command` (its dispatch), and have their own ops here.
            ClientOp::Other(
                Command::Ehlo(_)
                | Command::Lhlo(_)
                | Command::Helo(_)
                | Command::Mail(_)
                | Command::Rcpt(_)
                | Command::Data
                | Command::Rset
                | Command::Quit
                | Command::StartTls
                | Command::Auth(_),
            ) => continue,
            ClientOp::Other(command) => {
                client.command(*command).map(|_| Owed::One(Answered::Other))
            }
            ClientOp::Reply(reply) => {
                server.extend_from_slice(&reply.bytes());
                continue;
            }
            ClientOp::Raw(bytes) => {
                server.extend_from_slice(bytes);
                continue;
            }
            ClientOp::Decode(cut) => {
                decode_one(
                    &mut client,
                    &mut model,
                    &mut server,
                    usize::from(*cut),
                    &mut closed,
                );
                assert_eq!(client.pending(), model.owed.len());
                continue;
            }
        };
        match result {
            Ok(owed) => {
                assert!(!closed, "a command accepted after the session closed");
                if let Owed::One(Answered::Mail) = owed {
                    model.rcpts_sent = 0;
                }
                if let Owed::One(Answered::Rcpt { .. }) = owed {
                    model.rcpts_sent += 1;
                }
                model.owed.push_back(owed);
                assert_eq!(client.pending(), before + 1);
            }
            Err(err) => {
                assert_eq!(client.pending(), before, "{err}");
                if err == ClientError::TooManyPending {
                    assert_eq!(before, MAX_PENDING);
                }
            }
        }
        assert!(client.pending() <= MAX_PENDING);
        assert_eq!(client.pending(), model.owed.len());
    }
    // Whatever is left decodes under the same rules.
    for _ in 0..64 {
        if !decode_one(
            &mut client,
            &mut model,
            &mut server,
            usize::MAX,
            &mut closed,
        ) {
            break;
        }
    }
}

/// The chunk of an encoded `BDAT n [LAST]\r\n` + chunk.
fn chunk_bytes(wire: &[u8]) -> &[u8] {
    let line = wire.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
    &wire[line..]
}

/// Decodes one event from the server's output (first from a cut buffer)
/// and checks it against the model. Returns whether it decoded anything.
fn decode_one(
    client: &mut smtp_wire::session::ClientSession,
    model: &mut PairingModel,
    server: &mut Vec<u8>,
    cut: usize,
    closed: &mut bool,
) -> bool {
    use smtp_wire::session::{Answered, ClientEvent};
    let cut = cut.min(server.len());
    // A cut buffer: more input needed (nothing used), or the same reply.
    let mut probe = client.clone();
    let (short, short_used) = probe.decode(&server[..cut]);
    let (event, used) = client.decode(server);
    assert!(used <= server.len());
    match short {
        None => assert_eq!(short_used, 0),
        Some(ClientEvent::Reply { .. }) if !*closed => {
            assert_eq!(
                (short, short_used),
                (event, used),
                "a cut buffer changed the reply"
            )
        }
        _ => {}
    }
    let Some(event) = event else {
        assert_eq!(used, 0);
        return false;
    };
    if *closed {
        assert_eq!(
            (event, used),
            (ClientEvent::Closed, 0),
            "decoded after Closed"
        );
        return false;
    }
    match event {
        ClientEvent::Reply { to, reply } => {
            let code = reply.code().get();
            assert_eq!(to, model.next(code), "reply {code} paired wrongly");
            if code == 421 || to == Answered::Quit {
                *closed = true;
            }
        }
        ClientEvent::TlsHandoff { reply, discarded } => {
            assert_eq!(reply.code().get(), 220);
            assert_eq!(
                model.next(220),
                Answered::StartTls,
                "hand-off without STARTTLS"
            );
            assert_eq!(used, server.len(), "the rest is discarded");
            if let Some(raw) = reply.raw() {
                assert_eq!(raw.len() + discarded.len(), used);
            }
            *model = PairingModel::default();
        }
        ClientEvent::Malformed(err) => {
            assert!(err.skip() <= server.len());
            *closed = true;
        }
        ClientEvent::Closed => {
            assert_eq!(used, 0);
            *closed = true;
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(client.is_closed(), *closed);
    server.drain(..used);
    true
}
