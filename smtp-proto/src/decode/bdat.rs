//! [`BdatDecoder`]: the octets of one BDAT chunk (RFC 3030).

/// Reads exactly the octets of one BDAT chunk (RFC 3030 §2).
///
/// Create one after the command parser has consumed a `BDAT <size> [LAST]`
/// line: the chunk starts right after that line's CRLF. Chunk data is opaque
/// and binary-safe: no dot-stuffing, no terminator search, no line rules
/// (RFC 3030 §2; Exim CVE-2017-16944 came from looking for `.` in BDAT data).
///
/// Each [`decode`](BdatDecoder::decode) call takes as much of the chunk as
/// `buf` holds, never more, in O(1). The slices of successive calls
/// concatenate to the chunk whatever the buffer splits, and the octets after
/// the chunk (a pipelined `BDAT`, `QUIT`, …) are left for the command parser.
///
/// `BDAT 0 LAST` is valid: a decoder of size 0 is done at once.
///
/// # Rejected chunks
///
/// A server that refuses a chunk (too large, no valid recipient, …) must
/// still read and discard it before replying, and must accept and discard any
/// BDAT chunks pipelined after it (RFC 3030 §2, §4.2; go-smtp#315 was a server
/// that read the next chunk's data as commands). Use the same decoder and
/// drop the slices, or call [`drain`](BdatDecoder::drain):
///
/// ```
/// use smtp_wire::BdatDecoder;
///
/// // "BDAT 5\r\n" was parsed and refused; 3 octets arrived with this read.
/// let mut chunk = BdatDecoder::new(5);
/// assert_eq!(chunk.drain(b"abc"), 3);
/// // The next read completes the chunk and brings the next command.
/// let buf = b"deQUIT\r\n";
/// let n = chunk.drain(buf);
/// assert!(chunk.is_done());
/// assert_eq!(&buf[n..], b"QUIT\r\n"); // now reply 5xx, then parse QUIT
/// ```
///
/// # Examples
///
/// ```
/// use smtp_wire::BdatDecoder;
///
/// // After "BDAT 12 LAST\r\n": the chunk arrives in two reads, then QUIT.
/// let mut chunk = BdatDecoder::new(12);
/// let mut body = Vec::new();
///
/// let (data, n) = chunk.decode(b"Hello");
/// body.extend_from_slice(data);
/// assert_eq!(n, 5);
/// assert_eq!(chunk.remaining(), 7);
///
/// let buf = b", BDAT!QUIT\r\n";
/// let (data, n) = chunk.decode(buf);
/// body.extend_from_slice(data);
/// assert!(chunk.is_done());
/// assert_eq!(body, b"Hello, BDAT!");
/// assert_eq!(&buf[n..], b"QUIT\r\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BdatDecoder {
    remaining: u64,
}

impl BdatDecoder {
    /// A decoder for a chunk of `size` octets, as announced by `BDAT <size>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::BdatDecoder;
    /// assert!(BdatDecoder::new(0).is_done()); // BDAT 0 LAST
    /// assert_eq!(BdatDecoder::new(42).remaining(), 42);
    /// ```
    pub const fn new(size: u64) -> BdatDecoder {
        BdatDecoder { remaining: size }
    }

    /// Takes the next part of the chunk from the front of `buf`.
    ///
    /// Returns the chunk octets found (a slice of `buf`) and how many bytes
    /// were consumed; the two always agree (`data.len() == consumed`), the
    /// count is there so that the loop looks like every other parser's. When
    /// the decoder is done it consumes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::BdatDecoder;
    ///
    /// let mut chunk = BdatDecoder::new(3);
    /// let buf = b"abcBDAT 2 LAST\r\nde";
    /// assert_eq!(chunk.decode(buf), (&b"abc"[..], 3));
    /// assert_eq!(chunk.decode(&buf[3..]), (&b""[..], 0)); // done: nothing more
    /// ```
    #[inline]
    pub fn decode<'a>(&mut self, buf: &'a [u8]) -> (&'a [u8], usize) {
        // If `remaining` does not fit in usize it is larger than any slice.
        let take = usize::try_from(self.remaining).map_or(buf.len(), |r| r.min(buf.len()));
        let (data, _) = buf.split_at(take);
        // `take` <= `remaining`, so this cannot underflow; widening is lossless.
        self.remaining -= take as u64;
        (data, take)
    }

    /// Consumes and discards the next part of the chunk, returning how many
    /// bytes of `buf` it used. For a chunk the server has refused (see the
    /// type's documentation).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::BdatDecoder;
    /// let mut chunk = BdatDecoder::new(2);
    /// assert_eq!(chunk.drain(b"xyNOOP\r\n"), 2);
    /// assert!(chunk.is_done());
    /// ```
    #[inline]
    pub fn drain(&mut self, buf: &[u8]) -> usize {
        self.decode(buf).1
    }

    /// Octets of the chunk not yet decoded.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::BdatDecoder;
    /// let mut chunk = BdatDecoder::new(10);
    /// chunk.decode(b"1234");
    /// assert_eq!(chunk.remaining(), 6);
    /// ```
    pub const fn remaining(&self) -> u64 {
        self.remaining
    }

    /// `true` when the whole chunk has been decoded; the next bytes belong to
    /// the command parser.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::BdatDecoder;
    /// let mut chunk = BdatDecoder::new(1);
    /// assert!(!chunk.is_done());
    /// chunk.decode(b"x");
    /// assert!(chunk.is_done());
    /// ```
    pub const fn is_done(&self) -> bool {
        self.remaining == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every way of splitting a chunk plus a pipelined tail into two reads
    /// yields the chunk and leaves the tail.
    #[test]
    fn every_split_point() {
        let stream = b"0123456789BDAT 3 LAST\r\nabc";
        for size in 0..=10usize {
            for split in 0..=stream.len() {
                let mut chunk = BdatDecoder::new(size as u64);
                let (first, second) = stream.split_at(split);
                let (a, n1) = chunk.decode(first);
                let (b, n2) = chunk.decode(second);
                assert_eq!((a.len(), b.len()), (n1, n2));
                assert!(chunk.is_done());
                assert_eq!([a, b].concat(), &stream[..size]);
                assert_eq!([&first[n1..], &second[n2..]].concat(), &stream[size..]);
            }
        }
    }

    #[test]
    fn huge_size_takes_everything() {
        let mut chunk = BdatDecoder::new(u64::MAX);
        assert_eq!(chunk.decode(b"abc"), (&b"abc"[..], 3));
        assert_eq!(chunk.remaining(), u64::MAX - 3);
        assert_eq!(chunk.decode(b""), (&b""[..], 0));
    }

    #[test]
    fn zero_is_done() {
        let mut chunk = BdatDecoder::new(0);
        assert!(chunk.is_done());
        assert_eq!(chunk.decode(b"QUIT\r\n"), (&b""[..], 0));
    }
}
