//! Byte classes and validators for the RFC 5321 / 3461 / 4954 terminals.
//!
//! Shared by the validating constructors in `types` and by the parsers, so a
//! value built by hand obeys exactly the grammar the parser accepts. Table
//! lookups, no nom: these run on every octet of every address.

/// `ALPHA / DIGIT`.
pub(crate) const ALNUM: u8 = 1 << 0;
/// `atext` of RFC 5322 §3.2.3 (ASCII part).
pub(crate) const ATEXT: u8 = 1 << 1;
/// `qtextSMTP` of RFC 5321 §4.1.2 (ASCII part): %d32-33 / %d35-91 / %d93-126.
pub(crate) const QTEXT: u8 = 1 << 2;
/// `esmtp-value` of RFC 5321 §4.1.2 (ASCII part): %d33-60 / %d62-126.
pub(crate) const ESMTP_VALUE: u8 = 1 << 3;
/// `xchar` of RFC 3461 §4: %x21-2A / %x2C-3C / %x3E-7E.
pub(crate) const XCHAR: u8 = 1 << 4;
/// `dcontent` of RFC 5321 §4.1.3: %d33-90 / %d94-126.
pub(crate) const DCONTENT: u8 = 1 << 5;
/// Printable US-ASCII and SP: %d32-126.
pub(crate) const PRINT: u8 = 1 << 6;
/// Base64 alphabet of RFC 4648 §4 (without `=`).
pub(crate) const BASE64: u8 = 1 << 7;

const fn class_of(b: u8) -> u8 {
    let mut class = 0;
    let alnum = b.is_ascii_alphanumeric();
    if alnum {
        class |= ALNUM | BASE64;
    }
    if alnum
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'/'
                | b'='
                | b'?'
                | b'^'
                | b'_'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'~'
        )
    {
        class |= ATEXT;
    }
    if matches!(b, 32..=33 | 35..=91 | 93..=126) {
        class |= QTEXT;
    }
    if matches!(b, 33..=60 | 62..=126) {
        class |= ESMTP_VALUE;
    }
    if matches!(b, 0x21..=0x2A | 0x2C..=0x3C | 0x3E..=0x7E) {
        class |= XCHAR;
    }
    if matches!(b, 33..=90 | 94..=126) {
        class |= DCONTENT;
    }
    if matches!(b, 32..=126) {
        class |= PRINT;
    }
    if b == b'+' || b == b'/' {
        class |= BASE64;
    }
    class
}

static CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = class_of(i as u8);
        i += 1;
    }
    table
};

#[inline(always)]
pub(crate) fn is(b: u8, class: u8) -> bool {
    CLASSES[b as usize] & class != 0
}

/// All bytes of `s` are in `class`, or, where `utf8` is allowed, non-ASCII.
/// Non-ASCII bytes must still form valid UTF-8; callers check that once per
/// line with `core::str::from_utf8`.
#[inline]
pub(crate) fn all(s: &[u8], class: u8, utf8: bool) -> bool {
    s.iter().all(|&b| is(b, class) || (utf8 && b >= 0x80))
}

/// `sub-domain *("." sub-domain)`, `sub-domain = Let-dig [Ldh-str]`
/// (RFC 5321 §4.1.2), with U-labels when `utf8` (RFC 6531 §3.3).
///
/// Labels are at most 63 octets (RFC 1035); the whole length limit is the
/// caller's. `_` is not allowed (RFC 5321 §4.1.2, last paragraph).
///
/// One pass over the octets (it runs on every address of every command).
pub(crate) fn is_domain(s: &[u8], utf8: bool) -> bool {
    let letdig = |b: u8| is(b, ALNUM) || (utf8 && b >= 0x80);
    let mut label_len = 0usize;
    let mut prev = b'.';
    for &b in s {
        if b == b'.' {
            // A label is not empty and ends with a letter or digit.
            if label_len == 0 || !letdig(prev) {
                return false;
            }
            label_len = 0;
        } else {
            // It starts with a letter or digit; hyphens only inside.
            let ok = if label_len == 0 {
                letdig(b)
            } else {
                letdig(b) || b == b'-'
            };
            label_len += 1;
            if !ok || label_len > 63 {
                return false;
            }
        }
        prev = b;
    }
    label_len != 0 && letdig(prev)
}

/// `Dot-string = Atom *("." Atom)` (RFC 5321 §4.1.2).
pub(crate) fn is_dot_string(s: &[u8], utf8: bool) -> bool {
    !s.is_empty()
        && s.split(|&b| b == b'.')
            .all(|atom| !atom.is_empty() && all(atom, ATEXT, utf8))
}

/// `Atom = 1*atext`.
pub(crate) fn is_atom(s: &[u8], utf8: bool) -> bool {
    !s.is_empty() && all(s, ATEXT, utf8)
}

/// The length of the `Quoted-string` at the front of `s` (RFC 5321 §4.1.2),
/// or `None` when `s` does not start with a complete, valid one.
pub(crate) fn quoted_string_len(s: &[u8], utf8: bool) -> Option<usize> {
    if s.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while let Some(&b) = s.get(i) {
        match b {
            b'"' => return Some(i + 1),
            // quoted-pairSMTP = %d92 %d32-126
            b'\\' => match s.get(i + 1) {
                Some(&escaped) if (32..=126).contains(&escaped) => i += 2,
                _ => return None,
            },
            _ if is(b, QTEXT) || (utf8 && b >= 0x80) => i += 1,
            _ => return None,
        }
    }
    None
}

/// `Local-part = Dot-string / Quoted-string`.
pub(crate) fn is_local_part(s: &[u8], utf8: bool) -> bool {
    if s.first() == Some(&b'"') {
        quoted_string_len(s, utf8) == Some(s.len())
    } else {
        is_dot_string(s, utf8)
    }
}

/// `Snum 3("." Snum)`, `Snum = 1*3DIGIT` with a value of 0 to 255
/// (RFC 5321 §4.1.3). Leading zeros are decimal, never octal.
pub(crate) fn parse_ipv4(s: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = s.split(|&b| b == b'.');
    for slot in &mut out {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let value = part.iter().fold(0u16, |n, &d| n * 10 + u16::from(d - b'0'));
        *slot = u8::try_from(value).ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// `IPv6-addr` of RFC 5321 §4.1.3, which is stricter than RFC 4291: at most
/// six groups besides `::` (four with an IPv4 tail), and `::` stands for at
/// least two zero groups.
pub(crate) fn parse_ipv6(s: &[u8]) -> Option<[u16; 8]> {
    fn groups(
        side: &[u8],
        out: &mut [u16; 8],
        count: &mut usize,
        v4: &mut Option<[u8; 4]>,
    ) -> bool {
        if side.is_empty() {
            return true;
        }
        let mut parts = side.split(|&b| b == b':').peekable();
        while let Some(part) = parts.next() {
            let is_last = parts.peek().is_none();
            if is_last && part.contains(&b'.') {
                match parse_ipv4(part) {
                    Some(addr) => *v4 = Some(addr),
                    None => return false,
                }
                continue;
            }
            if part.is_empty()
                || part.len() > 4
                || !part.iter().all(u8::is_ascii_hexdigit)
                || *count >= 8
            {
                return false;
            }
            out[*count] = part
                .iter()
                .fold(0u16, |n, &d| (n << 4) | hex_value(d) as u16);
            *count += 1;
        }
        true
    }
    let mut head = [0u16; 8];
    let mut tail = [0u16; 8];
    let (mut head_n, mut tail_n) = (0, 0);
    let (mut head_v4, mut v4) = (None, None);
    let compressed = memchr::memmem::find(s, b"::");
    match compressed {
        None => {
            if !groups(s, &mut head, &mut head_n, &mut v4) {
                return None;
            }
            // IPv6-full: 8 groups; IPv6v4-full: 6 groups and an IPv4 tail.
            let expected = if v4.is_some() { 6 } else { 8 };
            if head_n != expected {
                return None;
            }
        }
        Some(at) => {
            let (left, right) = (&s[..at], &s[at + 2..]);
            if !groups(left, &mut head, &mut head_n, &mut head_v4)
                || head_v4.is_some()
                || !groups(right, &mut tail, &mut tail_n, &mut v4)
            {
                return None;
            }
            let max = if v4.is_some() { 4 } else { 6 };
            if head_n + tail_n > max {
                return None;
            }
        }
    }
    let mut out = [0u16; 8];
    out[..head_n].copy_from_slice(&head[..head_n]);
    let v4_groups = if v4.is_some() { 2 } else { 0 };
    let tail_start = 8 - v4_groups - tail_n;
    out[tail_start..tail_start + tail_n].copy_from_slice(&tail[..tail_n]);
    if let Some([a, b, c, d]) = v4 {
        out[6] = u16::from_be_bytes([a, b]);
        out[7] = u16::from_be_bytes([c, d]);
    }
    Some(out)
}

pub(crate) fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// `xtext = *( xchar / hexchar )`, `hexchar = "+" 2(upper-case HEXDIG)`
/// (RFC 3461 §4). With `utf8`, non-ASCII octets are allowed as in an
/// SMTPUTF8 `esmtp-value` (RFC 6531 §3.3).
/// Kept as the reference for [`is_xtext_text`].
#[cfg(test)]
pub(crate) fn is_xtext(s: &[u8], utf8: bool) -> bool {
    let mut i = 0;
    while let Some(&b) = s.get(i) {
        if b == b'+' {
            match (s.get(i + 1), s.get(i + 2)) {
                (Some(&h), Some(&l)) if is_upper_hex(h) && is_upper_hex(l) => i += 3,
                _ => return false,
            }
        } else if is(b, XCHAR) || (utf8 && b >= 0x80) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// [`is_xtext`] with `utf8`, whose decoded octets are valid UTF-8 holding
/// no [hidden](is_hidden) character: the rule of `XText::new`, in one pass.
/// So an escape cannot smuggle in a control (`+0A`), nor can escapes that
/// form a UTF-8 sequence (`+C2+85`, U+0085), nor raw UTF-8 (U+2028).
/// With `ascii`, the raw octets are also ASCII (`xtext` proper, RFC 3461 §4);
/// escapes may still decode to UTF-8, as Postfix sends an SMTPUTF8
/// recipient in `ORCPT=rfc822;`.
pub(crate) fn is_xtext_text(s: &[u8], ascii: bool) -> bool {
    let mut decoded = Utf8Check::new();
    let mut i = 0;
    while let Some(&b) = s.get(i) {
        let octet = if b == b'+' {
            match (s.get(i + 1), s.get(i + 2)) {
                (Some(&h), Some(&l)) if is_upper_hex(h) && is_upper_hex(l) => {
                    i += 3;
                    hex_value(h) << 4 | hex_value(l)
                }
                _ => return false,
            }
        } else if is(b, XCHAR) || (b >= 0x80 && !ascii) {
            i += 1;
            b
        } else {
            return false;
        };
        if !decoded.push(octet) {
            return false;
        }
    }
    decoded.is_complete()
}

/// A code point that no address, decoded parameter value or U-label may
/// hold: C0 and C1 controls and DEL (U+0085 NEXT LINE among them), the line
/// and paragraph separators U+2028 and U+2029, the bidi controls (U+061C,
/// U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), and the invisible
/// format characters: SOFT HYPHEN, U+180E, the zero-width characters U+200B
/// to U+200D, U+2060 to U+2064 and U+FEFF, the deprecated format characters
/// U+206A to U+206F, the interlinear annotation characters U+FFF9 to U+FFFB
/// and the tag characters U+E0000 to U+E007F.
///
/// IDNA2008 (RFC 5892) disallows all of them in U-labels but two: ZERO WIDTH
/// NON-JOINER and ZERO WIDTH JOINER (U+200C, U+200D) are `CONTEXTJ`, allowed
/// after a virama or between joining letters of a few scripts. Checking that
/// context takes Unicode property tables, so they are refused everywhere:
/// stricter than IDNA2008, on purpose.
///
/// A few ranges, no table: it runs on decoded code points only where a
/// value is not ASCII or is escaped.
#[inline]
pub(crate) const fn is_hidden(c: u32) -> bool {
    matches!(
        c,
        0x00..=0x1F
            | 0x7F..=0x9F
            | 0xAD
            | 0x061C
            | 0x180E
            | 0x200B..=0x200F
            | 0x2028..=0x202E
            | 0x2060..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0xE0000..=0xE007F
    )
}

/// `s` holds no [hidden](is_hidden) character.
#[inline]
pub(crate) fn has_no_hidden(s: &str) -> bool {
    s.chars().all(|c| !is_hidden(c as u32))
}

/// Checks a stream of octets as UTF-8 (RFC 3629: no overlong form, no
/// surrogate, nothing past U+10FFFF) whose characters are not
/// [hidden](is_hidden), one octet at a time: decoded xtext is checked as it
/// is decoded, with no buffer.
pub(crate) struct Utf8Check {
    code: u32,
    min: u32,
    pending: u8,
}

impl Utf8Check {
    pub(crate) const fn new() -> Utf8Check {
        Utf8Check {
            code: 0,
            min: 0,
            pending: 0,
        }
    }

    /// Takes the next octet; `false` once the octets cannot be valid UTF-8
    /// or end a hidden character.
    #[inline]
    pub(crate) fn push(&mut self, b: u8) -> bool {
        if self.pending == 0 {
            let (pending, code, min) = match b {
                0x00..=0x7F => return !is_hidden(b as u32),
                0xC2..=0xDF => (1, b & 0x1F, 0x80),
                0xE0..=0xEF => (2, b & 0x0F, 0x800),
                0xF0..=0xF4 => (3, b & 0x07, 0x1_0000),
                _ => return false,
            };
            (self.pending, self.code, self.min) = (pending, u32::from(code), min);
            return true;
        }
        if b & 0xC0 != 0x80 {
            return false;
        }
        self.code = self.code << 6 | u32::from(b & 0x3F);
        self.pending -= 1;
        self.pending != 0
            || (self.code >= self.min
                && self.code <= 0x10_FFFF
                && !(0xD800..=0xDFFF).contains(&self.code)
                && !is_hidden(self.code))
    }

    /// No sequence is left open.
    pub(crate) fn is_complete(&self) -> bool {
        self.pending == 0
    }
}

/// `QCHAR = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e` (RFC 6533 §3): printable
/// ASCII but `+`, `=` and `\`.
fn is_qchar(b: u8) -> bool {
    matches!(b, 0x21..=0x2A | 0x2C..=0x3C | 0x3E..=0x5B | 0x5D..=0x7E)
}

/// The first character of a `utf-8-addr-unitext` (RFC 6533 §3) at the front
/// of `s`, and the bytes it took, or `None` when `s` does not start with a
/// valid one:
///
/// ```abnf
/// utf-8-addr-unitext  = 1*(QUCHAR / EmbeddedUnicodeChar)
/// QUCHAR              = QCHAR / UTF8-2 / UTF8-3 / UTF8-4
/// EmbeddedUnicodeChar = %x5C.78 "{" HEXPOINT "}"   ; "\x{", lower-case x
/// HEXPOINT = ( ( "0"/"1" ) %x31-39 ) / "10" / "20" / "2B" / "3D" / "7F" /
///            "5C" / (HEXDIG8 HEXDIG) / ( NZHEXDIG 2(HEXDIG) ) /
///            ( NZDHEXDIG 3(HEXDIG) ) / ( "D" %x30-37 2(HEXDIG) ) /
///            ( NZHEXDIG 4(HEXDIG) ) / ( "10" 4*HEXDIG )
/// ```
///
/// So an escape is the code point in hexadecimal without leading zeros
/// (either case: `HEXDIG` is quoted ABNF), of a character that cannot be
/// written as it is (a control, SP, `+`, `=`, `\`, DEL) or is not ASCII,
/// never a surrogate. The last form's `4*HEXDIG` is read as `4HEXDIG`: more
/// digits would pass U+10FFFF. The decoded character must not be
/// [hidden](is_hidden) either, which leaves no control (the RFC asks the
/// decoded address to be a `Mailbox`, which holds none).
pub(crate) fn utf8_addr_char(s: &str) -> Option<(char, usize)> {
    let bytes = s.as_bytes();
    let (c, used) = match *bytes.first()? {
        b'\\' => {
            if bytes.get(1) != Some(&b'x') || bytes.get(2) != Some(&b'{') {
                return None;
            }
            let hex = bytes.get(3..)?;
            let n = hex
                .iter()
                .take(7)
                .take_while(|b| b.is_ascii_hexdigit())
                .count();
            if hex.get(n) != Some(&b'}') {
                return None;
            }
            let value = hex[..n]
                .iter()
                .fold(0u32, |v, &d| v << 4 | u32::from(hex_value(d)));
            let canonical = match n {
                2 => matches!(
                    value,
                    0x01..=0x09 | 0x10..=0x19 | 0x20 | 0x2B | 0x3D | 0x5C | 0x7F | 0x80..=0xFF
                ),
                3 => value >= 0x100,
                4 => value >= 0x1000 && !(0xD800..=0xDFFF).contains(&value),
                5 => value >= 0x1_0000,
                6 => (0x10_0000..=0x10_FFFF).contains(&value),
                _ => false,
            };
            if !canonical {
                return None;
            }
            (char::from_u32(value)?, 4 + n)
        }
        b if b < 0x80 => (char::from(b), 1),
        _ => {
            let c = s.chars().next()?;
            (c, c.len_utf8())
        }
    };
    let ok = match c {
        '\0'..='\x7f' if used == 1 => is_qchar(c as u8),
        _ => !is_hidden(c as u32),
    };
    ok.then_some((c, used))
}

/// `s` is a `utf-8-addr-unitext` (RFC 6533 §3); see [`utf8_addr_char`].
pub(crate) fn is_utf8_addr(s: &str) -> bool {
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        match utf8_addr_char(rest) {
            Some((_, used)) => rest = &rest[used..],
            None => return false,
        }
    }
    true
}

fn is_upper_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'A'..=b'F').contains(&b)
}

/// Canonical base64 (RFC 4648 §4), as RFC 4954 §4 requires: length a multiple
/// of four, padding only at the end, and zero bits in the unused part of the
/// last symbol (CVE-2018-6789 came from accepting sloppy base64).
pub(crate) fn is_base64(s: &[u8]) -> bool {
    if s.len() % 4 != 0 {
        return false;
    }
    let pad = s.iter().rev().take_while(|&&b| b == b'=').count();
    if pad > 2 {
        return false;
    }
    let body = &s[..s.len() - pad];
    if !body.iter().all(|&b| is(b, BASE64)) {
        return false;
    }
    let sextet = |b: u8| match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    match (pad, body.last()) {
        (1, Some(&last)) => sextet(last) & 0b11 == 0,
        (2, Some(&last)) => sextet(last) & 0b1111 == 0,
        _ => true,
    }
}

/// `esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")`.
pub(crate) fn is_keyword(s: &[u8]) -> bool {
    match s.first() {
        Some(&first) => is(first, ALNUM) && s.iter().all(|&b| is(b, ALNUM) || b == b'-'),
        None => false,
    }
}

/// `esmtp-value = 1*(%d33-60 / %d62-126)`, plus UTF-8 under SMTPUTF8.
pub(crate) fn is_esmtp_value(s: &[u8]) -> bool {
    !s.is_empty() && all(s, ESMTP_VALUE, true) && core::str::from_utf8(s).is_ok()
}

/// [`is_esmtp_value`] for a `str`, which is UTF-8 already: one pass, no
/// second UTF-8 check.
#[inline]
pub(crate) fn is_esmtp_value_str(s: &str) -> bool {
    !s.is_empty() && all(s.as_bytes(), ESMTP_VALUE, true)
}

/// `str::split_once` for an ASCII byte: a plain byte scan, faster than the
/// char searcher on the short texts of a command line.
#[inline]
pub(crate) fn split_once_byte(s: &str, byte: u8) -> Option<(&str, &str)> {
    debug_assert!(byte.is_ascii());
    let at = s.as_bytes().iter().position(|&b| b == byte)?;
    // An ASCII byte is always a char boundary.
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// The first `byte` in `s`. A plain loop on purpose: the fields searched
/// with it (a verb, a path, a parameter) are a few dozen bytes, where
/// memchr's dispatch costs more than the scan. Line ends use memchr.
#[inline(always)]
pub(crate) fn find_byte(s: &[u8], byte: u8) -> Option<usize> {
    s.iter().position(|&b| b == byte)
}

/// The first of `a` or `b` in `s`; see [`find_byte`].
#[inline(always)]
pub(crate) fn find_either(s: &[u8], a: u8, b: u8) -> Option<usize> {
    s.iter().position(|&x| x == a || x == b)
}

/// `s.split(byte as char)` with a byte scan instead of a char searcher.
#[cfg_attr(not(any(test, fuzzing)), allow(dead_code))]
#[inline]
pub(crate) fn split_byte(s: &str, byte: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    core::iter::from_fn(move || {
        let list = rest?;
        Some(match split_once_byte(list, byte) {
            Some((item, tail)) => {
                rest = Some(tail);
                item
            }
            None => {
                rest = None;
                list
            }
        })
    })
}

/// `s` without an ASCII `prefix` matched case-insensitively, or `None`.
#[inline]
pub(crate) fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

/// Text for HELP, NOOP, VRFY and EXPN arguments and the text after an EHLO
/// host: printable ASCII or UTF-8, no controls (C0, DEL and C1, such as
/// U+0085), no line or paragraph separator (U+2028, U+2029), no leading or
/// trailing SP.
pub(crate) fn is_text_arg(s: &[u8]) -> bool {
    !s.is_empty()
        && s.first() != Some(&b' ')
        && s.last() != Some(&b' ')
        && all(s, PRINT, true)
        && core::str::from_utf8(s).is_ok_and(|text| {
            text.is_ascii()
                || text
                    .chars()
                    .all(|c| !matches!(c as u32, 0x80..=0x9F | 0x2028 | 0x2029))
        })
}

/// `true` for a leap year of the proleptic Gregorian calendar (RFC 3339
/// Appendix C).
pub(crate) const fn is_leap_year(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days in `month` (1 to 12) of `year` (RFC 3339 §5.7).
pub(crate) const fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An RFC 3339 `date-time`, as HOLDUNTIL (RFC 4865) and RRVS (RFC 7293) use,
/// with the field ranges of RFC 3339 §5.7:
///
/// ```abnf
/// date-time      = full-date "T" full-time      ; "T" and "Z" in either case
/// full-date      = date-fullyear "-" date-month "-" date-mday
/// full-time      = partial-time time-offset
/// partial-time   = time-hour ":" time-minute ":" time-second [time-secfrac]
/// time-secfrac   = "." 1*DIGIT
/// time-offset    = "Z" / time-numoffset
/// time-numoffset = ("+" / "-") time-hour ":" time-minute
/// ```
///
/// The day exists in its month (February 29 only in leap years), hours are
/// 00 to 23, minutes 00 to 59, seconds 00 to 59, and 60 only for a leap
/// second: at 23:59:60 UTC on the last day of a month (ITU-R TF.460, which
/// RFC 3339 §5.7 and Appendix D follow), written in any offset, for example
/// `1990-12-31T15:59:60-08:00`. Whether a leap second was actually inserted
/// on that day is not checked (no table of them).
pub(crate) fn is_date_time(s: &[u8]) -> bool {
    fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
        let part = s.get(at..at + n)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |v, &d| v * 10 + u32::from(d - b'0')))
    }
    let fields = || -> Option<[u32; 6]> {
        let (year, month, day) = (digits(s, 0, 4)?, digits(s, 5, 2)?, digits(s, 8, 2)?);
        let (hour, minute, second) = (digits(s, 11, 2)?, digits(s, 14, 2)?, digits(s, 17, 2)?);
        let separators = s.get(4) == Some(&b'-')
            && s.get(7) == Some(&b'-')
            && matches!(s.get(10), Some(b'T' | b't'))
            && s.get(13) == Some(&b':')
            && s.get(16) == Some(&b':');
        let ranges = (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && hour <= 23
            && minute <= 59
            && second <= 60;
        (separators && ranges).then_some([year, month, day, hour, minute, second])
    };
    let Some([year, month, day, hour, minute, second]) = fields() else {
        return false;
    };
    let mut i = 19;
    if s.get(i) == Some(&b'.') {
        let frac = s[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if frac == 0 {
            return false;
        }
        i += 1 + frac;
    }
    // The offset in minutes east of UTC.
    let offset = match s.get(i..) {
        Some([b'Z' | b'z']) => 0,
        Some([sign @ (b'+' | b'-'), ..]) => {
            let rest = &s[i..];
            let (Some(h), Some(m)) = (digits(rest, 1, 2), digits(rest, 4, 2)) else {
                return false;
            };
            if rest.len() != 6 || rest[3] != b':' || h > 23 || m > 59 {
                return false;
            }
            let minutes = (h * 60 + m) as i32;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return false,
    };
    second < 60 || is_leap_second(year, month, day, hour * 60 + minute, offset)
}

/// A local time of `hh:mm:60` on `year-month-day`, `offset` minutes east of
/// UTC, falls on 23:59:60 UTC of the last day of a month.
fn is_leap_second(year: u32, month: u32, day: u32, local_minute: u32, offset: i32) -> bool {
    const LAST_MINUTE: i32 = 23 * 60 + 59;
    let utc = local_minute as i32 - offset;
    let last = days_in_month(year, month);
    if utc == LAST_MINUTE {
        day == last
    } else if utc == LAST_MINUTE - 1440 {
        // The day before in UTC: the last day of the month before.
        day == 1
    } else if utc == LAST_MINUTE + 1440 {
        // The day after in UTC.
        day + 1 == last
    } else {
        false
    }
}

/// Parses `1*max_digits DIGIT` into a `u64` with checked arithmetic. ASCII
/// digits only: `char::is_numeric` would let fullwidth digits in.
pub(crate) fn parse_u64(s: &[u8]) -> Result<u64, NumberError> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return Err(NumberError::Syntax);
    }
    s.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d - b'0')))
            .ok_or(NumberError::Overflow)
    })
}

// Scanners: each validates one rule from a position and returns where the
// longest valid run ends, so that the one-pass parser (which meets the
// delimiter as it goes) and the framed path (which checks that the run is
// the whole field) share one validator per rule. The contract of every
// `scan_*(s, start, ..) = end`:
//
// * `start <= end`, and `s[start..end]` is valid when `end > start`;
// * when `s[start..j]` is valid and `s[j]` cannot continue it (or `j` is
//   the end of `s`), `end == j`.
//
// So "`s` is valid" is `scan(s, 0) == s.len() && !s.is_empty()`, and "a valid
// field ends at the delimiter `d`" is `end > start && s.get(end) == Some(&d)`
// for any `d` that cannot continue the field. Bytes of 0x80 and above count
// as letters when `utf8` is set; callers check UTF-8 itself.

/// Eight bytes of `s` from `at`, as a little-endian word, when there are.
#[inline(always)]
fn word_at(s: &[u8], at: usize) -> Option<u64> {
    let bytes = s.get(at..)?.first_chunk::<8>()?;
    Some(u64::from_le_bytes(*bytes))
}

const LANES_HIGH: u64 = 0x8080_8080_8080_8080;

/// Each byte of `x` (all below 0x80) is at least `c`, as its high bit.
#[inline(always)]
const fn lanes_at_least(x: u64, c: u8) -> u64 {
    (x + u64::from_le_bytes([0x80 - c; 8])) & LANES_HIGH
}

/// The high bit of each byte of `w` that is not an ASCII letter or digit.
/// Eight bytes classified in a score of word operations (the bytes are
/// below 0x80 once bit 7 is cleared, so no sum carries into the next byte).
#[inline(always)]
const fn lanes_not_alnum(w: u64) -> u64 {
    let x = w & !LANES_HIGH;
    let digit = lanes_at_least(x, b'0') & !lanes_at_least(x, b'9' + 1);
    let folded = x | u64::from_le_bytes([0x20; 8]);
    let letter = lanes_at_least(folded, b'a') & !lanes_at_least(folded, b'z' + 1);
    (!(digit | letter) & LANES_HIGH) | (w & LANES_HIGH)
}

/// The high bit of each byte of `w` that is not printable ASCII or SP
/// (%d32-126, [`PRINT`]).
#[inline(always)]
const fn lanes_not_print(w: u64) -> u64 {
    let x = w & !LANES_HIGH;
    let control = !lanes_at_least(x, 0x20) | lanes_at_least(x, 0x7f);
    (control & LANES_HIGH) | (w & LANES_HIGH)
}

/// The end of the run of bytes from `start` that `lanes_not` does not flag,
/// eight at a time while eight remain, then byte by byte with `in_class`.
#[inline(always)]
fn scan_lanes(
    s: &[u8],
    start: usize,
    lanes_not: impl Fn(u64) -> u64,
    in_class: impl Fn(u8) -> bool,
) -> usize {
    let mut i = start;
    while let Some(w) = word_at(s, i) {
        let stop = lanes_not(w);
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = s.get(i) {
        if !in_class(b) {
            break;
        }
        i += 1;
    }
    i
}

/// The end of the run of ASCII letters and digits from `start`.
#[inline(always)]
pub(crate) fn scan_alnum(s: &[u8], start: usize) -> usize {
    scan_lanes(s, start, lanes_not_alnum, |b| is(b, ALNUM))
}

/// The end of the run of printable ASCII and SP (%d32-126) from `start`.
#[inline(always)]
pub(crate) fn scan_print(s: &[u8], start: usize) -> usize {
    scan_lanes(s, start, lanes_not_print, |b| is(b, PRINT))
}

/// The end of the run of letters and digits, and of octets from 0x80 when
/// `utf8`, from `start`.
#[inline(always)]
fn scan_letdig(s: &[u8], start: usize, utf8: bool) -> usize {
    if !utf8 {
        return scan_alnum(s, start);
    }
    let mut i = start;
    while let Some(&b) = s.get(i) {
        if !(is(b, ALNUM) || b >= 0x80) {
            break;
        }
        i += 1;
    }
    i
}

/// `Dot-string = Atom *("." Atom)`, `Atom = 1*atext` (RFC 5321 §4.1.2); see
/// the scanner contract above. Runs of letters and digits, the bulk of most
/// local parts, are skipped a word at a time.
#[inline(always)]
pub(crate) fn scan_dot_string(s: &[u8], start: usize, utf8: bool) -> usize {
    let mut i = start;
    let mut end = start;
    loop {
        let atom = i;
        loop {
            i = scan_letdig(s, i, utf8);
            match s.get(i) {
                Some(&b) if is(b, ATEXT) => i += 1,
                _ => break,
            }
        }
        if i == atom {
            return end;
        }
        end = i;
        if s.get(i) != Some(&b'.') {
            return end;
        }
        i += 1;
    }
}

/// `Domain = sub-domain *("." sub-domain)`, `sub-domain = Let-dig [Ldh-str]`
/// (RFC 5321 §4.1.2), labels of at most 63 octets; see the scanner contract
/// above. The whole-length limit is the caller's. Runs of letters and digits
/// are skipped a word at a time.
#[inline(always)]
pub(crate) fn scan_domain(s: &[u8], start: usize, utf8: bool) -> usize {
    let letdig = |b: u8| is(b, ALNUM) || (utf8 && b >= 0x80);
    let mut i = start;
    let mut end = start;
    loop {
        let label = i;
        match s.get(i) {
            Some(&b) if letdig(b) => {}
            _ => return end,
        }
        loop {
            i = scan_letdig(s, i, utf8);
            if s.get(i) != Some(&b'-') {
                break;
            }
            i += 1;
        }
        // A label ends with a letter or digit, and has at most 63 octets.
        if s[i - 1] == b'-' || i - label > 63 {
            return end;
        }
        end = i;
        if s.get(i) != Some(&b'.') {
            return end;
        }
        i += 1;
    }
}

/// `esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")` (RFC 5321
/// §4.1.2); see the scanner contract above.
#[inline(always)]
pub(crate) fn scan_keyword(s: &[u8], start: usize) -> usize {
    match s.get(start) {
        Some(&b) if is(b, ALNUM) => {}
        _ => return start,
    }
    let mut i = start + 1;
    loop {
        i = scan_alnum(s, i);
        if s.get(i) != Some(&b'-') {
            return i;
        }
        i += 1;
    }
}

/// The end of the run of bytes in `class` from `start`.
#[inline(always)]
pub(crate) fn scan_class(s: &[u8], start: usize, class: u8) -> usize {
    let mut i = start;
    while let Some(&b) = s.get(i) {
        if !is(b, class) {
            break;
        }
        i += 1;
    }
    i
}

/// `s` is a `Local-part` (RFC 5321 §4.1.2): a quoted string, or a dot-string
/// checked with [`scan_dot_string`].
pub(crate) fn is_local_part_scanned(s: &[u8], utf8: bool) -> bool {
    if s.first() == Some(&b'"') {
        quoted_string_len(s, utf8) == Some(s.len())
    } else {
        !s.is_empty() && scan_dot_string(s, 0, utf8) == s.len()
    }
}

/// `s` is a domain, checked with [`scan_domain`].
#[inline]
pub(crate) fn is_domain_scanned(s: &[u8], utf8: bool) -> bool {
    !s.is_empty() && scan_domain(s, 0, utf8) == s.len()
}

/// `s` is an `esmtp-keyword`, checked with [`scan_keyword`].
#[cfg(test)]
pub(crate) fn is_keyword_scanned(s: &[u8]) -> bool {
    !s.is_empty() && scan_keyword(s, 0) == s.len()
}

/// [`parse_u64`] in one pass: the same value and the same error (a byte
/// that is not a digit is `Syntax` even after an overflow).
#[inline]
pub(crate) fn parse_digits(s: &[u8]) -> Result<u64, NumberError> {
    if s.is_empty() {
        return Err(NumberError::Syntax);
    }
    let mut n = 0u64;
    let mut overflow = false;
    for &b in s {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return Err(NumberError::Syntax);
        }
        match n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(digit)))
        {
            Some(next) => n = next,
            None => overflow = true,
        }
    }
    if overflow {
        Err(NumberError::Overflow)
    } else {
        Ok(n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberError {
    Syntax,
    Overflow,
}

/// Checks the text of a reply line for control octets.
///
/// RFC 5321 §4.2 allows `textstring = 1*(%d09 / %d32-126)`; RFC 6531 §3.7.4
/// allows UTF-8 in some replies when SMTPUTF8 is in use. Since a parser cannot
/// know which command a reply answers, any valid UTF-8 is accepted, but every
/// ASCII control other than HT (including DEL) is rejected: those are never
/// text, and CR/LF in text is how reply injection starts (CVE-2020-8794).
#[inline]
pub(crate) const fn has_no_controls(bytes: &[u8]) -> bool {
    // A loop rather than an iterator, so that constant replies are checked
    // at compile time.
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if (b < 0x20 && b != b'\t') || b == 0x7f {
            return false;
        }
        i += 1;
    }
    true
}

/// A well-formed verb: `ALPHA *(ALPHA / DIGIT / "-" / "_")`, at most 32 octets.
pub(crate) fn is_verb(verb: &[u8]) -> bool {
    verb.len() <= 32
        && verb.first().is_some_and(u8::is_ascii_alphabetic)
        && verb
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Reads an enhanced status code at the start of a reply text (RFC 3463 §2):
/// `class "." subject "." detail`, class 2, 4 or 5, subject and detail of
/// 1 to 3 digits without leading zeros (so the code prints back exactly as
/// read), followed by a space or the end of the text.
///
/// Returns `[class, subject, detail]` and the bytes the code used (the space
/// after it not counted).
pub(crate) fn enhanced_code_prefix(text: &[u8]) -> Option<([u16; 3], usize)> {
    /// One to three digits without a leading zero, starting at `at`.
    fn number(text: &[u8], at: usize) -> Option<(u16, usize)> {
        let digits = text
            .get(at..)?
            .iter()
            .take(4)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 || digits > 3 || (digits > 1 && text.get(at) == Some(&b'0')) {
            return None;
        }
        let value = text
            .get(at..at + digits)?
            .iter()
            .fold(0u16, |n, &d| n * 10 + u16::from(d - b'0'));
        Some((value, at + digits))
    }
    let class = match text.first() {
        Some(&c @ (b'2' | b'4' | b'5')) => u16::from(c - b'0'),
        _ => return None,
    };
    if text.get(1) != Some(&b'.') {
        return None;
    }
    let (subject, after_subject) = number(text, 2)?;
    if text.get(after_subject) != Some(&b'.') {
        return None;
    }
    let (detail, end) = number(text, after_subject + 1)?;
    match text.get(end) {
        None | Some(b' ') => Some(([class, subject, detail], end)),
        Some(_) => None,
    }
}

/// `n` in decimal ASCII, written into the end of `digits`; no allocation.
pub(crate) fn decimal(n: u64, digits: &mut [u8; 20]) -> &str {
    // Only ASCII digits were written.
    core::str::from_utf8(decimal_bytes(n, digits)).unwrap_or("0")
}

/// `n` in decimal ASCII, written at the end of `digits`, as bytes (no UTF-8
/// check, for the encoders).
pub(crate) fn decimal_bytes(mut n: u64, digits: &mut [u8; 20]) -> &[u8] {
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &digits[start..]
}

/// Splits a trailing ` SMTPUTF8` word off a VRFY/EXPN argument.
pub(crate) fn split_smtputf8(text: &str) -> (&str, bool) {
    match text.rsplit_once(' ') {
        Some((head, last)) if last.eq_ignore_ascii_case("SMTPUTF8") => {
            (head.trim_end_matches(' '), true)
        }
        _ => (text, false),
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use std::format;

    #[test]
    fn domains() {
        for ok in [
            "example.org",
            "a",
            "a-b.c1",
            "xn--bcher-kva.example",
            "123.example",
        ] {
            assert!(is_domain(ok.as_bytes(), false), "{ok}");
        }
        for bad in ["", ".", "a..b", "-a", "a-", "a_b", "a.", ".a", "a b"] {
            assert!(!is_domain(bad.as_bytes(), false), "{bad}");
        }
        assert!(is_domain("bücher.example".as_bytes(), true));
        assert!(!is_domain("bücher.example".as_bytes(), false));
        let long_label = [b'a'; 64];
        assert!(!is_domain(&long_label, false));
        assert!(is_domain(&long_label[..63], false));
    }

    #[test]
    fn local_parts() {
        for ok in [
            "user",
            "first.last",
            "a+tag",
            "${x}|~",
            "\"a b\"",
            "\"a\\\"b\"",
            "\"\"",
        ] {
            assert!(is_local_part(ok.as_bytes(), false), "{ok}");
        }
        for bad in [
            "",
            ".a",
            "a.",
            "a..b",
            "a b",
            "\"a",
            "\"a\\\"",
            "a\"b\"",
            ";sleep 66;",
            "a\\b",
        ] {
            assert!(!is_local_part(bad.as_bytes(), false), "{bad}");
        }
    }

    #[test]
    fn ipv4() {
        assert_eq!(parse_ipv4(b"127.0.0.1"), Some([127, 0, 0, 1]));
        assert_eq!(parse_ipv4(b"010.002.0.255"), Some([10, 2, 0, 255]));
        for bad in [
            &b"256.0.0.1"[..],
            b"1.2.3",
            b"1.2.3.4.5",
            b"1..2.3",
            b"1.2.3.0004",
            b"",
        ] {
            assert_eq!(parse_ipv4(bad), None, "{:?}", bad);
        }
    }

    #[test]
    fn ipv6_rfc5321_forms() {
        let v = |s: &str| parse_ipv6(s.as_bytes());
        assert_eq!(v("1:2:3:4:5:6:7:8"), Some([1, 2, 3, 4, 5, 6, 7, 8]));
        assert_eq!(v("::1"), Some([0, 0, 0, 0, 0, 0, 0, 1]));
        assert_eq!(v("::"), Some([0; 8]));
        assert_eq!(v("fe80::1:2"), Some([0xfe80, 0, 0, 0, 0, 0, 1, 2]));
        assert_eq!(v("1:2:3:4:5:6::"), Some([1, 2, 3, 4, 5, 6, 0, 0]));
        assert_eq!(
            v("1:2:3:4:5:6:1.2.3.4"),
            Some([1, 2, 3, 4, 5, 6, 0x0102, 0x0304])
        );
        assert_eq!(
            v("::ffff:10.0.0.1"),
            Some([0, 0, 0, 0, 0, 0xffff, 0x0a00, 1])
        );
        // RFC 4291 allows these, RFC 5321 does not: "::" must stand for at
        // least two groups.
        assert_eq!(v("1:2:3:4:5:6:7::"), None);
        assert_eq!(v("1:2:3:4:5::6:7"), None);
        assert_eq!(v("1:2:3:4:5::1.2.3.4"), None);
        for bad in [
            "",
            ":",
            ":::",
            "1::2::3",
            "1:2:3:4:5:6:7",
            "12345::",
            "g::",
            "1.2.3.4::",
            "::1.2.3",
        ] {
            assert_eq!(v(bad), None, "{bad}");
        }
    }

    #[test]
    fn xtext_and_base64() {
        assert!(is_xtext(b"alice+2Bbob", false));
        assert!(is_xtext(b"", false));
        assert!(!is_xtext(b"a+2b", false));
        assert!(!is_xtext(b"a+2", false));
        assert!(!is_xtext(b"a=b", false));
        assert!(!is_xtext(b"a b", false));
        assert!(is_base64(b""));
        assert!(is_base64(b"dGVzdA=="));
        assert!(is_base64(b"AGFsaWNlAHNlY3JldA=="));
        // CVE-2018-6789: a length of 4n+3.
        assert!(!is_base64(b"dGVzdAB0ZXN0ADEyMzQ"));
        assert!(!is_base64(b"dGVzdB=="));
        assert!(!is_base64(b"dG=zdA=="));
        assert!(!is_base64(b"===="));
    }

    #[test]
    fn date_times() {
        for ok in [
            "2030-01-01T00:00:00Z",
            "2030-01-01t12:30:59.123+02:00",
            "1998-12-31T15:59:60-08:00",
        ] {
            assert!(is_date_time(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "2030-01-01",
            "2030-13-01T00:00:00Z",
            "2030-01-01T00:00:00",
            "2030-01-01T00:00:00.Z",
            "12345",
        ] {
            assert!(!is_date_time(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_u64(b"0"), Ok(0));
        assert_eq!(parse_u64(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_u64(b"18446744073709551616"),
            Err(NumberError::Overflow)
        );
        assert_eq!(
            parse_u64(b"184467440737095516160"),
            Err(NumberError::Overflow)
        );
        assert_eq!(parse_u64(b""), Err(NumberError::Syntax));
        assert_eq!(parse_u64("１".as_bytes()), Err(NumberError::Syntax));
        assert_eq!(parse_u64(b"-1"), Err(NumberError::Syntax));
        for text in [
            &b"0"[..],
            b"",
            b"007",
            b"18446744073709551615",
            b"18446744073709551616",
            b"184467440737095516160",
            b"99999999999999999999x",
            b"x99999999999999999999",
            b"12a",
            b"1 2",
            b"/",
            b":",
        ] {
            assert_eq!(parse_digits(text), parse_u64(text), "{text:?}");
        }
    }

    /// The scanners agree with the validators they share the work with: on
    /// the whole of `s`, and on `s` followed by a delimiter that cannot
    /// continue the rule (the one-pass parser's use).
    fn scanners_agree(s: &[u8], utf8: bool) {
        assert_eq!(is_domain_scanned(s, utf8), is_domain(s, utf8), "{s:?}");
        assert_eq!(
            is_local_part_scanned(s, utf8),
            is_local_part(s, utf8),
            "{s:?}"
        );
        if !utf8 {
            assert_eq!(is_keyword_scanned(s), is_keyword(s), "{s:?}");
        }
        for (delimiter, whole) in [(b'>', is_domain(s, utf8)), (b'@', is_dot_string(s, utf8))] {
            if s.contains(&delimiter) {
                continue;
            }
            let mut line = s.to_vec();
            line.push(delimiter);
            // Room after the delimiter, so that the word-at-a-time paths run.
            line.extend_from_slice(b"\r\nRCPT T");
            let end = if delimiter == b'>' {
                scan_domain(&line, 0, utf8)
            } else {
                scan_dot_string(&line, 0, utf8)
            };
            // A valid run ends at the delimiter; an invalid one never does.
            assert_eq!(end > 0 && line[end] == delimiter, whole, "{s:?}");
            if end > 0 {
                let valid = if delimiter == b'>' {
                    is_domain(&line[..end], utf8)
                } else {
                    is_dot_string(&line[..end], utf8)
                };
                assert!(valid, "{s:?}");
            }
        }
        if !s.contains(&b'=') {
            let mut line = s.to_vec();
            line.push(b'=');
            let end = scan_keyword(&line, 0);
            assert_eq!(end > 0 && line[end] == b'=', is_keyword(s), "{s:?}");
        }
    }

    /// The word-at-a-time classifiers agree with the byte classes on every
    /// octet in every lane.
    #[test]
    fn lanes_agree_with_classes() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut bytes = [b'a'; 8];
                bytes[lane] = b;
                let w = u64::from_le_bytes(bytes);
                let flagged = |mask: u64| mask == 0x80 << (8 * lane);
                let none = |mask: u64| mask == 0;
                let alnum = lanes_not_alnum(w);
                assert!(
                    if is(b, ALNUM) {
                        none(alnum)
                    } else {
                        flagged(alnum)
                    },
                    "{b}"
                );
                let print = lanes_not_print(w);
                assert!(
                    if is(b, PRINT) {
                        none(print)
                    } else {
                        flagged(print)
                    },
                    "{b}"
                );
            }
        }
        let text = b"mail.example-corp.com> SIZE=1\r\n\x80";
        for start in 0..text.len() {
            let end = scan_alnum(text, start);
            let slow = start + text[start..].iter().take_while(|&&b| is(b, ALNUM)).count();
            assert_eq!(end, slow);
            let end = scan_print(text, start);
            let slow = start + text[start..].iter().take_while(|&&b| is(b, PRINT)).count();
            assert_eq!(end, slow);
        }
    }

    /// Every string of up to five octets over an alphabet that hits every
    /// branch of the scanners, and long labels.
    #[test]
    fn scanners_agree_with_validators() {
        const ALPHABET: &[u8] = b"aZ0-.+\xc3@\" =";
        let mut buf = [0u8; 5];
        for len in 0..=5 {
            let total = ALPHABET.len().pow(len as u32);
            for mut n in 0..total {
                for slot in buf.iter_mut().take(len) {
                    *slot = ALPHABET[n % ALPHABET.len()];
                    n /= ALPHABET.len();
                }
                for utf8 in [false, true] {
                    scanners_agree(&buf[..len], utf8);
                }
            }
        }
        for label in [62, 63, 64, 65] {
            let mut s = [b'a'; 140];
            s[label] = b'.';
            for utf8 in [false, true] {
                for len in [label, label + 1, label + 2, 140] {
                    scanners_agree(&s[..len], utf8);
                }
            }
        }
    }

    /// The one-pass validators used for speed agree with the
    /// straightforward definitions they replaced, on every string of up to
    /// five octets over an alphabet that hits every branch.
    #[test]
    fn fast_validators_agree_with_reference() {
        fn domain_reference(s: &[u8], utf8: bool) -> bool {
            let letdig = |b: u8| is(b, ALNUM) || (utf8 && b >= 0x80);
            !s.is_empty()
                && s.split(|&b| b == b'.')
                    .all(|label| match (label.first(), label.last()) {
                        (Some(&first), Some(&last)) => {
                            label.len() <= 63
                                && letdig(first)
                                && letdig(last)
                                && label.iter().all(|&b| letdig(b) || b == b'-')
                        }
                        _ => false,
                    })
        }
        fn xtext_reference(s: &[u8]) -> bool {
            let mut decoded = std::vec::Vec::new();
            let mut i = 0;
            while let Some(&b) = s.get(i) {
                if b == b'+' && s.len() >= i + 3 {
                    decoded.push(hex_value(s[i + 1]) << 4 | hex_value(s[i + 2]));
                    i += 3;
                } else {
                    decoded.push(b);
                    i += 1;
                }
            }
            is_xtext(s, true)
                && core::str::from_utf8(&decoded)
                    .is_ok_and(|text| text.chars().all(|c| !is_hidden(c as u32)))
        }
        const ALPHABET: &[u8] = b"aZ0-._+2F17\x7f\xc3 =;";
        let mut buf = [0u8; 5];
        for len in 0..=5 {
            let total = ALPHABET.len().pow(len as u32);
            for mut n in 0..total {
                for slot in buf.iter_mut().take(len) {
                    *slot = ALPHABET[n % ALPHABET.len()];
                    n /= ALPHABET.len();
                }
                let s = &buf[..len];
                for utf8 in [false, true] {
                    assert_eq!(is_domain(s, utf8), domain_reference(s, utf8), "{s:?}");
                }
                assert_eq!(is_xtext_text(s, false), xtext_reference(s), "{s:?}");
                if let Ok(text) = core::str::from_utf8(s) {
                    assert_eq!(is_esmtp_value_str(text), is_esmtp_value(s), "{s:?}");
                    assert_eq!(split_once_byte(text, b'='), text.split_once('='));
                    assert_eq!(
                        strip_prefix_ignore_case(text, "A="),
                        text.get(..2)
                            .filter(|h| h.eq_ignore_ascii_case("A="))
                            .map(|_| &text[2..])
                    );
                }
            }
        }
        let long = [b'a'; 64];
        assert!(!is_domain(&long, false) && !domain_reference(&long, false));
        assert!(!is_domain_scanned(&long, false) && is_domain_scanned(&long[..63], false));
        assert!(is_domain(&long[..63], false) && domain_reference(&long[..63], false));
    }

    /// xorshift64*: deterministic, no dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.0 = x;
            x.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date, and back (the
    /// civil-calendar algorithms of H. Hinnant): the reference the calendar
    /// checks are compared with, computed another way.
    fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    fn civil_from_days(z: i64) -> (i64, i64, i64) {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    fn date_exists(y: i64, m: i64, d: i64) -> bool {
        (1..=12).contains(&m)
            && (1..=31).contains(&d)
            && civil_from_days(days_from_civil(y, m, d)) == (y, m, d)
    }

    /// Every day of every month of years 0000 to 2500 and 9990 to 9999
    /// (leap years of each kind, and the ends of the range), with days 00
    /// to 32: accepted exactly when the date exists.
    #[test]
    fn dates_exhaustive() {
        for year in (0..=2500).chain(9990..=9999) {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year:04}-{month:02}-{day:02}T12:00:00Z");
                    assert_eq!(
                        is_date_time(text.as_bytes()),
                        date_exists(year, month, day),
                        "{text}"
                    );
                }
            }
        }
        assert!(is_date_time(b"2024-02-29T00:00:00Z"));
        assert!(is_date_time(b"2000-02-29T00:00:00Z"));
        assert!(!is_date_time(b"1900-02-29T00:00:00Z"));
        assert!(!is_date_time(b"2023-02-29T00:00:00Z"));
        assert!(!is_date_time(b"2024-02-30T00:00:00Z"));
        assert!(!is_date_time(b"2024-04-31T00:00:00Z"));
    }

    /// Times and offsets: every hour, minute and second from 00 to 99 at
    /// random dates and offsets; second 60 only at 23:59:60 UTC on the last
    /// day of a month, computed from the instant.
    #[test]
    fn times_and_leap_seconds() {
        let mut rng = Rng(0x5eed_0000_da7e_0001);
        for _ in 0..200_000 {
            let year = rng.below(10_000) as i64;
            let month = 1 + rng.below(12) as i64;
            // Favour the first and last days, where leap seconds fall.
            let day = match rng.below(4) {
                0 => 1,
                1 => 28 + rng.below(4) as i64,
                _ => 1 + rng.below(31) as i64,
            };
            if !date_exists(year, month, day) {
                continue;
            }
            let (hour, minute, second) = match rng.below(3) {
                0 => (rng.below(100), rng.below(100), rng.below(100)),
                _ => (rng.below(24), rng.below(60), 58 + rng.below(3)),
            };
            let (oh, om) = match rng.below(3) {
                0 => (0, 0),
                1 => (rng.below(25), rng.below(61)),
                _ => (rng.below(24), [0, 30, 45][rng.below(3) as usize]),
            };
            let sign = if rng.below(2) == 0 { '+' } else { '-' };
            let offset = match rng.below(4) {
                0 => std::string::String::from("Z"),
                _ => format!("{sign}{oh:02}:{om:02}"),
            };
            let frac = if rng.below(3) == 0 { ".25" } else { "" };
            let text = format!(
                "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{frac}{offset}"
            );
            let offset_minutes = if offset == "Z" {
                0
            } else {
                let m = (oh * 60 + om) as i64;
                if sign == '-' { -m } else { m }
            };
            let offset_ok = offset == "Z" || (oh <= 23 && om <= 59);
            let fields_ok = hour <= 23 && minute <= 59 && second <= 60 && offset_ok;
            let leap_ok = second < 60 || {
                let local = days_from_civil(year, month, day) * 1440 + (hour * 60 + minute) as i64;
                let utc = local - offset_minutes;
                let (utc_day, utc_minute) = (utc.div_euclid(1440), utc.rem_euclid(1440));
                utc_minute == 1439 && civil_from_days(utc_day + 1).2 == 1
            };
            assert_eq!(
                is_date_time(text.as_bytes()),
                fields_ok && leap_ok,
                "{text}"
            );
        }
        for ok in [
            "1990-12-31T23:59:60Z",
            "1990-12-31T15:59:60-08:00",
            "1991-01-01T08:59:60+09:00",
            "2016-12-31T23:59:60.5z",
            "1972-06-30T23:59:60Z",
        ] {
            assert!(is_date_time(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "1990-12-31T23:58:60Z",
            "1990-12-30T23:59:60Z",
            "1990-12-31T23:59:60+01:00",
            "1990-12-31T24:00:00Z",
            "1990-12-31T23:60:00Z",
            "1990-12-31T23:59:61Z",
            "1990-12-31T23:59:59+24:00",
            "1990-12-31T23:59:59+00:60",
        ] {
            assert!(!is_date_time(bad.as_bytes()), "{bad}");
        }
    }

    /// The hidden set, code point by code point, against its listing.
    #[test]
    fn hidden_characters_exhaustive() {
        let listed = |c: u32| {
            c < 0x20
                || (0x7F..=0x9F).contains(&c)
                || [
                    0xAD, 0x61C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029,
                    0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
                    0x2065, 0x2066, 0x2067, 0x2068, 0x2069, 0x206A, 0x206B, 0x206C, 0x206D, 0x206E,
                    0x206F, 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB,
                ]
                .contains(&c)
                || (0xE0000..=0xE007F).contains(&c)
        };
        for c in 0..=0x10_FFFF_u32 {
            assert_eq!(is_hidden(c), listed(c), "{c:#x}");
            if let Some(ch) = char::from_u32(c) {
                let mut buf = [0u8; 4];
                let text = ch.encode_utf8(&mut buf);
                assert_eq!(has_no_hidden(text), !listed(c), "{c:#x}");
                let mut check = Utf8Check::new();
                let all = text.bytes().all(|b| check.push(b));
                assert_eq!(all && check.is_complete(), !listed(c), "{c:#x}");
            }
        }
        assert!(!has_no_hidden("a\u{85}b"));
        assert!(!has_no_hidden("b\u{fc}\u{202e}cher"));
        assert!(
            !has_no_hidden("\u{2028}") && !has_no_hidden("\u{200B}") && !has_no_hidden("\u{FEFF}")
        );
        assert!(has_no_hidden("b\u{fc}cher"));
    }

    /// The streaming UTF-8 check agrees with `core::str::from_utf8` (and the
    /// hidden set) on random octet strings biased towards UTF-8 edges.
    #[test]
    fn utf8_check_agrees_with_core() {
        const EDGES: &[u8] = &[
            0x00, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0x85, 0x8F, 0x90, 0x9F, 0xA0, 0xA8, 0xAD,
            0xBF, 0xC0, 0xC1, 0xC2, 0xC3, 0xDF, 0xE0, 0xE2, 0xED, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5,
            0xFF, 0x80, 0x80, 0xBB, 0xBF,
        ];
        let mut rng = Rng(0x5eed_0000_7f80_0001);
        let mut bytes = std::vec::Vec::new();
        for _ in 0..300_000 {
            bytes.clear();
            for _ in 0..rng.below(7) {
                let b = if rng.below(4) == 0 {
                    rng.below(256) as u8
                } else {
                    EDGES[rng.below(EDGES.len() as u64) as usize]
                };
                bytes.push(b);
            }
            let mut check = Utf8Check::new();
            let mine = bytes.iter().all(|&b| check.push(b)) && check.is_complete();
            let reference = core::str::from_utf8(&bytes).is_ok_and(has_no_hidden);
            assert_eq!(mine, reference, "{bytes:x?}");
        }
    }

    /// Every code point as an RFC 6533 escape: accepted exactly in the
    /// canonical form (no leading zero, either case) of a character that
    /// needs escaping and is not hidden; and as a raw character, exactly
    /// when it is a `QCHAR` or non-ASCII and not hidden.
    #[test]
    fn utf8_addr_escapes_exhaustive() {
        let needs_escape = |c: u32| c < 0x80 && !(is_qchar(c as u8));
        for c in 0..=0x11_0000_u32 {
            let scalar = char::from_u32(c);
            let wanted =
                scalar.is_some() && (c >= 0x80 || needs_escape(c)) && !is_hidden(c) && c != 0;
            for text in [format!("\\x{{{c:X}}}"), format!("\\x{{{c:x}}}")] {
                // Two digits at least: one-digit forms are not HEXPOINT.
                let canonical_len = text.len() >= 6;
                let accepted = utf8_addr_char(&text) == scalar.map(|ch| (ch, text.len()));
                assert_eq!(
                    accepted && is_utf8_addr(&text),
                    wanted && canonical_len,
                    "{text}"
                );
            }
            // A leading zero is never canonical (but for 01 to 09).
            let padded = format!("\\x{{0{c:X}}}");
            let allowed = (1..=9).contains(&c) && !is_hidden(c);
            assert_eq!(is_utf8_addr(&padded), allowed, "{padded}");
            if let Some(ch) = scalar {
                let mut buf = [0u8; 4];
                let raw = ch.encode_utf8(&mut buf);
                let wanted = if c < 0x80 {
                    is_qchar(c as u8)
                } else {
                    !is_hidden(c)
                };
                assert_eq!(is_utf8_addr(raw), wanted, "{c:#x}");
            }
        }
        for bad in [
            "a\\b",
            "a\\x{41}",
            "a\\x{D800}",
            "a\\x{110000}",
            "a\\X{E9}",
            "a\\x{E9",
            "a\\x{}",
            "a\\x{0E9}",
            "a\\x{85}",
            "a+b",
            "a=b",
            "a b",
            "",
            "\\x{1234567}",
        ] {
            assert!(!is_utf8_addr(bad), "{bad}");
        }
        for ok in [
            "a\\x{E9}",
            "a\\x{e9}@b",
            "j\u{f6}rg@b",
            "\\x{5C}",
            "\\x{20}",
            "\\x{10FFFF}",
        ] {
            assert!(is_utf8_addr(ok), "{ok}");
        }
    }
}
