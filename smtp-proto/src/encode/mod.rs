//! Canonical wire output: the [`Encode`] trait.
//!
//! Every value that parses also encodes, and `parse(encode(x)) == x`. Values
//! are validated when they are built, so the only way encoding can fail is a
//! buffer that is too small.

use core::fmt;

#[cfg(feature = "alloc")]
use alloc::vec::Vec;

pub(crate) mod body;
mod command;
mod reply;
mod value;

/// The output buffer given to [`Encode::encode`] is too small.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Command, Encode};
///
/// let mut small = [0u8; 3];
/// let err = Command::Quit.encode(&mut small).unwrap_err();
/// assert_eq!(err.needed, 6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BufferTooSmall {
    /// The number of bytes the whole encoding needs.
    pub needed: usize,
}

impl fmt::Display for BufferTooSmall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = if self.needed == 1 { "byte" } else { "bytes" };
        write!(f, "output buffer too small: {} {bytes} needed", self.needed)
    }
}

impl core::error::Error for BufferTooSmall {}

#[allow(unreachable_pub)]
pub(crate) mod sealed {
    /// Where encoders write. Implemented for a byte counter, a slice writer
    /// and `Vec<u8>`; never exposed, so that encoders stay infallible.
    pub trait Sink {
        fn put(&mut self, bytes: &[u8]);
    }

    /// The one method every encodable type implements.
    pub trait WriteTo {
        fn write_to<S: Sink + ?Sized>(&self, out: &mut S);
    }
}

pub(crate) use sealed::{Sink, WriteTo};

/// Counts bytes without writing them.
pub(crate) struct Counter(pub(crate) usize);

impl Sink for Counter {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.0 = self.0.saturating_add(bytes.len());
    }
}

/// Writes into a caller's slice; remembers whether it overflowed.
struct SliceWriter<'a> {
    out: &'a mut [u8],
    pos: usize,
    overflow: bool,
}

impl Sink for SliceWriter<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        let end = self.pos.saturating_add(bytes.len());
        match self.out.get_mut(self.pos..end) {
            Some(dst) if !self.overflow => copy_short(dst, bytes),
            _ => self.overflow = true,
        }
        self.pos = end;
    }
}

/// `dst.copy_from_slice(src)` for slices of equal length. Encoders write
/// many pieces of a few bytes (a verb, `<`, `@`, a keyword), where a call to
/// `memcpy` costs more than the copy: up to 32 bytes are moved as two
/// overlapping fixed-size words, which compile to plain loads and stores.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if n > 32 || n != dst.len() {
        dst.copy_from_slice(src);
    } else if n >= 16 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[n - 16..].copy_from_slice(&src[n - 16..]);
    } else if n >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[n - 8..].copy_from_slice(&src[n - 8..]);
    } else if n >= 4 {
        dst[..4].copy_from_slice(&src[..4]);
        dst[n - 4..].copy_from_slice(&src[n - 4..]);
    } else if n > 0 {
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

#[cfg(feature = "alloc")]
impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Writes into any [`BufMut`](bytes::BufMut); the sink behind
/// [`Encode::encode_to_buf`].
#[cfg(feature = "bytes")]
struct BufMutSink<'b, B: ?Sized>(&'b mut B);

#[cfg(feature = "bytes")]
impl<B: bytes::BufMut + ?Sized> Sink for BufMutSink<'_, B> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.0.put_slice(bytes);
    }
}

/// Writes `n` in decimal ASCII without allocating.
pub(crate) fn put_decimal<S: Sink + ?Sized>(out: &mut S, n: u64) {
    out.put(crate::syntax::decimal_bytes(n, &mut [0u8; 20]));
}

/// Canonical wire encoding.
///
/// Implemented by every command, reply and capability type of this crate,
/// by message content ready to send ([`DataBody`](crate::body::DataBody),
/// [`BdatChunk`](crate::body::BdatChunk),
/// [`BdatMessage`](crate::body::BdatMessage)), and by every value that
/// appears inside them (addresses, parameters, codes), so that
/// [`encoded_len`](Encode::encoded_len) measures any of them without an
/// allocator. The list of implementors below is complete; the trait is
/// sealed, since its one required method is private.
///
/// A value inside a line encodes as it appears there, which is also what its
/// `Display` shows: a [`Path`](crate::address::Path) with its angle brackets,
/// a [`Capability`](crate::ehlo::Capability) as its EHLO line without the
/// `250-` and the CRLF.
///
/// # Examples
///
/// ```
/// use smtp_wire::{Command, Encode};
///
/// let cmd = Command::Noop(None);
/// let mut buf = [0u8; 64];
/// let n = cmd.encode(&mut buf).unwrap();
/// assert_eq!(&buf[..n], b"NOOP\r\n");
/// assert_eq!(cmd.encoded_len(), n);
/// ```
pub trait Encode: WriteTo {
    /// The exact number of bytes [`encode`](Encode::encode) writes.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, Encode};
    /// assert_eq!(Command::Rset.encoded_len(), 6);
    /// ```
    fn encoded_len(&self) -> usize {
        let mut counter = Counter(0);
        self.write_to(&mut counter);
        counter.0
    }

    /// Writes the wire form to the front of `out` and returns its length.
    ///
    /// # Errors
    ///
    /// [`BufferTooSmall`] when `out` is shorter than
    /// [`encoded_len`](Encode::encoded_len); `out` may then hold a partial
    /// encoding.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, Encode};
    /// let mut buf = [0u8; 16];
    /// let n = Command::Data.encode(&mut buf).unwrap();
    /// assert_eq!(&buf[..n], b"DATA\r\n");
    /// ```
    fn encode(&self, out: &mut [u8]) -> Result<usize, BufferTooSmall> {
        let mut writer = SliceWriter {
            out,
            pos: 0,
            overflow: false,
        };
        self.write_to(&mut writer);
        if writer.overflow {
            Err(BufferTooSmall { needed: writer.pos })
        } else {
            Ok(writer.pos)
        }
    }

    /// Appends the wire form to `out`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, Encode};
    /// let mut out = Vec::new();
    /// Command::Quit.encode_append(&mut out);
    /// Command::Quit.encode_append(&mut out);
    /// assert_eq!(out, b"QUIT\r\nQUIT\r\n");
    /// ```
    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    fn encode_append(&self, out: &mut Vec<u8>) {
        self.write_to(out);
    }

    /// The wire form in a new `Vec`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::{Command, Encode};
    /// assert_eq!(Command::StartTls.encode_to_vec(), b"STARTTLS\r\n");
    /// ```
    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    fn encode_to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.write_to(&mut out);
        out
    }

    /// Appends the wire form to any [`BufMut`](bytes::BufMut): a
    /// `BytesMut`, a `Vec<u8>`, a `&mut [u8]`, a chain of them...
    ///
    /// # Panics
    ///
    /// When `out` cannot take [`encoded_len`](Encode::encoded_len) more
    /// bytes, as [`BufMut::put_slice`](bytes::BufMut::put_slice) does; a
    /// `BytesMut` or a `Vec` grows instead.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use smtp_wire::{Command, Encode};
    /// use smtp_wire::body::DataBody;
    ///
    /// let mut out = BytesMut::new();
    /// Command::Data.encode_to_buf(&mut out);
    /// DataBody::new(b".hi\r\n")?.encode_to_buf(&mut out);
    /// assert_eq!(&out[..], b"DATA\r\n..hi\r\n.\r\n");
    /// # Ok::<(), smtp_wire::Error>(())
    /// ```
    #[cfg(feature = "bytes")]
    #[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
    fn encode_to_buf<B: bytes::BufMut + ?Sized>(&self, out: &mut B) {
        self.write_to(&mut BufMutSink(out));
    }
}

/// Lists the implementors one by one, so that each shows in the docs.
macro_rules! encode_for {
    ($($ty:ty),* $(,)?) => {$( impl Encode for $ty {} )*};
}

encode_for!(
    // Whole lines and messages.
    crate::types::command::Command<'_>,
    crate::types::reply::Reply<'_>,
    crate::types::reply::ReplyLine<'_>,
    crate::types::ehlo::EhloReply<'_>,
    crate::types::error::ErrorReply,
    body::DataBody<'_>,
    body::BdatChunk<'_>,
    body::BdatMessage<'_, '_>,
    // Values inside them.
    crate::types::address::Domain<'_>,
    crate::types::address::AddressLiteral<'_>,
    crate::types::address::Host<'_>,
    crate::types::address::LocalPart<'_>,
    crate::types::address::Mailbox<'_>,
    crate::types::address::Path<'_>,
    crate::types::address::ReversePath<'_>,
    crate::types::address::ForwardPath<'_>,
    crate::types::param::MailParams<'_>,
    crate::types::param::RcptParams<'_>,
    crate::types::param::Param<'_>,
    crate::types::param::Notify,
    crate::types::param::Orcpt<'_>,
    crate::types::param::By,
    crate::types::param::Mtrk<'_>,
    crate::types::param::Rrvs<'_>,
    crate::types::command::Etrn<'_>,
    crate::types::reply::ReplyCode,
    crate::types::reply::EnhancedStatusCode,
    crate::types::ehlo::Capability<'_>,
    crate::types::ehlo::EhloToken<'_>,
    crate::types::ehlo::Extension,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_copies() {
        let src: [u8; 40] = core::array::from_fn(|i| i as u8 + 1);
        for n in 0..=40 {
            let mut dst = [0u8; 40];
            copy_short(&mut dst[..n], &src[..n]);
            assert_eq!(dst[..n], src[..n]);
            assert!(dst[n..].iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn decimal() {
        for n in [0u64, 7, 10, 99, 1234567890, u64::MAX] {
            let mut out = [0u8; 20];
            let mut writer = SliceWriter {
                out: &mut out,
                pos: 0,
                overflow: false,
            };
            put_decimal(&mut writer, n);
            let len = writer.pos;
            let text = core::str::from_utf8(&out[..len]).unwrap();
            assert_eq!(text.parse::<u64>().unwrap(), n);
        }
    }
}
