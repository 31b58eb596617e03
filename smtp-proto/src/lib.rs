//! Zero-copy, `no_std`, streaming parser and encoder for the SMTP wire protocol.
//!
//! (Crate documentation is completed with the command parser; see README.md.)
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod decode;
mod encode;
mod error;
mod parse;
mod status;
mod syntax;
mod types;

// TODO(#4): drop this allow once `decode` exports its decoders (an empty
// glob re-export warns, which fails `clippy -D warnings`).
#[allow(unused_imports, unreachable_pub)]
pub use crate::decode::*;
pub use crate::encode::{BufferTooSmall, Encode};
pub use crate::error::{Error, ErrorKind, ErrorReply};
pub use crate::parse::ReplyConfig;
pub use crate::parse::{skip_line, CommandConfig};
pub use crate::status::{ParseResult, Status};
pub use crate::types::*;
