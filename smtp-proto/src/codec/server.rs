//! [`ServerCodec`]: a [`ServerSession`] over a tokio connection.

use std::io;

use bytes::{Buf, Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder, Framed};

use crate::codec::{TlsHandoff, io_error};
use crate::encode::Encode;
use crate::owned::{OwnedAuthResponse, OwnedCommand, OwnedReply, offset_in};
use crate::session::ServerEvent as Event;
use crate::session::{ChunkEnd, MessageEnd, ServerConfig, ServerSession};
use crate::types::ehlo::EhloReply;
use crate::types::error::{Error, ErrorKind, ErrorReply};
use crate::types::reply::{Reply, ReplyCode};

/// What a [`ServerCodec`] decoded: a [`ServerEvent`](crate::session::ServerEvent)
/// of the session, with its borrowed parts turned into owned ones that share
/// the read buffer.
///
/// Which events need a reply is the session's table: a command, an AUTH
/// response, a chunk end and a message end need the server's; `Error`,
/// `Reply` and `Close` carry the session's own, to send as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerEvent {
    /// A command to answer.
    Command(OwnedCommand<Bytes>),
    /// The client's answer to a 334 challenge.
    AuthResponse(OwnedAuthResponse<Bytes>),
    /// A BDAT command whose chunk follows as `Body` pieces; answer its
    /// `ChunkEnd` or `MessageEnd`, not this.
    Bdat {
        /// The chunk size in octets.
        size: u64,
        /// The chunk ends the message.
        last: bool,
    },
    /// A piece of message content (dot-stuffing removed).
    Body(Bytes),
    /// The message will be refused with this error at its end: discard what
    /// was stored; no more pieces come.
    BodyRejected(ErrorKind),
    /// A BDAT chunk without LAST was read whole.
    ChunkEnd(ChunkEnd),
    /// The message is complete.
    MessageEnd(MessageEnd),
    /// Input the parser or the DATA decoder rejected: send
    /// [`Error::reply`](crate::Error::reply).
    Error(Error),
    /// The session's own reply: send it.
    Reply(ErrorReply),
    /// The session's own reply: send it and close the connection.
    Close(ErrorReply),
    /// The plaintext phase is over (the `220` to STARTTLS was sent); the
    /// bytes were **discarded**. Prefer [`ServerCodec::tls_handoff`].
    TlsHandoff(Bytes),
    /// The session is over: close the connection.
    Closed,
}

/// A [`Decoder`] of client input and an [`Encoder`] of replies for an SMTP
/// or LMTP server, over a [`ServerSession`]: the session decides what the
/// bytes are; every reply sent through the encoder is reported to it.
///
/// # Examples
///
/// ```
/// use bytes::BytesMut;
/// use smtp_wire::codec::{ServerCodec, ServerEvent};
/// use smtp_wire::reply::{Reply, ReplyCode};
/// use smtp_wire::Command;
/// use tokio_util::codec::{Decoder, Encoder};
///
/// let mut codec = ServerCodec::new(Default::default());
/// let mut output = BytesMut::new();
/// codec.encode(Reply::new(ReplyCode::SERVICE_READY, &["mx.example"]).unwrap().into(), &mut output)?;
/// let mut input = BytesMut::from(&b"EHLO c.example\r\n"[..]);
/// let Some(ServerEvent::Command(cmd)) = codec.decode(&mut input)? else { panic!() };
/// assert_eq!(cmd.command().verb(), "EHLO");
/// codec.encode(Reply::new(ReplyCode::OK, &["mx.example"]).unwrap().into(), &mut output)?;
/// assert_eq!(output, &b"220 mx.example\r\n250 mx.example\r\n"[..]);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ServerCodec {
    session: ServerSession,
}

impl Default for ServerCodec {
    fn default() -> Self {
        ServerCodec::new(ServerConfig::new())
    }
}

impl ServerCodec {
    /// A codec with a new session; send the greeting through it first.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::codec::ServerCodec;
    /// use smtp_wire::session::ServerConfig;
    /// let mut config = ServerConfig::new();
    /// config.max_message_size(32 << 20);
    /// let codec = ServerCodec::new(config);
    /// ```
    pub fn new(config: ServerConfig) -> ServerCodec {
        ServerCodec {
            session: ServerSession::new(config),
        }
    }

    /// The session, for its state (the transaction, TLS, errors).
    ///
    /// # Examples
    ///
    /// ```
    /// let codec = smtp_wire::codec::ServerCodec::new(Default::default());
    /// assert!(!codec.session().transaction().is_open());
    /// ```
    pub fn session(&self) -> &ServerSession {
        &self.session
    }

    /// Ends the plaintext phase after the `220` to STARTTLS went out through
    /// this codec (and was flushed): returns the connection for the TLS
    /// handshake, this codec (its session started over, TLS on) and the
    /// bytes buffered after the STARTTLS line, **discarded** (CVE-2011-0411).
    ///
    /// # Errors
    ///
    /// The `Framed` back, unchanged, when no `220` answered a STARTTLS, or
    /// the write buffer still holds unsent bytes (flush first).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use futures_util::{SinkExt, StreamExt};
    /// use smtp_wire::codec::{ServerCodec, ServerEvent};
    /// use smtp_wire::ehlo::{Extension, Extensions};
    /// use smtp_wire::reply::{Reply, ReplyCode};
    /// use smtp_wire::session::ServerConfig;
    /// use smtp_wire::Command;
    /// use tokio::io::AsyncWriteExt;
    /// use tokio_util::codec::Framed;
    ///
    /// let mut config = ServerConfig::new();
    /// config.extensions(Extensions::new().with(Extension::StartTls));
    /// let (mut client, server) = tokio::io::duplex(1024);
    /// let mut framed = Framed::new(server, ServerCodec::new(config));
    /// framed.send(Reply::new(ReplyCode::SERVICE_READY, &["mx.example"]).unwrap().into()).await?;
    /// client.write_all(b"EHLO c.example\r\n").await?;
    /// framed.next().await.transpose()?;
    /// framed.send(Reply::new(ReplyCode::OK, &["mx.example"]).unwrap().into()).await?;
    /// client.write_all(b"STARTTLS\r\n").await?;
    /// let Some(ServerEvent::Command(cmd)) = framed.next().await.transpose()? else { panic!() };
    /// assert_eq!(cmd.command(), Command::StartTls);
    /// framed.send(Reply::new(ReplyCode::SERVICE_READY, &["Go ahead"]).unwrap().into()).await?;
    /// let handoff = ServerCodec::tls_handoff(framed).expect("220 was sent");
    /// assert!(handoff.discarded.is_empty()); // nothing was injected
    /// // let tls = acceptor.accept(handoff.io).await?;
    /// // let framed = Framed::new(tls, handoff.codec);
    /// assert!(handoff.codec.session().is_tls());
    /// # Ok(()) }
    /// ```
    #[allow(clippy::result_large_err)]
    pub fn tls_handoff<T>(
        framed: Framed<T, ServerCodec>,
    ) -> Result<TlsHandoff<T, ServerCodec>, Framed<T, ServerCodec>> {
        let mut probe = framed.codec().session.clone();
        let ready = matches!(probe.decode(b""), (Some(Event::TlsHandoff(_)), _));
        if !ready || !framed.write_buffer().is_empty() {
            return Err(framed);
        }
        let mut parts = framed.into_parts();
        let discarded = parts.read_buf.split().freeze();
        // Moves the session past the hand-off: started over, TLS on.
        let _ = parts.codec.session.decode(&discarded);
        Ok(TlsHandoff {
            io: parts.io,
            codec: parts.codec,
            discarded,
        })
    }
}

impl Decoder for ServerCodec {
    type Item = ServerEvent;
    type Error = io::Error;

    fn decode(&mut self, buf: &mut BytesMut) -> io::Result<Option<ServerEvent>> {
        let (event, used) = self.session.decode(buf);
        let Some(event) = event else {
            buf.advance(used);
            return Ok(None);
        };
        let event = match event {
            Event::Command(_) => {
                // The command line is the last thing consumed: it starts
                // after the LF before its own (a discarded line tail may
                // come first).
                let start = line_start(&buf[..used]);
                buf.advance(start);
                let line = buf.split_to(used - start).freeze();
                let config = *self.session.config().command_config();
                return Ok(Some(ServerEvent::Command(OwnedCommand::from_parsed_line(
                    line, config,
                ))));
            }
            Event::AuthResponse(_) => {
                let start = line_start(&buf[..used]);
                buf.advance(start);
                let line = buf.split_to(used - start).freeze();
                let config = *self.session.config().command_config();
                return Ok(Some(ServerEvent::AuthResponse(
                    OwnedAuthResponse::from_parsed_line(line, config),
                )));
            }
            Event::Body(piece) => {
                // A slice of `buf[..used]`, after a stuffed dot or not.
                let start = offset_in(buf, piece).unwrap_or(0);
                let end = start + piece.len();
                let consumed = buf.split_to(used).freeze();
                return Ok(Some(ServerEvent::Body(consumed.slice(start..end))));
            }
            Event::TlsHandoff(_) => ServerEvent::TlsHandoff(buf.split_to(used).freeze()),
            Event::Bdat { size, last } => ServerEvent::Bdat { size, last },
            Event::Error(error) => ServerEvent::Error(error),
            Event::BodyRejected(kind) => ServerEvent::BodyRejected(kind),
            Event::ChunkEnd(end) => ServerEvent::ChunkEnd(end),
            Event::MessageEnd(end) => ServerEvent::MessageEnd(end),
            Event::Reply(reply) => ServerEvent::Reply(reply),
            Event::Close(reply) => ServerEvent::Close(reply),
            Event::Closed => {
                buf.clear();
                return Ok(Some(ServerEvent::Closed));
            }
            Event::ReplyOwed => {
                return Err(io_error(
                    io::ErrorKind::InvalidInput,
                    "a decoded item was not answered: send its reply through the codec before decoding more",
                ));
            }
        };
        buf.advance(used);
        Ok(Some(event))
    }
}

/// Where the last line of `consumed` starts: after the LF before its own.
fn line_start(consumed: &[u8]) -> usize {
    let body = consumed.len().saturating_sub(1);
    memchr::memrchr(b'\n', &consumed[..body]).map_or(0, |lf| lf + 1)
}

/// A reply for [`ServerCodec`]'s [`Encoder`]: any of the crate's reply types.
///
/// `Framed` needs one item type to infer `flush` and `close`, so the codec
/// encodes this enum; every reply type converts into it with `From`, so
/// `framed.send(reply.into())` works.
///
/// # Examples
///
/// ```
/// use bytes::BytesMut;
/// use smtp_wire::codec::{ServerCodec, ServerReply};
/// use smtp_wire::ErrorKind;
/// use tokio_util::codec::Encoder;
/// let mut out = BytesMut::new();
/// ServerCodec::default().encode(ServerReply::from(ErrorKind::LineTooLong.reply()), &mut out)?;
/// assert_eq!(out, &b"500 5.5.2 Line too long\r\n"[..]);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum ServerReply<'a> {
    /// A reply built with [`Reply::new`] or parsed.
    Reply(Reply<'a>),
    /// An EHLO reply (always `250`).
    Ehlo(EhloReply<'a>),
    /// A fixed reply: the session's own, or [`Error::reply`](crate::Error::reply).
    Error(ErrorReply),
    /// An owned, parsed reply (a proxy passing on an upstream reply).
    Owned(&'a OwnedReply<Bytes>),
}

impl ServerReply<'_> {
    /// The reply code.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::codec::ServerReply;
    /// let reply = ServerReply::from(smtp_wire::ErrorKind::BareLf.reply());
    /// assert_eq!(reply.code().get(), 500);
    /// ```
    pub fn code(&self) -> ReplyCode {
        match self {
            ServerReply::Reply(reply) => reply.code(),
            ServerReply::Ehlo(_) => ReplyCode::OK,
            ServerReply::Error(reply) => reply.code(),
            ServerReply::Owned(reply) => reply.reply().code(),
        }
    }
}

impl<'a> From<Reply<'a>> for ServerReply<'a> {
    fn from(reply: Reply<'a>) -> Self {
        ServerReply::Reply(reply)
    }
}

impl<'a> From<&Reply<'a>> for ServerReply<'a> {
    fn from(reply: &Reply<'a>) -> Self {
        ServerReply::Reply(*reply)
    }
}

impl<'a> From<EhloReply<'a>> for ServerReply<'a> {
    fn from(reply: EhloReply<'a>) -> Self {
        ServerReply::Ehlo(reply)
    }
}

impl From<ErrorReply> for ServerReply<'_> {
    fn from(reply: ErrorReply) -> Self {
        ServerReply::Error(reply)
    }
}

impl<'a> From<&'a OwnedReply<Bytes>> for ServerReply<'a> {
    fn from(reply: &'a OwnedReply<Bytes>) -> Self {
        ServerReply::Owned(reply)
    }
}

impl Encoder<ServerReply<'_>> for ServerCodec {
    type Error = io::Error;

    /// Writes the reply and reports it to the session
    /// ([`ServerSession::reply_sent`]).
    fn encode(&mut self, reply: ServerReply<'_>, dst: &mut BytesMut) -> io::Result<()> {
        match reply {
            ServerReply::Reply(reply) => reply.encode_to_buf(dst),
            ServerReply::Ehlo(reply) => reply.encode_to_buf(dst),
            ServerReply::Error(reply) => reply.encode_to_buf(dst),
            ServerReply::Owned(reply) => reply.encode_to_buf(dst),
        }
        self.session.reply_sent(reply.code());
        Ok(())
    }
}
