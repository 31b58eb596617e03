//! The block fast path of [`DataDecoder`](super::DataDecoder): classifies
//! 64-byte blocks of DATA content at once, so that the exact per-line logic in
//! `mod.rs` only runs where something may need it.
//!
//! Everything here is plain safe Rust written as reductions over shifted
//! windows, which LLVM turns into SIMD compares on the baseline x86_64 target
//! (SSE2; checked in the assembly, 4 × 16-byte vectors per block); there is no
//! per-byte branch.

/// The bytes classified at once.
pub(super) const BLOCK: usize = 64;

/// Why [`skip`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// The block at the returned position may hold a line-start dot, or
    /// (with `pairs`) a bare CR or bare LF, or (with `nul`) a NUL.
    Attention,
    /// The block at the returned position would end past `limit`.
    Limit,
    /// Fewer than [`BLOCK`] bytes are left.
    Tail,
}

/// What [`skip`] looks for, besides a possible line-start dot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Wanted {
    /// Bare CR and bare LF.
    pub(super) pairs: bool,
    /// NUL.
    pub(super) nul: bool,
}

/// Skips clean blocks from `p`, which must be at least 1 (the byte before each
/// block is part of its window), as long as they end at or before `limit`.
/// Returns where exact work has to start again and why.
///
/// A block `buf[p..p + BLOCK]` is clean when, for every `j` in it, with
/// `buf[j - 1]` before it:
/// * `buf[j - 1]` is not an LF followed by a `.` at `j` (a possible stuffed
///   dot or terminator: only ever after a real CRLF, which the exact path
///   decides);
/// * with `pairs`, `buf[j]` is an LF exactly when `buf[j - 1]` is a CR (so no
///   bare LF at `j` and no bare CR at `j - 1`);
/// * with `nul`, `buf[j]` is not NUL (folded in here rather than searched
///   for separately, so that each byte is read once and a payload costs no
///   extra call).
///
/// A CR in the last byte of a skipped block is not checked against the byte
/// after it, nor is a dot after an LF there: the caller (or the next block,
/// whose window starts with that byte) does that.
#[inline]
pub(super) fn skip(buf: &[u8], p: usize, limit: usize, wanted: Wanted) -> (usize, Stop) {
    // One loop for each, so that the classification carries no run-time
    // switch.
    match (wanted.pairs, wanted.nul) {
        (true, true) => skip_with::<true, true>(buf, p, limit),
        (true, false) => skip_with::<true, false>(buf, p, limit),
        (false, true) => skip_with::<false, true>(buf, p, limit),
        (false, false) => skip_with::<false, false>(buf, p, limit),
    }
}

fn skip_with<const PAIRS: bool, const NUL: bool>(
    buf: &[u8],
    p: usize,
    limit: usize,
) -> (usize, Stop) {
    let (Some(before), Some(blocks)) = (
        p.checked_sub(1).and_then(|before| buf.get(before..)),
        buf.get(p..),
    ) else {
        return (p, Stop::Tail);
    };
    let mut q = p;
    for (before, block) in before.chunks_exact(BLOCK).zip(blocks.chunks_exact(BLOCK)) {
        if q + BLOCK > limit {
            return (q, Stop::Limit);
        }
        if attention::<PAIRS, NUL>(before, block) {
            return (q, Stop::Attention);
        }
        q += BLOCK;
    }
    (q, Stop::Tail)
}

/// Classifies one block: `block[j]` with `before[j]` = the byte before it.
/// Returns `true` when it needs exact attention (see [`skip`]).
#[inline(always)]
fn attention<const PAIRS: bool, const NUL: bool>(before: &[u8], block: &[u8]) -> bool {
    let mut attention = false;
    // Branch-free on purpose: the whole block is reduced with `|` so that it
    // vectorises (compares, and/xor/or, one movemask for the block).
    for (&before, &byte) in before.iter().zip(block) {
        attention |= (PAIRS & ((byte == b'\n') != (before == b'\r')))
            | ((before == b'\n') & (byte == b'.'))
            | (NUL & (byte == 0));
    }
    attention
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block `window[1..]` with the byte before it in `window[0]`.
    fn check<const PAIRS: bool>(window: &[u8; BLOCK + 1]) -> bool {
        attention::<PAIRS, false>(&window[..BLOCK], &window[1..])
    }

    const ALL: Wanted = Wanted {
        pairs: true,
        nul: true,
    };

    #[test]
    fn classification() {
        let text: [u8; BLOCK + 1] = core::array::from_fn(|j| b"abcdefgh"[j % 8]);
        assert!(!check::<true>(&text));
        let mut crlf = text;
        crlf[10] = b'\r';
        crlf[11] = b'\n';
        assert!(!check::<true>(&crlf));
        // The CR before the block (window[0]) pairs with an LF in it.
        let mut first = text;
        first[0] = b'\r';
        first[1] = b'\n';
        assert!(!check::<true>(&first));
        // A CR in the last byte is left to the next block.
        let mut last = text;
        last[BLOCK] = b'\r';
        assert!(!check::<true>(&last));
        for at in 1..=BLOCK {
            let mut bare_lf = text;
            bare_lf[at] = b'\n';
            assert!(check::<true>(&bare_lf), "{at}");
            assert!(!check::<false>(&bare_lf));
            let mut nul = text;
            nul[at] = 0;
            assert!(!check::<true>(&nul));
            assert!(attention::<false, true>(&nul[..BLOCK], &nul[1..]), "{at}");
            let mut dot = text;
            dot[at - 1] = b'\n';
            dot[at] = b'.';
            assert!(check::<false>(&dot), "{at}");
            let mut crlf_dot = dot;
            if at >= 2 {
                crlf_dot[at - 2] = b'\r';
                assert!(check::<true>(&crlf_dot), "{at}");
            }
        }
        for at in 0..BLOCK {
            let mut bare_cr = text;
            bare_cr[at] = b'\r';
            assert!(check::<true>(&bare_cr), "{at}");
            assert!(!check::<false>(&bare_cr));
        }
    }

    #[test]
    fn skipping() {
        let mut buf = [b'x'; 10 * BLOCK];
        assert_eq!(skip(&buf, 0, usize::MAX, ALL), (0, Stop::Tail));
        assert_eq!(skip(&buf, 1, usize::MAX, ALL), (9 * BLOCK + 1, Stop::Tail));
        assert_eq!(skip(&buf, 1, 3 * BLOCK, ALL), (2 * BLOCK + 1, Stop::Limit));
        buf[5 * BLOCK] = b'\n';
        assert_eq!(
            skip(&buf, 1, usize::MAX, ALL),
            (4 * BLOCK + 1, Stop::Attention)
        );
        assert_eq!(
            skip(&buf, 5 * BLOCK + 1, usize::MAX, ALL),
            (9 * BLOCK + 1, Stop::Tail)
        );
    }
}
