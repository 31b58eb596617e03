//! The reply-stream parser (server to client, RFC 5321 §4.2): one whole,
//! possibly multi-line, reply from the front of a buffer.
//!
//! Each line is framed and checked in one forward pass, eight octets at a
//! time, when it is the common kind (printable ASCII and HT, CRLF); any other
//! line goes through [`frame_line`] (the same framer as commands) and exact
//! per-line checks, which name the error. Either way: three digits, a
//! separator, text. Nothing is allocated; the [`Reply`] borrows the bytes of
//! all its lines.

use crate::parse::line::{Framing, frame_line};
use crate::syntax::has_no_controls;
use crate::types::error::{Error, ErrorKind};
use crate::types::reply::scan;
use crate::types::reply::{Reply, ReplyCode};
use crate::types::status::{ParseResult, Status};

/// Runtime options for parsing replies (httparse-style setters).
///
/// The defaults are strict and follow RFC 5321: lines end with CRLF and are at
/// most 512 octets including it (§4.5.3.1.5), and all lines of a reply carry
/// the same code (§4.2.1). Replies are limited to 100 lines, far more than any
/// EHLO or HELP reply needs, so a hostile server cannot make a client buffer
/// without bound.
///
/// # Examples
///
/// ```
/// use smtp_wire::{ReplyConfig, Status};
///
/// let mut config = ReplyConfig::new();
/// config.allow_bare_lf(true).max_lines(10);
/// let Ok(Status::Complete((reply, used))) = config.parse(b"250 ok\n") else { panic!() };
/// assert_eq!((reply.code().get(), used), (250, 7));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReplyConfig {
    max_line_len: usize,
    max_lines: usize,
    allow_bare_lf: bool,
    allow_code_mismatch: bool,
    allow_multiline_challenge: bool,
}

impl Default for ReplyConfig {
    fn default() -> ReplyConfig {
        ReplyConfig::new()
    }
}

impl ReplyConfig {
    /// The strict defaults: 512-octet lines, 100 lines, CRLF only, one code.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::ReplyConfig::new(), Default::default());
    /// ```
    pub const fn new() -> ReplyConfig {
        ReplyConfig {
            max_line_len: crate::types::reply::MAX_REPLY_LINE_LEN,
            max_lines: 100,
            allow_bare_lf: false,
            allow_code_mismatch: false,
            allow_multiline_challenge: false,
        }
    }

    /// The longest line accepted, counting the code and the line terminator.
    /// RFC 5321 §4.5.3.1.5 sets 512. Like every line limit of this crate, a
    /// value below the shortest possible line (5 octets, `250` CRLF) is
    /// raised to it.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{ErrorKind, ReplyConfig};
    /// let mut config = ReplyConfig::new();
    /// config.max_line_len(8);
    /// let err = config.parse(b"250 too long\r\n").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::LineTooLong);
    /// ```
    pub fn max_line_len(&mut self, len: usize) -> &mut Self {
        self.max_line_len = len.max(5);
        self
    }

    /// The most lines one reply may have; a reply with more is
    /// [`ErrorKind::TooManyReplyLines`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{ErrorKind, ReplyConfig};
    /// let mut config = ReplyConfig::new();
    /// config.max_lines(2);
    /// let err = config.parse(b"250-a\r\n250-b\r\n250 c\r\n").unwrap_err();
    /// assert_eq!((err.kind(), err.skip()), (ErrorKind::TooManyReplyLines, 21));
    /// ```
    pub fn max_lines(&mut self, lines: usize) -> &mut Self {
        self.max_lines = lines.max(1);
        self
    }

    /// Accept a bare LF as a line end. RFC 5321 §2.3.8 allows only CRLF, but
    /// a client may choose to be liberal with broken servers.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{ErrorKind, ReplyConfig};
    /// let mut config = ReplyConfig::new();
    /// assert_eq!(config.parse(b"250 ok\n").unwrap_err().kind(), ErrorKind::BareLf);
    /// assert!(config.allow_bare_lf(true).parse(b"250 ok\n").is_ok());
    /// ```
    pub fn allow_bare_lf(&mut self, allow: bool) -> &mut Self {
        self.allow_bare_lf = allow;
        self
    }

    /// Accept a multi-line reply whose lines carry different codes, which
    /// RFC 5321 §4.2.1 forbids but some servers send. The reply then reports
    /// the last line's code and
    /// [`has_code_mismatch`](Reply::has_code_mismatch); by default such a
    /// reply is [`ErrorKind::ReplyCodeMismatch`], so that a client never
    /// silently picks one of the codes.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{ErrorKind, ReplyConfig};
    /// let mut config = ReplyConfig::new();
    /// let buf = b"250-a\r\n550 b\r\n";
    /// assert_eq!(config.parse(buf).unwrap_err().kind(), ErrorKind::ReplyCodeMismatch);
    /// assert!(config.allow_code_mismatch(true).parse(buf).is_ok());
    /// ```
    pub fn allow_code_mismatch(&mut self, allow: bool) -> &mut Self {
        self.allow_code_mismatch = allow;
        self
    }

    /// Accept a `334` reply of more than one line. RFC 4954 §4 makes the
    /// AUTH challenge one line, so by default such a reply is
    /// [`ErrorKind::MultilineChallenge`]: a client must not answer a
    /// challenge made of several lines, or a part of one.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{ErrorKind, ReplyConfig};
    /// let mut config = ReplyConfig::new();
    /// let buf = b"334-abc\r\n334 def\r\n";
    /// assert_eq!(config.parse(buf).unwrap_err().kind(), ErrorKind::MultilineChallenge);
    /// assert!(config.allow_multiline_challenge(true).parse(buf).is_ok());
    /// ```
    pub fn allow_multiline_challenge(&mut self, allow: bool) -> &mut Self {
        self.allow_multiline_challenge = allow;
        self
    }

    /// Parses one whole reply from the front of `buf`.
    ///
    /// Returns the reply and the bytes it used, through the CRLF of its last
    /// line. `250-` continues a reply; `250 ` or a bare `250` ends it. Input
    /// that ends before the last line does is `Ok(Status::Partial)` and
    /// consumes nothing.
    ///
    /// # Errors
    ///
    /// Every error's [`skip`](Error::skip) runs through the end of the
    /// offending line (earlier lines of the same reply included), so a client
    /// can discard it and go on; a line longer than the limit that has not
    /// ended yet sets [`needs_resync`](Error::needs_resync).
    ///
    /// * [`ErrorKind::InvalidReplyCode`]: the line does not start with a code
    ///   (first digit 2–5, second 0–5) followed by SP, `-` or the line end;
    ///   `2500 x` and `2506-x` are errors, never code 250.
    /// * [`ErrorKind::ReplyCodeMismatch`]: a line's code differs from the
    ///   first line's.
    /// * [`ErrorKind::InvalidReplyText`]: the text holds a control octet other
    ///   than HT, DEL, or invalid UTF-8.
    /// * [`ErrorKind::MultilineChallenge`]: a `334` of more than one line
    ///   (see [`allow_multiline_challenge`](ReplyConfig::allow_multiline_challenge)).
    /// * [`ErrorKind::TooManyReplyLines`], [`ErrorKind::LineTooLong`],
    ///   [`ErrorKind::BareLf`], [`ErrorKind::BareCr`], [`ErrorKind::Nul`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{ErrorKind, ReplyConfig, Status};
    ///
    /// let config = ReplyConfig::new();
    /// let buf = b"250-mx.example.org\r\n250 SIZE 1000\r\n";
    /// let Ok(Status::Complete((reply, used))) = config.parse(buf) else { panic!() };
    /// assert_eq!((reply.line_count(), used), (2, buf.len()));
    ///
    /// let buf = b"553-x\r\ndispatcher: local\r\n250 ok\r\n";
    /// let err = config.parse(buf).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidReplyCode);
    /// assert_eq!(&buf[err.skip()..], b"250 ok\r\n");
    /// ```
    pub fn parse<'a>(&self, buf: &'a [u8]) -> ParseResult<(Reply<'a>, usize)> {
        let found = match self.parse_clean(buf) {
            Some(found) => found,
            None => match self.parse_exact(buf)? {
                Status::Complete(found) => found,
                Status::Partial => return Ok(Status::Partial),
            },
        };
        // RFC 4954 §4: a challenge is one line.
        let (reply, used) = &found;
        if reply.code().get() == 334 && reply.line_count() > 1 && !self.allow_multiline_challenge {
            return Err(Error::new(ErrorKind::MultilineChallenge, *used));
        }
        Ok(Status::Complete(found))
    }

    /// The common reply, whole: every line carries the first line's code and
    /// a separator, printable ASCII and HT, and CRLF (or a bare LF when
    /// allowed), within the limits. `None` for anything else (an error, a
    /// partial reply, a bare code, a code mismatch, a control or non-ASCII
    /// octet), which [`parse_exact`](ReplyConfig::parse_exact) then judges
    /// from the start; a reply that passes here parses there to the same
    /// value, so this is only a shortcut.
    #[inline(always)]
    fn parse_clean<'a>(&self, buf: &'a [u8]) -> Option<(Reply<'a>, usize)> {
        // The first line's code and separator, as one little-endian word.
        let head = u32::from_le_bytes(*buf.first_chunk::<4>()?);
        let (digits, _, _) = split_line(buf.get(..4)?)?;
        let code = ReplyCode::from_digits(digits).ok()?;
        let more = head & 0x00ff_ffff | u32::from(b'-') << 24;
        let last = head & 0x00ff_ffff | u32::from(b' ') << 24;
        let mut start = 0usize;
        let mut first_end = 0usize;
        let mut lines = 0usize;
        loop {
            let head = u32::from_le_bytes(*buf.get(start..)?.first_chunk::<4>()?);
            let is_last = if head == more {
                false
            } else if head == last {
                true
            } else {
                return None;
            };
            lines += 1;
            if lines > self.max_lines {
                return None;
            }
            // The LF must come before `limit`.
            let limit = start.saturating_add(self.max_line_len);
            let mut at = start + 4;
            // Eight octets at a time; the octet that stops the scan is read
            // from the word itself, and so is the one after it but for the
            // last octet of the word. Octets past the end of `buf` read as
            // zero, which stops the scan as a control would: partial.
            let end = loop {
                let x = scan::load(buf, at);
                let special = scan::not_printable(x);
                if special == 0 {
                    at += 8;
                    if at >= limit {
                        return None;
                    }
                    continue;
                }
                let i = special.trailing_zeros() / 8;
                let p = at + i as usize;
                match (x >> (8 * i)) as u8 {
                    b'\r' => {
                        let next = if i < 7 {
                            (x >> (8 * (i + 1))) as u8
                        } else {
                            *buf.get(p + 1)?
                        };
                        if next != b'\n' {
                            return None;
                        }
                        break p + 2;
                    }
                    b'\t' => at = p + 1,
                    b'\n' if self.allow_bare_lf => break p + 1,
                    _ => return None,
                }
            };
            if end > limit || end > buf.len() {
                return None;
            }
            start = end;
            if first_end == 0 {
                first_end = end;
            }
            if is_last {
                let raw = buf.get(..start)?;
                return Some((Reply::from_wire(code, raw, first_end, lines, false), start));
            }
        }
    }

    /// The exact parser, line by line, in the order the errors are
    /// documented. Kept out of line so that the clean path has the
    /// registers to itself.
    #[inline(never)]
    fn parse_exact<'a>(&self, buf: &'a [u8]) -> ParseResult<(Reply<'a>, usize)> {
        let framing = Framing {
            max_len: self.max_line_len,
            too_long: ErrorKind::LineTooLong,
            allow_bare_lf: self.allow_bare_lf,
        };
        let mut pos = 0usize;
        let mut first_end = 0usize;
        let mut lines = 0usize;
        // The first line's code digits, packed; every line is compared with it.
        let mut first: Option<u32> = None;
        let mut mismatch = false;
        loop {
            // One forward pass frames the line and proves its text clean
            // (printable ASCII and HT) in the common case; anything else
            // (a control, a non-ASCII octet, no line end yet, a bad line
            // end, a line too long) takes the exact path below, which names
            // the error or asks for more input.
            let (content, end, clean) =
                match fast_line(buf, pos, self.max_line_len, self.allow_bare_lf) {
                    Some((content_end, end)) => {
                        (buf.get(pos..content_end).unwrap_or_default(), end, true)
                    }
                    None => {
                        let rest = buf.get(pos..).unwrap_or_default();
                        match frame_line(rest, framing) {
                            Ok(Status::Complete(line)) => {
                                (line.content, pos.saturating_add(line.consumed), false)
                            }
                            Ok(Status::Partial) => return Ok(Status::Partial),
                            Err(err) => return Err(err.offset_by(pos)),
                        }
                    }
                };
            let fail = |kind| Err(Error::new(kind, end));
            lines += 1;
            if lines > self.max_lines {
                return fail(ErrorKind::TooManyReplyLines);
            }
            let Some((digits, is_last, text)) = split_line(content) else {
                return fail(ErrorKind::InvalidReplyCode);
            };
            // Controls per line; UTF-8 per line only when the line is not
            // ASCII, so that a bad line is named by its own skip.
            if !clean
                && (!has_no_controls(text)
                    || (!text.is_ascii() && core::str::from_utf8(text).is_err()))
            {
                return fail(ErrorKind::InvalidReplyText);
            }
            let key = u32::from_le_bytes([digits[0], digits[1], digits[2], 0]);
            match first {
                None => first = Some(key),
                Some(first) if first == key => {}
                Some(_) if self.allow_code_mismatch => mismatch = true,
                Some(_) => return fail(ErrorKind::ReplyCodeMismatch),
            }
            pos = end;
            if first_end == 0 {
                first_end = end;
            }
            if is_last {
                // `split_line` checked the digits; stay panic-free anyway.
                let Ok(code) = ReplyCode::from_digits(digits) else {
                    return fail(ErrorKind::InvalidReplyCode);
                };
                let raw = buf.get(..pos).unwrap_or_default();
                return Ok(Status::Complete((
                    Reply::from_wire(code, raw, first_end, lines, mismatch),
                    pos,
                )));
            }
        }
    }
}

/// Frames the line at `buf[start..]` when it is the common kind: printable
/// ASCII and HT, ending in CRLF (or a bare LF when allowed) within `max_len`
/// octets. Returns where its content ends and where the next line starts;
/// `None` for anything else, which the exact path then judges.
#[inline(always)]
fn fast_line(
    buf: &[u8],
    start: usize,
    max_len: usize,
    allow_bare_lf: bool,
) -> Option<(usize, usize)> {
    let window = buf.len().min(start.saturating_add(max_len));
    let mut at = start;
    loop {
        at = scan::first_not_printable(buf, at, window);
        if at >= window {
            return None;
        }
        match buf.get(at)? {
            b'\t' => at += 1,
            b'\r' if at + 1 < window && buf.get(at + 1) == Some(&b'\n') => {
                return Some((at, at + 2));
            }
            b'\n' if allow_bare_lf => return Some((at, at + 1)),
            _ => return None,
        }
    }
}

impl<'a> Reply<'a> {
    /// Parses one whole reply from the front of `buf` with the default
    /// [`ReplyConfig`](crate::ReplyConfig): lines of at most 512 octets ending
    /// in CRLF, at most 100 lines, every line with the same code.
    ///
    /// Returns the reply and the bytes it used, final CRLF included; pipelined
    /// replies that follow are left alone. Input that ends before the last
    /// line does is `Ok(Status::Partial)`.
    ///
    /// # Errors
    ///
    /// See [`ReplyConfig::parse`](crate::ReplyConfig::parse).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{ErrorKind, Reply, Status};
    ///
    /// let buf = b"250 ok\r\n250 ok\r\n";
    /// let Ok(Status::Complete((_, used))) = Reply::parse(buf) else { panic!() };
    /// assert_eq!(used, 8); // two pipelined replies, not one
    /// assert_eq!(Reply::parse(b"250-first\r\n250 se"), Ok(Status::Partial));
    /// let err = Reply::parse(b"2500 text\r\n").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidReplyCode);
    /// ```
    pub fn parse(buf: &'a [u8]) -> ParseResult<(Reply<'a>, usize)> {
        const DEFAULT: ReplyConfig = ReplyConfig::new();
        DEFAULT.parse(buf)
    }
}

/// Splits a framed line into its code digits (checked: `Reply-code =
/// %x32-35 %x30-35 %x30-39`), whether it is the last line, and its text
/// (after the separator).
#[inline(always)]
fn split_line(content: &[u8]) -> Option<([u8; 3], bool, &[u8])> {
    let (digits, rest) = content.split_first_chunk::<3>()?;
    let [a, b, c] = *digits;
    let valid = a.wrapping_sub(b'2') < 4 && b.wrapping_sub(b'0') < 6 && c.wrapping_sub(b'0') < 10;
    if !valid {
        return None;
    }
    match rest.split_first() {
        None => Some((*digits, true, rest)),
        Some((b' ', text)) => Some((*digits, true, text)),
        Some((b'-', text)) => Some((*digits, false, text)),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::Encode;
    use crate::types::reply::EnhancedStatusCode;

    /// What a KAT input should parse to: consumed bytes, code, line count and
    /// each line's text.
    struct Expected<'e> {
        used: usize,
        code: u16,
        texts: &'e [&'e str],
    }

    /// Parses, compares, encodes, re-parses, and checks every strict prefix.
    fn kat(config: &ReplyConfig, input: &[u8], expected: &Expected<'_>) {
        let Ok(Status::Complete((reply, used))) = config.parse(input) else {
            panic!("{:?} did not parse: {:?}", input, config.parse(input));
        };
        assert_eq!(used, expected.used, "{input:?}");
        assert_eq!(reply.code().get(), expected.code, "{input:?}");
        assert_eq!(reply.line_count(), expected.texts.len(), "{input:?}");
        let texts = reply.lines().map(|l| l.text());
        assert!(texts.eq(expected.texts.iter().copied()), "{input:?}");
        assert_eq!(reply.raw(), Some(&input[..used]));
        for cut in 0..used {
            assert_eq!(
                config.parse(&input[..cut]),
                Ok(Status::Partial),
                "{input:?} at {cut}"
            );
        }
        // Encode and parse again: equal, and the encoding is canonical.
        let mut out = [0u8; 4096];
        let n = reply.encode(&mut out).unwrap();
        assert_eq!(n, reply.encoded_len());
        let Ok(Status::Complete((again, again_used))) = config.parse(&out[..n]) else {
            panic!("re-parse of {:?}", &out[..n]);
        };
        assert_eq!(again, reply);
        assert_eq!(again_used, n);
        assert_eq!(again.encoded_len(), n);
        // A built reply with the same texts is equal too (when codes agree).
        if !reply.has_code_mismatch() {
            let built = Reply::new(reply.code(), expected.texts).unwrap();
            assert_eq!(built, reply);
        }
    }

    fn kat_all(config: &ReplyConfig, cases: &[(&[u8], Expected<'_>)]) {
        for (input, expected) in cases {
            kat(config, input, expected);
        }
    }

    #[test]
    fn text_rules() {
        assert!(has_no_controls(b"ok\tfine ~"));
        assert!(!has_no_controls(b"a\x7fb"));
        assert!(!has_no_controls(b"a\x1bb"));
        // Through the parser, which also checks UTF-8.
        let parse = |text: &[u8]| {
            let mut buf = [0u8; 64];
            let len = 4 + text.len() + 2;
            buf[..4].copy_from_slice(b"250 ");
            buf[4..len - 2].copy_from_slice(text);
            buf[len - 2..len].copy_from_slice(b"\r\n");
            matches!(Reply::parse(&buf[..len]), Ok(crate::Status::Complete(_)))
        };
        assert!(parse(b"ok\tfine ~"));
        assert!(parse("grüße".as_bytes()));
        assert!(!parse(b"a\x7fb"));
        assert!(!parse(b"a\xc0\xafb"));
        assert!(!parse(b"\xed\xa0\x80"));
    }

    #[test]
    fn known_answers() {
        let e = |used, code, texts| Expected { used, code, texts };
        kat_all(
            &ReplyConfig::new(),
            &[
                (b"250 ok\r\n", e(8, 250, &["ok"])),
                (b"250 ok\r\n250 ok\r\n", e(8, 250, &["ok"])),
                (b"250\r\n", e(5, 250, &[""])),
                (b"250 \r\n", e(6, 250, &[""])),
                (b"334 \r\n", e(6, 334, &[""])),
                (b"250-\r\n250\r\n", e(11, 250, &["", ""])),
                (b"354 Start mail input; end with <CRLF>.<CRLF>\r\n", e(46, 354, &["Start mail input; end with <CRLF>.<CRLF>"])),
                (
                    b"250-mx.example.org Hello\r\n250-SIZE 1000\r\n250 PIPELINING\r\nNOOP",
                    e(57, 250, &["mx.example.org Hello", "SIZE 1000", "PIPELINING"]),
                ),
                (b"553-x\r\n553\r\n", e(12, 553, &["x", ""])),
                (b"250 tab\there  \r\n", e(16, 250, &["tab\there  "])),
                ("251 User not local; will forward to <jörg@exämple.org>\r\n".as_bytes(), e(58, 251, &["User not local; will forward to <jörg@exämple.org>"])),
                (b"503-All RCPT commands were rejected with this error:\r\n503-relay not permitted\r\n503 Valid RCPT command must precede DATA\r\n", e(121, 503, &["All RCPT commands were rejected with this error:", "relay not permitted", "Valid RCPT command must precede DATA"])),
                (b"559 x\r\n", e(7, 559, &["x"])),
                (b"200-2.0.0\r\n200 2.0.0 \r\n", e(23, 200, &["2.0.0", "2.0.0 "])),
            ],
        );
        let mut lenient = ReplyConfig::new();
        lenient.allow_bare_lf(true).allow_code_mismatch(true);
        kat_all(
            &lenient,
            &[
                (b"250 ok\n", e(7, 250, &["ok"])),
                (b"250-a\n250 b\r\n", e(13, 250, &["a", "b"])),
                (b"250-a\r\n251 b\r\n", e(14, 251, &["a", "b"])),
            ],
        );
    }

    #[test]
    fn errors_and_skips() {
        let config = ReplyConfig::new();
        let cases: &[(&[u8], ErrorKind, usize)] = &[
            (b"2500 text\r\n250 ok\r\n", ErrorKind::InvalidReplyCode, 11),
            (b"2506-me\r\n", ErrorKind::InvalidReplyCode, 9),
            (b"25\r\n", ErrorKind::InvalidReplyCode, 4),
            (b"\r\n", ErrorKind::InvalidReplyCode, 2),
            (b"150 x\r\n", ErrorKind::InvalidReplyCode, 7),
            (b"260 x\r\n", ErrorKind::InvalidReplyCode, 7),
            (b"600 x\r\n", ErrorKind::InvalidReplyCode, 7),
            (b"599 x\r\n", ErrorKind::InvalidReplyCode, 7),
            (b"25a x\r\n", ErrorKind::InvalidReplyCode, 7),
            (b"250_x\r\n", ErrorKind::InvalidReplyCode, 7),
            (b"250\tx\r\n", ErrorKind::InvalidReplyCode, 7),
            (b"250-a\r\n251 b\r\n", ErrorKind::ReplyCodeMismatch, 14),
            (
                b"250-a\r\n550-b\r\n550 c\r\n",
                ErrorKind::ReplyCodeMismatch,
                14,
            ),
            (b"250 ok\n", ErrorKind::BareLf, 7),
            (b"250-a\r\n250 ok\n", ErrorKind::BareLf, 14),
            (b"250 o\rk\r\n", ErrorKind::BareCr, 9),
            (b"250 o\0k\r\n", ErrorKind::Nul, 9),
            (b"250 o\x1bk\r\n", ErrorKind::InvalidReplyText, 9),
            (b"250 o\x7fk\r\n", ErrorKind::InvalidReplyText, 9),
            (b"250 \xff\r\n", ErrorKind::InvalidReplyText, 7),
            (b"250 \xc3\r\n", ErrorKind::InvalidReplyText, 7),
            (
                b"553-x\r\n553\r\ndispatcher: local_mail\r\n",
                ErrorKind::InvalidReplyCode,
                0,
            ),
        ];
        for &(input, kind, skip) in cases {
            if skip == 0 {
                // The CVE-2020-8794 shape: the reply ends at the bare code and
                // the next line is not a reply.
                let Ok(Status::Complete((_, used))) = config.parse(input) else {
                    panic!()
                };
                assert_eq!(used, 12);
                let err = config.parse(&input[used..]).unwrap_err();
                assert_eq!(err.kind(), kind);
                continue;
            }
            let err = config.parse(input).unwrap_err();
            assert_eq!((err.kind(), err.skip()), (kind, skip), "{input:?}");
            assert!(!err.needs_resync());
        }
        let long = [b'5'; 600];
        let err = config.parse(&long).unwrap_err();
        assert_eq!(
            (err.kind(), err.needs_resync()),
            (ErrorKind::LineTooLong, true)
        );
        // An over-long second line: skip counts from the start of the buffer.
        let mut buf = [b'x'; 700];
        buf[..7].copy_from_slice(b"250-a\r\n");
        buf[698..].copy_from_slice(b"\r\n");
        let err = config.parse(&buf).unwrap_err();
        assert_eq!((err.kind(), err.skip()), (ErrorKind::LineTooLong, 700));
    }

    #[test]
    fn line_limits() {
        let mut config = ReplyConfig::new();
        // 510 octets + CRLF = 512 is the longest line.
        let mut max = [b'a'; 512];
        max[..4].copy_from_slice(b"250 ");
        max[510..].copy_from_slice(b"\r\n");
        assert!(config.parse(&max).unwrap().is_complete());
        let mut over = [b'a'; 513];
        over[..4].copy_from_slice(b"250 ");
        over[511..].copy_from_slice(b"\r\n");
        assert_eq!(
            config.parse(&over).unwrap_err().kind(),
            ErrorKind::LineTooLong
        );
        assert!(
            config
                .max_line_len(1000)
                .parse(&over)
                .unwrap()
                .is_complete()
        );
        config.max_lines(3);
        assert!(
            config
                .parse(b"250-a\r\n250-b\r\n250 c\r\n")
                .unwrap()
                .is_complete()
        );
        assert_eq!(
            config
                .parse(b"250-a\r\n250-b\r\n250-c\r\n250 d\r\n")
                .unwrap_err()
                .kind(),
            ErrorKind::TooManyReplyLines
        );
    }

    #[test]
    fn enhanced_per_line() {
        let buf = b"550-5.1.1 first\r\n550-5.1.1\r\n550-2.0.0 not mine\r\n550 5.1.10 last\r\n";
        let Ok(Status::Complete((reply, _))) = Reply::parse(buf) else {
            panic!()
        };
        let esc = |c, s, d| EnhancedStatusCode::new(c, s, d).ok();
        let got = reply.lines().map(|l| (l.enhanced(), l.message()));
        assert!(got.eq([
            (esc(5, 1, 1), "first"),
            (esc(5, 1, 1), ""),
            (None, "2.0.0 not mine"),
            (esc(5, 1, 10), "last"),
        ]));
        assert_eq!(reply.enhanced_code(), esc(5, 1, 1));
    }

    #[test]
    #[cfg(feature = "alloc")]
    fn built_and_parsed_agree() {
        let code = ReplyCode::OK;
        let esc = EnhancedStatusCode::DESTINATION_VALID;
        let built = Reply::with_enhanced(code, esc, &["Ok", "", " spaced"]).unwrap();
        let wire = built.encode_to_vec();
        assert_eq!(wire, b"250-2.1.5 Ok\r\n250-2.1.5\r\n250 2.1.5  spaced\r\n");
        let Ok(Status::Complete((parsed, used))) = Reply::parse(&wire) else {
            panic!()
        };
        assert_eq!(used, wire.len());
        assert_eq!(parsed, built);
        let other = Reply::new(code, &["2.1.5 Ok", "2.1.5", "2.1.5  spaced"]).unwrap();
        assert_eq!(other, built);
        let different = Reply::new(code, &["2.1.5 Ok", "2.1.5", "2.1.5 spaced"]).unwrap();
        assert_ne!(different, built);
        assert!(Reply::with_enhanced(ReplyCode::AUTH_CHALLENGE, esc, &["x"]).is_err());
    }

    #[test]
    #[cfg(feature = "alloc")]
    fn long_built_reply_round_trips() {
        let code = ReplyCode::MAILBOX_UNAVAILABLE;
        let esc = EnhancedStatusCode::new(5, 999, 999).unwrap();
        let text = "x".repeat(2000);
        let lines = [text.as_str(), "short"];
        let built = Reply::with_enhanced(code, esc, &lines).unwrap();
        assert_eq!(built.line_count(), 6);
        let wire = built.encode_to_vec();
        let Ok(Status::Complete((parsed, used))) = Reply::parse(&wire) else {
            panic!()
        };
        assert_eq!((parsed, used), (built, wire.len()));
    }
}
