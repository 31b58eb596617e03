//! The two numeric codes of a reply: [`ReplyCode`] (RFC 5321 §4.2) and
//! [`EnhancedStatusCode`] (RFC 3463). Their meanings live in `types::meaning`.

use core::fmt;

/// A three-digit SMTP reply code, valid by construction.
///
/// ```abnf
/// Reply-code = %x32-35 %x30-35 %x30-39   ; RFC 5321 §4.2
/// ```
///
/// The first digit is 2 to 5 and the second 0 to 5, so `150`, `260` and `600`
/// cannot be represented.
///
/// # Examples
///
/// ```
/// use smtp_wire::ReplyCode;
///
/// let ok = ReplyCode::new(250).unwrap();
/// assert_eq!(ok.get(), 250);
/// assert!(ReplyCode::new(260).is_none());
/// assert!(ReplyCode::new(199).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReplyCode(u16);

impl ReplyCode {
    /// Validates a reply code: first digit 2–5, second digit 0–5.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::ReplyCode::new(554).is_some());
    /// assert!(smtp_wire::ReplyCode::new(2500).is_none());
    /// ```
    pub const fn new(code: u16) -> Option<ReplyCode> {
        let first = code / 100;
        let second = (code / 10) % 10;
        if first >= 2 && first <= 5 && second <= 5 {
            Some(ReplyCode(code))
        } else {
            None
        }
    }

    /// Builds a code from its three ASCII digits, as they appear on the wire.
    ///
    /// # Examples
    ///
    /// ```
    /// let code = smtp_wire::ReplyCode::from_digits(*b"421").unwrap();
    /// assert_eq!(code.get(), 421);
    /// assert!(smtp_wire::ReplyCode::from_digits(*b"2x0").is_none());
    /// ```
    pub const fn from_digits(digits: [u8; 3]) -> Option<ReplyCode> {
        let [a, b, c] = digits;
        if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() {
            ReplyCode::new((a - b'0') as u16 * 100 + (b - b'0') as u16 * 10 + (c - b'0') as u16)
        } else {
            None
        }
    }

    /// For constants in this crate whose validity is checked by tests.
    pub(crate) const fn known(code: u16) -> ReplyCode {
        match ReplyCode::new(code) {
            Some(code) => code,
            None => panic!("invalid reply code constant"),
        }
    }

    /// The numeric value.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::ReplyCode::new(354).unwrap().get(), 354);
    /// ```
    pub const fn get(self) -> u16 {
        self.0
    }

    /// The three ASCII digits, as written on the wire.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::ReplyCode::new(235).unwrap().digits(), *b"235");
    /// ```
    pub const fn digits(self) -> [u8; 3] {
        [
            b'0' + (self.0 / 100) as u8,
            b'0' + ((self.0 / 10) % 10) as u8,
            b'0' + (self.0 % 10) as u8,
        ]
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An enhanced mail system status code, `class.subject.detail`, valid by construction.
///
/// ```abnf
/// status-code = class "." subject "." detail   ; RFC 3463 §2
/// class       = "2" / "4" / "5"
/// subject     = 1*3digit
/// detail      = 1*3digit
/// ```
///
/// # Examples
///
/// ```
/// use smtp_wire::EnhancedStatusCode;
///
/// let code = EnhancedStatusCode::new(5, 1, 1).unwrap();
/// assert_eq!(code.to_string(), "5.1.1");
/// assert!(EnhancedStatusCode::new(3, 0, 0).is_none());
/// assert!(EnhancedStatusCode::new(5, 1000, 0).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnhancedStatusCode {
    class: u8,
    subject: u16,
    detail: u16,
}

impl EnhancedStatusCode {
    /// Validates the three parts: class 2, 4 or 5; subject and detail at most 999.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::EnhancedStatusCode::new(4, 7, 30).is_some());
    /// ```
    pub const fn new(class: u8, subject: u16, detail: u16) -> Option<EnhancedStatusCode> {
        if (class == 2 || class == 4 || class == 5) && subject <= 999 && detail <= 999 {
            Some(EnhancedStatusCode {
                class,
                subject,
                detail,
            })
        } else {
            None
        }
    }

    /// For constants in this crate whose validity is checked by tests.
    pub(crate) const fn known(class: u8, subject: u16, detail: u16) -> EnhancedStatusCode {
        match EnhancedStatusCode::new(class, subject, detail) {
            Some(code) => code,
            None => panic!("invalid enhanced status code constant"),
        }
    }

    /// The class: 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::EnhancedStatusCode::new(5, 7, 1).unwrap().class(), 5);
    /// ```
    pub const fn class(self) -> u8 {
        self.class
    }

    /// The subject (0 to 999), for example 1 for addressing.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::EnhancedStatusCode::new(5, 7, 1).unwrap().subject(), 7);
    /// ```
    pub const fn subject(self) -> u16 {
        self.subject
    }

    /// The detail (0 to 999).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::EnhancedStatusCode::new(5, 7, 1).unwrap().detail(), 1);
    /// ```
    pub const fn detail(self) -> u16 {
        self.detail
    }
}

impl fmt::Display for EnhancedStatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}
