//! Owned, zero-copy values over a [`Bytes`] buffer (the `bytes` feature).
//!
//! The core parsers return values that borrow the caller's buffer
//! (`Command<'a>`). These types let a command, a reply or an AUTH response
//! outlive the read buffer **without copying it**: they hold the frozen line
//! as a [`Bytes`] (a reference-counted view of the same memory, made with
//! [`BytesMut::split_to`] and [`Bytes::slice_ref`]) and hand out the borrowed
//! value on demand. Re-parsing one line is cheap and never allocates, so no
//! self-referential trick and no `unsafe` is needed.
//!
//! Message content needs no wrapper: [`DataDecoder::decode_bytes`] and
//! [`BdatDecoder::decode_bytes`] return its pieces as [`Bytes`].

use bytes::{Bytes, BytesMut};

use crate::decode::{BdatDecoder, DataDecoder, DataEnd, DataEvent};
use crate::encode::{Sink, WriteTo};
use crate::parse::command::CommandConfig;
use crate::parse::reply::ReplyConfig;
use crate::types::command::{AuthResponse, Command};
use crate::types::ehlo::EhloReply;
use crate::types::reply::Reply;
use crate::types::status::{ParseResult, Status};

/// Where `part` starts inside `whole`, when it is a sub-slice of it.
pub(crate) fn offset_in(whole: &[u8], part: &[u8]) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start.checked_add(part.len())? <= whole.len()).then_some(start)
}

/// A command that owns its line: the [`Bytes`] it was parsed from, shared
/// with the read buffer, not copied.
///
/// Get the parsed [`Command`] with [`command`](OwnedCommand::command); it
/// borrows from `self`. Sub-slices of it (a domain, an address) become
/// [`Bytes`] of their own with [`share`](OwnedCommand::share), still without
/// copying.
///
/// # Examples
///
/// ```
/// use bytes::BytesMut;
/// use smtp_wire::{Command, CommandConfig, Status};
/// use smtp_wire::address::Host;
/// use smtp_wire::owned::OwnedCommand;
///
/// let mut buf = BytesMut::from(&b"EHLO client.example\r\nMAIL FROM:<a@b.example>\r\n"[..]);
/// let config = CommandConfig::new();
/// let Ok(Status::Complete(ehlo)) = OwnedCommand::parse(&mut buf, &config) else { panic!() };
/// // `ehlo` owns its line; the buffer now starts at MAIL.
/// assert_eq!(&buf[..4], b"MAIL");
/// drop(buf);
/// let Command::Ehlo(Host::Domain(domain)) = ehlo.command() else { panic!() };
/// let domain = ehlo.share(domain.as_str()); // a slice of the line, not a copy
/// assert_eq!(domain, "client.example");
/// assert_eq!(ehlo.as_bytes(), "EHLO client.example\r\n");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OwnedCommand {
    line: Bytes,
    config: CommandConfig,
}

impl OwnedCommand {
    /// A line that `config` has just parsed as a command.
    #[cfg(feature = "tokio")]
    pub(crate) fn from_parsed_line(line: Bytes, config: CommandConfig) -> OwnedCommand {
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
    pub fn parse(buf: &mut BytesMut, config: &CommandConfig) -> ParseResult<OwnedCommand> {
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
    pub fn from_bytes(buf: &Bytes, config: &CommandConfig) -> ParseResult<(OwnedCommand, usize)> {
        Ok(config.parse(buf)?.map(|(_, used)| {
            let line = buf.slice(..used);
            (
                OwnedCommand {
                    line,
                    config: *config,
                },
                used,
            )
        }))
    }

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
    /// use bytes::BytesMut;
    /// use smtp_wire::{Command, CommandConfig, Status};
    /// use smtp_wire::owned::OwnedCommand;
    /// let mut buf = BytesMut::from(&b"BDAT 10 LAST\r\n"[..]);
    /// let Ok(Status::Complete(cmd)) = OwnedCommand::parse(&mut buf, &CommandConfig::new()) else { panic!() };
    /// assert_eq!(cmd.command(), Command::Bdat { size: 10, last: true });
    /// ```
    pub fn command(&self) -> Command<'_> {
        match self.config.parse(&self.line) {
            Ok(Status::Complete((command, _))) => command,
            _ => unreachable!("a line that parsed once parses again with the same configuration"),
        }
    }

    /// The whole line, CRLF included.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use smtp_wire::{CommandConfig, Status};
    /// use smtp_wire::owned::OwnedCommand;
    /// let buf = Bytes::from_static(b"noop\r\n");
    /// let Ok(Status::Complete((cmd, _))) = OwnedCommand::from_bytes(&buf, &CommandConfig::new()) else { panic!() };
    /// assert_eq!(cmd.as_bytes(), "noop\r\n");
    /// ```
    pub fn as_bytes(&self) -> &Bytes {
        &self.line
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

fn share(whole: &Bytes, part: &[u8]) -> Bytes {
    match offset_in(whole, part) {
        Some(_) => whole.slice_ref(part),
        None => Bytes::copy_from_slice(part),
    }
}

impl core::fmt::Debug for OwnedCommand {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Through `Command`'s Debug, so that AUTH data stays redacted.
        f.debug_tuple("OwnedCommand")
            .field(&self.command())
            .finish()
    }
}

/// A whole (possibly multi-line) reply that owns its bytes, shared with the
/// read buffer.
///
/// # Examples
///
/// ```
/// use bytes::BytesMut;
/// use smtp_wire::{ReplyConfig, Status};
/// use smtp_wire::owned::OwnedReply;
///
/// let mut buf = BytesMut::from(&b"250-mx.example.org\r\n250 PIPELINING\r\n354 go\r\n"[..]);
/// let Ok(Status::Complete(ehlo)) = OwnedReply::parse(&mut buf, &ReplyConfig::new()) else { panic!() };
/// assert_eq!(ehlo.reply().code().get(), 250);
/// assert!(ehlo.ehlo().unwrap().supports("PIPELINING"));
/// assert_eq!(buf, &b"354 go\r\n"[..]);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OwnedReply {
    raw: Bytes,
    config: ReplyConfig,
}

impl OwnedReply {
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
    /// let mut buf = BytesMut::from(&b"250-first\r\n250 se"[..]);
    /// assert_eq!(OwnedReply::parse(&mut buf, &ReplyConfig::new()), Ok(Status::Partial));
    /// ```
    pub fn parse(buf: &mut BytesMut, config: &ReplyConfig) -> ParseResult<OwnedReply> {
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
    pub fn from_bytes(buf: &Bytes, config: &ReplyConfig) -> ParseResult<(OwnedReply, usize)> {
        Ok(config.parse(buf)?.map(|(_, used)| {
            (
                OwnedReply {
                    raw: buf.slice(..used),
                    config: *config,
                },
                used,
            )
        }))
    }

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
    /// use bytes::Bytes;
    /// use smtp_wire::{ReplyConfig, Status};
    /// use smtp_wire::owned::OwnedReply;
    /// let buf = Bytes::from_static(b"550 5.1.1 no\r\n");
    /// let Ok(Status::Complete((reply, _))) = OwnedReply::from_bytes(&buf, &ReplyConfig::new()) else { panic!() };
    /// assert_eq!(reply.reply().enhanced_code().unwrap().to_string(), "5.1.1");
    /// ```
    pub fn reply(&self) -> Reply<'_> {
        match self.config.parse(&self.raw) {
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
    /// use bytes::Bytes;
    /// use smtp_wire::{ReplyConfig, Status};
    /// use smtp_wire::owned::OwnedReply;
    /// let buf = Bytes::from_static(b"250-mx.example\r\n250 SIZE 100\r\n");
    /// let Ok(Status::Complete((reply, _))) = OwnedReply::from_bytes(&buf, &ReplyConfig::new()) else { panic!() };
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
    /// use bytes::Bytes;
    /// use smtp_wire::{ReplyConfig, Status};
    /// use smtp_wire::owned::OwnedReply;
    /// let buf = Bytes::from_static(b"221 bye\r\n");
    /// let Ok(Status::Complete((reply, _))) = OwnedReply::from_bytes(&buf, &ReplyConfig::new()) else { panic!() };
    /// assert_eq!(reply.as_bytes(), "221 bye\r\n");
    /// ```
    pub fn as_bytes(&self) -> &Bytes {
        &self.raw
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

impl core::fmt::Debug for OwnedReply {
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
/// use bytes::BytesMut;
/// use smtp_wire::{CommandConfig, Status};
/// use smtp_wire::auth::AuthResponse;
/// use smtp_wire::owned::OwnedAuthResponse;
///
/// let mut buf = BytesMut::from(&b"dXNlcg==\r\n"[..]);
/// let Ok(Status::Complete(line)) = OwnedAuthResponse::parse(&mut buf, &CommandConfig::new()) else { panic!() };
/// let AuthResponse::Data(data) = line.response() else { panic!() };
/// assert_eq!(*data.expose(), "dXNlcg==");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OwnedAuthResponse {
    line: Bytes,
    config: CommandConfig,
}

impl OwnedAuthResponse {
    /// A line that `config` has just parsed as an AUTH response.
    #[cfg(feature = "tokio")]
    pub(crate) fn from_parsed_line(line: Bytes, config: CommandConfig) -> OwnedAuthResponse {
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
    pub fn parse(buf: &mut BytesMut, config: &CommandConfig) -> ParseResult<OwnedAuthResponse> {
        let used = match config.parse_auth_response(buf)? {
            Status::Complete((_, used)) => used,
            Status::Partial => return Ok(Status::Partial),
        };
        Ok(Status::Complete(OwnedAuthResponse {
            line: buf.split_to(used).freeze(),
            config: *config,
        }))
    }

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
    /// use bytes::BytesMut;
    /// use smtp_wire::{CommandConfig, Status};
    /// use smtp_wire::auth::AuthResponse;
    /// use smtp_wire::owned::OwnedAuthResponse;
    /// let mut buf = BytesMut::from(&b"\r\n"[..]); // an empty response
    /// let Ok(Status::Complete(line)) = OwnedAuthResponse::parse(&mut buf, &CommandConfig::new()) else { panic!() };
    /// assert!(matches!(line.response(), AuthResponse::Data(d) if d.expose().is_empty()));
    /// ```
    pub fn response(&self) -> AuthResponse<'_> {
        match self.config.parse_auth_response(&self.line) {
            Ok(Status::Complete((response, _))) => response,
            _ => unreachable!("a line that parsed once parses again with the same configuration"),
        }
    }
}

impl core::fmt::Debug for OwnedAuthResponse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("OwnedAuthResponse")
            .field(&self.response())
            .finish()
    }
}

impl WriteTo for OwnedCommand {
    /// The canonical form of [`command`](OwnedCommand::command).
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        self.command().write_to(out);
    }
}

impl WriteTo for OwnedReply {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        self.reply().write_to(out);
    }
}

/// One step of DATA decoding over a [`BytesMut`]; see
/// [`DataDecoder::decode_bytes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedDataEvent {
    /// Message content with dot-stuffing removed: a slice of the read
    /// buffer's memory, not a copy.
    Payload(Bytes),
    /// The end of data.
    End(DataEnd),
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::Encode;

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
