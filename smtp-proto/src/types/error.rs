//! [`Error`]: a small, `Copy` rejection that says which reply to send and how
//! many bytes to skip.

use core::fmt;

use crate::syntax::has_no_controls;
use crate::types::reply::code::{EnhancedStatusCode, ReplyCode};

/// Why input was rejected.
///
/// Every kind maps to the reply a server should send ([`ErrorKind::reply`]).
///
/// # Examples
///
/// ```
/// use smtp_wire::ErrorKind;
///
/// let reply = ErrorKind::UnsupportedParameter.reply();
/// assert_eq!(reply.code().get(), 555);
/// assert_eq!(reply.enhanced().to_string(), "5.5.4");
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    // -- line framing (commands and replies) --
    /// A line is longer than the configured limit (RFC 5321 §4.5.3.1.4).
    LineTooLong,
    /// An AUTH exchange line is longer than the configured limit (RFC 4954 §4).
    AuthLineTooLong,
    /// A line ends with LF that is not preceded by CR (RFC 5321 §2.3.8).
    BareLf,
    /// A CR inside a line is not followed by LF (RFC 5321 §2.3.8).
    BareCr,
    /// A NUL octet inside a line.
    Nul,
    /// An octet that is not allowed here, such as a non-ASCII octet outside an
    /// address or invalid UTF-8 (RFC 5321 §2.4, RFC 6531 §3.3).
    InvalidCharacter,

    // -- commands --
    /// The verb is not a well-formed word (RFC 5321 §4.1.1).
    InvalidCommand,
    /// A well-formed verb that this server does not know (RFC 5321 §4.2.4).
    UnrecognizedCommand,
    /// A recognised command that this server does not implement (RFC 5321 §4.2.4).
    NotImplemented,
    /// The command's arguments do not follow its grammar.
    InvalidSyntax,
    /// A command that needs an argument came without one.
    MissingArgument,
    /// A command that takes no argument came with one (RFC 5321 §4.3.2).
    UnexpectedArgument,
    /// The reverse-path of MAIL is not a valid path (RFC 5321 §4.1.2).
    InvalidSenderAddress,
    /// The forward-path of RCPT is not a valid path (RFC 5321 §4.1.2).
    InvalidRecipientAddress,
    /// A domain or address literal is not valid (RFC 5321 §4.1.2, §4.1.3).
    InvalidDomain,
    /// A local part, domain or path is longer than its limit (RFC 5321 §4.5.3.1).
    PathTooLong,
    /// An address has non-ASCII characters but the transaction does not use
    /// SMTPUTF8 (RFC 6531 §3.4): `553 5.6.7`. The parser reports it for a MAIL
    /// without the `SMTPUTF8` parameter; for RCPT, which cannot see the MAIL,
    /// a server checks [`RcptTo::is_ascii`](crate::command::RcptTo::is_ascii).
    NonAsciiAddress,
    /// A MAIL or RCPT parameter is not a valid `esmtp-param` (RFC 5321 §4.1.2).
    InvalidParameter,
    /// A parameter's value does not follow its grammar, for example
    /// `NOTIFY=NEVER,SUCCESS` (RFC 3461 §4.1).
    InvalidParameterValue,
    /// A parameter's value is well-formed but not one this crate knows, for
    /// example `BODY=9BIT`.
    UnsupportedParameterValue,
    /// A parameter that may appear only once appeared twice.
    DuplicateParameter,
    /// A parameter is not recognised or not allowed on this command (RFC 5321 §4.1.1.11).
    UnsupportedParameter,
    /// A number does not fit in 64 bits, or is out of its range.
    NumberOutOfRange,
    /// A SIZE or BDAT size does not fit in 64 bits (RFC 1870, RFC 3030).
    SizeOutOfRange,
    /// AUTH data is not valid base64 (RFC 4954 §4).
    InvalidBase64,
    /// The client cancelled an AUTH exchange with `*` (RFC 4954 §4).
    AuthCancelled,

    // -- replies (server to client) --
    /// A reply line does not start with a valid three-digit code followed by
    /// SP, `-` or CRLF (RFC 5321 §4.2).
    InvalidReplyCode,
    /// The lines of one multi-line reply carry different codes (RFC 5321 §4.2.1).
    ReplyCodeMismatch,
    /// A reply has more lines than the configured limit.
    TooManyReplyLines,
    /// Reply text holds an octet that `textstring` does not allow (RFC 5321 §4.2).
    InvalidReplyText,
    /// An enhanced status code is out of range or does not match its reply
    /// code's class (RFC 3463 §2).
    InvalidEnhancedCode,
    /// A `334` reply of more than one line: an AUTH challenge is one line
    /// (RFC 4954 §4), and a client that joined several would answer a
    /// challenge the server never sent.
    MultilineChallenge,

    // -- message content (DATA and BDAT) --
    /// A bare LF inside DATA content (RFC 5321 §4.1.1.4; SMTP smuggling).
    BareLfInData,
    /// A bare CR inside DATA content (RFC 5321 §4.1.1.4; SMTP smuggling).
    BareCrInData,
    /// A NUL octet inside DATA content.
    NulInData,
    /// A text line of DATA content is longer than the configured limit
    /// (RFC 5321 §4.5.3.1.6).
    DataLineTooLong,
    /// The message is larger than the configured limit (RFC 1870).
    MessageTooLarge,
}

/// A one-line refusal: code, enhanced status code and a short text. It is
/// what a server sends for an [`Error`] ([`Error::reply`]), and what the
/// session layer and a policy send to refuse a command.
///
/// Build one with [`ErrorReply::new`], which checks it, in `const` context
/// too; [`ErrorKind::reply`] gives the crate's own.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Command, Status};
///
/// let err = Command::parse(b"MAIL FROM:<a b@example.org>\r\n").unwrap_err();
/// let reply = err.reply();
/// assert_eq!(reply.to_string(), "501 5.1.7 Bad sender address syntax");
/// assert_eq!((reply.code().get(), reply.text()), (501, "Bad sender address syntax"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorReply {
    code: ReplyCode,
    enhanced: EnhancedStatusCode,
    text: &'static str,
}

/// The longest text an [`ErrorReply`] takes: its line, `"550 5.999.999 "`
/// and CRLF included, then stays within the 512 octets of RFC 5321
/// §4.5.3.1.5.
const MAX_ERROR_TEXT: usize = 512 - 16;

impl ErrorReply {
    /// A refusal: `code` must be a transient (4xx) or permanent (5xx)
    /// failure, `enhanced` of the same class (RFC 3463 §2), and `text` one
    /// line of printable text (no control characters; UTF-8 is allowed) of
    /// at most 496 octets.
    ///
    /// It is a `const fn`: in a constant, a mistake stops the build rather
    /// than the program, and there is no `unwrap` to reach at run time.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyCode`] for a code below 400,
    /// [`ErrorKind::InvalidEnhancedCode`] for an enhanced code of another
    /// class, [`ErrorKind::InvalidReplyText`] for empty, multi-line or
    /// over-long text.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ErrorKind;
    /// use smtp_wire::error::ErrorReply;
    /// use smtp_wire::reply::{EnhancedStatusCode, ReplyCode};
    ///
    /// const DENIED: ErrorReply = match ErrorReply::new(
    ///     ReplyCode::MAILBOX_UNAVAILABLE,
    ///     EnhancedStatusCode::NOT_AUTHORIZED,
    ///     "Relaying denied",
    /// ) {
    ///     Ok(reply) => reply,
    ///     Err(_) => panic!("checked when the crate using it is built"),
    /// };
    /// assert_eq!(DENIED.to_string(), "550 5.7.1 Relaying denied");
    ///
    /// // Text that would start a second reply is refused.
    /// let injected = ErrorReply::new(
    ///     ReplyCode::MAILBOX_UNAVAILABLE,
    ///     EnhancedStatusCode::NOT_AUTHORIZED,
    ///     "no\r\n250 ok",
    /// );
    /// assert_eq!(injected, Err(ErrorKind::InvalidReplyText));
    /// ```
    pub const fn new(
        code: ReplyCode,
        enhanced: EnhancedStatusCode,
        text: &'static str,
    ) -> Result<ErrorReply, ErrorKind> {
        if code.get() < 400 {
            return Err(ErrorKind::InvalidReplyCode);
        }
        if enhanced.class() != code.get() / 100 {
            return Err(ErrorKind::InvalidEnhancedCode);
        }
        if text.is_empty() || text.len() > MAX_ERROR_TEXT || !has_no_controls(text.as_bytes()) {
            return Err(ErrorKind::InvalidReplyText);
        }
        Ok(ErrorReply {
            code,
            enhanced,
            text,
        })
    }

    /// The reply code, for example 501.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ErrorKind;
    /// assert_eq!(ErrorKind::LineTooLong.reply().code().get(), 500);
    /// ```
    pub const fn code(&self) -> ReplyCode {
        self.code
    }

    /// The enhanced status code, for example 5.5.4; its
    /// [`summary`](EnhancedStatusCode::summary) says what it means.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ErrorKind;
    /// let enhanced = ErrorKind::InvalidRecipientAddress.reply().enhanced();
    /// assert_eq!(enhanced.to_string(), "5.1.3");
    /// assert_eq!(enhanced.summary(), "Bad destination mailbox address syntax");
    /// ```
    pub const fn enhanced(&self) -> EnhancedStatusCode {
        self.enhanced
    }

    /// The text after the codes.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ErrorKind;
    /// assert_eq!(ErrorKind::Nul.reply().text(), "NUL octet received");
    /// ```
    pub const fn text(&self) -> &'static str {
        self.text
    }
}

impl fmt::Display for ErrorReply {
    /// The reply line without its CRLF: `501 5.5.4 text`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.code, self.enhanced, self.text)
    }
}

/// One of the crate's own replies; `replies_are_consistent` checks each
/// against [`ErrorReply::new`].
const fn reply(code: u16, detail: (u16, u16), text: &'static str) -> ErrorReply {
    ErrorReply {
        code: ReplyCode::known(code),
        enhanced: EnhancedStatusCode::known(code / 100, detail.0, detail.1),
        text,
    }
}

impl ErrorKind {
    /// The reply a server should send for this kind of error.
    ///
    /// The codes follow RFC 5321 §4.2.4 (500 not recognised, 501 bad arguments,
    /// 502 not implemented, 504 parameter not implemented, 555 MAIL/RCPT
    /// parameter not recognised) and RFC 3463 for the enhanced codes.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ErrorKind;
    ///
    /// assert_eq!(ErrorKind::LineTooLong.reply().to_string(), "500 5.5.2 Line too long");
    /// assert_eq!(ErrorKind::AuthLineTooLong.reply().enhanced().to_string(), "5.5.6");
    /// ```
    pub const fn reply(self) -> ErrorReply {
        match self {
            ErrorKind::LineTooLong => reply(500, (5, 2), "Line too long"),
            ErrorKind::AuthLineTooLong => {
                reply(500, (5, 6), "Authentication exchange line is too long")
            }
            ErrorKind::BareLf => reply(500, (5, 2), "Bare LF received; lines must end with CRLF"),
            ErrorKind::BareCr => reply(500, (5, 2), "Bare CR received; lines must end with CRLF"),
            ErrorKind::Nul => reply(500, (5, 2), "NUL octet received"),
            ErrorKind::InvalidCharacter => reply(500, (5, 2), "Syntax error, invalid character"),
            ErrorKind::InvalidCommand => reply(500, (5, 2), "Syntax error, command unrecognized"),
            ErrorKind::UnrecognizedCommand => {
                reply(500, (5, 2), "Syntax error, command unrecognized")
            }
            ErrorKind::NotImplemented => reply(502, (5, 1), "Command not implemented"),
            ErrorKind::InvalidSyntax => {
                reply(501, (5, 4), "Syntax error in parameters or arguments")
            }
            ErrorKind::MissingArgument => reply(501, (5, 4), "Syntax error, argument required"),
            ErrorKind::UnexpectedArgument => {
                reply(501, (5, 4), "Syntax error, no arguments allowed")
            }
            ErrorKind::InvalidSenderAddress => reply(501, (1, 7), "Bad sender address syntax"),
            ErrorKind::InvalidRecipientAddress => {
                reply(501, (1, 3), "Bad recipient address syntax")
            }
            ErrorKind::InvalidDomain => reply(501, (5, 4), "Invalid domain name"),
            ErrorKind::PathTooLong => reply(501, (5, 4), "Path too long"),
            ErrorKind::NonAsciiAddress => reply(553, (6, 7), "Non-ASCII address needs SMTPUTF8"),
            ErrorKind::InvalidParameter => reply(501, (5, 4), "Syntax error in parameters"),
            ErrorKind::InvalidParameterValue => {
                reply(501, (5, 4), "Syntax error in parameter value")
            }
            ErrorKind::UnsupportedParameterValue => {
                reply(504, (5, 4), "Command parameter value not implemented")
            }
            ErrorKind::DuplicateParameter => reply(501, (5, 4), "Duplicate parameter"),
            ErrorKind::UnsupportedParameter => {
                reply(555, (5, 4), "Parameter not recognized or not implemented")
            }
            ErrorKind::NumberOutOfRange => reply(501, (5, 4), "Number out of range"),
            ErrorKind::SizeOutOfRange => reply(
                552,
                (3, 4),
                "Message size exceeds fixed maximum message size",
            ),
            ErrorKind::InvalidBase64 => reply(501, (5, 2), "Invalid base64 data"),
            ErrorKind::AuthCancelled => reply(501, (5, 0), "Authentication cancelled"),
            ErrorKind::InvalidReplyCode => reply(500, (5, 2), "Invalid reply code"),
            ErrorKind::ReplyCodeMismatch => reply(500, (5, 2), "Reply lines carry different codes"),
            ErrorKind::TooManyReplyLines => reply(500, (5, 2), "Too many reply lines"),
            ErrorKind::InvalidReplyText => reply(500, (5, 2), "Invalid character in reply text"),
            ErrorKind::InvalidEnhancedCode => reply(500, (5, 2), "Invalid enhanced status code"),
            ErrorKind::MultilineChallenge => reply(500, (5, 2), "Multi-line 334 challenge"),
            ErrorKind::BareLfInData => reply(
                550,
                (5, 2),
                "Bare LF in message content; lines must end with CRLF",
            ),
            ErrorKind::BareCrInData => reply(
                550,
                (5, 2),
                "Bare CR in message content; lines must end with CRLF",
            ),
            ErrorKind::NulInData => reply(550, (5, 2), "NUL octet in message content"),
            ErrorKind::DataLineTooLong => reply(550, (5, 2), "Message content line too long"),
            ErrorKind::MessageTooLarge => reply(
                552,
                (3, 4),
                "Message size exceeds fixed maximum message size",
            ),
        }
    }
}

impl core::error::Error for ErrorKind {}

impl ErrorKind {
    /// What was wrong, as a peer of either side reads it: the problem, not
    /// the reply a server would send for it ([`reply`](ErrorKind::reply)).
    const fn description(self) -> &'static str {
        match self {
            ErrorKind::LineTooLong => "line longer than the limit",
            ErrorKind::AuthLineTooLong => "authentication line longer than the limit",
            ErrorKind::BareLf => "bare LF (a line must end with CRLF)",
            ErrorKind::BareCr => "bare CR (a line must end with CRLF)",
            ErrorKind::Nul => "NUL octet in a line",
            ErrorKind::InvalidCharacter => "octet not allowed here",
            ErrorKind::InvalidCommand => "not a command verb",
            ErrorKind::UnrecognizedCommand => "unknown command",
            ErrorKind::NotImplemented => "command not implemented",
            ErrorKind::InvalidSyntax => "malformed command arguments",
            ErrorKind::MissingArgument => "missing argument",
            ErrorKind::UnexpectedArgument => "argument to a command that takes none",
            ErrorKind::InvalidSenderAddress => "malformed sender address",
            ErrorKind::InvalidRecipientAddress => "malformed recipient address",
            ErrorKind::InvalidDomain => "malformed domain or address literal",
            ErrorKind::PathTooLong => "address longer than the limit",
            ErrorKind::NonAsciiAddress => "non-ASCII address without SMTPUTF8",
            ErrorKind::InvalidParameter => "malformed MAIL or RCPT parameter",
            ErrorKind::InvalidParameterValue => "malformed parameter value",
            ErrorKind::UnsupportedParameterValue => "unsupported parameter value",
            ErrorKind::DuplicateParameter => "parameter given twice",
            ErrorKind::UnsupportedParameter => "unknown or unsupported parameter",
            ErrorKind::NumberOutOfRange => "number out of range",
            ErrorKind::SizeOutOfRange => "size out of range",
            ErrorKind::InvalidBase64 => "invalid base64",
            ErrorKind::AuthCancelled => "authentication cancelled",
            ErrorKind::InvalidReplyCode => "malformed reply code",
            ErrorKind::ReplyCodeMismatch => "reply lines with different codes",
            ErrorKind::TooManyReplyLines => "reply with more lines than the limit",
            ErrorKind::InvalidReplyText => "control character in reply text",
            ErrorKind::InvalidEnhancedCode => {
                "enhanced status code out of range or of another class"
            }
            ErrorKind::MultilineChallenge => "334 challenge of more than one line",
            ErrorKind::BareLfInData => "bare LF in message content",
            ErrorKind::BareCrInData => "bare CR in message content",
            ErrorKind::NulInData => "NUL octet in message content",
            ErrorKind::DataLineTooLong => "message content line longer than the limit",
            ErrorKind::MessageTooLarge => "message larger than the limit",
        }
    }
}

impl fmt::Display for ErrorKind {
    /// What was wrong (`bare LF (a line must end with CRLF)`), on either
    /// side of the connection; the reply a server sends for it is
    /// [`reply`](ErrorKind::reply).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// A rejection: what was wrong, the reply to send, and how many bytes to skip
/// to resynchronise.
///
/// Errors are small, `Copy` and never allocate.
///
/// After an error, discard [`skip`](Error::skip) bytes from the front of the
/// buffer. When [`needs_resync`](Error::needs_resync) is true the offending line
/// has not ended within the bytes given, so its tail must be discarded with
/// [`skip_line`](crate::command::skip_line) as more bytes arrive. The tail of an
/// over-long line is never parsed as a new command.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Command, ErrorKind, Status};
///
/// let buf = b"MAIL FROM:<a@b.example> SIZE=x\r\nRSET\r\n";
/// let err = Command::parse(buf).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidParameterValue);
/// assert_eq!(err.reply().code().get(), 501);
/// // Skip the bad line; the pipelined RSET is still there.
/// let rest = &buf[err.skip()..];
/// assert!(matches!(Command::parse(rest), Ok(Status::Complete((Command::Rset, 6)))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
    skip: usize,
    needs_resync: bool,
}

impl Error {
    /// An error whose offending item ends `skip` bytes into the buffer.
    pub(crate) const fn new(kind: ErrorKind, skip: usize) -> Error {
        Error {
            kind,
            skip,
            needs_resync: false,
        }
    }

    /// An error whose offending line goes on past the end of the buffer.
    pub(crate) const fn unterminated(kind: ErrorKind, skip: usize) -> Error {
        Error {
            kind,
            skip,
            needs_resync: true,
        }
    }

    /// What was wrong.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, ErrorKind};
    /// let err = Command::parse(b"DATA now\r\n").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::UnexpectedArgument);
    /// ```
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// How many bytes from the front of the buffer to discard.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::Command;
    /// let err = Command::parse(b"QUIT now\r\nNOOP\r\n").unwrap_err();
    /// assert_eq!(err.skip(), 10);
    /// ```
    pub const fn skip(&self) -> usize {
        self.skip
    }

    /// `true` when the offending line has not ended yet: after discarding
    /// [`skip`](Error::skip) bytes, keep discarding through the next LF with
    /// [`skip_line`](crate::command::skip_line).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, ErrorKind};
    /// let long = [b'A'; 600];
    /// let err = Command::parse(&long).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::LineTooLong);
    /// assert!(err.needs_resync());
    /// assert_eq!(err.skip(), 600);
    /// ```
    pub const fn needs_resync(&self) -> bool {
        self.needs_resync
    }

    /// The reply a server should send.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::Command;
    /// let err = Command::parse(b"RCPT TO:<@>\r\n").unwrap_err();
    /// assert_eq!(err.reply().code().get(), 501);
    /// ```
    pub const fn reply(&self) -> ErrorReply {
        self.kind.reply()
    }

    /// The same error with nothing to skip (repeated for each LMTP
    /// recipient after the input was consumed once).
    pub(crate) const fn without_skip(self) -> Error {
        Error {
            kind: self.kind,
            skip: 0,
            needs_resync: false,
        }
    }

    /// The same error, with `skip` moved by `offset` bytes (for parsers that
    /// frame an item inside a larger buffer).
    pub(crate) const fn offset_by(self, offset: usize) -> Error {
        Error {
            kind: self.kind,
            skip: self.skip.saturating_add(offset),
            needs_resync: self.needs_resync,
        }
    }
}

impl fmt::Display for Error {
    /// What was wrong and where: `bare LF (a line must end with CRLF) in
    /// the line that ends at byte 27`. It reads the same for a client
    /// judging a server's reply as for a server judging a command; the reply
    /// a server sends is [`reply`](Error::reply).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind.description();
        let n = self.skip;
        let bytes = plural(n, "byte", "bytes");
        let item = match self.kind {
            ErrorKind::BareLfInData
            | ErrorKind::BareCrInData
            | ErrorKind::NulInData
            | ErrorKind::DataLineTooLong
            | ErrorKind::MessageTooLarge => None,
            ErrorKind::InvalidReplyCode
            | ErrorKind::ReplyCodeMismatch
            | ErrorKind::TooManyReplyLines
            | ErrorKind::InvalidReplyText
            | ErrorKind::InvalidEnhancedCode
            | ErrorKind::MultilineChallenge => Some("reply"),
            _ => Some("line"),
        };
        match (n, item) {
            (0, _) => f.write_str(kind),
            // Content has no items: the error is where reading stopped.
            (n, None) => write!(f, "{kind}, {n} {bytes} into the input"),
            (n, Some(item)) if self.needs_resync => {
                write!(
                    f,
                    "{kind} in a {item} that goes on past the {n} {bytes} read"
                )
            }
            (n, Some(item)) => write!(f, "{kind} in the {item} that ends at byte {n}"),
        }
    }
}

/// `one` for 1, `many` otherwise.
const fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

impl core::error::Error for Error {}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;

    /// Every kind maps to a reply whose enhanced class matches its code's first
    /// digit; `reply()` is const and would fail to compile otherwise, but the
    /// table is also checked here so that a new kind cannot slip through.
    #[test]
    fn replies_are_consistent() {
        let kinds = [
            ErrorKind::LineTooLong,
            ErrorKind::AuthLineTooLong,
            ErrorKind::BareLf,
            ErrorKind::BareCr,
            ErrorKind::Nul,
            ErrorKind::InvalidCharacter,
            ErrorKind::InvalidCommand,
            ErrorKind::UnrecognizedCommand,
            ErrorKind::NotImplemented,
            ErrorKind::InvalidSyntax,
            ErrorKind::MissingArgument,
            ErrorKind::UnexpectedArgument,
            ErrorKind::InvalidSenderAddress,
            ErrorKind::InvalidRecipientAddress,
            ErrorKind::InvalidDomain,
            ErrorKind::PathTooLong,
            ErrorKind::NonAsciiAddress,
            ErrorKind::InvalidParameter,
            ErrorKind::InvalidParameterValue,
            ErrorKind::UnsupportedParameterValue,
            ErrorKind::DuplicateParameter,
            ErrorKind::UnsupportedParameter,
            ErrorKind::NumberOutOfRange,
            ErrorKind::SizeOutOfRange,
            ErrorKind::InvalidBase64,
            ErrorKind::AuthCancelled,
            ErrorKind::InvalidReplyCode,
            ErrorKind::ReplyCodeMismatch,
            ErrorKind::TooManyReplyLines,
            ErrorKind::InvalidReplyText,
            ErrorKind::InvalidEnhancedCode,
            ErrorKind::MultilineChallenge,
            ErrorKind::BareLfInData,
            ErrorKind::BareCrInData,
            ErrorKind::NulInData,
            ErrorKind::DataLineTooLong,
            ErrorKind::MessageTooLarge,
        ];
        for kind in kinds {
            let reply = kind.reply();
            assert_eq!(
                ErrorReply::new(reply.code, reply.enhanced, reply.text),
                Ok(reply)
            );
        }
        assert_eq!(ErrorKind::NotImplemented.reply().code.get(), 502);
        assert_eq!(ErrorKind::UnsupportedParameterValue.reply().code.get(), 504);
        assert_eq!(ErrorKind::UnsupportedParameter.reply().code.get(), 555);
        assert_eq!(
            ErrorKind::NonAsciiAddress.reply().to_string(),
            "553 5.6.7 Non-ASCII address needs SMTPUTF8"
        );
    }

    /// Display says what was wrong and where, for either side, never as a
    /// reply the peer did not send; counts agree in number.
    #[test]
    fn display_describes_the_problem() {
        let shown = |kind, skip, resync| {
            let mut err = Error::new(kind, skip);
            err.needs_resync = resync;
            alloc::format!("{err}")
        };
        assert_eq!(
            shown(ErrorKind::BareLf, 27, false),
            "bare LF (a line must end with CRLF) in the line that ends at byte 27"
        );
        assert_eq!(
            shown(ErrorKind::ReplyCodeMismatch, 15, false),
            "reply lines with different codes in the reply that ends at byte 15"
        );
        assert_eq!(
            shown(ErrorKind::LineTooLong, 1, true),
            "line longer than the limit in a line that goes on past the 1 byte read"
        );
        assert_eq!(
            shown(ErrorKind::BareLfInData, 1, false),
            "bare LF in message content, 1 byte into the input"
        );
        assert_eq!(
            shown(ErrorKind::NulInData, 2, false),
            "NUL octet in message content, 2 bytes into the input"
        );
        assert_eq!(
            shown(ErrorKind::MessageTooLarge, 0, false),
            "message larger than the limit"
        );
        for kind in [
            ErrorKind::BareLf,
            ErrorKind::InvalidSyntax,
            ErrorKind::BareLfInData,
        ] {
            let text = shown(kind, 3, false);
            assert!(
                !text.contains(kind.reply().code().to_string().as_str()),
                "{text}"
            );
        }
    }
}
