//! EHLO line parser: keyword, then parameters typed by keyword
//! (RFC 5321 §4.1.1.1 and the RFCs of each extension).
//!
//! The line text has already been validated as reply text by the reply
//! parser, so every slice handed out here is free of CR, LF and controls.

use crate::syntax::{self, has_no_controls};
use crate::types::ehlo::{
    Capabilities, CapabilitiesInner, Capability, EhloParams, EhloReply, EhloSummary, EhloToken,
    Limits, Mechanisms,
};
use crate::types::error::ErrorKind;

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
        for capability in self.capabilities() {
            let Some(extension) = capability.extension() else {
                continue;
            };
            summary.extensions.insert(extension);
            match capability {
                Capability::Size(size) if summary.size.is_none() => summary.size = size,
                Capability::Auth(mechanisms) if summary.auth.is_none() => {
                    summary.auth = Some(mechanisms)
                }
                Capability::Limits(limits) if summary.limits.is_none() => {
                    summary.limits = Some(limits)
                }
                _ => {}
            }
        }
        summary
    }
}

impl<'a> Iterator for Capabilities<'a> {
    type Item = Capability<'a>;

    fn next(&mut self) -> Option<Capability<'a>> {
        match &mut self.0 {
            CapabilitiesInner::Wire(lines) => lines.find_map(|line| capability(line.text())),
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
pub(crate) fn capability(text: &str) -> Option<Capability<'_>> {
    let end = text.find([' ', '\t']).unwrap_or(text.len());
    let (keyword, rest) = text.split_at(end);
    // Drop exactly one separator so that `params` re-encodes byte for byte.
    let params = EhloParams::validated(rest.get(1..).unwrap_or(""));
    let keyword = EhloToken::new(keyword).ok()?;
    let mut words = params.words();
    let is = |name: &str| keyword.as_str().eq_ignore_ascii_case(name);
    let number = |word: Option<&str>| word.and_then(|w| syntax::parse_u64(w.as_bytes()).ok());
    let cap = if is("SIZE") {
        // RFC 1870 §4: a bad value means no declared limit, never an error.
        Capability::Size(number(words.next()))
    } else if is("8BITMIME") {
        Capability::EightBitMime
    } else if is("PIPELINING") {
        Capability::Pipelining
    } else if is("CHUNKING") {
        Capability::Chunking
    } else if is("BINARYMIME") {
        Capability::BinaryMime
    } else if is("STARTTLS") {
        Capability::StartTls
    } else if is("DSN") {
        Capability::Dsn
    } else if is("SMTPUTF8") {
        Capability::SmtpUtf8
    } else if is("ENHANCEDSTATUSCODES") {
        Capability::EnhancedStatusCodes
    } else if is("AUTH") {
        Capability::Auth(Mechanisms::validated(params))
    } else if keyword
        .as_str()
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("AUTH="))
    {
        // The pre-RFC 2554 form `AUTH=LOGIN PLAIN`: the mechanisms start
        // right after the `=` (as Exim and Postfix still send it). Its params are the rest of the
        // line after `AUTH=`, which is valid text as well.
        Capability::Auth(Mechanisms::validated(EhloParams::validated(
            text.get(5..).unwrap_or(""),
        )))
    } else if is("DELIVERBY") {
        Capability::DeliverBy(number(words.next()))
    } else if is("FUTURERELEASE") {
        // RFC 4865 §3: both parameters are required.
        match (
            number(words.next()),
            words.next().and_then(|w| EhloToken::new(w).ok()),
        ) {
            (Some(max_interval), Some(max_date_time)) => Capability::FutureRelease {
                max_interval,
                max_date_time,
            },
            _ => Capability::Other { keyword, params },
        }
    } else if is("MT-PRIORITY") {
        Capability::MtPriority(words.next().and_then(|w| EhloToken::new(w).ok()))
    } else if is("REQUIRETLS") {
        Capability::RequireTls
    } else if is("LIMITS") {
        Capability::Limits(Limits::validated(params))
    } else if is("ETRN") {
        Capability::Etrn
    } else if is("ATRN") {
        Capability::Atrn
    } else if is("BURL") {
        Capability::Burl(params)
    } else if is("VRFY") {
        Capability::Vrfy
    } else if is("EXPN") {
        Capability::Expn
    } else if is("HELP") {
        Capability::Help
    } else if is("NO-SOLICITING") {
        Capability::NoSoliciting(words.next().and_then(|w| EhloToken::new(w).ok()))
    } else if is("MTRK") {
        Capability::Mtrk
    } else if is("CONPERM") {
        Capability::ConPerm
    } else if is("CONNEG") {
        Capability::ConNeg
    } else if is("RRVS") {
        Capability::Rrvs
    } else if is("CHECKPOINT") {
        Capability::Checkpoint
    } else if is("XCLIENT") {
        Capability::Xclient(params)
    } else if is("XFORWARD") {
        Capability::Xforward(params)
    } else {
        Capability::Other { keyword, params }
    };
    Some(cap)
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
