//! [`tokio_util::codec`] implementations (the `tokio` feature): a
//! [`ServerCodec`] that turns a client's bytes into [`ServerEvent`]s and
//! encodes replies, and a [`ClientCodec`] that decodes replies and encodes
//! commands and message content.
//!
//! Both are thin state machines over the crate's sans-IO parsers; every value
//! they hand out shares the read buffer ([`Bytes`], [`OwnedCommand`],
//! [`OwnedReply`]) instead of copying it.
//!
//! # The server codec in one picture
//!
//! ```text
//!            ┌──── BDAT n ────► chunk (n octets, in pieces) ──► BodyEnd::Chunk ─┐
//! commands ──┼──── DATA ──► (waits for the reply) ── 354 ──► content ──► BodyEnd::Data ─┤
//!            ├──── AUTH ──► (waits) ── 334 ──► one AUTH response line ──► (waits) ──┤
//!            ├──── STARTTLS ──► (waits) ── 220 ──► TlsHandoff: plaintext is over    │
//!            └────────────────────────────── ◄──────────────────────────────────────┘
//! ```
//!
//! * **The server decides** when DATA content starts: only when it sends
//!   `354` through the codec for a decoded `DATA`. BDAT frames itself: the
//!   chunk follows its command at once (RFC 3030 §2), so the codec reads it
//!   without waiting.
//! * After `DATA`, `AUTH` and `STARTTLS` the meaning of the next bytes depends
//!   on the server's reply, so the codec decodes nothing more until that
//!   reply has gone out through it. A client must wait there (RFC 2920 §3.1,
//!   RFC 3207 §4.2); one that sends more than a command line's worth of bytes
//!   meanwhile gets an [`io::Error`] of kind [`InvalidData`](io::ErrorKind::InvalidData).
//! * Replies are counted: with PIPELINING a server may answer `MAIL` and
//!   `RCPT` after it has decoded `DATA`; the codec switches modes on the reply
//!   that answers the `DATA` itself. Send every reply through the codec (or
//!   tell it with [`ServerCodec::reply_sent`]).
//!
//! # Bounded buffering
//!
//! The codec never asks for more bytes than one item needs, so a client
//! cannot make it hold more than:
//!
//! * in command mode, less than the longest command line
//!   ([`CommandConfig::max_line_len`], or
//!   [`max_auth_line_len`](CommandConfig::max_auth_line_len) for a line that
//!   starts with `AUTH `). A longer line is reported as soon as the limit is
//!   passed ([`ErrorKind::LineTooLong`](crate::ErrorKind::LineTooLong)) and its
//!   tail is discarded as it arrives, never buffered, never parsed; an
//!   AUTH response line is bounded by `max_auth_line_len` the same way;
//! * while waiting for the reply to `DATA`, `AUTH` or `STARTTLS`, less than
//!   `max_line_len`: more is an error (the client is out of sync);
//! * in DATA mode, two bytes (`.` and `.\r` at the start of a line, or a
//!   lone CR): everything else is handed out at once, in pieces of at most
//!   [`max_body_piece`](ServerCodec::max_body_piece) bytes;
//! * in BDAT mode, nothing: chunk octets are handed out as they arrive, in
//!   pieces of at most `max_body_piece` bytes, whatever the chunk size.
//!
//! (The `BytesMut` that `Framed` reads into keeps its own capacity, at least
//! 8 KiB; these bounds are on what the codec leaves in it.)
//!
//! # STARTTLS (CVE-2011-0411)
//!
//! Bytes that arrive after the `STARTTLS` line and before the TLS handshake
//! are plaintext that anyone on the path may have injected; they must never
//! be read as commands of the TLS session (RFC 3207 §4.2; CVE-2011-0411). Once the
//! server has sent `220` through the codec in answer to `STARTTLS`:
//!
//! * **call [`ServerCodec::tls_handoff`]** on the `Framed`: it gives back the
//!   connection, a fresh codec for the TLS session, and the plaintext bytes
//!   it **discarded** (non-empty means an injection attempt, or a broken
//!   client);
//! * or, if the server polls the stream again instead, the next item is
//!   [`ServerEvent::TlsHandoff`] with the discarded bytes, and every poll
//!   after it is an error. The bytes are never decoded either way.
//!
//! The [`ClientCodec`] does the same for the reply side (CVE-2021-38371):
//! bytes after the `220` to its `STARTTLS` are discarded by
//! [`ClientCodec::tls_handoff`], never decoded as replies.
//!
//! # Example: a server loop
//!
//! ```no_run
//! use futures_util::{SinkExt, StreamExt};
//! use smtp_wire::codec::{ServerCodec, ServerEvent};
//! use smtp_wire::{Command, Reply};
//! use smtp_wire::reply::ReplyCode;
//! use tokio_util::codec::Framed;
//!
//! # async fn serve(stream: tokio::net::TcpStream) -> std::io::Result<()> {
//! let mut framed = Framed::new(stream, ServerCodec::new());
//! let ok = Reply::new(ReplyCode::OK, &["OK"]).unwrap();
//! let go = Reply::new(ReplyCode::START_MAIL_INPUT, &["Go ahead"]).unwrap();
//! framed.send(Reply::new(ReplyCode::SERVICE_READY, &["mx.example ESMTP"]).unwrap().into()).await?;
//! let mut message = Vec::new();
//! while let Some(event) = framed.next().await {
//!     match event? {
//!         ServerEvent::Command(cmd) => match cmd.command() {
//!             Command::Data => framed.send(go.into()).await?, // DATA mode starts here
//!             Command::Quit => break,
//!             Command::Bdat { .. } => {}               // the reply comes after the chunk
//!             _ => framed.send(ok.into()).await?,
//!         },
//!         ServerEvent::Body(piece) => message.extend_from_slice(&piece),
//!         ServerEvent::BodyEnd(_) => framed.send(ok.into()).await?,
//!         ServerEvent::Error(err) => framed.send(err.reply().into()).await?,
//!         _ => break,
//!     }
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::io;

use bytes::{Buf, Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder, Framed};

use crate::decode::{BdatDecoder, DataConfig, DataDecoder, DataEnd, DataEvent};
use crate::encode::Encode;
use crate::encode::body::{BdatChunk, BdatMessage, DataBody};
use crate::owned::{OwnedAuthResponse, OwnedCommand, OwnedReply};
use crate::parse::command::CommandConfig;
use crate::parse::line::skip_line;
use crate::parse::reply::ReplyConfig;
use crate::types::command::Command;
use crate::types::ehlo::EhloReply;
use crate::types::error::{Error, ErrorReply};
use crate::types::reply::{Reply, ReplyCode};
use crate::types::status::Status;

/// The default and smallest piece size for message content.
const DEFAULT_BODY_PIECE: usize = 64 * 1024;
const MIN_BODY_PIECE: usize = 64;

/// What a [`ServerCodec`] decoded from the client.
///
/// Every variant except [`Body`](ServerEvent::Body) and
/// [`TlsHandoff`](ServerEvent::TlsHandoff) asks for exactly one reply; a
/// `BDAT` command's reply comes after its [`BodyEnd`](ServerEvent::BodyEnd).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerEvent {
    /// A command line. For `BDAT` the chunk's octets follow as
    /// [`Body`](ServerEvent::Body) pieces and a [`BodyEnd`](ServerEvent::BodyEnd),
    /// and the reply is due after those. For `DATA`, `AUTH` and `STARTTLS`
    /// the codec waits for the server's reply before it decodes anything
    /// more.
    Command(OwnedCommand),
    /// The client's answer to a `334` challenge (RFC 4954 §4).
    AuthResponse(OwnedAuthResponse),
    /// A piece of message content, sharing the read buffer: DATA content
    /// with dot-stuffing removed, or BDAT chunk octets. The message is the
    /// concatenation of the pieces; their boundaries mean nothing.
    Body(Bytes),
    /// The end of DATA content or of one BDAT chunk.
    BodyEnd(BodyEnd),
    /// A protocol error: send [`Error::reply`] and go on. In DATA mode it
    /// takes the place of [`BodyEnd`](ServerEvent::BodyEnd) (the content
    /// broke a [`DataConfig`] rule; the message must be refused), and the
    /// codec is back in command mode.
    Error(Error),
    /// The plaintext phase is over: the server sent `220` to `STARTTLS`.
    /// The bytes are what the client sent after the `STARTTLS` line, which
    /// were **discarded** (CVE-2011-0411); start the TLS handshake now,
    /// ideally through [`ServerCodec::tls_handoff`]. The codec refuses to
    /// decode anything more.
    TlsHandoff(Bytes),
}

/// The end of a message body; see [`ServerEvent::BodyEnd`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyEnd {
    /// `<CRLF>.<CRLF>` ended DATA content; its size and content issues.
    Data(DataEnd),
    /// A BDAT chunk is complete; `last` when it was `BDAT n LAST`.
    Chunk {
        /// The chunk was the last of its message.
        last: bool,
    },
}

/// What a [`ServerCodec`] will do with the next bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServerMode {
    /// Decode command lines.
    Commands,
    /// Wait for the reply to `DATA`, `AUTH` or `STARTTLS` (or for replies
    /// still owed before it); decode nothing.
    AwaitingReply,
    /// Decode one AUTH response line.
    AuthResponse,
    /// Decode DATA content.
    Data,
    /// Hand out BDAT chunk octets.
    Bdat,
    /// `220` was sent to `STARTTLS`: decode nothing, discard what is buffered.
    TlsHandoff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Awaiting {
    Data,
    Auth,
    StartTls,
}

#[derive(Debug, Clone)]
enum ServerState {
    Commands,
    /// Waiting for the reply to a command; `ahead` replies are owed before it.
    Await {
        on: Awaiting,
        ahead: usize,
    },
    AuthResponse,
    Data(DataDecoder),
    Bdat {
        chunk: BdatDecoder,
        last: bool,
    },
    TlsHandoff,
    /// [`ServerEvent::TlsHandoff`] was returned; the plaintext stream is over.
    TlsDone,
}

/// A [`Decoder`] of client input and an [`Encoder`] of replies for an SMTP
/// (or LMTP) server; see the [module documentation](self) for its modes,
/// its bounds and STARTTLS.
///
/// # Examples
///
/// ```
/// use bytes::BytesMut;
/// use smtp_wire::codec::{BodyEnd, ServerCodec, ServerEvent};
/// use smtp_wire::{Command, Reply};
/// use smtp_wire::reply::ReplyCode;
/// use tokio_util::codec::{Decoder, Encoder};
///
/// let mut codec = ServerCodec::new();
/// let mut input = BytesMut::from(&b"DATA\r\nHi\r\n.\r\nQUIT\r\n"[..]);
/// let mut output = BytesMut::new();
///
/// let Some(ServerEvent::Command(cmd)) = codec.decode(&mut input)? else { panic!() };
/// assert_eq!(cmd.command(), Command::Data);
/// // Nothing is decoded until the server answers DATA.
/// assert_eq!(codec.decode(&mut input)?, None);
/// codec.encode(Reply::new(ReplyCode::START_MAIL_INPUT, &["Go ahead"]).unwrap().into(), &mut output)?;
///
/// assert_eq!(codec.decode(&mut input)?, Some(ServerEvent::Body("Hi\r\n".into())));
/// let Some(ServerEvent::BodyEnd(BodyEnd::Data(end))) = codec.decode(&mut input)? else { panic!() };
/// assert_eq!(end.size(), 4);
/// let Some(ServerEvent::Command(quit)) = codec.decode(&mut input)? else { panic!() };
/// assert_eq!(quit.command(), Command::Quit);
/// assert_eq!(output, &b"354 Go ahead\r\n"[..]);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ServerCodec {
    commands: CommandConfig,
    data: DataConfig,
    max_body_piece: usize,
    state: ServerState,
    /// Replies owed for what was decoded.
    owed: usize,
    /// Discarding the tail of an over-long line.
    resync: bool,
}

impl Default for ServerCodec {
    fn default() -> Self {
        ServerCodec::new()
    }
}

impl ServerCodec {
    /// A codec with the default [`CommandConfig`] and [`DataConfig`], and
    /// 64 KiB body pieces.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::codec::{ServerCodec, ServerMode};
    /// assert_eq!(ServerCodec::new().mode(), ServerMode::Commands);
    /// ```
    pub fn new() -> ServerCodec {
        ServerCodec::with_config(CommandConfig::new(), DataConfig::new())
    }

    /// A codec with the given command and DATA options.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::codec::ServerCodec;
    /// use smtp_wire::{CommandConfig, DataConfig};
    /// let mut commands = CommandConfig::new();
    /// commands.max_line_len(1036);
    /// let mut data = DataConfig::new();
    /// data.max_message_size(Some(10 << 20));
    /// let codec = ServerCodec::with_config(commands, data);
    /// ```
    pub fn with_config(commands: CommandConfig, data: DataConfig) -> ServerCodec {
        ServerCodec {
            commands,
            data,
            max_body_piece: DEFAULT_BODY_PIECE,
            state: ServerState::Commands,
            owed: 0,
            resync: false,
        }
    }

    /// The largest [`ServerEvent::Body`] piece, in bytes (at least 64).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut codec = smtp_wire::codec::ServerCodec::new();
    /// codec.max_body_piece(16 * 1024);
    /// ```
    pub fn max_body_piece(&mut self, len: usize) -> &mut Self {
        self.max_body_piece = len.max(MIN_BODY_PIECE);
        self
    }

    /// What the codec will do with the next bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use smtp_wire::codec::{ServerCodec, ServerMode};
    /// use tokio_util::codec::Decoder;
    /// let mut codec = ServerCodec::new();
    /// codec.decode(&mut BytesMut::from(&b"BDAT 3\r\n"[..]))?;
    /// assert_eq!(codec.mode(), ServerMode::Bdat);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn mode(&self) -> ServerMode {
        match self.state {
            ServerState::Commands => ServerMode::Commands,
            ServerState::Await { .. } => ServerMode::AwaitingReply,
            ServerState::AuthResponse => ServerMode::AuthResponse,
            ServerState::Data(_) => ServerMode::Data,
            ServerState::Bdat { .. } => ServerMode::Bdat,
            ServerState::TlsHandoff | ServerState::TlsDone => ServerMode::TlsHandoff,
        }
    }

    /// Tells the codec that a reply with `code` was sent; the [`Encoder`]
    /// impls call it. Call it yourself only for replies written around the
    /// codec. A `354` answering `DATA` starts DATA mode, a `334` answering
    /// `AUTH` (or an AUTH response) reads the next line as an AUTH response,
    /// a `220` answering `STARTTLS` ends the plaintext phase; any other
    /// reply to those goes back to command mode.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use smtp_wire::codec::{ServerCodec, ServerMode};
    /// use smtp_wire::reply::ReplyCode;
    /// use tokio_util::codec::Decoder;
    /// let mut codec = ServerCodec::new();
    /// codec.decode(&mut BytesMut::from(&b"DATA\r\n"[..]))?;
    /// assert_eq!(codec.mode(), ServerMode::AwaitingReply);
    /// codec.reply_sent(ReplyCode::START_MAIL_INPUT);
    /// assert_eq!(codec.mode(), ServerMode::Data);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn reply_sent(&mut self, code: ReplyCode) {
        self.owed = self.owed.saturating_sub(1);
        let ServerState::Await { on, ahead } = &mut self.state else {
            return;
        };
        if *ahead > 0 {
            *ahead -= 1;
            return;
        }
        self.state = match (*on, code.get()) {
            (Awaiting::Data, 354) => ServerState::Data(self.data.decoder()),
            (Awaiting::Auth, 334) => ServerState::AuthResponse,
            (Awaiting::StartTls, 220) => ServerState::TlsHandoff,
            _ => ServerState::Commands,
        };
    }

    /// Ends the plaintext phase after the server has sent `220` to
    /// `STARTTLS` through this codec (and flushed it): takes the `Framed`
    /// apart and returns the connection for the TLS handshake, a fresh codec
    /// for the TLS session, and the bytes that were buffered after the
    /// `STARTTLS` line, which are **discarded**, never decoded
    /// (CVE-2011-0411). Non-empty `discarded` means the client (or someone
    /// on the path) sent data it should not have; log it, or close.
    ///
    /// # Errors
    ///
    /// The `Framed` back, unchanged, when no `220` answered a `STARTTLS`
    /// through this codec, or the write buffer still holds unsent bytes
    /// (flush first: the `220` must reach the client in plaintext).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use futures_util::{SinkExt, StreamExt};
    /// use smtp_wire::codec::{ServerCodec, ServerEvent};
    /// use smtp_wire::{Command, Reply};
    /// use smtp_wire::reply::ReplyCode;
    /// use tokio::io::AsyncWriteExt;
    /// use tokio_util::codec::Framed;
    ///
    /// let (mut client, server) = tokio::io::duplex(1024);
    /// // An attacker appends a command to the client's STARTTLS.
    /// client.write_all(b"STARTTLS\r\nMAIL FROM:<evil@example>\r\n").await?;
    ///
    /// let mut framed = Framed::new(server, ServerCodec::new());
    /// let Some(ServerEvent::Command(cmd)) = framed.next().await.transpose()? else { panic!() };
    /// assert_eq!(cmd.command(), Command::StartTls);
    /// framed.send(Reply::new(ReplyCode::SERVICE_READY, &["Ready to start TLS"]).unwrap().into()).await?;
    ///
    /// let handoff = ServerCodec::tls_handoff(framed).expect("220 was sent");
    /// assert_eq!(handoff.discarded, "MAIL FROM:<evil@example>\r\n");
    /// // let tls = acceptor.accept(handoff.io).await?;
    /// // let framed = Framed::new(tls, handoff.codec);
    /// # Ok(()) }
    /// ```
    #[allow(clippy::result_large_err)]
    pub fn tls_handoff<T>(
        framed: Framed<T, ServerCodec>,
    ) -> Result<TlsHandoff<T, ServerCodec>, Framed<T, ServerCodec>> {
        let ready = matches!(
            framed.codec().state,
            ServerState::TlsHandoff | ServerState::TlsDone
        );
        if !ready || !framed.write_buffer().is_empty() {
            return Err(framed);
        }
        let mut parts = framed.into_parts();
        let discarded = parts.read_buf.split().freeze();
        let mut codec = ServerCodec::with_config(parts.codec.commands, parts.codec.data);
        codec.max_body_piece = parts.codec.max_body_piece;
        Ok(TlsHandoff {
            io: parts.io,
            codec,
            discarded,
        })
    }

    /// The client sent bytes while it should have waited for a reply.
    fn check_waiting(&self, buf: &BytesMut) -> io::Result<Option<ServerEvent>> {
        if buf.len() < self.commands.line_limit() {
            return Ok(None);
        }
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            SyncError {
                buffered: buf.len(),
            },
        ))
    }

    fn decode_command(&mut self, buf: &mut BytesMut) -> Option<ServerEvent> {
        if self.resync {
            match skip_line(buf) {
                Status::Complete(n) => {
                    buf.advance(n);
                    self.resync = false;
                }
                Status::Partial => {
                    // The tail of an over-long line: dropped as it comes.
                    buf.clear();
                    return None;
                }
            }
        }
        let (next, used) = match self.commands.parse(buf) {
            Ok(Status::Partial) => return None,
            Err(err) => return Some(self.error(buf, err, ServerState::Commands)),
            Ok(Status::Complete((command, used))) => {
                let ahead = self.owed;
                let next = match command {
                    Command::Bdat { size, last } => ServerState::Bdat {
                        chunk: BdatDecoder::new(size),
                        last,
                    },
                    Command::Data => ServerState::Await {
                        on: Awaiting::Data,
                        ahead,
                    },
                    Command::Auth(_) => ServerState::Await {
                        on: Awaiting::Auth,
                        ahead,
                    },
                    Command::StartTls => ServerState::Await {
                        on: Awaiting::StartTls,
                        ahead,
                    },
                    _ => ServerState::Commands,
                };
                // BDAT is answered after its chunk, at `BodyEnd`.
                if !matches!(command, Command::Bdat { .. }) {
                    self.owed += 1;
                }
                (next, used)
            }
        };
        self.state = next;
        let line = buf.split_to(used).freeze();
        Some(ServerEvent::Command(OwnedCommand::from_parsed_line(
            line,
            self.commands,
        )))
    }

    /// Skips what `err` covers, arranges to resync, and reports it.
    fn error(&mut self, buf: &mut BytesMut, err: Error, next: ServerState) -> ServerEvent {
        buf.advance(err.skip().min(buf.len()));
        self.resync = err.needs_resync();
        self.owed += 1;
        self.state = next;
        ServerEvent::Error(err)
    }
}

impl Decoder for ServerCodec {
    type Item = ServerEvent;
    type Error = io::Error;

    fn decode(&mut self, buf: &mut BytesMut) -> io::Result<Option<ServerEvent>> {
        match &mut self.state {
            ServerState::Commands => Ok(self.decode_command(buf)),
            ServerState::Await { .. } => self.check_waiting(buf),
            ServerState::AuthResponse => {
                let used = match self.commands.parse_auth_response(buf) {
                    Ok(Status::Partial) => return Ok(None),
                    Err(err) => return Ok(Some(self.error(buf, err, ServerState::Commands))),
                    Ok(Status::Complete((_, used))) => used,
                };
                self.state = ServerState::Await {
                    on: Awaiting::Auth,
                    ahead: self.owed,
                };
                self.owed += 1;
                let line = buf.split_to(used).freeze();
                Ok(Some(ServerEvent::AuthResponse(
                    OwnedAuthResponse::from_parsed_line(line, self.commands),
                )))
            }
            ServerState::Data(decoder) => {
                let window = buf.len().min(self.max_body_piece);
                let (range, used) = match decoder.decode(&buf[..window]) {
                    Ok(Status::Partial) => return Ok(None),
                    Err(err) => return Ok(Some(self.error(buf, err, ServerState::Commands))),
                    Ok(Status::Complete((DataEvent::End(end), used))) => {
                        buf.advance(used);
                        self.owed += 1;
                        self.state = ServerState::Commands;
                        return Ok(Some(ServerEvent::BodyEnd(BodyEnd::Data(end))));
                    }
                    Ok(Status::Complete((DataEvent::Payload(data), used))) => {
                        // The payload is a slice of `buf[..used]`, after a
                        // stuffed dot or not.
                        let start = crate::owned::offset_in(buf, data).unwrap_or(0);
                        (start..start + data.len(), used)
                    }
                };
                let consumed = buf.split_to(used).freeze();
                Ok(Some(ServerEvent::Body(consumed.slice(range))))
            }
            ServerState::Bdat { chunk, last } => {
                if chunk.is_done() {
                    let last = *last;
                    self.owed += 1;
                    self.state = ServerState::Commands;
                    return Ok(Some(ServerEvent::BodyEnd(BodyEnd::Chunk { last })));
                }
                if buf.is_empty() {
                    return Ok(None);
                }
                let window = buf.len().min(self.max_body_piece);
                let (_, used) = chunk.decode(&buf[..window]);
                Ok(Some(ServerEvent::Body(buf.split_to(used).freeze())))
            }
            ServerState::TlsHandoff => {
                self.state = ServerState::TlsDone;
                Ok(Some(ServerEvent::TlsHandoff(buf.split().freeze())))
            }
            ServerState::TlsDone => {
                buf.clear();
                Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the plaintext phase ended with STARTTLS: read on with a new codec after the TLS handshake",
                ))
            }
        }
    }
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
/// ServerCodec::new().encode(ServerReply::from(ErrorKind::LineTooLong.reply()), &mut out)?;
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
    /// The reply for a protocol error, [`Error::reply`].
    Error(ErrorReply),
    /// An owned, parsed reply (a proxy passing on an upstream reply).
    Owned(&'a OwnedReply),
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
            ServerReply::Ehlo(_) => ReplyCode::known(250),
            ServerReply::Error(reply) => reply.code,
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

impl<'a> From<&'a OwnedReply> for ServerReply<'a> {
    fn from(reply: &'a OwnedReply) -> Self {
        ServerReply::Owned(reply)
    }
}

impl Encoder<ServerReply<'_>> for ServerCodec {
    type Error = io::Error;

    /// Writes the reply and lets the codec switch modes on it (see
    /// [`ServerCodec::reply_sent`]).
    fn encode(&mut self, reply: ServerReply<'_>, dst: &mut BytesMut) -> io::Result<()> {
        match reply {
            ServerReply::Reply(reply) => reply.encode_to_buf(dst),
            ServerReply::Ehlo(reply) => reply.encode_to_buf(dst),
            ServerReply::Error(reply) => reply.encode_to_buf(dst),
            ServerReply::Owned(reply) => reply.encode_to_buf(dst),
        }
        self.reply_sent(reply.code());
        Ok(())
    }
}

/// The result of a STARTTLS hand-off: the connection for the TLS handshake,
/// a fresh codec for the session on top of it, and the plaintext bytes that
/// were buffered past the STARTTLS boundary and **discarded**.
///
/// See [`ServerCodec::tls_handoff`] and [`ClientCodec::tls_handoff`].
#[derive(Debug)]
#[must_use = "start TLS on `io`; a non-empty `discarded` is an injection attempt"]
#[non_exhaustive]
pub struct TlsHandoff<T, C> {
    /// The connection, at the first byte of the TLS handshake.
    pub io: T,
    /// A codec in its initial state (RFC 3207 §4.2: the session starts
    /// over), with the same configuration.
    pub codec: C,
    /// What the peer sent after the STARTTLS boundary in plaintext: dropped,
    /// never decoded.
    pub discarded: Bytes,
}

/// Bytes arrived while the codec waited for the server's reply.
#[derive(Debug)]
struct SyncError {
    buffered: usize,
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SMTP protocol synchronization error: the client sent {} bytes without waiting for the reply to DATA, AUTH or STARTTLS",
            self.buffered
        )
    }
}

impl std::error::Error for SyncError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientState {
    Replies,
    /// `STARTTLS` was sent; `ahead` replies are owed before its reply.
    AwaitStartTls {
        ahead: usize,
    },
    TlsHandoff,
}

/// A [`Decoder`] of server replies and an [`Encoder`] of commands and
/// message content for an SMTP client.
///
/// * Decodes whole (multi-line) replies as [`OwnedReply`]; EHLO capabilities
///   through [`OwnedReply::ehlo`]. A malformed reply is an [`io::Error`] of
///   kind [`InvalidData`](io::ErrorKind::InvalidData) whose inner error is
///   the crate's [`Error`]; a session cannot go on after one. Buffering is
///   bounded by the [`ReplyConfig`] (lines × line length).
/// * Encodes [`Command`]s, [`DataBody`] (dot-stuffed content and its
///   terminator, sent after the `354`), [`BdatChunk`] and [`BdatMessage`].
/// * STARTTLS: once the `220` answering this codec's `STARTTLS` is decoded,
///   call [`ClientCodec::tls_handoff`]; reply bytes buffered after the `220`
///   are discarded (CVE-2021-38371), and decoding further is an error.
///
/// The codec expects the server's greeting as the first reply.
///
/// # Examples
///
/// ```
/// use bytes::BytesMut;
/// use smtp_wire::codec::ClientCodec;
/// use smtp_wire::Command;
/// use smtp_wire::body::DataBody;
/// use tokio_util::codec::{Decoder, Encoder};
///
/// let mut codec = ClientCodec::new();
/// let mut input = BytesMut::from(&b"220 mx.example\r\n250-mx.example\r\n250 CHUNKING\r\n"[..]);
/// let greeting = codec.decode(&mut input)?.unwrap();
/// assert_eq!(greeting.reply().code().get(), 220);
/// let ehlo = codec.decode(&mut input)?.unwrap();
/// assert!(ehlo.ehlo().unwrap().supports("CHUNKING"));
///
/// let mut out = BytesMut::new();
/// codec.encode(Command::Data.into(), &mut out)?;
/// codec.encode(DataBody::new(b".dot\r\n").unwrap().into(), &mut out)?;
/// assert_eq!(out, &b"DATA\r\n..dot\r\n.\r\n"[..]);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientCodec {
    replies: ReplyConfig,
    state: ClientState,
    /// Replies owed: the greeting, then one per command sent.
    owed: usize,
}

impl Default for ClientCodec {
    fn default() -> Self {
        ClientCodec::new()
    }
}

impl ClientCodec {
    /// A codec with the default [`ReplyConfig`].
    ///
    /// # Examples
    ///
    /// ```
    /// let codec = smtp_wire::codec::ClientCodec::new();
    /// ```
    pub fn new() -> ClientCodec {
        ClientCodec::with_config(ReplyConfig::new())
    }

    /// A codec with the given reply options.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ReplyConfig;
    /// use smtp_wire::codec::ClientCodec;
    /// let mut config = ReplyConfig::new();
    /// config.allow_code_mismatch(true);
    /// let codec = ClientCodec::with_config(config);
    /// ```
    pub fn with_config(replies: ReplyConfig) -> ClientCodec {
        ClientCodec {
            replies,
            state: ClientState::Replies,
            owed: 1,
        }
    }

    /// Ends the plaintext phase after the `220` answering `STARTTLS` was
    /// decoded: returns the connection for the TLS handshake, a fresh codec
    /// for the session (which expects no greeting: the client speaks first,
    /// RFC 3207 §4.2), and the bytes buffered after the `220`, **discarded**
    /// (a non-empty value is a reply-injection attempt; CVE-2021-38371).
    ///
    /// # Errors
    ///
    /// The `Framed` back, unchanged, when no `220` to a `STARTTLS` sent
    /// through this codec has been decoded, or unsent bytes remain.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use futures_util::{SinkExt, StreamExt};
    /// use smtp_wire::codec::ClientCodec;
    /// use smtp_wire::Command;
    /// use tokio::io::AsyncWriteExt;
    /// use tokio_util::codec::Framed;
    ///
    /// let (client, mut server) = tokio::io::duplex(1024);
    /// server.write_all(b"220 mx.example\r\n220 go ahead\r\n250 injected\r\n").await?;
    /// let mut framed = Framed::new(client, ClientCodec::new());
    /// framed.next().await.transpose()?; // the greeting
    /// framed.send(Command::StartTls.into()).await?;
    /// let reply = framed.next().await.transpose()?.unwrap();
    /// assert_eq!(reply.reply().code().get(), 220);
    /// let handoff = ClientCodec::tls_handoff(framed).expect("220 received");
    /// assert_eq!(handoff.discarded, "250 injected\r\n");
    /// # Ok(()) }
    /// ```
    #[allow(clippy::result_large_err)]
    pub fn tls_handoff<T>(
        framed: Framed<T, ClientCodec>,
    ) -> Result<TlsHandoff<T, ClientCodec>, Framed<T, ClientCodec>> {
        if framed.codec().state != ClientState::TlsHandoff || !framed.write_buffer().is_empty() {
            return Err(framed);
        }
        let mut parts = framed.into_parts();
        let discarded = parts.read_buf.split().freeze();
        let mut codec = ClientCodec::with_config(parts.codec.replies);
        codec.owed = 0;
        Ok(TlsHandoff {
            io: parts.io,
            codec,
            discarded,
        })
    }

    fn sent(&mut self, commands: usize, command: Option<&Command<'_>>) {
        if let Some(Command::StartTls) = command {
            self.state = ClientState::AwaitStartTls { ahead: self.owed };
        }
        self.owed = self.owed.saturating_add(commands);
    }
}

impl Decoder for ClientCodec {
    type Item = OwnedReply;
    type Error = io::Error;

    fn decode(&mut self, buf: &mut BytesMut) -> io::Result<Option<OwnedReply>> {
        if self.state == ClientState::TlsHandoff {
            let discarded = buf.len();
            buf.clear();
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                if discarded > 0 {
                    "data after the 220 reply to STARTTLS was discarded (reply injection)"
                } else {
                    "the plaintext phase ended with STARTTLS: use ClientCodec::tls_handoff"
                },
            ));
        }
        let reply = match OwnedReply::parse(buf, &self.replies) {
            Ok(Status::Complete(reply)) => reply,
            Ok(Status::Partial) => return Ok(None),
            Err(err) => {
                buf.advance(err.skip().min(buf.len()));
                return Err(io::Error::new(io::ErrorKind::InvalidData, err));
            }
        };
        self.owed = self.owed.saturating_sub(1);
        if let ClientState::AwaitStartTls { ahead } = &mut self.state {
            if *ahead > 0 {
                *ahead -= 1;
            } else if reply.reply().code().get() == 220 {
                self.state = ClientState::TlsHandoff;
            } else {
                self.state = ClientState::Replies;
            }
        }
        Ok(Some(reply))
    }
}

/// What [`ClientCodec`]'s [`Encoder`] writes: a command or message
/// content. Each type converts into it with `From`, so
/// `framed.send(command.into())` works.
///
/// # Examples
///
/// ```
/// use bytes::BytesMut;
/// use smtp_wire::codec::{ClientCodec, ClientItem};
/// use smtp_wire::Command;
/// use smtp_wire::body::BdatChunk;
/// use tokio_util::codec::Encoder;
/// let mut codec = ClientCodec::new();
/// let mut out = BytesMut::new();
/// codec.encode(ClientItem::from(Command::Rset), &mut out)?;
/// codec.encode(BdatChunk::new(b"hi", true).into(), &mut out)?;
/// assert_eq!(out, &b"RSET\r\nBDAT 2 LAST\r\nhi"[..]);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
// Built on the stack and consumed at once by `encode`; boxing the command
// would allocate for every line sent.
#[allow(clippy::large_enum_variant)]
pub enum ClientItem<'a> {
    /// One command line. For `BDAT`, prefer [`Chunk`](ClientItem::Chunk),
    /// which writes the line and the chunk together.
    Command(Command<'a>),
    /// Dot-stuffed DATA content and its terminator; send it after the `354`.
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
        match item {
            ClientItem::Command(command) => {
                command.encode_to_buf(dst);
                self.sent(1, Some(&command));
            }
            ClientItem::Data(body) => {
                body.encode_to_buf(dst);
                self.sent(1, None);
            }
            ClientItem::Chunk(chunk) => {
                chunk.encode_to_buf(dst);
                self.sent(1, None);
            }
            ClientItem::Message(message) => {
                message.encode_to_buf(dst);
                self.sent(message.chunks().count(), None);
            }
        }
        Ok(())
    }
}
