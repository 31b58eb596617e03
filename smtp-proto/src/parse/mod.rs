//! Parsers. Everything here is `pub(crate)`: nom never appears in the public API.

mod capability;
pub(crate) mod command;
pub(crate) mod line;
mod reply;

pub(crate) use self::capability::capability;
pub use self::command::CommandConfig;
pub use self::line::skip_line;
pub use self::reply::ReplyConfig;
