//! The command parser as it was before the one-pass rewrite, kept verbatim
//! as the oracle that the tests and the `parse_command` fuzz target compare
//! the fast parser with, on every input: same `Ok`/`Err`, same command, same
//! bytes consumed, same error kind, skip and `needs_resync`. Compiled only for
//! tests and fuzzing. Do not "fix" it to match the new parser: a difference
//! is a finding, and a deliberate change of behaviour is made in both.
//!
//! Deliberate changes made here since: `RRVS` action letters in either case;
//! `SIZE` at most 20 digits and `HOLDFOR` at most 9 (10 with
//! `allow_long_hold_for`); no hidden characters in non-ASCII local parts
//! and domains; MAIL with a non-ASCII path needs `SMTPUTF8`; the
//! `allow_hello_trailing_text` and `refuse_unknown_params` settings. (The
//! stricter `DateTime`, `XText`, `Orcpt`, `Domain` and `SourceRoute`
//! constructors are shared.)

#![allow(clippy::all, dead_code, unused_imports)]

use memchr::memchr;
use nom::branch::alt;
use nom::character::complete::{char as nom_char, digit1, one_of};
use nom::combinator::{all_consuming, opt, recognize};
use nom::{IResult, Parser};

use super::CommandConfig;
use crate::parse::line::frame_line;
use crate::syntax::{self, NumberError, is_verb, split_smtputf8};
use crate::types::address::{
    AddressLiteral, Domain, ForwardPath, Host, LocalPart, Mailbox, Path, ReversePath, SourceRoute,
};
use crate::types::command::{
    AttributeSet, Attributes, Auth, AuthResponse, Burl, Command, DomainList, Etrn, InitialResponse,
    Lookup, MailFrom, Mechanism, RcptTo, Text, Unknown,
};
use crate::types::error::{Error, ErrorKind};
use crate::types::param::{
    AuthParam, Body, By, ByMode, DateTime, KnownParam, MailParams, Mtrk, Notify, Orcpt,
    OtherParams, Priority, RcptParams, Ret, Rrvs, RrvsAction, Value, XText, split_param,
};
use crate::types::status::{ParseResult, Status};

/// The old parser, on a configuration.
pub(crate) struct Oracle<'c>(pub(crate) &'c CommandConfig);

impl core::ops::Deref for Oracle<'_> {
    type Target = CommandConfig;
    fn deref(&self) -> &CommandConfig {
        self.0
    }
}

/// Parses one command line from the front of `buf` the old way.
pub(crate) fn parse<'a>(
    config: &CommandConfig,
    buf: &'a [u8],
) -> ParseResult<(Command<'a>, usize)> {
    Oracle(config).parse(buf)
}

impl Oracle<'_> {
    fn parse<'a>(&self, buf: &'a [u8]) -> ParseResult<(Command<'a>, usize)> {
        let line = match frame_line(buf, self.framing()) {
            Ok(Status::Complete(line)) => line,
            Ok(Status::Partial) => return Ok(Status::Partial),
            // AUTH lines may be longer than other commands (RFC 4954 §4).
            Err(err)
                if err.kind() == ErrorKind::LineTooLong
                    && self.max_auth_line_len > self.max_line_len
                    && buf.len() > 5
                    && buf[..5].eq_ignore_ascii_case(b"AUTH ") =>
            {
                match frame_line(buf, self.auth_framing())? {
                    Status::Complete(line) => line,
                    Status::Partial => return Ok(Status::Partial),
                }
            }
            Err(err) => return Err(err),
        };
        match self.parse_line(line.content) {
            Ok(command) => Ok(Status::Complete((command, line.consumed))),
            Err(kind) => Err(Error::new(kind, line.consumed)),
        }
    }

    fn parse_line<'a>(&self, content: &'a [u8]) -> Result<Command<'a>, ErrorKind> {
        // RFC 5321 §4.1.1: receivers SHOULD tolerate trailing white space.
        let end = content
            .iter()
            .rposition(|&b| b != b' ' && b != b'\t')
            .map_or(0, |i| i + 1);
        let content = &content[..end];
        let verb_end = syntax::find_byte(content, b' ').unwrap_or(content.len());
        let verb_bytes = &content[..verb_end];
        let Some(verb) = Verb::find(verb_bytes) else {
            // Unknown verbs are returned with their arguments (which need not
            // be UTF-8) so the server can choose between 500 and 502.
            if !is_verb(verb_bytes) {
                return Err(ErrorKind::InvalidCommand);
            }
            let verb_text =
                core::str::from_utf8(verb_bytes).map_err(|_| ErrorKind::InvalidCommand)?;
            let args = content.get(verb_end + 1..).filter(|args| !args.is_empty());
            return Ok(Command::Unknown(Unknown::from_parsed(verb_text, args)));
        };
        // RFC 5321 §2.4 keeps commands ASCII; RFC 6531 §3.3 allows UTF-8 in
        // addresses and parameter values, which must then be valid UTF-8.
        let text = core::str::from_utf8(content).map_err(|_| ErrorKind::InvalidCharacter)?;
        let args = text.get(verb_end + 1..).filter(|args| !args.is_empty());
        let no_args = |command: Command<'a>| match args {
            None => Ok(command),
            Some(_) => Err(ErrorKind::UnexpectedArgument),
        };
        let required = args.ok_or(ErrorKind::MissingArgument);
        match verb {
            Verb::Helo => Ok(Command::Helo(self.hello_text(required?)?)),
            Verb::Ehlo => Ok(Command::Ehlo(self.hello_text(required?)?)),
            Verb::Lhlo => Ok(Command::Lhlo(self.hello_text(required?)?)),
            Verb::Mail => self.mail(required?).map(Command::Mail),
            Verb::Rcpt => self.rcpt(required?).map(Command::Rcpt),
            Verb::Data => no_args(Command::Data),
            Verb::Rset => no_args(Command::Rset),
            Verb::Quit => no_args(Command::Quit),
            Verb::StartTls => no_args(Command::StartTls),
            Verb::Bdat => bdat(required?),
            Verb::Vrfy => lookup(required?).map(Command::Vrfy),
            Verb::Expn => lookup(required?).map(Command::Expn),
            Verb::Help => Ok(Command::Help(args.map(Text::new).transpose()?)),
            Verb::Noop => Ok(Command::Noop(args.map(Text::new).transpose()?)),
            Verb::Auth => auth(required?).map(Command::Auth),
            Verb::Etrn => self.etrn(required?).map(Command::Etrn),
            Verb::Atrn => Ok(Command::Atrn(args.map(DomainList::new).transpose()?)),
            Verb::Burl => burl(required?).map(Command::Burl),
            Verb::Xclient => {
                Attributes::new(AttributeSet::Xclient, required?).map(Command::Xclient)
            }
            Verb::Xforward => {
                Attributes::new(AttributeSet::Xforward, required?).map(Command::Xforward)
            }
        }
    }

    /// `Domain / address-literal`. RFC 6531 §3.7.1 keeps the EHLO argument
    /// ASCII, but U-labels are accepted here so that every [`Host`] a caller
    /// can build also parses back; a server that cares checks
    /// [`Host::is_ascii`].
    fn hello_host<'a>(&self, arg: &'a str) -> Result<Host<'a>, ErrorKind> {
        self.host(arg, true).ok_or(ErrorKind::InvalidDomain)
    }

    /// The host, and where allowed, SP and text after it.
    fn hello_text<'a>(&self, args: &'a str) -> Result<Host<'a>, ErrorKind> {
        match args.split_once(' ') {
            Some((host, text)) if self.allow_hello_trailing_text => {
                let host = self.hello_host(host)?;
                Text::new(text.trim_start_matches(' '))?;
                Ok(host)
            }
            _ => self.hello_host(args),
        }
    }

    fn host<'a>(&self, text: &'a str, utf8: bool) -> Option<Host<'a>> {
        if let Some(inner) = text.strip_prefix('[') {
            return AddressLiteral::parse_inner(inner.strip_suffix(']')?).map(Host::Literal);
        }
        (text.len() <= self.max_domain_len
            && syntax::is_domain(text.as_bytes(), utf8)
            && text.chars().all(|c| !syntax::is_hidden(c as u32)))
        .then(|| Host::Domain(Domain::new_unchecked(text)))
    }

    /// After `FROM:` or `TO:`: the optional space, then the text.
    fn after_colon<'a>(&self, args: &'a str, keyword: &'static str) -> Result<&'a str, ErrorKind> {
        // ASCII case-insensitive, byte by byte (RFC 5321 §2.4).
        let rest =
            syntax::strip_prefix_ignore_case(args, keyword).ok_or(ErrorKind::InvalidSyntax)?;
        match rest.strip_prefix(' ') {
            Some(after) if self.allow_space_after_colon => Ok(after),
            Some(_) => Err(ErrorKind::InvalidSyntax),
            None => Ok(rest),
        }
    }

    /// Splits `<...>` from what follows, and checks the path limit. A quoted
    /// local part and an address literal may both contain `>`, so the closing
    /// bracket is looked for after them.
    fn split_path<'a>(
        &self,
        text: &'a str,
        bad: ErrorKind,
    ) -> Result<(&'a str, &'a str), ErrorKind> {
        let bytes = text.as_bytes();
        if bytes.first() != Some(&b'<') {
            return Err(bad);
        }
        let mut mailbox_start = 1;
        if bytes.get(1) == Some(&b'@') {
            mailbox_start = memchr(b':', bytes).ok_or(bad)? + 1;
        }
        let mut scan_from = mailbox_start;
        if bytes.get(mailbox_start) == Some(&b'"') {
            scan_from += syntax::quoted_string_len(&bytes[mailbox_start..], true).ok_or(bad)?;
        }
        // An unquoted local part holds neither '@' nor '>', so the first of
        // them ends it. An address literal may hold '>' (`dcontent` is
        // %d33-90 / %d94-126), so skip it: the first ']' closes it.
        if let Some(found) = syntax::find_either(&bytes[scan_from..], b'@', b'>') {
            let at = scan_from + found;
            if bytes[at] == b'@' && bytes.get(at + 1) == Some(&b'[') {
                scan_from = at + 1 + memchr(b']', &bytes[at + 1..]).ok_or(bad)?;
            }
        }
        let close = scan_from + syntax::find_byte(&bytes[scan_from..], b'>').ok_or(bad)?;
        if close + 1 > self.max_path_len {
            return Err(ErrorKind::PathTooLong);
        }
        Ok((&text[1..close], &text[close + 1..]))
    }

    /// `[ A-d-l ":" ] Mailbox`, the inside of a path.
    fn path<'a>(&self, inner: &'a str, bad: ErrorKind) -> Result<Path<'a>, ErrorKind> {
        let (route, mailbox) = match inner.strip_prefix('@') {
            Some(_) => {
                let (route, mailbox) = inner.split_once(':').ok_or(bad)?;
                (Some(SourceRoute::new(route).map_err(|_| bad)?), mailbox)
            }
            None => (None, inner),
        };
        let bytes = mailbox.as_bytes();
        let at = if bytes.first() == Some(&b'"') {
            syntax::quoted_string_len(bytes, true).ok_or(bad)?
        } else {
            syntax::find_byte(bytes, b'@').ok_or(bad)?
        };
        if bytes.get(at) != Some(&b'@') {
            return Err(bad);
        }
        let (local, host) = (&mailbox[..at], &mailbox[at + 1..]);
        if local.len() > self.max_local_part_len || host.len() > self.max_domain_len {
            return Err(ErrorKind::PathTooLong);
        }
        if !syntax::is_local_part(local.as_bytes(), true)
            || local.chars().any(|c| syntax::is_hidden(c as u32))
        {
            return Err(bad);
        }
        let host = self.host(host, true).ok_or(bad)?;
        let mailbox = Mailbox::from_parts(LocalPart::new_unchecked(local), host);
        Ok(match route {
            Some(route) => Path::with_route(route, mailbox),
            None => Path::new(mailbox),
        })
    }

    fn mail<'a>(&self, args: &'a str) -> Result<MailFrom<'a>, ErrorKind> {
        let bad = ErrorKind::InvalidSenderAddress;
        let text = self.after_colon(args, "FROM:")?;
        let (inner, rest) = self.split_path(text, bad)?;
        let path = if inner.is_empty() {
            ReversePath::Null
        } else {
            ReversePath::Path(self.path(inner, bad)?)
        };
        let params = match params_text(rest)? {
            Some(text) => mail_params(self, text)?,
            None => MailParams::default(),
        };
        let ascii = match path {
            ReversePath::Null => true,
            ReversePath::Path(path) => {
                path.mailbox().is_ascii() && path.route().is_none_or(|r| r.as_str().is_ascii())
            }
        };
        if !ascii && !params.smtputf8 {
            return Err(ErrorKind::NonAsciiAddress);
        }
        Ok(MailFrom { path, params })
    }

    fn rcpt<'a>(&self, args: &'a str) -> Result<RcptTo<'a>, ErrorKind> {
        let bad = ErrorKind::InvalidRecipientAddress;
        let text = self.after_colon(args, "TO:")?;
        let (inner, rest) = self.split_path(text, bad)?;
        // RFC 5321 §4.1.1.3: "<Postmaster>" without a domain, any case.
        let path = if inner.eq_ignore_ascii_case("postmaster") {
            ForwardPath::Postmaster
        } else {
            ForwardPath::Path(self.path(inner, bad)?)
        };
        let params = match params_text(rest)? {
            Some(text) => rcpt_params(self, text)?,
            None => RcptParams::default(),
        };
        Ok(RcptTo { path, params })
    }

    fn etrn<'a>(&self, arg: &'a str) -> Result<Etrn<'a>, ErrorKind> {
        let domain = |text: &'a str| match self.host(text, true) {
            Some(Host::Domain(domain)) => Ok(domain),
            _ => Err(ErrorKind::InvalidDomain),
        };
        match arg.as_bytes()[0] {
            b'@' => domain(&arg[1..]).map(Etrn::Subdomains),
            b'#' => Etrn::queue(&arg[1..]),
            _ => domain(arg).map(Etrn::Domain),
        }
    }
}

/// The parameter text after a path: nothing, or one SP and the parameters.
fn params_text(rest: &str) -> Result<Option<&str>, ErrorKind> {
    match rest.strip_prefix(' ') {
        Some(params) => Ok(Some(params)),
        None if rest.is_empty() => Ok(None),
        None => Err(ErrorKind::InvalidSyntax),
    }
}

/// Splits and checks each `esmtp-keyword ["=" esmtp-value]` (RFC 5321 §4.1.2),
/// and hands the typed ones to `typed`.
fn each_param<'a>(
    text: &'a str,
    rcpt: bool,
    refuse_unknown: bool,
    mut typed: impl FnMut(KnownParam, Option<&'a str>) -> Result<(), ErrorKind>,
) -> Result<(), ErrorKind> {
    for item in syntax::split_byte(text, b' ') {
        let (keyword, value) = split_param(item);
        if !syntax::is_keyword(keyword.as_bytes()) {
            return Err(ErrorKind::InvalidParameter);
        }
        match KnownParam::find(keyword) {
            // Every typed value's grammar is stricter than `esmtp-value`, so
            // its own validator is the only pass over it.
            Some(known) => {
                // A parameter of the other command: not supported here (555).
                if known.is_rcpt() != rcpt {
                    return Err(ErrorKind::UnsupportedParameter);
                }
                typed(known, value)?;
            }
            // `value` is a `str`: valid UTF-8 already.
            None if !value.is_none_or(syntax::is_esmtp_value_str) => {
                return Err(ErrorKind::InvalidParameter);
            }
            None if refuse_unknown => return Err(ErrorKind::UnsupportedParameter),
            None => {}
        }
    }
    Ok(())
}

/// Sets a field that may appear only once.
fn once<T>(slot: &mut Option<T>, value: T) -> Result<(), ErrorKind> {
    match slot.replace(value) {
        None => Ok(()),
        Some(_) => Err(ErrorKind::DuplicateParameter),
    }
}

fn flag(slot: &mut bool, value: Option<&str>) -> Result<(), ErrorKind> {
    if value.is_some() {
        return Err(ErrorKind::InvalidParameterValue);
    }
    if core::mem::replace(slot, true) {
        return Err(ErrorKind::DuplicateParameter);
    }
    Ok(())
}

fn mail_params<'a>(config: &Oracle<'_>, text: &'a str) -> Result<MailParams<'a>, ErrorKind> {
    let mut p = MailParams {
        others: OtherParams::from_parsed(text),
        ..MailParams::default()
    };
    each_param(text, false, config.refuse_unknown_params, |known, value| {
        if let KnownParam::SmtpUtf8 | KnownParam::RequireTls | KnownParam::ConPerm = known {
            return match known {
                KnownParam::SmtpUtf8 => flag(&mut p.smtputf8, value),
                KnownParam::RequireTls => flag(&mut p.require_tls, value),
                _ => flag(&mut p.conperm, value),
            };
        }
        let value = value.ok_or(ErrorKind::InvalidParameterValue)?;
        match known {
            KnownParam::Size => once(&mut p.size, size(value)?),
            KnownParam::Body => once(&mut p.body, body(value)?),
            KnownParam::Ret => once(&mut p.ret, ret(value)?),
            KnownParam::EnvId => once(&mut p.envid, XText::new(value)?),
            KnownParam::Auth => once(&mut p.auth, AuthParam::new(value)?),
            KnownParam::MtPriority => once(&mut p.mt_priority, priority(value)?),
            KnownParam::HoldFor => once(
                &mut p.hold_for,
                hold_for(value, if config.allow_long_hold_for { 10 } else { 9 })?,
            ),
            KnownParam::HoldUntil => once(&mut p.hold_until, DateTime::new(value)?),
            KnownParam::By => once(&mut p.by, by(value)?),
            KnownParam::Mtrk => once(&mut p.mtrk, mtrk(value)?),
            KnownParam::Solicit => once(&mut p.solicit, Value::new(value)?),
            KnownParam::TransId => once(&mut p.transid, Value::new(value)?),
            _ => Err(ErrorKind::UnsupportedParameter),
        }
    })?;
    Ok(p)
}

fn rcpt_params<'a>(config: &Oracle<'_>, text: &'a str) -> Result<RcptParams<'a>, ErrorKind> {
    let mut p = RcptParams {
        others: OtherParams::from_parsed(text),
        ..RcptParams::default()
    };
    each_param(
        text,
        true,
        config.refuse_unknown_params,
        |known, value| match known {
            KnownParam::ConNeg => flag(&mut p.conneg, value),
            KnownParam::Notify => once(
                &mut p.notify,
                notify(value.ok_or(ErrorKind::InvalidParameterValue)?)?,
            ),
            KnownParam::Orcpt => once(
                &mut p.orcpt,
                orcpt(value.ok_or(ErrorKind::InvalidParameterValue)?)?,
            ),
            KnownParam::Rrvs => once(
                &mut p.rrvs,
                rrvs(value.ok_or(ErrorKind::InvalidParameterValue)?)?,
            ),
            _ => Err(ErrorKind::UnsupportedParameter),
        },
    )?;
    Ok(p)
}

/// `size-value = 1*20DIGIT` (RFC 1870 §3). A value past `u64::MAX` is refused,
/// never wrapped.
fn size(value: &str) -> Result<u64, ErrorKind> {
    if value.len() > 20 {
        return Err(ErrorKind::InvalidParameterValue);
    }
    syntax::parse_u64(value.as_bytes()).map_err(|err| match err {
        NumberError::Syntax => ErrorKind::InvalidParameterValue,
        NumberError::Overflow => ErrorKind::SizeOutOfRange,
    })
}

fn body(value: &str) -> Result<Body, ErrorKind> {
    [Body::SevenBit, Body::EightBitMime, Body::BinaryMime]
        .into_iter()
        .find(|body| body.as_str().eq_ignore_ascii_case(value))
        .ok_or(ErrorKind::UnsupportedParameterValue)
}

fn ret(value: &str) -> Result<Ret, ErrorKind> {
    [Ret::Full, Ret::Headers]
        .into_iter()
        .find(|ret| ret.as_str().eq_ignore_ascii_case(value))
        .ok_or(ErrorKind::InvalidParameterValue)
}

/// `priority-value = ["-" / "+"] DIGIT` (RFC 6710 §2).
fn priority(value: &str) -> Result<Priority, ErrorKind> {
    let (negative, digits) = match value.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    match digits {
        [d] if d.is_ascii_digit() => {
            let n = (d - b'0') as i8;
            Priority::new(if negative { -n } else { n })
        }
        _ => Err(ErrorKind::InvalidParameterValue),
    }
}

/// `HOLDFOR = 1*9DIGIT` seconds (RFC 4865 §5). Any `u32` is accepted, so that
/// every [`MailParams::hold_for`] a caller can set parses back.
fn hold_for(value: &str, max_digits: usize) -> Result<u32, ErrorKind> {
    if value.len() > max_digits {
        return Err(ErrorKind::InvalidParameterValue);
    }
    syntax::parse_u64(value.as_bytes())
        .ok()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or(ErrorKind::InvalidParameterValue)
}

/// `by-value = by-time ";" by-mode [by-trace]`,
/// `by-time = ["-" / "+"] 1*9digit`, `by-mode = "N" / "R"`, `by-trace = "T"`
/// (RFC 2852 §4). Mode letters are case-insensitive.
fn by(value: &str) -> Result<By, ErrorKind> {
    let grammar = (
        recognize((opt(one_of("+-")), digit1)),
        nom_char(';'),
        one_of("NRnr"),
        opt(one_of("Tt")),
    );
    let result: IResult<&str, _> = all_consuming(grammar).parse(value);
    let Ok((_, (time, _, mode, trace))) = result else {
        return Err(ErrorKind::InvalidParameterValue);
    };
    let digits = time.trim_start_matches(['+', '-']);
    if digits.len() > 9 {
        return Err(ErrorKind::InvalidParameterValue);
    }
    let magnitude =
        syntax::parse_u64(digits.as_bytes()).map_err(|_| ErrorKind::InvalidParameterValue)? as i32;
    let time = if time.starts_with('-') {
        -magnitude
    } else {
        magnitude
    };
    let mode = if mode.eq_ignore_ascii_case(&'N') {
        ByMode::Notify
    } else {
        ByMode::Return
    };
    By::new(time, mode, trace.is_some())
}

/// `mtrk-value = certifier [":" timeout]` (RFC 3885 §3).
fn mtrk(value: &str) -> Result<Mtrk<'_>, ErrorKind> {
    let (certifier, timeout) = match value.split_once(':') {
        Some((certifier, timeout)) => (certifier, Some(hold_for(timeout, 9)?)),
        None => (value, None),
    };
    Mtrk::new(certifier, timeout)
}

/// `NOTIFY = "NEVER" / 1#( "SUCCESS" / "FAILURE" / "DELAY" )` (RFC 3461 §4.1),
/// each at most once and NEVER alone.
fn notify(value: &str) -> Result<Notify, ErrorKind> {
    if value.eq_ignore_ascii_case("NEVER") {
        return Ok(Notify::Never);
    }
    let (mut success, mut failure, mut delay) = (false, false, false);
    for item in syntax::split_byte(value, b',') {
        let slot = if item.eq_ignore_ascii_case("SUCCESS") {
            &mut success
        } else if item.eq_ignore_ascii_case("FAILURE") {
            &mut failure
        } else if item.eq_ignore_ascii_case("DELAY") {
            &mut delay
        } else {
            return Err(ErrorKind::InvalidParameterValue);
        };
        if core::mem::replace(slot, true) {
            return Err(ErrorKind::InvalidParameterValue);
        }
    }
    Notify::on(success, failure, delay)
}

/// `orcpt-parameter = "ORCPT=" original-recipient-address`,
/// `original-recipient-address = addr-type ";" xtext` (RFC 3461 §4.2).
fn orcpt(value: &str) -> Result<Orcpt<'_>, ErrorKind> {
    let (addr_type, address) =
        syntax::split_once_byte(value, b';').ok_or(ErrorKind::InvalidParameterValue)?;
    Orcpt::new(addr_type, address)
}

/// `rrvs-param = "RRVS=" date-time [ ";" ( "C" / "R" ) ]` (RFC 7293 §3).
fn rrvs(value: &str) -> Result<Rrvs<'_>, ErrorKind> {
    let (time, action) = match value.split_once(';') {
        Some((time, action)) => {
            let result: IResult<&str, char> =
                all_consuming(alt((one_of("Cc"), one_of("Rr")))).parse(action);
            let action = match result {
                Ok((_, 'C' | 'c')) => RrvsAction::Continue,
                Ok(_) => RrvsAction::Reject,
                Err(_) => return Err(ErrorKind::InvalidParameterValue),
            };
            (time, Some(action))
        }
        None => (value, None),
    };
    Ok(Rrvs::new(DateTime::new(time)?, action))
}

/// `"BDAT" SP chunk-size [SP end-marker]` (RFC 3030 §2).
fn bdat(args: &str) -> Result<Command<'_>, ErrorKind> {
    let (size_text, last) = match args.split_once(' ') {
        Some((size, marker)) if marker.eq_ignore_ascii_case("LAST") => (size, true),
        Some(_) => return Err(ErrorKind::InvalidSyntax),
        None => (args, false),
    };
    let size = syntax::parse_u64(size_text.as_bytes()).map_err(|err| match err {
        NumberError::Syntax => ErrorKind::InvalidSyntax,
        NumberError::Overflow => ErrorKind::SizeOutOfRange,
    })?;
    Ok(Command::Bdat { size, last })
}

fn lookup(args: &str) -> Result<Lookup<'_>, ErrorKind> {
    let (target, smtputf8) = split_smtputf8(args);
    Ok(Lookup::from_parsed(Text::new(target)?, smtputf8))
}

/// `"AUTH" SP sasl-mech [SP initial-response]`,
/// `initial-response = base64 / "="` (RFC 4954 §4).
fn auth(args: &str) -> Result<Auth<'_>, ErrorKind> {
    let (mechanism, response) = match args.split_once(' ') {
        Some((mechanism, response)) => (mechanism, Some(response)),
        None => (args, None),
    };
    let initial_response = match response {
        None => None,
        Some("=") => Some(InitialResponse::Empty),
        Some(data) => Some(InitialResponse::base64(data)?),
    };
    Ok(Auth {
        mechanism: Mechanism::new(mechanism)?,
        initial_response,
    })
}

/// `"BURL" SP absolute-URI [SP end-marker]` (RFC 4468 §3).
fn burl(args: &str) -> Result<Burl<'_>, ErrorKind> {
    match args.split_once(' ') {
        Some((url, marker)) if marker.eq_ignore_ascii_case("LAST") => Burl::new(url, true),
        Some(_) => Err(ErrorKind::InvalidSyntax),
        None => Burl::new(args, false),
    }
}

/// The verbs this crate parses, matched case-insensitively (RFC 5321 §2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    Helo,
    Ehlo,
    Lhlo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Vrfy,
    Expn,
    Help,
    Noop,
    Quit,
    StartTls,
    Auth,
    Etrn,
    Atrn,
    Burl,
    Xclient,
    Xforward,
}

impl Verb {
    #[inline]
    pub(crate) fn find(verb: &[u8]) -> Option<Verb> {
        // OR-ing 0x20 lower-cases ASCII letters; no other byte maps onto a
        // lower-case letter, so the match below stays exact.
        let lower = |i: usize| verb[i] | 0x20;
        match verb.len() {
            4 => Some(match [lower(0), lower(1), lower(2), lower(3)] {
                [b'h', b'e', b'l', b'o'] => Verb::Helo,
                [b'e', b'h', b'l', b'o'] => Verb::Ehlo,
                [b'l', b'h', b'l', b'o'] => Verb::Lhlo,
                [b'm', b'a', b'i', b'l'] => Verb::Mail,
                [b'r', b'c', b'p', b't'] => Verb::Rcpt,
                [b'd', b'a', b't', b'a'] => Verb::Data,
                [b'b', b'd', b'a', b't'] => Verb::Bdat,
                [b'r', b's', b'e', b't'] => Verb::Rset,
                [b'v', b'r', b'f', b'y'] => Verb::Vrfy,
                [b'e', b'x', b'p', b'n'] => Verb::Expn,
                [b'h', b'e', b'l', b'p'] => Verb::Help,
                [b'n', b'o', b'o', b'p'] => Verb::Noop,
                [b'q', b'u', b'i', b't'] => Verb::Quit,
                [b'a', b'u', b't', b'h'] => Verb::Auth,
                [b'e', b't', b'r', b'n'] => Verb::Etrn,
                [b'a', b't', b'r', b'n'] => Verb::Atrn,
                [b'b', b'u', b'r', b'l'] => Verb::Burl,
                _ => return None,
            }),
            7 if verb.eq_ignore_ascii_case(b"XCLIENT") => Some(Verb::Xclient),
            8 if verb.eq_ignore_ascii_case(b"STARTTLS") => Some(Verb::StartTls),
            8 if verb.eq_ignore_ascii_case(b"XFORWARD") => Some(Verb::Xforward),
            _ => None,
        }
    }
}
