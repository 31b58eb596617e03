//! [`Extension`]: the service extensions this crate knows by name, and
//! [`Extensions`], a set of them: what a server advertises, or what a client
//! learned from an EHLO reply.

use core::fmt;

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
        Extension::ALL
            .iter()
            .copied()
            .find(|e| e.keyword().eq_ignore_ascii_case(keyword))
    }

    const fn bit(self) -> u32 {
        1 << self as u32
    }
}

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
