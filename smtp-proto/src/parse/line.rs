//! Line framing shared by the command and reply parsers.
//!
//! Frame first, then parse: find the LF with memchr, enforce the length limit,
//! check the terminator, and only then run the grammar on one complete line.
//! This gives `Partial` exactly one source (no LF yet) and means a `\r` is never
//! judged without the byte after it.

use memchr::{memchr, memchr2};

use crate::types::error::{Error, ErrorKind};
use crate::types::status::{ParseResult, Status};

/// One framed line: its content without the terminator, and the bytes it used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    pub(crate) content: &'a [u8],
    pub(crate) consumed: usize,
}

/// Framing rules for one kind of line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Framing {
    /// The longest line accepted, counting the CRLF (RFC 5321 §4.5.3.1.4).
    pub(crate) max_len: usize,
    /// The error kind for a line past `max_len`.
    pub(crate) too_long: ErrorKind,
    /// Accept a bare LF as the end of a line.
    pub(crate) allow_bare_lf: bool,
}

/// Frames the first line of `buf`.
///
/// * No LF within `max_len` bytes and fewer than `max_len` bytes: `Partial`.
/// * No LF within `max_len` bytes otherwise: `too_long`; `skip` runs through the
///   LF if it is in `buf`, or over all of `buf` with `needs_resync` set.
/// * LF without CR before it: `BareLf` (unless allowed).
/// * CR or NUL inside the line: `BareCr` or `Nul`. Both kinds skip the whole
///   line, so that nothing after a bad octet is read as a command.
#[inline]
pub(crate) fn frame_line(buf: &[u8], rules: Framing) -> ParseResult<Line<'_>> {
    let window = &buf[..buf.len().min(rules.max_len)];
    let Some(lf) = memchr(b'\n', window) else {
        if buf.len() < rules.max_len {
            return Ok(Status::Partial);
        }
        return Err(match memchr(b'\n', &buf[window.len()..]) {
            Some(rest) => Error::new(rules.too_long, window.len() + rest + 1),
            None => Error::unterminated(rules.too_long, buf.len()),
        });
    };
    let consumed = lf + 1;
    let content = match lf.checked_sub(1) {
        Some(cr) if buf[cr] == b'\r' => &buf[..cr],
        _ if rules.allow_bare_lf => &buf[..lf],
        _ => return Err(Error::new(ErrorKind::BareLf, consumed)),
    };
    if let Some(bad) = memchr2(b'\r', 0, content) {
        let kind = if content[bad] == 0 {
            ErrorKind::Nul
        } else {
            ErrorKind::BareCr
        };
        return Err(Error::new(kind, consumed));
    }
    Ok(Status::Complete(Line { content, consumed }))
}

/// Finds the end of the line that an error left unfinished.
///
/// Returns `Complete(n)` with the bytes to discard through the next LF, or
/// `Partial` when `buf` holds no LF: discard all of it and call again on the
/// next bytes.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Command, ErrorKind, Status};
/// use smtp_wire::command::skip_line;
///
/// // A 600-byte line arrives in two reads.
/// let first = [b'X'; 550];
/// let err = Command::parse(&first).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::LineTooLong);
/// assert!(err.needs_resync()); // discard err.skip() bytes, then resync
///
/// let second = b"XXXXXXXXXX\r\nNOOP\r\n";
/// let Status::Complete(n) = skip_line(second) else { panic!() };
/// assert_eq!(&second[n..], b"NOOP\r\n");
/// ```
pub fn skip_line(buf: &[u8]) -> Status<usize> {
    match memchr(b'\n', buf) {
        Some(lf) => Status::Complete(lf + 1),
        None => Status::Partial,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: Framing = Framing {
        max_len: 16,
        too_long: ErrorKind::LineTooLong,
        allow_bare_lf: false,
    };

    fn frame(buf: &[u8]) -> ParseResult<Line<'_>> {
        frame_line(buf, RULES)
    }

    #[test]
    fn complete_and_partial() {
        assert_eq!(
            frame(b"NOOP\r\nQUIT\r\n"),
            Ok(Status::Complete(Line {
                content: b"NOOP",
                consumed: 6
            }))
        );
        assert_eq!(frame(b""), Ok(Status::Partial));
        assert_eq!(frame(b"NOOP"), Ok(Status::Partial));
        // A trailing CR is never judged without the next byte.
        assert_eq!(frame(b"NOOP\r"), Ok(Status::Partial));
    }

    #[test]
    fn limit_counts_crlf() {
        // 14 bytes + CRLF = 16: the longest allowed line.
        let ok = b"AAAAAAAAAAAAAA\r\n";
        assert!(frame(ok).unwrap().is_complete());
        let too_long = b"AAAAAAAAAAAAAAA\r\nNOOP\r\n";
        let err = frame(too_long).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::LineTooLong);
        assert_eq!(err.skip(), 17);
        assert!(!err.needs_resync());
        // 15 bytes with no LF may still become a 16-byte line ending in CRLF? No:
        // a 16th byte would have to be LF after CR at index 15, so 15 bytes of
        // content cannot fit; but we only know at 16 bytes.
        assert_eq!(frame(&[b'A'; 15]), Ok(Status::Partial));
        let err = frame(&[b'A'; 16]).unwrap_err();
        assert!(err.needs_resync());
        assert_eq!(err.skip(), 16);
    }

    #[test]
    fn bad_terminators() {
        let err = frame(b"NOOP\nQUIT\r\n").unwrap_err();
        assert_eq!((err.kind(), err.skip()), (ErrorKind::BareLf, 5));
        let err = frame(b"NO\rOP\r\n").unwrap_err();
        assert_eq!((err.kind(), err.skip()), (ErrorKind::BareCr, 7));
        let err = frame(b"NO\0OP\r\n").unwrap_err();
        assert_eq!((err.kind(), err.skip()), (ErrorKind::Nul, 7));
        let lenient = Framing {
            allow_bare_lf: true,
            ..RULES
        };
        assert_eq!(
            frame_line(b"NOOP\n", lenient),
            Ok(Status::Complete(Line {
                content: b"NOOP",
                consumed: 5
            }))
        );
    }
}
