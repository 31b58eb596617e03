//! Value types: validated by construction, no parser code here.

mod code;

pub use self::code::{EnhancedStatusCode, ReplyCode};
