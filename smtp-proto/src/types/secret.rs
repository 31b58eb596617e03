//! [`Secret`]: AUTH data that never shows up in logs.

use core::fmt;

/// A value that `Debug` prints as `<redacted>`, for AUTH responses and other
/// credentials (so that `{:?}` of a parsed command cannot leak a password).
///
/// # Examples
///
/// ```
/// use smtp_wire::auth::Secret;
///
/// let s = Secret::new("AHVzZXIAcGFzcw==");
/// assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
/// assert_eq!(*s.expose(), "AHVzZXIAcGFzcw==");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    ///
    /// # Examples
    ///
    /// ```
    /// let _ = smtp_wire::auth::Secret::new(42);
    /// ```
    pub const fn new(value: T) -> Secret<T> {
        Secret(value)
    }

    /// The wrapped value, named so that every use stands out in review.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(*smtp_wire::auth::Secret::new(1).expose(), 1);
    /// ```
    pub const fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}
