//! [`tokio_util::codec`] adapters over the sessions (the `tokio` feature):
//! [`ServerCodec`] runs a [`ServerSession`](crate::session::ServerSession)
//! over a connection's bytes and encodes replies; [`ClientCodec`] runs a
//! [`ClientSession`](crate::session::ClientSession), decodes replies paired
//! with what they answer, and encodes commands and message content.
//!
//! The sessions do the protocol work (input modes, sequence, limits,
//! pipelining rules, STARTTLS); the codecs only turn borrowed events into
//! owned ones that share the read buffer ([`Bytes`](bytes::Bytes),
//! [`OwnedCommand`](crate::owned::OwnedCommand),
//! [`OwnedReply`](crate::owned::OwnedReply)) instead of copying it.
//!
//! # Bounded buffering
//!
//! A server codec leaves in the read buffer at most what the session has
//! not consumed: less than one command line (or one AUTH line) in command
//! mode, two bytes of DATA content, nothing of a BDAT chunk. An over-long
//! line, a refused or oversized body and a refused chunk are consumed and
//! dropped as they arrive. Replies must be sent (through the codec's
//! encoder) before the next item is decoded; decoding while a reply is
//! owed is an error, so a client that keeps sending cannot fill memory.
//!
//! # STARTTLS (RFC 3207 §4.2, CVE-2011-0411)
//!
//! After the `220` to STARTTLS, call [`ServerCodec::tls_handoff`] (or
//! [`ClientCodec::tls_handoff`]): it returns the connection for the
//! handshake, the codec to keep using on top of it, and the plaintext bytes
//! that were buffered past the STARTTLS boundary, **discarded**, never
//! decoded.
//!
//! # Example: a server loop
//!
//! ```no_run
//! use futures_util::{SinkExt, StreamExt};
//! use smtp_wire::codec::{ServerCodec, ServerEvent};
//! use smtp_wire::reply::{Reply, ReplyCode};
//! use smtp_wire::Command;
//! use tokio_util::codec::Framed;
//!
//! # async fn serve(stream: tokio::net::TcpStream) -> std::io::Result<()> {
//! let mut framed = Framed::new(stream, ServerCodec::new(Default::default()));
//! let ok = Reply::new(ReplyCode::OK, &["OK"]).unwrap();
//! let go = Reply::new(ReplyCode::START_MAIL_INPUT, &["Go ahead"]).unwrap();
//! framed.send(Reply::new(ReplyCode::SERVICE_READY, &["mx.example ESMTP"]).unwrap().into()).await?;
//! let mut message = Vec::new();
//! while let Some(event) = framed.next().await {
//!     match event? {
//!         ServerEvent::Command(cmd) => match cmd.command() {
//!             Command::Data => framed.send(go.into()).await?, // DATA mode starts here
//!             Command::Quit => {
//!                 framed.send(Reply::new(ReplyCode::SERVICE_CLOSING, &["Bye"]).unwrap().into()).await?;
//!                 break;
//!             }
//!             _ => framed.send(ok.into()).await?,
//!         },
//!         ServerEvent::Body(piece) => message.extend_from_slice(&piece),
//!         ServerEvent::BodyRejected(_) => message.clear(),
//!         ServerEvent::ChunkEnd(_) | ServerEvent::MessageEnd(_) => framed.send(ok.into()).await?,
//!         ServerEvent::Error(err) => framed.send(err.reply().into()).await?,
//!         ServerEvent::Reply(reply) => framed.send(reply.into()).await?,
//!         ServerEvent::Close(reply) => {
//!             framed.send(reply.into()).await?;
//!             break;
//!         }
//!         _ => break,
//!     }
//! }
//! # Ok(()) }
//! ```

mod client;
mod server;

pub use self::client::{ClientCodec, ClientItem, Received};
pub use self::server::{ServerCodec, ServerEvent, ServerReply};

/// The result of a STARTTLS hand-off: the connection for the TLS handshake,
/// the codec to use on top of it, and the plaintext bytes that were
/// buffered past the STARTTLS boundary and **discarded**.
///
/// See [`ServerCodec::tls_handoff`] and [`ClientCodec::tls_handoff`].
///
/// # Examples
///
/// See [`ServerCodec::tls_handoff`].
#[derive(Debug)]
#[must_use = "start TLS on `io`; a non-empty `discarded` is an injection attempt"]
#[non_exhaustive]
pub struct TlsHandoff<T, C> {
    /// The connection, at the first byte of the TLS handshake.
    pub io: T,
    /// The codec, its session started over (RFC 3207 §4.2) with TLS on.
    pub codec: C,
    /// What the peer sent after the STARTTLS boundary in plaintext: dropped,
    /// never decoded.
    pub discarded: bytes::Bytes,
}

/// An [`io::Error`](std::io::Error) of kind `InvalidData` (the peer broke
/// the protocol) or `InvalidInput` (the caller did), wrapping `error`.
fn io_error(
    kind: std::io::ErrorKind,
    error: impl Into<std::boxed::Box<dyn std::error::Error + Send + Sync>>,
) -> std::io::Error {
    std::io::Error::new(kind, error)
}
