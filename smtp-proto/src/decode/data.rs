//! [`DataDecoder`]: DATA content, dot-unstuffed, ended only by `<CRLF>.<CRLF>`.

use memchr::{memchr, memchr2};

use crate::decode::MessageSize;
use crate::types::error::{Error, ErrorKind};
use crate::types::status::{ParseResult, Status};

/// What to do with one kind of questionable content in DATA: a bare LF, a bare
/// CR, a NUL or an over-long line.
///
/// Whatever the policy, these octets are never a line end for the purpose of
/// finding the end of data or a stuffed dot: only a real CRLF is (RFC 5321
/// §4.1.1.4, §2.3.8). Leniency here changes what is *reported*, never where the
/// message ends, so no policy can open the door to SMTP smuggling.
///
/// # Examples
///
/// ```
/// use smtp_wire::DataConfig;
/// use smtp_wire::body::ContentPolicy;
///
/// // Postfix `smtpd_forbid_bare_newline = note` in spirit: keep bare LF as
/// // data, but say so in the end-of-data summary.
/// let mut config = DataConfig::new();
/// config.bare_lf(ContentPolicy::Note);
/// assert_eq!(ContentPolicy::default(), ContentPolicy::Reject);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ContentPolicy {
    /// Keep the octets as data and, once the real end of data has been found,
    /// fail with the matching error (its reply is `550 5.5.2`). The default.
    #[default]
    Reject,
    /// Keep the octets as data and record them in [`ContentIssues`], without
    /// failing.
    Note,
    /// Keep the octets as data and say nothing.
    Accept,
}

/// Runtime options of a [`DataDecoder`] (httparse-style setters, never cargo
/// features, since features unify across a dependency graph).
///
/// The defaults are strict: bare LF, bare CR, NUL and lines longer than 1000
/// octets (RFC 5321 §4.5.3.1.6) are all [`ContentPolicy::Reject`], and there is
/// no size limit.
///
/// Why NUL is rejected by default: no `BODY` type that can be sent with DATA
/// allows it (RFC 5322 §3.5 text and RFC 2045 §2.8 8bit data both exclude NUL;
/// only BINARYMIME does, and that requires BDAT, RFC 3030 §3), and receivers
/// that delete NUL before looking for the terminator are what the NUL
/// smuggling variants (`\r\n\x00.\r\n`, `\r\n.\x00\r\n`) exploit downstream —
/// relaying NUL passes the risk on.
///
/// # Examples
///
/// ```
/// use smtp_wire::DataConfig;
/// use smtp_wire::body::ContentPolicy;
///
/// let mut config = DataConfig::new();
/// config
///     .bare_lf(ContentPolicy::Accept)
///     .bare_cr(ContentPolicy::Note)
///     .max_line_len(2048)
///     .max_message_size(Some(10 << 20));
/// let decoder = config.decoder();
/// assert!(!decoder.is_done());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataConfig {
    bare_lf: ContentPolicy,
    bare_cr: ContentPolicy,
    nul: ContentPolicy,
    long_lines: ContentPolicy,
    max_line_len: usize,
    max_message_size: Option<u64>,
}

impl DataConfig {
    /// Every policy `Accept` and no size limit: only `<CRLF>.` matters.
    const fn accepts_everything(&self) -> bool {
        matches!(
            (
                self.bare_lf,
                self.bare_cr,
                self.nul,
                self.long_lines,
                self.max_message_size
            ),
            (
                ContentPolicy::Accept,
                ContentPolicy::Accept,
                ContentPolicy::Accept,
                ContentPolicy::Accept,
                None
            )
        )
    }

    /// The strict defaults (see the type's documentation).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// assert_eq!(DataConfig::new(), DataConfig::default());
    /// ```
    pub const fn new() -> DataConfig {
        DataConfig {
            bare_lf: ContentPolicy::Reject,
            bare_cr: ContentPolicy::Reject,
            nul: ContentPolicy::Reject,
            long_lines: ContentPolicy::Reject,
            max_line_len: 1000,
            max_message_size: None,
        }
    }

    /// What to do with an LF that does not follow a CR.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// use smtp_wire::body::ContentPolicy;
    /// let mut config = DataConfig::new();
    /// config.bare_lf(ContentPolicy::Note);
    /// ```
    pub fn bare_lf(&mut self, policy: ContentPolicy) -> &mut DataConfig {
        self.bare_lf = policy;
        self
    }

    /// What to do with a CR that is not followed by LF.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// use smtp_wire::body::ContentPolicy;
    /// let mut config = DataConfig::new();
    /// config.bare_cr(ContentPolicy::Accept);
    /// ```
    pub fn bare_cr(&mut self, policy: ContentPolicy) -> &mut DataConfig {
        self.bare_cr = policy;
        self
    }

    /// What to do with a NUL octet.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// use smtp_wire::body::ContentPolicy;
    /// let mut config = DataConfig::new();
    /// config.nul(ContentPolicy::Note);
    /// ```
    pub fn nul(&mut self, policy: ContentPolicy) -> &mut DataConfig {
        self.nul = policy;
        self
    }

    /// What to do with a line longer than
    /// [`max_line_len`](DataConfig::max_line_len). `Accept` turns the check off.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// use smtp_wire::body::ContentPolicy;
    /// let mut config = DataConfig::new();
    /// config.long_lines(ContentPolicy::Accept);
    /// ```
    pub fn long_lines(&mut self, policy: ContentPolicy) -> &mut DataConfig {
        self.long_lines = policy;
        self
    }

    /// One policy for every kind of problem: bare LF, bare CR, NUL and long
    /// lines. `all_policies(ContentPolicy::Accept)` keeps any octet as data,
    /// and then only `<CRLF>.` is looked for, at memmem speed; the end of
    /// data is still only `<CRLF>.<CRLF>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataConfig, Status};
    /// use smtp_wire::body::{ContentPolicy, DataEvent};
    /// let mut config = DataConfig::new();
    /// config.all_policies(ContentPolicy::Accept);
    /// let mut decoder = config.decoder();
    /// let Ok(Status::Complete((DataEvent::Payload(data), _))) = decoder.decode(b"a\nb\r\n.\r\n") else { panic!() };
    /// assert_eq!(data, b"a\nb\r\n");
    /// ```
    pub fn all_policies(&mut self, policy: ContentPolicy) -> &mut DataConfig {
        self.bare_lf(policy)
            .bare_cr(policy)
            .nul(policy)
            .long_lines(policy)
    }

    /// The longest text line, counting its CRLF and not counting a stuffed
    /// dot; default 1000 (RFC 5321 §4.5.3.1.6).
    ///
    /// Only CRLF delimits lines, except that for this count a bare LF also
    /// ends a line, so that content let through with bare-LF line endings is
    /// not reported as over-long as well.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// let mut config = DataConfig::new();
    /// config.max_line_len(998 + 2);
    /// ```
    pub fn max_line_len(&mut self, len: usize) -> &mut DataConfig {
        self.max_line_len = len;
        self
    }

    /// The largest message accepted, in octets as SIZE counts them (RFC 1870:
    /// content incl. CRLFs, without stuffing and terminator); `None`, the
    /// default, for no limit. Going past it fails with
    /// [`ErrorKind::MessageTooLarge`] (`552 5.3.4`) after the end of data.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// let mut config = DataConfig::new();
    /// config.max_message_size(Some(35_882_577));
    /// ```
    pub fn max_message_size(&mut self, limit: Option<u64>) -> &mut DataConfig {
        self.max_message_size = limit;
        self
    }

    /// A new decoder with these options.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::DataConfig;
    /// let decoder = DataConfig::new().decoder();
    /// assert_eq!(decoder.size(), 0);
    /// ```
    pub const fn decoder(&self) -> DataDecoder {
        DataDecoder::with_config(*self)
    }
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig::new()
    }
}

/// Questionable content seen in a message (see [`ContentPolicy`]). Only kinds
/// whose policy is `Reject` or `Note` are recorded.
///
/// # Examples
///
/// ```
/// use smtp_wire::{DataConfig, Status};
/// use smtp_wire::body::{ContentPolicy, DataEvent};
///
/// let mut config = DataConfig::new();
/// config.bare_lf(ContentPolicy::Note);
/// let mut decoder = config.decoder();
/// let buf = b"a\nb\r\n.\r\n";
/// let Ok(Status::Complete((DataEvent::Payload(_), n))) = decoder.decode(buf) else { panic!() };
/// let Ok(Status::Complete((DataEvent::End(end), _))) = decoder.decode(&buf[n..]) else { panic!() };
/// assert!(end.issues().bare_lf);
/// assert!(!end.issues().bare_cr);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ContentIssues {
    /// An LF not preceded by CR was seen.
    pub bare_lf: bool,
    /// A CR not followed by LF was seen.
    pub bare_cr: bool,
    /// A NUL octet was seen.
    pub nul: bool,
    /// A line longer than the configured limit was seen.
    pub long_line: bool,
}

impl ContentIssues {
    /// `true` when nothing was recorded.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::body::ContentIssues::default().is_empty());
    /// ```
    pub const fn is_empty(&self) -> bool {
        !(self.bare_lf || self.bare_cr || self.nul || self.long_line)
    }
}

/// The summary that comes with the end of data.
///
/// # Examples
///
/// ```
/// use smtp_wire::{DataDecoder, Status};
/// use smtp_wire::body::DataEvent;
///
/// let mut decoder = DataDecoder::new();
/// // ".\r\n" right after "DATA\r\n": an empty message.
/// let Ok(Status::Complete((DataEvent::End(end), 3))) = decoder.decode(b".\r\n") else { panic!() };
/// assert_eq!(end.size(), 0);
/// assert!(end.issues().is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataEnd {
    size: u64,
    issues: ContentIssues,
}

impl DataEnd {
    /// The size of the message as SIZE counts it (RFC 1870 §3): content octets
    /// including CRLFs, excluding stuffed dots and the terminator; the total
    /// length of all payload slices.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataDecoder, Status};
    /// use smtp_wire::body::DataEvent;
    /// let mut decoder = DataDecoder::new();
    /// let buf = b"..hi\r\n.\r\n"; // one line, ".hi" stuffed
    /// let Ok(Status::Complete((_, n))) = decoder.decode(buf) else { panic!() };
    /// let Ok(Status::Complete((DataEvent::End(end), _))) = decoder.decode(&buf[n..]) else { panic!() };
    /// assert_eq!(end.size(), 5); // ".hi\r\n"
    /// ```
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// Questionable content seen under a [`ContentPolicy::Note`] policy.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{DataDecoder, Status};
    /// use smtp_wire::body::DataEvent;
    /// let Ok(Status::Complete((DataEvent::End(end), _))) = DataDecoder::new().decode(b".\r\n") else { panic!() };
    /// assert!(end.issues().is_empty());
    /// ```
    pub const fn issues(&self) -> ContentIssues {
        self.issues
    }
}

/// One step of DATA decoding.
///
/// # Examples
///
/// ```
/// use smtp_wire::{DataDecoder, Status};
/// use smtp_wire::body::DataEvent;
///
/// let mut decoder = DataDecoder::new();
/// let event = decoder.decode(b"Hi\r\n.\r\n");
/// assert_eq!(event, Ok(Status::Complete((DataEvent::Payload(b"Hi\r\n"), 4))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataEvent<'a> {
    /// Message content, a non-empty slice of the caller's buffer. The message
    /// is the concatenation of all payloads. The bytes consumed can be up to
    /// two more than its length: a stuffed dot before and one after it are
    /// consumed and dropped.
    Payload(&'a [u8]),
    /// The end of data: the `.` CRLF of the terminator was consumed, and what
    /// follows it in the buffer belongs to the command parser.
    End(DataEnd),
}

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
/// every other fake terminator (PROTOCOL.md §10.1) is content, whatever the
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
/// The decoder looks at the input with `memchr2` for CR and LF, once per line,
/// and with `memchr` for NUL once per payload slice; there is no per-byte state
/// machine and nothing is copied. A stuffed dot splits the payload into two
/// slices. The length limit costs nothing extra: line ends are found anyway.
/// Measured (release, LTO, AVX2 machine): about 10 GB/s on 76-column text with
/// 1% dot lines and the strict defaults, more on longer lines; a `memmem`
/// search for `\r\n.` would not be faster on text, since it too stops at
/// every CRLF.
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

        let mut line_start = start;
        let mut carried = self.line_len;
        let mut i = start;
        // (end of payload, bytes consumed, consumed bytes end a line)
        let (end, consumed, ends_line) = loop {
            let Some(found) = memchr2(b'\r', b'\n', buf.get(i..).unwrap_or_default()) else {
                break (buf.len(), buf.len(), false);
            };
            let at = i + found;
            if buf.get(at) == Some(&b'\n') {
                // A CR before it would have been found first: a bare LF. It is
                // data, never a line end (RFC 5321 §4.1.1.4), but it does end
                // a line for the length count (see `DataConfig::max_line_len`).
                self.note(ErrorKind::BareLfInData);
                self.check_line(carried, at + 1 - line_start);
                carried = 0;
                line_start = at + 1;
                i = at + 1;
                continue;
            }
            match buf.get(at + 1) {
                // Never decide on a CR without the next byte.
                None => break (at, at, false),
                Some(b'\n') => {
                    let next = at + 2;
                    self.check_line(carried, next - line_start);
                    carried = 0;
                    line_start = next;
                    match buf.get(next..).unwrap_or_default() {
                        // The end, or not yet known: stop here at line start.
                        [] | [b'.'] | [b'.', b'\r'] | [b'.', b'\r', b'\n', ..] => {
                            break (next, next, true);
                        }
                        // A stuffed dot: consume it, return the payload before.
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
            // Only a lone CR: nothing has been noted or counted.
            return Ok(Status::Partial);
        }
        self.at_line_start = ends_line;
        // Zero after a line end or a stuffed dot; otherwise the part of the
        // current line seen so far, which goes on in the next read.
        self.line_len = carried.saturating_add(end - line_start);
        self.check_line(0, self.line_len);
        if self.config.nul != ContentPolicy::Accept
            && !self.issues.nul
            && memchr(0, payload).is_some()
        {
            self.note(ErrorKind::NulInData);
        }
        // Widening usize -> u64 is lossless on every supported target.
        if self.size.add(payload.len() as u64).is_err() {
            self.reject(ErrorKind::MessageTooLarge);
        }
        Ok(Status::Complete((DataEvent::Payload(payload), consumed)))
    }

    /// `decode` when every policy is `Accept` and there is no size limit:
    /// nothing but `<CRLF>.` needs looking at, so it jumps from one to the
    /// next with memmem instead of stopping at every line. Bare CR and LF are
    /// still only data, never line ends (RFC 5321 §4.1.1.4).
    fn decode_accepting<'a>(
        &mut self,
        buf: &'a [u8],
        start: usize,
    ) -> Status<(DataEvent<'a>, usize)> {
        let rest = buf.get(start..).unwrap_or_default();
        let (end, consumed, ends_line) = match memchr::memmem::find(rest, b"\r\n.") {
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

impl Default for DataDecoder {
    fn default() -> Self {
        DataDecoder::new()
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::*;

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
}
