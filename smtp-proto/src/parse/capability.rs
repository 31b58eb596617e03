//! EHLO line parser: keyword, then parameters typed by keyword
//! (RFC 5321 §4.1.1.1 and the RFCs of each extension).
//!
//! The line text has already been validated as reply text by the reply
//! parser, so every slice handed out here is free of CR, LF and controls.
//! A parsed EHLO reply is read straight from its wire bytes: one pass per
//! line finds the keyword's end (and the line's), the keyword is looked up
//! by hash ([`Extension::from_keyword_at`]), and only parameters that a
//! capability keeps become `str`.

use crate::syntax::{self, has_no_controls};
use crate::types::ehlo::{
    Capabilities, CapabilitiesInner, Capability, EhloParams, EhloReply, EhloSummary, EhloToken,
    Extension, Limits, Mechanisms, WireLine,
};
use crate::types::error::ErrorKind;
use crate::types::reply::scan;

impl<'a> Capability<'a> {
    /// Reads one EHLO line's text (after `250-` or `250 `).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidReplyText`] for an empty line or text that is not
    /// valid reply text (a control octet other than HT).
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::Capability;
    ///
    /// assert_eq!(Capability::new("SIZE 10240000"), Ok(Capability::Size(Some(10240000))));
    /// assert_eq!(Capability::new("size junk"), Ok(Capability::Size(None)));
    /// let Ok(Capability::Limits(limits)) = Capability::new("LIMITS RCPTMAX=20") else {
    ///     panic!()
    /// };
    /// assert_eq!(limits.get_number("RCPTMAX"), Some(20));
    /// assert!(Capability::new("").is_err());
    /// ```
    pub fn new(text: &'a str) -> Result<Capability<'a>, ErrorKind> {
        if !has_no_controls(text.as_bytes()) {
            return Err(ErrorKind::InvalidReplyText);
        }
        capability(text).ok_or(ErrorKind::InvalidReplyText)
    }
}

impl<'a> EhloReply<'a> {
    /// The extensions and the parameters a client acts on, in one pass over
    /// the capabilities.
    ///
    /// For a parsed reply this is a single walk over the wire bytes: each
    /// line's keyword is looked up once, and only the first `SIZE`, `AUTH`
    /// and `LIMITS` lines have their parameters read.
    ///
    /// # Examples
    ///
    /// ```
    /// use smtp_wire::ehlo::{Capability, EhloReply, Extension};
    /// let caps = [Capability::Chunking, Capability::Size(Some(1000))];
    /// let summary = EhloReply::new("mx.example", None, &caps).unwrap().summary();
    /// assert!(summary.extensions.contains(Extension::Chunking));
    /// assert_eq!(summary.size, Some(1000));
    /// ```
    pub fn summary(&self) -> EhloSummary<'a> {
        let mut summary = EhloSummary::default();
        let Capabilities(CapabilitiesInner::Wire(mut lines)) = self.capabilities() else {
            for capability in self.capabilities() {
                summary.add(capability);
            }
            return summary;
        };
        while let Some(line) = lines.next_line() {
            let WireLine {
                text,
                keyword,
                first_word,
            } = line;
            let extension = match Extension::lookup(text, 0, keyword, first_word) {
                // FUTURERELEASE without its parameters is `Other`.
                Some(Extension::FutureRelease) => {
                    if let Some(capability) = typed(line) {
                        summary.add(capability);
                    }
                    continue;
                }
                Some(extension) => extension,
                None if is_legacy_auth(keyword, first_word) => Extension::Auth,
                None => continue,
            };
            summary.extensions.insert(extension);
            let wanted = match extension {
                Extension::Size => summary.size.is_none(),
                Extension::Auth => summary.auth.is_none(),
                Extension::Limits => summary.limits.is_none(),
                _ => false,
            };
            if wanted {
                if let Some(capability) = typed(line) {
                    summary.add(capability);
                }
            }
        }
        summary
    }
}

impl<'a> EhloSummary<'a> {
    /// Adds one capability: its extension, and its parameters where they are
    /// the first of their kind.
    fn add(&mut self, capability: Capability<'a>) {
        let Some(extension) = capability.extension() else {
            return;
        };
        self.extensions.insert(extension);
        match capability {
            Capability::Size(size) if self.size.is_none() => self.size = size,
            Capability::Auth(mechanisms) if self.auth.is_none() => self.auth = Some(mechanisms),
            Capability::Limits(limits) if self.limits.is_none() => self.limits = Some(limits),
            _ => {}
        }
    }
}

impl<'a> Iterator for Capabilities<'a> {
    type Item = Capability<'a>;

    #[inline]
    fn next(&mut self) -> Option<Capability<'a>> {
        match &mut self.0 {
            CapabilitiesInner::Wire(lines) => loop {
                if let Some(capability) = typed(lines.next_line()?) {
                    return Some(capability);
                }
            },
            CapabilitiesInner::Lines(lines) => lines.find_map(|line| capability(line.text())),
            CapabilitiesInner::Built(caps) => caps.next().copied(),
        }
    }
}

/// Reads one EHLO line's text. `None` for an empty line.
///
/// The keyword runs to the first SP or HT; `ehlo-keyword` allows only
/// letters, digits and `-`, but servers send more (`X_PIPE_CONNECT`,
/// `AUTH=LOGIN`), so anything up to the separator is taken and unknown
/// keywords become [`Capability::Other`] rather than an error.
///
/// `text` must be valid reply text (no control octet but HT).
pub(crate) fn capability(text: &str) -> Option<Capability<'_>> {
    let text = text.as_bytes();
    let keyword = scan::first_below(text, 0, 0x21);
    typed(WireLine {
        text,
        keyword,
        first_word: scan::load(text, 0) & scan::low_bytes(keyword.min(8)),
    })
}

/// A keyword of `len` octets whose first word (as written) is `first_word`
/// is an `AUTH=` keyword, the pre-RFC 2554 form.
#[inline]
fn is_legacy_auth(len: usize, first_word: u64) -> bool {
    len >= 5 && scan::upper(first_word & scan::low_bytes(5)) == scan::pack(b"AUTH=")
}

/// `text` as a `str`. The text of a parsed line was checked when it was
/// parsed, and every slice taken here starts and ends at an ASCII octet, so
/// this never fails; it stays panic-free all the same.
#[inline]
fn as_str(text: &[u8]) -> Option<&str> {
    core::str::from_utf8(text).ok()
}

/// The first word of `params` (split at SP or HT) and what follows it.
#[inline]
fn word(params: &[u8]) -> Option<(&[u8], &[u8])> {
    let start = params.iter().position(|&b| b != b' ' && b != b'\t')?;
    let rest = params.get(start..)?;
    let end = rest
        .iter()
        .position(|&b| b == b' ' || b == b'\t')
        .unwrap_or(rest.len());
    Some(rest.split_at(end))
}

/// A word as a number, or `None` (RFC 1870 §4: a bad value means no
/// declared limit, never an error).
#[inline]
fn number(word: Option<(&[u8], &[u8])>) -> Option<u64> {
    let (digits, _) = word?;
    if digits.len() > 19 {
        // Twenty digits or more may overflow: the checked parser decides.
        return syntax::parse_u64(digits).ok();
    }
    // Nineteen digits always fit a u64: one pass, no overflow checks.
    let mut n = 0u64;
    for &d in digits {
        let digit = d.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n * 10 + u64::from(digit);
    }
    (!digits.is_empty()).then_some(n)
}

/// A word as a token.
#[inline]
fn token<'a>(word: Option<(&'a [u8], &'a [u8])>) -> Option<EhloToken<'a>> {
    word.and_then(|(w, _)| as_str(w)).map(EhloToken::validated)
}

/// Reads one EHLO line, whose keyword is `text[..keyword]` (the octets
/// before the first SP, HT or the end). `None` for an empty keyword.
///
/// The text must be valid reply text.
#[inline]
pub(crate) fn typed(line: WireLine<'_>) -> Option<Capability<'_>> {
    let WireLine {
        text,
        keyword,
        first_word,
    } = line;
    if keyword == 0 {
        return None;
    }
    // Drop exactly one separator so that `params` re-encodes byte for byte.
    let params = text.get(keyword + 1..).unwrap_or_default();
    let params_str = || as_str(params).map(EhloParams::validated);
    let Some(extension) = Extension::lookup(text, 0, keyword, first_word) else {
        if is_legacy_auth(keyword, first_word) {
            // The pre-RFC 2554 form `AUTH=LOGIN PLAIN`: the mechanisms start
            // right after the `=` (as Exim and Postfix still send it). Its
            // params are the rest of the line after `AUTH=`, which is valid
            // text as well.
            let mechanisms = as_str(text.get(5..).unwrap_or_default())?;
            return Some(Capability::Auth(Mechanisms::validated(
                EhloParams::validated(mechanisms),
            )));
        }
        return other(text, keyword, params);
    };
    // Keywords without parameters: a copy from a table, no branch on which.
    if let Some(Some(unit)) = UNITS.get(extension as usize) {
        return Some(*unit);
    }
    Some(match extension {
        Extension::Size => Capability::Size(number(word(params))),
        Extension::Auth => Capability::Auth(Mechanisms::validated(params_str()?)),
        Extension::DeliverBy => Capability::DeliverBy(number(word(params))),
        Extension::FutureRelease => {
            // RFC 4865 §3: both parameters are required.
            let first = word(params);
            let second = first.and_then(|(_, rest)| word(rest));
            match (number(first), token(second)) {
                (Some(max_interval), Some(max_date_time)) => Capability::FutureRelease {
                    max_interval,
                    max_date_time,
                },
                _ => return other(text, keyword, params),
            }
        }
        Extension::MtPriority => Capability::MtPriority(token(word(params))),
        Extension::Limits => Capability::Limits(Limits::validated(params_str()?)),
        Extension::Burl => Capability::Burl(params_str()?),
        Extension::NoSoliciting => Capability::NoSoliciting(token(word(params))),
        Extension::Xclient => Capability::Xclient(params_str()?),
        Extension::Xforward => Capability::Xforward(params_str()?),
        // The rest are in `UNITS`.
        _ => unit(extension)?,
    })
}

/// The capability of an extension whose keyword takes no parameters.
const fn unit(extension: Extension) -> Option<Capability<'static>> {
    Some(match extension {
        Extension::EightBitMime => Capability::EightBitMime,
        Extension::Pipelining => Capability::Pipelining,
        Extension::Chunking => Capability::Chunking,
        Extension::BinaryMime => Capability::BinaryMime,
        Extension::StartTls => Capability::StartTls,
        Extension::Dsn => Capability::Dsn,
        Extension::SmtpUtf8 => Capability::SmtpUtf8,
        Extension::EnhancedStatusCodes => Capability::EnhancedStatusCodes,
        Extension::RequireTls => Capability::RequireTls,
        Extension::Etrn => Capability::Etrn,
        Extension::Atrn => Capability::Atrn,
        Extension::Vrfy => Capability::Vrfy,
        Extension::Expn => Capability::Expn,
        Extension::Help => Capability::Help,
        Extension::Mtrk => Capability::Mtrk,
        Extension::ConPerm => Capability::ConPerm,
        Extension::ConNeg => Capability::ConNeg,
        Extension::Rrvs => Capability::Rrvs,
        Extension::Checkpoint => Capability::Checkpoint,
        Extension::Size
        | Extension::Auth
        | Extension::DeliverBy
        | Extension::FutureRelease
        | Extension::MtPriority
        | Extension::Limits
        | Extension::Burl
        | Extension::NoSoliciting
        | Extension::Xclient
        | Extension::Xforward => return None,
    })
}

/// [`unit`] of every extension, by its index in [`Extension::ALL`].
static UNITS: [Option<Capability<'static>>; Extension::ALL.len()] = {
    let mut units = [None; Extension::ALL.len()];
    let mut i = 0;
    while i < units.len() {
        units[i] = unit(Extension::ALL[i]);
        i += 1;
    }
    units
};

/// [`Capability::Other`] with the keyword and parameters as written.
#[cold]
fn other<'a>(text: &'a [u8], keyword: usize, params: &'a [u8]) -> Option<Capability<'a>> {
    Some(Capability::Other {
        keyword: EhloToken::validated(as_str(text.get(..keyword)?)?),
        params: EhloParams::validated(as_str(params)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keywords() {
        let cases: &[(&str, Capability<'_>)] = &[
            ("SIZE", Capability::Size(None)),
            ("SIZE 0", Capability::Size(Some(0))),
            ("SIZE 10240000", Capability::Size(Some(10240000))),
            ("SIZE 99999999999999999999999", Capability::Size(None)),
            ("SIZE -1", Capability::Size(None)),
            ("size 12 extra", Capability::Size(Some(12))),
            ("8bitmime", Capability::EightBitMime),
            ("PIPELINING", Capability::Pipelining),
            ("CHUNKING", Capability::Chunking),
            ("BINARYMIME", Capability::BinaryMime),
            ("STARTTLS", Capability::StartTls),
            ("DSN", Capability::Dsn),
            ("SMTPUTF8", Capability::SmtpUtf8),
            ("ENHANCEDSTATUSCODES", Capability::EnhancedStatusCodes),
            ("DELIVERBY", Capability::DeliverBy(None)),
            ("DELIVERBY 240", Capability::DeliverBy(Some(240))),
            ("MT-PRIORITY", Capability::MtPriority(None)),
            (
                "MT-PRIORITY STANAG4406",
                Capability::MtPriority(EhloToken::new("STANAG4406").ok()),
            ),
            ("REQUIRETLS", Capability::RequireTls),
            ("ETRN", Capability::Etrn),
            ("ATRN", Capability::Atrn),
            ("VRFY", Capability::Vrfy),
            ("EXPN", Capability::Expn),
            ("HELP", Capability::Help),
            ("NO-SOLICITING", Capability::NoSoliciting(None)),
            (
                "NO-SOLICITING net.example:ADV",
                Capability::NoSoliciting(EhloToken::new("net.example:ADV").ok()),
            ),
            ("MTRK", Capability::Mtrk),
            ("CONPERM", Capability::ConPerm),
            ("CONNEG", Capability::ConNeg),
            ("RRVS", Capability::Rrvs),
            ("CHECKPOINT", Capability::Checkpoint),
            ("PIPELINING ignored", Capability::Pipelining),
        ];
        for (text, expected) in cases {
            assert_eq!(capability(text).as_ref(), Some(expected), "{text}");
        }
        assert_eq!(capability(""), None);
        assert_eq!(capability(" SIZE"), None);
    }

    #[test]
    fn parameter_lists() {
        let Some(Capability::Auth(mechs)) = capability("AUTH PLAIN LOGIN CRAM-MD5") else {
            panic!()
        };
        assert!(mechs.iter().eq(["PLAIN", "LOGIN", "CRAM-MD5"]));
        let Some(Capability::Auth(mechs)) = capability("AUTH=LOGIN PLAIN") else {
            panic!()
        };
        assert!(mechs.iter().eq(["LOGIN", "PLAIN"]));
        let Some(Capability::Auth(mechs)) = capability("AUTH") else {
            panic!()
        };
        assert_eq!(mechs.iter().count(), 0);
        let Some(Capability::Limits(limits)) = capability("LIMITS RCPTMAX=20 MAILMAX=5") else {
            panic!()
        };
        assert_eq!(limits.get_number("mailmax"), Some(5));
        let Some(Capability::Xclient(names)) =
            capability("XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT")
        else {
            panic!()
        };
        assert_eq!(names.words().count(), 9);
        let Some(Capability::Xforward(names)) = capability("XFORWARD NAME ADDR") else {
            panic!()
        };
        assert_eq!(names.as_str(), "NAME ADDR");
        let Some(Capability::Burl(params)) = capability("BURL imap") else {
            panic!()
        };
        assert_eq!(params.as_str(), "imap");
        let Some(Capability::FutureRelease {
            max_interval,
            max_date_time,
        }) = capability("FUTURERELEASE 604800 2026-12-01T00:00:00Z")
        else {
            panic!()
        };
        assert_eq!(
            (max_interval, max_date_time.as_str()),
            (604800, "2026-12-01T00:00:00Z")
        );
        // A FUTURERELEASE without its parameters keeps its text as Other.
        let Some(Capability::Other { keyword, params }) = capability("FUTURERELEASE soon") else {
            panic!()
        };
        assert_eq!(
            (keyword.as_str(), params.as_str()),
            ("FUTURERELEASE", "soon")
        );
        let Some(Capability::Other { keyword, params }) = capability("X_PIPE_CONNECT") else {
            panic!()
        };
        assert_eq!((keyword.as_str(), params.as_str()), ("X_PIPE_CONNECT", ""));
    }
}
