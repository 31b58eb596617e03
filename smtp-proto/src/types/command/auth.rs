//! AUTH (RFC 4954): the mechanism, the initial response and the client's
//! answers to 334 challenges.

use crate::syntax;
use crate::types::error::ErrorKind;
use crate::types::secret::Secret;

/// A SASL mechanism name (RFC 4422 §3.1): 1 to 20 of upper-case letters,
/// digits, `-` and `_`. Lower case is accepted too, since mechanism names are
/// matched case-insensitively by servers, and kept as sent.
///
/// # Examples
///
/// ```
/// let m = smtp_wire::auth::Mechanism::new("SCRAM-SHA-256").unwrap();
/// assert!(m.is("scram-sha-256"));
/// assert!(smtp_wire::auth::Mechanism::new("BAD MECH").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mechanism<'a>(&'a str);

impl<'a> Mechanism<'a> {
    /// Validates a mechanism name.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidSyntax`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::auth::Mechanism::new("PLAIN").is_ok());
    /// assert!(smtp_wire::auth::Mechanism::new("").is_err());
    /// ```
    pub fn new(name: &'a str) -> Result<Mechanism<'a>, ErrorKind> {
        let valid = (1..=20).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid {
            Ok(Mechanism(name))
        } else {
            Err(ErrorKind::InvalidSyntax)
        }
    }

    /// The name as sent.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::auth::Mechanism::new("LOGIN").unwrap().as_str(), "LOGIN");
    /// ```
    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// Case-insensitive comparison with a mechanism name.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::auth::Mechanism::new("plain").unwrap().is("PLAIN"));
    /// ```
    pub fn is(&self, name: &str) -> bool {
        self.0.eq_ignore_ascii_case(name)
    }
}

/// The initial response of AUTH (RFC 4954 §4).
///
/// # Examples
///
/// ```
/// use smtp_wire::auth::InitialResponse;
///
/// let ir = InitialResponse::base64("AGFsaWNlAHNlY3JldA==").unwrap();
/// assert!(matches!(ir, InitialResponse::Base64(_)));
/// assert!(InitialResponse::base64("not base64").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InitialResponse<'a> {
    /// `=`: an empty initial response.
    Empty,
    /// Canonical base64, redacted in `Debug`.
    Base64(Secret<&'a str>),
}

impl<'a> InitialResponse<'a> {
    /// Validates non-empty canonical base64.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidBase64`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::auth::InitialResponse::base64("").is_err()); // use Empty
    /// ```
    pub fn base64(data: &'a str) -> Result<InitialResponse<'a>, ErrorKind> {
        if !data.is_empty() && syntax::is_base64(data.as_bytes()) {
            Ok(InitialResponse::Base64(Secret::new(data)))
        } else {
            Err(ErrorKind::InvalidBase64)
        }
    }
}

/// `AUTH mechanism [initial-response]` (RFC 4954 §4).
///
/// # Examples
///
/// ```
/// use smtp_wire::auth::{Auth, Mechanism};
///
/// let auth = Auth { mechanism: Mechanism::new("LOGIN").unwrap(), initial_response: None };
/// assert_eq!(auth.mechanism.as_str(), "LOGIN");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Auth<'a> {
    /// The SASL mechanism.
    pub mechanism: Mechanism<'a>,
    /// The initial response, if the client sent one.
    pub initial_response: Option<InitialResponse<'a>>,
}

/// One line a client sends during an AUTH exchange, after a 334 challenge
/// (RFC 4954 §4).
///
/// # Examples
///
/// ```
/// use smtp_wire::{CommandConfig, Status};
/// use smtp_wire::auth::AuthResponse;
///
/// let config = CommandConfig::new();
/// let Status::Complete((resp, _)) = config.parse_auth_response(b"*\r\n").unwrap() else { panic!() };
/// assert_eq!(resp, AuthResponse::Cancel);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthResponse<'a> {
    /// Canonical base64, possibly empty, redacted in `Debug`.
    Data(Secret<&'a str>),
    /// `*`: the client cancels the exchange; answer `501 5.0.0`
    /// ([`ErrorKind::AuthCancelled`]).
    Cancel,
}
