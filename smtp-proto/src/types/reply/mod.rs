//! [`Reply`]: one whole (possibly multi-line) server reply, borrowed from the
//! wire or built from parts, and its lines ([`ReplyLine`], [`ReplyLines`]).
//!
//! A parsed reply keeps the raw bytes it came from (validated once, line by
//! line, by the parser) and walks them again when asked for its lines, so
//! parsing never allocates and never builds what nobody reads: a line's text
//! becomes a `str` only when it is asked for. A built reply keeps a
//! borrowed slice of line texts. Both compare equal when they carry the same
//! lines, so `parse(encode(reply)) == reply` holds for either.

use core::fmt;

pub(crate) mod code;
pub(crate) mod meaning;
pub(crate) mod scan;

pub use self::code::{EnhancedStatusCode, ReplyCode};
pub use self::meaning::{EnhancedMeaning, Meaning, ReplyCategory, ReplyClass};

use crate::syntax::has_no_controls;
use crate::types::error::ErrorKind;

/// The longest reply line this crate writes, counting the code and the CRLF
/// (RFC 5321 §4.5.3.1.5). Longer texts are wrapped onto several lines.
///
/// # Examples
///
/// ```
/// assert_eq!(smtp_wire::reply::MAX_REPLY_LINE_LEN, 512);
/// ```
pub const MAX_REPLY_LINE_LEN: usize = 512;

/// One whole server reply: a code and one or more lines of text.
///
/// A reply is either **parsed** ([`Reply::parse`], [`ReplyConfig::parse`]),
/// and then borrows the raw bytes of all its lines, or **built**
/// ([`Reply::new`], [`Reply::with_enhanced`]) from a borrowed slice of line
/// texts. Neither form allocates. Two replies are equal when they have the
/// same code and the same lines (code, enhanced status code and message of
/// each), whichever form they are in; so `parse(encode(reply)) == reply`.
///
/// ```abnf
/// Reply-line = *( Reply-code "-" [ textstring ] CRLF )
///              Reply-code [ SP textstring ] CRLF      ; RFC 5321 §4.2
/// ```
///
/// [`ReplyConfig::parse`]: crate::ReplyConfig::parse
///
/// # Examples
///
/// ```
/// use smtp_wire::{Reply, Status};
/// use smtp_wire::reply::ReplyClass;
///
/// let buf = b"250-mx.example.org\r\n250 2.0.0 Ok\r\n354 go\r\n";
/// let Ok(Status::Complete((reply, used))) = Reply::parse(buf) else { panic!() };
/// assert_eq!(used, 34);
/// assert_eq!(reply.code().get(), 250);
/// assert_eq!(reply.code().class(), ReplyClass::PositiveCompletion);
/// assert_eq!(reply.line_count(), 2);
/// let texts: Vec<&str> = reply.lines().map(|l| l.text()).collect();
/// assert_eq!(texts, ["mx.example.org", "2.0.0 Ok"]);
/// ```
#[derive(Clone, Copy)]
pub struct Reply<'a> {
    code: ReplyCode,
    code_mismatch: bool,
    /// For a parsed reply, where its second line starts (the length of the
    /// raw bytes for a one-line reply), or `u32::MAX` when that does not fit
    /// (the walk then finds it); 0 for a built reply. Kept here, in what
    /// would be padding, so that the reply stays 40 bytes.
    first_end: u32,
    line_count: usize,
    repr: Repr<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Repr<'a> {
    /// The raw bytes of every line, terminators included, as validated by
    /// the parser: each line is a code, a separator or the line end, text of
    /// printable ASCII, HT and (checked where present) UTF-8, and CRLF (or a
    /// bare LF when the parser allowed it). A CR appears only before an LF.
    Wire(&'a [u8]),
    /// Line texts validated by [`Reply::with_enhanced`].
    Built {
        enhanced: Option<EnhancedStatusCode>,
        lines: &'a [&'a str],
    },
}

impl<'a> Reply<'a> {
    /// A parsed reply; only the parser calls this, after validating every line.
    pub(crate) const fn from_wire(
        code: ReplyCode,
        raw: &'a [u8],
        first_end: usize,
        line_count: usize,
        code_mismatch: bool,
    ) -> Reply<'a> {
        Reply {
            code,
            code_mismatch,
            first_end: if first_end < u32::MAX as usize {
                first_end as u32
            } else {
                u32::MAX
            },
            line_count,
            repr: Repr::Wire(raw),
        }
    }

    /// The raw bytes of a parsed reply's lines after the first (empty for a
    /// one-line reply); `None` for a built reply.
    pub(crate) fn raw_after_first(&self) -> Option<&'a [u8]> {
        match self.repr {
            Repr::Wire(raw) => {
                let first_end = match self.first_end {
                    u32::MAX => scan::first_equal(raw, 0, b'\n').saturating_add(1),
                    end => end as usize,
                };
                Some(raw.get(first_end..).unwrap_or_default())
            }
            Repr::Built { .. } => None,
        }
    }

    /// Builds a reply from a code and its line texts.
    ///
    /// A text too long for one 512-octet line is wrapped onto several
    /// lines, at spaces where possible; [`lines`](Reply::lines) already
    /// shows the wrapped lines. (A reply of more than 100 lines parses back
    /// only with a raised [`max_lines`](crate::ReplyConfig::max_lines).)
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyText`] when `lines` is empty or a text holds
    /// CR, LF or any other control octet except HT: the encoder can then
    /// never be made to emit an extra line.
    /// [`ErrorKind::MultilineChallenge`] for a `334` that would take more
    /// than one line (RFC 4954 §4).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Encode, Reply};
    /// use smtp_wire::reply::ReplyCode;
    ///
    /// let code = ReplyCode::OK;
    /// let reply = Reply::new(code, &["mx.example.org", "PIPELINING"]).unwrap();
    /// let mut buf = [0u8; 64];
    /// let n = reply.encode(&mut buf).unwrap();
    /// assert_eq!(&buf[..n], b"250-mx.example.org\r\n250 PIPELINING\r\n");
    /// assert!(Reply::new(code, &["bad\r\n250 injected"]).is_err());
    /// assert!(Reply::new(code, &[]).is_err());
    /// assert!(Reply::new(ReplyCode::AUTH_CHALLENGE, &["a", "b"]).is_err());
    /// ```
    pub fn new(code: ReplyCode, lines: &'a [&'a str]) -> Result<Reply<'a>, ErrorKind> {
        Reply::build(code, None, lines)
    }

    /// Builds a reply whose every line starts with the enhanced status code
    /// `enhanced` (RFC 2034 §3: the code is repeated on each line).
    ///
    /// # Errors
    ///
    /// Those of [`Reply::new`], and [`ErrorKind::InvalidEnhancedCode`] when
    /// the enhanced code's class differs from the reply code's first digit
    /// (so 3xx replies, which carry none, cannot have one).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Encode, Reply};
    /// use smtp_wire::reply::{EnhancedStatusCode, ReplyCode};
    ///
    /// let code = ReplyCode::MAILBOX_UNAVAILABLE;
    /// let esc = EnhancedStatusCode::BAD_DESTINATION_MAILBOX;
    /// let reply = Reply::with_enhanced(code, esc, &["No such user", "Try again"]).unwrap();
    /// let mut buf = [0u8; 64];
    /// let n = reply.encode(&mut buf).unwrap();
    /// assert_eq!(&buf[..n], b"550-5.1.1 No such user\r\n550 5.1.1 Try again\r\n");
    /// let wrong_class = EnhancedStatusCode::OK;
    /// assert!(Reply::with_enhanced(code, wrong_class, &["x"]).is_err());
    /// ```
    pub fn with_enhanced(
        code: ReplyCode,
        enhanced: EnhancedStatusCode,
        lines: &'a [&'a str],
    ) -> Result<Reply<'a>, ErrorKind> {
        if enhanced.class() != code.get() / 100 {
            return Err(ErrorKind::InvalidEnhancedCode);
        }
        Reply::build(code, Some(enhanced), lines)
    }

    fn build(
        code: ReplyCode,
        enhanced: Option<EnhancedStatusCode>,
        lines: &'a [&'a str],
    ) -> Result<Reply<'a>, ErrorKind> {
        if lines.is_empty() || lines.iter().any(|l| !has_no_controls(l.as_bytes())) {
            return Err(ErrorKind::InvalidReplyText);
        }
        let mut chunks = Chunks::new(lines, wrap_width(enhanced));
        let mut line_count = 0usize;
        while chunks.next().is_some() {
            line_count += 1;
        }
        // RFC 4954 §4: a challenge is one line.
        if code.get() == 334 && line_count > 1 {
            return Err(ErrorKind::MultilineChallenge);
        }
        Ok(Reply {
            code,
            code_mismatch: false,
            first_end: 0,
            line_count,
            repr: Repr::Built { enhanced, lines },
        })
    }

    /// The reply code.
    ///
    /// For a parsed reply whose lines carry different codes (accepted only
    /// with [`allow_code_mismatch`](crate::ReplyConfig::allow_code_mismatch)),
    /// this is the code of the **last** line, the one that ended the reply;
    /// Python's `smtplib` makes the same choice.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    /// let Ok(Status::Complete((reply, _))) = Reply::parse(b"354 go ahead\r\n") else { panic!() };
    /// assert_eq!(reply.code().get(), 354);
    /// ```
    pub const fn code(&self) -> ReplyCode {
        self.code
    }

    /// The number of lines, after wrapping for a built reply.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::Reply;
    /// use smtp_wire::reply::ReplyCode;
    /// let reply = Reply::new(ReplyCode::HELP_MESSAGE, &["a", "b", "c"]).unwrap();
    /// assert_eq!(reply.line_count(), 3);
    /// ```
    pub const fn line_count(&self) -> usize {
        self.line_count
    }

    /// `true` when the reply has more than one line.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    /// let Ok(Status::Complete((reply, _))) = Reply::parse(b"250 ok\r\n") else { panic!() };
    /// assert!(!reply.is_multiline());
    /// ```
    pub const fn is_multiline(&self) -> bool {
        self.line_count > 1
    }

    /// `true` when the lines of this parsed reply carry different codes, which
    /// RFC 5321 §4.2.1 forbids but some servers send; only possible with
    /// [`allow_code_mismatch`](crate::ReplyConfig::allow_code_mismatch).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{ReplyConfig, Status};
    ///
    /// let mut config = ReplyConfig::new();
    /// config.allow_code_mismatch(true);
    /// let Ok(Status::Complete((reply, _))) = config.parse(b"250-a\r\n251 b\r\n") else { panic!() };
    /// assert!(reply.has_code_mismatch());
    /// assert_eq!(reply.code().get(), 251);
    /// ```
    pub const fn has_code_mismatch(&self) -> bool {
        self.code_mismatch
    }

    /// The lines of the reply, in order, without allocating.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    ///
    /// let buf = b"550-5.1.1 No such user\r\n550 5.1.1 Sorry\r\n";
    /// let Ok(Status::Complete((reply, _))) = Reply::parse(buf) else { panic!() };
    /// let mut lines = reply.lines();
    /// let first = lines.next().unwrap();
    /// assert_eq!(first.text(), "5.1.1 No such user");
    /// assert_eq!(first.enhanced().unwrap().to_string(), "5.1.1");
    /// assert_eq!(first.message(), "No such user");
    /// assert!(!first.is_last());
    /// assert!(lines.next().unwrap().is_last());
    /// assert!(lines.next().is_none());
    /// ```
    pub fn lines(&self) -> ReplyLines<'a> {
        let inner = match self.repr {
            Repr::Wire(raw) => LinesInner::Wire(raw),
            Repr::Built { enhanced, lines } => LinesInner::Built {
                code: self.code,
                enhanced,
                chunks: Chunks::new(lines, wrap_width(enhanced)),
            },
        };
        ReplyLines {
            inner,
            remaining: self.line_count,
        }
    }

    /// The first line.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    /// let Ok(Status::Complete((reply, _))) = Reply::parse(b"220 mx.example.org ESMTP\r\n") else {
    ///     panic!()
    /// };
    /// assert_eq!(reply.first_line().text(), "mx.example.org ESMTP");
    /// ```
    pub fn first_line(&self) -> ReplyLine<'a> {
        // A reply always has at least one line; the fallback is never used.
        self.lines().next().unwrap_or(ReplyLine {
            code: self.code,
            is_last: true,
            enhanced_in_text: true,
            text: "",
            enhanced: None,
            message: "",
        })
    }

    /// The enhanced status code of the first line, if it has one whose class
    /// matches the reply code (RFC 3463 §2, RFC 2034 §4).
    ///
    /// [`EnhancedStatusCode::summary`] says what it means ("Bad destination
    /// mailbox address"), [`ReplyCode::meaning`] what the reply code
    /// means, and [`ReplyLine::message`] is the text without the code.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    /// let Ok(Status::Complete((reply, _))) = Reply::parse(b"250 2.1.5 Ok\r\n") else { panic!() };
    /// assert_eq!(reply.enhanced_code().unwrap().to_string(), "2.1.5");
    /// // A 5.x.x code on a 250 reply is plain text, not an enhanced code.
    /// let Ok(Status::Complete((reply, _))) = Reply::parse(b"250 5.1.1 hm\r\n") else { panic!() };
    /// assert!(reply.enhanced_code().is_none());
    /// ```
    pub fn enhanced_code(&self) -> Option<EnhancedStatusCode> {
        self.first_line().enhanced()
    }

    /// The raw bytes of a parsed reply, every line terminator included;
    /// `None` for a built reply.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    /// let Ok(Status::Complete((reply, _))) = Reply::parse(b"221 bye\r\nx") else { panic!() };
    /// assert_eq!(reply.raw(), Some(&b"221 bye\r\n"[..]));
    /// ```
    pub const fn raw(&self) -> Option<&'a [u8]> {
        match self.repr {
            Repr::Wire(raw) => Some(raw),
            Repr::Built { .. } => None,
        }
    }
}

impl PartialEq for Reply<'_> {
    fn eq(&self, other: &Reply<'_>) -> bool {
        self.code == other.code
            && self.line_count == other.line_count
            && self.lines().eq(other.lines())
    }
}

impl Eq for Reply<'_> {}

impl fmt::Debug for Reply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("code", &self.code)
            .field("code_mismatch", &self.code_mismatch)
            .field("lines", &DebugLines(*self))
            .finish()
    }
}

struct DebugLines<'a>(Reply<'a>);

impl fmt::Debug for DebugLines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.lines()).finish()
    }
}

/// One line of a [`Reply`].
///
/// Two lines are equal when their code, enhanced status code, message and
/// position (last or not) are equal.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Reply, Status};
///
/// let Ok(Status::Complete((reply, _))) = Reply::parse(b"451 4.3.0 Try later\r\n") else {
///     panic!()
/// };
/// let line = reply.first_line();
/// assert_eq!(line.code().get(), 451);
/// assert_eq!(line.text(), "4.3.0 Try later");
/// assert_eq!(line.message(), "Try later");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ReplyLine<'a> {
    code: ReplyCode,
    is_last: bool,
    /// `false` only for lines of a reply built with a separate enhanced code,
    /// whose text does not contain it.
    enhanced_in_text: bool,
    text: &'a str,
    enhanced: Option<EnhancedStatusCode>,
    message: &'a str,
}

impl<'a> ReplyLine<'a> {
    /// The code at the start of this line.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    /// let Ok(Status::Complete((r, _))) = Reply::parse(b"250 ok\r\n") else { panic!() };
    /// assert_eq!(r.first_line().code().get(), 250);
    /// ```
    pub const fn code(&self) -> ReplyCode {
        self.code
    }

    /// `true` for the line that ends the reply (code followed by SP or CRLF).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    /// let Ok(Status::Complete((r, _))) = Reply::parse(b"250 ok\r\n") else { panic!() };
    /// assert!(r.first_line().is_last());
    /// ```
    pub const fn is_last(&self) -> bool {
        self.is_last
    }

    /// The text after the code and its separator (`-` or SP), as it appears
    /// on the wire, **enhanced code included**; empty for a bare `250\r\n`.
    /// To show a person the text, use [`message`](ReplyLine::message), which
    /// leaves the enhanced code out.
    ///
    /// For a reply built with [`Reply::with_enhanced`], the enhanced code is
    /// written by the encoder and is not part of this text; use
    /// [`enhanced`](ReplyLine::enhanced) and [`message`](ReplyLine::message)
    /// for a view that is the same for both forms.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    /// let Ok(Status::Complete((r, _))) = Reply::parse(b"502 5.5.1 EHLO not here\r\n") else {
    ///     panic!()
    /// };
    /// assert_eq!(r.first_line().text(), "5.5.1 EHLO not here");
    /// assert_eq!(r.first_line().message(), "EHLO not here");
    /// ```
    pub const fn text(&self) -> &'a str {
        self.text
    }

    /// The enhanced status code at the start of the text, when its class
    /// equals the reply code's first digit (RFC 3463 §2); otherwise `None`
    /// and the code-like prefix stays in [`message`](ReplyLine::message).
    /// [`EnhancedStatusCode::summary`] says what it means.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    /// let Ok(Status::Complete((r, _))) = Reply::parse(b"554 5.7.1 Relay denied\r\n") else {
    ///     panic!()
    /// };
    /// assert_eq!(r.first_line().enhanced().unwrap().to_string(), "5.7.1");
    /// ```
    pub const fn enhanced(&self) -> Option<EnhancedStatusCode> {
        self.enhanced
    }

    /// The text after the enhanced status code and the one space after it,
    /// or the whole text when there is no enhanced code: what to show a
    /// person next to the code. [`text`](ReplyLine::text) is the raw text,
    /// enhanced code included; [`enhanced`](ReplyLine::enhanced) is the code
    /// and [`EnhancedStatusCode::summary`] what it means.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    /// let Ok(Status::Complete((r, _))) = Reply::parse(b"250 2.0.0 Ok: queued\r\n") else {
    ///     panic!()
    /// };
    /// assert_eq!(r.first_line().message(), "Ok: queued");
    /// ```
    pub const fn message(&self) -> &'a str {
        self.message
    }
}

impl ReplyLine<'_> {
    /// `false` only for lines of a reply built with a separate enhanced code:
    /// the encoder then writes the code before the text.
    pub(crate) const fn enhanced_in_text(&self) -> bool {
        self.enhanced_in_text
    }
}

impl PartialEq for ReplyLine<'_> {
    fn eq(&self, other: &ReplyLine<'_>) -> bool {
        self.code == other.code
            && self.is_last == other.is_last
            && self.enhanced == other.enhanced
            && self.message == other.message
    }
}

impl Eq for ReplyLine<'_> {}

/// The lines of a [`Reply`], from [`Reply::lines`]. Allocation-free.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Reply, Status};
/// let Ok(Status::Complete((r, _))) = Reply::parse(b"214-a\r\n214 b\r\n") else { panic!() };
/// assert_eq!(r.lines().len(), 2);
/// assert_eq!(r.lines().last().unwrap().text(), "b");
/// ```
#[derive(Clone, Debug)]
pub struct ReplyLines<'a> {
    inner: LinesInner<'a>,
    remaining: usize,
}

#[derive(Clone, Debug)]
enum LinesInner<'a> {
    Wire(&'a [u8]),
    Built {
        code: ReplyCode,
        enhanced: Option<EnhancedStatusCode>,
        chunks: Chunks<'a>,
    },
}

impl<'a> Iterator for ReplyLines<'a> {
    type Item = ReplyLine<'a>;

    fn next(&mut self) -> Option<ReplyLine<'a>> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let is_last = self.remaining == 0;
        match &mut self.inner {
            LinesInner::Wire(rest) => {
                // The parser validated these bytes; a failure here only ends
                // the iteration early and can never panic.
                let lf = scan::first_equal(rest, 0, b'\n');
                let line = rest.get(..lf)?;
                *rest = rest.get(lf + 1..)?;
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let digits = line.first_chunk::<3>()?;
                let code = ReplyCode::from_digits(*digits).ok()?;
                // The text starts and ends at ASCII octets of a line whose
                // UTF-8 the parser checked, so this cannot fail.
                let text = core::str::from_utf8(line.get(4..).unwrap_or_default()).ok()?;
                let (enhanced, message) = EnhancedStatusCode::split_text(code, text);
                Some(ReplyLine {
                    code,
                    is_last,
                    enhanced_in_text: true,
                    text,
                    enhanced,
                    message,
                })
            }
            LinesInner::Built {
                code,
                enhanced,
                chunks,
            } => {
                let text = chunks.next()?;
                let (enhanced, message, enhanced_in_text) = match enhanced {
                    Some(esc) => (Some(*esc), text, false),
                    None => {
                        let (esc, message) = EnhancedStatusCode::split_text(*code, text);
                        (esc, message, true)
                    }
                };
                Some(ReplyLine {
                    code: *code,
                    is_last,
                    enhanced_in_text,
                    text,
                    enhanced,
                    message,
                })
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for ReplyLines<'_> {}
impl core::iter::FusedIterator for ReplyLines<'_> {}

/// The widest text that fits one line: 512 octets minus `250-`, CRLF and the
/// enhanced code with its space.
fn wrap_width(enhanced: Option<EnhancedStatusCode>) -> usize {
    let esc = enhanced.map_or(0, |e| e.text_len() + 1);
    MAX_REPLY_LINE_LEN - 4 - 2 - esc
}

/// The texts of a built reply, wrapped to `width` octets.
#[derive(Clone, Debug)]
struct Chunks<'a> {
    lines: &'a [&'a str],
    pending: Option<&'a str>,
    width: usize,
}

impl<'a> Chunks<'a> {
    fn new(lines: &'a [&'a str], width: usize) -> Chunks<'a> {
        Chunks {
            lines,
            pending: None,
            width,
        }
    }
}

impl<'a> Iterator for Chunks<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = match self.pending.take() {
            Some(text) => text,
            None => {
                let (first, rest) = self.lines.split_first()?;
                self.lines = rest;
                first
            }
        };
        let (head, tail) = wrap(text, self.width);
        self.pending = tail;
        Some(head)
    }
}

/// Splits `text` so that the head is at most `width` octets: at the last
/// space that allows it (the space is dropped), or else at the last UTF-8
/// character boundary.
fn wrap(text: &str, width: usize) -> (&str, Option<&str>) {
    if text.len() <= width {
        return (text, None);
    }
    let window = text.as_bytes().get(..=width).unwrap_or(text.as_bytes());
    if let Some(space) = memchr::memrchr(b' ', window).filter(|&i| i > 0) {
        return (&text[..space], Some(&text[space + 1..]));
    }
    let mut cut = width.max(1);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    if cut == 0 {
        // Only possible with a width below 4 octets, which this crate never uses.
        cut = text.len();
    }
    let (head, tail) = text.split_at(cut);
    (head, Some(tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_first_line() {
        let raw = b"250-a\r\n250 b\r\n";
        let code = ReplyCode::OK;
        let known = Reply::from_wire(code, raw, 7, 2, false);
        assert_eq!(known.raw_after_first(), Some(&b"250 b\r\n"[..]));
        // A first line whose end does not fit in the field is found again.
        let unknown = Reply::from_wire(code, raw, usize::MAX, 2, false);
        assert_eq!(unknown.raw_after_first(), Some(&b"250 b\r\n"[..]));
        #[cfg(target_pointer_width = "64")]
        assert_eq!(core::mem::size_of::<Reply<'_>>(), 40);
    }

    #[test]
    fn wrapping() {
        assert_eq!(wrap("abc def", 10), ("abc def", None));
        assert_eq!(wrap("abc def", 5), ("abc", Some("def")));
        assert_eq!(wrap("abcdefgh", 5), ("abcde", Some("fgh")));
        assert_eq!(wrap("abcd efgh", 4), ("abcd", Some("efgh")));
        // Never cuts a UTF-8 character in two.
        assert_eq!(wrap("ééé", 3), ("é", Some("éé")));
    }

    #[test]
    #[cfg(feature = "alloc")]
    fn built_wraps_long_text() {
        let long = "word ".repeat(300);
        let lines = [long.as_str()];
        let reply = Reply::new(ReplyCode::OK, &lines).unwrap();
        assert!(reply.line_count() > 2);
        let mut total = 0;
        for line in reply.lines() {
            assert!(4 + line.text().len() + 2 <= MAX_REPLY_LINE_LEN);
            total += line.text().len();
        }
        assert!(total > 1400);
    }
}
