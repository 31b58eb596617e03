//! Value types: validated by construction, no parser code here.

pub(crate) mod address;
mod code;
pub(crate) mod command;
pub(crate) mod param;
pub(crate) mod secret;

pub use self::address::{
    AddressLiteral, Domain, ForwardPath, Host, LocalPart, Mailbox, Path, ReversePath, SourceRoute,
    Unquoted, MAX_DOMAIN_LEN, MAX_LOCAL_PART_LEN, MAX_PATH_LEN,
};
pub use self::code::{EnhancedStatusCode, ReplyCode};
pub use self::command::{
    Attribute, AttributeName, AttributeSet, Attributes, Auth, AuthResponse, Burl, Command,
    DomainList, Etrn, InitialResponse, Lookup, MailFrom, Mechanism, RcptTo, Text, Unknown,
};
pub use self::param::{
    AuthParam, Body, By, ByMode, DateTime, MailParams, Mtrk, Notify, Orcpt, OtherParams, Param,
    Priority, RcptParams, Ret, Rrvs, RrvsAction, Value, XText, XTextDecoder,
};
pub use self::secret::Secret;
