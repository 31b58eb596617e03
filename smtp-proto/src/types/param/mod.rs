//! MAIL and RCPT parameters (RFC 5321 §4.1.2 `esmtp-param`) and their typed
//! values from the ESMTP extensions.

use core::fmt;

mod dsn;
mod extension;
mod xtext;

pub use self::dsn::{Notify, Orcpt, Ret, Utf8Address};
pub use self::extension::{
    AuthParam, Body, By, ByMode, DateTime, Mtrk, Priority, Rrvs, RrvsAction,
};
pub use self::xtext::{XText, XTextDecoder};

use crate::syntax;
use crate::types::error::ErrorKind;

/// A validated `esmtp-value` (RFC 5321 §4.1.2): printable ASCII except `=`
/// and SP, or UTF-8 (RFC 6531 §3.3).
///
/// # Examples
///
/// ```
/// assert!(smtp_wire::param::Value::new("org.example:ADV").is_ok());
/// assert!(smtp_wire::param::Value::new("a=b").is_err());
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
    /// assert!(smtp_wire::param::Value::new("").is_err());
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
    /// assert_eq!(smtp_wire::param::Value::new("x").unwrap().as_str(), "x");
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
/// use smtp_wire::param::Param;
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
    /// have a typed field in [`MailParams`](MailParams) or
    /// [`RcptParams`](RcptParams).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameter`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::param::Param::new("X-FOO", Some("bar")).is_ok());
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
    /// assert_eq!(smtp_wire::param::Param::new("xfoo", None).unwrap().keyword(), "xfoo");
    /// ```
    pub fn keyword(&self) -> &'a str {
        self.keyword
    }

    /// The value, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::param::Param::new("XFOO", Some("1")).unwrap().value(), Some("1"));
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
/// use smtp_wire::param::OtherParams;
///
/// let others = OtherParams::new("XVERP X-TAG=abc").unwrap();
/// let keywords: Vec<&str> = others.iter().map(|p| p.keyword()).collect();
/// assert_eq!(keywords, ["XVERP", "X-TAG"]);
/// assert!(OtherParams::new("SIZE=10").is_err());
/// ```
#[derive(Clone, Copy, Default)]
pub struct OtherParams<'a>(&'a str);

impl fmt::Debug for OtherParams<'_> {
    /// The untyped parameters, as [`iter`](OtherParams::iter) gives them
    /// (the text they are read from may hold typed ones too).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OtherParams")?;
        f.debug_list().entries(self.iter()).finish()
    }
}

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
    /// assert!(smtp_wire::param::OtherParams::new("").is_ok());
    /// assert!(smtp_wire::param::OtherParams::new("A  B").is_err());
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

    /// The text the parameters are read from (typed ones may be in it too);
    /// empty when there are certainly none.
    pub(crate) const fn raw(&self) -> &'a str {
        self.0
    }

    /// The untyped parameters, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::param::OtherParams::new("A B").unwrap().iter().count(), 2);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = Param<'a>> + use<'a> {
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
    /// assert!(smtp_wire::param::OtherParams::default().is_empty());
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
/// so any value encodes to a line that parses back equal (with
/// [`allow_long_hold_for`](crate::CommandConfig::allow_long_hold_for) for a
/// `hold_for` of ten digits).
///
/// Parameters without a typed field are kept in [`others`](MailParams::others)
/// and accepted by the parser: a server must check them against the
/// extensions it supports and answer `555 5.5.4` for the rest, or set
/// [`refuse_unknown_params`](crate::CommandConfig::refuse_unknown_params),
/// which refuses them at parse time. A
/// [`ServerSession`](crate::session::ServerSession) already does: it answers
/// 555 for every parameter not declared with
/// [`supported_params`](crate::session::ServerConfig::supported_params).
///
/// # Examples
///
/// ```
/// use smtp_wire::param::{Body, MailParams};
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
    /// `HOLDFOR=` (RFC 4865): seconds, at most 9 digits on the wire
    /// (`1*9DIGIT`). A value over 999 999 999 encodes to ten digits, which
    /// the parser accepts only with
    /// [`allow_long_hold_for`](crate::CommandConfig::allow_long_hold_for).
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
    /// Every other parameter. Check these (a server answers `555 5.5.4` for
    /// one it does not support), or parse with
    /// [`refuse_unknown_params`](crate::CommandConfig::refuse_unknown_params).
    pub others: OtherParams<'a>,
}

/// The parameters of RCPT TO (RFC 5321 §4.1.1.3 and the ESMTP extensions).
///
/// Parameters without a typed field are kept in [`others`](RcptParams::others)
/// and accepted by the parser: a server must check them, or set
/// [`refuse_unknown_params`](crate::CommandConfig::refuse_unknown_params).
/// A [`ServerSession`](crate::session::ServerSession) already answers 555
/// for every one not declared with
/// [`supported_params`](crate::session::ServerConfig::supported_params).
/// A filter that forgets to would accept `RCPT TO:<b@example.net> FOO=bar`.
///
/// # Examples
///
/// ```
/// use smtp_wire::param::{Notify, RcptParams};
///
/// let params = RcptParams { notify: Some(Notify::Never), ..Default::default() };
/// assert_eq!(params.notify, Some(Notify::Never));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RcptParams<'a> {
    /// `NOTIFY=` (RFC 3461).
    pub notify: Option<Notify>,
    /// `ORCPT=` (RFC 3461; the `utf-8` type of RFC 6533), at most 500 characters.
    pub orcpt: Option<Orcpt<'a>>,
    /// `RRVS=` (RFC 7293).
    pub rrvs: Option<Rrvs<'a>>,
    /// `CONNEG` (RFC 4141).
    pub conneg: bool,
    /// Every other parameter. Check these (a server answers `555 5.5.4` for
    /// one it does not support), or parse with
    /// [`refuse_unknown_params`](crate::CommandConfig::refuse_unknown_params).
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
