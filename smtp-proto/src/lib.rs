//! Zero-copy, `no_std`, streaming parser and encoder for the SMTP wire protocol.
//!
//! `smtp-wire` reads and writes the bytes of SMTP (RFC 5321), ESMTP and LMTP
//! (RFC 2033): client commands with every MAIL/RCPT parameter, server replies,
//! EHLO capabilities, and message content (DATA and BDAT). It is sans-IO: it
//! never touches a socket, a clock or a thread. You own the buffer; the crate
//! tells you what the bytes mean and how many of them it used.
//!
//! # Which part to use
//!
//! * [`session`]: [`ServerSession`](session::ServerSession) and
//!   [`ClientSession`](session::ClientSession), the state machines of a
//!   conversation. They know what the next bytes are (a command, DATA
//!   content, a BDAT chunk, an AUTH line), enforce the command sequence,
//!   the limits and the pipelining rules, and pair replies with commands.
//!   Start here for a server, a client or a proxy.
//! * The parsers and decoders ([`Command::parse`], [`Reply::parse`],
//!   [`DataDecoder`], [`BdatDecoder`]) for one item at a time: a filter on
//!   recorded traffic, a tool, your own state machine.
//! * The encoders ([`Encode`]) for every value: `parse(encode(x)) == x`.
//! * [`codec`] (feature `tokio`): the sessions as `tokio_util` codecs.
//!
//! # A server loop
//!
//! The session decodes what the client sent and the server answers; the
//! session hears about each answer with `reply_sent`. Events borrow from the
//! read buffer, so a server that keeps its buffer in the same struct as its
//! state takes the buffer out while it handles the events
//! ([`core::mem::take`]) and copies what it wants to keep (the sender, the
//! content); [`owned`] has values that own their bytes.
//!
#![cfg_attr(
    feature = "alloc",
    doc = r#"
```
use smtp_wire::reply::{EnhancedStatusCode, Reply, ReplyCode};
use smtp_wire::session::{ServerConfig, ServerEvent, ServerSession};
use smtp_wire::{Command, Encode};

struct Server {
    session: ServerSession,
    buf: Vec<u8>,
    out: Vec<u8>,
    sender: Option<String>,
    message: Vec<u8>,
    stored: Vec<(String, Vec<u8>)>,
}

impl Server {
    fn reply(&mut self, code: ReplyCode, esc: EnhancedStatusCode, text: &str) {
        let lines = [text];
        // 3xx replies carry no enhanced code (RFC 3463 §2).
        let reply = match code.get() / 100 {
            3 => Reply::new(code, &lines),
            _ => Reply::with_enhanced(code, esc, &lines),
        };
        let reply = reply.expect("no control characters");
        reply.encode_append(&mut self.out);
        self.session.reply_sent(code);
    }

    /// Called with every read; replies go out when the input is used up.
    fn received(&mut self, read: &[u8]) -> bool {
        self.buf.extend_from_slice(read);
        let buf = std::mem::take(&mut self.buf); // events borrow it; `self` stays free
        let mut used = 0;
        let mut open = true;
        while open {
            let (event, n) = self.session.decode(&buf[used..]);
            used += n;
            let Some(event) = event else { break }; // read more
            match event {
                ServerEvent::Command(Command::Mail(mail)) => {
                    self.sender = Some(mail.path.to_string()); // keep a copy
                    self.reply(ReplyCode::OK, EnhancedStatusCode::ADDRESS_OK, "Sender OK");
                }
                ServerEvent::Command(Command::Rcpt(rcpt)) => {
                    let deny = rcpt.path.mailbox().is_some_and(|m| m.host().to_string() == "spam.example");
                    match deny {
                        true => self.reply(ReplyCode::MAILBOX_UNAVAILABLE, EnhancedStatusCode::NOT_AUTHORIZED, "Denied"),
                        false => self.reply(ReplyCode::OK, EnhancedStatusCode::DESTINATION_VALID, "OK"),
                    }
                }
                ServerEvent::Command(Command::Data) => {
                    self.reply(ReplyCode::START_MAIL_INPUT, EnhancedStatusCode::OK, "Go ahead")
                }
                ServerEvent::Command(Command::Quit) => {
                    self.reply(ReplyCode::SERVICE_CLOSING, EnhancedStatusCode::OK, "Bye");
                    open = false;
                }
                ServerEvent::Command(_) => self.reply(ReplyCode::OK, EnhancedStatusCode::OK, "OK"),
                ServerEvent::Body(piece) => self.message.extend_from_slice(piece),
                ServerEvent::BodyRejected(_) => self.message.clear(),
                ServerEvent::ChunkEnd(_) => self.reply(ReplyCode::OK, EnhancedStatusCode::OK, "Chunk OK"),
                ServerEvent::MessageEnd(_) => {
                    let message = std::mem::take(&mut self.message);
                    self.stored.push((self.sender.take().unwrap_or_default(), message));
                    self.reply(ReplyCode::OK, EnhancedStatusCode::OK, "Queued");
                }
                // The session's own answers (sequence, limits, syntax).
                ServerEvent::Error(err) => err.reply().encode_append(&mut self.out),
                ServerEvent::Reply(reply) => reply.encode_append(&mut self.out),
                ServerEvent::Close(reply) => {
                    reply.encode_append(&mut self.out);
                    open = false;
                }
                _ => open = false,
            }
        }
        self.buf = buf;
        self.buf.drain(..used);
        open
    }
}

let mut server = Server {
    session: ServerSession::new(ServerConfig::new()),
    buf: Vec::new(),
    out: Vec::new(),
    sender: None,
    message: Vec::new(),
    stored: Vec::new(),
};
server.reply(ReplyCode::SERVICE_READY, EnhancedStatusCode::OK, "mx.example ESMTP");
// The client's reads, split anywhere: EHLO; a pipelined group ending with
// DATA; the content; QUIT.
for read in [
    &b"EHLO client.exa"[..],
    b"mple\r\n",
    b"MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\nRCPT TO:<x@spam.example>\r\nDATA\r\n",
    b"Subject: hi\r\n\r\n..a dot\r\n.\r\n",
    b"QUIT\r\n",
] {
    server.received(read);
}
assert_eq!(server.stored, [("<alice@example.org>".to_string(), b"Subject: hi\r\n\r\n.a dot\r\n".to_vec())]);
let replies = String::from_utf8(server.out).unwrap();
assert!(replies.contains("550 5.7.1 Denied\r\n354 Go ahead\r\n250 2.0.0 Queued\r\n221"));
```
"#
)]
//!
//! # A client loop
//!
//! The client session checks each command against what the server offered,
//! says when replies must be read before more is sent (no PIPELINING, or a
//! command that must end a group), and pairs every reply with its command.
//!
#![cfg_attr(
    feature = "alloc",
    doc = r#"
```
use smtp_wire::address::{Host, Mailbox};
use smtp_wire::command::{MailFrom, RcptTo};
use smtp_wire::session::{Answered, ClientError, ClientEvent, ClientSession};
use smtp_wire::Encode;

/// The server's side of the conversation, as it arrives.
struct Wire<'s> {
    replies: &'s [u8],
    sent: Vec<u8>,
}

/// Reads replies until one arrives; returns what it answers and its code.
fn next_reply(client: &mut ClientSession, wire: &mut Wire<'_>) -> (Answered, u16) {
    let (event, used) = client.decode(wire.replies);
    wire.replies = &wire.replies[used..];
    match event {
        Some(ClientEvent::Reply { to, reply }) => (to, reply.code().get()),
        other => panic!("{other:?}"), // a real client reads more on None
    }
}

let mut wire = Wire {
    replies: b"220 mx.example ESMTP\r\n\
               250-mx.example\r\n250-PIPELINING\r\n250-SIZE 10000000\r\n250 8BITMIME\r\n\
               250 2.1.0 OK\r\n250 2.1.5 OK\r\n550 5.1.1 No such user\r\n354 Go ahead\r\n\
               250 2.0.0 Queued\r\n221 2.0.0 Bye\r\n",
    sent: Vec::new(),
};
let mut client = ClientSession::new(Default::default());
assert_eq!(next_reply(&mut client, &mut wire), (Answered::Greeting, 220));
client.ehlo(Host::new("client.example")?)?.encode_append(&mut wire.sent);
assert_eq!(next_reply(&mut client, &mut wire), (Answered::Ehlo, 250));

// The server offers PIPELINING: MAIL, the RCPTs and DATA go in one write.
let content = b"Subject: hi\r\n\r\n.a dot\r\n";
let mail = MailFrom::new(Mailbox::new("alice@example.org")?).with_size(content.len() as u64);
client.mail(mail)?.encode_append(&mut wire.sent);
for to in ["bob@example.net", "nobody@example.net"] {
    client.rcpt(RcptTo::new(Mailbox::new(to)?))?.encode_append(&mut wire.sent);
}
if client.uses_bdat() {
    client.bdat(content, true)?.encode_append(&mut wire.sent);
} else {
    client.data()?.encode_append(&mut wire.sent);
    // Nothing more until DATA is answered: it must end the group.
    assert_eq!(client.rset().unwrap_err(), ClientError::WaitForReplies);
}
let mut accepted = 0;
loop {
    match next_reply(&mut client, &mut wire) {
        (Answered::Rcpt { .. }, code) if code < 400 => accepted += 1,
        (Answered::Data, 354) => client.data_body(content)?.encode_append(&mut wire.sent),
        (Answered::Message { .. }, code) => {
            assert_eq!((code, accepted), (250, 1));
            break;
        }
        _ => {}
    }
}
client.quit()?.encode_append(&mut wire.sent);
assert_eq!(next_reply(&mut client, &mut wire), (Answered::Quit, 221));
assert_eq!(
    wire.sent,
    b"EHLO client.example\r\nMAIL FROM:<alice@example.org> SIZE=23\r\n\
      RCPT TO:<bob@example.net>\r\nRCPT TO:<nobody@example.net>\r\nDATA\r\n\
      Subject: hi\r\n\r\n..a dot\r\n.\r\nQUIT\r\n"
);
# Ok::<(), Box<dyn std::error::Error>>(())
```
"#
)]
//!
//! # One item at a time: a pipelined parse loop
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
//! ([`Domain::new`](crate::address::Domain::new), [`Mailbox::new`](crate::address::Mailbox::new), [`XText::new`](crate::param::XText::new)...), so an encoder can
//! never emit CR, LF or an invalid address: `parse(encode(x)) == x`.
//!
//! ## Borrowed or owned
//!
//! A borrowed value lives no longer than the buffer it was parsed from. When
//! it has to (a command queued for another task, a reply kept for later),
//! make it an owned value ([`owned`], with `alloc`): `into_owned()` on a
//! [`Command`], a [`Reply`], an [`EhloReply`](crate::ehlo::EhloReply) or an
//! [`AuthResponse`](crate::auth::AuthResponse) copies its line into a box of
//! its own, and the owned value hands out the borrowed one on demand. With
//! the `bytes` feature, `OwnedCommand`, `OwnedReply` and `OwnedAuthResponse`
//! can instead split their line off a `BytesMut` read buffer and keep it as
//! a `Bytes` that shares the read buffer's memory (no copy);
//! `DataDecoder::decode_bytes` and `BdatDecoder::decode_bytes` do the same
//! for message content. Every [`Encode`] value writes into any `BufMut` with
//! `encode_to_buf`.
//!
#![cfg_attr(
    feature = "bytes",
    doc = r#"
```
use bytes::BytesMut;
use smtp_wire::owned::{OwnedCommand, OwnedDataEvent};
use smtp_wire::{Command, CommandConfig, DataDecoder, Status};

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
//! also to discard a refused chunk; [`MessageSize`](crate::body::MessageSize) checks the running total
//! against a SIZE limit. For clients, [`DotStuffer`](crate::body::DotStuffer) and [`DataBody`](crate::body::DataBody) stuff
//! content without copying it, and [`BdatChunk`](crate::body::BdatChunk) / [`BdatMessage`](crate::body::BdatMessage) frame chunks.
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
//! | `alloc` | via `std` | `encode_to_vec`, `encode_append`, owned values ([`owned`]), owned unquoting and xtext decoding |
//! | `bytes` | no | encoding into `bytes::BufMut`, owned values that share a `Bytes` buffer |
//! | `tokio` | no | `tokio_util::codec` server and client codecs in `codec`; turns on `bytes` and `std` |
//! | `arbitrary` | no | `arbitrary::Arbitrary` impls that build only valid values |
//!
//! `#![no_std]` is unconditional: `cargo build --no-default-features` builds
//! the core with neither `std` nor an allocator, for targets such as
//! `thumbv7em-none-eabihf`.

// Unit tests use the standard prelude; the library itself never does (the
// no-default-features build and the thumbv7em-none-eabihf build in CI check).
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

// The layers, bottom up; a module only uses the ones above it in this list
// (`tests/layers.rs` checks it):
//   syntax   byte classes and validators of the RFC grammars
//   types    values with validating constructors, Error, Status
//   parse    command, reply and capability parsers
//   decode   streaming decoders of message content
//   encode   canonical wire output
//   session  server and client session state machines
//   owned    values that own their bytes
//   codec    tokio codecs
mod syntax;
mod types;

mod decode;
pub mod encode;
mod parse;
pub mod session;

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub mod owned;

#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub mod codec;

#[cfg(feature = "arbitrary")]
mod arbitrary;
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;

pub mod address {
    //! Addresses (RFC 5321 §4.1.2, §4.1.3): [`Mailbox`], its [`LocalPart`] and
    //! [`Host`] ([`Domain`] or [`AddressLiteral`]), and the [`ReversePath`] of
    //! MAIL and [`ForwardPath`] of RCPT.
    //!
    //! # Examples
    //!
    //! ```
    //! use smtp_wire::address::{Host, Mailbox};
    //!
    //! let mailbox = Mailbox::new("jörg@bücher.example")?;
    //! assert!(!mailbox.is_ascii()); // needs SMTPUTF8 (RFC 6531)
    //! assert!(matches!(mailbox.host(), Host::Domain(_)));
    //! # Ok::<(), smtp_wire::ErrorKind>(())
    //! ```
    pub use crate::types::address::*;
}

pub mod command {
    //! Client commands (RFC 5321 §4.1.1, ESMTP and LMTP): [`Command`] and its
    //! arguments, and [`CommandConfig`], the parser's limits and leniency.
    //! AUTH has its own module, [`auth`](crate::auth), and so do the
    //! attributes of XCLIENT and XFORWARD, [`xclient`](crate::xclient); MAIL
    //! and RCPT parameters are in [`param`](crate::param).
    //!
    //! # Examples
    //!
    //! ```
    //! use smtp_wire::command::{Command, CommandConfig};
    //! use smtp_wire::Status;
    //!
    //! let config = CommandConfig::new();
    //! let Ok(Status::Complete((Command::Rcpt(rcpt), used))) =
    //!     config.parse(b"RCPT TO:<bob@example.net>\r\n")
    //! else {
    //!     panic!()
    //! };
    //! assert_eq!((rcpt.path.to_string().as_str(), used), ("<bob@example.net>", 27));
    //! ```
    pub use crate::parse::command::CommandConfig;
    pub use crate::parse::line::skip_line;
    pub use crate::types::command::{
        Burl, Command, DomainList, Etrn, Lookup, MailFrom, RcptTo, Text, Unknown,
    };
}

pub mod auth {
    //! AUTH (RFC 4954): the command's [`Auth`] argument, the client's
    //! [`AuthResponse`] to a 334 challenge, and [`Secret`], which keeps
    //! credentials out of `Debug` output.
    //!
    //! # Examples
    //!
    //! ```
    //! use smtp_wire::auth::AuthResponse;
    //! use smtp_wire::command::CommandConfig;
    //! use smtp_wire::Status;
    //!
    //! let config = CommandConfig::new();
    //! let Ok(Status::Complete((AuthResponse::Cancel, 3))) = config.parse_auth_response(b"*\r\n")
    //! else {
    //!     panic!()
    //! };
    //! ```
    pub use crate::types::command::auth::*;
    pub use crate::types::secret::Secret;
}

pub mod xclient {
    //! The attribute lists of Postfix's XCLIENT and XFORWARD commands.
    //!
    //! # Examples
    //!
    //! ```
    //! use smtp_wire::xclient::{AttributeName, AttributeSet, Attributes};
    //!
    //! let attrs = Attributes::new(AttributeSet::Xclient, "ADDR=192.0.2.1 PROTO=ESMTP")?;
    //! assert_eq!(attrs.iter().next().unwrap().name, AttributeName::Addr);
    //! # Ok::<(), smtp_wire::ErrorKind>(())
    //! ```
    pub use crate::types::command::xclient::*;
}

pub mod param {
    //! MAIL and RCPT parameters (RFC 5321 §4.1.2 `esmtp-param`): the typed
    //! [`MailParams`] and [`RcptParams`], their value types (SIZE, BODY, the
    //! DSN parameters of RFC 3461, AUTH=, MT-PRIORITY, FUTURERELEASE, BY,
    //! MTRK, RRVS...), [`XText`], and [`Param`] for the rest.
    //!
    //! # Examples
    //!
    //! ```
    //! use smtp_wire::param::{Notify, XText};
    //!
    //! assert_eq!(Notify::Never.to_string(), "NEVER");
    //! assert_eq!(XText::new("a+2Bb")?.decoded().collect::<Vec<u8>>(), b"a+b");
    //! # Ok::<(), smtp_wire::ErrorKind>(())
    //! ```
    pub use crate::types::param::*;
}

pub mod reply {
    //! Server replies (RFC 5321 §4.2): [`Reply`] and its lines, the
    //! [`ReplyCode`] and [`EnhancedStatusCode`] (RFC 3463) with named
    //! constants and what they mean, and [`ReplyConfig`], the parser's
    //! limits and leniency.
    //!
    //! # Examples
    //!
    //! ```
    //! use smtp_wire::reply::{EnhancedStatusCode, Reply, ReplyCode};
    //! use smtp_wire::Status;
    //!
    //! let Ok(Status::Complete((reply, _))) = Reply::parse(b"550 5.1.1 No such user\r\n") else {
    //!     panic!()
    //! };
    //! assert_eq!(reply.code(), ReplyCode::MAILBOX_UNAVAILABLE);
    //! assert_eq!(reply.enhanced_code(), Some(EnhancedStatusCode::BAD_DESTINATION_MAILBOX));
    //! ```
    pub use crate::parse::reply::ReplyConfig;
    pub use crate::types::reply::*;
}

pub mod ehlo {
    //! The EHLO reply and its capabilities (RFC 5321 §4.1.1.1 and the IANA
    //! "SMTP Service Extensions" registry), and the 220 [`Greeting`].
    //!
    //! # Examples
    //!
    //! ```
    //! use smtp_wire::ehlo::{Capability, EhloReply};
    //! use smtp_wire::reply::Reply;
    //! use smtp_wire::Status;
    //!
    //! let buf = b"250-mx.example.org\r\n250-PIPELINING\r\n250 SIZE 1000\r\n";
    //! let Ok(Status::Complete((reply, _))) = Reply::parse(buf) else { panic!() };
    //! let ehlo = EhloReply::from_reply(reply).unwrap();
    //! assert!(ehlo.capabilities().any(|c| c == Capability::Pipelining));
    //! ```
    pub use crate::types::ehlo::*;
}

pub mod body {
    //! Message content: [`DataDecoder`] removes DATA dot-stuffing and finds
    //! the `<CRLF>.<CRLF>` that ends it, [`BdatDecoder`] frames BDAT chunks,
    //! [`MessageSize`] checks SIZE; for clients, [`DotStuffer`] and
    //! [`DataBody`] stuff content and [`BdatChunk`]/[`BdatMessage`] frame
    //! chunks.
    //!
    //! # Examples
    //!
    //! ```
    //! use smtp_wire::body::{DataDecoder, DataEvent};
    //! use smtp_wire::Status;
    //!
    //! let mut decoder = DataDecoder::new();
    //! let event = decoder.decode(b"..hi\r\n.\r\n");
    //! assert_eq!(event, Ok(Status::Complete((DataEvent::Payload(b".hi\r\n"), 6))));
    //! ```
    pub use crate::decode::*;
    pub use crate::encode::body::{
        BdatChunk, BdatHeader, BdatMessage, DataBody, DotStuffer, Stuffed,
    };
}

pub mod error {
    //! [`Error`]: a small, `Copy` rejection that says what was wrong
    //! ([`ErrorKind`]), which reply a server should send ([`ErrorReply`]) and
    //! how many bytes to skip.
    //!
    //! # Examples
    //!
    //! ```
    //! use smtp_wire::command::Command;
    //! use smtp_wire::error::ErrorKind;
    //!
    //! let err = Command::parse(b"RCPT TO:<@>\r\n").unwrap_err();
    //! assert_eq!(err.kind(), ErrorKind::InvalidRecipientAddress);
    //! ```
    pub use crate::types::error::*;
}

pub use crate::body::{BdatDecoder, DataConfig, DataDecoder};
pub use crate::command::{Command, CommandConfig};
pub use crate::encode::Encode;
pub use crate::error::{Error, ErrorKind};
pub use crate::reply::{Reply, ReplyConfig};
pub use crate::types::status::{ParseResult, Status};

/// The README's examples, run as doctests so that they stay true (they
/// use `Vec`, so only with `std`).
#[doc = include_str!("../../README.md")]
#[cfg(all(doctest, feature = "std"))]
pub struct ReadmeDoctests;
