//! Streaming decoders for message content (DATA and BDAT).
//!
//! Both decoders borrow from the caller's buffer and never allocate:
//!
//! * [`DataDecoder`] undoes dot-stuffing and finds the `<CRLF>.<CRLF>` that ends
//!   DATA content (RFC 5321 §4.1.1.4, §4.5.2), strictly enough that no SMTP
//!   smuggling sequence can end a message early.
//! * [`BdatDecoder`] hands out exactly the announced number of octets of a
//!   BDAT chunk (RFC 3030 §2) and leaves the next command untouched.
//! * [`MessageSize`] keeps the running size of a message against a SIZE limit
//!   (RFC 1870) without buffering it.

mod bdat;
mod data;
mod size;

pub use self::bdat::BdatDecoder;
pub use self::data::{ContentIssues, ContentPolicy, DataConfig, DataDecoder, DataEnd, DataEvent};
pub use self::size::MessageSize;
