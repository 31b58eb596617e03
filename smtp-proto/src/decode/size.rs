//! [`MessageSize`]: the running size of a message against a SIZE limit.

use crate::types::error::{Error, ErrorKind};

/// The running size of one message, checked against a limit (RFC 1870).
///
/// A server that advertises `SIZE n` must be able to refuse a message that
/// grows past `n` octets without having to buffer it. With BDAT (RFC 3030) the
/// size of each chunk is known from its command line before any chunk octet
/// arrives, so [`add`](MessageSize::add) the announced size first and, if it
/// fails, read and discard the chunk with a [`BdatDecoder`](crate::BdatDecoder)
/// before replying `552`. [`DataDecoder`](crate::DataDecoder) uses the same
/// counter for DATA content (see [`DataConfig::max_message_size`](crate::DataConfig::max_message_size)).
///
/// Sizes are `u64` with checked arithmetic, so a hostile
/// `BDAT 18446744073709551615` cannot wrap the total around.
///
/// # Examples
///
/// ```
/// use smtp_wire::ErrorKind;
/// use smtp_wire::body::MessageSize;
///
/// let mut total = MessageSize::new(Some(100));
/// assert_eq!(total.add(60), Ok(60));
/// let err = total.add(41).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::MessageTooLarge);
/// assert_eq!(err.reply().code().get(), 552);
/// assert_eq!(total.total(), 101); // what the client tried to send
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageSize {
    total: u64,
    limit: Option<u64>,
    exceeded: bool,
}

impl MessageSize {
    /// A counter at zero; `limit` is the largest accepted message in octets,
    /// or `None` for no limit (only the `u64` range).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::MessageSize;
    /// let total = MessageSize::new(None);
    /// assert_eq!(total.total(), 0);
    /// assert_eq!(total.limit(), None);
    /// ```
    pub const fn new(limit: Option<u64>) -> MessageSize {
        MessageSize {
            total: 0,
            limit,
            exceeded: false,
        }
    }

    /// Adds `octets` and returns the new total.
    ///
    /// The total is updated even when the limit is exceeded (it saturates at
    /// `u64::MAX`), so that it always says how much the client sent.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MessageTooLarge`] (`552 5.3.4`, RFC 1870 §6) when the new
    /// total exceeds the limit or does not fit in a `u64`. The error's
    /// [`skip`](Error::skip) is 0: the counter does not see the input, so a
    /// BDAT caller still has to drain the chunk.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::MessageSize;
    /// let mut total = MessageSize::new(None);
    /// total.add(u64::MAX).unwrap();
    /// assert!(total.add(1).is_err()); // overflow is "too large", never a wrap
    /// ```
    pub fn add(&mut self, octets: u64) -> Result<u64, Error> {
        let (total, overflow) = self.total.overflowing_add(octets);
        self.total = if overflow { u64::MAX } else { total };
        let over_limit = matches!(self.limit, Some(limit) if total > limit);
        if overflow || over_limit {
            self.exceeded = true;
            Err(Error::new(ErrorKind::MessageTooLarge, 0))
        } else {
            Ok(total)
        }
    }

    /// The octets counted so far.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::MessageSize;
    /// let mut total = MessageSize::new(Some(10));
    /// total.add(4).unwrap();
    /// total.add(5).unwrap();
    /// assert_eq!(total.total(), 9);
    /// ```
    pub const fn total(&self) -> u64 {
        self.total
    }

    /// The limit given to [`new`](MessageSize::new).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::MessageSize;
    /// assert_eq!(MessageSize::new(Some(10)).limit(), Some(10));
    /// ```
    pub const fn limit(&self) -> Option<u64> {
        self.limit
    }

    /// `true` once an [`add`](MessageSize::add) has failed: the total went
    /// past the limit or past `u64::MAX`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::MessageSize;
    /// let mut total = MessageSize::new(Some(3));
    /// let _ = total.add(4);
    /// assert!(total.is_exceeded());
    /// ```
    pub const fn is_exceeded(&self) -> bool {
        self.exceeded
    }
}

impl Default for MessageSize {
    /// No limit.
    fn default() -> Self {
        MessageSize::new(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_is_inclusive() {
        let mut total = MessageSize::new(Some(10));
        assert_eq!(total.add(10), Ok(10));
        assert!(!total.is_exceeded());
        assert_eq!(total.add(0), Ok(10));
        assert!(total.add(1).is_err());
        assert!(total.is_exceeded());
    }

    #[test]
    fn overflow_saturates() {
        let mut total = MessageSize::new(None);
        assert!(total.add(u64::MAX - 1).is_ok());
        let err = total.add(5).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MessageTooLarge);
        assert_eq!(err.skip(), 0);
        assert_eq!(total.total(), u64::MAX);
        assert!(total.is_exceeded());
    }
}
