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

/// `ORCPT=addr-type;address` of RCPT (RFC 3461 §4.2, RFC 6533 §3).
///
/// For every address type but `utf-8`, the address is `xtext` proper
/// (RFC 3461 §4): ASCII on the wire, non-ASCII characters only as `+XX`
/// escapes of their UTF-8 octets (as Postfix sends an SMTPUTF8 recipient:
/// `ORCPT=rfc822;+C3+BCser@example.org`), which must decode to valid UTF-8.
/// For `utf-8` (the type is matched in either case), it is RFC 6533's
/// `utf-8-addr-unitext`:
///
/// ```abnf
/// utf-8-addr-xtext    = 1*(QCHAR / EmbeddedUnicodeChar)  ; ASCII form
/// utf-8-addr-unitext  = 1*(QUCHAR / EmbeddedUnicodeChar) ; needs SMTPUTF8
/// QCHAR               = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e
/// QUCHAR              = QCHAR / UTF8-2 / UTF8-3 / UTF8-4
/// EmbeddedUnicodeChar = %x5C.78 "{" HEXPOINT "}"
/// ```
///
/// `+`, `=` and `\` are written `\x{2B}`, `\x{3D}` and `\x{5C}`, other
/// characters as they are or escaped; an escape is the code point in
/// hexadecimal without leading zeros, never a surrogate or a character that
/// needs no escaping (`\x{41}` is refused: write `A`). The parser cannot
/// know whether the transaction asked for SMTPUTF8; a server checks
/// [`is_ascii`](Orcpt::is_ascii) (or [`RcptTo::is_ascii`](crate::command::RcptTo::is_ascii))
/// against it.
///
/// Neither form may hold, raw or decoded, a control character or one of the
/// invisible characters of [`XText`]: the decoded address is a mailbox
/// (RFC 6533 §3), which holds none.
///
/// # Examples
///
/// ```
/// use smtp_wire::param::Orcpt;
///
/// let o = Orcpt::new("rfc822", "bob@example.org").unwrap();
/// assert_eq!(o.to_string(), "rfc822;bob@example.org");
/// let u = Orcpt::new("utf-8", "j\\x{F6}rg@example.org").unwrap();
/// assert_eq!(u.utf8_address().unwrap().collect::<String>(), "jörg@example.org");
/// assert!(Orcpt::new("rfc822", "jörg@example.org").is_err()); // ASCII only
/// assert!(Orcpt::new("rfc822", "j+C3+B6rg@example.org").is_ok()); // escaped
/// assert!(Orcpt::new("utf-8", "a\\x{41}").is_err()); // "A" needs no escape
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Orcpt<'a> {
    addr_type: &'a str,
    address: XText<'a>,
}

impl<'a> Orcpt<'a> {
    /// Validates the address type (an atom, such as `rfc822` or `utf-8`) and
    /// the address: xtext with no raw non-ASCII octet, or for `utf-8` a
    /// `utf-8-addr-unitext`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameterValue`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::param::Orcpt;
    /// assert!(Orcpt::new("rfc822", "a@b").is_ok());
    /// assert!(Orcpt::new("", "a@b").is_err());
    /// assert!(Orcpt::new("UTF-8", "jörg@example.org").is_ok());
    /// assert!(Orcpt::new("utf-8", "a\\x{D800}").is_err()); // a surrogate
    /// assert!(Orcpt::new("utf-8", "a+2Bb").is_err()); // "+" is written \x{2B}
    /// ```
    pub fn new(addr_type: &'a str, address: &'a str) -> Result<Orcpt<'a>, ErrorKind> {
        // addr-type is an atom (RFC 3461 §4.2), but one inside an
        // `esmtp-value`, which cannot hold "=".
        let type_ok = syntax::is_atom(addr_type.as_bytes(), false) && !addr_type.contains('=');
        if !type_ok || address.is_empty() {
            return Err(ErrorKind::InvalidParameterValue);
        }
        let address_ok = if is_utf8_type(addr_type) {
            syntax::is_utf8_addr(address)
        } else {
            syntax::is_xtext_text(address.as_bytes(), true)
        };
        if !address_ok {
            return Err(ErrorKind::InvalidParameterValue);
        }
        // Both forms are also xtext (QCHAR and the escapes are xchar).
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

    /// The original recipient as sent: xtext, or for the `utf-8` type the
    /// `utf-8-addr-unitext` (whose `\x{..}` escapes
    /// [`XText::decoded`] does not decode: use
    /// [`utf8_address`](Orcpt::utf8_address)).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::param::Orcpt::new("rfc822", "a@b").unwrap().address().as_str(), "a@b");
    /// ```
    pub fn address(&self) -> XText<'a> {
        self.address
    }

    /// `true` for the `utf-8` address type (RFC 6533), in any case.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::param::Orcpt::new("UTF-8", "a@b").unwrap().is_utf8());
    /// ```
    pub fn is_utf8(&self) -> bool {
        is_utf8_type(self.addr_type)
    }

    /// `true` unless the address holds raw non-ASCII characters, which
    /// RFC 6533 §3 allows only when the transaction uses SMTPUTF8 (escaped
    /// ones are ASCII on the wire).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::param::Orcpt;
    /// assert!(Orcpt::new("utf-8", "j\\x{F6}rg@b").unwrap().is_ascii());
    /// assert!(!Orcpt::new("utf-8", "jörg@b").unwrap().is_ascii());
    /// ```
    pub fn is_ascii(&self) -> bool {
        self.address.as_str().is_ascii()
    }

    /// The decoded characters of a `utf-8` address, `None` for other types.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::param::Orcpt;
    /// let o = Orcpt::new("utf-8", "a\\x{2B}b@\\x{E9}t\\x{E9}.example").unwrap();
    /// assert_eq!(o.utf8_address().unwrap().collect::<String>(), "a+b@été.example");
    /// assert!(Orcpt::new("rfc822", "a@b").unwrap().utf8_address().is_none());
    /// ```
    pub fn utf8_address(&self) -> Option<Utf8Address<'a>> {
        self.is_utf8().then_some(Utf8Address {
            rest: self.address.as_str(),
        })
    }
}

/// `"utf-8"` is a quoted ABNF literal (RFC 6533 §3), so either case.
fn is_utf8_type(addr_type: &str) -> bool {
    addr_type.eq_ignore_ascii_case("utf-8")
}

/// The decoded characters of a `utf-8` [`Orcpt`] address; see
/// [`Orcpt::utf8_address`].
///
/// # Examples
///
/// ```
/// let o = smtp_wire::param::Orcpt::new("utf-8", "\\x{5C}").unwrap();
/// assert_eq!(o.utf8_address().unwrap().next(), Some('\\'));
/// ```
#[derive(Debug, Clone)]
pub struct Utf8Address<'a> {
    rest: &'a str,
}

impl Iterator for Utf8Address<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        // The address was validated: every step decodes.
        let (c, used) = syntax::utf8_addr_char(self.rest)?;
        self.rest = self.rest.get(used..)?;
        Some(c)
    }
}

impl fmt::Display for Orcpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};{}", self.addr_type, self.address.as_str())
    }
}
