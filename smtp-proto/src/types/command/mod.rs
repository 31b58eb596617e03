//! [`Command`]: one client command line (RFC 5321 §4.1.1 and the ESMTP and
//! LMTP extensions).

pub(crate) mod auth;
mod envelope;
pub(crate) mod xclient;

pub(crate) use self::auth::{Auth, AuthResponse, InitialResponse, Mechanism};
pub use self::envelope::{MailFrom, RcptTo};
pub(crate) use self::xclient::{AttributeSet, Attributes};

use crate::syntax::{self, is_verb, split_smtputf8};
use crate::types::address::{Domain, Host, MAX_DOMAIN_LEN};
use crate::types::error::ErrorKind;

/// One SMTP, ESMTP or LMTP command.
///
/// Parse with [`Command::parse`] (or [`CommandConfig::parse`](crate::CommandConfig::parse)
/// for non-default limits), encode with [`Encode`](crate::Encode). Values
/// borrow from the input buffer.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Command, Encode, Status};
///
/// let buf = b"mail from:<alice@example.org> SIZE=1024\r\nRCPT TO:<bob@example.org>\r\n";
/// let Status::Complete((cmd, used)) = Command::parse(buf).unwrap() else { panic!() };
/// let Command::Mail(mail) = &cmd else { panic!() };
/// assert_eq!(mail.params.size, Some(1024));
/// // The canonical form: upper-case verb, single spaces, CRLF.
/// let mut out = [0u8; 64];
/// let n = cmd.encode(&mut out).unwrap();
/// assert_eq!(&out[..n], b"MAIL FROM:<alice@example.org> SIZE=1024\r\n");
/// // The pipelined RCPT is next.
/// assert!(matches!(Command::parse(&buf[used..]), Ok(Status::Complete((Command::Rcpt(_), _)))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command<'a> {
    /// `HELO domain` (RFC 5321 §4.1.1.1). Address literals are accepted too,
    /// as most servers do.
    Helo(Host<'a>),
    /// `EHLO domain-or-literal` (RFC 5321 §4.1.1.1).
    Ehlo(Host<'a>),
    /// `LHLO domain-or-literal` (RFC 2033 §4.1), LMTP's EHLO.
    Lhlo(Host<'a>),
    /// `MAIL FROM:<path> [params]` (RFC 5321 §4.1.1.2).
    Mail(MailFrom<'a>),
    /// `RCPT TO:<path> [params]` (RFC 5321 §4.1.1.3).
    Rcpt(RcptTo<'a>),
    /// `DATA` (RFC 5321 §4.1.1.4). Content follows only after a 354 reply.
    Data,
    /// `BDAT size [LAST]` (RFC 3030 §2). Exactly `size` octets of content
    /// follow the line at once, whatever the server replies: read them with
    /// a `BdatDecoder`, even to discard them.
    Bdat {
        /// The chunk size in octets.
        size: u64,
        /// `LAST`: this chunk ends the message.
        last: bool,
    },
    /// `RSET` (RFC 5321 §4.1.1.5).
    Rset,
    /// `VRFY string [SMTPUTF8]` (RFC 5321 §4.1.1.6, RFC 6531 §3.7.4).
    Vrfy(Lookup<'a>),
    /// `EXPN string [SMTPUTF8]` (RFC 5321 §4.1.1.7, RFC 6531 §3.7.4).
    Expn(Lookup<'a>),
    /// `HELP [string]` (RFC 5321 §4.1.1.8).
    Help(Option<Text<'a>>),
    /// `NOOP [string]` (RFC 5321 §4.1.1.9); the argument should be ignored.
    Noop(Option<Text<'a>>),
    /// `QUIT` (RFC 5321 §4.1.1.10).
    Quit,
    /// `STARTTLS` (RFC 3207 §4). Bytes the client sent after this line, before
    /// the TLS handshake, must be discarded (CVE-2011-0411).
    StartTls,
    /// `AUTH mechanism [initial-response]` (RFC 4954 §4).
    Auth(Auth<'a>),
    /// `ETRN [@|#]node` (RFC 1985).
    Etrn(Etrn<'a>),
    /// `ATRN [domain,...]` (RFC 2645).
    Atrn(Option<DomainList<'a>>),
    /// `BURL url [LAST]` (RFC 4468 §3).
    Burl(Burl<'a>),
    /// `XCLIENT name=value ...` (Postfix `XCLIENT_README`).
    Xclient(Attributes<'a>),
    /// `XFORWARD name=value ...` (Postfix `XFORWARD_README`).
    Xforward(Attributes<'a>),
    /// A well-formed verb this crate does not know, with its arguments. A
    /// server answers it with `500 5.5.2` (not recognised) or, for verbs it
    /// knows but does not implement, `502 5.5.1` (RFC 5321 §4.2.4).
    Unknown(Unknown<'a>),
}

impl Command<'_> {
    /// The verb in canonical (upper-case) form; for an unknown command, the
    /// verb as sent.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, Status};
    /// let Status::Complete((cmd, _)) = Command::parse(b"starttls\r\n").unwrap() else { panic!() };
    /// assert_eq!(cmd.verb(), "STARTTLS");
    /// ```
    pub fn verb(&self) -> &str {
        match self {
            Command::Helo(_) => "HELO",
            Command::Ehlo(_) => "EHLO",
            Command::Lhlo(_) => "LHLO",
            Command::Mail(_) => "MAIL",
            Command::Rcpt(_) => "RCPT",
            Command::Data => "DATA",
            Command::Bdat { .. } => "BDAT",
            Command::Rset => "RSET",
            Command::Vrfy(_) => "VRFY",
            Command::Expn(_) => "EXPN",
            Command::Help(_) => "HELP",
            Command::Noop(_) => "NOOP",
            Command::Quit => "QUIT",
            Command::StartTls => "STARTTLS",
            Command::Auth(_) => "AUTH",
            Command::Etrn(_) => "ETRN",
            Command::Atrn(_) => "ATRN",
            Command::Burl(_) => "BURL",
            Command::Xclient(_) => "XCLIENT",
            Command::Xforward(_) => "XFORWARD",
            Command::Unknown(unknown) => unknown.verb,
        }
    }

    /// `true` for commands that must end a pipelined group (RFC 2920 §3.1):
    /// EHLO, HELO, LHLO, DATA, VRFY, EXPN, NOOP, QUIT, STARTTLS (RFC 3207
    /// §4), AUTH without an initial response (RFC 4954 §4: with one, a
    /// single-round mechanism such as PLAIN may be followed by more
    /// commands), and every other extension or unknown verb. A server that
    /// finds more input after one of these, sent before its reply, may close
    /// the connection (Postfix's `smtpd_forbid_unauth_pipelining`); the
    /// [`ServerSession`](crate::session::ServerSession) does.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::Command;
    /// assert!(Command::Data.must_end_pipeline_group());
    /// assert!(!Command::Rset.must_end_pipeline_group());
    /// ```
    pub fn must_end_pipeline_group(&self) -> bool {
        match self {
            Command::Mail(_)
            | Command::Rcpt(_)
            | Command::Rset
            | Command::Bdat { .. }
            | Command::Burl(_) => false,
            Command::Auth(auth) => auth.initial_response.is_none(),
            _ => true,
        }
    }
}

/// A free-text argument (HELP, NOOP, VRFY, EXPN, and the text after an EHLO
/// host that [`allow_hello_trailing_text`](crate::CommandConfig::allow_hello_trailing_text)
/// accepts): printable ASCII or UTF-8, no control characters (C0, DEL or C1,
/// such as U+0085 NEXT LINE), no line or paragraph separator (U+2028,
/// U+2029), no leading or trailing space.
///
/// # Examples
///
/// ```
/// assert_eq!(smtp_wire::command::Text::new("DATA").unwrap().as_str(), "DATA");
/// assert!(smtp_wire::command::Text::new("two\r\nlines").is_err());
/// assert!(smtp_wire::command::Text::new("two\u{85}lines").is_err());
/// assert!(smtp_wire::command::Text::new("caf\u{e9}").is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Text<'a>(&'a str);

impl<'a> Text<'a> {
    /// Validates the text.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidSyntax`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::command::Text::new(" padded").is_err());
    /// ```
    pub fn new(text: &'a str) -> Result<Text<'a>, ErrorKind> {
        if syntax::is_text_arg(text.as_bytes()) {
            Ok(Text(text))
        } else {
            Err(ErrorKind::InvalidSyntax)
        }
    }

    /// The text.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::command::Text::new("x").unwrap().as_str(), "x");
    /// ```
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// The argument of VRFY or EXPN, and RFC 6531's `SMTPUTF8` flag.
///
/// RFC 5321 gives the argument as `String` (an atom or a quoted string), but
/// clients send names, mailboxes and `<paths>` alike, so any [`Text`] is
/// accepted; its last word is never `SMTPUTF8`, which is the flag.
///
/// # Examples
///
/// ```
/// use smtp_wire::command::{Lookup, Text};
///
/// let lookup = Lookup::new(Text::new("postmaster").unwrap(), true).unwrap();
/// assert!(lookup.smtputf8());
/// assert!(Lookup::new(Text::new("a SMTPUTF8").unwrap(), false).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lookup<'a> {
    target: Text<'a>,
    smtputf8: bool,
}

impl<'a> Lookup<'a> {
    /// Builds the argument.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidSyntax`] when the text itself ends in the word
    /// `SMTPUTF8`, which would read back as the flag.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = smtp_wire::command::Text::new("bob").unwrap();
    /// assert!(smtp_wire::command::Lookup::new(t, false).is_ok());
    /// ```
    pub fn new(target: Text<'a>, smtputf8: bool) -> Result<Lookup<'a>, ErrorKind> {
        if split_smtputf8(target.0).1 {
            Err(ErrorKind::InvalidSyntax)
        } else {
            Ok(Lookup { target, smtputf8 })
        }
    }

    pub(crate) fn from_parsed(target: Text<'a>, smtputf8: bool) -> Lookup<'a> {
        Lookup { target, smtputf8 }
    }

    /// What to verify or expand.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = smtp_wire::command::Text::new("bob").unwrap();
    /// assert_eq!(smtp_wire::command::Lookup::new(t, false).unwrap().target().as_str(), "bob");
    /// ```
    pub fn target(&self) -> Text<'a> {
        self.target
    }

    /// `SMTPUTF8`: the reply may contain UTF-8 (RFC 6531 §3.7.4).
    ///
    /// # Examples
    ///
    /// ```
    /// let t = smtp_wire::command::Text::new("bob").unwrap();
    /// assert!(!smtp_wire::command::Lookup::new(t, false).unwrap().smtputf8());
    /// ```
    pub fn smtputf8(&self) -> bool {
        self.smtputf8
    }
}

/// What ETRN asks the server to flush (RFC 1985 §5).
///
/// # Examples
///
/// ```
/// use smtp_wire::address::Domain;
/// use smtp_wire::command::Etrn;
/// let e = Etrn::Subdomains(Domain::new("example.org").unwrap());
/// assert_eq!(e.to_string(), "@example.org");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Etrn<'a> {
    /// `node`: mail for this domain.
    Domain(Domain<'a>),
    /// `@node`: mail for this domain and its subdomains.
    Subdomains(Domain<'a>),
    /// `#queue`: a named queue (an atom).
    Queue(&'a str),
}

impl<'a> Etrn<'a> {
    /// Builds a `#queue` target from an atom.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidSyntax`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::command::Etrn::queue("deferred").is_ok());
    /// assert!(smtp_wire::command::Etrn::queue("two words").is_err());
    /// ```
    pub fn queue(name: &'a str) -> Result<Etrn<'a>, ErrorKind> {
        if syntax::is_atom(name.as_bytes(), false) {
            Ok(Etrn::Queue(name))
        } else {
            Err(ErrorKind::InvalidSyntax)
        }
    }
}

impl core::fmt::Display for Etrn<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Etrn::Domain(domain) => write!(f, "{domain}"),
            Etrn::Subdomains(domain) => write!(f, "@{domain}"),
            Etrn::Queue(queue) => write!(f, "#{queue}"),
        }
    }
}

/// A comma-separated list of ASCII domains, as ATRN takes (RFC 2645 §4).
///
/// # Examples
///
/// ```
/// let list = smtp_wire::command::DomainList::new("a.example,b.example").unwrap();
/// assert_eq!(list.iter().count(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DomainList<'a>(&'a str);

impl<'a> DomainList<'a> {
    /// Validates the list.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidDomain`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::command::DomainList::new("a.example,,b").is_err());
    /// ```
    pub fn new(list: &'a str) -> Result<DomainList<'a>, ErrorKind> {
        let valid = list
            .split(',')
            .all(|d| d.len() <= MAX_DOMAIN_LEN && syntax::is_domain(d.as_bytes(), false));
        if valid {
            Ok(DomainList(list))
        } else {
            Err(ErrorKind::InvalidDomain)
        }
    }

    /// The list as sent.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::command::DomainList::new("a.example").unwrap().as_str(), "a.example");
    /// ```
    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// The domains.
    ///
    /// # Examples
    ///
    /// ```
    /// let list = smtp_wire::command::DomainList::new("a.example").unwrap();
    /// assert_eq!(list.iter().next().unwrap().as_str(), "a.example");
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = Domain<'a>> + use<'a> {
        self.0.split(',').map(Domain::new_unchecked)
    }
}

/// `BURL absolute-URI [LAST]` (RFC 4468 §3).
///
/// # Examples
///
/// ```
/// let b = smtp_wire::command::Burl::new("imap://user@imap.example/INBOX;UID=20", true).unwrap();
/// assert!(b.last());
/// assert!(smtp_wire::command::Burl::new("no scheme", false).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Burl<'a> {
    url: &'a str,
    last: bool,
}

impl<'a> Burl<'a> {
    /// Validates the URL: a scheme (`ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")`),
    /// `:`, then printable ASCII without spaces (RFC 3986 §4.3).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidSyntax`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::command::Burl::new("imap://a/b", false).is_ok());
    /// ```
    pub fn new(url: &'a str, last: bool) -> Result<Burl<'a>, ErrorKind> {
        let valid = match url.split_once(':') {
            Some((scheme, rest)) => {
                scheme
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphabetic())
                    && scheme
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
                    && !rest.is_empty()
                    && rest.bytes().all(|b| b.is_ascii_graphic())
            }
            None => false,
        };
        if valid {
            Ok(Burl { url, last })
        } else {
            Err(ErrorKind::InvalidSyntax)
        }
    }

    /// The URL of the content to include.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::command::Burl::new("imap://a/b", false).unwrap().url(), "imap://a/b");
    /// ```
    pub fn url(&self) -> &'a str {
        self.url
    }

    /// `LAST`: this part ends the message.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!smtp_wire::command::Burl::new("imap://a/b", false).unwrap().last());
    /// ```
    pub fn last(&self) -> bool {
        self.last
    }
}

/// A command whose verb this crate does not know.
///
/// # Examples
///
/// ```
/// let u = smtp_wire::command::Unknown::new("XEXPS", Some(b"a b")).unwrap();
/// assert_eq!(u.verb(), "XEXPS");
/// assert!(smtp_wire::command::Unknown::new("QUIT", None).is_err()); // a known verb
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Unknown<'a> {
    verb: &'a str,
    args: Option<&'a [u8]>,
}

impl<'a> Unknown<'a> {
    /// Validates the verb (a letter, then letters, digits, `-` or `_`, not a
    /// verb this crate knows) and the arguments (no CR, LF or NUL, not empty,
    /// no trailing space).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidCommand`] or [`ErrorKind::InvalidSyntax`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::command::Unknown::new("X-1", None).is_ok());
    /// assert!(smtp_wire::command::Unknown::new("1X", None).is_err());
    /// ```
    pub fn new(verb: &'a str, args: Option<&'a [u8]>) -> Result<Unknown<'a>, ErrorKind> {
        if !is_verb(verb.as_bytes()) || Verb::find(verb.as_bytes()).is_some() {
            return Err(ErrorKind::InvalidCommand);
        }
        if let Some(args) = args {
            let bad = args.is_empty()
                || args.ends_with(b" ")
                || args.ends_with(b"\t")
                || args.iter().any(|&b| matches!(b, b'\r' | b'\n' | 0));
            if bad {
                return Err(ErrorKind::InvalidSyntax);
            }
        }
        Ok(Unknown { verb, args })
    }

    pub(crate) fn from_parsed(verb: &'a str, args: Option<&'a [u8]>) -> Unknown<'a> {
        Unknown { verb, args }
    }

    /// The verb as sent.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::command::Unknown::new("xverb", None).unwrap().verb(), "xverb");
    /// ```
    pub fn verb(&self) -> &'a str {
        self.verb
    }

    /// Everything after the verb and its space, as sent.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::command::Unknown::new("XV", Some(b"1")).unwrap().args(), Some(&b"1"[..]));
    /// ```
    pub fn args(&self) -> Option<&'a [u8]> {
        self.args
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
