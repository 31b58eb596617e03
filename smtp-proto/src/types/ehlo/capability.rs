//! EHLO capabilities (RFC 5321 §4.1.1.1, the IANA "SMTP Service Extensions"
//! registry) and the two replies that name the server: the EHLO reply
//! ([`EhloReply`]) and the 220 greeting ([`Greeting`]).
//!
//! Everything borrows from the reply; lists (AUTH mechanisms, LIMITS, XCLIENT
//! attribute names) are lazy iterators over the line, never collected.

use core::fmt;

use crate::syntax::{self, has_no_controls};
use crate::types::ehlo::extension::Extension;
use crate::types::error::ErrorKind;

/// One word of an EHLO line: a keyword, a domain or a single parameter.
///
/// Non-empty, without SP, HT or any control octet; UTF-8 is allowed because
/// it came from (or will go into) a reply text.
///
/// # Examples
///
/// ```
/// use smtp_wire::ehlo::EhloToken;
///
/// assert_eq!(EhloToken::new("X-EXPS").unwrap().as_str(), "X-EXPS");
/// assert!(EhloToken::new("two words").is_err());
/// assert!(EhloToken::new("").is_err());
/// assert!(EhloToken::new("A\r\nB").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EhloToken<'a>(&'a str);

impl<'a> EhloToken<'a> {
    /// Validates a token.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyText`] for an empty token or one with a
    /// space or a control octet.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::ehlo::EhloToken::new("NSEP").is_ok());
    /// ```
    pub fn new(token: &'a str) -> Result<EhloToken<'a>, ErrorKind> {
        let valid = !token.is_empty() && token.bytes().all(|b| b > b' ' && b != 0x7f);
        if valid {
            Ok(EhloToken(token))
        } else {
            Err(ErrorKind::InvalidReplyText)
        }
    }

    /// Wraps a token already known to be valid: a word of validated reply
    /// text (non-empty, split at SP and HT).
    pub(crate) const fn validated(token: &'a str) -> EhloToken<'a> {
        EhloToken(token)
    }

    /// The token's text.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::ehlo::EhloToken::new("MIXER").unwrap().as_str(), "MIXER");
    /// ```
    pub const fn as_str(&self) -> &'a str {
        self.0
    }
}

impl fmt::Display for EhloToken<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The parameters of an EHLO line, after the keyword: kept as written, and
/// read as words on demand.
///
/// ```abnf
/// ehlo-line  = ehlo-keyword *( SP ehlo-param )   ; RFC 5321 §4.1.1.1
/// ehlo-param = 1*(%d33-126)
/// ```
///
/// Validated as reply text: no CR, LF or other control octet except HT.
///
/// # Examples
///
/// ```
/// use smtp_wire::ehlo::EhloParams;
///
/// let params = EhloParams::new("NAME ADDR  PROTO").unwrap();
/// assert_eq!(params.words().collect::<Vec<_>>(), ["NAME", "ADDR", "PROTO"]);
/// assert!(EhloParams::new("A\r\n250 B").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EhloParams<'a>(&'a str);

impl<'a> EhloParams<'a> {
    /// No parameters.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::ehlo::EhloParams::EMPTY.is_empty());
    /// ```
    pub const EMPTY: EhloParams<'static> = EhloParams("");

    /// Validates parameter text.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyText`] for a control octet (CR, LF...).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::ehlo::EhloParams::new("PLAIN LOGIN").is_ok());
    /// ```
    pub fn new(params: &'a str) -> Result<EhloParams<'a>, ErrorKind> {
        if has_no_controls(params.as_bytes()) {
            Ok(EhloParams(params))
        } else {
            Err(ErrorKind::InvalidReplyText)
        }
    }

    /// Wraps text already validated by the reply parser.
    pub(crate) const fn validated(params: &'a str) -> EhloParams<'a> {
        EhloParams(params)
    }

    /// The parameters as written.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::ehlo::EhloParams::new("a b").unwrap().as_str(), "a b");
    /// ```
    pub const fn as_str(&self) -> &'a str {
        self.0
    }

    /// `true` when there are no parameters.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::ehlo::EhloParams::new("").unwrap().is_empty());
    /// ```
    pub const fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The parameters, split at SP or HT (runs of them count once).
    ///
    /// # Examples
    ///
    /// ```
    /// let params = smtp_wire::ehlo::EhloParams::new(" a\tb ").unwrap();
    /// assert_eq!(params.words().count(), 2);
    /// ```
    pub fn words(&self) -> EhloWords<'a> {
        EhloWords { rest: self.0 }
    }
}

/// The words of [`EhloParams`]: an allocation-free iterator.
///
/// # Examples
///
/// ```
/// let mut words = smtp_wire::ehlo::EhloParams::new("x y").unwrap().words();
/// assert_eq!(words.next(), Some("x"));
/// assert_eq!(words.next(), Some("y"));
/// assert_eq!(words.next(), None);
/// ```
#[derive(Debug, Clone)]
pub struct EhloWords<'a> {
    rest: &'a str,
}

impl<'a> Iterator for EhloWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let is_sep = |c: char| c == ' ' || c == '\t';
        let start = self.rest.trim_start_matches(is_sep);
        if start.is_empty() {
            self.rest = start;
            return None;
        }
        let end = start.find(is_sep).unwrap_or(start.len());
        let (word, rest) = start.split_at(end);
        self.rest = rest;
        Some(word)
    }
}

impl core::iter::FusedIterator for EhloWords<'_> {}

/// The SASL mechanisms of an `AUTH` capability (RFC 4954 §3), read lazily.
///
/// # Examples
///
/// ```
/// use smtp_wire::ehlo::Mechanisms;
///
/// let mechs = Mechanisms::new("PLAIN LOGIN XOAUTH2").unwrap();
/// assert!(mechs.contains("login"));
/// assert!(!mechs.contains("CRAM-MD5"));
/// assert_eq!(mechs.iter().count(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mechanisms<'a>(EhloParams<'a>);

impl<'a> Mechanisms<'a> {
    /// Validates a space-separated list of mechanism names.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyText`] for a control octet.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::ehlo::Mechanisms::new("PLAIN").is_ok());
    /// ```
    pub fn new(mechanisms: &'a str) -> Result<Mechanisms<'a>, ErrorKind> {
        EhloParams::new(mechanisms).map(Mechanisms)
    }

    /// The mechanism names, in the server's order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mechs = smtp_wire::ehlo::Mechanisms::new("PLAIN LOGIN").unwrap();
    /// assert_eq!(mechs.iter().collect::<Vec<_>>(), ["PLAIN", "LOGIN"]);
    /// ```
    pub fn iter(&self) -> EhloWords<'a> {
        self.0.words()
    }

    /// Whether `name` is offered; mechanism names are case-insensitive.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::ehlo::Mechanisms::new("PLAIN").unwrap().contains("plain"));
    /// ```
    pub fn contains(&self, name: &str) -> bool {
        self.iter().any(|m| m.eq_ignore_ascii_case(name))
    }

    /// The list as written.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::ehlo::Mechanisms::new("PLAIN").unwrap().params().as_str(), "PLAIN");
    /// ```
    pub const fn params(&self) -> EhloParams<'a> {
        self.0
    }
}

impl<'a> Mechanisms<'a> {
    /// Wraps parameters already validated as reply text.
    pub(crate) const fn validated(params: EhloParams<'a>) -> Mechanisms<'a> {
        Mechanisms(params)
    }
}

impl<'a> IntoIterator for Mechanisms<'a> {
    type Item = &'a str;
    type IntoIter = EhloWords<'a>;

    fn into_iter(self) -> EhloWords<'a> {
        self.iter()
    }
}

/// The `name=value` pairs of a `LIMITS` capability (RFC 9422 §4), read lazily.
///
/// Words without `=` are skipped. Registered names are `MAILMAX`, `RCPTMAX`
/// and `RCPTDOMAINMAX`; names are case-insensitive.
///
/// # Examples
///
/// ```
/// use smtp_wire::ehlo::Limits;
///
/// let limits = Limits::new("RCPTMAX=50 MAILMAX=1000").unwrap();
/// assert_eq!(limits.get("rcptmax"), Some("50"));
/// assert_eq!(limits.get_number("MAILMAX"), Some(1000));
/// assert_eq!(limits.iter().count(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits<'a>(EhloParams<'a>);

impl<'a> Limits<'a> {
    /// Validates the parameter text of a LIMITS line.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyText`] for a control octet.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::ehlo::Limits::new("RCPTMAX=5").is_ok());
    /// ```
    pub fn new(limits: &'a str) -> Result<Limits<'a>, ErrorKind> {
        EhloParams::new(limits).map(Limits)
    }

    /// The limits in order.
    ///
    /// # Examples
    ///
    /// ```
    /// let limits = smtp_wire::ehlo::Limits::new("RCPTMAX=5").unwrap();
    /// let first = limits.iter().next().unwrap();
    /// assert_eq!((first.name, first.value), ("RCPTMAX", "5"));
    /// ```
    pub fn iter(&self) -> LimitsIter<'a> {
        LimitsIter(self.0.words())
    }

    /// The value of the first limit called `name` (case-insensitive).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::ehlo::Limits::new("MAILMAX=9").unwrap().get("MAILMAX"), Some("9"));
    /// ```
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.iter()
            .find(|limit| limit.name.eq_ignore_ascii_case(name))
            .map(|limit| limit.value)
    }

    /// The value of the limit called `name` as a number, or `None` when it is
    /// absent, not a number or does not fit.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::ehlo::Limits::new("RCPTMAX=x").unwrap().get_number("RCPTMAX"), None);
    /// ```
    pub fn get_number(&self, name: &str) -> Option<u64> {
        self.get(name)
            .and_then(|value| syntax::parse_u64(value.as_bytes()).ok())
    }

    /// The limits as written.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::ehlo::Limits::new("A=1").unwrap().params().as_str(), "A=1");
    /// ```
    pub const fn params(&self) -> EhloParams<'a> {
        self.0
    }
}

impl<'a> Limits<'a> {
    /// Wraps parameters already validated as reply text.
    pub(crate) const fn validated(params: EhloParams<'a>) -> Limits<'a> {
        Limits(params)
    }
}

/// One `name=value` pair of [`Limits`].
///
/// # Examples
///
/// ```
/// let limits = smtp_wire::ehlo::Limits::new("RCPTDOMAINMAX=10").unwrap();
/// let limit = limits.iter().next().unwrap();
/// assert_eq!(limit.name, "RCPTDOMAINMAX");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limit<'a> {
    /// The limit's name, for example `RCPTMAX`.
    pub name: &'a str,
    /// The limit's value as written.
    pub value: &'a str,
}

/// The iterator of [`Limits::iter`].
///
/// # Examples
///
/// ```
/// let limits = smtp_wire::ehlo::Limits::new("A=1 junk B=2").unwrap();
/// assert_eq!(limits.iter().map(|l| l.name).collect::<Vec<_>>(), ["A", "B"]);
/// ```
#[derive(Debug, Clone)]
pub struct LimitsIter<'a>(EhloWords<'a>);

impl<'a> Iterator for LimitsIter<'a> {
    type Item = Limit<'a>;

    fn next(&mut self) -> Option<Limit<'a>> {
        self.0.by_ref().find_map(|word| {
            let (name, value) = word.split_once('=')?;
            Some(Limit { name, value })
        })
    }
}

/// One EHLO capability line (RFC 5321 §4.1.1.1), typed when its keyword is
/// known. Keywords are matched case-insensitively.
///
/// Parameters that a keyword does not take are ignored. A known keyword whose
/// required parameters are malformed becomes [`Capability::Other`], except
/// `SIZE` and `DELIVERBY`, whose optional number is then `None`.
///
/// # Examples
///
/// ```
/// use smtp_wire::ehlo::Capability;
///
/// assert_eq!(Capability::new("SIZE 10240000"), Ok(Capability::Size(Some(10240000))));
/// assert_eq!(Capability::new("size junk"), Ok(Capability::Size(None)));
/// assert_eq!(Capability::new("pipelining"), Ok(Capability::Pipelining));
/// let Ok(Capability::Auth(mechs)) = Capability::new("AUTH=LOGIN PLAIN") else { panic!() };
/// assert!(mechs.contains("PLAIN"));
/// let Ok(Capability::Other { keyword, params }) = Capability::new("X-EXPS LOGIN") else {
///     panic!()
/// };
/// assert_eq!((keyword.as_str(), params.as_str()), ("X-EXPS", "LOGIN"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability<'a> {
    /// `SIZE [n]` (RFC 1870): the largest message accepted, in octets.
    /// `Some(0)` means no fixed limit; `None` means no information (no
    /// parameter, or one that is not a number or overflows).
    Size(Option<u64>),
    /// `8BITMIME` (RFC 6152).
    EightBitMime,
    /// `PIPELINING` (RFC 2920).
    Pipelining,
    /// `CHUNKING` (RFC 3030): the BDAT command.
    Chunking,
    /// `BINARYMIME` (RFC 3030).
    BinaryMime,
    /// `STARTTLS` (RFC 3207).
    StartTls,
    /// `DSN` (RFC 3461).
    Dsn,
    /// `SMTPUTF8` (RFC 6531).
    SmtpUtf8,
    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    EnhancedStatusCodes,
    /// `AUTH mech...` (RFC 4954), or the legacy `AUTH=mech...` line that
    /// servers send for pre-RFC 2554 clients.
    Auth(Mechanisms<'a>),
    /// `DELIVERBY [n]` (RFC 2852): the minimum by-time in seconds, `None`
    /// when absent or not a number.
    DeliverBy(Option<u64>),
    /// `FUTURERELEASE interval date-time` (RFC 4865 §3).
    FutureRelease {
        /// The longest hold, in seconds.
        max_interval: u64,
        /// The latest release time, an RFC 3339 date-time as written.
        max_date_time: EhloToken<'a>,
    },
    /// `MT-PRIORITY [profile]` (RFC 6710): `MIXER`, `STANAG4406`, `NSEP` or
    /// another profile name.
    MtPriority(Option<EhloToken<'a>>),
    /// `REQUIRETLS` (RFC 8689).
    RequireTls,
    /// `LIMITS name=value...` (RFC 9422).
    Limits(Limits<'a>),
    /// `ETRN` (RFC 1985).
    Etrn,
    /// `ATRN` (RFC 2645).
    Atrn,
    /// `BURL [params]` (RFC 4468).
    Burl(EhloParams<'a>),
    /// `VRFY` (advertised by Postfix; not registered).
    Vrfy,
    /// `EXPN` (RFC 5321).
    Expn,
    /// `HELP` (RFC 5321).
    Help,
    /// `NO-SOLICITING [keywords]` (RFC 3865).
    NoSoliciting(Option<EhloToken<'a>>),
    /// `MTRK` (RFC 3885).
    Mtrk,
    /// `CONPERM` (RFC 4141).
    ConPerm,
    /// `CONNEG` (RFC 4141).
    ConNeg,
    /// `RRVS` (RFC 7293).
    Rrvs,
    /// `CHECKPOINT` (RFC 1845).
    Checkpoint,
    /// `XCLIENT attribute...` (Postfix): the attribute names a client may send.
    Xclient(EhloParams<'a>),
    /// `XFORWARD attribute...` (Postfix): the attribute names a client may send.
    Xforward(EhloParams<'a>),
    /// Any other keyword, with its parameters as written.
    ///
    /// Meant for keywords this crate does not type: a known keyword built
    /// here (say `SIZE`) encodes fine but parses back as its typed variant.
    Other {
        /// The keyword as written.
        keyword: EhloToken<'a>,
        /// Everything after the keyword and one separator.
        params: EhloParams<'a>,
    },
}

impl<'a> Capability<'a> {
    /// The extension this capability advertises; `None` for
    /// [`Capability::Other`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::{Capability, Extension};
    /// assert_eq!(Capability::Size(None).extension(), Some(Extension::Size));
    /// ```
    pub const fn extension(&self) -> Option<Extension> {
        Some(match self {
            Capability::Size(_) => Extension::Size,
            Capability::EightBitMime => Extension::EightBitMime,
            Capability::Pipelining => Extension::Pipelining,
            Capability::Chunking => Extension::Chunking,
            Capability::BinaryMime => Extension::BinaryMime,
            Capability::StartTls => Extension::StartTls,
            Capability::Dsn => Extension::Dsn,
            Capability::SmtpUtf8 => Extension::SmtpUtf8,
            Capability::EnhancedStatusCodes => Extension::EnhancedStatusCodes,
            Capability::Auth(_) => Extension::Auth,
            Capability::DeliverBy(_) => Extension::DeliverBy,
            Capability::FutureRelease { .. } => Extension::FutureRelease,
            Capability::MtPriority(_) => Extension::MtPriority,
            Capability::RequireTls => Extension::RequireTls,
            Capability::Limits(_) => Extension::Limits,
            Capability::Etrn => Extension::Etrn,
            Capability::Atrn => Extension::Atrn,
            Capability::Burl(_) => Extension::Burl,
            Capability::Vrfy => Extension::Vrfy,
            Capability::Expn => Extension::Expn,
            Capability::Help => Extension::Help,
            Capability::NoSoliciting(_) => Extension::NoSoliciting,
            Capability::Mtrk => Extension::Mtrk,
            Capability::ConPerm => Extension::ConPerm,
            Capability::ConNeg => Extension::ConNeg,
            Capability::Rrvs => Extension::Rrvs,
            Capability::Checkpoint => Extension::Checkpoint,
            Capability::Xclient(_) => Extension::Xclient,
            Capability::Xforward(_) => Extension::Xforward,
            Capability::Other { .. } => return None,
        })
    }

    /// The keyword, in upper case for known capabilities and as written for
    /// [`Capability::Other`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::ehlo::Capability::EightBitMime.keyword(), "8BITMIME");
    /// ```
    pub const fn keyword(&self) -> &'a str {
        match self {
            Capability::Size(_) => "SIZE",
            Capability::EightBitMime => "8BITMIME",
            Capability::Pipelining => "PIPELINING",
            Capability::Chunking => "CHUNKING",
            Capability::BinaryMime => "BINARYMIME",
            Capability::StartTls => "STARTTLS",
            Capability::Dsn => "DSN",
            Capability::SmtpUtf8 => "SMTPUTF8",
            Capability::EnhancedStatusCodes => "ENHANCEDSTATUSCODES",
            Capability::Auth(_) => "AUTH",
            Capability::DeliverBy(_) => "DELIVERBY",
            Capability::FutureRelease { .. } => "FUTURERELEASE",
            Capability::MtPriority(_) => "MT-PRIORITY",
            Capability::RequireTls => "REQUIRETLS",
            Capability::Limits(_) => "LIMITS",
            Capability::Etrn => "ETRN",
            Capability::Atrn => "ATRN",
            Capability::Burl(_) => "BURL",
            Capability::Vrfy => "VRFY",
            Capability::Expn => "EXPN",
            Capability::Help => "HELP",
            Capability::NoSoliciting(_) => "NO-SOLICITING",
            Capability::Mtrk => "MTRK",
            Capability::ConPerm => "CONPERM",
            Capability::ConNeg => "CONNEG",
            Capability::Rrvs => "RRVS",
            Capability::Checkpoint => "CHECKPOINT",
            Capability::Xclient(_) => "XCLIENT",
            Capability::Xforward(_) => "XFORWARD",
            Capability::Other { keyword, .. } => keyword.as_str(),
        }
    }

    /// The parts of the line text: the keyword, then SP and a number if
    /// any, then SP and a parameter text if any (and not empty).
    pub(crate) fn parts(&self) -> (&'a str, Option<u64>, Option<&'a str>) {
        let (number, params) = match self {
            Capability::Size(Some(n)) | Capability::DeliverBy(Some(n)) => (Some(*n), None),
            Capability::FutureRelease {
                max_interval,
                max_date_time,
            } => (Some(*max_interval), Some(max_date_time.as_str())),
            Capability::MtPriority(Some(token)) | Capability::NoSoliciting(Some(token)) => {
                (None, Some(token.as_str()))
            }
            Capability::Auth(mechs) => (None, Some(mechs.params().as_str())),
            Capability::Limits(limits) => (None, Some(limits.params().as_str())),
            Capability::Burl(params)
            | Capability::Xclient(params)
            | Capability::Xforward(params)
            | Capability::Other { params, .. } => (None, Some(params.as_str())),
            _ => (None, None),
        };
        (self.keyword(), number, params.filter(|p| !p.is_empty()))
    }

    /// Calls `put` with the pieces of the line text, in order.
    pub(crate) fn for_each_piece(&self, put: &mut dyn FnMut(&str)) {
        let (keyword, number, params) = self.parts();
        put(keyword);
        if let Some(n) = number {
            put(" ");
            put(syntax::decimal(n, &mut [0u8; 20]));
        }
        if let Some(params) = params {
            put(" ");
            put(params);
        }
    }

    /// The length of the line text.
    pub(crate) fn text_len(&self) -> usize {
        let mut len = 0usize;
        self.for_each_piece(&mut |piece| len = len.saturating_add(piece.len()));
        len
    }
}

impl fmt::Display for Capability<'_> {
    /// Writes the EHLO line text, without code or CRLF.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut result = Ok(());
        self.for_each_piece(&mut |piece| {
            if result.is_ok() {
                result = f.write_str(piece);
            }
        });
        result
    }
}
