//! [`ClientCodec`]: a [`ClientSession`] over a tokio connection.

use std::io;

use bytes::{Buf, Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder, Framed};

use crate::codec::{TlsHandoff, io_error};
use crate::encode::Encode;
use crate::encode::body::{BdatChunk, BdatMessage, DataBody};
use crate::owned::OwnedReply;
use crate::session::{Answered, ClientConfig, ClientEvent, ClientSession};
use crate::types::command::Command;

/// A reply the [`ClientCodec`] decoded, and what it answers.
///
/// # Examples
///
/// ```
/// use bytes::BytesMut;
/// use smtp_wire::codec::ClientCodec;
/// use smtp_wire::session::Answered;
/// use tokio_util::codec::Decoder;
/// let mut codec = ClientCodec::new(Default::default());
/// let received = codec.decode(&mut BytesMut::from(&b"220 mx.example\r\n"[..]))?.unwrap();
/// assert_eq!(received.to, Answered::Greeting);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Received {
    /// What the reply answers.
    pub to: Answered,
    /// The reply, sharing the read buffer.
    pub reply: OwnedReply<Bytes>,
}

/// A [`Decoder`] of server replies (each paired with the command it
/// answers) and an [`Encoder`] of commands and message content, over a
/// [`ClientSession`]: every command is checked against the session (the
/// server's extensions, the sequence, pipelining) before it is written.
///
/// * A malformed reply is an [`io::Error`] of kind
///   [`InvalidData`](io::ErrorKind::InvalidData) whose inner error is the
///   crate's [`Error`](crate::Error); the session cannot go on after it.
/// * A command the session refuses is an [`io::Error`] of kind
///   [`InvalidInput`](io::ErrorKind::InvalidInput) wrapping the
///   [`ClientError`](crate::session::ClientError); nothing is written.
/// * After the `220` to STARTTLS, call [`ClientCodec::tls_handoff`]; reply
///   bytes buffered after it are discarded (CVE-2021-38371).
///
/// # Examples
///
/// ```
/// use bytes::BytesMut;
/// use smtp_wire::address::Host;
/// use smtp_wire::codec::ClientCodec;
/// use smtp_wire::Command;
/// use tokio_util::codec::{Decoder, Encoder};
///
/// let mut codec = ClientCodec::new(Default::default());
/// let mut input = BytesMut::from(&b"220 mx.example\r\n250-mx.example\r\n250 CHUNKING\r\n"[..]);
/// let mut out = BytesMut::new();
/// codec.decode(&mut input)?.unwrap(); // the greeting
/// codec.encode(Command::Ehlo(Host::new("c.example").unwrap()).into(), &mut out)?;
/// let ehlo = codec.decode(&mut input)?.unwrap();
/// assert!(ehlo.reply.ehlo().unwrap().supports("CHUNKING"));
/// assert!(codec.session().uses_bdat());
/// // DATA before MAIL: refused by the session, nothing written.
/// assert!(codec.encode(Command::Data.into(), &mut out).is_err());
/// assert_eq!(out, &b"EHLO c.example\r\n"[..]);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientCodec {
    session: ClientSession,
    config: ClientConfig,
    /// After the 220 to STARTTLS: what arrived since, to be discarded.
    handoff: Option<BytesMut>,
}

impl Default for ClientCodec {
    fn default() -> Self {
        ClientCodec::new(ClientConfig::new())
    }
}

impl ClientCodec {
    /// A codec with a new session, which expects the greeting first.
    ///
    /// # Examples
    ///
    /// ```
    /// let codec = smtp_wire::codec::ClientCodec::new(Default::default());
    /// assert_eq!(codec.session().pending(), 1);
    /// ```
    pub fn new(config: ClientConfig) -> ClientCodec {
        ClientCodec {
            session: ClientSession::new(config),
            config,
            handoff: None,
        }
    }

    /// The session: what the server offers, replies owed, BDAT or DATA.
    ///
    /// # Examples
    ///
    /// ```
    /// let codec = smtp_wire::codec::ClientCodec::default();
    /// assert!(!codec.session().uses_bdat());
    /// ```
    pub fn session(&self) -> &ClientSession {
        &self.session
    }

    /// Ends the plaintext phase after the `220` answering STARTTLS was
    /// decoded: returns the connection for the TLS handshake, this codec
    /// (its session started over: send EHLO again, RFC 3207 §4.2), and the
    /// bytes buffered after the `220`, **discarded** (a non-empty value is
    /// a reply-injection attempt; CVE-2021-38371).
    ///
    /// # Errors
    ///
    /// The `Framed` back, unchanged, when no `220` to a STARTTLS has been
    /// decoded, or unsent bytes remain.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use futures_util::{SinkExt, StreamExt};
    /// use smtp_wire::address::Host;
    /// use smtp_wire::codec::ClientCodec;
    /// use smtp_wire::Command;
    /// use tokio::io::AsyncWriteExt;
    /// use tokio_util::codec::Framed;
    ///
    /// let (client, mut server) = tokio::io::duplex(1024);
    /// server.write_all(b"220 mx.example\r\n250-mx.example\r\n250 STARTTLS\r\n").await?;
    /// let mut framed = Framed::new(client, ClientCodec::default());
    /// framed.next().await.transpose()?; // the greeting
    /// framed.send(Command::Ehlo(Host::new("c.example").unwrap()).into()).await?;
    /// framed.next().await.transpose()?;
    /// framed.send(Command::StartTls.into()).await?;
    /// server.write_all(b"220 go ahead\r\n250 injected\r\n").await?;
    /// let handoff = loop {
    ///     match ClientCodec::tls_handoff(framed) {
    ///         Ok(handoff) => break handoff,
    ///         Err(again) => {
    ///             framed = again;
    ///             framed.next().await.transpose()?;
    ///         }
    ///     }
    /// };
    /// assert_eq!(handoff.discarded, "250 injected\r\n");
    /// # Ok(()) }
    /// ```
    #[allow(clippy::result_large_err)]
    pub fn tls_handoff<T>(
        framed: Framed<T, ClientCodec>,
    ) -> Result<TlsHandoff<T, ClientCodec>, Framed<T, ClientCodec>> {
        if framed.codec().handoff.is_none() || !framed.write_buffer().is_empty() {
            return Err(framed);
        }
        let mut parts = framed.into_parts();
        let mut discarded = parts.codec.handoff.take().unwrap_or_default();
        discarded.extend_from_slice(&parts.read_buf.split());
        Ok(TlsHandoff {
            io: parts.io,
            codec: parts.codec,
            discarded: discarded.freeze(),
        })
    }
}

impl Decoder for ClientCodec {
    type Item = Received;
    type Error = io::Error;

    fn decode(&mut self, buf: &mut BytesMut) -> io::Result<Option<Received>> {
        if self.handoff.is_some() {
            // The plaintext phase is over: keep what arrives for the
            // hand-off's `discarded`, never decode it.
            let rest = buf.split();
            if let Some(held) = &mut self.handoff {
                held.extend_from_slice(&rest);
            }
            return Ok(None);
        }
        let (event, used) = self.session.decode(buf);
        let to = match event {
            None => return Ok(None),
            Some(ClientEvent::Reply { to, .. }) => to,
            Some(ClientEvent::TlsHandoff { reply, .. }) => {
                let reply_len = reply.raw().map_or(0, <[u8]>::len);
                let raw = buf.split_to(reply_len).freeze();
                let discarded = buf.split();
                self.handoff = Some(discarded);
                let reply = OwnedReply::from_bytes(&raw, &self.config.reply_config())
                    .ok()
                    .and_then(|status| status.complete())
                    .map(|(reply, _)| reply);
                return match reply {
                    Some(reply) => Ok(Some(Received {
                        to: Answered::StartTls,
                        reply,
                    })),
                    None => Err(io_error(
                        io::ErrorKind::InvalidData,
                        "unreadable 220 to STARTTLS",
                    )),
                };
            }
            Some(ClientEvent::Malformed(err)) => {
                buf.advance(used.min(buf.len()));
                return Err(io_error(io::ErrorKind::InvalidData, err));
            }
            Some(ClientEvent::Closed) => {
                buf.clear();
                return Ok(None);
            }
        };
        let raw = buf.split_to(used).freeze();
        match OwnedReply::from_bytes(&raw, &self.config.reply_config()) {
            Ok(status) => match status.complete() {
                Some((reply, _)) => Ok(Some(Received { to, reply })),
                None => Err(io_error(io::ErrorKind::InvalidData, "reply vanished")),
            },
            Err(err) => Err(io_error(io::ErrorKind::InvalidData, err)),
        }
    }
}

/// What [`ClientCodec`]'s [`Encoder`] writes: a command or message
/// content. Each type converts into it with `From`, so
/// `framed.send(command.into())` works.
///
/// # Examples
///
/// ```
/// use smtp_wire::body::BdatChunk;
/// use smtp_wire::codec::ClientItem;
/// use smtp_wire::Command;
/// assert!(matches!(ClientItem::from(Command::Rset), ClientItem::Command(_)));
/// assert!(matches!(ClientItem::from(BdatChunk::new(b"hi", true)), ClientItem::Chunk(_)));
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
// Built on the stack and consumed at once by `encode`; boxing the command
// would allocate for every line sent.
#[allow(clippy::large_enum_variant)]
pub enum ClientItem<'a> {
    /// One command line, checked by [`ClientSession::command`] (MAIL and
    /// RCPT parameters may be adapted to the server).
    Command(Command<'a>),
    /// Dot-stuffed DATA content and its terminator; send it after the 354.
    Data(DataBody<'a>),
    /// `BDAT <size> [LAST]` and the chunk.
    Chunk(BdatChunk<'a>),
    /// Every chunk of a message with its `BDAT` line.
    Message(BdatMessage<'a, 'a>),
}

impl<'a> From<Command<'a>> for ClientItem<'a> {
    fn from(command: Command<'a>) -> Self {
        ClientItem::Command(command)
    }
}

impl<'a> From<DataBody<'a>> for ClientItem<'a> {
    fn from(body: DataBody<'a>) -> Self {
        ClientItem::Data(body)
    }
}

impl<'a> From<BdatChunk<'a>> for ClientItem<'a> {
    fn from(chunk: BdatChunk<'a>) -> Self {
        ClientItem::Chunk(chunk)
    }
}

impl<'a> From<BdatMessage<'a, 'a>> for ClientItem<'a> {
    fn from(message: BdatMessage<'a, 'a>) -> Self {
        ClientItem::Message(message)
    }
}

impl Encoder<ClientItem<'_>> for ClientCodec {
    type Error = io::Error;

    fn encode(&mut self, item: ClientItem<'_>, dst: &mut BytesMut) -> io::Result<()> {
        let refused = |err| io_error(io::ErrorKind::InvalidInput, err);
        match item {
            ClientItem::Command(command) => {
                let command = self.session.command(command).map_err(refused)?;
                command.encode_to_buf(dst);
            }
            ClientItem::Data(body) => {
                self.session.content_sent().map_err(refused)?;
                body.encode_to_buf(dst);
            }
            ClientItem::Chunk(chunk) => {
                let chunk = self
                    .session
                    .bdat(chunk.data(), chunk.is_last())
                    .map_err(refused)?;
                chunk.encode_to_buf(dst);
            }
            ClientItem::Message(message) => {
                for chunk in message.chunks() {
                    let chunk = self
                        .session
                        .bdat(chunk.data(), chunk.is_last())
                        .map_err(refused)?;
                    chunk.encode_to_buf(dst);
                }
            }
        }
        Ok(())
    }
}
