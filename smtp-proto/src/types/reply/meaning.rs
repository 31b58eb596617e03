//! What reply codes and enhanced status codes mean: [`ReplyClass`],
//! [`ReplyCategory`], the standard texts of known reply codes
//! ([`ReplyCode::meaning`]) and the IANA "SMTP Enhanced Status Codes"
//! registry ([`EnhancedStatusCode::description`]).
//!
//! These are `impl` blocks on the types of `types::code`; nothing here parses.

use core::fmt;

use crate::types::reply::code::{EnhancedStatusCode, ReplyCode};

/// The first digit of a reply code (RFC 5321 §4.2.1).
///
/// RFC 821's `1yz` (positive preliminary) is not an SMTP reply and cannot be
/// held by a [`ReplyCode`].
///
/// # Examples
///
/// ```
/// use smtp_wire::reply::{ReplyClass, ReplyCode};
///
/// let class = ReplyCode::INSUFFICIENT_STORAGE.class();
/// assert_eq!(class, ReplyClass::TransientNegative);
/// assert_eq!(class.as_str(), "transient-negative");
/// assert!(class.is_negative());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReplyClass {
    /// `2yz`: the requested action has been completed.
    PositiveCompletion,
    /// `3yz`: accepted, but the server waits for more input (354, 334).
    PositiveIntermediate,
    /// `4yz`: not accepted for now; the same command may succeed later.
    TransientNegative,
    /// `5yz`: not accepted; do not repeat the same command unchanged.
    PermanentNegative,
}

impl ReplyClass {
    /// The kebab-case name, for machine-readable output.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::reply::ReplyClass::PositiveCompletion.as_str(), "positive-completion");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ReplyClass::PositiveCompletion => "positive-completion",
            ReplyClass::PositiveIntermediate => "positive-intermediate",
            ReplyClass::TransientNegative => "transient-negative",
            ReplyClass::PermanentNegative => "permanent-negative",
        }
    }

    /// `true` for the two positive classes (2yz and 3yz).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::reply::ReplyClass::PositiveIntermediate.is_positive());
    /// ```
    pub const fn is_positive(self) -> bool {
        matches!(
            self,
            ReplyClass::PositiveCompletion | ReplyClass::PositiveIntermediate
        )
    }

    /// `true` for the two negative classes (4yz and 5yz).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::reply::ReplyClass::PermanentNegative.is_negative());
    /// ```
    pub const fn is_negative(self) -> bool {
        !self.is_positive()
    }
}

impl fmt::Display for ReplyClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The second digit of a reply code (RFC 5321 §4.2.1).
///
/// RFC 5321 leaves `x3z` and `x4z` unspecified; both map to
/// [`ReplyCategory::Unspecified`] (in practice `x3z` holds the AUTH replies
/// 530–538 of RFC 4954 and `x4z` nothing standard).
///
/// # Examples
///
/// ```
/// use smtp_wire::reply::{ReplyCategory, ReplyCode};
///
/// assert_eq!(ReplyCode::MAILBOX_UNAVAILABLE.category(), ReplyCategory::MailSystem);
/// assert_eq!(ReplyCode::AUTH_INVALID.category(), ReplyCategory::Unspecified);
/// assert_eq!(ReplyCategory::MailSystem.as_str(), "mail-system");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReplyCategory {
    /// `x0z`: syntax errors, and commands that are unimplemented or superfluous.
    Syntax,
    /// `x1z`: replies to requests for information, such as status or help.
    Information,
    /// `x2z`: the transmission channel.
    Connections,
    /// `x3z` and `x4z`: not specified by RFC 5321.
    Unspecified,
    /// `x5z`: the status of the receiver mail system.
    MailSystem,
}

impl ReplyCategory {
    /// The kebab-case name, for machine-readable output.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::reply::ReplyCategory::Connections.as_str(), "connections");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ReplyCategory::Syntax => "syntax",
            ReplyCategory::Information => "information",
            ReplyCategory::Connections => "connections",
            ReplyCategory::Unspecified => "unspecified",
            ReplyCategory::MailSystem => "mail-system",
        }
    }
}

impl fmt::Display for ReplyCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The standard meaning of a known reply code: the RFC's text and where it is
/// defined.
///
/// # Examples
///
/// ```
/// use smtp_wire::reply::ReplyCode;
///
/// let meaning = ReplyCode::START_MAIL_INPUT.meaning().unwrap();
/// assert_eq!(meaning.text, "Start mail input; end with <CRLF>.<CRLF>");
/// assert_eq!(meaning.reference, "RFC 5321 §4.2.2");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Meaning {
    /// The text the defining RFC gives, for example "Bad sequence of commands".
    pub text: &'static str,
    /// The defining document and section, for example "RFC 5321 §4.2.2".
    pub reference: &'static str,
}

const fn m(text: &'static str, reference: &'static str) -> Option<Meaning> {
    Some(Meaning { text, reference })
}

const RFC5321: &str = "RFC 5321 §4.2.2";
const RFC4954: &str = "RFC 4954 §6";
const RFC1985: &str = "RFC 1985 §5";

impl ReplyCode {
    /// The class given by the first digit.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::{ReplyClass, ReplyCode};
    /// assert_eq!(ReplyCode::START_MAIL_INPUT.class(), ReplyClass::PositiveIntermediate);
    /// ```
    pub const fn class(self) -> ReplyClass {
        match self.get() / 100 {
            2 => ReplyClass::PositiveCompletion,
            3 => ReplyClass::PositiveIntermediate,
            4 => ReplyClass::TransientNegative,
            // A ReplyCode's first digit is 2 to 5.
            _ => ReplyClass::PermanentNegative,
        }
    }

    /// The category given by the second digit.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::{ReplyCategory, ReplyCode};
    /// assert_eq!(ReplyCode::SERVICE_NOT_AVAILABLE.category(), ReplyCategory::Connections);
    /// assert_eq!(ReplyCode::SYNTAX_ERROR.category(), ReplyCategory::Syntax);
    /// ```
    pub const fn category(self) -> ReplyCategory {
        match (self.get() / 10) % 10 {
            0 => ReplyCategory::Syntax,
            1 => ReplyCategory::Information,
            2 => ReplyCategory::Connections,
            3 | 4 => ReplyCategory::Unspecified,
            // A ReplyCode's second digit is 0 to 5.
            _ => ReplyCategory::MailSystem,
        }
    }

    /// The standard text of a known code, with its RFC; `None` for a code
    /// that is well-formed but not defined by any RFC this crate knows (its
    /// [`class`](ReplyCode::class) and [`category`](ReplyCode::category)
    /// still say what it means broadly: RFC 5321 §4.2.1 asks clients to act
    /// on the first digit of unknown codes).
    ///
    /// Known: the codes of RFC 5321 §4.2.2, 235/334/432/454/530/534/535/538
    /// (RFC 4954), 253/458/459 (ETRN, RFC 1985), 453 (ATRN, RFC 2645) and
    /// 521/556 (RFC 7504).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::ReplyCode;
    ///
    /// let code = ReplyCode::AUTH_INVALID;
    /// assert_eq!(code.meaning().unwrap().text, "Authentication credentials invalid");
    /// assert!(ReplyCode::new(259).unwrap().meaning().is_none());
    /// ```
    pub const fn meaning(self) -> Option<Meaning> {
        match self.get() {
            211 => m("System status, or system help reply", RFC5321),
            214 => m("Help message", RFC5321),
            220 => m("<domain> Service ready", RFC5321),
            221 => m("<domain> Service closing transmission channel", RFC5321),
            235 => m("Authentication succeeded", RFC4954),
            250 => m("Requested mail action okay, completed", RFC5321),
            251 => m("User not local; will forward to <forward-path>", RFC5321),
            252 => m(
                "Cannot VRFY user, but will accept message and attempt delivery",
                RFC5321,
            ),
            253 => m("OK, <n> pending messages for node <x> started", RFC1985),
            334 => m("Server challenge (base64) in an AUTH exchange", RFC4954),
            354 => m("Start mail input; end with <CRLF>.<CRLF>", RFC5321),
            421 => m(
                "<domain> Service not available, closing transmission channel",
                RFC5321,
            ),
            432 => m("A password transition is needed", RFC4954),
            450 => m(
                "Requested mail action not taken: mailbox unavailable",
                RFC5321,
            ),
            451 => m(
                "Requested action aborted: local error in processing",
                RFC5321,
            ),
            452 => m(
                "Requested action not taken: insufficient system storage",
                RFC5321,
            ),
            453 => m("You have no mail", "RFC 2645 §6"),
            454 => m("Temporary authentication failure", RFC4954),
            455 => m("Server unable to accommodate parameters", RFC5321),
            458 => m("Unable to queue messages for node <x>", RFC1985),
            459 => m("Node <x> not allowed: <reason>", RFC1985),
            500 => m("Syntax error, command unrecognized", RFC5321),
            501 => m("Syntax error in parameters or arguments", RFC5321),
            502 => m("Command not implemented", RFC5321),
            503 => m("Bad sequence of commands", RFC5321),
            504 => m("Command parameter not implemented", RFC5321),
            521 => m("Host does not accept mail", "RFC 7504 §3"),
            530 => m("Authentication required", RFC4954),
            534 => m("Authentication mechanism is too weak", RFC4954),
            535 => m("Authentication credentials invalid", RFC4954),
            538 => m(
                "Encryption required for requested authentication mechanism",
                RFC4954,
            ),
            550 => m("Requested action not taken: mailbox unavailable", RFC5321),
            551 => m("User not local; please try <forward-path>", RFC5321),
            552 => m(
                "Requested mail action aborted: exceeded storage allocation",
                RFC5321,
            ),
            553 => m(
                "Requested action not taken: mailbox name not allowed",
                RFC5321,
            ),
            554 => m(
                "Transaction failed (in a greeting: No SMTP service here)",
                RFC5321,
            ),
            555 => m(
                "MAIL FROM/RCPT TO parameters not recognized or not implemented",
                RFC5321,
            ),
            556 => m("Domain does not accept mail", "RFC 7504 §3"),
            _ => None,
        }
    }
}

/// One entry of the IANA "SMTP Enhanced Status Codes" registry
/// (RFC 5248), for the code `X.subject.detail` in every class.
///
/// # Examples
///
/// ```
/// use smtp_wire::reply::EnhancedStatusCode;
///
/// let entry = EnhancedStatusCode::BAD_DESTINATION_MAILBOX.description().unwrap();
/// assert_eq!(entry.text, "Bad destination mailbox address");
/// assert_eq!(entry.basic_codes, "451, 550");
/// assert_eq!(entry.reference, "RFC 3463");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnhancedMeaning {
    /// The subject sub-code.
    pub subject: u16,
    /// The detail sub-code.
    pub detail: u16,
    /// The registry's sample text.
    pub text: &'static str,
    /// The registry's associated basic reply codes, as listed there (for
    /// example "451, 550"); empty when none are listed.
    pub basic_codes: &'static str,
    /// The defining documents, for example "RFC 3463".
    pub reference: &'static str,
}

const fn e(
    subject: u16,
    detail: u16,
    text: &'static str,
    basic_codes: &'static str,
    reference: &'static str,
) -> EnhancedMeaning {
    EnhancedMeaning {
        subject,
        detail,
        text,
        basic_codes,
        reference,
    }
}

/// The registry from X.0.0 through X.7.30, sorted by subject then detail.
const REGISTRY: &[EnhancedMeaning] = &[
    e(0, 0, "Other undefined Status", "any", "RFC 3463"),
    e(1, 0, "Other address status", "", "RFC 3463"),
    e(
        1,
        1,
        "Bad destination mailbox address",
        "451, 550",
        "RFC 3463",
    ),
    e(1, 2, "Bad destination system address", "", "RFC 3463"),
    e(
        1,
        3,
        "Bad destination mailbox address syntax",
        "501",
        "RFC 3463",
    ),
    e(
        1,
        4,
        "Destination mailbox address ambiguous",
        "",
        "RFC 3463",
    ),
    e(1, 5, "Destination address valid", "250", "RFC 3463"),
    e(
        1,
        6,
        "Destination mailbox has moved, No forwarding address",
        "",
        "RFC 3463",
    ),
    e(1, 7, "Bad sender's mailbox address syntax", "", "RFC 3463"),
    e(1, 8, "Bad sender's system address", "451, 501", "RFC 3463"),
    e(
        1,
        9,
        "Message relayed to non-compliant mailer",
        "",
        "RFC 3886",
    ),
    e(
        1,
        10,
        "Recipient address has null MX",
        "556",
        "RFC 7505, RFC 7504",
    ),
    e(2, 0, "Other or undefined mailbox status", "", "RFC 3463"),
    e(
        2,
        1,
        "Mailbox disabled, not accepting messages",
        "",
        "RFC 3463",
    ),
    e(2, 2, "Mailbox full", "552", "RFC 3463"),
    e(
        2,
        3,
        "Message length exceeds administrative limit",
        "552",
        "RFC 3463",
    ),
    e(
        2,
        4,
        "Mailing list expansion problem",
        "450, 452",
        "RFC 3463",
    ),
    e(
        3,
        0,
        "Other or undefined mail system status",
        "221, 250, 421, 451, 550, 554",
        "RFC 3463",
    ),
    e(3, 1, "Mail system full", "452", "RFC 3463"),
    e(
        3,
        2,
        "System not accepting network messages",
        "453, 521",
        "RFC 3463, RFC 7504",
    ),
    e(
        3,
        3,
        "System not capable of selected features",
        "",
        "RFC 3463",
    ),
    e(3, 4, "Message too big for system", "552, 554", "RFC 3463"),
    e(3, 5, "System incorrectly configured", "", "RFC 3463"),
    e(
        3,
        6,
        "Requested priority was changed",
        "250 or 251",
        "RFC 6710",
    ),
    e(
        4,
        0,
        "Other or undefined network or routing status",
        "",
        "RFC 3463",
    ),
    e(4, 1, "No answer from host", "451", "RFC 3463"),
    e(4, 2, "Bad connection", "421", "RFC 3463"),
    e(4, 3, "Directory server failure", "451, 550", "RFC 3463"),
    e(4, 4, "Unable to route", "", "RFC 3463"),
    e(4, 5, "Mail system congestion", "451", "RFC 3463"),
    e(4, 6, "Routing loop detected", "", "RFC 3463"),
    e(4, 7, "Delivery time expired", "", "RFC 3463"),
    e(
        5,
        0,
        "Other or undefined protocol status",
        "220, 250, 251, 252, 253, 451, 452, 454, 458, 459, 501, 502, 503, 554",
        "RFC 3463",
    ),
    e(
        5,
        1,
        "Invalid command",
        "430, 500, 501, 503, 530, 550, 554, 555",
        "RFC 3463",
    ),
    e(5, 2, "Syntax error", "500, 501, 502, 550, 555", "RFC 3463"),
    e(5, 3, "Too many recipients", "451", "RFC 3463"),
    e(
        5,
        4,
        "Invalid command arguments",
        "451, 501, 502, 503, 504, 550, 555",
        "RFC 3463",
    ),
    e(5, 5, "Wrong protocol version", "", "RFC 3463"),
    e(
        5,
        6,
        "Authentication Exchange line is too long",
        "500",
        "RFC 4954",
    ),
    e(6, 0, "Other or undefined media error", "", "RFC 3463"),
    e(6, 1, "Media not supported", "", "RFC 3463"),
    e(6, 2, "Conversion required and prohibited", "", "RFC 3463"),
    e(
        6,
        3,
        "Conversion required but not supported",
        "554",
        "RFC 3463",
    ),
    e(6, 4, "Conversion with loss performed", "250", "RFC 3463"),
    e(6, 5, "Conversion Failed", "", "RFC 3463"),
    e(6, 6, "Message content not available", "554", "RFC 4468"),
    e(
        6,
        7,
        "Non-ASCII addresses not permitted for that sender/recipient",
        "553, 550",
        "RFC 6531",
    ),
    e(
        6,
        8,
        "UTF-8 string reply is required, but not permitted by the SMTP client",
        "252, 553, 550",
        "RFC 6531",
    ),
    e(
        6,
        9,
        "UTF-8 header message cannot be transferred to one or more recipients",
        "550",
        "RFC 6531",
    ),
    e(
        6,
        10,
        "UTF-8 string reply is required, but not permitted by the SMTP client (deprecated duplicate of X.6.8)",
        "",
        "RFC 6531",
    ),
    e(
        7,
        0,
        "Other or undefined security status",
        "220, 235, 450, 454, 500, 501, 503, 504, 530, 535, 550",
        "RFC 3463",
    ),
    e(
        7,
        1,
        "Delivery not authorized, message refused",
        "451, 454, 502, 503, 533, 550, 551",
        "RFC 3463",
    ),
    e(7, 2, "Mailing list expansion prohibited", "550", "RFC 3463"),
    e(
        7,
        3,
        "Security conversion required but not possible",
        "",
        "RFC 3463",
    ),
    e(7, 4, "Security features not supported", "504", "RFC 3463"),
    e(7, 5, "Cryptographic failure", "", "RFC 3463"),
    e(
        7,
        6,
        "Cryptographic algorithm not supported",
        "",
        "RFC 3463",
    ),
    e(7, 7, "Message integrity failure", "", "RFC 3463"),
    e(
        7,
        8,
        "Authentication credentials invalid",
        "535, 554",
        "RFC 4954",
    ),
    e(
        7,
        9,
        "Authentication mechanism is too weak",
        "534",
        "RFC 4954",
    ),
    e(7, 10, "Encryption Needed", "523", "RFC 5248"),
    e(
        7,
        11,
        "Encryption required for requested authentication mechanism",
        "524, 538",
        "RFC 4954",
    ),
    e(
        7,
        12,
        "A password transition is needed",
        "422, 432",
        "RFC 4954",
    ),
    e(7, 13, "User Account Disabled", "525", "RFC 5248"),
    e(7, 14, "Trust relationship required", "535, 554", "RFC 5248"),
    e(
        7,
        15,
        "Priority Level is too low",
        "450, 550 (other 4xx/5xx allowed)",
        "RFC 6710",
    ),
    e(
        7,
        16,
        "Message is too big for the specified priority",
        "552 (other 4xx/5xx allowed)",
        "RFC 6710",
    ),
    e(7, 17, "Mailbox owner has changed", "5XX", "RFC 7293"),
    e(7, 18, "Domain owner has changed", "5XX", "RFC 7293"),
    e(7, 19, "RRVS test cannot be completed", "5XX", "RFC 7293"),
    e(7, 20, "No passing DKIM signature found", "550", "RFC 7372"),
    e(
        7,
        21,
        "No acceptable DKIM signature found",
        "550",
        "RFC 7372",
    ),
    e(
        7,
        22,
        "No valid author-matched DKIM signature found",
        "550",
        "RFC 7372",
    ),
    e(7, 23, "SPF validation failed", "550", "RFC 7372"),
    e(7, 24, "SPF validation error", "451/550", "RFC 7372"),
    e(7, 25, "Reverse DNS validation failed", "550", "RFC 7372"),
    e(
        7,
        26,
        "Multiple authentication checks failed",
        "550",
        "RFC 7372",
    ),
    e(7, 27, "Sender address has null MX", "550", "RFC 7505"),
    e(
        7,
        28,
        "Mail flood detected",
        "",
        "draft-levine-mailbomb-header",
    ),
    e(7, 29, "ARC validation failure", "550", "RFC 8617"),
    e(7, 30, "REQUIRETLS support required", "550", "RFC 8689"),
];

impl EnhancedStatusCode {
    /// The whole IANA "SMTP Enhanced Status Codes" registry as known to this
    /// crate (entries X.0.0 through X.7.30, sorted), for listing or lookup.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::EnhancedStatusCode;
    /// let registry = EnhancedStatusCode::registry();
    /// assert_eq!((registry[0].subject, registry[0].detail), (0, 0));
    /// assert!(registry.iter().any(|e| (e.subject, e.detail) == (7, 30)));
    /// ```
    pub const fn registry() -> &'static [EnhancedMeaning] {
        REGISTRY
    }

    /// The registry entry for this code's subject and detail, or `None` when
    /// the registry has none (for example vendor codes like 5.7.606).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::EnhancedStatusCode;
    /// let code = EnhancedStatusCode::new(4, 7, 1).unwrap();
    /// assert_eq!(code.description().unwrap().text, "Delivery not authorized, message refused");
    /// assert!(EnhancedStatusCode::new(5, 7, 606).unwrap().description().is_none());
    /// ```
    pub fn description(self) -> Option<&'static EnhancedMeaning> {
        REGISTRY
            .binary_search_by_key(&(self.subject(), self.detail()), |e| (e.subject, e.detail))
            .ok()
            .and_then(|i| REGISTRY.get(i))
    }

    /// The name of this code's subject (RFC 3463 §3), or `None` for a
    /// subject above 7.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::EnhancedStatusCode;
    /// let code = EnhancedStatusCode::new(5, 7, 606).unwrap();
    /// assert_eq!(code.subject_meaning(), Some("Security or Policy Status"));
    /// ```
    pub const fn subject_meaning(self) -> Option<&'static str> {
        match self.subject() {
            0 => Some("Other or Undefined Status"),
            1 => Some("Addressing Status"),
            2 => Some("Mailbox Status"),
            3 => Some("Mail System Status"),
            4 => Some("Network and Routing Status"),
            5 => Some("Mail Delivery Protocol Status"),
            6 => Some("Message Content or Media Status"),
            7 => Some("Security or Policy Status"),
            _ => None,
        }
    }

    /// The name of this code's class (RFC 3463 §3.1).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::EnhancedStatusCode;
    /// assert_eq!(EnhancedStatusCode::new(4, 0, 0).unwrap().class_meaning(), "Persistent Transient Failure");
    /// ```
    pub const fn class_meaning(self) -> &'static str {
        match self.class() {
            2 => "Success",
            4 => "Persistent Transient Failure",
            // An EnhancedStatusCode's class is 2, 4 or 5.
            _ => "Permanent Failure",
        }
    }

    /// The most specific text known: the registry entry's, else the
    /// subject's, else the class's (the fallback RFC 3463 §2 asks for).
    ///
    /// A reply's code comes from [`Reply::enhanced_code`](crate::Reply::enhanced_code)
    /// or [`ReplyLine::enhanced`](crate::reply::ReplyLine::enhanced); the
    /// server's own words are [`ReplyLine::message`](crate::reply::ReplyLine::message).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::EnhancedStatusCode;
    /// let text = |c, s, d| EnhancedStatusCode::new(c, s, d).unwrap().summary();
    /// assert_eq!(text(5, 2, 2), "Mailbox full");
    /// assert_eq!(text(5, 2, 99), "Mailbox Status");
    /// assert_eq!(text(5, 99, 0), "Permanent Failure");
    /// ```
    pub fn summary(self) -> &'static str {
        match (self.description(), self.subject_meaning()) {
            (Some(entry), _) => entry.text,
            (None, Some(subject)) => subject,
            (None, None) => self.class_meaning(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_and_complete() {
        assert!(
            REGISTRY
                .windows(2)
                .all(|w| (w[0].subject, w[0].detail) < (w[1].subject, w[1].detail))
        );
        // Highest detail per subject, from the registry.
        let last = [0, 10, 4, 6, 7, 6, 10, 30];
        for (subject, &max) in last.iter().enumerate() {
            for detail in 0..=max {
                let code = EnhancedStatusCode::new(5, subject as u16, detail).unwrap();
                assert!(code.description().is_some(), "X.{subject}.{detail}");
            }
            let code = EnhancedStatusCode::new(5, subject as u16, max + 1).unwrap();
            assert!(code.description().is_none());
        }
        assert_eq!(REGISTRY.len(), 81);
    }

    #[test]
    fn every_code_has_class_and_category() {
        for n in 200..=599u16 {
            if let Ok(code) = ReplyCode::new(n) {
                let _ = (code.class(), code.category(), code.meaning());
            }
        }
    }
}
