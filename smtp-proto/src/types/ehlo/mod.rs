//! The replies that name the server: the EHLO reply ([`EhloReply`]) and the
//! 220 greeting ([`Greeting`]); capabilities are in `capability.rs`.

pub(crate) mod capability;
pub(crate) mod extension;

pub use self::capability::{
    Capability, EhloParams, EhloToken, EhloWords, Limit, Limits, LimitsIter, Mechanisms,
};
pub use self::extension::{Extension, Extensions};

use crate::syntax::has_no_controls;
use crate::types::error::ErrorKind;
use crate::types::reply::{MAX_REPLY_LINE_LEN, Reply, ReplyLines, scan};

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
/// use smtp_wire::{Reply, Status};
/// use smtp_wire::ehlo::{Capability, EhloReply};
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
    /// use smtp_wire::{Reply, Status};
    /// use smtp_wire::ehlo::EhloReply;
    /// let Ok(Status::Complete((reply, _))) = Reply::parse(b"502 no EHLO\r\n") else { panic!() };
    /// assert!(EhloReply::from_reply(reply).is_none());
    /// ```
    pub fn from_reply(reply: Reply<'a>) -> Option<EhloReply<'a>> {
        if let Some(raw) = reply.raw() {
            // The first line of a parsed reply, straight from its bytes: the
            // code, then a separator and text whose first word (up to SP)
            // is not empty. The text cannot hold a CR or LF before its end.
            let named = raw.get(..3) == Some(b"250")
                && matches!(raw.get(3), Some(b' ' | b'-'))
                && !matches!(raw.get(4), None | Some(b' ' | b'\r' | b'\n'));
            return (reply.code().get() == 250 && named).then_some(EhloReply {
                repr: EhloRepr::Wire(reply),
            });
        }
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

    /// Builds an EHLO reply to send. An empty greeting is the same as none.
    /// With no capabilities the reply is the single line `250 domain`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyText`] when `domain` is not an [`EhloToken`]
    /// or `greeting` holds a control octet; [`ErrorKind::LineTooLong`] when a
    /// line would be longer than 512 octets.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::Encode;
    /// use smtp_wire::ehlo::{Capability, EhloReply};
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
    ) -> Result<EhloReply<'a>, ErrorKind> {
        let domain = EhloToken::new(domain)?;
        let greeting = match greeting {
            Some(text) if !has_no_controls(text.as_bytes()) => {
                return Err(ErrorKind::InvalidReplyText);
            }
            Some(text) => Some(text).filter(|t| !t.is_empty()),
            None => None,
        };
        let room = MAX_REPLY_LINE_LEN - 6;
        let first_len = domain.as_str().len() + greeting.map_or(0, |g| g.len() + 1);
        if first_len > room || capabilities.iter().any(|c| c.text_len() > room) {
            return Err(ErrorKind::LineTooLong);
        }
        Ok(EhloReply {
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
    /// let ehlo = smtp_wire::ehlo::EhloReply::new("mx.example.org", None, &[]).unwrap();
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
    /// let ehlo = smtp_wire::ehlo::EhloReply::new("mx.example.org", Some("Hello you"), &[]).unwrap();
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
    /// use smtp_wire::ehlo::{Capability, EhloReply};
    /// let caps = [Capability::Chunking];
    /// let ehlo = EhloReply::new("mx.example.org", None, &caps).unwrap();
    /// assert_eq!(ehlo.capabilities().collect::<Vec<_>>(), caps);
    /// ```
    pub fn capabilities(&self) -> Capabilities<'a> {
        let inner = match self.repr {
            EhloRepr::Wire(reply) => match reply.raw_after_first() {
                Some(rest) => CapabilitiesInner::Wire(WireLines { rest }),
                None => {
                    let mut lines = reply.lines();
                    lines.next();
                    CapabilitiesInner::Lines(lines)
                }
            },
            EhloRepr::Built { capabilities, .. } => CapabilitiesInner::Built(capabilities.iter()),
        };
        Capabilities(inner)
    }

    /// The parsed reply this was read from; `None` when built.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::ehlo::EhloReply::new("a.example", None, &[]).unwrap().reply().is_none());
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
    /// use smtp_wire::ehlo::{Capability, EhloReply};
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
    /// use smtp_wire::ehlo::{Capability, EhloReply};
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
    /// use smtp_wire::ehlo::{Capability, EhloReply, Mechanisms};
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
/// use smtp_wire::{Reply, Status};
/// use smtp_wire::ehlo::{Capability, EhloReply};
/// let buf = b"250-a.example\r\n250-DSN\r\n250 8BITMIME\r\n";
/// let Ok(Status::Complete((reply, _))) = Reply::parse(buf) else { panic!() };
/// let caps: Vec<_> = EhloReply::from_reply(reply).unwrap().capabilities().collect();
/// assert_eq!(caps, [Capability::Dsn, Capability::EightBitMime]);
/// ```
#[derive(Debug, Clone)]
pub struct Capabilities<'a>(pub(crate) CapabilitiesInner<'a>);

#[derive(Debug, Clone)]
pub(crate) enum CapabilitiesInner<'a> {
    /// The lines of a parsed reply, read from its wire bytes.
    Wire(WireLines<'a>),
    /// The lines of a built [`Reply`] read as an EHLO reply.
    Lines(ReplyLines<'a>),
    Built(core::slice::Iter<'a, Capability<'a>>),
}

/// The lines of a parsed reply after the first, straight from the bytes the
/// reply parser validated: every line is three digits, then SP or `-` and
/// text, or the line end; the text is printable ASCII, HT and UTF-8, with no
/// CR but before the LF that ends it.
#[derive(Debug, Clone)]
pub(crate) struct WireLines<'a> {
    rest: &'a [u8],
}

/// One capability line of a parsed reply: its text (without code,
/// separator and line end), the length of its keyword (the octets before the
/// first SP or HT) and the keyword's first eight octets as written, zero
/// past its end (a little-endian word).
#[derive(Debug, Clone, Copy)]
pub(crate) struct WireLine<'a> {
    pub(crate) text: &'a [u8],
    pub(crate) keyword: usize,
    pub(crate) first_word: u64,
}

impl<'a> WireLines<'a> {
    /// The next line. One forward pass: the keyword's end is found in the
    /// first two words of the text, which also give its first word, and a
    /// line without parameters ends where its keyword does.
    #[inline(always)]
    pub(crate) fn next_line(&mut self) -> Option<WireLine<'a>> {
        let line = self.rest;
        if line.len() < 4 {
            self.rest = &[];
            return None;
        }
        if !matches!(line.get(3), Some(b' ' | b'-')) {
            // A bare code: an empty line.
            let lf = scan::first_equal(line, 3, b'\n');
            self.rest = line.get(lf + 1..).unwrap_or_default();
            return Some(WireLine {
                text: &[],
                keyword: 0,
                first_word: 0,
            });
        }
        // Octets past the end read as zero, below SP like a line end; a
        // validated line always ends before the buffer does.
        let (x0, x1) = match line.get(4..20).and_then(|w| <[u8; 16]>::try_from(w).ok()) {
            Some(w) => {
                let w = u128::from_le_bytes(w);
                (w as u64, (w >> 64) as u64)
            }
            None => (scan::load(line, 4), scan::load(line, 12)),
        };
        let i0 = scan::first_below_in(x0, 0x21);
        let (keyword_end, first_word) = if i0 < 8 {
            (4 + i0, x0 & scan::low_bytes(i0))
        } else {
            let i1 = scan::first_below_in(x1, 0x21);
            let end = if i1 < 8 {
                12 + i1
            } else {
                scan::first_below(line, 20, 0x21)
            };
            (end, x0)
        };
        let (text_end, next) = match line.get(keyword_end) {
            Some(b'\r') => (keyword_end, keyword_end + 2),
            Some(b'\n') => (keyword_end, keyword_end + 1),
            Some(_) => {
                let lf = scan::first_equal(line, keyword_end + 1, b'\n');
                let end = if line.get(lf.wrapping_sub(1)) == Some(&b'\r') {
                    lf - 1
                } else {
                    lf
                };
                (end, lf + 1)
            }
            None => (line.len(), line.len()),
        };
        self.rest = line.get(next..).unwrap_or_default();
        Some(WireLine {
            text: line.get(4..text_end).unwrap_or_default(),
            keyword: keyword_end - 4,
            first_word,
        })
    }
}

/// What an EHLO reply says about the server, read in one pass by
/// [`EhloReply::summary`]: the extensions it offers and the parameters
/// clients act on.
///
/// # Examples
///
/// ```
/// use smtp_wire::ehlo::{EhloReply, Extension};
/// use smtp_wire::reply::Reply;
/// use smtp_wire::Status;
///
/// let buf = b"250-mx.example.org\r\n250-SIZE 35882577\r\n250-AUTH PLAIN LOGIN\r\n250 PIPELINING\r\n";
/// let Ok(Status::Complete((reply, _))) = Reply::parse(buf) else { panic!() };
/// let summary = EhloReply::from_reply(reply).unwrap().summary();
/// assert!(summary.extensions.contains(Extension::Pipelining));
/// assert_eq!(summary.size, Some(35882577));
/// assert!(summary.auth.unwrap().contains("PLAIN"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct EhloSummary<'a> {
    /// Every known extension the reply lists.
    pub extensions: Extensions,
    /// `SIZE n` (RFC 1870): `Some(0)` means no fixed limit; `None` when SIZE
    /// is absent or its value unusable.
    pub size: Option<u64>,
    /// The mechanisms of the first `AUTH` line (RFC 4954).
    pub auth: Option<Mechanisms<'a>>,
    /// The first `LIMITS` line (RFC 9422).
    pub limits: Option<Limits<'a>>,
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
/// use smtp_wire::{Reply, Status};
/// use smtp_wire::ehlo::Greeting;
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
    /// use smtp_wire::{Reply, Status};
    /// use smtp_wire::ehlo::Greeting;
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
    /// use smtp_wire::{Reply, Status};
    /// use smtp_wire::ehlo::Greeting;
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
    /// use smtp_wire::{Reply, Status};
    /// use smtp_wire::ehlo::Greeting;
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
    /// use smtp_wire::{Reply, Status};
    /// use smtp_wire::ehlo::Greeting;
    /// let Ok(Status::Complete((r, _))) = Reply::parse(b"220-a.example\r\n220 hi\r\n") else {
    ///     panic!()
    /// };
    /// assert_eq!(Greeting::from_reply(r).unwrap().reply().line_count(), 2);
    /// ```
    pub const fn reply(&self) -> Reply<'a> {
        self.reply
    }
}
