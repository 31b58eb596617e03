//! Value types: validated by construction, no parser code here.

pub(crate) mod address;
mod capability;
mod code;
pub(crate) mod command;
mod meaning;
pub(crate) mod param;
mod reply;
pub(crate) mod secret;

pub use self::address::{
    AddressLiteral, Domain, ForwardPath, Host, LocalPart, Mailbox, Path, ReversePath, SourceRoute,
    Unquoted, MAX_DOMAIN_LEN, MAX_LOCAL_PART_LEN, MAX_PATH_LEN,
};
pub(crate) use self::capability::parse_u64;
pub use self::capability::{
    Capabilities, Capability, EhloParams, EhloReply, EhloToken, EhloWords, Greeting, Limit, Limits,
    LimitsIter, Mechanisms,
};
pub use self::code::{EnhancedStatusCode, ReplyCode};
pub use self::command::{
    Attribute, AttributeName, AttributeSet, Attributes, Auth, AuthResponse, Burl, Command,
    DomainList, Etrn, InitialResponse, Lookup, MailFrom, Mechanism, RcptTo, Text, Unknown,
};
pub use self::meaning::{EnhancedMeaning, Meaning, ReplyCategory, ReplyClass};
pub use self::param::{
    AuthParam, Body, By, ByMode, DateTime, MailParams, Mtrk, Notify, Orcpt, OtherParams, Param,
    Priority, RcptParams, Ret, Rrvs, RrvsAction, Value, XText, XTextDecoder,
};
pub(crate) use self::reply::{has_no_controls, write_enhanced};
pub use self::reply::{Reply, ReplyLine, ReplyLines, MAX_REPLY_LINE_LEN};
pub use self::secret::Secret;
