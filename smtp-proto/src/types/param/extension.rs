//! Typed parameter values of ESMTP extensions other than DSN: BODY, AUTH,
//! MT-PRIORITY, HOLDFOR/HOLDUNTIL, BY, MTRK and RRVS.

use core::fmt;

use crate::syntax;
use crate::types::address::{MAX_PATH_LEN, Mailbox};
use crate::types::error::ErrorKind;
use crate::types::param::xtext::XText;

/// `BODY=` of MAIL (RFC 6152, RFC 3030 §3).
///
/// # Examples
///
/// ```
/// assert_eq!(smtp_wire::param::Body::EightBitMime.as_str(), "8BITMIME");
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
    /// assert_eq!(smtp_wire::param::Body::BinaryMime.as_str(), "BINARYMIME");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Body::SevenBit => "7BIT",
            Body::EightBitMime => "8BITMIME",
            Body::BinaryMime => "BINARYMIME",
        }
    }
}

/// `AUTH=` of MAIL (RFC 4954 §5): the xtext-encoded identity that submitted
/// the message, which decodes to a mailbox or `<>`.
///
/// # Examples
///
/// ```
/// use smtp_wire::param::AuthParam;
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
    /// assert!(smtp_wire::param::AuthParam::new("Raven+0AReyes@example.org").is_err());
    /// ```
    pub fn new(raw: &'a str) -> Result<AuthParam<'a>, ErrorKind> {
        let xtext = XText::new(raw)?;
        // Decode into a stack buffer: no allocation, and the path limit of
        // RFC 5321 §4.5.3.1.3 bounds any valid value.
        let mut buf = [0u8; MAX_PATH_LEN];
        let mut len = 0;
        for byte in xtext.decoded() {
            *buf.get_mut(len).ok_or(ErrorKind::InvalidParameterValue)? = byte;
            len += 1;
        }
        let decoded =
            core::str::from_utf8(&buf[..len]).map_err(|_| ErrorKind::InvalidParameterValue)?;
        if decoded == "<>" || Mailbox::new(decoded).is_ok() {
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
    /// assert_eq!(smtp_wire::param::AuthParam::new("<>").unwrap().xtext().as_str(), "<>");
    /// ```
    pub fn xtext(&self) -> XText<'a> {
        self.0
    }

    /// `true` for `AUTH=<>`: the submitter is unknown or not trusted.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::param::AuthParam::new("<>").unwrap().is_unknown());
    /// ```
    pub fn is_unknown(&self) -> bool {
        self.0.decoded().eq(*b"<>")
    }
}

/// `MT-PRIORITY=` of MAIL (RFC 6710): an integer from -9 to 9.
///
/// # Examples
///
/// ```
/// assert_eq!(smtp_wire::param::Priority::new(-3).unwrap().get(), -3);
/// assert!(smtp_wire::param::Priority::new(10).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Priority(i8);

impl Priority {
    /// Validates the range -9..=9.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameterValue`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::param::Priority::new(9).is_ok());
    /// ```
    pub const fn new(value: i8) -> Result<Priority, ErrorKind> {
        if value >= -9 && value <= 9 {
            Ok(Priority(value))
        } else {
            Err(ErrorKind::InvalidParameterValue)
        }
    }

    /// The value.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::param::Priority::new(0).unwrap().get(), 0);
    /// ```
    pub const fn get(self) -> i8 {
        self.0
    }
}

/// An RFC 3339 `date-time`, as HOLDUNTIL (RFC 4865) and RRVS (RFC 7293) carry it.
///
/// The fields are checked against the calendar (RFC 3339 §5.7): the day
/// exists in its month, February 29 only in leap years (every fourth year,
/// but not centuries other than every fourth), hours 00 to 23, minutes and
/// offset minutes 00 to 59, offset hours 00 to 23, and second 60 only for a
/// leap second, at 23:59:60 UTC on the last day of a month (in any offset:
/// `1990-12-31T15:59:60-08:00`). `T` and `Z` may be lower-case. The
/// fraction of a second may have any number of digits.
///
/// # Examples
///
/// ```
/// use smtp_wire::param::DateTime;
///
/// assert!(DateTime::new("2030-01-01T00:00:00Z").is_ok());
/// assert!(DateTime::new("2024-02-29t12:00:00.5+01:00").is_ok());
/// assert!(DateTime::new("2024-02-30T00:00:00Z").is_err());
/// assert!(DateTime::new("2023-02-29T00:00:00Z").is_err());
/// assert!(DateTime::new("1990-12-31T23:59:60Z").is_ok());
/// assert!(DateTime::new("1990-12-30T23:59:60Z").is_err());
/// assert!(DateTime::new("1893456000").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime<'a>(&'a str);

impl<'a> DateTime<'a> {
    /// Validates the syntax and the field ranges (see the type).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameterValue`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::param::DateTime::new("2030-06-01T12:00:00+02:00").is_ok());
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
    /// let t = smtp_wire::param::DateTime::new("2030-01-01T00:00:00Z").unwrap();
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
/// assert_eq!(smtp_wire::param::ByMode::Return.as_char(), 'R');
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
    /// assert_eq!(smtp_wire::param::ByMode::Notify.as_char(), 'N');
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
/// use smtp_wire::param::{By, ByMode};
///
/// let by = By::new(120, ByMode::Return, true).unwrap();
/// assert_eq!(by.to_string(), "120;RT");
/// // A time of zero or less is not allowed with mode R.
/// assert!(By::new(0, ByMode::Return, false).is_err());
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
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameterValue`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::param::By::new(-60, smtp_wire::param::ByMode::Notify, false).is_ok());
    /// ```
    pub const fn new(time: i32, mode: ByMode, trace: bool) -> Result<By, ErrorKind> {
        let in_range = time >= -999_999_999 && time <= 999_999_999;
        let mode_ok = !matches!(mode, ByMode::Return) || time > 0;
        if in_range && mode_ok {
            Ok(By { time, mode, trace })
        } else {
            Err(ErrorKind::InvalidParameterValue)
        }
    }

    /// Seconds until the deadline (may be negative with mode N).
    ///
    /// # Examples
    ///
    /// ```
    /// let by = smtp_wire::param::By::new(60, smtp_wire::param::ByMode::Return, false).unwrap();
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
    /// let by = smtp_wire::param::By::new(60, smtp_wire::param::ByMode::Return, false).unwrap();
    /// assert_eq!(by.mode(), smtp_wire::param::ByMode::Return);
    /// ```
    pub const fn mode(&self) -> ByMode {
        self.mode
    }

    /// `T`: trace the message.
    ///
    /// # Examples
    ///
    /// ```
    /// let by = smtp_wire::param::By::new(60, smtp_wire::param::ByMode::Return, true).unwrap();
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
/// let m = smtp_wire::param::Mtrk::new("c2VjcmV0", Some(3600)).unwrap();
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
    /// assert!(smtp_wire::param::Mtrk::new("not base64!", None).is_err());
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
    /// assert_eq!(smtp_wire::param::Mtrk::new("QUJD", None).unwrap().certifier(), "QUJD");
    /// ```
    pub fn certifier(&self) -> &'a str {
        self.certifier
    }

    /// The tracking timeout in seconds.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::param::Mtrk::new("QUJD", Some(5)).unwrap().timeout(), Some(5));
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
/// assert_eq!(smtp_wire::param::RrvsAction::Continue.as_char(), 'C');
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
    /// assert_eq!(smtp_wire::param::RrvsAction::Reject.as_char(), 'R');
    /// ```
    pub const fn as_char(self) -> char {
        match self {
            RrvsAction::Continue => 'C',
            RrvsAction::Reject => 'R',
        }
    }
}

/// `RRVS=date-time[;C|R]` of RCPT (RFC 7293 §3). The action letter is a
/// quoted ABNF literal, so the parser takes `c` and `r` too.
///
/// # Examples
///
/// ```
/// use smtp_wire::param::{DateTime, Rrvs, RrvsAction};
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
    /// let t = smtp_wire::param::DateTime::new("2014-04-03T23:01:00Z").unwrap();
    /// assert_eq!(smtp_wire::param::Rrvs::new(t, None).action(), None);
    /// ```
    pub fn new(time: DateTime<'a>, action: Option<RrvsAction>) -> Rrvs<'a> {
        Rrvs { time, action }
    }

    /// When the mailbox was last known to belong to the intended recipient.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = smtp_wire::param::DateTime::new("2014-04-03T23:01:00Z").unwrap();
    /// assert_eq!(smtp_wire::param::Rrvs::new(t, None).time(), t);
    /// ```
    pub fn time(&self) -> DateTime<'a> {
        self.time
    }

    /// The requested action, if the client gave one.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = smtp_wire::param::DateTime::new("2014-04-03T23:01:00Z").unwrap();
    /// let r = smtp_wire::param::Rrvs::new(t, Some(smtp_wire::param::RrvsAction::Reject));
    /// assert_eq!(r.action(), Some(smtp_wire::param::RrvsAction::Reject));
    /// ```
    pub fn action(&self) -> Option<RrvsAction> {
        self.action
    }
}

impl fmt::Display for Rrvs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.time.as_str())?;
        match self.action {
            Some(action) => write!(f, ";{}", action.as_char()),
            None => Ok(()),
        }
    }
}
