//! EHLO capabilities (RFC 5321 §4.1.1.1, the IANA "SMTP Service Extensions"
//! registry) and the two replies that name the server: the EHLO reply
//! ([`EhloReply`]) and the 220 greeting ([`Greeting`]).
//!
//! Everything borrows from the reply; lists (AUTH mechanisms, LIMITS, XCLIENT
//! attribute names) are lazy iterators over the line, never collected.

use core::fmt;

use crate::types::has_no_controls;
use crate::{Reply, ReplyLines};

/// One word of an EHLO line: a keyword, a domain or a single parameter.
///
/// Non-empty, without SP, HT or any control octet; UTF-8 is allowed because
/// it came from (or will go into) a reply text.
///
/// # Examples
///
/// ```
/// use smtp_wire::EhloToken;
///
/// assert_eq!(EhloToken::new("X-EXPS").unwrap().as_str(), "X-EXPS");
/// assert!(EhloToken::new("two words").is_none());
/// assert!(EhloToken::new("").is_none());
/// assert!(EhloToken::new("A\r\nB").is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EhloToken<'a>(&'a str);

impl<'a> EhloToken<'a> {
    /// Validates a token.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::EhloToken::new("NSEP").is_some());
    /// ```
    pub fn new(token: &'a str) -> Option<EhloToken<'a>> {
        let valid = !token.is_empty() && token.bytes().all(|b| b > b' ' && b != 0x7f);
        valid.then_some(EhloToken(token))
    }

    /// The token's text.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::EhloToken::new("MIXER").unwrap().as_str(), "MIXER");
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
/// use smtp_wire::EhloParams;
///
/// let params = EhloParams::new("NAME ADDR  PROTO").unwrap();
/// assert_eq!(params.words().collect::<Vec<_>>(), ["NAME", "ADDR", "PROTO"]);
/// assert!(EhloParams::new("A\r\n250 B").is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EhloParams<'a>(&'a str);

impl<'a> EhloParams<'a> {
    /// No parameters.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::EhloParams::EMPTY.is_empty());
    /// ```
    pub const EMPTY: EhloParams<'static> = EhloParams("");

    /// Validates parameter text.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::EhloParams::new("PLAIN LOGIN").is_some());
    /// ```
    pub fn new(params: &'a str) -> Option<EhloParams<'a>> {
        has_no_controls(params.as_bytes()).then_some(EhloParams(params))
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
    /// assert_eq!(smtp_wire::EhloParams::new("a b").unwrap().as_str(), "a b");
    /// ```
    pub const fn as_str(&self) -> &'a str {
        self.0
    }

    /// `true` when there are no parameters.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::EhloParams::new("").unwrap().is_empty());
    /// ```
    pub const fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The parameters, split at SP or HT (runs of them count once).
    ///
    /// # Examples
    ///
    /// ```
    /// let params = smtp_wire::EhloParams::new(" a\tb ").unwrap();
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
/// let mut words = smtp_wire::EhloParams::new("x y").unwrap().words();
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
/// use smtp_wire::Mechanisms;
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
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::Mechanisms::new("PLAIN").is_some());
    /// ```
    pub fn new(mechanisms: &'a str) -> Option<Mechanisms<'a>> {
        EhloParams::new(mechanisms).map(Mechanisms)
    }

    /// The mechanism names, in the server's order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mechs = smtp_wire::Mechanisms::new("PLAIN LOGIN").unwrap();
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
    /// assert!(smtp_wire::Mechanisms::new("PLAIN").unwrap().contains("plain"));
    /// ```
    pub fn contains(&self, name: &str) -> bool {
        self.iter().any(|m| m.eq_ignore_ascii_case(name))
    }

    /// The list as written.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Mechanisms::new("PLAIN").unwrap().params().as_str(), "PLAIN");
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
/// use smtp_wire::Limits;
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
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::Limits::new("RCPTMAX=5").is_some());
    /// ```
    pub fn new(limits: &'a str) -> Option<Limits<'a>> {
        EhloParams::new(limits).map(Limits)
    }

    /// The limits in order.
    ///
    /// # Examples
    ///
    /// ```
    /// let limits = smtp_wire::Limits::new("RCPTMAX=5").unwrap();
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
    /// assert_eq!(smtp_wire::Limits::new("MAILMAX=9").unwrap().get("MAILMAX"), Some("9"));
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
    /// assert_eq!(smtp_wire::Limits::new("RCPTMAX=x").unwrap().get_number("RCPTMAX"), None);
    /// ```
    pub fn get_number(&self, name: &str) -> Option<u64> {
        self.get(name).and_then(parse_u64)
    }

    /// The limits as written.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Limits::new("A=1").unwrap().params().as_str(), "A=1");
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
/// let limits = smtp_wire::Limits::new("RCPTDOMAINMAX=10").unwrap();
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
/// let limits = smtp_wire::Limits::new("A=1 junk B=2").unwrap();
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

/// Parses a decimal number, refusing overflow, signs and empty input.
pub(crate) fn parse_u64(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.bytes().try_fold(0u64, |n, d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
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
/// use smtp_wire::Capability;
///
/// assert_eq!(Capability::parse("SIZE 10240000"), Some(Capability::Size(Some(10240000))));
/// assert_eq!(Capability::parse("size junk"), Some(Capability::Size(None)));
/// assert_eq!(Capability::parse("pipelining"), Some(Capability::Pipelining));
/// let Some(Capability::Auth(mechs)) = Capability::parse("AUTH=LOGIN PLAIN") else { panic!() };
/// assert!(mechs.contains("PLAIN"));
/// let Some(Capability::Other { keyword, params }) = Capability::parse("X-EXPS LOGIN") else {
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
    XClient(EhloParams<'a>),
    /// `XFORWARD attribute...` (Postfix): the attribute names a client may send.
    XForward(EhloParams<'a>),
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
    /// Reads one EHLO line's text (after `250-` or `250 `).
    ///
    /// Returns `None` for an empty line or text that is not valid reply text.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::Capability;
    /// let Some(Capability::Limits(limits)) = Capability::parse("LIMITS RCPTMAX=20") else {
    ///     panic!()
    /// };
    /// assert_eq!(limits.get_number("RCPTMAX"), Some(20));
    /// assert_eq!(Capability::parse(""), None);
    /// ```
    pub fn parse(text: &'a str) -> Option<Capability<'a>> {
        if !has_no_controls(text.as_bytes()) {
            return None;
        }
        crate::parse::capability(text)
    }

    /// The keyword, in upper case for known capabilities and as written for
    /// [`Capability::Other`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Capability::EightBitMime.keyword(), "8BITMIME");
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
            Capability::XClient(_) => "XCLIENT",
            Capability::XForward(_) => "XFORWARD",
            Capability::Other { keyword, .. } => keyword.as_str(),
        }
    }

    /// Calls `put` with the pieces of the line text, in order.
    pub(crate) fn write_pieces(&self, put: &mut dyn FnMut(&str)) {
        let mut digits = [0u8; 20];
        let mut number = |n: u64, put: &mut dyn FnMut(&str)| {
            put(" ");
            put(crate::encode::decimal(n, &mut digits));
        };
        put(self.keyword());
        let params = match self {
            Capability::Size(Some(n)) | Capability::DeliverBy(Some(n)) => {
                number(*n, put);
                None
            }
            Capability::FutureRelease {
                max_interval,
                max_date_time,
            } => {
                number(*max_interval, put);
                Some(max_date_time.as_str())
            }
            Capability::MtPriority(Some(token)) | Capability::NoSoliciting(Some(token)) => {
                Some(token.as_str())
            }
            Capability::Auth(mechs) => Some(mechs.params().as_str()),
            Capability::Limits(limits) => Some(limits.params().as_str()),
            Capability::Burl(params)
            | Capability::XClient(params)
            | Capability::XForward(params)
            | Capability::Other { params, .. } => Some(params.as_str()),
            _ => None,
        };
        if let Some(params) = params.filter(|p| !p.is_empty()) {
            put(" ");
            put(params);
        }
    }

    /// The length of the line text.
    pub(crate) fn text_len(&self) -> usize {
        let mut len = 0usize;
        self.write_pieces(&mut |piece| len = len.saturating_add(piece.len()));
        len
    }
}

impl fmt::Display for Capability<'_> {
    /// Writes the EHLO line text, without code or CRLF.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut result = Ok(());
        self.write_pieces(&mut |piece| {
            if result.is_ok() {
                result = f.write_str(piece);
            }
        });
        result
    }
}

/// A positive reply to EHLO (RFC 5321 §4.1.1.1): the server's domain, an
/// optional greeting, and its capabilities.
///
/// ```abnf
/// ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
///             / ( "250-" Domain [ SP ehlo-greet ] CRLF
///                 *( "250-" ehlo-line CRLF )
///                 "250" SP ehlo-line CRLF )
/// ```
///
/// Either read from a parsed [`Reply`] ([`EhloReply::from_reply`]) or built
/// for sending ([`EhloReply::new`]); both compare by domain, greeting and
/// capabilities.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Capability, EhloReply, Reply, Status};
///
/// let buf = b"250-mx.example.org Hello\r\n250-SIZE 1000\r\n250 AUTH PLAIN\r\n";
/// let Ok(Status::Complete((reply, _))) = Reply::parse(buf) else { panic!() };
/// let ehlo = EhloReply::from_reply(reply).unwrap();
/// assert_eq!(ehlo.domain(), "mx.example.org");
/// assert_eq!(ehlo.greeting(), Some("Hello"));
/// assert_eq!(ehlo.size(), Some(1000));
/// assert!(ehlo.auth_mechanisms().unwrap().contains("PLAIN"));
/// assert!(ehlo.capabilities().any(|c| matches!(c, Capability::Size(_))));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct EhloReply<'a> {
    repr: EhloRepr<'a>,
}

#[derive(Debug, Clone, Copy)]
enum EhloRepr<'a> {
    Wire(Reply<'a>),
    Built {
        domain: EhloToken<'a>,
        greeting: Option<&'a str>,
        capabilities: &'a [Capability<'a>],
    },
}

impl<'a> EhloReply<'a> {
    /// Reads a parsed reply as an EHLO reply: `None` unless its code is 250
    /// and its first line names a domain.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{EhloReply, Reply, Status};
    /// let Ok(Status::Complete((reply, _))) = Reply::parse(b"502 no EHLO\r\n") else { panic!() };
    /// assert!(EhloReply::from_reply(reply).is_none());
    /// ```
    pub fn from_reply(reply: Reply<'a>) -> Option<EhloReply<'a>> {
        let first = reply.first_line();
        if reply.code().get() != 250 || first.code().get() != 250 {
            return None;
        }
        let (domain, _) = split_word(first.text());
        if domain.is_empty() {
            return None;
        }
        Some(EhloReply {
            repr: EhloRepr::Wire(reply),
        })
    }

    /// Builds an EHLO reply to send.
    ///
    /// Returns `None` when `domain` is not a [`EhloToken`], `greeting` holds a
    /// control octet, or a line would be longer than 512 octets. An empty
    /// greeting is the same as none. With no capabilities the reply is the
    /// single line `250 domain`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Capability, EhloReply, Encode};
    ///
    /// let caps = [Capability::Pipelining, Capability::Size(Some(1000))];
    /// let ehlo = EhloReply::new("mx.example.org", Some("hi"), &caps).unwrap();
    /// let mut buf = [0u8; 128];
    /// let n = ehlo.encode(&mut buf).unwrap();
    /// assert_eq!(&buf[..n], b"250-mx.example.org hi\r\n250-PIPELINING\r\n250 SIZE 1000\r\n");
    /// let bare = EhloReply::new("mx.example.org", None, &[]).unwrap();
    /// let n = bare.encode(&mut buf).unwrap();
    /// assert_eq!(&buf[..n], b"250 mx.example.org\r\n");
    /// ```
    pub fn new(
        domain: &'a str,
        greeting: Option<&'a str>,
        capabilities: &'a [Capability<'a>],
    ) -> Option<EhloReply<'a>> {
        let domain = EhloToken::new(domain)?;
        let greeting = match greeting {
            Some(text) => {
                Some(has_no_controls(text.as_bytes()).then_some(text)?).filter(|t| !t.is_empty())
            }
            None => None,
        };
        let room = crate::MAX_REPLY_LINE_LEN - 6;
        let first_len = domain.as_str().len() + greeting.map_or(0, |g| g.len() + 1);
        if first_len > room || capabilities.iter().any(|c| c.text_len() > room) {
            return None;
        }
        Some(EhloReply {
            repr: EhloRepr::Built {
                domain,
                greeting,
                capabilities,
            },
        })
    }

    /// The domain the server names itself by (first word of the first line).
    ///
    /// # Examples
    ///
    /// ```
    /// let ehlo = smtp_wire::EhloReply::new("mx.example.org", None, &[]).unwrap();
    /// assert_eq!(ehlo.domain(), "mx.example.org");
    /// ```
    pub fn domain(&self) -> &'a str {
        match self.repr {
            EhloRepr::Wire(reply) => split_word(reply.first_line().text()).0,
            EhloRepr::Built { domain, .. } => domain.as_str(),
        }
    }

    /// The greeting after the domain, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// let ehlo = smtp_wire::EhloReply::new("mx.example.org", Some("Hello you"), &[]).unwrap();
    /// assert_eq!(ehlo.greeting(), Some("Hello you"));
    /// ```
    pub fn greeting(&self) -> Option<&'a str> {
        match self.repr {
            EhloRepr::Wire(reply) => split_word(reply.first_line().text()).1,
            EhloRepr::Built { greeting, .. } => greeting,
        }
    }

    /// The capabilities, one per line after the first, lazily. Empty lines
    /// are skipped.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Capability, EhloReply};
    /// let caps = [Capability::Chunking];
    /// let ehlo = EhloReply::new("mx.example.org", None, &caps).unwrap();
    /// assert_eq!(ehlo.capabilities().collect::<Vec<_>>(), caps);
    /// ```
    pub fn capabilities(&self) -> Capabilities<'a> {
        let inner = match self.repr {
            EhloRepr::Wire(reply) => {
                let mut lines = reply.lines();
                lines.next();
                CapabilitiesInner::Wire(lines)
            }
            EhloRepr::Built { capabilities, .. } => CapabilitiesInner::Built(capabilities.iter()),
        };
        Capabilities(inner)
    }

    /// The parsed reply this was read from; `None` when built.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::EhloReply::new("a.example", None, &[]).unwrap().reply().is_none());
    /// ```
    pub const fn reply(&self) -> Option<Reply<'a>> {
        match self.repr {
            EhloRepr::Wire(reply) => Some(reply),
            EhloRepr::Built { .. } => None,
        }
    }

    /// Whether a capability with this keyword is advertised
    /// (case-insensitive; `AUTH=` lines count as `AUTH`).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Capability, EhloReply};
    /// let caps = [Capability::StartTls];
    /// let ehlo = EhloReply::new("mx.example.org", None, &caps).unwrap();
    /// assert!(ehlo.supports("starttls"));
    /// assert!(!ehlo.supports("CHUNKING"));
    /// ```
    pub fn supports(&self, keyword: &str) -> bool {
        self.capabilities()
            .any(|c| c.keyword().eq_ignore_ascii_case(keyword))
    }

    /// The SIZE limit (RFC 1870): `Some(n)` when declared (0 = no fixed
    /// limit), `None` when SIZE is absent or its value unusable.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Capability, EhloReply};
    /// let caps = [Capability::Size(Some(5))];
    /// assert_eq!(EhloReply::new("a.example", None, &caps).unwrap().size(), Some(5));
    /// ```
    pub fn size(&self) -> Option<u64> {
        self.capabilities().find_map(|c| match c {
            Capability::Size(size) => size,
            _ => None,
        })
    }

    /// The mechanisms of the first AUTH line, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Capability, EhloReply, Mechanisms};
    /// let caps = [Capability::Auth(Mechanisms::new("PLAIN").unwrap())];
    /// let ehlo = EhloReply::new("a.example", None, &caps).unwrap();
    /// assert!(ehlo.auth_mechanisms().unwrap().contains("plain"));
    /// ```
    pub fn auth_mechanisms(&self) -> Option<Mechanisms<'a>> {
        self.capabilities().find_map(|c| match c {
            Capability::Auth(mechs) => Some(mechs),
            _ => None,
        })
    }

    /// The reply's lines as the encoder writes them: domain line first.
    pub(crate) fn built_parts(
        &self,
    ) -> Option<(EhloToken<'a>, Option<&'a str>, &'a [Capability<'a>])> {
        match self.repr {
            EhloRepr::Wire(_) => None,
            EhloRepr::Built {
                domain,
                greeting,
                capabilities,
            } => Some((domain, greeting, capabilities)),
        }
    }
}

impl PartialEq for EhloReply<'_> {
    fn eq(&self, other: &EhloReply<'_>) -> bool {
        self.domain() == other.domain()
            && self.greeting() == other.greeting()
            && self.capabilities().eq(other.capabilities())
    }
}

impl Eq for EhloReply<'_> {}

/// Splits `text` at its first SP into a word and the rest (`None` when there
/// is no SP or nothing after it).
fn split_word(text: &str) -> (&str, Option<&str>) {
    match text.split_once(' ') {
        Some((word, rest)) => (word, Some(rest).filter(|r| !r.is_empty())),
        None => (text, None),
    }
}

/// The capabilities of an [`EhloReply`], from [`EhloReply::capabilities`].
///
/// # Examples
///
/// ```
/// use smtp_wire::{Capability, EhloReply, Reply, Status};
/// let buf = b"250-a.example\r\n250-DSN\r\n250 8BITMIME\r\n";
/// let Ok(Status::Complete((reply, _))) = Reply::parse(buf) else { panic!() };
/// let caps: Vec<_> = EhloReply::from_reply(reply).unwrap().capabilities().collect();
/// assert_eq!(caps, [Capability::Dsn, Capability::EightBitMime]);
/// ```
#[derive(Debug, Clone)]
pub struct Capabilities<'a>(CapabilitiesInner<'a>);

#[derive(Debug, Clone)]
enum CapabilitiesInner<'a> {
    Wire(ReplyLines<'a>),
    Built(core::slice::Iter<'a, Capability<'a>>),
}

impl<'a> Iterator for Capabilities<'a> {
    type Item = Capability<'a>;

    fn next(&mut self) -> Option<Capability<'a>> {
        match &mut self.0 {
            CapabilitiesInner::Wire(lines) => {
                lines.find_map(|line| crate::parse::capability(line.text()))
            }
            CapabilitiesInner::Built(caps) => caps.next().copied(),
        }
    }
}

/// The server's greeting (RFC 5321 §4.2, §3.1): a 220 reply whose first word
/// is the server's domain.
///
/// ```abnf
/// Greeting = ( "220 " (Domain / address-literal) [ SP textstring ] CRLF ) /
///            ( "220-" (Domain / address-literal) [ SP textstring ] CRLF
///              *( "220-" [ textstring ] CRLF )
///              "220" [ SP textstring ] CRLF )
/// ```
///
/// # Examples
///
/// ```
/// use smtp_wire::{Greeting, Reply, Status};
///
/// let buf = b"220 mx.example.org ESMTP Postfix\r\n";
/// let Ok(Status::Complete((reply, _))) = Reply::parse(buf) else { panic!() };
/// let greeting = Greeting::from_reply(reply).unwrap();
/// assert_eq!(greeting.domain(), "mx.example.org");
/// assert_eq!(greeting.text(), Some("ESMTP Postfix"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Greeting<'a> {
    reply: Reply<'a>,
    domain: &'a str,
    text: Option<&'a str>,
}

impl<'a> Greeting<'a> {
    /// Reads a reply as a greeting: `None` unless its code is 220 and its
    /// first line names a domain. (A 554 or 421 greeting refuses service;
    /// its text need not start with a domain.)
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Greeting, Reply, Status};
    /// let Ok(Status::Complete((reply, _))) = Reply::parse(b"554 No SMTP service here\r\n") else {
    ///     panic!()
    /// };
    /// assert!(Greeting::from_reply(reply).is_none());
    /// ```
    pub fn from_reply(reply: Reply<'a>) -> Option<Greeting<'a>> {
        if reply.code().get() != 220 {
            return None;
        }
        let (domain, text) = split_word(reply.first_line().text());
        if domain.is_empty() {
            return None;
        }
        Some(Greeting {
            reply,
            domain,
            text,
        })
    }

    /// The server's domain or address literal.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Greeting, Reply, Status};
    /// let Ok(Status::Complete((r, _))) = Reply::parse(b"220 [192.0.2.1]\r\n") else { panic!() };
    /// assert_eq!(Greeting::from_reply(r).unwrap().domain(), "[192.0.2.1]");
    /// ```
    pub const fn domain(&self) -> &'a str {
        self.domain
    }

    /// The text after the domain on the first line, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Greeting, Reply, Status};
    /// let Ok(Status::Complete((r, _))) = Reply::parse(b"220 a.example\r\n") else { panic!() };
    /// assert_eq!(Greeting::from_reply(r).unwrap().text(), None);
    /// ```
    pub const fn text(&self) -> Option<&'a str> {
        self.text
    }

    /// The whole reply.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Greeting, Reply, Status};
    /// let Ok(Status::Complete((r, _))) = Reply::parse(b"220-a.example\r\n220 hi\r\n") else {
    ///     panic!()
    /// };
    /// assert_eq!(Greeting::from_reply(r).unwrap().reply().line_count(), 2);
    /// ```
    pub const fn reply(&self) -> Reply<'a> {
        self.reply
    }
}
