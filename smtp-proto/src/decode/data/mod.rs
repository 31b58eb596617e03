//! [`DataDecoder`]: DATA content, dot-unstuffed, ended only by `<CRLF>.<CRLF>`.

use memchr::{memchr2, memchr3, memrchr};

mod config;
mod scan;
#[cfg(test)]
mod tests;

pub use self::config::{ContentIssues, ContentPolicy, DataConfig, DataEnd, DataEvent};

use crate::decode::MessageSize;
use crate::types::error::{Error, ErrorKind};
use crate::types::status::{ParseResult, Status};

/// Decodes DATA content (RFC 5321 §4.1.1.4, §4.5.2): removes dot-stuffing and
/// finds the end of data, zero-copy and without allocating.
///
/// Create one when the server has sent `354` for a `DATA` command. The CRLF of
/// the `DATA` line counts as the first half of the terminator, so the decoder
/// starts at the start of a line: `.\r\n` alone is an empty message, and a
/// first line starting with a dot is unstuffed.
///
/// # The loop
///
/// Call [`decode`](DataDecoder::decode) on the unconsumed bytes until it
/// returns `End`, `Partial` (read more and call again with the unconsumed bytes
/// plus the new ones) or an error. Each `Complete` result says how many bytes
/// it consumed. `Partial` consumes nothing and happens only when the bytes
/// left are nothing, a lone `\r`, or `.` or `.\r` at the start of a line, so
/// the caller never keeps more than two bytes between reads. (A CRLF is always
/// content, even the one before the terminating dot, which belongs to the last
/// line (RFC 5321 §4.5.2): it is returned at once, and the decoder remembers
/// that it stands at the start of a line.)
///
/// ```
/// use smtp_wire::{DataDecoder, Status};
/// use smtp_wire::body::DataEvent;
///
/// let reads: [&[u8]; 3] = [b"Subject: hi\r\n\r\n..dot", b"\r\n.", b"\r\nQUIT\r\n"];
/// let mut decoder = DataDecoder::new();
/// let mut buf = Vec::new();
/// let mut body = Vec::new();
/// 'reading: for read in reads {
///     buf.extend_from_slice(read);
///     loop {
///         match decoder.decode(&buf) {
///             Ok(Status::Complete((DataEvent::Payload(data), n))) => {
///                 body.extend_from_slice(data);
///                 buf.drain(..n);
///             }
///             Ok(Status::Complete((DataEvent::End(end), n))) => {
///                 assert_eq!(end.size(), body.len() as u64);
///                 buf.drain(..n);
///                 break 'reading;
///             }
///             Ok(Status::Partial) => continue 'reading,
///             Err(err) => panic!("reply {}", err.reply()),
///         }
///     }
/// }
/// assert_eq!(body, b"Subject: hi\r\n\r\n.dot\r\n");
/// assert_eq!(buf, b"QUIT\r\n"); // left for the command parser
/// ```
///
/// # Smuggling
///
/// The end of data is only `<CRLF>.<CRLF>`, and a dot is only unstuffed after
/// a real CRLF. `\n.\n`, `\n.\r\n`, `\r.\r`, `\r\n.\r\r\n`, `\r\n\x00.\r\n` and
/// every other fake terminator (SEC Consult, 2023) is content, whatever the
/// [`DataConfig`].
///
/// # Errors after the end
///
/// Bare LF, bare CR, NUL, an over-long line or an oversized message under a
/// [`ContentPolicy::Reject`] policy do not stop decoding: the decoder goes on
/// to the real end of data, so that the session stays in sync, and only then
/// returns the error (one problem, by a fixed precedence) instead of `End`. The
/// error's [`skip`](Error::skip) is the bytes of that final call (through the
/// terminator); everything before was consumed by `Payload` events. Discard the
/// payload, skip, and send the error's reply (`550 5.5.2 …`, `552 5.3.4 …`).
/// [`rejection`](DataDecoder::rejection) tells early that this will happen, so a
/// caller can stop storing payload.
///
/// ```
/// use smtp_wire::{DataDecoder, ErrorKind, Status};
/// use smtp_wire::body::DataEvent;
///
/// let mut decoder = DataDecoder::new();
/// let buf = b"bare\nLF\r\n.\r\nQUIT\r\n";
/// let Ok(Status::Complete((DataEvent::Payload(_), n))) = decoder.decode(buf) else { panic!() };
/// assert_eq!(decoder.rejection(), Some(ErrorKind::BareLfInData));
/// let err = decoder.decode(&buf[n..]).unwrap_err();
/// assert_eq!(err.reply().to_string(), "550 5.5.2 Bare LF in message content; lines must end with CRLF");
/// assert_eq!(&buf[n + err.skip()..], b"QUIT\r\n");
/// ```
///
/// # Performance
///
/// Nothing is copied or allocated, and there is no per-byte state machine.
/// The input is classified 64 bytes at a time: a block in which no LF is
/// followed by `.` and, while they can still be reported, every LF follows a
/// CR, every CR precedes an LF and there is no NUL, is skipped whole. The classification is
/// plain safe Rust written as branch-free reductions, which the compiler
/// vectorises (SSE2 on the baseline x86_64 target). Line lengths are checked
/// without finding every line end: blocks are skipped only while the current
/// line, going by a known lower bound of its start, cannot exceed the limit,
/// and only when that bound runs out is the last LF located (`memrchr`). The
/// rest goes through exact per-line steps (`memchr2` for CR and LF, `memchr3`
/// with NUL while it can be reported): the first line of each call, blocks
/// that need attention, lines that may be too long and the last bytes of the
/// buffer. A stuffed dot splits the payload into two slices, so
/// content with many dot lines costs one call per dot line.
///
/// When every policy is [`ContentPolicy::Accept`] and there is no size limit,
/// only `\n.` is searched for (`memmem`, whose SIMD prefilter matches on the
/// two bytes) and the CR before it checked, so the decoder stops only at dot
/// lines. `benches/` compares both paths with other decoders.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataDecoder {
    config: DataConfig,
    /// The consumed bytes end with a real CRLF (or nothing was consumed yet:
    /// the `DATA` line's CRLF), so a `.` next is a stuffed dot or the end.
    at_line_start: bool,
    done: bool,
    /// Octets of the current line consumed so far (for the length limit).
    line_len: usize,
    size: MessageSize,
    issues: ContentIssues,
    /// The problem to report at the end under a `Reject` policy (see `reject`).
    rejection: Option<ErrorKind>,
}

impl DataDecoder {
    /// A decoder with the strict default [`DataConfig`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataDecoder, Status};
    /// use smtp_wire::body::DataEvent;
    /// let mut decoder = DataDecoder::new();
    /// assert_eq!(decoder.decode(b"."), Ok(Status::Partial));
    /// ```
    pub const fn new() -> DataDecoder {
        DataDecoder::with_config(DataConfig::new())
    }

    /// A decoder with the given options.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataConfig, DataDecoder};
    /// use smtp_wire::body::ContentPolicy;
    /// let mut config = DataConfig::new();
    /// config.nul(ContentPolicy::Accept);
    /// let decoder = DataDecoder::with_config(config);
    /// assert_eq!(decoder.config(), &config);
    /// ```
    pub const fn with_config(config: DataConfig) -> DataDecoder {
        DataDecoder {
            config,
            at_line_start: true,
            done: false,
            line_len: 0,
            size: MessageSize::new(config.max_message_size),
            issues: ContentIssues {
                bare_lf: false,
                bare_cr: false,
                nul: false,
                long_line: false,
            },
            rejection: None,
        }
    }

    /// The options this decoder uses.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataConfig, DataDecoder};
    /// assert_eq!(DataDecoder::new().config(), &DataConfig::new());
    /// ```
    pub const fn config(&self) -> &DataConfig {
        &self.config
    }

    /// Decodes the next piece of content from the front of `buf`.
    ///
    /// Returns `Ok(Complete((event, consumed)))`, where `consumed` may exceed a
    /// payload's length by the stuffed dots around it, or `Ok(Partial)` when nothing can
    /// be decided without more bytes (nothing is consumed). After the end,
    /// further calls return the same outcome again with nothing consumed.
    ///
    /// # Errors
    ///
    /// Only at the end of data, instead of `End`, when content broke a
    /// [`ContentPolicy::Reject`] rule or the size limit; see the type's
    /// documentation.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataDecoder, Status};
    /// use smtp_wire::body::DataEvent;
    ///
    /// let mut decoder = DataDecoder::new();
    /// // A stuffed dot splits the payload; the dot is consumed, not returned.
    /// let buf = b"a\r\n..b\r\n.\r\n";
    /// assert_eq!(decoder.decode(buf), Ok(Status::Complete((DataEvent::Payload(b"a\r\n"), 4))));
    /// assert_eq!(decoder.decode(&buf[4..]), Ok(Status::Complete((DataEvent::Payload(b".b\r\n"), 4))));
    /// assert!(matches!(decoder.decode(&buf[8..]), Ok(Status::Complete((DataEvent::End(_), 3)))));
    /// ```
    pub fn decode<'a>(&mut self, buf: &'a [u8]) -> ParseResult<(DataEvent<'a>, usize)> {
        if self.done {
            return self.end(0);
        }
        let mut start = 0;
        if self.at_line_start {
            // RFC 5321 §4.5.2: a line that is exactly "." ends the data; any
            // other line starting with "." loses that dot. Which one it is
            // needs the two bytes after the dot.
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

        if self.config.accepts_everything() {
            return Ok(self.decode_accepting(buf, start));
        }

        let (end, consumed, ends_line) = self.scan(buf, start);
        let payload = buf.get(start..end).unwrap_or_default();
        if payload.is_empty() {
            // Only a lone CR: nothing has been noted or counted.
            return Ok(Status::Partial);
        }
        self.at_line_start = ends_line;
        // `scan` left the part of the current line seen so far in
        // `line_len` (zero after a line end or a stuffed dot).
        self.check_line(0, self.line_len);
        // Widening usize -> u64 is lossless on every supported target.
        if self.size.add(payload.len() as u64).is_err() {
            self.reject(ErrorKind::MessageTooLarge);
        }
        Ok(Status::Complete((DataEvent::Payload(payload), consumed)))
    }

    /// Finds the end of the payload that starts at `start`, noting what it
    /// holds: returns (end of payload, bytes consumed, consumed bytes end a
    /// line) and leaves the length of the unfinished line in `line_len`.
    ///
    /// Clean 64-byte blocks are skipped by [`scan::skip`]; everything else
    /// goes through the exact per-line steps of [`DataDecoder::step`]. The
    /// payload ends at the first CRLF followed by a `.` (a stuffed dot,
    /// consumed, or what may be the terminator, left) or at the end of `buf`,
    /// except for a final CR, which waits for the byte after it.
    fn scan(&mut self, buf: &[u8], start: usize) -> (usize, usize, bool) {
        let mut line = Line {
            start,
            carried: self.line_len,
        };
        let wanted = scan::Wanted {
            pairs: self.wants(ErrorKind::BareLfInData) || self.wants(ErrorKind::BareCrInData),
            nul: self.wants(ErrorKind::NulInData),
        };
        let track = self.wants(ErrorKind::DataLineTooLong);
        let max = self.config.max_line_len;
        let limit = |line: &Line| if track { line.limit(max) } else { usize::MAX };
        let mut i = start;
        let cut = 'scan: loop {
            // The exact steps run from `i` up to `until` (at least one step);
            // then blocks are tried again.
            let until = if i == 0 {
                // No byte before the first block: one exact step first.
                1
            } else {
                // Blocks are skipped only while they keep the current line
                // within the limit, going by its last known start.
                let (mut p, mut stop) = scan::skip(buf, i, limit(&line), wanted);
                // Lines have ended in the skipped blocks, as a rule: move the
                // start past the last LF and go on while that allows.
                while stop == scan::Stop::Limit && line.advance(buf, p) {
                    (p, stop) = scan::skip(buf, p, limit(&line), wanted);
                }
                if p > i {
                    if track {
                        line.advance(buf, p);
                    }
                    if buf.get(p - 1) == Some(&b'\r') {
                        // Not yet paired with the byte after it: the steps
                        // go on from the CR.
                        i = p - 1;
                    } else {
                        i = p;
                        // Blocks do not look past a CRLF at their end.
                        if buf.get(p.saturating_sub(2)..p) == Some(b"\r\n") {
                            if let Some(cut) = line_start_cut(buf, p) {
                                break 'scan cut;
                            }
                        }
                    }
                }
                match stop {
                    scan::Stop::Tail => usize::MAX,
                    _ => p + scan::BLOCK,
                }
            };
            let outcome = loop {
                match self.step(buf, i, &mut line, wanted.nul) {
                    Ok(next) if next < until => i = next,
                    other => break other,
                }
            };
            match outcome {
                Ok(next) => i = next,
                Err(cut) => break cut,
            }
        };
        self.line_len = line.len(cut.0);
        cut
    }

    /// One exact step from `i`: handles the next CR or LF, or with `nul` the
    /// next NUL, whichever comes first (or the end of `buf`). Returns where to
    /// go on, or the payload's cut as in `scan`.
    #[inline]
    fn step(
        &mut self,
        buf: &[u8],
        i: usize,
        line: &mut Line,
        nul: bool,
    ) -> Result<usize, (usize, usize, bool)> {
        let rest = buf.get(i..).unwrap_or_default();
        let found = if nul {
            memchr3(b'\r', b'\n', 0, rest)
        } else {
            memchr2(b'\r', b'\n', rest)
        };
        let Some(found) = found else {
            return Err((buf.len(), buf.len(), false));
        };
        let at = i + found;
        if buf.get(at) == Some(&0) {
            // Before the next CR or LF, so inside a line, and content
            // whatever comes after it.
            self.note(ErrorKind::NulInData);
            return Ok(at + 1);
        }
        if buf.get(at) == Some(&b'\n') {
            // A CR before it would have been found first: a bare LF. It is
            // data, never a line end (RFC 5321 §4.1.1.4), but it does end
            // a line for the length count (see `DataConfig::max_line_len`).
            self.note(ErrorKind::BareLfInData);
            self.check_line(line.carried, at + 1 - line.start);
            *line = Line {
                start: at + 1,
                carried: 0,
            };
            return Ok(at + 1);
        }
        match buf.get(at + 1) {
            // Never decide on a CR without the next byte.
            None => Err((at, at, false)),
            Some(b'\n') => {
                let next = at + 2;
                self.check_line(line.carried, next - line.start);
                *line = Line {
                    start: next,
                    carried: 0,
                };
                match line_start_cut(buf, next) {
                    Some(cut) => Err(cut),
                    None => Ok(next),
                }
            }
            Some(_) => {
                self.note(ErrorKind::BareCrInData);
                Ok(at + 1)
            }
        }
    }

    /// `true` while a problem of this kind can still change `issues` or
    /// `rejection` (its policy is not `Accept` and it was not seen yet).
    fn wants(&self, kind: ErrorKind) -> bool {
        let (policy, seen) = match kind {
            ErrorKind::BareLfInData => (self.config.bare_lf, self.issues.bare_lf),
            ErrorKind::BareCrInData => (self.config.bare_cr, self.issues.bare_cr),
            ErrorKind::NulInData => (self.config.nul, self.issues.nul),
            _ => (self.config.long_lines, self.issues.long_line),
        };
        policy != ContentPolicy::Accept && !seen
    }

    /// `decode` when every policy is `Accept` and there is no size limit:
    /// nothing but `<CRLF>.` needs looking at, so it jumps from one `\n.` to
    /// the next with memmem instead of stopping at every line. Bare CR and LF are
    /// still only data, never line ends (RFC 5321 §4.1.1.4).
    fn decode_accepting<'a>(
        &mut self,
        buf: &'a [u8],
        start: usize,
    ) -> Status<(DataEvent<'a>, usize)> {
        let rest = buf.get(start..).unwrap_or_default();
        // "\n." rather than "\r\n.": memmem's SIMD prefilter then matches on
        // exactly this pair of bytes, which is rare in text (dot lines), so
        // it seldom stops; an LF without a CR before it is only data.
        let finder = memchr::memmem::Finder::new(b"\n.");
        let mut from = 0;
        let crlf_dot = loop {
            match finder.find(rest.get(from..).unwrap_or_default()) {
                Some(found) if from + found > 0 && rest[from + found - 1] == b'\r' => {
                    break Some(from + found - 1);
                }
                Some(found) => from += found + 1,
                None => break None,
            }
        };
        let (end, consumed, ends_line) = match crlf_dot {
            Some(found) => {
                let next = start + found + 2;
                match buf.get(next..).unwrap_or_default() {
                    // The end, or not yet known: stop at the line start.
                    [b'.'] | [b'.', b'\r'] | [b'.', b'\r', b'\n', ..] => (next, next, true),
                    // A stuffed dot: consume it, return the payload before.
                    _ => (next, next + 1, false),
                }
            }
            // No "<CRLF>." here: everything is payload, except a final CR,
            // which waits for the next byte.
            None if rest.ends_with(b"\r") => (buf.len() - 1, buf.len() - 1, false),
            None => (
                buf.len(),
                buf.len(),
                rest.ends_with(b"\n") && buf[..buf.len() - 1].ends_with(b"\r"),
            ),
        };
        let payload = buf.get(start..end).unwrap_or_default();
        if payload.is_empty() {
            return Status::Partial;
        }
        self.at_line_start = ends_line;
        // Widening usize -> u64 is lossless; there is no limit to check.
        let _ = self.size.add(payload.len() as u64);
        Status::Complete((DataEvent::Payload(payload), consumed))
    }

    /// The outcome at the end of data, consuming `consumed` bytes.
    fn end<'a>(&self, consumed: usize) -> ParseResult<(DataEvent<'a>, usize)> {
        match self.rejection {
            Some(kind) => Err(Error::new(kind, consumed)),
            None => Ok(Status::Complete((
                DataEvent::End(DataEnd {
                    size: self.size.total(),
                    issues: self.issues,
                }),
                consumed,
            ))),
        }
    }

    /// Checks one line (or the part of it seen so far) against the limit.
    #[inline]
    fn check_line(&mut self, carried: usize, len: usize) {
        if carried.saturating_add(len) > self.config.max_line_len {
            self.note(ErrorKind::DataLineTooLong);
        }
    }

    /// Records a problem according to its policy.
    fn note(&mut self, kind: ErrorKind) {
        let (policy, flag) = match kind {
            ErrorKind::BareLfInData => (self.config.bare_lf, &mut self.issues.bare_lf),
            ErrorKind::BareCrInData => (self.config.bare_cr, &mut self.issues.bare_cr),
            ErrorKind::NulInData => (self.config.nul, &mut self.issues.nul),
            _ => (self.config.long_lines, &mut self.issues.long_line),
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

    /// Records a problem to report at the end. When there are several, the
    /// one reported follows a fixed precedence (size, bare LF, bare CR, NUL,
    /// long line) rather than the order they were seen in, because that order
    /// depends on where the reads happened to split the input.
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

    /// The problem that will be reported instead of `End`, if any, under a
    /// [`ContentPolicy::Reject`] policy or for [`ErrorKind::MessageTooLarge`]
    /// (by the fixed precedence described on [`DataDecoder`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataDecoder, ErrorKind};
    /// let mut decoder = DataDecoder::new();
    /// let _ = decoder.decode(b"x\ry\r\n");
    /// assert_eq!(decoder.rejection(), Some(ErrorKind::BareCrInData));
    /// ```
    pub const fn rejection(&self) -> Option<ErrorKind> {
        self.rejection
    }

    /// The content octets returned so far (RFC 1870 counting).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataDecoder;
    /// let mut decoder = DataDecoder::new();
    /// let _ = decoder.decode(b"abc");
    /// assert_eq!(decoder.size(), 3);
    /// ```
    pub const fn size(&self) -> u64 {
        self.size.total()
    }

    /// Questionable content recorded so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataDecoder;
    /// let mut decoder = DataDecoder::new();
    /// let _ = decoder.decode(b"a\x00b");
    /// assert!(decoder.issues().nul);
    /// ```
    pub const fn issues(&self) -> ContentIssues {
        self.issues
    }

    /// `true` once the terminator has been consumed.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataDecoder;
    /// let mut decoder = DataDecoder::new();
    /// let _ = decoder.decode(b".\r\n");
    /// assert!(decoder.is_done());
    /// ```
    pub const fn is_done(&self) -> bool {
        self.done
    }
}

/// The current line while scanning: it started at `start` in the buffer,
/// after `carried` octets of it in earlier calls.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    carried: usize,
}

impl Line {
    /// Blocks that end at or before this position keep the line within
    /// `max` octets.
    fn limit(&self, max: usize) -> usize {
        self.start.saturating_add(max).saturating_sub(self.carried)
    }

    /// The line's length up to `end`.
    fn len(&self, end: usize) -> usize {
        self.carried.saturating_add(end.saturating_sub(self.start))
    }

    /// Moves the start past the last LF before `end`, if there is one after
    /// the current start (blocks skipped up to `end` do not say where their
    /// LFs are). Returns whether it moved.
    fn advance(&mut self, buf: &[u8], end: usize) -> bool {
        let seen = buf.get(self.start..end).unwrap_or_default();
        match memrchr(b'\n', seen) {
            Some(lf) => {
                *self = Line {
                    start: self.start + lf + 1,
                    carried: 0,
                };
                true
            }
            None => false,
        }
    }
}

/// At a line start `next` (after a real CRLF): the payload's cut there, if
/// a `.` follows (as in `DataDecoder::scan`), or `None` to go on.
fn line_start_cut(buf: &[u8], next: usize) -> Option<(usize, usize, bool)> {
    match buf.get(next..).unwrap_or_default() {
        // The end, or not yet known: stop here at line start.
        [] | [b'.'] | [b'.', b'\r'] | [b'.', b'\r', b'\n', ..] => Some((next, next, true)),
        // A stuffed dot: consume it, return the payload before.
        [b'.', ..] => Some((next, next + 1, false)),
        _ => None,
    }
}

impl Default for DataDecoder {
    fn default() -> Self {
        DataDecoder::new()
    }
}
