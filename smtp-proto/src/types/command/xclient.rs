//! The attribute lists of XCLIENT and XFORWARD (Postfix extensions).

use crate::types::error::ErrorKind;
use crate::types::param::XText;

/// Which command an attribute list belongs to; the attribute names differ.
///
/// # Examples
///
/// ```
/// use smtp_wire::xclient::{AttributeName, AttributeSet};
/// assert!(AttributeSet::Xclient.allows(AttributeName::Login));
/// assert!(!AttributeSet::Xforward.allows(AttributeName::Login));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributeSet {
    /// XCLIENT: NAME ADDR PORT PROTO HELO LOGIN DESTADDR DESTPORT.
    Xclient,
    /// XFORWARD: NAME ADDR PORT PROTO HELO IDENT SOURCE.
    Xforward,
}

impl AttributeSet {
    /// `true` when `name` belongs to this command.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::xclient::{AttributeName, AttributeSet};
    /// assert!(AttributeSet::Xforward.allows(AttributeName::Ident));
    /// ```
    pub fn allows(self, name: AttributeName) -> bool {
        use AttributeName::*;
        match self {
            AttributeSet::Xclient => matches!(
                name,
                Name | Addr | Port | Proto | Helo | Login | DestAddr | DestPort
            ),
            AttributeSet::Xforward => {
                matches!(name, Name | Addr | Port | Proto | Helo | Ident | Source)
            }
        }
    }
}

/// An XCLIENT or XFORWARD attribute name (Postfix `XCLIENT_README`,
/// `XFORWARD_README`).
///
/// # Examples
///
/// ```
/// use smtp_wire::xclient::AttributeName;
/// assert_eq!(AttributeName::find("addr"), Some(AttributeName::Addr));
/// assert_eq!(AttributeName::DestPort.as_str(), "DESTPORT");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // the names are the documentation
pub enum AttributeName {
    Name,
    Addr,
    Port,
    Proto,
    Helo,
    Login,
    DestAddr,
    DestPort,
    Ident,
    Source,
}

impl AttributeName {
    const ALL: [AttributeName; 10] = [
        AttributeName::Name,
        AttributeName::Addr,
        AttributeName::Port,
        AttributeName::Proto,
        AttributeName::Helo,
        AttributeName::Login,
        AttributeName::DestAddr,
        AttributeName::DestPort,
        AttributeName::Ident,
        AttributeName::Source,
    ];

    /// The name on the wire.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::xclient::AttributeName::Helo.as_str(), "HELO");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            AttributeName::Name => "NAME",
            AttributeName::Addr => "ADDR",
            AttributeName::Port => "PORT",
            AttributeName::Proto => "PROTO",
            AttributeName::Helo => "HELO",
            AttributeName::Login => "LOGIN",
            AttributeName::DestAddr => "DESTADDR",
            AttributeName::DestPort => "DESTPORT",
            AttributeName::Ident => "IDENT",
            AttributeName::Source => "SOURCE",
        }
    }

    /// Case-insensitive lookup.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::xclient::AttributeName::find("BOGUS").is_none());
    /// ```
    pub fn find(name: &str) -> Option<AttributeName> {
        AttributeName::ALL
            .into_iter()
            .find(|attr| attr.as_str().eq_ignore_ascii_case(name))
    }
}

/// One `name=value` attribute; the value is xtext.
///
/// # Examples
///
/// ```
/// use smtp_wire::param::XText;
/// use smtp_wire::xclient::{Attribute, AttributeName};
/// let a = Attribute { name: AttributeName::Addr, value: XText::new("192.0.2.1").unwrap() };
/// assert_eq!(a.value.as_str(), "192.0.2.1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Attribute<'a> {
    /// The attribute name.
    pub name: AttributeName,
    /// The xtext value, for example `[UNAVAILABLE]`.
    pub value: XText<'a>,
}

/// The attribute list of XCLIENT or XFORWARD: `1*( SP name "=" value )`.
///
/// # Examples
///
/// ```
/// use smtp_wire::xclient::{AttributeName, AttributeSet, Attributes};
///
/// let attrs = Attributes::new(AttributeSet::Xclient, "NAME=spike.porcupine.org ADDR=168.100.189.2").unwrap();
/// let first = attrs.iter().next().unwrap();
/// assert_eq!(first.name, AttributeName::Name);
/// assert!(Attributes::new(AttributeSet::Xforward, "LOGIN=x").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Attributes<'a>(&'a str);

impl<'a> Attributes<'a> {
    /// Validates a non-empty, space-separated list of attributes of `set`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidParameter`] for a bad or foreign name,
    /// [`ErrorKind::InvalidParameterValue`] for a bad value.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::xclient::{AttributeSet, Attributes};
    /// assert!(Attributes::new(AttributeSet::Xclient, "").is_err());
    /// ```
    pub fn new(set: AttributeSet, list: &'a str) -> Result<Attributes<'a>, ErrorKind> {
        if list.is_empty() {
            return Err(ErrorKind::MissingArgument);
        }
        for item in list.split(' ') {
            let (name, value) = item.split_once('=').ok_or(ErrorKind::InvalidParameter)?;
            let name = AttributeName::find(name).ok_or(ErrorKind::InvalidParameter)?;
            if !set.allows(name) {
                return Err(ErrorKind::InvalidParameter);
            }
            if value.is_empty() {
                return Err(ErrorKind::InvalidParameterValue);
            }
            XText::new(value)?;
        }
        Ok(Attributes(list))
    }

    /// The list as sent.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::xclient::{AttributeSet, Attributes};
    /// assert_eq!(Attributes::new(AttributeSet::Xclient, "PORT=25").unwrap().as_str(), "PORT=25");
    /// ```
    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// The attributes, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::xclient::{AttributeSet, Attributes};
    /// assert_eq!(Attributes::new(AttributeSet::Xclient, "PORT=25 PROTO=ESMTP").unwrap().iter().count(), 2);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = Attribute<'a>> + use<'a> {
        self.0.split(' ').filter_map(|item| {
            let (name, value) = item.split_once('=')?;
            Some(Attribute {
                name: AttributeName::find(name)?,
                value: XText::new(value).ok()?,
            })
        })
    }
}
