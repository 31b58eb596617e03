//! Delivery status notification parameters (RFC 3461): RET, NOTIFY, ORCPT.
//! ENVID is an [`XText`](super::XText).

use core::fmt;

use crate::syntax;
use crate::types::error::ErrorKind;
use crate::types::param::xtext::XText;

/// `RET=` of MAIL (RFC 3461 §4.3).
///
/// # Examples
///
/// ```
/// assert_eq!(smtp_wire::param::Ret::Headers.as_str(), "HDRS");
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
    /// assert_eq!(smtp_wire::param::Ret::Full.as_str(), "FULL");
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
/// use smtp_wire::param::Notify;
///
/// let n = Notify::on(true, true, false).unwrap();
/// assert_eq!(n.to_string(), "SUCCESS,FAILURE");
/// assert!(Notify::on(false, false, false).is_err());
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
    /// A list of conditions.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameterValue`] when all are false: that would be
    /// [`Notify::Never`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::param::Notify::on(false, true, false).is_ok());
    /// ```
    pub const fn on(success: bool, failure: bool, delay: bool) -> Result<Notify, ErrorKind> {
        if success || failure || delay {
            Ok(Notify::On {
                success,
                failure,
                delay,
            })
        } else {
            Err(ErrorKind::InvalidParameterValue)
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

/// `ORCPT=addr-type;xtext` of RCPT (RFC 3461 §4.2).
///
/// # Examples
///
/// ```
/// use smtp_wire::param::Orcpt;
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
    /// assert!(smtp_wire::param::Orcpt::new("rfc822", "a@b").is_ok());
    /// assert!(smtp_wire::param::Orcpt::new("", "a@b").is_err());
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
    /// assert_eq!(smtp_wire::param::Orcpt::new("rfc822", "a@b").unwrap().addr_type(), "rfc822");
    /// ```
    pub fn addr_type(&self) -> &'a str {
        self.addr_type
    }

    /// The original recipient, still xtext-encoded.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::param::Orcpt::new("rfc822", "a@b").unwrap().address().as_str(), "a@b");
    /// ```
    pub fn address(&self) -> XText<'a> {
        self.address
    }
}

impl fmt::Display for Orcpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};{}", self.addr_type, self.address.as_str())
    }
}
