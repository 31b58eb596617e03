//! Values that own their bytes, so that they outlive the read buffer.
//!
//! The parsers return values that borrow the caller's buffer
//! (`Command<'a>`). A value that has to be stored, queued or sent to another
//! task becomes one of these: [`OwnedCommand`], [`OwnedReply`] (EHLO replies
//! included) and [`OwnedAuthResponse`] keep the line's bytes and hand out the
//! borrowed value on demand. Re-parsing one line is cheap and never
//! allocates, so no self-referential trick and no `unsafe` is needed.
//!
//! Two storages, one API:
//!
//! * **`Box<[u8]>`** (the default, `alloc` alone): [`Command::into_owned`],
//!   [`Reply::into_owned`], [`EhloReply::into_owned`] and
//!   [`AuthResponse::into_owned`] copy a value's canonical encoding (one
//!   allocation of a line's length); [`OwnedCommand::copy_from`] and its
//!   twins copy a line straight from the read buffer. Pick this when values
//!   are few or kept long, or when there is no `bytes` dependency.
//! * **[`Bytes`]** (the `bytes` feature): [`OwnedCommand::parse`] splits the
//!   line off a `BytesMut` read buffer without copying, and
//!   [`share`](OwnedCommand::share) turns any string of the value into a
//!   `Bytes` of its own, still without copying. Pick this on a hot path that
//!   already reads into `BytesMut` (the `codec` module does).
//!
//! Message content needs no wrapper: it is plain bytes. With the `bytes`
//! feature, [`DataDecoder::decode_bytes`] and [`BdatDecoder::decode_bytes`]
//! return its pieces as `Bytes` that share the read buffer.
//!
//! # Examples
//!
//! A server that keeps the recipients of a transaction past the read
//! buffer:
//!
//! ```
//! use smtp_wire::{Command, Status};
//! use smtp_wire::owned::OwnedCommand;
//!
//! let mut kept: Vec<OwnedCommand> = Vec::new();
//! let mut read = b"RCPT TO:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n".to_vec();
//! while let Ok(Status::Complete((command, used))) = Command::parse(&read) {
//!     kept.push(command.into_owned());
//!     read.drain(..used); // the buffer moves on; `kept` does not borrow it
//! }
//! let Command::Rcpt(second) = kept[1].command() else { panic!() };
//! assert_eq!(second.path.to_string(), "<b@example.org>");
//! ```

use alloc::boxed::Box;
use alloc::vec::Vec;

#[cfg(feature = "bytes")]
use bytes::{Bytes, BytesMut};

#[cfg(feature = "bytes")]
use crate::decode::{BdatDecoder, DataDecoder, DataEnd, DataEvent};
use crate::encode::{Encode, Sink, WriteTo};
use crate::parse::command::CommandConfig;
use crate::parse::reply::ReplyConfig;
use crate::types::command::{AuthResponse, Command};
use crate::types::ehlo::EhloReply;
use crate::types::reply::Reply;
use crate::types::status::{ParseResult, Status};

/// Where `part` starts inside `whole`, when it is a sub-slice of it.
#[cfg(feature = "bytes")]
pub(crate) fn offset_in(whole: &[u8], part: &[u8]) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start.checked_add(part.len())? <= whole.len()).then_some(start)
}

/// The configuration that reads back what the encoders write: every value
/// that can be built encodes to a line that it parses (`parse(encode(x)) ==
/// x`), whatever its length.
fn round_trip_commands() -> CommandConfig {
    let mut config = CommandConfig::new();
    config
        .allow_long_hold_for(true)
        .max_line_len(usize::MAX)
        .max_auth_line_len(usize::MAX)
        .max_local_part_len(usize::MAX)
        .max_domain_len(usize::MAX)
        .max_path_len(usize::MAX);
    config
}

/// Replies of any length and line count, as [`Reply::into_owned`] encodes
/// them.
fn round_trip_replies() -> ReplyConfig {
    let mut config = ReplyConfig::new();
    config
        .max_line_len(usize::MAX)
        .max_lines(usize::MAX)
        .allow_code_mismatch(true)
        .allow_multiline_challenge(true);
    config
}

/// The canonical encoding of `value`, in a box of exactly its length.
fn encode_boxed<T: Encode + ?Sized>(value: &T) -> Box<[u8]> {
    let mut out = Vec::with_capacity(value.encoded_len());
    value.write_to(&mut out);
    out.into_boxed_slice()
}

/// A command that owns its line; see the [module docs](self) for the two
/// storages.
///
/// Get the parsed [`Command`] with [`command`](OwnedCommand::command); it
/// borrows from `self`. The value is `Send + Sync + 'static` when its storage
/// is, as both storages are.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Command, CommandConfig, Status};
/// use smtp_wire::owned::OwnedCommand;
///
/// let read = b"EHLO client.example\r\nMAIL FROM:<a@b.example>\r\n".to_vec();
/// let Ok(Status::Complete((ehlo, used))) = OwnedCommand::copy_from(&read, &CommandConfig::new())
/// else { panic!() };
/// assert_eq!(used, 21);
/// drop(read);
/// assert_eq!(ehlo.command().verb(), "EHLO");
/// assert_eq!(ehlo.as_bytes(), b"EHLO client.example\r\n");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OwnedCommand<B = Box<[u8]>> {
    line: B,
    config: CommandConfig,
}

impl<B: AsRef<[u8]>> OwnedCommand<B> {
    /// The parsed command, borrowing from `self`.
    ///
    /// Each call parses the line again (no allocation; a few dozen
    /// nanoseconds for a typical line): call it once and keep the result.
    ///
    /// # Panics
    ///
    /// Never in practice: the line parsed with the same configuration when
    /// the value was made, and parsing is a pure function of the two.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::Command;
    /// let owned = Command::Bdat { size: 10, last: true }.into_owned();
    /// assert_eq!(owned.command(), Command::Bdat { size: 10, last: true });
    /// ```
    pub fn command(&self) -> Command<'_> {
        match self.config.parse(self.line.as_ref()) {
            Ok(Status::Complete((command, _))) => command,
            _ => unreachable!("a line that parsed once parses again with the same configuration"),
        }
    }

    /// The whole line, CRLF included: as it came for a parsed line, the
    /// canonical encoding for [`Command::into_owned`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::Command;
    /// assert_eq!(Command::Quit.into_owned().as_bytes(), b"QUIT\r\n");
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        self.line.as_ref()
    }

    /// The storage, for example to write the line out again.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::Command;
    /// let line: Box<[u8]> = Command::Rset.into_owned().into_inner();
    /// assert_eq!(&*line, b"RSET\r\n");
    /// ```
    pub fn into_inner(self) -> B {
        self.line
    }
}

impl OwnedCommand {
    /// Parses one command from the front of `buf` and copies its line; returns
    /// it and the bytes it used, as [`CommandConfig::parse`] does.
    ///
    /// # Errors
    ///
    /// The errors of [`CommandConfig::parse`]; advance past a bad line by
    /// [`skip`](crate::Error::skip).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{CommandConfig, Status};
    /// use smtp_wire::owned::OwnedCommand;
    /// let config = CommandConfig::new();
    /// assert_eq!(OwnedCommand::copy_from(b"NOOP", &config), Ok(Status::Partial));
    /// let err = OwnedCommand::copy_from(b"QUIT now\r\n", &config).unwrap_err();
    /// assert_eq!(err.skip(), 10);
    /// ```
    pub fn copy_from(buf: &[u8], config: &CommandConfig) -> ParseResult<(OwnedCommand, usize)> {
        Ok(config.parse(buf)?.map(|(_, used)| {
            let line = Box::from(&buf[..used]);
            let config = *config;
            (OwnedCommand { line, config }, used)
        }))
    }
}

impl Command<'_> {
    /// This command as a value that owns its bytes (its canonical encoding),
    /// to store, queue or send to another task.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, Status};
    /// use smtp_wire::owned::OwnedCommand;
    ///
    /// let owned: OwnedCommand = {
    ///     let read = b"mail from:<a@b.example> size=10\r\n".to_vec();
    ///     let Ok(Status::Complete((command, _))) = Command::parse(&read) else { panic!() };
    ///     command.into_owned()
    /// }; // `read` is gone
    /// let Command::Mail(mail) = owned.command() else { panic!() };
    /// assert_eq!(mail.params.size, Some(10));
    /// assert_eq!(owned.as_bytes(), b"MAIL FROM:<a@b.example> SIZE=10\r\n");
    /// ```
    pub fn into_owned(self) -> OwnedCommand {
        OwnedCommand {
            line: encode_boxed(&self),
            config: round_trip_commands(),
        }
    }
}

impl From<Command<'_>> for OwnedCommand {
    /// [`Command::into_owned`].
    fn from(command: Command<'_>) -> OwnedCommand {
        command.into_owned()
    }
}

impl<B: AsRef<[u8]>> core::fmt::Debug for OwnedCommand<B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Through `Command`'s Debug, so that AUTH data stays redacted.
        f.debug_tuple("OwnedCommand")
            .field(&self.command())
            .finish()
    }
}

/// A whole (possibly multi-line) reply that owns its bytes; see the
/// [module docs](self) for the two storages.
///
/// # Examples
///
/// ```
/// use smtp_wire::{ReplyConfig, Status};
/// use smtp_wire::owned::OwnedReply;
///
/// let read = b"250-mx.example.org\r\n250 PIPELINING\r\n354 go\r\n".to_vec();
/// let Ok(Status::Complete((ehlo, used))) = OwnedReply::copy_from(&read, &ReplyConfig::new())
/// else { panic!() };
/// drop(read);
/// assert_eq!(used, 36);
/// assert_eq!(ehlo.reply().code().get(), 250);
/// assert!(ehlo.ehlo().unwrap().supports("PIPELINING"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OwnedReply<B = Box<[u8]>> {
    raw: B,
    config: ReplyConfig,
}

impl<B: AsRef<[u8]>> OwnedReply<B> {
    /// The parsed reply, borrowing from `self` (parsed again on each call,
    /// without allocating).
    ///
    /// # Panics
    ///
    /// Never in practice: the bytes parsed with the same configuration when
    /// the value was made.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{ReplyConfig, Status};
    /// use smtp_wire::owned::OwnedReply;
    /// let Ok(Status::Complete((reply, _))) = OwnedReply::copy_from(b"550 5.1.1 no\r\n", &ReplyConfig::new())
    /// else { panic!() };
    /// assert_eq!(reply.reply().enhanced_code().unwrap().to_string(), "5.1.1");
    /// ```
    pub fn reply(&self) -> Reply<'_> {
        match self.config.parse(self.raw.as_ref()) {
            Ok(Status::Complete((reply, _))) => reply,
            _ => unreachable!("a reply that parsed once parses again with the same configuration"),
        }
    }

    /// The reply read as an EHLO reply (domain, greeting, capabilities), or
    /// `None` when it is not one (see [`EhloReply::from_reply`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{ReplyConfig, Status};
    /// use smtp_wire::owned::OwnedReply;
    /// let read = b"250-mx.example\r\n250 SIZE 100\r\n";
    /// let Ok(Status::Complete((reply, _))) = OwnedReply::copy_from(read, &ReplyConfig::new())
    /// else { panic!() };
    /// assert_eq!(reply.ehlo().unwrap().size(), Some(100));
    /// ```
    pub fn ehlo(&self) -> Option<EhloReply<'_>> {
        EhloReply::from_reply(self.reply())
    }

    /// The reply's bytes, every line and CRLF included.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::{Reply, ReplyCode};
    /// let reply = Reply::new(ReplyCode::SERVICE_CLOSING, &["bye"])?.into_owned();
    /// assert_eq!(reply.as_bytes(), b"221 bye\r\n");
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        self.raw.as_ref()
    }

    /// The storage.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::reply::{Reply, ReplyCode};
    /// let bytes: Box<[u8]> = Reply::new(ReplyCode::OK, &["ok"])?.into_owned().into_inner();
    /// assert_eq!(&*bytes, b"250 ok\r\n");
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    pub fn into_inner(self) -> B {
        self.raw
    }
}

impl OwnedReply {
    /// Parses one whole reply from the front of `buf` and copies it; returns
    /// it and the bytes it used, as [`ReplyConfig::parse`] does.
    ///
    /// # Errors
    ///
    /// The errors of [`ReplyConfig::parse`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{ReplyConfig, Status};
    /// use smtp_wire::owned::OwnedReply;
    /// assert_eq!(OwnedReply::copy_from(b"250-first\r\n250 se", &ReplyConfig::new()), Ok(Status::Partial));
    /// ```
    pub fn copy_from(buf: &[u8], config: &ReplyConfig) -> ParseResult<(OwnedReply, usize)> {
        Ok(config.parse(buf)?.map(|(_, used)| {
            let raw = Box::from(&buf[..used]);
            let config = *config;
            (OwnedReply { raw, config }, used)
        }))
    }
}

impl Reply<'_> {
    /// This reply as a value that owns its bytes (its canonical encoding).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Reply, Status};
    /// let owned = {
    ///     let read = b"451 4.3.0 try later\r\n".to_vec();
    ///     let Ok(Status::Complete((reply, _))) = Reply::parse(&read) else { panic!() };
    ///     reply.into_owned()
    /// };
    /// assert_eq!(owned.reply().code().get(), 451);
    /// ```
    pub fn into_owned(self) -> OwnedReply {
        OwnedReply {
            raw: encode_boxed(&self),
            config: round_trip_replies(),
        }
    }
}

impl EhloReply<'_> {
    /// This EHLO reply as a value that owns its bytes; read it back with
    /// [`OwnedReply::ehlo`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::{Capability, EhloReply};
    /// let caps = [Capability::Pipelining, Capability::Size(Some(1000))];
    /// let owned = EhloReply::new("mx.example", None, &caps)?.into_owned();
    /// assert_eq!(owned.ehlo().unwrap().size(), Some(1000));
    /// # Ok::<(), smtp_wire::ErrorKind>(())
    /// ```
    pub fn into_owned(self) -> OwnedReply {
        OwnedReply {
            raw: encode_boxed(&self),
            config: round_trip_replies(),
        }
    }
}

impl From<Reply<'_>> for OwnedReply {
    /// [`Reply::into_owned`].
    fn from(reply: Reply<'_>) -> OwnedReply {
        reply.into_owned()
    }
}

impl<B: AsRef<[u8]>> core::fmt::Debug for OwnedReply<B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("OwnedReply").field(&self.reply()).finish()
    }
}

/// One line of an AUTH exchange (the client's answer to a `334`), owning
/// its bytes.
///
/// # Examples
///
/// ```
/// use smtp_wire::{CommandConfig, Status};
/// use smtp_wire::auth::AuthResponse;
/// use smtp_wire::owned::OwnedAuthResponse;
///
/// let Ok(Status::Complete((line, 10))) =
///     OwnedAuthResponse::copy_from(b"dXNlcg==\r\n", &CommandConfig::new())
/// else { panic!() };
/// let AuthResponse::Data(data) = line.response() else { panic!() };
/// assert_eq!(*data.expose(), "dXNlcg==");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OwnedAuthResponse<B = Box<[u8]>> {
    line: B,
    config: CommandConfig,
}

impl<B: AsRef<[u8]>> OwnedAuthResponse<B> {
    /// The parsed response, borrowing from `self`.
    ///
    /// # Panics
    ///
    /// Never in practice: the line parsed with the same configuration when
    /// the value was made.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{CommandConfig, Status};
    /// use smtp_wire::auth::AuthResponse;
    /// use smtp_wire::owned::OwnedAuthResponse;
    /// let Ok(Status::Complete((line, _))) = OwnedAuthResponse::copy_from(b"*\r\n", &CommandConfig::new())
    /// else { panic!() };
    /// assert_eq!(line.response(), AuthResponse::Cancel);
    /// ```
    pub fn response(&self) -> AuthResponse<'_> {
        match self.config.parse_auth_response(self.line.as_ref()) {
            Ok(Status::Complete((response, _))) => response,
            _ => unreachable!("a line that parsed once parses again with the same configuration"),
        }
    }
}

impl OwnedAuthResponse {
    /// Parses one AUTH response line from the front of `buf` (see
    /// [`CommandConfig::parse_auth_response`]) and copies it; returns it and
    /// the bytes it used.
    ///
    /// # Errors
    ///
    /// The errors of [`CommandConfig::parse_auth_response`].
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{CommandConfig, Status};
    /// use smtp_wire::auth::AuthResponse;
    /// use smtp_wire::owned::OwnedAuthResponse;
    /// let Ok(Status::Complete((line, 2))) = OwnedAuthResponse::copy_from(b"\r\n", &CommandConfig::new())
    /// else { panic!() };
    /// assert!(matches!(line.response(), AuthResponse::Data(d) if d.expose().is_empty()));
    /// ```
    pub fn copy_from(
        buf: &[u8],
        config: &CommandConfig,
    ) -> ParseResult<(OwnedAuthResponse, usize)> {
        Ok(config.parse_auth_response(buf)?.map(|(_, used)| {
            let line = Box::from(&buf[..used]);
            let config = *config;
            (OwnedAuthResponse { line, config }, used)
        }))
    }
}

impl AuthResponse<'_> {
    /// This response as a value that owns its bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::auth::AuthResponse;
    /// assert_eq!(AuthResponse::Cancel.into_owned().response(), AuthResponse::Cancel);
    /// ```
    pub fn into_owned(self) -> OwnedAuthResponse {
        let mut line = Vec::new();
        match self {
            AuthResponse::Cancel => line.extend_from_slice(b"*"),
            AuthResponse::Data(data) => line.extend_from_slice(data.expose().as_bytes()),
        }
        line.extend_from_slice(b"\r\n");
        OwnedAuthResponse {
            line: line.into_boxed_slice(),
            config: round_trip_commands(),
        }
    }
}

impl<B: AsRef<[u8]>> core::fmt::Debug for OwnedAuthResponse<B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("OwnedAuthResponse")
            .field(&self.response())
            .finish()
    }
}

impl<B: AsRef<[u8]>> WriteTo for OwnedCommand<B> {
    /// The canonical form of [`command`](OwnedCommand::command).
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        self.command().write_to(out);
    }
}

impl<B: AsRef<[u8]>> Encode for OwnedCommand<B> {}

impl<B: AsRef<[u8]>> WriteTo for OwnedReply<B> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        self.reply().write_to(out);
    }
}

impl<B: AsRef<[u8]>> Encode for OwnedReply<B> {}

/// Zero-copy values over a [`Bytes`] read buffer.
#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl OwnedCommand<Bytes> {
    /// A line that `config` has just parsed as a command.
    #[cfg(feature = "tokio")]
    pub(crate) fn from_parsed_line(line: Bytes, config: CommandConfig) -> OwnedCommand<Bytes> {
        OwnedCommand { line, config }
    }

    /// Parses one command from the front of `buf` and, when it is complete,
    /// splits its line off `buf` (no copy).
    ///
    /// `Partial` and errors consume nothing, exactly as
    /// [`CommandConfig::parse`]: after an error, advance `buf` by
    /// [`skip`](crate::Error::skip).
    ///
    /// # Errors
    ///
    /// The errors of [`CommandConfig::parse`].
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::{Buf, BytesMut};
    /// use smtp_wire::{CommandConfig, Status};
    /// use smtp_wire::owned::OwnedCommand;
    ///
    /// let config = CommandConfig::new();
    /// let mut buf = BytesMut::from(&b"QUIT now\r\nNOOP\r\n"[..]);
    /// let err = OwnedCommand::parse(&mut buf, &config).unwrap_err();
    /// buf.advance(err.skip());
    /// let Ok(Status::Complete(noop)) = OwnedCommand::parse(&mut buf, &config) else { panic!() };
    /// assert_eq!(noop.command().verb(), "NOOP");
    /// assert!(buf.is_empty());
    /// ```
    pub fn parse(buf: &mut BytesMut, config: &CommandConfig) -> ParseResult<OwnedCommand<Bytes>> {
        let used = match config.parse(buf)? {
            Status::Complete((_, used)) => used,
            Status::Partial => return Ok(Status::Partial),
        };
        Ok(Status::Complete(OwnedCommand {
            line: buf.split_to(used).freeze(),
            config: *config,
        }))
    }

    /// Parses one command from the front of a [`Bytes`]; returns it and the
    /// bytes it used. The value shares `buf`'s memory.
    ///
    /// # Errors
    ///
    /// The errors of [`CommandConfig::parse`].
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use smtp_wire::{CommandConfig, Status};
    /// use smtp_wire::owned::OwnedCommand;
    ///
    /// let buf = Bytes::from_static(b"RSET\r\nQUIT\r\n");
    /// let Ok(Status::Complete((rset, used))) = OwnedCommand::from_bytes(&buf, &CommandConfig::new()) else { panic!() };
    /// assert_eq!((rset.command().verb(), used), ("RSET", 6));
    /// ```
    pub fn from_bytes(
        buf: &Bytes,
        config: &CommandConfig,
    ) -> ParseResult<(OwnedCommand<Bytes>, usize)> {
        Ok(config.parse(buf)?.map(|(_, used)| {
            let line = buf.slice(..used);
            let config = *config;
            (OwnedCommand { line, config }, used)
        }))
    }

    /// `part` as a [`Bytes`] of its own: zero-copy ([`Bytes::slice_ref`])
    /// when it is a slice of this line, as every string of
    /// [`command`](OwnedCommand::command) is; copied otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use smtp_wire::{Command, CommandConfig, Status};
    /// use smtp_wire::owned::OwnedCommand;
    /// let buf = Bytes::from_static(b"VRFY postmaster\r\n");
    /// let Ok(Status::Complete((cmd, _))) = OwnedCommand::from_bytes(&buf, &CommandConfig::new()) else { panic!() };
    /// let Command::Vrfy(lookup) = cmd.command() else { panic!() };
    /// let target = cmd.share(lookup.target().as_str());
    /// assert_eq!(target, "postmaster");
    /// assert_eq!(target.as_ptr(), buf[5..].as_ptr()); // the same memory
    /// ```
    pub fn share(&self, part: impl AsRef<[u8]>) -> Bytes {
        share(&self.line, part.as_ref())
    }
}

#[cfg(feature = "bytes")]
fn share(whole: &Bytes, part: &[u8]) -> Bytes {
    match offset_in(whole, part) {
        Some(_) => whole.slice_ref(part),
        None => Bytes::copy_from_slice(part),
    }
}

/// Zero-copy replies over a [`Bytes`] read buffer.
#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl OwnedReply<Bytes> {
    /// Parses one whole reply from the front of `buf` and, when it is
    /// complete, splits its bytes off `buf` (no copy). `Partial` and errors
    /// consume nothing.
    ///
    /// # Errors
    ///
    /// The errors of [`ReplyConfig::parse`].
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use smtp_wire::{ReplyConfig, Status};
    /// use smtp_wire::owned::OwnedReply;
    /// let mut buf = BytesMut::from(&b"250-first\r\n250 second\r\n354 go\r\n"[..]);
    /// let Ok(Status::Complete(reply)) = OwnedReply::parse(&mut buf, &ReplyConfig::new()) else { panic!() };
    /// assert_eq!(reply.reply().lines().count(), 2);
    /// assert_eq!(buf, &b"354 go\r\n"[..]);
    /// ```
    pub fn parse(buf: &mut BytesMut, config: &ReplyConfig) -> ParseResult<OwnedReply<Bytes>> {
        let used = match config.parse(buf)? {
            Status::Complete((_, used)) => used,
            Status::Partial => return Ok(Status::Partial),
        };
        Ok(Status::Complete(OwnedReply {
            raw: buf.split_to(used).freeze(),
            config: *config,
        }))
    }

    /// Parses one whole reply from the front of a [`Bytes`]; returns it and
    /// the bytes it used.
    ///
    /// # Errors
    ///
    /// The errors of [`ReplyConfig::parse`].
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use smtp_wire::{ReplyConfig, Status};
    /// use smtp_wire::owned::OwnedReply;
    /// let buf = Bytes::from_static(b"220 ready\r\n");
    /// let Ok(Status::Complete((reply, 11))) = OwnedReply::from_bytes(&buf, &ReplyConfig::new()) else { panic!() };
    /// assert_eq!(reply.reply().first_line().text(), "ready");
    /// ```
    pub fn from_bytes(
        buf: &Bytes,
        config: &ReplyConfig,
    ) -> ParseResult<(OwnedReply<Bytes>, usize)> {
        Ok(config.parse(buf)?.map(|(_, used)| {
            let raw = buf.slice(..used);
            let config = *config;
            (OwnedReply { raw, config }, used)
        }))
    }

    /// `part` as a [`Bytes`] of its own, zero-copy when it is a slice of
    /// this reply (such as a line's text); copied otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use smtp_wire::{ReplyConfig, Status};
    /// use smtp_wire::owned::OwnedReply;
    /// let buf = Bytes::from_static(b"220 mx.example ESMTP\r\n");
    /// let Ok(Status::Complete((reply, _))) = OwnedReply::from_bytes(&buf, &ReplyConfig::new()) else { panic!() };
    /// let text = reply.share(reply.reply().first_line().text());
    /// assert_eq!(text, "mx.example ESMTP");
    /// ```
    pub fn share(&self, part: impl AsRef<[u8]>) -> Bytes {
        share(&self.raw, part.as_ref())
    }
}

/// Zero-copy AUTH responses over a [`Bytes`] read buffer.
#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl OwnedAuthResponse<Bytes> {
    /// A line that `config` has just parsed as an AUTH response.
    #[cfg(feature = "tokio")]
    pub(crate) fn from_parsed_line(line: Bytes, config: CommandConfig) -> OwnedAuthResponse<Bytes> {
        OwnedAuthResponse { line, config }
    }

    /// Parses one AUTH response line from the front of `buf` (see
    /// [`CommandConfig::parse_auth_response`]) and splits it off when it is
    /// complete. `Partial` and errors consume nothing.
    ///
    /// # Errors
    ///
    /// The errors of [`CommandConfig::parse_auth_response`].
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use smtp_wire::{CommandConfig, Status};
    /// use smtp_wire::auth::AuthResponse;
    /// use smtp_wire::owned::OwnedAuthResponse;
    /// let mut buf = BytesMut::from(&b"*\r\n"[..]);
    /// let Ok(Status::Complete(line)) = OwnedAuthResponse::parse(&mut buf, &CommandConfig::new()) else { panic!() };
    /// assert_eq!(line.response(), AuthResponse::Cancel);
    /// ```
    pub fn parse(
        buf: &mut BytesMut,
        config: &CommandConfig,
    ) -> ParseResult<OwnedAuthResponse<Bytes>> {
        let used = match config.parse_auth_response(buf)? {
            Status::Complete((_, used)) => used,
            Status::Partial => return Ok(Status::Partial),
        };
        Ok(Status::Complete(OwnedAuthResponse {
            line: buf.split_to(used).freeze(),
            config: *config,
        }))
    }
}

/// One step of DATA decoding over a [`BytesMut`]; see
/// [`DataDecoder::decode_bytes`].
#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedDataEvent {
    /// Message content with dot-stuffing removed: a slice of the read
    /// buffer's memory, not a copy.
    Payload(Bytes),
    /// The end of data.
    End(DataEnd),
}

#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl DataDecoder {
    /// [`decode`](DataDecoder::decode) on a [`BytesMut`]: consumes the bytes
    /// it used from the front of `buf` and returns a payload as [`Bytes`]
    /// that shares `buf`'s memory (no copy).
    ///
    /// `Partial` consumes nothing; an error consumes nothing either, so
    /// advance `buf` by its [`skip`](crate::Error::skip).
    ///
    /// # Errors
    ///
    /// The errors of [`decode`](DataDecoder::decode).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use smtp_wire::{DataDecoder, Status};
    /// use smtp_wire::owned::OwnedDataEvent;
    ///
    /// let mut buf = BytesMut::from(&b"..hi\r\n.\r\nQUIT\r\n"[..]);
    /// let mut decoder = DataDecoder::new();
    /// let Ok(Status::Complete(OwnedDataEvent::Payload(body))) = decoder.decode_bytes(&mut buf) else { panic!() };
    /// assert_eq!(body, ".hi\r\n");
    /// let Ok(Status::Complete(OwnedDataEvent::End(end))) = decoder.decode_bytes(&mut buf) else { panic!() };
    /// assert_eq!(end.size(), 5);
    /// assert_eq!(buf, &b"QUIT\r\n"[..]);
    /// ```
    pub fn decode_bytes(&mut self, buf: &mut BytesMut) -> ParseResult<OwnedDataEvent> {
        let (range, used) = match self.decode(buf)? {
            Status::Partial => return Ok(Status::Partial),
            Status::Complete((DataEvent::End(end), used)) => {
                let _ = buf.split_to(used);
                return Ok(Status::Complete(OwnedDataEvent::End(end)));
            }
            Status::Complete((DataEvent::Payload(data), used)) => {
                // The payload is a slice of `buf[..used]`, possibly after a
                // stuffed dot.
                let start = offset_in(buf, data).unwrap_or(0);
                (start..start + data.len(), used)
            }
        };
        let consumed = buf.split_to(used).freeze();
        Ok(Status::Complete(OwnedDataEvent::Payload(
            consumed.slice(range),
        )))
    }
}

#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
impl BdatDecoder {
    /// [`decode`](BdatDecoder::decode) on a [`BytesMut`]: splits the next
    /// part of the chunk (as much as `buf` holds, at most the rest of the
    /// chunk) off the front of `buf`, without copying. Empty when `buf` is
    /// empty or the chunk is done.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use smtp_wire::BdatDecoder;
    ///
    /// let mut buf = BytesMut::from(&b"abcdeQUIT\r\n"[..]);
    /// let mut chunk = BdatDecoder::new(5);
    /// assert_eq!(chunk.decode_bytes(&mut buf), "abcde");
    /// assert!(chunk.is_done());
    /// assert_eq!(buf, &b"QUIT\r\n"[..]);
    /// ```
    pub fn decode_bytes(&mut self, buf: &mut BytesMut) -> Bytes {
        let (_, used) = self.decode(buf);
        buf.split_to(used).freeze()
    }
}

#[cfg(all(test, feature = "bytes"))]
mod tests {
    use super::*;

    #[test]
    fn payload_after_stuffed_dot_shares_memory() {
        let mut buf = BytesMut::from(&b"a\r\n..b\r\n.\r\n"[..]);
        let base = buf.as_ptr() as usize;
        let mut decoder = DataDecoder::new();
        let mut pieces = alloc::vec::Vec::new();
        while let Ok(Status::Complete(OwnedDataEvent::Payload(p))) = decoder.decode_bytes(&mut buf)
        {
            pieces.push((p.as_ptr() as usize - base, p));
        }
        assert_eq!(pieces[0], (0, Bytes::from_static(b"a\r\n")));
        // ".b\r\n" starts at offset 4: the stuffed dot at 3 was dropped.
        assert_eq!(pieces[1], (4, Bytes::from_static(b".b\r\n")));
        assert!(buf.is_empty());
    }

    #[test]
    fn encode_to_buf_matches_encode() {
        let mut out = BytesMut::new();
        Command::Quit.encode_to_buf(&mut out);
        crate::types::error::ErrorKind::LineTooLong
            .reply()
            .encode_to_buf(&mut out);
        assert_eq!(&out[..], b"QUIT\r\n500 5.5.2 Line too long\r\n");
        let mut vec = alloc::vec::Vec::new();
        Command::Rset.encode_to_buf(&mut vec);
        assert_eq!(vec, b"RSET\r\n");
    }

    #[test]
    fn share_copies_foreign_slices() {
        let buf = Bytes::from_static(b"NOOP\r\n");
        let Ok(Status::Complete((cmd, _))) = OwnedCommand::from_bytes(&buf, &CommandConfig::new())
        else {
            panic!()
        };
        let foreign = cmd.share(b"elsewhere");
        assert_eq!(foreign, "elsewhere");
        let inner = cmd.share(&cmd.as_bytes()[..4]);
        assert_eq!(inner.as_ptr(), buf.as_ptr());
    }
}
