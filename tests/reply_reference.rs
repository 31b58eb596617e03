//! A straightforward reference for the reply parser and the EHLO capability
//! walk: one byte at a time, one rule at a time, in the order the
//! documentation states them, with nothing shared with the library's fast
//! paths. `tests/replies.rs` (proptests) and the `parse_reply` and
//! `parse_ehlo` fuzz targets (through `#[path]`) compare the library with it
//! on every input.

#![allow(dead_code, unreachable_pub)]

use smtp_wire::ehlo::{
    Capability, EhloParams, EhloReply, EhloSummary, EhloToken, Extension, Limits, Mechanisms,
};
use smtp_wire::{ErrorKind, Reply, ReplyConfig, Status};

/// The options of a [`ReplyConfig`], readable.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub max_line_len: usize,
    pub max_lines: usize,
    pub allow_bare_lf: bool,
    pub allow_code_mismatch: bool,
    pub allow_multiline_challenge: bool,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            max_line_len: 512,
            max_lines: 100,
            allow_bare_lf: false,
            allow_code_mismatch: false,
            allow_multiline_challenge: false,
        }
    }
}

impl Rules {
    /// The same options as a [`ReplyConfig`].
    pub fn config(&self) -> ReplyConfig {
        let mut config = ReplyConfig::new();
        config
            .max_line_len(self.max_line_len)
            .max_lines(self.max_lines)
            .allow_bare_lf(self.allow_bare_lf)
            .allow_code_mismatch(self.allow_code_mismatch)
            .allow_multiline_challenge(self.allow_multiline_challenge);
        config
    }
}

/// One line of a reference reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub code: u16,
    pub is_last: bool,
    pub text: String,
}

/// What the reference parser makes of a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Partial,
    Error {
        kind: ErrorKind,
        skip: usize,
        resync: bool,
    },
    Complete {
        used: usize,
        code: u16,
        mismatch: bool,
        lines: Vec<Line>,
    },
}

fn error(kind: ErrorKind, skip: usize, resync: bool) -> Outcome {
    Outcome::Error { kind, skip, resync }
}

/// Parses one reply from the front of `buf`.
pub fn parse_reply(rules: &Rules, buf: &[u8]) -> Outcome {
    let max_len = rules.max_line_len.max(5);
    let max_lines = rules.max_lines.max(1);
    let mut pos = 0;
    let mut lines: Vec<Line> = Vec::new();
    let mut mismatch = false;
    loop {
        let rest = &buf[pos..];
        // Framing: an LF within the first `max_len` octets.
        let window = &rest[..rest.len().min(max_len)];
        let Some(lf) = window.iter().position(|&b| b == b'\n') else {
            if rest.len() < max_len {
                return Outcome::Partial;
            }
            return match rest[window.len()..].iter().position(|&b| b == b'\n') {
                Some(i) => error(ErrorKind::LineTooLong, pos + window.len() + i + 1, false),
                None => error(ErrorKind::LineTooLong, buf.len(), true),
            };
        };
        let end = pos + lf + 1;
        let content = if lf > 0 && rest[lf - 1] == b'\r' {
            &rest[..lf - 1]
        } else if rules.allow_bare_lf {
            &rest[..lf]
        } else {
            return error(ErrorKind::BareLf, end, false);
        };
        for &b in content {
            match b {
                b'\r' => return error(ErrorKind::BareCr, end, false),
                0 => return error(ErrorKind::Nul, end, false),
                _ => {}
            }
        }
        if lines.len() + 1 > max_lines {
            return error(ErrorKind::TooManyReplyLines, end, false);
        }
        // Reply-code = %x32-35 %x30-35 %x30-39, then SP, "-" or the end.
        if content.len() < 3
            || !(b'2'..=b'5').contains(&content[0])
            || !(b'0'..=b'5').contains(&content[1])
            || !content[2].is_ascii_digit()
        {
            return error(ErrorKind::InvalidReplyCode, end, false);
        }
        let code = content[..3]
            .iter()
            .fold(0u16, |n, &d| n * 10 + u16::from(d - b'0'));
        let (is_last, text) = match content.get(3) {
            None => (true, &content[3..]),
            Some(b' ') => (true, &content[4..]),
            Some(b'-') => (false, &content[4..]),
            Some(_) => return error(ErrorKind::InvalidReplyCode, end, false),
        };
        // textstring: HT or anything from SP up, but DEL; UTF-8 if not ASCII.
        let controls = text.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f);
        let Ok(text) = std::str::from_utf8(text)
            .map_err(|_| ())
            .and_then(|t| if controls { Err(()) } else { Ok(t) })
        else {
            return error(ErrorKind::InvalidReplyText, end, false);
        };
        if lines.first().is_some_and(|first| first.code != code) {
            if !rules.allow_code_mismatch {
                return error(ErrorKind::ReplyCodeMismatch, end, false);
            }
            mismatch = true;
        }
        lines.push(Line {
            code,
            is_last,
            text: text.to_owned(),
        });
        pos = end;
        // RFC 4954 §4: a 334 challenge is one line.
        if is_last && code == 334 && lines.len() > 1 && !rules.allow_multiline_challenge {
            return error(ErrorKind::MultilineChallenge, pos, false);
        }
        if is_last {
            return Outcome::Complete {
                used: pos,
                code,
                mismatch,
                lines,
            };
        }
    }
}

/// What the library's parser made of `buf`, in the reference's terms.
pub fn library_outcome(rules: &Rules, buf: &[u8]) -> Outcome {
    match rules.config().parse(buf) {
        Ok(Status::Partial) => Outcome::Partial,
        Err(err) => error(err.kind(), err.skip(), err.needs_resync()),
        Ok(Status::Complete((reply, used))) => {
            assert_eq!(reply.raw(), Some(&buf[..used]));
            assert_eq!(reply.lines().len(), reply.line_count());
            Outcome::Complete {
                used,
                code: reply.code().get(),
                mismatch: reply.has_code_mismatch(),
                lines: reply
                    .lines()
                    .map(|line| Line {
                        code: line.code().get(),
                        is_last: line.is_last(),
                        text: line.text().to_owned(),
                    })
                    .collect(),
            }
        }
    }
}

/// Parses `buf` with the library and the reference and panics if they
/// disagree in anything: status, error kind, skip, resync, code, lines.
pub fn assert_reply_agrees(rules: &Rules, buf: &[u8]) {
    let want = parse_reply(rules, buf);
    let got = library_outcome(rules, buf);
    assert_eq!(got, want, "{rules:?} {buf:?}");
}

/// `text` split at its first SP: a word and the rest (`None` when empty).
fn split_word(text: &str) -> (&str, Option<&str>) {
    match text.split_once(' ') {
        Some((word, rest)) => (word, Some(rest).filter(|r| !r.is_empty())),
        None => (text, None),
    }
}

/// Reads one EHLO line's text: the keyword up to the first SP or HT, matched
/// case-insensitively against each known keyword in turn.
pub fn capability(text: &str) -> Option<Capability<'_>> {
    let end = text.find([' ', '\t']).unwrap_or(text.len());
    let (keyword, rest) = text.split_at(end);
    let params = EhloParams::new(rest.get(1..).unwrap_or("")).ok()?;
    let keyword = EhloToken::new(keyword).ok()?;
    let mut words = params.words();
    let is = |name: &str| keyword.as_str().eq_ignore_ascii_case(name);
    let number = |word: Option<&str>| {
        let word = word?;
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        word.parse::<u64>().ok()
    };
    fn token(word: Option<&str>) -> Option<EhloToken<'_>> {
        word.and_then(|w| EhloToken::new(w).ok())
    }
    let cap = if is("SIZE") {
        Capability::Size(number(words.next()))
    } else if is("8BITMIME") {
        Capability::EightBitMime
    } else if is("PIPELINING") {
        Capability::Pipelining
    } else if is("CHUNKING") {
        Capability::Chunking
    } else if is("BINARYMIME") {
        Capability::BinaryMime
    } else if is("STARTTLS") {
        Capability::StartTls
    } else if is("DSN") {
        Capability::Dsn
    } else if is("SMTPUTF8") {
        Capability::SmtpUtf8
    } else if is("ENHANCEDSTATUSCODES") {
        Capability::EnhancedStatusCodes
    } else if is("AUTH") {
        Capability::Auth(Mechanisms::new(params.as_str()).ok()?)
    } else if keyword
        .as_str()
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("AUTH="))
    {
        Capability::Auth(Mechanisms::new(text.get(5..).unwrap_or("")).ok()?)
    } else if is("DELIVERBY") {
        Capability::DeliverBy(number(words.next()))
    } else if is("FUTURERELEASE") {
        match (number(words.next()), token(words.next())) {
            (Some(max_interval), Some(max_date_time)) => Capability::FutureRelease {
                max_interval,
                max_date_time,
            },
            _ => Capability::Other { keyword, params },
        }
    } else if is("MT-PRIORITY") {
        Capability::MtPriority(token(words.next()))
    } else if is("REQUIRETLS") {
        Capability::RequireTls
    } else if is("LIMITS") {
        Capability::Limits(Limits::new(params.as_str()).ok()?)
    } else if is("ETRN") {
        Capability::Etrn
    } else if is("ATRN") {
        Capability::Atrn
    } else if is("BURL") {
        Capability::Burl(params)
    } else if is("VRFY") {
        Capability::Vrfy
    } else if is("EXPN") {
        Capability::Expn
    } else if is("HELP") {
        Capability::Help
    } else if is("NO-SOLICITING") {
        Capability::NoSoliciting(token(words.next()))
    } else if is("MTRK") {
        Capability::Mtrk
    } else if is("CONPERM") {
        Capability::ConPerm
    } else if is("CONNEG") {
        Capability::ConNeg
    } else if is("RRVS") {
        Capability::Rrvs
    } else if is("CHECKPOINT") {
        Capability::Checkpoint
    } else if is("XCLIENT") {
        Capability::Xclient(params)
    } else if is("XFORWARD") {
        Capability::Xforward(params)
    } else {
        Capability::Other { keyword, params }
    };
    Some(cap)
}

/// The reference's view of a reply as an EHLO reply: `None` unless the code
/// and the first line's code are 250 and the first line names a domain;
/// otherwise the domain, the greeting and the capabilities.
pub fn ehlo(lines: &[Line], code: u16) -> Option<(&str, Option<&str>, Vec<Capability<'_>>)> {
    let first = lines.first()?;
    if code != 250 || first.code != 250 {
        return None;
    }
    let (domain, greeting) = split_word(&first.text);
    if domain.is_empty() {
        return None;
    }
    let caps = lines[1..]
        .iter()
        .filter_map(|line| capability(&line.text))
        .collect();
    Some((domain, greeting, caps))
}

/// The summary of a list of capabilities, folded one by one.
pub fn summary<'a>(
    caps: &[Capability<'a>],
) -> (
    Vec<Extension>,
    Option<u64>,
    Option<Mechanisms<'a>>,
    Option<Limits<'a>>,
) {
    let mut extensions = Vec::new();
    let (mut size, mut auth, mut limits) = (None, None, None);
    for cap in caps {
        let Some(extension) = cap.extension() else {
            continue;
        };
        if !extensions.contains(&extension) {
            extensions.push(extension);
        }
        match *cap {
            Capability::Size(s) if size.is_none() => size = s,
            Capability::Auth(m) if auth.is_none() => auth = Some(m),
            Capability::Limits(l) if limits.is_none() => limits = Some(l),
            _ => {}
        }
    }
    extensions.sort();
    (extensions, size, auth, limits)
}

fn summary_parts<'a>(
    s: &EhloSummary<'a>,
) -> (
    Vec<Extension>,
    Option<u64>,
    Option<Mechanisms<'a>>,
    Option<Limits<'a>>,
) {
    let mut extensions: Vec<Extension> = s.extensions.iter().collect();
    extensions.sort();
    (extensions, s.size, s.auth, s.limits)
}

/// Parses `buf` as an EHLO reply with the library and the reference and
/// panics if they disagree: whether it is one, domain, greeting, every
/// capability, the summary, and `Capability::new` on every line.
pub fn assert_ehlo_agrees(rules: &Rules, buf: &[u8]) {
    let want = parse_reply(rules, buf);
    let Ok(Status::Complete((reply, _))) = rules.config().parse(buf) else {
        assert!(!matches!(want, Outcome::Complete { .. }), "{buf:?}");
        return;
    };
    let Outcome::Complete { code, lines, .. } = &want else {
        panic!("reference did not complete {buf:?}");
    };
    assert_ehlo_reply_agrees(reply, lines, *code);
}

/// [`assert_ehlo_agrees`] on a reply already parsed, with its reference lines.
pub fn assert_ehlo_reply_agrees(reply: Reply<'_>, lines: &[Line], code: u16) {
    let want = ehlo(lines, code);
    let got = EhloReply::from_reply(reply);
    assert_eq!(got.is_some(), want.is_some(), "{lines:?}");
    for line in lines {
        assert_eq!(
            Capability::new(&line.text).ok(),
            capability(&line.text),
            "{:?}",
            line.text
        );
    }
    let (Some(got), Some((domain, greeting, caps))) = (got, want) else {
        return;
    };
    assert_eq!(got.domain(), domain);
    assert_eq!(got.greeting(), greeting);
    let got_caps: Vec<Capability<'_>> = got.capabilities().collect();
    assert_eq!(got_caps, caps, "{lines:?}");
    assert_eq!(summary_parts(&got.summary()), summary(&caps), "{lines:?}");
    for cap in &caps {
        assert!(got.supports(cap.keyword()));
    }
    assert_eq!(
        got.size(),
        caps.iter().find_map(|c| match c {
            Capability::Size(s) => *s,
            _ => None,
        })
    );
}
