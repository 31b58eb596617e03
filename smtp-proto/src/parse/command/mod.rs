//! The command-line parser (RFC 5321 §4.1.1), in two paths that share every
//! rule's validator:
//!
//! * the one-pass path (`fast.rs`) walks the common lines once,
//!   framing and validating as it goes, and gives up on the first byte it
//!   does not expect;
//! * the framed path here frames one line, dispatches on the verb, then runs
//!   the grammar of that verb on the complete line. It gives every error and
//!   handles the rare forms.
//!
//! The parser before the one-pass path was added is kept as an oracle for
//! the tests and the fuzz target (`oracle.rs`).

use memchr::memchr;
use nom::branch::alt;
use nom::character::complete::{char as nom_char, digit1, one_of};
use nom::combinator::{all_consuming, opt, recognize};
use nom::{IResult, Parser};

use crate::parse::line::{Framing, frame_line};
use crate::syntax::{self, NumberError, is_verb, split_smtputf8};
use crate::types::address::{
    AddressLiteral, Domain, ForwardPath, Host, LocalPart, MAX_DOMAIN_LEN, MAX_LOCAL_PART_LEN,
    MAX_PATH_LEN, Mailbox, Path, ReversePath, SourceRoute,
};
use crate::types::command::{
    AttributeSet, Attributes, Auth, AuthResponse, Burl, Command, DomainList, Etrn, InitialResponse,
    Lookup, MailFrom, Mechanism, RcptTo, Text, Unknown, Verb,
};
use crate::types::error::{Error, ErrorKind};
use crate::types::param::{
    AuthParam, Body, By, ByMode, DateTime, KnownParam, MailParams, Mtrk, Notify, Orcpt,
    OtherParams, Priority, RcptParams, Ret, Rrvs, RrvsAction, Value, XText,
};
use crate::types::secret::Secret;
use crate::types::status::{ParseResult, Status};

mod fast;
#[cfg(any(test, fuzzing))]
pub(crate) mod oracle;
#[cfg(test)]
mod tests;

/// Limits and leniency for command parsing, set at run time.
///
/// The defaults are RFC 5321's minimums and its strict line rules. Leniency is
/// never a cargo feature, because features unify across a dependency graph
/// and one crate's leniency would become every crate's.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Command, CommandConfig, Status};
///
/// let mut config = CommandConfig::new();
/// config.max_line_len(1036).allow_space_after_colon(true);
/// let Status::Complete((cmd, _)) = config.parse(b"MAIL FROM: <a@b.example>\r\n").unwrap() else { panic!() };
/// assert!(matches!(cmd, Command::Mail(_)));
/// // The default configuration follows RFC 5321 §3.3: no space after the colon.
/// assert!(Command::parse(b"MAIL FROM: <a@b.example>\r\n").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandConfig {
    max_line_len: usize,
    max_auth_line_len: usize,
    max_local_part_len: usize,
    max_domain_len: usize,
    max_path_len: usize,
    allow_bare_lf: bool,
    allow_space_after_colon: bool,
    allow_hello_trailing_text: bool,
    allow_long_hold_for: bool,
    refuse_unknown_params: bool,
}

impl Default for CommandConfig {
    fn default() -> Self {
        CommandConfig::new()
    }
}

impl CommandConfig {
    /// The defaults: 512-octet command lines (RFC 5321 §4.5.3.1.4), 12288-octet
    /// AUTH lines (RFC 4954 §4), 64/255/256-octet local part, domain and path
    /// (RFC 5321 §4.5.3.1), lines ending in CRLF only.
    ///
    /// # Examples
    ///
    /// ```
    /// let config = smtp_wire::CommandConfig::new();
    /// assert_eq!(config, smtp_wire::CommandConfig::default());
    /// ```
    pub const fn new() -> CommandConfig {
        CommandConfig {
            max_line_len: 512,
            max_auth_line_len: 12288,
            max_local_part_len: MAX_LOCAL_PART_LEN,
            max_domain_len: MAX_DOMAIN_LEN,
            max_path_len: MAX_PATH_LEN,
            allow_bare_lf: false,
            allow_space_after_colon: false,
            allow_hello_trailing_text: false,
            allow_long_hold_for: false,
            refuse_unknown_params: false,
        }
    }

    /// The longest command line, counting the CRLF. RFC 5321 §4.5.3.1.4 sets
    /// 512; extensions raise it (RFC 3461 §5.4 asks DSN servers to accept
    /// 1036, RFC 4954 §5 adds 500 for `AUTH=`). Like every line limit of
    /// this crate, a value below the shortest possible line (3 octets) is
    /// raised to it.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::CommandConfig::new();
    /// config.max_line_len(2048);
    /// ```
    pub fn max_line_len(&mut self, len: usize) -> &mut Self {
        self.max_line_len = len.max(3);
        self
    }

    /// The longest line of an AUTH command or AUTH response, counting the
    /// CRLF. Past it the error is `500 5.5.6` (RFC 4954 §4).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::CommandConfig::new();
    /// config.max_auth_line_len(16384);
    /// ```
    pub fn max_auth_line_len(&mut self, len: usize) -> &mut Self {
        self.max_auth_line_len = len.max(3);
        self
    }

    /// The longest local part in octets (RFC 5321 §4.5.3.1.1: 64).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::CommandConfig::new();
    /// config.max_local_part_len(128);
    /// ```
    pub fn max_local_part_len(&mut self, len: usize) -> &mut Self {
        self.max_local_part_len = len;
        self
    }

    /// The longest domain in octets (RFC 5321 §4.5.3.1.2: 255).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::CommandConfig::new();
    /// config.max_domain_len(253);
    /// ```
    pub fn max_domain_len(&mut self, len: usize) -> &mut Self {
        self.max_domain_len = len;
        self
    }

    /// The longest path in octets, counting `<` and `>` (RFC 5321 §4.5.3.1.3: 256).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::CommandConfig::new();
    /// config.max_path_len(512);
    /// ```
    pub fn max_path_len(&mut self, len: usize) -> &mut Self {
        self.max_path_len = len;
        self
    }

    /// Accept a bare LF as the end of a command line.
    ///
    /// # Background
    ///
    /// RFC 5321 §2.3.8: "Conforming implementations MUST NOT recognize or
    /// generate any other character or character sequence as a line
    /// terminator." Some old clients end lines with LF alone. This setting
    /// affects command lines only; it never lets a bare LF end DATA content.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, CommandConfig, Status};
    /// let mut config = CommandConfig::new();
    /// config.allow_bare_lf(true);
    /// assert!(matches!(config.parse(b"QUIT\n"), Ok(Status::Complete((Command::Quit, 5)))));
    /// ```
    pub fn allow_bare_lf(&mut self, allow: bool) -> &mut Self {
        self.allow_bare_lf = allow;
        self
    }

    /// Accept `MAIL FROM: <path>` and `RCPT TO: <path>`, with a space after
    /// the colon.
    ///
    /// # Background
    ///
    /// RFC 5321 §3.3: "the syntax is exactly as given above ... there are no
    /// spaces between the colon and the path". Many clients send one anyway,
    /// and Postfix and Sendmail accept it.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = smtp_wire::CommandConfig::new();
    /// config.allow_space_after_colon(true);
    /// assert!(config.parse(b"RCPT TO: <a@b.example>\r\n").is_ok());
    /// ```
    pub fn allow_space_after_colon(&mut self, allow: bool) -> &mut Self {
        self.allow_space_after_colon = allow;
        self
    }

    /// Accept text after the host of EHLO, HELO and LHLO:
    /// `EHLO client.example (my laptop)`. The command is still
    /// `Command::Ehlo(host)`; [`hello_trailing_text`](CommandConfig::hello_trailing_text)
    /// gives the text. It must be a [`Text`](crate::command::Text) (printable, no control
    /// characters), after one or more SP.
    ///
    /// # Background
    ///
    /// RFC 5321 §4.1.1.1 allows nothing after the domain or address literal,
    /// but some clients send a comment there, as RFC 821-era software did,
    /// and Postfix accepts it. Off by default: then such a line is
    /// `501 5.5.4`, as the grammar says. Clients never send it: the text is
    /// not part of the command and is not encoded.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, CommandConfig, ErrorKind, Status};
    ///
    /// let line = b"EHLO client.example (my laptop)\r\n";
    /// let err = Command::parse(line).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidDomain);
    /// let mut config = CommandConfig::new();
    /// config.allow_hello_trailing_text(true);
    /// let Ok(Status::Complete((Command::Ehlo(host), used))) = config.parse(line) else { panic!() };
    /// assert_eq!(host.to_string(), "client.example");
    /// let text = config.hello_trailing_text(&line[..used]).unwrap();
    /// assert_eq!(text.as_str(), "(my laptop)");
    /// ```
    pub fn allow_hello_trailing_text(&mut self, allow: bool) -> &mut Self {
        self.allow_hello_trailing_text = allow;
        self
    }

    /// Accept a `HOLDFOR=` value of ten digits, up to `u32::MAX` seconds.
    ///
    /// # Background
    ///
    /// RFC 4865 §5 gives `HOLDFOR` as `1*9DIGIT`, which the parser follows by
    /// default: a tenth digit, even a leading zero, is `501 5.5.4`. But
    /// [`MailParams::hold_for`](crate::param::MailParams::hold_for) is a `u32`, whose largest values have ten
    /// digits; with this setting every value a caller can put there parses
    /// back, which differs from RFC 4865 on purpose, for round trips and
    /// fuzzing.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, CommandConfig};
    /// let line = b"MAIL FROM:<a@b.example> HOLDFOR=4000000000\r\n";
    /// assert!(Command::parse(line).is_err());
    /// let mut config = CommandConfig::new();
    /// config.allow_long_hold_for(true);
    /// assert!(config.parse(line).is_ok());
    /// ```
    pub fn allow_long_hold_for(&mut self, allow: bool) -> &mut Self {
        self.allow_long_hold_for = allow;
        self
    }

    /// Refuse MAIL and RCPT parameters that have no typed field
    /// ([`MailParams::others`](crate::param::MailParams::others),
    /// [`RcptParams::others`](crate::param::RcptParams::others)) with
    /// [`ErrorKind::UnsupportedParameter`], `555 5.5.4` (RFC 5321 §4.1.1.11).
    ///
    /// # Background
    ///
    /// Off by default, since a server may support parameters this crate has
    /// no type for: then they are kept in `others`, and a server that does
    /// not check them would accept a command it does not understand. Turn
    /// this on when every parameter the server supports is a typed one.
    /// A typed parameter of the other command (`NOTIFY` on MAIL) is always
    /// `555`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, CommandConfig, ErrorKind};
    /// let line = b"RCPT TO:<b@example.net> FOO=bar\r\n";
    /// assert!(Command::parse(line).is_ok());
    /// let mut config = CommandConfig::new();
    /// config.refuse_unknown_params(true);
    /// let err = config.parse(line).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::UnsupportedParameter);
    /// assert_eq!(err.reply().to_string(), "555 5.5.4 Parameter not recognized or not implemented");
    /// ```
    pub fn refuse_unknown_params(&mut self, refuse: bool) -> &mut Self {
        self.refuse_unknown_params = refuse;
        self
    }

    /// The text after the host of the EHLO, HELO or LHLO line at the front
    /// of `buf`, which [`allow_hello_trailing_text`](CommandConfig::allow_hello_trailing_text)
    /// lets [`parse`](CommandConfig::parse) accept; `None` when the line
    /// has none, is another command, or does not parse with this
    /// configuration. Pass the bytes `parse` used.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::CommandConfig;
    /// let mut config = CommandConfig::new();
    /// config.allow_hello_trailing_text(true);
    /// let text = config.hello_trailing_text(b"HELO pc.example  Outlook 16 \r\n");
    /// assert_eq!(text.map(|t| t.as_str()), Some("Outlook 16"));
    /// assert_eq!(config.hello_trailing_text(b"EHLO pc.example\r\n"), None);
    /// assert_eq!(config.hello_trailing_text(b"NOOP x\r\n"), None);
    /// ```
    pub fn hello_trailing_text<'a>(&self, buf: &'a [u8]) -> Option<Text<'a>> {
        let Ok(Status::Complete(line)) = frame_line(buf, self.framing()) else {
            return None;
        };
        let content = trim_trailing_blanks(line.content);
        let verb = Verb::find(content.get(..4)?)?;
        if !matches!(verb, Verb::Ehlo | Verb::Helo | Verb::Lhlo) || content.get(4) != Some(&b' ') {
            return None;
        }
        let args = core::str::from_utf8(content.get(5..)?).ok()?;
        self.hello(args).ok()?.1
    }

    fn framing(&self) -> Framing {
        Framing {
            max_len: self.max_line_len,
            too_long: ErrorKind::LineTooLong,
            allow_bare_lf: self.allow_bare_lf,
        }
    }

    fn auth_framing(&self) -> Framing {
        Framing {
            max_len: self.max_auth_line_len,
            too_long: ErrorKind::AuthLineTooLong,
            allow_bare_lf: self.allow_bare_lf,
        }
    }

    /// Parses one command line from the front of `buf`.
    ///
    /// Returns the command and the bytes it used, CRLF included, so that a
    /// pipelined buffer (RFC 2920) is a loop. A buffer without a complete line
    /// gives `Ok(Status::Partial)`; read more and call again with the longer
    /// buffer. Do not retry on a buffer that grows without bound: an over-long
    /// line is an error as soon as the limit is passed.
    ///
    /// # Errors
    ///
    /// An [`Error`] with the reply to send and the bytes to skip; the skip
    /// always covers the whole offending line, so its tail is never parsed as
    /// a command.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, CommandConfig, Status};
    ///
    /// let config = CommandConfig::new();
    /// let mut buf: &[u8] = b"EHLO client.example\r\nMAIL FROM:<>\r\nRCPT TO:<postmaster>\r\nDATA\r\n";
    /// let mut verbs = Vec::new();
    /// while let Status::Complete((cmd, used)) = config.parse(buf).unwrap() {
    ///     verbs.push(cmd.verb().to_owned());
    ///     buf = &buf[used..];
    /// }
    /// assert_eq!(verbs, ["EHLO", "MAIL", "RCPT", "DATA"]);
    /// ```
    #[inline]
    pub fn parse<'a>(&self, buf: &'a [u8]) -> ParseResult<(Command<'a>, usize)> {
        self.parse_fast(buf)
    }

    /// Frames the line, then parses it: every error, every rare form, and a
    /// partial line.
    #[cold]
    #[inline(never)]
    fn parse_framed<'a>(&self, buf: &'a [u8]) -> ParseResult<(Command<'a>, usize)> {
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

    /// Parses one line of an AUTH exchange, the client's answer to a `334`
    /// challenge (RFC 4954 §4): canonical base64 (possibly empty), or `*` to
    /// cancel.
    ///
    /// # Errors
    ///
    /// `500 5.5.6` past the AUTH line limit, `501 5.5.2` for invalid base64,
    /// and the line-ending errors of [`parse`](CommandConfig::parse).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{CommandConfig, ErrorKind, Status};
    /// use smtp_wire::auth::AuthResponse;
    ///
    /// let config = CommandConfig::new();
    /// let Status::Complete((resp, used)) = config.parse_auth_response(b"dXNlcg==\r\n").unwrap() else { panic!() };
    /// let AuthResponse::Data(data) = resp else { panic!() };
    /// assert_eq!((*data.expose(), used), ("dXNlcg==", 10));
    /// let err = config.parse_auth_response(b"dXNlcg=\r\n").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidBase64);
    /// ```
    pub fn parse_auth_response<'a>(&self, buf: &'a [u8]) -> ParseResult<(AuthResponse<'a>, usize)> {
        let Status::Complete(line) = frame_line(buf, self.auth_framing())? else {
            return Ok(Status::Partial);
        };
        let response = match line.content {
            b"*" => AuthResponse::Cancel,
            data if syntax::is_base64(data) => {
                // Base64 is ASCII, so this cannot fail; stay panic-free anyway.
                let text = core::str::from_utf8(data)
                    .map_err(|_| Error::new(ErrorKind::InvalidBase64, line.consumed))?;
                AuthResponse::Data(Secret::new(text))
            }
            _ => return Err(Error::new(ErrorKind::InvalidBase64, line.consumed)),
        };
        Ok(Status::Complete((response, line.consumed)))
    }

    fn parse_line<'a>(&self, content: &'a [u8]) -> Result<Command<'a>, ErrorKind> {
        let content = trim_trailing_blanks(content);
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
            Verb::Helo => Ok(Command::Helo(self.hello(required?)?.0)),
            Verb::Ehlo => Ok(Command::Ehlo(self.hello(required?)?.0)),
            Verb::Lhlo => Ok(Command::Lhlo(self.hello(required?)?.0)),
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

    /// The argument of EHLO, HELO or LHLO: the host, then, where
    /// `allow_hello_trailing_text` is set, one or more SP and a [`Text`].
    fn hello<'a>(&self, args: &'a str) -> Result<(Host<'a>, Option<Text<'a>>), ErrorKind> {
        if self.allow_hello_trailing_text {
            if let Some((host, text)) = syntax::split_once_byte(args, b' ') {
                let host = self.hello_host(host)?;
                return Ok((host, Some(Text::new(text.trim_start_matches(' '))?)));
            }
        }
        Ok((self.hello_host(args)?, None))
    }

    /// A domain (no [hidden](syntax::is_hidden) character in its U-labels)
    /// or an address literal.
    fn host<'a>(&self, text: &'a str, utf8: bool) -> Option<Host<'a>> {
        if let Some(inner) = text.strip_prefix('[') {
            return AddressLiteral::parse_inner(inner.strip_suffix(']')?).map(Host::Literal);
        }
        (text.len() <= self.max_domain_len
            && syntax::is_domain_scanned(text.as_bytes(), utf8)
            && (text.is_ascii() || syntax::has_no_hidden(text)))
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
        if !syntax::is_local_part_scanned(local.as_bytes(), true)
            || !(local.is_ascii() || syntax::has_no_hidden(local))
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
        let mut params = MailParams::default();
        if let Some(text) = params_text(rest)? {
            mail_params(self, text, &mut params)?;
        }
        // RFC 6531 §3.4: a non-ASCII address only with SMTPUTF8.
        if !params.smtputf8 && !path.is_ascii() {
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
        let mut params = RcptParams::default();
        if let Some(text) = params_text(rest)? {
            rcpt_params(self, text, &mut params)?;
        }
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

/// RFC 5321 §4.1.1: receivers SHOULD tolerate trailing white space.
fn trim_trailing_blanks(content: &[u8]) -> &[u8] {
    let end = content
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    &content[..end]
}

/// Checks each `esmtp-keyword ["=" esmtp-value]` of a space-separated list
/// (RFC 5321 §4.1.2) in one cursor walk, and hands the typed ones to `typed`;
/// with `refuse_unknown`, an untyped one is `555`. Errors come in the order
/// of the parameters.
fn each_param<'a>(
    text: &'a str,
    rcpt: bool,
    refuse_unknown: bool,
    mut typed: impl FnMut(KnownParam, Option<&'a str>) -> Result<(), ErrorKind>,
) -> Result<bool, ErrorKind> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut untyped = false;
    loop {
        let keyword_end = syntax::scan_keyword(bytes, start);
        // The keyword runs to the first "=" or SP of the parameter.
        let (value, end) = match bytes.get(keyword_end) {
            _ if keyword_end == start => return Err(ErrorKind::InvalidParameter),
            None | Some(b' ') => (None, keyword_end),
            Some(b'=') => {
                let value_start = keyword_end + 1;
                let end = syntax::find_byte(&bytes[value_start..], b' ')
                    .map_or(bytes.len(), |n| value_start + n);
                // Both ends are at ASCII bytes: char boundaries.
                let value = text
                    .get(value_start..end)
                    .ok_or(ErrorKind::InvalidParameter)?;
                (Some(value), end)
            }
            Some(_) => return Err(ErrorKind::InvalidParameter),
        };
        match known_param(&bytes[start..keyword_end]) {
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
            None => untyped = true,
        }
        if end == bytes.len() {
            return Ok(untyped);
        }
        start = end + 1;
    }
}

/// `s.eq_ignore_ascii_case(lit)` for a constant `lit`, as a few word
/// compares: letters of `lit` match either case, every other byte exactly.
#[inline(always)]
pub(crate) fn eq_ci(s: &[u8], lit: &[u8]) -> bool {
    if s.len() != lit.len() {
        return false;
    }
    let mut at = 0;
    while at < lit.len() {
        let n = (lit.len() - at).min(8);
        let (mut word, mut mask, mut lower) = ([0u8; 8], [0u8; 8], [0u8; 8]);
        word[..n].copy_from_slice(&s[at..at + n]);
        for k in 0..n {
            let c = lit[at + k];
            lower[k] = c.to_ascii_lowercase();
            mask[k] = if c.is_ascii_alphabetic() { 0x20 } else { 0 };
        }
        if u64::from_le_bytes(word) | u64::from_le_bytes(mask) != u64::from_le_bytes(lower) {
            return false;
        }
        at += n;
    }
    true
}

/// The typed parameter named `keyword`, matched case-insensitively (RFC 5321
/// §2.4): [`KnownParam::find`] with word compares, the common ones first.
/// A unit test checks that the two agree.
#[inline]
pub(crate) fn known_param(keyword: &[u8]) -> Option<KnownParam> {
    use KnownParam::*;
    let is = |name: &[u8]| eq_ci(keyword, name);
    Some(match keyword.len() {
        2 if is(b"BY") => By,
        3 if is(b"RET") => Ret,
        4 if is(b"SIZE") => Size,
        4 if is(b"BODY") => Body,
        4 if is(b"AUTH") => Auth,
        4 if is(b"MTRK") => Mtrk,
        4 if is(b"RRVS") => Rrvs,
        5 if is(b"ORCPT") => Orcpt,
        5 if is(b"ENVID") => EnvId,
        6 if is(b"NOTIFY") => Notify,
        6 if is(b"CONNEG") => ConNeg,
        7 if is(b"HOLDFOR") => HoldFor,
        7 if is(b"SOLICIT") => Solicit,
        7 if is(b"TRANSID") => TransId,
        7 if is(b"CONPERM") => ConPerm,
        8 if is(b"SMTPUTF8") => SmtpUtf8,
        9 if is(b"HOLDUNTIL") => HoldUntil,
        10 if is(b"REQUIRETLS") => RequireTls,
        11 if is(b"MT-PRIORITY") => MtPriority,
        _ => return None,
    })
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

/// Parses the parameter text of MAIL into `p`, which is the default (so that
/// the one-pass path can fill the command where it lies).
fn mail_params<'a>(
    config: &CommandConfig,
    text: &'a str,
    p: &mut MailParams<'a>,
) -> Result<(), ErrorKind> {
    let untyped = each_param(text, false, config.refuse_unknown_params, |known, value| {
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
                hold_for(value, config.allow_long_hold_for)?,
            ),
            KnownParam::HoldUntil => once(&mut p.hold_until, DateTime::new(value)?),
            KnownParam::By => once(&mut p.by, by(value)?),
            KnownParam::Mtrk => once(&mut p.mtrk, mtrk(value)?),
            KnownParam::Solicit => once(&mut p.solicit, Value::new(value)?),
            KnownParam::TransId => once(&mut p.transid, Value::new(value)?),
            _ => Err(ErrorKind::UnsupportedParameter),
        }
    })?;
    // Left empty when every parameter was typed, so that nothing walks
    // the text again for them.
    if untyped {
        p.others = OtherParams::from_parsed(text);
    }
    Ok(())
}

/// Parses the parameter text of RCPT into `p`, which is the default.
fn rcpt_params<'a>(
    config: &CommandConfig,
    text: &'a str,
    p: &mut RcptParams<'a>,
) -> Result<(), ErrorKind> {
    let untyped = each_param(
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
    if untyped {
        p.others = OtherParams::from_parsed(text);
    }
    Ok(())
}

/// `size-value = 1*20DIGIT` (RFC 1870 §3): a 21st digit, even a leading
/// zero, is a syntax error (501). A grammatical value past `u64::MAX` is too
/// big (552), never wrapped.
fn size(value: &str) -> Result<u64, ErrorKind> {
    if value.len() > 20 {
        return Err(ErrorKind::InvalidParameterValue);
    }
    syntax::parse_digits(value.as_bytes()).map_err(|err| match err {
        NumberError::Syntax => ErrorKind::InvalidParameterValue,
        NumberError::Overflow => ErrorKind::SizeOutOfRange,
    })
}

fn body(value: &str) -> Result<Body, ErrorKind> {
    let value = value.as_bytes();
    if eq_ci(value, b"8BITMIME") {
        Ok(Body::EightBitMime)
    } else if eq_ci(value, b"7BIT") {
        Ok(Body::SevenBit)
    } else if eq_ci(value, b"BINARYMIME") {
        Ok(Body::BinaryMime)
    } else {
        Err(ErrorKind::UnsupportedParameterValue)
    }
}

fn ret(value: &str) -> Result<Ret, ErrorKind> {
    let value = value.as_bytes();
    if eq_ci(value, b"HDRS") {
        Ok(Ret::Headers)
    } else if eq_ci(value, b"FULL") {
        Ok(Ret::Full)
    } else {
        Err(ErrorKind::InvalidParameterValue)
    }
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

/// `HOLDFOR = 1*9DIGIT` seconds (RFC 4865 §5); with `long`, ten digits up
/// to `u32::MAX`, so that every [`MailParams::hold_for`] a caller can set
/// parses back.
fn hold_for(value: &str, long: bool) -> Result<u32, ErrorKind> {
    let max_digits = if long { 10 } else { 9 };
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
        // `timeout = 1*9DIGIT`, whatever HOLDFOR allows.
        Some((certifier, timeout)) => (certifier, Some(hold_for(timeout, false)?)),
        None => (value, None),
    };
    Mtrk::new(certifier, timeout)
}

/// `NOTIFY = "NEVER" / 1#( "SUCCESS" / "FAILURE" / "DELAY" )` (RFC 3461 §4.1),
/// each at most once and NEVER alone.
fn notify(value: &str) -> Result<Notify, ErrorKind> {
    if eq_ci(value.as_bytes(), b"NEVER") {
        return Ok(Notify::Never);
    }
    let (mut success, mut failure, mut delay) = (false, false, false);
    for item in value.as_bytes().split(|&b| b == b',') {
        let slot = if eq_ci(item, b"SUCCESS") {
            &mut success
        } else if eq_ci(item, b"FAILURE") {
            &mut failure
        } else if eq_ci(item, b"DELAY") {
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
/// `"C"` and `"R"` are quoted ABNF literals: either case (RFC 5234 §2.3).
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
    let size = syntax::parse_digits(size_text.as_bytes()).map_err(|err| match err {
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

impl<'a> Command<'a> {
    /// Parses one command line from the front of `buf` with the default
    /// [`CommandConfig`].
    ///
    /// # Errors
    ///
    /// See [`CommandConfig::parse`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, Status};
    ///
    /// assert_eq!(Command::parse(b"QUIT\r\n"), Ok(Status::Complete((Command::Quit, 6))));
    /// assert_eq!(Command::parse(b"QUI"), Ok(Status::Partial));
    /// ```
    pub fn parse(buf: &'a [u8]) -> ParseResult<(Command<'a>, usize)> {
        const DEFAULT: CommandConfig = CommandConfig::new();
        DEFAULT.parse(buf)
    }
}
