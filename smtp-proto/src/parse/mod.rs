//! Parsers. Everything here is `pub(crate)`: nom never appears in the public API.

pub(crate) mod command;
pub(crate) mod line;

pub use self::command::CommandConfig;
pub use self::line::skip_line;
