//! The two numeric codes of a reply: [`ReplyCode`] (RFC 5321 §4.2) and
//! [`EnhancedStatusCode`] (RFC 3463), with named constants for the codes
//! servers send every day. What they mean is in `meaning.rs`.

use core::fmt;
use core::str::FromStr;

use crate::syntax;
use crate::types::error::ErrorKind;

/// A three-digit SMTP reply code, valid by construction.
///
/// ```abnf
/// Reply-code = %x32-35 %x30-35 %x30-39   ; RFC 5321 §4.2
/// ```
///
/// The first digit is 2 to 5 and the second 0 to 5, so `150`, `260` and `600`
/// cannot be represented. The codes of RFC 5321 §4.2.3 and of the common
/// extensions are constants, usable in `const` context:
///
/// # Examples
///
/// ```
/// use smtp_wire::reply::ReplyCode;
///
/// const OK: ReplyCode = ReplyCode::OK;
/// assert_eq!(OK.get(), 250);
/// assert_eq!(ReplyCode::new(354), Ok(ReplyCode::START_MAIL_INPUT));
/// assert!(ReplyCode::new(260).is_err());
/// assert!(ReplyCode::new(199).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReplyCode(u16);

/// Defines `ReplyCode` constants; each value is checked at compile time.
macro_rules! reply_codes {
    ($($(#[$doc:meta])* $name:ident = $value:literal;)*) => {
        impl ReplyCode {
            $(
                $(#[$doc])*
                pub const $name: ReplyCode = ReplyCode::known($value);
            )*
        }
    };
}

reply_codes! {
    /// 211: system status, or system help reply (RFC 5321 §4.2.3).
    SYSTEM_STATUS = 211;
    /// 214: help message (RFC 5321 §4.2.3).
    HELP_MESSAGE = 214;
    /// 220: `<domain>` service ready; also the answer to STARTTLS (RFC 3207).
    SERVICE_READY = 220;
    /// 221: `<domain>` service closing transmission channel, the answer to QUIT.
    SERVICE_CLOSING = 221;
    /// 235: authentication succeeded (RFC 4954 §6).
    AUTH_SUCCEEDED = 235;
    /// 250: requested mail action okay, completed.
    OK = 250;
    /// 251: user not local; will forward.
    WILL_FORWARD = 251;
    /// 252: cannot VRFY user, but will accept message and attempt delivery.
    CANNOT_VERIFY = 252;
    /// 334: a server challenge in an AUTH exchange (RFC 4954 §4).
    AUTH_CHALLENGE = 334;
    /// 354: start mail input; end with `<CRLF>.<CRLF>`.
    START_MAIL_INPUT = 354;
    /// 421: service not available, closing transmission channel.
    SERVICE_NOT_AVAILABLE = 421;
    /// 450: mailbox unavailable (busy or temporarily blocked).
    MAILBOX_BUSY = 450;
    /// 451: requested action aborted: local error in processing.
    LOCAL_ERROR = 451;
    /// 452: insufficient system storage; also "too many recipients".
    INSUFFICIENT_STORAGE = 452;
    /// 454: temporary authentication failure (RFC 4954), or TLS not
    /// available (RFC 3207).
    TEMPORARY_FAILURE = 454;
    /// 455: server unable to accommodate parameters.
    PARAMETERS_NOT_ACCOMMODATED = 455;
    /// 500: syntax error, command unrecognized (also: line too long).
    SYNTAX_ERROR = 500;
    /// 501: syntax error in parameters or arguments.
    PARAMETER_SYNTAX_ERROR = 501;
    /// 502: command not implemented.
    NOT_IMPLEMENTED = 502;
    /// 503: bad sequence of commands.
    BAD_SEQUENCE = 503;
    /// 504: command parameter not implemented.
    PARAMETER_NOT_IMPLEMENTED = 504;
    /// 521: host does not accept mail (RFC 7504).
    DOES_NOT_ACCEPT_MAIL = 521;
    /// 530: authentication required (RFC 4954), or STARTTLS first (RFC 3207).
    AUTH_REQUIRED = 530;
    /// 534: authentication mechanism is too weak (RFC 4954).
    AUTH_TOO_WEAK = 534;
    /// 535: authentication credentials invalid (RFC 4954).
    AUTH_INVALID = 535;
    /// 550: requested action not taken: mailbox unavailable.
    MAILBOX_UNAVAILABLE = 550;
    /// 551: user not local; please try `<forward-path>`.
    USER_NOT_LOCAL = 551;
    /// 552: requested mail action aborted: exceeded storage allocation.
    EXCEEDED_STORAGE = 552;
    /// 553: requested action not taken: mailbox name not allowed.
    MAILBOX_NAME_NOT_ALLOWED = 553;
    /// 554: transaction failed (in a greeting: no SMTP service here).
    TRANSACTION_FAILED = 554;
    /// 555: MAIL FROM/RCPT TO parameters not recognized or not implemented.
    PARAMETERS_NOT_RECOGNIZED = 555;
    /// 556: domain does not accept mail (RFC 7504).
    DOMAIN_DOES_NOT_ACCEPT_MAIL = 556;
}

impl ReplyCode {
    /// Validates a reply code: first digit 2–5, second digit 0–5.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyCode`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::ReplyCode;
    /// assert!(ReplyCode::new(554).is_ok());
    /// assert!(ReplyCode::new(2500).is_err());
    /// ```
    pub const fn new(code: u16) -> Result<ReplyCode, ErrorKind> {
        let first = code / 100;
        let second = (code / 10) % 10;
        if first >= 2 && first <= 5 && second <= 5 {
            Ok(ReplyCode(code))
        } else {
            Err(ErrorKind::InvalidReplyCode)
        }
    }

    /// Builds a code from its three ASCII digits, as they appear on the wire.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyCode`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::ReplyCode;
    /// assert_eq!(ReplyCode::from_digits(*b"421"), Ok(ReplyCode::SERVICE_NOT_AVAILABLE));
    /// assert!(ReplyCode::from_digits(*b"2x0").is_err());
    /// ```
    pub const fn from_digits(digits: [u8; 3]) -> Result<ReplyCode, ErrorKind> {
        let [a, b, c] = digits;
        if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() {
            ReplyCode::new((a - b'0') as u16 * 100 + (b - b'0') as u16 * 10 + (c - b'0') as u16)
        } else {
            Err(ErrorKind::InvalidReplyCode)
        }
    }

    /// For the constants above: a compile error if `code` is not valid.
    pub(crate) const fn known(code: u16) -> ReplyCode {
        match ReplyCode::new(code) {
            Ok(code) => code,
            Err(_) => panic!("invalid reply code constant"),
        }
    }

    /// The numeric value.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::reply::ReplyCode::START_MAIL_INPUT.get(), 354);
    /// ```
    pub const fn get(self) -> u16 {
        self.0
    }

    /// The three ASCII digits, as written on the wire.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::reply::ReplyCode::AUTH_SUCCEEDED.digits(), *b"235");
    /// ```
    pub const fn digits(self) -> [u8; 3] {
        [
            b'0' + (self.0 / 100) as u8,
            b'0' + ((self.0 / 10) % 10) as u8,
            b'0' + (self.0 % 10) as u8,
        ]
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.digits();
        // Three ASCII digits.
        f.write_str(core::str::from_utf8(&digits).unwrap_or("???"))
    }
}

impl TryFrom<u16> for ReplyCode {
    type Error = ErrorKind;

    /// Same as [`ReplyCode::new`].
    fn try_from(code: u16) -> Result<ReplyCode, ErrorKind> {
        ReplyCode::new(code)
    }
}

impl From<ReplyCode> for u16 {
    fn from(code: ReplyCode) -> u16 {
        code.0
    }
}

/// An enhanced mail system status code, `class.subject.detail`, valid by
/// construction (RFC 3463).
///
/// ```abnf
/// status-code = class "." subject "." detail   ; RFC 3463 §2
/// class       = "2" / "4" / "5"
/// subject     = 1*3digit
/// detail      = 1*3digit
/// ```
///
/// Each field is a `u16`. The codes servers send most often are constants:
/// success codes are named for what succeeded (`OK`, `DESTINATION_VALID`),
/// permanent failures (5.x.x) by their RFC 3463 name
/// (`BAD_DESTINATION_MAILBOX`), and transient failures (4.x.x) carry a
/// `TEMP_` prefix (`TEMP_MAILBOX_FULL`). [`summary`](EnhancedStatusCode::summary)
/// gives any code's registered meaning.
///
/// # Examples
///
/// ```
/// use smtp_wire::reply::EnhancedStatusCode;
///
/// const NO_SUCH_USER: EnhancedStatusCode = EnhancedStatusCode::BAD_DESTINATION_MAILBOX;
/// assert_eq!(NO_SUCH_USER.to_string(), "5.1.1");
/// assert_eq!(NO_SUCH_USER.summary(), "Bad destination mailbox address");
/// assert_eq!("5.1.1".parse(), Ok(NO_SUCH_USER));
/// assert!(EnhancedStatusCode::new(3, 0, 0).is_err());
/// assert!(EnhancedStatusCode::new(5, 1000, 0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnhancedStatusCode {
    class: u16,
    subject: u16,
    detail: u16,
}

/// Defines `EnhancedStatusCode` constants; each value is checked at compile
/// time.
macro_rules! enhanced_codes {
    ($($(#[$doc:meta])* $name:ident = ($class:literal, $subject:literal, $detail:literal);)*) => {
        impl EnhancedStatusCode {
            $(
                $(#[$doc])*
                pub const $name: EnhancedStatusCode =
                    EnhancedStatusCode::known($class, $subject, $detail);
            )*
        }
    };
}

enhanced_codes! {
    /// 2.0.0: success, nothing more to say (Postfix's "250 2.0.0 Ok").
    OK = (2, 0, 0);
    /// 2.1.0: the sender address is fine (the usual answer to MAIL).
    ADDRESS_OK = (2, 1, 0);
    /// 2.1.5: destination address valid (the usual answer to RCPT).
    DESTINATION_VALID = (2, 1, 5);
    /// 2.6.0: the message content was accepted (the answer to the end of
    /// data some servers send).
    MESSAGE_OK = (2, 6, 0);
    /// 2.7.0: security status fine, e.g. "235 2.7.0 Authentication
    /// successful" (RFC 4954).
    SECURITY_OK = (2, 7, 0);
    /// 4.2.2: mailbox full, try later.
    TEMP_MAILBOX_FULL = (4, 2, 2);
    /// 4.3.0: other or undefined mail system status: a temporary local error.
    TEMP_SYSTEM_ERROR = (4, 3, 0);
    /// 4.3.1: mail system full.
    TEMP_SYSTEM_FULL = (4, 3, 1);
    /// 4.4.1: no answer from host.
    TEMP_NO_ANSWER = (4, 4, 1);
    /// 4.4.2: bad connection.
    TEMP_BAD_CONNECTION = (4, 4, 2);
    /// 4.5.3: too many recipients (the 452 of RFC 5321 §4.5.3.1.10).
    TEMP_TOO_MANY_RECIPIENTS = (4, 5, 3);
    /// 4.7.0: temporary security failure (e.g. TLS not available now).
    TEMP_SECURITY = (4, 7, 0);
    /// 5.1.1: bad destination mailbox address (no such user).
    BAD_DESTINATION_MAILBOX = (5, 1, 1);
    /// 5.1.3: bad destination mailbox address syntax.
    BAD_DESTINATION_SYNTAX = (5, 1, 3);
    /// 5.1.7: bad sender's mailbox address syntax.
    BAD_SENDER_SYNTAX = (5, 1, 7);
    /// 5.2.2: mailbox full.
    MAILBOX_FULL = (5, 2, 2);
    /// 5.3.4: message too big for system.
    MESSAGE_TOO_BIG = (5, 3, 4);
    /// 5.5.0: other or undefined protocol status, e.g. a pipelining
    /// synchronisation error.
    PROTOCOL_ERROR = (5, 5, 0);
    /// 5.5.1: invalid command (also: bad sequence of commands).
    INVALID_COMMAND = (5, 5, 1);
    /// 5.5.2: syntax error.
    SYNTAX_ERROR = (5, 5, 2);
    /// 5.5.3: too many recipients.
    TOO_MANY_RECIPIENTS = (5, 5, 3);
    /// 5.5.4: invalid command arguments.
    INVALID_ARGUMENTS = (5, 5, 4);
    /// 5.5.6: authentication exchange line is too long (RFC 4954).
    AUTH_LINE_TOO_LONG = (5, 5, 6);
    /// 5.6.7: non-ASCII addresses not permitted for that sender/recipient
    /// (RFC 6531).
    NON_ASCII_ADDRESS = (5, 6, 7);
    /// 5.7.0: other or undefined security status (e.g. authentication
    /// required).
    SECURITY = (5, 7, 0);
    /// 5.7.1: delivery not authorized, message refused.
    NOT_AUTHORIZED = (5, 7, 1);
    /// 5.7.8: authentication credentials invalid (RFC 4954).
    AUTH_INVALID = (5, 7, 8);
}

impl EnhancedStatusCode {
    /// Validates the three parts: class 2, 4 or 5; subject and detail at most 999.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidEnhancedCode`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::EnhancedStatusCode;
    /// assert!(EnhancedStatusCode::new(4, 7, 30).is_ok());
    /// assert_eq!(EnhancedStatusCode::new(5, 7, 1), Ok(EnhancedStatusCode::NOT_AUTHORIZED));
    /// ```
    pub const fn new(
        class: u16,
        subject: u16,
        detail: u16,
    ) -> Result<EnhancedStatusCode, ErrorKind> {
        if (class == 2 || class == 4 || class == 5) && subject <= 999 && detail <= 999 {
            Ok(EnhancedStatusCode {
                class,
                subject,
                detail,
            })
        } else {
            Err(ErrorKind::InvalidEnhancedCode)
        }
    }

    /// For the constants above: a compile error if the code is not valid.
    pub(crate) const fn known(class: u16, subject: u16, detail: u16) -> EnhancedStatusCode {
        match EnhancedStatusCode::new(class, subject, detail) {
            Ok(code) => code,
            Err(_) => panic!("invalid enhanced status code constant"),
        }
    }

    /// The class: 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::reply::EnhancedStatusCode::NOT_AUTHORIZED.class(), 5);
    /// ```
    pub const fn class(self) -> u16 {
        self.class
    }

    /// The subject (0 to 999), for example 1 for addressing.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::reply::EnhancedStatusCode::NOT_AUTHORIZED.subject(), 7);
    /// ```
    pub const fn subject(self) -> u16 {
        self.subject
    }

    /// The detail (0 to 999).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::reply::EnhancedStatusCode::NOT_AUTHORIZED.detail(), 1);
    /// ```
    pub const fn detail(self) -> u16 {
        self.detail
    }

    /// The same subject and detail in another class, e.g. the transient
    /// twin of a permanent code.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidEnhancedCode`] unless `class` is 2, 4 or 5.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::EnhancedStatusCode;
    /// let temp = EnhancedStatusCode::MAILBOX_FULL.with_class(4).unwrap();
    /// assert_eq!(temp, EnhancedStatusCode::TEMP_MAILBOX_FULL);
    /// ```
    pub const fn with_class(self, class: u16) -> Result<EnhancedStatusCode, ErrorKind> {
        EnhancedStatusCode::new(class, self.subject, self.detail)
    }

    /// Splits a reply text into its enhanced status code and the rest, taking
    /// the code only when its class equals the reply code's first digit
    /// (RFC 3463 §2: "the class ... must match the first digit").
    pub(crate) fn split_text(code: ReplyCode, text: &str) -> (Option<EnhancedStatusCode>, &str) {
        match syntax::enhanced_code_prefix(text.as_bytes()) {
            Some(([class, subject, detail], used)) if class == code.get() / 100 => {
                // `used` ends on an ASCII digit, so both indices are char
                // boundaries; the prefix reader checked every range.
                let esc = EnhancedStatusCode {
                    class,
                    subject,
                    detail,
                };
                (Some(esc), text.get(used + 1..).unwrap_or(""))
            }
            _ => (None, text),
        }
    }

    /// The number of bytes [`Display`](fmt::Display) writes.
    pub(crate) const fn text_len(self) -> usize {
        const fn digits(n: u16) -> usize {
            match n {
                0..=9 => 1,
                10..=99 => 2,
                _ => 3,
            }
        }
        3 + digits(self.subject) + digits(self.detail)
    }
}

impl fmt::Display for EnhancedStatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

impl FromStr for EnhancedStatusCode {
    type Err = ErrorKind;

    /// Reads exactly `class.subject.detail`, as [`Display`](fmt::Display)
    /// writes it: subject and detail have 1 to 3 digits and no leading zeros
    /// (RFC 3463 §2, RFC 2034 §4).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::EnhancedStatusCode;
    /// assert_eq!("4.2.2".parse(), Ok(EnhancedStatusCode::TEMP_MAILBOX_FULL));
    /// assert!("5.01.1".parse::<EnhancedStatusCode>().is_err());
    /// assert!("5.1.1 text".parse::<EnhancedStatusCode>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<EnhancedStatusCode, ErrorKind> {
        match syntax::enhanced_code_prefix(text.as_bytes()) {
            Some(([class, subject, detail], used)) if used == text.len() => {
                EnhancedStatusCode::new(class, subject, detail)
            }
            _ => Err(ErrorKind::InvalidEnhancedCode),
        }
    }
}

impl TryFrom<&str> for EnhancedStatusCode {
    type Error = ErrorKind;

    /// Same as [`str::parse`].
    fn try_from(text: &str) -> Result<EnhancedStatusCode, ErrorKind> {
        text.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enhanced_text_forms() {
        for text in ["2.0.0", "5.7.30", "4.999.999", "5.10.0"] {
            let code: EnhancedStatusCode = text.parse().unwrap();
            assert_eq!(code.text_len(), text.len());
        }
        for bad in [
            "5.1000.1", "5.1.1000", "5..1", "5.1.", "5.1.1x", "5.1.1\t", "1.1.1", "55.1.1", "5.1",
            "", "5.00.1", "5.1.01", "5.1.1 ",
        ] {
            assert!(bad.parse::<EnhancedStatusCode>().is_err(), "{bad:?}");
        }
        let code = ReplyCode::MAILBOX_UNAVAILABLE;
        assert_eq!(
            EnhancedStatusCode::split_text(code, "5.1.1 User unknown"),
            (
                Some(EnhancedStatusCode::BAD_DESTINATION_MAILBOX),
                "User unknown"
            )
        );
        assert_eq!(
            EnhancedStatusCode::split_text(code, "5.1.1"),
            (Some(EnhancedStatusCode::BAD_DESTINATION_MAILBOX), "")
        );
        // A class that does not match the reply code stays text.
        assert_eq!(
            EnhancedStatusCode::split_text(ReplyCode::OK, "5.1.1 x"),
            (None, "5.1.1 x")
        );
    }

    #[test]
    fn reply_code_display() {
        assert_eq!(ReplyCode::OK.to_string(), "250");
        assert_eq!(u16::from(ReplyCode::SERVICE_READY), 220);
        assert_eq!(ReplyCode::try_from(600), Err(ErrorKind::InvalidReplyCode));
    }
}
