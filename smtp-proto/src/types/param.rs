//! MAIL and RCPT parameters (RFC 5321 §4.1.2 `esmtp-param`) and their typed
//! values from the ESMTP extensions.

use core::fmt;

use crate::syntax;
use crate::ErrorKind;

/// `BODY=` of MAIL (RFC 6152, RFC 3030 §3).
///
/// # Examples
///
/// ```
/// assert_eq!(smtp_wire::Body::EightBitMime.as_str(), "8BITMIME");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Body {
    /// `7BIT`.
    SevenBit,
    /// `8BITMIME`.
    EightBitMime,
    /// `BINARYMIME` (RFC 3030): needs CHUNKING, forbids DATA.
    BinaryMime,
}

impl Body {
    /// The keyword as sent.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Body::BinaryMime.as_str(), "BINARYMIME");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Body::SevenBit => "7BIT",
            Body::EightBitMime => "8BITMIME",
            Body::BinaryMime => "BINARYMIME",
        }
    }
}

/// `RET=` of MAIL (RFC 3461 §4.3).
///
/// # Examples
///
/// ```
/// assert_eq!(smtp_wire::Ret::Headers.as_str(), "HDRS");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Ret {
    /// `FULL`: return the whole message in a failure DSN.
    Full,
    /// `HDRS`: return only the headers.
    Headers,
}

impl Ret {
    /// The keyword as sent.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Ret::Full.as_str(), "FULL");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Ret::Full => "FULL",
            Ret::Headers => "HDRS",
        }
    }
}

/// `NOTIFY=` of RCPT (RFC 3461 §4.1).
///
/// ```abnf
/// notify-esmtp-value = "NEVER" / 1#notify-list-element
/// notify-list-element = "SUCCESS" / "FAILURE" / "DELAY"
/// ```
///
/// `NEVER` cannot be combined with the others, so it is its own variant.
///
/// # Examples
///
/// ```
/// use smtp_wire::Notify;
///
/// let n = Notify::on(true, true, false).unwrap();
/// assert_eq!(n.to_string(), "SUCCESS,FAILURE");
/// assert!(Notify::on(false, false, false).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Notify {
    /// `NEVER`.
    Never,
    /// At least one of `SUCCESS`, `FAILURE`, `DELAY`.
    On {
        /// `SUCCESS`.
        success: bool,
        /// `FAILURE`.
        failure: bool,
        /// `DELAY`.
        delay: bool,
    },
}

impl Notify {
    /// A list of conditions; `None` when all are false (that would be `NEVER`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::Notify::on(false, true, false).is_some());
    /// ```
    pub const fn on(success: bool, failure: bool, delay: bool) -> Option<Notify> {
        if success || failure || delay {
            Some(Notify::On {
                success,
                failure,
                delay,
            })
        } else {
            None
        }
    }
}

impl fmt::Display for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Notify::Never => f.write_str("NEVER"),
            Notify::On {
                success,
                failure,
                delay,
            } => {
                let mut sep = "";
                for (on, name) in [(success, "SUCCESS"), (failure, "FAILURE"), (delay, "DELAY")] {
                    if on {
                        f.write_str(sep)?;
                        f.write_str(name)?;
                        sep = ",";
                    }
                }
                Ok(())
            }
        }
    }
}

/// An xtext value (RFC 3461 §4), as sent: `+XX` escapes are kept.
///
/// ```abnf
/// xtext   = *( xchar / hexchar )
/// xchar   = %x21-2A / %x2C-3C / %x3E-7E
/// hexchar = "+" 2(upper-case HEXDIG)
/// ```
///
/// Non-ASCII UTF-8 is also allowed, as in an SMTPUTF8 `esmtp-value`
/// (RFC 6531 §3.3). The decoded value may not hold control characters: Exim's
/// CVE-2020-28021 came from `AUTH=Raven+0AReyes` decoding to a line break.
///
/// # Examples
///
/// ```
/// use smtp_wire::XText;
///
/// let x = XText::new("a+2Bb").unwrap();
/// assert_eq!(x.decoded().collect::<Vec<u8>>(), b"a+b");
/// assert!(XText::new("Raven+0AReyes").is_err());
/// assert!(XText::new("a+2b").is_err()); // hex must be upper-case
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct XText<'a>(&'a str);

impl<'a> XText<'a> {
    /// Validates a non-empty xtext whose decoded form has no control
    /// characters. RFC 3461's `xtext` may be empty, but every place it is
    /// used is an `esmtp-value` or attribute value, which may not.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameterValue`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::XText::new("QQ314159").is_ok());
    /// assert!(smtp_wire::XText::new("a b").is_err());
    /// assert!(smtp_wire::XText::new("").is_err());
    /// ```
    pub fn new(raw: &'a str) -> Result<XText<'a>, ErrorKind> {
        let x = XText(raw);
        // Same as `is_xtext(raw, true)` and every decoded octet >= 0x20 and
        // != 0x7f, in one pass (a `tests` case checks they agree).
        if !raw.is_empty() && syntax::is_xtext_text(raw.as_bytes()) {
            Ok(x)
        } else {
            Err(ErrorKind::InvalidParameterValue)
        }
    }

    /// The value as sent, with `+XX` escapes.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::XText::new("a+2Bb").unwrap().as_str(), "a+2Bb");
    /// ```
    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// The decoded octets.
    ///
    /// # Examples
    ///
    /// ```
    /// let x = smtp_wire::XText::new("+3Cuser+40example.org+3E").unwrap();
    /// assert_eq!(x.decoded().collect::<Vec<u8>>(), b"<user@example.org>");
    /// ```
    pub fn decoded(&self) -> XTextDecoder<'a> {
        XTextDecoder {
            rest: self.0.as_bytes(),
        }
    }

    /// The decoded value in a new `String`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::XText::new("a+2Bb").unwrap().to_decoded_string(), "a+b");
    /// ```
    #[cfg(feature = "alloc")]
    pub fn to_decoded_string(&self) -> alloc::string::String {
        let bytes: alloc::vec::Vec<u8> = self.decoded().collect();
        // Escapes decode to single octets; a value that escaped the bytes of a
        // UTF-8 sequence one by one is still valid UTF-8 once joined.
        alloc::string::String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Iterator over the decoded octets of an [`XText`].
///
/// # Examples
///
/// ```
/// let x = smtp_wire::XText::new("+41").unwrap();
/// assert_eq!(x.decoded().next(), Some(b'A'));
/// ```
#[derive(Debug, Clone)]
pub struct XTextDecoder<'a> {
    rest: &'a [u8],
}

impl Iterator for XTextDecoder<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let (&first, rest) = self.rest.split_first()?;
        if first == b'+' && rest.len() >= 2 {
            self.rest = &rest[2..];
            Some(syntax::hex_value(rest[0]) << 4 | syntax::hex_value(rest[1]))
        } else {
            self.rest = rest;
            Some(first)
        }
    }
}

/// `AUTH=` of MAIL (RFC 4954 §5): the xtext-encoded identity that submitted
/// the message, which decodes to a mailbox or `<>`.
///
/// # Examples
///
/// ```
/// use smtp_wire::AuthParam;
///
/// assert!(AuthParam::new("<>").is_ok());
/// assert!(AuthParam::new("e+3Dmc2@example.com").is_ok());
/// assert!(AuthParam::new("not-a-mailbox").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AuthParam<'a>(XText<'a>);

impl<'a> AuthParam<'a> {
    /// Validates the xtext and its decoded value, `<>` or a mailbox of at most
    /// 256 octets.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameterValue`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::AuthParam::new("Raven+0AReyes@example.org").is_err());
    /// ```
    pub fn new(raw: &'a str) -> Result<AuthParam<'a>, ErrorKind> {
        let xtext = XText::new(raw)?;
        // Decode into a stack buffer: no allocation, and the path limit of
        // RFC 5321 §4.5.3.1.3 bounds any valid value.
        let mut buf = [0u8; crate::types::address::MAX_PATH_LEN];
        let mut len = 0;
        for byte in xtext.decoded() {
            *buf.get_mut(len).ok_or(ErrorKind::InvalidParameterValue)? = byte;
            len += 1;
        }
        let decoded =
            core::str::from_utf8(&buf[..len]).map_err(|_| ErrorKind::InvalidParameterValue)?;
        if decoded == "<>" || crate::Mailbox::parse(decoded).is_ok() {
            Ok(AuthParam(xtext))
        } else {
            Err(ErrorKind::InvalidParameterValue)
        }
    }

    /// The value as sent, still xtext-encoded.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::AuthParam::new("<>").unwrap().xtext().as_str(), "<>");
    /// ```
    pub fn xtext(&self) -> XText<'a> {
        self.0
    }

    /// `true` for `AUTH=<>`: the submitter is unknown or not trusted.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::AuthParam::new("<>").unwrap().is_unknown());
    /// ```
    pub fn is_unknown(&self) -> bool {
        self.0.decoded().eq(*b"<>")
    }
}

/// `ORCPT=addr-type;xtext` of RCPT (RFC 3461 §4.2).
///
/// # Examples
///
/// ```
/// use smtp_wire::Orcpt;
///
/// let o = Orcpt::new("rfc822", "bob@example.org").unwrap();
/// assert_eq!(o.to_string(), "rfc822;bob@example.org");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Orcpt<'a> {
    addr_type: &'a str,
    address: XText<'a>,
}

impl<'a> Orcpt<'a> {
    /// Validates the address type (an atom, such as `rfc822` or `utf-8`) and
    /// the xtext address.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameterValue`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::Orcpt::new("rfc822", "a@b").is_ok());
    /// assert!(smtp_wire::Orcpt::new("", "a@b").is_err());
    /// ```
    pub fn new(addr_type: &'a str, address: &'a str) -> Result<Orcpt<'a>, ErrorKind> {
        // addr-type is an atom (RFC 3461 §4.2), but one inside an
        // `esmtp-value`, which cannot hold "=".
        let type_ok = syntax::is_atom(addr_type.as_bytes(), false) && !addr_type.contains('=');
        if !type_ok || address.is_empty() {
            return Err(ErrorKind::InvalidParameterValue);
        }
        Ok(Orcpt {
            addr_type,
            address: XText::new(address)?,
        })
    }

    /// The address type, for example `rfc822`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Orcpt::new("rfc822", "a@b").unwrap().addr_type(), "rfc822");
    /// ```
    pub fn addr_type(&self) -> &'a str {
        self.addr_type
    }

    /// The original recipient, still xtext-encoded.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Orcpt::new("rfc822", "a@b").unwrap().address().as_str(), "a@b");
    /// ```
    pub fn address(&self) -> XText<'a> {
        self.address
    }
}

impl fmt::Display for Orcpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};{}", self.addr_type, self.address.0)
    }
}

/// `MT-PRIORITY=` of MAIL (RFC 6710): an integer from -9 to 9.
///
/// # Examples
///
/// ```
/// assert_eq!(smtp_wire::Priority::new(-3).unwrap().get(), -3);
/// assert!(smtp_wire::Priority::new(10).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Priority(i8);

impl Priority {
    /// Validates the range -9..=9.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::Priority::new(9).is_some());
    /// ```
    pub const fn new(value: i8) -> Option<Priority> {
        if value >= -9 && value <= 9 {
            Some(Priority(value))
        } else {
            None
        }
    }

    /// The value.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Priority::new(0).unwrap().get(), 0);
    /// ```
    pub const fn get(self) -> i8 {
        self.0
    }
}

/// An RFC 3339 `date-time`, as HOLDUNTIL (RFC 4865) and RRVS (RFC 7293) carry it.
///
/// # Examples
///
/// ```
/// assert!(smtp_wire::DateTime::new("2030-01-01T00:00:00Z").is_ok());
/// assert!(smtp_wire::DateTime::new("1893456000").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime<'a>(&'a str);

impl<'a> DateTime<'a> {
    /// Validates the syntax (not the calendar: February 31 passes).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameterValue`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::DateTime::new("2030-06-01T12:00:00+02:00").is_ok());
    /// ```
    pub fn new(text: &'a str) -> Result<DateTime<'a>, ErrorKind> {
        if syntax::is_date_time(text.as_bytes()) {
            Ok(DateTime(text))
        } else {
            Err(ErrorKind::InvalidParameterValue)
        }
    }

    /// The text as sent.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = smtp_wire::DateTime::new("2030-01-01T00:00:00Z").unwrap();
    /// assert_eq!(t.as_str(), "2030-01-01T00:00:00Z");
    /// ```
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// What the server does when a deliver-by time passes (RFC 2852 §4).
///
/// # Examples
///
/// ```
/// assert_eq!(smtp_wire::ByMode::Return.as_char(), 'R');
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum ByMode {
    /// `N`: notify the sender and keep trying.
    Notify,
    /// `R`: return the message.
    Return,
}

impl ByMode {
    /// The letter on the wire.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::ByMode::Notify.as_char(), 'N');
    /// ```
    pub const fn as_char(self) -> char {
        match self {
            ByMode::Notify => 'N',
            ByMode::Return => 'R',
        }
    }
}

/// `BY=` of MAIL (RFC 2852 §4): `by-time ";" by-mode [by-trace]`.
///
/// # Examples
///
/// ```
/// use smtp_wire::{By, ByMode};
///
/// let by = By::new(120, ByMode::Return, true).unwrap();
/// assert_eq!(by.to_string(), "120;RT");
/// // A time of zero or less is not allowed with mode R.
/// assert!(By::new(0, ByMode::Return, false).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct By {
    time: i32,
    mode: ByMode,
    trace: bool,
}

impl By {
    /// Validates `by-time` (at most 9 digits) against the mode.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::By::new(-60, smtp_wire::ByMode::Notify, false).is_some());
    /// ```
    pub const fn new(time: i32, mode: ByMode, trace: bool) -> Option<By> {
        let in_range = time >= -999_999_999 && time <= 999_999_999;
        let mode_ok = !matches!(mode, ByMode::Return) || time > 0;
        if in_range && mode_ok {
            Some(By { time, mode, trace })
        } else {
            None
        }
    }

    /// Seconds until the deadline (may be negative with mode N).
    ///
    /// # Examples
    ///
    /// ```
    /// let by = smtp_wire::By::new(60, smtp_wire::ByMode::Return, false).unwrap();
    /// assert_eq!(by.time(), 60);
    /// ```
    pub const fn time(&self) -> i32 {
        self.time
    }

    /// What to do when the deadline passes.
    ///
    /// # Examples
    ///
    /// ```
    /// let by = smtp_wire::By::new(60, smtp_wire::ByMode::Return, false).unwrap();
    /// assert_eq!(by.mode(), smtp_wire::ByMode::Return);
    /// ```
    pub const fn mode(&self) -> ByMode {
        self.mode
    }

    /// `T`: trace the message.
    ///
    /// # Examples
    ///
    /// ```
    /// let by = smtp_wire::By::new(60, smtp_wire::ByMode::Return, true).unwrap();
    /// assert!(by.trace());
    /// ```
    pub const fn trace(&self) -> bool {
        self.trace
    }
}

impl fmt::Display for By {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};{}", self.time, self.mode.as_char())?;
        if self.trace {
            f.write_str("T")?;
        }
        Ok(())
    }
}

/// `MTRK=certifier[:timeout]` of MAIL (RFC 3885 §3).
///
/// # Examples
///
/// ```
/// let m = smtp_wire::Mtrk::new("c2VjcmV0", Some(3600)).unwrap();
/// assert_eq!(m.to_string(), "c2VjcmV0:3600");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mtrk<'a> {
    certifier: &'a str,
    timeout: Option<u32>,
}

impl<'a> Mtrk<'a> {
    /// Validates the certifier (base64) and the timeout (at most 9 digits).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameterValue`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::Mtrk::new("not base64!", None).is_err());
    /// ```
    pub fn new(certifier: &'a str, timeout: Option<u32>) -> Result<Mtrk<'a>, ErrorKind> {
        // base64 padding would put "=" inside an `esmtp-value`, which RFC 5321
        // §4.1.2 forbids, so only unpadded certifiers can be sent.
        let certifier_ok = !certifier.is_empty()
            && !certifier.contains('=')
            && syntax::is_base64(certifier.as_bytes());
        if certifier_ok && timeout.is_none_or(|t| t <= 999_999_999) {
            Ok(Mtrk { certifier, timeout })
        } else {
            Err(ErrorKind::InvalidParameterValue)
        }
    }

    /// The base64 certifier.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Mtrk::new("QUJD", None).unwrap().certifier(), "QUJD");
    /// ```
    pub fn certifier(&self) -> &'a str {
        self.certifier
    }

    /// The tracking timeout in seconds.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Mtrk::new("QUJD", Some(5)).unwrap().timeout(), Some(5));
    /// ```
    pub fn timeout(&self) -> Option<u32> {
        self.timeout
    }
}

impl fmt::Display for Mtrk<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.certifier)?;
        match self.timeout {
            Some(timeout) => write!(f, ":{timeout}"),
            None => Ok(()),
        }
    }
}

/// What a receiver does when the mailbox changed owner (RFC 7293 §3.1).
///
/// # Examples
///
/// ```
/// assert_eq!(smtp_wire::RrvsAction::Continue.as_char(), 'C');
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum RrvsAction {
    /// `C`: deliver anyway, continue.
    Continue,
    /// `R`: reject (the default).
    Reject,
}

impl RrvsAction {
    /// The letter on the wire.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::RrvsAction::Reject.as_char(), 'R');
    /// ```
    pub const fn as_char(self) -> char {
        match self {
            RrvsAction::Continue => 'C',
            RrvsAction::Reject => 'R',
        }
    }
}

/// `RRVS=date-time[;C|R]` of RCPT (RFC 7293 §3).
///
/// # Examples
///
/// ```
/// use smtp_wire::{DateTime, Rrvs, RrvsAction};
///
/// let r = Rrvs::new(DateTime::new("2014-04-03T23:01:00Z").unwrap(), Some(RrvsAction::Continue));
/// assert_eq!(r.to_string(), "2014-04-03T23:01:00Z;C");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rrvs<'a> {
    time: DateTime<'a>,
    action: Option<RrvsAction>,
}

impl<'a> Rrvs<'a> {
    /// Builds the value.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = smtp_wire::DateTime::new("2014-04-03T23:01:00Z").unwrap();
    /// assert_eq!(smtp_wire::Rrvs::new(t, None).action(), None);
    /// ```
    pub fn new(time: DateTime<'a>, action: Option<RrvsAction>) -> Rrvs<'a> {
        Rrvs { time, action }
    }

    /// When the mailbox was last known to belong to the intended recipient.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = smtp_wire::DateTime::new("2014-04-03T23:01:00Z").unwrap();
    /// assert_eq!(smtp_wire::Rrvs::new(t, None).time(), t);
    /// ```
    pub fn time(&self) -> DateTime<'a> {
        self.time
    }

    /// The requested action, if the client gave one.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = smtp_wire::DateTime::new("2014-04-03T23:01:00Z").unwrap();
    /// let r = smtp_wire::Rrvs::new(t, Some(smtp_wire::RrvsAction::Reject));
    /// assert_eq!(r.action(), Some(smtp_wire::RrvsAction::Reject));
    /// ```
    pub fn action(&self) -> Option<RrvsAction> {
        self.action
    }
}

impl fmt::Display for Rrvs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.time.0)?;
        match self.action {
            Some(action) => write!(f, ";{}", action.as_char()),
            None => Ok(()),
        }
    }
}

/// A validated `esmtp-value` (RFC 5321 §4.1.2): printable ASCII except `=`
/// and SP, or UTF-8 (RFC 6531 §3.3).
///
/// # Examples
///
/// ```
/// assert!(smtp_wire::Value::new("org.example:ADV").is_ok());
/// assert!(smtp_wire::Value::new("a=b").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Value<'a>(&'a str);

impl<'a> Value<'a> {
    /// Validates an `esmtp-value`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameterValue`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::Value::new("").is_err());
    /// ```
    pub fn new(value: &'a str) -> Result<Value<'a>, ErrorKind> {
        if syntax::is_esmtp_value(value.as_bytes()) {
            Ok(Value(value))
        } else {
            Err(ErrorKind::InvalidParameterValue)
        }
    }

    /// The value.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Value::new("x").unwrap().as_str(), "x");
    /// ```
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// A parameter this crate has no type for: `keyword[=value]`.
///
/// # Examples
///
/// ```
/// use smtp_wire::Param;
///
/// let p = Param::new("XVERP", None).unwrap();
/// assert_eq!(p.keyword(), "XVERP");
/// assert!(Param::new("SIZE", Some("10")).is_err()); // typed: use MailParams::size
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Param<'a> {
    keyword: &'a str,
    value: Option<&'a str>,
}

impl<'a> Param<'a> {
    /// Validates `esmtp-keyword ["=" esmtp-value]`, refusing keywords that
    /// have a typed field in [`MailParams`](crate::MailParams) or
    /// [`RcptParams`](crate::RcptParams).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameter`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::Param::new("X-FOO", Some("bar")).is_ok());
    /// ```
    pub fn new(keyword: &'a str, value: Option<&'a str>) -> Result<Param<'a>, ErrorKind> {
        let value_ok = value.is_none_or(|v| syntax::is_esmtp_value(v.as_bytes()));
        if syntax::is_keyword(keyword.as_bytes()) && value_ok && KnownParam::find(keyword).is_none()
        {
            Ok(Param { keyword, value })
        } else {
            Err(ErrorKind::InvalidParameter)
        }
    }

    /// The keyword, as sent.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Param::new("xfoo", None).unwrap().keyword(), "xfoo");
    /// ```
    pub fn keyword(&self) -> &'a str {
        self.keyword
    }

    /// The value, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Param::new("XFOO", Some("1")).unwrap().value(), Some("1"));
    /// ```
    pub fn value(&self) -> Option<&'a str> {
        self.value
    }
}

impl fmt::Display for Param<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword)?;
        match self.value {
            Some(value) => write!(f, "={value}"),
            None => Ok(()),
        }
    }
}

/// The parameters of a MAIL or RCPT command that have no typed field, kept as
/// the space-separated text they came in.
///
/// A parsed command's text may also hold the typed parameters, which
/// [`iter`](OtherParams::iter) skips.
///
/// # Examples
///
/// ```
/// use smtp_wire::OtherParams;
///
/// let others = OtherParams::new("XVERP X-TAG=abc").unwrap();
/// let keywords: Vec<&str> = others.iter().map(|p| p.keyword()).collect();
/// assert_eq!(keywords, ["XVERP", "X-TAG"]);
/// assert!(OtherParams::new("SIZE=10").is_err());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct OtherParams<'a>(&'a str);

impl<'a> OtherParams<'a> {
    /// Validates a space-separated list of untyped parameters.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameter`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::OtherParams::new("").is_ok());
    /// assert!(smtp_wire::OtherParams::new("A  B").is_err());
    /// ```
    pub fn new(text: &'a str) -> Result<OtherParams<'a>, ErrorKind> {
        if text.is_empty() {
            return Ok(OtherParams(text));
        }
        for item in text.split(' ') {
            let (keyword, value) = split_param(item);
            Param::new(keyword, value)?;
        }
        Ok(OtherParams(text))
    }

    /// From the parser: the whole parameter text, already validated.
    pub(crate) fn from_parsed(text: &'a str) -> OtherParams<'a> {
        OtherParams(text)
    }

    /// The untyped parameters, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::OtherParams::new("A B").unwrap().iter().count(), 2);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = Param<'a>> + 'a {
        let text = self.0;
        text.split(' ')
            .filter(|item| !item.is_empty())
            .filter_map(|item| {
                let (keyword, value) = split_param(item);
                KnownParam::find(keyword)
                    .is_none()
                    .then_some(Param { keyword, value })
            })
    }

    /// `true` when there are no untyped parameters.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::OtherParams::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

impl PartialEq for OtherParams<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for OtherParams<'_> {}

pub(crate) fn split_param(item: &str) -> (&str, Option<&str>) {
    match syntax::split_once_byte(item, b'=') {
        Some((keyword, value)) => (keyword, Some(value)),
        None => (item, None),
    }
}

/// The parameters with a typed field, and which command each belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KnownParam {
    Size,
    Body,
    SmtpUtf8,
    Ret,
    EnvId,
    Auth,
    MtPriority,
    HoldFor,
    HoldUntil,
    By,
    RequireTls,
    Mtrk,
    Solicit,
    TransId,
    ConPerm,
    Notify,
    Orcpt,
    Rrvs,
    ConNeg,
}

impl KnownParam {
    /// Every typed keyword, for the test that checks [`KnownParam::find`].
    #[cfg(test)]
    const ALL: [(&'static str, KnownParam); 19] = [
        ("SIZE", KnownParam::Size),
        ("BODY", KnownParam::Body),
        ("SMTPUTF8", KnownParam::SmtpUtf8),
        ("RET", KnownParam::Ret),
        ("ENVID", KnownParam::EnvId),
        ("AUTH", KnownParam::Auth),
        ("MT-PRIORITY", KnownParam::MtPriority),
        ("HOLDFOR", KnownParam::HoldFor),
        ("HOLDUNTIL", KnownParam::HoldUntil),
        ("BY", KnownParam::By),
        ("REQUIRETLS", KnownParam::RequireTls),
        ("MTRK", KnownParam::Mtrk),
        ("SOLICIT", KnownParam::Solicit),
        ("TRANSID", KnownParam::TransId),
        ("CONPERM", KnownParam::ConPerm),
        ("NOTIFY", KnownParam::Notify),
        ("ORCPT", KnownParam::Orcpt),
        ("RRVS", KnownParam::Rrvs),
        ("CONNEG", KnownParam::ConNeg),
    ];

    /// Case-insensitive lookup (RFC 5321 §2.4). The length picks at most four
    /// candidates, so most keywords cost one or two comparisons.
    #[inline]
    pub(crate) fn find(keyword: &str) -> Option<KnownParam> {
        use KnownParam::*;
        let candidates: &[(&str, KnownParam)] = match keyword.len() {
            2 => &[("BY", By)],
            3 => &[("RET", Ret)],
            4 => &[
                ("SIZE", Size),
                ("BODY", Body),
                ("AUTH", Auth),
                ("MTRK", Mtrk),
                ("RRVS", Rrvs),
            ],
            5 => &[("ENVID", EnvId), ("ORCPT", Orcpt)],
            6 => &[("NOTIFY", Notify), ("CONNEG", ConNeg)],
            7 => &[
                ("HOLDFOR", HoldFor),
                ("SOLICIT", Solicit),
                ("TRANSID", TransId),
                ("CONPERM", ConPerm),
            ],
            8 => &[("SMTPUTF8", SmtpUtf8)],
            9 => &[("HOLDUNTIL", HoldUntil)],
            10 => &[("REQUIRETLS", RequireTls)],
            11 => &[("MT-PRIORITY", MtPriority)],
            _ => return None,
        };
        candidates
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(keyword))
            .map(|&(_, param)| param)
    }

    /// `true` for RCPT parameters, `false` for MAIL parameters.
    pub(crate) fn is_rcpt(self) -> bool {
        matches!(
            self,
            KnownParam::Notify | KnownParam::Orcpt | KnownParam::Rrvs | KnownParam::ConNeg
        )
    }
}

/// The parameters of MAIL FROM (RFC 5321 §4.1.1.2 and the ESMTP extensions).
///
/// Fields are public and typed; every field type validates on construction,
/// so any value encodes to a line that parses back equal.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Body, MailParams};
///
/// let params = MailParams { size: Some(1024), body: Some(Body::EightBitMime), ..Default::default() };
/// assert_eq!(params.size, Some(1024));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MailParams<'a> {
    /// `SIZE=` (RFC 1870): the declared message size in octets.
    pub size: Option<u64>,
    /// `BODY=` (RFC 6152, RFC 3030).
    pub body: Option<Body>,
    /// `SMTPUTF8` (RFC 6531).
    pub smtputf8: bool,
    /// `RET=` (RFC 3461).
    pub ret: Option<Ret>,
    /// `ENVID=` (RFC 3461), at most 100 characters.
    pub envid: Option<XText<'a>>,
    /// `AUTH=` (RFC 4954 §5): xtext that decodes to a mailbox or `<>`.
    pub auth: Option<AuthParam<'a>>,
    /// `MT-PRIORITY=` (RFC 6710).
    pub mt_priority: Option<Priority>,
    /// `HOLDFOR=` (RFC 4865): seconds, at most 9 digits.
    pub hold_for: Option<u32>,
    /// `HOLDUNTIL=` (RFC 4865).
    pub hold_until: Option<DateTime<'a>>,
    /// `BY=` (RFC 2852).
    pub by: Option<By>,
    /// `REQUIRETLS` (RFC 8689).
    pub require_tls: bool,
    /// `MTRK=` (RFC 3885).
    pub mtrk: Option<Mtrk<'a>>,
    /// `SOLICIT=` (RFC 3865): solicitation class keywords.
    pub solicit: Option<Value<'a>>,
    /// `TRANSID=` (RFC 1845): `<local@domain>`.
    pub transid: Option<Value<'a>>,
    /// `CONPERM` (RFC 4141).
    pub conperm: bool,
    /// Every other parameter.
    pub others: OtherParams<'a>,
}

/// The parameters of RCPT TO (RFC 5321 §4.1.1.3 and the ESMTP extensions).
///
/// # Examples
///
/// ```
/// use smtp_wire::{Notify, RcptParams};
///
/// let params = RcptParams { notify: Some(Notify::Never), ..Default::default() };
/// assert_eq!(params.notify, Some(Notify::Never));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RcptParams<'a> {
    /// `NOTIFY=` (RFC 3461).
    pub notify: Option<Notify>,
    /// `ORCPT=` (RFC 3461), at most 500 characters.
    pub orcpt: Option<Orcpt<'a>>,
    /// `RRVS=` (RFC 7293).
    pub rrvs: Option<Rrvs<'a>>,
    /// `CONNEG` (RFC 4141).
    pub conneg: bool,
    /// Every other parameter.
    pub others: OtherParams<'a>,
}

#[cfg(test)]
mod tests {
    use super::KnownParam;

    /// The length-first lookup finds every keyword in any case, and nothing else.
    #[test]
    fn known_param_lookup() {
        for (name, param) in KnownParam::ALL {
            assert_eq!(KnownParam::find(name), Some(param));
            assert_eq!(KnownParam::find(&name.to_ascii_lowercase()), Some(param));
            assert_eq!(KnownParam::find(&name[1..]), None);
            assert_eq!(KnownParam::find(&[name, "X"].concat()), None);
        }
        for other in ["", "X", "XVERP", "SIZES", "ORCPTX", "MT_PRIORITY"] {
            assert_eq!(KnownParam::find(other), None, "{other}");
        }
    }
}
