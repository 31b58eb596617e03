//! [`Status`]: the outcome of a streaming parse that did not fail.

use crate::types::error::Error;

/// The result of a streaming parse that did not fail.
///
/// Incomplete input is not an error (the httparse convention): the caller reads
/// more bytes and calls again with the longer buffer. A `Partial` result never
/// consumes anything.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Command, Status};
///
/// assert_eq!(Command::parse(b"NOOP"), Ok(Status::Partial));
/// assert!(Command::parse(b"NOOP\r\n").unwrap().is_complete());
/// ```
#[must_use = "a Partial status means more input is needed"]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status<T> {
    /// A whole item was parsed.
    Complete(T),
    /// The buffer ends before the item does; nothing was consumed.
    Partial,
}

impl<T> Status<T> {
    /// Returns `true` for [`Status::Complete`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::Status::Complete(3).is_complete());
    /// ```
    pub fn is_complete(&self) -> bool {
        matches!(self, Status::Complete(_))
    }

    /// Returns `true` for [`Status::Partial`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::Status::<()>::Partial.is_partial());
    /// ```
    pub fn is_partial(&self) -> bool {
        matches!(self, Status::Partial)
    }

    /// The complete value, or `None` when partial.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(smtp_wire::Status::Complete(7).complete(), Some(7));
    /// ```
    pub fn complete(self) -> Option<T> {
        match self {
            Status::Complete(value) => Some(value),
            Status::Partial => None,
        }
    }

    /// Maps the complete value.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::Status;
    /// assert_eq!(Status::Complete(2).map(|n| n * 2), Status::Complete(4));
    /// ```
    pub fn map<U, F: FnOnce(T) -> U>(self, f: F) -> Status<U> {
        match self {
            Status::Complete(value) => Status::Complete(f(value)),
            Status::Partial => Status::Partial,
        }
    }
}

/// What every streaming parser returns: a [`Status`], or an [`Error`] that
/// carries the reply a server should send and the bytes to skip.
pub type ParseResult<T> = core::result::Result<Status<T>, Error>;
