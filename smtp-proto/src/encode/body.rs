//! Message content for the client side: dot-stuffing for DATA (RFC 5321
//! §4.5.2) and chunk framing for BDAT (RFC 3030 §2).

use memchr::memchr2;

use super::{Sink, WriteTo, put_decimal};
use crate::types::error::{Error, ErrorKind};

/// A streaming dot-stuffing encoder for DATA content (RFC 5321 §4.5.2).
///
/// Feed the message in any split with [`stuff`](DotStuffer::stuff), which
/// returns an iterator of pieces to send in order: slices of the input,
/// interleaved with the inserted `.` (and, when normalising, `\r\n`). Nothing
/// is copied. Then send [`finish`](DotStuffer::finish): `.\r\n`, or
/// `\r\n.\r\n` when the message does not already end with CRLF.
///
/// Bare CR and bare LF are refused (RFC 5321 §2.3.8: a client MUST NOT send
/// them; they are the raw material of SMTP smuggling) unless the stuffer was
/// made with [`normalizing`](DotStuffer::normalizing), which turns each into
/// CRLF. A CR at the end of one input is held back until the next byte is
/// known, so the output so far never holds a bare CR; a refused input stops
/// before the offending byte. Since a DATA transaction cannot be abandoned
/// halfway, a caller that may see bad input should validate first (see
/// [`DataBody::new`]) or normalise.
///
/// For a message that is already in one slice, [`DataBody`] does the same
/// through [`Encode`](crate::Encode).
///
/// # Examples
///
/// ```
/// use smtp_wire::body::DotStuffer;
///
/// let mut stuffer = DotStuffer::new();
/// let mut wire = Vec::new();
/// for input in [&b"Subject: x\r\n\r\n.hidden\r"[..], b"\n.\r\nlast line"] {
///     for piece in stuffer.stuff(input) {
///         wire.extend_from_slice(piece?);
///     }
/// }
/// wire.extend_from_slice(stuffer.finish()?);
/// assert_eq!(wire, b"Subject: x\r\n\r\n..hidden\r\n..\r\nlast line\r\n.\r\n");
/// # Ok::<(), smtp_wire::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DotStuffer {
    /// The output so far ends with CRLF, or nothing was sent yet (the `DATA`
    /// line's CRLF precedes the content).
    at_line_start: bool,
    /// The input ended with a CR that has not been sent yet.
    pending_cr: bool,
    normalize: bool,
}

impl DotStuffer {
    /// A stuffer that refuses bare CR and bare LF.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ErrorKind;
    /// use smtp_wire::body::DotStuffer;
    /// let mut stuffer = DotStuffer::new();
    /// let err = stuffer.stuff(b"unix\n").find_map(Result::err).unwrap();
    /// assert_eq!(err.kind(), ErrorKind::BareLfInData);
    /// ```
    pub const fn new() -> DotStuffer {
        DotStuffer {
            at_line_start: true,
            pending_cr: false,
            normalize: false,
        }
    }

    /// A stuffer that turns each bare CR and bare LF into CRLF.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::DotStuffer;
    /// let mut stuffer = DotStuffer::normalizing();
    /// let wire: Vec<u8> = stuffer.stuff(b"a\nb\rc").flatten().flatten().copied().collect();
    /// assert_eq!(wire, b"a\r\nb\r\nc");
    /// assert_eq!(stuffer.finish(), Ok(&b"\r\n.\r\n"[..]));
    /// ```
    pub const fn normalizing() -> DotStuffer {
        DotStuffer {
            at_line_start: true,
            pending_cr: false,
            normalize: true,
        }
    }

    /// The pieces to send for the next part of the message.
    ///
    /// Drive the iterator to its end before the next call (or before
    /// [`finish`](DotStuffer::finish)); the stuffer's state advances with it.
    /// After an `Err` it yields nothing more, and the message must not be
    /// finished.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::DotStuffer;
    /// let mut stuffer = DotStuffer::new();
    /// let pieces: Vec<&[u8]> = stuffer.stuff(b".a\r\n.b").collect::<Result<_, _>>()?;
    /// assert_eq!(pieces, [&b"."[..], b".a\r\n", b".", b".b"]);
    /// # Ok::<(), smtp_wire::Error>(())
    /// ```
    pub fn stuff<'s, 'a>(&'s mut self, input: &'a [u8]) -> Stuffed<'s, 'a> {
        Stuffed {
            stuffer: self,
            rest: input,
            consumed: 0,
            failed: false,
        }
    }

    /// The bytes that end the data: `.\r\n`, with a CRLF before it when the
    /// message does not end with one (RFC 5321 §4.1.1.4; an empty message is
    /// just `.\r\n`, the `DATA` line's CRLF being the first half).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::BareCrInData`] when the message ends with a bare CR and the
    /// stuffer does not normalise.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::DotStuffer;
    /// assert_eq!(DotStuffer::new().finish(), Ok(&b".\r\n"[..]));
    /// let mut stuffer = DotStuffer::new();
    /// stuffer.stuff(b"no newline").for_each(drop);
    /// assert_eq!(stuffer.finish(), Ok(&b"\r\n.\r\n"[..]));
    /// ```
    pub fn finish(&mut self) -> Result<&'static [u8], Error> {
        let end: &'static [u8] = if self.pending_cr {
            if !self.normalize {
                return Err(Error::new(ErrorKind::BareCrInData, 0));
            }
            // The held-back CR, the LF that completes it, then the end.
            b"\r\n.\r\n"
        } else if self.at_line_start {
            b".\r\n"
        } else {
            b"\r\n.\r\n"
        };
        *self = DotStuffer {
            at_line_start: true,
            pending_cr: false,
            normalize: self.normalize,
        };
        Ok(end)
    }
}

impl Default for DotStuffer {
    fn default() -> Self {
        DotStuffer::new()
    }
}

/// The pieces of dot-stuffed output for one input; see [`DotStuffer::stuff`].
///
/// Yields `Ok(piece)` for each slice to send, or one `Err` for a refused bare
/// CR or LF, whose [`skip`](Error::skip) is the number of input bytes of this
/// call already turned into output.
///
/// # Examples
///
/// ```
/// use smtp_wire::body::DotStuffer;
/// let mut stuffer = DotStuffer::new();
/// let mut pieces = stuffer.stuff(b"ok\r\nbad\rx");
/// assert_eq!(pieces.next(), Some(Ok(&b"ok\r\nbad"[..])));
/// assert_eq!(pieces.next().unwrap().unwrap_err().skip(), 7);
/// assert_eq!(pieces.next(), None);
/// ```
#[derive(Debug)]
#[must_use = "the iterator yields the bytes to send"]
pub struct Stuffed<'s, 'a> {
    stuffer: &'s mut DotStuffer,
    rest: &'a [u8],
    consumed: usize,
    failed: bool,
}

impl<'a> Stuffed<'_, 'a> {
    /// Emits `piece`, which is either the first `len` bytes of the input or a
    /// static insertion (then `len` is how much input it stands for).
    fn emit(&mut self, piece: &'a [u8], len: usize) -> Option<Result<&'a [u8], Error>> {
        self.rest = self.rest.get(len..).unwrap_or_default();
        self.consumed += len;
        self.stuffer.at_line_start = piece.ends_with(b"\r\n");
        Some(Ok(piece))
    }

    fn fail(&mut self, kind: ErrorKind) -> Option<Result<&'a [u8], Error>> {
        self.failed = true;
        Some(Err(Error::new(kind, self.consumed)))
    }
}

impl<'a> Iterator for Stuffed<'_, 'a> {
    type Item = Result<&'a [u8], Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let rest = self.rest;
        let &first = rest.first()?;
        if self.stuffer.pending_cr {
            self.stuffer.pending_cr = false;
            return if first == b'\n' {
                self.emit(b"\r\n", 1)
            } else if self.stuffer.normalize {
                // The held-back bare CR plus an inserted LF.
                self.emit(b"\r\n", 0)
            } else {
                self.fail(ErrorKind::BareCrInData)
            };
        }
        if self.stuffer.at_line_start && first == b'.' {
            // RFC 5321 §4.5.2: one more dot before a line that starts with one.
            self.stuffer.at_line_start = false;
            return Some(Ok(b"."));
        }
        // Send as much as possible in one slice: up to the next place where
        // something has to be inserted.
        let mut i = 0;
        loop {
            let Some(found) = memchr2(b'\r', b'\n', rest.get(i..).unwrap_or_default()) else {
                return self.emit(rest, rest.len());
            };
            let at = i + found;
            let bare = match (rest.get(at), rest.get(at + 1)) {
                (Some(b'\r'), Some(b'\n')) => {
                    let next = at + 2;
                    match rest.get(next) {
                        Some(b'.') | None => {
                            let (piece, _) = rest.split_at(next);
                            return self.emit(piece, next);
                        }
                        Some(_) => {
                            i = next;
                            continue;
                        }
                    }
                }
                (Some(b'\r'), None) => {
                    // Hold the CR back until the next byte is known.
                    let (piece, _) = rest.split_at(at);
                    let out = if at == 0 {
                        self.rest = &[];
                        self.consumed += 1;
                        None
                    } else {
                        let out = self.emit(piece, at);
                        self.rest = &[];
                        self.consumed += 1;
                        out
                    };
                    self.stuffer.pending_cr = true;
                    return out;
                }
                (Some(b'\r'), Some(_)) => ErrorKind::BareCrInData,
                _ => ErrorKind::BareLfInData,
            };
            if at > 0 {
                // Send the good part first; the bad byte comes next call.
                let (piece, _) = rest.split_at(at);
                return self.emit(piece, at);
            }
            if !self.stuffer.normalize {
                return self.fail(bare);
            }
            // A bare CR becomes CR + inserted LF; a bare LF, inserted CR + LF.
            return self.emit(b"\r\n", 1);
        }
    }
}

/// A whole DATA message in one slice, ready to encode dot-stuffed with its
/// terminator (RFC 5321 §4.5.2). Implements [`Encode`](crate::Encode), so it
/// can be written into a `&mut [u8]` or a `Vec`.
///
/// The output does not include the `DATA` command; send it after the `354`.
///
/// # Examples
///
/// ```
/// use smtp_wire::Encode;
/// use smtp_wire::body::DataBody;
///
/// let body = DataBody::new(b"Hi\r\n.\r\nMAIL FROM:<x@y>\r\n")?;
/// let mut buf = [0u8; 64];
/// let n = body.encode(&mut buf).unwrap();
/// assert_eq!(&buf[..n], b"Hi\r\n..\r\nMAIL FROM:<x@y>\r\n.\r\n");
///
/// let unix = DataBody::normalized(b"unix\nlines");
/// assert_eq!(unix.encoded_len(), 16);
/// # #[cfg(feature = "alloc")]
/// assert_eq!(unix.encode_to_vec(), b"unix\r\nlines\r\n.\r\n");
/// # Ok::<(), smtp_wire::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataBody<'a> {
    body: &'a [u8],
}

impl<'a> DataBody<'a> {
    /// Checks that `body` has no bare CR or bare LF.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::BareCrInData`] or [`ErrorKind::BareLfInData`], with
    /// [`skip`](Error::skip) at the offending byte.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ErrorKind;
    /// use smtp_wire::body::DataBody;
    /// let err = DataBody::new(b"ab\ncd").unwrap_err();
    /// assert_eq!((err.kind(), err.skip()), (ErrorKind::BareLfInData, 2));
    /// ```
    pub fn new(body: &'a [u8]) -> Result<DataBody<'a>, Error> {
        let mut stuffer = DotStuffer::new();
        for piece in stuffer.stuff(body) {
            piece?;
        }
        // A bare CR at the very end is found by `finish`, at its offset 0:
        // move that to the CR's place in the body.
        stuffer
            .finish()
            .map_err(|err| err.offset_by(body.len().saturating_sub(1)))?;
        Ok(DataBody { body })
    }

    /// Takes `body` as it is, turning each bare CR and bare LF into CRLF when
    /// encoding.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::Encode;
    /// use smtp_wire::body::DataBody;
    /// let mut buf = [0u8; 8];
    /// let n = DataBody::normalized(b"a\r").encode(&mut buf).unwrap();
    /// assert_eq!(&buf[..n], b"a\r\n.\r\n");
    /// ```
    pub const fn normalized(body: &'a [u8]) -> DataBody<'a> {
        DataBody { body }
    }

    /// The message as given (before stuffing).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::DataBody;
    /// assert_eq!(DataBody::normalized(b"x").as_bytes(), b"x");
    /// ```
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.body
    }
}

impl WriteTo for DataBody<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        // Normalising is a no-op on a body that `new` validated, and it makes
        // every step infallible.
        let mut stuffer = DotStuffer::normalizing();
        for piece in stuffer.stuff(self.body).flatten() {
            out.put(piece);
        }
        out.put(stuffer.finish().unwrap_or(b"\r\n.\r\n"));
    }
}

/// The longest BDAT line: `BDAT ` + 20 digits + ` LAST` + CRLF.
const BDAT_LINE_MAX: usize = 32;

/// A `BDAT <size> [LAST]` command line (RFC 3030 §2), formatted on the stack.
///
/// Send it, then exactly `size` octets of chunk data. Useful when the chunk is
/// not in one slice; otherwise [`BdatChunk`] does both.
///
/// # Examples
///
/// ```
/// use smtp_wire::body::BdatHeader;
/// assert_eq!(BdatHeader::new(4096, false).as_bytes(), b"BDAT 4096\r\n");
/// assert_eq!(BdatHeader::new(0, true).as_bytes(), b"BDAT 0 LAST\r\n");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BdatHeader {
    line: [u8; BDAT_LINE_MAX],
    len: usize,
}

/// A fixed buffer that never overflows for the lines written into it here.
struct LineBuf {
    line: [u8; BDAT_LINE_MAX],
    len: usize,
}

impl Sink for LineBuf {
    fn put(&mut self, bytes: &[u8]) {
        let end = self.len.saturating_add(bytes.len()).min(BDAT_LINE_MAX);
        if let (Some(dst), Some(src)) = (
            self.line.get_mut(self.len..end),
            bytes.get(..end - self.len),
        ) {
            dst.copy_from_slice(src);
        }
        self.len = end;
    }
}

impl BdatHeader {
    /// The line for a chunk of `size` octets, the last one if `last`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::BdatHeader;
    /// let line = BdatHeader::new(u64::MAX, true);
    /// assert_eq!(line.as_bytes(), b"BDAT 18446744073709551615 LAST\r\n");
    /// ```
    pub fn new(size: u64, last: bool) -> BdatHeader {
        let mut buf = LineBuf {
            line: [0; BDAT_LINE_MAX],
            len: 0,
        };
        buf.put(b"BDAT ");
        put_decimal(&mut buf, size);
        buf.put(if last { &b" LAST\r\n"[..] } else { b"\r\n" });
        BdatHeader {
            line: buf.line,
            len: buf.len,
        }
    }

    /// The command line, CRLF included.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::BdatHeader;
    /// assert_eq!(BdatHeader::new(7, false).as_bytes().len(), 8);
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        self.line.get(..self.len).unwrap_or_default()
    }
}

/// One BDAT chunk: its command line and its data (RFC 3030 §2). Chunk data is
/// sent as it is: no stuffing, no terminator.
///
/// # Examples
///
/// ```
/// use smtp_wire::Encode;
/// use smtp_wire::body::BdatChunk;
///
/// let chunk = BdatChunk::new(b".\r\nbinary\x00", true);
/// let mut buf = [0u8; 32];
/// let n = chunk.encode(&mut buf).unwrap();
/// assert_eq!(&buf[..n], b"BDAT 10 LAST\r\n.\r\nbinary\x00");
/// // Zero-copy: send the line, then the caller's slice.
/// assert_eq!(chunk.header().as_bytes(), b"BDAT 10 LAST\r\n");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BdatChunk<'a> {
    data: &'a [u8],
    last: bool,
}

impl<'a> BdatChunk<'a> {
    /// A chunk holding `data`; `last` marks the end of the message.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::BdatChunk;
    /// let chunk = BdatChunk::new(b"abc", false);
    /// assert_eq!(chunk.data(), b"abc");
    /// assert!(!chunk.is_last());
    /// ```
    pub const fn new(data: &'a [u8], last: bool) -> BdatChunk<'a> {
        BdatChunk { data, last }
    }

    /// The `BDAT <size> [LAST]` line for this chunk.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::BdatChunk;
    /// assert_eq!(BdatChunk::new(b"", true).header().as_bytes(), b"BDAT 0 LAST\r\n");
    /// ```
    pub fn header(&self) -> BdatHeader {
        // Widening usize -> u64 is lossless on every supported target.
        BdatHeader::new(self.data.len() as u64, self.last)
    }

    /// The chunk data.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::BdatChunk;
    /// assert_eq!(BdatChunk::new(b"x", true).data(), b"x");
    /// ```
    pub const fn data(&self) -> &'a [u8] {
        self.data
    }

    /// `true` for the `LAST` chunk.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::BdatChunk;
    /// assert!(BdatChunk::new(b"x", true).is_last());
    /// ```
    pub const fn is_last(&self) -> bool {
        self.last
    }
}

impl WriteTo for BdatChunk<'_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        out.put(self.header().as_bytes());
        out.put(self.data);
    }
}

/// A message of known chunks, framed as BDAT commands (RFC 3030 §2): each
/// chunk gets its `BDAT <size>` line and the last one `LAST`. With no chunks
/// it is `BDAT 0 LAST\r\n`, an empty message.
///
/// # Examples
///
/// ```
/// use smtp_wire::Encode;
/// use smtp_wire::body::BdatMessage;
///
/// let chunks: [&[u8]; 2] = [b"Subject: hi\r\n", b"\r\nbody\r\n"];
/// let mut buf = [0u8; 64];
/// let n = BdatMessage::new(&chunks).encode(&mut buf).unwrap();
/// assert_eq!(&buf[..n], b"BDAT 13\r\nSubject: hi\r\nBDAT 8 LAST\r\n\r\nbody\r\n");
/// let n = BdatMessage::new(&[]).encode(&mut buf).unwrap();
/// assert_eq!(&buf[..n], b"BDAT 0 LAST\r\n");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BdatMessage<'c, 'a> {
    chunks: &'c [&'a [u8]],
}

impl<'c, 'a> BdatMessage<'c, 'a> {
    /// The message made of `chunks`, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::BdatMessage;
    /// let message = BdatMessage::new(&[b"a", b"b"]);
    /// assert_eq!(message.chunks().count(), 2);
    /// ```
    pub const fn new(chunks: &'c [&'a [u8]]) -> BdatMessage<'c, 'a> {
        BdatMessage { chunks }
    }

    /// The chunks with their framing, for sending without copying: write each
    /// chunk's [`header`](BdatChunk::header), then its [`data`](BdatChunk::data).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::body::BdatMessage;
    /// let message = BdatMessage::new(&[b"abc"]);
    /// let chunk = message.chunks().next().unwrap();
    /// assert_eq!(chunk.header().as_bytes(), b"BDAT 3 LAST\r\n");
    /// ```
    pub fn chunks(&self) -> impl Iterator<Item = BdatChunk<'a>> + use<'a, 'c> {
        let last = self.chunks.len().checked_sub(1);
        let empty = if self.chunks.is_empty() {
            Some(BdatChunk::new(&[], true))
        } else {
            None
        };
        self.chunks
            .iter()
            .enumerate()
            .map(move |(i, data)| BdatChunk::new(data, Some(i) == last))
            .chain(empty)
    }
}

impl WriteTo for BdatMessage<'_, '_> {
    fn write_to<S: Sink + ?Sized>(&self, out: &mut S) {
        for chunk in self.chunks() {
            chunk.write_to(out);
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::*;
    use crate::decode::{DataDecoder, DataEvent};
    use crate::encode::Encode;
    use crate::types::status::Status;

    /// `encode_to_vec` without the `alloc` feature.
    fn encoded<T: Encode>(value: &T) -> Vec<u8> {
        let mut out = std::vec![0u8; value.encoded_len()];
        assert_eq!(value.encode(&mut out), Ok(out.len()));
        out
    }

    /// Stuffs `reads` in order; `None` if refused.
    fn stuff(mut stuffer: DotStuffer, reads: &[&[u8]]) -> Option<Vec<u8>> {
        let mut wire = Vec::new();
        for read in reads {
            for piece in stuffer.stuff(read) {
                let piece = piece.ok()?;
                assert!(!piece.is_empty());
                wire.extend_from_slice(piece);
            }
        }
        wire.extend_from_slice(stuffer.finish().ok()?);
        Some(wire)
    }

    /// RFC 5321 §4.5.2 sender rule, line by line, on CRLF-clean input.
    fn reference(message: &[u8]) -> Vec<u8> {
        let mut wire = Vec::new();
        let mut rest = message;
        while !rest.is_empty() {
            let end = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .map_or(rest.len(), |i| i + 2);
            if rest[0] == b'.' {
                wire.push(b'.');
            }
            wire.extend_from_slice(&rest[..end]);
            rest = &rest[end..];
        }
        if !wire.is_empty() && !wire.ends_with(b"\r\n") {
            wire.extend_from_slice(b"\r\n");
        }
        wire.extend_from_slice(b".\r\n");
        wire
    }

    fn unstuff(wire: &[u8]) -> Vec<u8> {
        let mut decoder = DataDecoder::new();
        let mut body = Vec::new();
        let mut pos = 0;
        loop {
            match decoder.decode(&wire[pos..]) {
                Ok(Status::Complete((DataEvent::Payload(data), n))) => {
                    body.extend_from_slice(data);
                    pos += n;
                }
                Ok(Status::Complete((DataEvent::End(_), n))) => {
                    assert_eq!(pos + n, wire.len());
                    return body;
                }
                other => panic!("{other:?} at {pos} in {wire:?}"),
            }
        }
    }

    const CLEAN: &[&[u8]] = &[
        b"",
        b".",
        b"..",
        b"\r\n",
        b".\r\n",
        b"a\r\n.\r\nb",
        b"\r\n.\r\n.\r\n",
        b"x.y\r\n. \r\n..\r\n",
        b"no end",
    ];

    #[test]
    fn every_split_matches_reference_and_round_trips() {
        for &message in CLEAN {
            let want = reference(message);
            for a in 0..=message.len() {
                for b in a..=message.len() {
                    let reads = [&message[..a], &message[a..b], &message[b..]];
                    for stuffer in [DotStuffer::new(), DotStuffer::normalizing()] {
                        assert_eq!(stuff(stuffer, &reads).as_deref(), Some(&want[..]));
                    }
                }
            }
            let mut body = message.to_vec();
            if !body.is_empty() && !body.ends_with(b"\r\n") {
                body.extend_from_slice(b"\r\n");
            }
            assert_eq!(unstuff(&want), body);
            assert_eq!(encoded(&DataBody::new(message).unwrap()), want);
        }
    }

    #[test]
    fn bare_line_endings() {
        let cases: &[(&[u8], &[u8], ErrorKind)] = &[
            (b"a\nb", b"a\r\nb\r\n.\r\n", ErrorKind::BareLfInData),
            (b"a\rb", b"a\r\nb\r\n.\r\n", ErrorKind::BareCrInData),
            (b"a\r", b"a\r\n.\r\n", ErrorKind::BareCrInData),
            (b"\n.\n", b"\r\n..\r\n.\r\n", ErrorKind::BareLfInData),
            (b"\r.\r", b"\r\n..\r\n.\r\n", ErrorKind::BareCrInData),
            (
                b"x\r\r\n.",
                b"x\r\n\r\n..\r\n.\r\n",
                ErrorKind::BareCrInData,
            ),
            (b"\n\r", b"\r\n\r\n.\r\n", ErrorKind::BareLfInData),
        ];
        for &(message, normalized, kind) in cases {
            for a in 0..=message.len() {
                let reads = [&message[..a], &message[a..]];
                assert_eq!(
                    stuff(DotStuffer::normalizing(), &reads).as_deref(),
                    Some(normalized)
                );
                assert_eq!(stuff(DotStuffer::new(), &reads), None);
            }
            assert_eq!(DataBody::new(message).unwrap_err().kind(), kind);
            assert_eq!(encoded(&DataBody::normalized(message)), normalized);
        }
    }

    #[test]
    fn refused_output_is_a_clean_prefix() {
        let mut stuffer = DotStuffer::new();
        let mut wire = Vec::new();
        for piece in stuffer.stuff(b"ok\r\n.x\r") {
            wire.extend_from_slice(piece.unwrap());
        }
        assert_eq!(wire, b"ok\r\n..x");
        let err = stuffer.stuff(b"y").find_map(Result::err).unwrap();
        assert_eq!(err.kind(), ErrorKind::BareCrInData);
        assert_eq!(stuffer.finish(), Ok(&b"\r\n.\r\n"[..]));
    }

    #[test]
    fn bdat_framing() {
        assert_eq!(BdatHeader::new(0, false).as_bytes(), b"BDAT 0\r\n");
        assert_eq!(
            encoded(&BdatChunk::new(b"a\r\n.\r\n", false)),
            b"BDAT 6\r\na\r\n.\r\n"
        );
        let chunks: [&[u8]; 3] = [b"1", b"", b"333"];
        let message = BdatMessage::new(&chunks);
        assert_eq!(
            encoded(&message),
            b"BDAT 1\r\n1BDAT 0\r\nBDAT 3 LAST\r\n333"
        );
        assert_eq!(message.encoded_len(), encoded(&message).len());
    }
}
