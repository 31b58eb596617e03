//! Word-at-a-time byte scans for reply lines: eight octets per step in a
//! `u64` (SWAR), plain safe Rust, no per-byte branch.
//!
//! Reply lines are short (a few dozen octets), where `memchr`'s dispatch
//! costs more than the scan itself, and the reply parser needs one pass that
//! both finds the line end and proves the text free of controls. Every mask
//! here marks the octets it looks for with their high bit; the lowest marked
//! octet is always exact (later ones may be false positives of a borrow), so
//! `trailing_zeros() / 8` is the index of the first match.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight octets at `at`, little-endian; `None` past the end.
#[inline(always)]
fn word(buf: &[u8], at: usize) -> Option<u64> {
    let bytes = buf.get(at..at.checked_add(8)?)?;
    let bytes: [u8; 8] = bytes.try_into().ok()?;
    Some(u64::from_le_bytes(bytes))
}

/// The eight octets at `at`, little-endian, with zeros for those past the
/// end of `buf`.
#[inline(always)]
pub(crate) fn load(buf: &[u8], at: usize) -> u64 {
    if let Some(x) = word(buf, at) {
        return x;
    }
    // Near the end: the last eight octets, shifted down to `at`.
    match buf.len().checked_sub(8) {
        Some(back) if at >= back && at < buf.len() => {
            word(buf, back).map_or(0, |x| x >> (8 * (at - back)))
        }
        _ => {
            let mut bytes = [0u8; 8];
            let tail = buf.get(at..).unwrap_or_default();
            let n = tail.len().min(8);
            bytes[..n].copy_from_slice(&tail[..n]);
            u64::from_le_bytes(bytes)
        }
    }
}

/// Marks the octets that are not printable ASCII (%x20-7E): controls, DEL
/// and every octet of 0x80 or more. Exact for every octet (no carries cross
/// octets).
#[inline(always)]
pub(crate) const fn not_printable(x: u64) -> u64 {
    let low7 = x & !HIGH;
    // High bit set iff the low seven bits are at least 0x20.
    let at_least_space = low7.wrapping_add(0x60 * ONES);
    // High bit set iff the low seven bits are 0x7F.
    let del = low7.wrapping_add(ONES);
    !(at_least_space & !del & !x) & HIGH
}

/// Marks the octets below `n` (`n` at most 0x80); exact for the lowest one.
#[inline(always)]
const fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(n as u64 * ONES) & !x & HIGH
}

/// Marks the octets equal to `b`; exact for the lowest one.
#[inline(always)]
const fn equal(x: u64, b: u8) -> u64 {
    below(x ^ (b as u64 * ONES), 1)
}

/// The index of the first octet of `buf[from..end]` for which `mark` marks
/// it, or `end` when there is none. `end` must be at most `buf.len()`.
#[inline(always)]
fn first(
    buf: &[u8],
    from: usize,
    end: usize,
    mark: impl Fn(u64) -> u64,
    is: impl Fn(u8) -> bool,
) -> usize {
    let Some(window) = buf.get(from..end) else {
        return end;
    };
    let mut words = window.chunks_exact(8);
    let mut at = from;
    for chunk in words.by_ref() {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let m = mark(u64::from_le_bytes(bytes));
        if m != 0 {
            return at + (m.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    if words.remainder().is_empty() {
        return end;
    }
    // Fewer than eight octets left: read the last eight of the window again
    // (when the buffer has them) and drop the ones already seen.
    if let Some(back) = end.checked_sub(8) {
        if let Some(x) = word(buf, back) {
            let m = mark(x) >> (8 * (at - back));
            return if m != 0 {
                at + (m.trailing_zeros() / 8) as usize
            } else {
                end
            };
        }
    }
    words
        .remainder()
        .iter()
        .position(|&b| is(b))
        .map_or(end, |i| at + i)
}

/// The first octet of `buf[from..end]` that is not printable ASCII (a
/// control, DEL or a non-ASCII octet), or `end`.
#[inline]
pub(crate) fn first_not_printable(buf: &[u8], from: usize, end: usize) -> usize {
    first(buf, from, end, not_printable, |b| {
        !(0x20..0x7f).contains(&b)
    })
}

/// The first octet of `buf[from..]` below `n` (at most 0x80), or
/// `buf.len()`.
#[inline]
pub(crate) fn first_below(buf: &[u8], from: usize, n: u8) -> usize {
    first(buf, from, buf.len(), |x| below(x, n), |b| b < n)
}

/// The first `b` in `buf[from..]`, or `buf.len()`.
#[inline]
pub(crate) fn first_equal(buf: &[u8], from: usize, b: u8) -> usize {
    first(buf, from, buf.len(), |x| equal(x, b), |x| x == b)
}

/// ASCII letters of `x` in upper case; other octets unchanged.
#[inline(always)]
pub(crate) const fn upper(x: u64) -> u64 {
    let low7 = x & !HIGH;
    let ge_a = low7.wrapping_add((0x80 - b'a' as u64) * ONES);
    let gt_z = low7.wrapping_add((0x80 - b'z' as u64 - 1) * ONES);
    let lower = ge_a & !gt_z & !x & HIGH;
    x ^ (lower >> 2)
}

/// Up to eight octets of `buf[at..at + len]` (`len` at most 8) as a
/// little-endian word, zero past `len`; upper-cased.
#[inline(always)]
pub(crate) fn upper_word(buf: &[u8], at: usize, len: usize) -> u64 {
    upper(load(buf, at) & low_bytes(len))
}

/// A mask of the low `len` octets of a word (`len` at most 8).
#[inline(always)]
pub(crate) const fn low_bytes(len: usize) -> u64 {
    if len >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    }
}

/// The index of the first octet below `n` (at most 0x80) in the word `x`,
/// or 8.
#[inline(always)]
pub(crate) const fn first_below_in(x: u64, n: u8) -> usize {
    (below(x, n).trailing_zeros() / 8) as usize
}

/// `s` (at most eight octets, upper case) as [`upper_word`] reads it.
pub(crate) const fn pack(s: &[u8]) -> u64 {
    let mut x = 0u64;
    let mut i = 0;
    while i < s.len() && i < 8 {
        x |= (s[i] as u64) << (8 * i);
        i += 1;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(buf: &[u8], from: usize, end: usize, is: impl Fn(u8) -> bool) -> usize {
        buf[from..end]
            .iter()
            .position(|&b| is(b))
            .map_or(end, |i| from + i)
    }

    #[test]
    fn scans_agree_with_byte_loops() {
        let mut rng = 0x1234_5678_9abc_def0u64;
        let alphabet = [
            b'a', b' ', b'\t', b'\r', b'\n', 0, 0x7f, 0x80, 0xff, b'~', 0x1f, b'Z', b'-',
        ];
        for len in 0..40 {
            for _ in 0..200 {
                let buf: Vec<u8> = (0..len)
                    .map(|_| {
                        rng ^= rng << 13;
                        rng ^= rng >> 7;
                        rng ^= rng << 17;
                        if rng % 3 == 0 {
                            alphabet[(rng >> 8) as usize % alphabet.len()]
                        } else {
                            b'a' + (rng >> 16) as u8 % 26
                        }
                    })
                    .collect();
                for from in 0..=len {
                    for end in from..=len {
                        assert_eq!(
                            first_not_printable(&buf, from, end),
                            reference(&buf, from, end, |b| !(0x20..0x7f).contains(&b)),
                            "{buf:?} {from} {end}"
                        );
                    }
                    assert_eq!(
                        first_below(&buf, from, 0x21),
                        reference(&buf, from, len, |b| b < 0x21)
                    );
                    assert_eq!(
                        first_equal(&buf, from, b'\n'),
                        reference(&buf, from, len, |b| b == b'\n')
                    );
                }
            }
        }
    }

    #[test]
    fn upper_case() {
        for b in 0..=255u8 {
            let x = upper(u64::from(b) << 24 | 0x61);
            assert_eq!(x, u64::from(b.to_ascii_uppercase()) << 24 | 0x41, "{b}");
        }
        assert_eq!(upper_word(b"pipelining", 0, 8), pack(b"PIPELINI"));
        assert_eq!(upper_word(b"Size 10", 0, 4), pack(b"SIZE"));
        assert_eq!(upper_word(b"dsn", 0, 3), pack(b"DSN"));
    }
}
