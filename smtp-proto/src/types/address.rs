//! Addresses of RFC 5321 §4.1.2 and §4.1.3, borrowed from the input.

use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

use crate::syntax;
use crate::types::error::ErrorKind;

/// The longest local part, in octets (RFC 5321 §4.5.3.1.1).
pub const MAX_LOCAL_PART_LEN: usize = 64;
/// The longest domain, in octets (RFC 5321 §4.5.3.1.2).
pub const MAX_DOMAIN_LEN: usize = 255;
/// The longest reverse- or forward-path, in octets, counting `<` and `>`
/// (RFC 5321 §4.5.3.1.3).
pub const MAX_PATH_LEN: usize = 256;

/// A domain name: LDH labels, or U-labels under SMTPUTF8.
///
/// ```abnf
/// Domain     = sub-domain *("." sub-domain)   ; RFC 5321 §4.1.2
/// sub-domain = Let-dig [Ldh-str]
/// sub-domain =/ U-label                       ; RFC 6531 §3.3
/// ```
///
/// At most 255 octets, labels at most 63. `_` is not allowed, and neither is a
/// trailing root dot.
///
/// A U-label may not hold characters that IDNA2008 (RFC 5892) disallows and
/// that hide or break text: C0 and C1 controls (U+0085 among them), the line
/// and paragraph separators U+2028 and U+2029, bidi controls such as U+202E,
/// and invisible characters such as U+200B and U+FEFF. Zero-width joiners
/// (U+200C, U+200D), which IDNA2008 allows in a few scripts' contexts, are
/// refused too: checking the context takes Unicode tables. No other IDNA2008
/// rule is checked.
///
/// # Examples
///
/// ```
/// use smtp_wire::address::Domain;
///
/// let d = Domain::new("mail.example.org").unwrap();
/// assert_eq!(d.as_str(), "mail.example.org");
/// assert!(Domain::new("under_score.example").is_err());
/// assert!(!Domain::new("bücher.example").unwrap().is_ascii());
/// assert!(Domain::new("b\u{fc}cher\u{202e}.example").is_err());
/// assert!(Domain::new("a\u{200b}b.example").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Domain<'a>(&'a str);

impl<'a> Domain<'a> {
    /// Validates a domain.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidDomain`] or [`ErrorKind::PathTooLong`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::address::Domain::new("example.org").is_ok());
    /// assert!(smtp_wire::address::Domain::new("-bad.example").is_err());
    /// ```
    pub fn new(domain: &'a str) -> Result<Domain<'a>, ErrorKind> {
        if domain.len() > MAX_DOMAIN_LEN {
            return Err(ErrorKind::PathTooLong);
        }
        if syntax::is_domain(domain.as_bytes(), true)
            && (domain.is_ascii() || syntax::has_no_hidden(domain))
        {
            Ok(Domain(domain))
        } else {
            Err(ErrorKind::InvalidDomain)
        }
    }

    /// For the parser, which has checked the grammar and its own limit.
    pub(crate) fn new_unchecked(domain: &'a str) -> Domain<'a> {
        debug_assert!(syntax::is_domain(domain.as_bytes(), true));
        debug_assert!(syntax::has_no_hidden(domain));
        Domain(domain)
    }

    /// The domain as written.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::address::Domain::new("Example.ORG").unwrap().as_str(), "Example.ORG");
    /// ```
    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// `true` unless the domain has U-labels (RFC 6531).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::address::Domain::new("example.org").unwrap().is_ascii());
    /// ```
    pub fn is_ascii(&self) -> bool {
        self.0.is_ascii()
    }
}

impl fmt::Display for Domain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// An address literal (RFC 5321 §4.1.3), without its brackets.
///
/// ```abnf
/// address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
///                         General-address-literal ) "]"
/// ```
///
/// IPv6 literals follow RFC 5321's grammar, which is stricter than RFC 4291's:
/// `::` must stand for at least two zero groups. They are stored as values and
/// encoded in RFC 5952 form, so `[IPv6:0:0:0:0:0:0:0:1]` encodes as
/// `[IPv6:::1]`.
///
/// # Examples
///
/// ```
/// use core::net::Ipv4Addr;
/// use smtp_wire::address::AddressLiteral;
///
/// let lit = AddressLiteral::Ipv4(Ipv4Addr::LOCALHOST);
/// assert_eq!(lit.to_string(), "[127.0.0.1]");
/// let general = AddressLiteral::general("x-tag", "some:thing").unwrap();
/// assert_eq!(general.to_string(), "[x-tag:some:thing]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressLiteral<'a> {
    /// `[192.0.2.1]`.
    Ipv4(Ipv4Addr),
    /// `[IPv6:2001:db8::1]`.
    Ipv6(Ipv6Addr),
    /// `[tag:content]`, a `General-address-literal`. The tag is never `IPv6`.
    General {
        /// `Standardized-tag = Ldh-str`.
        tag: &'a str,
        /// `1*dcontent`.
        content: &'a str,
    },
}

impl<'a> AddressLiteral<'a> {
    /// Validates a general address literal.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidDomain`] when the tag is not an `Ldh-str`, is
    /// `IPv6` (whose content must follow the IPv6 grammar), or the content is
    /// not `1*dcontent`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::AddressLiteral;
    /// assert!(AddressLiteral::general("tag", "value").is_ok());
    /// assert!(AddressLiteral::general("IPv6", "::1").is_err());
    /// ```
    pub fn general(tag: &'a str, content: &'a str) -> Result<AddressLiteral<'a>, ErrorKind> {
        let tag_ok = syntax::is_domain(tag.as_bytes(), false) && !tag.contains('.');
        if tag_ok
            && !tag.eq_ignore_ascii_case("IPv6")
            && !content.is_empty()
            && syntax::all(content.as_bytes(), syntax::DCONTENT, false)
        {
            Ok(AddressLiteral::General { tag, content })
        } else {
            Err(ErrorKind::InvalidDomain)
        }
    }

    /// Parses the text between the brackets.
    pub(crate) fn parse_inner(inner: &'a str) -> Option<AddressLiteral<'a>> {
        let bytes = inner.as_bytes();
        if let Some([a, b, c, d]) = syntax::parse_ipv4(bytes) {
            return Some(AddressLiteral::Ipv4(Ipv4Addr::new(a, b, c, d)));
        }
        let colon = memchr::memchr(b':', bytes)?;
        let (tag, content) = (&inner[..colon], &inner[colon + 1..]);
        // "IPv6:" is a quoted ABNF string, so it is case-insensitive.
        if tag.eq_ignore_ascii_case("IPv6") {
            let [a, b, c, d, e, f, g, h] = syntax::parse_ipv6(content.as_bytes())?;
            return Some(AddressLiteral::Ipv6(Ipv6Addr::new(a, b, c, d, e, f, g, h)));
        }
        AddressLiteral::general(tag, content).ok()
    }
}

impl fmt::Display for AddressLiteral<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressLiteral::Ipv4(addr) => write!(f, "[{addr}]"),
            AddressLiteral::Ipv6(addr) => write!(f, "[IPv6:{addr}]"),
            AddressLiteral::General { tag, content } => write!(f, "[{tag}:{content}]"),
        }
    }
}

/// A domain or an address literal: what EHLO names and what follows `@`.
///
/// # Examples
///
/// ```
/// use smtp_wire::address::{Domain, Host};
///
/// let host = Host::Domain(Domain::new("example.org").unwrap());
/// assert_eq!(host.to_string(), "example.org");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Host<'a> {
    /// A domain name.
    Domain(Domain<'a>),
    /// An address literal such as `[127.0.0.1]`.
    Literal(AddressLiteral<'a>),
}

impl<'a> Host<'a> {
    /// Parses `Domain / address-literal`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidDomain`] or [`ErrorKind::PathTooLong`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::{AddressLiteral, Host};
    /// assert!(matches!(Host::new("[IPv6:::1]"), Ok(Host::Literal(AddressLiteral::Ipv6(_)))));
    /// assert!(matches!(Host::new("example.org"), Ok(Host::Domain(_))));
    /// assert!(Host::new("[999.0.0.1]").is_err());
    /// ```
    pub fn new(host: &'a str) -> Result<Host<'a>, ErrorKind> {
        match host.strip_prefix('[') {
            Some(rest) => rest
                .strip_suffix(']')
                .and_then(AddressLiteral::parse_inner)
                .map(Host::Literal)
                .ok_or(ErrorKind::InvalidDomain),
            None => Domain::new(host).map(Host::Domain),
        }
    }

    /// `true` unless the host is a domain with U-labels.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::address::Host::new("[10.0.0.1]").unwrap().is_ascii());
    /// ```
    pub fn is_ascii(&self) -> bool {
        match self {
            Host::Domain(domain) => domain.is_ascii(),
            Host::Literal(_) => true,
        }
    }
}

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(domain) => domain.fmt(f),
            Host::Literal(literal) => literal.fmt(f),
        }
    }
}

/// The part of a mailbox before `@`, as written on the wire.
///
/// ```abnf
/// Local-part    = Dot-string / Quoted-string   ; RFC 5321 §4.1.2
/// Quoted-string = DQUOTE *QcontentSMTP DQUOTE
/// ```
///
/// The raw form keeps its quotes and backslashes, so it borrows; use
/// [`unquoted`](LocalPart::unquoted) for the value. Local parts are
/// case-sensitive (RFC 5321 §2.4) and preserved exactly.
///
/// Non-ASCII characters (RFC 6531 §3.3) may not be controls, line or
/// paragraph separators, bidi controls or invisible characters, as in a
/// [`Domain`].
///
/// # Examples
///
/// ```
/// use smtp_wire::address::LocalPart;
///
/// let lp = LocalPart::new(r#""john \"jd\" doe""#).unwrap();
/// assert!(lp.is_quoted());
/// let value: String = lp.unquoted().collect();
/// assert_eq!(value, r#"john "jd" doe"#);
/// assert!(LocalPart::new(";sleep 66;").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalPart<'a>(&'a str);

impl<'a> LocalPart<'a> {
    /// Validates the raw wire form of a local part (at most 64 octets).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidSyntax`] or [`ErrorKind::PathTooLong`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::address::LocalPart::new("first.last").is_ok());
    /// assert!(smtp_wire::address::LocalPart::new("first..last").is_err());
    /// assert!(smtp_wire::address::LocalPart::new("jos\u{e9}").is_ok());
    /// assert!(smtp_wire::address::LocalPart::new("a\u{85}b").is_err());
    /// ```
    pub fn new(raw: &'a str) -> Result<LocalPart<'a>, ErrorKind> {
        if raw.len() > MAX_LOCAL_PART_LEN {
            Err(ErrorKind::PathTooLong)
        } else if syntax::is_local_part(raw.as_bytes(), true)
            && (raw.is_ascii() || syntax::has_no_hidden(raw))
        {
            Ok(LocalPart(raw))
        } else {
            Err(ErrorKind::InvalidSyntax)
        }
    }

    pub(crate) fn new_unchecked(raw: &'a str) -> LocalPart<'a> {
        debug_assert!(syntax::is_local_part(raw.as_bytes(), true));
        debug_assert!(syntax::has_no_hidden(raw));
        LocalPart(raw)
    }

    /// The raw form, with quotes and escapes if any.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::address::LocalPart::new("\"a b\"").unwrap().as_str(), "\"a b\"");
    /// ```
    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// `true` for a `Quoted-string`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!smtp_wire::address::LocalPart::new("alice").unwrap().is_quoted());
    /// ```
    pub fn is_quoted(&self) -> bool {
        self.0.starts_with('"')
    }

    /// The value without quotes and escapes, as borrowed pieces: each
    /// backslash escape yields the one character after it.
    ///
    /// # Examples
    ///
    /// ```
    /// let lp = smtp_wire::address::LocalPart::new(r#""a\\b""#).unwrap();
    /// let pieces: Vec<&str> = lp.unquoted().collect();
    /// assert_eq!(pieces, ["a", "\\", "b"]);
    /// ```
    pub fn unquoted(&self) -> Unquoted<'a> {
        let inner = if self.is_quoted() {
            &self.0[1..self.0.len() - 1]
        } else {
            self.0
        };
        Unquoted {
            rest: inner,
            quoted: self.is_quoted(),
        }
    }

    /// The value without quotes and escapes, in a new `String`.
    ///
    /// # Examples
    ///
    /// ```
    /// let lp = smtp_wire::address::LocalPart::new(r#""a\"b""#).unwrap();
    /// assert_eq!(lp.to_unquoted(), "a\"b");
    /// ```
    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    pub fn to_unquoted(&self) -> alloc::string::String {
        self.unquoted().collect()
    }
}

impl fmt::Display for LocalPart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The borrowed pieces of an unquoted local part; see [`LocalPart::unquoted`].
///
/// # Examples
///
/// ```
/// let lp = smtp_wire::address::LocalPart::new("plain").unwrap();
/// assert_eq!(lp.unquoted().collect::<Vec<_>>(), ["plain"]);
/// ```
#[derive(Debug, Clone)]
pub struct Unquoted<'a> {
    rest: &'a str,
    quoted: bool,
}

impl<'a> Iterator for Unquoted<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        if !self.quoted {
            return Some(core::mem::take(&mut self.rest));
        }
        if let Some(after) = self.rest.strip_prefix('\\') {
            // quoted-pairSMTP escapes exactly one ASCII character.
            let (escaped, rest) = after.split_at(1.min(after.len()));
            self.rest = rest;
            return Some(escaped);
        }
        let end = self.rest.find('\\').unwrap_or(self.rest.len());
        let (piece, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(piece)
    }
}

/// `Mailbox = Local-part "@" ( Domain / address-literal )` (RFC 5321 §4.1.2).
///
/// # Examples
///
/// ```
/// use smtp_wire::address::Mailbox;
///
/// let mb = Mailbox::new("user@[192.0.2.1]").unwrap();
/// assert_eq!(mb.local_part().as_str(), "user");
/// assert_eq!(mb.to_string(), "user@[192.0.2.1]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mailbox<'a> {
    local_part: LocalPart<'a>,
    host: Host<'a>,
}

impl<'a> Mailbox<'a> {
    /// Builds a mailbox from its validated parts.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::{Domain, Host, LocalPart, Mailbox};
    /// let mb = Mailbox::from_parts(
    ///     LocalPart::new("bob").unwrap(),
    ///     Host::Domain(Domain::new("example.org").unwrap()),
    /// );
    /// assert_eq!(mb.to_string(), "bob@example.org");
    /// ```
    pub fn from_parts(local_part: LocalPart<'a>, host: Host<'a>) -> Mailbox<'a> {
        Mailbox { local_part, host }
    }

    /// Parses `local@domain` (no angle brackets).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidSyntax`], [`ErrorKind::InvalidDomain`] or
    /// [`ErrorKind::PathTooLong`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::address::Mailbox::new("\"a@b\"@example.org").is_ok());
    /// assert!(smtp_wire::address::Mailbox::new("no-at-sign").is_err());
    /// ```
    pub fn new(text: &'a str) -> Result<Mailbox<'a>, ErrorKind> {
        let bytes = text.as_bytes();
        // The '@' that ends the local part: after a quoted string, or the first
        // one ('@' is not atext).
        let at = if bytes.first() == Some(&b'"') {
            syntax::quoted_string_len(bytes, true).ok_or(ErrorKind::InvalidSyntax)?
        } else {
            memchr::memchr(b'@', bytes).ok_or(ErrorKind::InvalidSyntax)?
        };
        if bytes.get(at) != Some(&b'@') {
            return Err(ErrorKind::InvalidSyntax);
        }
        let local_part = LocalPart::new(&text[..at])?;
        let host = Host::new(&text[at + 1..])?;
        Ok(Mailbox { local_part, host })
    }

    /// The local part.
    ///
    /// # Examples
    ///
    /// ```
    /// let mb = smtp_wire::address::Mailbox::new("Alice@example.org").unwrap();
    /// assert_eq!(mb.local_part().as_str(), "Alice");
    /// ```
    pub fn local_part(&self) -> LocalPart<'a> {
        self.local_part
    }

    /// The domain or address literal after `@`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mb = smtp_wire::address::Mailbox::new("a@example.org").unwrap();
    /// assert_eq!(mb.host().to_string(), "example.org");
    /// ```
    pub fn host(&self) -> Host<'a> {
        self.host
    }

    /// `true` when neither part has non-ASCII characters; a server that did
    /// not see `SMTPUTF8` on MAIL rejects the others (RFC 6531 §3.5, 553 5.6.7).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!smtp_wire::address::Mailbox::new("älice@example.org").unwrap().is_ascii());
    /// ```
    pub fn is_ascii(&self) -> bool {
        self.local_part.0.is_ascii() && self.host.is_ascii()
    }

    /// The length in octets of `local@host` as encoded.
    pub(crate) fn encoded_len(&self) -> usize {
        struct Count(usize);
        impl fmt::Write for Count {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                self.0 += s.len();
                Ok(())
            }
        }
        let mut count = Count(0);
        let _ = fmt::write(&mut count, format_args!("{self}"));
        count.0
    }
}

impl fmt::Display for Mailbox<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local_part, self.host)
    }
}

/// A source route, `@a,@b` (RFC 5321 §4.1.2 `A-d-l`). Servers MUST accept and
/// SHOULD ignore it (RFC 5321 Appendix C); it is kept so the command encodes
/// back as it came.
///
/// # Examples
///
/// ```
/// use smtp_wire::address::SourceRoute;
///
/// let route = SourceRoute::new("@a.example,@b.example").unwrap();
/// let hops: Vec<&str> = route.domains().map(|d| d.as_str()).collect();
/// assert_eq!(hops, ["a.example", "b.example"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceRoute<'a>(&'a str);

impl<'a> SourceRoute<'a> {
    /// Validates `At-domain *( "," At-domain )`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidDomain`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::address::SourceRoute::new("@relay.example").is_ok());
    /// assert!(smtp_wire::address::SourceRoute::new("relay.example").is_err());
    /// ```
    pub fn new(route: &'a str) -> Result<SourceRoute<'a>, ErrorKind> {
        let valid = route.split(',').all(|hop| {
            hop.strip_prefix('@')
                .is_some_and(|domain| Domain::new(domain).is_ok())
        });
        if valid {
            Ok(SourceRoute(route))
        } else {
            Err(ErrorKind::InvalidDomain)
        }
    }

    /// The route as written.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::address::SourceRoute::new("@a.example").unwrap().as_str(), "@a.example");
    /// ```
    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// The domains of the route, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// let route = smtp_wire::address::SourceRoute::new("@a.example").unwrap();
    /// assert_eq!(route.domains().count(), 1);
    /// ```
    pub fn domains(&self) -> impl Iterator<Item = Domain<'a>> + use<'a> {
        self.0
            .split(',')
            .map(|hop| Domain::new_unchecked(&hop[1..]))
    }
}

/// `Path = "<" [ A-d-l ":" ] Mailbox ">"` (RFC 5321 §4.1.2).
///
/// # Examples
///
/// ```
/// use smtp_wire::address::{Mailbox, Path};
///
/// let path = Path::new(Mailbox::new("a@example.org").unwrap());
/// assert_eq!(path.to_string(), "<a@example.org>");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Path<'a> {
    route: Option<SourceRoute<'a>>,
    mailbox: Mailbox<'a>,
}

impl<'a> Path<'a> {
    /// A path without a source route.
    ///
    /// # Examples
    ///
    /// ```
    /// let path = smtp_wire::address::Path::new(smtp_wire::address::Mailbox::new("a@b.example").unwrap());
    /// assert!(path.route().is_none());
    /// ```
    pub fn new(mailbox: Mailbox<'a>) -> Path<'a> {
        Path {
            route: None,
            mailbox,
        }
    }

    /// A path with a source route, which SHOULD NOT be generated (RFC 5321
    /// §4.1.2) but round-trips what a client sent.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::{Mailbox, Path, SourceRoute};
    /// let path = Path::with_route(
    ///     SourceRoute::new("@hop.example").unwrap(),
    ///     Mailbox::new("a@b.example").unwrap(),
    /// );
    /// assert_eq!(path.to_string(), "<@hop.example:a@b.example>");
    /// ```
    pub fn with_route(route: SourceRoute<'a>, mailbox: Mailbox<'a>) -> Path<'a> {
        Path {
            route: Some(route),
            mailbox,
        }
    }

    /// The mailbox, which is all a server should act on.
    ///
    /// # Examples
    ///
    /// ```
    /// let path = smtp_wire::address::Path::new(smtp_wire::address::Mailbox::new("a@b.example").unwrap());
    /// assert_eq!(path.mailbox().to_string(), "a@b.example");
    /// ```
    pub fn mailbox(&self) -> Mailbox<'a> {
        self.mailbox
    }

    /// The source route, if the client sent one.
    ///
    /// # Examples
    ///
    /// ```
    /// let path = smtp_wire::address::Path::new(smtp_wire::address::Mailbox::new("a@b.example").unwrap());
    /// assert_eq!(path.route(), None);
    /// ```
    pub fn route(&self) -> Option<SourceRoute<'a>> {
        self.route
    }

    /// `true` when neither the mailbox nor the source route has non-ASCII
    /// characters: a path that does needs SMTPUTF8 (RFC 6531 §3.4).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::{Mailbox, Path};
    /// assert!(Path::new(Mailbox::new("a@b.example")?).is_ascii());
    /// assert!(!Path::new(Mailbox::new("jos\u{e9}@b.example")?).is_ascii());
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    pub fn is_ascii(&self) -> bool {
        self.mailbox.is_ascii() && self.route.is_none_or(|route| route.0.is_ascii())
    }

    /// The length in octets of the encoded path, with its angle brackets.
    ///
    /// # Examples
    ///
    /// ```
    /// let path = smtp_wire::address::Path::new(smtp_wire::address::Mailbox::new("a@b.example").unwrap());
    /// assert_eq!(path.encoded_len(), "<a@b.example>".len());
    /// ```
    pub fn encoded_len(&self) -> usize {
        let route = self.route.map_or(0, |r| r.0.len() + 1);
        2 + route + self.mailbox.encoded_len()
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.route {
            Some(route) => write!(f, "<{}:{}>", route.0, self.mailbox),
            None => write!(f, "<{}>", self.mailbox),
        }
    }
}

/// The argument of MAIL FROM: a path, or `<>` for bounces.
///
/// ```abnf
/// Reverse-path = Path / "<>"   ; RFC 5321 §4.1.2
/// ```
///
/// # Examples
///
/// ```
/// use smtp_wire::address::ReversePath;
/// assert_eq!(ReversePath::Null.to_string(), "<>");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReversePath<'a> {
    /// `<>`, the null reverse-path of delivery status notifications.
    Null,
    /// A sender path.
    Path(Path<'a>),
}

impl<'a> ReversePath<'a> {
    /// The sender mailbox, or `None` for `<>`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::address::ReversePath::Null.mailbox().is_none());
    /// ```
    pub fn mailbox(&self) -> Option<Mailbox<'a>> {
        match self {
            ReversePath::Null => None,
            ReversePath::Path(path) => Some(path.mailbox()),
        }
    }

    /// `true` for `<>` and for an ASCII [`Path`]. The parser refuses a MAIL
    /// whose path is not ASCII unless it has the `SMTPUTF8` parameter
    /// (RFC 6531 §3.4; [`ErrorKind::NonAsciiAddress`], 553 5.6.7).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::{Mailbox, ReversePath};
    /// assert!(ReversePath::Null.is_ascii());
    /// assert!(!ReversePath::from(Mailbox::new("jos\u{e9}@example.com")?).is_ascii());
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    pub fn is_ascii(&self) -> bool {
        match self {
            ReversePath::Null => true,
            ReversePath::Path(path) => path.is_ascii(),
        }
    }
}

impl fmt::Display for ReversePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReversePath::Null => f.write_str("<>"),
            ReversePath::Path(path) => path.fmt(f),
        }
    }
}

/// The argument of RCPT TO: a path, or the bare `<Postmaster>`.
///
/// ```abnf
/// rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" /
///                     Forward-path ) [SP Rcpt-parameters] CRLF
/// ```
///
/// `<Postmaster@domain>` is an ordinary mailbox; only the domain-less form,
/// matched case-insensitively (RFC 5321 §4.1.1.3), is [`ForwardPath::Postmaster`].
///
/// # Examples
///
/// ```
/// use smtp_wire::address::ForwardPath;
/// assert_eq!(ForwardPath::Postmaster.to_string(), "<Postmaster>");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForwardPath<'a> {
    /// `<Postmaster>` without a domain: the local postmaster.
    Postmaster,
    /// A recipient path.
    Path(Path<'a>),
}

impl<'a> ForwardPath<'a> {
    /// The recipient mailbox, or `None` for `<Postmaster>`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::address::ForwardPath::Postmaster.mailbox().is_none());
    /// ```
    pub fn mailbox(&self) -> Option<Mailbox<'a>> {
        match self {
            ForwardPath::Postmaster => None,
            ForwardPath::Path(path) => Some(path.mailbox()),
        }
    }

    /// `true` for `<Postmaster>` and for an ASCII [`Path`]. The parser
    /// cannot know whether the transaction's MAIL had `SMTPUTF8`; a server
    /// that did not see it refuses a recipient for which this is `false`
    /// with [`ErrorKind::NonAsciiAddress`] (553 5.6.7, RFC 6531 §3.4). See
    /// also [`RcptTo::is_ascii`](crate::command::RcptTo::is_ascii), which
    /// checks the `ORCPT` parameter too.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::address::{ForwardPath, Mailbox};
    /// assert!(ForwardPath::Postmaster.is_ascii());
    /// assert!(!ForwardPath::from(Mailbox::new("jos\u{e9}@example.com")?).is_ascii());
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    pub fn is_ascii(&self) -> bool {
        match self {
            ForwardPath::Postmaster => true,
            ForwardPath::Path(path) => path.is_ascii(),
        }
    }
}

impl fmt::Display for ForwardPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ForwardPath::Postmaster => f.write_str("<Postmaster>"),
            ForwardPath::Path(path) => path.fmt(f),
        }
    }
}

impl<'a> From<Mailbox<'a>> for Path<'a> {
    /// A path without a source route.
    fn from(mailbox: Mailbox<'a>) -> Path<'a> {
        Path::new(mailbox)
    }
}

impl<'a> From<Path<'a>> for ReversePath<'a> {
    fn from(path: Path<'a>) -> ReversePath<'a> {
        ReversePath::Path(path)
    }
}

impl<'a> From<Mailbox<'a>> for ReversePath<'a> {
    fn from(mailbox: Mailbox<'a>) -> ReversePath<'a> {
        ReversePath::Path(Path::new(mailbox))
    }
}

impl<'a> From<Path<'a>> for ForwardPath<'a> {
    fn from(path: Path<'a>) -> ForwardPath<'a> {
        ForwardPath::Path(path)
    }
}

impl<'a> From<Mailbox<'a>> for ForwardPath<'a> {
    fn from(mailbox: Mailbox<'a>) -> ForwardPath<'a> {
        ForwardPath::Path(Path::new(mailbox))
    }
}
