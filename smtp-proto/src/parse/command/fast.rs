//! The one-pass command parser: one cursor walk over the front of the buffer
//! that frames, validates and splits the common command lines at once.
//!
//! It handles the shapes that make up nearly all real traffic, ASCII only:
//! `RCPT TO:<dot-string@domain>` and `<Postmaster>`, `MAIL FROM:<...>` and
//! `<>`, each with parameters; `EHLO`/`HELO`/`LHLO domain`; `BDAT n [LAST]`;
//! `AUTH mechanism [initial-response]`; `DATA`, `RSET`, `QUIT`, `NOOP`. Every
//! byte of such a line is checked against the class its place allows, so a
//! line it accepts has no CR, LF or NUL inside, no trailing space, and ends in
//! CRLF (or LF, where allowed) within the line limit: framing cannot fail on
//! it, and the whole line is ASCII, so the UTF-8 check of the framed path
//! cannot either.
//!
//! It never reports an error. On the first byte it does not expect (an
//! error, a partial line, a quoted local part, an address literal, a source
//! route, a byte of 0x80 or more, a rare verb, a value that a validator
//! refuses) it hands the line to the framed path, which gives the precise
//! result. The rules themselves are not
//! written twice: both paths call the same scanners in `syntax` (dot-string,
//! domain, keyword) and the same validators (`mail_params` / `rcpt_params`
//! with every typed value, `Mechanism::new`, `InitialResponse::base64`,
//! `parse_digits`). The framed path only splits the line first and then checks
//! that each scanner's run is the whole field; this one lets each scanner run
//! and checks the byte that stopped it.

use crate::syntax::{self, ALNUM, BASE64};
use crate::types::address::{Domain, ForwardPath, Host, LocalPart, Mailbox, Path, ReversePath};
use crate::types::command::{Auth, Command, InitialResponse, MailFrom, Mechanism, RcptTo};
use crate::types::param::{MailParams, RcptParams};

use super::{CommandConfig, mail_params, rcpt_params};
use crate::types::status::{ParseResult, Status};

/// The value of an `Option`, or return what the framed path makes of the
/// line. Each function here returns the final result itself (rather than an
/// `Option` that `parse` would unwrap and rewrap), so that the command is
/// written once, straight into the caller's result: moving a 240-byte
/// result cost more than parsing a short line.
macro_rules! need {
    ($fallback:expr, $value:expr) => {
        match $value {
            Some(value) => value,
            None => return $fallback,
        }
    };
}

/// A `str` of `buf[start..end]`, where the caller has checked that all of
/// `buf[..known]` is ASCII (`end <= known`).
///
/// `core::str::from_utf8` checks ASCII two words at a time, but only from an
/// aligned address and only while 16 bytes remain; before and after, byte by
/// byte. So the bytes checked are widened, within the known ASCII, to start
/// at an aligned address and to a multiple of 16, and the text is cut from
/// them: this costs a third of checking the field as it lies.
#[inline(always)]
fn ascii_str(buf: &[u8], start: usize, end: usize, known: usize) -> Option<&str> {
    const WORD: usize = core::mem::size_of::<usize>();
    let misalign = (buf.as_ptr() as usize).wrapping_add(start) % WORD;
    let from = start.saturating_sub(misalign);
    let blocks = (end - from).next_multiple_of(2 * WORD);
    let to = if from + blocks <= known {
        from + blocks
    } else {
        end
    };
    let wide = core::str::from_utf8(buf.get(from..to)?).ok()?;
    wide.get(start - from..end - from)
}

/// The first four bytes of a verb, little-endian, lower-cased by OR-ing
/// 0x20 into each byte. Only ASCII letters map onto lower-case letters that
/// way, so comparing with a lower-case verb is exact.
const fn verb(name: &[u8; 4]) -> u32 {
    u32::from_le_bytes(*name)
}

const MAIL: u32 = verb(b"mail");
const RCPT: u32 = verb(b"rcpt");
const DATA: u32 = verb(b"data");
const QUIT: u32 = verb(b"quit");
const RSET: u32 = verb(b"rset");
const NOOP: u32 = verb(b"noop");
const EHLO: u32 = verb(b"ehlo");
const HELO: u32 = verb(b"helo");
const LHLO: u32 = verb(b"lhlo");
const BDAT: u32 = verb(b"bdat");
const AUTH: u32 = verb(b"auth");

/// `s` is `lower`, ASCII letters matched case-insensitively and every other
/// byte exactly (`lower` is a constant with lower-case letters).
#[inline(always)]
fn matches_ci(s: &[u8], lower: &[u8]) -> bool {
    s.len() == lower.len()
        && s.iter().zip(lower).all(|(&b, &l)| {
            if l.is_ascii_lowercase() {
                b | 0x20 == l
            } else {
                b == l
            }
        })
}

/// Where a `<path>` lies in the buffer: `start` is after `<`, `at` is the
/// `@` (or `close` when there is none), `close` is the `>`.
#[derive(Clone, Copy)]
struct PathSpan {
    start: usize,
    at: usize,
    close: usize,
}

impl PathSpan {
    fn is_empty(&self) -> bool {
        self.close == self.start
    }

    fn has_at(&self) -> bool {
        self.at != self.close
    }
}

/// A path from the span, in `text`, the string that starts at `span.start`.
#[inline(always)]
fn mailbox<'a>(text: &'a str, span: PathSpan) -> Option<Path<'a>> {
    let (local, rest) = text.split_at_checked(span.at - span.start)?;
    let (domain, _) = rest.split_at_checked(span.close - span.at)?;
    let domain = domain.get(1..)?;
    Some(Path::new(Mailbox::from_parts(
        LocalPart::new_unchecked(local),
        Host::Domain(Domain::new_unchecked(domain)),
    )))
}

impl CommandConfig {
    /// The one-pass parse of the line at the front of `buf`, which falls back
    /// to the framed path on the first byte it does not expect.
    #[inline(always)]
    pub(super) fn parse_fast<'a>(&self, buf: &'a [u8]) -> ParseResult<(Command<'a>, usize)> {
        let Some(&[a, b, c, d]) = buf.first_chunk::<4>() else {
            return self.parse_framed(buf);
        };
        let bare = |command: Command<'a>| match self.line_end(buf, 4) {
            Some(used) => Ok(Status::Complete((command, used))),
            None => self.parse_framed(buf),
        };
        match u32::from_le_bytes([a, b, c, d]) | 0x2020_2020 {
            RCPT => self.rcpt_fast(buf),
            MAIL => self.mail_fast(buf),
            DATA => bare(Command::Data),
            QUIT => bare(Command::Quit),
            RSET => bare(Command::Rset),
            NOOP => bare(Command::Noop(None)),
            EHLO => self.hello_fast(buf, Command::Ehlo),
            HELO => self.hello_fast(buf, Command::Helo),
            LHLO => self.hello_fast(buf, Command::Lhlo),
            BDAT => self.bdat_fast(buf),
            AUTH => self.auth_fast(buf),
            _ => self.parse_framed(buf),
        }
    }

    /// The bytes used by a line whose content ends at `i`: CRLF (or LF where
    /// allowed) must follow, within the line limit.
    #[inline(always)]
    fn line_end(&self, buf: &[u8], i: usize) -> Option<usize> {
        self.line_end_within(buf, i, self.max_line_len)
    }

    #[inline(always)]
    fn line_end_within(&self, buf: &[u8], i: usize, limit: usize) -> Option<usize> {
        let used = match *buf.get(i)? {
            b'\r' if buf.get(i + 1) == Some(&b'\n') => i + 2,
            b'\n' if self.allow_bare_lf => i + 1,
            _ => return None,
        };
        (used <= limit).then_some(used)
    }

    /// `<path>` at `lt`, ASCII: `<>`, `<dot-string>` (for `<Postmaster>`) or
    /// `<dot-string@domain>`, within the local-part, domain and path limits.
    #[inline(always)]
    fn path_fast(&self, buf: &[u8], lt: usize) -> Option<PathSpan> {
        if buf.get(lt) != Some(&b'<') {
            return None;
        }
        let start = lt + 1;
        let at = syntax::scan_dot_string(buf, start, false);
        let close = match *buf.get(at)? {
            b'>' => at,
            b'@' if at > start => {
                let domain = at + 1;
                let end = syntax::scan_domain(buf, domain, false);
                if end == domain
                    || buf.get(end) != Some(&b'>')
                    || end - domain > self.max_domain_len
                {
                    return None;
                }
                end
            }
            _ => return None,
        };
        // The path counts its brackets (RFC 5321 §4.5.3.1.3).
        if at - start > self.max_local_part_len || close + 1 - lt > self.max_path_len {
            return None;
        }
        Some(PathSpan { start, at, close })
    }

    /// After a path closed at `close`: the end of the line, or one SP and
    /// parameters. Returns (end of the parameters, where they start, bytes
    /// used); the start equals the end when there are none.
    ///
    /// The parameters are only framed here (printable ASCII, no trailing SP);
    /// `mail_params` / `rcpt_params` then check them, as on the framed path.
    #[inline(always)]
    fn params_fast(&self, buf: &[u8], close: usize) -> Option<(usize, usize, usize)> {
        let after = close + 1;
        if buf.get(after) != Some(&b' ') {
            return Some((after, after, self.line_end(buf, after)?));
        }
        let start = after + 1;
        let end = syntax::scan_print(buf, start);
        if end == start || buf[end - 1] == b' ' {
            return None;
        }
        Some((end, start, self.line_end(buf, end)?))
    }

    /// The first byte after `FROM:` or `TO:` at `i`: one SP is skipped where
    /// allowed.
    #[inline(always)]
    fn after_colon_fast(&self, buf: &[u8], i: usize) -> usize {
        if self.allow_space_after_colon && buf.get(i) == Some(&b' ') {
            i + 1
        } else {
            i
        }
    }

    #[inline(always)]
    fn rcpt_fast<'a>(&self, buf: &'a [u8]) -> ParseResult<(Command<'a>, usize)> {
        if !matches_ci(need!(self.parse_framed(buf), buf.get(4..8)), b" to:") {
            return self.parse_framed(buf);
        }
        let span = need!(
            self.parse_framed(buf),
            self.path_fast(buf, self.after_colon_fast(buf, 8))
        );
        let (end, params_start, used) =
            need!(self.parse_framed(buf), self.params_fast(buf, span.close));
        let text = need!(
            self.parse_framed(buf),
            ascii_str(buf, span.start, end, used)
        );
        let path = if span.has_at() {
            ForwardPath::Path(need!(self.parse_framed(buf), mailbox(text, span)))
        } else if need!(self.parse_framed(buf), text.get(..span.close - span.start))
            .eq_ignore_ascii_case("postmaster")
        {
            // RFC 5321 §4.1.1.3: "<Postmaster>" without a domain, any case.
            ForwardPath::Postmaster
        } else {
            return self.parse_framed(buf);
        };
        let mut params = RcptParams::default();
        if params_start != end {
            let text = need!(
                self.parse_framed(buf),
                text.get(params_start - span.start..)
            );
            if rcpt_params(self, text, &mut params).is_err() {
                return self.parse_framed(buf);
            }
        }
        Ok(Status::Complete((
            Command::Rcpt(RcptTo { path, params }),
            used,
        )))
    }

    #[inline(always)]
    fn mail_fast<'a>(&self, buf: &'a [u8]) -> ParseResult<(Command<'a>, usize)> {
        if !matches_ci(need!(self.parse_framed(buf), buf.get(4..10)), b" from:") {
            return self.parse_framed(buf);
        }
        let span = need!(
            self.parse_framed(buf),
            self.path_fast(buf, self.after_colon_fast(buf, 10))
        );
        let (end, params_start, used) =
            need!(self.parse_framed(buf), self.params_fast(buf, span.close));
        let text = need!(
            self.parse_framed(buf),
            ascii_str(buf, span.start, end, used)
        );
        let path = if span.is_empty() {
            ReversePath::Null
        } else if span.has_at() {
            ReversePath::Path(need!(self.parse_framed(buf), mailbox(text, span)))
        } else {
            return self.parse_framed(buf);
        };
        let mut params = MailParams::default();
        if params_start != end {
            let text = need!(
                self.parse_framed(buf),
                text.get(params_start - span.start..)
            );
            if mail_params(self, text, &mut params).is_err() {
                return self.parse_framed(buf);
            }
        }
        Ok(Status::Complete((
            Command::Mail(MailFrom { path, params }),
            used,
        )))
    }

    /// `EHLO domain` and its kin; address literals go the framed way.
    #[inline(always)]
    fn hello_fast<'a>(
        &self,
        buf: &'a [u8],
        command: fn(Host<'a>) -> Command<'a>,
    ) -> ParseResult<(Command<'a>, usize)> {
        if buf.get(4) != Some(&b' ') {
            return self.parse_framed(buf);
        }
        let end = syntax::scan_domain(buf, 5, false);
        if end == 5 || end - 5 > self.max_domain_len {
            return self.parse_framed(buf);
        }
        let used = need!(self.parse_framed(buf), self.line_end(buf, end));
        let domain = need!(self.parse_framed(buf), ascii_str(buf, 5, end, used));
        let host = Host::Domain(Domain::new_unchecked(domain));
        Ok(Status::Complete((command(host), used)))
    }

    /// `BDAT chunk-size [SP "LAST"]`.
    #[inline(always)]
    fn bdat_fast<'a>(&self, buf: &'a [u8]) -> ParseResult<(Command<'a>, usize)> {
        if buf.get(4) != Some(&b' ') {
            return self.parse_framed(buf);
        }
        let mut end = 5;
        while buf.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        let size = need!(
            self.parse_framed(buf),
            syntax::parse_digits(&buf[5..end]).ok()
        );
        let (last, content_end) = if buf.get(end) == Some(&b' ') {
            if !matches_ci(
                need!(self.parse_framed(buf), buf.get(end + 1..end + 5)),
                b"last",
            ) {
                return self.parse_framed(buf);
            }
            (true, end + 5)
        } else {
            (false, end)
        };
        let used = need!(self.parse_framed(buf), self.line_end(buf, content_end));
        Ok(Status::Complete((Command::Bdat { size, last }, used)))
    }

    /// `AUTH mechanism [SP initial-response]`, within the AUTH line limit.
    #[inline(always)]
    fn auth_fast<'a>(&self, buf: &'a [u8]) -> ParseResult<(Command<'a>, usize)> {
        if buf.get(4) != Some(&b' ') {
            return self.parse_framed(buf);
        }
        let mut mechanism_end = 5;
        while buf
            .get(mechanism_end)
            .is_some_and(|&b| syntax::is(b, ALNUM) || b == b'-' || b == b'_')
        {
            mechanism_end += 1;
        }
        // Lines that start with "AUTH " may be as long as the larger limit.
        let limit = self.max_line_len.max(self.max_auth_line_len);
        let (end, response) = if buf.get(mechanism_end) == Some(&b' ') {
            let start = mechanism_end + 1;
            let mut end = syntax::scan_class(buf, start, BASE64);
            while buf.get(end) == Some(&b'=') {
                end += 1;
            }
            (end, Some(start))
        } else {
            (mechanism_end, None)
        };
        let used = need!(
            self.parse_framed(buf),
            self.line_end_within(buf, end, limit)
        );
        let text = need!(self.parse_framed(buf), ascii_str(buf, 5, end, used));
        let (mechanism, rest) = need!(
            self.parse_framed(buf),
            text.split_at_checked(mechanism_end - 5)
        );
        let mechanism = need!(self.parse_framed(buf), Mechanism::new(mechanism).ok());
        let initial_response = match response {
            None => None,
            Some(_) => match need!(self.parse_framed(buf), rest.get(1..)) {
                "=" => Some(InitialResponse::Empty),
                data => Some(need!(
                    self.parse_framed(buf),
                    InitialResponse::base64(data).ok()
                )),
            },
        };
        let auth = Auth {
            mechanism,
            initial_response,
        };
        Ok(Status::Complete((Command::Auth(auth), used)))
    }
}
