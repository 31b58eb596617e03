//! The block decoder against the per-line oracle.
extern crate std;
use std::{vec, vec::Vec};

use super::*;
use memchr::memchr;

/// What a caller loop makes of `reads`: the body, the end (or error), and
/// the bytes left for the command parser.
fn run(config: DataConfig, reads: &[&[u8]]) -> (Vec<u8>, Result<DataEnd, Error>, Vec<u8>) {
    let mut decoder = config.decoder();
    let mut buf = Vec::new();
    let mut body = Vec::new();
    for (index, read) in reads.iter().enumerate() {
        buf.extend_from_slice(read);
        let later = || reads[index + 1..].concat();
        loop {
            match decoder.decode(&buf) {
                Ok(Status::Complete((DataEvent::Payload(data), n))) => {
                    assert!(!data.is_empty());
                    assert!((data.len()..=data.len() + 2).contains(&n));
                    body.extend_from_slice(data);
                    buf.drain(..n);
                }
                Ok(Status::Complete((DataEvent::End(end), n))) => {
                    assert_eq!(end.size(), body.len() as u64);
                    buf.drain(..n);
                    buf.extend_from_slice(&later());
                    return (body, Ok(end), buf);
                }
                Ok(Status::Partial) => {
                    assert!(buf.len() <= 2, "kept {buf:?}");
                    break;
                }
                Err(err) => {
                    buf.drain(..err.skip());
                    buf.extend_from_slice(&later());
                    return (body, Err(err), buf);
                }
            }
        }
    }
    panic!("no end in {reads:?}; body so far {body:?}");
}

/// RFC 5321 §4.5.2 line by line (PROTOCOL.md §9.1): returns the body and
/// the offset just past the terminator.
fn reference(stream: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut body = Vec::new();
    let mut pos = 0;
    loop {
        let rest = &stream[pos..];
        let crlf = rest.windows(2).position(|w| w == b"\r\n")?;
        let line = &rest[..crlf];
        pos += crlf + 2;
        if line == b"." {
            return Some((body, pos));
        }
        body.extend_from_slice(line.strip_prefix(b".").unwrap_or(line));
        body.extend_from_slice(b"\r\n");
    }
}

fn lenient() -> DataConfig {
    let mut config = DataConfig::new();
    config.all_policies(ContentPolicy::Accept);
    config
}

impl DataDecoder {
    /// The per-line algorithm this decoder had before the block fast path
    /// (one `memchr2` per line, `memchr` for NUL per payload), kept as the
    /// oracle: every result and every bit of state must match it.
    fn decode_naive<'a>(&mut self, buf: &'a [u8]) -> ParseResult<(DataEvent<'a>, usize)> {
        if self.done {
            return self.end(0);
        }
        let mut start = 0;
        if self.at_line_start {
            match buf {
                [] | [b'.'] | [b'.', b'\r'] => return Ok(Status::Partial),
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
        let (end, consumed, ends_line) = loop {
            let Some(found) = memchr2(b'\r', b'\n', buf.get(i..).unwrap_or_default()) else {
                break (buf.len(), buf.len(), false);
            };
            let at = i + found;
            if buf.get(at) == Some(&b'\n') {
                self.note(ErrorKind::BareLfInData);
                self.check_line(carried, at + 1 - line_start);
                carried = 0;
                line_start = at + 1;
                i = at + 1;
                continue;
            }
            match buf.get(at + 1) {
                None => break (at, at, false),
                Some(b'\n') => {
                    let next = at + 2;
                    self.check_line(carried, next - line_start);
                    carried = 0;
                    line_start = next;
                    match buf.get(next..).unwrap_or_default() {
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
        let payload = buf.get(start..end).unwrap_or_default();
        if payload.is_empty() {
            return Ok(Status::Partial);
        }
        self.at_line_start = ends_line;
        self.line_len = carried.saturating_add(end - line_start);
        self.check_line(0, self.line_len);
        if self.config.nul != ContentPolicy::Accept
            && !self.issues.nul
            && memchr(0, payload).is_some()
        {
            self.note(ErrorKind::NulInData);
        }
        if self.size.add(payload.len() as u64).is_err() {
            self.reject(ErrorKind::MessageTooLarge);
        }
        Ok(Status::Complete((DataEvent::Payload(payload), consumed)))
    }
}

/// A small deterministic generator (xorshift64*), so that the
/// differential tests need no dev-dependency and replay exactly.
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

/// Feeds `stream` to the fast decoder and to `decode_naive` in the same
/// reads (ending at `cuts`, then the rest), as a caller loop does, and
/// asserts that every call returns the same thing and leaves the same
/// state. Returns the number of calls.
fn differential(config: DataConfig, stream: &[u8], cuts: &[usize]) -> usize {
    let mut fast = config.decoder();
    let mut naive = config.decoder();
    let mut pos = 0;
    let mut calls = 0;
    for &cut in cuts.iter().chain([&stream.len()]) {
        let cut = cut.clamp(pos, stream.len());
        loop {
            let buf = &stream[pos..cut];
            let got = fast.decode(buf);
            let want = naive.decode_naive(buf);
            calls += 1;
            let context = || {
                let near = pos.saturating_sub(8)..(pos + 8).min(stream.len());
                std::format!(
                    "config {config:?} at {pos}..{cut}, near {:?}",
                    &stream[near]
                )
            };
            assert_eq!(got, want, "{}", context());
            if let Ok(Status::Complete((DataEvent::Payload(data), _))) = got {
                // Zero-copy: the very bytes of the buffer.
                let Ok(Status::Complete((DataEvent::Payload(expected), _))) = want else {
                    unreachable!()
                };
                assert!(core::ptr::eq(data, expected), "{}", context());
            }
            assert_eq!(fast.issues, naive.issues, "{}", context());
            assert_eq!(fast.rejection, naive.rejection, "{}", context());
            assert_eq!(fast.size, naive.size, "{}", context());
            assert_eq!(fast.at_line_start, naive.at_line_start, "{}", context());
            assert_eq!(fast.done, naive.done, "{}", context());
            // The line length matters until a long line was seen.
            if config.long_lines != ContentPolicy::Accept && !naive.issues.long_line {
                assert_eq!(fast.line_len, naive.line_len, "{}", context());
            }
            match got {
                Ok(Status::Complete((DataEvent::Payload(_), n))) => pos += n,
                Ok(Status::Partial) => break,
                Ok(Status::Complete((DataEvent::End(_), _))) => return calls,
                Err(err) => {
                    let _ = err.skip();
                    return calls;
                }
            }
        }
    }
    calls
}

/// Every policy combination, with a few line limits and size limits.
fn configs() -> Vec<DataConfig> {
    use ContentPolicy::{Accept, Note, Reject};
    let mut configs = Vec::new();
    for lf in [Reject, Note, Accept] {
        for cr in [Reject, Note, Accept] {
            for nul in [Reject, Note, Accept] {
                for long in [Reject, Note, Accept] {
                    let mut config = DataConfig::new();
                    config.bare_lf(lf).bare_cr(cr).nul(nul).long_lines(long);
                    configs.push(config);
                }
            }
        }
    }
    let mut extra = Vec::new();
    for (index, base) in configs.iter().enumerate() {
        let mut config = *base;
        config.max_line_len([0, 3, 63, 64, 65, 100, 127, 128, 129, 998, 999, 1001][index % 12]);
        if index % 3 == 0 {
            config.max_message_size(Some([0, 1, 100, 1000, 5000][index % 5]));
        }
        extra.push(config);
    }
    configs.extend(extra);
    configs
}

/// Random content built from pieces that matter to the decoder, placed
/// anywhere relative to the 64-byte blocks.
fn adversarial(rng: &mut Rng, len: usize) -> Vec<u8> {
    const PIECES: &[&[u8]] = &[
        b"\r\n",
        b"\r\n",
        b"\r\n",
        b"\r\n.",
        b"\r\n..",
        b"\r\n.\r\n",
        b"\n",
        b"\r",
        b"\x00",
        b".",
        b"\n.\n",
        b"\r.\r",
        b"\r\n.\r\r\n",
        b"\r\n\x00.\r\n",
        b"\r\n.\x00\r\n",
        b"\n.\r\n",
        b"\r\n.\n",
        b"\r\r\n",
        b"\r\n\r\n",
    ];
    let mut out = Vec::with_capacity(len + 16);
    while out.len() < len {
        match rng.below(10) {
            0..=2 => out.extend_from_slice(PIECES[rng.below(PIECES.len())]),
            3 => {
                // A run of text whose length lands near block and
                // line-limit edges.
                let run = [
                    1, 61, 62, 63, 64, 65, 126, 127, 128, 996, 997, 998, 999, 1000,
                ][rng.below(14)];
                out.extend((0..run).map(|k| b'a' + (k % 26) as u8));
            }
            _ => {
                let run = rng.below(90);
                out.extend((0..run).map(|k| b'a' + (k % 26) as u8));
                out.extend_from_slice(b"\r\n");
            }
        }
    }
    out
}

fn random_cuts(rng: &mut Rng, len: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = (0..rng.below(6)).map(|_| rng.below(len + 1)).collect();
    if rng.below(4) == 0 {
        // Cuts at and around block edges from the start.
        let base = 64 * rng.below(len / 64 + 1);
        cuts.extend([base.saturating_sub(1), base, base + 1, base + 2]);
    }
    cuts.sort_unstable();
    cuts
}

#[test]
fn fast_path_matches_the_per_line_algorithm() {
    let configs = configs();
    let mut rng = Rng(0x5eed_da7a_0000_0001);
    let mut calls = 0;
    for round in 0..1500 {
        let len = [40, 200, 700, 3000][round % 4];
        let mut stream = adversarial(&mut rng, len);
        if round % 5 != 0 {
            stream.extend_from_slice(b"\r\n.\r\nQUIT\r\n");
        }
        let cuts = random_cuts(&mut rng, stream.len());
        for config in configs.iter().skip(rng.below(7)).step_by(7) {
            calls += differential(*config, &stream, &cuts);
        }
    }
    assert!(calls > 10_000);
}

#[test]
fn fast_path_edges() {
    // Lines of 998..=1001 octets (with CRLF) starting at every offset of
    // a block; a dot, a CR, a NUL and the terminator at each block edge.
    let configs = configs();
    let mut streams: Vec<Vec<u8>> = Vec::new();
    for pad in 0..70 {
        for line in [997, 998, 999, 1000, 1001] {
            let mut stream = vec![b'p'; pad];
            stream.extend_from_slice(b"\r\n");
            stream.extend(core::iter::repeat_n(b'x', line - 2));
            stream.extend_from_slice(b"\r\n");
            stream.extend(core::iter::repeat_n(b'y', 3000));
            stream.extend_from_slice(b"\r\n.\r\n");
            streams.push(stream);
        }
        for special in [
            &b"\r\n."[..],
            b"\r\n..x",
            b"\r",
            b"\n",
            b"\x00",
            b"\r\n.\r\n",
            b"\r\n\r\n",
        ] {
            let mut stream: Vec<u8> = (0..200 + pad).map(|k| b'a' + (k % 26) as u8).collect();
            for edge in [63, 64, 65, 127, 128] {
                let mut with = stream.clone();
                with.splice(edge + pad..edge + pad, special.iter().copied());
                with.extend_from_slice(b"\r\n.\r\n");
                streams.push(with);
            }
            stream.extend_from_slice(b"\r\n.\r\n");
            streams.push(stream);
        }
    }
    let mut rng = Rng(7);
    for stream in &streams {
        for config in configs.iter().skip(rng.below(5)).step_by(5) {
            differential(*config, stream, &[]);
            let cut = rng.below(stream.len());
            differential(*config, stream, &[cut, cut + 1 + rng.below(200)]);
        }
    }
}

const CASES: &[&[u8]] = &[
    b".\r\n",
    b".\r\nQUIT\r\n",
    b"a\r\n.\r\n",
    b"..\r\n.\r\n",
    b".x\r\n..y\r\n...\r\n.\r\nNOOP\r\n",
    b"\r\n\r\n.\r\n",
    b"a\n.\nb\r\n.\r\n",
    b"a\n.\r\nb\r\n.\r\n",
    b"a\r.\rb\r\n.\r\n",
    b"a\r\n.\nb\r\n.\r\n",
    b"a\r\n.\r\rb\r\n.\r\n",
    b"a\r\n.\r\r\nb\r\n.\r\n",
    b"a\r\r\n.\r\r\nb\r\n.\r\n",
    b"a\r\n\x00.\r\nb\r\n.\r\n",
    b"a\r\n.\x00\r\nb\r\n.\r\n",
    b"\r\r\r\n\n\n\r\n.\r\n",
    b". \r\n.\r\n\r\n",
];

#[test]
fn every_split_agrees_with_reference() {
    for &case in CASES {
        let (want, end) = reference(case).unwrap();
        for a in 0..=case.len() {
            for b in a..=case.len() {
                let reads = [&case[..a], &case[a..b], &case[b..]];
                let (body, result, rest) = run(lenient(), &reads);
                assert_eq!(body, want, "{case:?} split {a},{b}");
                assert_eq!(result.unwrap().size(), want.len() as u64);
                assert_eq!(rest, &case[end..], "{case:?} split {a},{b}");
            }
        }
    }
}

#[test]
fn strict_reports_after_the_end() {
    let cases: &[(&[u8], ErrorKind)] = &[
        (b"a\nb\r\n.\r\nQUIT\r\n", ErrorKind::BareLfInData),
        (b"a\rb\r\n.\r\nQUIT\r\n", ErrorKind::BareCrInData),
        (b"a\x00b\r\n.\r\nQUIT\r\n", ErrorKind::NulInData),
        (b"a\r\n.\r\r\nb\r\n.\r\nQUIT\r\n", ErrorKind::BareCrInData),
    ];
    for &(case, kind) in cases {
        for a in 0..=case.len() {
            let (_, result, rest) = run(DataConfig::new(), &[&case[..a], &case[a..]]);
            assert_eq!(result.unwrap_err().kind(), kind, "{case:?} at {a}");
            assert_eq!(rest, b"QUIT\r\n");
        }
    }
}

#[test]
fn note_records_and_goes_on() {
    let mut config = DataConfig::new();
    config
        .bare_lf(ContentPolicy::Note)
        .bare_cr(ContentPolicy::Note)
        .nul(ContentPolicy::Note);
    let (body, end, _) = run(config, &[b"a\nb\rc\x00\r\n.\r\n"]);
    let issues = end.unwrap().issues();
    assert!(issues.bare_lf && issues.bare_cr && issues.nul && !issues.long_line);
    assert_eq!(body, b"a\nb\rc\x00\r\n");
}

#[test]
fn line_length_limit() {
    let mut ok = Vec::new();
    ok.extend_from_slice(&[b'x'; 998]);
    ok.extend_from_slice(b"\r\n..");
    ok.extend_from_slice(&[b'y'; 997]);
    ok.extend_from_slice(b"\r\n.\r\n");
    let mut long = Vec::new();
    long.extend_from_slice(&[b'x'; 999]);
    long.extend_from_slice(b"\r\n.\r\n");
    for split in [0, 1, 500, 998, 999, 1000, 1001, 1002] {
        let (_, result, _) = run(DataConfig::new(), &[&ok[..split], &ok[split..]]);
        assert!(result.is_ok(), "split {split}");
        let (body, result, _) = run(DataConfig::new(), &[&long[..split], &long[split..]]);
        assert_eq!(result.unwrap_err().kind(), ErrorKind::DataLineTooLong);
        assert_eq!(body.len(), 1001);
    }
    // Bare LF line ends count for the length when bare LF is let through.
    let mut unix = Vec::new();
    for _ in 0..20 {
        unix.extend_from_slice(&[b'z'; 100]);
        unix.push(b'\n');
    }
    unix.extend_from_slice(b"\r\n.\r\n");
    let mut config = DataConfig::new();
    config.bare_lf(ContentPolicy::Accept);
    assert!(run(config, &[&unix]).1.is_ok());
}

#[test]
fn size_limit() {
    let mut config = DataConfig::new();
    config.max_message_size(Some(4));
    assert_eq!(run(config, &[b"ab\r\n.\r\n"]).1.unwrap().size(), 4);
    let (_, result, rest) = run(config, &[b"abc\r\n.\r\nQUIT\r\n"]);
    assert_eq!(result.unwrap_err().kind(), ErrorKind::MessageTooLarge);
    assert_eq!(rest, b"QUIT\r\n");
}

#[test]
fn done_is_sticky() {
    let mut decoder = DataDecoder::new();
    assert!(matches!(
        decoder.decode(b".\r\nMAIL"),
        Ok(Status::Complete((DataEvent::End(_), 3)))
    ));
    assert!(matches!(
        decoder.decode(b"MAIL"),
        Ok(Status::Complete((DataEvent::End(_), 0)))
    ));
}

#[test]
fn partial_keeps_at_most_two_bytes() {
    let mut decoder = DataDecoder::new();
    assert_eq!(decoder.decode(b""), Ok(Status::Partial));
    assert_eq!(decoder.decode(b"\r"), Ok(Status::Partial));
    assert_eq!(decoder.decode(b"."), Ok(Status::Partial));
    assert_eq!(decoder.decode(b".\r"), Ok(Status::Partial));
    assert_eq!(
        decoder.decode(b"x\r"),
        Ok(Status::Complete((DataEvent::Payload(b"x"), 1)))
    );
    assert_eq!(decoder.decode(b"\r"), Ok(Status::Partial));
    assert_eq!(
        decoder.decode(b"\r\n"),
        Ok(Status::Complete((DataEvent::Payload(b"\r\n"), 2)))
    );
}
