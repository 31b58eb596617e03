//! [`Extension`]: the service extensions this crate knows by name, and
//! [`Extensions`], a set of them: what a server advertises, or what a client
//! learned from an EHLO reply.

use core::fmt;

use crate::types::reply::scan;

/// Defines `Extension` with its keyword for each variant, and `ALL`.
macro_rules! extensions {
    ($($(#[$doc:meta])* $name:ident = $keyword:literal,)*) => {
        /// An SMTP service extension known by name (the IANA "SMTP Service
        /// Extensions" registry and the common unregistered ones).
        ///
        /// Its [`keyword`](Extension::keyword) is the EHLO keyword; the
        /// matching [`Capability`](crate::ehlo::Capability) variant carries
        /// the parameters.
        ///
        /// # Examples
        ///
        /// ```
        /// use smtp_wire::ehlo::Extension;
        /// assert_eq!(Extension::EightBitMime.keyword(), "8BITMIME");
        /// assert_eq!(Extension::from_keyword("pipelining"), Some(Extension::Pipelining));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Extension {
            $($(#[$doc])* $name,)*
        }

        impl Extension {
            /// Every extension, in declaration order.
            ///
            /// # Examples
            ///
            /// ```
            /// assert!(smtp_wire::ehlo::Extension::ALL.len() > 20);
            /// ```
            pub const ALL: &'static [Extension] = &[$(Extension::$name,)*];

            /// The EHLO keyword, in upper case.
            ///
            /// # Examples
            ///
            /// ```
            /// assert_eq!(smtp_wire::ehlo::Extension::Dsn.keyword(), "DSN");
            /// ```
            pub const fn keyword(self) -> &'static str {
                match self {
                    $(Extension::$name => $keyword,)*
                }
            }
        }
    };
}

extensions! {
    /// `SIZE` (RFC 1870).
    Size = "SIZE",
    /// `8BITMIME` (RFC 6152).
    EightBitMime = "8BITMIME",
    /// `PIPELINING` (RFC 2920).
    Pipelining = "PIPELINING",
    /// `CHUNKING` (RFC 3030): the BDAT command.
    Chunking = "CHUNKING",
    /// `BINARYMIME` (RFC 3030).
    BinaryMime = "BINARYMIME",
    /// `STARTTLS` (RFC 3207).
    StartTls = "STARTTLS",
    /// `DSN` (RFC 3461).
    Dsn = "DSN",
    /// `SMTPUTF8` (RFC 6531).
    SmtpUtf8 = "SMTPUTF8",
    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    EnhancedStatusCodes = "ENHANCEDSTATUSCODES",
    /// `AUTH` (RFC 4954).
    Auth = "AUTH",
    /// `DELIVERBY` (RFC 2852).
    DeliverBy = "DELIVERBY",
    /// `FUTURERELEASE` (RFC 4865).
    FutureRelease = "FUTURERELEASE",
    /// `MT-PRIORITY` (RFC 6710).
    MtPriority = "MT-PRIORITY",
    /// `REQUIRETLS` (RFC 8689).
    RequireTls = "REQUIRETLS",
    /// `LIMITS` (RFC 9422).
    Limits = "LIMITS",
    /// `ETRN` (RFC 1985).
    Etrn = "ETRN",
    /// `ATRN` (RFC 2645).
    Atrn = "ATRN",
    /// `BURL` (RFC 4468).
    Burl = "BURL",
    /// `VRFY` (advertised by Postfix; not registered).
    Vrfy = "VRFY",
    /// `EXPN` (RFC 5321).
    Expn = "EXPN",
    /// `HELP` (RFC 5321).
    Help = "HELP",
    /// `NO-SOLICITING` (RFC 3865).
    NoSoliciting = "NO-SOLICITING",
    /// `MTRK` (RFC 3885).
    Mtrk = "MTRK",
    /// `CONPERM` (RFC 4141).
    ConPerm = "CONPERM",
    /// `CONNEG` (RFC 4141).
    ConNeg = "CONNEG",
    /// `RRVS` (RFC 7293).
    Rrvs = "RRVS",
    /// `CHECKPOINT` (RFC 1845).
    Checkpoint = "CHECKPOINT",
    /// `XCLIENT` (Postfix).
    Xclient = "XCLIENT",
    /// `XFORWARD` (Postfix).
    Xforward = "XFORWARD",
}

impl Extension {
    /// The extension with this EHLO keyword, matched case-insensitively.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::Extension;
    /// assert_eq!(Extension::from_keyword("SmtpUtf8"), Some(Extension::SmtpUtf8));
    /// assert_eq!(Extension::from_keyword("X-EXPS"), None);
    /// ```
    pub fn from_keyword(keyword: &str) -> Option<Extension> {
        Extension::from_keyword_at(keyword.as_bytes(), 0, keyword.len())
    }

    /// The extension whose keyword is `text[at..at + len]`, matched
    /// case-insensitively: the keyword is read as up to three words, hashed
    /// (with case folded away) by its length and first word into
    /// [`KEYWORDS`], and compared with the one keyword there, so that a line
    /// costs the same whichever keyword it has. Keywords are compared as
    /// written first (servers send them in upper case), upper-cased only
    /// when that fails.
    #[inline]
    pub(crate) fn from_keyword_at(text: &[u8], at: usize, len: usize) -> Option<Extension> {
        let w0 = scan::load(text, at) & scan::low_bytes(len.min(8));
        Extension::lookup(text, at, len, w0)
    }

    /// [`from_keyword_at`](Extension::from_keyword_at) with the first word
    /// already read: `w0` is `text[at..at + len.min(8)]` as written, zero
    /// past it (a little-endian word).
    #[inline(always)]
    pub(crate) fn lookup(text: &[u8], at: usize, len: usize, w0: u64) -> Option<Extension> {
        if len == 0 || len > MAX_KEYWORD_LEN {
            return None;
        }
        let entry = KEYWORDS.slots[slot(KEYWORDS.multiplier, len, w0)];
        let same = |want: u64, got: u64| want == got || want == scan::upper(got);
        if usize::from(entry.len) != len || !same(entry.words[0], w0) {
            return None;
        }
        if len > 8 {
            let w1 = scan::load(text, at + 8) & scan::low_bytes(len - 8);
            if !same(entry.words[1], w1) {
                return None;
            }
            if len > 16 && entry.words[2] != scan::upper_word(text, at + 16, len - 16) {
                return None;
            }
        }
        Extension::ALL.get(usize::from(entry.index)).copied()
    }

    const fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// The longest keyword of [`Extension::ALL`] (`ENHANCEDSTATUSCODES`); at
/// most 24, three words.
const MAX_KEYWORD_LEN: usize = 19;

/// Slots of the keyword hash table (a power of two).
const SLOTS: usize = 64;

/// One slot: the keyword's length (0 for an empty slot), its upper-case
/// words as [`scan::upper_word`] reads them, and its index in
/// [`Extension::ALL`].
#[derive(Clone, Copy)]
struct Slot {
    len: u8,
    index: u8,
    words: [u64; 3],
}

/// The keyword table: a multiplier under which every keyword of
/// [`Extension::ALL`] has its own slot, found at compile time.
struct Table {
    multiplier: u64,
    slots: [Slot; SLOTS],
}

/// The slot of a keyword of `len` octets whose first word is `w0`, as
/// written or upper-cased: bit 5 of every octet (the case bit of a letter)
/// is left out of the hash.
#[inline(always)]
const fn slot(multiplier: u64, len: usize, w0: u64) -> usize {
    let folded = w0 & !(0x20 * 0x0101_0101_0101_0101);
    ((folded ^ len as u64).wrapping_mul(multiplier) >> (64 - SLOTS.trailing_zeros())) as usize
}

/// The `i`th word of `keyword` as [`scan::upper_word`] reads it.
const fn keyword_word(keyword: &[u8], i: usize) -> u64 {
    let mut x = 0u64;
    let mut j = 0;
    while j < 8 && 8 * i + j < keyword.len() {
        x |= (keyword[8 * i + j] as u64) << (8 * j);
        j += 1;
    }
    x
}

const fn build_table() -> Table {
    let empty = Slot {
        len: 0,
        index: 0,
        words: [0; 3],
    };
    // Odd multipliers from a fixed sequence, until one spreads every keyword
    // to a slot of its own.
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    loop {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let multiplier = seed | 1;
        let mut slots = [empty; SLOTS];
        let mut ok = true;
        let mut i = 0;
        while i < Extension::ALL.len() {
            let keyword = Extension::ALL[i].keyword().as_bytes();
            assert!(keyword.len() <= MAX_KEYWORD_LEN);
            let words = [
                keyword_word(keyword, 0),
                keyword_word(keyword, 1),
                keyword_word(keyword, 2),
            ];
            let at = slot(multiplier, keyword.len(), words[0]);
            if slots[at].len != 0 {
                ok = false;
                break;
            }
            slots[at] = Slot {
                len: keyword.len() as u8,
                index: i as u8,
                words,
            };
            i += 1;
        }
        if ok {
            return Table { multiplier, slots };
        }
    }
}

static KEYWORDS: Table = build_table();

impl fmt::Display for Extension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// A set of [`Extension`]s: what a server advertises, or what an EHLO reply
/// offered. `Copy`, allocation-free, usable in `const` context.
///
/// # Examples
///
/// ```
/// use smtp_wire::ehlo::{Extension, Extensions};
///
/// const OFFERED: Extensions = Extensions::new()
///     .with(Extension::Pipelining)
///     .with(Extension::Chunking);
/// assert!(OFFERED.contains(Extension::Chunking));
/// assert!(!OFFERED.contains(Extension::Dsn));
/// let all: Vec<Extension> = OFFERED.iter().collect();
/// assert_eq!(all, [Extension::Pipelining, Extension::Chunking]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Extensions(u32);

impl Extensions {
    /// The empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::ehlo::Extensions::new().is_empty());
    /// ```
    pub const fn new() -> Extensions {
        Extensions(0)
    }

    /// This set and `extension`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::{Extension, Extensions};
    /// assert!(Extensions::new().with(Extension::Size).contains(Extension::Size));
    /// ```
    #[must_use]
    pub const fn with(self, extension: Extension) -> Extensions {
        Extensions(self.0 | extension.bit())
    }

    /// This set without `extension`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::{Extension, Extensions};
    /// let set = Extensions::new().with(Extension::Size).without(Extension::Size);
    /// assert!(set.is_empty());
    /// ```
    #[must_use]
    pub const fn without(self, extension: Extension) -> Extensions {
        Extensions(self.0 & !extension.bit())
    }

    /// Adds `extension`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::{Extension, Extensions};
    /// let mut set = Extensions::new();
    /// set.insert(Extension::Dsn);
    /// assert!(set.contains(Extension::Dsn));
    /// ```
    pub fn insert(&mut self, extension: Extension) {
        self.0 |= extension.bit();
    }

    /// Removes `extension`.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::{Extension, Extensions};
    /// let mut set = Extensions::new().with(Extension::Dsn);
    /// set.remove(Extension::Dsn);
    /// assert!(set.is_empty());
    /// ```
    pub fn remove(&mut self, extension: Extension) {
        self.0 &= !extension.bit();
    }

    /// Whether `extension` is in the set.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::{Extension, Extensions};
    /// assert!(!Extensions::new().contains(Extension::Auth));
    /// ```
    pub const fn contains(self, extension: Extension) -> bool {
        self.0 & extension.bit() != 0
    }

    /// `true` when no extension is in the set.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(smtp_wire::ehlo::Extensions::default().is_empty());
    /// ```
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The extensions in the set, in [`Extension::ALL`] order.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::{Extension, Extensions};
    /// assert_eq!(Extensions::new().with(Extension::Help).iter().count(), 1);
    /// ```
    pub fn iter(self) -> impl Iterator<Item = Extension> {
        Extension::ALL
            .iter()
            .copied()
            .filter(move |e| self.contains(*e))
    }
}

impl FromIterator<Extension> for Extensions {
    fn from_iter<I: IntoIterator<Item = Extension>>(iter: I) -> Extensions {
        iter.into_iter().fold(Extensions::new(), Extensions::with)
    }
}

impl fmt::Debug for Extensions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_extension_has_its_own_bit_and_keyword() {
        assert!(Extension::ALL.len() <= 32);
        let mut set = Extensions::new();
        for (i, &e) in Extension::ALL.iter().enumerate() {
            assert_eq!(e as usize, i);
            assert!(!set.contains(e));
            set.insert(e);
            assert_eq!(Extension::from_keyword(e.keyword()), Some(e));
        }
        assert_eq!(set.iter().count(), Extension::ALL.len());
    }
}
