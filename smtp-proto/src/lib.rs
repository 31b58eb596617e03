//! Zero-copy, `no_std`, streaming parser and encoder for the SMTP wire protocol.
//!
//! `smtp-proto` reads and writes the bytes of SMTP (RFC 5321), ESMTP and LMTP
//! (RFC 2033): client commands with every MAIL/RCPT parameter, server replies,
//! EHLO capabilities, and message content (DATA and BDAT). It is sans-IO: it
//! never touches a socket, a clock or a thread. You own the buffer; the crate
//! tells you what the bytes mean and how many of them it used.
//!
//! # Quick example: a pipelined parse loop
//!
//! ```
//! use smtp_wire::{Command, Status};
//!
//! // Three pipelined commands (RFC 2920) and the start of a fourth.
//! let mut buf: &[u8] = b"MAIL FROM:<alice@example.org> SIZE=2048\r\nRCPT TO:<bob@example.net>\r\nDATA\r\nQU";
//! let mut seen = Vec::new();
//! loop {
//!     match Command::parse(buf) {
//!         Ok(Status::Complete((command, used))) => {
//!             seen.push(command.verb().to_string());
//!             buf = &buf[used..];
//!         }
//!         // Not an error: read more bytes and call again.
//!         Ok(Status::Partial) => break,
//!         Err(err) => {
//!             // Send err.reply(), e.g. "501 5.5.4 ...", then skip the line.
//!             eprintln!("{}", err.reply());
//!             buf = &buf[err.skip()..];
//!         }
//!     }
//! }
//! assert_eq!(seen, ["MAIL", "RCPT", "DATA"]);
//! assert_eq!(buf, b"QU");
//! ```
//!
//! # Incomplete input
//!
//! Input may stop at any byte. A buffer that does not hold a whole item gives
//! `Ok(`[`Status::Partial`]`)`: nothing is consumed and it is not an error.
//! A complete item reports how many bytes it used, so pipelined input is a
//! loop. A carriage return is never judged without the byte after it.
//!
//! # Zero-copy and lifetimes
//!
//! Parsed values borrow from the caller's buffer (`Command<'a>` holds `&'a str`
//! slices of it). The parsers never allocate, with or without the `alloc`
//! feature. Values built by hand go through validating constructors
//! ([`Domain::new`], [`Mailbox::parse`], [`XText::new`]...), so an encoder can
//! never emit CR, LF or an invalid address: `parse(encode(x)) == x`.
//!
//! ## Borrowed or `Bytes`-backed
//!
//! A borrowed value lives no longer than the buffer it was parsed from. When
//! it has to (a command queued for another task, a message body handed to a
//! writer), turn on the `bytes` feature and parse from a `BytesMut`:
//! `OwnedCommand`, `OwnedReply` and `OwnedAuthResponse` split their
//! line off the buffer and keep it as a `Bytes` that shares
//! the read buffer's memory (no copy), and hand out the borrowed value on
//! demand. `DataDecoder::decode_bytes` and `BdatDecoder::decode_bytes` do
//! the same for message content. Every [`Encode`] value writes into any
//! `BufMut` with `encode_to_buf`.
//!
#![cfg_attr(
    feature = "bytes",
    doc = r#"
```
use bytes::BytesMut;
use smtp_wire::{Command, CommandConfig, DataDecoder, OwnedCommand, OwnedDataEvent, Status};

let mut read = BytesMut::from(&b"DATA\r\nHello\r\n.\r\n"[..]);
let config = CommandConfig::new();
let Ok(Status::Complete(data)) = OwnedCommand::parse(&mut read, &config) else { panic!() };
let mut decoder = DataDecoder::new();
let Ok(Status::Complete(OwnedDataEvent::Payload(body))) = decoder.decode_bytes(&mut read) else { panic!() };
drop(read); // the command and the body outlive the read buffer...
assert_eq!(data.command(), Command::Data);
assert_eq!(body, "Hello\r\n"); // ...and were never copied
```
"#
)]
//!
//! With the `tokio` feature, `codec` builds on these: a `tokio_util`
//! server codec that yields commands and body pieces as owned events, and a
//! client codec for replies.
//!
//! # DATA and BDAT
//!
//! Message content never reaches the command parser. After `DATA` and a 354
//! reply, a [`DataDecoder`] hands out the content as borrowed slices with
//! dot-stuffing removed and stops only at `<CRLF>.<CRLF>`: no bare CR/LF or NUL
//! sequence can end a message early (SMTP smuggling), whatever the
//! [`DataConfig`]. After `BDAT n`, a [`BdatDecoder`] takes exactly `n` octets,
//! also to discard a refused chunk; [`MessageSize`] checks the running total
//! against a SIZE limit. For clients, [`DotStuffer`] and [`DataBody`] stuff
//! content without copying it, and [`BdatChunk`] / [`BdatMessage`] frame chunks.
//!
//! # Strictness and security
//!
//! * Lines end with CRLF only. Bare LF, bare CR and NUL are distinct errors.
//! * Limits follow RFC 5321 §4.5.3.1 (512-octet lines, 64/255/256-octet local
//!   part, domain and path) and can be changed at run time in [`CommandConfig`].
//! * Every [`Error`] says which reply a server should send ([`Error::reply`])
//!   and how many bytes to skip ([`Error::skip`]); the tail of an over-long
//!   line is never parsed as a command.
//! * Leniency (bare LF, `MAIL FROM: <x>`) is a run-time setting, never a cargo
//!   feature: features unify across a dependency graph.
//!
//! # Crate features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `std` | yes | `std` support; turns on `alloc` |
//! | `alloc` | via `std` | `encode_to_vec`, `encode_append`, owned unquoting and xtext decoding |
//! | `bytes` | no | encoding into `bytes::BufMut`, owned values that share a `Bytes` buffer |
//! | `tokio` | no | `tokio_util::codec` server and client codecs in `codec`; turns on `bytes` and `std` |
//! | `arbitrary` | no | `arbitrary::Arbitrary` impls that build only valid values |
//!
//! `#![no_std]` is unconditional: with `--no-default-features` the crate
//! needs neither `std` nor an allocator.
//!
//! # Minimum supported Rust version
//!
//! 1.82, declared as `rust-version`. Raising it is not a breaking change
//! before 1.0.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "arbitrary")]
mod arbitrary;
#[cfg(feature = "bytes")]
mod bytes;
#[cfg(feature = "tokio")]
pub mod codec;
mod decode;
mod encode;
mod error;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
mod parse;
mod status;
mod syntax;
mod types;

#[cfg(feature = "bytes")]
pub use crate::bytes::{OwnedAuthResponse, OwnedCommand, OwnedDataEvent, OwnedReply};
pub use crate::decode::*;
pub use crate::encode::{
    BdatChunk, BdatHeader, BdatMessage, BufferTooSmall, DataBody, DotStuffer, Encode, Stuffed,
};
pub use crate::error::{Error, ErrorKind, ErrorReply};
pub use crate::parse::{skip_line, CommandConfig, ReplyConfig};
pub use crate::status::{ParseResult, Status};
pub use crate::types::*;

/// The README's examples, run as doctests so that they stay true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
