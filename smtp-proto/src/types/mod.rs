//! Value types: validated by construction, no parser code here.

mod capability;
mod code;
mod meaning;
mod reply;

pub(crate) use self::capability::parse_u64;
pub use self::capability::{
    Capabilities, Capability, EhloParams, EhloReply, EhloToken, EhloWords, Greeting, Limit, Limits,
    LimitsIter, Mechanisms,
};
pub use self::code::{EnhancedStatusCode, ReplyCode};
pub use self::meaning::{EnhancedMeaning, Meaning, ReplyCategory, ReplyClass};
pub(crate) use self::reply::{reply_text, write_enhanced};
pub use self::reply::{Reply, ReplyLine, ReplyLines, MAX_REPLY_LINE_LEN};
